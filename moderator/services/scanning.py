"""Running the policy detectors over imported items and opening rule flags.

An item is scanned when its ``scanned_rev`` is behind its latest revision (rev 1 is the
text first seen), so a scan is idempotent and an edited message is scanned again. Rule
flags are unique per (item, reason): scanning twice never opens a flag twice.

Per school the scan applies the approved provisions: extra words (kind ``words``) and
codes the school's identity allows (kind ``identity``). The roster for
``individual_child`` is the group's pupils for a class group, the school's otherwise.

Work is done in batches (a few queries per batch, none per item) so that a million
posts stream through in constant memory.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from moderator import clock
from moderator.policy import grouprules
from moderator.policy import media as media_checks
from moderator.policy.detectors import detect
from moderator.store import audit, flags
from moderator.store.db import Store
from moderator.store.memberships import SchoolFacts, school_facts

BATCH = 2000
_IN_CHUNK = 500
ACTOR = "system"

_POST_SELECT = (
    "SELECT p.id, p.group_id, g.school_id, g.kind AS group_kind, p.created_at, p.title,"
    " p.body, p.scanned_rev, p.author_id, 1 AS comments_enabled, (SELECT MAX(r.rev) FROM revisions r WHERE r.item = 'post:' || p.id)"
    " AS rev FROM posts p JOIN groups g ON g.id = p.group_id")
_COMMENT_SELECT = (
    "SELECT c.id, p.group_id, g.school_id, g.kind AS group_kind, c.created_at, NULL AS title,"
    " c.body, c.scanned_rev, c.author_id, p.comments_enabled, (SELECT MAX(r.rev) FROM revisions r"
    " WHERE r.item = 'comment:' || c.id) AS rev FROM comments c"
    " JOIN posts p ON p.id = c.post_id JOIN groups g ON g.id = p.group_id")
_NEEDS_SCAN = "scanned_rev < COALESCE((SELECT MAX(r.rev) FROM revisions r WHERE r.item = {}), 1)"


@dataclass
class ScanResult:
    posts: int = 0
    comments: int = 0
    flags: int = 0
    by_reason: Counter = field(default_factory=Counter)

    @property
    def items(self) -> int:
        return self.posts + self.comments

    def add(self, other: ScanResult) -> None:
        self.posts += other.posts
        self.comments += other.comments
        self.flags += other.flags
        self.by_reason.update(other.by_reason)

    def as_dict(self) -> dict:
        return {"posts": self.posts, "comments": self.comments, "flags": self.flags,
                "by_reason": dict(sorted(self.by_reason.items()))}


@dataclass
class _School:
    extra_words: dict[str, list[str]]
    allow: frozenset[str]
    school_roster: tuple[str, ...]
    group_rosters: dict[str, tuple[str, ...]]
    facts: SchoolFacts | None = None


class _Context:
    """What the scan needs per school, loaded once per school per scan."""

    def __init__(self, store: Store):
        self.store = store
        self.schools: dict[str, _School] = {}

    def school(self, school_id: str) -> _School:
        found = self.schools.get(school_id)
        if found is None:
            found = self.schools[school_id] = self._load(school_id)
        return found

    def _load(self, school_id: str) -> _School:
        extra: dict[str, list[str]] = {}
        allow: set[str] = set()
        for row in self.store.rows("SELECT kind, detail FROM provisions WHERE school_id = ?"
                                   " AND status = 'approved' ORDER BY id", (school_id,)):
            try:
                detail = json.loads(row["detail"])
            except ValueError:
                continue
            if not isinstance(detail, dict):
                continue
            if row["kind"] == "words" and isinstance(detail.get("reason"), str):
                words = [w for w in detail.get("words") or [] if isinstance(w, str) and w.strip()]
                extra.setdefault(detail["reason"], []).extend(words)
            elif row["kind"] == "identity":
                allow.update(c for c in detail.get("allow") or [] if isinstance(c, str))
        school_roster: list[str] = []
        groups: dict[str, list[str]] = {}
        for row in self.store.rows("SELECT group_id, name FROM pupils WHERE school_id = ?"
                                   " ORDER BY name, id", (school_id,)):
            school_roster.append(row["name"])
            groups.setdefault(row["group_id"], []).append(row["name"])
        return _School(extra, frozenset(allow), tuple(school_roster),
                       {g: tuple(names) for g, names in groups.items()},
                       school_facts(self.store, school_id))

    def roster(self, school_id: str, group_id: str, group_kind: str) -> tuple[str, ...]:
        school = self.school(school_id)
        if group_kind == "class":
            return school.group_rosters.get(group_id, ())
        return school.school_roster


def _text_evidence(row, context: _Context) -> list[dict]:
    school = context.school(row["school_id"])
    pupils = context.roster(row["school_id"], row["group_id"], row["group_kind"])
    # Title and body are one message (one pupil named in each is two pupils), but
    # evidence offsets point into the field they were found in.
    title, body = row["title"] or "", row["body"] or ""
    text = f"{title}\n{body}" if title else body
    cut = len(title) if title else -1
    evidence = []
    findings = detect(text, pupils=pupils, extra_words=school.extra_words, allow=school.allow)
    if school.facts is not None and "name_consent" not in school.allow:
        year = clock.school_year(clock.parse(row["created_at"]))
        # any pupil of the school counts, also one from another class
        findings += grouprules.name_consent_findings(text, school.school_roster, year,
                                                     school.facts)
    for finding in findings:
        ev = finding.as_dict()
        if finding.start < cut:
            ev["end"] = min(finding.end, cut)
            ev["text"] = title[finding.start:ev["end"]]
            ev["field"] = "title"
        else:
            ev["start"] -= cut + 1
            ev["end"] -= cut + 1
            ev["field"] = "body"
        evidence.append(ev)
    return evidence


def _scan_rows(store: Store, posts: list, comments: list, context: _Context) -> ScanResult:
    """Scan rows that need it; open flags; mark them scanned. Inside a write."""
    result = ScanResult()
    touched: list[str] = []
    found: dict[str, list[dict]] = {}
    posts = [r for r in posts if r["body"] is not None or r["title"] is not None]
    comments = [r for r in comments if r["body"] is not None]
    for row in posts:
        found[f"post:{row['id']}"] = _text_evidence(row, context)
    if posts:
        media = media_checks.load_post_media(store, [(r["id"], r["created_at"]) for r in posts])
        for row in posts:
            if row["id"] in media:
                year = clock.school_year(clock.parse(row["created_at"]))
                found[f"post:{row['id']}"] += [
                    m.as_evidence() for m in media_checks.media_findings(media[row["id"]], year)]
    for row in comments:
        found[f"comment:{row['id']}"] = _text_evidence(row, context)
    for kind, rows in (("post", posts), ("comment", comments)):
        for row in rows:
            facts = context.school(row["school_id"]).facts
            if facts is not None and row["author_id"] is not None:
                found[f"{kind}:{row['id']}"] += grouprules.membership_evidence(
                    kind, row["group_id"], row["group_kind"], row["school_id"],
                    row["author_id"], facts, bool(row["comments_enabled"]))
    for item, evidence in found.items():
        by_reason: dict[str, list[dict]] = {}
        for ev in evidence:
            by_reason.setdefault(ev["reason"], []).append(ev)
        for reason, evs in by_reason.items():
            if flags.add_flag(store, item, "rule", reason, evidence=evs, refresh=False):
                result.flags += 1
                result.by_reason[reason] += 1
                touched.append(item)
            else:   # a new revision: keep an open flag's evidence in step with the text
                store.execute(
                    "UPDATE flags SET evidence = ? WHERE item = ? AND reason = ?"
                    " AND source = 'rule' AND status = 'open'",
                    (json.dumps(evs, ensure_ascii=False), item, reason))
    store.executemany("UPDATE posts SET scanned_rev = ? WHERE id = ?",
                      [(r["rev"] or 1, r["id"]) for r in posts])
    store.executemany("UPDATE comments SET scanned_rev = ? WHERE id = ?",
                      [(r["rev"] or 1, r["id"]) for r in comments])
    result.posts, result.comments = len(posts), len(comments)
    if touched:
        flags.refresh_queue(store, touched)
    return result


def _needs_scan(row) -> bool:
    return row["scanned_rev"] < (row["rev"] or 1)


def scan_items(store: Store, items: Iterable[str], *, actor: str = ACTOR) -> int:
    """Run the detectors over these items ('post:ID' / 'comment:ID') where their latest
    revision is not scanned yet, and open rule flags; returns the number of flags opened.
    Runs inside the caller's transaction when there is one."""
    post_ids: list[str] = []
    comment_ids: list[str] = []
    for item in items:
        kind, item_id = flags.parse_item(item)
        (post_ids if kind == "post" else comment_ids).append(item_id)
    context = _Context(store)
    total = ScanResult()
    with store.write():
        for start in range(0, max(len(post_ids), len(comment_ids)), _IN_CHUNK):
            posts = _fetch(store, _POST_SELECT, "p", post_ids[start:start + _IN_CHUNK])
            comments = _fetch(store, _COMMENT_SELECT, "c", comment_ids[start:start + _IN_CHUNK])
            total.add(_scan_rows(store, posts, comments, context))
        if total.items:
            audit.append(store, actor, "scan", detail=total.as_dict())
    return total.flags


