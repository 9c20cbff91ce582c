"""PDF basics shared by hard copies and dossier exports.

* Fonts: Bitstream Vera, the TrueType family that ships inside reportlab, embedded
  (subset) in every document; no system fonts, so the output is the same everywhere.
* :func:`drawable`: a character the font has no glyph for (emoji, CJK, ...) becomes a
  visible placeholder with its code point, ``<U+1F600>``, never a silent empty box.
* :func:`para` / :func:`para_lines`: untrusted text as reportlab paragraphs, always
  through :func:`moderator.text.paragraph`, so markup in a message stays text.
* :func:`new_document` and :func:`build`: A4, deterministic output (``invariant=1``:
  the same input gives the same bytes), title/subject/keywords set, and reportlab
  errors (which echo paragraph text) turned into one neutral message.

reportlab has no PDF/A mode; these documents are plain PDF 1.4.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from functools import cache

import reportlab
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from moderator import text
from moderator.errors import ModeratorError

FONT = "ModVera"
FONT_BOLD = "ModVera-Bold"
FONT_ITALIC = "ModVera-Italic"
FONT_BOLD_ITALIC = "ModVera-BoldItalic"
_FONT_FILES = {
    FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf",
    FONT_BOLD_ITALIC: "VeraBI.ttf",
}
FONT_DIR = os.path.join(os.path.dirname(reportlab.__file__), "fonts")

PAGE_SIZE = A4
MARGIN = 18 * mm
CREATOR = "moderator"

# Binary (compressed) streams instead of ASCII85 text: smaller files, faster writes.
rl_config.useA85 = 0


class RenderError(ModeratorError):
    """A document could not be rendered. Never carries the document's text."""


@cache
def register_fonts() -> frozenset[int]:
    """Register the Vera family once; returns the code points the regular face covers."""
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(FONT_DIR, filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD_ITALIC)
    face = pdfmetrics.getFont(FONT).face
    # All four faces share Vera's character set; check against the regular one.
    return frozenset(face.charToGlyph)


def covered(char: str) -> bool:
    return ord(char) in register_fonts()


def drawable(value: str) -> str:
    """Replace every character the font cannot draw by ``<U+XXXX>``.
    Newlines and tabs are kept (layout handles them)."""
    cmap = register_fonts()
    if all(ord(c) in cmap or c in "\n\t" for c in value):
        return value
    return "".join(
        c if (ord(c) in cmap or c in "\n\t") else text.placeholder(c) for c in value)


def safe(value: object) -> str:
    """Untrusted value -> reportlab paragraph markup that shows it literally."""
    return text.paragraph(drawable(text.clean(value)))


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, alignment=TA_LEFT,
                          splitLongWords=1, allowWidows=1, allowOrphans=1,
                          bulletFontName=FONT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", parent=base, fontSize=8, leading=10,
                                textColor=colors.HexColor("#555555")),
        "label": ParagraphStyle("label", parent=base, fontName=FONT_BOLD, fontSize=8.5,
                                leading=11),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=16,
                                leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                             spaceBefore=9, spaceAfter=3, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=12.5,
                             spaceBefore=5, spaceAfter=1, keepWithNext=1),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=6, rightIndent=2,
                                backColor=colors.HexColor("#F0F0F0")),
        "mono": ParagraphStyle("mono", parent=base, fontSize=7.5, leading=9.5),
    }


def para(value: object, style: str = "body") -> Paragraph:
    """One paragraph of untrusted text."""
    return Paragraph(safe(value), styles()[style])


