"""Sentence splitting shared by the answerer, the verifier and the policy checker (figures and other
quantities are read by assistant.language.quantities)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from ingest.chunker import GUIDANCE_LABEL, trim_span

# Prepositions and adverbs the tokenizer keeps: no subject of their own ("without asking").
CLOSED_CLASS = frozenset({"without", "within", "before", "after", "under", "over", "also", "only",
                          "upon", "about", "between", "during", "against"})  # fmt: skip
# Modals, prepositions and other function words the tokenizer keeps: they say nothing of what a
# sentence is about (a memo and a rule that share only "must ... before" share no topic).
FUNCTION_WORDS = ("must", "shall", "may", "should", "can", "could", "would", "will", "need",
                  "needs", "required", "before", "after", "within", "under", "over", "from", "into",
                  "upon", "about", "between", "during", "against", "without", "with", "for", "of",
                  "to", "in", "on", "at", "by", "and", "or", "not", "than", "then", "only", "also",
                  "any", "all", "each", "every")  # fmt: skip


@cache
def function_terms(tokenize: Callable[[str], list[str]]) -> frozenset[str]:
    """``FUNCTION_WORDS`` as ``tokenize`` reads them (stems), once per tokenizer."""
    return frozenset(t for w in FUNCTION_WORDS for t in tokenize(w))


@cache
def closed_terms(tokenize: Callable[[str], list[str]]) -> frozenset[str]:
    """``CLOSED_CLASS`` as ``tokenize`` reads them, once per tokenizer."""
    return frozenset(t for w in CLOSED_CLASS for t in tokenize(w))


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
# what may stand before a paragraph's own number: Markdown heading or bullet marks, and the
# invisible direction marks of rulebook text ("\u200e3.2.1. The ...")
_OPENING = " \t#*-•\u200e\u200f\u202a\u202b\u202c"
_SENT_END = re.compile(r"[.!?](?=[\"')\]]*\s+[\"'(\[]?[A-Z0-9])")


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
            if (
                word
                and (
                    word[-1].lower().rstrip(".") in _ABBREV
                    or len(word[-1]) == 1
                    # a paragraph's own number ("12. The firm ...") opens it; a figure or a rule
                    # number that ends a sentence ("... USD 200,000. It ...") ends it
                    or (
                        word[-1][-1].isdigit()
                        and not text[a : end - 1 - len(word[-1])].strip(_OPENING)
                    )
                    # a named guidance's paragraph label ("8.3.6.Guidance on Politically
                    # Exposed Persons (PEPs) and corruption.4. The risk ..." led an answer as
                    # a sentence of its own, an MLRO's trial, thirty-fourth session)
                    or GUIDANCE_LABEL.fullmatch(text[a:end].strip(_OPENING)) is not None
                    # a list item's numeral ("ii.\tDirectors' fees; and" was two sentences, and
                    # the items after it were lost: a review, thirtieth session)
                    or (
                        (
                            # (lower case: "II." is a heading's number, not an item's)
                            (
                                _ROMAN.fullmatch(w := word[-1].rstrip(".")) is not None
                                and w.islower()
                            )
                            or _LABEL_WORD.fullmatch(word[-1]) is not None
                        )
                        and not text[a : end - 1 - len(word[-1])].strip(_OPENING)
                    )
                )
            ):
                continue
            spans.append(trim_span(text, a, end))
            a = end
        spans.append(trim_span(text, a, start + len(line)))
    return [(a, b) for a, b in spans if b > a]


# A list item as rulebooks write it, at the start of a line or clause: "(a)", "(iv)", "(2)",
# "A)", after an ellipsis where a line was cut ("… (c) ..."). Shared by the answerer (the stem of
# a quoted item) and the first line (the item shown after its stem).
LIST_ITEM = re.compile(r"\s*(?:…\s*)?\(?(?:[a-z]{1,2}|[ivxl]{1,5}|\d{1,2}|[A-Z])\)\s", re.I)
# What ends the sentence that opens a list: a colon, or a dash ("... if the Regulator—").
LIST_OPENERS = (":", "—", "–")


_ROMAN = re.compile(r"(?=[ivxl]+$)x{0,3}(?:ix|iv|v?i{0,3})", re.I)


# a bulleted item ("• Market surveillance;"): the guidance documents' lists
BULLETS = "•▪◦●‣"
_BULLET = re.compile(rf"\s*(?:…\s*)?[{BULLETS}]\s")
# an item marked with a lower-case letter or numeral and a full stop ("a. a cash payment;",
# "ii. ..."), as ADGM's MKT and guidance write them (a review, thirtieth session: a stem and its
# list's closing words were quoted without items a. to c.)
# (with its paragraph's number before it too, as ADGM's guidance notes write them: "4.12.a. The
# nature and scope of the services ...": a robo-adviser's trial, thirtieth session)
_DOT_ITEM = re.compile(r"\s*(?:…\s*)?(?:\d{1,3}(?:\.\d{1,3})*\.)?(?:[a-z]|[ivxl]{1,5})\.\s+(?=\S)")
# a list item's label as a word of its own: "4.12.a.", "4.9.b."
_LABEL_WORD = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.(?:[a-z]|[ivxl]{1,5})\.?")


def item_label(text: str) -> str | None:
    """The list marker ``text`` opens with, as written ("(5)", "a)", "4.12.b.", "•"), or None."""
    m = _BULLET.match(text) or LIST_ITEM.match(text) or _DOT_ITEM.match(text)
    return m.group(0).strip().lstrip("…").strip() if m else None


def label_follows(before: str | None, after: str | None) -> bool:
    """Whether list label ``after`` comes right after ``before`` ("f." after "e.", "(4)" after
    "(3)", "(iv)" after "(iii)"), their marks compared without brackets and dots."""
    if before is None or after is None:
        return False

    def mark(label: str) -> str:
        return re.sub(r"^\d+(?:\.\d+)*\.", "", label.strip("()").rstrip(".)"))

    a, b = mark(before), mark(after)
    if a.isdigit() and b.isdigit():
        return int(b) == int(a) + 1
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    if (
        a.lower() in romans
        and b.lower() in romans
        and romans.index(b.lower()) == romans.index(a.lower()) + 1
    ):
        return True
    return len(a) == len(b) == 1 and a.isalpha() and ord(b) == ord(a) + 1


def marker_styles(text: str) -> frozenset[str]:
    """The kinds of list marker ``text`` may open with: "digit" ("(1)"), "upper" ("(A)"),
    "roman" ("(iv)"), "lower" ("(a)"); both "lower" and "roman" for "(i)", "(v)", "(x)", which
    are either ("(h) ... (i) ... (j)" is a list of letters, a review found its "(i)" read as a
    numeral and the items from it lost); "bullet" ("• ..."); empty where it opens with none.
    Items of one list share a kind, a nested list's differ. (Bullets: "... required to have in
    place, among other things, the following:" was quoted without its items, "• Market
    surveillance;" among them, a market-surveillance head's trial, thirtieth session.)"""
    label = item_label(text)
    if label is None:
        return frozenset()
    if label in BULLETS:
        return frozenset({"bullet"})
    mark = label.strip("()").rstrip(".")
    mark = re.sub(r"^\d+(?:\.\d+)*\.", "", mark)  # "4.12.a": the item's own letter
    if mark.isdigit():
        return frozenset({"digit"})
    if mark.isupper():
        return frozenset({"upper"})
    if len(mark) == 1 and mark in "ivx":
        return frozenset({"lower", "roman"})
    return frozenset({"roman"} if _ROMAN.fullmatch(mark) else {"lower"})


