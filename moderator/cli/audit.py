"""CLI verbs: ``moderator audit log|access|retention|destroy|hold|subject-export|provisions|anchor``.

The AVG coordinator's work from the command line, the same services as the audit
screen (moderator/screens/audit.py): every read is written to the access log, every
change to the audit log. Each verb logs in with ``--user`` (password from
MODERATOR_PASSWORD or asked).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from moderator import labels
from moderator.cli.common import login, out_console, pass_state, print_json
from moderator.clock import display
from moderator.errors import UsageError
from moderator.plural import aantal
from moderator.rich_text import line_text
from moderator.services import (
    audit_log,
    audit_readable,
    retention,
    subject_access,
    subject_requests,
)
from moderator.services import provisions as provisions_service

USER = click.option("--user", "username", required=True, metavar="USER",
                    help="Your console account (password from MODERATOR_PASSWORD or asked).")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    return table


@click.group("audit")
def audit_group() -> None:
    """AVG coordinator: audit and access logs, retention, destruction, subject access,
    school provisions, the audit anchor."""


@audit_group.command("log")
@click.option("--actor", "actor_name", metavar="USER", help="Only entries by this account.")
@click.option("--action", metavar="ACTION", help="Only this action, e.g. incident.destroy.")
@click.option("--school", "school_id", metavar="ID", help="Only this school.")
@click.option("--subject", metavar="SUBJECT", help="Only this subject, e.g. incident:INC-2026-0001.")
@click.option("--since", metavar="DATE", help="From this date/time (02-12-2026, vandaag, gisteren 14:00, or ISO).")
@click.option("--until", metavar="DATE", help="Before this date/time (02-12-2026, vandaag, gisteren 14:00, or ISO).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@click.option("--before", "before_seq", type=int, metavar="SEQ", help="Page: entries before SEQ.")
@USER
@AS_JSON
@pass_state
def log_(state, actor_name, action, school_id, subject, since, until, limit, before_seq,
         username, as_json) -> None:
    """The audit log, newest first."""
    actor = login(state, username)
    found = audit_log.read_audit_log(
        state.store(), actor, actor_name=actor_name, action=action, school_id=school_id,
        since=since, until=until, subject=subject, limit=limit, before_seq=before_seq)
    shown = audit_readable.readable_entries(state.store(), actor, found)
    if as_json:
        print_json([{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
                     "subject": e.subject, "school": e.school_id, "detail": e.detail,
                     "hash": e.hash,
                     "shown": {"at": r.at, "who": r.who, "action": r.action,
                               "subject": r.subject, "school": r.school,
                               "fields": [{"label": k, "value": v} for k, v in r.fields]}}
                    for e, r in zip(found, shown, strict=True)])
        return
    table = _table("Auditlogboek", ("#", "Tijd", "Wie", "Actie", "Onderwerp", "School", "Details"))
    for r in shown:
        table.add_row(str(r.seq), line_text(r.at), line_text(r.who, 40), line_text(r.action),
                      line_text(r.subject, 50), line_text(r.school or "-", 30),
                      line_text(r.summary, 80))
    out_console.print(table)


@audit_group.command("access")
@click.option("--incident", metavar="NUMBER", help="Who viewed or exported this dossier.")
@click.option("--person", "person_id", metavar="ID", help="Lines about this person.")
@click.option("--actor", "actor_name", metavar="USER", help="Lines by this account.")
@click.option("--action", metavar="ACTION", help="view, export, subject_export, ...")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@USER
@AS_JSON
@pass_state
def access(state, incident, person_id, actor_name, action, since, until, limit, username,
           as_json) -> None:
    """The access log: who viewed or exported which dossier or person's data, when."""
    actor = login(state, username)
    store = state.store()
    found = audit_log.read_access_log(
        store, actor, incident=incident, person_id=person_id, actor_name=actor_name,
        action=action, since=since, until=until, limit=limit)
    numbers = audit_log.incident_numbers(store, actor, {a.incident_id for a in found if a.incident_id})
    rows = [{"id": a.id, "at": a.at, "actor": a.actor, "action": a.action,
             "incident": numbers.get(a.incident_id) or a.detail.get("incident"),
             "person": a.person_id, "detail": a.detail} for a in found]
    if as_json:
        print_json(rows)
        return
    table = _table("Toegangslog", ("Tijd", "Wie", "Handeling", "Dossier", "Persoon", "Details"))
    for r in rows:
        table.add_row(line_text(display(r["at"])), line_text(r["actor"]),
                      line_text(labels.access_action(r["action"])),
                      line_text(r["incident"] or "-"), line_text(r["person"] or "-"),
                      line_text(audit_log.detail_line(r["detail"]), 50))
    out_console.print(table)


