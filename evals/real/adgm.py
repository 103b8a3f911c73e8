"""The ADGM (ObliQA) data: passages, questions, and the JSONL indexes the track searches.

Passages are ingested through the ordinary JSONL loader (record id = passage ``ID``, ref =
``PassageID``), one file per source document, so the track measures the same code users run.
Nothing is copied into the repository: the data is read from ``../shared/data/obliqa`` (or
``REGASSIST_OBLIQA_DIR``) and the JSONL files are written next to the index they build.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from evals.real.splits import Split, split_of

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "obliqa"
ENV_VAR = "REGASSIST_OBLIQA_DIR"
ALL_DOCS: tuple[int, ...] = tuple(range(1, 41))
AML_DOC = 1
# Found by matching passages/19.json against rulebooks-txt (see tests/test_eval_real.py).
VIRTUAL_ASSETS_DOC = 19
SLICE_DOCS: tuple[int, ...] = (AML_DOC, VIRTUAL_ASSETS_DOC)

# DocumentID -> source file in rulebooks-txt/ (matched by passage text), for readable reports.
DOC_FILES: dict[int, str] = {
    1: "AML_VER09.211223", 2: "CIB_VER04.030220", 3: "COBS_VER15.150823", 4: "FEES_VER16.181223",
    5: "FP_VER01.110319", 6: "FUNDS_VER08.040723", 7: "GEN_VER08.181223", 8: "GLO_VER19.181223",
    9: "IFR_VER07.181223", 10: "MIR_VER07.181223", 11: "MKT_VER08.181223", 12: "PIN_VER05.181223",
    13: "PRU_VER13.181223", 14: "BRR Regulations (December 2018)",
    15: "CRS Regulations 2017 (Consolidated_October 2023) v6",
    16: "Foreign Tax Account Compliance Regulations 2022", 17: "FSMR (Consolidated_December 2023)",
    18: "Guidance - Regulatory Framework for Fund Managers of Venture Capital Funds (VER03.181223)",
    19: "Guidance - Virtual Asset Activities in ADGM (VER05.181223)",
    20: "ADGM_Guidance_-_Application_of_English_Laws", 21: "API - Guidance Note_Final 14 October 2019 Eng",
    22: "CMC_VER03.270922", 23: "CONF_VER03.18042019",
    24: "Draft Guidance - FSRA Guiding Principles for Virtual Assets Regulation and Supervision (IA)",
    25: "Environmental Social and Governance Disclosures Guidance_VER01.040723",
    26: "FinTech RegLab Guidance_VER01.31082016", 27: "GPM VER03.120623",
    28: "Guidance - Continuous Disclosure_VER01.280922",
    29: "Guidance - Digital Securities Offerings and Virtual  Assets under the Financial Services and Markets Regulations_240220",
    30: "Guidance - Disclosure Requirements for Mining Reporting Entities_VER01.280922",
    31: "Guidance - Disclosure Requirements for Petroleum Reporting Entities_VER01.280922",
    32: "Guidance - Private Credit Funds_VER01.040523",
    33: "Guidance  Regulation of Digital Securities Activities in ADGM_240224",
    34: "Guidance - Regulation of Spot Commodities Activities in ADGM (VER02.181223)",
    35: "Guidance_Regulatory Framework for PFP and Multilateral Trading Facilities dealing with Private Capital Markets (VER02.181223)",
    36: "SFWG_Guidance on Principles for the Effective Management of Climate-related Financial Risks",
    37: "Supplementary Guidance  Authorisation of Digital Investment Management (Robo-advisory) Activities",
    38: "Supplementary Guidance OTCLPs (VER02.181223)",
    39: "Sustainable Finance Supplementary Guidance_VER01.040723",
    40: "UAE_CRS_Guidance_Notes_17 June 2020 (002)",
}  # fmt: skip


class DataMissing(RuntimeError):
    """The ObliQA folder is not where we look; the message says where that is."""


def data_dir(explicit: str | Path | None = None) -> Path:
    """The ObliQA folder: ``explicit``, else ``REGASSIST_OBLIQA_DIR``, else ../shared/data/obliqa."""
    raw = explicit or os.environ.get(ENV_VAR) or DEFAULT_DIR
    return Path(raw).expanduser()


def require_data(explicit: str | Path | None = None) -> Path:
    path = data_dir(explicit)
    if not (path / "questions-dev.json").is_file() or not (path / "passages").is_dir():
        raise DataMissing(
            f"ADGM (ObliQA) data not found in {path} (looked for questions-dev.json and passages/); "
            f"put the data there or set {ENV_VAR} to its folder"
        )
    return path


@dataclass(frozen=True)
class Passage:
    id: str
    doc: int
    ref: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    gold: tuple[tuple[int, str], ...]  # (DocumentID, PassageID) pairs, in file order
    group: int | None = None

    @property
    def doc(self) -> int:
        """The document a question is counted under in the per-document breakdown."""
        return self.gold[0][0]

    @property
    def docs(self) -> frozenset[int]:
        return frozenset(d for d, _ in self.gold)


@lru_cache(maxsize=64)
def _load_passages(folder: str, doc: int) -> tuple[Passage, ...]:
    rows = json.loads((Path(folder) / "passages" / f"{doc}.json").read_text(encoding="utf-8"))
    return tuple(Passage(str(r["ID"]), int(r["DocumentID"]), str(r["PassageID"]), str(r["Passage"] or ""))
                 for r in rows)  # fmt: skip


def load_passages(folder: Path, docs: Iterable[int]) -> list[Passage]:
    return [p for d in docs for p in _load_passages(str(folder), int(d))]


def load_questions(folder: Path) -> list[Question]:
    rows = json.loads((folder / "questions-dev.json").read_text(encoding="utf-8"))
    return [Question(str(r["QuestionID"]), str(r["Question"]),
                     tuple((int(p["DocumentID"]), str(p["PassageID"])) for p in r["Passages"]),
                     r.get("Group"))
            for r in rows]  # fmt: skip


def select_questions(questions: Sequence[Question], docs: Iterable[int], split: Split | None,
                     limit: int | None = None) -> list[Question]:  # fmt: skip
    """Questions whose gold passages all lie in ``docs``, of one split, in file order."""
    wanted = set(docs)
    out = [q for q in questions if q.docs <= wanted and (split is None or split_of(q.id) == split)]
    return out[:limit] if limit else out


def relevant_ids(questions: Iterable[Question], passages: Iterable[Passage]) -> dict[str, set[str]]:
    """Question id -> every passage ``ID`` of its gold (DocumentID, PassageID) pairs (README rule)."""
    by_pair: dict[tuple[int, str], set[str]] = {}
    for p in passages:
        by_pair.setdefault((p.doc, p.ref), set()).add(p.id)
    return {q.id: set().union(*(by_pair.get(g, set()) for g in q.gold)) for q in questions}


def indexable(passages: Iterable[Passage]) -> list[Passage]:
    """Passages with text (the JSONL loader rejects empty records; they cannot be retrieved)."""
    return [p for p in passages if p.text.strip()]


def jsonl_name(doc: int) -> str:
    # Neutral names: the loader guesses a document's kind from its file name ("manual" -> policy).
    return f"adgm-doc-{doc:02d}.jsonl"


def write_jsonl(folder: Path, passages: Sequence[Passage], docs: Iterable[int]) -> list[Path]:
    """One JSONL file per document; a file whose content is unchanged is not rewritten."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        # ASCII JSON (\uXXXX escapes, json's default): lossless, and the loader's mojibake check
        # (which judges the decoded file text) does not take Word symbol-font glyphs (U+F0FC, 871
        # of MKT's 1,300 non-ASCII characters) for garbled bytes.
        rows = [json.dumps({"id": p.id, "text": p.text, "ref": p.ref}, ensure_ascii=True)
                for p in passages if p.doc == doc and p.text.strip()]  # fmt: skip
        if not rows:
            continue
        path = folder / jsonl_name(doc)
        body = "\n".join(rows) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != body:
            path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def fingerprint(ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:12]


def doc_name(doc: int) -> str:
    return DOC_FILES.get(doc, f"document {doc}")


def summary(questions: Sequence[Question]) -> dict[str, Any]:
    return {"questions": len(questions), "documents": sorted({q.doc for q in questions})}
