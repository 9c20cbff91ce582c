"""CSV files for spreadsheets (the breach register, the yearly report).

Every value passes through :func:`moderator.text.one_line` (no control characters, no
line breaks, bidi overrides made visible), and a value a spreadsheet would run as a
formula (starting with ``= + - @``) gets a leading apostrophe. UTF-8 with a BOM and
semicolons, as Dutch Excel opens them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from moderator import text
from moderator.archive import durable

_FORMULA = ("=", "+", "-", "@")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        return str(value)
    line = text.one_line(value)
    return "'" + line if line.startswith(_FORMULA) else line


def to_csv(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell(h) for h in headers])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_replacing(final: Path, data: bytes) -> None:
    """Write a report file whole (temp file, fsync, rename), replacing an older one."""
    durable.write_durably(Path(final), data, 0o644, replace=True)
