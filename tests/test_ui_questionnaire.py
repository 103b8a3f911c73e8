"""Questionnaire page: CSV/XLSX upload, answers with citations, editable notes, downloads, and
clear messages for bad files (AppTest, fake embedder)."""

import io

import pytest
from streamlit.testing.v1 import AppTest

from assistant.errors import UsageError
from assistant.settings import Settings
from tests.test_app import app, app_env  # noqa: F401  (fixture)
from ui.questionnaire import read_questionnaire, to_markdown, to_xlsx

QUESTIONS = [
    "What is the CDD threshold for an occasional digital asset transaction?",
    "Must the MLRO be resident in Kazakhstan?",
    "What hot/cold wallet ratio must a digital asset custodian keep?",
]


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for r in rows:
            sheet.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


COVERED = {  # as the trial's q.xlsx: a cover sheet, then the table under a title
    "Intro": [["Application questionnaire"]],
    "Questions": [["Firm: Steppe Digital"], [], ["No.", "Question", "Answer"],
                  [1, QUESTIONS[0], None], [2, QUESTIONS[1], None]],
}  # fmt: skip


def page(name: str, data: bytes, mime: str) -> AppTest:
    at = app()
    at.switch_page("ui/questionnaire.py").run()
    at.file_uploader(key="qn_upload").set_value([(name, data, mime)]).run()
    at.button(key="qn_run").click().run()
    assert not at.exception, at.exception
    return at


def test_csv_questionnaire_is_answered_with_citations_and_abstained_flag(
    app_env: Settings,  # noqa: F811
) -> None:
    data = ("id,question\n" + "\n".join(f'q{i},"{q}"' for i, q in enumerate(QUESTIONS, 1))).encode()
    at = page("dd.csv", data, "text/csv")
    qn = at.session_state["qn"]
    assert [r["id"] for r in qn["rows"]] == ["q1", "q2", "q3"]
    assert "AML 6.1.1(a-a)" in qn["rows"][0]["citations"] and not qn["rows"][0]["abstained"]
    assert qn["rows"][2]["abstained"]  # not specified in the indexed rules
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].text == "Answered 3 of 3 questions"
    assert qn["rows"][0]["answer"].startswith("USD 1,000")  # the plain first line
    assert "customer due diligence threshold is USD 1,000" in qn["rows"][0]["quotes"]
    assert "3 questions, 2 answered, 1 not specified" in at.subheader[0].value
    editor = at.dataframe[0]
    assert editor.editing_mode != "read_only"  # the notes column can be edited
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"Download CSV", "Download XLSX", "Download Markdown"}


