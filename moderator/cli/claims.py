"""CLI verbs: ``moderator claim|assign|release ITEM`` (who handles a queue item or a
dossier)."""

from __future__ import annotations

import click
from rich.text import Text

from moderator import clock
from moderator.cli.common import login, out_console, pass_state, print_json
from moderator.services import claims

USER = click.option("--user", "username", required=True,
                    help="Your account (password from MODERATOR_PASSWORD or prompted).")
JSON = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")


def _claim_json(c) -> dict:
    return {"subject": c.subject, "holder": c.holder, "holder_name": c.holder_name,
            "since": c.claimed_at, "by": c.claimed_by}


@click.command("claim")
@click.argument("item")
@USER
@JSON
@pass_state
def claim_command(state, item: str, username: str, as_json: bool) -> None:
    """Take a queue item (post:ID, comment:ID) or a dossier (INC-…): 'ik pak dit op'."""
    held = claims.claim(state.store(), login(state, username), item)
    if as_json:
        print_json(_claim_json(held))
    else:
        out_console.print(Text(f"Opgepakt: {held.subject} (sinds {clock.display(held.claimed_at)})."))


@click.command("assign")
@click.argument("item")
@click.option("--to", "to", required=True, metavar="ACCOUNT", help="The colleague's account.")
@USER
@JSON
@pass_state
def assign_command(state, item: str, to: str, username: str, as_json: bool) -> None:
    """Give a queue item or a dossier to a colleague of the school with the right role."""
    held = claims.assign(state.store(), login(state, username), item, to)
    if as_json:
        print_json(_claim_json(held))
    else:
        line = Text(f"Toegewezen: {held.subject} aan ")
        line.append(Text(held.holder_name))
        out_console.print(line.append("."))


@click.command("release")
@click.argument("item")
@USER
@pass_state
def release_command(state, item: str, username: str) -> None:
    """Hand a queue item or a dossier back (nobody holds it any more)."""
    claims.release(state.store(), login(state, username), item)
    out_console.print(Text(f"Teruggegeven: {item.strip()}."))


commands = [claim_command, assign_command, release_command]
