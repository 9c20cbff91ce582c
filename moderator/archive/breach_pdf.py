"""The breach register as a Dutch PDF, one section per breach with the fields the
Autoriteit Persoonsgegevens' notification form asks for: the nature of the breach, the
categories and approximate numbers of people and records, likely consequences, measures
taken or proposed, the contact person, the dates of the breach and of its discovery,
and whether the people concerned were informed.

People appear as counts (and in the CSV by id), never by name. Every value the
coordinator typed goes through :mod:`moderator.archive.pdfkit`, so markup stays text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from moderator import clock, labels
from moderator.archive import pdfkit
from moderator.archive.pdfkit import field_table, para, spacer, trusted
from moderator.plural import aantal
from moderator.policy.catalogue import REASONS
from moderator.store.breaches import Breach


def _t(value: str | None) -> str:
    return clock.display(value) if value else "—"


def _or_dash(value: str | None) -> str:
    return value if value and value.strip() else "—"


def _nature(b: Breach) -> str:
    reason = REASONS[b.reason].label if b.reason in REASONS else b.reason
    found = " Het bericht bevatte een geldig burgerservicenummer." if b.bsn else ""
    return ("Inbreuk op de vertrouwelijkheid: een bericht op het ouderportaal maakte"
            f" persoonsgegevens zichtbaar voor de leden van een groep. Verwijderd als:"
            f" {reason}.{found}")


def breach_section(b: Breach, due: Any, school_name: str) -> list[Flowable]:
    categories = ", ".join(labels.breach_category(c) for c in b.categories) or "—"
    people = (f"leerlingen: {len(b.pupil_ids)}; ouders/verzorgers: {len(b.parent_ids)}"
              f" (ongeveer {aantal(b.n_people, 'persoon', 'personen')})")
    audience = "onbekend" if b.audience is None else aantal(b.audience, "persoon", "personen")
    decision = labels.dpa_decision(b.dpa_decision)
    if b.decided:
        decision += f" op {_t(b.dpa_decided_at)}"
    rows: list[tuple[str, Any]] = [
        ("School", school_name),
        ("Status", labels.breach_status(b.status)),
        ("Aard van de inbreuk", _nature(b)),
        ("Omschrijving gegevens", _or_dash(b.data_description)),
        ("Categorieën persoonsgegevens", categories),
        ("Betrokkenen (categorieën, aantal)", people),
        ("Aantal records", str(b.n_records)),
        ("Zichtbaar", f"van {_t(b.visible_from)} tot {_t(b.visible_until)}, voor {audience}"),
        ("Datum van de inbreuk", _t(b.visible_from)),
        ("Datum van ontdekking", _t(b.discovered_at)),
        ("Risico", f"{labels.breach_risk(b.risk)}"
                   + (f": {b.risk_note}" if b.risk_note.strip() else "")),
        ("Waarschijnlijke gevolgen", _or_dash(b.consequences)),
        ("Maatregelen (genomen of voorgesteld)", _or_dash(b.measures)),
        ("Contactpersoon", _or_dash(b.contact)),
        ("Melding aan de AP", decision),
        ("Termijn (72 uur)", due.label()),
        ("Kenmerk AP", _or_dash(b.dpa_reference)),
        ("Toelichting besluit", _or_dash(b.dpa_reason)),
        ("Betrokkenen geïnformeerd", labels.informed(b.informed)
         + (f": {b.informed_how}" if b.informed_how.strip() else "")),
        ("Dossier", _or_dash(b.incident_number)),
        ("Afgesloten", f"{_t(b.closed_at)}" + (f": {b.closing_note}"
                                               if b.closing_note.strip() else "")),
    ]
    return [para(f"Datalek {b.number}", "h2"), field_table(rows, label_width=55 * mm)]


def render_register(breaches: Sequence[Breach], deadlines: Sequence[Any],
                    schools: Mapping[str, str], *, generated_at: str,
                    generated_by: str) -> bytes:
    buffer = io.BytesIO()
    doc = pdfkit.new_document(buffer, title="Register van datalekken",
                              subject="Datalekkenregister (AVG art. 33 lid 5)",
                              keywords=["datalek", "AVG"])
    story: list[Flowable] = [
        trusted("Register van datalekken", "title"),
        trusted("Inbreuken in verband met persoonsgegevens op het ouderportaal (AVG artikel"
                " 33 lid 5), met de gegevens die het meldformulier van de Autoriteit"
                " Persoonsgegevens vraagt. Betrokkenen staan alleen als aantallen in dit"
                " document.", "muted"),
        para(f"Gemaakt op {clock.display(generated_at)} door {generated_by}; "
             f"{aantal(len(breaches), 'datalek', 'datalekken')}.", "muted"),
        spacer(),
    ]
    if not breaches:
        story.append(trusted("Er staan geen datalekken in het register."))
    for b, due in zip(breaches, deadlines, strict=True):
        story.extend(breach_section(b, due, schools.get(b.school_id, b.school_id)))
    return pdfkit.build(doc, story, pdfkit.footer("Register van datalekken"),
                        what="het datalekkenregister")
