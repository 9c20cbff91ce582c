"""Tab 6, Schoolbepalingen: approve or reject what a director proposes for a school."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from moderator import labels
from moderator.errors import ModeratorError
from moderator.screens.audit_tabs.base import AuditTab
from moderator.screens.audit_widgets import PromptAnswer, PromptModal, SafeTable
from moderator.services import provisions


class ProvisionsTab(AuditTab):
    title = "Bepalingen"

    def compose(self) -> ComposeResult:
        yield Static("Schoolspecifieke bepalingen gelden pas na goedkeuring door de "
                     "AVG-coördinator (beleid, 'Waarom deze afspraken en voor wie "
                     "gelden ze?', punt 3).", markup=False)
        yield SafeTable("#", "School", "Soort", "Inhoud", "Status", "Voorgesteld door",
                        "Besluit", id="provisions-table")
        with Horizontal(classes="actions"):
            yield Button("Goedkeuren", id="provision-approve", variant="success")
            yield Button("Afwijzen", id="provision-reject", variant="error")

    def load(self) -> None:
        table = self.query_one("#provisions-table", SafeTable)
        table.clear()
        try:
            found = provisions.list_provisions(self.store, self.actor)
        except ModeratorError as error:
            self.fail(error)
            return
        names = self.names({p.proposed_by for p in found} | {p.decided_by for p in found
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
                self.fail(error)
                return
            self.notify(f"Bepaling {key} {'goedgekeurd' if approve else 'afgewezen'}.",
                        markup=False)
            self.load()

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
