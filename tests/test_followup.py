"""Follow-up questions are rewritten into standalone questions from the conversation,
deterministically, and by the LLM when one is configured."""

import pytest

from assistant.answer.followup import (
    asked_parts,
    is_followup,
    rewrite,
    rewrite_with_llm,
    subject_span,
)


def conversation(turns: list[str]) -> list[str]:
    """Each turn rewritten against the standalone questions before it, as the chat does."""
    history: list[str] = []
    for q in turns:
        history.append(rewrite(q, history).standalone)
    return history


def test_three_turns_subject_then_pronoun() -> None:
    out = conversation(["Must the MLRO be resident in Kazakhstan?", "and what about a deputy?",
                        "What are its duties?"])  # fmt: skip
    assert out == ["Must the MLRO be resident in Kazakhstan?",
                   "Must a deputy be resident in Kazakhstan?",
                   "What are a deputy's duties?"]  # fmt: skip


def test_three_turns_prepositional_phrase_then_object() -> None:
    out = conversation(["What is the CDD threshold for an occasional digital asset transaction?",
                        "and for a wire transfer?", "what about a custodian?"])  # fmt: skip
    assert out[1] == "What is the CDD threshold for a wire transfer?"
    assert out[2] == "What is the CDD threshold for a custodian?"


def test_three_turns_one_stands_for_the_previous_head_noun() -> None:
    out = conversation(["What capital must a DASP dealing as principal hold?",
                        "and for one dealing as agent?", "Which permissions does a crypto exchange need?"])  # fmt: skip
    assert out[1] == "What capital must a DASP dealing as agent hold?"
    assert out[2] == "Which permissions does a crypto exchange need?"  # a new question stays


@pytest.mark.parametrize(
    ("question", "expected"),
    [("and for agents?", True), ("what about a deputy?", True), ("for a custodian?", True),
     ("Must it be approved by the AFSA?", True), ("AML 13.1.3", False), ("travel rule", False),
     ("How long must records be kept?", False), ("Does the firm need to keep its records?", False),
     # a bare wh-adverbial has nothing to ask of but the previous question
     ("when?", True), ("How often?", True), ("how many days?", True), ("What fee?", False),
     ("Who?", True), ("What is the fee?", False)],
)  # fmt: skip
def test_followups_are_recognised_by_structure(question: str, expected: bool) -> None:
    assert is_followup(question) is expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [("What is the FinTech Lab?", "And how long can a firm stay in it?",
      "How long can a firm stay in the FinTech Lab?"),
     ("Who must appoint the MLRO?", "and what are its duties?", "What are the MLRO's duties?"),
     ("Must the MLRO be resident in Kazakhstan?", "And must it be approved by the AFSA?",
      "Must the MLRO be approved by the AFSA?"),
     ("What is the CDD threshold?", "And how long must records be kept?",
      "How long must records be kept?")],
)  # fmt: skip
def test_a_whole_question_after_a_conjunction_keeps_its_own_frame(
    previous: str, question: str, expected: str
) -> None:
    """Not spliced into the previous question ("What is how long can ..."): it stands alone once
    its pronouns, subject or object of a preposition, name the previous subject."""
    r = rewrite(question, [previous])
    assert r.standalone == expected and r.rewritten and r.how == "clause"


def test_no_history_or_standalone_question_is_unchanged() -> None:
    assert not rewrite("and for agents?", []).rewritten
    r = rewrite("What is the CDD threshold?", ["Must the MLRO be resident in Kazakhstan?"])
    assert r.standalone == "What is the CDD threshold?" and not r.rewritten


def test_subject_span_stops_at_the_verb() -> None:
    q = "Which permissions does a crypto exchange need?"
    a, b = subject_span(q)  # type: ignore[misc]
    assert q[a:b] == "a crypto exchange"
    q = "Does a DASP need a licence?"
    a, b = subject_span(q)  # type: ignore[misc]
    assert q[a:b] == "a DASP"


class _LLM:
    def __init__(self, reply: str | Exception) -> None:
        self.reply, self.calls = reply, []

    def complete(self, system: str, user: str) -> str:
        self.calls.append(user)
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


def test_llm_rewrites_when_configured_and_falls_back_on_failure() -> None:
    history = ["Must the MLRO be resident in Kazakhstan?"]
    llm = _LLM("Must the deputy MLRO be resident in Kazakhstan?")
    r = rewrite_with_llm(llm, "and what about a deputy?", history)
    assert r.standalone == "Must the deputy MLRO be resident in Kazakhstan?" and r.how == "llm"
    assert "Must the MLRO be resident" in llm.calls[0]
    r = rewrite_with_llm(_LLM(OSError("down")), "and what about a deputy?", history)
    assert r.standalone == "Must a deputy be resident in Kazakhstan?" and r.how == "subject"


def test_an_llm_rewrite_never_replaces_the_question_asked() -> None:
    """A platform engineer's trial, 2026-12-05: with chat history every question went to the LLM,
    and its reply was asked instead, unchecked ("What is the CDD threshold ...?" read as "Is a
    licence needed to operate a crypto exchange in the AIFC?")."""
    history = ["What is the minimum charter capital for an onshore crypto exchange?"]
    llm = _LLM("Is a licence needed to operate a crypto exchange in the AIFC?")
    whole = "What is the CDD threshold for an occasional digital asset transaction?"
    r = rewrite_with_llm(llm, whole, history)
    assert r.standalone == whole and not r.rewritten and llm.calls == []  # not sent at all
    # a follow-up whose rewrite drops the user's words is read without the LLM
    r = rewrite_with_llm(
        llm, "and what about a deputy?", ["Must the MLRO be resident in Kazakhstan?"]
    )
    assert r.how != "llm" and "deputy" in r.standalone, r
    # a review: a question that refers back is sent though the structural reading misses it,
    # and a rewrite that spells out a contraction keeps the user's words
    filed = ["When must the AML return be filed?"]
    for asked, wrote in [("Does that apply to us?", "Does filing the AML return apply to our firm?"),
                         ("What's the penalty if we miss it?", "What is the penalty if we miss the AML return?"),
                         ("Doesn't it need board approval?", "Does the AML return need board approval?")]:  # fmt: skip
        r = rewrite_with_llm(_LLM(wrote), asked, filed)
        assert (r.standalone, r.how) == (wrote, "llm"), (asked, r)
    # (a second review) a rewrite that drops the user's negation, or adds words neither the
    # question nor the conversation has, is not taken
    for asked, wrote in [("and if we don't file it on time?", "What if we file the AML return on time?"),
                         ("Is there a fee for that?", "Is there a penalty fee for filing the AML return?")]:  # fmt: skip
        assert rewrite_with_llm(_LLM(wrote), asked, filed).how != "llm", asked
    r = rewrite_with_llm(
        _LLM("x"),
        "And for a custodian, what capital?",
        ["Which permissions does a crypto exchange need?"],
    )
    assert r.standalone == "What capital for a custodian?", r


def test_three_turns_dummy_it_refers_to_nothing() -> None:
    out = conversation(["Must the MLRO be resident in the AIFC?",
                        "Is it an offence to tip off a customer?",
                        "What does it mean to be a Relevant Person?"])  # fmt: skip
    assert out == ["Must the MLRO be resident in the AIFC?",
                   "Is it an offence to tip off a customer?",
                   "What does it mean to be a Relevant Person?"]  # fmt: skip


