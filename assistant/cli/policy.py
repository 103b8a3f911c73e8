"""`regassist obligations` and `regassist check-policy`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli.options import common, date_option, rulebook_filter
from assistant.policy.obligations import FIRM_TYPES
from assistant.settings import Settings


@click.command(
    "obligations",
    epilog="""\b
Examples:
  regassist obligations --rulebook AML
  regassist obligations --applies-to MLRO --format json
  regassist obligations --firm-type "DATF operator" --format csv > register.csv
  regassist obligations --mentions "Compliance Officer"   # duties about it, whoever they bind""",
)
@click.option("--rulebook", "rulebooks", multiple=True, help="Only this rulebook (repeatable).")
@click.option(
    "--applies-to",
    "roles",
    multiple=True,
    help="Only obligations binding this role, e.g. MLRO, DASP, or whose sentence's subject "
    'names it ("Fund Manager").',
)
@click.option(
    "--firm-type",
    "firm_types",
    multiple=True,
    type=click.Choice(FIRM_TYPES, case_sensitive=False),
    help="Only what applies to this firm type.",
)
@click.option(
    "--mentions",
    "mentions",
    multiple=True,
    help='Only obligations whose text names this, whoever they bind ("Compliance Officer": '
    '"An Authorised Person must ensure that the Compliance Officer has ...").',
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text")
@common
def obligations_command(settings: Settings, rulebooks: tuple[str, ...], roles: tuple[str, ...],
                        firm_types: tuple[str, ...], fmt: str,
                        mentions: tuple[str, ...] = ()) -> None:  # fmt: skip
    """List the obligations in the indexed rules, with who they bind and their parameters.

    Only sentences with a modal of duty or prohibition (must, shall, is required to, must not,
    may not ...) are read as obligations; a rule written otherwise ("Client investments are
    safeguarded ...") is not listed, so the list is no complete checklist of a firm's duties."""
    from assistant.errors import UsageError
    from assistant.index.core import Index
    from assistant.policy.obligations import build_register
    from assistant.policy.service import foreign_rulebooks

    catalog = Index.open(settings).catalog
    books = rulebook_filter(catalog, rulebooks)
    register = build_register(catalog)
    items = register.filter(rulebooks=list(books), firm_types=firm_types, roles=roles)
    items = [o for o in items if all(_names_phrase(o.text, m) for m in mentions)]
    # (only where the rulebooks asked hold no AIFC obligation at all: a filter matching nothing
    # on an index that holds AIFC rules beside another regime's said the other regime's text
    # was the reason, with exit 2, a review)
    none = not items and not register.filter(rulebooks=list(books))
    foreign = foreign_rulebooks(catalog.documents(), list(books)) if none else []
    if foreign:
        # another regime's text holds no AIFC obligation: said, not that no obligation names the
        # role (an MLRO's trial on the real ADGM AML ingested with --jurisdiction ADGM got "0
        # obligation(s)" and "no obligation names 'MLRO'", twenty-seventh session); an error, as
        # check-policy's on the same index (an empty list and exit 0 read "no obligations" to a
        # nightly job, a data engineer's trial, thirty-ninth session)
        # (no advice to ingest it as AIFC rules: ADGM's MKT so ingested was cited as the AIFC's
        # MAR, without its [ADGM] mark, a listed issuer's trial, thirty-fifth session)
        raise UsageError(f"{', '.join(foreign)} {'is' if len(foreign) == 1 else 'are'} indexed "
                         "as another regime's text, whose obligations are not listed as AIFC "
                         "rules", "search and ask read it as that regime's")  # fmt: skip
    if fmt == "json":
        click.echo(json.dumps([o.to_dict() for o in items], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        from assistant.spreadsheet import csv_rows

        # (the sentence's own subject beside the roles it names: "binds" falls back to
        # "Authorised Firm" where it names none, which a register read as whom "A Recognised
        # Body must ..." binds, while JSON's "actor" had it, a trading venue's trial, fortieth
        # session)
        header = ["id", "ref", "rulebook", "binds", "actor", "modality", "guidance", "params",
                  "text"]  # fmt: skip
        click.echo(csv_rows(header, ([o.id, o.ref, o.rulebook, "; ".join(o.binds), o.actor or "",
                                      o.modality,
                                      o.is_guidance, "; ".join(f"{p.kind}={p.text}" for p in o.params),
                                      o.text] for o in items)), nl=False)  # fmt: skip
    else:
        for o in items:
            params = "; ".join(f"{p.kind}: {p.text}" for p in o.params)
            click.echo(
                f"{o.ref:<16} [{', '.join(o.binds)}]{' (guidance)' if o.is_guidance else ''} {o.text}"
            )
            if params:
                click.echo(f"{'':<16} parameters: {params}")
        click.echo(f"{len(items)} obligation(s)")
    from assistant.language.firms import named_firms

    as_firms = sorted({f for r in roles for f in named_firms(r, asked=True)} - set(firm_types))
    unnamed = bool(roles) and not items and not register.filter(roles=roles)
    if as_firms and fmt == "text" and not unnamed:
        # a custodian's register by "--applies-to Custodian" listed the one rule whose subject
        # names a custodian, of the 40 that apply to one, without a word (a trial, twenty-third
        # session)
        wider = register.filter(rulebooks=list(books), firm_types=tuple(as_firms))
        click.echo(f"--applies-to lists the obligations that name {', '.join(map(repr, roles))} "
                   f"as whom they bind ({len(items)}); for everything that applies to a firm of "
                   f"that type use --firm-type {' '.join(repr(f) for f in as_firms)} "
                   f"({len(wider)} obligation(s))", err=True)  # fmt: skip
    if unnamed:
        # a firm type given as a role found nothing, without a word (a questionnaire trial,
        # 2026-12-05: "--applies-to 'crypto custodian'")
        click.echo(f"no obligation names {', '.join(map(repr, roles))} as whom it binds; roles "
                   "are the names rules bind (MLRO, DASP, Relevant Person ...); --firm-type "
                   f"({', '.join(FIRM_TYPES)}) selects what applies to a firm type", err=True)  # fmt: skip
        # the duties about it, binding the firm ("An Authorised Person must ensure that the
        # Compliance Officer has ..."): a compliance manager's monitoring plan got 0 for
        # "--applies-to 'Compliance Officer'" and no way to them (thirty-seventh session)
        about = [o for o in register.filter(rulebooks=list(books), firm_types=firm_types)
                 if any(_names_phrase(o.text, r) for r in roles)]  # fmt: skip
        if about:
            shown = ", ".join(dict.fromkeys(o.ref for o in about[:3]))
            click.echo(f"{len(about)} obligation(s) name {', '.join(map(repr, roles))} in their "
                       f"text, binding someone else (e.g. {shown}): list them with --mentions "
                       f"{' '.join(repr(r) for r in roles)}", err=True)  # fmt: skip


def _names_phrase(text: str, phrase: str) -> bool:
    """Whether ``text`` names ``phrase`` as whole words, in any case ("the Compliance Officer")."""
    import re

    words = phrase.split()
    return (
        bool(words)
        and re.search(r"(?<![\w-])" + r"\s+".join(map(re.escape, words)) + r"(?![\w-])", text, re.I)
        is not None
    )


@click.command(
    "check-policy",
    epilog="""\b
Examples:
  regassist check-policy corpus/policies/steppe-digital-aml-cft-policy.md --rulebook AML
  regassist check-policy draft.docx --firm-type "DATF operator" --format html > report.html

Statuses: covered, partial (an element is missing), conflicting (a parameter
contradicts the rule), missing. Exit status 0 when the check ran (whatever
it found), 1 when the draft cannot be read, 2 on usage errors.""",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--firm-type",
    "firm_types",
    multiple=True,
    type=click.Choice(FIRM_TYPES, case_sensitive=False),
    help="Firm type(s) the draft is for.",
)
@click.option(
    "--rulebook", "rulebooks", multiple=True, help="Only obligations of this rulebook (repeatable)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv", "md", "html"]), default="text"
)
@click.option("--password", default=None, help="Password of an encrypted PDF draft.")
@click.option(
    "--as-of",
    help="Check against the rulebook versions in force on this date (YYYY-MM-DD); "
    "default: the latest indexed version of each.",
)
@common
def check_policy_command(settings: Settings, file: Path, firm_types: tuple[str, ...],
                         rulebooks: tuple[str, ...], fmt: str, password: str | None,
                         as_of: str | None) -> None:  # fmt: skip
    """Check a policy draft (PDF, DOCX, Markdown) clause by clause against the indexed rules."""
    from assistant.errors import EncryptedFileError
    from assistant.policy.report import RENDERERS
    from assistant.policy.service import run_check

    try:
        report = run_check(settings, file, list(firm_types), list(rulebooks),
                           password=password, as_of=date_option("--as-of", as_of))  # fmt: skip
    except EncryptedFileError as exc:  # the loader's hint is about ingest
        raise EncryptedFileError(exc.path, exc.message.removeprefix(f"{exc.path}: "),
                                 "give the PDF's password with --password, or check a copy "
                                 "without password protection") from exc  # fmt: skip
    # (a CSV ends with its last row's line end: one more made an empty row for Python's csv
    # reader, a data engineer's trial, thirty-ninth session)
    out = RENDERERS[fmt](report)
    click.echo(out, nl=not out.endswith("\n"))
