"""CLI verbs: ``moderator dossier list|show|add|escalate|close|export``.

The same rules as the console: the dossier service decides who may read or write what (a teacher
trying an external measure gets a clear refusal and exit code 3).
"""

from __future__ import annotations

import click
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from moderator import labels
from moderator.cli.common import login, out_console, pass_state, print_json
from moderator.clock import display as _display
from moderator.labels import item_phrase, letter_recipient, letter_status
from moderator.policy import measures
from moderator.policy.catalogue import REASONS
from moderator.rich_text import line_text
from moderator.rich_text import text as safe_text
from moderator.services.dossier import (
    ENTRY_KINDS,
    STATUS_ORDER,
    Event,
    IncidentDetail,
    IncidentSummary,
    add_event,
    close_incident,
    escalate,
    export_incident,
    get_incident,
    list_handovers,
    list_incidents,
    record_handover,
)
from moderator.services.dossier import hardcopy_text as read_hardcopy
from moderator.text import one_line

USER = click.option("--user", "username", required=True,
                    help="Your account (password from MODERATOR_PASSWORD or prompted).")
JSON = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")


def summary_json(s: IncidentSummary) -> dict:
    return {
        "id": s.id, "number": s.number, "school": s.school_id, "school_name": s.school_name,
        "group": s.group_id, "group_name": s.group_name, "person": s.person_id,
        "person_name": s.person_name, "status": s.status, "level": s.level,
        "opened_at": s.opened_at, "opened_by": s.opened_by, "closed_at": s.closed_at,
        "outcome": s.outcome, "retention_until": s.retention_until, "legal_hold": s.legal_hold,
        "hardcopies": s.n_hardcopies, "events": s.n_events, "kind": s.kind,
    }


def event_json(e: Event) -> dict:
    return {
        "id": e.id, "kind": e.kind, "at": e.at, "recorded_at": e.recorded_at,
        "author": e.author, "participants": list(e.participants), "text": e.text,
        "measure": e.measure, "refers_to": e.refers_to, "corrected_by": list(e.corrected_by),
        "detail": e.detail,
    }


def detail_json(d: IncidentDetail) -> dict:
    return {
        **summary_json(d.incident),
        "timeline": [event_json(e) for e in d.events],
        "hardcopy_files": [{"id": h.id, "item": h.item, "path": h.path, "size": h.size,
                            "sha256": h.sha256, "reason": h.reason, "created_by": h.created_by,
                            "created_at": h.created_at} for h in d.hardcopies],
        "exports": [{"path": x.path, "size": x.size, "sha256": x.sha256,
                     "created_by": x.created_by, "created_at": x.created_at} for x in d.exports],
        "letters": [{"number": x.number, "template": x.template, "recipient": x.recipient_id,
                     "recipient_kind": x.recipient_kind, "subject": x.subject,
                     "status": x.status, "sent_at": x.sent_at, "error": x.error,
                     "path": x.pdf_path, "size": x.size, "sha256": x.sha256,
                     "created_by": x.created_by, "created_at": x.created_at}
                    for x in d.letters],
    }


def _event_line(e: Event) -> Text:
    line = Text(f"#{e.id}  ", style="bold")
    line.append(line_text(_when(e.at)))
    line.append("  ")
    line.append(e.kind_label, style="bold")
    if e.measure:
        line.append(f" · {e.measure_label}")
    line.append("  door ")
    line.append(line_text(e.author_name))
    if e.refers_to is not None:
        line.append(f"  (corrigeert #{e.refers_to})", style="italic")
    if e.corrected_by:
        line.append("  (gecorrigeerd in " + ", ".join(f"#{i}" for i in e.corrected_by) + ")",
                    style="italic")
    return line


def _when(value: str | None) -> str:
    """Dutch local time ('25-11-2026 14:30'); a bare date as '25-11-2026'."""
    return _display(value) or "-"


