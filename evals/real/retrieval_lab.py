"""Retrieval ablation lab over the ObliQA (ADGM) passages: one idea at a time, tune then check.

Works on the passages and questions directly (no Chroma): the passages are cut into chunks by the
product chunker (JSONL records, ``ref`` = PassageID), embedded once with the bundled MiniLM and
cached as ``.npy`` under ``/tmp/regassist-lab``. Scores use the trec_eval definitions of the data
README (Recall@10 and MAP@10 over passage ids; every passage sharing a gold (DocumentID,
PassageID) is relevant).

    python -m evals.real.retrieval_lab prepare      # chunks.json (seconds)
    python -m evals.real.retrieval_lab embed        # chunk and question vectors (minutes, once)
    python -m evals.real.retrieval_lab ablate       # the ablation table on tune and check
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from evals.real.adgm import data_dir

DATA = data_dir()  # REGASSIST_OBLIQA_DIR, else ../shared/data/obliqa
CACHE = Path(os.environ.get("REGASSIST_LAB_CACHE", "/tmp/regassist-lab"))


# ---------------------------------------------------------------- data


def load_passages() -> list[dict[str, Any]]:
    out = []
    for n in range(1, 41):
        f = DATA / "passages" / f"{n}.json"
        if f.exists():
            out.extend(json.loads(f.read_text()))
    return out


def load_questions() -> list[dict[str, Any]]:
    return json.loads((DATA / "questions-dev.json").read_text())


def gold_ids(
    questions: list[dict[str, Any]], passages: list[dict[str, Any]]
) -> dict[str, set[str]]:
    """Question id -> every passage ID sharing one of its gold (DocumentID, PassageID) pairs."""
    by_pair: dict[tuple[int, str], set[str]] = defaultdict(set)
    for p in passages:
        by_pair[(int(p["DocumentID"]), str(p["PassageID"]))].add(p["ID"])
    return {
        q["QuestionID"]: set().union(
            *(
                by_pair.get((int(g["DocumentID"]), str(g["PassageID"])), set())
                for g in q["Passages"]
            )
        )
        for q in questions
    }


def prepare() -> None:
    """Chunk the passages with the product loader and chunker; write chunks.json."""
    from ingest.chunker import chunk_document
    from ingest.loaders import LoadOptions, load
    from ingest.settings import ChunkingSettings

    CACHE.mkdir(parents=True, exist_ok=True)
    jdir = CACHE / "jsonl"
    jdir.mkdir(exist_ok=True)
    by_doc: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in load_passages():
        if p["Passage"].strip():
            by_doc[int(p["DocumentID"])].append(p)
    chunks = []
    for doc, ps in sorted(by_doc.items()):
        path = jdir / f"adgm-{doc}.jsonl"
        path.write_text(
            "".join(
                json.dumps({"id": p["ID"], "text": p["Passage"], "ref": p["PassageID"]}) + "\n"
                for p in ps
            )
        )
        d = load(path, LoadOptions(kind="rules"))
        for c in chunk_document(d, ChunkingSettings()):
            chunks.append({
                "cid": c.chunk_id, "pid": c.record_id, "doc": doc, "ref": c.ref, "text": c.text,
                "embed": c.embed_text(), "guidance": ".Guidance." in (c.ref or ""),
            })  # fmt: skip
    (CACHE / "chunks.json").write_text(json.dumps(chunks))
    print(
        f"{len(chunks)} chunks from {sum(map(len, by_doc.values()))} passages -> {CACHE / 'chunks.json'}"
    )


def load_chunks() -> list[dict[str, Any]]:
    return json.loads((CACHE / "chunks.json").read_text())


def embed(variant: str = "embed") -> None:
    """Embed the chunks' ``variant`` field (``embed`` = product embed_text) and the questions."""
    import torch

    from assistant.index.embeddings import SentenceTransformerEmbedder
    from assistant.settings import BUNDLED_MODEL

    torch.set_num_threads(int(os.environ.get("LAB_THREADS", "2")))
    emb = SentenceTransformerEmbedder(BUNDLED_MODEL, batch_size=32)
    model = emb._load()
    qf = CACHE / "q_emb.npy"
    if not qf.exists():
        qs = load_questions()
        v = model.encode([q["Question"] for q in qs], batch_size=64, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=False)  # fmt: skip
        np.save(qf, v.astype(np.float32))
        print("questions embedded", flush=True)
    qe = CACHE / "q_emb_expanded.npy"
    if not qe.exists():
        from assistant.search.aliases import expand

        qs = load_questions()
        base = np.load(qf)
        changed = [i for i, q in enumerate(qs) if expand(q["Question"])[0] != q["Question"]]
        if changed:
            base[changed] = model.encode([expand(qs[i]["Question"])[0] for i in changed], batch_size=64,
                                         normalize_embeddings=True, convert_to_numpy=True)  # fmt: skip
        np.save(qe, base)
        print(f"{len(changed)} expanded questions embedded", flush=True)
    if variant == "questions":
        return
    chunks = load_chunks()
    texts = [c[variant] for c in chunks]
    out = CACHE / f"c_emb_{variant}.npy"
    if out.exists() and len(np.load(out, mmap_mode="r")) == len(texts):
        print(f"{out} is up to date")
        return
    # Sort by length so batches pad little; write back in order.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vecs = np.zeros((len(texts), 384), dtype=np.float32)
    t0 = time.time()
    step = 512
    for s in range(0, len(order), step):
        idx = order[s : s + step]
        vecs[idx] = model.encode([texts[i] for i in idx], batch_size=32, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)  # fmt: skip
        print(f"{s + len(idx)}/{len(order)} {time.time() - t0:.0f}s", flush=True)
    np.save(out, vecs)
    print(f"-> {out}")


