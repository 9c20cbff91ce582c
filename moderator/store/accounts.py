"""Accounts: the rows behind logging in (password hash, failed attempts, lockout) and
the :class:`~moderator.policy.access.Actor` an account acts as.

Checking a password, the lockout rule and who may manage which account are
:mod:`moderator.services.accounts`; this module reads and writes the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderator.errors import NotFound
from moderator.policy.access import Actor
from moderator.store.db import Store


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    person_id: str | None
    school_id: str | None
    name: str
    disabled: bool
    locked_until: str | None


@dataclass(frozen=True)
class Credentials:
    """What a login attempt is checked against."""

    username: str
    school_id: str | None
    password_hash: str
    disabled: bool
    locked_until: str | None
    failed_logins: int


@dataclass(frozen=True)
class StaffMember:
    """A portal person, as far as giving them an account goes."""

    id: str
    school_id: str
    role: str


def _account(row) -> Account:
    return Account(
        username=row["username"], role=row["role"], person_id=row["person_id"],
        school_id=row["school_id"], name=row["name"] or row["username"],
        disabled=bool(row["disabled"]), locked_until=row["locked_until"],
    )


_SELECT = (
    "SELECT a.*, p.name AS name FROM accounts a LEFT JOIN people p ON p.id = a.person_id"
)


def count(store: Store) -> int:
    """How many accounts there are (0: an empty database, the first account may be made)."""
    return store.scalar("SELECT count(*) FROM accounts") or 0


def exists(store: Store, username: str) -> bool:
    return store.row("SELECT 1 FROM accounts WHERE username = ?", (username,)) is not None


def person(store: Store, person_id: str) -> StaffMember | None:
    row = store.row("SELECT id, school_id, role FROM people WHERE id = ?", (person_id,))
    return None if row is None else StaffMember(row["id"], row["school_id"], row["role"])


def insert_account(store: Store, *, username: str, person_id: str | None, role: str,
                   school_id: str | None, password_hash: str, created_at: str) -> None:
    with store.write():
        store.execute(
            "INSERT INTO accounts (username, person_id, role, school_id, password_hash,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (username, person_id, role, school_id, password_hash, created_at))


def get_account(store: Store, username: str) -> Account:
    row = store.row(_SELECT + " WHERE a.username = ?", (username,))
    if row is None:
        raise NotFound(f"account {username!r} niet gevonden")
    return _account(row)


def list_accounts(store: Store, school_id: str | None = None) -> list[Account]:
    if school_id is None:
        rows = store.rows(_SELECT + " ORDER BY a.username")
    else:
        rows = store.rows(_SELECT + " WHERE a.school_id = ? ORDER BY a.username", (school_id,))
    return [_account(r) for r in rows]


def set_disabled(store: Store, username: str, disabled: bool) -> None:
    with store.write():
        store.execute("UPDATE accounts SET disabled = ? WHERE username = ?",
                      (int(disabled), username))


def set_password_hash(store: Store, username: str, password_hash: str, *,
                      reset_failures: bool = True) -> None:
    """A new password hash; with ``reset_failures`` failed attempts and a lockout go."""
    with store.write():
        if reset_failures:
            store.execute(
                "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL"
                " WHERE username = ?", (password_hash, username))
        else:
            store.execute("UPDATE accounts SET password_hash = ? WHERE username = ?",
                          (password_hash, username))


def credentials(store: Store, username: str) -> Credentials | None:
    row = store.row("SELECT * FROM accounts WHERE username = ?", (username,))
    if row is None:
        return None
    return Credentials(row["username"], row["school_id"], row["password_hash"],
                       bool(row["disabled"]), row["locked_until"], row["failed_logins"])


def record_login(store: Store, username: str, *, failed_logins: int,
                 locked_until: str | None) -> None:
    """Failed attempts in a row (0 after a success) and the lockout, if any."""
    with store.write():
        store.execute("UPDATE accounts SET failed_logins = ?, locked_until = ?"
                      " WHERE username = ?", (failed_logins, locked_until, username))


def actor_for(store: Store, username: str) -> Actor:
    """The Actor for an account, with the groups it administers."""
    account = get_account(store, username)
    groups = frozenset(
        r[0] for r in store.rows(
            "SELECT group_id FROM group_admins WHERE person_id = ?", (account.person_id,))
    ) if account.person_id else frozenset()
    return Actor(username=account.username, role=account.role, person_id=account.person_id,
                 school_id=account.school_id, name=account.name, admin_groups=groups)
