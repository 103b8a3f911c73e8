"""Structure-aware chunking: one rule (or policy clause, or JSONL record) per chunk where it fits.

A document is first cut into sections at structural lines (rule numbers, chapter and schedule
headings, "Guidance" blocks, Markdown/DOCX headings, policy clause numbers); each section is then
packed into pieces of at most ``max_chars`` at paragraph boundaries. Every piece is a verbatim
slice of the document text and keeps the section's rule ref and heading path.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from ingest.model import Chunk, Document, Line, chunk_id_for
from ingest.refs import NUMBER_PREFIX, Heading, Ref, is_statute, match_heading, parse_ref
from ingest.settings import ChunkingSettings

# "Guidance: The AFSA expects ...": a guidance paragraph introduced on its own first line
_GUIDANCE_INLINE = re.compile(r"^Guidance\s*[:–—]\s+[A-Z(]")
_GUIDANCE = re.compile(
    r"^(?:#+\s*)?Guidance(?:\s+note)?(?:\s*[:.\-–—]?\s*|\s+(?:on|to|for)\s+[^.]{1,120})$",
    re.IGNORECASE,
)
# A rule's guidance headed by the rule's number, as ADGM's texts number it ("3.3.3.Guidance",
# "3.3.2.(3).Guidance", its paragraphs "3.3.3.Guidance.1 ..."): that rule's guidance (it was
# kept as rule text, so a guidance edit was reported as the rule's; a consultant's trial and
# its reviews, twenty-seventh session), guidance in force that a deleted rule's placeholder
# before it ("3.3.3 [Deleted]") does not repeal. It ends where a rule opens, "3.2.3.(1) ..."
# among them.
# a glossary table's header row: "Defined Terms | Definitions", "Term | Meaning"
_DEFINITIONS_HEADER = re.compile(
    r"(?i)\s*(?:defined\s+)?terms?\s*\|\s*(?:definitions?|meanings?)\s*$"
)
_NUMBERED_GUIDANCE = re.compile(
    r"^\s*(?P<num>(?:A(?=\d))?\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)*)(?P<paras>(?:\.?\([0-9a-z]{1,4}\))*)"
    # (a chapter's introduction's guidance, "4.Introduction.Guidance.1.", is the chapter's
    # guidance: it was cited "PRU 4" as a rule, an auditor's trial, thirty-ninth session)
    r"(?:\.Introduction)?\.Guidance\b"
)
# What follows a rule's "N.Guidance" on its line: a title ("7.1.3.Guidance on the customer risk
# assessment", "3.2.Guidance Guidance on the term "customer"": a heading, as the bare number
# is), a paragraph's number, after its title where it has one ("8.3.6.Guidance on Politically
# Exposed Persons (PEPs) and corruption.4. The risk ...", "3.3.3.Guidance.1 ..."), or the
# guidance's one paragraph ("8.4.1.Guidance When considering a withdrawal ..."). ADGM's AML
# names its guidance so, GEN and COBS write a one-paragraph guidance on the rule's line: both
# were kept as the rule's text and cited as the rule (AML 8.3.6, on a foundation's Beneficial
# Owners, for its PEP guidance), an MLRO's trial, thirty-fourth session
# (a title says nothing: no finite verb, "6.6.1.Guidance Guidance on the form of the auditor's
# report is given in the GPM." is the guidance's one sentence, a review)
_GUIDANCE_TITLE = (
    r"(?:\s+Guidance)?\s+(?:on|to|for|in\s+relation\s+to|regarding|relating\s+to)\s+"
    r"(?![^.\n]*\b(?:is|are|was|were|must|shall|may|has|have|will|can|should|does|do|would|could)\b)"
    r"[^.\n]{1,150}?"
)
_GUIDANCE_HEADING = re.compile(rf"(?:{_GUIDANCE_TITLE})?\s*\.?\s*")
_GUIDANCE_PARAGRAPH = re.compile(rf"(?:{_GUIDANCE_TITLE})?\s*\.\(?[0-9a-z]{{1,5}}\)?\.?\s+\S")
_GUIDANCE_TEXT = re.compile(r"\s+[A-Z(\"“‘']")
# a guidance's heading or a paragraph's own label, named or not, that opens its line
# ("8.3.6.Guidance on Politically Exposed Persons (PEPs) and corruption.4."): no sentence of its
# own, and states nothing
GUIDANCE_LABEL = re.compile(
    rf"(?:A(?=\d))?\d{{1,3}}[A-Z]?(?:\.\d{{1,3}}[A-Z]?)*\.(?:\([0-9a-z]{{1,5}}\)\.?)*(?:Introduction\.)?Guidance"
    rf"(?:{_GUIDANCE_TITLE})?(?:\.\(?[0-9a-z]{{1,5}}\)?)?\.?"
)
# A repealed rule's placeholder: "[intentionally omitted]" (the AIFC's), "[Deleted]" (ADGM's: "15.9.2
# [Deleted]" was read as a rule in force, and a change report called it added, a consultant's trial,
# twenty-seventh session), "[Repealed]", "[intentionally left blank]"; not "[Reserved]", kept for a
# rule to come
_OMITTED = re.compile(
    r"\[\s*(?:intentionally\s+(?:omitted|left\s+blank)|deleted|repealed)\s*\]", re.IGNORECASE
)
# a rule's whole text the word "Deleted" (or "Repealed"), after its number ("Part 19.Chapter
# 1.228. Deleted", "2.8.9 Deleted."): FSMR s.228 was no repealed section, and a lawyer asking
# for it got two other sections' text, confidently (a lawyer's trial, thirty-fifth session)
# (the rule's number alone before the word: not a paragraph's, "(1) Deleted." or "2.4.1.(1)
# Deleted", nor a title ending with it, "Records under Rule 3.2 repealed": a review)
_BARE_OMITTED = re.compile(
    r"(?:(?:Rule|Section|Schedule\s+\d{1,2}\.?|Part\s+\d{1,3}[A-Z]?\.|Chapter\s+\d{1,3}[A-Z]?\.|APP\s?\d{1,2}\.)\s*){0,4}"
    r"[A-Z]?\d{1,3}[A-Z]?(?:\.\s?[A-Z]?\d{1,3}[A-Z]?){0,4}\.?"
    r"\s+(?:deleted|repealed)\.?",
    re.I,
)


def _omitted(line: str) -> bool:
    """Whether a rule's opening line says it is repealed ("[intentionally omitted]", "Deleted")."""
    return len(line) < 160 and bool(_OMITTED.search(line) or _BARE_OMITTED.fullmatch(line.strip()))


def repeal_marker(text: str) -> str | None:
    """The line of a repealed rule's passage that says so ("1.3.3 [Deleted]"), of its first
    two, spaces evened out and a Markdown heading's marks left off; None where neither does."""
    lines = [" ".join(ln.strip().lstrip("#").split()) for ln in text.splitlines() if ln.strip()]
    return next((ln for ln in lines[:2] if _omitted(ln)), None)


_PARA_START = re.compile(
    r"^\s*(?:\(\s*(?:\d{1,2}(?:-\d{1,2})?|[a-z]{1,4}(?:-[a-z]{1,4})?)\s*\)|[-*•]\s|\d{1,2}[.)]\s)"
)
# A line that opens a paragraph only after a line that closed its own (a list's item or a
# sentence: ";", ":", ".", "and", "or"), as a wrapped line may open with the same ("(such as
# Smith / v. Jones)", "under / s. 7", "1.25 (one and ...", a review):
_ITEM_START = re.compile(
    # an item lettered "c) ..." or "k. ..." or numbered "iii. ..." (guidance notes' and
    # appendices' lists; "c) the information is ..." was cut mid-item)
    r"^\s*(?:[a-z]{1,2}\)\s|[a-z]\.\s|[ivx]{1,5}[.)]\s"
    # a rule's or its guidance's paragraph numbered in full, as ADGM's texts write each one on a
    # line of its own ("5.4.7.(b) Where ...", "5.4.7.(d).Guidance.(xi) Off-balance ...",
    # "3.3.3.Guidance.1 ..."): a long guidance was cut mid-sentence, "... based on Murabaha,
    # where the" in one piece and "... should attract a 20% CCF" in the next, as no sentence
    # end was seen before a digit (a fund manager's trial, thirty-third session)
    r"|\d{1,3}(?:\.\d{1,3}){1,3}\.?(?:\([0-9a-z]{1,5}\)\.?)*(?:Guidance(?:\.\(?[0-9a-z]{1,5}\)?)?\.?)?\s+(?=[A-Z(\"“'‘])"
    # a statute's subsection written after its Part (and Chapter) and section numbers, on a line
    # of its own ("Part 6.Chapter 2.49.(7) The Regulator shall not ..."): BRR s.49's (2) to (7)
    # were one paragraph, cut at sentences, and (7)'s stem was kept from its items (a bank's
    # recovery officer's trial, thirty-fourth session)
    r"|Part\s+\d{1,3}[A-Z]?\.(?:Chapter\s+\d{1,3}[A-Z]?\.)?\d{1,3}[A-Z]?\.(?:\([0-9a-z]{1,5}\)\.?)+\s+(?=[A-Z(\"“'‘])"
    # a guidance's paragraph numbered after its title or a chapter's number ("8.3.6.Guidance
    # on Politically Exposed Persons (PEPs) and corruption.3. A Relevant Person ...", "2.Guidance.
    # 19. ..."): AML's were cut after the number and the paragraph's text began the next piece
    # (an MLRO's trial, thirty-fourth session)
    r"|\d{1,3}(?:\.\d{1,3}){0,3}\.(?:\([0-9a-z]{1,5}\)\.?)*(?:Introduction\.)?Guidance(?:"
    + _GUIDANCE_TITLE
    + r")?\.\(?[0-9a-z]{1,5}\)?\.?\s+(?=[A-Z(\"“'‘]))"
)
_CLAUSE = re.compile(
    r"^\s*(?:(?:Clause|Section)\s+)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$",
    re.IGNORECASE,
)
# A clause number with a capital letter before it ("A1.", "B2.3"); the full stop or bracket is
# required, so that "G20 countries" opens nothing.
_LETTER_CLAUSE = re.compile(r"^\s*(?P<num>[A-Z]\d{1,2}(?:\.\d{1,2}){0,2})[.)]\s+(?P<title>\S.*)$")
# A numbered sentence as a draft's own paragraph: "1. The Firm ...".
# a schedule heading's line: a title after the number, if any, opens in capitals and is no
# sentence ("Schedule 1 sets out the fees." is text, "SCHEDULE 1 FEES" a heading)
_SCHEDULE_TITLE = re.compile(
    r"^.*?\b(?i:schedule)\s+\d{1,2}\b(?:\s*[-–—:.]?\s*[A-Z(\"“].*)?(?<![.;,:])$"
)
# (its first words may be set in Markdown emphasis: "1. **Record keeping.** We keep ...", a
# browser trial's draft read as one clause, twenty-seventh session)
# a clause number after a Markdown list marker ("- 8.1 Copies ...", "- 3. The MLRO ..."), a
# sentence opening in capitals after it; not a bullet that opens with a figure ("- 5 years for
# due diligence records" made a clause "5", a review)
_MD_NUMBER = re.compile(
    r"^\s*[-*+]\s+(?P<num>[A-Z]?\d{1,2}(?:(?:\.\d{1,2}){1,3}\.?|[.)]))(?=\s+[A-Z\"“‘'(])"
)
_NUMBERED_SENTENCE = re.compile(r"^\s*\d{1,2}\.\s+(?:\*\*|__|\*|_)?[A-Z\"“‘'(]")
_SENTENCE_NUMBER = re.compile(r"^\s*(\d{1,2})\.\s+(?:\*\*|__|\*|_)?[A-Z\"“‘'(]")


