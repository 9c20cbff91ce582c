"""One post or comment in full: what the preview pane shows and the hard copy records.

:func:`get_item_detail` gathers an item with its context (a post's comments, a
comment's post), every revision, the media with depicted pupils and their photo
consent for the school year of the post, and all flags (open and closed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from moderator import clock
from moderator.errors import NotFound, PermissionDenied, UsageError
from moderator.policy.roles import SYSTEM, Actor
from moderator.store import audit, outbox
from moderator.store.access import log_access
from moderator.store.db import Store
from moderator.store.flags import Flag, flags_for, parse_item


@dataclass(frozen=True)
class Revision:
    rev: int
    title: str | None
    body: str | None
    recorded_at: str


@dataclass(frozen=True)
class PupilConsent:
    pupil_id: str
    name: str
    photo_consent: bool | None  # None: no consent record for the post's school year


@dataclass(frozen=True)
class MediaInfo:
    id: str
    kind: str
    file: str
    tags: tuple[str, ...]
    pupils: tuple[PupilConsent, ...]


@dataclass(frozen=True)
class CommentInfo:
    id: str
    author_id: str
    author_name: str
    created_at: str
    body: str | None
    deleted_at: str | None


@dataclass(frozen=True)
class ItemDetail:
    item: str                   # 'post:ID' or 'comment:ID'
    kind: str                   # 'post' or 'comment'
    id: str
    school_id: str
    school_name: str
    group_id: str
    group_name: str
    author_id: str
    author_name: str
    author_role: str
    created_at: str
    title: str | None
    body: str | None
    deleted_at: str | None
    comments_enabled: bool
    post: ItemDetail | None     # a comment's parent post, as context
    comments: tuple[CommentInfo, ...]   # a post's comments
    revisions: tuple[Revision, ...]
    media: tuple[MediaInfo, ...]
    flags: tuple[Flag, ...]     # open and closed


def _parse(item: str) -> tuple[str, str]:
    try:
        return parse_item(item)
    except ValueError as error:
        raise UsageError(str(error)) from None


def may_read(actor: Actor, group_id: str, school_id: str) -> bool:
    return (
        actor is SYSTEM
        or actor.is_avg
        or actor.may_moderate_group(group_id, school_id)
        or (actor.is_director and actor.school_id == school_id)
    )


_POST_SQL = (
    "SELECT p.id, p.group_id, g.name AS group_name, g.school_id, s.name AS school_name,"
    " p.author_id, a.name AS author_name, a.role AS author_role, p.created_at, p.title,"
    " p.body, p.deleted_at, p.comments_enabled FROM posts p"
    " JOIN groups g ON g.id = p.group_id JOIN schools s ON s.id = g.school_id"
    " JOIN people a ON a.id = p.author_id WHERE p.id = ?"
)
_COMMENT_SQL = (
    "SELECT c.id, c.post_id, p.group_id, g.name AS group_name, g.school_id,"
    " s.name AS school_name, c.author_id, a.name AS author_name, a.role AS author_role,"
    " c.created_at, NULL AS title, c.body, c.deleted_at, p.comments_enabled FROM comments c"
    " JOIN posts p ON p.id = c.post_id JOIN groups g ON g.id = p.group_id"
    " JOIN schools s ON s.id = g.school_id JOIN people a ON a.id = c.author_id WHERE c.id = ?"
)


def _revisions(store: Store, item: str) -> tuple[Revision, ...]:
    return tuple(
        Revision(r["rev"], r["title"], r["body"], r["recorded_at"])
        for r in store.rows(
            "SELECT rev, title, body, recorded_at FROM revisions WHERE item = ? ORDER BY rev",
            (item,)))


def _media(store: Store, post_id: str, created_at: str) -> tuple[MediaInfo, ...]:
    try:
        year = clock.school_year(clock.parse(created_at))
    except ValueError:
        year = clock.school_year(clock.now())
    out = []
    for m in store.rows("SELECT id, kind, file, tags FROM media WHERE post_id = ? ORDER BY id",
                        (post_id,)):
        pupils = tuple(
            PupilConsent(r["id"], r["name"],
                         None if r["portal_photo"] is None else bool(r["portal_photo"]))
            for r in store.rows(
                "SELECT pu.id, pu.name, c.portal_photo FROM media_pupils mp"
                " JOIN pupils pu ON pu.id = mp.pupil_id"
                " LEFT JOIN consents c ON c.pupil_id = pu.id AND c.school_year = ?"
                " WHERE mp.media_id = ? ORDER BY pu.name, pu.id", (year, m["id"])))
        try:
            tags = tuple(str(t) for t in json.loads(m["tags"] or "[]"))
        except (ValueError, TypeError):
            tags = ()
        out.append(MediaInfo(m["id"], m["kind"], m["file"], tags, pupils))
    return tuple(out)


def _comments(store: Store, post_id: str) -> tuple[CommentInfo, ...]:
    return tuple(
        CommentInfo(r["id"], r["author_id"], r["author_name"], r["created_at"], r["body"],
                    r["deleted_at"])
        for r in store.rows(
            "SELECT c.id, c.author_id, a.name AS author_name, c.created_at, c.body, c.deleted_at"
            " FROM comments c JOIN people a ON a.id = c.author_id WHERE c.post_id = ?"
            " ORDER BY c.created_at, c.id", (post_id,)))


def _detail(store: Store, kind: str, item_id: str, *, with_post: bool = True) -> ItemDetail | None:
    item = f"{kind}:{item_id}"
    row = store.row(_POST_SQL if kind == "post" else _COMMENT_SQL, (item_id,))
    if row is None:
        return None
    post = None
    if kind == "comment" and with_post:
        post = _detail(store, "post", row["post_id"], with_post=False)
    return ItemDetail(
        item=item, kind=kind, id=row["id"], school_id=row["school_id"],
        school_name=row["school_name"], group_id=row["group_id"], group_name=row["group_name"],
        author_id=row["author_id"], author_name=row["author_name"],
        author_role=row["author_role"], created_at=row["created_at"], title=row["title"],
        body=row["body"], deleted_at=row["deleted_at"],
        comments_enabled=bool(row["comments_enabled"]),
        post=post,
        comments=_comments(store, item_id) if kind == "post" else (),
        revisions=_revisions(store, item),
        media=_media(store, item_id, row["created_at"]) if kind == "post" else (),
        flags=tuple(flags_for(store, item, status=None)),
    )


def get_item_detail(store: Store, item: str, actor: Actor) -> ItemDetail:
    """The item with its context. NotFound for an unknown item; PermissionDenied unless
    the actor moderates the group, directs the school, or is the AVG coordinator
    (whose read is logged)."""
    kind, item_id = _parse(item)
    detail = _detail(store, kind, item_id)
    if detail is None:
        raise NotFound(f"{item} niet gevonden")
    if not may_read(actor, detail.group_id, detail.school_id):
        raise PermissionDenied(
            f"{actor.username} mag de berichten van groep {detail.group_id} niet inzien")
    if actor.is_avg:
        log_access(store, actor, "view", person_id=detail.author_id, detail={"item": item})
    return detail


def item_text(detail: ItemDetail) -> str:
    """The verbatim text an item's hash is taken over: title, body, and (for a post)
    the comments that go with it. Stable: the same item gives the same string."""
    parts = [f"{detail.item}\n", f"title:{detail.title or ''}\n", f"body:{detail.body or ''}\n"]
    for comment in detail.comments:
        parts.append(f"comment:{comment.id}:{comment.body or ''}\n")
    return "".join(parts)


def set_comments_enabled(store: Store, post_id: str, enabled: bool, actor: Actor) -> None:
    """The group's teacher (or the director) decides per post whether parents may react."""
    with store.write():
        row = store.row(
            "SELECT p.group_id, g.school_id, p.comments_enabled, p.deleted_at FROM posts p"
            " JOIN groups g ON g.id = p.group_id WHERE p.id = ?", (post_id,))
        if row is None:
            raise NotFound(f"post:{post_id} niet gevonden")
        if not actor.may_moderate_group(row["group_id"], row["school_id"]):
            raise PermissionDenied(
                f"{actor.username} mag reacties bij berichten van groep {row['group_id']}"
                " niet aan- of uitzetten")
        if bool(row["comments_enabled"]) == enabled:
            return
        store.execute("UPDATE posts SET comments_enabled = ? WHERE id = ?",
                      (1 if enabled else 0, post_id))
        audit.append(store, actor.username, "post.comments", f"post:{post_id}",
                     {"enabled": enabled}, row["school_id"])
        outbox.enqueue_comments(store, post_id=post_id, enabled=enabled,
                                school_id=row["school_id"], group_id=row["group_id"],
                                actor=actor.username, person_id=actor.person_id)
