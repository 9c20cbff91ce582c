"""The AVG coordinator's screen: archive integrity, audit log, access log, retention and
destruction, subject access, school provisions.

Everything here is read-only except the coordinator's own acts (destroy, legal hold,
retention term, approving provisions, subject export). The services enforce the role
and write every read to the access log; this screen only composes and calls.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)

from moderator import clock, labels, text
from moderator.errors import ModeratorError
from moderator.labels import VERIFY_FINDINGS
from moderator.plural import aantal
from moderator.policy.access import Actor
from moderator.screens.audit_widgets import (
    PromptAnswer,
    PromptModal,
    SafeTable,
    VerifyDone,
    VerifyProgress,
)
from moderator.services import audit_log, provisions, retention, subject_access
from moderator.services import verify as verify_service
from moderator.store.db import Store

PAGE = 200
ACCESS_LABELS = labels.ACCESS_ACTIONS
TABS = ("integrity", "auditlog", "accesslog", "retention", "subject", "provisions")


_t = clock.display   # a stored moment in Dutch local time; a bare date as a date


class AuditScreen(Screen):
    """Home screen of the ``avg`` role."""

    CSS_PATH = "audit.tcss"

    BINDINGS = [
        Binding("ctrl+pagedown", "next_tab", "Volgend tabblad", id="audit.next_tab",
                key_display="^PgDn", priority=True, tooltip="Naar het volgende tabblad (ook: toetsen 1 t/m 6)"),
        Binding("ctrl+pageup", "previous_tab", "Vorig tabblad", id="audit.previous_tab",
                key_display="^PgUp", show=False, priority=True, tooltip="Naar het vorige tabblad"),
        Binding("f5", "refresh", "Vernieuwen", id="audit.refresh",
                tooltip="Lees de gegevens van het open tabblad opnieuw"),
        Binding("ctrl+v", "verify", "Controleren", id="audit.verify",
                tooltip="Controleer alle hard copies en exports en de hashketen van het auditlog"),
        Binding("question_mark", "help", "Help", id="audit.help",
                tooltip="Alle toetsen van dit scherm"),
        Binding("ctrl+b", "breaches", "Datalekken", id="audit.breaches",
                tooltip="Het datalekkenregister met de termijn van 72 uur, en het jaarverslag"),
        *(Binding(str(n), f"show_tab('{tab}')", f"Tabblad {label}", id=f"audit.tab{n}",
                  show=False, tooltip=f"Naar het tabblad {label} (toets {n})")
          for n, (tab, label) in enumerate(zip(TABS, (
              "Integriteit", "Auditlog", "Toegangslog", "Bewaartermijn", "Inzageverzoek",
              "Schoolbepalingen"), strict=True), start=1)),
    ]

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self._audit_oldest: int | None = None
        self._loaded: set[str] = set()

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="integrity", id="audit-tabs"):
            with TabPane("1 Integriteit", id="integrity"):
                yield Static("Controleer elke hard copy en elke export tegen de vastgelegde "
                             "SHA-256, zoek onbekende bestanden en loop de hashketen van het "
                             "auditlog na.", markup=False)
                with Horizontal(classes="actions"):
                    yield Button("Controle starten", id="verify-start", variant="primary")
                    yield Input(placeholder="anker VOLGNUMMER:HASH (optioneel)",
                                id="verify-anchor")
                    yield Button("Anker tonen", id="anchor-show")
                yield Static("", id="anchor-value", markup=False)
                yield ProgressBar(id="verify-progress", show_eta=False)
                yield Static("", id="verify-summary", classes="summary", markup=False)
                yield SafeTable("Soort", "Bestand of regel", "Toelichting", id="verify-problems",
                                width=80)
            with TabPane("2 Auditlog", id="auditlog"):
                with Horizontal(classes="filters"):
                    yield Input(placeholder="account", id="audit-actor",
                                classes="audit-filter-input", tooltip="Wie: de accountnaam")
                    yield Input(placeholder="actie", id="audit-action",
                                classes="audit-filter-input",
                                tooltip="De code van de actie, bijvoorbeeld incident.destroy;"
                                        " portal.* voor alle portaalacties")
                    yield Input(placeholder="school", id="audit-school",
                                classes="audit-filter-input")
                    yield Input(placeholder="vanaf", id="audit-since",
                                classes="audit-filter-input", tooltip="JJJJ-MM-DD")
                    yield Input(placeholder="tot", id="audit-until",
                                classes="audit-filter-input", tooltip="JJJJ-MM-DD")
                    yield Button("Filteren", id="audit-filter")
                    yield Button("Oudere", id="audit-more")
                yield SafeTable("#", "Tijd", "Wie", "Actie", "Onderwerp", "School", "Details",
                                id="audit-table")
            with TabPane("3 Toegangslog", id="accesslog"):
                with Horizontal(classes="filters"):
                    yield Input(placeholder="dossiernummer", id="access-incident",
                                classes="access-filter-input", tooltip="Bijvoorbeeld INC-2026-0001")
                    yield Input(placeholder="persoon", id="access-person",
                                classes="access-filter-input", tooltip="Kenmerk van de persoon")
                    yield Input(placeholder="account", id="access-actor",
                                classes="access-filter-input", tooltip="Wie: de accountnaam")
                    yield Button("Filteren", id="access-filter")
                yield SafeTable("Tijd", "Wie", "Handeling", "Dossier", "Persoon", "Details",
                                id="access-table")
            with TabPane("4 Bewaartermijn", id="retention"):
                yield Static("", id="retention-summary", classes="summary", markup=False)
                with Horizontal(classes="filters"):
                    yield Input(placeholder="jaren", id="retention-years", type="integer")
                    yield Button("Termijn instellen", id="retention-set")
                yield SafeTable("Dossier", "School", "Status", "Gesloten", "Bewaren tot",
                                "Hard copies", "Bewaarplicht", id="retention-table")
                with Horizontal(classes="actions"):
                    yield Button("Vernietigen", id="retention-destroy", variant="error")
                    yield Button("Bewaarplicht instellen", id="retention-hold")
                    yield Button("Bewaarplicht opheffen", id="retention-release")
            with TabPane("5 Inzageverzoek", id="subject"):
                with Horizontal(classes="filters"):
                    yield Input(placeholder="naam of kenmerk", id="subject-query")
                    yield Button("Zoeken", id="subject-search")
                yield SafeTable("Naam", "Rol", "School", "Groepen en kinderen", "Kenmerk",
                                id="subject-table")
                yield Static("", id="subject-summary", classes="summary", markup=False)
                with Horizontal(classes="filters"):
                    yield Label("Map: ")
                    # Not selected on focus: a key typed by mistake must not replace the path.
                    yield Input(value=str(Path(self.store.archives).parent / "inzage"),
                                id="subject-out", select_on_focus=False)
                with Horizontal(classes="actions"):
                    yield Button("Bekijken", id="subject-view")
                    yield Button("Exporteren (JSON en PDF)", id="subject-export",
                                 variant="primary")
            with TabPane("6 Schoolbepalingen", id="provisions"):
                yield Static("Schoolspecifieke bepalingen gelden pas na goedkeuring door de "
                             "AVG-coördinator (beleid, 'Waarom deze afspraken en voor wie "
                             "gelden ze?', punt 3).", markup=False)
                yield SafeTable("#", "School", "Soort", "Inhoud", "Status", "Voorgesteld door",
                                "Besluit", id="provisions-table")
                with Horizontal(classes="actions"):
                    yield Button("Goedkeuren", id="provision-approve", variant="success")
                    yield Button("Afwijzen", id="provision-reject", variant="error")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Moderator — AVG-coördinator"
        self.sub_title = text.one_line(self.actor.name)
        from moderator.screens.breaches import notify_deadlines

        notify_deadlines(self, self.store, self.actor)

    # -- helpers ------------------------------------------------------------------------

    def _fail(self, error: Exception) -> None:
        self.notify(text.one_line(str(error)), severity="error", markup=False, timeout=8)

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or ""
        if pane not in self._loaded:
            self._load(pane)

    def _load(self, pane: str) -> None:
        """Reads are logged, so a tab reads only when it is opened or refreshed."""
        loaders = {"auditlog": self.load_audit, "accesslog": self.load_access,
                   "retention": self.load_retention, "provisions": self.load_provisions}
        if pane in loaders:
            self._loaded.add(pane)
            loaders[pane]()

    def action_refresh(self) -> None:
        self._load(self.query_one(TabbedContent).active)

    def action_show_tab(self, tab: str) -> None:
        if tab in TABS:
            self.query_one(TabbedContent).active = tab

    def _step_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        current = TABS.index(tabs.active) if tabs.active in TABS else 0
        tabs.active = TABS[(current + step) % len(TABS)]

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def action_breaches(self) -> None:
        from moderator.screens.breaches import BreachScreen

        self.app.push_screen(BreachScreen(self.store, self.actor))

    def action_help(self) -> None:
        from moderator.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self, "AVG-coördinator: wissel van tabblad met 1 t/m 6 "
                                              "of ctrl+PgDn/ctrl+PgUp."))

    def _names(self, keys: set[str]) -> dict[str, str]:
        try:
            return audit_log.display_names(self.store, self.actor, keys)
        except ModeratorError:
            return {}

    # -- integrity ----------------------------------------------------------------------

    @on(Button.Pressed, "#verify-start")
    def action_verify(self) -> None:
        self.query_one(TabbedContent).active = "integrity"
        raw = self._value("verify-anchor")
        try:
            anchor = verify_service.parse_anchor(raw) if raw else None
        except ModeratorError:
            self.notify("Een anker is VOLGNUMMER:HASH (een getal en 64 hexadecimale tekens).",
                        severity="error", markup=False)
            return
        self.query_one("#verify-start", Button).disabled = True
        self.query_one("#verify-summary", Static).update("Bezig met controleren…")
        self.query_one("#verify-problems", SafeTable).clear()
        self.query_one("#verify-progress", ProgressBar).update(total=None, progress=0)
        self.run_verify(anchor)

    @on(Button.Pressed, "#anchor-show")
    def _show_anchor(self) -> None:
        try:
            seq, digest = audit_log.audit_anchor(self.store, self.actor)
        except ModeratorError as error:
            self._fail(error)
            return
        self.query_one("#anchor-value", Static).update(
            f"Huidig anker: {seq}:{digest} — bewaar het buiten de database en toets het later "
            "hierboven of met 'moderator verify --anchor'.")

    @work(thread=True, exclusive=True, group="verify")
    def run_verify(self, anchor: tuple[int, str] | None = None) -> None:
        try:
            report = verify_service.verify_archive(
                self.store, self.actor, anchor=anchor,
                progress=lambda done, total: self.post_message(VerifyProgress(done, total)))
        except Exception as error:  # noqa: BLE001 - reported on screen, never a crash
            self.post_message(VerifyDone(None, f"{type(error).__name__}: {error}"))
            return
        try:
            leftovers = verify_service.destroyed_leftovers(
                self.store, [p.path for p in report.unknown])
        except Exception:  # noqa: BLE001 - the plain report still stands
            leftovers = {}
        self.post_message(VerifyDone(report, leftovers=leftovers))

    def on_verify_progress(self, message: VerifyProgress) -> None:
        self.query_one("#verify-progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done)

    def on_verify_done(self, message: VerifyDone) -> None:
        self.query_one("#verify-start", Button).disabled = False
        summary = self.query_one("#verify-summary", Static)
        bar = self.query_one("#verify-progress", ProgressBar)
        if message.report is None:
            summary.update(f"De controle kon niet worden uitgevoerd: {text.one_line(message.error)}")
            return
        report = message.report
        bar.update(total=max(report.checked, 1), progress=max(report.checked, 1))
        table = self.query_one("#verify-problems", SafeTable)
        table.clear()
        labels = (("missing", "ontbreekt"), ("altered", "gewijzigd"), ("unknown", "onbekend"))
        for field, label in labels:
            for problem in getattr(report, field):
                destroyed = message.leftovers.get(problem.path)
                if destroyed:
                    table.add_safe_row("vernietigd, nog aanwezig", problem.path,
                                       f"hoort bij het vernietigde dossier {destroyed}")
                else:
                    table.add_safe_row(label, problem.path, problem.detail)
        for finding in report.findings:
            table.add_safe_row(VERIFY_FINDINGS.get(finding.kind, finding.kind),
                               finding.subject, finding.detail)
        for problem in report.chain:
            table.add_safe_row("auditlog", f"regel {problem.seq}", problem.problem)
        if getattr(report, "anchor_ok", None) is False:
            seq, digest = report.anchor
            table.add_safe_row("anker", f"{seq}:{digest}",
                               "niet gevonden: het auditlog is ingekort of herschreven")
        n_problems = table.row_count
        verdict = "Alles in orde." if report.ok else (
            f"{aantal(n_problems, 'probleem', 'problemen')} gevonden.")
        if getattr(report, "anchor_ok", None):
            verdict += " Het anker staat in het auditlog."
        summary.update(f"{aantal(report.checked, 'bestand', 'bestanden')} en "
                       f"{aantal(report.audit_entries, 'auditregel', 'auditregels')} "
                       f"gecontroleerd. {verdict}")

    # -- audit log ----------------------------------------------------------------------

    @on(Button.Pressed, "#audit-filter")
    @on(Input.Submitted, ".audit-filter-input")
    def _audit_filter(self) -> None:
        self.load_audit()

    def load_audit(self, more: bool = False) -> None:
        table = self.query_one("#audit-table", SafeTable)
        if not more:
            table.clear()
            self._audit_oldest = None
        try:
            found = audit_log.read_audit_log(
                self.store, self.actor, actor_name=self._value("audit-actor") or None,
                action=self._value("audit-action") or None,
                school_id=self._value("audit-school") or None,
                since=self._value("audit-since") or None,
                until=self._value("audit-until") or None, limit=PAGE,
                before_seq=self._audit_oldest if more else None)
        except ModeratorError as error:
            self._fail(error)
            return
        names = self._names({e.actor for e in found}
                            | {str(e.detail.get("person")) for e in found if e.detail.get("person")}
                            | {e.subject.partition(":")[2] for e in found
                               if e.subject.startswith("person:")})
        for e in found:
            subject = e.subject
            if subject.startswith("person:"):
                subject = names.get(subject.partition(":")[2], subject)
            table.add_safe_row(e.seq, _t(e.at), names.get(e.actor, e.actor),
                               labels.audit_action(e.action), subject, e.school_id or "",
                               labels.describe(e.detail, names=names), key=f"seq-{e.seq}")
        if found:
            self._audit_oldest = found[-1].seq

    @on(Button.Pressed, "#audit-more")
    def _audit_more(self) -> None:
        if self._audit_oldest is not None and self._audit_oldest > 1:
            self.load_audit(more=True)

    # -- access log ---------------------------------------------------------------------

    @on(Button.Pressed, "#access-filter")
    @on(Input.Submitted, ".access-filter-input")
    def load_access(self) -> None:
        table = self.query_one("#access-table", SafeTable)
        table.clear()
        try:
            found = audit_log.read_access_log(
                self.store, self.actor, incident=self._value("access-incident") or None,
                person_id=self._value("access-person") or None,
                actor_name=self._value("access-actor") or None, limit=PAGE)
            numbers = audit_log.incident_numbers(
                self.store, self.actor, {a.incident_id for a in found if a.incident_id})
        except ModeratorError as error:
            self._fail(error)
            return
        names = self._names({a.actor for a in found} | {a.person_id for a in found if a.person_id})
        for a in found:
            incident = numbers.get(a.incident_id) or a.detail.get("incident") or ""
            table.add_safe_row(_t(a.at), names.get(a.actor, a.actor), labels.access_action(a.action),
                               incident, names.get(a.person_id, a.person_id or ""),
                               labels.describe(a.detail, names=names), key=f"access-{a.id}")

    # -- retention ----------------------------------------------------------------------

    def load_retention(self) -> None:
        table = self.query_one("#retention-table", SafeTable)
        table.clear()
        try:
            found = retention.list_retention(self.store, self.actor)
        except ModeratorError as error:
            self._fail(error)
            return
        years = retention.retention_years(self.store)
        expired = [r for r in found if r.expired]
        self.query_one("#retention-summary", Static).update(
            f"Bewaartermijn: {years} jaar na afsluiten. "
            f"{aantal(len(expired), 'gesloten dossier', 'gesloten dossiers')} met verstreken "
            f"termijn, waarvan {sum(r.legal_hold for r in expired)} onder bewaarplicht.")
        for r in found:
            until = _t(r.retention_until)[:10] + (" (verstreken)" if r.expired else "")
            table.add_safe_row(r.number, r.school_name, labels.status(r.status), _t(r.closed_at),
                               until,
                               r.n_hardcopies, (r.legal_hold_reason or "ja") if r.legal_hold
                               else "nee", key=r.number)

    @on(Button.Pressed, "#retention-set")
    def _set_years(self) -> None:
        try:
            years = int(self._value("retention-years") or "0")
            retention.set_retention_years(self.store, self.actor, years)
        except (ValueError, ModeratorError) as error:
            self._fail(error)
            return
        self.notify(f"Bewaartermijn ingesteld op {years} jaar.", markup=False)
        self.load_retention()

    def _selected(self, table_id: str, hint: str) -> str | None:
        """The key of the chosen row of a table, or a hint to choose one first."""
        key = self.query_one(f"#{table_id}", SafeTable).selected_key()
        if key is None:
            self.notify(hint, severity="warning", markup=False)
        return key

    def _selected_incident(self) -> str | None:
        return self._selected("retention-table", "Kies eerst een dossier.")

    @on(Button.Pressed, "#retention-destroy")
    def _destroy(self) -> None:
        number = self._selected_incident()
        if number is None:
            return

        def done(answer: PromptAnswer | None) -> None:
            if answer is None:
                return
            try:
                record = retention.destroy_incident(self.store, self.actor, number, answer.text,
                                                    erasure_request=answer.checked)
            except ModeratorError as error:
                self._fail(error)
                self.load_retention()
                return
            self.notify(f"Dossier {text.one_line(record.incident_number)} vernietigd: "
                        f"{aantal(record.n_hardcopies, 'hard copy', 'hard copies')} verwijderd, "
                        "verklaring vastgelegd.",
                        markup=False)
            self.load_retention()

        self.app.push_screen(PromptModal(
            f"Dossier {number} vernietigen", "Grond voor vernietiging",
            value="bewaartermijn verstreken", confirm="Vernietigen", variant="error",
            checkbox="Verzoek tot wissing (AVG art. 17): ook vóór het einde van de termijn",
            hint="De hard copies en persoonsgegevens worden definitief verwijderd; alleen een "
                 "vernietigingsverklaring blijft over. Een bewaarplicht houdt dit tegen."), done)

    @on(Button.Pressed, "#retention-hold")
    def _hold(self) -> None:
        number = self._selected_incident()
        if number is None:
            return

        def done(answer: PromptAnswer | None) -> None:
            if answer is None:
                return
            try:
                retention.set_legal_hold(self.store, self.actor, number, answer.text)
            except ModeratorError as error:
                self._fail(error)
                return
            self.notify(f"Dossier {number} staat onder bewaarplicht.", markup=False)
            self.load_retention()

        self.app.push_screen(PromptModal(f"Bewaarplicht op {number}", "Reden",
                                         confirm="Instellen"), done)

    @on(Button.Pressed, "#retention-release")
    def _release(self) -> None:
        number = self._selected_incident()
        if number is None:
            return
        try:
            retention.set_legal_hold(self.store, self.actor, number, None, release=True)
        except ModeratorError as error:
            self._fail(error)
            return
        self.notify(f"Bewaarplicht op {number} opgeheven.", markup=False)
        self.load_retention()

    # -- subject access -----------------------------------------------------------------

    @on(Button.Pressed, "#subject-search")
    @on(Input.Submitted, "#subject-query")
    def _search(self) -> None:
        table = self.query_one("#subject-table", SafeTable)
        table.clear()
        try:
            hits = subject_access.find_people(self.store, self.actor, self._value("subject-query"))
        except ModeratorError as error:
            self._fail(error)
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
        return self._selected("subject-table", "Zoek en kies eerst een persoon.")

    @on(Button.Pressed, "#subject-view")
    def _view_subject(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        try:
            report = subject_access.view_subject(self.store, self.actor, person)
        except ModeratorError as error:
            self._fail(error)
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
    def _export_subject(self) -> None:
        person = self._selected_person()
        if person is None:
            return
        try:
            result = subject_access.export_subject(self.store, self.actor, person,
                                                   Path(self._value("subject-out")))
        except (ModeratorError, OSError) as error:
            self._fail(error)
            return
        self._show_counts(result.report)
        self.notify(f"Inzage geschreven: {text.one_line(result.json_path)} en "
                    f"{text.one_line(result.pdf_path.name)}", markup=False, timeout=10)

    # -- provisions ---------------------------------------------------------------------

    def load_provisions(self) -> None:
        table = self.query_one("#provisions-table", SafeTable)
        table.clear()
        try:
            found = provisions.list_provisions(self.store, self.actor)
        except ModeratorError as error:
            self._fail(error)
            return
        names = self._names({p.proposed_by for p in found} | {p.decided_by for p in found
                                                              if p.decided_by})
        for p in found:
            decided_by = names.get(p.decided_by, p.decided_by) if p.decided_by else ""
            decision = f"{decided_by} {p.decision_note or ''}".strip()
            table.add_safe_row(p.id, p.school_name, labels.provision_kind(p.kind),
                               p.summary, labels.provision_status(p.status),
                               names.get(p.proposed_by, p.proposed_by), decision, key=str(p.id))

    def _decide(self, approve: bool) -> None:
        key = self.query_one("#provisions-table", SafeTable).selected_key()
        if key is None:
            self.notify("Kies eerst een bepaling.", severity="warning", markup=False)
            return

        def done(answer: PromptAnswer | None) -> None:
            if answer is None:
                return
            try:
                provisions.decide(self.store, self.actor, int(key), approve, answer.text or None)
            except ModeratorError as error:
                self._fail(error)
                return
            self.notify(f"Bepaling {key} {'goedgekeurd' if approve else 'afgewezen'}.",
                        markup=False)
            self.load_provisions()

        self.app.push_screen(PromptModal(
            f"Bepaling {key} {'goedkeuren' if approve else 'afwijzen'}",
            "Toelichting" + ("" if not approve else " (optioneel)"), required=not approve,
            confirm="Goedkeuren" if approve else "Afwijzen",
            variant="success" if approve else "error"), done)

    @on(Button.Pressed, "#provision-approve")
    def _approve(self) -> None:
        self._decide(True)

    @on(Button.Pressed, "#provision-reject")
    def _reject(self) -> None:
        self._decide(False)