def test_dummy_it_questions_stay_and_a_referring_it_is_still_rewritten() -> None:
    out = conversation(["Must the MLRO be resident in the AIFC?",
                        "How long does it take to register a firm?",
                        "Is it true that a DASP needs a licence?"])  # fmt: skip
    assert out[1:] == ["How long does it take to register a firm?",
                       "Is it true that a DASP needs a licence?"]  # fmt: skip
    out = conversation(["Must the MLRO be resident in the AIFC?", "Does it need to be approved?"])
    assert out[1] == "Does the MLRO need to be approved?"
    out = conversation(["Must the MLRO be resident in the AIFC?", "Does it report to agents?"])
    assert out[1] == "Does the MLRO report to agents?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Is it an offence to tip off a customer?", False),
     ("What does it mean to be a Relevant Person?", False),
     ("Is it necessary to appoint a deputy?", False), ("Is it true that records are kept?", False),
     ("Must it be approved by the AFSA?", True), ("Does it apply to Kazakhstan?", True),
     ("Is it required to be resident?", True), ("What are its duties?", True)],
)  # fmt: skip
def test_dummy_it_is_not_a_reference_back(question: str, expected: bool) -> None:
    assert is_followup(question) is expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [("Must the MLRO live in Kazakhstan?", "And what about the deputy?",
      "Must the deputy live in Kazakhstan?"),
     ("Can the MLRO work from abroad?", "and the deputy?", "Can the deputy work from abroad?"),
     ("Must the MLRO live and work in Kazakhstan?", "what about the deputy?",
      "Must the deputy live and work in Kazakhstan?"),
     ("Must a firm keep records?", "what about a branch?", "Must a branch keep records?"),
     ("Is the MLRO required to be resident in Kazakhstan?", "what about the deputy?",
      "Is the deputy required to be resident in Kazakhstan?"),
     ("Is the MLRO responsible for training?", "and the deputy?",
      "Is the deputy responsible for training?"),
     ("Is a DASP dealing as principal required to hold capital?", "what about a custodian?",
      "Is a custodian required to hold capital?"),
     ("How often must a firm report to the AFSA?", "and what about a branch?",
      "How often must a branch report to the AFSA?"),
     ("How often must a DASP review its AML policies?", "what about the MLRO?",
      "How often must the MLRO review its AML policies?"),
     ("Must a crypto exchange in Astana keep records?", "what about a custodian?",
      "Must a custodian in Astana keep records?"),
     ("Must the MLRO be resident in Kazakhstan?", "what about a deputy?",
      "Must a deputy be resident in Kazakhstan?")],
)  # fmt: skip
def test_a_new_subject_replaces_the_old_one_and_keeps_the_verb(
    previous: str, question: str, expected: str
) -> None:
    """Only the subject is swapped: the verb or predicate after it ("live", "required") stays."""
    r = rewrite(question, [previous])
    assert r.standalone == expected and r.how == "subject"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("and for a custodian?", "What is the minimum capital for a custodian?"),
     ("what about a custodian?", "What is the minimum capital for a custodian?")],
)  # fmt: skip
def test_the_object_asked_about_is_replaced_whole(question: str, expected: str) -> None:
    """ "for a DASP dealing as principal" is one phrase: its "as" is not the one to replace."""
    previous = "What is the minimum capital for a DASP dealing as principal?"
    assert rewrite(question, [previous]).standalone == expected


def test_subject_span_stops_before_a_verb_that_opens_a_phrase() -> None:
    for q, subject in [("Must the MLRO live in Kazakhstan?", "the MLRO"),
                       ("Is the MLRO required to be resident?", "the MLRO"),
                       ("Must a crypto exchange in Astana keep records?", "a crypto exchange")]:  # fmt: skip
        a, b = subject_span(q)  # type: ignore[misc]
        assert q[a:b] == subject


@pytest.mark.parametrize(
    ("previous", "followup", "expected", "how"),
    [  # a wh-fragment asks something else of the same question
     ("How often must AML systems be reviewed?", "by whom?",
      "By whom must AML systems be reviewed?", "wh"),
     ("How often must AML systems be reviewed?", "and when?",
      "When must AML systems be reviewed?", "wh"),
     ("How often must AML systems be reviewed?", "when?",
      "When must AML systems be reviewed?", "wh"),
     ("Must a DATF report cyber incidents to the AFSA?", "how quickly?",
      "How quickly must a DATF report cyber incidents to the AFSA?", "wh"),
     # second review: a wh-pronoun is no adverbial, and "how many?" needs its noun
     ("Who is the MLRO?", "why?", "Who is the MLRO, why?", "appended"),
     ("Must a DASP have independent directors?", "how many?",
      "Must a DASP have independent directors, how many?", "appended"),
     ("Must a DATF report cyber incidents to the AFSA?", "within how many days?",
      "Within how many days must a DATF report cyber incidents to the AFSA?", "wh"),
     # after "Who ...?" a noun phrase is the new object (the wh-word is the subject)
     ("Who must approve the AML policy?", "and the risk assessment?",
      "Who must approve the risk assessment?", "object"),
     # a gerund is another act, not a new subject ("Can staking them client assets?")
     ("Can a DASP lend client assets?", "what about staking them?",
      "Can a DASP lend client assets, staking them?", "appended"),
     # found by the review: a wh-word that is the subject, or a wh-phrase with a noun, keeps
     # its place; the fragment is asked beside it
     ("Who must approve the AML policy?", "by when?",
      "Who must approve the AML policy, by when?", "appended"),
     ("What capital must a DASP hold?", "and how much?",
      "What capital must a DASP hold, how much?", "appended"),
     # after a wh-question a gerund is still the new object
     ("What is the fee for a DASP?", "what about licensing?",
      "What is the fee for licensing?", "object")],
)  # fmt: skip
def test_wh_fragments_objects_and_acts_keep_the_previous_frame(
    previous: str, followup: str, expected: str, how: str
) -> None:
    r = rewrite(followup, [previous])
    assert (r.standalone, r.how) == (expected, how)


