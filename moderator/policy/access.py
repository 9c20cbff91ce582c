"""Who may do what: plain predicates that services ask before a use case.

Each ``may_xxx(actor, ...)`` returns a bool; the service raises
:class:`moderator.errors.PermissionDenied` with a Dutch message when it is False.
"""

from __future__ import annotations

from moderator.policy.roles import AVG, DIRECTOR, SCHOOL_ADMIN, TEACHER, Actor


def may_connect_portal(actor: Actor, school_id: str) -> bool:
    """Setting up a school's portal connector: its director or school admin, or the
    foundation's AVG coordinator."""
    if actor.role == AVG:
        return True
    return actor.role in (DIRECTOR, SCHOOL_ADMIN) and actor.school_id == school_id


def may_see_portal_actions(actor: Actor, school_id: str) -> bool:
    """The outbox of a school: its staff accounts and the AVG coordinator."""
    return actor.role == AVG or actor.school_id == school_id


def may_handle_portal_action(actor: Actor, school_id: str, group_id: str | None) -> bool:
    """Retrying a refused action as a new one, or marking it done by hand in the portal:
    the director of the school, or an administrator of the action's group."""
    if actor.role == DIRECTOR:
        return actor.school_id == school_id
    if actor.role == TEACHER:
        return group_id is not None and group_id in actor.admin_groups
    return False
