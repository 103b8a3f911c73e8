"""Change tracking between two versions of a rulebook: planted changes in our digest and in the real
ADGM AML rulebook are each found with the right kind, untouched rules report nothing, and the
impact of an amended figure on a policy draft is shown."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.changes.diff import (
    Change,
    FigureChange,
    Rule,
    compare,
    figure_changes,
    force_changes,
    rules_of,
    word_diff,
)
from assistant.changes.render import to_html, to_json, to_markdown, to_text
from assistant.changes.service import ChangeReport, Impact, compare_versions, policy_impact
from assistant.changes.versions import Version
from assistant.cli.main import main
from assistant.errors import UsageError
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.settings import Settings
from tests.changes_fixtures import ADGM_AML, adgm_versions, digest_versions
from tests.conftest import CORPUS, ROOT

STEPPE = CORPUS / "policies" / "steppe-digital-aml-cft-policy.md"


def _found(report: ChangeReport) -> dict[str, str]:
    return {c.ref + (" (guidance)" if c.guidance else ""): c.kind for c in report.changes}


def _index_two(tmp_path: Path, old: str, new: str) -> Index:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "aml-2024.md").write_text(old)
    (tmp_path / "v2" / "aml-2025.md").write_text(new)
    index = Index.open(
        Settings(data_dir=tmp_path / "data", embedding_model="fake:hashing"), create=True
    )
    results = ingest_paths(index, [tmp_path / "v1", tmp_path / "v2"])
    assert [r.status for r in results] == ["added", "added"], results
    return index


def test_digest_planted_changes_are_found_exactly(tmp_path: Path) -> None:
    old, new, planted = digest_versions()
    report = compare_versions(_index_two(tmp_path, old, new), "AML")
    assert (report.old.version, report.new.version) == ("2024-01-01", "2025-07-01")
    assert _found(report) == planted  # every planted change, and nothing on untouched rules
    fig = next(c for c in report.changes if c.ref == "AML 6.1.1(a-a)")
    assert [(f.old, f.new) for f in fig.figures] == [("USD 1,000", "USD 3,000")]
    assert ("delete", "1,000") in fig.diff and ("insert", "3,000") in fig.diff
    moved = next(c for c in report.changes if c.ref == "AML 15.5.1")
    assert moved.old_ref == "AML 14.5.1" and moved.label == "AML 14.5.1 -> AML 15.5.1"


def test_policy_impact_of_the_amended_figure(tmp_path: Path) -> None:
    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    report = compare_versions(index, "AML")
    impact = policy_impact(index, report, STEPPE, index.settings)
    figure = [i for i in impact if i.ref.startswith("AML 6.1.1(a-a)")]
    assert figure, [i.to_dict() for i in impact]
    # the draft (USD 15,000, clause 5.2) fell short of USD 1,000 and now of USD 3,000: shown with the new figure
    assert all("USD 3,000" in i.reason and "USD 15,000" in i.reason for i in figure), figure
    # its status stays: reported as such, with the figure that moved, and not counted as a change
    assert all(not i.status_changed and i.figures == "USD 1,000 -> USD 3,000" for i in figure)
    report.policy, report.impact = str(STEPPE), impact
    assert f"change status; {len(figure)} with an unchanged status" in to_text(report)
    # the inserted rule is a new obligation the draft does not address
    assert any(i.ref.startswith("AML 6.1.1(c)") and i.before is None and i.after in ("missing", "partial")
               for i in impact)  # fmt: skip


@pytest.mark.skipif(
    not ADGM_AML.exists(), reason=f"real ADGM rulebooks not found at {ADGM_AML.parent}"
)
def test_adgm_planted_changes_are_found_exactly(tmp_path: Path) -> None:
    old, new, planted = adgm_versions()
    report = compare_versions(_index_two(tmp_path, old, new), "AML")
    assert _found(report) == planted
    amended = next(c for c in report.changes if c.kind == "amended" and not c.guidance)
    assert any(f.new and "ten years" in f.new for f in amended.figures), amended.figures


def test_rules_matched_by_reference_then_by_text() -> None:
    text = "A Relevant Person must keep records of every customer for at least six years after the end."
    old = {
        ("AML 3.1", False): Rule("AML 3.1", False, "3.1 " + text, False),
        ("AML 3.2", False): Rule(
            "AML 3.2", False, "3.2 The MLRO must be resident in Kazakhstan at all times.", False
        ),
    }
    # 3.2 deleted, 3.1 moved to 3.2: the number 3.2 now holds another rule
    new = {("AML 3.2", False): Rule("AML 3.2", False, "3.2 " + text, False)}
    got = {(c.kind, c.old_ref, c.ref) for c in compare(old, new)}
    assert got == {("renumbered", "AML 3.1", "AML 3.2"), ("repealed", "AML 3.2", "AML 3.2")}
    # [intentionally omitted] is a repeal
    omitted = {("AML 3.1", False): Rule("AML 3.1", False, "3.1 [intentionally omitted]", True)}
    repeal = compare({("AML 3.1", False): old[("AML 3.1", False)]}, omitted)
    assert [c.kind for c in repeal] == ["repealed"]
    # a repeal shows what was repealed, not the stub that replaced it (a new user saw only
    # "[intentionally omitted]", 2026-12-04)
    from assistant.changes.render import shown_text

    assert shown_text(repeal[0]).endswith(text) and "omitted" not in shown_text(repeal[0])
    assert compare(old, old) == []


def test_word_diff_and_figures() -> None:
    assert word_diff("keep for five years", "keep for six years") == [
        ("equal", "keep for"), ("delete", "five"), ("insert", "six"), ("equal", "years")]  # fmt: skip
    changes = figure_changes(
        "records for at least five years; USD 1,000", "records for at least six years; USD 1,000"
    )
    assert [(f.kind, f.old, f.new) for f in changes] == [
        ("duration", "at least five years", "at least six years")
    ]


def test_a_changed_obligation_force_is_reported() -> None:
    """A consultant's trial (twenty-fourth session): "must" -> "may" was shown only inside the
    word diff; each report now names the modal whose force changed, paired by its place."""
    got = force_changes("Firms must keep records and may destroy them later.",
                        "Firms may keep records and must destroy them later.")  # fmt: skip
    assert [(f.old, f.new) for f in got] == [("must (duty)", "may (permission)"),
                                             ("may (permission)", "must (duty)")]  # fmt: skip
    assert [(f.old, f.new) for f in force_changes("A firm must not accept cash.", "A firm may accept cash.")] == [
        ("must not (prohibition)", "may (permission)")]  # fmt: skip
    assert [(f.old, f.new) for f in force_changes("The MLRO must report it.", "The MLRO should report it.")] == [
        ("must (duty)", "should (advice)")]  # fmt: skip
    got = force_changes("The MLRO must report it.", "The MLRO is expected to report it.")
    assert [(f.old, f.new) for f in got] == [("must (duty)", None)]
    # a review: "No person shall" is a prohibition, as "A person must not" is; "shall mean",
    # "shall apply" and "shall come into force" are no duty
    for before, after in (
        ("A person must not carry on a Regulated Activity.", "No person shall carry on a Regulated Activity."),
        ("No person shall carry on a Regulated Activity.", "No person may carry on a Regulated Activity."),
        ('"Client" shall mean a Person to whom a firm provides a service.',
         '"Client" means a Person to whom a firm provides a service.'),
        ("This Rule shall apply to every Authorised Person.", "This Rule applies to every Authorised Person."),
        ("This Rule shall come into force on 1 January 2024.", "This Rule comes into force on 1 January 2024."),
    ):  # fmt: skip
        assert not force_changes(before, after), (before, after)
    # a duty dropped is a change; a "may" dropped in a rewording, a figure changed, a sentence
    # added, and guidance's "should" written "are expected to" are not
    assert [(f.old, f.new) for f in force_changes("Firms must keep records.", "Firms keep records.")] == [
        ("must (duty)", None)]  # fmt: skip
    assert not force_changes("Firms must manage risks that may arise from eKYC.",
                             "Firms must manage risks arising from eKYC.")  # fmt: skip
    assert not force_changes(
        "Firms must keep records for six years.", "Firms must keep records for ten years."
    )
    assert not force_changes(
        "Firms must keep records.", "Firms must keep records. They may destroy copies."
    )
    # a duty added or removed whole is one (a change tracker's trial, thirty-eighth session:
    # a new "must notify ... within 5 Business Days" sentence showed only its figure); a rewrite
    # that keeps the count of duties is not
    got = force_changes("Firms must keep records.", "Firms must keep records. The firm must "
                        "notify the Regulator of any change within 5 Business Days.")  # fmt: skip
    assert [(f.old, f.new) for f in got] == [(None, "must (duty)")]
    got = force_changes(
        "Firms must keep records. They must not destroy them.", "Firms must keep records."
    )
    assert [(f.old, f.new) for f in got] == [("must not (prohibition)", None)]
    # a rewritten duty beside a paired must -> may is no duty removed (a review)
    got = force_changes("A firm must keep records of every transaction. The firm must notify the "
                        "Regulator of a breach within 5 days.", "A firm may keep records of every "
                        "transaction. Notice of any breach shall be given by the firm to the "
                        "Regulator no later than 5 days after it occurs.")  # fmt: skip
    assert [(f.old, f.new) for f in got] == [("must (duty)", "may (permission)")]
    assert not force_changes("Firms must keep full records of every client order received.",
                             "Each order that a client places with the firm must be recorded "
                             "in full.")  # fmt: skip
    assert not force_changes("Relevant Persons should consider these Chapters.",
                             "Relevant Persons are expected to consider these Chapters.")  # fmt: skip


def test_a_punctuation_only_amendment_is_marked_editorial(tmp_path: Path) -> None:
    """A consultant's trial (twenty-fourth session): "Legislation (including ... Sanctions)" ->
    "Legislation, including ... Sanctions," read as a plain amendment, among changes of law."""
    old, _, _ = digest_versions()
    assert "must also appoint a deputy MLRO" in old
    new = old.replace('version: "2024-01-01"', 'version: "2025-07-01"').replace(
        "must also appoint a deputy MLRO", "must also appoint a Deputy MLRO,")  # fmt: skip
    report = compare_versions(_index_two(tmp_path, old, new), "AML")
    (c,) = report.changes
    assert c.kind == "amended" and c.editorial and c.shown_kind == "amended (editorial)"
    assert "1 of the amendments editorial" in to_text(report)
    assert json.loads(to_json(report))["changes"][0]["editorial"] is True
    # a word changed is not editorial, nor is a changed modal
    for words in ("must also appoint an acting MLRO", "may also appoint a deputy MLRO"):
        new = old.replace('version: "2024-01-01"', 'version: "2025-07-01"').replace(
            "must also appoint a deputy MLRO", words)  # fmt: skip
        (tmp_path / "again").mkdir(exist_ok=True)
        (c,) = compare_versions(
            _index_two(Path(tempfile.mkdtemp(dir=tmp_path / "again")), old, new), "AML"
        ).changes
        assert not c.editorial and c.shown_kind == "amended", words


def test_the_force_change_is_in_every_report_format(tmp_path: Path) -> None:
    old, _, _ = digest_versions()
    new = old.replace('version: "2024-01-01"', 'version: "2025-07-01"').replace(
        "must also appoint", "may also appoint")  # fmt: skip
    report = compare_versions(_index_two(tmp_path, old, new), "AML")
    assert [c.ref for c in report.changes] == ["AML 13.1.2"]
    assert "[obligation: must (duty) -> may (permission)]" in to_text(report)
    assert "| must (duty) -> may (permission) |" in to_markdown(report)
    assert "<td>must (duty) -&gt; may (permission)</td>" in to_html(report)
    assert json.loads(to_json(report))["changes"][0]["force"] == [
        {"kind": "obligation", "old": "must (duty)", "new": "may (permission)"}]  # fmt: skip


@pytest.mark.skipif(
    not ADGM_AML.exists(), reason=f"real ADGM rulebooks not found at {ADGM_AML.parent}"
)
def test_force_changes_on_the_real_aml_rulebook() -> None:
    """Every real AML paragraph with a "must": its first "must" made "may" is found as exactly
    that change, and a light edit elsewhere (a comma dropped, "the" made "a") finds nothing."""
    paras = [" ".join(line.split("\t")[-1].split())
             for line in ADGM_AML.read_text(encoding="utf-8").splitlines() if len(line.split()) > 8]  # fmt: skip
    musts = [p for p in paras if re.search(r"\bmust\b(?! not)", p)]
    assert len(musts) > 100
    for p in musts:
        assert not force_changes(p, p.replace(", ", " ", 1).replace(" the ", " a ", 1)), p
        flipped = re.sub(r"\bmust\b(?! not)", "may", p, count=1)
        got = [(f.old, f.new) for f in force_changes(p, flipped)]
        assert [(o and o.split(" (")[0].lower(), n) for o, n in got] == [
            ("must", "may (permission)")
        ], (p, got)


@pytest.mark.integration
def test_cli_changes_with_policy(tmp_path: Path) -> None:
    old, new, _ = digest_versions()
    for name, text in (("aml-2024.md", old), ("aml-2025.md", new)):
        (tmp_path / name).write_text(text)
    env = {"REGASSIST_EMBEDDING_MODEL": "fake:hashing", "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "assistant.cli", *a, "--data-dir", str(tmp_path / "d")],  # noqa: E731
                                    capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)  # fmt: skip
    assert (
        run("ingest", str(tmp_path / "aml-2024.md"), str(tmp_path / "aml-2025.md")).returncode == 0
    )
    res = run("changes", "AML", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["counts"] == {"added": 1, "amended": 2, "repealed": 1, "renumbered": 5}
    text = run("changes", "AML", "--from", "2024-06-01", "--to", "2025-07-01").stdout
    assert "[-1,000-]" in text and "{+3,000+}" in text and "AML 14.5.1 -> AML 15.5.1" in text
    html = run("changes", "AML", "--format", "html").stdout
    assert "<del>" in html and "<ins>" in html
    bad = run("changes", "AML", "--to", "2023-01-01")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    impact = run("changes", "AML", "--policy", str(STEPPE))
    assert "Impact on" in impact.stdout


RECORDS = ("Record keeping: six years Records must be kept for at least {} years from the end of the "
           "business relationship. Retention periods of other jurisdictions (for example ten years or "
           "five years) are not AIFC law.")  # fmt: skip


@pytest.mark.parametrize("new", ["eight", "five"])
def test_figure_found_when_the_same_value_is_written_elsewhere(new: str) -> None:
    # the heading keeps "six years" and the text already names "five years": neither may hide
    # that the rule's own period moved
    changes = figure_changes(RECORDS.format("six"), RECORDS.format(new))
    assert [(f.kind, f.old, f.new) for f in changes] == [
        ("duration", "at least six years", f"at least {new} years")
    ]
    assert figure_changes(RECORDS.format("six"), RECORDS.format("six")) == []


def _one_change_report(changes: list[Change], impact: list[Impact] | None = None) -> ChangeReport:
    v1 = Version("a", "AML", "rules", "2024-01-01", "AML 2024", "aml-2024.md")
    v2 = Version("b", "AML", "rules", "2025-07-01", "AML 2025", "aml-2025.md")
    return ChangeReport("AML", v1, v2, changes, impact or [], "draft.md" if impact else None)


def test_added_text_is_shown_without_markdown_heading_marks() -> None:
    stored = "## AML 11-1.3 Travel rule\n\nA DASP must verify the owner of a self-hosted wallet."
    added = Change("added", "AML 11-1.3", False, None, "", stored)
    report = _one_change_report([added])
    for render in (to_text, to_markdown, to_html):
        out = render(report)
        assert "AML 11-1.3 Travel rule A DASP must verify" in out and "##" not in out, out
    assert json.loads(to_json(report))["changes"][0]["new_text"] == stored  # stored text kept


def test_impact_counts_only_status_changes() -> None:
    amended = Change("amended", "AML 14.5.1", False, "AML 14.5.1",
                     figures=[FigureChange("duration", "at least six years", "at least eight years")])  # fmt: skip
    same = Impact(amended.label, "amended", "keep records", "AML 14.5.1", "conflicting", "conflicting",
                  "draft: five years is shorter", figures="at least six years -> at least eight years")  # fmt: skip
    worse = Impact(
        "AML 13.7", "amended", "file the return", "AML 13.7", "covered", "conflicting", "later"
    )
    report = _one_change_report([amended], [same, worse])
    text = to_text(report)
    assert "1 finding(s) change status" in text, text
    assert "conflicting -> conflicting" not in text, text
    assert "still conflicting" in text and "at least six years -> at least eight years" in text, (
        text
    )
    assert "covered -> conflicting" in text
    assert not same.status_changed and worse.status_changed
    assert json.loads(to_json(report))["impact"][0]["status_changed"] is False
    for render in (to_markdown, to_html):
        out = render(report)
        assert "1 finding(s) change status" in out and "still conflicting" in out, out


def test_reversed_dates_are_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    with pytest.raises(UsageError, match="--from 2025-07-01 is later than --to 2024-01-01"):
        compare_versions(index, "AML", "2025-07-01", "2024-01-01")
    res = CliRunner().invoke(main, ["changes", "AML", "--from", "2025-07-01", "--to", "2024-01-01",
                                    "--data-dir", str(index.settings.data_dir)])  # fmt: skip
    assert res.exit_code == 2, res.output
    assert "later than --to" in res.output and "REPEALED" not in res.output
    # a date before every version is said so, and a pair of dates in one version (a change
    # tracker's trial, thirty-eighth session: "no two different versions ... --to -")
    with pytest.raises(UsageError, match="no version of AML was in force on --from 2019-01-01"):
        compare_versions(index, "AML", "2019-01-01")
    with pytest.raises(UsageError, match="--from 2024-02-01 and --to 2024-03-01 fall in one "
                                         "version of AML"):  # fmt: skip
        compare_versions(index, "AML", "2024-02-01", "2024-03-01")
    with pytest.raises(UsageError, match="no version of AML came before the one in force on --to "
                                         "2024-06-01"):  # fmt: skip
        compare_versions(index, "AML", None, "2024-06-01")


def test_a_misspelt_rulebook_names_the_indexed_ones(tmp_path: Path) -> None:
    """A consultant's trial (2026-12-05): `changes AMLL` said "rulebook AMLL has 0 indexed
    version(s)" and told the user to ingest another version."""
    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    with pytest.raises(UsageError) as info:
        compare_versions(index, "AMLL")
    assert "no indexed document belongs to rulebook 'AMLL'" in str(info.value)
    assert "indexed rulebooks: AML" in str(info.value.hint), info.value.hint


