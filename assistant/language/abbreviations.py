"""Abbreviations a text defines: "Digital Asset Service Provider (DASP)", "Money Laundering
Reporting Officer (MLRO)". Rulebooks define their abbreviations this way, in the digest and in
official text alike, so a question that writes the name in full and a rule that writes the
abbreviation (or the other way round) can be matched without a hand-made list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# A name is one to eight capitalised words of at most 30 characters, with at most two small
# words between them, before its abbreviation in brackets (bounded: no backtracking over a long
# run of text).
_DEFINED = re.compile(
    r"(?P<long>(?:[A-Z][\w-]{0,29}\s+(?:(?:of|and|for|in|on|the|to)\s+){0,2}){1,8})"
    r"\((?P<abbr>[A-Z]{2,7}s?)\)"
)
_SMALL = {"of", "and", "for", "in", "on", "the", "to"}


def initials(words: Sequence[str], skip: Iterable[str] = _SMALL, inner: bool = False) -> str:
    """The first letters of ``words``, the ``skip`` words ("of", "and") left out; with
    ``inner``, a word's inner capitals too ("Chief FinTech Officer" -> "CFTO")."""
    skipped = {w.lower() for w in skip}
    return "".join(w[0] + ("".join(c for c in w[1:] if c.isupper()) if inner else "")
                   for w in words if w and w.lower() not in skipped)  # fmt: skip


def defined(text: str) -> dict[str, str]:
    """{abbreviation in lower case: its long form} for each "Long Name (ABBR)" in ``text``
    whose last words' initials spell the abbreviation (the shortest such tail of the name);
    the small words of a name ("of", "and") are skipped by the initials."""
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        abbr = m.group("abbr")
        if abbr.endswith("s") and len(abbr) > 2:  # "DASPs"
            abbr = abbr[:-1]
        words = m.group("long").split()
        big = [w for w in words if w.lower() not in _SMALL]
        for n in range(1, len(big) + 1):
            tail = big[-n:]
            spelled = {initials(tail, inner=True), initials(tail)}
            if abbr.upper() in {x.upper() for x in spelled}:
                # where the tail starts: count its capitalised words back from the end
                seen, start = 0, len(words)
                while seen < n and start > 0:
                    start -= 1
                    seen += words[start].lower() not in _SMALL
                out[abbr.lower()] = " ".join(words[start:])
                break
    return out


def collect(texts: Iterable[str]) -> dict[str, str]:
    """``defined`` over many texts; the first definition of an abbreviation wins."""
    out: dict[str, str] = {}
    for t in texts:
        if "(" in t:
            for k, v in defined(t).items():
                out.setdefault(k, v)
    return out


_CAPITALISED_RUN = re.compile(
    r"[A-Z][\w-]*(?:\s+(?:(?:of|and|for|in|on|the|to)\s+){0,2}[A-Z][\w-]*)*"
)


def spelled_out(abbreviation: str, text: str) -> str | None:
    """The run of capitalised words of ``text`` whose initials spell ``abbreviation`` ("Digital
    Asset Trading Facility" for "DATF"), small words skipped; None when there is none."""
    want = abbreviation.upper()
    for m in _CAPITALISED_RUN.finditer(text):
        words = m.group(0).split()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 3 * len(want)) + 1):  # small words too
                if words[i].lower() in _SMALL or words[j - 1].lower() in _SMALL:
                    continue
                if initials(words[i:j]).upper() == want:
                    return " ".join(words[i:j])
    return None
