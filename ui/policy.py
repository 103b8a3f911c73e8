"""Policy check: upload a draft, pick firm type and rulebooks, get a gap report with both quotes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.errors import EncryptedFileError, IngestError, RegassistError
from assistant.policy.obligations import FIRM_TYPES
from assistant.policy.report import (
    COLOURS,
    STATUS_ORDER,
    against,
    ref_order,
    rule_name,
    to_csv,
    to_html,
    to_markdown,
)
from assistant.policy.service import run_check
from assistant.spreadsheet import csv_download
from ui.common import (
    EMPTY,
    assistant_or_error,
    md_text,
    plain,
    settings,
    status_box,
    tidy_message,
)
from ui.source import show_source

TYPES = ("pdf", "docx", "md", "markdown", "txt")


def _run(
    upload: Any, firm_types: list[str], rulebooks: list[str], password: str | None = None
) -> None:
    s = settings()
    assistant = assistant_or_error()
    if assistant is None:
        return
    # whatever happens below, the last report is not this draft's
    st.session_state.pop("policy_report", None)
    st.session_state.pop("policy_inputs", None)
    for key in ("policy_detail", "policy_last_selection"):  # a row of the old table
        st.session_state.pop(key, None)
    data = upload.getvalue()
    if len(data) > s.max_file_mb * 1024 * 1024:
        st.error(
            f"{upload.name}: file is {len(data) / 2**20:.1f} MB, over the {s.max_file_mb:.0f} MB limit."
        )
        return
    suffix = Path(upload.name).suffix.lower()
    if suffix.lstrip(".") not in TYPES:
        st.error(
            f"{upload.name}: unsupported file type {suffix or '(none)'}; use PDF, DOCX or Markdown."
        )
        return
    failure: str | None = None
    with st.status("Checking the draft against the rules…", expanded=True) as status:
        with tempfile.TemporaryDirectory(prefix="regassist-policy-") as tmp:
            path = Path(tmp) / f"draft{suffix}"  # a sanitised name, removed with the directory
            path.write_bytes(data)
            st.write("Reading the draft and building the obligation register…")
            try:
                report = run_check(s, path, firm_types, rulebooks, assistant.index.embedder,
                                   password=password or None)  # fmt: skip
            except RegassistError as exc:
                failure = _upload_error(exc, path, upload.name)
        if failure is None:
            report.draft = upload.name
            st.write(f"Matched {len(report.findings)} obligations.")
            status.update(label="Check complete", state="complete")
        else:
            status.update(label=f"Check failed: {upload.name}", state="error", expanded=False)
    if failure is not None:  # below the panel, not inside it, so it is seen
        st.error(failure)
        return
    st.session_state["policy_report"] = report
    st.session_state["policy_inputs"] = _inputs(upload, firm_types, rulebooks)


def _inputs(upload: Any, firm_types: list[str], rulebooks: list[str]) -> tuple[Any, ...]:
    """What a report was checked from: the draft (its name and a digest of its bytes: another
    file under the same name is another draft), the firm types and the rulebooks (as sets)."""
    import hashlib

    draft = (None if upload is None
             else (upload.name, hashlib.sha256(upload.getvalue()).hexdigest()[:16]))  # fmt: skip
    return (draft, tuple(sorted(firm_types)), tuple(sorted(rulebooks)))


def _upload_error(exc: RegassistError, path: Path, name: str) -> str:
    """The error under the uploaded file's name, never the temporary path, with a hint that fits
    this page (the loader's hints speak of ingesting)."""
    if isinstance(exc, EncryptedFileError):
        hint = ("Enter the PDF's password in the 'PDF password' field and check again, or upload "
                "a copy without password protection.")  # fmt: skip
    elif exc.hint and "--firm-type" in exc.hint:
        # the service's hint names command-line flags, which mean nothing on this page (a
        # browser trial, 2026-12-05)
        hint = ("Choose other firm types or rulebooks above (leave Firm type empty to check "
                "every rule), or add the rulebooks on the Library page.")  # fmt: skip
    else:
        hint = exc.hint
    if isinstance(exc, IngestError):
        text = f"{name}: {tidy_message(exc.message, path, name)}"
    else:
        text = exc.message
    return f"{text}\n\n{hint}" if hint else text


def ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings in the reports' order: by status, then by rule number (the table listed missing
    before partial findings while its CSV did not, and "AML 10.1" before "AML 2.1", a review,
    thirty-seventh session)."""
    return sorted(rows, key=lambda r: (STATUS_ORDER[r["status"]], ref_order(r["ref"] or "")))


def table_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings table: full obligation and reason text, in surface words."""
    return [{"status": r["status"], "rule": rule_name(r), "obligation": plain(r["obligation"]),
             "clause": (r["clause_label"] + (f" (p. {r['clause_page']})" if r.get("clause_page")
                                             else "")) if r["clause_label"] else EMPTY,
             "reason": r["reason"]}
            for r in rows]  # fmt: skip


