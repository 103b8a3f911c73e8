"""Rule references as AFSA texts write them: parse, normalise, format and compare.

Accepted forms (see the domain brief, section 1.2): ``GEN 2.1.1``, ``AML 6.1.1(a-a)``,
``AML 11-1.1``, ``DAA 3.1-1(3)(d)``, ``GEN 2.2.5-1``, ``DAA 4.6.1.-1`` (stray dot, normalised
to ``4.6.1-1``), ``PRU(INV) 1.3(4)(h)``, ``FSFR s.24``, "section 24 of the Framework
Regulations", ``GEN Schedule 1`` / ``GEN Sch 1``. A ref names a rulebook, a kind (rule, section
or schedule), a dotted number and zero or more bracketed paragraph labels.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

RULEBOOKS: tuple[str, ...] = (
    "FSFR", "GEN", "COB", "AML", "DAA", "PRU(INV)", "AMI", "MAR", "GLO", "FEES",
    "FINTECH", "PERG", "REP", "CIS",
)  # fmt: skip

# Names users (and some web pages) get wrong, mapped to the AIFC abbreviation.
BOOK_ALIASES: dict[str, str] = {
    "PIIF": "PRU(INV)",
    "PRU": "PRU(INV)",
    "PRUINV": "PRU(INV)",
    "MKT": "MAR",
    "DABR": "DAA",
    "FR": "FSFR",
}

# Full titles as printed on rulebook covers, for detecting a document's rulebook.
BOOK_TITLES: dict[str, str] = {
    "financial services framework regulations": "FSFR",
    "framework regulations": "FSFR",
    "general rules": "GEN",
    "conduct of business rules": "COB",
    "anti-money laundering": "AML",
    "rules on digital asset activities": "DAA",
    "digital asset activities": "DAA",
    "prudential rules for investment firms": "PRU(INV)",
    "authorised market institution rules": "AMI",
    "authorised market institutions rules": "AMI",
    "market rules": "MAR",
    "glossary": "GLO",
    "fees rules": "FEES",
    "financial technology rules": "FINTECH",
    "perimeter guidance": "PERG",
    "representative office rules": "REP",
    "collective investment scheme rules": "CIS",
}

_BOOK = r"PRU\s?\(\s?INV\s?\)|PRU[\s-]?INV|FINTECH|FSFR|GEN|COB|AML|DAA|AMI|MAR|GLO|FEES|PERG|REP|CIS|PIIF|MKT|DABR"
# A number component may carry an inserted-rule letter as ADGM writes it ("9.3.1A", "15.11A.1");
# the letter is upper case even where the pattern is matched case-insensitively.
_SUFFIX = r"(?-i:[A-Z])?"
# An appendix's rule is written with its letter ("PIN A8.2.3", "MKT A1.1.1", as the chunks cite
# them): the lookup "What does PIN A8.2.3 say?" found no reference and answered A8.2.2 (an
# insurer's trial, thirty-third session)
_NUM = rf"(?-i:A)?(?=\d)\d{{1,3}}{_SUFFIX}(?:-\d{{1,2}})?(?:\.\d{{1,3}}{_SUFFIX}(?:-\d{{1,2}})?)*(?:\.-\d{{1,2}})?"
_PARA = r"(?:\((?:\d{1,2}(?:-\d{1,2})?|[a-z]{1,4}(?:-[a-z]{1,4})?)\))"

# an inserted rule's letter typed in lower case inside a dotted rule number ("pru 3.6a.3",
# "15.11a"): the rulebooks write it in capitals, and the lower-case letter ended the number
_TYPED_LETTER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}[A-Za-z]?)*\.\d{1,3})([a-z])(?=\.\d|\(|(?!\w))"
)


def typed_refs(
    query: str,
    indexed: Callable[[str], bool],
    books_with_rule: Callable[[str], set[str]] | None = None,
) -> str:
    """``query`` with a rule number's inserted-rule letter in capitals, as the rulebooks write
    it, where ``indexed`` says a rule of that number is indexed: "pru 3.6a.3" was read as PRU
    3.6 and answered from that part without a word (a citation auditor's trial, twenty-eighth
    session). Only a letter right after a dotted number's digits, followed by another component,
    a paragraph or the number's end; not where no such rule is indexed ("AML 6.1.1a" is 6.1.1,
    "USD 1.5m" no rule: a review). Query text only."""

    def up(m: re.Match[str]) -> str:
        number = m.group(1) + m.group(2).upper()
        more = re.match(r"(?:\.\d{1,3}[A-Za-z]?)+", m.string[m.end() :])
        whole = number + (more.group(0).upper() if more else "")
        return number if indexed(whole) else m.group(0)

    query = _TYPED_LETTER.sub(up, query)

    # a paragraph written after a space ("AML 8.3.1 (2)", "Rule 8.3.1 (3) of AML") is that rule's
    # paragraph, where that rule is indexed: it was read as the rule and its paragraph (1)
    # quoted (a citation auditor's trial, fortieth session)
    # (a review: only a paragraph's label, after a rulebook that holds the rule or the word
    # "Rule" where one does; not "AML 8.3.1 (cdd)", "USD 2.2 (a) million", "version 1.1 (a)")
    def join(m: re.Match[str]) -> str:
        number = m.group("num")
        if m.group("book"):
            held = books_with_rule(number) if books_with_rule is not None else set()
            ok = canonical_book(m.group("book")) in held or m.group("book") in held
        else:
            ok = indexed(number)
        return m.group("ref") + m.group("paras") if ok else m.group(0)

    return _SPACED_PARA.sub(join, query)


_LABEL = r"\((?:\d{1,2}|[a-z]|[ivx]{2,4})\)"
_SPACED_PARA = re.compile(
    r"(?<![\w.])(?P<ref>(?:(?P<book>[A-Z][A-Z()]{1,9})\s+(?:Rule\s+)?|[Rr]ule\s+)"
    r"(?P<num>\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?){1,4}))"
    rf"[ \t]+(?P<paras>{_LABEL}(?:{_LABEL})*)(?=[\s?.,;:!]|$)"
)


# a rule's number asked without its rulebook: "Rule 6.5.3", "rule 8.1.5(2)", or a number of
# three parts or more alone ("What does 6.5.3 say?"), not one written after a code or word
# ("FP 6.5.3", "version 2.1.3") nor a figure ("1.5 million")
_BARE_RULE = re.compile(
    r"(?<![\w.])(?:(?P<word>[Rr]ules?|RULE)\s+)?(?P<num>(?-i:A)?\d{1,3}(?-i:[A-Z])?(?:\.\d{1,3}[A-Z]?){1,4})"
    r"(?P<paras>(?:\([0-9a-z]{1,4}\))*)(?=[\s?.,;:!]|$)(?!\.\d)"
)
_CODE_BEFORE = re.compile(r"(?:\b(?-i:[A-Z][A-Z0-9()]{1,9})|\b(?:version|v|no|number|para|paragraph|section|"
                          r"s|appendix|annex|schedule|part|chapter|table|article|regulation|clause|"
                          r"guidance|form|step|model|pages?|item|note|figure|question|cl|art|reg)"
                          r")\.?\s*$", re.I)  # fmt: skip


def bare_refs(query: str, books_with_rule: Callable[[str], set[str]],
              books: Iterable[str | None] | Callable[[], Iterable[str | None]] = ()) -> str:  # fmt: skip
    """``query`` with a rule's number asked without its rulebook written with the one rulebook
    indexed that holds a rule of that number: "What does Rule 6.5.3 say?" is "What does FP 6.5.3
    say?" where only FP has a rule 6.5.3 (it was answered with FP 3.2.10, silently, an in-house
    counsel's trial, thirty-third session); where two or three do, each one's ("CIB 2.2.2 or PIN
    2.2.2"). Unchanged where none or more hold it, and for a number of two parts without "Rule"
    ("1.5"), a range ("Rules 9.4.4-9.4.5") and where the query names a rulebook anywhere ("Rule
    6.5.3 of GEN", "In the COBS rulebook, ...": a review) of ``books`` (the indexed ones' codes;
    not a topic word of a book not indexed, "AML checks", nor "the ADGM rules", a third review).
    Query text only. ``books`` may be a callable, called only where the query has such a
    number (the catalog's list of rulebooks costs 6 ms over 15,000 chunks)."""
    if not any(
        m.group("word") or m.group("num").count(".") >= 2 for m in _BARE_RULE.finditer(query)
    ):
        return query
    books = list(books() if callable(books) else books)
    query = rule_of_book(query, [*books, *RULEBOOKS])
    if (
        find_refs(query, books=books)
        or re.search(r"\b[A-Z]{2,8}\s+rulebook\b", query)
        or any(re.search(rf"(?<![\w-]){re.escape(b)}(?![\w-])", query) for b in books if b)
        # (an AIFC rulebook named as the rule's: "of GEN", "under GEN", "GEN's")
        or any(
            re.search(
                rf"\b(?i:of|under|in)\s+(?i:the\s+)?{re.escape(b)}\b|\b{re.escape(b)}['’]s\b", query
            )
            for b in RULEBOOKS
        )
    ):
        return query

    def put(m: re.Match[str]) -> str:
        if query[m.start() - 1 : m.start()] in ("-", "–") and m.start() > 0:
            return m.group(0)  # a range's end ("9.4.4-9.4.5"; its start is no match)
        num = m.group("num")
        if not m.group("word") and num.count(".") < 2:
            return m.group(0)
        if not m.group("word") and _CODE_BEFORE.search(query[: m.start()]):
            return m.group(0)
        if m.group("word") and re.search(r"\b[A-Z][A-Z0-9]{1,9}\s*$", query[: m.start()]):
            return m.group(0)  # "FP Rule 6.5.3"
        holders = books_with_rule(num)
        if not holders or len(holders) > 3:
            return m.group(0)
        # (where two or three rulebooks hold it, each one's: "Rule 2.2.2" of CIB and PIN was
        # answered with PIN 2.2.3, which names 2.2.2, a returning consultant's trial)
        # (each with the paragraph asked: "Rule 8.1.5(2)", a third review)
        paras = m.group("paras")
        return " or ".join(f"{book} {num}{paras}" for book in sorted(holders))

    return _BARE_RULE.sub(put, query)


def rule_of_book(query: str, books: Iterable[str | None]) -> str:
    """``query`` with a rule written after its number, "Rule 3.2.2 of PRU" ("of the PRU", "in
    the PRU Rulebook", "under PRU's Rules"), written as the index cites it: "PRU 3.2.2". It was
    read as words (PRU 3.2.1 led, 3.2.2 not in the first three: a rule lookup trial,
    thirty-seventh session). ``books``: rulebook codes, any case as written; one rule only, not
    "Rules 9.4.4 and 9.4.5"."""
    codes = sorted({b for b in books if b}, key=len, reverse=True)
    if not codes:
        return query
    alternation = "|".join(re.escape(c) for c in codes)
    pattern = re.compile(
        r"(?<![\w.])(?i:rule)\s+(?P<num>(?-i:A)?\d{1,3}(?-i:[A-Z])?(?:\.\d{1,3}[A-Z]?){1,4})"
        r"(?P<paras>(?:\([0-9a-z]{1,4}\))*)\s+(?i:of|in|under)\s+(?i:the\s+)?"
        rf"(?P<book>(?i:{alternation}))(?![\w-])(?:['’]s)?"
        r"(?P<word>\s+(?i:rulebook|rules|module))?(?![\w-])"
    )
    by_lower = {c.lower(): c for c in codes}

    def put(m: re.Match[str]) -> str:
        # a code typed in lower case only before its rulebook's word ("of the pru rulebook
        # say?", a second review) or the end ("rule 4.4.7 of pru?"; not "Rule 8.1.1 in the funds
        # regime", a review)
        tail = query[m.end() :]
        if not (
            m.group("book").isupper() or m.group("word") or re.match(r"\s*(?:[?.,;:!)]|$)", tail)
        ):
            return m.group(0)
        return f"{by_lower[m.group('book').lower()]} {m.group('num')}{m.group('paras')}"

    return pattern.sub(put, query)


def section_refs(
    query: str, books: Iterable[str], holds: Callable[[Ref], bool] | None = None
) -> str:
    """``query`` with a section of a statute whose rulebook code is one of ``books`` (a statute
    indexed in sections) written as the index cites it: "CRS 7(2)" and "section 7(2) of the CRS
    Regulations" are "CRS s.7(2)" (both were "not in the indexed rules", a review and a
    paralegal's trial, thirty-second session); so are "s 16 FSMR" and, with one statute indexed
    in sections and no other law named after it, "section 16" and "s.30(2)" (answered from
    other sections, a lawyer's trial on FSMR, thirty-fifth session), where that statute has the
    section (``holds``: "section 95(2)", FSMR's, was read as the one indexed statute's "FATCA
    s.95(2)" and answered from FATCA s.5, a market-conduct lawyer's trial, fortieth session).
    A number with a dot is a rule's, not a section's; query text only."""
    books = list(books)
    for book in books:
        b = re.escape(book)
        query = re.sub(rf"(?<![\w.]){b}\s+(?!s\.)(\d{{1,3}}[A-Z]?)(?![\d.,]\d)(?=\(|[\s?.,;:!]|$)",
                       rf"{book} s.\1", query)  # fmt: skip
        query = re.sub(rf"\bsection\s+(\d{{1,3}}[A-Z]?)((?:\(\w{{1,4}}\))*)\s+of\s+(?:the\s+)?{b}\b",
                       rf"{book} s.\1\2 of the {book}", query, flags=re.I)  # fmt: skip
        query = re.sub(rf"(?<![\w.'’])(?<!{b} ){_SECTION_WORD}(\d{{1,3}}[A-Z]?)((?:\(\w{{1,4}}\))*)\s+(?:of\s+(?:the\s+)?)?{b}\b",
                       rf"{book} s.\1\2", query, flags=re.I)  # fmt: skip
    if len(books) == 1:
        # (only where no other text is named right before or after it: "MKT section 4", "the
        # prospectus section 3", "section 19 FSMA" are not FSMR's, reviews; the question may
        # name other things elsewhere, "Does section 16 apply to a firm outside the ADGM?")
        book = books[0]
        pattern = re.compile(
            rf"(?<![\w.'’])(?<!{re.escape(book)} ){_SECTION_WORD}(\d{{1,3}}[A-Z]?)((?:\(\w{{1,4}}\))*)"
            r"(?![\w.,]*\d)(?!\s+of\b|\s+(?:to|in|under)\s+(?:the\s+)?[A-Z])",
            re.I,
        )

        def put(m: re.Match[str]) -> str:
            before = re.search(r"([\w'’]+)\W*$", query[: m.start()])
            after = re.match(r"\s*([A-Za-z][\w-]*)", query[m.end() :])
            if before and before.group(1).lower() not in _BEFORE_SECTION:
                return m.group(0)
            if (after and re.fullmatch(r"[A-Z]{2,8}", after.group(1)) and after.group(1) != book
                    and not query.isupper()):  # fmt: skip
                return m.group(0)
            if holds is not None and not holds(Ref(book, m.group(1), (), "section")):
                return m.group(0)
            return f"{book} s.{m.group(1)}{m.group(2)}"

        query = pattern.sub(put, query)
    return query


# the words a section the question names with no code may follow: none that names a text
# ("the prospectus section 3", "MKT section 4", "Regs section 16")
_BEFORE_SECTION = frozenset(
    re.findall(
        r"[a-z]+",
        "what does do did is are was in under by to and or see per with from at on for about "
        "that this whether if not also apply applies breach breached contravene contravening "
        "comply complying read its it",
    )
)


# a statute's section written before its number: "section 16", "s.16", "s 16", "sec. 16"
_SECTION_WORD = r"(?:section\s+|sec\.\s?|s\.\s?|s\s+(?=\d))"


_SECTION_OF_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?:section|s\.)\s?(?P<num>\d{{1,3}}(?:-\d{{1,2}})?)(?P<paras>{_PARA}*)\s+of\s+(?:the\s+)?"
    r"(?:AIFC\s+)?(?:Financial\s+Services\s+)?(?:Framework\s+Regulations|FSFR)",
    re.IGNORECASE,
)


