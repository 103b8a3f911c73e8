"""The assistant: retrieve, answer (extractive or LLM + verification), log. One call: ``ask``."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from assistant.answer.answerability import NATIONAL, KeywordIdf, unknown_thing, unstated_figures
from assistant.answer.extractive import (
    Extract,
    ExtractiveAnswerer,
    citation_for,
    label,
    list_cut,
    list_opened_before,
    outside_rules,
)
from assistant.answer.llm import LLM, build_llm
from assistant.answer.prompts import (
    BOOK_SCOPE_NOTE,
    FOREIGN_REGIME_NOTE,
    NATIONAL_LAW_NOT_CITED_NOTE,
    NATIONAL_LAW_NOT_CITED_OTHER_NOTE,
    NATIONAL_LAW_NOTE,
    NOT_A_RULE_NOTE,
    OTHER_REGIME_NOTE,
    PROMPT_VERSION,
    REFUSAL,
    REGIME_SCOPE_NOTE,
    RK_SCOPE,
    SYSTEM,
    UNSTATED_FIGURE_NOTE,
    source_block,
    user_message,
)
from assistant.answer.scope import scope_of, scope_sentences
from assistant.answer.types import Answer, Citation
from assistant.answer.verify import Verifier
from assistant.changes.versions import (
    earlier_text_notes,
    in_force_ids,
    superseded_lead,
    version_notes,
)
from assistant.errors import LLMError
from assistant.index.core import Index
from assistant.index.keywords import STOP_WORDS, Tokenizer
from assistant.language.regimes import (
    OTHER_REGULATORS,
    asked_part,
    is_foreign,
    named_regimes,
    regime_of,
    regime_scope,
    without_place,
    writes,
)
from assistant.language.spelling import (
    NOT_READ,
    NOT_READ_NOTE,
    corrected,
    mostly_unread,
    quoted_words,
    unread_note,
    unread_words,
)
from assistant.language.text import sentence_spans
from assistant.search.retrieval import Filters, Hit, Retriever, as_indexed, holds, named_refs
from ingest.chunker import repeal_marker
from ingest.refs import Ref, find_refs


def renumbered(question: str, named: Ref, now: Ref) -> str:
    """``question`` with rule ``named`` written under its number ``now``, where it follows its
    own rulebook's code ("Compare AML 15.8.1 with COB 15.8.1" moved COB's too, a read-through,
    twenty-ninth session)."""
    return re.sub(rf"(?i:({re.escape(named.book)})(\s*)){re.escape(named.number)}(?![\w]|\.\d)",
                  rf"\g<1>\g<2>{now.number}", question)  # fmt: skip


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
        self._abbr: tuple[int, dict[str, str]] | None = None
        self._rules_of: dict[str, Any] = {}  # doc_id -> its rules, per catalog generation
        self.extractive.abbreviations = self.abbreviations
        self._audit_lock = threading.Lock()  # one Assistant serves every app session

    def abbreviations(self) -> dict[str, str]:
        """The abbreviations the indexed text defines, read once per catalog generation."""
        generation = self.index.catalog.generation()
        if self._abbr is None or self._abbr[0] != generation:
            from assistant.language.abbreviations import collect

            self._abbr = (generation, collect(c.text for _, c in self.index.catalog.all_chunks()))
        return self._abbr[1]

    def _rules(self, doc_id: str) -> dict[tuple[str, bool], Any]:
        """A document's rules as the change comparison reads them, once per catalog generation."""
        from assistant.changes.diff import rules_of

        generation = self.index.catalog.generation()
        if self._rules_of.get("generation") != generation:
            self._rules_of = {"generation": generation}
        if doc_id not in self._rules_of:
            cat = self.index.catalog
            self._rules_of[doc_id] = rules_of(cat.chunks(cat.chunk_ids(doc_id)).values())
        return self._rules_of[doc_id]

    def _moved(self, old_doc: str, new_doc: str, ref: str) -> tuple[str, bool] | None:
        """The number rule ``ref`` of ``old_doc`` has in ``new_doc`` where it was renumbered
        (``changes.diff.moved_to``), and whether its words changed too."""
        from assistant.changes.diff import moved_to

        return moved_to(self._rules(old_doc), self._rules(new_doc), ref)

    def _holds_chapter(self, doc_id: str, ref: str) -> bool:
        """Whether the document holds a rule of ``ref``'s chapter (its number's first part)."""
        book, _, number = ref.rpartition(" ")
        chapter = f"{book} {number.split('.')[0]}"
        return any(k.startswith(chapter + ".") or k == chapter for k, _ in self._rules(doc_id))

    def _renumbered_in_force(self, question: str, allowed: Sequence[str],
                             as_of: str) -> list[tuple[Ref, Ref, str, str, bool]]:  # fmt: skip
        """The rules ``question`` names that no version in force on ``as_of`` (``allowed``) holds
        under that number while the version in force holds under another, renumbered between
        the two versions: (named, its number in force, the named number's version, the version
        in force, whether its words changed too). "What does AML 15.8.1 say?" as of a date after
        the rule became 15.10.1 was refused, the change report knowing the move (a change
        tracker's trial, twenty-ninth session); so, the other way, was 15.10.1 asked as of a
        date before it. A paragraph named keeps its paragraphs ("15.8.1(a)" -> "15.10.1(a)")."""
        from assistant.changes.diff import moved_from, moved_to
        from assistant.changes.versions import family

        docs = {d["doc_id"]: d for d in self.index.documents()}
        keep = set(allowed)
        out = []
        for named in named_refs(question, self.retriever.own_books()):
            if named.kind != "rule":
                continue
            ref = Ref(named.book, named.number)
            held = sorted({c.doc_id for c in self.index.catalog.chunks_for_ref(ref)
                           if c.ref == str(ref)})  # fmt: skip
            if not held or keep.intersection(held):
                continue
            found = None
            for doc_id in held:  # (every file of each version, in one order: chapter files)
                d = docs.get(doc_id)
                if d is None or not d.get("version"):
                    continue
                for now in sorted(x for x in keep if x in docs and docs[x].get("version")
                                  and family(docs[x]) == family(d)):  # fmt: skip
                    later = d["version"] < docs[now]["version"]
                    rules = (self._rules(doc_id), self._rules(now))
                    moved = (moved_to if later else moved_from)(*(rules if later else rules[::-1]),
                                                                str(ref))  # fmt: skip
                    refs = find_refs(moved[0], books=self.retriever.own_books()) if moved else []
                    if moved and refs:
                        found = (named, replace(refs[0], paras=named.paras), d["version"],
                                 docs[now]["version"], moved[1])  # fmt: skip
                        break
                if found:
                    break
            if found:
                out.append(found)
        return out

    def in_force_doc_ids(self, as_of: str) -> tuple[str, ...] | None:
        """Documents in force on ``as_of``: versions after it are excluded, and of several
        versions of one rulebook only the latest on or before it is kept. Unknown versions stay."""
        keep = in_force_ids(self.index.documents(), as_of)
        return tuple(d["doc_id"] for d in self.index.documents() if d["doc_id"] in keep)

    def regime_scope(self, question: str) -> tuple[str | None, tuple[str, ...] | None]:
        """The one regime the question names among those indexed, and the documents it searches
        then: that regime's (national law's too, for the AIFC: read with its own note). An
        ADGM question on an index of both regimes was answered from the AIFC digest ("What is the
        travel rule threshold ... in ADGM?": "USD 1,000", AML 11-1.1; "What sanctions can the
        FSRA impose?": an AIFC sanctions-notification rule), two trials, twenty-sixth session.
        (None, None) where it names none, or several (a comparison), or only regimes of which
        every indexed document is of that regime (nothing to leave out)."""
        return regime_scope(question, self.index.documents())

    def _scope_note(self, question: str, regime: str) -> str:
        """What kept the search to ``regime``'s texts: its name, or a rulebook code only its
        texts carry."""
        # (with the AIFC, the Republic's national law indexed beside it is searched too: the
        # note said "only the AIFC texts" over an answer quoting only [RK] text, a founder's
        # trial of both regimes, fortieth session)
        rk = regime == "AIFC" and any(d.get("jurisdiction") == "RK" for d in self.index.documents())
        if named_regimes(question, [regime]):
            return REGIME_SCOPE_NOTE.format(regime=regime) + (RK_SCOPE if rk else "")
        asked = asked_part(question)
        books = sorted({b for d in self.index.documents() if (b := d.get("rulebook"))
                        and (d.get("jurisdiction") or "AIFC") == regime
                        and writes(asked, b, any_case=False)})  # fmt: skip
        if not books:
            return REGIME_SCOPE_NOTE.format(regime=regime) + (RK_SCOPE if rk else "")
        return BOOK_SCOPE_NOTE.format(books=", ".join(books), regime=regime)

    def _ended_before(self, question: str, as_of: str, filters: Filters, k: int) -> list[str]:
        """A note where the passage that best answers ``question`` in every version is a rule of
        an earlier version that the version in force on ``as_of`` marks repealed or no longer
        holds: "Can an insurer not incorporated in the ADGM be a Captive Insurer?" as of a date
        after CIB 1.3.3 became "[Deleted]" was answered from an unrelated provision, with no
        word of the rule that had answered it (a change tracker's trial, thirty-eighth
        session). Not where that rule was renumbered (the version in force answers under its
        new number) or where a version in force holds it."""
        from assistant.changes.versions import family

        every = self.retriever.search(question, k=k, filters=replace(filters, doc_ids=()))
        if not every or not every[0].chunk.ref or every[0].chunk.is_guidance:
            return []
        top = every[0].chunk
        docs = {d["doc_id"]: d for d in self.index.documents()}
        old = docs.get(top.doc_id)
        if old is None or top.doc_id in filters.doc_ids or not old.get("version"):
            return []
        now = [d for d in filters.doc_ids if d in docs and family(docs[d]) == family(old)
               and (docs[d].get("version") or "") > old["version"]]  # fmt: skip
        ref = top.ref
        if not now or not ref:
            return []
        marker = next((m for d in now if (m := self._repealed(d, ref))), None)
        if marker is None and (any(self._has_ref(d, ref) for d in now)
                               or any(self._moved(top.doc_id, d, ref) for d in now)):  # fmt: skip
            return []
        day = docs[now[0]].get("version")
        said = (f'marks it repealed ("{marker}")' if isinstance(marker, str)
                else "marks it repealed" if marker else "has no such rule")  # fmt: skip
        return [f"The provision that best answers this in the indexed versions is {ref} of the "
                f"{old['version']} version; the version in force on {as_of} ({day}) {said}, so "
                "what is quoted here is not that rule."]  # fmt: skip

    def _not_yet_in_force(self, as_of: str) -> list[str]:
        """A note naming the rulebooks whose every indexed version is dated after ``as_of``: an
        answer (or a refusal) for that date was made without them, which the user should know
        (a new user set an early date and got a bare refusal, 2026-12-04)."""
        # (per regime: the AIFC's AML, first dated 2024, was not named beside ADGM's AML of
        # 2021, one code for both, an app user's trial, twenty-ninth session)
        earliest: dict[tuple[str, str], str] = {}
        for d in self.index.documents():
            if d.get("rulebook") and d.get("version") and d.get("kind") != "policy":
                v, key = str(d["version"]), (d.get("jurisdiction") or "AIFC", d["rulebook"])
                earliest[key] = min(earliest.get(key, v), v)
        late = sorted((key, v) for key, v in earliest.items() if v > as_of)
        if not late:
            return []
        listed = ", ".join(f"{'' if regime == 'AIFC' else regime + ' '}{book} (earliest indexed "
                           f"version {v})" for (regime, book), v in late)  # fmt: skip
        return [f"no indexed version of these rulebooks was in force on {as_of}: {listed}"]

    def ask(self, question: str, *, k: int | None = None, as_of: str | None = None,
            use_llm: bool | None = None, filters: Filters | None = None,
            typed: str | None = None, rewritten_by: str | None = None) -> Answer:  # fmt: skip
        """The answer to ``question``; ``typed`` and ``rewritten_by``, for a chat's follow-up read
        as ``question``, are kept with the answer and in the audit log."""
        t0 = time.perf_counter()
        filters = filters or Filters()
        asked = question
        # misspelt words read as the indexed text's ("anual" fee: a new user got the
        # application fee, as "annual" was lost, 2026-12-04); the answer says so
        fixes = self.retriever.spelling(question)
        # "pru 3.6a.3" is PRU 3.6A.3, "CRS 7(2)" CRS s.7(2), "Rule 6.5.3" FP's
        question = as_indexed(corrected(question, fixes), self.index.catalog)
        if as_of:
            allowed = self.in_force_doc_ids(as_of) or ("<none>",)
            if filters.doc_ids:
                allowed = tuple(d for d in filters.doc_ids if d in allowed) or ("<none>",)
            filters = replace(filters, doc_ids=allowed)
        moves = self._renumbered_in_force(question, filters.doc_ids, as_of) if as_of else []
        for named, now, _, _, _ in moves:  # asked under the number of the version in force
            question = renumbered(question, named, now)
        regime, scoped = self.regime_scope(question)
        placed = question  # the question as asked (its notes are read from it)
        if scoped is not None and regime is not None:
            allowed = (
                tuple(d for d in filters.doc_ids if d in scoped) if filters.doc_ids else scoped
            )
            filters = replace(filters, doc_ids=allowed or ("<none>",))
            question = without_place(question, regime)  # the place is what is searched now
        not_read = mostly_unread(question, STOP_WORDS)
        hits = (
            []
            if not_read
            else self.retriever.search(question, k=k or self.settings.answer.top_k, filters=filters)
        )
        if regime is None:
            hits = _home_first(hits)
        if not as_of:
            hits = _latest_first(hits, self.index.documents(),
                                 named_refs(question, self.retriever.own_books()))  # fmt: skip
        gaps = self.retriever.missing_paragraphs(question)  # "AML 6.1.1(c)": no such paragraph
        gaps += self.retriever.missing_guidance(question)  # "AML 14.3.5 Guidance 7": likewise
        absent = self.retriever.absent_rules(question)  # "MIR 2.14.9" beside 2.14.1 to 2.14.8
        missing = [ref for ref, _ in gaps] + [ref for ref, _ in absent]
        want_llm = self.llm is not None if use_llm is None else use_llm
        if want_llm and self.llm is None:
            from assistant.errors import UsageError

            raise UsageError("--llm asked for, but no LLM endpoint is configured",
                             "set REGASSIST_LLM__BASE_URL and REGASSIST_LLM__MODEL, or use --no-llm")  # fmt: skip
        if not_read:  # told so, not "not specified": nothing was searched
            answer = Answer(question, NOT_READ.format(words=quoted_words(not_read)), True, [], [],
                            "llm" if want_llm else "extractive", None, self.index.index_id,
                            confidence=0.0)  # fmt: skip
            answer.notes.append(NOT_READ_NOTE)
        elif want_llm and self.llm is not None:
            gate = self.extractive.answer(question, hits, self.idf, self.idf.known, missing)
            if gate.abstained:  # the answerability gate runs before the LLM too
                answer = Answer(question, gate.text, True, gate.citations, [], "llm", self.llm.model,
                                self.index.index_id, confidence=gate.confidence)  # fmt: skip
                answer.notes.append(f"abstained before the LLM: {gate.reason}")
            else:
                try:
                    answer = self._llm_answer(question, hits)
                except LLMError as exc:  # the extractive answer the gate made, said to be so
                    answer = self._extractive(question, gate)
                    answer.notes.append(f"{exc.message}; this answer is extractive (no LLM)")
                else:
                    if answer.abstained and answer.mode == "llm" and gate.citations:
                        # the LLM read the sources and says they do not answer, where the
                        # extractive reader answers from them: said, so that a rule the model
                        # passed over is not hidden (a platform engineer's LLM-mode trial,
                        # thirty-ninth session: the CDD threshold's own rule was listed only
                        # among "closest provisions", with no word)
                        lead = gate.citations[0]
                        answer.notes.append(
                            f"the LLM found no answer in the sources; the extractive reader "
                            f'answers from {lead.ref or lead.title}: "{lead.quote[:200]}" '
                            "(read it before relying on either)"
                        )
                    if answer.mode == "extractive":  # every LLM sentence was removed
                        removed, flags = answer.removed, answer.flags
                        answer = self._extractive(question, gate)
                        answer.removed, answer.flags = removed, flags
                        answer.notes.append(
                            f"verification removed every sentence of the LLM's answer "
                            f"({len(removed)}, listed in removed); this answer is extractive"
                        )
                answer.confidence = gate.confidence
        else:
            ex = self.extractive.answer(question, hits, self.idf, self.idf.known, missing)
            answer = self._extractive(question, ex)
        llm_cfg = self.settings.llm
        if self.llm is None and bool(llm_cfg.base_url) != bool(llm_cfg.model):
            half = "REGASSIST_LLM__BASE_URL" if llm_cfg.base_url else "REGASSIST_LLM__MODEL"
            other = "REGASSIST_LLM__MODEL" if llm_cfg.base_url else "REGASSIST_LLM__BASE_URL"
            answer.notes.append(f"{half} is set but {other} is not: answered without the LLM")
        answer.retrieved = [_retrieved(h) for h in hits]
        answer.as_of = as_of
        if as_of:
            answer.notes.extend(self._not_yet_in_force(as_of))
            answer.notes.extend(self._ended_before(
                question, as_of, filters, k or self.settings.answer.top_k))  # fmt: skip
            # (another regime's text named so, "ADGM AML 2024-06-01": the digest's AML and ADGM's
            # read as two versions of one rulebook in force at once, a review)
            dated = dict.fromkeys(
                f"{c.jurisdiction + ' ' if c.jurisdiction not in (None, '', 'AIFC') else ''}"
                f"{c.ref.split()[0] if c.ref else c.title} {c.version}"
                for c in answer.citations if c.version)  # fmt: skip
            if dated and not answer.abstained:
                # the date asked and the versions it picked, said (a change tracker read an
                # as-of answer that named neither, twenty-ninth session)
                answer.notes.insert(0, f"As of {as_of}: quoted from the versions in force on "
                                    f"that date ({', '.join(dated)})")  # fmt: skip
            undated = [c.n for c in answer.citations if not c.version and c.jurisdiction != "RK"]
            if undated and not answer.abstained:
                # a document without a version date is searched on every date: said, since it
                # may not have been in force then (a founder's --as-of 2023-06-01 answer quoted
                # a table whose own text says "in force 4 October 2024", 2026-12-04)
                cited = ", ".join(f"[{n}]" for n in undated)
                answer.notes.append(f"{cited}: no version date in the index, so not known to be "
                                    f"in force on {as_of}")  # fmt: skip
                # a quote that itself dates what it reports after the date asked ("FEES with
                # Amendments No. 17 (in force 1 December 2025)" under --as-of 2020-01-01, a
                # citation auditor's trial, twentieth session)
                for c in answer.citations:
                    when = stated_in_force(c.quote) if c.n in undated else None
                    if when and when > as_of:
                        answer.notes.append(f"[{c.n}] itself says what it reports is in force "
                                            f"from {when}, after {as_of}")  # fmt: skip
        answer.prompt_version = PROMPT_VERSION if answer.mode == "llm" else None
        answer.question = placed
        question = placed  # the notes read the question as asked
        self._notes(question, answer)
        if not answer.abstained:
            answer.notes += self._applies_notes(answer)
        if regime:
            answer.notes.insert(0, self._scope_note(question, regime))
        # a word no indexed text holds: the answer is from the question's other words (noted,
        # not refused: "tokenisation" is in no digest text, yet the FinTech Lab question is
        # answered; refusing on such a word refused answerable questions, 2026-12-04)
        unknown = self.retriever.unknown_words(question)
        thing = unknown_thing(question, self.tokenize, self.idf.known_family)
        if thing and not answer.abstained and thing not in {w.lower() for w in unknown}:
            # what the question asks for ("What penalty ...?") that no indexed text names: the
            # answer is about the question's other words (a founder got a filing deadline for a
            # fine, 2026-12-05); noted, not refused, as the text may say it in other words
            answer.notes.insert(0, f'"{thing}", what the question asks for, occurs nowhere in the '
                                "indexed text: the answer is from the question's other words; "
                                "check that it answers what was asked")  # fmt: skip
        # a figure the question claims of the rules that no passage found states ("Since the AFSA requires
        # USD 5 million capital for exchanges, ...?" was answered with the money-services USD
        # 200,000 and the premise left standing, a Kazakh lawyer's trial, thirty-eighth session)
        stated = unstated_figures(question, [h.chunk.text for h in hits])
        if stated and not answer.abstained:
            one = len(stated) == 1
            answer.notes.insert(0, UNSTATED_FIGURE_NOTE.format(
                figures=" and ".join(stated), that="that figure" if one else "those figures",
                it="it" if one else "them"))  # fmt: skip
        for word in reversed(unknown):
            answer.notes.insert(0, f'"{word}" occurs nowhere in the indexed text')
        if (unread := unread_words(question)) and not not_read:
            answer.notes.insert(0, unread_note(unread))
        if problem := self.index.dense_problem():
            answer.notes.insert(0, f"{problem}: this answer is from keyword search only")
        for ref, held in reversed(self.retriever.outer_refs(question, [r for r, _ in absent])):
            answer.notes.insert(0, f"{ref} is not in the indexed rules as such: {held}, the part "
                                "that would hold it, is searched instead")  # fmt: skip
        for ref, part in reversed(absent):
            answer.notes.insert(0, f"{ref} is not in the indexed rules: {part} is indexed with "
                                "rules of its own, none of them this one")  # fmt: skip
        for ref, held in reversed(gaps):
            answer.notes.insert(0, f"{ref} is not in the indexed rules: the indexed text of "
                                f"{held} has no such paragraph")  # fmt: skip
        for ref in self.retriever.unknown_refs(question):
            answer.notes.insert(0, f"{ref} is not in the indexed rules: nothing here quotes it")
        for note in reversed(self._repealed_named(question)):
            answer.notes.insert(0, note)
        for note in reversed(self.retriever.missing_guidance_paragraphs(question)):
            answer.notes.insert(0, note)
        for named, now, then, in_force, amended in reversed(moves):
            how = "renumbered and amended" if amended else "the same rule renumbered"
            base = str(Ref(now.book, now.number))
            quoted = any(c.ref in (str(now), base) or (c.ref or "").startswith(base + "(")
                         for c in answer.citations)  # fmt: skip
            said = f": answered for {now}" if quoted and not answer.abstained else (
                f"; {now} is not among the provisions found")  # fmt: skip
            answer.notes.insert(0, f"{named} is numbered {now} in the version in force on {as_of} "
                                f"(the {in_force} version; {named} in the {then} version, "
                                f"{how}){said}")  # fmt: skip
        if moves:  # the question as typed, under the number asked: the note says which it read
            answer.question = asked
        if fixes:
            answer.question = asked
            read = ", ".join(f'"{w}" as "{f}"' for w, f in fixes.items())
            # (a dictionary word the index has in another form, "separate" for "separately",
            # is no spelling of the indexed text's own)
            answer.notes.insert(0, f"read {read} (a misspelling, by the indexed text's words)")
        if typed is not None and typed.strip() != asked.strip():
            answer.asked_as, answer.rewritten_by = typed, rewritten_by
        answer.elapsed_ms = round((time.perf_counter() - t0) * 1000, 1)
        if self.settings.answer.audit_log:
            self._audit(answer)
        return answer

    def _extractive(self, question: str, ex: Extract) -> Answer:
        answer = Answer(question, ex.text, ex.abstained,
                        ex.citations, [], "extractive", None, self.index.index_id,
                        confidence=ex.confidence)  # fmt: skip
        if ex.abstained:
            answer.notes.append(f"abstained: {ex.reason}")
        else:
            answer.notes += [n for c in ex.citations if (n := list_cut(c)) is not None]
            answer.notes += [n for c in ex.citations if (n := list_opened_before(c)) is not None]
        return answer

    def _llm_answer(self, question: str, hits: list[Hit]) -> Answer:
        assert self.llm is not None
        blocks = [source_block(n, h.chunk.ref, h.document.get("title", ""),
                               h.document.get("jurisdiction") or "AIFC", h.chunk.text,
                               not outside_rules(h.document, h.chunk.ref))
                  for n, h in enumerate(hits, start=1)]  # fmt: skip
        raw = self.llm.complete(SYSTEM, user_message(question, blocks))
        sources = {n: h.chunk.text for n, h in enumerate(hits, start=1)}
        v = self.verifier.verify(
            raw, sources, {n: h.chunk.ref for n, h in enumerate(hits, start=1)},
            {n: h.document.get("jurisdiction") or "AIFC" for n, h in enumerate(hits, start=1)},
        )  # fmt: skip
        citations: list[Citation] = []
        for n in v.cited:
            hit = hits[n - 1]
            citations.append(citation_for(n, hit, self._best_quote(v.text, n, hit)))
        answer = Answer(question, v.text, v.refused, citations, [], "llm", self.llm.model,
                        self.index.index_id, removed=v.removed, flags=v.flags)  # fmt: skip
        if v.refused and not raw.strip().startswith(REFUSAL.rstrip(".")):
            answer.mode = "extractive"  # nothing the LLM wrote was supported: ``ask`` falls back
        elif v.refused:  # the LLM read the sources and says they do not answer
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

    def _applies_notes(self, answer: Answer) -> list[str]:
        """Who the quoted rules apply to, where a scope provision of their own, their section's
        or their chapter's limits it ("PRU 9.3.1: This Section applies to an Authorised Person
        in Category 1 or 5."), for the first three citations (``assistant/answer/scope.py``)."""
        books = self.retriever.own_books()  # (cached per catalog generation)
        notes: list[str] = []
        said: set[str] = set()
        quotes = [c.quote for c in answer.citations]
        for c in answer.citations[:3]:
            if scope_sentences(c.full_text or c.quote):
                continue  # a scope provision itself ("3.1.1.(5) Rules 3.3.13 ... do not apply")
            found = scope_of(c.ref, c.doc_id, books, quotes, self.index.catalog.chunks_for_ref)
            if found is None or found[1] in said:
                continue
            said.add(found[1])
            notes.append(f'[{c.n}] Scope of {c.ref}, in {found[0]}: "{found[1]}"')
        return notes

    def _notes(self, question: str, answer: Answer) -> None:
        # (not a regulator whose own rules the index holds: on the ADGM rulebooks every question
        # naming ADGM was told "ADGM, whose rules are not indexed", a trial 2026-12-05)
        # (nor one indexed as a regime of its own, ``ingest --jurisdiction ADGM``: "FSRA" too)
        regimes = {d.get("jurisdiction") for d in self.index.documents()}
        others = sorted(n for n in set(OTHER_REGULATORS.findall(question))
                        if not self.extractive.indexed_regime(n, self.idf)
                        and regime_of(n) not in regimes)  # fmt: skip
        if others:
            held = sorted({r or "AIFC" for r in regimes} - {"RK"}) or ["AIFC"]
            indexed = " and ".join(held)
            answer.notes.insert(
                0, OTHER_REGIME_NOTE.format(names=", ".join(others), indexed=indexed)
            )
        outside = [c for c in answer.citations if c.outside_rules]
        if outside:
            which = ", ".join(f"[{c.n}]" for c in outside)
            titles = ", ".join(dict.fromkeys(f"'{c.title}'" for c in outside))
            answer.notes.insert(0, NOT_A_RULE_NOTE.format(
                which=which + (" is" if len(outside) == 1 else " are"), titles=titles))  # fmt: skip
        foreign = sorted({c.jurisdiction for c in answer.citations} - {"AIFC", "RK", None, ""})
        if foreign:
            beside = " indexed beside the AIFC rules" if regimes & {"AIFC", None, ""} else ""
            answer.notes.insert(0, FOREIGN_REGIME_NOTE.format(
                marks=", ".join(f"[{j}]" for j in foreign), names=", ".join(foreign),
                beside=beside))  # fmt: skip
        cites_rk = any(c.jurisdiction == "RK" for c in answer.citations)
        if cites_rk:
            answer.notes.insert(0, NATIONAL_LAW_NOTE)
        elif NATIONAL.search(question) and foreign:
            ours = any(c.jurisdiction in ("AIFC", None, "") for c in answer.citations)
            cited_as = " and ".join(
                [*(["AIFC rules"] if ours else []), f"{', '.join(foreign)} text"]
            )
            answer.notes.insert(0, NATIONAL_LAW_NOT_CITED_OTHER_NOTE.format(cited=cited_as))
        elif NATIONAL.search(question):
            answer.notes.insert(0, NATIONAL_LAW_NOT_CITED_NOTE)
        if not answer.abstained and answer.citations:
            other = _for_other_firms(question, answer.citations[0])
            if other:
                answer.notes.append(other)
            person = _for_other_persons(question, answer.citations[0])
            if person:
                answer.notes.append(person)
            clients = _for_other_clients(question, answer.citations[0])
            if clients:
                answer.notes.append(clients)
        if not answer.abstained and not answer.as_of and answer.citations:
            documents = self.index.documents()
            answer.notes.extend(version_notes(answer.citations, documents, self._has_ref,
                                              self._repealed, self._moved, self._holds_chapter))  # fmt: skip
            answer.notes.extend(earlier_text_notes(
                answer.citations, documents,
                lambda doc_id, ref: self._has_ref(doc_id, ref) and not self._repealed(doc_id, ref)))  # fmt: skip
            first, _, rest = answer.answer.partition("\n")
            lead = re.search(r"\[(\d+)\]", first)
            cited = next((c for c in answer.citations if lead and c.n == int(lead.group(1))), None)
            said = cited and superseded_lead(cited, documents, self._has_ref, self._repealed,
                                             self._moved)  # fmt: skip
            if said:
                answer.answer = f"{said} {first}" + (f"\n{rest}" if rest else "")

    def _has_ref(self, doc_id: str, ref: str) -> bool:
        """Whether the document has a chunk of exactly this rule (True when the ref is unreadable)."""
        found = find_refs(ref, books=self.retriever.own_books())
        if not found:
            return True
        return any(c.doc_id == doc_id and c.ref == ref
                   for c in self.index.catalog.chunks_for_ref(found[0]))  # fmt: skip

    def _repealed_named(self, question: str) -> list[str]:
        """A note for each rule the question names that the index holds only as repealed ("7.2.2
        [Deleted]"): a guidance note that still quotes it was the answer to "What does MKT 7.2.2
        say?", with no word that the rule is gone (a listed issuer's trial, thirty-first
        session)."""
        out = []
        for ref in named_refs(question, self.retriever.own_books()):
            exact = [c for c in self.index.catalog.chunks_for_ref(ref) if c.ref == str(ref)]
            if exact and all(c.repealed for c in exact):
                doc = next((d for d in self.index.documents()
                            if d.get("doc_id") == exact[0].doc_id), {})  # fmt: skip
                title = doc.get("title") or exact[0].doc_id
                version = f", version {doc['version']}" if doc.get("version") else ""
                out.append(f"{ref} is repealed in the indexed text ({title}{version}): what is "
                           "quoted may refer to it as it stood before")  # fmt: skip
        return out

    def _repealed(self, doc_id: str, ref: str) -> str | bool | None:
        """The line with which the document marks this rule repealed ("1.3.3 [Deleted]",
        "[intentionally omitted]"), as written; None where it does not."""
        found = find_refs(ref, books=self.retriever.own_books())
        marked = [c for c in self.index.catalog.chunks_for_ref(found[0])
                  if c.doc_id == doc_id and c.ref == ref and c.repealed] if found else []  # fmt: skip
        if not marked:
            return None
        return repeal_marker(marked[0].text) or True  # (flagged so: the marker is in its lines)

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


