"""Obligations read from the rule text itself, in any rulebook.

A rulebook in the structured-text layout (one provision a line: a tab-separated number such as
``1.2.1``, ``1.2.1.(1)``, ``1.2.1.Guidance.1.`` or ``(a)`` and its text; tables between
``/Table Start`` and ``/Table End``) is read into provisions; each sentence is analysed for

- its main modal (must, must not, shall, shall not, is required to, may not, is prohibited
  from; should, and "the Regulator expects ... to", as guidance), read outside a leading
  condition ("Where a Relevant Person is required to ..., it must ..." binds through "must");
- its actor: the subject of the main modal, a possessive read as its owner's body ("A Relevant
  Person's Governing Body" -> Governing Body), a pronoun read as the condition's subject, and a
  passive sentence without an agent read as binding the rulebook's usual addressee;
- its action (the words after the modal), conditions (where / if / unless / when / before /
  after clauses) and typed parameters (assistant.language.quantities);
- list items ("(a) identify the customer;") under a lead-in that ends in a modal and a colon
  ("A Relevant Person must:") inherit the lead-in's modal and actor.

Nothing here is tuned to one rulebook: the addressee is the most frequent active actor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.language.quantities import Quantity, parameters
from assistant.language.text import sentence_spans

# ---------------------------------------------------------------- reading a rulebook text file
_LIST_LABEL = re.compile(r"^\(?[a-z]{1,4}[).]$|^\(\d{1,2}\)$|^\([A-Z]\)$")


@dataclass(frozen=True)
class Provision:
    line: int  # 1-based line number in the file
    number: str  # as written: 1.2.1, 1.2.1.(1), 1.2.1.Guidance.1., (a), or "" for a continuation
    ref: str  # the enclosing rule number: 1.2.1.(1) for its (a) items
    text: str
    is_guidance: bool
    lead_in: str | None = None  # for list items: the provision text that introduces the list
    title: str = ""  # the heading the provision sits under ("Appointment of an MLRO")


def _is_heading(number: str, text: str) -> bool:
    return (
        not _LIST_LABEL.match(number)
        and number.count(".") <= 1
        and not re.search(r"[.;:]\s*$", text)
        and len(text) < 120
    )


def read_provisions(path: Path) -> list[Provision]:
    """The provisions of a structured-text rulebook, tables and headings left out."""
    out: list[Provision] = []
    in_table = False
    ref = ""
    lead: str | None = None
    guidance = False
    title = ""
    for i, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.replace("\u200e", "").strip()
        if line.startswith("/Table Start"):
            in_table = True
            continue
        if line.startswith("/Table End"):
            in_table = False
            continue
        if in_table or not line:
            continue
        number, _, text = raw.replace("\u200e", "").partition("\t")
        number, text = number.strip(), text.strip()
        if not _:  # a line with no number: the end of a list item or of its lead-in
            if out and (out[-1].lead_in is not None or out[-1].text.endswith(":")):
                out.append(Provision(i, "", ref, line, guidance, lead, title))
            continue
        if not text:
            if not _LIST_LABEL.match(number):
                ref, guidance = number, "Guidance" in number
            continue
        if _LIST_LABEL.match(number):
            out.append(Provision(i, number, ref, text, guidance, lead, title))
            continue
        if _is_heading(number, text) and "Guidance" not in number:
            title = text
            continue
        ref, guidance = number.rstrip("."), "Guidance" in number
        lead = text if text.rstrip().endswith(":") or text.rstrip().endswith("—") else None
        out.append(Provision(i, number, ref, text, guidance, None, title))
    return out


def sentences(p: Provision) -> list[str]:
    return [p.text[a:b] for a, b in sentence_spans(p.text)]


# ---------------------------------------------------------------- analysing a sentence
_BE = r"(?:is|are|be|shall\s+be|will\s+be)"
# (regex, modality, binding?) longest first; "may not" binds, "may" alone does not
_MODALS: list[tuple[str, str]] = [
    (r"\bmust\s+not\b|\bmust\s+never\b", "must not"),
    (r"\bshall\s+not\b", "shall not"),
    # (not a possibility: "interests may not necessarily be aligned", "may not need to include"
    # were listed as prohibitions, a compliance manager's trial, thirty-seventh session)
    (r"\bmay\s+not\b(?!\s+(?:necessarily|always|need|be\s+(?:necessary|needed|required|possible|"
     r"appropriate|sufficient|suitable|enough))\b)|\bcannot\b", "may not"),
    (rf"\b{_BE}\s+(?:prohibited|not\s+permitted|not\s+allowed)\s+(?:from|to)\b", "may not"),
    (r"\bshould\s+not\b", "should not"),
    (r"\bmust\b", "must"),
    (r"\bshall\b(?!\s+(?:mean|have\s+the\s+meaning|include|be\s+(?:deemed|treated|taken|construed|interpreted|read(?!\s+by))|have\s+[\"“])\b)",
     "shall"),
    (rf"\b{_BE}\s+expected\s+to\b", "should"),
    (r"\b(?:will\s+)?needs?\s+to\b", "needs to"),
    (rf"\b{_BE}\s+required\s+(?:to|by)\b|\b{_BE}\s+obliged\s+to\b", "is required to"),
    (r"\bshould\b", "should"),
    (r"\bexpects?\s+(?:(?:an?|the|all|each|every|its)\s+)?[A-Z][\w']*(?:\s+[\w']+){0,5}?\s+to\b", "should"),
]  # fmt: skip
_MODAL_RE = re.compile("|".join(f"(?P<m{i}>{rx})" for i, (rx, _) in enumerate(_MODALS)), re.I)
_NOT_DUTY = re.compile(
    rf"\b(?:need\s+not|{_BE}\s+not\s+required\s+to|does\s+not\s+need\s+to|is\s+not\s+obliged|"
    r"may\s+not\s+(?:need|be\s+(?:necessary|needed|required))|"
    r"should\s+(?:also\s+)?(?:note|be\s+aware|bear\s+in\s+mind)|are\s+(?:also\s+)?reminded)\b",
    re.I,
)
_CONDITION_START = re.compile(
    r"^\s*(?:(?:subject\s+to|except|save|without\s+prejudice\s+to|for\s+the\s+purposes\s+of|"
    r"in\s+(?:addition|relation|respect)\s+to|under|pursuant\s+to|as\s+part\s+of|when|where|whereby|"
    r"if|unless|before|after|once|in\s+(?:the\s+)?(?:case|event)\s+(?:of|that)|to\s+the\s+extent|"
    r"for\s+an?|in\s+determining|in\s+carrying\s+out|in\s+complying|in\s+order\s+to)\b"
    r"(?:(?!\b(?:must|shall|should|required|expected)\b)[^,;:])*,\s*)+",
    re.I,
)
CONDITION = re.compile(
    r"\b(?:where|if|unless|when|before|after|except|provided\s+that|to\s+the\s+extent\s+that|"
    r"in\s+the\s+case\s+of|in\s+relation\s+to)\b[^.;:,]*",
    re.I,
)
_DET = r"(?:a|an|the|each|every|any|all|such|its|their|his|her|no)"
_DETERMINER = re.compile(rf"^(?:{_DET}\s+)+", re.I)
# a noun's "of" complement ("The Fund Manager of a Public Fund"), not a quantifier's ("Each of
# the Directors") nor "for" ("An application to the AFSA for a Licence", a review: its subject
# became the AFSA, whose own duties are dropped)
_OF_BEFORE = re.compile(rf"\b(?!{_DET}\b)[A-Za-z][\w-]*\s+of\s*$", re.I)
_OF_AFTER = re.compile(rf"\s+of\s+(?={_DET}\s)", re.I)
_DISCOURSE = re.compile(
    r"^(?:(?:instead|accordingly|however|further|furthermore|also|alternatively|therefore|thus|"
    r"in\s+addition|in\s+particular|for\s+example|for\s+instance|similarly|likewise|then|"
    r"consequently|nevertheless|moreover)\b,?\s*)+",
    re.I,
)
_RELATIVE = re.compile(r"\s+(?:that|which|who|whose|whom|where|when|with|in|in\s+respect\s+of|"
                       r"maintained|established|referred|proposing|having|acting|appointed)\b.*$", re.I)  # fmt: skip
_CONJUNCT = re.compile(r"\s+(?:and|or|and/or)\s+(?:" + _DET + r"\s+)?", re.I)
_PRONOUNS = {"it", "they", "he", "she", "which", "who", "this", "that"}
_EXCEPTION = re.compile(
    r"\s*(?:other\s+than|except(?:\s+for)?|excluding|including|save\s+for|apart\s+from|"
    r"with\s+the\s+exception\s+of|but\s+not|not\s+being)\b",
    re.I,
)


@dataclass(frozen=True)
class Statement:
    """A sentence read as an obligation (or not)."""

    text: str
    is_obligation: bool
    modality: str | None = None
    is_guidance: bool = False
    actor: str | None = None
    action: str = ""
    conditions: tuple[str, ...] = ()
    params: tuple[Quantity, ...] = field(default_factory=tuple)
    inherited: bool = False  # a list item bound through its lead-in


def normalise_actor(actor: str | None) -> str | None:
    """'A Relevant Person's' -> 'relevant person'; 'Relevant Persons' -> 'relevant person'."""
    if not actor:
        return None
    a = re.sub(r"[’']s?\b", "", actor).strip(" ,;:()")
    a = re.sub(r"^(?:(?:a|an|the|each|every|any|all|such|its|their)\s+)+", "", a, flags=re.I)
    a = re.sub(r"\s+", " ", a).lower()
    if a.endswith("s") and not a.endswith("ss") and len(a) > 4:
        a = a[:-1]
    return a or None


