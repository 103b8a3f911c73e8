from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.settings import ChunkingSettings
from evals.pdf_render import rulebook_pdf
from ingest.chunker import chunk_document
from ingest.loaders import load
from ingest.model import Document, Line

CFG = ChunkingSettings()


def by_ref(chunks):  # type: ignore[no-untyped-def]
    out: dict = {}
    for c in chunks:
        out.setdefault(c.ref, []).append(c)
    return out


def test_rulebook_pdf_chunks_carry_refs_flags_and_pages(tmp_path: Path) -> None:
    doc = load(rulebook_pdf(tmp_path / "aml.pdf"))
    chunks = chunk_document(doc, CFG)
    refs = by_ref(chunks)
    assert list(refs) == ["AML 6.1.1", "AML 6.1.2", "AML 6.1.3", "AML 11-1.1", "AML 13.1.3"]
    rule, guidance = refs["AML 6.1.1"]
    assert (
        not rule.is_guidance
        and "(a-a) for an occasional transaction in Digital Assets" in rule.text
    )
    assert guidance.is_guidance and "linked transactions" in guidance.text
    assert refs["AML 6.1.2"][0].repealed and not rule.repealed
    spanning, second = refs["AML 6.1.3"]  # one chunk per numbered paragraph
    assert spanning.pages == (1, 2) and spanning.page_labels == ("AML-1", "AML-2")
    assert "relationship with the customer" in spanning.text
    assert second.pages == (2,) and second.text.startswith("(2) Verification")
    assert guidance.heading_path == ("Guidance",) and rule.heading_path == ()
    assert refs["AML 11-1.1"][0].heading_path == ()  # the ref places it; no chapter prefix
    assert refs["AML 13.1.3"][0].pages == (2,)
    for c in chunks:
        assert c.text in doc.text and "Page 1 of 2" not in c.text


def test_long_rule_splits_at_paragraphs_and_every_piece_keeps_its_ref() -> None:
    paras = [
        f"({i}) " + "A Relevant Person must keep records of the matter. " * 6 for i in range(1, 9)
    ]
    text = "## AML 14.5.1 Record keeping\n\n" + "\n".join(paras)
    doc = _doc(text, markdown=True)
    chunks = chunk_document(doc, ChunkingSettings(max_chars=700))
    assert len(chunks) > 2
    assert all(c.ref == "AML 14.5.1" and len(c.text) <= 700 for c in chunks)
    assert all(c.text.lstrip("# ").startswith(("(", "AML")) for c in chunks)  # paragraph boundaries


def test_markdown_guidance_heading_attaches_to_rule_and_prose_is_not_a_heading() -> None:
    text = ("# Digest\n\n## COB 8.2.1 Client Money\n\nCOB 8.2 contains the Client Money Rules.\n\n"
            "### Guidance\n\nFirms should reconcile.\n\n## COB 17 [intentionally omitted]\n")  # fmt: skip
    chunks = chunk_document(_doc(text, markdown=True), CFG)
    got = [(c.ref, c.is_guidance, c.repealed) for c in chunks]
    assert got == [("COB 8.2.1", False, False), ("COB 8.2.1", True, False), ("COB 17", False, True)]


def test_a_deleted_rules_placeholder_repeals_it_but_not_the_guidance_after_it() -> None:
    """A consultant's trial and three reviews on the real COBS (twenty-seventh session): "15.9.2
    [Deleted]" was a rule in force, listed ADDED beside REPEALED by `changes`; it is repealed as
    "[intentionally omitted]" is. ADGM heads a rule's guidance "3.3.3.Guidance" (its paragraphs
    "3.3.3.Guidance.1 ...") and writes a rule with its first paragraph "3.2.3.(1) ...": the
    guidance was kept as rule text (and called repealed under "3.3.3 [Deleted]"), and a rule
    written so was left in the rule before it. The guidance is its rule's, in force; a rule so
    written opens; a paragraph's guidance ("3.3.2.(3).Guidance") ends at the rule's next
    paragraph ("(4) ..." or "3.3.2.(4) ..."), not at its own numbered paragraphs."""
    text = ("3.3.2.(1) A firm must enter into a Client Agreement.\n3.3.2.(2) It must be in "
            "writing.\n3.3.2.(2).Guidance\n3.3.2.(2).Guidance.1. Email is writing.\n(3) A copy "
            "must be given.\n3.3.3 [Deleted]\n3.3.3.Guidance\n3.3.3.Guidance.1 Chapter 12 sets "
            "out the core information.\n3.3.4.(1) A firm must give 14 days' notice.\n3.3.5 "
            "[Deleted]\n3.3.6 A firm must keep records.\n")  # fmt: skip
    got = [(c.ref, c.is_guidance, c.repealed, c.text.split()[0]) for c in
           chunk_document(_doc(text), CFG)]  # fmt: skip
    assert got == [
        ("AML 3.3.2", False, False, "3.3.2.(1)"),
        ("AML 3.3.2(2)", True, False, "3.3.2.(2).Guidance"),
        ("AML 3.3.2", False, False, "(3)"),
        ("AML 3.3.3", False, True, "3.3.3"),
        ("AML 3.3.3", True, False, "3.3.3.Guidance"),
        ("AML 3.3.4", False, False, "3.3.4.(1)"),
        ("AML 3.3.5", False, True, "3.3.5"),
        ("AML 3.3.6", False, False, "3.3.6"),
    ], got
    # (a fourth review) a paragraph's guidance ends for good where a rule opens: a later rule's
    # "(c) ..." went back to it ("COBS 7.7.4 (d)" was cited as 7.3.1)
    later = ("3.2.4.(b) A firm must keep a copy.\n3.2.4.(b).Guidance\n3.2.4.(b).Guidance.1 It "
             "includes any invitation.\n3.2.6 A firm must ensure that it:\n(a) is fair;\n(b) is "
             "clear;\n(c) contains at least 5 years of data.\n")  # fmt: skip
    refs = [(c.ref, c.text.split()[0]) for c in chunk_document(_doc(later), CFG)]
    assert refs[-1] == ("AML 3.2.6", "3.2.6") and not any(t == "(c)" for _, t in refs), refs


def test_a_rules_next_item_after_a_guidance_set_inside_its_list_is_the_rules_again() -> None:
    """A listed mining company's disclosure officer's trial on ADGM's MKT (thirty-fifth session):
    11.6.1 sets a "Guidance" block after its item (a) and goes on "(b) criteria used for
    classification ..." to (g), then (2); 7.5.1 sets "7.5.1.Guidance" between (b) and "(c)
    where it is in the interests of:". Every item after the guidance was cited as guidance. The
    rule's next item (the one after its last item or paragraph of that kind) is the rule's
    again; a guidance's own list stays the guidance's."""
    text = ("11.6.1 A Mining Reporting Entity disclosing Ore Reserves must include:\n"
            "(1) a fair and balanced summary of the report in (2), including:\n"
            "(a) material assumptions and the outcomes from the Technical Study;\n"
            "Guidance\nIf the economic assumptions are sensitive, the methodology may be given.\n"
            "(b) criteria used for classification;\n(c) mining method selected; and\n"
            "(2) a report providing all information that is material, taking into account:\n"
            "(a) sampling techniques and data;\n(b) estimation of Ore Reserves; or\n"
            "Guidance\nEntities should refer to the Mining Reporting Standard.\n"
            "(3) if information from (2) is not included, a statement saying so.\n"
            "11.7.1.(1) The Regulator may issue a Direction Notice in the following circumstances:\n"
            "(a) where a Reporting Entity fails to Disclose any information;\n"
            "(b) to correct or prevent a false market;\n11.7.1.Guidance\n"
            "The Regulator would consider that there is a false market where:\n"
            "(i) information has not been Disclosed; and\n(ii) there is a rumour;\n"
            "(c) where it is in the interests of investors.\n"
            "11.8.1 A firm must act with integrity.\nGuidance\nA firm should consider the "
            "following:\n(a) its size;\n(b) its risks.\n")  # fmt: skip
    chunks = chunk_document(_doc(text), SMALL)
    got = [(c.ref, c.is_guidance, c.text.split("\n")[0][:14]) for c in chunks]
    assert [(r, g) for r, g, t in got if t.startswith(("(b) criteria", "(3) if", "(c) where"))] == [
        ("AML 11.6.1", False),
        ("AML 11.6.1", False),
        ("AML 11.7.1", False),
    ], got
    guidance = " ".join(c.text for c in chunks if c.is_guidance)
    assert "methodology may be given" in guidance and "Mining Reporting Standard" in guidance
    assert "(ii) there is a rumour" in guidance and "(b) its risks" in guidance, guidance
    assert "criteria used" not in guidance and "interests of investors" not in guidance


def test_a_rule_whose_whole_text_is_deleted_is_repealed() -> None:
    """A lawyer's trial on ADGM's FSMR (thirty-fifth session): "Part 19.Chapter 1.228. Deleted"
    (MIR writes "2.8.9 Deleted.") was a section in force, and "FSMR s.228" was answered from two
    other sections. A rule whose text is the word alone is repealed; a rule that says something
    was deleted is not."""
    text = ("2.8.8 A firm must keep records.\n2.8.9 Deleted.\n2.8.10 Repealed\n2.8.11 Records "
            "deleted by a firm must be restored.\n")  # fmt: skip
    got = {c.ref: c.repealed for c in chunk_document(_doc(text), CFG)}
    assert got == {"AML 2.8.8": False, "AML 2.8.9": True, "AML 2.8.10": True,
                   "AML 2.8.11": False}, got  # fmt: skip
    # (a review) a paragraph deleted is no rule repealed, nor a title ending with the word; and
    # a long line is read quickly
    for text in ("2.4.1 Client records\n(1) Deleted.\n(2) A firm must keep records.\n",
                 "2.4.1.(1) Deleted\n2.4.1.(2) A firm must keep records.\n",
                 "2.4.1 Records under Rule 3.2 repealed\nA firm must keep them.\n"):  # fmt: skip
        assert not any(c.repealed for c in chunk_document(_doc(text), CFG)), text
    from ingest.chunker import _omitted

    assert not _omitted("1" * 32000) and not _omitted("A" + "a1" * 8000)
    # (a second review) the numbers rulebooks write: an appendix's, a Schedule's Part's, "Rule"
    for line in ("APP4.A4.1.3 Deleted.", "A2.1.3 Deleted", "Schedule 1.Part 2.Chapter 17B.73E. Deleted",
                 "Part 19. Chapter 1. 228. Deleted", "Rule 2.8.9 Deleted", "Section 228 Repealed"):  # fmt: skip
        assert _omitted(line), line