@pytest.mark.parametrize(
    "question",
    ["In the AIFC, who supervises DASPs?", "Under AML 13.1.3, who appoints the MLRO?",
     "For occasional transactions, what CDD threshold applies?"],
)  # fmt: skip
def test_a_whole_question_opening_with_a_phrase_is_not_a_follow_up(question: str) -> None:
    """Bug-only review, 2026-12-04: a question opening with a prepositional phrase, whose verb is
    not an auxiliary, was taken for a fragment ("What is the AIFC, who supervises DASPs for a
    DASP?")."""
    r = rewrite(question, ["What is the minimum capital for a DASP?"])
    assert not r.rewritten and r.standalone == question
    assert rewrite("within how many days?", ["What is the minimum capital for a DASP?"]).rewritten


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [("What is the fee?", "and for custody?", "What is the fee for custody?"),
     ("What is the minimum capital for a DASP?", "in the AIFC?",
      "What is the minimum capital for a DASP in the AIFC?"),
     ("What is the minimum capital for a DASP?", "and how often must it report?",
      "How often must a DASP report?"),
     ("What is the minimum capital for a DASP?", "and when must it be paid?",
      "When must the minimum capital be paid?"),
     ("What is the minimum capital for a DASP?", "what about its fees?",
      "What is the fees for a DASP?"),
     ("What is the minimum capital for a DASP?", "and for custodians?",
      "What is the minimum capital for custodians?"),
     ("Must the MLRO be resident in Kazakhstan?", "and for the deputy?",
      "Must the deputy be resident in Kazakhstan?")],
)  # fmt: skip
def test_a_follow_up_after_a_question_for_a_thing_keeps_the_thing_and_its_entity(
    previous: str, question: str, expected: str
) -> None:
    """Bug-only review, 2026-12-04: "and for custody?" after "What is the fee?" became "What is
    custody?"; "in the AIFC?" replaced the thing asked for; a pronoun that acts ("must it report")
    was read as the capital rather than the DASP; "its fees" stayed unresolved."""
    assert rewrite(question, [previous]).standalone == expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [("What is the annual fee for a DATF operator?", "when is it due?",
      "When is the annual fee due?"),
     ("What is the annual fee for a DATF operator?", "is it refundable?",
      "Is the annual fee refundable?"),
     ("What is the minimum capital for a DASP?", "how is it calculated?",
      "How is the minimum capital calculated?"),
     ("Can a DASP outsource custody?", "under what conditions?",
      "Under what conditions can a DASP outsource custody?"),
     ("Can a DASP outsource custody?", "for which firms?",
      "For which firms can a DASP outsource custody?")],
)  # fmt: skip
def test_review_be_keeps_the_thing_and_a_wh_phrase_is_still_a_fragment(
    previous: str, question: str, expected: str
) -> None:
    """Review of the session's own change, 2026-12-04: "when is it due?" read "it" as the DATF
    operator, and "under what conditions?" stopped being a follow-up."""
    assert rewrite(question, [previous]).standalone == expected


def test_a_condition_without_its_main_clause_is_asked_of_the_previous_question() -> None:
    """A founder's chat, 2026-12-04 (fifteenth session): "and if it also provides custody?" after
    "How much capital does a DASP dealing as principal need?" became "How much capital does if
    it also provides custody need?", and the next turn built on that."""
    prev = "How much capital does a DASP dealing as principal need?"
    for q in ("and if it also provides custody?", "if it is also a custodian?",
              "unless it only arranges deals?"):  # fmt: skip
        r = rewrite(q, [prev])
        assert r.rewritten and r.standalone.startswith(prev.rstrip("?") + " "), r
        assert r.standalone.endswith(q.removeprefix("and ")), r
    # a whole question opening with a condition is its own question
    for q in ("If a DASP holds client money, must it segregate it?",
              "If a DASP holds client money does it need to segregate it?"):  # fmt: skip
        assert rewrite(q, [prev]).standalone == q
    turns = conversation(
        [prev, "and if it also provides custody?", "What about a stablecoin issuer?"]
    )
    assert turns[2] == "How much capital does a stablecoin issuer need if it also provides custody?"


@pytest.mark.parametrize(
    "q",
    [
        "If a firm breaches AML rules what happens?",
        "If we hold client money what are the rules?",
        "Since when is the travel rule in force?",
        "Once licensed how long is the licence valid?",
        "While applying for a licence can we start operating?",
    ],
)
def test_review_a_whole_question_opening_with_a_condition_is_not_a_follow_up(q: str) -> None:
    """A review, 2026-12-04: questions without the comma after their condition were appended to
    the previous question."""
    assert rewrite(q, ["What is the minimum capital for a DASP?"]).standalone == q


def test_review_a_condition_after_and_is_asked_of_the_previous_question_whatever_its_subject() -> (
    None
):
    prev = "How much capital does a DASP need?"
    assert rewrite("and if the firm also provides custody?", [prev]).standalone == (
        "How much capital does a DASP need if the firm also provides custody?"
    )


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        # a founder's trial (sixteenth session): asked as one, refused although its citation
        # said 2 years
        (
            "Do we need to apply to the sandbox first, and how long does the sandbox licence last?",
            [
                "Do we need to apply to the sandbox first?",
                "How long does the sandbox licence last?",
            ],
        ),
        (
            "Must a firm appoint an MLRO; and must the MLRO be resident here?",
            ["Must a firm appoint an MLRO?", "Must the MLRO be resident here?"],
        ),
        (
            "What is the capital? What is the fee, and when is it paid?",
            ["What is the capital?", "What is the fee?", "When is it paid?"],
        ),
        # not two whole questions: kept whole
        ("Which firms must report, and when?", None),
        ("Is a licence needed, and if so, how long does it take?", None),
        ("Which documents, and what fees, are required?", None),
        ("What is the CDD threshold and how is it applied?", None),  # no comma: one question
        ("Does it apply, and does it?", None),  # the second part is too short to stand
        # a review (seventeenth session): a phrase set off by commas is no second question
        (
            "What minimum capital, and what professional indemnity insurance, does a broker need?",
            None,
        ),
        ("Does the firm, and do its employees, need to register?", None),
        # a pronoun after a yes/no question is not read reliably: asked whole
        ("Can a firm hold client money, and when must it be segregated?", None),
        # a yes/no second question opens with its auxiliary (a browser trial)
        (
            "Must a firm appoint an MLRO, and can the MLRO live abroad?",
            ["Must a firm appoint an MLRO?", "Can the MLRO live abroad?"],
        ),
        (
            "Do we need a licence, and is there an application fee?",
            ["Do we need a licence?", "Is there an application fee?"],
        ),
        # four questions, one with ", and": four parts, not a fifth that keeps all whole
        (
            "Do we need an AML officer? Can our MLRO live in Dubai? What is the minimum capital "
            "for a broker? Who approves the licence, and how long does approval take?",
            [
                "Do we need an AML officer?",
                "Can our MLRO live in Dubai?",
                "What is the minimum capital for a broker?",
                "Who approves the licence, and how long does approval take?",
            ],
        ),
    ],
)
def test_a_question_joined_to_another_by_and_is_split(
    message: str, parts: list[str] | None
) -> None:
    from assistant.answer.followup import split_questions

    assert split_questions(message) == (parts or [message])


@pytest.mark.parametrize(
    ("previous", "question", "standalone"),
    [
        # a browser trial (seventeenth session): "it" as the object of a verb was read as nothing
        ("What is the AML Return?", "How often must we report it?",
         "How often must we report the AML Return?"),
        ("Do we need an AML policy?", "Who must approve it?", "Who must approve an AML policy?"),
        # "What is a FinTech Lab licence?": the licence is part of the subject (it was cut)
        ("What is a FinTech Lab licence?", "and how long does it last?",
         "How long does a FinTech Lab licence last?"),
        # a passive participle after "is" is no part of the subject
        ("How is a digital asset defined under Kazakh national law?", "is it legal tender?",
         "Is a digital asset legal tender?"),
    ],
)  # fmt: skip
def test_pronouns_read_with_the_previous_question(previous: str, question: str,
                                                  standalone: str) -> None:  # fmt: skip
    assert rewrite(question, [previous]).standalone == standalone