# ---------------------------------------------------------------- the lab's own matrix-form retrievers


class Corpus:
    """Chunks, the chunk->passage map and the scored question sets, in matrix form."""

    def __init__(self) -> None:
        self.passages = load_passages()
        self.questions = load_questions()
        self.chunks = load_chunks()
        self.gold = gold_ids(self.questions, self.passages)
        pids: list[str] = []
        starts: list[int] = []
        for i, c in enumerate(self.chunks):
            if not pids or pids[-1] != c["pid"]:
                pids.append(c["pid"])
                starts.append(i)
        assert len(set(pids)) == len(pids), "a passage's chunks must be contiguous"
        self.pids = np.array(pids)
        self.starts = np.array(starts)
        self.pid_index = {p: i for i, p in enumerate(pids)}
        first = [self.chunks[s] for s in starts]
        self.p_guidance = np.array([c["guidance"] for c in first])
        self.p_ref = [c["ref"] or "" for c in first]
        self.p_doc = np.array([c["doc"] for c in first])
        self.p_len = np.zeros(len(pids))
        np.add.at(self.p_len, np.searchsorted(self.starts, np.arange(len(self.chunks)), "right") - 1,
                  [len(c["text"]) for c in self.chunks])  # fmt: skip
        from evals.real.splits import split_of

        self.split = {q["QuestionID"]: split_of(q["QuestionID"]) for q in self.questions}
        self.qpos = {q["QuestionID"]: i for i, q in enumerate(self.questions)}

    def to_passages(self, chunk_scores: np.ndarray) -> np.ndarray:
        """(n, chunks) -> (n, passages), max over each passage's chunks."""
        return np.maximum.reduceat(chunk_scores, self.starts, axis=1)

    def qids(self, split: str) -> list[str]:
        ids = [q["QuestionID"] for q in self.questions if self.split[q["QuestionID"]] == split
               and self.gold[q["QuestionID"]]]  # fmt: skip
        limit = int(os.environ.get("LAB_LIMIT", "0"))
        return ids[:limit] if limit else ids


