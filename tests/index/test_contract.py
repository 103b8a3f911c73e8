"""One contract for each storage seam, run against every implementation (haystack's DocumentStore
tests are the model): the catalog (SQLite, in memory), the vector store (Chroma on disk, a real
`chroma run` server, in memory) and the keyword index (bm25s, in memory). A behaviour the Index
relies on is asserted here once, so a fake cannot drift from the real thing unnoticed."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.index.catalog import Catalog, embed_hash
from assistant.index.fakes import MemoryCatalog, MemoryKeywords, MemoryVectors
from assistant.index.keywords import BM25Index
from assistant.index.protocols import CatalogStore, KeywordIndex, VectorStore
from assistant.index.vectors import ChromaVectors
from ingest.model import Chunk, Document
from ingest.refs import parse_ref


@dataclass
class Impl:
    """A store under test and how to reopen it (a new client on the same storage)."""

    store: Any
    reopen: Callable[[], Any]


def doc(doc_id: str, *, kind: str = "rules", rulebook: str | None = "AML", title: str = "T",
        version: str | None = None, content_hash: str = "h", metadata: dict[str, Any] | None = None) -> Document:  # fmt: skip
    return Document(doc_id, title, f"/src/{doc_id}.md", kind, rulebook, version,
                    content_hash, "md", metadata=metadata or {})  # fmt: skip


def chunk(doc_id: str, ordinal: int, text: str, ref: str | None = None,
          rulebook: str | None = "AML", **kw: Any) -> Chunk:  # fmt: skip
    return Chunk(f"{doc_id}-{ordinal}", doc_id, ordinal, text, ref, rulebook, **kw)


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(params=["sqlite", "memory"])
def catalog_impl(request: pytest.FixtureRequest, tmp_path: Path) -> Impl:
    if request.param == "sqlite":
        path = tmp_path / "catalog.sqlite3"
        return Impl(Catalog(path), lambda: Catalog(path))
    mem = MemoryCatalog()
    return Impl(mem, lambda: mem)


@pytest.fixture(
    params=["chroma-disk", pytest.param("chroma-server", marks=pytest.mark.integration), "memory"]
)
def vector_impl(request: pytest.FixtureRequest, tmp_path: Path) -> Impl:
    if request.param == "chroma-disk":
        path = tmp_path / "chroma"
        return Impl(ChromaVectors(path, "contract"), lambda: ChromaVectors(path, "contract"))
    if request.param == "chroma-server":
        url = request.getfixturevalue("chroma_server")
        name = f"contract-{request.node.name.split('[')[0][-40:]}".replace("_", "-")
        return Impl(ChromaVectors(None, name, url), lambda: ChromaVectors(None, name, url))
    mem = MemoryVectors()
    return Impl(mem, lambda: mem)


@pytest.fixture(params=["bm25s", "memory"])
def keyword_impl(request: pytest.FixtureRequest, tmp_path: Path) -> Impl:
    if request.param == "bm25s":
        path = tmp_path / "bm25"
        return Impl(BM25Index(path), lambda: BM25Index(path))
    disk: dict[str, Any] = {}
    return Impl(MemoryKeywords(disk), lambda: MemoryKeywords(disk))


# ----------------------------------------------------------------------------- catalog


def test_catalog_satisfies_the_protocol(catalog_impl: Impl) -> None:
    assert isinstance(catalog_impl.store, CatalogStore)


def test_catalog_starts_empty(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    assert (c.generation(), c.documents(), c.chunk_ids(), c.count_chunks()) == (0, [], [], 0)
    assert c.document("x") is None and c.find_by_hash("h") is None and c.kinds() == set()
    assert c.remove_document("x") == []


def test_catalog_keeps_the_source_key_with_its_document(catalog_impl: Impl) -> None:
    from dataclasses import replace

    c: CatalogStore = catalog_impl.store
    c.put_document(replace(doc("d1"), source_key="k1"), [chunk("d1", 0, "a")])
    c.put_document(doc("d2"), [chunk("d2", 0, "b")])  # loaded without a key
    assert (c.source_key("d1"), c.source_key("d2"), c.source_key("zz")) == ("k1", None, None)
    c.put_document(replace(doc("d1"), source_key="k2"), [chunk("d1", 0, "a")])
    assert catalog_impl.reopen().source_key("d1") == "k2"
    c.put_document(doc("d1"), [chunk("d1", 0, "a")])  # replaced without a key: none survives
    assert c.source_key("d1") is None
    c.put_document(replace(doc("d1"), source_key="k3"), [chunk("d1", 0, "a")])
    c.remove_document("d1")
    assert c.source_key("d1") is None


def test_catalog_put_reads_back_documents_and_chunks(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    parts = [chunk("d1", 2, "third"), chunk("d1", 0, "first", "AML 6.1.1"),
             chunk("d1", 1, "second", heading_path=("Ch 6",), pages=(3, 4), is_guidance=True)]  # fmt: skip
    before = c.generation()
    c.put_document(doc("d1", metadata={"b": [1, 2], "a": "x"}, version="2024-01-01"), parts)
    assert c.generation() == before + 1
    d = c.document("d1")
    assert d is not None
    assert {k: d[k] for k in ("doc_id", "kind", "rulebook", "version", "n_chunks", "content_hash", "fmt")} == {
        "doc_id": "d1", "kind": "rules", "rulebook": "AML", "version": "2024-01-01",
        "n_chunks": 3, "content_hash": "h", "fmt": "md"}  # fmt: skip
    assert d["metadata"] == {"a": "x", "b": [1, 2]} and d["jurisdiction"] == "AIFC"
    assert (
        d["fingerprint"]
        == doc("d1", metadata={"b": [1, 2], "a": "x"}, version="2024-01-01").fingerprint()
    )
    assert c.chunk_ids("d1") == ["d1-0", "d1-1", "d1-2"]  # reading order, not insertion order
    assert c.chunk_ids() == ["d1-2", "d1-0", "d1-1"]  # insertion order
    assert c.count_chunks() == 3
    assert c.chunks(["d1-1", "nope", "d1-0"]) == {"d1-1": parts[2], "d1-0": parts[1]}
    assert list(c.all_chunks()) == [(p.chunk_id, p) for p in parts]
    assert c.find_by_hash("h") == d and c.find_by_hash("other") is None


def test_catalog_put_replaces_every_old_chunk(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    c.put_document(doc("d1"), [chunk("d1", 0, "a"), chunk("d1", 1, "b")])
    c.put_document(doc("d2"), [chunk("d2", 0, "z")])
    gen = c.generation()
    c.put_document(doc("d1", title="New"), [chunk("d1", 5, "c")])
    assert c.generation() == gen + 1
    assert c.chunk_ids("d1") == ["d1-5"] and c.chunk_ids("d2") == ["d2-0"]
    assert sorted(c.chunk_ids()) == ["d1-5", "d2-0"] and c.count_chunks() == 2
    d1 = c.document("d1")
    assert d1 is not None and (d1["title"], d1["n_chunks"]) == ("New", 1)
    assert len(c.documents()) == 2


def test_catalog_remove_returns_the_chunk_ids(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    c.put_document(doc("d1"), [chunk("d1", 1, "b"), chunk("d1", 0, "a")])
    c.put_document(doc("d2"), [chunk("d2", 0, "z")])
    gen = c.generation()
    assert sorted(c.remove_document("d1")) == ["d1-0", "d1-1"]
    assert c.generation() == gen + 1
    assert [d["doc_id"] for d in c.documents()] == ["d2"] and c.chunk_ids() == ["d2-0"]
    assert c.chunks(["d1-0"]) == {} and c.remove_document("d1") == []


def test_catalog_orders_documents_by_kind_rulebook_title(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    for d in [doc("a", kind="rules", rulebook="COB", title="A"), doc("b", kind="guidance", rulebook="AML"),
              doc("c", kind="rules", rulebook=None, title="Z"), doc("d", kind="rules", rulebook="AML", title="B"),
              doc("e", kind="rules", rulebook="AML", title="A")]:  # fmt: skip
        c.put_document(d, [chunk(d.doc_id, 0, d.doc_id)])
    assert [d["doc_id"] for d in c.documents()] == ["b", "c", "e", "d", "a"]


def test_catalog_filters_and_kinds(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    c.put_document(
        doc("r1", rulebook="AML"),
        [chunk("r1", 0, "x", rulebook="AML"), chunk("r1", 1, "y", rulebook=None)],
    )
    c.put_document(
        doc("g1", kind="guidance", rulebook="COB"), [chunk("g1", 0, "x", rulebook="COB")]
    )
    c.put_document(doc("p1", kind="policy", rulebook=None), [chunk("p1", 0, "x", rulebook=None)])
    assert c.kinds() == {"rules", "guidance", "policy"}
    assert c.rulebooks() == {"AML", "COB"}
    assert c.filter_ids() == {"r1-0", "r1-1", "g1-0", "p1-0"}
    assert c.filter_ids(kinds=["rules", "guidance"]) == {"r1-0", "r1-1", "g1-0"}
    assert c.filter_ids(rulebooks=["AML", "COB"]) == {"r1-0", "g1-0"}  # the chunk's rulebook
    assert c.filter_ids(doc_ids=["p1", "r1"]) == {"p1-0", "r1-0", "r1-1"}
    assert c.filter_ids(kinds=["rules"], rulebooks=["COB"]) == set()
    assert c.filter_ids(kinds=["guidance"], rulebooks=["COB"], doc_ids=["g1"]) == {"g1-0"}


def test_catalog_finds_chunks_by_embedding_text(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    a, b = chunk("d1", 0, "same words"), chunk("d2", 0, "same words")
    c.put_document(doc("d1"), [a])
    c.put_document(doc("d2"), [b, chunk("d2", 1, "other")])
    found = c.ids_by_embed_hash([embed_hash(a), "0" * 32])
    assert list(found) == [embed_hash(a)] and found[embed_hash(a)] in {"d1-0", "d2-0"}


def test_catalog_gives_the_chunks_after_one_in_order(catalog_impl: Impl) -> None:
    """What the search reads under a section's title passage ("8.2 Timing of ..."): the chunks
    that follow it in its document, in order, at most ``n``, none of another document."""
    c: CatalogStore = catalog_impl.store
    c.put_document(doc("d1"), [chunk("d1", i, f"text {i}") for i in range(4)])
    c.put_document(doc("d2"), [chunk("d2", 0, "other")])
    assert [x.chunk_id for x in c.chunks_after("d1", 0, 2)] == ["d1-1", "d1-2"]
    assert [x.chunk_id for x in c.chunks_after("d1", 2, 5)] == ["d1-3"]
    assert c.chunks_after("d1", 3, 2) == [] and c.chunks_after("d3", 0, 2) == []


def test_catalog_reports_each_chunks_embedding_hash(catalog_impl: Impl) -> None:
    """What ``Index.upsert`` compares to re-embed a passage whose heading changed, not its text:
    one document's chunks only, by id."""
    c: CatalogStore = catalog_impl.store
    a = chunk("d1", 0, "same words", heading_path=("Timing",))
    c.put_document(doc("d1"), [a, chunk("d1", 1, "other")])
    c.put_document(doc("d2"), [chunk("d2", 0, "same words")])
    assert c.embed_hashes("d1") == {
        "d1-0": embed_hash(a),
        "d1-1": embed_hash(chunk("d1", 1, "other")),
    }
    assert embed_hash(a) != embed_hash(chunk("d1", 0, "same words")) and c.embed_hashes("d3") == {}


