"""Golden datasets: versioned YAML files of questions with expected rule refs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DATASETS = Path(__file__).resolve().parent / "datasets"


@dataclass(frozen=True)
class GoldenQuestion:
    id: str
    question: str
    expected_refs: tuple[str, ...]
    reference_answer: str
    category: str
    difficulty: str
    answerable: bool


def load_dataset(path: Path | str = DATASETS / "aifc_core.yaml") -> list[GoldenQuestion]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [
        GoldenQuestion(q["id"], q["question"], tuple(q.get("expected_refs") or ()), q.get("reference_answer", ""),
                       q.get("category", ""), q.get("difficulty", ""), bool(q.get("answerable", True)))
        for q in data["questions"]
    ]  # fmt: skip
