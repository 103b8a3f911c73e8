"""The default answerer: verbatim sentences from the top evidence, grouped by rule, each cited.

No LLM: every sentence of an answer is a quote from a retrieved chunk or a fixed connective,
so nothing can be invented. It abstains with the shared refusal phrase when the best evidence
is a gap statement ("not specified in the indexed rules") or when confidence is below the
threshold calibrated on the golden questions (``evals/calibrate.py``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from assistant.answer.answerability import (
    DEEP_FIGURE,
    AnswerabilityModel,
    accepted_kinds,
    against_bound,
    asked_firms,
    asked_kinds,
    asks_deadline,
    asks_when,
    counted,
    cue_terms,
    features,
    figure_in_evidence,
    figure_kinds,
    frequency_of,
    has_family,
    has_kin,
    is_exclusion,
    is_gap_statement,
    load_model,
    national_law_excluded,
    question_weights,
    titles,
    unknown_limit,
)
from assistant.answer.followup import subject_span
from assistant.answer.prompts import CLOSEST, REFUSAL, source_mark
from assistant.answer.types import Citation
from assistant.language.abbreviations import spelled_out
from assistant.language.firms import named_firms
from assistant.language.lemmas import aligner
from assistant.language.quantities import (
    AS_SOON,
    bounded_figures,
    cycle_named,
    cycles,
    figures,
    frequencies,
    number,
    parse,
)
from assistant.language.regimes import (
    AIFC_NAMED,
    OTHER_REGULATOR_NAMES,
    OTHER_REGULATORS,
    asked_part,
    is_foreign,
    named_regimes,
    regime_of,
    writes,
)
from assistant.language.roles import USERS_FORMS, mentions, roles
from assistant.language.tables import (
    header_of,
    item_named,
    label_named,
    numbered_labels,
    read_with_units,
    reading,
)
from assistant.language.text import (
    BACK_PRONOUN,
    BULLETS,
    defined_term,
    defines_in_words,
    defining_line,
    function_terms,
    is_exception_sentence,
    is_list_stem,
    item_label,
    label_follows,
    list_closing,
    list_closings,
    list_item_spans,
    marker_styles,
    sentence_spans,
    what_is,
)
from assistant.search.aliases import alias_words
from assistant.search.retrieval import Hit, chunk_ref, holds, named_refs
from ingest.chunker import GUIDANCE_LABEL
from ingest.model import Chunk
from ingest.refs import (
    SAYS_RULE,
    Ref,
    asked_guidance,
    guidance_paragraph_at,
    named_guidance,
    next_paragraph_line,
    paragraph_at,
    parse_ref,
    quoted_paragraph,
    strip_refs,
)

_LOWER = re.compile(r"[a-z]")
# Written in any case ("vara", "MICA"), except the short names that are also words ("sec.", "mas").
_REGULATOR_ANY_CASE = re.compile(
    r"\b(" + "|".join(n for n in OTHER_REGULATOR_NAMES if len(n) >= 4) + r")\b", re.I
)


def asked_of_regulator(question: str) -> str | None:
    """The other regulator a figure is asked of in the question's last sentence: "does VARA
    require", "VARA's", "under VARA", "VARA rules", "by the DFSA"; not one named in passing ("We
    hold a VARA licence.", "..., as the DFSA requires?")."""
    last = re.split(r"(?<=[.!?])\s+", question.strip())[-1]
    for m in [*OTHER_REGULATORS.finditer(last), *_REGULATOR_ANY_CASE.finditer(last)]:
        name = re.escape(m.group(0))
        if re.search(rf"\bas\s+(?:the\s+)?{name}\b", last, re.I):
            continue  # a comparison
        frames = (
            rf"\b(?:does|do|did|would|will)\s+(?:the\s+)?{name}\b",
            rf"\b{name}(?:'s|\u2019s)",
            rf"\b(?:under|by|from|per)\s+(?:the\s+)?{name}\b",
            rf"\b{name}\s+(?:rules?|rulebooks?|regime|regulations?|requires?|sets?|demands?)\b",
        )
        if any(re.search(f, last, re.I) for f in frames):
            return m.group(0)
    return None


_REGIMES = ("AIFC", "AFSA")
# A sentence that only gives a provision's heading ('DAA 3.4.8 is titled "Technology audit
# reports".') states no more than the heading does.
_TITLE_ONLY = re.compile(
    r"\s*[^;:\"“]{1,40}?\s(?:is|are)\s+(?:titled|headed)\s+[\"“'‘][^\"”'’]*[\"”'’]\.?\s*$", re.I
)
WANTS_FIGURE = re.compile(
    r"\b(how (?:much|many|long|often|soon|quickly|far in advance|far ahead)|threshold|minimum|maximum|limit|capital|amount|"
    r"fees?|deadline|within|period|percentage|ratio|frequency|(?:which|what) dates?|days?|years?|months?|usd|kzt)\b",
    re.IGNORECASE,
)
# A currency the question only names, in a figure it states ("more than USD 1,000") or in a
# compound ("a USD-backed stablecoin", "KZT-denominated"), asks for no figure.
_COMPOUND = re.compile(r"\b[A-Z]{3}-[A-Za-z]+\b")
# A yes/no question that states a figure checks it ("Must the AML Return be filed within 2
# months?"): the figure's words still ask for one.
_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|does|do|did|must|can|may|shall|should|will|has|have)\b", re.I
)


def wants_figure(question: str) -> bool:
    """Whether the question asks for a figure: it asks when (``answerability.asks_when``), or
    ``WANTS_FIGURE`` reads on its words other than the currency compounds and, unless it is a
    yes/no question, the figures it states."""
    if asks_when(question):
        return True
    text = question
    if not _YES_NO.match(question):
        for f in sorted(figures(question), key=lambda f: -f.span[0]):
            text = text[: f.span[0]] + " " + text[f.span[1] :]
    elif not figures(question):
        # a yes/no question stating no figure: a word of a name written in capitals ("Can a
        # Venture Capital Fund be a Private Credit Fund?") asks for none (it led with the 25%
        # single-borrower limit, a private credit fund's general counsel, thirty-first session)
        # (a name that ends with the figure's word, "Minimum Capital Requirement", "Annual Fee",
        # asks for it: a second review)
        text = _NAME_RUN.sub(
            lambda m: m.group(0) if _FIGURE_NAME_END.search(m.group(0)) else " ", text
        )
    return bool(WANTS_FIGURE.search(_COMPOUND.sub(" ", text)))


# two capitalised words or more in a row after the first word: a defined term's name
_NAME_RUN = re.compile(r"(?<=\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_FIGURE_NAME_END = re.compile(
    r"\b(?:threshold|minimum|maximum|limit|capital|amount|fees?|deadline|period|percentage|ratio|"
    r"frequency|requirements?)$",
    re.I,
)


# (and a glossary's "has the meaning given in section 19 of FSMR", a paralegal's trial,
# thirty-second session: "What does Regulated Activity mean?" led with another entry naming it)
_COPULA = re.compile(r"\b(?:is|are|means|mean|refers\s+to|includes|ha(?:s|ve)\s+the\s+meaning|"
                     r"shall\s+mean)\b", re.IGNORECASE)  # fmt: skip
SUBJECT_BONUS = 0.3
# A table's row whose label the question names ("Category 3A"), and against the table's other
# rows then (``tables.label_named``): hand-set, as the subject bonus is.
ROW_BONUS = 0.3
# A figure the question bounds one way ("a transfer BELOW USD 1000") and a sentence bounds the
# other way ("a transfer of USD 1,000 OR MORE"): the sentence is about the other side of the
# threshold (a stablecoin founder's trial, twentieth session: the list for transfers of USD 1,000
# or more answered "What information must accompany a token transfer below USD 1000?" beside
# "Below USD 1,000 only the names ..."). Hand-set, as the subject bonus is.
DIRECTION_PENALTY = 0.3
# the sentence where a paragraph the question names starts ("What does DAA 3.1-1(3)(d) say?"):
# hand-set, as the subject bonus is
PARAGRAPH_BONUS = 0.3
# A yes/no question that states a place checks one ("Our compliance head lives in Dubai. Can she
# be our MLRO?"): a sentence about its subject that states a place is what it checks ("The MLRO
# must be resident in the Republic of Kazakhstan."), not one that only names its subject (the
# deputy MLRO's appointment led, and the residence rule was left out, a browser trial, thirty-
# first session). Hand-set, as the figure bonus is.
PLACE_BONUS = 0.25
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.?!])\s+)(?=\S)([^.?!]*[?.!]?)\s*$")


def checks_place(question: str) -> bool:
    """Whether ``question`` (its last sentence) is a yes/no question and it states a place."""
    m = _LAST_SENTENCE.search(question.strip())
    last = m.group(1) if m else question
    return bool(_YES_NO.match(last)) and any(q.kind == "location" for q in parse(question))


# A sentence that refers back with a pronoun ("An application to extend it must be made ...")
# is read with the subject of the sentence before it ("The FinTech Lab licence is issued ..."):
# the subject is what comes before the first finite verb, within 12 words.
_PRONOUN = re.compile(r"\b(?:it|its|they|them|their)\b", re.IGNORECASE)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|must|may|shall|should|can|cannot|will|has|have|means)\b", re.I
)


# What the question says it is not about: "a transaction that is NOT a digital asset
# transaction". A sentence that names all of it is about what the question excludes. (Tried
# and not kept: "non-X", "other than X", "excluding X": on ADGM `check` these are mostly names,
# "non-Professional Client", "non-financial resources", and gold quoted fell 0.694 -> 0.684.)
_EXCLUDED = re.compile(
    r"\b(?:is|are|was|were)\s+not\s+(?:an?|the)\s+(?P<x>(?:[\w-]+\s+){0,3}?[\w-]+?)"
    r"(?=\s*(?:[?,.;:]|$|\b(?:and|or|but|which|that|who|where|when|under|in|for|with)\b))",
    re.I,
)
EXCLUSION_PENALTY = 0.5
# A signpost to the document's structure ("Chapter 11-1 sets the travel rule for ...", "This
# Chapter includes the detailed Rules ..."): it names the subject and says nothing of it, so it
# is not the answer when a sentence of the rules it points to is there (an MLRO's trial got only
# the signpost for "What information must accompany a transfer under the travel rule?").
_SIGNPOST = re.compile(
    r"^\W*(?:this\s+|the\s+following\s+)?(?:chapter|part|section|schedule|appendix|annex|module)"
    r"\b[\w.\-() ]{0,14}?\s+(?:sets?\s+out|sets|contains|covers|includes|deals\s+with|"
    r"describes|outlines)\b",
    re.I,
)
SIGNPOST_PENALTY = 0.3
# A question about the AIFC regime that names no national law ("Do I need to report
# transactions to the AFSA as a DATF?") is not answered by a national-law sentence that does not
# speak of the AIFC ("Suspicious transaction reports ... go to it", the FIU): such a sentence
# does not lead, and is still quoted among the closest when nothing else speaks (a founder's
# trial, 2026-12-04). National law about the AIFC (its Constitutional Statute's tax exemption)
# is not held back. Hand-set, as the signpost penalty is.
NATIONAL_PENALTY = 0.3
# Another regime's text indexed beside ours (``ingest --jurisdiction ADGM``) does not lead the
# answer to a question that does not name that regime: the question is the AIFC's ("Where must
# the MLRO be resident?" led with ADGM's "resident in the UAE", a review, twenty-sixth session).
# Its sentences are still quoted where nothing of ours speaks. Hand-set, as the national one is.
FOREIGN_PENALTY = 0.15
# A short item that names the firm type asked about together with another ("(d) MTF and Virtual
# Asset Custodian = Application fee of $145,000", asked of an MTF) states what a firm of both
# types pays or does: it ranks below one naming the asked type alone ("(c) MTF = Application fee
# of $125,000"; a trial on the ADGM guidance, twenty-sixth session). Only for a figure: a crypto
# exchange's two permissions answer "Which permissions does a custodian need?". Not a longer sentence,
# which lists types (a fee list, a comparison table: penalised, golden abstention precision fell
# 1.0 -> 0.93). Hand-set.
COMBINED_PENALTY = 0.35
COMBINED_WORDS = 25


def _combined(sentence: str, asked: set[str]) -> bool:
    """Whether a short ``sentence`` names the asked firm types and another."""
    if len(sentence.split()) > COMBINED_WORDS:
        return False
    types = named_firms(sentence, names=True)
    return bool(types & asked) and bool(types - asked)


_EXCLUDES = re.compile(r"\b(?:not|other\s+than|except|excluding|apart\s+from)\b|\bnon-", re.I)


def excluded_terms(question: str, tokenize: Callable[[str], list[str]]) -> frozenset[str]:
    """The terms of what the question says it is not about (empty when it excludes nothing)."""
    out: set[str] = set()
    for m in _EXCLUDED.finditer(question):
        out.update(tokenize(m.group("x")))
    return frozenset(out)


def _subject_of(sentence: str) -> str | None:
    """The words before the sentence's first finite verb (within 12 words), else None."""
    m = _FINITE.search(sentence)
    if not m or not sentence[: m.start()].strip() or len(sentence[: m.start()].split()) > 12:
        return None
    return sentence[: m.start()]


# a gap statement beside the answer is added to its first line as written up to this length
_CAVEAT_WORDS = 30


def _states(sentence: str, wanted: set[str], at_once: bool = False,
            named: Callable[[str], bool] | None = None, question: str = "") -> bool:  # fmt: skip
    """Whether ``sentence`` states a figure of a kind in ``wanted`` (``answerability.ACCEPTS``
    names): one of ``figures`` (not one bounded the other way from ``question``'s, a maximum for
    "the minimum ...", ``against_bound``), or a frequency in words ("quarterly"; an adjective
    of the thing asked about, ``named``: "the annual AML Return") when one is wanted."""
    kinds = {"period" if f.kind in ("duration", "deadline") else f.kind for f in figures(sentence)
             if not (question and against_bound(question, sentence, f.span[0]))}  # fmt: skip
    if "frequency" in wanted and frequencies(sentence, named):
        kinds.add("frequency")
    # "immediately", "without delay" answer a question for a deadline as a number of days does
    # (not one for how long something lasts)
    if at_once and (AS_SOON.search(sentence)
                    or any(q.detail == "immediately" for q in parse(sentence, places=False))):  # fmt: skip
        kinds.add("period")
    return bool(kinds & wanted)


