"""Check the abstention threshold against the golden questions.

The threshold is the answerability model's (``assistant/answer/answerability.json``), fitted on
the ``tune`` split by ``evals/real/fit_answerability.py``; without a model file it is
``settings.answer.min_confidence``. Run: ``python -m evals.calibrate [--data-dir DIR]`` on an index
of the bundled corpus. It answers every golden question with abstention by confidence switched
off, then prints the confidence of answerable and off-topic questions, the midpoint between them
and the threshold in force. Gap questions (answerable: false, but on topic) abstain through the
gap-statement and missing-figure rules, not the threshold.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

from assistant.answer.assistant import Assistant
from assistant.index.core import Index
from assistant.settings import load_settings
from evals.dataset import GoldenQuestion, load_dataset


@dataclass(frozen=True)
class Calibration:
    answerable_min: float
    offtopic_max: float
    threshold: float  # midway between the two
    separable: bool
    in_force: float = 0.0  # the threshold the answerer uses


def calibrate(assistant: Assistant, questions: list[GoldenQuestion]) -> Calibration:
    ex = assistant.extractive
    in_force = ex.threshold
    saved = ex.min_confidence, ex.model
    ex.min_confidence = 0.0
    if ex.model is not None:
        ex.model = replace(ex.model, threshold=0.0)
    try:
        answerable, offtopic = [], []
        for q in questions:
            a = assistant.ask(q.question)
            if q.answerable:
                answerable.append(a.confidence)
            elif not q.expected_refs and not a.abstained:
                offtopic.append(a.confidence)  # nothing in the index says "not specified" for it
    finally:
        ex.min_confidence, ex.model = saved
    lo, hi = min(answerable), max(offtopic, default=0.0)
    return Calibration(lo, hi, round((lo + hi) / 2, 2), hi < lo, in_force)


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
    print(f"midpoint  : {cal.threshold:.2f} (separable: {cal.separable})")
    print(
        f"in force  : {cal.in_force:.4f} (answerability model fitted on tune, else min_confidence)"
    )


if __name__ == "__main__":
    main()
