"""Fit the answerability model (assistant/answer/answerability.json) on the ``tune`` split only.

Rows:
- every ObliQA question of ``tune`` whose gold passages lie in the chosen documents, asked over
  the full index (label 1, answerable) and over a counterfactual index built without the gold
  passages of those tune questions (label 0); ``require_tune`` guards the ids;
- every golden question (evals/datasets/aifc_core.yaml) over an index of the bundled digest,
  labelled by its ``answerable`` field.

The features are those of ``assistant.answer.answerability.features`` computed from the same
retrieval the assistant runs (settings' top_k). A standardised logistic regression is fitted
(scikit-learn), and the decision threshold is the highest one that still answers the target share
of answerable tune questions (``--answer-rate``) and every answerable golden question. The model
file records what it was fitted on and its tune figures; ``check`` is never read here.

Two regimes (see ``answerability.py``), each fitted where it applies and written into the same
file without touching the other:
- ``--regime unranked`` (the file's top level): the two-document slice, whose index is small
  enough that reciprocal rank fusion orders the candidates, plus the golden questions over the
  digest; FEATURES.
- ``--regime ranked``: every document (``--docs all``), an index the learned re-ranker orders;
  RANKED_FEATURES (FEATURES and the re-ranker's scores); ADGM rows only, as the digest is never
  re-ranked.

Run: ``python -m evals.real.fit_answerability --index /tmp/regassist-adgm/slice [--docs 1,19]``,
or ``--regime ranked --docs all --index /tmp/regassist-adgm/full``.
Feature rows are cached as JSON (``--cache``) so that refitting costs no retrieval.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.answer.answerability import (
    FEATURES,
    MODEL_PATH,
    RANKED_FEATURES,
    AnswerabilityModel,
    KeywordIdf,
    load_model,
)
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.index.keywords import Tokenizer
from assistant.search.retrieval import Filters, Retriever
from assistant.settings import Settings, load_settings
from evals.dataset import load_dataset
from evals.real import adgm
from evals.real.indexes import counterfactual, open_or_build
from evals.real.splits import require_tune

ROOT = Path(__file__).resolve().parents[2]


def _rows_for(index: Index, questions: Sequence[tuple[str, str, int]], source: str,
              filters: Filters | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Feature rows for (id, question, label) over ``index``."""
    tok = Tokenizer()
    answerer = ExtractiveAnswerer(tok, model=None)
    retriever = Retriever(index)
    idf = KeywordIdf(index)
    k = index.settings.answer.top_k
    rows = []
    for qid, text, label in questions:
        hits = retriever.search(text, k=k, filters=filters)
        if not hits:
            f = dict.fromkeys(RANKED_FEATURES, 0.0)
            rows.append({"id": qid, "source": source, "label": label, "features": f, "gap": False,
                         "figure_missing": False, "ref": False})  # fmt: skip
            continue
        _conf, f, gap, fig_missing = answerer.assess(text, hits, None, idf, idf.known)
        rows.append({"id": qid, "source": source, "label": label, "features": f, "gap": gap,
                     "figure_missing": fig_missing, "ref": "ref" in hits[0].matched_by})  # fmt: skip
    return rows


def adgm_rows(
    index_dir: Path, docs: tuple[int, ...], say: Callable[[str], None]
) -> list[dict[str, Any]]:
    folder = adgm.require_data()
    passages = adgm.load_passages(folder, docs)
    questions = adgm.select_questions(adgm.load_questions(folder), docs, "tune")
    require_tune([q.id for q in questions], "fitting the answerability model")
    settings = load_settings(data_dir=index_dir)
    settings = settings.model_copy(
        update={"answer": settings.answer.model_copy(update={"audit_log": False})}
    )
    index = open_or_build(settings, passages, docs, progress=say)
    qrels = adgm.relevant_ids(questions, passages)
    removed = set().union(*qrels.values())
    cf = counterfactual(index, passages, docs, removed, progress=say)
    say(f"ADGM tune: {len(questions)} questions over {len(docs)} document(s)")
    wanted = {adgm.jsonl_name(d) for d in docs}
    keep = [d["doc_id"] for d in index.documents() if Path(d["source"]).name in wanted]
    filters = None if len(keep) == len(index.documents()) else Filters(doc_ids=tuple(sorted(keep)))
    cf_keep = [d["doc_id"] for d in cf.documents() if Path(d["source"]).name in wanted]
    cf_filters = (
        None if len(cf_keep) == len(cf.documents()) else Filters(doc_ids=tuple(sorted(cf_keep)))
    )
    qs = [(q.id, q.text, 1) for q in questions]
    rows = _rows_for(index, qs, "adgm", filters)
    rows += _rows_for(cf, [(i, t, 0) for i, t, _ in qs], "adgm-cf", cf_filters)
    return rows


