"""Portal sync: decisions reach the portal, new portal data reaches moderator.

Use cases: :func:`connect` a school's connector, :func:`push` what waits in the outbox,
:func:`pull` new export data, :func:`status`, and for a refused action :func:`retry`
(as a new action) or :func:`done_by_hand` (with a note).

Pushing takes the school's lease in the database first, so the open console and a timer
never send at once. Delivery is at least once with a fixed id per action (the receiver
deduplicates): an action is recorded only after its reply, so a crash between the two
sends the same id again, never a new one. Actions for one target go out in ``seq`` order
(:func:`moderator.store.outbox.due_actions`).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from moderator import clock
from moderator.errors import (
    ConnectorError,
    InputError,
    NotFound,
    PermissionDenied,
    UsageError,
    os_reason,
)
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.portal import folder as folder_io
from moderator.portal.http_api import HttpConnector, Key, Reply, check_url
from moderator.services.importing import import_file, import_records
from moderator.store import outbox
from moderator.store.db import Store
from moderator.store.portal_format import Bad, parse_line, split_lines
from moderator.text import one_line

LEASE_SECONDS = 120.0
BATCH = 100                    # actions recorded per transaction
LONG_FAILING_ATTEMPTS = 8      # a failing action shown as needing attention
MAX_PAGES = 1000               # export pages per pull


@dataclass(frozen=True)
class Backoff:
    """Delays between attempts, in seconds. Retries grow exponentially from ``base`` up to
    ``cap`` with jitter (each delay 75-100% of its step), and never shorter than the
    receiver's ``Retry-After``; an accepted action is asked after from ``poll_base`` up to
    a day."""

    base: float = 2.0
    cap: float = 3600.0
    poll_base: float = 30.0
    poll_cap: float = 86400.0

    def retry_delay(self, attempt: int, retry_after: float | None = None) -> float:
        step = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        delay = step * (0.75 + random.random() * 0.25)
        return max(delay, retry_after) if retry_after is not None else delay

    def poll_delay(self, polls: int) -> float:
        step = min(self.poll_cap, self.poll_base * 2 ** max(0, polls))
        return step * (0.75 + random.random() * 0.25)


@dataclass
class PushReport:
    school: str
    kind: str = ""
    attempted: int = 0
    done: int = 0
    accepted: int = 0
    refused: int = 0
    failing: int = 0
    delivered: int = 0          # folder: actions written to an outbox file
    receipts: int = 0           # folder: receipts applied
    busy: bool = False          # another process holds the lease
    error: str | None = None    # connection error or a refused receipts file
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PullReport:
    school: str
    kind: str = ""
    batches: int = 0
    records: int = 0
    added: int = 0
    failed: list[str] = field(default_factory=list)
    cursor: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# -- connecting ------------------------------------------------------------------------------

def _check_school(store: Store, school: str) -> None:
    if not outbox.school_exists(store, school):
        raise NotFound(f"school {one_line(school, 60)} niet gevonden")


def load_keys(connector: outbox.Connector) -> list[Key]:
    """Read the connector's secrets now (never stored). ConnectorError names the school
    and where the secret should be, never the secret."""
    keys = []
    for ref in connector.keys:
        keys.append(Key(ref.key_id, _read_secret(connector.school_id, ref)))
    if not keys:
        raise ConnectorError(f"school {connector.school_id}: geen sleutel ingesteld")
    return keys


def _read_secret(school: str, ref: outbox.SecretRef) -> bytes:
    where = f"school {school}, sleutel {one_line(ref.key_id, 60)}"
    if ref.secret_file:
        try:
            secret = Path(ref.secret_file).read_bytes().strip()
        except OSError as error:
            raise ConnectorError(f"{where}: geheim niet te lezen uit {ref.secret_file}:"
                                 f" {os_reason(error)}") from None
        if not secret:
            raise ConnectorError(f"{where}: het geheimbestand {ref.secret_file} is leeg")
        return secret
    value = os.environ.get(ref.secret_env or "")
    if not value or not value.strip():
        raise ConnectorError(f"{where}: omgevingsvariabele {ref.secret_env} is niet gezet")
    return value.strip().encode("utf-8")


def connect(store: Store, actor: Actor, school: str, *, http: str | None = None,
            key_id: str | None = None, secret_file: str | None = None,
            secret_env: str | None = None, ca_file: str | None = None,
            folder: str | None = None, add_key: bool = False) -> outbox.Connector:
    """Set up (or replace) a school's connector. ``add_key`` adds a second key to an http
    connector (it signs from now on; the old one stays as a fallback while the receiver
    switches). The secret is read once to check it, and never stored."""
    _check_school(store, school)
    if not access.may_connect_portal(actor, school):
        raise PermissionDenied(
            f"{actor.username} mag de portaalkoppeling van school {school} niet instellen:"
            " dat mogen de directie en de schoolbeheerder van de school, of de AVG-coördinator")
    if add_key:
        existing = outbox.get_connector(store, school)
        if existing is None or existing.kind != "http":
            raise UsageError(f"school {school} heeft geen http-koppeling om een sleutel aan toe"
                             " te voegen")
        ref = _key_ref(school, key_id, secret_file, secret_env)
        keys = [ref] + [k for k in existing.keys if k.key_id != ref.key_id][:1]
        return outbox.save_connector(store, school_id=school, kind="http", actor=actor.username,
                                     base_url=existing.base_url, ca_file=existing.ca_file,
                                     keys=keys)
    if bool(http) == bool(folder):
        raise UsageError("kies precies een van --http URL of --folder MAP")
    if folder:
        if key_id or secret_file or secret_env or ca_file:
            raise UsageError("een mapkoppeling heeft geen sleutel, geheim of CA-bestand")
        root = Path(folder).resolve()
        try:
            folder_io.ensure_layout(root)
        except OSError as error:
            raise UsageError(f"kan map {root} niet gebruiken: {os_reason(error)}") from None
        return outbox.save_connector(store, school_id=school, kind="folder",
                                     actor=actor.username, folder=str(root))
    base_url = check_url(http or "")
    ref = _key_ref(school, key_id, secret_file, secret_env)
    if ca_file:
        ca_path = Path(ca_file).resolve()
        if not ca_path.is_file():
            raise UsageError(f"CA-bestand {ca_path} bestaat niet")
        ca_file = str(ca_path)
    return outbox.save_connector(store, school_id=school, kind="http", actor=actor.username,
                                 base_url=base_url, ca_file=ca_file, keys=[ref])


def _key_ref(school: str, key_id: str | None, secret_file: str | None,
             secret_env: str | None) -> outbox.SecretRef:
    if not key_id or not key_id.strip():
        raise UsageError("een http-koppeling heeft een sleutel-id nodig (--key-id)")
    if bool(secret_file) == bool(secret_env):
        raise UsageError("geef het geheim met precies een van --secret-file PAD of --secret-env NAAM")
    ref = outbox.SecretRef(key_id.strip(),
                           str(Path(secret_file).resolve()) if secret_file else None,
                           secret_env or None)
    _read_secret(school, ref)      # fails now, naming the school, when it cannot be read
    return ref


# -- pushing -----------------------------------------------------------------------------------

def _schools(store: Store, school: str | None) -> list[outbox.Connector]:
    if school is not None:
        _check_school(store, school)
        found = outbox.get_connector(store, school)
        if found is None:
            raise UsageError(f"school {school} heeft geen portaalkoppeling; acties wachten tot"
                             " die er is (moderator portal connect)")
        return [found]
    return outbox.list_connectors(store)


def push(store: Store, actor: Actor, school: str | None = None, *, max_wait: float = 0.0,
         backoff: Backoff | None = None, timeout: float = 10.0,
         sleep: Callable[[float], None] = time.sleep) -> list[PushReport]:
    """Deliver what is due for each connected school (or one). Retries that fall due
    within ``max_wait`` seconds are waited for; later ones are left for the next push."""
    backoff = backoff or Backoff()
    reports = []
    for connector in _schools(store, school):
        report = PushReport(connector.school_id, connector.kind)
        if not _has_work(store, connector, max_wait):
            reports.append(report)      # nothing due: no lease taken, nothing written
            continue
        owner = outbox.lease_owner_id()
        if not outbox.take_lease(store, connector.school_id, owner, LEASE_SECONDS):
            report.busy = True
            reports.append(report)
            continue
        try:
            if connector.kind == "http":
                _push_http(store, actor, connector, report, owner, max_wait, backoff, timeout,
                           sleep)
            else:
                _push_folder(store, actor, connector, report)
        finally:
            outbox.release_lease(store, connector.school_id, owner)
        reports.append(report)
    return reports


def _has_work(store: Store, connector: outbox.Connector, max_wait: float) -> bool:
    """Whether a push for this school would do anything now (a read, no write): an action
    due within ``max_wait``, a known connection error to clear, or receipts to read."""
    if connector.kind == "folder":
        if folder_io.receipt_files(connector.folder or ""):
            return True
        statuses: tuple[str, ...] = ("pending", "failing")
    else:
        statuses = outbox.HTTP_DUE
    upcoming = outbox.next_due_at(store, connector.school_id, statuses)
    return upcoming is not None and upcoming <= clock.unix_time() + max_wait


def _count(report: PushReport, outcome: outbox.Outcome) -> None:
    report.attempted += 1
    if outcome.status == "done":
        report.done += 1
    elif outcome.status == "accepted":
        report.accepted += 1
    elif outcome.status == "refused":
        report.refused += 1
    elif outcome.status == "failing":
        report.failing += 1


def _outcome(action: outbox.Action, reply: Reply, backoff: Backoff) -> outbox.Outcome:
    """What a reply means for the action (its attempt is already counted)."""
    outcome = _classify_reply(action, reply, backoff)
    return replace(outcome, attempted=False)


def _classify_reply(action: outbox.Action, reply: Reply, backoff: Backoff) -> outbox.Outcome:
    now = clock.unix_time()
    body = reply.body or {}
    if reply.kind == "done":
        flags = {k: True for k in ("superseded", "already_absent") if body.get(k) is True}
        done_at = body.get("done_at") if isinstance(body.get("done_at"), str) else None
        return outbox.Outcome(action.id, "done", receipt=body,
                              done_at=one_line(done_at, 40) if done_at else clock.now_iso(),
                              extra=flags)
    if reply.kind == "accepted":
        return outbox.Outcome(action.id, "accepted",
                              next_attempt_at=now + backoff.poll_delay(action.attempts))
    if reply.kind == "refused":
        return outbox.Outcome(action.id, "refused", receipt=body,
                              error=reply.message or "geweigerd door het portaal")
    delay = backoff.retry_delay(action.attempts + 1, reply.retry_after)
    status = "accepted" if action.status == "accepted" else "failing"
    return outbox.Outcome(action.id, status, next_attempt_at=now + delay, error=reply.message)


def _push_http(store: Store, actor: Actor, connector: outbox.Connector, report: PushReport,
               owner: str, max_wait: float, backoff: Backoff, timeout: float,
               sleep: Callable[[float], None]) -> None:
    school = connector.school_id
    try:
        keys = load_keys(connector)
    except ConnectorError as error:
        report.error = str(error)
        outbox.set_connector_state(store, school, error=str(error), actor=actor.username)
        return
    deadline = clock.unix_time() + max_wait
    pause_until = 0.0
    with HttpConnector(connector.base_url or "", keys, school=school,
                       ca_file=connector.ca_file, timeout=timeout) as http:
        while True:
            now = clock.unix_time()
            due = outbox.due_actions(store, school, now, BATCH) if now >= pause_until else []
            if not due:
                upcoming = outbox.next_due_at(store, school)
                if upcoming is None:
                    return
                wake = max(upcoming, pause_until)
                if wake > deadline or (wake <= now and now >= pause_until):
                    return       # later than we wait for (or nothing we may send now)
                sleep(max(0.0, min(wake - now, LEASE_SECONDS / 4)))
                if not outbox.take_lease(store, school, owner, LEASE_SECONDS):
                    return
                continue
            outcomes: list[outbox.Outcome] = []
            refused_connection: str | None = None
            answered = False
            started = clock.unix_time()
            outbox.count_attempts(store, [a.id for a in due])
            sent = 0
            for action in due:
                sent += 1
                if action.status == "accepted":
                    reply = http.get_action(action.id)
                    if reply.kind == "unknown":
                        reply = http.post_action(action.payload(attempt=True))
                else:
                    reply = http.post_action(action.payload(attempt=True))
                if reply.kind == "auth":
                    refused_connection = reply.message
                    sent -= 1
                    break
                outcome = _outcome(action, reply, backoff)
                outcomes.append(outcome)
                _count(report, outcome)
                answered = answered or reply.kind in ("done", "accepted", "refused")
                if reply.server_wide:
                    pause_until = outcome.next_attempt_at or 0.0
                    break
                if clock.unix_time() - started > LEASE_SECONDS / 4:
                    break
            outbox.count_attempts(store, [a.id for a in due[sent:]], -1)
            outbox.record(store, actor.username, outcomes)
            if refused_connection:
                message = f"school {school}: {refused_connection}"
                report.error = message
                outbox.set_connector_state(store, school, error=message, actor=actor.username)
                return
            if answered:
                outbox.set_connector_state(store, school, error=None, actor=actor.username)
            if not outbox.take_lease(store, school, owner, LEASE_SECONDS):
                return


def _push_folder(store: Store, actor: Actor, connector: outbox.Connector,
                 report: PushReport) -> None:
    root = Path(connector.folder or "")
    school = connector.school_id
    if not root.is_dir():
        message = f"school {school}: portaalmap {root} bestaat niet (meer)"
        report.error = message
        outbox.set_connector_state(store, school, error=message, actor=actor.username)
        return
    try:
        report.receipts = apply_receipts(store, actor, connector)
    except InputError as error:
        report.error = str(error)
    due = outbox.due_actions(store, school, clock.unix_time(), 100_000,
                             statuses=("pending", "failing"))
    if not due:
        return
    try:
        path = folder_io.write_delivery(root, [a.payload() for a in due])
    except OSError as error:
        message = f"school {school}: kan niet schrijven in {root / folder_io.OUTBOX}: {os_reason(error)}"
        report.error = report.error or message
        outbox.record(store, actor.username, [
            outbox.Outcome(a.id, "failing", error=message,
                           next_attempt_at=clock.unix_time() + Backoff().retry_delay(a.attempts + 1))
            for a in due])
        outbox.set_connector_state(store, school, error=message, actor=actor.username)
        return
    outbox.record(store, actor.username, [
        outbox.Outcome(a.id, "sent", extra={"file": path.name}) for a in due])
    report.delivered += len(due)
    report.attempted += len(due)
    report.files.append(str(path))
    if report.error is None:
        outbox.set_connector_state(store, school, error=None, actor=actor.username)


def apply_receipts(store: Store, actor: Actor, connector: outbox.Connector) -> int:
    """Apply every complete receipts file in name order and move it to ``receipts/read/``.
    A bad file is refused whole (InputError naming file and line): nothing of it is
    applied and it stays where it is; files before it are applied."""
    applied = 0
    for path in folder_io.receipt_files(connector.folder or ""):
        receipts = folder_io.read_receipts(path)
        known = outbox.find_actions(store, (r.id for r in receipts))
        for receipt in receipts:
            found = known.get(receipt.id)
            if found is None or found.school_id != connector.school_id:
                raise InputError(str(path), receipt.line,
                                 f"onbekende actie {receipt.id} voor school {connector.school_id}")
        outcomes = []
        for receipt in receipts:
            detail = {"status": receipt.status, "file": path.name, "line": receipt.line}
            if receipt.receipt is not None:
                detail["receipt"] = receipt.receipt
            if receipt.status == "done":
                outcomes.append(outbox.Outcome(
                    receipt.id, "done", attempted=False, receipt=detail,
                    done_at=receipt.done_at or clock.now_iso(), extra={"file": path.name}))
            else:
                outcomes.append(outbox.Outcome(
                    receipt.id, "refused", attempted=False, receipt=detail,
                    error=receipt.message or "geweigerd (zonder toelichting)",
                    extra={"file": path.name}))
        changed = outbox.record(store, actor.username, outcomes)
        applied += len(changed)
        folder_io.mark_read(path)
    return applied


# -- pulling -------------------------------------------------------------------------------------

def _page_records(body: bytes, source: str) -> list[tuple[int, Any]]:
    records = []
    for number, raw in enumerate(split_lines(body), start=1):
        try:
            value = parse_line(raw)
        except Bad as bad:
            raise InputError(source, number, str(bad)) from None
        if value is not None:
            records.append((number, value))
    return records


def pull(store: Store, actor: Actor, school: str | None = None, *,
         max_pages: int = MAX_PAGES, timeout: float = 30.0) -> list[PullReport]:
    """Fetch new portal data for each connected school (or one), each batch all or
    nothing; the cursor is stored in the batch's own transaction."""
    reports = []
    for connector in _schools(store, school):
        report = PullReport(connector.school_id, connector.kind, cursor=connector.cursor)
        if connector.kind == "http":
            _pull_http(store, actor, connector, report, max_pages, timeout)
        else:
            _pull_folder(store, actor, connector, report)
        reports.append(report)
    return reports