def test_a_threshold_that_became_exclusive_is_a_figure_change() -> None:
    """A consultant's trial (2026-12-05): AML 6.1.1(a-a) going from "USD 1,000 or more" to "more
    than USD 1,000" was AMENDED with no figure change, though USD 1,000 itself no longer needs CDD."""
    from assistant.changes.diff import figure_changes

    [fc] = figure_changes("CDD for a transaction of USD 1,000 or more.",
                          "CDD for a transaction of more than USD 1,000.")  # fmt: skip
    assert (fc.old, fc.new) == ("USD 1,000 or more", "more than USD 1,000")
    assert figure_changes("at least USD 1,000", "not less than USD 1,000") == []  # same bound
    assert figure_changes("up to 5 days", "not more than 5 days") == []
    # (a review: drafting's other forms of one bound are no change, a range's second bound word
    # is not the first figure's, and an old side is shown with its bound words)
    for a, b in (("a minimum of USD 5,000", "at least USD 5,000"), ("a minimum of USD 5,000",
                 "USD 5,000 or more"), ("a maximum of 10%", "up to 10%"), ("exceeds USD 1,000",
                 "is more than USD 1,000"), ("more than USD 1,000 but less than USD 5,000",
                 "above USD 1,000 and below USD 5,000")):  # fmt: skip
        assert figure_changes(a, b) == [], (a, b)
    [inc] = figure_changes("up to and including USD 500", "less than USD 500")
    assert (inc.old, inc.new) == ("up to and including USD 500", "less than USD 500")


