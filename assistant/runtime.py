"""Process-wide switches. Each entry point (the CLI group, the Streamlit app, the bench, the test
session) calls ``apply_offline_env`` once at start; library code never writes the environment."""

from __future__ import annotations

import os

# Hub libraries stay off the network even if a model name is not a local path; ragas sends usage
# analytics on every evaluate() unless told not to; Chroma's telemetry is also off in code.
OFFLINE_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
}
FORCED = {"RAGAS_DO_NOT_TRACK": "true"}  # never overridable: analytics are not ours to send


def apply_offline_env() -> None:
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.update(FORCED)


def offline_env_applied() -> bool:
    return all(os.environ.get(k) == v for k, v in FORCED.items())
