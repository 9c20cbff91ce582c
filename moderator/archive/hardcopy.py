"""The hard copy: a PDF for the dossier, made before an item is deleted.

It holds everything a director who never saw the portal needs: school, group, the
item (a post with all its comments, or a comment with its post as context), every
revision, the media with the pupils shown and their photo consent, authors and
times, the reports and detector flags with their evidence, the reason with its
policy section, who deleted it and when, the note, the incident number, and the
SHA-256 of the item's verbatim text (also in the document's keywords, so a copy can
be matched to its item without reading the body).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from moderator import clock, labels
from moderator.archive import pdfkit
from moderator.archive.pdfkit import field_table, para, para_lines, safe, spacer, trusted
from moderator.policy.access import Actor
from moderator.policy.catalogue import POLICY_TITLE, REASONS
from moderator.store.items import ItemDetail, item_text
from moderator.text import one_line

ITEM_HASH_KEY = "item-sha256:"
_ITEM_HASH_RE = re.compile(re.escape(ITEM_HASH_KEY) + r"([0-9a-f]{64})")
AUDIT_KEY = "audit:"
_AUDIT_RE = re.compile(re.escape(AUDIT_KEY) + r"(\d+):([0-9a-f]{64})")

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


@dataclass(frozen=True)
class HardCopyFacts:
    """What the deletion adds to the item: why, by whom, when, where it is filed."""

    reason: str
    deleter: Actor
    deleted_at: str
    note: str | None
    incident_number: str
    audit_seq: int
    audit_hash: str


def item_sha256(detail: ItemDetail) -> str:
    """SHA-256 of the item's verbatim text (:func:`moderator.store.items.item_text`)."""
    return hashlib.sha256(item_text(detail).encode("utf-8")).hexdigest()


def embedded_item_hash(keywords: str | None) -> str | None:
    """The item hash from a hard copy's keywords metadata, if present."""
    found = _ITEM_HASH_RE.search(keywords or "")
    return found.group(1) if found else None


def embedded_audit_head(keywords: str | None) -> tuple[int, str] | None:
    """The audit chain head (sequence, hash) printed on a hard copy, from its keywords."""
    found = _AUDIT_RE.search(keywords or "")
    return (int(found.group(1)), found.group(2)) if found else None


def when(value: str | None) -> str:
    """A timestamp the Dutch way: '20 november 2026, 15:30 (UTC+01:00)'."""
    if not value:
        return "onbekend"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return one_line(value)
    if moment.tzinfo is not None:
        moment = clock.local(moment)
    offset = moment.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}{zone}"


def _person(name: str, role: str | None) -> str:
    label = labels.role(role)
    return f"{name} ({label})" if label else name


def _reason_label(code: str) -> str:
    found = REASONS.get(code)
    return found.label if found else code


def _portal_ids(detail: ItemDetail) -> str:
    """The portal's own ids on one line, so that the police or the portal's vendor can
    match this copy with the portal (the rest of the document names things in words)."""
    parts = [f"school {detail.school_id}", f"groep {detail.group_id}",
             f"{'bericht' if detail.kind == 'post' else 'reactie'} {detail.id}"]
    if detail.post is not None:
        parts.append(f"bij bericht {detail.post.id}")
    parts.append(f"auteur {detail.author_id}")
    parts += [f"reactie {c.id}" for c in detail.comments]
    parts += [f"beeld {m.id}" for m in detail.media]
    return "; ".join(parts)


def _kind(detail: ItemDetail) -> str:
    return "bericht" if detail.kind == "post" else "reactie"