def test_a_glossary_table_after_a_rules_guidance_is_the_rules_not_the_guidance() -> None:
    """ADGM's glossary (thirty-second session's closing note): rule 1.2.1 ("a word or phrase
    which is defined in GLO ... has the meaning given in GLO"), its numbered guidance, then the
    table of defined terms; every definition was cited "GLO 1.2.1 (Guidance)". A table headed
    "Defined Terms | Definitions" ends the guidance; any other table after it stays guidance
    (PRU's "two tables are provided" are its guidance's)."""
    head = ("1.2.1 In the Rulebooks a defined term has the meaning given in GLO.\n1.2.1.Guidance"
            "\n1.2.1.Guidance.1. Defined terms are capitalised.\n")  # fmt: skip
    glossary = head + "Defined Terms | Definitions\nClient | Means a Person.\n"
    got = [(c.ref, c.is_guidance, c.text.split("\n")[0][:13]) for c in
           chunk_document(_doc(glossary), CFG)]  # fmt: skip
    assert got == [
        ("AML 1.2.1", False, "1.2.1 In the "),
        ("AML 1.2.1", True, "1.2.1.Guidanc"),
        ("AML 1.2.1", False, "Defined Terms"),
    ], got
    other = head + "Activity | Capital\nDealing | USD 10,000\n"
    assert all(c.is_guidance for c in chunk_document(_doc(other), CFG)[1:])
    # (a review) a glossary of the guidance itself, the guidance going on after it, stays guidance
    own = head + ("Term | Meaning\nFund | A collective scheme.\n1.2.1.Guidance.2. The terms "
                  "above are used in this Guidance, although this is not a Rule.\n")  # fmt: skip
    assert all(c.is_guidance for c in chunk_document(_doc(own), CFG)[1:])


def test_a_guidance_with_a_title_on_the_rules_line_or_a_chapters_is_guidance() -> None:
    """An MLRO's trial on ADGM's AML (thirty-fourth session): guidance headed with a title
    ("8.3.6.Guidance on Politically Exposed Persons (PEPs) and corruption", its paragraphs
    "... corruption.1. ..."), written on the rule's own line as one paragraph ("8.4.1.Guidance
    When considering ...", GEN's and COBS's), or a chapter's ("2.Guidance.1. ...") was kept as
    the rule's text: PEP guidance was cited as "AML 8.3.6", the rule on a foundation's
    Beneficial Owners; and a paragraph's label, cut from its text, led an answer."""
    text = ("2 OVERVIEW\n2.Guidance\n2.Guidance.1. The Rulebook applies to every firm.\n"
            "8.3.6 A Relevant Person must identify the founder of a foundation.\n"
            "8.3.6.Guidance on Politically Exposed Persons (PEPs) and corruption\n"
            "8.3.6.Guidance on Politically Exposed Persons (PEPs) and corruption.1. A PEP may "
            "pose a higher risk.\n"
            "8.4.1 A firm must submit a request in writing.\n8.4.1.Guidance When considering a "
            "request, the Regulator takes the GPM into account.\n8.4.1.Guidance The GPM is "
            "published.\n8.4.2 A firm must notify the Regulator.\n")  # fmt: skip
    got = [(c.ref, c.is_guidance, c.heading_path, c.text.split("\n")[0][:14]) for c in
           chunk_document(_doc(text), CFG)]  # fmt: skip
    assert got == [
        # (a review) the chapter's title above its guidance is the guidance's, not lost
        ("AML 2", True, ("Guidance",), "2 OVERVIEW"),
        ("AML 8.3.6", False, (), "8.3.6 A Releva"),
        (
            "AML 8.3.6",
            True,
            ("Guidance on Politically Exposed Persons (PEPs) and corruption",),
            "8.3.6.Guidance",
        ),
        ("AML 8.4.1", False, (), "8.4.1 A firm m"),
        ("AML 8.4.1", True, ("Guidance",), "8.4.1.Guidance"),
        ("AML 8.4.2", False, (), "8.4.2 A firm m"),
    ], got
    # (a review) a paragraph's one-line guidance after another paragraph's is its own
    two = ("3.3.2 A firm must do X.\n3.3.2.(3) It must do Y.\n3.3.2.(3).Guidance The Regulator "
           "expects Y.\n3.3.2.(4).Guidance The Regulator expects Z.\n3.3.3 A firm must do W.\n")  # fmt: skip
    refs = [(c.ref, c.is_guidance) for c in chunk_document(_doc(two), CFG)]
    assert ("AML 3.3.2(3)", True) in refs and ("AML 3.3.2(4)", True) in refs, refs
    # (a review) a guidance's one sentence opening "Guidance on ..." is no title
    said = ("6.6.1 A firm must appoint an auditor.\n6.6.1.Guidance Guidance on the form of the "
            "auditor's report is given in the GPM.\n")  # fmt: skip
    chunks = chunk_document(_doc(said), CFG)
    assert [(c.ref, c.is_guidance, c.heading_path) for c in chunks] == [
        ("AML 6.6.1", False, ()),
        ("AML 6.6.1", True, ("Guidance",)),
    ], chunks
    from ingest.chunker import GUIDANCE_LABEL

    assert GUIDANCE_LABEL.fullmatch(chunks[1].text.strip()) is None
    from assistant.language.text import sentence_spans

    para = ("8.3.6.Guidance on Politically Exposed Persons (PEPs) and corruption.4. The risk "
            "increases. Corruption is a crime.")  # fmt: skip
    assert next(para[a:b] for a, b in sentence_spans(para)).endswith("The risk increases.")


def test_a_long_section_is_cut_at_its_numbered_paragraphs_items_and_table_rows() -> None:
    """A fund manager's trial on ADGM's IFR (thirty-third session): a rule's guidance of thirteen
    paragraphs, each on its line ("5.4.7.(d).Guidance.(xi) Off-balance ..."), was cut inside a
    sentence ("... based on Murabaha, where the" / "underlying goods ... should attract a 20%
    CCF"), and its table inside a row ("... for inclusion" / "in the Trading Book) | CRW of
    400%"): no sentence end was seen before a digit or inside a row. A long section is cut at a
    paragraph's, an item's ("c) ...", "k. ...", "iii. ...") or a row's first line."""
    filler = "The exposure should be measured at the amount invested less any provisions. " * 3
    paras = "".join(f"5.4.7.(d).Guidance.({n}) {filler}\n" for n in ("i", "ii", "iii", "iv"))
    rows = "".join(f"Contract {n} | Where the investment is in the Trading Book or not | CRW of "
                   f"{n}00% on the exposure\n" for n in range(1, 9))  # fmt: skip
    items = "".join(f"{x} the firm should review {filler}\n" for x in ("a)", "b)", "k.", "iii."))
    text = "5.4.7 Exposures\n5.4.7.(d).Guidance\n" + paras + rows + items
    chunks = chunk_document(_doc(text), CFG)
    assert len(chunks) > 3
    for c in chunks:
        assert c.text in text and len(c.text) <= CFG.max_chars
        first = c.text.split("\n")[0]
        assert first.startswith(("5.4.7", "Contract", "a)", "b)", "k.", "iii.")), first
        assert c.text.endswith(("provisions.", "exposure", "Exposures")), c.text[-40:]
    # (a review) a wrapped line opening with a letter and a stop ("Smith / v. Jones") or a
    # number is no item where the line before it did not close
    from ingest.chunker import _paragraphs

    wrapped = "a decision of a court (such as Smith\nv. Jones) that may apply, under\ns. 7 of it."
    lines, pos = [], 0
    for raw in wrapped.split("\n"):
        lines.append(Line(pos, pos + len(raw)))
        pos += len(raw) + 1
    assert _paragraphs(wrapped, lines) == [(0, len(wrapped))]


