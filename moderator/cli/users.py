"""CLI verbs: users."""

commands: list = []
