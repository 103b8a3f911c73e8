"""Test PDFs built on the fly (reportlab + pypdf): rulebook layout, encrypted, scanned, corrupt."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

RULEBOOK_PAGES: list[list[str]] = [
    [
        "ANTI-MONEY LAUNDERING, COUNTER-TERRORIST FINANCING AND SANCTIONS RULES",
        "CHAPTER 6 CUSTOMER DUE DILIGENCE",
        "6.1.1 When customer due diligence is required",
        "(1) A Relevant Person must undertake Customer Due Diligence for every customer.",
        "(a) for an occasional transaction of USD 15,000 or more; and",
        "(a-a) for an occasional transaction in Digital Assets of USD 1,000 or more.",
        "Guidance",
        "A Relevant Person should treat linked transactions as one transaction.",
        "6.1.2 [intentionally omitted]",
        "6.1.3 Timing of Customer Due Diligence",
        "(1) A Relevant Person must complete Customer Due Diligence before it",
    ],
    [
        "establishes a business relationship with the customer.",
        "(2) Verification may be completed after the relationship is established where",
        "this is necessary not to interrupt the normal conduct of business.",
        "CHAPTER 11-1 TRANSFER OF DIGITAL ASSETS",
        "11-1.1 Digital Asset transfer",
        "(1) An originating Digital Asset Service Provider must immediately and securely",
        "submit the originator and beneficiary information to the beneficiary provider.",
        "13.1.3 Residence of the MLRO",
        "The MLRO must be resident in the Republic of Kazakhstan.",
    ],
]


def build_pdf(pages: list[list[str]], *, header: str | None = None, footer: bool = True,
              labels_prefix: str | None = None) -> bytes:  # fmt: skip
    """A text PDF, one list of lines per page, with optional running header and page footer."""
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _, height = A4
    for n, lines in enumerate(pages, start=1):
        y = height - 50
        if header:
            c.drawString(50, y, header)
            y -= 30
        for line in lines:
            c.drawString(50, y, line)
            y -= 18
        if footer:
            c.drawString(280, 30, f"Page {n} of {len(pages)}")
        c.showPage()
    c.save()
    data = buf.getvalue()
    if labels_prefix is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.set_page_label(0, len(pages) - 1, style="/D", prefix=labels_prefix, start=1)  # type: ignore[arg-type]
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def rulebook_pdf(path: Path) -> Path:
    path.write_bytes(build_pdf(RULEBOOK_PAGES, header="AML Rules (unofficial test copy) - Version 2024",
                               labels_prefix="AML-"))  # fmt: skip
    return path


def encrypted_pdf(path: Path, password: str = "secret") -> Path:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(build_pdf([["Confidential rule text here."]]))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF with a drawing but no text layer, as a scanner produces."""
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(50, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def corrupt_pdf(path: Path) -> Path:
    data = build_pdf(RULEBOOK_PAGES)
    path.write_bytes(data[: len(data) // 3])
    return path


# --------------------------------------------------------------------------------------------
# Real rulebook text (ObliQA ``rulebooks-txt``) rendered in rulebook layout, with a page map.
# --------------------------------------------------------------------------------------------

# ObliQA ids put an appendix's rules under it ("APP1.A1.1.Guidance.1."); the rule is A1.1.
_RULE_OF = re.compile(
    r"^\s*(?:PART\s+|Part\s+|APP\d+\.(?=[A-Z]?\d))?([A-Z]{0,3}\d+[A-Z]?(?:\.\d+[A-Z]?)*)"
)
_TAB_NUMBER = re.compile(r"^[A-Z]{0,3}\d+[A-Z]?(?:\.\S*)?$|^\d+\)(?:\.[a-z]{1,4}\))?$")
_SUB_LABEL = re.compile(r"^\(?([a-zA-Z]{1,5}|\d{1,2})[.)]$")
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv"}
_FALLBACK_CHARS = {"\u200e": "", "\u200f": "", "\u2003": " ", "\u00a0": " ", "≤": "<=", "≥": ">="}

PAGE_W, PAGE_H = A4
MARGIN_X, BODY_X, RIGHT_X = 50.0, 118.0, PAGE_W - 50.0
TOP_Y, BOTTOM_Y = PAGE_H - 78.0, 66.0
LABEL_W, LEVEL_W = 28.0, 26.0


def rule_of(number: str | None) -> str | None:
    """The rule a source provision number belongs to: ``1.2.1.(1)`` and ``1.2.1.Guidance.2.``
    belong to ``1.2.1``; ``9.3.1B.Guidance.1.`` to ``9.3.1B``; ``APP1.A1.1.Guidance.3.`` to
    ``A1.1``; a guidance note's ``12)`` to ``12``."""
    if not number:
        return None
    m = _RULE_OF.match(number)
    return m.group(1) if m else None


@dataclass
class Provision:
    """One numbered line of the source text and what belongs to it (sub-paragraphs, tables)."""

    number: str  # as the source writes it: "1.2.1.(1)", "1.2.1.Guidance.2.", "12)"
    rule: str | None  # the rule it belongs to: "1.2.1", "12"
    text: str
    guidance: bool
    pages: list[int] = field(default_factory=list)


@dataclass
class Printed:
    """One string drawn on a page, in drawing order; ``provision`` is None for page furniture."""

    page: int
    text: str
    provision: int | None


@dataclass
class RenderedRulebook:
    path: Path
    title: str
    abbreviation: str | None
    provisions: list[Provision]
    printed: list[Printed]
    pages: int


@dataclass
class _Block:
    kind: str  # chapter | section | subheading | guidance_heading | para | table | blank
    text: str = ""
    margin: str | None = None  # rule number printed at the left margin
    label: str | None = None  # "(1)", "(a)", "1."
    level: int = 0
    guidance: bool = False
    provision: int | None = None
    rows: list[list[str]] = field(default_factory=list)


def _level_of(label: str, prev_alpha: str | None) -> int:
    core = label.strip("().")
    if core.isdigit():
        return 1
    if core.isupper():
        return 3
    if core in _ROMAN and not (prev_alpha and core in ("i", "v", "x") and prev_alpha < core):
        return 3
    return 2


def parse_rulebook_txt(text: str) -> tuple[list[_Block], list[Provision]]:
    """Source lines (``number<TAB>text``) to layout blocks and provisions."""
    blocks: list[_Block] = []
    provs: list[Provision] = []
    cur: int | None = None
    sub_heading: dict[str, str] = {}
    va_section: str | None = None
    guidance_open = False
    printed_margin: str | None = None
    pending_margin: str | None = None
    prev_alpha: str | None = None
    lines = text.split("\n")
    i = 0

    def new_prov(number: str, body: str, guidance: bool) -> int:
        provs.append(Provision(number.strip(), rule_of(number.strip()), body.strip(), guidance))
        return len(provs) - 1

    def add_text(block: _Block) -> None:
        nonlocal pending_margin, printed_margin
        if pending_margin and block.kind == "para" and block.margin is None:
            block.margin = pending_margin
            printed_margin = pending_margin
            pending_margin = None
        blocks.append(block)

    while i < len(lines):
        raw = lines[i].rstrip()
        i += 1
        s = raw.strip()
        if s.startswith(("/Table Start", "/Figure Start")):
            end = "/Table End" if s.startswith("/Table") else "/Figure End"
            rows: list[list[str]] = []
            while i < len(lines) and not lines[i].strip().startswith(end):
                row = [c.strip() for c in lines[i].split("\t")]
                if any(row):
                    rows.append([c for c in row if c] or [""])
                i += 1
            i += 1
            if rows and end == "/Table End":
                blocks.append(_Block("table", rows=rows, provision=cur))
            else:
                for row in rows:
                    add_text(_Block("para", " ".join(row), level=0, provision=cur,
                                    guidance=guidance_open))  # fmt: skip
            if cur is not None:
                provs[cur].text += "\n" + "\n".join("\t".join(r) for r in rows)
            continue
        if not s:
            blocks.append(_Block("blank"))
            continue
        number, _, body = raw.partition("\t")
        number, body = number.strip(), body.strip()
        if number and not _TAB_NUMBER.match(number) and not _SUB_LABEL.match(number):
            number, body = "", re.sub(r"\s+", " ", s)  # "Country<TAB>Index": text, not a number
        if "\t" not in raw:
            number, body = ("", s) if not _TAB_NUMBER.match(s) or " " in s else (s, "")
        if not number:  # continuation text of the current provision
            add_text(_Block("para", body, level=0 if cur is None else -1, provision=cur,
                            guidance=guidance_open))  # fmt: skip
            if cur is not None:
                provs[cur].text += "\n" + body
            continue
        sub = _SUB_LABEL.match(number) if not re.match(r"^\d+\)", number) or "." in number else None
        if (sub and cur is not None and not re.match(r"^\d+[.)]?$", number.strip("()"))) or (
            sub and number.startswith("(")
        ):
            label = number if number.startswith("(") else f"({number.rstrip('.)')})"
            core = label.strip("()")
            level = _level_of(label, prev_alpha)
            if level == 2:
                prev_alpha = core
            add_text(_Block("para", body, label=label, level=level, provision=cur,
                            guidance=guidance_open))  # fmt: skip
            if cur is not None:
                provs[cur].text += "\n" + f"{number}\t{body}"
            continue
        if (cur is not None and re.fullmatch(r"\d{1,2}\.", number)
                and not (body and body.upper() == body)):  # fmt: skip
            # "1.<TAB>text" inside a provision: a numbered item of it, not a new chapter
            add_text(_Block("para", body, label=number, level=1 if guidance_open else 2,
                            provision=cur, guidance=guidance_open))  # fmt: skip
            provs[cur].text += "\n" + f"{number}\t{body}"
            continue
        # Guidance notes numbered "12)" with a section title (or the text itself) after the tab.
        m = re.match(r"^(\d+)\)(?:\.([a-z]{1,4})\))?$", number)
        if m:
            if m.group(2):  # "166).a)": a lettered item of paragraph 166
                add_text(_Block("para", body, label=f"({m.group(2)})", level=2, provision=cur))
                if cur is not None:
                    provs[cur].text += "\n" + body
                continue
            is_title = body and body.upper() == body and len(body) < 90
            if is_title and body != va_section:
                va_section = body
                blocks.append(_Block("section", body))
            cur = new_prov(number, "" if is_title else body, False)
            blocks.append(_Block("para", "" if is_title else body, margin=f"{m.group(1)}.",
                                 provision=cur))  # fmt: skip
            continue
        rule = rule_of(number) or number
        rest = number[len(rule) :].strip(".").strip()
        parts = [p for p in rest.split(".") if p.strip()]
        # Named sub-headings inside a rule: "2.4.4.Individuals.(a)", "7.2.14.Outsourcing"
        named = [p for p in parts if not p.startswith("(") and not p.startswith("Guidance")
                 and not p.strip().isdigit()]  # fmt: skip
        if named and sub_heading.get(rule) != named[0].strip():
            sub_heading[rule] = named[0].strip()
            if printed_margin != rule:
                pending_margin = rule
            blocks.append(_Block("subheading", named[0].strip()))
        g_idx = next((k for k, p in enumerate(parts) if p.strip().startswith("Guidance")), None)
        depth = rule.count(".") + 1
        if depth < 3 and printed_margin != rule:
            printed_margin = rule  # chapter- and section-level text has no margin number
        if g_idx is not None:
            g_title = parts[g_idx].strip()
            g_tail = parts[g_idx + 1 :]
            g_num = g_title[len("Guidance") :].strip() if g_title[8:].strip().isdigit() else ""
            if g_num:
                g_title, g_tail = "Guidance", [g_num]
            if not g_tail:  # the Guidance heading itself
                title = g_title if g_title != "Guidance" else "Guidance"
                if body and len(body) < 100 and not body.endswith("."):
                    title, body = f"{title}: {body}" if title != "Guidance" else body, ""
                    if not title.lower().startswith("guidance"):
                        title = f"Guidance on {title[0].lower()}{title[1:]}"
                if printed_margin != rule:
                    pending_margin = rule
                cur = new_prov(number, body, True)
                blocks.append(_Block("guidance_heading", title, provision=cur))
                guidance_open = True
                if body:
                    add_text(_Block("para", body, level=1, provision=cur, guidance=True))
                continue
            cur = new_prov(number, body, True)
            if not guidance_open:
                if printed_margin != rule:
                    pending_margin = rule
                blocks.append(_Block("guidance_heading", "Guidance", provision=cur))
                guidance_open = True
            g_label = f"{g_tail[-1].strip()}." if g_tail[-1].strip() else None
            add_text(_Block("para", body, label=g_label, level=1, provision=cur, guidance=True))
            prev_alpha = None
            continue
        guidance_open = False
        paras = [p.strip() for p in parts if p.strip().startswith("(") or p.strip().isdigit()]
        if not paras and not named and depth == 1 and (not body or body.upper() == body):
            blocks.append(_Block("chapter", f"{rule}. {body}".strip() if not rule.startswith("APP")
                                 else f"{rule} {body}".strip()))  # fmt: skip
            cur = new_prov(number, body, False)
            blocks[-1].provision = cur
            printed_margin = pending_margin = None
            continue
        if (
            not paras
            and not named
            and depth == 2
            and body
            and len(body) < 100
            and not body.endswith(".")
        ):
            blocks.append(_Block("section", f"{rule} {body}", provision=None))
            cur = new_prov(number, body, False)
            blocks[-1].provision = cur
            printed_margin = pending_margin = None
            continue
        cur = new_prov(number, body, False)
        prev_alpha = None
        if paras:
            label = paras[-1] if paras[-1].startswith("(") else f"{paras[-1]}."
            if printed_margin != rule:
                pending_margin = rule
            add_text(_Block("para", body, label=label, level=1, provision=cur))
            continue
        if named and not body:
            continue
        if not body:  # "1.1.1<TAB>": the number prints beside the first paragraph
            pending_margin = rule
            continue
        pending_margin = None
        printed_margin = rule
        blocks.append(_Block("para", body, margin=rule, provision=cur))
    return blocks, provs


class _Layout:
    """Places blocks line by line on A4 pages and records every drawn string."""

    def __init__(
        self, c: canvas.Canvas, header: str, footer: str, fonts: dict[str, str], joined: bool
    ) -> None:
        self.c, self.header, self.footer, self.fonts = c, header, footer, fonts
        self.joined = joined
        self.page = 0
        self.open = False
        self.y = TOP_Y
        self.printed: list[Printed] = []
        self._face = {name: pdfmetrics.getFont(font) for name, font in fonts.items()}

    def clean(self, text: str, font: str) -> str:
        face = self._face[font].face
        out = []
        for ch in text:
            if ch in _FALLBACK_CHARS:
                out.append(_FALLBACK_CHARS[ch])
            elif ch == "\t":
                out.append(" ")
            elif ord(ch) < 32:
                continue
            elif ord(ch) in face.charToGlyph:
                out.append(ch)
            else:
                out.append("?")
        return re.sub(r" {2,}", " ", "".join(out)).strip()

    def start_page(self) -> None:
        self.page += 1
        self.open = True
        self.y = TOP_Y
        c = self.c
        c.setFont(self.fonts["regular"], 8)
        c.drawString(MARGIN_X, PAGE_H - 48, self.header)
        self.printed.append(Printed(self.page, self.header, None))
        c.setLineWidth(0.5)
        c.line(MARGIN_X, PAGE_H - 54, RIGHT_X, PAGE_H - 54)

    def end_page(self) -> None:
        c = self.c
        c.line(MARGIN_X, 52, RIGHT_X, 52)
        c.setFont(self.fonts["regular"], 8)
        c.drawString(MARGIN_X, 40, self.footer)
        c.drawRightString(RIGHT_X, 40, str(self.page))
        self.printed.append(Printed(self.page, self.footer, None))
        self.printed.append(Printed(self.page, str(self.page), None))
        c.showPage()
        self.open = False

    def need(self, height: float) -> None:
        if not self.open:
            self.start_page()
        elif self.y - height < BOTTOM_Y:
            self.end_page()
            self.start_page()

    def draw(self, x: float, text: str, font: str, size: float, prov: int | None) -> None:
        self.draw_line([(x, text, font, size)], prov)

    def draw_line(self, items: list[tuple[float, str, str, float]], prov: int | None) -> None:
        """Strings on one baseline, in one text object (as word processors write them)."""
        items = [it for it in items if it[1]]
        if not items:
            return
        if not self.joined:  # one text object per string: extractors put each on its own line
            for x, text, font, size in items:
                self.c.setFont(self.fonts[font], size)
                self.c.drawString(x, self.y, text)
                self.printed.append(Printed(self.page, text, prov))
            return
        t = self.c.beginText()
        for x, text, font, size in items:
            t.setTextOrigin(x, self.y)
            t.setFont(self.fonts[font], size)
            t.textOut(text)
            self.printed.append(Printed(self.page, text, prov))
        self.c.drawText(t)

    def lines(self, text: str, font: str, size: float, width: float) -> list[str]:
        return simpleSplit(self.clean(text, font), self.fonts[font], size, width) or [""]

    def paragraph(self, blk: _Block, text_x: float, label_x: float, leading: float = 13.0) -> None:
        font = "italic" if blk.guidance else "regular"
        wrapped = self.lines(blk.text, font, 10, RIGHT_X - text_x)
        for n, line in enumerate(wrapped):
            self.need(leading if n else leading * (2 if len(wrapped) > 1 else 1))
            items = []
            if n == 0 and blk.margin:
                items.append((MARGIN_X, blk.margin, "bold", 10.0))
            if n == 0 and blk.label:
                items.append((label_x, self.clean(blk.label, font), font, 10.0))
            self.draw_line([*items, (text_x, line, font, 10.0)], blk.provision)
            self.y -= leading

    def table(self, blk: _Block) -> None:
        ncols = max(len(r) for r in blk.rows)
        width = (RIGHT_X - BODY_X) / ncols
        for row in blk.rows:
            cells = [self.lines(cell, "regular", 9, width - 8) for cell in row]
            height = max(len(c) for c in cells) * 11.0 + 6
            if height > TOP_Y - BOTTOM_Y:  # a row taller than a page: print it as lines
                for cell in cells:
                    for line in cell:
                        self.need(11)
                        self.draw(BODY_X + 4, line, "regular", 9, blk.provision)
                        self.y -= 11
                continue
            self.need(height)
            top = self.y + 9
            for k in range(max(len(c) for c in cells)):
                row_items = [(BODY_X + j * width + 4, cell[k], "regular", 9.0)
                             for j, cell in enumerate(cells) if k < len(cell)]  # fmt: skip
                self.draw_line(row_items, blk.provision)
                self.y -= 11
            self.y -= 6
            self.c.rect(BODY_X, self.y + 9, RIGHT_X - BODY_X, top - self.y - 9)
            for j in range(1, ncols):
                self.c.line(BODY_X + j * width, self.y + 9, BODY_X + j * width, top)


def _register_fonts() -> dict[str, str]:
    import reportlab
    from reportlab.pdfbase.ttfonts import TTFont

    root = Path(reportlab.__file__).parent / "fonts"
    names = {"regular": "Vera.ttf", "bold": "VeraBd.ttf", "italic": "VeraIt.ttf",
             "bolditalic": "VeraBI.ttf"}  # fmt: skip
    out = {}
    for key, file in names.items():
        font = f"RA-{file[:-4]}"
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(font, str(root / file)))
        out[key] = font
    return out


def render_rulebook(source: Path, out: Path, *, title: str, abbreviation: str | None = None,
                    version: str = "", joined: bool = True) -> RenderedRulebook:  # fmt: skip
    """Render an ObliQA ``rulebooks-txt`` file as a rulebook PDF: a cover page, rule numbers in
    the margin, ``(1)``/``(a)`` paragraphs indented, Guidance blocks in italics, chapter and
    section headings, ruled tables, a running header and footer; rules flow across pages.
    ``joined`` writes the strings of one baseline (margin number, label, text) in one text
    object, as word processors do, so extractors read them as one line; ``joined=False`` gives
    each its own object, so the number and label come out on lines of their own.
    Returns the provisions with the pages each one is printed on, and every drawn string."""
    blocks, provs = parse_rulebook_txt(source.read_text(encoding="utf-8"))
    fonts = _register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4)
    c.setTitle(title)
    full = f"{title} ({abbreviation})" if abbreviation else title
    footer = f"{abbreviation or 'GUIDANCE'} {version}".strip()
    lay = _Layout(c, f"{full} - FSRA", footer, fonts, joined)
    # Cover page, without running header or footer.
    lay.page = 1
    c.setFont(fonts["bold"], 18)
    for n, line in enumerate(simpleSplit(full.upper(), fonts["bold"], 18, RIGHT_X - MARGIN_X)):
        y = PAGE_H / 2 + 60 - n * 24
        c.drawString(MARGIN_X, y, line)
        lay.printed.append(Printed(1, line, None))
    c.showPage()
    text_x_of = {0: BODY_X}
    for blk in blocks:
        if blk.kind == "blank":
            if lay.page > 1 and lay.y < TOP_Y:
                lay.y -= 4
            continue
        if blk.kind in ("chapter", "section", "subheading", "guidance_heading"):
            size = {"chapter": 12, "section": 11}.get(blk.kind, 10)
            font = "bolditalic" if blk.kind == "guidance_heading" else "bold"
            x = MARGIN_X if blk.kind in ("chapter", "section") else BODY_X
            wrapped = lay.lines(blk.text, font, size, RIGHT_X - x)
            lay.need(size * 1.5 * len(wrapped) + 6 + 40)  # keep with the next lines
            lay.y -= 6 if blk.kind != "chapter" else 10
            for line in wrapped:
                lay.draw(x, line, font, size, blk.provision)
                lay.y -= size * 1.5
            continue
        if blk.kind == "table":
            lay.y -= 4
            lay.table(blk)
            continue
        level = blk.level
        if level < 0:  # continuation: at the indent of the text it continues
            text_x = text_x_of.get(max(text_x_of), BODY_X)
            lay.paragraph(blk, text_x, text_x)
            continue
        label_x = BODY_X + max(0, level - 1) * LEVEL_W
        text_x = label_x + (LABEL_W if blk.label else 0)
        text_x_of = {level: text_x}
        lay.paragraph(blk, text_x, label_x)
    if lay.open:
        lay.end_page()
    c.save()
    for p in lay.printed:
        if p.provision is not None and p.page not in provs[p.provision].pages:
            provs[p.provision].pages.append(p.page)
    return RenderedRulebook(out, title, abbreviation, provs, lay.printed, lay.page)
