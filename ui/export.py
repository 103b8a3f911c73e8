"""Chat exports: Markdown and DOCX, each answer with its citations and verbatim quotes."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from assistant.answer.table import passage_name, shown_notes
from ui.common import flags, plain, where

# an answer limited to the documents in force on a date says so in the export too (it was shown
# in the chat only, and a date-limited answer read as current law, a COO's trial, 2026-12-05)
AS_OF = "Only documents in force on {date} were searched."


def _turns(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("role") == "assistant" and m.get("answer")]


def chat_markdown(messages: list[dict[str, Any]]) -> str:
    """The conversation as Markdown: question, standalone rewrite, answer, numbered sources."""
    out = ["# regassist chat", "",
           f"Exported {datetime.now(UTC).isoformat(timespec='seconds')}. Quotes are verbatim "
           "from the indexed text.", ""]  # fmt: skip
    for i, m in enumerate(_turns(messages), start=1):
        a = m["answer"]
        out += [f"## {i}. {m['question']}", ""]
        if m.get("standalone") and m["standalone"] != m["question"]:
            out += [f"_Follow-up read as: {m['standalone']}_", ""]
        if m.get("part"):
            out += [f"_Question {m['part']} in the message as typed_", ""]
        if m.get("scope"):
            out += [f"_Searched only {m['scope']}._", ""]
        if a.get("as_of"):
            out += [f"_{AS_OF.format(date=a['as_of'])}_", ""]
        # the notes the chat shows (a source that is no rule, national law, a version): an
        # export without them read a memo's quote as a rule's (a browser trial)
        notes = shown_notes(a.get("notes"))
        out += [*(f"_{n}_" for n in notes), *([""] if notes else [])]
        out += [a["answer"], ""]
        if a["citations"]:
            out += ["**Sources**", ""]
        for c in a["citations"]:
            # (guidance and repealed text marked as the chat's cards mark them: an export read
            # them as rules in force, an MLRO's trial, twentieth session)
            label = "".join(f" · _{f}_" for f in flags(c))
            out.append(f"{c['n']}. **{passage_name(c)}**{label}, {where(c)}")
            out.append("")
            out += ["   > " + line for line in plain(c["quote"]).splitlines()]
            out.append("")
        out += [f"_{a['mode']} · index {a['index_id']}_", ""]
    return "\n".join(out).rstrip() + "\n"


def chat_docx(messages: list[dict[str, Any]]) -> bytes:
    """The conversation as a Word document, the same content as the Markdown export."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.add_heading("regassist chat", level=0)
    doc.add_paragraph(f"Exported {datetime.now(UTC).isoformat(timespec='seconds')}. "
                      "Quotes are verbatim from the indexed text.")  # fmt: skip
    for i, m in enumerate(_turns(messages), start=1):
        a = m["answer"]
        doc.add_heading(f"{i}. {m['question']}", level=1)
        if m.get("standalone") and m["standalone"] != m["question"]:
            p = doc.add_paragraph()
            p.add_run(f"Follow-up read as: {m['standalone']}").italic = True
        if m.get("part"):
            doc.add_paragraph().add_run(
                f"Question {m['part']} in the message as typed"
            ).italic = True
        if m.get("scope"):
            doc.add_paragraph().add_run(f"Searched only {m['scope']}.").italic = True
        if a.get("as_of"):
            doc.add_paragraph().add_run(AS_OF.format(date=a["as_of"])).italic = True
        for n in shown_notes(a.get("notes")):
            doc.add_paragraph().add_run(n).italic = True
        for line in a["answer"].splitlines():
            if line.strip():
                doc.add_paragraph(line)
        if a["citations"]:
            doc.add_heading("Sources", level=2)
        for c in a["citations"]:
            p = doc.add_paragraph(style="List Number")
            p.add_run(f"[{c['n']}] {passage_name(c)}").bold = True
            for f in flags(c):
                p.add_run(f" · {f}").italic = True
            p.add_run(f", {where(c)}")
            q = doc.add_paragraph(style="Quote")
            run = q.add_run(plain(c["quote"]))
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
