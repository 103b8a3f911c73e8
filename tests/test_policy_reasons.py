"""A finding's reason names the rule's own words, never the stems the checker matches on
(found by the new-user trial: "does not name: deputi", "not: activ, staff, knowledg")."""

import json
import re
from pathlib import Path

import pytest

from assistant.policy.checker import Clause, PolicyChecker, PolicyReport
from assistant.policy.obligations import Obligation
from assistant.policy.report import RENDERERS

# the trial draft's only governance clause, against the deputy and internal-reporting rules
BOARD = Clause("1.1", None, "1.1 The Board appoints a Money Laundering Reporting Officer (MLRO) "
               "who is a Senior Manager.", "c1")  # fmt: skip


class SameTopic:
    """Every text on the same topic (cosine 1), so the judgement turns on the terms alone."""

    model_id = "fake:same"
    dim = 2

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]


def stems_only(checker: PolicyChecker, text: str) -> set[str]:
    """Stems of ``text``'s words that are not themselves words of it ("deputi", "knowledg")."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    return {t for t in checker.tokenize(text) if t.isalpha() and len(t) > 3} - words


def test_surface_maps_each_stem_to_the_word_the_rule_writes() -> None:
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    text = ("Suspicious activity reporting. Staff must report knowledge or suspicion to the MLRO "
            "and its deputy; a self-hosted wallet is named so.")  # fmt: skip
    stems = ["suspici", "activ", "staff", "knowledg", "deputi", "mlro", "host", "self"]
    assert pc.surface(stems, text) == [
        "suspicious", "activity", "staff", "knowledge", "deputy", "MLRO", "self-hosted",
    ]  # fmt: skip
    assert pc.surface(["republ", "kazakhstan"], "resident in the Republic of Kazakhstan") == [
        "Republic", "Kazakhstan",
    ]  # fmt: skip


def test_reasons_and_missing_terms_use_the_rules_words(register: list[Obligation]) -> None:
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    obligations = [o for o in register if o.ref in ("AML 13.1.2", "AML 13.7.3")]
    assert len(obligations) == 2
    findings, _ = pc.check([BOARD], obligations)
    deputy = next(f for f in findings if f.obligation.ref == "AML 13.1.2")
    assert deputy.status == "partial" and deputy.reason.endswith("does not name: deputy")
    for f in findings:
        o = f.obligation
        stems = stems_only(pc, f"{o.title}. {o.text}" if o.title else o.text)
        shown = set(re.findall(r"[A-Za-z]+", f.reason.lower())) | {
            t.lower() for t in f.missing_terms
        }
        assert not shown & stems, (f.reason, f.missing_terms)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_export_shows_words_not_stems(register: list[Obligation], fmt: str) -> None:
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    obligations = [o for o in register if o.ref in ("AML 13.1.2", "AML 13.7.3")]
    findings, unmatched = pc.check([BOARD], obligations)
    report = PolicyReport(str(Path("draft.md")), "Draft", [], ["AML"], findings, unmatched)
    out = RENDERERS[fmt](report)
    if fmt == "json":
        assert "deputy" in [w for f in json.loads(out)["findings"] for w in f["missing_terms"]]
    stems = set().union(*(stems_only(pc, o.text + " " + (o.title or "")) for o in obligations))
    assert not set(re.findall(r"[A-Za-z]+", out.lower())) & stems
    assert "does not name: deputy" in out


def test_the_reason_agrees_with_the_name_test(register: list[Obligation]) -> None:
    """Review finding: the coverage in the reason used plain stems while the match used the name
    test, so a clause naming "our money-laundering officer" was told it did not name the MLRO."""
    (o,) = [o for o in register if o.ref == "AML 13.1.3"]
    clause = Clause("2.2", None, "Our money-laundering officer lives in Almaty, Kazakhstan.", "c1")
    findings, _ = PolicyChecker(SameTopic()).check([clause], [o])
    assert findings[0].status != "missing" and "MLRO" not in findings[0].reason, findings[0].reason


def test_the_csv_names_a_table_rows_clause(register: list[Obligation]) -> None:
    """An MLRO's browser trial (seventeenth session): the CSV's clause column was empty for a
    finding matched to a table row (no number of its own); it holds the row's label."""
    import csv
    import io

    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    row = Clause(None, "7. Record keeping: CDD records", "CDD records | 5 years | MLRO", "c2")
    obligations = [o for o in register if o.ref == "AML 14.5.1"]
    findings, unmatched = pc.check([row], obligations)
    report = PolicyReport(str(Path("draft.md")), "Draft", [], ["AML"], findings, unmatched)
    rows = list(csv.DictReader(io.StringIO(RENDERERS["csv"](report))))
    assert rows and rows[0]["clause"] == "7. Record keeping: CDD records", rows