def _pull_http(store: Store, actor: Actor, connector: outbox.Connector, report: PullReport,
               max_pages: int, timeout: float) -> None:
    keys = load_keys(connector)
    cursor = connector.cursor
    with HttpConnector(connector.base_url or "", keys, school=connector.school_id,
                       ca_file=connector.ca_file, timeout=timeout) as http:
        for _ in range(max_pages):
            body, next_cursor, source = http.export(cursor)
            records = _page_records(body, source)
            if not records:
                break
            if not next_cursor:
                raise InputError(source, None, "antwoord zonder X-Next-Cursor; niets ingelezen")
            with store.write():
                summary = import_records(store, records, source=source, actor=actor,
                                         total=len(records))
                outbox.set_cursor(store, connector.school_id, next_cursor)
            cursor = next_cursor
            report.batches += 1
            report.records += summary.records
            report.added += summary.total_added
            report.cursor = cursor


def _pull_folder(store: Store, actor: Actor, connector: outbox.Connector,
                 report: PullReport) -> None:
    root = Path(connector.folder or "")
    if not root.is_dir():
        raise ConnectorError(f"school {connector.school_id}: portaalmap {root} bestaat niet (meer)")
    for path in folder_io.incoming_files(root):
        try:
            summary = import_file(store, path, actor=actor)
        except InputError as error:
            moved = folder_io.move_failed(path, str(error))
            report.failed.append(f"{error} (verplaatst naar {moved})")
            continue
        folder_io.move_done(path)
        report.batches += 1
        report.records += summary.records
        report.added += summary.total_added


