"""The AVG coordinator's screen: archive integrity, audit log, access log, retention and
destruction, subject access, school provisions.

Everything here is read-only except the coordinator's own acts (destroy, legal hold,
retention term, approving provisions, subject export). The services enforce the role
and write every read to the access log. Each tab is its own widget
(moderator/screens/audit_tabs/); this screen holds the tab strip and the keys:
ctrl+PgUp/PgDn and alt+1..6 switch tabs from any focus, the plain digits 1..6 only when
the focus is not in a text field (digits typed into a field stay there).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane, Tabs

from moderator import text
from moderator.policy.access import Actor
from moderator.screens.audit_tabs import base
from moderator.screens.audit_tabs.accesslog import AccessLogTab
from moderator.screens.audit_tabs.auditlog import AuditLogTab
from moderator.screens.audit_tabs.base import AuditTab
from moderator.screens.audit_tabs.integrity import IntegrityTab
from moderator.screens.audit_tabs.provisions import ProvisionsTab
from moderator.screens.audit_tabs.retention import RetentionTab
from moderator.screens.audit_tabs.subject import SubjectTab
from moderator.screens.audit_widgets import PromptAnswer, PromptModal
from moderator.store.db import Store

PAGE = base.PAGE
TAB_WIDGETS: tuple[tuple[str, type[AuditTab]], ...] = (
    ("integrity", IntegrityTab), ("auditlog", AuditLogTab), ("accesslog", AccessLogTab),
    ("retention", RetentionTab), ("subject", SubjectTab), ("provisions", ProvisionsTab))
TABS = tuple(pane for pane, _ in TAB_WIDGETS)


def _tab_bindings() -> list[Binding]:
    out = []
    for n, (pane, widget) in enumerate(TAB_WIDGETS, start=1):
        # alt+N is a priority binding: it works even inside a text field.
        out.append(Binding(f"alt+{n}", f"show_tab('{pane}')", f"Tabblad {widget.title}",
                           id=f"audit.alt_tab{n}", key_display=f"alt+{n}", show=False,
                           priority=True,
                           tooltip=f"Naar het tabblad {widget.title} (ook vanuit een invoerveld)"))
        # The plain digit is not: typed into a text field, it stays there.
        out.append(Binding(str(n), f"show_tab('{pane}')", f"Tabblad {widget.title}",
                           id=f"audit.tab{n}", show=False,
                           tooltip=f"Naar het tabblad {widget.title} (toets {n}, niet in een "
                                   "invoerveld)"))
    return out


class AuditScreen(Screen):
    """Home screen of the ``avg`` role."""

    CSS_PATH = "audit.tcss"

    BINDINGS = [
        Binding("ctrl+pagedown", "next_tab", "Tabblad", id="audit.next_tab",
                key_display="^PgDn", priority=True,
                tooltip="Naar het volgende tabblad, ook vanuit een invoerveld (ook: alt+1 t/m 6)"),
        Binding("ctrl+pageup", "previous_tab", "Vorig tabblad", id="audit.previous_tab",
                key_display="^PgUp", show=False, priority=True,
                tooltip="Naar het vorige tabblad, ook vanuit een invoerveld"),
        Binding("ctrl+o", "open_dossier", "Dossier", id="audit.open_dossier",
                key_display="^O", priority=True,
                tooltip="Open een dossier om te lezen (wordt vastgelegd in het toegangslog)"),
        Binding("f5", "refresh", "Vernieuwen", id="audit.refresh", show=False,
                tooltip="Lees de gegevens van het open tabblad opnieuw"),
        Binding("ctrl+v", "verify", "Controle", id="audit.verify",
                tooltip="Controleer alle hard copies en exports en de hashketen van het auditlog"),
        Binding("question_mark", "help", "Help", id="audit.help",
                tooltip="Alle toetsen van dit scherm"),
        Binding("ctrl+b", "breaches", "Datalekken", id="audit.breaches",
                tooltip="Het datalekkenregister met de termijn van 72 uur, en het jaarverslag"),
        *_tab_bindings(),
    ]

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self._loaded: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="integrity", id="audit-tabs"):
            for n, (pane, widget) in enumerate(TAB_WIDGETS, start=1):
                with TabPane(f"{n} {widget.title}", id=pane):
                    yield widget(self.store, self.actor, id=f"tab-{pane}")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Moderator — AVG-coördinator"
        self.sub_title = text.one_line(self.actor.name)
        from moderator.screens.breaches import notify_deadlines

        notify_deadlines(self, self.store, self.actor)

    def tab(self, pane: str) -> AuditTab:
        return self.query_one(f"#tab-{pane}", AuditTab)

    @property
    def active(self) -> str:
        return self.query_one(TabbedContent).active

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or ""
        if pane in TABS and pane not in self._loaded:
            self._loaded.add(pane)      # reads are logged: a tab reads when first opened
            self.tab(pane).load()

    def action_refresh(self) -> None:
        if self.active in TABS:
            self._loaded.add(self.active)
            self.tab(self.active).load()

    # -- switching tabs -----------------------------------------------------------------

    def action_show_tab(self, pane: str) -> None:
        if pane not in TABS:
            return
        tabs = self.query_one(TabbedContent)
        tabs.active = pane
        # Focus goes to the tab strip at once: left on a widget of the hidden pane, it
        # would pull the old tab back when Textual moves the focus on.
        tabs.query_one(Tabs).focus()

    def _step_tab(self, step: int) -> None:
        current = TABS.index(self.active) if self.active in TABS else 0
        self.action_show_tab(TABS[(current + step) % len(TABS)])

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    # -- actions from any tab -------------------------------------------------------------

    def action_verify(self) -> None:
        self.action_show_tab("integrity")
        self.tab("integrity").start()    # type: ignore[attr-defined]

    def action_open_dossier(self) -> None:
        """Ask for a dossier number (the one chosen on the open tab filled in) and open it."""
        current = getattr(self.tab(self.active), "current_incident", lambda: None)()

        def done(answer: PromptAnswer | None) -> None:
            if answer is not None and answer.text:
                self.tab(self.active).open_dossier(answer.text)

        self.app.push_screen(PromptModal(
            "Dossier openen (alleen lezen)", "Dossiernummer", value=current or "",
            confirm="Openen",
            hint="Het openen wordt vastgelegd in het toegangslog."), done)

    def action_breaches(self) -> None:
        from moderator.screens.breaches import BreachScreen

        self.app.push_screen(BreachScreen(self.store, self.actor))

    def action_help(self) -> None:
        from moderator.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self, "AVG-coördinator: wissel van tabblad met "
                                              "ctrl+PgDn/ctrl+PgUp of alt+1 t/m 6 (overal), "
                                              "of 1 t/m 6 buiten een invoerveld."))