@pytest.mark.parametrize(
    "question",
    ["If a DASP holds client money, must it segregate it?", "Can we make it clear to clients?",
     "Is it an offence to tip off a customer?"],
)  # fmt: skip
def test_a_pronoun_the_question_itself_explains_is_no_follow_up(question: str) -> None:
    assert not rewrite(question, ["What is the AML Return?"]).rewritten


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [  # a browser trial (eighteenth session): an object pronoun in a question with no auxiliary
     # read as a wh-fragment ("Who issues it is a FinTech Lab licence valid?"), and "how fast"
     # was no wh-phrase, so "it" stayed unread
     ("How long is a FinTech Lab licence valid?", "who issues it?", "Who issues a FinTech Lab licence?"),
     ("What information must accompany a crypto transfer?", "how fast must we send it?",
      "How fast must we send a crypto transfer?"),
     ("What is the AML policy?", "Who approves it?", "Who approves the AML policy?"),
     # a review: the thing acted on, not the one who acts; the whole of what "What is" asked
     ("When must a firm file an STR?", "who reviews it?", "Who reviews an STR?"),
     ("Can a firm outsource the MLRO function?", "who approves it?", "Who approves the MLRO function?"),
     ("What is the fee for a DASP licence?", "who pays it?", "Who pays the fee for a DASP licence?"),
     # a founder's trial, 2026-12-05: the object of a preposition after the verb was unread
     ("What is the FinTech Lab?", "how long can we stay in it?", "How long can we stay in the FinTech Lab?"),
     ("What is the AML Return?", "How often must we report on it?", "How often must we report on the AML Return?"),
     # and a wh-phrase after a phrase that says of what ("for that" is what was asked about)
     ("Which permissions does a crypto exchange need?", "and for that what capital?",
      "What capital for a crypto exchange?"),
     ("What is the application fee for Dealing?", "for custody what fee?", "What fee for custody?")],
)  # fmt: skip
def test_an_object_pronoun_is_the_previous_subject(
    previous: str, question: str, expected: str
) -> None:
    assert rewrite(question, [previous]).standalone == expected


def test_after_an_adverbial_wh_phrase_the_predicate_is_no_part_of_the_subject() -> None:
    """ "How long is a FinTech Lab licence valid?" had "a FinTech Lab licence valid" as its subject
    (read as after "What is ...", which has no predicate)."""
    for q, subject in [("How long is a FinTech Lab licence valid?", "a FinTech Lab licence"),
                       ("When is the AML Return due?", "the AML Return"),
                       ("Where is the MLRO based?", "the MLRO"),
                       ("How much is the annual fee?", "the annual fee"),
                       ("What is the AML Return?", "the AML Return"),
                       # a review: a noun ends the subject, no predicate follows
                       ("When is the annual return?", "the annual return"),
                       ("Where is the registered office?", "the registered office"),
                       ("How often is the business risk assessment?", "the business risk assessment"),
                       ("Where is the MLRO based in the AIFC?", "the MLRO")]:  # fmt: skip
        span = subject_span(q)
        assert span and q[span[0] : span[1]] == subject, q


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [  # a COO's browser trial, 2026-12-05
     # "ok" before what is asked was searched as written, and broke the next turn
     ("How long can we stay in the FinTech Lab?", "ok and the fee?", "What is the fee for the FinTech Lab?"),
     ("What is the FinTech Lab?", "OK what is the CDD threshold?", "What is the CDD threshold?"),
     # a rule's number alone is of the rulebook named before; another rule takes its place
     ("what does AML 13.1.2 say?", "and 13.1.3?", "What does AML 13.1.3 say?"),
     ("What does AML 13.1.3 say?", "and GEN 2.1.2?", "What does GEN 2.1.2 say?"),
     # a topic, then a whole question of its own, is not glued to the previous one
     ("how often we report to AFSA?", "and the AML return, when is due?", "The AML return: when is due?"),
     ("how often we report to AFSA?", "and the AML return, when is it due?", "When is the AML return due?"),
     ("Must the MLRO be resident in Kazakhstan?", "and the deputy, must he be resident too?",
      "Must the deputy be resident too?"),
     # "he" is the person named before, not the firm
     ("do we need MLRO for our crypto brokerage?", "must he be resident in kazakhstan?",
      "Must the MLRO be resident in kazakhstan?")],
)  # fmt: skip
def test_a_busy_users_follow_ups(previous: str, question: str, expected: str) -> None:
    assert rewrite(question, [previous]).standalone == expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [  # a second review of the COO trial's fixes, 2026-12-05: each read worse than before them
     ("Does our MLRO have to file STRs with the FIU?", "must he be resident in Kazakhstan?",
      "Must our MLRO be resident in Kazakhstan?"),
     ("Must the compliance officer approve the CDD policy?", "must she be resident in Kazakhstan?",
      "Must the compliance officer be resident in Kazakhstan?"),
     ("How often must we file the AML return?", "and the STR?", "How often must we file the STR?"),
     ("What does AML 13.1.2 say?", "and does GEN 2.1.2 apply to us too?", "Does GEN 2.1.2 apply to us too?"),
     ("Who must approve the policy under AML 5.1?", "and under AML 5.2?", "Who must approve the policy under AML 5.2?"),
     ("What is the CDD threshold?", "Fine for late filing of the AML return?", "Fine for late filing of the AML return?"),
     ("What is the CDD threshold?", "ok.", "ok."),
     ("What is the CDD threshold?", "Right of appeal against an AFSA decision?", "Right of appeal against an AFSA decision?")],
)  # fmt: skip
def test_follow_up_readings_the_second_review_found(
    previous: str, question: str, expected: str
) -> None:
    assert rewrite(question, [previous]).standalone == expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [  # a third review, 2026-12-05: the topic took the place of every pronoun, and "one more
     # thing" or "that" was a topic
     ("Must the MLRO be resident in Kazakhstan?", "and the deputy, must he be resident too?",
      "Must the deputy be resident too?"),
     ("How long can we stay in the FinTech Lab?", "and the fee, how much is it?", "How much is the fee?"),
     ("What is the MLRO?", "and the DASPs, what are their obligations?", "What are the DASPs' obligations?")],
)  # fmt: skip
def test_a_topic_stands_for_its_one_pronoun(previous: str, question: str, expected: str) -> None:
    assert rewrite(question, [previous]).standalone == expected


@pytest.mark.parametrize(
    ("previous", "question"),
    [("What are client assets?", "and the custodian, what must it do with them?"),
     ("Must we file the AML Return?", "and one more thing, when is it due?"),
     ("Must we file the AML Return?", "and that, when is it due?")],
)  # fmt: skip
def test_no_topic_reading_where_pronouns_lean_on_the_previous_turn(
    previous: str, question: str
) -> None:
    assert rewrite(question, [previous]).how != "topic"


def test_what_a_question_sets_aside_is_not_what_it_stands_for() -> None:
    """A stablecoin founder's browser trial (twentieth session): after "Can we launch our tenge
    payment token through the FinTech Lab instead of a full licence?", "how long can we stay in
    it?" was read "How long can we stay in a full licence?" and refused."""
    h = ["Can we launch our tenge payment token through the FinTech Lab instead of a full licence?"]
    assert rewrite("how long can we stay in it?", h).standalone == (
        "How long can we stay in the FinTech Lab?"
    )
    h = ["Can we use a custodian rather than hold keys ourselves?"]
    assert rewrite("who regulates it?", h).standalone == "Who regulates a custodian?"
    assert rewrite("who reviews it?", ["When must a firm file an STR?"]).standalone == (
        "Who reviews an STR?"
    )