# -- status and handling refused actions -----------------------------------------------------------

@dataclass(frozen=True)
class SchoolStatus:
    school: str
    connector: outbox.Connector | None
    counts: dict[str, int]
    actions: tuple[outbox.Action, ...]      # open, and refused ones nobody handled yet

    @property
    def long_failing(self) -> int:
        return sum(1 for a in self.actions
                   if a.status == "failing" and a.attempts >= LONG_FAILING_ATTEMPTS)


def status(store: Store, actor: Actor | None = None, school: str | None = None,
           limit: int = 200) -> list[SchoolStatus]:
    """Per school: its connector (no secrets: key ids and where they are read), counts per
    status, and the actions still open or refused without follow-up, in seq order."""
    schools = sorted({c.school_id for c in outbox.list_connectors(store)}
                     | set(outbox.schools_with_actions(store)))
    if school is not None:
        _check_school(store, school)
        schools = [school]
    out = []
    for school_id in schools:
        if actor is not None and not access.may_see_portal_actions(actor, school_id):
            continue
        open_actions = outbox.list_actions(
            store, school_id=school_id, statuses=(*outbox.OPEN_STATUSES, "refused"),
            limit=limit * 4)
        shown = tuple(a for a in open_actions
                      if a.status != "refused" or a.needs_attention)[:limit]
        out.append(SchoolStatus(school_id, outbox.get_connector(store, school_id),
                                outbox.counts(store, school_id), shown))
    return out


