"""The breach register: proposed by deletions, completed by the AVG coordinator.

AVG art. 33: a personal-data breach is notified to the Autoriteit Persoonsgegevens (AP)
within 72 hours of discovery unless it is unlikely to result in a risk; art. 33(5): every
breach is documented, notified or not; art. 34: the people concerned are informed when
the risk is high. A deleted message that exposed personal data is such a possible
breach. The school knows for certain when the message is deleted, so the 72 hours count
from the deletion: clock hours, weekends and holidays included.

:func:`propose_for_deletion` is the one hook in the deletion's final transaction.
Everything else is the coordinator's: list, show (names resolved for the screen only),
update, decide, close, export (CSV and a Dutch PDF with the fields of the AP's
notification form). Every change is in the audit log, every read in the access log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from moderator import clock, labels, text
from moderator.archive import csvkit
from moderator.archive.breach_pdf import render_register
from moderator.errors import Conflict, NotFound, UsageError
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.policy.catalogue import REASONS
from moderator.policy.detectors import contains_bsn, named_pupils
from moderator.store import audit
from moderator.store import breaches as register
from moderator.store.breaches import Breach
from moderator.store.db import Store
from moderator.store.items import ItemDetail
from moderator.store.logs import log_access

DEADLINE = timedelta(hours=72)

# Deletion reasons that mean the message exposed personal data (catalogue codes).
PERSONAL_DATA_REASONS = {
    "confidential": ("health",),
    "individual_child": ("pupil",),
    "photo_consent": ("image",),
    "swimwear": ("image",),
}

MAX_TEXT = 4000


# -- the deadline ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    due: datetime
    decided: bool
    decided_late: bool        # decided after the 72 hours (art. 33(1): give the reasons)
    remaining: timedelta      # negative when overdue

    @property
    def overdue(self) -> bool:
        return not self.decided and self.remaining <= timedelta(0)

    def short(self) -> str:
        """For a list column: 'nog 23 u', 'VERLOPEN 5 u', 'besloten'."""
        if self.decided:
            return "te laat besloten" if self.decided_late else "besloten"
        hours = abs(self.remaining) // timedelta(hours=1)
        return f"VERLOPEN {hours} u" if self.overdue else f"nog {hours} u"

    def label(self) -> str:
        """Dutch, for every place the record is shown."""
        due = clock.display(self.due.isoformat())
        if self.decided:
            return f"besloten{' (na de termijn van ' + due + ')' if self.decided_late else ''}"
        hours = abs(self.remaining) // timedelta(hours=1)
        minutes = (abs(self.remaining) % timedelta(hours=1)) // timedelta(minutes=1)
        span = f"{hours} u {minutes:02d} min"
        if self.overdue:
            return f"VERLOPEN sinds {span} (termijn {due})"
        return f"nog {span} (uiterlijk {due})"


def deadline(breach: Breach, now: datetime | None = None) -> Deadline:
    """72 clock hours from the deletion, counted in absolute time (a weekend or a change
    to winter time does not stretch it)."""
    due = clock.local(clock.parse(breach.discovered_at) + DEADLINE)
    now = now or clock.now()
    late = (breach.dpa_decided_at is not None
            and clock.parse(breach.dpa_decided_at) > due)
    return Deadline(due=due, decided=breach.decided, decided_late=late, remaining=due - now)


# -- the hook in the deletion -------------------------------------------------------------

def exposes_personal_data(detail: ItemDetail, reason: str) -> tuple[bool, list[str]]:
    """(bsn found, categories) for a deletion; no categories: not a possible breach."""
    texts = [detail.title, detail.body, *(r.title for r in detail.revisions),
             *(r.body for r in detail.revisions), *(c.body for c in detail.comments)]
    bsn = any(contains_bsn(t) for t in texts if t)
    categories = list(PERSONAL_DATA_REASONS.get(reason, ()))
    if bsn:
        categories.append("bsn")
    return bsn, categories


def _named_pupils(store: Store, detail: ItemDetail) -> set[str]:
    """The pupils of the roster the message names (a first proposal: the coordinator
    corrects it)."""
    pupils = register.roster(store, detail.school_id, detail.group_id)
    if not pupils:
        return set()
    names = [name for _, name in pupils]
    found: set[str] = set()
    for value in (detail.title, detail.body, *(r.body for r in detail.revisions)):
        if value:
            found.update(pupils[i][0] for i in named_pupils(value, names))
    return found


def propose_for_deletion(store: Store, detail: ItemDetail, *, reason: str, actor: str,
                         deleted_at: str, incident_number: str | None) -> Breach | None:
    """Propose a breach record for this deletion when it exposed personal data. Runs
    inside the deletion's final transaction, with the item's text still readable;
    proposes once per item, even when two sessions finish the same deletion."""
    bsn, categories = exposes_personal_data(detail, reason)
    if not categories:
        return None
    with store.write():
        if register.for_item(store, detail.item) is not None:
            return None
        pupils = {p.pupil_id for m in detail.media for p in m.pupils} \
            if "image" in categories else set()
        pupils |= _named_pupils(store, detail)
        n_media = len(detail.media) if "image" in categories else 0
        proposed = register.propose(
            store, item=detail.item, school_id=detail.school_id, group_id=detail.group_id,
            incident_number=incident_number, reason=reason, bsn=bsn, discovered_at=deleted_at,
            proposed_by=actor, visible_from=detail.created_at, visible_until=deleted_at,
            audience=register.group_member_count(store, detail.group_id),
            n_records=max(1, n_media), categories=categories, pupil_ids=pupils)
        if proposed is None:
            return None
        audit.append(store, actor, "breach.propose", proposed.number,
                     {"item": detail.item, "reason": reason, "bsn": bsn,
                      "incident": incident_number, "categories": categories},
                     detail.school_id)
    return proposed


# -- reading --------------------------------------------------------------------------------

def _require(actor: Actor, what: str) -> None:
    access.require(access.may_handle_breaches(actor),
                   f"Alleen de AVG-coördinator mag {what}.")


def _get(store: Store, ref: str | int) -> Breach:
    found = register.get(store, ref)
    if found is None:
        raise NotFound(f"datalek {text.one_line(ref)} niet gevonden")
    return found


def list_breaches(store: Store, actor: Actor, *, open_only: bool = False,
                  undecided_only: bool = False) -> list[Breach]:
    _require(actor, "het datalekkenregister inzien")
    found = register.list_breaches(store, open_only=open_only, undecided_only=undecided_only)
    log_access(store, actor, "breach_list", detail={"rows": len(found)})
    return found


def pending_deadlines(store: Store, actor: Actor) -> list[tuple[str, Deadline]]:
    """(number, deadline) of every record still waiting for the decision on notifying,
    most urgent first, for a notice on the coordinator's screens. Only numbers and times
    are returned, so this read is not in the access log; empty for other roles."""
    if not access.may_handle_breaches(actor):
        return []
    now = clock.now()
    return [(b.number, deadline(b, now))
            for b in register.list_breaches(store, undecided_only=True)]


@dataclass(frozen=True)
class BreachView:
    breach: Breach
    names: dict[str, str]          # pupil and parent ids -> names, for the screen only
    school_name: str
    reason_label: str


def show_breach(store: Store, actor: Actor, ref: str | int) -> BreachView:
    _require(actor, "een datalek inzien")
    breach = _get(store, ref)
    log_access(store, actor, "breach_view", detail={"breach": breach.number,
                                                    "item": breach.item})
    reason = REASONS[breach.reason].label if breach.reason in REASONS else breach.reason
    return BreachView(breach, register.names(store, breach.pupil_ids, breach.parent_ids),
                      register.school_name(store, breach.school_id), reason)


# -- completing -----------------------------------------------------------------------------

_TEXT_FIELDS = ("data_description", "risk_note", "consequences", "measures", "contact",
                "informed_how", "dpa_reference")


def _moment(field: str, value: str) -> str:
    """A date (DD-MM-YYYY or YYYY-MM-DD) or an ISO timestamp with offset, stored ISO."""
    value = value.strip()
    try:
        if len(value) == 10 and value[2] == "-":
            return datetime.strptime(value, "%d-%m-%Y").date().isoformat()
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return clock.parse(value).isoformat(timespec="seconds")
    except (ValueError, IndexError):
        raise UsageError(f"{field}: geen geldige datum of tijd: {text.one_line(value)!r}"
                         " (DD-MM-JJJJ, of JJJJ-MM-DDTuu:mm+01:00)") from None


def _validate(store: Store, breach: Breach, changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if value is None:
            continue
        if key in _TEXT_FIELDS:
            if len(value) > MAX_TEXT:
                raise UsageError(f"{key}: te lang (meer dan {MAX_TEXT} tekens)")
            out[key] = value
        elif key == "risk":
            if value not in labels.BREACH_RISKS:
                raise UsageError(f"onbekend risico {text.one_line(value)!r}"
                                 f" (kies uit: {', '.join(labels.BREACH_RISKS)})")
            out[key] = value
        elif key == "informed":
            if value not in labels.INFORMED:
                raise UsageError(f"onbekende waarde voor geïnformeerd {text.one_line(value)!r}"
                                 f" (kies uit: {', '.join(labels.INFORMED)})")
            out[key] = value
        elif key == "categories":
            wrong = [c for c in value if c not in labels.BREACH_CATEGORIES]
            if wrong:
                raise UsageError(f"onbekende categorie {text.one_line(wrong[0])!r}"
                                 f" (kies uit: {', '.join(labels.BREACH_CATEGORIES)})")
            out[key] = sorted(set(value))
        elif key == "pupil_ids":
            wrong = register.unknown_pupils(store, breach.school_id, value)
            if wrong:
                raise UsageError(f"geen leerling van deze school: {text.one_line(wrong[0])}")
            out[key] = sorted(set(value))
        elif key == "parent_ids":
            wrong = register.unknown_parents(store, breach.school_id, value)
            if wrong:
                raise UsageError(f"geen ouder van deze school: {text.one_line(wrong[0])}")
            out[key] = sorted(set(value))
        elif key in ("audience", "n_records"):
            if not isinstance(value, int) or value < 0:
                raise UsageError(f"{key}: een aantal (0 of meer) verwacht")
            out[key] = value
        elif key in ("visible_from", "visible_until"):
            out[key] = _moment(key, value)
        else:
            raise UsageError(f"onbekend veld {key}")
    return out


def update_breach(store: Store, actor: Actor, ref: str | int, **changes: Any) -> Breach:
    """Complete or correct the record: what data, whose, visible when and to how many,
    risk, consequences, measures, contact person, whether the people were informed."""
    _require(actor, "het datalekkenregister bijwerken")
    with store.write():
        breach = _get(store, ref)
        if breach.status == "closed":
            raise Conflict(f"datalek {breach.number} is afgesloten en kan niet meer wijzigen")
        values = _validate(store, breach, changes)
        if not values:
            raise UsageError("geen wijziging opgegeven")
        updated = register.update(store, breach.id, values)
        audit.append(store, actor.username, "breach.update", breach.number,
                     {"fields": sorted(values), "values": values}, breach.school_id)
    return updated


def decide(store: Store, actor: Actor, ref: str | int, *, notify: bool, reason: str = "",
           reference: str | None = None) -> Breach:
    """The decision on notifying the AP, once. Not notifying needs the risk assessed as
    'none' and the reasons; notifying needs the AP's reference of the notification."""
    _require(actor, "besluiten over een melding bij de Autoriteit Persoonsgegevens")
    with store.write():
        breach = _get(store, ref)
        if breach.status == "closed":
            raise Conflict(f"datalek {breach.number} is afgesloten")
        if breach.decided:
            raise Conflict(f"over datalek {breach.number} is al besloten:"
                           f" {labels.dpa_decision(breach.dpa_decision)}")
        if breach.risk is None:
            raise UsageError("beoordeel eerst het risico (breach update --risk none|low|high)")
        reference = (reference or "").strip() or None
        if notify and not reference:
            raise UsageError("geef het kenmerk van de melding bij de AP op (--reference)")
        if not notify:
            if breach.risk != "none":
                raise UsageError(
                    "niet melden kan alleen als het lek waarschijnlijk geen risico oplevert"
                    f" (risico nu: {labels.breach_risk(breach.risk)})")
            if not reason.strip():
                raise UsageError("leg vast waarom er niet gemeld wordt (--reason)")
        if len(reason) > MAX_TEXT or len(reference or "") > 200:
            raise UsageError("reden of kenmerk te lang")
        now = clock.now_iso()
        updated = register.update(store, breach.id, {
            "dpa_decision": "notify" if notify else "no_notify", "dpa_reason": reason,
            "dpa_reference": reference, "dpa_decided_at": now,
            "dpa_decided_by": actor.username})
        due = deadline(updated)
        audit.append(store, actor.username, "breach.decide", breach.number,
                     {"decision": updated.dpa_decision, "reference": reference,
                      "reason": reason, "late": due.decided_late}, breach.school_id)
    return updated


