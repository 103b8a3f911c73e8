"""The LLM-mode trial of 2026-12-04: replies a stub endpoint gave, against sources from our
digest. Each unfaithful reply was kept before; each faithful one must still be kept."""

from __future__ import annotations

import pytest

from assistant.answer.verify import Verifier
from assistant.index.keywords import Tokenizer

MONEY = ("A firm Providing Money Services in relation to Digital Assets (Part 4) must hold capital "
         "of at least USD 200,000, with more where it combines other activities. Firms other than "
         "DASPs hold USD 200,000 under PRU.")  # fmt: skip
CDD = ("For an occasional transaction in Digital Assets, the customer due diligence threshold is "
       "USD 1,000: CDD must be undertaken for an occasional Digital Asset transaction of USD 1,000 "
       "or more.")  # fmt: skip
LAB = ("The FinTech Lab licence is issued by the Chief FinTech Officer (CFTO) on behalf of the "
       "AFSA and is valid for 2 years. An application to extend it must be made at least 2 months "
       "before it expires.")  # fmt: skip
VARY = "The CFTO must give a participant 7 days notice before varying the conditions of a licence."
FSFR = ("A Centre Participant must not carry on a Regulated Activity, a Market Activity or an "
        "Ancillary Service in the AIFC unless the AFSA has licensed it to do so.")  # fmt: skip
LEND = ("A DATF operator may not allow a Member or user to lend Digital Assets unless it is "
        "satisfied that the person is a Professional Client.")  # fmt: skip
RETURN = ("A Relevant Person must file the annual AFSA AML Return within 2 months after the end of "
          "its financial year.")  # fmt: skip
REPORT = "Staff must report knowledge or suspicion of money laundering internally to the MLRO."
STR = ("The MLRO must investigate an internal report, decide whether to file an STR, file the STR "
       "with the FIU and promptly notify the AFSA.")  # fmt: skip
RK = ("National law, not an AIFC rule. The National Bank of Kazakhstan licenses onshore unsecured "
      "digital asset exchange operators (minimum charter capital KZT 50,000,000, as a JSC or LLP).")  # fmt: skip

RK_AIFC = RK + " The older statement that crypto exchange is legal only in the AIFC is out of date."
TAX = ("Article 6 of the Constitutional Statute on the AIFC exempts AIFC participants licensed by "
       "the AFSA from corporate income tax and VAT on income from listed financial services.")  # fmt: skip
THRESHOLD = ("National law, not an AIFC rule. Threshold transactions of KZT 5,000,000 or more are "
             "reported to the Financial Monitoring Agency.")  # fmt: skip
NATIONAL = (RK, RK_AIFC, TAX, THRESHOLD)

V = Verifier(Tokenizer())


