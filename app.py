"""regassist Streamlit UI: Chat, Search and Library pages. Run with ``make app``."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="regassist: AIFC rules", page_icon=":material/gavel:", layout="wide")

page = st.navigation([
    st.Page("ui/chat.py", title="Chat", icon=":material/forum:", url_path="chat", default=True),
    st.Page("ui/search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page("ui/policy.py", title="Policy check", icon=":material/fact_check:", url_path="policy"),
    st.Page("ui/library.py", title="Library", icon=":material/library_books:", url_path="library"),
    st.Page("ui/evals.py", title="Evals", icon=":material/monitoring:", url_path="evals"),
])  # fmt: skip
page.run()
