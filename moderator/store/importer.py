"""Writing a portal export into the database, all or nothing.

The use case (one transaction, the scan of new and changed items, the audit entry) is
:mod:`moderator.services.importing`; this module checks and writes the records.

All or nothing: every line is checked first (shape by
:mod:`moderator.store.portal_format`, references here, in file order, against earlier
lines and rows already in the database); the first problem raises
:class:`~moderator.errors.InputError` naming the file and line, and the transaction
rolls back, so a bad file leaves the database exactly as it was.

Importing is idempotent. A record that is already known and unchanged changes nothing.
What changes on re-import:

* a post's or comment's ``body`` or ``title`` that differs from the stored text becomes
  a new revision (table ``revisions``; rev 1 is the text first seen) and the item's
  current text; the item is then scanned again;
* names, kinds, roles, e-mail, working hours, a pupil's group and consent answers are
  updated to what the portal says (counted as ``updated``);
* new admin/member/guardian links, media and reports are added; nothing is removed.

A known id whose identity differs (a post with another author or group, a comment on
another post, a group or person in another school, a media id of another post, a
report id about another item) is an error. ``created_at`` and ``comments_enabled`` of a
known post are kept (the console may have turned comments off). A deleted item that
reappears stays deleted and its text is not stored (counted as ``still_deleted``).

Speed: records are checked in memory; existing rows are looked up in bulk (one query per
table for all ids the file mentions, via ``json_each``), and rows are written with
``executemany``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from moderator import clock, labels
from moderator.errors import InputError, os_reason
from moderator.store import flags, worktime
from moderator.store.db import Store
from moderator.store.limits import DEFAULT_MAX_LINE, import_limits
from moderator.store.portal_format import STAFF_ROLES, Bad, check_record, parse_line, split_lines

# progress(phase, done, total)
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 2000

ADDED_KINDS = ("schools", "groups", "people", "admins", "members", "pupils", "guardians",
               "consents", "posts", "comments", "media", "reports", "holidays")


@dataclass(frozen=True)
class ImportSummary:
    source: str
    records: int = 0
    schools: int = 0
    groups: int = 0
    people: int = 0
    admins: int = 0
    members: int = 0
    pupils: int = 0
    guardians: int = 0
    consents: int = 0
    posts: int = 0
    comments: int = 0
    media: int = 0
    reports: int = 0          # new reports, each opened as a flag (source 'report')
    holidays: int = 0         # new school holidays
    revisions: int = 0        # new revisions of posts/comments already known
    updated: int = 0          # other known records whose details changed
    unchanged: int = 0        # known records with nothing new
    still_deleted: int = 0    # deleted items that reappeared (left deleted)
    rule_flags: int = 0       # flags the scan opened on new or changed items
    items: tuple[str, ...] = ()   # new or changed items: 'post:ID' / 'comment:ID'

    @property
    def added(self) -> dict[str, int]:
        return {kind: getattr(self, kind) for kind in ADDED_KINDS}

    @property
    def flags_opened(self) -> int:
        return self.reports + self.rule_flags

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def as_dict(self) -> dict[str, Any]:
        """The counts (``items`` as a number), e.g. for JSON or the audit log."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["items"] = len(self.items)
        return data


# -- reading a file ---------------------------------------------------------------------

def read_records(path: str | Path, source: str | None = None,
                 max_line_bytes: int = DEFAULT_MAX_LINE,
                 ) -> tuple[int, Iterator[tuple[int, Any]]]:
    """(number of lines, iterator of (line number, parsed JSON)) for an export file.
    Bad bytes or JSON, or a line longer than ``max_line_bytes``, raise InputError naming
    the line when the iterator reaches it."""
    source = source or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(source, None, f"kan het bestand niet lezen: {os_reason(error)}") from None
    lines = split_lines(data)

    def parsed() -> Iterator[tuple[int, Any]]:
        for number, raw in enumerate(lines, start=1):
            if len(raw) > max_line_bytes:
                raise InputError(source, number, f"regel van {len(raw)} bytes; de stichting"
                                 f" neemt hoogstens {max_line_bytes} bytes per regel aan"
                                 " (moderator limits)")
            try:
                value = parse_line(raw)
            except Bad as bad:
                raise InputError(source, number, str(bad)) from None
            if value is not None:
                yield number, value

    return len(lines), parsed()