def test_a_figure_written_twice_in_one_version_is_not_a_change() -> None:
    # review finding: matching one for one reported "USD 1,000 -> (none)" for a repeated figure
    assert figure_changes("Fee USD 1,000. Fee USD 1,000.", "Fee USD 1,000.") == []
    assert figure_changes("Fee USD 1,000.", "Fee USD 1,000. Fee USD 1,000.") == []
    [moved] = figure_changes("A fee of USD 1,000. Again USD 1,000.", "A fee of USD 3,000.")
    assert (moved.old, moved.new) == ("USD 1,000", "USD 3,000")


def test_a_clause_that_implemented_a_repealed_rule_is_listed(tmp_path: Path) -> None:
    """Found by a new user in a real browser (2026-12-04): the impact table left out the draft
    clause that implemented the deputy MLRO duty the new version repealed; only rules the draft
    fell short of were listed."""
    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    report = compare_versions(index, "AML")
    assert any(c.kind == "repealed" and c.ref == "AML 6.1.2" for c in report.changes)
    draft = tmp_path / "sdd.md"
    draft.write_text("# Customer due diligence\n\n5.3 Simplified due diligence is never used in "
                     "high-risk scenarios or where money laundering is suspected.\n")  # fmt: skip
    impact = policy_impact(index, report, draft, index.settings)
    repealed = [i for i in impact if i.kind == "repealed" and i.ref == "AML 6.1.2"]
    assert repealed and repealed[0].before == "covered" and repealed[0].after is None, impact
    assert repealed[0].reason == "the rule is repealed; clause 5.3 implemented it"


