"""The ``regassist`` group: the built-in commands, plus commands registered by other packages.

Commands live one module per group (``ingest``, ``search``, ``ask``, ``docs``, ``policy``). Other
packages add commands through the ``regassist.commands`` entry point group (``evals`` registers
``eval`` in pyproject.toml), so this package imports none of them. Errors are translated once, by
``TranslatingGroup`` (see ``assistant.cli.errors``).
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

import click

from assistant.cli.ask import ask
from assistant.cli.changes import changes
from assistant.cli.docs import docs, remove
from assistant.cli.errors import TranslatingGroup
from assistant.cli.ingest import ingest
from assistant.cli.policy import check_policy_command, obligations_command
from assistant.cli.search import search
from assistant.runtime import apply_offline_env

ENTRY_POINT_GROUP = "regassist.commands"

EPILOG = """\b
Examples:
  regassist ingest corpus/                       # the bundled digest and policy
  regassist ingest AML.pdf --kind rules --version-date 2024-01-01
  regassist search "what information must accompany a crypto transfer?"
  regassist search "AML 13.1.3" --format json
  regassist search --queries questions.tsv --format trec > run.txt
  regassist ask "What is the CDD threshold for an occasional digital asset transaction?"
  regassist ask "Which permissions does a crypto exchange need?" --format json --as-of 2025-01-01
  regassist ask --questions questions.csv --format jsonl > answers.jsonl
  regassist docs
  regassist remove aml-1a2b3c
  regassist eval --fail-under hit@5=0.90
  regassist obligations --rulebook AML --applies-to MLRO
  regassist check-policy draft.docx --firm-type "DATF operator" --rulebook AML
  regassist changes AML --from 2024-01-01 --policy draft.docx

Settings come from REGASSIST_* environment variables (REGASSIST_DATA_DIR,
REGASSIST_EMBEDDING_MODEL, REGASSIST_CHUNKING__MAX_CHARS, ...); flags win.
A bad flag or setting is reported in one line with a hint; exit status 2.
"""


def registered() -> dict[str, EntryPoint]:
    """Commands other packages register under ``[project.entry-points."regassist.commands"]``."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


class RegassistGroup(TranslatingGroup):
    """Built-in commands, then registered ones, loaded only when asked for (keeps startup lean)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(registered()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        cmd = super().get_command(ctx, name)
        if cmd is not None:
            return cmd
        ep = registered().get(name)
        if ep is None:
            return None
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must not take the other commands down
            click.secho(f"warning: command {name!r} ({ep.value}) failed to load: {exc}",
                        fg="yellow", err=True)  # fmt: skip
            return None
        if not isinstance(loaded, click.Command):
            return None
        self.add_command(loaded, name)
        return loaded


@click.group(cls=RegassistGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})  # fmt: skip
@click.version_option(package_name="regassist")
def main() -> None:
    """regassist: search the AIFC/AFSA rulebooks and your policies, with exact rule citations."""
    apply_offline_env()
    import os

    from assistant.settings import unknown_env

    if os.environ.get("NO_COLOR"):
        # no colour and no bold on a terminal either (https://no-color.org; a data engineer's
        # trial, thirty-ninth session)
        click.get_current_context().color = False
    for line in unknown_env(os.environ):
        click.secho(f"warning: {line}", fg="yellow", err=True)


for _command in (
    ingest,
    search,
    ask,
    docs,
    remove,
    obligations_command,
    check_policy_command,
    changes,
):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
