"""Subject access (AVG art. 15): the AVG coordinator finds a person, reads everything the
moderator stores about them, and exports it as JSON and a readable Dutch PDF.

The store collects (:mod:`moderator.store.subject_access`), the archive renders
(:mod:`moderator.archive.subject_pdf`) and writes durably
(:mod:`moderator.archive.durable`). Every search and view is in the access log; an
export is in the access log and the audit log.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from moderator import clock, labels, text
from moderator.archive import durable
from moderator.archive.subject_pdf import render_subject_pdf
from moderator.errors import UsageError
from moderator.policy.access import Actor, require_avg
from moderator.store import audit, directory, subject_requests
from moderator.store import subject_access as rows
from moderator.store.db import Store
from moderator.store.logs import log_access
from moderator.store.subject_access import PersonHit, SubjectReport

__all__ = ["WITHHELD", "Decision", "Passage", "PersonHit", "SubjectExport", "SubjectReport",
           "export_subject", "find_people", "third_party_passages", "view_subject"]

# What a withheld passage reads in the JSON and the PDF.
WITHHELD = "[weggelaten: gegevens van een ander]"
DEFAULT_GROUND = "niet beoordeeld: uit voorzorg weggelaten (AVG art. 15 lid 4)"
THIRD_ROLES = {"pupil": "leerling", "parent": "ouder", "external": "externe gebruiker",
               "mr_member": "(G)MR-lid"}
CONSULTATION = "consultation"


@dataclass(frozen=True)
class Passage:
    """A passage of an export that names or quotes someone other than the subject."""
    key: str            # where in the export, e.g. "flags_about.0.note"
    section: str        # Dutch: "Melding over een bericht", "Dossier INC-...: overleg", ...
    why: str            # Dutch: whose data it is ("toelichting van een melder", "noemt ...")
    text: str


@dataclass(frozen=True)
class Decision:
    withhold: bool
    ground: str

# The export is handed to the person it is about: readable and writable by its owner.
EXPORT_MODE = 0o600


@dataclass(frozen=True)
class SubjectExport:
    report: SubjectReport
    json_path: Path
    pdf_path: Path
    json_sha256: str
    pdf_sha256: str


def find_people(store: Store, actor: Actor, query: str, limit: int = 50) -> list[PersonHit]:
    """People whose id or name contains ``query`` (for picking the data subject); logged."""
    require_avg(actor, "personen zoeken voor een inzageverzoek")
    query = (query or "").strip()
    if not query:
        return []
    hits = rows.find_people(store, query, limit)
    log_access(store, actor, "person_search", detail={"query": query, "rows": len(hits)})
    return hits


def view_subject(store: Store, actor: Actor, person_id: str) -> SubjectReport:
    """Gather a person's data for the AVG coordinator to read; logged."""
    require_avg(actor, "de gegevens van een persoon inzien (inzageverzoek)")
    data = rows.collect(store, person_id)
    log_access(store, actor, "subject_view", person_id=person_id)
    return SubjectReport(person_id, data["person"]["name"], clock.now_iso(), actor.username, data)


def _names_in(value: str, others: list[directory.ThirdParty]) -> list[str]:
    found = []
    for other in others:
        if other.name and re.search(rf"(?<!\w){re.escape(other.name)}(?!\w)", value, re.IGNORECASE):
            found.append(f"{other.name} ({THIRD_ROLES.get(other.role, labels.role(other.role))})")
    # A first name alone names someone too ("Eva zei ..."), when it is not the subject's.
    return found


def _passages(store: Store, person_id: str, data: dict) -> list[Passage]:
    others = directory.third_parties(store, person_id)
    found: list[Passage] = []

    def names(value) -> list[str]:
        return _names_in(str(value or ""), others)

    for n, flag in enumerate(data.get("flags_about", [])):
        if flag.get("note"):
            found.append(Passage(f"flags_about.{n}.note", "Melding over een bericht van de persoon",
                                 "toelichting van een melder (een ander)", flag["note"]))
    for i, incident in enumerate(data.get("incidents", [])):
        where = f"Dossier {incident.get('number')}"
        if incident.get("outcome") and names(incident["outcome"]):
            found.append(Passage(f"incidents.{i}.outcome", f"{where}: uitkomst",
                                 "noemt " + ", ".join(names(incident["outcome"])),
                                 incident["outcome"]))
        for e, event in enumerate(incident.get("events", [])):
            if not event.get("text"):
                continue
            kind = labels.event_kind(event.get("kind"))
            if event.get("kind") == CONSULTATION:
                found.append(Passage(f"incidents.{i}.events.{e}.text", f"{where}: {kind}",
                                     "intern overleg van de school", event["text"]))
            elif names(event["text"]):
                found.append(Passage(f"incidents.{i}.events.{e}.text", f"{where}: {kind}",
                                     "noemt " + ", ".join(names(event["text"])), event["text"]))
    for n, event in enumerate(data.get("events_named", [])):
        if event.get("text"):
            found.append(Passage(f"events_named.{n}.text",
                                 f"Dossier {event.get('incident')} over een ander",
                                 "aantekening in het dossier van een ander", event["text"]))
    return found


