"""Obligations read from rule text itself (assistant.policy.extraction), on sentences written here
and on the hand-labelled ADGM AML sample (text read from ../shared at test time)."""

from pathlib import Path

import pytest

from assistant.policy.extraction import analyse, extract_rulebook, normalise_actor, read_provisions
from evals.policy_eval import run_obligation_eval
from evals.real.adgm import data_dir

WHO = "Relevant Person"
KNOWN = frozenset({"relevant person", "mlro", "authorised person", "governing body"})


def read(s: str, **kw: object):  # type: ignore[no-untyped-def]
    return analyse(s, addressee=WHO, actors=KNOWN, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sentence", "modality", "actor", "guidance"),
    [
        ("A Relevant Person must keep its records for at least six years.", "must", "Relevant Person", False),
        ("The MLRO shall report to the board every quarter.", "shall", "MLRO", False),
        ("An Authorised Person must not open anonymous accounts.", "must not", "Authorised Person", False),
        ("A Relevant Person's Governing Body must approve the policy.", "must", "Governing Body", False),
        ("Where a Relevant Person relies on a third party, it must obtain the data at once.", "must", "Relevant Person", False),
        ("Records must be kept in a retrievable form.", "must", "Relevant Person", False),
        ("The annual report must cover the calendar year.", "must", "Relevant Person", False),
        ("Relevant Persons should keep a list of high-risk jurisdictions.", "should", "Relevant Persons", True),
        ("A Relevant Person is expected to review its controls.", "should", "Relevant Person", True),
        ("The Regulator expects a Relevant Person to train its staff.", "should", "Relevant Person", True),
        ("A Relevant Person that is a bank is required to screen payments.", "is required to", "Relevant Person", False),
        ("Instead, an Authorised Person may not rely on the group.", "may not", "Authorised Person", False),
        # (a review, thirty-seventh session: "appropriate" of the possibilities read "appropriated")
        ("A Relevant Person may not be appropriated by the group.", "may not", "Relevant Person", False),
        ("Each report shall be read by the MLRO.", "shall", "Relevant Person", False),
    ],
)  # fmt: skip
def test_obligations_with_their_modal_and_actor(
    sentence: str, modality: str, actor: str, guidance: bool
) -> None:
    st = read(sentence)
    assert st.is_obligation and st.modality == modality and st.is_guidance == guidance
    assert normalise_actor(st.actor) == normalise_actor(actor)


@pytest.mark.parametrize(
    "sentence",
    [
        "A Relevant Person may outsource its CDD to a service provider.",
        "A Relevant Person need not verify the identity of the beneficiary.",
        "A Relevant Person is not required to comply with (b) if the customer is a bank.",
        '"Customer" means any person with whom a firm deals.',
        "The outcome is a risk rating, which sets the level of CDD that must be undertaken.",
        "Relevant Persons should note that this Chapter applies to prospective customers.",
        "Chapter 10 sets out the obligations of banks.",
        'For the purposes of (2), a person shall have "control" if it holds most votes.',
        # a possibility, and a provision that says how another reads (a compliance manager's
        # trial, thirty-seventh session: each was listed as a duty)
        "The interests of the Governing Body may not necessarily be aligned with the firm's.",
        "A Relevant Person may not need to include every customer in the assessment.",
        "In relation to Virtual Assets, Rule 15.2.1 shall be read as if 'Client' included them.",
        # (a second review: "read accordingly", "read to include", "read subject to")
        "References to making a provision shall be read accordingly as including its revocation.",
        "All dollar amounts shall be read to include the equivalent amounts in other currencies.",
    ],
)
def test_sentences_that_bind_no_one(sentence: str) -> None:
    assert not read(sentence).is_obligation


def test_conditions_action_and_typed_parameters() -> None:
    st = read("If a customer is high-risk, the MLRO must review the file within 5 business days.")
    assert st.actor == "MLRO" and st.action.startswith("review the file")
    assert st.conditions and st.conditions[0].startswith("If a customer is high-risk")
    assert [(p.kind, p.value) for p in st.params] == [("deadline", 7.0)]