def _summary(detail: ItemDetail, facts: HardCopyFacts, digest: str) -> list[Flowable]:
    reason = REASONS.get(facts.reason)
    deleter_role = labels.account_role(facts.deleter.role)
    rows: list[tuple[str, Flowable | str]] = [
        ("Incident", facts.incident_number),
        ("School", detail.school_name),
        ("Groep", detail.group_name),
        ("Wat", _kind(detail).capitalize()
                + (", een reactie op een bericht (zie hieronder)" if detail.post else "")),
        ("Geschreven door", _person(detail.author_name, detail.author_role)),
        ("Geplaatst op", when(detail.created_at)),
        ("Reden van verwijdering", _reason_label(facts.reason)),
    ]
    if reason is not None:
        rows.append(("Afspraak", trusted(
            f"{safe(reason.rule)}<br/><font size=7.5 color='#555555'>Bron: "
            f"{safe(POLICY_TITLE)}, {safe(reason.section)}</font>")))
    rows += [
        ("Verwijderd door", f"{facts.deleter.name} ({deleter_role}, account "
                            f"{facts.deleter.username})"),
        ("Verwijderd op", when(facts.deleted_at)),
        ("Toelichting", facts.note if facts.note and facts.note.strip() else "geen"),
        ("Kenmerk van de tekst", trusted(
            f"SHA-256 {digest}<br/><font size=7.5 color='#555555'>Berekend over de "
            "letterlijke tekst van het item (titel, tekst en, bij een bericht, de reacties)."
            "</font>", "mono")),
        ("Auditlog", trusted(
            f"laatste regel vóór verwijdering: nr. {facts.audit_seq}<br/>{facts.audit_hash}",
            "mono")),
        ("Kenmerken in het portaal", trusted(safe(_portal_ids(detail)), "mono")),
    ]
    return [field_table(rows)]


def _text_block(title: str | None, body: str | None) -> list[Flowable]:
    out: list[Flowable] = []
    if title:
        out.append(trusted(f"<b>Titel:</b> {safe(title)}"))
    out.extend(para_lines(body))
    return out


def _post_section(detail: ItemDetail) -> list[Flowable]:
    out: list[Flowable] = [trusted("Het verwijderde bericht", "h2")]
    out.append(para(f"Geplaatst door {_person(detail.author_name, detail.author_role)} "
                    f"op {when(detail.created_at)} in {detail.group_name}. Reageren was "
                    f"{'aan' if detail.comments_enabled else 'uit'}gezet.", "muted"))
    out.extend(_text_block(detail.title, detail.body))
    out.append(trusted(
        f"Reacties bij dit bericht ({len(detail.comments)}); ze worden met het bericht "
        "verwijderd", "h2"))
    if not detail.comments:
        out.append(trusted("<i>Geen reacties.</i>"))
    for comment in detail.comments:
        head = f"Reactie van {comment.author_name}, {when(comment.created_at)}"
        if comment.deleted_at:
            head += f" (al eerder verwijderd op {when(comment.deleted_at)})"
        out.append(KeepTogether([para(head, "h3"), *para_lines(
            comment.body, empty="(tekst staat in een eerdere kopie voor het dossier)"
            if comment.deleted_at else "(leeg)")]))
    return out


def _comment_section(detail: ItemDetail) -> list[Flowable]:
    out: list[Flowable] = [trusted("De verwijderde reactie", "h2")]
    out.append(para(f"Geschreven door {_person(detail.author_name, detail.author_role)} "
                    f"op {when(detail.created_at)}.", "muted"))
    out.extend(para_lines(detail.body))
    post = detail.post
    if post is not None:
        out.append(trusted("Context: het bericht waarop werd gereageerd", "h2"))
        out.append(para("Het bericht is geplaatst door "
                        f"{_person(post.author_name, post.author_role)} op "
                        f"{when(post.created_at)}. Dit bericht blijft staan.", "muted"))
        if post.deleted_at:
            out.append(para(f"(Het bericht is zelf verwijderd op {when(post.deleted_at)}.)",
                            "muted"))
        out.extend(_text_block(post.title, post.body))
    return out


def _revisions(detail: ItemDetail) -> list[Flowable]:
    out: list[Flowable] = [trusted(f"Alle versies ({len(detail.revisions)})", "h2")]
    out.append(trusted(
        "Een versie is de tekst zoals moderator die uit het portaal ontving. "
        "<i>Geplaatst op</i> is de tijd die het portaal opgaf; <i>ontvangen op</i> is het "
        "moment waarop de tekst (of een gewijzigde tekst) hier binnenkwam.", "muted"))
    if not detail.revisions:
        out.append(trusted("<i>Geen eerdere versies vastgelegd.</i>"))
    for rev in detail.revisions:
        out.append(para(f"Versie {rev.rev}, ontvangen uit het portaal op "
                        f"{when(rev.recorded_at)}", "h3"))
        if rev.body and (rev.title, rev.body) == (detail.title, detail.body):
            # The same text as the item above: printed once (a long message twice would
            # double the time to lay it out and the size of the copy).
            out.append(trusted("<i>Gelijk aan de tekst van het bericht hierboven.</i>"))
        else:
            out.extend(_text_block(rev.title, rev.body))
    return out


