"""The form that records a chain-of-custody handover of a dossier export (issue 16):
to whom (police, lawyer, inspectorate), their reference, when. The dossier service
checks the export's SHA-256 and records it (moderator/services/dossier.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from moderator import labels, rich_text


@dataclass(frozen=True)
class HandoverInput:
    recipient_kind: str
    recipient: str
    reference: str | None
    handed_at: str | None


class HandoverForm(ModalScreen[None]):
    """``submit`` records the handover and returns None, or the Dutch error to show."""

    DEFAULT_CSS = """
    HandoverForm { align: center middle; }
    HandoverForm > Vertical {
        width: 76; height: auto; padding: 1 2; border: thick $primary 80%; background: $surface;
    }
    HandoverForm .form-title { text-style: bold; margin-bottom: 1; }
    HandoverForm #handover-error { color: $error; }
    HandoverForm Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    HandoverForm Button { margin-left: 2; }
    """

    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="handover.cancel",
                        tooltip="Sluit zonder iets vast te leggen")]

    def __init__(self, number: str, export_path: str,
                 submit: Callable[[HandoverInput], str | None]) -> None:
        super().__init__()
        self.number = number
        self.export_path = export_path
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(rich_text.line_text(f"Overdracht van dossier {self.number}"),
                        classes="form-title")
            yield Static(rich_text.text(f"Export: {self.export_path} (de SHA-256 wordt "
                                        "gecontroleerd en vastgelegd)"))
            yield Select([(labels.recipient_kind(k), k) for k in labels.RECIPIENT_KINDS],
                         value="police", allow_blank=False, id="handover-kind")
            yield Input(placeholder="ontvanger (organisatie of persoon)", id="handover-recipient")
            yield Input(placeholder="kenmerk, bijv. registratienummer politie",
                        id="handover-reference")
            yield Input(placeholder="wanneer (JJJJ-MM-DD[THH:MM], leeg = nu)", id="handover-at")
            yield Static("", id="handover-error", markup=False)
            with Horizontal():
                yield Button("Vastleggen", variant="primary", id="handover-save")
                yield Button("Annuleren", id="handover-cancel")

    @on(Button.Pressed, "#handover-save")
    def _save(self) -> None:
        kind = self.query_one("#handover-kind", Select).value
        kind = kind if isinstance(kind, str) else "other"
        recipient = self.query_one("#handover-recipient", Input).value.strip() or \
            labels.recipient_kind(kind)
        error = self.submit(HandoverInput(
            kind, recipient, self.query_one("#handover-reference", Input).value.strip() or None,
            self.query_one("#handover-at", Input).value.strip() or None))
        if error:
            self.query_one("#handover-error", Static).update(rich_text.text(error))
            return
        self.dismiss(None)

    @on(Button.Pressed, "#handover-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
