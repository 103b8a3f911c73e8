"""Who a quoted rule applies to (``assistant/answer/scope.py``): the scope provision of the rule,
its section or its chapter is quoted in a note where it limits who the rule binds. Found by a
consultant's yes/no trial on ADGM's PRU and GEN (thirty-sixth session): "Does a Category 3C firm
have to maintain a Liquidity Coverage Ratio of 100%?" was answered with PRU 9.3.4's "must ...
maintain an LCR of at least 100%", which reads as Yes, while PRU 9.3.1 says the section applies
to Categories 1 and 5 only."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.assistant import Assistant
from assistant.answer.scope import scope_of, scope_sentence
from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from ingest.loaders import LoadOptions
from ingest.model import Chunk
from ingest.refs import Ref, parse_ref


def said(text: str) -> str | None:
    found = scope_sentence(text)
    return None if found is None else text[found[1] : found[2]]


def test_scope_sentences_are_read_where_they_open_a_rule() -> None:
    assert said("9.3.1 This Section applies to an Authorised Person in Category 1 or 5.") == (
        "This Section applies to an Authorised Person in Category 1 or 5.")  # fmt: skip
    assert said("4.7.1.(1)\tThis Rule applies only to an Authorised Person in Category 3A.")
    text = ("3.4.1 Application\nThe Rules in this section do not apply where the Authorised "
            "Person:\n(a) deals with a Market Counterparty;\n(b) undertakes an Execution-Only "
            "Transaction.\n")  # fmt: skip
    assert said(text) == text[text.index("The Rules") : text.rindex(".") + 1]
    # a chapter's scope by its number (a complaint deadline of COBS 20, for Third Party
    # Providers only, answered a broker's question unnoted, an informal founder's trial)
    assert said("20.1.1\tChapter 20 of these Rules applies to Third Party Providers. ") == (
        "Chapter 20 of these Rules applies to Third Party Providers.")  # fmt: skip
    # a reference to a chapter inside a sentence is no scope provision of its own
    assert (
        said("3.1.1 Some provisions of the Rules in this Chapter apply as stated in them.") is None
    )
    assert said("A firm must keep records. It may do so electronically.") is None


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


def test_the_nearest_scope_that_limits_who_a_rule_binds_is_found() -> None:
    chunks = rules(
        ("PRU 9.1.1", "9.1.1 This Chapter applies to an Authorised Person in Category 1, 2, 3A or 5."),
        ("PRU 9.3.1", "9.3.1 This Section applies to an Authorised Person in Category 1 or 5."),
        ("PRU 9.3.4", "9.3.4 An Authorised Person must maintain an LCR of at least 100%."),
        ("PRU 9.4.1", "9.4.1 An Authorised Person must monitor its liquidity."),
        ("PRU 3.3.1", "3.3.1 This Section applies to an Authorised Person in any Category."),
        ("PRU 3.3.2", "3.3.2 An Authorised Person must hold capital."),
        ("PRU 3.1.1", "3.1.1 This Chapter applies only to an Authorised Person in Category 2."),
        ("PRU 20.1.1", "20.1.1 Chapter 20 of these Rules applies to Third Party Providers."),
        ("PRU 20.1.2", "20.1.2 Chapter 19 of these Rules applies to Payment Service Providers."),
        ("PRU 20.13.2", "20.13.2 A firm must resolve a complaint within fifteen days."),
    )  # fmt: skip
    find = lookup(chunks)
    assert scope_of("PRU 9.3.4", "pru", ["PRU"], "...", find) == (
        "PRU 9.3.1", "This Section applies to an Authorised Person in Category 1 or 5.")  # fmt: skip
    # no scope of its section: its chapter's
    assert scope_of("PRU 9.4.1", "pru", ["PRU"], "...", find)[0] == "PRU 9.1.1"  # type: ignore[index]
    # the nearest scope limits nothing ("any Category"): no note, whatever the chapter says
    assert scope_of("PRU 3.3.2", "pru", ["PRU"], "...", find) is None
    # the scope provision quoted, or itself the rule quoted: nothing to add
    assert scope_of("PRU 9.3.1", "pru", ["PRU"], "...", find) is None
    assert scope_of("PRU 9.3.4", "pru", ["PRU"], chunks[1].text, find) is None
    # a scope naming its chapter by number is that chapter's only
    assert scope_of("PRU 20.13.2", "pru", ["PRU"], "...", find) == (
        "PRU 20.1.1", "Chapter 20 of these Rules applies to Third Party Providers.")  # fmt: skip
    # another document's scope is not this one's
    assert scope_of("PRU 9.3.4", "other", ["PRU"], "...", find) is None


def test_a_scope_stem_is_quoted_with_its_items_or_not_at_all() -> None:
    chunks = rules(
        ("PRU 7.1.1", "7.1.1 This Chapter applies to every Authorised Person, other than a "
                      "Representative Office, as follows:"),
        ("PRU 7.1.1", "(1) Rule 7.2 applies to a firm dealing with a Retail Client; and"),
        ("PRU 7.1.1", "(2) Rule 7.3 applies to a firm dealing with a Professional Client."),
        ("PRU 7.3.2", "7.3.2 A firm must handle Complaints promptly."),
    )  # fmt: skip
    found = scope_of("PRU 7.3.2", "pru", ["PRU"], "...", lookup(chunks))
    assert found is not None and found[1].endswith("with a Professional Client.")
    assert found[1].count("\n") == 2
    # items beyond reach: a stem alone says nothing of the scope
    long = rules(chunks[0].ref and ("PRU 7.1.1", chunks[0].text), ("PRU 7.1.1", "(1) " + "x" * 800),
                 ("PRU 7.3.2", chunks[3].text))  # fmt: skip
    assert scope_of("PRU 7.3.2", "pru", ["PRU"], "...", lookup(long)) is None


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
    assert (f'[{lead.n}] PRU 9.3.4 applies as PRU 9.3.1 says: "This Section applies to an '
            'Authorised Person in Category 1 or 5."') in a.notes, a.notes  # fmt: skip
    b = Assistant(index).ask("How often must a firm carry out liquidity stress tests?")
    assert b.citations[0].ref == "PRU 9.4.1" and not any("applies as" in n for n in b.notes)
