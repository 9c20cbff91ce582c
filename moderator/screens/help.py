"""The help screen: the keys of the screen it was opened from, written from its bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, Static

KEY_NAMES = {"space": "spatie", "escape": "esc", "enter": "enter", "question_mark": "?",
             "slash": "/", "ctrl+p": "ctrl+p", "ctrl+q": "ctrl+q"}


def key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def described_bindings(screen: Screen) -> list[tuple[DOMNode, Binding]]:
    """(node, binding) for the bindings with an id and a description of a screen, its
    focused widget and the app, screen first; each action once."""
    found: list[tuple[DOMNode, Binding]] = []
    seen: set[str] = set()
    sources = [screen, screen.focused, screen.app] if screen.focused else [screen, screen.app]
    for source in sources:
        for cls in type(source).__mro__:
            for b in cls.__dict__.get("BINDINGS", []):
                # 'app.logout' on a screen and 'logout' on the app are one action
                action = b.action.removeprefix("app.")
                if (isinstance(b, Binding) and b.description and b.id
                        and action not in seen):
                    seen.add(action)
                    found.append((source, b))
    return found


def bindings_of(screen: Screen) -> list[Binding]:
    return [binding for _, binding in described_bindings(screen)]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Sluiten", id="help.close",
                tooltip="Terug naar het vorige scherm"),
    ]

    def __init__(self, for_screen: Screen, intro: str = "") -> None:
        super().__init__()
        self.for_screen = for_screen
        self.intro = intro

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, justify="right")
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for binding in bindings_of(self.for_screen):
            table.add_row(Text(key_label(binding), style="bold"), Text(binding.description),
                          Text(binding.tooltip or "", style="italic"))
        with Vertical(id="dialog", classes="dialog help"):
            yield Label("Toetsen", classes="dialog-title")
            if self.intro:
                yield Static(self.intro, markup=False, classes="dialog-hint")
            with VerticalScroll():
                yield Static(table)
            yield Static("Alle acties staan ook in het opdrachtenpalet (ctrl+p).",
                         markup=False, classes="dialog-hint")
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