def _main_modal(s: str) -> tuple[re.Match[str] | None, int]:
    """The modal of the main clause: the first one after any leading condition clauses."""
    lead = _CONDITION_START.match(s)
    start = lead.end() if lead else 0
    for m in _MODAL_RE.finditer(s, start):
        if re.search(r"\b(?:that|which|who)\s+$", s[max(0, m.start() - 8) : m.start()], re.I):
            continue  # "the level of CDD that must be undertaken": not the sentence's own duty
        return m, start
    return None, start


def _modality(m: re.Match[str]) -> str:
    for i, (_, name) in enumerate(_MODALS):
        if m.group(f"m{i}"):
            return name
    return m.group(0).lower()


def _subject(s: str, start: int, m: re.Match[str]) -> str | None:
    """The noun phrase before the modal: the last comma-separated segment, cut before a relative
    clause, from its last determiner; a possessive read as the owner's body; the first conjunct."""
    before = re.sub(r"\([^)]*\)", "", s[start : m.start()]).strip(" ,")
    if m.group(0).lower().startswith("expect"):  # "The Regulator expects a Relevant Person to"
        e = re.match(r"expects?\s+(.*?)\s+to$", m.group(0), re.I | re.S)
        before = e.group(1) if e else before
    segment = [p for p in re.split(r"[,;:()]", before) if p.strip()]
    # (an exception set off by commas qualifies the subject before it: "An Authorised Firm,
    # other than a Representative Office, must ..." binds the Authorised Firm; it was the
    # Representative Office's, a trading venue's obligations register, fortieth session)
    while len(segment) > 1 and _EXCEPTION.match(segment[-1]):
        segment.pop()
    if not segment:
        return None
    seg = _DISCOURSE.sub("", segment[-1].strip())
    # a content clause after a verb is the sentence's duty ("The procedure is that the Regulator
    # must notify ...", "The Rules provide that a firm must ..."): its subject is the actor, not
    # "procedure is" (a trading venue's obligations register listed the Regulator's duty as a
    # firm's, fortieth session); after a noun, "that" opens a relative clause ("A firm that ...")
    clause = re.search(r"\b(?:is|are|was|were|provides?|requires?|means|states?)\s+that\s+(?P<rest>.+)$",
                       seg, re.I)  # fmt: skip
    if clause:
        seg = clause.group("rest")
    seg = _RELATIVE.sub("", seg)
    seg = re.sub(r"\s+(?:also|therefore|itself|themselves|only|at\s+all\s+times|promptly|"
                 r"immediately)$", "", seg, flags=re.I)  # fmt: skip
    # (a determiner after a noun's "of" opens the head's complement, not the subject: "The Fund
    # Manager of a Public Fund must ..." is the Fund Manager's duty; it was the Public Fund's, a
    # consultant's trial on the real FUNDS rulebook, twenty-eighth session)
    dets = [d for d in re.finditer(rf"\b{_DET}\s+", seg, re.I)
            if not _OF_BEFORE.search(seg[: d.start()])]  # fmt: skip
    if dets:
        seg = seg[dets[-1].end() :] if dets[-1].start() > 0 or len(dets) == 1 else seg
    seg = _OF_AFTER.split(seg, maxsplit=1)[0]
    seg = _DETERMINER.sub("", seg).strip()
    owner = re.split(r"[’']s\s+", seg)
    seg = owner[-1] if len(owner) > 1 else seg
    seg = _CONJUNCT.split(seg)[0].strip()
    if not seg or len(seg.split()) > 6:
        return None
    return seg


