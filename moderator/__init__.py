"""moderator: a terminal moderation console for a school foundation's parent portal."""

__version__ = "0.1.0"
