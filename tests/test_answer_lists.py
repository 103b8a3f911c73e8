"""Lists in extractive answers: bulleted items, nested stems inside a quoted run, what a colon
opens without markers, a quote that stops inside a list, and every chunk of a named rule
(the thirtieth session's trials on the real ADGM MKT, MIR and Virtual Asset guidance)."""

from __future__ import annotations

from assistant.answer.extractive import (
    ExtractiveAnswerer,
    Sentence,
    list_cut,
    list_items,
    list_opened_before,
    list_stem,
)
from assistant.answer.summary import finding
from assistant.answer.types import Citation
from assistant.index.keywords import Tokenizer
from assistant.language.text import list_item_spans, marker_styles
from assistant.search.retrieval import Hit
from ingest.model import Chunk

TOK = Tokenizer()

BULLETS = (
    "MTFs using Virtual Assets are required to have in place, among other things, the following:\n"
    "• Market surveillance;\n• Fair and orderly trading;\n• Settlement processes; and\n"
    "• Exchange-like operational systems and controls.\nCustody is dealt with below."
)


def _hits(*chunks: tuple[str, str], by: tuple[str, ...] = ("bm25", "dense")) -> list[Hit]:
    return [Hit(i + 1, 1.0 / (i + 1), Chunk(f"c{i}", "d", i, text, ref=ref), {"doc_id": "d"},
                by, 0.5, 1.0) for i, (ref, text) in enumerate(chunks)]  # fmt: skip


def _sentence(text: str, part: str) -> Sentence:
    a = text.index(part)
    return Sentence(0, a, a + len(part), part, 0.0, 0.0, False, False)


def test_bullets_are_list_items_of_their_stem() -> None:
    assert marker_styles("• Market surveillance;") == frozenset({"bullet"})
    assert marker_styles("(a) a rule;") == frozenset({"lower"})
    assert marker_styles("Market surveillance;") == frozenset()
    stem = BULLETS.split("\n")[0]
    spans = list_item_spans(BULLETS, len(stem))
    assert [BULLETS[a:b] for a, b in spans] == BULLETS.split("\n")[1:5]
    items = list_items(BULLETS, _sentence(BULLETS, stem), 0)
    assert items[0].text == "• Market surveillance;"
    assert "Custody" not in " ".join(s.text for s in items)


def test_a_bulleted_stem_is_quoted_with_its_items_and_its_first_line_names_one() -> None:
    ex = ExtractiveAnswerer(TOK, model=None)
    q = "What must an MTF using virtual assets have in place for market surveillance?"
    out = ex.answer(q, _hits(("para 18", BULLETS)))
    assert not out.abstained, out.text
    assert '"• Market surveillance;"' in out.text
    first = out.text.split("\n")[0]
    assert "Market surveillance" in first and "the following" in first, first


def test_a_nested_stem_inside_the_quoted_run_is_shown() -> None:
    """MIR 2.9.1 was shown as (a), (i), (ii) without "(b) immediately report ... to:", the words
    that answer "when" (the card's quote held it)."""
    text = (
        "2.9.1 A Recognised Body must:\n(a) operate an effective market surveillance program; "
        "and\n(b) immediately report, along with full details of that information in writing, "
        "to:\n(i) the Regulator, any suspected or actual Market Abuse; and\n(ii) the Regulator "
        "and/or any other relevant authority, Financial Crime or money laundering."
    )
    from assistant.answer.extractive import _with_inner_stems

    quoted = [_sentence(text, p) for p in (
        "2.9.1 A Recognised Body must:", "(a) operate an effective market surveillance program; and",
        "(i) the Regulator, any suspected or actual Market Abuse; and")]  # fmt: skip
    got = [s.text for s in _with_inner_stems(text, quoted)]
    assert got[2].startswith("(b) immediately report") and got[3].startswith("(i)"), got
    # nothing before the first sentence quoted is brought in
    assert [s.text for s in _with_inner_stems(text, quoted[2:])] == [quoted[2].text]


def test_what_a_colon_opens_without_markers_is_quoted() -> None:
    text = (
        "4.3.4 A Person making an Exempt Offer must include a statement. An exempt offer "
        "statement must contain the following statement displayed prominently on its front "
        "page:\n'This offer document is an Exempt Offer in accordance with the Market Rules.\n"
        "It must not be delivered to, or relied on by, any other Person.'\n"
        "4.3.5 Pursuant to an Exempt Offer, the Issuer must provide a Product Summary Note."
    )
    stem = _sentence(text, "An exempt offer statement must contain the following statement "
                     "displayed prominently on its front page:")  # fmt: skip
    got = [s.text for s in list_items(text, stem, stem.start)]
    assert got[0].startswith("'This offer document is an Exempt Offer")
    assert not any("4.3.5" in g for g in got)  # not into the next rule
    assert list_items(text, stem, stem.start, reach=120) == []  # nor beyond the reach


