"""Evals: the latest `regassist eval` report: metrics, per-category chart, failing questions."""

from __future__ import annotations

import json
from urllib.parse import quote

import streamlit as st

from ui.common import settings


def render() -> None:
    s = settings()
    st.title("Evals")
    path = s.data_dir / "eval-report" / "results.json"
    if not path.exists():
        st.info(f"No eval report yet in {path.parent}. Run `make eval` or `regassist eval`.")
        return
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        st.error(f"Cannot read {path}: {exc}")
        return
    gate = data.get("gate", {})
    if gate.get("passed"):
        st.success("All thresholds met.")
    else:
        st.error("Gate failed: " + "; ".join(gate.get("failures", [])))
    st.caption(f"Dataset {data['dataset']} {data['dataset_version']} · mode {data['config']['mode']} · "
               f"index {data['config']['index_id']} · {path}")  # fmt: skip
    st.subheader("Metrics")
    st.dataframe(
        [{"metric": k, "value": v} for k, v in data["overall"].items()],
        hide_index=True,
        width="content",
    )
    st.subheader("hit@5 by category")
    st.bar_chart({c: a.get("hit@5", 0.0) for c, a in data["by_category"].items()}, horizontal=True)
    failing = [r for r in data["results"] if not r["passed"]]
    st.subheader(f"Failing questions ({len(failing)})")
    for r in failing:
        with st.container(border=True):
            st.markdown(
                f"**{r['id']}** · {r['category']} · [ask it in the chat](/chat?q={quote(r['question'])})"
            )
            st.markdown(r["question"])
            st.caption("; ".join(r["failures"]))
            st.caption(
                "retrieved: " + ", ".join(x or "(unnumbered)" for x in r["retrieved_refs"][:5])
            )


render()
