"""One call for the CLI and the app: open the index, build the register, check a draft."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import UsageError
from assistant.index.core import Index
from assistant.index.embeddings import Embedder
from assistant.policy.checker import PolicyChecker, PolicyReport, parse_draft
from assistant.policy.obligations import Obligation, Register, build_register
from assistant.settings import Settings


def run_check(settings: Settings, draft: Path, firm_types: list[str], rulebooks: list[str],
              embedder: Embedder | None = None, *, index: Index | None = None,
              register: Register | None = None, as_of: str | None = None,
              password: str | None = None) -> PolicyReport:  # fmt: skip
    """Check ``draft`` against the obligations that apply to the firm types and rulebooks, in the
    rulebook versions in force on ``as_of`` (default: the latest indexed version of each;
    ``index`` and ``register`` may be passed in to check several drafts with one of each;
    ``password`` opens an encrypted PDF draft)."""
    from ingest.refs import indexed_book

    index = index or Index.open(settings, embedder)
    register = register or build_register(index.catalog, as_of)
    # the names as the index has them (``indexed_book``: "pru" is PRU(INV) where it is indexed,
    # "MKT" ADGM's where only that is)
    indexed = {d.get("rulebook") for d in index.documents()}
    rulebooks = [indexed_book(b, indexed) for b in rulebooks]
    obligations = register.filter(rulebooks=rulebooks, firm_types=firm_types)
    # a rulebook indexed only as another regime's text (``ingest --jurisdiction ADGM``) holds no
    # AIFC obligation: said, not "ingest the rulebooks first" (a consultant's trial on the real
    # COBS, twenty-sixth session), nor dropped without a word beside AIFC ones (a browser trial,
    # twenty-eighth session: "AML, FUNDS" was checked against AML alone)
    foreign = foreign_rulebooks(index.documents(), rulebooks) if rulebooks else []
    if not obligations:
        ours = any((d.get("jurisdiction") or "AIFC") == "AIFC" and d.get("rulebook")
                   for d in index.documents())  # fmt: skip
        if not rulebooks and not ours:  # none chosen, and only another regime's rulebooks (an
            # ADGM-only index was told to "ingest the rulebooks first", an AML consultant's
            # trial, thirty-first session; beside an AIFC rulebook, as before: a review)
            foreign = foreign_rulebooks(index.documents(), [])
        if foreign:
            raise UsageError(
                f"no AIFC obligations for these rulebooks: {', '.join(foreign)} "
                f"{'is' if len(foreign) == 1 else 'are'} indexed as another regime's text, and "
                "the policy check compares a draft with AIFC rules only",
                "choose AIFC rulebooks; to compare a draft with another regime's text anyway, "
                "index it without a regime (no --jurisdiction; Regime AIFC in the Library) in a "
                "data directory of its own, knowing that its findings are not about AIFC law",
            )
        raise UsageError("no obligations in the index for these firm types and rulebooks",
                         "check --rulebook / --firm-type, or ingest the rulebooks first")  # fmt: skip
    title, clauses = parse_draft(draft, int(settings.max_file_mb * 1024 * 1024), settings.chunking,
                                 password)  # fmt: skip
    findings, unmatched = PolicyChecker(index.embedder).check(
        clauses, obligations, title or "", register.obligations
    )
    # (a rulebook whose rules bind none of the firm types is said: an uploaded complaints
    # rulebook, its rules naming no firm type, was left out of a DATF operator's check without
    # a word, a browser trial, thirty-fourth session; binding it to every type put another
    # AIFC rulebook's duties, and a third party's, in the check, a review)
    # (and one whose indexed text states no obligation at all: the digest's MAR, chosen beside
    # AML, was left out with no word either; another regime's is said above)
    bound = {(o.rulebook or "").upper() for o in obligations}
    theirs = {f.split(" (")[0].upper() for f in foreign}
    unbound = [b for b in dict.fromkeys(rulebooks) if b.upper() not in bound | theirs]
    with_duties = {b: bool(register.filter(rulebooks=[b])) for b in unbound}
    not_applying = [b for b in unbound if with_duties[b]]
    no_duties = [b for b in unbound if not with_duties[b]]
    left_out = register.chapters_left_out(rulebooks, firm_types, obligations, not_applying)
    return PolicyReport(str(draft), title, firm_types, rulebooks, findings, unmatched,
                        versions_of(obligations), as_of, foreign, not_applying, no_duties,
                        left_out)  # fmt: skip


def foreign_rulebooks(documents: list[dict[str, Any]], rulebooks: Sequence[str]) -> list[str]:
    """The rulebooks among ``rulebooks`` (all, when empty) indexed only as another regime's text
    ("AML (ADGM)"), which hold no AIFC obligation."""
    from ingest.refs import canonical_book, own_book

    wanted = {canonical_book(b) for b in rulebooks} | {own_book(b) for b in rulebooks}
    ours = {d.get("rulebook") for d in documents if (d.get("jurisdiction") or "AIFC") == "AIFC"}
    return sorted({f"{d['rulebook']} ({d.get('jurisdiction')})" for d in documents
                   if d.get("rulebook") and (not wanted or d.get("rulebook") in wanted)
                   and d.get("rulebook") not in ours
                   and (d.get("jurisdiction") or "AIFC") != "AIFC"})  # fmt: skip


def versions_of(obligations: list[Obligation]) -> dict[str, list[str]]:
    """Rulebook -> the version dates its obligations come from (one, unless undated chapter
    files sit beside a dated one)."""
    out: dict[str, set[str]] = {}
    for o in obligations:
        out.setdefault(o.rulebook or "-", set()).add(o.version or "undated")
    return {b: sorted(v) for b, v in sorted(out.items())}


def check_against(settings: Settings, draft: Path, obligations: list[Obligation], book: str,
                  embedder: Embedder | None = None) -> PolicyReport:  # fmt: skip
    """Check ``draft`` against obligations given directly (read from a rulebook's own text with
    obligations_from_text) instead of the indexed register."""
    if not obligations:
        raise UsageError(
            "no obligations to check against", "check the rulebook text and rule numbers"
        )
    title, clauses = parse_draft(draft, int(settings.max_file_mb * 1024 * 1024), settings.chunking)
    emb = embedder or Index.open(settings).embedder
    findings, unmatched = PolicyChecker(emb).check(clauses, obligations, title or "")
    return PolicyReport(str(draft), title, [], [book], findings, unmatched)