def test_a_quote_that_stops_inside_a_list_says_so() -> None:
    full = (
        "4.3.1 The following are exempt:\n(1) an offer to professionals;\n(2) an offer to "
        "fewer than 50 persons;\n(3) an offer of at least $100,000.\nGuidance follows here."
    )
    quote = "4.3.1 The following are exempt:\n(1) an offer to professionals;"
    c = Citation(1, "MKT 4.3.1", "MKT", None, None, None, quote, "c1", 1.0, "d", full_text=full)
    note = list_cut(c)
    assert note is not None and "(2)" in note and note.startswith("[1] MKT 4.3.1"), note
    whole = full[: full.index("\nGuidance")]
    assert list_cut(Citation(1, "MKT 4.3.1", "MKT", None, None, None, whole, "c1", 1.0, "d",
                             full_text=full)) is None  # fmt: skip
    plain = Citation(1, "X 1", "X", None, None, None, "A sentence.", "c1", 1.0, "d",
                     full_text="A sentence. (a) not a list after a full sentence.")  # fmt: skip
    assert list_cut(plain) is None


def test_a_quote_that_stops_where_its_passage_does_inside_a_list_says_the_list_goes_on() -> None:
    """A bank's recovery officer's trial on ADGM's BRR (thirty-fourth session): s.49(7)'s stem,
    "... in relation to the following liabilities ...—", ended its passage and was quoted
    alone, its items in the rule's next passage, and nothing said the list went on."""
    stem = (
        "(7) The Regulator shall not exercise the power in relation to the following liabilities—"
    )
    full = f"(6) The Tool may be applied to any liability.\n{stem}"
    c = Citation(1, "BRR s.49", "BRR", None, None, None, stem, "c1", 1.0, "d", full_text=full)
    note = list_cut(c)
    assert note == (
        "[1] BRR s.49: the quote stops inside a list, which goes on past this passage "
        '(search "BRR s.49" for the rest)'
    )
    # an item that does not close its list, at the passage's end
    item = "(c) any liability arising from a fiduciary relationship; or"
    c = Citation(2, None, None, None, None, None, item, "c1", 1.0, "d", full_text=f"{stem}\n{item}")
    assert (
        list_cut(c)
        == "[2]: the quote stops inside a list, which goes on past this passage (see the document)"
    )
    # not an item that closes it, nor a sentence that is no item
    for last in ("(c) any liability arising from a fiduciary relationship.", "The Tool may apply;"):
        c = Citation(1, "BRR s.49", "BRR", None, None, None, last, "c1", 1.0, "d", full_text=last)
        assert list_cut(c) is None, last


def test_a_stem_going_on_from_a_list_before_it_brings_that_list_and_its_stem() -> None:
    """A lawyer's trial on FSMR s.206(5) (thirty-fifth session): "(5) ... it is not a reasonable
    excuse for a person to refuse or fail to— (a) ...; (c) answer questions;" then "pursuant to
    any requirement ... on the grounds that any such ... answer—" and "(d) might tend to
    incriminate the person; or". Quoted from "pursuant to", the answer read as a ground to
    refuse. Where the list before and its stem are in the passage they are quoted too; where
    they are in the passage before, a note says so."""
    text = (
        "(5) It is not a reasonable excuse for a person to refuse or fail to—\n"
        "(a) permit inspection of any Document;\n(c) answer questions;\n"
        "pursuant to any requirement under section 201 on the grounds that any such answer—\n"
        "(d) might tend to incriminate the person; or\n(e) might reveal a confidence."
    )
    item = _sentence(text, "(d) might tend to incriminate the person; or")
    got = [s.text.split(" ")[0] for s in list_stem(text, item, item.end)]
    assert got == ["(5)", "(a)", "(c)", "pursuant"], got
    # the passage opening inside the list: the note
    rest = text[text.index("(c) answer") :]
    quote = rest[rest.index("pursuant") : rest.index("; or") + 4]
    c = Citation(1, "FSMR s.206", "FSMR", None, None, None, quote, "c1", 1.0, "d", full_text=rest)
    assert list_opened_before(c) == (
        "[1] FSMR s.206: the quote begins inside a list, whose opening words are in the passage "
        'before (search "FSMR s.206" for them)'
    )
    # where the passage holds the list's stem and the quote does not, the note says so (a
    # browser trial: "The MLRO must report semi-annually ..." above a quoted "(b) ..." was not
    # said); not for a passage opening with a sentence
    whole = Citation(1, "FSMR s.206", "FSMR", None, None, None, quote, "c1", 1.0, "d",
                     full_text=text)  # fmt: skip
    assert list_opened_before(whole) == (
        "[1] FSMR s.206: the quote begins inside a list, whose opening words are earlier in its "
        "passage (see the full text)"
    )
    quoted = Citation(1, "FSMR s.206", "FSMR", None, None, None, text, "c1", 1.0, "d",
                      full_text=text)  # fmt: skip
    assert list_opened_before(quoted) is None
    plain = "The firm must keep records. (a) of each client;"
    c = Citation(1, "X 1", "X", None, None, None, "(a) of each client;", "c1", 1.0, "d",
                 full_text=plain)  # fmt: skip
    assert list_opened_before(c) is None
    # (a custodian's trial) nor where the quote opens with a stem, a paragraph's number before it
    para = "94) The FSRA expects that such disclosures may include:\na) the risks;\nb) the fees."
    c = Citation(1, "para 94", "G", None, None, None, para, "c1", 1.0, "d", full_text=para)
    assert list_opened_before(c) is None
    # (a review) nor a passage opening with a numbered paragraph that is a sentence of its own
    sub = "(2) A firm must keep records for six years.\n(3) A firm must review its records yearly."
    c = Citation(1, "AML 3.1.1", "AML", None, None, None, "(2) A firm must keep records for six "
                 "years.", "c1", 1.0, "d", full_text=sub)  # fmt: skip
    assert list_opened_before(c) is None
    # (a second review) an item lettered and capitalised is inside a list too, and a nested
    # list's stem earlier in the passage is not the opening words of the quoted item's list
    cap = "(b) P intends by creating the impression to induce another person to act."
    c = Citation(1, "FSMR s.103", "FSMR", None, None, None, cap, "c1", 1.0, "d", full_text=cap)
    assert list_opened_before(c) is not None and "passage before" in (list_opened_before(c) or "")
    nested = "(i) the firm must:\n(A) keep it;\n(ii) the Client may dispense with it."
    c = Citation(1, "COBS 3.3.2", "COBS", None, None, None, "(ii) the Client may dispense with it.",
                 "c1", 1.0, "d", full_text=nested)  # fmt: skip
    assert "passage before" in (list_opened_before(c) or ""), list_opened_before(c)


