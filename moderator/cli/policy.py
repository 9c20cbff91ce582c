"""CLI verbs: policy."""

commands: list = []