def next_letter(before: str, mark: str) -> bool:
    """Whether list marker ``mark`` ("i") is the letter right after ``before`` ("h"): "(i)" is
    then a letter of the list, not a numeral of a nested one."""
    return len(before) == len(mark) == 1 and ord(mark.lower()) - ord(before.lower()) == 1


def is_list_stem(text: str) -> bool:
    """Whether ``text`` ends as a list's stem does (with a colon or a dash, or a hyphen typed for
    one after a space: "... shall be read as follows -", whose item (b) was not quoted with its
    (a) for "What does COBS 17.8.3 say?", a custodian's trial, thirty-second session; not a word
    broken at the line's end, "anti-")."""
    end = text.rstrip()
    # (after a word: not a table row's empty cells, "| - | -", a review)
    return end.endswith(LIST_OPENERS) or bool(_TYPED_DASH.search(end))


_TYPED_DASH = re.compile(r"[^\W\d_][.,)]?[ \t]+-$")


# an item that opens a list in words, not with a colon ("(b) ... include the following;"), or
# that does not end as an item does ("(b) the market fundamentals ..., including", "(a) ...
# shall be read as follows")
_OPENS_IN_WORDS = re.compile(r"\bfollowing\W*$", re.I)
_ENDS_ITEM = re.compile(r"(?:[.;?!]|[;,]?\s+(?:and|or))\s*$", re.I)