@pytest.mark.parametrize(
    ("reply", "sources", "refs", "kind"),
    [
        # a bound, a direction or a condition turned round
        ("A firm Providing Money Services in relation to Digital Assets must hold capital of at "
         "most USD 200,000 [1].", {1: MONEY}, {1: "DAA 4.2"}, "figure"),
        ("CDD must be undertaken for an occasional Digital Asset transaction of less than "
         "USD 1,000 [1].", {1: CDD}, {1: "AML 6.1.1(a-a)"}, "figure"),
        ("An application to extend the FinTech Lab licence must be made at least 2 months after "
         "it expires [1].", {1: LAB}, {1: "FINTECH 2.5.1"}, "figure"),
        ("A Centre Participant must not carry on a Regulated Activity in the AIFC if the AFSA has "
         "licensed it to do so [1].", {1: FSFR}, {1: "FSFR s.24"}, "polarity"),
        ("A DATF operator may not allow a Member or user to lend Digital Assets unless it is "
         "satisfied that the person is a Retail Client [1].", {1: LEND}, {1: "DAA 2.9"}, "actor"),
        # a figure bound to the wrong thing
        ("The FinTech Lab licence is valid for 2 months [1].", {1: LAB}, {1: "FINTECH 2.5.1"},
         "figure"),
        ("An application to extend the FinTech Lab licence must be made at least 7 days before it "
         "expires [2].", {1: LAB, 2: VARY}, {1: "FINTECH 2.5.1", 2: "FINTECH 2.6"}, "figure|actor"),
        # a sub-rule or another paragraph the source does not write
        ("Under AML 13.7.2, a Relevant Person must file the annual AFSA AML Return within 2 months "
         "after the end of its financial year [1].", {1: RETURN}, {1: "AML 13.7"}, "reference"),
        ("Under AML 6.1.1(a), CDD must be undertaken for an occasional Digital Asset transaction "
         "of USD 1,000 or more [1].", {1: CDD}, {1: "AML 6.1.1(a-a)"}, "reference"),
        # another actor outside the subject
        ("Staff must report knowledge or suspicion of money laundering internally to the "
         "Governing Body [1].", {1: REPORT}, {1: "AML 13.4"}, "actor"),
        ("The MLRO must investigate an internal report, decide whether to file an STR, file the "
         "STR with the FIU and promptly notify the Governing Body [1].", {1: STR}, {1: "AML 13.5"},
         "actor"),
        # national law as AIFC law
        ("Under the AIFC rules, the AFSA requires digital asset exchange operators to hold "
         "minimum charter capital of KZT 50,000,000 [1].", {1: RK}, {1: None}, "regime"),
        # (a platform engineer's trial, 2026-12-05: another sentence of the section naming the
        # AIFC let it through; so did an AIFC rulebook named instead of the AIFC)
        ("Under the AIFC rules, an unsecured digital asset exchange operator must have minimum "
         "charter capital of KZT 50,000,000 [1].", {1: RK_AIFC}, {1: None}, "regime"),
        ("Under the AML Rules, threshold transactions of KZT 5,000,000 or more are reported to the "
         "Financial Monitoring Agency [1].", {1: THRESHOLD}, {1: None}, "regime"),
        # an exception, a relaxation or a weaker duty the source does not state (a platform
        # engineer's trial, 2026-12-05: each was kept)
        ("A Relevant Person must file the annual AFSA AML Return within 2 months after the end of "
         "its financial year, but small firms are exempt [1].", {1: RETURN}, {1: "AML 13.7"}, "polarity"),
        ("A Relevant Person must file the annual AFSA AML Return within 2 months after the end of "
         "its financial year (in practice the AFSA accepts it later) [1].", {1: RETURN}, {1: "AML 13.7"},
         "polarity"),
        ("Filing the annual AFSA AML Return within 2 months after the end of its financial year is "
         "optional for a Relevant Person [1].", {1: RETURN}, {1: "AML 13.7"}, "polarity"),
        ("A Relevant Person should file the annual AFSA AML Return within 2 months after the end "
         "of its financial year [1].", {1: RETURN}, {1: "AML 13.7"}, "polarity"),
        ("CDD is recommended for an occasional Digital Asset transaction of USD 1,000 or more [1].",
         {1: CDD}, {1: "AML 6.1.1(a-a)"}, "polarity"),
        ("CDD must be undertaken for an occasional Digital Asset transaction of USD 1,000 or more, "
         "or later with AFSA approval [1].", {1: CDD}, {1: "AML 6.1.1(a-a)"}, "polarity"),
        # (a review, 2026-12-05: an exception word elsewhere in the source let these through;
        # "should" escaped the added-duty check; "optional" against "must")
        ("A firm Providing Money Services in relation to Digital Assets must hold capital of at "
         "least USD 200,000, but small firms are exempt [1].", {1: MONEY}, {1: "DAA 4.2"}, "polarity"),
        ("A Centre Participant must not carry on a Regulated Activity in the AIFC unless the AFSA "
         "has licensed it to do so, although in practice the AFSA accepts it later [1].",
         {1: FSFR}, {1: "FSFR s.24"}, "polarity"),
        ("A Relevant Person must file the annual AFSA AML Return within 2 months after the end of "
         "its financial year, and it should also publish the return on its website [1].",
         {1: RETURN}, {1: "AML 13.7"}, "polarity"),
        # months are not days (a platform engineer's trial, 2026-12-05: "60 days" was kept)
        ("A Relevant Person must file the annual AFSA AML Return within 60 days after the end of "
         "its financial year [1].", {1: RETURN}, {1: "AML 13.7"}, "figure"),
        # a duty the source does not state
        ("CDD must be undertaken for an occasional Digital Asset transaction of USD 1,000 or "
         "more, and the firm must also file an STR with the FIU for every such transaction [1].",
         {1: CDD}, {1: "AML 6.1.1(a-a)"}, "polarity|actor"),
    ],
)  # fmt: skip
def test_misstatements_the_trial_found_are_removed(
    reply: str, sources: dict[int, str], refs: dict[int, str | None], kind: str
) -> None:
    regimes = {n: ("RK" if text in NATIONAL else "AIFC") for n, text in sources.items()}
    v = V.verify(reply, sources, refs, regimes)
    assert v.refused and len(v.removed) == 1, (v.removed, v.text)
    assert v.removed[0].kind in kind.split("|"), v.removed


