"""Role x use case for the dossier, retention and AVG services: every cell is either
allowed or refused with PermissionDenied, and a refusal changes nothing (no audit entry,
no access-log line, no row). The rules come from policy/access.py; a school admin
manages accounts only and sees no dossiers or logs."""

from __future__ import annotations

import pytest

from moderator.errors import PermissionDenied
from moderator.policy.access import Actor
from moderator.services import audit_log, dossier, provisions, retention, subject_access, verify
from tests.helpers_avg import (
    AVG,
    DIRECTOR,
    OTHER_DIRECTOR,
    TEACHER,
    add_incident,
    add_second_school,
)

TEACHER_G5 = Actor(username="bram", role="teacher", person_id="t5", school_id="s1",
                   name="Meester Bram", admin_groups=frozenset({"g5"}))
SCHOOL_ADMIN = Actor(username="sanne", role="school_admin", person_id=None, school_id="s1",
                     name="Schoolbeheerder Sanne")

ACTORS = {"teacher": TEACHER, "teacher_other_group": TEACHER_G5, "director": DIRECTOR,
          "director_other_school": OTHER_DIRECTOR, "school_admin": SCHOOL_ADMIN, "avg": AVG}

OPEN = "INC-2026-0001"      # open, group g3 of school s1, no hard copies
CLOSED = "INC-2024-0001"    # closed, retention term passed


def _propose(store, actor):
    return provisions.propose(store, actor, "identity", {"allow": ["political_religious"]})


def _decide(store, actor):
    proposed = provisions.list_provisions(store, AVG, status="proposed")
    return provisions.approve(store, actor, proposed[0].id)


USE_CASES = {
    "list dossiers": lambda s, a: dossier.list_incidents(s, a),
    "read a dossier": lambda s, a: dossier.get_incident(s, a, OPEN),
    "record a note": lambda s, a: dossier.add_event(s, a, OPEN, "note", "Gebeld met de ouder."),
    "escalate": lambda s, a: dossier.escalate(s, a, OPEN, "police_report", "Aangifte gedaan."),
    "close": lambda s, a: dossier.close_incident(s, a, OPEN, "Afgesproken", "geen gesprek"),
    "export": lambda s, a: dossier.export_incident(s, a, OPEN),
    "retention list": lambda s, a: retention.list_retention(s, a),
    "retention term": lambda s, a: retention.set_retention_years(s, a, 3),
    "legal hold": lambda s, a: retention.set_legal_hold(s, a, CLOSED, "klacht loopt"),
    "destroy": lambda s, a: retention.destroy_incident(s, a, CLOSED, "bewaartermijn verstreken"),
    "subject access": lambda s, a: subject_access.view_subject(s, a, "p1"),
    "audit log": lambda s, a: audit_log.read_audit_log(s, a),
    "access log": lambda s, a: audit_log.read_access_log(s, a),
    "audit anchor": lambda s, a: audit_log.audit_anchor(s, a),
    "verify": lambda s, a: verify.verify_archive(s, a),
    "propose provision": _propose,
    "decide provision": _decide,
    "list provisions": lambda s, a: provisions.list_provisions(s, a),
}

# Allowed cells; every other cell is refused.
ALLOWED = {
    "teacher": {"list dossiers", "read a dossier", "record a note"},
    "teacher_other_group": {"list dossiers"},              # sees an empty list
    "director": {"list dossiers", "read a dossier", "record a note", "escalate", "close",
                 "export", "propose provision", "list provisions"},
    "director_other_school": {"list dossiers", "propose provision", "list provisions"},
    "school_admin": set(),
    "avg": {"list dossiers", "read a dossier", "export", "retention list", "retention term",
            "legal hold", "destroy", "subject access", "audit log", "access log",
            "audit anchor", "verify", "decide provision", "list provisions"},
}

CELLS = [(role, case) for role in ACTORS for case in USE_CASES]


def _counts(store) -> tuple[int, ...]:
    return tuple(store.scalar(f"SELECT COUNT(*) FROM {table}") for table in (
        "audit_log", "access_log", "incident_events", "incidents", "exports", "provisions",
        "settings"))


@pytest.mark.parametrize(("role", "case"), CELLS, ids=[f"{r}-{c}" for r, c in CELLS])
def test_role_by_use_case(school_store, role, case):
    s = school_store
    add_second_school(s)
    add_incident(s, CLOSED)
    add_incident(s, OPEN, status="measure", closed_at=None, retention_until=None,
                 item="post:m2", n_hardcopies=0)
    if case == "decide provision":
        _propose(s, DIRECTOR)     # the director's proposal, made before the cell is tried
    actor = ACTORS[role]
    run = USE_CASES[case]
    if case in ALLOWED[role]:
        run(s, actor)
        return
    before = _counts(s)
    with pytest.raises(PermissionDenied):
        run(s, actor)
    assert _counts(s) == before, "a refused use case changed something"


def test_the_matrix_names_only_known_use_cases():
    for role, cases in ALLOWED.items():
        assert cases <= set(USE_CASES), role
