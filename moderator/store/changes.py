"""Noticing change: a cheap token that moves whenever the database changes.

An open queue polls :func:`data_version` every few seconds and reloads when it moved, so
a second console, the CLI or an import show up without a restart.
"""

from __future__ import annotations

from moderator.store.db import Store


def data_version(store: Store) -> tuple[int, int]:
    """(``PRAGMA data_version``, newest audit sequence).

    ``data_version`` changes when another connection commits; the audit head changes
    with every state change, including our own. Both are index-cheap."""
    version = store.scalar("PRAGMA data_version") or 0
    head = store.scalar("SELECT max(seq) FROM audit_log") or 0
    return (int(version), int(head))