def test_list_items_inherit_the_lead_in(tmp_path: Path) -> None:
    text = (
        "1.\tCHAPTER ONE\n"
        "1.1\tRecords\n"
        "1.1.1\tA Relevant Person must:\n"
        "(a)\tkeep records of every transaction for six years; and\n"
        "(b)\tinform the Regulator immediately of a breach.\n"
        "1.1.2\tThe Regulator may publish guidance on:\n"
        "(a)\trecord formats.\n"
        "1.1.2.Guidance\t\n"
        "1.1.2.Guidance.1.\tA Relevant Person should keep records electronically.\n"
        "/Table Start\nA\tB\n/Table End\n"
    )
    path = tmp_path / "book.txt"
    path.write_text(text)
    assert [p.number for p in read_provisions(path)] == [
        "1.1.1",
        "(a)",
        "(b)",
        "1.1.2",
        "(a)",
        "1.1.2.Guidance.1.",
    ]
    got = {(r.provision.line, r.index): r.statement for r in extract_rulebook(path)}
    a, b, other = got[(4, 0)], got[(5, 0)], got[(7, 0)]
    assert (
        a.is_obligation
        and a.inherited
        and a.actor == "Relevant Person"
        and a.params[0].value == 6 * 365.0
    )
    assert b.is_obligation and b.params[0].kind == "deadline" and b.params[0].value == 0.0
    assert not other.is_obligation  # a list under "may publish" binds no one
    assert got[(9, 0)].is_obligation and got[(9, 0)].is_guidance
    assert all(r.provision.ref.startswith("1.1") for r in extract_rulebook(path))


AML = data_dir() / "rulebooks-txt" / "AML_VER09.211223.txt"


@pytest.mark.skipif(not AML.exists(), reason=f"ADGM rulebooks not found at {AML}")
def test_extraction_on_the_hand_labelled_adgm_sample() -> None:
    """Targets (issue 14): precision and recall of 'is an obligation' at least 0.9, on the
    sentences labelled before the extractor saw them (check) as well as on the dev ones."""
    result = run_obligation_eval()
    for split, r in result["splits"].items():
        assert r["drift"] == [], (split, r["drift"])
        m = r["metrics"]
        assert m["obligation_precision"] >= 0.9 and m["obligation_recall"] >= 0.9, (split, m)
        assert m["actor_precision"] >= 0.85 and m["actor_recall"] >= 0.85, (split, m)
        assert m["params_precision"] >= 0.85 and m["params_recall"] >= 0.85, (split, m)
    assert sum(r["sentences"] for r in result["splits"].values()) >= 150