@audit_group.command("retention")
@click.option("--expired", is_flag=True, help="Only closed dossiers past their retention date.")
@click.option("--set-years", type=int, metavar="N",
              help="Set the foundation's retention term (years after closing).")
@USER
@AS_JSON
@pass_state
def retention_(state, expired, set_years, username, as_json) -> None:
    """The retention term and the dossiers under it."""
    actor = login(state, username)
    store = state.store()
    if set_years is not None:
        retention.set_retention_years(store, actor, set_years)
        if not as_json:
            out_console.print(f"Bewaartermijn ingesteld op {set_years} jaar na afsluiten.")
    years = retention.retention_years(store)
    found = retention.list_retention(store, actor, expired_only=expired)
    if as_json:
        print_json({"retention_years": years, "incidents": [
            {"number": r.number, "school": r.school_id, "status": r.status,
             "closed_at": r.closed_at, "retention_until": r.retention_until,
             "expired": r.expired, "legal_hold": r.legal_hold,
             "legal_hold_reason": r.legal_hold_reason, "hardcopies": r.n_hardcopies}
            for r in found]})
        return
    out_console.print(f"Bewaartermijn: {years} jaar na afsluiten (instelling retention_years).")
    table = _table("Dossiers" + (" met verstreken bewaartermijn" if expired else ""),
                   ("Dossier", "School", "Status", "Gesloten", "Bewaren tot", "Hard copies",
                    "Bewaarplicht"))
    for r in found:
        table.add_row(line_text(r.number), line_text(r.school_name, 30),
                      line_text(labels.status(r.status)), line_text(display(r.closed_at) or "-"),
                      line_text((display(r.retention_until)[:10] or "-")
                                + (" (verstreken)" if r.expired else "")),
                      str(r.n_hardcopies),
                      line_text(r.legal_hold_reason or "ja", 40) if r.legal_hold else "nee")
    out_console.print(table)


