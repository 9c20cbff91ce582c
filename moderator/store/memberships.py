"""Who belongs where, per school: what the group rules of the scan need (roles, group
members and admins, the class groups a parent has a child in, refused name consents)."""

from __future__ import annotations

from moderator.policy.grouprules import SchoolFacts
from moderator.store.db import Store


def school_facts(store: Store, school_id: str) -> SchoolFacts:
    people = {r["id"]: (r["role"], r["school_id"]) for r in store.rows(
        "SELECT pe.id, pe.role, pe.school_id FROM people pe WHERE pe.school_id = ? OR pe.id IN"
        " (SELECT x.author_id FROM posts x JOIN groups g ON g.id = x.group_id"
        "  WHERE g.school_id = ?)", (school_id, school_id))}
    members = frozenset(
        (r["group_id"], r["person_id"]) for r in store.rows(
            "SELECT m.group_id, m.person_id FROM group_members m JOIN groups g ON g.id = m.group_id"
            " WHERE g.school_id = ? UNION SELECT a.group_id, a.person_id FROM group_admins a"
            " JOIN groups g ON g.id = a.group_id WHERE g.school_id = ?", (school_id, school_id)))
    children: dict[str, set[str]] = {}
    for r in store.rows("SELECT gu.person_id, pu.group_id FROM guardians gu"
                        " JOIN pupils pu ON pu.id = gu.pupil_id WHERE pu.school_id = ?",
                        (school_id,)):
        children.setdefault(r["person_id"], set()).add(r["group_id"])
    refused: dict[str, set[str]] = {}
    for r in store.rows("SELECT c.school_year, pu.name FROM consents c"
                        " JOIN pupils pu ON pu.id = c.pupil_id"
                        " WHERE pu.school_id = ? AND c.portal_name = 0", (school_id,)):
        refused.setdefault(r["school_year"], set()).add(r["name"])
    return SchoolFacts(people, members, {k: frozenset(v) for k, v in children.items()},
                       {k: frozenset(v) for k, v in refused.items()})
