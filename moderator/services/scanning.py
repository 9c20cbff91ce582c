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

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from moderator import clock
from moderator.policy import grouprules
from moderator.policy import media as media_checks
from moderator.policy.detectors import detect
from moderator.policy.grouprules import SchoolFacts
from moderator.policy.media import MediaFinding
from moderator.refs import ItemRef
from moderator.store import audit, flags, provisions, scan_state
from moderator.store import media as media_rows
from moderator.store.db import Store
from moderator.store.memberships import school_facts
from moderator.store.scan_state import ScanRow

BATCH = 2000
_IN_CHUNK = 500
ACTOR = "system"

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
        for provision in provisions.approved_provisions(self.store, school_id):
            detail = provision.detail
            if not isinstance(detail, dict):
                continue
            if provision.kind == "words" and isinstance(detail.get("reason"), str):
                words = [w for w in detail.get("words") or [] if isinstance(w, str) and w.strip()]
                extra.setdefault(detail["reason"], []).extend(words)
            elif provision.kind == "identity":
                allow.update(c for c in detail.get("allow") or [] if isinstance(c, str))
        school_roster: list[str] = []
        groups: dict[str, list[str]] = {}
        for group_id, name in scan_state.pupil_names(self.store, school_id):
            school_roster.append(name)
            groups.setdefault(group_id, []).append(name)
        return _School(extra, frozenset(allow), tuple(school_roster),
                       {g: tuple(names) for g, names in groups.items()},
                       school_facts(self.store, school_id))

    def roster(self, school_id: str, group_id: str, group_kind: str) -> tuple[str, ...]:
        school = self.school(school_id)
        if group_kind == "class":
            return school.group_rosters.get(group_id, ())
        return school.school_roster


def _text_evidence(row: ScanRow, context: _Context) -> list[dict]:
    school = context.school(row.school_id)
    pupils = context.roster(row.school_id, row.group_id, row.group_kind)
    # Title and body are one message (one pupil named in each is two pupils), but
    # evidence offsets point into the field they were found in.
    title, body = row.title or "", row.body or ""
    text = f"{title}\n{body}" if title else body
    cut = len(title) if title else -1
    evidence = []
    findings = detect(text, pupils=pupils, extra_words=school.extra_words, allow=school.allow)
    if school.facts is not None and "name_consent" not in school.allow:
        year = clock.school_year(clock.parse(row.created_at))
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


def _scan_rows(store: Store, posts: list[ScanRow], comments: list[ScanRow],
               context: _Context) -> ScanResult:
    """Scan rows that need it; open flags; mark them scanned. Inside a write."""
    result = ScanResult()
    touched: list[str] = []
    found: dict[str, list[dict]] = {}
    posts = [r for r in posts if r.body is not None or r.title is not None]
    comments = [r for r in comments if r.body is not None]
    for row in posts:
        found[row.item] = _text_evidence(row, context)
    if posts:
        media = media_rows.load_post_media(store, [(r.id, r.created_at) for r in posts])
        for row in posts:
            if row.id in media:
                year = clock.school_year(clock.parse(row.created_at))
                found[row.item] += [
                    m.as_evidence() for m in media_checks.media_findings(media[row.id], year)]
    for row in comments:
        found[row.item] = _text_evidence(row, context)
    for row in (*posts, *comments):
        facts = context.school(row.school_id).facts
        if facts is not None and row.author_id is not None:
            found[row.item] += grouprules.membership_evidence(
                row.kind, row.group_id, row.group_kind, row.school_id, row.author_id, facts,
                bool(row.comments_enabled))
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
                scan_state.update_rule_evidence(store, item, reason, evs)
    scan_state.mark_scanned(store, [*posts, *comments])
    result.posts, result.comments = len(posts), len(comments)
    if touched:
        flags.refresh_queue(store, touched)
    return result


def scan_items(store: Store, items: Iterable[str], *, actor: str = ACTOR) -> int:
    """Run the detectors over these items ('post:ID' / 'comment:ID') where their latest
    revision is not scanned yet, and open rule flags; returns the number of flags opened.
    Runs inside the caller's transaction when there is one."""
    post_ids: list[str] = []
    comment_ids: list[str] = []
    for item in items:
        ref = ItemRef.parse(item)
        (post_ids if ref.is_post else comment_ids).append(ref.id)
    context = _Context(store)
    total = ScanResult()
    with store.write():
        for start in range(0, max(len(post_ids), len(comment_ids)), _IN_CHUNK):
            posts = _fetch(store, "post", post_ids[start:start + _IN_CHUNK])
            comments = _fetch(store, "comment", comment_ids[start:start + _IN_CHUNK])
            total.add(_scan_rows(store, posts, comments, context))
        if total.items:
            audit.append(store, actor, "scan", detail=total.as_dict())
    return total.flags


def _fetch(store: Store, kind: str, ids: list[str]) -> list[ScanRow]:
    return [r for r in scan_state.live_items(store, kind, ids) if r.needs_scan]


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
    for kind in ("post", "comment"):
        last = ""
        while True:
            rows = scan_state.items_after(store, kind, last, batch, school_id=school_id,
                                          again=again)
            if not rows:
                break
            last = rows[-1].id
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


def check_post_media(store: Store, post_id: str) -> list[MediaFinding]:
    """The media violations of one post."""
    created = scan_state.post_created_at(store, post_id)
    if created is None:
        return []
    year = clock.school_year(clock.parse(created))
    return media_checks.media_findings(
        media_rows.load_post_media(store, [(post_id, created)]).get(post_id, []), year)
