"""Drafts in the firm's own words (issue 14): the bundled draft's gaps, reworded, are still found
with the right status; parameters are compared clause by clause, best clause first."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from assistant.language.quantities import parameters
from assistant.policy.checker import Clause, PolicyChecker
from assistant.policy.obligations import Obligation
from assistant.policy.service import run_check
from assistant.settings import Settings
from tests.conftest import ROOT

REWORDED = ROOT / "evals/datasets/policies/steppe-reworded.md"

# (rule, reworded draft clause, status, words the reason must contain)
CASES = [
    ("AML 13.1.3", "3.2", "conflicting", ("Dubai", "different place")),
    ("AML 11-1.1", "6.2", "conflicting", ("no later than 24 hours", "later than the rule allows")),
    ("AML 14.5.1", "7.2", "conflicting", ("a five-year period", "shorter than the rule requires")),
    ("AML 12.1.3", "9.3", "conflicting", ("five business days", "later than the rule allows")),
    ("AML 14.6.1", "10.1", "conflicting", ("triennially", "less often than the rule requires")),
]


def clause(number: str, text: str) -> Clause:
    return Clause(number, None, f"{number} {text}", number)


def by_ref(register: list[Obligation], ref: str) -> Obligation:
    return next(o for o in register if o.ref == ref and o.params)


@pytest.mark.parametrize(
    ("ref", "text", "why"),
    [
        ("AML 13.1.3", "The MLRO resides in Dubai.", "Dubai"),
        ("AML 13.1.3", "The MLRO works from the United Arab Emirates.", "United Arab Emirates"),
        # an adverb between (a consultant's draft, eighteenth session: "missing")
        ("AML 13.1.3", "The MLRO works remotely from Dubai for most of the year.", "Dubai"),
        ("AML 13.1.3", "The MLRO is based at our UAE office.", "UAE"),
        (
            "AML 11-1.1",
            "Information is sent no later than 24 hours after the transfer.",
            "24 hours",
        ),
        ("AML 14.5.1", "Records are retained for a five-year period.", "five-year period"),
        ("AML 14.6.1", "Controls are reviewed triennially by an auditor.", "triennially"),
        ("AML 14.6.1", "A three-yearly independent review is carried out.", "three-yearly"),
    ],
)
def test_reworded_parameters_conflict(
    register: list[Obligation], ref: str, text: str, why: str
) -> None:
    o = by_ref(register, ref)
    c = clause("1.1", text)
    conflicts, _ = PolicyChecker._compare_params(o, [parameters(c.text)], [c])
    assert conflicts and why in conflicts[0], conflicts


@pytest.mark.parametrize(
    ("ref", "text"),
    [
        ("AML 13.1.3", "The MLRO resides in Astana."),
        ("AML 13.1.3", "The MLRO is based in Almaty."),
        ("AML 14.5.1", "Records are retained for a seven-year period."),
        ("AML 14.6.1", "Controls are reviewed biennially by an auditor."),
        ("AML 14.6.1", "Controls are reviewed twice yearly by an auditor."),
    ],
)
def test_compliant_rewordings_do_not_conflict(
    register: list[Obligation], ref: str, text: str
) -> None:
    o = by_ref(register, ref)
    c = clause("1.1", text)
    assert PolicyChecker._compare_params(o, [parameters(c.text)], [c])[0] == []


def test_a_shortfall_in_other_words_is_still_the_rules(register: list[Obligation]) -> None:
    """Seventeenth session: two ways of excusing a draft period "said of something else" (a
    notice read as a late freeze, a custodian's trial) were tried and reverted: sharing no word
    with the rule's figure excused 7 of 10 paraphrases of a three-year retention, and sharing
    two with another rule's period was defeated by synonyms and generic words (a review). A
    shortfall in other words than the rule's stays conflicting."""
    records = by_ref(register, "AML 14.5.1")
    for text in ("We keep customer due diligence documents for three years.",
                 "Customer files are retained for three years after the account is closed.",
                 "All KYC documentation is held for a period of 3 years.",
                 "CDD documents are archived for three years."):  # fmt: skip
        short = clause("1.1", text)
        conflicts, _ = PolicyChecker._compare_params(records, [parameters(short.text)], [short])
        assert conflicts and "shorter than the rule requires" in conflicts[0], (text, conflicts)


def test_the_best_clause_sets_the_parameter(register: list[Obligation]) -> None:
    """A training clause read alongside ('every year') does not excuse the review clause."""
    o = by_ref(register, "AML 14.6.1")
    review = clause("10.1", "An independent auditor reviews the AML systems triennially.")
    training = clause("10.2", "All staff complete AML training every year.")
    conflicts, _ = PolicyChecker._compare_params(
        o, [parameters(review.text), parameters(training.text)], [review, training]
    )
    assert conflicts and "triennially (clause 10.1)" in conflicts[0]


@pytest.mark.slow
def test_reworded_bundled_draft_keeps_every_planted_finding(real_corpus_dir: Path) -> None:
    data = yaml.safe_load((ROOT / "evals/datasets/policy_checks.yaml").read_text())
    steppe = next(d for d in data["drafts"] if d["id"] == "steppe")
    report = run_check(
        Settings(data_dir=real_corpus_dir), REWORDED, steppe["firm_types"], steppe["rulebooks"]
    )
    found = {(f.obligation.ref, f.status): f for f in report.findings}
    for e in steppe["expected"]:
        if e["planted"]:
            assert (e["ref"], e["status"]) in found, e
    for ref, number, status, words in CASES:
        f = found[(ref, status)]
        assert f.clauses[0].number == number and all(w in f.reason for w in words), f.reason


@pytest.mark.slow
def test_three_yearly_review_is_not_covered(real_corpus_dir: Path, tmp_path: Path) -> None:
    text = REWORDED.read_text().replace(
        "10.1 An independent auditor reviews the Company's AML systems and controls triennially.",
        "10.1 The Company commissions a three-yearly independent review of its AML systems and controls.",
    )
    assert "three-yearly" in text
    path = tmp_path / "three-yearly.md"
    path.write_text(text)
    report = run_check(Settings(data_dir=real_corpus_dir), path, ["DATF operator"], ["AML"])
    (f,) = [f for f in report.findings if f.obligation.ref == "AML 14.6.1"]
    assert f.status == "conflicting" and "three-yearly (clause 10.1)" in f.reason


@pytest.mark.slow
def test_a_shortened_role_name_is_still_the_role(real_corpus_dir: Path, tmp_path: Path) -> None:
    """Found by the new-user trial: a draft that names its "money-laundering reporting officer"
    once and then "the money-laundering officer" (one modifier dropped) had the residence
    conflict reported as missing, because neither "MLRO" nor the full name was in the clause."""
    path = tmp_path / "own-words.md"
    path.write_text(
        "# Compliance manual\n\n## 2. The money-laundering officer\n\n"
        "2.1 We will name a senior manager as our money-laundering reporting officer.\n"
        "2.2 The money-laundering officer lives and works from Tashkent, Uzbekistan.\n",
        encoding="utf-8",
    )
    report = run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"])
    (f,) = [f for f in report.findings if f.obligation.ref == "AML 13.1.3"]
    assert f.status == "conflicting" and f.clauses[0].number == "2.2", (f.status, f.reason)
    # the head noun must stay: "money-laundering reporting" names no officer
    from assistant.index.embeddings import HashingEmbedder
    from assistant.policy.checker import PolicyChecker

    pc = PolicyChecker(HashingEmbedder())
    assert pc._named("mlro", set(pc.tokenize("the money-laundering officer")))
    assert not pc._named("mlro", set(pc.tokenize("money-laundering reporting duties")))
    assert not pc._named("mlro", set(pc.tokenize("the reporting officer")))

    def names(text: str) -> bool:
        seq = pc.tokenize(text)
        return pc._named("mlro", set(seq), seq)

    # the words of the name stand together, in order (review finding: a bag of words named it)
    assert names("our money-laundering officer") and names("our money laundering reporting officer")
    assert not names("Money laundering is reported to the compliance officer.")


PLAIN_NUMBERED = """# Borat Coin Exchange LLP: AML Policy

1. The Compliance Officer is responsible for AML compliance and reports to the Board.

2. Our MLRO lives and works in London, United Kingdom, and supervises the Firm remotely.

3. Simplified due diligence may be used for any customer who asks for it, including high-risk customers.

4. The annual AML Return is filed within 6 months after year-end.
"""


def test_a_draft_of_plain_numbered_paragraphs_is_read_clause_by_clause(tmp_path: Path) -> None:
    """Found by the new-user trial: "1." ... "12." sentences under one title were one clause
    labelled with the title, and a figure of one paragraph was judged against another's rule."""
    from assistant.policy.checker import parse_draft
    from assistant.settings import ChunkingSettings

    path = tmp_path / "plain.md"
    path.write_text(PLAIN_NUMBERED, encoding="utf-8")
    _, clauses = parse_draft(path, 10_000_000, ChunkingSettings())
    assert [c.number for c in clauses] == ["1", "2", "3", "4"]
    lettered = tmp_path / "lettered.md"
    lettered.write_text(
        "# Manual\n\n## A. Governance\n\nA1. Senior management owns the approach.\n\n"
        "A2. The MLRO is a Senior Manager.\n\n## B. Records\n\nB1. Records are kept for six years.\n"
        "\nB2. The Firm must keep:\n1. customer records;\n2. transaction records.\n\n"
        "3.1 Section numbers still work. 1. This sentence goes on the same line.\n",
        encoding="utf-8",
    )
    _, clauses = parse_draft(lettered, 10_000_000, ChunkingSettings())
    assert [c.number for c in clauses] == ["A1", "A2", "B1", "B2", "3.1"]
    # the items of "The Firm must keep:" stay in their clause
    assert "transaction records" in clauses[3].text


@pytest.mark.slow
def test_plain_numbered_draft_findings_point_at_their_own_paragraph(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "plain.md"
    path.write_text(PLAIN_NUMBERED, encoding="utf-8")
    report = run_check(Settings(data_dir=real_corpus_dir), path, ["DATF operator"], ["AML"])
    found = {f.obligation.ref: f for f in report.findings if f.clauses}
    # "lives and works in London": a residence, in another country
    assert (
        found["AML 13.1.3"].status == "conflicting" and found["AML 13.1.3"].clauses[0].number == "2"
    )
    assert "London" in found["AML 13.1.3"].reason
    assert found["AML 13.7"].status == "conflicting" and found["AML 13.7"].clauses[0].number == "4"
    # the draft permits what the rule prohibits
    sdd = found["AML 6.1.2"]
    assert sdd.status == "conflicting" and "says the opposite of the rule" in sdd.reason


def test_a_permission_contradicts_a_prohibition_only_on_what_is_prohibited() -> None:
    from assistant.index.keywords import Tokenizer
    from assistant.policy.checker import polarity_conflict

    tok = Tokenizer()

    def check(rule: str, draft: str) -> str | None:
        terms = set(tok(rule))
        # as in the digest's index: the subject and the setting are the rare words
        rare = {
            t: (5.0 if t in ("simplifi", "shell", "outsourc", "scenario") else 1.0) for t in terms
        }
        return polarity_conflict(rule, draft, terms, tok, rare)

    rule = ("Simplified due diligence. It must never be used in high-risk scenarios or where "
            "money laundering is suspected.")  # fmt: skip
    bad = "Simplified due diligence may be used for any customer, including high-risk customers."
    assert check(rule, bad) == bad.rstrip(".")
    for fine in (  # from the review of the first version
        "Simplified due diligence may be applied to low-risk clients where the risk is shown to be low.",
        "Simplified due diligence may not be used for high-risk customers.",  # negated: agrees
        "Staff can’t use simplified due diligence in high-risk scenarios.",  # curly apostrophe
        "Simplified due diligence is never used in high-risk scenarios.",  # states no permission
        "Where money laundering may be suspected, we file an internal report to the MLRO.",
        "Simplified due diligence may be used only for low-risk customers, excluding high-risk scenarios.",
        "Enhanced due diligence may be used in high-risk scenarios.",  # another subject
    ):
        assert check(rule, fine) is None, fine
    # the rule's own exception permits
    mlro = "A Firm must not outsource the MLRO function unless the AFSA has given prior written approval."
    assert (
        check(
            mlro,
            "The Firm may outsource the MLRO function once the AFSA has given its prior written approval.",
        )
        is None
    )
    assert check(mlro, "The Firm may outsource the MLRO function to a provider of its choice.")
    # a duty is not a prohibition: "cannot be altered" prohibits only "altered"
    duty = "The DASP must submit the information, stored so that it cannot be altered."
    assert check(duty, "The DASP may submit the information later.") is None


def test_numbered_items_wrapped_references_and_headings_do_not_open_clauses(tmp_path: Path) -> None:
    """From the review of the clause splitting: every item of a list after a colon stays in its
    clause (not only the first), a number that continues an unfinished line is a wrapped
    cross-reference, and a heading starts the numbering afresh."""
    from assistant.policy.checker import parse_draft
    from assistant.settings import ChunkingSettings

    path = tmp_path / "lists.md"
    path.write_text(
        "# Policy\n\n## Intro\n\n"
        "1. The Board approves this policy and reviews it every year at its first meeting.\n\n"
        "2. The Firm must:\n1. Identify the customer;\n2. Verify identity;\n3. Keep the records.\n\n"
        "3. Records are kept six years.\n\n"
        "4. The MLRO reviews the controls including those listed in paragraph\n"
        "2. The Board reviews them too.\n\n"
        "## 3. CDD\n\n1. CDD applies to every customer.\n2. EDD applies to high-risk customers.\n\n"
        "3.2 The Firm must:\n1. identify the customer;\n2. verify identity;\n3. keep records.\n",
        encoding="utf-8",
    )
    _, clauses = parse_draft(path, 10_000_000, ChunkingSettings())
    assert [c.number for c in clauses] == ["1", "2", "3", "4", "3", "3.2"]
    assert "Keep the records" in clauses[1].text and "keep records" in clauses[5].text
    assert "The Board reviews them too" in clauses[3].text


def test_a_draft_that_denies_a_duty_conflicts_only_where_it_denies_the_rules_own_act() -> None:
    """A negated duty ("Risk assessments are not documented") was reported "covered"; the first
    attempt (a negation near the rule's words) also flagged consistent statements. The negation
    must govern the rule's own act, about the rule's own subject."""
    from assistant.index.keywords import Tokenizer
    from assistant.policy.checker import negated_duty

    tok = Tokenizer()
    generic = {t for w in ("firm", "company", "relevant", "person", "must") for t in tok(w)}

    def check(rule: str, draft: str) -> str | None:
        terms = set(tok(rule)) - generic
        return negated_duty(rule, draft, terms, tok, {t: 1.0 for t in terms}, generic)

    report = "Staff must report knowledge or suspicion of money laundering internally to the MLRO."
    file_return = ("A Relevant Person must file the annual AFSA AML Return within 2 months after "
                   "the end of its financial year.")  # fmt: skip
    documented = "Risk assessments must be documented and kept."
    review = (
        "AML systems and controls must be reviewed independently at least once every two years."
    )
    assess = ("Risk-based approach. A Relevant Person must take a risk-based approach and assess "
              "the money laundering risks of its business.")  # fmt: skip
    enhanced = "A Relevant Person must apply enhanced due diligence where the AML Rules require it."
    deputy = (
        "An Authorised Firm, other than a Representative Office, must also appoint a deputy MLRO."
    )
    accessible = "Records held outside the AIFC must remain accessible."
    access = (
        "A Relevant Person must check that data-protection law does not prevent access to records."
    )
    assess5 = ("A Relevant Person must assess the money laundering risk of each customer before "
               "applying customer due diligence.")  # fmt: skip
    mlro = ("A Relevant Person must appoint a Money Laundering Reporting Officer (MLRO), who must "
            "be a Director, Partner, Principal Representative or Senior Manager.")  # fmt: skip
    investigate = ("The MLRO must, without delay, investigate an internal report, decide whether "
                   "to file a suspicious transaction report, file the STR with the FIU, and "
                   "promptly notify the AFSA.")  # fmt: skip
    cdd = ("CDD must be undertaken for an occasional Digital Asset transaction of USD 1,000 or "
           "more.")  # fmt: skip
    resident = "The MLRO must be resident in the Republic of Kazakhstan."
    for rule, bad in (
        (resident, "The MLRO is not resident in Kazakhstan."),
        (resident, "The MLRO need not be resident in the Republic of Kazakhstan."),
        (file_return, "The annual AFSA AML Return is not filed within 2 months."),
        (enhanced, "Enhanced due diligence is not applied."),
        (
            report,
            "2.3 Staff need not report knowledge or suspicion of money laundering to the MLRO.",
        ),
        (report, "Staff are not required to report suspicion of money laundering to the MLRO."),
        (file_return, "6.1 The annual AFSA AML Return is not filed."),
        (documented, "1.3 Risk assessments are not documented."),
        (review, "AML systems and controls are never reviewed by an independent reviewer."),
        (assess, "The firm does not assess the money laundering risks of its business."),
        # "provisions" is not "provide" (second review: a -sion family hid this denial)
        (
            "A Relevant Person must provide AML training to its employees in line with the "
            "provisions of this chapter.",
            "In line with the provisions of this chapter, the Relevant Person does not provide AML "
            "training to its employees.",
        ),
        (assess, "The Company doesn’t assess the money laundering risks of its business."),
        # 2026-12-04: an irregular verb's forms (Snowball leaves "keep" and "kept" apart)
        (documented, "The Company does not keep documented risk assessments."),
        ("Records must be kept for at least six years.", "We do not keep records."),
        ("Assets must be frozen without delay.", "We do not freeze assets."),
        # a second verb coordinated by "or" is negated too
        (documented, "Risk assessments are not retained or documented."),
        (documented, "Risk assessments are not reviewed, retained or documented."),
        # a light verb: the act is its object, or in the passive its subject
        (assess, "The Company does not carry out a business risk assessment."),
        (review, "An independent review of AML systems and controls is not carried out."),
        (review, "AML systems and controls are not subject to independent review."),
        # a subject's "No ... is", "no requirement to", and a duty denied of its subject
        (mlro, "No MLRO has been appointed."),
        (mlro, "4.2 No MLRO has been appointed."),
        (documented, "There is no requirement to document risk assessments."),
        (documented, "There is no need for staff to document risk assessments."),
        (documented, "Documenting risk assessments is not required."),
        # "neither ... nor", a verb's "no" object, a conjunct of a coordinated subject
        (documented, "Risk assessments are neither documented nor kept."),
        (documented, "Risk assessments are not reviewed, documented, or kept."),
        (assess, "We perform no assessment of the money laundering risks of our business."),
    ):
        assert check(rule, bad) == bad.strip().rstrip("."), bad
    for rule, fine in (
        # another thing's act: the subject names what the rule does not
        (enhanced, "Simplified due diligence is never applied to high-risk clients."),
        # the rule's own exception
        (deputy, "As a Representative Office we do not appoint a deputy MLRO."),
        # a negation of another act, and a negation the rule itself holds
        (accessible, "Records are not held outside the AIFC."),
        (access, "The firm checks that data-protection law does not prevent access to records."),
        (
            report,
            "Staff report suspicion of money laundering to the MLRO and never tip off the customer.",
        ),
        # the act affirmed first, its manner limited
        (
            file_return,
            "The annual AFSA AML Return is filed within 2 months and is never filed late.",
        ),
        # a bound and a condition are no denial
        (file_return, "The annual AFSA AML Return is filed no later than 2 months after year-end."),
        (report, "Where a suspicion is not reported to the MLRO, staff report it to the Board."),
        # found by the second review: a scoped or ordered negation limits the act, a negated
        # noun is one of the rule's alternatives, a bound is the parameter check's
        (enhanced, "Enhanced due diligence is not applied where it is not required."),
        (assess5, "Customer due diligence is not applied until the customer's risk is assessed."),
        (mlro, "The MLRO is a Senior Manager, not a Director."),
        (
            review,
            "AML systems and controls are not reviewed externally; the Internal Audit team "
            "reviews them independently every two years.",
        ),
        (review, "AML systems and controls are not reviewed more than once every two years."),
        (investigate, "The MLRO does not delay investigating internal reports."),
        (investigate, "The MLRO does not file an STR where the internal report is unfounded."),
        (cdd, "CDD is not undertaken for occasional Digital Asset transactions under USD 1,000."),
        (report, "Staff do not report suspicion of money laundering to any other person."),
        # "no" before a noun negates a verb further on: left unread
        (report, "No suspicion of money laundering is kept from the MLRO; staff report it."),
        # "and" does not carry the negation; a light verb's object or manner that the rule does
        # not name is another act; a passive affirmed first is no denial
        (documented, "Risk assessments are not altered and are documented and kept."),
        (documented, "Risk assessments are documented and kept and are not made public."),
        (documented, "Risk assessments are documented and are not done again."),
        (documented, "Risk assessments are not carried out by a third party."),
        (documented, "Risk assessments are documented, not kept informally."),
        (documented, "Risk assessments are kept and are not altered or destroyed."),
        (documented, "Keeping paper copies of risk assessments is not required."),
        (documented, "No draft risk assessment is documented."),
        (documented, "There is no requirement to document drafts of risk assessments."),
        (documented, "Documented risk assessments are kept and no approval is required."),
        (documented, "No risk assessment is destroyed."),
        (review, "AML systems are not subject to alteration by staff."),
        # second review (2026-12-04): another thing of the same kind, one conjunct of the rule's
        # subject, and double negations, stricter than the rule
        (mlro, "No other person has been appointed as MLRO."),
        (documented, "Keeping other risk assessments is not required."),
        (documented, "Keeping more risk assessments is not required."),
        (
            "AML systems and controls must be reviewed independently.",
            "Our IT systems are not reviewed independently.",
        ),
        (mlro, "No MLRO is appointed who is not a Director or Senior Manager."),
        (documented, "No risk assessment is kept that is not documented."),
        # second review (2026-12-04): a light verb's object the rule does not name, a rule whose
        # own verb is the light verb, an object's modifier, and a bound written "less than"
        (documented, "We do not make risk assessments public."),
        (
            "A DASP must carry out due diligence on the counterparty DASP.",
            "The DASP does not carry out proprietary trading.",
        ),
        ("Assets must be frozen without delay.", "We do not make frozen assets available."),
        (
            "Records must be kept for at least six years.",
            "Records are not kept for less than six years.",
        ),
        (documented, "Risk assessments are documented and kept, with no exception."),
        (documented, "We keep no paper copies of risk assessments."),
        (enhanced, "Simplified due diligence and ongoing monitoring are never applied."),
    ):
        assert check(rule, fine) is None, fine


def test_the_words_a_negation_governs() -> None:
    """ "or" and a comma list ending in "or" carry the negation, "and" does not; a light verb's
    object, or in the passive its subject, is what is denied."""
    from assistant.index.keywords import Tokenizer
    from assistant.policy.checker import _negated_heads

    tok = Tokenizer()
    assert _negated_heads(" retained or documented.", tok).heads == ["retain", "document"]
    assert _negated_heads(" reviewed, tested or approved by", tok).heads == [
        "review", "test", "approv"]  # fmt: skip
    assert _negated_heads(" documented, kept informally", tok).heads == ["document"]
    assert _negated_heads(" documented and kept", tok).heads == ["document"]
    assert _negated_heads(" always documented", tok).heads == ["document"]
    light = _negated_heads(" carry out a business risk assessment.", tok, "We do ")
    assert light.heads == ["carri", "assess"] and light.subject_end is None
    assert light.obj == ("busi", "risk", "assess")
    assert light.acts == ["carri", "out"]  # the object stays a word of the denied phrase
    before = "An independent review of AML systems is "
    passive = _negated_heads(" carried out.", tok, before)
    assert {"independ", "review", "aml", "system"} <= set(passive.heads)
    assert passive.subject_end == before.index("is")
    # a serial comma before "or"
    assert _negated_heads(" reviewed, documented, or kept.", tok).heads == [
        "review", "document", "kept"]  # fmt: skip


def test_irregular_forms_read_as_the_rules_own_word() -> None:
    """simplemma's English dictionary gives the lemma; a word is rewritten only where its stem
    differs from the rule word with the same lemma."""
    from assistant.index.keywords import Tokenizer
    from assistant.language.lemmas import aligner, lemma

    tok = Tokenizer()
    assert [lemma(w) for w in ("kept", "frozen", "held", "Undertaken")] == [
        "keep", "freeze", "hold", "undertake"]  # fmt: skip
    assert aligner("Records must be kept", tok)("We do not keep records.") == (
        "We do not kept records."
    )
    assert aligner("freeze assets", tok)("Assets are not frozen.") == "Assets are not freeze."
    # the first target of a lemma is the one written (the caller puts the duty's words first);
    # the same stem stays as written; a word with no rule lemma stays
    assert aligner("kept keeping", tok)("Records are kept.") == "Records are kept."
    assert aligner("kept keeping", tok)("We are keeping records.") == "We are kept records."
    assert aligner("kept", tok)("We hold keys.") == "We hold keys."


@pytest.mark.slow
def test_a_denial_in_other_shapes_is_never_covered_end_to_end(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    """2026-12-04: the session's new denial shapes in a draft, through clause matching. Two are
    matched to their rules and read as denials; the others are not matched closely enough to be
    judged and come out "missing" or "partial", which is still a gap. None may read "covered"."""
    draft = tmp_path / "steppe.md"
    draft.write_text(
        "# AML Policy of Steppe Custody Ltd\n\n## 1. Records\n1.1 We do not keep records of "
        "transactions.\n\n## 2. Risk assessment\n2.1 The Company does not carry out a business "
        "risk assessment.\n\n## 3. Sanctions\n3.1 We do not freeze assets of customers on "
        "sanctions lists; we terminate the relationship instead.\n\n## 4. MLRO\n4.1 No MLRO has "
        "been appointed.\n\n## 5. Review\n5.1 AML systems and controls are not subject to "
        "independent review.\n"
    )
    report = run_check(Settings(data_dir=real_corpus_dir), draft, ["Custodian"], ["AML"])
    status = {}
    for f in report.findings:
        status.setdefault(f.obligation.ref, set()).add(f.status)
    assert status["AML 4.1.1"] == {"conflicting"} and status["AML 14.6.1"] == {"conflicting"}
    for ref in ("AML 14.5.1", "AML 13.1.1", "AML 12.1.2", "AML 4.1.1", "AML 14.6.1"):
        assert "covered" not in status[ref], (ref, status[ref])


@pytest.mark.slow
def test_negated_duties_in_a_draft_are_conflicting_and_its_consistent_negations_are_not(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    """End to end over the bundled rules: a draft that denies five duties gets five conflicts
    quoting the denying clause; a draft whose negations agree with the rules gets none."""
    denying = {
        "AML 4.1.1": "1.2 The firm does not assess the money laundering risks of its business.",
        "AML 14.5.2": "1.3 Risk assessments are not documented.",
        "AML 14.6.1": "1.4 AML systems and controls are never reviewed by an independent reviewer.",
        "AML 13.7.3": "2.3 Staff need not report knowledge or suspicion of money laundering "
        "internally to the MLRO.",
        "AML 13.7": "6.1 The annual AFSA AML Return is not filed.",
    }
    consistent = [
        "1.2 As a Representative Office we do not appoint a deputy MLRO.",
        "1.3 Staff report knowledge or suspicion of money laundering to the MLRO and never tip off "
        "the customer.",
        "2.2 Simplified due diligence is not used for high-risk customers or where money "
        "laundering is suspected.",
        "3.2 Records are not held outside the AIFC.",
        "3.4 The annual AFSA AML Return is filed within 2 months and is never filed late.",
    ]
    settings = Settings(data_dir=real_corpus_dir)
    for name, clauses in (("denying", list(denying.values())), ("consistent", consistent)):
        path = tmp_path / f"{name}.md"
        path.write_text(f"# {name} draft\n\n" + "\n\n".join(clauses) + "\n")
        report = run_check(settings, path, ["Custodian"], ["AML"])
        denied = {f.obligation.ref: f for f in report.findings if "denies" in f.reason}
        if name == "consistent":
            assert not denied, {r: f.reason for r, f in denied.items()}
            continue
        assert set(denied) == set(denying), sorted(denied)
        for ref, f in denied.items():
            assert f.status == "conflicting"
            assert f'"{denying[ref].rstrip(".")}"' in f.reason, f.reason


def test_an_amounts_role_is_read_from_the_words_around_it() -> None:
    from assistant.language.quantities import amount_role

    def role(text: str) -> str | None:
        (q,) = [p for p in parameters(text) if p.kind == "amount"]
        return amount_role(text, q)

    assert role("CDD must be undertaken for a transaction of USD 1,000 or more.") == "threshold"
    assert role("Transfers of USD 1,000 and above need full information.") == "threshold"
    assert role("A DASP must hold capital of at least USD 250,000.") == "minimum"
    assert role("A minimum paid-up capital of USD 250,000 applies.") == "minimum"
    # a duty to hold an amount sets a floor (a consultant's trial, 2026-12-04: a draft holding
    # USD 100,000 against it was only "partial"); an amount with no such duty is not judged
    assert role("A DASP must hold capital of USD 250,000.") == "minimum"
    assert role("The firm shall maintain regulatory capital of USD 250,000.") == "minimum"
    assert role("A DASP pays a fee of USD 250,000.") is None
    # (the review) not every "must keep/have/maintain ... of" is a floor: only capital, funds,
    # assets or resources are
    assert role("A firm must keep records of transactions of USD 1,000.") is None
    assert role("A firm must maintain a cap of USD 50,000.") is None
    assert role("A firm must hold client money in excess of USD 5,000.") == "threshold"
    assert role("Retail clients may not deposit more than USD 1,000 a month.") is None
    # a threshold written before its amount (found by the review on ADGM text); a cap is none
    assert role("for a transaction equal to or more than USD15,000") == "threshold"
    assert role("CDD applies to transfers exceeding USD 15,000.") == "threshold"
    assert role("A client may not deposit amounts exceeding USD 1,000.") is None
    assert role("Its capital must exceed USD 250,000.") is None  # a floor, not a threshold
    # an item read with its list's lead keeps the spans of the item alone (found by the review):
    # the amount is found in the text when it is stated there once
    (q,) = [p for p in parameters("transactions of USD 15,000 or more") if p.kind == "amount"]
    lead = "A Relevant Person must apply CDD to transactions of USD 15,000 or more"
    assert amount_role(lead, q) == "threshold"


@pytest.mark.slow
def test_a_threshold_above_the_rules_is_conflicting_and_a_lower_one_complies(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    """A draft that sets the digital-asset CDD trigger at USD 5,000 leaves transactions from
    USD 1,000 to USD 5,000 without CDD: that was "partial" ("is not provided for"), as if the
    amount were merely missing. A lower trigger is stricter and complies; a draft whose only
    threshold is another rule's (the general USD 15,000) still lacks this one: "partial"."""
    general = (
        "3.2 Due diligence covers every client and occasional transactions of USD 15,000 or more."
    )
    settings = Settings(data_dir=real_corpus_dir)
    found = {}
    for name, da in (
        (
            "higher",
            "3.3 Occasional digital asset transactions of USD 5,000 or more require due diligence.",
        ),
        (
            "lower",
            "3.3 Occasional digital asset transactions of USD 500 or more require due diligence.",
        ),
        ("absent", ""),
    ):
        path = tmp_path / f"{name}.md"
        path.write_text(f"# Draft\n\n{general}\n\n{da}\n")
        report = run_check(settings, path, ["Custodian"], ["AML"])
        (f,) = [f for f in report.findings if f.obligation.ref == "AML 6.1.1(a-a)"]
        found[name] = f
    assert found["higher"].status == "conflicting", found["higher"].reason
    assert (
        "USD 5,000 or more (clause 3.3) is higher than the rule's threshold"
        in found["higher"].reason
    )
    assert found["lower"].status != "conflicting" and "USD 500" not in found["lower"].reason
    assert found["absent"].status == "partial", found["absent"].reason


def test_a_draft_naming_its_firm_denies_as_we_do() -> None:
    """Found by a consultant's trial (2026-12-04): "Kestrel does not appoint a deputy MLRO." was
    "covered", while "We do not appoint ..." conflicted; real policies name the firm throughout.
    The firm's names are read from the draft's title and the terms it defines, not from any
    capitalised word that opens a sentence (the review found "Subsidiaries do not appoint ...",
    "Chainalysis does not ..." read as the firm)."""
    from assistant.index.embeddings import HashingEmbedder
    from assistant.index.keywords import Tokenizer
    from assistant.policy.checker import negated_duty

    tok = Tokenizer()
    rule = (
        "An Authorised Firm, other than a Representative Office, must also appoint a deputy MLRO."
    )
    generic = {t for w in ("authorised", "firm", "must") for t in tok(w)}  # the register's
    terms = set(tok(rule)) - generic
    pc = PolicyChecker(HashingEmbedder())
    intro = Clause("1.1", None, 'Kestrel Digital Ltd ("Kestrel", "we") runs an exchange.', "c1")
    register_words = Counter(tok(f"{rule} AML CFT policy digital"))  # words the rules use
    own = pc._own_names("Kestrel Digital Ltd: AML/CFT Policy", [intro], register_words)
    assert own == set(tok("Kestrel Digital Ltd")), own
    # (the review) only the title's first name, and terms defined for it, are the firm's
    vendor = Clause("1.2", None, 'Screening uses Chainalysis Inc. ("Chainalysis") and (the '
                    '"Vendor") tools; our Branch ("Branch") is in Almaty.', "c2")  # fmt: skip
    own2 = pc._own_names("AML Policy of Kestrel and its Subsidiaries", [intro, vendor],
                         register_words)  # fmt: skip
    assert own2 == set(tok("Kestrel")), own2

    def check(draft: str) -> str | None:
        return negated_duty(rule, draft, terms, tok, {t: 1.0 for t in terms}, generic | own)

    for bad in ("Kestrel does not appoint a deputy MLRO.",
                "5.2 Kestrel Digital Ltd does not appoint a deputy MLRO."):  # fmt: skip
        assert check(bad) == bad.rstrip("."), bad
    for fine in ("Subsidiaries do not appoint a deputy MLRO.", "Chainalysis does not appoint a "
                 "deputy MLRO.", "In Singapore we do not appoint a deputy MLRO.",
                 "The Board does not appoint a deputy MLRO for the branch."):  # fmt: skip
        assert check(fine) is None, fine


def test_a_condition_the_rule_states_itself_does_not_excuse_a_denial() -> None:
    """Found by a consultant's trial (2026-12-04): "No due diligence is performed on counterparty
    DASPs before a transfer." was "covered": "before" read as a limit, though the rule's own duty
    is timed so ("Before making a transfer, ... must carry out due diligence")."""
    from assistant.index.keywords import Tokenizer
    from assistant.policy.checker import negated_duty

    tok = Tokenizer()
    rule = ("Before making a transfer, or before making received Digital Assets available to a "
            "client, a DASP must carry out due diligence on the counterparty DASP.")  # fmt: skip
    terms = set(tok(rule))

    def check(draft: str) -> str | None:
        return negated_duty(rule, draft, terms, tok, {t: 1.0 for t in terms})

    bad = "No due diligence is performed on counterparty DASPs before a transfer."
    assert check(bad) == bad.rstrip(".")
    for fine in (  # a condition of the draft's own, or the rule's turned round, still limits
        "No due diligence is performed on counterparty DASPs before the risk is assessed.",
        "No due diligence is performed on counterparty DASPs before a transfer is not made.",
        # (the review) a word after the qualifier that the rule's does not have: the rule says
        # the due diligence need not be repeated for every transfer
        "Due diligence on the counterparty DASP is not carried out before every transfer.",
    ):
        assert check(fine) is None, fine
    review = (
        "AML systems and controls must be reviewed independently at least once every two years."
    )
    rterms = set(tok(review))
    corrected = "AML systems and controls are not reviewed once every two years, but every year."
    assert negated_duty(review, corrected, rterms, tok, {t: 1.0 for t in rterms}) is None
    # (the second review) a verb after the qualifier, or the rule's words from its other
    # "before", still restate the rule; "but" opening another clause is no correction
    for bad in ("No due diligence is performed on counterparty DASPs before a transfer is made.",
                "No due diligence is performed on counterparty DASPs before any transfer of "
                "Digital Assets."):  # fmt: skip
        assert check(bad) == bad.rstrip("."), bad
    deputy = "An Authorised Firm must also appoint a deputy MLRO."
    generic = {t for w in ("authorised", "firm", "must") for t in tok(w)}  # the register's
    dterms = set(tok(deputy)) - generic
    flat = "We do not appoint a deputy MLRO, but the MLRO covers any absence."
    got = negated_duty(deputy, flat, dterms, tok, {t: 1.0 for t in dterms}, generic)
    assert got == flat.rstrip("."), got


def test_what_is_not_required_for_someone_is_the_act_denied() -> None:
    """Found by a consultant's trial (2026-12-04): "Residence in Kazakhstan is not required for the
    MLRO" was "covered" against "The MLRO must be resident in the Republic of Kazakhstan"."""
    from assistant.index.keywords import Tokenizer
    from assistant.policy.checker import negated_duty

    tok = Tokenizer()
    rule = "The MLRO must be resident in the Republic of Kazakhstan."
    terms = set(tok(rule))

    def check(draft: str) -> str | None:
        return negated_duty(rule, draft, terms, tok, {t: 1.0 for t in terms})

    bad = "Residence in Kazakhstan is not required for the MLRO."
    assert check(bad) == bad.rstrip(".")
    assert check("Residence in Kazakhstan is not required for the deputy.") is None  # another


def test_a_compliant_clause_does_not_excuse_another_that_falls_short(
    register: list[Obligation],
) -> None:
    """A consultant's trial, 2026-12-04 (fifteenth session): "Transaction records | Kept for five
    years" beside "CDD records | Kept for six years" was "covered": only the best-matching
    clause's period was compared."""
    o = by_ref(register, "AML 14.5.1")
    cdd = clause("9.1", "CDD records | Kept for six years from the end of the relationship")
    tx = clause("9.2", "Transaction records | Kept for five years from completion")
    conflicts, _ = PolicyChecker._compare_params(
        o, [parameters(cdd.text), parameters(tx.text)], [cdd, tx]
    )
    assert conflicts and "five years (clause 9.2)" in conflicts[0], conflicts
    ok = clause("9.3", "Transaction records | Kept for seven years from completion")
    assert (
        PolicyChecker._compare_params(o, [parameters(cdd.text), parameters(ok.text)], [cdd, ok])[0]
        == []
    )


def test_a_short_table_row_with_a_figure_is_a_clause_not_a_header() -> None:
    """The same trial: rows such as "CDD records | 5 years | MLRO" (no cell 40 characters
    long) were dropped as header rows, with a breach in them."""
    from assistant.policy.checker import _split_table_rows

    table = Clause("9", "Records", "Record | Period | Owner\nCDD records | 5 years | MLRO", "c9")
    rows = _split_table_rows(table)
    assert [r.text for r in rows] == ["CDD records | 5 years | MLRO"], rows


@pytest.mark.parametrize(
    ("late", "compliant"),
    [
        # a consultant's trial, 2026-12-04: the compliant "without delay" (about freezing)
        # excused the late notice to the AFSA
        ("Assets are frozen without delay and without prior notice, frozen assets are reported "
         "to the FIU, and the AFSA is notified within five business days of the freeze.",
         "Assets are frozen without delay, and the AFSA is notified immediately of the freeze, "
         "within one business day at the latest."),
        # a review, 2026-12-04 (sixteenth session): each figure's six-word window ran across the
        # semicolon, both figures shared the AFSA's words, and the tie excused the late notice
        ("Assets are frozen without delay and without prior notice. The MLRO is informed "
         "immediately of any frozen assets; the AFSA is notified within five business days.",
         "The MLRO is informed within five business days of any frozen assets; the AFSA is "
         "notified immediately."),
        # the same review: a label before a colon says what its figure is about (a colon ending
        # the window left both figures with no words)
        ("Notification of frozen assets. To the FIU and the AFSA: within five business days of "
         "the freeze. To the MLRO: immediately.",
         "Notification of frozen assets. To the AFSA: immediately. To the MLRO: within five "
         "business days."),
    ],
)  # fmt: skip
def test_of_several_deadlines_in_a_clause_the_one_about_the_same_act_is_compared(
    register: list[Obligation], late: str, compliant: str
) -> None:
    """Of several deadlines in one clause, the one about the rule's act ("the AFSA must be
    notified immediately") is compared: the late one conflicts, the compliant one does not."""
    o = next(o for o in register if o.ref == "AML 12.1.2" and "notified" in o.text)
    c = clause("7.2", late)
    conflicts, _ = PolicyChecker._compare_params(o, [parameters(c.text)], [c])
    assert conflicts and "within five business days (clause 7.2)" in conflicts[0], conflicts
    ok = clause("7.2", compliant)
    assert PolicyChecker._compare_params(o, [parameters(ok.text)], [ok])[0] == []


def test_review_a_clause_that_hands_over_to_the_compliant_one_is_no_shortfall(
    register: list[Obligation],
) -> None:
    """A review, 2026-12-04: branch records "kept at the branch for 2 years ..., and then sent to
    head office, which keeps them under 9.1" (six years) conflicted as a shortfall. A clause that
    names the compliant clause's number is a staged arrangement; one that does not still
    conflicts, and neither "19.1" nor "9.12" names 9.1."""
    o = by_ref(register, "AML 14.5.1")
    main = clause("9.1", "All CDD records and transaction records are kept for at least six years "
                         "from the end of the business relationship.")  # fmt: skip

    def conflicts(text: str) -> list[str]:
        branch = clause("9.2", text)
        return PolicyChecker._compare_params(
            o, [parameters(main.text), parameters(branch.text)], [main, branch]
        )[0]

    # a figure is no reference: "2 years" does not hand over to a clause numbered 2 (a review)
    two = clause("2", "All CDD records are kept for at least six years from the end of the "
                      "business relationship.")  # fmt: skip
    short = clause("3", "Transaction records are kept for 2 years from the completion of the "
                        "transaction.")  # fmt: skip
    assert PolicyChecker._compare_params(
        o, [parameters(two.text), parameters(short.text)], [two, short]
    )[0]
    short = clause("3", "Transaction records are kept for under 2 years.")  # "under" + a figure
    assert PolicyChecker._compare_params(
        o, [parameters(two.text), parameters(short.text)], [two, short]
    )[0]
    staged = ("CDD records held by a branch are kept at the branch for 2 years from the end of "
              "the business relationship, and then sent to head office, which keeps them under {}.")  # fmt: skip
    for ref in ("9.1", "clauses 8.4 and 9.1", "pursuant to 9.1", "as required by 9.1", "§9.1"):
        assert conflicts(staged.format(ref).replace("under pursuant", "pursuant").replace(
            "under as required", "as required")) == [], ref  # fmt: skip
    for other in ("19.1", "9.12", "9.1.3"):
        assert conflicts(staged.format(other)), other


@pytest.mark.slow
def test_trial_a_place_in_the_country_and_the_rules_abbreviation_cover_the_rule(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    """A new user's trial, 2026-12-04 (sixteenth session): "The firm has appointed an MLRO, who
    is a Senior Manager and lives in Almaty." was "partial" twice: against AML 13.1.3 for not
    naming "residence, Kazakhstan, Republic" (Almaty is in Kazakhstan, and "lives in" says where
    the MLRO resides), and against AML 13.1.1 for not naming "Money, Laundering, Reporting" (the
    rule's own abbreviation, MLRO, names them). A place in another country still conflicts."""
    path = tmp_path / "tengri.md"
    path.write_text("# Tengri AML policy\n\n## 1 Roles\n\n1.1 The firm has appointed an MLRO, who "
                    "is a Senior Manager and lives in Almaty.\n", encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert found["AML 13.1.3"].status == "covered", found["AML 13.1.3"].reason
    assert found["AML 13.1.1"].status == "covered", found["AML 13.1.1"].reason
    # a place in Kazakhstan that is not where the MLRO resides does not cover it (a review)
    path.write_text(path.read_text().replace("lives in Almaty.", "lives in London. The firm's "
                                             "customer records are kept on servers in Almaty."),
                    encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert found["AML 13.1.3"].status != "covered", found["AML 13.1.3"].reason
    path.write_text(path.read_text().replace("lives in London", "lives in Tashkent"),
                    encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert found["AML 13.1.3"].status == "conflicting", found["AML 13.1.3"].reason


@pytest.mark.slow
def test_trial_a_clause_that_negates_the_rules_words_is_never_covered(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    """A consultant's trial, 2026-12-04 (sixteenth session): "Given the size of the firm, no
    deputy to the MLRO will be designated" was "covered" for the deputy rule, and "We do not keep a
    written record of customer risk assessments" for the rule to document and keep them, each
    quoted as the evidence. A negation of the rule's own words that the denial check cannot read
    makes the finding "partial", naming the sentence; a negation of another word, or in a
    condition, does not."""
    path = tmp_path / "altai.md"
    path.write_text(
        "# Altai AML policy\n\n## 1 Roles\n\n1.1 The firm has appointed an MLRO, who is a Senior "
        "Manager resident in Almaty.\n\n1.3 Given the size of the firm, no deputy to the MLRO will "
        "be designated; during the MLRO's leave, internal reports wait until the MLRO returns.\n\n"
        "## 2 Risk\n\n2.2 We do not keep a written record of customer risk assessments; the "
        "onboarding officer's judgement is considered sufficient.\n\n2.3 Records held outside the "
        "AIFC remain accessible, and we check that data-protection law does not prevent access "
        "to them.\n", encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert found["AML 13.1.2"].status != "covered", found["AML 13.1.2"].reason
    f = found["AML 14.5.2"]
    assert f.status == "partial" and "clause 2.2 negates words of the rule" in f.reason, f.reason
    assert found["AML 14.5.3"].status == "covered", found["AML 14.5.3"].reason
    # an MLRO's browser trial (seventeenth session): a light verb before the rule's words
    # ("does not perform due diligence") hid the negation, and the denial was "covered"
    path.write_text("# AML manual\n\n## 4. Transfers\n\n4.3 The Firm does not perform due "
                    "diligence on counterparty service providers before sending or releasing "
                    "digital assets.\n", encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    f = found["AML 11-2.1"]
    assert f.status == "partial" and "clause 4.3 negates words of the rule" in f.reason, f.reason
    # the light verb's noun must be the rule's duty: a transfer held back until due diligence
    # is done negates no part of it (a review)
    path.write_text("# AML manual\n\n## 4. Transfers\n\n4.3 The Company does not complete any "
                    "transfer to another DASP before carrying out due diligence on that DASP.\n",
                    encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert "negates words of the rule" not in found["AML 11-2.1"].reason, found["AML 11-2.1"].reason
    # a duty written in the passive has its act before the modal ("CDD must be undertaken"):
    # a light verb's denial of it is still read (a final review)
    path.write_text("# AML manual\n\n## 3. CDD\n\n3.1 For occasional Digital Asset transactions "
                    "of USD 1,000 or more, we do not carry out CDD.\n", encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    f = found["AML 6.1.1(a-a)"]
    assert f.status != "covered" and "negates words of the rule" in f.reason, f.reason


@pytest.mark.slow
def test_trial_a_rule_whose_subject_is_a_pronoun_needs_a_clause_naming_it(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    """A consultant's trial, 2026-12-04 (sixteenth session): AML 6.1.2, "It must never be used in
    high-risk scenarios ..." under the title "Simplified due diligence", was "covered" by a
    clause on money-laundering risk in general. Its subject is its title's."""
    path = tmp_path / "risk.md"
    path.write_text("# Risk policy\n\n2.1 The money laundering risks of the business are assessed "
                    "across the firm, and a risk-based approach is taken to every control, "
                    "including high-risk scenarios and suspected money laundering.\n",
                    encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert found["AML 6.1.2"].status != "covered", found["AML 6.1.2"].reason
    path.write_text("# Risk policy\n\n2.1 Simplified due diligence is not applied in high-risk "
                    "scenarios or where money laundering is suspected.\n", encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert found["AML 6.1.2"].status == "covered", found["AML 6.1.2"].reason


def test_trial_a_name_written_by_its_initials_is_named() -> None:
    """A consultant's trial, 2026-12-04 (sixteenth session): "the UN Security Council consolidated
    list" was "partial" against "United Nations Security Council sanctions" ("does not name:
    United, Nations"). Initials of two or more of a name's words, in capitals, name them."""
    from assistant.policy.checker import _initialled

    rule = ("A Relevant Person must comply with United Nations Security Council sanctions and "
            "Republic of Kazakhstan sanctions.")  # fmt: skip
    assert _initialled(rule, ["Screening covers the UN Security Council list."]) == [
        "United", "Nations"]  # fmt: skip
    assert set(_initialled(rule, ["We screen against UNSC lists."])) >= {"United", "Security"}
    assert _initialled(rule, ["Screening is done in the US and the UK."]) == []
    assert _initialled(rule, ["We screen against the un list."]) == []  # not in capitals


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ref", "text", "covered"),
    [
        # a place after a word of residence, in its own clause of the sentence, is the residence
        ("AML 13.1.3", "The MLRO is resident abroad; our records are kept in Almaty.", False),
        (
            "AML 13.1.3",
            "The MLRO lives in the city centre. Customer records are kept in Almaty.",
            False,
        ),
        ("AML 13.1.3", "The MLRO is a Senior Manager and lives in Almaty.", True),
        # the negation is said of the firm's own people
        (
            "AML 14.5.2",
            "Our compliance team does not keep a written record of customer risk assessments.",
            False,
        ),
        # the title's subject written by its initials
        (
            "AML 6.1.2",
            "SDD is not applied in high-risk scenarios or where money laundering is suspected.",
            True,
        ),
        (
            "AML 6.1.2",
            "Simplified CDD is not applied in high-risk scenarios or where money "
            "laundering is suspected.",
            True,
        ),
    ],
)
def test_review_residence_negation_subjects_and_initials(
    real_corpus_dir: Path, tmp_path: Path, ref: str, text: str, covered: bool
) -> None:
    """A second review, 2026-12-04 (sixteenth session): a residence word's window ran past ";" and
    "." to a records place in Almaty (covered); "Our compliance team does not keep ..." was
    covered; "SDD" and "Simplified CDD" were partial for not naming "simplified due diligence"."""
    path = tmp_path / "p.md"
    path.write_text(f"# Policy\n\n1.1 The firm has appointed an MLRO. {text}\n", encoding="utf-8")
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert (found[ref].status == "covered") == covered, (found[ref].status, found[ref].reason)


def test_a_negated_residence_is_not_where_someone_resides() -> None:
    """A founder's browser trial (twenty-fourth session): "The MLRO is not resident in Kazakhstan
    and works from Dubai." was "partial" against "The MLRO must be resident in the Republic of
    Kazakhstan": the negated "resident in Kazakhstan" was read as the residence, which excused
    Dubai. A place after a negated word of residence is not where someone resides."""
    from assistant.policy.checker import _resided, _resides_in

    text = "The MLRO is not resident in Kazakhstan and works from Dubai."
    assert [q.text for q in _resided(text)] == ["Dubai"]
    kz = {
        q.key for q in parameters("resident in the Republic of Kazakhstan") if q.kind == "location"
    }
    assert kz
    assert _resides_in(text, kz) is False
    assert _resided("The MLRO is a non-resident of Kazakhstan.") == []
    assert _resides_in("The MLRO lives in Almaty and is not based in Dubai.", kz) is True
    # (a review) "not only resident in ... but also ..." says it is
    assert [
        q.text for q in _resided("The MLRO is not only resident in Kazakhstan but also ...")
    ] == ["Kazakhstan"]


@pytest.mark.slow
def test_a_negated_residence_beside_another_place_conflicts(
    real_corpus_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "p.md"
    path.write_text("# Policy\n\n2.2 The MLRO is not resident in Kazakhstan and works from Dubai.\n",
                    encoding="utf-8")  # fmt: skip
    found = {f.obligation.ref: f for f in
             run_check(Settings(data_dir=real_corpus_dir), path, [], ["AML"]).findings}  # fmt: skip
    assert found["AML 13.1.3"].status == "conflicting", found["AML 13.1.3"].reason
