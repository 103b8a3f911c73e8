"""The change report as text, JSON, Markdown and self-contained HTML."""

from __future__ import annotations

import html
import json
import re

from assistant.changes.diff import Change, FigureChange, plain
from assistant.changes.service import ChangeReport, Impact

DIFF_CONTEXT = 12  # unchanged words kept on each side of a change in the text and Markdown reports
# a numbered paragraph's label ("8.1.1.(1)", "(2)"): kept where the words around it are left out
_ITEM_LABEL = re.compile(r"^\((?:[a-z]{1,2}|[ivx]{1,5})\)$")
_PARA_LABEL = re.compile(r"^(?:\d{1,3}[A-Z]?(?:\.\d{1,3}[A-Z]?)+\.?)?\(\d{1,2}\)$")


def _opens_item(words: list[str], j: int) -> bool:
    """Whether the label ``words[j]`` opens a list item (after a colon, semicolon or stop, or
    "; and"), not a cross-reference ("in relation to (a), (b) or (c) above", a review)."""
    if j == 0:
        return True
    prev = words[j - 1]
    if prev.endswith((":", ";", ".")):
        return True
    return prev in ("and", "or") and j > 1 and words[j - 2].endswith(";")


def _diff_text(c: Change, context: int = DIFF_CONTEXT) -> str:
    """The word diff, the unchanged words more than ``context`` words from a change left out
    ("…"), the label of the numbered paragraph they end in kept: a USD 15,000 -> USD 10,000
    amendment printed the whole 2,900 characters of AML 8.1.1 (a trial, twenty-ninth session).
    The JSON and HTML reports keep every word."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    if all(op == "equal" for op, _ in c.diff):
        return " ".join(words for _, words in c.diff)
    out: list[str] = []
    for i, (op, words) in enumerate(c.diff):
        if op != "equal":
            out.append(marks[op].format(words))
            continue
        ws = words.split()
        head = 0 if i == 0 else context
        tail = 0 if i == len(c.diff) - 1 else context
        if len(ws) <= head + tail + 3:
            out.append(words)
            continue
        mid = ws[head : len(ws) - tail]
        # (the labels of the paragraph and list item a change that follows stands in)
        shown = ws[len(ws) - tail :]  # (a label among the words kept before the change is enough)
        para = max((j for j, w in enumerate(mid) if _PARA_LABEL.match(w)), default=None)
        item = max((j for j, w in enumerate(mid) if _ITEM_LABEL.match(w)
                    and _opens_item(ws, head + j)), default=None)  # fmt: skip
        if any(_PARA_LABEL.match(w) for w in shown):
            para = item = None
        elif any(_ITEM_LABEL.match(w) for w in shown):
            item = None
        at = [] if i == len(c.diff) - 1 else sorted(
            j for j in (para, item if item is not None and (para is None or item > para) else None)
            if j is not None
        )  # fmt: skip
        kept, last = ws[:head], -1
        for j in at:  # (a label right after the words kept goes on from them)
            kept += (["…"] if j > last + 1 else []) + [mid[j]]
            last = j
        kept += ["…"] if last < len(mid) - 1 else []
        out.append(" ".join(kept + ws[len(ws) - tail :]))
    return " ".join(out)


def _moves(moves: list[FigureChange], arrow: str) -> str:
    return "; ".join(f"{f.old or '(none)'} {arrow} {f.new or '(none)'}" for f in moves)


def figures_text(c: Change, arrow: str = "->") -> str:
    """The figures that changed ("USD 1,000 -> USD 3,000"), or ""."""
    return _moves(c.figures, arrow)


def force_text(c: Change, arrow: str = "->") -> str:
    """The modals whose force changed ("must (duty) -> may (permission)"), or ""."""
    return _moves(c.force, arrow)


def _tags(c: Change) -> str:
    """The figures and the obligation force that moved, as the text report's bracketed tags."""
    return (f"  [figures: {figures_text(c)}]" if c.figures else "") + (
        f"  [obligation: {force_text(c)}]" if c.force else ""
    )


def _shown(c: Change) -> str:
    """An added or repealed rule's text as read: plain, without its Markdown heading marks. A
    repealed rule shows what was repealed, its old text, not the new version's stub ("[intentionally
    omitted]", which a new user saw in place of the deputy MLRO duty that was removed)."""
    return plain(shown_text(c))


_SHOWN = 300  # characters of an added or repealed rule's text in the text and Markdown reports


def _clipped(c: Change) -> str:
    """``_shown`` up to ``_SHOWN`` characters, cut at a word and marked "…" when cut: "(b)
    where such legislation exist" read as the rule's words (a consultant's trial, twenty-fourth
    session); the JSON and HTML reports keep it whole."""
    text = _shown(c)
    if len(text) <= _SHOWN:
        return text
    return text[: _SHOWN + 1].rsplit(None, 1)[0].rstrip(" ,;:") + " …"


def shown_text(c: Change) -> str:
    """The text a change card shows when it has no word diff: the old text of a repealed rule,
    the new text otherwise."""
    if c.kind == "repealed":
        return c.old_text or c.new_text
    return c.new_text or c.old_text


def impact_summary(r: ChangeReport) -> str:
    """How many findings change status, apart from those kept because the rule's figure moved."""
    changed = sum(i.status_changed for i in r.impact)
    same = len(r.impact) - changed
    return f"{changed} finding(s) change status" + (
        f"; {same} with an unchanged status but a changed rule figure" if same else ""
    )


