"""Post-generation verification of LLM answers against the sources they were given.

Each sentence must cite a given source, and its words must be supported by that source (lexical
overlap, or embedding similarity with some lexical overlap). Words are not enough: a sentence that
copies a rule's words can still say the opposite. So each sentence is also read for what carries
legal weight, and each of those anchors is bound to the place in the cited source whose words
around it match best:

- **polarity**: every modal (must / must not / need not / may / may not / is required to / is not
  required to / no person may ...) is classed as a duty, a prohibition, a permission or an absence
  of duty, and must have the same class as the source modal it binds to; a free negation ("is not",
  "does not apply") must bind to a negation in the source, and a negation of the source sentence
  the claim restates must not be dropped;
- **quantities**: every number must be in the cited source, every typed quantity (amount with its
  currency, percentage, period or deadline with its unit, frequency) must be in it with the same
  value, and a figure must not sit where the source puts a different figure of the same kind;
- **references**: every rule number must be the cited source's number as a whole token, read with
  ``ingest.refs`` ("AML 1.1" is not inside "AML 11-1.1");
- **actors**: the subject before a modal ("The MLRO must", "The Governing Body of a firm shall") must
  be the subject of the source modal it binds to.

Instruction-like or link text that a source tried to inject is dropped. What is removed is
reported in ``removed`` (and figure/reference/polarity/actor problems also in ``flags``), never
silently lost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.answer.prompts import REFUSAL
from assistant.answer.types import Removal
from assistant.language.abbreviations import initials
from assistant.language.quantities import NUM, number
from assistant.language.quantities import parse as parse_quantities
from assistant.language.regimes import AIFC_NAMED, REGIME_ALIASES
from assistant.language.text import sentence_spans
from ingest.refs import BOOK_TITLES, RULEBOOKS, Ref, find_refs

_CITE = re.compile(r"\s*\[(\d{1,3})\]")
_CITE_GROUP = re.compile(r"(?:\s*\[\d{1,3}\])+")
_INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above|earlier) instructions|disregard (?:the )?(?:above|"
    r"previous|system)|system prompt|you are now|new instructions|developer mode|https?://\S+|"
    r"\bapprove (?:this|the) (?:licen[cs]e|application)\b",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
# Markup in an answer is never law: an HTML tag or a script URL is dropped like injected text.
# So is a link in any other form the chat renders as one: a Markdown link's target, a data: URI,
# a protocol-relative "//host" or a bare "www.host" (a security review, twenty-third session:
# "[AML 14.5.1](//evil.example/phish)" was kept as verified text).
_MARKUP = re.compile(
    r"<\s*/?\s*[a-z][a-z0-9]*\b[^>]*>|\bjavascript:|\bon[a-z]+\s*="
    r"|\]\(\s*[^)\s]+\s*\)|\bdata:[a-z]+/|(?<![\w/:])//[a-z0-9-]+\.[a-z]|\bwww\.[a-z0-9-]+\.[a-z]",
    re.I,
)
# "Yes." / "No," opening an answer: what it answers is the question, which no source states.
_PARTICLE = re.compile(r"^\s*(?:yes|no)\s*(?:[,.;:!\u2014]|-(?![a-z]))+\s*", re.I)
# A citation that ends a clause ("... USD 1,000 or more [1]; the firm may skip CDD ..."): what
# follows it is a claim of its own, with its own citation or none.
_CITED_CLAUSE_END = re.compile(r"(?:\s*\[\d{1,3}\])+(?=\s*[;.!?]\s*\S)")
MAX_SENTENCES = 8  # the prompt asks for at most 5


@dataclass
class Verified:
    text: str
    cited: list[int]
    removed: list[Removal] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    refused: bool = False


@dataclass(frozen=True)
class VerifyThresholds:
    """Support thresholds; tested at their boundaries in tests/test_verify.py."""

    lexical: float = 0.6  # share of a sentence's content words found in its cited sources
    embedding: float = 0.55  # cosine to the best cited source, accepted with ...
    lexical_floor: float = 0.35  # ... at least this much lexical support


def _cos(a: Sequence[float], b: Sequence[float]) -> float:
    num = sum(x * y for x, y in zip(a, b, strict=True))
    den = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0
    return num / den


_NOT_AIFC = re.compile(
    r"\b(?:not|outside|rather\s+than|instead\s+of|unlike|beyond)\s+(?:an?\s+|the\s+)?"
    r"(?:AIFC|AFSA)\b|\bnon-AIFC\b",
    re.I,
)
_FIGURE_CLAUSE = re.compile(
    r"[;]|,\s+(?:and|but|or|while|whereas)\b|\band\s+(?=an?\b|the\b)"
    r"|\band\s+(?=(?:must|shall|may|should|is|are|has|have)\b)"
    # a relative clause set off by commas is a clause of its own ("..., which is valid for 2
    # years, must be made ...")
    r"|,\s+(?:which|who)\b(?:[^,;]|,(?=\d))*,"
)


def _figure_clause(claim: str, a: int, b: int) -> str:
    """The words of the clause of ``claim`` around the figure at [a, b), without the figure."""
    start, end = 0, len(claim)
    for m in _FIGURE_CLAUSE.finditer(claim):
        if m.end() <= a:
            start = m.end()
        elif m.start() >= b:
            end = m.start()
            break
        else:  # the figure is inside a relative clause set off by commas: read with the
            # noun it hangs on ("The application fee ..., which is USD 10,000, ...")
            end = m.end()
            break
    return claim[start:a] + " " + claim[b:end]


def _english(text: str) -> bool:
    """Whether the letters of ``text`` are mostly Latin (the sources' script)."""
    letters = [c for c in text if c.isalpha()]
    return not letters or sum(c.isascii() for c in letters) >= 0.8 * len(letters)


def clean(text: str) -> str:
    """Text as the checks read it: invisible direction marks out, curly quotes straight."""
    return _INVISIBLE.sub("", text).replace("\u2019", "'").replace("\u2018", "'")


# ---------------------------------------------------------------------------------------------
# Modals and negation
# ---------------------------------------------------------------------------------------------

DUTY, PROHIBITION, PERMISSION, NO_DUTY = "duty", "prohibition", "permission", "no duty"
# "should", "is recommended": guidance, no duty (a review found "must" -> "should" kept)
ADVICE = "advice"
_BE = r"(?:is|are|be|being|was|were|am)"
# Longest alternatives first: "must not" before "must", "is not required to" before "is required".
_MODALS: list[tuple[str, str]] = [
    (NO_DUTY, r"\bneeds? not\b|\bdo(?:es)? not (?:need|have) to\b|\bdoesn't (?:need|have) to\b|"
              rf"\bdon't (?:need|have) to\b|\b{_BE} not (?:required|obliged|obligated|compelled|necessary)\b|"
              rf"\b{_BE} under no (?:obligation|duty)\b|\bnot (?:required|obliged) to\b"),
    (PROHIBITION, r"\b(?:must|shall|may|should|can|will) not\b|\b(?:mustn't|shan't|cannot|can't|"
                  r"shouldn't|won't)\b|\b(?:must|shall|may|should) never\b|"
                  rf"\b{_BE} (?:not (?:permitted|allowed|authorised|authorized|entitled)|prohibited|"
                  r"forbidden|barred|precluded)\b"),
    (ADVICE, rf"\b(?:should|ought to)\b|\b{_BE} (?:recommended|advisable|encouraged)\b"),
    (DUTY, rf"\b{_BE} (?:not (?:optional|voluntary)|mandatory|compulsory|obligatory)\b|"
           rf"\b(?:must|shall|has to|have to|needs to|need to)\b|\b{_BE} "
           r"(?:required|obliged|obligated|bound|to be)\b|\bis to\b|\bare to\b"),
    # ("X is optional" is "X may be done": a permission, against "must" a flip, a review)
    (PERMISSION, rf"\b(?:may|can|could)\b|\b{_BE} (?:permitted|allowed|entitled|free|optional|voluntary)\b"),
]  # fmt: skip
_MODAL_RE = re.compile("|".join(f"(?P<m{i}>{rx})" for i, (_, rx) in enumerate(_MODALS)), re.I)
_NEGATION = re.compile(r"\b(?:not|never|no|none|neither|nor|nothing|nobody)\b|n't\b", re.I)
# Words that make an exception to a rule or relax it.
_RELAXES = re.compile(
    r"\b(?:exempt(?:ed|ion|ions|s)?|unless|except(?:ion|ions|ed)?|excluding|other than|save (?:where|for|that)|"
    r"in practice|although|waive[ds]?|waiver|does not apply|do not apply|not apply|later with|"
    r"at (?:its|their|the firm's) discretion|(?:relieved|released|freed) (?:of|from))\b",
    re.I,
)
_OPTIONAL = re.compile(r"\b(?:optional(?:ly)?|voluntar(?:y|ily)|discretionary)\b", re.I)
_EXCEPTION_END = re.compile(r"[,;:.()\[]|\b(?:and|but|or|although|unless|except)\b", re.I)


def _clause_at(text: str, m: re.Match[str]) -> str:
    """The clause around an exception word: back to the clause's start, on to its end."""
    start = max((x.end() for x in _EXCEPTION_END.finditer(text[: m.start()])), default=0)
    end = _EXCEPTION_END.search(text, m.end())
    return text[start : end.start() if end else None]


_PART_END = re.compile(r"[;:!?\n]|\.(?=\s|$)")


def _part_at(text: str, m: re.Match[str]) -> str:
    """The part of a sentence around an exception word, between semicolons, colons and stops
    (a reordered restatement moves the exception within it: "Where X, the provisions do not
    apply" and "The provisions do not apply where X")."""
    start = max((x.end() for x in _PART_END.finditer(text[: m.start()])), default=0)
    end = _PART_END.search(text, m.end())
    return text[start : end.start() if end else None]


def _unsupported_exception(claim: str, sources: str) -> str | None:
    """The first exception or relaxation of ``claim`` that ``sources`` do not make: the sources
    have no such word, or the exception's own words (its clause: "small firms" of "but small
    firms are exempt") are not more than half of them in the sources. Not the mere presence of an
    exception word in the sources (most rules have an "unless" or "other than" somewhere: "but
    small firms are exempt" passed beside "Firms other than DASPs", a review). The exception's
    words are looked for in the sources' own exceptions (their clauses), not anywhere in them: "A
    DASP is exempt from due diligence on the counterparty DASP" names the rule's own subject,
    while its source excepts only "unless money laundering ... is suspected" (kept, an LLM-mode
    trial, twenty-second session)."""
    if not _RELAXES.search(claim):
        return None
    has_any = bool(_RELAXES.search(sources))
    low = " ".join(_part_at(sources, m) for m in _RELAXES.finditer(sources)).lower()
    for m in _RELAXES.finditer(claim):
        clause = _clause_at(claim, m)
        words = (
            {w.lower() for w in _CLAIM_WORD.findall(clause)}
            - {w.lower() for w in _CLAIM_WORD.findall(m.group(0))}
            - {"that", "this", "with", "from", "they", "them", "their", "which", "where", "when"}
        )
        if not words:
            continue  # a hedge that carries nothing ("In practice, staff must report ...")
        if not has_any or 2 * sum(w in low for w in words) <= len(words):
            return m.group(0)
    return None


_NEGATIVE = {PROHIBITION, NO_DUTY}
_CONDITION_NEG = re.compile(r"\b(?:unless|except|other\s+than)\b", re.I)


def modal_kinds(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each modal in ``text``, classified as the verifier reads them:
    duty, prohibition, permission, no duty ("must not" is a prohibition, "may" a permission)."""
    out = []
    for m in _MODAL_RE.finditer(text):
        out.append(
            (next(_MODALS[i][0] for i in range(len(_MODALS)) if m.group(f"m{i}")), *m.span())
        )
    return out


def negated(text: str) -> bool:
    """Whether ``text`` holds a negation or a negative modal (not, never, no, cannot, must not)."""
    return bool(_NEGATION.search(text)) or any(k in _NEGATIVE for k, _, _ in modal_kinds(text))


# Words that end a clause for the purpose of finding the subject before a modal.
_CLAUSE_BREAK = re.compile(r"[;:,()\[\]\n]|\b(?:that|which|who|whom|whose|if|unless|where|when|"
                           r"whether|because|and|or|but|then|so)\b", re.I)  # fmt: skip
_HARD_BREAK = re.compile(r"[;:\n]")
_REF_SPAN = re.compile(
    r"\b[A-Z][A-Z()]{1,9}\s*\d[\d.\-]*(?:\([\w\-]+\))*"
    r"|\b(?:[Rr]ules?|[Ss]ections?|[Cc]hapters?|[Pp]aragraphs?)\s+\d[\d.\-]*(?:\([\w\-]+\))*"
)
_PRONOUN = {"it", "they", "he", "she", "this", "these", "those", "such", "each", "which", "who"}
# Words a paraphrase uses for whoever a rule binds ("the firm must" for "A Relevant Person must").
_GENERIC_ACTOR = {"firm", "firms", "you", "we", "company", "business", "licensee", "entity"}
_ARTICLES = {"the", "a", "an", "your", "our", "every", "each", "any"}
# A modal followed by a passive ("must be filed", "need not be repeated"): the subject before
# it is what is acted on, not who acts.
_PASSIVE = re.compile(
    r"^\s*(?:not\s+|also\s+|never\s+)?(?:to\s+)?be\s+(?:\w+ly\s+)?"
    r"(?:\w{2,}(?:ed|en|wn|pt|lt|id|ld)|done|borne|shown|known|kept|held|made|paid|sent|set)\b",
    re.I,
)


# ---------------------------------------------------------------------------------------------
# Quantities (amounts, percentages, periods, frequencies, deadlines) and bare numbers
# ---------------------------------------------------------------------------------------------

_NUMBER = NUM
_BARE_NUMBER = re.compile(rf"(?<![\w.\-/])(?:{_NUMBER})(?![\w\-]|\.\d)", re.I)


def _value(raw: str) -> float:
    return number(raw) or 0.0


@dataclass(frozen=True)
class Quantity:
    kind: str  # amount | percentage | period | frequency | number
    key: str  # kind and normalised value: equal keys mean the same quantity
    start: int
    end: int
    text: str
    bound: str | None = None  # "at least", "at most", "outside" or None (exact or unstated)
    business: bool = False  # counted in business days, which are not calendar days

    def stated_by(self, source: Quantity) -> bool:
        """The source states this figure: same kind and value; a bound both state is the same
        ('up to six years' is not 'at least six years'); business and calendar days differ."""
        if self.key != source.key or self.business != source.business:
            return False
        return self.bound is None or source.bound is None or self.bound == source.bound


def quantities(text: str) -> list[Quantity]:
    """Typed quantities in ``text``, then the bare numbers that no typed quantity covers."""
    return list(_quantities(text))


@lru_cache(maxsize=4096)  # the same source sentences are read for every claim that cites them
def _quantities(text: str) -> tuple[Quantity, ...]:
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], kind: str, key: str) -> None:
        a, b = m.span()
        if all(b <= x or a >= y for x, y in taken):
            out.append(Quantity(kind, key, a, b, m.group(0)))
            taken.append((a, b))

    for q in parse_quantities(text, places=False):  # the shared parser; places are not figures
        if q.kind == "number":  # bare numbers are matched below, by value alone
            continue
        kind = "period" if q.kind in ("duration", "deadline") else q.kind
        unit = f"{q.unit}:" if q.kind == "amount" else ""
        a, b = q.span
        if all(b <= x or a >= y for x, y in taken):
            key, business = f"{kind}:{unit}{q.value:.6g}", q.detail == "business day"
            if kind == "date":  # every digit of the date (".6g" made 28 and 31 March 2025 one)
                key = f"date:{int(q.value)}"
            detail = (q.detail or "").removeprefix("calendar ")  # "one calendar month" is a month
            if kind == "period" and detail in ("month", "year") and isinstance(q.value, float):
                # months and years are counted in months, days and weeks in days: "within 60 days"
                # is not "within 2 months" (an LLM-mode trial found it kept, 2026-12-05), while
                # "12 months" is "1 year"
                months = q.value / 30 if detail == "month" else q.value / 365 * 12
                key = f"period:months:{months:.6g}"
            out.append(Quantity(kind, key, a, b, q.text, q.bound, business))
            taken.append((a, b))
    for m in _BARE_NUMBER.finditer(text):
        add(m, "number", f"number:{_value(m.group(0)):g}")
    out.sort(key=lambda q: q.start)
    return tuple(out)


# What bounds a figure: words before it ("at least USD 200,000", "less than 10%"; an article
# may come between: "at most a 50% probability") or after it ("USD 1,000 or more"); and what a
# period is counted from ("2 months before it expires").
_FREQ_WORD = re.compile(
    r"(?<![\w-])(semi-annual|half-yearly|biannual|bi-annual|annual|yearly|quarterly|monthly|weekly|"
    r"daily|hourly|fortnightly)(?:ly)?\b",
    re.I,
)
# one period under its several names
_FREQ_SAME = {"yearly": "annual", "half-yearly": "semi-annual", "biannual": "semi-annual",
              "bi-annual": "semi-annual"}  # fmt: skip
_RATE = re.compile(
    r"(?:\b(?:per|each|every|in\s+any)|(?<=\d)\s+an?)\s+(?:calendar\s+|financial\s+)?"
    r"(day|week|month|quarter|year|annum)\b",
    re.I,
)
_RATE_ANY = re.compile(
    r"\b(?:per|each|every|an?)\s+(?:calendar\s+|financial\s+)?(day|week|month|quarter|year|annum)\b",
    re.I,
)
_RATE_SAME = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
              "year": "annual", "annum": "annual"}  # fmt: skip
_NEG_BEFORE = re.compile(
    r"\b(?:not|no|never)\s+(?P<w>less|fewer|below|under|more|greater|above|over|exceeding|exceed|"
    r"exceeds)(?:\s+than)?\s*$",
    re.I,
)
_LOWER_BEFORE = re.compile(
    r"\b(?:at\s+least|more\s+than|greater\s+than|over|above|exceeding|exceeds?|in\s+excess\s+of|"
    r"a\s+minimum\s+of|minimum\s+of)\s*(?:an?\s+)?$",
    re.I,
)
_UPPER_BEFORE = re.compile(
    r"\b(?:at\s+most|less\s+than|fewer\s+than|below|under|up\s+to|does\s+not\s+exceed|"
    r"a\s+maximum\s+of|maximum\s+of|within)\s*(?:an?\s+)?$",
    re.I,
)
_LOWER_AFTER = re.compile(r"^\s*(?:or|and)\s+(?:more|above|over|greater|higher)\b", re.I)
_UPPER_AFTER = re.compile(r"^\s*(?:or|and)\s+(?:less|below|under|fewer|lower)\b", re.I)
_RELATION = re.compile(r"^\s*(before|prior\s+to|preceding|ahead\s+of|after|following|from)\b", re.I)


def _direction(text: str, q: Quantity) -> str | None:
    """ "at least" / "at most" as the words around the figure at ``q`` say ("not less than" is
    "at least"), else the parser's bound, else None."""
    head, tail = text[max(0, q.start - 30) : q.start], text[q.end : q.end + 20]
    neg = _NEG_BEFORE.search(head)
    if neg:
        lower = neg["w"].lower() in ("less", "fewer", "below", "under")
        return "at least" if lower else "at most"
    if _LOWER_BEFORE.search(head) or _LOWER_AFTER.match(tail):
        return "at least"
    if _UPPER_BEFORE.search(head) or _UPPER_AFTER.match(tail):
        return "at most"
    return q.bound if q.bound in ("at least", "at most") else None


def _relation(text: str, q: Quantity) -> str | None:
    """ "before" / "after" for a period the words after it count from an event, else None."""
    if q.kind != "period":
        return None
    m = _RELATION.match(text[q.end : q.end + 20])
    if not m:
        return None
    word = m.group(1).lower()
    return "before" if word.startswith(("before", "prior", "preceding", "ahead")) else "after"


def numbers(text: str) -> set[float]:
    """Every number written in ``text`` (digits or words), rule numbers aside."""
    vals: set[float] = set()
    for m in re.finditer(rf"(?<![\w.\-/])(?:{_NUMBER})(?![\w\-]|\.\d)", text, re.I):
        vals.add(_value(m.group(0)))
    for q in quantities(text):
        if q.kind == "amount":
            vals.add(float(q.key.rsplit(":", 1)[1]))
    return vals


# ---------------------------------------------------------------------------------------------
# Rule references
# ---------------------------------------------------------------------------------------------

_RULE_NUM = r"\d{1,3}(?:-\d{1,2})?(?:\.\d{1,3}(?:-\d{1,2})?)+(?:\.-\d{1,2})?"
_DOTTED = re.compile(rf"(?<![\w.\-])(?P<num>{_RULE_NUM})(?![\w\-]|\.\d)")
_NAMED = re.compile(
    r"\b(?:rules?|sections?|s\.|chapters?|parts?|paragraphs?|articles?|schedules?|sch\.?|appendix|"
    r"appendices|regulations?)\s+(?P<num>\d{1,3}(?:-\d{1,2})?[A-Z]?)(?![\w\-]|\.\d)",
    re.I,
)


def _whole(num: str, text: str) -> bool:
    return bool(re.search(rf"(?<![\w.\-]){re.escape(num)}(?![\w\-]|\.\d)", text))


def reference_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes a rule's number (6.1.1, 11-1.1, 'Rule 8', 'section 24'): a number
    there names a rule and counts nothing."""
    return [m.span("num") for rx in (_DOTTED, _NAMED) for m in rx.finditer(text)]


def rule_numbers(text: str) -> list[str]:
    """Rule numbers written in ``text``: dotted numbers (6.1.1, 11-1.1) and 'Rule 6', 'section 24'."""
    spans = [(q.start, q.end) for q in quantities(text) if q.kind != "number"]
    out = []
    for rx in (_DOTTED, _NAMED):
        for m in rx.finditer(text):
            a, b = m.span("num")
            if all(b <= x or a >= y for x, y in spans):
                out.append(m["num"].replace(".-", "-"))
    return list(dict.fromkeys(out))


def _labels_in(paras: Sequence[str], text: str) -> bool:
    """Whether each paragraph label ("1", "b") is written in ``text`` as "(1)", "(b)"."""
    low = text.lower()
    return all(f"({p})" in low for p in paras)


def _refs_agree(claim: Ref, source: Ref, text: str) -> bool:
    """The claim cites the source's rule, a rule or chapter that holds it ("AML 13" for AML
    13.7), or a paragraph of it that its text writes; not a sub-rule it does not write ("AML
    13.7.2") nor another paragraph ("AML 6.1.1(a)" for AML 6.1.1(a-a))."""
    if claim.book != source.book:
        return False
    if claim.contains(source):
        return True
    return (
        claim.number == source.number
        and source.contains(claim)
        and _labels_in(claim.paras[len(source.paras) :], text)
    )


# ---------------------------------------------------------------------------------------------
# Anchors: what carries legal weight, with the words around it
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    kind: str  # modal | negation | quantity
    value: str  # modal class, "not", or quantity key
    start: int
    end: int
    before: frozenset[str]
    after: frozenset[str]
    actor: frozenset[str] = frozenset()
    sentence: int = -1  # index of the source sentence it lies in (sources only)
    # a modal's whole predicate: the content words up to the next modal or the clause's end
    # ("The MLRO must, without delay, investigate ..., file the STR with the FIU")
    scope: frozenset[str] = frozenset()


class _Reader:
    """Content words with their positions, and the anchors of a text."""

    def __init__(self, tokenize: Callable[[str], list[str]], window: int = 4) -> None:
        self.tokenize = tokenize
        self.window = window
        self._cache: dict[str, tuple[str, ...]] = {}
        self._determiners = {t for w in ("every", "each", "any", "all") for t in tokenize(w)}

    def words(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*|\d[\d,.]*\d|\d", text):
            w = m.group(0).lower()
            toks = self._cache.get(w)
            if toks is None:
                toks = tuple(t for t in self.tokenize(w) if not t[0].isdigit())
                self._cache[w] = toks
            for t in toks:
                out.append((m.start(), m.end(), t))
        return out

    def context(self, text: str, words: list[tuple[int, int, str]], a: int, b: int,
                skip: list[tuple[int, int]], breaks: str = r"[;:,\n]") -> tuple[frozenset[str], frozenset[str]]:  # fmt: skip
        """Up to ``window`` content words each side of [a, b) within its clause (, ; : break)."""
        left_stop = max((m.end() for m in re.finditer(r"[;:,\n]", text[:a])), default=0)
        right = re.search(breaks, text[b:])
        right_stop = b + right.start() if right else len(text)

        def free(x: int, y: int) -> bool:
            return all(y <= s or x >= e for s, e in skip)

        before = [t for s, e, t in words if left_stop <= s and e <= a and free(s, e)]
        after = [t for s, e, t in words if b <= s and e <= right_stop and free(s, e)]
        return frozenset(before[-self.window :]), frozenset(after[: self.window])

    def actor(self, text: str, words: list[tuple[int, int, str]], a: int) -> frozenset[str]:
        """The subject of a modal at ``a``: the content words of the noun phrase before it."""
        head = text[:a]
        stop = max((m.end() for m in _CLAUSE_BREAK.finditer(head)), default=0)
        # A rule reference before the subject ("Under AML 11-1.1 a DASP must") is not the subject.
        stop = max([stop, *(m.end() for m in _REF_SPAN.finditer(head))])
        stop = max([stop, *(m.end() for m in _MODAL_RE.finditer(head))])
        toks = [t for s, e, t in words if stop <= s and e <= a]
        raw = re.findall(r"[a-z]+", head[stop:].lower())
        if not toks or (raw and raw[-1] in _PRONOUN):
            return frozenset()
        # "the firm", "you", "every Relevant Person": a generic name for whoever the rule binds
        # is the same subject in other words, and a determiner is no part of it
        if raw and raw[-1] in _GENERIC_ACTOR and len(set(raw) - _ARTICLES) == 1:
            return frozenset()
        return frozenset(t for t in toks[-6:] if t not in self._determiners)

    def anchors(self, text: str, sentence: int = -1) -> list[Anchor]:
        words = self.words(text)
        out: list[Anchor] = []
        modal_spans: list[tuple[int, int]] = []
        kinds = modal_kinds(text)
        for i, (cls, start, end) in enumerate(kinds):
            modal_spans.append((start, end))
            # "No person may ..." / "Neither X nor Y shall ...": the negation sits in the subject.
            head = text[:start]
            stop = max((x.end() for x in _HARD_BREAK.finditer(head)), default=0)
            subj = head[max(stop, start - 60) :]
            if cls in (DUTY, PERMISSION, ADVICE) and re.search(
                r"\b(?:no|neither|nor|none)\b", subj, re.I
            ):
                cls = PROHIBITION
                for n in re.finditer(r"\b(?:no|neither|nor|none)\b", subj, re.I):
                    off = start - len(subj)
                    modal_spans.append((off + n.start(), off + n.end()))
            # After a modal the verb may follow a parenthetical: "must, on request, provide".
            # (up to the next modal: "must be stored so that it cannot be altered" binds
            # "must" to "stored", not to what "cannot" says)
            before, after = self.context(
                text, words, start, end, [], r"[;:\n]|\b(?:must|shall|cannot|can't|may)\b"
            )
            scope_end = _PART_END.search(text, end)  # or the next modal, below
            limit = min(scope_end.start() if scope_end else len(text),
                        *(a for _, a, _ in kinds[i + 1 :]), len(text))  # fmt: skip
            scope = frozenset(t for a, b, t in words if end <= a and b <= limit)
            out.append(Anchor("modal", cls, start, end, before, after,
                              self.actor(text, words, start), sentence, scope))  # fmt: skip
        for m in _NEGATION.finditer(text):
            if any(a <= m.start() < b for a, b in modal_spans):
                continue
            if m.group(0).lower() == "no" and re.match(r"\.?\s*\d", text[m.end() :]):
                continue  # "No. 5", "no 12"
            before, after = self.context(text, words, m.start(), m.end(), [])
            out.append(
                Anchor("negation", "not", m.start(), m.end(), before, after, sentence=sentence)
            )
        # "unless" / "except" negate the condition they open: "must not ... unless licensed" is
        # not "must not ... if licensed"
        for m in _CONDITION_NEG.finditer(text):
            before, after = self.context(text, words, m.start(), m.end(), [])
            out.append(
                Anchor("negation", "not", m.start(), m.end(), before, after, sentence=sentence)
            )
        for q in quantities(text):
            if q.kind == "number":
                continue
            before, after = self.context(text, words, q.start, q.end, [])
            out.append(Anchor("quantity", q.key, q.start, q.end, before, after, sentence=sentence))
        return out


# A defined term or actor: two or more capitalised words ("Governing Body", "Retail Client"), or
# an acronym ("MLRO", "AFSA"); not a rulebook's code before its number, a currency, nor a
# determiner or preposition that opens a sentence ("The Governing Body" is "Governing Body").
_TERM = re.compile(
    r"\b(?!(?:The|A|An|Each|Every|Any|All|Under|If|Where|When|In|For|This|These|Such|No|Its|Their|"
    r"Before|After|On|At|By|To|Of|And|Or|Unless|Subject|Rule|Rules|Section|Chapter|Whether|"
    r"Although|While|Since|Because|Once|Only|Also|However|Until|Upon|Following|Pursuant|As|With|"
    r"Without|From|Both|Neither|Either|So|Thus|Then|Here|There|Yes|Your|Our|Most|Many|Some)\b)"
    r"[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)+\b"
    r"|\b(?!(?:USD|KZT|EUR|GBP|AED|US|UK|EU)\b)[A-Z]{2,6}s?\b(?!\s*(?:[\d(]|s\.|Sch\b|Schedule\b))"
)


# Not parties: rulebook codes used as adjectives ("AML records") and the regime's own names.
# (and the other regimes' codes, "Under ADGM AML 12.1.1, ..." over ADGM's text was removed as
# naming a party the source does not; which regime a claim names is read by ``_other_regime``)
_NOT_TERMS = (
    {b.lower() for b in RULEBOOKS}
    | {"aifc", "afsa", "aml/cft", "cft", "rk"}
    | {n.lower() for r, names in REGIME_ALIASES.items() for n in (r, *names) if n.isupper()}
)


def _initials(long: frozenset[str], short: frozenset[str]) -> bool:
    """Whether one subject is the other's initials ("Astana Financial Services Authority" and
    "AFSA"): the first letters of the longer one's words are the letters of a word of the
    other (the words are a set, so their order is not checked)."""
    a, b = (long, short) if len(long) >= len(short) else (short, long)
    letters = sorted(w[0] for w in a if w)
    return len(a) > 1 and any(sorted(w) == letters for w in b)


def _not_a_party(term: str) -> bool:
    """A rulebook's title ("conduct of business rule", "the General Rules") or the regime's own
    name spelled out ("Astana Financial Services Authority"): not a party to a duty."""
    if term in _NOT_TERMS:
        return True
    if any(term == re.sub(r"s$", "", title) or term == title for title in BOOK_TITLES):
        return True
    return term.startswith(("astana international financial cent", "astana financial services"))


def terms(text: str) -> set[str]:
    """The defined terms and actors ``text`` names, lower-cased, plurals as singulars."""
    out = {re.sub(r"s$", "", m.group(0).lower()) for m in _TERM.finditer(text)}
    return {t for t in out if not _not_a_party(t)}


def _named(term: str, named: set[str]) -> bool:
    """Whether ``term`` is among ``named``, as written or as the initials of a name there
    ("mlro" for "money laundering reporting officer", and the other way round)."""
    if term in named:
        return True
    return (len(term.split()) > 1 and initials(term.split()) in named) or any(
        len(n.split()) > 1 and initials(n.split()) == term for n in named
    )


_IN_CONDITION = re.compile(r"\b(?:whose|where|if|when|unless|that|which|who)\b[^,;]*$", re.I)
_ONLY_IF = re.compile(r"\bonly\s+(?:if|when|where|after|once)\b", re.I)
_BUT_FOR = re.compile(r"\bunless\b|\bexcept\b|\bwithout\b|\bnot\b|\bno\b|n't\b", re.I)


def _same_restriction(claim: str, m: Anchor, source: str, s: Anchor) -> bool:
    """A permission and a prohibition that say the same thing with their conditions turned
    round: "may lend only if it is a Professional Client" is "may not allow ... to lend unless
    ... a Professional Client"; "cannot trade for a client whose account is not pre-funded" is
    "may trade for a client only when the client's account holds ...". One side restricts with
    "only if / when / where", the other negates its condition (the modals' own "not" aside)."""
    if {m.value, s.value} != {PERMISSION, PROHIBITION}:
        return False
    mine = claim[: m.start] + " " + claim[m.end :]
    theirs = source[: s.start] + " " + source[s.end :] if source else ""
    return bool(
        (_ONLY_IF.search(mine) and _BUT_FOR.search(theirs))
        or (_ONLY_IF.search(theirs) and _BUT_FOR.search(mine))
    )


def _fit(a: Anchor, b: Anchor, wide: bool = False) -> int:
    """How well two anchors' surroundings agree: the words after weigh double (the verb, the
    object). ``wide``: the words after ``a`` may be anywhere in ``b``'s predicate (its scope)."""
    return 2 * len(a.after & (b.after | b.scope if wide else b.after)) + len(a.before & b.before)


@dataclass
class _Source:
    text: str
    sentences: list[tuple[str, frozenset[str]]]
    anchors: list[Anchor]
    refs: list[Ref]


class Verifier:
    def __init__(self, tokenize: Callable[[str], list[str]],
                 embed: Callable[[list[str]], list[list[float]]] | None = None,
                 thresholds: VerifyThresholds | None = None) -> None:  # fmt: skip
        self.tokenize = tokenize
        # modals and the words that bound a figure say nothing of what the figure is about
        self._function_words = {t for w in ("must", "shall", "may", "should", "can", "before",
                                            "after", "within", "least", "most", "than", "more",
                                            "less", "made", "make", "given") for t in tokenize(w)}  # fmt: skip
        self.embed = embed
        self.t = thresholds or VerifyThresholds()
        self.reader = _Reader(tokenize)

    def lexical_support(self, sentence: str, sources: Sequence[str]) -> float:
        words = [w for w in self.tokenize(sentence) if not w.isdigit()]
        if not words:
            return 1.0
        vocab = set().union(*(self.tokenize(s) for s in sources)) if sources else set()
        # a name spelled out where the source writes its initials ("Astana Financial Services
        # Authority" for "AFSA") is supported word for word
        acronyms = {w.lower() for s in sources for w in re.findall(r"\b[A-Z]{2,6}\b", s)}
        seq = re.findall(r"[A-Za-z][A-Za-z'\-]*", sentence)
        spelled: set[str] = set()
        for n in range(2, 7):
            for i in range(len(seq) - n + 1):
                run = seq[i : i + n]
                if all(w[0].isupper() for w in run) and initials(run, skip=()).lower() in acronyms:
                    spelled.update(t for w in run for t in self.tokenize(w))
        return sum(w in vocab or w in spelled for w in words) / len(words)

    def embedding_support(self, sentence: str, sources: Sequence[str]) -> float:
        if self.embed is None or not sources:
            return 0.0
        vecs = self.embed([sentence, *sources])
        return max(_cos(vecs[0], v) for v in vecs[1:])

    # -- reading sources ----------------------------------------------------------------------

    def read_source(self, text: str, ref: str | None = None) -> _Source:
        text = clean(text)
        sentences: list[tuple[str, frozenset[str]]] = []
        anchors: list[Anchor] = []
        for i, (a, b) in enumerate(sentence_spans(text) or [(0, len(text))]):
            s = text[a:b]
            sentences.append((s, frozenset(t for _, _, t in self.reader.words(s))))
            anchors.extend(self.reader.anchors(s, i))
        refs = find_refs(text) + (find_refs(ref) if ref else [])
        return _Source(text, sentences, anchors, refs)

    # -- the anchored checks ------------------------------------------------------------------

    def _written(self, term: str, text: str) -> bool:
        """Whether ``text`` writes ``term`` in any case ("Customer due diligence" for "CDD", as
        initials of its words; "UN Security Council" in "United Nations Security Council";
        "National Bank" in "National Bank of Kazakhstan"): every word of the term is a word of
        the text, or initials of words that follow each other there."""
        spelled = initials(re.findall(r"[a-z]+", text.lower()), skip=())
        have = set(self.tokenize(text))
        for word in term.split():
            if word in ("of", "and"):
                continue
            toks = self.tokenize(word)
            if toks and set(toks) <= have:
                continue
            if len(word) >= 2 and word.isalpha() and word in spelled:
                continue
            return False
        return True

    @staticmethod
    def bad_refs(
        claim: str, sources: Sequence[_Source], refs: Sequence[str | None] = ()
    ) -> list[str]:
        """The rule numbers of ``claim`` that are not its sources' (see ``_refs_agree``)."""
        joined = "\n".join(s.text for s in sources)
        src_refs = [(r, s.text) for s in sources for r in s.refs]
        bad = [str(r) for r in find_refs(claim)
               if not any(_refs_agree(r, x, text) for x, text in src_refs)
               and not (any(_whole(r.number, s.text) and _labels_in(r.paras, s.text)
                            for s in sources)
                        and not any(x.book != r.book for x, _ in src_refs))]  # fmt: skip
        ref_text = joined + "\n" + "\n".join(r for r in refs if r)
        bad += [n for n in rule_numbers(claim) if not _whole(n, ref_text)
                and not any(n in (r.number, str(r)) for r in find_refs(claim))]  # fmt: skip
        return bad

    def check(
        self, claim: str, sources: Sequence[_Source], refs: Sequence[str | None] = ()
    ) -> tuple[str, str] | None:
        """(kind, reason) when ``claim`` misstates its cited sources, else None."""
        claim = clean(claim)
        joined = "\n".join(s.text for s in sources)
        # References: each rule number must be the cited source's, as a whole token.
        bad = self.bad_refs(claim, sources, refs)
        if bad:
            return "reference", f"rule number not in the cited source(s): {', '.join(bad)}"
        # Quantities: each must be in the sources, with its unit and value.
        have = [q for q in quantities(joined) if q.kind != "number"]
        missing = [q.text for q in quantities(claim)
                   if q.kind != "number" and not any(q.stated_by(s) for s in have)]  # fmt: skip
        src_numbers = numbers(joined)
        in_refs = [m.span() for m in _REF_SPAN.finditer(claim)]  # "Under AML 13": a chapter
        missing += [
            q.text
            for q in quantities(claim)
            if q.kind == "number"
            and _value(q.text) not in src_numbers
            and not any(a <= q.start and q.end <= b for a, b in in_refs)
        ]
        if missing:
            return "figure", f"figure not in the cited source(s): {', '.join(missing)}"
        # An exception or relaxation the sources do not make ("..., but small firms are exempt",
        # "or later with AFSA approval", "in practice the AFSA accepts it later": each was kept,
        # a platform engineer's trial, 2026-12-05); one the source makes in its own words
        # ("other than", "unless") may be put in others
        added = _unsupported_exception(claim, joined)
        if added is not None:
            return "polarity", f"'{added}': an exception the cited source does not make"
        # "optional" where the sources only oblige ("Filing the annual AML Return ... is optional"
        # against "must file"); beside a source's "may" it says the same (a review)
        optional = _OPTIONAL.search(claim)
        if optional and re.search(
            r"\b(?:not|never|no)\s+(?:\w+\s+)?$", claim[: optional.start()], re.I
        ):
            optional = None  # "is not optional", "mandatory, not voluntary" (a review)
        src_kinds = {k for k, _, _ in modal_kinds(joined)}
        if optional and DUTY in src_kinds and not src_kinds & {PERMISSION, NO_DUTY}:
            return "polarity", f"'{optional.group(0)}' where the cited source states a duty"
        # Frequencies written as adjectives ("an annual report" where the source says "a
        # quarterly report"): the parser reads "annually", not "annual"
        mine_freq = {_FREQ_SAME.get(w, w) for m in _FREQ_WORD.finditer(claim)
                     for w in [m.group(1).lower()]}  # fmt: skip
        src_freq = {_FREQ_SAME.get(w, w) for m in _FREQ_WORD.finditer(joined)
                    for w in [m.group(1).lower()]}  # fmt: skip
        # and rates ("USD 1,000 per calendar month"): one the claim states ("per calendar year",
        # "per week", "USD 250,000 per year") must be the sources' (each was kept, an LLM-mode
        # trial); the sources' "a month" or "monthly" counts
        mine_rate = {_RATE_SAME[m.group(1).lower()] for m in _RATE.finditer(claim)}
        src_rate = {_RATE_SAME[m.group(1).lower()] for m in _RATE_ANY.finditer(joined)}
        if mine_rate - (src_rate | src_freq):
            return ("figure", f"'{', '.join(sorted(mine_rate - src_rate - src_freq))}' rate the "
                    "cited source does not state")  # fmt: skip
        if mine_freq - src_freq and src_freq - mine_freq:
            return ("figure", f"'{', '.join(sorted(mine_freq - src_freq))}' where the cited "
                    f"source says '{', '.join(sorted(src_freq - mine_freq))}'")  # fmt: skip
        # Bounds and relations: "at most USD 200,000" where the source says "at least", "less
        # than USD 1,000" for "USD 1,000 or more", "2 months after" for "2 months before".
        for cq in quantities(claim):
            if cq.kind == "number":
                continue
            same_key = [x for x in have if x.key == cq.key]
            for read, what in ((_direction, "bound"), (_relation, "relation")):
                mine_said = read(claim, cq)
                said = {r for x in same_key if (r := read(joined, x))}
                if mine_said and said and mine_said not in said:
                    return (
                        "figure",
                        f"'{claim[cq.start : cq.end]}' with the {what} '{mine_said}' where the "
                        f"source says '{'/'.join(sorted(said))}'",
                    )

        words = {t for _, _, t in self.reader.words(claim)}
        best = max(
            (sent for s in sources for sent in s.sentences),
            key=lambda sent: (len(words & sent[1]), -len(sent[1])),
            default=None,
        )
        aligned = [
            a for s in sources for a in s.anchors if best and s.sentences[a.sentence] is best
        ]
        src = [a for s in sources for a in s.anchors]
        mine = self.reader.anchors(claim)
        # Figures bound to the wrong thing: another figure of the same kind fits the words better.
        for q in (a for a in mine if a.kind == "quantity"):
            kind = q.value.split(":", 1)[0]
            same = [_fit(q, s) for s in src if s.kind == "quantity" and s.value == q.value]
            other = [_fit(q, s) for s in src if s.kind == "quantity" and s.value != q.value
                     and s.value.split(":", 1)[0] == kind]  # fmt: skip
            if other and max(other) >= 2 and max(other) > max(same, default=0):
                return (
                    "figure",
                    f"'{claim[q.start : q.end]}' is stated for something else in the cited source(s)",
                )
        # Figures bound to the wrong sentence: the sentence that shares most of the claim's words
        # among those stating a figure of its kind states another value ("valid for 2 months"
        # where "valid for 2 years" is said and "2 months" is the time to apply to extend), or
        # the figure's own sentences share almost none of the claim's words.
        sents = [sent for s in sources for sent in s.sentences]
        for cq in quantities(claim):
            if cq.kind == "number":
                continue
            # the words of the figure's own clause ("the licence is valid for 2 years, and an
            # application ... 2 months before": each figure with its clause)
            clause = _figure_clause(claim, cq.start, cq.end)
            local = {t for _, _, t in self.reader.words(clause)} - self._function_words
            same, other = [0], [0]
            for text, toks in sents:
                qs = [x for x in quantities(text) if x.kind == cq.kind]
                if any(x.key == cq.key for x in qs):
                    same.append(len(local & toks))
                elif qs:
                    other.append(len(local & toks))
            if max(other) >= 3 and max(other) > max(same):
                return (
                    "figure",
                    f"'{claim[cq.start : cq.end]}' is stated for something else in the cited source(s)",
                )
            if len(local) >= 4 and max(same) <= 1:
                return (
                    "figure",
                    f"'{claim[cq.start : cq.end]}' is stated in the cited source(s) about something else",
                )
        # Defined terms and actors outside the subject: the sentence the claim restates names
        # another ("report ... to the Governing Body" where it says "to the MLRO"; "a Retail
        # Client" where it says "a Professional Client").
        if best is not None:
            mine_terms = terms(claim)
            near = [t for t, toks in sents if len(words & toks) * 2 >= len(words & best[1])]
            near_text = " ".join(near)
            theirs = terms(best[0])
            anywhere = terms(joined)
            extra = {t for t in mine_terms - theirs
                     if not any(_named(t, terms(n)) for n in near)
                     and not self._written(t, near_text)}  # fmt: skip
            unknown = {t for t in extra if not _named(t, anywhere)}
            if extra and (theirs - mine_terms or unknown):
                instead = theirs - mine_terms
                return (
                    "actor",
                    f"names {', '.join(sorted(extra))} where the cited source names "
                    + (", ".join(sorted(instead)) if instead else "no such party"),
                )
        # Modals: same class as the source modal they bind to; the subject is the same one.
        src_modals = [a for a in src if a.kind == "modal"]
        sent_of = {id(a): s.sentences[a.sentence][0] for s in sources for a in s.anchors
                   if 0 <= a.sentence < len(s.sentences)}  # fmt: skip
        for m in (a for a in mine if a.kind == "modal"):
            scored = [(_fit(m, s), s) for s in src_modals]
            top = max((f for f, _ in scored), default=0)
            if top == 0:
                # (no source modal's first words are the claim's: its whole predicate may hold
                # them, "The MLRO must, without delay, investigate ..., file the STR with the FIU"
                # for "The AFSA must file the STR with the FIU", kept, an LLM-mode trial)
                # (two words of it at least: one shared word, "related", let an added duty pass)
                scored = [(f if (f := _fit(m, s, wide=True)) >= 4 else 0, s) for s in src_modals]
                top = max((f for f, _ in scored), default=0)
            if top == 0:
                if m.value in _NEGATIVE and not any(a.kind != "quantity" and a.value in
                                                    (*_NEGATIVE, "not") for a in aligned):  # fmt: skip
                    return (
                        "polarity",
                        f"'{claim[m.start : m.end]}' where the source has no negation",
                    )
                verb = re.match(r"\s*(?:also\s+)?([a-z]+)", claim[m.end :])
                vocab = set().union(*(toks for _, toks in sents))
                if (m.value in (DUTY, ADVICE) and m.after and verb and not _CLAUSE_BREAK.fullmatch(verb[1])
                        and 2 * len(m.after - vocab) > len(m.after)):  # fmt: skip
                    # a duty whose words no modal of the source has ("and the firm must also
                    # file an STR for every such transaction")
                    return (
                        "polarity",
                        f"'{claim[m.start : m.end]}': a duty the cited source does not state",
                    )
                continue
            tied = [s for f, s in scored if f == top]
            if not any(s.value == m.value for s in tied) and not any(
                _same_restriction(claim, m, sent_of.get(id(s), ""), s) for s in tied
            ):
                classes = "/".join(sorted({s.value for s in tied}))
                return (
                    "polarity",
                    f"'{claim[m.start : m.end]}' ({m.value}) where the source says {classes}",
                )
            if m.actor and not _PASSIVE.match(claim[m.end :]):
                # (the source's whole predicate: "The AFSA must file the STR with the FIU" was
                # kept against "The MLRO must, without delay, investigate ..., file the STR with
                # the FIU", whose first words after "must" are not the claim's; an LLM-mode trial)
                by_verb = max(len(m.after & (s.after | s.scope)) for s in src_modals)
                subjects = [s.actor for s in src_modals
                            if len(m.after & (s.after | s.scope)) == by_verb
                            and s.value == m.value]  # fmt: skip
                if (
                    by_verb
                    and subjects
                    and not any(m.actor <= a or _initials(m.actor, a) for a in subjects if a)
                    and any(subjects)
                ):
                    return "actor", "the subject differs from the one the cited source names"
        # Free negations: bound to a negation in the source, and none of the aligned sentence lost.
        negs = [a for a in src if a.kind == "negation" or a.value in _NEGATIVE]
        for n in (a for a in mine if a.kind == "negation"):
            if not n.before | n.after:
                continue
            if n.after:
                ok = any(
                    len(n.after & s.after) >= max(1, min(2, len(n.after), len(s.after)))
                    for s in negs
                )
            else:
                ok = any(len(n.before & s.before) >= min(2, len(n.before)) for s in negs)
            if not ok and best is not None and _ONLY_IF.search(best[0]):
                # a negated condition restating the source's "only when": "cannot trade for a
                # client whose account is not pre-funded" for "may trade ... only when the
                # client's account holds ..." (the modals are compared above)
                ok = bool(_IN_CONDITION.search(claim[: n.start]))
            if not ok:
                return (
                    "polarity",
                    f"'{claim[n.start : n.end]}' where the source has no such negation",
                )
        # Each negation of the sentence the claim restates needs its own negation in the claim.
        my_negs = [a for a in mine if a.kind == "negation" or a.value in _NEGATIVE]
        used: set[int] = set()
        for s in aligned:
            if not (s.kind == "negation" or s.value in _NEGATIVE):
                continue
            ctx = s.before | s.after if s.kind == "negation" else s.after
            if len(ctx & words) < max(2, math.ceil(0.6 * len(ctx))):
                continue  # the claim does not restate this part of the sentence
            fits = [(_fit(s, n), i) for i, n in enumerate(my_negs) if i not in used]
            fit, i = max(fits, default=(0, -1))
            dropped = best[0][s.start : s.end] if best else "not"
            if fit < 1 and _CONDITION_NEG.fullmatch(dropped) and _ONLY_IF.search(claim):
                continue  # "unless X" restated as "only if X"
            if fit < 1:
                return (
                    "polarity",
                    f"drops the source's '{dropped}'",
                )
            used.add(i)
        return None

    @staticmethod
    def _claims(text: str) -> list[str]:
        """The answer's sentences, each cut after a citation that ends a clause, so that a
        clause after it stands on its own citation."""
        out = []
        for a, b in sentence_spans(text):
            sentence = text[a:b].strip()
            start = 0
            for m in _CITED_CLAUSE_END.finditer(sentence):
                out.append(sentence[start : m.end()])
                start = m.end()
            out.append(sentence[start:])
        # each piece a sentence of its own: no leading "; ", a capital first letter
        pieces = [c.strip().strip(";,").strip() for c in out]
        return [c[:1].upper() + c[1:] for c in pieces if c.strip(" .;:!?")]

    def verify(
        self, raw: str, sources: dict[int, str], refs: Mapping[int, str | None] | None = None,
        regimes: Mapping[int, str] | None = None,
    ) -> Verified:  # fmt: skip
        """Keep what the numbered ``sources`` support; report the rest. ``refs`` are the sources'
        own rule numbers (a chunk's text need not repeat the number of the rule it is);
        ``regimes`` their jurisdictions ("AIFC", "RK")."""
        text = raw.strip()
        if not text or text.startswith(REFUSAL.rstrip(".")):
            return Verified(REFUSAL, [], refused=True)
        if re.match(r"\s*(?:```\w*\s*)?[{\[]\s*\"", text):
            # a reply wrapped in JSON ({"answer": ..., "citations": [1]}) is no prose answer: it
            # was shown as broken text (a platform engineer's trial, 2026-12-05)
            why = "the reply is JSON, not an answer in sentences"
            return Verified(REFUSAL, [], [Removal("sentence", text[:200], why)], refused=True)
        # "[1, 5]" and "[1][5]" cite the same sources (a sentence citing "[1, 5]" was removed as
        # having no valid citation)
        text = re.sub(
            r"\[(\d{1,3}(?:\s*,\s*\d{1,3})+)\]",
            lambda m: "".join(f"[{n.strip()}]" for n in m.group(1).split(",")),
            text,
        )
        # and a citation after the full stop cites the sentence before it ("... or more. [1]")
        text = re.sub(r"([.!?])((?:\s*\[\d{1,3}\])+)(?=\s|$)", r"\2\1", text)
        # also after a closing quotation mark ('states: "... transaction." [1]'): the sentence was
        # cut before the mark, and '" [1].' was all the answer kept (a platform engineer's
        # LLM-mode trial, thirty-ninth session)
        text = re.sub(r"([.!?])([\"'”’])((?:\s*\[\d{1,3}\])+)(?=\s|$)", r"\2\3\1", text)
        refs = refs or {}
        regimes = regimes or {}
        read: dict[int, _Source] = {}
        kept: list[str] = []
        cited: list[int] = []
        out = Verified("", [])
        for sentence in self._claims(text):
            nums = [int(n) for n in _CITE.findall(sentence)]
            bare = _CITE.sub("", sentence).strip()
            if re.fullmatch(r"\s*(?:yes|no)\s*[.!]?\s*", bare, re.I):
                out.removed.append(Removal("particle", bare.strip(),
                                           "a yes/no answer is not stated by any source"))  # fmt: skip
                continue
            particle = _PARTICLE.match(bare)
            if particle and particle.end() < len(bare):
                out.removed.append(Removal("particle", particle.group(0).strip(),
                                           "a yes/no answer is not stated by any source; the "
                                           "cited sentence is kept without it"))  # fmt: skip
                bare = bare[particle.end() :]
                bare = bare[:1].upper() + bare[1:]
            if not bare.strip(" ;:,.-"):
                continue
            if len(kept) >= MAX_SENTENCES:
                out.removed.append(Removal("sentence", bare,
                                           f"beyond the answer's length ({MAX_SENTENCES} sentences)"))  # fmt: skip
                continue
            if _MARKUP.search(bare):
                out.removed.append(Removal("injection", bare, "markup or script in the answer"))
                continue
            if not _english(bare):
                out.removed.append(Removal("sentence", bare, "not in English, the language of "
                                           "the sources: it cannot be checked against them"))  # fmt: skip
                continue
            bad = [n for n in nums if n not in sources]
            for n in bad:
                out.removed.append(
                    Removal("citation", f"[{n}]", f"cites source [{n}], which was not given")
                )
            good = [n for n in dict.fromkeys(nums) if n in sources]
            if _INJECTION.search(bare):
                out.removed.append(
                    Removal(
                        "injection", bare, "instruction or link text, possibly injected by a source"
                    )
                )
                continue
            if not good:
                out.removed.append(Removal("sentence", bare, "no valid citation to a given source"))
                continue
            texts = [f"{refs.get(n) or ''}\n{sources[n]}" for n in good]
            for n in good:
                if n not in read:
                    read[n] = self.read_source(sources[n], refs.get(n))
            problem: tuple[str, str] | None = _misquoted(bare, [sources[n] for n in good])
            problem = problem or _other_regime(bare, good, regimes, read)
            if (
                problem is None
                and _names_aifc_law(bare)
                and all(regimes.get(n) == "RK" for n in good)
            ):
                # Republic of Kazakhstan national law stated as AIFC law ("Under the AIFC rules"
                # or "Under the AML Rules"): it stands only on a sentence of the source that
                # itself names the AIFC and says what the claim says (its figures, or half its
                # words); another sentence of the section naming the AIFC ("... a carve-out for
                # the AIFC") let "Under the AIFC rules, ... KZT 50,000,000" through (a platform
                # engineer's trial, 2026-12-05). "not an AIFC rule" does not count.
                said = [_NOT_AIFC.sub(" ", t) for n in good for t, _ in read[n].sentences]
                if not any(AIFC_NAMED.search(t) and _says_as_much(bare, t) for t in said):
                    problem = ("regime", "states national law (the cited sources are Republic "
                               "of Kazakhstan law) as AIFC law")  # fmt: skip
            if problem is None:
                problem = self.check(bare, [read[n] for n in good], [refs.get(n) for n in good])
            # (rule numbers named together before the first clause, "Under AML 6.1.1 and AML
            # 6.1.2, ... [1] and ... [2]", are read with every source the sentence cites;
            # one named alone belongs to the clause it opens)
            groups = list(_CITE_GROUP.finditer(sentence))
            listed = (
                bool(groups)
                and len(find_refs(sentence[: groups[0].start()])) > 1
                and not (find_refs(sentence[groups[0].end() :]))
            )
            if problem is None and len(good) > 1 and not listed:
                # (rule numbers named once before every clause, "Under AML 6.1.1 and AML 6.1.2,
                # ... [1] and ... [2]", are read with every source the sentence cites, above)
                # each clause's rule numbers are those of the sources cited after it ("Under
                # AML 13.1.3, the MLRO must be ... [2], and under AML 13.1.1 ... [3]" with the
                # numbers the other way round)
                start = 0
                for m in _CITE_GROUP.finditer(sentence):
                    own = [int(n) for n in _CITE.findall(m.group(0)) if int(n) in sources]
                    part = _CITE.sub("", sentence[start : m.start()])
                    start = m.end()
                    wrong = own and self.bad_refs(part, [read[n] for n in own],
                                                  [refs.get(n) for n in own])  # fmt: skip
                    if wrong:
                        problem = ("reference", "rule number not in the source cited after it: "
                                   + ", ".join(wrong))  # fmt: skip
                        break
            if problem:
                kind, why = problem
                flag = f"{why} ({kind}; cited {', '.join(f'[{n}]' for n in good)})"
                out.flags.append(flag)
                out.removed.append(Removal(kind, bare, flag))
                continue
            lex = self.lexical_support(bare, texts)
            if lex < self.t.lexical:
                emb = self.embedding_support(bare, texts) if lex >= self.t.lexical_floor else 0.0
                if emb < self.t.embedding:
                    out.removed.append(Removal("sentence", bare,
                                               f"not supported by its cited source(s) (lexical {lex:.2f}, embedding {emb:.2f})"))  # fmt: skip
                    continue
            marks = "".join(f"[{n}]" for n in good)
            body, end = (bare[:-1], bare[-1]) if bare[-1] in ".!?" else (bare, ".")
            kept.append(f"{body.rstrip()} {marks}{end}")
            cited.extend(n for n in good if n not in cited)
        out.text = " ".join(kept) if kept else REFUSAL
        out.cited = cited
        out.refused = not kept
        return out


_BOOKS = "|".join(re.escape(b) for b in RULEBOOKS)
# (or a bare code after "under"/"per"/"according to": "Under the DAA, a ... exchange operator
# needs minimum charter capital of KZT 50,000,000" was kept over a national-law source, an
# LLM-mode trial; not a national law named by its subject, "under the AML Law")
_AIFC_BOOK = re.compile(
    rf"\b(?:{_BOOKS})(?:\s+Rules?\b|\s+\d)"
    rf"|\b(?i:under|per|according\s+to)\s+(?:the\s+)?(?:{_BOOKS})\b(?![/-]|\s+(?i:law|act|code)\b)"
)
_CLAIM_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
# "not the AIFC AML Rules", "unlike the AML Rules", "rather than the AIFC's AML Rules": the
# sentence sets itself apart from them (a review: such faithful national-law sentences were removed)
_NOT_BOOK = re.compile(
    r"\b(?:not|outside|rather\s+than|instead\s+of|unlike|beyond)\s+(?:an?\s+|the\s+)?"
    rf"(?:(?:AIFC|AFSA)(?:['’]s)?\s+)?(?:{_BOOKS})(?:\s+Rules?\b|\s+\d[\w.\-()]*)?",
    re.I,
)


# Words in quotation marks: what the answer says is the source's own wording.
# Words in quotation marks: what the answer says is the source's own wording. (A single quote
# after a word or a bracket is an apostrophe: "AML 6.1.1(a)'s duty", "the firms' records".)
_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|(?<![\w)\]])\'([^\']+)\'(?!\w)|‘([^’]+)’')
# where a quotation leaves words out or puts its own in: an ellipsis ("...", "…", ". . .",
# "[...]") or an alteration in square brackets ("[a] Relevant Person")
_OMITTED = re.compile(r"\s*(?:\.\s?\.\s?\.|…|\[[^\]]*\])\s*")
# what a quotation may leave out of the source's wording: a list's markers ("(a)", "iv)", a line
# opening "a." or "2."), a table's bars; never "Rule 5." within a sentence (a review)
_LIST_MARK = re.compile(
    r"\((?:[a-z]{1,4}|\d{1,2}|[A-Z])(?:-[a-z]{1,2})?\)|(?<![\w.(])[a-z]{1,4}\)"
    r"|(?m:^\s*(?:[a-z]|\d{1,2})\.(?=\s))|\|"
)


