"""Shared by the pages: settings, the cached assistant, error display, citation cards."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.answer.assistant import Assistant
from assistant.answer.prompts import source_mark
from assistant.answer.table import md_text, passage_name, plain
from assistant.errors import RegassistError
from assistant.index.core import Index
from assistant.language.text import sentence_spans
from assistant.search.retrieval import named_refs
from assistant.settings import Settings, load_settings
from ingest.model import Chunk

ICON = Path(__file__).resolve().parent / "static" / "icon.png"  # served locally, never from a CDN
EMPTY = "—"  # what an empty table cell shows, instead of the text "None"


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner="Loading the index and the embedding model…")
def get_assistant(data_dir: str, identity: str) -> Assistant:
    """Built once per data directory and settings identity, shared by all sessions, never mutated."""
    assistant = Assistant(Index.open(load_settings(data_dir=data_dir)))
    assistant.index.embedder.embed_query(
        "warm up"
    )  # load the model under the spinner, not on the first question
    return assistant


def assistant_or_error() -> Assistant | None:
    s = settings()
    try:
        return get_assistant(str(s.data_dir), s.index_id())
    except RegassistError as exc:
        show_error(exc)
        return None


def show_error(exc: RegassistError) -> None:
    st.error(f"{exc.message}\n\n{exc.hint}" if exc.hint else exc.message)


def where(c: dict[str, Any]) -> str:
    parts = [c.get("title") or c.get("doc_id") or ""]
    if c.get("page"):
        parts.append(f"p. {c.get('page_label') or c['page']}")
    if c.get("version"):
        parts.append(f"version {c['version']}")
    if c.get("jurisdiction") == "RK":
        parts.append("RK national law, not an AIFC rule")
    elif c.get("jurisdiction") and c["jurisdiction"] != "AIFC":  # another regime's text (ADGM)
        parts.append(f"{c['jurisdiction']} text, not an AIFC rule")
    elif c.get("outside_rules"):
        parts.append(f"not a rule: kind '{c.get('kind') or 'other'}', no rulebook")
    return " · ".join(p for p in parts if p)


def flags(c: dict[str, Any]) -> list[str]:
    """What a cited passage is besides a rule in force: "Guidance", "Repealed"."""
    return [f for f, on in (("Guidance", c.get("is_guidance")), ("Repealed", c.get("repealed")))
            if on]  # fmt: skip


def card_heading(c: dict[str, Any]) -> str:
    """A citation card's heading (Markdown), marked as the answer's note and the exports mark
    it: "[2] [ADGM] AML 14.3.3"; an AIFC AML 13.8.1 and ADGM's AML 14.3.3 read alike on the
    cards (an app user's trial, twenty-ninth session)."""
    mark = source_mark(c.get("jurisdiction"), bool(c.get("outside_rules")))
    # (the paragraph quoted, where the text numbers it so: "CMC 2.2(6)", as the answer's lines)
    name = passage_name(c)
    return f"**[{c['n']}] {md_text(mark + name)}**"


def citation_card(c: dict[str, Any], key: str = "") -> None:
    """Ref, document, page, version and the verbatim quote; expands to the full rule text."""
    flags_ = flags(c)
    with st.container(border=True, key=f"cite-{key}-{c['chunk_id']}-{c['n']}"):
        head = card_heading(c)
        st.markdown(head + (f" · _{', '.join(flags_)}_" if flags_ else ""))
        st.caption(where(c))
        st.markdown("> " + md_text(plain(c["quote"])).replace("\n", "\n> "))
        # each control named by its passage: a screen reader listed five "Show in its section"
        # switches and as many "Full rule text" expanders, one like the other (a screen-reader
        # user's trial, thirty-ninth session)
        name = plain(c.get("ref") or c.get("heading") or "the passage")
        if c.get("full_text"):
            # a memo's passage is no rule (a founder's browser trial)
            full = "Full text" if c.get("outside_rules") else "Full rule text"
            with st.expander(f"{full} of {name}"):
                st.text(plain(c["full_text"]))
        label = f"Show the page of {name}" if c.get("page") else f"Show {name} in its section"
        if st.toggle(label, key=f"source-{key}-{c['chunk_id']}-{c['n']}"):
            from ui.source import show_source

            assistant = assistant_or_error()
            if assistant is not None:
                show_source(assistant.index, c)


def cell(value: Any) -> Any:
    """A table cell: empty values show as a dash, never as the text "None"."""
    return EMPTY if value is None or value == "" else value


def tidy_message(message: str | None, path: str | Path, name: str) -> str:
    """An ingest error for the user: no internal path, the file name once, the hint on its own line.
    ``path`` is where the upload was stored, ``name`` what the user called it."""
    text = (message or "").strip()
    path = str(path)
    for prefix in (path, Path(path).name, name):
        if text.startswith(prefix + ":"):
            text = text[len(prefix) + 1 :].strip()
            break
    text = text.replace(path, name)
    text = re.sub(r"(?:[\w.-]+/)*uploads/[\w.-]+", name, text)  # any other stored path
    text = re.sub(r"\n\s*hint:\s*", "\n\n", text)
    return text or "could not be ingested"


STATUS_ICONS = {"conflicting": ":material/cancel:", "partial": ":material/warning:",
                "missing": ":material/help:", "covered": ":material/check_circle:"}  # fmt: skip


def status_box(status: str, text: str) -> None:
    """A finding in its status colour: conflicting red, partial amber, missing grey, covered green."""
    body = f"**{status.capitalize()}**: {text}"
    icon = STATUS_ICONS.get(status)
    if status == "conflicting":
        st.error(body, icon=icon)
    elif status == "partial":
        st.warning(body, icon=icon)
    elif status == "covered":
        st.success(body, icon=icon)
    else:
        with st.container(border=True, key=f"status-{status}"):
            st.markdown(f":gray-background[{icon} **{status.capitalize()}**]: {text}")


def ui_words(note: str) -> str:
    """An ingest note in this page's words: its Kind and Rulebook boxes, not the command line's
    flags ("give --kind policy" on a page with a Kind box, a browser trial, eighteenth session)."""
    note = re.sub(r"--kind (\w+) --rulebook X", r"Kind '\1' and its Rulebook", note)
    return re.sub(r"--kind (\w+)", r"Kind '\1'", note).replace("give Kind", "choose Kind")


def outside_filter(query: str, books: list[str], known: list[str],
                   holders: Callable[[str], set[str]]) -> list[Any]:  # fmt: skip
    """The rules the query names that an indexed rulebook not among ``books`` (the Rulebook
    filter) holds (none where the filter is empty); ``holders``: the rulebooks holding a rule's
    number (the catalog's ``books_with_rule``). A rule no rulebook holds is not said to be in
    one ("AML 99.9.9 is in AML", beside "AML 99.9.9 is not in the index", a review)."""
    if not books:
        return []
    chosen = {b.upper() for b in books}
    return [r for r in named_refs(query, known)
            if r.book.upper() not in chosen
            and r.book.upper() in {b.upper() for b in holders(r.number)}]  # fmt: skip


def matched_passage(chunk: Chunk, query: str) -> tuple[int | None, str | None, str]:
    """The page (and its printed label) of the sentence of a passage over pages that holds most
    of the query's words, and that sentence: where the card and its page view point. A passage
    on one page (or none): its page, and its whole text (a two-page passage was shown on its
    first page, the matched rules being on its second, a browser trial, thirty-fourth
    session)."""
    if len(chunk.pages) <= 1 or named_refs(query):
        # (a rule looked up by its number: where it starts, the whole passage; its words are
        # its code, which a cross-reference on a later page holds too, a review)
        return (chunk.pages[0] if chunk.pages else None,
                chunk.page_labels[0] if chunk.page_labels else None, chunk.text)  # fmt: skip
    words = {w for w in re.findall(r"\w+", query.lower()) if len(w) > 2}

    def shared(span: tuple[int, int]) -> int:
        return len(words & set(re.findall(r"\w+", chunk.text[span[0] : span[1]].lower())))

    spans = sentence_spans(chunk.text)
    best = max(spans, key=shared, default=None)  # (ties: the first)
    if best is None or not shared(best):
        return chunk.pages[0], chunk.page_labels[0] if chunk.page_labels else None, chunk.text
    page, label = chunk.page_at(best[0])
    return page, label, chunk.text[best[0] : best[1]]