def test_a_clause_that_implemented_a_duty_an_amendment_removed_is_listed(tmp_path: Path) -> None:
    """A consultant's trial (2026-12-05): AML 13.1.2 amended from "must also appoint" a deputy
    to "may also appoint" left the draft clause that appointed one out of the impact report;
    only a repeal listed such a clause."""
    old, _, _ = digest_versions()
    assert "must also appoint" in old
    new = old.replace('version: "2024-01-01"', 'version: "2025-07-01"').replace(
        "must also appoint", "may also appoint")  # fmt: skip
    index = _index_two(tmp_path, old, new)
    report = compare_versions(index, "AML")
    assert [c.ref for c in report.changes] == ["AML 13.1.2"], report.changes
    draft = tmp_path / "deputy.md"
    draft.write_text("# Governance\n\n3.1 The Company appoints a deputy MLRO who acts for the "
                     "MLRO in the MLRO's absence.\n")  # fmt: skip
    impact = policy_impact(index, report, draft, index.settings)
    gone = [i for i in impact if i.ref == "AML 13.1.2" and i.after is None]
    assert gone and gone[0].before == "covered", impact
    assert gone[0].reason == "the rule no longer imposes this; clause 3.1 implemented it"


def test_a_rule_moved_under_its_own_title_with_words_changed_is_renumbered() -> None:
    """A consultant's trial (2026-12-05): AML 14.5.2 moved to 14.5.5 with "approved by senior
    management" added (similarity 74) was reported as repealed and added."""
    old = {("AML 14.5.2", False): Rule("AML 14.5.2", False, "## AML 14.5.2 Risk assessment "
                                       "records\nRisk assessments must be documented and kept.", False),
           ("AML 14.5.3", False): Rule("AML 14.5.3", False, "## AML 14.5.3 Training\nStaff must "
                                       "be trained every year.", False)}  # fmt: skip
    new = {("AML 14.5.5", False): Rule("AML 14.5.5", False, "## AML 14.5.5 Risk assessment "
                                       "records\nRisk assessments must be documented, approved by "
                                       "senior management and kept.", False),
           ("AML 14.5.3", False): old[("AML 14.5.3", False)]}  # fmt: skip
    [ch] = compare(old, new)
    assert (ch.kind, ch.old_ref, ch.ref) == ("renumbered", "AML 14.5.2", "AML 14.5.5"), ch
    # another title is another rule, however alike the words
    new2 = {("AML 14.5.5", False): Rule("AML 14.5.5", False, "## AML 14.5.5 Board approval\n"
                                        "Risk assessments must be approved by the board.", False),
            ("AML 14.5.3", False): old[("AML 14.5.3", False)]}  # fmt: skip
    assert sorted(c.kind for c in compare(old, new2)) == ["added", "repealed"]
    # (a review) a one-word title stands in every chapter: no evidence of a move
    app_old = {
        ("AML 3.1", False): Rule(
            "AML 3.1",
            False,
            "## AML 3.1 Application\nThis chapter "
            "applies to every Relevant Person that carries on Digital Asset transfers.",
            False,
        )
    }
    app_new = {("AML 9.1", False): Rule("AML 9.1", False, "## AML 9.1 Application\nThis chapter "
               "applies to every Relevant Person that carries on sanctions screening.", False)}  # fmt: skip
    assert sorted(c.kind for c in compare(app_old, app_new)) == ["added", "repealed"]


