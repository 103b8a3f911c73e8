"""The ``regassist`` command line. Errors become a message and an exit code here, nowhere else."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from assistant.cli.errors import exit_with
from assistant.errors import RegassistError, UsageError
from assistant.settings import Settings, load_settings
from ingest.model import KINDS

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = """\b
Examples:
  regassist ingest corpus/                       # the bundled digest and policy
  regassist ingest AML.pdf --kind rules --version-date 2024-01-01
  regassist search "what information must accompany a crypto transfer?"
  regassist search "AML 13.1.3" --format json
  regassist search --queries questions.tsv --format trec > run.txt
  regassist ask "What is the CDD threshold for an occasional digital asset transaction?"
  regassist ask "Which permissions does a crypto exchange need?" --format json --as-of 2025-01-01
  regassist docs
  regassist remove aml-1a2b3c
  regassist eval --fail-under hit@5=0.95
  regassist obligations --rulebook AML --applies-to MLRO
  regassist check-policy draft.docx --firm-type "DATF operator" --rulebook AML

Settings come from REGASSIST_* environment variables (REGASSIST_DATA_DIR,
REGASSIST_EMBEDDING_MODEL, REGASSIST_CHUNKING__MAX_CHARS, ...); flags win.
"""


def common(fn: F) -> F:
    """Options every command takes, and translation of our errors into exit codes."""

    @click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Index location [env REGASSIST_DATA_DIR; default ./data].")  # fmt: skip
    @click.option("--chroma-url", default=None, metavar="URL",
                  help="Use a Chroma server (`chroma run`) for vectors [env REGASSIST_CHROMA_URL].")  # fmt: skip
    @functools.wraps(fn)
    def wrapper(*args: Any, data_dir: Path | None, chroma_url: str | None, **kwargs: Any) -> Any:
        try:
            settings = load_settings(data_dir=data_dir, chroma_url=chroma_url)
        except Exception as exc:
            raise click.UsageError(f"invalid settings: {exc}") from exc
        try:
            return fn(settings, *args, **kwargs)
        except RegassistError as exc:
            exit_with(exc)

    return wrapper  # type: ignore[return-value]


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="regassist")
def main() -> None:
    """regassist: search the AIFC/AFSA rulebooks and your policies, with exact rule citations."""


@main.command(epilog="Exit status: 0 all files ingested, unchanged or duplicates; 1 some files (or "
              "JSONL lines) failed, the rest are ingested; 2 usage error.")  # fmt: skip
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), help="Document kind (default: guessed).")
@click.option("--version-date", help="In-force/version date YYYY-MM-DD for these files.")
@click.option("--rulebook", help="Rulebook abbreviation, e.g. AML (default: detected).")
@click.option("--password", default=None, help="Password for encrypted PDFs in this batch.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@common
def ingest(settings: Settings, paths: tuple[Path, ...], kind: str | None, version_date: str | None,
           rulebook: str | None, password: str | None, fmt: str) -> None:  # fmt: skip
    """Ingest files or directories (PDF, DOCX, Markdown, text, JSONL) into the index."""
    from assistant.index.core import Index
    from assistant.index.ingest import expand_paths, ingest_paths
    from ingest.loaders import LoadOptions, validate_date
    from ingest.refs import canonical_book

    if version_date:
        try:
            version_date = validate_date(version_date)
        except ValueError as exc:
            raise UsageError(f"--version-date: {exc}", "use the form 2024-01-01") from exc
    opts = LoadOptions(kind=kind, version_date=version_date,
                       rulebook=canonical_book(rulebook) if rulebook else None,
                       max_bytes=int(settings.max_file_mb * 1024 * 1024),
                       strip_repeated_lines=settings.chunking.strip_repeated_lines,
                       password=password)  # fmt: skip
    index = Index.open(settings, create=True)
    files, _ = expand_paths(paths)
    results = []
    with click.progressbar(length=len(files), label="ingesting", file=sys.stderr,
                           show_pos=True) as bar:  # fmt: skip

        def step(r: Any) -> None:
            results.append(r)
            if r.reason != "missing":
                bar.update(1)

        ingest_paths(
            index,
            paths,
            opts,
            progress=step,
            notice=lambda msg: click.secho(msg, fg="yellow", err=True),
        )
    if fmt == "json":
        click.echo(json.dumps({"results": [r.to_dict() for r in results],
                               "documents": len(index.documents()),
                               "chunks": index.catalog.count_chunks()}, indent=2))  # fmt: skip
    else:
        for r in results:
            colour = {
                "failed": "red",
                "added": "green",
                "replaced": "yellow",
                "duplicate": "cyan",
            }.get(r.status)
            line = f"{r.status:<9} {r.path}"
            if r.status == "failed":
                line += f"  [{r.reason}] {r.message}"
            elif r.status == "duplicate":
                line += f"  {r.message}"
            else:
                line += f"  ({r.chunks} chunks, {r.embedded} embedded)"
            click.secho(line, fg=colour)
            for w in r.warnings:
                click.secho(f"          warning: {w}", fg="yellow")
        counts = {
            s: sum(r.status == s for r in results)
            for s in ("added", "unchanged", "replaced", "duplicate", "failed")
        }
        click.echo(f"{len(results)} file(s): " + ", ".join(f"{n} {s}" for s, n in counts.items())
                   + f"; {sum(r.embedded for r in results)} passages embedded; index has "
                   f"{index.catalog.count_chunks()} chunks in {len(index.documents())} documents")  # fmt: skip
    if any(r.status == "failed" or r.dropped for r in results):
        sys.exit(1)  # a file, or some lines of one, could not be ingested


def _read_queries(path: Path) -> list[tuple[str, str]]:
    """JSONL {"id","query"} lines, or TSV id<TAB>query lines."""
    out: list[tuple[str, str]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--queries {path}: cannot read ({exc})") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                obj = json.loads(line)
                out.append((str(obj["id"]), str(obj["query"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise UsageError(
                    f'--queries {path}, line {n}: expected {{"id", "query"}} ({exc})'
                ) from exc
        elif "\t" in line:
            qid, query = line.split("\t", 1)
            out.append((qid.strip(), query.strip()))
        else:
            raise UsageError(f"--queries {path}, line {n}: expected JSONL or id<TAB>query")
    return out


@main.command(epilog="Formats: text (readable), json, trec (qid Q0 docid rank score regassist; "
              "docid is the JSONL record id or the chunk id).")  # fmt: skip
@click.argument("query", required=False)
@click.option(
    "-k", "--top-k", "k", type=click.IntRange(1, 1000), default=None, help="Results per query."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "trec"]), default="text")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Batch file: JSONL {\"id\",\"query\"} or TSV id<TAB>query.")  # fmt: skip
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only this kind (repeatable). Default: rules, guidance, other.",
)
@click.option("--all-kinds", is_flag=True, help="Search every kind, policy drafts included.")
@click.option(
    "--rulebook", "rulebooks", multiple=True, help="Only this rulebook, e.g. AML (repeatable)."
)
@click.option("--doc", "docs", multiple=True, help="Only this document id (repeatable).")
@common
def search(settings: Settings, query: str | None, k: int | None, fmt: str, queries: Path | None,
           kinds: tuple[str, ...], all_kinds: bool, rulebooks: tuple[str, ...],
           docs: tuple[str, ...]) -> None:  # fmt: skip
    """Search the index: exact rule refs first, then hybrid BM25 + dense results."""
    from assistant.index.core import Index
    from assistant.search.retrieval import Filters, Retriever
    from ingest.refs import canonical_book

    if (query is None) == (queries is None):
        raise UsageError("give either a QUERY or --queries FILE", "see regassist search --help")
    batch = _read_queries(queries) if queries else [("q1", query or "")]
    index = Index.open(settings)
    retriever = Retriever(index)
    kinds = KINDS if all_kinds else kinds
    filters = Filters(tuple(kinds), tuple(canonical_book(r) for r in rulebooks), tuple(docs))
    k = k or settings.retrieval.top_k
    outputs = []
    for qid, q in batch:
        hits = retriever.search(q, k=k, filters=filters)
        if fmt == "trec":
            for h in hits:
                click.echo(f"{qid} Q0 {h.docid} {h.rank} {h.score:.6f} regassist")
        elif fmt == "json":
            outputs.append({"id": qid, "query": q, "results": [h.to_dict() for h in hits]})
        else:
            if len(batch) > 1:
                click.secho(f"== {qid}: {q}", bold=True)
            if not hits:
                click.echo("no results")
            for h in hits:
                d = h.to_dict()
                where = ", ".join(x for x in (
                    d["title"], f"p. {d['page_label'] or d['page']}" if d["page"] else None,
                    f"version {d['version']}" if d["version"] else None) if x)  # fmt: skip
                flags = "".join(
                    f" [{f}]"
                    for f, on in (("guidance", d["is_guidance"]), ("repealed", d["repealed"]))
                    if on
                )
                click.secho(
                    f"{h.rank}. {d['ref'] or d['record_id'] or '(no ref)'}{flags}  — {where}",
                    bold=True,
                )
                snippet = " ".join(h.chunk.text.split())
                click.echo(f"   {snippet[:400]}{'…' if len(snippet) > 400 else ''}")
    if fmt == "json":
        click.echo(json.dumps(outputs[0] if not queries else outputs, indent=2, ensure_ascii=False))


@main.command(
    epilog="""\b