def metrics(ranked: list[list[str]], gold: list[set[str]], k: int = 10) -> dict[str, float]:
    """trec_eval Recall@k and MAP@k (map_cut: divided by the number of relevant passages)."""
    rec, ap = [], []
    for run, rel in zip(ranked, gold, strict=True):
        hits, s = 0, 0.0
        for i, d in enumerate(run[:k], start=1):
            if d in rel:
                hits += 1
                s += hits / i
        rec.append(hits / len(rel))
        ap.append(s / len(rel))
    return {"R@10": float(np.mean(rec)), "MAP@10": float(np.mean(ap))}


def top_ids(corpus: Corpus, scores: np.ndarray, k: int = 10) -> list[list[str]]:
    part = np.argpartition(-scores, k, axis=1)[:, :k]
    out = []
    for row, idx in zip(scores, part, strict=True):
        idx = idx[np.argsort(-row[idx], kind="stable")]
        out.append(list(corpus.pids[idx]))
    return out


_WORD = None


def tok_plain(text: str) -> list[str]:
    """The baseline: bm25s's default tokens (lowercase words of 2+ chars), Lucene stop words."""
    import re

    import bm25s.stopwords as sw

    global _WORD
    if _WORD is None:
        _WORD = (re.compile(r"(?u)\b\w\w+\b"), frozenset(sw.STOPWORDS_EN))
    rx, stop = _WORD
    return [t for t in rx.findall(text.lower()) if t not in stop]


class BM25:
    """BM25 (Lucene idf) as a sparse chunk x term weight matrix; scores every chunk at once."""

    def __init__(self, docs: list[list[str]], k1: float = 0.9, b: float = 0.4) -> None:
        from scipy import sparse

        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, toks in enumerate(docs):
            counts: dict[int, int] = defaultdict(int)
            for t in toks:
                counts[vocab.setdefault(t, len(vocab))] += 1
            for j, n in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(n)
        tf = sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(docs), len(vocab)), dtype=np.float32
        )
        dl = np.asarray(tf.sum(axis=1)).ravel()
        df = np.bincount(cols, minlength=len(vocab))
        n = len(docs)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = k1 * (1 - b + b * dl / max(dl.mean(), 1e-9))
        tf = tf.tocoo()
        w = tf.data / (tf.data + norm[tf.row]) * self.idf[tf.col]  # bm25s's Lucene variant
        self.W = sparse.csr_matrix((w, (tf.row, tf.col)), shape=tf.shape).T.tocsr()  # terms x docs
        self.vocab = vocab
        self.df = df

    def query_matrix(self, queries: list[list[str]], weights: list[dict[str, float]] | None = None):
        from scipy import sparse

        rows, cols, vals = [], [], []
        for i, toks in enumerate(queries):
            seen: dict[int, float] = {}
            for t in toks:
                j = self.vocab.get(t)
                if j is not None:
                    seen[j] = seen.get(j, 0.0) + 1.0
            if weights is not None:
                for t, wt in weights[i].items():
                    j = self.vocab.get(t)
                    if j is not None:
                        seen[j] = seen.get(j, 0.0) + wt
            for j, v in seen.items():
                rows.append(i)
                cols.append(j)
                vals.append(v)
        return sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(queries), len(self.vocab)), dtype=np.float32
        )

    def scores(self, queries: list[list[str]], **kw: Any) -> np.ndarray:
        return np.asarray((self.query_matrix(queries, **kw) @ self.W).todense())


# ---------------------------------------------------------------- candidates and learned ranking


@dataclass
class Lab:
    """Cached score matrices (questions x chunks) for one configuration of both retrievers."""

    corpus: Corpus
    bm25: np.ndarray
    dense: np.ndarray
    qids: list[str]
    qterms: list[int]
    qnums: list[set[str]]


