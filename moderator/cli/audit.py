"""CLI verbs: audit."""

commands: list = []
