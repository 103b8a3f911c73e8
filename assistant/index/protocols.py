"""The storage seams of the index: what ``Index`` needs from its catalog, its vector store and its
keyword index. The real implementations are ``Catalog`` (SQLite), ``ChromaVectors`` (Chroma on
disk or a server) and ``BM25Index`` (bm25s); ``assistant.index.fakes`` holds in-memory ones.
``tests/index/test_contract.py`` runs one contract suite against all of them.

Every implementation must be safe to call from several threads at once: one ``Index`` serves
every session of the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from ingest.model import Chunk, Document
from ingest.refs import Ref


@runtime_checkable
class CatalogStore(Protocol):
    """The source of truth for what is indexed. A document and its chunks are replaced in one
    atomic step; ``generation`` grows by one on every such step, so readers can tell when
    anything changed."""

    def generation(self) -> int: ...

    def put_document(self, doc: Document, chunks: list[Chunk]) -> None:
        """Replace the document and all its chunks (none of the old chunks survive)."""

    def remove_document(self, doc_id: str) -> list[str]:
        """Delete a document; returns the chunk ids it had (empty if it was not there)."""
        ...

    def documents(self) -> list[dict[str, Any]]:
        """Every document as a dict (doc_id, title, source, kind, rulebook, version,
        content_hash, fingerprint, fmt, jurisdiction, n_chunks, ingested_at, metadata),
        ordered by kind, rulebook (unset first), title."""
        ...

    def document(self, doc_id: str) -> dict[str, Any] | None: ...

    def source_key(self, doc_id: str) -> str | None:
        """The ``Document.source_key`` the document was stored with; None if none was."""
        ...

    def find_by_hash(self, content_hash: str) -> dict[str, Any] | None: ...

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        """A document's chunk ids in reading order; all chunk ids in insertion order if None."""
        ...

    def count_chunks(self) -> int: ...

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """The chunks among ``ids`` that exist, by id."""
        ...

    def all_chunks(self) -> Iterator[tuple[str, Chunk]]: ...

    def ids_by_embed_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """embed_hash -> a chunk id whose embedding text has that hash (for vector reuse)."""
        ...

    def embed_hashes(self, doc_id: str) -> dict[str, str]:
        """chunk id -> the embed_hash of its stored chunk, for one document's chunks."""
        ...

    def filter_ids(
        self, kinds: Sequence[str] = (), rulebooks: Sequence[str] = (), doc_ids: Sequence[str] = ()
    ) -> set[str]:
        """Chunk ids passing every non-empty filter (document kind, chunk rulebook, doc id)."""
        ...

    def kinds(self) -> set[str]: ...

    def rulebooks(self) -> set[str]:
        """The rulebooks the chunks belong to (what a rulebook filter can select)."""
        ...

    def chunks_after(self, doc_id: str, ordinal: int, n: int) -> list[Chunk]:
        """The ``n`` chunks of ``doc_id`` that follow the one at ``ordinal``, in order."""
        ...

    def chunks_for_ref(self, ref: Ref) -> list[Chunk]:
        """Chunks of this rule, of rules containing it, and of rules inside it, by doc, ordinal."""
        ...

    def has_rule_number(self, number: str) -> bool:
        """Whether a chunk of a rule numbered ``number`` (any rulebook, any paragraph) is indexed."""
        ...

    def books_with_rule(self, number: str) -> set[str]:
        """The rulebooks holding a rule (not a statute's section) numbered ``number``."""
        ...

    def chunks_with_ref(self, ref: str) -> list[Chunk]:
        """Chunks whose ref is exactly ``ref`` ("para 8.2" of any guidance note), by doc, ordinal."""
        ...

    def section_books(self) -> set[str]:
        """The rulebooks indexed in a statute's sections (a chunk cited "CRS s.7")."""
        ...

    def chunks_mentioning(self, phrase: str, limit: int = 2000) -> list[Chunk]:
        """Chunks whose text holds ``phrase`` (ASCII case-insensitively), at most ``limit``, in
        index order."""
        ...


@runtime_checkable
class VectorStore(Protocol):
    """Chunk vectors with the metadata dense search filters on (doc_id, rulebook, kind)."""

    def add(
        self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]], meta: dict[str, str]
    ) -> None:
        """Add or overwrite vectors; ``meta["kind"]`` is the document kind."""

    def existing(self, ids: Sequence[str]) -> set[str]: ...

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]: ...

    def all_ids(self) -> set[str]: ...

    def delete(self, ids: Sequence[str]) -> None:
        """Delete these ids; unknown ids are ignored."""

    def count(self) -> int: ...

    def query(
        self, vector: Sequence[float], k: int, where: dict[str, list[str]] | None = None
    ) -> list[tuple[str, float]]:
        """At most ``k`` nearest (chunk id, cosine similarity), best first; ``where`` keeps only
        vectors whose metadata value is in the list, for every key."""
        ...

    def refresh(self) -> None:
        """Drop anything cached so that writes by other processes become visible."""


@runtime_checkable
class KeywordIndex(Protocol):
    """A keyword (BM25) index over (chunk id, text), rebuilt whole for a catalog generation."""

    generation: int  # the catalog generation it was built for; -1 when never built

    @property
    def tokenize(self) -> Callable[[str], list[str]]:
        """How texts and queries are split into terms."""
        ...

    def build(
        self, items: Sequence[tuple[str, str]], generation: int, *, save: bool = True
    ) -> None:
        """Replace the contents; ``save`` also persists them for ``load``."""

    def load(self) -> bool:
        """Load what was last saved; False when nothing usable was saved."""
        ...

    def query(
        self, text: str, k: int, allowed: frozenset[str] | set[str] | None = None
    ) -> list[tuple[str, float]]:
        """At most ``k`` (chunk id, positive score), best first; only ``allowed`` ids if given."""
        ...

    def term_stats(self) -> tuple[int, Mapping[str, int]]:
        """(texts indexed, term -> how many texts contain it) for the current build, as the
        tokenizer writes terms; ``(0, {})`` when empty. For IDF weights outside BM25 itself."""
        ...
