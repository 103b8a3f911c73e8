"""The bundled MiniLM on ONNX Runtime: exported once from the local weights, then run without torch.

Export (``export_onnx``) needs torch and transformers and happens once per machine (into
``model_cache_dir``, keyed by the model's files), at the first use of the ONNX backend. Inference needs only ``onnxruntime``, ``tokenizers``
and numpy, so the query path of the CLI never imports torch. Pooling and normalisation follow the
sentence-transformers modules of the model (mean pooling over the attention mask, then L2).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import RegassistError

EXPORT_VERSION = 1
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length


def export_dir(cache_dir: Path, model_path: str, quantize: bool) -> Path:
    """One folder per model version and variant: a changed model never reuses a stale export."""
    import hashlib

    h = hashlib.sha256(str(EXPORT_VERSION).encode())
    for f in [*sorted(Path(model_path).glob("*.json")), Path(model_path) / "model.safetensors"]:
        if f.exists():
            h.update(f.name.encode() + str(f.stat().st_size).encode())
            if f.suffix == ".json":
                h.update(f.read_bytes())
    name = "minilm-onnx-int8" if quantize else "minilm-onnx"
    return Path(cache_dir) / f"{name}-{h.hexdigest()[:10]}"


def export_onnx(model_path: str, target: Path, quantize: bool = False) -> Path:
    """Export the transformer of a sentence-transformers folder to ``target/model.onnx`` (atomically)."""
    import torch
    from transformers import AutoModel

    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    bert = AutoModel.from_pretrained(model_path, local_files_only=True).eval()

    class _Encoder(torch.nn.Module):  # positional inputs for the exporter, whatever forward() takes
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state  # fmt: skip

    ids = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            _Encoder(),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(tmp / "model.onnx"),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")},
            opset_version=17,
            dynamo=False,
        )  # fmt: skip
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(
            str(tmp / "model.onnx"), str(tmp / "model.int8.onnx"), weight_type=QuantType.QInt8
        )
        (tmp / "model.int8.onnx").replace(tmp / "model.onnx")
    shutil.copy(Path(model_path) / "tokenizer.json", tmp / "tokenizer.json")
    (tmp / "export.json").write_text(
        json.dumps({"version": EXPORT_VERSION, "quantized": quantize, "source": model_path})
    )
    try:
        tmp.rename(target)
    except OSError:  # another process finished the same export first: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
    return target


class OnnxEmbedder:
    """MiniLM on ONNX Runtime. Same vectors as sentence-transformers to within float error
    (int8: cosine >= 0.99 is checked by the bench, not assumed)."""

    def __init__(self, model_id: str, model_path: str, cache_dir: Path, batch_size: int = 32,
                 quantize: bool = False, threads: int | None = None) -> None:  # fmt: skip
        self.model_id = model_id
        self.backend = "onnx-int8" if quantize else "onnx"
        self.batch_size = batch_size
        self.embedded = 0
        self._source = model_path
        self._dir = export_dir(cache_dir, model_path, quantize)
        self._quantize = quantize
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            if not (self._dir / "export.json").exists():
                try:
                    export_onnx(self._source, self._dir, self._quantize)
                except Exception as exc:
                    raise RegassistError(
                        f"cannot export the embedding model to ONNX in {self._dir}: {exc}",
                        "set REGASSIST_EMBEDDING_BACKEND=torch to use sentence-transformers",
                    ) from exc
            import onnxruntime as ort
            from tokenizers import Tokenizer

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self._threads or min(4, os.cpu_count() or 1)
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            session = ort.InferenceSession(
                str(self._dir / "model.onnx"), opts, providers=["CPUExecutionProvider"]
            )
            tok = Tokenizer.from_file(str(self._dir / "tokenizer.json"))
            tok.enable_truncation(MAX_TOKENS)
            tok.enable_padding(pad_id=0, pad_token="[PAD]")
            self._input_names = {i.name for i in session.get_inputs()}
            self._tokenizer, self._session = tok, session

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        self._load()
        out = []
        # Length-sorted batches waste less work on padding; order is restored below.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            enc = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._session.run(
                None, {k: v for k, v in feed.items() if k in self._input_names}
            )[0]
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out.append((idx, pooled))
        result = np.zeros((len(texts), out[0][1].shape[1] if out else 384), dtype=np.float32)
        for idx, vecs in out:
            result[idx] = vecs
        return result

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self._encode(list(texts))
        self.embedded += len(texts)
        return [v.tolist() for v in vecs]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._encode([text])[0]]