def _handled_action(store: Store, actor: Actor, action_id: str) -> outbox.Action:
    action = outbox.get_action(store, action_id)
    if not access.may_handle_portal_action(actor, action.school_id, action.group_id):
        raise PermissionDenied(
            f"{actor.username} mag portaalactie {action.id} niet afhandelen: dat mogen de"
            " beheerders van de groep en de directie van de school")
    return action


def retry(store: Store, actor: Actor, action_id: str) -> outbox.Action:
    """Send a refused action again as a new action (new id, new seq)."""
    with store.write():
        _handled_action(store, actor, action_id)
        return outbox.retry_as_new(store, action_id, actor.username)


def done_by_hand(store: Store, actor: Actor, action_id: str, note: str) -> outbox.Action:
    """Someone carried the action out in the portal by hand; the note says who and how."""
    if not note or not note.strip():
        raise UsageError("een notitie is verplicht (wie heeft het in het portaal gedaan, en wanneer?)")
    with store.write():
        _handled_action(store, actor, action_id)
        return outbox.mark_done_by_hand(store, action_id, actor.username, note.strip())


# -- for the console ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PortalSummary:
    """What the queue header shows: actions of the account's school(s) still on their way,
    failing (retried), refused without follow-up, and whether the connection fails."""

    waiting: int = 0
    failing: int = 0
    refused: int = 0
    connection_error: str | None = None

    @property
    def anything(self) -> bool:
        return bool(self.waiting or self.failing or self.refused or self.connection_error)


