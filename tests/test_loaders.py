import json
from pathlib import Path

import docx
import pytest

from assistant.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NoTextError,
    UnsupportedFileError,
)
from evals.pdf_render import corrupt_pdf, encrypted_pdf, rulebook_pdf, scanned_pdf
from ingest.loaders import LoadOptions, load, strip_page_furniture


def test_pdf_keeps_pages_and_labels_and_drops_running_headers(tmp_path: Path) -> None:
    doc = load(rulebook_pdf(tmp_path / "aml.pdf"))
    assert doc.fmt == "pdf" and doc.rulebook == "AML" and doc.kind == "rules"
    assert "Version 2024" not in doc.text and "Page 1 of 2" not in doc.text
    labels = {ln.page_label for ln in doc.lines}
    assert labels == {"AML-1", "AML-2"}
    assert doc.title.startswith("ANTI-MONEY LAUNDERING")


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (corrupt_pdf, CorruptFileError, "corrupt or truncated PDF"),
        (encrypted_pdf, EncryptedFileError, "encrypted PDF"),
        (scanned_pdf, NoTextError, "no extractable text; OCR is not supported"),
    ],
)
def test_bad_pdfs_raise_named_errors(tmp_path: Path, make, error, words) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "bad.pdf")
    with pytest.raises(error) as info:
        load(path)
    assert str(path) in str(info.value) and words in str(info.value)


