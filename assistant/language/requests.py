"""A questionnaire's request frame: the words that ask to be told something, not what is asked.

Application forms write requests, not questions: "State the Base Capital Requirement applicable
to a Category 3C firm.", "Confirm whether the applicant will hold Client Money.", "Specify the
minimum capital ...". The frame's verbs ("state", "specify", "provide", "confirm") and nouns
("guidance", "details") are words of the rules too ("as specified in", "provide a service",
"Guidance"), so read as search terms they drew passages that use them and not the thing asked
(a questionnaire trial, thirty-eighth session: "Specify the minimum capital requirement for a
Category 3A Authorised Person." was refused where "What is ...?" was answered).

``unframed`` leaves the frame out of the keyword query. The frame is English's grammar of
requests: an imperative verb of telling that opens the sentence (after "please" or "kindly"),
then optionally a request noun and its preposition. A polite question ("Could you clarify ...",
"Can you provide examples of ...") keeps its words: leaving them out too was tried on the ADGM
`tune` split, 291 such questions, and lost retrieval (Recall@10 0.8501 -> 0.8484).
"""

from __future__ import annotations

import re

# verbs of telling, as a request opens with them ("Describe ...", "could you outline ...")
_TELL = (
    r"clarify|explain|elaborate(?:\s+(?:on|upon))?|describe|outline|detail|specify|state|provide|"
    r"list|confirm|indicate|identify|set\s+out|summari[sz]e|tell\s+(?:me|us)|give|share|"
    r"advise(?:\s+(?:on|whether|if))?|expand\s+on|walk\s+(?:me|us)\s+through|shed\s+light\s+on|"
    r"discuss|define"
)
# what a request asks to be given ("guidance on", "specific examples of", "more details about")
_GIVEN = (
    r"(?:(?:some|any|more|further|specific|detailed|additional|clear|practical|an?|the|your)\s+)*"
    r"(?:guidance|examples?|details?|information|clarification|insights?|overview|"
    r"explanation|description|summary|breakdown|list)\s+"
    r"(?:on|about|of|regarding|for|as\s+to|into|concerning|in\s+relation\s+to|with\s+respect\s+to)\s+"
)
_FRAME = re.compile(
    rf"^\s*(?:(?:please|kindly)\s+)?"
    rf"(?P<verb>{_TELL})\b\s*(?P<given>{_GIVEN})?",
    re.I,
)
# after a bare imperative, what follows must open a noun phrase or a clause ("State the ...",
# "Confirm whether ...", "Explain how ..."), not a verb's own object as a subject would ("List
# companies ..." stays: a capitalised imperative alone is no proof of a request)
_OPENS = re.compile(
    r"(?:the|a|an|any|all|each|every|whether|if|how|what|which|who|when|where|why|your|its|"
    r"their|in\s+what|to\s+what|under\s+what)\b",
    re.I,
)


def unframed(question: str) -> str:
    """``question`` without its request frame ("State the minimum capital ..." -> "the minimum
    capital ...", "Please confirm whether ..." -> "whether ..."); unchanged without one (a
    polite question's "Could you clarify ..." too), or where nothing would be left."""
    m = _FRAME.match(question)
    if m is None:
        return question
    asked = m.group(0).lower().lstrip()
    polite = asked.startswith(("please", "kindly"))
    rest = question[m.end() :]
    given = m.group("given") is not None  # a request noun read ("guidance on")
    if not polite and not given and not _OPENS.match(rest):
        return question  # a bare imperative before no noun phrase or clause
    return rest if len(rest.split()) >= 2 else question
