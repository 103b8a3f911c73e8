"""Hybrid retrieval: exact rule references first, then BM25 + dense candidates ordered by the
learned ranker (``ranker.py``; reciprocal rank fusion when it is off or missing), fused with the
alias-rule list by reciprocal rank."""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.index.core import Index
from assistant.index.protocols import KeywordIndex
from assistant.language.spelling import Vocabulary, corrections, suspects
from assistant.language.text import POINTER, defined_term, defining_line, singular
from assistant.search.aliases import ALIASES, expand
from assistant.search.fusion import rrf
from assistant.search.ranker import (
    MIN_CHUNKS,
    Candidates,
    Ranker,
    agreed_first,
    features,
    is_guidance,
    load_ranker,
    ref_features,
    rule_numbers,
)
from assistant.settings import RetrievalSettings
from ingest.chunker import bare_title
from ingest.model import Chunk
from ingest.refs import (
    BOOK_ALIASES,
    Ref,
    asked_guidance,
    find_refs,
    guidance_paragraph_at,
    named_guidance,
    own_codes,
    paragraph_at,
    parse_ref,
)


def as_indexed(query: str, catalog: Any) -> str:
    """``query`` with the rule numbers it writes as the index cites them: "pru 3.6a.3" is PRU
    3.6A.3 (``typed_refs``), "CRS 7(2)" is CRS s.7(2) (``section_refs``), "Rule 6.5.3" and a bare
    "13A.7.1" are the one rulebook's that holds that rule (``bare_refs``). One reading for ``ask``,
    ``search`` and the app's Search page (which read "12.12.5" as words: FUNDS 12.12.5 fifth, a
    fund manager's browser trial, thirty-seventh session)."""
    from ingest.refs import bare_refs, section_refs, typed_refs

    query = typed_refs(query, catalog.has_rule_number, catalog.books_with_rule)
    query = section_refs(
        query, catalog.section_books(), lambda ref: bool(catalog.chunks_for_ref(ref))
    )
    return bare_refs(query, catalog.books_with_rule, catalog.rulebooks)


# "para 8.2", "paragraph 3.12", "paras 4.5": a guidance note's paragraph as answers cite it
_PARA_NAMED = re.compile(
    r"\bpara(?:graph)?s?\.?\s+(\d{1,3}(?:\.(?:\d{1,3}|[A-Z](?![a-z]))){0,3})(?![\d.]*\d)", re.I
)
# a standard's section as a guidance note reproduces it and answers cite it ("Section I.F",
# "SECTION VIII.D.1"; "Section I.F" led with Section IX.F, its numeral read as a word, a
# paralegal's trial, thirty-second session)
_SECTION_NAMED = re.compile(r"\b[Ss](?:ECTION|ection)\s+([IVXL]{1,6}(?:\.[A-Z](?:\.\d{1,3})?)?)\b")


def holds(chunk: Chunk, ref: Ref) -> bool:
    """Whether ``chunk`` holds the rule or paragraph ``ref``: it is ``ref`` or part of it, it is
    the rule whose paragraph ``ref`` is ("AML 6.1.1" for "AML 6.1.1(c)"), or it is a larger part
    whose text writes that rule's number ("DAA 3.3" holds "DAA 3.3.2" only where its text says
    "3.3.2"; a passage that only mentions a rule, "cites section 32(4)", is no part of it)."""
    own = chunk_ref(chunk)
    if own is None:
        return False
    if not (own.contains(ref) or ref.contains(own)):
        # a chunk of the same rulebook with a paragraph opening with the rule's number holds it:
        # a heading not read as one ("**2.14.3** A Recognised Body must ...", "Rule 2.14.3 ...")
        # leaves the rule in the chunk before it (a review, twenty-eighth session)
        opens = rf"(?:\A|\n)[\W_]{{0,4}}(?:Rule\s+)?{re.escape(ref.number)}(?!\w|\.\d)"
        return own.book == ref.book and not ref.paras and re.search(opens, chunk.text) is not None
    if ref.contains(own) or own.number == ref.number:
        return True  # (whether the rule's text has the paragraph: ``Retriever.missing_paragraphs``)
    return writes_number(chunk.text, ref.number)


def _by_document(pairs: Iterable[tuple[Chunk, Ref]]) -> dict[tuple[str, Ref], list[Chunk]]:
    """A rule's chunks (each with the ref it is cited as) by document and ref, in order: a long
    rule split across chunks is read whole, each document's part in turn."""
    out: dict[tuple[str, Ref], list[Chunk]] = {}
    for c, x in pairs:
        out.setdefault((c.doc_id, x), []).append(c)
    for parts in out.values():
        parts.sort(key=lambda c: c.ordinal)
    return out


def _joined(parts: list[Chunk]) -> str:
    """The text of a rule's chunks read as one (``_paragraph_chunks`` maps offsets back)."""
    return "\n".join(c.text for c in parts)


