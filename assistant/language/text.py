"""Text helpers shared by the extractive answerer and the verifier: sentences and figures."""

from __future__ import annotations

import re

from ingest.chunker import trim_span

_ABBREV = {
    "no",
    "s",
    "e.g",
    "i.e",
    "art",
    "para",
    "cf",
    "etc",
    "sch",
    "vs",
    "approx",
    "mr",
    "ms",
    "dr",
    "st",
}
_SENT_END = re.compile(r"[.!?](?=[\"')\]]*\s+[\"'(\[]?[A-Z0-9])")
_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirty": 30}  # fmt: skip
_FIGURE = re.compile(
    r"(?:(?:USD|KZT|EUR|US\$|\$)\s?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?(?:million|m|bn|billion))?)"
    r"|(?:\d(?:[\d,]*\d)?(?:\.\d+)?\s?(?:%|per\s?cent|percent))"
    r"|(?:\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirty)\s+"
    r"(?:business\s+|working\s+|calendar\s+)?(?:years?|months?|weeks?|days?|hours?)\b)"
    r"|(?:\b\d[\d,]{2,}(?:\.\d+)?\b)",
    re.IGNORECASE,
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text``; Markdown heading lines are their own span."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        a = start
        for m in _SENT_END.finditer(line):
            end = start + m.end()
            word = re.findall(r"[\w.]+$", text[a : end - 1])
            if word and (
                word[-1].lower().rstrip(".") in _ABBREV
                or len(word[-1]) == 1
                or word[-1][-1].isdigit()
            ):
                continue
            spans.append(trim_span(text, a, end))
            a = end
        spans.append(trim_span(text, a, start + len(line)))
    return [(a, b) for a, b in spans if b > a]


def figures(text: str) -> list[str]:
    """Numbers that carry legal weight: amounts, percentages, durations, multi-digit numbers."""
    return [m.group(0) for m in _FIGURE.finditer(text)]


def normalise_figure(fig: str) -> str:
    """Canonical form so that 'six years' matches '6 years' and 'USD 1,000' matches 'USD1000'."""
    f = fig.lower().replace(",", "").replace("us$", "usd ").replace("$", "usd ")
    f = re.sub(r"per\s?cent|percent", "%", f)
    f = re.sub(r"\b(business|working|calendar)\s+", "", f)
    for word, n in _WORD_NUM.items():
        f = re.sub(rf"\b{word}\b", str(n), f)
    f = re.sub(r"(years|months|weeks|days|hours)\b", lambda m: m.group(1)[:-1], f)
    return re.sub(r"\s+", "", f)
