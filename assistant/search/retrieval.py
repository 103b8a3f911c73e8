"""Hybrid retrieval: exact rule references first, then BM25 + dense fused by reciprocal rank."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.index.core import Index
from assistant.search.aliases import expand
from assistant.settings import RetrievalSettings
from ingest.model import Chunk
from ingest.refs import Ref, find_refs


@dataclass(frozen=True)
class Filters:
    """Empty tuples mean no restriction."""

    kinds: tuple[str, ...] = ()
    rulebooks: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """One search result, serialised the same way by the CLI, the app and the evals."""

    rank: int
    score: float
    chunk: Chunk
    document: dict[str, Any]
    matched_by: tuple[str, ...] = ()
    dense_score: float | None = None
    bm25_score: float | None = None

    @property
    def docid(self) -> str:
        """The id a run file reports: the JSONL record id, else the chunk id."""
        return self.chunk.record_id or self.chunk.chunk_id

    def to_dict(self) -> dict[str, Any]:
        c, d = self.chunk, self.document
        return {
            "rank": self.rank, "score": round(self.score, 6), "chunk_id": c.chunk_id,
            "record_id": c.record_id, "ref": c.ref, "title": d.get("title"), "kind": d.get("kind"),
            "rulebook": c.rulebook, "page": c.pages[0] if c.pages else None,
            "pages": list(c.pages), "page_label": c.page_labels[0] if c.page_labels else None,
            "version": d.get("version"), "doc_id": c.doc_id, "source": d.get("source"),
            "jurisdiction": d.get("jurisdiction"), "heading_path": list(c.heading_path),
            "is_guidance": c.is_guidance, "repealed": c.repealed, "matched_by": list(self.matched_by),
            "dense_score": self.dense_score, "bm25_score": self.bm25_score, "text": c.text,
        }  # fmt: skip


@dataclass
class _Cand:
    score: float = 0.0
    sources: list[str] = field(default_factory=list)
    dense: float | None = None
    bm25: float | None = None
    ref_rank: tuple[int, ...] | None = None


class Retriever:
    """Searches an open ``Index``. Cheap to call repeatedly; holds no per-query state."""

    def __init__(self, index: Index, settings: RetrievalSettings | None = None) -> None:
        self.index = index
        self.cfg = settings or index.settings.retrieval
        # (generation, filters) -> allowed ids; shared by every thread asking through this
        # retriever, so read and written under the lock, and bounded
        self._allowed: dict[tuple[int, Filters], frozenset[str] | None] = {}
        self._allowed_lock = threading.Lock()

    def _allowed_ids(self, filters: Filters) -> frozenset[str] | None:
        """Chunk ids passing the filters, or None when nothing is excluded. Cached per catalog
        generation: computing it scans every chunk, which a lean query path must not do."""
        catalog = self.index.catalog
        key = (catalog.generation(), filters)
        with self._allowed_lock:
            if key in self._allowed:
                return self._allowed[key]
        restricts = (
            filters.rulebooks or filters.doc_ids or not catalog.kinds() <= set(filters.kinds)
        )
        allowed = (
            frozenset(catalog.filter_ids(filters.kinds, filters.rulebooks, filters.doc_ids))
            if restricts
            else None
        )
        with self._allowed_lock:
            if len(self._allowed) >= 64:
                self._allowed.clear()
            self._allowed[key] = allowed
        return allowed

    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        k = k or self.cfg.top_k
        filters = filters or Filters()
        if not filters.kinds:
            filters = Filters(tuple(self.cfg.default_kinds), filters.rulebooks, filters.doc_ids)
        catalog = self.index.catalog
        allowed = self._allowed_ids(filters)
        expanded, alias_refs = expand(query)
        cands: dict[str, _Cand] = {}

        def fuse(ranked: Sequence[tuple[str, float]], weight: float, name: str) -> None:
            for rank, (cid, score) in enumerate(ranked):
                if allowed is not None and cid not in allowed:
                    continue
                c = cands.setdefault(cid, _Cand())
                c.score += weight / (self.cfg.rrf_k + rank + 1)
                c.sources.append(name)
                if name == "dense":
                    c.dense = score
                elif name == "bm25":
                    c.bm25 = score

        n = self.cfg.candidates
        if self.cfg.use_bm25 and self.cfg.bm25_weight > 0:
            bm25 = self.index.sync_keywords(persist=False)
            fuse(bm25.query(expanded, n, allowed), self.cfg.bm25_weight, "bm25")
        if self.cfg.use_dense and self.cfg.dense_weight > 0:
            vec = self.index.embedder.embed_query(expanded if self.cfg.expand_dense else query)
            where = {}
            if filters.kinds and allowed is not None:
                where["kind"] = list(filters.kinds)
            if filters.rulebooks:
                where["rulebook"] = list(filters.rulebooks)
            if filters.doc_ids:
                where["doc_id"] = list(filters.doc_ids)
            fuse(self.index.query_vectors(vec, n, where or None), self.cfg.dense_weight, "dense")
        if alias_refs:
            alias_list = [(c.chunk_id, 0.0) for r in alias_refs for c in self._ref_chunks(r)]
            fuse(alias_list[:n], self.cfg.alias_weight, "alias")

        explicit = find_refs(query)
        for qi, ref in enumerate(explicit):
            for pos, chunk in enumerate(self._ref_chunks(ref)):
                if allowed is not None and chunk.chunk_id not in allowed:
                    continue
                c = cands.setdefault(chunk.chunk_id, _Cand())
                key = (
                    qi,
                    self._ref_priority(ref, chunk),
                    int(chunk.is_guidance),
                    int(chunk.repealed),
                    pos,
                )
                if c.ref_rank is None or key < c.ref_rank:
                    c.ref_rank = key
                if "ref" not in c.sources:
                    c.sources.append("ref")

        ordered = sorted(cands.items(), key=lambda kv: (
            0 if kv[1].ref_rank is not None else 1,
            kv[1].ref_rank or (),
            -kv[1].score,
        ))  # fmt: skip
        chunks = catalog.chunks(cid for cid, _ in ordered[: max(4 * k, k + 50)])
        docs = {d["doc_id"]: d for d in catalog.documents()} if chunks else {}
        hits: list[Hit] = []
        seen_records: set[tuple[str, str]] = set()
        for cid, cand in ordered:
            found = chunks.get(cid)
            if found is None:  # a vector whose document was not committed: never shown
                continue
            chunk = found
            if chunk.record_id is not None:
                record_key = (chunk.doc_id, chunk.record_id)
                if record_key in seen_records:
                    continue
                seen_records.add(record_key)
            score = cand.score + (1.0 if cand.ref_rank is not None else 0.0)
            hits.append(Hit(len(hits) + 1, score, chunk, docs.get(chunk.doc_id, {}),
                            tuple(dict.fromkeys(cand.sources)), cand.dense, cand.bm25))  # fmt: skip
            if len(hits) >= k:
                break
        return hits

    def _ref_chunks(self, ref: Ref) -> list[Chunk]:
        chunks = self.index.catalog.chunks_for_ref(ref)
        return sorted(chunks, key=lambda c: (self._ref_priority(ref, c), c.is_guidance, c.repealed))

    @staticmethod
    def _ref_priority(query_ref: Ref, chunk: Chunk) -> int:
        """0: this exact rule/paragraph; 1: the rule containing it; 2: a part of it."""
        cref = find_refs(chunk.ref or "")
        if not cref:
            return 3
        r = cref[0]
        if r == query_ref:
            return 0
        if r.base == query_ref.base:
            return 1 if r.contains(query_ref) else 2
        return 1 if r.contains(query_ref) else 2
