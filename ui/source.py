"""Open the source at the quote: a PDF page rendered with the quoted lines highlighted, or the
rule in its section with the quote marked.

Chunks keep their pages but not character offsets, so positions are found at view time: the
quote's letters and digits are matched against the page's characters from pypdfium2's text page
(whitespace, hyphenation and ligatures ignored), and the matched characters' boxes are merged
into line rectangles. Nothing is re-ingested.

PDFium is not thread-safe and Streamlit runs each session in its own thread: every call into
pypdfium2 here (opening, rendering, reading text, closing) holds the one module lock ``PDFIUM``.
"""

from __future__ import annotations

import html
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from ui.common import plain

HIGHLIGHT = (255, 214, 0, 110)  # translucent yellow
SCALE = 2.0
PDFIUM = threading.Lock()  # PDFium must never be entered from two threads at once


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float


def _fold(ch: str) -> str:
    """Letters and digits only, lower case, ligatures split (NFKC): what matching compares."""
    return "".join(c for c in unicodedata.normalize("NFKC", ch).lower() if c.isalnum())


def find_span(chars: list[str], quote: str) -> tuple[int, int] | None:
    """Indices [first, last] into ``chars`` (one string per PDF character) where ``quote``
    occurs, ignoring everything but letters and digits. A quote that runs over a page break is
    matched by its longest opening (or closing) part on this page, at least 20 letters."""
    folded, owner = [], []
    for i, ch in enumerate(chars):
        for c in _fold(ch):
            folded.append(c)
            owner.append(i)
    hay, needle = "".join(folded), _fold(quote)
    if not needle or not hay:
        return None
    at = hay.find(needle)
    span = (at, at + len(needle) - 1) if at >= 0 else None
    for size in range(len(needle) - 1, 19, -5) if span is None else ():
        at = hay.find(needle[:size])
        if at >= 0:  # the opening part: extend it as far as it keeps matching
            while size < len(needle) and at + size < len(hay) and hay[at + size] == needle[size]:
                size += 1
            span = (at, at + size - 1)
            break
        at = hay.find(needle[-size:])
        if at >= 0:  # the closing part: extend it backwards
            while size < len(needle) and at > 0 and hay[at - 1] == needle[-size - 1]:
                at, size = at - 1, size + 1
            span = (at, at + size - 1)
            break
    if span is None:
        return None
    first, last = owner[span[0]], owner[span[1]]
    while first > 0 and not chars[first - 1].isspace() and not _fold(chars[first - 1]):
        first -= 1  # the opening "(" of "(a-a)"
    while last + 1 < len(chars) and not chars[last + 1].isspace() and not _fold(chars[last + 1]):
        last += 1  # the closing "." or ")"
    return first, last


def line_boxes(boxes: list[Box]) -> list[Box]:
    """Character boxes merged into one rectangle per line."""
    lines: list[Box] = []
    for b in boxes:
        last = lines[-1] if lines else None
        overlap = min(last.top, b.top) - max(last.bottom, b.bottom) if last else 0.0
        small = min(last.top - last.bottom, b.top - b.bottom) if last else 0.0
        if last and overlap > 0.5 * small and b.left >= last.left - 1:
            lines[-1] = Box(min(last.left, b.left), min(last.bottom, b.bottom),
                            max(last.right, b.right), max(last.top, b.top))  # fmt: skip
        else:
            lines.append(b)
    return lines


