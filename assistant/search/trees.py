"""Prediction for a LightGBM model saved as text, in numpy, without importing LightGBM.

Importing LightGBM costs seconds on a cold start (it pulls in scikit-learn, SciPy and pandas when
they are installed), which every `regassist ask` from the shell would pay to score a hundred
candidates. The model is a plain sum of regression trees, so the query path walks them here; the
fitting code (``evals/real/ltr.py``) keeps using LightGBM itself, and a test checks that both give
the same scores on the shipped model.

Follows LightGBM's numerical split rule (``Tree::NumericalDecision``): a NaN feature counts as 0
unless the split's missing type is NaN; a split whose missing type is Zero (or NaN) sends a zero
(or NaN) value the split's default way; otherwise ``value <= threshold`` goes left. Categorical
splits and linear trees are not supported: ``parse`` refuses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

_ZERO = 1e-35  # LightGBM's kZeroThreshold


class UnsupportedModel(ValueError):
    """The model uses a feature of LightGBM this evaluator does not implement."""


@dataclass(frozen=True)
class TreeModel:
    """Every tree padded to one node table: internal nodes first, then leaves, which point to
    themselves, so ``depth`` steps from the root land every row on a leaf."""

    feature_names: tuple[str, ...]
    feature: np.ndarray  # (trees, nodes) int
    threshold: np.ndarray  # (trees, nodes) float
    left: np.ndarray  # (trees, nodes) int, node index in the same tree
    right: np.ndarray
    default_left: np.ndarray  # (trees, nodes) bool
    missing: np.ndarray  # (trees, nodes) int: 0 none, 1 zero, 2 NaN
    value: np.ndarray  # (trees, nodes) float, the leaf value (0 for internal nodes)
    depth: int
    # the same tables flattened (set in __post_init__)
    _feature: np.ndarray = field(init=False, repr=False)
    _threshold: np.ndarray = field(init=False, repr=False)
    _left: np.ndarray = field(init=False, repr=False)
    _right: np.ndarray = field(init=False, repr=False)
    _default_left: np.ndarray = field(init=False, repr=False)
    _missing: np.ndarray = field(init=False, repr=False)
    _value: np.ndarray = field(init=False, repr=False)
    _roots: np.ndarray = field(init=False, repr=False)
    _is_leaf: np.ndarray = field(init=False, repr=False)
    _plain: bool = field(init=False, repr=False)  # no split treats zero or NaN as missing

    def __post_init__(self) -> None:
        # One flat node table; children as flat indices, so a step is a few 1-D gathers.
        t, width = self.feature.shape
        base = (np.arange(t) * width)[:, None]
        flat = {
            "_feature": self.feature.ravel(), "_threshold": self.threshold.ravel(),
            "_left": (self.left + base).ravel(), "_right": (self.right + base).ravel(),
            "_default_left": self.default_left.ravel(), "_missing": self.missing.ravel(),
            "_value": self.value.ravel(), "_roots": base.ravel(),
            "_is_leaf": ((self.left == np.arange(width)) & (self.right == np.arange(width))).ravel(),
            "_plain": bool((self.missing == 0).all()),
        }  # fmt: skip
        for name, value in flat.items():
            object.__setattr__(self, name, value)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The raw score (sum of the trees' leaf values) of each row of ``x``."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.feature_names):
            raise ValueError(f"expected (rows, {len(self.feature_names)}) features, got {x.shape}")
        n, width = x.shape
        if n == 0:
            return np.zeros(0)
        t = len(self._roots)
        feature, threshold = self._feature, self._threshold
        left, right, is_leaf = self._left, self._right, self._is_leaf
        if self._plain:
            x = np.nan_to_num(x, nan=0.0, posinf=np.inf, neginf=-np.inf)  # NaN counts as 0
        xs = x.ravel()
        row_base = np.repeat(np.arange(n) * width, t)
        node = np.tile(self._roots, n)
        for _ in range(self.depth):
            if is_leaf[node].all():
                break
            v = xs[row_base + feature[node]]
            if self._plain:
                go_left = v <= threshold[node]
            else:
                miss = self._missing[node]
                nan = np.isnan(v)
                v = np.where(nan & (miss != 2), 0.0, v)
                to_default = ((miss == 1) & (np.abs(v) <= _ZERO)) | ((miss == 2) & nan)
                go_left = np.where(to_default, self._default_left[node],
                                   v <= threshold[node])  # fmt: skip
            node = np.where(go_left, left[node], right[node])
        return self._value[node].reshape(n, t).sum(axis=1)


class _Table(NamedTuple):
    feature: list[int]
    threshold: list[float]
    left: list[int]
    right: list[int]
    default_left: list[bool]
    missing: list[int]
    value: list[float]
    depth: int


def _values(block: dict[str, str], key: str, kind: type) -> list[Any]:
    text = block.get(key, "").strip()
    return [kind(v) for v in text.split()] if text else []


def parse(model_text: str) -> TreeModel:
    """A ``TreeModel`` from LightGBM's text format (``Booster.model_to_string()``)."""
    header, _, rest = model_text.partition("\nTree=")
    head = dict(line.split("=", 1) for line in header.splitlines() if "=" in line)
    if int(head.get("num_class", "1")) != 1 or int(head.get("num_tree_per_iteration", "1")) != 1:
        raise UnsupportedModel("only single-output models are supported")
    if "average_output" in header.split():
        raise UnsupportedModel("random-forest (average_output) models are not supported")
    names = tuple(head.get("feature_names", "").split())
    body = rest.split("end of trees", 1)[0]
    blocks = []
    for chunk in ("Tree=" + body).split("\nTree=") if body else []:
        block = dict(line.split("=", 1) for line in chunk.splitlines() if "=" in line)
        blocks.append(block)
    if not blocks:
        raise UnsupportedModel("the model has no trees")
    tables: list[_Table] = []
    for b in blocks:
        if int(b.get("num_cat", "0")) or int(b.get("is_linear", "0")):
            raise UnsupportedModel("categorical splits and linear trees are not supported")
        leaves = _values(b, "leaf_value", float)
        k = int(b["num_leaves"])
        if k == 1:  # a stump: one leaf, no splits
            tables.append(_Table([0], [np.inf], [0], [0], [False], [0], leaves[:1] or [0.0], 0))
            continue
        feat = _values(b, "split_feature", int)
        thr = _values(b, "threshold", float)
        dec = _values(b, "decision_type", int)
        internal = k - 1
        if any(d & 1 for d in dec):
            raise UnsupportedModel("categorical splits are not supported")

        def node_of(child: int, internal: int = internal) -> int:
            return child if child >= 0 else internal + (-child - 1)

        left = [node_of(c) for c in _values(b, "left_child", int)]
        right = [node_of(c) for c in _values(b, "right_child", int)]
        leaf_ids = list(range(internal, internal + k))
        tables.append(_Table(
            feat + [0] * k, thr + [np.inf] * k, left + leaf_ids, right + leaf_ids,
            [bool(d & 2) for d in dec] + [False] * k, [(d >> 2) & 3 for d in dec] + [0] * k,
            [0.0] * internal + leaves, _depth(left, right, internal),
        ))  # fmt: skip
    width = max(len(t.feature) for t in tables)

    def pad(field: str, fill: float, dtype: type) -> np.ndarray:
        out: np.ndarray = np.full((len(tables), width), fill, dtype=dtype)
        for r, t in enumerate(tables):
            row = getattr(t, field)
            out[r, : len(row)] = row
        return out

    return TreeModel(
        feature_names=names, feature=pad("feature", 0, np.int64),
        threshold=pad("threshold", np.inf, np.float64), left=pad("left", 0, np.int64),
        right=pad("right", 0, np.int64), default_left=pad("default_left", False, bool),
        missing=pad("missing", 0, np.int64), value=pad("value", 0.0, np.float64),
        depth=max(t.depth for t in tables),
    )  # fmt: skip


def _depth(left: list[int], right: list[int], internal: int) -> int:
    """The longest root-to-leaf path, in splits."""
    best, stack = 0, [(0, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        for child in (left[node], right[node]):
            if child < internal:
                stack.append((child, d + 1))
    return best
