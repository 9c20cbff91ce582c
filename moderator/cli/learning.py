"""CLI verbs: words (learning from deletions): suggest, list, adopt, missed."""

from __future__ import annotations

import click
from rich.table import Table

from moderator.cli.common import (
    for_terminal,
    login,
    out_console,
    pass_state,
    print_json,
    print_rows,
)
from moderator.policy.catalogue import REASONS
from moderator.rich_text import line_text
from moderator.text import one_line


@click.group("words")
def words_group() -> None:
    """Words that broke a rule on deleted items no detector had flagged."""


@words_group.command("suggest")
@click.argument("item")
@click.option("--reason", required=True, metavar="CODE", help="The reason the item was deleted for.")
@click.option("--word", "words", multiple=True, required=True, help="A word or phrase (repeat).")
@click.option("--user", "username", required=True)
@pass_state
def suggest_command(state, item: str, reason: str, words: tuple[str, ...], username: str) -> None:
    """Mark the words that broke the rule on a deleted ITEM (post:ID or comment:ID)."""
    from moderator.services.learning import suggest_words

    actor = login(state, username)
    found = suggest_words(state.store(), actor, item, reason, list(words))
    click.echo(f"woordvoorstel {found.id} vastgelegd voor de directie:"
               f" {one_line(', '.join(found.words))}")


@words_group.command("list")
@click.option("--user", "username", required=True)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def list_command(state, username: str, as_json: bool) -> None:
    """The director: open word suggestions of the school."""
    from moderator.services.learning import open_suggestions

    actor = login(state, username)
    found = open_suggestions(state.store(), actor)
    if as_json:
        print_json([{"id": s.id, "item": s.item, "reason": s.reason, "words": list(s.words),
                     "by": s.suggested_by, "at": s.suggested_at} for s in found])
        return
    rows = [[str(s.id), s.item, REASONS[s.reason].label, ", ".join(s.words), s.suggested_by]
            for s in found]
    headers = ["nr", "item", "reden", "woorden", "door"]
    if not for_terminal():
        print_rows(headers, rows)
        return
    table = Table(*headers, title="Woordvoorstellen")
    for row in rows:
        table.add_row(*(line_text(v) for v in row))
    out_console.print(table)


@words_group.command("adopt")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--user", "username", required=True)
@pass_state
def adopt_command(state, ids: tuple[int, ...], username: str) -> None:
    """The director: turn suggestions into a proposed words provision (for the AVG
    coordinator to approve)."""
    from moderator.services.learning import adopt

    actor = login(state, username)
    for provision in adopt(state.store(), actor, list(ids)):
        click.echo(f"bepaling {provision.id} voorgesteld: {one_line(provision.summary)}")


@words_group.command("missed")
@click.option("--user", "username", required=True)
@click.option("--school", metavar="ID", help="Only this school (the AVG coordinator).")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def missed_command(state, username: str, school: str | None, as_json: bool) -> None:
    """Per reason: deletions, and how many of them no detector had flagged."""
    from moderator.services.learning import missed_by_reason

    actor = login(state, username)
    found = missed_by_reason(state.store(), actor, school)
    if as_json:
        print_json({code: {"deleted": n, "missed": m} for code, (n, m) in sorted(found.items())})
        return
    print_rows(["reden", "verwijderd", "niet gesignaleerd"],
               ([REASONS[c].label if c in REASONS else c, str(n), str(m)]
                for c, (n, m) in sorted(found.items())))


commands = [words_group]
