"""The director changes a measure's term: end it now, or extend it (to a date or until
further notice). The form only collects input; the dossier screen calls the service."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from moderator import text
from moderator.store.measure_terms import MeasureTerm

ACTIONS = [("Nu beëindigen", "end"), ("Verlengen tot een datum", "extend"),
           ("Verlengen tot nader order", "indefinite")]


@dataclass(frozen=True)
class TermChange:
    event_id: int
    action: str              # 'end' | 'extend' | 'indefinite'
    ends_on: str | None
    reason: str


class MeasureTermForm(ModalScreen[TermChange | None]):
    CSS_PATH = "dossier_forms.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="measure-term.cancel",
                tooltip="Sluit zonder iets te veranderen"),
        Binding("ctrl+s", "save", "Vastleggen", id="measure-term.save",
                tooltip="Beëindig of verleng de maatregel"),
    ]

    def __init__(self, number: str, terms: list[MeasureTerm], remaining, submit) -> None:  # noqa: ANN001
        super().__init__()
        self.number = number
        self.terms = terms
        self.remaining = remaining
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dossier-dialog"):
            yield Label(f"Looptijd van een maatregel · dossier {self.number}",
                        classes="dialog-title", markup=False)
            yield Label("Maatregel")
            yield Select([(Text(f"{t.label}: {self.remaining(t)}"), t.event_id)
                          for t in self.terms], id="term", allow_blank=False,
                         value=self.terms[0].event_id)
            yield Label("Wat")
            yield Select([(Text(label), code) for label, code in ACTIONS], id="action",
                         allow_blank=False, value="end")
            yield Label("Nieuwe einddatum (bij verlengen tot een datum)")
            yield Input(id="until", placeholder="JJJJ-MM-DD")
            yield Label("Reden")
            yield Input(id="reason")
            yield Static("", id="form-error", classes="dialog-error", markup=False)
            yield Horizontal(Static("ctrl+s: vastleggen · esc: annuleren", classes="dialog-hint",
                                    markup=False),
                             Button("Vastleggen", variant="primary", id="save"),
                             Button("Annuleren", id="cancel"), classes="dialog-buttons")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        change = TermChange(self.query_one("#term", Select).value,
                            self.query_one("#action", Select).value,
                            self.query_one("#until", Input).value.strip() or None,
                            self.query_one("#reason", Input).value.strip())
        problem = self.submit(change)
        if problem:
            message = text.one_line(problem, 300)
            self.query_one("#form-error", Static).update(message[:1].upper() + message[1:])
            return
        self.dismiss(change)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
