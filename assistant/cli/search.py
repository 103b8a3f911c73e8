"""`regassist search`: one query, or a batch file with ``--queries``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.cli.options import (
    common,
    index_holds_documents,
    load_batch,
    progress,
    rulebook_filter,
)
from assistant.errors import UsageError
from assistant.settings import Settings
from ingest.model import KINDS

if TYPE_CHECKING:
    from assistant.search.retrieval import Hit


@click.command(epilog="Formats: text (readable), json, jsonl (one object per query, with its id), "
               "trec (qid Q0 docid rank score regassist; docid is the JSONL record id or the chunk "
               "id). With --queries, bad rows are reported by line number on stderr, the rest are "
               "searched, and the exit status is 1.")  # fmt: skip
@click.argument("query", required=False)
@click.option(
    "-k", "--top-k", "k", type=click.IntRange(1, 1000), default=None, help="Results per query."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl", "trec"]), default="text"
)
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Batch file: JSONL {\"id\",\"query\"}, TSV id<TAB>query, or CSV with a "
                   "'query' column.")  # fmt: skip
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only this kind (repeatable). Default: rules, guidance, other.")  # fmt: skip
@click.option("--all-kinds", is_flag=True, help="Search every kind, policy drafts included.")
@click.option(
    "--rulebook", "rulebooks", multiple=True, help="Only this rulebook, e.g. AML (repeatable)."
)
@click.option("--doc", "docs", multiple=True, help="Only this document id (repeatable).")
@common
def search(settings: Settings, query: str | None, k: int | None, fmt: str, queries: Path | None,
           kinds: tuple[str, ...], all_kinds: bool, rulebooks: tuple[str, ...],
           docs: tuple[str, ...]) -> None:  # fmt: skip
    """Search the index: exact rule refs first, then hybrid BM25 + dense results. A rule the query
    names that the index does not hold, and a word that no indexed text holds and no English
    dictionary knows ("flurbix"), are said so (a note; `notes` in JSON). A section's title
    passage found ("8.2 Timing of Customer Due Diligence") is followed by the passages under it
    (`matched_by` "title"), unless the query names a rule; `ask` does not add them. A query
    naming one of the regimes indexed ("Under ADGM rules, ...") searches only that regime's
    texts, as `ask` does, and says so."""
    from dataclasses import replace

    from assistant.answer.prompts import search_scope_note
    from assistant.index.core import Index
    from assistant.index.keywords import STOP_WORDS
    from assistant.language.regimes import regime_scope, without_place
    from assistant.language.spelling import (
        NOT_READ,
        mostly_unread,
        quoted_words,
        unread_note,
        unread_words,
    )
    from assistant.search.retrieval import Filters, Retriever, as_indexed

    if (query is None) == (queries is None):
        raise UsageError("give either a QUERY or --queries FILE", "see `regassist search --help`")
    if query is not None and not query.strip():  # as `ask` (it listed five arbitrary rules)
        raise UsageError("the query is empty", 'search for something: regassist search "..."')
    bad = 0
    if queries:
        b = load_batch(queries, flag="--queries", fields=("query", "question"))
        batch, bad = [(r.id, r.text) for r in b.rows], len(b.bad)
    else:
        batch = [("q1", query or "")]
    index = Index.open(settings)
    index_holds_documents(index)
    retriever = Retriever(index)
    documents = index.documents()
    kinds = KINDS if all_kinds else kinds
    filters = Filters(tuple(kinds), rulebook_filter(index.catalog, rulebooks, docs), tuple(docs))
    k = k or settings.retrieval.top_k
    outputs = []
    bar = progress(batch, "searching", show=len(batch) > 1 and fmt != "text")
    with bar as items:
        for qid, q in items:
            q = as_indexed(q, index.catalog)  # "pru 3.6a.3", "CRS 7(2)", "Rule 6.5.3"
            # a query most of whose words are not English is not searched, as `ask` does not
            # answer it ("минимальный капитал" listed IT-policy rules first, a Russian-speaking
            # founder's trial, thirty-ninth session)
            not_read = mostly_unread(q, STOP_WORDS)
            # a query naming one regime searches its texts, as `ask` does ("Under ADGM rules,
            # MLRO residence" ranked the AIFC's MLRO rule second, a founder's trial of both
            # regimes, fortieth session)
            regime, scoped = regime_scope(q, documents)
            searched, kept = q, filters
            if regime is not None and scoped is not None:
                allowed = tuple(d for d in docs if d in scoped) if docs else scoped
                kept = replace(filters, doc_ids=allowed or ("<none>",))
                searched = without_place(q, regime)
            hits = [] if not_read else retriever.search(searched, k=k, filters=kept,
                                                        under_titles=True)  # fmt: skip
            notes = [f"{ref} is not in the index; the results are the nearest by words"
                     for ref in retriever.unknown_refs(q)]  # fmt: skip
            notes += [f"{ref} is not in the index: {part} is indexed with rules of its own, none "
                      "of them this one; the results are the nearest by words"
                      for ref, part in retriever.absent_rules(q)]  # fmt: skip
            notes += [f"{ref} is not in the index as such: {held}, the part that would hold it, "
                      "comes first" for ref, held in retriever.outer_refs(q)]  # fmt: skip
            notes += [f"{ref} is not in the index: the indexed text of {held} has no such "
                      f"paragraph; {held} comes first"
                      for ref, held in retriever.missing_paragraphs(q)]  # fmt: skip
            notes += [f'"{w}" occurs nowhere in the indexed text; no result is about it'
                      for w in retriever.unknown_words(q)]  # fmt: skip
            if regime is not None and scoped is not None:
                notes.append(search_scope_note(regime, documents))
            if not_read:
                notes.append(NOT_READ.format(words=quoted_words(not_read)))
            elif unread := unread_words(q):
                notes.append(unread_note(unread))
            if problem := index.dense_problem():
                notes.append(f"{problem}: these results are from keyword search only")
            if fmt == "trec":
                # a TREC run's columns are split at white space: an id holding a space ("Q 1")
                # made seven columns of six (a data engineer's trial, thirty-ninth session)
                tid = "_".join(qid.split())
                if tid != qid:
                    click.secho(f"id {qid!r} holds white space; written {tid!r} in the TREC run",
                                fg="yellow", err=True)  # fmt: skip
                for h in hits:
                    click.echo(f"{tid} Q0 {h.docid} {h.rank} {h.score:.6f} regassist")
            elif fmt == "jsonl":
                obj = {
                    "id": qid,
                    "query": q,
                    "notes": notes,
                    "results": [h.to_dict() for h in hits],
                }
                click.echo(json.dumps(obj, ensure_ascii=False))
            elif fmt == "json":
                outputs.append({"id": qid, "query": q, "notes": notes,
                                "results": [h.to_dict() for h in hits]})  # fmt: skip
            else:
                if len(batch) > 1:
                    click.secho(f"== {qid}: {q}", bold=True)
                for note in notes:
                    click.secho(f"note: {note}", fg="yellow")
                _print_hits(qid, q, hits, many=False)
    if fmt == "json":
        click.echo(json.dumps(outputs[0] if not queries else outputs, indent=2, ensure_ascii=False))
    if bad:
        click.secho(f"{bad} bad row(s) in {queries} skipped; {len(batch)} searched", fg="yellow",
                    err=True)  # fmt: skip
        sys.exit(1)


def _pages(h: Hit) -> str | None:
    """Where the passage is: "p. 4", or "pp. 4-5" for one that runs over a page break (a search
    showed only its first page, the matched sentence being on the second: an operator's trial,
    twenty-third session). Printed labels where the document has them ("iv")."""
    pages = list(h.chunk.pages)
    if not pages:
        return None
    labels = list(h.chunk.page_labels)
    if len(labels) != len(pages):  # labels for every page, or page numbers
        labels = [str(p) for p in pages]
    first, last = labels[0], labels[-1]
    if len(pages) == 1 or first == last:
        return f"p. {first}"
    # (labels with a hyphen, "3-12", are joined by an en dash: "pp. 3-12-3-13" reads as a range
    # from 3, a review)
    return f"pp. {first}{'–' if '-' in first + last else '-'}{last}"


def _print_hits(qid: str, q: str, hits: list[Hit], many: bool) -> None:
    if many:
        click.secho(f"== {qid}: {q}", bold=True)
    if not hits:
        click.echo("no results")
    for h in hits:
        d = h.to_dict()
        where = ", ".join(x for x in (
            d["title"], _pages(h), f"version {d['version']}" if d["version"] else None) if x)  # fmt: skip
        flags = "".join(f" [{f}]" for f, on in (("guidance", d["is_guidance"]),
                                                ("repealed", d["repealed"])) if on)  # fmt: skip
        name = d["ref"] or d["record_id"] or h.heading or "(no ref)"
        # another regime's text or national law is marked as in answers ("[ADGM] MIR 2.9.1"): a
        # market-surveillance head's trial read ADGM hits as rules of no regime (thirtieth session)
        mark = d.get("jurisdiction")
        name = f"[{mark}] {name}" if mark and mark != "AIFC" else name
        click.secho(f"{h.rank}. {name}{flags}  — {where}",
                    bold=True)  # fmt: skip
        snippet = " ".join(h.chunk.text.split())
        click.echo(f"   {snippet[:400]}{'…' if len(snippet) > 400 else ''}")
