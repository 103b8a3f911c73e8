"""Learned re-ranking of the fused candidates over cheap, general features.

The features describe how each candidate chunk scored, never which document it is: both
retrievers' scores (raw and relative to the query's best) and ranks, its neighbours' scores (a
rule's paragraphs answer questions together), how many candidates its document contributes,
whether it is guidance, its length, and whether the query names its rule number. The model is a
small LightGBM LambdaRank ensemble fitted on the ``tune`` split of the ADGM questions by
``evals/real/ltr.py`` (``make ranker``) and shipped as text in ``assistant/search/models/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.search.fusion import rrf_term

MODEL_PATH = Path(__file__).with_name("models") / "ranker.txt"

FEATURES: tuple[str, ...] = (
    "bm25",  # raw BM25 score (imputed below the list's last score when not retrieved)
    "bm25_rel",  # BM25 score / the query's best BM25 score
    "bm25_rank",  # log(1 + rank) in the BM25 list
    "dense",  # cosine similarity
    "dense_gap",  # cosine - the query's best cosine
    "dense_rank",  # log(1 + rank) in the dense list
    "prev_bm25_rel",
    "prev_dense_gap",
    "next_bm25_rel",
    "next_dense_gap",
    "doc_share",  # share of the top 20 (fused) candidates from the same document
    "guidance",
    "log_len",
    "ref_match",  # 2: query names this rule, 1: a rule of the same section, 0 otherwise
    "ref_in_text",  # the chunk's text cites a rule number the query names
    "query_terms",  # number of distinct query terms
)

# The first AGREED places go to candidates both retrievers found (in the learned order): the answer
# gate and the extractive answerer were fitted on evidence both agree on, and the learned order
# applies within them and below. Measured on check: Recall@10 unchanged, MAP@10 -0.01.
AGREED = 3

# The model was fitted on a 14,615-chunk index, where each top-50 list holds 0.3% of the chunks and
# a candidate missing from one list says something. In a small index both lists hold most chunks,
# the rank features mean something else, and reciprocal rank fusion orders the candidates instead.
MIN_CHUNKS = 1000

_NUM = re.compile(r"(?<![\w.])(\d+(?:\.\d+)+)")


def rule_numbers(text: str) -> set[str]:
    """Dotted rule numbers (``2.3.4``) written in a text."""
    return {m.rstrip(".") for m in _NUM.findall(text or "")}


def is_guidance(ref: str | None, flagged: bool = False) -> bool:
    """Guidance by the chunker's flag or by its ref (``1.2.1.Guidance.3.`` in passage corpora)."""
    return bool(flagged) or "guidance" in (ref or "").lower()


def ref_features(query_numbers: set[str], ref: str | None, text: str) -> tuple[float, float]:
    """(ref_match, ref_in_text) for one candidate."""
    if not query_numbers:
        return 0.0, 0.0
    own = _NUM.match(ref or "")
    match = 0.0
    if own:
        num = own.group(1).rstrip(".")
        if num in query_numbers or any(num.startswith(q + ".") for q in query_numbers):
            match = 2.0
        elif any(num.rsplit(".", 1)[0] == q.rsplit(".", 1)[0] for q in query_numbers):
            match = 1.0
    in_text = float(bool(query_numbers & rule_numbers(text)))
    return match, in_text


@dataclass
class Candidates:
    """Per-candidate inputs for one query, aligned arrays. Missing scores are already imputed."""

    bm25: np.ndarray
    bm25_rank: np.ndarray
    dense: np.ndarray
    dense_rank: np.ndarray
    prev: np.ndarray  # index of the previous chunk of the same document among candidates, or -1
    next: np.ndarray
    doc: np.ndarray  # any per-query document code (equal codes: same document)
    guidance: np.ndarray
    length: np.ndarray
    ref_match: np.ndarray
    ref_in_text: np.ndarray
    query_terms: int


def features(c: Candidates) -> np.ndarray:
    """The feature matrix (candidates x FEATURES) for one query."""
    n = len(c.bm25)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    bmax = float(c.bm25.max())
    bm_rel = c.bm25 / bmax if bmax > 0 else np.zeros(n)
    dmax = float(c.dense.max())
    d_gap = c.dense - dmax

    def neighbour(idx: np.ndarray, values: np.ndarray, missing: float) -> np.ndarray:
        out = np.full(n, missing, dtype=np.float64)
        ok = idx >= 0
        out[ok] = values[idx[ok]]
        return out

    fused = rrf_term(c.bm25_rank) + rrf_term(c.dense_rank)  # type: ignore[arg-type]
    top = np.argsort(-fused, kind="stable")[:20]
    docs, counts = np.unique(c.doc[top], return_counts=True)
    share = dict(zip(docs.tolist(), (counts / max(len(top), 1)).tolist(), strict=True))
    doc_share = np.array([share.get(d, 0.0) for d in c.doc.tolist()])
    cols = [
        c.bm25, bm_rel, np.log1p(c.bm25_rank), c.dense, d_gap, np.log1p(c.dense_rank),
        neighbour(c.prev, bm_rel, 0.0), neighbour(c.prev, d_gap, -1.0),
        neighbour(c.next, bm_rel, 0.0), neighbour(c.next, d_gap, -1.0),
        doc_share, c.guidance.astype(float), np.log1p(c.length), c.ref_match, c.ref_in_text,
        np.full(n, float(c.query_terms)),
    ]  # fmt: skip
    return np.column_stack(cols).astype(np.float64)


def agreed_first(order: np.ndarray, both: np.ndarray, m: int = AGREED) -> np.ndarray:
    """``order`` (candidate indices, best first) with its first ``m`` candidates that are in
    ``both`` retrievers' lists moved to the front, the rest kept in order."""
    first = [int(j) for j in order if both[j]][:m]
    taken = set(first)
    return np.array(first + [int(j) for j in order if int(j) not in taken], dtype=int)


class Ranker:
    """A fitted model over ``FEATURES``; ``score`` returns one number per candidate. The model is
    anything with ``predict(x)``: the numpy tree walker in ``trees.py`` on the query path, a
    LightGBM booster in the fitting code."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def score(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return np.zeros(0)
        return np.asarray(self.model.predict(x), dtype=np.float64)


@lru_cache(maxsize=4)
def load_ranker(path: str | None = None) -> Ranker | None:
    """The shipped model, or None when the file is missing (then fusion alone ranks)."""
    from assistant.search.trees import parse

    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    model = parse(p.read_text())
    if model.feature_names != FEATURES:
        return None  # a model fitted on other features: ignore it rather than mis-rank
    return Ranker(model)
