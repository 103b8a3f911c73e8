"""Ingest a batch of files: load, chunk, and upsert each one; a bad file never stops the batch."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import IngestError, RegassistError
from ingest.chunker import chunk_document, part_sectioned
from ingest.errors import EmptyFileError
from ingest.loaders import LoadOptions, doc_id_for, load, source_key, supported
from ingest.model import Chunk, Document
from ingest.refs import NOT_BOOKS

if TYPE_CHECKING:
    from assistant.index.core import Index

SKIP_NAMES = ("readme", "changelog", "contributing", "license")


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    status: str  # added | unchanged | replaced | duplicate | failed
    doc_id: str | None = None
    title: str | None = None
    chunks: int = 0
    embedded: int = 0
    reason: str | None = None
    message: str | None = None
    warnings: list[str] = field(default_factory=list)
    # advice that loses nothing (a memo indexed as kind "other"): the exit status is not touched
    notes: list[str] = field(default_factory=list)
    dropped: int = 0  # JSONL lines skipped as invalid: data the user gave us that is not indexed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _undated_notes(doc: Document, documents: list[dict[str, Any]]) -> list[str]:
    """What a consultant needs told when undated and dated versions of one rulebook meet: the
    undated one is left out of `--as-of` answers and policy checks and ranked after the latest
    dated version (``changes.versions.in_force_ids``), which was said nowhere (a trial,
    2026-12-05)."""
    if not doc.rulebook:
        return []
    others = [d for d in documents if d["doc_id"] != doc.doc_id and d.get("rulebook") == doc.rulebook
              and (d.get("kind") or "") == (doc.kind or "")]  # fmt: skip
    dated = sorted({str(d["version"]) for d in others if d.get("version")})
    undated = [d for d in others if not d.get("version")]
    how = ("give each version its date (--version-date, or a version/in_force line in the "
           "front matter) to place it")  # fmt: skip
    if not doc.version and dated:
        return [f"no version date, while {doc.rulebook} has dated versions ({', '.join(dated)}): "
                "this file is left out of --as-of answers and policy checks and ranked after "
                f"the latest dated version; {how}"]  # fmt: skip
    if doc.version and undated:
        names = ", ".join(str(d.get("source") or d["doc_id"]) for d in undated[:3])
        return [f"{doc.rulebook} also has an undated version ({names}): it is now left out of "
                f"--as-of answers and policy checks; {how}"]  # fmt: skip
    return []


def _unreadable(path: Path, exc: OSError) -> FileResult:
    why = exc.strerror or type(exc).__name__
    return FileResult(str(path), "failed", reason="unreadable",
                      message=f"{path}: cannot be read ({why.lower()})")  # fmt: skip


def _not_a_file(path: Path) -> FileResult | None:
    """Why an entry that is no regular file cannot be ingested: a broken or looping symbolic
    link, a named pipe, a socket or a device; None for a regular file or a folder."""
    try:
        path.stat()
    except OSError as exc:
        try:
            link = path.is_symlink()
        except OSError:  # in a folder that can be listed but not entered
            link = False
        if link:
            if exc.errno == errno.ELOOP:  # not "missing": the link is there, and goes round
                return FileResult(str(path), "failed", reason="not-a-file",
                                  message=f"{path}: a symbolic link loop")  # fmt: skip
            why = "a broken symbolic link (its target does not exist)"
            return FileResult(str(path), "failed", reason="missing", message=f"{path}: {why}")
        return _unreadable(path, exc)
    if path.is_file() or path.is_dir():
        return None
    return FileResult(str(path), "failed", reason="not-a-file",
                      message=f"{path}: not a regular file (a pipe, socket or device)")  # fmt: skip


HIDDEN_FILE = "a hidden file (its name starts with '.'), not read: give it by name to ingest it"
HIDDEN_FOLDER = "a hidden folder (its name starts with '.'), not read"


def _within(link: Path, folder: Path) -> bool:
    """Whether the file ``link`` leads to, all links followed, lies inside ``folder``."""
    try:
        return link.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def _entries(folder: Path) -> Iterator[tuple[Path, str | None, FileResult | None]]:
    """Every entry under ``folder``, sorted: a file with the reason the walk passes over it
    (None: to be ingested; hidden files and folders are passed over, a hidden folder as one
    entry), or an entry that cannot be read, with its failure. A folder that cannot be listed is a failure; its files are not
    silently left out."""
    failures: list[FileResult] = []

    def listing_failed(exc: OSError) -> None:
        failures.append(_unreadable(Path(exc.filename or folder), exc))

    found: list[tuple[Path, str | None, FileResult | None]] = []
    for root, dirs, names in os.walk(folder, onerror=listing_failed):
        # hidden folders and files are not read, and said so (".hidden_notes.txt" and a ".git"
        # folder were left out without a word, the summary's count short of the folder's files:
        # an IT administrator's trial, thirty-eighth session)
        found += [(Path(root) / d, HIDDEN_FOLDER, None) for d in sorted(dirs) if d.startswith(".")]
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:  # os.walk does not follow them (loops); said, not silently left out
            if (Path(root) / d).is_symlink():
                found.append((Path(root) / d, "a link to a folder, not followed (give the "
                              "folder itself to ingest it)", None))  # fmt: skip
        for name in names:
            f = Path(root) / name
            if name.startswith("."):
                found.append((f, HIDDEN_FILE, None))
                continue
            if name.startswith("~$"):  # (its failure as a corrupt DOCX failed the run, the trial)
                found.append((f, "an Office lock file (a document open in Word or Excel), not a "
                              "document", None))  # fmt: skip
                continue
            # what would not be ingested is passed over as before, whatever it is (a broken
            # "app.log" link is no failure); what would be is read first
            if not supported(f):
                found.append(
                    (
                        f,
                        _dead_link(f) or f"unsupported file type '{f.suffix.lower() or '(none)'}'",
                        None,
                    )
                )
            elif f.stem.lower().startswith(SKIP_NAMES):
                found.append((f, "a README/CHANGELOG-style note, not a rule document", None))
            elif (bad := _not_a_file(f)) is not None:
                found.append((f, None, bad))
            elif f.is_symlink() and not _within(f, folder):
                # a link inside a folder may point anywhere the user can read ("passwd.md" ->
                # /etc/passwd was indexed and searchable, a security review, twenty-third
                # session): one that leads out of the folder is not followed, as a linked folder
                # is not; one within it is (a Kubernetes volume's "fees.md -> ..data/fees.md",
                # a review); said, not silently left out
                found.append((f, "a symbolic link to a file outside the folder, not followed "
                              "(give the link by name to ingest it)", None))  # fmt: skip
            else:
                found.append((f, None, None))
    found += [(Path(r.path), None, r) for r in failures]
    yield from sorted(found, key=lambda e: str(e[0]))


def _dead_link(f: Path) -> str | None:
    """Why a symbolic link leads to no file ("a symbolic link loop", "a broken symbolic link"),
    else None. Passed over like any file of a type not ingested (a broken "app.log" link is no
    failure), but named for what it is: a loop was listed as "unsupported file type '(none)'"."""
    try:
        if not f.is_symlink():
            return None
    except OSError:  # a folder that can be listed but not entered: the walk reports it
        return None
    try:
        f.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop, not followed"
        return "a broken symbolic link (its target does not exist)"
    return None


def walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """Each visible file under ``folder`` (hidden files and folders aside), with the reason the
    walk passes over it, or None when it is to be ingested."""
    for f, reason, failure in _entries(folder):
        if failure is None:
            yield f, reason


def skipped_paths(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """The files the folder walk passes over, each once, with the reason: not failures (the
    batch still succeeds), listed so that the summary accounts for every file."""
    out: dict[Path, tuple[Path, str]] = {}
    for p in paths:
        if _is_dir(p):
            for f, reason in walk(p):
                if reason is not None:
                    out.setdefault(_key(f), (f, reason))
    return list(out.values())


def _key(p: Path) -> Path:
    """The file a path names, for telling duplicates apart; the path itself where it cannot be
    resolved (a symbolic link loop raised RuntimeError here and ended the whole ingest with a
    traceback, found by an ops trial 2026-12-04)."""
    try:
        return p.resolve()
    except (OSError, RuntimeError):
        return p.absolute()


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except OSError:
        return False


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest: given files as they are, directories walked for supported types
    (skipping hidden files and README/CHANGELOG-style notes). Missing, unreadable and special
    entries (broken links, pipes) become failures, each named; the rest of the batch goes on."""
    files: list[Path] = []
    failures: list[FileResult] = []
    for p in paths:
        try:
            is_dir, exists = p.is_dir(), p.exists()
        except OSError as exc:  # a file inside a folder that cannot be entered
            failures.append(_unreadable(p, exc))
            continue
        if is_dir:
            for f, reason, failure in _entries(p):
                if failure is not None:
                    failures.append(failure)
                elif reason is None:
                    files.append(f)
        elif exists:
            bad = _not_a_file(p)
            if bad is not None:
                failures.append(bad)
            else:
                files.append(p)
        elif p.is_symlink():
            failures.append(_not_a_file(p) or _unreadable(p, OSError(errno.ENOENT, "missing")))
        else:
            failures.append(
                FileResult(str(p), "failed", reason="missing", message=f"{p}: no such file")
            )
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = _key(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, failures


def ingest_paths(
    index: Index,
    paths: Iterable[Path],
    opts: LoadOptions | None = None,
    progress: Callable[[FileResult], None] | None = None,
    notice: Callable[[str], None] | None = None,
) -> list[FileResult]:
    """Ingest files and directories into ``index``. Returns one result per file, in order.
    ``notice`` hears about recovery from an interrupted earlier ingest."""
    settings = index.settings
    opts = opts or LoadOptions(
        max_bytes=int(settings.max_file_mb * 1024 * 1024),
        strip_repeated_lines=settings.chunking.strip_repeated_lines,
    )
    paths = list(paths)  # read twice: expanded here, and for the files gone from its folders
    files, results = expand_paths(paths)
    for r in results:
        if progress:
            progress(r)

    def waiting() -> None:
        if notice:
            notice(f"waiting for another ingest to finish (up to {settings.lock_wait_s:g} s)")

    with index.write_lock(on_wait=waiting):  # waits the settings' lock_wait_s
        present = index.vectors.all_ids()  # read once for both checks (the store's every id)
        swept = index.sweep_orphans(present)
        if swept and notice:
            # (the files it was ingesting are not named by its vectors, and need not be in this
            # batch: "ingested again below" was said of a batch without them, an ops trial)
            notice(f"recovered: removed {swept} vector(s) left by an interrupted ingest; the "
                   "files it was ingesting were not indexed: ingest them again if they are not "
                   "in this batch")  # fmt: skip
        restored = index.restore_missing(present)  # orphans are no catalog ids: same answer
        if restored and notice:
            notice(f"repaired: {restored} indexed passage(s) had no vector in the vector store "
                   "(its data lost or deleted); embedded again")  # fmt: skip
        for path in files:
            result = _ingest_one(index, path, opts)
            results.append(result)
            if progress:
                progress(result)
        index.sync_keywords(persist=True)
        if notice:
            for doc in _gone_under(index, paths):
                notice(f"gone: {doc['source']} (indexed as {doc['doc_id']}) is no longer there "
                       "but is still indexed and quoted; `regassist remove "
                       f"{doc['doc_id']}` drops it")  # fmt: skip
    return results


def _gone_under(index: Index, paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The indexed documents whose file was inside a folder of ``paths`` and is there no longer
    (a withdrawn memo was still quoted after the folder was ingested again, with no word of it,
    an operator's trial, twenty-third session). Said, not removed: a file taken out of a folder
    by mistake loses nothing."""
    dirs = []
    for p in paths:
        try:
            if p.is_dir():
                dirs.append(p.resolve())
        except OSError:
            continue
    if not dirs:
        return []
    out = []
    for doc in index.documents():
        source = Path(str(doc.get("source") or ""))
        if not str(source) or not _gone(doc):
            continue
        where = source.resolve()
        if any(where.is_relative_to(d) for d in dirs):
            out.append(doc)
    return out


# Document metadata that records a problem found while parsing: such a file is parsed again on
# every ingest, so that its warning is said again rather than reported as "unchanged".
_WARNED = ("front_matter_error", "pages_without_text", "pages_unreadable", "pages_damaged")
_PARSE_WARNINGS = ("bad_lines", *_WARNED)


def _holds(doc: dict[str, Any]) -> bool:
    """Whether an indexed document's file still holds the bytes it was indexed from (a file
    that cannot be read is taken to: the old, cautious reading of a duplicate)."""
    from ingest.model import sha256

    try:
        return sha256(Path(doc["source"]).read_bytes()) == doc["content_hash"]
    except OSError:
        return True


def _unchanged(index: Index, path: Path, opts: LoadOptions) -> FileResult | None:
    """The file as stored, if its source key says nothing loading reads has changed: then it is
    not parsed again. None sends it down the full path (which also reports every error)."""
    try:
        if not path.is_file() or path.stat().st_size > opts.max_bytes:
            return None
        key = source_key(path, path.read_bytes(), opts)
    except OSError:
        return None
    doc_id = doc_id_for(path)
    if index.catalog.source_key(doc_id) != key:
        return None
    doc = index.catalog.document(doc_id)
    if doc is None or any(doc["metadata"].get(k) for k in _PARSE_WARNINGS):  # said on parsing
        return None
    return FileResult(str(path), "unchanged", doc_id, doc["title"], int(doc["n_chunks"]), 0)


def _lost_connection(exc: BaseException) -> bool:
    """A network failure talking to the Chroma server (httpx's, chromadb's HTTP client)."""
    import httpx

    return isinstance(exc, httpx.TransportError | ConnectionError)


def _gone(document: dict[str, Any]) -> bool:
    """Whether the file ``document`` was ingested from is no longer there. Only where its recorded
    source still names the same file from here (a relative path read from another directory
    names another file, which tells nothing)."""
    source = Path(str(document.get("source") or ""))
    if not str(source) or doc_id_for(source) != document.get("doc_id"):
        return False
    try:
        return not source.exists() and not source.is_symlink()
    except OSError:
        return False


NO_RULES_NOTE = ("no rulebook and no rule numbers found: indexed as kind 'other', searched "
                    "beside the rules by default, and answers quoting it are marked [not a rule]; "
                    "give --kind policy for the firm's own document, or --kind rules --rulebook X "
                    "for a rulebook")  # fmt: skip


STATUTE_NOTE = ("numbered as a statute's sections ('Part 3.7.(2) ...') but no rulebook code "
                "found to cite them by: indexed as kind 'other' and quoted as [not a rule]; "
                "give --kind rules --rulebook X (a code such as FATCA) to cite its sections as "
                "'X s.7'")  # fmt: skip


# a line a rule's number opens ("3.1.1 A firm must ...", "## 4.1.2 Reporting"): three parts at
# least, as a minute's time ("10.30 Meeting opened") or a figure ("2.5 Million") has two (a review)
_NUMBERED_LINE = re.compile(r"(?m)^[ \t#]*(\d{1,3}(?:\.\d{1,3}){2,3})\.?[ \t]+[A-Z]")


def no_rules_note(doc: Document) -> str:
    """The note for a document with no rulebook and no rule cited: where its lines open with
    rule numbers ("3.1.1 ...", twice or more), that they are not cited for want of a rulebook
    code (the note said "no rule numbers found" of a PDF numbered 3.1.1 to 4.1.2, a browser
    trial, thirty-fourth session)."""
    numbers = list(dict.fromkeys(_NUMBERED_LINE.findall(doc.text)))
    if len(numbers) < 2:
        return NO_RULES_NOTE
    shown = ", ".join(numbers[:3]) + (", ..." if len(numbers) > 3 else "")
    return (f"no rulebook code found, so its numbered provisions ({shown}) are not cited as "
            "rules: indexed as kind 'other', searched beside the rules by default, and answers "
            "quoting it are marked [not a rule]; give --kind rules --rulebook X (a code such as "
            f"OSR) to cite them as 'OSR {numbers[0]}', or --kind policy for the firm's own "
            "document")  # fmt: skip


def rules_without_code_note(doc: Document, name: str) -> str | None:
    """The note for a document of kind "rules" whose lines open with rule numbers ("14.11.4
    ...", twice or more) and whose rulebook code was not found: its rules are then cited by
    their numbers alone, as a guidance note's paragraphs ("para 14.11"), and no search by "COBS
    14.11.4" or ``--rulebook`` finds them. ADGM's COBS ingested as the AIFC's own text (its
    file name's "COBS" no AIFC code) was so cited in every row of an obligations register,
    without a word at ingest (a compliance manager's trial, thirty-seventh session). The code
    the file name opens with, if any, is offered."""
    if doc.kind != "rules" or doc.rulebook:
        return None
    numbers = list(dict.fromkeys(_NUMBERED_LINE.findall(doc.text)))
    if len(numbers) < 2:
        return None
    m = re.match(r"([A-Z][A-Z0-9]{1,7})(?:[\s_.\-]|$)", name)
    if m and m.group(1) in NOT_BOOKS:  # a regime's or regulator's name, no code ("ADGM COBS.txt")
        m = None
    code = m.group(1) if m else "X"
    return (
        f"no rulebook code found, so its rules ({', '.join(numbers[:2])}, ...) are not cited "
        f"as '{code} {numbers[0]}' (at most as a section's paragraph, 'para "
        f"{numbers[0].rsplit('.', 1)[0]}'), and neither a search by such a reference nor "
        f"--rulebook finds them; ingest it again with --rulebook {code}"
        + (" (the code its file name opens with)" if m else " (its rulebook's code)")
    )


def _no_rules(doc: Document, chunks: list[Chunk]) -> bool:
    """A document of kind "other" in which no rulebook was found and no passage has a rule
    number: an internal memo, board minutes. Its passages are answers' [not a rule] quotes
    (a custodian's trial: the CEO's memo answered the MLRO residence question, unmarked)."""
    return (doc.kind == "other" and not doc.rulebook and doc.jurisdiction != "RK"
            and doc.fmt != "jsonl" and not any(c.ref for c in chunks))  # fmt: skip


def _given_regime(index: Index, path: Path, opts: LoadOptions) -> str | None:
    """The regime the file was first ingested under by choice (``--jurisdiction``, the app's
    Regime), where this ingest gives none: it is kept (a browser trial, twenty-seventh session:
    ADGM's COBS uploaded again with the Regime left at "(detect)" became an AIFC rulebook,
    quoted as AIFC rules with no word said)."""
    if opts.jurisdiction is not None:
        return None
    try:
        stored = index.catalog.document(doc_id_for(path))
    except OSError:
        return None
    if stored and (stored.get("metadata") or {}).get("jurisdiction_given"):
        return str(stored.get("jurisdiction") or "") or None
    return None


def _ingest_one(index: Index, path: Path, opts: LoadOptions) -> FileResult:
    try:
        # (a default: the file's own front matter still names its regime, a review)
        kept = _given_regime(index, path, opts)
        if kept is not None:
            opts = replace(opts, default_jurisdiction=kept)
        same = _unchanged(index, path, opts)
        if same is not None:
            return same
        doc = load(path, opts)
        if opts.jurisdiction is not None or (kept is not None and doc.jurisdiction == kept):
            doc.metadata["jurisdiction_given"] = True
        if kept is not None and doc.jurisdiction != kept:
            kept = None  # the front matter's regime: no note of the one kept
        previous = index.fingerprint_of(doc.doc_id)
        warnings = []
        dropped = int(doc.metadata.get("bad_line_count", 0))
        if doc.metadata.get("bad_lines"):
            warnings.append(
                f"skipped {doc.metadata['bad_line_count']} bad JSONL line(s): {doc.metadata['bad_lines']}"
            )
        for key in _WARNED:
            if doc.metadata.get(key):
                warnings.append(str(doc.metadata[key]))
        if previous == doc.fingerprint():
            n = len(index.catalog.chunk_ids(doc.doc_id))
            return FileResult(
                str(path),
                "unchanged",
                doc.doc_id,
                doc.title,
                n,
                0,
                warnings=warnings,
                dropped=dropped,
            )
        twin = index.catalog.find_by_hash(doc.content_hash)
        # (also onto a file that was indexed: "mv new.md old.md" left new.md's entry behind)
        moved = twin is not None and twin["doc_id"] != doc.doc_id and _gone(twin)
        # a file with another indexed file's text is that file's duplicate only while the other
        # still holds it: two files that swapped their texts, a file moved onto another, and a
        # copy of a file that was then edited ("cp policy.md old-policy.md", edit policy.md: the
        # copy was a duplicate of the stale entry, and its text was in no entry once policy.md
        # was replaced, a review 2026-12-04) are not
        current_twin = twin is not None and _holds(twin)
        if twin is not None and twin["doc_id"] != doc.doc_id and not moved and current_twin:
            note = ""
            if previous is not None:
                # edited to be the same as another indexed file: its earlier version goes, so
                # that the index is what a fresh ingest of these files makes (it was indexed
                # twice and quoted twice, a hostile-input trial, 2026-12-04)
                index.remove(doc.doc_id)
                note = "; its earlier version was removed from the index"
            return FileResult(str(path), "duplicate", twin["doc_id"], twin["title"], twin["n_chunks"], 0,
                              message=f"{path}: same content as {twin['source']} ({twin['doc_id']}); not indexed twice{note}")  # fmt: skip
        chunks = chunk_document(doc, index.settings.chunking)
        if not chunks:
            raise EmptyFileError(str(path), "no text to index after parsing (headings only?)")
        before = index.catalog.document(doc.doc_id) if previous else None
        embedded = index.upsert(doc, chunks)
        notes = [no_rules_note(doc)] if _no_rules(doc, chunks) else []
        if (
            not notes
            and not part_sectioned(doc)
            and (uncoded := rules_without_code_note(doc, path.name))
        ):
            notes.append(uncoded)
        if (notes or (not doc.rulebook and not any(c.ref for c in chunks))) and part_sectioned(doc):
            # a statute's sections with no rulebook to cite them by (ADGM's FATCA Regulations
            # were marked [not a rule], a tax reporting officer's trial, thirty-second session)
            notes = [STATUTE_NOTE]
        if kept is not None:
            notes.append(f"indexed as {kept} text, as given when it was first ingested; give "
                         "--jurisdiction (the app: Regime) to index it as another regime's")  # fmt: skip
        notes.extend(_undated_notes(doc, index.catalog.documents()))
        old_version = (before or {}).get("version")
        if old_version and old_version != doc.version:
            # a rulebook file overwritten with its next version ("AML.pdf" downloaded again) is
            # one document: the earlier version is gone from the index, and with it `changes`
            # and --as-of answers before the new date, which was said nowhere (an ops trial,
            # twentieth session)
            notes.append(f"version {old_version} of this file was replaced by "
                         f"{doc.version or 'an undated version'} and is no longer indexed; to "
                         "keep both for `changes` and --as-of, ingest each version under its "
                         "own file name")  # fmt: skip
        status = "replaced" if previous else "added"
        message = None
        if moved and twin is not None:
            # the same text, from a file that is no longer where it was ingested from: a move or
            # a rename. Kept as a duplicate under the old path, it was never replaced by a later
            # edit of the new file, and both versions were quoted (ops trial, 2026-12-04).
            index.remove(twin["doc_id"])
            status = "replaced"
            message = (f"{path}: moved from {twin['source']} (no longer there); indexed under "
                       "its new path")  # fmt: skip
        return FileResult(
            str(path),
            status,
            doc.doc_id,
            doc.title,
            len(chunks),
            embedded,
            message=message,
            warnings=warnings,
            notes=notes,
            dropped=dropped,
        )
    except IngestError as exc:
        return FileResult(str(path), "failed", reason=exc.reason, message=str(exc))
    except RegassistError:
        raise
    except PermissionError as exc:
        return _unreadable(path, exc)
    except Exception as exc:  # an unexpected parser failure must not lose the rest of the batch
        url = index.settings.chroma_url
        if url and _lost_connection(exc):
            # the server went away: every file after this one would fail the same way, one
            # "unexpected ConnectError" line each (ops trial, 2026-12-04); the batch stops, and
            # what was committed stays (the next ingest picks up the rest)
            raise RegassistError(f"lost the Chroma server at {url} during the ingest: {exc}",
                                 "start it again and re-run the ingest; files done so far are "
                                 "kept") from exc  # fmt: skip
        return FileResult(str(path), "failed", reason="error",
                          message=f"{path}: unexpected {type(exc).__name__}: {exc}")  # fmt: skip