@pytest.mark.parametrize(
    ("reply", "sources", "refs"),
    [
        ("A firm Providing Money Services in relation to Digital Assets must hold capital of at "
         "least USD 200,000 [1].", {1: MONEY}, {1: "DAA 4.2"}),
        ("CDD must be undertaken for an occasional Digital Asset transaction of USD 1,000 or "
         "more [1].", {1: CDD}, {1: "AML 6.1.1(a-a)"}),
        ("The FinTech Lab licence is valid for 2 years, and an application to extend it must be "
         "made at least 2 months before it expires [1].", {1: LAB}, {1: "FINTECH 2.5.1"}),
        ("Under FSFR s.24, a Centre Participant must not carry on a Regulated Activity in the AIFC "
         "unless the AFSA has licensed it to do so [1].", {1: FSFR}, {1: "FSFR s.24"}),
        ("Under AML 13, a Relevant Person must file the annual AFSA AML Return within 2 months "
         "after the end of its financial year [1].", {1: RETURN}, {1: "AML 13.7"}),
        ("The Money Laundering Reporting Officer must promptly notify the AFSA after deciding "
         "whether to file an STR [1].", {1: STR}, {1: "AML 13.5"}),
        ("The National Bank of Kazakhstan licenses onshore digital asset exchange operators, with "
         "minimum charter capital of KZT 50,000,000 [1].", {1: RK}, {1: None}),
        # (a review, 2026-12-05: each was removed) a permission as "optional"; a hedge that
        # carries nothing; national law set apart from an AIFC rulebook
        ("Appointing a deputy MLRO is optional [1].",
         {1: "A Relevant Person may appoint a deputy MLRO to act when the MLRO is absent."}, {1: None}),
        ("In practice, staff must report knowledge or suspicion of money laundering internally to "
         "the MLRO [1].", {1: REPORT}, {1: "AML 13.4"}),
        ("Unlike the AIFC AML Rules, national law requires threshold transactions of KZT 5,000,000 "
         "or more to be reported to the Financial Monitoring Agency [1].", {1: THRESHOLD}, {1: None}),
        ("Under Kazakhstan national law, not the AIFC AML Rules, threshold transactions of KZT 5,000,000 "
         "or more are reported to the Financial Monitoring Agency [1].", {1: THRESHOLD}, {1: None}),
        # "not optional" is a duty (a second review)
        ("Filing the annual AFSA AML Return within 2 months after the end of its financial year is "
         "not optional for a Relevant Person [1].", {1: RETURN}, {1: "AML 13.7"}),
        # an exception the source makes, in other words
        ("Unless the AFSA has licensed it, a Centre Participant must not carry on a Regulated "
         "Activity in the AIFC [1].", {1: FSFR}, {1: "FSFR s.24"}),
        # national law about the AIFC, said by the source's own sentence
        ("AIFC participants licensed by the AFSA are exempt from corporate income tax and VAT on "
         "income from listed financial services [1].", {1: TAX}, {1: None}),
    ],
)  # fmt: skip
def test_faithful_replies_are_kept(
    reply: str, sources: dict[int, str], refs: dict[int, str | None]
) -> None:
    regimes = {n: ("RK" if text in NATIONAL else "AIFC") for n, text in sources.items()}
    v = V.verify(reply, sources, refs, regimes)
    assert not v.removed and not v.refused, v.removed