def test_the_firm_type_a_rule_binds_is_not_a_word_the_draft_must_name() -> None:
    """A consultant's trial (eighteenth session): against a custodian's own procedures every
    custody rule was "partial ... does not name: Providing" (of "A DASP Providing Custody must
    ...")."""
    o = Obligation(id="o1", ref="DAA 4.1.1", rulebook="DAA", binds=(), modality="must", action="",
                   text="A DASP Providing Custody must segregate Client Digital Assets from its own assets.",
                   conditions=(), params=(), is_guidance=False, chunk_id="c")  # fmt: skip
    clause = Clause("1", None, "1. Client Digital Assets are segregated from our own assets.", "d1")
    findings, _ = PolicyChecker(SameTopic()).check([clause], [o])  # type: ignore[arg-type]
    assert findings[0].status == "covered", (findings[0].status, findings[0].reason)


def _ob(i: str, ref: str, text: str) -> Obligation:
    return Obligation(id=i, ref=ref, rulebook="AML", binds=(), modality="must", action="", text=text,
                      conditions=(), params=(), is_guidance=False, chunk_id=i)  # fmt: skip


def test_whom_a_rule_says_to_notify_is_an_element() -> None:
    """A consultant's trial, 2026-12-05: a clause filing the STR with the FIU and telling no one
    else "covered" "... file the STR with the FIU, and promptly notify the AFSA" (the AFSA is
    generic elsewhere: drafts need not write the regulator's name beside every duty)."""
    o = _ob("o1", "AML 13.8.1", "The MLRO must investigate an internal report, file the STR with "
            "the FIU, and promptly notify the AFSA.")  # fmt: skip
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    silent = Clause("1", None, "1. The MLRO investigates each internal report and files the STR "
                    "with the FIU.", "d1")  # fmt: skip
    finding = pc.check([silent], [o])[0][0]
    assert finding.status == "partial" and "AFSA" in finding.reason, finding.reason
    told = Clause("1", None, "1. The MLRO investigates each internal report, files the STR with "
                  "the FIU and promptly notifies the AFSA.", "d1")  # fmt: skip
    assert pc.check([told], [o])[0][0].status == "covered"
    passive = _ob("o2", "AML 12.1.2", "Frozen assets are reported to the FIU, and the AFSA must be "
                  "notified immediately.")  # fmt: skip
    blocked = Clause("1", None, "1. Frozen assets are reported to the FIU immediately.", "d1")
    assert "AFSA" in pc.check([blocked], [passive])[0][0].reason


def test_a_rules_finding_does_not_change_with_the_rules_checked_beside_it() -> None:
    """A consultant's trial, 2026-12-05: AML 6.1.2 was "conflicting" with --rulebook AML and
    "missing" with --firm-type Custodian alone: the words were weighed over the obligations in
    scope; they are weighed over the whole register."""
    rules = [_ob("o1", "AML 6.1.2", "Simplified due diligence must never be used for high-risk "
                 "customers."),
             _ob("o2", "AML 14.5.1", "Records must be kept for at least six years."),
             _ob("o3", "DAA 3.2", "A DASP must hold capital of USD 250,000."),
             _ob("o4", "DAA 3.5", "A DASP must hold client digital assets in segregated wallets.")]  # fmt: skip
    clause = Clause("1", None, "1. Simplified checks are used for customers rated high risk.", "d1")
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    whole = pc.check([clause], rules)[0][0]
    alone = pc.check([clause], rules[:2], vocabulary=rules)[0][0]
    assert (alone.status, alone.reason) == (whole.status, whole.reason)


