"""The Changes page: AppTest over two versions of the digest, and the same in a real browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.settings import Settings
from tests.changes_fixtures import digest_versions
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    old, new, _ = digest_versions()
    (tmp_path / "aml-2024.md").write_text(old)
    (tmp_path / "aml-2025.md").write_text(new)
    s = Settings(data_dir=tmp_path / "data", embedding_model="fake:hashing")
    ingest_paths(Index.open(s, create=True), [tmp_path / "aml-2024.md", tmp_path / "aml-2025.md"])
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(s.data_dir))
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    return s


def test_changes_page_lists_planted_changes_with_diffs(two_versions: Settings) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/changes.py").run()
    assert not at.exception, at.exception
    assert at.selectbox[0].value == "AML"
    at.button[0].click().run()
    assert not at.exception, at.exception
    counts = {m.label: m.value for m in at.metric}
    assert counts == {"Added": "1", "Amended": "2", "Repealed": "1", "Renumbered": "5"}
    text = "\n".join(m.value for m in at.markdown)
    assert "<del style='background:#fdd'>1,000</del>" in text and "3,000</ins>" in text
    assert "AML 14.5.1 -&gt; AML 15.5.1" in text or "AML 14.5.1 -> AML 15.5.1" in text


def test_changes_page_offers_no_other_regimes_text_as_a_version(
    two_versions: Settings, tmp_path: Path
) -> None:
    """A browser trial (twenty-seventh session): with ADGM's AML uploaded as ADGM text, the page
    offered it as a version of the AIFC's AML and Compare failed with a CLI hint; each regime's
    versions are listed apart, and one regime's two versions are compared."""
    from ingest.loaders import LoadOptions

    old, new, _ = digest_versions()
    for name, text, day in (("adgm-1.md", old, "2023-01-01"), ("adgm-2.md", new, "2023-06-01")):
        (tmp_path / name).write_text(text.replace("version:", "old_version:"))
        ingest_paths(Index.open(two_versions), [tmp_path / name],
                     LoadOptions(jurisdiction="ADGM", version_date=day))  # fmt: skip
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/changes.py").run()
    assert not at.exception, at.exception
    assert sorted(at.selectbox[0].options) == ["AML", "AML (ADGM)"]
    assert all("2023" not in o for o in at.selectbox[1].options)  # the AIFC's versions only
    at.selectbox[0].set_value("AML (ADGM)").run()
    assert all("2023" in o for o in at.selectbox[1].options), at.selectbox[1].options
    at.button[0].click().run()
    assert not at.exception, at.exception
    counts = {m.label: m.value for m in at.metric}
    assert counts == {"Added": "1", "Amended": "2", "Repealed": "1", "Renumbered": "5"}
    # (an app user's trial, twenty-ninth session) what was compared is said above the results,
    # with the regime; a selection changed since is told apart from them
    text = "\n".join(m.value for m in at.markdown)
    assert "**ADGM AML: 2023-01-01" in text and "-&gt; 2023-06-01" in text, text
    assert not at.warning
    at.selectbox[0].set_value("AML").run()
    assert any("not the ones selected now" in w.value for w in at.warning), at.warning


def test_changes_downloads_are_named_by_regime_and_versions() -> None:
    from assistant.changes.render import file_stem
    from assistant.changes.service import ChangeReport
    from assistant.changes.versions import Version

    v1 = Version("a", "AML", "rules", "2021-12-23", "AML 2021", "a.md")
    v2 = Version("b", "AML", "rules", "2023-06-01", "AML 2023", "b.md")
    assert file_stem(ChangeReport("AML", v1, v2, [], regime="ADGM")) == (
        "ADGM-AML-2021-12-23-to-2023-06-01-changes")  # fmt: skip
    assert file_stem(ChangeReport("AML", v1, v2, [])) == "AML-2021-12-23-to-2023-06-01-changes"


@pytest.mark.browser
@pytest.mark.slow
def test_changes_page_in_a_real_browser(two_versions: Settings) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_app import free_port, serve
    from tests.test_browser import ARGS, CHROMIUM, SHOTS

    port = free_port()
    proc = serve(port)  # inherits REGASSIST_DATA_DIR and the fake embedder from the fixture
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.set_default_timeout(90_000)
            page.goto(f"http://127.0.0.1:{port}/changes")
            page.get_by_role("button", name="Compare").click()
            try:
                page.get_by_text("AML 15.5.1").first.wait_for()
            finally:
                page.screenshot(path=str(SHOTS / "changes.png"), full_page=True)
            assert page.locator("del").filter(has_text="1,000").count() >= 1
            assert page.locator("ins").filter(has_text="3,000").count() >= 1
            page.wait_for_timeout(500)
            page.screenshot(path=str(SHOTS / "changes.png"), full_page=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert os.path.getsize(SHOTS / "changes.png") > 10_000
