"""The ``moderator`` command: opens the console, and the scriptable verbs.

Each verb group lives in its own module and exposes ``commands``, a list of click
commands; this module only assembles them. The CLI is thin: it parses, calls the
store and services, and prints with rich or JSON.
"""

from __future__ import annotations

import importlib

import click

from moderator.cli.common import ModeratorGroup, State, open_console

COMMAND_MODULES = (
    "moderator.cli.importing",
    "moderator.cli.users",
    "moderator.cli.queue",
    "moderator.cli.demo",
    "moderator.cli.policy",
    "moderator.cli.moderation",
    "moderator.cli.verify",
    "moderator.cli.dossier",
    "moderator.cli.audit",
    "moderator.cli.portal",
)


@click.group(cls=ModeratorGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH", help="Database file [env MODERATOR_DB; ./moderator.db].")
@click.option("--archives", metavar="DIR",
              help="Dossier folder for hard copies [env MODERATOR_ARCHIVES; ./archives].")
@click.option("--demo", is_flag=True,
              help="Fill an empty database with the demo foundation, then open the console.")
@click.version_option(package_name="moderator")
@click.pass_context
def main(ctx: click.Context, db: str | None, archives: str | None, demo: bool) -> None:
    """Moderation console for the parent portal of a school foundation.

    Without a command it opens the console (a terminal UI).
    """
    ctx.obj = State.from_options(db, archives)
    if ctx.invoked_subcommand is None:
        open_console(ctx.obj, demo=demo)


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(_name).commands:
        main.add_command(_command)
