"""Deterministic eval metrics, each defined once here. All return floats in [0, 1] or counts
(None where a metric is undefined on the data).

Rule-ref matching: a retrieved or cited ref matches an expected ref when it is that ref, a part of
it (``AML 6.1.1(a-a)`` matches expected ``AML 6.1.1``), or the rule that contains it (expected
``DAA 3.1-1(3)(d)`` is matched by a chunk of ``DAA 3.1-1``). A passage without a rule number is
named by its record id or heading (``runner.passage_name``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from ingest.refs import canonical_book, parse_ref

_NUMBERED = re.compile(r"\s\d[\w.()-]*$")  # a name that ends with its number: "... rules 3.1.1"


# the rulebook code a ref opens with ("FUNDS" of "FUNDS 13.5.1(2)")
_CODE = re.compile(r"\s*([A-Za-z][A-Za-z0-9]{1,7})\s")


_APPENDIX = re.compile(r"\bapp(?:endix)?\.?\s*(\d)", re.I)


def _appendix(ref: str) -> str:
    """``ref`` with an appendix written as indexed ("App 1" -> "APP1"), upper-cased: for
    comparing only."""
    return _APPENDIX.sub(r"APP\1", ref).upper()


def ref_matches(found: str | None, expected: str) -> bool:
    # each ref is read with its own rulebook code, an AIFC one or not: "FUNDS 13.5.1(2)" is
    # matched by a chunk of FUNDS 13.5.1 as "AML 6.1.1(a)" is by one of AML 6.1.1 (a CI
    # engineer's trial on ADGM's FUNDS, twenty-eighth session: paragraph refs were compared as
    # strings, and a rule ranked second was counted a miss and "a typo in the dataset")
    # (an AIFC rulebook's other name, "MKT" or "PIIF", is read as that rulebook, as before: a
    # review)
    books = [b for t in (found or "", expected) if (m := _CODE.match(t))
             and canonical_book(b := m.group(1).upper()) == b]  # fmt: skip
    a, b = parse_ref(found or "", books), parse_ref(expected, books)
    if a is None or b is None:
        # refs we cannot parse ("Clause 7.2") match exactly; a numbered name ("STB-cooperation
        # rules 3.1.1") also matches the first words of a passage's name that is no rule ref,
        # where its heading runs on ("... 3.1.1 Retail limit for resident clients"); a bare
        # rulebook or word ("AML", "RK") is no prefix of anything (a review)
        if not found:
            return False
        named = a is None and _NUMBERED.search(expected.strip()) is not None
        # an appendix as its rulebook writes it ("FP APP 1", "App 1") is the passage's "FP APP1"
        # (a CI team's trial, thirty-eighth session: "matches no indexed rule", though `search`
        # found it), in any case
        f, e = _appendix(found), _appendix(expected.strip())
        return found == expected or f == e or (named and f.startswith(e + " "))
    return b.contains(a) or (a.contains(b) and a.base == b.base)


def first_hit_rank(retrieved: Sequence[str | None], expected: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved ref matching any expected ref."""
    for i, ref in enumerate(retrieved, start=1):
        if any(ref_matches(ref, e) for e in expected):
            return i
    return None


def recall_at(retrieved: Sequence[str | None], expected: Sequence[str], k: int) -> float:
    """recall@k: share of the expected refs matched by at least one of the top k results."""
    if not expected:
        return 1.0
    top = retrieved[:k]
    return sum(any(ref_matches(r, e) for r in top) for e in expected) / len(expected)


def citation_precision(cited: Sequence[str | None], expected: Sequence[str]) -> float:
    """Share of cited refs that match an expected ref (answered questions with expected refs)."""
    if not cited:
        return 0.0
    return sum(any(ref_matches(c, e) for e in expected) for c in cited) / len(cited)


def holds_text(answer: str, wanted: str) -> bool:
    """Whether ``answer`` holds ``wanted`` (an ``expected_in_answer`` text): as words, in any
    case and spacing ("usd" is in "USD 1,000", not in "USDT"), or, where ``wanted`` is a figure,
    as a figure of the same value and unit ("USD 1000" is "USD 1,000", "ten days" "10 days")."""
    from assistant.language.quantities import figures

    words = r"\s+".join(re.escape(w) for w in wanted.split())
    # (not a longer figure's start: "USD 1,000" is not in "USD 1,000,000", a review)
    if re.search(rf"(?<!\w){words}(?!\w|[.,]\d)", answer, re.I):
        return True
    wanted_figs = figures(wanted)
    if len(wanted_figs) != 1:
        return False

    def key(q: Any) -> tuple[str, float, str | None]:  # (a deadline's period is a duration's)
        return ("duration" if q.kind == "deadline" else q.kind), q.value, q.unit

    return any(key(g) == key(wanted_figs[0]) for g in figures(answer))


def verbatim_rate(quotes: Sequence[tuple[str, str]]) -> float:
    """Share of (quote, chunk text) pairs whose quote is a substring of its chunk."""
    if not quotes:
        return 1.0
    return sum(bool(q) and q in text for q, text in quotes) / len(quotes)


def fabricated_citations(cited_chunk_ids: Sequence[str], retrieved_chunk_ids: Sequence[str]) -> int:
    """Citations that point at no retrieved chunk (must be 0)."""
    have = set(retrieved_chunk_ids)
    return sum(cid not in have for cid in cited_chunk_ids)


def abstention_scores(
    abstained: Sequence[bool], unanswerable: Sequence[bool]
) -> tuple[float | None, float | None]:
    """(precision, recall) of abstaining, with the unanswerable questions as the positive class;
    None where undefined: a dataset without unanswerable questions does not measure abstention.
    With unanswerable questions and no abstention at all, precision is 0.0, not "not measured":
    a system that never abstains has failed at it (a suite gating precision alone would
    otherwise pass it)."""
    tp = sum(a and u for a, u in zip(abstained, unanswerable, strict=True))
    fp = sum(a and not u for a, u in zip(abstained, unanswerable, strict=True))
    fn = sum(u and not a for a, u in zip(abstained, unanswerable, strict=True))
    precision = tp / (tp + fp) if tp + fp else (0.0 if tp + fn else None)
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[idx]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
