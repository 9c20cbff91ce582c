"""CLI verbs: verify."""

commands: list = []