def test_a_rule_asked_what_it_says_is_quoted_from_its_start() -> None:
    """An in-house counsel's trial on ADGM's GPM (thirty-fifth session): "What does GPM 7.16.4
    say?" quoted two sentences and left out "In such instances, we will expect the EU to
    contain:" and its items, without a note. A rule asked what it says is quoted from its first
    sentence to the quote's reach."""
    text = ("7.16.4 In matters where we believe there has been a contravention we will generally "
            "seek a settlement rather than an EU. We will generally only consider accepting an EU "
            "that we consider necessary. In such instances, we will expect the EU to contain:\n"
            "(a) an admission of the contravention;\n(b) the steps to be taken; and\n"
            "(c) a date for the steps.")  # fmt: skip
    other = ("GPM 7.16.5", "An EU is a promise to the Regulator that a person will take steps.")
    hits = _hits(("GPM 7.16.4", text), other, by=("ref", "bm25", "dense"))
    ex = ExtractiveAnswerer(TOK, model=None, min_confidence=0.0).answer(
        "What does GPM 7.16.4 say?", hits, None, None, []
    )
    quoted = " ".join(c.quote for c in ex.citations if c.ref == "GPM 7.16.4")
    for part in ("seek a settlement", "we will expect the EU to contain:", "(a) an admission",
                 "(c) a date for the steps."):  # fmt: skip
        assert part in quoted, (part, quoted)
    # the whole passage, past the 700 characters of a quote's reach (a custodian's trial: COBS
    # 15.6.1's items (d), (f) and (g) were left out)
    items = "".join(f"({x}) the firm must keep record {x} of the Client Assets it holds;\n"
                    for x in "abcdefghijklm")  # fmt: skip
    long_rule = f"15.6.1 An Authorised Person must ensure that:\n{items}(n) the last item."
    assert len(long_rule) > 700
    hits = _hits(("COBS 15.6.1", long_rule), other, by=("ref", "bm25", "dense"))
    ex = ExtractiveAnswerer(TOK, model=None, min_confidence=0.0).answer(
        "What does COBS 15.6.1 require?", hits, None, None, []
    )
    quoted = " ".join(c.quote for c in ex.citations if c.ref == "COBS 15.6.1")
    assert "(a) the firm" in quoted and "(n) the last item." in quoted, quoted
    # and its next passage, found by its number (COBS 15.6.1's (e) to (g) were in its second)
    first = (
        "15.6.1 An Authorised Person must procure an acknowledgement stating:\n(a) one;\n(b) two;"
    )
    second = "(c) three;\n(d) four; and\n(e) five."
    hits = [Hit(i + 1, 1.0 / (i + 1), Chunk(f"c{i}", "d", i, t, ref="COBS 15.6.1"), {"doc_id": "d"},
                ("ref", "bm25", "dense"), 0.5, 1.0) for i, t in enumerate((first, second))]  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None, min_confidence=0.0).answer(
        "What does COBS 15.6.1 require?", hits, None, None, []
    )
    quoted = " ".join(c.quote for c in ex.citations)
    assert "(a) one;" in quoted and "(e) five." in quoted, quoted