def print_detail(d: IncidentDetail, hardcopy_text: bool = False, store=None, actor=None) -> None:
    s = d.incident
    head = Text(f"Dossier {s.number}", style="bold")
    out_console.print(head)
    for label, value in (("School", s.school_name), ("Groep", s.group_name or "-"),
                         ("Betreft", f"{s.person_name or '-'} ({s.kind_label})"),
                         ("Status", f"{s.status_label} ({s.level_label})"),
                         ("Geopend", f"{_when(s.opened_at)} door {s.opened_by_label}"),
                         ("Gesloten", _when(s.closed_at)), ("Uitkomst", s.outcome or "-"),
                         ("Bewaren tot", _when(s.retention_until)[:10])):
        row = Text(f"{label:<12} ")
        row.append(line_text(value))
        out_console.print(row)
    out_console.print(Text("\nTijdlijn", style="bold"))
    for e in d.events:
        out_console.print(_event_line(e))
        if e.participants:
            out_console.print(Text("    aanwezig: ").append(line_text(", ".join(e.participants))))
        if e.kind == "deletion" and e.detail.get("note"):
            out_console.print(Text("    toelichting bij de verwijdering: ").append(
                line_text(str(e.detail["note"]))))
        if e.detail.get("without_conversation"):
            out_console.print(Text("    geen gesprek met de ouder, omdat: ").append(
                line_text(e.detail["without_conversation"])))
        out_console.print(Padding(safe_text(e.text), (0, 0, 0, 4)))
    out_console.print(Text("\nHard copies in het dossier", style="bold"))
    for h in d.hardcopies:
        out_console.print(line_text(f"#{h.id}  {item_phrase(h.item.partition(':')[0])}  "
                                    f"{REASONS[h.reason].label if h.reason in REASONS else h.reason}  {h.path}  sha256 {h.sha256}"))
        if hardcopy_text and store is not None:
            shown = read_hardcopy(store, actor, h)
            if shown.problem:
                out_console.print(line_text(f"    ! {shown.problem}"), style="red")
            out_console.print(safe_text(shown.text))
    if d.letters:
        out_console.print(Text("\nBrieven", style="bold"))
    for x in d.letters:
        row = Text(f"{x.number}  {_when(x.created_at)}  ")
        row.append(line_text(x.subject, 60))
        row.append("  aan ")
        row.append(line_text(x.recipient_name, 40))
        row.append(f" ({letter_recipient(x.recipient_kind)})  {letter_status(x.status)}")
        if x.error:
            row.append(": ")
            row.append(line_text(x.error, 160))
        out_console.print(row)
        out_console.print(line_text(f"    {x.pdf_path}  sha256 {x.sha256}"))
    for x in d.exports:
        out_console.print(line_text(f"export  {x.created_at}  {x.path}  sha256 {x.sha256}"))


@click.group("dossier")
def dossier() -> None:
    """Incident dossiers: timeline, measures, escalation, closure, export."""


@dossier.command("list")
@USER
@click.option("--status", type=click.Choice(STATUS_ORDER))
@click.option("--group", "group_id", metavar="ID")
@click.option("--person", "person_id", metavar="ID")
@click.option("--since", metavar="DATE", help="Opened on or after (02-12-2026, 2-12, vandaag, or ISO).")
@click.option("--until", metavar="DATE", help="Opened on or before (02-12-2026, 2-12, vandaag, or ISO).")
@JSON
@pass_state
def list_command(state, username, status, group_id, person_id, since, until, as_json) -> None:
    """The dossiers you may see, newest first."""
    actor = login(state, username)
    found = list_incidents(state.store(), actor, status=status, group_id=group_id,
                           person_id=person_id, since=since, until=until)
    if as_json:
        print_json([summary_json(s) for s in found])
        return
    table = Table(title=f"Dossiers ({len(found)})", title_justify="left")
    for column in ("Nummer", "Status", "Niveau", "Betreft", "Groep", "Geopend", "Hard copies"):
        table.add_column(column, no_wrap=column in ("Nummer", "Geopend"))
    for s in found:
        table.add_row(line_text(s.number), s.status_label, s.level_label,
                      line_text(s.person_name or "-", 30), line_text(s.group_name or "-", 24),
                      line_text(_when(s.opened_at)[:10]), str(s.n_hardcopies))
    out_console.print(table)