def make_lab(corpus: Corpus, qids: list[str], k1: float = 1.2, b: float = 0.75,
             expand_queries: bool = True) -> Lab:  # fmt: skip
    """Score matrices as the product computes them: BM25 (bm25s defaults k1 1.2, b 0.75) over
    chunk embed texts with the alias-expanded query; cosine of the (expanded) query's vector."""
    from assistant.index.keywords import Tokenizer
    from assistant.search.aliases import expand
    from assistant.search.ranker import rule_numbers

    tok = Tokenizer()
    bm = BM25([tok(c["embed"]) for c in corpus.chunks], k1, b)
    raw = [corpus.questions[corpus.qpos[q]]["Question"] for q in qids]
    texts = [expand(t)[0] for t in raw] if expand_queries else raw
    qtoks = [tok(t) for t in texts]
    sb = bm.scores(qtoks)
    qfile = CACHE / ("q_emb_expanded.npy" if expand_queries else "q_emb.npy")
    if not qfile.exists():
        qfile = CACHE / "q_emb.npy"
    qv = np.load(qfile)[[corpus.qpos[q] for q in qids]]
    cv = np.load(CACHE / "c_emb_embed.npy")
    sd = qv @ cv.T
    return Lab(corpus, sb, sd, qids, [len(set(t)) for t in qtoks], [rule_numbers(t) for t in raw])


def candidates(lab: Lab, i: int, n: int = 50):
    """Chunk indices and ``ranker.Candidates`` for question i: the union of both top-n lists."""
    from assistant.search.ranker import Candidates, is_guidance, ref_features

    chunks = lab.corpus.chunks
    sb, sd = lab.bm25[i], lab.dense[i]
    tb = np.argpartition(-sb, n)[:n]
    tb = tb[np.argsort(-sb[tb], kind="stable")]
    tb = tb[sb[tb] > 0]
    td = np.argpartition(-sd, n)[:n]
    td = td[np.argsort(-sd[td], kind="stable")]
    idx = np.array(list(dict.fromkeys([*tb.tolist(), *td.tolist()])))
    rb = {c: r for r, c in enumerate(tb.tolist())}
    rd = {c: r for r, c in enumerate(td.tolist())}
    bmin = float(sb[tb[-1]]) if len(tb) else 0.0
    dmin = float(sd[td[-1]])
    bm = np.array([sb[c] if c in rb else bmin for c in idx.tolist()])
    dn = np.array([sd[c] if c in rd else dmin for c in idx.tolist()])
    pos = {c: j for j, c in enumerate(idx.tolist())}
    docs = np.array([chunks[c]["doc"] for c in idx.tolist()])
    prev = np.array([pos.get(c - 1, -1) if c > 0 and chunks[c - 1]["doc"] == chunks[c]["doc"] else -1
                     for c in idx.tolist()])  # fmt: skip
    nxt = np.array([pos.get(c + 1, -1) if c + 1 < len(chunks) and chunks[c + 1]["doc"] == chunks[c]["doc"]
                    else -1 for c in idx.tolist()])  # fmt: skip
    rf = [ref_features(lab.qnums[i], chunks[c]["ref"], chunks[c]["text"]) for c in idx.tolist()]
    cand = Candidates(
        bm25=bm, bm25_rank=np.array([rb.get(c, n) for c in idx.tolist()], dtype=float), dense=dn,
        dense_rank=np.array([rd.get(c, n) for c in idx.tolist()], dtype=float), prev=prev, next=nxt,
        doc=docs, guidance=np.array([is_guidance(chunks[c]["ref"]) for c in idx.tolist()]),
        length=np.array([len(chunks[c]["text"]) for c in idx.tolist()], dtype=float),
        ref_match=np.array([r[0] for r in rf]), ref_in_text=np.array([r[1] for r in rf]),
        query_terms=lab.qterms[i],
    )  # fmt: skip
    return idx, cand


