"""The ONNX Runtime backend of the bundled model: same vectors as sentence-transformers, and a
query path that never imports torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.index.embeddings import SentenceTransformerEmbedder, build_embedder
from assistant.index.onnx_embedder import OnnxEmbedder, export_dir
from assistant.settings import BUNDLED_MODEL, Settings
from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow

TEXTS = [
    "A Relevant Person must keep records for at least six years.",
    "The MLRO must be resident in Kazakhstan.",
    "Client Assets must be segregated from the firm's own assets. " * 12,  # longer than 256 tokens
    "short",
    "Стейблкоин",  # non-Latin text goes through the same tokenizer
]


def test_onnx_vectors_match_the_reference_model(tmp_path: Path) -> None:
    onnx = build_embedder(Settings(model_cache_dir=tmp_path / "cache"))
    assert isinstance(onnx, OnnxEmbedder) and onnx.backend == "onnx"
    ref = SentenceTransformerEmbedder(BUNDLED_MODEL)
    a, b = np.array(onnx.embed_documents(TEXTS)), np.array(ref.embed_documents(TEXTS))
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert float((a * b).sum(axis=1).min()) >= 0.999
    assert np.allclose(np.array(onnx.embed_query(TEXTS[0])), a[0], atol=1e-5)
    assert onnx.embedded == len(TEXTS)


def test_export_is_reused_and_keyed_by_model(tmp_path: Path) -> None:
    s = Settings(model_cache_dir=tmp_path / "cache")
    build_embedder(s).embed_query("x")
    exports = sorted((tmp_path / "cache").iterdir())
    assert [e.name.startswith("minilm-onnx-") for e in exports] == [True]
    stamp = (exports[0] / "model.onnx").stat().st_mtime_ns
    build_embedder(s).embed_query("y")  # a second process or index reuses the export
    assert (exports[0] / "model.onnx").stat().st_mtime_ns == stamp
    from assistant.index.embeddings import bundled_model_path

    assert export_dir(tmp_path / "cache", bundled_model_path(), False) == exports[0]
    assert export_dir(tmp_path / "cache", bundled_model_path(), True) != exports[0]


def test_torch_backend_stays_selectable(tmp_path: Path) -> None:
    emb = build_embedder(Settings(embedding_backend="torch"))
    assert isinstance(emb, SentenceTransformerEmbedder)
    # torch and onnx vectors agree, so switching backend keeps the same index identity
    assert Settings(embedding_backend="torch").index_id() == Settings().index_id()
    assert Settings(embedding_backend="onnx-int8").index_id() != Settings().index_id()


@pytest.mark.integration
def test_cli_query_path_does_not_import_torch(tmp_path: Path) -> None:
    """No torch, sentence-transformers or llama-index, and none of what LightGBM's import pulls in
    (the re-ranker is scored in numpy): each cost seconds of every cold `regassist ask`. The
    ONNX export is the one in the default cache (the ingest makes it if it is not there yet)."""
    data = tmp_path / "data"
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "assistant.cli", *a, "--data-dir", str(data)],
        capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=600,
    )  # fmt: skip
    assert run("ingest", str(CORPUS / "aifc")).returncode == 0
    probe = (
        "import sys, json\n"
        "from assistant.cli import main\n"
        "try:\n    main(['ask', 'What is the CDD threshold?', '--format', 'json', '--data-dir', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('torch', 'sentence_transformers', 'llama_index', 'lightgbm', 'sklearn', 'pandas')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )  # fmt: skip
    res = subprocess.run([sys.executable, "-c", probe, str(data)], capture_output=True, text=True, cwd=ROOT,
                         env=_env(), timeout=300)  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    heavy = json.loads(res.stdout.strip().splitlines()[-1])
    assert heavy == [], heavy


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("REGASSIST_")}
