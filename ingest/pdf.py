"""The pypdf adapter: pages of text, page labels and a title, or a named error."""

from __future__ import annotations

import logging
import re
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
    path: Path, password: str | None = None, problems: list[str] | None = None
) -> tuple[list[str], list[str], str | None]:
    """Extract each page's text with pypdf. Raises Corrupt/EncryptedFileError with the reason.
    ``problems`` (when given) receives one line per page pypdf could not read whole ("page 3:
    Error -3 while decompressing data ...") and for characters its fonts map to nothing."""
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
        pages = _pages(reader, problems)
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


def _pages(reader: Any, problems: list[str] | None) -> list[str]:
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
            text = page.extract_text() or ""
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