def test_a_lists_stem_goes_to_the_next_chunk_with_its_first_item() -> None:
    """A bank's recovery officer's trial on ADGM's BRR (thirty-fourth session): s.49(7), "The
    Regulator shall not exercise the Write Down or Conversion Power in relation to the following
    liabilities ...—", ended a chunk, and its items "(a) secured liabilities ..." began the next:
    the answer quoted the stem without one item, and the item's chunk did not say what it was an
    item of. Its subsections (2) to (7), each on a line after the Part and section numbers, were
    one paragraph. A stem that cannot share the chunk before with its first item goes with it."""
    filler = "The Regulator may apply the Bail-in Tool while respecting the Institution's form. "
    stem = "Part 6.Chapter 2.49.(7) The Regulator shall not exercise the power over the following—"
    items = ["(a) secured liabilities, including liabilities in the form of covered bonds;",
             "(b) any liability that arises by virtue of the holding of Client Assets;",
             "(c) liabilities to payment and securities settlement systems."]  # fmt: skip
    lines = ["Part 6.Chapter 2.49. Application of Bail-in Tool",
             *(f"Part 6.Chapter 2.49.({n}) {filler * 2}" for n in range(1, 7)), stem, *items,
             f"Part 6.Chapter 2.49.(8) {filler}"]  # fmt: skip
    text = "\n".join(lines)
    doc = Document("d1", "Recovery and Resolution Regulations", "t.txt", "rules", "BRR", None,
                   "h", "text", text=text, lines=_doc(text).lines)  # fmt: skip
    chunks = chunk_document(doc, CFG)
    assert all(c.text in text and len(c.text) <= CFG.max_chars for c in chunks)
    with_stem = next(c for c in chunks if stem in c.text)
    assert items[0] in with_stem.text
    # each subsection's line opens a paragraph: a chunk begins at one, never inside one
    assert all(c.text.startswith(("Part 6.Chapter 2.49.", "(")) for c in chunks)
    from ingest.chunker import _paragraphs, _pieces

    starts = {" ".join(text[a:b].split(" ")[:3]) for a, b in _paragraphs(text, doc.lines)}
    assert {f"Part 6.Chapter 2.49.({n})" for n in range(2, 9)} <= starts
    # where the stem and its first item cannot share the chunk before, the stem leads the next
    short = ChunkingSettings(max_chars=260, min_chars=20)
    para = "(1) " + "The firm must keep records of each transaction for six years. " * 2
    text = f"{para}\n(2) The firm must keep the following records:\n(a) {'x ' * 60};\n(b) y."
    pieces = [text[a:b] for a, b in _pieces(text, _doc(text).lines, short)]
    assert pieces[0] == para.rstrip() and pieces[1].startswith(
        "(2) The firm must keep the following"
    )
    assert "(a) x" in pieces[1]
    # not where the chunk before would be left a fragment
    text = f"(1) Short.\n(2) The firm must keep the following records:\n(a) {'x ' * 110};"
    pieces = [text[a:b] for a, b in _pieces(text, _doc(text).lines, short)]
    assert pieces[0].startswith("(1) Short.\n(2) The firm must keep the following records:")


def test_the_next_rule_opening_in_lower_case_after_a_finished_one_opens() -> None:
    """A regulatory lawyer's trial on ADGM's GPM (thirty-third session): "8.8.3 persons subject to
    enforcement action may be prepared to agree ..." (the source's own lower case) was read as
    part of 8.8.2 and cited "GPM 8.8.2". The next rule in sequence after a finished sentence,
    eight words or more, opens; a wrapped reference ("under Rule / 6.6.5 as relevant;") does
    not."""
    text = ("8.8.2 For the avoidance of doubt, merely fulfilling legal obligations is no "
            "cooperation.\n8.8.3 persons subject to enforcement action may be prepared to agree "
            "on the amount of any financial penalty.\n8.8.4 In appropriate cases, we may "
            "negotiate.\n")  # fmt: skip
    assert [c.ref for c in chunk_document(_doc(text), CFG)] == [
        "AML 8.8.2",
        "AML 8.8.3",
        "AML 8.8.4",
    ]
    wrapped = ("6.6.4 A firm must keep the records required under Rule\n6.6.5 as relevant;\n6.6.6 "
               "A firm must review them.\n")  # fmt: skip
    assert [c.ref for c in chunk_document(_doc(wrapped), CFG)] == ["AML 6.6.4", "AML 6.6.6"]


def test_a_short_sentence_of_an_appendix_is_kept() -> None:
    """An in-house counsel's trial on ADGM's FP (thirty-third session): "APP 1.4. The Prospectus
    is available in English." was lost at ingest (a short line, read as a bare title), and "What
    language must the prospectus be in?" got the table after it. A short sentence is kept; a
    bare title line is not."""
    text = ("1.1.1 These Rules apply to every Fund Manager of a Passported Fund in ADGM.\n"
            "APP 1\tPASSPORTED PUBLIC FUND MINIMUM CRITERIA\nAPP 1.1.\tThe incorporation "
            "formalities of the Public Fund are completed.\nAPP 1.4.\tThe Prospectus is "
            "available in English.\nAPP 1.5.\tThe Prospectus contains, at a minimum, the "
            "information prescribed in the following table.\n")  # fmt: skip
    got = " ".join(c.text for c in chunk_document(_plain(text), CFG))
    assert "The Prospectus is available in English." in got, got


def _last_three(text: str, width: int) -> list[tuple[str | None, bool, str]]:
    """The last three chunks of ``text``: ref, guidance flag and the first ``width`` characters."""
    got = [(c.ref, c.is_guidance, c.text.split("\n")[0][:width]) for c in
           chunk_document(_doc(text), CFG)]  # fmt: skip
    return got[-3:]


def test_a_part_number_written_before_each_rule_number_is_no_part_of_it() -> None:
    """A consultant's trial on the real FUNDS rulebook as text (twenty-eighth session): its
    export writes Part 5's number before each number in it ("PART 5.12.10.1.(2) A Fund Manager
    must ..."), and every rule of the Part was cited "FUNDS 5" (20 refs for 747 obligations;
    `search "FUNDS 12.10.1"`: not in the index). Read without the Part's number, and only where
    three lines or more write it so: a "PART 3" heading alone is a Part."""
    text = ("PART 5.FUND_MANAGERS\nPART 5.12.\tOPERATORS\nPART 5.12.10\tRecords\nPART "
            "5.12.10.1.(1) A Fund Manager must keep records.\nPART 5.12.10.1.(2) A Fund Manager "
            "must retain for six years a record of the Units.\nPART 5.12.10.1.Guidance\nPART "
            "5.12.10.1.Guidance.1 The records may be electronic.\nPART 5.12.10.2 A Fund Manager "
            "must make the record available.\n")  # fmt: skip
    got = _last_three(text, 20)
    assert got == [
        ("AML 12.10.1", False, "PART 5.12.10.1.(1) A"),
        ("AML 12.10.1", True, "PART 5.12.10.1.Guida"),
        ("AML 12.10.2", False, "PART 5.12.10.2 A Fun"),
    ], got
    assert all(c.text in text for c in chunk_document(_doc(text), CFG))  # verbatim
    # (a review) a chapter's letter, a direction mark after the Part's number, a chapter heading
    # without a dot and the export's title joined by underscores are read too
    more = text + ("PART 5.13A\tPRIVATE CREDIT FUNDS\nPART 5.13A.4.1 The Fund Manager must limit "
                   "borrowing to 100%.\nPART 5.13A.4.1.Guidance\nPART 5.\u200e13A.4.1.Guidance.1 Borrowing includes "
                   "leverage.\nPART 4.8\tREGULATOR NOTIFICATION\nPART 4.8.1.Regulator_Notification."
                   "(1) An Authorised Person must notify the Regulator within 30 days.\n")  # fmt: skip
    got = _last_three(more, 14)
    assert got == [
        ("AML 13A.4.1", False, "PART 5.13A.4.1"),
        ("AML 13A.4.1", True, "PART 5.13A.4.1"),
        ("AML 8.1", False, "PART 4.8.1.Reg"),
    ], got
    # a title of one word ("PART 4.9.1.1.Application.(1) ...": FUNDS 9.1.1 was cited "FUNDS
    # 9.1" as guidance, a search trial, thirty-sixth session), and a joined title's guidance
    # ("...Rejection_of_an_application.Guidance.1": cited as the rule's text)
    titled = ("PART 4.9.\tPROSPECTUS\nPART 4.9.1\tProspectus disclosure\nPART 4.9.1.1.Application\nPART 4.9.1.1."
                     "Application.(1) This Chapter applies to a Fund Manager of a Domestic Fund.\n"
                     "PART 4.9.1.1.Application.Guidance\nPART 4.9.1.1.Application.Guidance.1 A "
                     "Foreign Fund Manager must also comply.\nPART 4.9.1.2 The Prospectus must "
                     "be in English.\n")  # fmt: skip
    got = _last_three(titled, 20)
    assert got == [
        ("AML 9.1.1", False, "PART 4.9.1.1.Applica"),
        ("AML 9.1.1", True, "PART 4.9.1.1.Applica"),
        ("AML 9.1.2", False, "PART 4.9.1.2 The Pro"),
    ], got
    # two lines so written are no export's numbering: "PART 3.2.1.1" is left as written
    few = "PART 3\nPART 3.2.1.1 A firm must keep records.\n3.2.2 A firm must report.\n"
    assert [c.ref for c in chunk_document(_doc(few), CFG)][-1] == "AML 3.2.2"


def test_numbered_policy_clauses_in_markdown_emphasis_are_clauses() -> None:
    """A browser trial (twenty-seventh session): a draft whose clauses open with a bold title
    ("1. **Record keeping.** We keep ...") was read as one clause, the draft's title, and every
    finding quoted clauses 1 to 5 at once."""
    text = ("# Policy\n\n1. **Money Laundering Reporting Officer.** The Board appoints an MLRO "
            "who reports directly to the Board at least annually.\n2. **Record keeping.** We keep "
            "identification documents and transaction records for five years.\n3. *Training.* "
            "All staff complete AML training when they join and every year thereafter.\n")  # fmt: skip
    chunks = chunk_document(_doc(text, markdown=True, kind="policy"), CFG)
    assert [c.ref for c in chunks] == ["Clause 1", "Clause 2", "Clause 3"], [c.ref for c in chunks]


def test_policy_is_chunked_by_its_own_clauses() -> None:
    text = "# Policy\n\n## 7. Record keeping\n\n7.1 Records are kept.\n\n7.2 Records are kept for five years.\n"
    chunks = chunk_document(_doc(text, markdown=True, kind="policy"), CFG)
    assert [c.ref for c in chunks] == ["Clause 7.1", "Clause 7.2"]
    assert chunks[1].heading_path[-1] == "7. Record keeping"