def test_a_yes_or_no_is_not_kept_but_the_cited_sentence_is() -> None:
    v = V.verify(
        "No. Under FSFR s.24, a Centre Participant must not carry on a Regulated Activity in the "
        "AIFC unless the AFSA has licensed it to do so [1].",
        {1: FSFR},
        {1: "FSFR s.24"},
    )
    assert not v.refused and v.text.startswith("Under FSFR s.24"), v.text
    assert [r.kind for r in v.removed] == ["particle"]
    # "No" as a determiner is not a particle
    assert (
        V.verify(
            "No Centre Participant may carry on a Regulated Activity in the AIFC unless the AFSA has "
            "licensed it to do so [1].",
            {1: FSFR},
            {1: "FSFR s.24"},
        ).removed
        == []
    )


def test_a_clause_after_a_citation_stands_on_its_own() -> None:
    v = V.verify(
        "CDD must be undertaken for an occasional Digital Asset transaction of USD 1,000 or more "
        "[1]; the firm may skip CDD for Professional Clients.",
        {1: CDD},
        {1: "AML 6.1.1(a-a)"},
    )
    assert "skip" not in v.text and "USD 1,000 or more [1]" in v.text, v.text
    assert any("skip" in r.text and r.kind == "sentence" for r in v.removed)


def test_markup_other_languages_and_length_are_removed() -> None:
    good = "CDD must be undertaken for an occasional Digital Asset transaction of USD 1,000 or more"
    v = V.verify(f"{good} [1]. <script>fetch('//x')</script>", {1: CDD})
    assert "<script" not in v.text and any(r.kind == "injection" for r in v.removed), v
    v = V.verify(
        "Для разовой операции на сумму USD 1,000 или более НПК не требуется [1].", {1: CDD}
    )
    assert v.refused and "not in English" in v.removed[0].reason
    v = V.verify(" ".join(f"{good} [1]." for _ in range(30)), {1: CDD})
    assert v.text.count("[1]") == 8 and any("length" in r.reason for r in v.removed)


def test_rule_numbers_swapped_between_the_clauses_of_one_sentence_are_removed() -> None:
    appoint = ("A Relevant Person must appoint a Money Laundering Reporting Officer (MLRO), who "
               "must be a Director, Partner, Principal Representative or Senior Manager.")  # fmt: skip
    resident = "The MLRO must be resident in the Republic of Kazakhstan."
    sources, refs = {2: appoint, 3: resident}, {2: "AML 13.1.1", 3: "AML 13.1.3"}
    swapped = ("Under AML 13.1.3, the MLRO must be a Director, Partner, Principal Representative "
               "or Senior Manager [2], and under AML 13.1.1 the MLRO must be resident in the "
               "Republic of Kazakhstan [3].")  # fmt: skip
    v = V.verify(swapped, sources, refs)
    assert v.refused and v.removed[0].kind == "reference", v.removed
    right = swapped.replace("13.1.3", "X").replace("13.1.1", "13.1.3").replace("X", "13.1.1")
    assert not V.verify(right, sources, refs).removed


# A second LLM-mode trial (2026-12-04) wrote the answers a careful LLM would write: the stricter
# verifier removed 34 of 117 faithful sentences (the verifier before both trials: 26); these are
# the kinds it removed, each now kept.
SCREEN = ("A Relevant Person must assess the money laundering risk of each customer before "
          "applying customer due diligence, and use that assessment to decide the level of due "
          "diligence.")  # fmt: skip
RETURN_SRC = RETURN
SANCTIONS = ("A Relevant Person must have systems to stay informed of and comply with United "
             "Nations Security Council sanctions and Republic of Kazakhstan sanctions.")  # fmt: skip
PREFUND = ("Under DAA 2.13.4(2) an operator may trade for a client only when the client's account "
           "already holds sufficient fiat currency or admitted Digital Assets.")  # fmt: skip
TRAVEL = ("The originating DASP must obtain and hold the required originator and beneficiary "
          "information and must immediately and securely submit it to the beneficiary DASP, "
          "stored so that it cannot be altered.")  # fmt: skip
TAX = ("The exemption requires substantial presence in the AIFC (Substantial Presence Rules, in "
       "force 1 January 2022). Whether Digital Asset Trading Facility or custody income is exempt "
       "is not specified in the indexed rules.")  # fmt: skip
