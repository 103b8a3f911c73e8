"""What a file holds, read from its first bytes: the one reading the loaders use to say that a
file's extension is wrong ("the content is a PDF, not a DOCX")."""

from __future__ import annotations

import io
import re
import zipfile

OLE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: an old .doc, or a password-protected .docx
_MAGIC = ((b"%PDF-", "a PDF"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (OLE, "an Office file (.doc or a protected .docx)"))  # fmt: skip


def content_kind(data: bytes) -> str | None:
    """ "a PDF", "a DOCX (.docx)", "a zip archive", "a PNG image", ... or None when the first
    bytes name no format (text, or bytes of no known kind). ``data`` may be the file's head:
    a zip is told a DOCX only when it is whole."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "a DOCX (.docx)"
        except (zipfile.BadZipFile, OSError):
            pass
        return "a zip archive"
    return next((what for magic, what in _MAGIC if data.startswith(magic)), None)


def text_kind(data: bytes) -> str | None:
    """ "plain text", "HTML" or "RTF" when the first bytes are UTF-8 text (no NUL byte, almost no
    control bytes), else None: said of a file named .pdf or .docx that holds text, which was
    refused as "not a PDF", with no word of what it holds (an ops trial)."""
    sample = data[:4096]
    if not sample.strip() or b"\x00" in sample:
        return None
    try:
        head = sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 3:  # not only a character cut at the sample's end
            return None
        head = sample[: exc.start].decode("utf-8-sig")
    if sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 100:
        return None
    low = head.lstrip("\ufeff \t\r\n").lower()
    if low.startswith("{\\rtf"):
        return "RTF"
    # a page saved from a browser may open with a comment, an XML prolog or its <head>
    if low.startswith("<") and re.search(r"<(?:!doctype\s+html|html|head|body)\b", low[:2048]):
        return "HTML"
    return "plain text"


def rename_hint(what: str) -> str:
    """What to do with a file whose extension names another type than ``what`` it holds."""
    if what == "plain text":
        return "rename it to .txt (or .md) if this is the document's text, or ingest the real file"
    if what == "HTML":
        return "save the page as PDF or text and ingest that"
    if what == "RTF":
        return "save it as DOCX or PDF and ingest that"
    return f"rename it to its type ({what})"
