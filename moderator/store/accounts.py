"""Accounts: argon2 password hashes, lockout after repeated failures, and the Actor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from moderator import clock, labels, passwords
from moderator.errors import AuthenticationFailed, NotFound, PermissionDenied, UsageError
from moderator.policy.access import (
    ACCOUNT_ROLE_FOR_PERSON,
    AVG,
    DIRECTOR,
    SCHOOL_ADMIN,
    SYSTEM,
    Actor,
)
from moderator.store import audit
from moderator.store.db import Store

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    person_id: str | None
    school_id: str | None
    name: str
    disabled: bool
    locked_until: str | None


def _account(row) -> Account:
    return Account(
        username=row["username"], role=row["role"], person_id=row["person_id"],
        school_id=row["school_id"], name=row["name"] or row["username"],
        disabled=bool(row["disabled"]), locked_until=row["locked_until"],
    )


_SELECT = (
    "SELECT a.*, p.name AS name FROM accounts a LEFT JOIN people p ON p.id = a.person_id"
)


def _may_manage(actor: Actor, school_id: str | None) -> bool:
    if actor is SYSTEM:
        return True
    if actor.role in (DIRECTOR, SCHOOL_ADMIN):
        return school_id is not None and school_id == actor.school_id
    return False


def add_account(
    store: Store, username: str, password: str, *, person_id: str | None = None,
    role: str | None = None, actor: Actor = SYSTEM,
) -> Account:
    """Create an account. Staff accounts take role and school from their person record;
    the AVG coordinator (``role='avg'``) has no school and no person."""
    if not username or not username.isascii() or not username.replace("-", "").replace(".", "").replace("_", "").isalnum():
        raise UsageError(f"gebruikersnaam {username!r}: gebruik letters, cijfers, '.', '-' of '_'")
    if len(password) < 4:
        raise UsageError("wachtwoord te kort (minstens 4 tekens)")
    with store.write():
        if store.row("SELECT 1 FROM accounts WHERE username = ?", (username,)):
            raise UsageError(f"account {username!r} bestaat al")
        if role == AVG:
            if actor is not SYSTEM and actor.role != AVG:
                raise PermissionDenied(
                    "alleen de AVG-coördinator of een systeembeheerder maakt AVG-accounts aan")
            school_id = None
        else:
            if person_id is None:
                raise UsageError("een personeelsaccount heeft --person nodig (of --role avg)")
            person = store.row("SELECT * FROM people WHERE id = ?", (person_id,))
            if person is None:
                raise NotFound(f"persoon {person_id!r} niet gevonden")
            derived = ACCOUNT_ROLE_FOR_PERSON.get(person["role"])
            if derived is None:
                raise UsageError(
                    f"persoon {person_id!r} is {labels.role(person['role'])}; alleen personeel"
                    " krijgt een account")
            if role is not None and role != derived:
                raise UsageError(f"persoon {person_id!r} is {labels.role(person['role'])},"
                                 f" geen {labels.role(role)}")
            role = derived
            school_id = person["school_id"]
            if not _may_manage(actor, school_id):
                raise PermissionDenied("je mag de accounts van deze school niet beheren")
        store.execute(
            "INSERT INTO accounts (username, person_id, role, school_id, password_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (username, person_id, role, school_id, passwords.hash_password(password), clock.now_iso()),
        )
        audit.append(store, actor.username, "user.add", f"account:{username}",
                     {"role": role, "person": person_id}, school_id)
    return get_account(store, username)


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


def set_disabled(store: Store, username: str, disabled: bool = True, actor: Actor = SYSTEM) -> Account:
    with store.write():
        account = get_account(store, username)
        if not _may_manage(actor, account.school_id) and not (actor.role == AVG and account.role == AVG):
            raise PermissionDenied("je mag dit account niet beheren")
        store.execute("UPDATE accounts SET disabled = ? WHERE username = ?", (int(disabled), username))
        audit.append(store, actor.username, "user.disable" if disabled else "user.enable",
                     f"account:{username}", {}, account.school_id)
    return get_account(store, username)


def set_password(store: Store, username: str, password: str, actor: Actor = SYSTEM) -> None:
    with store.write():
        account = get_account(store, username)
        if actor.username != username and not _may_manage(actor, account.school_id):
            raise PermissionDenied("je mag dit wachtwoord niet wijzigen")
        store.execute(
            "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL"
            " WHERE username = ?", (passwords.hash_password(password), username))
        audit.append(store, actor.username, "user.password", f"account:{username}", {},
                     account.school_id)


def actor_for(store: Store, username: str) -> Actor:
    """The Actor for an account, with the groups it administers."""
    account = get_account(store, username)
    groups = frozenset(
        r[0] for r in store.rows(
            "SELECT group_id FROM group_admins WHERE person_id = ?", (account.person_id,))
    ) if account.person_id else frozenset()
    return Actor(username=account.username, role=account.role, person_id=account.person_id,
                 school_id=account.school_id, name=account.name, admin_groups=groups)


def authenticate(store: Store, username: str, password: str) -> Actor:
    """Check a password. Five failures in a row lock the account for fifteen minutes.
    Every success and failure is written to the audit log."""
    now = clock.now()
    failure: str | None = None
    with store.write():
        row = store.row("SELECT * FROM accounts WHERE username = ?", (username,))
        if row is None:
            # The typed name is not logged: it may be a mistyped password (append-only log).
            audit.append(store, "-", "login.failed", "account:?", {"why": "unknown"})
            failure = "Onbekende gebruikersnaam of onjuist wachtwoord."
        elif row["disabled"]:
            audit.append(store, username, "login.failed", f"account:{username}",
                         {"why": "disabled"}, row["school_id"])
            failure = "Dit account is uitgeschakeld."
        elif row["locked_until"] and clock.parse(row["locked_until"]) > now:
            audit.append(store, username, "login.failed", f"account:{username}",
                         {"why": "locked"}, row["school_id"])
            failure = f"Account geblokkeerd tot {clock.parse(row['locked_until']):%H:%M} na te veel mislukte pogingen."
        else:
            ok = passwords.verify(row["password_hash"], password)
            if ok:
                store.execute("UPDATE accounts SET failed_logins = 0, locked_until = NULL"
                              " WHERE username = ?", (username,))
                if passwords.needs_rehash(row["password_hash"]):
                    # made with older parameters: store a hash at today's strength
                    store.execute("UPDATE accounts SET password_hash = ? WHERE username = ?",
                                  (passwords.hash_password(password), username))
                audit.append(store, username, "login", f"account:{username}", {}, row["school_id"])
            else:
                failed = row["failed_logins"] + 1
                locked = None
                if failed >= MAX_FAILED_LOGINS:
                    locked = (now + LOCKOUT).isoformat(timespec="seconds")
                    failed = 0
                store.execute("UPDATE accounts SET failed_logins = ?, locked_until = ?"
                              " WHERE username = ?", (failed, locked, username))
                audit.append(store, username, "login.failed", f"account:{username}",
                             {"why": "password", "locked_until": locked}, row["school_id"])
                failure = (f"Te veel mislukte pogingen: account geblokkeerd tot {clock.parse(locked):%H:%M}."
                           if locked else "Onbekende gebruikersnaam of onjuist wachtwoord.")
    if failure:
        raise AuthenticationFailed(failure)
    return actor_for(store, username)
