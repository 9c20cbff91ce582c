"""Tab 5, Inzageverzoek: find a person, view what is held about them, export it."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Static

from moderator import labels, text
from moderator.errors import ModeratorError
from moderator.plural import aantal
from moderator.screens.audit_tabs.base import AuditTab
from moderator.screens.audit_widgets import SafeTable
from moderator.services import subject_access


class SubjectTab(AuditTab):
    title = "Inzageverzoek"

    def compose(self) -> ComposeResult:
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
            yield Button("Exporteren (JSON en PDF)", id="subject-export", variant="primary")

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
        try:
            result = subject_access.export_subject(self.store, self.actor, person,
                                                   Path(self.value("subject-out")))
        except (ModeratorError, OSError) as error:
            self.fail(error)
            return
        self._show_counts(result.report)
        self.notify(f"Inzage geschreven: {text.one_line(result.json_path)} en "
                    f"{text.one_line(result.pdf_path.name)}", markup=False, timeout=10)