def test_a_pdf_drafts_section_headings_end_the_clause_before_them() -> None:
    """A consultant's trial, 2026-12-05: a PDF draft (no blank lines, no Markdown headings) had
    "8. Records" glued to clause 7.3, and a table under "10. Table of responsibilities" to clause
    9.2, because clause 2.2's "having regard to:" list never ended; a section heading after a
    lettered list ("(a) ... (c)") was read as an item of it."""
    text = ("2. Governance\n2.1 The Board owns this Policy.\n2.2 Risk is assessed having regard to:\n"
            "(a) the client base; and\n(b) the Tokens held.\n2.3 Every assessment is kept.\n"
            "3. Reporting officer\n3.1 The MLRO is appointed.\n3.2 On receipt of a disclosure the MLRO:\n"
            "(a) looks into it; and\n(b) files a report.\n4. Records\n4.1 Files are kept.\n"
            "5. Table of responsibilities\nActivity\nResponsible\n")  # fmt: skip
    chunks = chunk_document(_doc(text, kind="policy"), CFG)
    got = {c.ref: c.text for c in chunks}
    assert [c.ref for c in chunks] == ["Clause 2", "Clause 2.1", "Clause 2.2", "Clause 2.3", "Clause 3", "Clause 3.1",
            "Clause 3.2", "Clause 4", "Clause 4.1", "Clause 5"]  # fmt: skip
    assert got["Clause 2.3"].strip() == "2.3 Every assessment is kept.", got
    assert "(b) files a report." in got["Clause 3.2"] and "Records" not in got["Clause 3.2"]
    # a list numbered "1." "2." after its colon keeps its numbered items
    listed = "3.2 The Firm must:\n1. Identify the customer.\n2. Verify it.\n3.3 The Firm keeps records.\n"
    refs = [c.ref for c in chunk_document(_doc(listed, kind="policy"), CFG)]
    assert refs == ["Clause 3.2", "Clause 3.3"], refs


def test_policy_clauses_numbered_across_headings_are_each_a_clause() -> None:
    """A consultant's trial (eighteenth session): numbered paragraphs 8 to 25 under "## Part B"
    ... "## Part F" were read as five clauses, one per Part (the numbering was expected to
    restart after a heading); in a Word draft (no blank line after a heading) no clause was split
    out at all; under "## Section 2 ..." headings clause 18 was reported as "clause 5"."""
    body = {"A": (1, 2, 3), "B": (4, 5), "C": (6, 7)}
    md = "# Policy\n\n" + "".join(
        f"## Part {p} Topic\n\n" + "".join(f"{n}. The firm keeps record {n}.\n\n" for n in ns)
        for p, ns in body.items())  # fmt: skip
    want = [f"Clause {n}" for n in range(1, 8)]
    assert [c.ref for c in chunk_document(_doc(md, markdown=True, kind="policy"), CFG)] == want
    docx_like = md.replace("\n\n", "\n")  # a DOCX's paragraphs: no blank lines
    chunks = chunk_document(_doc(docx_like, markdown=True, kind="policy"), CFG)
    assert [c.ref for c in chunks] == want
    assert chunks[4].heading_path[-1] == "Part B Topic"
    sections = md.replace("## Part A", "## Section 1").replace("## Part B", "## Section 2").replace(
        "## Part C", "## Section 3")  # fmt: skip
    assert [
        c.ref for c in chunk_document(_doc(sections, markdown=True, kind="policy"), CFG)
    ] == want
    # a review: a list of items inside one clause is no run across headings (its items had become
    # clauses 1, 2, 3), and a numbered section heading is no second "Clause 1"
    listed = ("# Policy\n\n## Customer due diligence\n\n3.1 The Firm applies CDD to every customer.\n\n"
              "3.2 Before establishing a business relationship, the Firm must:\n\n"
              "1. Identify the customer.\n\n2. Identify the beneficial owner.\n\n"
              "3. Understand the purpose of the relationship.\n\n3.3 The Firm keeps CDD records.\n")  # fmt: skip
    refs = [c.ref for c in chunk_document(_doc(listed, markdown=True, kind="policy"), CFG)]
    assert refs == ["Clause 3.1", "Clause 3.2", "Clause 3.3"]
    numbered = ("# Policy\n\n## 1 Governance\n\nThis section sets out how it is governed.\n\n"
                "1. The Board approves this policy.\n\n2. The MLRO reports to the Board.\n\n"
                "## 2 Record keeping\n\nThis section covers records.\n\n3. The Firm keeps records.\n\n"
                "4. The Firm stores records in Almaty.\n")  # fmt: skip
    refs = [c.ref for c in chunk_document(_doc(numbered, markdown=True, kind="policy"), CFG)]
    assert [r for r in refs if r] == ["Clause 1", "Clause 2", "Clause 3", "Clause 4"], refs
    # numbering that starts again in each section keeps each numbered section whole
    again = "# Policy\n\n## 1 Governance\n\n1. The Board approves it.\n\n2. The MLRO reports.\n\n" \
            "## 2 Records\n\n1. Records are kept.\n\n2. Records are kept for six years.\n"  # fmt: skip
    assert [c.ref for c in chunk_document(_doc(again, markdown=True, kind="policy"), CFG)] == [
        "Clause 1", "Clause 2"]  # fmt: skip


def test_a_schedule_heading_in_plain_text_opens_the_schedule() -> None:
    """A consultant's PDF rulebook (eighteenth session): "DAA Schedule 1 Fees" and "SCHEDULE 1
    FEES" were glued to the last rule before them (schedules are numbered apart from the rules);
    a change report between the PDF and a DOCX of the same text called that rule repealed and
    added again. A sentence that begins "Schedule 1 ..." is still text."""
    for heading in ("AML Schedule 1 Fees", "SCHEDULE 1 FEES"):
        text = ("AML 5.1.1 Reports\nA firm must file the return within 2 months.\n"
                "AML 5.1.2 Notices\nA firm must notify the AFSA of an incident.\n"
                f"{heading}\nAn application fee of USD 10,000 is payable.\n")  # fmt: skip
        chunks = chunk_document(_doc(text), CFG)
        assert [c.ref for c in chunks] == ["AML 5.1.1", "AML 5.1.2", "AML Sch 1"], heading
        assert "USD 10,000" not in chunks[1].text
    prose = ("AML 5.1.1 Reports\nA firm must file the return within 2 months.\n"
             "Schedule 1 sets out the fees.\nAML 5.1.2 Notices\nA firm must notify the AFSA.\n")  # fmt: skip
    assert [c.ref for c in chunk_document(_doc(prose), CFG)] == ["AML 5.1.1", "AML 5.1.2"]


STATUTE = """FINANCIAL SERVICES FRAMEWORK REGULATIONS
PART 1
THE REGULATOR
CHAPTER 1
Powers, Functions and Objectives
1.  Powers, Functions and Objectives of the Regulator
(1) The Regulator has such functions and powers as are conferred on it.
(2) The Regulator may do whatever it considers necessary.
2.  The Chief Executive
(1) The Board shall appoint the head of the management of the Regulator.
PART 2
RULES AND GUIDANCE
3.  General rule making power of the Regulator
(1) The Regulator may make Rules for carrying out the purposes of these Regulations.
4.  Specific rule making powers. Client Money Rules
(1) The Regulator may make Rules relating to the handling of Client Money.
5.  Listing. Discontinuance or Suspension: procedure
The Regulator may suspend a listing.
SCHEDULE 1
REGULATED ACTIVITIES
PART 1
GENERAL
1.  General
For the purposes of this Schedule, a transaction is entered into through a person if he arranges it.
2.  Providing Custody
Safeguarding and administering Investments belonging to another is a Regulated Activity.
"""


def test_a_statutes_sections_are_numbered_across_its_parts() -> None:
    """A tokenisation founder's trial on a statute's PDF (twenty-sixth session): "PART 2" gave
    the text under it the ref "FSFR 2" and made section 14 after "PART 3" out of sequence,
    titles of two parts ("4. Specific rule making powers. Client Money Rules") were no section,
    and a schedule's numbered paragraphs were read as sections 1, 2, ... again. With the
    ADGM statute (``--rulebook FSMR``) no section was read at all."""

    def refs(book: str, title: str) -> list[str | None]:
        doc = Document("d1", title, "t.txt", "rules", book, None, "h", "text",
                       text=STATUTE, lines=_doc(STATUTE).lines)  # fmt: skip
        out: list[str | None] = []
        for c in chunk_document(doc, CFG):
            if c.ref not in out:
                out.append(c.ref)
        return out

    assert refs("FSFR", "Financial Services Framework Regulations") == [
        None,
        "FSFR s.1",
        "FSFR s.2",
        "FSFR s.3",
        "FSFR s.4",
        "FSFR s.5",
        "FSFR Sch 1",
    ]
    # another statute by its title, with the rulebook named at ingest
    assert refs("FSMR", "FINANCIAL SERVICES AND MARKETS REGULATIONS 2015") == [
        None,
        "FSMR s.1",
        "FSMR s.2",
        "FSMR s.3",
        "FSMR s.4",
        "FSMR s.5",
        "FSMR Sch 1",
    ]
    # rules are no statute: their "1.  Title" lines are no sections
    assert not any(" s." in (r or "") for r in refs("GEN", "General Rules"))


def test_bundled_corpus_chunks_are_verbatim_and_referenced() -> None:
    root = Path(__file__).resolve().parent.parent / "corpus" / "aifc"
    doc = load(root / "aml.md")
    chunks = chunk_document(doc, CFG)
    refs = {c.ref for c in chunks}
    assert {"AML 6.1.1(a-a)", "AML 11-1.1", "AML 13.1.3", "AML 14.5.1"} <= refs
    assert all(c.text in doc.text for c in chunks)
    guidance = [c for c in chunks if c.is_guidance]
    assert {c.ref for c in guidance} == {"AML 11-1.2", "AML 13.1.3"}
    assert not any(c.repealed for c in chunks)


