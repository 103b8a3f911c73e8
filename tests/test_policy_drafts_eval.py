"""Out-of-sample policy drafts (issue 14): two firm types x three writing styles, thresholds fitted
on the two ``fit`` drafts, reported on the four ``dev`` ones (whose first-run errors led to two general
fixes) and gated, as out of sample, on the two ``holdout`` drafts written after the checker was final; DOCX drafts are built
from their YAML spec with python-docx at run time."""

from pathlib import Path

import docx
import pytest
import yaml

from assistant.policy.checker import parse_draft
from assistant.settings import ChunkingSettings, Settings
from evals.dataset import DATASETS
from evals.policy_eval import build_docx, run_policy_eval

DATA = yaml.safe_load((DATASETS / "policy_checks.yaml").read_text())


def test_six_new_drafts_two_firm_types_three_styles() -> None:
    new = [d for d in DATA["drafts"] if d.get("split") in ("fit", "dev", "holdout")]
    assert len(new) == 8 and sum(d["split"] == "fit" for d in new) == 2
    assert {d["firm_types"][0] for d in new} == {"DATF operator", "Custodian"}
    assert sum(bool(d.get("docx_spec")) for d in new) == 3
    for d in new:  # every draft has planted findings and a list of what it does address
        assert d["expected"] and all(e["planted"] for e in d["expected"]) and d["addressed"]
        assert not {e["ref"] for e in d["expected"]} & set(d["addressed"])


@pytest.mark.parametrize(
    "spec", sorted((DATASETS / "policies").glob("*.docx.yaml")), ids=lambda p: p.name
)
def test_docx_drafts_are_built_with_tables_and_read_as_clauses(spec: Path, tmp_path: Path) -> None:
    path = build_docx(spec, tmp_path)
    d = docx.Document(str(path))
    assert d.tables and d.core_properties.title
    title, clauses = parse_draft(path, 10_000_000, ChunkingSettings())
    text = "\n".join(c.text for c in clauses)
    assert title == d.core_properties.title
    for table in d.tables:  # every row of every table reaches the checker, cells joined by " | "
        for row in table.rows[1:]:
            assert row.cells[-1].text.strip()[:40] in text


@pytest.mark.slow
def test_out_of_sample_drafts(real_corpus_dir: Path) -> None:
    result = run_policy_eval(Settings(data_dir=real_corpus_dir))
    m = result["metrics"]
    # the bundled drafts and the reworded copy keep every finding; the fit drafts too
    assert m["policy_planted_recall"] == 1.0 and m["policy_precision"] == 1.0
    for split in ("reworded", "fit"):
        s = result["splits"][split]["metrics"]
        assert s["policy_planted_recall"] == 1.0 and s["policy_precision"] == 1.0, (split, s)
    # the four dev drafts: 0.74 / 0.85 / 0.0 on their first run, 0.91 / 0.95 / 0.0 after table rows
    # became clauses and a place stated with the same value counted as named (fixes made after
    # seeing those errors, so these are no longer out-of-sample figures)
    assert result["splits"]["dev"]["drafts"] == [
        "orda-manual",
        "kazyna-terse",
        "orda-tables",
        "kazyna-tables",
    ]
    assert m["policy_dev_planted_recall"] >= 0.9
    assert m["policy_dev_precision"] >= 0.85
    assert m["policy_dev_false_missing_rate"] <= 0.05
    # out of sample: two hold-out drafts written after the checker was final, run once (0.92 / 0.92 / 0.0),
    # gated at the issue 14 targets
    assert m["policy_holdout_planted_recall"] >= 0.9 and m["policy_holdout_precision"] >= 0.85
    assert m["policy_holdout_false_missing_rate"] <= 0.05
    titles = [d["title"] for d in result["drafts"]]
    assert any(t.startswith("[holdout] ") for t in titles) and any(
        t.startswith("[fit] ") for t in titles
    )


ADGM_AML = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/obliqa/rulebooks-txt/AML_VER09.211223.txt"
)


@pytest.mark.slow
@pytest.mark.skipif(not ADGM_AML.exists(), reason=f"ADGM rulebooks not found at {ADGM_AML}")
def test_draft_checked_against_the_adgm_rulebook_text(real_corpus_dir: Path) -> None:
    """A draft checked against obligations read from the ADGM AML Rulebook's own text (chapters 12
    and 13), not the digest: every planted conflict is found, with the rule's own figure."""
    from assistant.policy.obligations import obligations_from_text
    from assistant.policy.service import check_against

    entry = next(d for d in DATA["drafts"] if d["id"] == "falcon-adgm")
    rt = entry["rulebook_text"]
    obligations = obligations_from_text(ADGM_AML, rt["book"], rt["refs"])
    assert {o.ref for o in obligations} >= {
        "ADGM AML 12.1.1(2)",
        "ADGM AML 12.4.1",
        "ADGM AML 13.3.2",
    }
    report = check_against(
        Settings(data_dir=real_corpus_dir), DATASETS / entry["path"], obligations, rt["book"]
    )
    got = {(f.obligation.ref, f.status): f for f in report.findings}
    for e in entry["expected"]:
        if e["status"] == "conflicting":
            assert (e["ref"], "conflicting") in got, e
    assert "U.A.E" in got[("ADGM AML 12.1.1(2)", "conflicting")].reason
    assert "semi-annually" in got[("ADGM AML 12.4.1", "conflicting")].reason
