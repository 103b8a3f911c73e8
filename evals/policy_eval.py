"""Score the policy check on drafts with known findings (evals/datasets/policy_checks.yaml).

Findings are compared as (draft, rule ref, status) for the non-covered statuses:
- policy_precision / policy_recall: over all expected findings; per status too;
- policy_planted_recall: share of the deliberately planted gaps found with the right status;
- policy_false_missing_rate: share of rules a draft does address that are reported missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.index.embeddings import Embedder
from assistant.policy.service import run_check
from assistant.settings import Settings
from evals.dataset import DATASETS

FINDING_STATUSES = ("partial", "conflicting", "missing")


def run_policy_eval(settings: Settings, embedder: Embedder | None = None,
                    path: Path = DATASETS / "policy_checks.yaml") -> dict[str, Any]:  # fmt: skip
    data = yaml.safe_load(path.read_text())
    expected: set[tuple[str, str, str]] = set()
    planted: set[tuple[str, str, str]] = set()
    predicted: set[tuple[str, str, str]] = set()
    addressed_total = addressed_missing = 0
    drafts = []
    for d in data["drafts"]:
        report = run_check(settings, (path.parent / d["path"]).resolve(), d.get("firm_types", []),
                           d.get("rulebooks", []), embedder)  # fmt: skip
        exp = {(d["id"], e["ref"], e["status"]) for e in d["expected"]}
        got = {
            (d["id"], f.obligation.ref, f.status) for f in report.findings if f.status != "covered"
        }
        expected |= exp
        planted |= {(d["id"], e["ref"], e["status"]) for e in d["expected"] if e.get("planted")}
        predicted |= got
        missing_refs = {f.obligation.ref for f in report.findings if f.status == "missing"}
        addressed = d.get("addressed", [])
        addressed_total += len(addressed)
        addressed_missing += sum(r in missing_refs for r in addressed)
        drafts.append({"id": d["id"], "title": report.title, "summary": report.summary(),
                       "found": sorted(f"{r} {s}" for _, r, s in got & exp),
                       "not_found": sorted(f"{r} {s}" for _, r, s in exp - got),
                       "unexpected": sorted(f"{r} {s}" for _, r, s in got - exp)})  # fmt: skip
    metrics = {
        "policy_precision": _ratio(len(predicted & expected), len(predicted)),
        "policy_recall": _ratio(len(predicted & expected), len(expected)),
        "policy_planted_recall": _ratio(len(predicted & planted), len(planted)),
        "policy_false_missing_rate": _ratio(addressed_missing, addressed_total, empty=0.0),
    }
    for s in FINDING_STATUSES:
        p = {x for x in predicted if x[2] == s}
        e = {x for x in expected if x[2] == s}
        metrics[f"policy_precision_{s}"] = _ratio(len(p & e), len(p))
        metrics[f"policy_recall_{s}"] = _ratio(len(p & e), len(e))
    return {"dataset": data.get("name"), "version": data.get("version"),
            "metrics": {k: round(v, 4) for k, v in metrics.items()}, "drafts": drafts}  # fmt: skip


def _ratio(num: int, den: int, empty: float = 1.0) -> float:
    return num / den if den else empty