def _compile(more: str = "") -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The section, schedule and rule patterns, with ``more`` ("|COBS|FSMR") rulebook codes read
    besides the AIFC's (``own_codes``)."""
    section = re.compile(
        # ("Section" before a rule's dotted number is the rulebook's section, a rule ref: "PRU
        # Section 6.8", "COBS Section 14-1.1"; a review found "PRU s.6" and "PRU s.1" read)
        rf"(?<![A-Za-z0-9])(?P<book>FSFR|FR{more})\s*(?:s\.?\s?|sec\.\s?"
        rf"|section\s+(?!\d{{1,3}}[A-Z]?(?:-\d{{1,2}})?\.\d))"
        rf"(?P<num>\d{{1,3}}(?:-\d{{1,2}})?)(?:\.(?=\())?(?P<paras>{_PARA}*)",
        re.IGNORECASE,
    )
    schedule = re.compile(
        rf"(?<![A-Za-z0-9])(?P<book>{_BOOK}{more})\s*(?:Schedule|Sch\.?)\s*(?P<num>\d{{1,2}})",
        re.IGNORECASE,
    )
    rule = re.compile(
        rf"(?<![A-Za-z0-9])(?P<book>{_BOOK}{more})\s*(?:Rule\s+|Section\s+(?=A?\d{{1,3}}[A-Z]?(?:-\d{{1,2}})?\.\d)"
        # (a chapter by its word: "AML Chapter 11" is AML 11, a search trial, thirty-sixth session)
        rf"|Chapter\s+(?=\d{{1,3}}[A-Z]?(?:-\d{{1,2}})?(?![\w.]*\d)))?"
        # (a dot before the first paragraph, as ADGM's text writes it: "CMC 2.2.(6)", "AML
        # 1.2.1.(2)" was read as the rule alone and its first paragraph quoted, a market-conduct
        # lawyer's trial, fortieth session)
        rf"(?P<num>{_NUM})(?:\.(?=\())?(?P<paras>{_PARA}*)",
        re.IGNORECASE,
    )
    return section, schedule, rule