def test_xlsx_questionnaire_with_a_capitalised_header(app_env: Settings) -> None:  # noqa: F811
    data = xlsx(
        [["No.", "Question", "Owner"]] + [[i, q, "ops"] for i, q in enumerate(QUESTIONS[:2], 1)]
    )
    at = page(
        "form.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = at.session_state["qn"]["rows"]
    assert [r["question"] for r in rows] == QUESTIONS[:2]


def test_xlsx_with_a_cover_sheet_and_a_title_above_the_table(app_env: Settings) -> None:  # noqa: F811
    rows, bad, _ = read_questionnaire("q.xlsx", workbook(COVERED), 10_000_000)
    assert [(r.line, r.text) for r in rows] == [(4, QUESTIONS[0]), (5, QUESTIONS[1])] and not bad
    at = page("q.xlsx", workbook(COVERED), "application/octet-stream")
    assert not at.error
    assert [r["question"] for r in at.session_state["qn"]["rows"]] == QUESTIONS[:2]


def test_xlsx_without_a_question_header_names_what_was_looked_at() -> None:
    sheets = {"Intro": [["Application questionnaire"]], "Data": [["Owner", "Text"], ["ops", "What?"]],
              "Blank": []}  # fmt: skip
    with pytest.raises(UsageError) as err:
        read_questionnaire("q.xlsx", workbook(sheets), 10_000_000)
    msg = err.value.message
    assert msg.startswith("q.xlsx: no 'question' column header in the first 20 rows of any sheet")
    for seen in ("sheet 'Intro': first row 'Application questionnaire'",
                 "sheet 'Data': first row 'Owner', 'Text'", "sheet 'Blank': empty"):  # fmt: skip
        assert seen in msg, msg
    below = {"Late": [["title"]] * 20 + [["question"], ["What?"]]}  # header on row 21: too far
    with pytest.raises(UsageError, match="no 'question' column header"):
        read_questionnaire("late.xlsx", workbook(below), 10_000_000)


@pytest.mark.parametrize(
    ("data", "texts"),
    [(b"question;notes\nMust the MLRO reside in Kazakhstan?;x\n", ["Must the MLRO reside in Kazakhstan?"]),
     (b"id;question\nq1;Who keeps records, and for how long?\n", ["Who keeps records, and for how long?"]),
     (b"id,question\nq1,Who is the MLRO; and the deputy?\nq2,What is CDD?\n",
      ["Who is the MLRO; and the deputy?", "What is CDD?"]),
     (b"Question\nMust the MLRO reside in Kazakhstan?\n", ["Must the MLRO reside in Kazakhstan?"])],
)  # fmt: skip
def test_csv_delimiter_is_detected(data: bytes, texts: list[str]) -> None:
    rows, bad, _ = read_questionnaire("q.csv", data, 10_000_000)
    assert [r.text for r in rows] == texts and not bad


def test_downloads_carry_answers_notes_and_quotes() -> None:
    from openpyxl import load_workbook

    answer = {"answer": "USD 1,000: ... [1]", "abstained": False,
              "citations": [{"n": 1, "ref": "AML 6.1.1(a-a)", "title": "AML Rules", "quote": "CDD at USD 1,000.",
                             "page": None, "version": None}]}  # fmt: skip
    rows = [{"id": "q1", "question": "CDD threshold?", "answer": answer["answer"],
             "citations": "[1] AML 6.1.1(a-a)", "abstained": False, "notes": "checked"}]  # fmt: skip
    wb = load_workbook(io.BytesIO(to_xlsx(rows, [answer])))
    assert [c.value for c in wb["answers"][1]] == [
        "id",
        "question",
        "answer",
        "citations",
        "abstained",
        "notes",
    ]
    assert wb["answers"]["F2"].value == "checked"
    assert wb["citations"]["E2"].value == "CDD at USD 1,000."
    md = to_markdown(rows, [answer], "dd.csv")
    assert "> CDD at USD 1,000." in md and "**Notes:** checked" in md


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("a.csv", b"id,text\n1,What?\n", "no 'question' column"),
     ("a.csv", b"", "the file is empty"),
     ("a.csv", "question\nQuel est le délai de vérification ?\n".encode("latin-1"), "not UTF-8"),
     ("a.xlsx", b"PK not really a workbook", "not a readable XLSX"),
     ("a.csv", b"question\n\n", "no questions to answer")],
)  # fmt: skip
def test_bad_files_get_a_clear_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UsageError) as err:
        read_questionnaire(name, data, 10_000_000)
    assert message in err.value.message


