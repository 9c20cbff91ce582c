"""Group checks: policy rules about a group's traffic rather than one message.

* ``frequency`` (policy "Wat kunnen we plaatsen", punt 9): per group at most one post a
  day and at least one a week. Days with more posts and whole calendar weeks (Monday to
  Sunday, ISO) without a post are reported; consecutive empty weeks form one finding.
  A school's approved ``frequency`` provision ({"max_per_day": n, "min_per_week": n})
  replaces the defaults.
* ``off_hours`` (policy "Gedrag", punt 8): posts and comments by staff (teacher,
  director, school admin) outside the school's working hours (``schools.work_start`` to
  ``work_end``, local time of the timestamp) or at the weekend.

The period is the current school year (``since``/``until`` override it); frequency
counts whole weeks up to the end of last week. Weeks before a group's first post are
not counted; a group that never posted misses every week of the period. Aggregation happens in
SQL, so a million posts cost one pass over the posts index.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from moderator import clock
from moderator.errors import PermissionDenied
from moderator.policy.roles import AVG, DIRECTOR, TEACHER, Actor
from moderator.store.db import Store

STAFF_ROLES = ("teacher", "director", "school_admin")
MAX_PER_DAY = 1
MIN_PER_WEEK = 1


@dataclass(frozen=True)
class GroupFinding:
    reason: str            # 'frequency' or 'off_hours'
    school_id: str
    group_id: str
    group_name: str
    when: str              # a day, a week range or a timestamp
    detail: str            # Dutch, for the report (contains portal names: untrusted)
    count: int = 0
    item: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _period(since: date | None, until: date | None) -> tuple[date, date]:
    today = clock.now().date()
    if since is None:
        start_year = int(clock.school_year(clock.now())[:4])
        since = date(start_year, 8, 1)
    if until is None:
        until = today - timedelta(days=today.weekday())      # Monday of this week
    return since, until


def _limits(store: Store, school_id: str) -> tuple[int, int]:
    max_day, min_week = MAX_PER_DAY, MIN_PER_WEEK
    for row in store.rows("SELECT detail FROM provisions WHERE school_id = ? AND"
                          " kind = 'frequency' AND status = 'approved' ORDER BY id", (school_id,)):
        try:
            detail = json.loads(row["detail"])
        except ValueError:
            continue
        if isinstance(detail, dict):
            if isinstance(detail.get("max_per_day"), int):
                max_day = detail["max_per_day"]
            if isinstance(detail.get("min_per_week"), int):
                min_week = detail["min_per_week"]
    return max_day, min_week


def _week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _holiday_week(monday: date, holidays: Sequence[tuple[date, date]]) -> bool:
    """True when every school day (Monday to Friday) of the week is in a holiday."""
    return bool(holidays) and all(
        any(first <= monday + timedelta(days=i) <= last for first, last in holidays)
        for i in range(5))


def frequency_findings(store: Store, school_id: str | None = None, *,
                       since: date | None = None, until: date | None = None,
                       holidays: Sequence[tuple[date, date]] = ()) -> list[GroupFinding]:
    """Frequency findings from live posts by staff (a parent's post or a deleted one is
    not the group's communication). Days with too many posts count up to and including
    today (the current week too); weeks without enough posts are whole weeks up to last
    week. ``holidays``: date ranges (first, last day, inclusive); a week whose school days
    all fall in them is neither counted as empty nor breaks a run of empty weeks."""
    today = clock.now().date()
    day_end = until if until is not None else today + timedelta(days=1)
    since, until = _period(since, until)
    where, params = ["1 = 1"], []
    if school_id is not None:
        where.append("g.school_id = ?")
        params.append(school_id)
    # The community group is the parents' own space: the school's posting rhythm is about
    # its class groups and the school group.
    groups = store.rows(f"SELECT g.id, g.name, g.school_id FROM groups g WHERE {' AND '.join(where)}"
                        " AND g.kind != 'community' ORDER BY g.school_id, g.name, g.id", params)
    days: dict[str, dict[date, int]] = {}
    first_post: dict[str, date] = {}
    for row in store.rows(
            "SELECT p.group_id, substr(p.created_at, 1, 10) AS day, COUNT(*) AS n FROM posts p"
            " JOIN groups g ON g.id = p.group_id JOIN people pe ON pe.id = p.author_id"
            f" WHERE {' AND '.join(where)} AND p.deleted_at IS NULL"
            f" AND pe.role IN ({','.join('?' * len(STAFF_ROLES))})"
            " GROUP BY p.group_id, day", [*params, *STAFF_ROLES]):
        try:
            day = date.fromisoformat(row["day"])
        except ValueError:
            continue
        first_post[row["group_id"]] = min(day, first_post.get(row["group_id"], day))
        if since <= day < day_end:
            days.setdefault(row["group_id"], {})[day] = row["n"]
    limits: dict[str, tuple[int, int]] = {}
    out: list[GroupFinding] = []
    for group in groups:
        gid, school = group["id"], group["school_id"]
        if school not in limits:
            limits[school] = _limits(store, school)
        max_day, min_week = limits[school]
        per_day = days.get(gid, {})
        for day in sorted(per_day):
            if per_day[day] > max_day:
                out.append(GroupFinding(
                    "frequency", school, gid, group["name"], day.isoformat(),
                    f"{per_day[day]} berichten op één dag (hoogstens {max_day})", per_day[day]))
        start = max(since, first_post.get(gid, since))
        monday = start - timedelta(days=start.weekday())
        if monday < start:            # the first week is only partly in the period
            monday += timedelta(days=7)
        run: list[date] = []
        while monday + timedelta(days=7) <= until:
            count = sum(per_day.get(monday + timedelta(days=i), 0) for i in range(7))
            holiday = _holiday_week(monday, holidays)
            if count < min_week and not holiday:
                run.append(monday)
            if run and (count >= min_week or monday + timedelta(days=14) > until):
                out.append(_empty_weeks(school, gid, group["name"], run, min_week))
                run = []
            monday += timedelta(days=7)
    return out


def _empty_weeks(school: str, gid: str, name: str, run: list[date], min_week: int) -> GroupFinding:
    first, last = run[0], run[-1]
    when = _week_label(first) if first == last else f"{_week_label(first)} t/m {_week_label(last)}"
    n = len(run)
    what = "geen bericht" if min_week == 1 else f"minder dan {min_week} berichten"
    return GroupFinding("frequency", school, gid, name, when,
                        f"{what} in {n} {'week' if n == 1 else 'weken'}"
                        f" ({first.isoformat()} tot {(last + timedelta(days=7)).isoformat()})", n)


def off_hours_findings(store: Store, school_id: str | None = None, *,
                       since: date | None = None, until: date | None = None) -> list[GroupFinding]:
    since, _ = _period(since, until)
    if until is None:
        until = clock.now().date() + timedelta(days=1)     # up to and including today
    out: list[GroupFinding] = []
    marks = ",".join("?" * len(STAFF_ROLES))
    for kind, sql in (
        ("post", "SELECT 'post:' || p.id AS item, p.group_id, p.created_at, p.author_id"
                 " FROM posts p"),
        ("comment", "SELECT 'comment:' || c.id AS item, p.group_id, c.created_at, c.author_id"
                    " FROM comments c JOIN posts p ON p.id = c.post_id"),
    ):
        where = [f"pe.role IN ({marks})",
                 "(substr(x.created_at, 12, 5) < s.work_start"
                 " OR substr(x.created_at, 12, 5) >= s.work_end"
                 " OR strftime('%w', substr(x.created_at, 1, 10)) IN ('0', '6'))",
                 "substr(x.created_at, 1, 10) >= ?", "substr(x.created_at, 1, 10) < ?"]
        params: list = [*STAFF_ROLES, since.isoformat(), until.isoformat()]
        if school_id is not None:
            where.append("g.school_id = ?")
            params.append(school_id)
        rows = store.rows(
            f"SELECT x.item, x.group_id, g.name AS group_name, g.school_id, x.created_at,"
            f" pe.name AS author, s.work_start, s.work_end FROM ({sql}) x"
            " JOIN groups g ON g.id = x.group_id JOIN schools s ON s.id = g.school_id"
            f" JOIN people pe ON pe.id = x.author_id WHERE {' AND '.join(where)}"
            " ORDER BY g.school_id, x.created_at", params)
        for r in rows:
            moment = datetime.fromisoformat(r["created_at"])
            if moment.weekday() >= 5:
                why = "in het weekend"
            else:
                why = f"om {moment:%H:%M}, werktijd {r['work_start']}-{r['work_end']}"
            noun = "bericht" if kind == "post" else "reactie"
            out.append(GroupFinding("off_hours", r["school_id"], r["group_id"], r["group_name"],
                                    r["created_at"], f"{noun} van {r['author']} {why}", 1,
                                    r["item"]))
    out.sort(key=lambda f: (f.school_id, f.when))
    return out


def group_report(store: Store, school_id: str | None = None, *, since: date | None = None,
                 until: date | None = None,
                 holidays: Sequence[tuple[date, date]] = ()) -> list[GroupFinding]:
    """Every group-level finding (frequency and off-hours), per school and group."""
    found = frequency_findings(store, school_id, since=since, until=until, holidays=holidays)
    found += off_hours_findings(store, school_id, since=since, until=until)
    found.sort(key=lambda f: (f.school_id, f.group_name, f.reason, f.when))
    return found


def report_for(store: Store, actor: Actor, school_id: str | None = None, *,
               since: date | None = None, until: date | None = None,
               holidays: Sequence[tuple[date, date]] = ()) -> list[GroupFinding]:
    """The group report as this account may see it (it names staff and their posting
    times): a director their own school, the AVG coordinator any or every school
    (read-only; the read is written to the access log), a teacher only the groups they
    administer. Other roles are refused."""
    if actor.role == AVG:
        from moderator.store.access import log_access

        found = group_report(store, school_id, since=since, until=until, holidays=holidays)
        log_access(store, actor, "group_report", detail={"school": school_id})
        return found
    if actor.role not in (DIRECTOR, TEACHER):
        raise PermissionDenied("alleen directie, leerkrachten en de AVG-coördinator zien het"
                               " groepsrapport")
    if school_id is not None and school_id != actor.school_id:
        raise PermissionDenied("je ziet alleen het groepsrapport van je eigen school")
    found = group_report(store, actor.school_id, since=since, until=until, holidays=holidays)
    if actor.role == TEACHER:
        found = [f for f in found if f.group_id in actor.admin_groups]
    return found
