"""The keyword seam: BM25 (bm25s) over chunk texts, persisted beside Chroma.

Tokens keep rule numbers whole ("6.1.1", "11-1.1") as well as their parts, and words are
stemmed (PyStemmer) with English stopwords removed.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
# The one keyword stop-word list (BM25, the app's term highlighting, the evals' baselines aside).
STOP_WORDS = frozenset(
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


_STOP = STOP_WORDS  # old name, still imported by ui/common.py


def _bm25s() -> Any:
    """bm25s, with its logger back at WARNING: it sets itself to DEBUG on import, and once any
    library configures the root logger (absl, under ragas's ROUGE, does) every index build
    printed "DEBUG:bm25s:Building index from tokens" among the eval's output."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class Tokenizer:
    """Shared by threads: PyStemmer's stemmers are not thread-safe, so each thread gets its own."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _stem(self, word: str) -> str:
        stem = getattr(self._local, "stem", None)
        if stem is None:
            import Stemmer

            stem = self._local.stem = Stemmer.Stemmer("english").stemWord
        return str(stem(word))

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for tok in _TOKEN.findall(text.lower()):
            if any(ch in tok for ch in ".-") and any(ch.isdigit() for ch in tok):
                out.append(tok)  # the whole rule number, then its parts
                parts = re.split(r"[.\-]", tok)
                out.extend(p for p in parts if p and not p.isdigit())
                continue
            for part in re.split(r"[.\-]", tok):
                if part and part not in STOP_WORDS and not (part.isdigit() and len(part) == 1):
                    out.append(self._stem(part))
        return out


_MASKS = 32  # filter masks kept per index: one per distinct filter in recent use


class BM25Index:
    """A BM25 index over (chunk id, text) pairs, saved to and loaded from a directory.

    Safe to share between threads: ``build``/``load`` swap the whole state in one step under the
    lock, a query reads it once, and filter masks are cached by the value of the allowed set and
    the generation (never by ``id()``, which a freed set hands on to the next one)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.tokenize = Tokenizer()
        self.generation = -1
        self._lock = threading.Lock()
        self._state: tuple[Any, list[str], int] = (None, [], -1)  # (model, ids, generation)
        self._masks: OrderedDict[tuple[frozenset[str], int], np.ndarray] = OrderedDict()
        self._stats: tuple[object, tuple[int, Mapping[str, int]]] | None = None  # (state, stats)

    def _set(self, model: Any, ids: list[str], generation: int) -> None:
        with self._lock:
            self._state = (model, ids, generation)
            self.generation = generation
            self._masks.clear()
            self._stats = None

    def build(
        self, items: Sequence[tuple[str, str]], generation: int, *, save: bool = True
    ) -> None:
        bm25s = _bm25s()
        model = None
        if items:
            model = bm25s.BM25(k1=1.2, b=0.75)
            model.index([self.tokenize(t) or ["_"] for _, t in items], show_progress=False)
        ids = [cid for cid, _ in items]
        self._set(model, ids, generation)
        if save:
            self._save(model, ids, generation)

    def _save(self, model: Any, ids: list[str], generation: int) -> None:
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if model is not None:
            model.save(str(tmp / "model"))
        (tmp / "ids.json").write_text(json.dumps({"generation": generation, "ids": ids}))
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)

    def load(self) -> bool:
        """Load from disk; False when nothing usable is there."""
        bm25s = _bm25s()

        meta = self.directory / "ids.json"
        if not meta.exists():
            return False
        try:
            data = json.loads(meta.read_text())
            model = bm25s.BM25.load(str(self.directory / "model")) if data["ids"] else None
            ids, generation = list(data["ids"]), int(data["generation"])
        except (OSError, ValueError, KeyError):
            return False
        self._set(model, ids, generation)
        return True

    def _mask(self, allowed: frozenset[str], ids: list[str], generation: int) -> np.ndarray:
        key = (allowed, generation)
        with self._lock:
            mask = self._masks.get(key)
            if mask is not None:
                self._masks.move_to_end(key)
                return mask
        mask = np.fromiter((cid in allowed for cid in ids), dtype=np.float32, count=len(ids))
        with self._lock:
            if generation == self._state[2]:  # not a mask for a state that was just replaced
                self._masks[key] = mask
                while len(self._masks) > _MASKS:
                    self._masks.popitem(last=False)
        return mask

    def term_stats(self) -> tuple[int, Mapping[str, int]]:
        """(texts indexed, term -> texts containing it), computed once per build."""
        state = self._state
        with self._lock:
            if self._stats is not None and self._stats[0] is state:
                return self._stats[1]
        model, ids, _ = state
        stats: tuple[int, Mapping[str, int]] = (0, {})
        if model is not None:
            indptr = model.scores["indptr"]  # one column of the sparse score matrix per term
            # (bm25s also lists "" in the vocabulary, with no column of its own)
            df = {t: int(indptr[i + 1] - indptr[i])
                  for t, i in model.vocab_dict.items() if i + 1 < len(indptr)}  # fmt: skip
            stats = (len(ids), df)
        with self._lock:
            if self._state is state:
                self._stats = (state, stats)
        return stats

    def query(
        self, text: str, k: int, allowed: frozenset[str] | set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Best chunks as (chunk id, BM25 score), best first; only ``allowed`` ids if given.
        Pass a frozenset that you keep: its hash is computed once, so a repeated filter costs
        nothing."""
        model, ids, generation = self._state
        if model is None or not ids:
            return []
        vocab = model.vocab_dict
        q = [vocab[t] for t in self.tokenize(text) if t in vocab]
        if not q:
            return []
        mask = None
        if allowed is not None:
            mask = self._mask(frozenset(allowed), ids, generation)
            if not mask.any():
                return []
        n = min(k, len(ids))
        docs, scores = model.retrieve([q], k=n, show_progress=False, weight_mask=mask)
        out = []
        for idx, score in zip(docs[0], scores[0], strict=True):
            if score > 0:
                out.append((ids[int(idx)], float(score)))
        return out
