"""The change report as text, JSON, Markdown and self-contained HTML."""

from __future__ import annotations

import html
import json

from assistant.changes.diff import Change, FigureChange, plain
from assistant.changes.service import ChangeReport, Impact


def _diff_text(c: Change) -> str:
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(marks[op].format(words) for op, words in c.diff)


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


def _head(r: ChangeReport) -> str:
    counts = ", ".join(f"{n} {k}" for k, n in r.counts.items())
    both = sum(c.also_amended for c in r.changes)
    if both:
        counts += f" ({both} of them also amended)"
    editorial = sum(c.editorial for c in r.changes)
    if editorial:
        counts += f"; {editorial} of the amendments editorial (punctuation or case only)"
    return (f"{r.rulebook}: {r.old.version or 'undated'} ({r.old.title}) -> {r.new.version or 'undated'} "
            f"({r.new.title}): {counts}")  # fmt: skip


def to_text(r: ChangeReport) -> str:
    lines = [_head(r), ""]
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
        f"# Changes in {r.rulebook}",
        "",
        _head(r),
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
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Changes in {e(r.rulebook)}</title>
<style>body{{font-family:sans-serif;margin:2em}} table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}} del{{background:#fdd}} ins{{background:#dfd;text-decoration:none}}
tr.added td:first-child{{color:#060}} tr.repealed td:first-child{{color:#a00}} tr.renumbered td:first-child{{color:#06a}}</style>
</head><body><h1>Changes in {e(r.rulebook)}</h1><p>{e(_head(r))}</p>
<table><tr><th>kind</th><th>rule</th><th>figures</th><th>obligation</th><th>change</th></tr>{"".join(rows)}</table>{impact}</body></html>
"""


RENDERERS = {"text": to_text, "json": to_json, "md": to_markdown, "html": to_html}