def list_item_spans(text: str, stem_end: int) -> list[tuple[int, int]]:
    """The spans of the items of the list whose stem ends at ``stem_end`` in ``text`` ("... must
    send a statement:" then "(a) to a Retail Client at least monthly; or" "(b) ..."), in order,
    with the items of the lists nested in them ("(b) ... where:" "(i) ..." "(ii) ..."; "(1) ...:"
    "(a) ...:" "(i) ..."). The list ends at an item of its own kind that ends with a full stop
    (a nested item's full stop ends its own list only: "(b) ... notify the Regulator of that
    fact." then "(2) ..." of the outer list, a review), at a sentence that is no item, or at an
    item of a kind the list has not used that no item before it opened ("(2) ..." after "(a)
    ...; (b) ... (ii) ... .", a sibling of the paragraph the stem is in: a review). "(i)" is a
    letter right after an "(h)" that opens no list, else a numeral."""
    spans: list[tuple[int, int]] = []
    first: frozenset[str] = frozenset()
    seen: set[str] = set()
    opened = False  # the item before opens a nested list
    letter = ""  # the last letter marker of the list ("h" before "(i)")
    for a, b in sentence_spans(text):
        if a < stem_end:
            continue
        part = text[a:b]
        own = marker_styles(part)
        if not own:
            break
        found = re.match(
            r"\W*(?:\d+(?:\.\d+)*\.)?\(?([A-Za-z]+)[).]", part
        )  # "(h)", "h.", "4.9.h."
        mark = found.group(1) if found else ""
        if own == {"lower", "roman"} and spans:
            # (not after an "(h) ...:" that opens a list: its "(i)" is the nested list's, a review)
            after_h = not opened and next_letter(letter, mark)
            own = frozenset({"lower"} if after_h else {"roman"})
        if not spans:
            first = own
        elif not (own & (seen | first)) and not opened:
            break
        seen |= own
        if "lower" in own and len(mark) == 1:
            letter = mark
        spans.append((a, b))
        if own & first and part.rstrip().endswith("."):
            break
        end = part.rstrip()
        opened = is_list_stem(end) or bool(
            _OPENS_IN_WORDS.search(end) or not _ENDS_ITEM.search(end)
        )
    return spans


# the words after a list's last item that apply to every item ("(g) any other matter ...
# Rules," then "for at least six years from the date ..."): the last item ends with a comma and
# the words go on in lower case, as no item or rule does
_CLOSING = re.compile(r"^\s*[a-z]")


def is_closing(before: str, sentence: str) -> bool:
    """Whether ``sentence``, right after the list item ``before``, is the closing words of that
    item's list: words that apply to each of its items."""
    # (not a table row's next cell, "\t(a) If the Vendor ... at least 20% ...": a review found
    # the cell's figure read as the list's)
    return (bool(marker_styles(before)) and before.rstrip().endswith(",")
            and not marker_styles(sentence) and bool(_CLOSING.match(sentence))
            and "\t" not in sentence and " | " not in sentence)  # fmt: skip


