"""Open the source at the quote: PDF page with the quoted lines highlighted from pypdfium2's
character boxes; Markdown rule in its section with the quote marked (unit + AppTest)."""

from pathlib import Path

import pytest

from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.settings import Settings
from evals.pdf_render import rulebook_pdf
from tests.test_app import APP, app, app_env  # noqa: F401  (fixture)
from ui.source import find_span, marked, pdf_page

CDD = "(a-a) for an occasional transaction in Digital Assets of USD 1,000 or more."


def test_find_span_ignores_spacing_hyphenation_and_ligatures() -> None:
    chars = list("The ﬁrm must keep re-\ncords for six years.")
    first, last = find_span(chars, "firm must keep records")  # type: ignore[misc]
    assert "".join(chars[first : last + 1]) == "ﬁrm must keep re-\ncords"
    assert find_span(list("nothing here at all"), "a quote from another page") is None


def test_pdf_page_highlights_exactly_the_quoted_line(tmp_path: Path) -> None:
    pdf = rulebook_pdf(tmp_path / "aml.pdf")
    image, rects = pdf_page(pdf, 1, CDD)
    assert len(rects) == 1  # one line
    x0, y0, _x1, y1 = rects[0]
    r, g, b = image.getpixel((int(x0) + 3, int((y0 + y1) / 2)))
    assert r > 200 and g > 170 and b < 160  # yellow behind the quote
    _, none = pdf_page(pdf, 1, "The MLRO must be resident in the Republic of Kazakhstan.")
    assert none == []  # that rule is on page 2
    _, two = pdf_page(pdf, 2, "The MLRO must be resident in the Republic of Kazakhstan.")
    assert len(two) == 1


def test_pdf_quote_over_a_page_break_is_highlighted_on_both_pages(tmp_path: Path) -> None:
    pdf = rulebook_pdf(tmp_path / "aml.pdf")
    quote = ("(1) A Relevant Person must complete Customer Due Diligence before it "
             "establishes a business relationship with the customer.")  # fmt: skip
    assert len(pdf_page(pdf, 1, quote)[1]) == 1 and len(pdf_page(pdf, 2, quote)[1]) == 1


def test_marked_escapes_and_marks_the_quote() -> None:
    out = marked("## AML 13.1.3\nThe MLRO <b> must be resident.", "The MLRO <b> must")
    assert out == "AML 13.1.3<br><mark>The MLRO &lt;b&gt; must</mark> be resident."


