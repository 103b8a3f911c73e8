"""Eval outputs: a text table, JSON results, JUnit XML (one test case per question) and a
self-contained HTML report (inline CSS and SVG charts, no external assets, printable)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from assistant.errors import UsageError
from evals.gate import CANNOT_FAIL, Threshold, is_count, is_rate, verdict
from evals.real.track import RETRIEVAL, AdgmRun
from evals.runner import EvalRun

CATEGORY_COLUMNS = (
    "questions",
    "passed",
    "hit@5",
    "mrr",
    "abstention_recall",
    "semantic_similarity",
)


def text_table(run: EvalRun | AdgmRun, thresholds: list[Threshold], failures: list[str]) -> str:
    if isinstance(run, AdgmRun):
        return real_text_table(run, thresholds, failures)
    by_metric = {t.metric: t for t in thresholds}
    lines = [
        f"dataset {run.dataset} {run.dataset_version} · mode {run.config['mode']} · index {run.config['index_id']}",
        "",
    ]
    lines.append(f"{'category':<24}" + "".join(f"{c:>20}" for c in CATEGORY_COLUMNS))
    for cat, agg in run.by_category.items():
        lines.append(f"{cat:<24}" + "".join(f"{_fmt(agg.get(c), c):>20}" for c in CATEGORY_COLUMNS))
    lines += ["", f"{'metric':<24}{'value':>10}  threshold"]
    for k, v in run.overall.items():
        t = by_metric.get(k)
        status = "" if t is None else f"{t.op} {t.value:g}  {verdict(t, v)}"
        lines.append(f"{k:<24}{_fmt(v, k):>10}  {status}")
    lines += ["", *run.notes] if run.notes else []
    # which questions failed and why, in the log itself: they were only in the report files (a
    # CI team's trial, twenty-fourth session)
    failed = [r for r in run.results if r.failures]
    if failed:
        lines += [
            "",
            f"failed questions ({len(failed)} of {len(run.results)}; all in results.json):",
        ]
        lines += [f"  {r.id}: {'; '.join(r.failures)}" for r in failed[:_FAILED_SHOWN]]
        if len(failed) > _FAILED_SHOWN:
            lines.append(f"  ... and {len(failed) - _FAILED_SHOWN} more")
    lines.append("")
    lines += [f"FAILED threshold: {f}" for f in failures] or ["all thresholds met"]
    return "\n".join(lines)


_FAILED_SHOWN = 20  # failed questions listed in the text table


def _fmt(v: float | None, metric: str = "") -> str:
    """Counts as whole numbers, shares and scores with three decimals, "n/a" when not measured."""
    if v is None:
        return "n/a"
    if is_count(metric):
        return f"{v:.0f}"
    if is_rate(metric):
        return f"{v:.3f}"
    return f"{v:.0f}" if float(v).is_integer() and v >= 1 else f"{v:.3f}"


def gate_rows(run: EvalRun | AdgmRun, thresholds: list[Threshold],
              failures: list[str]) -> list[dict[str, Any]]:  # fmt: skip
    """Each threshold as data (metric, direction, value, measured, verdict), for a CI that reads
    results.json rather than parsing the failure messages."""
    rows = []
    for t in thresholds:
        got = run.overall.get(t.metric)
        rows.append({"metric": t.metric, "direction": t.direction, "op": t.op, "value": t.value,
                     "measured": got, "verdict": "FAIL" if _failure_of(t, failures) else
                     ("skipped" if got is None else "ok" if t.can_fail else CANNOT_FAIL)})  # fmt: skip
    return rows


def _failure_of(t: Threshold, failures: list[str]) -> str | None:
    """The gate's failure message for threshold ``t`` (``gate.check`` writes "<t> (got ...)")."""
    return next((f for f in failures if f.startswith(f"{t} (")), None)


def write_json(run: EvalRun | AdgmRun, failures: list[str], path: Path,
               thresholds: list[Threshold] | None = None, suite: str | None = None) -> None:  # fmt: skip
    gate: dict[str, Any] = {"passed": not failures, "failures": failures}
    if suite:
        gate["suite"] = suite
    if thresholds is not None:
        gate["thresholds"] = gate_rows(run, thresholds, failures)
    data = run.to_dict() | {"gate": gate}
    _write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False))


def _write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same directory, so a crash leaves no half file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the report from a web server or a CI user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