def _tokens(text: str) -> str:
    """The words of ``text``, lower-cased, one space apart: its punctuation, quotation marks
    (a quotation within a quotation: '"\'Customer\' means ..."') and list markers aside."""
    return " ".join(re.findall(r"[a-z0-9]+", _LIST_MARK.sub(" ", text).lower()))


def _misquoted(claim: str, sources: Sequence[str]) -> tuple[str, str] | None:
    """Words the claim puts in quotation marks (four words or more, each piece between
    ellipses or bracketed alterations) that no cited source holds in that order: a quotation
    says it is the rule's own wording ('The rule says "Records must be kept for at least six
    years from the date of the transaction" [1]', which the rule does not say, was kept, a
    platform engineer's LLM-mode trial, thirty-ninth session). Words only are compared: case,
    punctuation, quotation marks and list markers aside."""
    held = f" {' '.join(_tokens(s) for s in sources)} "
    # (a closing mark the sentence split left at the claim's start pairs with nothing: '"The
    # period runs from the end of the "business relationship"' read a quotation between them,
    # a review)
    body = re.sub(r"^\s*[\"”’']\s*", "", claim) if claim.count('"') % 2 else claim
    for m in _QUOTED.finditer(body):
        quote = next(g for g in m.groups() if g is not None)
        for piece in _OMITTED.split(quote):
            words = _tokens(piece)
            if len(words.split()) >= 4 and f" {words} " not in held:
                return ("quote", f'puts in quotation marks words its cited source does not hold: '
                        f'"{piece.strip()[:120]}"')  # fmt: skip
    return None


