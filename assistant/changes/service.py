"""One call for the CLI and the app: compare two versions of a rulebook, and what that does to a policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from assistant.changes.diff import KINDS, Change, compare, rules_of
from assistant.changes.versions import Version, pick_pair
from assistant.errors import UsageError
from assistant.index.core import Index
from assistant.settings import Settings


@dataclass
class Impact:
    """An obligation of a changed rule whose judgement on the draft differs between versions, or
    that keeps its status (not covered) while the rule's figure moved (``status_changed`` False)."""

    change: str  # the change's label
    kind: str  # the change's kind
    obligation: str  # the obligation's text in the new version (the old one when repealed)
    ref: str
    before: str | None  # status against the old version; None when the obligation is new
    after: str | None  # status against the new version; None when it no longer exists
    reason: str
    clause: str | None = None
    clause_quote: str | None = None
    figures: str | None = None  # when the status stays: the rule's figures that moved, "old -> new"

    @property
    def status_changed(self) -> bool:
        """False for a finding kept because the rule's figure moved while its status stayed."""
        return self.before != self.after

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "status_changed": self.status_changed}


@dataclass
class ChangeReport:
    rulebook: str
    old: Version
    new: Version
    changes: list[Change]
    impact: list[Impact] = field(default_factory=list)
    policy: str | None = None
    regime: str = "AIFC"  # whose rulebook: the AIFC's, or another regime's text (ADGM)

    @property
    def counts(self) -> dict[str, int]:
        return {k: sum(c.kind == k for c in self.changes) for k in KINDS}

    @property
    def name(self) -> str:
        """The rulebook as the reports name it: "AML", or "ADGM AML" for another regime's text
        (a report on ADGM's AML never said whose it was, beside the AIFC's AML, a trial,
        twenty-ninth session)."""
        return self.rulebook if self.regime == "AIFC" else f"{self.regime} {self.rulebook}"

    def to_dict(self) -> dict[str, Any]:
        return {"rulebook": self.rulebook, "regime": self.regime, "from": self.old.__dict__, "to": self.new.__dict__, "counts": self.counts,
                "changes": [c.to_dict() for c in self.changes], "policy": self.policy,
                "impact": [i.to_dict() for i in self.impact]}  # fmt: skip


def compare_versions(index: Index, rulebook: str, from_day: str | None = None,
                     to_day: str | None = None, regime: str | None = None) -> ChangeReport:  # fmt: skip
    """The changes between the versions of ``rulebook`` (of ``regime``'s text where given) in
    force on the two dates. Raises a UsageError when ``from_day`` is later than ``to_day``: the
    comparison would run backwards."""
    if from_day and to_day and from_day > to_day:
        raise UsageError(f"--from {from_day} is later than --to {to_day}",
                         "give the older date to --from and the newer one to --to")  # fmt: skip
    documents = index.documents()
    old, new = pick_pair(documents, rulebook, from_day, to_day, regime)
    cat = index.catalog
    old_rules = rules_of(cat.chunks(cat.chunk_ids(old.doc_id)).values())
    new_rules = rules_of(cat.chunks(cat.chunk_ids(new.doc_id)).values())
    whose = next((d.get("jurisdiction") for d in documents if d["doc_id"] == new.doc_id), None)
    return ChangeReport(new.rulebook, old, new, compare(old_rules, new_rules),
                        regime=whose or "AIFC")  # fmt: skip


SEVERITY = {"covered": 0, "partial": 1, "missing": 2, "conflicting": 3}


def _refigured(moved: bool, before: str | None, before_reason: str | None, status: str,
               reason: str) -> bool:  # fmt: skip
    """Whether a finding whose status stays is listed because the figure the draft is judged
    against moved (``moved``): one not covered whose reason changed, and one that addresses the
    rule (partial or conflicting) whatever its reason ("partial: does not name MLRO" hid a
    retention period that went from six years to five, a consultant's trial, twenty-fourth
    session)."""
    return (
        moved
        and before is not None
        and status != "covered"
        and (before_reason != reason or status in ("partial", "conflicting"))
    )


