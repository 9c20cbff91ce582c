"""CLI verbs: ``moderator meldcode start|step|show`` (the Meldcode track of a dossier:
director and AVG coordinator only)."""

from __future__ import annotations

import click

from moderator import clock
from moderator.cli.common import login, pass_state, print_json
from moderator.services import meldcode
from moderator.store.meldcode import DECISIONS, STEPS
from moderator.text import one_line

USER = click.option("--user", "username", required=True,
                    help="Your account (password from MODERATOR_PASSWORD or prompted).")


def _print(track, number: str, as_json: bool) -> None:
    if as_json:
        print_json(None if track is None else {
            "incident": number, "started_at": track.started_at, "started_by": track.started_by,
            "steps": [{"step": s.step, "label": s.label, "at": s.at, "author": s.author,
                       "text": s.text, "decision": s.decision} for s in track.steps],
            "next_step": track.next_step})
        return
    if track is None:
        click.echo(f"Dossier {one_line(number, 40)} staat niet op het Meldcode-traject.")
        return
    click.echo(f"Meldcode-traject sinds {clock.display(track.started_at)}"
               f" (door {one_line(track.started_by, 40)})")
    for s in track.steps:
        decision = f" — {DECISIONS[s.decision]}" if s.decision else ""
        click.echo(f"  {s.step}. {s.label}{decision}: {clock.display(s.at)} door"
                   f" {one_line(s.author, 40)}")
        click.echo(f"     {one_line(s.text, 300)}")
    if track.next_step:
        click.echo(f"Volgende stap: {track.next_step}. {STEPS[track.next_step]}")


@click.group("meldcode")
def meldcode_group() -> None:
    """The Meldcode track of a dossier (domestic violence, child abuse)."""


@meldcode_group.command("start")
@click.argument("incident")
@USER
@pass_state
def start_command(state, incident, username) -> None:
    """Put a dossier on the Meldcode track (director)."""
    track = meldcode.start(state.store(), login(state, username), incident)
    _print(track, incident, False)


@meldcode_group.command("step")
@click.argument("incident")
@click.option("--step", required=True, type=click.IntRange(1, 5))
@click.option("--text", "body", required=True)
@click.option("--at", metavar="DATE", help="When it happened (default now).")
@click.option("--decision", type=click.Choice(list(DECISIONS)), help="Step 5: report or help.")
@USER
@pass_state
def step_command(state, incident, step, body, at, decision, username) -> None:
    """Record the next step of the track (director)."""
    track = meldcode.record_step(state.store(), login(state, username), incident, step, body,
                                 at=at, decision=decision)
    _print(track, incident, False)


@meldcode_group.command("show")
@click.argument("incident")
@USER
@click.option("--json", "as_json", is_flag=True)
@pass_state
def show_command(state, incident, username, as_json) -> None:
    """The track and its steps (director, AVG coordinator; the read is logged)."""
    _print(meldcode.read_track(state.store(), login(state, username), incident), incident,
           as_json)


commands = [meldcode_group]
