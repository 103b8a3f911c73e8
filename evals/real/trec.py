"""Retrieval metrics with trec_eval's definitions, over passage ids, at cut-off k.

For one query, ``ranked`` is the run's list of docids best first (the list order is the rank:
unlike trec_eval we do not re-sort by score, so ties keep the retriever's order) and ``relevant``
is the set of relevant docids (binary relevance). Values are averaged over every query in the
qrels; a query the run returned nothing for scores 0 (trec_eval ``-c``). A query with no relevant
docid is not a query trec_eval scores: ``evaluate`` skips it.

- recall@k  (trec_eval ``recall_k``):  |relevant in top k| / |relevant|
- map@k     (``map_cut_k``):   sum of precision@i at each rank i <= k holding a relevant docid,
                               divided by |relevant| (all of them, not min(|relevant|, k))
- ndcg@k    (``ndcg_cut_k``):  DCG@k / ideal DCG@k, gain 1, discount log2(i + 1) for rank i,
                               ideal ranking = min(|relevant|, k) relevant docids first
- mrr@k     (``recip_rank`` on the run cut at k): 1 / rank of the first relevant docid, 0 if none
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

METRICS = ("recall@10", "map@10", "ndcg@10", "mrr@10")


def _top(ranked: Sequence[str], k: int) -> list[str]:
    """The first k distinct docids (a docid listed twice counts once, at its first rank)."""
    out: list[str] = []
    seen: set[str] = set()
    for d in ranked:
        if d not in seen:
            seen.add(d)
            out.append(d)
            if len(out) == k:
                break
    return out


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        raise ValueError("no relevant docids: trec_eval does not score this query")
    return sum(d in relevant for d in _top(ranked, k)) / len(relevant)


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        raise ValueError("no relevant docids: trec_eval does not score this query")
    hits, total = 0, 0.0
    for i, d in enumerate(_top(ranked, k), start=1):
        if d in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        raise ValueError("no relevant docids: trec_eval does not score this query")
    dcg = sum(
        1.0 / math.log2(i + 1) for i, d in enumerate(_top(ranked, k), start=1) if d in relevant
    )
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def reciprocal_rank_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        raise ValueError("no relevant docids: trec_eval does not score this query")
    for i, d in enumerate(_top(ranked, k), start=1):
        if d in relevant:
            return 1.0 / i
    return 0.0


def per_query(ranked: Sequence[str], relevant: set[str], k: int = 10) -> dict[str, float]:
    return {
        f"recall@{k}": recall_at(ranked, relevant, k),
        f"map@{k}": average_precision_at(ranked, relevant, k),
        f"ndcg@{k}": ndcg_at(ranked, relevant, k),
        f"mrr@{k}": reciprocal_rank_at(ranked, relevant, k),
    }


def evaluate(run: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]],
             k: int = 10) -> dict[str, float]:  # fmt: skip
    """Mean of each metric over the qrels' queries with at least one relevant docid."""
    scored = [q for q, rel in qrels.items() if rel]
    if not scored:
        return {f"{m}@{k}": 0.0 for m in ("recall", "map", "ndcg", "mrr")}
    rows = [per_query(run.get(q, ()), qrels[q], k) for q in scored]
    return {name: sum(r[name] for r in rows) / len(rows) for name in rows[0]}
