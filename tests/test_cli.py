import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli.main import main
from evals.pdf_render import corrupt_pdf, encrypted_pdf, rulebook_pdf


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REGASSIST_EMBEDDING_MODEL", "fake:hashing")
    data = tmp_path / "data"

    def _run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(
            main, [*args, "--data-dir", str(data)] if args[0] != "--help" else list(args)
        )

    return _run


def _json_of(res) -> dict:  # type: ignore[no-untyped-def]
    """The JSON object a command printed (after any line on stderr that CliRunner mixes in)."""
    return json.loads(res.output[res.output.index("{") :])  # type: ignore[no-any-return]


def test_help_has_examples() -> None:
    out = CliRunner().invoke(main, ["--help"]).output
    assert "Examples:" in out and "regassist search" in out and "REGASSIST_" in out


def test_ingest_reports_each_file_and_exit_codes(run, corpus_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = run("ingest", str(corpus_copy))
    assert first.exit_code == 0, first.output
    assert first.output.count("added") >= 9
    again = run("ingest", str(corpus_copy), "--format", "json")
    data = json.loads(again.output[again.output.index("{") :])
    assert again.exit_code == 0 and {r["status"] for r in data["results"]} == {"unchanged"}
    bad = tmp_path / "bad"
    bad.mkdir()
    corrupt_pdf(bad / "corrupt.pdf")
    encrypted_pdf(bad / "encrypted.pdf")
    (bad / "empty.txt").write_text("")
    rulebook_pdf(bad / "good-aml.pdf")
    res = run("ingest", str(bad))
    assert res.exit_code == 1
    assert "corrupt.pdf" in res.output and "[corrupt]" in res.output
    assert "encrypted.pdf" in res.output and "[encrypted]" in res.output
    assert "empty.txt" in res.output and "[empty]" in res.output
    assert "added     " in res.output and "good-aml.pdf" in res.output
    assert run("search", "AML 13.1.3").exit_code == 0


def test_usage_errors_exit_2(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("ingest", str(corpus_copy), "--version-date", "2024-13-45").exit_code == 2
    assert run("ingest", str(corpus_copy), "--kind", "novel").exit_code == 2
    run("ingest", str(corpus_copy / "aifc" / "aml.md"))
    assert run("search").exit_code == 2
    assert run("remove", "no-such-document").exit_code == 2


def test_search_without_index_explains(run) -> None:  # type: ignore[no-untyped-def]
    res = run("search", "anything")
    assert res.exit_code == 1 and "no index" in res.output and "regassist ingest" in res.output


def test_docs_and_remove(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    run("ingest", str(corpus_copy))
    docs = json.loads(run("docs", "--format", "json").output)
    assert len(docs) == 10 and {
        "title",
        "kind",
        "rulebook",
        "version",
        "n_chunks",
        "ingested_at",
    } <= set(docs[0])
    text = run("docs").output
    assert "DOC ID" in text and "AML Rules: unofficial digest" in text
    # every column starts where its heading does, whatever the longest id (a long id pushed the
    # columns after it out of line, a known issue mended in the thirty-ninth session)
    lines = text.splitlines()
    at = {name: lines[0].index(name) for name in ("KIND", "REGIME", "RULEBOOK", "VERSION", "TITLE")}
    for d, line in zip(docs, lines[1 : 1 + len(docs)], strict=True):
        assert line.startswith(d["doc_id"] + " ")
        assert line[at["KIND"] :].startswith(d["kind"] + " ")
        # the regime of each text (a trial of both regimes in one index, fortieth session)
        assert line[at["REGIME"] :].startswith(d["jurisdiction"] + " ")
        assert line[at["RULEBOOK"] :].startswith((d["rulebook"] or "-") + " ")
        assert line[at["TITLE"] :] == d["title"]
    aml = next(d for d in docs if d["title"].startswith("AML Rules"))
    res = run("remove", aml["doc_id"])
    assert res.exit_code == 0 and f"{aml['n_chunks']} chunks" in res.output
    assert len(json.loads(run("docs", "--format", "json").output)) == 9


def test_jsonl_corpus_and_trec_batch(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    passages = tmp_path / "passages.jsonl"
    passages.write_text("\n".join(json.dumps(r) for r in [
        {"id": "P-100", "text": "A Relevant Person must keep records for at least six years."},
        {"id": "P-200", "text": "The MLRO must be resident in the Republic of Kazakhstan."},
        {"id": "P-300", "text": "Stablecoin reserves are held with regulated custodians."},
    ]))  # fmt: skip
    assert run("ingest", str(passages)).exit_code == 0
    tsv = tmp_path / "q.tsv"
    tsv.write_text("q1\thow long are records kept\nq2\twhere must the MLRO live\n")
    lines = (
        run("search", "--queries", str(tsv), "--format", "trec", "-k", "2")
        .output.strip()
        .splitlines()
    )
    assert lines[0].split() == ["q1", "Q0", "P-100", "1", lines[0].split()[4], "regassist"]
    assert lines[2].split()[:4] == ["q2", "Q0", "P-200", "1"]
    jq = tmp_path / "q.jsonl"
    jq.write_text(json.dumps({"id": "x", "query": "stablecoin reserves"}) + "\n")
    out = json.loads(run("search", "--queries", str(jq), "--format", "json").output)
    assert out[0]["id"] == "x" and out[0]["results"][0]["record_id"] == "P-300"
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n")
    assert run("search", "--queries", str(bad)).exit_code == 2


def test_sources_of_national_law_are_marked_in_the_text_answer(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """The LLM-mode trial: an answer's source list did not say which sources are national law
    (the quotes of an extractive answer do; an LLM answer has no such quotes)."""
    run("ingest", str(corpus_copy / "aifc" / "kazakhstan-national-law.md"))
    out = run("ask", "Which body licenses onshore digital asset exchange operators?").output
    sources = out.split("Sources:", 1)[1]
    assert "[1] [RK]" in sources, out


def test_search_says_when_the_rule_named_is_not_indexed(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """A founder's browser trial, 2026-12-04: "DAA 9.9.9" listed DAA 3.9.1 first, with no word
    that no DAA 9.9.9 is indexed."""
    run("ingest", str(corpus_copy / "aifc"))
    missing = run("search", "DAA 9.9.9")
    assert missing.exit_code == 0
    assert "note: DAA 9.9.9 is not in the index" in missing.output, missing.output
    there = run("search", "AML 13.1.3", "--format", "json")
    assert json.loads(there.output)["notes"] == []
    # a sub-rule of which only the part that would hold it is indexed (2026-12-05)
    part = run("search", "DAA 3.3.2")
    assert "note: DAA 3.3.2 is not in the index as such: DAA 3.3" in part.output, part.output
    # a rulebook's other name is shown as typed (it said "MAR 4.3.1" for "MKT 4.3.1", a
    # private-markets founder's trial, thirty-first session)
    other = run("search", "MKT 9.9.9")
    assert "note: MKT 9.9.9 (read as the AIFC's MAR 9.9.9) is not in the index" in other.output, (
        other.output
    )


def test_a_rule_absent_beside_its_indexed_siblings_is_said_absent(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A citation auditor's trial on the real MIR (twenty-eighth session): "What does MIR 2.14.9
    say?", with MIR 2.14 indexed with its rules 2.14.1 to 2.14.8, said MIR 2.14 "is searched
    instead" and answered from MIR 2.15.6. A rule the part holding it numbers its own rules
    without is absent: said so, and a lookup of it is refused."""
    doc = tmp_path / "gen-rules.md"
    doc.write_text("# GEN\n\n## GEN 2.14 Outsourcing\n\nThis section is about outsourcing.\n\n"
                   "## GEN 2.14.1 Notice\n\nA firm must notify the Regulator of an outsourcing.\n\n"
                   "## GEN 2.14.2 Fitness\n\nA firm must ensure that its service provider is fit "
                   "and proper.\n\n## GEN 2.15 Applications\n\nAn application must be decided "
                   "within six months.\n")  # fmt: skip
    assert run("ingest", str(doc), "--kind", "rules").exit_code == 0
    out = run("search", "GEN 2.14.9").output
    assert "note: GEN 2.14.9 is not in the index: GEN 2.14 is indexed with rules of its own" in out
    res = run("ask", "What does GEN 2.14.9 say?", "--format", "json")
    data = _json_of(res)
    assert data["abstained"] and data["notes"][0].startswith("GEN 2.14.9 is not in the indexed"), (
        data
    )
    res = run("ask", "What does GEN 2.14.2 say?", "--format", "json")
    data = _json_of(res)
    assert not data["abstained"] and data["citations"][0]["ref"] == "GEN 2.14.2", data
    # a rule whose number a text of the part writes may live there (its heading not read as
    # one): not said absent
    out = run("search", "GEN 2.14.3").output
    assert "GEN 2.14.3 is not in the index: GEN 2.14 is indexed" in out, out
    doc.write_text(doc.read_text().replace("fit and proper.", "fit and proper.\n**2.14.3** A "
                                           "firm must keep the contract."))  # fmt: skip
    assert run("ingest", str(doc), "--kind", "rules").exit_code == 0
    assert "is indexed with rules of its own" not in run("search", "GEN 2.14.3").output
    # (a review) and a lookup of it quotes it from the chunk it lives in
    res = run("ask", "What does GEN 2.14.3 say?", "--format", "json")
    data = _json_of(res)
    assert not data["abstained"], data
    assert "2.14.3 A firm must keep the contract." in data["citations"][0]["quote"], data


def test_search_says_when_a_word_is_in_no_indexed_text(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """2026-12-04: "flurbix zanquor" listed five provisions with no word that neither word is in
    the index."""
    run("ingest", str(corpus_copy / "aifc"))
    out = json.loads(run("search", "flurbix custody", "--format", "json").output)
    assert out["notes"] == ['"flurbix" occurs nowhere in the indexed text; no result is about it']
    assert (
        json.loads(run("search", "custody of client assets", "--format", "json").output)["notes"]
        == []
    )


def test_ask_answers_each_question_of_a_message(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """Seventeenth session: the chat answered each question of "Do we need X? Can Y?" but
    `ask` answered the message as one question; and a question joined to another by ", and"
    ("..., and how long does the sandbox licence last?") was refused in both. In text output
    each part is answered; json and jsonl keep one object per QUESTION (scripts rely on the
    shape, a review) unless --split is given."""
    run("ingest", str(corpus_copy / "aifc"))
    asked = "What is the FinTech Lab? How long does its licence last?"
    out = run("ask", asked).output
    assert "== Question 1 of 2: What is the FinTech Lab?" in out, out
    # "its" is read with the first part's subject
    assert "== Question 2 of 2: How long does the FinTech Lab's licence last?" in out, out
    assert "== Question" not in run("ask", asked, "--no-split").output
    one = json.loads(run("ask", asked, "--format", "json").output)
    assert isinstance(one, dict) and one["question"] == asked  # one object, as for any question
    got = json.loads(run("ask", asked, "--format", "json", "--split").output)
    assert [a["id"] for a in got] == ["q1.1", "q1.2"]
    assert got[1]["question"] == "How long does the FinTech Lab's licence last?"
    lines = run("ask", asked, "--format", "jsonl", "--split").output.splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["q1.1", "q1.2"]
    assert len(run("ask", asked, "--format", "jsonl").output.splitlines()) == 1
    five = "What is the FinTech Lab? " * 3 + "Who must the MLRO be? How long do we keep records?"
    assert (
        "This message asks 5 questions; more than 4 are answered together as one"
        in run("ask", five).output
    )
    # and says so: a founder's JSON answered the first of two questions with no note (18th session)
    assert "This asks 2 questions, answered here as one; --split answers each." in one["notes"]
    assert not any("answered here as one" in n for a in got for n in a["notes"])
    single = json.loads(
        run("ask", "What is the FinTech Lab?", "--format", "json", "--split").output
    )
    assert isinstance(single, dict)


def test_a_memo_with_no_rules_in_it_is_quoted_as_not_a_rule(
    run, corpus_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A custodian's trial (seventeenth session): the CEO's memo, ingested as a .txt, answered
    "Can our MLRO reside in Dubai?" with "Yes: Our MLRO may reside in Dubai." and nothing said
    that the quote was no rule. A document of kind "other" with no rulebook and no rule number
    is warned about at ingest, and an answer quoting it is marked [not a rule] (first line,
    quote, sources, a note, `outside_rules` in JSON), as national law is marked [RK]."""
    memo = tmp_path / "memo.txt"
    memo.write_text("Internal memo from the CEO\n\nOur MLRO may reside in Dubai. Client crypto "
                    "reconciliations are done every quarter.\n")  # fmt: skip
    run("ingest", str(corpus_copy / "aifc"))
    res = run("ingest", str(memo))
    assert res.exit_code == 0  # advice, not a failure: nothing was lost
    out = res.output
    assert "note: no rulebook and no rule numbers found" in out, out
    assert "--kind policy" in out
    out = run("ask", "How often must client crypto reconciliations be done?").output
    lines = out.splitlines()
    assert lines[0].startswith("Note: [1] is quoted from 'memo', which is not a rulebook"), out
    assert lines[1].startswith("[not a rule] ") and "every quarter" in lines[1], out
    assert "[1] [not a rule] -  memo" in out
    # a statute's sections with no rulebook found say how to cite them (a tax reporting
    # officer's trial on ADGM's FATCA Regulations, thirty-second session)
    law = tmp_path / "Tax Account Regulations 2030.txt"
    law.write_text("TAX ACCOUNT REGULATIONS 2030\nPart 1\tIntroduction\nPart 1.1.\tDefinitions\n"
                   "Part 1.1.(1)\tWords have their meaning.\nPart 1.2.\tApplication\nPart 1.2.(1)\t"
                   "These apply.\nPart 2.3.\tRecords\nPart 2.3.(1)\tKeep records for six years.\n")  # fmt: skip
    out = run("ingest", str(law)).output
    assert "numbered as a statute's sections" in out and "--rulebook X" in out, out
    got = json.loads(run("ask", "How often must client crypto reconciliations be done?",
                         "--format", "json").output)  # fmt: skip
    memo_cites = [c for c in got["citations"] if c["title"] == "memo"]
    assert memo_cites and all(c["outside_rules"] and c["kind"] == "other" for c in memo_cites)
    # a rulebook's quote is never marked, nor is the same memo given as rules
    rules = json.loads(run("ask", "Must the MLRO be resident in Kazakhstan?", "--format",
                           "json").output)  # fmt: skip
    assert rules["citations"] and not any(
        c["outside_rules"] for c in rules["citations"] if c["title"] != "memo"
    )
    # a JSONL corpus of rules without "ref" fields is no memo (a review): not marked
    rules = tmp_path / "cob-rules.jsonl"
    rules.write_text(json.dumps({"id": "COB 9.9.1", "text": "An Authorised Firm must reconcile "
                                 "its records of Zebra Tokens at least every 7 days."}) + "\n")  # fmt: skip
    out = run("ingest", str(rules)).output
    assert "note:" not in out, out
    zebra = json.loads(run("ask", "How often must a firm reconcile its records of Zebra Tokens?",
                           "--format", "json").output)  # fmt: skip
    assert zebra["citations"] and not any(c["outside_rules"] for c in zebra["citations"]), zebra
    run("ingest", str(memo), "--kind", "rules", "--rulebook", "MEMO")
    again = json.loads(run("ask", "How often must client crypto reconciliations be done?",
                           "--format", "json").output)  # fmt: skip
    assert not any(c["outside_rules"] for c in again["citations"])
    assert not again["answer"].startswith("[not a rule]")


def test_ask_says_when_a_filter_narrowed_the_search(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """A custodian's trial (seventeenth session): `ask --rulebook COB` answered the MLRO
    residence question "Not specified in the indexed rules." with nothing saying that only COB
    was searched (the chat says so since the sixteenth session). The note is the first line in
    text and in JSON's notes; an unfiltered answer has none."""
    run("ingest", str(corpus_copy / "aifc"))
    q = "Does the MLRO need to be resident in Kazakhstan?"
    out = run("ask", q, "--rulebook", "COB").output
    assert out.startswith("Searched only rulebook COB; the rest of the index was not searched."), (
        out
    )
    got = json.loads(
        run("ask", q, "--rulebook", "COB", "--kind", "rules", "--format", "json").output
    )
    assert got["notes"][0] == ("Searched only rulebook COB and rules documents; the rest of the "
                               "index was not searched.")  # fmt: skip
    plain = json.loads(run("ask", q, "--format", "json").output)
    assert not any(n.startswith("Searched only") for n in plain["notes"])


def test_ops_trial_empty_arguments_empty_index_and_bad_settings(
    run, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """An ops trial (seventeenth session): `remove ""` (an unset variable) removed the only
    document; an index with no document answered "Not specified in the indexed rules." with
    exit 0; `search ""` listed five arbitrary rules; REGASSIST_DATA_DIR naming a file gave a
    traceback; a default kind no document can have was accepted and searched nothing."""
    run("ingest", str(corpus_copy / "aifc" / "aml.md"))
    r = run("remove", "")
    assert r.exit_code == 2 and "the document to remove is empty" in r.output, r.output
    assert "aml" in run("docs").output.lower()  # still there
    assert run("search", "").exit_code == 2
    empty = tmp_path / "empty"
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "missing.md"), "--data-dir", str(empty)])
    for args in (["ask", "What is the CDD threshold?"], ["search", "CDD threshold"]):
        r = CliRunner().invoke(main, [*args, "--data-dir", str(empty)])
        assert r.exit_code == 1 and "holds no documents" in r.output, r.output
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    monkeypatch.setenv("REGASSIST_DATA_DIR", str(a_file))
    r = CliRunner().invoke(main, ["ingest", str(corpus_copy / "aifc" / "aml.md")])
    assert r.exit_code == 2 and "cannot make the data directory" in r.output, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    monkeypatch.delenv("REGASSIST_DATA_DIR")
    monkeypatch.setenv("REGASSIST_RETRIEVAL__DEFAULT_KINDS", '["nope"]')
    r = run("search", "cdd")
    assert r.exit_code == 2 and "default_kinds" in r.output.lower(), r.output
    # an operator's trial (twenty-third session): the list's item was put "from a flag", and a
    # second message said the one-item list had "at least 1 item ... not 0"
    assert "REGASSIST_RETRIEVAL__DEFAULT_KINDS (item 0)='nope'" in r.output, r.output
    assert "from a flag" not in r.output and "at least 1 item" not in r.output, r.output
    monkeypatch.setenv("REGASSIST_RETRIEVAL__DEFAULT_KINDS", '["nope", "bad"]')
    both = run("search", "cdd")  # every bad item named (a review: only the first was)
    assert "(item 0)='nope'" in both.output and "(item 1)='bad'" in both.output, both.output


def test_obligations_says_why_a_role_found_nothing(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """A questionnaire trial, 2026-12-05: `--applies-to 'crypto custodian'` printed "0
    obligation(s)" with no hint that firm types are chosen with --firm-type, which refused
    "custodian" in lower case."""
    run("ingest", str(corpus_copy / "aifc"))
    none = run("obligations", "--applies-to", "crypto custodian")
    assert none.exit_code == 0 and "--firm-type" in none.output, none.output
    lower = run("obligations", "--firm-type", "custodian")
    assert lower.exit_code == 0 and "obligation(s)" in lower.output, lower.output
    assert not lower.output.rstrip().endswith(" 0 obligation(s)")
    # (a third review) no hint where the role binds something another filter left out
    other = run("obligations", "--applies-to", "MLRO", "--rulebook", "COB")
    assert "no obligation names" not in other.output, other.output
    # a custodian's trial (twenty-third session): "--applies-to Custodian" listed the one rule
    # whose subject names a custodian, of the 40 that apply to one, without a word
    named = run("obligations", "--applies-to", "Custodian")
    assert named.exit_code == 0 and "1 obligation(s)" in named.output, named.output
    assert "use --firm-type 'Custodian' (" in named.output, named.output
    assert "--firm-type" not in run("obligations", "--applies-to", "MLRO").output
    # (a compliance manager's trial, thirty-seventh session) a role the rules name only in duties
    # binding the firm ("... must ensure that the Compliance Officer has ...") is found with
    # --mentions, which the empty answer names
    fiu = run("obligations", "--applies-to", "FIU")
    assert "obligation(s) name 'FIU' in their text" in fiu.output, fiu.output
    assert "list them with --mentions 'FIU'" in fiu.output
    about = run("obligations", "--mentions", "FIU", "--format", "json")
    rows = json.loads(about.output[about.output.index("[") :])
    assert rows and all("FIU" in r["text"] for r in rows), rows
    assert not json.loads(run("obligations", "--mentions", "FIUX", "--format", "json").output)
    draft = corpus_copy / "policies" / "steppe-digital-aml-cft-policy.md"
    checked = run("check-policy", str(draft), "--firm-type", "custodian", "--rulebook", "AML")
    assert checked.exit_code == 0 and "firm types: Custodian" in checked.output, checked.output


def test_search_names_every_page_a_passage_runs_over() -> None:
    """An operator's trial (twenty-third session): `regassist search` printed "p. 1" for a
    passage running over pages 1 and 2, the matched sentence being on page 2."""
    from assistant.cli.search import _pages
    from assistant.search.retrieval import Hit
    from ingest.model import Chunk

    def hit(pages: tuple[int, ...], labels: tuple[str, ...] = ()) -> Hit:
        return Hit(1, 1.0, Chunk("c", "d", 0, "text", pages=pages, page_labels=labels), {})

    assert _pages(hit((1, 2))) == "pp. 1-2"
    assert _pages(hit((4,), ("iv",))) == "p. iv"
    assert _pages(hit((3, 4), ("iii", "iv"))) == "pp. iii-iv"
    assert _pages(hit((3, 4), ("iii",))) == "pp. 3-4"  # labels for some pages only: numbers
    assert _pages(hit(())) is None
    assert _pages(hit((12, 13), ("3-12", "3-13"))) == "pp. 3-12–3-13"  # a review


def test_another_regimes_text_is_ingested_and_quoted_as_such(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A citation audit (twenty-fifth session): rulebooks of another regime (ADGM) indexed for
    comparison were stored as AIFC and their quotes read as AIFC rules; ``--jurisdiction``
    names the regime, and every answer marks its quotes and says they are not AIFC rules."""
    doc = tmp_path / "other-aml.md"
    doc.write_text("# AML Rules of another centre\n\n## AML 4.5.1 Record keeping\n\nA Relevant "
                   "Person must keep customer due diligence records for at least six years.\n")  # fmt: skip
    assert run("ingest", str(doc), "--jurisdiction", "bad]name").exit_code == 2
    assert run("ingest", str(doc), "--jurisdiction", "ADGM").exit_code == 0
    res = run("ask", "How long must customer due diligence records be kept?", "--format", "json")
    data = _json_of(res)
    assert data["citations"] and all(c["jurisdiction"] == "ADGM" for c in data["citations"])
    # (with no AIFC text indexed, none is "beside" it: an OTC broker's trial, thirty-first session)
    assert any("[ADGM] are ADGM text, not AIFC rules" in n for n in data["notes"]), data["notes"]
    text = run("ask", "How long must customer due diligence records be kept?").output
    assert "[ADGM] AML 4.5.1" in text, text
    # (a bank's recovery officer's trial, thirty-fourth session) national law asked of, ADGM
    # text cited: not "AIFC rules and guidance only"
    kz = run("ask", "How long must customer due diligence records be kept under Kazakh national "
             "law?").output  # fmt: skip
    if "[ADGM] AML 4.5.1" in kz:
        assert "nothing cited here is national law (ADGM text only)" in kz, kz
        assert "AIFC rules and guidance only" not in kz, kz
    # and a regulator not indexed is said against the regime that is
    esma = run("ask", "How long must ESMA firms keep customer due diligence records?").output
    assert "answers from the indexed ADGM texts only" in esma, esma
    # search marks them too (a market-surveillance head's trial, thirtieth session)
    assert "1. [ADGM] AML 4.5.1" in run("search", "customer due diligence records").output
    # "rk" is national law, stored as the index writes it
    assert run("ingest", str(doc), "--jurisdiction", "rk").exit_code == 0
    res = run("ask", "How long must customer due diligence records be kept?", "--format", "json")
    assert _json_of(res)["citations"][0]["jurisdiction"] == "RK"
    # beside AIFC text, ADGM text is said to be indexed beside it, and both regimes are named
    ours = tmp_path / "aml.md"
    ours.write_text("# AML Rules\n\n## AML 5.1.1 MLRO\n\nA Relevant Person must appoint an "
                    "MLRO who is resident in the jurisdiction.\n")  # fmt: skip
    theirs = tmp_path / "other-wallets.md"
    theirs.write_text("# Wallet Rules of another centre\n\n## WAL 2.1.1 Screening logs\n\nA "
                      "custodian must keep wallet screening logs for at least seven years.\n")  # fmt: skip
    assert run("ingest", str(ours)).exit_code == 0
    assert run("ingest", str(theirs), "--jurisdiction", "ADGM").exit_code == 0
    res = run("ask", "How long must wallet screening logs be kept?", "--format", "json")
    data = _json_of(res)
    assert data["citations"][0]["jurisdiction"] == "ADGM", data
    assert any("ADGM text indexed beside the AIFC rules" in n for n in data["notes"]), data
    esma = run("ask", "How long must ESMA firms keep wallet screening logs?").output
    assert "answers from the indexed ADGM and AIFC texts only" in esma, esma


def test_a_question_naming_one_regime_searches_that_regimes_texts(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two trials (twenty-sixth session) on the digest with ADGM text indexed beside it: "What is
    the travel rule threshold ... in ADGM?" was answered from the AIFC digest, and "What
    sanctions can the FSRA impose?" with an AIFC rule. A question naming one indexed regime, by
    its name or its regulator's, searches that regime's texts, and says so; naming both, or
    none, searches all."""
    from assistant.language.regimes import named_regimes

    assert named_regimes("What can the FSRA impose?", ["AIFC", "ADGM"]) == {"ADGM"}
    assert named_regimes("fees in adgm", ["AIFC", "ADGM"]) == {"ADGM"}
    assert named_regimes("Does the AFSA require it?", ["AIFC", "ADGM"]) == {"AIFC"}
    assert named_regimes("ADGM or AIFC?", ["AIFC", "ADGM"]) == {"AIFC", "ADGM"}
    assert named_regimes("in ADGM?", ["AIFC"]) == set()  # not indexed: read elsewhere
    # once the search is kept to that regime's texts, the phrase placing the question there is
    # no word to search for (a founder's trial, twenty-eighth session: "... clients in ADGM?"
    # led with "an Offer in or from the ADGM ... no more than 200 Persons"); a regulator stays
    from assistant.language.regimes import without_place

    assert without_place("What leverage is allowed for clients in ADGM?", "ADGM") == (
        "What leverage is allowed for clients?"
    )
    assert without_place("Fees within the Abu Dhabi Global Market?", "ADGM") == "Fees?"
    assert without_place("Must the FSRA approve it in the ADGM?", "ADGM") == (
        "Must the FSRA approve it?"
    )
    assert without_place("in ADGM?", "ADGM") == "in ADGM?"  # nothing else asked: kept
    # (a review) not a name the place begins
    for named in (
        "How do I appeal a decision at the ADGM Courts?",
        "What is required in ADGM's PRU rulebook?",
        "What must we disclose investing in ADGM Green Funds?",
    ):
        assert without_place(named, "ADGM") == named
    # a rulebook code only one regime's texts carry names that regime ("... under FSMR?")
    from assistant.language.regimes import named_by_book

    docs = [{"rulebook": "FSMR", "jurisdiction": "ADGM"}, {"rulebook": "AML", "jurisdiction": "ADGM"},
            {"rulebook": "AML", "jurisdiction": "AIFC"}]  # fmt: skip
    assert named_by_book("What is market abuse under FSMR?", docs) == {"ADGM"}
    assert named_by_book("What do the AML rules say?", docs) == set()  # both regimes have AML
    # (a review) a regime named in a sentence that does not ask is background; "AIFC-licensed"
    # names the AIFC
    assert named_regimes("We moved from ADGM last year. How long must we keep CDD records?",
                         ["AIFC", "ADGM"]) == set()  # fmt: skip
    assert named_regimes("Our parent is licensed by the FSRA. How long must our AIFC-licensed "
                         "firm keep CDD records?", ["AIFC", "ADGM"]) == {"AIFC"}  # fmt: skip
    ours = tmp_path / "aml.md"
    ours.write_text("# AML Rules\n\n## AML 7.1.1 Record keeping\n\nA Relevant Person must keep "
                    "customer due diligence records for at least five years.\n")  # fmt: skip
    theirs = tmp_path / "other-aml.md"
    theirs.write_text("# AML Rules of another centre\n\n## AML 4.5.1 Record keeping\n\nA Relevant "
                      "Person must keep customer due diligence records for at least six years after "
                      "the business relationship with the customer ends.\n")  # fmt: skip
    place = tmp_path / "other-scope.md"
    place.write_text("# Registers of another centre\n\n## GEN 1.1.1 Registers\n\nCustomer due "
                     "diligence records of a branch in the ADGM must be entered in the ADGM "
                     "register of the ADGM within 30 days.\n")  # fmt: skip
    assert run("ingest", str(ours)).exit_code == 0
    assert run("ingest", str(theirs), "--jurisdiction", "ADGM").exit_code == 0
    assert run("ingest", str(place), "--jurisdiction", "ADGM").exit_code == 0

    def ask(q: str) -> dict:
        res = run("ask", q, "--format", "json")
        return _json_of(res)

    data = ask("How long must customer due diligence records be kept under FSRA rules?")
    assert {c["jurisdiction"] for c in data["citations"]} == {"ADGM"}, data["citations"]
    assert data["answer"].startswith("[ADGM] at least six years"), data["answer"]  # marked
    assert not any("whose rules are not indexed" in n for n in data["notes"]), data["notes"]
    assert data["notes"][0].startswith("Note: the question names ADGM: only the ADGM texts")
    data = ask("How long must customer due diligence records be kept in the ADGM?")
    assert data["answer"].startswith("[ADGM] at least six years"), data["answer"]  # marked
    # `search` reads the regime named as `ask` does (it ranked the AIFC's rule beside ADGM's,
    # a founder's trial of both regimes, fortieth session)
    found = json.loads(run("search", "customer due diligence records kept in the ADGM",
                           "--format", "json").output)  # fmt: skip
    found = found[0] if isinstance(found, list) else found
    ids = [r["doc_id"] for r in found["results"]]
    assert ids and all(i.startswith(("other-aml", "other-scope")) for i in ids), ids
    assert any("only the ADGM texts" in n for n in found["notes"]), found["notes"]
    assert data["question"].endswith("kept in the ADGM?")  # as asked
    data = ask("How long must customer due diligence records be kept in the AIFC?")
    assert {c["jurisdiction"] for c in data["citations"]} == {"AIFC"}, data["citations"]
    # (a citation auditor's trial) a rulebook code only that regime's texts carry is what the
    # note names, not the regime, which the question does not name
    statute = tmp_path / "MIR_2023.md"
    statute.write_text("# Market Infrastructure Rules\n\n## MIR 2.6.2 Continuity\n\nA Recognised "
                       "Body must have a business continuity plan reviewed every year.\n")  # fmt: skip
    assert run("ingest", str(statute), "--jurisdiction", "ADGM").exit_code == 0
    data = ask("What does MIR 2.6.2 say?")
    assert data["notes"][0].startswith("Note: the question names MIR, indexed only as ADGM text")
    data = ask("How long must customer due diligence records be kept in the AIFC and in ADGM?")
    assert {c["jurisdiction"] for c in data["citations"]} == {"AIFC", "ADGM"}, data
    assert not any("only the" in n for n in data["notes"])
    data = ask("How long must customer due diligence records be kept?")
    assert data["citations"][0]["jurisdiction"] == "AIFC", data
    assert not any("only the" in n for n in data["notes"])
    # a question naming no regime is the AIFC's: its rule leads (a review)
    # (the other regime's text words the question better: it came first)
    q = "How long must customer due diligence records be kept after the business relationship ends?"
    assert ask(q)["answer"].startswith("at least five years"), ask(q)
    # the AIFC's search takes the national law indexed beside it, and its note says so (it said
    # "only the AIFC texts" over [RK] quotes, a trial of both regimes, fortieth session)
    aifc = "How long must customer due diligence records be kept in the AIFC?"
    assert not any("[RK]" in n for n in ask(aifc)["notes"])
    national = tmp_path / "national.md"
    national.write_text("# National law\n\n## Article 5 Records\n\nCustomer due diligence "
                        "records of a bank must be kept for five years under national law.\n")  # fmt: skip
    assert run("ingest", str(national), "--jurisdiction", "RK").exit_code == 0
    notes = ask(aifc)["notes"]
    assert any(n.startswith("Note: the question names AIFC") and "[RK]" in n for n in notes), notes


def test_a_rule_only_another_regime_holds_is_quoted_when_looked_up(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A founder's trial of both regimes in one index (fortieth session): "What does AML 14.3.5
    say?", a rule of ADGM's AML that the AIFC's has not, quoted an AIFC guidance sentence that
    "still says" something of AML 13.1.3, ADGM's rule after it unquoted."""
    ours = tmp_path / "aml.md"
    ours.write_text("# AML Rules\n\n## AML 13.1.3 MLRO\n\nThe MLRO must be resident in the "
                    "Republic of Kazakhstan.\n\n### Guidance\n\nThe guidance after AML 13.1.3 "
                    "still says the MLRO is mandatory.\n")  # fmt: skip
    theirs = tmp_path / "AML_VER09.md"
    theirs.write_text("# AML Rulebook\n\n## AML 14.3.5 Registration\n\nRelevant Persons are "
                      "required to register on goAML to submit suspicious activity reports.\n")  # fmt: skip
    assert run("ingest", str(ours), "--rulebook", "AML").exit_code == 0
    assert run("ingest", str(theirs), "--jurisdiction", "ADGM", "--rulebook", "AML").exit_code == 0
    res = run("ask", "What does AML 14.3.5 say?", "--format", "json")
    data = _json_of(res)
    first = data["citations"][0]
    assert (first["ref"], first["jurisdiction"]) == ("AML 14.3.5", "ADGM"), data["citations"]
    assert data["answer"].startswith("[ADGM] Relevant Persons are required"), data["answer"]
    # a rule both hold is the AIFC's first, as before
    res = run("ask", "What does AML 13.1.3 say?", "--format", "json")
    assert _json_of(res)["citations"][0]["jurisdiction"] == "AIFC"


def test_a_count_is_answered_by_a_number_beside_what_it_counts(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A lawyer's trial on ADGM's English-law guidance (fortieth session): "How many English
    statutes apply in ADGM?" was refused as a figure not stated, "the 47 modified English
    statutes" among the closest provisions."""
    guide = tmp_path / "english-law.md"
    guide.write_text("# Application of English law\n\n## 3.1 Statute law\n\nTwo groups of "
                     "statute law have effect in the centre: (i) the 47 modified English statutes "
                     "scheduled to the Regulations; and (ii) other enactments.\n\n## 3.4 "
                     "Advantages\n\nAs these English statutes have been implemented locally, "
                     "they should benefit from English case law.\n")  # fmt: skip
    assert run("ingest", str(guide), "--kind", "guidance").exit_code == 0
    res = run("ask", "How many English statutes apply in the centre?", "--format", "json")
    data = _json_of(res)
    assert not data["abstained"], data["answer"]
    assert "47 modified English statutes" in data["citations"][0]["quote"], data["citations"]


def test_a_paragraph_numbered_with_its_rule_is_cited_and_looked_up(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A market-conduct lawyer's trial on ADGM's CMC (fortieth session): "What does CMC
    2.2.(6) say?" quoted 2.2.(1), and every quote of the section's twelve paragraphs was cited
    "CMC 2.2"."""
    code = tmp_path / "CMC_VER03.txt"
    code.write_text(
        "2\tMARKET MANIPULATION\n2.2\tMarket Manipulation\n"
        "2.2.(1)\tThis provision sets out examples of conduct that may contravene the law.\n"
        "2.2.(5)\tGeneral factors. The Regulator may take into account the structure of the "
        "market and the experience of the person.\n"
        "2.2.(6)\tGeneral factors. The following factors may indicate that conduct contravenes "
        "the law:\n(a) if the transaction was executed in a particular way to create a false "
        "impression;\n(b) if the order does not appear to have a legitimate economic rationale.\n"
        "2.2.(7)\tGeneral factors. The following factors are unlikely to indicate that conduct "
        "contravenes the law:\n(a) if the transaction complies with the rules of the market.\n"
    )  # fmt: skip
    assert run("ingest", str(code), "--jurisdiction", "ADGM", "--rulebook", "CMC").exit_code == 0
    res = run("ask", "What does CMC 2.2.(6) say?", "--format", "json")
    data = _json_of(res)
    first = data["citations"][0]
    assert first["ref"] == "CMC 2.2" and first["pinpoint"] == "CMC 2.2(6)", data["citations"]
    assert "legitimate economic rationale" in first["quote"]
    assert "2.2.(7)" not in first["quote"]  # the paragraph ends where the next one opens
    from assistant.answer.table import answer_row  # a questionnaire's citations column

    assert answer_row("q1", data["question"], data)["citations"].startswith("[1] [ADGM] CMC 2.2(6)")
    text = run("ask", "What does CMC 2.2.(6) say?").output
    assert "CMC 2.2(6):" in text and "[1] [ADGM] CMC 2.2(6)" in text, text


def test_a_guidance_documents_passages_are_cited_as_guidance(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A trial (twenty-sixth session): the paragraphs of a document ingested as guidance (the
    ADGM virtual-asset guidance) were cited with ``is_guidance: false`` and no "(Guidance)"
    mark, as binding rules are; only a passage under a "Guidance" heading was marked."""
    doc = tmp_path / "va-guidance.md"
    doc.write_text("# Guidance on virtual asset activities\n\n## para 33 Capital\n\nA virtual "
                   "asset exchange is expected to hold regulatory capital equal to twelve months "
                   "of operating expenses.\n")  # fmt: skip
    assert run("ingest", str(doc), "--kind", "guidance").exit_code == 0
    q = "How much regulatory capital should a virtual asset exchange hold?"
    res = run("ask", q, "--format", "json")
    data = _json_of(res)
    assert data["citations"] and all(c["is_guidance"] for c in data["citations"]), data
    assert "para 33 Capital (Guidance):" in run("ask", q).output
    found = run("search", "virtual asset exchange regulatory capital", "--format", "json").output
    assert json.loads(found[found.index("{") :])["results"][0]["is_guidance"] is True


def test_a_policy_check_against_another_regimes_rulebook_says_why_it_cannot(
    run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A consultant's trial (twenty-sixth session): with COBS ingested as ADGM text, `check-policy
    --rulebook COBS` said "no obligations in the index ... ingest the rulebooks first", though
    it was ingested: the check reads AIFC rules only, and now says so."""
    doc = tmp_path / "cobs.md"
    doc.write_text("# Conduct rules\n\n## 15.9.4 Review\n\nThe reconciliations must be reviewed "
                   "by a member of the Authorised Person who has adequate seniority.\n")  # fmt: skip
    draft = tmp_path / "policy.md"
    draft.write_text("# Policy\n\n1. Reconciliations are reviewed monthly.\n")
    assert run("ingest", str(doc), "--rulebook", "COBS", "--jurisdiction", "ADGM").exit_code == 0
    res = run("check-policy", str(draft), "--rulebook", "COBS")
    assert res.exit_code != 0
    assert "COBS (ADGM) is indexed as another regime's text" in res.output, res.output
    assert "ingest the rulebook as AIFC rules" not in res.output  # (no advice to relabel it)
    # nor without --rulebook (it said "ingest the rulebooks first": an AML consultant's trial,
    # thirty-first session)
    res = run("check-policy", str(draft))
    assert res.exit_code != 0 and "COBS (ADGM) is indexed as another regime's text" in res.output, (
        res.output
    )
    # (a review) beside an AIFC rulebook with no obligation for the draft, the message says to
    # check the firm type and rulebooks, not to choose AIFC ones
    defs = tmp_path / "aml.md"
    defs.write_text("# AML Rules\n\n## AML 1.1 Definitions\n\nIn these Rules a Relevant Person "
                    "means a person to whom the Rules apply.\n")  # fmt: skip
    assert run("ingest", str(defs), "--rulebook", "AML").exit_code == 0
    res = run("check-policy", str(draft))
    assert res.exit_code != 0 and "choose AIFC rulebooks" not in res.output, res.output
    # (a browser trial, twenty-eighth session) beside an AIFC rulebook it was dropped without a
    # word: the report says it was not checked
    aml = tmp_path / "aml.md"
    aml.write_text("# AML\n\n## AML 12.1.1 MLRO\n\nThe MLRO must review reconciliations at "
                   "least annually.\n")  # fmt: skip
    assert run("ingest", str(aml), "--rulebook", "AML", "--kind", "rules").exit_code == 0
    res = run("check-policy", str(draft), "--rulebook", "COBS", "--rulebook", "AML")
    assert res.exit_code == 0, res.output
    assert "not checked: COBS (ADGM), indexed as another regime's text" in res.output, res.output
    res = run("check-policy", str(draft), "--rulebook", "COBS", "--rulebook", "AML",
              "--format", "json")  # fmt: skip
    assert _json_of(res)["not_checked"] == ["COBS (ADGM)"]
    # a code that is an AIFC rulebook's other name is the indexed regime's own ("MKT": it was
    # read as the AIFC's MAR, "no indexed rule belongs to it")
    mkt = tmp_path / "mkt.md"
    mkt.write_text("# Market rules\n\n## 4.3.1 Offers\n\nAn Offer must be approved.\n")
    assert run("ingest", str(mkt), "--rulebook", "MKT", "--jurisdiction", "ADGM",
               "--kind", "rules").exit_code == 0  # fmt: skip
    res = run("check-policy", str(draft), "--rulebook", "MKT")
    assert "MKT (ADGM) is indexed as another regime's text" in res.output, res.output
    # (a browser trial, thirty-fourth session) a rulebook chosen whose obligations bind none of
    # the firm types is said, not dropped without a word
    cus = tmp_path / "cus.md"
    cus.write_text("# Custody rules\n\n## CUS 1.1 Segregation\n\nA Custodian must segregate "
                   "client assets.\n")  # fmt: skip
    assert run("ingest", str(cus), "--rulebook", "CUS", "--kind", "rules").exit_code == 0
    res = run("check-policy", str(draft), "--rulebook", "AML", "--rulebook", "CUS",
              "--rulebook", "cus", "--firm-type", "DATF operator")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "not checked: CUS, none of whose obligations binds DATF operator" in res.output, (
        res.output
    )


def test_another_regimes_rulebook_is_said_so_by_obligations_and_changes_policy(
    run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Trials on the real ADGM text (twenty-seventh session): `obligations --rulebook AML
    --applies-to MLRO` with AML ingested as ADGM text said "0 obligation(s)" and "no obligation
    names 'MLRO'", and `changes COBS --policy draft.md` said "0 finding(s) change status" (exit
    0): the register reads AIFC rules only, and both now say so (``changes --policy`` as an
    error, as `check-policy` does)."""
    draft = tmp_path / "policy.md"
    draft.write_text("# Policy\n\n1. Reconciliations are reviewed monthly by the MLRO.\n")
    for n, (date, word) in enumerate((("2023-01-01", "monthly"), ("2024-01-01", "weekly"))):
        doc = tmp_path / f"cobs{n}.md"
        doc.write_text(f"# Conduct rules\n\n## 15.9.4 Review\n\nThe MLRO must review the "
                       f"reconciliations {word}.\n")  # fmt: skip
        res = run("ingest", str(doc), "--rulebook", "COBS", "--jurisdiction", "ADGM",
                  "--version-date", date)  # fmt: skip
        assert res.exit_code == 0, res.output
    res = run("obligations", "--rulebook", "COBS", "--applies-to", "MLRO")
    # an error, as check-policy's (an empty list and exit 0 read "no obligations" to a nightly
    # job, a data engineer's trial, thirty-ninth session)
    assert res.exit_code == 2 and "0 obligation(s)" not in res.output
    assert "COBS (ADGM) is indexed as another regime's text" in res.output, res.output
    as_json = run("obligations", "--rulebook", "COBS", "--format", "json")
    assert as_json.exit_code == 2 and "[]" not in as_json.output
    assert "no obligation names" not in res.output
    # (a listed issuer's trial, thirty-fifth session) no advice to relabel it as AIFC rules: so
    # ingested, ADGM's MKT was cited as the AIFC's MAR
    assert "without --jurisdiction" not in res.output, res.output
    res = run("changes", "COBS", "--from", "2023-01-01", "--policy", str(draft))
    assert res.exit_code == 2, res.output
    assert "COBS (ADGM) is indexed as another regime's text" in res.output, res.output
    assert "without --jurisdiction" not in res.output, res.output
    # the same rulebook as AIFC rules: no such note (the digest's AML binds the MLRO)
    aml = tmp_path / "aml.md"
    aml.write_text("# AML\n\n## AML 12.1.1 MLRO\n\nThe MLRO must report to the Governing Body "
                   "at least annually.\n")  # fmt: skip
    assert run("ingest", str(aml), "--rulebook", "AML").exit_code == 0
    res = run("obligations", "--rulebook", "AML", "--applies-to", "MLRO")
    assert "another regime" not in res.output and "AML 12.1.1" in res.output, res.output
    # (a review) a filter that matches nothing on an index holding AIFC rules beside another
    # regime's is no error about the other regime
    res = run("obligations", "--applies-to", "Deputy MLRO")
    assert res.exit_code == 0 and "another regime" not in res.output, res.output


def test_a_file_ingested_again_without_a_regime_keeps_the_one_it_was_given(
    run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A browser trial (twenty-seventh session): a rulebook ingested as ADGM text and ingested
    again without a regime became AIFC rules, with no word. The regime given at first is kept,
    and said; one given again wins."""
    doc = tmp_path / "cobs.md"
    doc.write_text("# Conduct rules\n\n## 15.9.4 Review\n\nThe reconciliations must be reviewed "
                   "monthly.\n")  # fmt: skip
    assert run("ingest", str(doc), "--rulebook", "COBS", "--jurisdiction", "ADGM").exit_code == 0

    def regime() -> str:
        out = run("docs", "--format", "json").output
        return str(json.loads(out[out.index("[") :])[0]["jurisdiction"])

    res = run("ingest", str(doc), "--rulebook", "COBS", "--version-date", "2024-01-01")
    assert "indexed as ADGM text, as given when it was first ingested" in res.output, res.output
    assert regime() == "ADGM"
    assert run("ingest", str(doc), "--rulebook", "COBS", "--jurisdiction", "AIFC").exit_code == 0
    assert regime() == "AIFC"
    # (a review) the file's own front matter names its regime: it wins over the one kept
    doc.write_text("---\njurisdiction: ADGM\n---\n" + doc.read_text())
    res = run("ingest", str(doc), "--rulebook", "COBS")
    assert regime() == "ADGM" and "as given when it was first ingested" not in res.output


def test_a_draft_date_later_than_a_rules_limit_conflicts(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A consultant's trial on the real ADGM AML (twenty-seventh session): a policy filing the
    AML Return "by the end of June each year" against AML 4.6.1's "by the end of April each
    year" was "partial: does not name April"; a date later than a rule's limit conflicts, and a
    draft with no date is not asked for one (a review: a start date is no limit)."""
    rules = tmp_path / "aml.md"
    rules.write_text("# AML\n\n## AML 4.6.1 AML Return\n\nA Relevant Person must complete the "
                     "prescribed AML Return form and submit it to the Regulator by the end of April "
                     "each year.\n")  # fmt: skip
    assert run("ingest", str(rules), "--kind", "rules", "--rulebook", "AML").exit_code == 0
    late = tmp_path / "late.md"
    late.write_text("# Policy\n\n1. The firm completes the prescribed AML Return form and submits "
                    "it to the Regulator by the end of June each year.\n")  # fmt: skip
    out = run("check-policy", str(late), "--rulebook", "AML", "--format", "json").output
    (f,) = [f for f in json.loads(out[out.index("{") :])["findings"] if f["ref"] == "AML 4.6.1"]
    assert f["status"] == "conflicting" and "later than the rule allows" in f["reason"], f
    for text in ("by the end of March each year", "each year", "from 1 June 2025 each year"):
        ok = tmp_path / "ok.md"
        ok.write_text("# Policy\n\n1. The firm completes the prescribed AML Return form and "
                      f"submits it to the Regulator {text}.\n")  # fmt: skip
        out = run("check-policy", str(ok), "--rulebook", "AML", "--format", "json").output
        (f,) = [f for f in json.loads(out[out.index("{") :])["findings"] if f["ref"] == "AML 4.6.1"]
        assert f["status"] != "conflicting", (text, f)


def test_a_rule_is_looked_up_by_its_documents_own_rulebook_code(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A consultant's trial (twenty-seventh session): ADGM's conduct rules ingested with
    ``--rulebook COBS`` were cited "COBS 14.11.4", yet `search "COBS 14.11.4"` listed COBS 15.7.1
    first and `ask "What does COBS 14.11.4 say?"` quoted "14.2 General Requirements": no lookup
    read a code that is no AIFC rulebook's. The indexed documents' own codes are read now."""
    doc = tmp_path / "cobs.txt"
    doc.write_text("CONDUCT OF BUSINESS\n\n14.11 Reconciliation\n\n14.11.3 An Authorised Person "
                   "must reconcile its Client Accounts.\n\n14.11.4 An Authorised Person must "
                   "perform the reconciliations in Rule 14.11.3 within ten days of the date to "
                   "which the reconciliation relates.\n\n15.7.1 An Authorised Person must keep "
                   "Client Investments apart from its own, and reconcile them.\n")  # fmt: skip
    res = run("ingest", str(doc), "--kind", "rules", "--rulebook", "COBS", "--jurisdiction", "ADGM")
    assert res.exit_code == 0, res.output

    def first_hit(query: str) -> dict:  # type: ignore[type-arg]
        found = run("search", query, "--format", "json").output
        return json.loads(found[found.index("{") :])["results"][0]  # type: ignore[no-any-return]

    first = first_hit("COBS 14.11.4")
    assert first["ref"] == "COBS 14.11.4" and "ref" in first["matched_by"], first
    out = run("ask", "What does COBS 14.11.4 say?").output
    assert "within ten days" in out.split("\n")[1], out
    # a code no document carries is still no rule reference
    assert "ref" not in first_hit("COBX 14.11.4")["matched_by"]
    # an index built before the codes were read: its chunks' refs are read once, when opened
    import sqlite3

    db = sqlite3.connect(tmp_path / "data" / "catalog.sqlite3")
    db.execute("UPDATE chunks SET ref_book=NULL, ref_kind=NULL, ref_number=NULL")
    db.execute("DELETE FROM meta WHERE key='own_codes'")
    db.commit()
    db.close()
    assert "ref" in first_hit("COBS 14.11.4")["matched_by"]


def test_a_split_part_about_the_answer_before_it_is_read_from_it(run, corpus_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """A citation audit (twenty-fifth session): "Must our MLRO be resident in Kazakhstan? Is that
    AIFC or national law?" split by `ask` searched its second part, which led with "[RK]
    National law, not an AIFC rule." from another section; the chat reads it from the first
    part's citations, and so does `ask` now."""
    assert run("ingest", str(corpus_copy)).exit_code == 0
    res = run("ask", "Must our MLRO be resident in Kazakhstan? Is that AIFC or national law?",
              "--split", "--format", "json")  # fmt: skip
    first, second = json.loads(res.output[res.output.index("[") :])
    assert second["notes"][0].startswith("About the previous answer")
    assert [c["ref"] for c in second["citations"]] == [c["ref"] for c in first["citations"]]
    assert second["abstention"] is None and not second["abstained"]  # (a review)
    assert "is an AIFC rule" in second["answer"] and "[RK]" not in second["answer"]
    # a questionnaire row too, and only within its row (a review)
    batch = corpus_copy / "q.csv"
    batch.write_text("id,question\nq1,Must our MLRO be resident in Kazakhstan? Is that AIFC or "
                     "national law?\nq2,Is that AIFC or national law?\n")  # fmt: skip
    res = run("ask", "--questions", str(batch), "--split", "--format", "jsonl")
    rows = [json.loads(line) for line in res.output.splitlines() if line.startswith("{")]
    by_id = {r["id"]: r for r in rows}
    assert by_id["q1.2"]["notes"][0].startswith("About the previous answer")
    assert not by_id["q2"]["notes"] or not by_id["q2"]["notes"][0].startswith("About the previous")


def test_a_rule_named_that_is_repealed_is_said_so(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A listed issuer's trial (thirty-first session): "What does MKT 7.2.2 say?" was answered
    from a guidance note still quoting the rule, with no word that the indexed MKT reads "7.2.2
    [Deleted]"."""
    rules = tmp_path / "MKT_VER08.181223.txt"
    rules.write_text("7.2.1 A Reporting Entity must Disclose Inside Information immediately.\n\n"
                     "7.2.2 [Deleted]\n\n7.2.3 A Reporting Entity may disclose to its advisers.\n")  # fmt: skip
    guide = tmp_path / "disclosure-guidance.md"
    guide.write_text("# Continuous Disclosure Guidance\n\n1. Rule 7.2.2 lets a Reporting Entity "
                     "withhold Inside Information while negotiations are incomplete.\n")  # fmt: skip
    assert run("ingest", str(rules), "--jurisdiction", "ADGM").exit_code == 0
    assert run("ingest", str(guide), "--jurisdiction", "ADGM", "--kind", "guidance").exit_code == 0
    res = run("ask", "What does MKT 7.2.2 say?", "--format", "json")
    data = _json_of(res)
    assert any(n.startswith("MKT 7.2.2 is repealed in the indexed text (MKT VER08.181223, version "
                            "2023-12-18)") for n in data["notes"]), data["notes"]  # fmt: skip
    res = run("ask", "What does MKT 7.2.1 say?", "--format", "json")
    data = _json_of(res)
    assert not any("repealed" in n for n in data["notes"]), data["notes"]


def test_an_llm_answer_in_text_shows_each_sources_quote(  # type: ignore[no-untyped-def]
    run, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A platform engineer's LLM-mode trial (thirty-ninth session): the model's sentence was
    printed with the sources' numbers and titles only; the rule's own words were in JSON alone."""
    from tests.fake_llm import FakeLLMServer

    run("ingest", str(corpus_copy))

    def reply(body: dict) -> str:  # type: ignore[type-arg]
        prompt = body["messages"][1]["content"]
        n = next(
            block.split('"', 2)[1]
            for block in prompt.split("<source n=")[1:]
            if 'ref="AML 14.5.1"' in block
        )
        return f"Records must be kept for at least six years [{n}]."

    with FakeLLMServer(reply) as server:
        monkeypatch.setenv("REGASSIST_LLM__BASE_URL", server.base_url)
        monkeypatch.setenv("REGASSIST_LLM__MODEL", "m")
        out = run("ask", "AML 14.5.1: how long must records be kept?").output
    assert "llm / m" in out, out
    source_line = next(line for line in out.splitlines() if "AML 14.5.1" in line and "[" in line)
    after = out.splitlines()[out.splitlines().index(source_line) + 1]
    assert after.strip().startswith('"') and "six years" in after, out


def test_no_color_csv_endings_and_failed_files_on_stderr(  # type: ignore[no-untyped-def]
    run, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data engineer's trial (thirty-ninth session): bold text with NO_COLOR set, a CSV ending
    in an empty row, and a failed file named only inside the JSON payload."""
    run("ingest", str(corpus_copy))
    bad = tmp_path / "gone.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    res = run("ingest", str(bad), "--format", "json")
    assert res.exit_code == 1 and "failed" in res.stderr and "gone.pdf" in res.stderr
    json.loads(res.stdout)  # stdout is the payload alone
    draft = tmp_path / "draft.md"
    draft.write_text("# Policy\n\n1. Records are kept for five years.\n")
    out = run("check-policy", str(draft), "--rulebook", "AML", "--format", "csv").stdout
    assert out.endswith("\n") and not out.endswith("\n\n")
    monkeypatch.setenv("NO_COLOR", "1")
    shown = CliRunner().invoke(main, ["docs", "--data-dir", str(tmp_path / "none")], color=True)
    assert shown.exit_code == 1 and "\x1b[" not in shown.output
    monkeypatch.delenv("NO_COLOR")
    shown = CliRunner().invoke(main, ["docs", "--data-dir", str(tmp_path / "none")], color=True)
    assert "\x1b[" in shown.output


def test_a_draft_that_addresses_no_rule_is_said_to(run, corpus_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A screen-reader user's trial (thirty-ninth session): a banana-bread recipe checked as a
    policy got "27 missing" and nothing said the file addresses no rule."""
    run("ingest", str(corpus_copy))
    recipe = tmp_path / "recipe.md"
    recipe.write_text("# Banana bread\n\n1. Mash three ripe bananas in a bowl.\n\n2. Bake the loaf "
                      "for fifty minutes at 180 degrees.\n")  # fmt: skip
    out = run("check-policy", str(recipe), "--rulebook", "AML").output
    assert "warning: No clause of this draft addresses any of the" in out, out
    report = json.loads(
        run("check-policy", str(recipe), "--rulebook", "AML", "--format", "json").stdout
    )
    assert report["warnings"] and all(f["status"] == "missing" for f in report["findings"])
    assert (
        "Warning:" in run("check-policy", str(recipe), "--rulebook", "AML", "--format", "md").stdout
    )
    policy = next(p for p in corpus_copy.rglob("*.md") if "policy" in p.name.lower())
    assert json.loads(run("check-policy", str(policy), "--format", "json").stdout)["warnings"] == []
