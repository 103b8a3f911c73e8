"""`regassist docs` and `regassist remove`."""

from __future__ import annotations

import json

import click

from assistant.cli.options import common
from assistant.settings import Settings


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@common
def docs(settings: Settings, fmt: str) -> None:
    """List indexed documents: kind, regime, rulebook, version, chunks, ingested at, title."""
    from assistant.index.core import Index

    documents = Index.open(settings).documents()
    if fmt == "json":
        click.echo(json.dumps(documents, indent=2, ensure_ascii=False))
        return
    if not documents:
        click.echo("no documents")
        return
    # each column as wide as its longest value (a long id pushed the columns after it out of
    # line, a known issue of earlier sessions)
    cols = [
        ("DOC ID", "doc_id"),
        ("KIND", "kind"),
        # (the regime: ADGM's AML and the AIFC digest's AML were two "rules AML" rows, told apart
        # only in JSON, a founder's trial of both regimes in one index, fortieth session)
        ("REGIME", "jurisdiction"),
        ("RULEBOOK", "rulebook"),
        ("VERSION", "version"),
    ]
    rows = [[str(d.get(key) or "-") for _, key in cols] for d in documents]
    widths = [max(len(name), *(len(r[i]) for r in rows)) for i, (name, _) in enumerate(cols)]
    head = " ".join(f"{name:<{w}}" for (name, _), w in zip(cols, widths, strict=True))
    click.echo(f"{head} {'CHUNKS':>6}  {'INGESTED':<25} TITLE")
    for d, row in zip(documents, rows, strict=True):
        left = " ".join(f"{v:<{w}}" for v, w in zip(row, widths, strict=True))
        click.echo(f"{left} {d['n_chunks']:>6}  {d['ingested_at']:<25} {d['title']}")
    from assistant.changes.versions import by_regime

    # another regime's text of the same code is no version of the AIFC's (ADGM's AML and the
    # AIFC's were listed as three versions of one AML, a trial, twenty-ninth session)
    several = {key: vs for key, vs in by_regime(documents).items() if len(vs) > 1}
    if several:
        click.echo(
            "\nRulebooks with several versions (compare them with `regassist changes RULEBOOK`):"
        )
        for (book, regime), vs in sorted(
            several.items(), key=lambda kv: (kv[0][1] != "AIFC", kv[0])
        ):
            listed = ", ".join(f"{v.version or 'undated'} ({v.doc_id})" for v in vs)
            name = book if regime == "AIFC" else f"{regime} {book} (--jurisdiction {regime})"
            click.echo(f"  {name}: {listed}; latest {vs[-1].version or 'undated'}")


@click.command()
@click.argument("doc")
@common
def remove(settings: Settings, doc: str) -> None:
    """Remove a document (by id, unique id prefix, title or path) and its chunks."""
    from assistant.index.core import Index

    index = Index.open(settings)
    wait = settings.lock_wait_s
    with index.write_lock(on_wait=lambda: click.echo(
            f"waiting for another ingest to finish (up to {wait:g} s)", err=True)):  # fmt: skip
        d = index.find_document(doc)
        n = index.remove(d["doc_id"])
        index.sync_keywords(persist=True)
    click.echo(f"removed {d['doc_id']} ({d['title']}): {n} chunks")
