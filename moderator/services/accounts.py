"""Accounts: logging in (argon2 hashes, lockout after repeated failures) and managing
accounts (add, disable, enable, list, new password).

Who may manage which account is :func:`moderator.policy.access.may_manage_accounts`: a
school's director or school admin the accounts of that school, the AVG coordinator the
foundation's accounts (those without a school). From the command line a change needs
that login (``--user``); only the very first account of an empty database is made
without one (:func:`add_first_account`). Every change is in the audit log with the login
that made it and the OS user running the command; every login attempt too.

Every failed login (unknown name, wrong password, locked, disabled) gets the same answer,
:data:`LOGIN_FAILED`, so the login does not tell who has an account; the reason is in the
audit log. Lockouts run on the real clock: ``MODERATOR_NOW`` does not lift them.
"""

from __future__ import annotations

from datetime import timedelta

from moderator import clock, labels, passwords
from moderator.errors import AuthenticationFailed, NotFound, PermissionDenied, UsageError
from moderator.policy import access
from moderator.policy.access import ACCOUNT_ROLE_FOR_PERSON, AVG, SYSTEM, Actor
from moderator.store import accounts, audit
from moderator.store.accounts import Account
from moderator.store.db import Store

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
LOGIN_FAILED = "Onbekende gebruikersnaam of onjuist wachtwoord."
UNKNOWN = LOGIN_FAILED
NEED_LOGIN = ("Meld u aan met --user als schoolbeheerder of directeur (accounts van uw school)"
              " of als AVG-coördinator (accounts van de stichting); alleen het allereerste"
              " account van een lege database wordt zonder aanmelden aangemaakt.")
_DUMMY_HASH: str | None = None


