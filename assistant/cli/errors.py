"""Errors are translated here, once, for every command (plugins such as ``eval`` included).

Whatever goes wrong before or inside a command -- a bad flag, a bad ``REGASSIST_*`` value, one of
our own errors -- leaves as ONE line on stderr, ``error: <what> (hint: <what to do>)``, and an
exit code: 2 for usage (flags, settings), the error's own code otherwise. Never a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, NoReturn

import click
from pydantic import ValidationError
from pydantic_settings import SettingsError

from assistant.errors import RegassistError, UsageError

ENV_PREFIX = "REGASSIST_"
SETTINGS_HINT = "fix or unset it; `regassist --help` and the README's Settings list the settings"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def format_error(message: str, hint: str | None = None) -> str:
    line = f"error: {one_line(message)}"
    return f"{line} (hint: {one_line(hint)})" if hint else line


def no_color() -> bool | None:
    """False where ``NO_COLOR`` is set (https://no-color.org), else click's own choice."""
    return False if os.environ.get("NO_COLOR") else None


def exit_with(exc: RegassistError) -> NoReturn:
    """For code that must stop from inside a command; prefer raising and letting the group translate."""
    click.secho(format_error(exc.message, exc.hint), fg="red", err=True, color=no_color())
    sys.exit(exc.exit_code)


class CliError(click.ClickException):
    """What every error becomes: shown as one line, with its exit code."""

    def __init__(self, message: str, hint: str | None = None, exit_code: int = 1) -> None:
        super().__init__(one_line(message))
        self.hint = hint
        self._exit_code = exit_code

    # click declares ``exit_code`` a class variable; this error carries its own, per instance.
    @property
    def exit_code(self) -> int:
        return self._exit_code

    @exit_code.setter
    def exit_code(self, code: int) -> None:
        self._exit_code = code

    def show(self, file: Any = None) -> None:
        # (shown after the command's context is gone: NO_COLOR read here too)
        click.secho(format_error(self.message, self.hint), fg="red", err=True, color=no_color())


def _env_name(loc: tuple[Any, ...]) -> str | None:
    """The REGASSIST_* variable a settings field comes from, when it is set (case-insensitive)."""
    name = ENV_PREFIX + "__".join(str(p) for p in loc).upper()
    return next((k for k in os.environ if k.upper() == name), None)


def settings_error(exc: ValidationError | SettingsError) -> UsageError:
    """A settings failure as a UsageError naming the variable (or flag) and the value."""
    if isinstance(exc, SettingsError):
        m = re.search(r'field "(\w+)"', str(exc))
        field = m.group(1) if m else ""
        names = sorted(k for k in os.environ if k.upper().startswith(ENV_PREFIX + field.upper()))
        shown = ", ".join(f"{k}={os.environ[k]!r}" for k in names) or field
        return UsageError(
            f"invalid setting {shown}: cannot parse the value",
            'lists are JSON, e.g. \'["rules", "guidance"]\'; ' + SETTINGS_HINT,
        )
    parts = []
    items = {env for err in exc.errors() if exc.title == "Settings"
             for loc in [tuple(err.get("loc") or ())]
             if len(loc) > 1 and isinstance(loc[-1], int)
             and (env := _env_name(tuple(p for p in loc if not isinstance(p, int))))}  # fmt: skip
    for err in exc.errors():
        loc = tuple(err.get("loc") or ())
        value = err.get("input")
        if exc.title == "Settings" and loc:
            # an item of a list is the variable's ("retrieval.default_kinds.0" was put "from a
            # flag" with REGASSIST_RETRIEVAL__DEFAULT_KINDS set, an operator's trial)
            field = loc
            while len(field) > 1 and isinstance(field[-1], int):
                field = field[:-1]
            env = _env_name(field)
            if env is not None and len(field) == len(loc) and env in items:
                continue  # the list's own error beside its items' (pydantic adds both)
            where = (f"{env} (item {loc[len(field)]})" if env and len(field) < len(loc)
                     else env or f"{'.'.join(map(str, loc))} (from a flag)")  # fmt: skip
        else:
            where = f"{exc.title} {'.'.join(map(str, loc))}".strip()
        shown = f"={value!r}" if isinstance(value, str | int | float | bool) else ""
        parts.append(f"{where}{shown}: {err.get('msg', 'invalid')}")
    return UsageError("invalid setting " + "; ".join(parts), SETTINGS_HINT)


def translate(exc: BaseException) -> CliError | None:
    """Our errors, settings errors and click's usage errors as a CliError; None for anything else."""
    if isinstance(exc, CliError):
        return exc
    if isinstance(exc, ValidationError | SettingsError):
        exc = settings_error(exc)
    if isinstance(exc, RegassistError):
        return CliError(exc.message, exc.hint, exc.exit_code)
    if isinstance(exc, click.UsageError):
        ctx = exc.ctx
        where = ctx.command_path if ctx is not None else "regassist"
        hint = f"see `{where} --help`"
        if isinstance(exc, click.NoSuchOption) and ctx is not None:
            # "--json" where the command has "--format json": say so (click offered "--as-of",
            # a market-surveillance head's trial, thirtieth session)
            wanted = exc.option_name.lstrip("-")
            for p in ctx.command.params:
                if (
                    isinstance(p.type, click.Choice)
                    and "--format" in p.opts
                    and wanted in p.type.choices
                ):
                    return CliError(f"No such option: {exc.option_name}",
                                    f"use `--format {wanted}`; {hint}", exc.exit_code)  # fmt: skip
        return CliError(exc.format_message(), hint, exc.exit_code)
    if isinstance(exc, click.ClickException):
        return CliError(exc.format_message(), None, exc.exit_code)
    return None


class TranslatingGroup(click.Group):
    """A click group that translates errors raised while parsing or running any subcommand."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except (click.ClickException, RegassistError, ValidationError, SettingsError) as exc:
            raise translate(exc) from exc  # type: ignore[misc]

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, RegassistError, ValidationError, SettingsError) as exc:
            raise translate(exc) from exc  # type: ignore[misc]
