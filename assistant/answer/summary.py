"""A plain first line for an extractive answer, and citations that bear on the question.

The first line states the finding in one short sentence made only of words and figures of
the cited quotes (plus "Yes"/"No" for a yes/no question): the figure asked for, the permission
names, or the shortest clause of the lead quote that carries the question's terms. Citations
whose quote and rule share no content word with the question are left out (never the first).
Nothing here can invent a fact: every word after the lead is a verbatim slice of a quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer.types import Citation
from assistant.language.quantities import figures

if TYPE_CHECKING:
    from assistant.answer.extractive import Extract

MAX_WORDS = 28
YES_NO = re.compile(r"^\s*(must|is|are|does|do|did|can|could|may|might|should|shall|has|have|"
                    r"will|would|need|needs)\b", re.IGNORECASE)  # fmt: skip
NEGATION = re.compile(r"\b(not|no|never|cannot|neither|nor|prohibited|forbidden)\b|n't\b", re.I)
PERMISSION_Q = re.compile(
    r"\b(permissions?|licen[cs]es?|authori[sz]ations?|activit(?:y|ies))\b", re.I
)
# A permission name as AFSA writes it: a capitalised gerund phrase ("Operating a Digital Asset
# Trading Facility", "Providing Custody", "Dealing in Investments as Principal").
PERMISSION = re.compile(
    r"\b[A-Z][a-z]+ing\b(?:\s+(?:a|an|the|of|in|for|on|as|and|[A-Z][\w()-]*)){0,8}"
)
_CLAUSE_END = re.compile(r"\n+|[;:]\s+|\.\s+|,\s+(?=(?:and|or|but|which|who|where|unless|if)\b)")
_CITE = re.compile(r'" \[(\d+)\]')


def _content(tokenize: Callable[[str], list[str]], text: str) -> set[str]:
    return {t for t in tokenize(text) if len(t) > 2 and not t.isdigit()}


def bearing(question: str, citations: Sequence[Citation],
            tokenize: Callable[[str], list[str]]) -> list[Citation]:  # fmt: skip
    """The citations that bear on the question: the first always; the others when their quote or
    rule shares a content word with the question."""
    q = _content(tokenize, question)
    keep = []
    for i, c in enumerate(citations):
        if i == 0 or not q or q & _content(tokenize, f"{c.quote} {c.ref or ''}"):
            keep.append(c)
    return keep


def _clauses(quote: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE_END.finditer(quote):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(quote)))
    return [(a, b) for a, b in spans if quote[a:b].strip()]


def _trim(text: str, focus: int | None = None) -> str:
    """At most MAX_WORDS words of ``text``, around ``focus`` (a character offset) if given."""
    words = list(re.finditer(r"\S+", text))
    if len(words) <= MAX_WORDS:
        return text.strip()
    centre = 0
    if focus is not None:
        centre = next((i for i, w in enumerate(words) if w.end() > focus), 0)
    lo = max(0, min(centre - MAX_WORDS // 3, len(words) - MAX_WORDS))
    hi = lo + MAX_WORDS
    out = text[words[lo].start() : words[hi - 1].end()]
    return ("…" if lo else "") + out + ("…" if hi < len(words) else "")


def _best_clause(quote: str, q_terms: set[str], tokenize: Callable[[str], list[str]],
                 must: tuple[int, int] | None = None) -> tuple[str, int | None]:  # fmt: skip
    """The clause of ``quote`` that carries most question terms (or contains ``must``)."""
    best, best_score = (0, len(quote)), -1.0
    for a, b in _clauses(quote):
        if must and not (a <= must[0] and must[1] <= b):
            continue
        terms = _content(tokenize, quote[a:b])
        score = float(len(terms & q_terms))
        if score > best_score:  # ties: the earliest clause
            best, best_score = (a, b), score
    a, b = best
    return quote[a:b].strip(" ,;:"), (must[0] - a if must else None)


def _shorter_than_quote(text: str, quote: str) -> str:
    """The finding must not be the card's quote again: when it is the whole quote, drop its
    comma-delimited asides (", other than a Representative Office,"), else keep the opening of a
    long one. A short one-clause quote is its own finding and stays whole."""

    def norm(t: str) -> str:
        return " ".join(t.split()).strip(" .")

    if norm(text) != norm(quote):
        return text
    lean = re.sub(r",\s[^,]{3,80},\s", " ", text)
    if norm(lean) != norm(quote):
        return lean
    words = text.split()
    return " ".join(words[:14]) + "…" if len(words) > 17 else text  # a short quote is its finding


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:] if text and not text.startswith("…") else text
    return text if text.endswith((".", "…", "?", "!")) else text + "."


def finding(question: str, citations: Sequence[Citation],
            tokenize: Callable[[str], list[str]]) -> str:  # fmt: skip
    """One short sentence stating the finding, from words and figures of the cited quotes."""
    if not citations:
        return ""
    q_terms = _content(tokenize, question)
    from assistant.answer.extractive import WANTS_FIGURE

    if WANTS_FIGURE.search(question):
        for c in citations:
            figs = figures(c.quote)
            if figs:
                clause, focus = _best_clause(c.quote, q_terms, tokenize, figs[0].span)
                lead = (
                    "; ".join(dict.fromkeys(f.text for f in figs if f.text in clause))
                    or figs[0].text
                )
                return f"{lead}: {_sentence(_trim(clause, focus))} [{c.n}]"
    if PERMISSION_Q.search(question):
        names: dict[str, int] = {}
        for c in citations:
            for m in PERMISSION.finditer(c.quote):
                for part in re.split(r"\s+and\s+(?=[A-Z][a-z]+ing\b)", m.group(0).strip()):
                    name = re.sub(r"(?:\s+(?:a|an|the|of|in|for|on|as|and))+$", "", part)
                    if len(name.split()) >= 2:
                        names.setdefault(name, c.n)
        if names:
            listed = list(names)[:4]
            text = ", ".join(listed[:-1]) + (" and " if len(listed) > 1 else "") + listed[-1]
            cites = "".join(f"[{n}]" for n in dict.fromkeys(names[x] for x in listed))
            return f"{text}. {cites}"
    lead = citations[0]
    clause, _ = _best_clause(lead.quote, q_terms, tokenize)
    short = _shorter_than_quote(_trim(clause), lead.quote)
    if YES_NO.search(question) and len(q_terms & _content(tokenize, clause)) >= max(
        1, len(q_terms) // 2
    ):
        answer = "No" if NEGATION.search(clause) else "Yes"
        return f"{answer}: {_sentence(short)} [{lead.n}]"
    return f"{_sentence(short)} [{lead.n}]"


def _renumber(
    lines: list[str], citations: list[Citation], keep: list[Citation]
) -> tuple[list[str], list[Citation]]:
    """Lines are one per citation, in order; keep those of ``keep`` and number them 1..n."""
    new_n = {c.n: i for i, c in enumerate(keep, start=1)}
    out_lines = []
    for line, c in zip(lines, citations, strict=False):
        if c.n in new_n:
            out_lines.append(
                _CITE.sub(lambda m: f'" [{new_n.get(int(m.group(1)), m.group(1))}]', line)
            )
    return out_lines, [replace(c, n=new_n[c.n]) for c in keep]


def with_first_line(question: str, ex: Extract, tokenize: Callable[[str], list[str]]) -> Extract:
    """The extractive answer with a plain first line, and only citations that bear on it."""
    if ex.abstained or not ex.citations:
        return ex
    lines = ex.text.split("\n")
    if len(lines) != len(ex.citations):
        return ex  # not the one-line-per-citation layout this expects
    keep = bearing(question, ex.citations, tokenize)
    lines, citations = _renumber(lines, list(ex.citations), keep)
    first = finding(question, citations, tokenize)
    text = "\n".join([first, *lines]) if first else "\n".join(lines)
    return replace(ex, text=text, citations=citations)
