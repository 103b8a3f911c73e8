"""Who a quoted rule applies to. Rulebooks say it once, in a scope provision of the rule, its
section or its chapter ("9.3.1 This Section applies to an Authorised Person in Category 1 or
5."; "The Rules in this section do not apply where the Authorised Person: ... (b) undertakes an
Execution-Only Transaction"; "Rules 3.3.13, 3.3.14 and 3.3.15 do not apply to a Fund Manager of
a Venture Capital Fund."), and the rules under it never repeat it. An answer that quotes PRU
9.3.4's "must maintain an LCR of at least 100%" to "Does a Category 3C firm have to maintain an
LCR?" reads as Yes unless the scope is shown (a consultant's yes/no trial on ADGM's PRU,
thirty-sixth session). So a note quotes, verbatim, the most specific scope provision that
limits who the quoted rule binds.

Where they are looked for: the rule's own passages, its section's, and its chapter's first
section, where rulebooks state a chapter's application ("4.1.1 This Chapter applies ...",
"15.1.2 This chapter does not apply to Fund Managers ...")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.model import Chunk
from ingest.refs import Ref, parse_ref

_NUMBER = r"\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)*"
# the gap before a number: ADGM's text sets an invisible left-to-right mark there ("Rule \u200e4.7"),
# which hid GEN 4.1.1's "Rule 4.7 applies to the Regulator." (a review)
_GAP = r"[\s\u200e]+"
_PARAS = r"(?:\(\w{1,4}\))*"  # a paragraph named after it: "Rule 9.2.2(3) only applies to ..."
# a sentence saying what a rule, section or chapter applies to: "This Section applies to ...",
# "This Chapter does not apply to ...", "The Rules in this section do not apply where ...",
# "Chapter 19 of these Rules applies to ...", "Rules 3.3.13, 3.3.14 and 3.3.15 do not apply to"
_SCOPE = re.compile(
    r"(?:(?:This|The\s+Rules\s+in\s+this)\s+(?P<unit>(?i:rule|section|part|chapter))\b"
    rf"|(?P<named>Chapter|Sections?|Part|Rules?){_GAP}"
    rf"(?P<nums>{_NUMBER}{_PARAS}(?:(?:,{_GAP}|,|{_GAP}and{_GAP}|{_GAP}to{_GAP}){_NUMBER}{_PARAS})*)"
    r"(?:\s+of\s+th(?:ese|is)\s+(?:Rules|Rulebook))?)"
    r"\s+(?:only\s+)?(?:applies|apply|does\s+not\s+apply|do\s+not\s+apply)\b"
)
# what may stand before it on its line: nothing, or the provision's number or label ("9.3.1",
# "3.1.1.(5)", "(4)"); a guidance paragraph's ("11.Introduction.Guidance.1.") binds no one
_LABEL = re.compile(r"\s*(?:[\w.()\-]+[ \t]*)?")
# a scope that limits nothing ("This Chapter applies to an Authorised Person in any Category")
_EVERY = re.compile(r"\b(?:any|every|all)\b", re.I)
_LIMITS = re.compile(r"\b(?:only|except|not|unless|other\s+than|where|if)\b", re.I)
_SECTIONS = re.compile(rf"\bSections?\s+({_NUMBER})(?:\s+(to|and)\s+({_NUMBER}))?")
_END = re.compile(r"[.](?=\s|$)|;(?=[ \t]*(?:or|and)?[ \t]*(?:\n|$))")  # (an item's end too)
_REACH = 700  # the longest scope quoted, in characters (as a citation's quote)


@dataclass(frozen=True)
class Scope:
    unit: str  # rule | section | part | chapter
    start: int
    end: int
    numbers: tuple[str, ...]  # the units it names by number ("19"; "3.3.13", "3.3.14"), or none
    ranges: tuple[tuple[str, str], ...] = ()  # and from one to another ("Sections 6.1 to 6.9")


def scope_sentences(text: str) -> list[Scope]:
    """The scope sentences ``text`` holds, each opening its line (after a label at most), with
    the items of a list it opens where they fit in ``_REACH`` characters."""
    out: list[Scope] = []
    for m in _SCOPE.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if not _LABEL.fullmatch(line) or "Guidance" in line:
            continue
        named = m.group("named")
        if named and named.lower().startswith("rule") and not m.group("nums"):
            continue
        end_m = _END.search(text, m.end())
        end = end_m.start() if end_m else len(text) - 1
        colon = text.find(":", m.end())
        if colon != -1 and colon < end:  # it opens a list: up to its last item
            tail = re.search(r"[.]\s*(?:\n|$)", text[colon:])
            end = colon + tail.start() if tail else len(text) - 1
        unit = (m.group("unit") or named).lower().rstrip("s")
        nums = re.sub(r"\(\w{1,4}\)", "", m.group("nums") or "")  # (its paragraphs: not numbers)
        numbers = tuple(re.findall(_NUMBER, nums))
        ranges = tuple(re.findall(rf"({_NUMBER}){_PARAS}{_GAP}to{_GAP}({_NUMBER})", nums))
        out.append(Scope(unit, m.start(), end + 1, numbers, ranges))
    return out


def _covers(scope: Scope, own: Ref, rule: Ref) -> bool:
    """Whether ``scope``, in the passage of rule ``own``, is about rule ``rule``."""
    mine = own.number.split(".")
    theirs = rule.number.split(".")
    if scope.numbers:  # "Rules 3.3.13 and 3.3.14", "Chapter 19", "Sections 6.1 to 6.9"
        if any(theirs[: len(n.split("."))] == n.split(".") for n in scope.numbers):
            return True
        return any(_within(rule.number, a, b) for a, b in scope.ranges)
    if scope.unit == "rule":
        return mine[:3] == theirs[:3] and len(theirs) >= 3
    if scope.unit in ("section", "part"):
        return len(mine) >= 2 and mine[:2] == theirs[:2]
    return mine[:1] == theirs[:1]


def _level(scope: Scope) -> int:
    """How specific a scope is: a rule's 0, a section's 1, a chapter's 2 (one named by number
    by its number's parts: "Rule 7.3" is a section's, "Rules 3.3.13 and 3.3.14" rules')."""
    if scope.numbers:
        return max(0, 2 - min(n.count(".") for n in scope.numbers))
    return {"rule": 0, "section": 1, "part": 1}.get(scope.unit, 2)


