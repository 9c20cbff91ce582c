"""Access predicates: may this account do this? Plain functions, no I/O."""

from __future__ import annotations

from moderator.policy.roles import AVG, DIRECTOR, Actor


def may_suggest_words(actor: Actor, group_id: str, school_id: str) -> bool:
    """A moderator of the group (its teacher, or the school's director) may mark words."""
    return actor.may_moderate_group(group_id, school_id)


def may_adopt_suggestions(actor: Actor, school_id: str) -> bool:
    return actor.role == DIRECTOR and actor.school_id == school_id


def may_see_missed_deletions(actor: Actor, school_id: str | None) -> bool:
    """Counts of deletions the detectors missed: a director for their own school, the AVG
    coordinator for any school or all of them."""
    if actor.role == AVG:
        return True
    return actor.role == DIRECTOR and school_id in (None, actor.school_id)
