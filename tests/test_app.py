"""AppTest tests of the Chat, Search and Library pages (fake embedder), and a real `streamlit run`."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answer.prompts import REFUSAL
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.settings import Settings
from evals.pdf_render import encrypted_pdf, rulebook_pdf
from ingest.loaders import LoadOptions
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app_env(settings: Settings, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    ingest_paths(Index.open(settings, create=True), [corpus_copy])
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    return settings


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def all_markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_chat_answers_with_citation_cards_and_keeps_history(app_env: Settings) -> None:
    at = app()
    assert any("Try one of these" in m.value for m in at.markdown)  # examples for a first-time user
    at.chat_input[0].set_value(
        "What is the CDD threshold for an occasional digital asset transaction?"
    ).run()
    assert not at.exception
    text = all_markdown(at)
    assert "[1] AML 6.1.1(a-a)" in text and "USD 1,000" in text
    assert any(
        "AML Rules: unofficial digest" in c.value and "version 2024-01-01" in c.value
        for c in at.caption
    )
    assert any(e.label.startswith("Full rule text of ") for e in at.expander)
    at.chat_input[0].set_value("AML 13.1.3").run()
    assert len(at.session_state["messages"]) == 4  # history is kept per session
    assert "[1] AML 13.1.3" in all_markdown(at)


def test_unanswerable_question_has_the_refusal_look(app_env: Settings) -> None:
    at = app()
    at.chat_input[0].set_value(
        "What hot/cold wallet ratio must a digital asset custodian keep?"
    ).run()
    assert any(REFUSAL in w.value for w in at.warning)
    assert "DAA 3.3" in all_markdown(at)  # closest provisions are still listed


def test_example_question_button_and_feedback_is_stored(app_env: Settings) -> None:
    at = app()
    at.button(key="example-1").click().run()
    assert "AML 6.1.1" in all_markdown(at)
    at.feedback(key="feedback-1").set_value(1).run()
    rows = [json.loads(x) for x in (app_env.data_dir / "feedback.jsonl").read_text().splitlines()]
    assert rows[-1]["rating"] == "up" and rows[-1]["question"].startswith(
        "What is the CDD threshold"
    )


def test_search_page_shows_matching_rules(app_env: Settings) -> None:
    at = app()
    at.switch_page("ui/search.py").run()
    at.text_input(key="query").input("AML 13.1.3").run()
    assert not at.exception
    assert "1. AML 13.1.3" in all_markdown(at)
    assert any("resident in the Republic of Kazakhstan" in t.value for t in at.text)


def test_search_page_keeps_a_query_naming_one_regime_to_its_texts(
    app_env: Settings, tmp_path: Path
) -> None:
    """A founder's trial of both regimes (fortieth session): a search naming ADGM ranked the
    AIFC's MLRO rule among ADGM's; the chat kept to ADGM's texts, the search did not."""
    theirs = tmp_path / "AML_VER09.md"
    theirs.write_text("# AML Rulebook\n\n## AML 12.1.1 MLRO\n\nThe MLRO must be resident in "
                      "the U.A.E.\n")  # fmt: skip
    ingest_paths(Index.open(app_env), [theirs], LoadOptions(jurisdiction="ADGM", rulebook="AML"))
    at = app()
    at.switch_page("ui/search.py").run()
    at.text_input(key="query").input("Under ADGM rules, where must the MLRO be resident?").run()
    assert not at.exception
    assert any("only the ADGM texts" in c.value for c in at.caption)
    text = all_markdown(at)
    assert "AML 12.1.1" in text and "AML 13.1.3" not in text, text


