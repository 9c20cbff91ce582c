"""The Meldcode track: when a message points at domestic violence or child abuse, the
director puts the dossier on the track of the Meldcode huiselijk geweld en
kindermishandeling and records its five steps, each with date and author. Only the
school's director and the AVG coordinator read it; every read is in the access log; the
audit log records that a step was taken, never what it says."""

from __future__ import annotations

from moderator import text as untrusted
from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.policy import access
from moderator.policy.access import Actor
from moderator.services import dossier
from moderator.store import audit, incidents, meldcode
from moderator.store.db import Store
from moderator.store.logs import log_access
from moderator.store.meldcode import DECISIONS, STEPS, Track


def _summary(store: Store, actor: Actor, incident: int | str) -> incidents.IncidentSummary:
    summary = dossier.get_incident(store, actor, incident, log_view=False).incident
    if not access.may_read_meldcode(actor, summary.school_id):
        raise PermissionDenied("Het Meldcode-traject is alleen voor de directie en de"
                               " AVG-coördinator.")
    return summary


def start(store: Store, actor: Actor, incident: int | str) -> Track:
    with store.write():
        summary = _summary(store, actor, incident)
        if not access.may_write_meldcode(actor, summary.school_id):
            raise PermissionDenied("Alleen de directie zet een dossier op het Meldcode-traject.")
        if not meldcode.start(store, summary.id, actor.username):
            raise Conflict(f"dossier {summary.number} staat al op het Meldcode-traject")
        audit.append(store, actor.username, "meldcode.start", f"incident:{summary.number}", {},
                     summary.school_id)
    return meldcode.get_track(store, summary.id)


def record_step(store: Store, actor: Actor, incident: int | str, step: int, text: str, *,
                at: str | None = None, decision: str | None = None) -> Track:
    body = untrusted.clean(text or "").strip()
    if not body:
        raise UsageError("beschrijf wat er in deze stap is gedaan")
    if step not in STEPS:
        raise UsageError("een stap is 1 tot en met 5")
    if (step == 5) != (decision is not None):
        raise UsageError("stap 5 vraagt een besluit (melden of hulp); de andere stappen niet")
    if decision is not None and decision not in DECISIONS:
        raise UsageError(f"kies een besluit: {', '.join(DECISIONS)}")
    when = dossier.parse_at(at)
    with store.write():
        summary = _summary(store, actor, incident)
        if not access.may_write_meldcode(actor, summary.school_id):
            raise PermissionDenied("Alleen de directie legt stappen van de Meldcode vast.")
        track = meldcode.get_track(store, summary.id)
        if track is None:
            raise Conflict(f"dossier {summary.number} staat niet op het Meldcode-traject")
        if track.next_step != step:
            expected = track.next_step
            raise Conflict(f"stap {step} kan nu niet; " + (
                f"de volgende stap is {expected}: {STEPS[expected]}" if expected
                else "alle vijf stappen zijn vastgelegd"))
        meldcode.add_step(store, summary.id, step, when, actor.username, body, decision)
        audit.append(store, actor.username, "meldcode.step", f"incident:{summary.number}",
                     {"step": step, "decision": decision}, summary.school_id)
    return meldcode.get_track(store, summary.id)


def read_track(store: Store, actor: Actor, incident: int | str) -> Track | None:
    """The track of a dossier (None when it is not on it); the read is logged."""
    summary = _summary(store, actor, incident)
    track = meldcode.get_track(store, summary.id)
    log_access(store, actor, "meldcode_view", incident_id=summary.id,
               person_id=summary.person_id)
    return track