def close_breach(store: Store, actor: Actor, ref: str | int, note: str = "") -> Breach:
    """Close the record once decided, the measures written down and the question of
    informing the people concerned answered (with high risk: they were informed)."""
    _require(actor, "een datalek afsluiten")
    with store.write():
        breach = _get(store, ref)
        if breach.status == "closed":
            raise Conflict(f"datalek {breach.number} is al afgesloten")
        missing = []
        if not breach.decided:
            missing.append("het besluit over melden bij de AP (breach decide)")
        if breach.informed is None:
            missing.append("of de betrokkenen zijn geïnformeerd (--informed)")
        if not breach.measures.strip():
            missing.append("de genomen maatregelen (--measures)")
        if missing:
            raise UsageError("afsluiten kan nog niet; ontbreekt: " + "; ".join(missing))
        if breach.risk == "high" and breach.informed != "yes":
            raise UsageError("bij hoog risico moeten de betrokkenen worden geïnformeerd"
                             " (AVG art. 34) voordat het datalek wordt afgesloten")
        updated = register.update(store, breach.id, {
            "status": "closed", "closed_at": clock.now_iso(), "closed_by": actor.username,
            "closing_note": note})
        audit.append(store, actor.username, "breach.close", breach.number, {"note": note},
                     breach.school_id)
    return updated


