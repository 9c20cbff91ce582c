"""The dossier screen: the incidents the user may see, and one dossier in detail.

Top: filters (status, group, person, opened since) and the list. Bottom: the open
dossier with its timeline and hard copies. Opening a dossier (enter) is a view and is
written to the access log; moving the cursor is not. Entries are recorded through the
forms in :mod:`moderator.screens.dossier_forms`; the dossier service enforces who may
do what (through :mod:`moderator.policy.access`), the screen only hides what the role
cannot do, asking the same predicates.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Select, Static

from moderator import clock, labels, rich_text, text
from moderator.errors import ModeratorError
from moderator.plural import aantal
from moderator.policy import access, measures
from moderator.policy.access import Actor
from moderator.screens.dossier_forms import (
    CloseForm,
    CloseInput,
    DossierForm,
    EntryInput,
    HardcopyViewer,
    ShownHardcopy,
)
from moderator.services import portal_sync
from moderator.services.dossier import (
    STATUS_LABELS,
    STATUS_ORDER,
    IncidentDetail,
    IncidentSummary,
    add_event,
    close_incident,
    export_incident,
    get_incident,
    hardcopy_text,
    list_handovers,
    list_incidents,
    record_handover,
    timeline_key,
)
from moderator.store.db import Store
from moderator.store.outbox import Action

WRITE_ACTIONS = {"consultation", "parent_conversation", "measure", "note", "correction",
                 "claim"}
DIRECTOR_ACTIONS = {"escalate", "close", "measure_term"}


def _when(value: str | None) -> str:
    """A stored timestamp in Dutch local time ('25-11-2026 14:30'); a bare date as a date."""
    return clock.display(value) or "-"


def _day(value: str | None) -> str:
    return _when(value)[:10]


class DossierScreen(Screen):
    """Dossiers: list, detail with timeline and hard copies, and the entry forms."""

    CSS_PATH = "dossier.tcss"

    # The footer shows the keys used most (it fits at 80 columns); the rest are in help (?)
    # and the palette (ctrl+p).
    BINDINGS = [
        Binding("o", "parent_conversation", "Gesprek", id="dossier.parent_conversation",
                tooltip="Leg het gesprek met de ouder vast"),
        Binding("c", "consultation", "Overleg", id="dossier.consultation",
                tooltip="Leg het overleg tussen leerkracht en directie vast"),
        Binding("m", "measure", "Maatregel", id="dossier.measure",
                tooltip="Leg een interne maatregel vast"),
        Binding("p", "claim", "Oppakken", id="dossier.claim", show=False,
                tooltip="Ik pak dit dossier op (of: geef het terug als jij het hebt)"),
        Binding("l", "measure_term", "Looptijd", id="dossier.measure_term", show=False,
                tooltip="Beëindig of verleng een maatregel met looptijd (directie)"),
        Binding("e", "escalate", "Escaleren", id="dossier.escalate",
                tooltip="Externe handhaving of juridische stappen (directie)"),
        Binding("n", "note", "Notitie", id="dossier.note", show=False,
                tooltip="Voeg een notitie toe"),
        Binding("k", "correction", "Correctie", id="dossier.correction", show=False,
                tooltip="Corrigeer een aantekening met een nieuwe aantekening"),
        Binding("s", "close", "Afsluiten", id="dossier.close",
                tooltip="Sluit het dossier af met een uitkomst (directie)"),
        Binding("b", "letter", "Brief", id="dossier.letter", show=False,
                tooltip="Schrijf een brief aan de auteur of een melder, verstuur of druk af"),
        Binding("h", "hardcopies", "Hard copies", id="dossier.hardcopies",
                tooltip="Lees de hard copies in het dossier"),
        Binding("x", "export", "Export", id="dossier.export", show=False,
                tooltip="Exporteer het dossier als één PDF (directie, AVG)"),
        Binding("t", "handover", "Overdracht", id="dossier.handover", show=False,
                tooltip="Leg vast aan wie een export is overgedragen (politie, advocaat, "
                        "inspectie) met hun kenmerk"),
        Binding("question_mark", "help", "Help", id="dossier.help",
                tooltip="Alle toetsen van dit scherm"),
        # b, x and esc are not in the footer, so the keys that record an entry fit at 80
        # columns with Help; ? and ctrl+p list them all
        Binding("escape", "back", "Terug", id="dossier.back", show=False,
                tooltip="Terug naar het vorige scherm"),
        Binding("r", "refresh", "Vernieuwen", id="dossier.refresh", tooltip="Lees de lijst opnieuw", show=False),
        Binding("slash", "filters", "Filters", id="dossier.filters", tooltip="Naar de filters", show=False),
    ]

    def __init__(self, store: Store, actor: Actor, incident_id: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self.initial = incident_id
        self.summaries: list[IncidentSummary] = []
        self.detail: IncidentDetail | None = None
        self.handovers: list = []

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text("Dossiers", style="bold"), id="dossier-title")
        with Horizontal(id="dossier-filters"):
            yield Select([(Text(STATUS_LABELS[s]), s) for s in STATUS_ORDER], id="f-status",
                         prompt="Status")
            yield Select([], id="f-group", prompt="Groep")
            yield Select([], id="f-person", prompt="Persoon")
            yield Input(placeholder="vanaf datum", id="f-since",
                        tooltip="Dossiers geopend vanaf deze datum; " + clock.INPUT_HELP)
        table: DataTable = DataTable(id="dossier-list", cursor_type="row", zebra_stripes=True)
        table.add_columns("Nummer", "Status", "Niveau", "Betreft", "Groep", "Geopend", "Hard copies")
        yield table
        with VerticalScroll(id="dossier-detail"):
            yield Static(Text("Kies een dossier en druk op enter.", style="italic"),
                         id="detail-body")
        yield Footer(compact=True, show_command_palette=False)   # fits at 80 columns

    def on_mount(self) -> None:
        try:
            everything = list_incidents(self.store, self.actor)
        except ModeratorError as error:
            self._error(error)
            everything = []
        groups = {s.group_id: s.group_name or s.group_id for s in everything if s.group_id}
        people = {s.person_id: s.person_name or s.person_id for s in everything if s.person_id}
        self.query_one("#f-group", Select).set_options(
            [(rich_text.line_text(name, 30), gid) for gid, name in sorted(groups.items(), key=lambda g: g[1])])
        self.query_one("#f-person", Select).set_options(
            [(rich_text.line_text(name, 30), pid) for pid, name in sorted(people.items(), key=lambda p: p[1])])
        self._fill(everything)
        if self.initial is not None:
            self.open_incident(self.initial)
        self.query_one("#dossier-list", DataTable).focus()

    # -- list -------------------------------------------------------------------------------

    def _filters(self) -> dict:
        def value(selector: str) -> str | None:
            chosen = self.query_one(selector, Select).value
            return chosen if isinstance(chosen, str) else None

        since = self.query_one("#f-since", Input).value.strip() or None
        return {"status": value("#f-status"), "group_id": value("#f-group"),
                "person_id": value("#f-person"), "since": since}

    def reload(self) -> bool:
        try:
            found = list_incidents(self.store, self.actor, **self._filters())
        except ModeratorError as error:
            self._error(error)
            return False
        self._fill(found)
        return True

    def _fill(self, found: list[IncidentSummary]) -> None:
        self.summaries = found
        table = self.query_one("#dossier-list", DataTable)
        table.clear()
        for s in found:
            table.add_row(rich_text.line_text(s.number), Text(s.status_label), Text(s.level_label),
                          rich_text.line_text(s.person_name or "-", 30),
                          rich_text.line_text(s.group_name or "-", 24),
                          Text(_day(s.opened_at)), Text(str(s.n_hardcopies)),
                          key=str(s.id))
        title = Text("Dossiers", style="bold")
        title.append(f"  {aantal(len(found), 'dossier', 'dossiers')} gevonden", style="dim")
        self.query_one("#dossier-title", Static).update(title)

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        if event.select.id and event.select.id.startswith("f-"):
            self.reload()

    @on(Input.Submitted, "#f-since")
    def _since_submitted(self) -> None:
        if self.reload():
            self.query_one("#dossier-list", DataTable).focus()
        else:
            # the date was not understood: keep it selected, so the retype replaces it
            field = self.query_one("#f-since", Input)
            field.focus()
            field.select_all()

    @on(DataTable.RowSelected, "#dossier-list")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_incident(int(event.row_key.value))

    # -- detail -----------------------------------------------------------------------------

    def open_incident(self, incident_id: int | str, log_view: bool = True) -> None:
        try:
            self.detail = get_incident(self.store, self.actor, incident_id, log_view=log_view)
            self.handovers = list_handovers(self.store, self.actor, self.detail.incident.id)
        except ModeratorError as error:
            self._error(error)
            return
        self._show_detail()
        table = self.query_one("#dossier-list", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(str(self.detail.incident.id)))
        except Exception:  # noqa: BLE001 - filtered out of the list; the detail still shows
            pass
        self.refresh_bindings()

    def _show_detail(self) -> None:
        from moderator.services.measures import terms_for

        terms = terms_for(self.store, self.actor, self.detail.incident.id)
        actions = portal_sync.incident_actions(self.store, self.actor,
                                               self.detail.incident.number)
        self.query_one("#detail-body", Static).update(render_detail(self.detail, terms, actions,
                                                                              self.handovers))

    # -- rules the footer shows -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITE_ACTIONS or action in DIRECTOR_ACTIONS or action in (
                "hardcopies", "export", "letter"):
            if self.detail is None:
                return None
            incident = self.detail.incident
        if action == "letter":
            return access.may_write_incident(self.actor, incident.school_id, incident.group_id,
                                           incident.kind)
        if action in WRITE_ACTIONS:
            if not access.may_write_incident(self.actor, incident.school_id, incident.group_id,
                                           incident.kind):
                return False
            if action == "parent_conversation" and incident.kind == "staff":
                return False
            if incident.status == "closed" and action not in ("note", "correction"):
                return None
        if action in DIRECTOR_ACTIONS:
            if not access.may_escalate(self.actor, incident.school_id):
                return False
            if incident.status == "closed":
                return None
        if action == "export" and not access.may_export_incident(self.actor, incident.school_id):
            return False
        if action == "handover":
            if self.detail is None:
                return None
            incident = self.detail.incident
            if not access.may_export_incident(self.actor, incident.school_id):
                return False
            return True if self.detail.exports else None
        return True

    # -- keys that may not act say why -----------------------------------------------------

    def why_not(self, action: str) -> str | None:
        """Why ``action`` does nothing now (None when it acts): the key then gives this
        as a notification instead of doing nothing."""
        if self.check_action(action, ()):
            return None
        if self.detail is None:
            return "Kies eerst een dossier in de lijst (enter)."
        incident = self.detail.incident
        if action in WRITE_ACTIONS | DIRECTOR_ACTIONS and incident.status == "closed" and \
                access.may_write_incident(self.actor, incident.school_id, incident.group_id):
            return (f"Dossier {incident.number} is afgesloten; alleen een notitie (n) of een "
                    "correctie (k) kan er nog bij.")
        if action == "escalate":
            return "Escaleren (politie, juridische stappen) doet de directie."
        if action == "close":
            return "Een dossier afsluiten doet de directie."
        if action == "export":
            return "Exporteren doet de directie of de AVG-coördinator."
        return "Dit dossier kunt u alleen inzien."

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input):
            return                       # typing in a filter
        if event.key in ("end", "home") and \
                self.focused is self.query_one("#dossier-list", DataTable):
            # the list's cursor goes to the last (first) dossier, not only the view
            table = self.query_one("#dossier-list", DataTable)
            if table.row_count:
                table.move_cursor(row=table.row_count - 1 if event.key == "end" else 0)
            event.stop()
            event.prevent_default()
            return
        action = _KEY_ACTIONS.get(event.key)
        if action is None:
            return
        why = self.why_not(action)
        if why:
            event.stop()
            event.prevent_default()
            self.notify(why, severity="warning", markup=False, timeout=4)

    # -- actions ----------------------------------------------------------------------------

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.app.pop_screen()

    def action_refresh(self) -> None:
        self.reload()
        if self.detail is not None:
            self.open_incident(self.detail.incident.id, log_view=False)

    def action_filters(self) -> None:
        self.query_one("#f-status", Select).focus()

    def _form(self, kind: str) -> None:
        if self.detail is None:
            return
        detail = self.detail
        self.app.push_screen(DossierForm(kind, detail.incident.number, events=detail.events,
                                         submit=self._submit_entry))

    def _submit_entry(self, entry: EntryInput) -> str | None:
        """Called by the form: record the entry, or return the error the form shows."""
        if self.detail is None:
            return "Geen dossier gekozen."
        try:
            if entry.kind == "measure":
                from moderator.services.measures import record_measure
                from moderator.store.measure_terms import TERM_MEASURES

                term = entry.measure in TERM_MEASURES
                event = record_measure(
                    self.store, self.actor, self.detail.incident.id, entry.measure, entry.text,
                    at=entry.at, participants=entry.participants,
                    ends_on=entry.ends_on if term else None,
                    until_further_notice=term and not entry.ends_on)
            else:
                event = add_event(self.store, self.actor, self.detail.incident.id, entry.kind,
                                  entry.text, at=entry.at, participants=entry.participants,
                                  measure=entry.measure, refers_to=entry.refers_to,
                                  reference=entry.reference)
        except ModeratorError as error:
            return str(error)
        label = event.kind_label + (f": {measures.label(event.measure)}" if event.measure else "")
        self.notify(f"Vastgelegd in {self.detail.incident.number}: {label}", markup=False)
        self.action_refresh()
        return None

    def action_consultation(self) -> None:
        self._form("consultation")

    def action_parent_conversation(self) -> None:
        self._form("parent_conversation")

    def action_measure(self) -> None:
        self._form("measure")

    def action_escalate(self) -> None:
        self._form("escalation")

    def action_claim(self) -> None:
        from moderator.services import claims

        if self.detail is None:
            return
        number = self.detail.incident.number
        try:
            held = claims.held(self.store, self.actor, number)
            if held is not None and held.holder == self.actor.username:
                claims.release(self.store, self.actor, number)
                message = f"Dossier {number} teruggegeven."
            else:
                claims.claim(self.store, self.actor, number)
                message = f"Dossier {number} staat nu op jouw naam."
        except ModeratorError as error:
            self.notify(text.one_line(error, 200), title="Niet gelukt", severity="error",
                        markup=False)
            return
        self.notify(message, markup=False)

    def action_measure_term(self) -> None:
        from moderator.screens.measure_term import MeasureTermForm
        from moderator.services.measures import remaining, terms_for

        if self.detail is None:
            return
        active = [t for t in terms_for(self.store, self.actor, self.detail.incident.id)
                  if t.active]
        if not active:
            self.notify("Dit dossier heeft geen lopende maatregel met een looptijd.",
                        markup=False)
            return
        self.app.push_screen(MeasureTermForm(self.detail.incident.number, active, remaining,
                                             self._change_term))

    def _change_term(self, change) -> str | None:  # noqa: ANN001 - TermChange
        from moderator.services import measures as measure_service

        try:
            if change.action == "end":
                term = measure_service.end_early(self.store, self.actor, change.event_id,
                                                 change.reason)
                message = f"{term.label} beëindigd."
            else:
                term = measure_service.extend(
                    self.store, self.actor, change.event_id, change.ends_on,
                    until_further_notice=change.action == "indefinite", reason=change.reason)
                message = f"{term.label}: {measure_service.remaining(term)}."
        except ModeratorError as error:
            return str(error)
        self.notify(message, markup=False)
        self.action_refresh()
        return None

    def action_note(self) -> None:
        self._form("note")

    def action_correction(self) -> None:
        self._form("correction")

    def action_close(self) -> None:
        if self.detail is None:
            return
        # A staff dossier asks for no talk with a parent.
        spoken = self.detail.has_parent_conversation or self.detail.incident.kind == "staff"
        self.app.push_screen(CloseForm(self.detail.incident.number, spoken, submit=self._close))

    def _close(self, choice: CloseInput) -> str | None:
        if self.detail is None:
            return "Geen dossier gekozen."
        try:
            closed = close_incident(self.store, self.actor, self.detail.incident.id,
                                    choice.outcome, choice.reason_without_conversation)
        except ModeratorError as error:
            return str(error)
        self.notify(f"Dossier {closed.number} gesloten; bewaren tot {_day(closed.retention_until)}.",
                    markup=False)
        self.action_refresh()
        return None

    def action_letter(self) -> None:
        if self.detail is None:
            return
        from moderator.screens.letter_form import LetterForm, RecipientOption
        from moderator.services import letters

        try:
            found = letters.recipients(self.store, self.actor, incident=self.detail.incident.id)
        except ModeratorError as error:
            self._error(error)
            return
        options = [RecipientOption(r.person_id, r.name, r.kind, r.can_email) for r in found]
        self.app.push_screen(LetterForm(self.detail.incident.number, options,
                                        preview=self._letter_preview, submit=self._letter_submit))

    def _letter_preview(self, choice):
        from moderator.screens.letter_form import Shown
        from moderator.services import letters

        if self.detail is None:
            return "Geen dossier gekozen."
        try:
            shown = letters.preview(self.store, self.actor, template=choice.template,
                                    incident=self.detail.incident.id, to=choice.to,
                                    values=choice.values)
        except ModeratorError as error:
            return str(error)
        return Shown(shown.subject, shown.body)

    def _letter_submit(self, choice) -> str | None:
        """Draft the letter (its PDF goes into the dossier), then send or mark printed.
        A failed send leaves the letter in the dossier as 'niet verzonden'."""
        from moderator.services import letters

        if self.detail is None:
            return "Geen dossier gekozen."
        try:
            made = letters.draft(self.store, self.actor, template=choice.template,
                                 incident=self.detail.incident.id, to=choice.to,
                                 values=choice.values, subject=choice.subject, body=choice.body)
        except ModeratorError as error:
            return str(error)
        try:
            if choice.action == "send":
                done = letters.send(self.store, self.actor, made.id)
            else:
                done = letters.mark_printed(self.store, self.actor, made.id)
        except ModeratorError as error:
            done = None
            self._error(ModeratorError(f"Brief {made.number} staat als concept in het dossier;"
                                       f" {error}"))
        if done is not None and done.status in ("failed", "unknown"):
            self._error(ModeratorError(f"Brief {done.number} {labels.letter_status(done.status)}:"
                                       f" {done.error}"))
        elif done is not None:
            self.notify(f"Brief {done.number} {labels.letter_status(done.status)}"
                        f" en opgeslagen in {self.detail.incident.number}.", markup=False)
        self.action_refresh()
        return None

    def action_help(self) -> None:
        from moderator.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self, "Dossiers: kies een dossier met enter; de "
                                              "toetsen hieronder werken op het open dossier."))

    def action_hardcopies(self) -> None:
        if self.detail is None:
            return
        shown = []
        for n, hc in enumerate(self.detail.hardcopies, start=1):
            try:
                read = hardcopy_text(self.store, self.actor, hc)
            except ModeratorError as error:
                self._error(error)
                return
            kind = labels.item_kind_from_ref(hc.item)
            what = labels.ITEM_KINDS.get(kind, "het item")
            shown.append(ShownHardcopy(f"Hard copy {n}: {what} ({_reason(hc.reason)}, "
                                       f"{_when(hc.created_at)})",
                                       hc.sha256, read.text, read.problem))
        self.app.push_screen(HardcopyViewer(self.detail.incident.number, shown))

    def action_export(self) -> None:
        if self.detail is None:
            return
        try:
            record = export_incident(self.store, self.actor, self.detail.incident.id)
        except ModeratorError as error:
            self._error(error)
            return
        full = (self.store.archives / record.path).resolve()
        self.notify(f"Export geschreven: {full}", title="Dossier geëxporteerd", markup=False)
        self.open_incident(self.detail.incident.id, log_view=False)

    def action_handover(self) -> None:
        if self.detail is None or not self.detail.exports:
            self.notify("Exporteer het dossier eerst (x); daarna legt u de overdracht vast.",
                        severity="warning", markup=False)
            return
        from moderator.screens.handover_form import HandoverForm, HandoverInput

        incident_id = self.detail.incident.id

        def submit(choice: HandoverInput) -> str | None:
            try:
                record = record_handover(self.store, self.actor, incident_id,
                                         recipient_kind=choice.recipient_kind,
                                         recipient=choice.recipient, reference=choice.reference,
                                         handed_at=choice.handed_at)
            except ModeratorError as error:
                return str(error)
            self.notify(f"Overdracht vastgelegd: {text.one_line(record.recipient)}"
                        + (f", kenmerk {text.one_line(record.reference)}" if record.reference
                           else ""), markup=False)
            self.open_incident(incident_id, log_view=False)
            return None

        self.app.push_screen(HandoverForm(self.detail.incident.number,
                                          self.detail.exports[-1].path, submit))

    def _error(self, error: Exception) -> None:
        self.notify(str(error), severity="error", markup=False, timeout=8)


_KEY_ACTIONS = {b.key: b.action for b in DossierScreen.BINDINGS
                if isinstance(b, Binding) and (b.action in WRITE_ACTIONS | DIRECTOR_ACTIONS
                                               or b.action in ("export", "letter", "hardcopies"))}


def _reason(code: str) -> str:
    from moderator.policy.catalogue import REASONS

    found = REASONS.get(code)
    return found.label if found else code


def _letter_key(letter) -> tuple:
    """A letter's place in the timeline: after the entries of the same moment."""
    return timeline_key(letter.created_at, letter.created_at, 1 << 62)