def test_bad_files_in_the_page(app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    at = page("a.xlsx", xlsx([["Owner", "Text"], ["ops", "What?"]]), "application/octet-stream")
    assert any("no 'question' column" in e.value for e in at.error)
    monkeypatch.setenv("REGASSIST_MAX_FILE_MB", "0.00001")
    at = page("b.csv", b"question\nWhat is the CDD threshold?\n", "text/csv")
    assert any("over the" in e.value and "limit" in e.value for e in at.error)


def test_notes_are_kept_in_the_answers_that_outlive_the_editor() -> None:
    """Found by a new user in a real browser (2026-12-04): notes typed in the editor were lost
    on opening another page and coming back; they are copied into the session's answers."""
    from ui.questionnaire import keep_notes

    stored = [
        {"id": "1", "question": "Q1", "notes": ""},
        {"id": "2", "question": "Q2", "notes": ""},
    ]
    keep_notes(stored, [{"id": "1", "notes": "Check with counsel"}, {"id": "2", "notes": None}])
    assert [r["notes"] for r in stored] == ["Check with counsel", ""]


def test_the_questionnaires_own_numbering_is_kept_as_the_id() -> None:
    """Found by a new user in a real browser (2026-12-04): a "No." column was replaced by file line
    numbers (2, 3, 4, 6 for 1, 2, 3, 5)."""
    from ui.questionnaire import read_questionnaire

    data = b"No.,Question,Owner\n1,What is the CDD threshold?,Ann\n2,Who is the MLRO?,Bob\n5,Is custody regulated?,Cy\n"
    rows, bad, _ = read_questionnaire("q.csv", data, 10**6)
    assert [r.id for r in rows] == ["1", "2", "5"] and not bad
    rows, _, _ = read_questionnaire("q.csv", b"#;question\nA1;What is the CDD threshold?\n", 10**6)
    assert [r.id for r in rows] == ["A1"]


def test_the_questionnaires_own_columns_are_kept_in_its_exports() -> None:
    """Found by a new user in a real browser (2026-12-04): an "Owner" column was dropped from
    every export. A column the table fills itself ("Answer", "Notes") is not duplicated."""
    from ui.questionnaire import read_questionnaire, result_row, to_csv

    data = (
        b"No.,Question,Owner,Answer\n1,What is the CDD threshold?,Ann,\n2,Who is the MLRO?,Bob,\n"
    )
    rows, _, _ = read_questionnaire("q.csv", data, 10**6)
    answer = {"answer": "USD 1,000: ...", "citations": [], "abstained": False}
    table = [result_row(r, answer) for r in rows]
    assert list(table[0]) == ["id", "question", "Owner", "answer", "citations", "quotes",
                              "abstained", "caveats", "notes"]  # fmt: skip
    assert [t["Owner"] for t in table] == ["Ann", "Bob"]
    assert b"Owner" in to_csv(table).splitlines()[0]
    from ui.questionnaire import to_markdown

    md = to_markdown(table, [answer, answer], "q.csv")
    assert "## 1. What is the CDD threshold?\n\n**Owner:** Ann\n" in md, md


def test_a_row_that_asks_two_questions_is_answered_for_each(app_env: Settings) -> None:  # noqa: F811
    """A stablecoin founder's trial (sixteenth session): a row asking two questions was answered
    for one of them, and the questionnaire's section headings showed as yellow warnings, as a
    fault in the file would. The row is answered question by question (ids 2.1, 2.2, the second
    read with the first); a heading is listed as passed over, not as a warning."""
    data = (b"No.,Question,Owner\nSection A - AML,,\n1,Must the MLRO be resident in Kazakhstan?,Ann\n"
            b"2,\"What is the CDD threshold for an occasional digital asset transaction, and when "
            b"must it be applied?\",Bob\n")  # fmt: skip
    rows, bad, passed = read_questionnaire("q.csv", data, 10**6)
    assert [r.id for r in rows] == ["1", "2.1", "2.2"] and not bad
    assert rows[2].text == "When must the CDD threshold be applied?"
    assert [dict(r.extra).get("Owner") for r in rows] == ["Ann", "Bob", "Bob"]
    assert len(passed) == 1 and "Section A - AML" in str(passed[0])
    at = page("q.csv", data, "text/csv")
    assert [r["id"] for r in at.session_state["qn"]["rows"]] == ["1", "2.1", "2.2"]
    assert not at.warning, [w.value for w in at.warning]
    # a part's id is no other row's (a review): "2.1" is taken, so the part is "2.1-1"
    taken = b"id,question\n2,Who must file the AML Return? When is it due?\n2.1,What is CDD?\n"
    rows, _, _ = read_questionnaire("q.csv", taken, 10**6)
    assert [r.id for r in rows] == ["2.1-1", "2.2", "2.1"]
    assert rows[1].text == "When is the AML Return due?"
    assert any("Passed over" in c.value and "Section A - AML" in c.value for c in at.caption)


def test_exports_say_when_a_source_is_no_rule_or_national_law() -> None:
    """A founder's browser trial (seventeenth session): the chat said "[2] is quoted from
    'internal-compliance-memo.md', which is not a rulebook ...", but the chat exports and the
    questionnaire's CSV left the note out, and the citations column read "[2]
    internal-compliance-memo.md" under a rule's answer."""
    from assistant.answer.batch import Row
    from ui.export import chat_markdown
    from ui.questionnaire import result_row

    note = "Note: [2] is quoted from 'memo', which is not a rulebook or guidance."
    answer = {"answer": "The MLRO must be resident in Kazakhstan. [1]", "abstained": False,
              "notes": [note, "abstained: internal"], "mode": "extractive", "index_id": "x",
              "citations": [
                  {"n": 1, "ref": "AML 13.1.3", "title": "AML", "quote": "q1", "jurisdiction": "AIFC"},
                  {"n": 2, "ref": None, "title": "memo", "quote": "q2", "jurisdiction": "AIFC",
                   "kind": "other", "outside_rules": True},
                  {"n": 3, "ref": "Art. 1", "title": "Law", "quote": "q3", "jurisdiction": "RK"}]}  # fmt: skip
    row = result_row(Row(2, "1", "Can our MLRO live in Dubai?"), answer)
    assert row["citations"] == "[1] AML 13.1.3; [2] [not a rule] memo; [3] [RK] Art. 1"
    assert row["caveats"] == note
    assert f"_{note}_" in to_markdown([row], [answer], "q.csv")  # a review: it was left out
    md = chat_markdown([{"role": "assistant", "question": "Q?", "answer": answer}])
    assert f"_{note}_" in md and "abstained: internal" not in md
    assert "memo · not a rule: kind 'other', no rulebook" in md


def test_a_guidance_citation_is_marked_in_every_table_export() -> None:
    """A questionnaire trial (twenty-ninth session): the CSV's citations column showed "AML
    9.2.2" for the Guidance under it (non-binding), as did the workbook's citations sheet and
    the Markdown export, where the text answer writes "AML 9.2.2 (Guidance)"."""
    from openpyxl import load_workbook

    from assistant.answer.table import answer_row

    cites = [{"n": 1, "ref": "AML 9.2.2", "is_guidance": True, "quote": "A firm should ...",
              "title": "AML", "heading": None, "jurisdiction": "ADGM", "page": None},
             {"n": 2, "ref": "AML 8.4.1", "is_guidance": False, "quote": "A firm must ...",
              "title": "AML", "heading": None, "jurisdiction": "ADGM", "page": None}]  # fmt: skip
    a = {"answer": "A firm must ... [2]", "citations": cites, "abstained": False, "notes": []}
    row = answer_row("1", "Whose approval?", a)
    assert row["citations"] == "[1] [ADGM] AML 9.2.2 (Guidance); [2] [ADGM] AML 8.4.1", row
    sheet = load_workbook(io.BytesIO(to_xlsx([row], [a])))["citations"]
    assert [c.value for c in sheet["C"]][1:] == ["AML 9.2.2 (Guidance)", "AML 8.4.1"]
    assert "**AML 9.2.2 (Guidance)**" in to_markdown([row], [a], "t")


def test_a_questionnaire_is_answered_as_of_a_date(
    app_env: Settings,  # noqa: F811
) -> None:
    """A consultant's browser trial (thirty-eighth session): answers quoting two versions said
    "Ask with an 'as of' date", which the questionnaire page did not offer."""
    import datetime

    data = ("id,question\n" + "\n".join(f'q{i},"{q}"' for i, q in enumerate(QUESTIONS, 1))).encode()
    at = app()
    at.switch_page("ui/questionnaire.py").run()
    at.checkbox(key="qn_use_as_of").check().run()
    at.date_input(key="qn_as_of").set_value(datetime.date(2026, 1, 15)).run()
    at.file_uploader(key="qn_upload").set_value([("dd.csv", data, "text/csv")]).run()
    at.button(key="qn_run").click().run()
    assert not at.exception, at.exception
    qn = at.session_state["qn"]
    assert qn["as_of"] == "2026-01-15"
    assert all(a["as_of"] == "2026-01-15" for a in qn["answers"])
    assert "; as of 2026-01-15" in at.subheader[0].value


def test_answered_rows_with_a_caveat_are_counted_and_shown_beside_their_answer(
    app_env: Settings,  # noqa: F811
) -> None:
    """A screen-reader user's trial (thirty-ninth session): "What colour is the AFSA logo?" was
    counted as plainly answered, its caveat off screen past the quotes."""
    data = ("id,question\nq1,What colour is the AFSA logo?\nq2," + f'"{QUESTIONS[0]}"').encode()
    at = page("c.csv", data, "text/csv")
    rows = at.session_state["qn"]["rows"]
    assert rows[0]["caveats"] and not rows[0]["abstained"], rows[0]
    assert "2 answered (1 with a caveat to check)" in at.subheader[0].value, at.subheader[0].value
    order = list(at.dataframe[0].proto.column_order)
    assert order.index("caveats") == order.index("answer") + 1, order
    # the file's own columns after its question, as the exports have them (a review)
    from assistant.answer.table import column_order

    assert column_order(["id", "question", "Owner", "answer", "citations", "quotes",
                         "abstained", "caveats", "notes"]) == [
        "id", "question", "Owner", "answer", "caveats", "abstained", "citations", "quotes", "notes"
    ]  # fmt: skip