def status_after(i: Impact) -> str:
    """A finding's status in the new version; "still ..." with the moved figure when it stayed."""
    if i.status_changed:
        return i.after or "gone"
    return f"still {i.after}" + (f" (rule figure {i.figures})" if i.figures else "")


def file_stem(r: ChangeReport) -> str:
    """A report's download name without its extension: regime, rulebook and the two versions
    ("ADGM-AML-2021-12-23-to-2023-06-01-changes"); "AML-changes" for every pair and regime let
    one download overwrite another (an app user's trial, twenty-ninth session)."""
    name = r.name.replace(" ", "-")
    return f"{name}-{r.old.version or 'undated'}-to-{r.new.version or 'undated'}-changes"


def head_line(r: ChangeReport) -> str:
    """The report's first line: the rulebook (its regime where not the AIFC's), the two versions
    and the counts."""
    counts = ", ".join(f"{n} {k}" for k, n in r.counts.items())
    both = sum(c.also_amended for c in r.changes)
    if both:
        counts += f" ({both} of them also amended)"
    editorial = sum(c.editorial for c in r.changes)
    if editorial:
        counts += f"; {editorial} of the amendments editorial (punctuation or case only)"
    return (f"{r.name}: {r.old.version or 'undated'} ({r.old.title}) -> {r.new.version or 'undated'} "
            f"({r.new.title}): {counts}")  # fmt: skip


def to_text(r: ChangeReport) -> str:
    lines = [head_line(r), ""]
    for c in r.changes:
        lines.append(f"{c.shown_kind.upper():<11} {c.label}" + _tags(c))
        if c.diff:
            lines.append(f"            {_diff_text(c)}")
        elif c.kind in ("added", "repealed"):
            lines.append(f"            {_clipped(c)}")
    if r.policy is not None:
        lines += ["", f"Impact on {r.policy}: {impact_summary(r)}"]
        for i in r.impact:
            status = (
                f"{i.before or 'new'} -> {status_after(i)}" if i.status_changed else status_after(i)
            )
            lines.append(f"  {i.ref} ({i.kind}): {status}: {i.reason}"
                         + (f" [{i.clause}]" if i.clause else ""))  # fmt: skip
    return "\n".join(lines) + "\n"


def to_json(r: ChangeReport) -> str:
    return json.dumps(r.to_dict(), indent=2, ensure_ascii=False)


def to_markdown(r: ChangeReport) -> str:
    out = [
        f"# Changes in {r.name}",
        "",
        head_line(r),
        "",
        "| kind | rule | figures | obligation | change |",
        "|---|---|---|---|---|",
    ]
    for c in r.changes:
        body = _diff_text(c) if c.diff else _clipped(c)
        out.append(f"| {c.shown_kind} | {c.label} | {figures_text(c)} | {force_text(c)} | "
                   f"{body.replace('|', '/')} |")  # fmt: skip
    if r.policy is not None:
        out += [
            "",
            f"## Impact on {r.policy}",
            "",
            impact_summary(r) + ".",
            "",
            "| rule | change | before | after | reason | clause |",
            "|---|---|---|---|---|---|",
        ]
        for i in r.impact:
            out.append(f"| {i.ref} | {i.kind} | {i.before or 'new'} | {status_after(i)} | "
                       f"{i.reason.replace('|', '/')} | {i.clause or ''} |")  # fmt: skip
    return "\n".join(out) + "\n"


def to_html(r: ChangeReport) -> str:
    e = html.escape
    rows = []
    for c in r.changes:
        if c.diff:
            body = " ".join(
                e(w)
                if op == "equal"
                else f"<{'del' if op == 'delete' else 'ins'}>{e(w)}</{'del' if op == 'delete' else 'ins'}>"
                for op, w in c.diff
            )
        else:
            body = e(_shown(c))
        rows.append(
            f"<tr class='{c.kind}'><td>{c.shown_kind}</td><td>{e(c.label)}</td><td>{e(figures_text(c))}</td>"
            f"<td>{e(force_text(c))}</td><td>{body}</td></tr>"
        )
    impact = ""
    if r.policy is not None:
        irows = "".join(f"<tr><td>{e(i.ref)}</td><td>{e(i.kind)}</td><td>{e(i.before or 'new')}</td><td>{e(status_after(i))}</td>"
                        f"<td>{e(i.reason)}</td><td>{e(i.clause or '')}</td></tr>" for i in r.impact)  # fmt: skip
        impact = (f"<h2>Impact on {e(r.policy)}</h2><p>{e(impact_summary(r))}.</p><table><tr><th>rule</th><th>change</th><th>before</th><th>after</th>"
                  f"<th>reason</th><th>clause</th></tr>{irows}</table>")  # fmt: skip
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Changes in {e(r.name)}</title>
<style>body{{font-family:sans-serif;margin:2em}} table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}} del{{background:#fdd}} ins{{background:#dfd;text-decoration:none}}
tr.added td:first-child{{color:#060}} tr.repealed td:first-child{{color:#a00}} tr.renumbered td:first-child{{color:#06a}}</style>
</head><body><h1>Changes in {e(r.name)}</h1><p>{e(head_line(r))}</p>
<table><tr><th>kind</th><th>rule</th><th>figures</th><th>obligation</th><th>change</th></tr>{"".join(rows)}</table>{impact}</body></html>
"""


RENDERERS = {"text": to_text, "json": to_json, "md": to_markdown, "html": to_html}
