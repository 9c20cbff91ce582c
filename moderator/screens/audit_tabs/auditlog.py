"""Tab 2, Auditlog: who did what, when, every code as its Dutch label; Enter on a row
shows the whole entry in the detail pane below the table."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Input, Static

from moderator import rich_text
from moderator.errors import ModeratorError
from moderator.screens.audit_tabs import base
from moderator.screens.audit_tabs.base import AuditTab
from moderator.screens.audit_widgets import SafeTable
from moderator.services import audit_log, audit_readable
from moderator.services.audit_readable import ReadableEntry


def entry_text(entry: ReadableEntry) -> Text:
    """Every field of one entry, whole, as untrusted text."""
    out = Text()
    rows = [("Volgnummer", str(entry.seq)), ("Tijd", entry.at), ("Wie", entry.who),
            ("Actie", entry.action), ("Onderwerp", entry.subject or "-"),
            ("School", entry.school or "-"), *entry.fields, ("Hash", entry.hash)]
    for label, value in rows:
        out.append(f"{label}: ", style="bold")
        out.append_text(rich_text.text(value))
        out.append("\n")
    return out


class AuditLogTab(AuditTab):
    title = "Auditlog"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.oldest: int | None = None
        self.entries: dict[str, ReadableEntry] = {}
        self.incidents: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Input(placeholder="account", id="audit-actor", classes="audit-filter-input",
                        tooltip="Wie: de accountnaam")
            yield Input(placeholder="actie", id="audit-action", classes="audit-filter-input",
                        tooltip="De code van de actie, bijvoorbeeld incident.destroy;"
                                " portal.* voor alle portaalacties")
            yield Input(placeholder="school", id="audit-school", classes="audit-filter-input")
            yield Input(placeholder="vanaf", id="audit-since", classes="audit-filter-input",
                        tooltip="JJJJ-MM-DD")
            yield Input(placeholder="tot", id="audit-until", classes="audit-filter-input",
                        tooltip="JJJJ-MM-DD")
            yield Button("Filteren", id="audit-filter")
            yield Button("Oudere", id="audit-more")
        yield SafeTable("#", "Tijd", "Wie", "Actie", "Onderwerp", "School", "Details",
                        id="audit-table")
        with VerticalScroll(id="audit-detail", classes="detail-pane"):
            yield Static(Text("Kies een regel en druk op enter om alles te lezen.",
                              style="italic"), id="audit-detail-body")

    @on(Button.Pressed, "#audit-filter")
    @on(Input.Submitted, ".audit-filter-input")
    def _filter(self) -> None:
        self.load()

    def load(self, more: bool = False) -> None:
        table = self.query_one("#audit-table", SafeTable)
        if not more:
            table.clear()
            self.oldest = None
            self.entries = {}
        try:
            found = audit_log.read_audit_log(
                self.store, self.actor, actor_name=self.value("audit-actor") or None,
                action=self.value("audit-action") or None,
                school_id=self.value("audit-school") or None,
                since=self.value("audit-since") or None,
                until=self.value("audit-until") or None, limit=base.PAGE,
                before_seq=self.oldest if more else None)
            shown = audit_readable.readable_entries(self.store, self.actor, found)
        except ModeratorError as error:
            self.fail(error)
            return
        for raw, e in zip(found, shown, strict=True):
            key = f"seq-{e.seq}"
            self.entries[key] = e
            if raw.subject.startswith("incident:"):
                self.incidents[key] = raw.subject.partition(":")[2]
            table.add_safe_row(e.seq, e.at, e.who, e.action, e.subject, e.school, e.summary,
                               key=key)
        if found:
            self.oldest = found[-1].seq

    @on(Button.Pressed, "#audit-more")
    def _more(self) -> None:
        if self.oldest is not None and self.oldest > 1:
            self.load(more=True)

    @on(DataTable.RowSelected, "#audit-table")
    def _show_entry(self, event: DataTable.RowSelected) -> None:
        entry = self.entries.get(event.row_key.value or "")
        if entry is not None:
            self.query_one("#audit-detail-body", Static).update(entry_text(entry))

    def current_incident(self) -> str | None:
        key = self.query_one("#audit-table", SafeTable).selected_key()
        return self.incidents.get(key or "")
