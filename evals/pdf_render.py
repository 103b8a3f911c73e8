"""Test PDFs built on the fly (reportlab + pypdf): rulebook layout, encrypted, scanned, corrupt."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

RULEBOOK_PAGES: list[list[str]] = [
    [
        "ANTI-MONEY LAUNDERING, COUNTER-TERRORIST FINANCING AND SANCTIONS RULES",
        "CHAPTER 6 CUSTOMER DUE DILIGENCE",
        "6.1.1 When customer due diligence is required",
        "(1) A Relevant Person must undertake Customer Due Diligence for every customer.",
        "(a) for an occasional transaction of USD 15,000 or more; and",
        "(a-a) for an occasional transaction in Digital Assets of USD 1,000 or more.",
        "Guidance",
        "A Relevant Person should treat linked transactions as one transaction.",
        "6.1.2 [intentionally omitted]",
        "6.1.3 Timing of Customer Due Diligence",
        "(1) A Relevant Person must complete Customer Due Diligence before it",
        "establishes a business relationship with the customer.",
    ],
    [
        "(2) Verification may be completed after the relationship is established where",
        "this is necessary not to interrupt the normal conduct of business.",
        "CHAPTER 11-1 TRANSFER OF DIGITAL ASSETS",
        "11-1.1 Digital Asset transfer",
        "(1) An originating Digital Asset Service Provider must immediately and securely",
        "submit the originator and beneficiary information to the beneficiary provider.",
        "13.1.3 Residence of the MLRO",
        "The MLRO must be resident in the Republic of Kazakhstan.",
    ],
]


def build_pdf(pages: list[list[str]], *, header: str | None = None, footer: bool = True,
              labels_prefix: str | None = None) -> bytes:  # fmt: skip
    """A text PDF, one list of lines per page, with optional running header and page footer."""
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _, height = A4
    for n, lines in enumerate(pages, start=1):
        y = height - 50
        if header:
            c.drawString(50, y, header)
            y -= 30
        for line in lines:
            c.drawString(50, y, line)
            y -= 18
        if footer:
            c.drawString(280, 30, f"Page {n} of {len(pages)}")
        c.showPage()
    c.save()
    data = buf.getvalue()
    if labels_prefix is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.set_page_label(0, len(pages) - 1, style="/D", prefix=labels_prefix, start=1)  # type: ignore[arg-type]
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def rulebook_pdf(path: Path) -> Path:
    path.write_bytes(build_pdf(RULEBOOK_PAGES, header="AML Rules (unofficial test copy) - Version 2024",
                               labels_prefix="AML-"))  # fmt: skip
    return path


def encrypted_pdf(path: Path, password: str = "secret") -> Path:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(build_pdf([["Confidential rule text here."]]))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF with a drawing but no text layer, as a scanner produces."""
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(50, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def corrupt_pdf(path: Path) -> Path:
    data = build_pdf(RULEBOOK_PAGES)
    path.write_bytes(data[: len(data) // 3])
    return path
