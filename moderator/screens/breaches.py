"""The AVG coordinator's breach register in the console, opened from the audit screen.

A table of every breach record with the 72-hour deadline for the decision on notifying
the Autoriteit Persoonsgegevens (time left, or VERLOPEN), the record in full below it
(names of the pupils and parents concerned on screen only), and forms to complete it,
record the decision and close it; the yearly report is written from here too. Every call
goes to :mod:`moderator.services.breaches` (which logs the reads and audits the changes);
portal and typed text is shown as ``Text`` only.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from moderator import clock, labels, rich_text, text
from moderator.errors import ModeratorError
from moderator.plural import aantal
from moderator.policy.access import Actor
from moderator.screens.audit_widgets import PromptAnswer, PromptModal, SafeTable
from moderator.services import breaches as service
from moderator.store.breaches import Breach
from moderator.store.db import Store

COLUMNS = ("Nummer", "School", "Ontdekt", "Uiterlijk besluit", "Termijn", "Risico",
           "Besluit AP", "Status")

# (field, Dutch label) of the free-text fields of the completion form.
TEXT_FIELDS = (
    ("data_description", "Welke gegevens"),
    ("risk_note", "Toelichting risico"),
    ("consequences", "Waarschijnlijke gevolgen"),
    ("measures", "Genomen of voorgestelde maatregelen"),
    ("contact", "Contactpersoon"),
    ("informed_how", "Hoe geïnformeerd"),
)
ID_FIELDS = (("pupil_ids", "Leerlingen (kenmerken, met spaties)"),
             ("parent_ids", "Ouders (kenmerken, met spaties)"))


def _t(value: str | None) -> str:
    return clock.display(value) if value else "-"


class BreachForm(ModalScreen[dict | None]):
    """Complete a record: dismissed with the changed fields, or None."""

    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="breachform.cancel",
                        tooltip="Sluit zonder op te slaan"),
                Binding("ctrl+s", "save", "Opslaan", id="breachform.save",
                        tooltip="Sla de wijzigingen op")]

    def __init__(self, breach: Breach) -> None:
        super().__init__()
        self.breach = breach

    def compose(self) -> ComposeResult:
        b = self.breach
        with VerticalScroll(id="breach-form"):
            yield Label(rich_text.line_text(f"Datalek {b.number} aanvullen"),
                        classes="form-title")
            yield Label("Risico", markup=False)
            yield Select([(label, code) for code, label in labels.BREACH_RISKS.items()],
                         value=b.risk or Select.NULL, id="form-risk", prompt="nog niet beoordeeld")
            yield Label("Betrokkenen geïnformeerd", markup=False)
            yield Select([(label, code) for code, label in labels.INFORMED.items()],
                         value=b.informed or Select.NULL, id="form-informed",
                         prompt="nog niet vastgelegd")
            for field, label in TEXT_FIELDS:
                yield Label(label, markup=False)
                yield Input(value=text.one_line(getattr(b, field)), id=f"form-{field}")
            for field, label in ID_FIELDS:
                yield Label(label, markup=False)
                yield Input(value=" ".join(getattr(b, field)), id=f"form-{field}")
            yield Label("Zichtbaar voor (aantal personen)", markup=False)
            yield Input(value="" if b.audience is None else str(b.audience), type="integer",
                        id="form-audience")
            with Horizontal(classes="form-buttons"):
                yield Button("Opslaan", variant="primary", id="form-save")
                yield Button("Annuleren", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#form-risk", Select).focus()

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        b = self.breach
        changes: dict = {}
        for field in ("risk", "informed"):
            value = self.query_one(f"#form-{field}", Select).value
            if value is not Select.NULL and value != getattr(b, field):
                changes[field] = value
        for field, _ in TEXT_FIELDS:
            value = self.query_one(f"#form-{field}", Input).value
            if value != text.one_line(getattr(b, field)):
                changes[field] = value
        for field, _ in ID_FIELDS:
            value = self.query_one(f"#form-{field}", Input).value.split()
            if tuple(sorted(set(value))) != tuple(getattr(b, field)):
                changes[field] = value
        audience = self.query_one("#form-audience", Input).value.strip()
        if audience and audience != str(b.audience):
            changes["audience"] = int(audience)
        self.dismiss(changes)

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class DecisionForm(ModalScreen[tuple[bool, str, str] | None]):
    """The decision on notifying the AP: (notify, reference, reason), or None."""

    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="decisionform.cancel",
                        tooltip="Sluit zonder te besluiten"),
                Binding("ctrl+s", "save", "Vastleggen", id="decisionform.save",
                        tooltip="Leg het besluit vast")]

    def __init__(self, breach: Breach) -> None:
        super().__init__()
        self.breach = breach

    def compose(self) -> ComposeResult:
        with Vertical(id="decision-form"):
            yield Label(rich_text.line_text(f"Besluit over melden: {self.breach.number}"),
                        classes="form-title")
            yield Select([(labels.DPA_DECISIONS["notify"], "notify"),
                          (labels.DPA_DECISIONS["no_notify"], "no_notify")],
                         id="decision-choice", prompt="kies")
            yield Label("Kenmerk van de melding bij de AP", markup=False)
            yield Input(id="decision-reference")
            yield Label("Toelichting (verplicht bij niet melden)", markup=False)
            yield Input(id="decision-reason")
            with Horizontal(classes="form-buttons"):
                yield Button("Besluit vastleggen", variant="primary", id="decision-save")
                yield Button("Annuleren", id="decision-cancel")

    @on(Button.Pressed, "#decision-save")
    def action_save(self) -> None:
        choice = self.query_one("#decision-choice", Select).value
        if choice is Select.NULL:
            return
        self.dismiss((choice == "notify", self.query_one("#decision-reference", Input).value,
                      self.query_one("#decision-reason", Input).value))

    @on(Button.Pressed, "#decision-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class BreachScreen(Screen):
    """The breach register: list, record, complete, decide, close, yearly report."""

    CSS_PATH = "breaches.tcss"

    BINDINGS = [
        Binding("escape", "back", "Terug", id="breaches.back",
                tooltip="Terug naar het auditscherm"),
        Binding("enter", "show", "Inzien", id="breaches.show",
                tooltip="Toon het gekozen datalek volledig (met namen; wordt gelogd)"),
        Binding("a", "complete", "Aanvullen", id="breaches.complete",
                tooltip="Vul gegevens, betrokkenen, risico en maatregelen aan"),
        Binding("b", "decide", "Besluit AP", id="breaches.decide",
                tooltip="Leg het besluit over melden bij de Autoriteit Persoonsgegevens vast"),
        Binding("s", "close_breach", "Afsluiten", id="breaches.close",
                tooltip="Sluit het gekozen datalek af"),
        Binding("j", "annual", "Jaarverslag", id="breaches.annual",
                tooltip="Schrijf het jaarverslag van dit jaar (CSV's en pdf)"),
        Binding("f5", "refresh", "Vernieuwen", id="breaches.refresh",
                tooltip="Lees het register opnieuw"),
    ]

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self._breaches: dict[str, Breach] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="breach-summary", markup=False)
        yield SafeTable(*COLUMNS, id="breach-table", width=40)
        with VerticalScroll(id="breach-detail-box"):
            yield Static("", id="breach-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Datalekkenregister"
        self.load()
        self.query_one("#breach-table", SafeTable).focus()

    # -- list -----------------------------------------------------------------------------

    def load(self) -> None:
        table = self.query_one("#breach-table", SafeTable)
        keep = table.selected_key()
        table.clear()
        try:
            found = service.list_breaches(self.store, self.actor)
        except ModeratorError as error:
            self.query_one("#breach-summary", Static).update(Text(f"fout: {error}"))
            return
        self._breaches = {b.number: b for b in found}
        overdue = 0
        undecided = 0
        for b in found:
            due = service.deadline(b)
            overdue += due.overdue
            undecided += not due.decided
            style = "bold red" if due.overdue else ("yellow" if not due.decided else "")
            table.add_row(*(rich_text.line_text(v, 40) for v in (
                b.number, b.school_id, _t(b.discovered_at), _t(due.due.isoformat()))),
                rich_text.line_text(due.short(), style=style),
                *(rich_text.line_text(v, 40) for v in (
                    labels.breach_risk(b.risk), labels.dpa_decision(b.dpa_decision),
                    labels.breach_status(b.status))), key=b.number)
        summary = Text(f"{len(found)} in het register; {undecided} wachten op het besluit"
                       " over melden bij de AP (72 uur na de verwijdering)")
        if overdue:
            summary.append(f"; {overdue} over de termijn", style="bold red")
        self.query_one("#breach-summary", Static).update(summary)
        if keep and keep in self._breaches:
            table.move_cursor(row=table.get_row_index(keep))

    def _selected(self) -> Breach | None:
        key = self.query_one("#breach-table", SafeTable).selected_key()
        return self._breaches.get(key) if key else None

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- one record -------------------------------------------------------------------------

    @on(SafeTable.RowSelected, "#breach-table")
    def action_show(self) -> None:
        b = self._selected()
        if b is None:
            return
        try:
            view = service.show_breach(self.store, self.actor, b.number)
        except ModeratorError as error:
            self.notify(text.one_line(str(error)), severity="error", markup=False)
            return
        self.query_one("#breach-detail", Static).update(detail_text(view))

    def _run(self, call, done: str) -> None:
        try:
            call()
        except ModeratorError as error:
            self.notify(text.one_line(str(error)), severity="error", markup=False, timeout=8)
            return
        self.notify(text.one_line(done), markup=False)
        self.load()
        self.action_show()

    def action_complete(self) -> None:
        b = self._selected()
        if b is None:
            return

        def apply(changes: dict | None) -> None:
            if changes:
                self._run(lambda: service.update_breach(self.store, self.actor, b.number,
                                                        **changes),
                          f"Datalek {b.number} bijgewerkt.")

        self.app.push_screen(BreachForm(b), apply)

    def action_decide(self) -> None:
        b = self._selected()
        if b is None:
            return

        def apply(answer: tuple[bool, str, str] | None) -> None:
            if answer is not None:
                notify, reference, reason = answer
                self._run(lambda: service.decide(self.store, self.actor, b.number,
                                                 notify=notify, reference=reference,
                                                 reason=reason),
                          f"Besluit over {b.number} vastgelegd.")

        self.app.push_screen(DecisionForm(b), apply)

    def action_close_breach(self) -> None:
        b = self._selected()
        if b is None:
            return

        def apply(answer: PromptAnswer | None) -> None:
            if answer is not None:
                self._run(lambda: service.close_breach(self.store, self.actor, b.number,
                                                       answer.text),
                          f"Datalek {b.number} afgesloten.")

        self.app.push_screen(PromptModal(f"Datalek {b.number} afsluiten", "Notitie",
                                         required=False, confirm="Afsluiten"), apply)

    def action_annual(self) -> None:
        from moderator.services.annual_report import write_annual_report

        year = clock.now().year

        def apply(answer: PromptAnswer | None) -> None:
            if answer is None:
                return
            try:
                files = write_annual_report(self.store, self.actor, year, Path(answer.text))
            except ModeratorError as error:
                self.notify(text.one_line(str(error)), severity="error", markup=False, timeout=8)
                return
            self.notify(text.one_line(f"Jaarverslag geschreven: {files.pdf}"), markup=False,
                        timeout=8)

        self.app.push_screen(PromptModal(f"Jaarverslag {year}", "Map voor de CSV's en de pdf",
                                         value=str(self.store.path.parent / "jaarverslag"),
                                         confirm="Schrijven"), apply)


def notify_deadlines(screen: Screen, store: Store, actor: Actor) -> None:
    """A notice on any screen of the coordinator while a breach waits for the decision
    on notifying the AP (the deadline is shown everywhere until decided)."""
    pending = service.pending_deadlines(store, actor)
    if not pending:
        return
    number, due = pending[0]
    overdue = sum(d.overdue for _, d in pending)
    waiting = aantal(len(pending), "datalek wacht", "datalekken wachten")
    message = (f"{waiting} op het besluit over melden bij de AP. Eerste: {number},"
               f" {due.label()}. Datalekken: ctrl+b.")
    screen.notify(message, severity="error" if overdue else "warning", markup=False,
                  timeout=15)


def detail_text(view: service.BreachView) -> Text:
    """The record in full, as Text (typed and portal text never parsed as markup)."""
    b = view.breach

    def who(ids: tuple[str, ...]) -> str:
        return ", ".join(f"{view.names.get(i, '?')} ({i})" for i in ids) or "-"

    rows = [
        ("Datalek", b.number), ("School", view.school_name), ("Item", b.item),
        ("Dossier", b.incident_number or "-"),
        ("Verwijderd als", view.reason_label + (" (bevat een BSN)" if b.bsn else "")),
        ("Zichtbaar", f"van {_t(b.visible_from)} tot {_t(b.visible_until)}, voor "
                      f"{b.audience if b.audience is not None else '?'} personen"),
        ("Gegevens", b.data_description or "-"),
        ("Categorieën", ", ".join(labels.breach_category(c) for c in b.categories) or "-"),
        ("Leerlingen", who(b.pupil_ids)), ("Ouders", who(b.parent_ids)),
        ("Risico", labels.breach_risk(b.risk) + (f": {b.risk_note}" if b.risk_note else "")),
        ("Gevolgen", b.consequences or "-"), ("Maatregelen", b.measures or "-"),
        ("Contactpersoon", b.contact or "-"),
        ("Melding AP", labels.dpa_decision(b.dpa_decision)
         + (f" op {_t(b.dpa_decided_at)}" if b.decided else "")),
        ("Kenmerk AP", b.dpa_reference or "-"), ("Toelichting", b.dpa_reason or "-"),
        ("Geïnformeerd", labels.informed(b.informed)
         + (f": {b.informed_how}" if b.informed_how else "")),
        ("Termijn", service.deadline(b).label()),
        ("Status", labels.breach_status(b.status)),
    ]
    out = Text()
    for label, value in rows:
        out.append(f"{label:<15} ", style="bold")
        out.append(text.clean(value))
        out.append("\n")
    return out
