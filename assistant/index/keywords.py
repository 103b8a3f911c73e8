"""The keyword seam: BM25 (bm25s) over chunk texts, persisted beside Chroma.

Tokens keep rule numbers whole ("6.1.1", "11-1.1") as well as their parts, and words are
stemmed (PyStemmer) with English stopwords removed.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "do",
        "does",
        "any",
        "can",
        "i",
        "we",
        "you",
        "our",
        "your",
        "its",
        "from",
        "has",
        "have",
        "had",
        "been",
        "were",
        "when",
        "where",
    ]
)


class Tokenizer:
    def __init__(self) -> None:
        import Stemmer

        self._stem = Stemmer.Stemmer("english").stemWord

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for tok in _TOKEN.findall(text.lower()):
            if any(ch in tok for ch in ".-") and any(ch.isdigit() for ch in tok):
                out.append(tok)  # the whole rule number, then its parts
                parts = re.split(r"[.\-]", tok)
                out.extend(p for p in parts if p and not p.isdigit())
                continue
            for part in re.split(r"[.\-]", tok):
                if part and part not in _STOP and not (part.isdigit() and len(part) == 1):
                    out.append(self._stem(part))
        return out


class BM25Index:
    """A BM25 index over (chunk id, text) pairs, saved to and loaded from a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.tokenize = Tokenizer()
        self._model = None
        self._ids: list[str] = []
        self.generation = -1
        self._mask: tuple[int, int, np.ndarray] | None = None  # (id(allowed), generation, mask)

    def build(
        self, items: Sequence[tuple[str, str]], generation: int, *, save: bool = True
    ) -> None:
        import bm25s

        self._ids = [cid for cid, _ in items]
        self.generation = generation
        if not items:
            self._model = None
        else:
            model = bm25s.BM25(k1=1.2, b=0.75)
            model.index([self.tokenize(t) or ["_"] for _, t in items], show_progress=False)
            self._model = model
        if save:
            self._save()

    def _save(self) -> None:
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._model is not None:
            self._model.save(str(tmp / "model"))
        (tmp / "ids.json").write_text(json.dumps({"generation": self.generation, "ids": self._ids}))
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)

    def load(self) -> bool:
        """Load from disk; False when nothing usable is there."""
        import bm25s

        meta = self.directory / "ids.json"
        if not meta.exists():
            return False
        try:
            data = json.loads(meta.read_text())
            model = bm25s.BM25.load(str(self.directory / "model")) if data["ids"] else None
        except (OSError, ValueError, KeyError):
            return False
        self._ids, self.generation, self._model = data["ids"], int(data["generation"]), model
        return True

    def query(self, text: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best chunks as (chunk id, BM25 score), best first; only ``allowed`` ids if given."""
        if self._model is None or not self._ids:
            return []
        vocab = self._model.vocab_dict
        q = [vocab[t] for t in self.tokenize(text) if t in vocab]
        if not q:
            return []
        mask = None
        if allowed is not None:
            if self._mask is None or self._mask[:2] != (id(allowed), self.generation):
                built = np.fromiter(
                    (cid in allowed for cid in self._ids), dtype=np.float32, count=len(self._ids)
                )
                self._mask = (id(allowed), self.generation, built)
            mask = self._mask[2]
            if not mask.any():
                return []
        n = min(k, len(self._ids))
        docs, scores = self._model.retrieve([q], k=n, show_progress=False, weight_mask=mask)
        out = []
        for idx, score in zip(docs[0], scores[0], strict=True):
            if score > 0:
                out.append((self._ids[int(idx)], float(score)))
        return out