def test_a_rule_looked_up_is_quoted_line_by_line_with_its_short_rows() -> None:
    """A rule lookup trial on ADGM's PRU (thirty-seventh session): "What does PRU 3.3.2 say?"
    quoted the table's rows for 3A, 3C and 4 and left out "1 | 10 million", "2 | 2 million",
    "3B | 4 million" and "5 | 10 million" without a mark (too short for the sentence ranking);
    MKT 2.3.6's "(3)" and "(a)" were skipped likewise."""
    rows = ("3.3.2 The table below sets out the Base Capital Requirement for each Category of "
            "Authorised Persons.\n\nCategory | Base Capital Requirement (US $)\n1 | 10 million\n"
            "2 | 2 million\n3A | 500,000, except where an Authorised Person deals as Matched "
            "Principal with Retail Clients, in which case it is 2 million.\n3B | 4 million")  # fmt: skip
    tail = "4 | 10,000\n5 | 10 million"
    hits = [Hit(i + 1, 1.0 / (i + 1), Chunk(f"c{i}", "d", i, t, ref="PRU 3.3.2"), {"doc_id": "d"},
                ("ref", "bm25", "dense"), 0.5, 1.0) for i, t in enumerate((rows, tail))]  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None, min_confidence=0.0).answer(
        "What does PRU 3.3.2 say?", hits, None, None, []
    )
    body = ex.text.split("\n", 1)[1]
    for row in ("1 | 10 million", "2 | 2 million", "3B | 4 million", "5 | 10 million"):
        assert f'"{row}" [' in body, (row, body)
    assert body.index('"1 | 10 million"') < body.index('"3B | 4 million"') < body.index('"5 | 10')
    assert [c.quote for c in ex.citations] == [rows, tail]  # each passage whole, verbatim


def test_two_rules_looked_up_are_each_quoted_line_by_line() -> None:
    """A review (thirty-seventh session): "What do PRU 3.2.2 and MKT 2.3.6 say?" quoted the
    first rule whole and the second's (1) alone, its (2) and (3)(a) left out without a mark."""
    pru = "3.2.2 An Authorised Person that is a Branch must:\n(a) hold liquid assets; and\n(b) report."
    mkt = ("2.3.6.(1) An Applicant must show that it operates independently.\n(2) The requirement "
           "in (1) does not apply if holders of Shares face no risk.\n(3) A controlling "
           "Shareholder is a Person:\n(a) holding 30% or more of the votes;")  # fmt: skip
    hits = [Hit(i + 1, 1.0 / (i + 1), Chunk(f"c{i}", f"d{i}", 0, t, ref=ref, rulebook=ref.split()[0]),
                {"doc_id": f"d{i}"},
                ("ref", "bm25", "dense"), 0.5, 1.0)
            for i, (ref, t) in enumerate((("PRU 3.2.2", pru), ("MKT 2.3.6", mkt)))]  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None, min_confidence=0.0).answer(
        "What do PRU 3.2.2 and MKT 2.3.6 say?", hits, None, None, []
    )
    body = ex.text.split("\n", 1)[1]
    for line in ("(b) report.", "(2) The requirement in (1) does not apply", "(a) holding 30%"):
        assert line in body, (line, body)
    assert [c.quote for c in ex.citations] == [pru, mkt]
    # (a second review) the second rule from one document: another version's is not quoted too
    old = Hit(3, 0.3, Chunk("c2", "d2", 0, "2.3.6 An older text of the rule.", ref="MKT 2.3.6",
                            rulebook="MKT"), {"doc_id": "d2"}, ("ref", "bm25"), 0.5, 1.0)  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None, min_confidence=0.0).answer(
        "What do PRU 3.2.2 and MKT 2.3.6 say?", [*hits, old], None, None, []
    )
    assert "older text" not in ex.text, ex.text
    # (a second lookup trial) one of them named by its paragraph: both are still quoted
    ex = ExtractiveAnswerer(TOK, model=None, min_confidence=0.0).answer(
        "What do PRU 3.2.2 and MKT 2.3.6(2) say?", hits, None, None, []
    )
    assert {c.ref for c in ex.citations} == {"PRU 3.2.2", "MKT 2.3.6"}, ex.text


