"""CLI verbs: dossier."""

commands: list = []