def summary(store: Store, actor: Actor) -> PortalSummary:
    schools = ([actor.school_id] if actor.school_id else
               [c.school_id for c in outbox.list_connectors(store)]
               + outbox.schools_with_actions(store))
    waiting = failing = refused = 0
    error = None
    for school_id in dict.fromkeys(schools):
        if not access.may_see_portal_actions(actor, school_id):
            continue
        counts = outbox.counts(store, school_id)
        waiting += counts["pending"] + counts["sent"] + counts["accepted"]
        failing += counts["failing"]
        refused += counts["refused"]
        connector = outbox.get_connector(store, school_id)
        if connector is not None and connector.last_error and error is None:
            error = connector.last_error
    return PortalSummary(waiting, failing, refused, error)


def delete_explanation(store: Store, school_ids: list[str]) -> str:
    """What happens, in order, when the moderator confirms a deletion (the dialog text)."""
    first = ("Eerst wordt een hardcopy in het dossier gemaakt; pas als die veilig op schijf"
             " staat, verdwijnt de tekst uit de wachtrij en ontstaat de opdracht om het item"
             " uit het portaal te verwijderen.")
    kinds = {c.kind if c else None
             for c in (outbox.get_connector(store, s) for s in dict.fromkeys(school_ids))}
    if kinds == {"http"}:
        then = (" Die opdracht gaat binnen enkele seconden naar het portaal; het dossier"
                " toont wanneer het portaal hem heeft uitgevoerd.")
    elif kinds == {"folder"}:
        then = (" Die opdracht wordt in de portaalmap gezet; het item verdwijnt uit het"
                " portaal zodra iemand hem daar uitvoert en dat bevestigt.")
    elif None in kinds and len(kinds) == 1:
        then = (" Deze school heeft nog geen portaalkoppeling: de opdracht wacht, dus"
                " verwijder het item intussen zelf in het portaal.")
    else:
        then = " Die opdracht gaat naar het portaal zodra de koppeling van de school dat doet."
    return first + then


