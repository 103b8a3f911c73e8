"""The PDF route on real rulebook text (ObliQA ADGM rulebooks rendered in rulebook layout).

Fast tests score chunk refs and pages against the source text for the AML, COBS and GEN
rulebooks and the Virtual Asset guidance (no embedding). The slow test compares rule-level
hit@5 on the AML ``check`` questions through the PDF route and as JSONL passages, with the
real bundled model. PDFs and indexes live in pytest's tmp_path, never in the repository.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from evals.real.pdf_route import BOOKS, chunk_rule, measure_parity, measure_refs, obliqa_dir, render
from ingest.chunker import chunk_document
from ingest.loaders import load
from ingest.settings import ChunkingSettings

REF_GATE = 0.98  # share of chunks whose ref is the source's rule number
PAGE_GATE = 0.98  # share of chunks whose first page is where their text is printed
PARITY_POINTS = 2.0  # PDF route's rule-level hit@5 within this many points of JSONL passages

pytestmark = pytest.mark.skipif(
    not (obliqa_dir() / "rulebooks-txt").is_dir(),
    reason=f"ObliQA data not found at {obliqa_dir()} (set REGASSIST_OBLIQA_DIR)",
)


@pytest.mark.parametrize(
    ("key", "joined"),
    [("AML", True), ("COBS", True), ("GEN", True), ("VA", True), ("COBS", False), ("GEN", False)],
)
def test_rendered_rulebook_chunks_carry_the_source_rule_and_page(
    key: str, joined: bool, tmp_path: Path
) -> None:
    """``joined=False``: margin numbers and labels come out of the PDF on lines of their own."""
    rep = measure_refs(BOOKS[key], tmp_path, joined=joined)
    assert rep.pages > 40 and rep.chunks > 200  # a whole rulebook, not an excerpt
    assert rep.unaligned < 0.01  # the extracted text holds what was printed
    assert rep.ref_accuracy >= REF_GATE, rep.wrong[:5]
    assert rep.page_accuracy >= PAGE_GATE, rep.wrong[:5]
    assert rep.coverage >= 0.99  # nothing the rulebook says is dropped on the way in


def test_rendering_is_a_real_rulebook_layout(tmp_path: Path) -> None:
    """Margin rule numbers, (1)/(a) paragraphs, Guidance, tables, header and footer, rules
    crossing pages, inserted rules (9.3.1A) and the page map the scores rely on."""
    rendered = render(BOOKS["AML"], tmp_path)
    assert rendered.pages > 60
    crossing = [p for p in rendered.provisions if len(p.pages) > 1]
    assert len(crossing) > 20
    page2 = pdfium.PdfDocument(rendered.path)[1].get_textpage().get_text_range()
    assert "Anti-Money Laundering and Sanctions Rules and Guidance (AML)" in page2  # header
    assert "AML VER09.211223" in page2 and "1.1.1" in page2 and "(1)" in page2
    doc = load(rendered.path)
    assert doc.rulebook == "AML" and "VER09.211223" not in doc.text  # furniture stripped
    chunks = chunk_document(doc, ChunkingSettings())
    refs = {c.ref for c in chunks}
    assert {"AML 9.3.1A", "AML 9.3.1B", "AML 1.2.1", "AML 2"} <= refs
    table = next(c for c in chunks if "Applicable Chapter(s)" in c.text)
    assert table.ref == "AML 1.2.1" and table.is_guidance
    by_rule = {chunk_rule(c.ref) for c in chunks if c.pages and len(c.pages) > 1}
    assert by_rule  # chunks that cross a page break keep one rule and both pages


@pytest.mark.slow
def test_pdf_route_retrieval_parity_with_jsonl_passages_on_aml(tmp_path: Path) -> None:
    rep = measure_parity(BOOKS["AML"], tmp_path)
    assert rep.questions >= 100
    assert rep.hit5_jsonl - rep.hit5_pdf <= PARITY_POINTS / 100, rep