# -- exports --------------------------------------------------------------------------------

CSV_HEADERS = [
    "nummer", "school", "groep", "item", "dossier", "reden", "bsn", "ontdekt",
    "uiterlijk_besluit", "termijn", "zichtbaar_van", "zichtbaar_tot", "zichtbaar_voor",
    "aantal_records", "gegevens", "categorieen", "leerlingen_ids", "ouders_ids",
    "aantal_betrokkenen", "risico", "risico_toelichting", "gevolgen", "maatregelen",
    "contactpersoon", "besluit_ap", "besluit_reden", "besluit_op", "besluit_door",
    "kenmerk_ap", "betrokkenen_geinformeerd", "hoe_geinformeerd", "status", "afgesloten_op",
    "afsluiting",
]


def csv_rows(breaches: list[Breach], now: datetime | None = None) -> list[list[Any]]:
    rows = []
    for b in breaches:
        due = deadline(b, now)
        rows.append([
            b.number, b.school_id, b.group_id, b.item, b.incident_number, b.reason, b.bsn,
            b.discovered_at, due.due.isoformat(), due.label(), b.visible_from, b.visible_until,
            b.audience, b.n_records, b.data_description, " ".join(b.categories),
            " ".join(b.pupil_ids), " ".join(b.parent_ids), b.n_people, b.risk, b.risk_note,
            b.consequences, b.measures, b.contact, b.dpa_decision, b.dpa_reason,
            b.dpa_decided_at, b.dpa_decided_by, b.dpa_reference, b.informed, b.informed_how,
            b.status, b.closed_at, b.closing_note])
    return rows


