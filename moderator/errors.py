"""Errors the user is meant to read. The CLI prints them without a traceback."""

from __future__ import annotations


class ModeratorError(Exception):
    """Base class: a message for the user, in English for the CLI log or Dutch in the UI."""

    exit_code = 1


class InputError(ModeratorError):
    """Bad input in a file: names the file and the line."""

    exit_code = 2

    def __init__(self, source: str, line: int | None, message: str):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class UsageError(ModeratorError):
    exit_code = 2


class PermissionDenied(ModeratorError):
    """The acting account's role does not allow this (moderator/policy/access.py, asked by
    every service)."""

    exit_code = 3


class AuthenticationFailed(ModeratorError):
    exit_code = 3


class NotFound(ModeratorError):
    exit_code = 4


class Conflict(ModeratorError):
    """The state changed under us, e.g. an item was already handled in another session."""

    exit_code = 5


class ReadOnlyDatabase(ModeratorError):
    """The database is read-only (file or mount): only reading is possible."""

    exit_code = 6


class ArchiveUnavailable(ModeratorError):
    """The archive folder cannot be written (disk full, read-only): nothing was changed."""

    exit_code = 6


def os_reason(error: OSError) -> str:
    """Why a file could not be read or written, in Dutch (the OS text is English)."""
    import errno

    reasons = {
        errno.ENOENT: "bestand of map bestaat niet", errno.EACCES: "geen toegang",
        errno.EPERM: "geen toestemming", errno.EISDIR: "is een map",
        errno.ENOTDIR: "een deel van het pad is geen map", errno.ENOSPC: "schijf vol",
        errno.EROFS: "alleen-lezen bestandssysteem", errno.EEXIST: "bestaat al",
    }
    return reasons.get(error.errno, error.strerror or str(error))


class ConnectorError(ModeratorError):
    """The portal connection fails (refused key, unreadable secret, no answer): names
    the school; never contains a secret."""

    exit_code = 6
