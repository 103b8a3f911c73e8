"""Sentence-level sets for the policy check's reading of denials (``negated_duty``): draft
sentences against the bundled AML rules, each labelled a flat denial of the rule's duty ("C"),
consistent or about something else ("N"), or ambiguous ("C?", not scored). Written by reviewers
who had not seen the code: ``reviewer-a`` and ``reviewer-b`` in earlier sessions (their misses
and false flags were worked on, so they are in-sample), ``blind-2026-12-04`` this session; the
code was changed only for misses of its even-numbered half, the odd half being held out.

A false "conflicting" in a consultant's gap report is worse than a miss, so consistent
sentences flagged are gated at zero; denials caught are gated at what the code reaches now, so a
regression fails the build."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.index.core import Index
from assistant.index.embeddings import HashingEmbedder
from assistant.index.ingest import ingest_paths
from assistant.policy.checker import PolicyChecker, negated_duty
from assistant.policy.obligations import Obligation, build_register
from assistant.settings import Settings
from tests.conftest import CORPUS

SETS = Path(__file__).parents[1] / "evals" / "datasets" / "policy_denials.jsonl"
# set -> (denials caught at least, consistent sentences flagged at most), measured 2026-12-04
FLOORS = {"reviewer-a": (16, 0), "reviewer-b": (31, 0), "blind-2026-12-04": (29, 0)}


@pytest.fixture(scope="module")
def aml(tmp_path_factory: pytest.TempPathFactory) -> list[Obligation]:
    data = tmp_path_factory.mktemp("denials")
    index = Index.open(Settings(data_dir=data, embedding_model="fake:hashing"), create=True)
    ingest_paths(index, [CORPUS])
    return build_register(index.catalog, None).filter(rulebooks=["AML"], firm_types=["Custodian"])


def score(obligations: list[Obligation], deny: Callable[..., str | None] = negated_duty,
          ) -> dict[str, Counter[str]]:  # fmt: skip
    """Per set: denials caught and missed, consistent sentences flagged and passed."""
    pc = PolicyChecker(HashingEmbedder())
    texts = [f"{o.title}. {o.text}" if o.title else o.text for o in obligations]
    df = Counter(t for text in texts for t in set(pc._terms(text)))
    idf = {t: math.log(1 + len(obligations) / (1 + d)) for t, d in df.items()}
    by_ref: dict[str, list[tuple[Obligation, str]]] = {}
    for o, text in zip(obligations, texts, strict=True):
        by_ref.setdefault(o.ref or "", []).append((o, text))
    out: dict[str, Counter[str]] = {}
    for line in SETS.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if case["expect"] not in ("C", "N"):
            continue
        o, text = by_ref[case["ref"]][case["rule"]]
        terms = set(pc._terms(text))
        flagged = deny(o.text, case["draft"], terms, pc.tokenize, idf,
                               pc._generic | pc._defined, title=o.title or "")  # fmt: skip
        kind = {("C", True): "caught", ("C", False): "missed",
                ("N", True): "flagged", ("N", False): "passed"}[(case["expect"], flagged is not None)]  # fmt: skip
        out.setdefault(case["set"], Counter())[kind] += 1
    return out


def failures(got: dict[str, Counter[str]]) -> list[str]:
    out = [f"{name}: {got[name]}" for name, (caught, flagged) in FLOORS.items()
           if got[name]["flagged"] > flagged or got[name]["caught"] < caught]  # fmt: skip
    return out


def test_denial_sets_meet_their_floors(aml: list[Obligation]) -> None:
    got = score(aml)
    assert set(got) == set(FLOORS)
    assert not failures(got)


def test_the_gate_trips_when_denials_are_missed_or_consistent_sentences_flagged(
    aml: list[Obligation],
) -> None:
    assert len(failures(score(aml, deny=lambda *a, **k: None))) == len(FLOORS)
    assert len(failures(score(aml, deny=lambda rule, draft, *a, **k: draft))) == len(FLOORS)
