"""Tab 3, Toegangslog: who viewed or exported which dossier or person's data, when."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input

from moderator import labels
from moderator.errors import ModeratorError
from moderator.screens.audit_tabs import base
from moderator.screens.audit_tabs.base import AuditTab
from moderator.screens.audit_widgets import SafeTable
from moderator.services import audit_log, audit_readable


class AccessLogTab(AuditTab):
    title = "Toegangslog"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.incidents: dict[str, str] = {}

    def compose(self) -> ComposeResult:
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

    @on(Button.Pressed, "#access-filter")
    @on(Input.Submitted, ".access-filter-input")
    def load(self) -> None:
        table = self.query_one("#access-table", SafeTable)
        table.clear()
        self.incidents = {}
        try:
            found = audit_log.read_access_log(
                self.store, self.actor, incident=self.value("access-incident") or None,
                person_id=self.value("access-person") or None,
                actor_name=self.value("access-actor") or None, limit=base.PAGE)
            numbers = audit_log.incident_numbers(
                self.store, self.actor, {a.incident_id for a in found if a.incident_id})
        except ModeratorError as error:
            self.fail(error)
            return
        try:
            who, people = audit_readable.people_labels(
                self.store, self.actor, accounts={a.actor for a in found},
                people={a.person_id for a in found if a.person_id})
        except ModeratorError:
            who, people = {}, {}
        names = self.names({a.person_id for a in found if a.person_id})
        for a in found:
            incident = numbers.get(a.incident_id) or a.detail.get("incident") or ""
            key = f"access-{a.id}"
            if incident and a.incident_id:
                self.incidents[key] = str(incident)
            table.add_safe_row(base.when(a.at), who.get(a.actor, a.actor),
                               labels.access_action(a.action), incident,
                               people.get(a.person_id, a.person_id or ""),
                               labels.describe(a.detail, names=names), key=key)

    def current_incident(self) -> str | None:
        key = self.query_one("#access-table", SafeTable).selected_key()
        return self.incidents.get(key or "")
