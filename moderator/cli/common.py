"""What every verb shares: paths, opening the store, logging in, printing, errors."""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from moderator.config import Paths, resolve_paths
from moderator.errors import UsageError
from moderator.policy.access import SYSTEM, Actor
from moderator.text import json_text, one_line

if TYPE_CHECKING:
    # Imported where used: `moderator check` needs no database, and sqlite-utils and
    # argon2 take longer to import than checking a draft does.
    from moderator.store import Store

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)


@dataclass
class State:
    paths: Paths
    _store: Store | None = None

    @classmethod
    def from_options(cls, db: str | None, archives: str | None,
                     witness: str | None = None) -> State:
        return cls(resolve_paths(db, archives, witness))

    def store(self) -> Store:
        if self._store is None:
            if not self.paths.db.parent.is_dir():
                # A typo in --db must not silently create a folder and an empty database.
                raise UsageError(f"map {self.paths.db.parent} bestaat niet (--db of MODERATOR_DB)")
            from moderator.store import Store

            read_only = self.paths.db.exists() and not writable(self.paths.db)
            self._store = Store(self.paths.db, self.paths.archives, self.paths.witness,
                                read_only=read_only, on_wait=_say_waiting)
            if not read_only:
                recover_on_start(self._store)
        return self._store


def writable(db: os.PathLike) -> bool:
    """Can the database and its WAL files be written (not a read-only file or mount)?"""
    folder = os.path.dirname(os.path.abspath(db))
    return os.access(db, os.W_OK) and os.access(folder, os.W_OK)


def _say_waiting() -> None:
    err_console.print("wachten: een ander proces (bijvoorbeeld een import) schrijft in de"
                      " database; dit gaat vanzelf verder", markup=False, soft_wrap=True)


def recover_on_start(store: Store) -> None:
    """Finish or roll back deletions a crash interrupted, so every CLI run starts from a
    consistent state. Cheap when nothing was interrupted."""
    from moderator.services.recovery import recover_interrupted

    report = recover_interrupted(store)
    if report is None:
        return
    for item in report.finished:
        err_console.print(f"hersteld: onderbroken verwijdering van {one_line(item)} afgemaakt",
                          markup=False, soft_wrap=True)
    for item in report.rolled_back:
        err_console.print(f"hersteld: onderbroken verwijdering van {one_line(item)}"
                          " teruggedraaid (het item blijft staan)", markup=False,
                          soft_wrap=True)


pass_state = click.make_pass_decorator(State)


def read_password(confirm: bool = False) -> str:
    """The password from MODERATOR_PASSWORD, else prompted (twice when ``confirm``)."""
    from_env = os.environ.get("MODERATOR_PASSWORD")
    if from_env is not None:
        return from_env
    try:
        return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=confirm)
    except click.Abort:
        # No terminal to ask on (a script, a pipe) or the user pressed ctrl+d/ctrl+c.
        raise UsageError(
            "geen wachtwoord ontvangen: typ het in een terminal of zet MODERATOR_PASSWORD"
        ) from None


def read_new_password(first: bool = False) -> str:
    """A new account password: MODERATOR_NEW_PASSWORD, else asked twice. For the very
    first account (no login, so MODERATOR_PASSWORD is not taken) that variable counts too."""
    for name in ("MODERATOR_NEW_PASSWORD",) + (("MODERATOR_PASSWORD",) if first else ()):
        value = os.environ.get(name)
        if value is not None:
            return value
    try:
        return click.prompt("Nieuw wachtwoord", hide_input=True, confirmation_prompt=True)
    except click.Abort:
        raise UsageError(
            "geen nieuw wachtwoord ontvangen: typ het in een terminal of zet"
            " MODERATOR_NEW_PASSWORD") from None


def login(state: State, username: str) -> Actor:
    from moderator.services.accounts import authenticate

    return authenticate(state.store(), username, read_password())


def operator() -> Actor:
    """The operator running a server job (import, scan) without an account: whoever holds
    the database file has everything anyway. The audit log records the OS user."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):       # no user name in the environment nor passwd
        name = "?"
    return dataclasses.replace(SYSTEM, username=f"system:{one_line(name, 64)}")


def print_json(value: Any, indent: int | None = 2, *, sort_keys: bool = False) -> None:
    """The one printer for every ``--json``: control, format and bidi characters are
    escaped as \\uXXXX (moderator.text.json_text), never printed raw."""
    click.echo(json_text(value, indent, sort_keys=sort_keys))


def for_terminal() -> bool:
    """True when stdout is a terminal: print a table; otherwise plain lines (print_rows)."""
    return out_console.is_terminal


def print_rows(headers: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """Tab-separated lines for a pipe or a file: a header line, then one line per row.
    Every value goes through text.one_line, so no tab, newline or control character
    from portal text can break a line or reach the terminal."""
    click.echo("\t".join(headers))
    for row in rows:
        click.echo("\t".join(one_line(value) for value in row))


def open_console(state: State, demo: bool = False) -> None:
    from moderator.app import run_console  # Textual is imported only when the console opens

    store = state.store()
    if demo:
        from moderator.demo import ensure_demo

        ensure_demo(store)
    run_console(store, demo=demo)
