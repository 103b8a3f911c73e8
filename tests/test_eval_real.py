"""The ADGM track (real rulebook text): trec_eval metrics on hand-computed examples, the tune/check
guard, gate directions, the "real text" report section, and (slow) the CI slice with the real
bundled model: its gate passes, and a degraded configuration (dense only) makes it fail."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.gate import THRESHOLDS, Threshold, check, load_suite, lower_is_better, parse_override
from evals.real import adgm, trec
from evals.real.splits import SplitViolation, require_tune, split_of
from evals.real.track import AdgmRun, QuestionRow, Retrieved, Selection, aggregate, auc, run_track

ROOT = Path(__file__).resolve().parent.parent
OBLIQA = adgm.data_dir()
HAVE_DATA = (OBLIQA / "questions-dev.json").is_file() and (OBLIQA / "passages").is_dir()
needs_data = pytest.mark.skipif(
    not HAVE_DATA,
    reason=f"ADGM (ObliQA) data not found in {OBLIQA}: put it there or set {adgm.ENV_VAR}",
)


# ---- trec_eval definitions, on examples worked by hand ------------------------------------------


def test_metrics_on_a_hand_computed_ranking() -> None:
    # relevant a, b, z; retrieved a at rank 1, b at rank 3, z never.
    ranked = ["a", "x", "b", "y"]
    rel = {"a", "b", "z"}
    assert trec.recall_at(ranked, rel, 10) == pytest.approx(2 / 3)
    # AP: (P@1 + P@3) / |relevant| = (1 + 2/3) / 3
    assert trec.average_precision_at(ranked, rel, 10) == pytest.approx((1 + 2 / 3) / 3)
    # DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) + 1/log2(4)
    assert trec.ndcg_at(ranked, rel, 10) == pytest.approx(1.5 / (1.5 + 1 / math.log2(3)))
    assert trec.reciprocal_rank_at(ranked, rel, 10) == 1.0


def test_metrics_respect_the_cut_off_and_count_every_relevant_passage() -> None:
    ranked = [f"n{i}" for i in range(10)] + ["a"]  # the only relevant one is at rank 11
    assert trec.per_query(ranked, {"a"}, 10) == {
        "recall@10": 0.0,
        "map@10": 0.0,
        "ndcg@10": 0.0,
        "mrr@10": 0.0,
    }
    assert trec.reciprocal_rank_at(["x", "y", "a"], {"a"}, 10) == pytest.approx(1 / 3)
    # 12 relevant, the top 10 all relevant: recall and AP divide by 12, nDCG's ideal has only 10.
    rel = {f"r{i}" for i in range(12)}
    top = sorted(rel)[:10]
    assert trec.recall_at(top, rel, 10) == pytest.approx(10 / 12)
    assert trec.average_precision_at(top, rel, 10) == pytest.approx(10 / 12)
    assert trec.ndcg_at(top, rel, 10) == pytest.approx(1.0)
    # a docid listed twice counts once, at its first rank (trec_eval refuses duplicates), so b is 2nd
    assert trec.average_precision_at(["a", "a", "b"], {"a", "b"}, 10) == 1.0
    assert trec.recall_at(["a", "a", "a"], {"a", "b"}, 10) == 0.5
    # second relevant at rank 2: AP (1 + 1) / 2 = 1; nDCG 1
    assert trec.average_precision_at(["a", "b"], {"a", "b"}, 10) == 1.0
    # relevant only at rank 2: nDCG = (1/log2 3) / 1
    assert trec.ndcg_at(["x", "a"], {"a"}, 10) == pytest.approx(1 / math.log2(3))


def test_evaluate_averages_over_the_qrels_queries() -> None:
    qrels = {"q1": {"a"}, "q2": {"b"}, "q3": set()}
    run = {"q1": ["a"], "q3": ["c"]}  # q2 retrieved nothing: 0; q3 has no relevant: not scored
    out = trec.evaluate(run, qrels)
    assert out == {"recall@10": 0.5, "map@10": 0.5, "ndcg@10": 0.5, "mrr@10": 0.5}
    with pytest.raises(ValueError):
        trec.recall_at(["a"], set(), 10)


def test_auc_is_rank_based() -> None:
    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auc([0.1], [0.9]) == 0.0
    assert auc([0.5, 0.5], [0.5]) == 0.5  # ties count half
    assert auc([0.3, 0.7], [0.5]) == 0.5  # one pair won, one lost
    assert auc([], [0.1]) is None


def test_passages_round_trip_through_the_jsonl_loader(tmp_path: Path) -> None:
    """Record id = passage ID, ref = PassageID, text verbatim, even for Word symbol-font glyphs
    (ADGM MKT is mostly U+F0FC among its non-ASCII characters); empty passages are left out."""
    from ingest.loaders import load

    ps = [
        adgm.Passage(
            "id-1",
            11,
            "1.2.3.(1)",
            "A Person must \uf0fc comply \uf0fc with \uf0fc Rule 1.2.1 \u2013 fully.",
        ),
        adgm.Passage("id-2", 11, "1.2.3.Guidance.1.", "Guidance text with \u201cquotes\u201d."),
        adgm.Passage("id-3", 11, "1.2.4", "   "),
    ]
    (path,) = adgm.write_jsonl(tmp_path, ps, [11])
    assert path.name == "adgm-doc-11.jsonl"
    doc = load(path)
    assert [(r.id, r.ref, r.text) for r in doc.records] == [(p.id, p.ref, p.text) for p in ps[:2]]
    mtime = path.stat().st_mtime_ns
    adgm.write_jsonl(tmp_path, ps, [11])  # unchanged content is not rewritten
    assert path.stat().st_mtime_ns == mtime


# ---- the split guard ---------------------------------------------------------------------------


def _ids(split: str, n: int) -> list[str]:
    out: list[str] = []
    i = 0
    while len(out) < n:
        if split_of(f"q-{i}") == split:
            out.append(f"q-{i}")
        i += 1
    return out


def test_tuning_code_fails_loudly_when_handed_a_check_question() -> None:
    tune, check_ids = _ids("tune", 20), _ids("check", 1)
    require_tune(tune, "fitting weights")  # tune only: fine
    with pytest.raises(
        SplitViolation, match=r"fitting weights was handed 1 question\(s\) from the check split"
    ):
        require_tune([*tune, *check_ids], "fitting weights")
    with pytest.raises(SplitViolation, match=check_ids[0]):
        require_tune(iter(check_ids))  # any iterable, not only lists


def test_the_split_is_stable_and_a_third_check() -> None:
    assert [split_of(q) for q in ("a", "a", "a")] == [
        "check" if split_of("a") == "check" else "tune"
    ] * 3
    ids = [f"id-{i}" for i in range(3000)]
    share = sum(split_of(q) == "check" for q in ids) / len(ids)
    assert 0.30 < share < 0.37


def test_modules_that_fit_on_obliqa_questions_call_require_tune() -> None:
    """Any module that reads the ObliQA questions and defines a fitting step must call the guard."""
    fit = re.compile(r"def (fit|tune|calibrate|learn|train)\w*\(")
    offenders = []
    for path in [*ROOT.glob("evals/**/*.py"), *ROOT.glob("assistant/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        if (
            ("questions-dev" in text or "QuestionID" in text)
            and fit.search(text)
            and "require_tune" not in text
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], f"fitting code without require_tune: {offenders}"


@needs_data
def test_real_questions_split_and_slice_documents() -> None:
    questions = adgm.load_questions(OBLIQA)
    share = sum(split_of(q.id) == "check" for q in questions) / len(questions)
    assert 0.30 < share < 0.37
    check_ids = [q.id for q in adgm.select_questions(questions, adgm.SLICE_DOCS, "check")]
    assert check_ids and all(split_of(q) == "check" for q in check_ids)
    with pytest.raises(SplitViolation):
        require_tune(check_ids[:1])
    # DocumentID 19 is the Virtual Asset Activities guidance: its passages are that file's lines.
    txt = (
        OBLIQA / "rulebooks-txt" / "Guidance - Virtual Asset Activities in ADGM (VER05.181223).txt"
    ).read_text(encoding="utf-8", errors="replace")
    flat = re.sub(r"\W+", " ", txt).lower()
    passages = [
        p for p in adgm.load_passages(OBLIQA, [adgm.VIRTUAL_ASSETS_DOC]) if len(p.text) > 80
    ]
    found = sum(re.sub(r"\W+", " ", p.text).lower().strip()[:80] in flat for p in passages)
    assert found / len(passages) > 0.4
    aml = [p for p in adgm.load_passages(OBLIQA, [adgm.AML_DOC]) if len(p.text) > 80]
    assert "aml" in adgm.doc_name(adgm.AML_DOC).lower() and len(aml) > 300


# ---- gate directions ---------------------------------------------------------------------------


def test_every_threshold_has_an_explicit_direction(tmp_path: Path) -> None:
    data = yaml.safe_load(THRESHOLDS.read_text())
    for suite in ("golden", "adgm_invariants", "adgm_slice", "adgm_all"):
        ts = load_suite(suite)
        assert ts, suite
        for t in ts:
            raw = data[suite]["metrics"][t.metric]
            assert set(raw) <= {"min", "max"} and len(raw) == 1
            if lower_is_better(t.metric):
                assert t.op == "<=", t
    assert {t.metric: t.op for t in load_suite("golden")}["fabricated_citations"] == "<="
    bad = tmp_path / "t.yaml"
    bad.write_text("golden:\n  metrics:\n    hit@5: 0.9\n")
    with pytest.raises(ValueError, match=re.escape("must be {min: VALUE} or {max: VALUE}")):
        load_suite("golden", bad)
    bad.write_text("golden:\n  metrics:\n    fabricated_citations: {min: 0}\n")
    with pytest.raises(ValueError, match="gate it with max"):
        load_suite("golden", bad)
    with pytest.raises(ValueError, match="no threshold suite"):
        load_suite("nonexistent", bad)


def test_gate_checks_minima_and_maxima() -> None:
    ts = [Threshold("recall@10", ">=", 0.7), Threshold("fabricated_citations", "<=", 0)]
    assert check({"recall@10": 0.7, "fabricated_citations": 0}, ts) == []
    failed = check({"recall@10": 0.69, "fabricated_citations": 2}, ts)
    assert failed == ["recall@10 >= 0.7 (got 0.69)", "fabricated_citations <= 0 (got 2)"]
    assert check({}, ts[:1]) == ["recall@10 >= 0.7 (got not measured)"]
    known = {"recall@10", "fabricated_citations"}
    assert parse_override("recall@10=0.8", known).op == ">="
    assert parse_override("fabricated_citations=0", known).op == "<="  # a count: a maximum
    with pytest.raises(ValueError, match="higher-is-better"):  # a minimum cannot be reversed
        parse_override("recall@10<=0.99", known)
    with pytest.raises(ValueError, match="gate it with max"):
        parse_override("fabricated_citations>=0", known)
    with pytest.raises(ValueError, match="unknown metric"):
        parse_override("nope=1", known)


# ---- the report's "real text" section ----------------------------------------------------------


def _row(
    qid: str, doc: int, ours: float, base: float, answered: bool, cf_abstained: bool
) -> QuestionRow:
    m = {"recall@10": ours, "map@10": ours, "ndcg@10": ours, "mrr@10": ours}
    b = {"recall@10": base, "map@10": base, "ndcg@10": base, "mrr@10": base}
    return QuestionRow(
        id=qid, question=f"question {qid}?", doc=doc, gold=[f"{doc}:1.1.1"], relevant=1, ours=m, bm25=b,
        retrieved=[Retrieved("p1", "1.1.1", doc, ours > 0), Retrieved("p2", "2.1", doc, False)],
        bm25_retrieved=["p1"], answered=answered, gold_quoted=answered and ours > 0,
        confidence=0.8 if answered else 0.2, answer="...", cited=["p1"], verbatim_rate=1.0, fabricated=0,
        cf_abstained=cf_abstained, cf_confidence=0.1 if cf_abstained else 0.5, cf_answer="...",
        cf_fabricated=0, cf_verbatim_rate=1.0, latency_ms=12.0,
    )  # fmt: skip


def _fake_run() -> AdgmRun:
    rows = [_row("q1", 1, 1.0, 1.0, True, True), _row("q2", 19, 0.0, 1.0, False, True),
            _row("q3", 19, 1.0, 0.5, True, False)]  # fmt: skip
    overall = aggregate(rows) | {"passages": 3.0}
    cfg = {"selection": {"docs": [1, 19], "split": "check", "limit": None, "label": "documents 1,19, split check"},
           "mode": "extractive", "index_id": "abc", "embedding_model": "fake", "counterfactual": "a second index",
           "machine": {"cpus": 2, "memory_gib": 24, "python": "3.11"}, "timings_s": {"total": 1.0}}  # fmt: skip
    by_doc = {"1": aggregate(rows[:1], with_auc=False), "19": aggregate(rows[1:], with_auc=False)}
    return AdgmRun(
        "adgm-obliqa", "questions-dev", cfg, overall, by_doc, rows, ["q2", "q3", "q1"], "adgm_slice"
    )


def test_aggregate_and_report_section(tmp_path: Path) -> None:
    from evals.report import junit_xml, real_markdown_table, text_table, write_reports

    run = _fake_run()
    o = run.overall
    assert o["recall@10"] == pytest.approx(2 / 3, abs=1e-4) and o[
        "bm25_recall@10"
    ] == pytest.approx(2.5 / 3, abs=1e-4)
    assert o["recall@10_vs_bm25"] == pytest.approx(0.8, abs=1e-3)
    assert o["answered"] == pytest.approx(2 / 3, abs=1e-4) and o["gold_quoted"] == pytest.approx(
        2 / 3, abs=1e-4
    )
    # of the answered questions, the share quoting gold (the reading of "75% of them")
    # (q1 and q3 answered, both quoting gold; q2 abstained)
    assert o["gold_quoted_answered"] == pytest.approx(1.0)
    assert aggregate([_row("q4", 1, 0.0, 1.0, True, True), _row("q5", 1, 1.0, 1.0, True, True),
                      _row("q6", 1, 1.0, 1.0, False, True)])["gold_quoted_answered"] == 0.5  # fmt: skip
    assert o["cf_abstained"] == pytest.approx(2 / 3, abs=1e-4)
    # confidence with gold [0.8, 0.2, 0.8] vs without [0.1, 0.1, 0.5]: 8 of 9 pairs won
    assert o["confidence_auc"] == pytest.approx(8 / 9, abs=1e-4)
    ts = [Threshold("recall@10", ">=", 0.9), Threshold("fabricated_citations", "<=", 0)]
    failures = check(o, ts)
    assert len(failures) == 1 and failures[0].startswith("recall@10 >= 0.9")
    paths = write_reports(run, ts, failures, tmp_path / "r")
    page = paths["html"].read_text()
    assert "<h1>regassist eval report</h1>" in page and 'id="real-text"' in page
    assert "Real text (ADGM rulebooks, ObliQA)" in page and "BM25" in page and "0.80x" in page
    assert "worst questions" in page and "question q2?" in page and "Gate FAILED" in page
    junit = paths["junit"].read_text()
    # one case per threshold, named by its metric (was one lumped "thresholds" case)
    assert junit.count("<testcase") == 3 + 2 and 'name="recall@10"' in junit, junit
    assert 'name="fabricated_citations"' in junit and junit.count("<failure") == 1
    assert junit == junit_xml(run, failures, ts)
    data = json.loads(paths["json"].read_text())
    assert data["track"] == "adgm" and data["gate"]["passed"] is False and len(data["results"]) == 3
    table = text_table(run, ts, failures)
    assert "Recall@10" in table and "BM25" in table and "FAILED threshold: recall@10" in table
    assert real_markdown_table(run).splitlines()[0] == "| measure | regassist | BM25 | ratio |"


def test_gate_suite_applies_only_to_the_whole_check_split_of_a_named_selection() -> None:
    assert Selection(adgm.SLICE_DOCS, "check").gate_suite() == "adgm_slice"
    assert Selection((19, 1), "check").gate_suite() == "adgm_slice"
    assert Selection(adgm.ALL_DOCS, "check").gate_suite() == "adgm_all"
    assert Selection(adgm.ALL_DOCS, "tune").gate_suite() is None
    assert Selection(adgm.SLICE_DOCS, "check", limit=5).gate_suite() is None
    assert Selection((3,), "check").gate_suite() is None


def test_cli_exits_2_and_says_where_it_looks_when_the_data_is_missing(tmp_path: Path) -> None:
    env = {
        **os.environ,
        adgm.ENV_VAR: str(tmp_path / "nowhere"),
        "REGASSIST_EMBEDDING_MODEL": "fake:hashing",
    }
    p = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--track", "adgm", "--data-dir",
                        str(tmp_path / "idx")], capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert p.returncode == 2, p.stdout + p.stderr
    assert str(tmp_path / "nowhere") in p.stderr and adgm.ENV_VAR in p.stderr


@needs_data
@pytest.mark.integration
def test_cli_track_adgm_prints_the_table_writes_reports_and_gates(tmp_path: Path) -> None:
    env = {**os.environ, adgm.ENV_VAR: str(OBLIQA), "REGASSIST_EMBEDDING_MODEL": "fake:hashing"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "assistant.cli", "eval", "--track", "adgm", "--docs", "20,24", "--split", "tune",
               "--data-dir", str(tmp_path / "idx"), "--report", str(tmp_path / "r"), *args]  # fmt: skip
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)

    ok = cli()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Recall@10" in ok.stdout and "BM25" in ok.stdout and "ratio" in ok.stdout
    assert "gate: adgm_invariants" in ok.stdout and "all thresholds met" in ok.stdout
    assert {p.name for p in (tmp_path / "r").iterdir()} == {
        "results.json",
        "junit.xml",
        "report.html",
        "table.md",
    }
    bad = cli("--fail-under", "recall@10=1")
    assert bad.returncode == 1 and "recall@10 >= 1 (got" in bad.stderr
    assert cli("--fail-under", "recall@10=1.01").returncode == 2  # a share runs from 0 to 1
    assert cli("--docs", "99").returncode == 2
    assert cli("--all").returncode == 2  # --docs and --all together


# ---- end to end with the fake embedder (small documents) ---------------------------------------


@needs_data
def test_track_end_to_end_on_small_documents(tmp_path: Path) -> None:
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path / "idx", embedding_model="fake:hashing")
    run = run_track(settings, Selection((20, 24), None), obliqa=OBLIQA)
    qs = adgm.select_questions(adgm.load_questions(OBLIQA), (20, 24), None)
    assert run.overall["questions"] == len(qs) == len(run.results)
    # the per-question metrics average to the overall ones, as trec_eval would compute them
    qrels = adgm.relevant_ids(qs, adgm.load_passages(OBLIQA, (20, 24)))
    ours = trec.evaluate({r.id: [x.id for x in r.retrieved] for r in run.results}, qrels)
    assert run.overall["recall@10"] == pytest.approx(ours["recall@10"], abs=1e-4)
    assert run.overall["fabricated_citations"] == 0 and run.overall["verbatim_quote_rate"] == 1.0
    # the counterfactual index really lacks every gold passage, and the full one has them
    from assistant.index.core import Index

    cf = Index.open(
        settings.model_copy(update={"data_dir": Path(run.config["counterfactual_index_dir"])})
    )
    cf_records = {c.record_id for _, c in cf.catalog.all_chunks()}
    full = Index.open(settings)
    full_records = {c.record_id for _, c in full.catalog.all_chunks()}
    gold = set().union(*qrels.values())
    assert gold and not (gold & cf_records) and gold & full_records
    assert full_records - gold == cf_records
    # a second run reuses both indexes: nothing is embedded again
    again = run_track(settings, Selection((20, 24), None), obliqa=OBLIQA)
    assert again.overall == run.overall | {"latency_p50_ms": again.overall["latency_p50_ms"]}


# ---- the CI slice with the real bundled model --------------------------------------------------


@pytest.fixture(scope="session")
def slice_indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    """The slice's index and counterfactual index, embedded once per test session under tmp."""
    if not HAVE_DATA:
        pytest.skip(f"ADGM (ObliQA) data not found in {OBLIQA}: put it there or set {adgm.ENV_VAR}")
    from assistant.settings import Settings
    from evals.real.indexes import counterfactual, open_or_build

    settings = Settings(data_dir=tmp_path_factory.mktemp("adgm-slice"))
    passages = adgm.load_passages(OBLIQA, adgm.SLICE_DOCS)
    questions = adgm.select_questions(adgm.load_questions(OBLIQA), adgm.SLICE_DOCS, "check")
    index = open_or_build(settings, passages, adgm.SLICE_DOCS)
    removed = set().union(*adgm.relevant_ids(questions, passages).values())
    cf = counterfactual(index, passages, adgm.SLICE_DOCS, removed)
    return settings, index, cf


