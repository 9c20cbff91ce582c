"""Untrusted text for Rich and Textual: made only at the edges (CLI, screens, widgets).

A plain ``str`` handed to a Static, Label, DataTable cell or ``notify`` is parsed as
markup (and ``[@click=...]`` runs an action); a :class:`rich.text.Text` is not. These
helpers take portal text through :func:`moderator.text.clean` first, so control, format
and bidi characters are shown as ``<U+XXXX>`` and never reach the terminal.
"""

from __future__ import annotations

from rich.text import Text

from moderator.text import clean, one_line


def text(value: object, style: str = "") -> Text:
    """Untrusted text for Rich or Textual: a ``Text``, never markup."""
    return Text(clean(value), style=style)


def line_text(value: object, width: int | None = None, style: str = "") -> Text:
    """Untrusted text on one line (table cells, titles) as a ``Text``."""
    return Text(one_line(value, width), style=style, no_wrap=True, overflow="ellipsis")