@dossier.command("show")
@click.argument("incident")
@USER
@click.option("--hardcopy-text", is_flag=True, help="Also print the text of each hard copy.")
@JSON
@pass_state
def show_command(state, incident, username, hardcopy_text, as_json) -> None:
    """One dossier with its timeline and hard copies (the view is logged)."""
    actor = login(state, username)
    store = state.store()
    detail = get_incident(store, actor, incident)
    from moderator.services.measures import terms_for

    terms = terms_for(store, actor, detail.id)
    handed = list_handovers(store, actor, detail.incident.id)
    if as_json:
        print_json({**detail_json(detail), "measures": [term_json(t) for t in terms],
                    "handovers": [handover_json(h) for h in handed]})
        return
    print_detail(detail, hardcopy_text, store, actor)
    print_terms(terms)
    if handed:
        out_console.print(Text("\nOverdrachten (wie kreeg welke export)", style="bold"))
    for h in handed:
        out_console.print(line_text(handover_line(h)))


def term_json(t) -> dict:
    return {"event": t.event_id, "measure": t.measure, "label": t.label,
            "starts_on": t.starts_on.isoformat(),
            "ends_on": t.ends_on.isoformat() if t.ends_on else None, "status": t.status,
            "remaining": term_remaining(t), "lifted_at": t.lifted_at, "lifted_by": t.lifted_by,
            "lift_reason": t.lift_reason}


def term_remaining(t) -> str:
    from moderator.services.measures import remaining

    return remaining(t)


def print_terms(terms) -> None:
    if not terms:
        return
    out_console.print(Text("\nMaatregelen met looptijd", style="bold"))
    for t in terms:
        out_console.print(Text(f"#{t.event_id}  {t.label}: vanaf {_display(t.starts_on.isoformat())},"
                               f" {term_remaining(t)}"))


def _print_event(event: Event, as_json: bool) -> None:
    if as_json:
        print_json(event_json(event))
    else:
        out_console.print(Text("Vastgelegd: ").append(_event_line(event)))


@dossier.command("add")
@click.argument("incident")
@USER
@click.option("--kind", required=True, type=click.Choice(ENTRY_KINDS))
@click.option("--text", "body", required=True, help="What happened, was said or agreed.")
@click.option("--participants", default="", metavar="A,B", help="Who took part, comma-separated.")
@click.option("--measure", type=click.Choice(list(measures.MEASURES)), help="For --kind measure.")
@click.option("--at", metavar="DATE", help="When it happened (02-12-2026, 2-12 14:30, gisteren 14:00, nu, or ISO); default now.")
@click.option("--refers-to", "refers_to", type=int, metavar="N", help="Entry a correction corrects.")
@click.option("--until", "ends_on", metavar="DATE",
              help="For read_only, comments_off, group_removal: the day it is lifted.")
@click.option("--weeks", type=click.IntRange(1, 52), help="Or: lifted after N weeks.")
@click.option("--until-further-notice", "indefinite", is_flag=True,
              help="Or: no end date (the director ends it).")
@JSON
@pass_state
def add_command(state, incident, username, kind, body, participants, measure, at, refers_to,
                ends_on, weeks, indefinite, as_json) -> None:
    """Record an entry in the timeline (append-only; correct with --kind correction)."""
    actor = login(state, username)
    if kind == "measure":
        from moderator.services.measures import record_measure, weeks_from_today

        if weeks is not None:
            if ends_on:
                raise click.UsageError("--until of --weeks, niet allebei")
            ends_on = weeks_from_today(weeks)
        event = record_measure(state.store(), actor, incident, measure, body, at=at,
                               participants=participants, ends_on=ends_on,
                               until_further_notice=indefinite)
    else:
        if ends_on or weeks or indefinite:
            raise click.UsageError("--until, --weeks en --until-further-notice horen bij"
                                   " --kind measure")
        event = add_event(state.store(), actor, incident, kind, body, at=at,
                          participants=participants, measure=measure, refers_to=refers_to)
    _print_event(event, as_json)


