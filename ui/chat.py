"""Chat: ask a licensing question, get a short answer with numbered, verbatim citations."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import streamlit as st

from assistant.answer.followup import (
    Rewrite,
    of_the_same,
    rewrite,
    rewrite_with_llm,
    split_questions,
    too_many_questions,
)
from assistant.answer.previous import about_previous, answer_about
from assistant.answer.prompts import REFUSAL
from assistant.errors import RegassistError
from assistant.language.quantities import figures
from assistant.search.retrieval import Filters
from ingest.model import KINDS
from ui.common import assistant_or_error, citation_card, settings, show_error
from ui.export import chat_docx, chat_markdown, shown_notes

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
QUOTE_LINE = re.compile(r'" \[\d+\]\s*$')  # a line of verbatim quotes, shown in the cards

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


def _feedback_row(message: dict[str, Any], rating: str, comment: str = "") -> None:
    """One row of ``feedback.jsonl``: a thumbs rating ("event": "rating"), or the comment added
    to a thumbs-down ("event": "comment", carrying the same rating): count ratings by the
    rating rows, so that a commented thumbs-down counts once."""
    s = settings()
    s.data_dir.mkdir(parents=True, exist_ok=True)
    a = message["answer"]
    row = {"time": datetime.now(UTC).isoformat(timespec="seconds"),
           "event": "comment" if comment else "rating", "rating": rating,
           "question": message["question"], "standalone": message.get("standalone", message["question"]),
           "answer": a["answer"], "citations": [c["ref"] or c.get("heading") for c in a["citations"]],
           "index_id": a["index_id"], "mode": a["mode"]}  # fmt: skip
    if comment:
        row["comment"] = comment
    with (s.data_dir / "feedback.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _record_feedback(key: str, message: dict[str, Any]) -> None:
    rating = st.session_state.get(key)
    if rating is None:
        return
    _feedback_row(message, "up" if rating == 1 else "down")


def _send_comment(i: int, message: dict[str, Any]) -> None:
    """A thumbs-down comment: stored as a feedback row with the rating and the comment."""
    comment = (st.session_state.get(f"comment-{i}") or "").strip()
    if comment:
        _feedback_row(message, "down", comment)
        st.session_state[f"comment-sent-{i}"] = True


def answer_text(a: dict[str, Any]) -> str:
    """What the chat bubble shows: the plain first line; the quotes are in the cards below, so
    they are not repeated here (the CLI and the exports keep them)."""
    if a["mode"] != "extractive" or a["abstained"]:
        return a["answer"]
    lines = [ln for ln in a["answer"].split("\n") if not QUOTE_LINE.search(ln)]
    return "\n\n".join(lines) if lines else a["answer"]


def split_notes(notes: list[str]) -> tuple[list[str], list[str]]:
    """The notes shown above the answer, and those shown after the citation cards: a note about
    particular citations ("[1] quotes the 2024-01-01 version ...") goes after the cards it
    numbers, as the answer bubble shows only its first line's marks."""
    shown = shown_notes(notes)
    # (not one saying the lead citation may not answer what was asked, "[1] speaks of: MLRO;
    # the question asks about: deputy MLRO ...": it was below three cards, out of sight, while
    # the export put it first, a browser trial)
    cards = [n for n in shown if re.search(r"\[\d+\]", n) and "the question" not in n]
    return [n for n in shown if n not in cards], cards


def scope(books: list[str], kinds: list[str], default_kinds: tuple[str, ...]) -> str:
    """What the sidebar filters restrict a search to, in words; "" when they restrict nothing
    (no rulebook chosen, and every default kind searched)."""
    return Filters(tuple(kinds), tuple(books)).scope(default_kinds)


def _show_answer(i: int, message: dict[str, Any], stream: bool = False) -> None:
    a = message["answer"]
    if message.get("part"):
        st.caption(f"Question {message['part']}: **{message['question']}**")
    if message.get("standalone") and message["standalone"] != message["question"]:
        st.caption(f"Follow-up read as: **{message['standalone']}**")
    above, about_cards = split_notes(a["notes"])
    if message.get("scope"):
        # a sidebar filter left rules out of this answer: said with it, so that an answer (or a
        # "not specified") from part of the index is not taken for the whole (a new user's
        # trial, 2026-12-04: the AML Return's deadline asked with Rulebook = DAA)
        st.info(f"Searched only {message['scope']}; the rest of the index was not searched.",
                icon=":material/filter_alt:")  # fmt: skip
    for note in above:
        st.info(note)
    if a["abstained"]:
        lines = a["answer"].split("\n")
        with st.container(border=True, key=f"refusal-{i}"):
            st.warning(f"**{REFUSAL}**", icon=":material/block:")
            st.markdown("\n".join(f"{ln}" for ln in lines[1:2]))
    elif stream:
        st.write_stream(_stream(answer_text(a)))
    else:
        st.markdown(answer_text(a))
    for c in a["citations"]:
        citation_card(c, key=f"{i}")
    for note in about_cards:
        st.info(note)
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
    if st.session_state.get(key) == 0:  # thumbs down: ask what was wrong (optional)
        if st.session_state.get(f"comment-sent-{i}"):
            st.caption("Thanks, your comment is stored with the feedback.")
        else:
            st.text_input("What was wrong? (optional)", key=f"comment-{i}")
            st.button(
                "Send comment", key=f"send-comment-{i}", on_click=_send_comment, args=(i, message)
            )


