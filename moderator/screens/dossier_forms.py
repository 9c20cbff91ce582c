"""Dialogs of the dossier screen: one form per kind of timeline entry, closing a dossier,
and reading the hard copies. They only collect input; the screen calls the dossier service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from moderator import clock, rich_text, text
from moderator.errors import ModeratorError
from moderator.policy import measures
from moderator.services.dossier import KIND_LABELS, Event, parse_at

HINTS = {
    "consultation": "Overleg tussen leerkracht en directie over de aanpak.",
    "parent_conversation": "Het gesprek met de ouder: wie er waren, wat er gezegd is en welke "
                           "afspraken er zijn gemaakt.",
    "measure": "Een interne maatregel; volgens het beleid wordt eerst intern gezocht.",
    "escalation": "Externe handhaving of juridische stappen: alleen de directie.",
    "note": "Een notitie bij het dossier.",
    "correction": "Aantekeningen blijven staan; een correctie verwijst naar de oude aantekening.",
}


@dataclass(frozen=True)
class EntryInput:
    kind: str
    text: str
    at: str | None
    participants: tuple[str, ...]
    measure: str | None
    refers_to: int | None
    ends_on: str | None = None         # restricting measures: the day it is lifted, or None
    reference: str | None = None     # an escalation's police registration number


@dataclass(frozen=True)
class CloseInput:
    outcome: str
    reason_without_conversation: str | None


def _fit_text_area(screen: ModalScreen, selector: str, room: int) -> None:
    """A smaller text box on a low terminal, so the buttons stay on screen; ``room`` is
    the height the dialog needs with a text box of 8 lines."""
    height = screen.app.size.height
    box = screen.query_one(selector, TextArea)
    box.styles.height = max(3, min(8, 8 - (room - height)))


def _select_again(field: Input) -> None:
    """Focus the field with its whole text selected, also when it already had the focus
    (a second error), so what the user types next replaces the wrong value."""
    field.focus()
    field.select_all()


def _buttons(save: str) -> Horizontal:
    return Horizontal(Static(f"ctrl+s: {save.lower()} · esc: annuleren", classes="dialog-hint",
                             markup=False),
                      Button(save, variant="primary", id="save"), Button("Annuleren", id="cancel"),
                      classes="dialog-buttons")


def _event_option(event: Event) -> Text:
    day = event.at[:10]
    shown = f"{day[8:10]}-{day[5:7]}-{day[:4]}" if len(day) == 10 else day
    if len(event.at) > 10:
        shown = clock.display(event.at)[:10]
    label = Text(f"#{event.id} {shown} {event.kind_label}: ")
    label.append_text(rich_text.line_text(event.text, 40))
    return label


# Checks the input with the service; returns an error message (the form stays open) or None.
Submit = Callable[[object], "str | None"]


class DossierForm(ModalScreen[EntryInput | None]):
    """Record one timeline entry of ``kind``.

    With ``submit`` the form hands the entry to it and closes only when it returns
    None; an error message is shown in the form and the typed text stays."""

    CSS_PATH = "dossier_forms.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="dossier-form.cancel",
                tooltip="Sluit zonder vast te leggen"),
        Binding("ctrl+s", "save", "Vastleggen", id="dossier-form.save",
                tooltip="Leg de aantekening vast in het dossier"),
    ]

    def __init__(self, kind: str, number: str, *, events: tuple[Event, ...] = (),
                 refers_to: int | None = None, submit: Submit | None = None) -> None:
        super().__init__()
        self.submit = submit
        self.kind = kind
        self.number = number
        self.events = tuple(e for e in events if e.kind != "closure")
        self.refers_to = refers_to

    def compose(self) -> ComposeResult:
        with Vertical(classes="dossier-dialog"):
            yield Label(f"{KIND_LABELS[self.kind]} · dossier {self.number}", classes="dialog-title",
                        markup=False)
            yield Static(HINTS.get(self.kind, ""), classes="dialog-hint", markup=False)
            yield Label("Datum (bijv. 02-12-2026, 2-12 14:30, vandaag, gisteren 14:00 of nu)")
            yield Input(value=clock.now().strftime("%d-%m-%Y"), id="at")
            if self.kind in ("measure", "escalation"):
                codes = measures.EXTERNAL_CODES if self.kind == "escalation" else measures.INTERNAL_CODES
                yield Label("Maatregel")
                yield Select([(Text(measures.label(c)), c) for c in codes], id="measure",
                             allow_blank=False, value=codes[0])
            if self.kind == "measure":
                yield Label("Eindigt op (alleen lezen, reageren uit, uit groep; leeg: tot"
                            " nader order)", markup=False)
                yield Input(value=(clock.now().date() + timedelta(weeks=2)).isoformat(),
                            id="until", placeholder="JJJJ-MM-DD")
            if self.kind == "escalation":
                yield Label("Kenmerk (registratienummer politie, zaaknummer)")
                yield Input(id="reference", placeholder="bijv. PL2026-123456")
            if self.kind == "correction":
                yield Label("Corrigeert aantekening")
                options = [(_event_option(e), e.id) for e in self.events]
                initial = self.refers_to if self.refers_to in {e.id for e in self.events} else (
                    options[-1][1] if options else Select.BLANK)
                yield Select(options, id="refers", value=initial, allow_blank=not options)
            if self.kind in ("consultation", "parent_conversation", "measure", "escalation"):
                yield Label("Aanwezig (namen, met komma's)")
                yield Input(id="participants", placeholder="bijv. Juf Anouk, Ouder Dirk")
            yield Label("Wat er gebeurde, gezegd of afgesproken is")
            yield TextArea(id="text", tab_behavior="focus")
            yield Static("", id="form-error", classes="dialog-error", markup=False)
            yield _buttons("Vastleggen")

    def on_mount(self) -> None:
        self.query_one("#at", Input).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        fields = (3 if self.query("#measure") or self.query("#refers") else 0) + (
            4 if self.query("#participants") else 0) + (4 if self.query("#until") else 0) + (
            4 if self.query("#reference") else 0)
        _fit_text_area(self, "#text", 27 + fields)

    def show_error(self, message: str) -> None:
        message = text.one_line(message, 300)
        self.query_one("#form-error", Static).update(message[:1].upper() + message[1:])

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        body = self.query_one("#text", TextArea).text.strip()
        if not body:
            self.show_error("Schrijf op wat er gebeurde.")
            self.query_one("#text", TextArea).focus()
            return
        measure = refers = None
        if self.query("#measure"):
            value = self.query_one("#measure", Select).value
            measure = value if isinstance(value, str) else None
        if self.query("#refers"):
            value = self.query_one("#refers", Select).value
            refers = value if isinstance(value, int) else None
            if refers is None:
                self.show_error("Kies de aantekening die u corrigeert.")
                return
        participants: tuple[str, ...] = ()
        if self.query("#participants"):
            raw = self.query_one("#participants", Input).value
            participants = tuple(p.strip() for p in raw.split(",") if p.strip())
        at = self.query_one("#at", Input).value.strip() or None
        try:
            parse_at(at)
        except ModeratorError as error:
            self.show_error(str(error))
            _select_again(self.query_one("#at", Input))
            return
        until = self.query_one("#until", Input).value.strip() if self.query("#until") else ""
        reference = (self.query_one("#reference", Input).value.strip() or None
                     if self.query("#reference") else None)
        entry = EntryInput(self.kind, body, at, participants, measure, refers, until or None,
                           reference)
        if self.submit is not None:
            problem = self.submit(entry)
            if problem:
                self.show_error(problem)
                return
        self.dismiss(entry)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CloseForm(ModalScreen[CloseInput | None]):
    """Close a dossier: the outcome, and without a talk with the parent, the reason why."""

    CSS_PATH = "dossier_forms.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="dossier-close.cancel",
                tooltip="Sluit zonder af te sluiten"),
        Binding("ctrl+s", "save", "Afsluiten", id="dossier-close.save",
                tooltip="Sluit het dossier af; de bewaartermijn gaat lopen"),
    ]

    def __init__(self, number: str, spoken: bool, submit: Submit | None = None) -> None:
        super().__init__()
        self.number = number
        self.spoken = spoken
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dossier-dialog"):
            yield Label(f"Dossier {self.number} afsluiten", classes="dialog-title", markup=False)
            yield Label("Uitkomst")
            yield TextArea(id="outcome", tab_behavior="focus")
            if not self.spoken:
                yield Static("Er is geen gesprek met de ouder vastgelegd. Leg vast waarom niet "
                             "(alleen de directie).", classes="dialog-hint", markup=False)
                yield Input(id="why", placeholder="Reden zonder gesprek (verplicht)")
            yield Static("Na afsluiten gaat de bewaartermijn lopen.", classes="dialog-hint",
                         markup=False)
            yield Static("", id="form-error", classes="dialog-error", markup=False)
            yield _buttons("Afsluiten")

    def on_mount(self) -> None:
        self.query_one("#outcome", TextArea).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        _fit_text_area(self, "#outcome", 26)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        outcome = self.query_one("#outcome", TextArea).text.strip()
        why = self.query_one("#why", Input).value.strip() if self.query("#why") else ""
        error = self.query_one("#form-error", Static)
        if not outcome:
            error.update("Vul de uitkomst in.")
            return
        if not self.spoken and not why:
            error.update("Leg vast waarom er geen gesprek met de ouder was.")
            return
        choice = CloseInput(outcome, why or None)
        if self.submit is not None:
            problem = self.submit(choice)
            if problem:
                error.update(text.one_line(problem, 300))
                return
        self.dismiss(choice)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ShownHardcopy:
    title: str
    sha256: str
    text: str
    problem: str | None


class HardcopyViewer(ModalScreen[None]):
    """The text of the dossier's hard copies, as extracted from the archived PDFs, wrapped
    at the edge of the box."""

    CSS_PATH = "dossier_forms.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Sluiten", id="hardcopies.close",
                tooltip="Terug naar het dossier"),
    ]

    def __init__(self, number: str, shown: list[ShownHardcopy]) -> None:
        super().__init__()
        self.number = number
        self.shown = shown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dossier-dialog"):
            yield Label(f"Hard copies in dossier {self.number}", classes="dialog-title",
                        markup=False)
            with VerticalScroll():
                if not self.shown:
                    yield Static("Geen hard copies in dit dossier.", markup=False)
                for item in self.shown:
                    head = rich_text.line_text(item.title, style="bold")
                    head.append(f"\nSHA-256 {item.sha256}", style="dim")
                    yield Static(head, classes="hardcopy-head")
                    if item.problem:
                        yield Static(rich_text.text(item.problem, style="bold red"))
                    # wrapped at the box edge: a hard copy is read, not laid out here
                    yield Static(rich_text.text(item.text), classes="hardcopy-text")
            yield Horizontal(Button("Sluiten", id="close"), classes="dialog-buttons")

    def on_mount(self) -> None:
        # arrow keys and page keys scroll the text
        self.query_one(VerticalScroll).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
