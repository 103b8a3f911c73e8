"""In-memory stand-ins for the catalog, the vector store and the keyword index.

Plain Python and numpy, deterministic (ties broken by insertion order), thread-safe, and held to
the same contract as the real stores (``tests/index/test_contract.py``). ``memory_index`` gives
an ``Index`` built from them: unit tests of indexing and answering run in milliseconds.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.index.catalog import embed_hash
from assistant.index.keywords import Tokenizer
from ingest.model import Chunk, Document
from ingest.refs import Ref, parse_ref

if TYPE_CHECKING:
    from assistant.index.core import Index
    from assistant.index.embeddings import Embedder
    from assistant.settings import Settings


class MemoryCatalog:
    """Documents and chunks in dicts; one lock makes every replacement atomic."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._docs: dict[str, dict[str, Any]] = {}
        self._chunks: dict[str, Chunk] = {}  # insertion order stands in for SQLite's rowid
        self._sources: dict[str, str] = {}
        self._generation = 0

    def generation(self) -> int:
        with self._lock:
            return self._generation

    def put_document(self, doc: Document, chunks: list[Chunk]) -> None:
        row = {
            "doc_id": doc.doc_id, "title": doc.title, "source": doc.source, "kind": doc.kind,
            "rulebook": doc.rulebook, "version": doc.version, "content_hash": doc.content_hash,
            "fingerprint": doc.fingerprint(), "fmt": doc.fmt, "jurisdiction": doc.jurisdiction,
            "n_chunks": len(chunks), "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "metadata": json.dumps(doc.metadata, sort_keys=True),
        }  # fmt: skip
        with self._lock:
            if len({c.chunk_id for c in chunks}) != len(chunks) or any(
                c.chunk_id in self._chunks and self._chunks[c.chunk_id].doc_id != doc.doc_id
                for c in chunks
            ):
                raise ValueError("duplicate chunk id")  # SQLite's PRIMARY KEY would refuse it
            self._drop(doc.doc_id)
            self._docs[doc.doc_id] = row
            if doc.source_key:
                self._sources[doc.doc_id] = doc.source_key
            for c in chunks:
                self._chunks[c.chunk_id] = c
            self._generation += 1

    def _drop(self, doc_id: str) -> list[str]:
        ids = self._chunk_ids_of(doc_id)
        for cid in ids:
            del self._chunks[cid]
        self._docs.pop(doc_id, None)
        self._sources.pop(doc_id, None)
        return ids

    def _chunk_ids_of(self, doc_id: str) -> list[str]:
        mine = [c for c in self._chunks.values() if c.doc_id == doc_id]
        return [c.chunk_id for c in sorted(mine, key=lambda c: c.ordinal)]

    def remove_document(self, doc_id: str) -> list[str]:
        with self._lock:
            ids = self._drop(doc_id)
            self._generation += 1
            return ids

    def documents(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = list(self._docs.values())
        rows.sort(
            key=lambda d: (d["kind"], d["rulebook"] is not None, d["rulebook"] or "", d["title"])
        )
        return [{**d, "metadata": json.loads(d["metadata"])} for d in rows]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return next((d for d in self.documents() if d["doc_id"] == doc_id), None)

    def source_key(self, doc_id: str) -> str | None:
        with self._lock:
            return self._sources.get(doc_id)

    def find_by_hash(self, content_hash: str) -> dict[str, Any] | None:
        return next((d for d in self.documents() if d["content_hash"] == content_hash), None)

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        with self._lock:
            return list(self._chunks) if doc_id is None else self._chunk_ids_of(doc_id)

    def count_chunks(self) -> int:
        with self._lock:
            return len(self._chunks)

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        with self._lock:
            return {cid: self._chunks[cid] for cid in ids if cid in self._chunks}

    def all_chunks(self) -> Iterator[tuple[str, Chunk]]:
        with self._lock:
            items = list(self._chunks.items())
        yield from items

    def embed_hashes(self, doc_id: str) -> dict[str, str]:
        with self._lock:
            return {cid: embed_hash(self._chunks[cid]) for cid in self._chunk_ids_of(doc_id)}

    def ids_by_embed_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        wanted = set(hashes)
        out: dict[str, str] = {}
        with self._lock:
            for cid, c in self._chunks.items():
                h = embed_hash(c)
                if h in wanted:
                    out.setdefault(h, cid)
        return out

    def filter_ids(self, kinds: Sequence[str] = (), rulebooks: Sequence[str] = (),
                   doc_ids: Sequence[str] = ()) -> set[str]:  # fmt: skip
        with self._lock:
            return {
                cid for cid, c in self._chunks.items()
                if (not kinds or self._docs[c.doc_id]["kind"] in kinds)
                and (not rulebooks or c.rulebook in rulebooks)
                and (not doc_ids or c.doc_id in doc_ids)
            }  # fmt: skip

    def kinds(self) -> set[str]:
        with self._lock:
            return {d["kind"] for d in self._docs.values()}

    def rulebooks(self) -> set[str]:
        with self._lock:
            return {c.rulebook for c in self._chunks.values() if c.rulebook}

    def has_rule_number(self, number: str) -> bool:
        with self._lock:
            chunks = list(self._chunks.values())
        return any((r := parse_ref(c.ref, books=(c.rulebook,)) if c.ref else None) is not None
                   and r.number == number for c in chunks)  # fmt: skip

    def books_with_rule(self, number: str) -> set[str]:
        with self._lock:
            chunks = list(self._chunks.values())
        return {r.book for c in chunks
                if (r := parse_ref(c.ref, books=(c.rulebook,)) if c.ref else None) is not None
                and r.kind == "rule" and r.number == number}  # fmt: skip

    def chunks_with_ref(self, ref: str) -> list[Chunk]:
        with self._lock:
            chunks = [c for c in self._chunks.values() if c.ref == ref]
        return sorted(chunks, key=lambda c: (c.doc_id, c.ordinal))

    def section_books(self) -> set[str]:
        with self._lock:
            return {c.rulebook for c in self._chunks.values()
                    if c.rulebook and c.ref and c.ref.startswith(f"{c.rulebook} s.")}  # fmt: skip

    def chunks_mentioning(self, phrase: str, limit: int = 2000) -> list[Chunk]:
        with self._lock:
            chunks = list(self._chunks.values())
        return [c for c in chunks if phrase.lower() in c.text.lower()][:limit]

    def chunks_after(self, doc_id: str, ordinal: int, n: int) -> list[Chunk]:
        with self._lock:
            mine = sorted((c for c in self._chunks.values()
                           if c.doc_id == doc_id and c.ordinal > ordinal),
                          key=lambda c: c.ordinal)  # fmt: skip
        return mine[:n]

    def chunks_for_ref(self, ref: Ref) -> list[Chunk]:
        with self._lock:
            chunks = list(self._chunks.values())
        out = []
        for c in chunks:
            cref = parse_ref(c.ref, books=(c.rulebook,)) if c.ref else None
            # the same pre-selection as the SQL: same book and kind, an ancestor or a descendant
            if cref is None or (cref.book, cref.kind) != (ref.book, ref.kind):
                continue
            if cref.contains(ref) or ref.contains(cref):
                out.append(c)
        return sorted(out, key=lambda c: (c.doc_id, c.ordinal))


class MemoryVectors:
    """Vectors in a dict, exact cosine search in numpy. Similarities are reported the way
    Chroma's cosine space reaches us through llama-index: ``exp(-(1 - cos))``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[np.ndarray, dict[str, str]]] = {}

    def add(
        self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]], meta: dict[str, str]
    ) -> None:
        with self._lock:
            for c, v in zip(chunks, vectors, strict=True):
                md = {"doc_id": c.doc_id, "ref": c.ref or "", "rulebook": c.rulebook or "",
                      "kind": meta.get("kind", ""), "record_id": c.record_id or ""}  # fmt: skip
                self._rows.setdefault(c.chunk_id, (np.asarray(v, dtype=np.float64), md))

    def existing(self, ids: Sequence[str]) -> set[str]:
        with self._lock:
            return {i for i in ids if i in self._rows}

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        with self._lock:
            return {i: [float(x) for x in self._rows[i][0]] for i in ids if i in self._rows}

    def all_ids(self) -> set[str]:
        with self._lock:
            return set(self._rows)

    def delete(self, ids: Sequence[str]) -> None:
        with self._lock:
            for i in ids:
                self._rows.pop(i, None)

    def count(self) -> int:
        with self._lock:
            return len(self._rows)

    def refresh(self) -> None:
        """Nothing is cached: every reader sees every write at once."""

    def query(
        self, vector: Sequence[float], k: int, where: dict[str, list[str]] | None = None
    ) -> list[tuple[str, float]]:
        with self._lock:
            rows = [
                (cid, v) for cid, (v, md) in self._rows.items()
                if not where or all(md.get(key) in vals for key, vals in where.items())
            ]  # fmt: skip
        if not rows or k <= 0:
            return []
        q = np.asarray(vector, dtype=np.float64)
        mat = np.stack([v for _, v in rows])
        norms = np.linalg.norm(mat, axis=1) * (np.linalg.norm(q) or 1.0)
        cos = mat @ q / np.where(norms == 0, 1.0, norms)
        order = sorted(range(len(rows)), key=lambda i: (-cos[i], i))[:k]
        return [(rows[i][0], math.exp(-(1.0 - float(cos[i])))) for i in order]


class MemoryKeywords:
    """Okapi BM25 (k1=1.2, b=0.75, Lucene idf) in plain Python over the real tokenizer.
    ``save`` keeps a snapshot that ``load`` restores; pass the same ``disk`` dict to two
    instances to model two processes sharing a directory."""

    k1, b = 1.2, 0.75

    def __init__(self, disk: dict[str, Any] | None = None) -> None:
        self.tokenize = Tokenizer()
        self.disk = disk if disk is not None else {}
        self._lock = threading.Lock()
        self.generation = -1
        self._state: tuple[list[str], list[dict[str, int]], list[int]] = ([], [], [])
        self._stats: tuple[object, tuple[int, dict[str, int]]] | None = None  # (state, stats)

    def build(
        self, items: Sequence[tuple[str, str]], generation: int, *, save: bool = True
    ) -> None:
        ids = [cid for cid, _ in items]
        tfs: list[dict[str, int]] = []
        for _, text in items:
            tf: dict[str, int] = {}
            for tok in self.tokenize(text) or ["_"]:
                tf[tok] = tf.get(tok, 0) + 1
            tfs.append(tf)
        lengths = [sum(tf.values()) for tf in tfs]
        with self._lock:
            self._state, self.generation = (ids, tfs, lengths), generation
            if save:
                self.disk["saved"] = (self._state, generation)

    def load(self) -> bool:
        with self._lock:
            if "saved" not in self.disk:
                return False
            self._state, self.generation = self.disk["saved"]
            return True

    def query(
        self, text: str, k: int, allowed: frozenset[str] | set[str] | None = None
    ) -> list[tuple[str, float]]:
        with self._lock:
            ids, tfs, lengths = self._state
        if not ids:
            return []
        n = len(ids)
        avg = sum(lengths) / n
        scores = [0.0] * n
        for tok in self.tokenize(text):
            df = sum(1 for tf in tfs if tok in tf)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for i, tf in enumerate(tfs):
                f = tf.get(tok, 0)
                if f:
                    norm = self.k1 * (1 - self.b + self.b * lengths[i] / avg)
                    scores[i] += idf * f * (self.k1 + 1) / (f + norm)
        ranked = sorted(
            (i for i in range(n) if scores[i] > 0 and (allowed is None or ids[i] in allowed)),
            key=lambda i: (-scores[i], i),
        )
        return [(ids[i], scores[i]) for i in ranked[:k]]

    def term_stats(self) -> tuple[int, Mapping[str, int]]:
        with self._lock:
            state = self._state
            if self._stats is not None and self._stats[0] is state:
                return self._stats[1]
        ids, tfs, _ = state
        df: dict[str, int] = {}
        for tf in tfs:
            for tok in tf:
                df[tok] = df.get(tok, 0) + 1
        with self._lock:
            self._stats = (state, (len(ids), df))
        return len(ids), df


def memory_index(settings: Settings | None = None, embedder: Embedder | None = None) -> Index:
    """An ``Index`` over fresh in-memory stores, with the hashing embedder unless one is given.
    ``settings`` defaults to the fake embedder with the audit log off."""
    from assistant.index.core import Index
    from assistant.index.embeddings import HashingEmbedder
    from assistant.settings import AnswerSettings, Settings

    if settings is None:
        settings = Settings(embedding_model="fake:hashing", answer=AnswerSettings(audit_log=False))
    return Index(
        MemoryCatalog(),
        MemoryVectors(),
        MemoryKeywords(),
        embedder or HashingEmbedder(model_id=settings.embedding_model),
        settings=settings,
    )
