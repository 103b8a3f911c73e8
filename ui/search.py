"""Search: the matching rules for a question or rule reference, with ref, document and page."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant.answer.prompts import search_scope_note
from assistant.errors import RegassistError
from assistant.language.regimes import regime_scope, without_place
from assistant.search.retrieval import Filters, as_indexed
from ingest.model import KINDS
from ui.common import (
    assistant_or_error,
    matched_passage,
    outside_filter,
    plain,
    settings,
    show_error,
    where,
)
from ui.source import show_source


def render() -> None:
    s = settings()
    st.title("Search the rules")
    assistant = assistant_or_error()
    if assistant is None:
        return
    with st.sidebar:
        st.header("Filters")
        kinds = st.multiselect(
            "Kind", KINDS, default=list(s.retrieval.default_kinds), key="search_kinds"
        )
        known = sorted({d["rulebook"] for d in assistant.index.documents() if d["rulebook"]})
        books = st.multiselect("Rulebook", known, key="search_books")  # the same dropdown as Chat
        k = st.slider("Results", 1, 20, s.retrieval.top_k, key="search_k")
    query = st.text_input("Question or rule reference", placeholder="AML 13.1.3", key="query")
    if not query:
        return
    query = as_indexed(query, assistant.index.catalog)  # "pru 3.6a.3", "12.12.5", "Rule 6.5.3"
    # a query naming one regime searches its texts, as the chat and the CLI do (fortieth session)
    documents = assistant.index.documents()
    regime, scoped = regime_scope(query, documents)
    filters = Filters(tuple(kinds), tuple(books), scoped or ())
    searched = without_place(query, regime) if regime is not None and scoped else query
    if regime is not None and scoped:
        st.caption(search_scope_note(regime, documents))
    try:
        hits = assistant.retriever.search(searched, k=k, filters=filters, under_titles=True)
        for ref in assistant.retriever.unknown_refs(query):
            st.warning(f"{ref} is not in the index; the results below are the nearest by words.")
        for ref, part in assistant.retriever.absent_rules(query):
            st.warning(f"{ref} is not in the index: {part} is indexed with rules of its own, none "
                       "of them this one; the results below are the nearest by words.")  # fmt: skip
        for ref, held in assistant.retriever.outer_refs(query):
            st.warning(f"{ref} is not in the index as such: {held}, the part that would hold it, "
                       "comes first.")  # fmt: skip
        for ref, held in assistant.retriever.missing_paragraphs(query):
            st.warning(f"{ref} is not in the index: the indexed text of {held} has no such "
                       f"paragraph; {held} comes first.")  # fmt: skip
    except RegassistError as exc:
        show_error(exc)
        return
    for ref in outside_filter(query, books, known, assistant.index.catalog.books_with_rule):
        # (the results were the filtered rulebook's with no word that the rule asked for is
        # another's, a browser trial, thirty-fourth session)
        st.info(f"{ref} is in {ref.book}, which the Rulebook filter leaves out: the results "
                "below are from the rulebooks chosen.")  # fmt: skip
    if not hits:
        st.info("No matching rules in the indexed text.")
    for hit in hits:
        d: dict[str, Any] = hit.to_dict()
        page, label, quote = matched_passage(hit.chunk, query)
        d |= {"page": page, "page_label": label}
        flags = " · ".join(
            f for f, on in (("Guidance", d["is_guidance"]), ("Repealed", d["repealed"])) if on
        )
        with st.container(border=True):
            name = d["ref"] or d["record_id"] or hit.heading or "Unnumbered passage"
            st.markdown(f"**{hit.rank}. {name}**"
                        + (f"  ·  _{flags}_" if flags else ""))  # fmt: skip
            st.caption(where(d))
            st.text(plain(d["text"]))
            label = f"Show the page of {name}" if d.get("page") else f"Show {name} in its section"
            if st.toggle(label, key=f"search-source-{hit.rank}-{d['chunk_id']}"):
                show_source(assistant.index, d | {"quote": quote})


render()
