"""Batch questions: ``regassist ask --questions FILE`` (JSONL, TSV, CSV) and ``search --queries``
with ``--format jsonl``. The model and the index load once; bad rows are reported by line number
and the rest are answered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

import assistant.index.core as core
from assistant.answer.assistant import Assistant
from assistant.answer.batch import parse_batch
from assistant.answer.followup import asked_parts
from assistant.cli.main import main
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "evals" / "datasets" / "aifc_core.yaml"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus indexed once for this module with the fake embedder."""
    d = tmp_path_factory.mktemp("batch-index")
    results = ingest_paths(
        Index.open(Settings(data_dir=d, embedding_model="fake:hashing"), create=True),
        [ROOT / "corpus"],
    )
    assert all(r.status == "added" for r in results), results
    return d


@pytest.fixture
def run(data_dir: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    monkeypatch.setenv("REGASSIST_ANSWER__AUDIT_LOG", "false")

    def _run(*args: str) -> Result:
        return CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)])

    return _run


def golden_questions() -> list[str]:
    return [q["question"] for q in yaml.safe_load(GOLDEN.read_text())["questions"]]


def jsonl(res: Result) -> list[dict]:
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


def test_300_questions_in_one_process_load_the_model_and_index_once(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    counts = {"embedder": 0, "index": 0, "assistant": 0}
    real_build, real_open, real_init = core.build_embedder, Index.open.__func__, Assistant.__init__

    def build(*a, **k):  # type: ignore[no-untyped-def]
        counts["embedder"] += 1
        return real_build(*a, **k)

    def open_(cls, *a, **k):  # type: ignore[no-untyped-def]
        counts["index"] += 1
        return real_open(cls, *a, **k)

    def init(self, *a, **k):  # type: ignore[no-untyped-def]
        counts["assistant"] += 1
        real_init(self, *a, **k)

    monkeypatch.setattr(core, "build_embedder", build)
    monkeypatch.setattr(Index, "open", classmethod(open_))
    monkeypatch.setattr(Assistant, "__init__", init)
    qs = golden_questions()
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps({"id": f"Q-{i:03d}", "question": qs[i % len(qs)]}) + "\n"
                            for i in range(300)))  # fmt: skip
    res = run("ask", "--questions", str(path), "--format", "jsonl", "--split")
    assert res.exit_code == 0, res.output
    answers = jsonl(res)
    # a row that asks two questions ("..., and how often was it reviewed?") is answered for each
    expected = [(f"Q-{i:03d}" + (f".{k}" if len(parts) > 1 else ""), q)
                for i in range(300) for parts in [asked_parts(qs[i % len(qs)])]
                for k, q in enumerate(parts, start=1)]  # fmt: skip
    assert len(expected) > 300
    assert [(a["id"], a["question"]) for a in answers] == expected
    assert all("answer" in a and "citations" in a for a in answers)
    assert counts == {"embedder": 1, "index": 1, "assistant": 1}
    refused = sum(a["abstained"] for a in answers)
    assert 0 < refused < len(expected)  # (the golden set's unanswerable questions among them)
    assert f"answered {len(expected) - refused} of {len(expected)} question(s); {refused} not " \
           "specified in the indexed rules" in res.stderr  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "ids"),
    [
        (
            "q.jsonl",
            '{"id": "a", "question": "How long must AML records be kept?"}\n'
            '{"question": "Who must the MLRO report to?"}\n',
            ["a", "2"],
        ),
        (
            "q.tsv",
            "a\tHow long must AML records be kept?\nb\tWho must the MLRO report to?\n",
            ["a", "b"],
        ),
        (
            "q-header.tsv",
            "id\tquestion\na\tHow long must AML records be kept?\n"
            "b\tWho must the MLRO report to?\n",
            ["a", "b"],
        ),
        (
            "q.csv",
            'id,question\na,"How long must AML records be kept, and where?"\n'
            'b,"Who must the MLRO\nreport to?"\n',
            ["a", "b"],
        ),
        (
            "q-no-id.csv",
            "topic,question\naml,How long must AML records be kept?\n"
            "mlro,Who must the MLRO report to?\n",
            ["2", "3"],
        ),
    ],
)
def test_each_input_format(run, tmp_path: Path, name: str, content: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(content)
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert res.exit_code == 0, res.output
    answers = jsonl(res)
    assert [a["id"] for a in answers] == ids
    assert all(a["answer"] for a in answers)
    as_json = run("ask", "--questions", str(path), "--format", "json")
    assert [a["id"] for a in json.loads(as_json.stdout)] == ids
    text = run("ask", "--questions", str(path))
    assert text.exit_code == 0 and all(f"== {i}:" in text.stdout for i in ids)


def test_bad_rows_are_reported_by_line_and_the_rest_answered(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "ok-1", "question": "How long must AML records be kept?"}),
        "{broken json",
        json.dumps({"id": "no-question"}),
        "",
        json.dumps({"id": "ok-1", "question": "duplicate id"}),
        json.dumps({"id": "blank", "question": "   "}),
        json.dumps({"id": "ok-2", "question": "Who must the MLRO report to?"}),
    ]) + "\n")  # fmt: skip
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert res.exit_code == 1
    assert [a["id"] for a in jsonl(res)] == ["ok-1", "ok-2"]
    for line, words in ((2, "not JSON"), (3, 'no "question"'), (5, "duplicate id 'ok-1'"),
                        (6, "empty question")):  # fmt: skip
        assert f"line {line}: {words}" in res.stderr, res.stderr
    assert "Traceback" not in res.output


