"""The Textual application (filled in by the console work)."""

from __future__ import annotations


def run_console(store, demo: bool = False) -> None:  # pragma: no cover - replaced by the console
    raise SystemExit("the console is not built yet")