def test_catalog_finds_chunks_mentioning_a_phrase(catalog_impl: Impl) -> None:
    """What the search's glossary lookup reads (``Retriever.search``, "What is X?"): chunks
    holding a phrase whatever its case, in index order, at most ``limit``; "%" and "_" are
    characters, not patterns."""
    c: CatalogStore = catalog_impl.store
    c.put_document(doc("d1"), [chunk("d1", 0, "Specified Investment | means an investment"),
                               chunk("d1", 1, "other words"), chunk("d1", 2, "a SPECIFIED investment"),
                               chunk("d1", 3, "Client_Money 5% rule")])  # fmt: skip
    got = [ch.chunk_id for ch in c.chunks_mentioning("specified investment")]
    assert got == ["d1-0", "d1-2"]
    assert [ch.chunk_id for ch in c.chunks_mentioning("Specified Investment", limit=1)] == ["d1-0"]
    assert [ch.chunk_id for ch in c.chunks_mentioning("Client_Money 5%")] == ["d1-3"]
    assert c.chunks_mentioning("Client%Money") == [] and c.chunks_mentioning("Client_Mone_") == []


def test_catalog_chunks_for_ref_takes_ancestors_and_descendants(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    refs = ["AML 6.1.1", "AML 6.1", "AML 6.1.1(a)", "AML 6.1.2", "AML 6.1.10", "AML 6", "COB 6.1.1",
            "AML 6.2", None, "AML 6.1.1.3"]  # fmt: skip
    c.put_document(doc("b"), [chunk("b", i, f"t{i}", r) for i, r in enumerate(refs)])
    c.put_document(doc("a"), [chunk("a", 0, "x", "AML 6.1.1")])
    ref = parse_ref("AML 6.1.1")
    assert ref is not None
    got = [(ch.doc_id, ch.ref) for ch in c.chunks_for_ref(ref)]
    assert got == [("a", "AML 6.1.1"), ("b", "AML 6.1.1"), ("b", "AML 6.1"), ("b", "AML 6.1.1(a)"),
                   ("b", "AML 6"), ("b", "AML 6.1.1.3")]  # fmt: skip
    # a guidance note's paragraph ref is looked up as written, in every document that has it
    c.put_document(doc("g"), [chunk("g", 0, "g0", "para 8.2"), chunk("g", 1, "g1", "para 8.21")])
    assert [(ch.doc_id, ch.ref) for ch in c.chunks_with_ref("para 8.2")] == [("g", "para 8.2")]
    assert c.chunks_with_ref("para 9") == []
    # a rule's number, of any rulebook and any of its paragraphs, is held; a number no chunk has is not
    assert (
        c.has_rule_number("6.1.10")
        and c.has_rule_number("6.1.1")
        and not c.has_rule_number("6.1.3")
    )
    # and the rulebooks holding a rule of that number ("Rule 6.1.1" asked without its rulebook)
    assert c.books_with_rule("6.1.1") == {"AML", "COB"} and c.books_with_rule("6.1.2") == {"AML"}
    assert c.books_with_rule("6.1.3") == set()


def test_catalog_reopened_sees_committed_documents(catalog_impl: Impl) -> None:
    catalog_impl.store.put_document(doc("d1"), [chunk("d1", 0, "a")])
    again: CatalogStore = catalog_impl.reopen()
    assert again.chunk_ids() == ["d1-0"] and again.generation() == catalog_impl.store.generation()


def test_catalog_readers_never_see_half_a_replacement(catalog_impl: Impl) -> None:
    """One catalog shared by threads: a reader must not run inside a writer's transaction."""
    c: CatalogStore = catalog_impl.store
    c.put_document(doc("d1"), [chunk("d1", i, f"v0 {i}") for i in range(3)])
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(c.count_chunks())
            seen.add(len(c.filter_ids(doc_ids=["d1"])))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        for n in range(1, 60):
            c.put_document(
                doc("d1"), [Chunk(f"d1-{n}-{i}", "d1", i, f"v{n} {i}") for i in range(3)]
            )
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert seen == {3}


# ----------------------------------------------------------------------------- vectors


def unit(*xs: float) -> list[float]:
    n = math.sqrt(sum(x * x for x in xs))
    return [x / n for x in xs]


VECS = {
    "a": unit(1, 0, 0, 0),
    "b": unit(1, 1, 0, 0),
    "c": unit(0.2, 1, 0, 0),
    "d": unit(0, 0, 1, 0),
}


def fill(v: VectorStore) -> None:
    v.add([chunk("d1", 0, "a", rulebook="AML"), chunk("d1", 1, "b", rulebook="AML")],
          [VECS["a"], VECS["b"]], {"kind": "rules"})  # fmt: skip
    v.add([chunk("d2", 0, "c", rulebook="COB")], [VECS["c"]], {"kind": "guidance"})
    v.add([chunk("d3", 0, "d", rulebook=None)], [VECS["d"]], {"kind": "policy"})


def test_vectors_satisfy_the_protocol(vector_impl: Impl) -> None:
    assert isinstance(vector_impl.store, VectorStore)


def test_vectors_empty_store(vector_impl: Impl) -> None:
    v: VectorStore = vector_impl.store
    assert (v.count(), v.all_ids(), v.existing(["x"]), v.vectors(["x"])) == (0, set(), set(), {})
    assert v.query(VECS["a"], 5) == []
    v.delete(["x"])  # unknown ids are ignored


def test_vectors_add_and_read_back(vector_impl: Impl) -> None:
    v: VectorStore = vector_impl.store
    fill(v)
    assert v.count() == 4 and v.all_ids() == {"d1-0", "d1-1", "d2-0", "d3-0"}
    assert v.existing(["d1-1", "zz", "d3-0"]) == {"d1-1", "d3-0"}
    got = v.vectors(["d1-1", "zz"])
    assert list(got) == ["d1-1"] and got["d1-1"] == pytest.approx(VECS["b"], abs=1e-6)


def test_vectors_adding_an_existing_id_keeps_the_first_vector(vector_impl: Impl) -> None:
    v: VectorStore = vector_impl.store
    fill(v)
    v.add([chunk("d1", 0, "a")], [VECS["d"]], {"kind": "rules"})
    assert v.count() == 4 and v.vectors(["d1-0"])["d1-0"] == pytest.approx(VECS["a"], abs=1e-6)


def test_vectors_query_is_nearest_first_with_cosine_similarity(vector_impl: Impl) -> None:
    v: VectorStore = vector_impl.store
    fill(v)
    got = v.query(VECS["a"], 3)
    assert [cid for cid, _ in got] == ["d1-0", "d1-1", "d2-0"]
    # Chroma's cosine distance through llama-index: similarity = exp(-(1 - cos))
    want = [1.0, math.exp(-(1 - math.sqrt(0.5))), math.exp(-(1 - 0.2 / math.sqrt(1.04)))]
    assert [s for _, s in got] == pytest.approx(want, abs=1e-4)
    assert len(v.query(VECS["a"], 10)) == 4 and v.query(VECS["a"], 1)[0][0] == "d1-0"


def test_vectors_query_filters_on_metadata(vector_impl: Impl) -> None:
    v: VectorStore = vector_impl.store
    fill(v)

    def ids(where: dict[str, list[str]]) -> set[str]:
        return {cid for cid, _ in v.query(VECS["a"], 10, where)}

    assert ids({"kind": ["guidance", "policy"]}) == {"d2-0", "d3-0"}
    assert ids({"rulebook": ["AML"]}) == {"d1-0", "d1-1"}
    assert ids({"doc_id": ["d1", "d3"]}) == {"d1-0", "d1-1", "d3-0"}
    assert ids({"kind": ["rules"], "doc_id": ["d2"]}) == set()
    assert ids({"kind": ["rules", "guidance"], "rulebook": ["COB"]}) == {"d2-0"}
    assert [c for c, _ in v.query(VECS["a"], 1, {"kind": ["guidance"]})] == ["d2-0"]


def test_vectors_delete(vector_impl: Impl) -> None:
    v: VectorStore = vector_impl.store
    fill(v)
    v.delete(["d1-0", "zz"])
    assert v.count() == 3 and "d1-0" not in v.all_ids()
    assert [cid for cid, _ in v.query(VECS["a"], 1)] == ["d1-1"]


def test_vectors_survive_refresh_and_reopen(vector_impl: Impl) -> None:
    fill(vector_impl.store)
    vector_impl.store.refresh()
    assert vector_impl.store.count() == 4
    again: VectorStore = vector_impl.reopen()
    assert again.all_ids() == {"d1-0", "d1-1", "d2-0", "d3-0"}
    assert again.query(VECS["c"], 1)[0][0] == "d2-0"


# ----------------------------------------------------------------------------- keywords

TEXTS = [
    ("k1", "A firm must keep client money in a segregated client account."),
    ("k2", "Customer due diligence under AML 6.1.1 applies to every customer."),
    ("k3", "The annual fee is payable within 30 days of the invoice."),
    ("k4", "Client assets must be reconciled daily; client money too."),
]


def test_keywords_satisfy_the_protocol(keyword_impl: Impl) -> None:
    assert isinstance(keyword_impl.store, KeywordIndex)


def test_keywords_never_built_find_nothing(keyword_impl: Impl) -> None:
    k: KeywordIndex = keyword_impl.store
    assert k.generation == -1 and k.query("client money", 5) == [] and k.load() is False


def test_keywords_rank_matching_chunks_first(keyword_impl: Impl) -> None:
    k: KeywordIndex = keyword_impl.store
    k.build(TEXTS, 7)
    assert k.generation == 7
    got = k.query("segregated client account", 10)
    assert got[0][0] == "k1" and {cid for cid, _ in got} == {"k1", "k4"}
    assert all(s > 0 for _, s in got) and [s for _, s in got] == sorted(
        (s for _, s in got), reverse=True
    )
    assert k.query("AML 6.1.1", 5)[0][0] == "k2"  # rule numbers are kept whole
    assert k.query("Customers diligences", 5)[0][0] == "k2"  # stemmed
    assert k.query("zebra the of", 5) == [] and k.query("", 5) == []
    assert len(k.query("client", 1)) == 1


def test_keywords_restrict_to_allowed_ids(keyword_impl: Impl) -> None:
    k: KeywordIndex = keyword_impl.store
    k.build(TEXTS, 1)
    assert [c for c, _ in k.query("client money", 10, {"k4", "k3"})] == ["k4"]
    assert [c for c, _ in k.query("client money", 10, frozenset({"k1"}))] == ["k1"]
    assert k.query("client money", 10, set()) == []


def test_keywords_filter_masks_follow_the_value_not_the_object(keyword_impl: Impl) -> None:
    """A mask cached by id() of the allowed set was served again for the next set that reused
    the freed id; every answer must respect the set it was given."""
    k: KeywordIndex = keyword_impl.store
    k.build(TEXTS, 1)
    ids = [cid for cid, _ in TEXTS]
    for i in range(60):
        allowed = {ids[i % 4], ids[(i * 3 + 1) % 4]} if i % 5 else set(ids)
        got = {cid for cid, _ in k.query("client money fee customer", 10, allowed)}
        assert got and got <= allowed, (i, allowed, got)
        del allowed  # frees the set: the next one is likely to get its id


def test_keywords_term_stats_count_texts_per_term(keyword_impl: Impl) -> None:
    k: KeywordIndex = keyword_impl.store
    assert k.term_stats() == (0, {}) or k.term_stats()[0] == 0
    k.build(TEXTS, 1)
    n, df = k.term_stats()
    want: dict[str, int] = {}
    for _, text in TEXTS:
        for tok in set(k.tokenize(text)):
            want[tok] = want.get(tok, 0) + 1
    assert n == 4 and dict(df) == want
    k.build(TEXTS[:1], 2)
    assert k.term_stats()[0] == 1 and k.term_stats()[1].get(k.tokenize("client")[0]) == 1


def test_keywords_rebuild_replaces_everything(keyword_impl: Impl) -> None:
    k: KeywordIndex = keyword_impl.store
    k.build(TEXTS, 1)
    assert k.query("client", 10, {"k1"})
    k.build([("n1", "client onboarding"), ("k1", "fees only")], 2)
    assert k.generation == 2
    assert [c for c, _ in k.query("client", 10)] == ["n1"]
    assert k.query("client", 10, {"k1"}) == []  # the same allowed set, a new generation
    k.build([], 3)
    assert k.generation == 3 and k.query("fees", 10) == []


def test_keywords_saved_index_loads_in_a_new_instance(keyword_impl: Impl) -> None:
    k: KeywordIndex = keyword_impl.store
    k.build(TEXTS, 4, save=True)
    k.build(TEXTS[:1], 5, save=False)  # not saved: a new instance still loads generation 4
    again: KeywordIndex = keyword_impl.reopen()
    assert again.load() is True and again.generation == 4
    assert again.query("annual fee", 3)[0][0] == "k3"


def test_keywords_shared_by_threads_keep_each_filter(keyword_impl: Impl) -> None:
    k: KeywordIndex = keyword_impl.store
    k.build(TEXTS, 1)
    ids = [cid for cid, _ in TEXTS]
    errors: list[str] = []

    def worker(n: int) -> None:
        for i in range(40):
            allowed = frozenset(ids[j] for j in range(4) if (n + i) >> j & 1) or frozenset(ids)
            got = {cid for cid, _ in k.query("client money fee customer", 10, allowed)}
            if not got <= allowed:
                errors.append(f"{sorted(got)} not within {sorted(allowed)}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_catalog_names_the_rulebooks_indexed_in_sections(catalog_impl: Impl) -> None:
    c: CatalogStore = catalog_impl.store
    c.put_document(doc("s"), [chunk("s", 0, "t", "CRS s.7", rulebook="CRS"),
                              chunk("s", 1, "u", "AML 6.1.1")])  # fmt: skip
    assert c.section_books() == {"CRS"}
    # (read again once the catalog changes)
    c.put_document(doc("t"), [chunk("t", 0, "v", "BRR s.19", rulebook="BRR")])
    assert c.section_books() == {"CRS", "BRR"}
