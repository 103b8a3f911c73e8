"""What changed between two versions of a rulebook: rules added, amended, repealed and renumbered.

Rules are matched by reference first. A reference whose text changed beyond recognition, and every
reference found in only one version, go to a second pass that matches by text similarity, so a
renumbered chapter reads as "renumbered", not as a block of deletions and insertions. Guidance is
compared apart from its rule. Figures that changed come from the shared quantity parser.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz import fuzz

from assistant.answer.verify import DUTY, PERMISSION, PROHIBITION, modal_kinds
from assistant.language.quantities import Quantity, bound_of, parameters
from assistant.language.text import sentence_spans
from ingest.model import Chunk

KINDS = ("added", "amended", "repealed", "renumbered")
SAME_RULE = 50.0  # below this similarity (0-100) a reused reference holds a different rule
RENUMBERED = 85.0  # at or above this, an unmatched old and new rule are the same rule moved
# (a number may carry an inserted rule's letter, "15.11A.1": its old number was left in the body
# and a renumbered rule read as amended, a consultant's trial, twenty-seventh session)
_LEADING_NUMBER = re.compile(
    r"^\s*(?:#+\s*)?(?:[A-Z][A-Z()]*\s+)?\d+(?-i:[A-Z])?(?:[.\-]\d+(?-i:[A-Z])?)*[.)]?"
    r"(?:\([0-9a-z-]+\))*\s+"
)
_WORD = re.compile(r"\S+")


def _words(text: str) -> list[str]:
    """A rule's words without its own leading number, punctuation or case."""
    return re.findall(r"\w+", plain(_LEADING_NUMBER.sub("", text, count=1)).casefold())


def plain(text: str) -> str:
    """Text for display and comparison: Markdown heading marks dropped, spaces collapsed."""
    return " ".join(re.sub(r"(?m)^\s*#+\s*", "", text).split())


@dataclass(frozen=True)
class Rule:
    """One rule (or its guidance) in one version: the joined text of its chunks."""

    ref: str
    guidance: bool
    text: str
    repealed: bool
    pages: tuple[int, ...] = ()
    chunk_ids: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, bool]:
        return (self.ref, self.guidance)

    @property
    def body(self) -> str:
        """The text without its own leading number and with spaces collapsed: what is compared."""
        return plain(_LEADING_NUMBER.sub("", self.text, count=1))


@dataclass(frozen=True)
class FigureChange:
    kind: str
    old: str | None
    new: str | None


@dataclass
class Change:
    kind: str  # one of KINDS
    ref: str  # the reference in the new version (the old one for a repeal)
    guidance: bool
    old_ref: str | None = None
    old_text: str = ""
    new_text: str = ""
    similarity: float = 100.0
    diff: list[tuple[str, str]] = field(default_factory=list)  # (equal|delete|insert, words)
    figures: list[FigureChange] = field(default_factory=list)
    pages: tuple[int, ...] = ()
    force: list[FigureChange] = field(default_factory=list)  # kind "obligation": must -> may

    @property
    def also_amended(self) -> bool:
        """A renumbered rule whose words changed too: counted among the renumbered, and shown
        as amended as well (a deadline changed with the number was reported as a renumbering
        only, found by a consultant's trial 2026-12-04)."""
        return self.kind == "renumbered" and any(op != "equal" for op, _ in self.diff)

    @property
    def editorial(self) -> bool:
        """An amendment of punctuation, spacing or letter case only: the same words in the same
        order ("Legislation (including ... Sanctions)" -> "Legislation, including ...
        Sanctions,"), which a consultant skims past rather than reads as a change of law (a
        consultant's trial, twenty-fourth session, saw such edits as plain "amended")."""
        return (
            any(op != "equal" for op, _ in self.diff)
            and not self.figures
            and not self.force
            and _words(self.old_text) == _words(self.new_text)
        )

    @property
    def shown_kind(self) -> str:
        kind = "renumbered, amended" if self.also_amended else self.kind
        if self.kind == "repealed" and self.new_text.strip():
            # the new version keeps the number, marked ("[Intentionally omitted]", "[Deleted]"),
            # where another repeal leaves it out: told apart only in the JSON until a trial
            # asked (twenty-ninth session)
            return "repealed (number kept)"
        return f"{kind} (editorial)" if self.editorial else kind

    @property
    def label(self) -> str:
        where = f"{self.ref} (guidance)" if self.guidance else self.ref
        return f"{self.old_ref} -> {where}" if self.kind == "renumbered" else where

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["label"] = self.label
        d["also_amended"] = self.also_amended
        d["editorial"] = self.editorial
        return d