def _paragraph_chunks(ref: Ref, chunks: list[Chunk]) -> set[str]:
    """The chunks where paragraph ``ref`` of a rule split over chunks starts, read across them:
    "AML 8.3.1(2)(d)" has its "(2)" in the rule's first chunk and its "(d)" in the next, which
    neither chunk alone holds, so the first led with paragraph (1) (a citation auditor's trial,
    fortieth session). Empty where no paragraph is named or the rule's text has no such one."""
    if not ref.paras:
        return set()
    rule = [(c, own) for c in chunks
            if (own := chunk_ref(c)) is not None and own == ref.base and not c.is_guidance]  # fmt: skip
    out: set[str] = set()
    for parts in _by_document(rule).values():
        at = paragraph_at(_joined(parts), ref.number, ref.paras, strict=True)
        if at is None:
            continue
        end = 0
        for c in parts:
            end += len(c.text) + 1
            if at < end:
                out.add(c.chunk_id)
                break
    return out


def writes_number(text: str, number: str) -> bool:
    """Whether ``text`` writes the rule number ``number`` whole ("3.3.2", not "13.3.2" or
    "3.3.21")."""
    return re.search(rf"(?<![\w.]){re.escape(number)}(?!\w|\.\d)", text) is not None


def _under(ref: str | None, title_ref: str) -> bool:
    """Whether a passage numbered ``ref`` lies under the section numbered ``title_ref`` ("8.2.1"
    and "8.2.1.(1)" under "8.2", "Part 13.174.(1)" under "Part 13.174.")."""
    head = title_ref.strip()
    if not ref or ref == head:
        return False
    return ref.startswith(head if head.endswith(".") else head + ".")


def title_only(ref: Ref, chunks: Iterable[Chunk]) -> bool:
    """Whether the passages that are ``ref``'s own text ("6.8 Outsourcing") hold only its title."""
    own = [c for c in chunks if not c.is_guidance and chunk_ref(c) == ref]
    return bool(own) and all(bare_title(c.text, c.ref or "") is not None for c in own)


def parent_ref(ref: Ref) -> Ref | None:
    """The part whose rule ``ref`` is ("MIR 2.14" of "MIR 2.14.9"); None for a chapter."""
    parts = ref.number.split(".")
    return Ref(ref.book, ".".join(parts[:-1]), (), ref.kind) if len(parts) > 1 else None


def chunk_ref(chunk: Chunk) -> Ref | None:
    """The rule ``chunk`` is, read with its document's own rulebook code ("COBS 14.11.4")."""
    return parse_ref(chunk.ref or "", books=(chunk.rulebook,))


def named_refs(query: str, books: Iterable[str | None] = ()) -> list[Ref]:
    """The rule references a query or question names (a year is no rule number: "AML 2024 return
    deadline" named "AML 202", a review 2026-12-04); ``books``: the indexed rulebook codes, whose
    own codes are read too ("What does COBS 14.11.4 say?" with ADGM's COBS indexed)."""
    return find_refs(re.sub(r"\b\d{4,}\b", " ", query), books=books)


def as_written(query: str, ref: Ref) -> str:
    """``ref`` as the query wrote it where it used another name of the rulebook: "MKT 4.3.1 (read
    as the AIFC's MAR 4.3.1)", not "MAR 4.3.1", which the user never typed (a private-markets
    founder's trial, thirty-first session, with ADGM's guidance indexed and its MKT not)."""
    shown = str(ref)
    rest = shown[len(ref.book) :]
    if re.search(rf"(?<![\w(]){re.escape(ref.book)}\s*{re.escape(ref.number)}", query, re.I):
        return shown
    for alias, book in BOOK_ALIASES.items():
        if book == ref.book and re.search(rf"\b{alias}\s*{re.escape(ref.number)}", query, re.I):
            return f"{alias}{rest} (read as the AIFC's {shown})"
    return shown


@dataclass(frozen=True)
class Filters:
    """Empty tuples mean no restriction."""

    kinds: tuple[str, ...] = ()
    rulebooks: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def scope(self, default_kinds: tuple[str, ...]) -> str:
        """What these filters restrict a search to, in words; "" when they restrict nothing
        (no rulebook or document chosen, and every default kind searched)."""
        parts = []
        if self.rulebooks:
            books = self.rulebooks
            parts.append(f"rulebook{'s' if len(books) > 1 else ''} {', '.join(books)}")
        if self.doc_ids:
            docs = self.doc_ids
            parts.append(f"document{'s' if len(docs) > 1 else ''} {', '.join(docs)}")
        if self.kinds and set(default_kinds) - set(self.kinds):
            # ("rules and guidance documents": "rules, guidance documents" read as a list of
            # rules, and what was left out was national law, a stablecoin founder's trial)
            kinds = list(self.kinds)
            named = ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else kinds[0]
            parts.append(f"{named} documents")
        return " and ".join(parts)


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
    # the learned re-ranker's score (None where RRF ordered the candidates): comparable between
    # the candidates of one query only, an input of the answerability gate
    learned_score: float | None = None

    @property
    def heading(self) -> str | None:
        """The passage's own (last) heading, without Markdown's marks; None when it has none."""
        return self.chunk.heading

    @property
    def docid(self) -> str:
        """The id a run file reports: the JSONL record id, else the chunk id."""
        return self.chunk.record_id or self.chunk.chunk_id

    @property
    def is_guidance(self) -> bool:
        """Guidance, not rule: a passage under a "Guidance" heading, or any passage of a document
        given as guidance (the ADGM virtual-asset guidance's paragraphs were cited unmarked, as
        rules are: a trial, twenty-sixth session)."""
        return self.chunk.is_guidance or self.document.get("kind") == "guidance"

    def to_dict(self) -> dict[str, Any]:
        c, d = self.chunk, self.document
        return {
            "rank": self.rank, "score": round(self.score, 6), "chunk_id": c.chunk_id,
            "record_id": c.record_id, "ref": c.ref, "title": d.get("title"), "kind": d.get("kind"),
            "rulebook": c.rulebook, "page": c.pages[0] if c.pages else None,
            "pages": list(c.pages), "page_label": c.page_labels[0] if c.page_labels else None,
            "version": d.get("version"), "doc_id": c.doc_id, "source": d.get("source"),
            "jurisdiction": d.get("jurisdiction"), "heading_path": list(c.heading_path),
            "is_guidance": self.is_guidance, "repealed": c.repealed, "matched_by": list(self.matched_by),
            "dense_score": self.dense_score, "bm25_score": self.bm25_score,
            "learned_score": self.learned_score, "text": c.text,
        }  # fmt: skip


