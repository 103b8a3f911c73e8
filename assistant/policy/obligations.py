"""The obligation register: every must / must not / shall / is required to / may not sentence
(and "should", marked as guidance) in the indexed AIFC rules, with who it binds, the action,
conditions and typed parameters. Scopes per firm type come from the applicability guidance in
the indexed text (brief section 2.3), with the brief's table as the fallback."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.answer.extractive import is_gap_statement
from assistant.changes.versions import in_force_ids
from assistant.index.protocols import CatalogStore
from assistant.language.firms import qualified_for, restricting_subject
from assistant.language.quantities import Quantity, parameters
from assistant.language.text import (
    LIST_ITEM,
    is_closing,
    is_list_stem,
    marker_styles,
    sentence_spans,
)
from assistant.policy.extraction import analyse, extract_rulebook
from ingest.model import Chunk, sha256
from ingest.refs import find_refs, parse_ref

MODAL = re.compile(
    r"\b(must not|must|shall not|shall|is required to|are required to|is required|are required|may not|"
    r"needs? (?:prior )?(?:AFSA )?approval|should)\b",
    re.IGNORECASE,
)
CONDITION = re.compile(
    r"\b(?:where|if|unless|before|when|above|below|for an?|in relation to)\b[^.;:]*", re.I
)
ROLES: tuple[tuple[str, str], ...] = (
    ("MLRO", r"\bMLRO\b|Money Laundering Reporting Officer"),
    ("Deputy MLRO", r"\bdeputy MLRO\b"),
    ("DATF operator", r"\bDATF\b|Digital Asset Trading Facility|\boperator\b"),
    ("DASP", r"\bDASPs?\b|Digital Asset Service Provider"),
    ("Custodian", r"\bcustodian\b|Providing Custody"),
    ("Stablecoin issuer", r"\bstablecoin\b|Money Services"),
    ("Relevant Person", r"\bRelevant Person\b"),
    ("Authorised Firm", r"\bAuthorised Firm\b|\bfirm\b"),
    ("Senior management", r"\bsenior management\b"),
)
_FIRM_ROLES = {"DATF operator", "DASP", "Custodian", "Stablecoin issuer"}
FIRM_TYPES = ("DATF operator", "DASP dealing", "Custodian", "Adviser/arranger", "Stablecoin issuer")

# Fallback applicability (brief section 2.3) when the index has no applicability guidance.
# rulebook -> chapters (None = the whole rulebook)
FALLBACK_SCOPE: dict[str, dict[str, tuple[str, ...] | None]] = {
    "DATF operator": {"FSFR": None, "AML": None, "COB": ("2", "3", "4", "7", "8", "9", "15"), "MAR": ("5",),
                      "GEN": ("2", "3", "4", "5", "6"), "DAA": ("1", "2")},
    "DASP dealing": {"FSFR": None, "AML": None, "COB": ("2", "3", "4", "5.3", "6", "7", "9", "15", "16"),
                     "GEN": ("2", "3", "4", "5", "6"), "DAA": ("1", "3")},
    "Custodian": {"FSFR": None, "AML": None, "COB": ("2", "3", "4", "7", "8", "9", "15", "16"),
                  "GEN": ("2", "3", "4", "5", "6"), "DAA": ("1", "3")},
    "Adviser/arranger": {"FSFR": None, "AML": None, "COB": ("2", "3", "4", "5.2", "7", "10", "15", "16"),
                         "GEN": ("2", "3", "4", "5", "6"), "DAA": ("1", "3")},
    "Stablecoin issuer": {"FSFR": None, "AML": None, "COB": ("3", "4", "7", "8", "15"),
                          "GEN": ("2", "3", "4", "5", "6"), "DAA": ("1", "4")},
}  # fmt: skip
# Which guidance rule carries each firm type's applicability list, and its own DAA part.
_SCOPE_SOURCES = {"DATF operator": ("DAA 2.1", "2"), "DASP dealing": ("DAA 3.9.1", "3"),
                  "Adviser/arranger": ("DAA 3.6", "3"), "Stablecoin issuer": ("DAA 4.2", "4")}  # fmt: skip


@dataclass(frozen=True)
class Obligation:
    id: str
    ref: str
    rulebook: str | None
    text: str
    binds: tuple[str, ...]
    modality: str
    action: str
    conditions: tuple[str, ...]
    params: tuple[Quantity, ...]
    is_guidance: bool
    chunk_id: str
    title: str = ""  # the rule's heading, e.g. "Simplified due diligence"
    doc_title: str = ""
    version: str | None = None
    actor: str | None = None  # the subject the sentence binds (assistant.policy.extraction)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["params"] = [asdict(p) for p in self.params]
        return d


# "shall" that says how another provision reads ("... shall be read as follows:"), as the
# register's reading has it (``extraction``): no duty of its own; its items are read with it
_READ_AS = re.compile(
    r"shall\s+(?:be\s+(?:read|construed|interpreted)\s+(?:as|in\s+accordance|subject\s+to)|"
    r"have\s+effect\s+as)\b",
    re.I,
)
# the regulator by its role or its names (the AIFC's, and the regimes indexed beside it); as a
# sentence's actor, its own duties bind no firm
REGULATOR_NAMES = r"Regulator|AFSA|Astana\s+Financial\s+Services\s+Authority|FSRA|DFSA"
_REGULATOR = re.compile(rf"(?:the\s+)?(?:{REGULATOR_NAMES}|Authority)", re.I)


def _binds(text: str) -> tuple[str, ...]:
    """The roles a sentence names. Where its subject (the words before its modal) names a firm
    type, a firm type named only elsewhere binds nothing: "Before admitting, the operator must be
    satisfied ... to admit a Fiat stablecoin ... unless a licensed DASP issues it" binds the
    operator, not a DASP or a stablecoin issuer (listed under `--applies-to "Stablecoin issuer"`,
    an exchange founder's trial). People are kept wherever they are named ("... appoint a MLRO,
    who must be a Director ...")."""
    out = [role for role, pat in ROLES if re.search(pat, text, re.I)]
    subject = restricting_subject(text)
    own = {role for role, pat in ROLES if subject and re.search(pat, subject, re.I)}
    if own & _FIRM_ROLES:
        out = [r for r in out if r not in _FIRM_ROLES or r in own]
    if "Deputy MLRO" in out and "MLRO" in out and not re.search(r"(?<!deputy )MLRO", text, re.I):
        out.remove("MLRO")
    return tuple(out) or ("Authorised Firm",)


def _regulators(sentence: str) -> bool:
    """Whether the subject of ``sentence``'s modal is the regulator ("... as the AFSA shall
    prescribe")."""
    actor = analyse(sentence).actor
    return actor is not None and _REGULATOR.fullmatch(actor.strip()) is not None


def _sentence_ref(chunk: Chunk, sentence: str) -> str:
    """The chunk's rule, narrowed to a sub-paragraph the sentence names (``Under DAA 3.5.1(3), ...``)."""
    base = parse_ref(chunk.ref or "")
    for r in find_refs(sentence[:60]):
        if base is not None and base.contains(r):
            return str(r)
    return chunk.ref or ""


def rule_runs(chunks: Iterable[Chunk]) -> list[list[Chunk]]:
    """``chunks`` (in document order) grouped into runs of one rule's section split over
    consecutive chunks: the same document, rule and heading, each chunk right after the one
    before. A list whose items run on into the next chunk is one list (the real AML 4.5.1's
    items "(e)" to "(g)" and its "for at least six years ..." were no obligation: a rule of 1,315
    characters in two chunks; 207 of the real AML rulebook's 378 chunks are in such runs)."""
    runs: list[list[Chunk]] = []
    for c in chunks:
        last = runs[-1][-1] if runs else None
        if (last is not None and c.ref and c.doc_id == last.doc_id and c.ref == last.ref
                and c.heading_path == last.heading_path and c.is_guidance == last.is_guidance
                and c.ordinal == last.ordinal + 1):  # fmt: skip
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


# a glossary's row: a term, then its definition's cell ("Shareholder | Means ...", "X | has the
# meaning given in ...")
_DEFINITION_ROW = re.compile(r"^\s*[^|\n]{1,80}\|\s*(?:means|has\s+the\s+meaning|includes)\b", re.I)


def extract(chunk: Chunk | Sequence[Chunk], doc: dict[str, Any]) -> list[Obligation]:
    """Obligations stated in one chunk (a rule), or in a run of chunks of one rule
    (``rule_runs``), one per modal sentence."""
    run = [chunk] if isinstance(chunk, Chunk) else list(chunk)
    if not run:
        return []
    chunk = run[0]
    if chunk.repealed or not chunk.ref or doc.get("jurisdiction", "AIFC") != "AIFC":
        return []
    first = chunk.text.split("\n", 1)[0]
    title = re.sub(r"^#+\s*", "", first) if first.lstrip().startswith("#") else ""
    title = title.replace(chunk.ref, "").strip() if chunk.ref else title
    out: list[Obligation] = []
    # the open lists, outermost first: each level's stem text ("A Relevant Person must:"), its
    # modal, the marker style of its items (set by the first), the stem's own style (an item of
    # that style is the stem's sibling), the stem's obligation id and whether an item was read.
    # An item without a modal of its own ("(b) when carrying out a one-off transaction of USD
    # 15,000 or more") is an obligation of its level's stem, read as "stem … item"; a stem whose
    # items were read is no obligation of its own unless it states a figure (83 of 331
    # obligations of the real AML rulebook were such stems alone, their items and figures never
    # compared with a draft: a consultant's trial, twenty-fifth session). An item of another
    # style goes back to the level whose items have it ("(b)" after "(a) obtain: (i) ... (ii)"),
    # and one of no open level's style, or the stem's own ("(2)" after "(1) ... must: (a) ...
    # (b) ..."), ends the list (a review: "(2) Paragraph (1) does not apply ..." was a duty).
    # The words after a last item that ends with a comma ("(g) ... Rules," then "for at least
    # six years ...") close the list and are read with each of its items (``is_closing``).
    levels: list[_Level] = []
    dropped: set[str] = set()
    before = ""  # the sentence before, when an item of an open list
    # a stem with no duty of its own whose items carry theirs ("For the purposes of an Authorised
    # Person ... in relation to Virtual Assets ..., the reconciliations ... shall be read as
    # follows: (a) Rule 14.11.1 must be carried out at least every week"): each item is read with
    # it, which says whom it binds (the item alone bound every firm, and a draft's general
    # reconciliation clause conflicted with it, a consultant's trial, thirty-eighth session)
    scope_stem: str | None = None
    scope_style: frozenset[str] | None = None  # its items' marker style (another ends it)

    def close(down_to: int) -> None:
        while len(levels) > down_to:
            level = levels.pop()
            if level.used and level.oid:
                dropped.add(level.oid)

    sentences = [(c, a, c.text[a:b]) for c in run for a, b in sentence_spans(c.text)]
    for n, (part, a, s) in enumerate(sentences):
        if s.lstrip().startswith("#") or is_gap_statement(s) or _DEFINITION_ROW.match(s):
            # (a glossary's row defines a term, "AML Return | Means the return which is required
            # to be completed ...": no duty, listed MISSING against a draft, a consultant's
            # trial, thirty-ninth session)
            before = ""
            continue
        m = MODAL.search(s)
        while m and _READ_AS.match(s, m.start()):  # how another rule reads binds no one
            m = MODAL.search(s, m.end())
        oid = sha256(f"{part.chunk_id}:{a}")[:12]
        styles = marker_styles(s)
        if levels and is_closing(before, s):
            # the list's closing words: each obligation read from the list's items gets them
            # (not a stem whose items were read: dropped, the figure being its items' now); the
            # outermost list's, whose items the nested ones are part of ("(a) become a Controller;
            # or (b) increase ... beyond: (i) 20%, or (ii) 30%," then "unless ... the prior
            # written approval of the Regulator" was (i) and (ii)'s alone: a review)
            level = levels[0]
            tail = s.strip()
            stems = dropped | {open_.oid for open_ in levels}
            for k in range(level.first, len(out)):
                o = out[k]
                if o.id not in stems and o.text.startswith(level.text):
                    text = f"{o.text} … {tail}"
                    out[k] = replace(o, text=text, action=f"{o.action} … {tail}",
                                     params=tuple(parameters(text)))  # fmt: skip
            before = ""
            close(0)
            continue
        before = s
        if m and styles and levels and _regulators(s):
            # an item whose only modal is the regulator's, in a clause of its own ("(1) notify
            # the AFSA of the appointment ... in such form as the AFSA shall prescribe;"), is an
            # item of its stem's duty, not the regulator's (it was dropped as the regulator's
            # own duty, and the list closed before "(2)": a review, twenty-eighth session)
            m = None
        if styles and not m and levels:
            at, nested = _level_of(levels, styles, _mark(s))
            if at is None:
                close(0)
                continue
            level = levels[at]
            if not nested:  # an item of this level's list (a nested one, no stem: kept open)
                close(at + 1)
                level.items = level.items or _first_style(styles)
                level.last = _mark(s)
            level.used = True
            text, m = f"{level.text} … {s.strip()}", level.modal
            if is_list_stem(s):  # "(b) keep records of:": its own items go under both
                levels.append(_Level(text, m, None, styles, oid, len(out)))
        elif not m:
            if is_list_stem(s) and not styles:
                scope_stem, scope_style = s.strip(), None
            elif not styles:
                scope_stem = None
            nxt = sentences[n + 1][2] if n + 1 < len(sentences) else ""
            inner = _nested_closing(levels, s, nxt, sentences[n - 1][2] if n else "")
            if inner is not None:
                # the closing words of a nested list, the outer one going on after them ("(c)
                # identify and verify: (i) the Source of Funds; and (ii) the Source of Wealth;"
                # then "of the customer and, if applicable, all Beneficial Owners;" then "(d)
                # ..."): read with the nested items; the outer list stays open (it was closed
                # there, and AML 8.4.1(d) to (g), a PEP's senior-management approval among them,
                # were never checked: an AML consultant's trial, thirty-first session)
                tail = s.strip()
                for k in range(levels[inner].first, len(out)):
                    o = out[k]
                    if o.text.startswith(levels[inner].text) and o.id != levels[inner].oid:
                        text = f"{o.text} … {tail}"
                        out[k] = replace(o, text=text, action=f"{o.action} … {tail}",
                                         params=tuple(parameters(text)))  # fmt: skip
                close(inner)
                before = ""
                continue
            close(0)  # a sentence that is no item ends the list
            continue
        else:
            # an item with a modal of its own ("(b) where Y, it must do Z;") is read alone and
            # keeps its list open for the items after it; any other modal sentence ends it
            text, own = s, m  # ``own``: the modal in ``s``
            if scope_stem and styles:
                # (an item of another marker style, "(2)" after "(a)", "(b)", is no item of the
                # stem's list: it was read with it, a review)
                scope_style = scope_style or styles
                if not styles & scope_style:
                    scope_stem = None
            if scope_stem and styles:
                text = f"{scope_stem} … {s.strip()}"
                m = MODAL.search(text, len(scope_stem)) or m  # the item's own modal, in ``text``
            elif not styles:
                scope_stem = None
            at = next((k for k in range(len(levels) - 1, -1, -1)
                       if levels[k].items in styles), None)  # fmt: skip
            close(0 if at is None else at + 1)
            if is_list_stem(s):
                levels.append(_Level(s.strip(), own, None, styles, oid, len(out)))
        actor = analyse(text).actor
        if actor and _REGULATOR.fullmatch(actor.strip()):
            # the regulator's own duty ("Where the Regulator decides to register a DNFBP, it
            # shall ..."): no firm's draft implements it (listed missing for a custodian, a
            # consultant's trial, twenty-fifth session)
            continue
        modality = m.group(1).lower()
        guidance = chunk.is_guidance or modality == "should" or doc.get("kind") == "guidance"
        action = text[m.end() :].strip(" ,.;:") if text is s else text[m.end() :].strip(" ,.;:…")
        out.append(Obligation(
            id=oid, ref=_sentence_ref(chunk, text), rulebook=chunk.rulebook,
            text=text, binds=_binds(text), modality=modality, action=action,
            conditions=tuple(c.strip() for c in CONDITION.findall(text)[:3]), params=tuple(parameters(text)),
            is_guidance=guidance, chunk_id=part.chunk_id, title=title, doc_title=doc.get("title", ""), version=doc.get("version"),
            actor=actor,
        ))  # fmt: skip
    close(0)
    # (a stem with a figure of its own, "... within twenty Business Days ... it must:", stays:
    # the figure a draft is compared with; a review of the consultant's trial found the draft's
    # 60 business days unflagged once the stem was read only through its items)
    return [o for o in out if o.id not in dropped or o.params]


def _first_style(styles: frozenset[str]) -> str:
    """The marker style a level's first item sets: "(i)" first opens a list of numerals (a list
    of letters starts at "(a)")."""
    return next(iter(styles)) if len(styles) == 1 else "roman"


_NEXT_LETTER = {"i": "h", "v": "u", "x": "w"}  # "(i)" is a letter after "(h)"


def _mark(sentence: str) -> str:
    """A list item's marker without its brackets, in lower case ("(iv) ..." -> "iv")."""
    m = LIST_ITEM.match(sentence)
    return m.group(0).strip().lstrip("…").strip().strip("()").lower() if m else ""


def _level_of(levels: list[_Level], styles: frozenset[str], mark: str) -> tuple[int | None, bool]:
    """The innermost open level an item of ``styles`` (marker ``mark``) belongs to, and whether
    it is an item of a list nested in that level's items without a stem of its own ("(b) the
    cash value of each of the following;" then "(i) ... (vii)"): a level whose items have its
    style ("(i)" is a letter only after "(h)"), or a new one whose stem is no sibling of it.
    (None, False) where the item is a stem's sibling and ends the list ("(2)" after "(1) ...:")."""
    for k in range(len(levels) - 1, -1, -1):
        level = levels[k]
        if level.items is not None:
            ambiguous = len(styles) > 1
            if level.items in styles and (
                not ambiguous or level.items == "roman" or level.last == _NEXT_LETTER.get(mark)
            ):
                return k, False
            continue
        if _first_style(styles) not in level.own:
            return k, False
    if any(level.own & styles for level in levels):
        return None, False
    return len(levels) - 1, True


def _nested_closing(levels: list[_Level], sentence: str, after: str, last: str) -> int | None:
    """The level whose list ``sentence`` closes where it closes a nested list and an outer one
    goes on: it is no item, opens in lower case (words that go on from the items before it),
    the last item (``last``) ends as an item does (";", ",", "and", "or"; not "(ii) the Source
    of Wealth, including" whose words go on in it alone, a review), and ``after`` is an item of
    an outer level's style. None otherwise."""
    if len(levels) < 2 or marker_styles(sentence) or not re.match(r"\s*[a-z]", sentence):
        return None
    if not re.search(r"(?:[;,]|\b(?:and|or))\s*$", last):
        return None
    styles = marker_styles(after)
    if not styles:
        return None
    outer = next((k for k in range(len(levels) - 1) if levels[k].items in styles), None)
    return None if outer is None else outer + 1


@dataclass
class _Level:
    """An open list of a rule (``extract``): its stem and what its items are."""

    text: str  # the stem as quoted, with the stems above it ("stem … (a) obtain:")
    modal: re.Match[str]
    items: str | None  # the marker style of its items, once one is read
    own: frozenset[str]  # the stem's own marker styles ("(1) ... must:" is "digit")
    oid: str  # the stem's obligation id
    first: int = 0  # where the level's obligations begin in ``extract``'s list
    used: bool = False  # an item of it was read
    last: str = ""  # the marker of its last item ("h")


def obligations_from_text(path: Path, book: str, refs: Iterable[str] = (),
                          include_guidance: bool = False) -> list[Obligation]:  # fmt: skip
    """The obligations of a structured-text rulebook (assistant.policy.extraction), as register
    entries ref'd "<book> <rule>", optionally only under the rule numbers in ``refs``. A list item
    is matched with its lead-in ("The MLRO must report ... on: (a) the results of the review")."""
    wanted = tuple(refs)
    out = []
    for r in extract_rulebook(path):
        st = r.statement
        if not st.is_obligation or (st.is_guidance and not include_guidance):
            continue
        ref = r.provision.ref.replace(".(", "(")
        if wanted and not any(ref == w or ref.startswith((w + ".", w + "(")) for w in wanted):
            continue
        lead = r.provision.lead_in
        text = f"{lead} {st.text}" if st.inherited and lead else st.text
        out.append(Obligation(
            id=sha256(f"{path.name}:{r.provision.line}:{r.index}")[:12], ref=f"{book} {ref}", rulebook=book,
            text=text, binds=(st.actor,) if st.actor else (), modality=st.modality or "", action=st.action,
            conditions=st.conditions, params=st.params, is_guidance=st.is_guidance,
            chunk_id=f"{path.name}:{r.provision.line}", title=r.provision.title, doc_title=path.stem, actor=st.actor,
        ))  # fmt: skip
    return out


def _names(actor: str | None, role: str) -> bool:
    """Whether a sentence's subject (``Obligation.actor``) names ``role``, as a phrase of whole
    words ("The Fund Manager of a Public Fund" names "fund manager"): a role no gazetteer lists
    is read from the rules' own subjects (``--applies-to "Fund Manager"`` found nothing in the
    real FUNDS rulebook, every duty bound to "Authorised Firm": a consultant's trial,
    twenty-eighth session)."""
    words = role.split()
    if not actor or not words:
        return False
    pattern = r"\s+".join(re.escape(w) for w in words)
    return re.search(rf"\b{pattern}s?\b", actor, re.I) is not None


@dataclass
class Register:
    obligations: list[Obligation]
    scopes: dict[str, dict[str, tuple[str, ...] | None]] = field(default_factory=dict)
    _named: dict[str | None, set[str]] | None = field(default=None, init=False, repr=False)

    def filter(self, *, rulebooks: Iterable[str] = (), firm_types: Iterable[str] = (), roles: Iterable[str] = (),
               include_guidance: bool = True) -> list[Obligation]:  # fmt: skip
        books = {b.upper() for b in rulebooks}
        types = list(firm_types)
        role_set = {r.lower() for r in roles}
        out = []
        for o in self.obligations:
            if books and (o.rulebook or "").upper() not in books:
                continue
            if types and not any(self.applies(o, t) for t in types):
                continue
            if role_set and not (role_set & {b.lower() for b in o.binds}
                                 or any(_names(o.actor, r) for r in role_set)):  # fmt: skip
                continue
            if not include_guidance and o.is_guidance:
                continue
            out.append(o)
        return out

    def chapters_left_out(self, rulebooks: Iterable[str], firm_types: Sequence[str],
                          kept: Sequence[Obligation], said: Iterable[str] = ()) -> list[str]:  # fmt: skip
        """For each rulebook of ``rulebooks`` (all, when none) some of whose chapters the firm
        types leave out whole by the built-in table (no applicability guidance indexed for one of
        them), a line naming them and how many obligations they hold: "GEN
        chapters 7, 8, 9 (296 obligations): outside the chapters that bind a Custodian (the
        built-in table ...)". ADGM's GEN checked for a custodian lost chapters 7 to 9 to the
        table's "GEN chapters 2 to 6", written for the AIFC's numbering, with no word in the
        report (a consultant's trial, thirty-seventh session)."""
        # (only where the built-in table decided: chapters the indexed applicability guidance
        # leaves out are its own reading of the rulebooks indexed)
        if not firm_types or all(t in self.scopes for t in firm_types):
            return []
        # (a rulebook the table lists chapters of for a type whose scope it gives: not one it
        # has no entry for, whose rules are judged by their subjects, nor one ``said`` already
        # to bind none of the firm types, ``not_applying``; reviews)
        tabled = {b for t in firm_types if t not in self.scopes
                  for b, chapters in FALLBACK_SCOPE.get(t, {}).items() if chapters is not None}  # fmt: skip
        told = {b.upper() for b in said}
        every = [o for o in self.filter(rulebooks=rulebooks)
                 if o.rulebook in tabled and (o.rulebook or "").upper() not in told]  # fmt: skip
        held = {(o.rulebook, _chapter(o.ref)) for o in kept}
        left: dict[str, dict[str, int]] = {}
        for o in every:
            if (o.rulebook, _chapter(o.ref)) not in held:
                left.setdefault(o.rulebook or "-", {}).setdefault(_chapter(o.ref), 0)
                left[o.rulebook or "-"][_chapter(o.ref)] += 1
        if not left:
            return []
        source = (
            "the built-in table of the AIFC rulebooks' chapters (the brief, section 2.3), "
            "written for the AIFC's own numbering"
        )
        types = " or ".join(firm_types)
        out = []
        for book, chapters in left.items():
            names = sorted(chapters, key=lambda c: [(0, int(p)) if p.isdigit() else (1, p)
                                                    for p in re.findall(r"\d+|\D+", c)])  # fmt: skip
            n = sum(chapters.values())
            word = "chapter" if len(names) == 1 else "chapters"
            out.append(f"{book} {word} {', '.join(names)} ({n} obligation{'s' if n != 1 else ''}): "
                       f"outside the chapters that bind {types}, by {source}; check them with "
                       "no firm type to include them")  # fmt: skip
        return out

    def _named_in(self, rulebook: str | None) -> set[str]:
        """The firm types the rules of ``rulebook`` name as their subjects."""
        if self._named is None:
            named: dict[str | None, set[str]] = {}
            for ob in self.obligations:
                named.setdefault(ob.rulebook, set()).update(qualified_for(ob.text))
            self._named = named
        return self._named.get(rulebook, set())

    def applies(self, o: Obligation, firm_type: str) -> bool:
        scope = self.scopes.get(firm_type) or FALLBACK_SCOPE.get(firm_type, {})
        only = qualified_for(o.text)
        if o.rulebook not in scope:
            # a rulebook no firm type's scope names (a firm's own upload, "CUS") is judged by
            # its rules' subjects alone: "A Custodian must ..." binds a custodian (every rule
            # of an uploaded custody rulebook was left out under --firm-type Custodian, a
            # browser trial 2026-12-05); a rulebook the scopes name but not this type's is not
            # (a rule naming no firm type binds a type only in a rulebook some of whose rules
            # name it: the FinTech Lab's rules were added to every firm type's check, a review)
            known = {b for sc in (*self.scopes.values(), *FALLBACK_SCOPE.values()) for b in sc}
            if o.rulebook in known:
                return False
            return firm_type in only if only else firm_type in self._named_in(o.rulebook)
        if only and firm_type not in only:
            return False  # "a DASP Dealing in Investments as Principal must ...": not a custodian's
        if only == {firm_type}:
            # its subject names this type, and only this one ("A DASP Providing Custody must segregate ..."): it binds
            # that type in whatever chapter it stands (the chapters below are one numbering's; a
            # consultant's rulebook with custody in DAA chapter 4 lost those duties under
            # --firm-type Custodian, eighteenth session); "A DATF operator providing custody must
            # ..." stays in the DATF operator's chapters
            return True
        chapters = scope[o.rulebook or ""]
        if chapters is None:
            return True
        ref = parse_ref(o.ref)
        number = ref.number if ref else ""
        return any(
            number == c or number.startswith(c + ".") or number.startswith(c + "-")
            for c in chapters
        )


def _chapter(ref: str) -> str:
    """A rule's chapter as the scopes write it: "8" of "GEN 8.10.7", "A1" of "GEN A1.1.2"."""
    r = parse_ref(ref)
    number = r.number if r else ref.split()[-1] if ref else ""
    return re.split(r"[.-]", number)[0]


def _chapters(text: str) -> list[str]:
    """'2, 3, 4, 5.3 (appropriateness), 6 and 15' / '2 to 6' -> chapter strings."""
    text = re.sub(r"\([^)]*\)", "", text)
    out: list[str] = []
    for part in re.split(r",|\band\b", text):
        part = part.strip().rstrip(".")
        rng = re.match(r"^(\d+)\s+to\s+(\d+)$", part)
        if rng:
            out.extend(str(i) for i in range(int(rng.group(1)), int(rng.group(2)) + 1))
        elif re.match(r"^\d+(?:\.\d+)?$", part):
            out.append(part)
    return out


def parse_scope(text: str, own_part: str) -> dict[str, tuple[str, ...] | None]:
    """An applicability sentence ("... is subject to the FSFR, the AML Rules, COB chapters 2, 3 and
    15, MAR chapter 5, GEN chapters 2 to 6 ...") as rulebook -> chapters."""
    # The FSFR and the AML Rules bind every Authorised Firm (AML 1.2), listed or not.
    scope: dict[str, tuple[str, ...] | None] = {"DAA": ("1", own_part), "FSFR": None, "AML": None}
    for m in re.finditer(
        r"\b(COB|GEN|MAR|AMI|PRU\(INV\))\s+chapters?\s+((?:[\d.]+(?:\s*\([^)]*\))?(?:\s*,\s*|\s+and\s+|\s+to\s+)?)+)",
        text,
    ):
        scope[m.group(1)] = tuple(_chapters(m.group(2)))
    return scope


def build_register(catalog: CatalogStore, as_of: str | None = None) -> Register:
    """The register over the committed rules chunks of the rulebook versions in force on
    ``as_of`` (default: the latest indexed version of each), with scopes read from the indexed
    guidance. A draft is checked against one version of a rule, never two at once."""
    documents = catalog.documents()
    in_force = in_force_ids(documents, as_of)
    docs = {d["doc_id"]: d for d in documents if d["doc_id"] in in_force}
    obligations: list[Obligation] = []
    scopes: dict[str, dict[str, tuple[str, ...] | None]] = {}
    for run in rule_runs(c for _, c in catalog.all_chunks()):
        doc = docs.get(run[0].doc_id, {})
        if doc.get("kind") not in ("rules", "guidance"):
            continue
        obligations.extend(extract(run, doc))
        for chunk in run:
            if chunk.is_guidance and "subject to" in chunk.text:
                for firm_type, (ref, part) in _SCOPE_SOURCES.items():
                    if chunk.ref == ref:
                        scopes[firm_type] = parse_scope(chunk.text, part)
    if "DASP dealing" in scopes:  # a custodian is a DASP providing custody: dealer scope plus COB 8
        base = dict(scopes["DASP dealing"])
        cob = tuple(
            sorted(set(base.get("COB") or ()) | {"8"}, key=lambda c: [int(x) for x in c.split(".")])
        )
        scopes["Custodian"] = {**base, "COB": cob}
    return Register(obligations, scopes)