def test_csv_bad_rows_and_unusable_files(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv_path = tmp_path / "q.csv"
    csv_path.write_text(
        "id,question\na,How long must AML records be kept?\nb,\nc,Who is the MLRO?\n"
    )
    res = run("ask", "--questions", str(csv_path), "--format", "jsonl")
    assert res.exit_code == 1 and [a["id"] for a in jsonl(res)] == ["a", "c"]
    assert "line 3: empty question" in res.stderr
    no_column = tmp_path / "no-column.csv"
    no_column.write_text("id,text\na,How long?\n")
    res = run("ask", "--questions", str(no_column))
    assert res.exit_code == 2 and "no 'question' column" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    all_bad = tmp_path / "all-bad.jsonl"
    all_bad.write_text("{nope\n[1, 2]\n")
    res = run("ask", "--questions", str(all_bad))
    assert res.exit_code == 2 and "no usable rows" in res.stderr and "line 1" in res.stderr
    both = run("ask", "a question", "--questions", str(csv_path))
    assert both.exit_code == 2 and "not both" in both.stderr


def test_xlsx_and_semicolon_csv_questionnaires(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same reader as the app's Questionnaire page: a cover sheet is passed over, and a
    semicolon-separated CSV is read as such."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Intro"
    wb.active.append(["Application questionnaire"])
    sheet = wb.create_sheet("Questions")
    for row in (["No.", "Question", "Answer"], [1, "Who must the MLRO report to?"],
                [2, "How long must AML records be kept?"]):  # fmt: skip
        sheet.append(row)
    wb.save(tmp_path / "q.xlsx")
    res = run("ask", "--questions", str(tmp_path / "q.xlsx"), "--format", "jsonl")
    assert res.exit_code == 0, res.output
    # the sheet's own "No." column is the id (2026-12-04: it was the sheet's row number)
    assert [(a["id"], a["question"]) for a in jsonl(res)] == [
        ("1", "Who must the MLRO report to?"),
        ("2", "How long must AML records be kept?"),
    ]
    semi = tmp_path / "semi.csv"
    semi.write_text("id;question;notes\na;Who must the MLRO report to?;x\nb;How long, in years, "
                    "must AML records be kept?;\n")  # fmt: skip
    res = run("ask", "--questions", str(semi), "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert [a["id"] for a in jsonl(res)] == ["a", "b"]
    assert jsonl(res)[1]["question"] == "How long, in years, must AML records be kept?"


def test_search_queries_jsonl(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "q.tsv"
    path.write_text("q1\trecord keeping\nno tab on this line\nq2\tstablecoin reserves\n")
    res = run("search", "--queries", str(path), "--format", "jsonl", "-k", "3")
    assert res.exit_code == 1  # one bad row, the rest searched
    out = jsonl(res)
    assert [o["id"] for o in out] == ["q1", "q2"] and all(len(o["results"]) == 3 for o in out)
    assert "line 2: expected id<TAB>query" in res.stderr
    one = run("search", "AML 13.1.3", "--format", "jsonl")
    assert one.exit_code == 0 and len(jsonl(one)) == 1 and jsonl(one)[0]["results"]


def test_parse_batch_for_other_callers() -> None:
    """What the UI's questionnaire reuses: bytes in, rows with line numbers out."""
    data = '\ufeffquestion,id\n"Multi\nline question",x\n,y\nShort one,\n'.encode()
    batch = parse_batch(data, name="upload.csv")
    assert batch.format == "csv"
    assert [(r.line, r.id, r.text) for r in batch.rows] == [(2, "x", "Multi line question"),
                                                            (5, "5", "Short one")]  # fmt: skip
    assert [(b.line, b.reason) for b in batch.bad] == [(4, "empty question")]
    assert parse_batch("a\tb\n", fields=("query",)).rows[0].text == "b"


def test_a_row_with_more_cells_than_the_header_is_a_bad_row() -> None:
    # review finding: "id;question\n2;Is it; maybe?" asked "Is it" and dropped " maybe?"
    batch = parse_batch("id;question\n1;First question?\n2;Is it; maybe?\n", name="q.csv")
    assert [r.text for r in batch.rows] == ["First question?"]
    [bad] = batch.bad
    assert bad.line == 3 and "3 cells where the header has 2" in bad.reason
    # trailing empty cells are no extra cells
    assert [r.text for r in parse_batch("id,question\n1,Fine?,,\n", name="q.csv").rows] == ["Fine?"]


def test_review_a_title_row_and_section_headings_are_passed_over(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Consultant's trial, 2026-12-04: a questionnaire saved from Excel as semicolon CSV with a
    title row above the table was refused ("the CSV header has no 'question' column"), though the
    same sheet as XLSX was read; its section headings were bad rows and the run exited 1."""
    path = tmp_path / "q.csv"
    path.write_bytes(
        "\ufeffSteppe Custody Ltd - AIFC licence questionnaire;;\n"
        ";;\n"
        "No.;Question;Owner\n"
        "Section A - Licensing;;\n"
        "A1;Who must appoint the MLRO?;Ann\n"
        "Section B - AML;;\n"
        "B1;How long must AML records be kept?;Bob\n".encode()
    )
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    assert [a["id"] for a in jsonl(res)] == ["A1", "B1"]
    assert (
        "line 4: no question (a heading or a note: 'Section A - Licensing'): passed over"
        in res.stderr
    ), res.stderr
    assert "2 row(s) without a question passed over" in res.stderr


def test_a_numero_id_column_and_a_bilingual_header_are_read() -> None:
    """A consultant's trial (eighteenth session): a semicolon CSV with a BOM, CRLF line ends and
    the header "№;Question;Owner" got ids "2", "3", "4" (file lines, one off from its own
    numbers); a "Вопрос / Question" header was refused."""
    data = "\ufeff№;Question;Owner\r\n1;Who must appoint the MLRO?;Ann\r\n2;How long are records kept?;Bob\r\n"
    batch = parse_batch(data, name="q.csv")
    assert [(r.id, r.text) for r in batch.rows] == [
        ("1", "Who must appoint the MLRO?"), ("2", "How long are records kept?")]  # fmt: skip
    both = parse_batch("N°,Вопрос / Question\n7,Who must appoint the MLRO?\n", name="q.csv")
    assert [(r.id, r.text) for r in both.rows] == [("7", "Who must appoint the MLRO?")]
    # a review: an "Answer (Yes/No)" column is no id column, "No / Question" is the question
    # column only, and "№ п/п" is the Russian numbering column
    yes_no = parse_batch(
        "Item,Question,Compliant (Yes/No)\nA1,Who must appoint the MLRO?,Yes\n", name="q.csv"
    )
    assert [r.id for r in yes_no.rows] == ["A1"]
    hashed = parse_batch(
        "#,Question,Answer (Yes/No)\n1,Who must appoint the MLRO?,\n", name="q.csv"
    )
    assert [r.id for r in hashed.rows] == ["1"]
    one = parse_batch("No / Question\nWho must appoint the MLRO?\n", name="q.csv")
    assert [(r.id, r.text) for r in one.rows] == [("2", "Who must appoint the MLRO?")]
    ru = parse_batch("№ п/п;Вопрос / Question\n5;Who must appoint the MLRO?\n", name="q.csv")
    assert [r.id for r in ru.rows] == ["5"]
    # a "Question No." column is the id, not the question
    ided = parse_batch("Question No.,Question\nQ1,Who must appoint the MLRO?\n", name="q.csv")
    assert [(r.id, r.text) for r in ided.rows] == [("Q1", "Who must appoint the MLRO?")]


def test_trial_headings_in_the_question_column_are_passed_over(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Consultant's trial, 2026-12-04 (sixteenth session): a heading written in the question
    column ("Section B - Custody and client assets", "TECHNOLOGY RISK") was answered from the
    nearest rules as if asked. A request without a question mark is still a question."""
    path = tmp_path / "q.csv"
    path.write_text(
        "No.,Question\n"
        ",Section B - Custody and client assets\n"
        "1,Must the MLRO be resident in Kazakhstan?\n"
        "C,TECHNOLOGY RISK\n"
        ",3. GOVERNANCE\n"
        "2,Describe the record-keeping period for CDD records\n"
        "3,PART 2 OF THE FORM: WHO IS THE MLRO?\n",
        encoding="utf-8",
    )
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    assert [a["id"] for a in jsonl(res)] == ["1", "2", "3"]
    assert "line 2: a heading in the question column ('Section B - Custody and client assets')" in (
        res.stderr
    )
    assert "line 4: a heading in the question column ('TECHNOLOGY RISK')" in res.stderr
    assert "line 5: a heading in the question column ('3. GOVERNANCE')" in res.stderr
    # search queries are never headings, and acronyms or rule references in capitals are asked
    # (a review: "PRU(INV) 1.3" and "AML CDD" were passed over)
    path.write_text("query\nPRU(INV) 1.3\nAML CDD\nMLRO\nSchedule 8: application fee\n",
                    encoding="utf-8")  # fmt: skip
    res = run("search", "--queries", str(path), "--format", "jsonl")
    assert res.exit_code == 0 and len(jsonl(res)) == 4, res.stderr
    path.write_text("question\nAML CDD\nSchedule 8: application fee for a DATF operator\n",
                    encoding="utf-8")  # fmt: skip
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert len(jsonl(res)) == 2 and "passed over" not in res.stderr, res.stderr


def test_trial_an_unclosed_quote_is_a_bad_row_not_a_merged_question(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Consultant's trial, 2026-12-04: a semicolon CSV with an unclosed quote on one row read the
    rest of the file as that row's question ("unterminated 3;How long are records kept?") and
    said "answered 2 of 2"; the lost row is now reported and the run exits 1."""
    path = tmp_path / "q.csv"
    path.write_text(
        'No.;Question\n1;What is the CDD threshold?\n2;"unterminated\n3;How long are records kept?\n',
        encoding="utf-8",
    )
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert res.exit_code == 1
    assert [a["id"] for a in jsonl(res)] == ["1"]
    assert "line 3: cannot parse (a double quote opened on line 3 is never closed" in res.stderr
    # an earlier harmless quote does not hide it (a review: a strict reading stopped there)
    path.write_text('id,question\nq1,"Travel rule" threshold?\nq2,"What is the CDD threshold?\n'
                    "q3,What is the STR deadline?\n", encoding="utf-8")  # fmt: skip
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert res.exit_code == 1 and "line 3: cannot parse (a double quote" in res.stderr, res.stderr
    # a quoted question spanning lines, closed, is one question as before
    path.write_text('No.;Question\n1;"What is the\nCDD threshold?"\n2;Who is the MLRO?\n',
                    encoding="utf-8")  # fmt: skip
    res = run("ask", "--questions", str(path), "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    assert [a["question"] for a in jsonl(res)] == ["What is the CDD threshold?", "Who is the MLRO?"]


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "What is the CDD threshold?", "--rulebook", "XYZ"),
        ("search", "CDD threshold", "--rulebook", "AML", "--rulebook", "XYZ"),
        ("obligations", "--rulebook", "XYZ"),
    ],
)
def test_trial_an_unknown_rulebook_filter_is_a_usage_error(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Consultant's trial, 2026-12-04: ``ask --rulebook XYZ`` answered "Not specified in the
    indexed rules." and exited 0: a typo turned every answer into a false "not specified"."""
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert "--rulebook XYZ: no indexed rule belongs to it" in res.stderr
    assert "indexed rulebooks: AMI, AML" in res.stderr
    # known rulebooks in any case are accepted, and so are document ids that exist
    assert run("search", "CDD threshold", "--rulebook", "aml").exit_code == 0
    res = run("search", "CDD threshold", "--doc", "no-such-doc")
    assert res.exit_code == 2 and "--doc no-such-doc: no indexed document" in res.stderr


def test_ask_format_csv_writes_the_questionnaire_table(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`ask --format csv` (twentieth session: a consultant had only JSON to turn into a
    spreadsheet): the Questionnaire page's columns, the file's own columns kept, a row that asks
    two questions split as text output splits it, a formula-like question written as text."""
    import csv
    import io

    from assistant.answer.table import answer_row

    src = tmp_path / "q.csv"
    src.write_text('id,Owner,question\nA1,Ann,"What is the CDD threshold for an occasional digital '
                   'asset transaction?"\nA2,Bob,"Do we need an MLRO? How long is a FinTech Lab '
                   'licence valid?"\nA3,Cy,"=1+1 Who must the MLRO report to?"\n')  # fmt: skip
    res = run("ask", "--questions", str(src), "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == ["id", "question", "Owner", "answer", "citations", "quotes",
                             "abstained", "caveats", "notes"]  # fmt: skip
    assert [(r["id"], r["Owner"]) for r in rows] == [("A1", "Ann"), ("A2.1", "Bob"),
                                                     ("A2.2", "Bob"), ("A3", "Cy")]  # fmt: skip
    assert rows[3]["question"] == "'=1+1 Who must the MLRO report to?"
    assert "USD 1,000" in rows[0]["answer"] and "[1] AML 6.1.1" in rows[0]["citations"]
    # the same row as the questionnaire page writes for the same answer
    one = run("ask", "What is the CDD threshold for an occasional digital asset transaction?",
              "--format", "json")  # fmt: skip
    want = answer_row("A1", rows[0]["question"], json.loads(one.stdout), [("Owner", "Ann")])
    assert {k: str(v) for k, v in want.items()} == rows[0]
    # (an MLRO's trial) JSON keeps the file's own columns too, under "columns"
    rows_json = jsonl(run("ask", "--questions", str(src), "--format", "jsonl"))
    assert rows_json[0]["columns"] == {"Owner": "Ann"} and rows_json[0]["id"] == "A1"
    single = run("ask", "Who must the MLRO report to?", "--format", "csv")
    assert [r["id"] for r in csv.DictReader(io.StringIO(single.stdout))] == ["q1"]


def test_a_bilingual_numbering_header_and_unreadable_workbooks(tmp_path: Path) -> None:
    """A questionnaire trial (twenty-third session): an XLSX headed "№ / No." got sheet line
    numbers as ids, so that id 10.1 (line 10, split) was the file's question 3.1 and the file's
    own 10.1 came out as 28.1; a password-protected workbook and an Apple Numbers file were
    "not a readable XLSX workbook (BadZipFile / KeyError)"; a question written as a formula the
    workbook never calculated was reported as an empty question."""
    import io
    import zipfile

    from openpyxl import Workbook

    from assistant.errors import UsageError

    batch = parse_batch("№ / No.;Вопрос / Question\n3.1;Who must appoint the MLRO?\n", name="q.csv")
    assert [(r.id, r.text) for r in batch.rows] == [("3.1", "Who must appoint the MLRO?")]
    spaced = parse_batch("Item | Ref;Question\nA1;Who must appoint the MLRO?\n", name="q.csv")
    assert [r.id for r in spaced.rows] == ["A1"]
    # slashes without spaces are no bilingual header ("Compliant (Yes/No)" is no id column)
    yes_no = parse_batch("Yes/No,Question\nYes,Who must appoint the MLRO?\n", name="q.csv")
    assert [r.id for r in yes_no.rows] == ["2"]

    wb = Workbook()
    wb.active.append(["№ / No.", "Вопрос / Question"])
    wb.active.append(["1.1", "Who must appoint the MLRO?"])
    wb.active.append(["1.2", '=HYPERLINK("https://x", "How long are records kept?")'])
    wb.active.append(["1.3", "How long are records kept?"])
    buf = io.BytesIO()
    wb.save(buf)
    book = parse_batch(buf.getvalue(), name="q.xlsx", fmt="xlsx")
    assert [r.id for r in book.rows] == ["1.1", "1.3"]
    [bad] = book.bad
    assert bad.line == 3 and "holds a formula (=HYPERLINK(" in bad.reason, bad

    # a review: "№ / No." ranks as "№" does, ahead of a "Ref" column of rule references (rows
    # citing one rule were dropped as duplicate ids); a template's spare row holding only a
    # formula that computes to "" is passed over as an empty row
    reffed = parse_batch("№ / No.;Вопрос / Question;Ref\n1.1;Who appoints the MLRO?;AML 8.1\n"
                         "1.2;Can the MLRO be outsourced?;AML 8.1\n", name="q.csv")  # fmt: skip
    assert [r.id for r in reffed.rows] == ["1.1", "1.2"] and not reffed.bad
    wb = Workbook()
    wb.active.append(["No.", "Question"])
    wb.active.append(["1", "Who must appoint the MLRO?"])
    wb.active.append([None, '=IF(Z3="","",Z3)'])
    buf = io.BytesIO()
    wb.save(buf)
    spare = parse_batch(buf.getvalue(), name="q.xlsx", fmt="xlsx")
    assert [r.id for r in spare.rows] == ["1"] and not spare.bad, spare

    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512
    with pytest.raises(UsageError, match="password-protected workbook"):
        parse_batch(ole, name="p.xlsx", fmt="xlsx")
    numbers = io.BytesIO()
    with zipfile.ZipFile(numbers, "w") as z:
        z.writestr("Index/Document.iwa", b"\0")
    with pytest.raises(UsageError, match="Apple Numbers document"):
        parse_batch(numbers.getvalue(), name="n.xlsx", fmt="xlsx")


def test_an_old_xls_file_is_told_it_is_one(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A review (twenty-third session): a file named .xls was read as text ("not UTF-8 text")."""
    path = tmp_path / "old.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512)
    res = run("ask", "--questions", str(path))
    assert res.exit_code == 2 and "Excel 97-2003 (.xls)" in res.output, res.output


def test_a_workbook_keeps_another_columns_formula_and_names_what_a_non_workbook_is() -> None:
    """A questionnaire trial (twenty-ninth session): an applicant's response written as
    "=HYPERLINK(...)" in a workbook with no saved values came back empty (the CSV route kept
    it); an empty file, a CSV and a PDF named .xlsx were each "not a readable XLSX workbook
    (BadZipFile)"."""
    import io

    from openpyxl import Workbook

    from assistant.errors import UsageError

    wb = Workbook()
    wb.active.append(["No.", "Question", "Applicant's response"])
    wb.active.append(["1.1", "Who must appoint the MLRO?", '=HYPERLINK("http://x","charter")'])
    wb.active.append(["1.2", "How long are records kept?", None])
    buf = io.BytesIO()
    wb.save(buf)
    book = parse_batch(buf.getvalue(), name="q.xlsx", fmt="xlsx")
    assert [(r.id, r.extra) for r in book.rows] == [
        ("1.1", (("Applicant's response", '=HYPERLINK("http://x","charter")'),)),
        ("1.2", (("Applicant's response", ""),)),
    ], book.rows
    # (a review) an id column of formulas ("=ROW()-1", no saved values) is no id: line numbers
    # stay the ids; a formula whose "" value was saved (Excel's t="str") is an empty cell, and a
    # spare template row of such formulas an empty row
    wb = Workbook()
    wb.active.append(["No.", "Question", "Status"])
    wb.active.append(["=ROW()-1", "Who must appoint the MLRO?", '=IF(D2="","",D2)'])
    wb.active.append(["=ROW()-1", "How long are records kept?", None])
    wb.active.append(["=ROW()-1", None, '=IF(B4="","","")'])
    buf = io.BytesIO()
    wb.save(buf)
    saved = _rewrite_sheet(buf.getvalue(), lambda x: re.sub(
        rb'<c r="C(\d)"><f>(.*?)</f><v></v></c>', rb'<c r="C\1" t="str"><f>\2</f><v></v></c>', x))  # fmt: skip
    book = parse_batch(saved, name="q.xlsx", fmt="xlsx")
    assert [(r.id, r.extra) for r in book.rows] == [
        ("2", (("Status", ""),)),
        ("3", (("Status", ""),)),
    ]
    assert not book.bad, book.bad
    for data, said in [(b"", "an empty file"), (b"No.;Question\n1;Who?\n", "text (a CSV or TSV?)"),
                       (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF")]:  # fmt: skip
        with pytest.raises(UsageError, match=re.escape(f"q.xlsx: {said}, not an XLSX workbook")):
            parse_batch(data, name="q.xlsx", fmt="xlsx")
    with pytest.raises(UsageError, match="not a readable XLSX workbook"):
        parse_batch(b"\x00\x01\x02\xff\xfe binary", name="q.xlsx", fmt="xlsx")


def _rewrite_sheet(data: bytes, change):  # type: ignore[no-untyped-def]
    """``data``, an XLSX workbook, with its first sheet's XML passed through ``change``."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            part = src.read(item.filename)
            z.writestr(item, change(part) if item.filename == "xl/worksheets/sheet1.xml" else part)
    return out.getvalue()


def test_utf16_a_header_alone_and_the_refusals_are_told_apart(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A questionnaire trial (thirty-eighth session): a UTF-16 file with its byte-order mark
    (Excel's "Unicode Text") was refused as "not UTF-8 text", one without its mark was told its
    header had no question column ("i\\x00d\\x00"), a header without rows was "the file is
    empty", and a run with 7 "Not specified" answers said "answered 31 of 31"."""
    from assistant.errors import UsageError

    text = "id,question\nq1,Who must appoint the MLRO?\n"
    for encoded in (text.encode("utf-16"), text.encode("utf-16-be").join([b"\xfe\xff", b""])):
        assert [r.text for r in parse_batch(encoded, name="q.csv").rows] == [
            "Who must appoint the MLRO?"
        ]
    with pytest.raises(UsageError, match="UTF-16 text without a byte-order mark"):
        parse_batch(text.encode("utf-16-le"), name="q.csv")
    with pytest.raises(UsageError, match="not valid UTF-16 text"):  # an odd byte (a review)
        parse_batch(text.encode("utf-16") + b"\n", name="q.csv")
    mark = tmp_path / "mark.csv"
    mark.write_bytes(b"\xef\xbb\xbf")  # a byte-order mark alone is an empty file (a review)
    res = run("ask", "--questions", str(mark))
    assert res.exit_code == 2 and "the file is empty" in res.output, res.output
    header = tmp_path / "header.csv"
    header.write_text("id,question\n")
    res = run("ask", "--questions", str(header))
    assert res.exit_code == 2 and "no row holds a question" in res.output, res.output
    both = tmp_path / "both.csv"
    both.write_text("id,question\nq1,Who must appoint the MLRO?\n"
                    "q2,What is the statutory minimum salary in Kazakhstan for a chef?\n"
                    "q3,Какой минимальный капитал нужен для криптобиржи?\n")  # fmt: skip
    res = run("ask", "--questions", str(both), "--format", "jsonl")
    refused = sum(a["abstained"] for a in jsonl(res))
    assert refused == 2, res.output
    # a question not read is not "not specified": the rules were not searched (a review)
    assert ("answered 1 of 3 question(s); 1 not specified in the indexed rules; 1 not read (not "
            "in English)") in res.stderr  # fmt: skip


def test_a_data_engineers_machine_output_findings(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A data engineer's trial (thirty-ninth session) scripting the machine formats."""
    # a row without an id is named by its line, unless the file gives that id to another row:
    # "3" written on line 2 and no id on line 3 skipped line 3 as a duplicate of an id nobody
    # wrote
    rows = parse_batch("id,question\n3,What records must be kept?\n,Who approves the policy?\n",
                       name="q.csv").rows  # fmt: skip
    assert [r.id for r in rows] == ["3", "line-3"]
    rows = parse_batch('{"id": "2", "question": "A?"}\n{"question": "B?", "owner": "Ana", '
                       '"n": 4}\n', name="q.jsonl").rows  # fmt: skip
    assert [r.id for r in rows] == ["2", "line-2"]
    # a JSONL object's other fields go with its row, as a table's other columns do
    assert rows[1].extra == (("owner", "Ana"), ("n", "4"))
    assert [r.id for r in parse_batch("\tA?\n1\tB?\n", fields=("query",)).rows] == ["line-1", "1"]
    # a TREC run's query id is one word
    path = tmp_path / "q.tsv"
    path.write_text("Q 1\trecord keeping\n")
    res = run("search", "--queries", str(path), "--format", "trec", "-k", "2")
    assert res.exit_code == 0 and res.stdout.splitlines()
    assert all(
        len(line.split()) == 6 and line.startswith("Q_1 ") for line in res.stdout.splitlines()
    )
    assert "'Q 1' holds white space" in res.stderr
    # every batch row has "columns", and every answer says why it abstained
    qs = tmp_path / "q.csv"
    qs.write_text("id,question\na,What is the CDD threshold for an occasional transaction?\n"
                  "b,Какой минимальный капитал нужен брокеру?\nc,MLRO обязателен?\n")  # fmt: skip
    out = jsonl(run("ask", "--questions", str(qs), "--format", "jsonl"))
    assert [o["columns"] for o in out] == [{}, {}, {}]
    assert [o["abstention"] for o in out] == [None, "not_read", "not_read"]
    # a search most of whose words are not English is not run, as `ask` does not answer it
    res = run("search", "минимальный капитал", "--format", "json")
    assert json.loads(res.stdout)["results"] == [] and "Please ask in English" in res.stdout
