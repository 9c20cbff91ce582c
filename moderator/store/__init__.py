"""The SQLite layer. Knows nothing of Textual; screens never write SQL themselves."""

from moderator.store.db import Store, open_store

__all__ = ["Store", "open_store"]