def test_the_markdown_report_carries_no_live_markup(register: list[Obligation]) -> None:
    """A security review (twenty-third session): the Markdown report of a draft holding
    "<script>" and "<img onerror=...>" carried them raw, live once rendered (the HTML report
    escaped them); a Markdown link in a clause was a live link."""
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    evil = Clause("1.1", None, "1.1 The Board appoints an MLRO <script>alert(1)</script> "
                  "<img src=x onerror=alert(2)> see [portal](javascript:alert(3)).", "c1")  # fmt: skip
    obligations = [o for o in register if o.ref in ("AML 13.1.2", "AML 13.7.3")]
    findings, unmatched = pc.check([evil, BOARD], obligations)
    report = PolicyReport("draft.md", "Draft <script>t()</script>", [], ["AML"], findings,
                          [*unmatched, evil])  # fmt: skip
    out = RENDERERS["md"](report)
    assert not re.search(r"(?<!\\)<(?:script|img)", out), out  # every "<" escaped: no tag
    assert not re.search(r"(?<!\\)\]\(javascript", out), out  # the bracket escaped: no link
    assert "\\<script\\>alert(1)\\</script\\>" in out  # shown as text, one escaper for both


def test_a_pdf_drafts_clauses_carry_their_pages(register: list[Obligation], tmp_path: Path) -> None:
    """A consultant's trial (twenty-third session): no report gave the page of a draft's clause,
    and a reviewer could not find the clause in a 3-page PDF from it."""
    from assistant.policy.checker import parse_draft
    from assistant.settings import ChunkingSettings
    from evals.pdf_render import build_pdf

    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(build_pdf([
        ["AML Policy", "1.1 The Board appoints a Money Laundering Reporting Officer (MLRO).",
         "1.2 The MLRO is a Senior Manager of the Firm."],
        ["2.1 The MLRO is resident in Almaty, Kazakhstan.",
         "2.2 Records are kept for six years after the relationship ends."],
    ], header="Irtysh AML Policy"))  # fmt: skip
    _, clauses = parse_draft(pdf, 10_000_000, ChunkingSettings())
    pages = {c.number: c.page for c in clauses if c.number}
    assert pages.get("1.1") == "1" and pages.get("2.1") == "2", pages
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    obligations = [o for o in register if o.ref == "AML 13.1.3"]
    findings, unmatched = pc.check(clauses, obligations)
    report = PolicyReport(str(pdf), "AML Policy", [], ["AML"], findings, unmatched)
    assert "(p. 2)" in RENDERERS["text"](report), RENDERERS["text"](report)
    assert "clause_page" in RENDERERS["csv"](report).splitlines()[0]
    assert json.loads(RENDERERS["json"](report))["findings"][0]["clause_page"] == "2"


def test_a_pdf_drafts_numbered_paragraphs_under_part_titles_are_its_clauses(tmp_path: Path) -> None:
    """A consultant's trial (thirty-seventh session): a PDF draft numbered "1." to "28." under
    part titles ("Part A. General", which a PDF does not mark as a heading) had no clause split
    out: "1. Purpose. ..." after the title was read as a line wrapped from it, and no later
    number followed clause 0; every finding cited "unnumbered text", 900-character blocks."""
    from assistant.policy.checker import parse_draft
    from assistant.settings import ChunkingSettings
    from evals.pdf_render import build_pdf

    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(build_pdf([
        ["Outsourcing Policy", "Part A. General",
         "1. Purpose. This policy sets out how the Firm manages outsourcing and its",
         "technology risk.", "2. Scope. It applies to all staff.",
         "Part B. Outsourcing", "3. The Firm remains responsible for what it outsources.",
         "4. Every material outsourcing has a written contract, as listed in the",
         "outsourcing register.", "Technology Risk and Continuity",
         "5. The continuity plan is tested every year."],
    ]))  # fmt: skip
    _, clauses = parse_draft(pdf, 10_000_000, ChunkingSettings())
    numbered = {c.number: c.text for c in clauses if c.number}
    assert list(numbered) == ["1", "2", "3", "4", "5"], [c.label for c in clauses]
    assert numbered["1"].rstrip().endswith("technology risk.")  # its wrapped line kept
    assert "outsourcing register." in numbered["4"]
    # (a second review) parts titled by their letter alone
    pdf.write_bytes(build_pdf([
        ["Outsourcing Policy", "Part A", "1. Purpose. This policy sets out how the Firm manages",
         "technology risk.", "2. Scope. It applies to all staff.", "Part B",
         "3. The Firm remains responsible for what it outsources.",
         "4. Every material outsourcing has a written contract."],
    ]))  # fmt: skip
    _, clauses = parse_draft(pdf, 10_000_000, ChunkingSettings())
    assert [c.number for c in clauses if c.number] == ["1", "2", "3", "4"], clauses
    # a line wrapped mid-sentence before a number is still no title: "... set out in" / "2. ..."
    from ingest.chunker import _title_line

    assert not _title_line("The records listed in paragraph")
    # (a review) nor a wrapped sentence that happens to open with a part's word or a name
    assert not _title_line("Part 2 of this Policy sets out the procedures in paragraph")
    assert not _title_line("the Board of") and not _title_line("Reports go to the Board of")
    # (a second review) a part's letter is no article
    for title in ("Part A", "PART A", "Annex A", "Schedule A", "Part iv. General",
                  "Part A – Scope and Application"):  # fmt: skip
        assert _title_line(title), title
    assert _title_line("Part C. Technology risk and governance") and _title_line("Annex 1")


