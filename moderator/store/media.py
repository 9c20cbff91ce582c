"""The media of posts with the photo consent of every pupil shown, as the media checks
(:mod:`moderator.policy.media`) read them."""

from __future__ import annotations

import json
from collections.abc import Sequence

from moderator import clock
from moderator.policy.media import Media, MediaPupil
from moderator.store.db import Store

_CHUNK = 500


def load_post_media(store: Store, posts: Sequence[tuple[str, str]]) -> dict[str, list[Media]]:
    """Media of these posts, given as (post id, created_at), with each pupil's photo
    consent for the school year of the post. A few queries per 500 posts."""
    year_of = {pid: clock.school_year(clock.parse(created)) for pid, created in posts}
    ids = list(year_of)
    media_rows: list = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        media_rows += store.rows(
            f"SELECT id, post_id, kind, file, tags FROM media WHERE post_id IN ({marks})"
            " ORDER BY post_id, id", chunk)
    if not media_rows:
        return {}
    media_ids = [r["id"] for r in media_rows]
    shown: dict[str, list[tuple[str, str]]] = {}
    pupil_ids: set[str] = set()
    for i in range(0, len(media_ids), _CHUNK):
        chunk = media_ids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in store.rows(
                "SELECT mp.media_id, mp.pupil_id, pu.name FROM media_pupils mp"
                f" JOIN pupils pu ON pu.id = mp.pupil_id WHERE mp.media_id IN ({marks})"
                " ORDER BY mp.media_id, pu.name", chunk):
            shown.setdefault(r["media_id"], []).append((r["pupil_id"], r["name"]))
            pupil_ids.add(r["pupil_id"])
    consent: set[tuple[str, str]] = set()
    pupil_list = sorted(pupil_ids)
    for i in range(0, len(pupil_list), _CHUNK):
        chunk = pupil_list[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in store.rows("SELECT pupil_id, school_year FROM consents"
                            f" WHERE portal_photo = 1 AND pupil_id IN ({marks})", chunk):
            consent.add((r["pupil_id"], r["school_year"]))
    out: dict[str, list[Media]] = {}
    for r in media_rows:
        year = year_of[r["post_id"]]
        try:
            tags = tuple(str(t) for t in json.loads(r["tags"] or "[]"))
        except ValueError:
            tags = ()
        pupils = tuple(MediaPupil(pid, name, (pid, year) in consent)
                       for pid, name in shown.get(r["id"], []))
        out.setdefault(r["post_id"], []).append(
            Media(r["id"], r["kind"], r["file"], tags, pupils))
    return out
