"""Post-generation verification of LLM answers against the sources they were given.

Each sentence must cite a given source; its words must be supported by that source (lexical
overlap, or embedding similarity with some lexical overlap); every figure and rule number in it
must appear in the cited source; instruction-like or link text that a source tried to inject is
dropped. What is removed is reported, never silently lost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.answer.prompts import REFUSAL
from assistant.answer.types import Removal
from assistant.language.text import figures, normalise_figure, sentence_spans
from ingest.refs import find_refs

_CITE = re.compile(r"\s*\[(\d{1,3})\]")
_INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above|earlier) instructions|disregard (?:the )?(?:above|"
    r"previous|system)|system prompt|you are now|new instructions|developer mode|https?://\S+|"
    r"\bapprove (?:this|the) (?:licen[cs]e|application)\b",
    re.IGNORECASE,
)


@dataclass
class Verified:
    text: str
    cited: list[int]
    removed: list[Removal] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    refused: bool = False


@dataclass(frozen=True)
class VerifyThresholds:
    """Support thresholds; tested at their boundaries in tests/test_verify.py."""

    lexical: float = 0.6  # share of a sentence's content words found in its cited sources
    embedding: float = 0.55  # cosine to the best cited source, accepted with ...
    lexical_floor: float = 0.35  # ... at least this much lexical support


def _cos(a: Sequence[float], b: Sequence[float]) -> float:
    num = sum(x * y for x, y in zip(a, b, strict=True))
    den = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0
    return num / den


class Verifier:
    def __init__(self, tokenize: Callable[[str], list[str]],
                 embed: Callable[[list[str]], list[list[float]]] | None = None,
                 thresholds: VerifyThresholds | None = None) -> None:  # fmt: skip
        self.tokenize = tokenize
        self.embed = embed
        self.t = thresholds or VerifyThresholds()

    def lexical_support(self, sentence: str, sources: Sequence[str]) -> float:
        words = [w for w in self.tokenize(sentence) if not w.isdigit()]
        if not words:
            return 1.0
        vocab = set().union(*(self.tokenize(s) for s in sources)) if sources else set()
        return sum(w in vocab for w in words) / len(words)

    def embedding_support(self, sentence: str, sources: Sequence[str]) -> float:
        if self.embed is None or not sources:
            return 0.0
        vecs = self.embed([sentence, *sources])
        return max(_cos(vecs[0], v) for v in vecs[1:])

    def verify(self, raw: str, sources: dict[int, str]) -> Verified:
        """Keep what the numbered ``sources`` support; report the rest."""
        text = raw.strip()
        if not text or text.startswith(REFUSAL.rstrip(".")):
            return Verified(REFUSAL, [], refused=True)
        kept: list[str] = []
        cited: list[int] = []
        out = Verified("", [])
        for a, b in sentence_spans(text):
            sentence = text[a:b].strip()
            nums = [int(n) for n in _CITE.findall(sentence)]
            bare = _CITE.sub("", sentence).strip()
            if not bare:
                continue
            bad = [n for n in nums if n not in sources]
            for n in bad:
                out.removed.append(
                    Removal("citation", f"[{n}]", f"cites source [{n}], which was not given")
                )
            good = [n for n in dict.fromkeys(nums) if n in sources]
            if _INJECTION.search(bare):
                out.removed.append(
                    Removal(
                        "injection", bare, "instruction or link text, possibly injected by a source"
                    )
                )
                continue
            if not good:
                out.removed.append(Removal("sentence", bare, "no valid citation to a given source"))
                continue
            texts = [sources[n] for n in good]
            joined = "\n".join(texts)
            have = {normalise_figure(f) for f in figures(joined)}
            missing = [f for f in figures(bare) if normalise_figure(f) not in have]
            bad_refs = [str(r) for r in find_refs(bare)
                        if not any(str(r.base) in t or r.number in t for t in texts)]  # fmt: skip
            if missing or bad_refs:
                what = ", ".join(missing + bad_refs)
                flag = f"figure or rule number not in cited source(s) {', '.join(f'[{n}]' for n in good)}: {what}"
                out.flags.append(flag)
                out.removed.append(Removal("figure", bare, flag))
                continue
            lex = self.lexical_support(bare, texts)
            if lex < self.t.lexical:
                emb = self.embedding_support(bare, texts) if lex >= self.t.lexical_floor else 0.0
                if emb < self.t.embedding:
                    out.removed.append(Removal("sentence", bare,
                                               f"not supported by its cited source(s) (lexical {lex:.2f}, embedding {emb:.2f})"))  # fmt: skip
                    continue
            marks = "".join(f"[{n}]" for n in good)
            body, end = (bare[:-1], bare[-1]) if bare[-1] in ".!?" else (bare, ".")
            kept.append(f"{body.rstrip()} {marks}{end}")
            cited.extend(n for n in good if n not in cited)
        out.text = " ".join(kept) if kept else REFUSAL
        out.cited = cited
        out.refused = not kept
        return out