def list_closings(text: str) -> dict[int, tuple[int, int]]:
    """Where each sentence of ``text`` ends -> the span of the closing words of the list that
    follows it or that it is an item of, in one pass: the items are passed over, and the first
    sentence that is no item closes the list when ``is_closing``; an item ending with a full
    stop ends the lists before it (AML 4.5.1's "(e) any relevant communications with the FIU;"
    and its stem are kept "for at least six years from ...", after "(g)": a trial on the real
    AML rulebook, twenty-eighth session)."""
    out: dict[int, tuple[int, int]] = {}
    pending: list[int] = []  # the ends of the sentences whose list is open
    before = ""
    for a, b in sentence_spans(text):
        part = text[a:b]
        if marker_styles(part):
            if part.rstrip().endswith("."):
                pending = []  # (the lists of the sentences before it end here)
        elif pending and is_closing(before, part):
            out.update((end, (a, b)) for end in pending)
            pending = []
        else:
            pending = []
        pending.append(b)
        before = part
    return out


def list_closing(text: str, item_end: int) -> tuple[int, int] | None:
    """The span of the closing words of the list whose item (a sentence of ``text``) ends at
    ``item_end``, or that follows it (``list_closings``); None where there are none."""
    return list_closings(text).get(item_end)


# A sentence that makes an exception to the one before it: "Registered Auditors are an
# exception.", "This does not apply to a Representative Office.", "Except where ...". Closed-class
# words of legal drafting only.
_EXCEPTION_SENTENCE = re.compile(
    r"^\W*(?:except\b|unless\b|save\s+(?:where|that)\b|this\s+(?:rule\s+)?does\s+not\s+apply\b)"
    r"|\b(?:is|are)\s+(?:an?\s+)?exceptions?\b|\b(?:is|are)\s+exempt(?:ed)?\b"
    r"|\bdoes\s+not\s+apply\s+to\b",
    re.I,
)


def is_exception_sentence(sentence: str, max_words: int = 20) -> bool:
    """Whether ``sentence`` (short) makes an exception to the rule before it."""
    return len(sentence.split()) <= max_words and bool(_EXCEPTION_SENTENCE.search(sentence))


# A pronoun that stands for something named before its sentence: opening it ("It is valid for
# two years") or ending a clause ("... reports go to it;").
# (A verb's object at a clause's end, "to identify disputes ... and resolve them", "methods used
# to further it", is mostly read within its own sentence, as is an opening "It is important to
# ...", "It is recognised that ...": neither brings the sentence before, a review of ADGM first
# lines.)
BACK_PRONOUN = re.compile(
    r"^\W*(?:it\b(?!\s+(?:is|was|has\s+been|may\s+be|will\s+be|would\s+be|should\s+be)"
    r"(?:\s+[\w,]+){1,3}?\s+(?:that\b|to\s+(?!(?:the|a|an|its|their|any|each|all)\b)\w))|they\b)"
    r"|\b(?:to|for|from|with|by|of|on|in|under|within|about)\s+(?:it|them)\s*(?:[;:,.)]|$)",
    re.I,
)


# "What is X?" / "What are X?" / "What does X mean?" / "Define X" / "What is the definition
# (meaning) of X?": the answer is a sentence that has X as its subject ("X is ...", "X means
# ..."), as in a definition or a glossary entry (``extractive.asked_subject``), and a glossary
# line that defines X is looked up (``defined_term``)
_WHAT_IS = re.compile(
    r"^\s*(?:(?:define|what\s+is\s+the\s+(?:definition|meaning)\s+of)\s+(?P<c>[^?]{2,80}?)"
    r"|what\s+(?:is|are)\s+(?P<a>[^?]{2,80}?)|what\s+does\s+(?P<b>[^?]{2,80}?)\s+mean)\s*\??\s*$",
    re.IGNORECASE,
)
# a term as glossaries write one: five words at most, letters, digits, hyphens and apostrophes
_TERM = re.compile(r"[A-Za-z][\w'’-]*(?:\s+[\w'’-]+){0,4}")


def what_is(question: str) -> str | None:
    """X of a "What is X?" question and its kin (``_WHAT_IS``); None for other questions."""
    m = _WHAT_IS.match(question)
    return (m.group("a") or m.group("b") or m.group("c")) if m else None


