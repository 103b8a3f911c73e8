"""Quality gate: thresholds from a versioned file, plus --fail-under overrides.

Every threshold states its direction: ``{min: v}`` (the metric must be at least v) or ``{max: v}``
(at most v). A metric where lower is better (a count of failures such as ``fabricated_citations``,
a false-alarm rate, a latency) can only be gated as a maximum; the loader refuses a ``min`` on it,
so a count can never silently pass by being large.

``evals/thresholds.yaml`` holds one section per suite (``golden``, ``adgm_slice``, ``adgm_all``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"
OPS = {"min": ">=", "max": "<="}
# Lower is better: gated only as maxima.
LOWER_IS_BETTER = re.compile(r"(^|_)(fabricated_citations|failures|false_\w*rate|latency\w*)$")
OPTIONAL = ("faithfulness", "answer_relevancy", "judge_failures")  # gated only when they ran


def lower_is_better(metric: str) -> bool:
    return bool(LOWER_IS_BETTER.search(metric))


@dataclass(frozen=True)
class Threshold:
    metric: str
    op: str  # ">=" (at least) or "<=" (at most)
    value: float

    def __post_init__(self) -> None:
        if self.op not in (">=", "<="):
            raise ValueError(f"{self.metric}: direction must be >= or <=, got {self.op!r}")
        if self.op == ">=" and lower_is_better(self.metric):
            raise ValueError(f"{self.metric} is lower-is-better (a count or rate of failures): "
                             "gate it with max, not min")  # fmt: skip

    @property
    def direction(self) -> str:
        return "min" if self.op == ">=" else "max"

    def check(self, got: float | None) -> bool:
        if got is None:
            return False
        return got >= self.value if self.op == ">=" else got <= self.value

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


def _parse_entry(metric: str, spec: Any, where: str) -> Threshold:
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in OPS:
        raise ValueError(f"{where}: threshold {metric!r} must be {{min: VALUE}} or {{max: VALUE}}, "
                         f"got {spec!r}")  # fmt: skip
    direction, value = next(iter(spec.items()))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: threshold {metric!r} is not a number: {value!r}") from None
    return Threshold(str(metric), OPS[direction], number)


def load_suite(suite: str = "golden", path: Path = THRESHOLDS) -> list[Threshold]:
    """The thresholds of one suite. Raises ValueError for a missing suite or an entry without an
    explicit direction."""
    data = yaml.safe_load(path.read_text()) or {}
    if suite not in data:
        raise ValueError(f"{path}: no threshold suite {suite!r} (have: {', '.join(sorted(data))})")
    section = data[suite] or {}
    metrics = section.get("metrics") if isinstance(section, dict) else None
    if not isinstance(metrics, dict):
        raise ValueError(f"{path}: suite {suite!r} needs a 'metrics' mapping")
    return [_parse_entry(k, v, f"{path}:{suite}") for k, v in metrics.items()]


def suite_info(suite: str, path: Path = THRESHOLDS) -> dict[str, Any]:
    """The suite's descriptive fields (dataset, version, measured on ...), without its metrics."""
    data = yaml.safe_load(path.read_text()) or {}
    return {k: v for k, v in (data.get(suite) or {}).items() if k != "metrics"}


def suite_for(dataset: str, path: Path = THRESHOLDS) -> str:
    """The golden-track suite (one with a ``dataset_version``: the ADGM track's suites have none)
    whose ``dataset`` is ``dataset``, else the golden suite."""
    data = yaml.safe_load(path.read_text()) or {}
    return next((k for k, v in data.items() if isinstance(v, dict) and "dataset_version" in v
                 and v.get("dataset") == dataset), "golden")  # fmt: skip


def load_thresholds(path: Path = THRESHOLDS, suite: str = "golden") -> list[Threshold]:
    """The golden suite's thresholds (the default gate of ``regassist eval``)."""
    return load_suite(suite, path)


def parse_override(text: str, known: set[str]) -> Threshold:
    """``hit@5=0.9`` -> hit@5 >= 0.9 (a lower-is-better metric such as ``fabricated_citations=0``
    -> <= 0); ``METRIC>=V`` and ``METRIC<=V`` give the direction explicitly.
    Raises ValueError naming what is wrong."""
    m = re.fullmatch(r"\s*([^<>=\s]+)\s*(>=|<=|=)\s*(.*?)\s*", text)
    if not m:
        raise ValueError(f"expected METRIC=VALUE, got {text!r}")
    name, op, value = m.groups()
    if name not in known:
        raise ValueError(f"unknown metric {name!r}; known: {', '.join(sorted(known))}")
    if op == "=":
        op = "<=" if lower_is_better(name) else ">="
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"not a number in {text!r}") from None
    return Threshold(name, op, number)


def check(
    overall: dict[str, float], thresholds: list[Threshold], *, policy_ran: bool = True
) -> list[str]:
    """Failed thresholds as messages; a metric that was not measured fails unless optional.
    Policy metrics are optional only when the policy eval was not asked for (``policy_ran``
    False): a policy eval that ran and lost a metric fails the gate."""
    failures = []
    for t in thresholds:
        got = overall.get(t.metric)
        if got is None and (
            t.metric in OPTIONAL or (not policy_ran and t.metric.startswith("policy_"))
        ):
            continue  # judge metrics are gated only when a judge ran, policy ones when the policy eval did
        if not t.check(got):
            failures.append(f"{t} (got {got if got is not None else 'not measured'})")
    return failures
