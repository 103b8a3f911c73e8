"""Questionnaire: upload a CSV or XLSX with a question column, answer every question with citations,
add notes, download as CSV, XLSX or Markdown with the cited quotes."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.answer.batch import BadRow, Row, parse_batch, split_rows
from assistant.answer.table import OWN_COLUMNS, answer_row, column_order, plain, shown_ref
from assistant.errors import RegassistError, UsageError
from assistant.language.spelling import unread
from assistant.spreadsheet import as_text_cells, csv_download, csv_text, fields_of
from ui.common import assistant_or_error, citation_card, settings, show_error, where

TYPES = ("csv", "xlsx", "tsv", "jsonl")
FIELDS = ("question", "questions")
MAX_QUESTIONS = 500
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_questionnaire(name: str, data: bytes,
                       max_bytes: int) -> tuple[list[Row], list[BadRow], list[BadRow]]:  # fmt: skip
    """The questions of an uploaded file, read by the CLI's batch reader (assistant/answer/batch.py)
    so the app and `ask --questions` agree, with the rows that could not be read and the rows
    passed over (a section heading, a note). UsageError with a clear message for a file that is
    too large, empty, without a question column or not UTF-8."""
    if len(data) > max_bytes:
        raise UsageError(f"{name}: file is {len(data) / 2**20:.1f} MB, over the "
                         f"{max_bytes / 1024 / 1024:.0f} MB limit", "split it into smaller files")  # fmt: skip
    if not data.strip():
        raise UsageError(f"{name}: the file is empty", "add a header row with a 'question' column")
    batch = parse_batch(data, fields=FIELDS, name=name)
    rows, bad = batch.rows, batch.bad
    if not rows:
        detail = "; ".join(str(b) for b in bad[:3]) or "no question in it"
        raise UsageError(f"{name}: no questions to answer ({detail})",
                         "put one question per row under a 'question' header")  # fmt: skip
    if len(rows) > MAX_QUESTIONS:
        raise UsageError(f"{name}: {len(rows)} questions, over the limit of {MAX_QUESTIONS}",
                         "split the questionnaire into smaller files")  # fmt: skip
    # a row that asks several questions is answered question by question (ids "3.1", "3.2")
    return split_rows(rows), bad, batch.skipped


def result_row(row: Row, a: dict[str, Any]) -> dict[str, Any]:
    """One table row (``assistant.answer.table.answer_row``, as `ask --format csv` writes it)."""
    return answer_row(row.id, row.text, a, row.extra)


def keep_notes(stored: list[dict[str, Any]], edited: list[dict[str, Any]]) -> None:
    """Copy the reviewer's notes from the editor into the answers kept for the session: the
    editor's own state is dropped when the user opens another page (a new user lost every note
    so, 2026-12-04)."""
    for row, e in zip(stored, edited, strict=False):
        row["notes"] = e.get("notes") or ""


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """The table as CSV; a cell a spreadsheet would run as a formula is written as text
    (``assistant.spreadsheet``): the questions and quotes are text we did not write; with a
    byte-order mark, for Excel (``csv_download``)."""
    return csv_download(csv_text(rows, fields_of(rows)))


def to_xlsx(rows: list[dict[str, Any]], answers: list[dict[str, Any]]) -> bytes:
    """Results on the first sheet, one row per citation with its verbatim quote on the second."""
    import pandas as pd

    quotes = [{"id": r["id"], "n": c["n"], "ref": shown_ref(c), "document": where(c),
               "quote": plain(c["quote"])}
              for r, a in zip(rows, answers, strict=True) for c in a["citations"]]  # fmt: skip
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        pd.DataFrame(rows).to_excel(xw, sheet_name="answers", index=False)
        pd.DataFrame(quotes, columns=["id", "n", "ref", "document", "quote"]).to_excel(
            xw, sheet_name="citations", index=False
        )
        for sheet in xw.sheets.values():  # "=HYPERLINK(...)" in a question stays text
            as_text_cells(sheet)
    return buf.getvalue()


def to_markdown(rows: list[dict[str, Any]], answers: list[dict[str, Any]], title: str) -> str:
    out = [f"# Questionnaire: {title}", ""]
    for r, a in zip(rows, answers, strict=True):
        out += [f"## {r['id']}. {r['question']}", ""]
        own = [f"**{k}:** {v}" for k, v in r.items() if k not in OWN_COLUMNS and v]
        out += ["; ".join(own), ""] if own else []
        out += [r["answer"], ""]
        if r.get("caveats"):
            out += [f"_{r['caveats']}_", ""]
        for c in a["citations"]:
            out += [
                f"{c['n']}. **{shown_ref(c) or 'Unnumbered passage'}**, {where(c)}",
                "",
            ]
            out += ["   > " + ln for ln in plain(c["quote"]).splitlines()] + [""]
        if r.get("notes"):
            out += [f"**Notes:** {r['notes']}", ""]
    return "\n".join(out).rstrip() + "\n"


def _answer_all(assistant: Any, rows: list[Row], as_of: str | None = None) -> list[dict[str, Any]]:
    bar = st.progress(0.0, text=f"Answered 0 of {len(rows)} questions")
    answers = []
    for i, row in enumerate(rows, start=1):
        answers.append(assistant.ask(row.text, as_of=as_of).to_dict(full_text=True))
        bar.progress(i / len(rows), text=f"Answered {i} of {len(rows)} questions")
    return answers


def render() -> None:
    s = settings()
    st.title("Questionnaire")
    st.caption("Upload an application form or a due-diligence questionnaire (CSV, TSV, XLSX or "
               "JSONL with a 'question' column). Every question is answered from the indexed "
               "rules with citations, or marked as not specified.")  # fmt: skip
    assistant = assistant_or_error()
    if assistant is None:
        return
    upload = st.file_uploader("Questionnaire (CSV, TSV, XLSX or JSONL)", type=list(TYPES),
                              key="qn_upload")  # fmt: skip
    # the versions in force on a date, as the chat's sidebar offers: answers quoting two versions
    # said "Ask with an 'as of' date", which this page did not have (a consultant's browser
    # trial, thirty-eighth session)
    use_as_of = st.checkbox("Only documents in force on a date", key="qn_use_as_of")
    day = st.date_input("As of", value=date.today(), key="qn_as_of", disabled=not use_as_of)
    as_of = day.isoformat() if use_as_of and isinstance(day, date) else None
    if st.button("Answer all questions", type="primary", disabled=upload is None, key="qn_run"):
        try:
            rows, bad, passed = read_questionnaire(upload.name, upload.getvalue(),
                                                   int(s.max_file_mb * 1024 * 1024))  # fmt: skip
            answers = _answer_all(assistant, rows, as_of)
        except RegassistError as exc:
            show_error(exc)
            return
        st.session_state["qn"] = {"name": upload.name, "as_of": as_of, "bad": [str(b) for b in bad],
                                  "passed": [str(b) for b in passed],
                                  "rows": [result_row(r, a) for r, a in zip(rows, answers, strict=True)],
                                  "answers": answers}  # fmt: skip
        st.session_state["qn_gen"] = st.session_state.get("qn_gen", 0) + 1  # fresh notes editor
        st.rerun()  # one progress bar: the finished one below
    qn = st.session_state.get("qn")
    if not qn:
        return
    n = len(qn["rows"])
    st.progress(1.0, text=f"Answered {n} of {n} questions")
    # (a question not in English was not searched: no "not specified", a review)
    foreign = sum(unread(a.get("notes")) for a in qn["answers"])
    abstained = sum(r["abstained"] for r in qn["rows"]) - foreign
    said = f", {foreign} not read (not in English)" if foreign else ""
    said += f"; as of {qn['as_of']}" if qn.get("as_of") else ""
    # the answered rows with a caveat to check ("what the question asks for occurs nowhere in
    # the indexed text") said apart: they were counted as plainly answered, and the caveat was
    # off screen to the right (a screen-reader user's trial, thirty-ninth session)
    checked = sum(bool(r.get("caveats")) and not r["abstained"] for r in qn["rows"])
    caveat = f" ({checked} with a caveat to check)" if checked else ""
    st.subheader(
        f"{qn['name']}: {n} questions, {n - abstained - foreign} answered{caveat}, {abstained} "
        f"not specified{said}"
    )
    for b in qn["bad"]:
        st.warning(f"Skipped {b}")
    if qn.get("passed"):  # a heading or a note is no fault of the file (a trial, 2026-12-04)
        st.caption("Passed over, no question in them: " + "; ".join(qn["passed"]))
    edited = st.data_editor(
        qn["rows"], hide_index=True, width="stretch", row_height=70,
        key=f"qn_editor-{st.session_state.get('qn_gen', 0)}",
        disabled=[k for k in qn["rows"][0] if k != "notes"],  # the notes alone are the user's
        column_order=column_order(list(qn["rows"][0])),
        column_config={
            "question": st.column_config.TextColumn("Question", width="medium"),
            "answer": st.column_config.TextColumn("Answer", width="large"),
            "citations": st.column_config.TextColumn("Citations", width="small"),
            "quotes": st.column_config.TextColumn("Cited quotes", width="medium"),
            "abstained": st.column_config.CheckboxColumn("Not specified"),
            "caveats": st.column_config.TextColumn("Caveats", width="medium"),
            "notes": st.column_config.TextColumn("Notes (editable)", width="medium"),
        },
    )  # fmt: skip
    rows = [dict(r) for r in edited] if isinstance(edited, list) else edited.to_dict("records")
    keep_notes(qn["rows"], rows)
    stem = Path(qn["name"]).stem or "questionnaire"
    d1, d2, d3 = st.columns(3)
    d1.download_button("Download CSV", to_csv(rows), f"{stem}-answers.csv", "text/csv",
                       key="qn_dl_csv")  # fmt: skip
    d2.download_button("Download XLSX", to_xlsx(rows, qn["answers"]), f"{stem}-answers.xlsx",
                       XLSX_MIME, key="qn_dl_xlsx")  # fmt: skip
    d3.download_button("Download Markdown", to_markdown(rows, qn["answers"], qn["name"]),
                       f"{stem}-answers.md", "text/markdown", key="qn_dl_md")  # fmt: skip
    pick = st.selectbox("Citations for", range(n), key="qn_detail",
                        format_func=lambda i: f"{rows[i]['id']}. {rows[i]['question'][:90]}")  # fmt: skip
    for c in qn["answers"][pick]["citations"]:
        citation_card(c, key=f"qn-{pick}")


render()