# (a word in -ant, or in -ent of seven letters or more, is an adjective, no participle: "The
# MLRO must be resident in ..." was read as passive and lost its actor, an obligations
# register's trial, fortieth session; "sent", "spent", "meant" are participles, and so is any
# word before "by" its agent, "must not be misspent by the Fund Manager", a review)
_PASSIVE = re.compile(
    r"\s*(?:not\s+)?(?:also\s+)?be\s+(?:\w+ly\s+)?"
    r"(?!(?:\w{3,}ant|\w{4,}ent)\b(?!\s+by\b))\w+(?:ed|en|t|wn)\b",
    re.I,
)
_NAMED = re.compile(rf"\b{_DET}\s+((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*)*)")


def analyse(sentence: str, *, guidance: bool = False, lead_in: Statement | None = None,
            addressee: str | None = None, actors: frozenset[str] | None = None) -> Statement:  # fmt: skip
    """Read one sentence: is it an obligation, on whom, to do what, when, with which figures.

    ``addressee``: who a passive sentence binds; ``actors``: the normalised parties the rulebook
    binds in active sentences (a subject outside it, such as "The AML Return", is a thing, and
    the sentence binds the addressee)."""
    s = sentence.strip()
    params = tuple(parameters(s))
    if lead_in is not None and lead_in.is_obligation and not _MODAL_RE.search(s):
        return Statement(s, True, lead_in.modality, lead_in.is_guidance, lead_in.actor,
                         s.strip(" ;,."), tuple(c.strip() for c in CONDITION.findall(s)[:3]),
                         params, inherited=True)  # fmt: skip
    if re.match(
        r"^[\"“]?[A-Z][\w-]*(?:\s+[\w-]+){0,5}[\"”]?\s+(?:means|has\s+the\s+meaning)\b(?!\s+of\b)",
        s,
    ):
        return Statement(s, False, params=params)  # a definition
    m, start = _main_modal(s)
    if m is None or _NOT_DUTY.search(s[start : m.end() + 12]):
        return Statement(s, False, params=params)
    modality = _modality(m)
    actor = _subject(s, start, m)
    passive = bool(_PASSIVE.match(s[m.end() :])) and not m.group(0).lower().startswith("expect")
    if actor and actor.lower() in _PRONOUNS:  # "Where a Relevant Person ..., it must"
        named = _NAMED.search(s[: m.start()])
        actor = named.group(1) if named else addressee
    if passive:
        agent = re.match(r"\s*(?:not\s+)?(?:also\s+)?be\s+\w+\s+by\s+(?:an?\s+|the\s+|its\s+)?"
                         r"([A-Z][\w']*(?:\s+[A-Z][\w']*){0,3})", s[m.end() :])  # fmt: skip
        actor = agent.group(1) if agent else addressee
    elif actors is not None and normalise_actor(actor) not in actors:
        actor = addressee
    is_guidance = guidance or modality in ("should", "should not")
    action = s[m.end() :].strip(" ,.;:")
    conditions = tuple(c.strip() for c in CONDITION.findall(s)[:3])
    return Statement(s, True, modality, is_guidance, actor, action, conditions, params)


