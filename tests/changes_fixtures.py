"""Two versions of a rulebook with planted changes, for the change-tracking tests.

``digest_versions`` plants changes in our own AML digest; ``adgm_versions`` renders the real ADGM AML
rulebook (read from ../shared at test time, never stored here) as Markdown, one section per rule,
and plants the same kinds of change. Each returns (old text, new text, planted) where planted maps
each changed rule reference to the kind of change the tracker must report.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGEST_AML = ROOT / "corpus" / "aifc" / "aml.md"
ADGM_AML = ROOT.parent / "shared" / "data" / "obliqa" / "rulebooks-txt" / "AML_VER09.211223.txt"


def _sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Front matter + preamble, then (heading line, body) per '## ' section."""
    parts = re.split(r"(?m)^(?=## )", text)
    head, rest = parts[0], parts[1:]
    return head, [(p.split("\n", 1)[0], p.split("\n", 1)[1] if "\n" in p else "") for p in rest]


def _join(head: str, sections: list[tuple[str, str]]) -> str:
    return head + "".join(f"{h}\n{b}" for h, b in sections)


def _version(text: str, day: str) -> str:
    return re.sub(r"(?m)^version: .*$", f'version: "{day}"', text, count=1)


def digest_versions() -> tuple[str, str, dict[str, str]]:
    old = _version(DIGEST_AML.read_text(), "2024-01-01")
    head, secs = _sections(old)
    new_secs: list[tuple[str, str]] = []
    for h, body in secs:
        if h.startswith("## AML 6.1.1(a-a)"):  # a figure amended
            h, body = h.replace("USD 1,000", "USD 3,000"), body.replace("USD 1,000", "USD 3,000")
        elif h.startswith("## AML 6.1.2 "):  # a rule deleted
            continue
        elif h.startswith("## AML 14."):  # chapter 14 renumbered as chapter 15
            h = h.replace("## AML 14.", "## AML 15.")
            body = re.sub(r"\bAML 14\.", "AML 15.", body)
        elif h.startswith("## AML 13.1.3 "):  # its guidance reworded
            body = body.replace("still says", "continues to say", 1)
        new_secs.append((h, body))
        if h.startswith("## AML 6.1.1(b)"):  # a rule inserted
            new_secs.append(("## AML 6.1.1(c) Ongoing monitoring of digital asset transfers",
                             "\nA Relevant Person must monitor each business relationship involving Digital Assets "
                             "on an ongoing basis and keep the results of that monitoring.\n\n"))  # fmt: skip
    new = _version(_join(head, new_secs), "2025-07-01")
    planted = {
        "AML 6.1.1(a-a)": "amended",
        "AML 6.1.2": "repealed",
        "AML 6.1.1(c)": "added",
        "AML 13.1.3 (guidance)": "amended",
    }
    for h, _ in secs:
        if h.startswith("## AML 14."):
            ref = h.split()[1] + " " + h.split()[2]
            planted[ref.replace("AML 14.", "AML 15.")] = "renumbered"
    return old, new, planted


def adgm_markdown(lines: list[str], version: str) -> str:
    """The ADGM rulebook text as Markdown: '# chapter', '## AML <rule>', paragraphs, Guidance."""
    out = ["---", 'title: "ADGM AML Rulebook (test rendering)"', "kind: rules", "rulebook: AML",
           f'version: "{version}"', "---", ""]  # fmt: skip
    in_table = False
    for raw in lines:
        if raw.startswith("/Table Start"):
            in_table = True
            continue
        if raw.startswith("/Table End"):
            in_table = False
            continue
        if in_table or "\t" not in raw:
            continue
        num, text = raw.split("\t", 1)
        num, text = num.strip(), text.replace("\u200e", "").strip()
        if re.fullmatch(r"\d+\.", num):
            out += ["", f"# Chapter {num.rstrip('.')} {text}", ""]
        elif re.fullmatch(r"\d+\.\d+", num):
            out += ["", f"### {text}", ""]
        elif re.fullmatch(r"\d+\.\d+\.\d+", num):
            out += ["", f"## AML {num}", "", text] if text else ["", f"## AML {num}", ""]
        elif re.fullmatch(r"\d+\.\d+\.\d+\.\(\d+\)", num):
            out.append(f"({num.rsplit('(', 1)[1]} {text}")
        elif num.endswith(".Guidance"):
            out += ["", "### Guidance", ""]
        elif ".Guidance." in num:
            out.append(f"{num.rsplit('.Guidance.', 1)[1]} {text}")
        elif re.fullmatch(r"\([a-z]+\)|\([ivx]+\)", num):
            out.append(f"{num} {text}")
    return "\n".join(out) + "\n"


