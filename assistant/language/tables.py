"""A table's rows as the index holds them: one line a row, its cells joined by " | " (a DOCX
table, a PDF table, ``ingest.pdf.join_cells``; a Markdown table's pipes). A row's figures are
often bare numbers whose unit is in the column's header ("Base Capital Requirement (US $)" over
"3A | 500,000"): read alone, "500,000" is no amount, and a CFO's question on the capital of a
Category 3A firm was refused (a trial, twenty-sixth session). Here a row is read with its
header: the header's words belong to the row as a rule's number belongs to its sentences, and
each figure cell is read in its column's unit. What is read is never quoted: a quote stays the
verbatim row."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.language.quantities import MONTHS
from ingest.chunker import TABLE_SEPARATOR

if TYPE_CHECKING:
    from assistant.language.quantities import Quantity

CELLS = "|"
# A column's unit in its header's brackets: "(US $)", "($)", "(USD)", "($k)", "(US$ million)",
# "(%)", "(in AED '000)"
_UNIT = re.compile(
    r"\(\s*(?:in\s+)?(?:(?P<cur>U\.?S\.?\s?\$|\$|€|£|₸|USD|EUR|GBP|KZT|AED)\s*"
    r"(?P<scale>k|'?000s?|thousands?|m|mn|millions?|bn|billions?)?"
    r"|(?P<pct>%|per\s?cent|percent))\s*\)",
    re.I,
)
_SYMBOL = {"$": "USD", "€": "EUR", "£": "GBP", "₸": "KZT"}
_SCALE = {"k": "thousand", "000": "thousand", "'000": "thousand", "000s": "thousand",
          "'000s": "thousand", "thousand": "thousand", "thousands": "thousand", "m": "million",
          "mn": "million", "million": "million", "millions": "million", "bn": "billion",
          "billion": "billion", "billions": "billion"}  # fmt: skip
# a cell that opens with a figure: "500,000, except where ...", "10 million", "0.0015%", "≤ 10m"
_FIGURE_CELL = re.compile(
    r"^(?P<pre>\s*(?:[<>≤≥]=?\s*)?)(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?(?:thousand|million|billion|mn|bn|m|k)\b)?(?P<rest>.*)$",
    re.I | re.S,
)


def cells(line: str) -> list[str]:
    """A row's cells (a Markdown row's outer pipes dropped)."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split(CELLS)]


def is_row(line: str) -> bool:
    return f" {CELLS} " in line or line.strip().startswith(CELLS)


