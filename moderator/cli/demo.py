"""CLI verbs: demo."""

commands: list = []