COUNTERPARTY = ("Before making a transfer, a DASP must carry out due diligence on the counterparty "
                "DASP. The due diligence need not be repeated for every transfer unless money laundering "
                "or terrorist financing is suspected.")  # fmt: skip


@pytest.mark.parametrize(
    ("reply", "source"),
    [
        # another name for whoever the rule binds, a passive, "every"
        ("The firm must assess each customer's money laundering risk before applying customer due "
         "diligence [1].", SCREEN),
        ("The annual AML Return must be filed with the AFSA within two months after the end of the "
         "firm's financial year [1].", RETURN_SRC),
        ("Under AML 13.7, every Relevant Person has to file the annual AFSA AML Return [1].",
         RETURN_SRC),
        ("Due diligence on the counterparty DASP does not need to be repeated for every transfer "
         "unless money laundering or terrorist financing is suspected [1].", COUNTERPARTY),
        # initials and short names of what the source writes in full
        ("Before applying CDD, the firm must assess the customer's money laundering risk [1].",
         SCREEN),
        ("The firm must have systems to stay informed of and comply with UN Security Council "
         "sanctions [1].", SANCTIONS),
        ("Under AML 13.7, you must file the annual AML Return within 2 months after the end of "
         "your financial year [1].", RETURN_SRC),
        ("Whether income from operating a Digital Asset Trading Facility or from custody is exempt "
         "is not specified in the indexed rules [1].", TAX),
        # a condition turned round with its modal
        ("An operator cannot trade for a client whose account does not already hold sufficient "
         "fiat currency or admitted Digital Assets [1].", PREFUND),
        ("A DATF operator can let a user lend Digital Assets only if it is satisfied that the user "
         "is a Professional Client [1].", LEND),
        # a modal bound to its own verb, not to the next modal's
        ("The information must be stored so that it cannot be altered [1].", TRAVEL),
    ],
)  # fmt: skip
def test_careful_paraphrases_are_kept(reply: str, source: str) -> None:
    ref = "AML 13.7" if source is RETURN_SRC else None
    v = V.verify(reply, {1: source}, {1: ref}, {1: "AIFC"})
    assert not v.removed and not v.refused, v.removed


def test_a_standalone_yes_is_a_particle() -> None:
    v = V.verify("Yes. " + "CDD must be undertaken for an occasional Digital Asset transaction "
                 "of USD 1,000 or more [1].", {1: CDD})  # fmt: skip
    assert [r.kind for r in v.removed] == ["particle"] and not v.refused


def test_a_frequency_adjective_changed_is_removed() -> None:
    """Second trial: "an annual prudential and compliance report" for "a quarterly ..." was
    kept ("yearly" was caught): the parser reads "annually" but not the adjective."""
    src = ("Under DAA 3.13.1(1) a DASP files a quarterly prudential and compliance report "
           "including a capital resources calculation.")  # fmt: skip
    bad = V.verify("Under DAA 3.13.1(1), a DASP files an annual prudential and compliance report "
                   "[1].", {1: src}, {1: "DAA 3.13.1"})  # fmt: skip
    assert bad.refused and bad.removed[0].kind == "figure", bad.removed
    good = V.verify("Under DAA 3.13.1(1), a DASP files a quarterly prudential and compliance "
                    "report [1].", {1: src}, {1: "DAA 3.13.1"})  # fmt: skip
    assert not good.removed