def test_the_items_of_an_indexed_rule_s_list_are_obligations_with_their_stem() -> None:
    """A consultant's trial on the real AML rulebook as a PDF (twenty-fifth session): 83 of 331
    register entries were a stem alone ("6.1.1 A Relevant Person must:"), its items and their
    figures never compared with a draft (a one-off threshold of USD 50,000 against the rule's
    USD 15,000 was "missing"); and the regulator's own duties were listed for the firm."""
    from assistant.policy.obligations import extract
    from ingest.model import Chunk

    text = ("6.1.1 A Relevant Person must:\n(a) identify the customer;\n(b) undertake CDD when "
            "carrying out a one-off transaction of USD 15,000 or more; and\n(c) keep records of:\n"
            "(i) the identity;\n(ii) the transaction.\nWhere the Regulator decides to register a "
            "firm, it shall notify the firm in writing.")  # fmt: skip
    got = extract(Chunk("c1", "d1", 0, text, ref="AML 6.1.1", rulebook="AML"), {"kind": "rules"})
    texts = [o.text for o in got]
    assert "6.1.1 A Relevant Person must:" not in texts  # read through its items
    b = next(o for o in got if "(b)" in o.text)
    assert b.text.startswith("6.1.1 A Relevant Person must: … (b) undertake CDD")
    assert b.modality == "must" and [p.text for p in b.params] == ["USD 15,000"]
    assert any(t.endswith("… (c) keep records of: … (ii) the transaction.") for t in texts)
    assert not any("Regulator decides" in t for t in texts)  # the regulator's duty binds no firm
    # a stem with a figure of its own stays too, the figure a draft is compared with (a review)
    timed = ("(5) Where it is unable to verify the customer within twenty Business Days it must:\n"
             "(a) terminate the relationship;\n(b) consider filing a report.")  # fmt: skip
    got = extract(Chunk("c3", "d1", 0, timed, ref="AML 8.2.1", rulebook="AML"), {"kind": "rules"})
    assert got[0].text.startswith("(5) Where") and got[0].text.endswith("it must:")
    assert [p.text for p in got[0].params] == ["within twenty Business Days"] and len(got) == 3
    # a review: a sibling paragraph ends the list ("(2) Paragraph (1) does not apply ..." was a
    # duty), and an outer item after a nested list goes back under the outer stem
    sib = ("(1) A Relevant Person must:\n(a) verify the identity of each customer; and\n(b) keep "
           "the records.\n(2) Paragraph (1) does not apply to a Representative Office.")  # fmt: skip
    got = extract(Chunk("c4", "d1", 0, sib, ref="AML 6.1.3", rulebook="AML"), {"kind": "rules"})
    assert not any("(2) Paragraph" in o.text for o in got) and len(got) == 2
    nest = ("A Relevant Person must:\n(a) obtain:\n(i) the source of funds; and\n(ii) the source "
            "of wealth;\n(b) update the CDD information regularly.")  # fmt: skip
    got = [o.text for o in extract(Chunk("c5", "d1", 0, nest, ref="AML 8.4.1"), {"kind": "rules"})]
    assert got == ["A Relevant Person must: … (a) obtain: … (i) the source of funds; and",
                   "A Relevant Person must: … (a) obtain: … (ii) the source of wealth;",
                   "A Relevant Person must: … (b) update the CDD information regularly."], got  # fmt: skip
    # an item with a modal of its own keeps the list open for the items after it
    own = ("A firm must:\n(a) keep records;\n(b) where it outsources, it must notify the "
           "Regulator; and\n(c) review the records each year.")  # fmt: skip
    got = [o.text for o in extract(Chunk("c6", "d1", 0, own, ref="AML 9.1.1"), {"kind": "rules"})]
    assert got[-1] == "A firm must: … (c) review the records each year.", got
    # a third review: "(i)" after "(h)" is a letter, a list opening at "(i)" is of numerals to
    # "(xv)", and numerals under an item that is no stem ("(b) ... following;") stay in the list
    letters = "A firm must notify:\n" + "".join(f"({c}) body {c};\n" for c in "abcdefghij")
    got = [
        o.text
        for o in extract(Chunk("c7", "d1", 0, letters.strip(), ref="AML 9.2"), {"kind": "rules"})
    ]
    assert len(got) == 10 and got[-1] == "A firm must notify: … (j) body j;", got
    numerals = [
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "vii",
        "viii",
        "ix",
        "x",
        "xi",
        "xii",
        "xiii",
        "xiv",
        "xv",
    ]
    roman = "A firm must keep:\n" + "\n".join(f"({r}) record {r};" for r in numerals)
    got = [o.text for o in extract(Chunk("c8", "d1", 0, roman, ref="AML 9.3"), {"kind": "rules"})]
    assert len(got) == 15 and got[-1] == "A firm must keep: … (xv) record xv;", got
    loose = ("The statement must include:\n(a) the name of the client;\n(b) the cash value of each of "
             "the following;\n(i) cash loans; and\n(ii) total secured obligations.")  # fmt: skip
    got = [
        o.text for o in extract(Chunk("c9", "d1", 0, loose, ref="COB 6.12.3"), {"kind": "rules"})
    ]
    assert got[-1] == "The statement must include: … (ii) total secured obligations.", got
    # a stem with no items after it stays an obligation of its own
    alone = extract(
        Chunk("c2", "d1", 0, "A Relevant Person must:", ref="AML 6.1.2"), {"kind": "rules"}
    )
    assert [o.text for o in alone] == ["A Relevant Person must:"]


