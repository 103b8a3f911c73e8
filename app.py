"""regassist Streamlit UI: type a question, see the matching AIFC rules with their citations.

UI only: everything it shows comes from ``assistant``. Run with ``make app``.
"""

from __future__ import annotations

import re

import streamlit as st

from assistant.errors import RegassistError
from assistant.index import Index
from assistant.retrieval import Filters, Retriever
from assistant.settings import Settings, load_settings
from ingest.model import KINDS
from ingest.refs import canonical_book

st.set_page_config(page_title="regassist: AIFC rules search", page_icon="⚖️", layout="wide")

EXAMPLES = (
    "What information must accompany a crypto transfer to another exchange?",
    "What is the CDD threshold for an occasional digital asset transaction?",
    "Which permissions does a crypto exchange need?",
    "AML 13.1.3",
)


@st.cache_resource(show_spinner="Loading the index and the embedding model…")
def open_retriever(data_dir: str) -> Retriever:
    """Opened once per data directory and shared by all sessions; never mutated."""
    settings: Settings = load_settings(data_dir=data_dir)
    return Retriever(Index.open(settings))


def show_hit(hit: dict) -> None:
    flags = " · ".join(
        f for f, on in (("Guidance", hit["is_guidance"]), ("Repealed", hit["repealed"])) if on
    )
    where = [hit["title"] or hit["doc_id"]]
    if hit["page"]:
        where.append(f"p. {hit['page_label'] or hit['page']}")
    if hit["version"]:
        where.append(f"version {hit['version']}")
    if hit["jurisdiction"] and hit["jurisdiction"] != "AIFC":
        where.append(f"jurisdiction {hit['jurisdiction']} (not an AIFC rule)")
    with st.container(border=True):
        st.markdown(f"**{hit['rank']}. {hit['ref'] or hit['record_id'] or 'Unnumbered passage'}**"
                    + (f"  ·  _{flags}_" if flags else ""))  # fmt: skip
        st.caption(" · ".join(where))
        st.text(re.sub(r"(?m)^#{1,6}\s+", "", hit["text"]))  # verbatim, minus Markdown markers


def main() -> None:
    settings = load_settings()
    st.title("regassist")
    st.caption("Search the indexed AIFC/AFSA rules. Results quote the indexed text verbatim; "
               "the bundled corpus is an unofficial digest, not the official rulebooks.")  # fmt: skip
    with st.sidebar:
        st.header("Filters")
        kinds = st.multiselect("Kind", KINDS, default=list(settings.retrieval.default_kinds))
        rulebooks = st.text_input("Rulebooks (comma-separated, e.g. AML, DAA)")
        k = st.slider("Results", 1, 20, settings.retrieval.top_k)
    try:
        retriever = open_retriever(str(settings.data_dir))
    except RegassistError as exc:
        st.error(f"{exc.message}\n\n{exc.hint}")
        return
    query = st.text_input("Question or rule reference", placeholder=EXAMPLES[0], key="query")
    if not query:
        st.markdown("**Try:** " + " · ".join(f"`{e}`" for e in EXAMPLES))
        return
    books = tuple(canonical_book(r.strip()) for r in rulebooks.split(",") if r.strip())
    filters = Filters(tuple(kinds), books)
    try:
        hits = retriever.search(query, k=k, filters=filters)
    except RegassistError as exc:
        st.error(f"{exc.message}\n\n{exc.hint}")
        return
    if not hits:
        st.info("No matching rules in the indexed text.")
    for hit in hits:
        show_hit(hit.to_dict())


main()
