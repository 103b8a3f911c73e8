"""Two versions of one rulebook must not read as two rules: an answer that quotes both, or quotes an
older version while a later one is indexed, says so (found by a new user in the browser trial)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.answer.assistant import Assistant
from assistant.answer.types import Citation
from assistant.changes.versions import version_notes
from tests.changes_fixtures import digest_versions
from tests.test_changes import _index_two


def _doc(
    doc_id: str, version: str | None, rulebook: str = "AML", kind: str = "rules"
) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "version": version,
        "rulebook": rulebook,
        "kind": kind,
        "title": doc_id,
    }


def _cite(n: int, doc_id: str, ref: str = "AML 6.1.1") -> Citation:
    return Citation(n, ref, doc_id, None, None, None, "q", f"{doc_id}-c{n}", 1.0, doc_id)


DOCS = [_doc("old", "2024-01-01"), _doc("new", "2025-07-01"), _doc("cob", "2024-01-01", "COB")]


def test_both_versions_quoted_are_named_as_one_rule_in_two_versions() -> None:
    [note] = version_notes([_cite(1, "new"), _cite(2, "old")], DOCS)
    assert "2 versions of the AML rulebook" in note
    assert note.index("2024-01-01 version [2]") < note.index("2025-07-01 version [1]")
    assert "not separate rules" in note and "latest indexed is 2025-07-01" in note


def test_an_older_version_alone_is_flagged_and_a_missing_rule_named() -> None:
    [note] = version_notes([_cite(1, "old")], DOCS, lambda doc, ref: True)
    assert (
        note.startswith("[1] quotes the 2024-01-01 version")
        and "later version (2025-07-01)" in note
    )
    [gone] = version_notes([_cite(1, "old", "AML 6.1.2")], DOCS, lambda doc, ref: False)
    assert "has no AML 6.1.2" in gone
    # the later version keeps the number but marks the rule "[intentionally omitted]": it says so
    # (found by the new-user trial: the deputy MLRO rule, repealed in 2025, got "may differ")
    [ended] = version_notes(
        [_cite(1, "old", "AML 13.1.2")], DOCS, lambda doc, ref: True,
        lambda doc, ref: doc == "new" and ref == "AML 13.1.2" and "13.1.2 [Deleted]",
    )  # fmt: skip
    # its marker quoted as that version writes it (a change tracker's trial, thirty-eighth
    # session: "[Deleted]" was quoted as "[intentionally omitted]")
    assert 'marks AML 13.1.2 as repealed ("13.1.2 [Deleted]")' in ended
    assert "may differ" not in ended


def test_no_note_for_the_latest_version_a_single_version_or_undated_versions() -> None:
    assert version_notes([_cite(1, "new")], DOCS) == []
    assert version_notes([_cite(1, "cob", "COB 1.1")], DOCS) == []
    undated = [_doc("a", None), _doc("b", None)]
    assert version_notes([_cite(1, "a")], undated) == []  # "later" only between dated versions
    policy = [_doc("p1", "2024-01-01", kind="policy"), _doc("p2", "2025-01-01", kind="policy")]
    assert version_notes([_cite(1, "p1")], policy) == []


def test_documents_that_are_not_told_apart_by_date_are_not_called_versions() -> None:
    # found in review: a rulebook's chapter files (undated, or of one date) are one family of
    # kind and rulebook code, but not versions of each other
    undated = [_doc("ch6", None), _doc("ch7", None)]
    assert version_notes([_cite(1, "ch6"), _cite(2, "ch7")], undated) == []
    same_day = [_doc("ch6", "2024-01-01"), _doc("ch7", "2024-01-01")]
    assert version_notes([_cite(1, "ch6"), _cite(2, "ch7")], same_day) == []
    # two chapter files of the old version and one of the new: two versions, not three
    chapters = [*same_day, _doc("new6", "2025-07-01")]
    [note] = version_notes([_cite(1, "ch6"), _cite(2, "ch7"), _cite(3, "new6")], chapters)
    assert "2 versions" in note and "2024-01-01 version [1] [2]" in note


def test_a_rule_is_missing_from_the_later_version_only_if_no_file_of_it_has_the_rule() -> None:
    docs = [_doc("old", "2024-01-01"), _doc("n1", "2025-01-01"), _doc("n2", "2025-01-01")]
    [note] = version_notes([_cite(1, "old", "AML 9.9")], docs, lambda doc, ref: doc == "n2")
    assert "has no" not in note and "may differ" in note


def test_an_answer_over_two_indexed_versions_says_so_unless_asked_as_of(tmp_path: Path) -> None:
    old, new, _ = digest_versions()
    assistant = Assistant(_index_two(tmp_path, old, new))
    question = "What is the customer due diligence threshold for an occasional transaction in Digital Assets?"
    answer = assistant.ask(question)
    assert not answer.abstained
    assert {c.version for c in answer.citations} == {"2024-01-01", "2025-07-01"}
    assert any("2 versions of the AML rulebook" in n for n in answer.notes), answer.notes
    # the answer leads with the latest version (the consultant's trial, 2026-12-04: the
    # superseded figure was on the first line), the older one quoted after it
    assert answer.citations[0].version == "2025-07-01", answer.answer
    assert (
        "USD 3,000" in answer.answer.split("\n")[0]
        and "USD 1,000" not in answer.answer.split("\n")[0]
    )
    early = assistant.ask(question, as_of="2024-06-01")
    assert "USD 1,000" in early.answer.split("\n")[0], early.answer
    dated = assistant.ask(question, as_of="2025-08-01")
    assert {c.version for c in dated.citations} == {"2025-07-01"}
    # (the one note of an answer as of a date names the date and the version it picked)
    assert [n for n in dated.notes if "version" in n] == [
        "As of 2025-08-01: quoted from the versions in force on that date (AML 2025-07-01)"
    ], dated.notes
    repealed = assistant.ask("AML 6.1.2")  # deleted in the 2025 version
    assert any("has no AML 6.1.2" in n for n in repealed.notes), repealed.notes


def test_an_answer_from_a_rule_the_later_version_repeals_says_so(tmp_path: Path) -> None:
    old, new, _ = digest_versions()
    head, _, rest = new.partition("## AML 13.1.2 ")
    body_end = rest.index("\n## ")
    new = (
        head
        + "## AML 13.1.2 [intentionally omitted]\n\n[intentionally omitted]\n"
        + rest[body_end:]
    )
    assistant = Assistant(_index_two(tmp_path, old, new))
    answer = assistant.ask("Must an Authorised Firm appoint a deputy MLRO?")
    assert [c.ref for c in answer.citations][:1] == ["AML 13.1.2"], answer.answer
    marker = '("AML 13.1.2 [intentionally omitted]")'  # the later version's own words
    assert any(f"marks AML 13.1.2 as repealed {marker}" in n for n in answer.notes), answer.notes
    # and the first line says so before the old text (twenty-ninth session: only the note did)
    assert answer.answer.startswith(f"Repealed: the 2025-07-01 version marks AML 13.1.2 as "
                                    f"omitted {marker}; the 2024-01-01 version said: "), answer.answer  # fmt: skip
    # asked as of a date the repeal is in force, the rule that answered it before is named (a
    # change tracker's trial, thirty-eighth session: an unrelated provision, and no word)
    dated = assistant.ask("Must an Authorised Firm appoint a deputy MLRO?", as_of="2025-08-01")
    said = ("The provision that best answers this in the indexed versions is AML 13.1.2 of the "
            "2024-01-01 version; the version in force on 2025-08-01 (2025-07-01) marks it "
            f"repealed {marker}, so what is quoted here is not that rule.")  # fmt: skip
    assert said in dated.notes, dated.notes
    before = assistant.ask("Must an Authorised Firm appoint a deputy MLRO?", as_of="2024-06-01")
    assert not any("best answers this in the indexed versions" in n for n in before.notes)


def test_a_date_before_every_version_of_a_rulebook_is_said(tmp_path: Path) -> None:
    """Found by a new user in a real browser (2026-12-04): with the as-of date set to 2019 the
    CDD question was refused with nothing saying that no AML version was in force then."""
    old, new, _ = digest_versions()
    assistant = Assistant(_index_two(tmp_path, old, new))
    early = assistant.ask("What is the CDD threshold for digital assets?", as_of="2019-12-04")
    assert any(
        "no indexed version of these rulebooks was in force on 2019-12-04: AML (earliest indexed "
        "version 2024-01-01)" in n
        for n in early.notes
    ), early.notes
    later = assistant.ask("What is the CDD threshold for digital assets?", as_of="2025-08-01")
    assert not any("was in force on" in n for n in later.notes), later.notes


def test_trial_a_rule_the_latest_version_dropped_is_named_beside_a_newer_citation() -> None:
    """A consultant's trial, 2026-12-04 (sixteenth session): a rule deleted from the newer DAA
    was quoted as the answer from the older version, and because another citation came from the
    newer one the only note was the generic "These citations quote 2 versions ..."."""
    cites = [_cite(1, "old", "AML 6.1.2"), _cite(2, "new", "AML 6.1.1")]
    [note] = version_notes(cites, DOCS, lambda doc, ref: ref != "AML 6.1.2")
    assert "2 versions of the AML rulebook" in note
    assert "The 2025-07-01 version has no AML 6.1.2: it may have been repealed" in note
    [note] = version_notes(cites, DOCS, lambda doc, ref: True, lambda doc, ref: ref == "AML 6.1.2")
    assert "The 2025-07-01 version marks AML 6.1.2 as repealed." in note  # (no marker given)
    # a rule the latest version still holds gets the generic note only
    [note] = version_notes(cites, DOCS, lambda doc, ref: True, lambda doc, ref: False)
    assert "has no" not in note and "repealed" not in note


def test_an_undated_version_beside_dated_ones_is_left_out_and_said(tmp_path: Path) -> None:
    """A consultant's trial (2026-12-05): an undated copy of AML ("records ... seven years") led
    the answer as of 2024-06-01, before the dated 2024-01-01 version in force then, and a policy
    check quoted every obligation twice (the latest dated and the undated)."""
    from assistant.changes.versions import in_force_ids
    from assistant.index.ingest import ingest_paths

    old, new, _ = digest_versions()
    index = _index_two(tmp_path, old, new)
    undated = re.sub(r"(?m)^version: .*\n", "", old).replace(
        "at least six years", "at least seven years"
    )
    assert undated != old and "version:" not in undated.split("---")[1]
    (tmp_path / "v3").mkdir()
    (tmp_path / "v3" / "aml-consolidated.md").write_text(undated)
    [res] = ingest_paths(index, [tmp_path / "v3"])
    assert res.status == "added" and any("no version date, while AML has dated versions "
                                         "(2024-01-01, 2025-07-01)" in n for n in res.notes), res  # fmt: skip
    docs = index.documents()
    kept = {d["doc_id"]: d.get("version") for d in docs if d["doc_id"] in in_force_ids(docs)}
    assert sorted(kept.values(), key=str) == ["2025-07-01"] + [None] * (len(kept) - 1)
    assert res.doc_id not in in_force_ids(docs, "2024-06-01")
    # an undated document of a rulebook with no dated version stays (the bundled digest's way)
    alone = [_doc("memo", None, "COB"), _doc("a", "2024-01-01")]
    assert in_force_ids(alone) == {"memo", "a"}
    # ranked after the latest dated version
    a = Assistant(index)
    ans = a.ask("How long must AML records be kept?")
    assert "seven" not in ans.answer.split("\n")[0], ans.answer
    assert "seven" not in a.ask("How long must AML records be kept?", as_of="2024-06-01").answer


def test_a_front_matter_in_force_date_places_the_version(tmp_path: Path) -> None:
    """A consultant's trial (2026-12-05): "version: 2026-01-01" with "in_force: 2026-06-01" was
    placed at 2026-01-01, and a question as of March quoted a text not yet in force."""
    from ingest.loaders import load

    p = tmp_path / "aml-v3.md"
    p.write_text('---\nversion: "2026-01-01"\nin_force: "2026-06-01"\n---\n# AML Rules\n\n'
                 "## AML 14.5.1 Records\n\nRecords must be kept for at least nine years.\n")  # fmt: skip
    doc = load(p)
    assert doc.version == "2026-06-01" and doc.metadata.get("version") == "2026-01-01"


def test_a_rule_only_an_older_version_holds_is_quoted_when_named(tmp_path: Path) -> None:
    """A consultant's trial (2026-12-05): "What does AML 13.7.3 say?", a rule the latest version
    renumbered, was answered from AML 13.7 of the latest version, the rule asked for quoted
    second; the rule named is quoted first, with the note that the latest version lacks it."""
    old, new, _ = digest_versions()  # AML 6.1.2 deleted in 2025-07-01
    a = Assistant(_index_two(tmp_path, old, new))
    ans = a.ask("What does AML 6.1.2 say?")
    assert ans.citations[0].ref == "AML 6.1.2" and ans.citations[0].version == "2024-01-01", ans
    assert any("has no AML 6.1.2" in n for n in ans.notes), ans.notes
    # a rule both versions hold is still answered from the latest
    b = a.ask("What does AML 6.1.1(a-a) say?")
    assert b.citations[0].version == "2025-07-01" and "3,000" in b.answer.split("\n")[0], b.answer


def test_a_renumbered_rule_is_found_under_its_other_number_and_a_gone_one_leads_so(
    tmp_path: Path,
) -> None:
    """A change tracker's trial (twenty-ninth session): "What does AML 15.8.1 say?" as of a date
    after the rule became 15.10.1 was refused, and with no date told "may have been repealed or
    renumbered", though the change report knew the move; an answer with no date led with a rule
    the latest version no longer holds, said only in a note below."""
    old, new, _ = digest_versions()
    assistant = Assistant(_index_two(tmp_path, old, new))
    old_id, new_id = [
        d["doc_id"] for d in sorted(assistant.index.documents(), key=lambda d: d["version"])
    ]
    assert assistant._moved(old_id, new_id, "AML 14.5.1") == ("AML 15.5.1", False)
    # the same pairing as the change report's, rule by rule (it compared whole versions per
    # question: 10 to 14 s on a renumbered PRU, a review)
    from assistant.changes.diff import compare, rules_of

    cat = assistant.index.catalog
    rules = [rules_of(cat.chunks(cat.chunk_ids(d)).values()) for d in (old_id, new_id)]
    for c in compare(*rules):
        if c.kind == "renumbered" and not c.guidance and c.old_ref not in {k for k, _ in rules[1]}:
            assert assistant._moved(old_id, new_id, c.old_ref or "") == (c.ref, c.also_amended), c
    late = assistant.ask("What does AML 14.5.1 say?", as_of="2025-08-01")
    assert not late.abstained and late.citations[0].ref == "AML 15.5.1", late.answer
    assert late.question == "What does AML 14.5.1 say?"  # as typed; the note says how it was read
    assert late.notes[0].startswith("AML 14.5.1 is numbered AML 15.5.1 in the version in force "
                                    "on 2025-08-01"), late.notes  # fmt: skip
    early = assistant.ask("What does AML 15.5.1 say?", as_of="2024-06-01")
    assert not early.abstained and early.citations[0].ref == "AML 14.5.1", early.answer
    undated = assistant.ask("What does AML 14.5.1 say?")
    note = next(n for n in undated.notes if "AML 14.5.1" in n)
    assert "numbers AML 14.5.1 as AML 15.5.1 (the same rule renumbered)" in note, note
    assert "may have been repealed" not in note
    gone = assistant.ask("What does AML 6.1.2 say?")  # deleted in the 2025 version
    # (its rules read, the note says no rule of the later version holds its text: an app user
    # read "may have been repealed or renumbered" where the change report knew, twenty-ninth)
    assert any("has no AML 6.1.2, nor a rule of another number with its text: it was repealed"
               in n for n in gone.notes), gone.notes  # fmt: skip
    assert gone.answer.startswith("Not in the indexed 2025-07-01 version (no AML 6.1.2 there); the "
                                  "2024-01-01 version said: "), gone.answer  # fmt: skip
    # a rule the latest version holds leads as before
    kept = assistant.ask("What does AML 15.5.1 say?")
    assert not kept.answer.startswith(("Not in", "Repealed")), kept.answer


def test_review_renumbering_reads_chapter_files_paragraphs_and_amended_moves(
    tmp_path: Path,
) -> None:
    """A review of the renumbering (twenty-ninth session): with the version in force split into
    chapter files one file was picked at random (an answer or a refusal, run to run); a
    paragraph named ("AML 14.5.1(a)") was skipped; a rule renumbered AND amended was "the same
    rule renumbered" with no warning on the first line; the note said "answered for" a rule the
    answer did not quote."""
    from assistant.changes.diff import Rule, moved_from, moved_to
    from assistant.changes.versions import superseded_lead

    old, new, _ = digest_versions()
    at = new.index("## AML 15.")
    front, body = new[:at], new[at:]
    head = front.split("\n---\n", 1)[0] + "\n---\n\n# AML (chapters 15 on)\n\n"
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "aml-2024.md").write_text(old)
    (tmp_path / "v2" / "aml-2025-a.md").write_text(front)
    (tmp_path / "v2" / "aml-2025-b.md").write_text(head + body)
    from assistant.index.core import Index
    from assistant.index.ingest import ingest_paths
    from assistant.settings import Settings

    index = Index.open(
        Settings(data_dir=tmp_path / "d", embedding_model="fake:hashing"), create=True
    )
    ingest_paths(index, [tmp_path / "v1", tmp_path / "v2"])
    assistant = Assistant(index)
    assert len({d["version"] for d in index.documents()}) == 2 and len(index.documents()) == 3
    late = assistant.ask("What does AML 14.5.1 say?", as_of="2025-08-01")
    assert late.citations and late.citations[0].ref == "AML 15.5.1", late.answer
    para = assistant.ask("What does AML 14.5.1(a) say?", as_of="2025-08-01")
    assert para.notes[0].startswith("AML 14.5.1(a) is numbered AML 15.5.1(a) in the version in "
                                    "force on 2025-08-01"), para.notes  # fmt: skip

    def rule(ref: str, body: str) -> Rule:
        return Rule(ref, False, f"{ref.split()[1]} {body}", False)

    v1 = {("AML 13.3.2", False): rule("AML 13.3.2", "Training records must be kept for at least "
                                      "eight years from the date of the training given."),
          ("AML 1.1", False): rule("AML 1.1", "A firm must have an MLRO.")}  # fmt: skip
    v2 = {("AML 13.3.3", False): rule("AML 13.3.3", "Training records must be kept for at least "
                                      "ten years from the date of the training given."),
          ("AML 1.1", False): rule("AML 1.1", "A firm must have an MLRO.")}  # fmt: skip
    assert moved_to(v1, v2, "AML 13.3.2") == ("AML 13.3.3", True)
    assert moved_from(v1, v2, "AML 13.3.3") == ("AML 13.3.2", True)
    assert moved_to(v1, v2, "AML 1.1") is None  # held under its number
    docs = [_doc("old", "2024-01-01"), _doc("new", "2025-07-01")]
    lead = superseded_lead(_cite(1, "old", "AML 13.3.2"), docs, lambda d, r: d == "old",
                           lambda d, r: False, lambda o, n, r: ("AML 13.3.3", True))  # fmt: skip
    assert lead == ("Renumbered and amended: the 2025-07-01 version has AML 13.3.2 as AML 13.3.3, "
                    "in other words; the 2024-01-01 version said:"), lead  # fmt: skip
    [note] = version_notes([_cite(1, "old", "AML 13.3.2")], docs, lambda d, r: d == "old",
                           lambda d, r: False, lambda o, n, r: ("AML 13.3.3", True))  # fmt: skip
    assert "numbers AML 13.3.2 as AML 13.3.3 (renumbered and amended: its words differ)" in note


def test_rulebooks_not_yet_in_force_are_named_per_regime() -> None:
    """An app user's trial (twenty-ninth session): as of 2022 the note named only DAA, the AIFC's
    AML (first dated 2024) being hidden behind ADGM's AML of 2021, one code for both."""
    from types import SimpleNamespace

    docs = [{**_doc("adgm-aml", "2021-12-23"), "jurisdiction": "ADGM"},
            {**_doc("aifc-aml", "2024-01-01"), "jurisdiction": "AIFC"},
            {**_doc("daa", "2024-01-01", "DAA"), "jurisdiction": None}]  # fmt: skip
    me = SimpleNamespace(index=SimpleNamespace(documents=lambda: docs))
    [note] = Assistant._not_yet_in_force(me, "2022-06-30")  # type: ignore[arg-type]
    assert note.endswith("2022-06-30: AML (earliest indexed version 2024-01-01), DAA (earliest "
                         "indexed version 2024-01-01)"), note  # fmt: skip
    later = [{**_doc("adgm-aml", "2023-01-01"), "jurisdiction": "ADGM"}]
    me = SimpleNamespace(index=SimpleNamespace(documents=lambda: later))
    assert Assistant._not_yet_in_force(me, "2022-06-30") == [  # type: ignore[arg-type]
        "no indexed version of these rulebooks was in force on 2022-06-30: ADGM AML (earliest "
        "indexed version 2023-01-01)"]  # fmt: skip


