"""CLI verbs: ``moderator import FILE`` (the portal export; format: README, store/portal_format.py)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from moderator.cli.common import err_console, operator, out_console, pass_state, print_json
from moderator.rich_text import line_text
from moderator.services.importing import import_file
from moderator.store.importer import ImportSummary

# A progress bar only where someone watches (stderr a terminal) and it takes a while.
PROGRESS_MIN_BYTES = 512 * 1024

LABELS = {
    "schools": "scholen", "groups": "groepen", "people": "personen",
    "admins": "groepsbeheerders", "members": "groepsleden", "pupils": "leerlingen",
    "guardians": "ouderkoppelingen", "consents": "toestemmingen", "posts": "berichten",
    "comments": "reacties", "media": "media", "reports": "meldingen (open signalering)",
    "holidays": "vakanties",
}
OTHER_LABELS = {
    "revisions": "nieuwe versies van bekende berichten/reacties",
    "updated": "bijgewerkte gegevens",
    "rule_flags": "signaleringen door de regels",
    "still_deleted": "verwijderde items opnieuw aangeleverd (blijven verwijderd)",
    "unchanged": "ongewijzigd",
}


def summary_table(summary: ImportSummary) -> Table:
    table = Table(title=line_text(f"Import van {Path(summary.source).name}"),
                  title_justify="left")
    table.add_column("Soort")
    table.add_column("Aantal", justify="right")
    for kind, label in LABELS.items():
        table.add_row(label, str(summary.added[kind]))
    table.add_section()
    for field, label in OTHER_LABELS.items():
        table.add_row(label, str(getattr(summary, field)))
    return table


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_state
def import_command(state, file: Path, as_json: bool) -> None:
    """Import a portal export (JSON Lines) in one transaction: all of it or nothing."""
    store = state.store()
    show_bar = (err_console.is_terminal and file.is_file()
                and file.stat().st_size >= PROGRESS_MIN_BYTES)
    if show_bar:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err_console, transient=True) as bar:
            task = bar.add_task("lezen", total=None)

            def progress(phase: str, done: int, total: int) -> None:
                bar.update(task, description=phase, completed=done, total=total or None)

            summary = import_file(store, file, actor=operator(), progress=progress)
    else:
        summary = import_file(store, file, actor=operator())
    if as_json:
        print_json(summary.as_dict())
    else:
        out_console.print(summary_table(summary))


commands = [import_command]