@dataclass(frozen=True)
class RuleSentence:
    provision: Provision
    index: int  # sentence index within the provision's line
    statement: Statement

    @property
    def ref(self) -> str:
        return self.provision.ref


def parties(
    provisions: Iterable[Provision], min_count: int = 3
) -> tuple[str | None, frozenset[str]]:
    """The rulebook's usual addressee (the most frequent subject of its active obligations) and
    every party that is the subject of at least ``min_count`` of them."""
    counts: Counter[str] = Counter()
    for p in provisions:
        for s in sentences(p):
            st = analyse(s)
            if st.is_obligation and st.actor and not _PASSIVE.match(st.action):
                counts[normalise_actor(st.actor) or ""] += 1
    counts.pop("", None)
    if not counts:
        return None, frozenset()
    best = counts.most_common(1)[0][0]
    return " ".join(w.capitalize() for w in best.split()), frozenset(
        a for a, c in counts.items() if c >= min_count and re.search(r"[a-z]{2}", a)
    )


def extract_rulebook(path: Path) -> list[RuleSentence]:
    """Every sentence of a structured-text rulebook, analysed (obligations and the rest)."""
    provisions = read_provisions(path)
    who, known = parties(provisions)
    out: list[RuleSentence] = []
    leads: dict[str, Statement] = {}
    for p in provisions:
        lead = leads.get(p.ref) if p.lead_in is not None else None
        for k, s in enumerate(sentences(p)):
            st = analyse(s, guidance=p.is_guidance, lead_in=lead, addressee=who, actors=known)
            out.append(RuleSentence(p, k, st))
        if p.lead_in is None and p.text.rstrip().endswith((":", "—")):
            last = sentences(p)[-1] if sentences(p) else p.text
            leads[p.ref] = analyse(last, guidance=p.is_guidance, addressee=who, actors=known)
    return out
