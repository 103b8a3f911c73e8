"""Tables written for spreadsheets (CSV and XLSX), safe to open.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as
a formula by Excel, LibreOffice and Google Sheets when a CSV file is opened (OWASP "CSV
injection"). Our tables carry text we did not write: a client's policy draft, an uploaded
questionnaire, a rulebook's list item. In CSV such a cell is written with a leading apostrophe,
which the spreadsheet shows as text and does not display; JSON output is never changed. In XLSX
the cell is typed as text, so it keeps its exact characters (openpyxl types a string that
starts with ``=`` as a formula otherwise)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


# the invisible left-to-right and right-to-left marks a source's export leaves in its text
# ("Rule \u200e2.14.4" in ADGM's MIR): in a spreadsheet they break a lookup of the rule (60
# cells of an obligations register, a trading venue's trial, fortieth session)
_DIRECTION_MARKS = re.compile("[\u200e\u200f]")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet shows as text: a string that would start a formula
    gets a leading apostrophe, and loses the invisible direction marks a source's text may
    carry; numbers (also written as text, "-1"), booleans and other strings are unchanged."""
    if isinstance(value, str):
        value = _DIRECTION_MARKS.sub("", value)
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> str:
    """``rows`` as CSV with a header row of ``fields`` (other keys ignored, missing ones empty),
    each cell through ``safe_cell``."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(fields), extrasaction="ignore")
    w.writeheader()
    for row in rows:
        w.writerow({k: safe_cell(v) for k, v in row.items()})
    return buf.getvalue()


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows of cells as CSV, each cell through ``safe_cell``."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def csv_download(text: str) -> bytes:
    """CSV ``text`` as the bytes of a file to download and open in a spreadsheet: UTF-8 with a
    byte-order mark, which Excel needs to read the file as UTF-8 (without it, Excel on Windows
    reads the system code page and shows "—", "§" and Cyrillic names as mojibake). Only for
    downloads: the CLI writes CSV to standard output without one, for pipes."""
    return text.encode("utf-8-sig")


def fields_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every key of ``rows``, in the order first seen (rows may carry different extra columns)."""
    out: dict[str, None] = {}
    for row in rows:
        out.update(dict.fromkeys(row))
    return list(out)


def as_text_cells(worksheet: Any) -> None:
    """Type every formula-looking string cell of an openpyxl worksheet as text: the cell keeps
    its exact characters and is never calculated."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