def test_empty_wrong_type_and_oversized_files(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("")
    with pytest.raises(EmptyFileError):
        load(tmp_path / "empty.md")
    (tmp_path / "x.exe").write_bytes(b"MZ")
    with pytest.raises(UnsupportedFileError, match="unsupported file type"):
        load(tmp_path / "x.exe")
    (tmp_path / "fake.pdf").write_text("hello, not a pdf")
    with pytest.raises(CorruptFileError, match="not a PDF"):
        load(tmp_path / "fake.pdf")
    (tmp_path / "big.txt").write_text("x" * 2000)
    with pytest.raises(FileTooLargeError):
        load(tmp_path / "big.txt", LoadOptions(max_bytes=1000))


def test_markdown_front_matter_sets_metadata(tmp_path: Path) -> None:
    p = tmp_path / "notes.md"
    p.write_text("---\ntitle: My digest\nkind: guidance\nrulebook: PIIF\nversion: 2024-10-04\n"
                 "jurisdiction: AIFC\n---\n# Heading\n\nBody text.\n")  # fmt: skip
    doc = load(p)
    assert (doc.title, doc.kind, doc.version) == ("My digest", "guidance", "2024-10-04")
    assert doc.text.startswith("# Heading") and doc.lines[0].heading == 1


def test_version_from_option_then_file_name(tmp_path: Path) -> None:
    p = tmp_path / "COB_Rules_2023-07-01.txt"
    p.write_text("COB 8.3.5 Client investments are recorded separately.")
    assert load(p).version == "2023-07-01"
    assert load(p, LoadOptions(version_date="2025-01-01")).version == "2025-01-01"


def test_adgm_file_names_give_their_version_date_and_a_clean_title(tmp_path: Path) -> None:
    """ADGM names its rulebooks' files with a version and its date, day first ("VER07.181223");
    it was read as no version, so --as-of could not tell versions apart (trials, thirtieth and
    thirty-first sessions); a " - " in a name left three spaces in the title."""
    for name, want in (("MIR_VER07.181223.txt", "2023-12-18"),
                       ("Guidance - Spot Commodities (VER02.181223).txt", "2023-12-18"),
                       ("CONF_VER03.18042019.txt", "2019-04-18"),
                       ("FinTech RegLab Guidance_VER01.31082016.txt", "2016-08-31"),
                       ("NOTES_VER01.310223.txt", None),  # no 31 February
                       ("SERVER2.181223.txt", None)):  # fmt: skip
        p = tmp_path / name
        p.write_text("1.1.1 A firm must keep records.")
        assert load(p, LoadOptions(jurisdiction="ADGM")).version == want, name
        # (a review) read as AIFC text, ADGM files' names give no version: unrelated files read
        # as one rulebook hid each other as its versions
        assert load(p).version is None, name
    assert load(tmp_path / "Guidance - Spot Commodities (VER02.181223).txt").title == (
        "Guidance Spot Commodities (VER02.181223)"
    )


def test_a_table_set_off_by_marker_lines_is_read_as_rows_of_cells(tmp_path: Path) -> None:
    """ADGM's rulebooks exported one provision a line set a table between "/Table Start" and
    "/Table End", its cells split by tabs: the tabs were read as spaces, so the column's unit
    ("(US $)") was no unit of "2 million", and the markers were quoted (an OTC broker's and a
    private-markets founder's trials, thirty-first session). A row's cells are joined by " | ",
    as a PDF's or a DOCX's are; a line with no tab, the rest of a cell, is left as it is."""
    p = tmp_path / "PRU_VER13.181223.txt"
    p.write_text("3.3.2\tThe table below sets out the Base Capital Requirement.\n/Table Start\n"
                 "Category\tBase Capital Requirement (US $)\n2\t2 million\n3C\t250,000, except:\n"
                 "a) 150,000 for a Public Fund; or\n\\Table End\n3.3.3\tA firm\tmust hold it.\n")  # fmt: skip
    text = load(p).text
    assert (
        "Category | Base Capital Requirement (US $)\n2 | 2 million\n3C | 250,000, except:" in text
    )
    # (a review) empty cells at a row's ends go, and an item's marker cell stays with its text
    p.write_text("/Table Start\n\t\t(i)\tthat are fully consolidated;\nX\t\u2713\t\t\n/Table End\n")
    assert load(p).text.split("\n")[1:3] == ["(i) | that are fully consolidated;", "X | \u2713"]
    assert "a) 150,000 for a Public Fund; or" in text
    assert "Table" not in text and "3.3.3 A firm must hold it." in text, text


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    p = tmp_path / "cp1251.txt"
    p.write_bytes("Правила AML 6.1.1 применяются к клиентам банка и бирж".encode("cp1251"))
    assert "AML 6.1.1" in load(p).text


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    d = docx.Document()
    d.core_properties.title = "Acme AML Policy"
    d.add_heading("7. Record keeping", level=1)
    d.add_paragraph("7.1 Records are kept for five years.")
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text = "Record"
    t.rows[0].cells[1].text = "Five years"
    p = tmp_path / "acme-policy.docx"
    d.save(str(p))
    doc = load(p)
    assert doc.kind == "policy" and doc.title == "Acme AML Policy"
    assert "7.1 Records are kept for five years." in doc.text and "Record | Five years" in doc.text
    assert doc.lines[0].heading == 1


def test_docx_that_is_another_zip_is_rejected(tmp_path: Path) -> None:
    import zipfile

    p = tmp_path / "fake.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(CorruptFileError, match=r"word/document\.xml"):
        load(p)


def test_jsonl_keeps_good_records_and_reports_bad_lines(tmp_path: Path) -> None:
    p = tmp_path / "passages.jsonl"
    lines = [json.dumps({"id": "p1", "text": "First passage.", "ref": "GEN 2.1.1"}), "{not json",
             json.dumps({"id": 7, "text": "Integer id."}), json.dumps({"text": "no id"}),
             json.dumps({"id": "p1", "text": "duplicate"})]  # fmt: skip
    p.write_text("\n".join(lines))
    doc = load(p)
    assert [r.id for r in doc.records] == ["p1", "7"]
    assert doc.metadata["bad_line_count"] == 3
    assert "line 2" in doc.metadata["bad_lines"] and "line 4" in doc.metadata["bad_lines"]


def test_jsonl_without_valid_records_fails(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text("nope\n")
    with pytest.raises(CorruptFileError, match="no valid JSONL records"):
        load(p)


def test_malformed_front_matter_is_reported_and_the_text_kept(tmp_path: Path) -> None:
    """Found by the new-user trial: a front matter YAML cannot parse ("title: AML: Rules") was
    ingested silently, without its version date, so --as-of answers could use the wrong version."""
    p = tmp_path / "aml.md"
    p.write_text("---\ntitle: AML: Rules\nversion: 2025-07-01\n---\n# AML\n\n1.1 Keep records.\n")
    doc = load(p)
    err = doc.metadata["front_matter_error"]
    assert "not valid YAML" in err and "line 2" in err and "lines 1-4" in err
    assert "Keep records." in doc.text and doc.version is None
    # well-formed front matter still gives its metadata, with no such entry
    p.write_text("---\ntitle: 'AML: Rules'\nversion: 2025-07-01\n---\n# AML\n\n1.1 Keep records.\n")
    good = load(p)
    assert good.version == "2025-07-01" and "front_matter_error" not in good.metadata


def test_front_matter_edge_cases_are_said_or_left_as_text(tmp_path: Path) -> None:
    """Review of the front-matter warning (helper): an unclosed block and a date YAML cannot build
    were silent or an unexpected error; a horizontal rule that opens a file is no front matter."""
    p = tmp_path / "gen.md"
    p.write_text("---\ntitle: GEN\nversion: 2025-07-01\n# GEN\n\n1.1 A rule.\n")  # never closed
    assert "not closed" in load(p).metadata["front_matter_error"]
    p.write_text("---\ntitle: GEN\nversion: 2025-13-45\n---\n# GEN\n\n1.1 A rule.\n")
    doc = load(p)
    assert "not valid YAML" in doc.metadata["front_matter_error"] and doc.version is None
    assert "1.1 A rule." in doc.text
    # a file that opens with a horizontal rule: its text is kept whole, and nothing is said
    p.write_text("---\nScope of these rules: all firms.\n---\n\n1.1 A rule.\n")
    doc = load(p)
    assert "front_matter_error" not in doc.metadata and "Scope of these rules" in doc.text


def test_a_quote_on_the_second_page_of_a_chunk_is_cited_on_that_page(tmp_path: Path) -> None:
    """Ops trial, 2026-12-04: a chunk running over two pages cited its first page for a quote on
    the second ("p. 1" for a sentence on page 2)."""
    from evals.pdf_render import build_pdf
    from ingest.chunker import chunk_document
    from ingest.settings import ChunkingSettings

    path = tmp_path / "memo.pdf"
    path.write_bytes(build_pdf(
        [["Internal memo on outsourcing.", "The register lists every outsourcing arrangement."],
         ["The outsourcing register must be reviewed by the board every six months."]],
        labels_prefix="M-"))  # fmt: skip
    doc = load(path)
    [chunk] = [c for c in chunk_document(doc, ChunkingSettings()) if "six months" in c.text]
    assert chunk.pages == (1, 2)
    at = chunk.text.index("The outsourcing register must")
    assert chunk.page_at(at) == (2, "M-2")
    assert chunk.page_at(0) == (1, "M-1")


def test_a_page_of_text_written_alike_on_every_page_is_not_furniture() -> None:
    """An ops trial (twentieth session): a 10-page text PDF, one line per page ("Page 1. Staff
    handbook rule 1: the company must ..."), lost every line as a running header and was refused
    as scanned. Real furniture still goes."""
    from ingest.loaders import strip_page_furniture

    alike = [
        f"Page {i}. Staff handbook rule {i}: the company must keep records." for i in range(10)
    ]
    assert strip_page_furniture(alike) == alike
    bodies = ["A firm must keep records.", "The MLRO reports yearly.", "Fees are paid in USD.",
              "Clients get notice first.", "Audits run each quarter.", "Keys are held offline."]  # fmt: skip
    pages = [f"AML Rules v2\nChapter one\n{b}\nMore about it here.\nfooter line\n{i + 1}"
             for i, b in enumerate(bodies[:4])]  # fmt: skip
    out = strip_page_furniture(pages)
    assert out == [f"{b}\nMore about it here." for b in bodies[:4]], out


def test_a_scanned_page_under_a_running_header_stays_empty() -> None:
    """A review (twentieth session): the guard above kept a scanned page's running header and
    footer as its text, so the page was no longer reported as scanned."""
    from ingest.loaders import strip_page_furniture

    head, foot = "AIFC AML Rules (AML) VER 3", "Effective 1 January 2024"
    pages = [f"{head}\nRule {i}.1 A firm must do thing {i} with care.\nMore text.\n{foot}\n{i + 1}"
             for i in range(5)]  # fmt: skip
    pages[2] = f"{head}\n{foot}\n3"
    out = strip_page_furniture(pages)
    assert out[2].strip() == "", out[2]
    assert all(head not in p and foot not in p for p in out)
    # (a second review) a header with the page's number in it is furniture too
    pages[2] = f"ACME AML Policy - page 3 of 5\n{foot}"
    for i in (0, 1, 3, 4):
        pages[i] = f"ACME AML Policy - page {i + 1} of 5\n" + pages[i]
    assert strip_page_furniture(pages)[2].strip() == ""


def _platypus_pdf(path: Path, title_page: bool = False) -> Path:
    """A rulebook PDF laid out by a layout engine: paragraphs wrapped over printed lines, a
    running header on every page, and (``title_page``) a cover whose only text is the header."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    ss = getSampleStyleSheet()
    head = "CONDUCT OF BUSINESS RULEBOOK (COB)"

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.drawString(72, 800, head)
        canvas.line(72, 795, 520, 795)
        canvas.drawString(72, 30, f"COB/VER1/2024   {doc.page}")

    body = [PageBreak()] if title_page else []
    body += [Paragraph("3.2 Marketing Material", ss["Heading2"])]
    body += [Paragraph(
        "3.2.5 An Authorised Person must: (a) ensure that any Marketing Material intended for "
        "Professional Clients is not sent or directed to any Persons who are not Professional "
        "Clients; and (b) take reasonable steps to ensure that no Person communicates the "
        "Marketing Material on behalf of the Authorised Person in breach of this section.",
        ss["Normal"])]  # fmt: skip
    body += [Paragraph(
        "3.2.6 An Authorised Person must keep a record of all Marketing Material it has issued "
        "for a minimum of six years from the date of its issue.", ss["Normal"])]  # fmt: skip
    body += [Paragraph("Guidance", ss["Heading3"])]
    body += [Paragraph(
        "1. The Regulator expects the record to show the date on which the material was first "
        "issued and the persons to whom it was sent (e.g. a distribution list).", ss["Normal"])]  # fmt: skip
    kept = ("books", "ledgers", "accounts", "files", "minutes", "registers", "logs")
    body += [Paragraph(f"3.3.{n} A firm of kind {n} must keep its {kept[n % 7]} in good order, "
                       "reconcile them every month and tell the Regulator in writing when they "
                       "change.", ss["Normal"]) for n in range(1, 41)]  # fmt: skip
    SimpleDocTemplate(str(path), pagesize=A4).build(body, onFirstPage=furniture,
                                                    onLaterPages=furniture)  # fmt: skip
    return path


def test_a_sentence_wrapped_over_printed_lines_of_a_pdf_is_one_line(tmp_path: Path) -> None:
    """A trial on rulebook PDFs (2026-12-05): the text layer ends each printed line with a line
    break, every line was read as a sentence, and the answer to "How long must a record of
    Marketing Material be kept?" quoted "... it has issued for a" without the six years."""
    from ingest.chunker import chunk_document
    from ingest.settings import ChunkingSettings

    doc = load(_platypus_pdf(tmp_path / "cob.pdf"))
    lines = doc.text.split("\n")
    rule = next(ln for ln in lines if ln.startswith("3.2.6"))
    assert rule.endswith("for a minimum of six years from the date of its issue."), lines
    # a heading line, a rule number and a list stem's items are not joined to what went before
    assert "3.2 Marketing Material" in lines and "Guidance" in lines
    assert any(ln.startswith("3.2.5 An Authorised Person must: (a) ensure") for ln in lines)
    assert any(ln.startswith("1. The Regulator expects") and ln.endswith("list).") for ln in lines)
    # the page number a footer puts third in the text layer is furniture, not rule text
    assert not any(ln.strip().isdigit() for ln in lines), [ln for ln in lines if ln.isdigit()]
    refs = [c.ref for c in chunk_document(doc, ChunkingSettings())]
    assert "COB 3.2.6" in refs and "COB 3.2.5" in refs and "COB 3.3.40" in refs, refs


def test_reflow_keeps_blocks_apart_and_joins_what_runs_on() -> None:
    from ingest.loaders import reflow

    wide = "Word " * 14 + "word"
    page = "\n".join([
        "PART 2 GENERAL", f"{wide} the firm must keep", "records for six years.",
        "Activity   USD 250,000", "Dealing as agent   USD 50,000",  # a table's rows
        f"{wide} non-", "Professional Clients only.", f"{wide} see", "(a) the first item;",
        f"{wide} as set out in", "3.2.1 of these Rules.", "Short heading", "Next sentence here.",
    ])  # fmt: skip
    out = reflow(page).split("\n")
    assert out[0] == "PART 2 GENERAL"
    assert out[1] == f"{wide} the firm must keep records for six years."
    assert out[2:4] == ["Activity   USD 250,000", "Dealing as agent   USD 50,000"]
    assert out[4] == f"{wide} non-Professional Clients only."
    assert out[5:7] == [f"{wide} see", "(a) the first item;"]
    # a rule number at a line's start is the chunker's to judge (a wrapped cross-reference or a
    # rule): never joined here
    assert out[7:9] == [f"{wide} as set out in", "3.2.1 of these Rules."]
    assert out[9:] == ["Short heading", "Next sentence here."]


def test_reflow_joins_a_figure_wrapped_after_the_word_that_introduces_it() -> None:
    """A CFO's trial on the real PRU rulebook (twenty-fifth session): "... must not be less than"
    / "10.0%." stayed two lines (the figure reads like a rule number opening a block), and the
    rule's sentence stated no figure; a table's cells stay apart, and so do list items."""
    from ingest.loaders import reflow

    page = "\n".join([
        "(c) The ratio of Capital Resources to Total Risk Exposure Amount must not be less than",
        "10.0%.",
        "(d) The firm must hold capital of at least",
        "USD 250,000 at all times; and",
        "(e) 25% of the total.",
    ])  # fmt: skip
    assert reflow(page).split("\n") == [
        "(c) The ratio of Capital Resources to Total Risk Exposure Amount must not be less than 10.0%.",
        "(d) The firm must hold capital of at least USD 250,000 at all times; and",
        "(e) 25% of the total.",
    ]
    # a market surveillance trial (twenty-fifth session): a reference wrapped after its noun
    # ("pursuant to Rule" / "2.3.5 will no longer act ...") began a quote mid-sentence, and a
    # bracket closed on the next line ("(trading" / "on) ...") read as a list label
    assert reflow("approved pursuant to Rule\n2.3.5 will no longer act") == (
        "approved pursuant to Rule 2.3.5 will no longer act")  # fmt: skip
    assert reflow("a facility (trading\non) the exchange") == "a facility (trading on) the exchange"
    # but not a heading ending in such a noun before its first rule (the real AML PDF)
    assert (
        reflow("10.3 Wire transfers and the Travel Rule\n10.3.1 In this section:").count("\n") == 1
    )
    # not after "as above", where a table's row ends before its next cell
    assert reflow("an RSF factor of 0% as above\n10%") == "an RSF factor of 0% as above\n10%"


def test_a_title_page_that_reads_as_the_running_header_is_no_scanned_page(tmp_path: Path) -> None:
    """A trial (2026-12-05): a cover page whose text is the running header lost all its text as
    furniture, drew a rule line, and was reported as scanned: every ingest exited 1."""
    doc = load(_platypus_pdf(tmp_path / "cob.pdf", title_page=True))
    assert "pages_without_text" not in doc.metadata, doc.metadata


def test_review_reflow_keeps_headings_lists_and_paragraph_ends_apart() -> None:
    """A review of the reflow (2026-12-05): a title-case heading as wide as the text was glued to
    the paragraph under it, "a." / "ii." list items to each other, a paragraph ending "etc." to
    the next, and a short last line of a joined paragraph counted the paragraph's length."""
    from ingest.loaders import reflow

    wide = "The Relevant Person must ensure that its systems and controls are adequate and"
    page = "\n".join([
        "Record Keeping Requirements for Digital Asset Service Providers and their Agents",
        "A Relevant Person must keep the records listed below in a form that allows it.",
        "The firm must maintain the following records:",
        "a. records of all transactions carried out with or for each customer and",
        "b. records of the customer due diligence measures applied to each customer",
        "ii. account files and business correspondence with the customer concerned.",
        "Firms should consider the nature of the relationship, the products, the channels etc.",
        "Senior management should approve the approach and document it in the policy.",
        wide, "kept under review", "Another paragraph starts here and says something else.",
    ])  # fmt: skip
    out = reflow(page).split("\n")
    assert out[0].endswith("their Agents") and out[1].startswith("A Relevant Person")
    assert [ln[:3] for ln in out[3:6]] == ["a. ", "b. ", "ii."]
    assert out[6].endswith("etc.") and out[7].startswith("Senior management")
    assert out[8] == f"{wide} kept under review" and out[9].startswith("Another paragraph")


def test_review_a_tables_last_figure_third_from_a_page_edge_is_kept() -> None:
    """A review (2026-12-05): with page numbers read three lines from an edge, a fee table's last
    amount ("500") at the foot of a page was dropped as a page number."""
    topics = ("custody", "dealing", "advice", "arranging")
    pages = [f"FEES RULES\nRule {n}.1 The fee for {t} is set out below.\nArranging Deals\n500\n"
             f"FEES/VER1\n{n + 1}" for n, t in enumerate(topics)]  # fmt: skip
    out = strip_page_furniture(pages)
    assert all(p.endswith("Arranging Deals\n500") and "FEES" not in p for p in out), out
    # a counter third from the edge (header, document code, page number) still goes
    pages = [f"TITLE\nCOB/VER15/08-23\n{n + 9}\nRule {n}.1 The fee for {t} is set out below."
             for n, t in enumerate(topics)]  # fmt: skip
    assert all(p.split("\n")[0].startswith("Rule") for p in strip_page_furniture(pages))


def test_review_an_in_force_status_is_no_version_date(tmp_path: Path) -> None:
    p = tmp_path / "aml-2025.md"
    p.write_text('---\nversion: "2025-07-01"\nin_force: true\n---\n# AML\n\nA rule.\n')
    doc = load(p)
    assert doc.version == "2025-07-01" and doc.metadata.get("in_force") is True


def test_review_a_page_n_line_third_from_the_edge_and_an_anonymous_title(tmp_path: Path) -> None:
    """A browser trial (2026-12-05): "Page 3" put third by the text layer (after the running
    header and a document code) stayed in a rule's text, and a PDF whose metadata title is
    reportlab's "(anonymous)" was listed under that title."""
    topics = ("custody", "dealing", "advice", "arranging")
    pages = [f"CUS RULES\nCUS/VER2/03-26\nPage {n + 1}\nRule {n}.1 The fee for {t} is set out here."
             for n, t in enumerate(topics)]  # fmt: skip
    assert all(p.startswith("Rule") and "Page" not in p for p in strip_page_furniture(pages))
    doc = load(_platypus_pdf(tmp_path / "cob.pdf"))
    assert doc.title == "CONDUCT OF BUSINESS RULEBOOK (COB)", doc.title


def test_a_front_matter_jurisdiction_is_stored_as_the_cli_stores_it(tmp_path: Path) -> None:
    """A review (twenty-fifth session): "jurisdiction: aifc" in a front matter was stored as
    written and marked "[aifc]", another regime's text; "rk" was no national law."""
    for written, stored in (("aifc", "AIFC"), (" rk ", "RK"), ("ADGM", "ADGM")):
        path = tmp_path / f"doc-{stored}.md"
        path.write_text(
            f"---\njurisdiction: '{written}'\n---\n# AML 1.1 Scope\n\nA firm must keep records.\n"
        )
        assert load(path).jurisdiction == stored


def test_another_regimes_rulebook_keeps_its_own_code(tmp_path: Path) -> None:
    """A founder's trial on ADGM's market rules (twenty-eighth session): ingested with
    ``--jurisdiction ADGM``, MIR_VER07.txt was stored as the AIFC's GEN and MKT_VER08.txt as MAR
    (its title "Market Rules"), and every rule cited so ("GEN 2.6.2" for MIR 2.6.2), even given
    ``--rulebook MKT``. Another regime's text keeps the code it gives itself, or none; the AIFC's
    own reading is unchanged."""
    body = "MARKET RULES\n1.1.1 The Rules in this Rulebook apply to every Person.\n"
    mkt = tmp_path / "MKT_VER08.181223.txt"
    mkt.write_text(body, encoding="utf-8")
    assert load(mkt, LoadOptions(jurisdiction="ADGM")).rulebook == "MKT"
    assert load(mkt, LoadOptions(jurisdiction="ADGM", rulebook="mkt")).rulebook == "MKT"
    # its chunks are that rulebook's too, and so stored (a lookup of "MKT 1.1.1" found none)
    from assistant.settings import ChunkingSettings
    from ingest.chunker import chunk_document

    chunks = chunk_document(load(mkt, LoadOptions(jurisdiction="ADGM")), ChunkingSettings())
    assert {(c.ref, c.rulebook) for c in chunks if c.ref} == {("MKT 1.1.1", "MKT")}
    assert load(mkt).rulebook == "MAR"  # AIFC: "MKT" is a name users give the AIFC's MAR
    assert load(mkt, LoadOptions(rulebook="pru")).rulebook == "PRU(INV)"
    mir = tmp_path / "MIR_VER07.181223.txt"
    mir.write_text("GENERAL RULES APPLY\n1.1.1 A Recognised Body must keep records.\n", "utf-8")
    assert load(mir, LoadOptions(jurisdiction="ADGM")).rulebook == "MIR"
    guide = tmp_path / "Guidance - Fund Managers of Venture Capital Funds.txt"
    guide.write_text(
        "General rules\nThe GEN Rules 3.3.1, GEN 3.3.2 and GEN 3.3.3 apply.\n", "utf-8"
    )
    assert load(guide, LoadOptions(jurisdiction="ADGM")).rulebook is None


def test_reflow_goes_on_after_an_article_a_reference_list_and_a_preposition() -> None:
    """A PDF user's trial on rendered real GEN and PRU (twenty-ninth session, PARSER_VERSION
    17): "... against the" / "Authorised Person and its Customers; and" was read as a heading
    (the quote ended "against the."); "Rules 2.1.2 and" / "2.1.3." opened a rule 2.1.3 that took
    GEN 2.1.1(2) to 2.1.2; in PRU's glossary "in accordance with Rule" / "A10.4.8.", "in COBS" /
    "14.2.6." and "as defined in" / "Schedule 1 of the FSMR" opened rules and a schedule."""
    from ingest.loaders import reflow

    def one(text: str) -> None:
        assert reflow(text).count("\n") == text.count("\n") - 1, reflow(text)

    one("(1) deter and prevent suspected fraud and other Financial Crimes against the\n"
        "Authorised Person and its Customers; and\n(2) report it")  # fmt: skip
    one("comply with the Principles in accordance with Rules 2.1.2 and\n2.1.3.\n(2) They apply")
    one("The amount calculated in accordance with Rule\nA10.4.8.\nBank Means a Credit Institution.")
    one("subject to the exclusions in COBS\n14.2.6.\nCLN Credit-linked note.")
    one("Means money as defined in\nSchedule 1 of the FSMR.\n2.1.1 A firm must")
    # what opens a block of its own stays apart: a rule after a finished sentence, a list item
    # after an article's line, a table's "n/a" cell, a rule opening with its title
    for apart in ("Status | n/a\nNext row | x", "must notify the\n(a) Regulator",
                  "as required by the FSRA\n3.2.1 An Authorised Person must", "A firm must.\n2.1.3.\nText"):  # fmt: skip
        assert reflow(apart) == apart, reflow(apart)


def test_markdown_emphasis_is_read_without_its_markers(tmp_path: Path) -> None:
    """A draft typed with Markdown emphasis keeps its words, not its stars: "**Deputy MLRO.**" was
    shown raw in the policy table, and "2. *Record keeping.* ..." opened no clause of its own (a
    browser trial, thirty-first session). Stars and underscores inside a word, a list's "* " and
    an unpaired star are text."""
    from assistant.policy.checker import parse_draft
    from ingest.settings import ChunkingSettings

    p = tmp_path / "draft.md"
    p.write_text("# AML Policy\n\n1. **Deputy MLRO.** The firm appoints a deputy MLRO.\n\n"
                 "2. *Record keeping.* Records are kept for three years.\n\n"
                 "3. __Training.__ Staff are trained once every two years; see AML_VER09 and 5*3.\n\n"
                 "* a list item with _its_ words\n")  # fmt: skip
    doc = load(p, LoadOptions(kind="policy"))
    assert "*" not in doc.text.replace("5*3", "").replace("* a list", "")
    assert "__" not in doc.text and "AML_VER09" in doc.text and "with its words" in doc.text
    _, clauses = parse_draft(p, 10_000_000, ChunkingSettings())
    texts = {c.number: c.text for c in clauses}
    assert texts["1"].startswith("1. Deputy MLRO. The firm")
    assert texts["2"].startswith("2. Record keeping. Records")
    assert texts["3"].startswith("3. Training. Staff")
    # (a review) nested emphasis, and stars or underscores that are no emphasis
    from ingest.loaders import _plain_emphasis

    assert _plain_emphasis("**bold *nested* bold**") == "bold nested bold"
    for kept in ("\\*not emphasis\\*", "https://x.com/_foo_/bar", "3.1(a)*, Rule 3.2(b)*, apply"):
        assert _plain_emphasis(kept) == kept


def test_numbered_clauses_as_a_markdown_lists_items_are_clauses_of_their_own(
    tmp_path: Path,
) -> None:
    """A consultant's trial (thirty-ninth session): "- **8.1** Copies ... four years." under
    "## 8. Record Keeping" was read with 8.2 as one clause ("clause 8"), and the four-year
    retention conflict hid behind 8.2's "six years"."""
    from assistant.policy.checker import parse_draft
    from ingest.settings import ChunkingSettings

    p = tmp_path / "draft.md"
    p.write_text("# AML Policy\n\n## 8. Record Keeping\n\n"
                 "- **8.1** Copies of due diligence documents are kept for four years.\n"
                 "- 8.2 Suspicion reports are kept for six years.\n"
                 "- **Board of Directors**\n  - approves this Policy\n")  # fmt: skip
    _, clauses = parse_draft(p, 10_000_000, ChunkingSettings())
    texts = {c.number: c.text for c in clauses}
    assert "four years" in texts["8.1"] and "six years" not in texts["8.1"], texts
    assert "six years" in texts["8.2"] and "Board of Directors" in texts["8.2"], texts
    # (a review) a bullet opening with a figure is no clause number
    p.write_text("# AML Policy\n\n## 8. Record Keeping\n\nRecords are kept as follows.\n\n"
                 "- 5 years for due diligence records\n- 6 years for transaction records\n"
                 "* 24 hours notice is given to the MLRO\n")  # fmt: skip
    _, clauses = parse_draft(p, 10_000_000, ChunkingSettings())
    assert not {"5", "6", "24"} & {c.number for c in clauses}, [c.number for c in clauses]


def test_a_pdf_opening_with_a_section_heading_is_titled_by_its_file_name(tmp_path: Path) -> None:
    """An IT administrator's trial (thirty-eighth session): two PDFs without a title in their
    metadata were listed and cited as "1. INTRODUCTION" and "1. Introduction" and could not be
    told apart."""
    from evals.pdf_render import build_pdf

    path = tmp_path / "Private Credit Funds guidance.pdf"
    path.write_bytes(build_pdf([["1. INTRODUCTION", "1.1 This Guidance applies to a Fund Manager "
                                 "of a Private Credit Fund and sets out what it must do."]]))  # fmt: skip
    assert load(path).title == "Private Credit Funds guidance"
    titled = tmp_path / "other.pdf"
    titled.write_bytes(build_pdf([["Guidance on Private Credit Funds", "1. INTRODUCTION",
                                   "1.1 This Guidance applies to a Fund Manager."]]))  # fmt: skip
    assert load(titled).title == "Guidance on Private Credit Funds"


def test_a_docx_footnote_is_read_after_the_body(tmp_path: Path) -> None:
    """A consultant's trial (thirty-ninth session): a DOCX policy's footnote was dropped, where
    the same policy as a PDF had it read."""
    import zipfile

    import docx

    plain = tmp_path / "plain.docx"
    d = docx.Document()
    p = d.add_paragraph("1. Suspicious activity is reported through goAML.")
    # the body refers to footnote 2 first: Word numbers it 1 (a review)
    w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree

    for fid in ("2", "1"):
        run = etree.SubElement(p._p, f"{{{w_ns}}}r")
        etree.SubElement(run, f"{{{w_ns}}}footnoteReference").set(f"{{{w_ns}}}id", fid)
    d.save(str(plain))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (f'<w:footnotes xmlns:w="{w}"><w:footnote w:id="-1"><w:p><w:r><w:t>sep</w:t></w:r>'
             '</w:p></w:footnote><w:footnote w:id="0"><w:p/></w:footnote><w:footnote w:id="2">'
             "<w:p><w:r><w:t>goAML is the FIU's online reporting platform.</w:t></w:r></w:p>"
             '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Second note.</w:t></w:r></w:p>'
             "</w:footnote></w:footnotes>")  # fmt: skip
    with_notes = tmp_path / "notes.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(with_notes, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/footnotes.xml", notes)
    doc = load(with_notes, LoadOptions(kind="policy"))
    assert doc.text.endswith(
        "Footnotes\n[1] goAML is the FIU's online reporting platform.\n[2] Second note."
    ), doc.text
    assert "sep" not in doc.text
    assert "Footnotes" not in load(plain, LoadOptions(kind="policy")).text
