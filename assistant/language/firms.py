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
    ("Custodian", r"\bcustodians?\b|\bProviding Custody\b"),
    ("Adviser/arranger", r"\badvis(?:ing|er|ers)\b|\barrang(?:ing|er|ers)\b"),
    (
        "DATF operator",
        r"\bDATF operators?\b|\bOperating a (?:DATF|Digital Asset Trading Facility)\b"
        # the operator of an exchange or trading platform by its plain name, as national law
        # and secondary sources write it ("digital asset exchange operators")
        r"|\bexchange operators?\b|\btrading (?:platform|facility) operators?\b"
        r"|\bcrypto(?:currency)?[\s-]*exchanges?\b",
    ),
    ("Stablecoin issuer", r"\bstablecoin issuers?\b|\bMoney Services\b"),
)
_EXCLUDED = re.compile(
    r"\b(?:other\s+than|except|excluding|unless\s+it\s+is|(?:that|which|who)\s+(?:is|are)\s+not)\b[^,]*",
    re.I,
)
# Another party named beside the firm ("a firm that uses a third-party custodian", "its
# custodian"): not the firm's own type.
_OTHER_PARTY = re.compile(
    r"\b(?:third[- ]party|external|another|a\s+client[’']s)\s+(?:(?!(?:custod|deal|advis|arrang))"
    r"[\w-]+\s+){0,2}[\w-]+",
    re.I,
)
# A permission written as a bare name in a list of fees or amounts ("Custody, Advising or
# Arranging application USD 7,000"); "Safe Custody Assets" is a defined term, not a firm type.
_LIST_NAMES: tuple[tuple[str, str], ...] = (
    ("Custodian", r"(?<!Safe )(?-i:\bCustody\b)(?!\s+(?:Assets?|Auditor))"),
)
# A question names an activity in plain words ("the annual fee for custody").
_ASKED_NAMES: tuple[tuple[str, str], ...] = (
    ("Custodian", r"(?<!safe )\bcustody\b(?!\s+(?:assets?|auditor))"),
    # the facility for its operator ("the annual supervision fee for a DATF", a founder's trial,
    # 2026-12-05, got every other activity's fee)
    (
        "DATF operator",
        # (not the venue a client trades on: "trade on a DATF as a member")
        # (the article may be left out, as founders type: "annual fee for operating DATF",
        # "DATF annual fee how much" got other activities' fees, a trial 2026-12-05)
        r"(?<!\bon )(?<!\bvia )(?<!\bthrough )(?<!\bonto )"
        r"(?:\b(?:a|an|the|our|each)\s+)?"
        r"(?<!\bon a )(?<!\bon the )(?<!\bvia a )(?<!\bvia the )(?<!\bthrough a )"
        r"(?<!\bthrough the )(?<!\bonto a )(?<!\bonto the )"
        r"\b(?:DATF|Digital Asset Trading Facility)\b"
        r"(?!\s+(?:operators?|members?|users?))",
    ),
)
_SUBJECT_END = re.compile(r"\b(?:must|shall|should|is required|are required|may|needs?)\b", re.I)


def named_firms(text: str, names: bool = False, asked: bool = False) -> set[str]:
    """The firm types ``text`` names anywhere, leaving out those it excludes ("other than a
    custodian") and other parties ("a third-party custodian"); with ``names``, also a bare
    permission name as lists of fees write it ("Custody, Advising or Arranging ..."); with
    ``asked`` (a question), an activity in plain words ("the fee for custody")."""
    text = _OTHER_PARTY.sub(" ", _EXCLUDED.sub(" ", text))
    table = (*_QUALIFIERS, *(_LIST_NAMES if names else ()), *(_ASKED_NAMES if asked else ()))
    return {kind for kind, rx in table if re.search(rx, text, re.I)}


def mentions(text: str) -> list[str]:
    """The words of ``text`` that name a firm type ("custodian", "dealer")."""
    return [m.group(0) for _, rx in (*_QUALIFIERS, *_ASKED_NAMES)
            for m in re.finditer(rx, text, re.I)]  # fmt: skip


def subject_of(text: str) -> str | None:
    """The words of ``text`` before its first modal ("A crypto exchange typically" of "A crypto
    exchange typically needs ..."); None when it has none."""
    m = _SUBJECT_END.search(text)
    return text[: m.start()] if m else None


def qualified_for(text: str) -> set[str]:
    """The firm types the subject of ``text`` (its words before the first modal, after a
    leading "Under DAA 3.2(1)(b) and Table 2,") restricts it to; empty when it names none."""
    subject = restricting_subject(text)
    return named_firms(subject) if subject is not None else set()


def restricting_subject(text: str) -> str | None:
    """The words of the subject of ``text`` that can restrict it to a firm type: before its first
    modal, after a leading "Under DAA 3.5.1(2),", less what it excludes ("other than a
    custodian", "that is not a custodian" restricts nothing to it); None when it has no modal."""
    subject = subject_of(text)
    if subject is None:
        return None
    subject = _EXCLUDED.sub(" ", subject)
    parts = [p for p in subject.split(",") if p.strip()]
    return parts[-1] if parts else ""


def subject_firm_words(text: str) -> list[str]:
    """The words of the subject of ``text`` that name the firm type it binds ("Providing Custody"
    of "A DASP Providing Custody must segregate ..."): ``qualified_for`` reads the same subject.
    A draft of that firm's own procedures need not repeat them (every custody rule was "partial
    ... does not name: Providing" against a custodian's draft, a consultant's trial)."""
    subject = restricting_subject(text)
    if not subject:
        return []
    return [m.group(0) for _, rx in _QUALIFIERS for m in re.finditer(rx, subject, re.I)]


def first_named_firm(text: str) -> str | None:
    """The firm type ``text`` names first (by position): an alias's main term comes first ("crypto
    exchange" -> "Operating a Digital Asset Trading Facility ... and Providing Custody" is a DATF
    operator that also holds custody, not a custodian)."""
    text = _OTHER_PARTY.sub(" ", _EXCLUDED.sub(" ", text))
    found = [
        (m.start(), kind) for kind, rx in _QUALIFIERS for m in [re.search(rx, text, re.I)] if m
    ]
    return min(found)[1] if found else None
