import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.index import Index
from assistant.settings import Settings
from ingest.pipeline import ingest_paths
from tests.conftest import ROOT


@pytest.fixture
def app_env(settings: Settings, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    ingest_paths(Index.open(settings, create=True), [corpus_copy])
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    return settings


def test_typed_question_shows_matching_rules(app_env: Settings) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    at.text_input(key="query").input("AML 13.1.3").run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "1. AML 13.1.3" in shown
    assert any("resident in the Republic of Kazakhstan" in t.value for t in at.text)
    assert any("AML Rules: unofficial digest" in c.value for c in at.caption)


def test_missing_index_is_an_error_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "no index" in at.error[0].value and "regassist ingest" in at.error[0].value


@pytest.mark.integration
def test_streamlit_serves_the_app_on_localhost(app_env: Settings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ)
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    assert r.read() == b"ok"
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "streamlit did not become healthy"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert b'<div id="root">' in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