def _key(number: str) -> tuple[int, ...] | None:
    return (
        tuple(int(x) for x in number.split(".")) if re.fullmatch(r"\d+(?:\.\d+)*", number) else None
    )


def _within(number: str, first: str, last: str) -> bool:
    """Whether rule ``number`` lies in the range of units ``first`` to ``last`` ("6.1" to "6.9")."""
    a, b = _key(first), _key(last)
    n = _key(".".join(number.split(".")[: len(first.split("."))]))
    return a is not None and b is not None and n is not None and a <= n <= b


def _names_other_sections(sentence: str, rule: Ref) -> bool:
    """Whether a chapter's scope sets out its sections one by one ("Sections 6.1 to 6.9 apply
    ...; Section 6.12 applies only ...") without the rule's own (6.12A): it says nothing of it."""
    named = _SECTIONS.findall(sentence)
    if not named:
        return False
    section = ".".join(rule.number.split(".")[:2])
    for first, how, last in named:
        if section in (first, last) or (how == "to" and _within(rule.number, first, last)):
            return False
    return True


def scope_of(
    ref: str | None, doc_id: str, books: Iterable[str | None], quoted: Iterable[str],
    chunks_for_ref: Callable[[Ref], Iterable[Chunk]],
) -> tuple[str, str] | None:  # fmt: skip
    """(the scope provision's ref, its scope sentence) for the rule ``ref`` of ``doc_id``: of
    the scope sentences about it, the most specific; None where that one limits nothing (every
    one at that level says "any", "every" or "all" and no "only", "not", "except" ...), there
    is none, or one of the answer's quotes ``quoted`` already holds it."""
    rule = parse_ref(ref or "", books=tuple(books))
    if rule is None or rule.kind != "rule":
        return None
    parts = rule.number.split(".")
    where = [".".join(parts[:2])] if len(parts) >= 2 else []
    where.append(f"{parts[0]}.1")
    seen: set[str] = set()
    found: list[tuple[int, int, str, str, str, int, int]] = []  # level, order, ref, sentence,
    # and where it is: chunk id, start, end
    for number in where:
        for c in chunks_for_ref(Ref(rule.book, number, (), rule.kind)):
            own = parse_ref(c.ref or "", books=(c.rulebook,))
            if (c.chunk_id in seen or c.doc_id != doc_id or c.is_guidance or c.repealed
                    or own is None):  # fmt: skip
                continue
            seen.add(c.chunk_id)
            for s in scope_sentences(c.text):
                if not _covers(s, own, rule):
                    continue
                sentence = c.text[s.start : s.end]
                if (len(sentence) > _REACH or sentence.rstrip().endswith(":")
                        or (s.unit == "chapter" and not s.numbers
                            and _names_other_sections(sentence, rule))):  # fmt: skip
                    continue  # (a stem whose items are out of reach says nothing of the scope)
                found.append((_level(s), len(found), c.ref or str(own), sentence, c.chunk_id,
                              s.start, s.end))  # fmt: skip
    if not found:
        return None
    best = min(f[0] for f in found)
    at_best = sorted(f for f in found if f[0] == best)
    limiting = [f for f in at_best if _limits(f[3])]
    if not limiting:
        return None  # the most specific scope limits nothing
    chosen = limiting[0]
    # an item of a scope's list ("(2) Rule 7.3 applies to ...") is quoted with its list's stem
    outer = [f for f in found if f[4] == chosen[4] and f[5] < chosen[5] and f[6] >= chosen[6]]
    _, _, where_ref, sentence, _, _, _ = min(outer, key=lambda f: f[5]) if outer else chosen
    flat = " ".join(sentence.split())
    if any(flat in " ".join(q.split()) for q in quoted):
        return None  # quoted already
    return where_ref, sentence


def _limits(sentence: str) -> bool:
    stem = sentence.split(":", 1)[0]
    return bool(_LIMITS.search(stem)) or not _EVERY.search(stem)
