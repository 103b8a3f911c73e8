"""A term asked the meaning of is answered from the line that defines it (a lawyer's trial on
ADGM's FSMR and GLO, thirty-fifth session)."""

from __future__ import annotations

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.index.keywords import Tokenizer
from assistant.search.retrieval import Hit
from ingest.model import Chunk

TOK = Tokenizer()

GLOSSARY = (
    "Client | Means a Retail Client or Professional Client as defined in COBS 2.\n"
    "Control | has the meaning given to that term in the Rules made by the Regulator.\n"
    "Controller | has the meaning given to that term in the Rules made by the Regulator.\n"
    "Exempt Offeror | means a recognised government or other person included in a list.\n"
    "Exempt Person | means a person set out in Schedule 3."
)
MENTION = (
    'Part 13.151.(5) The parties referred to in the definitions of "Clearing Member Client '
    'Contract" and "Client Trade" are a Clearing Member and a Client.'
)


def _answer(question: str, *chunks: tuple[str, str], min_confidence: float = 0.99):  # type: ignore[no-untyped-def]
    hits = [Hit(i + 1, 1.0 / (i + 1), Chunk(f"c{i}", "d", i, text, ref=ref), {"doc_id": "d"},
                ("bm25", "dense"), 0.5, 1.0) for i, (ref, text) in enumerate(chunks)]  # fmt: skip
    answerer = ExtractiveAnswerer(TOK, model=None, min_confidence=min_confidence)
    return answerer.answer(question, hits, None, None, [])


def test_a_glossary_line_defining_the_term_asked_answers_it() -> None:
    """ "What is the definition of Client?" was refused (weak evidence), a provision naming "the
    definitions of ... Client Trade" leading: "definition" is no word of the term asked, and the
    glossary's own line for it answers whatever the model makes of the evidence."""
    ex = _answer(
        "What is the definition of Client?", ("FSMR s.151", MENTION), ("GLO 1.2.1", GLOSSARY)
    )
    assert not ex.abstained, ex.text
    assert ex.text.startswith("Client | Means a Retail Client"), ex.text
    # a term no line defines is still refused on weak evidence
    ex = _answer(
        "What is the definition of Custodian?", ("FSMR s.151", MENTION), ("GLO 1.2.1", GLOSSARY)
    )
    assert ex.abstained, ex.text
    # (a review) nor a line that names the term without defining it, or a figure's row
    # (a second review) a term typed in lower case is the same term
    ex = _answer(
        "What is the definition of client?", ("FSMR s.151", MENTION), ("GLO 1.2.1", GLOSSARY)
    )
    assert not ex.abstained, ex.text
    for q, text in (("What is the definition of Client?", "Client: onboarding checklist, step 4."),
                    ("What is the definition of Client?",
                     "Client: onboarding checklist, which includes ID and proof of address."),
                    ("What does Customer Due Diligence mean?", "Customer Due Diligence (CDD): a "
                     "Relevant Person must undertake CDD, which includes identifying the customer."),
                    ("What is Settlement?", "Settlement: T+2 for listed equities (desk procedure)."),
                    ("What is the penalty?", "Penalty | USD 10,000 | payable for late filing")):  # fmt: skip
        ex = _answer(q, ("X 1", text))
        assert ex.abstained, (q, ex.text)


def test_the_row_defining_the_term_as_written_leads() -> None:
    """ "Define Controller" led with "Control | has the meaning ..." (one stem), and "What does
    Exempt Person mean?" with the row above it, "Exempt Offeror | means ... other person ..."."""
    ex = _answer("Define Controller", ("GLO 1.2.1", GLOSSARY), min_confidence=0.0)
    assert ex.text.startswith("Controller | has the meaning"), ex.text
    ex = _answer("What does Exempt Person mean?", ("GLO 1.2.1", GLOSSARY), min_confidence=0.0)
    assert ex.text.startswith("Exempt Person | means a person set out in Schedule 3."), ex.text


def test_a_term_defined_with_its_short_form_in_brackets_is_found() -> None:
    """A browser trial on ADGM's AML (thirty-fifth session): "What does Politically Exposed
    Person mean?" led with the PEP guidance; the glossary's "Politically Exposed Person (PEP) |
    Means a Natural Person ..." was no defining line, its short form between the term and
    "Means"."""
    from assistant.language.text import defining_line

    line = (
        "Politically Exposed Person (PEP) | Means a Natural Person who is entrusted with a function"
    )
    assert defining_line(f"x.\n{line}", "Politically Exposed Person") == line
    assert defining_line("Client (see below) is a person", "Client") is None


def test_a_general_definition_leads_one_for_a_part_only() -> None:
    """A lawyer's trial and a review (thirty-fifth session): "What is the definition of Client?"
    led with FSMR s.258's "Client | means for the purposes of Part 13, a client—", the glossary's
    general "Client | Means a Retail Client or Professional Client ..." after it. A definition
    for one Part, Chapter or section only is no definition of the term asked, unless the
    question names such a part."""
    scoped = ("FSMR s.258", "Client | means for the purposes of Part 13, a client which offers "
              "Indirect Clearing Services.")  # fmt: skip
    general = (
        "GLO 1.2.1",
        "Client | Means a Retail Client or Professional Client as defined in COBS 2.",
    )
    ex = _answer("What is the definition of Client?", scoped, general, min_confidence=0.0)
    assert ex.text.startswith("Client | Means a Retail Client"), ex.text
    ex = _answer("What is Client for the purposes of Part 13?", scoped, general, min_confidence=0.0)
    assert ex.text.startswith("Client | means for the purposes of Part 13"), ex.text
