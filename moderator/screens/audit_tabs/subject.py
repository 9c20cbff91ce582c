"""Tab 5, Inzageverzoek: requests with their statutory month, find a person, view what
is held about them, decide on each passage about someone else, export it."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Static

from moderator import labels, text
from moderator.errors import ModeratorError
from moderator.plural import aantal
from moderator.screens.audit_tabs.base import AuditTab, when
from moderator.screens.audit_widgets import PromptAnswer, PromptModal, SafeTable
from moderator.services import subject_access, subject_requests
from moderator.services.subject_access import Decision, Passage


class SubjectTab(AuditTab):
    title = "Inzage"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.passages: dict[str, Passage] = {}
        self.decisions: dict[str, Decision] = {}
        self.passages_for: str | None = None
        self.request_person: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield SafeTable("#", "Over", "Aanvrager", "Ontvangen", "Uiterlijk", "Stand",
                        id="subject-requests", classes="short-table")
        with Horizontal(classes="filters"):
            yield Input(placeholder="naam of kenmerk", id="subject-query")
            yield Button("Zoeken", id="subject-search")
        yield SafeTable("Naam", "Rol", "School", "Groepen en kinderen", "Kenmerk",
                        id="subject-table", classes="short-table")
        yield SafeTable("Passage", "Onderdeel", "Waarom", "Tekst", "Besluit",
                        id="subject-passages", classes="short-table")
        yield Static("", id="subject-summary", classes="summary", markup=False)
        with Horizontal(classes="filters"):
            yield Label("Map: ")
            # Not selected on focus: a key typed by mistake must not replace the path.
            yield Input(value=str(Path(self.store.archives).parent / "inzage"),
                        id="subject-out", select_on_focus=False)
        with Horizontal(classes="actions"):
            yield Button("Verzoek vastleggen", id="subject-request-add")
            yield Button("Bekijken", id="subject-view")
            yield Button("Passages beoordelen", id="subject-passages-load")
            yield Button("Weglaten", id="subject-withhold")
            yield Button("Behouden", id="subject-keep")
            yield Button("Exporteren (JSON en PDF)", id="subject-export", variant="primary")

    # -- requests and their statutory month ------------------------------------------------

    def load(self) -> None:
        table = self.query_one("#subject-requests", SafeTable)
        table.clear()
        self.request_person = {}
        try:
            found = subject_requests.list_requests(self.store, self.actor)
        except ModeratorError as error:
            self.fail(error)
            return
        for st in found:
            r = st.request
            self.request_person[str(r.id)] = r.person_id
            table.add_safe_row(r.id, f"{r.person_name or '?'} ({r.person_id})", r.requester,
                               when(r.received_on), when(r.due_on), st.label, key=str(r.id))

    @on(Button.Pressed, "#subject-request-add")
    def _add_request(self) -> None:
        person = self._selected_person()
        if person is None:
            return

        def done(answer: PromptAnswer | None) -> None:
            if answer is None:
                return
            try:
                st = subject_requests.record_request(self.store, self.actor, person, answer.text)
            except ModeratorError as error:
                self.fail(error)
                return
            self.notify(f"Inzageverzoek {st.request.id} vastgelegd; uiterlijk beantwoorden op "
                        f"{when(st.request.due_on)}.", markup=False)
            self.load()

        self.app.push_screen(PromptModal(
            "Inzageverzoek vastleggen", "Wie deed het verzoek?", confirm="Vastleggen",
            hint="Ontvangen vandaag; de wettelijke termijn van een maand gaat nu lopen. "
                 "Een eerdere ontvangstdatum: moderator audit request add --received."), done)

    def _open_request_for(self, person: str) -> int | None:
        key = self.query_one("#subject-requests", SafeTable).selected_key()
        if key is not None and self.request_person.get(key) == person:
            return int(key)
        return None

    # -- passages about others (AVG art. 15(4)) ---------------------------------------------

    @on(Button.Pressed, "#subject-passages-load")
    def _load_passages(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        try:
            found = subject_access.third_party_passages(self.store, self.actor, person)
        except ModeratorError as error:
            self.fail(error)
            return
        if person != self.passages_for:
            self.decisions = {}
        self.passages_for = person
        self.passages = {p.key: p for p in found}
        self._show_passages()
        if not found:
            self.notify("Geen passages over anderen gevonden.", markup=False)

    def _show_passages(self) -> None:
        table = self.query_one("#subject-passages", SafeTable)
        table.clear()
        for p in self.passages.values():
            d = self.decisions.get(p.key)
            verdict = ("weglaten" if d.withhold else "behouden") + f": {d.ground}" if d else \
                "nog niet beoordeeld (wordt weggelaten)"
            table.add_safe_row(p.key, p.section, p.why, p.text, verdict, key=p.key)

    def _decide(self, withhold: bool) -> None:
        key = self.selected("subject-passages", "Beoordeel eerst de passages en kies er een.")
        if key is None or key not in self.passages:
            return

        def done(answer: PromptAnswer | None) -> None:
            if answer is None:
                return
            self.decisions[key] = Decision(withhold, answer.text)
            self._show_passages()

        self.app.push_screen(PromptModal(
            f"Passage {'weglaten' if withhold else 'behouden'}", "Grond",
            value="gegevens van een ander (AVG art. 15 lid 4)" if withhold else "",
            confirm="Weglaten" if withhold else "Behouden"), done)

    @on(Button.Pressed, "#subject-withhold")
    def _withhold(self) -> None:
        self._decide(True)

    @on(Button.Pressed, "#subject-keep")
    def _keep(self) -> None:
        self._decide(False)

    @on(Button.Pressed, "#subject-search")
    @on(Input.Submitted, "#subject-query")
    def _search(self) -> None:
        table = self.query_one("#subject-table", SafeTable)
        table.clear()
        try:
            hits = subject_access.find_people(self.store, self.actor, self.value("subject-query"))
        except ModeratorError as error:
            self.fail(error)
            return
        for hit in hits:
            context = "; ".join(part for part in (
                ("kind: " if len(hit.children) == 1 else "kinderen: ")
                + ", ".join(hit.children) if hit.children else "", ", ".join(hit.groups)) if part)
            table.add_safe_row(hit.name, labels.role(hit.role), hit.school_name, context or "-",
                               hit.id, key=hit.id)
        if not hits:
            self.notify("Niemand gevonden.", severity="warning", markup=False)

    def _selected_person(self) -> str | None:
        return self.selected("subject-table", "Zoek en kies eerst een persoon.")

    @on(Button.Pressed, "#subject-view")
    def _view(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        try:
            report = subject_access.view_subject(self.store, self.actor, person)
        except ModeratorError as error:
            self.fail(error)
            return
        self._show_counts(report)

    def _show_counts(self, report) -> None:
        counts = report.counts()
        nouns = (("accounts", "account", "accounts"), ("children", "kind", "kinderen"),
                 ("posts", "bericht", "berichten"), ("comments", "reactie", "reacties"),
                 ("flags_reported", "melding gedaan", "meldingen gedaan"),
                 ("flags_about", "melding over", "meldingen over"),
                 ("incidents", "dossier", "dossiers"),
                 ("events_named", "vermelding", "vermeldingen"),
                 ("access_log", "inzage", "inzages"))
        parts = ", ".join(aantal(counts.get(k, 0), one, many) for k, one, many in nouns)
        self.query_one("#subject-summary", Static).update(
            f"{text.one_line(report.name)} ({text.one_line(report.person_id)}): {parts}.")

    @on(Button.Pressed, "#subject-export")
    def _export(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        if person != self.passages_for:
            # The coordinator sees every passage about someone else before an export.
            self._load_passages()
            if self.passages:
                self.notify("Beoordeel eerst de passages over anderen; daarna opnieuw "
                            "exporteren.", severity="warning", markup=False)
                return
        request_id = self._open_request_for(person)
        try:
            result = subject_access.export_subject(
                self.store, self.actor, person, Path(self.value("subject-out")),
                decisions=dict(self.decisions), request_id=request_id)
        except (ModeratorError, OSError) as error:
            self.fail(error)
            return
        self._show_counts(result.report)
        withheld = len(result.report.data.get("withheld", []))
        self.notify(f"Inzage geschreven: {text.one_line(result.json_path)} en "
                    f"{text.one_line(result.pdf_path.name)}; "
                    f"{aantal(withheld, 'passage', 'passages')} weggelaten"
                    + (f", verzoek {request_id} beantwoord." if request_id else "."),
                    markup=False, timeout=10)
        if request_id:
            self.load()