Answers quote the indexed text verbatim, each sentence with a numbered
citation, or say "Not specified in the indexed rules." and list the closest
provisions. With an LLM endpoint configured (REGASSIST_LLM__BASE_URL,
REGASSIST_LLM__MODEL, REGASSIST_LLM__API_KEY) --llm writes the answer and
every sentence is verified against its cited source."""
)
@click.argument("question")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--as-of", help="Only documents in force on this date (YYYY-MM-DD).")
@click.option(
    "--llm/--no-llm",
    "use_llm",
    default=None,
    help="Use the configured LLM (default: if configured).",
)
@click.option(
    "-k",
    "--top-k",
    "k",
    type=click.IntRange(1, 50),
    default=None,
    help="Evidence chunks to consider.",
)
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind (repeatable)."
)
@click.option("--rulebook", "rulebooks", multiple=True, help="Only this rulebook (repeatable).")
@common
def ask(settings: Settings, question: str, fmt: str, as_of: str | None, use_llm: bool | None,
        k: int | None, kinds: tuple[str, ...], rulebooks: tuple[str, ...]) -> None:  # fmt: skip
    """Answer a question with cited, verbatim quotes from the indexed rules."""
    from assistant.answer.assistant import Assistant
    from assistant.index.core import Index
    from assistant.search.retrieval import Filters
    from ingest.loaders import validate_date
    from ingest.refs import canonical_book

    if as_of:
        try:
            as_of = validate_date(as_of)
        except ValueError as exc:
            raise UsageError(f"--as-of: {exc}", "use the form 2024-01-01") from exc
    assistant = Assistant(Index.open(settings))
    filters = Filters(tuple(kinds), tuple(canonical_book(r) for r in rulebooks))
    answer = assistant.ask(question, k=k, as_of=as_of, use_llm=use_llm, filters=filters)
    if fmt == "json":
        click.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    for note in answer.notes:
        if not note.startswith("abstained"):
            click.secho(note, fg="yellow")
    click.secho(answer.answer, fg="red" if answer.abstained else None, bold=answer.abstained)
    if answer.citations:
        click.echo("\nSources:")
    for c in answer.citations:
        where = ", ".join(x for x in (c.title, f"p. {c.page_label or c.page}" if c.page else None,
                                      f"version {c.version}" if c.version else None) if x)  # fmt: skip
        click.echo(f"  [{c.n}] {c.ref or '-'}  {where}")
    for r in answer.removed:
        click.secho(f"  removed ({r.kind}): {r.text[:120]} -- {r.reason}", fg="yellow")
    click.echo(
        f"\n{answer.mode}{' / ' + answer.model if answer.model else ''}, {answer.elapsed_ms:.0f} ms"
    )


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@common
def docs(settings: Settings, fmt: str) -> None:
    """List indexed documents: title, kind, rulebook, version, chunks, ingested at."""
    from assistant.index.core import Index

    documents = Index.open(settings).documents()
    if fmt == "json":
        click.echo(json.dumps(documents, indent=2, ensure_ascii=False))
        return
    if not documents:
        click.echo("no documents")
        return
    click.echo(
        f"{'DOC ID':<34} {'KIND':<9} {'RULEBOOK':<9} {'VERSION':<11} {'CHUNKS':>6}  {'INGESTED':<25} TITLE"
    )
    for d in documents:
        click.echo(f"{d['doc_id']:<34} {d['kind']:<9} {d['rulebook'] or '-':<9} {d['version'] or '-':<11} "
                   f"{d['n_chunks']:>6}  {d['ingested_at']:<25} {d['title']}")  # fmt: skip


@main.command()
@click.argument("doc")
@common
def remove(settings: Settings, doc: str) -> None:
    """Remove a document (by id, unique id prefix, title or path) and its chunks."""
    from assistant.index.core import Index

    index = Index.open(settings)
    with index.write_lock():
        d = index.find_document(doc)
        n = index.remove(d["doc_id"])
        index.sync_keywords(persist=True)
    click.echo(f"removed {d['doc_id']} ({d['title']}): {n} chunks")


def _register() -> None:
    from assistant.cli.policy import check_policy_command, obligations_command
    from evals.cli import eval_command

    main.add_command(eval_command)
    main.add_command(obligations_command)
    main.add_command(check_policy_command)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