@audit_group.command("destroy")
@click.argument("incident")
@click.option("--ground", required=True, help="Why, e.g. 'bewaartermijn verstreken'.")
@click.option("--erasure-request", is_flag=True,
              help="A data subject's erasure request (AVG art. 17) before the term ends.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@USER
@AS_JSON
@pass_state
def destroy(state, incident, ground, erasure_request, yes, username, as_json) -> None:
    """Destroy a closed dossier: its hard copies, exports and personal data. Keeps a
    destruction record. A legal hold blocks it (and the refusal is logged)."""
    actor = login(state, username)
    if not yes and not as_json:
        click.confirm(f"Dossier {incident} definitief vernietigen?", abort=True)
    record = retention.destroy_incident(state.store(), actor, incident, ground,
                                        erasure_request=erasure_request)
    if as_json:
        print_json({"incident": record.incident_number, "destroyed_at": record.destroyed_at,
                    "destroyed_by": record.destroyed_by, "ground": record.ground,
                    "hardcopies": record.n_hardcopies,
                    "hardcopy_sha256": list(record.hardcopy_sha256)})
        return
    out_console.print(line_text(
        f"Dossier {record.incident_number} vernietigd ({aantal(record.n_hardcopies, 'hard copy', 'hard copies')});"
        f" vernietigingsverklaring nr. {record.id} vastgelegd."))


@audit_group.command("hold")
@click.argument("incident")
@click.option("--reason", help="Why the dossier must be kept (required unless --release).")
@click.option("--release", is_flag=True, help="Lift the legal hold.")
@USER
@pass_state
def hold(state, incident, reason, release, username) -> None:
    """Put a dossier under legal hold (blocks destruction), or lift it."""
    actor = login(state, username)
    result = retention.set_legal_hold(state.store(), actor, incident, reason, release=release)
    out_console.print(line_text(
        f"Bewaarplicht op {result.number} opgeheven." if release
        else f"Dossier {result.number} staat onder bewaarplicht."))


@audit_group.command("destructions")
@USER
@AS_JSON
@pass_state
def destructions(state, username, as_json) -> None:
    """The destruction records."""
    actor = login(state, username)
    found = retention.list_destructions(state.store(), actor)
    if as_json:
        print_json([{"id": d.id, "incident": d.incident_number, "school": d.school_id,
                     "destroyed_at": d.destroyed_at, "destroyed_by": d.destroyed_by,
                     "ground": d.ground, "hardcopies": d.n_hardcopies,
                     "hardcopy_sha256": list(d.hardcopy_sha256)} for d in found])
        return
    table = _table("Vernietigingen", ("Dossier", "School", "Wanneer", "Door", "Grond", "Hard copies"))
    for d in found:
        table.add_row(line_text(d.incident_number), line_text(d.school_id),
                      line_text(display(d.destroyed_at)), line_text(d.destroyed_by),
                      line_text(d.ground, 50), str(d.n_hardcopies))
    out_console.print(table)


def _decisions(keep: tuple[str, ...], withhold: tuple[str, ...]) -> dict:
    """``--keep KEY=GROUND`` / ``--withhold KEY=GROUND`` as export decisions."""
    out = {}
    for withheld, values in ((False, keep), (True, withhold)):
        for value in values:
            key, sep, ground = value.partition("=")
            if not sep or not key.strip() or not ground.strip():
                raise UsageError(f"{value!r}: gebruik PASSAGE=GROND, bijvoorbeeld "
                                 "flags_about.0.note=\"gegevens van de melder\".")
            if key.strip() in out:
                raise UsageError(f"Passage {key.strip()} staat twee keer in de opdracht.")
            out[key.strip()] = subject_access.Decision(withheld, ground.strip())
    return out


@audit_group.command("passages")
@click.argument("person_id")
@USER
@AS_JSON
@pass_state
def passages(state, person_id, username, as_json) -> None:
    """Passages an export would hold about someone other than PERSON_ID (reporters' notes,
    other parents and pupils, internal consultations): decide on each with --keep or
    --withhold on subject-export (AVG article 15(4)); undecided ones are withheld."""
    actor = login(state, username)
    found = subject_access.third_party_passages(state.store(), actor, person_id)
    if as_json:
        print_json([{"passage": p.key, "section": p.section, "why": p.why, "text": p.text}
                    for p in found])
        return
    table = _table("Passages over anderen", ("Passage", "Onderdeel", "Waarom", "Tekst"))
    for p in found:
        table.add_row(line_text(p.key), line_text(p.section, 40), line_text(p.why, 40),
                      line_text(p.text, 80))
    out_console.print(table)


@audit_group.command("subject-export")
@click.argument("person_id")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the JSON and PDF.")
@click.option("--request", "request_id", type=int, metavar="ID",
              help="The subject-access request this export answers (marked answered).")
@click.option("--keep", multiple=True, metavar="PASSAGE=GROUND",
              help="Keep this passage about someone else, with the ground (repeatable).")
@click.option("--withhold", multiple=True, metavar="PASSAGE=GROUND",
              help="Withhold this passage, with the ground (repeatable).")
@USER
@AS_JSON
@pass_state
def subject_export(state, person_id, out_dir, request_id, keep, withhold, username,
                   as_json) -> None:
    """Export everything stored about one person as JSON and a Dutch PDF (AVG article 15).
    Passages about others (see `audit passages`) are withheld unless kept with --keep."""
    actor = login(state, username)
    result = subject_access.export_subject(state.store(), actor, person_id, Path(out_dir),
                                           decisions=_decisions(keep, withhold),
                                           request_id=request_id)
    withheld = result.report.data.get("withheld", [])
    if as_json:
        print_json({"person": person_id, "json": str(result.json_path),
                    "json_sha256": result.json_sha256, "pdf": str(result.pdf_path),
                    "pdf_sha256": result.pdf_sha256, "counts": result.report.counts(),
                    "withheld": withheld, "request": request_id})
        return
    out_console.print(line_text(f"Inzage voor {result.report.name} ({person_id}):"))
    out_console.print(line_text(f"  {result.json_path}"))
    out_console.print(line_text(f"  {result.pdf_path}"))
    out_console.print(aantal(len(withheld), "passage over een ander weggelaten",
                             "passages over anderen weggelaten") + ".")


@audit_group.group("request")
def request_group() -> None:
    """Subject-access requests: record them when they arrive, watch the statutory month."""


def _request_row(st) -> dict:
    r = st.request
    return {"id": r.id, "person": r.person_id, "person_name": r.person_name,
            "requester": r.requester, "received_on": r.received_on, "due_on": r.due_on,
            "answered_on": r.answered_on, "days_left": st.days_left, "status": st.label,
            "withheld": list(r.withheld), "export_sha256": r.export_sha256}


@request_group.command("add")
@click.argument("person_id")
@click.option("--from", "requester", required=True, metavar="NAME",
              help="Who asked (the person, a parent, a lawyer...).")
@click.option("--received", metavar="DATE", help="Day of receipt, YYYY-MM-DD (default today).")
@click.option("--note", metavar="TEXT", help="How it arrived, what was asked.")
@USER
@AS_JSON
@pass_state
def request_add(state, person_id, requester, received, note, username, as_json) -> None:
    """Record a subject-access request about PERSON_ID the day it arrives."""
    actor = login(state, username)
    st = subject_requests.record_request(state.store(), actor, person_id, requester,
                                         received_on=received, note=note)
    if as_json:
        print_json(_request_row(st))
        return
    out_console.print(line_text(
        f"Inzageverzoek {st.request.id} vastgelegd: ontvangen {display(st.request.received_on)},"
        f" beantwoorden uiterlijk {display(st.request.due_on)} ({st.label})."))


@request_group.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only requests not yet answered.")
@USER
@AS_JSON
@pass_state
def request_list(state, open_only, username, as_json) -> None:
    """Requests, open ones first with the nearest deadline first."""
    actor = login(state, username)
    found = subject_requests.list_requests(state.store(), actor, open_only=open_only)
    if as_json:
        print_json([_request_row(st) for st in found])
        return
    table = _table("Inzageverzoeken", ("#", "Over", "Aanvrager", "Ontvangen", "Uiterlijk",
                                       "Stand"))
    for st in found:
        r = st.request
        table.add_row(str(r.id), line_text(f"{r.person_name or '?'} ({r.person_id})", 40),
                      line_text(r.requester, 40), display(r.received_on), display(r.due_on),
                      line_text(st.label))
    out_console.print(table)


@request_group.command("answer")
@click.argument("request_id", type=int)
@click.option("--on", "answered_on", metavar="DATE", help="Day answered, YYYY-MM-DD (default today).")
@USER
@pass_state
def request_answer(state, request_id, answered_on, username) -> None:
    """Mark a request answered (an export with --request does this itself)."""
    actor = login(state, username)
    st = subject_requests.answer_request(state.store(), actor, request_id,
                                         answered_on=answered_on)
    out_console.print(line_text(f"Inzageverzoek {request_id}: {st.label}."))


@audit_group.command("anchor")
@USER
@pass_state
def anchor(state, username) -> None:
    """Print the audit chain head as SEQ:HASH; keep it outside the database and check it
    later with `moderator verify --anchor SEQ:HASH`."""
    actor = login(state, username)
    seq, digest = audit_log.audit_anchor(state.store(), actor)
    click.echo(f"{seq}:{digest}")


# -- school provisions ----------------------------------------------------------------------


@audit_group.group("provisions")
def provisions_group() -> None:
    """School provisions: a director proposes, the AVG coordinator approves or rejects."""


def _provision_dict(p) -> dict:
    return {"id": p.id, "school": p.school_id, "kind": p.kind, "detail": p.detail,
            "status": p.status, "proposed_by": p.proposed_by, "proposed_at": p.proposed_at,
            "decided_by": p.decided_by, "decided_at": p.decided_at, "note": p.decision_note}


@provisions_group.command("list")
@click.option("--status", type=click.Choice(["proposed", "approved", "rejected"]))
@click.option("--school", "school_id", metavar="ID")
@USER
@AS_JSON
@pass_state
def provisions_list(state, status, school_id, username, as_json) -> None:
    """List provisions (a director sees their own school)."""
    actor = login(state, username)
    found = provisions_service.list_provisions(state.store(), actor, status=status,
                                             school_id=school_id)
    if as_json:
        print_json([_provision_dict(p) for p in found])
        return
    table = _table("Schoolbepalingen", ("#", "School", "Soort", "Inhoud", "Status",
                                         "Voorgesteld door", "Besluit"))
    for p in found:
        table.add_row(str(p.id), line_text(p.school_name, 30),
                      labels.provision_kind(p.kind), line_text(p.summary, 60),
                      labels.provision_status(p.status),
                      line_text(p.proposed_by),
                      line_text(f"{p.decided_by} {p.decision_note or ''}" if p.decided_by else "-", 40))
    out_console.print(table)


@provisions_group.command("propose")
@click.option("--kind", required=True, type=click.Choice(provisions_service.KINDS))
@click.option("--detail", "detail_json", metavar="JSON",
              help='e.g. \'{"reason": "abuse", "words": ["..."]}\'')
@click.option("--detail-file", type=click.Path(exists=True, dir_okay=False),
              help="The detail as a JSON file.")
@USER
@AS_JSON
@pass_state
def provisions_propose(state, kind, detail_json, detail_file, username, as_json) -> None:
    """Propose a provision for your school (directors)."""
    if (detail_json is None) == (detail_file is None):
        raise UsageError("geef de inhoud met --detail JSON of --detail-file BESTAND")
    source = detail_file or "--detail"
    raw = Path(detail_file).read_text("utf-8") if detail_file else detail_json
    try:
        detail = json.loads(raw)
    except json.JSONDecodeError as error:
        from moderator.errors import InputError

        raise InputError(source, error.lineno, f"geen geldige JSON: {error.msg}") from None
    actor = login(state, username)
    p = provisions_service.propose(state.store(), actor, kind, detail)
    if as_json:
        print_json(_provision_dict(p))
        return
    out_console.print(line_text(
        f"Bepaling {p.id} voorgesteld; zij geldt pas na goedkeuring door de AVG-coördinator."))


@provisions_group.command("approve")
@click.argument("provision_id", type=int)
@click.option("--note", help="Optional note with the decision.")
@USER
@pass_state
def provisions_approve(state, provision_id, note, username) -> None:
    """Approve a proposed provision (AVG coordinator); it applies from now on."""
    actor = login(state, username)
    p = provisions_service.approve(state.store(), actor, provision_id, note)
    out_console.print(line_text(f"Bepaling {p.id} goedgekeurd voor {p.school_name}."))


@provisions_group.command("reject")
@click.argument("provision_id", type=int)
@click.option("--note", required=True, help="Why it is rejected.")
@USER
@pass_state
def provisions_reject(state, provision_id, note, username) -> None:
    """Reject a proposed provision (AVG coordinator)."""
    actor = login(state, username)
    p = provisions_service.reject(state.store(), actor, provision_id, note)
    out_console.print(line_text(f"Bepaling {p.id} afgewezen."))


commands = [audit_group]
