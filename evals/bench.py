"""`make bench`: speed and memory of regassist against a plain llama-index pipeline, same run.

A seeded synthetic corpus in the AFSA layout (>= 1,000 pages, half PDF, half Markdown) is ingested
by regassist and by a plain `VectorStoreIndex` over Chroma with default chunking and the same
embedding model. Every measurement runs in its own subprocess so peak memory and cold start are
real. Results go to bench.json and bench.md. Targets live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from evals.real.adgm import data_dir as adgm_data_dir

TARGETS = {
    "ingest_pages_ratio_vs_plain": (">=", 1.0),
    "adgm_ingest_s": ("<=", 120.0),
    "ask_cli_median_s": ("<=", 2.5),
    "search_p50_ms_20k": ("<=", 20.0),
    "serve_rss_mb": ("<=", 1024.0),
    "reingest_unchanged_s": ("<=", 5.0),
    "ask_p50_ms_20k": ("<=", 100.0),
    "embed_min_cosine": (">=", 0.99),
    # the slowest of the hostile inputs the text readers once took seconds on (quadratic
    # backtracking): measured here, not in timed tests
    "hostile_input_max_s": ("<=", 2.0),
}


def hostile_inputs() -> dict[str, float]:
    """Seconds each text reader takes on an input that once made it backtrack quadratically."""
    from assistant.answer.summary import _item_end
    from assistant.language.abbreviations import defined, spelled_out
    from assistant.language.quantities import figures
    from assistant.language.text import LIST_ITEM

    cases = {
        "abbreviation_defined": lambda: defined("A-" * 20000 + " ("),
        "abbreviation_spelled_out": lambda: spelled_out("ABCDEFG", "Word " * 20000),
        "figures_number_run": lambda: figures("123 " * 4000 + "x"),
        "list_item_spaces": lambda: LIST_ITEM.match(" " * 20000),
        "item_end_commas": lambda: _item_end("," * 20000 + "x"),
    }
    out = {}
    for name, run in cases.items():
        t = time.perf_counter()
        run()
        out[name] = time.perf_counter() - t
    return out


OBLIQA = adgm_data_dir()  # REGASSIST_OBLIQA_DIR, else ../shared/data/obliqa
BOOKS = ("AML", "COB", "GEN", "DAA", "MAR")
TOPICS = ("customer due diligence", "record keeping", "client money", "digital asset transfers",
          "market abuse", "technology governance", "outsourcing", "capital resources", "sanctions screening",
          "suspicious transaction reports", "custody of digital assets", "admission to trading",
          "complaints handling", "conflicts of interest", "business continuity")  # fmt: skip
SUBJECTS = (
    "A Relevant Person",
    "An Authorised Firm",
    "A DATF operator",
    "A DASP",
    "The MLRO",
    "A custodian",
)
VERBS = ("must establish and maintain", "must document", "must review at least annually", "must notify the AFSA of",
         "must keep records of", "must apply controls to", "should consider", "must not delegate")  # fmt: skip
OBJECTS = ("systems and controls for {t}", "a written policy on {t}", "procedures for {t}", "the risks arising from {t}",
           "any material change affecting {t}", "the outcome of each review of {t}")  # fmt: skip


def _sentence(rng: random.Random, topic: str) -> str:
    obj = rng.choice(OBJECTS).format(t=topic)
    tail = rng.choice(("", f" within {rng.randint(2, 30)} days", f" for at least {rng.randint(3, 10)} years",
                       f" where the amount exceeds USD {rng.randint(1, 50)},000"))  # fmt: skip
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {obj}{tail}."


def generate_corpus(
    root: Path, pages: int = 1000, seed: int = 7, per_doc: int = 25
) -> dict[str, Any]:
    """Write ceil(pages / per_doc) rulebooks, alternately PDF and Markdown, in the AFSA layout."""
    from evals.pdf_render import build_pdf  # reportlab, a dev dependency

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    docs = (pages + per_doc - 1) // per_doc
    for d in range(docs):
        book = BOOKS[d % len(BOOKS)]
        page_lines: list[list[str]] = []
        lines: list[str] = []
        chapter = 20 + d
        for rule in range(1, 10_000):
            if len(page_lines) >= per_doc:
                break
            topic = rng.choice(TOPICS)
            block = [f"{chapter}.{1 + rule // 10}.{rule % 10 + 1} {topic.capitalize()}"]
            for p in range(1, rng.randint(2, 5)):
                block.append(
                    f"({p}) " + " ".join(_sentence(rng, topic) for _ in range(rng.randint(1, 3)))
                )
            if rng.random() < 0.25:
                block += ["Guidance", " ".join(_sentence(rng, topic) for _ in range(2))]
            if rng.random() < 0.03:
                block = [f"{chapter}.{1 + rule // 10}.{rule % 10 + 1} [intentionally omitted]"]
            for line in block:
                # wrap at ~90 characters, as a PDF page would
                words, cur = line.split(), ""
                for w in words:
                    if len(cur) + len(w) > 90:
                        lines.append(cur)
                        cur = ""
                    cur = f"{cur} {w}".strip()
                lines.append(cur)
                if len(lines) >= 38:
                    page_lines.append(lines)
                    lines = []
        name = f"{book.lower()}-bench-{d:03d}"
        if d % 2 == 0:
            (root / f"{name}.pdf").write_bytes(
                build_pdf(page_lines, header=f"{book} Rules (benchmark copy)")
            )
        else:
            body = "\n".join("\n".join(pl) for pl in page_lines)
            (root / f"{name}.md").write_text(
                f"---\nkind: rules\nrulebook: {book}\n---\n# {book} benchmark {d}\n\n{body}\n"
            )
    return {"documents": docs, "pages": docs * per_doc}


def queries(n: int = 200, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = rng.choice(TOPICS)
        kind = i % 4
        if kind == 0:
            out.append(f"What must a firm do about {topic}?")
        elif kind == 1:
            out.append(
                f"{rng.choice(BOOKS)} {20 + rng.randint(0, 39)}.{rng.randint(1, 3)}.{rng.randint(1, 10)}"
            )
        elif kind == 2:
            out.append(f"how long must records of {topic} be kept")
        else:
            out.append(f"{rng.choice(SUBJECTS).lower()} obligations on {topic}")
    return out


# ----------------------------------------------------------------------------- workers (subprocesses)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(task: str, args: list[str]) -> dict[str, Any]:
    from assistant.settings import Settings

    t0 = time.perf_counter()
    if task in ("ingest", "reingest"):
        from assistant.index.core import Index
        from assistant.index.ingest import ingest_paths

        settings = Settings(data_dir=Path(args[0]))
        results = ingest_paths(Index.open(settings, create=True), [Path(p) for p in args[1:]])
        secs = time.perf_counter() - t0
        return {"seconds": secs, "chunks": sum(r.chunks for r in results), "embedded": sum(r.embedded for r in results),
                "failed": [r.message for r in results if r.status == "failed"], "rss_mb": _rss_mb()}  # fmt: skip
    if task == "serve":
        from assistant.answer.assistant import Assistant
        from assistant.index.core import Index

        settings = Settings(data_dir=Path(args[0]))
        settings = settings.model_copy(
            update={"answer": settings.answer.model_copy(update={"audit_log": False})}
        )
        assistant = Assistant(Index.open(settings))
        qs = json.loads(Path(args[1]).read_text())
        assistant.ask("warm up")
        search_ms, ask_ms = [], []
        for q in qs:
            s = time.perf_counter()
            assistant.retriever.search(q, k=5)
            search_ms.append((time.perf_counter() - s) * 1000)
        for q in qs:
            s = time.perf_counter()
            assistant.ask(q)
            ask_ms.append((time.perf_counter() - s) * 1000)
        return {"search_ms": search_ms, "ask_ms": ask_ms, "chunks": assistant.index.catalog.count_chunks(),
                "rss_mb": _rss_mb()}  # fmt: skip
    if task == "shrink":
        from assistant.index.core import Index

        index = Index.open(Settings(data_dir=Path(args[0])))
        target = int(args[1])
        with index.write_lock():
            for d in sorted(index.documents(), key=lambda d: d["doc_id"], reverse=True):
                if index.catalog.count_chunks() <= target:
                    break
                index.remove(d["doc_id"])
            index.sync_keywords(persist=True)
        return {"chunks": index.catalog.count_chunks()}
    if task == "prepare":
        from assistant.index.embeddings import build_embedder

        build_embedder(Settings()).embed_query(
            "warm up"
        )  # the one-time ONNX export, if not done yet
        return {"seconds": time.perf_counter() - t0}
    if task == "texts":
        from assistant.index.core import Index

        index = Index.open(Settings(data_dir=Path(args[0])))
        ids = sorted(index.catalog.chunk_ids())[: int(args[1])]
        return {"texts": [c.text for c in index.catalog.chunks(ids).values()]}
    if task in ("plain-ingest", "plain-query"):
        return _plain(task, args, t0)
    if task == "embed-check":
        return _embed_check(args)
    raise SystemExit(f"unknown bench task {task}")


def _plain(task: str, args: list[str], t0: float) -> dict[str, Any]:
    """The plain pipeline: llama-index defaults over Chroma with the same embedding model."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from assistant.index.embeddings import bundled_model_path
    from assistant.settings import Settings

    # The same batch size as ours, so the ratio compares pipelines, not batch settings.
    embed = HuggingFaceEmbedding(model_name=bundled_model_path(), device="cpu",
                                 embed_batch_size=Settings().embedding_batch_size)  # fmt: skip
    client = chromadb.PersistentClient(
        path=args[0], settings=ChromaSettings(anonymized_telemetry=False)
    )
    store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("plain"))
    if task == "plain-ingest":
        docs = SimpleDirectoryReader(args[1]).load_data()
        VectorStoreIndex.from_documents(docs, storage_context=StorageContext.from_defaults(vector_store=store),
                                                embed_model=embed)  # fmt: skip
        return {
            "seconds": time.perf_counter() - t0,
            "chunks": store._collection.count(),
            "rss_mb": _rss_mb(),
        }
    retriever = VectorStoreIndex.from_vector_store(store, embed_model=embed).as_retriever(
        similarity_top_k=5
    )
    qs = json.loads(Path(args[1]).read_text())
    retriever.retrieve("warm up")
    ms = []
    for q in qs:
        s = time.perf_counter()
        retriever.retrieve(q)
        ms.append((time.perf_counter() - s) * 1000)
    return {"search_ms": ms, "rss_mb": _rss_mb()}


