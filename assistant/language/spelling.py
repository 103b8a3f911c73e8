"""Misspelt question words, read as the indexed text's own words ("anual" -> "annual", "travle"
-> "travel", "permisions" -> "permissions").

A founder typing fast misspells; BM25 then misses the word, and a facet the answer must respect
("annual" fee, not the application fee) is lost. The vocabulary is the indexed text's words,
counted once per index change, so the correction needs no word list of ours and follows whatever
documents are indexed. A question word is corrected only when neither the index nor an English
dictionary (simplemma's) knows it, it is a plain lower-case word of five letters or more (names,
acronyms and rule numbers are left alone), and one indexed word is the clear nearest: within one
edit (a transposition counting as one, optimal string alignment distance) for words of up to
seven letters, two for longer ones, and, among the words at that distance, the most frequent by
at least twice the next.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_PLAIN = re.compile(r"[a-z]{5,}")
MIN_LENGTH = 5


@dataclass(frozen=True)
class Vocabulary:
    """The indexed text's lower-case words of ``MIN_LENGTH`` letters or more, with counts."""

    counts: dict[str, int]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text) if len(w) >= MIN_LENGTH - 1)
        return cls(dict(counts))

    def holds_part_of(self, word: str) -> bool:
        """Whether ``word`` is made of indexed words: one of four letters or more, and three
        fifths of ``word``'s length, begins or ends it (a derivation or a compound: "unhosted"
        of "hosted", "stakingpool" of "staking"), or two of four letters or more make it up
        ("recordkeeping", where the index writes "record-keeping"). Such a word is not foreign
        to the index."""
        counts = self.counts
        if any(word[:n] in counts or word[-n:] in counts
               for n in range(max(4, math.ceil(0.6 * len(word))), len(word))):  # fmt: skip
            return True
        return any(word[:n] in counts and word[n:] in counts for n in range(4, len(word) - 3))

    def nearest(self, word: str) -> str | None:
        """The indexed word ``word`` is a clear misspelling of, if any."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = 1 if len(word) <= 7 else 2
        found = process.extract(word, self.counts.keys(), scorer=OSA.distance,
                                score_cutoff=limit, limit=50)  # fmt: skip
        if not found:
            return None
        # the same opening letters, and not the word with a prefix cut off or added: "unhosted"
        # is not a misspelt "hosted", nor "unauthorised" of "authorised" (a review, 2026-12-04)
        found = [(w, d, k) for w, d, k in found if w[:2] == word[:2]
                 and not word.endswith(w) and not w.endswith(word)]  # fmt: skip
        if not found:
            return None
        best = min(d for _, d, _ in found)
        near = sorted(((self.counts[w], w) for w, d, _ in found if d == best), reverse=True)
        if len(near) > 1 and near[0][0] < 2 * near[1][0]:
            return None  # two words as near and as common: no clear reading
        return near[0][1]


def _english(word: str) -> bool:
    """A word of simplemma's English dictionary is no misspelling, even where the index lacks it
    ("staking" is not "stating"; an American spelling is not the indexed British one), nor is
    one with an "s" added to a dictionary word ("whats", as typed in a chat)."""
    import simplemma

    return bool(simplemma.is_known(word, lang="en")) or (
        word.endswith("s") and bool(simplemma.is_known(word[:-1], lang="en"))
    )


def suspects(question: str, known: Callable[[str], bool]) -> list[str]:
    """The question's words that may be misspelt: plain words of ``MIN_LENGTH`` letters or more
    that neither the index (``known``) nor the English dictionary knows."""
    out = []
    for m in _WORD.finditer(question):
        word = m.group(0)
        if not _PLAIN.fullmatch(word.lower()) or not (word.islower() or word.istitle()):
            continue
        if not known(word) and not _english(word.lower()):
            out.append(word)
    return out


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _dictionary_nearest(word: str, known: Callable[[str], bool]) -> str | None:
    """The one English word (simplemma's dictionary) a single edit away from ``word`` that the
    index knows in another form, under the same rules as ``Vocabulary.nearest``: "seperate" is
    "separate" where the index writes only "separately" (a custodian's trial, twenty-third
    session: no indexed word was near enough, and the question lost the word). None where there
    is none, or more than one."""
    import simplemma

    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    found = {w for w in edits
             if w != word and w[:2] == word[:2] and not word.endswith(w) and not w.endswith(word)
             and simplemma.is_known(w, lang="en") and known(w)}  # fmt: skip
    return found.pop() if len(found) == 1 else None


def corrections(question: str, vocabulary: Vocabulary,
                known: Callable[[str], bool]) -> dict[str, str]:  # fmt: skip
    """{word as written: the indexed word it is read as} for the question's misspelt words;
    ``known(word)`` says whether the index knows a word (as its keyword index tokenises it)."""
    out: dict[str, str] = {}
    for word in suspects(question, known):
        if word.lower() in vocabulary.counts:
            continue
        fixed = vocabulary.nearest(word.lower()) or _dictionary_nearest(word.lower(), known)
        if fixed is not None and fixed != word.lower():
            out[word] = fixed.capitalize() if word[:1].isupper() else fixed
    return out


def corrected(question: str, fixes: dict[str, str]) -> str:
    """``question`` with each misspelt word replaced by its reading."""
    if not fixes:
        return question
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in fixes) + r")\b")
    return pattern.sub(lambda m: fixes[m.group(1)], question)


_ANY_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def unread_words(question: str) -> list[str]:
    """The question's words with letters outside a to z ("капитал", "МФЦА"), each once, in order:
    the keyword index reads only those letters and digits, so such a word is not searched by
    keyword, and the English embedding model reads it poorly. A founder's "капитал для брокера в
    МФЦА?" was refused with boilerplate as the closest provisions and no word that its words were
    not read (the misspelling notes look only at a-z words; eighteenth session)."""
    seen: dict[str, None] = {}
    for m in _ANY_WORD.finditer(question):
        word = m.group(0)
        if any(ch.isalpha() and not ch.isascii() for ch in word):
            seen.setdefault(word, None)
    return list(seen)


def mostly_unread(question: str, stop: Collection[str]) -> list[str]:
    """``unread_words(question)`` where they outnumber the words read (a to z, two letters or
    more, not in ``stop``), counted as often as they occur; else none. Such a question is not
    read: searched on its few English words, it was refused "not specified" (26 of 28 Russian
    and Kazakh questions, the index holding the answer to most) or answered for another thing
    ("Сколько стоит годовой fee для Operating a DATF?", the annual fee asked, got the application
    fee at confidence 1.0: "годовой" was not read; a founder's trial, thirty-seventh session).
    A question whose English words are most of it ("MLRO должен быть resident in the UAE?") is
    answered, with ``unread_note``."""
    # (a letter of another script only: a name written with accents, "Société Générale", is
    # no other language, a review)
    words = [m.group(0) for m in _ANY_WORD.finditer(question)]
    unread = [w for w in words if any(ch.isalpha() and not _latin(ch) for ch in w)]
    read = [w for w in words if w not in unread and len(w) > 1 and w.lower() not in stop]
    # (as many words unread as read is not read either: "MLRO обязателен?", is an MLRO
    # mandatory, was answered from an operational-risk table on "MLRO" alone, a Russian-speaking
    # founder's trial, thirty-ninth session)
    return unread_words(question) if unread and len(read) <= len(unread) else []


def _latin(ch: str) -> bool:
    """Whether ``ch`` is a letter of the Latin script ("é" is, "д" and "қ" are not)."""
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")


NOT_READ = (
    "Not answered: most of this question's words are not English ({words}), and regassist "
    "reads English only (its keyword index reads the letters a to z and digits; its embedding "
    "model is English), so the indexed rules were not searched. Please ask in English. "
    # (in Russian too, the language most of the AIFC's users would write in: the refusal was in
    # English only, a Russian-speaking founder's trial, thirty-ninth session)
    "(Пожалуйста, задайте вопрос на английском языке: индексированные правила на английском.)"
)
# the answer's note that says so: a batch's summary counts such answers apart from "not
# specified", which they are not (a review, thirty-eighth session)
NOT_READ_NOTE = "abstained: the question is not in English, which is all regassist reads"


def unread(notes: Sequence[str] | None) -> bool:
    """Whether an answer's ``notes`` say its question was not read (``NOT_READ``)."""
    return NOT_READ_NOTE in (notes or ())


def quoted_words(words: list[str]) -> str:
    """'"a", "b" and 3 more': up to five of ``words``, quoted."""
    return ", ".join(f'"{w}"' for w in words[:5]) + (
        f" and {len(words) - 5} more" if len(words) > 5 else ""
    )


def unread_note(words: list[str]) -> str:
    """The note naming ``unread_words``."""
    quoted = quoted_words(words)
    verb = "is" if len(words) == 1 else "are"
    return (f"{quoted} {verb} not searched by keyword (it reads the letters a to z and digits); "
            "ask in English for an answer that rests on them")  # fmt: skip
