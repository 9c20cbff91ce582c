"""CLI verbs: ``moderator user add|list|disable|enable|reset``.

Changing accounts needs ``--user``: a school administrator or director (accounts of their
school) or the AVG coordinator (foundation accounts). Only the first account of an empty
database is created without a login. The audit log names the login and the OS user.
"""

from __future__ import annotations

import click
from rich.table import Table

from moderator import clock, labels
from moderator.cli.common import (
    login,
    operator,
    out_console,
    pass_state,
    print_json,
    read_new_password,
)
from moderator.policy.access import AVG
from moderator.rich_text import line_text
from moderator.services.accounts import (
    NEED_LOGIN,
    add_account,
    add_first_account,
    is_locked,
    list_accounts,
    require_login_unless_first,
    set_disabled,
    set_password,
)

USER_OPTION = click.option(
    "--user", "login_name", metavar="LOGIN",
    help="Your login: a school administrator or the AVG coordinator (not needed for the"
         " very first account of an empty database).")


def _os_user() -> str:
    return operator().username.partition(":")[2] or "?"


def _admin(state, login_name: str | None):
    if not login_name:
        from moderator.errors import AuthenticationFailed

        raise AuthenticationFailed(NEED_LOGIN)
    return login(state, login_name)


@click.group("user")
def user() -> None:
    """Manage console accounts."""


@user.command("add")
@click.argument("username")
@click.option("--person", "person_id", metavar="ID", help="The staff member's portal person id.")
@click.option("--role", type=click.Choice([AVG]),
              help="'avg' for the AVG coordinator (no person, no school).")
@USER_OPTION
@pass_state
def add(state, username: str, person_id: str | None, role: str | None,
        login_name: str | None) -> None:
    """Add an account. Its password comes from MODERATOR_NEW_PASSWORD or is asked twice
    (for the very first account also MODERATOR_PASSWORD)."""
    store = state.store()
    if login_name:
        actor = login(state, login_name)
        password = read_new_password()
        account = add_account(store, username, password, person_id=person_id, role=role,
                              actor=actor, os_user=_os_user())
    else:
        require_login_unless_first(store)   # before asking for a password
        password = read_new_password(first=True)
        account = add_first_account(store, username, password, person_id=person_id,
                                    role=role, os_user=_os_user())
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
        print_json([
            {"username": a.username, "role": a.role, "person": a.person_id,
             "school": a.school_id, "name": a.name, "disabled": a.disabled,
             "locked_until": a.locked_until} for a in accounts])
        return
    table = Table(title="Accounts", title_justify="left")
    for column in ("Gebruiker", "Rol", "Naam", "School", "Status"):
        table.add_column(column)
    for a in accounts:
        status = "uitgeschakeld" if a.disabled else (
            f"geblokkeerd tot {clock.display(a.locked_until)}" if is_locked(a) else "actief")
        table.add_row(line_text(a.username), labels.account_role(a.role),
                      line_text(a.name, 60), line_text(a.school_id or "-"), line_text(status))
    out_console.print(table)


@user.command("disable")
@click.argument("username")
@USER_OPTION
@pass_state
def disable(state, username: str, login_name: str | None) -> None:
    """Disable an account (it can no longer log in)."""
    actor = _admin(state, login_name)
    account = set_disabled(state.store(), username, True, actor=actor, os_user=_os_user())
    out_console.print(line_text(f"Account {account.username} uitgeschakeld."))


@user.command("enable")
@click.argument("username")
@USER_OPTION
@pass_state
def enable(state, username: str, login_name: str | None) -> None:
    """Enable a disabled account again (it can log in)."""
    actor = _admin(state, login_name)
    account = set_disabled(state.store(), username, False, actor=actor, os_user=_os_user())
    out_console.print(line_text(f"Account {account.username} weer ingeschakeld."))


@user.command("reset")
@click.argument("username")
@USER_OPTION
@pass_state
def reset(state, username: str, login_name: str | None) -> None:
    """Give an account a new password (MODERATOR_NEW_PASSWORD or asked twice); lifts a
    lockout."""
    actor = _admin(state, login_name)
    password = read_new_password()
    set_password(state.store(), username, password, actor=actor, os_user=_os_user())
    out_console.print(line_text(f"Account {username} heeft een nieuw wachtwoord."))


commands = [user]
