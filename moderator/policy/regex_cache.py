"""A disk cache for compiled word-list patterns, so a process does not spend seconds
compiling the same large regular expressions again.

Pickling a ``re.Pattern`` does not help (unpickling compiles it again), so the cache
keeps what the compiler produces: the regex engine's code words, with the pattern's
flags and groups, and rebuilds the pattern object from them directly. That is CPython's
own last compile step (``re._compiler.compile`` ends in ``_sre.compile``); the engine
validates the code it is given, and the cache is tied to the interpreter version and the
engine's magic number. Where any of this is unavailable, patterns are compiled normally.

One file holds one payload (JSON-able data with patterns in it) under a digest the caller
computes from its inputs (the word lists). A file is used only when it is ours: owned by
this user, not writable by others, of this interpreter, with the expected digest and an
intact checksum. Anything else (missing, corrupt, foreign, stale) is ignored and the
caller rebuilds and saves a fresh copy. Saving never fails the caller.

Location: ``$MODERATOR_CACHE``, else ``$XDG_CACHE_HOME/moderator``, else
``~/.cache/moderator``. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import weakref
from array import array
from pathlib import Path
from typing import Any

try:  # CPython internals; without them the cache is simply off
    import _sre
    from re import _compiler, _parser

    _TAG = (f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.byteorder}"
            f"-{sys.hexversion}")
    _ITEM = {2: "H", 4: "I", 8: "Q"}.get(_sre.CODESIZE)
except (ImportError, AttributeError):  # pragma: no cover - other interpreters
    _sre = None
    _TAG = ""
    _ITEM = None

_MAGIC = b"MODERATOR-REGEX-CACHE 1\n"
_KEEP_FILES = 12       # one per distinct set of lists (a school's extra words): keep a few


def cache_dir() -> Path:
    explicit = os.environ.get("MODERATOR_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "moderator"


def digest(*parts: Any) -> str:
    """A stable digest of JSON-able inputs (with this interpreter's tag)."""
    blob = json.dumps([_TAG, *parts], ensure_ascii=False, sort_keys=True, default=list)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Packer:
    """Collects compiled patterns while a payload is built: ``pack(p)`` returns a JSON
    reference, ``code`` the engine code of all of them."""

    def __init__(self) -> None:
        self.meta: list[list] = []
        self.code: list[int] = []

    def pack(self, pattern: re.Pattern | None) -> int | None:
        if pattern is None:
            return None
        parts = _PARTS.get(pattern) or _parts(pattern.pattern, pattern.flags)
        flags, code, groups, groupindex, indexgroup = parts
        self.meta.append([pattern.pattern, flags, len(self.code), len(code), groups,
                          groupindex, indexgroup])
        self.code.extend(code)
        return len(self.meta) - 1


def _parts(pattern: str, flags: int) -> tuple:
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, indexgroup


# The compiler's output for patterns built by compile() in this process, for Packer.
_PARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def compile(pattern: str) -> re.Pattern:  # noqa: A001 - same meaning as re.compile
    """``re.compile``, keeping the compiler's output so the pattern can be cached without
    compiling it twice."""
    if not enabled():
        return re.compile(pattern)
    parts = _parts(pattern, 0)
    flags, code, groups, groupindex, indexgroup = parts
    compiled = _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))
    _PARTS[compiled] = parts
    return compiled


class Unpacker:
    def __init__(self, meta: list[list], code: list[int]) -> None:
        self.meta = meta
        self.code = code

    def unpack(self, ref: int | None) -> re.Pattern | None:
        if ref is None:
            return None
        pattern, flags, start, size, groups, groupindex, indexgroup = self.meta[ref]
        if not isinstance(pattern, str) or start + size > len(self.code):
            raise ValueError("bad cache entry")
        return _sre.compile(pattern, flags, self.code[start:start + size], groups,
                            groupindex, tuple(indexgroup))


def enabled() -> bool:
    return _ITEM is not None and os.environ.get("MODERATOR_CACHE") != "off"


def _path(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{key[:32]}.bin"


def _ours(path: Path) -> bool:
    info = path.stat()
    if stat.S_IMODE(info.st_mode) & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def load(name: str, key: str) -> tuple[Any, Unpacker] | None:
    """The payload saved under ``key``, or None when there is no usable copy."""
    if not enabled():
        return None
    path = _path(name, key)
    try:
        if not _ours(path) or not _ours(path.parent):
            return None
        raw = path.read_bytes()
        if not raw.startswith(_MAGIC):
            return None
        header_end = raw.index(b"\n", len(_MAGIC))
        header = json.loads(raw[len(_MAGIC):header_end])
        blob = raw[header_end + 1:]
        if (header.get("tag") != _TAG or header.get("key") != key
                or header.get("sha256") != hashlib.sha256(blob).hexdigest()):
            return None
        words = array(_ITEM)
        words.frombytes(blob)
        return header["data"], Unpacker(header["meta"], words.tolist())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(name: str, key: str, data: Any, packer: Packer) -> None:
    """Write a payload atomically (best effort: a read-only home just means no cache)."""
    if not enabled():
        return
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        blob = array(_ITEM, packer.code).tobytes()
        header = json.dumps({"tag": _TAG, "key": key, "sha256": hashlib.sha256(blob).hexdigest(),
                             "meta": packer.meta, "data": data}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + header.encode("utf-8") + b"\n" + blob)
            os.replace(tmp, _path(name, key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        old = sorted(folder.glob(f"{name}-*.bin"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-_KEEP_FILES]:
            stale.unlink(missing_ok=True)
    except (OSError, ValueError, OverflowError):
        return