HARD = ("fabricated citation", "a quote is not verbatim in its chunk")


def _question_case(suite: ET.Element, classname: str, name: str, latency_ms: float,
                   failures: list[str], detail: str) -> int:  # fmt: skip
    """One question's JUnit case: failed only on a broken invariant (``HARD``); its other
    misses are notes in system-out. 1 when it failed, else 0."""
    case = ET.SubElement(suite, "testcase", classname=classname, name=name,
                         time=f"{latency_ms / 1000:.4f}")  # fmt: skip
    hard = [f for f in failures if any(h in f for h in HARD)]
    if hard:
        ET.SubElement(case, "failure", message="; ".join(hard))
    out = ET.SubElement(case, "system-out")
    out.text = f"{detail}\nnotes: {'; '.join(failures) or 'ok'}"
    return int(bool(hard))


def junit_xml(
    run: EvalRun | AdgmRun, failures: list[str], thresholds: list[Threshold] | None = None
) -> str:
    """JUnit that agrees with the exit status. A question's case fails only on a broken
    invariant (a fabricated citation, a quote not verbatim); a missed ref or a wrong abstention
    is in its system-out, since some are expected and the gate judges their rates (as on the
    ADGM track). The gate is one case per threshold (skipped when not measured), so a CI's
    per-test history follows each metric."""
    if isinstance(run, AdgmRun):
        return real_junit_xml(run, failures, thresholds)
    suites = ET.Element("testsuites", name=f"regassist-eval-{run.dataset}")
    suite = ET.SubElement(suites, "testsuite", name=run.dataset)
    bad = 0
    for r in run.results:
        bad += _question_case(suite, f"{run.dataset}.{r.category}", r.id, r.latency_ms, r.failures,
                              f"question: {r.question}\nanswer: {r.answer}\n"
                              f"retrieved: {r.retrieved_refs}")  # fmt: skip
    for d in (run.policy or {}).get("drafts", []):
        case = ET.SubElement(suite, "testcase", classname="policy_checks", name=d["id"])
        out = ET.SubElement(case, "system-out")
        out.text = f"not found: {d['not_found']}; unexpected: {d['unexpected']}"
    cases = len(run.results) + len((run.policy or {}).get("drafts", []))
    n, failed, skipped = _gate_cases(suite, run, failures, thresholds)
    suite.set("tests", str(cases + n))
    suite.set("failures", str(bad + failed))
    suite.set("skipped", str(skipped))
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def _gate_cases(suite: ET.Element, run: EvalRun | AdgmRun, failures: list[str],
                thresholds: list[Threshold] | None) -> tuple[int, int, int]:  # fmt: skip
    """One test case per threshold, named by its metric alone (a CI's history of a metric
    survives a change of its threshold), the measured value and the threshold in its
    system-out; a gate failure that is no threshold's ("no threshold was checked") is a case
    of its own. (cases, failed, skipped)."""
    cases = failed = skipped = 0
    left = list(failures)
    for t in thresholds or []:
        case = ET.SubElement(suite, "testcase", classname=f"{run.dataset}.gate", name=t.metric)
        mine = _failure_of(t, failures)
        got = run.overall.get(t.metric)
        out = ET.SubElement(case, "system-out")
        out.text = f"measured {got if got is not None else 'not measured'}; threshold {t}"
        if mine:
            failed += 1
            ET.SubElement(case, "failure", message=mine)
            left = [f for f in left if f != mine]
        elif got is None:
            skipped += 1
            ET.SubElement(case, "skipped", message="not measured in this run")
        elif not t.can_fail:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"{t} cannot fail: it gates nothing")
        cases += 1
    if left or not thresholds:
        case = ET.SubElement(suite, "testcase", classname=f"{run.dataset}.gate", name="gate")
        if left:
            failed += 1
            ET.SubElement(case, "failure", message="; ".join(left))
        cases += 1
    return cases, failed, skipped


