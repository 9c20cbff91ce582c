"""Dialogs of the queue: delete (reason + note) and dismiss (note)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from moderator import text
from moderator.policy.catalogue import ITEM_REASONS, REASONS
from moderator.store.queue import QueueEntry

SHOWN_ITEMS = 4


@dataclass(frozen=True)
class DeleteChoice:
    reason: str
    note: str | None


def _items_list(entries: list[QueueEntry]) -> Text:
    lines = []
    for entry in entries[:SHOWN_ITEMS]:
        line = Text("• ")
        line.append_text(text.line_text(entry.author_name, 18, style="bold"))
        line.append(": ")
        line.append_text(text.line_text(entry.excerpt, 46))
        lines.append(line)
    if len(entries) > SHOWN_ITEMS:
        lines.append(Text(f"… en nog {len(entries) - SHOWN_ITEMS}", style="italic"))
    return Text("\n").join(lines)


def _count_label(n: int) -> str:
    return "1 item" if n == 1 else f"{n} items"


class DeleteModal(ModalScreen[DeleteChoice | None]):
    """Choose the reason from the catalogue, add a note, confirm."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="delete.cancel",
                tooltip="Sluit zonder te verwijderen"),
        Binding("ctrl+s", "confirm", "Verwijderen", id="delete.confirm",
                tooltip="Verwijder met hardcopy in het dossier"),
    ]

    def __init__(self, entries: list[QueueEntry]) -> None:
        super().__init__()
        self.entries = entries
        first = entries[0].reasons[0] if entries and entries[0].reasons else "other"
        self.default_reason = first if first in ITEM_REASONS else "other"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(f"Verwijderen: {_count_label(len(self.entries))}", classes="dialog-title")
            yield Static(_items_list(self.entries), classes="dialog-items")
            yield Label("Reden (uit het beleid)")
            yield Select(
                [(Text(REASONS[c].label), c) for c in ITEM_REASONS],
                value=self.default_reason, allow_blank=False, id="reason")
            yield Static(Text(REASONS[self.default_reason].rule, style="italic"),
                         id="reason-rule", classes="dialog-hint")
            yield Input(placeholder="Toelichting (optioneel)", id="note")
            yield Static("Eerst wordt een hardcopy in het dossier gemaakt; daarna verdwijnt "
                         "het item uit het portaal.", classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Verwijderen", variant="error", id="confirm")
                yield Button("Annuleren", id="cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Select).focus()

    @on(Select.Changed, "#reason")
    def _reason_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in REASONS:
            self.query_one("#reason-rule", Static).update(
                Text(REASONS[event.value].rule, style="italic"))

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#note")
    def action_confirm(self) -> None:
        reason = self.query_one("#reason", Select).value
        if not isinstance(reason, str):
            self.notify("Kies een reden.", severity="warning", markup=False)
            return
        note = self.query_one("#note", Input).value.strip() or None
        self.dismiss(DeleteChoice(reason, note))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class DismissModal(ModalScreen[str | None]):
    """Close the flags of an item as a false alarm, with a note why."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="dismiss.cancel",
                tooltip="Sluit zonder af te wijzen"),
        Binding("ctrl+s", "confirm", "Afwijzen", id="dismiss.confirm",
                tooltip="Sluit de meldingen: geen overtreding"),
    ]

    def __init__(self, entries: list[QueueEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(f"Melding afwijzen: {_count_label(len(self.entries))}",
                        classes="dialog-title")
            yield Static(_items_list(self.entries), classes="dialog-items")
            yield Label("Waarom is dit geen overtreding?")
            yield Input(placeholder="Toelichting (verplicht)", id="note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Afwijzen", variant="primary", id="confirm")
                yield Button("Annuleren", id="cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#note")
    def action_confirm(self) -> None:
        note = self.query_one("#note", Input).value.strip()
        if not note:
            self.notify("Schrijf kort op waarom dit geen overtreding is.",
                        severity="warning", markup=False)
            return
        self.dismiss(note)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
