"""A letter as an A4 PDF: the school's letterhead, the addressee, date and reference,
the subject and the text. Every value is untrusted text and shown literally (through
:mod:`moderator.archive.pdfkit`); the output is deterministic for the same input.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Table, TableStyle

from moderator import clock, text
from moderator.archive import pdfkit
from moderator.archive.pdfkit import para, para_lines, spacer
from moderator.errors import UsageError

LETTER_KEY = "letter:"
LOGO_MAX_W = 40 * mm
LOGO_MAX_H = 22 * mm


@dataclass(frozen=True)
class Letterhead:
    school: str
    address: str = ""
    director: str = ""
    foundation: str = ""
    logo: str | None = None      # path to a PNG or JPEG file


@dataclass(frozen=True)
class LetterPage:
    number: str
    date: str                    # ISO timestamp or date
    recipient: str
    subject: str
    body: str


def check_logo(path: str) -> None:
    """A usable logo image, or a Dutch error naming the file."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{path}: logo niet gevonden")
    try:
        ImageReader(str(file)).getSize()
    except Exception:  # noqa: BLE001 - any failure means "not an image reportlab reads"
        raise UsageError(f"{path}: geen afbeelding die in een brief kan (PNG of JPEG)") from None


def _logo(path: str | None) -> Flowable | None:
    if not path:
        return None
    check_logo(path)
    width, height = ImageReader(path).getSize()
    scale = min(LOGO_MAX_W / width, LOGO_MAX_H / height)
    return Image(path, width=width * scale, height=height * scale)


def _head(head: Letterhead) -> list[Flowable]:
    lines: list[Flowable] = [para(head.school, "title")]
    for line in text.clean(head.address).split("\n"):
        if line.strip():
            lines.append(para(line.strip(), "body"))
    if head.director:
        lines.append(para(f"Directeur: {head.director}", "muted"))
    if head.foundation:
        lines.append(para(head.foundation, "muted"))
    logo = _logo(head.logo)
    if logo is None:
        return lines
    width = pdfkit.PAGE_SIZE[0] - 2 * pdfkit.MARGIN
    table = Table([[lines, logo]], colWidths=[width - LOGO_MAX_W - 4 * mm, LOGO_MAX_W + 4 * mm],
                  hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def paragraphs(body: str) -> list[list[str]]:
    """The body as paragraphs (blocks between blank lines), each a list of its lines;
    every line stays a line (templates write one paragraph per line)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.clean(body).split("\n"):
        if not raw.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(raw.rstrip())
    if current:
        blocks.append(current)
    return blocks


def render_letter(head: Letterhead, page: LetterPage) -> bytes:
    buffer = io.BytesIO()
    doc = pdfkit.new_document(
        buffer, title=page.subject, subject=f"Brief {page.number}",
        keywords=[f"{LETTER_KEY}{page.number}"], author=head.school)
    story: list[Flowable] = [*_head(head), spacer(8 * mm)]
    story.append(para(page.recipient, "body"))
    story.append(spacer(6 * mm))
    story.append(pdfkit.field_table([
        ("Datum", clock.display(page.date[:10]) or page.date),
        ("Kenmerk", page.number),
        ("Onderwerp", page.subject),
    ], label_width=24 * mm))
    story.append(spacer(6 * mm))
    for block in paragraphs(page.body):
        story.append(KeepTogether([para(line.strip(), "body") for line in block])
                     if len(block) <= 6 else para_lines("\n".join(block), "body"))
        story.append(spacer(3 * mm))
    pdfkit.build(doc, story, pdfkit.footer(f"{head.school} · brief {page.number}"),
                 what=f"brief {page.number}")
    return buffer.getvalue()
