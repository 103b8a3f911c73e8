"""Build the ADGM indexes: the passages of the chosen documents, and the counterfactual one.

The counterfactual index is a real second index built WITHOUT the gold passages of the asked
questions (not a search-time exclusion: BM25 statistics and the dense neighbour graph of an
index without those passages differ slightly from an index that only hides them). It costs no
embedding: its vectors are taken from the full index by the text they embed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import cast

from assistant.index.core import MANIFEST, Index
from assistant.index.embeddings import Embedder, build_embedder
from assistant.index.ingest import FileResult, ingest_paths
from assistant.settings import Settings
from evals.real.adgm import Passage, fingerprint, write_jsonl

JSONL_DIR = "adgm-jsonl"
COUNTERFACTUAL_DIR = "counterfactual"


class QueryCache:
    """Wraps an embedder: a query is embedded once per process however many indexes ask for it."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self._query = lru_cache(maxsize=8192)(inner.embed_query)

    @property
    def embedded(self) -> int:
        return self.inner.embedded

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))


class ReuseVectors:
    """An embedder that takes a passage's vector from another index built with the same model
    (looked up by the exact text the index embeds), and embeds only what that index lacks."""

    def __init__(self, source: Index, inner: Embedder) -> None:
        self.source = source
        self.inner = inner
        self.model_id = inner.model_id
        self.embedded = 0
        self.reused = 0
        self._by_text = {c.embed_text(): cid for cid, c in source.catalog.all_chunks()}

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        ids = [self._by_text.get(t) for t in texts]
        found = self.source.vectors.vectors([i for i in ids if i]) if any(ids) else {}
        missing = [t for t, i in zip(texts, ids, strict=True) if i not in found]
        fresh = iter(self.inner.embed_documents(missing) if missing else [])
        self.embedded += len(missing)
        self.reused += len(texts) - len(missing)
        return [found[i] if i in found else next(fresh) for i in ids]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def _ingest(index: Index, passages: Sequence[Passage], docs: Iterable[int],
            progress: Callable[[str], None] | None) -> list[FileResult]:  # fmt: skip
    paths = write_jsonl(index.data_dir / JSONL_DIR, passages, docs)
    done = [0]

    def tick(r: FileResult) -> None:
        done[0] += 1
        if progress:
            progress(f"  [{done[0]}/{len(paths)}] {Path(r.path).name}: {r.status}, {r.chunks} chunks, "
                     f"{r.embedded} embedded")  # fmt: skip

    results = ingest_paths(index, paths, progress=tick)
    bad = [r for r in results if r.status == "failed"]
    if bad:
        raise RuntimeError(f"ADGM ingest failed: {'; '.join(str(r.message) for r in bad)}")
    return results


def open_or_build(settings: Settings, passages: Sequence[Passage], docs: Sequence[int], *,
                  embedder: Embedder | None = None,
                  progress: Callable[[str], None] | None = None) -> Index:  # fmt: skip
    """The index of ``docs`` in ``settings.data_dir``, built or brought up to date (re-ingesting
    unchanged files is a no-op, so an existing index costs a few seconds)."""
    t0 = time.perf_counter()
    emb = embedder if embedder is not None else cast(Embedder, QueryCache(build_embedder(settings)))
    index = Index.open(settings, emb, create=True)
    results = _ingest(index, passages, docs, progress)
    if progress:
        embedded = sum(r.embedded for r in results)
        progress(f"index {settings.data_dir}: {sum(r.chunks for r in results)} chunks, "
                 f"{embedded} embedded, {time.perf_counter() - t0:.1f} s")  # fmt: skip
    return index


def counterfactual(full: Index, passages: Sequence[Passage], docs: Sequence[int],
                   removed: set[str], progress: Callable[[str], None] | None = None) -> Index:  # fmt: skip
    """An index of ``docs`` without the passages whose ids are in ``removed``, kept beside the full
    index under counterfactual/<fingerprint of the removed ids>/ and reused when present."""
    t0 = time.perf_counter()
    kept = [p for p in passages if p.id not in removed]
    folder = full.data_dir / COUNTERFACTUAL_DIR / fingerprint(removed)
    settings = full.settings.model_copy(update={"data_dir": folder})
    fresh = not (folder / MANIFEST).exists()
    reuse = ReuseVectors(full, getattr(full.embedder, "inner", full.embedder))
    index = Index.open(settings, reuse, create=True)
    _ingest(index, kept, docs, None)
    index.embedder = full.embedder  # queries through the shared cache
    if progress:
        progress(f"counterfactual index {folder}: {len(passages) - len(kept)} gold passages left out, "
                 f"{'built' if fresh else 'reused'} ({reuse.reused} vectors reused, {reuse.embedded} embedded) "
                 f"in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    return index