@dataclass(frozen=True)
class ExportResult:
    csv_path: Path
    pdf_path: Path
    count: int


def export_register(store: Store, actor: Actor, out_dir: Path,
                    ref: str | int | None = None) -> ExportResult:
    """The register (or one record) as CSV and as a Dutch PDF with the fields of the
    AP's notification form. Ids, no names."""
    _require(actor, "het datalekkenregister exporteren")
    if ref is not None:
        breaches = [_get(store, ref)]
        stem = breaches[0].number
    else:
        breaches = register.list_breaches(store)
        stem = f"datalekkenregister-{clock.now().date().isoformat()}"
    now = clock.now()
    schools = {b.school_id: register.school_name(store, b.school_id) for b in breaches}
    pdf = render_register(breaches, [deadline(b, now) for b in breaches], schools,
                          generated_at=clock.now_iso(), generated_by=actor.name)
    data = csvkit.to_csv(CSV_HEADERS, csv_rows(breaches, now))
    out_dir = Path(out_dir)
    csv_path, pdf_path = out_dir / f"{stem}.csv", out_dir / f"{stem}.pdf"
    try:
        csvkit.write_replacing(csv_path, data)
        csvkit.write_replacing(pdf_path, pdf)
    except OSError as error:
        from moderator.errors import os_reason

        raise UsageError(f"kan niet schrijven in {out_dir}: {os_reason(error)}") from None
    with store.write():
        log_access(store, actor, "breach_export", detail={"rows": len(breaches),
                                                          "path": str(pdf_path)})
        audit.append(store, actor.username, "breach.export", stem,
                     {"rows": len(breaches), "path": str(csv_path)})
    return ExportResult(csv_path, pdf_path, len(breaches))
