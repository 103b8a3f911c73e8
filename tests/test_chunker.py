from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.settings import ChunkingSettings
from evals.pdf_render import rulebook_pdf
from ingest.chunker import chunk_document
from ingest.loaders import load
from ingest.model import Document, Line

CFG = ChunkingSettings()


def by_ref(chunks):  # type: ignore[no-untyped-def]
    out: dict = {}
    for c in chunks:
        out.setdefault(c.ref, []).append(c)
    return out


def test_rulebook_pdf_chunks_carry_refs_flags_and_pages(tmp_path: Path) -> None:
    doc = load(rulebook_pdf(tmp_path / "aml.pdf"))
    chunks = chunk_document(doc, CFG)
    refs = by_ref(chunks)
    assert list(refs) == ["AML 6.1.1", "AML 6.1.2", "AML 6.1.3", "AML 11-1.1", "AML 13.1.3"]
    rule, guidance = refs["AML 6.1.1"]
    assert (
        not rule.is_guidance
        and "(a-a) for an occasional transaction in Digital Assets" in rule.text
    )
    assert guidance.is_guidance and "linked transactions" in guidance.text
    assert refs["AML 6.1.2"][0].repealed and not rule.repealed
    spanning = refs["AML 6.1.3"][0]
    assert spanning.pages == (1, 2) and spanning.page_labels == ("AML-1", "AML-2")
    assert "normal conduct of business" in spanning.text
    assert refs["AML 11-1.1"][0].heading_path == ("CHAPTER 11-1 TRANSFER OF DIGITAL ASSETS",)
    assert refs["AML 13.1.3"][0].pages == (2,)
    for c in chunks:
        assert c.text in doc.text and "Page 1 of 2" not in c.text


def test_long_rule_splits_at_paragraphs_and_every_piece_keeps_its_ref() -> None:
    paras = [
        f"({i}) " + "A Relevant Person must keep records of the matter. " * 6 for i in range(1, 9)
    ]
    text = "## AML 14.5.1 Record keeping\n\n" + "\n".join(paras)
    doc = _doc(text, markdown=True)
    chunks = chunk_document(doc, ChunkingSettings(max_chars=700))
    assert len(chunks) > 2
    assert all(c.ref == "AML 14.5.1" and len(c.text) <= 700 for c in chunks)
    assert all(c.text.lstrip("# ").startswith(("(", "AML")) for c in chunks)  # paragraph boundaries


def test_markdown_guidance_heading_attaches_to_rule_and_prose_is_not_a_heading() -> None:
    text = ("# Digest\n\n## COB 8.2.1 Client Money\n\nCOB 8.2 contains the Client Money Rules.\n\n"
            "### Guidance\n\nFirms should reconcile.\n\n## COB 17 [intentionally omitted]\n")  # fmt: skip
    chunks = chunk_document(_doc(text, markdown=True), CFG)
    got = [(c.ref, c.is_guidance, c.repealed) for c in chunks]
    assert got == [("COB 8.2.1", False, False), ("COB 8.2.1", True, False), ("COB 17", False, True)]


def test_policy_is_chunked_by_its_own_clauses() -> None:
    text = "# Policy\n\n## 7. Record keeping\n\n7.1 Records are kept.\n\n7.2 Records are kept for five years.\n"
    chunks = chunk_document(_doc(text, markdown=True, kind="policy"), CFG)
    assert [c.ref for c in chunks] == ["Clause 7.1", "Clause 7.2"]
    assert chunks[1].heading_path[-1] == "7. Record keeping"


def test_bundled_corpus_chunks_are_verbatim_and_referenced() -> None:
    root = Path(__file__).resolve().parent.parent / "corpus" / "aifc"
    doc = load(root / "aml.md")
    chunks = chunk_document(doc, CFG)
    refs = {c.ref for c in chunks}
    assert {"AML 6.1.1(a-a)", "AML 11-1.1", "AML 13.1.3", "AML 14.5.1"} <= refs
    assert all(c.text in doc.text for c in chunks)
    guidance = [c for c in chunks if c.is_guidance]
    assert {c.ref for c in guidance} == {"AML 11-1.2", "AML 13.1.3"}
    assert not any(c.repealed for c in chunks)


def _doc(text: str, *, markdown: bool = False, kind: str = "rules") -> Document:
    lines, pos = [], 0
    for raw in text.split("\n"):
        level = len(raw) - len(raw.lstrip("#")) if markdown and raw.startswith("#") else 0
        lines.append(Line(pos, pos + len(raw), None, None, level))
        pos += len(raw) + 1
    return Document(
        "d1", "T", "t.md", kind, "AML", None, "h", "markdown", text=text, lines=tuple(lines)
    )


_line = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=120),
    st.sampled_from(["6.1.1 Rule title", "Guidance", "(1) para", "## AML 2.1 X", "CHAPTER 3 THINGS",
                     "6.1.2 [intentionally omitted]", "", "- bullet"]),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_line, max_size=40), st.sampled_from(["rules", "policy"]), st.booleans())
def test_chunker_never_crashes_and_chunks_are_substrings(
    lines: list[str], kind: str, md: bool
) -> None:
    text = "\n".join(lines)
    doc = _doc(text, markdown=md, kind=kind)
    for c in chunk_document(doc, ChunkingSettings(max_chars=200, min_chars=20)):
        assert c.text and c.text in text and len(c.text) <= 200