def _next_para(last: int, num: str) -> bool:
    """``num`` can follow paragraph ``last``: the next in sequence, or 1 (numbering restarts)."""
    return int(num) in (last + 1, 1)


_NUMBERED_PROVISION = re.compile(r"\s*(?:\(\d{1,2}(?:-\d{1,2})?\)|\d{1,2}\.)\s+[A-Z\"“‘'(]")
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-Z(\"'])")
# a line's opening label and nothing else before a cut: "APP3.A3.2.Guidance.5. " (a passage
# ended on the label, its text the next passage's, and "PRU A3.2 Guidance 5" was "not in the
# indexed rules", a second rule lookup trial, thirty-seventh session)
_LABEL_ONLY = re.compile(NUMBER_PREFIX + r"?[A-Z]?\d[\w().]*\.\s*")


def _after_label(text: str, cut: int) -> bool:
    """Whether the line ``cut`` falls in holds nothing before it but its label."""
    start = text.rfind("\n", 0, cut) + 1
    return _LABEL_ONLY.fullmatch(text, start, cut) is not None


@dataclass
class _Section:
    first: int  # line index of its first line
    last: int  # line index after its last line
    ref: str | None
    heading_path: tuple[str, ...]
    is_guidance: bool
    structural: bool  # opened by a rule/clause/guidance marker (kept even when short)
    provisions: bool = False  # rulebook text: numbered paragraphs start their own chunks


def chunk_document(doc: Document, cfg: ChunkingSettings) -> list[Chunk]:
    """Cut a document into chunks. JSONL records map one-to-one to retrieval units."""
    if doc.records:
        return _chunk_records(doc, cfg)
    sections = _sections(doc)
    chunks: list[Chunk] = []
    seen: Counter[tuple[str | None, str]] = Counter()
    for sec in sections:
        lines = doc.lines[sec.first : sec.last]
        if not lines:
            continue
        body = doc.text[lines[0].start : lines[-1].end]
        if not body.strip():
            continue
        content = [ln for ln in lines if doc.text[ln.start : ln.end].strip()]
        # Repealed: the rule's own heading or first line is the placeholder, not prose that
        # merely mentions an omitted rule.
        opening = [doc.text[ln.start : ln.end] for ln in content[:2]]
        repealed = (
            bool(sec.ref)
            and any(_omitted(t) for t in opening)
            and not any(_NUMBERED_GUIDANCE.match(doc.text[ln.start : ln.end]) for ln in content)
        )
        if all(ln.heading for ln in content) and not repealed:
            continue  # headings alone: they live on in the heading path of what follows
        short = len(body.strip()) < cfg.min_chars and len(content) <= 1
        if not sec.structural and short and len(sections) > 1 and not _STATES.search(body):
            # a bare chapter or title line (not a short sentence: "APP 1.4. The Prospectus is
            # available in English." was lost, an in-house counsel's trial, thirty-third session)
            continue
        # (the document's own code read as its own: "MKT 4.3.1" of ADGM's MKT is no AIFC MAR rule)
        ref_obj = parse_ref(sec.ref, books=(doc.rulebook,)) if sec.ref else None
        rulebook = ref_obj.book if ref_obj else doc.rulebook
        # the lines a piece overlaps, found by bisection over the section's lines (in text
        # order): scanning them all for every piece was quadratic in a long section (a 6 MB
        # one-section text file ran for minutes, a hostile-input trial, 2026-12-04)
        line_starts = [ln.start for ln in lines]
        line_ends = [ln.end for ln in lines]
        for start, end in _pieces(doc.text, lines, cfg, sec.provisions):
            text = doc.text[start:end]
            near = lines[bisect_right(line_ends, start) : bisect_left(line_starts, end)]
            overlapping = [ln for ln in near if ln.start < end and ln.end > start]
            pages = tuple(sorted({ln.page for ln in overlapping if ln.page}))
            inside = [ln for ln in overlapping if ln.page]
            starts = tuple(max(0, min(ln.start for ln in inside if ln.page == p) - start)
                           for p in pages)  # fmt: skip
            labels: list[str] = []
            for p in pages:  # one label per page, in the order of ``pages``, where all have one
                label = next(
                    (ln.page_label for ln in inside if ln.page == p and ln.page_label), None
                )
                if label is not None:
                    labels.append(label)
            if len(labels) != len(pages):
                labels = list(dict.fromkeys(ln.page_label for ln in overlapping
                                            if ln.page_label))  # fmt: skip
            occurrence = seen[(sec.ref, text)]
            seen[(sec.ref, text)] += 1
            chunks.append(Chunk(
                chunk_id=chunk_id_for(doc.doc_id, text, sec.ref, occurrence),
                doc_id=doc.doc_id, ordinal=len(chunks), text=text, ref=sec.ref, rulebook=rulebook,
                heading_path=sec.heading_path, pages=pages, page_labels=tuple(labels),
                is_guidance=sec.is_guidance, repealed=repealed,
                page_starts=starts if len(pages) > 1 else (),
                table_header=_continued_table(doc.text, start, line_starts[0]) if lines else None,
            ))  # fmt: skip
    return chunks


# a Markdown table's separator row ("|---|"), read here and by ``assistant.language.tables``
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _continued_table(text: str, start: int, floor: int) -> str | None:
    """The header row of the table whose later rows a piece starting at ``start`` opens with,
    where the header lies before the piece, in its section (from ``floor``): the first of the
    rows right above, one line each (a Markdown separator skipped), read as a header (no figure
    outside its brackets; labels of eight words at most, none ending in a stop). None where the
    piece opens with no row, or its rows have no such header above them."""
    line_end = text.find("\n", start)
    first = text[start : line_end if line_end >= 0 else len(text)]
    if " | " not in first:
        return None
    header = None
    at = start
    while at > floor:
        prev_start = max(floor, text.rfind("\n", floor, at - 1) + 1)
        prev = text[prev_start : at - 1]
        if TABLE_SEPARATOR.match(prev):
            at = prev_start
            continue
        if " | " not in prev:
            break
        header, at = prev.strip(), prev_start
    if header is None or re.search(r"\d", re.sub(r"\([^)]*\)", "", header)):
        return None
    if any(len(c.split()) > 8 or c.rstrip().endswith(".") for c in header.strip("| ").split(" | ")):
        return None
    return header


# a section's title standing as a passage of its own ("8.2 Timing of Customer Due Diligence" in
# rulebook text; a JSONL record "Timing of Customer Due Diligence" with ref "8.2"): one short
# line stating nothing, no placeholder ("[Deleted]")
_STATE_WORDS = r"\b(?:is|are|must|shall|may|has|have|will|can|should|does|do)\b"
_STATING = re.compile(_STATE_WORDS, re.I)


# a part's label before its title: "Part A. General", "SECTION 2 - Outsourcing", "Annex 1"
_PART_TITLE = re.compile(
    r"^(?i:part|section|chapter|schedule|annex|appendix)\s+(?:[A-Z]|[IVXLC]{1,6}|[ivxlc]{1,6}|\d{1,2})\b"
    r"(?:\s*[.:)\-–—]?\s+[A-Z][^.;:!?]*)?$"
)
_SMALL_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    )
)


def _title_line(line: str) -> bool:
    """A line that is a title, not a sentence wrapped onto the next line: a part's label and
    title ("Part A. General"), or a short line of capitalised words with no stating verb
    ("Technology Risk and Governance"); not "The records listed in paragraph"."""
    s = line.strip()
    if not s or len(s) > 80 or _STATING.search(s):
        return False
    if _PART_TITLE.match(s):  # ("Part A": its label is no article, a second review)
        return True
    # (a title opens in capitals and ends on no article or preposition: "the Board of" is a
    # wrapped line, a review)
    last = re.findall(r"[A-Za-z]+", s)[-1:]
    if not s[0].isupper() or (last and last[0] in _SMALL_WORDS):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", s) if w.lower() not in _SMALL_WORDS]
    return 0 < len(words) <= 8 and all(w[0].isupper() for w in words)


def bare_title(text: str, ref: str) -> str | None:
    """The title a section's passage holds when that passage is its title alone."""
    t = text.strip()
    number = _number_of(ref.rstrip("."))
    if number and t.startswith(number):
        t = t[len(number) :].lstrip(". ").strip()
    if (not t or "\n" in t or len(t) > 120 or not t[0].isalpha() or t.endswith((".", ":", ";", ","))
            or _STATING.search(t)):  # fmt: skip
        return None
    return t


def _line_text(doc: Document, ln: Line) -> str:
    return doc.text[ln.start : ln.end]


