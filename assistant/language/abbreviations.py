"""Abbreviations a text defines: "Digital Asset Service Provider (DASP)", "Money Laundering
Reporting Officer (MLRO)". Rulebooks define their abbreviations this way, in the digest and in
official text alike, so a question that writes the name in full and a rule that writes the
abbreviation (or the other way round) can be matched without a hand-made list."""

from __future__ import annotations

import re
from collections.abc import Iterable

_DEFINED = re.compile(
    r"(?P<long>(?:[A-Z][\w-]*\s+(?:(?:of|and|for|in|on|the|to)\s+)*){1,8})\((?P<abbr>[A-Z]{2,7}s?)\)"
)
_SMALL = {"of", "and", "for", "in", "on", "the", "to"}


def _initials(word: str) -> str:
    """A word's initial, with its inner capitals ("FinTech" -> "FT")."""
    return word[0] + "".join(c for c in word[1:] if c.isupper())


def defined(text: str) -> dict[str, str]:
    """{abbreviation in lower case: its long form} for each "Long Name (ABBR)" in ``text``
    whose last words' initials spell the abbreviation ("Virtual Asset (VA)"); the small words
    of a name ("of", "and") may be skipped by the initials."""
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        abbr = m.group("abbr").rstrip("s") if m.group("abbr").endswith("s") and len(
            m.group("abbr")) > 2 else m.group("abbr")  # fmt: skip
        words = m.group("long").split()
        big = [w for w in words if w.lower() not in _SMALL]
        for n in range(len(big), 0, -1):  # the shortest tail of the name that spells it
            tail = big[-n:]
            if (
                "".join(_initials(w) for w in tail).upper() == abbr.upper()
                or "".join(w[0] for w in tail).upper() == abbr.upper()
            ):
                start = len(words) - words[::-1].index(tail[0]) - 1
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