def adgm_versions() -> tuple[str, str, dict[str, str]]:
    lines = ADGM_AML.read_text(encoding="utf-8").splitlines()
    old = adgm_markdown(lines, "2021-12-23")
    head, secs = _sections(old)
    by_ref = {h.split()[2]: i for i, (h, _) in enumerate(secs) if h.startswith("## AML ")}
    planted: dict[str, str] = {}
    new_secs = list(secs)
    # a figure amended: the first rule that states a period in years
    fig = next(r for r, i in by_ref.items() if re.search(r"\b(?:five|six|\d+) years\b", secs[i][1]))
    h, b = new_secs[by_ref[fig]]
    new_secs[by_ref[fig]] = (h, re.sub(r"\b(five|six|\d+) years\b", "ten years", b, count=1))
    planted[f"AML {fig}"] = "amended"
    # guidance reworded in the first rule that has guidance, other than the amended one
    gid = next(r for r, i in by_ref.items() if "### Guidance" in secs[i][1] and r != fig)
    h, b = new_secs[by_ref[gid]]
    g_at = b.index("### Guidance")
    new_secs[by_ref[gid]] = (
        h,
        b[:g_at] + re.sub(r"\bshould\b", "are expected to", b[g_at:], count=1),
    )
    planted[f"AML {gid} (guidance)"] = "amended"
    # a rule deleted and a rule inserted, in chapter 8
    deleted = next(r for r in by_ref if r.startswith("8.") and r not in (fig, gid))
    planted[f"AML {deleted}"] = "repealed"
    if "### Guidance" in secs[by_ref[deleted]][1]:
        planted[f"AML {deleted} (guidance)"] = "repealed"
    last8 = max(
        (r for r in by_ref if r.startswith("8.")), key=lambda r: [int(x) for x in r.split(".")]
    )
    # chapter 17 (the last) renumbered as chapter 18
    last_chapter = max(int(r.split(".")[0]) for r in by_ref)
    out: list[tuple[str, str]] = []
    for h, b in new_secs:
        ref = h.split()[2] if h.startswith("## AML ") else None
        if ref == deleted:
            continue
        if ref and ref.split(".")[0] == str(last_chapter):
            new_ref = f"{last_chapter + 1}." + ref.split(".", 1)[1]
            h = h.replace(f"AML {ref}", f"AML {new_ref}", 1)
            planted[f"AML {new_ref}"] = "renumbered"
            if "### Guidance" in b:
                planted[f"AML {new_ref} (guidance)"] = "renumbered"
        out.append((h, b))
        if ref == last8:
            parts = [int(x) for x in last8.split(".")]
            ins = f"8.{parts[1]}.{parts[2] + 1}"
            out.append((f"## AML {ins} Review of digital asset screening tools",
                        "\n(1) A Relevant Person must review the effectiveness of its screening tools for "
                        "Virtual Asset transactions at least once every twelve months.\n\n"))  # fmt: skip
            planted[f"AML {ins}"] = "added"
    head_new = _version(head, "2023-06-01")
    return old, _join(head_new, out), planted