def trusted(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of our own fixed markup (never portal text)."""
    return Paragraph(markup, styles()[style])


def para_lines(value: object, style: str = "quote", empty: str = "(leeg)") -> list[Flowable]:
    """Untrusted multi-line text, one paragraph per line so a long message breaks
    across pages; an empty value shows ``empty`` in italics."""
    cleaned = text.clean(value)
    if not cleaned.strip():
        return [Paragraph(f"<i>{empty}</i>", styles()[style])]
    lines: list[Flowable] = [Paragraph(text.paragraph(drawable(piece)) or "&nbsp;", styles()[style])
                             for line in cleaned.split("\n") for piece in chunks(line)]
    return [spacer(1.2 * mm), *lines, spacer(1.2 * mm)]


CHUNK_CHARS = 2000


def chunks(line: str, size: int | None = None) -> list[str]:
    """A long line in pieces of at most ``size`` characters, cut after a space where
    there is one. reportlab lays out and splits one paragraph in time that grows with
    the square of its length (a 1 MB message would take minutes); pieces keep every
    hard copy to seconds, and the text stays complete and in order."""
    size = size or CHUNK_CHARS
    if len(line) <= size:
        return [line]
    out: list[str] = []
    start = 0
    while start < len(line):
        end = min(start + size, len(line))
        if end < len(line):
            cut = line.rfind(" ", start + size // 2, end)
            if cut != -1:
                end = cut + 1
        out.append(line[start:end])
        start = end
    return out


def _cell(value: object, style: str, room: float) -> Flowable | str:
    """A table cell: a plain string (drawn as is, never parsed, and much cheaper to lay
    out) when the cleaned value is one line that fits, else a wrapping paragraph."""
    if isinstance(value, Flowable):
        return value
    cleaned = text.clean(value)
    if "\n" not in cleaned:
        line = drawable(cleaned)
        st = styles()[style]
        if pdfmetrics.stringWidth(line, st.fontName, st.fontSize) <= room:
            return line
    return Paragraph(text.paragraph(drawable(cleaned)), styles()[style])


def field_table(rows: Iterable[tuple[str, Flowable | str]], label_width: float = 42 * mm,
                width: float | None = None) -> Table:
    """Label/value pairs. Labels are our own plain text (no markup); string values are
    untrusted and shown literally."""
    width = width or (PAGE_SIZE[0] - 2 * MARGIN)
    pad_l, pad_r = 2, 4
    label_room = label_width - pad_l - pad_r
    value_room = width - label_width - pad_l - pad_r
    data = [[_cell(label, "label", label_room), _cell(value, "body", value_room)]
            for label, value in rows]
    label, body = styles()["label"], styles()["body"]
    table = Table(data, colWidths=[label_width, width - label_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (0, -1), label.fontName),
        ("FONTSIZE", (0, 0), (0, -1), label.fontSize),
        ("LEADING", (0, 0), (0, -1), label.leading),
        ("FONTNAME", (1, 0), (1, -1), body.fontName),
        ("FONTSIZE", (1, 0), (1, -1), body.fontSize),
        ("LEADING", (1, 0), (1, -1), body.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), pad_l),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad_r),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#DDDDDD")),
    ]))
    return table


def spacer(height: float = 4 * mm) -> Spacer:
    return Spacer(1, height)


def new_document(buffer: io.BytesIO, *, title: str, subject: str, keywords: list[str],
                 author: str = CREATOR) -> SimpleDocTemplate:
    """An A4 document with metadata; ``invariant=1`` makes the bytes reproducible."""
    register_fonts()
    return SimpleDocTemplate(
        buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
        title=text.one_line(title), subject=text.one_line(subject),
        keywords=[text.one_line(k) for k in keywords], author=text.one_line(author),
        creator=CREATOR, producer=CREATOR, invariant=1, lang="nl-NL",
        initialFontName=FONT, initialFontSize=9.5, initialLeading=12.5,
    )


def footer(left: str) -> Callable:
    """A page callback printing ``left`` (our own text, drawn as a string, not parsed) at
    the foot of each page; :func:`build` adds 'pagina N van M' beside it."""
    left = drawable(text.one_line(left))

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, MARGIN - 2 * mm, left)
        canvas.restoreState()

    return draw


class _NumberedCanvas(Canvas):
    """Holds each page until the end, so every page can say 'pagina N van M'."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawRightString(PAGE_SIZE[0] - MARGIN, MARGIN - 2 * mm,
                                 f"pagina {self._pageNumber} van {total}")
            self.restoreState()
            super().showPage()
        super().save()


def build(doc: SimpleDocTemplate, story: list[Flowable], on_page: Callable | None = None,
          what: str = "document") -> bytes:
    """Build and return the PDF bytes. A reportlab failure becomes a RenderError that
    names only ``what`` and the error type: reportlab messages quote paragraph text,
    which is untrusted and must not reach the terminal."""
    try:
        if on_page is not None:
            doc.build(story, onFirstPage=on_page, onLaterPages=on_page,
                      canvasmaker=_NumberedCanvas)
        else:
            doc.build(story)
    except Exception as error:  # noqa: BLE001 - deliberately neutralised
        raise RenderError(
            f"kon {text.one_line(what)} niet opmaken als pdf ({type(error).__name__})") from None
    return doc.filename.getvalue() if hasattr(doc.filename, "getvalue") else b""