_SECTION_RE, _SCHEDULE_RE, _RULE_RE = _compile()

_PARA_ITEM_RE = re.compile(r"\(([^()]+)\)")
# A rulebook code of another regime's text, as ``ingest --rulebook`` names it ("COBS", "FSMR"):
# capitals and digits, a letter first
_OWN_CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")


def own_codes(books: Iterable[str | None]) -> tuple[str, ...]:
    """The rulebook codes among ``books`` that are no AIFC rulebook's (nor a name of one), in a
    fixed order: the indexed documents' own codes, which ``find_refs`` reads besides the AIFC's
    ("COBS 14.11.4" in ADGM's conduct rules ingested with ``--rulebook COBS``: its chunks were
    cited so, yet no search or lookup read the code, and "What does COBS 14.11.4 say?" quoted
    another rule, a consultant's trial, twenty-seventh session)."""
    # (a code that is an AIFC rulebook's other name, "MKT" or "PRU", is another regime's own
    # where its text is indexed so: ADGM's Market Rules, given ``--rulebook MKT``, were stored
    # and cited as the AIFC's MAR, a founder's trial, twenty-eighth session)
    out = {b for b in books if b and _OWN_CODE.fullmatch(b)
           and b not in RULEBOOKS and b not in NOT_BOOKS}  # fmt: skip
    return tuple(sorted(out))