def test_a_denial_by_the_firms_own_name_and_a_clause_no_finding_cites() -> None:
    """A consultant's trial on the real COBS (twenty-sixth session): "Reconciliations need not be
    reviewed by a member of the Firm who has adequate seniority" was "covered" by the rule it
    denies ("... reviewed by a member of the Authorised Person who has adequate seniority"):
    "Firm", the draft's name for itself, was a word the rule does not say. And a clause that no
    finding cites, close as it came to a rule another clause answers, was in no list."""
    rule = _ob("o1", "COBS 15.9.4", "The reconciliations must be reviewed by a member of the "
               "Authorised Person who has adequate seniority.")  # fmt: skip
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    for text in ("1. Reconciliations need not be reviewed by a member of the Firm who has "
                 "adequate seniority.",
                 "1. Reconciliations are not reviewed by a member of the Firm who has adequate "
                 "seniority."):  # fmt: skip
        finding = pc.check([Clause("1", None, text, "d1")], [rule])[0][0]
        assert finding.status == "conflicting", (text, finding.status, finding.reason)
    # another firm is no name of the firm's own (a review): "not reviewed ... by an external
    # firm" where the rule allows internal or external review is no denial
    review = _ob("o2", "AML 14.6.1", "The AML systems and controls must be reviewed "
                 "independently, internally or externally, at least once every two years.")  # fmt: skip
    external = Clause("1", None, "1. The AML systems and controls are not reviewed independently "
                      "by an external firm; the internal audit function reviews them independently "
                      "every year.", "d1")  # fmt: skip
    assert pc.check([external], [review])[0][0].status != "conflicting"
    # consistent with the rule, and so not conflicting
    kept = Clause("1", None, "1. Reconciliations are reviewed by a member of the Firm who has "
                  "adequate seniority.", "d1")  # fmt: skip
    other = Clause("2", None, "2. Reconciliations are signed by the reviewer.", "d1")
    findings, unmatched = pc.check([kept, other], [rule])
    assert findings[0].status == "covered" and findings[0].clauses[0] is kept
    assert other in unmatched and kept not in unmatched


def test_a_period_counted_from_an_event_is_compared_with_the_rules_deadline() -> None:
    """A consultant's trial on the real FUNDS rulebook (twenty-eighth session): "The expiry date
    of each Prospectus is 24 months after the date of the Prospectus" against "The expiry date
    of a Prospectus must be no later than 12 months after the date of the Prospectus" was
    "partial: draft states no deadline". A period counted from an event ("after", "from",
    "following") is the draft's time limit; a bare period is none."""
    from assistant.policy.obligations import extract
    from ingest.model import Chunk

    rule = ("9.4.1 The expiry date of a Prospectus must be no later than 12 months after the "
            "date of the Prospectus.")  # fmt: skip
    obligations = extract(Chunk("c1", "d1", 0, rule, ref="FUNDS 9.4.1"), {"kind": "rules"})
    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]

    def status(text: str) -> tuple[str, str]:
        clause = Clause("18", None, text, "k1")
        (f,), _ = pc.check([clause], obligations)
        return f.status, f.reason

    late = status("18 The expiry date of each Prospectus is 24 months after the date of the "
                  "Prospectus.")  # fmt: skip
    assert late[0] == "conflicting" and "later than the rule allows" in late[1], late
    ok = status("18 The expiry date of each Prospectus is 6 months after the date of the "
                "Prospectus.")  # fmt: skip
    assert ok[0] != "conflicting", ok
    bare = status("18 The expiry date of each Prospectus is reviewed by a team of 24 months' "
                  "experience.")  # fmt: skip
    assert bare[0] != "conflicting", bare