def asked_subject(question: str, tokenize: Callable[[str], list[str]]) -> frozenset[str]:
    """The terms of X in "What is X?" and its kin (empty for other questions)."""
    x = what_is(question)
    return frozenset(tokenize(x)) if x else frozenset()


_NAMED = re.compile(r"(?:(?:an?|the)\s+)?(?P<name>[^()]{3,80}?)\s*\((?P<short>[^()]{2,30})\)", re.I)


def has_subject(
    sentence: str, subject: frozenset[str], tokenize: Callable[[str], list[str]]
) -> bool:
    """Whether ``sentence`` opens with ``subject`` and a copula: every term of the subject, and
    nothing else of substance, before its first "is / are / means / refers to" (within 12 words).
    A name with its abbreviation in brackets is one subject under either form: "A Digital Asset
    Service Provider (DASP) is ..." opens with "DASP" and with "Digital Asset Service Provider"."""
    m = _COPULA.search(sentence)
    if not subject or not m or len(sentence[: m.start()].split()) > 12:
        return False
    opening = sentence[: m.start()]
    named = _NAMED.fullmatch(opening.strip())
    forms = [opening]
    if named and len(tokenize(named.group("short"))) == len(named.group("short").split()):
        # every word of the bracket is a name's ("DASP"), none a qualifier ("other than a ...")
        forms += [named.group("name"), named.group("short")]
    return any(set(tokenize(f)) == subject for f in forms)


_GENERIC = [
    "what",
    "which",
    "who",
    "whom",
    "when",
    "where",
    "why",
    "how",
    "must",
    "should",
    "shall",
    "need",
    "needs",
    "required",
    "require",
    "requirement",
    "requirements",
    "rule",
    "rules",
    "aifc",
    "afsa",
    "firm",
    "firms",
    "do",
    "does",
    "is",
    "are",
    "can",
    "could",
    "would",
    "tell",
    "me",
    "please",
    "about",
    "under",
    "according",
    # focusing adverbs, which qualify whatever they stand beside and name nothing: "Can the
    # MLRO also be our CFO?" led with "... must also appoint a deputy MLRO" on "also" (a
    # founder's browser trial, twenty-fourth session)
    "also",
    "only",
    "just",
    "even",
]


# a question about another regime than the AIFC's: an exclusion of it speaks to it
_OTHER_REGIME = re.compile(
    r"\b(?:other|foreign)\s+(?:jurisdictions?|countries|regimes?)\b|\bnational\s+law\b|"
    r"\bKazakh(?:stan)?\b|\babroad\b|\boutside\s+(?:the\s+)?AIFC\b",
    re.I,
)


@dataclass(frozen=True)
class Sentence:
    hit_rank: int
    start: int
    end: int
    text: str
    score: float
    coverage: float
    has_figure: bool
    is_gap: bool
    terms: frozenset[str] = frozenset()  # the question terms this sentence contains
    read_as: str = ""  # a table row: the row with its columns' units, for reading its figures

    @property
    def figure_text(self) -> str:
        """The text whose figures the sentence states (a row's in its columns' units)."""
        return self.read_as or self.text


@dataclass(frozen=True)
class Extract:
    text: str
    citations: list[Citation]
    abstained: bool
    confidence: float
    reason: str


def citation_for(n: int, hit: Hit, quote: str) -> Citation:
    c, d = hit.chunk, hit.document
    assert quote in c.text, "citation quotes must be verbatim"
    at = c.text.find(quote)
    page, page_label = c.page_at(at)  # the page the quote starts on
    return Citation(
        n=n, ref=c.ref, title=d.get("title", ""), version=d.get("version"),
        page=page, page_label=page_label,
        quote=quote, chunk_id=c.chunk_id, score=round(hit.score, 6), doc_id=c.doc_id,
        jurisdiction=d.get("jurisdiction") or "AIFC", is_guidance=hit.is_guidance,
        repealed=c.repealed, full_text=c.text, table_header=c.table_header,
        kind=d.get("kind") or "rules",
        outside_rules=outside_rules(d, c.ref), heading=None if c.ref else _name_of(hit, True),
        pinpoint=quoted_paragraph(c.ref, c.rulebook, c.text, at, at + len(quote)),
    )  # fmt: skip


def _name_of(hit: Hit, heading_first: bool = False) -> str | None:
    """A passage's record id, else its last heading (without Markdown's marks); its heading
    first with ``heading_first`` (a JSONL record's title, not its id, names it on a card)."""
    heading = hit.heading
    return (heading or hit.chunk.record_id) if heading_first else (hit.chunk.record_id or heading)


def outside_rules(document: dict, ref: str | None) -> bool:
    """Is a passage of ``document`` no rule at all: the firm's own policy, or a document of kind
    "other" (not given as rules or guidance, no rulebook found in its name, title or text) and a
    passage without a rule number? National law is marked [RK] instead; a JSONL corpus is
    passages someone prepared to be searched, rules or not (its records' ids label them: a
    review found a JSONL rulebook without "ref" fields marked as no rule)."""
    if document.get("jurisdiction") == "RK" or document.get("fmt") == "jsonl":
        return False
    kind = document.get("kind")
    return kind == "policy" or (kind == "other" and not document.get("rulebook") and not ref)


def label(hit: Hit, pinpoint: str | None = None) -> str:
    """How an answer's line names a passage: its regime's mark, its rule (``pinpoint``: the
    paragraph quoted) or name, and "(Guidance)" or "(repealed)"."""
    ref = pinpoint or hit.chunk.ref or _name_of(hit) or hit.document.get("title", "Source")
    prefix = source_mark(
        hit.document.get("jurisdiction"), outside_rules(hit.document, hit.chunk.ref)
    )
    extra = " (Guidance)" if hit.is_guidance else (" (repealed)" if hit.chunk.repealed else "")
    return f"{prefix}{ref}{extra}"


QUOTE_REACH = 700  # the longest quote a citation carries, in characters


# a rule's number and title on a line of their own ("A1.3 Provisions relating to Eligible
# Custodians", "PART 4.9.6 Additional Prospectus disclosure requirements"), as a rulebook's text
# heads its rules
_NUMBERED_TITLE = re.compile(
    r"(?:(?:PART|Part)\s+\d{1,2}\.(?:Chapter\s+\d{1,2}\.)?|APP\s*\d{1,2}\.)?[\u200e\u200f]*"
    r"[A-Z]?\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)*\.?\s+[A-Z(][^\n]*"
)
# a line's number alone, split from its title as a sentence of its own ("Part 19.Chapter 1.225.")
_LINE_NUMBER = re.compile(
    r"(?:(?:PART|Part)\s+\d{1,2}\.(?:Chapter\s+\d{1,2}\.)?)?[\u200e\u200f]*[A-Z]?\d{1,3}[A-Z]?"
    r"(?:\.\d{1,3}[A-Z]?)*\.?"
)


_MODAL_WORD = re.compile(r"\b(?:must|shall|may|should|will|can|cannot|is|are)\b", re.I)


def numbered_heading(text: str, a: int, b: int, max_words: int = 15) -> bool:
    """Whether ``text[a:b]`` (a sentence) is a heading: a whole line that is a rule's number and
    a title, short and unfinished (no closing stop). It states nothing: "Who qualifies as an
    Eligible Custodian?" was answered "A1.3 Provisions relating to Eligible Custodians." (a
    browser trial on the real FUNDS, twenty-eighth session), as a Markdown heading never is."""
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line_end = len(text) if line_end < 0 else line_end
    prefix = text[line_start:a].strip()
    # (the line's number before it, split off as a sentence of its own: "Part 19.Chapter 1.225."
    # then "Jurisdiction and Role of the Appeals Panel", which led "What does FSMR s.225(2)
    # provide?", a statute lawyer's trial, thirty-second session)
    if (prefix and not _LINE_NUMBER.fullmatch(prefix)) or text[b:line_end].strip():
        return False
    s = f"{prefix} {text[a:b].strip()}".strip()
    # (not a rule's opening words that run into a list or a dash, "8.4.1 An MTF Operator ... must
    # not introduce a liquidity incentive scheme unless", "22.3.2 An Authorised Person must –":
    # a third review)
    return (bool(_NUMBERED_TITLE.fullmatch(s)) and not s.endswith((".", ":", ";", ",", "?", "!"))
            and not s.endswith(("-", "–", "—")) and not _MODAL_WORD.search(s)
            and len(s.split()) <= max_words)  # fmt: skip


def bare_heading(text: str, a: int, b: int, max_words: int = 10) -> bool:
    """Whether ``text[a:b]`` (a sentence) is a heading with no number: the passage's first line
    or one after a blank line or a heading in capitals, short, capitalised, unfinished (no
    closing stop or colon), with no verb, marker, cell or figure, and a line of text after it.
    It states nothing: a guidance note that writes its section's heading before each paragraph
    ("Data protection obligations for Authorised Persons") was answered with the heading three
    times (a custodian's trial on ADGM's virtual asset guidance, thirty-fifth session); it is
    quoted with the sentence it heads and is no first line."""
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    if line_end < 0 or text[line_start:a].strip() or text[b:line_end].strip():
        return False
    before = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)]
    if before.strip() and _LOWER.search(before):
        return False  # (the line before it is text, not a heading in capitals: a wrapped end)
    s = text[a:b].strip()
    after = text[line_end:].lstrip()
    return (
        s[:1].isupper()
        and len(s.split()) <= max_words
        and not s.endswith((".", ":", ";", ",", "?", "!", "-", "–", "—"))
        and not _MODAL_WORD.search(s)
        and not _OTHER_VERB.search(s)
        and not marker_styles(s)
        and " | " not in s
        and not re.search(r"\d", s)
        and after[:1].isupper()
    )


# a verb or auxiliary in a short line-opening sentence: it says something, it is no title
# the other verbs a short sentence may say something with, beside a modal (``_MODAL_WORD``)
_OTHER_VERB = re.compile(r"\b(?:was|were|be|has|have|does|do|applies|apply)\b", re.I)


def run_in_title(text: str, a: int, b: int, max_words: int = 8) -> bool:
    """Whether ``text[a:b]`` (a sentence) is a rule's title run into its text, as ADGM's
    rulebooks write some 700 of them: "5.2.2 Appointment of a compliance adviser. The Regulator may
    require ...", "11.12.1 Competent Persons . Subject to Rule 11.12.2, ...": the line's first
    sentence after its number (or with it), short, capitalised, closed by a stop, with no verb
    or figure, and the line going on. It states nothing: "Is there a requirement to appoint a
    compliance adviser?" was answered "Appointment of a compliance adviser." (a listed
    company's counsel's trial, thirty-third session)."""
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line_end = len(text) if line_end < 0 else line_end
    prefix = text[line_start:a].strip()
    if prefix and not _LINE_NUMBER.fullmatch(prefix):
        return False
    s = text[a:b].strip()
    number = _LINE_NUMBER.match(s)
    if not prefix and (number is None or not number.group(0)):
        return False  # no rule's number before it: a sentence of its own
    # (a rule's dotted number: "10 Business Days." is no title, a review)
    if "." not in (prefix or (number.group(0) if number else "")):
        return False
    title = s[number.end() :].strip() if not prefix and number else s
    rest = text[b:line_end].strip()
    words = title.rstrip(".").split()
    return (bool(rest) and rest[:1].isupper() and title[:1].isupper() and title.endswith(".")
            and 0 < len(words) <= max_words
            and not _MODAL_WORD.search(title) and not _OTHER_VERB.search(title)
            and not re.search(r"\d", title)
            # (a sentence: "A Fund Manager requires a Licence.", "Not applicable to ...",
            # "ADGM's legal system provides certainty ...", a review)
            and words[0].lower() not in _NO_TITLE_OPENING and not _third_person_verb(words))  # fmt: skip


# the words no title opens with: determiners, pronouns, negations ("The Green Fund Investment
# Requirement." is a title, a second review)
_NO_TITLE_OPENING = frozenset(
    "a an this these that those it we they there each every any no not all such he she you i".split()  # noqa: SIM905
)
# the words that open a verb's object: "requires a Licence", "publishes its decisions"
_OBJECT_OPENING = frozenset(
    "a an the its their his her our any all each every such this these that those no".split()  # noqa: SIM905
)


def _third_person_verb(words: list[str]) -> bool:
    """Whether a lower-case word ending in "s" is followed by a determiner, which makes it a verb
    with its object ("requires a Licence", "publishes its decisions"), not a plural noun of a
    title ("Capital requirements.", "Credit procedures manual.", "Notification of documents sent
    to Shareholders.": a second review found these read as sentences)."""
    for w, nxt in itertools.pairwise(words):
        w = w.strip(",;:'\"“”‘’()")
        if (w.islower() and w.endswith("s") and not w.endswith(("ss", "'s", "’s"))
                and nxt.strip(",;:()").lower() in _OBJECT_OPENING):  # fmt: skip
            return True
    return False


def _within_quote(s: Sentence, chosen: Sequence[Sentence], reach: int = QUOTE_REACH) -> bool:
    """Whether ``s`` and every chosen sentence of its chunk fit in one quote of ``reach``."""
    return all(max(s.end, c.end) - min(s.start, c.start) <= reach
               for c in chosen if c.hit_rank == s.hit_rank)  # fmt: skip


ITEMS_BETWEEN = 3  # the most earlier items of its list quoted between an item and its stem


def foreign_ranks(question: str, hits: Sequence[Hit]) -> set[int]:
    """The ranks of the hits of another regime's text (``ingest --jurisdiction ADGM``) that the
    question does not name (``FOREIGN_PENALTY``)."""
    asked = asked_part(question)
    return {r for r, h in enumerate(hits)
            if is_foreign(j := h.document.get("jurisdiction"))
            and not named_regimes(question, [j or "AIFC"])
            and not ((book := h.document.get("rulebook")) and writes(asked, book, any_case=False))}  # fmt: skip