def _embed_check(args: list[str]) -> dict[str, Any]:
    """Every backend against the reference (sentence-transformers) on the same bench-corpus chunks:
    passages per second and the minimum and mean cosine to the reference vectors, measured."""
    import numpy as np

    from assistant.index.embeddings import build_embedder
    from assistant.settings import Settings

    texts = json.loads(Path(args[0]).read_text())
    out: dict[str, Any] = {"passages": len(texts), "backends": {}}
    ref = None
    for backend in ("torch", "onnx", "onnx-int8"):
        emb = build_embedder(Settings(embedding_backend=backend))
        emb.embed_query("warm up")  # loading (and the one-time ONNX export) is not throughput
        t0 = time.perf_counter()
        vecs = np.array(emb.embed_documents(texts))
        secs = time.perf_counter() - t0
        if ref is None:
            ref = vecs
        cos = (vecs * ref).sum(axis=1)
        out["backends"][backend] = {"passages_per_s": len(texts) / secs, "min_cosine": float(cos.min()),
                                    "mean_cosine": float(cos.mean())}  # fmt: skip
    return out


def _adgm_jsonl(path: Path, limit: int | None = None) -> tuple[int, list[str]]:
    """The ObliQA passages as one JSONL file (id = passage ID, ref = PassageID) and the check-split
    questions; empty when the shared data is not there."""
    if not (OBLIQA / "passages").is_dir():
        return 0, []
    from evals.real.splits import split_of

    n = 0
    with path.open("w") as fh:
        for f in sorted((OBLIQA / "passages").glob("*.json"), key=lambda f: int(f.stem)):
            for p in json.loads(f.read_text()):
                if p["Passage"].strip() and (limit is None or n < limit):
                    fh.write(
                        json.dumps({"id": p["ID"], "ref": p["PassageID"], "text": p["Passage"]})
                        + "\n"
                    )
                    n += 1
    qs = json.loads((OBLIQA / "questions-dev.json").read_text())
    return n, [q["Question"] for q in qs if split_of(q["QuestionID"]) == "check"]


