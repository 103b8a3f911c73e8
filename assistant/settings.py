"""The one settings object. Loaded once (env prefix ``REGASSIST_``), passed down everywhere."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.settings import ChunkingSettings

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"


class RetrievalSettings(BaseModel):
    """Knobs of the hybrid search. Not part of the index identity."""

    model_config = ConfigDict(frozen=True)

    top_k: int = Field(5, ge=1, le=200, description="Results returned by default.")
    candidates: int = Field(
        50, ge=5, le=1000, description="Candidates per retriever before fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, ge=0.0, description="Weight of the dense list in fusion.")
    bm25_weight: float = Field(1.0, ge=0.0, description="Weight of the BM25 list in fusion.")
    alias_weight: float = Field(0.5, ge=0.0, description="Weight of the alias-rule list in fusion.")
    expand_dense: bool = Field(
        True, description="Embed the alias-expanded query (else the raw query)."
    )
    use_dense: bool = Field(True, description="Use the embedding retriever.")
    use_bm25: bool = Field(True, description="Use the BM25 retriever.")
    rerank: bool = Field(True, description="Order candidates by the learned ranker (else RRF).")
    # (a kind no document has, '["nope"]', searched nothing and said nothing: an ops trial)
    default_kinds: tuple[Literal["rules", "guidance", "policy", "other"], ...] = Field(
        ("rules", "guidance", "other"),
        min_length=1,
        description="Kinds searched when no kind filter is given: a firm's own policy drafts are "
        "searched only when asked for, so they never pass for rules.",
    )


class AnswerSettings(BaseModel):
    """How answers are composed and when the assistant abstains."""

    model_config = ConfigDict(frozen=True)

    top_k: int = Field(6, ge=1, le=50, description="Evidence chunks considered per answer.")
    max_sentences: int = Field(
        3, ge=1, le=10, description="Quoted sentences in an extractive answer."
    )
    min_confidence: float = Field(
        0.33, ge=0.0, le=1.0,
        description="Abstention threshold used only when the answerability model file "
        "(assistant/answer/answerability.json, which carries its own fitted threshold) is absent.",
    )  # fmt: skip
    audit_log: bool = Field(True, description="Append every answer to <data_dir>/audit.jsonl.")


class LLMSettings(BaseModel):
    """Optional OpenAI-compatible endpoint. Unset base_url means extractive answers only."""

    model_config = ConfigDict(frozen=True)

    base_url: str | None = Field(None, description="e.g. http://localhost:11434/v1 (Ollama).")
    model: str | None = Field(None, description="Model name at that endpoint.")
    api_key: SecretStr | None = Field(
        None, description="From REGASSIST_LLM__API_KEY; never logged."
    )
    timeout_s: float = Field(60.0, gt=0)
    max_tokens: int = Field(600, ge=16)

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)


class Settings(BaseSettings):
    """Everything configurable. Env: ``REGASSIST_<NAME>``, nested with ``__`` (``REGASSIST_CHUNKING__MAX_CHARS``)."""

    # Frozen, like every section: one Settings object is shared by every thread of the app, so a
    # change is a new object (settings.model_copy(update=...)), never an assignment.
    model_config = SettingsConfigDict(
        env_prefix="REGASSIST_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    data_dir: Path = Field(Path("data"), description="Where the index, catalog and logs live.")
    chroma_url: str | None = Field(
        None, description="Chroma server URL for scale-out; unset means embedded Chroma on disk."
    )
    collection: str = Field("regassist", description="Chroma collection name.")
    hnsw_ef_search: int = Field(
        800,
        ge=10,
        description="Breadth of Chroma's HNSW search (its ef_search), set on the collection when it "
        "is opened. Chroma rebuilds the part of its graph not yet saved each time a process opens "
        "the index, differently each time, and at its default of 100 the candidates below the top "
        "places changed from run to run. At 800 they match exact search on the 14,615-chunk ADGM "
        "index (recall of the exact top 50: 0.9999 to 1.000, against 0.986 at 100) for about 2.5 ms more "
        "per search (p50 16.2 -> 18.8 ms on that index).",
    )
    embedding_model: str = Field(
        BUNDLED_MODEL,
        description="'bundled:all-MiniLM-L6-v2' (offline default), or any sentence-transformers name or path.",
    )
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    model_cache_dir: Path = Field(
        Path("~/.cache/regassist"),
        description="Where the ONNX export of the bundled model is kept (made once per machine).",
    )
    embedding_backend: Literal["onnx", "torch", "onnx-int8"] = Field(
        "onnx",
        description="How the bundled model runs: 'onnx' (ONNX Runtime, exported once per machine into "
        "model_cache_dir; same vectors as 'torch' to within float error, about 3x faster, no torch import "
        "when querying), 'torch' (sentence-transformers, the reference), or 'onnx-int8' (quantised; "
        "measured below the 0.99 cosine bar, so never the default). Other models always use torch.",
    )
    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this are rejected.")
    lock_wait_s: float = Field(
        600.0, ge=0, description="How long an ingest waits for another one to finish."
    )
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    judge: LLMSettings = Field(
        default_factory=LLMSettings,
        description="LLM judge for ragas Faithfulness/answer relevancy (REGASSIST_JUDGE__*), "
        "separate from the answering LLM.",
    )

    @field_validator("data_dir", "model_cache_dir", mode="before")
    @classmethod
    def _not_empty(cls, v: Any) -> Any:
        """An empty value (an unset variable in a deploy script) is no directory: it read as the
        current directory, and the index was built wherever the command ran (an ops trial)."""
        if isinstance(v, str) and not v.strip():
            raise ValueError("is empty; give a directory, or unset it for the default")
        return v

    @field_validator("data_dir", "model_cache_dir")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return Path(v).expanduser()

    @field_validator("embedding_model")
    @classmethod
    def _model_named(cls, v: str) -> str:
        if not v.strip():  # "cannot load embedding model '': 'NoneType' object has no ..."
            raise ValueError("is empty; unset it for the bundled model")
        return v

    @field_validator("chroma_url")
    @classmethod
    def _server_url(cls, v: str | None) -> str | None:
        """An http(s) URL with a host ("notaurl" was tried as a host name, and reported as a
        server that cannot be reached, exit 1, by an ops trial 2026-12-04)."""
        if not v:
            return None
        from urllib.parse import urlparse

        u = urlparse(v)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise ValueError(f"{v!r} is not an http(s) URL such as http://localhost:8000")
        try:
            u.port  # noqa: B018 (a port over 65535 raises here)
        except ValueError as exc:
            raise ValueError(f"{v!r} has no valid port ({exc})") from exc
        if u.path.strip("/") or u.query or u.fragment:
            # the client connects to host and port only: a path was dropped without a word
            raise ValueError(f"{v!r} has a path; give the server's address only, such as "
                             "http://localhost:8000")  # fmt: skip
        return v

    def index_identity(self) -> dict[str, Any]:
        """What must match between the index on disk and the settings querying it."""
        identity: dict[str, Any] = {
            "embedding_model": self.embedding_model,
            "chunking": self.chunking.model_dump(),
        }
        # Quantised vectors differ; torch and onnx agree (bench).
        if self.embedding_backend == "onnx-int8":
            identity["embedding_backend"] = self.embedding_backend
        return identity

    def index_id(self) -> str:
        blob = json.dumps(self.index_identity(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


# Read outside Settings, by the ADGM evaluation (evals/real): known, so not reported as unknown.
OTHER_ENV = frozenset({"REGASSIST_OBLIQA_DIR", "REGASSIST_LAB_CACHE"})


def env_names() -> frozenset[str]:
    """Every ``REGASSIST_`` variable a setting reads: each field, each nested section's field
    (``REGASSIST_LLM__BASE_URL``) and the section itself (as JSON), and those read outside."""
    names = set(OTHER_ENV)
    for name, field in Settings.model_fields.items():
        names.add(f"REGASSIST_{name}".upper())
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            names.update(f"REGASSIST_{name}__{sub}".upper() for sub in section.model_fields)
    return frozenset(names)


def unknown_env(environ: Mapping[str, str]) -> list[str]:
    """One line per ``REGASSIST_`` variable that no setting reads, with the name it resembles.

    Settings ignore what they do not know (``extra="ignore"``), so a misspelt
    ``REGASSIST_LLM_BASE_URL`` (one underscore) left the assistant extractive without a word (an
    ops trial); pydantic-settings reads names without regard to case, and so does this."""
    import difflib

    known = env_names()
    lines = []
    for var in sorted(environ):
        name = var.upper()
        if not name.startswith("REGASSIST_") or name in known:
            continue
        near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
        hint = f" (did you mean {near[0]}?)" if near else ""
        lines.append(f"{var} is not a regassist setting{hint}; it is ignored")
    return lines


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, with explicit overrides (e.g. CLI flags) on top."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