def indexed_book(raw: str, indexed: set[str | None]) -> str:
    """The rulebook a user's ``--rulebook`` name selects among the ``indexed`` codes: an indexed
    regime's own code written exactly as the index has it ("PRU", "MKT"), or written otherwise
    where no AIFC rulebook of that name is indexed; else the AIFC rulebook it names ("pru" is
    PRU(INV) where both are indexed: a review, twenty-eighth session)."""
    aifc = canonical_book(raw)
    own = own_book(raw)
    if own in indexed and (raw.strip() == own or aifc not in indexed):
        return own  # (the code as the index writes it selects itself: a third review)
    return aifc


def own_book(raw: str) -> str:
    """A rulebook code of another regime's text as stored: written in capitals, never mapped to
    an AIFC code ("MKT" stays ADGM's "MKT"; ``canonical_book`` maps it to the AIFC's MAR)."""
    key = re.sub(r"[\s\-]", "", raw.upper())
    return key if _OWN_CODE.fullmatch(key) else canonical_book(raw)


@functools.lru_cache(maxsize=64)
def _patterns(extra: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The section, schedule and rule patterns with the ``extra`` rulebook codes read too."""
    if not extra:
        return _SECTION_RE, _SCHEDULE_RE, _RULE_RE
    return _compile("".join("|" + re.escape(b) for b in extra))


def canonical_book(raw: str) -> str:
    """Map a written rulebook name (any case, aliases, spacing) to its AIFC abbreviation."""
    key = re.sub(r"[\s\-()]", "", raw.upper())
    if key in ("PRUINV",):
        return "PRU(INV)"
    if key in BOOK_ALIASES:
        return BOOK_ALIASES[key]
    return key


def _clean_number(num: str) -> str:
    return num.replace(".-", "-").rstrip(".")


@dataclass(frozen=True, order=True)
class Ref:
    """A parsed rule reference. ``str(ref)`` is its canonical citation form."""

    book: str
    number: str
    paras: tuple[str, ...] = ()
    kind: str = field(default="rule")  # rule | section | schedule

    def __str__(self) -> str:
        paras = "".join(f"({p})" for p in self.paras)
        if self.kind == "section":
            return f"{self.book} s.{self.number}{paras}"
        if self.kind == "schedule":
            return f"{self.book} Sch {self.number}"
        return f"{self.book} {self.number}{paras}"

    @property
    def base(self) -> Ref:
        """The rule itself, without paragraph labels."""
        return Ref(self.book, self.number, (), self.kind)

    def contains(self, other: Ref) -> bool:
        """True when ``other`` is this ref or lies inside it (a paragraph, a sub-rule, a rule of a chapter)."""
        if (self.book, self.kind) != (other.book, other.kind):
            return False
        if other.number == self.number:
            return other.paras[: len(self.paras)] == self.paras
        return not self.paras and other.number.startswith(self.number + ".")


def _paras(raw: str) -> tuple[str, ...]:
    return tuple(p.strip().lower() for p in _PARA_ITEM_RE.findall(raw or ""))


def find_refs(
    text: str, *, strict_case: bool = False, books: Iterable[str | None] = ()
) -> list[Ref]:
    """All rule references in ``text``, in order of appearance, without duplicates. ``books``: the
    indexed documents' rulebook codes, whose own codes (``own_codes``) are read besides the
    AIFC's.

    With ``strict_case`` only upper-case rulebook names count (document text); otherwise a
    lower-case name counts when its number has a dot or hyphen (queries such as ``aml 13.1.3``),
    so that "Mar 5" as a date is not read as MAR 5.
    """
    found: list[tuple[int, Ref]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    own = own_codes(books)

    def book_of(written: str) -> str:
        # an indexed document's own code is its own, before any AIFC name it resembles
        key = re.sub(r"[\s\-()]", "", written.upper())
        return key if key in own else canonical_book(written)

    def accept_book(m: re.Match[str], num: str) -> bool:
        written = m.group("book")
        if written.isupper():
            return True
        # a document's own code in lower case is read only before a rule's number of three
        # parts ("cobs 3.4.2"): "funds 1.5 times" is no FUNDS rule (a review, twenty-seventh
        # session, with ADGM's FUNDS indexed)
        if written.upper() in own and canonical_book(written) not in RULEBOOKS:
            return not strict_case and num.count(".") >= 2
        return not strict_case and ("." in num or "-" in num)

    for m in _SECTION_OF_RE.finditer(text):
        found.append((m.start(), Ref("FSFR", m.group("num"), _paras(m.group("paras")), "section")))
        taken.append(m.span())
    section_re, schedule_re, rule_re = _patterns(own)
    for m in section_re.finditer(text):
        if free(m) and accept_book(m, "."):
            book = book_of(m.group("book"))
            found.append(
                (m.start(), Ref(book, m.group("num"), _paras(m.group("paras")), "section"))
            )
            taken.append(m.span())
    for m in schedule_re.finditer(text):
        if free(m) and accept_book(m, "."):
            found.append((m.start(), Ref(book_of(m.group("book")), m.group("num"), (), "schedule")))
            taken.append(m.span())
    for m in rule_re.finditer(text):
        if not free(m):
            continue
        num = _clean_number(m.group("num"))
        if not accept_book(m, num):
            continue
        book = book_of(m.group("book"))
        if book == "FSFR" and re.search(r"section|chapter", m.group(0), re.I):
            continue  # (a statute's sections are not numbered so: "FSFR Section 2.1.1")
        kind = "section" if book == "FSFR" else "rule"
        found.append((m.start(), Ref(book, num, _paras(m.group("paras")), kind)))
        taken.append(m.span())
    found.sort(key=lambda item: item[0])
    seen: set[Ref] = set()
    out: list[Ref] = []
    for _, ref in found:
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return out


def parse_ref(text: str, books: Iterable[str | None] = ()) -> Ref | None:
    """The first reference in ``text``, or None (``books`` as for ``find_refs``)."""
    refs = find_refs(text, books=books)
    return refs[0] if refs else None


# A rule number opening a line of rulebook text: "6.1.1 Title", "6.1.1. A Relevant Person must",
# "AML 11-1.1 Digital asset transfer", "3.1-1 Application", and with a paragraph as ADGM's text
# writes it, "3.2.3.(1) An Authorised Person must" (its rule was left in the rule before it, a
# review, twenty-seventh session). At least one dot keeps "2 years" out.
_HEADING_RE = re.compile(
    rf"^\s*(?:(?P<book>{_BOOK})\s+)?(?P<num>(?:A(?=\d))?\d{{1,3}}[A-Z]?(?:-\d{{1,2}})?(?:\.\d{{1,3}}[A-Z]?(?:-\d{{1,2}})?)+(?:\.-\d{{1,2}})?)(?:\.(?=\())?(?P<paras>{_PARA}*)\.?(?:\s+(?P<title>\S.*))?$"
)
# A statute's section heading: "24. General Prohibition", and a title of two parts ("4. Specific
# rule making powers. Client Money Rules", "54. Listing. Discontinuance or Suspension: procedure"),
# not a numbered sentence ("3. The Regulator may ...": ``_SENTENCE_WORDS``).
_SECTION_HEADING_RE = re.compile(
    r"^\s*(?:Section\s+)?(?P<num>\d{1,3}[A-Z]?(?:-\d{1,2})?)\.\s+(?P<title>[A-Z][^;]{2,200}?)\.?$"
)
_SENTENCE_WORDS = re.compile(r"\b(?:must|shall|may|will|is|are|has|have|does|do)\b")
# The rulebooks that are statutes, numbered in sections across their Parts and Chapters; and a
# document whose title names it a statute ("FINANCIAL SERVICES AND MARKETS REGULATIONS 2015", with
# ``--rulebook FSMR``), not rules or guidance
STATUTES = frozenset({"FSFR"})
_STATUTE_TITLE = re.compile(r"\b(?:regulations|law|act)\b", re.I)
_NOT_STATUTE_TITLE = re.compile(
    r"\b(?:rules?|rulebook|guidance|guide|manual|notes?|handbook|faqs?|frequently|questions?|q\s?&\s?a|"
    r"consultation|code|policy|policies|schedules?|explanatory|summary|overview)\b",
    re.I,
)


def is_statute(book: str | None, title: str = "") -> bool:
    """Whether a document of rulebook ``book`` titled ``title`` is a statute (sections)."""
    return bool(book) and (
        book in STATUTES
        or (bool(_STATUTE_TITLE.search(title)) and not _NOT_STATUTE_TITLE.search(title))
    )


# "SCHEDULE 1 FEES", and with its rulebook's name before it ("DAA Schedule 1 Fees", which a PDF
# rulebook's schedule heading left glued to the last rule before it, a consultant's trial)
_SCHEDULE_HEADING_RE = re.compile(
    rf"^\s*(?:(?P<book>{_BOOK})\s+)?SCHEDULE\s+(?P<num>\d{{1,2}})\b(?P<title>.*)$", re.IGNORECASE
)
_CHAPTER_RE = re.compile(
    r"^\s*(?:(?:CHAPTER|PART|APP(?:ENDIX)?)\s*(?P<num>\d{1,3}(?:-\d{1,2})?)\b.*|(?P<num2>\d{1,3}(?:-\d{1,2})?)\.?\s+(?P<caps>[A-Z][A-Z0-9 ,&()'/:.–—-]{3,}))$"
)


# Centres and regulators named in a title's brackets: "GENERAL RULES (AIFC)" names no rulebook.
# the Part's or the appendix's number an ADGM export writes before a rule's number ("PART
# 5.12.10.1", "APP4.A4.3.25", "APP 1.A1.1.2"): no part of the rule's number
NUMBER_PREFIX = r"(?:PART[ \t]*\d{1,2}\.|APP[ \t]?\d{1,2}\.)"
NOT_BOOKS = frozenset({"AIFC", "AFSA", "ADGM", "FSRA", "DIFC", "DFSA", "UAE", "FCA"})
_TITLE_ABBR_RE = re.compile(
    r"^[^\n]*\b(?:RULES|RULEBOOK|RULE\s+BOOK|REGULATIONS)\b[^\n()]{0,80}\((?P<abbr>(?-i:[A-Z][A-Z&]{1,7}))\)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Heading:
    """A structural line found in rulebook text."""

    kind: str  # rule | section | schedule | chapter
    ref: Ref | None
    title: str


def match_heading(line: str, book: str | None, statute: bool | None = None) -> Heading | None:
    """Recognise a rule, section, schedule or chapter heading at the start of a line; in a
    statute (``statute``; by default, ``book`` is one of ``STATUTES``) "24. Title" too."""
    # (only a line's start is read: a PDF paragraph joined from its printed lines is one long
    # line that opens with its rule number)
    stripped = line.strip()[:400]
    if not stripped:
        return None
    # the document's own rulebook code written before the number where it is no AIFC code ("COBS
    # 15.9.4 Review" in ADGM's conduct rules ingested with --rulebook COBS: the heading opened no
    # rule, a consultant's trial, twenty-sixth session)
    if book and not re.fullmatch(_BOOK, book) and re.match(rf"{re.escape(book)}\s+\d", stripped):
        stripped = stripped[len(book) :].lstrip()
    m = _SCHEDULE_HEADING_RE.match(stripped)
    if m and (book or m.group("book")):
        sb = canonical_book(m.group("book")) if m.group("book") else book
        return Heading("schedule", Ref(sb or "", m.group("num"), (), "schedule"), stripped)
    m = _CHAPTER_RE.match(stripped)
    if m and len(stripped) < 120:
        return Heading("chapter", None, stripped)
    m = _HEADING_RE.match(stripped)
    if m:
        written = m.group("book")
        rb = canonical_book(written) if written else book
        if rb is None:
            return None
        num = _clean_number(m.group("num"))
        kind = "section" if rb == "FSFR" else "rule"
        # "3.2.3.(1) An Authorised Person must": ADGM's rule with its first paragraph, which opens
        # the rule (a paragraph label glued to a number, "1.2.1(2). The", is a wrapped reference)
        dotted = stripped[m.end("num") : m.end("num") + 2] == ".("
        paras = () if dotted else _paras(m.group("paras"))
        return Heading("rule", Ref(rb, num, paras, kind), (m.group("title") or "").strip())
    if book and (statute if statute is not None else book in STATUTES):
        m = _SECTION_HEADING_RE.match(stripped)
        if m and not _SENTENCE_WORDS.search(m.group("title")):
            return Heading(
                "rule", Ref(book, m.group("num"), (), "section"), m.group("title").strip()
            )
    return None


# a file name that opens with a rulebook's code: "MIR_VER07.181223.txt", "COBS 2023.pdf"
_NAME_CODE = re.compile(r"([A-Z][A-Z0-9]{1,7})(?:[\s_.\-]|$)")
_NAME_GUIDANCE = re.compile(r"[\s_.\-]*(?:supplementary\s+)?(?:guidance|guide|note)\b", re.I)


def detect_rulebook(name: str, title: str, text: str, foreign: bool = False) -> str | None:
    """Guess a document's rulebook from its title, file name, or the refs it cites most. Of
    another regime's text (``foreign``) only the code the document gives itself: its title's
    "(COBS)", or a file name opening with a code in capitals ("MIR_VER07.181223.txt"); never an
    AIFC rulebook its title or citations resemble (ADGM's MIR was stored as the AIFC's GEN, its
    MKT as MAR, and their rules cited so, a founder's trial, twenty-eighth session)."""
    head = f"{title}\n{text[:3000]}"
    if foreign:
        m = _TITLE_ABBR_RE.search(head[:600])
        if m and m.group("abbr") not in NOT_BOOKS:
            return own_book(m.group("abbr"))
        m = _NAME_CODE.match(name)
        # (not a guidance note's subject or author: "API - Guidance Note ...", "SFWG_Guidance on
        # Principles ..." were listed as rulebooks "API" and "SFWG", a fintech founder's trial,
        # thirty-second session)
        if m and m.group(1) not in NOT_BOOKS and not _NAME_GUIDANCE.match(name, m.end()):
            return own_book(m.group(1))
        return None
    # "CONDUCT OF BUSINESS RULEBOOK (COBS)": a rulebook's own title with its abbreviation.
    m = _TITLE_ABBR_RE.search(head[:600])
    if m and m.group("abbr") not in NOT_BOOKS:
        return canonical_book(m.group("abbr"))
    lowered = head.lower()
    for phrase, book in BOOK_TITLES.items():
        if phrase in lowered[:600]:
            return book
    stem_tokens = re.split(r"[^A-Za-z()]+", name.upper())
    for tok in stem_tokens:
        if tok and canonical_book(tok) in RULEBOOKS:
            return canonical_book(tok)
    counts: dict[str, int] = {}
    for ref in find_refs(text[:50000], strict_case=True):
        counts[ref.book] = counts.get(ref.book, 0) + 1
    if counts:
        best, n = max(counts.items(), key=lambda kv: kv[1])
        if n >= 3:
            return best
    return None


_MARKER_RE = re.compile(r"\((?P<label>\d{1,2}(?:-\d{1,2})?|[a-z]{1,4}(?:-[a-z]{1,4})?)\)")
# a rule's number (and paragraphs) written right before a marker ("Under DAA 3.1-1(3), ...",
# "7.1.1.(2)", "1.2.1 (1)"): a number with a separator, so that a figure ("USD 5,000. (d)") or a
# page label ("Page 12 (1)") is none; on the marker's own line
_BEFORE_MARKER = re.compile(
    r"(?:(?P<num>\d{1,3}[A-Z]?(?:[.-]\d{1,3}[A-Z]?)+\.?)[ \t]?)?(?P<paras>(?:\([^()\s]{1,9}\))*)\Z"
)
# where a paragraph starts: a line's start or the end of a sentence or list item
_STARTS_AFTER = re.compile(r"(?:\A|\n|[.:;])[ \t]*\Z")
# where the rule's own number stands when it opens a paragraph ("7.1.1.(2)" at a line's start,
# "Under DAA 3.1-1(3), ..." after a stop), not when it is cited ("pursuant to Rule 3.10.17(1)")
_NUMBER_OPENS = re.compile(
    r"(?:\A|\n|[.:;])[ \t]*(?:Under[ \t]+)?(?:[A-Z][A-Za-z()]{1,9}[ \t]+)?\Z"
)


# "AML 14.3.5 Guidance 3", "Guidance note 3 under AML 14.3.5", "14.3.5.Guidance.3" (ADGM's
# PassageID form): a numbered paragraph of a rule's Guidance
_GUIDANCE_NAMED = re.compile(
    r"\bGuidance(?:[ \t]+(?:notes?|para(?:graph)?s?\.?|no\.?))?[ \t]*\.?[ \t]*(?P<n>\d{1,3})(?![\d.]*\d)",
    re.I,
)


def named_guidance(query: str, books: Iterable[str | None] = ()) -> list[tuple[Ref, int]]:
    """The numbered Guidance paragraphs ``query`` names, each with its rule: the rule named
    before "Guidance N" ("AML 14.3.5 Guidance 3"), else the next one after it ("Guidance 3
    under AML 14.3.5"). "AML 14.3.5 Guidance 3" was answered from the rule and the Guidance's
    second paragraph (guidance paragraph numbers were not read, a citation auditor's trial,
    twenty-eighth session)."""
    spans = []
    for r in find_refs(query, books=books):
        m = re.search(rf"(?<![\w.]){re.escape(r.number)}(?!\w)", query)
        if m is not None and r.kind == "rule" and not r.paras:
            spans.append((m.start(), m.end(), r))
    out: list[tuple[Ref, int]] = []
    for g in _GUIDANCE_NAMED.finditer(query):
        # the rule right before it ("AML 14.3.5 Guidance 3", "AML 14.3.5's Guidance 3"), or
        # right after it through a preposition ("Guidance 3 under AML 14.3.5"); not a rule
        # further off ("FIU Guidance 12 of 2023 ... AML 14.3.5", a review)
        before = [x for x in spans if x[1] <= g.start()
                  and re.fullmatch(r"[ \t,.]*(?:'s[ \t]*)?", query[x[1] : g.start()])]  # fmt: skip
        after = [x for x in spans if x[0] >= g.end() and re.fullmatch(
            rf"[ \t]+(?:under|to|of|in|for|on|after)[ \t]+(?:Rule[ \t]+)?(?:{re.escape(x[2].book)}[ \t]*)?",
            query[g.end() : x[0]], re.I)]  # fmt: skip
        pick = before[-1] if before else after[0] if after else None
        if pick is not None:
            out.append((pick[2], int(g.group("n"))))
    return list(dict.fromkeys(out))


# "the Guidance under AML 11-1.2", "Guidance to GEN 7.2.4", "AML 11-1.2's Guidance": a rule's
# Guidance asked for, no paragraph named
# (only as what is asked for: "the Guidance under ...", or "... Guidance" closing the question
# or before "say": "Under AML 14.3.5 guidance is also given" or "Is AML 14.3.5 guidance or a
# rule?" ask for the rule, a review)
_GUIDANCE_OF = re.compile(
    r"\bthe[ \t]+Guidance[ \t]+(?:under|to|on|for|after|of|in)[ \t]+(?:Rule[ \t]+)?", re.I
)
# the verbs a question asks what a text says with ("What does AML 13.1.2 say / require?")
TEXT_VERBS = "say|says|require|requires|provide|provides|state|states|cover|covers"
# a question asking what a rule says ("What does GPM 7.16.4 say?", "What do AML 8.3.2 and 8.3.3
# require?")
SAYS_RULE = re.compile(rf"^\s*what\s+(?:does|do)\b.*\b(?:{TEXT_VERBS})\s*\??\s*$", re.I)
_GUIDANCE_AFTER = re.compile(
    rf"\A(?:'s)?[ \t]+Guidance[ \t]*(?:\?|\Z|(?=[ \t]+(?:{TEXT_VERBS}|mean|means)\b))", re.I
)


def asked_guidance(query: str, books: Iterable[str | None] = ()) -> list[Ref]:
    """The rules whose Guidance ``query`` asks for without naming a paragraph of it ("What does
    the Guidance under AML 11-1.2 say ...?", "GEN 7.2.4 Guidance"): each was answered from the
    rule alone, its Guidance never cited (a founder's and a PDF user's trials, twenty-ninth
    session)."""
    out: list[Ref] = []
    for r in find_refs(query, books=books):
        if r.kind != "rule" or r.paras:
            continue
        for m in re.finditer(rf"(?<![\w.]){re.escape(r.number)}(?!\w)", query):
            head = query[: m.start()]
            written = re.search(rf"(?:{re.escape(r.book)}[ \t]*)?\Z", head, re.I)
            before = head[: written.start()] if written else head
            if (any(g.end() == len(before) for g in _GUIDANCE_OF.finditer(before))
                    or _GUIDANCE_AFTER.match(query[m.end() :])):  # fmt: skip
                out.append(r)
                break
    return list(dict.fromkeys(out))


def guidance_paragraph_at(text: str, number: str, n: int, bare: bool = True) -> int | None:
    """Where the text of paragraph ``n`` of rule ``number``'s Guidance starts in ``text`` (a
    chunk of that Guidance), after its label: a line opening with "n." or, as ADGM numbers it,
    "14.3.5.Guidance.n."; None when the text has no such line."""
    # ADGM's labels: "14.3.5.Guidance.3.", "3.3.3.Guidance.2" (no closing dot), a titled
    # section's "8.3.6.Guidance on verification of ... Owners.2."; a plain "3." only where a
    # space follows (the rule's own "8.1.1.Guidance" read as paragraph 8, a review)
    # ("3.1.1.(5).Guidance.2.": a paragraph's Guidance, a review; ``bare``: a plain "3. " counts,
    # in a chunk flagged as Guidance only)
    # (FUNDS writes each rule's Part before its number: "PART 1.1.1.3.Guidance.2 These Rules
    # also apply ...", said absent, a rule lookup trial, thirty-seventh session)
    # (and PRU its appendix's before an appendix rule's, "APP4.A4.1.Guidance.7.")
    num = NUMBER_PREFIX + "?" + re.escape(number)
    plain = rf"|{n}\." if bare else ""
    m = re.search(rf"(?m)^[ \t]*(?:{num}(?:\.?\(\w{{1,4}}\))*\.?[ \t]*Guidance(?:[ \t][^\n]{{0,150}}?)?\.?"
                  rf"[ \t]*{n}\.?{plain})[ \t]+(?=\S)", text)  # fmt: skip
    return m.end() if m else None


def quoted_paragraph(ref: str | None, book: str | None, text: str, a: int, b: int) -> str | None:
    """The paragraph of rule ``ref`` that the quote ``text[a:b]`` lies in, as a citation
    ("CMC 2.2(6)"), where the text writes its paragraphs with the rule's number, as ADGM's does
    ("2.2.(6) General factors. ...", "1.2.1.(2) In respect of ..."), one such line opens at or
    before the quote and none inside it; None otherwise (the rule is cited). A section of twelve
    paragraphs was cited "CMC 2.2" for each of them, which a lawyer could not place (a
    market-conduct lawyer's trial, fortieth session)."""
    r = parse_ref(ref or "", books=(book,))
    if r is None or r.paras or r.kind != "rule":
        return None
    # (and a paragraph written by its label alone at a line's start, "(6) ..." after "4.1.1.(5)
    # ...", or opening a passage cut from its rule: cited as the rule, a citation auditor's
    # trial, fortieth session)
    # (a bare label only in sequence after the last paragraph, or opening the passage: a list
    # numbered "(1)", "(2)" inside item (b) of paragraph (3) and a table's rows "(1) | ..." are
    # no paragraphs, a review)
    either = _paragraph_or_label(r.number)
    paragraphs: list[tuple[int, str]] = []
    for m in either.finditer(text):
        if m.group(1):
            paragraphs.append((m.start(), m.group(1)))
            continue
        before = paragraphs[-1][1] if paragraphs else None
        if (before is None and not text[: m.start()].strip()) or (
            before is not None and before.isdigit() and int(m.group(2)) == int(before) + 1
        ):
            paragraphs.append((m.start(), m.group(2)))
    opened = [label for at, label in paragraphs if at <= a]
    if not opened or any(a < at < b for at, _ in paragraphs):
        return None
    label = opened[-1]
    # (the rule as the passage cites it, its paragraph after: "MKT 9.7.4" of a passage with no
    # rulebook was read as the AIFC's MAR)
    return f"{(ref or '').strip()}({label.lower()})"


@functools.lru_cache(maxsize=256)
def _paragraph_line(number: str) -> re.Pattern[str]:
    """A line opening with rule ``number``'s paragraph as ADGM writes it ("2.2.(6) ...")."""
    return re.compile(rf"(?m)^[ \t]*{NUMBER_PREFIX}?{re.escape(number)}\.?\((\w{{1,4}})\)")


@functools.lru_cache(maxsize=256)
def _paragraph_or_label(number: str) -> re.Pattern[str]:
    """``_paragraph_line``, or a bare digit label opening a line ("(6) ..."; not a table's row)."""
    line = _paragraph_line(number).pattern
    return re.compile(rf"{line}|^[ \t]*\((\d{{1,2}})\)[ \t]+(?![ \t|])", re.M)


def next_paragraph_line(text: str, number: str, start: int) -> int | None:
    """Where the next line after ``start`` opens with another paragraph of rule ``number``
    written with its number ("2.2.(7) ..."), or None: where a paragraph looked up ends."""
    m = _paragraph_line(number).search(text, start + 1)
    return m.start() if m else None


def paragraph_at(
    text: str, number: str, paras: tuple[str, ...], strict: bool = False
) -> int | None:
    """Where the paragraph ``paras`` of rule ``number`` starts in that rule's ``text``: each label
    in turn ("(3)", then "(d)" after it), never one after another rule's number ("under AML
    8.2.1(c)"). A sub-paragraph is looked for up to the next marker of its parent's kind (digits,
    letters, roman numerals) that opens a paragraph (at a line's start, after a stop, colon or
    semicolon, or after the rule's own number there: "7.1.1.(2)", "Under DAA 3.1-1(3)"); a
    cross-reference ("Subject to (2)", "pursuant to Rule 3.10.17(1)") ends none. Found leniently
    and bounded strictly, so that a paragraph the text has is not reported missing (a review,
    twentieth session). None when the text has no such paragraph (a question about "AML
    6.1.1(c)" where AML 6.1.1 has none was answered from AML 6.1.1 as a whole, a citation
    auditor's trial, twentieth session). ``paras`` empty: 0. ``strict``: only where a marker
    opens a paragraph (a cross-reference's "(2)" in another chunk of a long section is none)."""
    pos, start, end = 0, 0, len(text)
    for label in paras:
        marks = [
            m for m in _MARKER_RE.finditer(text, pos, end) if m.group("label").lower() == label
        ]
        # where it opens a paragraph, else anywhere not after another rule's number
        m = next((m for m in marks if _opens(text, m, number)), None) or (
            None if strict else next((m for m in marks if _own(text, m, number)), None)
        )
        if m is None:
            return None
        start, pos = m.start(), m.end()
        kind = _label_kind(label)
        end = next((n.start() for n in _MARKER_RE.finditer(text, pos, end)
                    if _label_kind(n.group("label").lower()) == kind
                    and n.group("label").lower() != label and _opens(text, n, number)), end)  # fmt: skip
    return start


def _label_kind(label: str) -> str:
    if label[0].isdigit():
        return "digit"
    return "roman" if re.fullmatch(r"(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)", label) else "alpha"


# (and a statute's "Part 3.7.(2)", "Part 2.Chapter 1.16.(1)": section 7's and 16's paragraphs,
# reported missing, a statute lawyer's trial on ADGM's FSMR, thirty-second session)
_PART_BEFORE = re.compile(
    r"(?:\A|\n)[ \t]*(?:PART|(?P<statute>Part))[ \t]+(?:\d{1,3}\.[\u200e\u200f]*(?:Chapter|Part)[ \t]+)*\Z"
)


def _before(text: str, m: re.Match[str]) -> tuple[str | None, int]:
    """The rule number written right before marker ``m`` (or None), and where it (or the chain of
    paragraph labels before the marker) starts."""
    lo = max(0, m.start() - 40)
    b = _BEFORE_MARKER.search(text, lo, m.start())
    if b is None:
        return None, m.start()
    num, at = b.group("num"), b.start()
    # a Part's number written before the rule's ("PART 5.16.3.4.(2) ..." is rule 16.3.4's
    # paragraph (2), an export of ADGM's FUNDS: it was reported missing, a citation auditor's
    # trial, twenty-eighth session)
    part = _PART_BEFORE.search(text, max(0, at - 40), at)
    if num and part is not None and "." in num:
        first, rest = num.split(".", 1)
        if first.isdigit() and "." in rest.rstrip("."):
            # (in mixed case too: "Part 5.16.3.4.(2)" is rule 16.3.4's, a review; a statute's
            # "Part 4.18.19." is read as section 19 by ``_same``)
            return rest, at + len(first) + 1
        if first.isdigit() and part.group("statute") and rest.strip("."):
            return rest, at + len(first) + 1  # a statute's section: "Part 3.7." is section 7
    return num, at


def _same(num: str, number: str) -> bool:
    """Whether ``num``, a number written before a marker, is rule ``number``'s: itself, or a
    statute's section after the numbers ADGM's export writes before it ("18.19" for section 19
    in "Part 4.18.19.", a review), where ``number`` is a section's (no dot)."""
    n = _clean_number(num.rstrip("."))
    return n == number or ("." not in number and n.split(".")[-1] == number)


def _own(text: str, m: re.Match[str], number: str) -> bool:
    """Whether the marker ``m`` may be one of rule ``number``'s: not after another rule's number."""
    num, _ = _before(text, m)
    return not num or _same(num, number)


def _opens(text: str, m: re.Match[str], number: str) -> bool:
    """Whether the marker ``m`` opens a paragraph of rule ``number`` (``paragraph_at``)."""
    num, at = _before(text, m)
    lead = text[max(0, at - 60) : at]
    if num:
        return _same(num, number) and bool(_NUMBER_OPENS.search(lead))
    return bool(_STARTS_AFTER.search(lead))


def strip_refs(text: str, books: Iterable[str | None] = ()) -> str:
    """``text`` with every rule reference written in it replaced by a space ("What does FSFR
    s.32(4) say?" -> "What does   say?"), for reading what else a question asks; ``books`` as
    for ``find_refs`` ("MIR 2.14.9" of ADGM's MIR, a citation auditor's trial, twenty-eighth
    session: it was read as words, so a lookup of a rule that does not exist was answered)."""
    section_re, schedule_re, rule_re = _patterns(own_codes(books))
    for pattern in (_SECTION_OF_RE, section_re, schedule_re, rule_re):
        text = pattern.sub(" ", text)
    return text