def ranked_passages(lab: Lab, chunk_idx: np.ndarray, scores: np.ndarray, k: int = 10,
                    agreed: Any = None) -> list[str]:  # fmt: skip
    """Passage ids by ``scores``; with ``agreed`` (a Candidates), the product's order: the first
    ``ranker.AGREED`` places go to candidates in both lists (``ranker.agreed_first``)."""
    from assistant.search.ranker import agreed_first

    order = np.argsort(-scores, kind="stable")
    if agreed is not None:
        n = int(max(agreed.bm25_rank.max(), agreed.dense_rank.max()))
        order = agreed_first(order, (agreed.bm25_rank < n) & (agreed.dense_rank < n))
    out: list[str] = []
    for j in order:
        pid = lab.corpus.chunks[int(chunk_idx[j])]["pid"]
        if pid not in out:
            out.append(pid)
            if len(out) == k:
                break
    return out


def feature_set(lab: Lab, n: int = 50):
    """X, y, group sizes, per-question chunk indices for the lab's questions."""
    from assistant.search.ranker import features

    xs, ys, groups, idxs = [], [], [], []
    for i, q in enumerate(lab.qids):
        idx, cand = candidates(lab, i, n)
        x = features(cand)
        gold = lab.corpus.gold[q]
        xs.append(x)
        ys.append(np.array([lab.corpus.chunks[c]["pid"] in gold for c in idx.tolist()], dtype=int))
        groups.append(len(idx))
        idxs.append(idx)
    return np.vstack(xs), np.concatenate(ys), groups, idxs


# ---------------------------------------------------------------- the ablation table


def baseline_scores(corpus: Corpus, qids: list[str]) -> np.ndarray:
    """The RIRAG plain BM25 (evals/real/bm25_baseline.py): passage text alone, bm25s tokens,
    English stop words, Snowball stems, k1 0.9, b 0.4; (questions x passages)."""
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    text = {p["ID"]: p["Passage"] for p in corpus.passages}
    bm = BM25([[stem(t) for t in tok_plain(text[p])] for p in corpus.pids], 0.9, 0.4)
    qs = [[stem(t) for t in tok_plain(corpus.questions[corpus.qpos[q]]["Question"])] for q in qids]
    return bm.scores(qs)


def _rrf(c: Any, n: int, wb: float = 1.0, wd: float = 1.0) -> np.ndarray:
    from assistant.search.fusion import rrf_term

    return (np.where(c.bm25_rank < n, rrf_term(c.bm25_rank, wb), 0.0)
            + np.where(c.dense_rank < n, rrf_term(c.dense_rank, wd), 0.0))  # fmt: skip


def _minmax(v: np.ndarray) -> np.ndarray:
    lo, hi = float(v.min()), float(v.max())
    return (v - lo) / (hi - lo) if hi > lo else np.zeros_like(v)


