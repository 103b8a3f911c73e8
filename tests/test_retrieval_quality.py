"""Retrieval quality on our golden questions (evals/datasets/aifc_core.yaml), real model.

Guards the hybrid design: fused search must stay at least as good as plain BM25 and dense alone.
"""

from pathlib import Path

import pytest

from assistant.index.core import Index
from assistant.search.retrieval import Retriever
from assistant.settings import RetrievalSettings, Settings
from evals.dataset import load_dataset
from ingest.refs import parse_ref

pytestmark = pytest.mark.slow


QUESTIONS = [q for q in load_dataset() if q.expected_refs]


def matches(found: str | None, expected: str) -> bool:
    """A result counts when it is the expected rule, inside it, or the rule that contains it."""
    a, b = parse_ref(found or ""), parse_ref(expected)
    return (
        a is not None and b is not None and (b.contains(a) or (a.contains(b) and a.base == b.base))
    )


def hit_at(retriever: Retriever, k: int) -> float:
    hits = 0
    for q in QUESTIONS:
        refs = [h.chunk.ref for h in retriever.search(q.question, k=k)]
        hits += any(matches(r, e) for r in refs for e in q.expected_refs)
    return hits / len(QUESTIONS)


def test_hybrid_beats_or_matches_each_retriever_alone(real_corpus_dir: Path) -> None:
    index = Index.open(Settings(data_dir=real_corpus_dir))
    hybrid = hit_at(Retriever(index), 3)
    bm25 = hit_at(Retriever(index, RetrievalSettings(use_dense=False)), 3)
    dense = hit_at(Retriever(index, RetrievalSettings(use_bm25=False)), 3)
    assert hybrid >= 0.85, hybrid
    assert hybrid >= bm25 and hybrid >= dense, (hybrid, bm25, dense)