@pytest.fixture
def pdf_env(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    pdf = rulebook_pdf(tmp_path / "aml-rules.pdf")
    ingest_paths(Index.open(settings, create=True), [pdf])
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    return settings


def test_chat_citation_opens_the_pdf_page_with_the_quote_highlighted(pdf_env: Settings) -> None:
    at = app()
    at.chat_input[0].set_value("Must the MLRO be resident in Kazakhstan?").run()
    a = at.session_state["messages"][-1]["answer"]
    c = a["citations"][0]
    assert c["page"] == 2
    toggle = at.toggle(key=f"source-1-{c['chunk_id']}-{c['n']}")
    assert toggle.label == f"Show the page of {c['ref']}"
    toggle.set_value(True).run()
    assert not at.exception
    images = at.get("image")
    assert images, "the rendered page"
    captions = [i.captions[0] for i in images]
    assert any("page AML-2" in cap and "could not be located" not in cap for cap in captions)


def test_markdown_citation_opens_the_rule_in_its_section(app_env: Settings) -> None:  # noqa: F811
    at = app()
    at.chat_input[0].set_value("Must the MLRO be resident in Kazakhstan?").run()
    c = at.session_state["messages"][-1]["answer"]["citations"][0]
    at.toggle(key=f"source-1-{c['chunk_id']}-{c['n']}").set_value(True).run()
    assert not at.exception
    html = [h.proto.body for h in at.get("html")]
    assert any(
        # the quote runs on to the exception after it ("Registered Auditors are an exception.")
        "<mark>The MLRO must be resident in the Republic of Kazakhstan." in h
        for h in html
    )


def test_library_opens_any_document(pdf_env: Settings) -> None:
    at = app()
    at.switch_page("ui/library.py").run()
    choice = at.selectbox(key="open_choice")
    choice.set_value(choice.options[0]).run()
    assert not at.exception
    at.number_input(key="open_page").set_value(2).run()
    assert any("page 2" in i.captions[0] for i in at.get("image"))


def test_a_quote_over_a_page_break_shows_both_pages(
    pdf_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.source

    index = Index.open(pdf_env)
    chunk = next(c for _, c in index.catalog.all_chunks() if c.ref == "AML 6.1.3")
    assert chunk.pages == (1, 2)
    shown: list[str] = []
    monkeypatch.setattr(ui.source.st, "image", lambda img, caption: shown.append(caption))
    quote = ("(1) A Relevant Person must complete Customer Due Diligence before it\n"
             "establishes a business relationship with the customer.")  # fmt: skip
    c = {"doc_id": chunk.doc_id, "chunk_id": chunk.chunk_id, "page": 1, "quote": quote}
    ui.source.show_source(index, c)
    assert [x.rsplit("page ", 1)[1] for x in shown] == ["AML-1", "AML-2"], shown
    shown.clear()
    ui.source.show_source(
        index, c | {"quote": "A Relevant Person must complete Customer Due Diligence"}
    )
    assert [x.rsplit("page ", 1)[1] for x in shown] == ["AML-1"]  # only where the quote is


def test_a_search_card_points_to_the_page_its_matched_sentence_is_on() -> None:
    """A browser trial (thirty-fourth session): a two-page passage (a PDF of kind 'other',
    one passage) was shown "p. 1" with page 1 highlighted, the rules the search matched being
    on page 2. The card and its page view point to the page of the sentence holding most of
    the query's words; a passage on one page is shown whole, as before."""
    from ingest.model import Chunk
    from ui.common import matched_passage

    text = ("3.1.1 A firm must keep personal data accurate.\n4.1.1 The Data Protection Officer "
            "must report directly to senior management.")  # fmt: skip
    two = Chunk("c", "d", 0, text, pages=(1, 2), page_labels=("1", "2"),
                page_starts=(0, text.index("4.1.1")))  # fmt: skip
    page, label, quote = matched_passage(two, "Data Protection Officer report to senior management")
    assert (page, label) == (2, "2") and quote.startswith("4.1.1 The Data Protection Officer")
    one = Chunk("c", "d", 0, text, pages=(3,), page_labels=("3",))
    assert matched_passage(one, "Data Protection Officer") == (3, "3", text)
    # (a review) a rule looked up by its number: where it starts, not a cross-reference's page
    assert matched_passage(two, "DPR 3.1.1") == (1, "1", text)


def test_search_says_a_rule_named_is_outside_the_rulebook_filter() -> None:
    """The same trial: with the Rulebook filter on CHR, "AML 6.1.1" gave four CHR rules and no
    word that the rule asked for is another rulebook's."""
    from ui.common import outside_filter

    held = {"6.1.1": {"AML"}, "4.5.1": {"CHR"}}

    def holders(number: str) -> set[str]:
        return held.get(number, set())

    known = ["AML", "CHR"]
    assert [str(r) for r in outside_filter("AML 6.1.1", ["CHR"], known, holders)] == ["AML 6.1.1"]
    assert outside_filter("AML 6.1.1", [], known, holders) == []  # no filter
    assert outside_filter("CHR 4.5.1", ["CHR"], known, holders) == []  # inside it
    # (a review) a rule no rulebook holds is not said to be in one
    assert outside_filter("AML 99.9.9", ["CHR"], known, holders) == []


def test_search_and_policy_cards_open_the_source_too(app_env: Settings) -> None:  # noqa: F811
    at = app()
    at.switch_page("ui/search.py").run()
    at.text_input(key="query").input("AML 13.1.3").run()
    toggle = next(t for t in at.toggle if t.key and t.key.startswith("search-source-1-"))
    toggle.set_value(True).run()
    assert any(
        "<mark>" in h.proto.body and "Republic of Kazakhstan" in h.proto.body
        for h in at.get("html")
    )
    draft = (
        Path(__file__).resolve().parent.parent / "corpus/policies/steppe-digital-aml-cft-policy.md"
    )
    at.switch_page("ui/policy.py").run()
    at.file_uploader(key="policy_upload").set_value(
        [("d.md", draft.read_bytes(), "text/markdown")]
    ).run()
    at.button(key="policy_run").click().run()
    toggle = next(t for t in at.toggle if t.key and t.key.startswith("policy-source-"))
    toggle.set_value(True).run()
    assert not at.exception
    assert any("<mark>" in h.proto.body for h in at.get("html"))


CONCURRENT = """
import sys, threading
from pathlib import Path
from evals.pdf_render import build_pdf
from ui.source import pdf_page, pdf_pages

pdf = Path(sys.argv[1])
pdf.write_bytes(build_pdf([[f"Page {p} line {i} of the rulebook text." for i in range(40)]
                           for p in range(6)]))
errors = []
start = threading.Barrier(8)

def work(k):
    start.wait()  # all at once
    try:
        for i in range(30):
            assert pdf_pages(pdf) == 6
            image, _ = pdf_page(pdf, 1 + (k + i) % 6, f"Page {(k + i) % 6} line 3 of")
            assert image.size[0] > 100
    except Exception as exc:  # an error is a failure, not a crash
        errors.append(repr(exc))

threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("errors", errors)
sys.exit(1 if errors else 0)
"""


def test_pdf_rendering_from_many_threads_at_once_does_not_crash(tmp_path: Path) -> None:
    """Streamlit runs each session in its own thread; PDFium must never be entered by two at
    once. Run in a subprocess, so an abort fails this test instead of killing pytest."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-c", CONCURRENT, str(tmp_path / "many.pdf")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])


def test_an_ingest_note_on_the_library_page_names_its_boxes_not_cli_flags() -> None:
    """A browser trial (eighteenth session): the upload note said "give --kind policy" on a page
    with a Kind box."""
    from assistant.index.ingest import NO_RULES_NOTE
    from ui.common import ui_words

    shown = ui_words(NO_RULES_NOTE)
    assert (
        "--" not in shown
        and "choose Kind 'policy'" in shown
        and "Kind 'rules' and its Rulebook" in shown
    )
    # (a browser trial, thirty-fourth session) a document numbered as rules, with no rulebook
    # code, was told "no rule numbers found": its numbers are named, and how to cite them
    from assistant.index.ingest import no_rules_note
    from ingest.model import Document

    text = "DATA PROTECTION\n3.1.1 A firm must keep data.\n4.1.1 The DPO must report.\n"
    doc = Document("d", "T", "t.pdf", "other", None, None, "h", "pdf", text=text)
    shown = ui_words(no_rules_note(doc))
    assert shown.startswith("no rulebook code found, so its numbered provisions (3.1.1, 4.1.1)")
    assert "--" not in shown and "Kind 'rules' and its Rulebook (a code such as OSR)" in shown
    assert "to cite them as 'OSR 3.1.1'" in shown
    plain = Document("d", "T", "t.pdf", "other", None, None, "h", "pdf", text="Minutes.\n")
    assert no_rules_note(plain) == NO_RULES_NOTE
    # (a review) a minute's times and a fee sheet's figures are no rule numbers
    minutes = Document("d", "T", "t.pdf", "other", None, None, "h", "pdf",
                       text="BOARD MINUTES\n10.30 Meeting opened.\n11.15 Break.\n2.5 Million fee.\n")  # fmt: skip
    assert no_rules_note(minutes) == NO_RULES_NOTE
