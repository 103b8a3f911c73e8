"""Batch files of questions (or search queries): JSONL, TSV, CSV or XLSX, read into rows with line numbers.

Shared by ``regassist ask --questions``, ``regassist search --queries`` and the UI's questionnaire.
Formats:

* JSONL: one object per line, ``{"id": ..., "question": ...}`` (``id`` optional);
* TSV: ``id<TAB>text`` lines, or a header row naming a ``question`` column (and optionally ``id``);
* CSV: a header row naming a ``question`` column (and optionally ``id``), the delimiter (comma,
  semicolon or tab) detected;
* XLSX: the first sheet with a header row naming a ``question`` column within its first
  ``HEADER_ROWS`` rows (a cover sheet or a title above the table is passed over); line numbers
  are the sheet's row numbers.

A bad row (broken JSON, no text, a duplicate id, the wrong number of columns) is kept aside with
its line number and reason, and the good rows are returned: the caller answers those and reports
the rest. A file that cannot be read at all, or has no usable row, raises ``UsageError``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.errors import UsageError

FORMATS = ("jsonl", "tsv", "csv", "xlsx")
_EXT = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xls": "xlsx",  # read as a workbook, to be told it is an old one
}
_ZIP = b"PK\x03\x04"
HEADER_ROWS = 20  # how far down a sheet the header row is looked for
_DELIMITERS = ",;\t"


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the file where the row starts
    id: str
    text: str
    # the row's other columns as the file names them ("Owner", "Section"), in the file's order
    extra: tuple[tuple[str, str], ...] = ()
    # False where the file gives the row no id and ``id`` is its line number
    given: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class Batch:
    rows: list[Row] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    format: str = ""
    # rows of a table with no question in them but other cells filled: a questionnaire's section
    # headings ("Section B - AML") or notes. Passed over and listed, not counted as bad rows (a
    # consultant's questionnaire exited 1 for its headings, 2026-12-04).
    skipped: list[BadRow] = field(default_factory=list)


def split_rows(rows: list[Row]) -> list[Row]:
    """Each row that asks several questions ("Do you hold client assets? If so, how are they
    segregated?" is one; "What capital do you hold, and how often do you reconcile client
    assets?" two, ``followup.split_questions``) as
    one row per question, ids ``<id>.1``, ``<id>.2``, each standalone (a questionnaire row that
    asked two questions was answered for one of them, a trial 2026-12-04); other rows as they
    are."""
    from assistant.answer.followup import asked_parts

    taken = {row.id for row in rows}  # a part's id is no other row's ("2.1" beside "2" split)
    out = []
    for row in rows:
        parts = asked_parts(row.text)
        if len(parts) == 1:
            out.append(row)
            continue
        for k, q in enumerate(parts, start=1):
            qid, n = f"{row.id}.{k}", 0
            while qid in taken:  # "2.1" is the file's own: "2.1-1"
                n += 1
                qid = f"{row.id}.{k}-{n}"
            taken.add(qid)
            out.append(replace(row, id=qid, text=q))
    return out


def detect_format(text: str, name: str = "") -> str:
    """From the file extension, else from the first non-blank line."""
    ext = Path(name).suffix.lower()
    if ext in _EXT:
        return _EXT[ext]
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if first.lstrip().startswith("{"):
        return "jsonl"
    return "tsv" if "\t" in first else "csv"


def parse_batch(data: str | bytes, *, fields: tuple[str, ...] = ("question",), fmt: str | None = None,
                name: str = "") -> Batch:  # fmt: skip
    """Rows of ``data``; ``fields`` are the accepted names of the text column/key, first preferred."""
    if isinstance(data, bytes):
        zipped = data.startswith(_ZIP)  # a workbook, whatever its name says
        if (fmt or _EXT.get(Path(name).suffix.lower(), "xlsx" if zipped else "")) == "xlsx":
            return _checked(_xlsx(data, fields, name or "workbook"), fields, "xlsx")
        try:
            # UTF-16 with its byte-order mark, as Excel's "Unicode Text" saves it, is read; UTF-16
            # without one is said to be so (its header read "i\x00d\x00", a questionnaire trial,
            # thirty-eighth session)
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                try:
                    data = data.decode("utf-16")
                except UnicodeDecodeError as exc:  # (not "not UTF-8 text", a review)
                    raise UsageError(f"{name or 'batch file'}: not valid UTF-16 text ({exc.reason} "
                                     f"at byte {exc.start})", "save the file as UTF-8 CSV") from exc  # fmt: skip
            elif _utf16_unmarked(data):
                raise UsageError(f"{name or 'batch file'}: UTF-16 text without a byte-order mark",
                                 "save the file as UTF-8 CSV (or as Unicode text, with its mark)")  # fmt: skip
            else:
                data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            what = "a zip archive (an XLSX workbook?), not text" if zipped else "not UTF-8 text"
            raise UsageError(f"{name or 'batch file'}: {what} ({exc.reason} at byte {exc.start})",
                             "save the file as UTF-8 CSV, or as .xlsx with that extension") from exc  # fmt: skip
    data = data.removeprefix("\ufeff")
    fmt = fmt or detect_format(data, name)
    if fmt not in FORMATS:
        raise UsageError(f"unknown batch format {fmt!r}", f"use one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        raise UsageError(f"{name or 'batch file'}: an XLSX workbook must be given as bytes")
    parse = {"jsonl": _jsonl, "tsv": _tsv, "csv": _csv}[fmt]
    return _checked(parse(data, fields, name), fields, fmt)


def _checked(items: list[Row | BadRow], fields: tuple[str, ...], fmt: str) -> Batch:
    """Rows with text and a first-seen id; the others set aside as bad rows."""
    batch = Batch(format=fmt)
    seen: dict[str, int] = {}
    # a row without an id is named by its line, unless the file gives another row that id
    # ("3" on line 2, none on line 3: the question on line 3 was skipped as a duplicate of an id
    # nobody wrote, a data engineer's trial, thirty-ninth session); then "line-3"
    written = {i.id for i in items if isinstance(i, Row) and i.given}
    items = [replace(i, id=f"line-{i.line}") if isinstance(i, Row) and not i.given
             and i.id in written else i for i in items]  # fmt: skip
    for item in items:
        if isinstance(item, BadRow):
            batch.bad.append(item)
        elif not item.text.strip() and fmt != "jsonl" and _heading(item):
            words = next(v for v in (item.id, *(v for _, v in item.extra)) if len(v.split()) > 1)
            batch.skipped.append(BadRow(item.line, f"no {fields[0]} (a heading or a note: "
                                                   f"{words.strip()[:80]!r})"))  # fmt: skip
        elif fmt != "jsonl" and fields[0] == "question" and _heading_text(item.text):
            batch.skipped.append(BadRow(item.line, f"a heading in the {fields[0]} column "
                                                   f"({' '.join(item.text.split())[:80]!r})"))  # fmt: skip
        elif not item.text.strip():
            batch.bad.append(BadRow(item.line, f"empty {fields[0]}"))
        elif item.id in seen:
            batch.bad.append(
                BadRow(item.line, f"duplicate id {item.id!r} (first on line {seen[item.id]})")
            )
        else:
            seen[item.id] = item.line
            batch.rows.append(Row(item.line, item.id, " ".join(item.text.split()), item.extra))
    return batch


def _heading(row: Row) -> bool:
    """A table row without a question whose other cells hold words ("Section B - AML" in the
    numbering column): a heading or a note, not a question left blank ("b," is one)."""
    return any(len(v.split()) > 1 for v in (row.id, *(v for _, v in row.extra)))


# A section heading written in the question column of a questionnaire ("Section B - Custody",
# "Part 3: AML", "TECHNOLOGY RISK"): a division of the document by its usual names, or a short
# line in capitals, with no question mark.
# (not "Schedule", "Annex" or "Chapter", which name parts of rulebooks that a question or a
# keyword query may start with: "Schedule 8: application fee for a DATF operator")
_SECTION = re.compile(
    r"^\s*(?:(?:section|part)\s+[\w.]{1,6}\s*(?:[:.\-\u2013\u2014]|$)"
    # "Annex 1: Custody", "Chapter 2 - Governance": a short title after the division's number
    r"|(?:chapter|annex|appendix)\s+[\w.]{1,6}\s*(?:[:.\-\u2013\u2014]\s*(?:\S+\s*){0,4}$|$))",
    re.I,
)
_ITEM_NUMBER = re.compile(r"^\s*[\dA-Za-z]{1,3}[.)]\s+")  # "3. TECHNOLOGY RISK", "b) GOVERNANCE"


def _heading_text(text: str) -> bool:
    """Whether a question cell holds a heading, not a question: answered, it got the nearest
    rules as if asked (a consultant's questionnaire, 2026-12-04)."""
    words = text.split()
    if not words or "?" in text or len(words) > 12:
        return False
    if _SECTION.match(text):
        return True
    # a line in capitals after any item number, with a word of six letters or more and no digit
    # or bracket (acronyms and rule references are queries: "AML CDD", "PRU(INV) 1.3", "MLRO")
    rest = _ITEM_NUMBER.sub("", text, count=1)
    words = rest.split()
    letters = [c for c in rest if c.isalpha()]
    return (
        1 <= len(words) <= 8
        and bool(letters)
        and all(c.isupper() for c in letters)
        and any(sum(c.isalpha() for c in w) >= 6 for w in words)
        and not re.search(r"[\d()\[\]]", rest)
    )


def read_batch(path: Path, *, fields: tuple[str, ...] = ("question",), fmt: str | None = None,
               flag: str = "--questions") -> Batch:  # fmt: skip
    """Read and parse a batch file; UsageError when unreadable or when no row is usable."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{flag} {path}: cannot read ({exc.strerror or exc})") from exc
    batch = parse_batch(data, fields=fields, fmt=fmt, name=f"{flag} {path}")
    if not batch.rows:
        # (a header without rows is no empty file, a questionnaire trial, thirty-eighth session)
        bare = (
            data.removeprefix(b"\xef\xbb\xbf").removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff")
        )
        detail = "; ".join(str(b) for b in batch.bad[:3]) or (
            "the file is empty" if not bare.strip(b" \t\r\n\x00") else "no row holds a question"
        )
        raise UsageError(f"{flag} {path}: no usable rows ({detail})", _hint(batch.format, fields))
    return batch


def _hint(fmt: str, fields: tuple[str, ...]) -> str:
    f = fields[0]
    return {
        "jsonl": f'one JSON object per line, {{"id": "q1", "{f}": "..."}}',
        "tsv": f"id<TAB>{f} lines, or a header row with a '{f}' column",
    }.get(fmt, f"a header row with a '{f}' column (and optionally 'id')")


def _text_of(obj: dict, fields: tuple[str, ...]) -> str | None:
    for f in fields:
        if isinstance(obj.get(f), str):
            return obj[f]
    return None


def _jsonl(data: str, fields: tuple[str, ...], name: str) -> list[Row | BadRow]:
    out: list[Row | BadRow] = []
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:  # JSONDecodeError, or e.g. an integer too long to convert
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            out.append(BadRow(n, f"not JSON ({why})"))
            continue
        if not isinstance(obj, dict):
            out.append(BadRow(n, f'expected an object {{"id", "{fields[0]}"}}'))
            continue
        text = _text_of(obj, fields)
        if text is None:
            out.append(BadRow(n, f'no "{fields[0]}" string'))
            continue
        qid = obj.get("id")
        # the object's other fields go with its row, as a table's other columns do (they were
        # dropped, a data engineer's trial, thirty-ninth session)
        extra = tuple((str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                      for k, v in obj.items() if k != "id" and k not in fields)  # fmt: skip
        given = qid not in (None, "")
        out.append(Row(n, str(qid) if given else str(n), text, extra, given=given))
    return out


def _records(data: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(starting line, cells) for each non-blank record; quoted cells may span lines (CSV)."""
    reader = csv.reader(io.StringIO(data), delimiter=delimiter)
    out, prev = [], 0
    try:
        for cells in reader:
            start, prev = prev + 1, reader.line_num
            if any(c.strip() for c in cells):
                out.append((start, cells))
    except csv.Error as exc:
        out.append((prev + 1, [f"\0{exc}"]))  # reported as a bad row by the caller
        return out
    # A double quote opened and never closed makes the rest of the file one value (read
    # leniently above): strict reading says so, and that record is reported, not answered as one
    # long question (a consultant's CSV lost a row that way, "answered 2 of 2", 2026-12-04).
    if out and '"' in data:
        # (from the last record's first line: an earlier harmless quote, '"Travel rule" threshold',
        # would stop a strict reading of the whole file first, a review 2026-12-04)
        tail = "".join(data.splitlines(keepends=True)[out[-1][0] - 1 :])
        try:
            for _ in csv.reader(io.StringIO(tail), delimiter=delimiter, strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                start = out[-1][0]
                out[-1] = (start, [f"\0a double quote opened on line {start} is never closed, "
                                   f"so lines {start} to {prev} read as one value; close it"])  # fmt: skip
    return out


# The names questionnaires give their numbering column ("No.", "#", "Ref"), "id" first.
ID_NAMES = ("id", "no", "no.", "nr", "nr.", "number", "#", "ref", "ref.", "item", "q", "q.",
            "question no", "question no.", "question number", "question id")  # fmt: skip


def _id_name(cell: str) -> str:
    """A header cell's name as an id column: "№", "№ п/п" and "N°" are "no" (a consultant's "№"
    column was replaced by file line numbers, eighteenth session)."""
    name = cell.strip().lower()
    return "no" if re.match(r"^(?:№|n[°º])(?:\s*п/п)?\.?$", name) else name


def _bilingual_id(cell: str) -> str | None:
    """A numbering column's bilingual header: parts split by " / " or " | " (spaced, so that
    "Answer (Yes/No)" is not one), each an id's name ("№ / No.", "№ п/п | No."): the name of
    its parts that ``ID_NAMES`` puts first; None for any other header."""
    parts = [_id_name(p) for p in re.split(r"\s+[/|]\s+", cell.strip())]
    if len(parts) < 2 or not all(p in ID_NAMES for p in parts):
        return None
    return min(parts, key=ID_NAMES.index)


def _text_names(cell: str) -> set[str]:
    """The names a header cell gives the text column: itself, and each part of a bilingual
    header ("Вопрос / Question", "Question (Вопрос)", refused before the eighteenth session)."""
    name = cell.strip().lower()
    return {name, *(p for p in re.split(r"\s*[/|()]\s*", name) if p)}


def _header_index(cells: list[str], fields: tuple[str, ...]) -> tuple[int | None, int | None]:
    texts = [_text_names(c) for c in cells]
    text_col = next((i for f in fields for i, ns in enumerate(texts) if f in ns), None)
    # a questionnaire's own numbering is kept as the id (a new user's "No." column was replaced
    # by file line numbers, 2026-12-04); a whole cell's name only ("Answer (Yes/No)" is no id)
    # (a bilingual one, every part an id's name, ranks as its parts do: "№ / No." is the
    # numbering ahead of a "Ref" column of rule references, a review)
    ids = [_bilingual_id(c) or _id_name(c) for c in cells]
    id_col = next((ids.index(n) for n in ID_NAMES if n in ids), None)
    if id_col == text_col:
        id_col = None
    return text_col, id_col


def _width(cells: list[str]) -> int:
    """How many cells a row has, trailing empty ones aside."""
    n = len(cells)
    while n and not cells[n - 1].strip():
        n -= 1
    return n


def _table(records: list[tuple[int, list[str]]], fields: tuple[str, ...], text_col: int,
           id_col: int | None, width: int | None = None,
           header: list[str] | None = None) -> list[Row | BadRow]:  # fmt: skip
    """Rows of a table with a header. ``width``: the header's cell count, for delimited text,
    where a row with more cells has a delimiter inside an unquoted value and would lose part of
    its question. ``header``: the header's cells, whose other named columns each row keeps."""
    out: list[Row | BadRow] = []
    others = [(i, h.strip()) for i, h in enumerate(header or [])
              if i not in (text_col, id_col) and h.strip()]  # fmt: skip
    for n, cells in records:
        if cells and cells[0].startswith("\0"):
            out.append(BadRow(n, f"cannot parse ({cells[0][1:]})"))
        elif width is not None and _width(cells) > width:
            out.append(BadRow(n, f"{_width(cells)} cells where the header has {width}: a "
                                 "delimiter inside an unquoted value; put the question in "
                                 'double quotes'))  # fmt: skip
        elif len(cells) <= text_col:
            out.append(BadRow(n, f"no '{fields[0]}' column in this row ({len(cells)} cell(s))"))
        else:
            qid = cells[id_col].strip() if id_col is not None and id_col < len(cells) else ""
            extra = tuple((h, cells[i].strip() if i < len(cells) else "") for i, h in others)
            out.append(Row(n, qid or str(n), cells[text_col], extra, given=bool(qid)))
    return out


def _delimiter(data: str, fields: tuple[str, ...] = ("question",)) -> str:
    """Comma, semicolon or tab, as csv.Sniffer reads the start of the file; the header row (the
    first line naming the text column, else the first line) has the last word, so a question with
    a semicolon in it does not turn a comma file into a semicolon one, nor a title row above the
    table a semicolon file into a comma one."""
    lines = [ln for ln in data.splitlines()[: HEADER_ROWS * 4] if ln.strip()]
    named = (ln for ln in lines if any(re.search(rf"\b{re.escape(f)}\b", ln, re.I) for f in fields))
    header = next(named, lines[0] if lines else "")
    try:
        found = csv.Sniffer().sniff(data[:8192], delimiters=_DELIMITERS).delimiter
    except csv.Error:  # one column, or too few rows to tell
        found = ","
    if found in header:
        return found
    return next((d for d in _DELIMITERS if d in header), ",")


def _csv(data: str, fields: tuple[str, ...], name: str) -> list[Row | BadRow]:
    delimiter = _delimiter(data, fields)
    records = _records(data, delimiter)
    if not records:
        return []
    # the header row may sit below a title (as in a workbook saved as CSV), within HEADER_ROWS
    at = next((i for i, (_, cells) in enumerate(records[:HEADER_ROWS])
               if _header_index(cells, fields)[0] is not None), 0)  # fmt: skip
    text_col, id_col = _header_index(records[at][1], fields)
    if text_col is None:
        found = ", ".join(repr(c) for c in records[0][1][:6])
        sep = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
        raise UsageError(f"{name}: the CSV header has no '{fields[0]}' column (found {found}, "
                         f"{sep}-separated)",
                         _hint("csv", fields))  # fmt: skip
    return _table(
        records[at + 1 :], fields, text_col, id_col, _width(records[at][1]), records[at][1]
    )


def _tsv(data: str, fields: tuple[str, ...], name: str) -> list[Row | BadRow]:
    records = [(n, line.split("\t")) for n, line in enumerate(data.splitlines(), start=1)
               if line.strip()]  # fmt: skip
    if not records:
        return []
    text_col, id_col = _header_index(records[0][1], fields)
    if text_col is not None:  # a header row
        return _table(records[1:], fields, text_col, id_col, _width(records[0][1]), records[0][1])
    out: list[Row | BadRow] = []
    for n, cells in records:
        if len(cells) < 2:
            out.append(BadRow(n, f"expected id<TAB>{fields[0]} (no tab)"))
        else:
            qid = cells[0].strip()
            out.append(Row(n, qid or str(n), "\t".join(cells[1:]), given=bool(qid)))
    return out


def _xlsx(data: bytes, fields: tuple[str, ...], name: str) -> list[Row | BadRow]:
    """Rows of the first sheet with a header row naming a text column in its first HEADER_ROWS
    rows; UsageError naming each sheet and its first row when none has one."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    if data[:8] == _OLE2:  # an encrypted workbook (Excel wraps it in OLE2) or an old .xls
        raise UsageError(f"{name}: a password-protected workbook or an Excel 97-2003 (.xls) file, "
                         "not an XLSX workbook",
                         "remove the password (File > Info > Protect Workbook) and save it as "
                         ".xlsx, or use a CSV")  # fmt: skip
    if _is_numbers(data):
        raise UsageError(f"{name}: an Apple Numbers document, not an XLSX workbook",
                         "in Numbers, File > Export To > Excel, or use a CSV")  # fmt: skip
    if not data.startswith(b"PK"):  # (a zip archive's, whole or damaged)
        # what the file is, where it can be told: a trial's empty file, CSV and PDF renamed
        # .xlsx were each "not a readable XLSX workbook (BadZipFile)" (twenty-ninth session)
        what = _not_a_workbook(data)
        if what:
            raise UsageError(f"{name}: {what}, not an XLSX workbook",
                             "save it from Excel or LibreOffice as .xlsx, or give a CSV its "
                             ".csv name")  # fmt: skip
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UsageError(f"{name}: not a readable XLSX workbook ({type(exc).__name__})",
                         "save it from Excel or LibreOffice as .xlsx, or use a CSV") from exc  # fmt: skip
    looked: list[str] = []
    try:
        for number, sheet in enumerate(book.worksheets):
            rows = iter(enumerate(sheet.iter_rows(values_only=True), start=1))
            first: list[str] | None = None
            for n, values in rows:
                if n > HEADER_ROWS:
                    break
                cells = _cells(values)
                if not any(c.strip() for c in cells):
                    continue
                first = first or cells
                text_col, id_col = _header_index(cells, fields)
                if text_col is not None:
                    records = [(m, _cells(v)) for m, v in rows]
                    # (a row with only an empty formula, a template's spare row, is passed over
                    # as an empty row is: "=IF(A5="","",A5)" reads empty when saved, a review)
                    blank = {m for m, c in records if (len(c) <= text_col or not c[text_col].strip())
                             and any(x.strip() for x in c)}  # fmt: skip
                    unsaved = _unsaved_formulas(data, number, text_col, blank) if blank else {}
                    # another column's formula the workbook stored no value for at all
                    # ("=HYPERLINK(...)" in the applicant's response, written by a program) is
                    # kept as written, not lost (a questionnaire trial, twenty-ninth session);
                    # not the id column's, nor one whose value was saved empty (a review), and
                    # only on a row with a question; spreadsheet exports escape it
                    asked = {m for m, c in records if len(c) > text_col and c[text_col].strip()}
                    valueless = _valueless_formulas(data, sheet.title) if asked else {}
                    records = [(m, [valueless.get((m, i), x)
                                    if m in asked and i not in (text_col, id_col) and not x.strip()
                                    else x for i, x in enumerate(c)]) for m, c in records]  # fmt: skip
                    table = _table([(m, c) for m, c in records
                                    if any(x.strip() for x in c) and m not in unsaved],
                                   fields, text_col, id_col, header=cells)  # fmt: skip
                    return sorted(
                        [*table, *(BadRow(m, f"the {fields[0]} cell holds a formula ({f[:60]}) "
                                             "and no value: it computes to nothing, or the "
                                             "workbook was written by a program that saved no "
                                             "values (open and save it in Excel or "
                                             "LibreOffice), or type the text")
                                   for m, f in unsaved.items())],
                        key=lambda r: r.line,
                    )  # fmt: skip
            seen = ", ".join(repr(c) for c in [c for c in first or [] if c.strip()][:6])
            looked.append(f"sheet {sheet.title!r}: " + (f"first row {seen}" if first else "empty"))
    finally:
        book.close()
    raise UsageError(f"{name}: no '{fields[0]}' column header in the first {HEADER_ROWS} rows of any "
                     f"sheet (looked at {'; '.join(looked) or 'no sheets'})",
                     f"add a header row with a '{fields[0]}' column (and optionally 'id') above the "
                     "questions")  # fmt: skip


def _unsaved_formulas(data: bytes, sheet: int, col: int, lines: set[int]) -> dict[int, str]:
    """The formulas of column ``col`` of the ``sheet``-th sheet, on the rows ``lines`` whose
    value reads empty: a workbook written by a program (openpyxl) or never recalculated stores
    no value for them (a trial's "=HYPERLINK(...)" question was reported as an empty one)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        out = {}
        for m, values in enumerate(book.worksheets[sheet].iter_rows(values_only=True), start=1):
            if m in lines and col < len(values):
                v = values[col]
                if isinstance(v, str) and v.startswith("="):
                    out[m] = v
        return out
    finally:
        book.close()


_CELL = re.compile(r"([A-Z]{1,3})(\d+)$")


def _valueless_formulas(data: bytes, title: str) -> dict[tuple[int, int], str]:
    """The formulas of the sheet named ``title`` that the workbook stores no value for at all
    (no ``<v>``, or an empty number's, as a program that computes nothing writes them), by (row,
    0-based column); a formula whose value was saved, an empty string included, is not one. Read from the sheet's XML, since
    openpyxl reads both as None. Empty when the parts cannot be read."""
    import posixpath
    from xml.etree import ElementTree as ET
    from zipfile import BadZipFile, ZipFile

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with ZipFile(io.BytesIO(data)) as z:
            book = ET.fromstring(z.read("xl/workbook.xml"))
            rid = next(
                (s.get(rel) for s in book.iter(f"{main}sheet") if s.get("name") == title), None
            )
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
            if not target:
                return {}
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            out: dict[tuple[int, int], str] = {}
            for _, el in ET.iterparse(z.open(posixpath.normpath(path))):
                if el.tag != f"{main}c":
                    continue
                f, m = el.find(f"{main}f"), _CELL.match(el.get("r") or "")
                v = el.find(f"{main}v")
                # (no value: no <v>, or an empty one of a number, as openpyxl writes it; an
                # empty one of a string, t="str", is a saved "")
                none = v is None or (not v.text and el.get("t", "n") == "n")
                if f is not None and f.text and none and m:
                    col = 0
                    for ch in m.group(1):
                        col = col * 26 + ord(ch) - 64
                    out[(int(m.group(2)), col - 1)] = "=" + f.text
                el.clear()
            return out
    except (BadZipFile, KeyError, OSError, ValueError, ET.ParseError):
        return {}


def _not_a_workbook(data: bytes) -> str:
    """What ``data``, not a zip archive, is, where it can be told: "an empty file", "a PDF",
    "text (a CSV or TSV?)", or ""."""
    if not data.strip():
        return "an empty file" if not data else "a file of blank space"
    if data.startswith(b"%PDF"):
        return "a PDF"
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 65536 - 4:  # not a character cut at the end of the sample
            return ""
    return "text (a CSV or TSV?)"


_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # the Compound File header


def _utf16_unmarked(data: bytes) -> bool:
    """Whether ``data`` reads as UTF-16 text of Latin letters without a byte-order mark: every
    other byte of its start is a NUL, the others not (a binary file's NULs come in runs)."""
    head = data[:400]
    if len(head) < 8:
        return False
    for nuls, chars in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if nuls.count(0) >= 0.9 * len(nuls) and chars.count(0) <= 0.1 * len(chars):
            return True
    return False


def _is_numbers(data: bytes) -> bool:
    """Whether ``data`` is an Apple Numbers document (a zip holding Index/Document.iwa)."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(io.BytesIO(data)) as z:
            return any(n.startswith("Index/") and n.endswith(".iwa") for n in z.namelist())
    except (BadZipFile, OSError, ValueError):
        return False


def _cells(values: tuple[object, ...]) -> list[str]:
    return ["" if v is None else str(v) for v in values]
