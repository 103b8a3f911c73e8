"""Questions about the previous answer itself, not about the rules: "which rule says that?",
"is that AIFC or national law?". They are answered from the previous answer's own citations
(their references, documents and regimes, as the index records them), without a new search: a
search for "which rule says that?" has no subject and quoted an unrelated rule (DAA 2.5.2 after
every answer), and "is that AIFC or national law?" quoted national law's "National law, not an
AIFC rule." after an AIFC answer (a stablecoin founder's browser trial, twentieth session).

Recognised by structure: a question word or copula, a word for a source or a regime, and a
demonstrative or pronoun that refers back, with nothing else of substance ("which rule says
that the MLRO must be resident?" names its own subject and is searched)."""

from __future__ import annotations

import re
from typing import Any, Literal

Kind = Literal["source", "regime"]

_SOURCE_NOUN = (r"(?:rules?|provisions?|sections?|articles?|paragraphs?|regulations?|laws?|"
                r"sources?|documents?|references?|citations?|rulebooks?)")  # fmt: skip
_BACK = r"(?:that|this|it|these|those|so)"
_SOURCE = re.compile(
    rf"^(?:(?:which|what)\s+{_SOURCE_NOUN}\s+(?:says?|said|states?|requires?|covers?|supports?|"
    rf"sets?\s+out|is|are)(?:\s+{_BACK})?(?:\s+(?:from|in|under))?"
    rf"|where\s+(?:does|did|is|are)\s+{_BACK}\s+(?:say|says|said|written|stated|set\s+out|"
    rf"come\s+from|from)(?:\s+{_BACK})?"
    rf"|what(?:'s|\s+is)\s+the\s+(?:source|legal\s+basis|basis|{_SOURCE_NOUN})\s+(?:for|of)\s+{_BACK}"
    rf"|(?:cite|quote|give\s+me|show\s+me)\s+(?:the\s+)?{_SOURCE_NOUN}\s+for\s+{_BACK}"
    # "give me the source", "quote the rule": the answer's own source, with "the"; not "show me
    # the rulebooks", "give me the rules", "quote the law" (a thing to search, a review)
    r"|(?:cite|quote|give\s+me|show\s+me)\s+the\s+(?:sources?|citations?|references?|rule|"
    r"provision|legal\s+basis))$",
    re.IGNORECASE,
)
# (two regime words, "Kazakh national law", and a noun after the demonstrative, "that limit":
# "Is that limit AIFC rules or Kazakh national law?" was searched afresh and led with national
# law, a broker COO's browser trial, thirty-second session)
# (and another regime's names, and whether it is guidance or a binding rule: "is that guidance
# or a rule?" and "is that AIFC or ADGM?" were searched afresh and answered from unrelated
# digest text, a founder's browser trial of both regimes, fortieth session)
_REGIME_WORD = (r"(?:AIFC|AFSA|ADGM|FSRA|DIFC|DFSA|UAE|U\.A\.E\.?|Kazakh|Kazakhstan|RK|national|"
                r"local|federal|guidance|rules?)(?:\s+(?:national|local|federal))?")  # fmt: skip
_BACK_NP = rf"{_BACK}(?:\s+(?!or\b)[a-z]+)?"
_REGIME = re.compile(
    rf"^(?:(?:is|are|was|were)\s+{_BACK_NP}\s+(?:an?\s+)?{_REGIME_WORD}(?:\s+(?:law|laws|rules?))?"
    rf"(?:\s+or\s+(?:an?\s+)?{_REGIME_WORD}(?:\s+(?:law|laws|rules?))?)?"
    rf"|{_BACK_NP}\s+(?:is|are)\s+(?:an?\s+)?{_REGIME_WORD}(?:\s+(?:law|laws|rules?))?"
    rf"\s+or\s+(?:an?\s+)?{_REGIME_WORD}(?:\s+(?:law|laws|rules?))?)$",
    re.IGNORECASE,
)
_OPENING = re.compile(r"^\s*(?:(?:and|so|but|ok(?:ay)?|thanks|right)\b[\s,]*)*", re.IGNORECASE)


