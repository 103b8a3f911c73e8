"""A hostile-input trial of ingest, 2026-12-04 (fifteenth session): text a DOCX holds outside
python-docx's paragraph runs, PDF text layers that are not text, ligatures, a damaged page, and a
file edited to duplicate another. Each was reported "added", exit 0, with text lost or garbage
indexed."""

from __future__ import annotations

import copy
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.cli.main import main
from ingest.loaders import LoadOptions, _normalise, load, unreadable_reason

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _docx(path: Path) -> Path:
    """A DOCX with a clause in a content control, a run inserted with track changes, a field, a
    smart tag, a deleted run and a table nested in a cell."""
    import docx
    from lxml import etree

    d = docx.Document()
    d.add_paragraph("1.1 Visible clause: records are kept for six years.")
    body = d.element.body
    sect = body[-1]  # sectPr stays last

    def para(*runs: etree._Element) -> etree._Element:
        p = etree.SubElement(body, _w("p"))
        for r in runs:
            p.append(r)
        sect.addprevious(p)
        return p

    def run(text: str, tag: str = "t") -> etree._Element:
        r = etree.Element(_w("r"))
        t = etree.SubElement(r, _w(tag))
        t.text = text
        return r

    sdt = etree.Element(_w("sdt"))
    content = etree.SubElement(sdt, _w("sdtContent"))
    inner = etree.SubElement(content, _w("p"))
    inner.append(run("1.2 Wrapped clause: the MLRO reports suspicions within 24 hours."))
    sect.addprevious(sdt)
    ins = etree.Element(_w("ins"))
    ins.append(run("within five days "))
    deleted = etree.Element(_w("del"))
    deleted.append(run("within ninety days ", "delText"))
    para(run("1.3 The MLRO must report "), ins, deleted, run("to the AFSA."))
    fld = etree.Element(_w("fldSimple"))
    fld.append(run("fieldtext"))
    smart = etree.Element(_w("smartTag"))
    smart.append(run("smarttagtext"))
    para(run("1.4 Field: "), fld, run(" and "), smart)
    outer = d.add_table(rows=1, cols=1)
    nested = outer.cell(0, 0).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "Nested rule"
    nested.cell(0, 1).text = "records must be kept"
    body.remove(outer._tbl)
    sect.addprevious(outer._tbl)
    d.save(str(path))
    return path


def test_docx_text_in_content_controls_insertions_fields_and_nested_tables_is_read(
    tmp_path: Path,
) -> None:
    text = load(_docx(tmp_path / "policy.docx"), LoadOptions()).text
    for said in ("1.2 Wrapped clause: the MLRO reports suspicions within 24 hours.",
                 "1.3 The MLRO must report within five days to the AFSA.",
                 "1.4 Field: fieldtext and smarttagtext", "Nested rule | records must be kept"):  # fmt: skip
        assert said in text, text
    assert "ninety" not in text  # deleted with track changes: not the document's text


def test_a_docx_whose_only_text_is_in_a_content_control_is_not_empty(tmp_path: Path) -> None:
    import docx
    from lxml import etree

    d = docx.Document()
    sdt = etree.Element(_w("sdt"))
    p = etree.SubElement(etree.SubElement(sdt, _w("sdtContent")), _w("p"))
    etree.SubElement(etree.SubElement(p, _w("r")), _w("t")).text = "2.1 All of it: we keep records."
    d.element.body[-1].addprevious(sdt)
    d.save(str(tmp_path / "only.docx"))
    assert "2.1 All of it" in load(tmp_path / "only.docx", LoadOptions()).text


@pytest.mark.parametrize(
    "layer",
    [
        "/g52/g189/g21/g179/g135/g30/g191/g162/g32/g162/g2/g73/g178/g18/g111/g69"
        * 8,  # glyph names
        "ÐâìÂöÌ˜»ôû©áþ¶ðÌ…ÉÊ£°ŠŠúéãàîƒ§àéóš¾ßœÚØ†ÏÜŒÇýÔ€´à‰À•¿Òù‘úå" * 4,  # bytes as Latin-1
        ':1<#9"/[<<6657&%>]>&{;<,>=<1!=%=+[860$~^%=^6".^2‘[072.^;_~~}' * 4,  # symbols
        "\x08\x13\x12\x05\x0c\x1e\x14\x10\x15\x13\x03\x14\x01\x1e abc" * 8,  # controls
    ],
)
def test_a_text_layer_that_is_not_text_is_named(layer: str) -> None:
    assert unreadable_reason(layer) is not None