def test_review_two_duties_merged_into_one_sentence_are_still_imposed() -> None:
    """A review (2026-12-05): AML 12.1.2's two "must" sentences merged into one left the second
    unpaired, and `changes --policy` said the freezing duty was no longer imposed."""
    from assistant.changes.service import _still_imposed

    old = "Assets must be frozen without delay and without prior notice."
    new = ["Assets must be frozen without delay and without prior notice, and the frozen assets "
           "are reported to the FIU, with the AFSA notified immediately."]  # fmt: skip
    assert _still_imposed(old, new)
    assert not _still_imposed("An Authorised Firm must also appoint a deputy MLRO.", [])


def test_review_a_figure_that_replaced_one_written_twice_is_paired() -> None:
    """Consultant's trial, 2026-12-04: "Below USD 1,000" became "Below USD 3,000" in a rule that
    also says "USD 1,000 or more"; the report said "(none) -> USD 3,000", a threshold introduced
    rather than raised."""
    old = "Transfers of USD 1,000 or more carry full data. Below USD 1,000 only the names are sent."
    new = "Transfers of USD 1,000 or more carry full data. Below USD 3,000 only the names are sent."
    assert [(f.old, f.new) for f in figure_changes(old, new)] == [("USD 1,000", "USD 3,000")]


def test_review_a_renumbered_rule_whose_words_changed_is_shown_as_amended_too() -> None:
    """Consultant's trial: AML 12.1.3 became 12.1.4 and "immediately" became "within 24 hours";
    the report said only "renumbered"."""
    from assistant.changes.diff import Rule, compare

    body = ("A Relevant Person must report to the FIU {} after it knows or suspects that a "
            "person is engaged in money laundering, and keep a record of the report.")  # fmt: skip
    old = {
        ("AML 12.1.3", False): Rule("AML 12.1.3", False, body.format("immediately"), False, (), ())
    }
    new = {
        ("AML 12.1.4", False): Rule(
            "AML 12.1.4", False, body.format("within 24 hours"), False, (), ()
        )
    }
    [c] = compare(old, new)
    assert c.kind == "renumbered" and c.also_amended and c.shown_kind == "renumbered, amended"
    assert c.to_dict()["also_amended"] is True
    same = {
        ("AML 12.1.4", False): Rule("AML 12.1.4", False, body.format("immediately"), False, (), ())
    }
    [moved] = compare(old, same)
    assert moved.kind == "renumbered" and not moved.also_amended


def test_a_rule_whose_number_has_a_letter_is_renumbered_not_amended() -> None:
    """A consultant's trial on the real COBS (twenty-seventh session): 15.11A.1 renumbered 15.12.1,
    its words kept, was "RENUMBERED, AMENDED ... [-15.11A.1-]": the inserted rule's letter kept
    its old number in the body compared."""
    from assistant.changes.diff import Rule, compare

    text = "{} An Authorised Person must not enter into a Title Transfer Collateral Agreement."
    old = {("COBS 15.11A.1", False): Rule("COBS 15.11A.1", False, text.format("15.11A.1"), False)}
    new = {("COBS 15.12.1", False): Rule("COBS 15.12.1", False, text.format("15.12.1"), False)}
    [c] = compare(old, new)
    assert c.kind == "renumbered" and not c.also_amended, c.to_dict()