def _sections(doc: Document) -> list[_Section]:
    is_policy = doc.kind == "policy"
    # Where Markdown/DOCX headings carry the structure, body lines are prose: a sentence that
    # starts "COB 8.2 contains ..." is not a new rule. PDFs and plain text have no headings.
    # (a document title is no structure: a Word rulebook whose only styled line is its Title
    # was one chunk, a trial 2026-12-05)
    headings = [ln for ln in doc.lines if ln.heading]
    first = next((ln for ln in doc.lines if _line_text(doc, ln).strip()), None)
    has_headings = len(headings) > 1 or (len(headings) == 1 and headings[0] is not first)
    # Under headings that carry section numbers ("4.5 Record keeping"), a body paragraph that
    # opens with a number below the heading's ("4.5.1 A Relevant Person must ...") opens that
    # rule: a Word rulebook styles its chapters and sections as headings and types its rule
    # numbers (a trial, 2026-12-05: 1 of 26 DOCX citations named the rule); a paragraph opening
    # with another rule's name ("COB 8.2 contains ...") stays prose
    nested_rules = (
        has_headings
        and not is_policy
        and (doc.kind in ("rules", "guidance") or doc.rulebook is not None)
    )
    under: str | None = None  # the number of the last heading that named a rule or section
    under_book: str | None = None  # and the rulebook it names
    detect_rules = (not is_policy and not has_headings
                    and (doc.kind in ("rules", "guidance") or doc.rulebook is not None))  # fmt: skip
    book = doc.rulebook
    part_prefixed = detect_rules and _part_prefixed(doc)
    # a statute that writes its Part (and Chapter) before each section's number ("Part 3.7.(2)
    # Every Reporting Financial Institution shall keep ...", "Part 1.Chapter 1.1.(1) The Regulator
    # ..."): sections numbered across its Parts, whatever its title says (ADGM's CRS Regulations
    # and FSMR had no section cited, and "search 'CRS 7(2)'" found nothing, a tax reporting
    # officer's trial, thirty-second session)
    part_sectioned = detect_rules and not part_prefixed and _part_sectioned(doc)
    # numbered in sections ("24. General Prohibition"); a document numbered as rules ("3.1.1")
    # is none, whatever its title says ("AIFC Fees Regulations and Schedule", a review)
    statute = (is_statute(book, doc.title) or part_sectioned) and (
        book == "FSFR" or not _dotted_rules(doc)
    )
    stack: list[tuple[int, str]] = []  # (level, heading text) of open Markdown/DOCX headings
    chapter: str | None = None
    ref: str | None = None
    ref_level = 99
    sections: list[_Section] = []
    # Plain text (PDF): a number opening a line is a heading only where the layout says so;
    # otherwise it is a cross-reference that wrapped to the start of a line.
    wide = _wide_line(doc) if detect_rules else 0
    # A draft whose numbered sentences run 1, 2, 3 ... to its end, whatever headings stand
    # between ("## Section 2 Customer due diligence" then "8. Before ..."): each is a clause, under
    # a numbered section heading too (clause 18 was reported as "clause 5", its section's number,
    # a consultant's trial, eighteenth session). Numbering that restarts keeps the section whole.
    # (The run must go on across a heading: a list of items "1. ... 2. ... 3." inside one clause
    # is no such run, a review found its items split into clauses of their own.)
    running = False
    if is_policy:
        nums: list[int] = []
        across = False  # a heading stands between two numbers of the run
        heading_since = False
        for ln in doc.lines:
            if ln.heading:
                heading_since = True
            elif m := _SENTENCE_NUMBER.match(_line_text(doc, ln)):
                across = across or (heading_since and bool(nums))
                nums.append(int(m.group(1)))
                heading_since = False
        running = across and len(nums) >= 3 and nums == list(range(1, len(nums) + 1))
    number: tuple[_Key, ...] | None = None  # the current rule's number, for sequence checks
    anchor: tuple[_Key, ...] | None = None  # the last number that came in sequence
    prev = ""  # the previous non-blank line; "" after a heading (a heading ends its line)
    para_mode = detect_rules and _numbered_paragraphs(doc, book)
    # paragraphs numbered within lettered parts ("B.8. It remains ...", "D.1.2. The risk
    # appetite ...", under "B. APPLICATION"): cited as written, "para B.8" (a climate-risk
    # principles note had no paragraph cited, and its B.8 start date was refused, an ESG
    # officer's trial, thirty-second session)
    lettered = detect_rules and not para_mode and _lettered_paragraphs(doc, book)
    para_no = sub_no = 0
    policy_para, policy_no = False, 0  # the open policy clause is a numbered sentence; its number
    in_list = False  # policy: inside the numbered items of a clause that ended with a colon
    numeric_list = False  # policy: that list's items are numbered "1.", "2." (not "(a)")
    blank_before = False  # the line before this one was blank
    prev_heading = False  # the previous non-blank line was a heading
    block: str | None = None  # the unnumbered heading a guidance note's paragraphs sit under
    appendix: str | None = None  # a guidance note's open appendix ("Appendix A"), to its end

    def path(extra: str | None = None) -> tuple[str, ...]:
        if detect_rules:
            # Plain rulebook text: the rule ref places a chunk; the heading path holds only the
            # block heading it sits under ("Guidance"). A chapter title prefixed to every chunk
            # of the chapter drowns short provisions in the chapter's topic for the embedder.
            return (extra,) if extra else ()
        items = [h for _, h in stack]
        if chapter and chapter not in items:
            items.append(chapter)
        if extra and extra not in items:
            items.append(extra)
        return tuple(items)

    opened_at = continued_at = -2
    title_only = False  # the last heading was a chapter or section title (no rule text)
    # under a schedule's heading, to the end (a statute's schedules come last, have Parts of their
    # own and number their own paragraphs)
    in_schedule, schedule_ref = False, None
    # under an appendix's heading ("APP 1 CONTENT OF A PROSPECTUS"), where its own numbers carry
    # its letter ("A1.1.2"): a table's item numbered "6.2 Other information ..." is no rule 6.2
    # (MKT's prospectus table was cited "MKT 6.2", beside the real 6.2 on price stabilisation,
    # a citation auditor's trial, twenty-eighth session)
    in_appendix, appendix_ref = False, None
    # (a review) an appendix ends at the rulebook's next chapter ("CHAPTER 2" after "CHAPTER 1"
    # and "APPENDIX 1"), and an "APP 1" line under which nothing is said before a chapter is a
    # contents entry, no appendix
    last_chapter: str | None = None
    appendix_said = False
    guidance_of: str | None = None  # the rule whose numbered guidance ("3.3.2.Guidance") is open
    # a rule's last paragraph and item ("4", "b") before a guidance set inside its list, by kind
    # (digits or not), and the kinds of item the guidance has had of its own
    item_before: dict[str, str] = {}
    guidance_kinds: set[str] = set()
    guidance_para: tuple[str, ...] = ()  # the paragraph it is of ("3.3.2.(3).Guidance": "3")
    last_section: int | None = None  # a statute's last section number

    def open_section(
        i: int, new_ref: str | None, hp: tuple[str, ...], guidance: bool, structural: bool
    ) -> None:
        nonlocal opened_at
        if sections:
            sections[-1].last = i
        sections.append(
            _Section(i, len(doc.lines), new_ref, hp, guidance, structural, detect_rules)
        )
        opened_at = i

    for i, ln in enumerate(doc.lines):
        raw = _line_text(doc, ln)
        s = raw.strip()
        if not s:
            in_list, blank_before = False, True  # a blank line ends a list of items
            continue
        if in_appendix and s.rstrip().endswith((".", ":", ";")):
            appendix_said = True
        if detect_rules:  # "APP4.A4.3.25 Minimum holding ..." is appendix 4's rule A4.3.25
            s = _APP_PREFIX.sub("", s, count=1)
        if part_prefixed:  # "PART 5.12.10.1.(2) A Fund Manager must ..." is rule 12.10.1(2)
            s = _PART_PREFIX.sub("", s, count=1)
            s = _JOINED_TITLE.sub(r"\1", s, count=1)
        prefixed = False
        if part_sectioned:  # "Part 3.7.(2) Every ..." is section 7(2)
            bare = _PART_SECTION.sub("", s, count=1)
            prefixed, s = bare != s, bare
        if not sections:
            open_section(i, None, path(), False, False)
            opened_at = -2
        before, prev = prev, s
        if prefixed:
            # a line the Part's number opens is no line wrapped from the one before, however
            # that one ends (section 153 after "... or Client Trade", an item cut short in the
            # source, was read as its run-on and cited "FSMR s.152", a statute lawyer's trial,
            # thirty-second session)
            before = ""
        # (after its sections: not a contents line, a review)
        if (part_sectioned and book and not in_schedule and _LONE_SCHEDULE.match(s)
                and ref is not None and " s." in ref):  # fmt: skip
            # a statute's one unnumbered schedule ("Schedule", then "Schedule.Part 1 Information
            # to be Included in Recovery Plans"): the schedule's, to the end, not the last
            # section's (BRR's was cited "BRR s.86", a review)
            chapter, ref, ref_level = s, f"{book} Schedule", 99
            number = anchor = None
            in_schedule, schedule_ref = True, ref
            open_section(i, ref, path(), False, True)
            continue
        line_before = before  # kept when ``before`` is cleared after a heading
        heading_before, prev_heading = prev_heading, bool(ln.heading)
        after_heading = i - 1 in (opened_at, continued_at)
        # A chapter or section title goes on where its line is a bare number ("8.13" with the
        # title on a line of its own) or stops mid-sentence (a wrapped title).
        if (
            title_only
            and after_heading
            and (_unfinished(before, wide) or (i - 1 == opened_at and _BARE_NUMBER.match(before)))
        ):
            continued_at = i
        if after_heading:
            before = ""  # the previous line was a heading: it ends where it ends
        was_blank, blank_before = blank_before, False
        if ln.heading:
            # a heading closes the open clause; its numbering may go on under the next heading
            # ("7." under "Part A", "8." under "Part B": a consultant's draft had clauses 8 to 25
            # read as five clauses, one per Part, eighteenth session) or start again at 1
            policy_para, in_list = False, False
            htext = s.lstrip("#").strip()
            while stack and stack[-1][0] >= ln.heading:
                stack.pop()
            if _GUIDANCE.match(htext) and ref:
                open_section(i, ref, path(), True, True)
                continue
            # (with running numbering, a numbered section heading is a heading, not clause "1"
            # beside the draft's own "1.", a review found two clauses of each number)
            heading_ref = None if running else _heading_ref(htext, book, is_policy)
            under = under_book = None
            if heading_ref is not None:
                under = _number_of(heading_ref)
                # the rulebook the heading names ("## COB 8.2 Client money" in an AML file)
                under_book = heading_ref[: len(heading_ref) - len(under or "")].strip() or book
                ref, ref_level = heading_ref, ln.heading
                open_section(i, ref, path(), False, True)
                stack.append((ln.heading, htext))
                continue
            if ln.heading <= ref_level:
                ref, ref_level = None, 99
            stack.append((ln.heading, htext))
            open_section(i, ref, path(), False, ref is not None)
            continue
        if _GUIDANCE.match(s) and len(s) < 140 and (ref or detect_rules):
            item_before, guidance_kinds = _items_before(doc, sections, i, ref), set()
            open_section(i, ref, path(s if detect_rules else None), True, True)
            continue
        if (
            item_before
            and sections
            and sections[-1].is_guidance
            and sections[-1].ref == ref
            and (m := _ITEM_LABEL.match(s))
        ):
            # the rule's next item after a guidance set inside its list ("(a) material
            # assumptions ...", "Guidance", "If the economic assumptions ...", "(b) criteria
            # used for classification ..."): the rule's text again, not its guidance (MKT
            # 11.6.1's (b) to (g) and (2) were cited as guidance, a listed mining company's
            # disclosure officer's trial, thirty-fifth session); not where the guidance has a
            # list of that kind of its own
            label = m.group(1)
            kind = _item_kind(label)
            if (kind in item_before and kind not in guidance_kinds
                    and _succeeds(item_before[kind], label)):  # fmt: skip
                item_before, guidance_of = {}, None
                open_section(i, ref, path(), False, True)
                continue
            guidance_kinds.add(kind)
        numbered = _NUMBERED_GUIDANCE.match(s) if detect_rules and book else None
        rest = s[numbered.end() :] if numbered else ""
        heading = bool(numbered) and _GUIDANCE_HEADING.fullmatch(rest) is not None
        labels = tuple(re.findall(r"\(([0-9a-z]+)\)", numbered.group("paras"))) if numbered else ()
        if (
            numbered
            and book
            and (
                heading
                # a paragraph of it, or its one paragraph, with no heading line before it (or
                # after the rule's text again): it opens the guidance, once
                or (
                    (_GUIDANCE_PARAGRAPH.match(rest) or _GUIDANCE_TEXT.match(rest))
                    and not (
                        sections
                        and sections[-1].is_guidance
                        and guidance_of == numbered.group("num")
                        # (of the same paragraph: "3.3.2.(4).Guidance ..." after "3.3.2.(3).
                        # Guidance ..." is (4)'s, a review)
                        and guidance_para == labels[-1:]
                    )
                )
            )
        ):
            ref_before = ref
            ref = str(Ref(book, numbered.group("num"), labels))  # (the book as the rules have it)
            item_before = _items_before(doc, sections, i, ref) if ref == ref_before else {}
            guidance_kinds = set()
            ref_level, guidance_of, guidance_para = 99, numbered.group("num"), labels[-1:]
            title = re.sub(r"^(?:Guidance\s+)?", "Guidance ", rest.strip().rstrip(".").strip())
            named = heading and rest.strip(" .") != ""
            hp = path(title.strip() if named else "Guidance")
            above = _line_text(doc, doc.lines[i - 1]).strip() if i else ""
            if (sections and sections[-1].ref == ref and sections[-1].first == i - 1
                    and not sections[-1].is_guidance and not re.search(r"[a-z]", above)):  # fmt: skip
                # the chapter's title in capitals alone above it ("2. OVERVIEW AND PURPOSE OF
                # THE AML RULEBOOK" then "2.Guidance"): the guidance's, not a line lost as a
                # bare title (a review)
                sections[-1].heading_path, sections[-1].is_guidance = hp, True
                continue
            open_section(i, ref, hp, True, True)
            continue
        # the rule's next paragraph after its guidance ("3.3.2.(3).Guidance" then "3.3.2.(4) An
        # Authorised Person ..." or "(4) An ..."): the rule again, not its guidance
        if (
            guidance_of
            and book
            and detect_rules
            # (only while that guidance is the open section: a rule opened since ends it, and a
            # later "(c) ..." of another rule went back to it, a review)
            and bool(sections)
            and sections[-1].is_guidance
            and sections[-1].ref == ref
            and (
                re.match(re.escape(guidance_of) + r"\.\(\w{1,4}\)\s", s)
                or _next_paragraph(s, guidance_para)
            )
        ):
            ref, ref_level, guidance_of = str(Ref(book, guidance_of)), 99, None
            open_section(i, ref, path(), False, True)
            continue
        if (
            guidance_of
            and book
            and bool(sections)
            and sections[-1].is_guidance
            and sections[-1].ref == ref
            and _DEFINITIONS_HEADER.match(s)
            # (a glossary of the guidance itself goes on with the guidance after it: FUNDS
            # 1.1.1's "Term | Meaning" table, then "1.1.1.Guidance.2 ... although this is not a
            # Rule", a review)
            and not _guidance_goes_on(doc, i + 1, guidance_of)
        ):
            # a table of defined terms after a rule's numbered guidance ("1.2.1 In the
            # Rulebooks: ... has the meaning given in GLO", its guidance, then "Defined Terms |
            # Definitions"): the rule's glossary, not its guidance (every ADGM definition was cited
            # "GLO 1.2.1 (Guidance)", thirty-second session's closing note)
            ref, ref_level, guidance_of = str(Ref(book, guidance_of)), 99, None
            open_section(i, ref, path(), False, True)
            continue
        if _GUIDANCE_INLINE.match(s) and ref:
            # "Guidance: In assessing ..." opens the rule's guidance on its own line (a custody
            # rulebook PDF's guidance was kept as rule text, a browser trial 2026-12-05)
            open_section(i, ref, path("Guidance" if detect_rules else None), True, True)
            continue
        if (
            para_mode
            and (appendix or para_no)
            and (m := _APPENDIX.match(s))
            and not _unfinished(before, wide)
            and not _numbered_after(doc, i + 1, para_no)
        ):
            # "APPENDIX A: EXEMPT OFFER CRITERIA" after the numbered paragraphs: what follows is
            # the appendix's, to the end ("MKT 4.3.1" reproduced in a PFP guidance note's
            # appendix was cited "para 6.2", the Islamic finance paragraph before it, a private
            # markets founder's trial, thirty-first session); a rule it reproduces keeps its
            # number ("Appendix A 4.3.5")
            appendix, block = f"{m.group('kind').title()} {m.group('id')}", None
            ref, ref_level = appendix, 99
            open_section(i, ref, path(), False, True)
            continue
        if appendix is not None:
            m = _APPENDIX_RULE.match(s)
            if m and (not _unfinished(before, wide) or _next_number(ref, m.group("n"))):
                ref, ref_level = f"{appendix} {m.group('n')}", 99
                open_section(i, ref, path(), False, True)
                continue
        elif lettered:
            if _ANNEX_LINE.match(s) and not _unfinished(before, wide):
                # "ANNEX" after the last part: its items ("ANNEX.1. BCBS - Principles ...") are
                # the annex's, not the last paragraph's (a review)
                block, ref, ref_level = s, None, 99
                open_section(i, None, path(block), False, False)
                continue
            m = _LETTERED_PART.match(s)
            if m and not _unfinished(before, wide):
                block, ref, ref_level = s, None, 99  # "B. APPLICATION": the title of its part
                open_section(i, None, path(block), False, False)
                continue
            m = _LETTER_PARA.match(s)
            if m and not _unfinished(before, wide):
                ref, ref_level = f"para {m.group('id')}", 99
                open_section(i, ref, path(block), False, True)
                continue
        elif para_mode:
            if _CAPS_HEADING.match(s) and _opens_paragraph(doc, i + 1, para_no):
                block = s  # "BACKGROUND": the paragraphs that follow sit under it
                open_section(i, None, path(), False, False)
                continue
            m = _NUMBERED_PARA.match(s)
            if m and 0 < int(m.group("n")) - para_no <= 2 and not _unfinished(before, wide):
                para_no, sub_no = int(m.group("n")), 0
                # (a title: in capitals, or a few words with no full stop; "2. A widget firm
                # must hold capital of at least USD 50,000." is a paragraph, a review)
                title = (m.group("text") or "").strip()
                titled = bool(_CAPS_HEADING.match(title)) or (
                    0 < len(title.split()) <= 8 and not title.endswith(".")
                )
                if titled and _opens_sub_paragraph(doc, i + 1, para_no):
                    # "3. INITIAL COIN OFFERINGS" before "3.1 ...": the title its paragraphs
                    # sit under, as an unnumbered heading is, not a passage of its own
                    block, ref, ref_level = s, None, 99
                    open_section(i, None, path(), False, False)
                    continue
                if block is not None and _NUMBERED_PARA.match(block):
                    block = None  # another part: not under the title of the part before
                ref, ref_level = f"para {para_no}", 99
                open_section(i, ref, path(block), False, True)
                continue
            # a paragraph numbered within its numbered part ("3.6 Offers of Securities may
            # benefit from an exemption ...", under "3. INITIAL COIN OFFERINGS"), the next in
            # sequence: cited as such ("para 3.6"), not as its part (a tokenisation founder and
            # a fund manager's COO found a guidance note's every paragraph cited "para 3",
            # thirtieth session)
            m = _SUB_PARA.match(s)
            if (m and int(m.group("n")) == para_no and 0 < int(m.group("m")) - sub_no <= 2
                    and not _unfinished(before, wide)):  # fmt: skip
                sub_no = int(m.group("m"))
                ref, ref_level = f"para {para_no}.{sub_no}", 99
                open_section(i, ref, path(block), False, True)
                continue
            # a paragraph lettered within its part ("7.A. Provision of false self-certification",
            # "7.A.1. A fine in the amount of ...") and the Roman-numbered sections of a standard
            # a note reproduces ("SECTION I.F. Each Reporting Financial Institution must file
            # ..."): cited as written ("para 7.A.1", "Section I.F"), not as the paragraph before
            # them (a CRS guidance note's fines and every section of the standard were cited
            # "para 7", a tax reporting officer's trial, thirty-second session)
            m = _LETTERED_PARA.match(s)
            if m and int(m.group("n")) == para_no and not _unfinished(before, wide):
                ref, ref_level = f"para {para_no}.{m.group('id')}", 99
                open_section(i, ref, path(block), False, True)
                continue
            m = _ROMAN_SECTION.match(s)
            if m and not _unfinished(before, wide):
                ref, ref_level = (f"Section {m.group('id')}" if m.group("id") else None), 99
                if m.group("annex"):
                    ref = m.group("annex").title()
                if m.group("id") is None or "." not in m.group("id"):
                    block = s  # "SECTION I GENERAL REPORTING REQUIREMENTS": its title
                open_section(i, ref, path(block), False, ref is not None)
                continue
        elif detect_rules:
            h = match_heading(s, book, statute)
            if h is None and statute and not in_schedule and book:
                # a section heading the PDF's lines ran on into its first sentence ("172. Market
                # property. Priority of ... lien Where property ...") opens the section where its
                # number is the next one (it was left in section 171, a review)
                m = _RUN_ON_SECTION.match(s)
                if m and last_section is not None and int(m.group(1)) == last_section + 1:
                    ref, ref_level = str(Ref(book, m.group(1), (), "section")), 99
                    number = anchor = _key(m.group(1))
                    last_section = int(m.group(1))
                    open_section(i, ref, path(), False, True)
                    continue
            num = _chapter_number(s) if h is not None and h.kind == "chapter" else None
            if (
                h is not None
                and h.kind == "chapter"
                and (not _unfinished(before, wide) or (num and _plausible_next(number, _key(num))))
            ):
                chapter, ref, ref_level = s, None, 99
                title_only = True
                if num and num.startswith("APP"):
                    in_appendix, appendix_said = (True, appendix_said if in_appendix else False)
                elif in_appendix and (
                    not appendix_said
                    or (num and last_chapter and _plausible_next(_key(last_chapter), _key(num)))
                ):
                    in_appendix = False  # the rulebook's next chapter, or after a contents entry
                if in_appendix and book and not (num and num.startswith("APP")):
                    # a numbered heading of the appendix's table ("6. MANAGEMENT OF THE ISSUER")
                    # is the appendix's, not chapter 6
                    ref = appendix_ref
                    open_section(i, ref, path(), False, False)
                    continue
                # chapter-level text (an overview, its Guidance) cites the chapter; a statute's
                # Parts and Chapters hold sections numbered across them ("PART 3" before section
                # 14 read as FSFR 3, and section 14 as out of sequence after it: a tokenisation
                # founder's trial on a statute's PDF, twenty-sixth session)
                if num and not in_appendix:
                    last_chapter = num
                if num and book and not statute:
                    ref = str(Ref(book, num))
                    number = anchor = _key(num)
                    appendix_ref = ref if in_appendix else None
                elif in_schedule:
                    ref = schedule_ref  # a Part of a statute's schedule is of that schedule
                open_section(i, ref, path(), False, False)
                continue
            if (
                h is not None
                and h.kind == "schedule"
                and h.ref is not None
                and not _unfinished(before, wide)
                and len(s) < 120
                and _SCHEDULE_TITLE.match(s)
            ):
                # a schedule is numbered apart from the rules ("SCHEDULE 1" after DAA 5.1.2): it
                # opens where its line stands alone after a finished one (it was left glued to
                # the last rule of a PDF, and a change report across formats called that rule
                # repealed and added again, a consultant's trial, eighteenth session)
                chapter, ref, ref_level = s, str(h.ref), 99
                number = anchor = None
                title_only = False
                in_schedule, schedule_ref = True, ref
                open_section(i, ref, path(), False, True)
                continue
            if (
                h is not None
                and h.ref is not None
                # a statute's schedule numbers its own paragraphs ("1. The following persons are
                # exempt ..." in Schedule 3): they are no sections of the statute
                and not (in_schedule and h.ref.kind == "section")
                and not (in_appendix and h.ref.number[:1].isdigit())
                and _is_rule_heading(h, before, number, anchor, wide, _next_lines(doc, i))
            ):
                ref, ref_level = str(h.ref), 99
                if h.ref.kind == "section" and h.ref.number.isdigit():
                    last_section = int(h.ref.number)
                new = _key(h.ref.number)
                if _plausible_next(number, new) or _plausible_next(anchor, new):
                    anchor = new
                number = new
                title_only = len(new) <= 2
                open_section(i, ref, path(), False, True)
                continue
        elif (
            nested_rules
            and under
            and (
                num := _nested_number(s, under)
                or (
                    _bare_nested_number(doc, i, s, under)
                    if heading_before or _ends_sentence(before)
                    else None
                )
            )
        ):
            ref = f"{under_book} {num}" if under_book else num
            open_section(i, ref, path(), False, True)
            continue
        elif is_policy and not ln.heading:
            # a clause number as a Markdown list's item or in bold ("- **8.1** Copies ...") is
            # the clause's own number: each section was one clause, its quote holding the
            # markup, and a four-year retention clause hid behind 8.2's "six years" (a
            # consultant's trial, thirty-ninth session)
            s = _MD_NUMBER.sub(r"\g<num> ", s, count=1)
            m = _CLAUSE.match(s) or _LETTER_CLAUSE.match(s)
            title = m.group("title") if m else ""
            num = m.group("num") if m else ""
            # "3.2 ...", "A1. ..." and a short numbered title ("1. Governance") open a clause. A
            # numbered sentence ("1. The MLRO ...") opens one where no numbered clause is open
            # or the open one is its numbered sibling (a draft written as 1., 2., 3. paragraphs);
            # inside "3.2 The Firm must:" it is an item of that clause.
            sentence_no = _NUMBERED_SENTENCE.match(s)
            # "... the Firm must:" keeps its items, up to a blank line
            if line_before.endswith(":") and not was_blank:
                in_list = True
                # the first item says how the list is numbered: "4. Knowing our clients" after
                # the items "(a) ... (c)" of "the MLRO:" is no item of theirs (a PDF has no blank
                # line to end the list, a consultant's trial, 2026-12-05)
                numeric_list = bool(num.isdigit())
            item = num.isdigit() and in_list and numeric_list
            # a number at the start of a line that goes on from an unfinished one ("... listed
            # in paragraph / 2. ...") is a wrapped cross-reference, not a new paragraph
            # (not after a heading: a DOCX has no blank line after one, and "1. The Board ..."
            # under "Part A Governance" was read as a wrapped line, so no clause of a Word draft
            # with typed numbers was split out, a consultant's trial, eighteenth session)
            # (nor after a title line a PDF does not mark as a heading, "Part A. General": a
            # consultant's PDF draft had no clause split out, every finding citing "unnumbered
            # text", thirty-seventh session)
            wrapped = (bool(line_before) and not was_blank and not heading_before
                       and not _FINISHED.search(line_before)
                       and not _title_line(line_before))  # fmt: skip
            if (
                m
                and not item
                and not (num.isdigit() and wrapped)
                and (
                    "." in num
                    or not num.isdigit()
                    or (len(title) < 80 and not title.endswith("."))
                    or (
                        sentence_no
                        and (ref is None or policy_para or running)
                        and _next_para(policy_no, num)
                    )
                )
            ):
                policy_para = (
                    bool(sentence_no)
                    and num.isdigit()
                    and (len(title) >= 80 or title.endswith((".", ":")))
                )  # a numbered sentence, not a numbered title ("1. Governance")
                policy_no = int(num) if num.isdigit() else 0
                # a clause that opens ends the list of the one before (a PDF has no blank line
                # to end it: "8. Records" after clause 2.2's "having regard to:" list was read
                # as an item, and every later section heading glued to the clause before it, a
                # consultant's trial, 2026-12-05)
                in_list = False
                ref = f"Clause {num}"
                open_section(i, ref, path(), False, True)
                continue
    if not sections and doc.lines:
        sections.append(_Section(0, len(doc.lines), None, (), False, False))
    return sections


