"""The catalog: documents and chunks in SQLite, the source of truth for what is indexed.

A document becomes visible only when its catalog transaction commits (written after its vectors),
so readers never see half a document. A generation counter tells readers and the keyword index
when anything changed.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.model import Chunk, Document, sha256
from ingest.refs import Ref, parse_ref

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL,
    rulebook TEXT, version TEXT, content_hash TEXT NOT NULL, fingerprint TEXT NOT NULL,
    fmt TEXT NOT NULL, jurisdiction TEXT NOT NULL, n_chunks INTEGER NOT NULL,
    ingested_at TEXT NOT NULL, metadata TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
    ref TEXT, ref_book TEXT, ref_kind TEXT, ref_number TEXT, record_id TEXT, rulebook TEXT,
    embed_hash TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE INDEX IF NOT EXISTS chunks_ref ON chunks(ref_book, ref_number);
CREATE INDEX IF NOT EXISTS chunks_embed ON chunks(embed_hash);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (doc_id TEXT PRIMARY KEY, source_key TEXT NOT NULL);
"""


def embed_hash(chunk: Chunk) -> str:
    return sha256(chunk.embed_text())[:32]


class Catalog:
    """SQLite-backed registry of documents and chunks. One connection shared by every thread,
    so every statement runs under ``_lock``: a reader must never run inside another thread's
    open write transaction (it would see the uncommitted document)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            str(path), timeout=60, isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._section_books: tuple[int, frozenset[str]] | None = None
        self._read_own_codes()

    def _read_own_codes(self) -> None:
        """Once per catalog: the refs of chunks written with their document's own rulebook code
        ("COBS 14.11.4", "FSMR s.16"), stored unread by an index built before ``own_codes``, are
        read, so that a lookup by rule finds them without re-ingesting. A catalog opened
        read-only is read as it is."""
        if self._rows("SELECT 1 FROM meta WHERE key='own_codes'"):
            return
        rows = self._rows(
            "SELECT chunk_id, ref, rulebook FROM chunks WHERE ref IS NOT NULL AND ref_book IS NULL "
            "AND rulebook IS NOT NULL"
        )
        found = [(r.book, r.kind, r.number, cid) for cid, ref, book in rows
                 if (r := parse_ref(ref, books=(book,))) is not None]  # fmt: skip
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(
                    "UPDATE chunks SET ref_book=?, ref_kind=?, ref_number=? WHERE chunk_id=?", found
                )
                self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('own_codes', '1')")
                self._db.execute("COMMIT")
        except sqlite3.OperationalError:
            with contextlib.suppress(sqlite3.OperationalError):
                self._db.execute("ROLLBACK")

    def _rows(self, query: str, args: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(query, args).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
                self._db.execute("COMMIT")

    def generation(self) -> int:
        rows = self._rows("SELECT value FROM meta WHERE key='generation'")
        return int(rows[0][0]) if rows else 0

    def put_document(self, doc: Document, chunks: list[Chunk]) -> None:
        """Replace a document and all its chunks in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as db:
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc.doc_id,))
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.title, doc.source, doc.kind, doc.rulebook, doc.version,
                 doc.content_hash, doc.fingerprint(), doc.fmt, doc.jurisdiction, len(chunks), now,
                 json.dumps(doc.metadata, sort_keys=True)),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [self._chunk_row(c) for c in chunks],
            )
            db.execute("DELETE FROM sources WHERE doc_id = ?", (doc.doc_id,))
            if doc.source_key:
                db.execute("INSERT INTO sources VALUES (?,?)", (doc.doc_id, doc.source_key))

    @staticmethod
    def _chunk_row(c: Chunk) -> tuple[Any, ...]:
        ref = parse_ref(c.ref, books=(c.rulebook,)) if c.ref else None
        return (c.chunk_id, c.doc_id, c.ordinal, c.ref, ref.book if ref else None,
                ref.kind if ref else None, ref.number if ref else None, c.record_id, c.rulebook,
                embed_hash(c), json.dumps(c.to_dict()))  # fmt: skip

    def remove_document(self, doc_id: str) -> list[str]:
        """Delete a document; returns the chunk ids it had."""
        with self.transaction() as db:
            ids = [
                r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))
            ]
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
        return ids

    def source_key(self, doc_id: str) -> str | None:
        """The source key the document was loaded with (None for an index built before keys)."""
        rows = self._rows("SELECT source_key FROM sources WHERE doc_id = ?", (doc_id,))
        return str(rows[0][0]) if rows else None

    def documents(self) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._db.execute("SELECT * FROM documents ORDER BY kind, rulebook, title")
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
        out = []
        for row in rows:
            d = dict(zip(cols, row, strict=True))
            d["metadata"] = json.loads(d["metadata"])
            out.append(d)
        return out

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return next((d for d in self.documents() if d["doc_id"] == doc_id), None)

    def find_by_hash(self, content_hash: str) -> dict[str, Any] | None:
        """A committed document with exactly this file content, if any."""
        rows = self._rows(
            "SELECT doc_id FROM documents WHERE content_hash=? LIMIT 1", (content_hash,)
        )
        return self.document(rows[0][0]) if rows else None

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [r[0] for r in self._rows("SELECT chunk_id FROM chunks ORDER BY rowid")]
        q = "SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ordinal"
        return [r[0] for r in self._rows(q, (doc_id,))]

    def embed_hashes(self, doc_id: str) -> dict[str, str]:
        """chunk id -> the hash of the text its vector was made from, for a document's chunks."""
        q = "SELECT chunk_id, embed_hash FROM chunks WHERE doc_id=?"
        return {cid: h for cid, h in self._rows(q, (doc_id,))}

    def count_chunks(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM chunks")[0][0])

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(ids)
        out: dict[str, Chunk] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            q = f"SELECT chunk_id, data FROM chunks WHERE chunk_id IN ({marks})"
            for cid, data in self._rows(q, part):
                out[cid] = Chunk.from_dict(json.loads(data))
        return out

    def all_chunks(self) -> Iterator[tuple[str, Chunk]]:
        for cid, data in self._rows("SELECT chunk_id, data FROM chunks ORDER BY rowid"):
            yield cid, Chunk.from_dict(json.loads(data))

    def ids_by_embed_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """embed_hash -> an existing chunk id with that embedding text (for vector reuse)."""
        hashes = list(hashes)
        out: dict[str, str] = {}
        for i in range(0, len(hashes), 500):
            part = hashes[i : i + 500]
            marks = ",".join("?" * len(part))
            q = f"SELECT embed_hash, chunk_id FROM chunks WHERE embed_hash IN ({marks})"
            for h, cid in self._rows(q, part):
                out.setdefault(h, cid)
        return out

    def filter_ids(self, kinds: Sequence[str] = (), rulebooks: Sequence[str] = (),
                   doc_ids: Sequence[str] = ()) -> set[str]:  # fmt: skip
        """Chunk ids passing the filters (each filter empty = no restriction)."""
        q = "SELECT c.chunk_id FROM chunks c JOIN documents d ON c.doc_id = d.doc_id WHERE 1=1"
        args: list[str] = []
        for col, vals in (("d.kind", kinds), ("c.rulebook", rulebooks), ("c.doc_id", doc_ids)):
            if vals:
                q += f" AND {col} IN ({','.join('?' * len(vals))})"
                args.extend(vals)
        return {r[0] for r in self._rows(q, args)}

    def kinds(self) -> set[str]:
        return {r[0] for r in self._rows("SELECT DISTINCT kind FROM documents")}

    def rulebooks(self) -> set[str]:
        """The rulebooks the indexed chunks belong to (what a rulebook filter can select)."""
        return {r[0] for r in self._rows("SELECT DISTINCT rulebook FROM chunks") if r[0]}

    def section_books(self) -> set[str]:
        """The rulebooks indexed in a statute's sections (a chunk cited "CRS s.7"). Read once per
        generation of the catalog: every question asks it, and the scan took 6 ms over 15,000
        chunks."""
        generation = self.generation()
        cached = self._section_books
        if cached is None or cached[0] != generation:
            rows = self._rows("SELECT DISTINCT rulebook FROM chunks WHERE ref LIKE '% s.%'")
            cached = self._section_books = (generation, frozenset(r[0] for r in rows if r[0]))
        return set(cached[1])

    def chunks_mentioning(self, phrase: str, limit: int = 2000) -> list[Chunk]:
        """Chunks whose text holds ``phrase`` (case-insensitively, as SQLite's LIKE compares
        ASCII), at most ``limit``, in index order."""
        pattern = "%" + phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._rows("SELECT data FROM chunks WHERE data LIKE ? ESCAPE '\\' ORDER BY rowid LIMIT ?",
                          (pattern, limit))  # fmt: skip
        return [Chunk.from_dict(json.loads(data)) for (data,) in rows]

    def has_rule_number(self, number: str) -> bool:
        """Whether a chunk of a rule numbered ``number`` (any rulebook) is indexed."""
        return bool(self._rows("SELECT 1 FROM chunks WHERE ref_number=? LIMIT 1", (number,)))

    def books_with_rule(self, number: str) -> set[str]:
        """The rulebooks holding a rule (not a section) numbered ``number``."""
        rows = self._rows(
            "SELECT DISTINCT ref_book FROM chunks WHERE ref_number=? AND ref_kind='rule'", (number,)
        )
        return {book for (book,) in rows if book}

    def chunks_with_ref(self, ref: str) -> list[Chunk]:
        """Chunks whose ref is exactly ``ref`` ("para 8.2"), by document and ordinal."""
        rows = self._rows("SELECT data FROM chunks WHERE ref=? ORDER BY doc_id, ordinal", (ref,))
        return [Chunk.from_dict(json.loads(data)) for (data,) in rows]

    def chunks_after(self, doc_id: str, ordinal: int, n: int) -> list[Chunk]:
        q = "SELECT data FROM chunks WHERE doc_id=? AND ordinal>? ORDER BY ordinal LIMIT ?"
        return [Chunk.from_dict(json.loads(d)) for (d,) in self._rows(q, (doc_id, ordinal, n))]

    def chunks_for_ref(self, ref: Ref) -> list[Chunk]:
        """Chunks of this rule, of rules containing it, and of rules/paragraphs inside it."""
        parts = ref.number.split(".")
        ancestors = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
        marks = ",".join("?" * len(ancestors))
        q = (
            f"SELECT data FROM chunks WHERE ref_book=? AND ref_kind=? AND "
            f"(ref_number IN ({marks}) OR ref_number LIKE ?) ORDER BY doc_id, ordinal"
        )
        rows = self._rows(q, (ref.book, ref.kind, *ancestors, ref.number + ".%"))
        out = []
        for (data,) in rows:
            c = Chunk.from_dict(json.loads(data))
            cref = parse_ref(c.ref or "", books=(c.rulebook,))
            if cref is not None and (cref.contains(ref) or ref.contains(cref)):
                out.append(c)
        return out
