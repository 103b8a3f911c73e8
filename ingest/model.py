"""Plain typed data shared by ingestion, the index, the CLI and the app."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("rules", "guidance", "policy", "other")
# Bump when the loaders, the chunker or the rule-reference parser change what a file becomes: every
# document's fingerprint changes with it, so the next ingest re-chunks existing indexes (unchanged
# text keeps its vectors by content hash) instead of silently serving chunks of an older parser.
PARSER_VERSION = 32  # 32: a DOCX's footnotes are read after its body, under "Footnotes", and a chapter introduction's guidance ("4.Introduction.Guidance.1. ...") is the chapter's guidance; 31: a table's later rows cut into a passage of their own keep the table's header row beside them (``Chunk.table_header``: searched with them, their figures read in its columns), and in a policy draft a clause number after a Markdown list marker or in bold ("- **8.1** ...") opens its clause; 30: an over-long passage is not cut where its line holds nothing before the cut but its opening label ("APP3.A3.2.Guidance.5. Where ..."), which left the label ending one passage and its text opening the next; 29: a policy draft's title line, for the clause after it, is a part's label with or without a title ("Part A", "Part iv. General", not "Part 2 of this Policy sets out ...") or capitalised words opening in capitals and not ending on an article or preposition ("the Board of" is a wrapped line); 28: an appendix's number written before its rules' numbers ("APP4.A4.3.25 ...", "APP 1.A1.1.2.(1) ...") is read as no part of them (PRU A4.3.25, not one "PRU APP4" of 209 passages), an appendix rule's guidance ("A4.1.Guidance.7.") is guidance as a chapter rule's is, and in a policy draft a numbered paragraph after a title line no heading marks ("Part A. General", a PDF's) opens its clause; 27: a rule number joined to a one-word title in a Part-prefixed export ("PART 4.9.1.1.Application.(1) ...") opens that rule, as an underscored title did; 26: a list's stem that ends a chunk goes to the next chunk with its first item, where the chunk before keeps its least length, and a statute's subsection line written after its Part number ("Part 6.Chapter 2.49.(7) ...") opens a paragraph, and a rule's next item or paragraph after a guidance set inside its list ("(a) ...", "Guidance", "If ...", "(b) ...") is the rule's text again; 25: a rule's guidance written with a title ("7.1.3.Guidance on the customer risk assessment", its paragraphs "7.1.3.Guidance on the customer risk assessment.1. ..."), on the rule's line as one paragraph ("8.4.1.Guidance When considering ..."), or under a chapter's number ("2.Guidance.1. ...") is the rule's (the chapter's) guidance, not its text, its title the heading it sits under (a chapter's title in capitals above it its first line), and a long one is cut at its paragraphs' lines; 24: 24: a short line that is a sentence ("APP 1.4. The Prospectus is available in English.") is kept where a bare title line is not, and an over-long paragraph is cut at a line's end before a space; 23: the next rule in sequence whose text the source opens in lower case ("8.8.3 persons subject to enforcement action may ...", after a finished sentence, eight words or more) opens that rule; 22: an appendix's rule written with its letter ("PIN A8.2.3") is a reference (looked up, cited), not text; 21: a table of defined terms ("Defined Terms | Definitions") after a rule's numbered guidance is the rule's glossary, not its guidance (ADGM's GLO), and a long section is cut at a line opening a numbered paragraph ("5.4.7.(d).Guidance.(xi) ..."), an item ("c) ...", "k. ...", "iii. ...") or a table's row, not inside a sentence or a row; 20: Markdown's inline emphasis ("**Deputy MLRO.**", "*Record keeping.*") is read without its stars and underscores; a statute writing its Part before each section's number ("Part 3.7.(2) ...", "Part 1.Chapter 1.1.(1) ...", sections numbered across Parts) is read in sections ("CRS s.7"); a guidance note's paragraphs lettered within a part ("7.A.1.") and a standard's sections it reproduces ("SECTION I.F.") are cited as written; paragraphs numbered within lettered parts ("B.8." under "B. APPLICATION") are cited "para B.8"; another regime's file name's code before "Guidance" or "Note" ("API - Guidance Note ...") is no rulebook; a line a statute's Part number opens is never a line wrapped from the one before; 19: a plain-text table between "/Table Start" and "/Table End" lines is rows of cells joined by " | " (its tabs were spaces, and the markers text), an ADGM file name's "VER07.181223" is its version date, and a guidance note's appendix ("APPENDIX A: EXEMPT OFFER CRITERIA", "ANNEX 2 ...") after its numbered paragraphs is cited as the appendix to the end, a rule it reproduces by its number ("Appendix A 4.3.5"), not as the paragraph before it; 18: a guidance note's paragraph numbered within its numbered part ("3.6 Offers of Securities ..." under "3. INITIAL COIN OFFERINGS") opens passage "para 3.6", not more of "para 3", and a part's title line before its "3.1" is the heading its paragraphs sit under, no passage of its own; 17: a PDF line ending with an article ("against the" / "Authorised Person ...") runs on into the next whatever it opens with, and one ending a reference list with its conjunction ("Rules 2.1.2 and" / "2.1.3.") or with a preposition before a reference ("as defined in" / "Schedule 1 of the FSMR") runs on into the reference, which opened no rule or schedule; 16: a Part's number written before each rule number ("PART 5.12.10.1.(2) ...", three lines or more) is read as no part of it (rule 12.10.1(2)), and another regime's own code that is an AIFC rulebook's other name is its own in a chunk's rulebook ("MKT 4.3.1" of ADGM's MKT, not the AIFC's MAR), and under an appendix's heading ("APP 1") a number without its letter ("6.2 Other information ...", an item of its table) or a numbered heading of its table is the appendix's, no rule of the rulebook; 15: ADGM's numbering read: a rule written "3.2.3.(1) An Authorised Person must ..." opens rule 3.2.3's paragraph (1), and a line "3.3.3.Guidance" or "3.3.2.(3).Guidance" opens that rule's guidance; 14: a rule whose heading or first line is "[Deleted]" or "[Repealed]" is repealed, as "[intentionally omitted]" was (not where guidance numbered "3.3.3.Guidance.1" follows it), and a policy clause "1. **Title.** ..." (Markdown emphasis) is a numbered clause; 13: a heading that writes the document's own rulebook code before its number ("COBS 15.9.4 Review", --rulebook COBS) opens that rule where the code is no AIFC one; 12: a PDF table's first column on the margin of the text above it starts where the cell beside it does (after a finished sentence), and a hanging label ("Note:", "Step 1") or a rule number opening a line is no cell, nor two columns of prose a table; 11: a statute (FSFR, or a document titled Regulations/Law/Act with its rulebook named) is numbered in sections across its Parts and Chapters ("4. Specific rule making powers. Client Money Rules" is section 4; a Part gives no ref), and its schedules' numbered paragraphs are no sections; 10: a PDF table's row is one line, its cells joined by " | " as a DOCX table's are (text drawn at one height in two or more columns, three rows or more), and no other line runs on into it; 9: a rule number without a title opens a rule only before a line that can be its title or text (out of sequence: three words or a finished sentence), so a table's cells open none, and no rule has chapter 0; a PDF line ending in the word that introduces a figure runs on into it; 8: a rule number typed at the start of a body paragraph under a numbered section heading (DOCX, Markdown) opens that rule, a page number third from a PDF page edge is furniture only where it counts the pages, reflow keeps title-case headings and "a." items apart; 7: a PDF line that runs on into the next is joined to it (a sentence wrapped over printed lines is one); 6: a page whose every line repeats at page edges with other digits is text, not furniture, and legacy encodings tied on chaos are ranked by their letters, then by how common they are; 5: a policy clause ends the list before it, and a lettered list has no numbered items; 4: policy clauses numbered across headings and after a DOCX heading; schedule headings in plain text


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Line:
    """A line of a document's normalised text: its span, page and Markdown heading level."""

    start: int
    end: int
    page: int | None = None
    page_label: str | None = None
    heading: int = 0


