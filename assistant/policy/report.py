"""Policy-check outputs: text, JSON, CSV, and self-contained printable Markdown and HTML."""

from __future__ import annotations

import html
import json
import re

from assistant.answer.table import md_text
from assistant.policy.checker import STATUSES, PolicyReport
from assistant.spreadsheet import csv_text

COLOURS = {
    "covered": "#e8f5e9",
    "partial": "#fff8e1",
    "conflicting": "#ffebee",
    "missing": "#eceff1",
}
CSV_FIELDS = (
    "status",
    "ref",
    "rulebook",
    "version",
    "obligation",
    "clause",
    "clause_page",
    "clause_quote",
    "reason",
    "is_guidance",
)
# what to act on first: a clause to mend, then a clause to write; a partial finding was listed
# after hundreds of missing ones (a consultant's trial, thirty-seventh session)
STATUS_ORDER = {s: i for i, s in enumerate(("conflicting", "partial", "missing", "covered"))}


def against(report: PolicyReport) -> str:
    """Which rulebook versions the draft was checked against: "AML 2025-07-01, DAA 2024-01-01"
    (and the day they were in force on, when one was asked for)."""
    books = ", ".join(f"{b} {' / '.join(v)}" for b, v in report.versions.items()) or "none"
    out = f"checked against: {books}" + (f" (in force on {report.as_of})" if report.as_of else "")
    if report.not_checked:
        out += (f"; not checked: {', '.join(report.not_checked)}, indexed as another regime's "
                "text (the check reads AIFC rules only)")  # fmt: skip
    if report.not_applying:
        out += (f"; not checked: {', '.join(report.not_applying)}, none of whose obligations "
                f"binds {' or '.join(report.firm_types) or 'the firm types chosen'} (with no "
                "firm type given, every obligation of the rulebooks chosen is checked)")  # fmt: skip
    if report.no_duties:
        out += (f"; not checked: {', '.join(report.no_duties)}, no obligation found in "
                f"{'its' if len(report.no_duties) == 1 else 'their'} indexed text")  # fmt: skip
    for line in report.chapters_left_out:
        out += f"; not checked: {line}"
    return out


def _where(r: dict) -> str:
    """A finding's draft clause and its page: "clause 4.1 (p. 2)"."""
    page = f" (p. {r['clause_page']})" if r.get("clause_page") else ""
    return f"{r['clause_label'] or ''}{page}"


def rule_name(r: dict) -> str:
    """A finding's rule as the reports name it, guidance marked: "AML 13.3.2 (Guidance)" (the
    text report showed a guidance note as the rule, a consultant's trial, twenty-fifth session)."""
    return f"{r['ref']} (Guidance)" if r.get("is_guidance") else r["ref"]


