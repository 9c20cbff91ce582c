"""Moderation without deleting: dismissing an item's flags, and comments on or off.

Deleting (with a hard copy first) is :mod:`moderator.services.deletion`.
"""

from __future__ import annotations

from moderator import clock
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.refs import ItemRef
from moderator.store import audit, integrity, items, outbox
from moderator.store.db import Store
from moderator.store.flags import close_flags, item_location


def dismiss(store: Store, actor: Actor, item: str | ItemRef, note: str) -> int:
    """Close an item's open flags as 'dismissed' with a note (the item stays); returns
    how many were closed."""
    if not note or not note.strip():
        raise UsageError("een notitie is verplicht bij afwijzen (waarom blijft het bericht staan?)")
    ref = ItemRef.parse(item)
    with store.write():
        where = item_location(store, ref)
        if where is None:
            raise NotFound(f"{ref} niet gevonden")
        if not access.may_moderate_group(actor, where.group_id, where.school_id):
            raise PermissionDenied(f"{actor.username} modereert groep {where.group_id} niet")
        if where.deleted_at:
            raise Conflict(f"{ref} is al verwijderd op {clock.display(where.deleted_at)}")
        if not actor.is_director and not access.may_act_on_own_item(actor, where.author_id):
            # Nobody judges reports about their own message: the director decides.
            raise PermissionDenied(
                "meldingen over je eigen bericht kun je niet afwijzen; dat beslist de directie")
        closed = close_flags(store, str(ref), "dismissed", actor.username, note)
        if not closed:
            raise Conflict(f"{ref} heeft geen open signaleringen (al afgehandeld?)")
        audit.append(store, actor.username, "item.dismiss", str(ref),
                     {"note_sha256": integrity.text_sha256(note), "flags": closed},
                     where.school_id)
    return closed


def set_comments(store: Store, actor: Actor, post: str | ItemRef, enabled: bool) -> None:
    """The group's teacher (or the director) decides per post whether parents may react.
    ``post`` is ``post:ID`` or the bare id."""
    ref = post if isinstance(post, ItemRef) else ItemRef.post_arg(post)
    with store.write():
        place = items.post_place(store, ref.id)
        if place is None:
            raise NotFound(f"{ref} niet gevonden")
        if not access.may_moderate_group(actor, place.group_id, place.school_id):
            raise PermissionDenied(
                f"{actor.username} mag reacties bij berichten van groep {place.group_id}"
                " niet aan- of uitzetten")
        if place.comments_enabled == enabled:
            return
        items.set_comments_enabled(store, ref.id, enabled)
        audit.append(store, actor.username, "post.comments", str(ref),
                     {"enabled": enabled}, place.school_id)
        # Portal sync: the setting reaches the portal, in order with earlier ones.
        outbox.enqueue_comments(store, post_id=ref.id, enabled=enabled,
                                school_id=place.school_id, group_id=place.group_id,
                                actor=actor.username, person_id=actor.person_id)
