"""The assistant: retrieve, answer (extractive or LLM + verification), log. One call: ``ask``."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from assistant.answer.answerability import KeywordIdf
from assistant.answer.extractive import ExtractiveAnswerer, citation_for, label
from assistant.answer.llm import LLM, build_llm
from assistant.answer.prompts import (
    NATIONAL_LAW_NOTE,
    OTHER_REGIME_NOTE,
    PROMPT_VERSION,
    REFUSAL,
    SYSTEM,
    source_block,
    user_message,
)
from assistant.answer.types import Answer, Citation
from assistant.answer.verify import Verifier
from assistant.index.core import Index
from assistant.index.keywords import Tokenizer
from assistant.language.text import sentence_spans
from assistant.search.retrieval import Filters, Hit, Retriever
from ingest.refs import find_refs

OTHER_REGULATORS = re.compile(r"\b(DFSA|ADGM|FSRA|VARA|DIFC|FCA|SEC|MAS|FINMA|ESMA|MiCA|BaFin)\b")
NATIONAL = re.compile(r"\b(Kazakh(?:stan)?\s+(?:national\s+)?law|national law|RK law|NBK|National Bank|"
                      r"Tax Code|Civil Code|Law No\.?\s*\d+)", re.IGNORECASE)  # fmt: skip


class Assistant:
    """Answers questions over an open index. Built once; safe to reuse across questions."""

    def __init__(self, index: Index, llm: LLM | None = None) -> None:
        self.index = index
        self.settings = index.settings
        self.retriever = Retriever(index)
        self.tokenize = Tokenizer()
        cfg = self.settings.answer
        self.extractive = ExtractiveAnswerer(self.tokenize, cfg.max_sentences, cfg.min_confidence)
        self.llm = llm if llm is not None else build_llm(self.settings.llm)
        self.verifier = Verifier(self.tokenize, index.embedder.embed_documents)
        self.idf = KeywordIdf(index)  # corpus IDF for the answerability gate
        self._audit_lock = threading.Lock()  # one Assistant serves every app session

    def in_force_doc_ids(self, as_of: str) -> tuple[str, ...] | None:
        """Documents in force on ``as_of``: versions after it are excluded, and of several
        versions of one rulebook only the latest on or before it is kept. Unknown versions stay."""
        day = date.fromisoformat(as_of).isoformat()
        docs = self.index.documents()
        latest: dict[tuple[str, str], str] = {}
        for d in docs:
            if d["version"] and d["rulebook"] and d["version"] <= day:
                key = (d["kind"], d["rulebook"])
                latest[key] = max(latest.get(key, ""), d["version"])
        keep = []
        for d in docs:
            if not d["version"] or (
                d["version"] <= day
                and (not d["rulebook"] or latest.get((d["kind"], d["rulebook"])) == d["version"])
            ):
                keep.append(d["doc_id"])
        return tuple(keep)

    def ask(self, question: str, *, k: int | None = None, as_of: str | None = None,
            use_llm: bool | None = None, filters: Filters | None = None) -> Answer:  # fmt: skip
        t0 = time.perf_counter()
        filters = filters or Filters()
        if as_of:
            allowed = self.in_force_doc_ids(as_of) or ("<none>",)
            if filters.doc_ids:
                allowed = tuple(d for d in filters.doc_ids if d in allowed) or ("<none>",)
            filters = replace(filters, doc_ids=allowed)
        hits = self.retriever.search(question, k=k or self.settings.answer.top_k, filters=filters)
        want_llm = self.llm is not None if use_llm is None else use_llm
        if want_llm and self.llm is None:
            from assistant.errors import UsageError

            raise UsageError("--llm asked for, but no LLM endpoint is configured",
                             "set REGASSIST_LLM__BASE_URL and REGASSIST_LLM__MODEL, or use --no-llm")  # fmt: skip
        if want_llm and self.llm is not None:
            gate = self.extractive.answer(question, hits, self.idf, self.idf.known)
            if gate.abstained:  # the answerability gate runs before the LLM too
                answer = Answer(question, gate.text, True, gate.citations, [], "llm", self.llm.model,
                                self.index.index_id, confidence=gate.confidence)  # fmt: skip
                answer.notes.append(f"abstained before the LLM: {gate.reason}")
            else:
                answer = self._llm_answer(question, hits)
                answer.confidence = gate.confidence
        else:
            ex = self.extractive.answer(question, hits, self.idf, self.idf.known)
            answer = Answer(question, ex.text, ex.abstained, ex.citations, [], "extractive", None,
                            self.index.index_id, confidence=ex.confidence)  # fmt: skip
            if ex.abstained:
                answer.notes.append(f"abstained: {ex.reason}")
        answer.retrieved = [_retrieved(h) for h in hits]
        answer.as_of = as_of
        answer.prompt_version = PROMPT_VERSION if answer.mode == "llm" else None
        self._notes(question, answer)
        answer.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
        if self.settings.answer.audit_log:
            self._audit(answer)
        return answer

    def _llm_answer(self, question: str, hits: list[Hit]) -> Answer:
        assert self.llm is not None
        blocks = [source_block(n, h.chunk.ref, h.document.get("title", ""),
                               h.document.get("jurisdiction") or "AIFC", h.chunk.text)
                  for n, h in enumerate(hits, start=1)]  # fmt: skip
        raw = self.llm.complete(SYSTEM, user_message(question, blocks))
        sources = {n: h.chunk.text for n, h in enumerate(hits, start=1)}
        v = self.verifier.verify(
            raw, sources, {n: h.chunk.ref for n, h in enumerate(hits, start=1)}
        )
        citations: list[Citation] = []
        for n in v.cited:
            hit = hits[n - 1]
            citations.append(citation_for(n, hit, self._best_quote(v.text, n, hit)))
        answer = Answer(question, v.text, v.refused, citations, [], "llm", self.llm.model,
                        self.index.index_id, removed=v.removed, flags=v.flags)  # fmt: skip
        if v.refused:
            ex = self.extractive._refuse(
                hits, self.extractive.sentences(question, hits), 0.0, "LLM"
            )
            answer.answer, answer.citations = ex.text, ex.citations
        return answer

    def _best_quote(self, answer: str, n: int, hit: Hit) -> str:
        """The sentence of the cited chunk that shares most words with the answer's [n] sentences."""
        claims = " ".join(answer[a:b] for a, b in sentence_spans(answer) if f"[{n}]" in answer[a:b])
        want = set(self.tokenize(claims))
        text = hit.chunk.text
        spans = [
            s for s in sentence_spans(text) if not text[s[0] : s[1]].lstrip().startswith("#")
        ] or [(0, len(text))]
        a, b = max(spans, key=lambda s: len(want & set(self.tokenize(text[s[0] : s[1]]))))
        return text[a:b]

    def _notes(self, question: str, answer: Answer) -> None:
        others = sorted(set(OTHER_REGULATORS.findall(question)))
        if others:
            answer.notes.insert(0, OTHER_REGIME_NOTE.format(names=", ".join(others)))
        cites_rk = not answer.abstained and any(c.jurisdiction == "RK" for c in answer.citations)
        if NATIONAL.search(question) or cites_rk:
            answer.notes.insert(0, NATIONAL_LAW_NOTE)
        if not answer.abstained and not answer.as_of and answer.citations:
            answer.notes.extend(
                version_notes(answer.citations, self.index.documents(), self._has_ref)
            )

    def _has_ref(self, doc_id: str, ref: str) -> bool:
        """Whether the document has a chunk of exactly this rule (True when the ref is unreadable)."""
        found = find_refs(ref)
        if not found:
            return True
        return any(c.doc_id == doc_id and c.ref == ref
                   for c in self.index.catalog.chunks_for_ref(found[0]))  # fmt: skip

    def _audit(self, answer: Answer) -> None:
        record: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            **{k: v for k, v in answer.to_dict().items() if k != "retrieved"},
            "retrieved": [r["chunk_id"] for r in answer.retrieved],
        }
        path = self.settings.data_dir / "audit.jsonl"
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._audit_lock, path.open("a", encoding="utf-8") as fh:
            fh.write(line)


