"""Typed parameters in rule and policy text: amounts, percentages, durations, frequencies,
deadlines and locations, each normalised so that a rule and a draft can be compared."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}  # fmt: skip
_NUM = r"(\d+(?:[.,]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_UNIT_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0}
_UNIT = r"(business\s+|working\s+|calendar\s+)?(hours?|days?|weeks?|months?|years?)"

AMOUNT = re.compile(
    r"\b(USD|KZT|EUR|US\$)\s?(\d(?:[\d,]*\d)?(?:\.\d+)?)(\s?(?:million|m|bn|billion))?", re.I
)
PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s?(?:%|per\s?cent|percent)", re.I)
DEADLINE_WITHIN = re.compile(rf"\bwithin\s+{_NUM}\s+{_UNIT}", re.I)
IMMEDIATE = re.compile(r"\b(immediately|without delay|promptly|at once|forthwith)\b", re.I)
EVERY = re.compile(
    rf"\b(?:at least\s+)?(?:once\s+)?every\s+(?:{_NUM}\s+)?(years?|months?|quarters?|weeks?|days?)\b",
    re.I,
)
ADVERB_FREQ = re.compile(r"\b(?:at least\s+)?(annually|yearly|each year|every year|once a year|quarterly|"
                         r"semi-annually|half-yearly|monthly|weekly|daily)\b", re.I)  # fmt: skip
DURATION = re.compile(
    rf"\b(?:(at least|a minimum of|no less than|not less than|up to|at most)\s+)?{_NUM}\s+{_UNIT}\b",
    re.I,
)
_PER_YEAR = {"annually": 1, "yearly": 1, "each year": 1, "every year": 1, "once a year": 1, "quarterly": 4,
             "semi-annually": 2, "half-yearly": 2, "monthly": 12, "weekly": 52, "daily": 365}  # fmt: skip
_UNIT_PER_YEAR = {"year": 1, "quarter": 4, "month": 12, "week": 52, "day": 365}

PLACES = {
    "kazakhstan": "Kazakhstan", "republic of kazakhstan": "Kazakhstan", "astana": "Kazakhstan",
    "almaty": "Kazakhstan", "aifc": "Kazakhstan", "dubai": "UAE", "abu dhabi": "UAE", "uae": "UAE",
    "united arab emirates": "UAE", "london": "UK", "united kingdom": "UK", "singapore": "Singapore",
    "hong kong": "Hong Kong", "cyprus": "Cyprus", "malta": "Malta", "moscow": "Russia", "russia": "Russia",
    "tashkent": "Uzbekistan", "bishkek": "Kyrgyzstan", "istanbul": "Turkey", "switzerland": "Switzerland",
    "zurich": "Switzerland", "new york": "USA", "united states": "USA",
}  # fmt: skip
_PLACE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, PLACES), key=len, reverse=True)) + r")\b", re.I
)
_RESIDENCE = re.compile(r"\b(resident|residence|based|located|situated|domiciled|office)\b", re.I)


@dataclass(frozen=True)
class Param:
    """kind: amount (value in units of currency), percentage, duration (days), frequency
    (times per year), deadline (days; 0 = immediately), location (country)."""

    kind: str
    value: float | str
    text: str
    unit: str | None = None
    qualifier: str | None = None


def _num(text: str) -> float:
    t = text.lower()
    if t in _NUM_WORDS:
        return float(_NUM_WORDS[t])
    return float(t.replace(",", ""))


def _unit(word: str) -> str:
    return word.lower().rstrip("s")


def parse_params(text: str) -> list[Param]:
    """Every typed parameter in ``text``, in order of appearance."""
    found: list[tuple[int, Param]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], p: Param) -> None:
        if all(m.end() <= a or m.start() >= b for a, b in taken):
            found.append((m.start(), p))
            taken.append(m.span())

    for m in AMOUNT.finditer(text):
        scale = (
            1e6
            if (m.group(3) or "").strip().lower() in ("million", "m")
            else (1e9 if m.group(3) and "b" in m.group(3).lower() else 1)
        )
        add(
            m,
            Param(
                "amount",
                _num(m.group(2)) * scale,
                m.group(0),
                m.group(1).upper().replace("US$", "USD"),
            ),
        )
    for m in PERCENT.finditer(text):
        add(m, Param("percentage", float(m.group(1)), m.group(0)))
    for m in IMMEDIATE.finditer(text):
        add(m, Param("deadline", 0.0, m.group(0), "day", "immediately"))
    for m in DEADLINE_WITHIN.finditer(text):
        add(
            m,
            Param(
                "deadline",
                _num(m.group(1)) * _UNIT_DAYS[_unit(m.group(3))],
                m.group(0),
                "day",
                "within",
            ),
        )
    for m in EVERY.finditer(text):
        n = _num(m.group(1)) if m.group(1) else 1.0
        add(
            m,
            Param(
                "frequency",
                _UNIT_PER_YEAR[_unit(m.group(2))] / n,
                m.group(0),
                "per year",
                "at least",
            ),
        )
    for m in ADVERB_FREQ.finditer(text):
        add(
            m,
            Param(
                "frequency",
                float(_PER_YEAR[m.group(1).lower()]),
                m.group(0),
                "per year",
                "at least",
            ),
        )
    for m in DURATION.finditer(text):
        qual = (m.group(1) or "").lower() or None
        add(
            m,
            Param(
                "duration",
                _num(m.group(2)) * _UNIT_DAYS[_unit(m.group(4))],
                m.group(0),
                "day",
                qual,
            ),
        )
    if _RESIDENCE.search(text):
        for m in _PLACE.finditer(text):
            add(m, Param("location", PLACES[m.group(1).lower()], m.group(0)))
    found.sort(key=lambda x: x[0])
    return [p for _, p in found]


_AT_LEAST = (None, "at least", "a minimum of", "no less than", "not less than")
# kind -> (draft violates the rule when ..., explanation)
_VIOLATION = {
    "duration": (lambda r, d, q: q in _AT_LEAST and d < r, "shorter than the rule requires"),
    "frequency": (lambda r, d, q: d < r, "less often than the rule requires"),
    "deadline": (lambda r, d, q: d > r, "later than the rule allows"),
    "percentage": (lambda r, d, q: d < r, "lower than the rule requires"),
}


def compare(rule: Param, draft: Param) -> str | None:
    """Why ``draft`` contradicts ``rule`` (same kind), or None when it complies."""
    if rule.kind != draft.kind:
        return None
    if rule.kind == "location":
        return (
            "a different place from the one the rule requires"
            if draft.value != rule.value
            else None
        )
    check = _VIOLATION.get(rule.kind)
    if check and isinstance(rule.value, float) and isinstance(draft.value, float):
        violated, why = check
        return why if violated(rule.value, draft.value, rule.qualifier) else None
    return None