def test_a_deleted_placeholder_is_a_repeal_not_a_new_rule() -> None:
    """The same trial: "15.9.2 [Deleted]" (ADGM's placeholder) was stored as a rule in force, and
    the report listed it ADDED beside REPEALED; it is repealed, as "[intentionally omitted]"
    is (PARSER_VERSION 14), and the report lists one repeal."""
    from ingest.chunker import chunk_document
    from ingest.settings import ChunkingSettings
    from tests.test_chunker import _doc

    def rules(text: str) -> dict[tuple[str, bool], Rule]:
        return rules_of(chunk_document(_doc(text), ChunkingSettings()))

    before = rules("15.9.1 An Authorised Person must reconcile monthly.\n\n15.9.2 An Authorised "
                   "Person must avoid conflicts in reconciliation.\n")  # fmt: skip
    after = rules("15.9.1 An Authorised Person must reconcile monthly.\n\n15.9.2 [Deleted]\n")
    assert after[("AML 15.9.2", False)].repealed
    assert [(c.kind, c.ref) for c in compare(before, after)] == [("repealed", "AML 15.9.2")]


def test_two_rules_that_swap_numbers_are_renumbered_not_amended() -> None:
    """A consultant's trial (eighteenth session): DAA 4.1.1 (segregation) and DAA 4.2.1 (private
    keys) swapped numbers, text unchanged; the report showed each as "amended" into the other."""
    from assistant.changes.diff import Rule, compare

    seg = "A DASP Providing Custody must segregate Client Digital Assets from its own assets."
    keys = "A DASP Providing Custody must keep the private keys of cold wallets offline."
    old = {("DAA 4.1.1", False): Rule("DAA 4.1.1", False, "4.1.1 " + seg, False, (), ()),
           ("DAA 4.2.1", False): Rule("DAA 4.2.1", False, "4.2.1 " + keys, False, (), ())}  # fmt: skip
    new = {("DAA 4.1.1", False): Rule("DAA 4.1.1", False, "4.1.1 " + keys, False, (), ()),
           ("DAA 4.2.1", False): Rule("DAA 4.2.1", False, "4.2.1 " + seg, False, (), ())}  # fmt: skip
    got = {(c.kind, c.old_ref, c.ref, c.also_amended) for c in compare(old, new)}
    assert got == {("renumbered", "DAA 4.1.1", "DAA 4.2.1", False),
                   ("renumbered", "DAA 4.2.1", "DAA 4.1.1", False)}  # fmt: skip
    # one moved onto the number of another that was amended in place stays as it was read
    amended = {("DAA 4.1.1", False): Rule("DAA 4.1.1", False, "4.1.1 " + seg.replace("its own", "the firm's"), False, (), ()),
               ("DAA 4.2.1", False): Rule("DAA 4.2.1", False, "4.2.1 " + keys, False, (), ())}  # fmt: skip
    assert {c.kind for c in compare(old, amended)} == {"amended"}


def test_a_partial_finding_is_listed_when_its_rules_figure_moved() -> None:
    """A consultant's trial (twenty-fourth session): a draft clause "partial" for not naming the
    MLRO, with the same reason under both versions, was not listed when the rule's retention
    period went from six years to five; the README promised it, counted apart."""
    from assistant.changes.service import _refigured

    why = "clause 3.2 addresses the topic, but does not name: MLRO"
    assert _refigured(True, "partial", why, "partial", why)
    assert _refigured(True, "conflicting", "short", "conflicting", "short")
    assert not _refigured(False, "partial", why, "partial", why)  # no figure moved
    assert not _refigured(True, "missing", "none", "missing", "none")  # nothing addresses it
    assert _refigured(True, "missing", "none", "missing", "none at 5")  # as before: reason moved
    assert not _refigured(True, "covered", "ok", "covered", "ok")
    assert not _refigured(True, None, None, "partial", why)  # new obligation: listed elsewhere


def test_a_long_repealed_rule_is_cut_at_a_word_and_marked() -> None:
    """A consultant's trial (twenty-fourth session): a repealed rule's text in the text report
    ended "... (b) where such legislation exist", cut mid-word at 300 characters, read as the
    rule's words."""
    old = "A Relevant Person must, where such legislation exists, obtain copies. " * 8
    gone = Change("repealed", "AML 4.5.6", False, "AML 4.5.6", old, "")
    report = _one_change_report([gone])
    for render in (to_text, to_markdown):
        out = render(report)
        line = next(ln for ln in out.splitlines() if "A Relevant Person must" in ln)
        assert line.rstrip(" |").endswith(" …"), line
        assert "exist " not in line.rstrip(" |")[-12:], line
    assert json.loads(to_json(report))["changes"][0]["old_text"] == old  # whole in JSON


def test_an_obligation_whose_own_text_did_not_change_figure_is_not_listed(tmp_path: Path) -> None:
    """A review (twenty-fourth session): the retention period of 8.2.1(1) went from six years to
    five, and 8.2.1(2), an MLRO duty beside it, was listed "still partial (rule figure at least
    six years -> at least five years)" against a clause on the MLRO. A finding is listed for a
    moved figure only where the figure is in its own obligation's text."""
    rule = ("# AML Anti-Money Laundering Rules\n\n## 8.2 Record keeping\n\n8.2.1 (1) A Relevant "
            "Person must keep records of all transactions for at least {n} years from the date of "
            "the transaction.\n(2) A Relevant Person must appoint a Money Laundering Reporting "
            "Officer who is resident in the AIFC and must notify the AFSA of the appointment "
            "within 10 business days.\n(3) A Relevant Person must keep each annual AML report "
            "for at least six years.\n")  # fmt: skip
    old = '---\nkind: rules\nrulebook: AML\nversion: "2024-01-01"\n---\n' + rule.format(n="six")
    new = '---\nkind: rules\nrulebook: AML\nversion: "2025-01-01"\n---\n' + rule.format(n="five")
    index = _index_two(tmp_path, old, new)
    report = compare_versions(index, "AML")
    assert [c.ref for c in report.changes if c.figures] == ["AML 8.2.1"], report.changes
    draft = tmp_path / "draft.md"
    draft.write_text("# AML Policy\n\n## 2. MLRO\n2.1 The Firm appoints a Money Laundering "
                     "Reporting Officer.\n")  # fmt: skip
    impact = policy_impact(index, report, draft, index.settings)
    assert not [i for i in impact if "appoint" in i.obligation], [i.to_dict() for i in impact]
    # (3) keeps its six years while (1)'s became five: (3) is not listed as moved, (1) is (a
    # change tracker's trial, thirty-eighth session)
    draft.write_text("# Record Policy\n\n## 1. Records\n1.1 The Firm keeps records of all "
                     "transactions for three years.\n1.2 The Firm keeps each annual AML report for "
                     "three years.\n")  # fmt: skip
    impact = policy_impact(index, report, draft, index.settings)
    assert not [i for i in impact if "annual AML report" in i.obligation], [
        i.to_dict() for i in impact
    ]
    assert [i for i in impact if "records of all transactions" in i.obligation], [
        i.to_dict() for i in impact
    ]


