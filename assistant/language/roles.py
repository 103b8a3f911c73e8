"""The persons AIFC rules bind by their role: the MLRO and the deputy MLRO, the compliance
officer, the senior executive officer, the board and others. A rule written of one role is not a
rule for another ("The MLRO must be resident in the Republic of Kazakhstan." answered "Must the
deputy be resident in Kazakhstan?" without a word, an MLRO's trial, twentieth session). A closed
list of the roles the rulebooks name, read as whole words; each role is written in one canonical
form. A "Registered Auditor" is a firm, not a person's role. (``answer.followup._PERSON`` is
another list on purpose: the persons a follow-up's "he" or "she" can stand for, which excludes
the board and staff and includes any "officer" or "manager".)"""

from __future__ import annotations

import re

# canonical role -> its written forms (the longer forms first, so that "deputy MLRO" is the
# deputy, not the MLRO)
_FORMS: dict[str, tuple[str, ...]] = {
    "deputy MLRO": ("deputy money laundering reporting officer", "deputy MLRO", "deputies",
                    "deputy"),
    "alternate MLRO": ("alternate MLRO",),
    "MLRO": ("money laundering reporting officer", "MLRO"),
    "compliance officer": ("chief compliance officer", "compliance officer", "head of compliance"),
    "senior executive officer": ("senior executive officer", "SEO"),
    "finance officer": ("finance officer", "chief financial officer", "CFO"),
    "chief executive": ("chief executive officer", "chief executive", "CEO"),
    "governing body": ("governing body", "board of directors", "board"),
    "senior management": ("senior management", "senior managers", "senior manager"),
    "director": ("non-executive director", "executive director", "director"),
    "approved individual": ("approved individual",),
    "auditor": ("auditor",),
    "employee": ("employees", "employee", "staff"),
}  # fmt: skip
# the names users write for a role that rulebooks do not ("AML officer", "anti-money-laundering
# officer": a trial, twenty-third session); the answerer counts these as the role's words where
# a sentence names the role (a rulebook's own name is in its sentences as written)
_USERS: dict[str, tuple[str, ...]] = {
    "deputy MLRO": ("deputy money laundering officer", "deputy money-laundering officer",
                    "deputy AML/CFT officer", "deputy AML officer"),
    "MLRO": ("money laundering officer", "money-laundering officer", "AML/CFT officer",
             "AML officer"),
}  # fmt: skip
USERS_FORMS = frozenset(f.lower() for forms in _USERS.values() for f in forms)


def users_forms(role: str) -> tuple[str, ...]:
    """The names users write for ``role`` that rulebooks do not (the search alias table's)."""
    return _USERS.get(role, ())


_ALL = [(role, f) for table in (_FORMS, _USERS) for role, forms in table.items() for f in forms]
# (a bare "deputy" before another role is that role's deputy: "deputy CEO" is no deputy MLRO)
_OTHER_HEAD = r"(?!\s+(?:chief|ceo|seo|cfo|director|senior|head|finance|compliance))"
# the longest form first, so that "deputy AML officer" is the deputy, not the MLRO
_ROLE = re.compile(
    r"(?<!Registered )\b(?:"
    + "|".join(
        re.escape(f) + (_OTHER_HEAD if f in ("deputy", "deputies") else "")
        for _, f in sorted(_ALL, key=lambda rf: -len(rf[1]))
    )
    + r")s?\b",
    re.IGNORECASE,
)
_CANON = {f.lower(): role for role, f in _ALL}


def mentions(text: str) -> list[tuple[str, str]]:
    """(canonical role, the words written) of each role ``text`` names, in order ("our
    anti-money-laundering officer": [("MLRO", "money-laundering officer")])."""
    out = []
    for m in _ROLE.finditer(text):
        word = m.group().lower()
        out.append((_CANON.get(word) or _CANON.get(word.rstrip("s"), word), m.group()))
    return out


def roles(text: str) -> set[str]:
    """The roles ``text`` names, canonical ("the deputy MLRO", "a deputy": {"deputy MLRO"})."""
    return {role for role, _ in mentions(text)}


def head_roles(phrase: str) -> set[str]:
    """The roles of a noun phrase's head: "the MLRO's deputy" and "the deputy of the MLRO" are
    the deputy."""
    if re.search(r"['’]s\b", phrase):
        phrase = re.split(r"['’]s\b", phrase)[-1]
    phrase = re.split(r"\s+of\s+", phrase, maxsplit=1)[0]
    return roles(phrase)
