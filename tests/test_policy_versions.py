"""A draft is checked against one version of each rulebook (found by a new user: with two AML
versions indexed, every rule was reported twice, once per version, with no version shown)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.changes.versions import in_force_ids
from assistant.policy.report import to_json, to_text
from assistant.policy.service import run_check
from tests.changes_fixtures import digest_versions
from tests.test_changes import _index_two

DRAFT = """# AML policy

## 1. Customer due diligence

1.1 We apply customer due diligence to every occasional Digital Asset transaction of USD 1,000
or more.

## 2. Money Laundering Reporting Officer

2.1 Our MLRO is resident in the Republic of Kazakhstan and reports to the Board.
"""


def test_in_force_keeps_one_version_per_rulebook_and_undated_documents() -> None:
    docs = [
        {"doc_id": "a24", "rulebook": "AML", "kind": "rules", "version": "2024-01-01"},
        {"doc_id": "a25", "rulebook": "AML", "kind": "rules", "version": "2025-07-01"},
        {"doc_id": "a25b", "rulebook": "AML", "kind": "rules", "version": "2025-07-01"},
        {"doc_id": "g24", "rulebook": "AML", "kind": "guidance", "version": "2024-01-01"},
        {"doc_id": "cob", "rulebook": "COB", "kind": "rules", "version": None},
    ]
    assert in_force_ids(docs) == {"a25", "a25b", "g24", "cob"}  # chapter files of one date stay
    assert in_force_ids(docs, "2024-06-30") == {"a24", "g24", "cob"}
    assert in_force_ids(docs, "2023-12-31") == {"cob"}  # nothing dated was yet in force
    # another regime's rulebook of the same code is no version of ours (twenty-sixth session:
    # ADGM's AML indexed beside the AIFC's would have left one of them out "as of" a date, and
    # put the older one's quotes last)
    adgm = {"doc_id": "x21", "rulebook": "AML", "kind": "rules", "version": "2021-12-23",
            "jurisdiction": "ADGM"}  # fmt: skip
    assert in_force_ids([*docs, adgm]) == {"a25", "a25b", "g24", "cob", "x21"}
    assert in_force_ids([*docs, adgm], "2024-06-30") == {"a24", "g24", "cob", "x21"}


def test_changes_compare_versions_of_one_regime() -> None:
    """A review (twenty-sixth session): `changes AML` with ADGM's AML indexed beside the AIFC
    digest compared the two as versions ("32 repealed"). Versions are one regime's."""
    from assistant.changes.versions import pick_pair
    from assistant.errors import UsageError

    def doc(i: str, v: str, regime: str = "AIFC") -> dict:
        return {"doc_id": i, "rulebook": "AML", "kind": "rules", "version": v, "title": i,
                "source": f"{i}.md", "jurisdiction": regime}  # fmt: skip

    with pytest.raises(UsageError) as err:
        pick_pair([doc("aifc", "2024-01-01"), doc("adgm", "2025-06-01", "ADGM")], "AML", None, None)
    assert "1 indexed version" in str(err.value) and "ADGM" in str(err.value)
    old, new = pick_pair([doc("a24", "2024-01-01"), doc("adgm", "2025-06-01", "ADGM"),
                          doc("a25", "2025-01-01")], "AML", None, None)  # fmt: skip
    assert (old.doc_id, new.doc_id) == ("a24", "a25")
    old, new = pick_pair([doc("aifc", "2024-01-01"), doc("x21", "2021-01-01", "ADGM"),
                          doc("x23", "2023-01-01", "ADGM")], "AML", None, None)  # fmt: skip
    assert (old.doc_id, new.doc_id) == ("x21", "x23")


def test_a_draft_is_checked_against_the_version_in_force_only(tmp_path: Path) -> None:
    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    draft = tmp_path / "policy.md"
    draft.write_text(DRAFT, encoding="utf-8")

    latest = run_check(index.settings, draft, [], ["AML"], index=index)
    assert {f.obligation.version for f in latest.findings} == {"2025-07-01"}
    assert latest.versions == {"AML": ["2025-07-01"]}
    sentences = Counter(f.obligation.text for f in latest.findings)
    assert max(sentences.values()) == 1  # no rule twice
    refs = {f.obligation.ref for f in latest.findings}
    assert not any(r.startswith("AML 6.1.2") for r in refs)  # deleted in 2025
    assert "checked against: AML 2025-07-01" in to_text(latest)
    assert '"version": "2025-07-01"' in to_json(latest)

    dated = run_check(index.settings, draft, [], ["AML"], index=index, as_of="2024-06-30")
    assert {f.obligation.version for f in dated.findings} == {"2024-01-01"}
    assert any(f.obligation.ref.startswith("AML 6.1.2") for f in dated.findings)
    assert "checked against: AML 2024-01-01 (in force on 2024-06-30)" in to_text(dated)


def test_check_policy_cli_takes_an_as_of_date(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from assistant.cli.main import main

    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    draft = tmp_path / "policy.md"
    draft.write_text(DRAFT, encoding="utf-8")
    args = ["check-policy", str(draft), "--rulebook", "AML", "--data-dir", str(index.data_dir)]
    latest = CliRunner().invoke(main, args)
    assert latest.exit_code == 0 and "checked against: AML 2025-07-01" in latest.output
    dated = CliRunner().invoke(main, [*args, "--as-of", "2024-06-30"])
    assert "checked against: AML 2024-01-01 (in force on 2024-06-30)" in dated.output
    bad = CliRunner().invoke(main, [*args, "--as-of", "2024-13-01"])
    assert bad.exit_code == 2 and "--as-of" in bad.output


def test_guidance_findings_are_marked_as_guidance_in_every_report(tmp_path: Path) -> None:
    """A consultant's trial (twenty-fifth session): the text report showed a guidance note as
    the rule ("[MISSING] AML 13.3.2: ... the Regulator expects that training should be
    provided"); JSON had ``is_guidance``, the text, Markdown and HTML reports did not say it."""
    from assistant.policy.report import to_html, to_markdown

    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    draft = tmp_path / "policy.md"
    draft.write_text(DRAFT, encoding="utf-8")
    from dataclasses import replace

    report = run_check(index.settings, draft, [], ["AML"], index=index)
    first = report.findings[0]
    report.findings[0] = replace(first, obligation=replace(first.obligation, is_guidance=True))
    ref = first.obligation.ref
    assert f"] {ref} (Guidance): " in to_text(report)
    assert f"| {ref} (Guidance) |" in to_markdown(report)
    assert f"<td>{ref} (Guidance)</td>" in to_html(report)
