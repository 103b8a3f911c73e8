"""The index: catalog (SQLite) + vectors (Chroma) + keywords (BM25), kept in step.

Write order for a document: vectors first, then the catalog transaction (the commit record),
then removal of vectors no longer referenced, then the keyword index. Readers trust only the
catalog, so a crash at any point leaves no half-ingested document visible.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import IndexMismatchError, IndexMissingError, RegassistError
from assistant.index.catalog import Catalog, embed_hash
from assistant.index.embeddings import Embedder, build_embedder
from assistant.index.keywords import BM25Index
from assistant.index.protocols import CatalogStore, KeywordIndex, VectorStore
from assistant.index.vectors import ChromaVectors
from assistant.settings import Settings
from ingest.model import Chunk, Document

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
FORMAT_VERSION = 1


def committed_documents(data_dir: Path) -> list[tuple[str, str]] | None:
    """(title, source) of each document committed to the catalog in ``data_dir``, read without
    opening the index (read-only, no lock, no vector store); [] without a catalog, None when it
    cannot be read (opening the index says why)."""
    import sqlite3

    db = data_dir / "catalog.sqlite3"
    if not db.exists():
        return []
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
            return con.execute("SELECT title, source FROM documents ORDER BY title").fetchall()
    except sqlite3.Error:
        return None


def _holds_nothing(data_dir: Path) -> bool:
    """Whether the index in ``data_dir`` has no document committed (no catalog, or an empty one)."""
    return committed_documents(data_dir) == []  # (unreadable: not this function's to judge)


class Index:
    """Composes the stores it is given (see ``assistant.index.protocols``). ``Index.open(settings)``
    builds the real ones in ``settings.data_dir`` (``create=True`` when ingesting);
    ``assistant.index.fakes.memory_index()`` builds in-memory ones for tests.

    One ``Index`` may serve many threads: the shared bookkeeping (which catalog generation the
    vector client and the keyword index have seen) changes only under ``self._lock``."""

    def __init__(
        self,
        catalog: CatalogStore,
        vectors: VectorStore,
        keywords: KeywordIndex,
        embedder: Embedder,
        *,
        settings: Settings | None = None,
        manifest: dict[str, Any] | None = None,
        lock_file: Path | None = None,
    ) -> None:
        self.settings = settings or Settings(embedding_model=embedder.model_id)
        self.embedder = embedder
        self.manifest = manifest or {}
        self.data_dir = self.settings.data_dir
        self.catalog = catalog
        self.vectors = vectors
        self.keywords = keywords
        self._lock_file = lock_file  # None: in-memory stores, one process, a thread lock is enough
        self._writer = threading.Lock()
        self._lock = threading.RLock()
        self._dense = threading.local()  # per thread: why its last dense search came back empty
        self._vectors_generation = self.catalog.generation()
        self._refreshes = 0

    @classmethod
    def open(
        cls, settings: Settings, embedder: Embedder | None = None, *, create: bool = False
    ) -> Index:
        """Open the index in ``settings.data_dir``, refusing one built with other settings."""
        data_dir = settings.data_dir
        path = data_dir / MANIFEST
        wanted = settings.index_identity()
        if path.exists():
            try:
                manifest = json.loads(path.read_text())
            except (OSError, ValueError) as exc:
                raise RegassistError(f"unreadable index manifest {path}: {exc}",
                                     "delete the data directory and ingest again") from exc  # fmt: skip
            mode = "server" if settings.chroma_url else "embedded"
            if manifest.get("vector_store", "embedded") != mode:
                raise IndexMismatchError(
                    f"the index in {data_dir} keeps its vectors in {manifest.get('vector_store', 'embedded')} "
                    f"Chroma, but these settings use {mode} Chroma",
                    "use the same mode (set or unset REGASSIST_CHROMA_URL / --chroma-url), "
                    "or build a new index in another --data-dir",
                )
            built = {k: manifest.get(k) for k in wanted}
            if built != wanted:
                diffs = [f"{k}: index has {built[k]!r}, settings ask for {wanted[k]!r}"
                         for k in wanted if built[k] != wanted[k]]  # fmt: skip
                # (an index of no document yet, left by a first ingest that failed: a model that
                # cannot load; the manifest is not reset here, since another process may be
                # filling it, a review: only the hint says so)
                empty = _holds_nothing(data_dir)
                raise IndexMismatchError(
                    f"the index in {data_dir} was built with different settings ({'; '.join(diffs)})"
                    + ("; it holds no document yet" if empty else ""),
                    (f"delete {data_dir} (nothing is lost) and ingest again" if empty else
                     "query it with the settings that built it, use another --data-dir, "
                     "or rebuild: delete the data directory and ingest again"),
                )  # fmt: skip
            kept = manifest.get("collection")
            if kept and "collection" in settings.model_fields_set and settings.collection != kept:
                raise IndexMismatchError(
                    f"the index in {data_dir} keeps its vectors in the Chroma collection {kept!r}, "
                    f"but REGASSIST_COLLECTION asks for {settings.collection!r}",
                    "unset REGASSIST_COLLECTION, or build a new index in another --data-dir",
                )
        elif create:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # REGASSIST_DATA_DIR naming a file: a traceback (an ops trial)
                from assistant.errors import UsageError

                raise UsageError(
                    f"cannot make the data directory {data_dir}: {exc.strerror or exc}",
                    "point --data-dir / REGASSIST_DATA_DIR at a directory",
                ) from exc
            manifest = {**wanted, "index_id": settings.index_id(), "format_version": FORMAT_VERSION,
                        "vector_store": "server" if settings.chroma_url else "embedded",
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
            if settings.chroma_url and "collection" in settings.model_fields_set:
                # a collection named for a new index that another index already fills: both
                # would delete each other's vectors at every ingest, as left by an interrupted
                # one (an ops trial, eighteenth session, with REGASSIST_COLLECTION set for both)
                from assistant.index.vectors import vectors_in

                held = vectors_in(settings.chroma_url, settings.collection)
                if held:
                    raise IndexMismatchError(
                        f"the Chroma collection {settings.collection!r} on {settings.chroma_url} "
                        f"already holds {held} vector(s) of another index",
                        "name a collection of its own in REGASSIST_COLLECTION (or unset it: a new "
                        "index gets one), or use the data directory that built it; to rebuild an "
                        "index whose data directory was deleted, delete the old collection first "
                        f'(python -c "import chromadb; chromadb.HttpClient(host=..., port=...)'
                        f".delete_collection('{settings.collection}')\")",
                    )
            if settings.chroma_url and "collection" not in settings.model_fields_set:
                # On a shared Chroma server each index has a collection of its own: two data
                # directories writing to one collection deleted each other's vectors as "left by
                # an interrupted ingest" (ops trial, 2026-12-04). Replicas that share the data
                # directory read the name from this manifest.
                manifest["collection"] = f"{settings.collection}-{uuid.uuid4().hex[:12]}"
            tmp = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
            tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
            # the first of two processes creating the index at once wins; the other opens the
            # index it made, with the same checks as any existing index (and so its collection)
            try:
                os.link(tmp, path)
            except FileExistsError:
                tmp.unlink(missing_ok=True)
                return cls.open(settings, embedder, create=create)
            except OSError:  # a filesystem without hard links (SMB, FAT): replace, as before
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)
        else:
            raise IndexMissingError(
                f"no index in {data_dir}",
                f"build one first: regassist ingest corpus --data-dir {data_dir}",
            )
        chroma_path = None if settings.chroma_url else data_dir / "chroma"
        try:
            catalog = Catalog(data_dir / "catalog.sqlite3")
            vectors = ChromaVectors(
                chroma_path,
                str(manifest.get("collection") or settings.collection),
                settings.chroma_url,
                ef_search=settings.hnsw_ef_search,
            )
        except Exception as exc:
            # an index this user may read but not write (another user's, a read-only mount):
            # SQLite and embedded Chroma both write on open, and a raw traceback said so (a
            # hostile-input trial, 2026-12-04)
            # (on a read-only filesystem SQLite says only "unable to open database file", an ops
            # trial, twentieth session)
            cannot_open = "unable to open database file" in str(exc)
            if ("readonly" in str(exc).replace("-", "").lower() or isinstance(exc, PermissionError)
                    or (cannot_open and not os.access(data_dir, os.W_OK))):  # fmt: skip
                raise RegassistError(
                    f"the index in {data_dir} is not writable by this user, or its filesystem "
                    f"is read-only ({exc})",
                    "SQLite and Chroma write even to read: give this user write access to the "
                    "data directory, or copy it somewhere writable",
                ) from exc
            damaged = ("not a database", "malformed", "database disk image")
            if any(d in str(exc).lower() for d in damaged):
                # a damaged catalog or Chroma store gave a 40-line traceback (an ops trial,
                # eighteenth session)
                where = "its Chroma store" if "chroma" in type(exc).__module__ else "its catalog"
                raise RegassistError(
                    f"the index in {data_dir} is damaged: {where} cannot be read ({exc})",
                    "restore the data directory from a backup, or delete it and ingest again",
                ) from exc
            raise
        return cls(
            catalog,
            vectors,
            BM25Index(data_dir / "bm25"),
            embedder or build_embedder(settings),
            settings=settings,
            manifest=manifest,
            lock_file=data_dir / ".write.lock",
        )

    @property
    def index_id(self) -> str:
        return str(self.manifest.get("index_id", ""))

    @contextmanager
    def write_lock(self, wait_s: float | None = None,
                   on_wait: Callable[[], None] | None = None) -> Iterator[None]:  # fmt: skip
        """One writer at a time across processes; a second writer waits (``wait_s``, else the
        settings' ``lock_wait_s``: `remove` waited its own 600 s, an ops trial), then fails
        clearly. ``on_wait`` is called once when the lock is found held, so that a waiting
        command can say why it is silent."""
        wait_s = self.settings.lock_wait_s if wait_s is None else wait_s
        if self._lock_file is None:
            if not self._writer.acquire(timeout=wait_s):
                raise RegassistError("another ingest holds the index lock",
                                     "wait for it to finish and try again")  # fmt: skip
            try:
                yield
            finally:
                self._writer.release()
            return
        self._lock_file.parent.mkdir(parents=True, exist_ok=True)
        with self._lock_file.open("w") as fh:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if on_wait is not None:
                        on_wait()
                        on_wait = None
                    if time.monotonic() > deadline:
                        raise RegassistError(
                            f"another ingest holds the index lock in {self.data_dir}",
                            "wait for it to finish and try again",
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def fingerprint_of(self, doc_id: str) -> str | None:
        doc = self.catalog.document(doc_id)
        return doc["fingerprint"] if doc else None

    def upsert(self, doc: Document, chunks: list[Chunk]) -> int:
        """Store a document's chunks, embedding only text not already in the index. Returns
        the number of passages embedded. Call under ``write_lock``."""
        old = self.catalog.embed_hashes(doc.doc_id)
        old_ids = set(old)
        ids = [c.chunk_id for c in chunks]
        # a chunk whose text is unchanged but whose embedding text is not (a heading a new
        # parser gives it): its vector is made again, not kept (the id is of the text alone)
        changed = {c.chunk_id for c in chunks
                   if c.chunk_id in old and old[c.chunk_id] != embed_hash(c)}  # fmt: skip
        present = self.vectors.existing(ids) - changed if ids else set()
        todo = [c for c in chunks if c.chunk_id not in present]
        # (never the stale vector of a changed chunk, reused for another)
        reuse_from = {h: cid for h, cid in
                      self.catalog.ids_by_embed_hash(embed_hash(c) for c in todo).items()
                      if cid not in changed}  # fmt: skip
        reused = self.vectors.vectors(list(set(reuse_from.values()))) if reuse_from else {}
        fresh = [c for c in todo if reuse_from.get(embed_hash(c)) not in reused]
        new_vecs = self.embedder.embed_documents([c.embed_text() for c in fresh]) if fresh else []
        if changed:  # (only once their new vectors are made: an embedder failing loses none)
            self.vectors.delete(sorted(changed))
        vec_of = dict(zip((c.chunk_id for c in fresh), new_vecs, strict=True))
        for c in todo:
            if c.chunk_id not in vec_of:
                vec_of[c.chunk_id] = reused[reuse_from[embed_hash(c)]]
        if todo:
            self.vectors.add(todo, [vec_of[c.chunk_id] for c in todo], {"kind": doc.kind})
        self.catalog.put_document(doc, chunks)
        with self._lock:
            self._vectors_generation = self.catalog.generation()  # our own client saw these writes
        stale = sorted(old_ids - set(ids))  # chunk ids embed the doc id: never shared
        if stale:
            self.vectors.delete(stale)
        return len(fresh)

    def remove(self, doc_id: str) -> int:
        """Delete a document and its vectors; returns how many chunks it had."""
        ids = self.catalog.remove_document(doc_id)
        if ids:
            self.vectors.delete(ids)
        with self._lock:
            self._vectors_generation = self.catalog.generation()
        return len(ids)

    def query_vectors(
        self, vector: list[float], k: int, where: dict[str, list[str]] | None
    ) -> list[tuple[str, float]]:
        """Dense search that survives other processes writing to the same embedded Chroma:
        reopen when the catalog moved on, retry once on a Chroma error, else return nothing
        (the caller still has BM25 and exact-ref results)."""
        self._dense.problem = None
        try:
            with self._lock:
                gen = self.catalog.generation()
                if gen != self._vectors_generation:
                    self.vectors.refresh()
                    self._vectors_generation = gen
                    self._refreshes += 1
                seen = self._refreshes
            for attempt in range(2):
                try:
                    found = self.vectors.query(vector, k, where)
                    if not found and self.vectors.count() == 0 and self.catalog.count_chunks():
                        # an empty store beside a catalog with passages: a server that lost its
                        # data, or the wrong server (an ops trial, eighteenth session: answers
                        # went keyword-only without a word)
                        self._dense.problem = "the vector store holds none of this index's vectors"
                    return found
                except Exception:  # chromadb raises InternalError and friends mid-write
                    if attempt:
                        raise
                    with self._lock:  # reopen once, not once per thread that saw the same failure
                        if self._refreshes == seen:
                            self.vectors.refresh()
                            self._refreshes += 1
        except Exception as exc:  # a server that cannot be reached (on reopening, too)
            log.warning("dense search unavailable, using keyword results only: %s", exc)
            self._dense.problem = "dense search unavailable: " + str(exc).split("\n")[0][:200]
        return []

    def dense_problem(self) -> str | None:
        """Why the last dense search of this thread found nothing it should have (the store
        unreachable, or holding none of the index's vectors), else None: the answer says it
        is from keyword search alone."""
        return getattr(self._dense, "problem", None)

    def restore_missing(self, present: set[str] | None = None) -> int:
        """Embed again the committed chunks whose vectors the store lacks (a Chroma server that
        lost its data, a chroma folder deleted: search was silently keyword-only and every
        re-ingest said "unchanged", found by an ops trial 2026-12-04). Call under ``write_lock``;
        returns how many were restored. ``present``: the store's ids, when already read."""
        present = self.vectors.all_ids() if present is None else present
        missing = sorted(set(self.catalog.chunk_ids()) - present)
        if not missing:
            return 0
        chunks = self.catalog.chunks(missing)
        by_kind: dict[str, list[Chunk]] = {}
        for c in chunks.values():
            doc = self.catalog.document(c.doc_id) or {}
            by_kind.setdefault(str(doc.get("kind") or ""), []).append(c)
        for kind, group in by_kind.items():
            vecs = self.embedder.embed_documents([c.embed_text() for c in group])
            self.vectors.add(group, vecs, {"kind": kind})
        with self._lock:
            self._vectors_generation = -1  # reopen before the next search
        return len(chunks)

    def sweep_orphans(self, present: set[str] | None = None) -> int:
        """Delete vectors that no committed document references (left by an interrupted ingest).
        ``present``: the store's ids, when the caller has read them already."""
        present = self.vectors.all_ids() if present is None else present
        orphans = sorted(present - set(self.catalog.chunk_ids()))
        if orphans:
            self.vectors.delete(orphans)
        return len(orphans)

    def sync_keywords(self, *, persist: bool = True) -> KeywordIndex:
        """The keyword index for the catalog's current generation, rebuilt if it is stale."""
        gen = self.catalog.generation()
        if self.keywords.generation == gen:
            return self.keywords
        with self._lock:  # one thread rebuilds; the others wait and then find it current
            gen = self.catalog.generation()
            if self.keywords.generation == gen:
                return self.keywords
            if self.keywords.load() and self.keywords.generation == gen:
                return self.keywords
            items = [(cid, c.embed_text()) for cid, c in self.catalog.all_chunks()]
            self.keywords.build(items, gen, save=persist)
            return self.keywords

    def documents(self) -> list[dict[str, Any]]:
        return self.catalog.documents()

    def find_document(self, key: str) -> dict[str, Any]:
        """A document by id, unique id prefix, exact title or source path."""
        docs = self.documents()
        for field in ("doc_id", "title", "source"):
            exact = [d for d in docs if d[field] == key]
            if len(exact) == 1:
                return exact[0]
        from assistant.errors import UsageError
        from ingest.loaders import doc_id_for

        if not key.strip():
            # an unset variable ("regassist remove \"$DOC\"") matched every id as a prefix and
            # removed the only document (an ops trial, seventeenth session)
            raise UsageError("the document to remove is empty",
                             "give its id, path or title (see `regassist docs`)")  # fmt: skip
        resolved = str(Path(key).expanduser().resolve()) if key else key
        by_path = [d for d in docs if str(Path(d["source"]).resolve()) == resolved]
        if len(by_path) == 1:
            return by_path[0]
        # a path given from another directory than the ingest's: the document id is made from
        # the file's absolute path (an ops trial's `remove /abs/path` said "no document")
        by_id = [d for d in docs if key and d["doc_id"] == doc_id_for(Path(key).expanduser())]
        if len(by_id) == 1:
            return by_id[0]
        prefix = [d for d in docs if d["doc_id"].startswith(key)]
        if len(prefix) == 1:
            return prefix[0]
        # a title in another case ("board minutes 3" for "Board minutes 3", an ops trial)
        folded = [d for d in docs if str(d["title"]).casefold() == key.casefold()]
        if len(folded) == 1 and not prefix:
            return folded[0]
        same_title = [d for d in docs if d["title"] == key]
        # (titles alike but for case are as ambiguous as one title twice: "1. introduction" for
        # "1. INTRODUCTION" and "1. Introduction" said "no document", an IT administrator's trial)
        same_title = same_title if len(same_title) > 1 else folded
        if len(prefix) > 1 or len(same_title) > 1:
            hits = same_title if len(same_title) > 1 else prefix
            ids = ", ".join(d["doc_id"] for d in hits[:6])
            raise UsageError(f"{key!r} matches {len(hits)} documents ({ids})",
                             "give the document id (see `regassist docs`)")  # fmt: skip
        raise UsageError(
            f"no document {key!r} in the index", "list documents with `regassist docs`"
        )
