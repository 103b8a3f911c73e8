"""Check a firm's policy draft clause by clause against the obligation register.

For each obligation the draft's clauses are searched (BM25 + embeddings, fused by reciprocal
rank), and a deterministic judgement is made and explained:
- conflicting: a parameter of the best clause contradicts the rule (5 years where the rule says
  at least 6; within 24 hours where the rule says immediately; Dubai where it says Kazakhstan),
  it permits what the rule prohibits, or it denies what the rule requires;
- partial: the topic is there but an element is missing (a distinctive term of the obligation,
  an amount the rule sets, or a parameter the draft does not state);
- missing: no clause is relevant enough;
- covered: otherwise.
The draft is data: it is parsed and quoted, never followed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.answer.answerability import has_family
from assistant.answer.verify import ADVICE, DUTY, PERMISSION, PROHIBITION, modal_kinds, negated
from assistant.index.embeddings import Embedder
from assistant.index.keywords import BM25Index, Tokenizer
from assistant.language.abbreviations import defined, initials
from assistant.language.firms import subject_firm_words
from assistant.language.lemmas import aligner, lemma
from assistant.language.quantities import (
    AT_LEAST,
    AT_MOST,
    RESIDENCE,
    Quantity,
    amount_role,
    compare,
    limit_dates,
    parameters,
)
from assistant.policy.obligations import REGULATOR_NAMES, Obligation
from assistant.search.fusion import rrf
from assistant.settings import ChunkingSettings
from ingest.chunker import chunk_document
from ingest.loaders import LoadOptions, load
from ingest.model import Chunk

STATUSES = ("covered", "partial", "conflicting", "missing")
# Capitalised defined terms that drafts paraphrase freely ("the Company" for the DASP): not entities.
_DEFINED = [
    "relevant",
    "person",
    "authorised",
    "firm",
    "firms",
    "digital",
    "asset",
    "assets",
    "dasp",
    "dasps",
    "datf",
    "rules",
    "rule",
    "customer",
    "representative",
    "office",
    "director",
    "partner",
    "principal",
    "senior",
    "manager",
    "aml",
    "cdd",
]
_ENTITY = re.compile(r"(?<![.:;]\s)(?<!^)\b([A-Z][A-Za-z]{2,})\b")
# The body a rule says to notify or inform: "notify the AFSA", "the AFSA must be notified".
_RECIPIENT = re.compile(
    r"\b(?:notify|inform)\s+(?:the\s+)?(?P<to>[A-Z][A-Za-z]{2,})\b"
    r"|\b(?:the\s+)?(?P<by>[A-Z][A-Za-z]{2,})\s+(?:must|shall)\s+be\s+(?:notified|informed)\b"
)
# Functions an obligation may name that a draft must name too ("a deputy MLRO").
_ROLE = re.compile(
    r"\b(deputy|MLRO|compliance officer|finance officer|auditor|whistleblowing)\b", re.I
)
_SPELLED = {
    "mlro": ("money laundering reporting officer",),
    "str": ("suspicious transaction report",),
    "fiu": ("financial monitoring agency", "financial intelligence unit", "AFM"),
    "afsa": ("financial services authority",),
    "unsc": ("security council",),
}
# A word as the tokenizer reads it, keeping its case ("MLRO", "self-assessment").
_SURFACE = re.compile(r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*")
_SENTENCE_END = ("", ".", "!", "?", ":", ";")  # what comes before a sentence's first word
_GENERIC = ["must", "shall", "should", "required", "require", "relevant", "person", "firm", "authorised", "rule", "rules", "aifc", "afsa", "also", "any", "each", "all", "other", "its", "their", "under", "within", "least", "more", "than", "may", "not", "have", "has"]  # fmt: skip


# Polarity, read structurally: a rule that prohibits ("It must never be used in high-risk
# scenarios") is contradicted by a draft sentence that permits the same thing ("Simplified due
# diligence may be used for any customer ..., including high-risk customers"). The mirror case,
# a draft that denies a duty, is ``negated_duty`` below.
# What is prohibited ends at the sentence, at an exception, or where another duty begins.
_PROHIBITION_END = re.compile(
    r"[.;]|\b(?:unless|except|other\s+than|save\s+where|and\s+(?:must|shall))\b", re.I
)
# A sentence that limits its permission, or whose "may" is a possibility in a condition
# ("where money laundering may be suspected"), permits nothing the rule prohibits.
_LIMITED = re.compile(
    r"\b(?:only|excluding|except|other\s+than|unless|never)\b"
    r"|\b(?:where|if|when|whether)\b[^.;,]*\b(?:may|can)\b",
    re.I,
)
_DRAFT_SENTENCE = re.compile(r"(?:[^.;:!?]|\.(?=\d))+")  # "6.1 Records ..." is one sentence
_WORD = re.compile(r"[\w'’-]+")


def polarity_conflict(rule: str, clause: str, terms: set[str], tokenize: Tokenizer,
                      idf: dict[str, float] | None = None) -> str | None:  # fmt: skip
    """The draft sentence that permits what ``rule`` prohibits, if any: the rule has a
    prohibition (must not, must never, may not, cannot, is prohibited ...); a draft sentence
    without negation or limit has a permission (may, can, is permitted/allowed ...), names two or more of the rule's ``terms`` (stems)
    from what is prohibited (after the prohibition, up to the sentence's end, an exception or
    another duty), and names the rule's subject (its rarest term before the prohibition, by
    ``idf``, when it has one: "Enhanced due diligence may be used ..." is not about simplified
    due diligence)."""
    # modals as the verifier reads them (assistant/answer/verify.py), one mechanism for both
    first = next(((a, b) for k, a, b in modal_kinds(rule) if k == PROHIBITION), None)
    if first is None:
        return None
    start, stop_at = first
    end = _PROHIBITION_END.search(rule, stop_at)
    prohibited = {t for t in tokenize(rule[stop_at : end.start() if end else None]) if t in terms}
    before = [t for t in tokenize(rule[:start]) if t in terms]
    subject = max(sorted(before), key=lambda t: idf.get(t, 0.0)) if before and idf else None
    # the rule's own exception ("unless the AFSA has given prior written approval"): a draft
    # that permits under it says what the rule says
    exception: set[str] = set()
    if end is not None and not re.match(r"[.;]", end.group()):
        stop = re.compile(r"[.;]").search(rule, end.end())
        exception = {t for t in tokenize(rule[end.end() : stop.start() if stop else None])
                     if t in terms}  # fmt: skip
    for sm in _DRAFT_SENTENCE.finditer(clause.replace("’", "'")):  # "can’t" is "can't"
        sentence = sm.group()
        words = [w.group() for w in _WORD.finditer(sentence)]
        if negated(sentence) or _LIMITED.search(sentence):
            continue
        if not any(k == PERMISSION for k, _, _ in modal_kinds(sentence)):
            continue
        toks = {t for w in words for t in tokenize(w)}
        if (
            len(toks & prohibited) >= 2
            and (subject is None or subject in toks)
            and len(toks & exception) < 2
        ):
            return clause[sm.start() : sm.end()].strip()
    return None


def weakened_duty(rule: str, clause: str, terms: set[str], tokenize: Tokenizer) -> str | None:
    """The draft sentence that makes optional what ``rule`` requires, if any: the rule's first
    modal is a duty ("must also appoint a deputy MLRO"); a draft sentence with no duty of its
    own, no negation and no limit ("only", a "may" inside a condition) has a permission or a
    piece of advice (may, can, is permitted, should) followed within four words by the rule's
    act (its first term after the modal, a word of the same family or of the same lemma
    counting: "keep" for "kept"), or an adjective of permission (optional, voluntary) after it, and names two or
    more of the predicate's terms. "We may appoint a deputy MLRO ..." was "covered"
    by the rule "must also appoint a deputy MLRO" (a consultant's trial, 2026-12-05)."""
    modals = modal_kinds(rule)
    if not modals or modals[0][0] != DUTY:
        return None
    _, _, stop_at = modals[0]
    end = _PROHIBITION_END.search(rule, stop_at)
    said = rule[stop_at : end.start() if end else None]
    predicate = [t for t in tokenize(said) if t in terms]
    if len(predicate) < 2:
        return None
    act, core = predicate[0], set(predicate)
    # the act's word, so that an irregular form meets it by its lemma ("keep" for "kept")
    act_lemma = next((lemma(w) for w in _WORD.findall(said) if act in tokenize(w)), act)

    def same_act(word: str) -> bool:
        return lemma(word) == act_lemma or any(has_family(t, {act}) for t in tokenize(word))

    for sm in _DRAFT_SENTENCE.finditer(clause.replace("’", "'")):
        sentence = sm.group()
        if negated(sentence) or _LIMITED.search(sentence):
            continue
        kinds = modal_kinds(sentence)
        if not kinds or any(k in (DUTY, PROHIBITION) for k, _, _ in kinds):
            continue
        weak = [(a, b) for k, a, b in kinds if k in (PERMISSION, ADVICE)]
        toks = set(tokenize(sentence))
        if not weak or len(toks & core) < 2:
            continue
        for a, b in weak:
            # the act after the modal ("may appoint"), or before an adjective of permission
            # ("Appointing a deputy MLRO is optional")
            near = _WORD.findall(sentence[b:])[:4]
            if _OPTIONAL.search(sentence[a:b]):
                near = _WORD.findall(sentence[:a])
            if any(same_act(w) for w in near):
                return clause[sm.start() : sm.end()].strip()
    return None


# Adjectives that make an act a permission ("... is optional"), read before them.
_OPTIONAL = re.compile(r"\b(?:optional|voluntary|discretionary)\b", re.I)


@dataclass(frozen=True)
class CheckThresholds:
    """Calibrated on the bundled draft and the eval drafts (evals/datasets/policy_checks.yaml):
    the two bundled drafts first; full_coverage then refitted (0.4 -> 0.35) on the two drafts of
    split ``fit`` only, by a grid over missing x min_coverage x full_coverage that keeps every
    bundled and reworded finding; the ``dev`` and ``holdout`` drafts were not used. When drafts
    numbered "A1." and "1." paragraphs came to be split into their clauses (2026-12-03), one
    ``fit`` finding moved (a clause on records abroad read alone as partly addressing the
    data-protection check, coverage 0.27); min_coverage was refitted (0.25 -> 0.28) by the same
    grid on the ``fit`` drafts, the smallest step that keeps them, the bundled and the reworded
    findings; ``dev`` and ``holdout`` figures are unchanged by it."""

    missing: float = 0.38  # relevance below this: nothing in the draft addresses the obligation
    min_coverage: float = 0.28  # ... and so does a best clause sharing less than this of its terms
    full_coverage: float = 0.35  # share of the obligation's distinctive terms a covering clause has
    second_clause_margin: float = 0.08  # other clauses this close to the best are read together
    param_boost: float = 0.12  # a clause stating the same kind of parameter on the same subject


@dataclass(frozen=True)
class Clause:
    number: str | None
    heading: str | None
    text: str
    chunk_id: str
    # the page the clause starts on, as printed where the document labels its pages ("2", "iv");
    # None for a draft without pages (the reports gave none, and a reviewer could not find a
    # clause of a 3-page PDF from them: a consultant's trial, twenty-third session)
    page: str | None = None

    @property
    def label(self) -> str:
        return f"clause {self.number}" if self.number else (self.heading or "unnumbered text")


# the regulator, by its role or its name (the AIFC's, and the regimes indexed beside it)
_REGULATOR_NAME = re.compile(
    rf"\b(?:{REGULATOR_NAMES}|Financial\s+Services\s+Regulatory\s+Authority)\b"
)
# a rule's or paragraph's number with the words joined to it ("15.8.3.Guidance.1.", "APP4.A4.3")
_NUMBER_LABEL = re.compile(r"\b(?:[A-Z]{2,4})?\d+[A-Z]?(?:\.[A-Za-z0-9]+)+\.?")


@dataclass
class Finding:
    obligation: Obligation
    status: str
    reason: str
    clauses: list[Clause] = field(default_factory=list)
    relevance: float = 0.0
    missing_terms: list[str] = field(default_factory=list)  # as the rule writes them, not stems

    def to_dict(self) -> dict[str, Any]:
        o = self.obligation
        return {
            "status": self.status, "ref": o.ref, "rulebook": o.rulebook, "version": o.version,
            "obligation": o.text,
            "binds": list(o.binds), "is_guidance": o.is_guidance, "obligation_id": o.id,
            "clause": self.clauses[0].number if self.clauses else None,
            "clause_label": self.clauses[0].label if self.clauses else None,
            "clause_quote": self.clauses[0].text if self.clauses else None,
            "clause_page": self.clauses[0].page if self.clauses else None,
            "other_clauses": [c.label for c in self.clauses[1:]], "reason": self.reason,
            "relevance": round(self.relevance, 3), "missing_terms": self.missing_terms,
            "params": [asdict(p) for p in o.params],
        }  # fmt: skip


@dataclass
class PolicyReport:
    draft: str
    title: str
    firm_types: list[str]
    rulebooks: list[str]
    findings: list[Finding]
    unmatched: list[Clause]
    versions: dict[str, list[str]] = field(default_factory=dict)  # rulebook -> version dates
    as_of: str | None = None
    # rulebooks asked for and not checked, with why ("FUNDS (ADGM)": another regime's text); the
    # report says so (a browser trial, twenty-eighth session: FUNDS was dropped without a word)
    not_checked: list[str] = field(default_factory=list)
    # rulebooks asked for whose obligations bind none of the firm types chosen: said, not
    # dropped without a word (a browser trial, thirty-fourth session)
    not_applying: list[str] = field(default_factory=list)
    # ... and those whose indexed text states no obligation at all
    no_duties: list[str] = field(default_factory=list)
    # chapters the firm types leave out whole, each line with its count and why
    # (``Register.chapters_left_out``)
    chapters_left_out: list[str] = field(default_factory=list)

    def addresses_nothing(self) -> bool:
        """Whether no clause of the draft addresses any obligation checked (none covered,
        partial or conflicting): a file that is no policy (a recipe got "27 missing" and nothing
        said so, a screen-reader user's trial, thirty-ninth session), or one on other duties."""
        return bool(self.findings) and all(f.status == "missing" for f in self.findings)

    def warnings(self) -> list[str]:
        """What the reader must know before the findings."""
        if not self.addresses_nothing():
            return []
        return [f"No clause of this draft addresses any of the {len(self.findings)} obligations "
                "checked: is it the firm's policy on these rules, and are these the rulebooks "
                "it answers to? Every finding is MISSING."]  # fmt: skip

    def summary(self) -> dict[str, Any]:
        by_status = Counter(f.status for f in self.findings)
        by_book: dict[str, Counter[str]] = {}
        for f in self.findings:
            by_book.setdefault(f.obligation.rulebook or "-", Counter())[f.status] += 1
        return {"obligations": len(self.findings), "by_status": {s: by_status.get(s, 0) for s in STATUSES},
                "by_rulebook": {b: {s: c.get(s, 0) for s in STATUSES} for b, c in sorted(by_book.items())},
                "unmatched_clauses": len(self.unmatched)}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"draft": self.draft, "title": self.title, "firm_types": self.firm_types, "rulebooks": self.rulebooks,
                "versions": self.versions, "as_of": self.as_of, "not_checked": self.not_checked,
                "not_applying": self.not_applying, "no_duties": self.no_duties,
                "chapters_left_out": self.chapters_left_out, "warnings": self.warnings(),
                "summary": self.summary(), "findings": [f.to_dict() for f in self.findings],
                "unmatched_clauses": [asdict(c) | {"label": c.label} for c in self.unmatched]}  # fmt: skip