def test_library_lists_uploads_with_per_file_results_and_removes(
    app_env: Settings, tmp_path: Path
) -> None:
    at = app()
    at.switch_page("ui/library.py").run()
    assert not at.exception
    assert "10 documents" in " ".join(h.value for h in at.subheader)
    good = rulebook_pdf(tmp_path / "AML rules (v2).pdf").read_bytes()
    bad = encrypted_pdf(tmp_path / "locked.pdf").read_bytes()
    assert list(at.file_uploader(key="uploads-0").proto.type) == []  # (any file: see below)
    at.file_uploader(key="uploads-0").set_value([("AML rules (v2).pdf", good, "application/pdf"),
                                              ("locked.pdf", bad, "application/pdf"),
                                              ("logo.png", b"\x89PNG\r\n", "image/png")]).run()  # fmt: skip
    at.button(key="ingest_button").click().run()
    assert not at.exception
    assert any("AML rules (v2).pdf" in s.value and "added" in s.value for s in at.success)
    assert any("locked.pdf" in e.value and "encrypted PDF" in e.value for e in at.error)
    # a file of another type is named with the reason, not dropped by the uploader unsaid (a
    # browser trial, twenty-eighth session): the uploader takes any file (in a browser, one of
    # a type it was told to refuse never reached the page's code)
    assert any("logo.png" in e.value and "supported" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert "11 documents" in " ".join(h.value for h in at.subheader)
    assert (app_env.data_dir / "uploads").is_dir()
    # removing takes a choice and a confirmation (a new user removed a preselected document
    # with one click, 2026-12-04), and the upload's stored copy goes with it
    assert at.selectbox(key="remove_choice").value is None
    assert at.button(key="remove_button").disabled
    target = next(o for o in at.selectbox(key="remove_choice").options if "(aml-rules-v2-" in o)
    at.selectbox(key="remove_choice").set_value(target).run()
    assert at.button(key="remove_button").disabled
    stored = [p for p in (app_env.data_dir / "uploads").iterdir() if p.suffix == ".pdf"]
    assert len(stored) == 1, stored
    at.checkbox(key="remove_confirm").check().run()
    # (the review) a confirmation given for one document does not carry over to another
    other = next(o for o in at.selectbox(key="remove_choice").options if o != target)
    at.selectbox(key="remove_choice").set_value(other).run()
    assert at.button(key="remove_button").disabled
    at.selectbox(key="remove_choice").set_value(target).run()
    at.checkbox(key="remove_confirm").check().run()
    at.button(key="remove_button").click().run()
    assert any("Removed" in s.value for s in at.success)
    assert "10 documents" in " ".join(h.value for h in at.subheader)
    assert not stored[0].exists()
    # the ingest's results go with it ("added" stayed under "Removed", twentieth session)
    assert not any("added" in s.value for s in at.success), [s.value for s in at.success]
    assert not any("locked.pdf" in e.value for e in at.error)


def _ingest_good_and_locked(app_env: Settings, tmp_path: Path) -> AppTest:
    at = app()
    at.switch_page("ui/library.py").run()
    good = rulebook_pdf(tmp_path / "AML rules (v2).pdf").read_bytes()
    bad = encrypted_pdf(tmp_path / "locked.pdf").read_bytes()
    at.file_uploader(key="uploads-0").set_value([("AML rules (v2).pdf", good, "application/pdf"),
                                              ("locked.pdf", bad, "application/pdf")]).run()  # fmt: skip
    at.button(key="ingest_button").click().run()
    assert not at.exception
    return at


def test_library_progress_stays_and_counts_a_failed_file_as_failed(
    app_env: Settings, tmp_path: Path
) -> None:
    at = _ingest_good_and_locked(app_env, tmp_path)
    bars = at.get("progress")
    assert bars, "the progress bar is still shown after the rerun"
    assert bars[-1].value == 100
    assert bars[-1].text == "Processed 2 of 2 files: 1 ingested, 1 failed"


def test_library_error_names_the_file_once_and_leaks_no_path(
    app_env: Settings, tmp_path: Path
) -> None:
    at = _ingest_good_and_locked(app_env, tmp_path)
    (err,) = [e.value for e in at.error if "locked.pdf" in e.value]
    assert err.count("locked.pdf") == 1
    assert "uploads" not in err and str(app_env.data_dir) not in err and "/" not in err
    assert "hint:" not in err and "remove the password" in err


def test_library_titles_an_upload_by_its_file_name_with_its_rulebook_and_no_none_cells(
    app_env: Settings, tmp_path: Path
) -> None:
    at = _ingest_good_and_locked(app_env, tmp_path)
    frame = at.dataframe[0].value
    row = frame[frame["title"] == "AML rules (v2).pdf"]
    assert len(row) == 1 and row.iloc[0]["rulebook"] == "AML"
    assert row.iloc[0]["heading"].startswith("ANTI-MONEY LAUNDERING")  # the PDF's own heading
    # citations show the same title: the catalog holds the upload's file name, not the PDF heading
    titles = {d["title"] for d in Index.open(app_env).documents()}
    assert "AML rules (v2).pdf" in titles and not any(t.startswith("ANTI-MONEY") for t in titles)
    cells = frame.astype(str).to_numpy().ravel().tolist()
    assert "None" not in cells and "nan" not in cells


def test_library_uploader_is_empty_after_ingest(app_env: Settings, tmp_path: Path) -> None:
    at = _ingest_good_and_locked(app_env, tmp_path)
    keys = [u.key for u in at.get("file_uploader")]
    assert keys == ["uploads-1"]  # a fresh uploader: the ingested files are gone from it
    assert not at.file_uploader(key="uploads-1").value
    assert at.button(key="ingest_button").disabled


def test_library_stores_an_upload_s_regime_as_the_cli_does(
    app_env: Settings, tmp_path: Path
) -> None:
    """A citation audit (twenty-fifth session): another centre's rulebooks uploaded for
    comparison were stored as AIFC rules; the upload takes a regime, as `ingest --jurisdiction`
    does, and offers the regimes already indexed. (A new name typed into the box is checked by
    ``REGIME_NAME``, as the CLI's is, tested there: AppTest cannot type one.)"""
    other = tmp_path / "other.md"
    other.write_text("---\njurisdiction: ADGM\n---\n# AML 1.1 Scope\n\nA firm must keep records.\n")
    ingest_paths(Index.open(app_env), [other])
    at = app()
    at.switch_page("ui/library.py").run()
    assert at.selectbox(key="upload_regime").options == ["(detect)", "AIFC", "RK", "ADGM"]
    good = rulebook_pdf(tmp_path / "other-aml.pdf").read_bytes()
    at.file_uploader(key="uploads-0").set_value([("other-aml.pdf", good, "application/pdf")]).run()
    at.selectbox(key="upload_regime").set_value("ADGM").run()
    at.button(key="ingest_button").click().run()
    assert not at.exception
    docs = {d["title"]: d for d in Index.open(app_env).documents()}
    assert docs["other-aml.pdf"]["jurisdiction"] == "ADGM"


def test_library_takes_a_rulebook_code_of_the_users_own(app_env: Settings) -> None:
    """A browser trial (thirty-fourth session): the Rulebook box offered only the AIFC's codes
    and the indexed ones, so an uploaded "Outsourcing Rules (OSR)" could not be cited by its
    rules' numbers, as `ingest --rulebook OSR` cites them. The box takes a code typed (in
    capitals; typed in a real browser in test_ui_browser), and one that is no code is refused."""
    from ingest.loaders import rulebook_code

    assert rulebook_code(" osr ") == "OSR" and rulebook_code("PRU(INV)") == "PRU(INV)"
    assert rulebook_code("PRU(BB)") == "PRUBB"  # as the index stores it (a review)
    assert rulebook_code("Outsourcing Rules") is None and rulebook_code("X") is None
    at = app()
    at.switch_page("ui/library.py").run()
    assert at.selectbox(key="upload_rulebook").proto.accept_new_options


def test_library_keeps_an_uploads_regime_and_says_so(app_env: Settings, tmp_path: Path) -> None:
    """A browser trial (twenty-seventh session): ADGM's COBS uploaded with Regime ADGM, then again
    after a visit to Chat, where the Regime box had gone back to "(detect)", became an AIFC
    rulebook with no word said, and the table had no regime to show it. The table shows each
    document's regime, the upload options stay as chosen across page visits, and a file uploaded
    again without a regime keeps the one it was first given (the CLI's ingest too)."""
    other = tmp_path / "other.md"
    other.write_text("# AML 1.1 Scope\n\nA firm must keep records.\n")
    ingest_paths(Index.open(app_env), [other], LoadOptions(jurisdiction="ADGM"))
    at = app()
    at.switch_page("ui/library.py").run()
    frame = at.dataframe[0].value
    assert set(frame["regime"]) == {"AIFC", "RK", "ADGM"}, set(frame["regime"])
    good = rulebook_pdf(tmp_path / "other-aml.pdf").read_bytes()
    at.file_uploader(key="uploads-0").set_value([("other-aml.pdf", good, "application/pdf")]).run()
    at.selectbox(key="upload_regime").set_value("ADGM").run()
    at.button(key="ingest_button").click().run()
    assert not at.exception
    at.switch_page("ui/chat.py").run()
    at.switch_page("ui/library.py").run()
    assert at.selectbox(key="upload_regime").value == "ADGM"  # as chosen before the visit
    # uploaded again, dated, with the Regime left to detect: ADGM kept, and said
    at.selectbox(key="upload_regime").set_value("(detect)").run()
    at.checkbox(key="upload_set_version").check().run()
    at.file_uploader(key="uploads-1").set_value([("other-aml.pdf", good, "application/pdf")]).run()
    at.button(key="ingest_button").click().run()
    assert not at.exception
    docs = {d["title"]: d for d in Index.open(app_env).documents()}
    assert docs["other-aml.pdf"]["jurisdiction"] == "ADGM"
    assert any("as given when it was first ingested" in c.value for c in at.caption), [
        c.value for c in at.caption
    ]


def test_library_names_the_files_an_interrupted_ingest_left_out(app_env: Settings) -> None:
    """The same trial: leaving the Library during an ingest of two files stopped it after the
    first, and the second was never ingested, with no word; the page says which were left out
    when it is opened again (what was ingested stays)."""
    at = app()
    at.session_state["ingest_pending"] = ["COBS_VER15.pdf"]
    at.switch_page("ui/library.py").run()
    assert not at.exception
    assert any("not ingested: COBS_VER15.pdf" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    at.run()
    assert not any("not ingested" in w.value for w in at.warning)  # said once


def test_missing_index_is_an_error_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    at = app()
    assert "no index" in at.error[0].value and "regassist ingest" in at.error[0].value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    """`streamlit run app.py` on loopback, as `make app` does; waits until healthy."""
    cmd = [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ), cwd=ROOT
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"streamlit did not become healthy:\n{out}")
        time.sleep(0.3)


@pytest.mark.integration
def test_streamlit_serves_the_app_on_localhost(app_env: Settings) -> None:
    port = free_port()
    proc = serve(port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert b'<div id="root">' in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_evals_page_shows_latest_report_with_links_to_the_chat(app_env: Settings) -> None:
    from assistant.answer.assistant import Assistant
    from evals.dataset import load_dataset
    from evals.gate import check, load_thresholds
    from evals.report import write_reports
    from evals.runner import run_eval

    at = app()
    at.switch_page("ui/evals.py").run()
    assert any("No eval report yet" in i.value for i in at.info)
    quiet = app_env.model_copy(
        update={"answer": app_env.answer.model_copy(update={"audit_log": False})}
    )
    run = run_eval(
        Assistant(Index.open(quiet)), load_dataset()[:12], dataset="aifc_core", version="t"
    )
    failures = check(run.overall, load_thresholds())
    write_reports(run, load_thresholds(), failures, app_env.data_dir / "eval-report")
    at.run()
    assert not at.exception
    assert at.dataframe and ("hit@5" in str(at.dataframe[0].value))
    if failures:
        assert at.error and "Gate failed" in at.error[0].value
    links = [m.value for m in at.markdown if "ask it in the chat" in m.value]
    assert len(links) == sum(not r.passed for r in run.results)


def test_chat_asks_a_question_passed_in_the_link(app_env: Settings) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "AML 13.1.3"
    at.run()
    assert not at.exception
    assert "[1] AML 13.1.3" in all_markdown(at)


def test_chat_link_path_is_a_registered_page_that_reads_q(app_env: Settings) -> None:
    """The Evals page links to /chat?q=...: /chat must be a page, not "Page not found"."""
    from streamlit.util import calc_hash

    at = app()
    pages = {info.get("url_pathname"): h for h, info in at._registered_pages.items()}
    assert "chat" in pages and "" in pages  # /chat and / (the default page)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at._page_hash = calc_hash("chat")  # what a browser at /chat asks for
    at.query_params["q"] = "AML 13.1.3"
    at.run()
    assert not at.exception
    assert "[1] AML 13.1.3" in all_markdown(at)


def test_policy_check_page_reports_findings_with_both_quotes(app_env: Settings) -> None:
    draft = (ROOT / "corpus/policies/steppe-digital-aml-cft-policy.md").read_bytes()
    at = app()
    at.switch_page("ui/policy.py").run()
    assert not at.exception
    at.file_uploader(key="policy_upload").set_value(
        [("steppe draft.md", draft, "text/markdown")]
    ).run()
    at.button(key="policy_run").click().run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Covered", "Partial", "Conflicting", "Missing"]
    # which rulebook versions the draft was checked against
    assert any(c.value.startswith("Checked against AML 2024-01-01") for c in at.caption)
    assert at.dataframe  # the findings table
    assert any(m.value.startswith("**Rule AML") for m in at.markdown)  # drill-down: rule quote ...
    assert any(m.value.startswith("**Draft ") for m in at.markdown)  # ... beside the draft clause
    at.multiselect(key="policy_filter_status").set_value(["conflicting"]).run()
    assert all(o.startswith("conflicting") for o in at.selectbox(key="policy_detail").options)
    # (a browser trial, thirty-fourth session) a rulebook chosen and not checked is warned of
    # where it is seen, not dropped without a word: the digest's MAR states no obligation
    at.multiselect(key="policy_books").set_value(["AML", "MAR"]).run()
    at.button(key="policy_run").click().run()
    assert not at.exception
    assert any("not checked: MAR, no obligation found in its indexed text" in w.value
               for w in at.warning), [w.value for w in at.warning]  # fmt: skip


def test_policy_check_page_rejects_wrong_content_and_oversize(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app()
    at.switch_page("ui/policy.py").run()
    at.file_uploader(key="policy_upload").set_value(
        [("draft.pdf", b"this is not a PDF at all", "application/pdf")]
    ).run()
    at.button(key="policy_run").click().run()
    assert not at.exception
    assert any("not a PDF" in e.value for e in at.error)
    monkeypatch.setenv("REGASSIST_MAX_FILE_MB", "0.00001")
    at.button(key="policy_run").click().run()
    assert any("over the" in e.value and "limit" in e.value for e in at.error)


def _policy_checked(app_env: Settings) -> AppTest:
    draft = (ROOT / "corpus/policies/steppe-digital-aml-cft-policy.md").read_bytes()
    at = app()
    at.switch_page("ui/policy.py").run()
    at.file_uploader(key="policy_upload").set_value(
        [("steppe draft.md", draft, "text/markdown")]
    ).run()
    at.button(key="policy_run").click().run()
    assert not at.exception
    return at


def test_policy_table_wraps_full_text_and_a_clicked_row_opens_its_details(
    app_env: Settings,
) -> None:
    at = _policy_checked(app_env)
    table = at.dataframe[0]
    config = json.loads(table.proto.columns)
    widths = {k: v["width"] for k, v in config.items() if "width" in v}
    assert widths["obligation"] >= 240 and widths["reason"] >= 240  # wide, wrapped columns
    assert sum(widths.values()) <= 790  # all columns fit: nothing cut off at the right
    assert table.proto.row_height >= 60  # tall rows wrap the text instead of cutting it
    frame = table.value
    report = at.session_state["policy_report"]
    longest = max((f.to_dict()["obligation"] for f in report.findings), key=len)
    assert longest.strip("# ") in set(frame["obligation"])  # the whole text, not cut
    assert table.proto.selection_mode  # rows can be selected
    pick = len(frame) - 1  # click the last row
    at.session_state["policy_table"] = {"selection": {"rows": [pick], "columns": []}}
    at.run()
    assert not at.exception
    assert at.selectbox(key="policy_detail").value == pick
    rule = frame.iloc[pick]["rule"]
    assert any(m.value.startswith(f"**Rule {rule}") for m in at.markdown)


def test_policy_conflict_is_red_and_reasons_use_the_rules_words(app_env: Settings) -> None:
    at = _policy_checked(app_env)
    at.multiselect(key="policy_filter_status").set_value(["conflicting"]).run()
    assert at.error and at.error[0].value.startswith("**Conflicting**")
    assert not [i for i in at.info if "Conflicting" in i.value]  # no longer a blue info box
    from assistant.index.keywords import Tokenizer
    from ui.policy import table_rows

    stem = Tokenizer()._stem
    rows = [f.to_dict() for f in at.session_state["policy_report"].findings]
    for row, shown in zip(rows, table_rows(rows), strict=True):
        words = {
            w.lower()
            for w in re.findall(r"[A-Za-z]+", row["obligation"] + " " + (row["clause_quote"] or ""))
        }
        stems = {stem(w) for w in words if len(stem(w)) > 3} - words  # "republ", "deputi"
        assert not [w for w in re.findall(r"[A-Za-z]+", shown["reason"]) if w.lower() in stems], (
            shown
        )


def test_policy_unmatched_clauses_show_no_markdown_heading(app_env: Settings) -> None:
    at = _policy_checked(app_env)
    report = at.session_state["policy_report"]
    assert report.unmatched, "the bundled draft has clauses no obligation matches (its preamble)"
    exp = next(e for e in at.expander if e.label.startswith("Draft clauses no finding cites"))
    items = [m.value for m in exp.markdown]
    assert items and not any(re.search(r"(?m)^\s*#{1,6}\s|\*\*#", v) for v in items)


def test_search_rulebook_filter_is_a_dropdown_like_chat(app_env: Settings) -> None:
    at = app()
    at.switch_page("ui/search.py").run()
    books = at.multiselect(key="search_books")
    assert "AML" in books.options and "DAA" in books.options
    at.multiselect(key="search_books").set_value(["DAA"]).run()
    at.text_input(key="query").input("custody of client digital assets").run()
    assert not at.exception
    refs = [m.value for m in at.markdown if re.match(r"\*\*\d+\. ", m.value)]
    assert refs and all("DAA" in r or "Unnumbered" in r for r in refs)


def test_streamlit_watches_no_files_and_make_app_says_so() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
    assert ".venv" in config["server"]["folderWatchBlacklist"]
    make_app = (ROOT / "Makefile").read_text().split("\napp:")[1].split("\n\n")[0]
    assert "--server.fileWatcherType none" in make_app


def test_page_icon_is_a_local_file_not_a_font_icon(app_env: Settings) -> None:
    source = (ROOT / "app.py").read_text()
    assert (
        "page_icon=str(ICON)" in source and ":material/" not in source.split("page_icon=")[1][:40]
    )
    from ui.common import ICON

    assert ICON.is_file() and ICON.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_policy_report_says_when_its_inputs_changed_and_a_failed_check_clears_it(
    app_env: Settings,
) -> None:
    """Found by a new user in a real browser (2026-12-04): after a page switch the uploader was
    empty and the firm type reset, under the old report; and a draft that failed to check left
    the previous draft's report, with its downloads, below the error."""
    at = _policy_checked(app_env)
    assert not at.warning
    at.multiselect(key="policy_firm_types").set_value(["Custodian"]).run()
    assert any("This report is for **steppe draft.md**" in w.value
               and "check the draft again" in w.value for w in at.warning)  # fmt: skip
    # (the review) another file under the same name is another draft
    at.multiselect(key="policy_firm_types").set_value(["DATF operator"]).run()
    assert not at.warning
    at.file_uploader(key="policy_upload").set_value(
        [("steppe draft.md", b"# Other draft\n\n1.1 We keep records.\n", "text/markdown")]
    ).run()
    assert any("This report is for **steppe draft.md**" in w.value for w in at.warning)
    at.file_uploader(key="policy_upload").set_value(
        [("junk.pdf", b"this is not a PDF at all", "application/pdf")]
    ).run()
    at.button(key="policy_run").click().run()
    assert any("not a PDF" in e.value for e in at.error)
    assert not at.metric and not at.get("download_button")


def test_trial_a_new_report_or_a_stale_detail_value_does_not_break_the_page(
    app_env: Settings,
) -> None:
    """A new user's trial, 2026-12-04 (sixteenth session): the third draft checked in a session
    broke the page ("'>=' not supported between instances of 'str' and 'int'" in ui/policy.py):
    the drill-down's key held something other than a row index of the new table."""
    at = _policy_checked(app_env)
    last = len(at.selectbox(key="policy_detail").options) - 1
    at.selectbox(key="policy_detail").set_value(last).run()
    assert not at.exception
    short = b"# Short policy\n\n1.1 The MLRO is resident in Kazakhstan.\n"
    at.file_uploader(key="policy_upload").set_value([("short.md", short, "text/markdown")]).run()
    at.button(key="policy_run").click().run()
    assert not at.exception
    assert at.selectbox(key="policy_detail").value == 0  # the new table's first row
    label = at.selectbox(key="policy_detail").options[0]
    at.session_state["policy_detail"] = label  # the old row's label, not an index
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="policy_detail").value == 0


def test_a_card_says_when_its_source_is_no_rule() -> None:
    """The chat's citation card names national law and, since the seventeenth session, a
    passage of no rulebook (the firm's memo), as the CLI's source list does."""
    from ui.common import where

    assert "RK national law, not an AIFC rule" in where({"title": "Law", "jurisdiction": "RK"})
    memo = {"title": "memo", "jurisdiction": "AIFC", "kind": "other", "outside_rules": True}
    assert where(memo) == "memo · not a rule: kind 'other', no rulebook"
    assert where({"title": "AML", "jurisdiction": "AIFC", "kind": "rules"}) == "AML"
    # another regime's text is not "national law" (twentieth session)
    assert where({"title": "COBS", "jurisdiction": "ADGM"}) == "COBS · ADGM text, not an AIFC rule"


def test_exports_mark_guidance_and_repealed_sources() -> None:
    """An MLRO's browser trial (twentieth session): the chat's cards read "AML 11-1.2 ·
    Guidance" and "GEN 2.1.2 · Repealed", the exports' Sources lists left both out, and "where
    does it say that?" listed AML 11-1.2 twice with no sign that one was guidance."""
    from assistant.answer.previous import answer_about
    from ui.export import chat_docx, chat_markdown

    cites = [{"n": 1, "ref": "AML 11-1.2", "title": "AML", "quote": "q1", "is_guidance": True},
             {"n": 2, "ref": "GEN 2.1.2", "title": "GEN", "quote": "q2", "repealed": True}]  # fmt: skip
    a = {"answer": "x [1]", "abstained": False, "citations": cites, "notes": [],
         "mode": "extractive", "index_id": "i", "as_of": None}  # fmt: skip
    md = chat_markdown([{"role": "assistant", "question": "Q?", "answer": a}])
    assert (
        "1. **AML 11-1.2** · _Guidance_, AML" in md and "2. **GEN 2.1.2** · _Repealed_, GEN" in md
    )
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(chat_docx(
        [{"role": "assistant", "question": "Q?", "answer": a}]))).paragraphs)  # fmt: skip
    assert "[1] AML 11-1.2 · Guidance, AML" in text and "[2] GEN 2.1.2 · Repealed, GEN" in text
    said = answer_about("source", {"citations": cites}, "which rule says that?")["answer"]
    assert "[1] AML 11-1.2 (AML, guidance)" in said and "[2] GEN 2.1.2 (GEN, repealed)" in said


