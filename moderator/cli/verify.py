"""CLI verb: verify the archive and the audit log."""

from __future__ import annotations

import sys

import click

from moderator.cli.common import err_console, pass_state, print_json
from moderator.errors import UsageError
from moderator.text import one_line

PROGRESS_FROM = 500   # show a progress bar from this many files


@click.command("verify")
@click.option("--anchor", default=None, metavar="SEQ:HASH",
              help="Prove the audit log still contains this entry (e.g. from a hard copy).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_state
def verify_command(state, anchor: str | None, as_json: bool) -> None:
    """Check every hard copy, export and letter against its SHA-256, find unknown files, and
    walk the audit log's hash chain. Exits 1 on any problem."""
    from moderator.archive.verify import parse_anchor, verify_archive

    try:
        parsed = parse_anchor(anchor) if anchor else None
    except ValueError as error:
        raise UsageError(str(error)) from None
    store = state.store()
    total = store.scalar("SELECT (SELECT count(*) FROM hardcopies) + (SELECT count(*) FROM exports)")
    if total >= PROGRESS_FROM and not as_json and err_console.is_terminal:
        from rich.progress import Progress

        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("controleren", total=total)
            report = verify_archive(store, lambda done, _t: bar.update(task, completed=done),
                                    anchor=parsed)
    else:
        report = verify_archive(store, anchor=parsed)
    if as_json:
        print_json(report.as_dict())
    else:
        def say(line: str, markup: bool = False) -> None:
            click.echo(line)

        letters = (f" (waarvan {report.letters} {'brief' if report.letters == 1 else 'brieven'})"
                   if report.letters else "")
        say(f"{report.checked} {'bestand' if report.checked == 1 else 'bestanden'} gecontroleerd"
            f"{letters}, {report.audit_entries} regels in het auditlog", markup=False)
        for p in report.missing:
            say(f"ONTBREEKT  {one_line(p.path)}: {p.detail}", markup=False)
        for p in report.altered:
            say(f"GEWIJZIGD  {one_line(p.path)}: {p.detail}", markup=False)
        for p in report.unknown:
            say(f"ONBEKEND   {one_line(p.path)}: {p.detail}", markup=False)
        for c in report.chain:
            say(f"AUDITLOG   regel {c.seq}: {c.problem}", markup=False)
        if report.anchor is not None:
            seq, digest = report.anchor
            say(f"ANKER      {seq}:{digest} "
                + ("gevonden" if report.anchor_ok
                   else "NIET GEVONDEN (auditlog ingekort of herschreven)"),
                markup=False)
        say("IN ORDE" if report.ok else "PROBLEMEN GEVONDEN", markup=False)
    if not report.ok:
        sys.exit(1)


commands: list = [verify_command]
