"""Who may do what. The store calls these before every change (DESIGN.md, Roles)."""

from __future__ import annotations

from dataclasses import dataclass

TEACHER = "teacher"
DIRECTOR = "director"
SCHOOL_ADMIN = "school_admin"
AVG = "avg"
ACCOUNT_ROLES = (TEACHER, DIRECTOR, SCHOOL_ADMIN, AVG)

ROLE_LABELS = {
    TEACHER: "Leerkracht (groepsbeheerder)",
    DIRECTOR: "Directie",
    SCHOOL_ADMIN: "Schoolbeheerder",
    AVG: "AVG-coördinator",
}

# A portal person's role as Dutch users name it (error messages).
PERSON_ROLE_LABELS = {
    "teacher": "leerkracht", "director": "directeur", "school_admin": "schoolbeheerder",
    "parent": "ouder", "external": "externe", "mr_member": "MR-lid", AVG: "AVG-coördinator",
}


def person_role_label(role: str | None) -> str:
    return PERSON_ROLE_LABELS.get(role or "", repr(role))


# A person's portal role decides which account role they can get.
ACCOUNT_ROLE_FOR_PERSON = {"teacher": TEACHER, "director": DIRECTOR, "school_admin": SCHOOL_ADMIN}


@dataclass(frozen=True)
class Actor:
    """A logged-in account, as every store function that changes state receives it."""

    username: str
    role: str
    person_id: str | None
    school_id: str | None
    name: str
    admin_groups: frozenset[str] = frozenset()

    @property
    def is_director(self) -> bool:
        return self.role == DIRECTOR

    @property
    def is_avg(self) -> bool:
        return self.role == AVG

    def may_moderate_group(self, group_id: str, group_school: str) -> bool:
        if self.role == DIRECTOR:
            return group_school == self.school_id
        if self.role == TEACHER:
            return group_id in self.admin_groups
        return False

    def may_see_school(self, school_id: str) -> bool:
        return self.role == AVG or self.school_id == school_id


SYSTEM = Actor(username="system", role="system", person_id=None, school_id=None, name="systeem")
