"""A plain first line for an extractive answer, and citations that bear on the question.

The first line states the finding in one short sentence made only of words and figures of
the cited quotes: the figure asked for, the permission names, or the shortest clause of the lead
quote that carries the question's terms, opened by "Yes"/"No" only when that clause's modal and
polarity answer the question's own modal, verb and terms directly (``verdict``). A quote with
instruction-like text (the verifier's injection detector) is never the finding. Citations
whose quote and rule share no content word with the question are left out (never the first).
Nothing here can invent a fact: every word after the lead is a verbatim slice of a quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assistant.answer.answerability import (
    ACCEPTS,
    YEAR,
    against_bound,
    asked_cues,
    asked_firms,
    asked_kinds,
    asks_deadline,
    asks_for_date,
    asks_when,
    facets,
    figure_label,
    firm_mentions,
    for_another_firm,
    for_another_label,
    for_firm,
    frequency_of,
    has_family,
    is_gap_statement,
    measures_another,
    national_law_excluded,
    outlabelled,
    regime_words,
)
from assistant.answer.prompts import NOT_A_RULE
from assistant.answer.types import Citation
from assistant.answer.verify import _INJECTION
from assistant.language.firms import first_named_firm, named_firms, qualified_for, subject_of
from assistant.language.quantities import (
    AT_MOST,
    Quantity,
    amount_role,
    bounded_figures,
    cycle_named,
    cycles,
    figures,
    frequencies,
    number,
    numbers,
    parse,
)
from assistant.language.tables import (
    is_row,
    item_named,
    label_named,
    label_share,
    numbered_labels,
    row_figures,
    row_label,
)
from assistant.language.text import (
    BACK_PRONOUN,
    LIST_ITEM,
    closed_terms,
    defined_term,
    defining_line,
    function_terms,
    is_exception_sentence,
    is_list_stem,
    list_item_spans,
    marker_styles,
    next_letter,
    sentence_spans,
)
from ingest.chunker import GUIDANCE_LABEL
from ingest.refs import NUMBER_PREFIX, SAYS_RULE, find_refs

if TYPE_CHECKING:
    from assistant.answer.extractive import Extract

MAX_WORDS = 28
EXCEPTION_WORDS = 12  # more words for a line that keeps its exception
# A question that asks which permission, licence or activity: the permission word is what the
# wh-word asks for ("Which permissions does a custodian need?", "What licence does a crypto
# exchange need?"), not a word of its setting ("What is the fee for a firm seeking permission to
# ...", "How should a firm document its Spot Commodity activities?").
PERMISSION_Q = re.compile(
    r"^\s*(?:which|what)\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:permissions?|licen[cs]es?|authori[sz]ations?|activit(?:y|ies))\b",
    re.I,
)
# A permission name as AFSA writes it: a capitalised gerund phrase ("Operating a Digital Asset
# Trading Facility", "Providing Custody", "Dealing in Investments as Principal").
PERMISSION = re.compile(
    r"\b[A-Z][a-z]+ing\b(?:\s+(?:a|an|the|of|in|for|on|as|and|[A-Z][\w()-]*)\b){0,8}"
)
# The words before a capitalised gerund that make it part of a longer name: a capitalised word
# (not the sentence's first) and "to", "of" or "for" ("Admission to Trading Rules", "Code of
# Dealing Practice", "Rules for Operating Facilities"), a document's name, not a permission;
# except after the words that introduce a permission's name ("Regulated Activity of Providing
# Custody", "Permission for Arranging Custody", two reviews, 2026-12-04).
_INSIDE_TITLE = re.compile(
    r"(?<![.:;]\s)(?<!^)\b(?!(?:Activity|Activities|Permissions?|Licen[cs]es?|Authori[sz]ations?)\b)"
    r"[A-Z][a-z]+\s+(?:to|of|for)\s+$"
)
# A capitalised word right before a capitalised gerund, not the sentence's first nor a label
# ("(a) Dealing ...", "1. Dealing ..."): the gerund is inside a longer name
_NAME_BEFORE = re.compile(
    r"(?<![.:;]\s)(?<!^)(?<![\w(])(?!(?:Activity|Activities)\b)[A-Z][a-z]+\s+$"
)
_CAPITALISED_RUN_END = re.compile(r"(?:\b[A-Z][\w-]*\s+)+$")
_RUN_DETERMINER = re.compile(r"\b(?:a|an|the|any|each|every|such|that|this)\s+$", re.I)


def _inside_name(before: str) -> bool:
    """Whether a capitalised gerund after ``before`` is inside a longer name ("Money
    Laundering Reporting Officer"): a capitalised word right before it, in a run of such words
    no determiner opens; after a noun phrase a determiner opens, the gerund phrase is a
    permission's name that qualifies it ("an Authorised Person Providing Custody", a review)."""
    if not _NAME_BEFORE.search(before):
        return False
    run = _CAPITALISED_RUN_END.search(before)
    if run is None:
        return True
    # (the determiner before the run, or opening it as a sentence's first word: "An Authorised
    # Person Providing Custody ...")
    opened = _RUN_DETERMINER.search(before[: run.start()]) or _RUN_DETERMINER.match(
        run.group(0).split(" ", 1)[0] + " "
    )
    return not opened


# A sentence may open with a gerund, capitalised as any first word is: a gerund clause, not a
# permission's name, where it goes on with a preposition of its own ("Providing Digital Assets to
# an Authorised Firm as Collateral is an exception.", a custodian's trial: "Which permission
# covers safeguarding ...?" got "Providing Digital Assets"); a name goes on with a verb
# ("Operating a DATF is a Regulated Activity") or ends ("(e) Providing Custody;").
# (only "to", the gerund's recipient: "Providing Custody with respect to Digital Assets" and
# "Operating a DATF without a Licence is an offence" keep their names, a review; nor is a list
# item, "(a) Providing Custody ...", a sentence's opening)
_CLAUSE_PREP = frozenset(["to"])
_SENTENCE_OPEN = re.compile(r"(?:^|[.;:!?]\s+|\n\s*)$")


def _gerund_clause(quote: str, m: re.Match[str]) -> bool:
    nxt = re.match(r"\s*([a-z]+)\b", quote[m.end() :])
    return bool(nxt and nxt.group(1) in _CLAUSE_PREP and _SENTENCE_OPEN.search(quote[: m.start()]))


# A full stop ends a clause unless it closes an abbreviation of one capital and at most one small
# letter ("No. (20) of 2018", "J. Smith"); longer ones ("Art. 6") still end one, and so does a
# one-letter name at a sentence's end ("Schedule A."), which is rare in a quote's first line.
# (a full stop the source wrote without its space between two words, "... risk exposures.Certain
# functions ... may be delegated", ends one too: a guidance's title glued to its paragraph's first
# sentence filled the line, a fund COO's trial on the climate-risk guidance, thirty-fifth session)
_CLAUSE_END = re.compile(
    r"\n+|[;:]\s+|(?<!\b[A-Z])(?<!\b[A-Z][a-z])\.\s+|(?<=[a-z]{3})\.(?=[A-Z][a-z]{2})"
    r"|,\s+(?=(?:and|or|but|which|who|where|unless|if)\b)"
)
_CITE = re.compile(r'" \[(\d+)\]')
# The words that open a clause _CLAUSE_END splits off after a comma: such a clause goes on from
# the one before it.
_CONTINUES = re.compile(r"(?:and|or|but|which|who|where|unless|if)\b")
_EXCEPTION = re.compile(r"\b(?:unless|except|other\s+than|save\s+where)\b", re.I)
_MODAL_OR_NOT = re.compile(r"\b(?:must|shall|may|should|cannot|not|never|no)\b", re.I)
_MODAL_ONLY = re.compile(r"\b(?:must|shall|may|should|cannot)\b", re.I)  # a subject may hold "not"


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


# Words that cannot end a clause (closed classes: modals, auxiliaries, prepositions, conjunctions,
# articles): a comma aside that interrupts a verb phrase ("must, if requested by the Client,
# provide ..."; "apply to, and be authorised by, the FSRA") does not end the clause before it.
_DANGLING = frozenset(["must", "shall", "may", "should", "can", "could", "will", "would", "might",
                       "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
                       "do", "does", "to", "of", "in", "on", "at", "by", "for", "with", "from",
                       "into", "under", "over", "about", "than", "as", "between", "against",
                       "within", "without", "through", "upon", "and", "or", "but", "nor", "a",
                       "an", "the", "that", "which", "who", "whom", "whose", "not"])  # fmt: skip


def _clauses(quote: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    # no clause ends inside a pair of parentheses ("(secondary source: a Kazakh law firm)" is an
    # aside); an unclosed "(" or a stray ")" pairs with nothing and shelters nothing
    opened, pairs = [], []
    for i, ch in enumerate(quote):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            pairs.append((opened.pop(), i))
    for m in _CLAUSE_END.finditer(quote):
        if "\n" not in m.group() and any(a < m.start() < b for a, b in pairs):
            continue
        spans.append((start, m.start(), m.group()))
        start = m.end()
    spans.append((start, len(quote), ""))
    out: list[tuple[int, int]] = []
    joined = False  # the last span ended on a word that cannot end a clause, at a comma
    for a, b, sep in spans:
        if not quote[a:b].strip():
            continue
        if joined and out:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
        last = re.findall(r"[A-Za-z]+", quote[a:b])
        joined = sep.startswith(",") and bool(last) and last[-1].lower() in _DANGLING
    return out


# Words that join the parts of a proper name ("United Nations Security Council", "Bank of
# England", "Financial Action Task Force"); an article left at a cut dangles.
_NAME_JOIN = frozenset({"of", "and", "for", "the", "on", "in"})
_ARTICLE = frozenset({"a", "an", "the"})


def _capital(word: str) -> bool:
    return word[:1].isupper()


def _closes(word: str) -> bool:
    return bool(re.search(r"[,.;:)]$", word))


def _in_name(words: Sequence[str], i: int) -> bool:
    """Whether ``words[i]`` is part of a capitalised name: capitalised itself, or a joining word
    between capitalised ones ("Bank of England")."""
    if _capital(words[i]):
        return True
    return (
        words[i].lower() in _NAME_JOIN
        and 0 < i < len(words) - 1
        and _capital(words[i - 1])
        and _capital(words[i + 1])
    )


def _safe_end(words: Sequence[str], k: int, slack: int = 6, whole: bool = True,
              floor: int = 0) -> int:  # fmt: skip
    """A cut after ``k`` words that splits no capitalised name and leaves no article dangling.

    Inside a name ("... comply with United | Nations Security Council resolutions") the cut moves
    to the name's end when that is at most ``slack`` words on, else back to before the name if
    that keeps half the words; the sentence's own first word never counts as a name's start.
    ``whole=False``: the cut must leave some words out (a trimmed quote that grew back to the
    whole quote would be the card's quote again). ``floor``: where the line starts in ``words``.
    Trailing articles are dropped."""
    inside = 0 < k < len(words) and not _closes(words[k - 1])
    if inside and _in_name(words, k - 1) and _in_name(words, k):
        end = k
        while end < len(words) and _in_name(words, end):
            end += 1
            if _closes(words[end - 1]):
                break
        start = k - 1
        while (
            start > max(1, floor) and _in_name(words, start - 1) and not _closes(words[start - 1])
        ):
            start -= 1
        if end - k <= slack and (whole or end < len(words)):
            k = end
        elif start - floor >= (k - floor) // 2 and start > floor:  # keeps half its words
            k = start
    while k > floor + 1 and words[k - 1].lower() in _ARTICLE:
        k -= 1
    return k


def _exception_after_rule(text: str) -> bool:
    """Whether an exception follows the rule's modal after a comma ("must stop ..., unless the
    client passes ..."); an aside before it (", other than a Representative Office, must") is
    another matter."""
    modal = _MODAL_OR_NOT.search(text)
    exc = re.search(r",\s*" + _EXCEPTION.pattern, text, re.I)
    return bool(modal and exc and exc.start() > modal.start())


def _trim(text: str, focus: int | None = None) -> str:
    """At most MAX_WORDS words of ``text``, around ``focus`` (a character offset) if given; a
    clause with an exception (", unless ...") may run EXCEPTION_WORDS more, so that the line
    keeps its subject as well as its exception."""
    words = list(re.finditer(r"\S+", text))
    limit = MAX_WORDS + (EXCEPTION_WORDS if _exception_after_rule(text) else 0)
    if len(words) <= limit:
        return text.strip()
    centre = 0
    if focus is not None:
        centre = next((i for i, w in enumerate(words) if w.end() > focus), 0)
    lo = max(0, min(centre - limit // 3, len(words) - limit))
    modal = _MODAL_ONLY.search(text)
    # a cut before the sentence's modal falls in its subject: "…Assets (Part 4) must hold
    # capital of at least USD 200,000" hid "A firm Providing Money Services in relation to
    # Digital", whose figure it is (a citation audit, twenty-fifth session); the line starts at
    # the subject where the figure and what follows it (a third of the line) still fit
    # ("80% of its…" lost "audited annual net income" with two words kept, a review)
    if (
        lo > 0
        and modal is not None
        and centre + limit // 3 < limit
        and lo <= next((i for i, w in enumerate(words) if w.end() > modal.start()), 0)
    ):
        lo = 0
    hi = _safe_end([w.group() for w in words], lo + limit, whole=False, floor=lo)
    if lo > 0 and (at := _exclusion_at(text, words, lo)) is not None:
        # an exclusion in the last words cut off, or across the cut ("A REIT other than | a
        # Qualified Investor Fund may borrow ... 65%", "other than a Qualified | Investor
        # Fund ..."): the line starts at what it excludes from, up to four words before it
        # within its clause, not after it (it said the opposite of the rule); and it still
        # ends where it did, so the figure stays (a second review)
        lo = at
        while lo > 0 and at - lo < 4 and not re.search(r"[.;:,)\]]$", words[lo - 1].group()):
            lo -= 1
        hi = max(hi, _safe_end([w.group() for w in words], lo + limit, whole=False, floor=lo))
    out = text[words[lo].start() : words[hi - 1].end()]
    return ("…" if lo else "") + out + ("…" if hi < len(words) else "")


# A question that asks two things: a second question coordinated after the first ("Who does it
# go to, and does the AFSA need to be told?", "Who receives it and must the AFSA be notified?").
# "What does AML 13.1.2 say?", "What does DAA 3.2 require?": the rule's text is asked for
# "the FIU or the AFSA", "afsa or afm": the two words a question asks between; they count where
# the quote writes them as names (capitalised: a body or a person; "fundraising activities or
# ..." is no choice between two answers)
_ALTERNATIVES = re.compile(r"\b([\w-]+)\s+or\s+(?:the\s+|a\s+|an\s+)?([\w-]+)", re.I)
_TWO_PART = re.compile(
    r"\band\s+(?:(?:is|are|was|were|does|do|did|must|can|could|should|shall|will|would|may|"
    r"has|have|need|needs)\s+(?:the|a|an|we|it|they|our|this|i)\b|(?:who|what|when|where|which|"
    r"how|whom)\b)",
    re.I,
)


# a clause that is only a paragraph's number ("14.3.5.Guidance.5.", "3.", "2.1.4")
# (one reading of each digit: "(?:\d[A-Z]?\.?)+" backtracked exponentially on a long run of
# digits, 4 s at 28, a read-through)
# (also a label lettered within its part, "7.A.1.", or a lettered part's, "B.8.", and a
# statute's with its Part, "Part 19.Chapter 1.225.": "7.A.1. [1]" led the fine asked of it, a
# paralegal's trial, thirty-second session)
_LABEL_ONLY = re.compile(
    r"^\s*(?:(?:PART|Part)\s+\d{1,2}\.(?:(?:Chapter|Part)\s+)?(?:\d{1,3}\.)*)?(?:[A-Z]\.)?"
    r"\d{1,3}[A-Z]?(?:\.(?:\d{1,3}[A-Z]?|[A-Z]))*\.?(?:\(\w{1,4}\)\.?)*(?:Guidance\.?(?:\d{1,3}\.?)?)?\s*$"
)


def _sentence_of(quote: str, span: tuple[int, int]) -> str:
    """The sentence of ``quote`` that holds ``span``."""
    return next((quote[a:b] for a, b in sentence_spans(quote) if a <= span[0] < b), quote)


def _item_line(quote: str, span: tuple[int, int]) -> str:
    """The list item (its line, opening with a marker) that holds ``span``; "" where it is in
    none."""
    a = quote.rfind("\n", 0, span[0]) + 1
    b = quote.find("\n", span[1])
    line = quote[a : b if b >= 0 else len(quote)]
    return line if marker_styles(line) else ""


def _best_clause(quote: str, q_terms: set[str], tokenize: Callable[[str], list[str]],
                 must: tuple[int, int] | None = None,
                 idf: Callable[[str], float] | None = None,
                 two_part: bool = False, who: bool = False,
                 alternatives: frozenset[str] = frozenset(),
                 bounds: Mapping[Any, str] | None = None) -> tuple[str, int | None, bool]:  # fmt: skip
    """The clause of ``quote`` that carries most question terms (or contains ``must``), the
    offset of ``must`` in it, and whether the quote goes on with a colon (the clause introduces a
    list: "from the latest of: ..."). With ``idf`` (the index's corpus IDF) each term counts by
    its rarity: of two clauses that carry two question terms each, the one with the terms the
    corpus rarely uses ("legal tender") says more about the question than the one with its
    common ones ("digital asset"). ``two_part``: the question asks two things, and a clause
    coordinated after the best one that names the other is part of the answer; ``who``: the
    question asks who, and a relative "who ..." clause after the best one is part of it;
    ``alternatives``: the terms of what the question asks between ("the FIU or the AFSA")."""
    from assistant.answer.extractive import bare_heading

    best, best_score = (0, len(quote)), (False, -1.0)
    spans = _clauses(quote)
    for a, b in spans:
        if must and not (a <= must[0] and must[1] <= b):
            continue
        if _LABEL_ONLY.match(quote[a:b]) or GUIDANCE_LABEL.fullmatch(quote[a:b].strip()):
            continue  # a paragraph's label ("14.3.5.Guidance.5.") states nothing
        if quote[b : b + 1] == "." and quote[b + 1 : b + 2].isupper():
            continue  # nor a title glued to its paragraph ("Principle 1 – Oversight ... exposures.")
        if len(spans) > 1 and bare_heading(quote, a, b):
            continue  # nor a heading on its own line ("Data protection obligations for ...")
        terms = _content(tokenize, quote[a:b])
        # ``bounds``: the question's figures with a direction ("below USD 1000"); a clause on the
        # other side of the same figure ("USD 1,000 or more") comes after every other
        opposed = bool(bounds) and any(
            (bounds or {}).get(k) not in (None, d) for k, d in bounded_figures(quote[a:b]).items()
        )
        score = (not opposed, sum(idf(t) if idf else 1.0 for t in terms & q_terms))
        if score > best_score:  # ties: the earliest clause
            best, best_score = (a, b), score
    a, b = best
    # A clause that goes on from a rule's modal or negation ("..., unless the bank is authorised
    # ...", after "A Firm must not hold Client Money with a bank") is read with it: alone it
    # would read as a permission.
    k = spans.index(best) if best in spans else -1
    if (
        k > 0
        and _CONTINUES.match(quote[a:b].lstrip())
        and _MODAL_OR_NOT.search(quote[spans[k - 1][0] : spans[k - 1][1]])
    ):
        a = spans[k - 1][0]
    # An exception after it ("... more than USD 1,000 per calendar month, unless the client
    # passes a knowledge test ...") is part of the rule: the line is not cut before it (a
    # founder's trial read the line without it as a flat prohibition).
    # (only after a comma: an exception that opens the next sentence belongs to that one)
    # So is a contrast ("Certain functions ... may be delegated, but, as with other risks, the
    # board is ultimately responsible ...": the line "... may be delegated." read as a plain
    # permission, a fund COO's trial on the climate-risk guidance, thirty-fifth session).
    if (
        0 <= k < len(spans) - 1
        and "," in quote[b : spans[k + 1][0]]
        and re.match(r"\s*(?:" + _EXCEPTION.pattern + r"|but\b)", quote[spans[k + 1][0] :], re.I)
    ):
        b = spans[k + 1][1]
    # A clause coordinated after it ("..., file the STR with the FIU, and promptly notify the
    # AFSA") that names question terms the clause does not is the rest of the answer.
    # So is one that names one of the alternatives the question asks between ("the FIU or the
    # AFSA?" was answered "... file the STR with the FIU." without "and promptly notify the
    # AFSA", a founder's trial, eighteenth session). (Tried: any question word the clause does
    # not name; 33 of 851 ADGM first lines grew a clause that did not answer, so not kept.)
    if 0 <= k < len(spans) - 1 and q_terms:
        na, nb = spans[k + 1]
        nxt = quote[na:nb]
        new = (_content(tokenize, nxt) & q_terms) - _content(tokenize, quote[a:b])
        closed = closed_terms(tokenize)
        # a "who" question is answered by the relative clause that says who ("... appoint an
        # MLRO, who must be a Director, Partner, ...")
        # (a name the quote writes with a capital, however the question writes it: "afsa or afm")
        names = {t for w in re.findall(r"\b[A-Z][\w-]*", nxt) for t in tokenize(w)}
        named = two_part or bool((new - closed) & alternatives & names)
        if (named and re.match(r"\s*and\b", nxt, re.I) and new - closed) or (
            who and re.match(r"\s*who(?:m|se)?\b", nxt, re.I)
        ):
            b = nb
            if must is None:  # a shortened line keeps the part that answers the rest
                must = (na, na)
    # the colon ends the clause ("... to:" at the end of the quote) or breaks it from the list
    opens_list = is_list_stem(quote[a:b].rstrip(" ,;")) or quote[b:].lstrip().startswith(":")
    typed = re.search(r"[ \t]+-$", quote[a:b].rstrip(" ,;"))
    if opens_list and typed:  # "... read as follows -": the hyphen is the colon
        b = a + typed.start()
    return quote[a:b].strip(" ,;:—–"), (must[0] - a if must else None), opens_list


# Asides that limit nothing: discourse markers and examples. Every other comma aside may be an
# exception, a condition or a bound ("other than a Representative Office", "apart from ...",
# "in the case of a Branch", "with the prior approval of the Regulator") and is part of the rule.
_HARMLESS_ASIDE = re.compile(
    r"^\s*(?:for\s+(?:his|her|its|their)\s+part|however|moreover|furthermore|therefore|thus|"
    r"accordingly|consequently|in\s+particular|in\s+practice|in\s+addition|additionally|also|"
    r"for\s+example|for\s+instance|e\.g\.?|i\.e\.?|as\s+noted\s+above|as\s+such|of\s+course|"
    r"in\s+turn|likewise|similarly)\s*$",
    re.IGNORECASE,
)


STEM_WORDS = 14


def _item_end(text: str) -> str:
    """``text`` without the "; and" / "; or" and the punctuation that close a list item (no
    regex: a long run of separators would make one quadratic)."""
    text = text.rstrip(" \t\n,;:.")
    for word in ("and", "or"):
        cut = len(text) - len(word)
        if cut > 0 and text[cut:].lower() == word and text[cut - 1] in " \t\n,;:":
            return text[:cut].rstrip(" \t\n,;:.")
    return text


def _marker(text: str) -> str:
    """The style of a list marker: "1" for (1), "a" for (a), "A" for (A), "" for none."""
    m = re.match(r"\s*(?:…\s*)?\(?([a-z]{1,2}|[ivxl]{1,5}|\d{1,2}|[A-Z])\)", text, re.I)
    if not m:
        return ""
    x = m.group(1)
    return "1" if x.isdigit() else ("A" if x.isupper() else "a")


def _list_colon(line: str, marked: bool = True) -> int:
    """Where the colon that opens an inline list is in ``line``: the first one outside brackets
    followed by a list item (``marked``: an item with its marker, "(a) ..."; else the first one
    outside brackets); -1 when there is none."""
    depth = 0
    for i, ch in enumerate(line):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif (
            ch == ":"
            and depth == 0
            and (not marked or LIST_ITEM.match(line[i + 1 :].lstrip() + " "))
        ):
            return i
    return -1


def _with_stem(line: str, clause: str, quote: str) -> str:
    """``line`` (the shown form of ``clause``, a list item) after the stem that opens its list in
    ``quote`` ("The customer risk assessment in (1) must be completed: (a) prior to establishing
    ..."); an item alone does not say what it is an item of. The stem is the line ending with a
    colon or dash before the item with only items between ("… (c) ..." marks them), not an item
    of the same style (a sibling: "(1) ... must: ... (2) ..."). A long stem keeps its head (the
    subject and modal) and its tail, STEM_WORDS words in all."""
    if not marker_styles(clause):  # (a bulleted item too: "• Market surveillance;")
        return _semicolon_stem(line, clause, quote)
    at = quote.find(clause)
    if at <= 0:
        return line
    lines = quote[:at].rstrip().split("\n")
    k = len(lines) - 1
    # a list written inline, its items in the stem's own line ("The DAA applies to these
    # Regulated Activities ...: (a) ...; (h) Arranging Deals ..."): the stem is that line up to
    # its colon (a consultant's browser trial got "(h) Arranging Deals in Investments; (i) ..."
    # alone as the first line, twenty-second session)
    # (the colon that opens the list: outside brackets, followed by its first item, not one in
    # an earlier item's "(for example: (i) ...)"; and no sentence ends between it and the item,
    # "... (b) half on grant. (2) A firm that withdraws ..." being no item of that list: a review)
    inline = _list_colon(lines[k])
    after = lines[k][inline + 1 :].strip() if inline > 0 else ""
    if (inline > 0 and not LIST_ITEM.match(lines[k]) and (not after or LIST_ITEM.match(after))
            and not re.search(r"[.!?](?:\s|$)", after)):  # fmt: skip
        lines = [*lines[:k], lines[k][: inline + 1]] + ([after] if after else [])
        k = len(lines) - 1
    while k >= 0 and marker_styles(lines[k]) and not is_list_stem(lines[k]):
        k -= 1  # an earlier item of the same list
    if k < 0 or not is_list_stem(lines[k]):
        return line
    stem = lines[k].strip()
    stem = stem[max(stem.rfind(". "), stem.rfind("; ")) + 1 :].strip()  # its last sentence
    if not stem or _sibling(stem, clause) or len(stem.split()) < 3:
        return line
    stem = _short_stem(stem, STEM_WORDS)
    gap = k < len(lines) - 1 or line.startswith("…")  # words left out
    return " ".join(f"{stem} {'… ' if gap else ''}{line.lstrip('…')}".split())


def _sibling(stem: str, clause: str) -> bool:
    """Whether the list item ``clause`` is of the same list as ``stem``, itself an item ("(1) ...
    must:" and "(2) ..."), not an item of the list ``stem`` opens: "(i)" under "(b) records ...
    including:" is a numeral of a nested list (it was read as a letter after "(b)" and the line
    lost its stem, twenty-seventh session), a letter only right after "(h)"."""
    a, b = marker_styles(stem), marker_styles(clause)
    if not a & b:
        return False
    if b == {"lower", "roman"} and a == {"lower"}:
        mark = re.match(r"\W*\(?([a-z])\)", stem, re.I)
        own = re.match(r"\W*\(?([a-z])\)", clause, re.I)
        if mark is None or own is None:
            return True
        return next_letter(mark.group(1), own.group(1))
    return True


STEM_TAIL = 5  # words of a long stem's end kept after its opening clause


def _short_stem(stem: str, most: int) -> str:
    """A stem of more than ``most`` words as its head and tail, STEM_WORDS words in all; or, where
    it opens with a clause that ends with a comma after more than STEM_WORDS // 2 and within
    ``2 * most`` words (its rule number aside), that whole clause and its last STEM_TAIL words:
    the opening clause says to whom the list applies ("For the purposes of an Authorised Person
    that conducts a Regulated Activity in relation to Virtual Assets which holds or controls
    Client Money, ... shall be read as follows:" lost "Virtual Assets" at seven words, a citation
    audit, twenty-fifth session)."""
    words = stem.split()
    if len(words) <= most:
        return stem
    number = 1 if re.fullmatch(r"\d+(?:\.\d+)+\.?", words[0]) else 0
    opening = next((i for i, w in enumerate(words) if w.endswith(",")), None)
    # (an opening clause no longer than the head it replaces keeps the head: "Subject to (2), an
    # Authorised Person which ..." lost its subject as "Subject to (2) … must maintain:", a review)
    if opening is not None and STEM_WORDS // 2 < opening + 1 - number <= 2 * most:
        return (" ".join(words[number : opening + 1]).rstrip(",") + " … "
                + " ".join(words[-STEM_TAIL:]))  # fmt: skip
    head = STEM_WORDS // 2
    return " ".join(words[:head]) + " … " + " ".join(words[-(STEM_WORDS - head) :])


def _semicolon_stem(line: str, clause: str, quote: str) -> str:
    """``line`` after the stem of the inline list ``clause`` is an item of, where the items have
    no markers and are parted by semicolons ("For comparison only (weak secondary source citing
    PRU(INV) Table 3.3 ...): Dealing ... USD 500,000; ...; Providing Custody USD 500,000; ...";
    "A secondary note on FEES ... reports: Operating a DATF application USD 98,000; ..."): the
    item alone hid that its figure is a comparison or a secondary source's (a custodian's trial,
    twenty-third session). The stem is the sentence up to the list's colon; only where the
    clause is an item of that list (the items before it, if any, end with a semicolon)."""
    at = quote.find(clause)
    if at <= 0:
        return line
    start = max((a for a, _ in sentence_spans(quote) if a <= at), default=0)
    start = max(start, quote.rfind("\n", 0, at) + 1)
    before = quote[start:at]
    colon = _list_colon(before, marked=False)
    if colon <= 0:
        return line
    items = before[colon + 1 :].strip()
    after = quote[at + len(clause) :].lstrip()
    if items and not items.endswith(";"):
        return line  # not an item of the list: a clause in one of its items
    if not items and not after.startswith(";"):
        return line  # a single item, or a list not parted by semicolons
    stem = before[:colon].strip()
    if len(stem.split()) < 3:
        return line
    # (kept whole up to twice STEM_WORDS: a stem cut short read "For a transfer of USD 1,000
    # or … by a natural person", its "or more" lost, a measurement on the founders' set)
    short = _short_stem(stem, 2 * STEM_WORDS)
    return " ".join(f"{short}: {'… ' if items else ''}{line.lstrip('…')}".split())


_ITEM_MARK = re.compile(r"(?:[a-z]{1,2}|[ivxlc]{1,5}|\d{1,2})[.)](?:\s|$)|[•▪◦\-–*]\s", re.I)
_INLINE_REST = re.compile(r"\s*[:—–]\s*(?P<rest>[^\n]+?)\.?\s*(?:\n|$)")


def _currency_in(text: str) -> bool:
    """Whether ``text`` holds a figure or a currency code (ISO 4217)."""
    from assistant.language.quantities import currency_codes

    codes = currency_codes()
    return bool(re.search(r"\d", text)) or any(
        w in codes for w in re.findall(r"\b[A-Z]{3}\b", text)
    )


def _exception_after(quote: str, clause: str) -> str | None:
    """The sentence right after ``clause``'s in ``quote`` when it makes an exception to it."""
    at = quote.find(clause)
    if at < 0:
        return None
    spans = sentence_spans(quote)
    k = next((i for i, (a, b) in enumerate(spans) if a <= at < b), None)
    if k is None or k + 1 >= len(spans):
        return None
    nxt = quote[spans[k + 1][0] : spans[k + 1][1]].strip()
    return nxt if is_exception_sentence(nxt) else None


# "It must never be used in high-risk scenarios": a sentence that goes on about the same subject
_SAME_SUBJECT = re.compile(
    r"^(?:It|They|This|These)\s+(?:must|may|shall|should|can|cannot|"
    r"need|needs|is|are)\b"
)


def _goes_on(quote: str, clause: str, q_terms: set[str],
             tokenize: Callable[[str], list[str]]) -> str | None:  # fmt: skip
    """The sentence right after ``clause``'s in ``quote`` when it goes on about the same subject
    by a pronoun and names question words the clause does not: "Can we apply simplified due
    diligence to high-risk customers?" got only "Simplified due diligence may be applied to a
    low-risk customer only where ..." without "It must never be used in high-risk scenarios ..."
    (a consultant's questionnaire, eighteenth session)."""
    at = quote.find(clause)
    if at < 0:
        return None
    spans = sentence_spans(quote)
    k = next((i for i, (a, b) in enumerate(spans) if a <= at < b), None)
    if k is None or k + 1 >= len(spans) or quote[at + len(clause) : spans[k][1]].strip(" .;"):
        return None  # the clause does not end its sentence
    nxt = quote[spans[k + 1][0] : spans[k + 1][1]].strip()
    function = function_terms(tokenize)
    new = (_content(tokenize, nxt) & q_terms) - _content(tokenize, clause) - function
    if not _SAME_SUBJECT.match(nxt) or not new or len(nxt.split()) > MAX_WORDS:
        return None
    return nxt


def _subject_firms(text: str, at: int) -> set[str]:
    """The firm types the subject of the sentence of ``text`` holding offset ``at`` names: by the
    permission names ("a DASP Dealing ... must"), else by the first firm type an alias for its
    words stands for ("A crypto exchange typically needs ..." is a DATF operator's)."""
    from assistant.search.aliases import ALIASES

    span = next(((a, b) for a, b in sentence_spans(text) if a <= at < b), None)
    if span is None:
        return set()
    sentence = text[span[0] : span[1]]
    found = qualified_for(sentence)
    if found:
        return found
    subject = subject_of(sentence) or sentence
    return {f for al in ALIASES if al.pattern.search(subject)
            for f in [first_named_firm(al.adds)] if f}  # fmt: skip


def _inline_list(quote: str, clause: str) -> str | None:
    """``clause`` with the list it opens on the same line ("... two permissions: Operating a DATF
    and Providing Custody"), when the whole runs to no more than MAX_WORDS + EXCEPTION_WORDS
    words; None when the list is set out on lines of its own or runs longer."""
    at = quote.find(clause)
    if at < 0:
        return None
    # the run-on ends where the sentence ends (sentence_spans knows "No." and "e.g."; a full stop
    # after them cut "a regulatory business plan, e.g." short, a review 2026-12-04)
    end = next((b for a, b in sentence_spans(quote) if a <= at + len(clause) < b), len(quote))
    m = _INLINE_REST.match(quote[:end], at + len(clause))
    # a list of items of its own ("a. ...", "i. ...", "• ..."), or a run-on of a word or two, is
    # not a list run on in the sentence
    if m is None or LIST_ITEM.match(m.group("rest")) or _ITEM_MARK.match(m.group("rest")):
        return None
    if len(m.group("rest").split()) < 3:
        return None
    head, items = clause.rstrip(" :"), m.group("rest").strip()
    room = MAX_WORDS + EXCEPTION_WORDS - len(head.split())
    if room < 4:
        return None
    if len(items.split()) > room:
        # a long list: its first items, whole, up to the room left ("the originator's name; the
        # originator's wallet address or account …")
        parts = re.split(r"(?<=[;,])\s+", items)
        kept: list[str] = []
        for part in parts:
            if len(" ".join([*kept, part]).split()) > room:
                break
            kept.append(part)
        if not kept:
            return None
        items = " ".join(kept).rstrip(" ;,") + " …"
    return f"{head}: {items}"


def _best_item(quote: str, stem: str, q_terms: set[str], tokenize: Callable[[str], list[str]],
               idf: Callable[[str], float] | None) -> str | None:  # fmt: skip
    """The item of the list that ``stem`` opens in ``quote`` that carries most question terms
    (by ``idf``; ties: the first), or None when no item follows."""
    at = quote.find(stem)
    if at < 0:
        return None
    # an item is its whole line ("(a) any indication that the identity of the customer, or of
    # a beneficial owner, has changed"), not its first comma clause
    lines = re.finditer(r"[^\n]+", quote[at + len(stem) :])
    # (or a bulleted one: "• Market surveillance;")
    items = [_item_end(m.group()) for m in lines if marker_styles(m.group())]
    if not items:
        return None
    weight = [sum(idf(t) if idf else 1.0 for t in _content(tokenize, i) & q_terms) for i in items]
    return items[max(range(len(items)), key=lambda j: (weight[j], -j))]


def _answer_beyond(text: str, end: int, q_terms: set[str],
                   tokenize: Callable[[str], list[str]]) -> int | None:  # fmt: skip
    """Where in ``text`` the first question word stands that only its words after the first
    ``end`` hold (a character offset), or None: a cut there would drop the part that answers
    ("Can the MLRO be a Senior Manager?": "... (MLRO), who must be…" without "... or Senior
    Manager"; "When does the deputy act?": "... must also appoint a deputy MLRO…" without "to
    act when the MLRO is absent", an MLRO's browser trial, twenty-third session)."""
    words = list(re.finditer(r"\S+", text))
    head = set(tokenize(" ".join(w.group() for w in words[:end])))
    for w in words[end:]:
        if set(tokenize(w.group())) & (q_terms - head):
            return w.start()
    return None


# words that, ending the part of a sentence cut off before a line, make what follows their
# exception: "A REIT other than | a Qualified Investor Fund may borrow ... 65%" read "…a Qualified
# Investor Fund may borrow ... 65%" (a fund manager's trial, thirty-seventh session)
_EXCLUDING = (
    r"other\s+than|except(?:\s+for)?|excluding|exclusive\s+of|apart\s+from|unless|without"
    r"|rather\s+than|instead\s+of|not|nor|never|no"
)
_EXCLUDING_END = re.compile(rf"\b(?:{_EXCLUDING}|save(?:\s+for)?|but)\s*[,(]?\s*$", re.I)
# an exclusion anywhere in a few words ("other than", "except", "not" ...; "save" only with "for",
# not the verb)
_EXCLUSION = re.compile(rf"\b(?:{_EXCLUDING}|save\s+for)\b", re.I)


def _exclusion_at(text: str, words: Sequence[re.Match[str]], lo: int, reach: int = 6) -> int | None:
    """The index of the word where an exclusion opens among the ``reach`` words before word
    ``lo`` (a cut there), or running across it ("other | than"); None where there is none."""
    a = words[max(0, lo - reach)].start()
    b = words[min(lo + 1, len(words) - 1)].end()
    cut = words[lo].start()
    for m in _EXCLUSION.finditer(text, a, b):
        if m.start() < cut:
            return next(i for i, w in enumerate(words) if w.end() > m.start())
    return None


def _not_after_exclusion(text: str, start: int) -> int:
    """``start``, or 0 where the words cut off before it end in an exclusion (``_EXCLUDING_END``):
    the line then keeps the sentence whole rather than say the opposite of it."""
    return 0 if start > 0 and _EXCLUDING_END.search(text[:start]) else start


def _shorter_than_quote(text: str, quote: str, focus: int | None = None,
                        q_terms: set[str] | None = None,
                        tokenize: Callable[[str], list[str]] | None = None,
                        figure_asked: bool = False) -> str:  # fmt: skip
    """The finding must not be the card's quote again: when it is the whole quote, drop its
    comma-delimited asides that limit nothing (", for its part,", ", however,"), else keep the
    opening of a long one. Any other aside may state an exception, a condition or a bound
    (", other than a Representative Office,") and stays. A short one-clause quote is its own
    finding and stays whole."""

    def norm(t: str) -> str:
        return " ".join(t.split()).strip(" .")

    if norm(text) != norm(quote):
        return text

    def drop(m: re.Match[str]) -> str:  # only an aside that limits nothing goes
        return " " if _HARMLESS_ASIDE.match(m.group(1)) else m.group(0)

    lean = re.sub(r",\s([^,]{3,80}),\s", drop, text)
    if norm(lean) != norm(quote):
        return lean
    words = text.split()
    if len(words) <= 17:
        return text  # a short quote is its finding
    if _exception_after_rule(text):
        return text  # a rule with its exception is not cut before it, though it repeats the quote
    if focus is not None and 0 < focus < len(text):
        # the part that answers is at ``focus`` (a coordinated or relative clause the question
        # asks about): the line keeps it, from the clause before it
        head = text.rfind(",", 0, focus)
        start = _not_after_exclusion(text, head + 1 if head > 0 else focus)
        return "…" + text[start:].lstrip() if start > 0 else text
    end = _safe_end(words, 14)
    beyond = (_answer_beyond(text, end, q_terms, tokenize)
              if q_terms and tokenize is not None and len(words) <= MAX_WORDS else None)  # fmt: skip
    if beyond is None and figure_asked and len(words) <= MAX_WORDS:
        # a figure or frequency after the cut is the duty's measure: "must provide AML/TFS
        # training for all Employees in accordance with…" lost "at least annually", asked for
        # ("How frequently ...?", a questionnaire trial on the real AML, twenty-ninth session)
        cut_at = len(" ".join(words[:end]))
        beyond = next((q.span[0] for q in [*figures(text), *frequencies(text)]
                       if q.span[0] >= cut_at), None)  # fmt: skip
    if beyond is not None:
        # the line keeps the clause that answers, from its start (a relative "who must be ...",
        # not the last item of its list); a sentence of one clause stays whole
        start = max((a for a, _ in _clauses(text) if a <= beyond), default=0)
        start = _not_after_exclusion(text, start)
        return "…" + text[start:].lstrip() if start > 0 else text
    if len(words) - end <= 5:
        # a cut that leaves out five words or fewer saves nothing and loses the predicate: "The
        # Approved Persons referred to in Rule 5.5.1(1)(a), (c) and (d) must be…" lost
        # "resident in the U.A.E." (a Russian-speaking founder's trial, thirty-ninth session)
        return text
    cut = len(" ".join(words[:end]))
    if len(words) <= MAX_WORDS and any(
        q.span[0] < cut < _phrase_end(text, q.span[1]) for q in figures(text)
    ):
        # the cut would fall in a figure's phrase: "within 2 months after… " lost "the end of
        # its financial year", what the deadline runs from (a browser trial, seventeenth
        # session); a line of at most MAX_WORDS words stays whole
        return text
    return " ".join(words[:end]).rstrip(",;:") + "…"


def _phrase_end(text: str, at: int) -> int:
    """Where the phrase that goes on from a figure ending at ``at`` ends: the clause's end (a
    comma, semicolon, colon or full stop)."""
    m = re.compile(r"[,;:]|\.(?=\s|$)").search(text, at)
    return m.start() if m else len(text)


# what goes on after a clause as another part of the same sentence: ", and ...", "; or ..."
# (or the quote ends there, its passage cut after the conjunction: "Politically Exposed Person
# Means a Natural Person, and" read as a whole definition, "... a Natural Person.", on real
# rulebook text, a compliance head's trial, twenty-fourth session)
# (a list item's own "; and" ends its item, which is whole: "(b) review the CDD information
# ...; and")
_COORDINATED = re.compile(
    r"\s*[,;]\s*(?:and|or)\s+\w|\s*,\s*(?:and|or)\s*$|\s+(?:and|or)(?:\s+\w|\s*$)",
    re.IGNORECASE,
)


# what follows a list item when another item of its list comes next: its closing ";" (", and",
# "; or") and the next line's marker
_MORE_ITEMS = re.compile(r"[ \t]*[;,]?[ \t]*(?:(?:and|or)[ \t]*)?\n", re.I)


def _more_items(quote: str, clause: str) -> bool:
    """Whether ``clause`` is a list item with more items of its list after it in ``quote``: its
    line ends with an ellipsis, not a full stop ("... Rule in the AML Rulebook: (a) a Relevant
    Person." read as the only party the Regulator may act against, twenty-seventh session)."""
    at = quote.find(clause)
    return (
        at >= 0
        and bool(marker_styles(clause))
        and (m := _MORE_ITEMS.match(quote, at + len(clause))) is not None
        # (an item marked "a." or "•" too: "... net of: a. the costs of any capital raising."
        # read as the list's end, a review, thirtieth session)
        and bool(marker_styles(quote[m.end() :]))
    )


def _sentence(text: str, open_end: bool = False) -> str:
    """``text`` as a sentence. ``open_end``: the quote goes on after it with a colon (a list
    follows: "from the latest of: ..."), so it ends with an ellipsis, not a full stop (a text
    already cut short ends with one)."""
    text = text.strip()
    # (not a list item's label: "b) an Offer is directed at ..." read "B)", a letter the
    # source does not have, a tokenisation founder's trial, thirtieth session)
    if text and not text.startswith("…") and not marker_styles(text):
        text = text[0].upper() + text[1:]
    # a line cut inside a parenthesis ("... trading platform operators (KZT 200,000,000") goes on
    open_end = open_end or text.count("(") > text.count(")")
    if open_end and not text.endswith("…"):
        return text.rstrip(" .,;:") + "…"
    return text if text.endswith((".", "…", "?", "!")) else text + "."


# Deontic modals, by what they say: an obligation, a permission, advice. "Is/Are X required to"
# and "permitted/allowed/entitled to" say the same with a participle.
_MODAL_KIND = {"must": "duty", "shall": "duty", "need": "duty", "needs": "duty",
               "required": "duty", "obliged": "duty", "obligated": "duty",
               "may": "leave", "can": "leave", "could": "leave", "might": "leave",
               "permitted": "leave", "allowed": "leave", "entitled": "leave",
               "should": "advice"}  # fmt: skip
_Q_MODAL = re.compile(
    r"^\s*(?:(must|shall|need|needs|may|can|could|might|should)\b"
    r"|(?:is|are)\b(?P<subj>.{1,80}?)\b(required|obliged|obligated|permitted|allowed|entitled)\s+to\b)",
    re.IGNORECASE,
)
# In a clause: a modal (optionally negated) and the verb it governs.
_C_MODAL = re.compile(
    r"\b(?:(cannot)|(must|shall|may|can|should)(\s+not)?"
    r"|(?:is|are)(\s+not)?\s+(required|obliged|obligated|permitted|allowed|entitled)\s+to)"
    r"(?:\s+(only))?\s+([a-z]+)\b",
    re.IGNORECASE,
)
# (question's kind, clause's kind, clause negated) -> the answer it gives directly.
_ANSWERS = {("duty", "duty", False): "Yes", ("duty", "duty", True): "No",
            ("duty", "leave", True): "No", ("leave", "leave", False): "Yes",
            ("leave", "leave", True): "No", ("leave", "duty", True): "No",
            ("advice", "advice", False): "Yes", ("advice", "advice", True): "No"}  # fmt: skip
_NEGATIVE_SUBJECT = re.compile(r"\b(no|not|never|neither|nor|none)\b|n't\b", re.I)


def verdict(question: str, clause: str, tokenize: Callable[[str], list[str]]) -> str | None:
    """ "Yes"/"No" when ``clause`` answers the yes/no ``question`` directly, else None.

    Directly means: the clause's modal and polarity answer the question's own modal ("Must X be
    Y?" by "X must be Y" or "X must not be Y"; "May X do Y?" by "X may do Y", "X may not / must
    not do Y"), the clause's modal governs the question's own verb, and every content word of the
    question (its subject, and its predicate's object: the place, the figure, the person) is in
    the clause, the predicate's after the modal, and so is every number it states ("Must a
    custodian appoint 5 directors?" is not answered Yes by "... must appoint 2 directors").
    Anything else gets no verdict."""
    if not numbers(question) <= numbers(clause):
        return None
    q = _Q_MODAL.match(question)
    if not q:
        return _copula_verdict(question, clause, tokenize)
    q_kind = _MODAL_KIND[(q.group(1) or q.group(3)).lower()]
    for c in _C_MODAL.finditer(clause):
        if c.group(6):  # "may only ... if": a condition, not a plain answer
            return None
        word = (c.group(1) and "can") or c.group(2) or c.group(5)
        c_kind = _MODAL_KIND[word.lower()]
        negated = bool(c.group(1) or c.group(3) or c.group(4))
        opening = clause[: c.start()]
        if _NEGATIVE_SUBJECT.match(opening.strip()):
            negated = not negated  # a negative subject: "No person may ..."
        elif _NEGATIVE_SUBJECT.search(opening):
            return None  # "A firm which is not ... must": a negated condition, no plain answer
        verb = c.group(7).lower()
        after = question[q.end() :]
        v = re.search(rf"\b{re.escape(verb)}\b", after, re.IGNORECASE)
        if not v:
            continue
        subject = (q.group("subj") or "") + " " + after[: v.start()]
        predicate = after[v.end() :]
        if _NEGATIVE_SUBJECT.search(question[q.end() :]):
            return None  # "Must X not ...?": a negated question reads either way
        c_all = set(tokenize(clause))
        c_after = set(tokenize(clause[c.end() :]))
        if not _content(tokenize, subject) <= c_all:
            return None
        if not _content(tokenize, predicate) <= c_after:
            return None
        # "can invest only in the Securities of non listed companies" answers "Can a VC fund
        # invest in listed companies?" by a word it negates: no "Yes" (a fund manager's trial,
        # thirty-third session, got "Yes" from it)
        tail = clause[c.end() :]
        if _negates(tail, predicate, tokenize):
            return None
        # (a leave granted "only" for some end or way is no plain "Yes": "may be exercised only
        # to meet the Resolution Objectives", a review; a duty done "only with the Regulator"
        # is still done)
        if c_kind == "leave" and re.match(r"\s*(?:\S+\s+){0,2}only\b", tail):
            return None
        return _ANSWERS.get((q_kind, c_kind, negated))
    return None


def _negates(clause: str, predicate: str, tokenize: Callable[[str], list[str]]) -> bool:
    """Whether ``clause`` writes a content word of the question's ``predicate`` after "non" or
    "not" ("non listed companies", "non-listed" for "listed companies")."""

    def negated(text: str) -> set[str]:
        return {t for m in re.finditer(r"\b(?:non|not)[\s-]+([A-Za-z]+)", text, re.I)
                for t in tokenize(m.group(1))}  # fmt: skip

    # (also where the question negates the word itself: "must not offer ... to Retail Clients,
    # but may offer them to non-Retail Clients" was read "No" by its first modal, a review; a
    # lost "Yes" is the safer failure)
    return bool(negated(clause) & _content(tokenize, predicate))


# "Is X (a) Y?" answered by "X is (not) (a) Y": the copula of a main clause, not of a relative
# one ("A DASP that is a bank must ..."), nor the opening of a modal ("is required to").
_Q_COPULA = re.compile(r"^\s*(?:is|are)\b", re.I)
_C_COPULA = re.compile(
    r"\b(?:is|are|remains?)\b(?P<neg>\s+(?:not|never)\b)?"
    r"(?!\s+(?:not\s+)?(?:required|obliged|obligated|permitted|allowed|entitled|able)\s+to\b)",
    re.I,
)
_RELATIVE = re.compile(r"\b(?:that|which|who|whom|whose|where|when|if|unless)\b", re.I)
_CONDITIONAL = re.compile(r"\b(?:only|if|unless|provided|except|where|when)\b", re.I)


def _copula_verdict(question: str, clause: str,
                    tokenize: Callable[[str], list[str]]) -> str | None:  # fmt: skip
    """ "Yes"/"No" for "Is X Y?" when ``clause`` says "X is Y" or "X is not Y" directly: every
    content word of the question is in the clause (a word of the same family counting), the
    question's first content word before the clause's copula and its last after it, the copula
    is the clause's main one (no modal, relative pronoun or condition before it, no condition
    after it), and the question is neither negated nor a choice ("Is X Y or Z?")."""
    q = _Q_COPULA.match(question)
    rest = question[q.end() :] if q else ""
    if not q or _NEGATIVE_SUBJECT.search(rest) or re.search(r"\bor\b", rest, re.I):
        return None
    q_words = [t for t in tokenize(rest) if len(t) > 2 and not t.isdigit()]
    if len(q_words) < 2:
        return None
    for c in _C_COPULA.finditer(clause):
        opening, after = clause[: c.start()], clause[c.end() :]
        if (
            _RELATIVE.search(opening)
            or _MODAL_OR_NOT.search(opening)
            or _NEGATIVE_SUBJECT.search(opening)  # "Neither ... nor ... is", "None of ... are"
            or _CONDITIONAL.search(after)
        ):
            return None  # the first main copula decides, or nothing does
        if re.search(r"\bnon-|^\s*(?:necessarily|always|only|just|merely)\b", after, re.I):
            return None  # "is non-refundable", "is not necessarily ...": no plain answer
        before_words = set(tokenize(opening))
        after_words = set(tokenize(after))
        if not before_words:
            return None
        if not all(has_family(t, before_words | after_words) for t in q_words):
            return None
        if not (has_family(q_words[0], before_words) and has_family(q_words[-1], after_words)):
            return None
        if _NEGATIVE_SUBJECT.search(after) and not c.group("neg"):
            return None  # "is a unit that is not ...": a negation further on reads either way
        return "No" if c.group("neg") else "Yes"
    return None


# The figures (quantities.figures kinds) that answer each kind of figure question: the kinds
# answerability.ACCEPTS names, in the shared parser's words (a period is a duration or a
# deadline, a count a number).
_PARSER_KINDS = {"period": {"duration", "deadline"}, "count": {"number"}}
_ANSWERS_KIND = {asked: {k for a in accepted for k in _PARSER_KINDS.get(a, {a})}
                 for asked, accepted in ACCEPTS.items()}  # fmt: skip
# a date is answered by a time limit ("within 2 months after the year end"), not a length ("at
# least six years" of record keeping)
_ANSWERS_KIND["date"] = {"date", "deadline"}
# a question of time: it asks when (``answerability.asks_when``), or names a year, a date ...
_TIME_WORDS = re.compile(r"\b(?:years?|dates?|periods?|since|until|effective|in force)\b", re.I)
# A number that names a provision, not a figure: "paragraphs 113 - 118", "section 140",
# "Law No. 4", "Regulations 2017" (a year after "of" is a year, which leads only a question of
# time; "a maximum of 500" is a figure).
_REFERENCE_BEFORE = re.compile(
    r"\b(?:paragraphs?|paras?\.?|sections?|s\.|rules?|articles?|art\.|clauses?|chapters?|parts?|"
    r"schedules?|appendi(?:x|ces)|pages?|tables?|items?|annex(?:es)?|no\.?|numbers?|regulations?|"
    r"resolutions?|laws?|acts?|codes?)\s*(?:\(?\d+\)?(?:\(\w{1,4}\))*\s*(?:-|–|to|and|,)\s*)?$",
    re.I,
)


_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _reference(quote: str, f: Quantity) -> bool:
    """Whether the bare number ``f`` of ``quote`` names a provision rather than states a figure."""
    # rulebook text puts invisible direction marks around numbers ("section \u200e205\u200e(2)")
    before = _INVISIBLE.sub("", quote[max(0, f.span[0] - 40) : f.span[0]])
    return f.kind == "number" and bool(
        _REFERENCE_BEFORE.search(before) or _ACRONYM_BEFORE.search(before)
    )


# a number just after an acronym is part of a name ("FSMR 2017 Part 3 Rule 31"): "2017" led the
# answer to "When must an extension be applied for?" (a consultant's questionnaire, eighteenth
# session); case-sensitive, so a plain word before a number is not one
# (three letters or more: "FY 2025" and "CY 2025" are years, a review found)
_ACRONYM_BEFORE = re.compile(
    r"(?<![\w-])(?=[A-Za-z()]{3,}\s?$)[A-Z][A-Za-z()]*[A-Z][A-Za-z()]*\s?$"
)


# a period that places an act in time: "2 months before expiry", "30 days after the event";
# "after 2 years", "within 30 days"
_ANCHOR = re.compile(
    r"\s*(?:before|after|prior\s+to|following|from)\s+((?:[\w'’-]+\s*){1,4})", re.I
)
_PLACED_BEFORE = re.compile(r"\b(?:after|within|by|from)\s+(?:a\s+period\s+of\s+)?$", re.I)


# a date from which a rule applies, and a question that asks for one
_SINCE = re.compile(
    r"(?:^|\b)(?:from|since|as\s+of|with\s+effect\s+from|effective)\s+(?:\d{1,2}\s+\w+\s+)?$", re.I
)
_ASKS_SINCE = re.compile(
    r"\b(?:since|from\s+when|effective|in\s+force|take\s+effect|takes\s+effect|start|begin|"
    r"commence|introduced|apply\s+from|applies\s+from)\b",
    re.I,
)


def _stems5(text: str) -> set[str]:
    """Words of five letters or more, by their first five ("expires" and "expiry": "expir")."""
    return {w.lower()[:5] for w in re.findall(r"[A-Za-z]{5,}", text)}


def _when_fits(question: str) -> Callable[[Quantity, str], bool]:
    """What says when: a deadline, a frequency, a year, a threshold from which a duty applies
    ("transactions of USD 15,000 or more"), or a period placed before or after an event that
    is not the one asked about ("an application ... at least 2 months before it expires"
    answers when to apply, not when the licence expires). A period alone ("valid for 2 years")
    says how long: the first line is then the clause that states it, with no figure before it."""
    asked = _stems5(question)

    def fits(f: Quantity, text: str = "") -> bool:
        if f.kind in ("deadline", "frequency"):
            return True
        if f.kind == "amount":
            return amount_role(text, f) == "threshold"
        if f.kind in ("number", "date"):
            if f.kind == "number" and not YEAR.fullmatch(f.text.strip()):
                return False
            # "From 1 January 2024, participants that extend ... pay the full fee" says since
            # when a rule applies: it answers a question about that, not when to act
            opening = re.split(r"[.;:]\s", text[max(0, f.span[0] - 40) : f.span[0]])[-1]
            return not _SINCE.search(opening) or bool(_ASKS_SINCE.search(question))
        if f.kind != "duration":
            return False
        m = _ANCHOR.match(text, f.span[1])
        if m:
            anchor = _stems5(m.group(1))
            if not anchor & asked:
                return True
            # the anchor is the event asked about: the period answers only if the act it times
            # is asked about too ("apply to extend ... before it expires", not "When does the
            # licence expire?")
            act = re.split(r"[.;:]\s", text[max(0, f.span[0] - 80) : f.span[0]])[-1]
            return bool((_stems5(act) - anchor) & (asked - anchor))
        return bool(_PLACED_BEFORE.search(text[max(0, f.span[0] - 30) : f.span[0]]))

    return fits


def figure_fits(question: str) -> Callable[[Quantity, str], bool]:
    """Which figures of a text may lead the first line: those of the kind the question asks
    for; when it names no kind, any figure but a bare year, unless it asks when, and then only a
    time (``_when_fits``: "When must an extension be applied for?" is not answered by the USD
    100 fee or the 2-year validity beside it)."""
    want = {k for a in asked_kinds(question) for k in _ANSWERS_KIND[a]}
    # "By when ...?": a date that bounds ("on or before 31 January"), not one a period starts
    # from ("the period commencing 1 January" led "1 January; on or before 31 January", a review)
    bounded_only = "date" not in asked_kinds(question)
    if "deadline" in want and asks_for_date(question):
        want.add("date")
    when = asks_when(question)
    years = when or bool(_TIME_WORDS.search(question))
    if when and not want:
        return _when_fits(question)

    def fits(f: Quantity, text: str = "") -> bool:
        if want:  # a count is never a year ("Since 2024, directors ..." answers no "how many")
            # (a cycle in business days states a number of days: "every 10 business days")
            days = f.kind == "frequency" and f.detail == "business day" and "duration" in want
            if f.kind == "date" and bounded_only and f.bound != AT_MOST:  # ("after" starts)
                return False
            return (f.kind in want or days) and not YEAR.fullmatch(f.text.strip())
        # (a date, as a year, leads only a question of time)
        return years or not (
            f.kind == "date" or (f.kind == "number" and YEAR.fullmatch(f.text.strip()))
        )

    return fits


# a question that asks whether something holds, a figure it states being the one to check
_CHECKS_FIGURE = re.compile(
    r"\s*(?:is|are|was|were|does|do|did|must|can|may|shall|should|will|has|have)\b"
    r"(?!\s+there\b)",  # "Are there any exceptions to the six-year requirement?" checks none
    re.I,
)


def _says(text: str, f: Quantity, terms: set[str], cues: set[str],
          tokenize: Callable[[str], list[str]]) -> bool:  # fmt: skip
    """Whether the words that label figure ``f`` carry every one of ``terms`` (the question's
    facets), where they label it: in a list of figures, or beside the word for what is asked
    ("The annual fee is USD 3,000", not "Annual returns filed late incur USD 1,000")."""
    label, listed = figure_label(text, f.span, tokenize)
    words = set(tokenize(label))
    named = listed or any(has_family(t, words) for t in cues)
    return named and all(has_family(t, words) for t in terms)


def _best_part(quote: str, q_terms: set[str], tokenize: Callable[[str], list[str]],
               idf: Callable[[str], float] | None) -> tuple[int, int]:  # fmt: skip
    """The span of the comma-delimited part of ``quote`` whose question words weigh most (ties:
    the first): where a frequency written as a word must stand to say how often the act asked
    about is done ("must disclose at least quarterly the amount ..., publish the reserve audit
    report" says how often the amount is disclosed, not the report published)."""
    parts: list[list[float]] = []  # [start, end, weight]; an aside with no question word
    start = 0  # (", at least annually,") belongs to the part before it
    for m in [*re.finditer(r"[,;:.]\s+|\n", quote), None]:
        end = m.start() if m else len(quote)
        w = sum(idf(t) if idf else 1.0 for t in _content(tokenize, quote[start:end]) & q_terms)
        if parts and w == 0:
            parts[-1][1] = end
        else:
            parts.append([start, end, w])
        start = m.end() if m else len(quote)
    a, b, _ = max(parts, key=lambda p: p[2])  # ties: the first
    # a part that opens a list goes on in its items: "must send a statement: (a) to a Retail
    # Client at least monthly" says how often the statement is sent (a trial on the real COBS,
    # twenty-seventh session)
    if quote[int(b) : int(b) + 1] in (":", "—", "-") and (items := list_item_spans(quote, int(b))):
        b = items[-1][1]
    return int(a), int(b)


def _in_gap_sentence(quote: str, span: tuple[int, int]) -> bool:
    """Is the figure at ``span`` in a sentence that says the point is open or not AIFC law? (A
    clause after a semicolon counts as a sentence here, unlike ``sentence_spans``: "capital of
    USD 200,000; the custody amount is not specified" keeps its figure.)"""
    start = max((m.end() for m in re.finditer(r"[.;!?]\s+", quote[: span[0]])), default=0)
    end = re.search(r"[.;!?](?:\s|$)", quote[span[1] :])
    return is_gap_statement(quote[start : span[1] + end.end() if end else None])


def _figure_line(question: str, citations: Sequence[Citation],
                 fits: Callable[[Quantity, str], bool], q_terms: set[str],
                 tokenize: Callable[[str], list[str]],
                 idf: Callable[[str], float] | None) -> str | None:  # fmt: skip
    """The first line of a figure question: the figure that fits, with its clause; None when no
    cited quote states one."""
    firms = asked_firms(question)
    # the words that name the firm asked about do not weigh for a clause: a rule for that firm
    # leads before an earlier citation's only where it says as much of the rest of the question
    firm_words = set(tokenize(" ".join(firm_mentions(question))))
    rest = q_terms - firm_words
    aifc_only = national_law_excluded(question)
    qualifiers = facets(question, tokenize)  # "annual" fee: not an item labelled "application"
    # a figure the question states is given, not asked for ("Could you elaborate on the
    # application of the 150% risk weight ...?" is not answered by "150%"), unless the question
    # asks whether it holds ("Is the threshold USD 1,000?", "... USD 200,000 or USD 500,000?")
    given = {f.key for f in figures(question)}
    # a frequency asked for may be a word ("files a quarterly report", "reviewed annually"),
    # which ``figures`` leaves out elsewhere because it carries no number
    words_too = "frequency" in asked_kinds(question)
    often = frequency_of(question, tokenize) if words_too else None
    # and a period asked for may be "immediately" or "without delay": the answer to "Within how
    # many business days must the AFSA be notified of a sanctions breach?" is AML 12.1.3's
    # "immediately", not the AML Return's "within 2 months" (an MLRO's trial, 2026-12-04)
    # (each such word of the quote is a candidate, and the clause around it decides, as for a
    # figure: "without delay" governs "investigate ..., decide ..., file the STR", "promptly"
    # only "notify the AFSA")
    at_once = asks_deadline(question)

    labels: dict[tuple[str, tuple[int, int]], str] = {}  # a table row's figure: its label

    def candidates(quote: str, full_text: str, above: str | None = None) -> list[Quantity]:
        # a table row's figure in its column's unit ("500,000 (US $)" under "(US $)"), not the
        # bare number it is read from
        in_rows = row_figures(quote, full_text, above)
        # (a row the question does not name is no answer of its own: a review)
        figs = [f for f in figures(quote)
                if not any(f.span[0] < q.span[1] and q.span[0] < f.span[1] for q, _, _ in in_rows)]  # fmt: skip
        # a row the question names by its label ("Category 2"): its figure, not its table's
        # other rows' (the quote runs from the header over the rows before it)
        in_rows = [(q, row, head) for q, row, head in in_rows
                   if label_named(row, question, tokenize)]  # fmt: skip
        # (the row the question names most: "Bonds Rated 'BB'", not "'BBB'" before it, a
        # consultant's trial, thirty-third session)
        if in_rows:
            most = max(label_share(row, question, tokenize) for _, row, _ in in_rows)
            in_rows = [x for x in in_rows if label_share(x[1], question, tokenize) == most]
        for q, row, head in in_rows:
            figs.append(q)
            labels[(quote, q.span)] = f"{row_label(row)} {head}"
        if at_once:
            figs += [q for q in parse(quote, places=False)
                     if q.detail == "immediately" and q not in figs]  # fmt: skip
        if words_too:
            # only in the clause that carries the question ("disclose at least quarterly the
            # amount ..., publish the reserve audit report" does not say how often the report
            # is published)
            a, b = _best_part(quote, q_terms, tokenize, idf)
            figs += [q for q in frequencies(quote, often)
                     if q not in figs and a <= q.span[0] and q.span[1] <= b]  # fmt: skip
        return sorted(figs, key=lambda f: f.span)

    if _CHECKS_FIGURE.match(question) or (len(given) > 1 and re.search(r"\bor\b", question)):
        # (a figure the question puts as a condition, "apply to transfers below USD 1,000?", is
        # still given: "USD 1,000:" led the answer to it, an MLRO's trial, twentieth session)
        given = set(bounded_figures(question, words_only=True)) & given
    # the figures the question checks ("Is the threshold USD 1,000?"): the clause stating one
    # of them answers it before another figure's
    checked = {f.key for f in figures(question)} - given

    def weigh(terms: set[str], words: set[str]) -> float:
        return sum(idf(t) if idf else 1.0 for t in terms if has_family(t, words))

    def best(c: Citation, figs: list[Quantity]) -> tuple[float, int, tuple[str, int | None, bool]]:
        """The figure whose clause carries most question terms, a word of the same family
        counting ("expires" for "expiry"), each by its corpus IDF when known (ties: the first),
        and the weight of the question's other words than its firm's in that clause."""
        spans = [_best_clause(c.quote, q_terms, tokenize, f.span) for f in figs]
        contents = [_content(tokenize, clause) for clause, _, _ in spans]
        # a figure in a list item is about what its item names: "(b) in relation to its semi
        # annual financial report, ..., no later than two months ..." and "(a) in relation to
        # its annual financial report, ... no later than four months ..." both name the annual
        # report asked about, in their items, not in the figures' clauses, which named only
        # "report" and "financial" (the semi-annual deadline led, a listed issuer's trial,
        # thirty-first session); ties go to the first
        # (only a figure alone in its item: two in one item share it, and its words decided
        # nothing between them but their order, a second review)
        lines = [_item_line(c.quote, f.span) for f in figs]
        items = [_content(tokenize, ln) if ln and lines.count(ln) == 1 else set() for ln in lines]
        weights = [
            weigh(q_terms, words | item) for words, item in zip(contents, items, strict=True)
        ]
        # (a figure whose clause names a firm type not asked about comes after one whose clause
        # names the asked type alone: "(c) MTF = ... $125,000" before "(d) MTF and Virtual Asset
        # Custodian = ... $145,000", asked of an MTF, twenty-sixth session)
        alone = [not (firms and named_firms(clause, names=True) - firms) for clause, _, _ in spans]
        # (the figure checked only between clauses that say as much of the question: a clause
        # that merely states it, "supervision fees ... capped at USD 10,000", does not confirm a
        # cap on subscriptions, a review)
        i = max(range(len(figs)), key=lambda j: (alone[j], weights[j], figs[j].key in checked, -j))
        return weigh(rest, contents[i]), i, spans[i]

    # the question's words that may label a list's item: not those naming the figure asked
    # ("fee") or qualifying it ("annual"), which ``for_another_label`` reads
    label_terms = q_terms - qualifiers - asked_cues(question, tokenize)
    asked_labels = numbered_labels(question)  # "Class 3": ``item_named``
    # a noun the question qualifies by its cycle ("monthly returns"): a figure of a sentence
    # that gives it another ("annual returns, within four months") is no answer (PRU 2.3.7's
    # paragraphs quoted together led with the annual returns' period, a finance director's
    # trial, thirty-fourth session)
    # (none where nothing quoted gives the cycle asked: no figure is then another's, a review)
    asked_cycles = cycles(question, tokenize)
    if not any(cycle_named(c.quote, asked_cycles, tokenize) for c in citations):
        asked_cycles = set()
    # a figure of national law ([RK]) is not the AIFC's: not for a question about the AIFC
    read = {
        c.n: candidates(c.quote, c.full_text or "", c.table_header) for c in citations
    }  # once per quote

    def found_with(possessive_too: bool) -> list[tuple[Citation, list[Quantity]]]:
        # nor a figure of a gap statement ("Retention periods of other jurisdictions (for
        # example ten years ...) are not AIFC law" gives no period of the AIFC's)
        return [(c, figs) for c in citations if not (aifc_only and c.jurisdiction == "RK")
                if (figs := [f for f in read[c.n] if fits(f, c.quote)
                             and not _in_gap_sentence(c.quote, f.span)
                             and not _reference(c.quote, f) and f.key not in given
                             and not for_another_firm(c.quote, f.span, firms)
                             and not for_another_label(c.quote, f.span, qualifiers, tokenize)
                             and not against_bound(question, c.quote, f.span[0])
                             # (an item whose label carries fewer of the question's words, the
                             # firm's among them: "What is the annual fee for Dealing as Agent?"
                             # led with "USD 7,000; USD 8,000; USD 5,000", the principal's fees
                             # too, the firm reader taking both for dealing; a broker's trial,
                             # twenty-fourth session)
                             and not outlabelled(c.quote, f.span, label_terms, tokenize)
                             # (nor an item of another class than the one the question names:
                             # "(a) for a Class 1 Captive Insurer: $150,000" asked of Class 3)
                             and item_named(_item_line(c.quote, f.span), asked_labels) is not False
                             and not (asked_cycles and cycle_named(_sentence_of(c.quote, f.span),
                                                                   asked_cycles, tokenize) is False)
                             and (possessive_too or not (f.kind == "duration" and measures_another(
                                 c.quote, f.span, q_terms, tokenize)))])]  # fmt: skip

    # a period in the possessive that measures something the question does not name ("7 days'
    # notice" for how long a licence is valid) gives way to another figure; alone, it leads
    # (the question may name it in other words: "How many days before ... must members be told?")
    found = found_with(False) or found_with(True)
    if not found:
        return None
    # a rule's figure before one of the firm's own documents ([not a rule]) where the rule's quote
    # is about what the memo's is (half its question words): a memo's "deleted after five years"
    # led "Is it true that CDD records can be deleted after five years?" (a browser trial,
    # eighteenth session); an expense claim's deadline is still the memo's, not the AML Return's
    if found[0][0].outside_rules:
        # (its figure's words aside: "five years" is what is in question, not what it is about)
        # (nor modals and prepositions: "must ... before" is in almost every rule, a review)
        function = function_terms(tokenize)
        memo_terms = {t for t in _content(tokenize, found[0][0].quote) & q_terms
                      if number(t) is None and t not in function
                      and t not in ("year", "month", "day", "week", "hour")}  # fmt: skip
        about = next((k for k, (c2, _) in enumerate(found) if not c2.outside_rules
                      and 2 * len(_content(tokenize, c2.quote) & memo_terms) >= len(memo_terms) > 0),
                     None)  # fmt: skip
        if about is not None:
            found.insert(0, found.pop(about))
    if qualifiers:
        # a figure whose label says what qualifies the figure asked for ("Dealing application
        # USD 14,000" for the application fee) comes before one whose label does not ("annual
        # supervision fees of USD 7,000 for Dealing as Agent" is not the application fee)
        cues = asked_cues(question, tokenize)
        # (a table row's figure is labelled by its row and its column's header: "Payment
        # Services | 25,000" under "Application fee ($)" is the application fee)
        says = [[f for f in figs if _says(c.quote, f, qualifiers, cues, tokenize)
                 if (c.quote, f.span) not in labels]
                + [f for f in figs if (label := labels.get((c.quote, f.span))) is not None
                   and all(has_family(t, set(tokenize(label))) for t in qualifiers)]
                for c, figs in found]  # fmt: skip
        found = [(c, own or figs) for (c, figs), own in zip(found, says, strict=True)]
        order = sorted(range(len(found)), key=lambda k: not says[k])  # stable: evidence order
        found = [found[k] for k in order]
    c, figs = found[0]
    weight, i, span = best(c, figs)
    if firms:
        # a figure of a rule stated for the firm type asked about ("a DASP Dealing ... as
        # Principal must hold capital of USD 250,000", asked about a dealer) comes first
        for c2, figs2 in found:
            own = [f for f in figs2 if for_firm(c2.quote, f.span, firms)]
            if own:
                w2, i2, span2 = best(c2, own)
                if w2 > weight:
                    c, figs, i, span = c2, own, i2, span2
                break
    clause, focus, opens_list = span
    # the figures the clause shows (by place: a figure of the same text elsewhere in the quote,
    # left out above, is not the clause's)
    at = c.quote.find(clause, max(0, figs[i].span[0] - (focus or 0) - 5))
    shown = [f for f in figs if at >= 0 and at <= f.span[0] and f.span[1] <= at + len(clause)]
    lead = "; ".join(dict.fromkeys(f.text for f in shown)) or figs[i].text
    body = _trim(clause, focus)
    if _CONTINUES.match(body) and not c.quote.lstrip().startswith(clause):
        body = "…" + body  # "and a pre-application fee of USD 100" goes on from before
    body = _with_stem(body, clause, c.quote)
    inline = _inline_list(c.quote, clause) if opens_list and body == clause.strip() else None
    if inline is not None:  # "... from the latest of: the date of the report, ..."
        return f"{lead}: {_sentence(inline)} [{c.n}]"
    return f"{lead}: {_sentence(body, opens_list)} [{c.n}]"


def finding(question: str, citations: Sequence[Citation],
            tokenize: Callable[[str], list[str]],
            idf: Callable[[str], float] | None = None) -> str:  # fmt: skip
    """One short sentence stating the finding, from words and figures of the cited quotes.
    ``idf`` (corpus IDF) weighs the question's terms when the lead quote's clause is chosen."""
    # A quote carrying instruction-like text (injected by a source) never speaks in the
    # assistant's own voice: the finding comes only from the other quotes, or there is none.
    citations = [c for c in citations if not _INJECTION.search(c.quote)]
    if not citations:
        return ""
    q_terms = _content(tokenize, question)
    from assistant.answer.extractive import wants_figure

    if wants_figure(question):
        line = _figure_line(question, citations, figure_fits(question), q_terms, tokenize, idf)
        if line:
            return line
    if PERMISSION_Q.search(question):
        names: dict[str, int] = {}
        # a question about a firm type lists the permissions a sentence gives for that type (its
        # subject names it), else those that are the type's own: a quote about a crypto
        # exchange's permissions gave a custodian "Operating a DATF" (2026-12-04), and a DATF
        # operator keeps "Providing Custody" from the same quote
        firms = asked_firms(question)
        for c in citations:
            for m in PERMISSION.finditer(c.quote):
                if _INSIDE_TITLE.search(c.quote[: m.start()]):
                    continue  # "Admission to Trading Rules": a gerund inside another name
                if _inside_name(c.quote[: m.start()]):
                    # "Money Laundering Reporting Officer": a role's name, not a permission's
                    # ("Laundering Reporting Officer." led an authorisation question, a
                    # Russian-speaking founder's trial, thirty-ninth session)
                    continue
                if _gerund_clause(c.quote, m):
                    continue  # "Providing Digital Assets to a Firm as Collateral is ..."
                whose = _subject_firms(c.quote, m.start()) if firms else set()
                for part in re.split(r"\s+and\s+(?=[A-Z][a-z]+ing\b)", m.group(0).strip()):
                    name = re.sub(r"(?:\s+(?:a|an|the|of|in|for|on|as|and))+$", "", part)
                    if firms and not (whose & firms or named_firms(name) & firms):
                        continue
                    if _currency_in(name):
                        continue  # a column of a table of amounts ("Dealing as Agent USD")
                    if len(name.split()) >= 2:
                        names.setdefault(name, c.n)
        if names:
            # the names that carry the question's words first ("to deal as agent": "Dealing in
            # Investments as Agent"), in evidence order otherwise
            order = sorted(names, key=lambda x: -sum(
                has_family(t, set(tokenize(x))) for t in q_terms))  # fmt: skip
            listed = order[:4]
            text = ", ".join(listed[:-1]) + (" and " if len(listed) > 1 else "") + listed[-1]
            cites = "".join(f"[{n}]" for n in dict.fromkeys(names[x] for x in listed))
            return f"{text}. {cites}"
    first = citations[0]
    two_part = bool(_TWO_PART.search(question))
    who = bool(re.match(r"\s*who(?:m)?\b", question, re.I))
    alternatives = frozenset(t for m in _ALTERNATIVES.finditer(question)
                             for t in tokenize(f"{m.group(1)} {m.group(2)}"))  # fmt: skip
    # the words that name a regime say where the question asks, not what: "National law, not an
    # AIFC rule.", the national-law digest's opening, led "Do Kazakh residents face a cap on
    # purchases on an AIFC exchange under national law?" by "national law" and "AIFC" alone (an
    # exchange's trial, twenty-fourth session)
    scope = set(tokenize(regime_words(question)))
    asked = (q_terms - scope) or q_terms
    clause, keep, opens_list = _best_clause(first.quote, asked, tokenize, idf=idf,
                                            two_part=two_part, who=who,
                                            alternatives=alternatives,
                                            bounds=bounded_figures(question))  # fmt: skip
    from assistant.answer.extractive import asked_subject, has_subject

    subject = asked_subject(question, tokenize)
    if subject:
        # "What is the definition of Spot Commodities?": the quote's sentence that defines it
        # ("“Spot Commodities” means ...") leads, not a heading that names it twice ("Spot
        # Commodities and Accepted Spot Commodities", a spot-commodities platform's trial,
        # thirty-first session)
        # (a glossary's row as the term is written: "Control | has the meaning ..." is no
        # definition of a Controller, the two one stem; a lawyer's trial, thirty-fifth session)
        term = defined_term(question)

        def defines_term(s: str) -> bool:
            return has_subject(s, subject, tokenize) and (
                term is None or " | " not in s or defining_line(s, term) is not None
            )

        defining = next((first.quote[a:b].strip() for a, b in sentence_spans(first.quote)
                         if defines_term(first.quote[a:b])), "")  # fmt: skip
        # (whole: a comma clause of it, "... capable of being delivered", left out "which is, or
        # can be, traded on a secondary market" and ended with a full stop; and a whole
        # sentence, not one a passage cuts off: "... a Natural Person, and", a review)
        if defining.endswith((".", ";", ":", "!", "?")) and (
            not defines_term(clause) or defining.startswith(clause.strip())
        ):
            clause, keep, opens_list = defining, None, defining.endswith(":")
    # (not the row that defines the term asked: "Exempt Offeror | means ..." , a row above it
    # naming "Exempt", led "What does Exempt Person mean?", a lawyer's trial, thirty-fifth
    # session)
    if is_row(clause) and not (subject and has_subject(clause, subject, tokenize)):
        # a table's quote starts at its header: the row the question names is the answer
        # ("What is the supervisory haircut for gold?" led with the header, a review)
        clause = next((ln for ln in first.quote.split("\n")
                       if is_row(ln) and label_named(ln, question, tokenize)), clause)  # fmt: skip
    if marker_styles(clause):  # a list item is its whole line, not its first comma clause
        at = first.quote.find(clause)
        end = first.quote.find("\n", at)
        if at >= 0:
            clause = _item_end(first.quote[at : end if end > 0 else None])
    item = _best_item(first.quote, clause, q_terms, tokenize, idf) if opens_list else None
    if item is not None:  # the stem of a list leads with the item that answers, after the stem
        clause, opens_list = item, False
        short = _with_stem(_trim(clause), clause, first.quote)
        answer = None if _EXCEPTION.search(clause) else verdict(question, clause, tokenize)
        return f"{answer + ': ' if answer else ''}{_sentence(short, _more_items(first.quote, clause))} [{first.n}]"
    inline = _inline_list(first.quote, clause) if opens_list else None
    if inline is not None:
        # a list run on after the colon in the same sentence ("needs two permissions: Operating a
        # DATF and Providing Custody") is the answer: the line was cut before it ("needs two
        # permissions…", a founder's browser trial 2026-12-04)
        return f"{_sentence(inline)} [{first.n}]"
    trimmed = _trim(clause, keep)
    defines = bool(subject) and has_subject(trimmed, subject, tokenize)
    # so is the rule the question names, asked what it says ("What does AML 13.1.2 say?" got
    # "... must also appoint a deputy MLRO…", without "to act when the MLRO is absent")
    names_it = (
        bool(first.ref)
        and SAYS_RULE.match(question) is not None
        and any(str(r) == first.ref for r in find_refs(question))
    )
    if (defines or names_it) and len(trimmed.split()) <= MAX_WORDS:
        # "What is X?" answered by "X is ...": the definition is the finding, whole, though the
        # card quotes it too ("What is a DASP?" got "... a firm carrying on any of…", cut at 14
        # words, a founder's trial, eighteenth session)
        short = trimmed
    else:
        # (the figure after the cut only where one is asked for: "Where must the MLRO reside?"
        # got the sentence's other duty, "at least annually", a read-through)
        short = _shorter_than_quote(trimmed, first.quote, keep if trimmed == clause.strip() else None,
                                    q_terms, tokenize, bool(asked_kinds(question)))  # fmt: skip
    if _CONTINUES.match(short) and not first.quote.lstrip().startswith(clause):
        short = "…" + short  # a clause that goes on from the one before ("which ...") reads as one
    short = _with_stem(short, clause, first.quote)
    # a rule with an exception in the line ("must not ..., unless ...") gets no bare Yes or No;
    # a next quoted sentence that makes an exception for others ("Registered Auditors are an
    # exception.") joins the line after the verdict (a founder read the bare "Yes" as for all)
    after = _exception_after(first.quote, clause) or _goes_on(
        first.quote, clause, q_terms, tokenize
    )
    answer = None if _EXCEPTION.search(clause) else verdict(question, clause, tokenize)
    # a line cut before a coordinated part of its sentence (", and promptly notify the AFSA")
    # ends with an ellipsis: a full stop read as the whole duty (a citation auditor's trial,
    # twentieth session)
    at = first.quote.find(clause)
    cut = at >= 0 and bool(_COORDINATED.match(first.quote, at + len(clause)))
    # so does a list item with more items of its list after it in the quote ("... Rule in the AML
    # Rulebook: (a) a Relevant Person." read as the only party, twenty-seventh session)
    cut = cut or _more_items(first.quote, clause)
    # (a table row's empty cells before the clause are no words: "| | Any proposal ...", a trial's
    # row "19. |  | Any proposal ..." cut after its number)
    short = re.sub(r"^(?:\s*\|)+\s*", "", short) or short
    text = _sentence(short, opens_list or cut)
    # a line that leans on the sentence before it with a pronoun ("... reports go to it.") says
    # first who or what that is, when the quote holds that sentence (extractive.antecedent)
    if at > 0 and BACK_PRONOUN.search(clause) and not text.startswith("…"):
        before = [(a, b) for a, b in sentence_spans(first.quote) if b <= at]
        if before and len(first.quote[before[-1][0] : before[-1][1]].split()) <= MAX_WORDS:
            text = f"{first.quote[before[-1][0] : before[-1][1]].strip()} {text}"
    if after and not opens_list:
        text = f"{text} {after}"
    if answer:
        return f"{answer}: {text} [{first.n}]"
    return f"{text} [{first.n}]"


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


# a rule number where the line starts (after a verdict's colon or a cut's ellipsis), with the
# labels ADGM's texts write on it: a Part before it ("PART 5.12.11.1"), a paragraph or its
# Guidance after it ("12.1.1.(2)", "1.1.3.Guidance.2"; a rule lookup trial, thirty-seventh
# session: "PART 5.12.11.1.(1) In the case of a Public Fund." opened a first line)
_LEADING_NUMBER = re.compile(
    r"(?P<lead>^|: |…)" + NUMBER_PREFIX + "?"
    r"(?P<num>(?:A(?=\d))?\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)+)"
    r"(?:\.?\(\w{1,4}\))*(?:\.Guidance(?:\.\d{1,3})?)?\.?\s+(?=\S)"
)


def _without_own_number(line: str, citations: Sequence[Citation]) -> str:
    """``line`` without the rule number its quote opens with, where it is the cited rule's own:
    the citation names it, and "14.13.2 If an Authorised Person becomes insolvent ..." read as a
    number for the answer (a custodian's trial on the real COBS, twenty-ninth session)."""
    m = _LEADING_NUMBER.match(line) or _LEADING_NUMBER.search(line, 0, 80)
    if m is None:
        return line
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", line)}
    own = any((c.ref or "").split()[-1:] == [m.group("num")] for c in citations if c.n in cited)
    if not own:
        return line
    rest = line[m.end() :]
    if not m.group("lead") and rest[:1].islower():
        return line
    return line[: m.start()] + m.group("lead") + rest


def with_first_line(question: str, ex: Extract, tokenize: Callable[[str], list[str]],
                    idf: Callable[[str], float] | None = None) -> Extract:  # fmt: skip
    """The extractive answer with a plain first line, and only citations that bear on it."""
    if ex.abstained or not ex.citations:
        return ex
    lines = ex.text.split("\n")
    if len(lines) != len(ex.citations):
        return ex  # not the one-line-per-citation layout this expects
    keep = bearing(question, ex.citations, tokenize)
    lines, citations = _renumber(lines, list(ex.citations), keep)
    first = " ".join(finding(question, citations, tokenize, idf).split())  # one line, always
    first = _without_own_number(first, citations)
    # a line drawn from national law, or from another regime's text indexed beside ours, says
    # so, as its quote does ("[RK] ...", "[ADGM] ..."): a founder read a national threshold on
    # the first line as an AIFC rule, and "Yes: ... must be resident in the U.A.E." from ADGM's
    # AML as the AIFC's answer (a founder's trial, thirty-seventh session)
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", first)}
    by_n = {c.n: c for c in citations}
    regimes = {by_n[n].jurisdiction or "AIFC" for n in cited if n in by_n}
    if first and cited and len(regimes) == 1 and (regime := regimes.pop()) != "AIFC":
        first = f"[{regime}] {first}"
    elif first and cited and all(by_n[n].outside_rules for n in cited if n in by_n):
        # the firm's memo is no rule, whatever it says; nor is its "may" a yes to the question
        first = f"{NOT_A_RULE} {re.sub(r'^(?:Yes|No)(?: [^:]{0,40})?: ', '', first)}"
    text = "\n".join([first, *lines]) if first else "\n".join(lines)
    return replace(ex, text=text, citations=citations)