def parse_draft(path: Path, max_bytes: int, chunking: ChunkingSettings,
                password: str | None = None) -> tuple[str, list[Clause]]:  # fmt: skip
    """The draft's title and clauses, keeping its own numbering and headings (``password`` opens
    an encrypted PDF)."""
    doc = load(path, LoadOptions(kind="policy", max_bytes=max_bytes, password=password))
    clauses = []
    for c in chunk_document(doc, chunking):
        number = (
            c.ref.removeprefix("Clause ").strip() if c.ref and c.ref.startswith("Clause ") else None
        )
        heading = c.heading_path[-1] if c.heading_path else None
        clause = Clause(number, heading, c.text, c.chunk_id, _page(c, 0))
        clauses.extend(_split_table_rows(clause, c))
    return doc.title, clauses


def _page(chunk: Chunk, offset: int) -> str | None:
    """The page of ``chunk``'s text at ``offset``, its printed label where it has one."""
    page, label = chunk.page_at(max(0, offset))
    return label or (str(page) if page is not None else None)


def _split_table_rows(clause: Clause, chunk: Chunk | None = None) -> list[Clause]:
    """A table row (cells joined by " | ", as DOCX tables load) is a clause of its own, labelled
    by its first cell: a control matrix answers one obligation a row, not one a table. Header
    rows (no cell a sentence long, and no figure) are dropped; a short row with a figure ("CDD
    records | 5 years | MLRO") is a retention or threshold table's row, kept (it was dropped as
    a header, and a breach in it lost, a consultant's trial, 2026-12-04). The text around the
    table stays one clause."""
    lines = clause.text.split("\n")
    rows = [ln for ln in lines if ln.count(" | ") >= 1]
    if not rows:
        return [clause]
    out = []
    rest = "\n".join(ln for ln in lines if ln not in rows).strip()
    if len(rest) > 40:
        out.append(Clause(clause.number, clause.heading, rest, clause.chunk_id, clause.page))
    for k, row in enumerate(rows):
        cells = [x.strip() for x in row.split(" | ")]
        if max(len(x) for x in cells) < 40 and not parameters(row):
            continue  # a header row
        first = cells[0]
        number = first if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})*\.?", first) else None
        heading = (
            f"{clause.heading}: {first}"
            if clause.heading and not number
            else (clause.heading if number else first)
        )
        page = _page(chunk, clause.text.find(row)) if chunk is not None else clause.page
        out.append(Clause(number.rstrip(".") if number else None, heading, row,
                          f"{clause.chunk_id}:r{k}", page))  # fmt: skip
    return out or [clause]


_AROUND = 6  # words on each side of a figure that say what it is about


# the words that say what a figure is about: four letters or more, or an acronym ("FIU")
_AROUND_WORD = re.compile(r"[A-Za-z]{4,}|\b[A-Z]{2,3}\b")
# where a clause ends: a semicolon, or a full stop before a space (not "9.1", "1.5")
# (not a colon: "To the AFSA: within five business days" labels its figure with the words before)
_CLAUSE_END = re.compile(r";|\.(?=\s|$)")