def list_stem(text: str, first: Sentence, end: int, reach: int = QUOTE_REACH,
              spans: Sequence[tuple[int, int]] | None = None,
              between_most: int = ITEMS_BETWEEN) -> list[Sentence]:  # fmt: skip
    """The stem of the list that ``first`` (a sentence of ``text``) is an item of, with the
    items before it: the sentence ending with the colon (or dash) that opens the list ("The
    customer risk assessment in (1) must be completed:"), and up to ``ITEMS_BETWEEN`` items
    between, when the quote from it to ``end`` stays within ``reach`` characters; empty when
    there is none. An item alone ("(a) prior to establishing a business relationship") does not
    say what it is an item of, and a later item's stem may say to whom the list applies: "(b)
    Rule 14.11.4 must be carried out within five days" was quoted as the client-money rule,
    without "For the purposes of an Authorised Person that conducts a Regulated Activity in
    relation to Virtual Assets ..." (a citation audit, twenty-fifth session; the stem of a first
    item only, before). The items between are quoted too, so the answer's lines show what the
    card's quote holds. A stem that is itself an item ("(a) obtain:") brings its own stem
    ("... it must:"), which says whom the list binds (a review)."""
    style = marker_styles(first.text)
    if not style:
        return []
    # (``spans``: the text's sentences, where the caller has them: ``sentences`` reads every
    # item's stem, and split the chunk again for each)
    spans = sentence_spans(text) if spans is None else spans
    before = [(a, b) for a, b in spans if b <= first.start]
    between: list[tuple[int, int]] = []
    while before and len(between) <= between_most:
        a, b = before.pop()
        part = text[a:b]
        own = marker_styles(part)
        # (the sentence right before an item, opening a list, is its stem whatever its marker:
        # "(i)" is a letter and a numeral, and "(a) ... the fee must be paid:" was no stem of
        # "(i) in USD; and", a regulatory lawyer's trial, thirty-third session)
        if is_list_stem(part) and (not own & style or not between):
            if end - a > reach:  # "... if the Regulator—"
                return []
            found = [Sentence(first.hit_rank, x, y, text[x:y], 0.0, 0.0, bool(figures(text[x:y])), False)
                     for x, y in [(a, b), *reversed(between)]]  # fmt: skip
            outer = list_stem(text, found[0], end, reach, spans, between_most) if own else []
            if not own and part.lstrip()[:1].islower():
                # a stem that goes on from a list before it ("(5) ... it is not a reasonable
                # excuse for a person to refuse or fail to— (a) ...; (c) answer questions;"
                # then "pursuant to any requirement ... on the grounds that any such ... answer—"
                # and "(d) might tend to incriminate the person"): that list and its stem come
                # too; alone the quote read as a ground to refuse (a lawyer's trial on FSMR
                # s.206(5), thirty-fifth session)
                x, y = next(((x, y) for x, y in reversed(spans) if y <= a), (a, a))
                if y > x and marker_styles(text[x:y]):
                    last = Sentence(first.hit_rank, x, y, text[x:y], 0.0, 0.0,
                                    bool(figures(text[x:y])), False)  # fmt: skip
                    if outer := list_stem(text, last, end, reach, spans, between_most):
                        return [*outer, last, *found]
            return [*outer, *found]
        # an item of the list (or of a list nested in an earlier item: "(a) keep records of:
        # (i) ...; (ii) ...;" before "(b)"), not one that ended its list ("(b) government
        # bonds." then "(2) ...", whose "(1) ... in:" is a sibling, not its stem: a review)
        if not own or (own & style and part.rstrip().endswith(".")):
            return []
        between.append((a, b))
    return []


def list_items(text: str, stem: Sentence, start: int, reach: int = QUOTE_REACH) -> list[Sentence]:
    """The items of the list that ``stem`` (a sentence of ``text`` ending with a colon or a dash)
    opens (``list_item_spans``), while the quote from ``start`` stays within ``reach``
    characters: a stem alone ("... must send a statement:") leaves out what the rule requires
    ("(a) to a Retail Client at least monthly; or"), a trial on the real COBS, twenty-seventh
    session. Empty when none follows."""
    # (or a sentence that names "the following" and ends with a full stop, items right after
    # it: "... will need to disclose, among other things, the following information to
    # clients." then "4.12.a. The nature and scope ...", a robo-adviser's trial, thirtieth
    # session)
    # (such a list's items are sentences, each ending with a full stop: they go on while the
    # next sentence is an item of the same kind, a review)
    if is_list_stem(stem.text):
        spans = list_item_spans(text, stem.end)
    elif not marker_styles(stem.text) and _FOLLOWING.search(stem.text):
        spans = _same_kind_items(text, stem.end)
    else:
        return []
    items: list[Sentence] = []
    for a, b in spans:
        if b - start > reach:
            break
        part = text[a:b]
        items.append(Sentence(stem.hit_rank, a, b, part, 0.0, 0.0, bool(figures(part)), False))
    if not items and stem.text.rstrip().endswith(":"):
        # a form of words a colon opens in quotation marks ("... the following statement
        # displayed prominently on its front page:" then "'This offer document is an Exempt
        # Offer ... advisor.'"): its sentences to the closing mark, within reach (the stem alone
        # was quoted, a tokenisation founder's trial on the real MKT, thirtieth session); not
        # a heading, a table or the next paragraph after any other colon (a review)
        spans = [(a, b) for a, b in sentence_spans(text) if a >= stem.end]
        if spans and text[spans[0][0] : spans[0][1]].lstrip()[:1] in _OPENING_QUOTES:
            for a, b in spans:
                part = text[a:b]
                if b - start > reach or _RULE_OPENS.match(part) or marker_styles(part):
                    break
                items.append(
                    Sentence(stem.hit_rank, a, b, part, 0.0, 0.0, bool(figures(part)), False)
                )
                if part.rstrip()[-1:] in _CLOSING_QUOTES:
                    break
    return items


# (not "the following year" or "the following day": a time, not a list, a review)
_FOLLOWING = re.compile(
    r"\b(?:the\s+following(?!\s+(?:(?:business|working|calendar|financial)\s+)?"
    r"(?:years?|months?|weeks?|days?|quarters?|periods?)\b)|as\s+follows)\b",
    re.I,
)


def _same_kind_items(text: str, end: int) -> list[tuple[int, int]]:
    """The sentences right after ``end`` that open with a list marker of the first one's kind."""
    out: list[tuple[int, int]] = []
    style: frozenset[str] = frozenset()
    spans = [(a, b) for a, b in sentence_spans(text) if a >= end]
    for i, (a, b) in enumerate(spans):
        own = marker_styles(text[a:b])
        if not own and out and i + 1 < len(spans):
            # a sentence of the item before it, where the list goes on after it ("e. Publicly
            # listed companies ... . For the avoidance of doubt, ..." then "f. Investment
            # Companies.": f. and g. were lost, and a founder read investment companies as in
            # scope, a fund COO's trial, fortieth session)
            # (only where the next item's label follows the last one's, "f." after "e.", and the
            # sentence opens no rule or paragraph: a second list after a sentence of its own,
            # "a." again, was read as the first's, a review)
            nxt = text[spans[i + 1][0] : spans[i + 1][1]]
            last = item_label(text[out[-1][0] : out[-1][1]])
            if (marker_styles(nxt) & style and label_follows(last, item_label(nxt))
                    and not _RULE_OPENS.match(text[a:b])):  # fmt: skip
                out[-1] = (out[-1][0], b)
                continue
        if not own or (style and not own & style):
            break
        style = style or own
        out.append((a, b))
    return out


_OPENING_QUOTES = "'‘\"“«"
_CLOSING_QUOTES = "'’\"”»"


# a sentence that opens a rule of its own ("4.3.5 Pursuant to ...")
_RULE_OPENS = re.compile(r"\s*\d{1,3}(?:\.\d{1,3}[A-Z]?)+\.?\s")


# an item after which its list has more: it ends with a semicolon or a comma, or with "and" or
# "or" after one ("(e) ... any such system; or")
_ITEM_GOES_ON = re.compile(r"(?:[;,]|[;,]\s*(?:and|or))\s*$", re.I)


def list_cut(c: Citation) -> str | None:
    """A note where ``c``'s quote stops inside a list that its chunk goes on with: "[1] MKT
    4.3.1: the quote stops inside a list, which goes on from item (5) (see the full text)" (a
    tokenisation founder read items (1) to (4) of thirteen as the whole rule, thirtieth session).
    None where the quote ends no list item or stem, or the list ends with it. A quote that runs
    to its passage's end with a stem or an item that does not close its list ("... the following
    liabilities ...—", "(c) ... civil law;") says the list goes on past the passage: BRR
    s.49(7)'s stem was quoted alone, its items in the rule's next passage, without a word (a
    bank's recovery officer's trial, thirty-fourth session)."""
    text, quote = c.full_text, c.quote
    at = text.find(quote) if quote else -1
    if at < 0:
        return None
    end = at + len(quote.rstrip())
    spans = sentence_spans(text)
    last = next((text[a:b] for a, b in spans if a < end <= b), None)
    after = [text[a:b] for a, b in spans if a >= end]
    if last is None or not (marker_styles(last) or is_list_stem(last)):
        return None
    name = f"[{c.n}] {c.ref}" if c.ref else f"[{c.n}]"
    if not after:
        if text[end:].strip() or not (is_list_stem(last) or _ITEM_GOES_ON.search(last)):
            return None
        where = f'search "{c.ref}" for the rest' if c.ref else "see the document"
        return f"{name}: the quote stops inside a list, which goes on past this passage ({where})"
    label = item_label(after[0])
    if (label is None and marker_styles(last) and len(after) > 1 and not marker_styles(after[0])
            and not _RULE_OPENS.match(after[0])
            and label_follows(item_label(last), item_label(after[1]))):  # fmt: skip
        # a sentence of the last item's own before the next item ("e. ... . For the avoidance
        # of doubt, ..." then "f. ..."): the list goes on from that item (the same trial; not
        # a next paragraph's list, "11.2.1.(3) ...:" then "(a)" after "(b)", a review)
        label = item_label(after[1])
    if label is None:
        return None
    if label in BULLETS:  # a bullet names no item
        return f"{name}: the quote stops inside a list, which has more items (see the full text)"
    return f"{name}: the quote stops inside a list, which goes on from item {label} (see the full text)"


# a definition given for one part of a text only: "means for the purposes of Part 13, ..."
# (not "for the purposes of these Rules", the whole text's)
_SCOPED = re.compile(
    r"\bfor\s+the\s+purposes?\s+of\W*(?:Part|Chapter|sections?|Rules?\W+\d|paragraphs?|Schedule)\b",
    re.I,
)


# a duty said not to hold: "is not required to", "need not", "may waive"
_NOT_SET = re.compile(r"\b(?:not|no|never|need\s+not|waive[sd]?|exempt(?:ed)?)\b", re.I)


def _in_a_list(sentence: str) -> bool:
    """Whether ``sentence`` is read inside a list: words going on from an item before ("pursuant
    to any requirement ..."), or an item that does ("(d) might tend to incriminate the person; or",
    "(a) Name;", "(b) P intends by creating the impression ..."). A paragraph numbered in digits
    ("(2) A firm must keep records ...", "94) The FSRA expects ...") is one only where its words
    after the label go on in lower case or it closes as an item does (a review)."""
    label = item_label(sentence)
    if label is None:
        return sentence[:1].islower()
    if "digit" not in marker_styles(sentence):
        return True
    rest = sentence.lstrip()[len(label) :].lstrip()
    return rest[:1].islower() or bool(_ITEM_GOES_ON.search(sentence))


def list_opened_before(c: Citation) -> str | None:
    """A note where ``c``'s quote begins inside a list (``_in_a_list``) whose opening words it
    does not quote: earlier in its passage (the stem whose first item is of the quoted item's
    kind, items and nested lists between), or in the passage before, its passage opening inside
    the list ("(c) answer questions;" then "pursuant to any requirement ... on the grounds that
    any such answer—"). FSMR s.206(5)'s "it is not a reasonable excuse for a person to refuse or
    fail to—" lay in the passage before, and "... (d) might tend to incriminate the person" read
    as a ground to refuse (a lawyer's trial, thirty-fifth session). None elsewhere."""
    text, quote = c.full_text, c.quote
    at = text.find(quote) if quote else -1
    if at < 0:
        return None
    opening = [text[a:b].lstrip() for a, b in sentence_spans(text) if a <= at]
    # (an item, not a paragraph numbered: "(2) A firm must keep records for six years." or
    # "94) The FSRA expects ... may include:" stands as a sentence of its own, a review and a
    # custodian's trial; 2,251 of the 11,008 ADGM chunks open with a label)
    if not opening or not _in_a_list(opening[-1]):
        return None
    name = f"[{c.n}] {c.ref}" if c.ref else f"[{c.n}]"
    # the list's items back to its stem: earlier in the passage, unquoted ("The MLRO must report
    # semi-annually ... The report must include:" above "(b) ..." was not said, a browser
    # trial), or in the passage before, the passage opening inside the list
    # (a stem whose first item is of the quoted item's kind: not a nested list's, "(i) ... must:"
    # inside an item before it, a review)
    style = marker_styles(opening[-1])
    for k in range(len(opening) - 2, -1, -1):
        s = opening[k]
        if is_list_stem(s) and (not style or marker_styles(opening[k + 1]) & style):
            return (f"{name}: the quote begins inside a list, whose opening words are earlier in "
                    "its passage (see the full text)")  # fmt: skip
        if not (_in_a_list(s) or is_list_stem(s)):
            return None
    where = f'search "{c.ref}" for them' if c.ref else "see the document"
    return f"{name}: the quote begins inside a list, whose opening words are in the passage before ({where})"


