"""Offline by default: ingest, search, ask and eval make no connection beyond loopback, and the
telemetry of Chroma, ragas and Streamlit is switched off in code and config."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PROBE = r"""
import ipaddress, json, sys

attempts = []

def loopback(host):
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False

def hook(event, args):
    if event == "socket.connect":
        addr = args[1]
        if isinstance(addr, tuple) and not loopback(str(addr[0])):
            attempts.append(f"connect {addr}")
    elif event == "socket.getaddrinfo":
        if not loopback(str(args[0])):
            attempts.append(f"resolve {args[0]}")

sys.addaudithook(hook)
from assistant.cli.main import main

data, corpus, report, out = sys.argv[1:5]
steps = [
    ["ingest", corpus, "--data-dir", data],
    ["search", "what information must accompany a crypto transfer", "--format", "json", "--data-dir", data],
    ["ask", "What is the CDD threshold for an occasional digital asset transaction?", "--data-dir", data],
    ["eval", "--data-dir", data, "--report", report],
    ["check-policy", corpus + "/policies/steppe-digital-aml-cft-policy.md", "--rulebook", "AML", "--data-dir", data],
]
codes = []
for step in steps:
    try:
        main(step, standalone_mode=False)
        codes.append(0)
    except SystemExit as exc:
        codes.append(exc.code or 0)
recorded = list(attempts)
hook("socket.connect", (None, ("203.0.113.9", 443)))  # control: the detector flags outside addresses
hook("socket.connect", (None, ("127.0.0.1", 8000)))  # ... and lets loopback through
open(out, "w").write(json.dumps({"attempts": recorded, "control": attempts[len(recorded):], "codes": codes}))
"""


def test_ingest_search_ask_eval_make_no_outside_connection(tmp_path: Path) -> None:
    out = tmp_path / "net.json"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("REGASSIST_", "HF_", "TRANSFORMERS_"))
    }
    res = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "data"), str(CORPUS), str(tmp_path / "report"),
                          str(out)], capture_output=True, text=True, env=env, timeout=900, cwd=ROOT)  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    seen = json.loads(out.read_text())
    assert seen["codes"] == [0, 0, 0, 0, 0], res.stderr[-3000:]
    assert seen["attempts"] == []
    assert seen["control"] == ["connect ('203.0.113.9', 443)"]
    assert (tmp_path / "report" / "report.html").exists()


def test_telemetry_is_off_in_code_and_config(tmp_path: Path) -> None:
    from assistant.index.core import Index
    from assistant.settings import Settings

    idx = Index.open(Settings(data_dir=tmp_path / "d", embedding_model="fake:hashing"), create=True)
    assert idx.vectors._client.get_settings().anonymized_telemetry is False
    import evals.ragas_adapter  # noqa: F401  (refuses to load unless the entry point switched tracking off)

    assert os.environ["RAGAS_DO_NOT_TRACK"] == "true"
    res = subprocess.run([sys.executable, "-c", "import evals.ragas_adapter"], capture_output=True, text=True,
                         cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "RAGAS_DO_NOT_TRACK"})  # fmt: skip
    assert res.returncode != 0 and "apply_offline_env" in res.stderr
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "gatherUsageStats = false" in config
    # nor an error panel's "Ask Google / Ask ChatGPT" links, which carry the traceback away
    assert "showErrorLinks = false" in config
    assert "--browser.gatherUsageStats false" in (ROOT / "Makefile").read_text()