def _fetch(store: Store, select: str, alias: str, ids: list[str]) -> list:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.rows(f"{select} WHERE {alias}.id IN ({marks}) AND {alias}.deleted_at IS NULL",
                      ids)
    return [r for r in rows if _needs_scan(r)]


def scan_all(store: Store, school_id: str | None = None, *, batch: int = BATCH,
             again: bool = False, actor: str = ACTOR,
             progress: Callable[[ScanResult], None] | None = None) -> ScanResult:
    """Scan every live post and comment (of one school) not scanned at its latest
    revision; with ``again`` every live item (after word lists or a school's provisions
    changed: flags already open or dismissed are not opened twice). Each batch commits on
    its own with its audit entry, so a long scan never holds the database for long and an
    interrupted one resumes where it stopped."""
    total = ScanResult()
    context = _Context(store)
    for kind, select, alias in (("post", _POST_SELECT, "p"), ("comment", _COMMENT_SELECT, "c")):
        last = ""
        while True:
            where = [f"{alias}.id > ?", f"{alias}.deleted_at IS NULL"]
            if not again:
                where.append(f"{alias}." + _NEEDS_SCAN.format(f"'{kind}:' || {alias}.id"))
            params: list = [last]
            if school_id is not None:
                where.append("g.school_id = ?")
                params.append(school_id)
            rows = store.rows(f"{select} WHERE {' AND '.join(where)} ORDER BY {alias}.id"
                              " LIMIT ?", [*params, batch])
            if not rows:
                break
            last = rows[-1]["id"]
            with store.write():
                part = _scan_rows(store, rows if kind == "post" else [],
                                  rows if kind == "comment" else [], context)
                audit.append(store, actor, "scan", detail={**part.as_dict(),
                                                            "school": school_id, "again": again})
            total.add(part)
            if progress is not None:
                progress(total)
    return total


def school_policy(store: Store, school_id: str) -> _School:
    """A school's approved extra words and allowed codes, and its roster."""
    return _Context(store).school(school_id)