def _doc(text: str, *, markdown: bool = False, kind: str = "rules") -> Document:
    lines, pos = [], 0
    for raw in text.split("\n"):
        level = len(raw) - len(raw.lstrip("#")) if markdown and raw.startswith("#") else 0
        lines.append(Line(pos, pos + len(raw), None, None, level))
        pos += len(raw) + 1
    return Document(
        "d1", "T", "t.md", kind, "AML", None, "h", "markdown", text=text, lines=tuple(lines)
    )


_line = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=120),
    st.sampled_from(["6.1.1 Rule title", "Guidance", "(1) para", "## AML 2.1 X", "CHAPTER 3 THINGS",
                     "6.1.2 [intentionally omitted]", "", "- bullet"]),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_line, max_size=40), st.sampled_from(["rules", "policy"]), st.booleans())
def test_chunker_never_crashes_and_chunks_are_substrings(
    lines: list[str], kind: str, md: bool
) -> None:
    text = "\n".join(lines)
    doc = _doc(text, markdown=md, kind=kind)
    for c in chunk_document(doc, ChunkingSettings(max_chars=200, min_chars=20)):
        assert c.text and c.text in text and len(c.text) <= 200


SMALL = ChunkingSettings(max_chars=200, min_chars=20)


def test_a_short_tail_that_cannot_join_its_neighbour_is_cut_again_so_both_fit() -> None:
    # Found by the property test above: the tail "- 000000" joined a full piece, making 201.
    lines = ["0" * 16, "0" * 16, "", "", "0", "00", "000", "0" * 8, "0" * 10, "0" * 16,
             "0" * 17, "0" * 92, "- 000000"]  # fmt: skip
    text = "\n".join(lines)
    chunks = chunk_document(_doc(text, markdown=False), SMALL)
    assert all(len(c.text) <= 200 and len(c.text) >= 20 and c.text in text for c in chunks)
    assert "- 000000" in chunks[-1].text
    # the cut must not make a fragment of the head either (found in review: a 19-character
    # first chunk when the cut went to the first blank line)
    text = "Scope of Chapter 6.\n\n" + "x " * 85 + "\n\nof USD 15,000."
    chunks = chunk_document(_doc(text, markdown=False), SMALL)
    assert [len(c.text) >= 20 and len(c.text) <= 200 for c in chunks] == [True, True]


def test_a_long_paragraph_leaves_no_fragment_chunk() -> None:
    # One sentence a word over the limit used to end in a one-word chunk or, merged back, one
    # over the limit (18 chunks of the ADGM rulebooks, "risk." among the fragments).
    words = "The firm must assess the money laundering risk of each new product"
    para = f"{words} before launch, and {words} line before it is offered to customers, noting its risk."
    assert 200 < len(para) < 215 and para.count(". ") == 0
    chunks = chunk_document(_doc(para, markdown=False), SMALL)
    assert len(chunks) == 2
    assert all(20 <= len(c.text) <= 200 and c.text in para for c in chunks)


def _plain(text: str, rulebook: str | None = "AML", kind: str = "rules") -> Document:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), 1, "1", 0))
        pos += len(raw) + 1
    return Document(
        "d1", "T", "t.pdf", kind, rulebook, None, "h", "pdf", text=text, lines=tuple(lines)
    )


_FILL = "A Relevant Person must keep the records required by this chapter for six years"


def test_cross_references_wrapped_to_a_line_start_are_not_rule_headings() -> None:
    text = "\n".join([
        "6.1.1 (1) A Relevant Person must undertake Customer Due Diligence under the Rules in",
        "6.1.3 and the Guidance below, for each customer it has a business relationship with.",
        f"(2) {_FILL} and the records listed in Rule",
        "6.1.2(2). The records must be kept in the ADGM or be available there without delay.",
        f"(3) {_FILL}, subject to",
        "6.1.9 as relevant; the Regulator may extend the period for a particular customer.",
        "6.1.2 Records of transactions",
        "A Relevant Person must keep a record of each transaction for six years.",
        "6.1.3 (1) The MLRO must review the records each year, as the Regulator expects of it.",
        "(2) The MLRO must report to the Governing Body on the records kept under Rule 5.1.1.",
        "5.1.1. The report must be kept with the records.",
        "6.1.3A Inserted rules keep their letter",
        "A Relevant Person must notify the Regulator of any change to its records policy.",
    ])  # fmt: skip
    refs = [c.ref for c in chunk_document(_plain(text), CFG)]
    assert list(dict.fromkeys(refs)) == ["AML 6.1.1", "AML 6.1.2", "AML 6.1.3", "AML 6.1.3A"]


def test_numbers_in_a_table_s_cells_open_no_rule() -> None:
    """A CFO's trial on the real PRU rulebook as a PDF (twenty-fifth session): an application
    table's cells ("Whole Chapter, except Rule 9.2.2(3), 9.3.12 and / 9.3.13", "3.2.2" then
    "4.") opened rules, and "PRU 9.3.13" held the next 31 pages of glossary, so that no
    glossary or categorisation rule (1.2.x, 1.3.x) was cited by its number."""
    text = "\n".join([
        "1.1.1",
        "(1) These Rules apply to every Authorised Person with the exceptions in the tables.",
        "Liquidity",
        "Whole",
        "Chapter, except Rule",
        "9.2.2 (3)",
        "Whole",
        "3.2.2",
        "4.",
        "Credit Risk",
        "9.3.12 and",
        "9.3.13",
        "Only Rule",
        "9.3.13",
        "10.",
        "1.2  Glossary",
        "1.2.1",
        "The following terms bear the following meanings for the purpose of these Rules.",
        "1.2.2",
        "[Deleted]",
        "1.2.3",
        "Supplementary terms",
        "Terms not defined here have the meaning given in the Glossary.",
    ])  # fmt: skip
    refs = [c.ref for c in chunk_document(_plain(text, "PRU"), CFG)]
    assert list(dict.fromkeys(refs)) == [
        "PRU 1.1.1",
        "PRU 1.2",
        "PRU 1.2.1",
        "PRU 1.2.2",
        "PRU 1.2.3",
    ]


def test_review_rule_numbers_alone_on_their_line_still_open_their_rules() -> None:
    """A review of the table-cell change: the consolidated text files set a rule as its number
    alone, then the number again with its first paragraph ("8.2.1.(1) For a ..."), which opens
    with a digit; and a rule out of sequence may have a title of one word above its text."""
    text = "\n".join([
        "8.1 Requirement to undertake Customer Due Diligence",
        "8.1.1\t",
        "8.1.1.(1)\tA Relevant Person must undertake Customer Due Diligence for each customer.",
        "8.2.1\t",
        "8.2.1.(1)\tFor a Relevant Person that is an Authorised Person, CDD must come first.",
        "8.2.7",
        "Retention",
        "Records of the CDD undertaken must be kept for six years.",
        "0.70",
        "Whole",
    ])  # fmt: skip
    refs = [c.ref for c in chunk_document(_plain(text, "AML"), CFG)]
    assert list(dict.fromkeys(refs)) == ["AML 8.1", "AML 8.1.1", "AML 8.2.1", "AML 8.2.7"], refs


def test_chapter_guidance_cites_the_chapter_and_headings_that_wrap_stay_headings() -> None:
    text = "\n".join([
        "2. OVERVIEW AND PURPOSE OF THE RULEBOOK",
        "Guidance",
        "1. The Rulebook sets out the requirements imposed by the Regulator on Relevant Persons.",
        "2.1 Imposing Restrictions on an Authorised Person or Recognised Body's business or on",
        "an Authorised Person or Recognised Body's dealing with property held for customers",
        "2.1.1 The Regulator may impose a requirement on an Authorised Person in respect of its",
        "business where it considers that the requirement is needed to protect its customers.",
    ])  # fmt: skip
    chunks = chunk_document(_plain(text), CFG)
    assert [(c.ref, c.is_guidance) for c in chunks] == [
        ("AML 2", True), ("AML 2.1", False), ("AML 2.1.1", False),
    ]  # fmt: skip


def test_guidance_note_without_rule_numbers_cites_numbered_paragraphs() -> None:
    text = "\n".join([
        "INTRODUCTION",
        "1. This Guidance applies to an Applicant for a Financial Services Permission and to an",
        "Authorised Person conducting a Regulated Activity in relation to Virtual Assets.",
        "2. This Guidance is not an exhaustive source of the FSRA's policy. It lists the steps in",
        "paragraph",
        "1. of the Annex, which an Authorised Person follows:",
        "1. Record each transfer;",
        "3. The FSRA may waive any of the Rules relevant to the Framework where appropriate.",
    ])  # fmt: skip
    chunks = chunk_document(_plain(text, rulebook=None, kind="guidance"), CFG)
    assert [c.ref for c in chunks] == ["para 1", "para 2", "para 3"]
    assert "1. Record each transfer;" in chunks[1].text


def test_guidance_note_paragraphs_carry_the_heading_they_sit_under() -> None:
    text = "\n".join([
        "INTRODUCTION",
        "1. This Guidance applies to an Applicant for a Financial Services Permission.",
        "2. The table below sets out the main risk areas under the Virtual Asset Framework.",
        "RISK MITIGANT",
        "AML/CFT/TAX The AML Rulebook applies in full to all Authorised Persons.",
        "BACKGROUND",
        "3. Technological innovation is transforming the financial services industry.",
    ])  # fmt: skip
    chunks = chunk_document(_plain(text, rulebook=None, kind="guidance"), CFG)
    got = [(c.ref, c.heading_path) for c in chunks]
    assert got == [
        ("para 1", ("INTRODUCTION",)),
        ("para 2", ("INTRODUCTION",)),
        ("para 3", ("BACKGROUND",)),
    ]
    assert "RISK MITIGANT" in chunks[1].text  # a table's header row, not a heading