def test_a_report_names_another_regimes_rulebook_and_a_marked_repeal_and_cuts_long_diffs() -> None:
    """A change tracker's trial on the real AML (twenty-ninth session): a report on ADGM's AML
    indexed beside the AIFC's never said whose it was; a rule kept as "[Intentionally omitted]"
    and one removed outright were both plain REPEALED; a USD 15,000 -> 10,000 amendment printed
    the whole 2,900 characters of AML 8.1.1."""
    v1 = Version("a", "AML", "rules", "2021-12-23", "AML VER09", "aml-09.txt")
    v2 = Version("b", "AML", "rules", "2023-06-01", "AML VER10", "aml-10.txt")
    omitted = Change("repealed", "AML 15.1.2", False, "AML 15.1.2", "15.1.2 The Regulator may "
                     "delegate its powers.", "15.1.2 [Intentionally omitted]")  # fmt: skip
    removed = Change("repealed", "AML 14.3.3", False, "AML 14.3.3", "14.3.3 A firm must record it.")
    filler = " ".join(f"word{i}" for i in range(60))
    old = f"8.1.1.(1) A firm must: (a) {filler} (b) carries out a Transaction of USD15,000; (c) {filler}"
    new = old.replace("USD15,000", "USD10,000")
    amended = Change(
        "amended", "AML 8.1.1", False, "AML 8.1.1", old, new, 99.0, word_diff(old, new)
    )
    report = ChangeReport("AML", v1, v2, [amended, omitted, removed], regime="ADGM")
    text = to_text(report)
    assert text.startswith("ADGM AML: 2021-12-23"), text
    assert "REPEALED (NUMBER KEPT) AML 15.1.2" in text and "REPEALED    AML 14.3.3" in text
    line = next(ln for ln in text.splitlines() if "[-USD15,000;-]" in ln)
    # the paragraph and the item the change stands in are named; the words far from it are not
    assert line.strip().startswith("8.1.1.(1) … word54") and "word30 " not in line, line
    assert len(line) < 400, line
    # (a review) a label right after the words kept before it follows them without a "…"
    near = (
        "A "
        + " ".join(f"w{i}" for i in range(12))
        + "; (b) "
        + " ".join(f"x{i}" for i in range(40))
        + " B"
    )
    diff = word_diff(near, near.replace("A ", "AA ", 1).replace(" B", " BB"))
    shown = to_text(ChangeReport("AML", v1, v2, [Change("amended", "AML 1.1", False, "AML 1.1",
                                                       near, near, 99.0, diff)]))  # fmt: skip
    assert "w11; (b) …" in shown and "w11; … (b)" not in shown, shown
    # a cross-reference is no item's label: "(a), (b) or (c) above" does not name the item
    xref = ("1.1.(1) A firm must: (a) keep " + " ".join(f"y{i}" for i in range(20))
            + " in relation to (a), (b) or (c) above " + " ".join(f"z{i}" for i in range(20))
            + " USD15,000.")  # fmt: skip
    diff = word_diff(xref, xref.replace("USD15,000", "USD10,000"))
    shown = to_text(ChangeReport("AML", v1, v2, [Change("amended", "AML 1.1", False, "AML 1.1",
                                                       xref, xref, 99.0, diff)]))  # fmt: skip
    assert "1.1.(1) … (a) …" in shown and "(c) …" not in shown, shown
    assert to_markdown(report).startswith("# Changes in ADGM AML")
    assert json.loads(to_json(report))["regime"] == "ADGM"
    assert "<h1>Changes in ADGM AML</h1>" in to_html(report)
    assert word_diff(old, new) == amended.diff and "word5 " in " ".join(w for _, w in amended.diff)
    # the AIFC's own rulebook is named as before
    assert to_text(_one_change_report([removed])).startswith("AML: 2024-01-01")


