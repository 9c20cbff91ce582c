"""Password hashing: argon2id at the OWASP recommendation, with a seam for tests.

Production uses :data:`STRONG` (argon2id, 19 MiB, two passes, one lane: the OWASP
Password Storage Cheat Sheet's first recommended configuration). A hash made with other
parameters (for example the library's older 64 MiB default) still verifies, and
:func:`needs_rehash` tells the login to store a fresh hash. Tests switch to
:data:`CHEAP` with :func:`use` so that each account costs microseconds, not a quarter
of a second; a test checks that the default is :data:`STRONG`.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError


@dataclass(frozen=True)
class Parameters:
    time_cost: int
    memory_cost: int      # KiB
    parallelism: int


STRONG = Parameters(time_cost=2, memory_cost=19 * 1024, parallelism=1)
CHEAP = Parameters(time_cost=1, memory_cost=8, parallelism=1)

_current = STRONG
_hasher: PasswordHasher | None = None


def use(parameters: Parameters) -> None:
    """Hash new passwords with ``parameters`` from now on (tests use :data:`CHEAP`)."""
    global _current, _hasher
    _current, _hasher = parameters, None


def current() -> Parameters:
    return _current


def _get() -> PasswordHasher:
    global _hasher
    if _hasher is None:
        _hasher = PasswordHasher(time_cost=_current.time_cost, memory_cost=_current.memory_cost,
                                 parallelism=_current.parallelism, type=Type.ID)
    return _hasher


def hash_password(password: str) -> str:
    return _get().hash(password)


def verify(stored: str, password: str) -> bool:
    """True when ``password`` matches ``stored`` (made with any argon2 parameters)."""
    try:
        return _get().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with other parameters than today's."""
    try:
        return _get().check_needs_rehash(stored)
    except InvalidHashError:
        return True
