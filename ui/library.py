"""Library: what is indexed; upload files to ingest; remove a document."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.errors import IndexMissingError, RegassistError
from assistant.index.core import Index
from assistant.index.ingest import FileResult, ingest_paths
from ingest.loaders import SUFFIXES, LoadOptions, checked_regime, rulebook_code
from ingest.model import KINDS
from ingest.refs import RULEBOOKS, detect_rulebook
from ui.common import (
    cell,
    get_assistant,
    settings,
    show_error,
    tidy_message,
    ui_words,
)
from ui.source import pdf_pages, show_document

NAMES = ".names.json"  # stored upload name -> the name the user gave


def safe_name(name: str) -> str:
    """A file name safe to store: letters, digits, dot, dash, underscore; no hidden files."""
    stem, dot, ext = Path(name).name.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem if dot else ext).strip("-.")[:80] or "upload"
    return f"{stem}.{ext.lower()}" if dot else stem


def _show_result(r: dict[str, Any]) -> None:
    """One line per file: the name the user gave it, once; no internal path."""
    name = r.get("name") or Path(r["path"]).name
    if r["status"] == "failed":
        st.error(f"**{name}**: {tidy_message(r.get('message'), r['path'], name)}")
    elif r["status"] == "unchanged":
        st.info(f"**{name}**: unchanged ({r['chunks']} chunks)")
    elif r["status"] == "duplicate":
        st.info(f"**{name}**: already indexed as {r.get('title') or r.get('doc_id')}")
    else:
        st.success(f"**{name}**: {r['status']} ({r['chunks']} chunks, {r['embedded']} embedded)")
    for w in r.get("warnings") or []:
        st.warning(f"**{name}**: {tidy_message(w, r['path'], name)}")
    for n in r.get("notes") or []:
        st.caption(f"{name}: {ui_words(n)}")


def progress_text(done: int, total: int, failed: int) -> str:
    """What the progress bar says: files processed, and of those how many went in or failed."""
    ok = done - failed
    text = f"Processed {done} of {total} files: {ok} ingested"
    return text + (f", {failed} failed" if failed else "")


def _ingest(s: Any, assistant: Any, files: list[Any], kind: str, rulebook: str,
            version: str | None, regime: str | None = None) -> list[dict[str, Any]]:  # fmt: skip
    limit = int(s.max_file_mb * 1024 * 1024)
    upload_dir = s.data_dir / "uploads"
    upload_dir.mkdir(parents=True, exist_ok=True)
    bar = st.progress(0.0, text="Ingesting…")
    results: list[dict[str, Any]] = []

    def step(done: str) -> None:
        pending = st.session_state.get("ingest_pending") or []
        if done in pending:
            pending.remove(done)
        failed = sum(r["status"] == "failed" for r in results)
        bar.progress(len(results) / max(1, len(files)),
                     text=progress_text(len(results), len(files), failed))  # fmt: skip

    writer = None
    # the files not yet ingested, kept in the session: leaving the page stops this run at its
    # next screen update, and the files after the current one were dropped with no word (a
    # browser trial, twenty-seventh session); the page says which when it is opened again
    st.session_state["ingest_pending"] = [f.name for f in files]
    st.session_state["last_results"] = results  # (what was done so far is shown then too)
    for f in files:
        data = f.getvalue()
        if len(data) > limit:
            results.append(FileResult(f.name, "failed", reason="too-large",
                                      message=f"file is {len(data) / 2**20:.1f} MB, over the {s.max_file_mb:.0f} MB limit"
                                      ).to_dict() | {"name": f.name})  # fmt: skip
            step(f.name)
            continue
        path = upload_dir / safe_name(f.name)
        path.write_bytes(data)
        book = None if rulebook == "(detect)" else rulebook
        if book is None:  # the name the user gave, before it was made safe to store
            book = detect_rulebook(f.name, "", "", foreign=regime not in (None, "AIFC", "RK"))
        opts = LoadOptions(kind=None if kind == "(detect)" else kind, version_date=version,
                           rulebook=book, max_bytes=limit, title=Path(f.name).name,
                           jurisdiction=regime,
                           strip_repeated_lines=s.chunking.strip_repeated_lines)  # fmt: skip
        try:
            writer = writer or Index.open(s, embedder=assistant.index.embedder, create=True)
            (r,) = ingest_paths(writer, [path], opts)
            out = r.to_dict() | {"name": f.name}
            if r.status == "failed":
                path.unlink(missing_ok=True)  # nothing of a failed upload is kept
            else:
                _remember_name(upload_dir, path, f.name)
        except RegassistError as exc:
            out = FileResult(str(path), "failed", reason="error",
                             message=exc.message + (f"\n  hint: {exc.hint}" if exc.hint else "")
                             ).to_dict() | {"name": f.name}  # fmt: skip
        results.append(out)
        step(f.name)
    st.session_state.pop("ingest_pending", None)
    return results


def _unconfirm() -> None:
    """Another document chosen: its removal is confirmed afresh (a confirmation given for one
    document removed the next one chosen)."""
    st.session_state.pop("remove_confirm", None)


def _names(upload_dir: Path) -> dict[str, str]:
    try:
        return dict(json.loads((upload_dir / NAMES).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _remember_name(upload_dir: Path, path: Path, name: str) -> None:
    """The file name the user uploaded, shown as the document's title in this page."""
    names = _names(upload_dir)
    names[path.name] = name
    (upload_dir / NAMES).write_text(
        json.dumps(names, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def doc_rows(docs: list[dict[str, Any]], upload_dir: Path) -> list[dict[str, Any]]:
    """The document table: uploads are titled by the name they were uploaded under, empty cells
    show a dash."""
    names = _names(upload_dir)
    rows = []
    for d in docs:
        src = Path(d.get("source") or "")
        uploaded = src.parent.name == "uploads" and src.name in names
        rows.append({"title": names[src.name] if uploaded else d["title"],
                     "heading": (d.get("metadata") or {}).get("heading") if uploaded else None, "kind": d["kind"],
                     "rulebook": d["rulebook"], "regime": d.get("jurisdiction") or "AIFC",
                     "version": d["version"], "chunks": d["n_chunks"],
                     "ingested at": d["ingested_at"], "id": d["doc_id"]})  # fmt: skip
    return [{k: cell(v) for k, v in r.items()} for r in rows]


def _offer_new_index(s: Any) -> None:
    """With no index in the data directory, the Library offers to start one, to which files are
    then uploaded here (the page showed only "no index ... build one first: regassist ingest
    ...", and no uploader: a consultant without a shell was stuck, an app user's trial,
    twenty-ninth session)."""
    st.info(f"There is no index in {s.data_dir} yet. Start an empty one here and upload your "
            "documents below, or build one of the bundled corpus with `make index`.")  # fmt: skip
    if st.button("Start an empty index", type="primary", key="new_index"):
        try:
            Index.open(s, create=True)
        except RegassistError as exc:  # (a path that is a file, a server down: a review)
            show_error(exc)
            return
        st.rerun()


def render() -> None:
    s = settings()
    st.title("Library")
    try:
        assistant = get_assistant(str(s.data_dir), s.index_id())
    except IndexMissingError as exc:
        # (only where the folder holds no index's files: one that lost its manifest is
        # damaged, not empty, and starting one would take over its chunks, a review)
        held = [p for p in ("catalog.sqlite3", "chroma") if (s.data_dir / p).exists()]
        if held:
            show_error(exc)
        else:
            _offer_new_index(s)
        return
    except RegassistError as exc:
        show_error(exc)
        return
    if flash := st.session_state.pop("flash", None):
        st.success(flash)
    docs = assistant.index.documents()
    upload_dir = s.data_dir / "uploads"
    st.subheader(f"{len(docs)} documents, {sum(d['n_chunks'] for d in docs)} chunks")
    st.dataframe(doc_rows(docs, upload_dir), hide_index=True, width="stretch", key="library_docs")

    if pending := st.session_state.pop("ingest_pending", None):
        # an ingest stopped by leaving the page: what was done is kept, the rest is named
        st.warning("The last ingest stopped when the page was left; not ingested: "
                   f"{', '.join(pending)}. Upload them again.")  # fmt: skip
        st.session_state.pop("last_progress", None)

    st.subheader("Add documents")
    gen = st.session_state.setdefault("upload_gen", 0)
    # the upload options stay as chosen when the page is left and opened again (the Regime went
    # back to "(detect)", and a rulebook uploaded again as ADGM text became AIFC's: a browser
    # trial, twenty-seventh session); Streamlit forgets a widget's value off its page
    others = sorted({d.get("jurisdiction") or "AIFC" for d in docs} - {"AIFC", "RK"})
    known = sorted({d["rulebook"] for d in docs if d["rulebook"]} | set(RULEBOOKS))
    # (a code typed before, kept across page visits as a choice is: it was lost, a review)
    typed = st.session_state.get("kept_upload_rulebook")
    if typed and typed != "(detect)" and typed not in known and rulebook_code(str(typed)):
        known.append(str(typed))
    options = {"upload_kind": ["(detect)", *KINDS], "upload_rulebook": ["(detect)", *known],
               "upload_regime": ["(detect)", "AIFC", "RK", *others]}  # fmt: skip
    for key, choices in options.items():
        kept = st.session_state.get(f"kept_{key}")
        if key not in st.session_state and kept in choices:
            st.session_state[key] = kept
    # (no file type restriction in the uploader: a file it refused, "logo.png", was in neither
    # the count nor the results after Ingest, and its mark went with the emptied uploader, a
    # browser trial, twenty-eighth session; each file of another type is named with the reason)
    files = st.file_uploader("Rulebooks or policies", accept_multiple_files=True,
                             key=f"uploads-{gen}",
                             help=f"PDF, DOCX, Markdown, text or JSONL ({', '.join(sorted(SUFFIXES))})")  # fmt: skip
    col1, col2, col3, col4 = st.columns(4)
    kind = col1.selectbox("Kind", options["upload_kind"], key="upload_kind")
    # the regime of the files' text, as `ingest --jurisdiction` (a citation audit, twenty-fifth
    # session: rulebooks of another centre uploaded for comparison were stored as AIFC rules)
    regime = col4.selectbox("Regime", options["upload_regime"], key="upload_regime",
                            accept_new_options=True,
                            help="AIFC rules (the default, or a Markdown front matter's), RK for "
                                 "Kazakh national law, or another name (ADGM) for another "
                                 "regime's text: its quotes are marked [NAME]")  # fmt: skip
    # (a code of the user's own, as `ingest --rulebook OSR` takes it: the list offered only the
    # AIFC's and the indexed ones, and an uploaded "Outsourcing Rules (OSR)" could not be cited
    # by its rules' numbers, a browser trial, thirty-fourth session)
    rulebook = col2.selectbox("Rulebook", options["upload_rulebook"], key="upload_rulebook",
                              accept_new_options=True,
                              help="Detected from the file's name and title, or a code of your "
                                   "own (type it: OSR, CHR) to cite its rules by: 'OSR 2.1.1'")  # fmt: skip
    for key, value in (("upload_kind", kind), ("upload_rulebook", rulebook),
                       ("upload_regime", regime)):  # fmt: skip
        st.session_state[f"kept_{key}"] = value
    set_version = col3.checkbox("Set version / in-force date", key="upload_set_version")
    version = col3.date_input(
        "Version date", value=date.today(), key="upload_version", disabled=not set_version
    )
    given = None if regime in (None, "(detect)") else str(regime)
    chosen = checked_regime(given) if given else None
    bad_regime = bool(given) and chosen is None
    if bad_regime:
        st.error(f"Regime {regime!r}: a short name such as AIFC, RK or ADGM (letters, digits, "
                 "spaces, dots, hyphens).")  # fmt: skip
    # (a code offered, as the index stores it, as it is: a longer one was refused, a review)
    book = ("(detect)" if rulebook in (None, "(detect)") else rulebook
            if rulebook in options["upload_rulebook"] else rulebook_code(str(rulebook)))  # fmt: skip
    bad_book = book is None
    if bad_book:
        st.error(f"Rulebook {rulebook!r}: a short code such as AML, COBS or PRU(INV) (letters and "
                 "digits, two to twelve).")  # fmt: skip
    if st.button("Ingest", disabled=not files or bad_regime or bad_book, type="primary",
                 key="ingest_button"):  # fmt: skip
        results = _ingest(s, assistant, list(files or []), kind, book or "(detect)",
                          version.isoformat() if set_version and version else None,
                          chosen)  # fmt: skip
        failed = sum(r["status"] == "failed" for r in results)
        st.session_state["last_results"] = results
        st.session_state["last_progress"] = (len(results), failed)
        st.session_state["upload_gen"] = gen + 1  # a fresh, empty uploader after the rerun
        st.rerun()  # refresh the document table; the results are shown below after the rerun
    if last := st.session_state.get("last_progress"):
        n, failed = last
        st.progress(1.0, text=progress_text(n, n, failed))
    for r in st.session_state.get("last_results", []):
        _show_result(r)

    st.subheader("Open a document")
    if docs:
        opened = {f"{d['title']} ({d['doc_id']})": d for d in docs}
        pick = st.selectbox("Document to open", list(opened), key="open_choice", index=None,
                            placeholder="Choose a document to read")  # fmt: skip
        if pick:
            d = opened[pick]
            page = 1
            if d["fmt"] == "pdf" and Path(d["source"]).is_file():
                page = int(st.number_input("Page", 1, pdf_pages(d["source"]), 1, key="open_page"))
            with st.container(border=True, height=700, key="open_view"):
                show_document(assistant.index, d, page)

    st.subheader("Remove a document")
    if docs:
        labels = {f"{d['title']} ({d['doc_id']})": d["doc_id"] for d in docs}
        choice = st.selectbox("Document to remove", list(labels), index=None, key="remove_choice",
                              placeholder="Choose a document to remove",
                              on_change=_unconfirm)  # fmt: skip
        # removing cannot be undone (only by ingesting the file again): it takes a choice and a
        # confirmation, never one click on a preselected document
        sure = st.checkbox("Yes, remove it from the index", key="remove_confirm",
                           disabled=choice is None)  # fmt: skip
        if st.button("Remove", key="remove_button", disabled=choice is None or not sure):
            try:
                doc_id = labels[str(choice)]
                source = Path(
                    next((d.get("source") or "" for d in docs if d["doc_id"] == doc_id), "")
                )
                with assistant.index.write_lock():
                    n = assistant.index.remove(doc_id)
                    assistant.index.sync_keywords(persist=True)
                if source.parent == upload_dir and source.is_file():
                    source.unlink()  # an upload's stored copy goes with it
                st.session_state["flash"] = f"Removed {choice}: {n} chunks"
                st.session_state.pop("remove_confirm", None)
                # the last ingest's results no longer describe the index ("daa-2025.md: added"
                # stayed under "Removed daa-2025.md", a stablecoin founder's trial)
                st.session_state.pop("last_results", None)
                st.session_state.pop("last_progress", None)
                st.rerun()
            except RegassistError as exc:
                show_error(exc)


render()