def _for_other_firms(question: str, citation: Citation) -> str | None:
    """A note when the lead citation is a rule whose subject names only firm types other than
    the one the question asks about ("How must a broker manage conflicts of interest?" answered
    from "A DATF operator must disclose ...": a consultant's trial, 2026-12-04)."""
    from assistant.answer.answerability import asked_firms
    from assistant.language.firms import qualified_for

    asked = asked_firms(question)
    spans = sentence_spans(citation.quote)
    if not asked or not spans:
        return None
    # every sentence of the quote: one for the firm asked about answers for it ("a DASP dealing
    # ... must have policies ...; a custodian must have written policies ..." was noted as for
    # dealers only, above a line on custodians, a custodian's trial, seventeenth session)
    named = [qualified_for(citation.quote[a:b]) for a, b in spans]
    if any(found & asked for found in named):
        return None
    theirs = next((found for found in named if found), set())
    if not theirs:
        return None
    return (f"[{citation.n}] is a rule for: {', '.join(sorted(theirs))}; the question asks about: "
            f"{', '.join(sorted(asked))}. It may not apply to that firm type.")  # fmt: skip


def _for_other_clients(question: str, citation: Citation) -> str | None:
    """A note when the lead citation names only other client categories than the one the
    question asks about ("the monthly deposit limit for professional clients" answered from the
    limit for "an individual Retail Client", a lawyer's trial, twenty-second session). A quote
    naming the category asked, or none, gets no note."""
    from assistant.language.clients import client_categories, excluded_categories

    asked = client_categories(question)
    excluded = excluded_categories(question)
    # (not one the quote names only in a condition, "... only if ... a Professional Client",
    # which settles the other categories too: a review)
    named = client_categories(citation.quote, conditions=False)
    if not named or client_categories(citation.quote) & asked:
        return None
    if excluded and named <= excluded:
        # "the deposit limit for non-retail clients" answered with the Retail Client's (a review)
        return (f"[{citation.n}] is written of: {', '.join(sorted(named))}, which the question "
                "leaves out. It may not hold for the clients asked about.")  # fmt: skip
    if not asked:
        return None
    return (f"[{citation.n}] is written of: {', '.join(sorted(named))}; the question asks about: "
            f"{', '.join(sorted(asked))}. It may not hold for that client category.")  # fmt: skip


