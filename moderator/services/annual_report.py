"""The yearly report for the board and the (G)MR: what was flagged and done on the
portal in a calendar year, per school and for the foundation.

Only counts, never a name or a text. A count under 5 in the report is shown as "< 5" so
that no case can be recognised; when one school's small count could be worked back from
the foundation's total, the smallest other school's count in that row is left out too
("x"). Times (to the first action on a flagged message, to closing a dossier) are the
median and the 90th percentile (nearest rank) in hours, shown only from 5 cases.

The AVG coordinator gets every school and the foundation (or one school with
``school``); a director gets her own school.
"""

from __future__ import annotations

import math
import statistics as stats
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from moderator import clock
from moderator.archive import csvkit
from moderator.archive.annual_pdf import ReportTable, render_annual
from moderator.errors import NotFound, PermissionDenied, UsageError, os_reason
from moderator.policy import access, measures
from moderator.policy.access import Actor
from moderator.policy.catalogue import REASONS, severity
from moderator.store import audit
from moderator.store import statistics as st
from moderator.store.db import Store
from moderator.store.statistics import Count, Duration

SMALL = 5
HIDDEN = "< 5"
LEFT_OUT = "x"
FOUNDATION = "Stichting"

SOURCES = {"report": "melding door een ouder", "rule": "automatische controle"}
OUTCOMES = {"deleted": "verwijderd", "dismissed": "melding afgewezen (blijft staan)",
            "open": "nog open"}
LEVELS = {"internal": "intern", "external": "extern (geëscaleerd)"}


def shown(n: int) -> str:
    return HIDDEN if n < SMALL else str(n)


def suppress_row(values: Sequence[int], with_total: bool) -> list[str]:
    """The shown values of one row of school counts (the total not included)."""
    out = [shown(n) for n in values]
    hidden = [i for i, n in enumerate(values) if 0 < n < SMALL]
    if with_total and len(values) > 1 and sum(values) >= SMALL and len(hidden) == 1 \
            and sum(1 for v in out if v == HIDDEN) == 1:
        # One hidden count is the total minus the others: leave out the smallest other.
        others = [i for i, v in enumerate(out) if v != HIDDEN]
        if others:
            out[min(others, key=lambda i: values[i])] = LEFT_OUT
    return out