def version_notes(citations: list[Citation], documents: list[dict[str, Any]],
                  has_ref: Callable[[str, str], bool] | None = None) -> list[str]:  # fmt: skip
    """Where the citations quote more than one version of a rulebook, or only a version that a
    later indexed one replaces, say so: two versions of one rule must not read as two rules.
    Versions are the dated documents of one kind and rulebook code (as for ``as of``), told apart
    by their dates: undated documents, or several of one date (a rulebook's chapter files), are
    not called versions of each other. ``has_ref(doc_id, ref)`` lets the note say that the later
    version has no such rule."""
    docs = {d["doc_id"]: d for d in documents}
    dates: dict[tuple[str, str], set[str]] = {}
    for d in documents:
        if d.get("rulebook") and d.get("kind") != "policy" and d.get("version"):
            dates.setdefault((d.get("kind") or "", d["rulebook"]), set()).add(d["version"])
    cited: dict[tuple[str, str], dict[str, list[int]]] = {}  # family -> version date -> [n]
    for c in citations:
        doc = docs.get(c.doc_id)
        if doc and doc.get("rulebook") and doc.get("kind") != "policy" and doc.get("version"):
            key = (doc.get("kind") or "", doc["rulebook"])
            cited.setdefault(key, {}).setdefault(doc["version"], []).append(c.n)

    def marks(ns: list[int]) -> str:
        return " ".join(f"[{n}]" for n in sorted(set(ns)))

    hint = 'Ask with an "as of" date to answer from the version in force on that date.'
    notes: list[str] = []
    for (kind, book), by_date in cited.items():
        known = dates.get((kind, book), set())
        if len(known) < 2:
            continue
        what = f"{book} {'guidance' if kind == 'guidance' else 'rulebook'}"
        latest = max(known)
        if len(by_date) > 1:
            parts = ", ".join(
                f"the {day} version {marks(ns)}" for day, ns in sorted(by_date.items())
            )
            notes.append(f"These citations quote {len(by_date)} versions of the {what}: {parts}. "
                         f"They are versions of the same rules, not separate rules. The latest "
                         f"indexed is {latest}. {hint}")  # fmt: skip
            continue
        day, ns = next(iter(by_date.items()))
        if day >= latest:
            continue
        newest = [d["doc_id"] for d in documents if d.get("version") == latest
                  and (d.get("kind") or "", d.get("rulebook")) == (kind, book)]  # fmt: skip
        quoted = {c.ref for c in citations if c.n in ns and c.ref}
        gone = sorted(r for r in quoted if has_ref is not None
                      and not any(has_ref(doc_id, r) for doc_id in newest))  # fmt: skip
        if gone:
            notes.append(f"{marks(ns)} quotes the {day} version of the {what}; the later version "
                         f"indexed ({latest}) has no {', '.join(gone)}: it may have been "
                         f"repealed or renumbered. {hint}")  # fmt: skip
        else:
            notes.append(f"{marks(ns)} quotes the {day} version of the {what}; a later version "
                         f"({latest}) is indexed and may differ. {hint}")  # fmt: skip
    return notes


def _retrieved(hit: Hit) -> dict[str, Any]:
    return {"rank": hit.rank, "chunk_id": hit.chunk.chunk_id, "ref": hit.chunk.ref, "label": label(hit),
            "title": hit.document.get("title"), "score": round(hit.score, 6),
            "dense_score": hit.dense_score, "doc_id": hit.chunk.doc_id}  # fmt: skip


__all__ = ["REFUSAL", "Assistant", "version_notes"]
