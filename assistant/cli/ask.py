"""`regassist ask`: one question, or a batch file with ``--questions`` (the index loads once)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from assistant.answer.prompts import source_mark
from assistant.cli.options import (
    common,
    date_option,
    index_holds_documents,
    load_batch,
    progress,
    rulebook_filter,
)
from assistant.errors import RegassistError, UsageError
from assistant.language.spelling import unread
from assistant.settings import Settings
from assistant.spreadsheet import csv_text, fields_of
from ingest.model import KINDS


@click.command(
    epilog="""\b
Answers quote the indexed text verbatim, each sentence with a numbered
citation, or say "Not specified in the indexed rules." and list the closest
provisions. With an LLM endpoint configured (REGASSIST_LLM__BASE_URL,
REGASSIST_LLM__MODEL, REGASSIST_LLM__API_KEY) --llm writes the answer and
every sentence is verified against its cited source; what is removed is
listed. If the endpoint fails, or nothing it wrote is verified, the answer
is the extractive one, with a note saying why.

\b
Batch: --questions FILE takes JSONL {"id", "question"}, TSV (id<TAB>question,
or a header row with a 'question' column), CSV (comma, semicolon or tab) with
a 'question' column (and optionally an id column: 'id', 'No.', '#', 'Ref'),
or XLSX: the first sheet with a 'question' header in its first 20 rows, as
the app's Questionnaire page reads it. In text output a QUESTION or a row
that asks several questions ("Do we need X? Can Y ...?", "Do we need X, and
how long does the licence last?") is answered question by question, as the
chat does (ids q1.1, q1.2, or a row's id with .1, .2); json and jsonl keep
one answer per QUESTION or row unless --split is given. The model and index load once; a
progress bar goes to stderr; bad rows are reported by line number and the
rest are answered (exit status 1 if any row was bad). --format jsonl writes
one answer per line with its id, and the file's own other columns under
"columns" ({} where none). An answer that is "Not specified" exits 0: its JSON
says why in "abstention" (null, "not_read" or "not_specified"). --format csv writes the Questionnaire
page's table (id, question, the file's own columns, answer, citations,
quotes, abstained, caveats, and an empty notes column for the reviewer), a
row per question as text output splits them;
a cell a spreadsheet would run as a formula (=, +, -, @) gets a leading
apostrophe."""
)
@click.argument("question", required=False)
@click.option("--questions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Batch file of questions (JSONL, TSV, CSV or XLSX).")  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv"]), default="text"
)
@click.option("--as-of", help="Only documents in force on this date (YYYY-MM-DD).")
@click.option("--llm/--no-llm", "use_llm", default=None,
              help="Use the configured LLM (default: if configured).")  # fmt: skip
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 50), default=None,
              help="Evidence chunks to consider.")  # fmt: skip
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind (repeatable)."
)
@click.option("--rulebook", "rulebooks", multiple=True, help="Only this rulebook (repeatable).")
@click.option("--split/--no-split", "split", default=None,
              help="Answer each question of a QUESTION or row that asks several [default: "
                   "--split for text and csv, --no-split for json and jsonl, one object per "
                   "question or row as scripts expect].")  # fmt: skip
@common
def ask(settings: Settings, question: str | None, questions: Path | None, fmt: str,
        as_of: str | None, use_llm: bool | None, k: int | None, kinds: tuple[str, ...],
        rulebooks: tuple[str, ...], split: bool | None) -> None:  # fmt: skip
    """Answer a question with cited, verbatim quotes from the indexed rules.

    Questions are read in English: one written mostly in another script (Russian, Kazakh) is
    answered "Not answered ..." and not searched."""
    from assistant.answer.assistant import Assistant
    from assistant.answer.followup import split_questions, too_many_questions
    from assistant.answer.previous import about_previous, answer_about
    from assistant.answer.table import answer_row
    from assistant.answer.types import Answer
    from assistant.index.core import Index
    from assistant.search.retrieval import Filters

    if question is not None and questions is not None:
        raise UsageError(
            "give a QUESTION or --questions FILE, not both", "see `regassist ask --help`"
        )
    if question is None and questions is None:
        raise UsageError("give a QUESTION or --questions FILE", "see `regassist ask --help`")
    if question is not None and not question.strip():
        raise UsageError("the question is empty", 'ask something: regassist ask "..."')
    as_of = date_option("--as-of", as_of)
    whole = not (split if split is not None else fmt in ("text", "csv"))
    extra: dict[str, tuple[tuple[str, str], ...]]  # --format csv: a batch file's own columns
    if questions:
        from assistant.answer.batch import split_rows

        batch = load_batch(questions, flag="--questions", fields=("question",))
        asked = batch.rows if whole else split_rows(batch.rows)
        rows, bad = [(r.line, r.id, r.text) for r in asked], len(batch.bad)
        extra = {r.id: r.extra for r in asked}  # a batch file's own columns ("Owner")
    else:
        rows, bad = _parts(question or "", whole), 0
        extra = {}
    parts = len(rows) if not questions else 0  # several questions in one QUESTION
    assistant = Assistant(Index.open(settings))  # the model and the index load here, once
    index_holds_documents(assistant.index)
    filters = Filters(tuple(kinds), rulebook_filter(assistant.index.catalog, rulebooks))
    # a custodian's trial (seventeenth session): "--rulebook COB" made the MLRO residence
    # question "Not specified in the indexed rules." without a word that COB alone was searched
    narrowed = filters.scope(settings.retrieval.default_kinds)
    answers: list[dict[str, Any]] = []
    table: list[dict[str, Any]] = []  # --format csv
    failed = 0
    refused = 0  # answered "not specified"
    unsearched = 0  # not in English: not searched
    prev: Any = None  # the last part's answer that searched the rules, and its row's line
    prev_line = -1
    with progress(rows, "answering", show=questions is not None and fmt != "text") as items:
        for line, qid, q in items:
            # (a part of the same message or questionnaire row only: rows are apart, a review
            # found a batch row's "Is that AIFC or national law?" still searched)
            same_row = not whole and prev is not None and prev_line == line
            about = about_previous(q) if same_row else None
            try:
                if about is not None:
                    # "Must our MLRO be resident in Kazakhstan? Is that AIFC or national law?":
                    # the second part is read from the first's citations, as the chat reads it;
                    # searched, it led with "[RK] National law, not an AIFC rule." from another
                    # section (a citation audit, twenty-fifth session)
                    read = answer_about(about, prev.to_dict(), q)
                    read.pop("abstention", None)  # said by to_dict, not a field of Answer
                    answer = Answer(**(read | {"citations": prev.citations, "removed": []}))
                else:
                    answer = assistant.ask(q, k=k, as_of=as_of, use_llm=use_llm, filters=filters)
                    prev, prev_line = answer, line
                    if crowded := too_many_questions(q):
                        answer.notes.insert(0, crowded)
                    elif whole and (n_asked := len(split_questions(q))) > 1:
                        # json/jsonl answer a message as one by default: said, since the answer
                        # may bear on one of its questions only (a founder's trial, eighteenth
                        # session)
                        answer.notes.insert(0, f"This asks {n_asked} questions, answered here as "
                                               "one; --split answers each.")  # fmt: skip
                    if narrowed:  # as the chat says it: an answer from part of the index
                        answer.notes.insert(0, f"Searched only {narrowed}; the rest of the index "
                                               "was not searched.")  # fmt: skip
            except RegassistError as exc:
                if not questions:
                    raise
                failed += 1
                click.secho(f"--questions {questions}, line {line} ({qid}): {exc.message}",
                            fg="yellow", err=True)  # fmt: skip
                continue
            unsearched += unread(answer.notes)
            refused += answer.abstained and not unread(answer.notes)
            # a batch file's own columns ("Owner", the reviewer's "Notes") go with its row, under
            # a key of their own: they were dropped from JSON (an MLRO's trial, twentieth session)
            # (always, "{}" where the file has none: a script reads one shape, a data
            # engineer's trial, thirty-ninth session)
            own = {"columns": dict(extra.get(qid, ()))}
            if fmt == "jsonl":
                click.echo(json.dumps({"id": qid, **own, **answer.to_dict()}, ensure_ascii=False))
            elif fmt == "csv":
                table.append(answer_row(qid, q, answer.to_dict(), extra.get(qid, ())))
            elif fmt == "json":
                answers.append({"id": qid, **own, **answer.to_dict()} if questions or parts > 1
                               else answer.to_dict())  # fmt: skip
            else:
                if questions:
                    click.secho(f"== {qid}: {q}", bold=True)
                elif parts > 1:
                    n = int(qid.rsplit(".", 1)[1])
                    click.secho(f"{'' if n == 1 else chr(10)}== Question {n} of {parts}: {q}",
                                bold=True)  # fmt: skip
                _print_answer(answer)
    if fmt == "csv":  # the questionnaire page's columns; formula-like cells as text
        click.echo(csv_text(table, fields_of(table)), nl=False)
    if fmt == "json":
        single = not questions and parts == 1
        click.echo(json.dumps(answers[0] if single else answers, indent=2, ensure_ascii=False))
    if questions:
        passed = (
            f"; {len(batch.skipped)} row(s) without a question passed over" if batch.skipped else ""
        )
        # (the refusals apart: "answered 31 of 31" was said of a run with 7 "Not specified", a
        # questionnaire trial, thirty-eighth session)
        foreign = f"; {unsearched} not read (not in English)" if unsearched else ""
        click.echo(f"answered {len(rows) - failed - refused - unsearched} of {len(rows) + bad} "
                   f"question(s); {refused} not specified in the indexed rules{foreign}; "
                   f"{bad + failed} bad row(s) skipped{passed}", err=True)  # fmt: skip
    if bad or failed:
        sys.exit(1)


def _parts(question: str, whole: bool) -> list[tuple[int, str, str]]:
    """The rows to answer for one QUESTION: itself, or each of the questions it asks ("Do we need
    an MLRO? Can the MLRO live in Dubai?"), as the chat answers them. Ids ``q1``, or ``q1.1``,
    ``q1.2``."""
    from assistant.answer.batch import Row, split_rows

    rows = [Row(0, "q1", question)]
    return [(r.line, r.id, r.text) for r in (rows if whole else split_rows(rows))]


def _print_answer(answer: Any) -> None:
    for note in answer.notes:
        if not note.startswith("abstained"):
            click.secho(note, fg="yellow")
    click.secho(answer.answer, fg="red" if answer.abstained else None, bold=answer.abstained)
    if answer.citations:
        click.echo("\nSources:")
    for c in answer.citations:
        where = ", ".join(x for x in (c.title, f"p. {c.page_label or c.page}" if c.page else None,
                                      f"version {c.version}" if c.version else None) if x)  # fmt: skip
        regime = source_mark(c.jurisdiction, c.outside_rules)  # national law, the firm's memo
        click.echo(f"  [{c.n}] {regime}{c.pinpoint or c.ref or c.heading or '-'}  {where}")
        if answer.mode == "llm" and c.quote:
            # the rule's own words under the model's (an extractive answer holds them already):
            # a reviewer compared them only in JSON, a platform engineer's trial, thirty-ninth
            # session
            click.echo(f'      "{" ".join(c.quote.split())}"')
    for r in answer.removed:
        click.secho(f"  removed ({r.kind}): {r.text[:120]} -- {r.reason}", fg="yellow")
    click.echo(
        f"\n{answer.mode}{' / ' + answer.model if answer.model else ''}, {answer.elapsed_ms:.0f} ms"
    )
