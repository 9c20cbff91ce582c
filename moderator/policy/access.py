"""Access predicates: may this account do this? Plain functions, no I/O."""

from __future__ import annotations

from moderator.policy.roles import DIRECTOR, Actor


def may_suggest_words(actor: Actor, group_id: str, school_id: str) -> bool:
    """A moderator of the group (its teacher, or the school's director) may mark words."""
    return actor.may_moderate_group(group_id, school_id)


def may_adopt_suggestions(actor: Actor, school_id: str) -> bool:
    return actor.role == DIRECTOR and actor.school_id == school_id