def write_records(store: Store, records: Iterable[tuple[int, dict]], *, source: str,
                  progress: Progress | None = None, total: int = 0) -> tuple[ImportSummary, str | None]:
    """Check already parsed records ``(line number, dict)`` and write them, inside the
    caller's transaction: the first problem raises InputError and writes nothing. Returns
    the counts (``rule_flags`` 0: scanning is the import service's step) and the school
    the file is about, when it is about one school only."""
    with store.write():
        run = _Import(store, source, progress, total)
        run.read(records)
        run.load_existing()
        run.check_and_plan()
        return run.write()


_EMPTY = object()


def _chunks(values: list, size: int = 50_000) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class _Import:
    def __init__(self, store: Store, source: str, progress: Progress | None, total: int):
        self.store = store
        self.source = source
        self.progress = progress
        self.total = total
        self.records: list[tuple[int, str, dict]] = []
        # what the file mentions, by table
        self.mentioned: dict[str, set] = {t: set() for t in (
            "schools", "groups", "people", "pupils", "posts", "comments", "media", "reports")}
        # current state: from the database, then updated line by line
        self.schools: dict[str, tuple] = {}
        self.groups: dict[str, tuple] = {}      # id -> (school, name, kind)
        self.people: dict[str, tuple] = {}      # id -> (school, name, role, email)
        self.admins: set[tuple[str, str]] = set()
        self.members: set[tuple[str, str]] = set()
        self.pupils: dict[str, tuple] = {}      # id -> (school, group, name)
        self.guardians: set[tuple[str, str]] = set()
        self.consents: dict[tuple[str, str], tuple] = {}
        # rev: the item's latest revision number; 0 = not looked up yet (known items whose
        # text does not change never need it)
        self.posts: dict[str, list] = {}        # id -> [group, author, title, body, deleted, rev]
        self.comments: dict[str, list] = {}     # id -> [post, author, body, deleted, rev]
        self.media: dict[str, str] = {}         # id -> post
        self.media_pupils: set[tuple[str, str]] = set()
        self.reports: dict[str, str] = {}       # report id -> item
        self.holidays: dict[tuple[str, str, str], str | None] = {}   # (school, start, end) -> name
        # what to write
        self.ins: dict[str, dict] = {t: {} for t in (
            "schools", "groups", "people", "pupils", "consents", "posts", "comments", "media",
            "holidays")}
        self.upd: dict[str, dict] = {t: {} for t in (
            "schools", "groups", "people", "pupils", "consents", "posts", "comments",
            "holidays")}
        self.links: dict[str, list] = {t: [] for t in ("admins", "members", "guardians",
                                                       "media_pupils")}
        self.revisions: list[tuple] = []
        self.new_reports: list[tuple[str, dict]] = []
        self.items: dict[str, None] = {}
        self.counts = dict.fromkeys(ADDED_KINDS, 0)
        self.counts.update(revisions=0, updated=0, unchanged=0, still_deleted=0)
        self.now = clock.now_iso()

    def _tick(self, phase: str, done: int) -> None:
        if self.progress is not None and done % PROGRESS_EVERY == 0:
            self.progress(phase, done, self.total)

    # -- pass 1: shape of every record, and which ids it mentions ----------------------

    def read(self, records: Iterable[tuple[int, dict]]) -> None:
        m = self.mentioned
        # Every table hangs off schools (foreign keys): without a school the database holds
        # nothing to look up, and the ids need not be collected.
        collect = self.store.row("SELECT 1 FROM schools LIMIT 1") is not None
        append = self.records.append
        progress = self.progress
        max_body = import_limits(self.store).max_body_chars
        for index, (line, record) in enumerate(records, start=1):
            try:
                kind = check_record(record)
            except Bad as bad:
                raise InputError(self.source, line, str(bad)) from None
            except RecursionError:
                raise InputError(self.source, line, "lijsten of objecten te diep genest") from None
            if kind in ("post", "comment"):
                for name in ("title", "body"):
                    value = record.get(name)
                    if isinstance(value, str) and len(value) > max_body:
                        raise InputError(
                            self.source, line, f"{kind}: {name} van {len(value)} tekens; de"
                            f" stichting neemt hoogstens {max_body} tekens aan (moderator limits)")
            append((line, kind, record))
            if progress is not None and index % PROGRESS_EVERY == 0:
                progress("lezen", index, self.total)
            if not collect:
                continue
            if kind == "post":
                m["posts"].add(record["id"])
                m["groups"].add(record["group"])
                m["people"].add(record["author"])
                for medium in record.get("media") or ():
                    m["media"].add(medium["id"])
                    m["pupils"].update(medium.get("pupils") or ())
            elif kind == "comment":
                m["comments"].add(record["id"])
                m["posts"].add(record["post"])
                m["people"].add(record["author"])
            elif kind == "report":
                m["reports"].add(record["id"])
                m["people"].add(record["reporter"])
                if record.get("post") is not None:
                    m["posts"].add(record["post"])
                else:
                    m["comments"].add(record["comment"])
            elif kind == "person":
                m["people"].add(record["id"])
                m["schools"].add(record["school"])
            elif kind in ("admin", "member"):
                m["groups"].add(record["group"])
                m["people"].add(record["person"])
            elif kind == "group":
                m["groups"].add(record["id"])
                m["schools"].add(record["school"])
            elif kind == "pupil":
                m["pupils"].add(record["id"])
                m["schools"].add(record["school"])
                m["groups"].add(record["group"])
                m["people"].update(record.get("guardians") or ())
            elif kind == "consent":
                m["pupils"].add(record["pupil"])
            elif kind == "school":
                m["schools"].add(record["id"])
            elif kind == "holiday":
                m["schools"].add(record["school"])
        if self.total == 0:
            self.total = len(self.records)

    # -- bulk look-up of what the database already holds -------------------------------

    def _lookup(self, table: str, sql: str, ids: set) -> list:
        if not ids or self.store.row(f"SELECT 1 FROM {table} LIMIT 1") is None:
            return []
        found: list = []
        for chunk in _chunks(sorted(ids)):
            found += self.store.rows(sql, (json.dumps(chunk, ensure_ascii=False),))
        return found

    def load_existing(self) -> None:
        m = self.mentioned
        each = "(SELECT value FROM json_each(?))"
        for r in self._lookup("schools", f"SELECT * FROM schools WHERE id IN {each}",
                              m["schools"]):
            self.schools[r["id"]] = (r["name"], r["brin"], r["work_start"], r["work_end"])
        for r in self._lookup("groups", f"SELECT * FROM groups WHERE id IN {each}", m["groups"]):
            self.groups[r["id"]] = (r["school_id"], r["name"], r["kind"])
        for r in self._lookup("people", f"SELECT * FROM people WHERE id IN {each}", m["people"]):
            self.people[r["id"]] = (r["school_id"], r["name"], r["role"], r["email"])
        for r in self._lookup("group_admins", f"SELECT * FROM group_admins WHERE group_id IN"
                              f" {each}", m["groups"]):
            self.admins.add((r["group_id"], r["person_id"]))
        for r in self._lookup("group_members", f"SELECT * FROM group_members WHERE group_id IN"
                              f" {each}", m["groups"]):
            self.members.add((r["group_id"], r["person_id"]))
        for r in self._lookup("pupils", f"SELECT * FROM pupils WHERE id IN {each}", m["pupils"]):
            self.pupils[r["id"]] = (r["school_id"], r["group_id"], r["name"])
        for r in self._lookup("guardians", f"SELECT * FROM guardians WHERE pupil_id IN {each}",
                              m["pupils"]):
            self.guardians.add((r["pupil_id"], r["person_id"]))
        for r in self._lookup("consents", f"SELECT * FROM consents WHERE pupil_id IN {each}",
                              m["pupils"]):
            self.consents[(r["pupil_id"], r["school_year"])] = (
                bool(r["portal_photo"]), bool(r["portal_name"]), bool(r["website"]),
                r["signed_on"])
        for r in self._lookup("posts", "SELECT id, group_id, author_id, title, body, deleted_at"
                              f" FROM posts WHERE id IN {each}", m["posts"]):
            self.posts[r["id"]] = [r["group_id"], r["author_id"], r["title"], r["body"],
                                   r["deleted_at"] is not None, 0]
        for r in self._lookup("comments", "SELECT id, post_id, author_id, body, deleted_at"
                              f" FROM comments WHERE id IN {each}", m["comments"]):
            self.comments[r["id"]] = [r["post_id"], r["author_id"], r["body"],
                                      r["deleted_at"] is not None, 0]
        for r in self._lookup("media", f"SELECT id, post_id FROM media WHERE id IN {each}",
                              m["media"]):
            self.media[r["id"]] = r["post_id"]
        for r in self._lookup("media_pupils", "SELECT * FROM media_pupils WHERE media_id IN"
                              f" {each}", m["media"]):
            self.media_pupils.add((r["media_id"], r["pupil_id"]))
        for r in self._lookup("flags", "SELECT report_id, item FROM flags WHERE report_id IN"
                              f" {each}", m["reports"]):
            self.reports[r["report_id"]] = r["item"]
        for r in self._lookup("holidays", 'SELECT school_id, start, "end", name FROM holidays'
                              f" WHERE school_id IN {each}", m["schools"]):
            self.holidays[(r["school_id"], r["start"], r["end"])] = r["name"]

    # -- pass 2: references in file order, and what to write ---------------------------

    def check_and_plan(self) -> None:
        handlers = {
            "school": self._school, "group": self._group, "person": self._person,
            "admin": self._admin, "member": self._member, "pupil": self._pupil,
            "consent": self._consent, "post": self._post, "comment": self._comment,
            "report": self._report, "holiday": self._holiday,
        }
        for index, (line, kind, record) in enumerate(self.records, start=1):
            try:
                handlers[kind](record)
            except Bad as bad:
                raise InputError(self.source, line, f"{kind}: {bad}") from None
            self._tick("controleren", index)

    def _need(self, table: dict, key: str, what: str) -> Any:
        found = table.get(key, _EMPTY)
        if found is _EMPTY:
            unknown = "onbekend" if what.startswith("bericht") else "onbekende"   # het bericht
            raise Bad(f"{unknown} {what} {key!r} (niet op een eerdere regel en niet in de"
                      " database)")
        return found

    def _changed(self, table: str, key: Any) -> None:
        if key not in self.ins[table] and key not in self.upd[table]:
            self.counts["updated"] += 1
        self.upd[table][key] = True

    def _school(self, r: dict) -> None:
        sid = r["id"]
        old = self.schools.get(sid)
        hours = r.get("working_hours") or {}
        if old is None:
            new = (r["name"], r.get("brin"), hours.get("start", "08:00"), hours.get("end", "17:00"))
            self.schools[sid] = new
            self.ins["schools"][sid] = True
            self.counts["schools"] += 1
            return
        new = (r["name"], r.get("brin") or old[1], hours.get("start", old[2]),
               hours.get("end", old[3]))
        if new == old:
            self.counts["unchanged"] += 1
            return
        self.schools[sid] = new
        self._changed("schools", sid)

    def _group(self, r: dict) -> None:
        gid = r["id"]
        self._need(self.schools, r["school"], "school")
        old = self.groups.get(gid)
        new = (r["school"], r["name"], r["kind"])
        if old is None:
            self.groups[gid] = new
            self.ins["groups"][gid] = True
            self.counts["groups"] += 1
        elif old[0] != new[0]:
            raise Bad(f"groep {gid!r} is bekend bij school {old[0]!r}, niet {new[0]!r}")
        elif old == new:
            self.counts["unchanged"] += 1
        else:
            self.groups[gid] = new
            self._changed("groups", gid)

    def _person(self, r: dict) -> None:
        pid = r["id"]
        self._need(self.schools, r["school"], "school")
        old = self.people.get(pid)
        if old is None:
            self.people[pid] = (r["school"], r["name"], r["role"], r.get("email"))
            self.ins["people"][pid] = True
            self.counts["people"] += 1
            return
        if old[0] != r["school"]:
            raise Bad(f"persoon {pid!r} is bekend bij school {old[0]!r}, niet {r['school']!r}")
        new = (r["school"], r["name"], r["role"], r.get("email", old[3]))
        if new == old:
            self.counts["unchanged"] += 1
        else:
            self.people[pid] = new
            self._changed("people", pid)

    def _admin(self, r: dict) -> None:
        group = self._need(self.groups, r["group"], "groep")
        person = self._need(self.people, r["person"], "persoon")
        if person[2] not in STAFF_ROLES:
            raise Bad(f"persoon {r['person']!r} is {labels.role(person[2])}; alleen"
                      " personeel beheert groepen")
        if person[0] != group[0]:
            raise Bad(f"persoon {r['person']!r} en groep {r['group']!r} horen bij verschillende"
                      " scholen")
        self._link("admins", self.admins, (r["group"], r["person"]))

    def _member(self, r: dict) -> None:
        self._need(self.groups, r["group"], "groep")
        self._need(self.people, r["person"], "persoon")
        self._link("members", self.members, (r["group"], r["person"]))

    def _link(self, table: str, known: set, pair: tuple[str, str]) -> bool:
        if pair in known:
            if table != "media_pupils":          # counted with its post
                self.counts["unchanged"] += 1
            return False
        known.add(pair)
        self.links[table].append(pair)
        if table != "media_pupils":
            self.counts[table] += 1
        return True

    def _pupil(self, r: dict) -> None:
        pid = r["id"]
        self._need(self.schools, r["school"], "school")
        group = self._need(self.groups, r["group"], "groep")
        if group[0] != r["school"]:
            raise Bad(f"groep {r['group']!r} hoort niet bij school {r['school']!r}")
        guardians = r.get("guardians") or []
        for person in guardians:
            self._need(self.people, person, "persoon (ouder)")
        old = self.pupils.get(pid)
        new = (r["school"], r["group"], r["name"])
        if old is None:
            self.pupils[pid] = new
            self.ins["pupils"][pid] = True
            self.counts["pupils"] += 1
        elif old[0] != new[0]:
            raise Bad(f"leerling {pid!r} is bekend bij school {old[0]!r}, niet {new[0]!r}")
        elif old != new:
            self.pupils[pid] = new
            self._changed("pupils", pid)
        elif not any((pid, g) not in self.guardians for g in guardians):
            self.counts["unchanged"] += 1
        for person in guardians:
            if (pid, person) not in self.guardians:
                self.guardians.add((pid, person))
                self.links["guardians"].append((pid, person))
                self.counts["guardians"] += 1

    def _consent(self, r: dict) -> None:
        self._need(self.pupils, r["pupil"], "leerling")
        key = (r["pupil"], r["school_year"])
        old = self.consents.get(key)
        new = (r["portal_photo"], r["portal_name"], r["website"],
               r.get("signed_on", old[3] if old else None))
        if old is None:
            self.consents[key] = new
            self.ins["consents"][key] = True
            self.counts["consents"] += 1
        elif old == new:
            self.counts["unchanged"] += 1
        else:
            self.consents[key] = new
            self._changed("consents", key)

    def _media(self, post_id: str, media: list) -> None:
        for medium in media:
            mid = medium["id"]
            owner = self.media.get(mid)
            if owner is not None and owner != post_id:
                raise Bad(f"media {mid!r} hoort bij bericht {owner!r}, niet {post_id!r}")
            for pupil in medium.get("pupils") or ():
                self._need(self.pupils, pupil, "leerling (in media)")
            if owner is None:
                self.media[mid] = post_id
                self.ins["media"][mid] = (mid, post_id, medium["kind"], medium["file"],
                                          json.dumps(medium.get("tags") or [],
                                                     ensure_ascii=False))
                self.counts["media"] += 1
            for pupil in medium.get("pupils") or ():
                self._link("media_pupils", self.media_pupils, (mid, pupil))

    def _post(self, r: dict) -> None:
        pid = r["id"]
        if r["group"] not in self.groups:
            self._need(self.groups, r["group"], "groep")
        if r["author"] not in self.people:
            self._need(self.people, r["author"], "persoon (auteur)")
        title, body = r.get("title"), r["body"]
        old = self.posts.get(pid)
        if old is None:
            self.posts[pid] = [r["group"], r["author"], title, body, False, 1]
            self.ins["posts"][pid] = (r["created_at"], r.get("comments_enabled", True))
            self.revisions.append((f"post:{pid}", 1, title, body, self.now))
            self.items[f"post:{pid}"] = None
            self.counts["posts"] += 1
        else:
            if old[0] != r["group"]:
                raise Bad(f"bericht {pid!r} is bekend in groep {old[0]!r}, niet {r['group']!r}")
            if old[1] != r["author"]:
                raise Bad(f"bericht {pid!r} is bekend met auteur {old[1]!r}, niet {r['author']!r}")
            if old[4]:
                self.counts["still_deleted"] += 1
            elif (old[2], old[3]) == (title, body):
                self.counts["unchanged"] += 1
            else:
                rev = self._rev(f"post:{pid}", old[5], old[2], old[3])
                old[2], old[3], old[5] = title, body, rev + 1
                self.revisions.append((f"post:{pid}", old[5], title, body, self.now))
                self.items[f"post:{pid}"] = None
                self.counts["revisions"] += 1
                if pid not in self.ins["posts"]:
                    self.upd["posts"][pid] = True
        if r.get("media"):
            self._media(pid, r["media"])

    def _comment(self, r: dict) -> None:
        cid = r["id"]
        if r["post"] not in self.posts:
            self._need(self.posts, r["post"], "bericht")
        if r["author"] not in self.people:
            self._need(self.people, r["author"], "persoon (auteur)")
        body = r["body"]
        old = self.comments.get(cid)
        if old is None:
            item = "comment:" + cid
            self.comments[cid] = [r["post"], r["author"], body, False, 1]
            self.ins["comments"][cid] = r["created_at"]
            self.revisions.append((item, 1, None, body, self.now))
            self.items[item] = None
            self.counts["comments"] += 1
            return
        if old[0] != r["post"]:
            raise Bad(f"reactie {cid!r} is bekend bij bericht {old[0]!r}, niet {r['post']!r}")
        if old[1] != r["author"]:
            raise Bad(f"reactie {cid!r} is bekend met auteur {old[1]!r}, niet {r['author']!r}")
        if old[3]:
            self.counts["still_deleted"] += 1
        elif old[2] == body:
            self.counts["unchanged"] += 1
        else:
            rev = self._rev(f"comment:{cid}", old[4], None, old[2])
            old[2], old[4] = body, rev + 1
            self.revisions.append((f"comment:{cid}", old[4], None, body, self.now))
            self.items[f"comment:{cid}"] = None
            self.counts["revisions"] += 1
            if cid not in self.ins["comments"]:
                self.upd["comments"][cid] = True

    def _rev(self, item: str, rev: int, title: str | None, body: str | None) -> int:
        """The latest revision of a known item about to change. An item stored without
        revisions (written by other means) first gets its current text as rev 1."""
        if rev:
            return rev
        rev = self.store.scalar("SELECT max(rev) FROM revisions WHERE item = ?", (item,)) or 0
        if rev == 0:
            self.revisions.append((item, 1, title, body, self.now))
            rev = 1
        return rev

    def _report(self, r: dict) -> None:
        if r.get("post") is not None:
            self._need(self.posts, r["post"], "bericht")
            item = f"post:{r['post']}"
        else:
            self._need(self.comments, r["comment"], "reactie")
            item = f"comment:{r['comment']}"
        self._need(self.people, r["reporter"], "persoon (melder)")
        known = self.reports.get(r["id"])
        if known is not None:
            if known != item:
                raise Bad(f"melding {r['id']!r} is bekend over {known}, niet {item}")
            self.counts["unchanged"] += 1
            return
        self.reports[r["id"]] = item
        self.new_reports.append((item, r))
        self.counts["reports"] += 1

    def _holiday(self, r: dict) -> None:
        self._need(self.schools, r["school"], "school")
        key = (r["school"], r["start"], r["end"])
        name = r.get("name")
        if key not in self.holidays:
            self.holidays[key] = name
            self.ins["holidays"][key] = True
            self.counts["holidays"] += 1
        elif self.holidays[key] == name or name is None:
            self.counts["unchanged"] += 1
        else:
            self.holidays[key] = name
            self._changed("holidays", key)

    # -- pass 3: writing ------------------------------------------------------------------

    def write(self) -> tuple[ImportSummary, str | None]:
        s = self.store
        if self.progress is not None:
            self.progress("schrijven", 0, 1)
        ins, upd = self.ins, self.upd
        s.executemany("INSERT INTO schools (id, name, brin, work_start, work_end)"
                      " VALUES (?, ?, ?, ?, ?)", [(i, *self.schools[i]) for i in ins["schools"]])
        s.executemany("UPDATE schools SET name = ?, brin = ?, work_start = ?, work_end = ?"
                      " WHERE id = ?", [(*self.schools[i], i) for i in upd["schools"]])
        s.executemany("INSERT INTO groups (id, school_id, name, kind) VALUES (?, ?, ?, ?)",
                      [(i, *self.groups[i]) for i in ins["groups"]])
        s.executemany("UPDATE groups SET name = ?, kind = ? WHERE id = ?",
                      [(*self.groups[i][1:], i) for i in upd["groups"]])
        s.executemany("INSERT INTO people (id, school_id, name, role, email)"
                      " VALUES (?, ?, ?, ?, ?)", [(i, *self.people[i]) for i in ins["people"]])
        s.executemany("UPDATE people SET name = ?, role = ?, email = ? WHERE id = ?",
                      [(*self.people[i][1:], i) for i in upd["people"]])
        s.executemany("INSERT INTO group_admins (group_id, person_id) VALUES (?, ?)",
                      self.links["admins"])
        s.executemany("INSERT INTO group_members (group_id, person_id) VALUES (?, ?)",
                      self.links["members"])
        s.executemany("INSERT INTO pupils (id, school_id, group_id, name) VALUES (?, ?, ?, ?)",
                      [(i, *self.pupils[i]) for i in ins["pupils"]])
        s.executemany("UPDATE pupils SET group_id = ?, name = ? WHERE id = ?",
                      [(*self.pupils[i][1:], i) for i in upd["pupils"]])
        s.executemany("INSERT INTO guardians (pupil_id, person_id) VALUES (?, ?)",
                      self.links["guardians"])
        s.executemany("INSERT INTO consents (pupil_id, school_year, portal_photo, portal_name,"
                      " website, signed_on) VALUES (?, ?, ?, ?, ?, ?)",
                      [(*k, *self.consents[k]) for k in ins["consents"]])
        s.executemany("UPDATE consents SET portal_photo = ?, portal_name = ?, website = ?,"
                      " signed_on = ? WHERE pupil_id = ? AND school_year = ?",
                      [(*self.consents[k], *k) for k in upd["consents"]])
        s.executemany(
            "INSERT INTO posts (id, group_id, author_id, created_at, title, body, comments_enabled)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(i, p[0], p[1], created, p[2], p[3], int(enabled))
             for i, (created, enabled) in sorted(ins["posts"].items())
             for p in (self.posts[i],)])
        s.executemany("UPDATE posts SET title = ?, body = ? WHERE id = ?",
                      [(self.posts[i][2], self.posts[i][3], i) for i in upd["posts"]])
        s.executemany("INSERT INTO media (id, post_id, kind, file, tags) VALUES (?, ?, ?, ?, ?)",
                      list(ins["media"].values()))
        s.executemany("INSERT INTO media_pupils (media_id, pupil_id) VALUES (?, ?)",
                      self.links["media_pupils"])
        s.executemany(
            "INSERT INTO comments (id, post_id, author_id, created_at, body) VALUES (?, ?, ?, ?, ?)",
            [(i, c[0], c[1], created, c[2])
             for i, created in sorted(ins["comments"].items()) for c in (self.comments[i],)])
        s.executemany("UPDATE comments SET body = ? WHERE id = ?",
                      [(self.comments[i][2], i) for i in upd["comments"]])
        s.executemany("INSERT INTO revisions (item, rev, title, body, recorded_at)"
                      " VALUES (?, ?, ?, ?, ?)", sorted(self.revisions))
        s.executemany('INSERT INTO holidays (school_id, start, "end", name) VALUES (?, ?, ?, ?)',
                      [(*k, self.holidays[k]) for k in ins["holidays"]])
        s.executemany('UPDATE holidays SET name = ? WHERE school_id = ? AND start = ?'
                      ' AND "end" = ?', [(self.holidays[k], *k) for k in upd["holidays"]])

        # Reports become open flags; the queue is refreshed once for every item touched,
        # including known items whose text changed (their excerpt and search text).
        touched: set[str] = set()
        for item, r in self.new_reports:
            flags.add_flag(s, item, "report", r["reason"], created_at=r["created_at"],
                           reporter_id=r["reporter"], report_id=r["id"], note=r.get("note"),
                           refresh=False)
            touched.add(item)
        touched.update(f"post:{i}" for i in self.upd["posts"])
        touched.update(f"comment:{i}" for i in self.upd["comments"])
        if touched:
            flags.refresh_queue(s, touched)
        # Deadlines of items already queued follow a school's new holidays or hours.
        calendars = ({k[0] for k in ins["holidays"]} | {k[0] for k in upd["holidays"]}
                     | set(upd["schools"])) - set(ins["schools"])
        for school_id in sorted(calendars):
            worktime.recompute_due(s, school_id)
        summary = ImportSummary(source=self.source, records=len(self.records),
                                items=tuple(self.items), **self.counts)
        schools = {g[0] for g in self.groups.values()} | set(self.schools)
        return summary, next(iter(schools)) if len(schools) == 1 else None
