"""Dense candidates must not depend on which process asks. Chroma rebuilds the unsaved part of
its HNSW graph whenever a process opens the collection, differently each time; at its default
search breadth (ef_search 100) the candidates below the top places then changed from run to run
(one question's answer in a 170-question eval). ``Settings.hnsw_ef_search`` widens the search
until it matches exact search; these tests query from a fresh process, where the rebuild happens."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.index.vectors import ChromaVectors
from assistant.settings import Settings

N, DIM, K, QUERIES = 1500, 384, 50, 20

# Run in a child process: Chroma shares one in-memory system per path inside a process, so only
# a new process sees the graph rebuilt from Chroma's log, as a new `regassist ask` does.
_CHILD = """
import json, sys
import numpy as np
from pathlib import Path
from assistant.index.vectors import ChromaVectors
path, ef, k = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
queries = json.load(sys.stdin)
store = ChromaVectors(path, "breadth", ef_search=ef)
print(json.dumps({"ef": store.ef_search(),
                  "ids": [[cid for cid, _ in store.query(q, k)] for q in queries]}))
"""

# The vectors are written by a child too, which exits before anyone asks (as `regassist ingest`
# does): a test process holding the store open would hold Chroma's database lock at times.
_WRITER = """
import json, sys
from pathlib import Path
from assistant.index.vectors import ChromaVectors
from ingest.model import Chunk
x = json.load(sys.stdin)
chunks = [Chunk(f"c{i}", "d", i, f"t{i}", None, None) for i in range(len(x))]
ChromaVectors(Path(sys.argv[1]), "breadth").add(chunks, x, {"kind": "rules"})
"""


def _vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    # Random directions: the hardest case for a graph search, where a narrow one misses most.
    x = rng.normal(size=(n, DIM))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _child(path: Path, ef: int, queries: np.ndarray) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(ef), str(K)],
        input=json.dumps(queries.tolist()), capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "stderr": out.stderr[-2000:]}


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    x, q = _vectors(rng, N), _vectors(rng, QUERIES)
    path = tmp_path_factory.mktemp("breadth") / "chroma"
    subprocess.run([sys.executable, "-c", _WRITER, str(path)], input=json.dumps(x.tolist()),
                   capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    return path, x, q


def _missed(got: list[list[str]], x: np.ndarray, q: np.ndarray) -> int:
    exact = [{f"c{i}" for i in np.argsort(-(x @ v))[:K]} for v in q]
    return sum(len(e - set(g)) for e, g in zip(exact, got, strict=True))


@pytest.mark.slow
def test_a_new_process_gets_exactly_the_nearest_vectors(stored: tuple) -> None:
    path, x, q = stored
    ef = Settings().hnsw_ef_search
    first, second = _child(path, ef, q), _child(path, ef, q)
    assert first["ef"] == ef, first["stderr"]  # set on the collection, reported back by Chroma
    assert _missed(first["ids"], x, q) == 0
    assert first["ids"] == second["ids"]


@pytest.mark.slow
def test_chromas_default_breadth_misses_neighbours(stored: tuple) -> None:
    """The degraded configuration: what the first test would see without the setting."""
    path, x, q = stored
    assert _missed(_child(path, 100, q)["ids"], x, q) > 0


def test_the_breadth_is_set_on_the_collection_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "chroma"
    assert ChromaVectors(path, "breadth").ef_search() == 100  # Chroma's own default, left alone
    assert ChromaVectors(path, "breadth", ef_search=640).ef_search() == 640
    assert ChromaVectors(path, "breadth").ef_search() == 640  # kept in Chroma's own store


@pytest.mark.integration
def test_a_chroma_server_takes_the_breadth(request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("chroma_server")
    assert ChromaVectors(None, "breadth-server", url, ef_search=640).ef_search() == 640
    assert ChromaVectors(None, "breadth-server", url).ef_search() == 640  # kept by the server


class _Collection:
    """A collection whose configuration write fails ``fails`` times with ``error`` first."""

    def __init__(self, fails: int, error: str) -> None:
        self.fails, self.error, self.configuration, self.writes = fails, error, {}, 0

    def modify(self, configuration: dict) -> None:
        self.writes += 1
        if self.fails:
            self.fails -= 1
            raise RuntimeError(self.error)
        self.configuration = configuration


def test_a_locked_store_is_retried_until_the_breadth_is_set(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Seen under load: another process's write held Chroma's lock and a new process searched at
    the default breadth (`database is locked`, code 5)."""
    monkeypatch.setattr("assistant.index.vectors.time.sleep", lambda s: None)
    locked = _Collection(2, "Database error: (code: 5) database is locked")
    ChromaVectors._set_ef_search(locked, 800)
    assert locked.configuration == {"hnsw": {"ef_search": 800}} and locked.writes == 3
    assert not caplog.records
    refused = _Collection(1, "unknown configuration key")  # an older server: not retried
    ChromaVectors._set_ef_search(refused, 800)
    assert refused.writes == 1 and refused.configuration == {}
    assert "could not set Chroma's ef_search to 800" in caplog.text
    stuck = _Collection(99, "database is locked")  # gives up, logged, never raised
    ChromaVectors._set_ef_search(stuck, 800)
    assert stuck.writes == 5 and stuck.configuration == {}
