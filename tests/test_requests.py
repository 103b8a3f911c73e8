"""The request frame of a question ("State the ...", "Could you clarify ..."), left out of the
keyword query (``assistant.language.requests``)."""

import pytest

from assistant.language.requests import unframed


@pytest.mark.parametrize(
    ("asked", "searched"),
    [
        ("State the minimum capital requirement applicable to a Category 3A Authorised Person.",
         "the minimum capital requirement applicable to a Category 3A Authorised Person."),
        ("Confirm whether the applicant will hold Client Money.",
         "whether the applicant will hold Client Money."),
        ("Describe the arrangements for safeguarding client assets.",
         "the arrangements for safeguarding client assets."),
        ("Specify the minimum capital requirement for a Category 3A Authorised Person.",
         "the minimum capital requirement for a Category 3A Authorised Person."),
        ("Provide details of the MLRO's residence.", "the MLRO's residence."),
        ("Please state how often reconciliations are done.", "how often reconciliations are done."),
    ],
)  # fmt: skip
def test_a_request_frame_is_left_out(asked: str, searched: str) -> None:
    assert unframed(asked) == searched


@pytest.mark.parametrize(
    "asked",
    [
        # a polite question keeps its words (tried on tune and withdrawn, thirty-eighth session)
        "Could you please clarify the conditions under which a firm may outsource?",
        "Can you provide specific examples of what constitutes a material change?",
        "Can we provide custody services?",  # the subject's own verb
        "Can a firm provide advice to Retail Clients?",
        "Could the Regulator specify a higher amount?",
        "List companies that need a licence",  # a bare imperative before no noun phrase
        "What must be stated in the prospectus?",
        "Explain",  # nothing would be left
        "Provide the",
    ],
)
def test_a_question_without_a_request_frame_is_kept_whole(asked: str) -> None:
    assert unframed(asked) == asked


def test_a_request_is_searched_and_answered_as_what_it_asks(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A questionnaire trial (thirty-eighth session): "Specify the minimum capital requirement
    for a Category 3A Authorised Person." was refused where "What is ...?" was answered, the
    verb's words among the question's."""
    from assistant.answer.assistant import Assistant
    from assistant.index.core import Index
    from assistant.index.ingest import ingest_paths
    from assistant.settings import Settings

    rules = tmp_path / "aml.md"
    rules.write_text("# AML 6.1.1 CDD\n\nCDD must be undertaken for an occasional transaction of "
                     "USD 1,000 or more.\n")  # fmt: skip
    settings = Settings(data_dir=tmp_path / "data", embedding_model="fake:hashing")
    ingest_paths(Index.open(settings, create=True), [rules])
    a = Assistant(Index.open(settings))
    asked: list[str] = []
    search = a.retriever.search
    monkeypatch.setattr(a.retriever, "search", lambda q, **kw: asked.append(q) or search(q, **kw))
    answer = a.ask("Specify the CDD threshold for an occasional transaction.")
    assert asked[0] == "the CDD threshold for an occasional transaction."
    assert answer.question == "Specify the CDD threshold for an occasional transaction."
