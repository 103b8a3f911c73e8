"""Fit the learned re-ranker (``assistant/search/ranker.py``) on the ``tune`` split only.

    python -m evals.real.ltr            # fit on all tune questions, write assistant/search/models/ranker.txt
    python -m evals.real.ltr --cv 5     # also report out-of-fold Recall@10 / MAP@10 on tune

Needs the lab cache (``python -m evals.real.retrieval_lab prepare`` then ``embed``). The
question ids are checked with ``require_tune`` before anything is fitted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from assistant.search.ranker import FEATURES, MODEL_PATH
from evals.real.splits import require_tune

PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "metric": "map",
    "eval_at": [10],
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambdarank_truncation_level": 20,
    "num_threads": 2,
    "seed": 7,
    "deterministic": True,
    "force_row_wise": True,
    "verbosity": -1,
}
ROUNDS = 150


def fit(x: np.ndarray, y: np.ndarray, groups: list[int], question_ids: list[str],
        rounds: int = ROUNDS) -> Any:  # fmt: skip
    """A LambdaRank booster over ``FEATURES``. Refuses any ``check`` question."""
    require_tune(question_ids, "fitting the re-ranker")
    import lightgbm as lgb

    data = lgb.Dataset(x, y, group=groups, feature_name=list(FEATURES), free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=rounds)


def _slice(
    x: np.ndarray, y: np.ndarray, groups: list[int], idxs: list[Any], keep: list[int]
) -> tuple[np.ndarray, np.ndarray, list[int], list[Any], np.ndarray]:
    starts = np.concatenate([[0], np.cumsum(groups)])
    rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in keep])
    return x[rows], y[rows], [groups[i] for i in keep], [idxs[i] for i in keep], starts


def main(argv: list[str] | None = None) -> int:
    from evals.real import retrieval_lab as lab_mod

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--cv", type=int, default=0, help="folds for an out-of-fold tune estimate")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    args = ap.parse_args(argv)

    corpus = lab_mod.Corpus()
    qids = corpus.qids("tune")
    require_tune(qids, "fitting the re-ranker")
    lab = lab_mod.make_lab(corpus, qids)
    x, y, groups, idxs = lab_mod.feature_set(lab)
    print(f"{len(qids)} tune questions, {len(y)} candidates, {int(y.sum())} relevant", flush=True)
    if args.cv:
        fold = np.arange(len(qids)) % args.cv
        ranked: list[list[str]] = [[] for _ in qids]
        for f in range(args.cv):
            tr = [i for i in range(len(qids)) if fold[i] != f]
            te = [i for i in range(len(qids)) if fold[i] == f]
            xt, yt, gt, _, _ = _slice(x, y, groups, idxs, tr)
            booster = fit(xt, yt, gt, [qids[i] for i in tr], args.rounds)
            starts = np.concatenate([[0], np.cumsum(groups)])
            for i in te:
                s = booster.predict(x[starts[i] : starts[i + 1]])
                ranked[i] = lab_mod.ranked_passages(lab, idxs[i], s)
        print("out-of-fold tune", lab_mod.metrics(ranked, [corpus.gold[q] for q in qids]))
    booster = fit(x, y, groups, qids, args.rounds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(booster.model_to_string())
    imp = booster.feature_importance("gain")
    for name, g in sorted(zip(FEATURES, imp, strict=True), key=lambda t: -t[1]):
        print(f"  {name:16s} {g:10.0f}")
    print(f"-> {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