def test_a_correction_asks_the_previous_question_of_what_was_meant() -> None:
    """An MLRO's browser trial (twentieth session): "no, I meant the deputy" after "Must the MLRO
    be resident in Kazakhstan?" was searched as written."""
    h = ["Must the MLRO be resident in Kazakhstan?"]
    for q in ("no, I meant the deputy", "I meant the deputy", "sorry, I mean the deputy."):
        r = rewrite(q, h)
        assert (r.standalone, r.how) == ("Must the deputy be resident in Kazakhstan?", "correction")
    for q in ("no, I meant that", "I meant what I said about residence"):
        assert rewrite(q, h).how != "correction", q
    # (a review) a subject the previous question's words do not set off is not replaced: the
    # message is searched as written, not garbled ("What are the deputy?")
    for prev in ("What are the MLRO's duties?", "Can a DASP hold client assets?",
                 "Who must we appoint as MLRO?"):  # fmt: skip
        assert rewrite("no, I meant the deputy", [prev]).standalone == "no, I meant the deputy"
    assert rewrite("I meant the deputy", []).standalone == "I meant the deputy"


def test_he_is_the_role_named_before_where_no_subject_is() -> None:
    """An MLRO's browser trial (twentieth session): after "Who must we appoint as MLRO?", "must he
    be resident in Kazakhstan?" was left with its "he"."""
    r = rewrite("must he be resident in Kazakhstan?", ["Who must we appoint as MLRO?"])
    assert r.standalone == "Must the MLRO be resident in Kazakhstan?"


_FIGURE_FOLLOW_UPS = [
    # a founder's browser trial (twenty-fourth session): the set-aside option taken for a
    # subject "it"; "How long does the fee last?"; "What is the fee for the fee?"
    ("how long does it last?",
     ["Can we start in the FinTech Lab instead of getting a full licence?"],
     "How long does the FinTech Lab last?"),
    ("what about the fee?",
     ["Can we start in the FinTech Lab instead of getting a full licence?",
      "How long does the FinTech Lab last?"],
     "What is the fee for the FinTech Lab?"),
    ("and the fee?", ["How long does the FinTech Lab last?", "What is the fee for the FinTech Lab?"],
     "What is the fee for the FinTech Lab?"),
    # a figure of the same kind takes the place of the one asked for, of the same entity
    ("and the capital?", ["What is the fee for a custodian?"], "What is the capital for a custodian?"),
    # another entity still takes the entity's place, another thing the object's
    ("and a custodian?", ["What is the fee for a broker?"], "What is the fee for a custodian?"),
    ("and the deputy?", ["Who must appoint the MLRO?"], "Who must appoint the deputy?"),
    # (a review) the figure named at the phrase's end, not a word inside a name; after a
    # "when" question the phrase is asked when
    ("and the capital adequacy return?", ["When must the AML Return be filed?"],
     "When must the capital adequacy return be filed?"),
    ("and a fee-based adviser?", ["What is the fee for a custodian?"],
     "What is the fee for a fee-based adviser?"),
    ("and the annual fee?", ["When is the AML Return due?"], "When is the annual fee due?"),
    # (a third review) after a yes/no question, of its subject; a figure named by more than one
    # word; a subject with an "of" phrase is not cut
    ("and the fee?", ["Does a DASP need a licence?"], "What is the fee for a DASP?"),
    ("and the retention period?", ["What is the minimum capital for a DASP?"],
     "What is the retention period for a DASP?"),
    ("and the capital requirement?", ["How long does a FinTech Lab licence last?"],
     "What is the capital requirement for a FinTech Lab licence?"),
    ("and the fee?", ["How long does the licence of a DASP last?"],
     "What is the fee for the licence?"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "history", "standalone"), _FIGURE_FOLLOW_UPS)
def test_a_figure_follow_up_asks_it_of_what_was_asked_about(
    question: str, history: list[str], standalone: str
) -> None:
    assert rewrite(question, history).standalone == standalone


def test_a_figure_follow_up_after_a_what_question_asking_no_figure_is_read_as_before() -> None:
    """A fifth review (twenty-fourth session): a "what" question that asks no figure names the
    thing measured as its object; its acting subject does not take the figure ("What is the
    retention period for a DASP?" was refused where the six-year rule answers records)."""
    records = rewrite("and the retention period?", ["What records must a DASP keep?"]).standalone
    assert records != "What is the retention period for a DASP?", records
    mlro = rewrite("and the time limit?", ["What must the MLRO do with internal reports?"])
    assert mlro.standalone != "What is the time limit for the MLRO?", mlro.standalone


def test_a_regime_the_first_part_named_stays_named_in_the_part_read_with_it() -> None:
    """A trial on the ADGM guidance (twenty-sixth session): a later part read with the first lost
    the regime the first named ("FSRA") and was searched in every regime's texts. (Splitting off
    a bare follow-up, "... ? And the annual supervision fee?", was tried and withdrawn after a
    review: such messages stay whole.)"""
    import assistant.answer.followup as fu
    from assistant.answer.followup import Rewrite, asked_parts, split_questions

    def lossy(question: str, history: list[str]) -> Rewrite:  # a rewrite that drops "FSRA"
        return Rewrite(question, "How is the application fee paid?", True, "subject")

    msg = "What is the FSRA application fee for an MTF? How is it paid?"
    real = fu.rewrite
    fu.rewrite = lossy  # type: ignore[assignment]
    try:
        assert asked_parts(msg)[1] == "How is the application fee paid (FSRA)?"
    finally:
        fu.rewrite = real  # type: ignore[assignment]
    assert asked_parts("Must an AIFC firm appoint an MLRO? And can the MLRO live abroad?")[1] == (
        "Can the MLRO live abroad?"  # a whole question is asked as written
    )
    # a part joined by ", and" that names no regime is asked in the one the first part names (a
    # Kazakh lawyer's trial, thirty-eighth session); not one that names its own
    assert asked_parts("What is the minimum capital in ADGM, and how long is a licence valid?") == [
        "What is the minimum capital in ADGM?", "How long is a licence valid (ADGM)?"]  # fmt: skip
    assert asked_parts("What is the minimum capital in ADGM, and what does the AIFC require?")[
        1
    ] == ("What does the AIFC require?")
    for whole in ("What is the application fee for an MTF? And the annual supervision fee?",
                  "Can an MTF operator hold client money? And a broker?",
                  "What is the CDD threshold? For digital assets?"):  # fmt: skip
        assert split_questions(whole) == [whole]