def _with_inner_stems(text: str, sents: list[Sentence]) -> list[Sentence]:
    """``sents`` (of ``text``, in order) with the stem of each nested list an item of which is
    quoted, and the items between, where they stand inside the quoted run: "(b) immediately
    report, along with full details of that information in writing, to:" was left out between
    "(a) ..." and "(i) the Regulator, any suspected or actual Market Abuse;", though the card's
    quote, which runs from the first sentence to the last, held it (a market-surveillance
    head's trial on the real MIR, thirtieth session)."""
    have = {s.start for s in sents}
    more: list[Sentence] = []
    for s in sents[1:]:
        for x in list_stem(text, s, s.end):
            if x.start > sents[0].start and x.start not in have:
                more.append(x)
                have.add(x.start)
    return sorted([*sents, *more], key=lambda s: s.start) if more else sents


def list_tail(text: str, last: Sentence, start: int, reach: int = QUOTE_REACH) -> list[Sentence]:
    """The items after ``last`` (a list item of ``text``) and the list's closing words, which
    apply to each item (``list_closing``: "(e) any relevant communications with the FIU;" is
    kept "for at least six years from ...", after "(g) ... Rules,"), while the quote from
    ``start`` stays within ``reach`` characters; empty where the list has none (a trial on the
    real AML rulebook, twenty-eighth session: the item was quoted without its period)."""
    if not marker_styles(last.text):
        return []
    closing = list_closing(text, last.end)
    if closing is None or closing[1] - start > reach:
        return []
    spans = [(a, b) for a, b in sentence_spans(text) if last.end <= a and b <= closing[1]]
    return [Sentence(last.hit_rank, a, b, text[a:b], 0.0, 0.0, bool(figures(text[a:b])), False)
            for a, b in spans]  # fmt: skip


def table_header(text: str, first: Sentence, end: int, reach: int = QUOTE_REACH) -> list[Sentence]:
    """The header row of the table whose row ``first`` is, when the quote from it to ``end``
    stays within ``reach``: a row alone ("Payment Services | 25,000") does not say what its
    figure is (the header: "Activity | Application fee ($)"). Empty otherwise."""
    header = header_of(text, first.start)
    if header is None:
        return []
    line_start = text.rfind("\n", 0, first.start) + 1
    at = text.rfind(header + "\n", 0, line_start)
    if at < 0 or end - at > reach:
        return []
    head = Sentence(first.hit_rank, at, at + len(header), header, 0.0, 0.0, False, False)
    # the sentence that introduces the table, right before it ("Details of the lowered
    # prudential capital requirements for Digital Investment Managers who meet the criteria
    # in Paragraph 3.11 are set out in the table below.": the row "3C | $10,000" alone read as
    # every 3C firm's capital, a fintech founder's trial, thirty-second session)
    intro = next((Sentence(first.hit_rank, a, b, text[a:b], 0.0, 0.0, False, False)
                  for a, b in reversed(sentence_spans(text[:at]))
                  if not text[b:at].strip() or _TABLE_TITLE.fullmatch(text[b:at].strip())), None)  # fmt: skip
    if intro is not None and _INTRODUCES_TABLE.search(intro.text) and end - intro.start <= reach:
        return [intro, head]
    return [head]


# a table's title line ("Table 1: Prudential capital requirements"), and a sentence that says a
# table follows
_TABLE_TITLE = re.compile(r"Table\s+\d{1,2}\b[^\n]{0,80}", re.I)
_INTRODUCES_TABLE = re.compile(r"\b(?:table|below|following|as\s+follows)\b|:\s*$", re.I)


def antecedent(text: str, first: Sentence, end: int, reach: int = QUOTE_REACH) -> Sentence | None:
    """The sentence just before ``first`` (a sentence of ``text``) when ``first`` leans on it with
    a pronoun ("The FIU is Kazakhstan's Financial Monitoring Agency (AFM), a state body." before
    "Suspicious transaction reports ... go to it"): quoted with it, so that the quote says who
    "it" is ("Who do we report suspicious transactions to?" was answered "... go to it.", a
    stablecoin founder's trial, twentieth session). Not a heading, and within ``reach``."""
    if not BACK_PRONOUN.search(first.text):
        return None
    before = [(a, b) for a, b in sentence_spans(text) if b <= first.start]
    if not before:
        return None
    a, b = before[-1]
    prev = text[a:b]
    if prev.lstrip().startswith("#") or not _LOWER.search(prev) or end - a > reach:
        return None
    subj = _subject_of(prev)
    if subj is None or _PRONOUN.fullmatch(subj.strip()):
        return None
    return Sentence(first.hit_rank, a, b, prev, 0.0, 0.0, bool(figures(prev)), False)


# The capacity a firm deals in, as the permission names write it ("Dealing in Investments as
# Principal", "as Agent"): a rule stated for one capacity does not state the other's figure.
_CAPACITY = re.compile(r"\bas\s+(principal|agent)\b")


def _line_pieces(text: str, rank: int, start: int, end: int | None = None) -> list[Sentence]:
    """Every non-blank line of ``text`` from ``start`` on (to ``end``), each a piece to quote
    verbatim (a rule looked up is quoted whole, its short lines and table rows included)."""
    out = []
    for m in re.finditer(r"[^\n]+", text[:end] if end is not None else text):
        if m.end() <= start:
            continue
        a = max(m.start(), start)
        piece = text[a : m.end()]
        body = piece.strip()
        if body:
            a += len(piece) - len(piece.lstrip())
            out.append(Sentence(rank, a, a + len(body), body, 0.0, 0.0, False, False))
    return out


def _in_context(text: str, sents: list[Sentence]) -> list[Sentence]:
    """The sentences chosen from one passage (in order), with what they need to be read: their
    list's stem or table's header, the sentence a pronoun stands for, their list's items."""
    stem = list_stem(text, sents[0], sents[-1].end) or table_header(text, sents[0], sents[-1].end)
    back = antecedent(text, sents[0], sents[-1].end)
    sents = stem + sents if stem else ([back, *sents] if back is not None else sents)
    sents = sents + list_items(text, sents[-1], sents[0].start)
    # a quoted stem with some of its items quoted goes on to its list's other items
    # after them: "15.9.1 An Authorised Person must:" with (a) alone read as the whole
    # rule, its (b) and (c) lost ("What does COBS 15.9.1 require?", a custodian's trial
    # on the real COBS, twenty-ninth session)
    opened = next((s for s in sents if is_list_stem(s.text)), None)
    if opened is not None and sents[-1] is not opened:
        # (its items before the last sentence quoted too: "... Schemes that allow:" and
        # the list's closing words were quoted without items a. to c., a review)
        have = {s.start for s in sents}
        more = [x for x in list_items(text, opened, sents[0].start)
                if x.start not in have and not any(s.start < x.start < s.end for s in sents)]  # fmt: skip
        sents = sorted([*sents, *more], key=lambda s: s.start)
    sents = sents + list_tail(text, sents[-1], sents[0].start)
    sents = _with_inner_stems(text, sents)
    return sents