def test_guidance_paragraphs_numbered_within_their_part_are_cited_as_such() -> None:
    """ "3.6 Offers of Securities may benefit from an exemption ..." was cited "para 3", as was
    every paragraph of part 3 (a tokenisation founder and a fund manager's COO on ADGM guidance
    notes, thirtieth session); the part's title line is the heading they sit under."""
    text = "\n".join([
        "1. INTRODUCTION",
        "1.1 This Guidance is issued under section 15(2) of the Regulations.",
        "1.2 It applies to those considering an initial coin offering.",
        "2. INITIAL COIN OFFERINGS",
        "2.1 ICOs can take many forms, but all of them use a distributed ledger.",
        "2.2 Offers of Securities may benefit from an exemption where:",
        "(i) an Offer is directed at Professional Clients;",
        "(ii) the consideration is at least USD 100,000.",
        "2.4 A later paragraph, 2.3 having been deleted.",
        "3. The FSRA may waive this Guidance where appropriate.",
        "4. It may also modify it at its discretion, as set out in 1.2 above.",
    ])  # fmt: skip
    chunks = chunk_document(_plain(text, rulebook=None, kind="guidance"), CFG)
    got = [(c.ref, c.heading_path) for c in chunks]
    assert got == [
        ("para 1.1", ("1. INTRODUCTION",)),
        ("para 1.2", ("1. INTRODUCTION",)),
        ("para 2.1", ("2. INITIAL COIN OFFERINGS",)),
        ("para 2.2", ("2. INITIAL COIN OFFERINGS",)),
        ("para 2.4", ("2. INITIAL COIN OFFERINGS",)),
        ("para 3", ()),
        ("para 4", ()),
    ], got
    assert "(ii) the consideration is at least USD 100,000." in chunks[3].text
    assert "as set out in 1.2 above" in chunks[6].text  # a reference, not a paragraph
    # (a review) a numbered paragraph with content is no part title, and a line opening with a
    # cross-reference ("3.3 (a) to (c) below ...") opens no paragraph
    text = "\n".join([
        "1. This Guidance applies to widget firms and is issued under the Regulations.",
        "2. A widget firm must hold capital of at least USD 50,000.",
        "2.1 The capital is held in cash or in liquid assets at all times.",
        "2.2 Offers are exempt where the conditions set out in paragraph",
        "2.3 (a) to (c) below are met, and the firm says so in writing.",
        "3. The FSRA may waive this Guidance.",
    ])  # fmt: skip
    chunks = chunk_document(_plain(text, rulebook=None, kind="guidance"), CFG)
    assert [c.ref for c in chunks] == ["para 1", "para 2", "para 2.1", "para 2.2", "para 3"]
    assert "USD 50,000" in chunks[1].text and "(a) to (c) below" in chunks[3].text


def _word_rulebook(path: Path, title_only: bool = False) -> Path:
    """A rulebook as Word writes it: the title, chapters and sections styled as headings (or,
    with ``title_only``, only the title), rule numbers typed at the start of body paragraphs."""
    import docx

    d = docx.Document()
    d.add_paragraph("ANTI-MONEY LAUNDERING RULEBOOK (AML)", style="Title")
    body = [
        ("Heading 1", "4. COMPLIANCE"),
        ("Heading 2", "4.5 Record keeping"),
        (None, "4.5.1 A Relevant Person must keep records for at least six years."),
        (None, "4.5.2 (1) The records must be available to the Regulator on request."),
        (None, "(2) Records may be kept outside the AIFC."),
        (None, "COB 8.2 contains the Client Money Rules, which also apply."),
        (None, "4.5.3 of these Rules is read with the Client Money Rules."),
        ("Heading 2", "4.6 Reporting"),
        (None, "4.6.1 A Relevant Person must file an annual AML return within four months."),
    ]
    for style, text in body:
        d.add_paragraph(text, style=(style if not title_only else None) or None)
    d.save(str(path))
    return path


def test_typed_rule_numbers_under_word_headings_open_their_rules(tmp_path: Path) -> None:
    """A trial on rulebooks as Word files (2026-12-05): rule numbers typed at the start of body
    paragraphs under styled section headings were not read, so 1 of 26 citations named the rule
    ("AML 4.5" for 4.5.1 and 4.5.2 together); a file whose only styled line is its Title was one
    chunk cited "-"."""
    for title_only in (False, True):
        doc = load(_word_rulebook(tmp_path / f"aml-{title_only}.docx", title_only))
        chunks = chunk_document(doc, CFG)
        by_ref = {c.ref: c.text for c in chunks}
        assert {"AML 4.5.1", "AML 4.5.2", "AML 4.6.1"} <= set(by_ref), (title_only, by_ref)
        # a paragraph label, a sentence naming another rule and a wrapped-looking reference
        # stay in the rule they belong to
        assert "(2) Records may be kept outside" in by_ref["AML 4.5.2"]
        assert "COB 8.2 contains" in by_ref["AML 4.5.2"]
        assert "4.5.3 of these Rules" in by_ref["AML 4.5.2"], by_ref


def test_review_a_typed_rule_number_takes_the_rulebook_its_heading_names() -> None:
    """A review (2026-12-05): "8.2.1 ..." under "## COB 8.2 Client money" in an AML file was cited
    "AML 8.2.1", and with no rulebook given "8.2.1" alone."""
    md = ("# AML Rules\n\n## 4.5 Record keeping\n\n4.5.1 A Relevant Person must keep records for "
          "six years.\n\n## COB 8.2 Client money\n\n8.2.1 A Firm must hold Client Money in a Client "
          "Account.\n")  # fmt: skip
    doc = _doc(md, markdown=True, kind="rules")
    for book in ("AML", None):
        d = Document(**{**doc.__dict__, "rulebook": book})
        refs = [c.ref for c in chunk_document(d, CFG)]
        assert "COB 8.2.1" in refs, (book, refs)
        assert ("AML 4.5.1" in refs) == (book == "AML"), (book, refs)


def test_a_guidance_notes_appendix_is_cited_as_the_appendix() -> None:
    """A PFP guidance note's "APPENDIX A: EXEMPT OFFER CRITERIA", reproducing MKT 4.3.1 to 4.3.5,
    was cited "para 6.2", the paragraph before it (a private-markets founder's trial,
    thirty-first session): the appendix is cited as such, a rule it reproduces by its number,
    the next in sequence even after a line cut short; a sentence naming an appendix is none."""
    text = "\n".join([
        "1. INTRODUCTION",
        "1.1 This Guidance is issued under section 15(2) of the Regulations.",
        "1.2 Appendix A sets out the exempt offer criteria.",
        "2. FEES",
        "2.1 A PFP Operator pays an annual fee of USD 10,000.",
        "3. OTHER CONSIDERATIONS",
        "3.1 Islamic Financial Business is subject to the IFR.",
        "APPENDIX A: EXEMPT OFFER CRITERIA",
        "MKT RULE 4.3",
        "4.3.1 The Regulator prescribes the circumstances in which an Offer is an Exempt Offer:",
        "(1) an Offer made to Professional Clients only;",
        "(2) an Offer directed at no more than 200 Persons within a Private Financing Platform",
        "4.3.2 Where Securities are later offered to the public, a Prospectus is required.",
        "4.3.5 The Issuer must notify the Regulator at least ten Business Days before the Offer.",
    ])  # fmt: skip
    chunks = chunk_document(_plain(text, rulebook=None, kind="guidance"), CFG)
    assert [c.ref for c in chunks] == [
        "para 1.1", "para 1.2", "para 2.1", "para 3.1", "Appendix A", "Appendix A 4.3.1",
        "Appendix A 4.3.2",
        "Appendix A 4.3.5",
    ], [c.ref for c in chunks]  # fmt: skip
    assert "Appendix A sets out" in chunks[1].text
    # (a review) a line naming an appendix before the last numbered paragraph, a contents entry
    # or a reference, opens none; nor does a sentence after a dash
    for line in (
        "Annex 1",
        "Appendix A: Exempt offer criteria",
        "Annex 2 - the Regulator will publish a template.",
    ):
        early = text.replace("2. FEES", f"{line}\n2. FEES")
        refs = [c.ref for c in chunk_document(_plain(early, rulebook=None, kind="guidance"), CFG)]
        assert "para 2.1" in refs and "para 3.1" in refs, (line, refs)
    # (a second review) an appendix's own numbered items keep it open, and a long line after its
    # colon is read at once
    items = text + "\nAPPENDIX B: FORM OF NOTIFICATION\n1. Name of the applicant.\n2. Address."
    refs = [c.ref for c in chunk_document(_plain(items, rulebook=None, kind="guidance"), CFG)]
    assert refs[-1] == "Appendix B", refs
    import time

    from ingest.chunker import _APPENDIX

    started = time.perf_counter()
    assert _APPENDIX.match("Appendix B: https://www.adgm.com/documents/legal-framework/guidance "
                           "for the forms that apply to all applicants and more") is None  # fmt: skip
    assert time.perf_counter() - started < 1.0
    # an annex in capitals with a quoted title, and a document's part name before it
    for line in (
        "ANNEX 2 SUMMARY OF REQUIREMENTS (“KEY OFFICERS”)",
        "APPENDIX.Appendix B: API Standards",
    ):
        got = chunk_document(_plain(text.replace("APPENDIX A: EXEMPT OFFER CRITERIA", line),
                                    rulebook=None, kind="guidance"), CFG)  # fmt: skip
        assert got[4].ref.startswith(("Annex 2", "Appendix B")), [c.ref for c in got]


