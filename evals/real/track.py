"""The ADGM track: real rulebook text as the yardstick, in one run.

1. Index the chosen documents' passages as JSONL (record id = passage ``ID``, ref = ``PassageID``).
2. Retrieval: for every question, our top 10 and a plain BM25's top 10 over the same passages;
   Recall@10, MAP@10, nDCG@10 and MRR@10 with trec_eval's definitions (``evals/real/trec.py``).
3. Answers: ask every question; share answered, share whose citations quote a gold passage.
4. Counterfactual: ask again over a second index built without the gold passages of all asked
   questions; share abstained, and the AUC of answer confidence between the two conditions.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer.assistant import Assistant
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.types import Answer
from assistant.index.core import Index
from assistant.search.retrieval import Filters, Retriever
from assistant.settings import Settings
from evals import metrics as m
from evals.real import adgm, trec
from evals.real.bm25_baseline import K1, B, PlainBM25
from evals.real.indexes import JSONL_DIR, counterfactual, open_or_build
from evals.real.splits import Split, split_of

K = 10
WORST = 20
RETRIEVAL = trec.METRICS  # recall@10, map@10, ndcg@10, mrr@10


@dataclass
class Selection:
    docs: tuple[int, ...]
    split: Split | None = "check"
    limit: int | None = None

    @property
    def label(self) -> str:
        docs = "all" if self.docs == adgm.ALL_DOCS else ",".join(map(str, self.docs))
        limit = f", first {self.limit}" if self.limit else ""
        return f"documents {docs}, split {self.split or 'all'}{limit}"

    def gate_suite(self) -> str | None:
        """The thresholds section that applies: only the whole check split of a named selection."""
        if self.split != "check" or self.limit:
            return None
        if self.docs == adgm.ALL_DOCS:
            return "adgm_all"
        if tuple(sorted(self.docs)) == adgm.SLICE_DOCS:
            return "adgm_slice"
        return None


@dataclass
class Retrieved:
    id: str
    ref: str
    doc: int | None
    gold: bool


@dataclass
class QuestionRow:
    id: str
    question: str
    doc: int
    gold: list[str]  # "doc:PassageID"
    relevant: int  # passage ids in the relevant set
    ours: dict[str, float]
    bm25: dict[str, float]
    retrieved: list[Retrieved]
    bm25_retrieved: list[str]
    answered: bool
    gold_quoted: bool
    confidence: float
    answer: str
    cited: list[str]
    verbatim_rate: float
    fabricated: int
    cf_abstained: bool
    cf_confidence: float
    cf_answer: str
    cf_fabricated: int
    cf_verbatim_rate: float
    latency_ms: float

    @property
    def failures(self) -> list[str]:
        out = []
        if self.ours["recall@10"] == 0:
            out.append("no gold passage in our top 10")
        if not self.answered:
            out.append("abstained with the gold passages indexed")
        elif not self.gold_quoted:
            out.append("answered without quoting a gold passage")
        if not self.cf_abstained:
            out.append("answered with the gold passages removed")
        if self.fabricated or self.cf_fabricated:
            out.append("fabricated citation")
        if self.verbatim_rate < 1.0 or self.cf_verbatim_rate < 1.0:
            out.append("a quote is not verbatim in its chunk")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "failures": self.failures}


@dataclass
class AdgmRun:
    dataset: str
    dataset_version: str
    config: dict[str, Any]
    overall: dict[str, float]
    by_document: dict[str, dict[str, float]]
    results: list[QuestionRow]
    worst: list[str] = field(default_factory=list)
    suite: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"track": "adgm", "dataset": self.dataset, "dataset_version": self.dataset_version,
                "config": self.config, "suite": self.suite, "overall": self.overall,
                "by_document": self.by_document, "worst": self.worst,
                "results": [r.to_dict() for r in self.results]}  # fmt: skip


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def auc(positive: Sequence[float], negative: Sequence[float]) -> float | None:
    """Rank-based ROC AUC (ties count half): P(score of a positive > score of a negative)."""
    if not positive or not negative:
        return None
    from sklearn.metrics import roc_auc_score

    labels = [1] * len(positive) + [0] * len(negative)
    return float(roc_auc_score(labels, list(positive) + list(negative)))


def aggregate(rows: Sequence[QuestionRow], with_auc: bool = True) -> dict[str, float]:
    out: dict[str, float] = {"questions": float(len(rows))}
    for name in RETRIEVAL:
        ours, base = _mean([r.ours[name] for r in rows]), _mean([r.bm25[name] for r in rows])
        out[name] = ours
        out[f"bm25_{name}"] = base
        out[f"{name}_vs_bm25"] = ours / base if base else 0.0
    out["answered"] = _mean([float(r.answered) for r in rows])
    out["gold_quoted"] = _mean([float(r.gold_quoted) for r in rows])
    # the reading: of the answered questions, the share whose citations quote gold
    answered = [r for r in rows if r.answered]
    out["gold_quoted_answered"] = _mean([float(r.gold_quoted) for r in answered])
    out["cf_abstained"] = _mean([float(r.cf_abstained) for r in rows])
    if with_auc:
        value = auc([r.confidence for r in rows], [r.cf_confidence for r in rows])
        if value is not None:
            out["confidence_auc"] = value
        out["verbatim_quote_rate"] = _mean([min(r.verbatim_rate, r.cf_verbatim_rate) for r in rows])
        out["fabricated_citations"] = float(sum(r.fabricated + r.cf_fabricated for r in rows))
        out["latency_p50_ms"] = m.percentile([r.latency_ms for r in rows], 50)
    return {k: round(v, 4) for k, v in out.items()}


def quiet(settings: Settings) -> Settings:
    """The settings with the audit log off (an eval asks thousands of questions)."""
    return settings.model_copy(
        update={"answer": settings.answer.model_copy(update={"audit_log": False})}
    )


class _Asker:
    """One index's assistant, with the run's retrieval and answer settings (so one built index
    serves a degraded configuration too), restricted to the selected documents when the index
    holds more."""

    def __init__(self, index: Index, docs: Sequence[int], settings: Settings) -> None:
        self.assistant = Assistant(index, llm=None)
        self.assistant.settings = settings
        self.assistant.retriever = Retriever(index, settings.retrieval)
        a = settings.answer
        self.assistant.extractive = ExtractiveAnswerer(
            self.assistant.tokenize, a.max_sentences, a.min_confidence
        )
        self.index = index
        wanted = {adgm.jsonl_name(d) for d in docs}
        self.doc_of: dict[str, int] = {}
        keep = []
        for d in index.documents():
            name = Path(d["source"]).name
            if name.startswith("adgm-doc-") and Path(d["source"]).parent.name == JSONL_DIR:
                self.doc_of[d["doc_id"]] = int(name[len("adgm-doc-") : -len(".jsonl")])
            if name in wanted:
                keep.append(d["doc_id"])
        everything = len(keep) == len(index.documents())
        self.filters = (
            Filters() if everything else Filters(doc_ids=tuple(sorted(keep)) or ("<none>",))
        )

    def ask(self, question: str) -> tuple[Answer, dict[str, Any]]:
        a = self.assistant.ask(question, filters=self.filters)
        chunks = self.index.catalog.chunks(c.chunk_id for c in a.citations)
        quotes = [
            (c.quote, chunks[c.chunk_id].text if c.chunk_id in chunks else "") for c in a.citations
        ]
        info = {
            "cited": [chunks[c.chunk_id].record_id or "" for c in a.citations if c.chunk_id in chunks],
            "verbatim": m.verbatim_rate(quotes),
            "fabricated": m.fabricated_citations([c.chunk_id for c in a.citations],
                                                 [r["chunk_id"] for r in a.retrieved]),
        }  # fmt: skip
        return a, info


def machine() -> dict[str, Any]:
    mem = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        mem = round(pages * size / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {"cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "memory_gib": mem, "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine()}  # fmt: skip


def run_track(settings: Settings, selection: Selection, *, obliqa: Path | None = None,
              progress: Callable[[str], None] | None = None, index: Index | None = None,
              cf_index: Index | None = None) -> AdgmRun:  # fmt: skip
    """Run the track end to end. ``index``/``cf_index`` may be passed in to reuse built ones."""
    say = progress or (lambda _msg: None)
    t_start = time.perf_counter()
    settings = quiet(settings)
    folder = adgm.require_data(obliqa)
    passages = adgm.load_passages(folder, selection.docs)
    questions = adgm.select_questions(adgm.load_questions(folder), selection.docs, selection.split,
                                      selection.limit)  # fmt: skip
    if not questions:
        raise ValueError(f"no questions for {selection.label}")
    qrels = adgm.relevant_ids(questions, passages)
    say(
        f"ADGM track: {len(questions)} questions, {len(passages)} passages, "
        f"{len(adgm.indexable(passages))} with text ({selection.label})"
    )

    t0 = time.perf_counter()
    if index is None:
        index = open_or_build(settings, passages, selection.docs, progress=say)
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    removed = set().union(*qrels.values())
    if cf_index is None:
        cf_index = counterfactual(index, passages, selection.docs, removed, progress=say)
    t_cf = time.perf_counter() - t0

    t0 = time.perf_counter()
    texts = adgm.indexable(passages)
    bm25 = PlainBM25(texts)
    bm25_runs = bm25.search([q.text for q in questions], K)
    t_bm25 = time.perf_counter() - t0

    ours, cf = _Asker(index, selection.docs, settings), _Asker(cf_index, selection.docs, settings)
    index.embedder.embed_query("warm up")
    t0 = time.perf_counter()
    rows: list[QuestionRow] = []
    for i, (q, base) in enumerate(zip(questions, bm25_runs, strict=True), start=1):
        rel = qrels[q.id]
        hits = ours.assistant.retriever.search(q.text, k=K, filters=ours.filters)
        tq = time.perf_counter()
        a, info = ours.ask(q.text)
        latency = (time.perf_counter() - tq) * 1000
        c, cinfo = cf.ask(q.text)
        ranked = [h.chunk.record_id or h.chunk.chunk_id for h in hits]
        rows.append(QuestionRow(
            id=q.id, question=q.text, doc=q.doc, gold=[f"{d}:{p}" for d, p in q.gold], relevant=len(rel),
            ours={k: round(v, 4) for k, v in trec.per_query(ranked, rel, K).items()},
            bm25={k: round(v, 4) for k, v in trec.per_query(base, rel, K).items()},
            retrieved=[Retrieved(rid, h.chunk.ref or "", ours.doc_of.get(h.chunk.doc_id), rid in rel)
                       for rid, h in zip(ranked, hits, strict=True)],
            bm25_retrieved=base,
            answered=not a.abstained, gold_quoted=not a.abstained and any(r in rel for r in info["cited"]),
            confidence=a.confidence, answer=a.answer[:600], cited=info["cited"],
            verbatim_rate=info["verbatim"], fabricated=info["fabricated"],
            cf_abstained=c.abstained, cf_confidence=c.confidence, cf_answer=c.answer[:300],
            cf_fabricated=cinfo["fabricated"], cf_verbatim_rate=cinfo["verbatim"], latency_ms=round(latency, 1),
        ))  # fmt: skip
        if i % 100 == 0:
            say(f"  {i}/{len(questions)} questions")
    t_ask = time.perf_counter() - t0

    by_doc: dict[str, dict[str, float]] = {}
    for d in sorted({r.doc for r in rows}):
        by_doc[str(d)] = aggregate([r for r in rows if r.doc == d], with_auc=False)
    worst = sorted(rows, key=lambda r: (r.ours["ndcg@10"], -r.bm25["ndcg@10"], r.answered, r.id))
    overall = aggregate(rows)
    overall["passages"] = float(len(texts))
    s = settings
    config = {
        "selection": {"docs": list(selection.docs), "split": selection.split, "limit": selection.limit,
                      "label": selection.label},
        "obliqa_dir": str(folder), "index_dir": str(index.data_dir), "index_id": index.index_id,
        "counterfactual_index_dir": str(cf_index.data_dir),
        "counterfactual": f"a second index built without the {len(removed)} gold passage ids of the "
                          f"asked questions (vectors reused, nothing re-embedded)",
        "embedding_model": s.embedding_model, "embedding_backend": getattr(s, "embedding_backend", None), "retrieval": s.retrieval.model_dump(mode="json"),
        "answer": s.answer.model_dump(mode="json"), "mode": "extractive",
        "bm25_baseline": {"library": "bm25s", "k1": K1, "b": B, "stopwords": "en", "stemmer": "english"},
        "k": K, "machine": machine(),
        "timings_s": {"index": round(t_index, 1), "counterfactual_index": round(t_cf, 1),
                      "bm25": round(t_bm25, 1), "questions": round(t_ask, 1),
                      "total": round(time.perf_counter() - t_start, 1)},
    }  # fmt: skip
    version = f"questions-dev ({len(adgm.load_questions(folder))} questions)"
    return AdgmRun("adgm-obliqa", version, config, overall, by_doc, rows,
                   [r.id for r in worst[:WORST]], selection.gate_suite())  # fmt: skip


def split_counts(questions: Sequence[adgm.Question]) -> dict[str, int]:
    out = {"tune": 0, "check": 0}
    for q in questions:
        out[split_of(q.id)] += 1
    return out