def ablate(n: int = 50, folds: int = 5) -> list[dict[str, Any]]:
    """Every row of the ablation table on tune and check. Weights are chosen on tune only."""
    from assistant.search.ranker import features
    from evals.real.ltr import fit
    from evals.real.splits import require_tune

    corpus = Corpus()
    split_ids = {sp: corpus.qids(sp) for sp in ("tune", "check")}
    rows: list[dict[str, Any]] = []

    def add(name: str, per_split: dict[str, list[list[str]]]) -> None:
        row: dict[str, Any] = {"row": name}
        for sp, ranked in per_split.items():
            m = metrics(ranked, [corpus.gold[q] for q in split_ids[sp]])
            row[f"{sp} R@10"], row[f"{sp} MAP@10"] = round(m["R@10"], 4), round(m["MAP@10"], 4)
        rows.append(row)
        print(json.dumps(row), flush=True)

    add("BM25 baseline (RIRAG plain: text, stems, k1 0.9 b 0.4)",
        {sp: _top_passages(corpus, baseline_scores(corpus, ids)) for sp, ids in split_ids.items()})  # fmt: skip
    labs = {sp: make_lab(corpus, ids) for sp, ids in split_ids.items()}
    add("BM25 product (rule-number tokens, ref in text, aliases; k1 1.2 b 0.75)",
        {sp: top_ids(corpus, corpus.to_passages(lab.bm25)) for sp, lab in labs.items()})  # fmt: skip
    add("Dense only (MiniLM, ref + text)",
        {sp: top_ids(corpus, corpus.to_passages(lab.dense)) for sp, lab in labs.items()})  # fmt: skip
    cands = {sp: [candidates(lab, i, n) for i in range(len(lab.qids))] for sp, lab in labs.items()}

    def ranked_by(fn: Any) -> dict[str, list[list[str]]]:
        return {sp: [ranked_passages(labs[sp], idx, fn(c)) for idx, c in cands[sp]] for sp in labs}

    add("Hybrid today: equal-weight RRF (k 60) of top-50 lists", ranked_by(lambda c: _rrf(c, n)))

    def fit_weight(fn: Any, grid: list[float]) -> float:
        best = max(grid, key=lambda w: metrics(
            [ranked_passages(labs["tune"], idx, fn(c, w)) for idx, c in cands["tune"]],
            [corpus.gold[q] for q in split_ids["tune"]])["MAP@10"])  # fmt: skip
        return best

    grid = [round(0.1 * i, 1) for i in range(1, 10)]
    w = fit_weight(lambda c, w: _rrf(c, n, w, 1 - w), grid)
    add(f"Weighted RRF, BM25 weight {w} fitted on tune", ranked_by(lambda c: _rrf(c, n, w, 1 - w)))
    w = fit_weight(lambda c, w: w * _minmax(c.bm25) + (1 - w) * _minmax(c.dense), grid)
    add(f"Score-normalised fusion (min-max), BM25 weight {w} fitted on tune",
        ranked_by(lambda c: w * _minmax(c.bm25) + (1 - w) * _minmax(c.dense)))  # fmt: skip

    # Learned ranking: out-of-fold on tune, fitted on all of tune for check.
    xs = {sp: [features(c) for _, c in cands[sp]] for sp in labs}
    ys = {sp: [np.array([corpus.chunks[int(j)]["pid"] in corpus.gold[q] for j in idx], dtype=int)
               for q, (idx, _) in zip(split_ids[sp], cands[sp], strict=True)] for sp in labs}  # fmt: skip
    tune_ids = split_ids["tune"]
    require_tune(tune_ids, "fitting the re-ranker")
    fold = np.arange(len(tune_ids)) % folds
    oof: list[list[str]] = [[] for _ in tune_ids]
    oof_agreed: list[list[str]] = [[] for _ in tune_ids]
    for f in range(folds):
        tr = [i for i in range(len(tune_ids)) if fold[i] != f]
        booster = fit(np.vstack([xs["tune"][i] for i in tr]), np.concatenate([ys["tune"][i] for i in tr]),
                      [len(ys["tune"][i]) for i in tr], [tune_ids[i] for i in tr])  # fmt: skip
        for i in range(len(tune_ids)):
            if fold[i] == f:
                sc = booster.predict(xs["tune"][i])
                oof[i] = ranked_passages(labs["tune"], cands["tune"][i][0], sc)
                oof_agreed[i] = ranked_passages(labs["tune"], cands["tune"][i][0], sc,
                                                agreed=cands["tune"][i][1])  # fmt: skip
    booster = fit(
        np.vstack(xs["tune"]), np.concatenate(ys["tune"]), [len(y) for y in ys["tune"]], tune_ids
    )
    add("Learned ranker (LightGBM LambdaRank, 16 features; tune = 5-fold out-of-fold)", {
        "tune": oof,
        "check": [ranked_passages(labs["check"], idx, booster.predict(x))
                  for (idx, _), x in zip(cands["check"], xs["check"], strict=True)],
    })  # fmt: skip
    add("Shipped: learned order, top 3 places for candidates both retrievers found", {
        "tune": oof_agreed,
        "check": [ranked_passages(labs["check"], idx, booster.predict(x), agreed=c)
                  for (idx, c), x in zip(cands["check"], xs["check"], strict=True)],
    })  # fmt: skip
    (CACHE / "ablation.json").write_text(json.dumps(rows, indent=1))
    return rows


