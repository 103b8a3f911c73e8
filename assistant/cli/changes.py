"""`regassist changes`: what changed between two versions of a rulebook, and its impact on a policy."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.cli.options import common, date_option
from assistant.settings import Settings


@click.command(
    "changes",
    epilog="""\b
Examples:
  regassist ingest AML-2024.md --version-date 2024-01-01
  regassist ingest AML-2025.md --version-date 2025-07-01
  regassist changes AML                                  # the two latest versions
  regassist changes AML --from 2024-06-01 --to 2025-07-01 --format html > aml-changes.html
  regassist changes AML --policy draft.docx              # findings whose status changes""",
)
@click.argument("rulebook")
@click.option(
    "--from",
    "from_day",
    default=None,
    metavar="DATE",
    help="Compare from the version in force on DATE (not later than --to: reversed dates are an "
    "error, exit 2).",
)
@click.option(
    "--to",
    "to_day",
    default=None,
    metavar="DATE",
    help="Compare to the version in force on DATE (default: latest).",
)
@click.option("--policy", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Rerun the policy check of this draft for the changed obligations only. AIFC "
                   "rules only: another regime's text (--jurisdiction ADGM) holds no AIFC "
                   "obligation, and is refused.")  # fmt: skip
@click.option("--jurisdiction", metavar="NAME", default=None,
              help="Compare the versions of this regime's text of RULEBOOK (ADGM, as ingested with "
                   "--jurisdiction); default: the AIFC's where it has two versions, else the regime "
                   "that has. The report names a regime other than the AIFC.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text")
@common
def changes(settings: Settings, rulebook: str, from_day: str | None, to_day: str | None, policy: Path | None,
            fmt: str, jurisdiction: str | None) -> None:  # fmt: skip
    """Rules added, amended, repealed and renumbered between two versions of RULEBOOK, with word
    diffs, the figures that changed and the modals whose force changed (must -> may); an
    amendment of punctuation or case only is marked editorial. Exit status 0; 1 with --policy
    when a finding gets worse; 2 on a usage error, such as a --from date later than --to."""
    from assistant.changes.render import RENDERERS
    from assistant.changes.service import SEVERITY, compare_versions, policy_impact
    from assistant.index.core import Index

    index = Index.open(settings)
    from assistant.cli.ingest import jurisdiction_option

    report = compare_versions(index, rulebook, date_option("--from", from_day),
                              date_option("--to", to_day), jurisdiction_option(jurisdiction))  # fmt: skip
    if policy is not None:
        report.policy = str(policy)
        report.impact = policy_impact(index, report, policy, settings)
    click.echo(RENDERERS[fmt](report), nl=False)
    worse = [
        i
        for i in report.impact
        if SEVERITY.get(i.after or "", 0) > SEVERITY.get(i.before or "covered", 0)
    ]
    if worse:
        raise SystemExit(1)
