"""Library: what is indexed; upload files to ingest; remove a document."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import streamlit as st

from assistant.errors import RegassistError
from assistant.index.core import Index
from assistant.index.ingest import FileResult, ingest_paths
from ingest.loaders import SUFFIXES, LoadOptions
from ingest.model import KINDS
from ui.common import assistant_or_error, settings, show_error


def safe_name(name: str) -> str:
    """A file name safe to store: letters, digits, dot, dash, underscore; no hidden files."""
    stem, dot, ext = Path(name).name.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem if dot else ext).strip("-.")[:80] or "upload"
    return f"{stem}.{ext.lower()}" if dot else stem


def _show_result(r: FileResult) -> None:
    name = Path(r.path).name
    if r.status == "failed":
        st.error(f"**{name}**: {r.message}")
    elif r.status == "unchanged":
        st.info(f"**{name}**: unchanged ({r.chunks} chunks)")
    else:
        st.success(f"**{name}**: {r.status} ({r.chunks} chunks, {r.embedded} embedded)")
    for w in r.warnings:
        st.warning(f"**{name}**: {w}")


def render() -> None:
    s = settings()
    st.title("Library")
    assistant = assistant_or_error()
    if assistant is None:
        return
    if flash := st.session_state.pop("flash", None):
        st.success(flash)
    docs = assistant.index.documents()
    st.subheader(f"{len(docs)} documents, {sum(d['n_chunks'] for d in docs)} chunks")
    st.dataframe(
        [{"title": d["title"], "kind": d["kind"], "rulebook": d["rulebook"], "version": d["version"],
          "chunks": d["n_chunks"], "ingested at": d["ingested_at"], "id": d["doc_id"]} for d in docs],
        hide_index=True, width="stretch",
    )  # fmt: skip

    st.subheader("Add documents")
    files = st.file_uploader("Rulebooks or policies", type=[e.lstrip(".") for e in SUFFIXES],
                             accept_multiple_files=True, key="uploads")  # fmt: skip
    col1, col2 = st.columns(2)
    kind = col1.selectbox("Kind", ["(detect)", *KINDS], key="upload_kind")
    set_version = col2.checkbox("Set version / in-force date", key="upload_set_version")
    version = col2.date_input(
        "Version date", value=date.today(), key="upload_version", disabled=not set_version
    )
    if st.button("Ingest", disabled=not files, type="primary"):
        limit = int(s.max_file_mb * 1024 * 1024)
        upload_dir = s.data_dir / "uploads"
        upload_dir.mkdir(parents=True, exist_ok=True)
        paths, results = [], []
        for f in files or []:
            data = f.getvalue()
            if len(data) > limit:
                results.append(FileResult(f.name, "failed", reason="too-large",
                                          message=f"{f.name}: file is {len(data) / 1e6:.1f} MB, over the {s.max_file_mb:.0f} MB limit"))  # fmt: skip
                continue
            path = upload_dir / safe_name(f.name)
            path.write_bytes(data)
            paths.append(path)
        bar = st.progress(0.0, text="Ingesting…")
        done = []

        def step(r: FileResult) -> None:
            done.append(r)
            bar.progress(
                len(done) / max(1, len(paths)), text=f"Ingested {len(done)} of {len(paths)}"
            )

        opts = LoadOptions(kind=None if kind == "(detect)" else kind,
                           version_date=version.isoformat() if set_version and version else None,
                           max_bytes=limit, strip_repeated_lines=s.chunking.strip_repeated_lines)  # fmt: skip
        try:
            writer = Index.open(s, embedder=assistant.index.embedder, create=True)
            if paths:
                results.extend(ingest_paths(writer, paths, opts, progress=step))
        except RegassistError as exc:
            show_error(exc)
        bar.progress(1.0, text="Done")
        st.session_state["last_results"] = [r.to_dict() for r in results]
        st.rerun()  # refresh the document table; the results are shown below after the rerun
    for r in st.session_state.get("last_results", []):
        _show_result(FileResult(**r))

    st.subheader("Remove a document")
    if docs:
        labels = {f"{d['title']} ({d['doc_id']})": d["doc_id"] for d in docs}
        choice = st.selectbox("Document", list(labels), key="remove_choice")
        if st.button("Remove", key="remove_button"):
            try:
                with assistant.index.write_lock():
                    n = assistant.index.remove(labels[choice])
                    assistant.index.sync_keywords(persist=True)
                st.session_state["flash"] = f"Removed {choice}: {n} chunks"
                st.rerun()
            except RegassistError as exc:
                show_error(exc)


render()