def _table(rows: list[dict[str, Any]]) -> list[int]:
    """The coloured findings table; returns the selected row (clicking a row opens its details)."""
    import pandas as pd

    frame = pd.DataFrame(table_rows(rows))
    if frame.empty:
        st.info("No findings match the filters.")
        return []
    styled = frame.style.apply(
        lambda row: [f"background-color: {COLOURS[row['status']]}"] * len(row), axis=1
    )
    event = st.dataframe(
        styled, hide_index=True, width="stretch", key="policy_table", row_height=110,
        on_select="rerun", selection_mode="single-row",
        column_config={  # widths that fit the page, so no text is cut off at the right
            "status": st.column_config.TextColumn("Status", width=95),
            "rule": st.column_config.TextColumn("Rule", width=85),
            "obligation": st.column_config.TextColumn("Obligation", width=290),
            "clause": st.column_config.TextColumn("Clause", width=72),
            "reason": st.column_config.TextColumn("Reason", width=240),
        },
    )  # fmt: skip
    return list(event.selection.rows) if event is not None else []


def render() -> None:
    st.title("Policy check")
    st.caption("Upload a firm's policy draft; each applicable obligation in the indexed rules is checked "
               "against the draft's clauses: covered, partial, conflicting or missing.")  # fmt: skip
    assistant = assistant_or_error()
    if assistant is None:
        return
    books = sorted(
        {
            d["rulebook"]
            for d in assistant.index.documents()
            if d["rulebook"] and d["kind"] == "rules"
        }
    )
    upload = st.file_uploader(
        "Policy draft (PDF, DOCX, Markdown)", type=list(TYPES), key="policy_upload"
    )
    col1, col2 = st.columns(2)
    # Streamlit drops a widget's value when another page is shown: the choices are kept under
    # keys of their own and put back (the firm type and rulebooks were reset after a visit to
    # the chat, and the page then said "the inputs above have changed", a stablecoin founder's
    # trial, twentieth session)
    for key in ("policy_firm_types", "policy_books"):
        if key not in st.session_state and f"{key}_kept" in st.session_state:
            st.session_state[key] = [v for v in st.session_state[f"{key}_kept"]
                                     if v in (FIRM_TYPES if key == "policy_firm_types" else books)]  # fmt: skip
    firm_types = col1.multiselect(
        "Firm type", FIRM_TYPES,
        default=None if "policy_firm_types" in st.session_state else ["DATF operator"],
        key="policy_firm_types",
    )  # fmt: skip
    rulebooks = col2.multiselect(
        "Rulebooks", books,
        default=None if "policy_books" in st.session_state else (["AML"] if "AML" in books else []),
        key="policy_books",
    )  # fmt: skip
    st.session_state["policy_firm_types_kept"] = list(firm_types)
    st.session_state["policy_books_kept"] = list(rulebooks)
    password = None
    if upload is not None and upload.name.lower().endswith(".pdf"):
        password = st.text_input("PDF password (only for an encrypted PDF)", type="password",
                                 key="policy_password")  # fmt: skip
    if st.button("Check draft", type="primary", disabled=upload is None, key="policy_run"):
        _run(upload, firm_types, rulebooks, password)
    report = st.session_state.get("policy_report")
    if report is None:
        return
    checked = st.session_state.get("policy_inputs")
    if checked is not None and checked != _inputs(upload, firm_types, rulebooks):
        # the page keeps the last report, but says when the inputs above no longer match it
        # (a new user came back to an empty uploader and a reset firm type over the old report)
        (name, _), types, used = checked
        what = (f"This report is for **{name}**, checked as {', '.join(types) or 'any firm type'} "
                f"against {', '.join(used) or 'all rulebooks'}.")  # fmt: skip
        if upload is None and checked[1:] == _inputs(None, firm_types, rulebooks)[1:]:
            # the uploader is emptied by a visit to another page, not by the user
            st.info(f"{what} Upload the draft again to check it with other settings.")
        elif upload is None:  # and the firm type or rulebooks differ from the report's
            st.warning(f"{what} The firm type or rulebooks above differ from the report's: upload "
                       "the draft again and check it to update it.")  # fmt: skip
        else:
            st.warning(f"{what} The inputs above have changed: check the draft again to update it.")
    summary = report.summary()
    st.subheader(report.title)
    checked_against = against(report).removeprefix("checked against: ")
    if report.not_checked or report.not_applying or report.no_duties or report.chapters_left_out:
        # a rulebook chosen and left out is said where it is seen, not in a caption's last words
        # (a browser trial, thirty-fourth session: CHR was left out of a DATF operator's check)
        st.warning(f"Checked against {checked_against}.")
    else:
        st.caption(f"Checked against {checked_against}.")
    for w in report.warnings():
        st.warning(w)
    cols = st.columns(4)
    for col, (status, n) in zip(cols, summary["by_status"].items(), strict=True):
        col.metric(status.capitalize(), n)
    rows = [f.to_dict() for f in report.findings]
    f1, f2 = st.columns(2)
    show = f1.multiselect(
        "Status", list(COLOURS), default=list(COLOURS), key="policy_filter_status"
    )
    in_books = sorted({r["rulebook"] or "-" for r in rows})
    show_books = f2.multiselect("Rulebook", in_books, default=in_books, key="policy_filter_books")
    rows = ordered(
        [r for r in rows if r["status"] in show and (r["rulebook"] or "-") in show_books]
    )
    selected = _table(rows)
    if selected and selected != st.session_state.get("policy_last_selection"):
        st.session_state["policy_detail"] = selected[0]  # the clicked row drives the drill-down
    st.session_state["policy_last_selection"] = selected
    # the drill-down's row index must be one of this table's: after a new report or a filter,
    # Streamlit may hand back what the selectbox held for the old options (the old row's label,
    # a string: "'>=' not supported between 'str' and 'int'" broke the page on the third draft
    # checked in a session, a new user's trial 2026-12-04)
    held = st.session_state.get("policy_detail", 0)
    if not isinstance(held, int) or isinstance(held, bool) or not 0 <= held < len(rows):
        st.session_state.pop("policy_detail", None)
    if rows:
        labels = [f"{r['status']}: {r['ref']} — {r['obligation'][:80]}" for r in rows]
        pick = st.selectbox(
            "Details (or click a row in the table)",
            range(len(rows)),
            format_func=lambda i: labels[i],
            key="policy_detail",
        )
        r = rows[pick]
        left, right = st.columns(2)
        with left, st.container(border=True):
            st.markdown(f"**Rule {r['ref']}**" + (" (guidance)" if r["is_guidance"] else ""))
            st.markdown("> " + plain(r["obligation"]).replace("\n", "\n> "))
            chunk_id = next(f.obligation.chunk_id for f in report.findings
                            if f.obligation.id == r["obligation_id"])  # fmt: skip
            if st.toggle("Show in the rulebook", key=f"policy-source-{r['obligation_id']}"):
                chunk = assistant.index.catalog.chunks([chunk_id]).get(chunk_id)
                if chunk is not None:
                    show_source(assistant.index, {"doc_id": chunk.doc_id, "chunk_id": chunk_id,
                                                  "page": chunk.pages[0] if chunk.pages else None,
                                                  "page_label": None, "quote": r["obligation"]})  # fmt: skip
        with right, st.container(border=True):
            page = f" (p. {r['clause_page']})" if r.get("clause_page") else ""
            st.markdown(f"**Draft {md_text(r['clause_label'] or '(no matching clause)')}{page}**")
            st.markdown(
                "> "
                + md_text(
                    plain(r["clause_quote"] or "Nothing in the draft addresses this obligation.")
                ).replace("\n", "\n> ")
            )
        status_box(r["status"], r["reason"])
    if report.unmatched:
        with st.expander(f"Draft clauses no finding cites ({len(report.unmatched)})"):
            for c in report.unmatched:
                st.markdown(f"- **{plain(c.label)}**: {plain(c.text).strip()}")
    d1, d2, d3 = st.columns(3)
    stem = Path(report.draft).stem or "policy"
    d1.download_button(
        "Download CSV", csv_download(to_csv(report)), f"{stem}-check.csv", "text/csv", key="dl_csv"
    )
    d2.download_button(
        "Download Markdown", to_markdown(report), f"{stem}-check.md", "text/markdown", key="dl_md"
    )
    d3.download_button(
        "Download HTML", to_html(report), f"{stem}-check.html", "text/html", key="dl_html"
    )


render()
