"""CLI verbs: ``moderator objection add|decide|list`` (a parent's objection, decided by
the director within the foundation's term)."""

from __future__ import annotations

import click
from rich.text import Text

from moderator import clock
from moderator.cli.common import login, out_console, pass_state, print_json
from moderator.services import objections
from moderator.store.objections import DECISIONS, SUBJECTS
from moderator.text import one_line

USER = click.option("--user", "username", required=True,
                    help="Your account (password from MODERATOR_PASSWORD or prompted).")


def objection_json(o, today) -> dict:
    return {"id": o.id, "incident": o.incident_number, "subject": o.subject,
            "received_on": o.received_on.isoformat(), "due_on": o.due_on.isoformat(),
            "text": o.text, "decision": o.decision, "reason": o.decision_reason,
            "decided_by": o.decided_by, "decided_at": o.decided_at, "late": o.late(today)}


@click.group("objection")
def objection() -> None:
    """A parent's objection to a photo, a removal or a measure."""


@objection.command("add")
@click.argument("incident")
@USER
@click.option("--subject", required=True, type=click.Choice(list(SUBJECTS)))
@click.option("--text", "body", required=True, help="What the parent objects to, and why.")
@click.option("--received", metavar="DATE", help="When it came in (default today).")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def add_command(state, incident, username, subject, body, received, as_json) -> None:
    """Record an objection in the dossier; its decision term starts."""
    found = objections.record(state.store(), login(state, username), incident, subject, body,
                              received_on=received)
    if as_json:
        print_json(objection_json(found, clock.now().date()))
    else:
        out_console.print(Text(f"Bezwaar {found.id} vastgelegd in {found.incident_number};"
                               f" beslissen uiterlijk {clock.display(found.due_on.isoformat())}."))


@objection.command("decide")
@click.argument("objection_id", type=int)
@USER
@click.option("--decision", required=True, type=click.Choice(list(DECISIONS)))
@click.option("--reason", required=True)
@pass_state
def decide_command(state, objection_id, username, decision, reason) -> None:
    """The director decides: upheld or rejected, with the reason."""
    found = objections.decide(state.store(), login(state, username), objection_id, decision,
                              reason)
    late = " (te laat)" if found.late(clock.now().date()) else ""
    out_console.print(Text(f"Bezwaar {found.id}: {DECISIONS[decision]}{late}."))


@objection.command("list")
@USER
@click.option("--json", "as_json", is_flag=True)
@pass_state
def list_command(state, username, as_json) -> None:
    """The school's undecided objections, earliest term first (director)."""
    found = objections.open_objections(state.store(), login(state, username))
    today = clock.now().date()
    if as_json:
        print_json([objection_json(o, today) for o in found])
        return
    for o in found:
        late = " (te laat)" if o.late(today) else ""
        click.echo(f"{o.id}  {o.incident_number}  {o.subject_label}: beslissen uiterlijk"
                   f" {clock.display(o.due_on.isoformat())}{late}  {one_line(o.text, 80)}")


commands = [objection]
