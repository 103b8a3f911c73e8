"""The pypdf adapter: pages of text, page labels and a title, or a named error."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import CorruptFileError, EncryptedFileError
from ingest.sniff import content_kind, rename_hint, text_kind


class _Collect(logging.Handler):
    """pypdf's complaints while one page is read, kept for that page instead of printed raw
    ("Error -3 while decompressing data", with no file or page named)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def read_pdf_pages(
    path: Path,
    password: str | None = None,
    problems: list[str] | None = None,
    rows: set[str] | None = None,
) -> tuple[list[str], list[str], str | None]:
    """Extract each page's text with pypdf. Raises Corrupt/EncryptedFileError with the reason.
    ``problems`` (when given) receives one line per page pypdf could not read whole ("page 3:
    Error -3 while decompressing data ...") and for characters its fonts map to nothing;
    ``rows`` (when given), the lines that are a table's rows (``join_cells``)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its recoverable-damage chatter
    name = str(path)
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        data = path.read_bytes()
        what = content_kind(data) or text_kind(data)
        raise CorruptFileError(
            name,
            "not a PDF (no %PDF header)" + (f"; the content is {what}" if what else ""),
            rename_hint(what) if what else "check the file type or extension",
        )
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            ok = reader.decrypt(password or "")
            if not ok:
                raise EncryptedFileError(
                    name,
                    "encrypted PDF" + (": wrong password" if password else " (password required)"),
                    "remove the password protection (or supply the password) and ingest again",
                )
        pages = _pages(reader, problems, rows)
        try:
            labels = list(reader.page_labels)
        except Exception:  # malformed label trees are common; fall back to physical numbers
            labels = [str(i + 1) for i in range(len(pages))]
        title = None
        try:
            meta = reader.metadata
            title = str(meta.title).strip() if meta is not None and meta.title else None
            if title and (
                title.lower().strip("() ") in ("untitled", "anonymous")
                or title.lower().startswith("microsoft word")
            ):
                title = None
        except Exception:
            title = None
    except FileNotDecryptedError as exc:
        raise EncryptedFileError(name, "encrypted PDF (password required)",
                                 "remove the password protection and ingest again") from exc  # fmt: skip
    except EncryptedFileError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
    ) as exc:
        raise CorruptFileError(name, f"corrupt or truncated PDF ({type(exc).__name__}: {exc})",
                               "re-download or re-export the PDF") from exc  # fmt: skip
    if not pages:
        raise CorruptFileError(name, "PDF has no pages")
    return pages, labels, title


def _pages(reader: Any, problems: list[str] | None, rows: set[str] | None = None) -> list[str]:
    log = logging.getLogger("pypdf")
    collect = _Collect()
    log.addHandler(collect)
    propagate, log.propagate = log.propagate, False
    level = log.level
    log.setLevel(logging.WARNING)
    pages = []
    try:
        for i, page in enumerate(reader.pages, start=1):
            collect.messages.clear()
            frags: list[tuple[float, float, str]] = []
            text = page.extract_text(visitor_text=_visitor(frags)) or ""
            text = join_cells(text, frags, rows)
            # a page pypdf complained about and got no text from is damaged, not blank (pypdf's
            # recoverable complaints about pages it did read are left alone)
            if problems is not None and collect.messages and not text.strip():
                problems.append(f"page {i} could not be decoded ({collect.messages[0]})")
            if problems is not None and "\x00" in text:
                problems.append(f"page {i}: {text.count(chr(0))} characters its fonts map to "
                                "nothing (words there miss letters)")  # fmt: skip
            pages.append(text)
    finally:
        log.removeHandler(collect)
        log.propagate = propagate
        log.setLevel(level)
    return pages


def _visitor(frags: list[tuple[float, float, str]]) -> Any:
    """pypdf's text visitor: each piece of text drawn, with where it starts on the page."""

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            frags.append((float(x), float(y), text))

    return visit


# A left cell that is a rule's or a paragraph's number, or a list marker, in the margin beside
# its text ("3.2.5" beside "(1) An Authorised Person must ...", "(a)" beside its item, "1." or
# a bullet beside a paragraph), or a hanging label ("Note:", "Step 1"): that is a numbered
# paragraph, not a table's row.
_MARGIN_NUMBER = re.compile(
    r"^(?:[A-Z]{0,4}\d+(?:\.\d+)+[A-Z]?\.?|\d{1,3}[.)]|\(?[a-zA-Z]{1,4}\)|\(\d{1,3}\)|[•·▪‣◦●○■□–—-]"
    r"|[A-Z][a-z]{1,12}(?:\s+\d{1,3}[A-Za-z]?)?:|(?:Step|Stage|Example|Note|Part)\s+\d{1,3}[A-Za-z]?\.?)$"
)
_SAME = 3.0  # points: two pieces of text this close in x start one column, in y one line
TABLE_ROWS = 3  # rows of two or more cells over the same columns that make a table


@dataclass
class _Cell:
    """A table cell as drawn: its column's x, its first and last lines' heights, its lines and
    the height of each."""

    x: float
    top: float
    bottom: float
    lines: list[str]
    ys: list[float]


