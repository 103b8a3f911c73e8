"""Quality gate: thresholds from a versioned file, plus --fail-under overrides.

Every threshold states its direction: ``{min: v}`` (the metric must be at least v) or ``{max: v}``
(at most v). A metric where lower is better (a count of failures such as ``fabricated_citations``,
a false-alarm rate, a latency) can only be gated as a maximum; the loader refuses a ``min`` on it,
so a count can never silently pass by being large.

``evals/thresholds.yaml`` holds one section per suite (``golden``, ``adgm_slice``, ``adgm_all``).
``--fail-under`` adds a threshold or tightens a committed one, never loosens or reverses it
(``merge_overrides``). A threshold given on the command line fails when its metric was not
measured; a committed one on an optional metric is then skipped (``verdict``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"
OPS = {"min": ">=", "max": "<="}
# Lower is better: gated only as maxima.
LOWER_IS_BETTER = re.compile(
    r"(^|_)(fabricated_citations|failures|fallbacks|unindexed_expected_refs|false_\w*rate"
    r"|latency\w*)$"
)
# A committed threshold on one of these is skipped when the run did not measure it: the judge
# metrics without a judge, abstention without an unanswerable question or an abstention to score.
# (llm_fallbacks without an LLM configured). A judge metric is not skipped when a judge ran and
# scored nothing: a judge that failed on every question is a failure, not a pass.
OPTIONAL = ("faithfulness", "answer_relevancy", "judge_failures", "abstention_precision",
            "abstention_recall", "llm_fallbacks")  # fmt: skip
JUDGE = ("faithfulness", "answer_relevancy")
COUNTS = re.compile(
    r"^(questions|passed|passages)$|(^|_)(fabricated_citations|failures|fallbacks"
    r"|unindexed_expected_refs)$"
)
# Neither shares nor scores in [0, 1]: counts, latencies, ratios to the BM25 baseline.
UNBOUNDED = re.compile(COUNTS.pattern + r"|latency|_ms$|_vs_bm25$")


def lower_is_better(metric: str) -> bool:
    return bool(LOWER_IS_BETTER.search(metric))


def is_count(metric: str) -> bool:
    """A whole-number metric (questions, fabricated citations, judge failures)."""
    return bool(COUNTS.search(metric))


def is_rate(metric: str) -> bool:
    """A share or score in [0, 1]: every metric but counts, latencies and ratios to BM25."""
    return not UNBOUNDED.search(metric)


@dataclass(frozen=True)
class Threshold:
    metric: str
    op: str  # ">=" (at least) or "<=" (at most)
    value: float
    explicit: bool = False  # given with --fail-under: fails, never skipped, when not measured

    def __post_init__(self) -> None:
        if self.op not in (">=", "<="):
            raise ValueError(f"{self.metric}: direction must be >= or <=, got {self.op!r}")
        if self.op == ">=" and lower_is_better(self.metric):
            raise ValueError(f"{self.metric} is lower-is-better (a count or rate of failures): "
                             "gate it with max, not min")  # fmt: skip

    @property
    def direction(self) -> str:
        return "min" if self.op == ">=" else "max"

    @property
    def can_fail(self) -> bool:
        """Whether some measured value fails it: not a minimum at or below the metric's floor
        (0; 1 for ``questions``, since a dataset is never empty), nor a maximum of 1 or more on a
        share (a suite of ``hit@5: {min: 0}`` was shown as a green gate, a CI engineer's trial)."""
        if self.op == ">=":
            return self.value > (1.0 if self.metric == "questions" else 0.0)
        return not (is_rate(self.metric) and self.value >= 1.0)

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
    # the same checks as --fail-under (``_threshold``): a file is no laxer than the flag
    try:
        return _threshold(str(metric), OPS[direction], value, f"{metric}: {spec}", None, False)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def read_yaml(path: Path) -> Any:
    """A thresholds file, a key given twice in one mapping refused (a second ``hit@5:`` or a
    second suite of the same name silently replaced the first: an eval team's trial)."""
    from evals.dataset import UniqueKeys

    return yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeys)


SUITE_KEYS = frozenset({"metrics", "dataset", "dataset_version", "description"})


def load_suite(suite: str = "golden", path: Path = THRESHOLDS) -> list[Threshold]:
    """The thresholds of one suite. Raises ValueError for a missing suite or an entry without an
    explicit direction."""
    data = read_yaml(path) or {}
    if suite not in data:
        raise ValueError(f"{path}: no threshold suite {suite!r} (have: {', '.join(sorted(data))})")
    section = data[suite] or {}
    metrics = section.get("metrics") if isinstance(section, dict) else None
    if not isinstance(metrics, dict):
        raise ValueError(f"{path}: suite {suite!r} needs a 'metrics' mapping")
    # a misspelt key ("metrcs: {mrr: {min: 0.99}}") was ignored and its gate never applied (a CI
    # owner's trial, 2026-12-05)
    unknown = sorted(map(str, set(section) - SUITE_KEYS))
    if unknown:
        raise ValueError(f"{path}: suite {suite!r} has unknown key(s) {', '.join(unknown)}; "
                         f"a suite has {', '.join(sorted(SUITE_KEYS))}")  # fmt: skip
    return [_parse_entry(k, v, f"{path}:{suite}") for k, v in metrics.items()]


