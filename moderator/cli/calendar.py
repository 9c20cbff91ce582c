"""CLI verbs: ``moderator holidays`` (a school's holidays and working hours) and
``moderator deadlines`` (the foundation's deadline terms)."""

from __future__ import annotations

import click
from rich import box
from rich.table import Table

from moderator import clock
from moderator.cli.common import (
    for_terminal,
    login,
    operator,
    out_console,
    pass_state,
    print_json,
    print_rows,
)
from moderator.rich_text import line_text
from moderator.services import calendar


@click.command("holidays")
@click.option("--school", "school_id", required=True, metavar="ID", help="The school's id.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_state
def holidays(state, school_id: str, as_json: bool) -> None:
    """A school's holidays (from the portal export) and working hours."""
    cal = calendar.school_calendar(state.store(), operator(), school_id)
    if as_json:
        print_json({"school": cal.school_id, "working_hours": {"start": cal.work_start,
                                                                "end": cal.work_end},
                    "holidays": [{"start": h.start.isoformat(), "end": h.end.isoformat(),
                                  "name": h.name} for h in cal.holidays]})
        return
    rows = [[clock.display(h.start.isoformat()), clock.display(h.end.isoformat()), h.name or ""]
            for h in cal.holidays]
    if not for_terminal():
        print_rows(["van", "tot en met", "naam"], rows)
        return
    table = Table(title=f"Vakanties van {cal.school_id} (werktijden {cal.work_start}-"
                  f"{cal.work_end}, maandag tot en met vrijdag)", title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False)
    for header in ("Van", "Tot en met", "Naam"):
        table.add_column(header, no_wrap=header != "Naam")
    for row in rows:
        table.add_row(*(line_text(cell) for cell in row))
    if not rows:
        table.caption = "geen vakanties bekend"
    out_console.print(table)


@click.command("deadlines")
@click.option("--user", "username", metavar="NAME",
              help="The AVG coordinator's account, to change a term.")
@click.option("--working-days", type=int, help="Term for other reasons, in working days.")
@click.option("--urgent-by", metavar="HH:MM",
              help="Next-day time for threats and confidential data after hours.")
@click.option("--objection-days", type=int, help="Decision term for objections, in days.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_state
def deadlines(state, username: str | None, working_days: int | None, urgent_by: str | None,
              objection_days: int | None, as_json: bool) -> None:
    """The foundation's deadline terms by severity (change them with --user)."""
    from moderator.services import objections

    store = state.store()
    if working_days is not None or urgent_by is not None or objection_days is not None:
        if not username:
            raise click.UsageError("--user is nodig om een termijn te wijzigen")
        actor = login(state, username)
        if objection_days is not None:
            objections.set_term(store, actor, objection_days)
        if working_days is not None or urgent_by is not None:
            calendar.set_deadline_rules(store, actor, working_days=working_days,
                                        urgent_next_day=urgent_by)
    rules = calendar.deadline_rules(store)
    urgent = sorted(rules.urgent_reasons)
    if as_json:
        print_json({"urgent_reasons": urgent, "urgent_next_day": rules.urgent_next_day,
                    "working_days": rules.working_days, "objection_days": objections.term_days(store)})
        return
    click.echo(f"Spoed ({', '.join(urgent)}): voor het einde van de werkdag van binnenkomst;"
               f" buiten werktijd binnengekomen: uiterlijk {rules.urgent_next_day} op de"
               " volgende werkdag.")
    click.echo(f"Overige redenen: {rules.working_days} werkdagen (werktijd van de school,"
               " zonder weekend en vakanties).")
    click.echo(f"Bezwaren: besluit binnen {objections.term_days(store)} dagen.")


commands = [holidays, deadlines]
