"""Options and helpers shared by the command modules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from assistant.errors import UsageError
from assistant.settings import load_settings

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from assistant.answer.batch import Batch
    from assistant.index.protocols import CatalogStore

F = TypeVar("F", bound=Callable[..., Any])
V = TypeVar("V")


def common(fn: F) -> F:
    """``--data-dir`` and ``--chroma-url``; the command receives the loaded settings first.

    Errors are not caught here: the group translates them (see ``assistant.cli.errors``)."""

    @click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Index location [env REGASSIST_DATA_DIR; default ./data].")  # fmt: skip
    @click.option("--chroma-url", default=None, metavar="URL",
                  help="Use a Chroma server (`chroma run`) for vectors [env REGASSIST_CHROMA_URL].")  # fmt: skip
    @functools.wraps(fn)
    def wrapper(*args: Any, data_dir: Path | None, chroma_url: str | None, **kwargs: Any) -> Any:
        return fn(load_settings(data_dir=data_dir, chroma_url=chroma_url), *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def date_option(flag: str, value: str | None) -> str | None:
    """A YYYY-MM-DD flag value, checked; UsageError naming the flag otherwise."""
    if not value:
        return value
    from ingest.loaders import validate_date

    try:
        return validate_date(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}", "use the form 2024-01-01") from exc


def index_holds_documents(index: Any) -> None:
    """Raise when the index holds no document: every answer from it was "Not specified in the
    indexed rules." with exit 0, which reads as "the rules do not cover it" (an ops trial: a
    failed first ingest, or asks while the first ingest still runs)."""
    from assistant.errors import RegassistError

    if not index.documents():
        raise RegassistError(f"the index in {index.settings.data_dir} holds no documents",
                             "ingest the rulebooks first: regassist ingest PATH")  # fmt: skip


def rulebook_filter(catalog: CatalogStore, rulebooks: tuple[str, ...], docs: tuple[str, ...] = ()
                    ) -> tuple[str, ...]:  # fmt: skip
    """The ``--rulebook`` values in canonical form, each checked against the index, and the
    ``--doc`` ids likewise: a filter that selects nothing is a usage error naming what is indexed
    (a mistyped ``--rulebook XYZ`` answered every question "Not specified in the indexed rules"
    and exited 0, a consultant's trial 2026-12-04)."""
    from ingest.refs import indexed_book

    known: set[str | None] = set(catalog.rulebooks()) if rulebooks else set()
    # (an indexed regime's own code where no AIFC rulebook of that name is indexed: "MKT")
    books = tuple(indexed_book(r, known) for r in rulebooks)
    if books:
        missing = [r for r, b in zip(rulebooks, books, strict=True) if b not in known]
        if missing:
            raise UsageError(f"--rulebook {missing[0]}: no indexed rule belongs to it",
                             f"indexed rulebooks: {', '.join(sorted(b for b in known if b)) or 'none'}")  # fmt: skip
    if docs:
        ids = {d["doc_id"] for d in catalog.documents()}
        if missing := [d for d in docs if d not in ids]:
            raise UsageError(f"--doc {missing[0]}: no indexed document has this id",
                             "`regassist docs` lists the indexed documents")  # fmt: skip
    return books


def load_batch(path: Path, *, flag: str, fields: tuple[str, ...]) -> Batch:
    """Read a batch file; each bad row is reported on stderr by line number (the rest are kept)."""
    from assistant.answer.batch import read_batch

    batch = read_batch(path, fields=fields, flag=flag)
    for bad in batch.bad:
        click.secho(f"{flag} {path}, {bad}: skipped", fg="yellow", err=True)
    for row in batch.skipped:
        click.echo(f"{flag} {path}, {row}: passed over", err=True)
    return batch


def progress(items: list[V], label: str, show: bool = True) -> ProgressBar[V]:
    """A progress bar on stderr, drawn only when stderr is a terminal (logs and pipes stay clean)."""
    import sys

    hidden = not show or not sys.stderr.isatty()
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True, hidden=hidden)
