"""CLI verbs: ``moderator queue`` (the moderation queue the account may see)."""

from __future__ import annotations

import click
from rich import box
from rich.table import Table

from moderator import clock
from moderator.cli.common import (
    for_terminal,
    login,
    out_console,
    pass_state,
    print_json,
    print_rows,
)
from moderator.errors import UsageError
from moderator.policy.catalogue import ITEM_REASONS, REASONS
from moderator.rich_text import line_text
from moderator.services.queue import count_queue, list_queue, queue_groups
from moderator.store.queue import QueueEntry, QueueFilter


def entry_json(e: QueueEntry, now_utc: str | None = None) -> dict:
    return {
        "item": e.item, "kind": e.kind, "id": e.item_id, "school": e.school_id,
        "group": e.group_id, "group_name": e.group_name, "author": e.author_id,
        "author_name": e.author_name, "created": e.created_at, "severity": e.severity,
        "reasons": list(e.reasons), "sources": list(e.sources), "reports": e.n_reports,
        "flags": e.n_flags, "excerpt": e.excerpt, "flagged": e.flagged_at, "due": e.due_at,
        "overdue": e.overdue(now_utc or now_utc_iso()), "holder": e.holder,
        "holder_name": e.holder_name,
    }


def now_utc_iso() -> str:
    from moderator.services.calendar import now_utc

    return now_utc()


def age(e: QueueEntry) -> str:
    """How long the item has waited since its first flag ('3 d'); '!' marks overdue."""
    from moderator.policy.deadlines import age_label

    try:
        since = clock.parse(e.flagged_at or e.created_at)
    except ValueError:
        return "?"
    label = age_label(since, clock.now())
    return f"! {label}" if e.overdue(now_utc_iso()) else label


# From this terminal width the table also shows group and author.
WIDE = 110
# New columns go at the end, so scripts reading the older ones by position keep working.
TSV_HEADERS = ["item", "groep", "auteur", "geplaatst", "redenen", "meldingen", "tekst",
               "wacht", "termijn", "bij"]


def _reasons(e: QueueEntry) -> str:
    return ", ".join(REASONS[r].label if r in REASONS else r for r in e.reasons)


def short_time(value: str) -> str:
    """'18-11 17:40': day and time in the foundation's zone, for narrow tables."""
    try:
        return clock.local(clock.parse(value)).strftime("%d-%m %H:%M")
    except ValueError:
        return value


def queue_table(entries: list[QueueEntry], total: int, width: int = 80) -> Table:
    """One line per item at any width: the excerpt takes what is left and ends in '…'."""
    wide = width >= WIDE
    table = Table(title=f"Wachtrij: {len(entries)} van {total}", title_justify="left",
                  expand=True, box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Item", no_wrap=True, max_width=30)
    if wide:
        table.add_column("Groep", no_wrap=True, max_width=18)
        table.add_column("Auteur", no_wrap=True, max_width=20)
    table.add_column("Geplaatst", no_wrap=True)
    table.add_column("Wacht", justify="right", no_wrap=True)
    if wide:
        table.add_column("Bij", no_wrap=True, max_width=16)
    table.add_column("Meld.", justify="right", no_wrap=True)
    table.add_column("Reden", no_wrap=True, max_width=30 if wide else 16)
    table.add_column("Tekst", no_wrap=True, ratio=1, min_width=12)
    for e in entries:
        when = clock.display(e.created_at) if wide else short_time(e.created_at)
        cells = [line_text(e.item, 30)]
        if wide:
            cells += [line_text(e.group_name, 18), line_text(e.author_name, 20)]
        waited = age(e)
        cells += [line_text(when), line_text(waited, style="bold red" if "!" in waited else "")]
        if wide:
            cells.append(line_text(e.holder_name or "-", 16))
        cells += [str(e.n_reports), line_text(_reasons(e)), line_text(e.excerpt, 300)]
        table.add_row(*cells)
    return table


def queue_rows(entries: list[QueueEntry]) -> list[list[str]]:
    return [[e.item, e.group_name, e.author_name, clock.display(e.created_at), _reasons(e),
             str(e.n_reports), e.excerpt, age(e), clock.display(e.due_at), e.holder or ""]
            for e in entries]


@click.command("queue")
@click.option("--user", "username", required=True, help="Your account (password asked or"
              " from MODERATOR_PASSWORD).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--group", "group_id", metavar="ID|NAME", help="Only this group (id or name).")
@click.option("--reason", type=click.Choice(ITEM_REASONS), help="Only items with this reason.")
@click.option("--source", type=click.Choice(["report", "rule"]), help="Only reports or rule finds.")
@click.option("--search", metavar="WORDS", help="Only items whose text has these words.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@click.option("--due-first", is_flag=True, help="Order by deadline, the most urgent first.")
@click.option("--mine", "holder", flag_value="mine", help="Only items you hold.")
@click.option("--unclaimed", "holder", flag_value="unclaimed", help="Only items nobody holds.")
@pass_state
def queue(state, username: str, as_json: bool, group_id: str | None, reason: str | None,
          source: str | None, search: str | None, limit: int, due_first: bool,
          holder: str | None) -> None:
    """The moderation queue: most severe first, oldest first within (or --due-first)."""
    actor = login(state, username)
    store = state.store()
    if group_id is not None:
        group_id = _group_id(queue_groups(store, actor), group_id)
    flt = QueueFilter(group_id=group_id, reason=reason, source=source, search=search,
                      order="due" if due_first else "severity", holder=holder)
    entries = list_queue(store, actor, flt, limit=limit)
    if as_json:
        now = now_utc_iso()
        print_json([entry_json(e, now) for e in entries])
        return
    if not for_terminal():
        print_rows(TSV_HEADERS, queue_rows(entries))
        return
    out_console.print(queue_table(entries, count_queue(store, actor, flt), out_console.width))


def _group_id(groups: list[tuple[str, str]], wanted: str) -> str:
    """A group the account may see, by id or by name ('Groep 6'); a clear error otherwise,
    never a silently empty list."""
    for group_id, _name in groups:
        if wanted == group_id:
            return group_id
    by_name = [g for g, name in groups if name.casefold() == wanted.strip().casefold()]
    if len(by_name) == 1:
        return by_name[0]
    choices = ", ".join(f"{name} ({g})" for g, name in groups) or "geen"
    raise UsageError(f"onbekende groep {wanted!r}; je kunt kiezen uit: {choices}")


commands = [queue]