def _other_regime(
    claim: str, good: Sequence[int], regimes: Mapping[int, str], read: Mapping[int, _Source]
) -> tuple[str, str] | None:
    """A claim that says under which regime it states the law, where no cited source is that
    regime's text: national law ("Under Kazakh law, records must be kept ...") over AIFC rules,
    the AIFC or the AFSA over another regime's text indexed beside ours ("Under the AIFC AML
    Rules, the MLRO must be resident in the U.A.E." over ADGM's AML), or another regime by name
    over ours (a platform engineer's LLM-mode trial, thirty-ninth session). It stands where a
    cited sentence itself names that regime and says as much."""
    from assistant.answer.answerability import NATIONAL
    from assistant.language.regimes import regime_of, writes

    # (each regime by its own name: a document ingested with "--jurisdiction adgm" or "FSRA" is
    # ADGM's, and a claim naming ADGM over it was removed, a review)
    cited = {regime_of(regimes.get(n) or "AIFC") for n in good}
    said = [t for n in good for t, _ in read[n].sentences]

    def stands(named: Callable[[str], object]) -> bool:
        return any(named(t) and _says_as_much(claim, t) for t in said)

    if "RK" not in cited and (m := NATIONAL.search(claim)) and not stands(NATIONAL.search):
        return ("regime", f"states as national law (\"{m.group(0)}\") what the cited sources, "
                f"{' and '.join(sorted(cited))} text, say; none is Republic of Kazakhstan law")  # fmt: skip

    def aifc(text: str) -> bool:
        return bool(AIFC_NAMED.search(_NOT_AIFC.sub(" ", text)))

    if cited - {"AIFC", "RK"} and not cited & {"AIFC", "RK"} and aifc(claim) and not stands(aifc):
        return ("regime", f"states {' and '.join(sorted(cited))} text as AIFC law; no cited "
                "source is an AIFC rule")  # fmt: skip
    for regime, aliases in REGIME_ALIASES.items():
        if regime == "AIFC" or regime in cited:
            continue
        names = (regime, *aliases)

        def names_it(text: str, names: tuple[str, ...] = names) -> bool:
            return any(writes(text, n, any_case=False) for n in names)

        if names_it(claim) and not stands(names_it):
            return ("regime", f"names {regime} law; no cited source is {regime} text")
    return None


def _names_aifc_law(sentence: str) -> bool:
    """Does ``sentence`` say it states AIFC law: it names the AIFC or the AFSA, or an AIFC
    rulebook ("Under the AML Rules", "AML 13.1.3"), other than to set itself apart from them?"""
    bare = _NOT_AIFC.sub(" ", _NOT_BOOK.sub(" ", sentence))
    return bool(AIFC_NAMED.search(bare) or _AIFC_BOOK.search(bare))


def _says_as_much(claim: str, source: str) -> bool:
    """Does the source sentence say what the claim says: each figure of the claim, and half of
    its longer words (the regime's names aside)?"""
    figures = {q.key for q in parse_quantities(claim, places=False)}
    if figures and not figures <= {q.key for q in parse_quantities(source, places=False)}:
        return False
    low = source.lower()
    words = {w.lower() for w in _CLAIM_WORD.findall(AIFC_NAMED.sub(" ", claim))} - {
        "rules",
        "under",
    }
    return not words or 2 * sum(w in low for w in words) >= len(words)