def test_every_chunk_of_the_named_rule_may_lead() -> None:
    """ "Does MKT 4.3.5 require ..., and how far in advance?" led with the rule's opening words,
    its paragraph (3) "at least ten Business Days prior" being another chunk of the rule."""
    stem = ("MKT 4.3.5", "4.3.5 Pursuant to an Exempt Offer, the Issuer must provide a Product "
            "Summary Note to investors in accordance with the following requirements:")  # fmt: skip
    notice = ("MKT 4.3.5", "(3) The Issuer must give notice to the Regulator of its intention to "
              "provide a Product Summary Note at least ten Business Days prior to the Exempt "
              "Offer.")  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None)
    q = "Under MKT 4.3.5, how many days before the offer must the Issuer give notice to the Regulator?"
    out = ex.answer(q, _hits(stem, notice, by=("bm25", "dense", "ref")))
    assert "ten Business Days" in out.text.split("\n")[0], out.text
    # its Guidance does not share the bonus of a rule's chunk (the same words, 0.5 less)
    scores = []
    for guidance in (False, True):
        second = Chunk("g", "d", 2, notice[1], ref="MKT 4.3.5", is_guidance=guidance)
        ref_hits = _hits(stem, by=("bm25", "dense", "ref"))
        hits = [*ref_hits, Hit(2, 0.5, second, {"doc_id": "d"}, ("bm25", "dense", "ref"), 0.5, 1.0)]
        scores.append(next(s.score for s in ex.sentences(q, hits) if s.hit_rank == 1))
    assert abs(scores[0] - scores[1] - 0.5) < 1e-9, scores


def test_a_list_label_is_not_capitalised_on_the_first_line() -> None:
    quote = ("Exempt Offers include where:\na) an Offer is directed at Professional Clients;\n"
             "b) an Offer is directed at fewer than 50 Persons in any 12 month period; or\n"
             "c) the total consideration to be paid by a Person is at least USD 100,000.")  # fmt: skip
    c = Citation(1, "para 32", "Guidance", None, None, None, quote, "c1", 1.0, "d")
    first = finding("Which offers directed at fewer than 50 Persons are exempt?", [c], TOK)
    assert "B)" not in first and "b) an Offer" in first, first
    # "Is the threshold USD 100,000 ...?" checks that figure: between clauses that say as much
    # of the question, the one stating it leads
    first = finding("Is the threshold for exempt offers USD 100,000?", [c], TOK)
    assert first.startswith("USD 100,000"), first
    # "Are there any exceptions to the six-year requirement?" checks no figure
    six = Citation(1, "AML 14.5.1", "AML", None, None, None,
                   "Records must be kept for six years. A longer period of ten years may be "
                   "required by the AFSA.", "c1", 1.0, "d")  # fmt: skip
    first = finding("Are there any exceptions to the six-year requirement?", [six], TOK)
    assert not first.startswith("six years"), first


def test_how_far_in_advance_asks_for_a_period() -> None:
    from assistant.answer.answerability import asked_kinds
    from assistant.answer.extractive import wants_figure

    q = "How far in advance must the Issuer notify the Regulator of a Product Summary Note?"
    assert asked_kinds(q) == {"period"} and wants_figure(q)
    assert not asked_kinds("How far is the office from the Regulator?")
    quote = ("(3) The Issuer must give notice to the Regulator of its intention to provide a "
             "Product Summary Note at least ten Business Days prior to the Exempt Offer.")  # fmt: skip
    c = Citation(1, "MKT 4.3.5", "MKT", None, None, None, quote, "c1", 1.0, "d")
    assert finding(q, [c], TOK).startswith("at least ten Business Days: ")


def test_review_of_the_lists_and_figures_changes() -> None:
    """A bug-only review (thirtieth session) of the changes above."""
    from assistant.answer.answerability import measures_another
    from assistant.language.quantities import figures

    # a clause that merely states the figure checked does not confirm it for another subject
    c = Citation(1, "X 1", "X", None, None, None, "The annual supervision fee is USD 10,000. A "
                 "firm must hold minimum capital of USD 50,000.", "c1", 1.0, "d")  # fmt: skip
    assert finding("Is the minimum capital USD 10,000?", [c], TOK).startswith("USD 50,000"), c
    # what a colon opens is quoted only as a form of words in quotation marks, not a table
    text = "5.4.1 It must notify the Regulator of the following information:\n/Table Start\nEvent Timing"
    stem = _sentence(text, "5.4.1 It must notify the Regulator of the following information:")
    assert list_items(text, stem, stem.start) == []
    # a bullet names no item in the note
    full = "Inflows backed by the following:\n• Level 1 HQLA 0%;\n• Level 2A HQLA 15%."
    quote = "Inflows backed by the following:\n• Level 1 HQLA 0%;"
    note = list_cut(Citation(1, "PRU APP10", "PRU", None, None, None, quote, "c1", 1.0, "d",
                             full_text=full))  # fmt: skip
    assert note is not None and "item •" not in note and "more items" in note, note
    # a conjunction before a clause's subject ends the possessive phrase; a compound's last two
    # words are its head
    q = set(TOK("How long may Clients object?"))
    t = "on 7 days' notice and Clients may object."
    assert measures_another(t, (3, 9), q, TOK)
    t = "30 days' prior written notice period to members"
    assert not measures_another(t, (0, 7), set(TOK("How much notice do members get?")), TOK)
    # lower-case codes: not one that spells an English word; any case of those read
    assert not [f for f in figures("rub 2 coats on; a fee of 500 rub") if f.kind == "amount"]
    assert [f.unit for f in figures("Eur 100") if f.kind == "amount"] == ["EUR"]


