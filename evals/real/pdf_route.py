"""The PDF route measured on real rulebook text: render -> ingest -> measure.

ADGM rulebooks from the ObliQA ``rulebooks-txt`` folder are rendered as rulebook-layout PDFs
(``evals.pdf_render.render_rulebook``, which records the page every provision is printed on),
loaded through the PDF loader and cut by the chunker, and compared with the source:

- **ref accuracy**: the share of chunks whose rule ref is the rule number the source gives the
  text they hold (the rule owning most of the chunk's characters; a chunk that mixes two rules
  with less than 90% of its text from one counts as wrong);
- **page accuracy**: the share of chunks whose first page is the page their first character is
  printed on;
- **coverage**: the share of provision text that ends up in some chunk;
- **retrieval parity** (needs the embedding model): rule-level hit@5 on the ObliQA ``check``
  questions about the rulebook, once through the PDF and once with the same rulebook ingested as
  JSONL passages (record id = passage ``ID``, ref = ``PassageID``).

Run ``python -m evals.real.pdf_route [--books AML,COBS] [--parity]``. Rendered PDFs and indexes
go to a temporary directory, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.pdf_render import RenderedRulebook, render_rulebook, rule_of
from evals.real.adgm import data_dir
from evals.real.splits import split_of
from ingest.chunker import chunk_document
from ingest.loaders import load
from ingest.model import Chunk, Document
from ingest.settings import ChunkingSettings

ROOT = Path(__file__).resolve().parents[2]


def obliqa_dir() -> Path:
    """The ObliQA folder, found the one way every eval finds it (``REGASSIST_OBLIQA_DIR``, else
    ``../shared/data/obliqa`` beside the repository)."""
    return data_dir()


@dataclass(frozen=True)
class Book:
    key: str
    document_id: int  # ObliQA DocumentID
    source: str  # file in rulebooks-txt/
    title: str
    abbreviation: str | None
    version: str


BOOKS: dict[str, Book] = {
    b.key: b
    for b in (
        Book("AML", 1, "AML_VER09.211223.txt",
             "Anti-Money Laundering and Sanctions Rules and Guidance", "AML", "VER09.211223"),
        Book("COBS", 3, "COBS_VER15.150823.txt", "Conduct of Business Rulebook", "COBS",
             "VER15.150823"),
        Book("GEN", 7, "GEN_VER08.181223.txt", "General Rulebook", "GEN", "VER08.181223"),
        Book("VA", 19, "Guidance - Virtual Asset Activities in ADGM (VER05.181223).txt",
             "Guidance - Regulation of Virtual Asset Activities in ADGM", None, "VER05.181223"),
    )
}  # fmt: skip


def chunk_rule(ref: str | None) -> str | None:
    """The rule number in a chunk ref: ``AML 6.1.1(a-a)`` -> ``6.1.1``, ``Paragraph 12`` -> ``12``."""
    if not ref:
        return None
    head, _, tail = ref.partition(" ")
    return rule_of(tail if tail and not head[:1].isdigit() else ref)


@dataclass
class RefReport:
    book: str
    rulebook: str | None  # as the loader detected it
    pages: int
    chunks: int
    ref_accuracy: float
    page_accuracy: float
    coverage: float
    unaligned: float  # share of printed provision strings not found in the extracted text
    wrong: list[dict[str, Any]] = field(default_factory=list)


def _align(rendered: RenderedRulebook, text: str) -> tuple[list[int | None], list[int | None], int]:
    """Owner provision and page of each character of the extracted text, from the drawn strings."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[i] for i in keep)
    owner: list[int | None] = [None] * len(text)
    page: list[int | None] = [None] * len(text)
    cursor = 0
    missed = 0
    for p in rendered.printed:
        if p.provision is None:
            continue
        needle = re.sub(r"\s+", "", p.text)
        if not needle:
            continue
        at = squeezed.find(needle, cursor, cursor + 4000 + len(needle))
        if at < 0:
            missed += 1
            continue
        for k in range(at, at + len(needle)):
            owner[keep[k]] = p.provision
            page[keep[k]] = p.page
        cursor = at + len(needle)
    return owner, page, missed


def _spans(doc: Document, chunks: list[Chunk]) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for c in chunks:
        at = doc.text.find(c.text, pos)
        if at < 0:
            at = doc.text.find(c.text)
        spans.append((at, at + len(c.text)))
        pos = max(at, 0)
    return spans


def render(
    book: Book, workdir: Path, data: Path | None = None, joined: bool = True
) -> RenderedRulebook:
    src = (data or obliqa_dir()) / "rulebooks-txt" / book.source
    out = workdir / (Path(book.source).stem + ".pdf")
    return render_rulebook(src, out, title=book.title, abbreviation=book.abbreviation,
                           version=book.version, joined=joined)  # fmt: skip


