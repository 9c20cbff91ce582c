"""CLI verb: ``moderator limits``: show or set what the import accepts."""

from __future__ import annotations

import click

from moderator.cli.common import login, out_console, pass_state, print_json
from moderator.errors import UsageError
from moderator.rich_text import line_text
from moderator.services.settings import import_limits


@click.command("limits")
@click.option("--max-line-bytes", type=int, metavar="N",
              help="Longest import line (one record) in bytes.")
@click.option("--max-body-chars", type=int, metavar="N",
              help="Longest post or comment title/body in characters.")
@click.option("--user", "username", metavar="LOGIN",
              help="Your login (the AVG coordinator), needed to change a limit.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_state
def limits_command(state, max_line_bytes: int | None, max_body_chars: int | None,
                   username: str | None, as_json: bool) -> None:
    """Show the import limits, or change them (AVG coordinator)."""
    store = state.store()
    if max_line_bytes is not None or max_body_chars is not None:
        if not username:
            raise UsageError("een grens wijzigen vraagt --user (de AVG-coördinator)")
        from moderator.services.settings import set_import_limits

        found = set_import_limits(store, login(state, username), max_line_bytes=max_line_bytes,
                                  max_body_chars=max_body_chars)
    else:
        found = import_limits(store)
    if as_json:
        print_json({"max_line_bytes": found.max_line_bytes,
                    "max_body_chars": found.max_body_chars})
        return
    out_console.print(line_text(f"Langste importregel: {found.max_line_bytes} bytes"))
    out_console.print(line_text(f"Langste titel of tekst: {found.max_body_chars} tekens"))


commands: list = [limits_command]