def third_party_passages(store: Store, actor: Actor, person_id: str) -> list[Passage]:
    """Every passage an export would hold that names or quotes someone other than the
    subject (reporters' notes, other parents and pupils, internal consultations), for the
    coordinator to keep or withhold (AVG art. 15(4)); logged as a view."""
    require_avg(actor, "een inzageverzoek voorbereiden")
    data = rows.collect(store, person_id)
    log_access(store, actor, "subject_view", person_id=person_id,
               detail={"passages": "third_party"})
    return _passages(store, person_id, data)


def _set(data: dict, key: str, value) -> None:
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[parts[-1]] = value


def _by_name(store: Store, data: dict) -> None:
    """Accounts in the export become names with a role ("Directeur Carla (Directie)")."""
    from moderator.services.audit_readable import who_label

    spots = []
    for incident in data.get("incidents", []):
        spots += [(incident, "opened_by")] + [(e, "author") for e in incident.get("events", [])]
        spots += [(h, "created_by") for h in incident.get("hardcopies", [])]
    spots += [(e, "author") for e in data.get("events_named", [])]
    spots += [(line, "actor") for line in data.get("access_log", []) + data.get("audit_entries", [])]
    spots += [(item, "deleted_by") for item in data.get("posts", []) + data.get("comments", [])]
    spots += [(flag, "closed_by") for flag in data.get("flags_reported", []) + data.get(
        "flags_about", [])]
    names = {str(record[key]) for record, key in spots if record.get(key)}
    found = directory.lookup(store, accounts=names, people=names)
    for record, key in spots:
        if record.get(key):
            record[key] = who_label(str(record[key]), found)


def _safe_name(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", value)[:60] or "persoon"


def _free_stem(out: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ... when a JSON or PDF of that name is already there."""
    candidate, n = stem, 2
    while (out / f"{candidate}.json").exists() or (out / f"{candidate}.pdf").exists():
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def export_subject(store: Store, actor: Actor, person_id: str, out_dir: str | Path, *,
                   decisions: dict[str, Decision] | None = None,
                   request_id: int | None = None) -> SubjectExport:
    """Write ``inzage-<person>-<date>.json`` and ``.pdf`` into ``out_dir``; logged.

    Every passage about someone else (:func:`third_party_passages`) is kept or withheld
    as ``decisions`` says; one without a decision is withheld. A withheld passage reads
    :data:`WITHHELD` in both files, and the export records what was withheld and why.
    With ``request_id`` the request is marked answered."""
    require_avg(actor, "de gegevens van een persoon exporteren (inzageverzoek)")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is geen map.")
    decisions = decisions or {}
    if request_id is not None:
        request = subject_requests.get(store, request_id)
        if request.person_id != person_id:
            raise UsageError(f"Inzageverzoek {request_id} gaat over een andere persoon.")
    data = rows.collect(store, person_id)
    passages = _passages(store, person_id, data)
    unknown = set(decisions) - {p.key for p in passages}
    if unknown:
        raise UsageError("Onbekende passage(s): " + ", ".join(sorted(unknown)))
    withheld, kept = [], []
    for passage in passages:
        decision = decisions.get(passage.key, Decision(True, DEFAULT_GROUND))
        record = {"passage": passage.key, "section": passage.section, "why": passage.why,
                  "ground": text.one_line(decision.ground) or DEFAULT_GROUND}
        if decision.withhold:
            _set(data, passage.key, WITHHELD)
            withheld.append(record)
        else:
            kept.append(record)
    _by_name(store, data)
    data["withheld"] = withheld
    role = labels.account_role(actor.role)
    generated_by = f"{actor.name} ({role})" if actor.name and actor.name != role else role
    report = SubjectReport(person_id, data["person"]["name"], clock.now_iso(), generated_by, data)
    stem = f"inzage-{_safe_name(person_id)}-{clock.now().strftime('%Y%m%d-%H%M%S')}"
    payload = {"generated_at": report.generated_at, "generated_by": report.generated_by,
               "person_id": person_id, "kept_third_party": kept, **data}
    json_bytes = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    pdf_bytes = render_subject_pdf(report)
    stem = _free_stem(out, stem)
    json_path, pdf_path = out / f"{stem}.json", out / f"{stem}.pdf"
    durable.write_durably(json_path, json_bytes, mode=EXPORT_MODE)
    durable.write_durably(pdf_path, pdf_bytes, mode=EXPORT_MODE)
    json_sha = hashlib.sha256(json_bytes).hexdigest()
    pdf_sha = hashlib.sha256(pdf_bytes).hexdigest()
    with store.write():
        log_access(store, actor, "subject_export", person_id=person_id,
                   detail={"json_sha256": json_sha, "pdf_sha256": pdf_sha})
        audit.append(store, actor.username, "subject.export", f"person:{person_id}",
                     {"json_sha256": json_sha, "pdf_sha256": pdf_sha, "counts": report.counts(),
                      "withheld": [{"passage": w["passage"], "ground": w["ground"]}
                                   for w in withheld],
                      "kept": [{"passage": k["passage"], "ground": k["ground"]} for k in kept],
                      "request": request_id},
                     data["person"]["school_id"])
        if request_id is not None:
            subject_requests.answer(store, request_id,
                                    answered_on=clock.local(clock.now()).date().isoformat(),
                                    export_sha256=json_sha, withheld=withheld)
            audit.append(store, actor.username, "subject.request_answered",
                         f"request:{request_id}", {"person": person_id,
                                                   "withheld": len(withheld)},
                         data["person"]["school_id"])
    return SubjectExport(report, json_path, pdf_path, json_sha, pdf_sha)