def measure_refs(book: Book, workdir: Path, cfg: ChunkingSettings | None = None,
                 data: Path | None = None, joined: bool = True) -> RefReport:  # fmt: skip
    """Render, load through the PDF loader, chunk, and score refs and pages against the source.
    ``joined=False`` renders each margin number and label as its own text object."""
    rendered = render(book, workdir, data, joined)
    doc = load(rendered.path)
    chunks = chunk_document(doc, cfg or ChunkingSettings())
    owner, page, missed = _align(rendered, doc.text)
    provs = rendered.provisions
    ok_ref = ok_page = 0
    wrong: list[dict[str, Any]] = []
    covered = [False] * len(doc.text)
    for c, (a, b) in zip(chunks, _spans(doc, chunks), strict=True):
        rules: Counter[str | None] = Counter()
        first_page = None
        for k in range(max(a, 0), b):
            covered[k] = True
            if owner[k] is not None:
                rules[provs[owner[k]].rule] += 1  # type: ignore[index]
                if first_page is None:
                    first_page = page[k]
        got = chunk_rule(c.ref)
        if rules:
            expected, n = rules.most_common(1)[0]
            ref_ok = got == expected and n >= 0.9 * sum(rules.values())
        else:
            expected, ref_ok = None, got is None or not re.search(r"\w", c.text)
        page_ok = (first_page is None) or (bool(c.pages) and c.pages[0] == first_page)
        ok_ref += ref_ok
        ok_page += page_ok
        if not (ref_ok and page_ok):
            wrong.append({"ref": c.ref, "expected": expected, "rules": dict(rules.most_common(3)),
                          "pages": list(c.pages), "expected_page": first_page,
                          "text": c.text[:160]})  # fmt: skip
    owned = [k for k, o in enumerate(owner) if o is not None]
    n_printed = sum(1 for p in rendered.printed if p.provision is not None)
    return RefReport(
        book=book.key, rulebook=doc.rulebook, pages=rendered.pages, chunks=len(chunks),
        ref_accuracy=ok_ref / max(1, len(chunks)), page_accuracy=ok_page / max(1, len(chunks)),
        coverage=sum(covered[k] for k in owned) / max(1, len(owned)),
        unaligned=missed / max(1, n_printed), wrong=wrong,
    )  # fmt: skip


# ---------------------------------------------------------------------------- retrieval parity


def check_questions(book: Book, data: Path | None = None) -> list[tuple[str, str, set[str]]]:
    """(QuestionID, question, gold rules in this book) for the ``check`` questions about it."""
    qs = json.loads(((data or obliqa_dir()) / "questions-dev.json").read_text(encoding="utf-8"))
    out = []
    for q in qs:
        if split_of(q["QuestionID"]) != "check":
            continue
        gold = {rule_of(p["PassageID"]) for p in q["Passages"]
                if p["DocumentID"] == book.document_id}  # fmt: skip
        gold.discard(None)
        if gold:
            out.append((q["QuestionID"], q["Question"], {g for g in gold if g}))
    return out


def write_passages_jsonl(book: Book, path: Path, data: Path | None = None) -> Path:
    """The rulebook's ObliQA passages as JSONL records: id = passage ID, ref = PassageID."""
    src = (data or obliqa_dir()) / "passages" / f"{book.document_id}.json"
    with path.open("w", encoding="utf-8") as fh:
        for p in json.loads(src.read_text(encoding="utf-8")):
            if p["Passage"].strip():
                rec = {"id": p["ID"], "text": p["Passage"], "ref": p["PassageID"]}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def hit_at_k(
    source: Path, questions: list[tuple[str, str, set[str]]], data_dir: Path, k: int = 5,
    embedding_model: str | None = None,
) -> tuple[float, list[str]]:  # fmt: skip
    """Ingest one file into a fresh index and return rule-level hit@k and the missed question ids."""
    from assistant.index.core import Index
    from assistant.index.ingest import ingest_paths
    from assistant.search.retrieval import Retriever
    from assistant.settings import Settings

    kw: dict[str, Any] = {"data_dir": data_dir}
    if embedding_model:
        kw["embedding_model"] = embedding_model
    index = Index.open(Settings(**kw), create=True)
    results = ingest_paths(index, [source])
    if not results or results[0].status != "added":
        raise RuntimeError(f"ingest of {source} failed: {results}")
    retriever = Retriever(index)
    hits = 0
    missed = []
    for qid, question, gold in questions:
        got = {chunk_rule(h.chunk.ref) if h.chunk.record_id is None else rule_of(h.chunk.ref)
               for h in retriever.search(question, k=k)}  # fmt: skip
        if got & gold:
            hits += 1
        else:
            missed.append(qid)
    return hits / max(1, len(questions)), missed


@dataclass
class ParityReport:
    book: str
    questions: int
    hit5_pdf: float
    hit5_jsonl: float
    gap: float  # jsonl - pdf, in points
    missed_pdf_only: list[str]


def measure_parity(book: Book, workdir: Path, data: Path | None = None,
                   embedding_model: str | None = None) -> ParityReport:  # fmt: skip
    qs = check_questions(book, data)
    rendered = render(book, workdir, data)
    jsonl = write_passages_jsonl(book, workdir / f"{book.key.lower()}-passages.jsonl", data)
    pdf_hit, pdf_missed = hit_at_k(rendered.path, qs, workdir / "idx-pdf", 5, embedding_model)
    js_hit, js_missed = hit_at_k(jsonl, qs, workdir / "idx-jsonl", 5, embedding_model)
    return ParityReport(book.key, len(qs), pdf_hit, js_hit, round(100 * (js_hit - pdf_hit), 2),
                        sorted(set(pdf_missed) - set(js_missed)))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--books", default=",".join(BOOKS))
    ap.add_argument("--parity", action="store_true", help="also rule-level hit@5, PDF vs JSONL")
    ap.add_argument("--show-wrong", type=int, default=0)
    ap.add_argument(
        "--split-lines",
        action="store_true",
        help="render numbers and labels as separate text objects (own lines)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="pdf-route-") as tmp:
        for key in args.books.split(","):
            book = BOOKS[key.strip()]
            work = Path(tmp) / book.key
            work.mkdir()
            rep = measure_refs(book, work, joined=not args.split_lines)
            row = asdict(rep)
            wrong = row.pop("wrong")
            if args.parity:
                row.update({k: v for k, v in asdict(measure_parity(book, work)).items()
                            if k != "book"})  # fmt: skip
            out.append(row)
            if not args.json:
                print(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}"
                               for k, v in row.items() if k != "missed_pdf_only"))  # fmt: skip
                for w in wrong[: args.show_wrong]:
                    print("   ", w)
    if args.json:
        print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