@dossier.command("escalate")
@click.argument("incident")
@USER
@click.option("--measure", required=True, type=click.Choice(list(measures.EXTERNAL_CODES)))
@click.option("--text", "body", required=True)
@click.option("--participants", default="", metavar="A,B")
@click.option("--at", metavar="DATE")
@click.option("--reference", metavar="REF", help="Their reference, e.g. the police registration number.")
@JSON
@pass_state
def escalate_command(state, incident, username, measure, body, participants, at, reference,
                     as_json) -> None:
    """An external measure (police report, legal steps, other enforcement): directors only."""
    actor = login(state, username)
    event = escalate(state.store(), actor, incident, measure, body, at=at,
                     participants=participants, reference=reference)
    _print_event(event, as_json)


@dossier.command("close")
@click.argument("incident")
@USER
@click.option("--outcome", required=True)
@click.option("--without-conversation", "why", metavar="REASON",
              help="The director's reason when there was no conversation with the parent.")
@JSON
@pass_state
def close_command(state, incident, username, outcome, why, as_json) -> None:
    """Close a dossier with its outcome (directors only); sets the retention date."""
    actor = login(state, username)
    closed = close_incident(state.store(), actor, incident, outcome, why)
    if as_json:
        print_json(summary_json(closed))
    else:
        out_console.print(line_text(
            f"Dossier {closed.number} gesloten; bewaren tot {_display(closed.retention_until)}."))


@dossier.command("export")
@click.argument("incident")
@USER
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Also write a copy here.")
@JSON
@pass_state
def export_command(state, incident, username, out, as_json) -> None:
    """One PDF: cover, timeline, every hard copy appended and attached byte for byte."""
    actor = login(state, username)
    store = state.store()
    record = export_incident(store, actor, incident, out=out)
    if as_json:
        print_json({"path": record.path, "size": record.size, "sha256": record.sha256,
                    "archives": str(store.archives), "out": out})
    else:
        out_console.print(line_text(f"{store.archives / record.path}  sha256 {record.sha256}"))
        if out:
            out_console.print(line_text(f"kopie van de export: {one_line(out)}"))


def handover_json(h) -> dict:
    return {"id": h.id, "incident": h.incident_number, "to": h.recipient_kind,
            "recipient": h.recipient, "reference": h.reference, "handed_at": h.handed_at,
            "handed_by": h.handed_by, "sha256": h.sha256, "path": h.path}


def handover_line(h) -> str:
    ref = f", kenmerk {h.reference}" if h.reference else ""
    return (f"{_display(h.handed_at)}  aan {h.recipient} ({labels.recipient_kind(h.recipient_kind)})"
            f"{ref}, door {h.handed_by}: {h.path}  sha256 {h.sha256}")


@dossier.command("handover")
@click.argument("incident")
@click.option("--to", "to_kind", required=True, type=click.Choice(["police", "lawyer",
                                                                      "inspectorate", "other"]),
              help="Who received the export.")
@click.option("--name", "recipient", metavar="NAME",
              help="The receiving organisation or person (default: the kind in Dutch).")
@click.option("--reference", metavar="REF",
              help="Their reference, e.g. the police registration number.")
@click.option("--at", metavar="DATE", help="When it was handed over (YYYY-MM-DD[THH:MM]); default now.")
@click.option("--export", "export_id", type=int, metavar="ID",
              help="Which export (default: the dossier's newest).")
@USER
@JSON
@pass_state
def handover_command(state, incident, to_kind, recipient, reference, at, export_id, username,
                     as_json) -> None:
    """Record that a dossier export was handed to the police, a lawyer or the inspectorate
    (chain of custody: to whom, their reference, when, by whom, the SHA-256 handed over)."""
    actor = login(state, username)
    record = record_handover(state.store(), actor, incident, recipient_kind=to_kind,
                             recipient=recipient or labels.recipient_kind(to_kind),
                             reference=reference, handed_at=at, export_id=export_id)
    if as_json:
        print_json(handover_json(record))
    else:
        out_console.print(line_text(f"Overdracht vastgelegd in {record.incident_number}: "
                                    + handover_line(record)))


commands = [dossier]
