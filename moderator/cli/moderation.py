"""CLI verbs: delete (with a hard copy first), dismiss, comments on/off."""

from __future__ import annotations

import click

from moderator.cli.common import err_console, login, pass_state
from moderator.refs import ItemRef
from moderator.text import one_line


@click.command("delete")
@click.argument("items", nargs=-1, required=True, metavar="ITEM...")
@click.option("--reason", required=True, metavar="CODE", help="Reason code from the policy catalogue.")
@click.option("--user", "username", required=True, help="Your account (password from MODERATOR_PASSWORD or prompted).")
@click.option("--note", default=None, help="Note for the dossier.")
@pass_state
def delete_command(state, items: tuple[str, ...], reason: str, username: str,
                   note: str | None) -> None:
    """Delete posts/comments (post:ID, comment:ID), each after its hard copy is on disk."""
    from moderator.services.deletion import delete_items

    actor = login(state, username)
    store = state.store()
    total = len(items)

    def report(done: int, _total: int, result) -> None:
        click.echo(f"{one_line(result.item)}  {result.incident_number}  "
                   f"{one_line(str(result.hardcopy_path))}")

    def with_post(comment: str, post: str) -> None:
        click.echo(f"{one_line(comment)}  gaat mee met {one_line(post)} (in diens hardcopy)")

    delete_items(store, items, reason, actor, note, progress=report, covered=with_post)
    if total > 1:
        err_console.print(f"{total} items verwijderd", markup=False)


@click.command("dismiss")
@click.argument("item")
@click.option("--user", "username", required=True)
@click.option("--note", required=True, help="Why the item stays (required).")
@pass_state
def dismiss_command(state, item: str, username: str, note: str) -> None:
    """Close an item's open flags: the item stays."""
    from moderator.services.moderation import dismiss

    actor = login(state, username)
    closed = dismiss(state.store(), actor, item, note)
    click.echo(f"{one_line(item)}: {closed} {'signalering' if closed == 1 else 'signaleringen'}"
               " afgewezen")


@click.command("comments")
@click.argument("setting", type=click.Choice(["on", "off"]))
@click.argument("post")
@click.option("--user", "username", required=True)
@pass_state
def comments_command(state, setting: str, post: str, username: str) -> None:
    """Allow (on) or stop (off) parents' comments on a post."""
    from moderator.services.moderation import set_comments

    actor = login(state, username)
    ref = ItemRef.post_arg(post)
    set_comments(state.store(), actor, ref, setting == "on")
    click.echo(f"post:{one_line(ref.id)}: reageren {'aan' if setting == 'on' else 'uit'}")


commands: list = [delete_command, dismiss_command, comments_command]
