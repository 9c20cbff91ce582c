"""CLI verbs: ``moderator queue`` (the moderation queue the account may see)."""

from __future__ import annotations

import json

import click
from rich.table import Table

from moderator.cli.common import login, out_console, pass_state
from moderator.policy.catalogue import ITEM_REASONS, REASONS
from moderator.store.queue import QueueEntry, QueueFilter, count_queue, list_queue
from moderator.text import line_text, one_line, text


def entry_json(e: QueueEntry) -> dict:
    return {
        "item": e.item, "kind": e.kind, "id": e.item_id, "school": e.school_id,
        "group": e.group_id, "group_name": e.group_name, "author": e.author_id,
        "author_name": e.author_name, "created": e.created_at, "severity": e.severity,
        "reasons": list(e.reasons), "sources": list(e.sources), "reports": e.n_reports,
        "flags": e.n_flags, "excerpt": e.excerpt,
    }


def queue_table(entries: list[QueueEntry], total: int) -> Table:
    table = Table(title=f"Wachtrij: {len(entries)} van {total}", title_justify="left")
    table.add_column("Item", no_wrap=True)
    table.add_column("Groep", max_width=24)
    table.add_column("Auteur", max_width=24)
    table.add_column("Geplaatst", no_wrap=True)
    table.add_column("Reden", max_width=30)
    table.add_column("Meld.", justify="right")
    table.add_column("Tekst", ratio=1, min_width=20)
    for e in entries:
        reasons = ", ".join(REASONS[r].label if r in REASONS else r for r in e.reasons)
        table.add_row(line_text(e.item, 30), line_text(e.group_name, 24),
                      line_text(e.author_name, 24), line_text(e.created_at[:16]),
                      text(reasons), str(e.n_reports), text(one_line(e.excerpt, 160)))
    return table


@click.command("queue")
@click.option("--user", "username", required=True, help="Your account (password asked or"
              " from MODERATOR_PASSWORD).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--group", "group_id", metavar="ID", help="Only this group.")
@click.option("--reason", type=click.Choice(ITEM_REASONS), help="Only items with this reason.")
@click.option("--source", type=click.Choice(["report", "rule"]), help="Only reports or rule finds.")
@click.option("--search", metavar="WORDS", help="Only items whose text has these words.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@pass_state
def queue(state, username: str, as_json: bool, group_id: str | None, reason: str | None,
          source: str | None, search: str | None, limit: int) -> None:
    """The moderation queue: most severe first, oldest first within."""
    actor = login(state, username)
    store = state.store()
    flt = QueueFilter(group_id=group_id, reason=reason, source=source, search=search)
    entries = list_queue(store, actor, flt, limit=limit)
    if as_json:
        click.echo(json.dumps([entry_json(e) for e in entries], ensure_ascii=True, indent=2))
        return
    out_console.print(queue_table(entries, count_queue(store, actor, flt)))


commands = [queue]