@pytest.mark.parametrize(
    ("reply", "source", "ref", "regime"),
    [
        # names LLMs spell out: a rulebook's title, the regulator's and the centre's names
        ("Under the Conduct of Business Rules, an Authorised Firm must classify each client [1].",
         "An Authorised Firm must classify each client.", "COB 2.1.1", "AIFC"),
        ("The Astana Financial Services Authority must approve the MLRO [1].",
         "The AFSA must approve the MLRO.", None, "AIFC"),
        # a claim that says the law is not AIFC law
        ("The Tax Code of the Republic of Kazakhstan, rather than AIFC law, sets the standard "
         "rate of value added tax at 12 percent [1].", "The Tax Code of the Republic of "
         "Kazakhstan sets the standard rate of value added tax at 12 percent.", None, "RK"),
        # two figures of one source joined in one sentence
        ("A FinTech Lab licence is valid for 2 years and must be renewed by an application made "
         "2 months before the licence expires [1].", LAB2 := "A FinTech Lab licence is valid for "
         "2 years. An application to extend the licence must be made 2 months before the "
         "licence expires.", None, "AIFC"),
        ("An application to extend a FinTech Lab licence, which is valid for 2 years, must be "
         "made 2 months before the licence expires [1].", LAB2, None, "AIFC"),
        # "No-one" is no answer particle
        ("No-one may act as MLRO without the approval of the AFSA [1].",
         "No-one may act as MLRO without the approval of the AFSA.", None, "AIFC"),
        # "half-yearly" is "semi-annual", and neither is "yearly"
        ("The firm must submit a semi-annual return and an annual audit report [1].",
         "The firm must submit a half-yearly return and an annual audit report.", None, "AIFC"),
    ],
)  # fmt: skip
def test_review_faithful_cases_are_kept(
    reply: str, source: str, ref: str | None, regime: str
) -> None:
    v = V.verify(reply, {1: source}, {1: ref}, {1: regime})
    assert not v.removed, v.removed


def test_review_rule_numbers_named_once_before_the_clauses_are_kept() -> None:
    v = V.verify(
        "Under AML 6.1.1 and AML 6.1.2, a Relevant Person must appoint an MLRO [1] and must keep "
        "records for six years [2].",
        {1: "A Relevant Person must appoint an MLRO.",
         2: "A Relevant Person must keep records for six years."},
        {1: "AML 6.1.1", 2: "AML 6.1.2"},
    )  # fmt: skip
    assert not v.removed, v.removed


def test_review_not_exceed_is_an_upper_bound() -> None:
    v = V.verify("The fee charged is USD 5,000 or more [1].",
                 {1: "The fee charged must not exceed USD 5,000."})  # fmt: skip
    assert v.refused and v.removed[0].kind == "figure", v.removed


def test_review_clauses_split_at_a_citation_read_as_sentences() -> None:
    src = ("A Relevant Person must keep records for at least six years. The MLRO must report "
           "annually to the Governing Body. A Relevant Person must do the following: keep "
           "records for at least six years and appoint an MLRO.")  # fmt: skip
    v = V.verify("A Relevant Person must keep records for at least six years [1]; the MLRO must "
                 "report annually to the Governing Body [1].", {1: src})  # fmt: skip
    assert v.text == ("A Relevant Person must keep records for at least six years [1]. The MLRO "
                      "must report annually to the Governing Body [1]."), v.text  # fmt: skip
    # a citation before a colon keeps the list it opens
    v = V.verify("A Relevant Person must do the following [1]: keep records for at least six "
                 "years and appoint an MLRO.", {1: src})  # fmt: skip
    assert "appoint an MLRO" in v.text and not v.removed, v


def test_second_review_a_figure_in_a_relative_clause_is_read_with_its_noun() -> None:
    src = ("The application fee for a Digital Asset Trading Facility licence is USD 5,000. A late "
           "filing penalty of USD 10,000 applies to a late return.")  # fmt: skip
    bad = V.verify("The application fee for a Digital Asset Trading Facility licence, which is "
                   "USD 10,000, is payable to the AFSA [1].", {1: src})  # fmt: skip
    assert bad.refused and bad.removed[0].kind == "figure", bad.removed
    good = V.verify("The application fee for a Digital Asset Trading Facility licence, which is "
                    "USD 5,000, is payable [1].", {1: src})  # fmt: skip
    assert not good.removed, good.removed


def test_second_review_a_rule_number_named_alone_belongs_to_its_clause() -> None:
    v = V.verify(
        "Under AML 14.5.1, a Firm must appoint an MLRO who is resident in Kazakhstan [1], and "
        "must keep CDD records for at least six years [2].",
        {1: "The MLRO must be resident in Kazakhstan. A Firm must appoint an MLRO.",
         2: "CDD records must be kept for at least six years."},
        {1: "AML 13.1.3", 2: "AML 14.5.1"},
    )  # fmt: skip
    assert v.refused and v.removed[0].kind == "reference", v.removed