def _media(detail: ItemDetail) -> list[Flowable]:
    if detail.kind != "post":
        return []
    out: list[Flowable] = [trusted(f"Foto's en video's ({len(detail.media)})", "h2")]
    if not detail.media:
        out.append(trusted("<i>Geen foto's of video's bij dit bericht.</i>"))
        return out
    try:
        year = clock.school_year(clock.parse(detail.created_at))
    except ValueError:
        year = "?"
    for media in detail.media:
        kind = "Foto" if media.kind == "photo" else "Video"
        rows: list[tuple[str, Flowable | str]] = [
            ("Bestand", f"{kind}: {media.file}"),
            ("Kenmerken", ", ".join(labels.media_tag(t) for t in media.tags)
             if media.tags else "geen"),
        ]
        if not media.pupils:
            rows.append(("Leerlingen", "niemand herkend of aangeduid"))
        for pupil in media.pupils:
            consent = {True: "ja", False: "NEE"}.get(pupil.photo_consent, "GEEN formulier")
            rows.append(("Leerling", f"{pupil.name}: toestemming beeld op portaal "
                                     f"{year}: {consent}"))
        out.extend([field_table(rows), spacer(2 * mm)])
    return out


def _flags(detail: ItemDetail) -> list[Flowable]:
    out: list[Flowable] = [trusted(f"Meldingen en signaleringen ({len(detail.flags)})", "h2")]
    out.append(trusted(
        "Een <i>melding</i> komt van een ouder of medewerker via het portaal; een "
        "<i>signalering</i> is een automatische controle op de afspraken.", "muted"))
    if not detail.flags:
        out.append(trusted("<i>Geen.</i>"))
    for flag in detail.flags:
        if flag.source == "report":
            who = f"Melding door {flag.reporter_name or flag.reporter_id or 'onbekend'}"
        else:
            who = "Automatische signalering"
        rows: list[tuple[str, Flowable | str]] = [
            ("Wat", f"{who}, {when(flag.created_at)}"),
            ("Reden", _reason_label(flag.reason)),
            ("Status", ("open; wordt met deze verwijdering afgehandeld" if flag.status == "open"
                        else labels.flag_status(flag.status))),
        ]
        if flag.note:
            rows.append(("Toelichting", flag.note))
        for ev in flag.evidence if isinstance(flag.evidence, list) else []:
            if isinstance(ev, dict):
                where = (f", tekens {ev['start'] + 1} t/m {ev['end']}"
                         if isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int)
                         else "")
                rows.append(("Gevonden", f"«{ev.get('text', '')}» "
                                         f"({_reason_label(ev.get('reason', flag.reason))}"
                                         f"{where})"))
        out.extend([field_table(rows), spacer(2 * mm)])
    return out


def render_hardcopy(detail: ItemDetail, facts: HardCopyFacts,
                    digest: str | None = None) -> bytes:
    """The PDF bytes. Deterministic: the same item and facts give the same bytes."""
    digest = digest or item_sha256(detail)
    kind = _kind(detail)
    buffer = io.BytesIO()
    doc = pdfkit.new_document(
        buffer,
        title=f"Kopie voor het dossier {facts.incident_number}: {kind} {detail.id}",
        subject=f"Verwijderd {kind}, {detail.school_name}, {detail.group_name}, "
                f"reden: {_reason_label(facts.reason)}",
        # Our own fields first: an item id cannot smuggle in a hash that is found earlier.
        keywords=[f"{ITEM_HASH_KEY}{digest}", f"{AUDIT_KEY}{facts.audit_seq}:{facts.audit_hash}",
                  f"reason:{facts.reason}", facts.incident_number, detail.item],
        author=facts.deleter.name,
    )
    story: list[Flowable] = [
        trusted(f"Kopie voor het dossier: verwijderd{'e' if kind == 'reactie' else ''} "
                f"{kind}", "title"),
        trusted(
            "Dit document legt vast wat er uit het ouderportaal is verwijderd, waarom, door "
            "wie en wanneer. Teksten staan er letterlijk in; een teken dat het lettertype "
            "niet kan tonen staat er als &lt;U+code&gt;.", "muted"),
        spacer(3 * mm),
        *_summary(detail, facts, digest),
        *(_post_section(detail) if detail.kind == "post" else _comment_section(detail)),
        *_revisions(detail),
        *_media(detail),
        *_flags(detail),
    ]
    pdfkit.build(doc, story, pdfkit.footer(
        f"{facts.incident_number} · kopie voor het dossier"),
        what=f"hard copy of {detail.item}")
    return buffer.getvalue()
