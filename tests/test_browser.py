"""End to end in a real browser: `streamlit run` + Debian's Chromium driven by Playwright.

Screenshots land in test-artifacts/browser/. `make test` installs Chromium first (make browser-deps).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.prompts import REFUSAL
from tests.conftest import ROOT
from tests.test_app import free_port, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]  # fmt: skip


@pytest.fixture(scope="module")
def app_url(real_corpus_dir: Path) -> Iterator[str]:
    old = os.environ.get("REGASSIST_DATA_DIR")
    os.environ["REGASSIST_DATA_DIR"] = str(real_corpus_dir)
    port = free_port()
    proc = serve(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if old is None:
            os.environ.pop("REGASSIST_DATA_DIR", None)
        else:
            os.environ["REGASSIST_DATA_DIR"] = old


@pytest.fixture(scope="module")
def page(app_url: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Chromium is missing: run `make browser-deps` (apt-get install chromium)"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 1400})
        pg.set_default_timeout(90_000)
        pg.goto(app_url)
        yield pg
        browser.close()


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator('[data-testid="stChatInputTextArea"]')
    box.wait_for()
    box.fill(question)
    box.press("Enter")


def test_chat_answer_shows_citation_card_with_rule_ref(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "What is the CDD threshold for an occasional digital asset transaction?")
    card = (
        page.locator('[data-testid="stVerticalBlock"]').filter(has_text="[1] AML 6.1.1(a-a)").last
    )
    card.wait_for()
    page.get_by_text("USD 1,000").first.wait_for()
    messages = page.locator('[data-testid="stChatMessageContent"]')
    assert "AML 6.1.1(a-a)" in messages.last.inner_text()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "chat-answer.png"), full_page=True)


def test_unanswerable_question_shows_the_refusal(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "What hot/cold wallet ratio must a digital asset custodian keep?")
    page.locator('[data-testid="stAlertContentWarning"]').filter(has_text=REFUSAL).last.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "chat-refusal.png"), full_page=True)


def test_library_page_lists_documents(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Library").click()
    page.get_by_text("documents,").first.wait_for()
    page.get_by_text("Remove a document").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / "library.png"), full_page=True)


def test_policy_check_upload_table_and_csv_download(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Policy check").click()
    page.get_by_text("Policy draft (PDF, DOCX, Markdown)").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(ROOT / "corpus/policies/steppe-digital-aml-cft-policy.md"))  # fmt: skip
    page.get_by_role("button", name="Check draft").click()
    page.get_by_text("Check complete").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.get_by_text("Conflicting").first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    target = SHOTS.parent / "policy-check.csv"
    info.value.save_as(str(target))
    text = target.read_text(encoding="utf-8")
    # with a UTF-8 byte-order mark, for Excel (thirty-seventh session)
    assert (
        text.startswith("\ufeffstatus,ref,rulebook,version,obligation")
        and "conflicting,AML 14.5.1" in text
    )
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "policy-check.png"), full_page=True)
