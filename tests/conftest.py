"""Shared fixtures. Unit tests use the deterministic hashing embedder; tests marked slow use
the real bundled MiniLM model, built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.policy.obligations import Obligation, build_register
from assistant.runtime import apply_offline_env
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

apply_offline_env()  # the test session is an entry point, like the CLI and the app


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("REGASSIST_"):
            monkeypatch.delenv(key, raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", embedding_model="fake:hashing")


@pytest.fixture
def index(settings: Settings) -> Index:
    return Index.open(settings, create=True)


@pytest.fixture
def memory_index() -> Index:
    """An Index over the in-memory fakes (assistant.index.fakes): no disk, milliseconds."""
    from assistant.index.fakes import memory_index

    return memory_index()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


@pytest.fixture(scope="session")
def real_corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus ingested once with the real bundled model."""
    data_dir = tmp_path_factory.mktemp("real-index")
    idx = Index.open(Settings(data_dir=data_dir), create=True)
    results = ingest_paths(idx, [CORPUS])
    assert all(r.status == "added" for r in results), results
    return data_dir


@pytest.fixture(scope="session")
def register(tmp_path_factory: pytest.TempPathFactory) -> list[Obligation]:
    """The obligation register of the bundled AIFC digest (hashing embedder: no model)."""
    data = tmp_path_factory.mktemp("reg")
    index = Index.open(Settings(data_dir=data, embedding_model="fake:hashing"), create=True)
    ingest_paths(index, [CORPUS / "aifc"])
    return build_register(index.catalog).obligations
