"""Foundation settings for what the import accepts: the longest line (one record, in
bytes) and the longest post or comment text (title or body, in characters).

The defaults are sized for real portal posts with room to spare; the caps keep every
accepted item small enough that its hard copy is made in seconds (so it can always be
deleted). Changes are chained in the audit log as ``setting:<key>`` entries, which
``moderator verify`` compares with the stored value.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderator.store.db import Store

MAX_LINE_KEY = "import_max_line_bytes"
MAX_BODY_KEY = "import_max_body_chars"
DEFAULT_MAX_LINE = 1 << 20            # 1 MiB per record
DEFAULT_MAX_BODY = 64 * 1024          # 64 Ki characters per title or body
CAP_MAX_LINE = 8 << 20
CAP_MAX_BODY = 1 << 20
MIN_VALUE = 1024


@dataclass(frozen=True)
class ImportLimits:
    max_line_bytes: int = DEFAULT_MAX_LINE
    max_body_chars: int = DEFAULT_MAX_BODY


def _value(store: Store, key: str, default: int, cap: int) -> int:
    raw = store.scalar("SELECT value FROM settings WHERE key = ?", (key,))
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        return default
    return value if MIN_VALUE <= value <= cap else default


def import_limits(store: Store) -> ImportLimits:
    return ImportLimits(_value(store, MAX_LINE_KEY, DEFAULT_MAX_LINE, CAP_MAX_LINE),
                        _value(store, MAX_BODY_KEY, DEFAULT_MAX_BODY, CAP_MAX_BODY))


def write_setting(store: Store, key: str, value: int) -> None:
    """Store one value (call inside the service's write transaction, with its audit entry)."""
    store.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                  " DO UPDATE SET value = excluded.value", (key, str(value)))
