"""The letter dialog of the dossier screen (key ``b``): choose the template and the
recipient, fill in what the template asks, preview, edit the text, then send it by
e-mail or record it as printed / handed over.

The dialog only collects input; the screen hands it to moderator.services.letters
through the ``preview`` and ``submit`` callbacks, which return an error message (shown
in the dialog, which stays open with the typed text) or None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from moderator import rich_text, text
from moderator.policy import letters as templates


@dataclass(frozen=True)
class RecipientOption:
    person_id: str
    name: str
    kind: str
    can_email: bool


@dataclass(frozen=True)
class LetterChoice:
    template: str
    to: str
    values: dict[str, str]
    subject: str | None = None
    body: str | None = None
    action: str = "preview"          # 'preview', 'send' or 'print'


@dataclass(frozen=True)
class Shown:
    """What the preview callback gives back for the dialog to show."""

    subject: str
    body: str


Preview = Callable[[LetterChoice], "Shown | str"]
Submit = Callable[[LetterChoice], "str | None"]


def parse_values(raw: str) -> dict[str, str] | str:
    """'moment=maandag 10:00; aanleiding=...' -> dict, or an error message."""
    values: dict[str, str] = {}
    for part in raw.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            return f"Vul in als naam=waarde, gescheiden door ';' (niet {text.one_line(part, 40)!r})."
        values[name.strip()] = value.strip()
    return values


class LetterForm(ModalScreen[str | None]):
    """Write one letter about dossier ``number``."""

    CSS_PATH = "letter_form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="letter-form.cancel",
                tooltip="Sluit zonder brief"),
        Binding("ctrl+o", "preview", "Voorbeeld", id="letter-form.preview",
                tooltip="Vul het sjabloon in en toon de tekst om te bewerken"),
        Binding("ctrl+s", "send", "Versturen", id="letter-form.send",
                tooltip="Leg de brief vast in het dossier en verstuur hem per e-mail"),
        Binding("ctrl+t", "printed", "Afgedrukt", id="letter-form.printed",
                tooltip="Leg de brief vast in het dossier als afgedrukt/overhandigd"),
    ]

    def __init__(self, number: str, recipients: Sequence[RecipientOption], *,
                 preview: Preview, submit: Submit) -> None:
        super().__init__()
        self.number = number
        self.recipients = list(recipients)
        self.preview_callback = preview
        self.submit_callback = submit
        self.previewed = False

    def compose(self) -> ComposeResult:
        codes = list(templates.TEMPLATES)
        people = [(self._recipient_label(r), r.person_id) for r in self.recipients]
        with Vertical(classes="letter-dialog"):
            yield Label(f"Brief · dossier {self.number}", classes="dialog-title", markup=False)
            with Horizontal(classes="letter-row"):
                yield Select([(Text(templates.TEMPLATES[c].label), c) for c in codes],
                             id="template", allow_blank=False, value="removal",
                             tooltip="Sjabloon")
                yield Select(people, id="recipient", allow_blank=not people,
                             value=people[0][1] if people else Select.BLANK,
                             tooltip="Ontvanger")
            yield Input(id="values", placeholder="", tooltip="Invullen: naam=waarde; naam=waarde")
            yield Input(id="subject", placeholder="Onderwerp (na het voorbeeld)")
            yield TextArea(id="body", tab_behavior="focus")
            yield Static("", id="letter-error", classes="dialog-error", markup=False)
            yield Horizontal(
                Static("ctrl+o voorbeeld · ctrl+s versturen · ctrl+t afgedrukt · esc",
                       classes="dialog-hint", markup=False),
                Button("Voorbeeld", id="preview"),
                Button("Versturen", variant="primary", id="send"),
                Button("Afgedrukt", id="printed"),
                Button("Annuleren", id="cancel"),
                classes="dialog-buttons")

    @staticmethod
    def _recipient_label(r: RecipientOption) -> Text:
        label = rich_text.line_text(r.name, 28)
        label.append(f" ({templates.RECIPIENT_LABELS[r.kind]}"
                     + ("" if r.can_email else ", geen e-mail") + ")")
        return label

    def on_mount(self) -> None:
        self._template_changed()
        self.query_one("#template", Select).focus()

    # -- state --------------------------------------------------------------------------

    def _template(self) -> str:
        value = self.query_one("#template", Select).value
        return value if isinstance(value, str) else "removal"

    def _recipient(self) -> RecipientOption | None:
        value = self.query_one("#recipient", Select).value
        return next((r for r in self.recipients if r.person_id == value), None)

    @on(Select.Changed, "#template")
    def _template_changed(self) -> None:
        spec = templates.TEMPLATES[self._template()]
        values = self.query_one("#values", Input)
        values.placeholder = ("Invullen: " + "; ".join(f"{a}=…" for a in spec.asks)) \
            if spec.asks else "Niets in te vullen"
        values.disabled = not spec.asks
        self._reset_text()
        wanted = [r for r in self.recipients if r.kind in spec.recipients]
        current = self._recipient()
        if wanted and (current is None or current.kind not in spec.recipients):
            self.query_one("#recipient", Select).value = wanted[0].person_id
        self._sync_send()

    @on(Select.Changed, "#recipient")
    def _recipient_changed(self) -> None:
        self._reset_text()
        self._sync_send()

    @on(Input.Changed, "#values")
    def _values_changed(self) -> None:
        self._reset_text()

    def _reset_text(self) -> None:
        """A changed choice makes an earlier preview stale."""
        if self.previewed:
            self.previewed = False
            self.query_one("#subject", Input).value = ""
            self.query_one("#body", TextArea).text = ""

    def _sync_send(self) -> None:
        recipient = self._recipient()
        can = recipient is not None and recipient.can_email
        self.query_one("#send", Button).disabled = not can
        if recipient is not None and not can:
            self.show_error(f"{text.one_line(recipient.name, 40)} heeft geen e-mailadres:"
                            " druk de brief af en kies Afgedrukt.")
        else:
            self.show_error("")

    def show_error(self, message: str) -> None:
        message = text.one_line(message, 300)
        self.query_one("#letter-error", Static).update(message[:1].upper() + message[1:])

    def _choice(self, action: str) -> LetterChoice | None:
        recipient = self._recipient()
        if recipient is None:
            self.show_error("Kies een ontvanger.")
            return None
        values = parse_values(self.query_one("#values", Input).value)
        if isinstance(values, str):
            self.show_error(values)
            return None
        subject = body = None
        if self.previewed:
            subject = self.query_one("#subject", Input).value
            body = self.query_one("#body", TextArea).text
        return LetterChoice(self._template(), recipient.person_id, values, subject, body, action)

    # -- actions ------------------------------------------------------------------------

    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        choice = self._choice("preview")
        if choice is None:
            return
        shown = self.preview_callback(LetterChoice(choice.template, choice.to, choice.values))
        if isinstance(shown, str):
            self.show_error(shown)
            return
        self.query_one("#subject", Input).value = shown.subject
        self.query_one("#body", TextArea).text = shown.body
        self.previewed = True
        self._sync_send()
        self.query_one("#body", TextArea).focus()

    def _submit(self, action: str) -> None:
        if not self.previewed:
            self.show_error("Bekijk eerst het voorbeeld (ctrl+o).")
            return
        choice = self._choice(action)
        if choice is None:
            return
        problem = self.submit_callback(choice)
        if problem:
            self.show_error(problem)
            return
        self.dismiss(action)

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        recipient = self._recipient()
        if recipient is not None and not recipient.can_email:
            self.show_error("Geen e-mailadres: kies Afgedrukt (ctrl+t).")
            return
        self._submit("send")

    @on(Button.Pressed, "#printed")
    def action_printed(self) -> None:
        self._submit("print")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
