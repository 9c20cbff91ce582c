"""The dossier export: one PDF per incident.

Layout: a cover (school, group, person, status, level, dates, the list of hard copies
and of letters with their SHA-256), the timeline, then every hard copy's and every
letter's pages appended unchanged (letters are listed as ``letter-sha256:<hex>``).
Each original hard-copy file is also embedded as a file attachment, byte for byte, so
its SHA-256 can be checked against the cover and against the store
(:func:`verify_export`). The hashes are in the document's keywords as well
(``hardcopy-sha256:<hex>``), for machines.

:func:`moderator.services.dossier.export_incident` writes it durably (temp, fsync,
rename, read-only) next to the hard copies, at :func:`export_path`
(``archives/<school>/<year>/<incident>/export-<timestamp>.pdf``), and records it in the
``exports`` table, the access log and the audit log.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from moderator import labels
from moderator.archive import pdfkit
from moderator.archive.hardcopy import when
from moderator.archive.pdfkit import field_table, para, para_lines, spacer, trusted
from moderator.errors import Conflict, ModeratorError, NotFound
from moderator.policy import measures
from moderator.policy.access import Actor
from moderator.policy.catalogue import POLICY_TITLE, REASONS
from moderator.store import outbox
from moderator.store.db import Store
from moderator.store.incidents import Hardcopy, IncidentDetail
from moderator.text import one_line

HARDCOPY_KEY = "hardcopy-sha256:"
_HARDCOPY_RE = re.compile(re.escape(HARDCOPY_KEY) + r"([0-9a-f]{64})")
LETTER_KEY = "letter-sha256:"
_LETTER_RE = re.compile(re.escape(LETTER_KEY) + r"([0-9a-f]{64})")



@dataclass(frozen=True)
class HardcopyText:
    """A hard copy's text for reading inside the console."""

    hardcopy: Hardcopy
    text: str
    intact: bool           # the file exists and matches its recorded SHA-256
    problem: str | None


def hardcopy_path(store: Store, hardcopy: Hardcopy) -> Path:
    return store.archives / hardcopy.path


def _read_checked(store: Store, hardcopy: Hardcopy) -> bytes:
    path = hardcopy_path(store, hardcopy)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"hard copy {hardcopy.path} is missing from the archive") from None
    if hashlib.sha256(data).hexdigest() != hardcopy.sha256:
        raise Conflict(f"hard copy {hardcopy.path} does not match its recorded SHA-256; "
                       "run 'moderator verify'")
    return data


def _read_letter(store: Store, letter) -> bytes:
    try:
        data = (store.archives / letter.pdf_path).read_bytes()
    except FileNotFoundError:
        raise NotFound(f"letter {letter.pdf_path} is missing from the archive") from None
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise Conflict(f"letter {letter.pdf_path} does not match its recorded SHA-256; "
                       "run 'moderator verify'")
    return data


def hardcopy_text(store: Store, hardcopy: Hardcopy) -> HardcopyText:
    """The text of a hard copy as pypdf extracts it from the archived file. Untrusted:
    show it through moderator.text."""
    try:
        data = _read_checked(store, hardcopy)
    except (NotFound, Conflict) as error:
        return HardcopyText(hardcopy, "", False, str(error))
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [_layout_text(page) for page in reader.pages]
    except Exception as error:  # noqa: BLE001 - a broken PDF is reported, not raised
        return HardcopyText(hardcopy, "", True,
                            f"De PDF kon niet worden gelezen ({type(error).__name__})")
    return HardcopyText(hardcopy, "\n\n".join(p for p in pages if p), True, None)