def test_a_named_rule_keeps_its_bonus_when_its_guidance_leads() -> None:
    """ "What does FUNDS 12.4.1(5) require?" lost the rule to its Guidance, ranked first (a
    review): the rule's chunks carry the named-rule bonus whatever leads."""
    ex = ExtractiveAnswerer(TOK, model=None)
    guide = Chunk("g", "d", 0, "Guidance on dilution levies and their disclosure.", ref="FUNDS 12.4.1",
                  is_guidance=True)  # fmt: skip
    rule = Chunk("r", "d", 1, "(5) A Fund Manager must not make a dilution levy unless permitted.",
                 ref="FUNDS 12.4.1")  # fmt: skip
    by = ("bm25", "dense", "ref")
    hits = [
        Hit(1, 1.0, guide, {"doc_id": "d"}, by, 0.5, 1.0),
        Hit(2, 0.5, rule, {"doc_id": "d"}, by, 0.5, 1.0),
    ]
    q = "What does FUNDS 12.4.1(5) require?"
    ranked = ex.sentences(q, hits)
    assert next(s for s in ranked if s.hit_rank == 1).score > 0.5


def test_a_stems_items_before_its_closing_words_are_quoted() -> None:
    text = ("(12) Employee Incentive Schemes that allow:\na. a cash payment;\nb. a share award; or\n"
            "c. a transfer of shares,\nare still considered as Employee Incentive Schemes.")  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None)
    out = ex.answer("Which employee incentive schemes are still considered as Employee Incentive "
                    "Schemes?", _hits(("MKT 9.7.4", text), by=("bm25", "dense", "ref")))  # fmt: skip
    line = next(ln for ln in out.text.split("\n") if ln.startswith("MKT 9.7.4"))
    if "allow:" in line and "are still considered" in line:
        assert "b. a share award" in line, line


def test_items_marked_with_a_full_stop_are_read_as_a_list() -> None:
    """A second review (thirtieth session): "a." to "k." stopped at "i." (read as a numeral),
    "ii.<TAB>Directors' fees" was split in two, and the first line read "a. ..." as the list's
    end; "two years' training and experience" measures experience."""
    from assistant.answer.answerability import measures_another
    from assistant.language.text import sentence_spans

    t = "regard to:\n" + "\n".join(f"{c}. item {c};" for c in "abcdefghijk")
    assert [t[a:b] for a, b in list_item_spans(t, t.index(":") + 1)][-1] == "k. item k;"
    t = "net of:\ni.\tadministration costs;\nii.\tDirectors' fees; and\niii.\tother costs."
    assert [t[a:b] for a, b in sentence_spans(t)][2] == "ii.\tDirectors' fees; and"
    quote = (
        "The working capital should be net of:\na. the costs of any capital raising; and\nb. fees."
    )
    c = Citation(1, "MKT 2.3.3", "MKT", None, None, None, quote, "c1", 1.0, "d")
    first = finding("What should the working capital be net of?", [c], TOK)
    assert first.rstrip(" [1]").endswith("…"), first
    two = "at least two years' training and experience in compliance"
    at = two.index("two years")
    q = set(TOK("How many years of experience must a compliance officer have?"))
    assert not measures_another(two, (at, at + len("two years")), q, TOK)


def test_items_numbered_with_their_paragraph_follow_a_stem_that_names_the_following() -> None:
    """ "... will need to disclose, among other things, the following information to clients."
    then "4.12.a. The nature ..." was quoted without its items (a robo-adviser's trial on the
    real robo-advisory guidance, thirtieth session)."""
    from assistant.language.text import sentence_spans

    text = ("4.12 Disclosure. Managers must disclose, among other things, the following "
            "information to clients.\n4.12.a. The nature and scope of the services;\n"
            "4.12.b. Details of how the Model is relied upon; and\n4.12.c. The key assumptions."
            "\n4.13 Other matters follow.")  # fmt: skip
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert "4.12.a. The nature and scope of the services;" in spans, spans
    assert marker_styles("4.12.a. The nature and scope") == frozenset({"lower"})
    stem = _sentence(
        text, "Managers must disclose, among other things, the following information to clients."
    )
    got = [s.text for s in list_items(text, stem, stem.start)]
    assert got == ["4.12.a. The nature and scope of the services;",
                   "4.12.b. Details of how the Model is relied upon; and",
                   "4.12.c. The key assumptions."], got  # fmt: skip
    plain = _sentence(text, "4.12 Disclosure.")
    assert list_items(text, plain, plain.start) == []  # no "following": no stem


