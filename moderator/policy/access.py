"""Who may do what: plain predicates over an :class:`~moderator.policy.roles.Actor`.

Services call these and raise :class:`moderator.errors.PermissionDenied` with a Dutch
message when one says no.
"""

from __future__ import annotations

from moderator.policy.roles import AVG, DIRECTOR, SCHOOL_ADMIN, TEACHER, Actor


def may_moderate(actor: Actor, school_id: str, group_id: str | None) -> bool:
    """A moderator of the group: its administrator (teacher) or the school's director."""
    if actor.role == DIRECTOR:
        return actor.school_id == school_id
    if actor.role == TEACHER:
        return actor.school_id == school_id and group_id is not None \
            and group_id in actor.admin_groups
    return False


def may_send_letter(actor: Actor, sender_rule: str, school_id: str, group_id: str | None,
                    consulted: bool) -> bool:
    """Letters (policy, Borging en Handhaving): removal notices, replies and invitations
    by any moderator of the group (``sender_rule`` 'moderator'); warnings and measure
    confirmations ('director') by the director, or by the group's teacher once a
    consultation with the director is recorded in the dossier (``consulted``)."""
    if not may_moderate(actor, school_id, group_id):
        return False
    if sender_rule == "director":
        return actor.role == DIRECTOR or consulted
    return True


def may_read_letters(actor: Actor, school_id: str, group_id: str | None) -> bool:
    """The group's moderators and the AVG coordinator (read-only)."""
    return actor.role == AVG or may_moderate(actor, school_id, group_id)


def may_manage_school_letters(actor: Actor, school_id: str) -> bool:
    """Letterhead, templates folder and mail settings: the school's director or school
    administrator, or the foundation's AVG coordinator."""
    if actor.role == AVG:
        return True
    return actor.role in (DIRECTOR, SCHOOL_ADMIN) and actor.school_id == school_id