def rules_of(chunks: Iterable[Chunk]) -> dict[tuple[str, bool], Rule]:
    """Chunks of one document grouped into rules by (ref, guidance), in document order."""
    grouped: dict[tuple[str, bool], list[Chunk]] = {}
    for c in sorted(chunks, key=lambda c: c.ordinal):
        if c.ref:
            grouped.setdefault((c.ref, c.is_guidance), []).append(c)
    out = {}
    for (ref, guidance), cs in grouped.items():
        pages = tuple(sorted({p for c in cs for p in c.pages}))
        out[(ref, guidance)] = Rule(ref, guidance, "\n".join(c.text for c in cs), all(c.repealed for c in cs),
                                    pages, tuple(c.chunk_id for c in cs))  # fmt: skip
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff as (op, words) runs; op is equal, delete or insert."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(a[i1:i2])))
        if tag in ("delete", "replace"):
            ops.append(("delete", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(("insert", " ".join(b[j1:j2])))
    return ops


def figure_changes(old: str, new: str) -> list[FigureChange]:
    """Figures present in one text and not the other, paired by kind ("USD 1,000" -> "USD 3,000").

    Figures are matched one for one, bound included: "at least six years" that became "at least
    eight years" is a change even where a heading still says "six years", and "USD 1,000 or
    more" that became "more than USD 1,000" is one too (``bound_of``)."""

    bounds: dict[int, tuple[str | None, str]] = {}  # id of a figure -> its bound and words

    def same(q: Quantity) -> tuple[Any, ...]:
        return (*q.key, bounds[id(q)][0] or q.bound)  # ("at least" and "not less than" alike)

    new_qs, old_qs = parameters(new), parameters(old)
    bounds.update({id(q): bound_of(new, q) for q in new_qs})
    bounds.update({id(q): bound_of(old, q) for q in old_qs})
    came = list(new_qs)
    gone = []
    for q in old_qs:
        kept = next((c for c in came if same(c) == same(q)), None)
        if kept is None:
            gone.append(q)
        else:
            came.remove(kept)
    # a figure written twice in one text and once in the other is not a change, unless a new
    # figure of its kind came in its place ("Below USD 1,000" that became "Below USD 3,000", where
    # the text still says "USD 1,000 or more": reported "(none) -> USD 3,000" before, 2026-12-04)
    new_kept = {same(c) for c in new_qs}
    old_kept = {same(q) for q in old_qs}
    fresh = {c.key[0] for c in came if same(c) not in old_kept}
    dropped = {q.key[0] for q in gone if same(q) not in new_kept}
    gone = list({same(q): q for q in reversed(gone)
                 if same(q) not in new_kept or q.key[0] in fresh}.values())[::-1]  # fmt: skip
    came = list({same(c): c for c in reversed(came)
                 if same(c) not in old_kept or c.key[0] in dropped}.values())[::-1]  # fmt: skip
    out: list[FigureChange] = []
    for q in gone:
        match = next((c for c in came if c.key[0] == q.key[0]), None)
        if match:
            came.remove(match)
        if match is not None and q.key == match.key:
            # the same figure with another bound: shown with its bound words
            out.append(FigureChange(q.key[0], bounds[id(q)][1], bounds[id(match)][1]))
            continue
        out.append(FigureChange(q.key[0], q.text, match.text if match else None))
    out.extend(FigureChange(c.key[0], None, c.text) for c in came)
    return list(dict.fromkeys(out))  # a figure repeated in the text is one change


FORCE_SAME_SENTENCE = 70.0  # at or above this (0-100), with modals masked, two sentences are one


_MODAL_SLOT = "\x00"  # a modal's place among a sentence's words


# "shall" that states what a text means or when it applies, no duty: "shall mean", "shall have
# the meaning", "shall apply", "shall come into force" (written "means", "applies" in a
# redraft: a review found them reported as a duty gone)
_NO_FORCE = re.compile(
    r"\s+(?:mean|have\s+the\s+meaning|apply|come\s+into\s+(?:force|effect)|include|be\s+"
    r"(?:deemed|construed|read|treated\s+as))\b",
    re.I,
)
# a subject negated by "no" ("No person shall ..."): its duty is a prohibition
_NO_SUBJECT = re.compile(r"(?:^|[,;:(]\s*)no\s+(?:[\w-]+\s+){0,4}$", re.I)


def _force_kinds(sentence: str) -> list[tuple[str, int, int]]:
    """``modal_kinds`` read for force: a duty whose subject opens with "no" is a prohibition
    ("No person shall" = "A person must not"), and "shall" that defines or applies is none."""
    out = []
    for kind, a, b in modal_kinds(sentence):
        if sentence[a:b].lower() == "shall" and _NO_FORCE.match(sentence, b):
            continue
        if kind in (DUTY, PERMISSION) and _NO_SUBJECT.search(sentence[:a]):
            kind = PROHIBITION
        out.append((kind, a, b))
    return out


def _slotted(sentence: str) -> tuple[list[str], list[tuple[str, str]]]:
    """A sentence's words with each modal as one slot word, and the modals (kind, words) in
    order: "must keep" and "may keep" read alike but for their slots."""
    words: list[str] = []
    modals: list[tuple[str, str]] = []
    at = 0
    for kind, a, b in _force_kinds(sentence):
        words += [*sentence[at:a].split(), _MODAL_SLOT]
        modals.append((kind, sentence[a:b]))
        at = b
    return words + sentence[at:].split(), modals


def force_changes(old: str, new: str) -> list[FigureChange]:
    """Modals whose force changed in a sentence that otherwise stayed: "must" -> "may" (a duty
    became a permission), "may not" -> "may", "must" -> "should" (a duty became advice), as the
    verifier classifies them (``verify.modal_kinds``). A word diff shows "[-must-] {+may+}" among
    other edits, where a consultant looks for figures and misses that the duty went (a trial,
    twenty-fourth session: "must -> may not flagged"). Sentences are paired where their words
    with the modals as slots are alike (``FORCE_SAME_SENTENCE``), and modals by the place of
    their slots in the paired sentences' word alignment. A sentence added or removed whole is a
    duty or prohibition come or gone where the rule's count of them changed ("(none) -> must
    (duty)"); otherwise (a permission, or a rewrite) the word diff shows it."""
    olds = [_slotted(old[a:b]) for a, b in sentence_spans(old)]
    news = [_slotted(new[a:b]) for a, b in sentence_spans(new)]
    out: list[FigureChange] = []
    used: set[int] = set()  # the new sentences paired
    paired_old: set[int] = set()
    for i_old, (ow, om) in enumerate(olds):
        best = max(((fuzz.ratio(" ".join(ow), " ".join(nw)), j) for j, (nw, _) in enumerate(news)
                    if j not in used), default=(0.0, -1))  # fmt: skip
        if best[0] < FORCE_SAME_SENTENCE:
            continue
        used.add(best[1])
        paired_old.add(i_old)
        nw, nm = news[best[1]]
        if [k for k, _ in om] == [k for k, _ in nm]:
            continue
        # the slots paired by the word alignment, in order within each aligned block
        paired: list[tuple[int | None, int | None]] = []
        oi = ni = 0
        sm = difflib.SequenceMatcher(None, ow, nw, autojunk=False)
        for _, i1, i2, j1, j2 in sm.get_opcodes():
            o_n = ow[i1:i2].count(_MODAL_SLOT)
            n_n = nw[j1:j2].count(_MODAL_SLOT)
            for x in range(max(o_n, n_n)):
                paired.append((oi + x if x < o_n else None, ni + x if x < n_n else None))
            oi, ni = oi + o_n, ni + n_n
        for i, j in paired:
            was = om[i] if i is not None else None
            now = nm[j] if j is not None else None
            # (a "may" or "should" come or gone alone is mostly a rewording: "risks that may
            # arise" -> "risks arising"; a duty or prohibition come or gone is not)
            alone = was or now
            if (was and was[0]) != (now and now[0]) and (
                (was and now) or (alone is not None and alone[0] in (DUTY, PROHIBITION))
            ):
                out.append(FigureChange("obligation", was and f"{was[1]} ({was[0]})",
                                        now and f"{now[1]} ({now[0]})"))  # fmt: skip

    # a sentence added or removed whole with a duty or prohibition, where the rule's count of
    # them grew or shrank (a rewrite that pairs no sentence keeps its count): "The Captive
    # Insurer must notify the Regulator ... within 5 Business Days" added to 4.2.1 showed only
    # its figure (a change tracker's trial, thirty-eighth session)
    def binding(sentences: list[tuple[list[str], list[tuple[str, str]]]]) -> int:
        return sum(k in (DUTY, PROHIBITION) for _, ms in sentences for k, _ in ms)

    # (counted over the sentences no other sentence pairs with: a paired "must" -> "may" does
    # not make a rewritten duty a removed one, a review)
    grew = binding([x for j, x in enumerate(news) if j not in used]) - binding(
        [x for i, x in enumerate(olds) if i not in paired_old]
    )
    if grew:
        pool = news if grew > 0 else olds
        paired_at = used if grew > 0 else paired_old
        for j, (_, ms) in enumerate(pool):
            if j in paired_at:
                continue
            for kind, words in ms:
                if kind in (DUTY, PROHIBITION):
                    said = f"{words} ({kind})"
                    out.append(FigureChange("obligation", None, said) if grew > 0
                               else FigureChange("obligation", said, None))  # fmt: skip
    return list(dict.fromkeys(out))


def _title(rule: Rule) -> str | None:
    """A rule's heading as written on its own first line ("Risk assessment records" of "## AML
    14.5.2 Risk assessment records"), without its number; None where its text opens with prose."""
    first, _, rest = rule.text.strip().partition("\n")
    title = plain(_LEADING_NUMBER.sub("", first, count=1))
    if not rest.strip() or not title or len(title) > 120 or title.endswith((".", ":", ";")):
        return None
    return title.lower()


def _similarity(a: Rule, b: Rule) -> float:
    return float(fuzz.token_sort_ratio(a.body, b.body))


def _amended(old: Rule, new: Rule, kind: str, sim: float) -> Change:
    return Change(kind, new.ref, new.guidance, old.ref, old.text, new.text, sim, word_diff(old.body, new.body),
                  figure_changes(old.body, new.body), new.pages, force_changes(old.body, new.body))  # fmt: skip


def moved_to(old: dict[tuple[str, bool], Rule], new: dict[tuple[str, bool], Rule],
             ref: str) -> tuple[str, bool] | None:  # fmt: skip
    """Where rule ``ref`` of ``old`` stands in ``new`` under another number, as ``compare`` pairs a
    renumbered rule (its words verbatim, or RENUMBERED similar or more, among the rules whose
    numbers ``old`` does not hold): (the new number, whether its words changed too); None when
    ``new`` holds ``ref`` or no rule of it is its. One rule against the new numbers only: a
    whole comparison took 10 to 14 s per question on a renumbered PRU (a review, twenty-ninth
    session)."""
    o = old.get((ref, False))
    if o is None or o.repealed or (ref, False) in new:
        return None
    cands = [(k[0], n) for k, n in new.items() if not k[1] and k not in old and not n.repealed]
    same = next((k for k, n in cands if n.body == o.body), None)
    if same is not None:
        return same, False
    best = max(((_similarity(o, n), k) for k, n in cands), default=None)
    return (best[1], True) if best is not None and best[0] >= RENUMBERED else None


def moved_from(old: dict[tuple[str, bool], Rule], new: dict[tuple[str, bool], Rule],
               ref: str) -> tuple[str, bool] | None:  # fmt: skip
    """The number rule ``ref`` of ``new`` had in ``old``, renumbered (``moved_to`` the other way)."""
    return moved_to(new, old, ref)


def compare(old: dict[tuple[str, bool], Rule], new: dict[tuple[str, bool], Rule]) -> list[Change]:
    """Every change from ``old`` to ``new``; untouched rules produce nothing."""
    changes: list[Change] = []
    only_old = {k: r for k, r in old.items() if k not in new}
    only_new = {k: r for k, r in new.items() if k not in old}
    # the bodies each side holds under another number: a rule whose old text now stands under
    # another number, or whose new text stood under another, has moved, whatever the similarity
    # of what its number holds now (two rules that swap numbers were "amended" into each other,
    # a consultant's trial, eighteenth session)
    new_bodies = {(r.guidance, r.body): k for k, r in new.items()}
    old_bodies = {(r.guidance, r.body): k for k, r in old.items()}
    for k in old.keys() & new.keys():
        o, n = old[k], new[k]
        if o.body == n.body and o.repealed == n.repealed:
            continue
        moved = (
            new_bodies.get((o.guidance, o.body), k) != k
            or old_bodies.get((n.guidance, n.body), k) != k
        )
        if moved and not (o.repealed or n.repealed):
            only_old[k], only_new[k] = o, n
            continue
        if n.repealed and not o.repealed:
            changes.append(
                Change("repealed", n.ref, n.guidance, o.ref, o.text, n.text, 0.0, [], [], n.pages)
            )
            continue
        sim = _similarity(o, n)
        if sim < SAME_RULE:  # the number now holds another rule: match both sides by text below
            only_old[k], only_new[k] = o, n
            continue
        changes.append(_amended(o, n, "amended", sim))
    # renumbered: verbatim moves first (exact body), then the most similar remaining pairs
    by_body: dict[tuple[bool, str], list[tuple[str, bool]]] = {}
    for k, r in only_new.items():
        by_body.setdefault((r.guidance, r.body), []).append(k)
    for k, o in sorted(only_old.items()):
        hits = by_body.get((o.guidance, o.body))
        if hits and not o.repealed:
            nk = hits.pop(0)
            n = only_new.pop(nk)
            del only_old[k]
            changes.append(
                Change(
                    "renumbered", n.ref, n.guidance, o.ref, o.text, n.text, 100.0, [], [], n.pages
                )
            )
    pairs = sorted(((_similarity(o, n), ok, nk) for ok, o in only_old.items() for nk, n in only_new.items()
                    if o.guidance == n.guidance and not o.repealed and not n.repealed), reverse=True)  # fmt: skip
    # a rule moved under its own title, with a few words changed ("Risk assessments must be
    # documented and kept." -> "... documented, approved by senior management and kept.", 74):
    # the same rule where that title is one rule's on each side (a consultant's trial,
    # 2026-12-05, was told "repealed" and "added")
    # (a title of one word, "Application", "Interpretation", stands in every chapter: no
    # evidence, a review found a deleted chapter's "Application" paired with a new one's; and the
    # title must be one rule's in each whole version, not only among the rules left over)
    old_titles = Counter(t for r in old.values() if (t := _title(r)))
    new_titles = Counter(t for r in new.values() if (t := _title(r)))

    def titled(o: Rule, n: Rule) -> bool:
        t = _title(o)
        return (t is not None and t == _title(n) and len(t.split()) >= 2
                and old_titles[t] == 1 and new_titles[t] == 1)  # fmt: skip

    for sim, ok, nk in pairs:
        if sim < SAME_RULE:
            break
        if ok in only_old and nk in only_new:
            o, n = only_old[ok], only_new[nk]
            if sim >= RENUMBERED or titled(o, n):
                del only_old[ok], only_new[nk]
                changes.append(_amended(o, n, "renumbered", sim))
    for o in only_old.values():
        if not o.repealed:
            changes.append(
                Change("repealed", o.ref, o.guidance, o.ref, o.text, "", 0.0, [], [], o.pages)
            )
    for n in only_new.values():
        if not n.repealed:
            changes.append(
                Change("added", n.ref, n.guidance, None, "", n.text, 0.0, [], [], n.pages)
            )
    return sorted(changes, key=lambda c: (_ref_key(c.ref), c.guidance, c.kind))


def _ref_key(ref: str) -> list[Any]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-() ]+", ref) if p]
