"""A plain screen with one notice, for roles without a console screen of their own
(the school admin manages accounts on the command line)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static


class NoticeScreen(Screen):
    BINDINGS = [
        Binding("ctrl+l", "app.logout", "Uitloggen", id="notice.logout",
                tooltip="Terug naar het inlogscherm"),
        Binding("ctrl+q", "app.quit", "Stoppen", id="notice.quit",
                tooltip="Stop de console"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="notice-box"):
                yield Label(self.title_text, classes="dialog-title", markup=False)
                yield Static(self.message, markup=False)
        yield Footer(compact=True)
