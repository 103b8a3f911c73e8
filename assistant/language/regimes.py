"""The names of regimes: the AIFC's own, and other regulators' whose rules are not indexed with
the AIFC's (read by the answerer, the answerability gate and the LLM verifier)."""

from __future__ import annotations

import re

AIFC_NAMED = re.compile(r"\bAIFC\b|\bAFSA\b|\bAstana International Financial Cent", re.I)
OTHER_REGULATOR_NAMES = ("DFSA", "ADGM", "FSRA", "VARA", "DIFC", "FCA", "SEC", "MAS", "FINMA",
                         "ESMA", "MiCA", "BaFin")  # fmt: skip
OTHER_REGULATORS = re.compile(r"\b(" + "|".join(OTHER_REGULATOR_NAMES) + r")\b")