def _around(text: str, q: Quantity) -> set[str]:
    """The content words near a figure, within its own clause of the sentence, by their first
    five letters ("notified" ~ "notify"). (The window ran across a semicolon, so "the MLRO is
    informed immediately of any frozen assets; the AFSA is notified within five business days"
    gave both figures the AFSA's words, and the late notice was excused, a review 2026-12-04.)"""
    head = text[: q.span[0]]
    start = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    tail = text[q.span[1] :]
    stop = _CLAUSE_END.search(tail)
    before = _AROUND_WORD.findall(head[start:])[-_AROUND:]
    after = _AROUND_WORD.findall(tail[: stop.start() if stop else None])[:_AROUND]
    return {w.lower()[:5] for w in before + after} - _AROUND_STOP


# closed-class words that say nothing of what a figure is about
_AROUND_STOP = frozenset(["must", "shall", "with", "within", "from", "that", "this", "which",
                          "their", "there", "where", "when", "after", "befor", "witho", "delay",
                          "days", "month", "years", "hours", "weeks", "busin", "worki", "least",
                          "until", "under", "also", "been", "being", "other"])  # fmt: skip


def _about_the_same(rule: str, rp: Quantity, same: list[Quantity],
                    matched: list[Clause]) -> Quantity | None:  # fmt: skip
    """Of a clause's figures of one kind, the one whose neighbouring words are most like those
    of the rule's figure, when one is clearly so (two shared words at least, more than any
    other): None otherwise."""
    want = _around(rule, rp)
    scored = []
    for d in same:
        text = next((c.text for c in matched if c.text[d.span[0] : d.span[1]] == d.text), None)
        if text is None:
            continue
        scored.append((len(want & _around(text, d)), d))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _acronyms(texts: list[str]) -> set[str]:
    """The words of ``texts`` written in capitals, two to six letters ("UN", "SDD")."""
    return {a for t in texts for a in re.findall(r"\b[A-Z]{2,6}\b", t)}


_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][a-z]+)+")


def _initialled(rule: str, texts: list[str]) -> list[str]:
    """The words of the rule's capitalised names that ``texts`` write by their initials: "UN
    Security Council" names "United Nations" of "United Nations Security Council" (a consultant's
    trial, 2026-12-04: "does not name: United, Nations"). Initials of two words or more, written
    in capitals in the draft."""
    acronyms = _acronyms(texts)
    if not acronyms:
        return []
    out: list[str] = []
    for m in _NAME_RUN.finditer(rule):
        words = [w for w in m.group(0).split() if w[0].isupper()]
        for i in range(len(words)):
            for j in range(i + 2, len(words) + 1):
                if initials(words[i:j]).upper() in acronyms:
                    out.extend(words[i:j])
    return out


def _initialled_title(title: str, texts: list[str]) -> list[str]:
    """The words of a title that ``texts`` write by initials in capitals: all of "Simplified due
    diligence" for "SDD", its last two for "CDD" ("Simplified CDD"; a review, 2026-12-04)."""
    words = title.split()
    out: list[str] = []
    for a in _acronyms(texts):
        for k in range(min(len(a), len(words)), 1, -1):
            if a.endswith(initials(words[-k:]).upper()):
                out.extend(words[-k:])
                break
    return out


# a negation right before a word of residence ("not resident in", "no longer based in",
# "non-resident")
# ("not only resident in ... but also ..." says it is, a review)
_NOT_BEFORE = re.compile(
    r"(?:\b(?:not|never|no\s+longer)\s+(?:be\s+|been\s+|being\s+)?"
    r"(?:(?!(?:only|merely|simply|solely|just)\b)[a-z]+ly\s+)?|\bnon-?)$",
    re.I,
)


def _resided(text: str) -> list[Quantity]:
    """The place right after each word of residence in ``text`` ("lives in X", "is based in
    X"), within 25 characters and its clause of the sentence, spans in ``text``."""
    out = []
    for m in RESIDENCE.finditer(text):
        if _NOT_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            # "is not resident in Kazakhstan and works from Dubai": not where they reside (the
            # negated place excused the other, "partial", a founder's browser trial,
            # twenty-fourth session; the denial alone is read as one)
            continue
        window = _CLAUSE_END.split(text[m.start() : m.end() + 25], maxsplit=1)[0]
        near = [q for q in parameters(window) if q.kind == "location"]
        if near:
            a, b = near[0].span
            out.append(replace(near[0], span=(a + m.start(), b + m.start())))
    return out


def _after_residence(matched: list[Clause], q: Quantity) -> bool:
    """Whether place ``q`` of a matched clause is where someone resides (``_resided``)."""
    for c in matched:
        if c.text[q.span[0] : q.span[1]] == q.text:
            return any(p.span[0] == q.span[0] for p in _resided(c.text))
    return False


def _resides_in(text: str, keys: set[Any]) -> bool | None:
    """Whether ``text`` says someone resides (is based, lives, works from ...) in one of the
    places ``keys``: True when every place right after a word of residence is one of them,
    False when one is another, None when no place follows such a word ("lives in London; records
    are kept in Almaty" is no residence in Kazakhstan, a review 2026-12-04)."""
    places = _resided(text)
    return all(q.key in keys for q in places) if places else None


def _refers_to(text: str, number: str | None) -> bool:
    """Whether ``text`` refers to clause ``number`` ("under 9.1", "see clause 9.1") as a whole
    number: not "19.1", "9.12" or "9.1.3", nor a figure ("2 years" is no clause 2)."""
    if not number:
        return False
    # after a word that refers ("under 9.1", "see clause 9.1"), so that a figure ("2 years") is
    # not read as clause 2 (a review, 2026-12-04)
    return re.search(rf"(?<!\w){_REFERRING}\s*(?:clauses?\s+|sections?\s+|paragraphs?\s+|§\s*)?"
                     rf"(?:[\d.]+[a-z]?\s*(?:,|and|or)\s*)*"  # "clauses 8.4 and 9.1"
                     rf"{re.escape(number)}(?![\w]|\.\d){_UNIT_AFTER}", text, re.I) is not None  # fmt: skip


# words that refer to a clause by its number; not "in", "of", "to", "by", which also come
# before figures ("a period of 2 years", "up to 2 years")
_REFERRING = (r"(?:under|see|per|set\s+out\s+in|(?:in\s+)?accordance\s+with|described\s+in|"
              r"pursuant\s+to|required\s+by|according\s+to|clauses?|sections?|paragraphs?|"
              r"para\.?|§)")  # fmt: skip
# a number that is a figure, not a clause: followed by a unit ("under 2 years")
_UNIT_AFTER = r"(?!\s*(?:years?|months?|weeks?|days?|hours?|minutes?|%|per\s*cent|percent)\b)"


def _with(matched: list[Clause], c: Clause) -> list[Clause]:
    """The matched clauses, the one a finding quotes first."""
    return [c, *(m for m in matched if m is not c)]


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


# A negated duty: the rule says what must be done ("Senior management must approve the AML
# policy") and the draft sentence denies that very act ("The AML policy is not approved by senior
# management", "We need not screen ..."). Read structurally, so that a draft's consistent
# negations stay consistent. Only a flat denial is read: a sentence with a condition, an order
# in time or a bounded figure ("not applied until the risk has been assessed", "not filed more
# than 2 months after", "not undertaken under USD 1,000") limits the act rather than denies it.
# A negation must govern a verb: "not a Director" negates one of the rule's alternatives.
_QUALIFIED = re.compile(
    r"\b(?:if|where|when|whenever|unless|whether|until|before|after|once|while|provided\s+that|"
    r"except|other\s+than|save|only|instead|rather)\b",
    re.I,
)
# A figure with a bound ("not filed more than 2 months after", "under USD 1,000"): the parameter
# check reads those; a plain one ("is not filed within 2 months") may still be denied.
_BOUNDED = re.compile(
    r"\b(?:more|less|fewer|greater|longer|shorter|later|earlier|sooner)\s+than\b"
    r"|\b(?:under|over|below|above|exceeding|up\s+to|at\s+(?:least|most))\s+(?:\S+\s+){0,2}?\d",
    re.I,
)
_DENIES = re.compile(r"\b(?:not|never|cannot)\b|n't\b", re.I)
_NOUN_NEGATION = re.compile(
    r"\s+(?:a|an|the|any|all|every|each|one|only|just|to\s+(?:any|the))\b", re.I
)
_RULE_EXCEPTION = re.compile(r"\b(?:unless|except|other\s+than|save\s+where)\b[^.;,]*", re.I)
_PAST_NEGATION = {"requir", "oblig", "need", "necessari", "alway", "ever", "routin", "automat",
                  "current", "yet", "general", "normal", "usual", "actual"}  # fmt: skip
# A term the draft defines: '("Kestrel")', '(the "Company")', '(“Kestrel”, “we”)'.
_DEFINES = re.compile(r"\([\"“']([A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})[\"”']")
# How a draft names the firm itself, besides the rule's defined terms.
_SELF = ("company", "companies", "we", "our", "us")
# "required", "necessary", "obligatory" after a negation: what is not required is the subject
_REQUIRED = frozenset({"requir", "necessari", "oblig", "obligatori", "mandatori"})
# Words that set what the sentence is about apart from the rule's own ("No other deputy MLRO is
# appointed", "Keeping more risk assessments is not required"): the sentence is about something
# else, unless the rule says them too.
_APART = frozenset({"other", "another", "more", "further", "additional", "else", "extra", "second"})


# Verbs that carry little meaning of their own, the act being the noun they take ("does not
# carry out a business risk assessment" denies assessing); in the passive ("An independent review
# ... is not carried out") the act is the sentence's subject. Read by lemma ("undertook").
_LIGHT_VERBS = frozenset({"carry", "perform", "conduct", "make", "complete", "undertake"})
_OBJECT_END = re.compile(r"[,;.()]|\b(?:of|to|for|by|in|on|at|with|from|under|within|when|where|"
                         r"which|that|who|because|as|and|but|or)\b", re.I)  # fmt: skip