def suite_info(suite: str, path: Path = THRESHOLDS) -> dict[str, Any]:
    """The suite's descriptive fields (dataset, version, measured on ...), without its metrics."""
    data = read_yaml(path) or {}
    return {k: v for k, v in (data.get(suite) or {}).items() if k != "metrics"}


def suite_for(dataset: str, path: Path = THRESHOLDS) -> str:
    """The golden-track suite (one with a ``dataset_version``: the ADGM track's suites have none)
    whose ``dataset`` is ``dataset``, else the golden suite."""
    data = read_yaml(path) or {}
    return next((k for k, v in data.items() if isinstance(v, dict) and "dataset_version" in v
                 and v.get("dataset") == dataset), "golden")  # fmt: skip


def own_suite(dataset: str, path: Path) -> str:
    """The suite of a user's thresholds file for ``dataset``: the section named for it or whose
    ``dataset`` field names it, else the file's only section. Raises ValueError otherwise."""
    try:
        data = read_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read {path}: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path}: expected a mapping of suites, each with a 'metrics' mapping")
    named = [k for k, v in data.items()
             if k == dataset or (isinstance(v, dict) and v.get("dataset") == dataset)]  # fmt: skip
    if named:
        return str(named[0])
    if len(data) == 1:
        only, section = next(iter(data.items()))
        theirs = section.get("dataset") if isinstance(section, dict) else None
        if theirs is not None and str(theirs) != dataset:
            # (a suite written for another dataset gated this one after a rename, a trial)
            raise ValueError(f"{path}: its only suite {only!r} is for dataset {theirs!r}, not "
                             f"{dataset!r}")  # fmt: skip
        return str(only)
    raise ValueError(
        f"{path}: no suite for dataset {dataset!r} (have: {', '.join(map(str, data))})"
    )


def load_thresholds(path: Path = THRESHOLDS, suite: str = "golden") -> list[Threshold]:
    """The golden suite's thresholds (the default gate of ``regassist eval``)."""
    return load_suite(suite, path)


def parse_override(text: str, known: set[str]) -> Threshold:
    """``hit@5=0.9`` -> hit@5 >= 0.9 (a lower-is-better metric such as ``fabricated_citations=0``
    -> <= 0); ``METRIC>=V`` and ``METRIC<=V`` state the direction, which must be the metric's own.
    Raises ValueError naming what is wrong."""
    m = re.fullmatch(r"\s*([^<>=\s]+)\s*(>=|<=|=)\s*(.*?)\s*", text)
    if not m:
        raise ValueError(f"expected METRIC=VALUE, got {text!r}")
    name, op, value = m.groups()
    if op == "=":
        op = "<=" if lower_is_better(name) else ">="
    return _threshold(name, op, value, text, known, True)


def unknown_metrics(thresholds: list[Threshold], known: set[str]) -> list[str]:
    """The metrics a suite gates that the run cannot measure (a misspelt name would otherwise
    fail only after the whole run, "not measured")."""
    return [t.metric for t in thresholds if t.metric not in known]


def _shown(got: float | None) -> str:
    """A measured value as the gate prints it: a count as a whole number ("got 13", not 13.0)."""
    if got is None:
        return "not measured"
    return str(int(got)) if isinstance(got, float) and got.is_integer() else str(got)


def _threshold(name: str, op: str, value: Any, text: str, known: set[str] | None,
               explicit: bool) -> Threshold:  # fmt: skip
    """One threshold, checked the same whether it comes from ``--fail-under`` or a file
    (``text``: as the user wrote it; ``known`` None: any metric name, a file's names being
    checked against the run's metrics by ``unknown_metrics``)."""
    if known is not None and name not in known:
        import difflib

        # "hits@5", "HIT@5": the name meant first (an eval engineer's trial, thirtieth session)
        near = difflib.get_close_matches(name.lower(), sorted(known), n=1)
        meant = f"did you mean {near[0]!r}? " if near else ""
        raise ValueError(f"unknown metric {name!r}; {meant}known: {', '.join(sorted(known))}")
    if op == "<=" and not lower_is_better(name):
        raise ValueError(f"{name} is higher-is-better: gate it with {name}=V or {name}>=V "
                         f"(min in a file), got {text!r}")  # fmt: skip
    if op == ">=" and lower_is_better(name):
        raise ValueError(f"{name} is lower-is-better (a count, a rate of failures or a "
                         f"latency): gate it with max, not min, got {text!r}")  # fmt: skip
    try:
        if isinstance(value, bool) or value in ("True", "False"):
            raise ValueError
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a number in {text!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} needs a finite number, got {text!r}")
    if is_rate(name) and not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} is a share or score from 0 to 1, got {text!r}")
    if number < 0:
        raise ValueError(f"{name} cannot be negative, got {text!r}")
    return Threshold(name, op, number, explicit=explicit)


