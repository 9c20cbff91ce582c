"""CLI verbs: policy (``scan``, ``check``, ``report``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich import box
from rich.table import Table

from moderator import clock, rich_text, text
from moderator.cli.annual_report import annual_command
from moderator.cli.common import (
    State,
    for_terminal,
    login,
    operator,
    out_console,
    pass_state,
    print_json,
    print_rows,
)
from moderator.errors import InputError, UsageError, os_reason
from moderator.policy.catalogue import REASONS
from moderator.services.drafts import check_drafts, check_drafts_for_school, read_drafts


@click.command("scan")
@click.option("--school", metavar="ID", help="Only this school.")
@click.option("--again", is_flag=True,
              help="Scan every item again (after word lists or provisions changed).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_state
def scan_command(state, school: str | None, again: bool, as_json: bool) -> None:
    """Run the policy detectors over imported posts and comments not scanned yet."""
    from moderator.services.scanning import scan_all

    result = scan_all(state.store(), school, again=again, actor=operator().username)
    if as_json:
        print_json(result.as_dict())
        return
    out_console.print(f"Gescand: {result.posts} berichten, {result.comments} reacties; "
                      f"{result.flags} nieuwe signaleringen.")
    if result.by_reason:
        table = Table("reden", "aantal", title="Nieuwe signaleringen per reden")
        for code, count in sorted(result.by_reason.items(), key=lambda kv: -kv[1]):
            table.add_row(REASONS[code].label if code in REASONS else code, str(count))
        out_console.print(table)


@click.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--school", metavar="ID",
              help="Apply this school's approved provisions (extra words, identity).")
@pass_state
def check_command(state, file: Path | None, school: str | None) -> None:
    """Check draft messages: JSON lines {"id", "text", "pupils": [...]} from FILE or stdin;
    one JSON line per draft with the reasons and evidence found."""
    source = "<stdin>" if file is None else str(file)
    try:
        raw = sys.stdin.buffer.read() if file is None else file.read_bytes()
        lines = raw.decode("utf-8-sig").splitlines()
    except OSError as error:
        raise InputError(source, None, f"kan niet lezen: {os_reason(error)}") from None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(source, line, "geen geldige UTF-8") from None
    drafts = read_drafts(source, lines)
    if school is None:
        results = check_drafts(drafts)
    else:
        results = check_drafts_for_school(state.store(), drafts, school)
    for result in results:
        print_json(result, indent=None)


def _when(finding) -> str:
    """A day or a timestamp the Dutch way; a week label ('2026-W47') as it is."""
    return clock.display(finding.when)


REPORT_HEADERS = ["school", "groep", "controle", "wanneer", "bevinding"]
SHORT_LABELS = {"frequency": "Frequentie", "off_hours": "Werktijd"}
# From this terminal width the report table shows every school and full check names.
REPORT_WIDE = 110


def report_table(findings: list, width: int = 80) -> Table:
    """One line per finding; the finding takes the remaining width and wraps."""
    wide = width >= REPORT_WIDE
    schools = wide or len({f.school_id for f in findings}) > 1
    table = Table(title="Groepscontroles", title_justify="left", expand=True,
                  box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0))
    if schools:
        table.add_column("School", no_wrap=True, max_width=12 if wide else 8)
    table.add_column("Groep", no_wrap=True, max_width=18 if wide else 14)
    table.add_column("Controle", no_wrap=True)
    table.add_column("Wanneer", no_wrap=True)
    table.add_column("Bevinding", ratio=1, min_width=20)
    for f in findings:
        cells = [rich_text.line_text(f.school_id, 12)] if schools else []
        label = REASONS[f.reason].label if wide else SHORT_LABELS.get(f.reason, f.reason)
        cells += [rich_text.line_text(f.group_name, 18), rich_text.line_text(label),
                  rich_text.line_text(_when(f)), rich_text.text(text.one_line(f.detail))]
        table.add_row(*cells)
    return table


@click.group("report", invoke_without_command=True)
@click.option("--user", "username",
              help="Your account (password from MODERATOR_PASSWORD or prompted).")
@click.option("--school", metavar="ID", help="Only this school (the AVG coordinator).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def report_command(ctx, username: str | None, school: str | None, as_json: bool) -> None:
    """Group checks: posting frequency per group and staff posts outside working hours.
    A director sees their school, a teacher their groups, the AVG coordinator every school.
    `report annual` writes the yearly report."""
    if ctx.invoked_subcommand is not None:
        return
    if not username:
        raise UsageError("--user is verplicht: moderator report --user NAAM")
    state = ctx.find_object(State)
    from moderator.services.group_report import report_for

    actor = login(state, username)
    findings = report_for(state.store(), actor, school)
    if as_json:
        print_json([f.as_dict() for f in findings])
        return
    if not for_terminal():
        print_rows(REPORT_HEADERS, ([f.school_id, f.group_name, REASONS[f.reason].label,
                                     _when(f), f.detail] for f in findings))
        return
    if not findings:
        out_console.print("Geen bevindingen.")
        return
    out_console.print(report_table(findings, out_console.width))


report_command.add_command(annual_command)

commands = [scan_command, check_command, report_command]
