"""The LLM seam: any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp, hosted APIs)."""

from __future__ import annotations

from typing import Protocol

from assistant.errors import RegassistError
from assistant.settings import LLMSettings


class LLM(Protocol):
    model: str

    def complete(self, system: str, user: str) -> str: ...


class OpenAICompatibleLLM:
    """Chat completions at ``base_url``; temperature 0. The API key is never logged."""

    def __init__(self, cfg: LLMSettings) -> None:
        from openai import OpenAI

        if not cfg.base_url or not cfg.model:
            raise RegassistError("LLM mode needs a base URL and a model",
                                 "set REGASSIST_LLM__BASE_URL and REGASSIST_LLM__MODEL")  # fmt: skip
        key = cfg.api_key.get_secret_value() if cfg.api_key else "not-needed"
        self.model = cfg.model
        self._client = OpenAI(
            base_url=cfg.base_url, api_key=key, timeout=cfg.timeout_s, max_retries=1
        )
        self._max_tokens = cfg.max_tokens

    def complete(self, system: str, user: str) -> str:
        try:
            resp = self._client.chat.completions.create(
                model=self.model, temperature=0, max_tokens=self._max_tokens,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            )  # fmt: skip
        except Exception as exc:  # the client raises many transport/API error types
            raise RegassistError(f"the LLM endpoint failed: {type(exc).__name__}: {exc}",
                                 "check REGASSIST_LLM__BASE_URL, or answer without it (--no-llm)") from exc  # fmt: skip
        content = resp.choices[0].message.content if resp.choices else None
        return content or ""


def build_llm(cfg: LLMSettings) -> LLM | None:
    """The configured LLM, or None when no endpoint is set (extractive mode)."""
    return OpenAICompatibleLLM(cfg) if cfg.base_url and cfg.model else None
