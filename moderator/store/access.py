"""The access log: moved to :mod:`moderator.store.logs`."""

from __future__ import annotations

# Moved to moderator.store.logs (the access log's writes and reads live together);
# kept so that callers outside the dossier domain keep working until they import logs.
from moderator.store.logs import AccessEntry, log_access

__all__ = ["AccessEntry", "log_access"]
