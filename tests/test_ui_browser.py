"""Issue 15 in a real browser (Debian's Chromium via Playwright, `streamlit run`, fake embedder):
a three-turn conversation with a rewritten follow-up, a 20-question questionnaire uploaded and
downloaded as XLSX, a citation opening the highlighted PDF page, /chat?q= links, and no request
leaving localhost. Screenshots in test-artifacts/browser/."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.settings import Settings
from evals.pdf_render import rulebook_pdf
from tests.conftest import CORPUS
from tests.test_app import free_port, serve
from tests.test_browser import ARGS, CHROMIUM, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTIONS = [
    "What is the CDD threshold for an occasional digital asset transaction?",
    "Must the MLRO be resident in Kazakhstan?",
    "Which permissions does a crypto exchange need?",
    "What information must accompany a crypto transfer to another exchange?",
    "What hot/cold wallet ratio must a digital asset custodian keep?",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """The bundled corpus plus a PDF rulebook, served with the fake embedder; yields the URL
    and the server's log lines so far (read at the end)."""
    data = tmp_path_factory.mktemp("ui-browser")
    pdf = rulebook_pdf(tmp_path_factory.mktemp("pdf") / "aml-rules-test-copy.pdf")
    old = {k: os.environ.get(k) for k in ("REGASSIST_DATA_DIR", "REGASSIST_EMBEDDING_MODEL")}
    os.environ["REGASSIST_DATA_DIR"] = str(data)
    os.environ["REGASSIST_EMBEDDING_MODEL"] = "fake:hashing"
    ingest_paths(Index.open(Settings(data_dir=data, embedding_model="fake:hashing"), create=True),
                 [CORPUS, pdf])  # fmt: skip
    port = free_port()
    proc = serve(port)
    try:
        yield f"http://127.0.0.1:{port}", []
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        assert "Inotify" not in log and "inotify" not in log  # no file watcher on .venv
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: run `make browser-deps`"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    url, _ = server
    ctx = browser.new_context(viewport={"width": 1280, "height": 1400}, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))  # type: ignore[attr-defined]
    pg.base = url  # type: ignore[attr-defined]
    yield pg
    hosts = {urlparse(u).hostname for u in pg.requests if not u.startswith(("data:", "blob:"))}  # type: ignore[attr-defined]
    assert hosts <= {"127.0.0.1", "localhost"}, f"requests left localhost: {hosts}"
    ctx.close()


def ask(page, question: str, n_answers: int) -> None:  # type: ignore[no-untyped-def]
    box = page.locator('[data-testid="stChatInputTextArea"]')
    box.wait_for()
    box.fill(question)
    box.press("Enter")
    msgs = page.locator('[data-testid="stChatMessage"]')
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stChatMessage\"]').length >= n",
        arg=2 * n_answers,
    )
    msgs.nth(2 * n_answers - 1).get_by_text(re.compile(r"extractive · \d+ ms")).wait_for()


def test_three_turn_conversation_with_a_rewritten_follow_up(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base)
    ask(page, "Must the MLRO be resident in Kazakhstan?", 1)
    ask(page, "and what about a deputy?", 2)
    ask(page, "What are its duties?", 3)
    page.get_by_text("Follow-up read as: Must a deputy be resident in Kazakhstan?").wait_for()
    page.get_by_text("Follow-up read as: What are a deputy's duties?").wait_for()
    second = page.locator('[data-testid="stChatMessage"]').nth(3).inner_text()
    assert "AML 13.1" in second  # answered from the MLRO rules
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "chat-follow-up.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Chat as DOCX").click()
    target = SHOTS.parent / "chat.docx"
    info.value.save_as(str(target))
    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Follow-up read as: Must a deputy be resident in Kazakhstan?" in text


def test_questionnaire_of_20_questions_uploaded_and_downloaded_as_xlsx(
    page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    wb.active.append(["ID", "Question", "Owner"])
    for i in range(20):
        wb.active.append([f"DD-{i + 1:02d}", QUESTIONS[i % len(QUESTIONS)] if i < 5 else
                          f"{QUESTIONS[i % len(QUESTIONS)]} (item {i + 1})", "compliance"])  # fmt: skip
    src = tmp_path / "due-diligence.xlsx"
    wb.save(src)
    page.goto(page.base + "/questionnaire")
    page.get_by_text("Questionnaire (CSV, TSV, XLSX or JSONL)").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(src))
    page.get_by_role("button", name="Answer all questions").click()
    page.get_by_text("Answered 20 of 20 questions").first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "questionnaire.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download XLSX").click()
    target = SHOTS.parent / "questionnaire-answers.xlsx"
    info.value.save_as(str(target))
    book = load_workbook(target)
    rows = list(book["answers"].iter_rows(values_only=True))
    # the questionnaire's own "Owner" column is kept beside the question (2026-12-04)
    assert rows[0] == (
        "id", "question", "Owner", "answer", "citations", "quotes", "abstained", "caveats", "notes"
    )  # fmt: skip
    assert len(rows) == 21 and rows[1][0] == "DD-01" and rows[1][2] == "compliance"
    assert sum(1 for r in rows[1:] if r[6]) >= 1 and sum(1 for r in rows[1:] if not r[6]) >= 10
    assert book["citations"].max_row > 20  # the cited quotes
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    data = Path(info.value.path()).read_bytes()
    # with a byte-order mark, so Excel reads it as UTF-8 (thirty-seventh session)
    assert data.startswith(b"\xef\xbb\xbfid,question,Owner,answer,")