def test_a_list_split_over_two_chunks_and_its_closing_words_are_read_whole() -> None:
    """A trial on the real AML rulebook (twenty-eighth session): AML 4.5.1 (1,315 characters) was
    indexed in two chunks, and its items "(e)" to "(g)" were no obligation; its closing words
    ("(g) ... Rules," then "for at least six years from ...") bound no item, so a draft keeping
    records five years conflicted only with other rules. A run of one rule's chunks is read as
    one list, and closing words after a last item ending with a comma go with every item."""
    from assistant.policy.obligations import extract, rule_runs
    from ingest.model import Chunk

    one = ("4.5.1 A Relevant Person must maintain the following records:\n(a) CDD documents;\n"
           "(b) records of the relationship, including:\n(i) correspondence; and\n(ii) "
           "transaction records;")  # fmt: skip
    two = ("(c) communications with the FIU; and\n(d) any other matter to be recorded,\nfor at "
           "least six years from the date on which the relationship ends.")  # fmt: skip
    guidance = Chunk("g", "d1", 2, "A firm should keep them in English.", ref="AML 4.5.1",
                     heading_path=("Guidance",), is_guidance=True)  # fmt: skip
    other = Chunk("o", "d2", 1, "(e) a sixth item;", ref="AML 4.5.1")  # another document
    chunks = [Chunk("c1", "d1", 0, one, ref="AML 4.5.1", rulebook="AML"),
              Chunk("c2", "d1", 1, two, ref="AML 4.5.1", rulebook="AML"), guidance, other]  # fmt: skip
    runs = rule_runs(chunks)
    assert [[c.chunk_id for c in run] for run in runs] == [["c1", "c2"], ["g"], ["o"]]
    got = extract(runs[0], {"kind": "rules"})
    texts = [o.text for o in got]
    stem = "4.5.1 A Relevant Person must maintain the following records:"
    tail = " … for at least six years from the date on which the relationship ends."
    assert texts == [
        f"{stem} … (a) CDD documents;{tail}",
        f"{stem} … (b) records of the relationship, including: … (i) correspondence; and{tail}",
        f"{stem} … (b) records of the relationship, including: … (ii) transaction records;{tail}",
        f"{stem} … (c) communications with the FIU; and{tail}",
        f"{stem} … (d) any other matter to be recorded,{tail}",
    ], texts
    assert all([p.text for p in o.params] == ["at least six years"] for o in got)
    assert [o.chunk_id for o in got] == ["c1", "c1", "c1", "c2", "c2"]  # each item's own chunk
    # (a review) closing words after a nested list are the outer list's: every item has them
    nested = ("8.8.4 A Person must not:\n(a) become a Controller; or\n(b) increase its control "
              "beyond:\n(i) 20%, or\n(ii) 30%,\nunless it has the prior written approval of the "
              "Regulator.")  # fmt: skip
    got = extract(Chunk("c4", "d1", 0, nested, ref="GEN 8.8.4"), {"kind": "rules"})
    assert len(got) == 3 and all(o.text.endswith("approval of the Regulator.") for o in got), got
    # the closing words of a nested list, the outer one going on after them: AML 8.4.1's "(c)
    # identify and verify: (i) ... (ii) ...;" then "of the customer and ... Owners;" then "(d)"
    # to "(g)", which were no obligations (an AML consultant's trial, thirty-first session)
    pep = ("8.4.1 A Relevant Person must:\n(a) obtain more information;\n(c) identify and "
           "verify:\n(i) the Source of Funds; and\n(ii) the Source of Wealth;\nof the customer "
           "and, if applicable, all Beneficial Owners;\n(d) conduct enhanced monitoring;\n(e) "
           "obtain the approval of Senior Management to commence a business relationship.")  # fmt: skip
    got = [o.text for o in extract(Chunk("c5", "d1", 0, pep, ref="AML 8.4.1"), {"kind": "rules"})]
    assert len(got) == 5, got
    assert got[1].endswith("(i) the Source of Funds; and … of the customer and, if applicable, all "
                           "Beneficial Owners;"), got  # fmt: skip
    assert got[3].endswith("(d) conduct enhanced monitoring;") and "Source of" not in got[3], got
    assert got[4].endswith("approval of Senior Management to commence a business relationship.")
    # (a review) words that go on in the last item alone ("including") are that item's
    own = pep.replace("(ii) the Source of Wealth;\nof the customer and, if applicable, all "
                      "Beneficial Owners;", "(ii) the Source of Wealth, including\nbank statements "
                      "for the last six months;")  # fmt: skip
    got = [o.text for o in extract(Chunk("c6", "d1", 0, own, ref="AML 8.4.1"), {"kind": "rules"})]
    assert not any("Source of Funds" in t and "six months" in t for t in got), got
    # (a review) an item whose only modal is the regulator's is its stem's duty, and the list
    # goes on after it
    form = ("6.4.1 Each Authorised Firm must:\n(1) notify the AFSA of the appointment of an "
            "Auditor in such form as the AFSA shall prescribe; and\n(2) keep records.")  # fmt: skip
    got = [o.text for o in extract(Chunk("c5", "d1", 0, form, ref="GEN 6.4.1"), {"kind": "rules"})]
    assert len(got) == 2 and got[1] == "6.4.1 Each Authorised Firm must: … (2) keep records.", got
    # words after an item that ends with a semicolon or a full stop close nothing
    ended = "A firm must keep:\n(a) records; and\n(b) reports.\nfor the avoidance of doubt, none."
    got = extract(Chunk("c3", "d1", 0, ended, ref="AML 9.9"), {"kind": "rules"})
    assert [o.text for o in got] == ["A firm must keep: … (a) records; and",
                                     "A firm must keep: … (b) reports."]  # fmt: skip