@pytest.mark.parametrize(
    "text",
    [
        "A Relevant Person must keep records for at least six years from the date of the "
        "transaction. " * 5,
        "USD 250,000 | USD 500,000 | 10% | 2024-01-01 | AML 6.1.1(a-a) | FSFR s.24 " * 5,
        "Ұйым клиенттің жеке басын тексеруі тиіс және құжаттарды алты жыл сақтайды. " * 5,
        "金融机构应当在六年内保存客户身份资料和交易记录，并向监管机构报告可疑交易。" * 5,
    ],
)
def test_real_text_layers_are_readable(text: str) -> None:
    assert unreadable_reason(text) is None, text


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(3):
        y = 800
        for line in lines:
            c.drawString(72, y, f"{line} (page {page + 1})")
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


def test_a_pdf_page_that_cannot_be_decoded_is_a_warning_naming_it(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    src = PdfReader(BytesIO(_pdf(["A firm must keep records for six years."] * 5)))
    writer = PdfWriter()
    for page in src.pages:
        writer.add_page(page)
    stream = writer.pages[1].get_contents()
    assert stream is not None
    broken = copy.copy(stream)
    broken.set_data(b"not flate data at all")
    broken[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[1][NameObject("/Contents")] = writer._add_object(broken)
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "damaged.pdf").open("wb") as f:
        writer.write(f)
    res = CliRunner().invoke(main, ["ingest", str(folder), "--data-dir", str(tmp_path / "d")])
    assert res.exit_code == 1, res.output
    assert "added" in res.output and "page 2 could not be decoded" in res.output, res.output


def test_ligatures_are_read_as_their_letters() -> None:
    assert _normalise("Beneﬁcial ﬁnancial ﬂag eﬀect") == "Beneficial financial flag effect"


def test_a_file_edited_to_duplicate_another_leaves_what_a_fresh_ingest_makes(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text("# A\n\nAlpha: records are kept for six years by the firm.\n")
    (src / "b.md").write_text("# B\n\nBeta: due diligence on every customer before onboarding.\n")

    def ingest(data: str) -> str:
        res = CliRunner().invoke(main, ["ingest", str(src), "--data-dir", str(tmp_path / data)])
        return res.output

    ingest("d")
    (src / "b.md").write_text((src / "a.md").read_text())
    out = ingest("d")
    assert "duplicate" in out and "earlier version was removed" in out, out
    fresh = ingest("fresh")
    assert "duplicate" in fresh

    def ids(data: str) -> list[str]:
        out = CliRunner().invoke(main, ["docs", "--data-dir", str(tmp_path / data)]).output
        return [ln.split()[0] for ln in out.splitlines()[1:] if ln.strip()]

    assert ids("d") == ids("fresh") and len(ids("d")) == 1, (ids("d"), ids("fresh"))


def test_small_ingest_messages_say_what_happened(tmp_path: Path) -> None:
    """The same trial's smaller findings: a file gone during the batch read "not a regular
    file"; a protected DOCX "not a zip archive"; a DOCX named .pdf only "no %PDF header"; a
    limit of 0.5 MB was printed "0 MB"."""
    from ingest.errors import CorruptFileError, EncryptedFileError, FileTooLargeError
    from ingest.errors import MissingFileError as Missing

    with pytest.raises(Missing, match="removed during the ingest"):
        load(tmp_path / "gone.md", LoadOptions())
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    (tmp_path / "locked.docx").write_bytes(ole + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(EncryptedFileError, match="password-protected DOCX"):
        load(tmp_path / "locked.docx", LoadOptions())
    (tmp_path / "old.docx").write_bytes(ole)
    with pytest.raises(CorruptFileError, match=r"binary Word \.doc"):
        load(tmp_path / "old.docx", LoadOptions())
    (tmp_path / "policy.pdf").write_bytes(_docx(tmp_path / "p.docx").read_bytes())
    with pytest.raises(CorruptFileError, match="the content is a DOCX"):
        load(tmp_path / "policy.pdf", LoadOptions())
    # text named .pdf or .docx said only "no %PDF header" / "not a zip archive" (eighteenth session)
    (tmp_path / "rules.pdf").write_text("# AML 1.1\n\nA Firm must keep records for six years.\n")
    with pytest.raises(CorruptFileError, match=r"the content is plain text") as exc:
        load(tmp_path / "rules.pdf", LoadOptions())
    assert "rename it to .txt" in str(exc.value.hint)
    (tmp_path / "rules.docx").write_bytes((tmp_path / "rules.pdf").read_bytes())
    with pytest.raises(CorruptFileError, match=r"not a valid DOCX: the content is plain text"):
        load(tmp_path / "rules.docx", LoadOptions())
    (tmp_path / "page.pdf").write_text("<!DOCTYPE html><html><body>AML</body></html>")
    with pytest.raises(CorruptFileError, match=r"the content is HTML"):
        load(tmp_path / "page.pdf", LoadOptions())
    # a review: HTML saved with a comment, a prolog or only a <head> first; RTF is not "plain text"
    for i, page in enumerate(("<head><title>404</title></head><body>Not found</body>",
                              "\ufeff<!-- saved from url --><!DOCTYPE html><html></html>",
                              '<?xml version="1.0"?><html xmlns="x"><body>AML</body></html>')):  # fmt: skip
        (tmp_path / f"p{i}.pdf").write_text(page, encoding="utf-8")
        with pytest.raises(CorruptFileError, match=r"the content is HTML"):
            load(tmp_path / f"p{i}.pdf", LoadOptions())
    (tmp_path / "policy.docx").write_text("{\\rtf1\\ansi The Firm keeps records.}")
    with pytest.raises(CorruptFileError, match=r"the content is RTF") as rtf:
        load(tmp_path / "policy.docx", LoadOptions())
    assert "save it as DOCX or PDF" in str(rtf.value)
    (tmp_path / "noise.pdf").write_bytes(bytes(range(256)) * 8)  # binary: no kind claimed
    with pytest.raises(CorruptFileError, match=r"no %PDF header\)\n  hint: check the file type"):
        load(tmp_path / "noise.pdf", LoadOptions())
    (tmp_path / "big.md").write_text("# Big\n\n" + "A firm keeps records. " * 40_000)
    with pytest.raises(FileTooLargeError, match=r"over the 0\.5 MB limit"):
        load(tmp_path / "big.md", LoadOptions(max_bytes=2**19))


def test_a_linked_folder_is_listed_and_a_file_name_keeps_to_one_line(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ext.md").write_text("# Ext\n\nA firm keeps records for six years.\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "linked").symlink_to(outside)
    (tree / "new\nline.md").write_text("# New\n\nA firm files an annual return.\n")
    res = CliRunner().invoke(main, ["ingest", str(tree), "--data-dir", str(tmp_path / "d")])
    assert "linked" in res.output and "not followed" in res.output, res.output
    assert any(ln.startswith("added") and "new\\nline.md" in ln for ln in res.output.splitlines())


def test_a_linked_file_in_a_folder_is_not_followed(tmp_path: Path) -> None:
    """A security review (twenty-third session): "passwd.md", a link in a client's folder to a
    file outside it, was followed and its target indexed and searchable (the README said links
    inside a folder are not followed; only linked folders were not). Given by name, it is."""
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nroot secret line for the operator only.\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "ok.md").write_text("# Ok\n\nA firm keeps records for six years.\n")
    (tree / "passwd.md").symlink_to(outside)
    data = str(tmp_path / "d")
    res = CliRunner().invoke(main, ["ingest", str(tree), "--data-dir", data])
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if "passwd.md" in ln)
    assert line.startswith("skipped") and "not followed" in line, res.output
    found = CliRunner().invoke(main, ["search", "root secret line", "--data-dir", data])
    assert "root secret line" not in found.output, found.output
    named = CliRunner().invoke(main, ["ingest", str(tree / "passwd.md"), "--data-dir", data])
    assert named.exit_code == 0 and "added" in named.output, named.output
    # a link within the folder is followed (a Kubernetes volume's "fees.md -> ..data/fees.md",
    # its "..data" a link to the current version's folder: a review)
    k8s = tmp_path / "k8s"
    (k8s / "..2026_01").mkdir(parents=True)
    (k8s / "..2026_01" / "fees.md").write_text("# Fees\n\nThe application fee is USD 3,100.\n")
    (k8s / "..data").symlink_to(k8s / "..2026_01")
    (k8s / "fees.md").symlink_to(k8s / "..data" / "fees.md")
    res = CliRunner().invoke(main, ["ingest", str(k8s), "--data-dir", data])
    assert f"added     {k8s / 'fees.md'}" in res.output, res.output


def test_control_characters_in_a_title_are_escaped(tmp_path: Path) -> None:
    """A security review (twenty-third session): the ingest line escaped a file name's control
    characters, but the title made from it kept them, and `docs`, `search` and `ask` printed a
    carriage return and a terminal's title-setting sequence raw."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "esc\x1b]0;pwned\x07 cr\rFAKE.md").write_text("A firm files carriage reports.\n")
    data = str(tmp_path / "d")
    CliRunner().invoke(main, ["ingest", str(tree), "--data-dir", data])
    for args in (["docs"], ["search", "carriage reports"]):
        out = CliRunner().invoke(main, [*args, "--data-dir", data]).output
        assert "\x1b" not in out and "\r" not in out and "\x07" not in out, repr(out)
        assert "esc\\x1b]0;pwned\\x07 cr FAKE" in out, repr(out)  # a line break: a space


def test_an_index_this_user_cannot_write_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user's index (or a read-only mount) gave a sqlite traceback on search."""
    import sqlite3

    from assistant.errors import RegassistError
    from assistant.index import core
    from assistant.index.core import Index
    from assistant.settings import Settings

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text("# A\n\nA firm keeps records for six years.\n")
    CliRunner().invoke(main, ["ingest", str(tmp_path / "in"), "--data-dir", str(tmp_path / "d")])

    def readonly(path: Path) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(core, "Catalog", readonly)
    with pytest.raises(RegassistError, match="not writable by this user"):
        Index.open(Settings(data_dir=tmp_path / "d"))

    # a read-only filesystem: SQLite says only "unable to open database file" (an ops trial,
    # twentieth session: a raw traceback on every command)
    def cannot_open(path: Path) -> None:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(core, "Catalog", cannot_open)
    monkeypatch.setattr(core.os, "access", lambda path, mode: False)
    with pytest.raises(RegassistError, match="or its filesystem is read-only"):
        Index.open(Settings(data_dir=tmp_path / "d"))
    monkeypatch.setattr(core.os, "access", lambda path, mode: True)  # not that: raised as it was
    with pytest.raises(sqlite3.OperationalError):
        Index.open(Settings(data_dir=tmp_path / "d"))


# ---- a review of these changes, 2026-12-04 ---------------------------------------------------


def test_a_few_private_use_bullets_or_a_fee_table_do_not_refuse_a_pdf_layer() -> None:
    rules = "A firm must apply customer due diligence before onboarding a client. " * 5
    assert unreadable_reason("\uf0b7 " + rules + "\uf0a7 \ufffd") is None
    fees = "Fee schedule (USD)\n" + "\n".join(
        f"{i}.{i % 7}  2024-0{1 + i % 9}-01  {1000 * i:,}  {250 * i:,}  {i % 5}%"
        for i in range(1, 36)
    )
    assert unreadable_reason(fees) is None, fees[:200]


def _para_xml(inner: str) -> str:
    return f'<w:p xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">{inner}</w:p>'


def test_docx_moved_text_is_read_once_and_a_text_box_is_its_own_paragraph(tmp_path: Path) -> None:
    import docx
    from lxml import etree

    d = docx.Document()
    sect = d.element.body[-1]
    for xml in (
        '<w:r><w:t xml:space="preserve">3.1 Reporting. </w:t></w:r>'
        "<w:moveFrom><w:r><w:t>A firm must report a breach within 5 days.</w:t></w:r></w:moveFrom>",
        '<w:r><w:t xml:space="preserve">5.2 Breaches. </w:t></w:r>'
        "<w:moveTo><w:r><w:t>A firm must report a breach within 5 days.</w:t></w:r></w:moveTo>",
        "<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>"
        "<w:p><w:r><w:t>Guidance note</w:t></w:r></w:p><w:p><w:r><w:t>Firms should file early</w:t>"
        "</w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        "<w:p><w:r><w:t>Guidance note</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>Rule 3.1 A firm must file its return within 30 days."
        "</w:t></w:r>",
    ):
        sect.addprevious(etree.fromstring(_para_xml(xml)))
    d.save(str(tmp_path / "m.docx"))
    lines = load(tmp_path / "m.docx", LoadOptions()).text.split("\n")
    assert (
        "3.1 Reporting." in lines
        and "5.2 Breaches. A firm must report a breach within 5 days." in lines
    )
    assert lines.count("Guidance note") == 1 and "Firms should file early" in lines, lines
    assert "Rule 3.1 A firm must file its return within 30 days." in lines, lines


def test_docx_vertically_merged_cells_keep_their_text_on_each_row(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    rows = [("Category A", "Dealing as principal", "10,000"), ("", "Dealing as agent", "7,500"),
            ("", "Arranging deals", "5,000")]  # fmt: skip
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    t.cell(0, 0).merge(t.cell(2, 0))
    d.save(str(tmp_path / "v.docx"))
    text = load(tmp_path / "v.docx", LoadOptions()).text
    assert "Category A | Dealing as agent | 7,500" in text, text
    assert "Category A | Arranging deals | 5,000" in text, text


def _ingest(src: Path, data: Path) -> str:
    return CliRunner().invoke(main, ["ingest", str(src), "--data-dir", str(data)]).output


def _listed(data: Path, column: int) -> list[str]:
    """One column of `regassist docs` (0: the document id, -1: the title), sorted."""
    out = CliRunner().invoke(main, ["docs", "--data-dir", str(data)]).output
    return sorted(ln.split()[column] for ln in out.splitlines()[1:] if ln.strip())


def test_files_that_swapped_their_texts_or_moved_onto_another_lose_nothing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    x, y = (
        "# X\n\nRules X: report breaches within 10 days.\n",
        "# Y\n\nRules Y: keep records six years.\n",
    )
    (src / "a.md").write_text(x)
    (src / "b.md").write_text(y)

    def ingest(data: str) -> str:
        return _ingest(src, tmp_path / data)

    def titles(data: str) -> list[str]:
        return _listed(tmp_path / data, -1)

    ingest("d")
    (src / "a.md").write_text(y)
    (src / "b.md").write_text(x)
    out = ingest("d")
    assert "0 duplicate" in out and titles("d") == ["X", "Y"], (out, titles("d"))
    (src / "b.md").rename(src / "a.md")  # a.md now holds X; b.md is gone
    out = ingest("d")
    assert titles("d") == ["X"], (out, titles("d"))


def test_word_list_numbers_lead_their_paragraphs(tmp_path: Path) -> None:
    """A consultant's trial, 2026-12-04: a draft numbered by Word's own list numbering (the
    numbers are not in the text) was read one section at a time, its clauses unnumbered."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>'
        "</w:abstractNum>"))  # fmt: skip
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )

    def item(text: str, level: int) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))  # fmt: skip

    item("Governance", 0)
    item("Senior management owns the risk-based approach.", 1)
    item("The MLRO is resident in Kazakhstan.", 1)
    item("Reporting", 0)
    item("Staff report suspicions to the MLRO.", 1)
    item("in writing", 2)
    d.save(str(tmp_path / "n.docx"))
    lines = load(tmp_path / "n.docx", LoadOptions(kind="policy")).text.split("\n")
    assert lines[:6] == ["1. Governance", "1.1 Senior management owns the risk-based approach.",
                         "1.2 The MLRO is resident in Kazakhstan.", "2. Reporting",
                         "2.1 Staff report suspicions to the MLRO.", "(a) in writing"], lines  # fmt: skip


def test_review_docx_text_box_in_a_cell_and_a_row_that_starts_later(tmp_path: Path) -> None:
    import docx
    from lxml import etree

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Fee"
    box = ("<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r>"
           "<w:t>USD 5,000 annual fee</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
           "</mc:AlternateContent></w:r>")  # fmt: skip
    cell_p = t.cell(0, 1).paragraphs[0]._p
    cell_p.append(etree.fromstring(_para_xml(box))[0])
    d.save(str(tmp_path / "b.docx"))
    assert "Fee | USD 5,000 annual fee" in load(tmp_path / "b.docx", LoadOptions()).text


def test_review_small_messages() -> None:
    from ingest.loaders import _mb

    assert _mb(2**19) == "0.5"
    assert unreadable_reason("ordinary text " * 10) is None
    from ingest.loaders import garbled_reason

    half = "Ordinary English rule text about records. " * 10 + "\ufffd" * 420
    assert garbled_reason(half, legacy=False, private_use_ok=True, at_least=20) is not None
    assert garbled_reason("A rule \uf0b7 with a bullet \ufffd.", legacy=False,
                          private_use_ok=True, at_least=20) is None  # fmt: skip


def _list_doc() -> tuple[Any, Callable[..., Any]]:
    """A python-docx document with one decimal list (numId 91) and a second list over the same
    abstract list that restarts at 1 (numId 92), and a function adding an item to a parent."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        "</w:abstractNum>"))  # fmt: skip
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="91"><w:abstractNumId w:val="90"/></w:num>')
    )
    numbering.append(parse_xml(
        f'<w:num xmlns:w="{W}" w:numId="92"><w:abstractNumId w:val="90"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))  # fmt: skip

    def item(parent: Any, text: str, num: int = 91) -> Any:
        p = parent.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'))  # fmt: skip
        return p

    return d, item


def test_review_word_list_numbers_restart_run_through_tables_and_skip_deleted_items(
    tmp_path: Path,
) -> None:
    """A review, 2026-12-04 (sixteenth session): Word's "Restart at 1" read "4., 5." after a list
    of three; a list running through a table cell left the cell's item unnumbered and the next
    item "3."; an item deleted with track changes still counted ("1." then "3.")."""
    from docx.oxml import parse_xml

    d, item = _list_doc()
    for text in ("Notify the AFSA within 5 days.", "Keep records for 6 years.", "Appoint an MLRO."):
        item(d, text)
    d.add_paragraph("Schedule B: client duties")
    item(d, "Classify clients before services.", 92)
    item(d, "Segregate client money.", 92)
    d.save(str(tmp_path / "restart.docx"))
    text = load(tmp_path / "restart.docx", LoadOptions()).text
    assert "3. Appoint an MLRO.\nSchedule B: client duties\n1. Classify clients" in text, text
    assert "2. Segregate client money." in text, text

    d, item = _list_doc()
    item(d, "First clause.")
    item(d, "Second clause.")
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell._tc.remove(cell.paragraphs[0]._p)
    item(cell, "Third clause, in a table.")
    item(d, "Fourth clause.")
    d.save(str(tmp_path / "table.docx"))
    lines = load(tmp_path / "table.docx", LoadOptions()).text.split("\n")
    assert lines == ["1. First clause.", "2. Second clause.", "3. Third clause, in a table.",
                     "4. Fourth clause."], lines  # fmt: skip

    d, item = _list_doc()
    item(d, "Identify customers before onboarding.")
    gone = item(d, "")
    gone._p.get_or_add_pPr().append(parse_xml(
        f'<w:rPr xmlns:w="{W}"><w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"/></w:rPr>'))  # fmt: skip
    item(d, "")  # an empty item not deleted still counts, as Word shows its number
    item(d, "Keep records for six years.")
    d.save(str(tmp_path / "del.docx"))
    lines = load(tmp_path / "del.docx", LoadOptions()).text.split("\n")
    assert lines == ["1. Identify customers before onboarding.",
                     "3. Keep records for six years."], lines  # fmt: skip


def test_review_a_non_breaking_hyphen_is_a_hyphen(tmp_path: Path) -> None:
    """A review, 2026-12-04: the XML walker read only w:t, so Word's non-breaking hyphen
    (Ctrl+Shift+-) vanished: "a three-year period" read "threeyear", and its duration was lost to
    the policy check. A soft hyphen is nothing, a positional tab a space."""
    import docx
    from lxml import etree

    d = docx.Document()
    runs = ("<w:r><w:t>kept for a three</w:t><w:noBreakHyphen/><w:t>year period; anti</w:t>"
            "<w:softHyphen/><w:t>money</w:t><w:ptab w:relativeTo=\"margin\" w:alignment=\"right\" "
            "w:leader=\"none\"/><w:t>laundering</w:t></w:r>")  # fmt: skip
    d.element.body.insert(0, etree.fromstring(_para_xml(runs)))
    d.save(str(tmp_path / "h.docx"))
    text = load(tmp_path / "h.docx", LoadOptions()).text
    assert "kept for a three-year period; antimoney laundering" in text, text


def _pdf_with_unmapped_pages(readable: int, unmapped: int) -> bytes:
    """``readable`` pages of rule text, then ``unmapped`` pages whose text layer is raw control
    codes (a font with no Unicode map)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(readable):
        for i in range(20):
            c.drawString(
                40, 800 - 18 * i, f"A Relevant Person must keep records for six years {page}."
            )
        c.showPage()
    for _ in range(unmapped):
        c.setFont("Helvetica", 12)
        c.drawString(40, 800, "Annex chart")
        for i in range(30):
            codes = "".join("\\%03o" % (1 + (i * 7 + j * 13) % 30) for j in range(90))
            c._code.append(f"BT /F1 12 Tf 40 {780 - i * 16} Td ({codes}) Tj ET")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_review_one_unreadable_page_leaves_the_rest_of_a_pdf_indexed(tmp_path: Path) -> None:
    """A review, 2026-12-04 (sixteenth session): one annex page set in a font with no Unicode map
    made the whole rulebook "not readable text", and nothing of it was indexed. Such a page is
    now left out with a warning naming it; a file mostly made of them is still refused."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rules.pdf").write_bytes(_pdf_with_unmapped_pages(4, 1))
    (folder / "chart.pdf").write_bytes(_pdf_with_unmapped_pages(1, 2))
    res = CliRunner().invoke(main, ["ingest", str(folder), "--data-dir", str(tmp_path / "d")])
    assert res.exit_code == 1, res.output
    assert "added     " in res.output and "rules.pdf" in res.output, res.output
    assert "1 of 5 pages have a text layer that is not readable text (page 5:" in res.output
    assert "chart.pdf" in res.output and "control characters" in res.output, res.output
    assert "1 added" in res.output and "1 failed" in res.output, res.output
    doc = load(folder / "rules.pdf", LoadOptions())
    assert "six years 3." in doc.text and "\x01" not in doc.text


def test_review_a_copy_of_a_file_then_edited_keeps_both_texts_indexed(tmp_path: Path) -> None:
    """A review, 2026-12-04 (sixteenth session): ``cp policy.md a-policy-2024.md``, then an edit of
    policy.md, then one ingest: the copy was taken for a duplicate of policy.md's stale entry and
    not indexed, and policy.md was replaced, so the old text was in no entry until the next
    ingest. The index now holds what a fresh ingest of the two files holds."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "policy.md").write_text("# Policy\n\nRecords are kept for six years.\n")

    def ingest(data: str) -> str:
        return _ingest(src, tmp_path / data)

    def titles(data: str) -> list[str]:
        return _listed(tmp_path / data, 0)

    ingest("d")
    (src / "a-policy-2024.md").write_bytes((src / "policy.md").read_bytes())
    (src / "policy.md").write_text("# Policy\n\nRecords are kept for seven years.\n")
    out = ingest("d")
    assert "duplicate" not in out.split("file(s):")[0], out
    ingest("fresh")
    assert titles("d") == titles("fresh") and len(titles("d")) == 2, titles("d")
    assert "0 added, 2 unchanged" in ingest("d")


def test_review_a_contents_page_of_dot_leaders_is_readable(tmp_path: Path) -> None:
    """A review, 2026-12-04 (sixteenth session): a contents page of "1. Introduction ........ 3"
    lines is mostly dots, and the per-page check refused a two-page rulebook for it (and left a
    longer one's contents page out with a warning, failing every ingest)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(30):
        c.drawString(40, 800 - 18 * i, f"{i + 1}. Part {i + 1} " + "." * 90 + f" {i + 3}")
    c.showPage()
    for i in range(20):
        c.drawString(40, 800 - 18 * i, "A Relevant Person must keep records for six years.")
    c.showPage()
    c.save()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rules.pdf").write_bytes(buf.getvalue())
    res = CliRunner().invoke(main, ["ingest", str(folder), "--data-dir", str(tmp_path / "d")])
    assert res.exit_code == 0 and "not readable" not in res.output, res.output


def test_review_a_tracked_move_does_not_count_its_empty_source_item(tmp_path: Path) -> None:
    """The same review: a list item moved with track changes left its emptied source paragraph,
    which still counted ("1., 3., 4." for three items)."""
    from docx.oxml import parse_xml

    d, item = _list_doc()
    item(d, "Identify customers.")
    moved = item(d, "")
    moved._p.get_or_add_pPr().append(parse_xml(
        f'<w:rPr xmlns:w="{W}"><w:moveFrom w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z"/></w:rPr>'))  # fmt: skip
    item(d, "Keep records.")
    item(d, "Report suspicions.")
    d.save(str(tmp_path / "m.docx"))
    lines = load(tmp_path / "m.docx", LoadOptions()).text.split("\n")
    assert lines == ["1. Identify customers.", "2. Keep records.", "3. Report suspicions."], lines


def test_a_damaged_catalog_or_chroma_store_is_one_clear_error(tmp_path: Path) -> None:
    """An ops trial (eighteenth session): a catalog or Chroma store overwritten with garbage gave a
    40-line traceback on every command. (A process apiece: Chroma keeps a store it has opened.)"""
    import os
    import subprocess
    import sys

    env = {**os.environ, "REGASSIST_EMBEDDING_MODEL": "fake:hashing"}
    doc = tmp_path / "aml.md"
    doc.write_text(
        "---\nkind: rules\nrulebook: AML\n---\n# AML\n\n## AML 1.1 Records\n\nA firm keeps records.\n"
    )

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True,
                              text=True, env=env, timeout=300)  # fmt: skip

    for damaged, what in (
        ("catalog.sqlite3", "its catalog"),
        ("chroma/chroma.sqlite3", "its Chroma store"),
    ):
        data = tmp_path / damaged.replace("/", "-")
        assert cli("ingest", str(doc), "--data-dir", str(data)).returncode == 0
        (data / damaged).write_text("garbage")
        res = cli("search", "records", "--data-dir", str(data))
        assert res.returncode == 1 and f"is damaged: {what} cannot be read" in res.stderr, (
            res.stderr
        )
        assert "Traceback" not in res.stderr


def test_a_first_ingest_that_failed_says_its_data_dir_can_go(tmp_path: Path) -> None:
    """An ops trial (eighteenth session): a first ingest with a hub model name (offline: it cannot
    load) left a manifest with that model, and the corrected ingest was refused as "built with
    different settings" with the hint to rebuild, not that nothing would be lost. The message also
    said the library "couldn't connect to huggingface.co", as if it had tried. (Resetting such a
    manifest was tried and withdrawn, a review: another process may be filling the index, whose
    catalog shows no document until its first one is done.)"""
    import shutil

    doc = tmp_path / "aml.md"
    doc.write_text(
        "---\nkind: rules\nrulebook: AML\n---\n# AML\n\n## AML 1.1 Records\n\nA firm keeps records.\n"
    )
    data = tmp_path / "d"
    bad = CliRunner().invoke(main, ["ingest", str(doc), "--data-dir", str(data)],
                             env={"REGASSIST_EMBEDDING_MODEL": "some-org/not-here-model"})  # fmt: skip
    assert bad.exit_code == 1 and "regassist downloads no model" in bad.stderr, bad.output
    again = CliRunner().invoke(main, ["ingest", str(doc), "--data-dir", str(data)],
                               env={"REGASSIST_EMBEDDING_MODEL": "fake:hashing"})  # fmt: skip
    said = again.output + again.stderr
    assert (
        again.exit_code != 0 and "it holds no document yet" in said and "nothing is lost" in said
    ), said
    shutil.rmtree(data)  # (a fresh path: Chroma keeps, in this process, a store it has opened)
    good = CliRunner().invoke(main, ["ingest", str(doc), "--data-dir", str(tmp_path / "d2")],
                              env={"REGASSIST_EMBEDDING_MODEL": "fake:hashing"})  # fmt: skip
    assert good.exit_code == 0 and "1 added" in good.output, good.output


def test_the_offline_model_message_is_said_only_when_offline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A review (eighteenth session): with downloads allowed (HF_HUB_OFFLINE=0) the "regassist
    downloads no model" message replaced the real cause (a DNS error, a 404)."""
    import sentence_transformers

    from assistant.errors import RegassistError
    from assistant.index.embeddings import SentenceTransformerEmbedder

    def fails(*_a: object, **_k: object) -> None:
        raise OSError("404 Client Error: model not found")

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", fails)
    for offline, said in (("1", "regassist downloads no model"), ("0", "404 Client Error")):
        monkeypatch.setenv("HF_HUB_OFFLINE", offline)
        with pytest.raises(RegassistError, match=said):
            SentenceTransformerEmbedder("some-org/not-here-model").embed_query("x")
