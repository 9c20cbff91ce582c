"""CLI verbs: ``moderator user add|list|disable|enable`` (run by the system administrator)."""

from __future__ import annotations

import json

import click
from rich.table import Table

from moderator import clock, labels
from moderator.cli.common import out_console, pass_state, read_password
from moderator.policy.access import AVG
from moderator.rich_text import line_text
from moderator.services.accounts import add_account, list_accounts, set_disabled


@click.group("user")
def user() -> None:
    """Manage console accounts."""


@user.command("add")
@click.argument("username")
@click.option("--person", "person_id", metavar="ID", help="The staff member's portal person id.")
@click.option("--role", type=click.Choice([AVG]),
              help="'avg' for the AVG coordinator (no person, no school).")
@pass_state
def add(state, username: str, person_id: str | None, role: str | None) -> None:
    """Add an account; the password comes from MODERATOR_PASSWORD or is asked twice."""
    store = state.store()
    password = read_password(confirm=True)
    account = add_account(store, username, password, person_id=person_id, role=role)
    out_console.print(line_text(
        f"Account {account.username} aangemaakt: {labels.account_role(account.role)}"
        f", {account.name}"))


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_state
def list_(state, as_json: bool) -> None:
    """List the accounts."""
    accounts = list_accounts(state.store())
    if as_json:
        click.echo(json.dumps([
            {"username": a.username, "role": a.role, "person": a.person_id,
             "school": a.school_id, "name": a.name, "disabled": a.disabled,
             "locked_until": a.locked_until} for a in accounts], ensure_ascii=True, indent=2))
        return
    table = Table(title="Accounts", title_justify="left")
    for column in ("Gebruiker", "Rol", "Naam", "School", "Status"):
        table.add_column(column)
    for a in accounts:
        status = "uitgeschakeld" if a.disabled else (
            f"geblokkeerd tot {clock.display(a.locked_until)}" if a.locked_until else "actief")
        table.add_row(line_text(a.username), labels.account_role(a.role),
                      line_text(a.name, 60), line_text(a.school_id or "-"), line_text(status))
    out_console.print(table)


@user.command("disable")
@click.argument("username")
@pass_state
def disable(state, username: str) -> None:
    """Disable an account (it can no longer log in)."""
    account = set_disabled(state.store(), username, True)
    out_console.print(line_text(f"Account {account.username} uitgeschakeld."))


@user.command("enable")
@click.argument("username")
@pass_state
def enable(state, username: str) -> None:
    """Enable a disabled account again (it can log in)."""
    account = set_disabled(state.store(), username, False)
    out_console.print(line_text(f"Account {account.username} weer ingeschakeld."))


commands = [user]