def test_a_guidance_paragraph_introduced_on_its_own_line_is_guidance() -> None:
    """A browser trial (2026-12-05): "Guidance: In assessing ..." after rule 4.5.3 of a PDF was
    kept as the rule's text, not flagged as guidance."""
    text = ("4.5 Safeguarding\n4.5.3 A Custodian must maintain a minimum capital of USD 500,000.\n"
            "Guidance: In assessing whether assets are liquid, the AFSA expects a Custodian to "
            "consider how fast they can be sold.\n4.6 Sub-custodians\n4.6.1 A Custodian must not "
            "appoint a sub-custodian without due diligence.\n")  # fmt: skip
    chunks = chunk_document(_doc(text), CFG)
    guidance = [c for c in chunks if c.is_guidance]
    assert [c.ref for c in guidance] == ["AML 4.5.3"], [(c.ref, c.is_guidance) for c in chunks]
    assert guidance[0].text.startswith("Guidance: In assessing")


def _markdown_chunks(tmp_path: Path, body: str) -> list:
    """The chunks of a Markdown AML rulebook whose body (after its title) is ``body``."""
    path = tmp_path / "aml.md"
    path.write_text(f"# AML Rules (version 2024-01-01)\n\n{body}", encoding="utf-8")
    return chunk_document(load(path), ChunkingSettings())


def test_a_rule_number_alone_on_its_line_opens_the_rule(tmp_path: Path) -> None:
    """A consultant's trial (twenty-fourth session): a consolidated rulebook in Markdown set a
    rule with paragraphs as its number alone on a line ("8.2.1", then "(1) For ..."); the rule
    was read as part of its section, so a change in 8.2.1(5) was reported, and cited, as
    "AML 8.2". A number below the section's, followed by a paragraph label or a capital, opens
    its rule; a figure or a number of another section does not."""
    chunks = _markdown_chunks(
        tmp_path,
        "## 8.2 Timing of CDD\n\n8.2.1\n(1) A Relevant Person must complete CDD before a "
        "transaction.\n(2) It may verify later.\n\n8.2.2 A Relevant Person must record the "
        "timing.\n\n9.1.1\n(1) Not under 8.2.\n\n8.2.3\nand so on.\n",
    )
    refs = [c.ref for c in chunks]
    assert "AML 8.2.1" in refs and "AML 8.2.2" in refs, refs
    first = next(c for c in chunks if c.ref == "AML 8.2.1")
    assert "(1) A Relevant Person must complete CDD" in first.text
    assert "AML 9.1.1" not in refs and "AML 8.2.3" not in refs, refs  # another section; no text


def test_a_bare_number_that_continues_a_sentence_or_titles_a_contents_line_opens_nothing(
    tmp_path: Path,
) -> None:
    """A review (twenty-fourth session): a reference wrapped onto its own line ("... only if the
    conditions in Rule" / "9.1.3" / "(a) to (c) are met") opened a rule 9.1.3 that the text
    does not have, and a contents line ("8.2.1" / "Timing of verification") a title stub."""
    chunks = _markdown_chunks(
        tmp_path,
        "## 9.1 Reliance\n\n9.1.1\n(1) A Relevant Person may rely on a third party only if the "
        "conditions in Rule\n9.1.3\n(a) to (c) are met.\n(2) It remains responsible.\n\n9.1.2\n"
        "A Relevant Person must obtain the information.\n\n## 8.2 Timing of verification\n\n"
        "8.2.1\nTiming of verification\n",
    )
    refs = [c.ref for c in chunks]
    assert "AML 9.1.3" not in refs and "AML 8.2.1" not in refs, refs
    first = next(c for c in chunks if c.ref == "AML 9.1.1")
    assert "(2) It remains responsible." in first.text
    assert "AML 9.1.2" in refs


def test_a_heading_with_the_documents_own_rulebook_code_opens_its_rule() -> None:
    """A consultant's trial (twenty-sixth session): Markdown headings "## COBS 15.9.4 Review" in
    another regime's conduct rules ingested with ``--rulebook COBS`` opened no rule (COBS is no
    AIFC code), so the policy check found no obligation in them."""
    text = ("# Conduct rules\n\n## COBS 15.9.4 Review of reconciliations\n\nThe reconciliations "
            "must be reviewed by a senior member.\n\n## COBS 15.4.4 Use of client assets\n\nAn "
            "Authorised Person must not use a Client's assets.\n")  # fmt: skip
    doc = _doc(text, markdown=True)
    doc = Document(**{**doc.__dict__, "rulebook": "COBS"})
    assert [c.ref for c in chunk_document(doc, CFG) if c.ref] == ["COBS 15.9.4", "COBS 15.4.4"]


def test_an_appendix_tables_numbered_items_are_the_appendixs() -> None:
    """A citation auditor's trial on the real MKT (twenty-eighth session): APP 1's prospectus
    table numbers its items "6.2 Other information relating to key persons", and they were cited
    "MKT 6.2" beside the real rule 6.2 on price stabilisation (`search "MKT 6.2"`: four texts).
    Under an appendix's heading, a number without the appendix's letter, and a numbered heading
    of its table ("6. MANAGEMENT OF THE ISSUER"), are the appendix's."""
    text = ("6.2 Price Stabilisation\n6.2.1 A Reporting Entity must disclose its buy-back.\n"
            "APP 1 CONTENT OF A PROSPECTUS\nAPP 1.A1.1 Registration statement\nAPP 1.A1.1.1 This "
            "table forms part of Rule 4.5.1.\n6. MANAGEMENT OF THE ISSUER\n6.2 Other information "
            "relating to key persons\n(a) the remuneration paid to each Key Person.\n")  # fmt: skip
    got = [(c.ref, c.text[:21]) for c in chunk_document(_doc(text), CFG)]
    # (its own rules, written after its number, "APP 1.A1.1.1", are cited by their numbers since
    # parser version 28, thirty-seventh session)
    assert got == [("AML 6.2", "6.2 Price Stabilisati"), ("AML 6.2.1", "6.2.1 A Reporting Ent"),
                   ("AML A1.1", "APP 1.A1.1 Registrati"), ("AML A1.1.1", "APP 1.A1.1.1 This tab"),
                   ("AML APP1", "6. MANAGEMENT OF THE ")], got  # fmt: skip
    # (a review) an appendix ends at the rulebook's next chapter, and a contents entry "APP 1"
    # with nothing under it is no appendix
    middle = ("CHAPTER 1 CLIENT CLASSIFICATION\n1.1.1 Classification\nA firm must classify "
              "each client.\nAPPENDIX 1 CLIENT AGREEMENT CONTENT\nA1.1.1 Content\nThe agreement "
              "must state the fees.\nCHAPTER 2 COMMUNICATIONS\n2.1.1 Records\nA firm must keep "
              "records for six years.\n")  # fmt: skip
    refs = [c.ref for c in chunk_document(_doc(middle), CFG)]
    assert refs[-1] == "AML 2.1.1" and "AML A1.1.1" in refs, refs
    toc = ("CONTENTS\n1 INTRODUCTION\n2 CUSTOMER DUE DILIGENCE\nAPP 1 FORMS\n1 INTRODUCTION\n"
           "1.1.1 These Rules apply to every firm.\n2 CUSTOMER DUE DILIGENCE\n2.1.1 A firm must "
           "identify each customer.\n")  # fmt: skip
    refs = [c.ref for c in chunk_document(_doc(toc), CFG)]
    assert "AML 1.1.1" in refs and refs[-1] == "AML 2.1.1", refs


def test_a_statute_writing_its_part_before_each_section_is_read_in_sections() -> None:
    """A tax reporting officer's trial (thirty-second session): ADGM's export of its Regulations
    writes the Part before each section's number ("Part 3.7.(2) ..."), and no section of the CRS
    Regulations or FSMR was cited. A rulebook's "PART 5.11. CONSTITUTION" before rule numbers is
    another pattern (``_PART_PREFIX``)."""
    text = "\n".join([
        "TAX REPORTING REGULATIONS 2030",
        "Schedule",  # (a contents line: no schedule yet, a third review)
        "Part 1\tIntroduction",
        "Part 1.1.\tInterpretation",
        "Part 1.1.(1)\tWords in capitals have the meaning the standard gives them.",
        "Part 1.2.\tApplication",
        "Part 1.2.(1)\tThese Regulations apply to every reporting institution in the centre.",
        "Part 2\tRecords",
        "Part 2.3.\tKeeping records",
        "Part 2.3.(1)\tA reporting institution keeps its records for six years.",
        "Part 2.3.(2)\tThe records are kept in English or translated on request.",
        # (an item cut short in the source, "... or Client Trade", does not run on into the next
        # section's heading: section 4 was read as 3's, "s.152" for 153 in FSMR, a statute
        # lawyer's trial)
        "(a)\tthe reference to a contract of that kind which has been amended to reflect the "
        "transfer of a Clearing Member Client Contract or Client Trade",
        "Part 2.Chapter 1.4.\tInspection",
        "Part 2.Chapter 1.4.(1)\tThe regulator may inspect the records at any reasonable time.",
        # (a review) the export writes some sections after the one before's number, or after
        # two Parts, and a statute's one schedule is unnumbered
        "Part 2.4.5.\tTemporary administrator",
        "Part 2.4.5.(1)\tThe regulator may appoint a temporary administrator.",
        "Part 2.Part 3.6.\tInvestigations",
        "Part 2.Part 3.6.(1)\tThe regulator may commence an investigation.",
        "Schedule",
        "Schedule.Part 1\tInformation to be included in recovery plans",
        "1. A summary of the plan.",
    ])  # fmt: skip
    doc = _plain(text, rulebook="TRR", kind="rules")
    refs = [c.ref for c in chunk_document(doc, CFG)]
    assert refs == [None, "TRR s.1", "TRR s.2", "TRR s.3", "TRR s.4", "TRR s.5", "TRR s.6",
                    "TRR Schedule"], refs  # fmt: skip
    by_ref = {c.ref: c.text for c in chunk_document(doc, CFG)}
    assert "for six years" in by_ref["TRR s.3"] and "translated" in by_ref["TRR s.3"]
    # provisions numbered within each Part ("Part 2.1." after "Part 1.2.") are no statute's
    # sections: Part 2's "1." is not section 1 (a review)
    within = "\n".join(["OUTSOURCING RULES", "Part 1.1.\tDefinitions", "Part 1.1.(1)\tWords.",
                        "Part 1.2.\tApplication", "Part 1.2.(1)\tThese rules apply.",
                        "Part 2.1.\tNotice", "Part 2.1.(1)\tA firm must notify 30 days before."])  # fmt: skip
    refs = [c.ref for c in chunk_document(_plain(within, rulebook="OUT"), CFG)]
    assert "OUT s.1" not in refs and "OUT s.2" not in refs, refs