def test_an_omitted_rule_quoted_alone_says_where_its_earlier_text_is() -> None:
    """An app user's trial (twenty-ninth session): "What does AML 15.1.2 say?" got
    "[Intentionally omitted]." and nothing of what it said before, or since when."""
    from dataclasses import replace

    from assistant.changes.versions import earlier_text_notes

    omitted = replace(_cite(1, "new", "AML 15.1.2"), repealed=True)
    [note] = earlier_text_notes([omitted], DOCS, lambda doc, ref: doc == "old")
    assert note == ("[1] AML 15.1.2 is marked omitted in the 2025-07-01 version; the 2024-01-01 "
                    "version holds its earlier text (ask with an as-of date before 2025-07-01 to "
                    "read it).")  # fmt: skip
    assert earlier_text_notes([omitted], DOCS, lambda doc, ref: False) == []
    assert earlier_text_notes([_cite(1, "new", "AML 15.1.2")], DOCS, lambda d, r: True) == []


def test_a_rule_gone_from_a_later_version_is_said_repealed_only_where_it_holds_the_chapter() -> (
    None
):
    """A review (twenty-ninth session): with only chapter 15 of the later AML indexed, its lack
    of AML 14.2.3 was said to be a repeal."""
    cite = _cite(1, "old", "AML 14.2.3")
    no_move = lambda o, n, r: None  # noqa: E731
    [partial] = version_notes([cite], DOCS, lambda d, r: d == "old", lambda d, r: False, no_move,
                              lambda d, r: False)  # fmt: skip
    assert "has no AML 14.2.3: it may have been repealed or renumbered" in partial, partial
    [whole] = version_notes([cite], DOCS, lambda d, r: d == "old", lambda d, r: False, no_move,
                            lambda d, r: d == "new")  # fmt: skip
    assert "has no AML 14.2.3, nor a rule of another number with its text: it was repealed" in whole