@dataclass
class _Cand:
    score: float = 0.0
    sources: list[str] = field(default_factory=list)
    dense: float | None = None
    bm25: float | None = None
    ref_rank: tuple[int, ...] | None = None
    learned: float | None = None


class Retriever:
    """Searches an open ``Index``. Cheap to call repeatedly; holds no per-query state."""

    def __init__(self, index: Index, settings: RetrievalSettings | None = None) -> None:
        self.index = index
        self.cfg = settings or index.settings.retrieval
        # (generation, filters) -> allowed ids; shared by every thread asking through this
        # retriever, so read and written under the lock, and bounded
        self._allowed: dict[tuple[int, Filters], frozenset[str] | None] = {}
        self._allowed_lock = threading.Lock()
        self._vocab: tuple[int, Vocabulary] | None = None
        self._books: tuple[int, tuple[str, ...]] | None = None

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

    def own_books(self) -> tuple[str, ...]:
        """The indexed rulebook codes that are no AIFC rulebook's (``own_codes``): a query's "COBS
        14.11.4" names a rule where ADGM's COBS is indexed. Cached per catalog generation."""
        catalog = self.index.catalog
        gen = catalog.generation()
        cached = self._books
        if cached is not None and cached[0] == gen:
            return cached[1]
        books = own_codes(catalog.rulebooks())
        self._books = (gen, books)
        return books

    def unknown_refs(self, query: str) -> list[str]:
        """The rule references ``query`` names that no indexed chunk is, contains or is part of:
        the results for them are the nearest by words, which a user could take for the rule
        asked about ("DAA 9.9.9" listed DAA 3.9.1 first without a word, a founder's trial)."""
        return [as_written(query, r) for r in named_refs(query, self.own_books())
                if not self.index.catalog.chunks_for_ref(r)]  # fmt: skip

    def absent_rules(self, query: str) -> list[tuple[str, str]]:
        """(named, part) for each rule ``query`` names that is not indexed though the part that
        would hold it is, with rules of its own at that depth, none of them it and no text of
        the part writing its number ("MIR 2.14.9" beside MIR 2.14.1 to 2.14.8): the rule does
        not exist in the indexed text, and the part, or anything else, is no answer for it
        ("What does MIR 2.14.9 say?" was answered from MIR 2.15.6, a citation auditor's trial,
        twenty-eighth session)."""
        out = []
        for r in named_refs(query, self.own_books()):
            parent = parent_ref(r)
            if r.paras or parent is None:
                continue
            chunks = self.index.catalog.chunks_for_ref(r)
            if not chunks or any(holds(c, r) for c in chunks):
                continue
            family = self.index.catalog.chunks_for_ref(parent)
            depth = len(r.number.split("."))
            siblings = [x for c in family
                        if (x := chunk_ref(c)) is not None and len(x.number.split(".")) == depth
                        and x.number.startswith(parent.number + ".")]  # fmt: skip
            # (no text of the part's writes the number: a rule whose heading was not read as one
            # lives in its sibling's chunk, "2.14.9 A Recognised Body must ..." in 2.14.8's)
            if (siblings and not any(x.number == r.number for x in siblings)
                    and not any(writes_number(c.text, r.number) for c in family)):  # fmt: skip
                out.append((str(r), str(parent)))
        return out

    def outer_refs(self, query: str, absent: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(named, held) for each rule reference ``query`` names of which the index holds only a
        larger part that does not write its number ("DAA 3.3.2" when only DAA 3.3 is indexed and
        its text says nothing of 3.3.2): the part is quoted for it, which a user could take for
        the rule asked about (a founder's trial, 2026-12-05). A paragraph ("AML 6.1.1(a)") is in
        its rule's text, and a rule whose number the part writes is in it: neither is named."""
        out = []
        # (``absent``: the rules ``absent_rules`` named, where the caller has them already)
        absent = set(absent) if absent is not None else {n for n, _ in self.absent_rules(query)}
        for r in named_refs(query, self.own_books()):
            if str(r) in absent:
                continue  # no such rule: ``absent_rules``
            if any(holds(c, r) and not r.contains(x) and not x.contains(r)
                   for c in self._ref_chunks(r) if (x := chunk_ref(c)) is not None):  # fmt: skip
                continue  # its text is in a sibling's chunk, quoted with its number
            chunks = self.index.catalog.chunks_for_ref(r)
            held = [x for c in chunks if (x := chunk_ref(c)) is not None]
            if (chunks and len(held) == len(chunks)
                    and all(x.number != r.number and x.contains(r) for x in held)
                    and not any(holds(c, r) for c in chunks)):  # fmt: skip
                out.append((str(r), str(held[0])))
        return out

    def missing_guidance(self, query: str) -> list[tuple[str, str]]:
        """(named, held) for each Guidance paragraph ``query`` names ("AML 14.3.5 Guidance 7")
        whose rule the index holds while no chunk of the rule's Guidance has that paragraph:
        the rule is quoted for it, which is said."""
        out = []
        for r, n in named_guidance(query, self.own_books()):
            chunks = [c for c in self.index.catalog.chunks_for_ref(r)
                      if c.ref == str(r) or (c.ref or "").startswith(f"{r}(")]  # fmt: skip
            if not chunks:
                continue  # no such rule: ``unknown_refs`` says so
            guidance = [c for c in chunks if c.is_guidance]
            # (any chunk of the rule that writes the label: ADGM's titled Guidance sections,
            # "7.1.3.Guidance on the customer risk assessment.2.", are not flagged as Guidance,
            # and one was said absent, a review)
            if not any(guidance_paragraph_at(c.text, r.number, n, c.is_guidance) is not None
                       for c in chunks):  # fmt: skip
                held = f"{r} (Guidance)" if guidance else str(r)
                out.append((f"{r} Guidance {n}", held))
        return out

    def missing_paragraphs(self, query: str) -> list[tuple[str, str]]:
        """(named, held) for each paragraph ``query`` names ("AML 6.1.1(c)") whose rule the index
        holds without that paragraph in its text (``refs.paragraph_at``): the rule is quoted as a
        whole for it, which a user could take for the paragraph asked about (a citation
        auditor's trial, twentieth session)."""
        out = []
        for r in named_refs(query, self.own_books()):
            if not r.paras:
                continue
            chunks = self.index.catalog.chunks_for_ref(r)
            if any((x := chunk_ref(c)) and r.contains(x) for c in chunks):
                continue  # indexed as a paragraph of its own ("AML 6.1.1(a-a)")
            outer = [(c, x) for c in chunks if (x := chunk_ref(c)) and x.number == r.number
                     and x.contains(r)]  # fmt: skip
            # a long rule is split across chunks: its text is read whole, each document's part
            # in order ("(d)" of "(2)" in the second chunk of AML 8.3.1, a review)
            if outer and not any(
                paragraph_at(_joined(parts), r.number, r.paras[len(x.paras) :]) is not None
                for (_, x), parts in _by_document(outer).items()
            ):
                out.append((str(r), str(outer[0][1])))
        return out

    def _indexed(self) -> Callable[[str], bool]:
        """Whether the keyword index holds a word (as it tokenises it)."""
        keywords = self.index.sync_keywords(persist=False)
        n, df = keywords.term_stats()
        return lambda w: not n or all(t in df for t in keywords.tokenize(w))

    def vocabulary(self) -> Vocabulary:
        """The indexed text's words with counts, read once per catalog generation."""
        generation = self.index.catalog.generation()
        vocab = self._vocab
        if vocab is None or vocab[0] != generation:
            texts = (c.text for _, c in self.index.catalog.all_chunks())
            vocab = self._vocab = (generation, Vocabulary.of(texts))
        return vocab[1]

    def spelling(self, query: str) -> dict[str, str]:
        """The query's misspelt words and the indexed words they are read as
        (``language.spelling``); most queries have no suspect word and build no vocabulary."""
        indexed = self._indexed()
        if not suspects(query, indexed):
            return {}
        return corrections(query, self.vocabulary(), indexed)

    def unknown_words(self, query: str) -> list[str]:
        """The query's plain words (five letters or more) that no indexed text holds, no English
        dictionary knows, that read as no indexed word misspelt and are no indexed word with a
        prefix or suffix ("unhosted" is "hosted", "stakingpool" holds "staking"): the results
        cannot be about them, which the user should be told ("What is the flurbix requirement
        for custodians?" was answered with a custody rule, 2026-12-04)."""
        odd = suspects(query, self._indexed())
        if not odd:
            return []
        vocab = self.vocabulary()
        # (a word the alias table maps to indexed words is searched as those: "tenge" as "KZT")
        return [
            w
            for w in odd
            if not vocab.holds_part_of(w.lower())
            and not vocab.nearest(w.lower())
            and not any(al.pattern.fullmatch(w) for al in ALIASES)
        ]

    def search(self, query: str, k: int | None = None, filters: Filters | None = None,
               under_titles: bool = False) -> list[Hit]:  # fmt: skip
        """The ``k`` passages that best answer ``query``. With ``under_titles`` (Search, as a
        reader browses) a section's title passage is followed by the passages under it."""
        k = k or self.cfg.top_k
        filters = filters or Filters()
        if not filters.kinds:
            filters = Filters(tuple(self.cfg.default_kinds), filters.rulebooks, filters.doc_ids)
        catalog = self.index.catalog
        allowed = self._allowed_ids(filters)
        expanded, alias_refs = expand(query)
        cands: dict[str, _Cand] = {}
        n = self.cfg.candidates
        lists: dict[str, list[tuple[str, float]]] = {}
        bm25 = None
        if self.cfg.use_bm25 and self.cfg.bm25_weight > 0:
            bm25 = self.index.sync_keywords(persist=False)
            lists["bm25"] = bm25.query(expanded, n, allowed)
        if self.cfg.use_dense and self.cfg.dense_weight > 0:
            vec = self.index.embedder.embed_query(expanded if self.cfg.expand_dense else query)
            where = {}
            if filters.kinds and allowed is not None:
                where["kind"] = list(filters.kinds)
            if filters.rulebooks:
                where["rulebook"] = list(filters.rulebooks)
            if filters.doc_ids:
                where["doc_id"] = list(filters.doc_ids)
            lists["dense"] = [(cid, s) for cid, s in self.index.query_vectors(vec, n, where or None)
                              if allowed is None or cid in allowed]  # fmt: skip
        fetched: dict[str, Chunk] = {}
        ranker = None
        # the ranker applies in the regime it was fitted in (ranker.MIN_CHUNKS), else RRF
        if (self.cfg.rerank and bm25 is not None and "dense" in lists
                and bm25.term_stats()[0] >= MIN_CHUNKS):  # fmt: skip
            ranker = load_ranker()
        ranked: list[tuple[list[str], float]]
        learned_scores: dict[str, float] = {}
        if ranker is not None and bm25 is not None:
            learned, fetched, learned_scores = self._rerank(
                ranker, query, expanded, bm25, lists["bm25"], lists["dense"]
            )
            ranked = [(learned, self.cfg.bm25_weight + self.cfg.dense_weight)]
        else:
            weights = {"bm25": self.cfg.bm25_weight, "dense": self.cfg.dense_weight}
            ranked = [([cid for cid, _ in lst], weights[name]) for name, lst in lists.items()]
        alias_ids: list[str] = []
        if alias_refs:
            alias_ids = [c.chunk_id for r in alias_refs for c in self._ref_chunks(r)
                         if allowed is None or c.chunk_id in allowed][:n]  # fmt: skip
            ranked.append((alias_ids, self.cfg.alias_weight))
        # a term asked the meaning of ("What is a Specified Investment?"): the chunks that define
        # it as a glossary does, "Specified Investment | means ...", a list of their own (FSMR's
        # definition was outranked by its other rows naming the term, and the answer quoted the
        # "Specified Benchmark" limbs, a statute lawyer's trial, thirty-second session)
        defining: list[str] = []
        defining_first: list[str] = []
        term = defined_term(query)
        if term is not None:
            lines = [(c.chunk_id, line) for c in catalog.chunks_mentioning(singular(term))
                     if (allowed is None or c.chunk_id in allowed)
                     and (line := defining_line(c.text, term)) is not None][:n]  # fmt: skip
            # a definition that points elsewhere ("has the meaning given in section 120") after
            # one that defines, and only the latter put first below (a review: a pointer led
            # "What are the Recognition Requirements?" over section 120 itself)
            defining = [cid for cid, line in lines if not POINTER.search(line)]
            pointing = [cid for cid, line in lines if POINTER.search(line)]
            defining_first = list(defining)
            defining += pointing
            if defining:
                ranked.append((defining, self.cfg.alias_weight))
        for cid, score in rrf(ranked, self.cfg.rrf_k).items():
            cands[cid] = _Cand(score=score, learned=learned_scores.get(cid))
        for name, lst in lists.items():
            for cid, score in lst:
                c = cands.get(cid)
                if c is None:  # left out by the re-ranker: a vector whose document is uncommitted
                    continue
                c.sources.append(name)
                if name == "dense":
                    c.dense = score
                else:
                    c.bm25 = score
        for cid in alias_ids:
            cands[cid].sources.append("alias")
        for cid in defining:
            cands[cid].sources.append("defined")

        explicit = named_refs(query, self.own_books())
        # a Guidance paragraph named ("AML 14.3.5 Guidance 3"): the chunk of the rule's Guidance
        # that holds it comes first among the rule's chunks
        guided = {str(r): n for r, n in named_guidance(query, self.own_books())}
        # (or its Guidance asked for, no paragraph named: "the Guidance under AML 11-1.2")
        guided |= {
            str(r): 0 for r in asked_guidance(query, self.own_books()) if str(r) not in guided
        }
        for qi, ref in enumerate(explicit):
            ref_chunks = self._ref_chunks(ref)
            titled = title_only(ref, ref_chunks)
            spread = _paragraph_chunks(ref, ref_chunks)
            for pos, chunk in enumerate(ref_chunks):
                if allowed is not None and chunk.chunk_id not in allowed:
                    continue
                c = cands.setdefault(chunk.chunk_id, _Cand())
                para = guided.get(str(ref)) if chunk.ref == str(ref) else None
                at = (guidance_paragraph_at(chunk.text, ref.number, para, chunk.is_guidance) if para
                      else 0 if para == 0 and chunk.is_guidance else None)  # fmt: skip
                if at is None and para is None and ref.paras and not chunk.is_guidance:
                    # a paragraph named of a rule split over chunks ("FSMR s.258(2)", its (2) in
                    # a later chunk of the section): the chunk that has it, or the paragraph's own
                    # (a review, thirty-second session: the section's first chunk led)
                    own = chunk_ref(chunk)
                    if own is not None and own == ref:
                        at = 0
                    elif own is not None and own.number == ref.number and own.contains(ref):
                        at = paragraph_at(chunk.text, ref.number, ref.paras[len(own.paras) :],
                                          strict=True)  # fmt: skip
                    if at is None and chunk.chunk_id in spread:
                        at = 0
                # each rule named before the rules containing any of them, in turn by their
                # passages ("What do PRU 3.2.2 and MKT 2.3.6 say?" got PRU 3.2.2, then section
                # 3.2 and chapter 3's passages: MKT 2.3.6 was not among the first six, and the
                # answer quoted PRU alone without a word; a rule lookup trial, thirty-seventh
                # session); one rule named is ordered as before
                key = (
                    int(at is None),
                    self._ref_priority(ref, chunk, titled),
                    int(chunk.is_guidance),
                    int(chunk.repealed),
                    self._ref_gap(ref, chunk),
                    pos,
                    qi,
                )
                if c.ref_rank is None or key < c.ref_rank:
                    c.ref_rank = key
                if "ref" not in c.sources:
                    c.sources.append("ref")

        # a guidance note's paragraph named as the answers cite it ("What does para 8.2 of the
        # RegLab guidance require?" was answered from 6.1 and 8.6: "para 8.2" was read as words,
        # a robo-adviser's trial, thirtieth session): its chunks, of the note the question names
        # by its title's distinctive words where it names one, else of every note that has one,
        # the best match to the question's other words first (``_named_paragraphs``)
        for j, paras in enumerate(self._named_paragraphs(query, explicit, allowed)):
            paras.sort(key=lambda c: -(cands[c.chunk_id].score if c.chunk_id in cands else 0.0))
            for pos, chunk in enumerate(paras):
                c = cands.setdefault(chunk.chunk_id, _Cand())
                key = (len(explicit) + j, 0, 0, 0, int(chunk.repealed), 0, pos)
                if c.ref_rank is None or key < c.ref_rank:
                    c.ref_rank = key
                if "ref" not in c.sources:
                    c.sources.append("ref")

        # the lines that define the term asked the meaning of come next, before the fused
        # ranking: as one list among the fused ones they fell below passages that use the term
        # ("Define Professional Client" led with COBS 2.4.1's guidance, the glossary's entry not
        # in the first six, a paralegal's trial, thirty-second session)
        for pos, cid in enumerate(defining_first):
            c = cands[cid]
            if c.ref_rank is None:
                c.ref_rank = (len(explicit) + 1000, 0, 0, 0, 0, 0, pos)

        ordered = sorted(cands.items(), key=lambda kv: (
            0 if kv[1].ref_rank is not None else 1,
            kv[1].ref_rank or (),
            -kv[1].score,
        ))  # fmt: skip
        head = [cid for cid, _ in ordered[: max(4 * k, k + 50)]]
        chunks = {cid: fetched[cid] for cid in head if cid in fetched}
        chunks.update(catalog.chunks(cid for cid in head if cid not in fetched))
        docs = {d["doc_id"]: d for d in catalog.documents()} if chunks else {}
        hits: list[Hit] = []
        seen_records: set[tuple[str, str]] = set()
        placed: set[str] = set()
        # (Search only) a section's title passage ("8.2 Timing of Customer Due Diligence") ranks
        # high on the question's words but says nothing: the passages under it follow it,
        # before the rest (the rules on when due diligence is done were not in the first five,
        # under four such titles, an MLRO's trial on ADGM's AML). Not for an answer's evidence:
        # on the ADGM slice (reciprocal rank fusion) it cost gold quotes, on check 0.688 ->
        # 0.671 and on tune 0.681 -> 0.675, for counterfactual abstentions gained
        queue = [(cid, cand, False) for cid, cand in ordered]
        while queue and len(hits) < k:
            cid, cand, under = queue.pop(0)
            found = chunks.get(cid) or (catalog.chunks([cid]).get(cid) if under else None)
            if found is None or cid in placed:  # a vector whose document was not committed
                continue
            chunk = found
            if chunk.record_id is not None:
                record_key = (chunk.doc_id, chunk.record_id)
                if record_key in seen_records:
                    continue
                seen_records.add(record_key)
            placed.add(cid)
            score = cand.score + (1.0 if cand.ref_rank is not None else 0.0)
            sources = (*dict.fromkeys(cand.sources), *(("title",) if under else ()))
            hits.append(Hit(len(hits) + 1, score, chunk, docs.get(chunk.doc_id, {}),
                            sources, cand.dense, cand.bm25, cand.learned))  # fmt: skip
            if under_titles and not explicit and not under and cand.ref_rank is None and chunk.ref \
                    and bare_title(chunk.text, chunk.ref) is not None:  # fmt: skip
                below = [c for c in catalog.chunks_after(chunk.doc_id, chunk.ordinal, 2)
                         if _under(c.ref, chunk.ref) and c.chunk_id not in placed
                         and (allowed is None or c.chunk_id in allowed)]  # fmt: skip
                ahead = [(c.chunk_id, cands.get(c.chunk_id) or _Cand(score=cand.score), True)
                         for c in below]  # fmt: skip
                chunks.update({c.chunk_id: c for c in below})
                queue[:0] = ahead
        return hits

    def _rerank(
        self,
        ranker: Ranker,
        query: str,
        expanded: str,
        bm25: KeywordIndex,
        bm_list: list[tuple[str, float]],
        dense_list: list[tuple[str, float]],
    ) -> tuple[list[str], dict[str, Chunk], dict[str, float]]:
        """Both candidate lists ordered by the learned ranker, the chunks it fetched and each
        candidate's learned score."""
        n = self.cfg.candidates
        rb = {cid: r for r, (cid, _) in enumerate(bm_list)}
        # Chroma reports exp(-cosine distance); the ranker was fitted on cosine similarity.
        dense = [(cid, 1.0 + math.log(max(s, 1e-12))) for cid, s in dense_list]
        rd = {cid: r for r, (cid, _) in enumerate(dense)}
        chunks = self.index.catalog.chunks(dict.fromkeys([*rb, *rd]))
        ids = [cid for cid in dict.fromkeys([*rb, *rd]) if cid in chunks]
        if not ids:
            return [], chunks, {}
        bmin = bm_list[-1][1] if bm_list else 0.0
        dmin = dense[-1][1] if dense else 0.0
        bms, dns = dict(bm_list), dict(dense)
        pos = {(chunks[c].doc_id, chunks[c].ordinal): j for j, c in enumerate(ids)}
        qnums = rule_numbers(query)
        refs = [ref_features(qnums, chunks[c].ref, chunks[c].text) for c in ids]
        cand = Candidates(
            bm25=np.array([bms.get(c, bmin) for c in ids]),
            bm25_rank=np.array([rb.get(c, n) for c in ids], dtype=float),
            dense=np.array([dns.get(c, dmin) for c in ids]),
            dense_rank=np.array([rd.get(c, n) for c in ids], dtype=float),
            prev=np.array([pos.get((chunks[c].doc_id, chunks[c].ordinal - 1), -1) for c in ids]),
            next=np.array([pos.get((chunks[c].doc_id, chunks[c].ordinal + 1), -1) for c in ids]),
            doc=np.array([chunks[c].doc_id for c in ids]),
            guidance=np.array([is_guidance(chunks[c].ref, chunks[c].is_guidance) for c in ids]),
            length=np.array([len(chunks[c].text) for c in ids], dtype=float),
            ref_match=np.array([r[0] for r in refs]),
            ref_in_text=np.array([r[1] for r in refs]),
            query_terms=len(set(bm25.tokenize(expanded))),
        )
        scores = ranker.score(features(cand))
        order = np.argsort(-scores, kind="stable")
        both = (cand.bm25_rank < n) & (cand.dense_rank < n)
        learned = {c: float(v) for c, v in zip(ids, scores, strict=True)}
        return [ids[j] for j in agreed_first(order, both)], chunks, learned

    def _named_paragraphs(self, query: str, explicit: list[Ref],
                          allowed: frozenset[str] | None) -> list[list[Chunk]]:  # fmt: skip
        """The chunks of each guidance paragraph ``query`` names ("para 8.2"): none where it names
        a rule too ("paragraph 2 of AML 6.1.1" is that rule's), only those of the documents it
        names by their titles' distinctive words where it names any ("... of the Private Credit
        Funds guidance": a paragraph that note lacks is not taken from another, a review), and
        of every document that has one otherwise."""
        if explicit:
            return []
        numbers, named, _ = self._paragraph_scope(query)
        refs = [f"para {n}" for n in numbers] + [
            f"Section {m.group(1)}" for m in _SECTION_NAMED.finditer(query)
        ]
        return [[c for c in self.index.catalog.chunks_with_ref(ref)
                 if (allowed is None or c.chunk_id in allowed)
                 and (named is None or c.doc_id in named)] for ref in refs]  # fmt: skip

    def _paragraph_scope(self, query: str) -> tuple[list[str], set[str] | None, dict[str, str]]:
        """The paragraph numbers ``query`` names ("para 8.2"), the documents it names by their
        titles' distinctive words (None: none named), and every document's title."""
        numbers = list(dict.fromkeys(m.group(1) for m in _PARA_NAMED.finditer(query)))
        if not numbers:
            return [], None, {}
        tokenize = self.index.sync_keywords(persist=False).tokenize  # stop words left out
        titles = {
            d["doc_id"]: d.get("title") or d["doc_id"] for d in self.index.catalog.documents()
        }
        words = {d: {t for t in tokenize(title) if t.isalpha()} for d, title in titles.items()}
        # a title's distinctive words: those of fewer than half the titles ("guidance" is not)
        common = {w for w in set().union(*words.values())
                  if 2 * sum(w in ws for ws in words.values()) > len(words)} if len(words) > 1 else set()  # fmt: skip
        asked = set(tokenize(_PARA_NAMED.sub(" ", query))) - common
        score = {d: len(ws & asked) for d, ws in words.items()}
        best = max(score.values(), default=0)
        named = {d for d, n in score.items() if n == best} if best else None
        return numbers, named, titles

    def missing_guidance_paragraphs(self, query: str) -> list[str]:
        """A note for each guidance paragraph ``query`` names ("para 3.4 of the Private Credit
        Funds guidance") that the note it names, or where it names none every indexed note, does
        not have: the answer is then from other passages, which is said (a review, thirtieth
        session: "What does para 9.9 of the RegLab guidance say?" quoted para 4.17 unremarked).
        None where it names a rule too, or where no document is cited by paragraphs."""
        if named_refs(query, self.own_books()):
            return []
        numbers, named, titles = self._paragraph_scope(query)
        out = []
        for number in numbers:
            held = {c.doc_id for c in self.index.catalog.chunks_with_ref(f"para {number}")}
            if named is not None and not held & named:
                if not any(self._has_paragraphs(d) for d in named):
                    continue  # the document named is not cited by paragraphs
                which = "; ".join(sorted(titles[d] for d in named))
                out.append(f"para {number} is not in the indexed text of {which}: the answer is "
                           "from other passages")  # fmt: skip
            elif named is None and not held and any(self._has_paragraphs(d) for d in titles):
                out.append(f"para {number} is not in the indexed text: no document here has a "
                           "paragraph so numbered")  # fmt: skip
        return out

    def _has_paragraphs(self, doc_id: str) -> bool:
        """Whether ``doc_id`` is cited by numbered paragraphs ("para 3.6")."""
        ids = self.index.catalog.chunk_ids(doc_id)
        chunks = self.index.catalog.chunks(ids[:50])
        return any((c.ref or "").startswith("para ") for c in chunks.values())

    def _ref_chunks(self, ref: Ref) -> list[Chunk]:
        chunks = self.index.catalog.chunks_for_ref(ref)
        parent = parent_ref(ref)
        if parent is not None and not any(
            (x := chunk_ref(c)) and x.number == ref.number for c in chunks
        ):
            # the rule's own text in a sibling's chunk, its heading not read as one (``holds``)
            seen = {c.chunk_id for c in chunks}
            chunks += [c for c in self.index.catalog.chunks_for_ref(parent)
                       if c.chunk_id not in seen and (x := chunk_ref(c)) is not None
                       and not (x.contains(ref) or ref.contains(x)) and holds(c, ref)]  # fmt: skip
        titled = title_only(ref, chunks)
        return sorted(chunks, key=lambda c: (self._ref_priority(ref, c, titled), c.is_guidance,
                                             c.repealed, self._ref_gap(ref, c)))  # fmt: skip

    @staticmethod
    def _ref_priority(query_ref: Ref, chunk: Chunk, titled: bool = False) -> int:
        """0: this exact rule/paragraph; 1: a rule containing it; 2: a part of it (the other
        way round where its own passage is only its title, ``titled``: the rules under "6.8
        Outsourcing" say what section 6.8 requires, not chapter 6's introduction)."""
        r = chunk_ref(chunk)
        if r is None:
            return 3
        if r == query_ref:
            return 0
        if not (r.contains(query_ref) or query_ref.contains(r)):
            return 0 if holds(chunk, query_ref) else 3  # its text, under a sibling's number
        return (
            (1 if r.contains(query_ref) else 2)
            if not titled
            else (2 if r.contains(query_ref) else 1)
        )

    @staticmethod
    def _ref_gap(query_ref: Ref, chunk: Chunk) -> int:
        """How many levels a rule containing ``query_ref`` is above it (0 otherwise): of those,
        the closest leads, after the rules before their guidance ("PRU 8.5.2(1)" led with chapter
        8's introduction, first in the document: a citation auditor's trial, twenty-eighth
        session; "GEN 8.8.2(3)(a)" then led with 8.8.2(3)'s guidance over rule 8.8.2: a review)."""
        r = chunk_ref(chunk)
        if r is None or r == query_ref or not r.contains(query_ref):
            return 0
        return max(0, len(query_ref.number.split(".")) - len(r.number.split("."))
                   + len(query_ref.paras) - len(r.paras))  # fmt: skip
