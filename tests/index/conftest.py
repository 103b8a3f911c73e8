"""Shared by the storage tests: one real `chroma run` server per session."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.test_chroma_server import free_port, start_chroma


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
