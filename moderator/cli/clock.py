"""CLI verbs: ``moderator tick`` (the clock for cron or a systemd timer) and
``moderator measure end|extend`` (the director changes a measure's term)."""

from __future__ import annotations

import click
from rich.text import Text

from moderator.cli.common import login, operator, out_console, pass_state, print_json
from moderator.services import clock_tick
from moderator.services import measures as measure_service


@click.command("tick")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--quiet", is_flag=True, help="Print nothing when nothing happened.")
@pass_state
def tick(state, as_json: bool, quiet: bool) -> None:
    """Run the clock once: lift measures whose end date came, mark overdue items."""
    report = clock_tick.tick(state.store(), operator())
    if as_json:
        print_json(report.as_dict())
        return
    if quiet and not report.lifted and not report.overdue:
        return
    for line in report.lifted:
        out_console.print(Text(f"opgeheven: {line}"))
    out_console.print(Text(f"{len(report.lifted)} maatregel(en) opgeheven,"
                           f" {report.overdue} item(s) over de termijn gemarkeerd."))


@click.group("measure")
def measure() -> None:
    """A measure with a term: end it early or extend it (directors)."""


@measure.command("end")
@click.argument("event", type=int)
@click.option("--user", "username", required=True)
@click.option("--reason", required=True, help="Why the measure ends before its end date.")
@pass_state
def end_command(state, event: int, username: str, reason: str) -> None:
    """End a measure (its dossier entry number) before its end date."""
    term = measure_service.end_early(state.store(), login(state, username), event, reason)
    out_console.print(Text(f"{term.label} in dossier {term.incident_number} beëindigd."))


@measure.command("extend")
@click.argument("event", type=int)
@click.option("--user", "username", required=True)
@click.option("--until", "ends_on", metavar="DATE", help="The new day it is lifted.")
@click.option("--until-further-notice", "indefinite", is_flag=True)
@click.option("--reason", default="", help="Why.")
@pass_state
def extend_command(state, event: int, username: str, ends_on: str | None, indefinite: bool,
                   reason: str) -> None:
    """Move a measure's end date later, or to 'until further notice'."""
    term = measure_service.extend(state.store(), login(state, username), event, ends_on,
                                  until_further_notice=indefinite, reason=reason)
    until = term.ends_on.strftime("%d-%m-%Y") if term.ends_on else "nader order"
    out_console.print(Text(f"{term.label} in dossier {term.incident_number} loopt tot {until}."))


commands = [tick, measure]


@click.command("due")
@click.option("--user", "username", required=True,
              help="Your account (password from MODERATOR_PASSWORD or prompted).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--quiet", is_flag=True, help="Print nothing when nothing waits (for cron mail).")
@pass_state
def due(state, username: str, as_json: bool, quiet: bool) -> None:
    """What waits for you: overdue items, dossiers, measures ending, retention terms."""
    from moderator.clock import display
    from moderator.services.worklist import worklist
    from moderator.text import one_line

    found = worklist(state.store(), login(state, username))
    if as_json:
        print_json(found.as_dict())
        return
    if quiet and found.empty:
        return
    click.echo(f"Werklijst van {one_line(found.name, 60)}, {display(found.at)}")
    if found.empty:
        click.echo("Niets dat op u wacht.")
    for section in found.sections:
        if not section.total:
            continue
        click.echo(f"\n{section.title} ({section.total})")
        for item in section.items:
            click.echo(f"  {one_line(item.subject, 40)}  {one_line(item.text, 200)}")
        if section.total > len(section.items):
            click.echo(f"  … en nog {section.total - len(section.items)}")


commands.append(due)
