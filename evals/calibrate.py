"""Calibrate the abstention threshold on the golden questions.

Run: ``python -m evals.calibrate [--data-dir DIR]`` on an index of the bundled corpus. It answers
every golden question with abstention by confidence switched off, then prints the confidence of
answerable and off-topic questions and the threshold midway between them. Gap questions
(answerable: false, but on topic) abstain through the gap-statement rule, not the threshold.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from assistant.answer.assistant import Assistant
from assistant.index.core import Index
from assistant.settings import load_settings
from evals.dataset import GoldenQuestion, load_dataset


@dataclass(frozen=True)
class Calibration:
    answerable_min: float
    offtopic_max: float
    threshold: float
    separable: bool


def calibrate(assistant: Assistant, questions: list[GoldenQuestion]) -> Calibration:
    saved = assistant.extractive.min_confidence
    assistant.extractive.min_confidence = 0.0
    try:
        answerable, offtopic = [], []
        for q in questions:
            a = assistant.ask(q.question)
            if q.answerable:
                answerable.append(a.confidence)
            elif not q.expected_refs and not a.abstained:
                offtopic.append(a.confidence)  # nothing in the index says "not specified" for it
    finally:
        assistant.extractive.min_confidence = saved
    lo, hi = min(answerable), max(offtopic, default=0.0)
    return Calibration(lo, hi, round((lo + hi) / 2, 2), hi < lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    settings = load_settings(data_dir=args.data_dir)
    settings = settings.model_copy(
        update={"answer": settings.answer.model_copy(update={"audit_log": False})}
    )
    cal = calibrate(Assistant(Index.open(settings)), load_dataset())
    print(f"answerable: min confidence {cal.answerable_min:.3f}")
    print(f"off-topic : max confidence {cal.offtopic_max:.3f}")
    print(f"threshold : {cal.threshold:.2f} (separable: {cal.separable})")


if __name__ == "__main__":
    main()
