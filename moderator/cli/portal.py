"""CLI verbs: ``moderator portal connect|push|pull|status|retry|done`` (portal sync).

``push`` and ``pull`` are operator jobs for a timer (like ``import``): no login, the
audit log names the OS user. ``connect``, ``retry`` and ``done`` need an account.
"""

from __future__ import annotations

import sys

import click
from rich.table import Table

from moderator import clock, labels
from moderator.cli.common import (
    err_console,
    for_terminal,
    login,
    operator,
    out_console,
    pass_state,
    print_json,
    print_rows,
)
from moderator.plural import aantal
from moderator.rich_text import line_text
from moderator.text import one_line


@click.group("portal")
def portal_group() -> None:
    """Portal sync: deliver decisions to the portal, fetch new portal data."""


@portal_group.command("connect")
@click.option("--school", required=True, metavar="S", help="School id.")
@click.option("--http", "http_url", metavar="URL", help="Receiver base URL (https://…).")
@click.option("--key-id", metavar="K", help="Id of the shared secret (http).")
@click.option("--secret-file", metavar="PATH", help="File holding the shared secret (http).")
@click.option("--secret-env", metavar="NAME",
              help="Environment variable holding the shared secret (http), read at use.")
@click.option("--ca-file", metavar="PATH", help="CA certificates to verify the receiver with.")
@click.option("--add-key", is_flag=True,
              help="Add this key to the existing http connector (it signs from now on; the "
                   "previous key stays as a fallback while the receiver switches).")
@click.option("--folder", metavar="DIR", help="Folder connector: exchange files in DIR.")
@click.option("--user", "username", required=True, help="Your account (director, school admin or AVG).")
@pass_state
def connect_command(state, school, http_url, key_id, secret_file, secret_env, ca_file, add_key,
                    folder, username) -> None:
    """Set up the school's connector (http or folder). The secret is never stored."""
    from moderator.services import portal_sync

    actor = login(state, username)
    connector = portal_sync.connect(
        state.store(), actor, school, http=http_url, key_id=key_id, secret_file=secret_file,
        secret_env=secret_env, ca_file=ca_file, folder=folder, add_key=add_key)
    where = connector.base_url if connector.kind == "http" else connector.folder
    keys = ", ".join(k.key_id for k in connector.keys)
    click.echo(f"school {one_line(school)}: koppeling {connector.kind} naar {one_line(where)}"
               + (f" (sleutel {one_line(keys)})" if keys else ""))


def _push_line(report) -> str:
    if report.busy:
        return f"school {report.school}: een ander proces verstuurt al; overgeslagen"
    parts = [f"school {report.school} ({report.kind}):"]
    if report.kind == "folder":
        parts.append(f"{aantal(report.receipts, 'ontvangstbewijs', 'ontvangstbewijzen')}"
                     f" verwerkt, {aantal(report.delivered, 'actie', 'acties')} in de uitmap"
                     " gezet")
    else:
        parts.append(f"{aantal(report.attempted, 'actie', 'acties')} verzonden:"
                     f" {report.done} uitgevoerd, {report.accepted} aangenomen,"
                     f" {report.refused} geweigerd, {report.failing} mislukt (volgt opnieuw)")
    return " ".join(parts)


@portal_group.command("push")
@click.option("--school", metavar="S", help="Only this school (default: every connected school).")
@click.option("--wait", "max_wait", type=float, default=0.0, show_default=True, metavar="SECONDS",
              help="Keep going for retries that fall due within this many seconds.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def push_command(state, school, max_wait, as_json) -> None:
    """Deliver the actions waiting in the outbox (an operator job: cron or a systemd timer)."""
    from moderator.services import portal_sync

    reports = portal_sync.push(state.store(), operator(), school, max_wait=max_wait)
    if as_json:
        print_json([r.as_dict() for r in reports])
    else:
        for report in reports:
            click.echo(_push_line(report))
            if report.error:
                err_console.print(f"fout: {one_line(report.error)}", markup=False,
                                  soft_wrap=True)
    if any(r.error for r in reports):
        sys.exit(6)


@portal_group.command("pull")
@click.option("--school", metavar="S", help="Only this school (default: every connected school).")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def pull_command(state, school, as_json) -> None:
    """Fetch new portal data; each batch is imported all or nothing (an operator job)."""
    from moderator.services import portal_sync

    reports = portal_sync.pull(state.store(), operator(), school)
    if as_json:
        print_json([r.as_dict() for r in reports])
    else:
        for report in reports:
            click.echo(f"school {report.school} ({report.kind}): {report.batches}"
                       f" {'partij' if report.batches == 1 else 'partijen'} ingelezen,"
                       f" {report.records} regels, {report.added} nieuw")
            for problem in report.failed:
                err_console.print(f"fout: {one_line(problem)}", markup=False, soft_wrap=True)
    if any(r.failed for r in reports):
        sys.exit(2)


def _action_json(action) -> dict:
    return {
        "id": action.id, "seq": action.seq, "school": action.school_id, "kind": action.kind,
        "target": action.target, "status": action.status, "attempts": action.attempts,
        "last_error": action.last_error, "requested_at": action.requested_at,
        "incident": action.incident, "receipt": action.receipt, "done_at": action.done_at,
        "needs_attention": action.needs_attention,
    }


def _target_label(action) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(action.target.items()))


