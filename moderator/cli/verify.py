"""CLI verb: verify the archive and the audit log.

An operator job by default (whoever holds the database file); with ``--user`` the AVG
coordinator logs in and the verify is written to the access log, as in the console."""

from __future__ import annotations

import sys

import click

from moderator.cli.common import err_console, login, operator, pass_state, print_json
from moderator.labels import VERIFY_FINDINGS
from moderator.services.verify import count_files, parse_anchor, verify_archive
from moderator.text import one_line

PROGRESS_FROM = 500   # show a progress bar from this many files


@click.command("verify")
@click.option("--anchor", default=None, metavar="SEQ:HASH",
              help="Prove the audit log still contains this entry (e.g. from a hard copy).")
@click.option("--user", "username", default=None, metavar="USER",
              help="Log in (the AVG coordinator): the verify is written to the access log.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_state
def verify_command(state, anchor: str | None, username: str | None, as_json: bool) -> None:
    """Check the archive (hard copies, exports, letters), the dossier, settings and
    triggers against the hash-chained audit log and its witness file, find unknown files,
    and walk the chain. Exits 1 on any problem."""
    parsed = parse_anchor(anchor) if anchor else None
    actor = login(state, username) if username else operator()
    store = state.store()
    total = count_files(store)
    if total >= PROGRESS_FROM and not as_json and err_console.is_terminal:
        from rich.progress import Progress

        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("controleren", total=total)
            report = verify_archive(
                store, actor, anchor=parsed,
                progress=lambda done, _t: bar.update(task, completed=done))
    else:
        report = verify_archive(store, actor, anchor=parsed)
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
        for f in report.findings:
            label = VERIFY_FINDINGS.get(f.kind, f.kind).upper()
            say(f"{label:<10} {one_line(f.subject)}: {one_line(f.detail)}", markup=False)
        for c in report.chain:
            say(f"AUDITLOG   regel {c.seq}: {c.problem}", markup=False)
        if report.witness is not None:
            seq, digest = report.witness
            say(f"GETUIGE    nieuwste kop {seq}:{digest}", markup=False)
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
