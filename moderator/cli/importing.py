"""CLI verbs: importing."""

commands: list = []
