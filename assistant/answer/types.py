"""Answer data types, serialised the same way by the CLI, the app, the audit log and the evals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer, with a quote that is verbatim in its chunk."""

    n: int
    ref: str | None
    title: str
    version: str | None
    page: int | None
    page_label: str | None
    quote: str
    chunk_id: str
    score: float
    doc_id: str
    jurisdiction: str = "AIFC"
    is_guidance: bool = False
    repealed: bool = False
    full_text: str = ""
    table_header: str | None = None  # the chunk's ``table_header``: its rows' header, above it
    kind: str = "rules"  # the document's kind: rules, guidance, policy, other
    # not from a rulebook: the firm's own policy, or a document of kind "other" in which no
    # rulebook was found, quoted where it has no rule number (an internal memo, board minutes);
    # marked so, as national law is marked [RK] (a custodian's trial: "Yes: Our MLRO may reside
    # in Dubai." came from the CEO's memo, unmarked)
    outside_rules: bool = False
    # what names a passage without a rule number: its record id or its heading ("STB-cooperation
    # rules 3.1.1 Retail limit for resident clients (AIFC rules)"); the chat's cards said
    # "Unnumbered passage" for it while the answer's quote line named it (a browser trial)
    heading: str | None = None
    # the paragraph the quote lies in, where the text numbers its paragraphs with the rule's
    # number ("CMC 2.2(6)" of "2.2.(6) General factors. ..."): what the answer's lines, its
    # sources and a table name; ``ref`` stays the passage's rule (``refs.quoted_paragraph``)
    pinpoint: str | None = None


@dataclass(frozen=True)
class Removal:
    """Something verification took out of an LLM answer, and why."""

    kind: str  # citation | sentence | figure | injection
    text: str
    reason: str


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    retrieved: list[dict[str, Any]]
    mode: str  # extractive | llm
    model: str | None
    index_id: str
    elapsed_ms: float = 0.0
    removed: list[Removal] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.0
    prompt_version: str | None = None
    as_of: str | None = None
    # a chat's follow-up: what the user typed, and what read it as ``question`` ("llm", "pronoun"
    # ...), kept in the audit log (an LLM rewrite was recorded only as the question it made up)
    asked_as: str | None = None
    rewritten_by: str | None = None

    def to_dict(self, *, full_text: bool = False) -> dict[str, Any]:
        d = asdict(self)
        from assistant.language.spelling import unread

        # why an answer abstained, for a script to test without reading its text: "not_read"
        # (its words are not English; nothing was searched) or "not_specified" (a data
        # engineer's trial, thirty-ninth session: both were "abstained": true, told apart only
        # by their text)
        d["abstention"] = (
            None if not self.abstained else "not_read" if unread(self.notes) else "not_specified"
        )
        if not full_text:
            for c in d["citations"]:
                c.pop("full_text", None)
        return d
