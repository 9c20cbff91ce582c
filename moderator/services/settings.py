"""Foundation settings changed by the AVG coordinator: the import limits."""

from __future__ import annotations

from moderator.errors import PermissionDenied, UsageError
from moderator.policy.access import Actor, may_change_foundation_settings
from moderator.store import audit, limits
from moderator.store.db import Store


def set_import_limits(store: Store, actor: Actor, *, max_line_bytes: int | None = None,
                      max_body_chars: int | None = None) -> limits.ImportLimits:
    """Change the longest import line and/or title/body; each change is a chained
    ``setting:<key>`` audit entry, which ``moderator verify`` compares with the table."""
    if not may_change_foundation_settings(actor):
        raise PermissionDenied("Alleen de AVG-coördinator stelt de grenzen van de import in.")
    changes = [(limits.MAX_LINE_KEY, max_line_bytes, limits.CAP_MAX_LINE, "regel (bytes)"),
               (limits.MAX_BODY_KEY, max_body_chars, limits.CAP_MAX_BODY, "tekst (tekens)")]
    for _key, value, cap, what in changes:
        if value is not None and not limits.MIN_VALUE <= value <= cap:
            raise UsageError(f"grens voor een {what}: {limits.MIN_VALUE} tot {cap}, niet {value}")
    with store.write():
        before = limits.import_limits(store)
        old = {limits.MAX_LINE_KEY: before.max_line_bytes,
               limits.MAX_BODY_KEY: before.max_body_chars}
        for key, value, _cap, _what in changes:
            if value is None:
                continue
            limits.write_setting(store, key, value)
            audit.append(store, actor.username, "setting.set", f"setting:{key}",
                         {"from": old[key], "to": value})
    return limits.import_limits(store)


def import_limits(store: Store) -> limits.ImportLimits:
    """What the import accepts now (anyone may read it)."""
    return limits.import_limits(store)