@portal_group.command("status")
@click.option("--school", metavar="S")
@click.option("--user", "username", help="Show only what this account may see.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def status_command(state, school, username, as_json) -> None:
    """Connectors, and the actions that wait, fail or were refused."""
    from moderator.services import portal_sync

    actor = login(state, username) if username else None
    found = portal_sync.status(state.store(), actor, school)
    if as_json:
        print_json([{
            "school": s.school,
            "connector": None if s.connector is None else {
                "kind": s.connector.kind, "base_url": s.connector.base_url,
                "folder": s.connector.folder, "key_ids": [k.key_id for k in s.connector.keys],
                "cursor": s.connector.cursor, "last_error": s.connector.last_error,
                "last_error_at": s.connector.last_error_at,
                "last_ok_at": s.connector.last_ok_at},
            "counts": s.counts, "long_failing": s.long_failing,
            "actions": [_action_json(a) for a in s.actions],
        } for s in found])
        return
    headers = ["actie", "volgnr", "soort", "doel", "status", "pogingen", "fout"]
    for school_status in found:
        connector = school_status.connector
        if connector is None:
            head = f"school {school_status.school}: geen koppeling (acties wachten)"
        else:
            where = connector.base_url if connector.kind == "http" else connector.folder
            head = f"school {school_status.school}: {connector.kind} {where}"
            if connector.last_error:
                head += (f" — verbinding mislukt sinds {clock.display(connector.last_error_at)}:"
                         f" {connector.last_error}")
        counts = ", ".join(f"{labels.portal_status(k)} {v}"
                           for k, v in school_status.counts.items() if v)
        if school_status.long_failing:
            counts += (f"; {aantal(school_status.long_failing, 'actie mislukt', 'acties mislukken')}"
                       " al lang: controleer de koppeling")
        err_console.print(line_text(f"{head} [{counts or 'geen acties'}]"))
        rows = [[a.id, a.seq, labels.portal_kind(a.kind), _target_label(a),
                 labels.portal_status(a.status), a.attempts, a.last_error or ""]
                for a in school_status.actions]
        if not for_terminal():
            print_rows(headers, rows)
            continue
        table = Table()
        for header in headers:
            table.add_column(header)
        for row in rows:
            table.add_row(*(line_text(value, 80) for value in row))
        out_console.print(table)


@portal_group.command("retry")
@click.argument("action")
@click.option("--user", "username", required=True)
@pass_state
def retry_command(state, action, username) -> None:
    """Send a refused action again, as a new action."""
    from moderator.services import portal_sync

    actor = login(state, username)
    new = portal_sync.retry(state.store(), actor, action)
    click.echo(f"{one_line(action)}: opnieuw verstuurd als {new.id} (volgnummer {new.seq})")


@portal_group.command("done")
@click.argument("action")
@click.option("--note", required=True, help="Who did it by hand in the portal, and when.")
@click.option("--user", "username", required=True)
@pass_state
def done_command(state, action, note, username) -> None:
    """Record that an action was carried out by hand in the portal."""
    from moderator.services import portal_sync

    actor = login(state, username)
    found = portal_sync.done_by_hand(state.store(), actor, action, note)
    click.echo(f"{found.id}: met de hand uitgevoerd in het portaal")


commands = [portal_group]
