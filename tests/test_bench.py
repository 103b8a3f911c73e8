"""`make bench` works end to end on a tiny corpus. Timings are reported by the bench, never asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evals.bench import OBLIQA, TARGETS, generate_corpus, queries
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_synthetic_corpus_is_seeded_and_in_rulebook_layout(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert generate_corpus(a, pages=50) == {"documents": 2, "pages": 50}
    generate_corpus(b, pages=50)
    assert sorted(p.name for p in a.iterdir()) == ["aml-bench-000.pdf", "cob-bench-001.md"]
    assert (a / "cob-bench-001.md").read_text() == (
        b / "cob-bench-001.md"
    ).read_text()  # deterministic
    text = (a / "cob-bench-001.md").read_text()
    assert "Guidance" in text and "21.1.2 " in text
    assert queries(10) == queries(10) and len(queries(200)) == 200


def test_bench_runs_and_writes_json_and_markdown(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    res = subprocess.run([sys.executable, "-m", "evals.bench", "--out", str(out), "--pages", "50", "--big", "600",
                          "--queries", "5",
                          "--cli-runs", "1", "--adgm-limit", "200", "--embed-texts", "64"], capture_output=True, text=True, timeout=900, cwd=ROOT,
                         env={**os.environ, "REGASSIST_OBLIQA_DIR": str(OBLIQA)})  # the data this test sees  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    data = json.loads((out / "bench.json").read_text())
    # The ADGM corpus is outside the repository: without it that row is absent, every other one is there.
    have_adgm = (OBLIQA / "passages").is_dir()
    expected = set(TARGETS) if have_adgm else set(TARGETS) - {"adgm_ingest_s"}
    assert expected <= set(data["metrics"]) and set(data["targets"]) == expected
    m = data["metrics"]
    assert m["ingest_pages_ratio_vs_plain"] > 0 and m["index_chunks_20k"] >= 600
    # the agreement of each backend is measured, not written down: a real number per backend
    assert 0.99 <= m["embed_onnx_min_cosine"] <= 1.0001 and m["embed_torch_min_cosine"] > 0.999
    assert m["embed_onnx_int8_min_cosine"] < m["embed_onnx_min_cosine"]
    assert m["ask_cli_median_s"] > 0 and m["cli_runs"] == 1  # --cli-runs is honoured
    assert m["ask_cli_torch_median_s"] > 0  # the reference backend's cold start, for comparison
    assert m.get("adgm_passages") == (200 if have_adgm else None)
    # a target not measured is said so, not left out (an ops trial, seventeenth session)
    assert (
        have_adgm or "| adgm_ingest_s <= 120 | not measured | — |" in (out / "bench.md").read_text()
    )
    table = (out / "bench.md").read_text()
    assert (
        "| cold ingest, pages/s (headline) |" in table
        and "plain llama-index" in table
        and table in res.stdout
    )


def test_the_hostile_inputs_are_measured_by_the_bench() -> None:
    """The text readers' guards against quadratic backtracking were timed tests ("< 2.0 s"), one
    of which failed under a concurrent run (twenty-sixth session): speed targets live in `make
    bench` (``hostile_input_max_s``); the tests keep the inputs and their results."""
    from evals.bench import TARGETS, hostile_inputs

    assert TARGETS["hostile_input_max_s"][0] == "<="
    assert set(hostile_inputs()) == {"abbreviation_defined", "abbreviation_spelled_out",
                                     "figures_number_run", "list_item_spaces", "item_end_commas"}  # fmt: skip