def _top_passages(corpus: Corpus, scores: np.ndarray, k: int = 10) -> list[list[str]]:
    return top_ids(corpus, scores, k)


def golden(settings_json: str = "{}") -> dict[str, float]:
    """hit@5, MRR and hit@3 on the AIFC golden set, the way ``evals.runner`` counts them
    (answer top_k results). Builds a real-model index of ``corpus/`` once under the cache."""
    from assistant.index.core import Index
    from assistant.index.ingest import ingest_paths
    from assistant.search.retrieval import Retriever
    from assistant.settings import RetrievalSettings, Settings
    from evals import metrics as m
    from evals.dataset import load_dataset

    data_dir = CACHE / "golden-index"
    if not (data_dir / "manifest.json").exists():
        idx = Index.open(Settings(data_dir=data_dir), create=True)
        ingest_paths(idx, [Path(__file__).resolve().parents[2] / "corpus"])
    settings = Settings(data_dir=data_dir)
    index = Index.open(settings)
    rs = RetrievalSettings(**{**settings.retrieval.model_dump(), **json.loads(settings_json)})
    r = Retriever(index, rs)
    qs = [q for q in load_dataset() if q.expected_refs]
    ranks = []
    times = []
    for q in qs:
        t0 = time.perf_counter()
        hits = r.search(q.question, k=settings.answer.top_k)
        times.append((time.perf_counter() - t0) * 1000)
        ranks.append(m.first_hit_rank([h.chunk.ref for h in hits], list(q.expected_refs)))
    out = {
        "hit@3": float(np.mean([1.0 if x and x <= 3 else 0.0 for x in ranks])),
        "hit@5": float(np.mean([1.0 if x and x <= 5 else 0.0 for x in ranks])),
        "mrr": float(np.mean([1.0 / x if x else 0.0 for x in ranks])),
        "p50_ms": float(np.median(times)),
        "n": float(len(qs)),
    }
    print(json.dumps(out))
    return out


def latency(data_dir: str, n: int = 200) -> dict[str, float]:
    """Search p50/p90 (ms) over ``n`` ADGM questions on an existing index, ranker on and off,
    alternating per query so both see the same machine load."""
    from assistant.index.core import Index
    from assistant.search.retrieval import Retriever
    from assistant.settings import RetrievalSettings, Settings

    settings = Settings(data_dir=Path(data_dir))
    index = Index.open(settings)
    base = settings.retrieval.model_dump()
    on = Retriever(index, RetrievalSettings(**{**base, "rerank": True}))
    off = Retriever(index, RetrievalSettings(**{**base, "rerank": False}))
    qs = [q["Question"] for q in load_questions()][:n]
    for r in (on, off):
        r.search(qs[0], k=10)  # warm: model, keyword index, ranker
    times: dict[str, list[float]] = {"rerank": [], "rrf": []}
    for q in qs:
        for name, r in (("rerank", on), ("rrf", off)):
            t0 = time.perf_counter()
            r.search(q, k=10)
            times[name].append((time.perf_counter() - t0) * 1000)
    out = {"chunks": float(index.catalog.count_chunks())}
    for name, v in times.items():
        out[f"{name}_p50_ms"] = float(np.percentile(v, 50))
        out[f"{name}_p90_ms"] = float(np.percentile(v, 90))
    print(json.dumps(out))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("cmd", choices=["prepare", "embed", "ablate", "golden", "latency"])
    ap.add_argument("--data-dir", help="an index to time searches on, for latency")
    ap.add_argument(
        "--settings", default="{}", help="RetrievalSettings overrides (JSON), for golden"
    )
    ap.add_argument("--variant", default="embed")
    args = ap.parse_args(argv)
    if args.cmd == "prepare":
        prepare()
    elif args.cmd == "embed":
        embed(args.variant)
    elif args.cmd == "ablate":
        ablate()
    elif args.cmd == "latency":
        latency(args.data_dir)
    elif args.cmd == "golden":
        golden(args.settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
