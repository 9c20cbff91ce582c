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

from moderator import clock
from moderator.archive import durable
from moderator.archive.subject_pdf import render_subject_pdf
from moderator.errors import UsageError
from moderator.policy.access import Actor, require_avg
from moderator.store import audit
from moderator.store import subject_access as rows
from moderator.store.db import Store
from moderator.store.logs import log_access
from moderator.store.subject_access import PersonHit, SubjectReport

__all__ = ["PersonHit", "SubjectExport", "SubjectReport", "export_subject", "find_people",
           "view_subject"]

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


def _safe_name(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", value)[:60] or "persoon"


def _free_stem(out: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ... when a JSON or PDF of that name is already there."""
    candidate, n = stem, 2
    while (out / f"{candidate}.json").exists() or (out / f"{candidate}.pdf").exists():
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def export_subject(store: Store, actor: Actor, person_id: str, out_dir: str | Path) -> SubjectExport:
    """Write ``inzage-<person>-<date>.json`` and ``.pdf`` into ``out_dir``; logged."""
    require_avg(actor, "de gegevens van een persoon exporteren (inzageverzoek)")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is geen map.")
    data = rows.collect(store, person_id)
    report = SubjectReport(person_id, data["person"]["name"], clock.now_iso(), actor.username, data)
    stem = f"inzage-{_safe_name(person_id)}-{clock.now().strftime('%Y%m%d-%H%M%S')}"
    payload = {"generated_at": report.generated_at, "generated_by": report.generated_by,
               "person_id": person_id, **data}
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
                     {"json_sha256": json_sha, "pdf_sha256": pdf_sha, "counts": report.counts()},
                     data["person"]["school_id"])
    return SubjectExport(report, json_path, pdf_path, json_sha, pdf_sha)