def percentile(hours: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(hours)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _hours(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True)
class AnnualReport:
    year: int
    scope: str                      # Dutch: which schools
    tables: tuple[ReportTable, ...]


@dataclass(frozen=True)
class AnnualFiles:
    pdf: Path
    csvs: tuple[Path, ...]


class _Builder:
    def __init__(self, schools: list[st.School], foundation: bool):
        self.schools = schools
        self.foundation = foundation
        self.columns = tuple(s.name for s in schools) + ((FOUNDATION,) if foundation else ())

    def counts(self, code: str, title: str, key_header: str, counts: Iterable[Count],
               label: Callable[[str], str], keys: Sequence[str] = (), chart: bool = False,
               order: Callable[[str], object] | None = None, note: str = "") -> ReportTable:
        by: dict[tuple[str, str], int] = {}
        for c in counts:
            by[(c.school_id, c.key)] = by.get((c.school_id, c.key), 0) + c.n
        found = {k for _, k in by}
        all_keys = list(keys) + sorted(found - set(keys), key=order or (lambda k: k))
        rows = []
        for key in all_keys:
            values = [by.get((s.id, key), 0) for s in self.schools]
            cells = suppress_row(values, self.foundation)
            if self.foundation:
                cells.append(shown(sum(values)))
            rows.append((label(key), tuple(cells)))
        return ReportTable(code, title, key_header, self.columns, tuple(rows), chart, note)

    def durations(self, parts: Sequence[tuple[str, list[Duration]]]) -> ReportTable:
        rows = []
        for what, durations in parts:
            per = [[d.hours for d in durations if d.school_id == s.id] for s in self.schools]
            if self.foundation:
                per.append([d.hours for d in durations])
            counts = suppress_row([len(p) for p in per[:len(self.schools)]], self.foundation)
            if self.foundation:
                counts.append(shown(len(per[-1])))
            rows.append((f"{what}: aantal", tuple(counts)))
            rows.append((f"{what}: mediaan (uur)", tuple(
                _hours(stats.median(p)) if len(p) >= SMALL else "—" for p in per)))
            rows.append((f"{what}: 90e percentiel (uur)", tuple(
                _hours(percentile(p, 0.9)) if len(p) >= SMALL else "—" for p in per)))
        return ReportTable("doorlooptijden", "Doorlooptijden", "", self.columns, tuple(rows))


def _reason_label(code: str) -> str:
    return REASONS[code].label if code in REASONS else code


def _scope(store: Store, actor: Actor, school: str | None) -> tuple[list[st.School], bool]:
    if actor.role == access.AVG:
        chosen = st.schools(store, None if school is None else {school})
    elif actor.role == access.DIRECTOR and actor.school_id:
        if school is not None and school != actor.school_id:
            raise PermissionDenied("Een directeur ziet het jaarverslag van de eigen school.")
        chosen = st.schools(store, {actor.school_id})
    else:
        raise PermissionDenied("Het jaarverslag is voor de directie en de AVG-coördinator.")
    if not chosen:
        raise NotFound(f"school {school} niet gevonden" if school else "geen scholen")
    for s in chosen:
        access.require(access.may_read_annual_report(actor, s.id),
                       "Geen toegang tot het jaarverslag van deze school.")
    foundation = actor.role == access.AVG and school is None and len(chosen) > 1
    return chosen, foundation


def build_report(store: Store, actor: Actor, year: int, school: str | None = None
                 ) -> AnnualReport:
    if not 2000 <= year <= 2100:
        raise UsageError(f"ongeldig jaar {year}")
    schools, foundation = _scope(store, actor, school)
    ids = [s.id for s in schools]
    b = _Builder(schools, foundation)
    tables = [
        b.counts("redenen", "Signaleringen per reden", "Reden",
                 st.flags_by(store, "reason", year, ids), _reason_label, chart=True,
                 order=lambda k: (-severity([k]) if k in REASONS else 0, k),
                 note="Meldingen van ouders en bevindingen van de automatische controle,"
                      " naar reden."),
        b.counts("bronnen", "Signaleringen per bron", "Bron",
                 st.flags_by(store, "source", year, ids), lambda k: SOURCES.get(k, k),
                 keys=list(SOURCES), chart=True),
        b.counts("uitkomsten", "Gesignaleerde berichten per uitkomst", "Uitkomst",
                 st.flagged_items(store, year, ids), lambda k: OUTCOMES.get(k, k),
                 keys=list(OUTCOMES), chart=True),
        b.durations([
            ("Tijd tot eerste actie", st.first_action_hours(store, year, ids)),
            ("Tijd tot afsluiten dossier", st.closing_hours(store, year, ids))]),
        b.counts("dossiers", "Dossiers geopend", "Niveau",
                 st.incidents_opened(store, year, ids), lambda k: LEVELS.get(k, k),
                 keys=list(LEVELS)),
        b.counts("maatregelen", "Maatregelen", "Maatregel",
                 st.events_by_measure(store, "measure", year, ids), measures.label),
        b.counts("escalaties", "Escalaties", "Escalatie",
                 st.events_by_measure(store, "escalation", year, ids), measures.label),
        b.counts("avg", "Privacy (AVG)", "Onderwerp", [
            *st.subject_exports(store, year, ids),
            *(Count(c.school_id, f"breach_{c.key}", c.n)
              for c in st.breaches_by_decision(store, year, ids)),
            *st.destructions(store, year, ids)],
            lambda k: AVG_ROWS.get(k, k), keys=list(AVG_ROWS)),
    ]
    scope = (f"{FOUNDATION}: {', '.join(s.name for s in schools)}" if foundation
             else ", ".join(s.name for s in schools))
    return AnnualReport(year, scope, tuple(tables))


AVG_ROWS = {
    "subject_export": "inzageverzoeken beantwoord (export)",
    "breach_notify": "datalekken gemeld bij de AP",
    "breach_no_notify": "datalekken niet gemeld",
    "breach_undecided": "datalekken zonder besluit",
    "destroyed": "dossiers vernietigd",
}


def csv_bytes(table: ReportTable) -> bytes:
    return csvkit.to_csv([table.key_header or "meting", *table.columns],
                         ([label, *values] for label, values in table.rows))


def write_annual_report(store: Store, actor: Actor, year: int, out_dir: Path,
                        school: str | None = None) -> AnnualFiles:
    """Build the report and write one CSV per table and one PDF into ``out_dir``."""
    report = build_report(store, actor, year, school)
    out_dir = Path(out_dir)
    suffix = f"-{school}" if school else ""
    stem = f"jaarverslag-{year}{suffix}"
    pdf = render_annual(report.tables, year=year, scope=report.scope,
                        generated_at=clock.now_iso())
    paths = []
    try:
        for table in report.tables:
            path = out_dir / f"{stem}-{table.code}.csv"
            csvkit.write_replacing(path, csv_bytes(table))
            paths.append(path)
        pdf_path = out_dir / f"{stem}.pdf"
        csvkit.write_replacing(pdf_path, pdf)
    except OSError as error:
        raise UsageError(f"kan niet schrijven in {out_dir}: {os_reason(error)}") from None
    with store.write():
        audit.append(store, actor.username, "report.annual", f"year:{year}",
                     {"school": school, "path": str(pdf_path)}, actor.school_id)
    return AnnualFiles(pdf_path, tuple(paths))
