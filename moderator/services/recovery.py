"""Start-up recovery: finish or roll back deletions a crash interrupted.

Every start (each CLI run, the console) calls :func:`recover_interrupted`. When no
deletion was interrupted that is one index look-up; the deletion service and its PDF
code are imported only when there is something to recover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moderator.store import deletions
from moderator.store.db import Store

if TYPE_CHECKING:
    from moderator.services.deletion import RecoveryReport


def recover_interrupted(store: Store) -> RecoveryReport | None:
    """Finish or roll back interrupted deletions; None when there were none. Orphan files
    are ``moderator verify``'s business, so the archive is not walked here."""
    if not deletions.has_intents(store):
        return None
    from moderator.services.deletion import recover

    return recover(store, orphans=False)
