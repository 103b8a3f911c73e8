"""The client categories AIFC conduct rules classify clients into: Retail Client, Professional
Client, Market Counterparty (COB's client classification; the brief, section 6). A rule written
of one is not a rule for another: "What is the monthly deposit limit for professional clients of
a DASP?" was answered with the limit a DASP must put on an individual Retail Client, without a
word (a lawyer's trial, twenty-second session). A closed list of the defined terms, each with the
plain forms users write for it, read as whole words."""

from __future__ import annotations

import re

_FORMS: dict[str, tuple[str, ...]] = {
    "Retail Client": ("retail clients?", "retail customers?", "retail investors?",
                      r"retail(?=\s+(?:and|or|and/or)\s+professional\b)"),
    "Professional Client": ("professional clients?", "professional customers?",
                            "professional investors?",
                            r"professional(?=\s+(?:and|or|and/or)\s+retail\b)"),
    "Market Counterparty": ("market counterpart(?:y|ies)",),
}  # fmt: skip
_PATTERNS = {c: re.compile(r"\b(?:" + "|".join(f) + r")\b", re.I) for c, f in _FORMS.items()}
# what a category is named in but not about: "not professional clients", "non-retail clients",
# "other than Retail Clients"
_EXCLUDED_BEFORE = re.compile(
    # ("who aren't", "that don't": a relative clause excludes; "Why can't retail clients ...?"
    # asks about them, a review)
    r"(?:\b(?:not|non|other\s+than|except|excluding)|\b(?:who|that|which)\s+\w+n't)[\s-]+"
    r"(?:(?:to|for|of)\s+)?"
    r"(?:an?\s+|the\s+)?$",
    re.I,
)
# a condition the category is named in ("lend ... only if ... the person is a Professional
# Client"): the rule settles the other categories too, by leaving them out
_CONDITION_BEFORE = re.compile(r"\b(?:only|unless|provided|except)\b[^.;:]*$", re.I)


def client_categories(text: str, *, conditions: bool = True) -> set[str]:
    """The client categories ``text`` names, in their defined form; not those it excludes ("not
    professional clients", "non-retail"), nor, with ``conditions`` False, those named in a
    condition ("only if ... a Professional Client")."""
    out = set()
    for category, rx in _PATTERNS.items():
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 80) : m.start()]
            if before.endswith("-") or _EXCLUDED_BEFORE.search(before):
                continue
            if not conditions and _CONDITION_BEFORE.search(before):
                continue
            out.add(category)
    return out


def excluded_categories(text: str) -> set[str]:
    """The client categories ``text`` names only to exclude them ("non-retail clients")."""
    return {c for c, rx in _PATTERNS.items() if rx.search(text)} - client_categories(text)
