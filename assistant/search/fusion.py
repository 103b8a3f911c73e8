"""Rank fusion: the one implementation the search, the policy checker and the evals share.

``rrf`` is weighted reciprocal rank fusion (Cormack et al.): each list adds
``weight / (k + rank)`` (rank from 1) to the score of every item it ranks.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)

RRF_K = 60


def rrf_term(rank: int, weight: float = 1.0, k: int = RRF_K) -> float:
    """What an item at 0-based ``rank`` of one list adds to its fused score."""
    return weight / (k + rank + 1)


def rrf(lists: Iterable[tuple[Sequence[T], float]], k: int = RRF_K) -> dict[T, float]:
    """Fused scores of every item in ``(ranked items, weight)`` lists, best first.

    An item repeated within one list counts at its best rank only."""
    scores: dict[T, float] = {}
    for items, weight in lists:
        seen: set[T] = set()
        for rank, item in enumerate(items):
            if item in seen:
                continue
            seen.add(item)
            scores[item] = scores.get(item, 0.0) + rrf_term(rank, weight, k)
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))
