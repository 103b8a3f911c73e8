"""Files to ``Document``s: PDF (pypdf), Markdown, plain text, DOCX and JSONL passages.

Every loader produces normalised text plus per-line page and heading information; chunks are
later cut as slices of that text, so any quote taken from a chunk is verbatim in the source.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ingest import model
from ingest.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    MissingFileError,
    NoTextError,
    UnsupportedFileError,
)
from ingest.model import KINDS, Document, Line, Record, sha256
from ingest.refs import canonical_book, detect_rulebook, own_book
from ingest.sniff import OLE, content_kind, rename_hint, text_kind

SUFFIXES = {
    ".pdf": "pdf",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".docx": "docx",
    ".jsonl": "jsonl",
}

_DATE_IN_NAME = re.compile(
    r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_PAGE_NO = re.compile(r"^(?:page\s*)?[\divxlc]{1,6}(?:\s*(?:of|/)\s*\d{1,5})?$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^(#{1,6})\s+\S")


@dataclass(frozen=True)
class LoadOptions:
    kind: str | None = None
    version_date: str | None = None
    rulebook: str | None = None
    max_bytes: int = 50 * 1024 * 1024
    strip_repeated_lines: bool = True
    password: str | None = None
    title: str | None = None  # wins over the document's own title (an upload's file name)
    jurisdiction: str | None = None  # wins over the front matter's; default AIFC
    # where neither ``jurisdiction`` nor the front matter names one: the regime a file was first
    # ingested under by choice (``assistant.index.ingest``), else AIFC
    default_jurisdiction: str | None = None


# a jurisdiction's name that can mark a quote ("[ADGM]"): letters, digits, spaces, dots, hyphens
REGIME_NAME = re.compile(r"[A-Za-z][\w .()-]{0,23}")


def regime_name(name: str) -> str:
    """A jurisdiction as stored: AIFC and RK in capitals however written ("aifc" in a front
    matter was marked "[aifc]" as another regime's text, a review), another name as given."""
    name = " ".join(name.split())
    return name.upper() if name.upper() in ("AIFC", "RK") else name


def checked_regime(name: str) -> str | None:
    """A jurisdiction a user gives (``ingest --jurisdiction``, the app's upload) as stored
    (``regime_name``), or None where it could not mark a quote (``REGIME_NAME``)."""
    name = " ".join(name.split())
    return regime_name(name) if REGIME_NAME.fullmatch(name) else None


# a rulebook's code a user gives (the app's upload): "OSR", "PRU(INV)", "FATCA"
_RULEBOOK_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]{1,11}(?:\([A-Za-z0-9]{1,6}\))?")