def _bars(title: str, values: Mapping[str, float | None]) -> str:
    """A horizontal bar chart (values in 0..1) as inline SVG; None (not measured: a category of
    unanswerable questions has no hit@5) is written "n/a", without a bar (it was a red 0.00, a
    CI engineer's trial)."""
    row, width, label_w = 22, 520, 170
    height = row * len(values) + 30
    parts = [f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><text x="0" y="14" class="t">{html.escape(title)}</text>']  # fmt: skip
    for i, (name, v) in enumerate(values.items()):
        y = 24 + i * row
        if v is None:
            parts.append(f'<text x="0" y="{y + 14}">{html.escape(name)}</text>'
                         f'<text x="{label_w + 6}" y="{y + 14}">n/a</text>')  # fmt: skip
            continue
        w = max(0.0, min(1.0, v)) * (width - label_w - 50)
        colour = "#2e7d32" if v >= 0.9 else ("#f9a825" if v >= 0.7 else "#c62828")
        parts.append(f'<text x="0" y="{y + 14}">{html.escape(name)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{v:.2f}</text>')  # fmt: skip
    return "".join(parts) + "</svg>"


def html_report(run: EvalRun | AdgmRun, thresholds: list[Threshold], failures: list[str]) -> str:
    if isinstance(run, AdgmRun):
        return real_html_report(run, thresholds, failures)
    by_metric = {t.metric: t for t in thresholds}
    e = html.escape
    rows = []
    for k, v in run.overall.items():
        t = by_metric.get(k)
        ok = "" if t is None else verdict(t, v)
        rows.append(f"<tr class='{ok.lower().replace(' ', '-')}'><td>{e(k)}</td><td>{_fmt(v, k)}</td>"
                    f"<td>{e(f'{t.op} {t.value:g}') if t else ''}</td><td>{ok}</td></tr>")  # fmt: skip
    cats = run.by_category
    charts = _bars("hit@5 by category", {c: a.get("hit@5") for c, a in cats.items()})
    charts += _bars("share of questions passed, by category",
                    {c: (a.get("passed") or 0.0) / n for c, a in cats.items() if (n := a.get("questions"))})  # fmt: skip
    # failed first, then by the rank of the first expected ref, the lowest first (the list had
    # shown rank 1 first and cut the rank 2 and 3 questions that failed a hit@1 gate, a CI
    # team's trial, thirty-eighth session)
    # (a failed question without expected refs, an unanswerable one answered, with the misses:
    # it had fallen below the rank-1 failures, a review)
    worst = sorted(
        run.results,
        key=lambda r: (
            r.passed,
            -(r.first_hit_rank or 99) if r.expected_refs else (0 if r.passed else -99),
        ),
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
    banner = (
        ("<p class='fail'>Gate FAILED: " + e("; ".join(failures)) + "</p>")
        if failures
        else "<p class='ok'>All thresholds met.</p>"
    )
    return _page(
        f"regassist eval: {run.dataset}",
        f"""<h1>regassist eval report</h1>
<p>Dataset <b>{e(run.dataset)}</b> version {e(run.dataset_version)} · {len(run.results)} questions ·
mode {e(str(run.config["mode"]))} · index {e(str(run.config["index_id"]))} · model {e(str(run.config["embedding_model"]))}</p>
{banner}
<h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>threshold</th><th></th></tr>{"".join(rows)}</table>
<h2>By category</h2>{charts}
{policy}
<h2>Worst questions</h2>
<table><tr><th>id</th><th>category</th><th>question</th><th>expected</th><th>retrieved (top 5)</th><th>result</th></tr>{worst_rows}</table>""",
    )


def _page(title: str, body: str) -> str:
    """The self-contained page every eval report uses: inline CSS, printable, no external assets."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}}
table{{border-collapse:collapse;margin:1rem 0;width:100%}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}
tr.fail td,p.fail{{color:#b71c1c;font-weight:600}}p.ok{{color:#1b5e20;font-weight:600}}
td.num,th.num{{text-align:right;font-variant-numeric:tabular-nums}}span.gold{{color:#1b5e20;font-weight:600}}
svg text{{font-size:12px}}svg text.t{{font-weight:600}}svg{{margin:1rem 2rem 1rem 0}}
@media print{{body{{margin:0}}}}
</style></head><body>
{body}
</body></html>"""


REPORT_FILES = {"json": "results.json", "junit": "junit.xml", "html": "report.html"}


def clear_reports(directory: Path, extra: tuple[str, ...] = ()) -> None:
    """Remove an earlier run's reports from ``directory`` where it exists (nothing is created):
    done first, so that a run stopped by a usage error leaves none that look like its own.
    ``prepare_report_dir`` says what cannot be removed."""
    for name in (*REPORT_FILES.values(), *extra):
        path = directory / name
        if path.is_file() or path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()


def prepare_report_dir(directory: Path, extra: tuple[str, ...] = ()) -> None:
    """Make ``directory`` ready before a run: created, writable, and cleared of an earlier run's
    reports, so a run that fails or crashes leaves none behind that look like its own. Raises
    UsageError naming the path when it cannot be written."""
    hint = "pass --report DIR with a writable directory"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"cannot create the report directory {directory}: {exc.strerror or exc}", hint
        ) from exc
    for name in (*REPORT_FILES.values(), *extra):
        path = directory / name
        if path.is_dir() and not path.is_symlink():
            raise UsageError(f"cannot write the report {path}: it is a directory", hint)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise UsageError(
                f"cannot remove the old report {path}: {exc.strerror or exc}", hint
            ) from exc
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        raise UsageError(
            f"cannot write to the report directory {directory}: {exc.strerror or exc}", hint
        ) from exc


def write_reports(
    run: EvalRun | AdgmRun,
    thresholds: list[Threshold],
    failures: list[str],
    directory: Path,
    suite: str | None = None,
) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {key: directory / name for key, name in REPORT_FILES.items()}
    write_json(run, failures, paths["json"], thresholds, suite)
    _write_atomic(paths["junit"], junit_xml(run, failures, thresholds))
    _write_atomic(paths["html"], html_report(run, thresholds, failures))
    return paths


# ---- the ADGM track ("real text") ----------------------------------------------------------------

LABELS = {"recall@10": "Recall@10", "map@10": "MAP@10", "ndcg@10": "nDCG@10", "mrr@10": "MRR@10"}
ANSWER_ROWS = (
    ("answered", "answered (not abstained), gold indexed"),
    ("gold_quoted", "gold passage quoted (share of all)"),
    ("gold_quoted_answered", "gold passage quoted (share of answered)"),
    ("cf_abstained", "abstained, gold removed (counterfactual)"),
    ("confidence_auc", "AUC of confidence, gold indexed vs removed"),
)
INVARIANT_ROWS = (
    *ANSWER_ROWS,
    ("verbatim_quote_rate", "verbatim quotes"),
    ("fabricated_citations", "fabricated citations (both indexes)"),
)


def _real_fmt(key: str, v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.0f}" if key == "fabricated_citations" else f"{v:.3f}"


def _gate_cell(by_metric: dict[str, Threshold], metric: str, value: float | None) -> str:
    t = by_metric.get(metric)
    if t is None:
        return ""
    if value is not None and not t.can_fail:  # gates nothing (``gate.verdict``)
        return f"{t.direction} {t.value:g} {CANNOT_FAIL}"
    return f"{t.direction} {t.value:g} " + ("ok" if t.check(value) else "FAIL")


def real_summary_rows(run: AdgmRun) -> list[tuple[str, str, str, str]]:
    """(measure, regassist, BM25, ratio): the table the README shows."""
    o = run.overall
    rows = [
        (LABELS[m], f"{o[m]:.3f}", f"{o[f'bm25_{m}']:.3f}", f"{o[f'{m}_vs_bm25']:.2f}x")
        for m in RETRIEVAL
    ]
    for key, label in ANSWER_ROWS:
        rows.append((label, _real_fmt(key, o.get(key)), "", ""))
    return rows


def real_markdown_table(run: AdgmRun) -> str:
    lines = ["| measure | regassist | BM25 | ratio |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in real_summary_rows(run)]
    return "\n".join(lines)


def _machine_line(run: AdgmRun) -> str:
    mc, t = run.config.get("machine", {}), run.config.get("timings_s", {})
    return (f"{mc.get('cpus')} cores, {mc.get('memory_gib')} GiB, Python {mc.get('python')}; "
            f"index {t.get('index')} s, counterfactual index {t.get('counterfactual_index')} s, "
            f"questions {t.get('questions')} s, total {t.get('total')} s")  # fmt: skip


def real_text_table(run: AdgmRun, thresholds: list[Threshold], failures: list[str]) -> str:
    by_metric = {t.metric: t for t in thresholds}
    o, sel = run.overall, run.config["selection"]
    lines = [f"ADGM track (real text, {run.dataset_version}): {o['questions']:.0f} questions, "
             f"{o['passages']:.0f} passages, {sel['label']} · model {run.config['embedding_model']}",
             f"gate: {run.suite or 'invariants only (no threshold suite for this selection)'}", "",
             f"{'measure':<44}{'regassist':>10}{'BM25':>10}{'ratio':>9}  threshold"]  # fmt: skip
    for m in RETRIEVAL:
        gate = "  ".join(x for x in (_gate_cell(by_metric, m, o[m]),
                                      _gate_cell(by_metric, f"{m}_vs_bm25", o[f"{m}_vs_bm25"])) if x)  # fmt: skip
        lines.append(
            f"{LABELS[m]:<44}{o[m]:>10.3f}{o[f'bm25_{m}']:>10.3f}{o[f'{m}_vs_bm25']:>8.2f}x  {gate}"
        )
    for key, label in INVARIANT_ROWS:
        lines.append(
            f"{label:<44}{_real_fmt(key, o.get(key)):>10}{'':>19}  {_gate_cell(by_metric, key, o.get(key))}"
        )
    lines += ["", f"{'document':<34}{'n':>5}{'R@10':>7}{'BM25':>7}{'MAP@10':>8}{'BM25':>7}"
              f"{'answ.':>7}{'gold q.':>8}{'cf abst.':>9}"]  # fmt: skip
    for d, a in run.by_document.items():
        name = f"{d} {_short(int(d))}"[:33]
        lines.append(f"{name:<34}{a['questions']:>5.0f}{a['recall@10']:>7.3f}{a['bm25_recall@10']:>7.3f}"
                     f"{a['map@10']:>8.3f}{a['bm25_map@10']:>7.3f}{a['answered']:>7.2f}"
                     f"{a['gold_quoted']:>8.2f}{a['cf_abstained']:>9.2f}")  # fmt: skip
    lines += ["", f"machine: {_machine_line(run)}", ""]
    lines += [f"FAILED threshold: {f}" for f in failures] or ["all thresholds met"]
    return "\n".join(lines)


def _short(doc: int) -> str:
    from evals.real.adgm import doc_name

    return doc_name(doc)


def real_junit_xml(run: AdgmRun, failures: list[str],
                   thresholds: list[Threshold] | None = None) -> str:  # fmt: skip
    """One test case per question: failed only on a broken invariant (fabricated citation,
    non-verbatim quote); a missed gold passage or a wrong abstention is in the case's system-out,
    since on real text some are expected and the gate judges their rates."""
    name = f"{run.dataset}.{'all' if run.suite == 'adgm_all' else 'selection'}"
    suites = ET.Element("testsuites", name=f"regassist-eval-{run.dataset}")
    suite = ET.SubElement(suites, "testsuite", name=name)
    bad = 0
    for r in run.results:
        bad += _question_case(suite, f"{run.dataset}.doc{r.doc}", r.id, r.latency_ms, r.failures,
                              f"question: {r.question}\ngold: {', '.join(r.gold)}\n"
                              f"ours: {r.ours}\nbm25: {r.bm25}")  # fmt: skip
    n, failed, skipped = _gate_cases(suite, run, failures, thresholds)
    suite.set("tests", str(len(run.results) + n))
    suite.set("failures", str(bad + failed))
    suite.set("skipped", str(skipped))
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def real_text_section(run: AdgmRun, thresholds: list[Threshold]) -> str:
    """The "Real text" section: ours vs BM25, answers, per document, the 20 worst questions."""
    e = html.escape
    by_metric = {t.metric: t for t in thresholds}
    o = run.overall
    rows = []
    for m in RETRIEVAL:
        cells = [
            _gate_cell(by_metric, m, o[m]),
            _gate_cell(by_metric, f"{m}_vs_bm25", o[f"{m}_vs_bm25"]),
        ]
        gate = " · ".join(c for c in cells if c)
        rows.append(f"<tr class='{'fail' if 'FAIL' in gate else ''}'><td>{LABELS[m]}</td><td class='num'>{o[m]:.3f}</td>"
                    f"<td class='num'>{o[f'bm25_{m}']:.3f}</td><td class='num'>{o[f'{m}_vs_bm25']:.2f}x</td>"
                    f"<td>{e(gate)}</td></tr>")  # fmt: skip
    for key, label in INVARIANT_ROWS:
        gate = _gate_cell(by_metric, key, o.get(key))
        rows.append(f"<tr class='{'fail' if 'FAIL' in gate else ''}'><td>{e(label)}</td>"
                    f"<td class='num'>{_real_fmt(key, o.get(key))}</td><td></td><td></td><td>{e(gate)}</td></tr>")  # fmt: skip
    docs = "".join(
        f"<tr><td>{e(d)}</td><td>{e(_short(int(d)))}</td><td class='num'>{a['questions']:.0f}</td>"
        + "".join(f"<td class='num'>{a[k]:.3f}</td>" for k in ("recall@10", "bm25_recall@10", "map@10", "bm25_map@10",
                                                              "ndcg@10", "mrr@10"))
        + "".join(f"<td class='num'>{a[k]:.2f}</td>" for k in ("answered", "gold_quoted", "cf_abstained"))
        + "</tr>"
        for d, a in run.by_document.items()
    )  # fmt: skip
    by_id = {r.id: r for r in run.results}
    worst = []
    for qid in run.worst:
        r = by_id[qid]
        got = ", ".join(f"<span class='gold'>{e(f'{x.doc}:{x.ref}')} ✓</span>" if x.gold else e(f"{x.doc}:{x.ref}")
                        for x in r.retrieved)  # fmt: skip
        worst.append(f"<tr><td>{e(r.id[:8])}</td><td>{e(r.question)}</td><td>{e(', '.join(r.gold))}</td>"
                     f"<td>{got or '-'}</td><td class='num'>{r.ours['ndcg@10']:.2f}</td><td class='num'>{r.bm25['ndcg@10']:.2f}</td>"
                     f"<td>{'answered' if r.answered else 'abstained'} ({r.confidence:.2f})</td></tr>")  # fmt: skip
    charts = _bars("Recall@10 by document, regassist",
                   {f"{d} {_short(int(d))}"[:24]: a["recall@10"] for d, a in run.by_document.items()})  # fmt: skip
    sel = run.config["selection"]
    return f"""<section id="real-text"><h2>Real text (ADGM rulebooks, ObliQA)</h2>
<p>{o["questions"]:.0f} questions ({e(sel["label"])}) over {o["passages"]:.0f} passages, ingested as JSONL.
Retrieval metrics use trec_eval's definitions over passage ids; BM25 is a plain bm25s baseline
(k1 0.9, b 0.4, English stop words, stemmed) over the same passages, computed in the same run.
Counterfactual: {e(str(run.config["counterfactual"]))}. Machine: {e(_machine_line(run))}.</p>
<table><tr><th>measure</th><th class='num'>regassist</th><th class='num'>BM25</th><th class='num'>ratio</th><th>threshold</th></tr>{"".join(rows)}</table>
<h3>By document</h3>{charts}
<table><tr><th>doc</th><th>source</th><th class='num'>n</th><th class='num'>R@10</th><th class='num'>BM25 R@10</th>
<th class='num'>MAP@10</th><th class='num'>BM25 MAP@10</th><th class='num'>nDCG@10</th><th class='num'>MRR@10</th>
<th class='num'>answered</th><th class='num'>gold quoted</th><th class='num'>cf abstained</th></tr>{docs}</table>
<h3>The {len(run.worst)} worst questions (lowest nDCG@10) and what was retrieved</h3>
<table><tr><th>id</th><th>question</th><th>gold (doc:passage)</th><th>our top 10 (doc:passage, ✓ gold)</th>
<th class='num'>nDCG@10</th><th class='num'>BM25</th><th>answer (confidence)</th></tr>{"".join(worst)}</table></section>"""


def real_html_report(run: AdgmRun, thresholds: list[Threshold], failures: list[str]) -> str:
    e = html.escape
    verdict = (
        ("<p class='fail'>Gate FAILED: " + e("; ".join(failures)) + "</p>")
        if failures
        else f"<p class='ok'>All thresholds met ({e(run.suite or 'invariants only')}).</p>"
    )
    return _page(
        f"regassist eval: {run.dataset}",
        f"""<h1>regassist eval report</h1>
<p>Track <b>adgm</b> · dataset {e(run.dataset)} · {e(run.dataset_version)} · mode {e(str(run.config["mode"]))} ·
index {e(str(run.config["index_id"]))} · model {e(str(run.config["embedding_model"]))}</p>
{verdict}
{real_text_section(run, thresholds)}""",
    )
