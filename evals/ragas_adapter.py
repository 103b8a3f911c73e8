"""Every ragas import lives here: its APIs move between releases.

Non-LLM metrics (string similarity, ROUGE, ID-based context precision/recall keyed on rule refs)
and SemanticSimilarity with our own embedder run offline. Faithfulness and answer relevancy need
an LLM judge (any OpenAI-compatible endpoint). A judge failure or a NaN is returned as an error
string, never as a number, so it can be reported and counted as a failure.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from typing import Any

from assistant.index.embeddings import Embedder
from assistant.runtime import offline_env_applied
from assistant.settings import LLMSettings

if not offline_env_applied():  # ragas sends usage analytics unless RAGAS_DO_NOT_TRACK is set
    raise RuntimeError(
        "call assistant.runtime.apply_offline_env() at the entry point before using ragas"
    )


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


class _Embeddings:
    """Our embedder behind ragas' modern embeddings interface."""

    def __new__(cls, embedder: Embedder) -> Any:
        from ragas.embeddings.base import BaseRagasEmbedding

        class Wrapped(BaseRagasEmbedding):
            def embed_text(self, text: str, **kwargs: Any) -> list[float]:
                return embedder.embed_documents([text])[0]

            async def aembed_text(self, text: str, **kwargs: Any) -> list[float]:
                return self.embed_text(text)

        return Wrapped()


class OfflineScorer:
    """ragas metrics that need no LLM. One instance per eval run. The reference-answer metrics
    (string, ROUGE, semantic similarity) are left out for an empty reference."""

    def __init__(self, embedder: Embedder) -> None:
        from ragas.metrics import IDBasedContextPrecision, IDBasedContextRecall
        from ragas.metrics.collections import NonLLMStringSimilarity, RougeScore, SemanticSimilarity

        self._string = NonLLMStringSimilarity()
        self._rouge = RougeScore()
        self._semantic = SemanticSimilarity(embeddings=_Embeddings(embedder))
        self._id_precision = IDBasedContextPrecision()
        self._id_recall = IDBasedContextRecall()

    def score(
        self,
        response: str,
        reference: str,
        retrieved_refs: Sequence[str],
        reference_refs: Sequence[str],
    ) -> dict[str, float]:
        from ragas.dataset_schema import SingleTurnSample

        async def go() -> dict[str, float]:
            out: dict[str, float] = {}
            if reference:  # without a reference answer there is nothing to compare against
                out["string_similarity"] = (
                    await self._string.ascore(reference=reference, response=response)
                ).value
                out["rouge_l"] = (
                    await self._rouge.ascore(reference=reference, response=response)
                ).value
                out["semantic_similarity"] = (
                    await self._semantic.ascore(reference=reference, response=response)
                ).value
            if reference_refs:
                sample = SingleTurnSample(retrieved_context_ids=list(retrieved_refs) or ["-"],
                                          reference_context_ids=list(reference_refs))  # fmt: skip
                out["id_context_precision"] = await self._id_precision.single_turn_ascore(sample)
                out["id_context_recall"] = await self._id_recall.single_turn_ascore(sample)
            return {k: float(v) for k, v in out.items()}

        return _run(go())


class JudgeScorer:
    """Faithfulness and answer relevancy judged by an OpenAI-compatible LLM."""

    def __init__(self, cfg: LLMSettings, embedder: Embedder) -> None:
        from openai import AsyncOpenAI
        from ragas.llms import llm_factory
        from ragas.metrics.collections import AnswerRelevancy, Faithfulness

        key = cfg.api_key.get_secret_value() if cfg.api_key else "not-needed"
        client = AsyncOpenAI(
            base_url=cfg.base_url, api_key=key, timeout=cfg.timeout_s, max_retries=0
        )
        llm = llm_factory(cfg.model or "judge", client=client)
        self.model = cfg.model
        self._faithfulness = Faithfulness(llm=llm)
        self._relevancy = AnswerRelevancy(llm=llm, embeddings=_Embeddings(embedder))

    def score(
        self, question: str, response: str, contexts: Sequence[str]
    ) -> tuple[dict[str, float], list[str]]:
        """Scores and errors. A metric that fails or returns NaN appears only in the errors."""
        scores: dict[str, float] = {}
        errors: list[str] = []
        jobs = {
            "faithfulness": lambda: self._faithfulness.ascore(user_input=question, response=response,
                                                              retrieved_contexts=list(contexts) or [""]),
            "answer_relevancy": lambda: self._relevancy.ascore(user_input=question, response=response),
        }  # fmt: skip
        for name, job in jobs.items():
            try:
                value = float(_run(job()).value)
            except Exception as exc:  # judge transport, parsing or validation failure
                errors.append(f"{name}: judge failed ({type(exc).__name__}: {str(exc)[:200]})")
                continue
            if math.isnan(value):
                errors.append(f"{name}: judge returned NaN")
                continue
            scores[name] = value
        return scores, errors
