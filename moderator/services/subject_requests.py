"""Subject-access requests (AVG art. 15): recorded when they arrive, the statutory month
counted from the day of receipt (AVG art. 12(3)), answered with an export.

Only the AVG coordinator records and reads them; each change is in the audit log.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from moderator import clock, text
from moderator.errors import UsageError
from moderator.policy.access import Actor, require_avg
from moderator.store import audit, subject_requests
from moderator.store import subject_access as subject_rows
from moderator.store.db import Store
from moderator.store.subject_requests import SubjectRequest

__all__ = ["RequestStatus", "SubjectRequest", "answer_request", "due_date", "list_requests",
           "record_request", "status"]


def due_date(received: date) -> date:
    """One calendar month after receipt; the 31st of a shorter month is its last day."""
    year, month = (received.year + 1, 1) if received.month == 12 else (received.year,
                                                                       received.month + 1)
    return date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def _day(value: str | None, what: str) -> date:
    if not value:
        return clock.local(clock.now()).date()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{what}: {text.one_line(value)!r} is geen datum (JJJJ-MM-DD).") from None


@dataclass(frozen=True)
class RequestStatus:
    request: SubjectRequest
    days_left: int | None        # None once answered; negative when overdue

    @property
    def label(self) -> str:
        r = self.request
        if r.answered_on:
            late = r.answered_on > r.due_on
            return f"beantwoord op {clock.display(r.answered_on)}" + (" (te laat)" if late else "")
        if self.days_left is None:
            return ""
        if self.days_left < 0:
            return f"termijn {-self.days_left} dagen verstreken"
        if self.days_left == 0:
            return "termijn verstrijkt vandaag"
        return f"nog {self.days_left} {'dag' if self.days_left == 1 else 'dagen'}"


def status(request: SubjectRequest) -> RequestStatus:
    if request.answered_on:
        return RequestStatus(request, None)
    today = clock.local(clock.now()).date()
    return RequestStatus(request, (date.fromisoformat(request.due_on) - today).days)


def record_request(store: Store, actor: Actor, person_id: str, requester: str, *,
                   received_on: str | None = None, note: str | None = None) -> RequestStatus:
    """Record a request the day it arrives (``received_on`` defaults to today)."""
    require_avg(actor, "inzageverzoeken vastleggen")
    requester = text.one_line(requester or "")
    if not requester:
        raise UsageError("Vul in wie het verzoek deed.")
    received = _day(received_on, "ontvangen op")
    if received > clock.local(clock.now()).date():
        raise UsageError(f"ontvangen op {clock.display(received.isoformat())} ligt in de toekomst.")
    with store.write():
        person = subject_rows.collect_person(store, person_id)
        found = subject_requests.add(
            store, person_id=person_id, requester=requester, received_on=received.isoformat(),
            due_on=due_date(received).isoformat(), recorded_by=actor.username,
            recorded_at=clock.now_iso(), note=note or None)
        audit.append(store, actor.username, "subject.request", f"request:{found.id}",
                     {"person": person_id, "requester": requester,
                      "received_on": found.received_on, "deadline": found.due_on},
                     person["school_id"])
    return status(found)


def list_requests(store: Store, actor: Actor, *, open_only: bool = False) -> list[RequestStatus]:
    """Open requests first, the nearest deadline first."""
    require_avg(actor, "inzageverzoeken inzien")
    return [status(r) for r in subject_requests.listing(store, open_only=open_only)]


def get_request(store: Store, actor: Actor, request_id: int) -> RequestStatus:
    require_avg(actor, "inzageverzoeken inzien")
    return status(subject_requests.get(store, request_id))


def answer_request(store: Store, actor: Actor, request_id: int, *,
                   answered_on: str | None = None, export_sha256: str | None = None,
                   withheld: list[dict] | None = None) -> RequestStatus:
    """Mark a request answered (an export does this itself when given the request)."""
    require_avg(actor, "inzageverzoeken afhandelen")
    answered = _day(answered_on, "beantwoord op")
    with store.write():
        current = subject_requests.get(store, request_id)
        if answered < date.fromisoformat(current.received_on):
            raise UsageError("beantwoord op ligt vóór de ontvangst van het verzoek.")
        found = subject_requests.answer(store, request_id, answered_on=answered.isoformat(),
                                        export_sha256=export_sha256, withheld=withheld)
        audit.append(store, actor.username, "subject.request_answered", f"request:{request_id}",
                     {"person": found.person_id, "answered_on": found.answered_on,
                      "deadline": found.due_on,
                      "withheld": len(withheld) if withheld is not None else None})
    return status(found)
