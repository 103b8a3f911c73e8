"""The names of regimes: the AIFC's own, and other regulators' whose rules are not indexed with
the AIFC's (read by the answerer, the answerability gate and the LLM verifier)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

AIFC_NAMED = re.compile(r"\bAIFC\b|\bAFSA\b|\bAstana International Financial Cent", re.I)
OTHER_REGULATOR_NAMES = ("DFSA", "ADGM", "FSRA", "VARA", "DIFC", "FCA", "SEC", "MAS", "FINMA",
                         "ESMA", "MiCA", "BaFin")  # fmt: skip
OTHER_REGULATORS = re.compile(r"\b(" + "|".join(OTHER_REGULATOR_NAMES) + r")\b")

# The other names of a regime, its regulator's first (a gazetteer of financial centres, not of
# questions): a question naming one asks about that regime.
REGIME_ALIASES: dict[str, tuple[str, ...]] = {
    "AIFC": ("AFSA", "Astana International Financial Centre", "Astana International Financial Center",
             "Astana Financial Services Authority"),
    "ADGM": ("FSRA", "Abu Dhabi Global Market", "Financial Services Regulatory Authority"),
    "DIFC": ("DFSA", "Dubai International Financial Centre", "Dubai Financial Services Authority"),
    "VARA": ("Virtual Assets Regulatory Authority",),
    "QFC": ("QFCRA", "Qatar Financial Centre"),
}  # fmt: skip


def writes(text: str, name: str, *, any_case: bool = True) -> bool:
    """Whether ``text`` writes ``name`` as a word of its own ("ADGM", "AIFC-licensed"; not the
    "AML" of "MAML")."""
    return bool(re.search(rf"(?<![\w-]){re.escape(name)}(?!\w)", text, re.I if any_case else 0))


def is_foreign(jurisdiction: str | None) -> bool:
    """Whether a document of ``jurisdiction`` is another regime's text indexed beside ours
    (``ingest --jurisdiction ADGM``): neither the AIFC's nor national law."""
    return (jurisdiction or "AIFC") not in ("AIFC", "RK")


def asked_part(question: str) -> str:
    """The sentences of ``question`` that ask (end with "?"), or all of it where none does: "We
    moved from ADGM last year. How long must we keep CDD records?" asks nothing of ADGM."""
    asked = [s for s in re.split(r"(?<=[.!?])\s+", question.strip()) if s.rstrip().endswith("?")]
    return " ".join(asked) or question


def named_regimes(question: str, indexed: Iterable[str]) -> set[str]:
    """The regimes among ``indexed`` (the index's jurisdictions) that the asking sentences of
    ``question`` (``asked_part``) name, by their name as a word ("ADGM", "AIFC-licensed") or an
    alias of theirs ("the FSRA"). National law ("RK") is read elsewhere (``NATIONAL``)."""
    question = asked_part(question)
    out = set()
    for regime in indexed:
        if not regime or regime == "RK":
            continue
        names = (regime, *REGIME_ALIASES.get(regime.upper(), ()))
        if any(writes(question, n) for n in names):
            out.add(regime)
    return out


def without_place(question: str, regime: str) -> str:
    """``question`` without the phrase that places it in ``regime`` ("in ADGM", "within the
    Abu Dhabi Global Market"), for searching once the search is kept to that regime's text: the
    place is then said by what is searched, and as a word it drew passages that name the place
    for what else they say ("What leverage ... margin trading to clients in ADGM?" led with "an
    Offer in or from the ADGM which is directed at no more than 200 Persons", a founder's trial,
    twenty-eighth session). A regulator's name stays: "approval from the FSRA" says who acts."""
    names = [regime, *(a for a in REGIME_ALIASES.get(regime.upper(), ())
                       if not re.fullmatch(r"[A-Z]+", a) and "Authority" not in a)]  # fmt: skip
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # (not a name it begins, "in the ADGM Courts", "in ADGM's PRU rulebook", "in ADGM Green
    # Funds": a review)
    place = re.compile(rf"\s*\b(?:in|within|inside|at)\s+(?:the\s+)?(?:{alternatives})"
                       r"(?![\w'’-])(?!\s+(?-i:[A-Z0-9]))", re.I)  # fmt: skip
    out = place.sub("", question)
    return out if out.strip(" ?.!") else question


def place_mention(text: str) -> str | None:
    """The first regime ``text`` places itself in ("in ADGM", "within the AIFC", "under AIFC
    rules"), its name as written; None where it names a regime only otherwise ("notifying the
    AFSA" says who is told, not where)."""
    names = [n for regime, aliases in REGIME_ALIASES.items() for n in (regime, *aliases)]
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    m = re.search(
        rf"\b(?:in|within|inside|under)\s+(?:the\s+)?({alternatives})(?![\w-])", text, re.I
    )
    return m.group(1) if m else None


def regime_of(name: str) -> str:
    """The regime a name stands for ("FSRA" -> "ADGM"); the name itself where none is known."""
    low = name.strip().lower()
    for regime, aliases in REGIME_ALIASES.items():
        if low == regime.lower() or low in (a.lower() for a in aliases):
            return regime
    return name.strip().upper()


def regime_mention(text: str) -> str | None:
    """The first name of a regime or its regulator that ``text`` writes ("FSRA", "AIFC"), as
    written; None where it names none."""
    names = [n for regime, aliases in REGIME_ALIASES.items() for n in (regime, *aliases)]
    found = [m for n in names for m in re.finditer(rf"(?<![\w-]){re.escape(n)}(?!\w)", text, re.I)]
    return min(found, key=lambda m: m.start()).group(0) if found else None


def named_by_book(question: str, docs: list[dict[str, Any]]) -> set[str]:
    """The regimes the question names by a rulebook code only that regime's texts carry ("What
    is market abuse under FSMR?", FSMR being ADGM's statute, was answered from the AIFC digest:
    a trial, twenty-sixth session)."""
    regimes: dict[str, set[str]] = {}
    for d in docs:
        if d.get("rulebook"):
            regimes.setdefault(d["rulebook"], set()).add(d.get("jurisdiction") or "AIFC")
    asked = asked_part(question)
    return {next(iter(rs)) for book, rs in regimes.items()
            if len(rs) == 1 and writes(asked, book, any_case=False)}  # fmt: skip


def regime_scope(
    question: str, docs: list[dict[str, Any]]
) -> tuple[str | None, tuple[str, ...] | None]:
    """The one regime the question names among the indexed ``docs``' and the documents it
    searches then: that regime's (national law's too, for the AIFC). (None, None) where it names
    none, or several (a comparison), or only regimes of which every indexed document is.
    ``ask`` and ``search`` read it alike (`search` ranked the AIFC's MLRO rule second for
    "Under ADGM rules, MLRO residence", a founder's trial of both regimes, fortieth session)."""
    jurisdictions = {d.get("jurisdiction") or "AIFC" for d in docs}
    named = named_regimes(question, jurisdictions) | named_by_book(question, docs)
    if len(named) != 1 or len(jurisdictions - {"RK"}) < 2:
        return None, None
    regime = next(iter(named))
    keep = {regime, "RK"} if regime == "AIFC" else {regime}
    return regime, tuple(d["doc_id"] for d in docs if (d.get("jurisdiction") or "AIFC") in keep)
