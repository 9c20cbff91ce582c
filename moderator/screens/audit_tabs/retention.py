"""Tab 4, Bewaartermijn: the foundation's retention term, the dossiers under it, legal
holds and destruction. Enter on a row opens the dossier read-only."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Static

from moderator import labels, text
from moderator.errors import ModeratorError
from moderator.plural import aantal
from moderator.screens.audit_tabs.base import AuditTab, when
from moderator.screens.audit_widgets import ConfirmModal, PromptAnswer, PromptModal, SafeTable
from moderator.services import retention


class RetentionTab(AuditTab):
    title = "Bewaren"

    def compose(self) -> ComposeResult:
        yield Static("", id="retention-summary", classes="summary", markup=False)
        with Horizontal(classes="filters"):
            yield Input(placeholder="jaren", id="retention-years", type="integer",
                        tooltip="Nieuwe bewaartermijn in jaren; u bevestigt eerst")
            yield Button("Termijn instellen", id="retention-set")
        yield SafeTable("Dossier", "School", "Status", "Gesloten", "Bewaren tot",
                        "Hard copies", "Bewaarplicht", id="retention-table")
        with Horizontal(classes="actions"):
            yield Button("Dossier openen", id="retention-open")
            yield Button("Vernietigen", id="retention-destroy", variant="error")
            yield Button("Bewaarplicht instellen", id="retention-hold")
            yield Button("Bewaarplicht opheffen", id="retention-release")

    def load(self) -> None:
        table = self.query_one("#retention-table", SafeTable)
        table.clear()
        try:
            found = retention.list_retention(self.store, self.actor)
        except ModeratorError as error:
            self.fail(error)
            return
        years = retention.retention_years(self.store)
        expired = [r for r in found if r.expired]
        self.query_one("#retention-summary", Static).update(
            f"Bewaartermijn: {years} jaar na afsluiten. "
            f"{aantal(len(expired), 'gesloten dossier', 'gesloten dossiers')} met verstreken "
            f"termijn, waarvan {sum(r.legal_hold for r in expired)} onder bewaarplicht.")
        for r in found:
            until = when(r.retention_until)[:10] + (" (verstreken)" if r.expired else "")
            table.add_safe_row(r.number, r.school_name, labels.status(r.status), when(r.closed_at),
                               until, r.n_hardcopies,
                               (r.legal_hold_reason or "ja") if r.legal_hold else "nee",
                               key=r.number)

    # -- the retention term: a foundation setting, so asked to confirm -------------------

    @on(Button.Pressed, "#retention-set")
    @on(Input.Submitted, "#retention-years")
    def _set_years(self) -> None:
        raw = self.value("retention-years")
        try:
            years = int(raw)
        except ValueError:
            self.notify("Vul het aantal jaren in (een heel getal).", severity="error",
                        markup=False)
            return
        current = retention.retention_years(self.store)
        if years == current:
            self.notify(f"De bewaartermijn is al {years} jaar.", markup=False)
            return

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                self.notify("Bewaartermijn niet gewijzigd.", markup=False)
                return
            try:
                retention.set_retention_years(self.store, self.actor, years)
            except ModeratorError as error:
                self.fail(error)
                return
            self.notify(f"Bewaartermijn ingesteld op {years} jaar.", markup=False)
            self.load()

        self.app.push_screen(ConfirmModal(
            "Bewaartermijn van de stichting wijzigen",
            f"De bewaartermijn gaat van {current} naar {years} jaar na afsluiten. Dit geldt "
            "voor alle scholen en voor elk dossier dat daarna wordt gesloten.",
            confirm=f"Wijzigen naar {years} jaar"), done)

    # -- one dossier ----------------------------------------------------------------------

    def current_incident(self) -> str | None:
        return self.query_one("#retention-table", SafeTable).selected_key()

    def _selected_incident(self) -> str | None:
        return self.selected("retention-table", "Kies eerst een dossier.")

    @on(DataTable.RowSelected, "#retention-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_dossier(event.row_key.value)

    @on(Button.Pressed, "#retention-open")
    def _open(self) -> None:
        number = self._selected_incident()
        if number is not None:
            self.open_dossier(number)

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
                self.fail(error)
                self.load()
                return
            self.notify(f"Dossier {text.one_line(record.incident_number)} vernietigd: "
                        f"{aantal(record.n_hardcopies, 'hard copy', 'hard copies')} verwijderd, "
                        "verklaring vastgelegd.", markup=False)
            self.load()

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
                self.fail(error)
                return
            self.notify(f"Dossier {number} staat onder bewaarplicht.", markup=False)
            self.load()

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
            self.fail(error)
            return
        self.notify(f"Bewaarplicht op {number} opgeheven.", markup=False)
        self.load()
