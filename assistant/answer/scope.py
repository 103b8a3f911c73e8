"""Who a quoted rule applies to. Rulebooks say it once, in a scope provision that opens the rule,
its section or its chapter ("9.3.1 This Section applies to an Authorised Person in Category 1 or
5."; "The Rules in this section do not apply where the Authorised Person: ... (b) undertakes an
Execution-Only Transaction"), and the rules under it never repeat it. An answer that quotes
PRU 9.3.4's "must maintain an LCR of at least 100%" to "Does a Category 3C firm have to maintain
an LCR?" reads as Yes unless the scope is shown (a consultant's yes/no trial on ADGM's PRU,
thirty-sixth session). So a note quotes, verbatim, the nearest scope provision that limits who
the quoted rule applies to."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ingest.model import Chunk
from ingest.refs import Ref, parse_ref

# a sentence saying what a rule, section or chapter applies to: "This Section applies to ...",
# "These Rules apply only to ...", "This Chapter does not apply to ...", "The Rules in this
# section do not apply where ..."
_SCOPE = re.compile(
    r"(?:(?<=\s)|^)(?:(?:This|These|The\s+Rules\s+in\s+this)\s+(?P<unit>(?i:rule|section|part|chapter))s?"
    # (or by its number: "Chapter 19 of these Rules applies to Payment Service Providers.")
    r"|(?P<named>Chapter|Section|Part)\s+(?P<num>\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)*)"
    r"(?:\s+of\s+th(?:ese|is)\s+(?:Rules|Rulebook))?)"
    r"\s+(?:only\s+)?(?:applies|apply|does\s+not\s+apply|do\s+not\s+apply)\b"
)
# a scope that limits nothing ("This Chapter applies to an Authorised Person in any Category")
_EVERY = re.compile(r"\b(?:any|every|all)\b", re.I)
_LIMITS = re.compile(r"\b(?:only|except|not|unless|other\s+than)\b", re.I)
_REACH = 700  # the longest scope quoted, in characters (as a citation's quote)


def scope_sentence(text: str) -> tuple[str, int, int, str | None] | None:
    """The unit ("section"), span and number (where it names one: "Chapter 19 of these Rules
    applies ...") of the scope sentence ``text`` holds, with the items of a list it opens where
    they fit in ``_REACH`` characters; None where it holds none."""
    for m in _SCOPE.finditer(text):
        # (the sentence opens with it: after a rule's number, a paragraph's label or a title line)
        before = text[: m.start()].rstrip()
        last = before.rsplit("\n", 1)[-1]
        if before and not before.endswith((".", ":", ";")) and (len(last) > 60 or ";" in last
                                                                 or ". " in last):  # fmt: skip
            continue
        end = text.find(".", m.end())
        colon = text.find(":", m.end())
        if colon != -1 and (end == -1 or colon < end):  # it opens a list: up to its last item
            tail = re.search(r"[.]\s*(?:\n|$)", text[colon:])
            end = colon + tail.start() if tail else len(text) - 1
        end = len(text) - 1 if end == -1 else end
        if end + 1 - m.start() > _REACH:
            return None
        unit = (m.group("unit") or m.group("named")).lower()
        return unit, m.start(), end + 1, m.group("num")
    return None


def _levels(ref: Ref) -> list[tuple[Ref, tuple[str, ...]]]:
    """The rule, its section and its chapter, each with the units its scope provision names."""
    parts = ref.number.split(".")
    out: list[tuple[Ref, tuple[str, ...]]] = [(Ref(ref.book, ref.number, (), ref.kind), ("rule",))]
    if len(parts) >= 3:
        out.append((Ref(ref.book, ".".join(parts[:-1]), (), ref.kind), ("section", "part")))
    if len(parts) >= 2:
        out.append((Ref(ref.book, parts[0], (), ref.kind), ("chapter",)))
    return out


def scope_of(
    ref: str | None, doc_id: str, books: Iterable[str | None], quoted: str,
    chunks_for_ref: Callable[[Ref], Iterable[Chunk]],
) -> tuple[str, str] | None:  # fmt: skip
    """(the scope provision's ref, its scope sentence) for the rule ``ref`` of ``doc_id``: the
    nearest (rule, then section, then chapter) whose sentence limits who it applies to; None
    where the nearest limits nothing, there is none, or the quote ``quoted`` already holds it."""
    rule = parse_ref(ref or "", books=tuple(books))
    if rule is None or rule.kind != "rule":
        return None
    for at, units in _levels(rule):
        found_in = list(chunks_for_ref(at))
        for i, c in enumerate(found_in):
            own = parse_ref(c.ref or "", books=(c.rulebook,))
            if c.doc_id != doc_id or c.is_guidance or c.repealed or own is None:
                continue
            if not at.contains(own):
                continue
            found = scope_sentence(c.text)
            if found is None or found[0] not in units or found[3] not in (None, at.number):
                continue
            sentence = c.text[found[1] : found[2]]
            # a stem that ends its passage ("... in or from the ADGM as follows:"): its items are
            # the passages of the same rule after it, each verbatim, within the reach
            for nxt in found_in[i + 1 :]:
                if not sentence.rstrip().endswith((":", ";", "; and", "; or")):
                    break
                if (nxt.doc_id, nxt.ref, nxt.is_guidance) != (c.doc_id, c.ref, False):
                    break
                if len(sentence) + 1 + len(nxt.text) > _REACH:
                    break
                sentence += "\n" + nxt.text
            if sentence.rstrip().endswith(":"):
                return None  # its items out of reach: a stem alone says nothing of the scope
            if own == rule or " ".join(sentence.split()) in " ".join(quoted.split()):
                return None  # (the rule quoted states it)
            if _EVERY.search(sentence) and not _LIMITS.search(sentence):
                return None  # the nearest scope limits nothing
            return c.ref or str(own), sentence
    return None