def header_of(text: str, start: int, above: str | None = None) -> str | None:
    """The header row of the table whose row is the line at ``start`` in ``text``: the first
    line of the rows above it, one after the other (a Markdown separator skipped), where that
    line states no figure outside its brackets. None where the line is no row, or is the
    header itself. ``above``: the header of the table the text goes on with (a chunk's
    ``table_header``), for rows that run up to the text's top."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if not is_row(line):
        return None
    header = None
    at = line_start
    while at > 0:
        prev_start = text.rfind("\n", 0, at - 1) + 1
        prev = text[prev_start : at - 1]
        if TABLE_SEPARATOR.match(prev):
            at = prev_start
            continue
        if not is_row(prev):
            # a row group's caption between rows ("Managing Assets" over "3C | $250,000 | ...",
            # a robo-advisory note's capital table, whose rows were read with no header and
            # refused, a fintech founder's trial, thirty-second session): the table goes on
            above = text[text.rfind("\n", 0, max(0, prev_start - 1)) + 1 : max(0, prev_start - 1)]
            below = text[at : (text.find("\n", at) + 1 or len(text) + 1) - 1]
            # (over a row of figures only: over a row of labels, "Penalties" then "Breach |
            # Fine", it is a second table's title, a review)
            if (prev_start > 0 and _caption(prev) and re.search(r"\d", below)
                    and (is_row(above) or _caption(above))):  # fmt: skip
                at = prev_start
                continue
            break
        header, at = prev, prev_start
    if (header is None or not is_header(header)) and at == 0 and above and is_header(above):
        return above  # the rows run up to the text's top: the table began before it
    if header is None or not is_header(header):
        return None
    return header


def _caption(line: str) -> bool:
    """Whether ``line`` reads as a row group's caption in a table: a few words (six at most), no
    figure, no stop at its end (a colon may close it: "Reinsurance recoverable from:" over PIN
    A4.4.1's rows of reinsurers, whose rows were read with no header and "reinsurers Rated
    'CCC' | 49.7" refused, an insurer's trial, thirty-third session)."""
    s = line.strip()
    # (capitalised, as a caption is: "unless otherwise specified" goes on from the row above, a
    # review)
    return (bool(s) and s[0].isupper() and len(s.split()) <= 6 and not re.search(r"\d", s)
            and not s.endswith((".", ";")))  # fmt: skip


def is_header(line: str) -> bool:
    """Whether a table's first row reads as its header: no figure outside its brackets, and
    labels, not text (each cell eight words at most, none a sentence ending in a stop); a
    glossary's first entry ("Authorised Person | A Person, other than a Recognised Body, who
    holds a Financial Services Permission.") is none (a review)."""
    return not re.search(r"\d", _UNIT.sub("", line)) and all(
        len(c.split()) <= 8 and not c.rstrip().endswith(".") for c in cells(line)
    )


def units(header: str) -> list[tuple[str, str] | None]:
    """Each column's unit as a figure is written with it ("USD", "USD thousand", "%"), and as
    the header writes it ("US $"); None for a column whose header names none."""
    out: list[tuple[str, str] | None] = []
    for cell in cells(header):
        m = _UNIT.search(cell)
        if m is None and cell.strip() in ("%", "per cent", "percent", "Percentage", "percentage"):
            out.append(("%", cell.strip()))  # a column headed "%" alone (PIN A4.4.1's "Asset | %")
        elif m is None:
            out.append(None)
        elif m.group("pct"):
            out.append(("%", m.group(0)[1:-1].strip()))
        else:
            cur = re.sub(r"[\s.]", "", m.group("cur")).upper()
            code = "USD" if cur.endswith("$") else _SYMBOL.get(cur, cur)
            scale = _SCALE.get((m.group("scale") or "").lower())
            out.append((f"{code} {scale}" if scale else code, m.group(0)[1:-1].strip()))
    return out


def _in_unit(cell: str, unit: str) -> tuple[str, re.Match[str]] | None:
    """A figure cell written in ``unit`` ("USD 500,000, except ..."), and its figure's match;
    None for a cell whose figure states a unit of its own ("0.1% of the value of Client Assets"
    in a "(US $)" column is a percentage, "2 years" a period: a review)."""
    from assistant.language.quantities import figures

    m = _FIGURE_CELL.match(cell)
    if m is None:
        return None
    end = m.end("scale") if m["scale"] else m.end("n")
    if any(
        f.kind != "number" and f.span[0] < end and m.start("n") < f.span[1] for f in figures(cell)
    ):
        return None
    if unit == "%":
        return f"{m['pre']}{m['n']}{m['scale'] or ''}%{m['rest']}", m
    code, _, scale = unit.partition(" ")
    written = m["scale"] or (f" {scale}" if scale else "")
    # a sum later in the cell is in the column's unit too: "500,000, except where ... in which
    # case the Base Capital Requirement is 2 million" (the OTC broker's 2 million was no amount,
    # a trial, thirty-first session); only one written as a sum is (thousands grouped, or a
    # scale word), not "Category 2" or "Rule 3.2", and none that counts something or has a
    # currency of its own ("1,000 Retail Clients", "AED 2 million", "2 million USD": a review)
    rest = _LATER_SUM.sub(lambda x: f"{code} {x.group(0)}", m["rest"]) if not scale else m["rest"]
    return f"{m['pre']}{code} {m['n']}{written}{rest}", m


_LATER_SUM = re.compile(
    r"(?<![\w.,$€£₸])(?<![A-Z]{3}\s)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?\s?(?i:million|billion|mn|bn)\b)"
    r"(?=\s*(?:[.,;:)]|$|(?:if|otherwise|for|where|in|and|or|of|when|unless|is|as|plus|per|each)\b))",
)


def _aligned(row: str, header: str) -> list[tuple[str, tuple[str, str] | None]] | None:
    unit_of = units(header)
    row_cells = cells(row)
    # (a row's list marker in a cell of its own, which the header has no column for: "(d) |
    # Bonds Rated 'BB' | 7.5" under "Asset | %")
    if len(row_cells) == len(unit_of) + 1 and _MARKER_CELL.fullmatch(row_cells[0].strip()):
        unit_of = [None, *unit_of]
    if not any(unit_of) or len(row_cells) != len(unit_of):
        return None
    return list(zip(row_cells, unit_of, strict=True))


def read_with_units(row: str, header: str) -> str:
    """``row`` with each figure cell written in its column's unit ("3A | USD 500,000, except
    ..."), for reading its figures; the row as it is where the header names no unit or the
    cells do not line up with the header's."""
    pairs = _aligned(row, header)
    if pairs is None:
        return row
    out = []
    for cell, unit in pairs:
        read = _in_unit(cell, unit[0]) if unit else None
        out.append(read[0] if read else cell)
    return f" {CELLS} ".join(out)


def row_figures(
    quote: str, full_text: str, above: str | None = None
) -> list[tuple[Quantity, str, str]]:
    """The figures of the table rows in ``quote`` (verbatim in ``full_text``, the chunk that
    holds the header) in their columns' units: each spans its number in ``quote`` and reads as
    the row and its header write it ("500,000 (US $)"), never a unit the text does not give;
    with each, its row (the line) and its column's header ("Application fee ($)")."""
    from assistant.language.quantities import figures

    base = full_text.find(quote)
    if base < 0:
        return []
    out: list[tuple[Quantity, str, str]] = []
    pos = 0
    for line in quote.split("\n"):
        header = header_of(full_text, base + pos, above) if is_row(line) else None
        pairs = _aligned(line, header) if header else None
        heads = cells(header) if header else []
        if pairs and len(pairs) == len(heads) + 1:
            heads = ["", *heads]  # (the row's list marker's cell: ``_aligned``)
        at = 0
        for k, (cell, unit) in enumerate(pairs or []):
            at = line.find(cell, at)
            read = _in_unit(cell, unit[0]) if unit else None
            if read is not None and unit is not None:
                text, m = read
                first = next((q for q in figures(text) if q.span[0] <= len(m["pre"]) + 4), None)
                if first is not None:
                    a = pos + at + m.start("n")
                    shown = f"{m['n']}{m['scale'] or ''} ({unit[1]})"
                    fig = replace(first, text=shown, span=(a, a + len(m["n"])))
                    out.append((fig, line, heads[k]))
            at += len(cell)
        pos += len(line) + 1
    return out


_MARKER_CELL = re.compile(r"\((?:[a-z]{1,4}|\d{1,2})\)|(?:[a-z]{1,4}|\d{1,2})[.)]")


def row_label(row: str) -> str:
    """A row's label: its first cell, or its second where the first is only a list marker
    ("(d) | Bonds Rated 'BB' | 7.5": "What default risk percentage applies to bonds rated 'BB'?"
    was refused, the row read as labelled "(d)", a consultant's trial, thirty-third session)."""
    row_cells = cells(row)
    if len(row_cells) > 2 and _MARKER_CELL.fullmatch(row_cells[0].strip()) and row_cells[1].strip():
        return row_cells[1]
    return row_cells[0]


def label_named(row: str, question: str, tokenize: Callable[[str], list[str]]) -> bool:
    """Whether ``question`` names the row's label, its first cell: a short code as a word of
    its own ("Category 3A", not the "1" of "Rule 3.3.1"), a longer label by half its words or
    more ("payment services" for "Payment Services", "currency exchange" for "Currency exchange
    or Money Remittance")."""
    label = row_label(row)
    if not label:
        return False
    if len(label) <= 4 and re.fullmatch(r"[\w.]+", label):
        return bool(re.search(rf"(?<![\w.]){re.escape(label)}(?![\w]|\.\d)", question, re.I))
    words = set(tokenize(label))
    if bool(_NEGATION.search(label)) != _negates(question, words, tokenize):
        # "PFP Operator does not hold or control Client Assets | 10,000" is no row of "a PFP
        # operator that holds client assets" (its 10,000 led, the 150,000 row below it being
        # the one asked, a trading-venue COO's trial, thirty-third session)
        return False
    return bool(words) and 2 * len(words & set(tokenize(question))) >= len(words)


_NEGATION = re.compile(r"\b(?:not|no|never|without|non)\b|n['’]t\b", re.I)


def _negates(question: str, words: set[str], tokenize: Callable[[str], list[str]]) -> bool:
    """Whether ``question`` negates one of ``words`` (a row label's) within four words after its
    negation ("if it does not hold client assets"), not a word elsewhere ("no" of another
    clause)."""
    # (any of the label's words: "non performing" negates "Secured loans – Non Performing" though
    # it is one word of four, a third review)
    for m in _NEGATION.finditer(question):
        after = " ".join(question[m.end() :].split()[:4])
        if set(tokenize(after)) & words:
            return True
    return False


# A class a text names by a capitalised word and its number or numeral ("Class 3", "Category 2",
# "Tier 1", "Zone II"); not a month's day ("June 30")
# (not a figure with its unit: "Category 4, 10 and 12 days", "Category 3 and 4%", a review)
_LABEL_NUMBER = (
    r"(?:\d{1,2}[A-Z]?|[IVX]{1,4})(?![\w.]|\.\d|,\d)"
    r"(?!\s*(?:%|per\s?cent|percent|days?|weeks?|months?|years?|hours?)\b|\s*%)"
)
_NUMBERED_LABEL = re.compile(
    rf"\b([A-Z][a-z]{{2,}})\s+({_LABEL_NUMBER}(?:\s*(?:,|or|and|to)\s*{_LABEL_NUMBER})*)"
)
# words before a number that name no class: months ("June 30"), references ("Rule 5", "Part
# 2"), and the function words a question opens with ("Can I", "Within 30 days", a review)
_NO_CLASS = frozenset(
    [m.lower() for m in MONTHS]
    + [
        "rule",
        "rules",
        "part",
        "parts",
        "chapter",
        "chapters",
        "section",
        "sections",
        "article",
        "articles",
        "schedule",
        "schedules",
        "appendix",
        "annex",
        "table",
        "tables",
        "paragraph",
        "paragraphs",
        "para",
        "page",
        "pages",
        "version",
        "can",
        "could",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "does",
        "did",
        "has",
        "have",
        "are",
        "was",
        "were",
        "what",
        "which",
        "when",
        "where",
        "who",
        "how",
        "why",
        "within",
        "under",
        "for",
        "from",
        "after",
        "before",
        "until",
        "over",
        "about",
        "into",
        "per",
        "than",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "hour",
        "hours",
    ]
)


# a class numbered in roman numerals is the same class in digits ("Class III" is "Class 3")
_ROMAN = {
    r: str(i)
    for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"], 1)
}


def numbered_labels(text: str) -> set[tuple[str, str]]:
    """The classes ``text`` names by a word and its number: {("class", "3")} for "a Class 3
    Captive Insurer", {("category", "3B"), ("category", "3C")} for "Category 3B or 3C"."""
    return {(m.group(1).lower(), _ROMAN.get(n.upper(), n.upper())) for m in _NUMBERED_LABEL.finditer(text)
            if m.group(1).lower() not in _NO_CLASS
            for n in re.findall(_LABEL_NUMBER, m.group(2))}  # fmt: skip


def item_named(item: str, asked: set[tuple[str, str]]) -> bool | None:
    """Whether a list item names the class the question names (``asked``, ``numbered_labels``
    of the question): True for "(c) for a Class 3 Captive Insurer: $500,000" asked of Class 3,
    False for its sibling "(a) for a Class 1 ...", None where the item names no class of that
    word. As a table's row named by its label is (``label_named``): the items of a list of
    figures by class are each an answer of one class only (a captive insurer's "base capital
    requirement for a Class 3 Captive Insurer" led with Class 1's $150,000, an insurer's trial,
    thirty-third session)."""
    own = numbered_labels(item)
    words = {w for w, _ in asked}
    same = {p for p in own if p[0] in words}
    return bool(same & asked) if same else None


def label_share(row: str, question: str, tokenize: Callable[[str], list[str]]) -> float:
    """The share of a row label's words the question has: among the rows ``label_named``, the
    one the question names most ("Bonds Rated 'BB'" over "Bonds Rated 'BBB'", which shares two
    of its three words with "bonds rated 'BB'")."""
    words = set(tokenize(row_label(row)))
    return len(words & set(tokenize(question))) / len(words) if words else 0.0


def reading(text: str, start: int, end: int, question: str,
            tokenize: Callable[[str], list[str]], above: str | None = None) -> tuple[str, str | None]:  # fmt: skip
    """The sentence ``text[start:end]`` as the question reads it, and its table's header: a
    table's row whose label the question names ("Category 3A") is read in its columns' units,
    its header's words with it; any other row, and any other sentence, as written (None). A row
    the question does not name is no answer of its own: "What does Base Capital Requirement
    mean?" was answered with the first row's "10 million (US $)" (a review)."""
    sent = text[start:end]
    header = header_of(text, start, above)
    if header is None or not (label_named(sent, question, tokenize)
                              or _content_named(text, start, sent, header, question, tokenize)):  # fmt: skip
        return sent, None
    return read_with_units(sent, header), header


def _content_named(text: str, start: int, row: str, header: str, question: str,
                   tokenize: Callable[[str], list[str]]) -> bool:  # fmt: skip
    """Whether the row's cells after its label name what the question asks about: half or more
    of the question's words that its header does not hold, three at least of them words no
    other row of its table has ("a broker dealing as matched principal in OTC leveraged
    products with retail clients" in PRU 3.3.2's row "3A | 500,000, except where an Authorised
    Person is conducting ... (only as Matched Principal) in relation to OTC Leveraged Products
    with Retail Clients ...": the row was no answer, its label being unnamed, an OTC broker's
    trial, thirty-first session; "Authorised Person" and "dealing ... as principal", words of
    other rows too or two only, are not enough, a review)."""
    asked = set(tokenize(question)) - set(tokenize(header))
    own = set(tokenize(" ".join(cells(row)[1:])))
    hit = asked & own
    if len(hit) < 3 or 2 * len(hit) < len(asked):
        return False
    others = {t for r in _rows_beside(text, start) for t in tokenize(r)}
    return len(hit - others) >= 3


def _rows_beside(text: str, start: int) -> list[str]:
    """The other rows of the table whose row is the line at ``start``: the row lines next to it,
    up and down."""
    lines = text.split("\n")
    at = text.count("\n", 0, start)
    out = []
    for step in (-1, 1):
        k = at + step
        while 0 <= k < len(lines) and is_row(lines[k]):
            out.append(lines[k])
            k += step
    return out