def test_applies_to_reads_a_role_from_the_rules_own_subjects() -> None:
    """A consultant's trial on the real FUNDS rulebook (twenty-eighth session): `obligations
    --applies-to "Fund Manager"` said no obligation names it, every duty bound to "Authorised
    Firm" (no gazetteer lists a fund manager). A role is also read from the sentence's subject,
    as whole words; a role named only elsewhere in the sentence is not its subject's."""
    from assistant.policy.obligations import Register, extract
    from ingest.model import Chunk

    text = ("12.10.1 The Fund Manager of a Public Fund must keep a record of Units.\n12.10.2 A "
            "Trustee must give the record to the Fund Manager.\n12.10.3 Fund Managers must "
            "report.\n12.10.4 A firm must keep minutes.")  # fmt: skip
    reg = Register(extract(Chunk("c1", "d1", 0, text, ref="FUNDS 12.10.1"), {"kind": "rules"}))
    got = [o.text[:12] for o in reg.filter(roles=["Fund Manager"])]
    assert got == ["12.10.1 The ", "12.10.3 Fund"], got
    assert [o.text[:12] for o in reg.filter(roles=["trustee"])] == ["12.10.2 A Tr"]
    assert [o.text[:12] for o in reg.filter(roles=["manager of a"])] == []  # not a role's words


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        # an exception set off by commas qualifies the subject before it; "resident" is no
        # participle (a trading venue's obligations register, fortieth session: the first was
        # the Representative Office's duty, the second had no actor)
        ("An Authorised Firm, other than a Representative Office, must appoint a deputy MLRO.", "Authorised Firm"),
        ("The MLRO must be resident in the Republic of Kazakhstan.", "MLRO"),
        ("A Recognised Body, except a Remote Body, must be compliant with these Rules.", "Recognised Body"),
        ("The Compliance Officer must be independent of the business lines.", "Compliance Officer"),
        # a content clause after a verb is the duty, its subject the actor ("procedure is" was)
        ("The procedure is that the Regulator must notify the Recognised Body.", "Regulator"),
        ("The Rules provide that a firm must keep records.", "firm"),
        # (a review) a word before "by" its agent is a participle whatever its ending
        ("The moneys must not be misspent by the Fund Manager.", "Fund Manager"),
    ],
)  # fmt: skip
def test_the_actor_past_an_exception_and_before_an_adjective_in_ent_or_ant(
    sentence: str, actor: str
) -> None:
    st = analyse(sentence)
    assert st.is_obligation and st.actor == actor
