"""CSV files for spreadsheets (the breach register, the yearly report).

Every value passes through :func:`moderator.text.one_line` (no control characters, no
line breaks, bidi overrides made visible), and a value a spreadsheet would run as a
formula (starting with ``= + - @``) gets a leading apostrophe. UTF-8 with a BOM and
semicolons, as Dutch Excel opens them.
"""

from __future__ import annotations

import csv
import io
import os
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
    final = Path(final)
    durable.make_dirs(final.parent)
    temp = durable.temp_path(final)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, final)
    durable.fsync_dir(final.parent)