def join_cells(text: str, frags: list[tuple[float, float, str]],
               rows_out: set[str] | None = None) -> str:  # fmt: skip
    """A table's row on one line, its cells joined by " | " as a DOCX table's are, a cell's
    wrapped lines joined by spaces: pypdf gives each cell's lines as lines of their own ("3A" /
    "500,000, except where ..."), so a row's label and its figure were two sentences and the row
    was never read whole (a CFO's trial: the base capital of a Category 3A firm was refused).
    A cell is text drawn at one x, line under line; a row, two or more cells drawn one after the
    other left to right, their first lines at one height (cells set at the top of the row); a
    table, TABLE_ROWS rows in a row over the first one's columns. A rule's number in the margin
    beside its text, a list marker or a hanging label beside its item, is no cell, nor is a line
    of two columns of prose. Where pypdf's lines are not the cells' lines in drawing order, the
    text stays as it was. ``rows_out`` (when given) receives each row's line."""
    cells: list[_Cell] = []
    for x, y, t in frags:
        t = t.strip()
        if "\n" in t:
            return text  # a piece of more than one line: cells cannot be told
        last = cells[-1] if cells else None
        if last is not None and abs(last.x - x) <= _SAME and y < last.bottom - _SAME:
            last.lines.append(t)  # the cell's next line
            last.bottom = y
            last.ys.append(y)
            continue
        if last is not None and x > last.x + _SAME:
            # a cell to the right level with a line of the text before it (not its first): the
            # table's first column starts there, on the margin of the text above it ("Category"
            # under the rule's opening sentence, a review)
            # (where the text above ends a sentence: a cell merged over rows, "Credit, single name
            # (where CQG ...", stays whole)
            k = next((k for k, h in enumerate(last.ys) if k and abs(h - y) <= _SAME), None)
            if k is not None and re.search(r"[.:;]$", last.lines[k - 1]):
                cells[-1:] = [_Cell(last.x, last.ys[0], last.ys[k - 1], last.lines[:k], last.ys[:k]),
                              _Cell(last.x, last.ys[k], last.bottom, last.lines[k:], last.ys[k:])]  # fmt: skip
        cells.append(_Cell(x, y, y, [t], [y]))
    rows: list[list[_Cell]] = []
    for c in cells:
        row = rows[-1] if rows else None
        # (cells set at the top of their row, as word processors set them: cells set at the foot
        # joined a definition's last line to the next term's row in a glossary, measured on the
        # real PRU rendered by reportlab, whose default that is)
        if row is not None and c.x > row[-1].x + _SAME and abs(c.top - row[0].top) <= _SAME:
            row.append(c)
        else:
            rows.append([c])
    table_rows: list[list[list[str]]] = []  # each row's cells, each cell's lines
    run: list[list[_Cell]] = []

    def close() -> None:
        # (two columns of prose, drawn line by line across the page, are no table: there every
        # row is one printed line of six words or more in each column; a table's long labels
        # wrap in their cells, the ADGM guidance's categories of token, a review)
        prose = all(len(c.lines) == 1 and len(c.lines[0].split()) >= 6 for r in run for c in r)
        if len(run) >= TABLE_ROWS and not prose:
            table_rows.extend([c.lines for c in r] for r in run)

    for row in rows:
        first = row[0].lines[0]
        is_row = (
            len(row) > 1
            and not _MARGIN_NUMBER.match(first)
            and not _MARGIN_NUMBER.match(first.split(" ", 1)[0])
        )  # "3.1.1 An Authorised ..."
        columns = [c.x for c in run[0]] if run else []
        if (is_row and run and abs(row[0].x - columns[0]) <= _SAME
                and all(any(abs(c.x - x) <= _SAME for x in columns) for c in row)):  # fmt: skip
            run.append(row)
            continue
        close()
        run = [row] if is_row else []
    close()
    if not table_rows:
        return text
    out = text.split("\n")
    at = 0
    for row_cells in table_rows:
        want = [ln for cell in row_cells for ln in cell]
        for i in range(at, len(out)):
            j, k = i, 0  # the row's lines from line i on, blank lines between them skipped
            while k < len(want) and j < len(out):
                if out[j].strip() == want[k]:
                    k += 1
                elif out[j].strip() or k == 0:
                    break
                j += 1
            if k == len(want):
                line = " | ".join(_cell_text(cell) for cell in row_cells)
                out[i:j] = [line]
                if rows_out is not None:
                    rows_out.add(line)
                at = i + 1
                break
    return "\n".join(out)


def _cell_text(lines: list[str]) -> str:
    """A cell's lines as one: a word broken at a hyphen ("Co-" / "operation") runs on."""
    out = lines[0]
    for ln in lines[1:]:
        out += ln if re.search(r"[A-Za-z]-$", out) else " " + ln
    return out


# Content-stream operators that put marks on a page: an image or form drawn ("Do"), an inline
# image ("BI"), a path filled or stroked. An empty text object ("BT ... ET") or a saved and
# restored state ("q Q") marks nothing: a blank page made by a layout tool has them.
_PAINTS = re.compile(rb"(?:^|\s)(?:Do|BI|f\*?|F|S|s|B\*?|b\*?)(?=\s|$)")


_IMAGES = re.compile(rb"(?:^|\s)(?:Do|BI)(?=\s|$)")


def pages_with_marks(path: Path, pages: list[int], password: str | None = None,
                     images_only: bool = False) -> list[int]:  # fmt: skip
    """Which of ``pages`` (0-based) draw something, an image or any other marks: a page with no
    text that draws is scanned (or a figure), one that draws nothing is blank (print layouts
    leave pages blank on purpose). With ``images_only``, only an image or form drawn counts."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(password or ""):
            return []
        out = []
        for i in pages:
            contents = reader.pages[i].get_contents()
            data = contents.get_data() if contents is not None else b""
            if (_IMAGES if images_only else _PAINTS).search(data):
                out.append(i)
        return out
    except Exception:  # a page's resources that cannot be read: no warning rather than a failure
        return []
