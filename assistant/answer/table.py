"""One answer as one table row: the questionnaire page's table and `regassist ask --format csv`
write the same columns, so a consultant's spreadsheet reads alike from either."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.answer.prompts import source_mark

# the columns this table fills; a questionnaire's own column of one of these names is not kept
OWN_COLUMNS = frozenset({"id", "question", "questions", "answer", "answers", "citations",
                         "quotes", "abstained", "caveats", "notes"})  # fmt: skip


def plain(text: str) -> str:
    """Verbatim text without Markdown heading markers, for display."""
    return re.sub(r"(?m)^#{1,6}\s+", "", text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~])")


def md_text(text: str) -> str:
    """Verbatim text shown as text wherever Markdown is rendered (the app's cards, the policy
    check's Markdown report): its Markdown marks escaped, so that a quoted memo's "[the AFSA fee
    portal](https://evil.example/pay)" is no live link, "<script>" no tag, "$5 and $10" no
    formula and "*" no emphasis (a security review, twenty-third session)."""
    return re.sub(r"(?m)^(\s*)([-+])(\s)", r"\1\\\2\3", _MD_SPECIAL.sub(r"\\\1", text))


def shown_notes(notes: list[str] | None) -> list[str]:
    """An answer's notes as the chat shows them (not the refusal's internal reason)."""
    return [n for n in notes or [] if not n.startswith("abstained")]


def answer_row(row_id: str, question: str, a: dict[str, Any],
               extra: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:  # fmt: skip
    """One row: the answer's plain first line (or the refusal), the citations, and the cited
    quotes verbatim; the questionnaire's own other columns (``extra``: "Owner", "Section")
    follow the question, except those this table fills. ``a`` is ``Answer.to_dict()``."""
    out: dict[str, Any] = {"id": row_id, "question": question}
    for name, value in extra:
        if name.lower() in OWN_COLUMNS:
            # a column of the file's own under a name this table fills ("Notes" with the
            # reviewer's text) is kept beside it, not dropped (a review, twentieth session)
            if str(value).strip():
                out[f"{name} (in the file)"] = value
        elif name not in out:
            out[name] = value
    out |= {"answer": a["answer"].split("\n")[0],
            # marked as the chat marks them: national law, a passage of no rulebook
            "citations": "; ".join(f"[{c['n']}] {cited_name(c)}" for c in a["citations"]),
            "quotes": "\n".join(f"[{c['n']}] {plain(c['quote'])}" for c in a["citations"]),
            "abstained": a["abstained"],
            "caveats": " | ".join(shown_notes(a.get("notes"))), "notes": ""}  # fmt: skip
    return out


def _mark(c: dict[str, Any]) -> str:
    return source_mark(c.get("jurisdiction"), bool(c.get("outside_rules")))


def cited_name(c: dict[str, Any]) -> str:
    """A citation as a table names it: marked as the chat marks it, and "(Guidance)" after a
    guidance paragraph's rule, as the text answer writes it (a questionnaire's citations column
    showed "AML 9.2.2" for the Guidance under it, non-binding, twenty-ninth session)."""
    return f"{_mark(c)}{shown_ref(c) or c['title']}"


def passage_name(c: dict[str, Any], unnumbered: str = "Unnumbered passage") -> str:
    """How a citation names its passage on a card or in an export: the paragraph quoted where
    known ("CMC 2.2(6)"), else its rule, else its heading or record id."""
    return c.get("pinpoint") or c.get("ref") or c.get("heading") or unnumbered


def shown_ref(c: dict[str, Any]) -> str | None:
    """A citation's rule number, "(Guidance)" after it for a guidance paragraph, else its
    heading."""
    if c["ref"]:
        ref = c.get("pinpoint") or c["ref"]  # the paragraph quoted, where one is ("CMC 2.2(6)")
        return f"{ref} (Guidance)" if c.get("is_guidance") else ref
    return c.get("heading")


_OURS = ("answer", "caveats", "abstained", "citations", "quotes", "notes")


def column_order(keys: list[str]) -> list[str]:
    """The questionnaire table's columns on screen: id and question, the file's own columns (as
    the exports have them), then the answer with its caveats beside it (they were off screen
    past the quotes, a screen-reader user's trial, thirty-ninth session), the not-specified box,
    citations, quotes and the user's notes."""
    own = [k for k in keys if k not in ("id", "question", *_OURS)]
    return [k for k in ("id", "question") if k in keys] + own + [k for k in _OURS if k in keys]