def _previous_answer(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The last answer of the conversation that searched the rules (``Answer.to_dict``)."""
    return next((m["answer"] for m in reversed(messages) if m["role"] == "assistant"
                 and m.get("answer") and not m.get("about_previous")), None)  # fmt: skip


def standalone_question(question: str, messages: list[dict[str, Any]], assistant: Any,
                        use_llm: bool) -> Rewrite:  # fmt: skip
    """The question rewritten from the conversation when it leans on the previous turn."""
    # (a question about an answer, "which rule says that?", is no topic to lean on)
    turns = [m for m in messages if m["role"] == "assistant" and not m.get("about_previous")]
    history = [m.get("standalone") or m["question"] for m in turns]
    if use_llm and assistant.llm is not None:
        return rewrite_with_llm(assistant.llm, question, history)
    rw = rewrite(question, history)
    if rw.how == "appended" and turns and turns[-1].get("base"):
        # a fragment after a fragment ("and below USD 1,000?", then "and above that?") is asked
        # of the question both lean on, not appended to the first one's reading ("... transfer,
        # below USD 1,000, above that?" got a capital rule, an MLRO's trial, twentieth session);
        # its "that" is the previous fragment's figure, when it had one ("above USD 1,000")
        base = turns[-1]["base"]
        added = (turns[-1].get("standalone") or "")[len(base.rstrip(" ?")) :]
        said = figures(added)
        asked = question
        if len(said) == 1:
            asked = re.sub(r"\b(?:that|this)\b(?=\s*[?.!]*\s*$)", said[0].text, question, count=1)
        rw = rewrite(asked, [*history[:-1], base])
        rw = Rewrite(question, rw.standalone, rw.rewritten, rw.how)
    return rw


def _last_standalone(messages: list[dict[str, Any]]) -> str | None:
    """The question the last answer was searched for (a part of the same message, where the
    caller asks it for a later part)."""
    turns = [m for m in messages if m["role"] == "assistant" and not m.get("about_previous")]
    return (turns[-1].get("standalone") or turns[-1]["question"]) if turns else None


def _base(rw: Rewrite, messages: list[dict[str, Any]]) -> str | None:
    """The question an appended follow-up was added to (kept through a chain of them)."""
    if rw.how != "appended":
        return None
    turns = [m for m in messages if m["role"] == "assistant" and not m.get("about_previous")]
    if not turns:
        return None
    return turns[-1].get("base") or turns[-1].get("standalone") or turns[-1]["question"]


@dataclass(frozen=True)
class Heading:
    title: str
    caption: str
    placeholder: str
    examples: tuple[str, ...]  # the first-time user's example questions


def heading(docs: list[dict[str, Any]]) -> Heading:
    """The page's title, caption, question placeholder and examples for the indexed documents:
    they name the regimes whose rules are indexed (national law and policies aside), the
    digest's note only where the bundled digest is indexed, and the AIFC examples only where
    AIFC text is. With only ADGM's rulebooks indexed the page had said "Ask the AIFC rules" and
    offered "Must the MLRO be resident in Kazakhstan?" (a fund manager's browser trial,
    thirty-seventh session)."""
    regimes = sorted({d.get("jurisdiction") or "AIFC" for d in docs
                      if d.get("kind") != "policy"} - {"RK"})  # fmt: skip
    # (nothing indexed yet: the product's own name; national law or policies alone: no rules)
    named = " and ".join(regimes) if regimes else ("AIFC" if not docs else "indexed")
    caption = ("Answers quote the indexed text verbatim with numbered citations, or say plainly that "
               "the point is not specified.")  # fmt: skip
    if any("unofficial digest" in (d.get("title") or "").lower() for d in docs):
        caption += " The bundled corpus is an unofficial digest, not the official rulebooks."
    if regimes and "AIFC" not in regimes:
        caption += f" No AIFC rules are indexed: the rules quoted are {named} text."
    aifc = "AIFC" in regimes or not docs
    what = f"{named} rules" if named != "indexed" else "the indexed texts"
    placeholder = f"Ask about {what}" + (
        ", e.g. the CDD threshold for crypto transactions"
        if aifc
        else ", or look a rule up by its number"
    )
    return Heading(f"Ask {'the ' if named != 'indexed' else ''}{what}", caption, placeholder,
                   EXAMPLES if aifc else ())  # fmt: skip


def render() -> None:
    s = settings()
    assistant = assistant_or_error()
    if assistant is None:
        st.title("Ask the rules")
        return
    docs = assistant.index.documents()
    head = heading(docs)
    st.title(head.title)
    st.caption(head.caption)
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
    # filled last, so that the exports hold the answer this run adds (a new user's export left
    # out the newest answer, and the buttons appeared only after the second one)
    export_slot = st.sidebar.container()
    try:
        _converse(assistant, messages, kinds, books, use_as_of, as_of, use_llm, head)
    finally:
        _export(export_slot, messages)


def _export(slot: Any, messages: list[dict[str, Any]]) -> None:
    if any(m["role"] == "assistant" for m in messages):
        with slot:
            st.header("Export")
            st.download_button("Chat as Markdown", chat_markdown(messages), "regassist-chat.md",
                               "text/markdown", key="export_md")  # fmt: skip
            st.download_button("Chat as DOCX", chat_docx(messages), "regassist-chat.docx",
                               DOCX_MIME, key="export_docx")  # fmt: skip


def _converse(assistant: Any, messages: list[dict[str, Any]], kinds: list[str],
              books: list[str], use_as_of: bool, as_of: Any, use_llm: bool,
              head: Heading) -> None:  # fmt: skip
    """The conversation so far, then the question asked on this run and its answer."""
    for i, m in enumerate(messages):
        with st.chat_message(m["role"]):
            if m["role"] == "user":
                st.markdown(m["content"])
            else:
                _show_answer(i, m)
    question = st.chat_input(head.placeholder)
    linked = st.query_params.get("q")  # "ask it in the chat" links from the Evals page
    if linked and not question and st.session_state.get("asked_link") != linked:
        st.session_state["asked_link"] = linked
        question = linked
    if not messages and not question and head.examples:
        st.markdown("**New here? Try one of these:**")
        for n, example in enumerate(head.examples):
            if st.button(example, key=f"example-{n}"):
                question = example
    if not question:
        return
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    parts = split_questions(question)  # several questions in one message: each answered
    if crowded := too_many_questions(question):
        st.info(crowded, icon=":material/info:")
    for k, part in enumerate(parts, start=1):
        with st.chat_message("assistant"):
            if (about := about_previous(part)) and (prev := _previous_answer(messages)):
                # "which rule says that?", "is that AIFC or national law?": read from the last
                # answer's citations, nothing searched (``assistant.answer.previous``)
                message = {"role": "assistant", "question": part, "standalone": part,
                           "answer": answer_about(about, prev, part), "scope": "",
                           "about_previous": True,
                           "part": f"{k} of {len(parts)}" if len(parts) > 1 else None}  # fmt: skip
                messages.append(message)
                _show_answer(len(messages) - 1, message, stream=True)
                continue
            filters = Filters(tuple(kinds), tuple(books))
            try:
                # (the follow-up's rewrite under the spinner too: an LLM that hangs left an empty
                # bubble with no sign of work, a platform engineer's trial, 2026-12-05)
                with st.spinner("Searching the rules…"):
                    rw = standalone_question(part, messages, assistant, use_llm)
                    if k > 1 and not rw.rewritten and (before := _last_standalone(messages)):
                        # a later part of this message asking a figure by its name alone is
                        # the same thing's ("..., and what is the annual fee?": a founder's
                        # browser trial, thirty-first session)
                        rw = of_the_same(part, before)
                    answer = assistant.ask(rw.standalone, as_of=as_of.isoformat() if use_as_of and as_of else None,
                                           use_llm=use_llm, filters=filters, typed=part,
                                           rewritten_by=rw.how or None)  # fmt: skip
            except RegassistError as exc:
                show_error(exc)
                if k == 1:
                    messages.pop()
                return
            message = {
                "role": "assistant",
                "question": part,
                "standalone": rw.standalone,
                "base": _base(rw, messages),
                "answer": answer.to_dict(full_text=True),
                "scope": scope(books, kinds, settings().retrieval.default_kinds),
                "part": f"{k} of {len(parts)}" if len(parts) > 1 else None,
            }
            messages.append(message)
            _show_answer(len(messages) - 1, message, stream=True)


render()
