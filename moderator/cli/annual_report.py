"""CLI verb: ``moderator report annual`` (the yearly report for the board and the (G)MR).

Attached to the ``report`` group of :mod:`moderator.cli.policy`.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from moderator import clock
from moderator.cli.common import login, out_console, pass_state
from moderator.rich_text import line_text
from moderator.services.annual_report import write_annual_report


@click.command("annual")
@click.option("--year", type=int, default=None, help="Calendar year [this year].")
@click.option("--school", metavar="ID", help="Only this school (the AVG coordinator).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the CSV files and the PDF.")
@click.option("--user", "username", required=True,
              help="Your account (password from MODERATOR_PASSWORD or prompted).")
@pass_state
def annual_command(state, year: int | None, school: str | None, out_dir: Path,
                   username: str) -> None:
    """The yearly report: counts per school and for the foundation, no personal data;
    one CSV per table and one Dutch PDF with charts. Directors get their own school."""
    actor = login(state, username)
    files = write_annual_report(state.store(), actor, year or clock.now().year, out_dir, school)
    out_console.print(Text("Jaarverslag geschreven:\n").append(line_text(str(files.pdf))))
    for path in files.csvs:
        out_console.print(line_text(str(path)))
