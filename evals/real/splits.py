"""The tune/check split of the ObliQA questions, and the guard that keeps fitting code on ``tune``.

A question's split is a stable function of its ``QuestionID`` alone (SHA-256, two thirds ``tune``,
one third ``check``), so it never depends on file order, Python's hash seed or which questions exist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Literal

Split = Literal["tune", "check"]
SPLITS: tuple[Split, ...] = ("tune", "check")


class SplitViolation(RuntimeError):
    """Fitting code was handed a ``check`` question: results on check would no longer be held out."""


def split_of(question_id: str) -> Split:
    """``check`` for one third of the ids, ``tune`` for the rest; stable across runs and machines."""
    digest = hashlib.sha256(str(question_id).encode("utf-8")).digest()
    return "check" if int.from_bytes(digest[:8], "big") % 3 == 0 else "tune"


def require_tune(question_ids: Iterable[str], what: str = "fitting") -> None:
    """Fail loudly if any id belongs to ``check``. Every fitting script calls this before it fits."""
    leaked = [q for q in question_ids if split_of(q) == "check"]
    if leaked:
        raise SplitViolation(
            f"{what} was handed {len(leaked)} question(s) from the check split "
            f"(first: {leaked[0]}); fit on tune only, report on check"
        )