def _letter_line(out: Text, letter) -> None:
    """One letter in the timeline: when, number, subject, to whom, delivery (and why not)."""
    out.append(f" ✉ {_when(letter.created_at)}  ", style="bold")
    out.append(f"Brief {letter.number}", style="bold")
    out.append(f"  {labels.letter_status(letter.status)}",
               style="bold red" if letter.status in ("failed", "unknown") else "")
    if letter.sent_at:
        out.append(f" {_day(letter.sent_at)}")
    out.append("\n    ")
    out.append_text(rich_text.line_text(letter.subject, 60))
    out.append(" · aan ")
    out.append_text(rich_text.line_text(letter.recipient_name, 40))
    out.append(f" ({labels.letter_recipient(letter.recipient_kind)})\n")
    if letter.error:
        out.append("    ")
        out.append_text(rich_text.line_text(letter.error, 160))
        out.append("\n")


def render_detail(detail: IncidentDetail, terms=(),  # terms: MeasureTerm list
                  portal_actions: Sequence[Action] = (), handovers=()) -> Text:
    """The dossier as Rich text: our labels as plain strings, portal text through text.*"""
    s = detail.incident
    out = Text(f"Dossier {s.number}", style="bold")
    out.append(f"   {s.status_label} · {s.level_label}\n", style="bold")
    for label, value in (("School", s.school_name), ("Groep", s.group_name or "-"),
                         ("Betreft", f"{s.person_name or '-'} ({s.kind_label})"),
                         ("Geopend", f"{_when(s.opened_at)} door {s.opened_by_label}")):
        out.append(f"{label:<10}")
        out.append_text(rich_text.line_text(value))
        out.append("\n")
    if s.closed_at:
        out.append(f"{'Gesloten':<10}{_when(s.closed_at)}, bewaren tot {_day(s.retention_until)}\n")
        out.append(f"{'Uitkomst':<10}")
        out.append_text(rich_text.text(s.outcome or ""))
        out.append("\n")
    if s.legal_hold:
        out.append("Bewaarplicht: ", style="bold")
        out.append_text(rich_text.text(detail.legal_hold_reason or "ja"))
        out.append("\n")
    if terms:
        from moderator.services.measures import remaining

        out.append("\nMaatregelen met looptijd\n", style="bold underline")
        for t in terms:
            out.append(f"    {t.label}: vanaf {_day(t.starts_on.isoformat())}, ")
            out.append(remaining(t), style="bold" if t.active else "dim")
            out.append("\n")
    out.append("\nTijdlijn\n", style="bold underline")
    number = {e.id: i for i, e in enumerate(detail.events, start=1)}
    # Letters take their place in the timeline by when they were written (unnumbered:
    # the numbers are those of the entries, which corrections refer to).
    pending = sorted(detail.letters, key=_letter_key)
    for i, e in enumerate(detail.events, start=1):
        here = timeline_key(e.at, e.recorded_at, e.id)
        while pending and _letter_key(pending[0]) <= here:
            _letter_line(out, pending.pop(0))
        out.append(f"{i:>2}. {_when(e.at)}  ", style="bold")
        out.append(e.kind_label, style="bold")
        if e.measure:
            scope = measures.MEASURES.get(e.measure)
            out.append(f" · {e.measure_label}")
            if scope is not None and scope.external:
                out.append(" (extern)", style="bold red")
        out.append("  door ")
        out.append_text(rich_text.line_text(e.author_name))
        out.append("\n")
        if e.participants:
            out.append("    aanwezig: ")
            out.append_text(rich_text.line_text(", ".join(e.participants)))
            out.append("\n")
        if e.detail.get("reference"):
            out.append("    kenmerk: ")
            out.append_text(rich_text.line_text(e.detail["reference"]))
            out.append("\n")
        if e.refers_to is not None:
            out.append(f"    corrigeert aantekening {number.get(e.refers_to, '?')}\n", style="italic")
        if e.corrected_by:
            out.append("    gecorrigeerd in aantekening "
                       + ", ".join(str(number.get(c, "?")) for c in e.corrected_by) + "\n",
                       style="italic")
        if e.kind == "deletion" and e.detail.get("note"):
            out.append("    toelichting bij de verwijdering: ")
            out.append_text(rich_text.text(text.clean(str(e.detail["note"]))))
            out.append("\n")
        if e.detail.get("without_conversation"):
            out.append("    geen gesprek met de ouder, omdat: ")
            out.append_text(rich_text.text(e.detail["without_conversation"]))
            out.append("\n")
        for line in text.clean(e.text).split("\n"):
            out.append("    ")
            out.append_text(rich_text.text(line))
            out.append("\n")
    for letter in pending:
        _letter_line(out, letter)
    if portal_actions:
        out.append("\nIn het portaal\n", style="bold underline")
        for action in portal_actions:
            out.append("    ")
            out.append_text(rich_text.line_text(labels.portal_action_line(action)))
            out.append("\n")
    out.append("\nHard copies in het dossier", style="bold underline")
    out.append("  (h om te lezen)\n", style="dim")
    if not detail.hardcopies:
        out.append("    geen\n", style="italic")
    for n, hc in enumerate(detail.hardcopies, start=1):
        out.append(f"{n:>2}. ")
        out.append(labels.ITEM_KINDS.get(labels.item_kind_from_ref(hc.item), "het item"))
        out.append(f"  {_reason(hc.reason)}  {_when(hc.created_at)}  sha256 {hc.sha256[:16]}…\n")
    if detail.exports:
        out.append("\nExports\n", style="bold underline")
        for x in detail.exports:
            out.append(f"    {_when(x.created_at)}  ")
            out.append_text(rich_text.line_text(x.path))
            out.append("\n")
    if handovers:
        out.append("\nOverdrachten", style="bold underline")
        out.append("  (wie kreeg welke export)\n", style="dim")
        for h in handovers:
            out.append(f"    {_when(h.handed_at)}  aan ")
            out.append_text(rich_text.line_text(h.recipient))
            out.append(f" ({labels.recipient_kind(h.recipient_kind)})")
            if h.reference:
                out.append(", kenmerk ")
                out.append_text(rich_text.line_text(h.reference))
            out.append(", door ")
            out.append_text(rich_text.line_text(h.handed_by))
            out.append(f"\n      sha256 {h.sha256}\n")
    return out
