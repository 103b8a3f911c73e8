"""English word forms read as their dictionary lemma ("kept" -> "keep", "frozen" -> "freeze",
"held" -> "hold"), by simplemma's English dictionary. Snowball stems only strip suffixes, so the
forms of an irregular verb never meet; the policy check reads a draft's "We do not keep records"
against a rule's "Records must be kept" through these."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import simplemma

_LETTERS = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The lemma of one English word, lower-cased (the word itself when the dictionary has none)."""
    low = word.lower()
    return str(simplemma.lemmatize(low, lang="en")) if low.isalpha() else low


def aligner(targets: str, tokenize: Callable[[str], list[str]]) -> Callable[[str], str]:
    """A function that writes each word of a text that has the lemma of a word of ``targets``
    but another stem as that target word (the first such, in the order written): against
    "Records must be kept", "We do not keep records" reads "We do not kept records", so that
    stem matching reads irregular forms. Words are replaced in place; nothing else changes."""
    by_lemma: dict[str, str] = {}
    for w in _LETTERS.findall(targets):
        by_lemma.setdefault(lemma(w), w)

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        target = by_lemma.get(lemma(word))
        if target is None or tokenize(target) == tokenize(word):
            return word
        return target

    return lambda text: _LETTERS.sub(swap, text)
