"""Shared by the CLI modules: our errors become a message on stderr and an exit code."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from assistant.errors import RegassistError


def exit_with(exc: RegassistError) -> NoReturn:
    click.secho(f"error: {exc.message}", fg="red", err=True)
    if exc.hint:
        click.echo(f"  hint: {exc.hint}", err=True)
    sys.exit(exc.exit_code)