def golden_index(folder: Path, say: Callable[[str], None]) -> Index:
    settings = Settings(data_dir=folder)
    settings = settings.model_copy(
        update={"answer": settings.answer.model_copy(update={"audit_log": False})}
    )
    index = Index.open(settings, create=True)
    res = ingest_paths(index, [ROOT / "corpus"])
    say(f"golden index {folder}: {sum(r.chunks for r in res)} chunks")
    return index


def golden_rows(folder: Path, say: Callable[[str], None]) -> list[dict[str, Any]]:
    index = golden_index(folder, say)
    qs = [(q.id, q.question, int(q.answerable)) for q in load_dataset()]
    return _rows_for(index, qs, "golden")


def fit(
    rows: list[dict[str, Any]],
    *,
    answer_rate: float,
    golden_weight: float,
    c: float,
    names: Sequence[str] = FEATURES,
) -> AnswerabilityModel:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    x = np.array([[r["features"][f] for f in names] for r in rows], dtype=float)
    y = np.array([r["label"] for r in rows])
    w = np.array([golden_weight if r["source"] == "golden" else 1.0 for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit(z, y, sample_weight=w)
    p = lr.predict_proba(z)[:, 1]
    adgm_pos = [float(pi) for pi, r in zip(p, rows, strict=True) if r["source"] == "adgm"]
    adgm_neg = [float(pi) for pi, r in zip(p, rows, strict=True) if r["source"] == "adgm-cf"]
    # Golden questions abstain on a gap statement or a missing figure whatever the model says:
    # only the ones the model alone decides bind the threshold.
    gold_pos = [float(pi) for pi, r in zip(p, rows, strict=True)
                if r["source"] == "golden" and r["label"] == 1 and not r["ref"]]  # fmt: skip
    gold_neg = [float(pi) for pi, r in zip(p, rows, strict=True)
                if r["source"] == "golden" and r["label"] == 0 and not (r["gap"] or r["figure_missing"])]  # fmt: skip
    # The answerer also abstains on a gap statement or a missing figure: the answered share is
    # counted with those rules in force, as the assistant will run.
    blocked = [
        r["gap"] or (r["figure_missing"] and not r["ref"]) for r in rows if r["source"] == "adgm"
    ]
    cands = sorted(set(adgm_pos) | set(gold_pos))

    def answered_share(t: float) -> float:
        if not adgm_pos:
            return 1.0
        return sum(v >= t and not b for v, b in zip(adgm_pos, blocked, strict=True)) / len(adgm_pos)

    def highest(rate: float, golden: bool = True) -> float | None:
        """The highest threshold that answers ``rate`` of the answerable tune questions (and,
        with ``golden``, every answerable golden question the model alone decides)."""
        return max((t for t in cands if answered_share(t) >= rate
                    and (not golden or all(v >= t for v in gold_pos))), default=None)  # fmt: skip

    threshold = round(max(0.0, (highest(answer_rate) or 0.0) - 1e-4), 4)
    # The trade-off on tune, for choosing --answer-rate: cf abstention at each answered share.
    tradeoff = {}
    for rate in (0.85, 0.88, 0.90, 0.92, 0.93, 0.95):
        t = highest(rate, golden=False)
        if t is not None and adgm_neg:
            tradeoff[str(rate)] = round(sum(v < t for v in adgm_neg) / len(adgm_neg), 4)
    meta: dict[str, Any] = {
        "fitted": datetime.now(UTC).isoformat(timespec="seconds"),
        "split": "tune",
        "rows": {s: sum(r["source"] == s for r in rows) for s in ("adgm", "adgm-cf", "golden")},
        "golden_weight": golden_weight,
        "C": c,
        "answer_rate_target": answer_rate,
        "tune": {
            "auc_adgm": round(float(roc_auc_score([1] * len(adgm_pos) + [0] * len(adgm_neg), adgm_pos + adgm_neg)), 4)
            if adgm_pos and adgm_neg else None,
            "answered_adgm": round(sum(v >= threshold for v in adgm_pos) / max(1, len(adgm_pos)), 4),
            "abstained_adgm_cf": round(sum(v < threshold for v in adgm_neg) / max(1, len(adgm_neg)), 4),
            "golden_answerable_answered": round(sum(v >= threshold for v in gold_pos) / len(gold_pos), 4)
            if gold_pos else None,
            "golden_unanswerable_abstained_by_model": round(sum(v < threshold for v in gold_neg) / len(gold_neg), 4)
            if gold_neg else None,
            "cf_abstained_at_answered_share": tradeoff,
        },
    }  # fmt: skip
    return AnswerabilityModel(tuple(names), tuple(round(float(v), 6) for v in mean),
                              tuple(round(float(v), 6) for v in scale),
                              tuple(round(float(v), 6) for v in lr.coef_[0]),
                              round(float(lr.intercept_[0]), 6), threshold, meta)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path("/tmp/regassist-adgm/slice"),
                        help="ADGM index folder (built if missing)")  # fmt: skip
    parser.add_argument(
        "--docs", default=",".join(map(str, adgm.SLICE_DOCS)), help="DocumentIDs, or 'all'"
    )
    parser.add_argument(
        "--golden-index", type=Path, default=Path("/tmp/regassist-answerability/golden")
    )
    parser.add_argument(
        "--cache", type=Path, default=Path("/tmp/regassist-answerability/rows.json")
    )
    parser.add_argument("--refresh", action="store_true", help="recompute the cached feature rows")
    parser.add_argument("--answer-rate", type=float, default=0.93)
    parser.add_argument("--golden-weight", type=float, default=3.0)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--regime", choices=("unranked", "ranked"), default="unranked",
                        help="which of the file's two models to fit (the other is kept)")  # fmt: skip
    args = parser.parse_args()
    docs = adgm.ALL_DOCS if args.docs == "all" else tuple(int(d) for d in args.docs.split(","))
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", flush=True)

    ranked = args.regime == "ranked"
    key = f"{args.index}|{docs}|{args.regime}"
    cached = json.loads(args.cache.read_text()) if args.cache.is_file() and not args.refresh else {}
    if cached.get("key") == key and cached.get("features") == list(RANKED_FEATURES):
        rows = cached["rows"]
        say(f"{len(rows)} cached feature rows from {args.cache}")
    else:
        rows = adgm_rows(args.index, docs, say)
        if not ranked:
            rows += golden_rows(args.golden_index, say)
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        args.cache.write_text(
            json.dumps({"key": key, "features": list(RANKED_FEATURES), "rows": rows})
        )
    require_tune(
        [r["id"] for r in rows if r["source"].startswith("adgm")], "fitting the answerability model"
    )
    # Each model is fitted on evidence of its own regime only.
    regimes = {bool(r["features"].get("ranked", 0.0)) for r in rows if r["source"] == "adgm"}
    if regimes != {ranked}:
        raise SystemExit(f"--regime {args.regime} needs an index the re-ranker "
                         f"{'orders (use --docs all)' if ranked else 'does not order (the slice)'}")  # fmt: skip
    model = fit(rows, answer_rate=args.answer_rate, golden_weight=args.golden_weight, c=args.C,
                names=RANKED_FEATURES if ranked else FEATURES)  # fmt: skip
    model.meta["docs"] = list(docs)
    model.meta["regime"] = args.regime
    current = load_model(str(args.out)) if args.out.is_file() else None
    if ranked:
        if current is None:
            raise SystemExit(f"fit the unranked model into {args.out} first")
        whole = replace(current, ranked=model)
    else:
        whole = replace(model, ranked=current.ranked if current else None)
    args.out.write_text(whole.to_json() + "\n", encoding="utf-8")
    say(f"threshold {model.threshold}; tune: {json.dumps(model.meta['tune'])}")
    for name, w in sorted(zip(model.features, model.coef, strict=True), key=lambda x: -abs(x[1])):
        print(f"  {name:15s} {w:+.3f}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