def ref_order(ref: str) -> tuple[tuple[int, int | str], ...]:
    """A rule number's sort key in its numbering's order: "COB 2.1" before "COB 10.1" and "COB
    14.11.9" (sorted as text, chapter 10 came before 2, a consultant's trial, twenty-ninth
    session); letters and other parts compare as text after the numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|[^\W\d]+", ref))


def _rows(report: PolicyReport) -> list[dict]:
    rows = [f.to_dict() for f in report.findings]
    return sorted(rows, key=lambda r: (STATUS_ORDER[r["status"]], ref_order(r["ref"] or "")))


def to_json(report: PolicyReport) -> str:
    # in the other reports' order, conflicting first (it was in rule order, a consultant's
    # trial, thirty-eighth session)
    return json.dumps(report.to_dict() | {"findings": _rows(report)}, indent=2, ensure_ascii=False)


def to_csv(report: PolicyReport) -> str:
    # a table row has no number of its own: its label ("7. Record keeping: CDD records") says
    # where it is (the column was empty, an MLRO's trial); a draft's clause that a spreadsheet
    # would run as a formula is written as text (``assistant.spreadsheet``)
    rows = [r | {"clause": r["clause"] or r["clause_label"]} for r in _rows(report)]
    return csv_text(rows, CSV_FIELDS)


def to_text(report: PolicyReport) -> str:
    s = report.summary()
    lines = [f"Policy check: {report.title} ({report.draft})",
             f"firm types: {', '.join(report.firm_types) or 'any'} · rulebooks: {', '.join(report.rulebooks) or 'all'}",
             against(report),
             *(f"warning: {w}" for w in report.warnings()),
             "summary: " + ", ".join(f"{n} {k}" for k, n in s["by_status"].items())]  # fmt: skip
    for book, counts in s["by_rulebook"].items():
        lines.append(f"  {book}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    lines.append("")
    for r in _rows(report):
        lines.append(f"[{r['status'].upper()}] {rule_name(r)}: {r['obligation']}")
        if r["clause_quote"]:
            lines.append(f"    draft {_where(r)}: {r['clause_quote']}")
        lines.append(f"    reason: {r['reason']}")
    lines.append("")
    lines.append(f"Draft clauses no finding cites ({len(report.unmatched)}; {UNCITED}):")
    lines += [f"  - {c.label}: {c.text[:160]}" for c in report.unmatched]
    return "\n".join(lines)


# What the list of uncited clauses holds (a consultant's trial and a review, twenty-sixth
# session: clauses cited by no finding were in no list; listed as "matching no obligation", some
# did match one that another clause answered better)
UNCITED = "no obligation matched them, or another clause answered the obligation they came close to"


def to_markdown(report: PolicyReport) -> str:
    s = report.summary()
    out = [f"# Policy check: {md_text(report.title)}", "",
           f"Draft `{report.draft}` · firm types: {', '.join(report.firm_types) or 'any'} · rulebooks: {', '.join(report.rulebooks) or 'all'}", "",
           f"{against(report)[0].upper()}{against(report)[1:]}.", "",
           *(f"> **Warning:** {md_text(w)}\n" for w in report.warnings()),
           "| status | count |", "|---|---|"] + [f"| {k} | {n} |" for k, n in s["by_status"].items()]  # fmt: skip
    out += [
        "",
        "## Findings",
        "",
        "| status | rule | obligation | draft clause | reason |",
        "|---|---|---|---|---|",
    ]
    for r in _rows(report):
        clause = f"{_where(r)}: {r['clause_quote']}" if r["clause_quote"] else "—"
        cells = [r["status"], rule_name(r), r["obligation"], clause, r["reason"]]
        out.append("| " + " | ".join(md_text(c).replace("\n", " ") for c in cells) + " |")
    out += [
        "",
        "## Draft clauses no finding cites",
        "",
        f"_{UNCITED[:1].upper()}{UNCITED[1:]}._",
        "",
    ]
    out += [f"- **{md_text(c.label)}**: {md_text(c.text)}" for c in report.unmatched] or ["(none)"]
    out += [
        "",
        "_Generated by regassist from the indexed rules. Deterministic judgement; check both quotes._",
    ]
    return "\n".join(out) + "\n"


def to_html(report: PolicyReport) -> str:
    e = html.escape
    s = report.summary()
    counts = "".join(
        f"<td style='background:{COLOURS[k]}'><b>{n}</b> {k}</td>"
        for k, n in s["by_status"].items()
    )
    rows = "".join(
        f"<tr style='background:{COLOURS[r['status']]}'><td><b>{e(r['status'])}</b></td><td>{e(rule_name(r))}</td>"
        f"<td><blockquote>{e(r['obligation'])}</blockquote></td>"
        f"<td>{'<b>' + e(_where(r)) + '</b><blockquote>' + e(r['clause_quote']) + '</blockquote>' if r['clause_quote'] else '—'}</td>"
        f"<td>{e(r['reason'])}</td></tr>"
        for r in _rows(report)
    )  # fmt: skip
    unmatched = (
        "".join(f"<li><b>{e(c.label)}</b>: {e(c.text)}</li>" for c in report.unmatched)
        or "<li>(none)</li>"
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Policy check: {e(report.title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:6px;vertical-align:top;text-align:left}}blockquote{{margin:0;font-style:italic}}
@media print{{body{{margin:0}}tr{{page-break-inside:avoid}}}}</style></head><body>
<h1>Policy check: {e(report.title)}</h1>
<p>Draft <code>{e(report.draft)}</code> · firm types: {e(", ".join(report.firm_types) or "any")} · rulebooks: {e(", ".join(report.rulebooks) or "all")}<br>{e(against(report))}</p>
{"".join(f'<p role="alert"><b>Warning:</b> {e(w)}</p>' for w in report.warnings())}
<table><tr>{counts}</tr></table>
<h2>Findings</h2><table><tr><th>status</th><th>rule</th><th>obligation (rule text)</th><th>draft clause</th><th>reason</th></tr>{rows}</table>
<h2>Draft clauses no finding cites</h2><ul>{unmatched}</ul>
<p><small>Generated by regassist from the indexed rules. The judgement is deterministic; read both quotes before relying on it.</small></p>
</body></html>"""


RENDERERS = {"text": to_text, "json": to_json, "csv": to_csv, "md": to_markdown, "html": to_html}
assert set(STATUSES) == set(COLOURS)
