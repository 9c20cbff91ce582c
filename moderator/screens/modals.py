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

from moderator import rich_text
from moderator.plural import aantal
from moderator.policy.catalogue import ITEM_REASONS, REASONS
from moderator.store.queue import QueueEntry

SHOWN_ITEMS = 4
OWN = "__own__"          # the reason option "each item its own reason"


@dataclass(frozen=True)
class DeleteChoice:
    """What to delete with: a reason per item (each item's own or one for all), a note."""
    reasons: dict[str, str]
    note: str | None

    def reason_for(self, item: str) -> str:
        return self.reasons[item]


def own_reason(entry: QueueEntry) -> str:
    """The item's most severe reason that the catalogue lets one delete for."""
    return next((r for r in entry.reasons if r in ITEM_REASONS), "other")


def _items_list(entries: list[QueueEntry]) -> Text:
    lines = []
    for entry in entries[:SHOWN_ITEMS]:
        line = Text("• ")
        line.append_text(rich_text.line_text(entry.author_name, 18, style="bold"))
        line.append(": ")
        line.append_text(rich_text.line_text(entry.excerpt, 46))
        lines.append(line)
    if len(entries) > SHOWN_ITEMS:
        lines.append(Text(f"… en nog {len(entries) - SHOWN_ITEMS}", style="italic"))
    return Text("\n").join(lines)


def _count_label(n: int) -> str:
    return aantal(n, "item", "items")


def _reasons_list(entries: list[QueueEntry], reason: str | None) -> Text:
    """Each item with the reason its hard copy will cite: its own (``reason`` None) or
    the one chosen for all."""
    lines = []
    for entry in entries[:SHOWN_ITEMS]:
        line = Text("• ")
        line.append_text(rich_text.line_text(entry.author_name, 14, style="bold"))
        line.append(": ")
        line.append_text(rich_text.line_text(entry.excerpt, 14))
        line.append(" → ")
        line.append(REASONS[reason or own_reason(entry)].label, style="bold")
        lines.append(line)
    if len(entries) > SHOWN_ITEMS:
        lines.append(Text(f"… en nog {len(entries) - SHOWN_ITEMS}", style="italic"))
    return Text("\n").join(lines)


class DeleteModal(ModalScreen[DeleteChoice | None]):
    """Choose the reason from the catalogue, add a note, confirm."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="delete.cancel",
                tooltip="Sluit zonder te verwijderen"),
        Binding("ctrl+s", "confirm", "Verwijderen", id="delete.confirm",
                tooltip="Verwijder met hard copy in het dossier"),
    ]

    def __init__(self, entries: list[QueueEntry], portal_note: str | None = None) -> None:
        super().__init__()
        self.entries = entries
        self.portal_note = portal_note      # what happens in the portal, and when
        own = {own_reason(e) for e in entries}
        # Items with different reasons each keep their own unless one is chosen for all,
        # so a hard copy never cites another item's rule by accident.
        self.mixed = len(own) > 1
        self.default_reason = OWN if self.mixed else (own.pop() if own else "other")

    def _rule(self, reason: str) -> Text:
        if reason == OWN:
            return Text("Elke hard copy noemt de zwaarste reden van dat item zelf (zie de "
                        "lijst). Kies een reden om die voor alle items te gebruiken.",
                        style="italic")
        return Text(REASONS[reason].rule, style="italic")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(f"Verwijderen: {_count_label(len(self.entries))}", classes="dialog-title")
            if self.mixed:
                yield Static(_reasons_list(self.entries, None), id="items",
                             classes="dialog-items")
            else:
                yield Static(_items_list(self.entries), id="items", classes="dialog-items")
            yield Label("Reden (uit het beleid)")
            options = [(Text(REASONS[c].label), c) for c in ITEM_REASONS]
            if self.mixed:
                options.insert(0, (Text("Per item de eigen reden"), OWN))
            yield Select(options, value=self.default_reason, allow_blank=False, id="reason")
            yield Static(self._rule(self.default_reason), id="reason-rule",
                         classes="dialog-hint")
            yield Input(placeholder="Toelichting (optioneel)", id="note")
            yield Static(Text(self.portal_note or (
                "Eerst wordt een hard copy in het dossier gemaakt; daarna gaat de opdracht "
                "om het item te verwijderen naar het portaal.")), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Verwijderen", variant="error", id="confirm")
                yield Button("Annuleren", id="cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Select).focus()

    @on(Select.Changed, "#reason")
    def _reason_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and (event.value in REASONS or event.value == OWN):
            self.query_one("#reason-rule", Static).update(self._rule(event.value))
            if self.mixed:
                self.query_one("#items", Static).update(_reasons_list(
                    self.entries, None if event.value == OWN else event.value))

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#note")
    def action_confirm(self) -> None:
        reason = self.query_one("#reason", Select).value
        if not isinstance(reason, str):
            self.notify("Kies een reden.", severity="warning", markup=False)
            return
        note = self.query_one("#note", Input).value.strip() or None
        reasons = {e.item: own_reason(e) if reason == OWN else reason for e in self.entries}
        self.dismiss(DeleteChoice(reasons, note))

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
        self.app.clear_notifications()     # the warning above is answered now
        self.dismiss(note)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
