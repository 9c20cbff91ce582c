"""The SQLite layer: queries and writes, returning frozen dataclasses. It imports nothing
above itself (no services, archive, Rich or Textual); who may do what is decided above it."""

from moderator.store.db import Store

__all__ = ["Store"]