_Key = tuple[str, int, int, str]  # (letter prefix, number, inserted "-n", suffix letter)
_NUMBER_PART = re.compile(r"^(?P<pre>[A-Z]?)(?P<n>\d+)(?P<suf>[A-Z]?)(?:-(?P<ins>\d+))?$")
_NUMBERED_PARA = re.compile(r"^(?P<n>\d{1,3})[.)](?:\s+(?P<text>[A-Z(\"'“‘].*))?$")
# a paragraph numbered within its part: "3.6 Offers of ...", "3.6. Offers ...", "3.1 \tEligibility"
# (not "3.3 (a) to (c) below ...", a cross-reference a PDF line opens with: a review)
_SUB_PARA = re.compile(r"^(?P<n>\d{1,3})\.(?P<m>\d{1,3})\.?\s+(?P<text>[A-Z\"'“‘].*)$")
# "7.A. Provision of ...", "7.A.1. A fine ..." (a letter, then a number, within part 7)
_LETTERED_PARA = re.compile(r"^(?P<n>\d{1,3})\.(?P<id>[A-Z](?:\.\d{1,3})?)\.?\s+(?P<text>\S.*)$")
# "SECTION I GENERAL ...", "SECTION I.A. Subject to ...", "SECTION VIII.C.15. The term ..."; a
# "SECTION" line with no numeral is a title
# (a "SECTION" line with no numeral is a title only in capitals: "SECTION 58 of FSMR sets out
# ..." is a sentence, a review)
_ROMAN_SECTION = re.compile(
    r"^SECTION(?:\s+(?P<id>[IVXL]{1,6}(?:\.[A-Z](?:\.\d{1,3})?)?)\.?(?:\s+(?P<text>\S.*))?"
    # the section's annexes: "SECTION VIII.ANNEX 1" is "Annex 1"
    r"|\s+[IVXL]{1,6}\.(?P<annex>ANNEX\s+\d{1,2})|\s+[A-Z][A-Z ,&'()/:-]{3,}|\s*)$"
)
# an appendix's heading in a guidance note: "APPENDIX A: EXEMPT OFFER CRITERIA", "Annex 2 -
# Templates", "APPENDIX.Appendix B: API Standards" (its part's name before it), "APPENDIX C"; a
# title after the letter is in capitals or set off by a colon or a dash (not "Appendix A sets out
# ...", a sentence)
_APPENDIX = re.compile(
    r"^(?:[A-Z]+\.)?(?P<kind>APPENDIX|Appendix|ANNEX|Annex)\s+(?P<id>[A-Z]|\d{1,2}|[IVX]{1,4})"
    r"(?:\s*[:–—-]\s*(?=\S)(?!.*\.$)(?:\S+(?:\s+|$)){1,10}|\s+[A-Z][A-Z0-9 ,&()'/–—“”\"’-]{2,118}|\s*:?)$"
)
# a rule an appendix reproduces, by its number: "4.3.1 For the purposes ...", "4.3.3 (1) Subject"
_APPENDIX_RULE = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3}){1,3})\.?\s+(?=[A-Z(\"'“‘])")
_CHAPTER_NUM = re.compile(
    r"^\s*(?:(?:CHAPTER|PART)\s+|(?P<app>APP(?:ENDIX)?\s*))?(?P<num>\d{1,3}(?:-\d{1,2})?)\b",
    re.IGNORECASE,
)
_CAPS_HEADING = re.compile(r"^(?=.*[A-Z]{3})[A-Z0-9][A-Z0-9 ,&()'/:–—-]{2,118}$")
_BARE_NUMBER = re.compile(r"^(?:[A-Z]{0,3})?\d{1,3}(?:[.\-]\d{1,3}[A-Z]?)*\.?$")
# a paragraph that opens a list: it ends with a colon or a dash, or a hyphen typed for one after
# a word ("... shall be read as follows -"), as ``assistant.language.text.is_list_stem`` reads it
_OPENS_LIST = re.compile(r"(?:[:—–]|[^\W\d_][.,)]?[ \t]+-)\s*$")
_FINISHED = re.compile(r"[.:;!?)\]\"'”’]$")


def _key(number: str) -> tuple[_Key, ...]:
    out: list[_Key] = []
    for part in number.split("."):
        m = _NUMBER_PART.match(part)
        if not m:
            return ()
        out.append((m.group("pre"), int(m.group("n")), int(m.group("ins") or 0), m.group("suf")))
    return tuple(out)


_RUN_ON_SECTION = re.compile(r"^\s*(\d{1,3})\.\s{1,3}(?=[A-Z])")
_DOTTED_RULE = re.compile(r"^\s*(?:[A-Z]{2,8}\s+)?\d{1,3}\.\d{1,3}\.\d{1,3}[A-Z]?\.?\s")


# A Part's number written before every number of the Part ("PART 5.11.\tCONSTITUTION",
# "PART 5.11.1.1.(1) This Chapter applies ...": chapter 11, rule 11.1.1 of Part 5), as an export
# of ADGM's FUNDS rulebook writes them: each rule was cited "FUNDS 5" (a consultant's trial,
# twenty-eighth session). Read without it where three lines or more carry it before a rule number.
# (a review: with a chapter's letter, "PART 5.13A.4.1 ...", or a direction mark after the Part's
# number, "PART 5.\u200e12.4.2.Guidance.1", the Part's number was left and cited "FUNDS 5")
# an appendix's number written before each of its rules' numbers, which carry its letter and
# number themselves ("APP4.A4.3.25 ...", "APP 1.A1.1.2.(1) ..."): PRU's appendix 4 was one
# "PRU APP4" of 209 passages, and "What does PRU A4.3.25 say?" was "not in the indexed rules"
# (a rule lookup trial, thirty-seventh session)
_APP_PREFIX = re.compile(r"^APP\s?(\d{1,2})\.[\u200e\u200f]*(?=A\1\.\d)")
_PART_PREFIX = re.compile(r"^PART\s+\d{1,2}\.[\u200e\u200f]*(?=\d{1,3}[A-Z]?(?:\.|\s))")
_PART_RULE = re.compile(r"^\s*PART\s+\d{1,2}\.[\u200e\u200f]*\d{1,3}[A-Z]?\.\d{1,3}\.\d{1,3}")
# the export's title joined to a number by underscores ("8.1.Regulator_Notification.(1)": rule
# 8.1's paragraph (1) under its title), read without it; a title of one word too ("9.1.1.
# Application.(1)": FUNDS 9.1.1 was cited "FUNDS 9.1" as guidance, a search trial, thirty-sixth
# session), not "Guidance", which opens the rule's guidance
_JOINED_TITLE = re.compile(
    r"^(\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)+)\.(?!Guidance\b)[A-Z][A-Za-z]*(?:_[A-Za-z]+)*"
    r"(?=\.\(|\.Guidance\b|\s|$)"
)


# a statute's Part, and its Chapter, before a section's number: "Part 3.7.(2) ...", "Part 3.7.
# Record keeping", "Part 1.Chapter 1.1.(1) ..." (in capitals, "PART 5.11. CONSTITUTION", a
# rulebook's chapter, ``_PART_PREFIX``)
_PART_SECTION = re.compile(
    # (the fewest numbers before the section's: "Part 4.18.19." is section 19, "Part 6.Part
    # 7.79.(1)" section 79's (1), as ADGM's export writes some, a review)
    r"^Part\s+\d{1,2}\.[\u200e\u200f]*(?:(?:(?:Chapter|Part)\s+)?\d{1,3}\.[\u200e\u200f]*)*?"
    r"(?=\d{1,3}[A-Z]?\.(?:\(|\s|$))"
)


_LONE_SCHEDULE = re.compile(r"^(?:Schedule|SCHEDULE)[ \t]*$")


def part_sectioned(doc: Document) -> bool:
    """Whether ``doc`` is numbered as a statute writing its Part before each section's number
    ("Part 3.7.(2) ..."), whatever its kind and rulebook."""
    return not _part_prefixed(doc) and _part_sectioned(doc)


def _part_sectioned(doc: Document) -> bool:
    """Whether the document writes a Part before its sections' numbers (``_PART_SECTION``), on
    three lines or more, its sections numbered across its Parts as a statute's are: a document
    whose numbers start again in each Part ("Part 2.1.") numbers its provisions within Parts,
    and its Part 2's "1." is no section 1 (a review)."""
    seen: list[tuple[str, int]] = []
    for ln in doc.text.split("\n"):
        m = _PART_SECTION.match(ln.strip())
        if m:
            part = m.group(0)
            number = re.match(r"\d+", ln.strip()[m.end() :])
            seen.append((part, int(number.group(0)) if number else 0))
    if len(seen) < 3:
        return False
    # each Part's (or Chapter's) first number is not below the last of the Part before (a
    # section may go on across a Chapter's heading)
    blocks: list[list[int]] = []
    for i, (part, n) in enumerate(seen):
        if i == 0 or seen[i - 1][0] != part:
            blocks.append([])
        blocks[-1].append(n)
    return all(b[0] >= max(a) for a, b in pairwise(blocks))


def _part_prefixed(doc: Document) -> bool:
    """Whether the document writes its Part's number before its rule numbers (``_PART_PREFIX``)."""
    return sum(1 for ln in doc.text.split("\n") if _PART_RULE.match(ln)) >= 3


def _dotted_rules(doc: Document) -> bool:
    """Whether the document numbers rules as rulebooks do ("3.1.1 ..."), three lines or more."""
    return sum(1 for ln in doc.text.split("\n") if _DOTTED_RULE.match(ln)) >= 3


def _chapter_number(line: str) -> str | None:
    m = _CHAPTER_NUM.match(line)
    if not m:
        return None
    return f"APP{m.group('num')}" if m.group("app") else m.group("num")


_NESTED = re.compile(r"(?P<num>\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)+)\.?\s+(?P<first>\S)")


def _number_of(ref: str) -> str | None:
    """The number of a rule reference ("4.5" of "AML 4.5")."""
    m = re.search(r"\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)*$", ref)
    return m.group(0) if m else None


def _nested_number(line: str, under: str) -> str | None:
    """The rule number a body paragraph opens with, where it is below ``under`` ("4.5.1 A
    Relevant Person ..." under the heading "4.5 Record keeping") and its text starts with a
    capital or a paragraph label ("7.1.1 (1) A Relevant Person must:"); None otherwise."""
    m = _NESTED.match(line)
    if not m or not (m.group("first").isupper() or m.group("first") == "("):  # "7.1.1 (1) A ..."
        return None
    num = m.group("num")
    return num if num.startswith(under + ".") else None


_BARE_NESTED = re.compile(r"^(?P<num>\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)+)\.?$")


def _bare_nested_number(doc: Document, i: int, line: str, under: str) -> str | None:
    """A rule number alone on its line below ``under``, its text on the next line, which opens
    with a paragraph label or a capital ("8.2.1" then "(1) For the purposes of ..."): how
    consolidated rulebooks set a rule with paragraphs; it was read as part of the section
    above, so "AML 8.2" was cited and reported changed for 8.2.1(5) (a consultant's trial,
    twenty-fourth session)."""
    m = _BARE_NESTED.match(line)
    if not m or not m.group("num").startswith(under + "."):
        return None
    for ln in doc.lines[i + 1 : i + 3]:
        nxt = doc.text[ln.start : ln.end].strip()
        if nxt:
            # a paragraph label, or a sentence: not a contents list's title ("8.2.1" then
            # "Timing of verification" opened a stub under the rule's ref, a review)
            text = nxt[0] == "(" or (nxt[0].isupper() and _FINISHED.search(nxt) is not None)
            return m.group("num") if text else None
    return None


def _next_lines(doc: Document, i: int, n: int = 2) -> list[str]:
    """The next ``n`` non-blank lines after line ``i`` (within ``n + 2`` lines)."""
    out = []
    for ln in doc.lines[i + 1 : i + n + 3]:
        if nxt := doc.text[ln.start : ln.end].strip():
            out.append(nxt)
    return out[:n]


def _ends_sentence(before: str) -> bool:
    """Whether the line before (empty after a heading) ends a sentence, an item or a heading:
    a number after "... the conditions in Rule" is the reference it goes on with, not a rule
    opening (a review)."""
    return not before or _FINISHED.search(before) is not None


def _wide_line(doc: Document) -> int:
    """The length of a full line of running text (a high percentile of line lengths)."""
    lengths = sorted(ln.end - ln.start for ln in doc.lines if ln.end - ln.start > 20)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _unfinished(before: str, wide: int, full: float = 0.75) -> bool:
    """A full-width line (``full`` of the widest) that stops mid-sentence: the next line
    continues it."""
    if not wide or len(before) < full * wide or _FINISHED.search(before):
        return False
    return (before[-1].isalpha() and before[-1].islower()) or before[-1] in ",-–"


def _plausible_next(cur: tuple[_Key, ...] | None, new: tuple[_Key, ...]) -> bool:
    """Whether ``new`` can follow rule ``cur``: the next rule, section or chapter, a rule
    inserted after it (``9.3.1A``, ``11-1``) or its first sub-rule; small gaps allowed."""
    if cur is None or not cur or not new:
        return True
    if new[0][0] != cur[0][0]:  # a new family, such as an appendix (A1.1): a fresh start
        return True
    if new == cur:
        return False
    for depth in range(min(len(cur), len(new))):
        a, b = cur[depth], new[depth]
        if a == b:
            continue
        step = (b[1] - a[1], b[2] - a[2], b[3] > a[3])
        forward = step[0] > 0 or (step[0] == 0 and (step[1] > 0 or step[2]))
        if not forward or step[0] > 3:
            return False
        return all(k[1] <= 2 for k in new[depth + 1 :])  # what follows restarts at 1
    if len(new) > len(cur):  # the first sub-rule: 1.1 -> 1.1.1
        return all(k[1] <= 2 for k in new[len(cur) :])
    return False


def _reads_as_text(number: str, lines: list[str], strict: bool) -> bool:
    """Whether ``lines`` (the next two lines after a rule ``number`` without a title) can be a
    rule's title or text: the first opens with the number again and a paragraph label
    ("8.2.1.(1) For a Relevant Person ...", as the consolidated text files set a rule), a
    paragraph label, a bracket ("[Deleted]"), a quote or a capital, not another number ("3.2.2"
    then "4." is a table's row). ``strict`` (the number is out of sequence), it also has three
    words or more or ends a sentence, or is a short title with such a line after it
    ("Retention" then "Records must be kept ..."); a table's next cell ("Only Rule" above
    "9.2.2 (3)", "Whole") is neither."""

    def text(line: str) -> bool:
        return len(line.split()) >= 3 or _FINISHED.search(line) is not None

    first = lines[0] if lines else ""
    if first.startswith(number) and re.match(r"\.?\s*\(", first[len(number) :]):
        return True
    if not first or not (first[0] in "([\"“‘'" or first[0].isupper()):  # "[Deleted]"
        return False
    if not strict or text(first):
        return True
    after = lines[1] if len(lines) > 1 else ""
    return bool(after) and (after[0] in "([" or after[0].isupper()) and text(after)


# a line opening with a rule's paragraph or item label ("(b) ...", "(4) ...", "(iii) ...")
_ITEM_LABEL = re.compile(r"\s*\((\d{1,2}|[ivx]{1,4}|[a-z])\)\s")


def _item_kind(label: str) -> str:
    """ "digit", "roman" ("i", "iv"; "(i)" opening a list is a numeral) or "letter"."""
    if label.isdigit():
        return "digit"
    return "roman" if label == "i" or (len(label) > 1 and set(label) <= set("ivx")) else "letter"


def _succeeds(before: str, label: str) -> bool:
    """Whether item ``label`` comes right after ``before``: "(b)" after "(a)", "(4)" after "(3)"."""
    if before.isdigit() and label.isdigit():
        return int(label) == int(before) + 1
    return len(before) == len(label) == 1 and before.isalpha() and ord(label) == ord(before) + 1


def _items_before(
    doc: Document, sections: list[_Section], i: int, ref: str | None
) -> dict[str, str]:
    """The last label of each kind among the lines of the rule's text open before line ``i``
    (``_item_kind``: "(2)" and "(a)" of "(2) ...: (a) ..."), where a guidance opens inside its
    list; empty where the open section is no rule text of ``ref``."""
    found: dict[str, str] = {}
    if ref and sections and not sections[-1].is_guidance and sections[-1].ref == ref:
        for j in range(i - 1, sections[-1].first - 1, -1):
            if m := _ITEM_LABEL.match(_line_text(doc, doc.lines[j])):
                found.setdefault(_item_kind(m.group(1)), m.group(1))
    return found


def _next_paragraph(line: str, after: tuple[str, ...]) -> bool:
    """Whether ``line`` opens a paragraph of a rule after paragraph ``after`` (one label, "3"):
    "(4) ..." after "(3)", "(c) ..." after "(b)", of the same kind; False without a label."""
    m = re.match(r"\s*\((\d{1,2}|[a-z])\)\s", line)
    if not m or not after:
        return False
    new, old = m.group(1), after[0]
    if new.isdigit() and old.isdigit():
        return int(new) > int(old)
    return len(new) == len(old) == 1 and new.isalpha() and old.isalpha() and new > old


# the words a sentence goes on with after a rule's number it names ("Rule / 6.1.3 and the ...")
_GOES_ON = frozenset(
    [
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "under",
        "as",
        "which",
        "that",
        "where",
        "when",
        "if",
        "unless",
        "than",
        "above",
        "below",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "applies",
        "apply",
        "shall",
        "must",
        "may",
        "should",
        "will",
        "can",
        "respectively",
    ]
)


def _is_rule_heading(
    h: Heading,
    before: str,
    cur: tuple[_Key, ...] | None,
    anchor: tuple[_Key, ...] | None,
    wide: int,
    after: list[str] | None = None,
) -> bool:
    """A rule number at the start of a plain-text line opens a rule unless the line reads as a
    wrapped cross-reference: text after the number in lower case ("6.6.5 as relevant;"),
    paragraph labels glued to it ("1.2.1(2). The"), the previous full-width line stopping
    mid-sentence, or a number out of sequence after an unfinished line or going backwards."""
    assert h.ref is not None
    after = after or []
    if h.ref.paras:
        return False
    new = _key(h.ref.number)
    if h.title and h.title[0].islower():
        # (the next rule in sequence, after a finished sentence, whose text opens in lower case
        # as the source typed it: "8.8.3 persons subject to enforcement action may be prepared
        # to agree ..." was cited "GPM 8.8.2", a regulatory lawyer's trial, thirty-third
        # session; a wrapped reference, "6.6.5 as relevant;", is short or follows no stop)
        # (not a reference's sentence going on: "6.1.3 and the Guidance below", "4.5.3 of these
        # Rules is read with ...")
        return (_plausible_next(cur, new) and (not before or bool(_FINISHED.search(before)))
                and len(h.title.split()) >= 8
                and h.title.split()[0].lower() not in _GOES_ON)  # fmt: skip
    if new and new[0][1] == 0 and not new[0][0]:
        return False  # no rulebook has a chapter 0: "0.70" is a table's value
    if not re.search(r"[^\W\d_]", h.title) and not _reads_as_text(
        h.ref.number, after, strict=not _plausible_next(cur, new)
    ):
        # a number without a title and with no rule text after it: a table's
        # cell ("Whole Chapter, except Rule 9.2.2(3), 9.3.12 and / 9.3.13" in an application
        # table opened "PRU 9.3.13" and held the next 31 pages of glossary, a CFO's trial on
        # the real PRU rulebook, twenty-fifth session)
        return False
    if _plausible_next(cur, new) or _plausible_next(anchor, new):
        # The next rule in sequence: a reference only after a line that ran to the margin
        # mid-sentence (an untitled sub-heading line before it is shorter).
        return not _unfinished(before, wide, 0.85)
    if _unfinished(before, wide):
        return False
    # Out of sequence: a heading only where the number moves forward (rules can be deleted or
    # a document can be an extract), after a line that closed its sentence, and, beyond the
    # current chapter, with a title of its own (a bare "14.2.6." is a reference in a table).
    if cur and new and new > cur and (new[0] == cur[0] or h.title):
        return not before or bool(_FINISHED.search(before)) or len(before) < 0.75 * max(wide, 1)
    return False


def _numbered_after(doc: Document, i: int, para_no: int) -> bool:
    """Whether a paragraph that goes on from the body's numbering (part ``para_no`` open: "4.
    ...", "5. ...", "3.2 ...") opens a line from ``i`` on: an appendix comes after the last of
    them, so a line naming one before them is a contents entry or a reference ("Annex 1" in the
    body swallowed the rest of a note: a review); an appendix's own items ("1. Name ...") do not
    go on from it (a second review)."""
    for ln in doc.lines[i:]:
        t = doc.text[ln.start : ln.end].strip()
        m = _NUMBERED_PARA.match(t)
        if m and 0 < int(m.group("n")) - para_no <= 2:
            return True
        m = _SUB_PARA.match(t)
        if m and 0 <= int(m.group("n")) - para_no <= 1:
            return True
    return False


def _next_number(ref: str | None, num: str) -> bool:
    """Whether ``num`` ("4.3.2") is the number after the one ``ref`` ends with ("Appendix A
    4.3.1"): in sequence, it opens the next rule whatever the line before it left open."""
    last = (ref or "").rsplit(" ", 1)[-1].split(".")
    new = num.split(".")
    return (
        len(last) == len(new) > 1
        and all(x.isdigit() for x in last)
        and last[:-1] == new[:-1]
        and int(new[-1]) == int(last[-1]) + 1
    )


def _next_line(doc: Document, i: int) -> str:
    """The next non-blank line from ``i`` (within three), stripped; "" where there is none."""
    return next(
        (s for ln in doc.lines[i : i + 3] if (s := doc.text[ln.start : ln.end].strip())), ""
    )


def _opens_paragraph(doc: Document, i: int, para_no: int) -> bool:
    """Whether the next non-blank line from ``i`` starts the next numbered paragraph."""
    m = _NUMBERED_PARA.match(_next_line(doc, i))
    return bool(m) and 0 < int(m.group("n")) - para_no <= 2  # type: ignore[union-attr]


def _opens_sub_paragraph(doc: Document, i: int, para_no: int) -> bool:
    """Whether the next non-blank line from ``i`` opens paragraph 1 or 2 of part ``para_no``
    ("3.1 ..." after "3. INITIAL COIN OFFERINGS")."""
    m = _SUB_PARA.match(_next_line(doc, i))
    return bool(m) and int(m.group("n")) == para_no and int(m.group("m")) <= 2  # type: ignore[union-attr]


# "B.8. It remains ...", "D.1.2 The risk appetite ..." and a lettered part's title, "B. APPLICATION"
_LETTER_PARA = re.compile(r"^(?P<id>[A-Z]\.\d{1,3}(?:\.\d{1,3}){0,2})\.?\s+(?P<text>\S.*)$")
_ANNEX_LINE = re.compile(
    r"^(?:ANNEX|APPENDIX|SCHEDULE)(?:\s+[A-Z0-9]{1,4})?\.?(?:\s+[A-Z][A-Z ,&'()/:-]*)?$"
)
_LETTERED_PART = re.compile(r"^[A-Z]\.\s+[A-Z][A-Z0-9 ,&'()/:-]{2,}$")


def _lettered_paragraphs(doc: Document, book: str | None) -> bool:
    """Whether a document without rule headings numbers its paragraphs within lettered parts
    (``_LETTER_PARA``), three lines or more, under a lettered part's title."""
    if doc.kind != "guidance" and book is not None:
        return False
    paras = parts = rule_headings = 0
    for ln in doc.lines:
        s = doc.text[ln.start : ln.end].strip()
        paras += bool(_LETTER_PARA.match(s))
        parts += bool(_LETTERED_PART.match(s))
        if book is not None:  # (a rulebook's annex "A. FORM OF NOTICE" is no such note, a review)
            h = match_heading(s, book)
            rule_headings += h is not None and h.ref is not None and h.title[:1].isupper()
    return paras >= 3 and parts >= 1 and rule_headings < 3


def _numbered_paragraphs(doc: Document, book: str | None) -> bool:
    """Guidance notes without rule numbers cite their numbered paragraphs ("12. The FSRA ...")."""
    if doc.kind != "guidance" and book is not None:
        return False
    rule_headings = 0
    paras = 0
    for ln in doc.lines:
        s = doc.text[ln.start : ln.end].strip()
        if book is not None:
            h = match_heading(s, book)
            if h is not None and h.ref is not None and h.title[:1].isupper():
                rule_headings += 1
        if _NUMBERED_PARA.match(s):
            paras += 1
    return paras >= 3 and rule_headings < 3


def _guidance_goes_on(doc: Document, i: int, rule: str) -> bool:
    """Whether, after the table rows from line ``i`` on, the next line is more of ``rule``'s
    numbered guidance ("1.1.1.Guidance.2 ...")."""
    for ln in doc.lines[i:]:
        s = doc.text[ln.start : ln.end].strip()
        if not s or " | " in s:
            continue
        return bool(re.match(re.escape(rule) + r"\.(?:\(\w{1,4}\)\.)*Guidance\b", s))
    return False


def _heading_ref(htext: str, book: str | None, is_policy: bool) -> str | None:
    """The rule (or policy clause) a Markdown/DOCX heading opens, if any."""
    if is_policy:
        m = _CLAUSE.match(htext)
        return f"Clause {m.group('num')}" if m else None
    h = match_heading(htext, book)
    if h is not None and h.ref is not None:
        return str(h.ref)
    ref = parse_ref(htext)
    if ref is not None and htext.upper().startswith(ref.book.split("(")[0]):
        return str(ref)
    return None


# a sentence's finite verb: a line that says something, no title
_STATES = re.compile(rf"{_STATE_WORDS}[^.]*\.\s*$")


def _closes_line(text: str, end: int) -> bool:
    """Whether the line ending at ``end`` closes what it says: a finished sentence or item
    (``_FINISHED``), or a list's "and" / "or". Only the line's last characters are read (the
    paragraph before it may be long)."""
    tail = text[max(0, end - 8) : end].rstrip()
    return bool(_FINISHED.search(tail) or re.search(r"\b(?:and|or)$", tail))


def _paragraphs(text: str, lines: tuple[Line, ...] | list[Line]) -> list[tuple[int, int]]:
    """Spans of paragraphs: split at blank lines, at lines opening "(1)", "(a)", bullets, at a
    list's item or a rule's numbered paragraph after a line that closed its own (``_ITEM_START``)
    and at a table's rows (cells joined by " | ": a long table was cut inside a row, "... for
    inclusion" in one piece, "in the Trading Book) | CRW of 400%" in the next)."""
    spans: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for ln in lines:
        s = text[ln.start : ln.end]
        if not s.strip():
            if cur:
                spans.append(cur)
                cur = None
            continue
        if cur is None:
            cur = (ln.start, ln.end)
        elif (_PARA_START.match(s) or ln.heading or " | " in s
              or (_ITEM_START.match(s) and _closes_line(text, cur[1]))):  # fmt: skip
            spans.append(cur)
            cur = (ln.start, ln.end)
        else:
            cur = (cur[0], ln.end)
    if cur:
        spans.append(cur)
    return spans


def _split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split one over-long paragraph at sentence ends, then at line ends, then at spaces."""
    cuts = [start] + [start + m.end() for m in _SENTENCE_END.finditer(text[start:end])
                      if not _after_label(text, start + m.end())] + [end]  # fmt: skip
    out: list[tuple[int, int]] = []
    a = start
    prev = start
    for c in cuts[1:]:
        if c - a > limit and prev > a:
            out.append((a, prev))
            a = prev
        prev = c
    out.append((a, end))
    final: list[tuple[int, int]] = []
    for a, b in out:
        while b - a > limit:
            # (a line's end before a space: an item the line before did not close, "iv. ...
            # exchange of" / "a Financial Asset, and", was cut inside it)
            cut = text.rfind("\n", a + limit // 2, a + limit) + 1 or text.rfind(
                " ", a + limit // 2, a + limit
            )
            cut = cut if cut > a else a + limit
            final.append((a, cut))
            a = cut
        final.append((a, b))
    return final


def _rebalance(text: str, a: int, b: int, limit: int, min_chars: int) -> list[tuple[int, int]]:
    """Cut ``text[a:b]`` (longer than ``limit``) in two pieces of at most ``limit`` characters,
    each at least ``min_chars`` long once trimmed: at the last paragraph end that allows it, else
    the last sentence end, else the last space. Where no cut allows both, at the boundary that
    leaves the shorter piece longest; only a text with no boundary at all is cut at ``limit``."""

    def sizes(cut: int) -> tuple[int, int]:
        first, second = trim_span(text, a, cut), trim_span(text, cut, b)
        return first[1] - first[0], second[1] - second[0]

    lo, hi = max(a + 1, b - limit), min(a + limit, b - 1)
    if lo > hi:
        return [(a, a + limit), (a + limit, b)]
    window = text[lo:hi]
    classes = (
        [lo + m.end() for m in re.finditer(r"\n\s*\n", window)],  # after a blank line
        [
            m.end() for m in _SENTENCE_END.finditer(text, lo, hi) if not _after_label(text, m.end())
        ],  # after a sentence's space
        # after a line's end (a list's item or a table's row: "iv. ... exchange of" / "a
        # Financial Asset, and" was cut inside its item, a review's measure)
        [lo + m.end() for m in re.finditer(r"\n", window)],
        [lo + i + 1 for i, ch in enumerate(window) if ch.isspace()],  # after a space
    )
    for candidates in classes:
        good = [c for c in candidates if min(sizes(c)) >= min_chars]
        if good:
            return [(a, good[-1]), (good[-1], b)]
    every = [c for candidates in classes for c in candidates]
    if every:
        cut = max(every, key=lambda c: (min(sizes(c)), c))
        return [(a, cut), (cut, b)]
    return [(a, a + limit), (a + limit, b)]


def trim_span(text: str, a: int, b: int) -> tuple[int, int]:
    """The span without leading and trailing whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _pieces(
    text: str,
    lines: tuple[Line, ...] | list[Line],
    cfg: ChunkingSettings,
    provisions: bool = False,
) -> list[tuple[int, int]]:
    """Pack a section's paragraphs greedily into pieces of at most ``max_chars``. In rulebook
    text (``provisions``) a numbered paragraph of a rule ("(2) ...") or of its Guidance
    ("2. ...") starts a new piece, as each is a provision of its own; lettered items stay
    with the paragraph they belong to."""
    limit = cfg.max_chars
    units: list[tuple[int, int, bool]] = []
    for a, b in _paragraphs(text, lines):
        hard = provisions and bool(_NUMBERED_PROVISION.match(text, a, b))
        parts = _split_long(text, a, b, limit) if b - a > limit else [(a, b)]
        units.extend((x, y, hard and k == 0) for k, (x, y) in enumerate(parts))
    pieces: list[tuple[int, int]] = []
    last_unit = 0  # where the last piece's last unit starts
    for a, b, hard in units:
        # a list's stem goes with its first item where the two cannot share the piece before:
        # a piece ending "... the Regulator shall not exercise the Write Down or Conversion
        # Power in relation to the following liabilities ...—" quoted no item, and the next
        # piece's "(a) secured liabilities ..." did not say what it was an item of (a bank's
        # recovery officer's trial on BRR s.49(7), thirty-fourth session)
        stem_moves = bool(
            pieces
            and last_unit > pieces[-1][0]
            and _OPENS_LIST.search(text, last_unit, pieces[-1][1])
            and b - last_unit <= limit
            and len(text[pieces[-1][0] : last_unit].strip()) >= cfg.min_chars
        )
        if hard and pieces and len(text[pieces[-1][0] : a].strip()) >= cfg.min_chars:
            if stem_moves:
                pieces[-1] = (pieces[-1][0], last_unit)
            pieces.append((last_unit if stem_moves else a, b))
        elif pieces and b - pieces[-1][0] <= limit:
            pieces[-1] = (pieces[-1][0], b)
        elif stem_moves:
            pieces[-1] = (pieces[-1][0], last_unit)
            pieces.append((last_unit, b))
        else:
            pieces.append((a, b))
        last_unit = a
    if len(pieces) > 1 and pieces[-1][1] - pieces[-1][0] < cfg.min_chars:
        # a short tail joins the piece before it; where that would break the size limit, the
        # two are cut again so that both fit and the tail is no fragment ("risk.")
        last = pieces.pop()
        a, b = pieces.pop()[0], last[1]
        pieces.extend([(a, b)] if b - a <= limit else _rebalance(text, a, b, limit, cfg.min_chars))
    out = [trim_span(text, a, b) for a, b in pieces]
    return [(a, b) for a, b in out if b > a]


def _chunk_records(doc: Document, cfg: ChunkingSettings) -> list[Chunk]:
    chunks: list[Chunk] = []
    for rec in doc.records:
        lines = []
        pos = 0
        for raw in rec.text.split("\n"):
            lines.append(Line(pos, pos + len(raw)))
            pos += len(raw) + 1
        ref_obj: Ref | None = parse_ref(rec.ref, books=(doc.rulebook,)) if rec.ref else None
        for n, (a, b) in enumerate(_pieces(rec.text, lines, cfg)):
            text = rec.text[a:b]
            chunks.append(Chunk(
                chunk_id=chunk_id_for(doc.doc_id, text, rec.id, n), doc_id=doc.doc_id,
                ordinal=len(chunks), text=text, ref=rec.ref,
                rulebook=ref_obj.book if ref_obj else doc.rulebook,
                heading_path=(rec.title,) if rec.title else (),
                pages=(rec.page,) if rec.page else (), record_id=rec.id, title=rec.title,
            ))  # fmt: skip
    return chunks