def rulebook_code(name: str) -> str | None:
    """A rulebook's code a user types, as the index stores it and rule numbers cite it ("osr" is
    OSR, "PRU(BB)" PRUBB: only PRU(INV) keeps its brackets, ``canonical_book``), or None where it
    is no code (words, spaces, punctuation)."""
    from ingest.refs import canonical_book

    name = name.strip()
    return canonical_book(name) if _RULEBOOK_CODE.fullmatch(name) else None


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def doc_id_for(path: Path) -> str:
    """Stable per source path, readable: ``aml-6f1c2a``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:48] or "doc"
    return f"{slug}-{sha256(str(path.resolve()))[:6]}"


def source_key(path: Path, data: bytes, opts: LoadOptions) -> str:
    """Everything ``load`` reads: the file's bytes, its path and name, the options (less the PDF
    password, which is never stored, even hashed) and the parser version. Loading is
    deterministic in these, so an equal key means an equal document."""
    parts = [sha256(data), str(path.resolve()), path.name, repr(replace(opts, password=None)),
             f"parser-{model.PARSER_VERSION}"]  # fmt: skip
    return sha256("\x1f".join(parts))[:32]


def validate_date(value: str) -> str:
    """ISO date string or ValueError with the bad value."""
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}") from exc


def _is_date(value: object) -> bool:
    try:
        validate_date(str(value))
    except ValueError:
        return False
    return True


def _mb(size: int) -> str:
    """A size in MB (2**20 bytes) as a reader compares it with a limit: "53.5", "0.027"."""
    mb = size / 2**20
    return f"{mb:.1f}" if mb >= 1 else f"{mb:.2g}"


def load(path: Path, opts: LoadOptions | None = None) -> Document:
    """Load one file, raising an ``IngestError`` subclass that names the file and the reason."""
    opts = opts or LoadOptions()
    name = str(path)
    if not path.exists() and not path.is_symlink():
        # gone since the batch listed it (deleted or moved while an earlier file was embedded)
        raise MissingFileError(name, "no such file (removed during the ingest?)")
    if not path.is_file():
        raise UnsupportedFileError(name, "not a regular file")
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFileError(
            name,
            f"unsupported file type {path.suffix or '(none)'!r}",
            f"supported: {', '.join(sorted(SUFFIXES))}",
        )
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(name, "empty file (0 bytes)")
    if size > opts.max_bytes:
        raise FileTooLargeError(
            name,
            f"file is {_mb(size)} MB, over the {round(opts.max_bytes / 2**20, 3):g} MB limit",
            "raise REGASSIST_MAX_FILE_MB or split the file",
        )
    data = path.read_bytes()
    loader = {"pdf": _load_pdf, "markdown": _load_markdown, "text": _load_text,
              "docx": _load_docx, "jsonl": _load_jsonl}[fmt]  # fmt: skip
    parsed = loader(path, data, opts)
    if not parsed.text.strip() and not parsed.records:
        raise EmptyFileError(name, "no text in file")
    return _document(path, data, fmt, parsed, opts)


@dataclass
class _Parsed:
    text: str
    lines: list[Line]
    title: str | None = None
    meta: dict[str, Any] | None = None
    records: tuple[Record, ...] = ()


def _document(path: Path, data: bytes, fmt: str, p: _Parsed, opts: LoadOptions) -> Document:
    meta = dict(p.meta or {})
    own_title = _printable(str(meta.pop("title", "") or p.title or _title_from_name(path)))
    title = _printable(str(opts.title or own_title))
    if opts.title and own_title != opts.title:
        meta["heading"] = str(own_title)  # the document's own heading, kept beside the given title
    # the in-force date, where the front matter gives one, is the date `--as-of` and `changes`
    # place the version by (with "version: 2026-01-01" and "in_force: 2026-06-01" a question as
    # of March was answered from it, a consultant's trial 2026-12-05); "version" stays metadata
    # (only a date: "in_force: true" is a status, not the version's date, a review)
    in_force = meta.get("in_force")
    if in_force is not None and not _is_date(in_force):
        in_force = None
    else:
        meta.pop("in_force", None)
    version = opts.version_date or in_force or meta.pop("version", None)
    given_kind = opts.kind or meta.pop("kind", None)
    kind = given_kind or _guess_kind(path)
    jurisdiction = regime_name(
        str(
            opts.jurisdiction
            or meta.pop("jurisdiction", None)
            or opts.default_jurisdiction
            or "AIFC"
        )
    )
    meta.pop("jurisdiction", None)
    # another regime's rulebook keeps its own code ("MKT" is ADGM's, not the AIFC's MAR)
    foreign = jurisdiction not in ("AIFC", "RK")
    # (ADGM's "VER07.181223" is read from the name of another regime's file only: indexed as
    # AIFC text, unrelated ADGM files read as one rulebook hid each other as its versions, a
    # review, thirty-first session)
    version = version or meta.pop("version_date", None) or _date_from_name(path.name, foreign)
    if version is not None:
        version = str(version)
    rulebook = opts.rulebook or meta.pop("rulebook", None)
    if rulebook is not None:
        rulebook = own_book(str(rulebook)) if foreign else canonical_book(str(rulebook))
    if rulebook is None and fmt != "jsonl" and kind != "policy":
        rulebook = detect_rulebook(path.name, title, p.text, foreign=foreign)
    if given_kind is None and kind == "other" and rulebook:
        kind = "rules"
    if kind not in KINDS:
        raise UnsupportedFileError(str(path), f"unknown kind {kind!r}", f"use one of {KINDS}")
    return Document(
        doc_id=doc_id_for(path),
        title=title,
        source=str(path.resolve()),  # from any directory (a relative path named another file)
        kind=str(kind),
        rulebook=str(rulebook) if rulebook else None,
        version=version,
        content_hash=sha256(data),
        fmt=fmt,
        jurisdiction=jurisdiction,
        text=p.text,
        lines=tuple(p.lines),
        records=p.records,
        metadata={k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))},
        source_key=source_key(path, data, opts),
    )


def _guess_kind(path: Path) -> str:
    lowered = str(path).lower()
    if "polic" in lowered or "procedure" in lowered or "manual" in lowered:
        return "policy"
    if "guidance" in lowered or "perg" in lowered:
        return "guidance"
    return "other"


# control characters (C0, DEL, C1) as their escapes: a title is printed by `docs`, `search`,
# `ask` and the exports, and a file named with a carriage return or a terminal's escape
# sequence ("esc\x1b]0;pwned\x07.md") rewrote the terminal line (a security review, twenty-third
# session)
_CONTROL = {c: repr(chr(c))[1:-1] for c in (*range(32), *range(127, 160))}


def _printable(text: str) -> str:
    """``text`` on one line: a tab or a line break as a space (a DOCX title on two lines, a
    review), any other control character as its escape."""
    return text.translate({9: " ", 10: " ", 13: " "}).translate(_CONTROL)


def _title_from_name(path: Path) -> str:
    stem = _DATE_IN_NAME.sub("", path.stem)
    # (runs of spaces as one: "Guidance - Regulation of ..." was "Guidance   Regulation", a trial)
    return re.sub(r"\s+", " ", re.sub(r"[_\-]+", " ", stem)).strip() or path.name


# a version number and its date, day first, as ADGM names its rulebooks' files: "VER07.181223"
# (18 December 2023), "VER03.18042019", "(VER02.181223)"
_VERSION_IN_NAME = re.compile(
    r"(?<![A-Za-z])VER\s?\d{1,3}[._](?P<d>0[1-9]|[12]\d|3[01])(?P<m>0[1-9]|1[0-2])"
    r"(?P<y>\d{4}|\d{2})(?!\d)",
    re.I,
)


def _date_from_name(name: str, versioned: bool = False) -> str | None:
    """The date a file's name gives its version: ISO "2023-07-01" (or "20230701"), or, where
    ``versioned`` (another regime's file), ADGM's "VER07.181223" (its files' versions were read
    as none, so ``--as-of`` could not tell them apart: trials of the thirtieth and thirty-first
    sessions)."""
    m = _DATE_IN_NAME.search(name)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        v = _VERSION_IN_NAME.search(name) if versioned else None
        if v:
            year = int(v["y"]) + (2000 if len(v["y"]) == 2 else 0)
            return date(year, int(v["m"]), int(v["d"])).isoformat()
    except ValueError:
        return None
    return None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control bytes: not a text file, whatever its extension says."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    control = sum(b < 9 or 13 < b < 32 for b in sample)
    return control > len(sample) * 0.1


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))  # fmt: skip
# Glyph variants a shaping engine draws (Arabic initial/medial/final/isolated forms, circled,
# squared, vertical, small, halfwidth, math-font letters): text encodings store the base letter, so a text
# made of these is a byte-level accident, not writing.
_PRESENTATION = ("<initial>", "<medial>", "<final>", "<isolated>", "<font>", "<circle>",
                 "<square>", "<vertical>", "<small>", "<narrow>")  # fmt: skip
_ASCII_PROBE = b"Rule 6.1.1(a): keep records, e.g. 5 years; ask the MLRO?"
_NOT_WRITING = (
    "Cc",
    "Co",
    "Cn",
    "Cs",
)  # controls (C1 included), private use, unassigned, surrogates
_SYMBOLS = ("So", "Sk", "Sm")


def garbled_reason(text: str, *, legacy: bool = True, private_use_ok: bool = False,
                   at_least: int = 1) -> str | None:  # fmt: skip
    """Why ``text`` looks like bytes decoded into the wrong characters (mojibake), else None.

    Only the non-ASCII characters are judged (ASCII reads the same in every candidate encoding):
    replacement characters, controls, private-use and unassigned code points are never part of
    writing; presentation forms are not either, for a text that came from a legacy encoding
    (``legacy``); and a text whose non-ASCII part is mostly symbols (box drawing, math, dingbats)
    is noise. A few such characters among real letters are tolerated."""
    import unicodedata

    odd = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not odd:
        return None
    if private_use_ok:
        odd = [c for c in odd if unicodedata.category(c) != "Co"]
        if not odd:
            return None
    bad = sum(
        c == "\ufffd" or unicodedata.category(c) in _NOT_WRITING
        or (legacy and unicodedata.decomposition(c).startswith(_PRESENTATION))
        for c in odd
    )  # fmt: skip
    if bad >= max(at_least, 0.3 * len(odd)):
        return (f"{bad} of its {len(odd)} non-ASCII characters are replacement, control, unassigned "
                "or presentation-form characters")  # fmt: skip
    symbols = sum(unicodedata.category(c) in _SYMBOLS for c in odd) if legacy else 0
    if symbols >= 0.5 * len(odd) and len(odd) >= 0.2 * len(text.strip()):
        return f"{symbols} of its {len(odd)} non-ASCII characters are symbols, not letters"
    return None


def unreadable_reason(text: str) -> str | None:
    """Why a PDF's text layer is not text a reader could read, else None: mostly control
    characters, a few letters among symbols and digits, or "words" hundreds of characters long
    (glyph names such as "/g52/g189/...", from a font with no Unicode map, or bytes shown as
    Latin-1). pypdf returns such a layer without complaint, and it was indexed as a rule (a
    hostile-input trial, 2026-12-04). Scripts written without spaces (Chinese, Japanese, Thai)
    are not judged by word length."""
    chars = [c for c in text if not c.isspace()]
    if len(chars) < 40:
        return None
    controls = sum(unicodedata.category(c) == "Cc" for c in chars)
    if controls >= 0.05 * len(chars):
        return f"{controls} of its {len(chars)} characters are control characters"
    letters = sum(c.isalpha() for c in chars)
    digits = sum(c.isdigit() for c in chars)
    if letters + digits < 0.3 * len(chars):  # (a fee table is mostly digits, and readable)
        return f"only {letters + digits} of its {len(chars)} characters are letters or digits"
    unspaced = sum(
        unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI", "HANGUL"))
        for c in chars
    )
    words = text.split()
    if unspaced < 0.3 * letters and len(chars) / max(1, len(words)) > 25:
        return f"its {len(words)} words average {len(chars) // max(1, len(words))} characters"
    return None


def _keeps_ascii(encoding: str) -> bool:
    try:
        return _ASCII_PROBE.decode(encoding) == _ASCII_PROBE.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _language_fit(match: Any) -> float:
    """The share of a charset-normalizer match's non-ASCII letters that its detected language
    uses (charset-normalizer's own letter frequency tables)."""
    from charset_normalizer.constant import FREQUENCIES

    letters = set(FREQUENCIES.get(match.language, ()))
    odd = [c for c in str(match).lower() if ord(c) > 127 and c.isalpha()]
    return sum(c in letters for c in odd) / len(odd) if odd and letters else 0.0


# Legacy encodings in the order they are met in files written on office machines (Windows code
# pages first): a tie-break between readings that are equally plausible by their letters.
_COMMON_ENCODINGS = ("cp1252", "cp1251", "cp1250", "latin_1", "iso8859_15", "koi8_r", "cp1253",
                     "cp1254", "cp1257", "iso8859_2", "iso8859_5", "mac_roman")  # fmt: skip


_RANK = {codecs.lookup(e).name: k for k, e in enumerate(_COMMON_ENCODINGS)}


def _prevalence(encoding: str) -> int:
    """``encoding``'s place in ``_COMMON_ENCODINGS`` (after them all when it is not one)."""
    try:
        return _RANK.get(codecs.lookup(encoding).name, len(_RANK))
    except LookupError:
        return len(_RANK)


def _not_text(path: Path, why: str) -> NoTextError:
    return NoTextError(str(path), f"not text: the bytes decode only to garbled characters ({why})",
                       "save the file as UTF-8 text, or ingest the original PDF/DOCX")  # fmt: skip


def _decode(path: Path, data: bytes) -> str:
    """Text of a .txt/.md/.jsonl file: a byte-order mark is obeyed, else UTF-8, else the first
    plausible decoding charset-normalizer proposes. Bytes that decode only to mojibake raise
    NoTextError (the index is left unchanged)."""
    bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
    if bom and bom != "utf-8-sig":
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as exc:
            raise _not_text(path, f"it starts with a {bom.upper()} byte-order mark but is not "
                                  f"{bom.upper()}: {exc.reason}") from exc  # fmt: skip
        why = garbled_reason(text, legacy=False) if text.strip() else "no characters after the mark"
        if why:
            raise _not_text(path, why)
        return text
    if (kind := content_kind(data)) or _looks_binary(data):
        kind = kind or "binary data"
        raise CorruptFileError(str(path), f"the content is {kind}, not text; the extension {path.suffix!r} is wrong",
                               "rename the file to its real type, or export it as text")  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 is what it says: only a text that is mostly replacement or control
        # characters is refused. Real exports carry a few private-use glyphs (Word symbol-font
        # bullets), and a rulebook is not garbled because of them.
        why = garbled_reason(text, legacy=False, private_use_ok=True)
        if why:
            raise _not_text(path, why)
        return text
    from charset_normalizer import from_bytes

    # Only encodings that read ASCII as ASCII are candidates: no NUL bytes got this far, so
    # UTF-16/32 without a byte-order mark is not text, and EBCDIC or UTF-7 would turn the plain
    # letters and digits of a rulebook into other characters.
    matches = [m for m in from_bytes(data) if m.encoding and _keeps_ascii(m.encoding)]
    if not matches:
        raise CorruptFileError(
            str(path), "text is not in a readable encoding (tried UTF-8 and detection)"
        )
    # charset-normalizer ranks by chaos, then language coherence; candidates tied on both
    # (cp1250 and cp1252 for a short French text) are told apart by the letters the detected
    # language writes: "Règle" has "è", a French letter, and "Rčgle" has "č", not one.
    # Tied on chaos, the letters come first, then how common the encoding is, then coherence:
    # a short cp1252 French text was read as cp775 ("RĶgles", "500 Ć", more coherent by
    # charset-normalizer's measure, none of its accented letters French), and a German one as
    # cp775 ("Geldwõsche") where cp1250 reads "Geldwäsche" (an ops trial, twentieth session).
    matches.sort(key=lambda m: (round(m.chaos, 4), -round(_language_fit(m), 2),
                                _prevalence(m.encoding), -round(m.coherence, 4)))  # fmt: skip
    first_reason = None
    for m in matches:
        text = str(m)
        why = garbled_reason(text)
        if why is None:
            return text
        first_reason = first_reason or f"as {m.encoding}: {why}"
    raise _not_text(path, first_reason or "no plausible encoding")


# Latin ligatures (U+FB00-FB06) as their letters: pypdf returns "ﬁ" for a font's fi glyph, and
# "Beneﬁcial" tokenised as "bene" + "cial", so a keyword search for "beneficial" missed it (a
# hostile-input trial, 2026-12-04). Quotes are verbatim against the stored, normalised text.
_LIGATURES = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}


def _normalise(text: str) -> str:
    text = text.translate(_LIGATURES)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _lines_of(text: str, page: int | None = None, label: str | None = None,
              offset: int = 0, markdown: bool = False) -> list[Line]:  # fmt: skip
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        level = 0
        if markdown:
            m = _MD_HEADING.match(raw)
            level = len(m.group(1)) if m else 0
        out.append(Line(offset + pos, offset + pos + len(raw), page, label, level))
        pos += len(raw) + 1
    return out


def _load_text(path: Path, data: bytes, opts: LoadOptions) -> _Parsed:
    text = _normalise(_marked_tables(_decode(path, data)))
    return _Parsed(text, _lines_of(text))


# a table set off in plain text by marker lines, as the rulebooks exported one provision a line
# write them ("/Table Start", its rows' cells split by tabs, "/Table End")
_TABLE_MARK = re.compile(r"^[/\\]Table\s+(?P<end>Start|End)$", re.I)


def _marked_tables(text: str) -> str:
    """``text`` with each table between "/Table Start" and "/Table End" lines as the index holds
    tables: a row's cells joined by " | " (as a PDF's and a DOCX's are, ``assistant.language.
    tables``), the marker lines blank. Its tabs were spaces, so "Category\tBase Capital
    Requirement (US $)" over "2\t2 million" was a run of words, no header over a column of
    amounts, and "What is the minimum capital for a Category 2 firm?" was refused with PRU
    3.3.2 first among the closest provisions; the markers were quoted as text (an OTC broker's
    and a private-markets founder's trials, thirty-first session). A line of a cell that goes on
    over lines, with no tab, stays as it is."""
    if "Table" not in text:
        return text
    out, inside = [], False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _TABLE_MARK.match(line.strip())
        if m:
            inside = m.group("end").lower() == "start"
            out.append("")
            continue
        if inside and "\t" in line.strip():
            # (empty cells at either end dropped: "\t\t(i)\tthat are fully consolidated;" is
            # "(i) | that are ...", no row of two empty cells, and a row of tick-mark columns
            # ends with its last mark; a review; a marker cell stays a cell, so that "a) | 150,000
            # if ..." stays a row under its header: a second review)
            row = [c.strip() for c in line.strip().split("\t")]
            while row and not row[-1]:
                row.pop()
            while row and not row[0]:
                row.pop(0)
            line = " | ".join(row)
        out.append(line)
    return "\n".join(out)


_FM_KEY = re.compile(r"[A-Za-z_][\w-]{0,40}:(?:\s|$)")


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (between a first line "---" and the next "---") and the body after it.
    A block whose first line is no "key:" is a horizontal rule and text, not front matter. Front
    matter that cannot be read is not dropped silently: its version and in-force date decide which
    answers use the document (--as-of), so the text is indexed as written (nothing is lost) and
    ``front_matter_error`` says what is wrong; the file's result carries it as a warning."""
    if not text.startswith("---\n"):
        return {}, text
    first = next((ln for ln in text[4:].split("\n") if ln.strip()), "")
    if not _FM_KEY.match(first):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {"front_matter_error": (
            "front matter opened by '---' on line 1 is not closed by a '---' line; indexed "
            "without its metadata (title, version, in-force date, kind)")}, text  # fmt: skip
    import yaml

    closing = text.count("\n", 0, end) + 2
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date YAML cannot build (2025-13-45)
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""  # 0-based, after "---"
        problem = getattr(exc, "problem", None) or str(exc) or "cannot be parsed"
        return {"front_matter_error": (
            f"front matter (lines 1-{closing}) is not valid YAML ({problem}{where}); indexed "
            "without its metadata (title, version, in-force date, kind): quote values that "
            "hold a colon, write dates as YYYY-MM-DD, then ingest again")}, text  # fmt: skip
    if not isinstance(meta, dict):
        return {}, text
    body = text[end + 4 :].lstrip("\n")
    return {str(k): v for k, v in meta.items()}, body


# inline emphasis: "**Deputy MLRO.**", "__Scope__", "*Record keeping.*", "_Scope_" (an
# underscore or a star inside a word, "AML_VER09" or "5*3", is no emphasis; a list's "* " is not)
# (opened after a space, the line's start or an opening bracket or quote, and closed before a
# space, the end or punctuation: not a footnote's "3.1(a)*, 3.2(b)*", an escaped "\\*", nor a
# URL's "x.com/_foo_/bar", a review)
_OPENS = r"(?:(?<=^)|(?<=[\s(\[\"'“‘]))"
_CLOSES = r"(?=$|[\s.,;:!?)\]\"'”’])"
_EMPHASIS = (
    re.compile(rf"{_OPENS}(\*{{1,3}})(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\1{_CLOSES}", re.M),
    re.compile(rf"{_OPENS}(_{{1,3}})(?=[^\s_])([^_\n/]+?)(?<=[^\s_\\])\1{_CLOSES}", re.M),
)


def _plain_emphasis(text: str) -> str:
    """``text`` without Markdown's inline emphasis markers: a policy draft's "**Deputy MLRO.** The
    firm appoints ..." was shown with its stars in the findings table and quoted with them in the
    report (a browser trial, thirty-first session), and "2. *Record keeping.* Records are ..." was
    a clause only where the chunker knew the stars. The words are the document's; the stars are
    how it was typed, as a Word draft's bold is."""
    if "*" not in text and "_" not in text:
        return text
    for _ in range(3):  # emphasis inside emphasis: "**bold *nested* bold**", inner first
        before = text
        for rx in _EMPHASIS:
            text = rx.sub(r"\2", text)
        if text == before:
            break
    return text


def _load_markdown(path: Path, data: bytes, opts: LoadOptions) -> _Parsed:
    meta, body = _front_matter(_normalise(_decode(path, data)))
    body = _plain_emphasis(body)
    lines = _lines_of(body, markdown=True)
    title = None
    for ln in lines:
        if ln.heading == 1:
            title = body[ln.start : ln.end].lstrip("#").strip()
            break
    for key in ("version", "in_force", "version_date"):
        if key in meta and isinstance(meta[key], date):
            meta[key] = meta[key].isoformat()
    return _Parsed(body, lines, title, meta)


def _load_docx(path: Path, data: bytes, opts: LoadOptions) -> _Parsed:
    name = str(path)
    if content_kind(data) == "a PDF":
        raise CorruptFileError(
            name, "the content is a PDF, not a DOCX; the extension is wrong", "rename it to .pdf"
        )
    if data.startswith(OLE):  # an OLE compound file, not a zip archive
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedFileError(name, "password-protected DOCX",
                                     "remove the password in Word (File > Info > Protect "
                                     "Document) and ingest again")  # fmt: skip
        raise CorruptFileError(name, "an old binary Word .doc, not a DOCX",
                               "open it in Word and save it as .docx")  # fmt: skip
    if not zipfile.is_zipfile(path):
        if what := text_kind(data):
            raise CorruptFileError(
                name, f"not a valid DOCX: the content is {what}", rename_hint(what)
            )
        raise CorruptFileError(name, "not a valid DOCX (not a zip archive)")
    with zipfile.ZipFile(path) as zf:
        if "word/document.xml" not in zf.namelist():
            raise CorruptFileError(name, "not a valid DOCX (zip archive without word/document.xml)")
    import docx

    try:
        d = docx.Document(str(path))
    except Exception as exc:  # python-docx raises assorted zip/xml errors
        raise CorruptFileError(name, f"cannot read DOCX: {exc}") from exc
    parts = list(_docx_blocks(d.element.body, d, _Numbering(d)))
    # the footnotes, after the body under a heading of their own: they were dropped (a policy's
    # footnote, as a PDF prints it, was read; a consultant's trial, thirty-ninth session)
    if notes := _docx_footnotes(path, d.element.body):
        parts += [("Footnotes", 2), *((f"[{n}] {t}", 0) for n, t in notes)]
    text_parts: list[str] = []
    lines: list[Line] = []
    pos = 0
    for text, level in parts:
        text = _normalise(text).replace("\n", " ")
        lines.append(Line(pos, pos + len(text), None, None, level))
        text_parts.append(text)
        pos += len(text) + 1
    title = d.core_properties.title or next((t for t, lvl in parts if lvl == 1), None)
    return _Parsed("\n".join(text_parts), lines, title)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NS = {"w": _W[1:-1], "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
# (a drawing's mc:Fallback repeats its mc:Choice; a tracked move's source, w:moveFrom, keeps its
# text in w:t, not w:delText, and is read where it went, w:moveTo)
_DOCX_TEXT = (
    "(.//w:t | .//w:tab | .//w:ptab | .//w:br | .//w:cr | .//w:noBreakHyphen)"
    "[not(ancestor::mc:Fallback)][not(ancestor::w:moveFrom)]"
)
# What a run element other than text stands for: Word's non-breaking hyphen is a hyphen ("a
# three-year period" typed with Ctrl+Shift+- read "threeyear", and its duration was lost: a review,
# 2026-12-04); tabs and breaks separate words. An optional (soft) hyphen is not selected: nothing.
_DOCX_MARKS = {f"{_W}noBreakHyphen": "-"}


def _docx_text(p: Any) -> str:
    """A paragraph's text from every run in it, whatever wraps the run: tracked insertions
    (``w:ins``), content controls, smart tags, simple fields and hyperlinks. python-docx's
    ``Paragraph.text`` reads only the paragraph's own runs and hyperlinks, so "within five days"
    inserted with track changes was lost (a hostile-input trial, 2026-12-04). Deleted text
    (``w:delText``) is not text of the document."""
    from lxml import etree

    out = []
    for el in etree._Element.xpath(p, _DOCX_TEXT, namespaces=_NS):
        if _in_text_box(el, p):
            continue  # a text box anchored here is given as its own paragraphs
        out.append(el.text or "" if el.tag == f"{_W}t" else _DOCX_MARKS.get(el.tag, " "))
    return "".join(out)


def _in_text_box(el: Any, p: Any) -> bool:
    """Whether ``el`` sits in a text box inside paragraph ``p`` (not ``p``'s own text)."""
    for up in el.iterancestors():
        if up is p:
            return False
        if up.tag == f"{_W}txbxContent":
            return True
    return False


def _text_boxes(p: Any) -> list[Any]:
    """The text boxes anchored in paragraph ``p`` (mc:Choice's, not mc:Fallback's copy)."""
    from lxml import etree

    boxes = etree._Element.xpath(p, ".//w:txbxContent[not(ancestor::mc:Fallback)]", namespaces=_NS)
    return [b for b in boxes if not _in_text_box(b, p)]


class _Numbering:
    """The numbers Word shows before list paragraphs ("4.2", "b)"), which are not in the text:
    a draft numbered by Word's own list numbering was read one section at a time, its clauses
    unnumbered (a consultant's trial, 2026-12-04). Counters are kept per abstract list (lists
    that share one continue each other, as in Word), a level's count restarts when a higher
    level moves on, and bullets have no number."""

    def __init__(self, d: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.nums: dict[str, str] = {}
        self.starts: dict[tuple[str, int], int] = {}
        self.restarted: set[tuple[str, int]] = set()
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, Any] = {}
        try:
            root = d.part.numbering_part.element
        except Exception:  # no numbering part: no list numbers
            return
        for a in root.findall(f"{_W}abstractNum"):
            lv: dict[int, tuple[int, str, str]] = {}
            for lvl in a.findall(f"{_W}lvl"):
                start, fmt, text = (
                    lvl.find(f"{_W}start"),
                    lvl.find(f"{_W}numFmt"),
                    lvl.find(f"{_W}lvlText"),
                )
                lv[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                )
            self.levels[a.get(f"{_W}abstractNumId", "")] = lv
        for n in root.findall(f"{_W}num"):
            num_id = n.get(f"{_W}numId", "")
            aid = n.find(f"{_W}abstractNumId")
            if aid is not None:
                self.nums[num_id] = aid.get(f"{_W}val", "")
            for o in n.findall(f"{_W}lvlOverride"):
                so = o.find(f"{_W}startOverride")
                if so is not None:
                    self.starts[(num_id, int(o.get(f"{_W}ilvl", "0")))] = int(
                        so.get(f"{_W}val", "1")
                    )
        for st in d.styles.element.findall(f"{_W}style"):
            self.styles[st.get(f"{_W}styleId", "")] = st

    def _num_pr(self, p: Any) -> Any:
        own = p.find(f"{_W}pPr/{_W}numPr")
        if own is not None:
            return own
        style = p.find(f"{_W}pPr/{_W}pStyle")
        seen = 0
        sid = style.get(f"{_W}val", "") if style is not None else ""
        while sid and seen < 5:  # a list style's numbering, through its "based on" chain
            st = self.styles.get(sid)
            if st is None:
                return None
            pr = st.find(f"{_W}pPr/{_W}numPr")
            if pr is not None:
                return pr
            based = st.find(f"{_W}basedOn")
            sid, seen = (based.get(f"{_W}val", "") if based is not None else ""), seen + 1
        return None

    def label(self, p: Any) -> str | None:
        pr = self._num_pr(p) if self.levels else None
        if pr is None:
            return None
        num = pr.find(f"{_W}numId")
        lvl = pr.find(f"{_W}ilvl")
        num_id = num.get(f"{_W}val", "0") if num is not None else "0"
        ilvl = int(lvl.get(f"{_W}val", "0")) if lvl is not None else 0
        aid = self.nums.get(num_id)
        levels = self.levels.get(aid or "")
        if not levels or ilvl not in levels:
            return None
        count = self.counters.setdefault(aid or "", {})
        start = self.starts.get((num_id, ilvl), levels[ilvl][0])
        if (num_id, ilvl) in self.starts and (num_id, ilvl) not in self.restarted:
            # Word's "Restart at 1": a list of its own over the same abstract list, whose start
            # override applies where it is first used (it read "4., 5." after a list of three)
            self.restarted.add((num_id, ilvl))
            count[ilvl] = start
        else:
            count[ilvl] = count.get(ilvl, start - 1) + 1
        for deeper in [k for k in count if k > ilvl]:
            del count[deeper]
        _, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return None

        def shown(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            value = count.get(k, levels.get(k, (1, "", ""))[0])
            return _list_number(value, levels.get(k, (1, "decimal", ""))[1])

        return re.sub(r"%(\d)", shown, text).strip() or None


def _list_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        out = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return out.upper() if fmt == "upperLetter" else out
    if fmt in ("lowerRoman", "upperRoman"):
        vals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
        out, rest = "", n
        for v, r in vals:
            while rest >= v:
                out, rest = out + r, rest - v
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _docx_blocks(
    parent: Any, d: Any, numbering: _Numbering | None = None
) -> Iterator[tuple[str, int]]:
    """(text, heading level) of each paragraph and table row under ``parent``, in order, through
    content controls (``w:sdt``) and custom XML; a table row's cells joined by " | ", and a table
    nested in a cell given as its own rows after the row that holds it. A list paragraph's number
    (``_Numbering``) leads its text, as Word shows it."""
    from docx.text.paragraph import Paragraph

    for block in _children(parent, "p", "tbl"):
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            for box in _text_boxes(block):  # before the paragraph that anchors it, on its own
                yield from _docx_blocks(box, d, numbering)
            text = _numbered(block, _docx_text(block).strip(), numbering)
            if not text:
                continue
            para = Paragraph(block, d)
            style = (para.style.name if para.style is not None else "") or ""
            level = 0
            if style == "Title":
                level = 1
            elif style.startswith("Heading"):
                digits = "".join(ch for ch in style if ch.isdigit())
                level = min(int(digits or 1), 6)
            yield text, level
        elif tag == "tbl":
            yield from ((line, 0) for line in _table_rows(block, numbering))
        # other children (section properties, bookmarks) hold no text


def _docx_footnotes(path: Path, body: Any = None) -> list[tuple[int, str]]:
    """The document's footnotes (``word/footnotes.xml``), numbered as Word shows them: in the
    order the body refers to them (``body``), then any it does not; the separators (ids below 1)
    left out; each one line. Read with entities and the network off, as python-docx reads its
    parts (a review)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with zipfile.ZipFile(path) as zf:
            if "word/footnotes.xml" not in zf.namelist():
                return []
            root = etree.fromstring(zf.read("word/footnotes.xml"), parser)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
        return []
    notes: list[tuple[int, str]] = []
    for note in root.iterchildren(f"{_W}footnote"):
        try:
            fid = int(note.get(f"{_W}id", "0"))
        except ValueError:
            continue
        if fid < 1:
            continue
        text = " ".join(t for p in note.iter(f"{_W}p") if (t := _docx_text(p).strip()))
        if text:
            notes.append((fid, " ".join(text.split())))
    order: dict[int, int] = {}
    for ref in body.iter(f"{_W}footnoteReference") if body is not None else ():
        try:
            order.setdefault(int(ref.get(f"{_W}id", "")), len(order))
        except ValueError:
            continue
    notes.sort(key=lambda n: (order.get(n[0], len(order)), n[0]))
    return [(n, t) for n, (_, t) in enumerate(notes, start=1)]


def _children(el: Any, *tags: str) -> Iterator[Any]:
    """``el``'s children with one of ``tags``, looking through content controls and custom XML
    that wrap them."""
    for child in el.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in tags:
            yield child
        elif tag == "sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _children(content, *tags)
        elif tag == "customXml":
            yield from _children(child, *tags)


def _numbered(p: Any, text: str, numbering: _Numbering | None) -> str:
    """Paragraph ``p``'s ``text`` led by its list number, as Word shows it. The number is counted
    even when the paragraph is empty (Word shows it), but not when a tracked change deleted the
    paragraph, mark and text, or moved it away (Word's final view has no such item: the next one
    read "3." after "1.", a review 2026-12-04)."""
    if numbering is None:
        return text
    marks = p.find(f"{_W}pPr/{_W}rPr")
    if not text and marks is not None and (marks.find(f"{_W}del") is not None
                                           or marks.find(f"{_W}moveFrom") is not None):  # fmt: skip
        return text
    label = numbering.label(p)
    return f"{label} {text}" if label and text and not text.startswith(label) else text


def _table_rows(tbl: Any, numbering: _Numbering | None = None) -> Iterator[str]:
    """A table's rows, cells joined by " | "; a table nested in a cell follows its row. A list
    paragraph in a cell has its number and counts in its list, as in Word (a list that ran
    through a table read "3." for its fourth item, a review 2026-12-04)."""
    above: dict[int, str] = {}  # a vertically merged cell's text, by grid column
    for row in _children(tbl, "tr"):
        cells: list[str] = []
        nested: list[str] = []
        before = row.find(f"{_W}trPr/{_W}gridBefore")
        col = int(before.get(f"{_W}val", "0")) if before is not None else 0
        for cell in _children(row, "tc"):
            texts: list[str] = []
            for p in _children(cell, "p"):
                for box in _text_boxes(p):  # a text box in a cell is the cell's text too
                    texts.extend(t for bp in box.iter(f"{_W}p") if (t := _docx_text(bp).strip()))
                if t := _numbered(p, _docx_text(p).strip(), numbering):
                    texts.append(t)
            text = " ".join(texts)
            span = cell.find(f"{_W}tcPr/{_W}gridSpan")
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val") != "restart":
                text = above.get(col, "")  # a merge's continuation: the text of its first cell
            else:
                above[col] = text
            cells.append(text)
            col += int(span.get(f"{_W}val", "1")) if span is not None else 1
            for inner in _children(cell, "tbl"):
                nested.extend(_table_rows(inner, numbering))
        line = " | ".join(c for c in cells if c)
        if line:
            yield line
        yield from nested


def _load_jsonl(path: Path, data: bytes, opts: LoadOptions) -> _Parsed:
    text = _decode(path, data)
    records: list[Record] = []
    bad: list[str] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            bad.append(f"line {lineno}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            bad.append(f"line {lineno}: not a JSON object")
            continue
        rid, body = obj.get("id"), obj.get("text")
        if isinstance(rid, int):
            rid = str(rid)
        if not isinstance(rid, str) or not rid.strip():
            bad.append(f"line {lineno}: missing string 'id'")
            continue
        if not isinstance(body, str) or not body.strip():
            bad.append(f"line {lineno}: missing non-empty 'text'")
            continue
        if rid in seen:
            bad.append(f"line {lineno}: duplicate id {rid!r}")
            continue
        seen.add(rid)
        page = obj.get("page")
        rec_meta: dict[str, Any] = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
        records.append(Record(
            id=rid, text=_normalise(body), title=obj.get("title") if isinstance(obj.get("title"), str) else None,
            ref=obj.get("ref") if isinstance(obj.get("ref"), str) else None,
            page=page if isinstance(page, int) else None, metadata=rec_meta,
        ))  # fmt: skip
    if not records:
        detail = f" ({bad[0]})" if bad else ""
        raise CorruptFileError(str(path), f"no valid JSONL records{detail}",
                               'each line must be {"id": str, "text": str}')  # fmt: skip
    meta: dict[str, Any] = {"records": len(records)}
    if bad:
        meta["bad_lines"] = _first(bad, 20, "; ", "; ... {} more")
        meta["bad_line_count"] = len(bad)
    return _Parsed("", [], None, meta, tuple(records))


# leaders and rules drawn with characters: a contents page's dots, a form's blanks ("____")
_LEADERS = re.compile(r"[._·…\-–—=*]{3,}|(?:\. ){3,}")


def _unreadable(text: str) -> str | None:
    """Why a PDF text layer (a page, or the whole) is not readable text, else None. Leaders are
    left out before judging: a contents page of "1. Introduction ........ 3" lines is mostly
    dots, and was refused (a review, 2026-12-04)."""
    text = _LEADERS.sub(" ", text)
    # (``garbled_reason`` with private-use characters allowed and twenty bad ones at least: one
    # private-use bullet from Word's Symbol font in an English PDF is all its non-ASCII text,
    # and refused the file, a review, 2026-12-04; a half of replacement characters does not pass)
    return unreadable_reason(text) or garbled_reason(
        text, legacy=False, private_use_ok=True, at_least=20
    )


def _first(items: list[str], n: int, sep: str = ", ", rest: str = " and {} more") -> str:
    """The first ``n`` of ``items`` joined by ``sep``, and how many more there are."""
    return sep.join(items[:n]) + (rest.format(len(items) - n) if len(items) > n else "")


def _load_pdf(path: Path, data: bytes, opts: LoadOptions) -> _Parsed:
    from ingest.pdf import pages_with_marks, read_pdf_pages

    problems: list[str] = []
    rows: set[str] = set()  # a table's rows, each a line of its own
    pages, labels, title = read_pdf_pages(path, opts.password, problems, rows)
    # a page with text of its own that is all furniture (a title page that reads as the running
    # header) is no scanned page: only a page with no text at all is looked at for marks (such a
    # title page was reported as scanned, and every re-ingest exited 1, a trial 2026-12-05)
    had_text = [sum(ch.isalnum() for ch in page) >= 5 for page in pages]
    # the first line as printed, before the running header goes with the furniture: where the
    # text then opens with a numbered section, the header is the better title ("CONDUCT OF
    # BUSINESS RULEBOOK (COB)" rather than "3.2 Marketing Material", a review 2026-12-05)
    printed_first = next((ln.strip() for page in pages for ln in page.split("\n")
                          if ln.strip() and not _PAGE_NO.match(ln.strip())), "")  # fmt: skip
    if opts.strip_repeated_lines:
        pages = strip_page_furniture(pages)
    rows = {_normalise(r) for r in rows}
    pages = [reflow(_normalise(page), rows).strip("\n") for page in pages]
    # A page whose text layer is not text (an annex set in a font with no Unicode map) is left
    # out and said, as a scanned page is; the file is refused only when most of its pages with
    # text are like that (one such page refused a readable rulebook whole, a review 2026-12-04).
    bad_pages = {i: why for i, page in enumerate(pages) if (why := _unreadable(page))}
    with_text = sum(len(page.split()) >= 5 or i in bad_pages for i, page in enumerate(pages))
    if bad_pages and 2 * len(bad_pages) >= with_text:
        why = next(iter(bad_pages.values()))
        raise NoTextError(str(path), f"the text layer is not readable text ({why})",
                          "its fonts map glyphs to no characters: export the PDF again, or OCR it")  # fmt: skip
    text_parts: list[str] = []
    lines: list[Line] = []
    pos = 0
    for i, page_text in enumerate(pages):
        if i in bad_pages:
            page_text = ""
        if text_parts:
            pos += 1  # the "\n" joining pages
        label = labels[i] if i < len(labels) else str(i + 1)
        lines.extend(_lines_of(page_text, page=i + 1, label=label, offset=pos))
        text_parts.append(page_text)
        pos += len(page_text)
    text = "\n".join(text_parts)
    if not title:
        first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
        if printed_first and (not first or first[0].isdigit()):  # a section's number opens it
            first = printed_first
        # (not a section's heading, "1. INTRODUCTION": two PDFs were listed and cited by it, and
        # could not be told apart, an IT administrator's trial, thirty-eighth session; the file
        # name then titles it)
        title = first if 3 < len(first) <= 150 and not first[0].isdigit() else None
    if sum(ch.isalnum() for ch in text) < max(20, 5 * len(pages)):
        raise NoTextError(str(path), "no extractable text; OCR is not supported",
                          "this looks like a scanned PDF: run it through OCR first, then ingest the result")  # fmt: skip
    unreadable = _unreadable(text)
    if unreadable:
        raise NoTextError(str(path), f"the text layer is not readable text ({unreadable})",
                          "its fonts map glyphs to no characters: export the PDF again, or OCR it")  # fmt: skip
    # pages with no text of their own (scanned pages in a PDF that has text elsewhere) are not
    # indexed: said, so that a partly scanned rulebook is not taken as whole
    empty = [i for i, page in enumerate(text_parts) if sum(ch.isalnum() for ch in page) < 5]
    bare = [i for i in empty if not had_text[i]]
    # (a page whose only text was furniture is scanned only if it draws an image: a title page
    # that reads as the running header draws rules and boxes, not an image)
    framed = [i for i in empty if had_text[i]]
    scanned = sorted((pages_with_marks(path, bare, opts.password) if bare else [])
                     + (pages_with_marks(path, framed, opts.password, images_only=True)
                        if framed else []))  # fmt: skip

    def label_of(i: int) -> str:
        return labels[i] if i < len(labels) else str(i + 1)

    blank = [label_of(i) for i in scanned]
    meta = None
    if blank:
        shown = _first(blank, 10)
        meta = {"pages_without_text": (
            f"{len(blank)} of {len(pages)} pages have marks but no extractable text "
            f"({'page' if len(blank) == 1 else 'pages'} {shown}): "
            "scanned pages are not indexed; run the PDF through OCR to include them")}  # fmt: skip
    if bad_pages:
        shown = _first([label_of(i) for i in bad_pages], 10)
        meta = (meta or {}) | {"pages_unreadable": (
            f"{len(bad_pages)} of {len(pages)} pages have a text layer that is not readable text "
            f"({'page' if len(bad_pages) == 1 else 'pages'} {shown}: "
            f"{next(iter(bad_pages.values()))}): they are not indexed; export the PDF again or "
            "OCR them to include them")}  # fmt: skip
    if problems:
        shown = _first(problems, 5, "; ", "; and {} more")
        meta = (meta or {}) | {"pages_damaged": (
            f"{len(problems)} problem(s) reading pages, whose text may be missing or incomplete: "
            f"{shown}")}  # fmt: skip
    return _Parsed(text, lines, title, meta)


# What opens a block of its own on a PDF line, never a wrapped line's continuation: a rule or
# paragraph number ("3.2.6", "12."), a list label ("(a)", "(iv)", "b)"), a bullet, a heading word.
_OPENS_BLOCK = re.compile(
    r"\s*(?:\d+(?:[.\-]\d+)+\b|\d{1,3}\.\s|\(?(?:[a-z]{1,2}|[ivxl]{1,5}|\d{1,3}|[A-Z])\)\s"
    r"|(?:[a-z]{1,2}|[ivxl]{1,5})\.\s"
    r"|[-•*▪●◦–—]\s|(?:PART|Part|CHAPTER|Chapter|SECTION|Section|SCHEDULE|Schedule|APPENDIX|"
    r"Appendix|ANNEX|Annex|Guidance|GUIDANCE|Article|ARTICLE)\b)"
)
_ENDS_SENTENCE = re.compile(r"[.!?;:][\"'”’)\]]*$")
# an abbreviation's stop ends no sentence ("(e.g." at a line's end runs on)
_ABBREV_END = re.compile(r"(?:\b(?:e\.g|i\.e|cf|viz|No|para|paras|Art|art|ss?)\.)$")
# A heading set in title case ("Record Keeping Requirements for Digital Asset Service Providers"):
# every word but the small ones capitalised, no verb of a sentence, no closing punctuation.
_SMALL_WORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and as at by for from in into its of on or "
        "other than that the their this to under upon with within",
    )
)
_SENTENCE_VERB = re.compile(r"\b(?:must|shall|may|should|will|is|are|means|has|have)\b")


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if w.lower() not in _SMALL_WORDS]
    last = line.rstrip()[-1:]
    return (bool(words) and all(w[0].isupper() for w in words) and last not in ".,;:-"
            and not _SENTENCE_VERB.search(line))  # fmt: skip


# A figure wrapped to the next line after the word that introduces it ("... must not be less
# than" / "10.0%"): the figure looks like a rule number opening a block, yet goes on the line
# (a CFO's trial on the real PRU rulebook, twenty-fifth session: the 10.0% total capital ratio
# stood alone, and the rule's sentence stated no figure).
_BEFORE_FIGURE = re.compile(
    # (not "above", "below": "... as above" ends a table's row before its next cell's "10%")
    r"\b(?:than|of|to|at|by|least|most|exceed|exceeding|within|is|be|equal|minimum|maximum)$",
    re.I,
)
_FIGURE_START = re.compile(
    r"(?:US\$|\$|€|£|₸|[A-Z]{3}\s?)?\d[\d,]*(?:\.\d+)?\s*(?:%|per\s?cent\b|million\b|billion\b|"
    r"(?:business\s+|working\s+|calendar\s+)?(?:days?|weeks?|months?|years?)\b)"
    r"|(?:US\$|\$|€|£|₸)\s?\d|(?:USD|EUR|GBP|AED|KZT)\s?\d"
)


# a reference noun before the number it refers to ("... pursuant to Rule" / "2.3.5 will no
# longer act ...": the quote began at "2.3.5 will", a market surveillance trial)
_REF_NOUN_END = re.compile(
    r"\b(?:to|under|in|of|with|by|see|and|or)\s+"
    r"(?:Rules?|Sections?|sections?|[Pp]aragraphs?|Chapters?|Articles?|Schedules?|Appendix"
    # or a rulebook's code ("the exclusions in COBS" / "14.2.6.": the number opened rule 14.2.6
    # in PRU's glossary, a PDF user's trial, twenty-ninth session)
    r"|(?-i:[A-Z]{2,8}))$"
)
# the number a reference names, going on in lower case or punctuation ("2.3.5 will ...",
# "8.1.2(1), ..."), not a rule opening with its title ("10.3.1 In this section:" after the
# heading "... and the Travel Rule", a check on the real AML PDF)
# (an appendix's rule with its letter too: "Rule" / "A10.4.8." opened rule A10.4.8 in PRU's
# glossary, a PDF user's trial, twenty-ninth session)
_REF_NUMBER = re.compile(r"(?:A(?=\d))?\d+(?:[.\-]\d+)+(?:\([\w-]+\))*(?=[,;.)]|\s+[a-z])")
# after a word in capitals, which may be a heading's last word rather than a rulebook's code, a
# stop goes on only at the line's end or into lower case ("... operating in AIFC" / "3.2.1. A
# Centre Participant must ..." opens its rule, a review); after "Section" it goes on into the
# next sentence too ("... described in Section" / "10.5. As part of the SREP ...": PRU's 10.3
# and 10.4 were lost to a rule 10.5 when this held for every reference noun)
_CODE_NUMBER = re.compile(
    r"(?:A(?=\d))?\d+(?:[.\-]\d+)+(?:\([\w-]+\))*(?=[,;)]|\.(?:\s*$|\s+[a-z])|\s+[a-z])"
)


# a line ending with an article goes on, whatever the next line opens with: "... against the" /
# "Authorised Person and its Customers; and" was read as a heading in title case, and the quote
# of GEN 2.1.1(1) stopped at "against the." (a PDF user's trial, twenty-ninth session); no
# sentence or heading ends on one
_ARTICLE_END = re.compile(r"(?:^|\s)(?:the|a|an)$")  # (not "n/a" in a table's cell)
# a reference list wrapped after its conjunction ("... in accordance with Rules 2.1.2 and" /
# "2.1.3."): the number opened a rule 2.1.3 that took GEN 2.1.1(2) to 2.1.2 (the same trial)
_REF_LIST_END = re.compile(
    r"\b(?:Rules?|Sections?|sections?|[Pp]aragraphs?|Chapters?|Articles?|Schedules?)\s+"
    r"[A-Z]?\d[\w.()\-]*(?:\s*,\s*[A-Z]?\d[\w.()\-]*)*,?\s+(?:and|or)$"
)
# a preposition at a line's end before a reference opening the next ("... as defined in" /
# "Schedule 1 of the FSMR", "... in accordance with" / "Rule A6.2.21."): the reference opened a
# schedule or a rule (PRU's glossary cells, the same trial)
_PREPOSITION_END = re.compile(r"\b(?:in|of|under|to|with|by|see|per|from|within)$")
# (going on as a reference does, not as a heading's title: "by" / "Chapter 3 Authorisation" is
# no sentence, a review)
_REFERENCE_OPENS = re.compile(
    r"(?:Rules?|Sections?|Schedules?|Chapters?|Appendix|Paragraphs?|Articles?)\s+[A-Z]?\d[\w.()\-]*"
    r"(?=\s*$|[,;.)]|\s+[a-z])"
)


def _continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` goes on with ``prev``'s sentence whatever it opens with: after the word
    that introduces a figure into the figure (``_BEFORE_FIGURE``, ``_FIGURE_START``), and, after
    a line that is no title-case heading, after a reference noun into the number it names and
    after an unclosed bracket into the word that closes it ("(trading" / "on) ...", read as a
    list label "on)"). (Joining after any word no sentence ends on, "this" / "Guidance include
    ...", moved rule openings on the real PDFs: not done; after an article, "the" / "a" / "an",
    it is, and after a reference list's conjunction or a preposition into the reference that
    goes on: twenty-ninth session.)"""
    if _BEFORE_FIGURE.search(prev) and _FIGURE_START.match(nxt):
        return True
    if _ARTICLE_END.search(prev) and not _OPENS_BLOCK.match(nxt):
        return True
    if _PREPOSITION_END.search(prev) and _REFERENCE_OPENS.match(nxt):
        return True
    if _title_case(prev):
        return False
    if _REF_LIST_END.search(prev):
        return bool(_REF_NUMBER.match(nxt))
    if m := _REF_NOUN_END.search(prev):
        code = m.group(0).split()[-1].isupper()
        return bool((_CODE_NUMBER if code else _REF_NUMBER).match(nxt))
    return prev.count("(") > prev.count(")") and bool(re.match(r"[\w-]+\)", nxt))


def reflow(page: str, rows: Collection[str] = ()) -> str:
    """A PDF page's text with each printed line that runs on into the next joined to it: a text
    layer ends every printed line with a line break, and a sentence wrapped over two lines was
    read as two (a rulebook PDF's quote stopped at "... it has issued for a" and lost "minimum of
    six years", a trial 2026-12-05). A line runs on when it ends no sentence (no stop, colon or
    semicolon), neither it nor the next line is a heading (in capitals or in title case), and the
    next line opens no block of its own (a rule number, a list label, a bullet, a heading word),
    and either the next line starts in lower case or the line is as long as the page's full
    lines (70% of their 90th percentile, so a short heading line is never joined); a line ending
    in a figure runs on only into lower case (a table's rows stay apart). A line ending in the
    word that introduces a figure ("than", "of", "at least") runs on into a figure that opens
    the next, and a wrapped reference or bracket runs on too (``_continues``). A hyphen at a line's end is kept, without a
    space. A table's row (``rows``: its cells joined by " | ", ``ingest.pdf.join_cells``) never
    runs on from the line before, and runs on into the next only where it starts in lower case."""
    lines = page.split("\n")
    lengths = sorted(len(ln.strip()) for ln in lines
                     if len(ln.strip()) >= 20 and ln.strip() not in rows)  # fmt: skip
    full = 0.7 * lengths[(9 * (len(lengths) - 1)) // 10] if len(lengths) >= 3 else float("inf")
    out: list[str] = []
    last = ""  # the last printed line (``out[-1]`` may be several joined)
    for line in lines:
        prev = last.strip()
        nxt = line.strip()
        runs_on = (
            bool(prev and nxt)
            and nxt not in rows
            and (not _ENDS_SENTENCE.search(prev) or bool(_ABBREV_END.search(prev)))
            and not (prev.upper() == prev and any(c.isalpha() for c in prev))
            and not _title_case(prev)
            and not _title_case(nxt)
            and not _OPENS_BLOCK.match(nxt)
            and (
                nxt[0].islower()
                or (len(prev) >= full and not prev[-1].isdigit() and prev not in rows)
            )
        ) or (bool(prev and nxt) and nxt not in rows and _continues(prev, nxt))
        if runs_on:
            joined = out[-1].rstrip()
            out[-1] = joined + ("" if joined.endswith("-") else " ") + nxt
        else:
            out.append(line)
        last = line
    return "\n".join(out)


# Lines at each page edge that may be running headers or footers: two; a bare page number may be
# the third, as a text layer may put a footer's number after the running header and a document
# code ("TITLE", "COBS/VER15/08-23", "9"; with two the number stayed in the rule text, a trial
# on a rulebook PDF, 2026-12-05). Three for every line took a short page's first rule for
# furniture.
_EDGE, _NUMBER_EDGE = 2, 3


def _page_number(line: str) -> int | None:
    """The number of a page-number line ("9", "Page 9", "page 9 of 40"), else None."""
    t = line.strip()
    if not _PAGE_NO.match(t):
        return None
    m = re.search(r"\d{1,5}", t)
    return int(m.group(0)) if m else None


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Drop running headers/footers (lines repeating at page edges) and bare page numbers."""
    if not pages:
        return pages

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    edge_counts: Counter[str] = Counter()
    split = [p.split("\n") for p in pages]
    for lines in split:
        content = [ln for ln in lines if ln.strip()]
        edges = {key(ln) for ln in content[:_EDGE] + content[-_EDGE:]}
        edge_counts.update(edges)
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {k for k, n in edge_counts.items() if n >= threshold} if len(pages) >= 2 else set()
    # a bare number third from an edge is a page number only where it counts the pages (its
    # value less the page's place is the same on most pages): a table's last figure there is
    # not (a fee of 500 was dropped, a review 2026-12-05)
    offsets: Counter[int] = Counter()
    for n, lines in enumerate(split):
        content = [ln.strip() for ln in lines if ln.strip()]
        near = content[:_NUMBER_EDGE] + content[-_NUMBER_EDGE:]
        offsets.update({v - n for ln in near if (v := _page_number(ln)) is not None})
    counter = next((o for o, c in offsets.most_common(1) if c >= threshold and len(pages) >= 2),
                   None)  # fmt: skip
    out = []
    for n, lines in enumerate(split):
        content_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(content_idx[:_EDGE] + content_idx[-_EDGE:])
        number_idx = set(content_idx[:_NUMBER_EDGE] + content_idx[-_NUMBER_EDGE:]) - edge_idx

        kept = []
        for i, ln in enumerate(lines):
            t = ln.strip()
            if i in edge_idx:
                gone = key(ln) in repeated or bool(_PAGE_NO.match(t))
            else:
                v = _page_number(t) if i in number_idx and counter is not None else None
                gone = v is not None and v - n == counter
            if not gone:
                kept.append(ln)
        out.append("\n".join(kept))
    if any(p.strip() for p in pages) and not any(p.strip() for p in out):
        # every line of every page would go: the lines written alike on each page are the
        # document ("Rule 1: the company must ...", one per page), not its furniture; a 10-page
        # text PDF lost all of it and was refused as scanned (an ops trial, twentieth session).
        # (Decided for the whole document: a scanned page among pages of text keeps no running
        # header and is still reported, a review.)
        return ["\n".join(ln for ln in lines if not _PAGE_NO.match(ln.strip())) for lines in split]
    return out
