"""The queue screen: the flagged items the user may act on, a preview, and the actions.

The table pages itself (keyset paging in :mod:`moderator.store.queue`); the preview is
filled a moment after the cursor stops, so moving through the list stays quick. A
cheap data-version check every few seconds picks up changes made in another session.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, ProgressBar, Select, Static
from textual.worker import get_current_worker

from moderator import labels, rich_text, text
from moderator.errors import Conflict, ModeratorError, NotFound, PermissionDenied
from moderator.messages import DeletionFinished, DeletionOutcome, DeletionProgress
from moderator.plural import aantal
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.policy.catalogue import ITEM_REASONS
from moderator.refs import ItemRef
from moderator.screens.help import HelpScreen
from moderator.screens.modals import DeleteChoice, DeleteModal, DismissModal
from moderator.services import alerts, moderation, portal_sync
from moderator.services.queue import (
    author_incidents,
    count_queue,
    data_version,
    get_entry,
    get_item_detail,
    list_queue,
    queue_groups,
)
from moderator.store.db import Store
from moderator.store.items import ItemDetail
from moderator.store.queue import QueueEntry, QueueFilter
from moderator.widgets.preview import PreviewPane
from moderator.widgets.queue_table import QueueTable, short_label

HOLDER_LABELS = {"mine": "van mij", "unclaimed": "niet opgepakt"}
SOURCE_OPTIONS = [("Meldingen van ouders", "report"), ("Signalen (regels)", "rule")]
MAX_RELOAD_ROWS = 2000
SYNC_COUNT_LIMIT = 5000    # queues up to this size are counted on the spot


def explain(error: Exception) -> str:
    """A store error as a Dutch sentence (the store's own detail in brackets)."""
    detail = text.one_line(error, 160)
    if isinstance(error, Conflict):
        return f"Dit item is al elders afgehandeld of wordt net verwerkt ({detail})."
    if isinstance(error, NotFound):
        return f"Dit item bestaat niet meer ({detail})."
    if isinstance(error, PermissionDenied):
        return f"Dit mag je niet met jouw rol ({detail})."
    return detail


def time_and_holder(entry: QueueEntry) -> Text:
    """'Termijn 25-11-2026 17:00 (verstreken) · bij Juf Anouk' above the preview."""
    from moderator import clock

    line = Text("Termijn ", style="bold")
    if entry.due_at:
        line.append(clock.display(entry.due_at))
        if entry.overdue(clock.now()):
            line.append(" (verstreken)", style="bold red")
    else:
        line.append("-")
    line.append(" · ")
    if entry.holder:
        line.append("bij ")
        line.append_text(rich_text.line_text(entry.holder_name or entry.holder, 40))
    else:
        line.append("niet opgepakt (p: ik pak dit op)", style="italic")
    return line


def _items(n: int) -> str:
    return aantal(n, "item", "items")


class QueueScreen(Screen):
    """Work the moderation queue with the keyboard."""

    POLL_SECONDS = 2.0
    PREVIEW_DELAY = 0.05

    # The footer shows what fits in 80 columns (show=True); every key is in help (?) and
    # in the command palette (ctrl+p).
    BINDINGS = [
        Binding("d", "delete", "Verwijder", id="queue.delete",
                tooltip="Verwijder met hard copy in het dossier (de gekozen rijen of de huidige)"),
        Binding("x", "dismiss_flags", "Afwijzen", id="queue.dismiss",
                tooltip="Geen overtreding: sluit de meldingen met een toelichting"),
        Binding("space", "toggle_select", "Kies ↓", id="queue.select", key_display="␣",
                tooltip="Kies de rij (of zet de keuze uit) en ga door naar de volgende, zoals "
                        "in een bestandsbeheerder; samen verwijderen of afwijzen"),
        Binding("D", "dossiers", "Dossiers", id="queue.dossiers", key_display="D",
                tooltip="Alle dossiers: ook van verwijderde items (escaleren, sluiten)"),
        Binding("slash", "search", "Zoek", id="queue.search", key_display="/",
                tooltip="Zoek in de tekst van de meldingen"),
        Binding("question_mark", "help", "Help", id="queue.help", key_display="?",
                tooltip="Alle toetsen"),
        Binding("c", "comments", "Reacties", id="queue.comments", show=False,
                tooltip="Zet reacties op het bericht uit (of weer aan)"),
        Binding("i", "incident", "Dossier van de auteur", id="queue.incident", show=False,
                tooltip="Open het dossier van de auteur van dit item"),
        Binding("w", "clear_filters", "Filters wissen", id="queue.clear", show=False,
                tooltip="Zet groep, reden, bron en zoekterm terug op alles"),
        Binding("escape", "back", "Terug", id="queue.back", show=False,
                tooltip="Terug naar de lijst; nog eens: keuze wissen"),
        Binding("ctrl+r", "refresh", "Vernieuw", id="queue.refresh", show=False,
                tooltip="Lees de wachtrij opnieuw in"),
        Binding("p", "claim", "Oppakken", id="queue.claim", show=False,
                tooltip="Ik pak dit op (of: geef het terug als jij het hebt)"),
        Binding("a", "assign", "Toewijzen", id="queue.assign", show=False,
                tooltip="Wijs het item toe aan een collega van de school"),
        Binding("t", "due_first", "Termijn eerst", id="queue.due_first", show=False,
                tooltip="Sorteer op termijn (wat het eerst af moet bovenaan), of weer op ernst"),
        Binding("m", "holder_filter", "Mijn/vrij", id="queue.holder", show=False,
                tooltip="Toon alleen wat jij hebt, dan wat niemand heeft, dan alles"),
        Binding("W", "worklist", "Werklijst", id="queue.worklist", key_display="W", show=False,
                tooltip="Wat op jou wacht: over de termijn, dossiers, maatregelen"),
        Binding("ctrl+l", "app.logout", "Uitloggen", id="queue.logout", show=False,
                tooltip="Terug naar het inlogscherm"),
    ]

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self.busy = False
        self._version: tuple[int, int] | None = None
        self._preview_timer: Timer | None = None
        self._detail: ItemDetail | None = None
        self._total = 0
        self._shown = 0
        self._count_store: Store | None = None     # a second connection for slow counts
        self._urgent_seen: set[str] = set()        # urgent items already announced
        self._order = "severity"                   # or 'due' (t)
        self._holder: str | None = None            # None, 'mine', 'unclaimed' (m)
        self._push_store: Store | None = None      # the background portal push

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="queue-title")
        groups = [(rich_text.line_text(name, 30), gid) for gid, name in queue_groups(self.store, self.actor)]
        with Horizontal(id="filters"):
            yield Select(groups, prompt="Alle groepen", id="f-group", compact=True)
            yield Select([(Text(short_label(c)), c) for c in ITEM_REASONS],
                         prompt="Alle redenen", id="f-reason", compact=True)
            yield Select(SOURCE_OPTIONS, prompt="Alle bronnen", id="f-source", compact=True)
            yield Input(placeholder="Zoeken…", id="f-search", compact=True)
        yield Static("", id="queue-count")
        yield QueueTable(self._fetch, id="queue-table", username=self.actor.username)
        yield PreviewPane(id="preview")
        yield ProgressBar(id="progress", show_eta=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self._version = data_version(self.store)
        self._urgent_seen = {e.item for e in alerts.urgent_items(self.store, self.actor)}
        self.table.reload()
        self.fit_table()
        self._update_count()
        self.table.focus()
        self._schedule_preview()
        self.set_interval(self.POLL_SECONDS, self.check_changes)
        self.set_interval(self.PUSH_SECONDS, self._push_worker)

    def fit_table(self) -> None:
        """A short queue gets a table just tall enough for its rows, so the preview below
        gets the rest of the screen; a long one shares the screen with the preview."""
        table = self.table
        half = max(5, (self.size.height - 4) // 2)
        wanted = table.row_count + 1     # the header
        table.styles.height = wanted if wanted < half else "1fr"

    def on_resize(self) -> None:
        self.fit_table()

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    # -- reading the queue ------------------------------------------------------------------

    @property
    def filter(self) -> QueueFilter:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return v if isinstance(v, str) else None

        search = self.query_one("#f-search", Input).value.strip() or None
        return QueueFilter(group_id=value("#f-group"), reason=value("#f-reason"),
                           source=value("#f-source"), search=search, order=self._order,
                           holder=self._holder)

    def _fetch(self, after: tuple | None, limit: int) -> list[QueueEntry]:
        return list_queue(self.store, self.actor, self.filter, after=after, limit=limit)

    def _update_count(self, *, recount_total: bool = True) -> None:
        """Count what the filter shows. On a large queue a filtered count can take longer
        than a frame, so it is done in a worker (on its own connection) and the label
        follows the rows a moment later."""
        flt = self.filter
        if recount_total:
            self._total = count_queue(self.store, self.actor)   # an index range count
        if flt in (QueueFilter(), QueueFilter(order="due")):
            self._shown = self._total
        elif self._total <= SYNC_COUNT_LIMIT:
            self._shown = count_queue(self.store, self.actor, flt)
        else:
            self._show_count(counting=True)
            self._count_worker(flt)
            return
        self._show_count()

    def _show_count(self, *, counting: bool = False) -> None:
        shown = "…" if counting else str(self._shown)
        label = f"{shown} van {aantal(self._total, 'melding', 'meldingen')}"
        if self._order == "due":
            label += " · termijn eerst"
        if self._holder:
            label += " · " + HOLDER_LABELS[self._holder]
        if self.table.selected:
            label += f" — {len(self.table.selected)} gekozen"
        self.query_one("#queue-count", Static).update(Text(label))
        self._show_portal()

    def _title(self) -> Text:
        title = Text("Moderatiewachtrij — ", style="bold")
        title.append_text(rich_text.line_text(self.actor.name, 40))
        title.append(f" · {labels.account_role(self.actor.role)}")
        return title

    def _show_portal(self) -> None:
        """The header: who is working, and the portal actions still on their way."""
        title = self._title()
        title.append_text(self._portal_label())
        self.query_one("#queue-title", Static).update(title)

    def _portal_label(self) -> Text:
        """Portal actions on their way, failing or refused (shown only when there are)."""
        found = portal_sync.summary(self.store, self.actor)
        if not found.anything:
            return Text("")
        parts = [f"{found.waiting} wachten"]
        if found.failing:
            parts.append(f"{found.failing} mislukt")
        if found.refused:
            parts.append(f"{found.refused} geweigerd")
        label = Text(" — portaal: " + ", ".join(parts))
        if found.connection_error:
            label.append(" — verbinding mislukt: ", style="bold")
            label.append_text(rich_text.line_text(found.connection_error, 80))
        return label

    # -- the portal: a background push, never blocking a key --------------------------------

    PUSH_SECONDS = 5.0

    @work(thread=True, exclusive=True, group="portal-push", exit_on_error=False)
    def _push_worker(self) -> None:
        """Deliver waiting portal actions on a connection of its own; the database lease
        makes sure a timer running `moderator portal push` never sends at the same time."""
        if self._push_store is None:
            self._push_store = Store(self.store.path, self.store.archives)
        reports = portal_sync.background_push(self._push_store, self.actor)
        if reports and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._pushed, reports)

    def _pushed(self, reports: list) -> None:
        self._show_portal()
        refused = sum(r.refused for r in reports)
        done = sum(r.done for r in reports)
        if refused:
            self.notify(f"Het portaal weigerde {aantal(refused, 'opdracht', 'opdrachten')};"
                        " zie moderator portal status.", title="Portaal", severity="warning",
                        markup=False)
        elif done:
            self.notify(f"{aantal(done, 'opdracht', 'opdrachten')} uitgevoerd in het portaal.",
                        title="Portaal", markup=False)

    @work(thread=True, exclusive=True, group="count")
    def _count_worker(self, flt: QueueFilter) -> None:
        if self._count_store is None:
            self._count_store = Store(self.store.path, self.store.archives)
        shown = count_queue(self._count_store, self.actor, flt)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, flt, shown)

    def _counted(self, flt: QueueFilter, shown: int) -> None:
        if flt == self.filter:
            self._shown = shown
            self._show_count()

    def on_unmount(self) -> None:
        if self._count_store is not None:
            self._count_store.close()
        if self._push_store is not None:
            self._push_store.close()

    def reload_queue(self, *, external: bool = False) -> None:
        """Read the queue again, keeping the cursor on the same item when it is still there."""
        table = self.table
        current = table.current
        keep = current.item if current else None
        table.reload(keep, at_least=min(len(table.entries), MAX_RELOAD_ROWS))
        self.fit_table()
        self._update_count()
        self._version = data_version(self.store)
        if external and keep is not None and table.entry(keep) is None:
            self.notify("Het gekozen item is in een andere sessie afgehandeld; de lijst is "
                        "bijgewerkt.", severity="warning", markup=False)
        self._schedule_preview()

    def check_changes(self) -> None:
        """The periodic check: reload when another connection committed something."""
        if self.busy or not self.is_current:
            return
        version = data_version(self.store)
        if version != self._version:
            self.announce_urgent()
            self.reload_queue(external=True)

    def announce_urgent(self) -> None:
        """A director hears at once of a new threat or confidential-data item."""
        urgent = alerts.urgent_items(self.store, self.actor)
        new = [e for e in urgent if e.item not in self._urgent_seen]
        self._urgent_seen |= {e.item for e in urgent}
        for entry in new[:3]:
            self.notify(alerts.announcement(entry), title="Spoed", severity="warning",
                        markup=False, timeout=30)
        if len(new) > 3:
            self.notify(f"En nog {len(new) - 3} nieuwe spoedmeldingen.", title="Spoed",
                        severity="warning", markup=False, timeout=30)

    def on_screen_resume(self) -> None:
        if self._version is not None:
            self.check_changes()

    @on(Select.Changed)
    @on(Input.Changed, "#f-search")
    def _filter_changed(self) -> None:
        self.table.reload(top=True)
        self.fit_table()
        self._update_count(recount_total=False)
        self._schedule_preview()

    @on(Input.Submitted, "#f-search")
    def _search_done(self) -> None:
        self.table.focus()

    # -- the preview ----------------------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(self.PREVIEW_DELAY, self.update_preview)

    def update_preview(self) -> None:
        pane = self.query_one(PreviewPane)
        entry = self.table.current
        self._detail = None
        if entry is None:
            pane.show(None, empty="Geen meldingen in deze selectie.")
            return
        try:
            detail = get_item_detail(self.store, self.actor, entry.item)
        except ModeratorError:
            pane.show(None, empty="Dit item is niet meer beschikbaar.")
            return
        self._detail = detail
        pane.show(detail, author_incidents(self.store, self.actor, detail.author_id),
                  header=time_and_holder(entry),
                  portal=portal_sync.item_portal_lines(self.store, self.actor, detail.item))

    # -- actions --------------------------------------------------------------------------

    def _live_targets(self) -> list[QueueEntry]:
        """The rows to act on, minus those another session has handled meanwhile."""
        targets = self.table.targets()
        if not targets:
            self.notify("Geen melding gekozen.", severity="warning", markup=False)
            return []
        live = [e for e in targets if get_entry(self.store, self.actor, e.item) is not None]
        if len(live) < len(targets):
            gone = len(targets) - len(live)
            self.notify(f"{_items(gone)} al elders afgehandeld; de lijst is bijgewerkt.",
                        severity="warning", markup=False)
            self.reload_queue()
        return live

    def action_delete(self) -> None:
        if self.busy:
            self.notify("Er loopt nog een verwijdering.", severity="warning", markup=False)
            return
        entries = self._live_targets()
        if not entries:
            return

        def chosen(choice: DeleteChoice | None) -> None:
            if choice is not None:
                self.start_deletion([e.item for e in entries], choice)

        note = portal_sync.delete_explanation(self.store, [e.school_id for e in entries])
        self.app.push_screen(DeleteModal(entries, portal_note=note), chosen)

    def start_deletion(self, items: list[str], choice: DeleteChoice) -> None:
        self.busy = True
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=len(items), progress=0)
        progress.display = True
        self._delete_worker(items, choice.reasons, choice.note)

    @work(thread=True, exclusive=True, group="deletion")
    def _delete_worker(self, items: list[str], reasons: dict[str, str],
                       note: str | None) -> None:
        from moderator.services import deletion

        outcome = DeletionOutcome()
        for done, item in enumerate(items, start=1):
            try:
                outcome.deleted.append(
                    deletion.delete_item(self.store, item, reasons[item], self.actor,
                                         note=note))
            except ModeratorError as error:
                outcome.failed.append((item, explain(error)))
            except Exception as error:     # reported, the console stays up
                outcome.failed.append((item, f"onverwachte fout: {text.one_line(error, 160)}"))
            self.post_message(DeletionProgress(done, len(items)))
        self.post_message(DeletionFinished(outcome))

    def on_deletion_progress(self, message: DeletionProgress) -> None:
        self.query_one("#progress", ProgressBar).update(total=message.total,
                                                         progress=message.done)

    def on_deletion_finished(self, message: DeletionFinished) -> None:
        self.busy = False
        self.query_one("#progress").display = False
        outcome = message.outcome
        phrases = {item: self._phrase(item) for item, _ in outcome.failed}
        for item in [r.item for r in outcome.deleted] + [i for i, _ in outcome.failed]:
            self.table.selected.discard(item)
        self.reload_queue()
        if outcome.deleted:
            numbers = sorted({r.incident_number for r in outcome.deleted})
            where = "dossier" if len(numbers) == 1 else "dossiers"
            message = (f"{_items(len(outcome.deleted))} verwijderd; hard copy in {where} "
                       f"{', '.join(numbers)}.")
            if len(outcome.deleted) == 1:
                message += f"\nBestand: {self._full_path(outcome.deleted[0].hardcopy_path)}"
            message += ("\nOpen het dossier met D (Dossiers); daar schrijft u met b een brief"
                        " aan de auteur of de melder.")
            self.notify(message, title="Verwijderd", markup=False, timeout=12)
        for item, error in outcome.failed:
            self.notify(f"{phrases[item][:1].upper()}{phrases[item][1:]} niet verwijderd: "
                        f"{error}", severity="error",
                        title="Niet verwijderd", markup=False)

    def _phrase(self, item: str) -> str:
        """An item as the user knows it (kind, author, group), not its portal id."""
        entry = self.table.entry(item)
        if entry is None:
            return labels.item_phrase(labels.item_kind_from_ref(item))
        return text.one_line(labels.item_phrase(entry.kind, entry.author_name,
                                                entry.group_name), 120)

    def _full_path(self, path) -> str:   # str or Path
        from pathlib import Path

        path = Path(path)     # the service gives store.archives / the stored path
        if not path.is_absolute() and not path.exists():
            path = self.store.archives / path
        return text.one_line(str(path.resolve()), 300)

    def action_dismiss_flags(self) -> None:
        entries = self._live_targets()
        if not entries:
            return
        # Refused before the note is typed: nobody judges reports about their own message.
        own = [e for e in entries if not self.actor.is_director
               and not access.may_act_on_own_item(self.actor, e.author_id)]
        if own:
            self.notify("Meldingen over je eigen bericht kun je niet afwijzen; dat beslist de "
                        "directie." + (" Kies alleen berichten van anderen." if len(own) < len(
                            entries) else ""),
                        severity="warning", title="Niet afwijzen", markup=False, timeout=4)
            return

        def chosen(note: str | None) -> None:
            if note is not None:
                self.dismiss_items([e.item for e in entries], note)

        self.app.push_screen(DismissModal(entries), chosen)

    def dismiss_items(self, items: list[str], note: str) -> None:
        done = 0
        for item in items:
            try:
                moderation.dismiss(self.store, self.actor, item, note)
                done += 1
            except ModeratorError as error:
                self.notify(f"Melding over {self._phrase(item)} niet afgewezen: "
                            f"{explain(error)}", severity="error", markup=False)
            self.table.selected.discard(item)
        self.reload_queue()
        if done:
            what = "De melding" if done == 1 else f"De meldingen over {_items(done)}"
            self.notify(f"{what} afgewezen: geen overtreding. Een antwoord aan de melder"
                        " schrijft u in het dossier of met moderator letter draft.",
                        title=f"{aantal(done, 'melding', 'meldingen')} afgewezen",
                        markup=False)

    def action_comments(self) -> None:
        entry = self.table.current
        if entry is None:
            self.notify("Geen melding gekozen.", severity="warning", markup=False)
            return
        try:
            detail = self._detail if self._detail and self._detail.item == entry.item else \
                get_item_detail(self.store, self.actor, entry.item)
            post = detail if detail.kind == "post" else detail.post
            if post is None:
                raise NotFound("post not found")
            enable = not post.comments_enabled
            moderation.set_comments(self.store, self.actor, ItemRef.post(post.id), enable)
        except ModeratorError as error:
            self.notify(f"Reacties niet aangepast: {explain(error)}", severity="error",
                        markup=False)
            return
        self._version = data_version(self.store)
        self.notify("Reacties op dit bericht staan weer aan." if enable
                    else "Reacties op dit bericht staan uit.", markup=False)
        self.update_preview()

    def action_toggle_select(self) -> None:
        entry = self.table.current
        if entry is None:
            return
        self.table.toggle_selected(entry.item)
        self.table.action_cursor_down()
        self._show_count()

    def action_incident(self) -> None:
        entry = self.table.current
        if entry is None:
            self.notify("Geen melding gekozen.", severity="warning", markup=False)
            return
        incidents = author_incidents(self.store, self.actor, entry.author_id)
        if not incidents:
            self.notify("Deze auteur heeft nog geen incident.", markup=False)
            return
        incident = next((i for i in incidents if i.status != "closed"), incidents[0])
        from moderator.screens.dossier import DossierScreen

        self.app.push_screen(DossierScreen(self.store, self.actor, incident_id=incident.id))

    def action_dossiers(self) -> None:
        """All dossiers the actor may see, also those whose items are gone."""
        from moderator.screens.dossier import DossierScreen

        self.app.push_screen(DossierScreen(self.store, self.actor))

    # -- time and ownership -----------------------------------------------------------------

    def _refilter(self) -> None:
        self.table.reload(top=True)
        self.fit_table()
        self._update_count(recount_total=False)
        self._schedule_preview()

    def action_due_first(self) -> None:
        self._order = "severity" if self._order == "due" else "due"
        self._refilter()
        self.notify("Gesorteerd op termijn: wat het eerst af moet staat bovenaan."
                    if self._order == "due" else "Gesorteerd op ernst.", markup=False)

    def action_holder_filter(self) -> None:
        cycle = {None: "mine", "mine": "unclaimed", "unclaimed": None}
        self._holder = cycle[self._holder]
        self._refilter()
        self.notify(f"Toon: {HOLDER_LABELS.get(self._holder, 'alles')}.", markup=False)

    def action_claim(self) -> None:
        from moderator.services import claims

        entry = self.table.current
        if entry is None:
            self.notify("Geen melding gekozen.", severity="warning", markup=False)
            return
        try:
            if entry.holder == self.actor.username:
                claims.release(self.store, self.actor, entry.item)
                message = "Teruggegeven: iemand anders kan het nu oppakken."
            else:
                claims.claim(self.store, self.actor, entry.item)
                message = "Opgepakt: dit item staat nu op jouw naam."
        except ModeratorError as error:
            self.notify(text.one_line(error, 200), title="Niet gelukt", severity="error",
                        markup=False)
            self.reload_queue()
            return
        self.reload_queue()
        self.notify(message, markup=False)

    def action_assign(self) -> None:
        from moderator.screens.assign import AssignModal
        from moderator.services import claims

        entry = self.table.current
        if entry is None:
            self.notify("Geen melding gekozen.", severity="warning", markup=False)
            return
        try:
            colleagues = claims.candidates(self.store, self.actor, entry.item)
        except ModeratorError as error:
            self.notify(text.one_line(error, 200), severity="error", markup=False)
            return

        def chosen(username: str | None) -> None:
            if username is None:
                return
            try:
                held = claims.assign(self.store, self.actor, entry.item, username)
            except ModeratorError as error:
                self.notify(text.one_line(error, 200), title="Niet toegewezen",
                            severity="error", markup=False)
                return
            self.reload_queue()
            self.notify(f"Toegewezen aan {text.one_line(held.holder_name, 60)}.", markup=False)

        self.app.push_screen(AssignModal(entry.item, colleagues), chosen)

    def action_worklist(self) -> None:
        from moderator.screens.worklist import WorklistScreen

        self.app.push_screen(WorklistScreen(self.store, self.actor))

    def action_clear_filters(self) -> None:
        changed = False
        for select in self.query("#filters Select").results(Select):
            if not select.is_blank():
                select.clear()
                changed = True
        search = self.query_one("#f-search", Input)
        if search.value:
            search.value = ""
            changed = True
        self.table.focus()
        if not changed:
            self.notify("Er staan geen filters aan.", markup=False)

    def action_search(self) -> None:
        self.query_one("#f-search", Input).focus()

    def action_back(self) -> None:
        if self.focused is not self.table:
            self.table.focus()
        elif self.table.selected:
            self.table.clear_selection()
            self._show_count()

    def action_refresh(self) -> None:
        self.reload_queue()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(
            self, "Pijltjes: door de lijst; tab: naar filters en voorbeeld. Spatie kiest de "
                  "rij (of zet de keuze uit) en gaat door naar de volgende; D opent alle "
                  "dossiers, ook van verwijderde items."))