def _cli_runs(args: list[str], runs: int = 10, env: dict[str, str] | None = None) -> list[float]:
    """Whole-process wall time of a CLI command: a new process each run, warm disk cache."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        res = subprocess.run(
            [sys.executable, "-m", "assistant.cli", *args],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, **(env or {})},
        )
        times.append(time.perf_counter() - t0)
        assert res.returncode == 0, res.stderr
    return times


def _run(task: str, *args: str, timeout: int = 900) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "evals.bench", "--worker", task, *args]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0:
        raise SystemExit(f"bench task {task} failed:\n{res.stderr[-3000:]}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["wall_s"] = time.perf_counter() - t0
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q / 100 * len(ordered)) - 1)]


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def _short_passages(path: Path, n: int, seed: int = 5) -> None:
    """Extra JSONL passages (one rule sentence each) to grow the index to ~20,000 chunks."""
    rng = random.Random(seed)
    with path.open("w") as fh:
        for i in range(n):
            topic = rng.choice(TOPICS)
            fh.write(json.dumps({"id": f"P{i:05d}", "ref": f"GEN {60 + i // 500}.{i % 500 // 50 + 1}.{i % 50 + 1}",
                                 "text": _sentence(rng, topic)}) + "\n")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="regassist benchmark (see README, Performance)")
    parser.add_argument("--out", default="bench-results")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--big", type=int, default=20000, help="chunks in the large index")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cli-runs", type=int, default=10, help="cold CLI runs per command")
    parser.add_argument(
        "--adgm-limit",
        type=int,
        default=None,
        help="ADGM passages (default: all); a limited run asks only --queries of its questions",
    )
    parser.add_argument(
        "--embed-texts", type=int, default=500, help="bench chunks for the backend agreement check"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    from assistant.runtime import apply_offline_env

    apply_offline_env()
    if args.worker:
        print(json.dumps(worker(args.worker, rest)))
        return
    out = Path(args.out)
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t_start = time.perf_counter()
    corpus = work / "corpus"
    info = generate_corpus(corpus, args.pages)
    qfile = work / "queries.json"
    qfile.write_text(json.dumps(queries(args.queries)))
    r: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "corpus": info,
    }
    print(f"corpus: {info['documents']} documents, {info['pages']} pages", flush=True)

    r["prepare"] = _run("prepare")  # once per machine; kept out of the ingest timings
    ours = _run("ingest", str(work / "ours"), str(corpus))
    assert not ours["failed"], ours["failed"]
    r["ours_ingest"] = ours
    print(f"ours: cold ingest {ours['seconds']:.1f}s, {ours['chunks']} chunks", flush=True)
    r["ours_reingest"] = _run("reingest", str(work / "ours"), str(corpus))
    changed = sorted(corpus.glob("*.md"))[0]
    changed.write_text(
        changed.read_text() + "\nA Relevant Person must keep one more benchmark record.\n"
    )
    r["ours_reingest_one"] = _run("reingest", str(work / "ours"), str(corpus))
    plain = _run("plain-ingest", str(work / "plain"), str(corpus))
    r["plain_ingest"] = plain
    print(f"plain: cold ingest {plain['seconds']:.1f}s, {plain['chunks']} chunks", flush=True)
    full = _run("serve", str(work / "ours"), str(qfile))
    shutil.copytree(work / "ours", work / "small")
    _run("shrink", str(work / "small"), "2000")  # ~2,000 chunks without embedding anything again
    small = _run("serve", str(work / "small"), str(qfile))
    plain_q = _run("plain-query", str(work / "plain"), str(qfile))
    extra = max(0, args.big - ours["chunks"])
    big_dir = work / "big"
    shutil.copytree(work / "ours", big_dir)
    _short_passages(work / "passages.jsonl", extra)
    r["big_ingest"] = _run("ingest", str(big_dir), str(work / "passages.jsonl"))
    big = _run("serve", str(big_dir), str(qfile))
    ask_cli = _cli_runs(
        ["ask", "What must a firm do about record keeping?", "--data-dir", str(big_dir)],
        args.cli_runs,
    )
    search_cli = _cli_runs(
        ["search", "record keeping for client money", "--data-dir", str(big_dir)], args.cli_runs
    )
    # the reference backend on the same index (torch and onnx share vectors): what the ONNX
    # default saves a cold `ask`, whatever the passages/s of the two on this CPU
    ask_cli_torch = _cli_runs(
        ["ask", "What must a firm do about record keeping?", "--data-dir", str(big_dir)],
        args.cli_runs,
        {"REGASSIST_EMBEDDING_BACKEND": "torch"},
    )
    print(
        f"cli: ask median {_pct(ask_cli, 50):.2f}s, search median {_pct(search_cli, 50):.2f}s",
        flush=True,
    )
    (work / "texts.json").write_text(
        json.dumps(_run("texts", str(work / "ours"), str(args.embed_texts))["texts"])
    )
    emb = _run("embed-check", str(work / "texts.json"))
    n_adgm, adgm_q = _adgm_jsonl(work / "adgm.jsonl", args.adgm_limit)
    if n_adgm:
        if args.adgm_limit is not None:
            adgm_q = adgm_q[: args.queries]
        (work / "adgm-q.json").write_text(json.dumps(adgm_q))
        r["adgm_ingest"] = _run(
            "ingest", str(work / "adgm"), str(work / "adgm.jsonl"), timeout=3600
        )
        adgm = _run("serve", str(work / "adgm"), str(work / "adgm-q.json"))
        print(f"adgm: {n_adgm} passages ingested in {r['adgm_ingest']['seconds']:.1f}s", flush=True)

    m = {
        "pages": info["pages"],
        "ours_pages_per_s": info["pages"] / ours["seconds"],
        "ours_chunks_per_s": ours["chunks"] / ours["seconds"],
        "plain_chunks_per_s": plain["chunks"] / plain["seconds"],
        "ours_ingest_s": ours["seconds"], "plain_ingest_s": plain["seconds"],
        "ours_chunks": ours["chunks"], "plain_chunks": plain["chunks"],
        "reingest_unchanged_s": r["ours_reingest"]["seconds"], "reingest_one_changed_s": r["ours_reingest_one"]["seconds"],
        "reingest_one_embedded": r["ours_reingest_one"]["embedded"],
        "search_p50_ms_2k": _pct(small["search_ms"], 50), "search_p95_ms_2k": _pct(small["search_ms"], 95),
        "ask_p50_ms_2k": _pct(small["ask_ms"], 50), "ask_p95_ms_2k": _pct(small["ask_ms"], 95),
        "search_p50_ms_full": _pct(full["search_ms"], 50), "search_p95_ms_full": _pct(full["search_ms"], 95),
        "ask_p50_ms_full": _pct(full["ask_ms"], 50),
        "plain_search_p50_ms_full": _pct(plain_q["search_ms"], 50), "plain_search_p95_ms_full": _pct(plain_q["search_ms"], 95),
        "index_chunks_2k": small["chunks"], "index_chunks_full": full["chunks"], "index_chunks_20k": big["chunks"],
        "search_p50_ms_20k": _pct(big["search_ms"], 50), "search_p95_ms_20k": _pct(big["search_ms"], 95),
        "ask_p50_ms_20k": _pct(big["ask_ms"], 50), "ask_p95_ms_20k": _pct(big["ask_ms"], 95),
        "ingest_rss_mb": ours["rss_mb"], "plain_ingest_rss_mb": plain["rss_mb"], "serve_rss_mb": big["rss_mb"],
        "index_disk_mb_full": _du_mb(work / "ours"), "plain_disk_mb": _du_mb(work / "plain"),
        "index_disk_mb_20k": _du_mb(big_dir),
        "ask_cli_median_s": _pct(ask_cli, 50), "ask_cli_max_s": max(ask_cli), "cli_runs": len(ask_cli),
        "search_cli_median_s": _pct(search_cli, 50), "search_cli_max_s": max(search_cli),
        "ask_cli_torch_median_s": _pct(ask_cli_torch, 50),
        "plain_pages_per_s": info["pages"] / plain["seconds"],
    }  # fmt: skip
    from assistant.settings import Settings

    backend = Settings().embedding_backend
    for name, b in emb["backends"].items():
        key = name.replace("-", "_")
        m[f"embed_{key}_passages_per_s"] = b["passages_per_s"]
        m[f"embed_{key}_min_cosine"] = b["min_cosine"]
    m["embed_min_cosine"] = emb["backends"][backend]["min_cosine"]
    m["embed_passages"] = emb["passages"]
    if n_adgm:
        m.update({"adgm_passages": n_adgm, "adgm_ingest_s": r["adgm_ingest"]["seconds"], "adgm_questions": len(adgm_q),
                  "adgm_search_p50_ms": _pct(adgm["search_ms"], 50), "adgm_search_p95_ms": _pct(adgm["search_ms"], 95),
                  "adgm_chunks": adgm["chunks"]})  # fmt: skip
    m["ingest_pages_ratio_vs_plain"] = m["ours_pages_per_s"] / m["plain_pages_per_s"]
    m["ingest_ratio_vs_plain"] = m["ours_chunks_per_s"] / m["plain_chunks_per_s"]
    m["search_ratio_vs_plain"] = m["search_p50_ms_full"] / m["plain_search_p50_ms_full"]
    hostile = hostile_inputs()
    m.update({f"hostile_{k}_s": v for k, v in hostile.items()})
    m["hostile_input_max_s"] = max(hostile.values())
    m["bench_wall_s"] = time.perf_counter() - t_start
    r["metrics"] = {k: round(float(v), 3) for k, v in m.items()}
    r["targets"] = {k: {"op": op, "target": v, "value": r["metrics"][k],
                        "met": (r["metrics"][k] >= v) if op == ">=" else (r["metrics"][k] <= v)}
                    for k, (op, v) in TARGETS.items() if k in r["metrics"]}  # fmt: skip
    r["embedding_backend"] = backend
    (out / "bench.json").write_text(json.dumps(r, indent=2))
    table = markdown_table(r)
    (out / "bench.md").write_text(table)
    print(table)
    shutil.rmtree(work, ignore_errors=True)


def markdown_table(r: dict[str, Any]) -> str:
    m = r["metrics"]
    emb = "; ".join(
        f"{name}: {m[f'embed_{name}_passages_per_s']:.0f} passages/s, min cosine {m[f'embed_{name}_min_cosine']:.4f}"
        for name in ("torch", "onnx", "onnx_int8")
    )
    rows = [
        ("corpus", f"{r['corpus']['documents']} rulebooks, {m['pages']:.0f} pages (half PDF, half Markdown)", "", ""),
        ("cold ingest, pages/s (headline)", f"{m['ours_ingest_s']:.1f} s, {m['ours_pages_per_s']:.1f} pages/s",
         f"{m['plain_ingest_s']:.1f} s, {m['plain_pages_per_s']:.1f} pages/s", f"{m['ingest_pages_ratio_vs_plain']:.2f}x pages/s"),
        ("cold ingest, chunks/s", f"{m['ours_chunks_per_s']:.1f} chunks/s ({m['ours_chunks']:.0f} chunks)",
         f"{m['plain_chunks_per_s']:.1f} chunks/s ({m['plain_chunks']:.0f} chunks)", f"{m['ingest_ratio_vs_plain']:.2f}x chunks/s"),
        ("re-ingest, unchanged", f"{m['reingest_unchanged_s']:.2f} s", "—", ""),
        ("re-ingest, one document changed", f"{m['reingest_one_changed_s']:.2f} s ({m['reingest_one_embedded']:.0f} passages embedded)", "—", ""),
        (f"search p50 / p95, same corpus ({m['index_chunks_full']:.0f} vs {m['plain_chunks']:.0f} chunks)",
         f"{m['search_p50_ms_full']:.1f} / {m['search_p95_ms_full']:.1f} ms (ask p50 {m['ask_p50_ms_full']:.1f} ms)",
         f"{m['plain_search_p50_ms_full']:.1f} / {m['plain_search_p95_ms_full']:.1f} ms", f"{m['search_ratio_vs_plain']:.2f}x p50"),
        (f"search p50 / p95, {m['index_chunks_2k']:.0f} chunks", f"{m['search_p50_ms_2k']:.1f} / {m['search_p95_ms_2k']:.1f} ms", "—", ""),
        (f"ask p50 / p95 (extractive), {m['index_chunks_2k']:.0f} chunks", f"{m['ask_p50_ms_2k']:.1f} / {m['ask_p95_ms_2k']:.1f} ms", "—", ""),
        (f"search p50 / p95, {m['index_chunks_20k']:.0f} chunks", f"{m['search_p50_ms_20k']:.1f} / {m['search_p95_ms_20k']:.1f} ms", "—", ""),
        (f"ask p50 / p95 (extractive), {m['index_chunks_20k']:.0f} chunks", f"{m['ask_p50_ms_20k']:.1f} / {m['ask_p95_ms_20k']:.1f} ms", "—", ""),
        (f"`regassist ask` / `search`, whole process, median (max) of {m['cli_runs']:.0f}", f"{m['ask_cli_median_s']:.2f} ({m['ask_cli_max_s']:.2f}) s / "
         f"{m['search_cli_median_s']:.2f} ({m['search_cli_max_s']:.2f}) s", "—", ""),
        ("`regassist ask`, whole process, median, reference backend (torch)", f"{m['ask_cli_torch_median_s']:.2f} s", "—", ""),
        (f"peak RSS: ingest / serving ({m['index_chunks_20k']:.0f} chunks)", f"{m['ingest_rss_mb']:.0f} MB / {m['serve_rss_mb']:.0f} MB", f"{m['plain_ingest_rss_mb']:.0f} MB (ingest)", ""),
        ("index on disk", f"{m['index_disk_mb_full']:.1f} MB (same corpus) / {m['index_disk_mb_20k']:.1f} MB ({m['index_chunks_20k']:.0f} chunks)", f"{m['plain_disk_mb']:.1f} MB", ""),
        (f"embedding backends on {m.get('embed_passages', 500):.0f} bench chunks (default: {r['embedding_backend']})", emb, "torch", ""),
    ]  # fmt: skip
    if "adgm_ingest_s" in m:
        rows.append((f"ADGM passages: {m['adgm_passages']:.0f} ({m['adgm_chunks']:.0f} chunks)",
                     f"cold ingest {m['adgm_ingest_s']:.1f} s; search p50 / p95 {m['adgm_search_p50_ms']:.1f} / "
                     f"{m['adgm_search_p95_ms']:.1f} ms over {m['adgm_questions']:.0f} check questions", "—", ""))  # fmt: skip
    else:
        # said, not left out: without the row the table showed every target met (an ops trial)
        rows.append(("ADGM passages", f"not measured: no ObliQA data at {OBLIQA}", "—", ""))
    lines = ["| measure | regassist | plain llama-index | ratio |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines += ["", "| target (2 cores, bundled model) | value | met |", "|---|---|---|"]
    for k, t in r["targets"].items():
        lines.append(
            f"| {k} {t['op']} {t['target']:g} | {t['value']:.2f} | {'yes' if t['met'] else 'NO'} |"
        )
    for k, (op, v) in TARGETS.items():
        if k not in r["targets"]:
            lines.append(f"| {k} {op} {v:g} | not measured | — |")
    lines.append("")
    lines.append(
        f"Machine: {r['machine']['cpus']} CPUs, Python {r['machine']['python']}; whole bench {m['bench_wall_s']:.0f} s."
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