@dataclass(frozen=True)
class Record:
    """One JSONL passage: the retrieval unit for passage corpora."""

    id: str
    text: str
    title: str | None = None
    ref: str | None = None
    page: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A loaded file: identity, provenance and its normalised text (or records for JSONL)."""

    doc_id: str
    title: str
    source: str
    kind: str
    rulebook: str | None
    version: str | None
    content_hash: str
    fmt: str
    jurisdiction: str = "AIFC"
    text: str = ""
    lines: tuple[Line, ...] = ()
    records: tuple[Record, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    # What loading read (bytes, path, options, parser version): equal keys load to equal
    # documents, so a re-ingest of an unchanged file can skip parsing it (loaders.source_key).
    source_key: str = ""

    def fingerprint(self) -> str:
        """Changes when the content or anything that shapes its chunks' metadata changes."""
        parts = [self.content_hash, self.kind, self.rulebook or "", self.version or "", self.title,
                 self.jurisdiction, f"parser-{PARSER_VERSION}"]  # fmt: skip
        return sha256("\x1f".join(parts))[:32]


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: a verbatim slice of its document's text, with the rule it belongs to."""

    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    ref: str | None = None
    rulebook: str | None = None
    heading_path: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()
    page_labels: tuple[str, ...] = ()
    is_guidance: bool = False
    repealed: bool = False
    record_id: str | None = None
    title: str | None = None
    # where each of ``pages`` begins in ``text`` (0 for the first): a quote is cited on its own
    # page, not the chunk's first (an ops trial's quote on page 2 was cited "p. 1", 2026-12-04)
    page_starts: tuple[int, ...] = ()
    # the header row of the table a piece goes on with, where the piece's own text starts with
    # the table's later rows ("4 | 10,000, ..." cut from "Category | Base Capital Requirement (US
    # $)" in the piece before): its rows are read in its columns, and it is searched with it (a
    # founder's "Base Capital Requirement ... Category 4" found no answer, thirty-ninth session)
    table_header: str | None = None

    @property
    def heading(self) -> str | None:
        """The chunk's own (last) heading, without Markdown's marks; None when it has none."""
        return self.heading_path[-1].lstrip("# ") if self.heading_path else None

    def page_at(self, offset: int) -> tuple[int | None, str | None]:
        """The page (and its printed label) of the character at ``offset`` of ``text``."""
        if not self.pages:
            return None, None
        i = 0
        if len(self.page_starts) == len(self.pages):
            i = max((k for k, at in enumerate(self.page_starts) if at <= offset), default=0)
        labels = self.page_labels
        label = labels[i] if len(labels) == len(self.pages) else (labels[0] if labels else None)
        return self.pages[i], label

    def embed_text(self) -> str:
        """What the embedder and BM25 see: the rule's context, then the verbatim text."""
        head = " > ".join(self.heading_path)
        prefix = " | ".join(p for p in (self.ref, head, self.title) if p)
        if self.table_header:
            prefix = f"{prefix}\n{self.table_header}" if prefix else self.table_header
        return f"{prefix}\n{self.text}" if prefix else self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Chunk:
        d = dict(d)
        for key in ("heading_path", "pages", "page_labels", "page_starts"):
            d[key] = tuple(d.get(key) or ())
        return Chunk(**d)


def chunk_id_for(doc_id: str, text: str, ref: str | None, occurrence: int = 0) -> str:
    """Content-hash id: the same text under the same rule of the same document keeps its id,
    even when rules are inserted before it. ``occurrence`` separates verbatim repeats."""
    return sha256(f"{doc_id}\x1f{ref or ''}\x1f{occurrence}\x1f{text}")[:32]