def test_a_later_part_asking_a_figure_by_its_name_alone_is_of_the_same_thing() -> None:
    """Three trials (thirty-first session: an OTC broker, a private-markets founder, a spot
    commodities platform): "What is the application fee for a PFP, and what is the annual
    supervision fee?" asked its second part of nothing, and got a branch's supervision fee. A
    later part naming a figure of the same kind alone is asked of the first part's thing; one
    naming its own thing, or another kind of figure, is asked as written."""
    from assistant.answer.followup import asked_parts

    assert asked_parts(
        "What is the application fee for a PFP, and what is the annual supervision fee?"
    ) == [
        "What is the application fee for a PFP?",
        "What is the annual supervision fee for a PFP?",
    ]
    assert asked_parts("What is the application fee for an MTF? What is the annual fee?")[1] == (
        "What is the annual fee for an MTF?"
    )
    # the same noun names the figure ("limit"), a phrase after it ("per borrower") aside (a
    # private credit fund's general counsel, thirty-first session)
    msg = "What is the concentration limit per borrower for a private credit fund, and what is the borrowing limit?"
    assert asked_parts(msg)[1] == "What is the borrowing limit for a private credit fund?"
    # in the chat a later part of one message is read so (``of_the_same``); a later turn is a
    # question of its own (applied to every turn it glued the previous question's thing onto
    # unrelated ones: a second review)
    from assistant.answer.followup import of_the_same, rewrite

    rw = of_the_same("What is the annual fee?", "What is the application fee for operating a DATF?")
    assert (rw.standalone, rw.rewritten, rw.how) == (
        "What is the annual fee for operating a DATF?", True, "same thing")  # fmt: skip
    for prev, new in (("What is the deadline for notifying the AFSA of a sanctions breach?",
                       "What is the record retention period?"),
                      ("What is the limit on leverage for retail clients?", "What is the age limit?")):  # fmt: skip
        assert not rewrite(new, [prev]).rewritten, new
    msg = "What is the deadline for notifying the AFSA of a sanctions breach, and what is the record retention period?"
    assert asked_parts(msg)[1] == "What is the record retention period?"
    # (a review) a part naming its own thing in capitals or a number, or a first part whose phrase
    # after its figure is another figure, is asked as written
    for msg in ("What is the application fee for a PFP? What is the MTF application fee?",
                "What is the application fee for a PFP? What is the Category 4 fee?",
                "What is the amount of the application fee for a PFP? What is the annual fee?"):  # fmt: skip
        assert asked_parts(msg)[1] == msg.split("? ")[1], msg
    for msg, second in (
        ("What is the minimum capital for a custodian, and what is the fee for a broker?", "What is the fee for a broker?"),
        ("What is the fee for a DASP licence, and what is the AML Return deadline?", "What is the AML Return deadline?"),
        ("What is the capital of a custodian? What is the exchange's fee?", "What is the exchange's fee?"),
        ("Do we need a licence? What is the fee?", "What is the fee?"),
    ):  # fmt: skip
        assert asked_parts(msg)[1] == second, msg


def test_a_later_part_doing_what_the_part_before_asks_spells_it_out() -> None:
    """A custodian's trial on the real ADGM texts (thirty-second session): "Can we outsource our
    virtual asset custody to a third-party custodian, and what does the FSRA require if we do?"
    searched its second part as "... if we do" and answered it with a passage saying firms are
    not bound. "if we do" / "if so" is the yes/no question's predicate; another subject's "if
    they do", or a part before that is no such question, is left as it is."""
    from assistant.answer.followup import asked_parts

    assert asked_parts("Can we outsource our virtual asset custody to a third-party custodian, "
                       "and what does the FSRA require if we do?") == [
        "Can we outsource our virtual asset custody to a third-party custodian?",
        "What does the FSRA require if we outsource our virtual asset custody to a third-party "
        "custodian?"]  # fmt: skip
    assert asked_parts("Can we stake client crypto? And what must we tell clients if so?")[1] == (
        "What must we tell clients if we stake client crypto?")  # fmt: skip
    assert asked_parts("Can we hold capital in bitcoin? What must we file if they do?")[1] == (
        "What must we file if they do?")  # fmt: skip


def test_a_followup_condition_figure_or_firm_takes_the_place_of_the_one_before() -> None:
    """A tokenisation founder's browser trial on the digest (thirty-second session): "and if we
    only arrange deals?" after "What capital must we hold if we deal in the tokens as principal?"
    was read with both conditions, "What about a custodian?" as "... if we deal in a custodian as
    principal?" (the dealer's USD 250,000 led both), and "and below USD 1,000?" was appended to
    a question asked with USD 5,000 (the transfer-data rule led)."""
    prev = ["What capital must we hold if we deal in the tokens as principal?"]
    assert rewrite("and if we only arrange deals?", prev).standalone == (
        "What capital must we hold if we only arrange deals?")  # fmt: skip
    # a condition that adds to the one before keeps it
    assert rewrite("and if we also provide custody?", prev).standalone == (
        "What capital must we hold if we deal in the tokens as principal if we also provide "
        "custody?")  # fmt: skip
    assert (
        rewrite("What about a custodian?", prev).standalone == "What capital must a custodian hold?"
    )
    assert rewrite("what about a custodian?", ["Do we need an MLRO?"]).standalone == (
        "Does a custodian need an MLRO?")  # fmt: skip
    # a question of a named firm type is read as before
    assert rewrite("and for a custodian?", ["What is the minimum capital for a DASP dealing as "
                                            "principal?"]).standalone == (
        "What is the minimum capital for a custodian?")  # fmt: skip
    # (a review) a condition that leans on the one before, or of another subject, is added to it;
    # "when" may be a question word; two "we"s are not put in a firm's name
    for prev_q, follow in (
        ("Can we rely on a third party for CDD if the third party is regulated?", "and if not?"),
        ("What records must we keep if we hold client money?", "and if we don't?"),
        ("What must we disclose to clients if we provide advice?", "and if the client is a "
                                                                   "professional client?"),
        ("What must we report, and when?", "and if we are a DASP?"),
        ("Can the firm deal if the client is a retail client?", "and if the client isn't?"),
        ("What capital must we hold if we deal as principal?", "and if we fail to hold it?"),
        ("What must we report if we find a breach, and when?", "and if we find fraud?"),
        ("What must we do within 30 days of a breach?", "and more than that?"),
        ("What must accompany transfers of USD 1,000 or more?", "and below that?"),
    ):  # fmt: skip
        said = rewrite(follow, [prev_q]).standalone
        assert said.startswith(prev_q.rstrip("?")), (follow, said)
    assert "custodian" not in rewrite("What about a custodian?", [
        "Must we notify the AFSA before we appoint a new director?"]).standalone.split(",")[0]  # fmt: skip
    assert rewrite("and from 2024?", ["What is the fee for a firm with more than 100 clients?"]
                   ).standalone.count("100 clients") == 1  # fmt: skip
    assert rewrite("and if the client is a professional client?", [
        "Can the firm deal if the client is a retail client?"]).standalone == (
        "Can the firm deal if the client is a professional client?")  # fmt: skip
    # (a review) a figure's bound stays unless another is asked, its negation with it
    assert rewrite("and 10%?", ["Do we need approval for a stake of not less than 5%?"]
                   ).standalone == "Do we need approval for a stake of not less than 10%?"  # fmt: skip
    assert rewrite("and 25%?", ["Can we hold more than 10% of the fund?"]).standalone == (
        "Can we hold more than 25% of the fund?")  # fmt: skip
    assert rewrite("what about a custodian?", ["What do we owe our clients?"]).standalone == (
        "What does a custodian owe its clients?")  # fmt: skip
    # in the chat too (a browser trial, thirty-second session: "if so, how often?" was searched
    # as written)
    assert rewrite("if so, how often?", ["Do we have to notify the AFSA of the outsourcing?"]
                   ).standalone == "If we have to notify the AFSA of the outsourcing, how often?"  # fmt: skip
    assert rewrite("and above that?", [
        "What information must accompany a digital asset transfer of below USD 1,000?"]
    ).standalone == "What information must accompany a digital asset transfer of above USD 1,000?"  # fmt: skip
    assert rewrite("and the deadline?", ["How often must we file the AML Return?"]).standalone == (
        "What is the deadline for the AML Return?")  # fmt: skip
    assert rewrite("and the application fee?", [
        "what's the annual supervision fee for dealing as principal?"]).standalone == (
        "What is the application fee for dealing as principal?")  # fmt: skip
    # (a third review) a whole question of its own keeps its "if we do"; a sum's thousands
    # separator or a relative clause is no second part of the condition before
    full = "Can we outsource custody and what must the contract say if we do?"
    assert rewrite(full, ["Can we hold client money?"]).standalone == full
    assert rewrite("and if we receive hospitality?", [
        "What must we report if we receive a gift of USD 1,000?"]).standalone == (
        "What must we report if we receive hospitality?")  # fmt: skip
    assert rewrite("and if we deal in securities that are listed?", [
        "What capital must we hold if we deal in investments?"]).standalone == (
        "What capital must we hold if we deal in securities that are listed?")  # fmt: skip
    asked = ["What AML checks do we need when an investor buys tokens worth USD 5,000 once?"]
    assert rewrite("and below USD 1,000?", asked).standalone == (
        "What AML checks do we need when an investor buys tokens worth below USD 1,000 once?")  # fmt: skip