def test_paragraphs_numbered_in_lettered_parts_and_a_standards_sections_are_cited() -> None:
    """An ESG officer's and a tax reporting officer's trials (thirty-second session): a note
    numbered "B.8." under "B. APPLICATION" had no paragraph cited, and one whose part 7 goes on
    "7.A.1." and then reproduces a standard's "SECTION I.F." cited every paragraph after "7." as
    "para 7"."""
    lettered = "\n".join([
        "A.\tINTRODUCTION",
        "A.1.\tThis note sets out shared principles for managing climate risk.",
        "A.2.\tIt was written by a working group of the centre's regulators.",
        "B.\tAPPLICATION",
        "B.3.\tThe regulators intend to apply the principles from the first of next year.",
        "C.\tTHE PRINCIPLES",
        "C.4.\tPrinciple 1 - Oversight",
        "C.4.1.\tThe board should approve the firm's appetite for climate risk.",
    ])  # fmt: skip
    chunks = chunk_document(_plain(lettered, rulebook=None, kind="guidance"), CFG)
    got = [(c.ref, c.heading_path) for c in chunks]
    assert got == [
        ("para A.1", ("A.\tINTRODUCTION",)),
        ("para A.2", ("A.\tINTRODUCTION",)),
        ("para B.3", ("B.\tAPPLICATION",)),
        ("para C.4", ("C.\tTHE PRINCIPLES",)),
        ("para C.4.1", ("C.\tTHE PRINCIPLES",)),
    ], got
    # (a review) a rulebook's annex lettered so is no such note: its rules keep their numbers;
    # a note's annex after its last part is not the last paragraph's
    rules = "\n".join(["1.1.1 A firm must notify the regulator of a change.",
                       "1.1.2 A firm must keep a record of each notice.",
                       "1.1.3 A firm must review its notices each year.", "A. FORM OF NOTICE",
                       "A.1. Name of the firm.", "A.2. Date of the change.", "A.3. Signature."])  # fmt: skip
    refs = [c.ref for c in chunk_document(_plain(rules, rulebook="CMG", kind="guidance"), CFG)]
    assert refs[:3] == ["CMG 1.1.1", "CMG 1.1.2", "CMG 1.1.3"], refs
    annexed = lettered + "\nANNEX\nANNEX.1.\tA list of the standards the note draws on."
    chunks = chunk_document(_plain(annexed, rulebook=None, kind="guidance"), CFG)
    assert chunks[-1].ref is None and "ANNEX.1." in chunks[-1].text
    parts = "\n".join([
        "1. INTRODUCTION",
        "This note explains how the reporting standard applies in the centre.",
        "2. TIMELINES",
        "Reports are due each year as the standard sets out below.",
        "3. SANCTIONS",
        "The following sanctions apply:",
        "3.A. False self-certification",
        "3.A.1. A fine of USD 5,000 applies to a person who gives a false self-certification.",
        "3.B. Missing self-certification",
        "3.B.1. A fine of USD 300 applies for each new account opened without one.",
        "SECTION I\tGENERAL REPORTING REQUIREMENTS",
        "SECTION I.A.\tEach reporting institution must report the following for each account:",
        "SECTION I.A.1.\tthe name and address of each reportable person;",
        "SECTION I.B.\tThe report must be filed by the last day of June each year.",
    ])  # fmt: skip
    parts += ("\nSECTION 58 of the Regulations sets out the penalties.\nSECTION VIII.ANNEX 1\n"
              "NON-REPORTING INSTITUTIONS\nThe following are not reporting institutions.")  # fmt: skip
    chunks = chunk_document(_plain(parts, rulebook=None, kind="guidance"), CFG)
    refs = [c.ref for c in chunks]
    # (a review) a sentence opening with "SECTION 58" is no heading; an annex is cited as one
    assert refs[-1] == "Annex 1" and "SECTION 58" in chunks[-2].text, refs
    refs = refs[:-1]
    assert refs[-8:] == ["para 3.A", "para 3.A.1", "para 3.B", "para 3.B.1", "Section I",
                         "Section I.A", "Section I.A.1", "Section I.B"], refs  # fmt: skip


def test_an_appendix_number_written_before_its_rules_numbers_is_no_part_of_them(
    tmp_path: Path,
) -> None:
    """A rule lookup trial on ADGM's PRU (thirty-seventh session): PRU writes each appendix
    rule as "APP4.A4.3.25 ...", and appendix 4 was one "PRU APP4" of 209 passages: "What does
    PRU A4.3.25 say?" was "not in the indexed rules". Its rules are cited by their own numbers,
    and their guidance ("APP4.A4.1.Guidance.1.") is guidance, as a chapter rule's is."""
    from ingest.loaders import LoadOptions
    from ingest.refs import guidance_paragraph_at

    f = tmp_path / "PRU_VER13.181223.txt"
    f.write_text(
        "4.1.1\tAn Authorised Person must hold capital against its Credit Risk.\n\n"
        "APP4\tCREDIT RISK\nAPP4.A4.1\tCredit Risk systems and controls\nAPP4.A4.1.Guidance\t\n"
        "APP4.A4.1.Guidance.1.\tThe Credit Risk policy should address the elements below.\n"
        "APP4.A4.1.Guidance.2.\tThe policy should be enforced consistently.\n"
        "APP4.A4.3\tCollateral\nAPP4.A4.3.25\tMinimum holding periods. Where the minimum "
        "holding period is not met, an Authorised Person must scale up the haircut.\n"
        "APP4.A4.3.26\tMinimum holding periods. An Authorised Person must record the holding "
        "period it uses.\n"
    )  # fmt: skip
    chunks = chunk_document(load(f, LoadOptions(rulebook="PRU", jurisdiction="ADGM")), CFG)
    by_ref = {(c.ref, c.is_guidance): c.text for c in chunks}
    assert by_ref[("PRU A4.3.25", False)].startswith("APP4.A4.3.25 Minimum holding periods.")
    assert "record the holding period" in by_ref[("PRU A4.3.26", False)]
    guidance = by_ref[("PRU A4.1", True)]
    assert guidance_paragraph_at(guidance, "A4.1", 2) is not None
    assert not any(c.ref == "PRU APP4" and "haircut" in c.text for c in chunks)
    # an appendix's own numbered lines ("APP 1.4. The Prospectus ...", FP) are no such rules
    g = tmp_path / "FP_VER01.110319.txt"
    g.write_text("6.1.1\tA Fund Manager must notify the Regulator.\n\nAPP 1\tPASSPORTED PUBLIC "
                 "FUND MINIMUM CRITERIA\nAPP 1.1.\tThe incorporation of the Public Fund is "
                 "completed.\nAPP 1.4.\tThe Prospectus is available in English.\n")  # fmt: skip
    refs = {c.ref for c in chunk_document(load(g, LoadOptions(rulebook="FP", jurisdiction="ADGM")),
                                          CFG)}  # fmt: skip
    assert "FP APP1" in refs and not any(" A1" in (r or "") for r in refs), refs


def test_a_long_passage_is_not_cut_after_a_labels_own_stop() -> None:
    """A second rule lookup trial (thirty-seventh session): "APP3.A3.2.Guidance.5. Where the
    Risk Capital Requirement ..." was cut after the label's stop, read as a sentence's end, so
    one passage ended on the bare label and the next began with its text without it, and "PRU
    A3.2 Guidance 5" was "not in the indexed rules"."""
    from ingest.chunker import _after_label, _split_long

    label = "APP3.A3.2.Guidance.5. Where the Risk Capital Requirement binds, it must hold more."
    assert _after_label(label, label.index("Where")) and _after_label("x\n3.6. Offers", 7)
    assert not _after_label("It ends here. The next one", 14)
    assert not _after_label("as set out in Rule 3.2.1. The firm", 26)  # a reference, mid-line
    text = ("A firm must do this. " * 8) + "\n" + label
    pieces = _split_long(text, 0, len(text), 200)
    assert all(not text[a:b].rstrip().endswith("Guidance.5.") for a, b in pieces), pieces


def test_a_chapter_introductions_guidance_is_the_chapters_guidance() -> None:
    """An auditor's trial on the real PRU (thirty-ninth session): the paragraphs numbered
    "4.Introduction.Guidance.1." were cited "PRU 4" as a rule, where "3.Guidance.1." is "PRU 3
    (Guidance)"."""
    text = ("4 CREDIT RISK\n4.Introduction\n4.Introduction.Guidance\n4.Introduction.Guidance.1. "
            "Chapter 4 deals with the management of Credit Risk.\n4.Introduction.Guidance.2. It "
            "aims to ensure that a firm holds sufficient capital.\n4.1.1 A firm must assess "
            "its Credit Risk.\n")  # fmt: skip
    got = [(c.ref, c.is_guidance) for c in chunk_document(_doc(text), CFG)
           if "Credit Risk" in c.text or "capital" in c.text]  # fmt: skip
    assert ("AML 4", True) in got and ("AML 4.1.1", False) in got, got
    guidance = next(c for c in chunk_document(_doc(text), CFG) if "deals with" in c.text)
    assert guidance.is_guidance and guidance.ref == "AML 4", guidance