def test_cli_changes_and_docs_keep_regimes_apart(tmp_path: Path) -> None:
    """The same trial: `docs` listed ADGM's two AML versions and the AIFC digest's as three
    versions of one AML; `changes AML` compared the ADGM pair without saying so, and had no way
    to pick a regime."""
    env = {"REGASSIST_EMBEDDING_MODEL": "fake:hashing", "REGASSIST_DATA_DIR": str(tmp_path / "d")}
    cli = CliRunner()
    for folder, day, years in (("v1", "2021-12-23", "six"), ("v2", "2023-06-01", "eight")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "aml.md").write_text(
            f"# ADGM Anti Money Laundering Rules (AML)\n\n## AML 13.3.2 Training records\n\n"
            f"These records must be kept for at least {years} years from the date of the training.\n"
        )
        res = cli.invoke(main, ["ingest", str(tmp_path / folder / "aml.md"), "--jurisdiction",
                                "ADGM", "--rulebook", "AML", "--kind", "rules",
                                "--version-date", day], env=env)  # fmt: skip
        assert res.exit_code == 0, res.output
    res = cli.invoke(main, ["ingest", str(CORPUS / "aifc" / "aml.md")], env=env)
    assert res.exit_code == 0, res.output
    docs = cli.invoke(main, ["docs"], env=env).output
    assert "ADGM AML (--jurisdiction ADGM): 2021-12-23" in docs, docs
    assert not re.search(r"^  AML: ", docs, re.M), docs  # the digest's one version is listed alone
    text = cli.invoke(main, ["changes", "AML"], env=env).output
    assert text.startswith("ADGM AML: 2021-12-23"), text
    picked = cli.invoke(
        main, ["changes", "AML", "--jurisdiction", "adgm", "--format", "json"], env=env
    )
    assert picked.exit_code == 0 and json.loads(picked.output)["regime"] == "ADGM", picked.output
    aifc = cli.invoke(main, ["changes", "AML", "--jurisdiction", "aifc"], env=env)
    assert aifc.exit_code == 2 and "has 1 indexed version(s)" in aifc.output, aifc.output
    none = cli.invoke(main, ["changes", "AML", "--jurisdiction", "VARA"], env=env)
    assert none.exit_code == 2 and "no VARA text of rulebook AML" in none.output, none.output
    assert "ADGM (2 version(s))" in none.output


def test_a_clause_citing_a_renumbered_or_repealed_rule_by_its_old_number_is_listed(
    tmp_path: Path,
) -> None:
    """A change tracker's trial (thirty-eighth session): a clause citing "CIB 2.3.8", which the
    new version numbers 2.3.11, and one resting on the repealed 1.3.3 were not listed."""
    head = '---\nkind: rules\nrulebook: AML\nversion: "{v}"\n---\n# AML Anti-Money Laundering Rules\n\n'
    old = head.format(v="2024-01-01") + (
        "## 3.1 Scope\n\n3.1.1 A person that is not a company may not be a Relevant Person.\n\n"
        "## 8.2 Records\n\n8.2.1 A Relevant Person must keep records of every transaction.\n\n"
        "8.2.2 A Relevant Person must file an annual report on its sanctions screening systems "
        "with the AFSA.\n\n8.2.3 A Relevant Person must keep its sanctions screening logs for at "
        "least six years.\n"
    )  # fmt: skip
    new = head.format(v="2025-01-01") + (
        "## 3.1 Scope\n\n3.1.1 [intentionally omitted]\n\n"
        "## 8.2 Records\n\n8.2.1 A Relevant Person must keep records of every transaction.\n\n"
        "8.2.5 A Relevant Person must file an annual report on its sanctions screening systems "
        "with the AFSA.\n\n8.2.6 A Relevant Person must keep its sanctions screening logs for at "
        "least ten years.\n"
    )  # fmt: skip
    index = _index_two(tmp_path, old, new)
    report = compare_versions(index, "AML")
    assert {(c.kind, c.old_ref, c.ref) for c in report.changes} >= {
        ("renumbered", "AML 8.2.2", "AML 8.2.5"), ("repealed", "AML 3.1.1", "AML 3.1.1")
    }, report.changes  # fmt: skip
    draft = tmp_path / "draft.md"
    draft.write_text("# Sanctions Policy\n\n## 1. Reports\n1.1 We send the Board our sanctions "
                     "dashboard, as AML 8.2.2 requires.\n1.2 The Board sets our yearly training plan "
                     "(see AML 3.1.1).\n1.3 We keep records of every transaction (AML 8.2.1).\n1.4 We keep "
                     "our sanctions screening logs for six years (AML 8.2.3).\n")  # fmt: skip
    impact = policy_impact(index, report, draft, index.settings)
    stale = {(i.ref, i.clause): i for i in impact if i.after == "out of date"}
    assert set(stale) == {("AML 8.2.2", "clause 1.1"), ("AML 3.1.1", "clause 1.2")}, [
        i.to_dict() for i in impact
    ]
    # a renumbered and amended rule whose finding lists the clause under the new number is not
    # listed again under the old (a review)
    assert not [i for i in impact if i.clause == "clause 1.4" and i.after == "out of date"], [
        i.to_dict() for i in impact
    ]
    assert stale["AML 8.2.2", "clause 1.1"].reason == (
        "clause 1.1 cites AML 8.2.2; the 2025-01-01 version numbers that rule AML 8.2.5"
    )
    assert stale["AML 3.1.1", "clause 1.2"].reason.endswith("the 2025-01-01 version repeals it")
    report.impact, report.policy = impact, "draft.md"
    assert "cited -> out of date: clause 1.1 cites AML 8.2.2" in to_text(report)


def test_a_clause_citing_a_repealed_section_by_its_number_is_listed() -> None:
    """A review (thirty-eighth session): a statute's section cited "FSFR s.13" was read as
    "FSFR 13" and never met the change's "FSFR s.13"."""
    from assistant.changes.service import _stale_citations
    from assistant.policy.checker import Clause

    v1 = Version("a", "FSFR", "rules", "2021-01-01", "FSFR", "fsfr-1.txt")
    v2 = Version("b", "FSFR", "rules", "2024-01-01", "FSFR", "fsfr-2.txt")
    gone = Change("repealed", "FSFR s.13", False, "FSFR s.13", "13. The AFSA may ...",
                  "13. [intentionally omitted]")  # fmt: skip
    report = ChangeReport("FSFR", v1, v2, [gone])
    clause = Clause(
        "4.2", None, "Our licence conditions follow the AFSA's powers (see FSFR s.13).", "c"
    )
    [stale] = _stale_citations(report, [clause], [])
    assert (stale.ref, stale.clause, stale.after) == ("FSFR s.13", "clause 4.2", "out of date")