def pdf_page(path: str | Path, page_no: int, quote: str | None = None, password: str | None = None):  # type: ignore[no-untyped-def]
    """(PIL image of page ``page_no`` (1-based), the highlighted line boxes in image pixels)."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    with PDFIUM:
        pdf = pdfium.PdfDocument(str(path), password=password)
        try:
            page = pdf[max(0, min(page_no, len(pdf)) - 1)]
            try:
                height = page.get_height()
                bitmap = page.render(scale=SCALE)
                try:
                    image = bitmap.to_pil().convert("RGBA")  # a copy: the bitmap can go
                finally:
                    bitmap.close()
                rects: list[tuple[float, float, float, float]] = []
                if quote:
                    tp = page.get_textpage()
                    try:
                        n = tp.count_chars()
                        chars = [chr(pdfium.raw.FPDFText_GetUnicode(tp, i) or 32) for i in range(n)]
                        span = find_span(chars, quote)
                        boxes = [Box(*tp.get_charbox(i)) for i in range(span[0], span[1] + 1)
                                 if not chars[i].isspace()] if span else []  # fmt: skip
                    finally:
                        tp.close()
                    for b in line_boxes([b for b in boxes if b.right > b.left]):
                        rects.append(((b.left - 2) * SCALE, (height - b.top - 2) * SCALE,
                                      (b.right + 2) * SCALE, (height - b.bottom + 2) * SCALE))  # fmt: skip
            finally:
                page.close()
        finally:
            pdf.close()
    if rects:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for r in rects:
            draw.rectangle(r, fill=HIGHLIGHT)
        image = Image.alpha_composite(image, overlay)
    return image.convert("RGB"), rects


def section_chunks(index: Any, doc_id: str, chunk_id: str, around: int = 3) -> list[Any]:
    """The cited chunk with its neighbours in the same section (same heading path above it)."""
    ids = index.catalog.chunk_ids(doc_id)
    chunks = sorted(index.catalog.chunks(ids).values(), key=lambda c: c.ordinal)
    at = next((i for i, c in enumerate(chunks) if c.chunk_id == chunk_id), None)
    if at is None:
        return []
    section = chunks[at].heading_path[:-1]
    same = [c for c in chunks if c.heading_path[: len(section)] == section]
    k = same.index(chunks[at])
    return same[max(0, k - around) : k + around + 1]


def marked(text: str, quote: str | None) -> str:
    """HTML-escaped ``text`` with ``quote`` wrapped in <mark>."""
    text = plain(text)
    q = plain(quote or "")
    at = text.find(q) if q else -1
    if at < 0:
        return html.escape(text).replace("\n", "<br>")
    return (html.escape(text[:at]) + "<mark>" + html.escape(q) + "</mark>"
            + html.escape(text[at + len(q) :])).replace("\n", "<br>")  # fmt: skip


def show_source(index: Any, c: dict[str, Any]) -> None:
    """The cited source: PDF page with the quote highlighted, or the rule in its section."""
    doc = index.catalog.document(c["doc_id"])
    if doc is None:
        st.warning("This document is no longer in the index.")
        return
    src = Path(doc["source"])
    if doc["fmt"] == "pdf" and src.is_file():
        page = int(c.get("page") or 1)
        chunk = index.catalog.chunks([c["chunk_id"]]).get(c["chunk_id"])
        pages = [p for p in (chunk.pages if chunk else ()) if p >= page][:3] or [page]
        labels = dict(zip(chunk.pages, chunk.page_labels, strict=False)) if chunk else {}
        try:
            shown = [(p, *pdf_page(src, p, c["quote"])) for p in pages]
        except Exception as exc:  # a file changed or locked since ingest: say so, show the text
            st.warning(
                f"Cannot render the PDF page ({type(exc).__name__}); the indexed text follows."
            )
        else:
            # the cited page, and the next ones when the quote runs over a page break
            for i, (p, image, rects) in enumerate(shown):
                if i and not rects:
                    break
                note = "" if rects else " (the quote could not be located on this page)"
                st.image(image, caption=f"{doc['title']}, page {labels.get(p) or p}{note}")
            return
    chunks = section_chunks(index, c["doc_id"], c["chunk_id"])
    if chunks and chunks[0].heading_path:
        st.caption(" › ".join(plain(h) for h in chunks[0].heading_path[:-1]) or doc["title"])
    body = []
    for ch in chunks:
        if ch.chunk_id == c["chunk_id"]:
            body.append(f"<div class='regassist-cited'>{marked(ch.text, c['quote'])}</div>")
        else:
            # (0.6 read 3.9:1 against white, under the 4.5:1 text needs; a screen-reader user's
            # trial, thirty-ninth session)
            body.append(f"<div style='opacity:0.78'>{marked(ch.text, None)}</div>")
    st.html("<div style='font-size:0.92rem;line-height:1.5'>" + "<hr>".join(body) + "</div>")


def show_document(index: Any, doc: dict[str, Any], page: int = 1) -> None:
    """A whole document from the Library: a PDF page, or the text rule by rule."""
    src = Path(doc["source"])
    if doc["fmt"] == "pdf" and src.is_file():
        image, _ = pdf_page(src, page)
        st.image(image, caption=f"{doc['title']}, page {page}")
        return
    ids = index.catalog.chunk_ids(doc["doc_id"])
    chunks = sorted(index.catalog.chunks(ids).values(), key=lambda c: c.ordinal)
    st.html("<div style='font-size:0.92rem;line-height:1.5'>"
            + "<hr>".join(marked(c.text, None) for c in chunks) + "</div>")  # fmt: skip


def pdf_pages(path: str | Path) -> int:
    import pypdfium2 as pdfium

    with PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