# "not subject to independent review": like a light verb, "subject to" takes the act as object
_SUBJECT_TO = re.compile(r"subject\s+to\b", re.I)
_AUXILIARY = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had)\b", re.I)


def _light_object(after: str, before: str, tokenize: Tokenizer) -> tuple[list[str], int | None]:
    """The terms of a light verb's object ("out a business risk assessment"), or, when it takes
    none (a passive), of the sentence's subject: ``before``'s words up to its first auxiliary,
    with the offset where they end."""
    after = re.sub(r"^\s*out\b", " ", after, flags=re.I)
    end = _OBJECT_END.search(after)
    obj = after[: end.start()] if end else after
    toks = [t for w in _WORD.findall(obj) for t in tokenize(w)]
    return (toks, None) if toks else _subject_terms(before, tokenize)


def _subject_terms(before: str, tokenize: Tokenizer) -> tuple[list[str], int]:
    """The terms of a sentence's subject, ``before``'s words up to its first auxiliary, and the
    offset where they end."""
    aux = _AUXILIARY.search(before)
    cut = aux.start() if aux else len(before)
    return [t for w in _WORD.findall(before[:cut]) for t in tokenize(w)], cut


@dataclass(frozen=True)
class _Negated:
    """What a negation governs: ``heads``, the words that may be the rule's act, in order;
    ``acts``, the verbs among them, never counted as extra words of the denied phrase (a light
    verb's object is: "does not carry out proprietary trading" names something the rule does
    not); ``subject_end``, where a passive's subject ends when the act is the subject."""

    heads: list[str]
    acts: list[str]
    subject_end: int | None = None
    obj: tuple[str, ...] = ()  # a light verb's object: the act when its head noun is the rule's


def _negated_heads(window: str, tokenize: Tokenizer, before: str = "") -> _Negated:
    """The words a negation governs, from the text after it: the first that is not a past
    negation's adverb ("not always documented": "document"), and those coordinated with it by
    "or" or "nor", which the negation governs too ("not retained or documented": "retain",
    "document"; "not reviewed, tested or approved": all three). "And" is left alone: "not
    documented and kept" may deny the pair only. A light verb governs its object, or in the
    passive its subject (read from ``before``, the sentence before the negation)."""
    words = list(_WORD.finditer(window))
    first = next(((k, toks[0]) for k, m in enumerate(words)
                  if (toks := [t for t in tokenize(m.group()) if t not in _PAST_NEGATION])), None)  # fmt: skip
    if first is None:  # "Documenting risk assessments is not required": the act is the subject
        if not words:
            return _Negated([], [])
        terms, cut = _subject_terms(before, tokenize)
        return _Negated(terms, [], cut)
    if (
        words
        and set(tokenize(words[0].group())) & _REQUIRED
        and re.match(r"\s*(?:for|of|from|by|in)\b", window[words[0].end() :], re.I)
    ):
        # "Residence in Kazakhstan is not required for the MLRO": the act is the subject
        terms, cut = _subject_terms(before, tokenize)
        return _Negated(terms, [], cut)
    i, head = first
    subject_to = _SUBJECT_TO.match(window, words[i].start())
    if lemma(words[i].group()) in _LIGHT_VERBS or subject_to:  # "carry out": its particle too
        rest = window[subject_to.end() :] if subject_to else window[words[i].end() :]
        obj, subject_end = _light_object(rest, before, tokenize)
        verb = [head, *tokenize("out")]
        if subject_end is not None:  # a passive: any word of the subject may name the act
            return _Negated([head, *obj], verb, subject_end)
        # the object's head noun, its last word ("a business risk assessment"), names the act
        return _Negated([head, obj[-1]], verb, None, tuple(obj))
    heads: list[str] = [head]
    pending: list[str] = []
    while i + 1 < len(words):
        gap = window[words[i].end() : words[i + 1].start()]
        joint = words[i + 1].group().lower()
        if joint in ("or", "nor") and gap.strip() in ("", ",") and i + 2 < len(words):
            toks = tokenize(words[i + 2].group())
            if not toks or window[words[i + 1].end() : words[i + 2].start()].strip():
                break
            heads += [*pending, toks[0]]
            break
        if gap.strip() != "," or not (toks := tokenize(words[i + 1].group())):
            break
        pending.append(toks[0])  # a comma list counts only if it ends in "or" ("nor")
        i += 1
    return _Negated(heads, heads)


# "No deputy MLRO is appointed": the negation stands before the subject and governs the verb
# after the auxiliary; "There is no requirement to document ...": the verb after "to".
_NO_SUBJECT = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?no\s+(?:[\w-]+\s+){1,6}?(?P<aux>(?:is|are|was|were|will\s+be|shall\s+be|has\s+been|"
    r"have\s+been))\s+",
    re.I,
)
_NO_DUTY = re.compile(
    r"\b(?:there\s+is\s+)?no\s+(?:requirement|obligation|need|duty)\s+(?:for\s+[\w-]+(?:\s+[\w-]+)?\s+)?to\b",
    re.I,
)


_NEGATORS = frozenset({"nor", "neither"})  # tokens the tokenizer keeps that name no act
# "We keep no record of ...", "We perform no risk assessment ...": "no" before the object
# negates the verb before it (an auxiliary or "there is" before "no" is read above)
_VERB_NO = re.compile(r"\b(?P<verb>[a-z]+)\s+no\s+(?=[a-z])", re.I)
_NOT_A_VERB = frozenset({"is", "are", "was", "were", "be", "been", "there", "has", "have", "had",
                         "with", "of", "in", "on", "at", "by", "for", "to", "and", "or", "but",
                         "that", "which", "where", "if", "so", "as"})  # fmt: skip


def _negations(sentence: str) -> list[tuple[int, int]]:
    """Where each negation of a sentence stands (start) and where the text it governs begins
    (end), in order: "not", "never", "cannot", "n't", "neither", a subject's "No ... is", "no
    requirement to", and a verb's "no" object ("keep no record": the text from the verb)."""
    found = [(m.start(), m.end()) for m in _DENIES.finditer(sentence)]
    found += [(m.start(), m.end()) for m in re.finditer(r"\bneither\b", sentence, re.I)]
    found += [(m.start(), m.end()) for m in _NO_DUTY.finditer(sentence)]
    no_object = [(m.start("verb"), m.start("verb")) for m in _VERB_NO.finditer(sentence)
                 if m.group("verb").lower() not in _NOT_A_VERB]  # fmt: skip
    no_subject = _NO_SUBJECT.match(sentence)
    if no_subject is not None or no_object:
        # a second negation makes a double one, stricter than the rule, not a denial: "No MLRO
        # is appointed who is not a Director", "... on which we have carried out no due diligence"
        if len(found) + len(no_object) + (no_subject is not None) > 1:
            return []
        if no_subject is not None:
            found.append((no_subject.start("aux"), no_subject.end()))
        found += no_object
    return sorted(found)


# "not X, but Y" corrects X rather than denying the act ("but we ..." is a second clause)
_CORRECTED = re.compile(
    r"\b(?:not|never)\b[^.;]*?,?\s+but\s+(?:rather\s+|instead\s+)?(?:every|each|at|in|on|within|"
    r"by|only|annually|monthly|quarterly|weekly|daily|yearly|\d)",
    re.I,
)


# verbs that carry no condition of their own after a qualifier ("before a transfer is made")
_VERB_FILLERS = frozenset(
    {"made", "make", "done", "carri", "perform", "effect", "execut", "complet"}
)


def _limits(sentence: str, rule: str, tokenize: Tokenizer) -> bool:
    """Whether ``sentence`` has a condition, an order in time or a limit (``_QUALIFIED``) that
    is not the rule's own: "No due diligence is performed on counterparty DASPs before a
    transfer" restates the rule's "Before making a transfer, ... must carry out due diligence",
    and denies it; "... not applied until the risk has been assessed" limits the act, and so
    does "... not carried out before every transfer" (the rule says "before making a transfer":
    every word after the draft's qualifier must be the rule's). "Not X, but Y" corrects X."""
    if _CORRECTED.search(sentence):
        return True
    for m in _QUALIFIED.finditer(sentence):
        words = _WORD.findall(sentence[m.end() :])[:5]
        if any(_DENIES.search(w) or w.lower() == "no" for w in words):
            return True  # "where it is not required": the rule's condition turned round
        after = [t for w in words[:4] for t in tokenize(w) if t not in _VERB_FILLERS]
        # what the rule says after the same word, wherever it says it ("Before making a
        # transfer, or before making received Digital Assets available")
        said = {u for r in re.finditer(rf"\b{re.escape(m.group())}\b", rule, re.I)
                for w in _WORD.findall(rule[r.end() :])[:5] for u in tokenize(w)}  # fmt: skip
        echoed = bool(after) and all(has_family(t, said) for t in after)
        if not echoed:
            return True
    return False


def _negates_terms(rule: str, clauses: list[Clause], terms: set[str],
                   tokenize: Tokenizer) -> tuple[Clause, str] | None:  # fmt: skip
    """The first matched clause and sentence with a negation governing a word of the rule's
    own, where the rule negates nothing itself: such a clause is never taken as covering the
    rule. ``negated_duty`` reads flat denials as conflicts; a denial in other words ("no deputy to
    the MLRO will be designated", "We do not keep a written record of customer risk
    assessments") was reported "covered" with the violating clause quoted as the evidence (a
    consultant's trial, 2026-12-04). A consistent negation ("records are not destroyed before
    six years") is then "partial", asking a reader to check it, rather than "covered"."""
    if _ANY_NEGATION.search(rule) or re.search(r"\bwithout\b", rule, re.I):
        return None
    align = aligner(rule, tokenize)  # "do not keep" read against "kept"
    rule_words = set(tokenize(rule)) | {t for w in _SELF for t in tokenize(w)}
    # what the rule's duty is: the clause of its first modal, without a condition set off
    # before it by a comma ("Before making a transfer, ..., a DASP must carry out due
    # diligence"), its subject kept ("CDD must be undertaken ...", a review): a light verb's
    # noun must be of it
    modals = modal_kinds(rule)
    if modals:
        start = modals[0][1]
        opening = max((m.end() for m in re.finditer(r"[.;:,]\s", rule[:start])), default=0)
        end = re.compile(r"[.;](?=\s|$)").search(rule, start)
        act = set(tokenize(rule[opening : end.start() if end else None]))
    else:
        act = set(tokenize(rule))
    org = {t for w in _ORG_WORDS for t in tokenize(w)}
    for c in clauses:
        for sm in _DRAFT_SENTENCE.finditer(c.text.replace("’", "'").replace("\n", ". ")):
            sentence = sm.group().strip()
            read = align(sentence)
            toks = {t for w in _WORD.finditer(read) for t in tokenize(w.group())}
            if len(toks & terms) < 2:
                continue
            for m in _ANY_NEGATION.finditer(read):
                # the word negated: the first after the negation that is no auxiliary, article
                # or adverb of degree ("do not keep", "no deputy ... will be designated"); a
                # negation of another word ("does not prevent access", "never used", "no later
                # than") says nothing against the rule's own words
                words = [w for w in _WORD.findall(read[m.end() :])[:5]
                         if w.lower() not in _NEGATED_SKIP]  # fmt: skip
                # a light verb's act is its noun: "does not perform due diligence" negates due
                # diligence (an MLRO's trial: the denial was "covered"), where that noun is the
                # rule's duty ("does not perform any transfer before due diligence" is not, a
                # review)
                light = bool(words) and lemma(words[0]) in _LIGHT_VERBS
                after = [w for w in words if w.lower() != "out"][1:] if light else words
                if not after or not set(tokenize(after[0])) & (terms & act if light else terms):
                    continue
                # and what the negation is said of (its clause's words before it) names nothing
                # the rule does not: "Simplified due diligence is never used for ..." is not
                # said of the rule to use a risk assessment
                said = re.split(r"[,;]", read[: m.start()])[-1]
                if _CONDITION_OPENS.match(said):
                    continue  # "Where no report is lodged, ...": a condition, not a denial
                if {
                    t for t in tokenize(said) if not any(ch.isdigit() for ch in t)
                } <= rule_words | org:
                    return c, sentence
    return None


# the firm's own people and units, as a draft names who does (or does not) do a duty: "Our
# compliance team does not keep ..." is said of the firm (a review, 2026-12-04)
_ORG_WORDS = ("team", "teams", "staff", "department", "unit", "function", "compliance",
              "officer", "officers", "employee", "employees", "personnel", "management",
              "manager", "managers", "board", "firm", "business", "group")  # fmt: skip
_PRONOUN_SUBJECT = re.compile(r"\s*(?:it|they|this|these|such)\b", re.I)
_CONDITION_OPENS = re.compile(r"\s*(?:where|if|when|whenever|unless|whether|once|in case)\b",
                              re.I)  # fmt: skip
_NEGATED_SKIP = frozenset(["be", "been", "being", "is", "are", "was", "were", "have", "has", "had",
                           "do", "does", "did", "a", "an", "the", "any", "ever", "yet", "always",
                           "currently", "normally", "usually", "to", "we", "it", "they"])  # fmt: skip


_OWN_FIRM = re.compile(r"\b(?:the|our|this)\s+firm\b", re.I)
_ANY_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|neither|cannot)\b|n't\b", re.I)


