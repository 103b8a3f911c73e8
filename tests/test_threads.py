"""One Assistant is shared by every session of the app. Eight threads ask it 200 questions with
different filters, rulebooks and as-of dates, starting cold (no keyword index built, no filter
cached), and every answer must equal the one the same question gets when asked alone."""

from __future__ import annotations

import json
import random
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.answer.assistant import Assistant
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.search.retrieval import Filters
from assistant.settings import Settings
from evals.dataset import load_dataset
from tests.conftest import CORPUS

THREADS, QUESTIONS = 8, 200
AS_OF = (None, None, "2017-06-30", "2019-01-01", "2024-06-30", "2030-01-01")
FILTERS = (
    None,
    Filters(rulebooks=("AML",)),
    Filters(rulebooks=("COB", "DAA")),
    Filters(kinds=("policy",)),
    Filters(kinds=("rules", "guidance")),
    Filters(kinds=("guidance",), rulebooks=("FINTECH",)),
)


def workload(index: Index) -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(10)
    questions = [q.question for q in load_dataset()] + ["AML 6.1.1", "COB 6.1.1 and AML 11-1.1"]
    doc_ids = [d["doc_id"] for d in index.documents()]
    out = []
    for _ in range(QUESTIONS):
        filters = rng.choice((*FILTERS, Filters(doc_ids=tuple(rng.sample(doc_ids, 2)))))
        out.append((rng.choice(questions), {"as_of": rng.choice(AS_OF), "filters": filters,
                                            "k": rng.choice((None, 3, 8))}))  # fmt: skip
    return out


def comparable(answer: Any) -> str:
    d = answer.to_dict()
    d.pop("elapsed_ms")
    return json.dumps(d, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("threads")
    results = ingest_paths(
        Index.open(Settings(data_dir=data, embedding_model="fake:hashing"), create=True), [CORPUS]
    )
    assert all(r.status == "added" for r in results)
    return data


def test_eight_threads_on_one_assistant_get_the_answers_asked_alone(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, embedding_model="fake:hashing")
    alone = Assistant(Index.open(settings), llm=None)
    work = workload(alone.index)
    assert (
        len({(q, json.dumps(kw, default=str)) for q, kw in work}) > 150
    )  # really 200 different asks
    expected = [comparable(alone.ask(q, **kw)) for q, kw in work]
    audit = data_dir / "audit.jsonl"
    audit.unlink()

    # Cold: nothing loaded or cached, and no keyword index on disk, so the first questions race
    # to build it (as when another process ingests while the app is serving).
    shutil.rmtree(data_dir / "bm25")
    shared = Assistant(Index.open(settings), llm=None)
    got: list[str | None] = [None] * len(work)
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        start.wait()
        try:
            for i in range(n, len(work), THREADS):
                q, kw = work[i]
                got[i] = comparable(shared.ask(q, **kw))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, so that a race shows up in one run
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    wrong = [i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b]
    assert wrong == [], f"{len(wrong)} answers differ from asking alone, e.g. {work[wrong[0]]}"
    lines = audit.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(work) and all(json.loads(line)["question"] for line in lines)