def test_a_following_stems_items_are_sentences_and_a_following_year_is_no_stem() -> None:
    """A third review (thirtieth session): items ending with full stops stopped after the first,
    and "... by the end of the following year." took the next items as its own."""
    text = ("Managers are subject to other requirements including the following.\n"
            "4.13.a. Circumstances where clients update their data.\n4.13.b. Details of any "
            "conflicts of interest.\n4.13.c. Details of Client Assets.\nA closing sentence.")  # fmt: skip
    stem = _sentence(text, "Managers are subject to other requirements including the following.")
    got = [s.text for s in list_items(text, stem, stem.start)]
    assert len(got) == 3 and got[-1] == "4.13.c. Details of Client Assets.", got
    year = "(a) the firm submits its accounts by the end of the following year.\n(b) it pays.\n(c) it files."
    assert list_items(year, _sentence(year, year.split("\n")[0]), 0) == []
    prose = "Reports must be filed in the following year.\ni. one;\nii. two."
    assert list_items(prose, _sentence(prose, prose.split("\n")[0]), 0) == []
    quote = "\n".join(text.split("\n")[:2])
    note = list_cut(Citation(1, "para 4.13", "G", None, None, None, quote, "c1", 1.0, "d",
                             full_text=text))  # fmt: skip
    assert note is not None and "4.13.b." in note, note


def test_a_yes_no_question_stating_a_place_leads_with_the_sentence_stating_one() -> None:
    """A browser trial on the digest (thirty-first session): "Our compliance head lives in Dubai.
    Can she be our MLRO?" led with the deputy MLRO's appointment, and the residence rule was left
    out. A yes/no question stating a place checks a place: a sentence about its subject that
    states one ranks above one that only names the subject."""
    from assistant.answer.extractive import checks_place

    hits = _hits(
        ("AML 13.1.2", "An Authorised Firm must also appoint a deputy MLRO to act when the MLRO "
                       "is absent."),
        ("AML 13.1.3", "The MLRO must be resident in the Republic of Kazakhstan."),
    )  # fmt: skip
    ex = ExtractiveAnswerer(TOK)
    for q in ("Our compliance head lives in Dubai. Can she be our MLRO?",
              "Can our MLRO live in Dubai?"):  # fmt: skip
        assert checks_place(q)
        assert ex.sentences(q, hits)[0].text.startswith("The MLRO must be resident"), q
    assert not checks_place("Where must the MLRO live?")  # asks for a place: a figure question
    assert not checks_place("We are in Dubai. What must the MLRO do?")  # no yes/no question


def test_a_stem_ending_with_a_typed_hyphen_opens_its_list() -> None:
    """A custodian's trial on the real COBS (thirty-second session): "What does COBS 17.8.3 say?"
    quoted the stem "... shall be read as follows -" and item (a), not (b), the weekly
    reconciliation of virtual assets: a hyphen after a space ends a stem as a dash does; a word
    broken at the line's end does not."""
    from assistant.language.text import is_list_stem

    assert is_list_stem("the following requirements shall be read as follows -")
    assert is_list_stem("if the Regulator—") and not is_list_stem("an anti-")
    assert not is_list_stem("| > 250 | - | -")  # a table row's empty cells (a review)
    text = ("17.8.3 For a firm Providing Custody of Virtual Assets, the following rules shall be "
            "read as follows -\n(a) statements must be sent to a Retail Client at least monthly; "
            "and\n(b) all reconciliations must be conducted at least every week.")  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None).answer("What does COBS 17.8.3 say?",
                                                    _hits(("COBS 17.8.3", text), by=("ref",)))  # fmt: skip
    assert "at least every week" in ex.citations[0].quote, ex.citations[0].quote


def test_a_named_paragraph_of_a_statute_leads_and_its_numbered_title_states_nothing() -> None:
    """A statute lawyer's trial on ADGM's FSMR (thirty-second session): "What does FSMR s.225(2)
    provide?" led with the section's title ("Part 19.Chapter 1.225." split off as a sentence of
    its own, then "Jurisdiction and Role of the Appeals Panel"), and then with its (1)."""
    text = ("Part 19.Chapter 1.225. Jurisdiction and Role of the Appeals Panel\n"
            "Part 19.Chapter 1.225.(1) Any decision made by the Regulator may be referred by that "
            "person to the Appeals Panel for a full merits review.\n"
            "Part 19.Chapter 1.225.(2) A reference under subsection (1) shall be commenced—\n"
            "(a) within 30 days of the relevant decision of the Regulator; or\n"
            "(b) within such further period not exceeding 30 days as the Appeals Panel approves.")  # fmt: skip
    hit = Hit(1, 1.0, Chunk("c0", "d", 0, text, ref="FSMR s.225", rulebook="FSMR"),
              {"doc_id": "d"}, ("ref",), 0.5, 1.0)  # fmt: skip
    ex = ExtractiveAnswerer(TOK, model=None).answer("What does FSMR s.225(2) provide?", [hit])
    first = ex.text.split("\n")[0]
    assert first.startswith("Part 19.Chapter 1.225.(2) A reference"), ex.text
    assert "Jurisdiction and Role" not in ex.citations[0].quote