def about_previous(question: str) -> Kind | None:
    """ "source" for a question asking which rule the previous answer rests on, "regime" for one
    asking whether it is AIFC or national law, else None."""
    text = _OPENING.sub("", question).strip().rstrip("?.! ").strip()
    text = re.sub(r"\s+", " ", text)
    if _SOURCE.match(text):
        return "source"
    if _REGIME.match(text):
        return "regime"
    return None


def _name(c: dict[str, Any]) -> str:
    from assistant.answer.prompts import source_mark

    where = c.get("title") or c.get("doc_id") or "a document"
    # (marked as the answer's lines mark it: "AML 14.5.1", in both regimes with other words,
    # was named without [ADGM], a browser trial, fortieth session; its paragraph where known)
    mark = source_mark(c.get("jurisdiction"), bool(c.get("outside_rules")))
    # (guidance and repealed text said so: "AML 11-1.2 (...)" twice read as one rule twice)
    marks = "".join(f", {m}" for m, on in (("guidance", c.get("is_guidance")),
                                           ("repealed", c.get("repealed"))) if on)  # fmt: skip
    return mark + (
        f"{c.get('pinpoint') or c['ref']} ({where}{marks})"
        if c.get("ref")
        else f"{c['heading']} ({where}{marks})"
        if c.get("heading")
        else f"an unnumbered passage of {where}{marks}"
    )


def _regime(c: dict[str, Any]) -> str:
    """What a cited source is, as the index records it: its jurisdiction and kind."""
    where = c.get("jurisdiction") or "AIFC"
    if where == "RK":
        return "Republic of Kazakhstan national law, not an AIFC rule"
    if c.get("outside_rules"):
        return "not a rule: a document of the firm's own or one with no rulebook in it"
    if where != "AIFC":  # another regime's text indexed beside ours ("ADGM", a review)
        guidance = c.get("is_guidance") or c.get("kind") == "guidance"
        return f"indexed as {where} {'guidance' if guidance else 'rule'} text, not an AIFC rule"
    if c.get("kind") == "policy":
        return "the firm's own policy, not a rule"
    if c.get("kind") == "other":
        return "from a document indexed as kind 'other', not as a rulebook"
    guidance = c.get("is_guidance") or c.get("kind") == "guidance"
    return f"{'AIFC guidance' if guidance else 'an AIFC rule'}{', repealed' if c.get('repealed') else ''}"


def answer_about(kind: Kind, previous: dict[str, Any], question: str) -> dict[str, Any]:
    """The answer to a question about ``previous`` (an ``Answer.to_dict()``): its citations,
    each with its reference and document ("source") and its regime ("regime"), as the index
    records them; the same citations, so their quotes are shown again. Nothing is searched."""
    cites = list(previous.get("citations") or [])
    asked = previous.get("question") or "the previous question"
    if not cites:
        text = f'The previous answer ("{asked}") cites no provision, so there is no rule to name.'
    elif kind == "source":
        lead = ("The previous answer found nothing that answers it; the closest provisions it "
                "listed are" if previous.get("abstained") else "The previous answer rests on")  # fmt: skip
        text = f"{lead}: " + "; ".join(f"[{c['n']}] {_name(c)}" for c in cites) + "."
    else:
        text = " ".join(f"[{c['n']}] {_name(c)} is {_regime(c)}." for c in cites)
        if previous.get("abstained"):
            text = ("The previous answer found nothing that answers it; of the closest "
                    f"provisions it listed, {text[0].lower()}{text[1:]}")  # fmt: skip
    out = dict(previous)
    out |= {"question": question, "answer": text, "notes": [
        f'About the previous answer ("{asked}"): read from its citations, nothing searched.'],
        "abstained": False, "removed": [], "flags": [], "mode": "extractive", "model": None,
        "asked_as": None, "rewritten_by": None, "elapsed_ms": 0.0, "retrieved": [],
        "abstention": None}  # fmt: skip
    return out
