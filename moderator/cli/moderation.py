"""CLI verbs: moderation."""

commands: list = []
