"""Media checks for a post: photos of pupils without consent, children in swimwear.

* ``photo_consent``: a photo or video shows a pupil (``media_pupils``) whose guardians
  gave no ``portal_photo`` consent for the school year of the post's date (the school
  year starts on 1 August, :func:`moderator.clock.school_year`). No consent row for
  that year counts as no consent: consent is asked again every year.
* ``swimwear``: media the portal tagged ``swimwear`` or ``underwear``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from moderator import clock
from moderator.store.db import Store

SWIMWEAR_TAGS = {"swimwear": "zwemkleding", "underwear": "ondergoed"}
_CHUNK = 500


@dataclass(frozen=True)
class MediaPupil:
    id: str
    name: str
    photo_consent: bool        # for the school year of the post


@dataclass(frozen=True)
class Media:
    id: str
    kind: str
    file: str
    tags: tuple[str, ...]
    pupils: tuple[MediaPupil, ...] = ()


@dataclass(frozen=True)
class MediaFinding:
    reason: str
    media_id: str
    file: str
    text: str                  # Dutch, for the moderator; contains portal text (file, name)
    pupil_id: str | None = None

    def as_evidence(self) -> dict:
        out = {"reason": self.reason, "media": self.media_id, "file": self.file,
               "text": self.text}
        if self.pupil_id is not None:
            out["pupil"] = self.pupil_id
        return out


def media_findings(media: Iterable[Media], school_year: str = "") -> list[MediaFinding]:
    """The violations in a post's media (pure: the caller supplies consent per pupil)."""
    out: list[MediaFinding] = []
    for item in media:
        label = "Foto" if item.kind == "photo" else "Video"
        for tag in item.tags:
            if tag in SWIMWEAR_TAGS:
                out.append(MediaFinding("swimwear", item.id, item.file,
                                        f"{label} {item.file}: kinderen in {SWIMWEAR_TAGS[tag]}"))
                break
        for pupil in item.pupils:
            if not pupil.photo_consent:
                year = f" voor {school_year}" if school_year else ""
                out.append(MediaFinding(
                    "photo_consent", item.id, item.file,
                    f"{label} {item.file}: {pupil.name}, geen toestemming voor beeld{year}",
                    pupil.id))
    return out


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


def check_post_media(store: Store, post_id: str) -> list[MediaFinding]:
    """The media violations of one post."""
    created = store.scalar("SELECT created_at FROM posts WHERE id = ?", (post_id,))
    if created is None:
        return []
    year = clock.school_year(clock.parse(created))
    return media_findings(load_post_media(store, [(post_id, created)]).get(post_id, []), year)
