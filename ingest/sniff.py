"""What a file holds, read from its first bytes: the one reading the loaders use to say that a
file's extension is wrong ("the content is a PDF, not a DOCX")."""

from __future__ import annotations

import io
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
