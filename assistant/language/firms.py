"""The firm types a text names, from the AIFC permission names (brief section 2).

A rule whose subject names a permission ("a DASP Dealing in Investments as Principal must",
"A dealer DASP must", "a custodian must") binds only firms of that type: the policy check does not
hold a custodian to a dealer's rules, and an answer does not give a money-services firm's capital
to a question about a custodian's.
"""

from __future__ import annotations

import re

# (firm type, pattern of the words that name it)
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("DASP dealing", r"\bdeal(?:ing|er|ers)\b(?!\s+with\b)"),
    ("Custodian", r"\bcustodians?\b|\bcustody\b"),
    ("Adviser/arranger", r"\badvis(?:ing|er|ers)\b|\barrang(?:ing|er|ers)\b"),
    (
        "DATF operator",
        r"\bDATF operators?\b|\bOperating a (?:DATF|Digital Asset Trading Facility)\b",
    ),
    ("Stablecoin issuer", r"\bstablecoin issuers?\b|\bMoney Services\b"),
)
_EXCLUDED = re.compile(
    r"\b(?:other\s+than|except|excluding|unless\s+it\s+is|(?:that|which|who)\s+(?:is|are)\s+not)\b[^,]*",
    re.I,
)
_SUBJECT_END = re.compile(r"\b(?:must|shall|should|is required|are required|may|needs?)\b", re.I)


def named_firms(text: str) -> set[str]:
    """The firm types ``text`` names anywhere, leaving out those it excludes ("other than a
    custodian")."""
    text = _EXCLUDED.sub(" ", text)
    return {kind for kind, rx in _QUALIFIERS if re.search(rx, text, re.I)}


def qualified_for(text: str) -> set[str]:
    """The firm types the subject of ``text`` (its words before the first modal, after a
    leading "Under DAA 3.2(1)(b) and Table 2,") restricts it to; empty when it names none."""
    m = _SUBJECT_END.search(text)
    if not m:
        return set()
    subject = text[: m.start()]
    # what the subject excludes ("other than a custodian", "that is not a custodian") restricts
    # nothing to it
    subject = _EXCLUDED.sub(" ", subject)
    parts = [p for p in subject.split(",") if p.strip()]
    subject = parts[-1] if parts else ""  # "Under DAA 3.5.1(2), a DASP dealing in ..."
    return named_firms(subject)
