"""Media checks for a post: photos of pupils without consent, children in swimwear.

* ``photo_consent``: a photo or video shows a pupil (``media_pupils``) whose guardians
  gave no ``portal_photo`` consent for the school year of the post's date (the school
  year starts on 1 August, :func:`moderator.clock.school_year`). No consent row for
  that year counts as no consent: consent is asked again every year.
* ``swimwear``: media the portal tagged ``swimwear`` or ``underwear``.

Pure functions over :class:`Media`; :mod:`moderator.store.media` loads them with the
consent that applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SWIMWEAR_TAGS = {"swimwear": "zwemkleding", "underwear": "ondergoed"}


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
