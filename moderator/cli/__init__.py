"""The ``moderator`` command: opens the console, and the scriptable verbs.

Each verb group lives in its own module and exposes ``commands``, a list of click
commands; :mod:`moderator.cli.group` loads only the module of the verb that runs. The
CLI is thin: it parses, calls services, and prints with rich or JSON.
"""

from __future__ import annotations

import click

from moderator.cli.group import ModeratorGroup


@click.group(cls=ModeratorGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH", help="Database file [env MODERATOR_DB; ./moderator.db].")
@click.option("--archives", metavar="DIR",
              help="Dossier folder for hard copies [env MODERATOR_ARCHIVES; ./archives].")
@click.option("--witness", metavar="FILE",
              help="Append-only file for the audit log's head, best on another disk or machine"
                   " [env MODERATOR_WITNESS; <archives>.witness].")
@click.option("--demo", is_flag=True,
              help="Fill an empty database with the demo foundation, then open the console.")
@click.version_option(package_name="moderator")
@click.pass_context
def main(ctx: click.Context, db: str | None, archives: str | None, witness: str | None,
         demo: bool) -> None:
    """Moderation console for the parent portal of a school foundation.

    Without a command it opens the console (a terminal UI).
    """
    from moderator.cli.common import State, open_console

    ctx.obj = State.from_options(db, archives, witness)
    if ctx.invoked_subcommand is None:
        open_console(ctx.obj, demo=demo)
