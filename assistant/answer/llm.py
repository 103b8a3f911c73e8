"""The LLM seam: any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp, hosted APIs)."""

from __future__ import annotations

import queue
import threading
from typing import Any, Protocol

from assistant.errors import LLMError, RegassistError
from assistant.settings import LLMSettings

_HINT = "check REGASSIST_LLM__BASE_URL, REGASSIST_LLM__MODEL and REGASSIST_LLM__API_KEY"


class LLM(Protocol):
    model: str

    def complete(self, system: str, user: str) -> str:
        """The reply's text; ``LLMError`` when the endpoint gives none."""
        ...


class OpenAICompatibleLLM:
    """Chat completions at ``base_url``; temperature 0. The API key is never logged."""

    def __init__(self, cfg: LLMSettings) -> None:
        from openai import OpenAI

        if not cfg.base_url or not cfg.model:
            raise RegassistError("LLM mode needs a base URL and a model",
                                 "set REGASSIST_LLM__BASE_URL and REGASSIST_LLM__MODEL")  # fmt: skip
        key = cfg.api_key.get_secret_value() if cfg.api_key else "not-needed"
        self.model = cfg.model

        def client() -> OpenAI:
            return OpenAI(base_url=cfg.base_url, api_key=key, timeout=cfg.timeout_s, max_retries=1)

        self._new_client = client
        self._client = client()
        self._max_tokens = cfg.max_tokens
        self._key = key
        # the whole reply's limit: the client's timeout bounds each wait for data, so a server
        # that sends its body a piece at a time held a 5 s setting for 35 s (a platform
        # engineer's trial, thirty-ninth session); a request and its one retry, with the
        # client's back-off between them
        self._deadline_s = 2 * cfg.timeout_s + 2

    def complete(self, system: str, user: str) -> str:
        """The reply's text. Raises ``LLMError`` (the API key redacted from its message) when the
        endpoint fails, answers with something other than a chat completion (an HTML gateway
        page, an event stream) or with no text."""
        done: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=1)

        def call() -> None:
            try:
                done.put((self._client.chat.completions.create(
                    model=self.model, temperature=0, max_tokens=self._max_tokens,
                    messages=[{"role": "system", "content": system},
                              {"role": "user", "content": user}],
                ), None))  # fmt: skip
            except Exception as exc:  # the client raises many transport/API error types
                done.put((None, exc))

        # (a daemon thread: a reply still trickling in when the deadline passes does not hold
        # the process at exit)
        threading.Thread(target=call, daemon=True, name="regassist-llm").start()
        try:
            resp, exc = done.get(timeout=self._deadline_s)
        except queue.Empty:
            # the reply still trickling in is cut off: its connection closed with the client's
            # pool, and the next question gets a client of its own (a batch piled up a thread
            # and a socket a question, a review)
            stale, self._client = self._client, self._new_client()
            threading.Thread(target=stale.close, daemon=True).start()
            raise LLMError(f"the LLM endpoint did not finish its reply within "
                           f"{self._deadline_s:g} s", _HINT) from None  # fmt: skip
        if exc is not None:
            raise LLMError(self._redact(f"the LLM endpoint failed: {type(exc).__name__}: {exc}"),
                           _HINT) from exc  # fmt: skip
        choices = getattr(resp, "choices", None)
        if not isinstance(choices, list):
            # (the client wraps any JSON object in its ChatCompletion type, so name what the
            # object held: "(got ChatCompletion)" named the very type it said it did not get)
            extra = getattr(resp, "model_extra", None) or {}
            got = (f"a JSON object with {', '.join(sorted(map(str, extra))[:5])}" if extra
                   else type(resp).__name__)  # fmt: skip
            raise LLMError(f"the LLM endpoint did not return a chat completion (got {got})", _HINT)
        message = getattr(choices[0], "message", None) if choices else None
        content = getattr(message, "content", None)
        if not isinstance(content, str) or not content.strip():
            raise LLMError("the LLM endpoint returned no answer text", _HINT)
        return content

    def _redact(self, text: str) -> str:
        key = self._key
        return text.replace(key, "[API key]") if key and key != "not-needed" else text


def build_llm(cfg: LLMSettings) -> LLM | None:
    """The configured LLM, or None when no endpoint is set (extractive mode)."""
    return OpenAICompatibleLLM(cfg) if cfg.base_url and cfg.model else None
