"""What every tab of the audit screen shares."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widgets import Input

from moderator import clock, text
from moderator.errors import ModeratorError
from moderator.policy.access import Actor
from moderator.screens.audit_widgets import SafeTable
from moderator.services import audit_log
from moderator.store.db import Store

PAGE = 200

when = clock.display   # a stored moment in Dutch local time; a bare date as a date


class AuditTab(Vertical):
    """One tab's content. ``load`` reads its data (logged); ``title`` names the tab."""

    title = ""

    def __init__(self, store: Store, actor: Actor, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.actor = actor

    def load(self) -> None:
        """Read this tab's data; the default has nothing to read."""

    def fail(self, error: Exception) -> None:
        self.notify(text.one_line(str(error)), severity="error", markup=False, timeout=8)

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def selected(self, table_id: str, hint: str) -> str | None:
        """The key of the chosen row of a table, or a hint to choose one first."""
        key = self.query_one(f"#{table_id}", SafeTable).selected_key()
        if key is None:
            self.notify(hint, severity="warning", markup=False)
        return key

    def names(self, keys: set[str]) -> dict[str, str]:
        try:
            return audit_log.display_names(self.store, self.actor, keys)
        except ModeratorError:
            return {}

    def open_dossier(self, number: str) -> None:
        """Open a dossier read-only on the dossier screen (the dossier service logs the view)."""
        from moderator.screens.dossier import DossierScreen

        self.app.push_screen(DossierScreen(self.store, self.actor, number))
