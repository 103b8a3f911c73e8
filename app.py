"""regassist Streamlit UI: Chat, Search, Policy check, Questionnaire, Changes, Library and Evals pages.
Run with ``make app``."""

from __future__ import annotations

import os

import streamlit as st

from assistant.runtime import apply_offline_env
from assistant.settings import unknown_env
from ui.common import ICON

apply_offline_env()

st.set_page_config(page_title="regassist: AIFC rules", page_icon=str(ICON), layout="wide")

page = st.navigation([
    # The default page is served at "/"; its url_path only has to be unique.
    st.Page("ui/chat.py", title="Chat", icon=":material/forum:", url_path="ask", default=True),
    # The same page at /chat, so that links such as /chat?q=... (Evals page) open the chat.
    st.Page("ui/chat.py", title="Chat", icon=":material/forum:", url_path="chat", visibility="hidden"),
    st.Page("ui/search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page("ui/policy.py", title="Policy check", icon=":material/fact_check:", url_path="policy"),
    st.Page("ui/changes.py", title="Changes", icon=":material/difference:", url_path="changes"),
    st.Page("ui/questionnaire.py", title="Questionnaire", icon=":material/checklist:", url_path="questionnaire"),
    st.Page("ui/library.py", title="Library", icon=":material/library_books:", url_path="library"),
    st.Page("ui/evals.py", title="Evals", icon=":material/monitoring:", url_path="evals"),
])  # fmt: skip
for _line in unknown_env(os.environ):  # a misspelt REGASSIST_ variable is otherwise ignored unseen
    st.sidebar.warning(_line, icon=":material/warning:")
page.run()
