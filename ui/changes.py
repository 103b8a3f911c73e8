"""Changes: pick a rulebook and two of its versions; what changed, with word diffs, and the impact on a policy."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import streamlit as st

from assistant.changes.diff import plain
from assistant.changes.render import (
    figures_text,
    file_stem,
    force_text,
    head_line,
    impact_summary,
    shown_text,
    status_after,
    to_html,
    to_json,
    to_markdown,
)
from assistant.changes.service import ChangeReport, compare_versions, policy_impact
from assistant.changes.versions import by_regime
from assistant.errors import RegassistError
from ui.common import assistant_or_error, settings, show_error

KIND_COLOURS = {
    "added": "#1b7f3b",
    "amended": "#9a6700",
    "repealed": "#b42318",
    "renumbered": "#175cd3",
}


def _diff_html(report: ChangeReport, i: int) -> str:
    c = report.changes[i]
    if not c.diff:
        text = html.escape(plain(shown_text(c)))
        # what a repeal removes is shown struck out
        return f"<del style='background:#fdd'>{text}</del>" if c.kind == "repealed" else text
    parts = []
    for op, words in c.diff:
        w = html.escape(words)
        parts.append(w if op == "equal" else
                     f"<del style='background:#fdd'>{w}</del>" if op == "delete" else
                     f"<ins style='background:#dfd;text-decoration:none'>{w}</ins>")  # fmt: skip
    return " ".join(parts)


st.title("Changes between rulebook versions")
assistant = assistant_or_error()
if assistant is not None:
    # one regime's versions of a code (ADGM's AML is no version of the AIFC's: a browser trial)
    books = {(f"{b} ({r})" if r != "AIFC" else b): (b, r, vs)
             for (b, r), vs in by_regime(assistant.index.documents()).items() if len(vs) > 1}  # fmt: skip
    if not books:
        st.info("No rulebook has two versions in the index yet. Ingest another version in the Library "
                "with its version date (or `regassist ingest FILE --version-date YYYY-MM-DD`).")  # fmt: skip
    else:
        chosen = st.selectbox("Rulebook", sorted(books))
        book, regime, vs = books[chosen]
        labels = [f"{v.version or 'undated'}: {v.title}" for v in vs]
        c1, c2 = st.columns(2)
        old_i = c1.selectbox(
            "From version", range(len(vs)), index=len(vs) - 2, format_func=lambda i: labels[i]
        )
        new_i = c2.selectbox(
            "To version", range(len(vs)), index=len(vs) - 1, format_func=lambda i: labels[i]
        )
        draft = st.file_uploader(
            "Policy draft to check for impact (optional)", type=["pdf", "docx", "md", "txt"]
        )
        if st.button("Compare", type="primary"):
            if old_i == new_i:
                st.error("Pick two different versions.")
            elif old_i > new_i:
                st.error(
                    "The From version is later than the To version: pick the older one as From."
                )
            else:
                try:
                    report = compare_versions(
                        assistant.index, book, vs[old_i].version, vs[new_i].version, regime
                    )
                    if draft is not None:
                        with tempfile.TemporaryDirectory(prefix="regassist-changes-") as tmp:
                            path = Path(tmp) / f"draft{Path(draft.name).suffix.lower()}"
                            path.write_bytes(draft.getvalue())
                            report.impact = policy_impact(assistant.index, report, path, settings())
                        report.policy = draft.name
                    st.session_state["changes_report"] = report
                    st.session_state["changes_picked"] = (chosen, vs[old_i], vs[new_i])
                except RegassistError as exc:
                    show_error(exc)
    report = st.session_state.get("changes_report")
    if report is not None:
        # what was compared, said above the results; a selection changed since is told apart
        # (the results of 2021 -> 2023 stayed under selectors reading 2023 -> 2023, an app user's
        # trial, twenty-ninth session)
        st.markdown(f"**{html.escape(head_line(report))}**")
        picked = st.session_state.get("changes_picked")
        if books and picked is not None and picked != (chosen, vs[old_i], vs[new_i]):
            st.warning("These results are for the versions compared last, named above, not the "
                       "ones selected now: press Compare to compare those.")  # fmt: skip
        cols = st.columns(4)
        for col, (kind, n) in zip(cols, report.counts.items(), strict=True):
            col.metric(kind.capitalize(), n)
        kinds = st.multiselect(
            "Show", list(report.counts), default=[k for k, n in report.counts.items() if n]
        )
        for i, c in enumerate(report.changes):
            if c.kind not in kinds and not (c.also_amended and "amended" in kinds):
                continue
            colour = KIND_COLOURS[c.kind]
            figures = figures_text(c, "→")
            force = force_text(c, "→")
            with st.container(border=True):
                st.markdown(f"<span style='color:{colour};font-weight:600'>{c.shown_kind.upper()}</span> "
                            f"**{html.escape(c.label)}**" + (f" · figures: {html.escape(figures)}" if figures else "")
                            + (f" · obligation: {html.escape(force)}" if force else ""),
                            unsafe_allow_html=True)  # fmt: skip
                st.markdown(
                    f"<div class='change-diff'>{_diff_html(report, i)}</div>",
                    unsafe_allow_html=True,
                )
        if report.policy is not None:
            st.subheader(f"Impact on {report.policy}")
            if not report.impact:
                st.success("No finding of the draft changes status with these amendments.")
            else:
                st.caption(impact_summary(report))
                st.dataframe([{"rule": x.ref, "change": x.kind, "before": x.before or "new", "after": status_after(x),
                               "reason": x.reason, "clause": x.clause or "—"} for x in report.impact],
                             hide_index=True, use_container_width=True)  # fmt: skip
        d1, d2, d3 = st.columns(3)
        stem = file_stem(report)
        d1.download_button("Download Markdown", to_markdown(report), f"{stem}.md")
        d2.download_button("Download HTML", to_html(report), f"{stem}.html")
        d3.download_button("Download JSON", to_json(report), f"{stem}.json")