def _burn(password: str) -> None:
    """Spend the time of a password check, so a refusal without one is not faster."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = passwords.hash_password("moderator-dummy-password")
    passwords.verify(_DUMMY_HASH, password)


def _with_os_user(detail: dict, os_user: str | None) -> dict:
    return {**detail, "os_user": os_user} if os_user else detail


def require_login_unless_first(store: Store) -> None:
    """Without a login only the first account of an empty database may be made."""
    if accounts.count(store):
        raise AuthenticationFailed(NEED_LOGIN)


def add_first_account(store: Store, username: str, password: str, *,
                      person_id: str | None = None, role: str | None = None,
                      os_user: str | None = None) -> Account:
    """The very first account of an empty database, made without a login by whoever runs
    the command (the OS user is recorded); refused once any account exists."""
    with store.write():
        require_login_unless_first(store)
        return add_account(store, username, password, person_id=person_id, role=role,
                           actor=SYSTEM, os_user=os_user)


def _valid_username(username: str) -> bool:
    bare = username.replace("-", "").replace(".", "").replace("_", "")
    return bool(username) and username.isascii() and bare.isalnum()


def add_account(
    store: Store, username: str, password: str, *, person_id: str | None = None,
    role: str | None = None, actor: Actor = SYSTEM, os_user: str | None = None,
) -> Account:
    """Create an account. Staff accounts take role and school from their person record;
    the AVG coordinator (``role='avg'``) has no school and no person."""
    if not _valid_username(username):
        raise UsageError(f"gebruikersnaam {username!r}: gebruik letters, cijfers, '.', '-' of '_'")
    if len(password) < 4:
        raise UsageError("wachtwoord te kort (minstens 4 tekens)")
    with store.write():
        if accounts.exists(store, username):
            raise UsageError(f"account {username!r} bestaat al")
        if role == AVG:
            if not access.may_manage_accounts(actor, None):
                raise PermissionDenied(
                    "alleen de AVG-coördinator of een systeembeheerder maakt AVG-accounts aan")
            school_id = None
        else:
            if person_id is None:
                raise UsageError("een personeelsaccount heeft --person nodig (of --role avg)")
            person = accounts.person(store, person_id)
            if person is None:
                raise NotFound(f"persoon {person_id!r} niet gevonden")
            derived = ACCOUNT_ROLE_FOR_PERSON.get(person.role)
            if derived is None:
                raise UsageError(
                    f"persoon {person_id!r} is {labels.role(person.role)}; alleen personeel"
                    " krijgt een account")
            if role is not None and role != derived:
                raise UsageError(f"persoon {person_id!r} is {labels.role(person.role)},"
                                 f" geen {labels.role(role)}")
            role = derived
            school_id = person.school_id
            if not access.may_manage_accounts(actor, school_id):
                raise PermissionDenied("je mag de accounts van deze school niet beheren")
        accounts.insert_account(store, username=username, person_id=person_id, role=role,
                                school_id=school_id,
                                password_hash=passwords.hash_password(password),
                                created_at=clock.now_iso())
        audit.append(store, actor.username, "user.add", f"account:{username}",
                     _with_os_user({"role": role, "person": person_id}, os_user), school_id)
    return accounts.get_account(store, username)


def list_accounts(store: Store, *, actor: Actor = SYSTEM) -> list[Account]:
    """The accounts the actor manages: every account for the operator and the AVG
    coordinator's foundation-wide view, a school's for its director or school admin."""
    if actor.is_system or access.may_manage_accounts(actor, None):
        return accounts.list_accounts(store)
    if not access.may_manage_accounts(actor, actor.school_id):
        raise PermissionDenied("je mag geen accounts beheren")
    return accounts.list_accounts(store, actor.school_id)


def set_disabled(store: Store, username: str, disabled: bool = True, *,
                 actor: Actor = SYSTEM, os_user: str | None = None) -> Account:
    """Switch an account off (it can no longer log in) or on again."""
    with store.write():
        account = accounts.get_account(store, username)
        if not access.may_manage_accounts(actor, account.school_id):
            raise PermissionDenied("je mag dit account niet beheren")
        accounts.set_disabled(store, username, disabled)
        audit.append(store, actor.username, "user.disable" if disabled else "user.enable",
                     f"account:{username}", _with_os_user({}, os_user), account.school_id)
    return accounts.get_account(store, username)


def set_password(store: Store, username: str, password: str, *, actor: Actor = SYSTEM,
                 os_user: str | None = None) -> None:
    """A new password (by the account itself or whoever manages it); clears a lockout."""
    if len(password) < 4:
        raise UsageError("wachtwoord te kort (minstens 4 tekens)")
    with store.write():
        account = accounts.get_account(store, username)
        if actor.username != username and not access.may_manage_accounts(actor,
                                                                           account.school_id):
            raise PermissionDenied("je mag dit wachtwoord niet wijzigen")
        locked = accounts.credentials(store, username)
        accounts.set_password_hash(store, username, passwords.hash_password(password))
        audit.append(store, actor.username, "user.password", f"account:{username}",
                     _with_os_user({}, os_user), account.school_id)
        if locked is not None and locked.locked_until and \
                _locked(locked.locked_until, clock.real_now()):
            audit.append(store, actor.username, "account.unlocked", f"account:{username}",
                         {"locked_until": locked.locked_until}, account.school_id)


def authenticate(store: Store, username: str, password: str) -> Actor:
    """Check a password. Five failures in a row lock the account for fifteen minutes on
    the real clock. Every failure answers :data:`LOGIN_FAILED`; the reason is in the
    audit log, with every success."""
    now = clock.real_now()
    failure: str | None = None
    with store.write():
        found = accounts.credentials(store, username)
        if found is None:
            _burn(password)
            # The typed name is not logged: it may be a mistyped password (append-only log).
            audit.append(store, "-", "login.failed", "account:?", {"why": "unknown"})
            failure = LOGIN_FAILED
        elif found.disabled:
            _burn(password)
            audit.append(store, username, "login.failed", f"account:{username}",
                         {"why": "disabled"}, found.school_id)
            failure = LOGIN_FAILED
        elif found.locked_until and _locked(found.locked_until, now):
            _burn(password)
            audit.append(store, username, "login.failed", f"account:{username}",
                         {"why": "locked", "locked_until": found.locked_until}, found.school_id)
            failure = LOGIN_FAILED
        elif passwords.verify(found.password_hash, password):
            accounts.record_login(store, username, failed_logins=0, locked_until=None)
            if passwords.needs_rehash(found.password_hash):
                # made with older parameters: store a hash at today's strength
                accounts.set_password_hash(store, username, passwords.hash_password(password),
                                           reset_failures=False)
            audit.append(store, username, "login", f"account:{username}", {}, found.school_id)
        else:
            failed = found.failed_logins + 1
            locked = None
            if failed >= MAX_FAILED_LOGINS:
                locked = (now + LOCKOUT).isoformat(timespec="seconds")
                failed = 0
            accounts.record_login(store, username, failed_logins=failed, locked_until=locked)
            audit.append(store, username, "login.failed", f"account:{username}",
                         {"why": "password", "locked_until": locked}, found.school_id)
            if locked:
                # The lockout is its own entry, so it is not read as just another failure.
                audit.append(store, "system", "account.locked", f"account:{username}",
                             {"locked_until": locked, "failures": MAX_FAILED_LOGINS},
                             found.school_id)
            failure = LOGIN_FAILED
    if failure:
        raise AuthenticationFailed(failure)
    return accounts.actor_for(store, username)


def _locked(locked_until: str, now) -> bool:
    try:
        return clock.parse(locked_until) > now
    except ValueError:
        return True     # an unreadable lock stays a lock until an administrator resets it


def is_locked(account: Account) -> bool:
    """Locked right now, on the real clock (for the administrator's account list)."""
    return bool(account.locked_until) and _locked(account.locked_until, clock.real_now())
