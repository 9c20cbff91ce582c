"""CLI verbs: queue."""

commands: list = []
