"""An index built by an older parser is brought up to date by the next ingest, re-embedding nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.model
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths


def test_parser_version_bump_rechunks_without_reembedding(index: Index, corpus_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    first = ingest_paths(index, [corpus_copy])
    assert {r.status for r in first} == {"added"}
    assert {r.status for r in ingest_paths(index, [corpus_copy])} == {"unchanged"}
    monkeypatch.setattr(ingest.model, "PARSER_VERSION", ingest.model.PARSER_VERSION + 1)
    bumped = ingest_paths(index, [corpus_copy])
    assert {r.status for r in bumped} == {"replaced"}
    assert sum(r.embedded for r in bumped) == 0  # same text, same vectors
    assert {r.status for r in ingest_paths(index, [corpus_copy])} == {"unchanged"}