def _for_other_persons(question: str, citation: Citation) -> str | None:
    """A note when the lead citation's rules are written of other roles than the one the
    question asks about ("Must the deputy be resident in Kazakhstan?" answered from "The MLRO
    must be resident in the Republic of Kazakhstan.", an MLRO's trial, twentieth session): the
    role asked is the head of the question's subject ("the MLRO's deputy" is the deputy), else
    every role it names; the roles of the quote are the heads of its sentences' subjects ("The
    MLRO must ...", not "MLRO support headcount" in a list, a review)."""
    from assistant.answer.extractive import _subject_of
    from assistant.answer.followup import subject_span
    from assistant.language.roles import head_roles, roles

    span = subject_span(question)
    asked = head_roles(question[span[0] : span[1]]) if span else set()
    asked = asked or roles(question)
    if not asked:
        return None
    named: set[str] = set()
    for a, b in sentence_spans(citation.quote):
        subject = _subject_of(citation.quote[a:b])
        if subject:
            named |= head_roles(subject)
    if not named or named & asked:
        return None
    return (f"[{citation.n}] speaks of: {', '.join(sorted(named))}; the question asks about: "
            f"{', '.join(sorted(asked))}. It may not say the same of that role.")  # fmt: skip


def _home_first(hits: list[Hit]) -> list[Hit]:
    """A question that names no regime is asked of the AIFC: another regime's text indexed beside
    ours (``ingest --jurisdiction ADGM``) goes after the AIFC's and national law's, in search
    order, and stays in the evidence under its note ("Where must the MLRO be resident?" led with
    ADGM's "resident in the UAE", a review, twenty-sixth session)."""
    foreign = [h for h in hits if is_foreign(h.document.get("jurisdiction"))]
    if not foreign or len(foreign) == len(hits):
        return hits
    # a rule looked up by its number that only another regime's text holds leads ("What does
    # AML 14.3.5 say?" with the AIFC's AML and ADGM's indexed quoted an unrelated AIFC guidance
    # sentence, ADGM's 14.3.5 after it unquoted, a founder's trial of both regimes, fortieth
    # session)
    looked_up: list[Hit] = []
    if not any("ref" in h.matched_by for h in hits if h not in foreign):
        looked_up = [h for h in foreign if "ref" in h.matched_by]
    rest = [h for h in foreign if h not in looked_up]
    return looked_up + [h for h in hits if h not in foreign] + rest


