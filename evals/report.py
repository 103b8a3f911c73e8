"""Eval outputs: a text table, JSON results, JUnit XML (one test case per question) and a
self-contained HTML report (inline CSS and SVG charts, no external assets, printable)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from xml.etree import ElementTree as ET

from evals.gate import Threshold
from evals.runner import EvalRun

CATEGORY_COLUMNS = (
    "questions",
    "passed",
    "hit@5",
    "mrr",
    "abstention_recall",
    "semantic_similarity",
)


def text_table(run: EvalRun, thresholds: list[Threshold], failures: list[str]) -> str:
    by_metric = {t.metric: t for t in thresholds}
    lines = [
        f"dataset {run.dataset} {run.dataset_version} · mode {run.config['mode']} · index {run.config['index_id']}",
        "",
    ]
    lines.append(f"{'category':<24}" + "".join(f"{c:>20}" for c in CATEGORY_COLUMNS))
    for cat, agg in run.by_category.items():
        lines.append(f"{cat:<24}" + "".join(f"{_fmt(agg.get(c)):>20}" for c in CATEGORY_COLUMNS))
    lines += ["", f"{'metric':<24}{'value':>10}  threshold"]
    for k, v in run.overall.items():
        t = by_metric.get(k)
        status = "" if t is None else (f"{t.op} {t.value:g}  " + ("ok" if t.check(v) else "FAIL"))
        lines.append(f"{k:<24}{_fmt(v):>10}  {status}")
    lines.append("")
    lines += [f"FAILED threshold: {f}" for f in failures] or ["all thresholds met"]
    return "\n".join(lines)


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.0f}" if float(v).is_integer() and v >= 1 else f"{v:.3f}"


def write_json(run: EvalRun, failures: list[str], path: Path) -> None:
    data = run.to_dict() | {"gate": {"passed": not failures, "failures": failures}}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))


def junit_xml(run: EvalRun, failures: list[str]) -> str:
    suites = ET.Element("testsuites", name=f"regassist-eval-{run.dataset}")
    suite = ET.SubElement(suites, "testsuite", name=run.dataset, tests=str(len(run.results) + 1),
                          failures=str(sum(not r.passed for r in run.results) + bool(failures)))  # fmt: skip
    for r in run.results:
        case = ET.SubElement(suite, "testcase", classname=f"{run.dataset}.{r.category}", name=r.id,
                             time=f"{r.latency_ms / 1000:.4f}")  # fmt: skip
        if r.failures:
            fail = ET.SubElement(case, "failure", message="; ".join(r.failures))
            fail.text = f"question: {r.question}\nanswer: {r.answer}\nretrieved: {r.retrieved_refs}"
    for d in (run.policy or {}).get("drafts", []):
        case = ET.SubElement(suite, "testcase", classname="policy_checks", name=d["id"])
        if d["not_found"] or d["unexpected"]:
            ET.SubElement(
                case,
                "failure",
                message=f"not found: {d['not_found']}; unexpected: {d['unexpected']}",
            )
    gate = ET.SubElement(suite, "testcase", classname=f"{run.dataset}.gate", name="thresholds")
    if failures:
        ET.SubElement(gate, "failure", message="; ".join(failures))
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def _bars(title: str, values: dict[str, float]) -> str:
    """A horizontal bar chart (values in 0..1) as inline SVG."""
    row, width, label_w = 22, 520, 170
    height = row * len(values) + 30
    parts = [f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><text x="0" y="14" class="t">{html.escape(title)}</text>']  # fmt: skip
    for i, (name, v) in enumerate(values.items()):
        y = 24 + i * row
        w = max(0.0, min(1.0, v)) * (width - label_w - 50)
        colour = "#2e7d32" if v >= 0.9 else ("#f9a825" if v >= 0.7 else "#c62828")
        parts.append(f'<text x="0" y="{y + 14}">{html.escape(name)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{v:.2f}</text>')  # fmt: skip
    return "".join(parts) + "</svg>"


def html_report(run: EvalRun, thresholds: list[Threshold], failures: list[str]) -> str:
    by_metric = {t.metric: t for t in thresholds}
    e = html.escape
    rows = []
    for k, v in run.overall.items():
        t = by_metric.get(k)
        ok = "" if t is None else ("ok" if t.check(v) else "FAIL")
        rows.append(f"<tr class='{ok.lower()}'><td>{e(k)}</td><td>{_fmt(v)}</td>"
                    f"<td>{e(f'{t.op} {t.value:g}') if t else ''}</td><td>{ok}</td></tr>")  # fmt: skip
    cats = run.by_category
    charts = _bars("hit@5 by category", {c: a.get("hit@5", 0.0) for c, a in cats.items()})
    charts += _bars("share of questions passed, by category",
                    {c: a["passed"] / a["questions"] for c, a in cats.items() if a["questions"]})  # fmt: skip
    worst = sorted(
        run.results, key=lambda r: (r.passed, r.first_hit_rank or 99 if r.expected_refs else 0)
    )
    worst_rows = "".join(
        f"<tr><td>{e(r.id)}</td><td>{e(r.category)}</td><td>{e(r.question)}</td>"
        f"<td>{e(', '.join(r.expected_refs) or '-')}</td><td>{e(', '.join(x or '(unnumbered)' for x in r.retrieved_refs[:5]))}</td>"
        f"<td>{e('; '.join(r.failures) or 'ok')}</td></tr>"
        for r in worst[:15]
    )  # fmt: skip
    policy = ""
    if run.policy:
        prow = "".join(f"<tr><td>{e(d['id'])}</td><td>{e(d['title'])}</td><td>{len(d['found'])}</td>"
                       f"<td>{e(', '.join(d['not_found']) or '-')}</td><td>{e(', '.join(d['unexpected']) or '-')}</td></tr>"
                       for d in run.policy["drafts"])  # fmt: skip
        policy = ("<h2>Policy checks</h2><table><tr><th>draft</th><th>title</th><th>expected findings found</th>"
                  f"<th>not found</th><th>unexpected</th></tr>{prow}</table>")  # fmt: skip
    verdict = (
        ("<p class='fail'>Gate FAILED: " + e("; ".join(failures)) + "</p>")
        if failures
        else "<p class='ok'>All thresholds met.</p>"
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>regassist eval: {e(run.dataset)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}}
table{{border-collapse:collapse;margin:1rem 0;width:100%}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}
tr.fail td,p.fail{{color:#b71c1c;font-weight:600}}p.ok{{color:#1b5e20;font-weight:600}}
svg text{{font-size:12px}}svg text.t{{font-weight:600}}svg{{margin:1rem 2rem 1rem 0}}
@media print{{body{{margin:0}}}}
</style></head><body>
<h1>regassist eval report</h1>
<p>Dataset <b>{e(run.dataset)}</b> version {e(run.dataset_version)} · {len(run.results)} questions ·
mode {e(str(run.config["mode"]))} · index {e(str(run.config["index_id"]))} · model {e(str(run.config["embedding_model"]))}</p>
{verdict}
<h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>threshold</th><th></th></tr>{"".join(rows)}</table>
<h2>By category</h2>{charts}
{policy}
<h2>Worst questions</h2>
<table><tr><th>id</th><th>category</th><th>question</th><th>expected</th><th>retrieved (top 5)</th><th>result</th></tr>{worst_rows}</table>
</body></html>"""


def write_reports(
    run: EvalRun, thresholds: list[Threshold], failures: list[str], directory: Path
) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": directory / "results.json",
        "junit": directory / "junit.xml",
        "html": directory / "report.html",
    }
    write_json(run, failures, paths["json"])
    paths["junit"].write_text(junit_xml(run, failures))
    paths["html"].write_text(html_report(run, thresholds, failures))
    return paths