def negated_duty(rule: str, clause: str, terms: set[str], tokenize: Tokenizer,
                 idf: dict[str, float] | None = None,
                 generic: frozenset[str] | set[str] = frozenset(), title: str = "") -> str | None:  # fmt: skip
    """The draft sentence that flatly denies what ``rule`` requires, if any.

    - The rule: its first modal (in its text, not in its ``title``) is a duty whose predicate (up
      to the sentence's end, an exception or another duty) holds no negation of its own ("must
      ensure that the law does not prevent access"); its subject is the rarest of its ``terms``
      (by ``idf``) before the modal, outside the rule's own exception ("other than a
      Representative Office"), the title standing in for a pronoun ("It must").
    - The draft sentence: no condition, order in time or limit (``_QUALIFIED``), no figure with a
      bound (``_BOUNDED``: the parameter check reads those); it names
      the subject and two or more of the rule's terms, not two of its exception's; a negation
      ("not", "never", "cannot", "n't", past "required", "always") governs a word of the same
      family as one of the predicate's terms, and not a noun ("not a Director"), nor a word the
      rule itself negates ("does not delay" is "without delay"), nor a word the sentence affirmed
      before ("is filed within 2 months and is never filed late").
    - Nothing else: the sentence's words before the negation name nothing the rule does not,
      ``generic`` words and the firm's names for itself aside ("the firm", "the Company"), and
      the negated phrase names nothing the rule does not, not even generic ones ("not reported to
      any other person" is tipping off, not a denial of reporting to the MLRO), nor one of the
      rule's alternatives ("not reviewed externally" where it says "internally or externally")."""
    modals = modal_kinds(rule)
    if not modals or modals[0][0] not in (DUTY, ADVICE):  # ("should": a duty the draft denies)
        return None
    _, start, stop_at = modals[0]
    end = _PROHIBITION_END.search(rule, stop_at)
    predicate = rule[stop_at : end.start() if end else None]
    if _DENIES.search(predicate) or re.search(r"\bno\b", predicate, re.I):
        return None
    core = {t for t in tokenize(predicate) if t in terms}
    if not core:
        return None
    negated_in_rule = {t for m in re.finditer(r"\b(?:without|no|non)[\s-]+(\w+)", rule, re.I)
                       for t in tokenize(m.group(1))}  # fmt: skip
    alternatives = {t for m in re.finditer(r"\b(\w+)\s*,?\s+or\s+(\w+)", predicate, re.I)
                    for t in tokenize(f"{m.group(1)} {m.group(2)}")}  # fmt: skip
    # a draft that denies the duty where the rule's own exception applies ("As a Representative
    # Office we do not appoint a deputy MLRO") says what the rule says
    exception = {t for m in _RULE_EXCEPTION.finditer(rule) for t in tokenize(m.group())}
    opening = max((m.end() for m in re.finditer(r"[.;:]\s", rule[:start])), default=0)
    own = _RULE_EXCEPTION.sub(" ", rule[opening:start])
    # the noun phrase before the modal, after any opening condition ("Before making a transfer,
    # ..., a DASP must")
    own = next((part for part in reversed(own.split(",")) if part.strip()), own)
    if re.fullmatch(r"\s*(?:it|they|this|these|such \w+)\s*", own, re.I):
        own = f"{title} {own}"
    before = [t for t in tokenize(own) if t in terms]
    subject = max(sorted(before), key=lambda t: idf.get(t, 0.0)) if before and idf else None
    rule_words = set(tokenize(f"{title} {rule}"))
    # (outside its exception: "other than a Representative Office" says nothing of "other")
    rule_lower = {w.lower() for w in _WORD.findall(_RULE_EXCEPTION.sub(" ", f"{title} {rule}"))}
    self_words = {t for w in _SELF for t in tokenize(w)}
    # a draft's irregular forms read as the rule's ("We do not keep records" against "kept")
    align = aligner(f"{predicate} {title} {rule}", tokenize)  # the duty's own words first
    for sm in _DRAFT_SENTENCE.finditer(clause.replace("’", "'")):
        # limits are read as written ("less than" is not the rule's "at least")
        if _limits(sm.group(), rule, tokenize) or _BOUNDED.search(sm.group()):
            continue
        sentence = align(sm.group())
        toks = {t for w in _WORD.finditer(sentence) for t in tokenize(w.group())}
        if len(toks & terms) < 2 or (subject is not None and subject not in toks):
            continue
        if len(toks & exception) >= 2:
            continue
        for neg_start, neg_end in _negations(sentence):
            if _NOUN_NEGATION.match(sentence, neg_end):
                continue
            window = sentence[neg_end : neg_end + 200]  # the negated act is near the negation
            if {w.lower() for w in _WORD.findall(sentence[:neg_start])} & _APART - rule_lower:
                continue
            negated = _negated_heads(window, tokenize, sentence[:neg_start])
            subject_end = negated.subject_end
            head = next((h for h in negated.heads if has_family(h, core)), None)
            if head is None:
                continue
            if has_family(head, negated_in_rule):
                continue  # "does not delay" where the rule says "without delay"
            said = {t for w in _WORD.finditer(sentence[:neg_start]) for t in tokenize(w.group())}
            # (in a passive the act is the subject: "An independent review ... is not carried out")
            affirmed = said if subject_end is None else {
                t for w in _WORD.finditer(sentence[subject_end : neg_start])
                for t in tokenize(w.group())}  # fmt: skip
            if has_family(head, affirmed):
                continue  # "is filed within 2 months and is never filed late": affirmed first
            # what is denied: the negated phrase, up to a clause break or a coordinated clause
            scope = re.split(r"[,;]|\b(?:and|but|or)\s+(?:is|are|was|were|we|it|they)\b",
                             sentence[neg_end :], maxsplit=1)[0]  # fmt: skip
            # the draft's name for itself ("a member of the Firm", against "a member of the
            # Authorised Person"), not another firm ("an external firm", a review)
            scope = _OWN_FIRM.sub(" ", scope)
            denied = (
                {t for w in _WORD.finditer(scope) for t in tokenize(w.group())}
                - {head, *negated.acts}
                - (set(negated.obj) if negated.obj and head == negated.obj[-1] else set())
                - _NEGATORS
            )
            if denied and denied <= alternatives:
                continue  # "not reviewed externally" where the rule says "internally or externally"
            unnamed = {t for t in said if t not in generic and t not in self_words}
            # (the firm's names for itself in the denied phrase too: "not reviewed by a member
            # of the Firm who has adequate seniority" against "a member of the Authorised
            # Person", a consultant's trial on the real COBS, twenty-sixth session)
            unnamed |= denied - self_words
            if not {t for t in unnamed if not t[0].isdigit() and t not in _PAST_NEGATION
                    and not has_family(t, rule_words)}:  # fmt: skip
                return clause[sm.start() : sm.end()].strip()
    return None


