"""The persons AIFC rules bind by their role: the MLRO and the deputy MLRO, the compliance
officer, the senior executive officer and others. A rule written of one role is not a rule for
another ("The MLRO must be resident in the Republic of Kazakhstan." answered "Must the deputy
be resident in Kazakhstan?" without a word, an MLRO's trial, twentieth session). A closed list
of the roles the rulebooks name, read as whole words; each role is written in one canonical
form."""

from __future__ import annotations

import re

# canonical role -> its written forms (the longer forms first, so that "deputy MLRO" is the
# deputy, not the MLRO)
_FORMS: dict[str, tuple[str, ...]] = {
    "deputy MLRO": ("deputy money laundering reporting officer", "deputy MLRO", "deputy"),
    "MLRO": ("money laundering reporting officer", "MLRO"),
    "compliance officer": ("compliance officer",),
    "senior executive officer": ("senior executive officer", "SEO"),
    "finance officer": ("finance officer", "chief financial officer", "CFO"),
    "chief executive": ("chief executive officer", "chief executive", "CEO"),
    "director": ("non-executive director", "executive director", "director"),
    "auditor": ("auditor",),
    "employee": ("employees", "employee", "staff"),
}
_ROLE = re.compile(
    r"\b(?:" + "|".join(re.escape(f) for forms in _FORMS.values() for f in forms) + r")s?\b",
    re.IGNORECASE,
)
_CANON = {f.lower(): role for role, forms in _FORMS.items() for f in forms}


def roles(text: str) -> set[str]:
    """The roles ``text`` names, canonical ("the deputy MLRO", "a deputy": {"deputy MLRO"})."""
    out = set()
    for m in _ROLE.finditer(text):
        word = m.group().lower()
        out.add(_CANON.get(word) or _CANON.get(word.rstrip("s"), word))
    return out