def test_findings_are_listed_in_rule_number_order_not_text_order() -> None:
    """A consultant's trial on the real COBS (twenty-ninth session): within a status the report
    listed COB 10.x before 14.x before 2.x, sorting rule numbers as text."""
    from types import SimpleNamespace

    from assistant.policy.report import _rows, ref_order

    refs = ["COB 14.11.9", "COB 2.1", "COB 10.1", "COB 15.11A.5", "COB 15.11.1", "COB 15.2"]
    report = SimpleNamespace(findings=[SimpleNamespace(to_dict=lambda r=r: {"status": "missing", "ref": r})
                                       for r in refs])  # fmt: skip
    assert [r["ref"] for r in _rows(report)] == [  # type: ignore[arg-type]
        "COB 2.1", "COB 10.1", "COB 14.11.9", "COB 15.2", "COB 15.11.1", "COB 15.11A.5"]  # fmt: skip
    assert ref_order("AML 6.1.1") < ref_order("AML 6.1.1(a)") < ref_order("AML 6.1.2")


def test_a_period_from_another_event_and_a_place_of_another_person_are_no_conflict() -> None:
    """A founder's browser trial (thirty-first session) on the digest: records "kept for five
    years after the business relationship ends" conflicted with the AML Return's "within 2
    months after the end of its financial year"; and "Retail clients resident in Kazakhstan"
    took the MLRO residence rule from "The MLRO lives and works in Dubai", so the Dubai conflict
    was missed."""
    from assistant.policy.obligations import extract
    from ingest.model import Chunk

    pc = PolicyChecker(SameTopic())  # type: ignore[arg-type]
    ret = extract(Chunk("c1", "d1", 0, "13.7 A Relevant Person must file the annual AFSA AML "
                        "Return within 2 months after the end of its financial year.", ref="AML 13.7"),
                  {"kind": "rules"})  # fmt: skip
    records = Clause("3", None, "3. CDD and transaction records are kept for five years after "
                     "the business relationship ends.", "k3")  # fmt: skip
    (f,), _ = pc.check([records], ret)
    assert f.status != "conflicting", f.reason
    late = Clause("3", None, "3. We file the annual AML Return within 4 months after the end of "
                  "our financial year.", "k3")  # fmt: skip
    (f,), _ = pc.check([late], ret)
    assert f.status == "conflicting", f.reason
    mlro = extract(Chunk("c2", "d1", 0, "13.1.3 The MLRO must be resident in the Republic of "
                         "Kazakhstan.", ref="AML 13.1.3"), {"kind": "rules"})  # fmt: skip
    dubai = Clause("1", None, "1. The Board appoints our Head of Compliance as MLRO. The MLRO "
                   "lives and works in Dubai.", "k1")  # fmt: skip
    retail = Clause("6", None, "6. Retail clients resident in Kazakhstan may deposit up to USD "
                    "5,000 per month.", "k6")  # fmt: skip
    (f,), _ = pc.check([dubai, retail], mlro)
    assert f.status == "conflicting" and "Dubai" in f.reason, f.reason


def test_a_period_from_an_event_is_read_in_its_own_clause() -> None:
    """The words around a period counted from an event are read in the clause it came from, not
    in the first matched clause that holds the same words ("4 months" of a training clause), as
    a read-through found (thirty-first session)."""
    from assistant.language.quantities import parse
    from assistant.policy.checker import _counted_from_event

    training = Clause("2", None, "2. Staff training on the AML Return takes 4 months.", "k2")
    records = Clause(
        "3", None, "3. Records are kept for 4 months after the relationship ends.", "k3"
    )
    found, text = _counted_from_event([parse(training.text), parse(records.text)],
                                      [training, records])  # fmt: skip
    assert [q.text for q in found] == ["4 months"] and text == records.text
    assert _counted_from_event([parse(training.text)], [training]) == ([], "")