# A draft with a higher threshold than the rule's leaves amounts out; a lower minimum falls short;
# the opposite is stricter than the rule and complies. Amounts whose role is not read stay
# "partial".
def _amount_against(o: Obligation, rp: Quantity, draft: list[list[Quantity]],
                    matched: list[Clause],
                    others: set[tuple[str | None, float | str, str | None]]) -> str | None:  # fmt: skip
    """For a rule amount whose role is read (``amount_role``): a conflict ("..."), "" when a draft
    amount of the same role and currency complies, or None when nothing can be judged. A draft
    amount that ``others`` (the register's amounts with their roles) sets for another rule is
    that rule's, not this one's."""
    # the rule may state its amount twice ("the threshold is USD 1,000: CDD must be undertaken
    # for a transaction of USD 1,000 or more"): either statement gives its role
    role = next((r for p in o.params if p.kind == "amount" and (p.unit, p.value) == (rp.unit, rp.value)
                 for r in [amount_role(o.text, p)] if r), None)  # fmt: skip
    if role is None:
        return None
    same = [(d, c) for ps, c in zip(draft, matched, strict=False) for d in ps
            if d.kind == "amount" and d.unit == rp.unit and amount_role(c.text, d) == role
            and (d.value == rp.value or (d.unit, d.value, role) not in others)]  # fmt: skip
    if not same or not isinstance(rp.value, float):
        return None
    limit = rp.value

    def falls_short(d: Quantity) -> bool:
        v = d.value
        return isinstance(v, float) and (v > limit if role == "threshold" else v < limit)

    worse = [(d, c) for d, c in same if falls_short(d)]
    if len(worse) < len(same):
        return ""  # the same amount, or a stricter one
    d, c = worse[0]
    if role == "threshold":
        return (f"draft: {d.text} or more ({c.label}) is higher than the rule's threshold, leaving "
                f"out amounts from {rp.text} up to {d.text}; rule: {rp.text} or more ({o.ref})")  # fmt: skip
    return f"draft: at least {d.text} ({c.label}) is lower than the rule's minimum; rule: at least {rp.text} ({o.ref})"


# a period counted from an event ("24 months after the date of the Prospectus"): a time limit
_FROM_EVENT = re.compile(r"\s+(?:after|from|following)\b", re.I)


def _counted_from_event(draft: list[list[Quantity]],
                        matched: list[Clause]) -> tuple[list[Quantity], str]:  # fmt: skip
    """The periods of the most relevant clause that states one counted from an event, read as
    the deadline a rule's "no later than 12 months after ..." is compared with (a consultant's
    trial on the real FUNDS rulebook, twenty-eighth session: "The expiry date of each Prospectus
    is 24 months after the date of the Prospectus" was "partial: draft states no deadline"), and
    that clause's text (the words around them are read there, not in another clause that holds
    the same figure's words)."""
    for params, clause in zip(draft, matched, strict=False):
        found = [replace(q, kind="deadline") for q in params if q.kind == "duration"
                 and q.span and _FROM_EVENT.match(clause.text, q.span[1])]  # fmt: skip
        if found:
            return found, clause.text
    return [], ""