def _latest_first(hits: list[Hit], documents: list[dict[str, Any]],
                  named: Sequence[Ref] = ()) -> list[Hit]:  # fmt: skip
    """Without an as-of date every indexed version is searched; where the latest version of a
    rulebook is among the hits, its older versions' hits go after the others, so that the answer
    leads with the rules as they now stand (a consultant with two versions of AML indexed got the
    superseded "within 2 months" on the first line, the latest said 3 months, 2026-12-04). The
    older quotes stay in the evidence, and the version notes say which is which."""
    from assistant.changes.versions import family

    docs = {d["doc_id"]: d for d in documents}
    latest = in_force_ids(documents)

    def versioned(h: Hit) -> dict[str, Any] | None:
        d = docs.get(h.chunk.doc_id)
        return d if d and d.get("version") and d.get("rulebook") else None

    now = {family(d) for h in hits if h.chunk.doc_id in latest and (d := versioned(h))}

    def superseded(h: Hit) -> bool:
        # (an undated version of a rulebook whose latest dated version is among the hits goes
        # after it too: it cannot be placed among the dated ones)
        d = docs.get(h.chunk.doc_id)
        return (d is not None and bool(d.get("rulebook")) and h.chunk.doc_id not in latest
                and family(d) in now)  # fmt: skip

    # a rule the question names that only an older version holds keeps its place: "What does
    # AML 13.7.3 say?" after the latest version renumbered it was answered from AML 13.7 (a
    # consultant's trial, 2026-12-05); the version notes say the latest version lacks it
    def holds_named(h: Hit) -> bool:
        return any(holds(h.chunk, r) for r in named)

    named_now = any(holds_named(h) and not superseded(h) for h in hits)

    def demoted(h: Hit) -> bool:
        return superseded(h) and (named_now or not holds_named(h))

    if not any(demoted(h) for h in hits):
        return hits
    ordered = [h for h in hits if not demoted(h)] + [h for h in hits if demoted(h)]
    return [replace(h, rank=n) for n, h in enumerate(ordered, start=1)]


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_IN_FORCE = re.compile(
    r"\b(?:in\s+force|effective|takes?\s+effect|took\s+effect|applies|applying)\s+"
    r"(?:from\s+|on\s+|since\s+|as\s+of\s+)?(?:(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\s+(?P<y>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))",
    re.I,
)


def stated_in_force(text: str) -> str | None:
    """The latest date ``text`` says something is in force from ("in force 1 December 2025",
    "effective 2025-07-01"), as YYYY-MM-DD, or None."""
    dates = []
    for m in _IN_FORCE.finditer(text):
        if m.group("iso"):
            dates.append(m.group("iso"))
        elif m.group("m").lower() in _MONTHS:
            month = _MONTHS.index(m.group("m").lower()) + 1
            dates.append(f"{m.group('y')}-{month:02d}-{int(m.group('d')):02d}")
    return max(dates, default=None)


def _retrieved(hit: Hit) -> dict[str, Any]:
    return {"rank": hit.rank, "chunk_id": hit.chunk.chunk_id, "ref": hit.chunk.ref, "label": label(hit),
            "title": hit.document.get("title"), "score": round(hit.score, 6),
            "dense_score": hit.dense_score, "doc_id": hit.chunk.doc_id}  # fmt: skip


__all__ = ["REFUSAL", "Assistant"]