def policy_impact(
    index: Index, report: ChangeReport, draft: Path, settings: Settings
) -> list[Impact]:
    """Rerun the policy check for the obligations of the changed rules only, against the old and
    the new version, and keep the findings whose status changes, that are new and not covered, or
    whose rule figure moved while the draft still falls short of it."""
    from assistant.policy.checker import PolicyChecker, parse_draft
    from assistant.policy.obligations import extract, rule_runs

    cat = index.catalog
    docs = {d["doc_id"]: d for d in index.documents()}
    # another regime's text holds no AIFC obligation: said as the policy check says it, not "0
    # findings change status" (a consultant was told a draft was unaffected by an amended ADGM
    # COBS, twenty-seventh session)
    where = docs.get(report.new.doc_id, {}).get("jurisdiction") or "AIFC"
    if where != "AIFC":
        raise UsageError(
            f"no AIFC obligations to check the draft against: {report.new.rulebook} ({where}) is "
            "indexed as another regime's text, which the policy check does not read as AIFC rules",
            "run `changes` without --policy to list what changed",
        )
    _, clauses = parse_draft(draft, int(settings.max_file_mb * 1024 * 1024), settings.chunking)
    checker = PolicyChecker(index.embedder)

    def obligations(doc_id: str, text_refs: set[str]) -> dict[str, list[Any]]:
        by_rule: dict[str, list[Any]] = {}
        chunks = sorted(cat.chunks(cat.chunk_ids(doc_id)).values(), key=lambda c: c.ordinal)
        for run in rule_runs(c for c in chunks if c.ref in text_refs):
            by_rule.setdefault(run[0].ref or "", []).extend(extract(run, docs[doc_id]))
        return by_rule

    old_obl = obligations(report.old.doc_id, {c.old_ref for c in report.changes if c.old_ref})
    new_obl = obligations(
        report.new.doc_id, {c.ref for c in report.changes if c.kind != "repealed"}
    )
    flat_old = [o for os in old_obl.values() for o in os]
    flat_new = [o for os in new_obl.values() for o in os]
    status_old = (
        {f.obligation.id: f for f in checker.check(clauses, flat_old)[0]} if flat_old else {}
    )
    status_new = (
        {f.obligation.id: f for f in checker.check(clauses, flat_new)[0]} if flat_new else {}
    )
    out: list[Impact] = []
    for ch in report.changes:
        olds = list(old_obl.get(ch.old_ref or "", [])) if ch.kind != "added" else []
        news = list(new_obl.get(ch.ref, [])) if ch.kind != "repealed" else []
        for n in news:
            best = max(olds, key=lambda o: fuzz.token_sort_ratio(o.text, n.text), default=None)
            if best is not None and fuzz.token_sort_ratio(best.text, n.text) >= 50:
                olds.remove(best)
                before, before_reason = status_old[best.id].status, status_old[best.id].reason
            else:
                before, before_reason = None, None
            f = status_new[n.id]
            changed = before != f.status and not (before is None and f.status == "covered")

            # (the figure moved in this obligation's text, not in another of the rule's: an
            # MLRO duty beside a retention period was listed as moved, a review; nor where its
            # own text holds the old figure unchanged: 2.3.7(10)'s "six years" was listed as
            # moved to ten, which only (4)'s became, a change tracker's trial, thirty-eighth
            # session)
            was = best.text if best is not None else None
            moved_here = any(_moved_in(x, n.text, was) for x in ch.figures)
            refigured = _refigured(moved_here, before, before_reason, f.status, f.reason)
            if changed or refigured:
                moved = "; ".join(f"{x.old or '(none)'} -> {x.new or '(none)'}" for x in ch.figures)
                out.append(
                    _impact(
                        ch, n.text, n.ref, before, f.status, f, figures=None if changed else moved
                    )
                )
        flat_new_rule = [n.text for n in news]
        for o in olds:  # an obligation that the new version no longer imposes
            f = status_old[o.id]
            if f.status != "covered":
                out.append(
                    _impact(ch, o.text, o.ref, f.status, None, f, "the rule no longer imposes this")
                )
            elif f.clauses and (ch.kind == "repealed" or not _still_imposed(o.text, flat_new_rule)):
                # a clause written for a repealed rule is worth a look too (a new user's draft
                # clause relying on the repealed deputy MLRO duty was not listed), and so is one
                # written for a duty an amendment removed ("must also appoint" -> "may also
                # appoint": a consultant's trial, 2026-12-05, found it dropped without a word)
                why = (
                    "the rule is repealed"
                    if ch.kind == "repealed"
                    else "the rule no longer imposes this"
                )
                out.append(_impact(ch, o.text, o.ref, f.status, None, f,
                                   f"{why}; {f.clauses[0].label} implemented it"))  # fmt: skip
    out += _stale_citations(report, clauses, out)
    return sorted(out, key=lambda i: -SEVERITY.get(i.after or "", -1))