# words that make the phrase no term: "What is the fee for a custodian?" asks a figure
# (whole words only: "Bail-in Tool" is a term, a paralegal's trial, thirty-second session)
_NOT_TERM = re.compile(r"(?<![\w-])(?:for|of|in|on|to|by|with|under|if|when|who|which|that|our|my|"
                       r"we|you|required|needed|allowed|the)(?![\w-])", re.I)  # fmt: skip


def defined_term(question: str) -> str | None:
    """The term a question asks the definition of ("What is a Specified Investment?" ->
    "Specified Investment"), a name of five words at most; None for other questions."""
    asked = what_is(question)
    term = re.sub(r"^(?:a|an|the)\s+", "", asked.strip(), flags=re.I) if asked else ""
    if (
        not _TERM.fullmatch(term)
        or _NOT_TERM.search(term)
        or len(term) < 3
        or term.lower() in _PRONOUNS
    ):
        return None
    return term


_PRONOUNS = frozenset({"this", "that", "these", "those", "they", "it", "them", "he", "she", "we"})


def singular(term: str) -> str:
    """``term`` with a plural "s" of its last word dropped ("Specified Investments")."""
    return term[:-1] if len(term) > 4 and term.endswith("s") and not term.endswith("ss") else term


def defines(text: str, term: str) -> bool:
    """Whether ``text`` has a line that defines ``term`` as a glossary does (``defining_line``)."""
    return defining_line(text, term) is not None


# the words a definition is given with: "means", "has the meaning", "includes", "refers to"
_DEFINING_WORDS = r"(?:means?|has\s+the\s+meaning|includes|refers\s+to|shall\s+mean)\b"


def defining_line(text: str, term: str) -> str | None:
    """The line of ``text`` that defines ``term`` as a glossary does: the term (its plural too)
    opening the line, written as a defined term is (with a capital, not in capitals unless asked
    so: "FEES | Means the Fees module" defines no fees, a review; any case inside quotes, "“margin”
    means"), then a table's cell break, a colon, or "means", "has the meaning", "includes",
    "refers to" ("Specified Investment | means an investment falling within ..."), or a
    standard's "The term "Reportable Account" means ..."; None where no line does."""
    stem = re.escape(singular(term))
    for m in re.finditer(
        rf"(?:^|\n)[ \t]*(?:[^\n]{{0,40}}?\b[Tt]erm[ \t]+)?(?P<q>[\"“‘'])?(?P<t>(?i:{stem})(?i:s|es)?)"
        # (its short form in brackets after it: "Politically Exposed Person (PEP) | Means ...",
        # which "What does Politically Exposed Person mean?" did not find, a browser trial)
        rf"[\"”’']?(?:[ \t]*\([A-Za-z][\w.&-]{{0,14}}\))?[ \t]*(?:\||:|\b{_DEFINING_WORDS})[^\n]*",
        text,
    ):
        written = m.group("t")
        if m.group("q") or (written[0].isupper() and (not written.isupper() or term.isupper())):
            return m.group(0).strip()
    return None


def defines_in_words(line: str, term: str) -> bool:
    """Whether ``line`` (``defining_line`` of ``term``) defines the term in words right after it,
    its short form in brackets, a closing quotation mark or a cell's bar between (not "Client:
    onboarding checklist, which includes ...", nor "Penalty | USD 10,000": reviews, thirty-fifth
    session)."""
    stem = re.escape(singular(term))
    return bool(re.match(rf"(?:[^\n]{{0,40}}?\b[Tt]erm\s+)?[\"“‘']?{stem}(?:s|es)?[\"”’']?"
                         rf"(?:\s*\([^)\n]{{1,16}}\))?\s*\|?\s*{_DEFINING_WORDS}", line, re.I))  # fmt: skip


# a definition that points elsewhere ("has the meaning given in section 120"): it defines less
# than the provision it points to
POINTER = re.compile(
    r"\b(?:has|have)\s+the\s+meaning\s+(?:given|assigned|set\s+out)|\bas\s+defined\s+in\b", re.I
)