def test_a_pronoun_keeps_what_its_firm_does_or_means_to_do() -> None:
    """A consultant's browser trial (thirty-third session): "What licence does a firm need to
    provide custody of crypto assets for clients in the AIFC?" then "What capital must it
    hold?" was read "What capital must a firm hold?", and the money-services USD 200,000 led;
    "a firm providing custody of crypto assets" was cut to "a firm providing"."""
    before = (
        "What licence does a firm need to provide custody of crypto assets for clients in the AIFC?"
    )
    assert rewrite("What capital must it hold?", [before]).standalone == (
        "What capital must a firm that will provide custody of crypto assets for clients in the "
        "AIFC hold?"
    )
    providing = "Does a firm providing custody of crypto assets need a licence?"
    assert rewrite("What capital must it hold?", [providing]).standalone == (
        "What capital must a firm providing custody of crypto assets hold?"
    )
    assert subject_span(providing) == (5, 46)
    # (a review) a verb's prepositional phrase is no part of the subject, and a purpose that is
    # the question's own act, or runs into another clause, is not added
    assert rewrite("What records must it keep?", ["Must a firm holding client money comply with "
                   "COBS?"]).standalone == "What records must a firm holding client money keep?"  # fmt: skip
    assert rewrite("When must it submit them?", ["What documents does an applicant need to "
                   "submit?"]).standalone == "When must an applicant submit them?"  # fmt: skip
    assert rewrite("What capital must it hold?", ["Does a firm need a licence to provide custody, "
                   "and what are the fees?"]).standalone == "What capital must a firm hold?"  # fmt: skip
    assert rewrite("when must it submit the documents?", ["What documents does an applicant need "
                   "to submit to the regulator?"]).standalone == ("When must an applicant submit "
                                                                  "the documents?")  # fmt: skip
    assert rewrite("Can it hold client money?", ["What licence does a firm need to hold client "
                   "money for clients?"]).standalone == "Can a firm hold client money?"  # fmt: skip
    assert rewrite("Must it arrange insurance?", ["What licence does a firm need to arrange deals "
                   "in investments?"]).standalone == ("Must a firm that will arrange deals in "
                                                      "investments arrange insurance?")  # fmt: skip
    # (a subject with no purpose after it stays as it was)
    assert rewrite("What capital must it hold?", ["What licence does a crypto custodian need?"]
                   ).standalone == "What capital must a crypto custodian hold?"  # fmt: skip


def test_another_rules_number_after_a_rules_question_is_that_question_of_it() -> None:
    """A listed company's counsel's trial on ADGM's MKT (thirty-third session): "What does MKT
    7.8.2 say? And 7.8.3?" was asked as one question and 7.8.3 went unanswered; read alone,
    "And 7.8.3?" was asked of "MAR 7.8.3", the AIFC's name for ADGM's MKT."""
    from assistant.answer.followup import asked_parts, split_questions

    assert asked_parts("What does MKT 7.8.2 say? And 7.8.3?") == [
        "What does MKT 7.8.2 say?", "What does MKT 7.8.3 say?"]  # fmt: skip
    assert (
        rewrite("And 7.8.3?", ["What does MKT 7.8.2 say?"]).standalone == "What does MKT 7.8.3 say?"
    )
    assert (
        asked_parts("What does AML 13.1.2 say? And rule 13.1.3?")[1] == "What does AML 13.1.3 say?"
    )
    # (a number without its conjunction, or after a question naming no rule, keeps the message whole)
    for whole in ("What does AML 13.1.2 say? 13.1.3?", "What capital must a DASP hold? And 2.5?"):
        assert split_questions(whole) == [whole]


def test_a_bare_noun_phrase_before_its_predicate_is_what_a_pronoun_stands_for() -> None:
    """An exchange founder's browser trial (thirty-third session): "Is wash trading forbidden on
    our exchange?" then "and what must we do if we see it?" was read "... if we see our
    exchange?" (a bare noun phrase, no article, was no subject), and answered from Kazakh
    national law."""
    before = "Is wash trading forbidden on our exchange?"
    assert rewrite("and what must we do if we see it?", [before]).standalone == (
        "And what must we do if we see wash trading?"
    )
    assert rewrite("who approves it?", ["Is staking allowed for retail clients?"]).standalone == (
        "Who approves staking?"
    )
    # (a third review) a pronoun is no such phrase: "Is it possible to outsource the compliance
    # function?" then "who must approve it?" reads the function
    assert rewrite("who must approve it?", ["Is it possible to outsource the compliance "
                   "function?"]).standalone == "Who must approve the compliance function?"  # fmt: skip
    assert rewrite("who can approve it?", ["Are they allowed to deal in investments as "
                   "principal?"]).standalone == "Who can approve it?"  # fmt: skip
    # (a question with an article keeps its subject as before; "Is there ...?" has none)
    assert rewrite("must it be audited?", ["Is the annual report due in April?"]).standalone == (
        "Must the annual report be audited?"
    )


def test_a_verb_before_an_acronym_object_ends_the_subject_and_the_objects_head_takes_its_place() -> (
    None
):
    """A known issue of earlier sessions, mended in the thirty-ninth: "How long
    must a firm keep CDD records?" read "a firm keep CDD" as its subject, so "and for a QIF?"
    became "How long must a QIF records?" and "and transaction records?" became "How long must
    transaction records records?"."""
    before = "How long must a firm keep CDD records?"
    assert subject_span(before) is not None
    a, b = subject_span(before)  # type: ignore[misc]
    assert before[a:b] == "a firm"
    assert rewrite("and for a QIF?", [before]).standalone == "How long must a QIF keep CDD records?"
    # a noun phrase with the object's head, not the subject's, takes the object's place
    assert rewrite("and transaction records?", [before]).standalone == (
        "How long must a firm keep transaction records?"
    )
    assert rewrite(
        "and AFSA approval?", ["Does a digital asset exchange need FSRA approval?"]
    ).standalone == ("Does a digital asset exchange need AFSA approval?")
    # a name inside the subject, with its verb after it, stays in the subject
    q = "Must a crypto firm MLRO be resident in the AIFC?"
    a, b = subject_span(q)  # type: ignore[misc]
    assert q[a:b] == "a crypto firm MLRO"
    assert (
        rewrite("and a broker?", [before]).standalone == "How long must a broker keep CDD records?"
    )