@pytest.mark.slow
def test_ci_slice_meets_its_gate(slice_indexes: tuple[Any, Any, Any], tmp_path: Path) -> None:
    from evals.report import write_reports

    settings, index, cf = slice_indexes
    run = run_track(
        settings, Selection(adgm.SLICE_DOCS, "check"), obliqa=OBLIQA, index=index, cf_index=cf
    )
    assert run.suite == "adgm_slice"
    thresholds = load_suite("adgm_slice")
    assert len(thresholds) >= 8  # retrieval, ratio to BM25, answers, counterfactual, invariants
    failures = check(run.overall, thresholds)
    assert failures == [], (failures, run.overall)
    assert run.overall["fabricated_citations"] == 0 and run.overall["verbatim_quote_rate"] == 1.0
    paths = write_reports(run, thresholds, failures, tmp_path / "report")
    assert "Real text (ADGM rulebooks, ObliQA)" in paths["html"].read_text()


@pytest.mark.slow
def test_degraded_configuration_fails_the_slice_gate(slice_indexes: tuple[Any, Any, Any]) -> None:
    from assistant.settings import RetrievalSettings

    settings, index, cf = slice_indexes
    dense_only = settings.model_copy(update={"retrieval": RetrievalSettings(use_bm25=False)})
    run = run_track(
        dense_only, Selection(adgm.SLICE_DOCS, "check"), obliqa=OBLIQA, index=index, cf_index=cf
    )
    failures = check(run.overall, load_suite("adgm_slice"))
    assert any(f.startswith(("recall@10", "map@10", "ndcg@10", "mrr@10")) for f in failures), (
        failures
    )
