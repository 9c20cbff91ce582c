"""References to portal items: one type instead of ``"post:ID"`` strings parsed by hand.

An item is written ``post:ID`` or ``comment:ID`` wherever a user types or copies it (CLI
arguments, ``--json``) and where the store keys its rows (flags, queue, audit subjects).
:class:`ItemRef` is the only place that builds or parses that form.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderator.errors import UsageError

KINDS = ("post", "comment")


class BadItemRef(UsageError, ValueError):
    """Not ``post:ID`` or ``comment:ID`` (a usage error for the CLI, a ValueError for code
    that checks a value it read)."""


@dataclass(frozen=True, order=True)
class ItemRef:
    kind: str
    id: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS or not self.id:
            raise BadItemRef(f"item moet post:ID of comment:ID zijn, niet {self.kind}:{self.id}")

    @classmethod
    def parse(cls, value: str | ItemRef) -> ItemRef:
        """``post:ID`` or ``comment:ID`` (an ItemRef is returned as it is)."""
        if isinstance(value, ItemRef):
            return value
        kind, _, item_id = str(value).partition(":")
        if kind not in KINDS or not item_id:
            raise BadItemRef(f"item moet post:ID of comment:ID zijn, niet {value!r}")
        return cls(kind, item_id)

    @classmethod
    def post(cls, post_id: str) -> ItemRef:
        return cls("post", post_id)

    @classmethod
    def comment(cls, comment_id: str) -> ItemRef:
        return cls("comment", comment_id)

    @classmethod
    def post_arg(cls, value: str) -> ItemRef:
        """A post as a user types it: ``post:ID`` or the bare ``ID``."""
        if ":" in value:
            ref = cls.parse(value)
            if ref.kind != "post":
                raise BadItemRef(f"verwacht een bericht (post:ID), niet {value!r}")
            return ref
        return cls.post(value)

    @property
    def is_post(self) -> bool:
        return self.kind == "post"

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"