def test_a_definite_noun_of_one_word_keeps_the_modifiers_the_previous_question_gave_it() -> None:
    """A known issue of earlier sessions, mended in the thirty-ninth: "and how long is the
    licence valid?" after a question about a FinTech Lab licence asked of any licence."""
    assert rewrite("and how long is the licence valid?", ["Who can apply for a FinTech Lab "
                   "licence?"]).standalone == "How long is the FinTech Lab licence valid?"  # fmt: skip
    assert rewrite("and must the exchange publish its rules?", ["Must a crypto exchange appoint "
                   "an MLRO?"]).standalone == "Must the crypto exchange publish its rules?"  # fmt: skip
    # the subject and its verb are no modifiers of the object
    assert rewrite("and who must keep the records?", ["How long must a firm keep CDD "
                   "records?"]).standalone == "Who must keep the CDD records?"  # fmt: skip
    # a noun the previous question named without modifiers stays as it is
    assert rewrite(
        "and how long is the licence valid?", ["Does a DASP need a licence?"]
    ).standalone == ("How long is the licence valid?")


def test_a_reviews_compound_subjects_and_nouns_without_modifiers_read_as_before() -> None:
    """A review of the thirty-ninth session's follow-up changes: a noun before an acronym in a
    compound subject was read as the verb, and verbs and subjects were given to a definite noun
    as its modifiers."""
    for q, subject in (("Must a small firm MLRO hold a licence?", "a small firm MLRO"),
                       ("Can a digital asset MLRO delegate the role?", "a digital asset MLRO"),
                       ("Must a small firm MLRO comply?", "a small firm MLRO")):  # fmt: skip
        a, b = subject_span(q)  # type: ignore[misc]
        assert q[a:b] == subject, q
    assert rewrite("and a large firm?", ["Must a small firm MLRO hold a licence?"]).standalone == (
        "Must a large firm hold a licence?"
    )
    for before, after, standalone in (
        ("Which firms hold client money?", "and where is the money kept?", "Where is the money kept?"),
        ("Who keeps transaction records?", "and how long are the records kept?",
         "How long are the records kept?"),
        ("How do firms verify customer identity?", "and when must the identity be checked?",
         "When must the identity be checked?"),
        ("What capital must a firm holding client money keep?", "and where is the money held?",
         "Where is the client money held?"),
    ):  # fmt: skip
        assert rewrite(after, [before]).standalone == standalone, before


def test_one_after_a_preposition_is_one_of_what_the_part_before_named() -> None:
    """A data engineer's trial (thirty-ninth session): "What is a "Retail Client", and who may
    be classified as one?" asked its second part of "one category of Client"."""
    assert asked_parts('What is a "Retail Client", and who may be classified as one?')[1] == (
        'Who may be classified as a "Retail Client"?'
    )
    assert rewrite(
        "and how does a firm become one?", ["What is a Professional Client?"]
    ).standalone == ("How does a firm become a Professional Client?")
    # "one" as a number stays
    assert rewrite("can a firm appoint more than one?", ["What is an MLRO?"]).standalone == (
        "can a firm appoint more than one?"
    )


def test_a_second_reviews_follow_ups_read_as_before() -> None:
    """A second review of the thirty-ninth session's follow-up changes."""
    # an adverb ends a clause with no verb in it
    assert rewrite("and for a QIF?", ["Must a firm notify AFSA promptly?"]).standalone == (
        "Must a QIF notify AFSA promptly?"
    )
    # an adjective in "-ed" is a modifier ("a listed company"), and no modifier leaves no gap
    assert rewrite("and when must the company publish it?", ["Must a listed company disclose "
                   "inside information?"]).standalone == "When must the listed company publish it?"  # fmt: skip
    # "one" alone may be the number; "one" of a plural or a possessive's phrase is not read
    assert rewrite(
        "Can linked transactions be treated as one?", ["What is a Retail Client?"]
    ).standalone == ("Can linked transactions be treated as one?")
    assert rewrite("and how do we register as one?", ["What are the requirements for a "
                   "Representative Office?"]).standalone == "How do we register as one?"  # fmt: skip


def test_a_pronoun_of_the_other_number_than_the_subject_is_the_verbs_object() -> None:
    """A founder's browser trial (thirty-ninth session): "Must a stablecoin issuer hold
    reserves?" then "where must they be held?" read "Where must a stablecoin issuer be held?"."""
    assert rewrite(
        "where must they be held?", ["Must a stablecoin issuer hold reserves?"]
    ).standalone == ("Where must reserves be held?")
    assert rewrite("must it be approved?", ["Must firms keep a risk register?"]).standalone == (
        "Must a risk register be approved?"
    )
    # the subject's number is its head's, not its last word's
    assert rewrite("What capital must it hold?", ["What licence does a firm providing custody of "
                   "crypto assets need?"]).standalone == (
        "What capital must a firm providing custody of crypto assets hold?"
    )  # fmt: skip
    # a pronoun of the subject's number stays the subject's
    assert rewrite(
        "must it publish them?", ["Must a stablecoin issuer hold reserves?"]
    ).standalone == ("Must a stablecoin issuer publish them?")


def test_another_regime_takes_the_place_of_the_one_the_question_was_placed_in() -> None:
    """A founder's trial of both regimes in one index (fortieth session): "Under AIFC rules,
    what information must accompany a transfer?" then "what about in ADGM?" read "Under AIFC
    rules, ... transfer in ADGM?"; a regime is no subject and takes no thing's place."""
    prev = "Under AIFC rules, what information must accompany a digital asset transfer?"
    assert rewrite("what about in ADGM?", [prev]).standalone == (
        "Under ADGM rules, what information must accompany a digital asset transfer?"
    )
    # only the regime's name: the rest of the question is kept (a review: the phrase replaced
    # whole lost "hold client money in a separate account")
    assert rewrite(
        "and in ADGM?", ["Must a DASP in the AIFC hold client money in a separate account?"]
    ).standalone == ("Must a DASP in the ADGM hold client money in a separate account?")
    assert rewrite(
        "what about in ADGM?", ["What is the CDD threshold under AIFC rules?"]
    ).standalone == ("What is the CDD threshold under ADGM rules?")
    assert rewrite("what about in ADGM?", ["What must be included in a transfer?"]).standalone == (
        "What must be included in a transfer in ADGM?"
    )
    assert rewrite("and in ADGM?", ["Must the MLRO be resident in Kazakhstan?"]).standalone == (
        "Must the MLRO be resident in Kazakhstan in ADGM?"
    )
    assert rewrite("and in ADGM?", ["How long can we stay in the FinTech Lab?"]).standalone == (
        "How long can we stay in the FinTech Lab in ADGM?"
    )