def background_push(store: Store, actor: Actor) -> list[PushReport]:
    """One push round for the open console (no waiting for retries); a school whose lease
    another process holds is skipped. Does nothing without connectors."""
    if not outbox.list_connectors(store):
        return []
    reports = []
    for connector in outbox.list_connectors(store):
        if actor.school_id and connector.school_id != actor.school_id:
            continue
        try:
            reports.extend(push(store, actor, connector.school_id, timeout=5.0))
        except ConnectorError as error:
            reports.append(PushReport(connector.school_id, connector.kind, error=str(error)))
    return reports


def incident_actions(store: Store, actor: Actor, number: str) -> list[outbox.Action]:
    """The portal actions a dossier caused, in order (for its timeline)."""
    found = outbox.actions_for_incident(store, number)
    return [a for a in found if access.may_see_portal_actions(actor, a.school_id)]


def action_state(action: outbox.Action) -> str:
    """One Dutch line: what became of the action in the portal, and when."""
    from moderator import labels

    return labels.portal_action_state(action)


def item_portal_lines(store: Store, actor: Actor, item: str) -> list[str]:
    """The portal actions about one post or comment, oldest first, as one Dutch line each
    (the queue's preview: 'reageren aan/uit post=a1 (gevraagd …): wacht op het portaal')."""
    from moderator import labels

    found = outbox.actions_for_targets(store, [item]).get(item, [])
    return [labels.portal_action_line(a) for a in found
            if access.may_see_portal_actions(actor, a.school_id)]
