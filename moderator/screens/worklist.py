"""The worklist after login: what waits for this user (overdue items, dossiers,
measures ending, retention terms). Enter opens a dossier; esc goes on to the work."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from moderator import labels, rich_text
from moderator.policy.access import Actor
from moderator.services.worklist import WorkItem, Worklist, worklist
from moderator.store.db import Store


class WorklistScreen(Screen):
    """One line per entry under a heading per section; headings are not selectable."""

    CSS_PATH = "worklist.tcss"

    BINDINGS = [
        Binding("escape,v", "go_on", "Verder", id="worklist.go_on",
                tooltip="Sluit de werklijst en ga naar het werkscherm"),
        Binding("enter", "open", "Openen", id="worklist.open",
                tooltip="Open het gekozen dossier (een item: verder naar de wachtrij)"),
        Binding("ctrl+r", "refresh", "Vernieuw", id="worklist.refresh", show=False,
                tooltip="Lees de werklijst opnieuw in"),
        Binding("ctrl+l", "app.logout", "Uitloggen", id="worklist.logout", show=False,
                tooltip="Terug naar het inlogscherm"),
    ]

    def __init__(self, store: Store, actor: Actor, found: Worklist | None = None) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self.found = found
        self.entries: dict[str, WorkItem] = {}

    def compose(self) -> ComposeResult:
        title = Text("Werklijst — ", style="bold")
        title.append_text(rich_text.line_text(self.actor.name, 40))
        title.append(f" · {labels.account_role(self.actor.role)}")
        yield Static(title, id="worklist-title")
        yield OptionList(id="worklist")
        yield Static(Text("Enter opent een dossier; esc gaat verder naar het werkscherm."),
                     id="worklist-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.fill(self.found or worklist(self.store, self.actor))
        self.query_one(OptionList).focus()

    def fill(self, found: Worklist) -> None:
        self.found = found
        options = self.query_one(OptionList)
        options.clear_options()
        self.entries = {}
        if found.empty:
            options.add_option(Option(Text("Niets dat op u wacht."), disabled=True))
            return
        for section in found.sections:
            if not section.total:
                continue
            options.add_option(Option(Text(f"{section.title} ({section.total})", style="bold"),
                                      disabled=True))
            for n, item in enumerate(section.items):
                key = f"{section.key}:{n}"
                self.entries[key] = item
                line = Text("  ")
                line.append_text(rich_text.line_text(item.subject, 22, style="bold"))
                line.append("  ")
                line.append_text(rich_text.line_text(item.text, 200))
                options.add_option(Option(line, id=key))
            if section.total > len(section.items):
                options.add_option(Option(Text(f"  … en nog {section.total - len(section.items)}",
                                               style="italic"), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_entry(event.option.id)

    def action_open(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        self.open_entry(options.get_option_at_index(options.highlighted).id)

    def open_entry(self, key: str | None) -> None:
        item = self.entries.get(key or "")
        if item is None:
            return
        if item.incident_id is not None and self.actor.role != "avg":
            from moderator.screens.dossier import DossierScreen

            self.app.push_screen(DossierScreen(self.store, self.actor,
                                               incident_id=item.incident_id))
            return
        self.action_go_on()

    def action_go_on(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.fill(worklist(self.store, self.actor))
