"""Where the database and the archive live: option, then environment, then default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "moderator.db"
DEFAULT_ARCHIVES = "archives"


@dataclass(frozen=True)
class Paths:
    db: Path
    archives: Path
    witness: Path | None = None     # None: beside the archive folder (<archives>.witness)


def resolve_paths(db: str | None = None, archives: str | None = None,
                  witness: str | None = None) -> Paths:
    chosen = witness or os.environ.get("MODERATOR_WITNESS")
    return Paths(
        db=Path(db or os.environ.get("MODERATOR_DB") or DEFAULT_DB),
        archives=Path(archives or os.environ.get("MODERATOR_ARCHIVES") or DEFAULT_ARCHIVES),
        witness=Path(chosen) if chosen else None,
    )