def test_read_through_a_renumbered_rule_is_rewritten_after_its_own_code_only() -> None:
    """A read-through (twenty-ninth session): the rewrite ignored the rulebook, so "Compare AML
    15.8.1 with COB 15.8.1" as of a later date would have moved COB 15.8.1 too."""
    from assistant.answer.assistant import renumbered
    from ingest.refs import Ref

    aml, now = Ref("AML", "15.8.1"), Ref("AML", "15.10.1")
    assert renumbered("Compare AML 15.8.1 with COB 15.8.1", aml, now) == (
        "Compare AML 15.10.1 with COB 15.8.1")  # fmt: skip
    assert renumbered("What does aml 15.8.1(a) say?", aml, now) == "What does aml 15.10.1(a) say?"
    assert renumbered("AML 15.8.11 and AML 15.8.1.2", aml, now) == "AML 15.8.11 and AML 15.8.1.2"


def test_the_repeal_marker_is_the_line_that_says_so_as_written() -> None:
    """A change tracker's trial (thirty-eighth session): a version that wrote "1.3.3 [Deleted]"
    was said to mark the rule "[intentionally omitted]", words it does not hold."""
    from ingest.chunker import repeal_marker

    assert repeal_marker("1.3.3 [Deleted]") == "1.3.3 [Deleted]"
    assert repeal_marker("1.3.3 Captive insurers\n[Deleted]") == "[Deleted]"
    assert (
        repeal_marker("## AML 6.1.2  [intentionally omitted]\n")
        == "AML 6.1.2 [intentionally omitted]"
    )
    assert repeal_marker("A firm must keep records.\nThat rule was deleted in 2020.") is None
