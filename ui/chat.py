"""Chat: ask a licensing question, get a short answer with numbered, verbatim citations."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import streamlit as st

from assistant.answer.prompts import REFUSAL
from assistant.errors import RegassistError
from assistant.search.retrieval import Filters
from ingest.model import KINDS
from ui.common import assistant_or_error, citation_card, settings, show_error

EXAMPLES = (
    "Which permissions does a crypto exchange need?",
    "What is the CDD threshold for an occasional digital asset transaction?",
    "What information must accompany a crypto transfer to another exchange?",
    "Must the MLRO be resident in Kazakhstan?",
)


def _stream(text: str) -> Iterator[str]:
    for word in text.split(" "):
        yield word + " "
        time.sleep(0.005)


def _record_feedback(key: str, message: dict[str, Any]) -> None:
    rating = st.session_state.get(key)
    if rating is None:
        return
    s = settings()
    s.data_dir.mkdir(parents=True, exist_ok=True)
    row = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "rating": "up" if rating == 1 else "down",
           "question": message["question"], "answer": message["answer"]["answer"],
           "citations": [c["ref"] for c in message["answer"]["citations"]],
           "index_id": message["answer"]["index_id"], "mode": message["answer"]["mode"]}  # fmt: skip
    with (s.data_dir / "feedback.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _show_answer(i: int, message: dict[str, Any], stream: bool = False) -> None:
    a = message["answer"]
    for note in a["notes"]:
        if not note.startswith("abstained"):
            st.info(note)
    if a["abstained"]:
        lines = a["answer"].split("\n")
        with st.container(border=True, key=f"refusal-{i}"):
            st.warning(f"**{REFUSAL}**", icon=":material/block:")
            st.markdown("\n".join(f"{ln}" for ln in lines[1:2]))
    elif stream:
        st.write_stream(_stream(a["answer"]))
    else:
        st.markdown(a["answer"])
    for c in a["citations"]:
        citation_card(c)
    if a["removed"]:
        with st.expander(f"Removed by verification ({len(a['removed'])})"):
            for r in a["removed"]:
                st.markdown(f"- **{r['kind']}**: {r['text']}  \n  _{r['reason']}_")
    mode = a["mode"] + (f" · {a['model']}" if a["model"] else "")
    st.caption(
        f"{mode} · {a['elapsed_ms']:.0f} ms" + (f" · as of {a['as_of']}" if a["as_of"] else "")
    )
    key = f"feedback-{i}"
    st.feedback("thumbs", key=key, on_change=_record_feedback, args=(key, message))


def render() -> None:
    s = settings()
    st.title("Ask the AIFC rules")
    st.caption("Answers quote the indexed text verbatim with numbered citations, or say plainly that "
               "the point is not specified. The bundled corpus is an unofficial digest, not the official rulebooks.")  # fmt: skip
    assistant = assistant_or_error()
    if assistant is None:
        return
    docs = assistant.index.documents()
    with st.sidebar:
        st.header("Filters")
        rulebooks = sorted({d["rulebook"] for d in docs if d["rulebook"]})
        books = st.multiselect("Rulebook", rulebooks, key="chat_rulebooks")
        kinds = st.multiselect(
            "Kind", KINDS, default=list(s.retrieval.default_kinds), key="chat_kinds"
        )
        use_as_of = st.checkbox("Only documents in force on a date", key="chat_use_as_of")
        as_of = st.date_input("As of", value=date.today(), key="chat_as_of", disabled=not use_as_of)
        use_llm = False
        if s.llm.configured:
            use_llm = st.toggle(f"Use LLM ({s.llm.model})", value=True, key="chat_llm")
        else:
            st.caption("No LLM configured: answers are extractive quotes.")
        if st.button("Clear chat"):
            st.session_state.messages = []
    messages: list[dict[str, Any]] = st.session_state.setdefault("messages", [])
    for i, m in enumerate(messages):
        with st.chat_message(m["role"]):
            if m["role"] == "user":
                st.markdown(m["content"])
            else:
                _show_answer(i, m)
    question = st.chat_input("Ask about AIFC rules, e.g. the CDD threshold for crypto transactions")
    linked = st.query_params.get("q")  # "ask it in the chat" links from the Evals page
    if linked and not question and st.session_state.get("asked_link") != linked:
        st.session_state["asked_link"] = linked
        question = linked
    if not messages and not question:
        st.markdown("**New here? Try one of these:**")
        for n, example in enumerate(EXAMPLES):
            if st.button(example, key=f"example-{n}"):
                question = example
    if not question:
        return
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        filters = Filters(tuple(kinds), tuple(books))
        try:
            with st.spinner("Searching the rules…"):
                answer = assistant.ask(question, as_of=as_of.isoformat() if use_as_of and as_of else None,
                                       use_llm=use_llm, filters=filters)  # fmt: skip
        except RegassistError as exc:
            show_error(exc)
            messages.pop()
            return
        message = {
            "role": "assistant",
            "question": question,
            "answer": answer.to_dict(full_text=True),
        }
        messages.append(message)
        _show_answer(len(messages) - 1, message, stream=True)


render()
