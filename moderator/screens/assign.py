"""Assign a queue item to a colleague of the school with the right role."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from moderator import labels, rich_text
from moderator.store.claims import Colleague


class AssignModal(ModalScreen[str | None]):
    """Pick a colleague; dismissed with the account name, or None."""

    DEFAULT_CSS = """
    AssignModal #colleagues { height: auto; max-height: 12; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="assign.cancel",
                tooltip="Sluit zonder toe te wijzen"),
    ]

    def __init__(self, subject: str, colleagues: list[Colleague]) -> None:
        super().__init__()
        self.subject = subject
        self.colleagues = colleagues

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            title = Text("Toewijzen: ")
            title.append_text(rich_text.line_text(self.subject, 40))
            yield Label(title, classes="dialog-title")
            options = [Option(rich_text.line_text(f"{c.name} ({labels.account_role(c.role)})", 60),
                              id=c.username) for c in self.colleagues]
            yield OptionList(*options, id="colleagues")
            yield Static("Enter kiest de collega; esc annuleert.", markup=False,
                         classes="dialog-hint")
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
