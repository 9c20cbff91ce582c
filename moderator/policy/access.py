"""Who may do what: plain predicates ``may_xxx(actor, ...) -> bool``.

Services check these before every use case and raise
:class:`moderator.errors.PermissionDenied` with a Dutch message when refused.
"""

from __future__ import annotations

from moderator.policy.roles import AVG, DIRECTOR, TEACHER, Actor


def is_operator(actor: Actor) -> bool:
    """A server job without an account (cron, systemd timer): ``system`` or ``system:USER``."""
    return actor.role == "system"


def may_see_calendar(actor: Actor, school_id: str) -> bool:
    """Holidays and working hours are no personal data: every account of the school,
    the AVG coordinator and the operator."""
    return is_operator(actor) or actor.role == AVG or actor.school_id == school_id


def may_set_deadlines(actor: Actor) -> bool:
    """The deadline terms are a foundation setting, like the retention term."""
    return actor.role == AVG or is_operator(actor)


def may_run_clock(actor: Actor) -> bool:
    return is_operator(actor)


def may_change_measure_term(actor: Actor, school_id: str) -> bool:
    """End a measure early or extend it: the school's director."""
    return actor.role == DIRECTOR and actor.school_id == school_id


def may_handle_item(actor: Actor, group_id: str, school_id: str) -> bool:
    """Claim, assign or hand back a queue item: who may moderate its group."""
    return actor.may_moderate_group(group_id, school_id)


def may_hold_item(role: str, school_id: str | None, admin_groups: frozenset[str],
                  group_id: str, group_school: str) -> bool:
    """Whether an account (by role, school and groups) can be given a queue item."""
    if school_id != group_school:
        return False
    return role == DIRECTOR or (role == TEACHER and group_id in admin_groups)


def may_handle_incident(actor: Actor, school_id: str, group_id: str | None) -> bool:
    """Claim, assign or hand back a dossier: the group's teacher or the school's director."""
    if actor.role == DIRECTOR:
        return actor.school_id == school_id
    return actor.role == TEACHER and actor.school_id == school_id and group_id in actor.admin_groups


def may_see_worklist(actor: Actor) -> bool:
    return actor.role in (TEACHER, DIRECTOR, AVG)


def may_decide_objection(actor: Actor, school_id: str) -> bool:
    """Decide a parent's objection: the school's director."""
    return actor.role == DIRECTOR and actor.school_id == school_id


def may_read_meldcode(actor: Actor, school_id: str) -> bool:
    """The Meldcode track: the school's director and the AVG coordinator only."""
    return actor.role == AVG or (actor.role == DIRECTOR and actor.school_id == school_id)


def may_write_meldcode(actor: Actor, school_id: str) -> bool:
    return actor.role == DIRECTOR and actor.school_id == school_id