class PolicyChecker:
    def __init__(self, embedder: Embedder, thresholds: CheckThresholds | None = None) -> None:
        self.embedder = embedder
        self.tokenize = Tokenizer()
        self.t = thresholds or CheckThresholds()
        self._generic = {t for w in _GENERIC for t in self.tokenize(w)}
        self._defined = {t for w in _DEFINED for t in self.tokenize(w)}

    def _named(self, entity: str, terms: set[str], seq: Sequence[str] = ()) -> bool:
        """The entity, or its spelled-out form (MLRO / Money Laundering Reporting Officer), is there.
        A spelled-out form of four words or more may be shortened by one modifier, its head noun
        kept, as drafts shorten it once introduced ("the money-laundering officer"). The words of
        a spelled-out form must stand together, in order, in ``seq`` (the clause's tokens), so
        "money laundering is reported to the compliance officer" names no MLRO."""
        if entity in terms:
            return True

        def together(words: list[str]) -> bool:  # in order, side by side (no seq: anywhere)
            if not seq:
                return all(t in terms for t in words)
            n = len(words)
            return any(list(seq[k : k + n]) == words for k in range(len(seq) - n + 1))

        for alt in _SPELLED.get(entity, ()):
            toks = self.tokenize(alt)
            if together(toks):
                return True
            missing = [t for t in toks if t not in terms]
            shortened = len(toks) >= 4 and len(missing) == 1 and missing[0] != toks[-1]
            if shortened and together([t for t in toks if t != missing[0]]):
                return True
        return False

    def _own_names(self, title: str, clauses: list[Clause], known: Counter[str]) -> set[str]:
        """The terms of the names the draft gives its firm: runs of capitalised words in its
        title and the terms it defines in parentheses, where one word of the name is one no rule
        of the register uses (a title's "AML Policy" names no firm)."""
        # the title's first run of capitalised words with a word no rule uses ("Kestrel Digital
        # Ltd: AML Policy"; in "AML Policy of Kestrel and its Subsidiaries", "Kestrel" only)
        own: set[str] = set()
        for name in re.findall(r"\b[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*", title):
            toks = set(self.tokenize(name))
            if toks - set(known):
                own = toks
                break
        # a term the draft defines for that name, in its opening clauses: 'Kestrel Digital Ltd
        # ("Kestrel")'; not '(the "Vendor")', nor a term defined for another name
        text = " ".join(c.text for c in clauses[:5])
        for m in _DEFINES.finditer(text):
            before = set(self.tokenize(text[max(0, m.start() - 60) : m.start()]))
            if own and before & own:
                own |= set(self.tokenize(m.group(1)))
        return own

    def _entities(self, text: str) -> list[str]:
        """Stems of the specific bodies, lists and places an obligation names (AFSA, Kazakhstan, FIU)."""
        text = re.sub(r"\([^)]*\)", "", text)  # source notes such as "(AFSA FAQ)"
        words = [
            m.group(1) for m in _ENTITY.finditer(re.sub(r"\b[A-Z()]+ \d[\d.\-()a-z]*", "", text))
        ]
        words += _ROLE.findall(text)
        stems = [t for w in words for t in self.tokenize(w)]
        return [
            t for t in dict.fromkeys(stems) if t not in self._generic and t not in self._defined
        ]

    def surface(self, stems: list[str], text: str) -> list[str]:
        """The words of ``text`` that ``stems`` came from, as the text writes them ("deputi" ->
        "deputy", "mlro" -> "MLRO", "host" -> "self-hosted"), each once: the first word that
        tokenizes to each stem, in lower case where the text has it so ("staff", not the "Staff"
        opening a sentence). Matching works on stems; what a user reads names the rule's words."""
        words: dict[str, str] = {}
        for m in _SURFACE.finditer(text):
            token = m.group(0)
            if token[1:].islower() and text[: m.start()].rstrip()[-1:] in _SENTENCE_END:
                token = token.lower()  # capitalised only because it opens a sentence
            for part in (token, *re.split(r"[.\-]", token)):
                for stem in self.tokenize(part):
                    if stem not in words or (part.islower() and not words[stem].islower()):
                        words[stem] = part
        return list(dict.fromkeys(words.get(t, t) for t in stems))

    def _terms(self, text: str) -> list[str]:
        # (not the words of a number's label, "15.8.3.Guidance.1.": "does not name: Guidance"
        # was given for it, a consultant's trial, thirty-eighth session)
        text = _NUMBER_LABEL.sub(" ", text)
        return [
            t
            for t in dict.fromkeys(self.tokenize(text))
            if t not in self._generic and not t[0].isdigit()
        ]

    def check(
        self, clauses: list[Clause], obligations: list[Obligation], title: str = "",
        vocabulary: Sequence[Obligation] | None = None,
    ) -> tuple[list[Finding], list[Clause]]:  # fmt: skip
        """A finding per obligation, and the clauses no obligation matched. ``title``, the draft's
        own, gives the names the draft has for its firm, with the terms it defines ('Kestrel
        Digital Ltd ("Kestrel")'): "Kestrel does not appoint a deputy MLRO" denies as "We do not
        ..." does. ``vocabulary``, the whole register the obligations were chosen from, weighs
        their words (default: the obligations themselves), so that a rule's finding does not
        change with the firm types and rulebooks chosen beside it (AML 6.1.2 was "conflicting"
        with --rulebook AML and "missing" without, a consultant's trial, 2026-12-05)."""
        if not clauses:
            return [Finding(o, "missing", "the draft has no text") for o in obligations], []
        # every amount the register sets, with its role: a draft amount that is another rule's
        # ("USD 15,000 or more", the general CDD threshold) implements that rule; it is no
        # deviating version of this one ("USD 1,000 or more" for digital assets)
        amounts = {(p.unit, p.value, amount_role(o.text, p)) for o in obligations
                   for p in o.params if p.kind == "amount"}  # fmt: skip
        bm25 = BM25Index(Path("/nonexistent"))
        bm25.build(
            [(str(i), f"{c.heading or ''}\n{c.text}") for i, c in enumerate(clauses)], 0, save=False
        )
        clause_vecs = self.embedder.embed_documents(
            [f"{c.heading or ''}\n{c.text}" for c in clauses]
        )
        ob_texts = [f"{o.title}. {o.text}" if o.title else o.text for o in obligations]
        ob_vecs = self.embedder.embed_documents(ob_texts)
        words = ob_texts if vocabulary is None else [
            f"{o.title}. {o.text}" if o.title else o.text for o in vocabulary
        ]  # fmt: skip
        df = Counter(t for text in words for t in set(self._terms(text)))
        own = self._own_names(title, clauses, df)
        n = max(1, len(words))
        idf = {t: math.log(1 + n / (1 + d)) for t, d in df.items()}
        clause_seqs = [self.tokenize(f"{c.heading or ''} {c.text}") for c in clauses]
        clause_terms = [set(q) for q in clause_seqs]
        clause_params = [parameters(c.text) for c in clauses]
        clause_kinds = [{p.kind for p in ps} for ps in clause_params]
        best_for_clause = [0.0] * len(clauses)
        findings = []
        for o, otext, ovec in zip(obligations, ob_texts, ob_vecs, strict=True):
            # the words naming the firm type the rule binds are its scope, not its content
            scope = {t for w in subject_firm_words(o.text) for t in self.tokenize(w)}
            terms = [t for t in self._terms(otext) if t not in scope] or self._terms(otext)
            kinds = {p.kind for p in o.params} - {"amount"}
            # what the obligation names besides its parameters ("AML Return", "MLRO"; not the
            # "Republic of Kazakhstan" its location parameter names)
            in_params = {t for p in o.params for t in self.tokenize(p.text)}
            named = [e for e in self._entities(o.text) if e not in in_params]
            total = sum(idf.get(t, 1.0) for t in terms) or 1.0
            keyword = [int(cid) for cid, _ in bm25.query(otext, 5)]
            dense = sorted(range(len(clauses)), key=lambda i: -_cos(ovec, clause_vecs[i]))[:5]
            ranked = rrf([(keyword, 1.0), (dense, 1.0)])
            scored = []
            for i in list(ranked)[:3]:
                coverage = (
                    sum(
                        idf.get(t, 1.0)
                        for t in terms
                        if self._named(t, clause_terms[i], clause_seqs[i])
                    )
                    / total
                )
                relevance = 0.5 * coverage + 0.5 * max(0.0, _cos(ovec, clause_vecs[i]))
                names_one = not named or any(
                    self._named(e, clause_terms[i], clause_seqs[i]) for e in named
                )
                boosted = (
                    bool(kinds & clause_kinds[i])
                    and coverage > 0
                    and (
                        all(self._named(e, clause_terms[i], clause_seqs[i]) for e in named)
                        # (the same value about something the rule does not name is no match of
                        # it: "Retail clients resident in Kazakhstan ..." took AML 13.1.3's MLRO
                        # residence from "The MLRO lives and works in Dubai", whose conflict was
                        # missed, a founder's browser trial, thirty-first session; a place only:
                        # a deadline's "without delay" still speaks to "notified immediately")
                        or any(
                            p.key == q.key and (p.kind != "location" or names_one)
                            for p in o.params
                            for q in clause_params[i]
                        )
                    )
                )
                if boosted:
                    # the clause states the same kind of parameter (a period, a place, a deadline)
                    # about the same subject (it names what the obligation names, or states the
                    # same value): it speaks to this obligation, rightly or wrongly
                    relevance += self.t.param_boost
                scored.append((relevance, coverage if not boosted else 1.0, i))
                best_for_clause[i] = max(best_for_clause[i], relevance)
            scored.sort(reverse=True)
            findings.append(self._judge(o, clauses, clause_seqs, scored, terms, idf, amounts, own))
        # a clause no finding cites is listed too, however close it came to an obligation
        # another clause answers better: two clauses of a consultant's draft (complaints, staff
        # dealing) were in no finding and in no list, so she could not see they were unchecked
        # (a trial on the real COBS, twenty-sixth session)
        cited = {id(c) for f in findings if f.status != "missing" for c in f.clauses}
        unmatched = [c for c, best in zip(clauses, best_for_clause, strict=True)
                     if best < self.t.missing or id(c) not in cited]  # fmt: skip
        return findings, unmatched

    def _judge(self, o: Obligation, clauses: list[Clause], clause_seqs: list[list[str]],
               scored: list[tuple[float, float, int]], terms: list[str], idf: dict[str, float],
               amounts: set[tuple[str | None, float | str, str | None]] | None = None,
               own: set[str] | frozenset[str] = frozenset()) -> Finding:  # fmt: skip
        if not scored or scored[0][0] < self.t.missing or scored[0][1] < self.t.min_coverage:
            best = scored[0][0] if scored else 0.0
            return Finding(
                o,
                "missing",
                f"no clause of the draft addresses it (best relevance {best:.2f})",
                [],
                best,
            )
        top_rel = scored[0][0]
        chosen = [
            i
            for rel, _, i in scored
            if rel >= max(self.t.missing, top_rel - self.t.second_clause_margin)
        ]
        matched = [clauses[i] for i in chosen]
        where = ", ".join(c.label for c in matched)
        # the chosen clauses' tokens, kept apart so that no name spans two clauses
        covered_seq = [t for i in chosen for t in [*clause_seqs[i], "|"]]
        covered_terms = set(covered_seq)

        def named(t: str) -> bool:  # the one test of "the clause names it", as in check()
            return self._named(t, covered_terms, covered_seq)

        draft_params = [parameters(c.text) for c in matched]
        # a place or figure the draft states with the same value counts as named ("Almaty" for
        # "the Republic of Kazakhstan"), with the word that says where it is ("lives in" for
        # "resident in"); so does a name the rule abbreviates, where the draft writes the
        # abbreviation ("an MLRO" for "a Money Laundering Reporting Officer (MLRO)"; both were
        # "partial" in a new user's trial, 2026-12-04)
        where_rule = RESIDENCE.search(o.text)
        places = {rp.key for rp in o.params if rp.kind == "location"}
        # where someone must reside, a place agrees only as the place they reside in
        resided = bool(places) and all(_resides_in(c.text, places) is not False for c in matched) \
            and any(_resides_in(c.text, places) for c in matched)  # fmt: skip
        agreed = {t for rp in o.params for d in draft_params for p in d if p.key == rp.key
                  and (rp.kind != "location" or not where_rule or resided)
                  for t in self.tokenize(rp.text)}  # fmt: skip
        if where_rule and resided:
            agreed |= set(self.tokenize(where_rule.group(0)))
        # the regulator by its name names "the Regulator" ("informs the FSRA in writing" for
        # "must notify the Regulator": "partial, does not name: Regulator", a consultant's trial
        # on ADGM's COBS, thirty-eighth session), and the other way round
        # (the role for a name, or a name for the role; not one regulator's name for another's,
        # "the DFSA" for "the AFSA", a review)
        rule_names = {m.group(0).lower() for m in _REGULATOR_NAME.finditer(o.text)}
        draft_names = {
            m.group(0).lower() for c in matched for m in _REGULATOR_NAME.finditer(c.text)
        }
        if rule_names and draft_names and "regulator" in rule_names | draft_names:
            agreed |= {t for n in rule_names for t in self.tokenize(n)}
        # a bounded figure the draft meets with another value names it too ("retained for seven
        # years after the account is closed" for "at least six years following the closure":
        # "partial: not ... six", a consultant's trial, thirty-eighth session)
        agreed |= {t for rp in o.params if rp.bound in (AT_LEAST, AT_MOST)
                   for d in draft_params for p in d
                   if p.kind == rp.kind and p.unit == rp.unit and compare(rp, p) is None
                   for t in self.tokenize(rp.text)}  # fmt: skip
        for abbr, long in defined(o.text).items():
            # (or its spelled-out form shortened by a modifier, "the money-laundering officer":
            # "does not name: Reporting" was given for it, a consultant's trial 2026-12-05)
            if (abbr in covered_terms or any(t == abbr for t in covered_seq)
                    or self._named(abbr, set(covered_terms), covered_seq)):  # fmt: skip
                agreed |= set(self.tokenize(long))
        agreed |= {
            t for w in _initialled(o.text, [c.text for c in matched]) for t in self.tokenize(w)
        }
        # the firm type the rule binds ("A DASP Providing Custody must ...") is its scope: a draft
        # of that firm's own procedures need not name it
        agreed |= {t for w in subject_firm_words(o.text) for t in self.tokenize(w)}

        def named_or_agreed(t: str) -> bool:
            return t in agreed or named(t)

        total = sum(idf.get(t, 1.0) for t in terms) or 1.0
        coverage = sum(idf.get(t, 1.0) for t in terms if named_or_agreed(t)) / total
        conflicts, partial = self._compare_params(o, draft_params, matched, amounts)
        partial = list(dict.fromkeys(partial))
        if conflicts:
            # the clause the first conflict names is quoted first
            named_first = next((c for c in matched if f"({c.label})" in conflicts[0]), matched[0])
            return Finding(o, "conflicting", "; ".join(dict.fromkeys(conflicts)),
                           _with(matched, named_first), top_rel)  # fmt: skip
        # the title names the subject ("Simplified due diligence") that the text may call "It"
        otext = f"{o.title}. {o.text}" if o.title else o.text  # what ``terms`` were taken from
        # every clause matched to the rule is read for a contradiction, not only the best one: a
        # clause that permits or denies what the rule requires is not excused by a compliant
        # clause beside it that matched better
        for i in chosen:
            c = clauses[i]
            opposite = polarity_conflict(otext, c.text, set(terms), self.tokenize, idf)
            if opposite is not None:
                return Finding(o, "conflicting",
                               f'{c.label} says the opposite of the rule: "{opposite}" ({o.ref})',
                               _with(matched, c), top_rel)  # fmt: skip
            denied = negated_duty(
                o.text, c.text, set(terms), self.tokenize, idf,
                self._generic | self._defined | own, title=o.title or "",
            )  # fmt: skip
            if denied is not None:
                return Finding(o, "conflicting",
                               f'{c.label} denies what the rule requires: "{denied}" ({o.ref})',
                               _with(matched, c), top_rel)  # fmt: skip
            weak = weakened_duty(o.text, c.text, set(terms), self.tokenize)
            if weak is not None:
                return Finding(o, "conflicting",
                               f'{c.label} makes optional what the rule requires: "{weak}" '
                               f"({o.ref})", _with(matched, c), top_rel)  # fmt: skip
        missing_terms = sorted((t for t in terms if not named_or_agreed(t)),
                               key=lambda t: -idf.get(t, 1.0))  # fmt: skip
        absent_entities = [e for e in self._entities(o.text)
                           if e not in agreed and not named(e)]  # fmt: skip
        # whom the rule says to notify is an element, the regulator too ("... and promptly notify
        # the AFSA": a draft filing the STR with the FIU and telling no one else "covered" it, a
        # consultant's trial, 2026-12-05)
        absent_entities += [t for m in _RECIPIENT.finditer(o.text)
                            for t in self.tokenize(m.group("to") or m.group("by") or "")
                            if not named(t) and t not in agreed and t not in absent_entities]  # fmt: skip
        # a rule that names its subject only by a pronoun ("It must never be used in high-risk
        # scenarios", under "Simplified due diligence") is addressed only by a clause that names
        # that subject: a clause on risk in general "covered" it (a consultant's trial, 2026-12-04)
        if o.title and _PRONOUN_SUBJECT.match(o.text):
            by_initials = {t for w in _initialled_title(o.title, [c.text for c in matched])
                           for t in self.tokenize(w)}  # fmt: skip
            absent_entities += [t for t in self.tokenize(o.title)
                                if t not in self._generic and not named(t)
                                and t not in by_initials and t not in absent_entities]  # fmt: skip
        if absent_entities:
            partial.append(
                f"{where} addresses the topic, but does not name: "
                f"{', '.join(self.surface(absent_entities, otext))}"
            )
        elif coverage < self.t.full_coverage:
            shown = ", ".join(self.surface(missing_terms[:4], otext))
            partial.append(
                f"{where} addresses the topic, but not: {shown} (coverage {coverage:.2f})"
            )
        if not partial:
            negating = _negates_terms(o.text, [clauses[i] for i in chosen], set(terms),
                                      self.tokenize)  # fmt: skip
            if negating is not None:
                c, sentence = negating
                partial.append(f'{c.label} negates words of the rule ("{sentence}"), in a way the '
                               "check cannot read for sure: check whether it goes against the rule")  # fmt: skip
                matched = _with(matched, c)
        if partial:
            return Finding(o, "partial", "; ".join(partial), matched, top_rel,
                           self.surface(missing_terms[:6], otext))  # fmt: skip
        return Finding(o, "covered", f"addressed by {where}", matched, top_rel)

    @staticmethod
    def _compare_params(
        o: Obligation, draft: list[list[Quantity]], matched: list[Clause],
        amounts: set[tuple[str | None, float | str, str | None]] | None = None,
    ) -> tuple[list[str], list[str]]:  # fmt: skip
        """Deterministic, explained parameter checks: (conflicts, partial reasons).

        ``draft`` holds the parameters of each matched clause, best clause first. A rule's
        parameter is compared with those of the most relevant clause that states one of its
        kind (a training clause read alongside does not excuse the review clause's period)."""
        conflicts: list[str] = []
        partial: list[str] = []
        where = matched[0].label
        # a calendar limit, compared with the most relevant clause that sets one (a consultant's
        # trial, twenty-seventh session: "by the end of June" against AML 4.6.1's "by the end of
        # April each year" was "partial: does not name April"); a draft need not restate one
        clause_limits = (found for c in matched if (found := limit_dates(c.text)))
        set_by = next(clause_limits, []) if (limits := limit_dates(o.text)) else []
        for limit in limits:
            late = [(q, why) for q in set_by if (why := compare(limit, q))]
            if late and len(late) == len(set_by):
                q, why = late[0]
                label = next((c.label for c in matched if q.text in c.text), where)
                conflicts.append(
                    f"draft: {q.text} ({label}) is {why}; rule: {limit.text} ({o.ref})"
                )

        def clause_of(p: Quantity) -> str:
            return next((c.label for c in matched if p.text in c.text), where)

        paired: set[tuple[int, int]] = set()  # draft figures already found wanting by pairing
        for rp in o.params:
            if rp.kind == "amount":  # thresholds may be set in several clauses: read them all
                same = [d for ps in draft for d in ps if d.kind == rp.kind]
            else:
                same = next(([d for d in ps if d.kind == rp.kind] for ps in draft
                             if any(d.kind == rp.kind for d in ps)), [])  # fmt: skip
            if rp.kind == "amount":
                judged = _amount_against(o, rp, draft, matched, amounts or set())
                if judged is not None:
                    if judged:
                        conflicts.append(judged)
                    continue
                if same and not any(d.value == rp.value for d in same):
                    ds = ", ".join(dict.fromkeys(f"{d.text} ({clause_of(d)})" for d in same))
                    partial.append(f"draft: {ds}; rule: {rp.text} ({o.ref}) is not provided for")
                elif not same:
                    partial.append(f"draft states no amount; rule: {rp.text} ({o.ref})")
                continue
            if not same and rp.kind == "deadline":
                # (counted from an event the rule's figure is about: "records are kept for five
                # years after the business relationship ends" is no late AML Return, "within 2
                # months after the end of its financial year", a founder's browser trial,
                # thirty-first session)
                want = _around(o.text, rp)
                counted, text = _counted_from_event(draft, matched)
                same = [q for q in counted if want & _around(text, q)]
            if not same:
                if rp.kind in ("duration", "frequency", "deadline", "location"):
                    partial.append(
                        f"draft states no {rp.kind} ({where}); rule: {rp.text} ({o.ref})"
                    )
                continue
            reasons = [(d, compare(rp, d)) for d in same]
            bad = [(d, r) for d, r in reasons if r]
            if (
                rp.kind == "location"
                and bad
                and len(bad) < len(reasons)
                and RESIDENCE.search(o.text)
            ):
                # where someone must reside, the place the draft says they reside in is the one
                # compared ("lives in London. ... records are kept on servers in Almaty", a review)
                resided = next((d for d in same if _after_residence(matched, d)), None)
                r = compare(rp, resided) if resided is not None else None
                if resided is not None and r:
                    conflicts.append(
                        f"draft: {resided.text} ({clause_of(resided)}) is {r}; rule: {rp.text} ({o.ref})"
                    )
                    continue
            if bad and len(bad) < len(reasons):
                # the clause gives several figures of the kind, some compliant: the one about
                # what the rule's figure is about (the words around each) is the one compared
                # ("frozen without delay ... the AFSA is notified within five business days"
                # against "the AFSA must be notified immediately", a consultant's trial)
                d = _about_the_same(o.text, rp, same, matched)
                r = compare(rp, d) if d is not None and d.span not in paired else None
                if d is not None and r:
                    paired.add(d.span)
                    conflicts.append(
                        f"draft: {d.text} ({clause_of(d)}) is {r}; rule: {rp.text} ({o.ref})"
                    )
                    continue
            if bad and len(bad) == len(reasons):
                d, r = bad[0]
                conflicts.append(
                    f"draft: {d.text} ({clause_of(d)}) is {r}; rule: {rp.text} ({o.ref})"
                )
                continue
            # another matched clause whose every parameter of this kind falls short is not
            # excused by a compliant one that matched better ("Transaction records | Kept for
            # five years" beside "CDD records | six years", a consultant's trial, 2026-12-04)
            # (a clause that hands over to the compliant one by its number, "kept at the branch
            # for 2 years, then sent to head office, which keeps them under 9.1", is a staged
            # arrangement, not a shortfall: a review, 2026-12-04)
            holder = next((c for c, ps in zip(matched, draft, strict=True)
                           if same and same[0] in ps), None)  # fmt: skip
            for ps, c in zip(draft, matched, strict=True):
                other = [d for d in ps if d.kind == rp.kind]
                if not other or other == same:
                    continue
                if holder is not None and _refers_to(c.text, holder.number):
                    continue
                verdicts = [(d, compare(rp, d)) for d in other]
                if all(v for _, v in verdicts):
                    first, why = verdicts[0]
                    conflicts.append(
                        f"draft: {first.text} ({clause_of(first)}) is {why}; rule: {rp.text} ({o.ref})"
                    )
                    break
        return conflicts, partial
