"""The queue as a table that loads itself a page at a time.

It never holds the whole queue: it asks its ``fetch(after, limit)`` callable for the
first page, and for the next page (keyset paging on :attr:`QueueEntry.cursor`) when the
cursor comes near the last loaded row. Every cell is a ``rich.text.Text`` built by
:mod:`moderator.text`, so portal text is never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from moderator import clock, rich_text
from moderator.policy.catalogue import REASONS
from moderator.store.queue import QueueEntry

HELD_BY_ME = "●"
HELD_BY_OTHER = "○"
PAGE_SIZE = 60
PREFETCH_MARGIN = 30

Fetch = Callable[[tuple | None, int], list[QueueEntry]]

COLUMNS = (
    ("sel", " ", 1),
    ("severity", "Prio", 5),
    ("reasons", "Reden", 16),
    ("group", "Groep", 9),
    ("author", "Auteur", 12),
    ("age", "Wacht", 5),
    ("reports", "Melders", 7),
    ("excerpt", "Fragment", 60),
)


# Short names of the reasons for the narrow places (the table column, the filter):
# at most 16 characters, so nothing wraps or is cut. The full label is in the preview.
SHORT_LABELS = {
    "threat": "Bedreiging",
    "confidential": "Vertrouwelijk",
    "swimwear": "Zwemkleding",
    "sexual": "Seksueel",
    "discrimination": "Discriminatie",
    "photo_consent": "Geen fotoakkoord",
    "abuse": "Schelden",
    "objection": "Bezwaar beeld",
    "individual_child": "Eén kind",
    "negative": "Negatief",
    "commercial": "Commercieel",
    "political_religious": "Politiek/geloof",
    "other": "Overig",
}


def short_label(code: str) -> str:
    if code in SHORT_LABELS:
        return SHORT_LABELS[code]
    return REASONS[code].label if code in REASONS else code


def age_label(created_at: str) -> str:
    """A short Dutch age: '12m' (minuten), '5u' (uur), '3d' (dagen), '2w' (weken)."""
    try:
        seconds = (clock.now() - clock.parse(created_at)).total_seconds()
    except (ValueError, TypeError):
        return "?"
    seconds = max(seconds, 0)
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}u"
    if seconds < 14 * 86400:
        return f"{int(seconds // 86400)}d"
    return f"{int(seconds // (7 * 86400))}w"


def reasons_label(codes: tuple[str, ...]) -> str:
    labels = [short_label(c) for c in codes]
    if not labels:
        return ""
    return labels[0] + (f" +{len(labels) - 1}" if len(labels) > 1 else "")


def severity_text(value: int) -> Text:
    style = "bold red" if value >= 85 else ("bold" if value >= 60 else "")
    return Text(str(value), style=style, justify="right")


class QueueTable(DataTable):
    """One row per queue entry; space marks rows for a batch action."""

    BINDINGS = [
        Binding("home", "scroll_top", "Begin", id="queue.top", show=False,
                tooltip="Naar de eerste melding"),
        Binding("end", "scroll_bottom", "Einde", id="queue.bottom", show=False,
                tooltip="Naar de laatste geladen melding (de volgende pagina wordt geladen)"),
    ]

    DEFAULT_CSS = """
    QueueTable { height: 1fr; }
    """

    def __init__(self, fetch: Fetch, *, page_size: int = PAGE_SIZE, username: str = "",
                 **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.username = username          # whose claims show as ● (others' as ○)
        self._fetch = fetch
        self.page_size = page_size
        self.entries: list[QueueEntry] = []
        self._index: dict[str, QueueEntry] = {}
        self.exhausted = False
        self.selected: set[str] = set()
        self.reloads = 0     # how many times the rows were read from the top

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, width=width, key=key)

    def on_resize(self) -> None:
        self.fit_excerpt()

    def fit_excerpt(self) -> None:
        """Give the excerpt column whatever width the other columns leave."""
        excerpt = self.columns.get(ColumnKey("excerpt"))
        if excerpt is None:
            return
        fixed = sum(c.get_render_width(self) for k, c in self.columns.items() if k != "excerpt")
        width = max(8, self.scrollable_content_region.width - fixed - 2 * self.cell_padding)
        if excerpt.width != width:
            excerpt.width = width
            self._require_update_dimensions = True  # DataTable recomputes its virtual size
            self._clear_caches()
            self.refresh()

    # -- loading ------------------------------------------------------------------------

    def reload(self, keep: str | None = None, *, at_least: int = 0, top: bool = False) -> None:
        """Load from the top again (after a filter change or a change elsewhere),
        with at least ``at_least`` rows, and put the cursor back on ``keep`` (or, with
        ``top``, on the first row)."""
        row = 0 if top else self.cursor_row
        want = max(self.page_size, at_least)
        entries = self._fetch(None, want)
        self.clear()
        self.reloads += 1
        self.entries = []
        self._index = {}
        self.exhausted = len(entries) < want
        self._add(entries)
        self.selected &= set(self._index)
        if not self.entries:
            return
        if keep is not None and keep in self._index:
            self.move_cursor(row=self.get_row_index(keep), animate=False, scroll=True)
        else:
            self.move_cursor(row=min(row, len(self.entries) - 1), animate=False, scroll=True)

    def load_more(self) -> int:
        if self.exhausted or not self.entries:
            return 0
        entries = self._fetch(self.entries[-1].cursor, self.page_size)
        if len(entries) < self.page_size:
            self.exhausted = True
        self._add(entries)
        return len(entries)

    def _add(self, entries: list[QueueEntry]) -> None:
        for entry in entries:
            if entry.item in self._index:
                continue
            self._index[entry.item] = entry
            self.entries.append(entry)
            self.add_row(*self._cells(entry), key=entry.item)

    def _cells(self, entry: QueueEntry) -> list[Text]:
        return [
            self._mark(entry),
            severity_text(entry.severity),
            rich_text.line_text(reasons_label(entry.reasons), 16),
            rich_text.line_text(entry.group_name, 9),
            rich_text.line_text(entry.author_name, 12),
            self._age_cell(entry),
            Text(str(entry.n_reports), justify="right"),
            rich_text.line_text(entry.excerpt, 200),
        ]

    def _mark(self, entry: QueueEntry) -> Text:
        """The first column: ✓ chosen; else ● held by you, ○ held by a colleague (the
        preview names who), blank nobody."""
        if entry.item in self.selected:
            return Text("✓", style="bold")
        if entry.holder is None:
            return Text(" ")
        return Text(HELD_BY_ME if entry.holder == self.username else HELD_BY_OTHER)

    def _age_cell(self, entry: QueueEntry) -> Text:
        """How long the item has waited since its first flag; overdue: '!' in bold red."""
        waited = age_label(entry.flagged_at or entry.created_at)
        if entry.overdue(clock.now()):
            return Text(f"!{waited}", style="bold red", justify="right")
        return Text(waited, justify="right")

    def watch_cursor_coordinate(self, old, new) -> None:   # Textual's signature
        super().watch_cursor_coordinate(old, new)
        if self._near_end(new.row):
            self.call_after_refresh(self._maybe_load_more)

    def _near_end(self, row: int) -> bool:
        margin = min(PREFETCH_MARGIN, self.page_size // 2)
        return not self.exhausted and bool(self.entries) and row >= len(self.entries) - margin

    def _maybe_load_more(self) -> None:
        if self._near_end(self.cursor_row):
            self.load_more()

    # -- the current row and the selection ------------------------------------------------

    @property
    def current(self) -> QueueEntry | None:
        if not self.entries or self.cursor_row < 0 or self.cursor_row >= len(self.entries):
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self._index.get(key)

    def entry(self, item: str) -> QueueEntry | None:
        return self._index.get(item)

    def toggle_selected(self, item: str) -> None:
        if item in self.selected:
            self.selected.discard(item)
        elif item in self._index:
            self.selected.add(item)
        if item in self._index:
            self.update_cell(item, "sel", self._mark(self._index[item]))

    def clear_selection(self) -> None:
        for item in list(self.selected):
            self.toggle_selected(item)

    def targets(self) -> list[QueueEntry]:
        """The marked rows in queue order, or else the row under the cursor."""
        if self.selected:
            return [e for e in self.entries if e.item in self.selected]
        return [self.current] if self.current else []
