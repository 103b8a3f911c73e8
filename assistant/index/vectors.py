"""The vector-store seam: Chroma (embedded on disk, or a server) through llama-index."""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.model import Chunk

log = logging.getLogger(__name__)
_LOCK_RETRIES = 4  # waits of 0.1, 0.2, 0.4 and 0.8 s


def _chroma_client(path: Path | None, url: str | None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        from urllib.parse import urlparse

        from assistant.errors import RegassistError

        u = urlparse(url)
        try:
            return chromadb.HttpClient(host=u.hostname or "localhost", port=u.port or 8000,
                                       ssl=u.scheme == "https", settings=chroma_settings)  # fmt: skip
        except Exception as exc:  # connection refused, TLS, version mismatch
            raise RegassistError(f"cannot reach the Chroma server at {url}: {exc}",
                                 # (unsetting the URL helps only a data dir made without a
                                 # server: an index kept on one refuses embedded Chroma)
                                 "start it again (chroma run --path DIR --port PORT), or point "
                                 "REGASSIST_CHROMA_URL at the server that holds this index") from exc  # fmt: skip
    assert path is not None
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _ef_of(collection: Any) -> int | None:
    """The HNSW search breadth a Chroma collection's configuration holds, if any."""
    value = ((collection.configuration or {}).get("hnsw") or {}).get("ef_search")
    return int(value) if value is not None else None


def vectors_in(url: str, collection: str) -> int:
    """How many vectors the server's collection holds (0 when it does not exist)."""
    client = _chroma_client(None, url)
    try:
        return int(client.get_collection(collection).count())
    except Exception:  # no such collection (the error class differs between Chroma versions)
        return 0


class ChromaVectors:
    """Adds, fetches, deletes and queries chunk vectors. Always passes vectors: Chroma's own
    embedding function (which would download a model) is never used."""

    def __init__(self, path: Path | None, collection: str, url: str | None = None,
                 ef_search: int | None = None) -> None:  # fmt: skip
        self._path, self._name, self._url = path, collection, url
        self._ef_search = ef_search
        self._open()

    def _open(self) -> None:
        client = _chroma_client(self._path, self._url)
        collection = client.get_or_create_collection(
            self._name, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        if self._ef_search is not None:
            self._set_ef_search(collection, self._ef_search)
        # one assignment: a thread querying during a refresh sees the old handles or the new
        # ones, never a mix
        self._handles = (client, collection)

    @staticmethod
    def _set_ef_search(collection: Any, ef: int) -> None:
        """Search breadth is a mutable setting of the collection, kept in Chroma's own store;
        written only when it differs, so a reader usually writes nothing. A store that refuses
        (an older server) keeps searching at its own breadth, which is slower to settle from run
        to run but loses nothing: the failure is logged, not raised. Another process writing to
        the same store (an ingest, or Chroma's own upkeep after it) can hold the database lock
        for a moment: "database is locked" is retried for about 1.5 s before giving up."""
        for attempt in range(_LOCK_RETRIES + 1):
            try:
                if _ef_of(collection) != ef:
                    collection.modify(configuration={"hnsw": {"ef_search": ef}})
                return
            except Exception as exc:
                if "locked" in str(exc).lower() and attempt < _LOCK_RETRIES:
                    time.sleep(0.1 * 2**attempt)
                    continue
                log.warning("could not set Chroma's ef_search to %d: %s", ef, exc)
                return

    def ef_search(self) -> int | None:
        """The search breadth the collection reports (None where it reports none)."""
        return _ef_of(self._collection)

    @property
    def _client(self) -> Any:
        return self._handles[0]

    @property
    def _collection(self) -> Any:
        return self._handles[1]

    def refresh(self) -> None:
        """Reopen the client: embedded Chroma keeps its vector index in memory, so a process
        that did not write sees another process's changes only after reopening."""
        with contextlib.suppress(Exception):  # an already-closed client has nothing to release
            self._client.close()
        self._open()

    def add(
        self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]], meta: dict[str, str]
    ) -> None:
        from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode

        nodes: list[BaseNode] = []
        for c, v in zip(chunks, vectors, strict=True):
            node = TextNode(
                id_=c.chunk_id, text=c.text, embedding=list(v),
                metadata={"doc_id": c.doc_id, "ref": c.ref or "", "rulebook": c.rulebook or "",
                          "kind": meta.get("kind", ""), "record_id": c.record_id or ""},
            )  # fmt: skip
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=c.doc_id)
            nodes.append(node)
        # llama-index costs about 1.6 s to import: only writes go through its store, so a
        # process that only queries (`regassist ask`) never imports it.
        from llama_index.vector_stores.chroma import ChromaVectorStore

        store = ChromaVectorStore(chroma_collection=self._handles[1])
        for i in range(0, len(nodes), 1000):
            store.add(nodes[i : i + 1000])

    def existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 1000):
            found.update(self._collection.get(ids=list(ids[i : i + 1000]), include=[])["ids"])
        return found

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for i in range(0, len(ids), 1000):
            got = self._collection.get(ids=list(ids[i : i + 1000]), include=["embeddings"])
            for cid, emb in zip(got["ids"], got["embeddings"], strict=True):
                out[cid] = [float(x) for x in emb]
        return out

    def all_ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), 1000):
            self._collection.delete(ids=list(ids[i : i + 1000]))

    def count(self) -> int:
        return int(self._collection.count())

    def query(
        self, vector: Sequence[float], k: int, where: dict[str, list[str]] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk id, similarity), best first. The similarity is exp(-cosine
        distance), the score llama-index's ChromaVectorStore reports; the query is sent to Chroma
        directly so that reading never imports llama-index."""
        clauses = [{key: {"$in": list(vals)}} for key, vals in (where or {}).items()]
        filt: dict[str, Any] | None = None
        if clauses:
            filt = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        _, collection = self._handles
        if k <= 0:
            return []
        # No count() first: Chroma returns what it has when asked for more (the contract suite
        # checks it on an empty and a small collection), and count() cost 9 ms per query at 20k.
        res = collection.query(query_embeddings=[list(vector)], n_results=k, where=filt,
                               include=["distances"])  # fmt: skip
        ids = res["ids"][0] if res.get("ids") else []
        dists = res["distances"][0] if res.get("distances") else [0.0] * len(ids)
        return [(cid, math.exp(-float(d))) for cid, d in zip(ids, dists, strict=True)]