def _layout_text(page) -> str:
    """A page's text with its layout (label columns of the tables) kept; no runs of
    blank lines, no trailing spaces."""
    try:
        raw = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # noqa: BLE001 - older or odd PDFs: plain extraction
        raw = page.extract_text() or ""
    lines = [line.rstrip() for line in raw.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    # the common indent is noise
    indent = min((len(x) - len(x.lstrip()) for x in out if x), default=0)
    return "\n".join(x[indent:] for x in out)


# -- the cover and the timeline ----------------------------------------------------------------

def when_day(value: str) -> str:
    """Like :func:`when`, but a bare date stays a date: '24 november 2026'."""
    if len(value) == 10:
        return when(value + "T00:00:00").split(",")[0]
    return when(value)


def _fields(detail: IncidentDetail, actor: Actor, exported_at: str) -> list[tuple[str, str]]:
    inc = detail.incident
    rows = [
        ("Dossier", inc.number),
        ("School", inc.school_name),
        ("Groep", inc.group_name or "geen"),
        ("Betreft", inc.person_name or "onbekend"),
        ("Status", inc.status_label),
        ("Niveau", inc.level_label),
        ("Geopend", f"{when(inc.opened_at)} door {inc.opened_by_label}"),
    ]
    if inc.closed_at:
        rows.append(("Gesloten", when(inc.closed_at)))
        rows.append(("Uitkomst", inc.outcome or ""))
    if inc.retention_until:
        rows.append(("Bewaren tot", when(inc.retention_until)))
    if inc.legal_hold:
        rows.append(("Bewaarplicht", detail.legal_hold_reason or "ja"))
    rows.append(("Geëxporteerd", f"{when(exported_at)} door {actor.name} ({actor.username})"))
    return rows


def _item_words(item: str) -> str:
    """'post:ID' as 'bericht (kenmerk ID in het portaal)': the kind in words; the
    portal's own id for matching stays, without the code prefix."""
    kind, _, item_id = item.partition(":")
    words = {"post": "bericht", "comment": "reactie"}.get(kind, "item")
    return f"{words} (kenmerk {item_id} in het portaal)" if item_id else words


def _hardcopy_table(detail: IncidentDetail) -> list[Flowable]:
    out: list[Flowable] = [trusted("Hard copies in het dossier", "h2")]
    if not detail.hardcopies:
        return [*out, trusted("<i>Geen hard copies.</i>", "muted")]
    out.append(trusted(
        "Elke hard copy staat hierna ongewijzigd en is bovendien als bijlage in dit bestand "
        "ingesloten. De SHA-256 van de bijlage moet gelijk zijn aan de waarde hieronder.",
        "muted"))
    for n, hc in enumerate(detail.hardcopies, start=1):
        reason = REASONS.get(hc.reason)
        out.append(KeepTogether([
            trusted(f"Hard copy {n}", "h3"),
            field_table([
                ("Wat", _item_words(hc.item)),
                ("Reden", reason.label if reason else hc.reason),
                ("Gemaakt", f"{when(hc.created_at)} door {hc.created_by}"),
                ("Bestand", f"{hc.path} ({hc.size} bytes)"),
                ("SHA-256", para(hc.sha256, "mono")),
            ]),
        ]))
    return out


def _letter_table(detail: IncidentDetail) -> list[Flowable]:
    out: list[Flowable] = [trusted("Brieven in het dossier", "h2")]
    if not detail.letters:
        return [*out, trusted("<i>Geen brieven.</i>", "muted")]
    out.append(trusted(
        "Elke brief staat hierna ongewijzigd en is als bijlage ingesloten, met de SHA-256 "
        "hieronder.", "muted"))
    for letter in detail.letters:
        delivery = labels.letter_status(letter.status)
        if letter.sent_at:
            delivery += f" ({when_day(letter.sent_at)})"
        if letter.error:
            delivery += f": {letter.error}"
        out.append(KeepTogether([
            trusted(f"Brief {letter.number}", "h3"),
            field_table([
                ("Onderwerp", letter.subject),
                ("Aan", f"{letter.recipient_name} "
                        f"({labels.letter_recipient(letter.recipient_kind)})"),
                ("Gemaakt", f"{when(letter.created_at)} door {letter.created_by}"),
                ("Verzending", delivery),
                ("Bestand", f"{letter.pdf_path} ({letter.size} bytes)"),
                ("SHA-256", para(letter.sha256, "mono")),
            ]),
        ]))
    return out


def _event_block(detail: IncidentDetail, n: int) -> Flowable:
    event = detail.events[n]
    number = {e.id: i for i, e in enumerate(detail.events, start=1)}
    rows: list[tuple[str, str]] = [("Wanneer", when_day(event.at)),
                                   ("Vastgelegd door", f"{event.author_name} ({event.author})")]
    if event.participants:
        rows.append(("Aanwezig", ", ".join(event.participants)))
    if event.measure:
        scope = measures.MEASURES.get(event.measure)
        rows.append(("Maatregel", f"{event.measure_label}"
                     + (f" ({measures.SCOPE_LABELS[scope.scope]})" if scope else "")))
    if event.refers_to is not None:
        rows.append(("Corrigeert", f"aantekening {number.get(event.refers_to, '?')}"))
    if event.corrected_by:
        rows.append(("Gecorrigeerd in", ", ".join(
            f"aantekening {number.get(i, '?')}" for i in event.corrected_by)))
    if event.detail.get("without_conversation"):
        rows.append(("Geen gesprek met de ouder, omdat", event.detail["without_conversation"]))
    if event.kind == "deletion" and event.detail.get("note"):
        rows.append(("Toelichting bij de verwijdering", str(event.detail["note"])))
    if event.recorded_at[:16] != event.at[:16]:
        rows.append(("Vastgelegd op", when(event.recorded_at)))
    return KeepTogether([
        trusted(f"{n + 1}. {event.kind_label}", "h3"),
        field_table(rows),
        *para_lines(event.text, "quote"),
    ])


def render_export_cover(detail: IncidentDetail, actor: Actor, exported_at: str,
                        portal_lines: Sequence[str] = ()) -> bytes:
    inc = detail.incident
    buffer = io.BytesIO()
    doc = pdfkit.new_document(
        buffer,
        title=f"Dossier {inc.number}",
        subject=f"Dossier {inc.number}, {inc.school_name}, status {inc.status}, niveau {inc.level}",
        keywords=[inc.number, *(f"{HARDCOPY_KEY}{hc.sha256}" for hc in detail.hardcopies),
                  *(f"{LETTER_KEY}{x.sha256}" for x in detail.letters)],
        author=actor.name,
    )
    story: list[Flowable] = [
        trusted(f"Dossier {inc.number}", "title"),
        trusted(
            f"Export van het incidentdossier volgens de {POLICY_TITLE}, onderdeel Borging en "
            "Handhaving. Teksten staan er letterlijk in; een teken dat het lettertype niet "
            "kan tonen staat er als &lt;U+code&gt;.", "muted"),
        spacer(3 * mm),
        field_table(_fields(detail, actor, exported_at)),
        *_hardcopy_table(detail),
        *_letter_table(detail),
        trusted("Tijdlijn", "h2"),
    ]
    if detail.events:
        story.extend(_event_block(detail, n) for n in range(len(detail.events)))
    else:
        story.append(trusted("<i>Geen aantekeningen.</i>", "muted"))
    if portal_lines:
        story.append(trusted("In het portaal", "h2"))
        story.extend(para(line) for line in portal_lines)
    pdfkit.build(doc, story, pdfkit.footer(f"{inc.number} · dossier · export"),
                 what=f"dossier export of {inc.number}")
    return buffer.getvalue()


# -- assembling and writing --------------------------------------------------------------------

def _attachment_name(n: int, hardcopy: Hardcopy) -> str:
    base = one_line(PurePosixPath(hardcopy.path).name, 80) or "kopie.pdf"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", base)
    return f"kopie-{n}-{safe}"


def build_export(store: Store, detail: IncidentDetail, actor: Actor, exported_at: str) -> bytes:
    """The export PDF's bytes: cover and timeline, hard copies appended and attached."""
    originals = [(hc, _read_checked(store, hc)) for hc in detail.hardcopies]
    letters = [(x, _read_letter(store, x)) for x in detail.letters]
    actions = outbox.actions_for_incident(store, detail.incident.number)
    cover = render_export_cover(detail, actor, exported_at,
                                [labels.portal_action_line(a) for a in actions])
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    for n, (hc, data) in enumerate(originals, start=1):
        start = len(writer.pages)
        try:
            writer.append(PdfReader(io.BytesIO(data)))
        except Exception as error:  # noqa: BLE001 - the bytes are still attached below
            raise ModeratorError(
                f"hard copy {hc.path} could not be appended ({type(error).__name__})") from None
        if len(writer.pages) > start:
            writer.add_outline_item(title=f"Hard copy {n}: {_item_words(hc.item)[:60]}",
                                   page_number=start)
        writer.add_attachment(_attachment_name(n, hc), data)
    for letter, data in letters:
        start = len(writer.pages)
        try:
            writer.append(PdfReader(io.BytesIO(data)))
        except Exception as error:  # noqa: BLE001
            raise ModeratorError(
                f"letter {letter.pdf_path} could not be appended ({type(error).__name__})") from None
        if len(writer.pages) > start:
            writer.add_outline_item(title=f"Brief {letter.number}", page_number=start)
        writer.add_attachment(f"brief-{re.sub(r'[^A-Za-z0-9._-]', '_', letter.number)}.pdf", data)
    inc = detail.incident
    writer.add_metadata({
        "/Title": f"Dossier {inc.number}",
        "/Subject": f"Dossier {inc.number}",
        "/Keywords": " ".join([inc.number, *(f"{HARDCOPY_KEY}{hc.sha256}" for hc, _ in originals),
                               *(f"{LETTER_KEY}{x.sha256}" for x, _ in letters)]),
        "/Creator": pdfkit.CREATOR,
        "/Producer": pdfkit.CREATOR,
    })
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _export_folder(detail: IncidentDetail) -> PurePosixPath:
    """Next to the hard copies; else archives/<school>/<year>/<incident>."""
    if detail.hardcopies:
        return PurePosixPath(detail.hardcopies[0].path).parent
    inc = detail.incident
    year = inc.number.split("-")[1] if inc.number.count("-") >= 2 else inc.opened_at[:4]
    return PurePosixPath(inc.school_id) / year / inc.number


def export_path(store: Store, detail: IncidentDetail, now: datetime) -> PurePosixPath:
    """Where a new export of the dossier goes, relative to the archive folder: next to
    its hard copies, ``export-<timestamp>.pdf``, numbered on when that name is taken."""
    folder = _export_folder(detail)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    rel = folder / f"export-{stamp}.pdf"
    n = 2
    while (store.archives / rel).exists():
        rel = folder / f"export-{stamp}-{n}.pdf"
        n += 1
    return rel


# -- checking an export ------------------------------------------------------------------------

def export_hashes(path: str | Path) -> tuple[list[str], dict[str, str]]:
    """(hashes listed in the export's keywords, {attachment name: sha256 of its bytes})."""
    reader = PdfReader(str(path))
    keywords = (reader.metadata or {}).get("/Keywords") or ""
    listed = _HARDCOPY_RE.findall(str(keywords))
    attached = {
        name: hashlib.sha256(content).hexdigest()
        for name, contents in reader.attachments.items() for content in contents
    }
    return listed, attached


def verify_export(path: str | Path, expected: list[str] | None = None) -> list[str]:
    """Problems with an export: an attachment whose hash is not listed, a listed hash with
    no attachment, or (with ``expected``, the store's hashes) a difference from the store."""
    try:
        listed, attached = export_hashes(path)
    except Exception as error:  # noqa: BLE001
        return [f"{path}: not a readable PDF ({type(error).__name__})"]
    try:
        keywords = str((PdfReader(str(path)).metadata or {}).get("/Keywords") or "")
    except Exception:  # noqa: BLE001 - already read once above
        keywords = ""
    letters = _LETTER_RE.findall(keywords)
    problems = []
    for digest in letters:
        if digest not in attached.values():
            problems.append(f"{path}: letter {digest} listed but not attached")
    for name, digest in sorted(attached.items()):
        if digest not in listed and digest not in letters:
            problems.append(f"{path}: attachment {name} has SHA-256 {digest}, not on the cover")
    for digest in listed:
        if digest not in attached.values():
            problems.append(f"{path}: hard copy {digest} listed but not attached")
    if expected is not None and sorted(expected) != sorted(listed):
        problems.append(f"{path}: hard copies differ from the store")
    return problems
