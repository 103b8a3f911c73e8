"""Who a quoted rule applies to (``assistant/answer/scope.py``): the scope provision of the rule,
its section or its chapter is quoted in a note where it limits who the rule binds. Found by a
consultant's yes/no trial on ADGM's PRU and GEN (thirty-sixth session): "Does a Category 3C firm
have to maintain a Liquidity Coverage Ratio of 100%?" was answered with PRU 9.3.4's "must ...
maintain an LCR of at least 100%", which reads as Yes, while PRU 9.3.1 says the section applies
to Categories 1 and 5 only."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.assistant import Assistant
from assistant.answer.scope import scope_of, scope_sentences
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from ingest.loaders import LoadOptions
from ingest.model import Chunk
from ingest.refs import Ref, parse_ref


def said(text: str) -> list[str]:
    return [text[s.start : s.end] for s in scope_sentences(text)]


def test_scope_sentences_are_read_where_they_open_a_line() -> None:
    assert said("9.3.1 This Section applies to an Authorised Person in Category 1 or 5.") == [
        "This Section applies to an Authorised Person in Category 1 or 5."]  # fmt: skip
    assert said("4.7.1.(1)\tThis Rule applies only to an Authorised Person in Category 3A.")
    text = ("3.4.1 Application\nThe Rules in this section do not apply where the Authorised "
            "Person:\n(a) deals with a Market Counterparty;\n(b) undertakes an Execution-Only "
            "Transaction.\n")  # fmt: skip
    assert said(text) == [text[text.index("The Rules") : text.rindex(".") + 1]]
    # a chapter's scope by its number (a complaint deadline of COBS 20, for Third Party
    # Providers only, answered a broker's question unnoted, an informal founder's trial)
    assert said("20.1.1\tChapter 20 of these Rules applies to Third Party Providers. ") == [
        "Chapter 20 of these Rules applies to Third Party Providers."]  # fmt: skip
    found = scope_sentences("3.1.1.(5) Rules 3.3.13, 3.3.14 and 3.3.15 do not apply to a Fund "
                            "Manager of a Venture Capital Fund.")  # fmt: skip
    assert [s.numbers for s in found] == [("3.3.13", "3.3.14", "3.3.15")]
    # (a review) ADGM's invisible left-to-right mark before a number, and a paragraph named
    found = scope_sentences(
        "4.1.1.(3) Rule \u200e4.7 applies to the Regulator.\n14.5.5 Rules "
        "14.5.1 to \u200e14.5.3 do not apply to a firm holding Relevant "
        "Money.\n9.1.1.(2) Rule 9.2.2(3) only applies to a firm in Category 2."
    )
    assert [(s.numbers, s.ranges) for s in found] == [
        (("4.7",), ()),
        (("14.5.1", "14.5.3"), (("14.5.1", "14.5.3"),)),
        (("9.2.2",), ()),
    ]
    # (a review) a number inside the sentence does not end it: "section 15.3", not "section 15."
    assert said("15.1.2 This chapter does not apply to Fund Managers, who are subject to the "
                "provisions of section 15.3 and Appendix A1.3 of the Fund Rules.")[0].endswith(
        "Appendix A1.3 of the Fund Rules.")  # fmt: skip
    # (a review) only where it opens its line, after a label at most: not a sentence's middle
    # ("The other Rules in Section 8.3 do not apply ..."), nor a guidance paragraph's
    assert said("8.3.1 The other Rules in Section 8.3 do not apply to a firm in Category 4.") == []
    assert said("11.Introduction.Guidance.1. Chapter 11 applies to banks and dealers.") == []
    assert said("3.1.1 Some provisions of the Rules in this Chapter apply as stated in them.") == []
    assert said("A firm must keep records. This Rule applies to Y.") == []


def rules(*items: tuple[str, str]) -> list[Chunk]:
    return [Chunk(f"c{i}", "pru", i, text, ref=ref, rulebook="PRU") for i, (ref, text) in
            enumerate(items)]  # fmt: skip


def lookup(chunks: list[Chunk]):  # type: ignore[no-untyped-def]
    def chunks_for_ref(ref: Ref) -> list[Chunk]:
        out = []
        for c in chunks:
            own = parse_ref(c.ref or "", books=("PRU",))
            if own is not None and (ref.contains(own) or own.contains(ref)):
                out.append(c)
        return out

    return chunks_for_ref


def test_the_most_specific_scope_that_limits_who_a_rule_binds_is_found() -> None:
    chunks = rules(
        ("PRU 9.1.1", "9.1.1 This Chapter applies to an Authorised Person in Category 1, 2, 3A or 5."),
        ("PRU 9.3.1", "9.3.1 This Section applies to an Authorised Person in Category 1 or 5."),
        ("PRU 9.3.4", "9.3.4 An Authorised Person must maintain an LCR of at least 100%."),
        ("PRU 9.4.1", "9.4.1 An Authorised Person must monitor its liquidity."),
        ("PRU 3.1.1", "3.1.1 This Chapter applies only to an Authorised Person in Category 2."),
        ("PRU 3.3.1", "3.3.1 This Section applies to an Authorised Person in any Category."),
        ("PRU 3.3.2", "3.3.2 An Authorised Person must hold capital."),
        ("PRU 20.1.1", "20.1.1 Chapter 20 of these Rules applies to Third Party Providers."),
        ("PRU 20.1.2", "20.1.2 Chapter 19 of these Rules applies to Payment Service Providers."),
        ("PRU 20.13.2", "20.13.2 A firm must resolve a complaint within fifteen days."),
    )  # fmt: skip
    find = lookup(chunks)
    assert scope_of("PRU 9.3.4", "pru", ["PRU"], ["..."], find) == (
        "PRU 9.3.1", "This Section applies to an Authorised Person in Category 1 or 5.")  # fmt: skip
    # no scope of its section: its chapter's
    assert scope_of("PRU 9.4.1", "pru", ["PRU"], ["..."], find)[0] == "PRU 9.1.1"  # type: ignore[index]
    # the most specific scope limits nothing ("any Category"): no note, whatever the chapter says
    assert scope_of("PRU 3.3.2", "pru", ["PRU"], ["..."], find) is None
    # already quoted by the answer: nothing to add
    assert scope_of("PRU 9.3.4", "pru", ["PRU"], [chunks[1].text], find) is None
    # a scope naming its chapter by number is that chapter's only
    assert scope_of("PRU 20.13.2", "pru", ["PRU"], ["..."], find) == (
        "PRU 20.1.1", "Chapter 20 of these Rules applies to Third Party Providers.")  # fmt: skip
    # another document's scope is not this one's
    assert scope_of("PRU 9.3.4", "other", ["PRU"], ["..."], find) is None


def test_a_scope_is_the_cited_rules_own_not_another_rules() -> None:
    """Reviews of the first version: a chapter cited ("PRU 4") got rule 4.7.1's "This Rule
    applies only to ... Category 3A"; a chapter's scope listing its sections one by one was
    given for a section it does not list (6.12A, a Third Party Provider's, under "Section 6.12
    applies only to ... 3B, 3C or 4"); an inclusion saying "any" hid the chapter's exclusion
    (COBS 2.1.1, then 2.1.3 "This chapter does not apply to: ..."); rules named are their own
    scope (GEN 3.1.1(5))."""
    chunks = rules(
        ("PRU 4", "4 CREDIT RISK Credit Risk is the risk of a borrower failing to pay."),
        ("PRU 4.1.1", "4.1.1 This Chapter applies to an Authorised Person in Category 1, 2, 3A or 5."),
        ("PRU 4.7.1", "4.7.1.(1) This Rule applies only to an Authorised Person in Category 3A."),
        ("PRU 4.7.2", "4.7.2 A firm may apply the Simplified Approach."),
        ("PRU 6.1.1", "6.1.1 This Chapter applies to an Authorised Person as follows:\n(a) "
                      "Sections 6.1 to 6.9 apply to an Authorised Person in any Category;\n(b) "
                      "Section 6.12 applies only to an Authorised Person in Category 3B, 3C or 4."),
        ("PRU 6.5.1", "6.5.1 A firm must manage its outsourcing."),
        ("PRU 6.12.2", "6.12.2 A firm must hold professional indemnity insurance."),
        ("PRU 6.12A.1", "6.12A.1 A Third Party Provider must hold cover of US$150,000."),
        ("PRU 2.1.1", "2.1.1 This chapter applies to an Authorised Person carrying on any "
                      "Regulated Activity."),
        ("PRU 2.1.3", "2.1.3 This chapter does not apply to a Credit Rating Agency."),
        ("PRU 2.7.1", "2.7.1 A firm must keep a record of each client's classification."),
        ("PRU 3.1.1", "3.1.1.(5) Rules 3.3.13, 3.3.14 and 3.3.15 do not apply to a Fund Manager "
                      "of a Venture Capital Fund."),
        ("PRU 3.3.13", "3.3.13 The internal audit function must be independent."),
        ("PRU 3.3.16", "3.3.16 A firm must have a compliance function."),
    )  # fmt: skip
    find = lookup(chunks)
    assert scope_of("PRU 4", "pru", ["PRU"], ["..."], find)[0] == "PRU 4.1.1"  # type: ignore[index]
    assert scope_of("PRU 4.7.2", "pru", ["PRU"], ["..."], find)[0] == "PRU 4.1.1"  # type: ignore[index]
    assert scope_of("PRU 6.12A.1", "pru", ["PRU"], ["..."], find) is None
    assert scope_of("PRU 6.12.2", "pru", ["PRU"], ["..."], find)[0] == "PRU 6.1.1"  # type: ignore[index]
    assert scope_of("PRU 6.5.1", "pru", ["PRU"], ["..."], find) is None  # "any Category"
    assert scope_of("PRU 2.7.1", "pru", ["PRU"], ["..."], find) == (
        "PRU 2.1.3", "This chapter does not apply to a Credit Rating Agency.")  # fmt: skip
    assert scope_of("PRU 3.3.13", "pru", ["PRU"], ["..."], find)[0] == "PRU 3.1.1"  # type: ignore[index]
    assert scope_of("PRU 3.3.16", "pru", ["PRU"], ["..."], find) is None


def test_a_scope_stem_is_quoted_with_its_items() -> None:
    text = ("7.1.1 This Chapter applies to every Authorised Person, other than a Representative "
            "Office, as follows:\n(1) Rule 7.2 applies to a firm dealing with a Retail Client; "
            "and\n(2) Rule 7.3 applies to a firm dealing with a Professional Client.")  # fmt: skip
    chunks = rules(("PRU 7.1.1", text), ("PRU 7.3.2", "7.3.2 A firm must handle Complaints."))
    found = scope_of("PRU 7.3.2", "pru", ["PRU"], ["..."], lookup(chunks))
    assert found is not None and found[1].endswith("with a Professional Client.")
    assert found[1].startswith("This Chapter applies") and found[1].count("\n") == 2
    # its items in passages of their own: the item about the rule; a stem alone, nothing
    stem, one, two = text.split("\n")
    apart = rules(("PRU 7.1.1", stem), ("PRU 7.1.1", one), ("PRU 7.1.1", two),
                  ("PRU 7.3.2", "7.3.2 A firm must handle Complaints."),
                  ("PRU 7.4.1", "7.4.1 A firm must publish its procedure."))  # fmt: skip
    assert scope_of("PRU 7.3.2", "pru", ["PRU"], ["..."], lookup(apart)) == (
        "PRU 7.1.1", "Rule 7.3 applies to a firm dealing with a Professional Client.")  # fmt: skip
    assert scope_of("PRU 7.4.1", "pru", ["PRU"], ["..."], lookup(apart)) is None


def test_an_answer_notes_the_scope_of_the_rule_it_quotes(index: Index, tmp_path: Path) -> None:
    doc = tmp_path / "pru.txt"
    doc.write_text(
        "9 LIQUIDITY RISK\n\n9.3 Liquidity Coverage Ratio\n\n9.3.1 This Section applies to an "
        "Authorised Person in Category 1 or 5.\n\n9.3.4 An Authorised Person must maintain a "
        "Liquidity Coverage Ratio of at least 100%.\n\n9.4 Stress testing\n\n9.4.1 An Authorised "
        "Person must carry out liquidity stress tests at least annually.\n"
    )  # fmt: skip
    ingest_paths(index, [doc], LoadOptions(rulebook="PRU", jurisdiction="ADGM"))
    a = Assistant(index).ask("Does a Category 3C firm have to maintain a Liquidity Coverage Ratio?")
    lead = a.citations[0]
    assert lead.ref == "PRU 9.3.4", a.citations
    assert (f'[{lead.n}] Scope of PRU 9.3.4, in PRU 9.3.1: "This Section applies to an '
            'Authorised Person in Category 1 or 5."') in a.notes, a.notes  # fmt: skip
    b = Assistant(index).ask("How often must a firm carry out liquidity stress tests?")
    assert b.citations[0].ref == "PRU 9.4.1" and not any("Scope of" in n for n in b.notes)
