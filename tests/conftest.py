"""Shared fixtures: a fresh store in a temporary folder, and a small school."""

from __future__ import annotations

import pytest

from moderator import passwords
from moderator.store import Store


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes():
    """argon2 at production strength costs a quarter of a second per hash; tests hash
    with the cheapest parameters (tests/test_passwords.py checks production's)."""
    passwords.use(passwords.CHEAP)
    yield
    passwords.use(passwords.STRONG)


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch, tmp_path):
    """Time is pinned so school years, ages and lockouts are reproducible."""
    monkeypatch.setenv("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")
    monkeypatch.delenv("MODERATOR_DB", raising=False)
    # A CLI run without --archives uses the test's folder, not ./archives in the tree
    # (its witness file would land beside it).
    monkeypatch.setenv("MODERATOR_ARCHIVES", str(tmp_path / "archives"))
    monkeypatch.delenv("MODERATOR_WITNESS", raising=False)
    monkeypatch.delenv("MODERATOR_PASSWORD", raising=False)


@pytest.fixture
def fresh_store(tmp_path):
    store = Store(tmp_path / "moderator.db", tmp_path / "archives")
    yield store
    store.close()


@pytest.fixture
def school_store(fresh_store):
    """A store with one school, two class groups, staff, parents and pupils."""
    s = fresh_store
    with s.write():
        s.execute("INSERT INTO schools (id, name, brin) VALUES ('s1', 'De Klimboom', '12AB')")
        s.executemany("INSERT INTO groups (id, school_id, name, kind) VALUES (?, 's1', ?, ?)", [
            ("g3", "Groep 3", "class"), ("g5", "Groep 5", "class"),
            ("gs", "Algemene schoolgroep", "school")])
        s.executemany("INSERT INTO people (id, school_id, name, role) VALUES (?, 's1', ?, ?)", [
            ("t3", "Juf Anouk", "teacher"), ("t5", "Meester Bram", "teacher"),
            ("d1", "Directeur Carla", "director"), ("p1", "Ouder Dirk", "parent"),
            ("p2", "Ouder Eva", "parent")])
        s.executemany("INSERT INTO group_admins VALUES (?, ?)", [("g3", "t3"), ("g5", "t5"),
                                                                  ("gs", "d1")])
    return s