def _moved_in(x: Any, new: str, old: str | None) -> bool:
    """Whether figure change ``x`` moved in this obligation's own text: its new figure is in the
    new text and was not in the old one's, or its old figure was and is no longer (``old`` None:
    the obligation is new)."""
    new_here = bool(x.new) and x.new in new
    if old is None:
        return new_here
    old_here = bool(x.old) and x.old in old
    return (new_here and x.new not in old) or (old_here and x.old not in new)


def _stale_citations(report: ChangeReport, clauses: list[Any], found: list[Impact]) -> list[Impact]:
    """A clause that cites a rule by the number the new version repeals or gives another rule:
    "as required by CIB 2.3.8" after 2.3.8 became 2.3.11 (a change tracker's trial, thirty-
    eighth session: neither a clause citing a renumbered rule nor one citing a repealed rule it
    did not match was listed). Not where the clause is listed for that rule already."""
    from ingest.refs import find_refs

    gone = {ch.old_ref or ch.ref: ch for ch in report.changes
            if ch.kind in ("repealed", "renumbered") and not ch.guidance}  # fmt: skip
    listed = {(i.ref, i.clause) for i in found}
    out = []
    for clause in clauses:
        # (a section's "FSFR s.13" as such, a review)
        cited = {str(r.base) for r in find_refs(clause.text, books=(report.rulebook,))}
        for ref in sorted(cited & set(gone)):
            ch = gone[ref]
            # (listed under the rule's new number, or its old: a renumbered rule's finding is
            # the new number's, a review)
            if (ref, clause.label) in listed or (ch.ref, clause.label) in listed:
                continue
            said = ("repeals it" if ch.kind == "repealed"
                    else f"numbers that rule {ch.ref}")  # fmt: skip
            out.append(Impact(ch.label, ch.kind, ch.old_text, ref, "cited", "out of date",
                              f"{clause.label} cites {ref}; the {report.new.version or report.new.title} version {said}",
                              clause.label, clause.text))  # fmt: skip
    return out


def _still_imposed(old: str, new: list[str]) -> bool:
    """Whether a new obligation of the rule still says what ``old`` said: an amendment that
    merges two "must" sentences into one leaves the second unpaired, yet imposed (a review found
    the freezing duty of AML 12.1.2 reported as removed, 2026-12-05)."""
    return any(fuzz.partial_ratio(old, n) >= 80 or fuzz.partial_ratio(n, old) >= 80 for n in new)


def _impact(ch: Change, text: str, ref: str, before: str | None, after: str | None, f: Any,
            reason: str | None = None, figures: str | None = None) -> Impact:  # fmt: skip
    clause = f.clauses[0] if f.clauses else None
    return Impact(ch.label, ch.kind, text, ref, before, after, reason or f.reason,
                  clause.label if clause else None, clause.text if clause else None, figures)  # fmt: skip