def test_a_memos_card_offers_its_full_text_not_a_rule_text() -> None:
    """A founder's browser trial (seventeenth session): the card of a memo's passage, marked
    [not a rule], offered "Full rule text"."""

    def card() -> None:
        from ui.common import citation_card

        base = {"n": 1, "chunk_id": "c", "quote": "q", "full_text": "Our MLRO may live in Dubai."}
        citation_card(base | {"ref": None, "title": "memo", "outside_rules": True}, key="a")
        citation_card(base | {"n": 2, "ref": "AML 13.1.3", "title": "AML"}, key="b")

    at = AppTest.from_function(card).run()
    assert [e.label for e in at.expander] == [
        "Full text of the passage",
        "Full rule text of AML 13.1.3",
    ]
    # each control named by its passage (a screen-reader user's trial, thirty-ninth session)
    assert [t.label for t in at.toggle] == ["Show the passage in its section",
                                            "Show AML 13.1.3 in its section"]  # fmt: skip


def test_a_misspelt_setting_is_shown_in_the_sidebar(
    app_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGASSIST_LLM_BASE_URL", "http://localhost:11434/v1")
    at = app()
    warnings = [w.value for w in at.sidebar.warning]
    assert any("REGASSIST_LLM_BASE_URL is not a regassist setting (did you mean REGASSIST_LLM__BASE_URL?)"
               in w for w in warnings), warnings  # fmt: skip


def test_trial_the_policy_choices_survive_a_visit_to_another_page(app_env: Settings) -> None:
    """A stablecoin founder's browser trial (twentieth session): after a visit to the chat the
    firm type and rulebooks were back to their defaults and the page said "The inputs above have
    changed", though the user changed nothing."""
    draft = (ROOT / "corpus/policies/steppe-digital-aml-cft-policy.md").read_bytes()
    at = app()
    at.switch_page("ui/policy.py").run()
    at.file_uploader(key="policy_upload").set_value([("d.md", draft, "text/markdown")]).run()
    at.multiselect(key="policy_firm_types").set_value(["Custodian", "DATF operator"]).run()
    at.multiselect(key="policy_books").set_value(["AML", "DAA"]).run()
    at.button(key="policy_run").click().run()
    at.switch_page("ui/chat.py").run()
    at.switch_page("ui/policy.py").run()
    assert not at.exception
    assert sorted(at.multiselect(key="policy_firm_types").value) == ["Custodian", "DATF operator"]
    assert sorted(at.multiselect(key="policy_books").value) == ["AML", "DAA"]
    assert not at.warning, [w.value for w in at.warning]
    assert at.file_uploader(key="policy_upload").value is None  # emptied by the page switch
    assert any("Upload the draft again" in i.value for i in at.info)
    # (a review) a firm type really changed is still said to differ from the report
    at.multiselect(key="policy_firm_types").set_value(["Custodian"]).run()
    assert any("differ from the report's" in w.value for w in at.warning)


def test_a_citation_card_heading_carries_its_regime_mark() -> None:
    """An app user's trial (twenty-ninth session): the answer's note promised "provisions marked
    [ADGM]", yet the chat's cards read "[2] AML 14.3.3", like the AIFC's AML 13.8.1."""
    from ui.common import card_heading

    assert (
        card_heading({"n": 2, "ref": "AML 14.3.3", "jurisdiction": "ADGM"})
        == "**[2] \\[ADGM\\] AML 14.3.3**"
    )
    assert (
        card_heading({"n": 1, "ref": "AML 13.8.1", "jurisdiction": "AIFC"}) == "**[1] AML 13.8.1**"
    )
    assert (
        card_heading({"n": 3, "ref": None, "heading": "Art. 1", "jurisdiction": "RK"})
        == "**[3] \\[RK\\] Art. 1**"
    )
    # the paragraph quoted, where the text numbers it with its rule (fortieth session)
    assert card_heading(
        {"n": 1, "ref": "CMC 2.2", "pinpoint": "CMC 2.2(6)", "jurisdiction": "ADGM"}
    ) == ("**[1] \\[ADGM\\] CMC 2.2(6)**")


def test_library_starts_an_index_where_there_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An app user's trial (twenty-ninth session): with an empty data directory the Library
    showed only "no index ... build one first: regassist ingest ...", and no uploader."""
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    at = app()
    at.switch_page("ui/library.py").run()
    assert not at.exception, at.exception
    assert any("There is no index" in i.value for i in at.info), at.info
    at.button(key="new_index").click().run()
    assert not at.exception, at.exception
    assert any("0 documents" in h.value for h in at.subheader), [h.value for h in at.subheader]


def test_library_offers_no_empty_index_over_a_damaged_one_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review (twenty-ninth session): a data directory that lost its manifest was offered an
    "empty" index that took over its chunks; a path that is a file crashed the page."""
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "catalog.sqlite3").write_bytes(b"")
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(damaged))
    at = app()
    at.switch_page("ui/library.py").run()
    assert not at.exception and not at.info and at.error, (at.exception, at.info)
    afile = tmp_path / "afile"
    afile.write_text("x")
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(afile))
    at = app()
    at.switch_page("ui/library.py").run()
    if at.button and any(b.key == "new_index" for b in at.button):
        at.button(key="new_index").click().run()
    assert not at.exception, at.exception
