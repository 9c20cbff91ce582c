"""CLI verbs: ``moderator breach list|show|update|decide|close|export`` (the AVG
coordinator's breach register).

``--json`` output is ASCII-only JSON (every other character escaped), so no control or
bidi character from a field reaches the terminal, and a script reads the exact values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich import box
from rich.table import Table
from rich.text import Text

from moderator import clock, labels
from moderator.cli.common import (
    for_terminal,
    login,
    out_console,
    pass_state,
    print_json,
    print_rows,
)
from moderator.plural import aantal
from moderator.rich_text import line_text
from moderator.rich_text import text as safe_text
from moderator.services import breaches as service
from moderator.store.breaches import Breach

USER = click.option("--user", "username", required=True,
                    help="Your account (password from MODERATOR_PASSWORD or prompted).")
JSON = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")


def _json(value: Any) -> None:
    print_json(value, sort_keys=True)


def breach_json(b: Breach) -> dict[str, Any]:
    due = service.deadline(b)
    return {**b.as_dict(), "deadline": due.due.isoformat(), "deadline_label": due.label(),
            "overdue": due.overdue, "decided_late": due.decided_late}


def _t(value: str | None) -> str:
    return clock.display(value) if value else "-"


def _deadline_text(b: Breach) -> Text:
    due = service.deadline(b)
    style = "bold red" if due.overdue else ("yellow" if not due.decided else "")
    return Text(due.label(), style=style)


LIST_HEADERS = ["nummer", "school", "ontdekt", "uiterlijk besluit", "termijn", "risico",
                "besluit AP", "status"]


def _print_list(found: list[Breach]) -> None:
    rows = []
    for b in found:
        due = service.deadline(b)
        rows.append([b.number, b.school_id, _t(b.discovered_at), _t(due.due.isoformat()),
                     due.short(), labels.breach_risk(b.risk), labels.dpa_decision(b.dpa_decision),
                     labels.breach_status(b.status)])
    if not for_terminal():
        print_rows(LIST_HEADERS, rows)
        return
    if not found:
        out_console.print("Het datalekkenregister is leeg.")
        return
    table = Table(title="Datalekkenregister", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False)
    for header in LIST_HEADERS:
        table.add_column(header.capitalize())
    for b, row in zip(found, rows, strict=True):
        due = service.deadline(b)
        style = "bold red" if due.overdue else ("yellow" if not due.decided else "")
        cells = [line_text(v) for v in row]
        cells[4] = line_text(row[4], style=style)
        table.add_row(*cells)
    out_console.print(table)


def _who(ids: tuple[str, ...], names: dict[str, str]) -> str:
    return ", ".join(f"{names.get(i, '?')} ({i})" for i in ids) or "-"


def _print_one(view: service.BreachView) -> None:
    b = view.breach
    out_console.print(Text(f"Datalek {b.number}", style="bold"))
    rows = [
        ("School", view.school_name), ("Groep", b.group_id or "-"), ("Item", b.item),
        ("Dossier", b.incident_number or "-"),
        ("Verwijderd als", view.reason_label + (" (bevat een BSN)" if b.bsn else "")),
        ("Ontdekt", _t(b.discovered_at)),
        ("Zichtbaar", f"van {_t(b.visible_from)} tot {_t(b.visible_until)}, voor "
                      f"{b.audience if b.audience is not None else '?'} personen"),
        ("Gegevens", b.data_description or "-"),
        ("Categorieën", ", ".join(labels.breach_category(c) for c in b.categories) or "-"),
        ("Leerlingen", _who(b.pupil_ids, view.names)),
        ("Ouders", _who(b.parent_ids, view.names)),
        ("Records", str(b.n_records)),
        ("Risico", labels.breach_risk(b.risk) + (f": {b.risk_note}" if b.risk_note else "")),
        ("Gevolgen", b.consequences or "-"), ("Maatregelen", b.measures or "-"),
        ("Contactpersoon", b.contact or "-"),
        ("Melding AP", labels.dpa_decision(b.dpa_decision)
         + (f" op {_t(b.dpa_decided_at)} door {b.dpa_decided_by}" if b.decided else "")),
        ("Kenmerk AP", b.dpa_reference or "-"), ("Toelichting", b.dpa_reason or "-"),
        ("Geïnformeerd", labels.informed(b.informed)
         + (f": {b.informed_how}" if b.informed_how else "")),
        ("Status", labels.breach_status(b.status)
         + (f" op {_t(b.closed_at)}: {b.closing_note}" if b.closed_at else "")),
    ]
    for label, value in rows:
        line = Text(f"{label:<15} ")
        line.append(safe_text(value))
        out_console.print(line)
    line = Text(f"{'Termijn':<15} ")
    line.append(_deadline_text(b))
    out_console.print(line)


@click.group("breach")
def breach_group() -> None:
    """The breach register: possible data breaches, decided within 72 hours.

    Deletions that exposed personal data propose a record; the AVG coordinator
    completes, decides (AVG art. 33) and closes it."""


@breach_group.command("list")
@USER
@click.option("--open", "open_only", is_flag=True, help="Only records not yet closed.")
@JSON
@pass_state
def list_command(state, username: str, open_only: bool, as_json: bool) -> None:
    """Every breach record with the 72-hour deadline for the decision on notifying."""
    actor = login(state, username)
    found = service.list_breaches(state.store(), actor, open_only=open_only)
    if as_json:
        _json([breach_json(b) for b in found])
    else:
        _print_list(found)


@breach_group.command("show")
@click.argument("number")
@USER
@JSON
@pass_state
def show_command(state, number: str, username: str, as_json: bool) -> None:
    """One record in full, with the names of the pupils and parents concerned."""
    actor = login(state, username)
    view = service.show_breach(state.store(), actor, number)
    if as_json:
        _json({**breach_json(view.breach), "names": view.names,
               "school_name": view.school_name})
    else:
        _print_one(view)


@breach_group.command("update")
@click.argument("number")
@USER
@click.option("--data", "data_description", help="What personal data was exposed.")
@click.option("--category", "categories", multiple=True,
              type=click.Choice(sorted(labels.BREACH_CATEGORIES)),
              help="Category of personal data (repeat; replaces the list).")
@click.option("--pupil", "pupil_ids", multiple=True, metavar="ID",
              help="A pupil concerned, by id (repeat; replaces the list).")
@click.option("--parent", "parent_ids", multiple=True, metavar="ID",
              help="A parent concerned, by id (repeat; replaces the list).")
@click.option("--visible-from", help="Visible since (DD-MM-YYYY or ISO timestamp).")
@click.option("--visible-until", help="Visible until.")
@click.option("--audience", type=int, help="To how many people it was visible.")
@click.option("--records", "n_records", type=int, help="Number of records concerned.")
@click.option("--risk", type=click.Choice(sorted(labels.BREACH_RISKS)), help="Risk assessment.")
@click.option("--risk-note", help="Why this risk.")
@click.option("--consequences", help="Likely consequences for the people concerned.")
@click.option("--measures", help="Measures taken or proposed.")
@click.option("--contact", help="Contact person for the AP.")
@click.option("--informed", type=click.Choice(sorted(labels.INFORMED)),
              help="Were the people concerned informed (AVG art. 34)?")
@click.option("--informed-how", help="How (a letter, a talk, ...).")
@JSON
@pass_state
def update_command(state, number: str, username: str, as_json: bool, categories, pupil_ids,
                   parent_ids, **fields) -> None:
    """Complete or correct a record (not after closing)."""
    actor = login(state, username)
    changes = dict(fields)
    for key, values in (("categories", categories), ("pupil_ids", pupil_ids),
                        ("parent_ids", parent_ids)):
        if values:
            changes[key] = list(values)
    updated = service.update_breach(state.store(), actor, number, **changes)
    if as_json:
        _json(breach_json(updated))
    else:
        out_console.print(Text(f"Datalek {updated.number} bijgewerkt. Termijn: ")
                          .append(_deadline_text(updated)))


@breach_group.command("decide")
@click.argument("number")
@USER
@click.option("--notify/--no-notify", required=True,
              help="Notified to the Autoriteit Persoonsgegevens, or not.")
@click.option("--reference", help="The AP's reference of the notification (with --notify).")
@click.option("--reason", default="", help="Why (required with --no-notify).")
@JSON
@pass_state
def decide_command(state, number: str, username: str, notify: bool, reference: str | None,
                   reason: str, as_json: bool) -> None:
    """Record the decision on notifying the AP (within 72 hours of the deletion)."""
    actor = login(state, username)
    updated = service.decide(state.store(), actor, number, notify=notify, reason=reason,
                             reference=reference)
    if as_json:
        _json(breach_json(updated))
    else:
        out_console.print(Text(f"Datalek {updated.number}: ")
                          .append(labels.dpa_decision(updated.dpa_decision))
                          .append(" (").append(_deadline_text(updated)).append(")"))


@breach_group.command("close")
@click.argument("number")
@USER
@click.option("--note", default="", help="A closing note.")
@JSON
@pass_state
def close_command(state, number: str, username: str, note: str, as_json: bool) -> None:
    """Close a record (decided, measures recorded, informing answered)."""
    actor = login(state, username)
    updated = service.close_breach(state.store(), actor, number, note)
    if as_json:
        _json(breach_json(updated))
    else:
        out_console.print(f"Datalek {updated.number} afgesloten.")


@breach_group.command("export")
@USER
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the CSV and the PDF.")
@click.option("--number", help="Only this record.")
@pass_state
def export_command(state, username: str, out_dir: Path, number: str | None) -> None:
    """The register as CSV and as a Dutch PDF with the fields of the AP's form."""
    actor = login(state, username)
    result = service.export_register(state.store(), actor, out_dir, number)
    out_console.print(Text(f"{aantal(result.count, 'datalek', 'datalekken')} geëxporteerd:\n")
                      .append(line_text(str(result.csv_path))).append("\n")
                      .append(line_text(str(result.pdf_path))))


commands = [breach_group]
