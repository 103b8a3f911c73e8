"""`regassist ingest`."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any

import click

from assistant.cli.options import common, date_option
from assistant.settings import Settings
from ingest.model import KINDS

_ESCAPED = {c: repr(chr(c))[1:-1] for c in range(32)}
_HINT = "\n  hint: "


def jurisdiction_option(value: str | None) -> str | None:
    """``--jurisdiction`` as stored: AIFC and RK in capitals, another name as given; a usage error
    for a name that could not mark a quote ("[...]": letters, digits, spaces, dots, hyphens)."""
    if value is None:
        return None
    from ingest.loaders import checked_regime

    name = checked_regime(value)
    if name is None:
        raise click.BadParameter(f"{value!r}: a short name such as AIFC, RK or ADGM",
                                 param_hint="--jurisdiction")  # fmt: skip
    return name


def _one_line(text: str) -> str:
    """``text`` with control characters escaped (a file name with a newline), its hint line
    kept on a line of its own."""
    return _HINT.join(part.translate(_ESCAPED) for part in text.split(_HINT))


@click.command(epilog="Files of other types, README/CHANGELOG-style notes, hidden files and folders, Office lock files (~$...), and links to folders or to files outside the folder, in a folder are listed as skipped. Exit status: 0 all "
               "files ingested, unchanged or duplicates (skipped ones included); 1 some files (or "
               "JSONL lines, or a Markdown front matter, or the scanned pages of a PDF) failed, the rest are "
               "ingested; an unreadable file or folder, a broken link or a pipe is one such failure, "
               "named, and so is a Chroma server lost during the ingest (the batch stops there); "
               "2 usage error; 130 interrupted (Ctrl-C; 143 on SIGTERM), the files done so far kept. A file moved "
               "or renamed since it was ingested is indexed under its new path; one deleted from a folder given is named (\"gone\") and stays indexed until `regassist remove`.")  # fmt: skip
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--kind", type=click.Choice(KINDS), help="Document kind (default: guessed).")
@click.option("--version-date", help="In-force/version date YYYY-MM-DD for these files.")
@click.option(
    "--rulebook",
    help="Rulebook abbreviation, e.g. AML (default: detected). Another "
    "regime's text (--jurisdiction) keeps its own code as given (MKT stays MKT), or the "
    'one its title\'s "(ABBR)" or file name (MIR_VER07.txt) gives; never an AIFC one.',
)
@click.option("--password", default=None, help="Password for encrypted PDFs in this batch.")
@click.option("--jurisdiction", metavar="NAME", default=None,
              help="Regime the files' text belongs to: AIFC (default, or the Markdown front "
                   "matter's), RK for Kazakh national law, or another name (ADGM) for a regime's "
                   "text indexed beside the AIFC rules; answers mark its quotes [NAME]. A file "
                   "ingested again without it keeps the regime it was given.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@common
def ingest(settings: Settings, paths: tuple[Path, ...], kind: str | None, version_date: str | None,
           rulebook: str | None, password: str | None, fmt: str,
           jurisdiction: str | None) -> None:  # fmt: skip
    """Ingest files or directories (PDF, DOCX, Markdown, text, JSONL) into the index."""
    from assistant.index.core import Index
    from assistant.index.ingest import expand_paths, ingest_paths, skipped_paths
    from ingest.loaders import LoadOptions

    version_date = date_option("--version-date", version_date)
    opts = LoadOptions(kind=kind, version_date=version_date,
                       rulebook=rulebook or None,  # (read as the regime's: ingest.loaders)
                       jurisdiction=jurisdiction_option(jurisdiction),
                       max_bytes=int(settings.max_file_mb * 1024 * 1024),
                       strip_repeated_lines=settings.chunking.strip_repeated_lines,
                       password=password)  # fmt: skip
    index = Index.open(settings, create=True)
    files, _ = expand_paths(paths)
    skipped = skipped_paths(paths)
    results = []
    colours = {"failed": "red", "added": "green", "replaced": "yellow", "duplicate": "cyan"}

    def say(r: Any) -> None:  # each file's line as it is done, so an interrupted run keeps them
        line = f"{r.status:<9} {r.path}"
        if r.status == "failed":
            line += f"  [{r.reason}] {r.message}"
        elif r.status == "duplicate":
            line += f"  {r.message}"
        else:
            line += f"  ({r.chunks} chunks, {r.embedded} embedded)"
            if r.message:  # "moved from ..."
                line += f"  {r.message}"
        # a control character in a file name ("new\nline.md") is shown escaped: one line per file
        click.secho(_one_line(line), fg=colours.get(r.status))
        for w in r.warnings:
            click.secho(_one_line(f"          warning: {w}"), fg="yellow")
        for n in r.notes:
            click.echo(_one_line(f"          note: {n}"))

    # SIGTERM (systemd, Docker, Kubernetes) ends the run as Ctrl-C does, with its summary; it
    # died without a word (an ops trial, eighteenth session). Exit 143, as for SIGTERM.
    stopped = {"by": signal.SIGINT}

    def terminate(signum: int, _frame: Any) -> None:
        stopped["by"] = signal.Signals(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        # (not drawn when stderr is no terminal: a log got a bare "ingesting" after the lines)
        with click.progressbar(length=len(files), label="ingesting", file=sys.stderr,
                               show_pos=True, hidden=not sys.stderr.isatty()) as bar:  # fmt: skip

            def step(r: Any) -> None:
                results.append(r)
                if r.reason != "missing":
                    bar.update(1)
                if fmt != "json":
                    say(r)
                elif r.status == "failed":
                    # the failed file named on stderr too: in JSON the reason was only in the
                    # payload, and a job's log said nothing (a data engineer's trial, thirty-ninth
                    # session)
                    click.secho(_one_line(f"failed {r.path}: {r.message or r.reason}"), fg="red",
                                err=True)  # fmt: skip

            ingest_paths(index, paths, opts, progress=step,
                         notice=lambda msg: click.secho(msg, fg="yellow", err=True))  # fmt: skip
    except KeyboardInterrupt:
        # what was committed stays (each document is one transaction); the rest is not ingested
        click.secho(f"interrupted: {len(results)} of {len(files)} file(s) done and kept; run the "
                    "same ingest again to finish (done files come back unchanged)",
                    fg="yellow", err=True)  # fmt: skip
        sys.exit(128 + int(stopped["by"]))
    finally:
        signal.signal(signal.SIGTERM, previous)
    if fmt == "json":
        click.echo(json.dumps({"results": [r.to_dict() for r in results],
                               "skipped": [{"path": str(p), "reason": reason} for p, reason in skipped],
                               "documents": len(index.documents()),
                               "chunks": index.catalog.count_chunks()}, indent=2))  # fmt: skip
    else:
        for p, reason in skipped:
            click.secho(_one_line(f"{'skipped':<9} {p}  ({reason})"), fg="bright_black")
        counts = {
            s: sum(r.status == s for r in results)
            for s in ("added", "unchanged", "replaced", "duplicate", "failed")
        }
        counts["skipped"] = len(skipped)
        click.echo(f"{len(results) + len(skipped)} file(s): "
                   + ", ".join(f"{n} {s}" for s, n in counts.items())
                   + f"; {sum(r.embedded for r in results)} passages embedded; index has "
                   f"{index.catalog.count_chunks()} chunks in {len(index.documents())} documents")  # fmt: skip
    if any(r.status == "failed" or r.dropped or r.warnings for r in results):
        sys.exit(1)  # a file, some lines of one, or its front matter could not be read