def test_a_list_item_is_ranked_with_its_stems_words() -> None:
    """A statute lawyer's trial on ADGM's FSMR (thirty-second session): "(a) within 30 days of
    the relevant decision of the Regulator" says nothing of "a reference" but its stem does ("A
    reference under subsection (1) shall be commenced—"); an item is ranked with its stem's
    words (ADGM check: gold passage quoted 0.698 -> 0.711, run B7)."""
    stemmed = ("225.(2) A reference to the Appeals Panel under subsection (1) shall be commenced—\n"
               "(a) within 30 days of the relevant decision of the Regulator; or\n"
               "(b) within such further period as the Panel approves.")  # fmt: skip
    other = "227.(5) The President shall select a sub-panel of three members within 10 days."
    ex = ExtractiveAnswerer(TOK, model=None)
    ranked = ex.sentences("Within how many days must a reference to the Appeals Panel be made?",
                          _hits(("FSMR s.227", other), ("FSMR s.225", stemmed)))  # fmt: skip
    assert ranked[0].text.startswith("(a) within 30 days"), [s.text[:40] for s in ranked[:3]]


def test_a_far_item_is_ranked_with_its_stems_words() -> None:
    """A fund manager's trial on ADGM's IFR (thirty-third session): "What must an Islamic Fund's
    prospectus say about Zakat?" quoted items (a) and (b) of IFR 6.5.1 and noted that the list
    went on, while item (f), "whether Zakat is the responsibility of the Fund ...", answers it:
    its stem ("... must state in the Fund's Prospectus:") was five items up, beyond the three
    a quote holds between them, and its words were not read with it."""
    text = ("6.5.1 A Fund Manager of an Islamic Fund which is a Public Fund must state in the "
            "Fund's Prospectus:\n(a) that all the operations in relation to the Fund will be "
            "conducted in accordance with Shari'a;\n(b) the names of the members of the Shari'a "
            "Supervisory Board;\n(c) what screening methodologies are used;\n(d) if applicable, "
            "the manner and frequency of Shari'a reviews;\n(e) how earnings prohibited by "
            "Shari'a will be disposed of; and\n(f) whether Zakat is the responsibility of the "
            "Fund or the responsibility of the Unitholders.")  # fmt: skip
    ranked = ExtractiveAnswerer(TOK, model=None).sentences(
        "What must an Islamic Fund's prospectus say about Zakat?", _hits(("IFR 6.5.1", text))
    )
    assert ranked[0].text.startswith("(f) whether Zakat"), [s.text[:20] for s in ranked[:3]]


def test_an_item_of_two_sentences_does_not_end_its_list() -> None:
    """A fund COO's trial on ADGM's ESG guidance (fortieth session): item "e." had a second
    sentence ("For the avoidance of doubt, ..."), so items f. and g. were neither quoted nor
    said to follow, and "Investment Companies" (item f.) read as in scope."""
    stem_text = "The following entities do not fall within the scope of the framework."
    full = (
        f"{stem_text}\na. Foundations.\nb. Partnerships.\ne. Listed companies that already "
        "disclose. For the avoidance of doubt, listed entities remain subject to the rules.\n"
        "f. Investment Companies.\ng. Branches of foreign companies.\nOther text follows."
    )
    stem = Sentence(0, 0, len(stem_text), stem_text, 0.0, 0.0, False, False)
    got = [s.text for s in list_items(full, stem, 0)]
    assert got[-2:] == ["f. Investment Companies.", "g. Branches of foreign companies."], got
    assert any(g.endswith("remain subject to the rules.") for g in got), got
    quote = full[: full.index(" For the avoidance")]
    c = Citation(1, None, "ESG", None, None, None, quote, "c1", 1.0, "d", full_text=full)
    note = list_cut(c)
    assert note is not None and "goes on from item f." in note, note


def test_a_second_list_after_a_sentence_of_its_own_is_no_item_of_the_first() -> None:
    """A review (fortieth session): "b. The fees charged." then "Firms should separately assess
    the following risks." and "a. Market risk." was read as one list; and "(b)" then the next
    paragraph "11.2.1.(3) ...:" and its "(a)" was said to go on from item (a)."""
    stem_text = "Firms must disclose the following information to clients."
    full = (f"{stem_text}\na. The nature of the service.\nb. The fees charged.\nFirms should "
            "separately assess the following risks.\na. Market risk.\nb. Liquidity risk.")  # fmt: skip
    stem = Sentence(0, 0, len(stem_text), stem_text, 0.0, 0.0, False, False)
    got = [s.text for s in list_items(full, stem, 0)]
    assert got == ["a. The nature of the service.", "b. The fees charged."], got
    rule = ("11.2.1.(2) A firm must:\n(a) screen its customers; and\n(b) report any match.\n"
            "11.2.1.(3) For the purposes of (2), screening means:\n(a) checking lists.")  # fmt: skip
    quote = rule[: rule.index("match.") + len("match.")]
    c = Citation(1, "AML 11.2.1", "AML", None, None, None, quote, "c1", 1.0, "d", full_text=rule)
    assert list_cut(c) is None
