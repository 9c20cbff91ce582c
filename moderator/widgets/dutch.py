"""Dutch words for the few key descriptions Textual's own widgets bring (the footer and
help would otherwise show e.g. 'esc Dismiss menu' under an open dropdown)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets._select import SelectOverlay


def use_dutch_widget_labels() -> None:
    """Idempotent: relabels the dropdown's escape key and recomputes its bindings."""
    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "Menu sluiten")]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()
