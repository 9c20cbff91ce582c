"""CLI verb: ``moderator demo`` fills an empty database with the demo foundation."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from moderator import labels
from moderator.cli.common import err_console, out_console, pass_state
from moderator.errors import UsageError, os_reason


def _count_posts(records: list[dict]) -> int:
    return sum(1 for r in records if r["type"] == "post")


def _records(posts: int | None, seed: int):
    """The demo's records, or with ``posts`` the benchmark data set's (lazily)."""
    from moderator import benchdata, demo

    return demo.demo_records() if posts is None else benchdata.bench_records(posts, seed)


@click.command("demo")
@click.option("--posts", type=click.IntRange(min=0), metavar="N",
              help="Instead of the demo: a benchmark data set of N posts (plus comments, "
                   "reports and ~10% flagged items).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed for --posts; same N, seed and MODERATOR_NOW give the same data.")
@click.option("--export", "export", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="Write the records as a JSON Lines export file instead of "
                                   "importing them (the database is not touched).")
@pass_state
def demo_command(state, posts: int | None, seed: int, export: Path | None) -> None:
    """Fill an EMPTY database with the demo foundation: two schools, a few weeks of
    portal messages (every rule broken at least once), reports and the accounts
    directie, leerkracht and avg (password: demo)."""
    from moderator import demo

    started = time.perf_counter()
    if export is not None:
        records = _records(posts, seed)
        try:
            lines = demo.write_export(export, records)
        except OSError as error:
            raise UsageError(f"{export}: kan niet schrijven: {os_reason(error)}") from None
        err_console.print(f"{lines} regels geschreven naar ", end="", markup=False)
        err_console.print(str(export), markup=False, end="")
        err_console.print(f" in {time.perf_counter() - started:.1f} s", markup=False)
        return

    store = state.store()
    if not demo.is_empty(store):
        held = demo.size(store)
        n_schools, n_posts = held["schools"], held["posts"]
        raise UsageError(
            f"de database {state.paths.db} is niet leeg ({n_schools} scholen, {n_posts}"
            " berichten); de demo vult alleen een lege database (gebruik --db met een nieuw"
            " bestand)")

    records = _records(posts, seed)
    total = _count_posts(records) if isinstance(records, list) else posts
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,
                  transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("berichten maken", total=total)
        made = 0

        def on_record(record: dict) -> None:
            nonlocal made
            if record["type"] == "post":          # a revision repeats a post: clamp
                made = min(made + 1, total)
                if made % 1000 == 0 or made == total:
                    bar.update(task, completed=made)

        def on_phase(phase: str, done: int, _total: int) -> None:
            if phase == "schrijven" and done == 0:
                bar.update(task, completed=made, description="berichten maken")
                bar.add_task("opslaan en scannen", total=None)

        summary = demo.import_demo(store, records, on_record=on_record, on_phase=on_phase)
    elapsed = time.perf_counter() - started

    open_flags = demo.size(store)["open_flags"]
    table = Table(title="Demo geladen" if posts is None else f"Benchmarkset geladen (seed {seed})",
                  title_justify="left")
    table.add_column("Soort")
    table.add_column("Aantal", justify="right")
    for label, value in (("scholen", summary.schools), ("groepen", summary.groups),
                         ("personen", summary.people), ("leerlingen", summary.pupils),
                         ("berichten", summary.posts), ("reacties", summary.comments),
                         ("foto's en video's", summary.media), ("meldingen", summary.reports),
                         ("nieuwe versies", summary.revisions),
                         ("open signaleringen", open_flags)):
        table.add_row(label, str(value))
    out_console.print(table)
    accounts = Table(title="Accounts (wachtwoord: demo)", title_justify="left")
    accounts.add_column("Gebruikersnaam")
    accounts.add_column("Rol")
    for username, role in (("directie", "director"), ("leerkracht", "teacher"), ("avg", "avg")):
        accounts.add_row(username, labels.account_role(role))
    out_console.print(accounts)
    out_console.print(f"Klaar in {elapsed:.1f} s.", markup=False)


commands = [demo_command]