class ExtractiveAnswerer:
    """Scores the sentences of the top hits against the question and quotes the best ones."""

    def __init__(self, tokenize: Callable[[str], list[str]], max_sentences: int = 3,
                 min_confidence: float = 0.3,
                 model: AnswerabilityModel | Literal["shipped"] | None = "shipped") -> None:  # fmt: skip
        self.tokenize = tokenize
        self.max_sentences = max_sentences
        self.min_confidence = min_confidence
        # The answerability model (answerability.json); None: the older heuristic confidence.
        self.model: AnswerabilityModel | None = load_model() if model == "shipped" else model
        self._generic = {t for w in _GENERIC for t in tokenize(w)}
        # the abbreviations the indexed text defines ({"dasp": "Digital Asset Service
        # Provider"}), set by the Assistant: a question that writes the name in full matches a
        # rule that writes the abbreviation, and the other way round
        self.abbreviations: Callable[[], Mapping[str, str]] | None = None
        self._abbr_terms: tuple[Mapping[str, str], list[tuple[set[str], set[str], str]]] | None
        self._abbr_terms = None

    def _abbreviation_terms(self) -> list[tuple[set[str], set[str], str]]:
        """(abbreviation's terms, long form's terms, long form's terms as a phrase) of each
        abbreviation the index defines; tokenised once per map (the map is rebuilt only when
        the index changes)."""
        table = self.abbreviations() if self.abbreviations else {}
        if self._abbr_terms is None or self._abbr_terms[0] is not table:
            rows = []
            for short, long in table.items():
                a_t, l_seq = set(self.tokenize(short)), self.tokenize(long)
                if a_t and l_seq and a_t != set(l_seq):
                    rows.append((a_t, set(l_seq), f" {' '.join(l_seq)} "))
            self._abbr_terms = (table, rows)
        return self._abbr_terms[1]

    def sentences(self, question: str, hits: Sequence[Hit]) -> list[Sentence]:
        excluded = excluded_terms(question, self.tokenize)
        # what the question excludes is no part of what it asks, except the words it also asks
        # with ("transaction" in "a transaction that is not a digital asset transaction")
        asked_terms = self.tokenize(_EXCLUDED.sub(" ", question))
        q_terms = [t for t in dict.fromkeys(asked_terms) if t not in self._generic]
        # a term asked the meaning of ("What is the definition of Client?") is what is asked:
        # "definition" is no word of it ("... referred to in the definitions of "Clearing
        # Member Client Contract" ..." led over GLO's "Client | Means a Retail Client or
        # Professional Client ...", and the answer was refused, a lawyer's trial, thirty-fifth
        # session)
        if (term := defined_term(question)) is not None:
            q_terms = [t for t in q_terms if t in set(self.tokenize(term))] or q_terms
        asks_fig = wants_figure(question)
        wanted = accepted_kinds(question) - {"count"}  # a count is read with what it counts
        # (a number within a few words of what it counts is the figure a "how many" question
        # asks: "How many English statutes apply in ADGM?" led with a sentence stating none,
        # "the 47 modified English statutes" unquoted, a lawyer's trial, fortieth session)
        thing = counted(question, self.tokenize) if "count" in accepted_kinds(question) else None
        at_once = asks_deadline(question)
        subject = asked_subject(question, self.tokenize)
        asked_seq = " ".join(self.tokenize(question))
        asked = set(asked_seq.split())
        # only a name the question spells out, as one phrase (expanding the abbreviations a
        # question uses brought in other chunks' sentences, golden citation precision 0.72 ->
        # 0.69; "providing money services in relation to digital assets" is no "digital asset
        # service provider")
        pairs = [(a_t, l_t) for a_t, l_t, phrase in self._abbreviation_terms()
                 if not a_t <= asked and phrase in f" {asked_seq} "]  # fmt: skip
        # the words the question names a role with, which a sentence naming that role in other
        # words also states ("Does our anti-money-laundering officer have to live in
        # Kazakhstan?" led with the sentence spelling out "Money Laundering Reporting Officer",
        # not "The MLRO must be resident in the Republic of Kazakhstan.", a trial)
        # (only the words the question uses for the role alone: "... a Money Laundering Reporting
        # Officer (MLRO) ... the submission of a Suspicious Activity Report" does not ask about a
        # report wherever the MLRO is named)
        role_words: dict[str, set[str]] = {}
        # a sentence's words in the question's form where they share its lemma ("keep" for the
        # question's "kept", "hold" for "held"): Snowball stems never meet an irregular verb's
        # forms, and "How long must complaint records be kept?" led with AML's "Records must be
        # kept ..." over "... must keep a record of each complaint ..." (a browser trial,
        # thirty-fourth session); for the ranking only, as the role's words are
        align = aligner(question, self.tokenize)
        named_roles = mentions(question)
        rest = question
        for _, written in named_roles:
            rest = rest.replace(written, " ")
        elsewhere = set(self.tokenize(rest))
        for role, written in named_roles:
            # only a name users write that rulebooks do not ("AML officer"): the rulebooks' own
            # ("MLRO", "Money Laundering Reporting Officer") are in the sentences as written, and
            # counting them again for every sentence naming the role moved citations on ADGM
            # check and the golden set, a measurement
            if written.lower().removesuffix("s") in USERS_FORMS:
                role_words.setdefault(role, set()).update(set(self.tokenize(written)) - elsewhere)
        raw: list[tuple[int, int, int, str, set[str], set[str]]] = []
        read_as: dict[tuple[int, int], str] = {}  # a table row's text with its units
        # each table's rows (by chunk and header): whether the question names the row's label
        rows_named: dict[tuple[int, str], dict[int, bool]] = {}
        # and each sentence (a list's item, a definition) naming a class of a word the question
        # names by its number ("Class 3"): whether it is the class asked (``item_named``; "What
        # is a Class 2 Captive Insurer?" led with Class 1's definition, an insurer's trial)
        asked_labels = numbered_labels(question)
        items_named: dict[tuple[int, int], bool] = {}
        # a noun the question qualifies by its cycle ("monthly returns"): a sentence giving it
        # another ("annual returns") after the others, as another class's row is
        asked_cycles = cycles(question, self.tokenize)
        cycles_named: dict[tuple[int, int], bool] = {}
        # where a paragraph the question names starts in a chunk of its rule ("DAA 3.1-1(3)(d)"
        # led with 3.1-1(2), a citation auditor's trial, twentieth session)
        books = [h.chunk.rulebook for h in hits]  # (their own codes read: "COBS 14.11.4")
        named = [r for r in named_refs(question, books) if r.paras]
        para_at: dict[int, set[int]] = {}
        guided = named_guidance(question, books)  # "AML 14.3.5 Guidance 3": where it starts
        for rank, hit in enumerate(hits):
            for r, n in guided:
                if hit.chunk.ref == str(r):
                    at = guidance_paragraph_at(hit.chunk.text, r.number, n, hit.chunk.is_guidance)
                    if at is not None:
                        para_at.setdefault(rank, set()).add(at)
            rule = chunk_ref(hit.chunk)
            for r in named:
                if rule is not None and rule.number == r.number and rule.contains(r) and rule != r:
                    at = paragraph_at(hit.chunk.text, r.number, r.paras[len(rule.paras) :])
                    if at is not None:
                        para_at.setdefault(rank, set()).add(at)
        for rank, hit in enumerate(hits):
            text = hit.chunk.text
            closings = list_closings(text)  # (each sentence's list's closing words, read once)
            ref_toks = set(self.tokenize(hit.chunk.ref or ""))  # every sentence belongs to its rule
            antecedent: set[str] = set()  # the previous sentence's subject, for its pronouns
            spans = sentence_spans(text)
            title_words: set[str] = set()  # a run-in title's, for the sentence it runs into
            for a, b in spans:
                s = text[a:b]
                if run_in_title(text, a, b):
                    # its words rank the sentence it heads, for the ranking only (as a list
                    # item's stem's words do)
                    title_words = set(self.tokenize(s))
                    antecedent = set()
                    continue
                # a table's row is read with its header ("3A | 500,000" under "Category | Base
                # Capital Requirement (US $)"): its words, and its columns' units
                header = header_of(text, a, hit.chunk.table_header)
                named_row = header is not None and label_named(s, question, self.tokenize)
                # (a short list item states what its stem asks: "(i) in USD; and" under "the fee
                # must be paid:" answers "In what currency must fees be paid?", a regulatory
                # lawyer's trial, thirty-third session)
                short = len(s) < 25 and not named_row and not marker_styles(s)
                # (a guidance's titled heading: "8.3.6.Guidance on Politically Exposed Persons
                # (PEPs) and corruption" led "What is a Politically Exposed Person?", an MLRO's
                # trial, thirty-fourth session)
                if (s.lstrip().startswith("#") or short
                        or not _LOWER.search(s) or _TITLE_ONLY.match(s)
                        or numbered_heading(text, a, b)
                        or GUIDANCE_LABEL.fullmatch(s.strip())):  # fmt: skip
                    antecedent = set()
                    continue  # a heading (Markdown, or a line in capitals) states nothing
                own = set(self.tokenize(s))
                if header is not None:
                    rows_named.setdefault((rank, header), {})[a] = named_row
                if named_row and header is not None:
                    own |= set(self.tokenize(header))
                    read_as[(rank, a)] = read_with_units(s, header)
                elif (closing := closings.get(b)) is not None:
                    # a list item states the figure of its list's closing words ("(e) ... FIU;"
                    # ... "for at least six years from ...")
                    read_as[(rank, a)] = f"{s} … {text[closing[0] : closing[1]]}"
                for a_t, l_t in pairs:  # "DASP" is "digital asset service provider"
                    if a_t <= own:
                        own |= l_t
                toks = own | ref_toks | (antecedent if _PRONOUN.search(s) else set())
                # the role's words in the question's form: they rank the sentences, but the
                # coverage the answerability model reads stays as it was fitted (a feature
                # computed otherwise than on tune)
                # (tokenized again only where a word was read in the question's form)
                aligned = align(s)
                kin: set[str] = (
                    title_words | (set(self.tokenize(aligned)) if aligned != s else set())
                ) - toks
                title_words = set()
                if role_words:  # "the MLRO" is the "anti-money-laundering officer" asked of
                    for role in roles(s) & role_words.keys():
                        kin |= role_words[role] - toks
                if asked_labels and (on := item_named(s, asked_labels)) is not None:
                    items_named[(rank, a)] = on
                if asked_cycles and (on := cycle_named(s, asked_cycles, self.tokenize)) is not None:
                    cycles_named[(rank, a)] = on
                if marker_styles(s):
                    # a list item is read with its stem's words ("(a) within 30 days of the
                    # relevant decision" under "A reference under subsection (1) shall be
                    # commenced—": "Within how many days must a reference to the Appeals Panel
                    # be made?" led with another section's "without undue delay", a statute
                    # lawyer's trial, thirty-second session); for the ranking only, as the
                    # role's words are
                    item = Sentence(rank, a, b, s, 0.0, 0.0, False, False)
                    # (however far the stem: "(f) whether Zakat is the responsibility of the
                    # Fund ..." under "... must state in the Fund's Prospectus:" five items up
                    # lost it, and items (a) and (b) were quoted for "What must an Islamic
                    # Fund's prospectus say about Zakat?", a fund manager's trial, thirty-third
                    # session)
                    stems = list_stem(text, item, b, spans=spans) or list_stem(
                        text, item, b, len(text), spans, len(spans)
                    )  # (as a quote holds it; else however far, for the ranking)
                    for st in stems:
                        if is_list_stem(st.text):
                            kin |= set(self.tokenize(st.text)) - toks
                raw.append((rank, a, b, s, toks, kin))
                subj = _subject_of(s)
                if subj is None:
                    antecedent = set()
                elif not _PRONOUN.fullmatch(subj.strip()):  # "It is valid ...": the one before
                    antecedent = set(self.tokenize(subj))
        # the words that say what kind of figure is asked ("within how many days"): a sentence
        # that shares none of the question's other words, nor a word of their family, states a
        # figure of that kind about something else and gets no figure bonus (a national
        # registration period answered a stablecoin redemption question, 2026-12-04)
        cue = cue_terms(question, self.tokenize) if asks_fig else set()
        aifc_only = national_law_excluded(question)
        foreign = foreign_ranks(question, hits)
        asked_types = asked_firms(question)
        asked_bounds = bounded_figures(question)
        often = frequency_of(question, self.tokenize) if "frequency" in wanted else None
        place_asked = not wanted and checks_place(question)
        subject_terms = [t for t in q_terms if t not in cue]
        n = max(1, len(raw))
        df = {t: sum(1 for r in raw if t in r[4]) for t in q_terms}
        idf = {t: math.log(1 + n / (1 + df[t])) for t in q_terms}
        total = sum(idf.values()) or 1.0
        # a row the question names by its label ("Category 3A") before the table's other rows,
        # which are then no answer ("1 | 10 million" led "... for a Category 2 firm?")
        row_score: dict[tuple[int, int], float] = {}
        for (rank, _), named_rows in rows_named.items():
            if any(named_rows.values()):
                for a, on in named_rows.items():
                    row_score[(rank, a)] = ROW_BONUS if on else -ROW_BONUS
        if any(items_named.values()):
            for key, on in items_named.items():
                row_score.setdefault(key, ROW_BONUS if on else -ROW_BONUS)
        if any(cycles_named.values()):
            # (below only: a sentence giving the noun the cycle asked gains nothing, as "annual"
            # of "Annual Audited Expenditure" or "annual general meeting" named no row, and the
            # items of its list that gave none lost to it: run D3)
            for key, on in cycles_named.items():
                if not on:
                    row_score.setdefault(key, -ROW_BONUS)
        out = []
        for rank, a, b, s, own_toks, kin in raw:
            coverage = sum(idf[t] for t in q_terms if t in own_toks) / total
            toks = own_toks | kin
            ranking = coverage + sum(idf[t] for t in q_terms if t in kin) / total
            # a figure of the kind asked ("quarterly" for "how often"; not the capital amount
            # beside it), any figure when the question names no kind
            fig_s = read_as.get((rank, a), s)
            has_fig = (_states(fig_s, wanted, at_once, often, question) if wanted
                       else "count" in figure_kinds(fig_s, thing, self.tokenize) if thing
                       else bool(figures(fig_s)))  # fmt: skip
            # every chunk of the rule named, not its first only: a rule split into chunks by
            # its paragraphs ("MKT 4.3.5" and its "(3) ... at least ten Business Days prior")
            # led with its opening words for "... how far in advance?" (a tokenisation founder's
            # trial, thirtieth session); its Guidance's other chunks only where its Guidance
            # leads, the rule's always (a review: "FUNDS 12.4.1(5)" lost the rule to its Guidance)
            ref_bonus = (
                0.5
                if "ref" in hits[0].matched_by
                and "ref" in hits[rank].matched_by
                and (rank == 0 or not hits[rank].chunk.is_guidance or hits[0].chunk.is_guidance)
                else 0.0
            )
            # (a sentence that itself excludes something, "If the trading venue is not a
            # Recognised Investment Exchange, ...", may be about the same exclusion)
            names_excluded = bool(excluded) and excluded <= toks and not _EXCLUDES.search(s)
            has_fig = has_fig and not names_excluded
            about = not cue or any(has_family(t, toks) for t in subject_terms)
            score = (
                ranking
                + 0.15 / (rank + 1)
                - (EXCLUSION_PENALTY if names_excluded else 0.0)
                - (SIGNPOST_PENALTY if _SIGNPOST.match(s) else 0.0)
                - (FOREIGN_PENALTY if rank in foreign else 0.0)
                - (
                    COMBINED_PENALTY
                    if asks_fig and asked_types and _combined(s, asked_types)
                    else 0.0
                )
                - (
                    NATIONAL_PENALTY
                    if aifc_only
                    and not AIFC_NAMED.search(s)
                    and hits[rank].document.get("jurisdiction") == "RK"
                    else 0.0
                )
                + (0.25 if asks_fig and has_fig and about else 0.0)
                + ref_bonus
                + (PARAGRAPH_BONUS if any(a <= at < b for at in para_at.get(rank, ())) else 0.0)
                - (
                    DIRECTION_PENALTY
                    if asked_bounds
                    and any(
                        asked_bounds.get(k) not in (None, d) for k, d in bounded_figures(s).items()
                    )
                    else 0.0
                )
                + (
                    SUBJECT_BONUS
                    if subject
                    and has_subject(s, subject, self.tokenize)
                    # (a glossary's row defines the term as written: "Control | has the
                    # meaning ..." led "Define Controller", the two one stem; a lawyer's trial)
                    and (term is None or " | " not in s or defining_line(s, term) is not None)
                    # (a definition for one part only, "Client | means for the purposes of Part
                    # 13, a client—", is no definition of the term asked, whose general one led
                    # after it: a lawyer's trial and a review, thirty-fifth session)
                    and not (
                        term is not None and _SCOPED.search(s) and not _SCOPED.search(question)
                    )
                    else 0.0
                )
                + row_score.get((rank, a), 0.0)
                + (
                    PLACE_BONUS
                    if place_asked
                    and about
                    and any(q.kind == "location" for q in parse(fig_s))
                    and any(has_family(t, toks) for t in subject_terms)
                    else 0.0
                )
            )
            terms = frozenset(t for t in q_terms if t in toks)
            out.append(Sentence(rank, a, b, s, score, coverage, has_fig, is_gap_statement(s),
                                terms, read_as.get((rank, a), "")))  # fmt: skip
        out.sort(key=lambda s: (-s.score, s.hit_rank, s.start))
        return out

    def confidence(self, hits: Sequence[Hit], ranked: Sequence[Sentence]) -> float:
        """Evidence strength in [0, 1]: dense similarity of the best hits and lexical coverage."""
        if hits and "ref" in hits[0].matched_by:
            return 1.0
        dense = max((h.dense_score or 0.0 for h in hits[:3]), default=0.0)
        coverage = max((s.coverage for s in ranked[:3]), default=0.0)
        return round(0.5 * dense + 0.5 * coverage, 4)

    @property
    def threshold(self) -> float:
        """The abstention threshold where reciprocal rank fusion ordered the evidence (a small index,
        such as the digest): the model's (fitted on tune), else ``min_confidence``. Evidence the
        learned re-ranker ordered is held to the ranked model's threshold (``threshold_for``)."""
        return self.model.threshold if self.model is not None else self.min_confidence

    def indexed_regime(self, name: str, idf: Callable[[str], float]) -> bool:
        """Whether the indexed text is that regulator's own: its name is about as common in the
        index (corpus IDF within 1.0) as the most common regime name, as "FSRA" (3.2) is beside
        "ADGM" (2.8) across the ADGM rulebooks; not named in a comparison or two, as "DFSA"
        (3.4) is in our digest beside "AFSA" (1.5)."""
        toks = self.tokenize(name)
        names = {t for r in (*_REGIMES, *OTHER_REGULATOR_NAMES) for t in self.tokenize(r)}
        if not toks or not names:
            return False
        # an index that names no regime at all (every name unseen) is not this regulator's
        if min(idf(t) for t in toks) >= max(idf(t) for t in names):
            return False
        return min(idf(t) for t in toks) - min(idf(t) for t in names) <= 1.0

    @staticmethod
    def _subject(ranked: Sequence[Sentence], idf: Callable[[str], float] | None) -> set[str]:
        """The question's rarest word that the evidence holds (by corpus IDF; ties: all of
        them), or nothing without IDF: what a gap statement must name to speak to the question."""
        held = frozenset().union(*(s.terms for s in ranked)) if ranked else frozenset()
        if idf is None or not held:
            return set()
        top = max(idf(t) for t in held)
        return {t for t in held if idf(t) >= top}

    def _rules_first(self, question: str, pool: list[Sentence], hits: Sequence[Hit],
                     idf: Callable[[str], float] | None,
                     known: Callable[[str], bool] | None) -> tuple[list[Sentence], Sentence | None]:  # fmt: skip
        """The evidence (and the rule's sentence to quote beside the memo's, if any) with the
        best rule's sentence ahead of those of no rulebook (the firm's
        memo, ``outside_rules``) where the rules alone would answer the question (the
        answerability model over the retrieved rules, at its threshold): after a founder
        uploaded a memo saying "Our MLRO may live in Dubai", "Can our MLRO live in Dubai?" was
        answered "Yes" from it, and the residence rule it contradicts was not cited (a browser
        trial, seventeenth session). What a firm's document says is no answer to what the rules
        require where they speak to the point; the memo's sentence is still quoted after the
        rule's, marked [not a rule]. Where they do not ("May the staff canteen serve breakfast
        on Fridays?"), the memo answers, marked so. The model alone passed weak evidence on our
        small digest, so the rule leads only where it is also about what the memo's sentence is
        about (below); where it is not, the rule's sentence is quoted second, after the memo's,
        so that a contradiction is in view either way."""
        outside = [outside_rules(h.document, h.chunk.ref) for h in hits]
        if not pool or not outside[pool[0].hit_rank] or self.model is None:
            return pool, None
        kept = [h for h, o in zip(hits, outside, strict=True) if not o]
        if not kept:
            return pool, None
        first = next((s for s in pool if not outside[s.hit_rank] and not s.is_gap), None)
        if first is None:
            return pool, None
        rest = [s for s in pool if s is not first]
        function = function_terms(self.tokenize)
        memo_terms = pool[0].terms - function
        shared = first.terms & memo_terms
        conf, f, _, _ = self.assess(question, kept, None, idf, known)
        if conf < self.model.threshold_for(f):
            # the rules alone do not pass, but a rule sentence on two of the memo sentence's
            # question words is quoted beside it, so that a contradiction is in view: "Is it true
            # that CDD records can be deleted after five years?" quoted the memo alone, without
            # the six-year rule (a browser trial, eighteenth session)
            if len(shared) >= 2:
                return [pool[0], first, *rest[1:]], first
            return pool, None
        # a figure asked for, which the rule's sentence states about what the memo's is about
        # (half its question words, one counting): the firm's own figure does not lead ("How
        # long must we keep CDD records?" led with a memo's "five years", the same trial; an
        # expense claim's deadline is not the AML Return's)
        if accepted_kinds(question) and first.has_figure and 2 * len(shared) >= len(memo_terms) > 0:
            return [first, *rest], None
        # the rule is about what the question is about: the head of the question's subject is
        # the head of the rule sentence's subject ("Can our MLRO live in Dubai?": "The MLRO must
        # be resident ..."); not a word elsewhere in it ("Where is our office located?" is not
        # answered by "An Authorised Firm, other than a Representative Office, must ...", nor
        # "Who is our custodian?" by "Reserves are held with regulated custodians", a review)
        span = subject_span(question)
        head = self.tokenize(question[span[0] : span[1]])[-1:] if span else []
        theirs = _subject_of(first.text)
        rule_head = self.tokenize(theirs.split(",")[0])[-1:] if theirs else []
        same_subject = bool(head and rule_head) and has_family(head[0], set(rule_head))
        # or it holds at least two, and half, of the question words the memo's sentence holds
        # ("Can we keep records for only three years?": records, years; "Can staff report
        # suspicions to their line manager ...?": staff, report, suspicions, MLRO, a review)
        same_words = len(shared) >= 2 and 2 * len(shared) >= len(memo_terms)
        # (not where the question's subject is a name of two words or more and the rule's
        # sentence holds under half of it, or not its head: "Who must the Data Protection
        # Officer report to?" led with GEN's list of mandatory functions, its "Compliance
        # Officer" and "Money Laundering Reporting Officer" sharing "officer" and "report", and
        # with AML's "data-protection law", a browser trial, thirty-fourth session)
        # (its head only where the subject is a name, its words capitalised: "our finance
        # director" is the rule's "Finance Officer" by half its words, a review)
        said = question[span[0] : span[1]] if span else ""
        subject_terms = set(self.tokenize(said)) - function
        words = [w for w in re.findall(r"[A-Za-z][\w-]*", said) if self.tokenize(w)]
        name = len(words) >= 2 and all(w[0].isupper() for w in words)
        if len(subject_terms) >= 2 and (
            2 * len(subject_terms & first.terms) < len(subject_terms)
            or (name and not set(head) <= first.terms)
        ):
            same_words = False
        if same_subject or same_words:
            return [first, *rest], None
        return [rest[0], first, *rest[1:]], first  # the memo's sentence, then the rule's

    def _unnamed_amount(self, question: str, hits: Sequence[Hit], reach: int = 3,
                        also: Sequence[int] = ()) -> bool:  # fmt: skip
        """Does the question ask for an amount that a noun names ("What capital must ...?",
        "What fee ...?"), and no sentence of the first ``reach`` provisions states an amount (or
        a percentage: "a safekeeping fee of no more than 0.25% a year", a review) beside that
        noun (its family counting; the provision's heading too)? A travel-rule threshold is no
        capital: with the search narrowed to AML, "What capital must a digital
        asset dealer ... hold?" was answered "USD 1,000: Below USD 1,000 only the names ..."
        (a browser trial, seventeenth session). ``also``: other provisions read (the best-ranked
        sentence's, wherever it is)."""
        if "amount" not in asked_kinds(question):
            return False
        # the nouns that name what an amount is (closed: the amount cue's own nouns)
        nouns = {t for w in ("capital", "fee", "fees") for t in self.tokenize(w)}
        cue = cue_terms(question, self.tokenize) & nouns
        if not cue:
            return False
        for h in [*hits[:reach], *(hits[i] for i in also if reach <= i < len(hits))]:
            heading = set(self.tokenize(" ".join(titles(h.chunk))))
            spans = sentence_spans(h.chunk.text)
            for a, b in spans:
                sent = h.chunk.text[a:b]
                # a table's row the question names, read with its header
                read, header = reading(h.chunk.text, a, b, question, self.tokenize,
                                       h.chunk.table_header)  # fmt: skip
                if not any(f.kind in ("amount", "percentage") for f in figures(read)):
                    continue
                words = heading | set(self.tokenize(f"{header or ''} {sent}"))
                if marker_styles(sent):
                    # a list item with its stem ("(c) for a Class 3 Captive Insurer: $500,000"
                    # under "The base capital requirement for a Captive Insurer is:" was no
                    # capital, and the question refused: an insurer's trial, thirty-third
                    # session)
                    item = Sentence(0, a, b, sent, 0.0, 0.0, False, False)
                    for st in list_stem(
                        h.chunk.text, item, b, len(h.chunk.text), spans, len(spans)
                    ):
                        if is_list_stem(st.text):  # (the stem only: a sibling item "(a)
                            # maintain capital resources" makes no fee of "(b)" capital, a review)
                            words |= set(self.tokenize(st.text))
                if any(has_family(t, words) for t in cue):
                    return False
        return True

    def _class_not_named(self, question: str, hits: Sequence[Hit], reach: int = 3) -> str | None:
        """The class a figure question names by its number ("Class 5") where the first ``reach``
        provisions name other classes of that word and never it: their figures are other
        classes' ("What is the base capital requirement for a Class 5 Captive Insurer?" was
        answered with Class 1's $150,000; there is no Class 5, a consultant's trial, thirty-third
        session). None otherwise."""
        if not asked_kinds(question):
            return None
        asked = numbered_labels(question)
        if not asked:
            return None
        named = [item_named(h.chunk.text, asked) for h in hits[:reach]]
        # (a table's row labelled by the number alone names it too: "3A | 500,000" under
        # "Category | Base Capital Requirement")
        rows = any(re.search(rf"(?m)^\s*{re.escape(n)}\s*\|", h.chunk.text)
                   for h in hits[:reach] for _, n in asked)  # fmt: skip
        if rows or any(n is True for n in named) or not any(n is False for n in named):
            return None
        word, number = sorted(asked)[0]
        return f"{word.capitalize()} {number}"

    def gap_only(self, question: str, hits: Sequence[Hit], ranked: Sequence[Sentence],
                 idf: Callable[[str], float] | None, reach: int = 3) -> Sentence | None:  # fmt: skip
        """A gap statement in one of the first ``reach`` provisions that names the question's
        subject (its rarest word the evidence holds, a distinctive one: corpus IDF >= 2) where
        no other sentence of the evidence names it: what is asked about is in the index only as
        a point left open. "What insurance must a digital asset custodian hold?" was answered
        with a dealer's disclosure rule, while the only sentences naming insurance said
        "... custody insurance, are not specified" (a custodian's trial, seventeenth session).
        Not for a figure question, which ``gap_beside`` reads. Never without IDF."""
        if asked_kinds(question) or wants_figure(question):
            return None
        stated = {t for t in self.tokenize(question) if number(t) is not None}
        subject = self._subject(ranked, idf) - stated
        if idf is None or not subject or min(idf(t) for t in subject) < 2.0:
            return None
        if any(s.terms & subject for s in ranked if not s.is_gap):
            return None
        # (a gap statement that states a figure states something: "... must hold capital of at
        # least USD 200,000, with more where ... (the rest of the text is not specified ...)")
        gaps = [s for s in ranked if s.is_gap and subject <= s.terms and s.hit_rank < reach
                and not figures(s.text)]  # fmt: skip
        return max(gaps, key=lambda s: s.score) if gaps else None

    def gap_beside(self, question: str, hits: Sequence[Hit], ranked: Sequence[Sentence],
                   idf: Callable[[str], float] | None, reach: int = 2) -> Sentence | None:  # fmt: skip
        """For a figure question: a gap statement in one of the first ``reach`` retrieved
        provisions (or in the best sentence's, when it is among the three a refusal shows) that
        speaks to the question, though another provision's sentence may score higher: "The
        Table 2 amounts for ... arranging ... are not specified" beside the capital of a dealer,
        for a question on the capital of a firm that arranges, which a figure stated for another
        subject would otherwise answer. It speaks to the question when
        - it names a distinctive question word (corpus IDF >= 2) that none of the provision's
          other sentences names: the subject its figures are not stated for (a provision that is
          only gap statements, "The minimum capital of a DATF operator is not specified ...",
          names it only where the best sentence that is no gap statement does not: a gap on
          client investment reconciliations says nothing against a rule on client money
          reconciliations that names them), and
        - the provision as a whole (reference, headings, text; words of the same family count)
          names at least half of the IDF weight of the question words that the evidence holds,
          so that a gap on another subject sharing a word or two ("... a report within 4 months
          is not AIFC law" for a question on sanctions breaches) does not.
        Never without IDF."""
        if idf is None or not ranked or not (asked_kinds(question) or wants_figure(question)):
            return None
        q_terms = {t for t in self.tokenize(question) if t not in self._generic}
        # the rule words the alias table gives for the question's words name its subject too: a
        # broker "deals as agent or arranges", so "The Table 2 amounts for dealing as agent ...
        # arranging ... are not specified" speaks to a broker's capital, which the principal
        # dealer's USD 250,000 beside it does not state (a founder's trial, 2026-12-05)
        adds = alias_words(question)
        q_terms |= {t for t in self.tokenize(adds) if t not in self._generic}
        # (a capacity the question or its alias words name, "as principal" for a dealer, is the
        # subject of a rule that states it: that rule's figure answers, the gap beside it is a
        # part left open; a dealer's capital got a refusal without this, a review of the above)
        asked_capacities = _CAPACITY.findall(f"{question} {adds}".lower())

        named_cache: dict[int, frozenset[str]] = {}

        def named_in(s: Sentence) -> frozenset[str]:
            """The question words ``s`` names, a word of the same family counting ("custody"
            for "custodian"); each sentence tokenised once."""
            key = id(s)
            if key not in named_cache:
                words = set(self.tokenize(s.text))
                named_cache[key] = s.terms | {t for t in q_terms if has_kin(t, words)}
            return named_cache[key]

        # a question word counts as named where a provision names a rule word the alias table
        # gives for it: "licence" is "authorised ... Regulated Activity permission", so "how much
        # capital need for crypto broker license?" is asked of the capital rule that speaks of
        # permissions (it led with the principal dealer's USD 250,000 without this, because a
        # licensing rule beside it named "licence" and the capital rule did not)
        kin_of: dict[str, frozenset[str]] = {}
        for word in re.findall(r"[^\W\d_]+", question):
            given = alias_words(word)
            stems = self.tokenize(word) if given else []
            if stems:
                kin_of[stems[0]] = frozenset(self.tokenize(given)) - self._generic
        cue = cue_terms(question, self.tokenize)
        best_rule = next((named_in(s) for s in ranked if not s.is_gap), frozenset())
        held = frozenset().union(*(s.terms for s in ranked))
        mass = sum(idf(t) for t in held)
        if mass <= 0:
            return None
        # the provisions read: the first ``reach``, the best sentence's, and those whose figure
        # of the kind asked could lead the answer (a dealer's capital beside "custody ... not
        # specified", for a question on a custodian's capital)
        from assistant.answer.summary import figure_fits

        fits = figure_fits(question)
        leads = [s.hit_rank for s in ranked if not s.is_gap and s.has_figure
                 and any(fits(f, s.text) for f in figures(s.text))]  # fmt: skip
        ranks = dict.fromkeys([*range(min(reach, len(hits))), ranked[0].hit_rank, *leads])
        for rank in ranks:
            own = [s for s in ranked if s.hit_rank == rank]
            gaps = [s for s in own if s.is_gap and named_in(s)]
            hit = hits[rank]
            if rank >= 3 or not gaps or hit.chunk.repealed:
                continue
            rules = [s for s in own if not s.is_gap]
            # what the provision's rules name, or, for a provision of gap statements only, what
            # the best rule sentence of the evidence names
            rule_terms = frozenset().union(*(named_in(s) for s in rules)) if rules else best_rule
            # (the words that name the figure asked, "minimum capital", are not its subject:
            # "The minimum capital of a DATF operator is not specified" says nothing against the
            # capital of a money-services firm that a rule states "at least USD 200,000")
            # nor is a figure the question states ("Must records be kept for five years?" against
            # "... (for example ten years or five years) are not AIFC law" beside the six-year
            # rule: a premise the rule answers, not a point left open; an MLRO's trial was refused)
            named = [s for s in gaps
                     if any(idf(t) >= 2.0 and number(t) is None
                            for t in named_in(s) - rule_terms - cue)]  # fmt: skip
            if any(c in _CAPACITY.findall(r.text.lower()) for r in rules for c in asked_capacities):
                continue
            if not named or self._answered_beside_exclusion(question, own):
                # (nor a provision that states the figure beside an exclusion of another regime's:
                # "State the period for which CDD records must be retained." was refused from
                # AML 14.5.1, a questionnaire trial, 2026-12-05)
                continue
            c = hit.chunk
            toks = set(
                self.tokenize(
                    f"{c.ref or ''} {' '.join(c.heading_path)} {c.table_header or ''} {c.text}"
                )
            )
            # (a noun in -sion counts for its verb here as in ``named_in``: "No statutory
            # decision period for a full licence ..." is about "deciding" a licence application,
            # which was answered with a FinTech Lab extension's "at least 2 months", a trial)
            covered = (t for t in held if has_kin(t, toks) or kin_of.get(t, frozenset()) & toks)
            if sum(idf(t) for t in covered) >= 0.5 * mass:
                return max(named, key=lambda s: s.score)
        return None

    def assess(self, question: str, hits: Sequence[Hit], ranked: Sequence[Sentence] | None = None,
               idf: Callable[[str], float] | None = None,
               known: Callable[[str], bool] | None = None) -> tuple[float, dict[str, float], bool, bool]:  # fmt: skip
        """(confidence, features, gap_near, figure_missing) for the question and its evidence.
        Confidence is the model's P(answerable) when a model is loaded."""
        ranked = self.sentences(question, hits) if ranked is None else ranked
        near = [s for s in ranked if ranked and s.hit_rank == ranked[0].hit_rank]
        # a figure the question states is a premise the evidence may answer, not its subject:
        # "Must records be kept for ten years?" is answered by the six-year rule beside "(for
        # example ten years or five years) are not AIFC law", not refused (an MLRO's trial)
        stated = frozenset(t for t in self.tokenize(question) if number(t) is not None)
        gap_terms = frozenset().union(*(s.terms for s in near if s.is_gap)) - stated
        answer_terms = frozenset().union(*(s.terms for s in near if not s.is_gap)) - stated
        # A gap sentence that shares no word with the question says nothing about it; nor does
        # one that misses the question's rarest word that the evidence holds (the subject asked
        # about): "... a report within 4 months is not AIFC law" says nothing of when sanctions
        # breaches are reported, though it shares "report" and "within".
        subject = self._subject(ranked, idf) - stated
        gap_near = (
            bool(ranked)
            and subject <= gap_terms
            and (
                (ranked[0].is_gap and bool(ranked[0].terms - stated))
                or bool(gap_terms - answer_terms)
            )
            and not self._answered_beside_exclusion(question, near)
        )
        best_cov = max((s.coverage for s in ranked[:3]), default=0.0)
        f, fig_present = features(question, hits, self.tokenize, best_cov, gap_near, idf, known)
        # beyond the top three, a sentence that states the figure and names every term of the
        # question's subject ("a minimum Leverage Ratio of 3%", fifth, was refused: a CFO's
        # trial on the real PRU rulebook, twenty-fifth session); not a bare figure there, which
        # would answer with another provision's figure (reading five provisions did, twenty-fourth)
        deep = (
            bool(asked_kinds(question))
            and not fig_present
            and figure_in_evidence(
                question,
                hits[3:DEEP_FIGURE],
                self.tokenize,
                question_weights(question, self.tokenize, idf),
                idf,
                known,
                every_term=True,
            )
        )
        # the best-ranked sentence a table's row whose label the question names ("3C" of "a
        # Category 3C firm"), stating a figure of the kind asked, within the hits the gate
        # reads: the figure is in evidence though not every word of the question is in its
        # clause (PRU 3.3.2's "3C | 250,000, except where ...", sixth, led the ranking and was
        # refused for "What is the base capital requirement for a Category 3C firm?", as
        # "firm" is in neither the row nor its header: a finance director's trial, thirty-
        # fourth session)
        deep = deep or (
            bool(asked_kinds(question))
            and not fig_present
            and bool(ranked)
            and ranked[0].hit_rank < DEEP_FIGURE
            and bool(ranked[0].read_as)
            and label_named(ranked[0].text, question, self.tokenize)
            and _states(ranked[0].figure_text, accepted_kinds(question))
            and self._row_about(question, hits[ranked[0].hit_rank].chunk, ranked[0])
        )
        # the best-ranked sentence, within the hits the gate reads, giving the thing asked
        # about its cycle in an adjective ("(d) provides at least semi-annual exposure stress
        # testing ..." for "How often must a Private Credit Fund conduct exposure stress
        # testing?", a rule's second chunk, fourth, was refused): the adjective qualifies the
        # question's own words (``frequency_of``), as closely as a row's label names them, and
        # the sentence holds every word of the question but one, as a row must (not for
        # "... liquidity stress testing?"; a fund COO's trial on the real FUNDS, thirty-fifth
        # session)
        deep = deep or (
            "frequency" in accepted_kinds(question)
            and not fig_present
            and bool(ranked)
            and ranked[0].hit_rank < DEEP_FIGURE
            and len(frequencies(ranked[0].figure_text, frequency_of(question, self.tokenize)))
            > len(frequencies(ranked[0].figure_text))
            and self._row_about(question, hits[ranked[0].hit_rank].chunk, ranked[0])
            # (not where it is negated or waived: "... is not required to conduct semi-annual
            # exposure stress testing", a review)
            and not _NOT_SET.search(ranked[0].text)
        )
        figure_missing = (bool(asked_kinds(question)) and not fig_present and not deep) or bool(
            unknown_limit(question, self.tokenize, known)
        )
        if self.model is None:
            return self.confidence(hits, ranked), f, gap_near, figure_missing
        return round(self.model.probability(f), 4), f, gap_near, figure_missing

    def _row_about(self, question: str, chunk: Chunk, row: Sentence) -> bool:
        """Whether a table's row and its header hold every word of the question but one, the
        words saying what figure is asked aside: "Category | Base Capital Requirement (US $)"
        over "3C | 250,000" for the base capital of a Category 3C firm, not for its professional
        indemnity insurance or its operational risk capital (a review: those were answered
        with the base capital once a named row beyond the top three answered)."""
        header = header_of(chunk.text, row.start, chunk.table_header) or ""
        held = set(self.tokenize(f"{header} {row.text}"))
        asked = (set(self.tokenize(question)) - function_terms(self.tokenize)
                 - cue_terms(question, self.tokenize))  # fmt: skip
        return len(asked - held) <= 1

    @staticmethod
    def _answered_beside_exclusion(question: str, near: Sequence[Sentence]) -> bool:
        """Does the best chunk state the figure asked for, and its only gap statements say that
        another regime's figures are not AIFC law? Such a sentence excludes a foreign answer; it
        does not say the AIFC point is open ("What is the AML record retention period?" beside
        "Records must be kept for at least six years ... Retention periods of other jurisdictions
        ... are not AIFC law" was refused, a trial 2026-12-05)."""
        wanted = accepted_kinds(question)
        gaps = [s for s in near if s.is_gap]
        if not wanted or not gaps or any(not is_exclusion(s.text) for s in gaps):
            return False
        if _OTHER_REGIME.search(question) or OTHER_REGULATORS.search(question):
            return False  # asked of the regime excluded ("... in other jurisdictions?", a review)
        at_once = asks_deadline(question)
        return any(figure_kinds(s.figure_text, at_once=at_once) & wanted
                   for s in near if not s.is_gap)  # fmt: skip

    def answer(self, question: str, hits: Sequence[Hit], idf: Callable[[str], float] | None = None,
               known: Callable[[str], bool] | None = None,
               missing: Sequence[str] = ()) -> Extract:  # fmt: skip
        """``missing``: the paragraphs the question names that their rule's indexed text does
        not have (``Retriever.missing_paragraphs``)."""
        if not hits:
            return Extract(REFUSAL, [], True, 0.0, "no evidence retrieved")
        ranked = self.sentences(question, hits)
        conf, f, gap_near, figure_missing = self.assess(question, hits, ranked, idf, known)
        threshold = self.model.threshold_for(f) if self.model is not None else self.min_confidence
        if not ranked:
            return self._refuse(hits, ranked, conf, "no quotable sentence")
        # When something the question asks about is mentioned in the best chunk only by its gap
        # statements ("... custody insurance ... not specified in the indexed rules"), the index
        # does not answer it, and the passage is not quoted without that part.
        if gap_near:
            return self._refuse(
                hits, ranked, conf, "the best evidence says the point is not specified"
            )
        explicit_ref = "ref" in hits[0].matched_by
        refs = [r for r in named_refs(question, [h.chunk.rulebook for h in hits])
                if str(r) not in missing]  # fmt: skip
        if (refs or missing) and not any(holds(h.chunk, r) for h in hits for r in refs):
            # the question names a rule the index does not hold ("What does AML 9.4.2
            # require?"), or a paragraph its rule's text does not have ("AML 6.1.1(c)"; a text
            # that only mentions it, "cites section 32(4)", does not hold it either): with
            # nothing else to go on, other provisions are no answer (a consultant's chat got
            # AML 6.1.1 for it, confidently, 2026-12-04; a citation auditor, twentieth session)
            rest = strip_refs(question, [h.chunk.rulebook for h in hits])
            if len([t for t in self.tokenize(rest) if t not in self._generic]) <= 1:
                absent = refs[0] if refs else missing[0]
                return self._refuse(hits, ranked, conf,
                                    f"the rule named ({absent}) is not in the indexed rules")  # fmt: skip
        only = None if explicit_ref else self.gap_only(question, hits, ranked, idf)
        if only is not None:
            return self._refuse(hits, ranked, conf, "the evidence names what is asked only to say "
                                "it is not specified", prefer=only)  # fmt: skip
        beside = None if explicit_ref else self.gap_beside(question, hits, ranked, idf)
        if beside is not None:  # quoted for its provision among the closest ones
            reason = "a provision among the best evidence says the point is not specified"
            return self._refuse(hits, ranked, conf, reason, prefer=beside)
        regulator = asked_of_regulator(question)
        # (a regime indexed as such, ``ingest --jurisdiction ADGM``, is that regulator's)
        if (regulator and asked_kinds(question) and not AIFC_NAMED.search(question)
                and idf is not None and not self.indexed_regime(regulator, idf)
                and not any(h.document.get("jurisdiction") == regime_of(regulator)
                            for h in hits)):  # fmt: skip
            # "What minimum capital does VARA require ...?": the indexed rules are not VARA's,
            # so a figure from them is no answer about VARA's (a founder's trial got the DAA's
            # USD 250,000, under a note, as VARA's)
            return self._refuse(
                hits, ranked, conf,
                f"the figure asked for is {regulator}'s; the indexed rules are not {regulator}'s",
            )  # fmt: skip
        if figure_missing and not explicit_ref:
            # The question asks for an amount / period / frequency / percentage, and no evidence
            # about its subject states one: a figure given for something else is no answer.
            return self._refuse(hits, ranked, conf, "the figure asked for is not specified")
        if not explicit_ref and (unnamed := self._class_not_named(question, hits)):
            return self._refuse(hits, ranked, conf,
                                f"the figure asked for is not specified ({unnamed} is named nowhere "
                                "in the closest provisions, other classes of it are)")  # fmt: skip
        # (the best-ranked sentence's provision too: PRU 3.3.2's table, sixth, whose "3C |
        # 250,000" row led, a finance director's trial, thirty-fourth session)
        if not explicit_ref and self._unnamed_amount(question, hits, also=[ranked[0].hit_rank]):
            return self._refuse(hits, ranked, conf,
                                "the figure asked for is not specified (no amount of it is stated)")  # fmt: skip
        wanted = accepted_kinds(question)
        if explicit_ref and wanted:
            # The question names a rule and asks for a figure; the provisions it names state
            # none of that kind and one says the point is not specified ("How much is the
            # FinTech Lab application fee under FEES Schedule 8?": "The Schedule 8 amounts are
            # not specified"; a new user got the schedule's description as the answer).
            named = [s for s in ranked if "ref" in hits[s.hit_rank].matched_by]
            stated = any(figure_kinds(s.figure_text, at_once=asks_deadline(question)) & wanted
                         for s in named if not s.is_gap)  # fmt: skip
            gap = next((s for s in named if s.is_gap and s.terms), None)
            if gap is not None and not stated:
                return self._refuse(hits, ranked, conf,
                                    "the rule named says the figure asked for is not specified",
                                    prefer=gap)  # fmt: skip
        # (a glossary's own line for the term asked, leading, answers it whatever the model
        # makes of the evidence: "Client | Means a Retail Client or Professional Client ..." was
        # refused for "What is the definition of Client?", a lawyer's trial, thirty-fifth
        # session)
        # (a line that defines the term in words right after it, its short form in brackets or
        # a cell's bar between: not "Client: onboarding checklist, which includes ...", "Customer
        # Due Diligence (CDD): a Relevant Person must ..." nor "Penalty | USD 10,000" for "What
        # is the penalty?", reviews)
        term = defined_term(question)
        line = defining_line(ranked[0].text, term) if term is not None else None
        defines = line is not None and defines_in_words(line, term or "")
        if conf < threshold and not explicit_ref and not defines:
            return self._refuse(
                hits, ranked, conf, f"weak evidence (confidence {conf} < {threshold})"
            )
        # A repealed provision ("[intentionally omitted]") is not law in force: it is quoted as
        # the answer only when the question names it; otherwise it is one of the closest
        # provisions shown with a refusal, labelled "(repealed)".
        # (a question naming one rule does not let in repealed provisions it does not name: "Under
        # DAA 3.4.1, how often ..." was answered from the old AMI 6.6.1, 2026-12-04)
        pool = [s for s in ranked if not hits[s.hit_rank].chunk.repealed
                or (explicit_ref and "ref" in hits[s.hit_rank].matched_by)]  # fmt: skip
        if not pool:
            return self._refuse(hits, ranked, conf, "only repealed provisions speak to it")
        # With the repealed provisions set aside, the best evidence may be a gap statement ("...
        # is not AIFC law", "... is not specified"): it is never quoted as the answer.
        if pool[0].is_gap and self._answered_beside_exclusion(
            question, [s for s in pool if s.hit_rank == pool[0].hit_rank]
        ):
            # the sentence beside it that states the figure answers; the exclusion does not lead
            pool = [s for s in pool if not s.is_gap]
        if not explicit_ref and pool[0].is_gap:
            subject = self._subject(ranked, idf)
            if subject <= pool[0].terms:
                return self._refuse(
                    hits, ranked, conf, "the best evidence says the point is not specified"
                )
            # A gap statement on another subject says nothing of this one, but the evidence it
            # outranks did not answer either (tried: quoting the next sentence led with another
            # regime's reporting rules): refuse, without claiming the point is said to be open.
            return self._refuse(
                hits,
                ranked,
                conf,
                "no provision found states it (the closest gap statement is about another subject)",
            )
        pool, beside_rule = self._rules_first(question, pool, hits, idf, known)
        top = pool[0]
        # a Guidance paragraph named ("AML 14.3.5 Guidance 3") is quoted from its start: the
        # paragraphs before it in its chunk are other paragraphs (the first line led with
        # paragraph 2, which names "guidance", a citation auditor's trial, twenty-eighth session)
        lead = hits[top.hit_rank].chunk
        books = [h.chunk.rulebook for h in hits]
        starts = [at for r, n in named_guidance(question, books)
                  if lead.ref == str(r)
                  and (at := guidance_paragraph_at(lead.text, r.number, n, lead.is_guidance))
                  is not None]  # fmt: skip
        # likewise a rule's paragraph named ("What does FSMR s.225(2) provide?" led with (1), a
        # statute lawyer's trial, thirty-second session)
        own = chunk_ref(lead)
        starts += [at for r in named_refs(question, books) if r.paras and own is not None
                   and own.number == r.number and own.contains(r) and own != r
                   and (at := paragraph_at(lead.text, r.number, r.paras[len(own.paras) :]))
                   is not None and at > 0]  # fmt: skip
        if starts and any(s.hit_rank == top.hit_rank and s.end > starts[0] for s in pool):
            pool = [s for s in pool if s.hit_rank != top.hit_rank or s.end > starts[0]]
            top = pool[0]
        # a rule's Guidance asked for ("What does the Guidance under AML 11-1.2 say ...?") leads
        # with its Guidance, not the rule (a founder's and a PDF user's trials, twenty-ninth)
        asked = {str(r) for r in asked_guidance(question, [h.chunk.rulebook for h in hits])}
        if asked and not (
            hits[top.hit_rank].chunk.is_guidance and hits[top.hit_rank].chunk.ref in asked
        ):
            ahead = [s for s in pool if hits[s.hit_rank].chunk.is_guidance
                     and hits[s.hit_rank].chunk.ref in asked]  # fmt: skip
            if ahead:
                pool = ahead + [s for s in pool if s not in ahead]
                top = pool[0]
        asks_fig = wants_figure(question)
        # the rule a memo's sentence is beside is quoted whatever its score (it scored below the
        # cut and was dropped, a review: "Is it OK for our MLRO to live in Dubai?")
        chosen = [top] + ([beside_rule] if beside_rule is not None else [])
        for s in pool[1:]:
            if s is beside_rule:
                continue
            if len(chosen) >= self.max_sentences:
                break
            per_chunk = sum(1 for c in chosen if c.hit_rank == s.hit_rank)
            chunks = {c.hit_rank for c in chosen} | {s.hit_rank}
            if s.is_gap or per_chunk >= 2 or len(chunks) > 3 or s.score < 0.7 * top.score:
                continue
            if not _within_quote(s, chosen):
                continue
            chosen.append(s)
        # a heading on its own line is quoted with the sentence it heads: a guidance note that
        # writes its section's heading before each paragraph was answered with the heading three
        # times ("Data protection obligations for Authorised Persons", a custodian's trial on
        # ADGM's virtual asset guidance, thirty-fifth session; left out of the ranking instead,
        # two gold passages were lost on check and two on tune, runs E6 and T1)
        for s in list(chosen):
            text = hits[s.hit_rank].chunk.text
            if bare_heading(text, s.start, s.end):
                nxt = next((r for r in ranked if r.hit_rank == s.hit_rank and r.start > s.end
                            and not text[s.end : r.start].strip()), None)  # fmt: skip
                if nxt is not None and nxt not in chosen and _within_quote(nxt, chosen):
                    chosen.append(nxt)
        # a rule asked what it says ("What does GPM 7.16.4 say?"): its passage whole, from its
        # first sentence (a passage is at most ``max_chars``), not its best two sentences ("...
        # we will expect the EU to contain:" and its list were left out without a note, an
        # in-house counsel's trial; COBS 15.6.1's items (d), (f) and (g) past the quote's reach,
        # a custodian's trial, thirty-fifth session)
        # a rule looked up: its passages' ranks, and where each is quoted from
        lookup: dict[int, int] = {}
        ends: dict[int, int] = {}  # where a paragraph looked up ends in its passage
        if explicit_ref and SAYS_RULE.match(question) and "ref" in hits[top.hit_rank].matched_by:
            # (and its next passages found, up to three in all, where no paragraph of it is
            # named: COBS 15.6.1's (e) to (g) were in its second)
            ranks = [top.hit_rank]
            looked_up = named_refs(question, [h.chunk.rulebook for h in hits])
            c0 = hits[top.hit_rank].chunk
            if not any(r.paras for r in looked_up):
                ranks = sorted(
                    (r for r, h in enumerate(hits) if "ref" in h.matched_by
                     and (h.chunk.ref, h.chunk.doc_id, h.chunk.is_guidance)
                     == (c0.ref, c0.doc_id, c0.is_guidance) and h.chunk.ordinal >= c0.ordinal),
                    key=lambda r: hits[r].chunk.ordinal,
                )[:3] or [top.hit_rank]  # fmt: skip
            # each other rule named likewise, from its first passage found ("What do PRU 3.2.2
            # and MKT 2.3.6 say?" quoted MKT 2.3.6's (1) alone, a review); a paragraph named, its
            # passage found first only (one named so dropped the other rule, a second trial)
            for other in looked_up:
                rule = str(Ref(other.book, other.number))
                if rule == c0.ref:
                    continue
                its = [r for r, h in enumerate(hits) if "ref" in h.matched_by
                       and h.chunk.ref == rule and not h.chunk.is_guidance
                       and r not in ranks]  # fmt: skip
                # (one document's, the best-ranked: two versions' were quoted in turn and the
                # second cut without a mark, a second review)
                its = [r for r in its if hits[r].chunk.doc_id == hits[its[0]].chunk.doc_id]
                ranks += (
                    its[:1] if other.paras else sorted(its, key=lambda r: hits[r].chunk.ordinal)[:3]
                )
            run = sorted((s for s in pool if s.hit_rank in ranks and not s.is_gap),
                         key=lambda s: (ranks.index(s.hit_rank), s.start))  # fmt: skip
            chosen = run + [c for c in chosen if c.hit_rank not in ranks and c not in run]
            # each passage quoted line by line, every line of it: the ranking's sentences left
            # out its short lines ("1 | 10 million", "3B | 4 million": "What does PRU 3.3.2
            # say?" quoted the table's rows for 3A, 3C and 4 alone, and MKT 2.3.6's (3) and
            # (3)(a) were skipped, without a mark; a rule lookup trial, thirty-seventh session)
            lookup = {r: min((s.start for s in run if s.hit_rank == r), default=0)
                      if r == top.hit_rank else 0 for r in ranks}  # fmt: skip
            # a paragraph named, where the text writes its paragraphs with the rule's number,
            # ends where the next one opens ("What does CMC 2.2.(6) say?" quoted 2.2.(7) on,
            # to the passage's end, a market-conduct lawyer's trial, fortieth session)
            own = parse_ref(c0.ref or "", books=(c0.rulebook,))
            if own is not None and any(r.paras and r.base == own for r in looked_up):
                end = next_paragraph_line(c0.text, own.number, lookup[top.hit_rank])
                if end is not None:
                    ends[top.hit_rank] = end
        # A gap statement beside the answer in the same provision, about the same terms ("...
        # exempts AIFC participants ... from VAT" and "Whether ... custody income is exempt is not
        # specified"), is quoted with it: the answer is not quoted without the part it leaves open.
        # It is quoted when it shares a question term and the answer leaves one of the question's
        # terms unnamed ("exchange" in "Is an AIFC exchange exempt from VAT?"). The first line
        # says part is not specified only when the gap statement names something of the question
        # that the answer does not (in the question's words, or the rule words an alias gives
        # for them: "crypto exchange" -> "Digital Asset Trading Facility").
        rule_words = set(self.tokenize(alias_words(question)))
        answered = set(self.tokenize(top.text)) | top.terms
        q_terms = {t for t in self.tokenize(question) if t not in self._generic}

        # an abbreviation of the question that the sentence writes in full ("DATF": "Digital
        # Asset Trading Facility") names the same thing (a trial, 2026-12-05: "Is income from
        # operating a DATF tax exempt?" lost the gap statement on DATF income from its line)
        short_forms = set(re.findall(r"\b[A-Z]{2,7}\b", question))

        def adds(s: Sentence) -> bool:
            full = {t for a in short_forms if (long := spelled_out(a, s.text))
                    for t in self.tokenize(long)}  # fmt: skip
            named = set(self.tokenize(s.text)) & (rule_words | full)
            return bool((s.terms | named) - answered)

        # (within the quote's 700-character reach, so that the quote keeps the answer)
        caveat = next(
            (s for s in ranked if s.hit_rank == top.hit_rank and s.is_gap
             and _within_quote(s, chosen)
             and (adds(s) or (bool(q_terms - answered) and bool(s.terms)))),
            None,
        )  # fmt: skip
        if caveat is not None:
            chosen.append(caveat)
        # a short sentence right after a quoted rule that makes an exception to it ("The MLRO must
        # be resident in the Republic of Kazakhstan." "Registered Auditors are an exception.") is
        # quoted with it: the rule is not quoted as if it held for everyone (a founder's trial)
        for s in list(chosen):
            after = next((r for r in ranked if r.hit_rank == s.hit_rank and 0 <= r.start - s.end <= 3
                          and r not in chosen), None)  # fmt: skip
            if (after is not None and not s.is_gap and is_exception_sentence(after.text)
                    and _within_quote(after, chosen)):  # fmt: skip
                chosen.append(after)
        groups: dict[int, list[Sentence]] = {}
        for s in chosen:
            groups.setdefault(s.hit_rank, []).append(s)
        whole = {r: pieces for r, at in lookup.items()
                 if (pieces := _line_pieces(hits[r].chunk.text, r, at, ends.get(r)))}  # fmt: skip
        order = [*whole, *(r for r in groups if r not in whole)]
        if asks_fig:
            order.sort(key=lambda r: not any(s.has_figure for s in groups.get(r, ())))
        # another regime's provisions the question does not name come after ours (FOREIGN_PENALTY)
        foreign = foreign_ranks(question, hits)
        order.sort(key=lambda r: r in foreign)
        lines, citations = [], []
        for n, rank in enumerate(order, start=1):
            hit = hits[rank]
            # a rule looked up, its lines whole; else the sentences chosen with their context
            sents = (whole[rank] if rank in whole
                     else _in_context(hit.chunk.text, sorted(groups[rank], key=lambda s: s.start)))  # fmt: skip
            quoted = " ".join(f'"{s.text}" [{n}]' for s in sents)
            # every sentence quoted on the line is within the citation's quote (sentences of one
            # chunk are chosen within QUOTE_REACH of each other; a figure quoted on the line but
            # missing from the card's quote was possible before, 2026-12-04)
            a, b = sents[0].start, sents[-1].end
            quote = hit.chunk.text[a:b]
            citations.append(citation_for(n, hit, quote))
            lines.append(f"{label(hit, citations[-1].pinpoint)}: {quoted}")
        from assistant.answer.summary import with_first_line  # a plain first line (summary.py)

        ex = with_first_line(
            question,
            Extract("\n".join(lines), citations, False, conf, "answered from quotes"),
            self.tokenize,
            idf,
        )
        has_first_line = bool(ex.text) and '" [' not in ex.text.split("\n", 1)[0]
        if caveat is not None and adds(caveat) and has_first_line:
            first, _, rest = ex.text.partition("\n")
            cited = [c.n for c in ex.citations if caveat.text in c.quote]
            # the gap statement itself, verbatim, says which part (a founder read the bare
            # "Part of this is not specified" under a tax exemption as a yes)
            said = caveat.text.strip()
            if cited and len(said.split()) <= _CAVEAT_WORDS:
                flag = f" {said}{'' if said.endswith('.') else '.'} [{cited[0]}]"
            else:
                flag = " Part of this is not specified in the indexed rules"
                flag += f" [{cited[0]}]." if cited else "."
            ex = replace(ex, text=f"{first}{flag}\n{rest}" if rest else first + flag)
        return ex

    def _refuse(
        self, hits: Sequence[Hit], ranked: Sequence[Sentence], conf: float, reason: str,
        prefer: Sentence | None = None,
    ) -> Extract:  # fmt: skip
        """The refusal phrase, then the closest provisions with their best sentence quoted (for
        the provision of ``prefer``, that sentence: the gap statement the refusal rests on)."""
        lines = [REFUSAL, CLOSEST]
        citations = []
        # the closest are the provisions with a sentence that holds most of the question's
        # words (by weight: a tax exemption for a question on a VAT rate; not the figure bonus,
        # which would bring in figures for other subjects), then in search order
        by_words = sorted(ranked, key=lambda s: (-s.coverage, s.hit_rank))

        def quote_of(rank: int) -> str:
            if prefer is not None and prefer.hit_rank == rank:
                return prefer.text
            best = next((s for s in ranked if s.hit_rank == rank), None)
            return best.text if best else hits[rank].chunk.text[:300]

        # the same provision with the same words, from two versions of a document, is shown once
        # (a consultant who had indexed two DAA versions saw one gap statement listed twice)
        order: list[int] = []
        shown: set[tuple[str | None, str]] = set()
        for rank in dict.fromkeys([s.hit_rank for s in by_words] + list(range(len(hits)))):
            key = (hits[rank].chunk.ref, quote_of(rank))
            if key not in shown:
                shown.add(key)
                order.append(rank)
            if len(order) == 3:
                break
        if prefer is not None and prefer.hit_rank not in order:
            twin = [r for r in order if (hits[r].chunk.ref, quote_of(r)) == (
                hits[prefer.hit_rank].chunk.ref, prefer.text)]  # fmt: skip
            order[order.index(twin[0]) if twin else -1] = prefer.hit_rank
        for n, rank in enumerate(sorted(order), start=1):
            hit = hits[rank]
            quote = quote_of(rank)
            if (
                quote not in hit.chunk.text
            ):  # pragma: no cover - slices are verbatim by construction
                continue
            citations.append(citation_for(n, hit, quote))
            lines.append(f'- {label(hit, citations[-1].pinpoint)}: "{quote}" [{n}]')
        return Extract("\n".join(lines), citations, True, conf, reason)
