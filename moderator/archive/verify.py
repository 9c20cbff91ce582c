"""Verify the archive and the dossier against the hash-chained audit log.

The chain is the reference, not the tables: anyone with the database file can update a
``hardcopies`` row, but not an audit entry without breaking the chain. So the expected
archive is derived from the chain (``item.delete``, ``incident.export`` and
``letter.draft`` entries name each file's path, size and SHA-256; ``incident.destroy``
entries what was destroyed), and every timeline entry's content hash comes from the audit
entry of the transaction that wrote it (``chained_events``). Named:

* files that are missing, altered, not read-only (0444) or not expected at all (the only
  tolerated extra names are the temp files of deletions in progress, in their folder);
* ``hardcopies``/``exports``/``letters`` rows that differ from their chain entry or have none;
* dossier entries changed, removed (other than by a chained destruction) or added
  without a chain entry; destruction records the chain does not know;
* settings that differ from their last chained value;
* append-only triggers that are missing or replaced;
* breaks in the chain itself, and a chain that lost its tail or was rewritten compared
  with the witness file kept outside the database (moderator.store.witness) or with an
  anchor typed by hand.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from moderator.archive.durable import READ_ONLY, temp_path
from moderator.errors import os_reason
from moderator.store import audit, integrity
from moderator.store import witness as witness_file
from moderator.store.audit import ChainProblem
from moderator.store.db import Store

WORKERS = 2
BATCH = 64
CHUNK = 1 << 20
# Names allowed at the archive's root only: the deletions' (empty) lock file, and the
# placeholder that keeps the repository's default archives/ folder in git.
ROOT_FILES = {".delete-lock", ".gitkeep"}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FileProblem:
    path: str          # relative to the archive folder
    problem: str       # 'missing', 'altered', 'unknown'
    detail: str = ""


@dataclass(frozen=True)
class Finding:
    kind: str          # a key of moderator.labels.VERIFY_FINDINGS
    subject: str       # a path, 'aantekening 12', a trigger name, ...
    detail: str


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    missing: tuple[FileProblem, ...] = ()
    altered: tuple[FileProblem, ...] = ()
    unknown: tuple[FileProblem, ...] = ()
    chain: tuple[ChainProblem, ...] = ()
    anchor: tuple[int, str] | None = None
    anchor_ok: bool | None = None          # None when no anchor was given
    audit_entries: int = 0
    findings: tuple[Finding, ...] = ()
    witness: tuple[int, str] | None = None  # the newest head in the witness file
    extra: dict = field(default_factory=dict)
    letters: int = 0                       # of ``checked``, how many were letters

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.unknown or self.chain
                    or self.findings or self.anchor_ok is False)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "checked": self.checked, "letters": self.letters,
            "audit_entries": self.audit_entries,
            "missing": [p.path for p in self.missing],
            "altered": [{"path": p.path, "detail": p.detail} for p in self.altered],
            "unknown": [p.path for p in self.unknown],
            "chain": [{"seq": c.seq, "problem": c.problem} for c in self.chain],
            "findings": [{"kind": f.kind, "subject": f.subject, "detail": f.detail}
                         for f in self.findings],
            "witness": None if self.witness is None else
            {"seq": self.witness[0], "hash": self.witness[1]},
            "anchor": None if self.anchor is None else
            {"seq": self.anchor[0], "hash": self.anchor[1], "found": self.anchor_ok},
        }


def sha256_file(path: str | os.PathLike, expected_size: int = -1) -> tuple[int, str]:
    """(size, hex digest) of a file. With the expected size the whole file is read in
    one call; os.read and hashlib both release the GIL, so threads hash in parallel."""
    digest = hashlib.sha256()
    size = 0
    want = expected_size + 1 if 0 <= expected_size < (64 << 20) else CHUNK
    fd = os.open(path, os.O_RDONLY)
    try:
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            size += len(chunk)
            digest.update(chunk)
            want = CHUNK
    finally:
        os.close(fd)
    return size, digest.hexdigest()


def parse_anchor(value: str) -> tuple[int, str]:
    seq, sep, digest = value.partition(":")
    digest = digest.strip().lower()
    if not sep or not seq.strip().isdigit() or len(digest) != 64 or any(
            c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"anker moet SEQ:HASH zijn (volgnummer en 64 hexadecimale tekens), niet {value!r}")
    return int(seq), digest


# -- what the chain says ----------------------------------------------------------------------

@dataclass(frozen=True)
class _ChainFile:
    path: str
    sha256: str
    size: int | None          # None in entries from before sizes were chained
    table: str                # 'hardcopies', 'exports' or 'letters'
    incident_number: str | None
    item: str | None
    item_sha256: str | None
    seq: int


@dataclass
class _Expected:
    files: dict[str, _ChainFile] = field(default_factory=dict)
    events: dict[int, tuple[str, str | None, int]] = field(default_factory=dict)
    destroyed: dict[str, int] = field(default_factory=dict)     # incident number -> seq
    settings: dict[str, tuple[str, int]] = field(default_factory=dict)
    closed: dict[str, tuple[dict, int]] = field(default_factory=dict)   # number -> detail
    holds: dict[str, tuple[bool, int]] = field(default_factory=dict)
    hashes_destroyed: set[str] = field(default_factory=set)
    # A path or entry chained twice: an appended entry that tries to re-record a file or
    # an entry with new content (the console never records one twice).
    twice: list[tuple[str, int, int]] = field(default_factory=list)


def _incident_of(entry: audit.AuditEntry) -> str | None:
    if entry.subject.startswith("incident:"):
        return entry.subject.partition(":")[2]
    found = entry.detail.get("incident")
    return found if isinstance(found, str) else None


def _number_in_path(path: str) -> str | None:
    parts = path.split("/")
    return parts[2] if len(parts) >= 4 else None


def expected_from_chain(entries: list[audit.AuditEntry]) -> _Expected:
    out = _Expected()
    for e in entries:
        d = e.detail if isinstance(e.detail, dict) else {}
        number = _incident_of(e)
        if e.action == "item.delete" and isinstance(d.get("path"), str) and d.get("sha256"):
            size = d.get("size")
            if d["path"] in out.files:
                out.twice.append((d["path"], out.files[d["path"]].seq, e.seq))
            out.files[d["path"]] = _ChainFile(
                d["path"], str(d["sha256"]), size if isinstance(size, int) else None,
                "hardcopies", number or _number_in_path(d["path"]), e.subject,
                d.get("item_sha256"), e.seq)
        elif e.action == "incident.export" and isinstance(d.get("path"), str) and d.get("sha256"):
            size = d.get("size")
            if d["path"] in out.files:
                out.twice.append((d["path"], out.files[d["path"]].seq, e.seq))
            out.files[d["path"]] = _ChainFile(
                d["path"], str(d["sha256"]), size if isinstance(size, int) else None,
                "exports", number, None, None, e.seq)
        elif e.action == "letter.draft" and isinstance(d.get("path"), str) and d.get("sha256"):
            size = d.get("size")
            if d["path"] in out.files:
                out.twice.append((d["path"], out.files[d["path"]].seq, e.seq))
            out.files[d["path"]] = _ChainFile(
                d["path"], str(d["sha256"]), size if isinstance(size, int) else None,
                "letters", number, None, None, e.seq)
        elif e.action == "incident.destroy" and number:
            out.destroyed[number] = e.seq
            for key in ("hardcopy_sha256", "export_sha256", "letter_sha256"):
                out.hashes_destroyed.update(h for h in d.get(key) or () if isinstance(h, str))
        elif e.action == "integrity.seal":
            for sealed in d.get("events") or ():
                if isinstance(sealed, list) and len(sealed) >= 2:
                    if int(sealed[0]) in out.events:
                        out.twice.append((f"aantekening {sealed[0]}",
                                          out.events[int(sealed[0])][2], e.seq))
                    out.events[int(sealed[0])] = (
                        str(sealed[1]), sealed[2] if len(sealed) > 2 else None, e.seq)
        for chained in d.get("chained_events") or ():
            if isinstance(chained, list) and len(chained) >= 2 and isinstance(chained[0], int):
                if chained[0] in out.events:
                    out.twice.append((f"aantekening {chained[0]}", out.events[chained[0]][2],
                                      e.seq))
                out.events[chained[0]] = (
                    str(chained[1]), chained[2] if len(chained) > 2 else None, e.seq)
        if e.action == "incident.close" and number:
            out.closed[number] = (d, e.seq)
        elif e.action in ("incident.hold", "incident.hold_release") and number:
            out.holds[number] = (e.action == "incident.hold", e.seq)
        if e.subject.startswith("setting:") and isinstance(d.get("to"), int | str) \
                and not isinstance(d.get("to"), bool):
            out.settings[e.subject.partition(":")[2]] = (str(d["to"]), e.seq)
    return out


# -- the checks -------------------------------------------------------------------------------

def _check_file(root: str, item: _ChainFile) -> list[FileProblem | Finding]:
    full = os.path.join(root, item.path)
    try:
        info = os.lstat(full)
    except FileNotFoundError:
        return [FileProblem(item.path, "missing",
                            f"bestand niet gevonden (auditlog regel {item.seq})")]
    except OSError as error:
        return [FileProblem(item.path, "missing", f"onleesbaar ({os_reason(error)})")]
    found: list[FileProblem | Finding] = []
    if not stat.S_ISREG(info.st_mode):
        return [FileProblem(item.path, "altered", "geen gewoon bestand (map of koppeling)")]
    mode = stat.S_IMODE(info.st_mode)
    if mode != READ_ONLY:
        found.append(Finding("rechten", item.path,
                             f"rechten {mode:04o} in plaats van {READ_ONLY:04o} (alleen-lezen)"))
    try:
        actual_size, actual = sha256_file(full, item.size if item.size is not None else -1)
    except OSError as error:
        found.append(FileProblem(item.path, "missing", f"onleesbaar ({os_reason(error)})"))
        return found
    if actual != item.sha256:
        detail = f"sha256 {actual} in plaats van {item.sha256} (auditlog regel {item.seq})"
        if item.size is not None and actual_size != item.size:
            detail += f"; grootte {actual_size} in plaats van {item.size}"
        found.append(FileProblem(item.path, "altered", detail))
    return found


def _check_rows(store: Store, expected: _Expected) -> list[Finding]:
    found: list[Finding] = []
    rows = {r.path: r for r in integrity.stored_files(store)}
    for path, row in sorted(rows.items()):
        chained = expected.files.get(path)
        if chained is None or chained.table != row.table:
            found.append(Finding("register", path, f"rij in {row.table} staat niet in het auditlog"))
            continue
        differs = []
        if row.sha256 != chained.sha256:
            differs.append("sha256")
        if chained.size is not None and row.size != chained.size:
            differs.append("grootte")
        if chained.table == "hardcopies":
            if chained.item and row.item != chained.item:
                differs.append("item")
            if chained.item_sha256 and row.item_sha256 != chained.item_sha256:
                differs.append("tekst-hash")
        if differs:
            found.append(Finding("register", path, f"{', '.join(differs)} in {row.table} wijkt af"
                                 f" van auditlog regel {chained.seq}"))
    for path, chained in sorted(expected.files.items()):
        if path not in rows and chained.incident_number not in expected.destroyed:
            found.append(Finding("register", path, f"rij in {chained.table} ontbreekt"
                                 f" (auditlog regel {chained.seq}, niet vernietigd)"))
    return found


def _check_events(store: Store, expected: _Expected) -> list[Finding]:
    found: list[Finding] = []
    stored = {e.id: e for e in integrity.stored_events(store)}
    for event_id, row in sorted(stored.items()):
        chained = expected.events.get(event_id)
        if chained is None:
            found.append(Finding("dossier", f"aantekening {event_id}",
                                 "staat niet in het auditlog (buiten de console toegevoegd)"))
        elif chained[0] != row.sha256:
            found.append(Finding("dossier", f"aantekening {event_id}",
                                 f"inhoud gewijzigd (wijkt af van auditlog regel {chained[2]})"))
    for event_id, (_digest, number, seq) in sorted(expected.events.items()):
        if event_id in stored or (number is not None and number in expected.destroyed):
            continue
        found.append(Finding("dossier", f"aantekening {event_id}",
                             f"verwijderd zonder vernietiging in het auditlog (regel {seq})"))
    return found


def _check_incidents(store: Store, expected: _Expected) -> list[Finding]:
    """Closure, retention date, outcome and legal hold as the chain recorded them (a
    retention date moved forward or a hold lifted by hand would open early destruction)."""
    found: list[Finding] = []
    for inc in integrity.stored_incidents(store):
        closed = expected.closed.get(inc.number)
        if inc.status == "closed" and closed is None:
            found.append(Finding("dossier", inc.number,
                                 "gesloten zonder afsluiting in het auditlog"))
        elif closed is not None:
            detail, seq = closed
            if inc.status != "closed":
                found.append(Finding("dossier", inc.number,
                                     f"weer geopend buiten de console (auditlog regel {seq})"))
            if "retention_until" in detail and inc.retention_until != detail["retention_until"]:
                found.append(Finding("dossier", inc.number,
                                     f"bewaartermijn wijkt af van auditlog regel {seq}"))
            if detail.get("outcome_sha256") and inc.outcome_sha256 != detail["outcome_sha256"]:
                found.append(Finding("dossier", inc.number,
                                     f"uitkomst gewijzigd (wijkt af van auditlog regel {seq})"))
        hold = expected.holds.get(inc.number)
        if inc.legal_hold != (hold[0] if hold else False):
            where = f" (auditlog regel {hold[1]})" if hold else ""
            found.append(Finding("dossier", inc.number,
                                 f"bewaarplicht wijkt af van het auditlog{where}"))
    return found


def _check_destructions(store: Store, expected: _Expected) -> list[Finding]:
    found: list[Finding] = []
    recorded = {d.incident_number for d in integrity.stored_destructions(store)}
    for d in integrity.stored_destructions(store):
        if d.incident_number not in expected.destroyed:
            found.append(Finding("vernietiging", d.incident_number,
                                 "vernietigingsverklaring zonder vernietiging in het auditlog"))
    for number, seq in sorted(expected.destroyed.items()):
        if number not in recorded:
            found.append(Finding("vernietiging", number,
                                 f"vernietigingsverklaring ontbreekt (auditlog regel {seq})"))
    return found


def _check_settings(store: Store, expected: _Expected) -> list[Finding]:
    stored = integrity.stored_settings(store)
    found = []
    for key, (value, seq) in sorted(expected.settings.items()):
        if stored.get(key) != value:
            found.append(Finding("instelling", key,
                                 f"waarde wijkt af van auditlog regel {seq}"))
    return found


def _check_witness(store: Store, entries: list[audit.AuditEntry]
                   ) -> tuple[list[Finding], tuple[int, str] | None]:
    if store.witness is None:
        return [], None
    store.witness.flush()   # this process's own pending head first
    read = witness_file.read(store.witness.path)
    where = str(read.path)
    if read.error:
        return [Finding("getuige", where, f"onleesbaar ({read.error})")], None
    head = entries[-1].seq if entries else 0
    if not read.exists:
        if head:
            return [Finding("getuige", where, "het getuigebestand ontbreekt: een ingekort"
                            " auditlog is zo niet te zien (zie README, Getuige)")], None
        return [], None
    found = [Finding("getuige", where, f"regel {n} is onleesbaar") for n in read.bad_lines[:3]]
    by_seq = {e.seq: e.hash for e in entries}
    shortened = [w for w in read.lines if w.seq > head]
    if shortened:
        newest = max(shortened, key=lambda w: w.seq)
        found.append(Finding("getuige", where, f"het auditlog eindigt bij regel {head}, maar de"
                             f" getuige kent regel {newest.seq}: het einde is afgeknipt"))
    rewritten = [w for w in read.lines if w.seq <= head and w.seq in by_seq
                 and by_seq[w.seq] != w.hash]
    for w in rewritten[:3]:
        found.append(Finding("getuige", where, f"auditlog regel {w.seq} heeft een andere hash"
                             " dan de getuige bewaarde: het log is herschreven"))
    newest = read.newest
    return found, None if newest is None else (newest.seq, newest.hash)


def _unknown(root: Path, known: set[str], temps: set[str]) -> list[FileProblem]:
    out: list[FileProblem] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            listing = sorted(os.scandir(folder), key=lambda e: e.name)
        except FileNotFoundError:
            return
        for entry in listing:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, rel + "/")
            elif rel in known or rel in temps:
                continue
            elif rel in ROOT_FILES:
                continue
            else:
                out.append(FileProblem(rel, "unknown", "staat niet in het auditlog"))

    walk(str(root), "")
    return out


def verify_archive(store: Store, progress: Progress | None = None,
                   anchor: tuple[int, str] | None = None) -> VerifyReport:
    """Check the archive, the dossier and the settings against the audit chain; report
    every difference, any break in the chain, the witness, and ``anchor`` if given."""
    root = store.archives
    entries = audit.all_entries(store)
    expected = expected_from_chain(entries)
    live = [f for f in sorted(expected.files.values(), key=lambda f: f.path)
            if f.incident_number not in expected.destroyed]
    total = len(live)
    missing: list[FileProblem] = []
    altered: list[FileProblem] = []
    findings: list[Finding] = []
    base = str(root)

    # Files are hashed in worker threads (os.read and hashlib release the GIL) while
    # this thread compares the tables with the chain; batches keep the overhead low.
    batches = [live[i:i + BATCH] for i in range(0, len(live), BATCH)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = pool.map(lambda batch: [p for f in batch for p in _check_file(base, f)],
                           batches)
        temps = {Path(temp_path(Path(p))).as_posix() for p in integrity.intent_paths(store)}
        unknown = _unknown(root, {f.path for f in live}, temps)
        tables = [Finding("register" if not what.startswith("aantekening") else "dossier", what,
                          f"twee keer vastgelegd in het auditlog (regels {first} en {second}):"
                          " een later toegevoegde regel overschrijft niets")
                  for what, first, second in expected.twice]
        tables += _check_rows(store, expected)
        tables += _check_events(store, expected)
        tables += _check_incidents(store, expected)
        tables += _check_destructions(store, expected)
        tables += _check_settings(store, expected)
        tables += [Finding("schema", name, problem)
                   for name, problem in integrity.trigger_problems(store)]
        witness_findings, witness_head = _check_witness(store, entries)
        tables += witness_findings
        chain = audit.verify_chain(store)
        done = 0
        for batch, problems in zip(batches, results, strict=True):
            done += len(batch)
            for problem in problems:
                if isinstance(problem, Finding):
                    findings.append(problem)
                elif problem.problem == "missing":
                    missing.append(problem)
                else:
                    altered.append(problem)
            if progress is not None:
                progress(done, total)
    findings += tables
    anchor_ok = None if anchor is None else audit.contains_anchor(store, *anchor)
    return VerifyReport(total, tuple(missing), tuple(altered), tuple(unknown), tuple(chain),
                        anchor, anchor_ok, len(entries), tuple(findings), witness_head,
                        letters=sum(1 for f in live if f.table == "letters"))

