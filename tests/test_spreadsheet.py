"""Tables written for spreadsheets: a cell that a spreadsheet would run as a formula is written as
text (CSV: a leading apostrophe; XLSX: typed as text, characters unchanged). The questions of an
uploaded questionnaire and the clauses of a client's policy draft are text we did not write, and
a consultant opens our CSV in Excel (OWASP "CSV injection"; found in the twentieth session: the
questionnaire's XLSX export wrote "=HYPERLINK(...)" in a question as a live formula)."""

from __future__ import annotations

import csv
import io

import pytest

from assistant.spreadsheet import csv_rows, csv_text, fields_of, safe_cell

FORMULAS = ['=HYPERLINK("http://x","click")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_like_cell_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text
    row = next(csv.reader(io.StringIO(csv_text([{"a": text}], ["a"]).split("\r\n", 1)[1])))
    assert row == ["'" + text]


@pytest.mark.parametrize(
    "value", ["USD 1,000", "AML 13.1.3", "", "a = b", 5, -3, True, None, "-1", "+5", "-1,000.50"]
)
def test_other_cells_are_unchanged(value: object) -> None:
    assert safe_cell(value) == value


def test_a_cell_loses_the_invisible_direction_marks_of_its_source() -> None:
    # ("Rule \u200e2.14.4" in ADGM's MIR broke a spreadsheet's lookup of the rule, a trading
    # venue's obligations register, fortieth session)
    assert safe_cell("Rule \u200e2.14.4 and \u200f3.1") == "Rule 2.14.4 and 3.1"
    assert safe_cell("\u200e=1") == "'=1"


def test_csv_rows_and_fields_of() -> None:
    rows = [{"id": "1", "q": "=1"}, {"id": "2", "Owner": "Ann"}]
    assert fields_of(rows) == ["id", "q", "Owner"]
    out = list(csv.reader(io.StringIO(csv_text(rows, fields_of(rows)))))
    assert out == [["id", "q", "Owner"], ["1", "'=1", ""], ["2", "", "Ann"]]
    assert list(csv.reader(io.StringIO(csv_rows(["a"], [["@x"], ["y"]])))) == [
        ["a"],
        ["'@x"],
        ["y"],
    ]


def test_questionnaire_exports_keep_a_formula_as_text() -> None:
    from openpyxl import load_workbook

    from ui.questionnaire import to_csv, to_xlsx

    question = '=HYPERLINK("http://example.invalid","click")'
    quote = "- the customer's name"
    answer = {"answer": "Not specified in the indexed rules.", "abstained": True,
              "citations": [{"n": 1, "ref": "AML 11-1.1", "title": "AML", "quote": quote}]}  # fmt: skip
    rows = [{"id": "1", "question": question, "answer": answer["answer"], "quotes": quote}]
    wb = load_workbook(io.BytesIO(to_xlsx(rows, [answer])))
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert question in [c.value for c in cells] and quote in [c.value for c in cells]
    text = to_csv(rows).decode()
    assert "'=HYPERLINK" in text and "'- the customer" in text


def test_a_downloaded_csv_opens_in_excel_as_utf8_and_the_cli_csv_has_no_mark() -> None:
    """Excel reads a CSV without a byte-order mark in the system code page: "\u2014" and Cyrillic
    were mojibake in the app's downloads (known since the thirtieth session)."""
    from assistant.spreadsheet import csv_download, csv_text
    from ui.questionnaire import to_csv

    rows = [
        {
            "id": "1",
            "question": "\u041a\u0430\u043a\u043e\u0439 \u043a\u0430\u043f\u0438\u0442\u0430\u043b?",
            "answer": "USD 200,000 \u2014 AML",
        }
    ]
    data = to_csv(rows)
    assert data.startswith(b"\xef\xbb\xbfid,question,answer")
    assert data.decode("utf-8-sig") == csv_text(rows, ["id", "question", "answer"])
    assert csv_download("a,b\r\n") == b"\xef\xbb\xbfa,b\r\n"
    assert not csv_text(rows, ["id"]).startswith("\ufeff")  # stdout stays plain UTF-8


def test_a_file_column_under_a_name_the_table_fills_is_kept_beside_it() -> None:
    """A review (twentieth session): a batch file's "Notes" column was dropped without a word."""
    from assistant.answer.table import answer_row

    answer = {"answer": "x", "citations": [], "abstained": False}
    row = answer_row("1", "Q?", answer, [("Notes", "-keep"), ("Answer", ""), ("Owner", "Ann")])
    assert row["Notes (in the file)"] == "-keep" and row["notes"] == "" and row["Owner"] == "Ann"
    assert "Answer (in the file)" not in row