def parse_overrides(texts: tuple[str, ...] | list[str], known: set[str]) -> list[Threshold]:
    """Every ``--fail-under`` value parsed; a metric given twice is a ValueError."""
    out: list[Threshold] = []
    for text in texts:
        t = parse_override(text, known)
        if any(x.metric == t.metric for x in out):
            raise ValueError(f"{t.metric} is given more than once; give each metric once")
        out.append(t)
    return out


def _stricter(a: Threshold, b: Threshold) -> bool:
    """Whether ``a`` asks more than ``b`` (same metric, same direction)."""
    return a.value > b.value if a.op == ">=" else a.value < b.value


def merge_overrides(
    suite: list[Threshold], extra: list[Threshold], where: str = "evals/thresholds.yaml"
) -> tuple[list[Threshold], list[str]]:
    """The suite with the command line's thresholds added or tightening committed ones, and the
    notes to print: a looser value keeps the committed threshold (marked explicit, so that it fails
    if not measured). Raises ValueError for a value that reverses a committed direction."""
    merged = list(suite)
    notes = []
    for x in extra:
        i = next((i for i, t in enumerate(merged) if t.metric == x.metric), None)
        if i is None:
            merged.append(x)
            continue
        committed = merged[i]
        if committed.op != x.op:
            raise ValueError(f"--fail-under {x} reverses {committed} in {where}")
        if _stricter(x, committed):
            merged[i] = x
            continue
        merged[i] = replace(committed, explicit=True)
        if _stricter(committed, x):
            notes.append(f"--fail-under {x} is looser than {committed} in {where}: "
                         "keeping the committed threshold")  # fmt: skip
    return merged, notes


def verdict(t: Threshold, got: float | None, *, policy_ran: bool = True,
            judge_ran: bool = False) -> str:  # fmt: skip
    """``ok``, ``FAIL``, or ``skipped``: a committed threshold on an optional metric (judge,
    abstention; policy when the policy eval was not asked for) that this run did not measure.
    A judge metric is not skipped when a judge ran (``judge_ran``): it scored nothing.
    ``cannot fail``: a measured threshold that no value fails (``Threshold.can_fail``), which
    gates nothing."""
    if got is not None and not t.can_fail:
        return CANNOT_FAIL
    if got is None:
        optional = t.metric in OPTIONAL or (not policy_ran and t.metric.startswith("policy_"))
        if judge_ran and t.metric in JUDGE:
            optional = False
        return "skipped" if optional and not t.explicit else "FAIL"
    return "ok" if t.check(got) else "FAIL"


def skipped(
    overall: Mapping[str, float | None],
    thresholds: list[Threshold],
    *,
    policy_ran: bool = True,
    judge_ran: bool = False,
) -> list[Threshold]:
    """The committed thresholds that ``check`` passed over because their metric was not measured."""
    return [t for t in thresholds
            if verdict(t, overall.get(t.metric), policy_ran=policy_ran,
                       judge_ran=judge_ran) == "skipped"]  # fmt: skip


NOTHING_CHECKED = (
    "no threshold was checked: the suite gates nothing this run measured "
    "(or only thresholds that cannot fail)"
)
CANNOT_FAIL = "cannot fail"


def check(
    overall: Mapping[str, float | None],
    thresholds: list[Threshold],
    *,
    policy_ran: bool = True,
    judge_ran: bool = False,
) -> list[str]:
    """Failed thresholds as messages. A metric that was not measured fails, except under a
    committed threshold on an optional metric (``verdict``); a policy eval that ran and lost a
    metric fails, and so does any threshold given on the command line. A gate that checked
    nothing (an empty suite, every threshold skipped, or every one unable to fail: "hit@5 >=
    0") fails too: it cannot fail otherwise."""
    failures = []
    checked = 0
    for t in thresholds:
        got = overall.get(t.metric)
        v = verdict(t, got, policy_ran=policy_ran, judge_ran=judge_ran)
        checked += v not in ("skipped", CANNOT_FAIL)
        if v == "FAIL":
            failures.append(f"{t} (got {_shown(got)})")
    if not checked:
        failures.append(NOTHING_CHECKED)
    return failures