def test_citation_opens_the_pdf_page_with_the_quote_highlighted(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base)
    ask(page, "When must customer due diligence be completed before a business relationship?", 1)
    msg = page.locator('[data-testid="stChatMessage"]').nth(1)
    toggle = msg.get_by_text("Show the page").first
    toggle.wait_for()
    toggle.click()
    img = msg.locator('[data-testid="stImage"] img').first
    img.wait_for()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    caption = msg.locator('[data-testid="stImage"]').first.inner_text()
    assert "could not be located" not in caption and "page AML-" in caption
    img.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    img.screenshot(path=str(SHOTS / "citation-pdf-page.png"))
    page.screenshot(path=str(SHOTS / "chat-citation-source.png"), full_page=True)


def test_chat_link_from_the_evals_page_opens_the_chat(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/chat?q=AML%2013.1.3")
    page.get_by_text("[1] AML 13.1.3").first.wait_for()
    assert page.get_by_text("Page not found").count() == 0
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "chat-link.png"), full_page=True)


def test_policy_table_wraps_and_a_clicked_row_opens_its_details(page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import ROOT

    page.goto(page.base + "/policy")
    page.get_by_text("Policy draft (PDF, DOCX, Markdown)").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(ROOT / "corpus/policies/steppe-digital-aml-cft-policy.md"))  # fmt: skip
    page.get_by_role("button", name="Check draft").click()
    page.get_by_text("Check complete").wait_for()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    page.wait_for_timeout(1000)
    details = (
        page.locator('[data-testid="stMarkdownContainer"]')
        .filter(has_text=re.compile(r"^Rule AML"))
        .first
    )
    before = details.inner_text()  # the rule shown in the drill-down
    box = grid.bounding_box()
    # the third row's selection cell: header row, then rows of 110 px
    page.mouse.click(box["x"] + 18, box["y"] + 36 + 2 * 110 + 55)
    from playwright.sync_api import expect

    expect(details).not_to_have_text(before)  # the clicked row is now the one in the details
    assert details.inner_text().startswith("Rule AML")
    page.get_by_text("Conflicting:").first.wait_for()  # the red status box
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "policy-check-row-click.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"AML" in data  # for Excel (thirty-seventh session)


def test_library_upload_with_a_rulebook_code_typed(page, server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A browser trial (thirty-fourth session): the Library's Rulebook box took only the codes
    it offered; a code typed ("osr") now names the upload's rulebook, and its rules are cited
    by it ("OSR 2.1.1")."""
    rules = tmp_path / "outsourcing-register-rules.md"
    rules.write_text("# Outsourcing register: working digest\n\n## 2.1.1 Register\n\nA firm "
                     "must keep a register of each outsourcing arrangement it enters into.\n")  # fmt: skip
    page.goto(page.base + "/library")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(rules))
    page.locator('[data-testid="stFileChip"]').first.wait_for()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Rulebook")
    box.locator("input").click()
    box.locator("input").fill("osr")
    box.locator("input").press("Enter")
    page.get_by_role("button", name="Ingest").click()
    page.get_by_text(re.compile(r"outsourcing-register-rules\.md: added")).first.wait_for()
    page.screenshot(path=str(SHOTS / "library-rulebook-typed.png"), full_page=True)
    # cited by its code: Search finds the rule by it (through the sidebar: the same session)
    page.get_by_role("link", name="Search").click()
    query = page.get_by_label("Question or rule reference")
    query.fill("OSR 2.1.1")
    query.press("Enter")
    page.get_by_text("1. OSR 2.1.1").first.wait_for()
    # and the code typed is kept when the Library is opened again (a review: it was lost)
    page.get_by_role("link", name="Library").click()
    page.get_by_text("Add documents").wait_for()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Rulebook")
    from playwright.sync_api import expect

    expect(page.get_by_role("combobox", name="Rulebook")).to_have_value("osr")
