"""The demo foundation: two Dutch primary schools with a few weeks of portal traffic.

The demo is produced as portal-export records (plain dicts in the import format that
:mod:`moderator.store.portal_format` checks) and loaded through the import service, so
what the console shows is what a real import would give, detectors included.

* :func:`demo_records` — the hand-made demo: two schools, every rule broken at least
  once, hard negatives that must stay unflagged, photos, revisions and reports.
* the benchmark data set (``moderator demo --posts N --seed S``) is
  :mod:`moderator.benchdata`; it shares the roster built here.
* :func:`load_demo` / :func:`ensure_demo` — fill a store; :func:`write_export` — write
  the records as a JSON Lines export file.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from moderator import clock
from moderator import demo_data as data
from moderator.policy.access import AVG
from moderator.services.accounts import add_account
from moderator.services.importing import import_records
from moderator.store import accounts, counts
from moderator.store.db import Store
from moderator.store.importer import ImportSummary

TZ = timezone(timedelta(hours=1))
PASSWORD = "demo"
DEMO_SEED = 2026
SOURCE = "demo"

# -- the roster (schools, groups, people, pupils, consents) -------------------------------


@dataclass
class Pupil:
    id: str
    name: str
    first: str
    group_id: str
    guardians: list[str]
    consent: str = "yes"          # 'yes', 'no_photo', 'no_name' or 'missing' (current year)


@dataclass
class Group:
    id: str
    school_id: str
    name: str
    kind: str
    label: str                                      # "groep 5", used in texts
    admins: list[tuple[str, str]] = field(default_factory=list)   # (person id, "juf Sanne")
    pupils: list[Pupil] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)

    def photo_ok(self) -> list[Pupil]:
        return [p for p in self.pupils if p.consent in ("yes", "no_name")]


@dataclass
class School:
    id: str
    name: str
    brin: str
    hours: tuple[str, str]
    director: tuple[str, str]                      # (person id, name)
    school_admin: tuple[str, str]
    mr_member: tuple[str, str]
    teachers: list[tuple[str, str, str, tuple[str, ...]]]   # (id, name, title, group keys)
    groups: list[Group] = field(default_factory=list)
    parents: list[tuple[str, str]] = field(default_factory=list)

    @property
    def class_groups(self) -> list[Group]:
        return [g for g in self.groups if g.kind == "class"]

    @property
    def school_group(self) -> Group:
        return next(g for g in self.groups if g.kind == "school")

    @property
    def community(self) -> Group | None:
        return next((g for g in self.groups if g.kind == "community"), None)

    def group(self, key: str) -> Group:
        return next(g for g in self.groups if g.id == f"{self.id}-groep{key}")


def _demo_accounts_people() -> tuple[str, str]:
    """Person ids behind the ``directie`` and ``leerkracht`` accounts (first school)."""
    first = data.DEMO_SCHOOLS[0]
    index = next(i for i, t in enumerate(first["teachers"], start=1) if len(t[2]) == 2)
    return f"{first['key']}-dir", f"{first['key']}-lk{index}"


DIRECTOR_PERSON, TEACHER_PERSON = _demo_accounts_people()


def school_specs(n_schools: int, rng: random.Random) -> list[dict]:
    specs = list(data.DEMO_SCHOOLS[:n_schools])
    for n in range(len(specs) + 1, n_schools + 1):
        base = data.EXTRA_SCHOOL_NAMES[(n - 3) % len(data.EXTRA_SCHOOL_NAMES)]
        place = data.PLACES[(n - 3) % len(data.PLACES)]
        kind = data.EXTRA_SCHOOL_KINDS[n % len(data.EXTRA_SCHOOL_KINDS)]
        name = f"{kind} {base}" + (f" ({place})" if n - 3 >= len(data.EXTRA_SCHOOL_NAMES) else "")
        teachers = []
        for key, _ in data.CLASS_GROUPS:
            first = rng.choice(data.ADULT_FIRST_NAMES)
            title = "juf" if rng.random() < 0.7 else "meester"
            teachers.append((f"{first} {rng.choice(data.LAST_NAMES)}", title, (key,)))
        specs.append({
            "key": f"s{n:02d}", "name": name, "brin": f"{n:02d}{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}",
            "place": place, "hours": ("08:00", "17:00"),
            "director": f"{rng.choice(data.ADULT_FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
            "school_admin": f"{rng.choice(data.ADULT_FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
            "mr_member": f"{rng.choice(data.ADULT_FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
            "teachers": tuple(teachers), "community": f"Ouders {base}",
        })
    return specs


def build_roster(rng: random.Random, specs: list[dict], pupils_per_class: tuple[int, int],
                 all_communities: bool = False) -> list[School]:
    schools: list[School] = []
    for spec in specs:
        sid = spec["key"]
        school = School(
            id=sid, name=spec["name"], brin=spec["brin"], hours=spec["hours"],
            director=(f"{sid}-dir", spec["director"]),
            school_admin=(f"{sid}-adm", spec["school_admin"]),
            mr_member=(f"{sid}-mr", spec["mr_member"]),
            teachers=[(f"{sid}-lk{i}", name, title, keys)
                      for i, (name, title, keys) in enumerate(spec["teachers"], start=1)],
        )
        for key, name in data.CLASS_GROUPS:
            group = Group(f"{sid}-groep{key}", sid, name, "class", name.lower())
            group.admins = [(tid, f"{title} {tname.split()[0]}")
                            for tid, tname, title, keys in school.teachers if key in keys]
            school.groups.append(group)
        general = Group(f"{sid}-school", sid, data.SCHOOL_GROUP_NAME, "school", "de school")
        general.admins = [(school.director[0], school.director[1])]
        school.groups.append(general)
        community_name = spec["community"] or (
            f"Ouders {spec['name']}" if all_communities else None)
        community = None
        if community_name:
            community = Group(f"{sid}-ouders", sid, community_name, "community", "de ouders")
            community.admins = [(school.director[0], school.director[1])]
            school.groups.append(community)

        n_parent = n_pupil = 0
        previous: list[Pupil] = []
        for group in school.class_groups:
            for _ in range(rng.randint(*pupils_per_class)):
                n_pupil += 1
                first = rng.choice(data.FIRST_NAMES)
                if previous and rng.random() < 0.12:        # a brother or sister
                    sibling = rng.choice(previous)
                    last = sibling.name[len(sibling.first) + 1:]
                    guardians = list(sibling.guardians)
                else:
                    last = rng.choice(data.LAST_NAMES)
                    guardians = []
                    for k in range(1 if rng.random() < 0.2 else 2):
                        n_parent += 1
                        pid = f"{sid}-ouder{n_parent}"
                        surname = last if k == 0 else rng.choice(data.LAST_NAMES)
                        school.parents.append((pid, f"{rng.choice(data.ADULT_FIRST_NAMES)} {surname}"))
                        guardians.append(pid)
                r = rng.random()
                consent = "yes" if r < 0.84 else "no_photo" if r < 0.92 else "missing"
                pupil = Pupil(f"{sid}-ll{n_pupil}", f"{first} {last}", first, group.id,
                              guardians, consent)
                group.pupils.append(pupil)
                previous.append(pupil)
                for pid in guardians:
                    if pid not in group.parents:
                        group.parents.append(pid)
        general.parents = [pid for pid, _ in school.parents]
        if community is not None:
            community.parents = [pid for pid in general.parents if rng.random() < 0.4]
        schools.append(school)
    return schools


def roster_records(schools: list[School], now: datetime, rng: random.Random) -> Iterator[dict]:
    year = clock.school_year(now)
    start = int(year[:4])
    last_year = f"{start - 1}-{start}"
    for school in schools:
        yield {"type": "school", "id": school.id, "name": school.name, "brin": school.brin,
               "working_hours": {"start": school.hours[0], "end": school.hours[1]}}
        for first, last, name in data.school_holidays(start):
            yield {"type": "holiday", "school": school.id, "start": first, "end": last,
                   "name": name}
        for g in school.groups:
            yield {"type": "group", "id": g.id, "school": school.id, "name": g.name, "kind": g.kind}
        domain = school.id + ".example"
        staff = [(school.director, "director"), (school.school_admin, "school_admin")]
        staff += [((tid, name), "teacher") for tid, name, _, _ in school.teachers]
        for (pid, name), role in staff:
            email = name.split()[0][0].lower() + "." + name.split()[-1].lower() + "@" + domain
            yield {"type": "person", "id": pid, "school": school.id, "name": name, "role": role,
                   "email": email}
        yield {"type": "person", "id": school.mr_member[0], "school": school.id,
               "name": school.mr_member[1], "role": "mr_member"}
        for pid, name in school.parents:
            yield {"type": "person", "id": pid, "school": school.id, "name": name, "role": "parent"}
        for g in school.groups:
            for pid, _ in g.admins:
                yield {"type": "admin", "group": g.id, "person": pid}
        general = school.school_group
        for tid, _, _, _ in school.teachers:
            yield {"type": "member", "group": general.id, "person": tid}
        yield {"type": "member", "group": general.id, "person": school.mr_member[0]}
        for g in school.groups:
            for pid in g.parents:
                yield {"type": "member", "group": g.id, "person": pid}
        for g in school.class_groups:
            for p in g.pupils:
                yield {"type": "pupil", "id": p.id, "school": school.id, "group": g.id,
                       "name": p.name, "guardians": list(p.guardians)}
        for g in school.class_groups:
            for p in g.pupils:
                # Last year's form: the same answer on photos, except that the pupils
                # missing this year's form did consent last year.
                signed = date(start - 1, 8, 20) + timedelta(days=rng.randrange(40))
                photo = p.consent != "no_photo"
                yield {"type": "consent", "pupil": p.id, "school_year": last_year,
                       "portal_photo": photo, "portal_name": True, "website": False,
                       "signed_on": signed.isoformat()}
                if p.consent == "missing":
                    continue
                photo = p.consent in ("yes", "no_name")
                yield {"type": "consent", "pupil": p.id, "school_year": year,
                       "portal_photo": photo,
                       "portal_name": (photo or rng.random() < 0.5) and p.consent != "no_name",
                       "website": photo and rng.random() < 0.6,
                       "signed_on": (signed + timedelta(days=365)).isoformat()}


# -- the feed (posts, comments, reports, revisions) ---------------------------------------


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def fill_text(text: str, rng: random.Random, group: Group | None = None, teacher: str = "juf",
          pupil: Pupil | None = None) -> str:
    values = {"groep": group.label if group else "de groep", "juf": teacher,
              "dag": rng.choice(data.WEEKDAYS),
              "kind": pupil.first if pupil else "", "kind_vol": pupil.name if pupil else ""}
    filled = text.format_map(values)
    return filled[:1].upper() + filled[1:]


class _Feed:
    """Collects dated records and hands them back in time order."""

    def __init__(self, now: datetime, rng: random.Random):
        self.now = now
        self.rng = rng
        self.events: list[tuple[datetime, int, dict]] = []
        self.counts = {"post": 0, "comment": 0, "report": 0, "media": 0}

    def _next(self, kind: str) -> str:
        self.counts[kind] += 1
        return f"{kind}-{self.counts[kind]}"

    def _add(self, when: datetime, record: dict) -> dict:
        self.events.append((when, len(self.events), record))
        return record

    def photo(self, pupils: list[Pupil], tags: tuple[str, ...] = ("recognisable",),
              kind: str = "photo") -> dict:
        mid = self._next("media")
        pattern = self.rng.choice(data.PHOTO_FILES)
        file = pattern.format(n=self.rng.randrange(1, 9999))
        if kind == "video":
            file = file.rsplit(".", 1)[0] + ".mp4"
        return {"id": mid, "kind": kind, "file": file, "pupils": [p.id for p in pupils],
                "tags": list(tags)}

    def post(self, group: Group, author: str, when: datetime, title: str | None, body: str,
             media: list[dict] | None = None, comments_enabled: bool = True) -> dict:
        record: dict[str, Any] = {"type": "post", "id": self._next("post"), "group": group.id,
                                  "author": author, "created_at": _iso(when)}
        if title:
            record["title"] = title
        record["body"] = body
        if not comments_enabled:
            record["comments_enabled"] = False
        if media:
            record["media"] = media
        record["_at"] = when
        return self._add(when, record)

    def comment(self, post: dict, author: str, when: datetime, body: str) -> dict | None:
        if when >= self.now or when <= post["_at"]:
            return None
        record = {"type": "comment", "id": self._next("comment"), "post": post["id"],
                  "author": author, "created_at": _iso(when), "body": body, "_at": when}
        return self._add(when, record)

    def report(self, item: dict, reporter: str, reason: str, when: datetime,
               note: str | None = None) -> dict | None:
        when = min(when, self.now - timedelta(minutes=1))
        if when <= item["_at"]:
            return None
        record = {"type": "report", "id": self._next("report"), item["type"]: item["id"],
                  "reporter": reporter, "reason": reason, "created_at": _iso(when)}
        if note:
            record["note"] = note
        return self._add(when, record)

    def revise(self, post: dict, when: datetime, body: str, title: str | None = None) -> dict:
        record = {k: v for k, v in post.items() if k != "_at"}
        record["body"] = body
        if title:
            record["title"] = title
        return self._add(when, record)

    def records(self) -> list[dict]:
        self.events.sort(key=lambda e: (e[0], e[1]))
        return [{k: v for k, v in r.items() if k != "_at"} for _, _, r in self.events]


def _at(now: datetime, days_ago: int, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(now.date() - timedelta(days=days_ago), time(hour, minute), TZ)


def _working_time(rng: random.Random, day: date, start: str = "08:10", end: str = "16:30") -> datetime:
    lo = int(start[:2]) * 60 + int(start[3:])
    hi = int(end[:2]) * 60 + int(end[3:])
    minute = rng.randrange(lo, hi)
    return datetime.combine(day, time(minute // 60, minute % 60, rng.randrange(60)), TZ)


def _ordinary_comments(feed: _Feed, rng: random.Random, post: dict, group: Group,
                       teacher: tuple[str, str] | None, count: int, kind: str) -> None:
    when = post["_at"]
    comments = data.PARENT_COMMENTS[kind]
    replies = data.TEACHER_REPLIES.get(kind, ())
    for _ in range(count):
        when = when + timedelta(minutes=rng.randrange(4, 600))
        if when.hour < 7:                                  # parents sleep too
            when = when + timedelta(hours=7)
        body = fill_text(rng.choice(comments), rng, group, teacher[1] if teacher else "juf")
        feed.comment(post, rng.choice(group.parents), when, body)
        if teacher and replies and rng.random() < 0.2:
            reply_at = when + timedelta(minutes=rng.randrange(10, 120))
            if 8 <= reply_at.hour < 16 and reply_at.weekday() < 5:   # within working hours
                feed.comment(post, teacher[0], reply_at, rng.choice(replies))


def _demo_feed(schools: list[School], now: datetime, rng: random.Random) -> _Feed:
    feed = _Feed(now, rng)
    k, r = schools[0], schools[1]
    frequent, silent = k.group("8"), r.group("6")
    days = 42

    # Consent gaps the photos below depend on (set before any photo is chosen).
    no_photo = k.group("5").pupils[0]
    no_photo.consent = "no_photo"
    missing = k.group("3").pupils[1]
    missing.consent = "missing"
    no_name = k.group("6").pupils[2]
    no_name.consent = "no_name"           # photos yes, name no (group rule name_consent)

    # Everyday traffic. Every group posts at least about once a week, except the silent one.
    last_post: dict[str, int] = {}
    for offset in range(days, -1, -1):
        day = now.date() - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for school in schools:
            for group in school.class_groups:
                if group is silent and offset <= 11:
                    continue
                if group is frequent and offset <= 14:
                    n = rng.choice((1, 2, 2, 3))
                else:
                    n = 1 if rng.random() < 0.5 or last_post.get(group.id, 99) - offset >= 4 else 0
                if n:
                    last_post[group.id] = offset
                for _ in range(n):
                    when = _working_time(rng, day)
                    if when >= now:
                        continue
                    teacher = rng.choice(group.admins)
                    title, body, kind = rng.choice(data.CLASS_POSTS)
                    media = None
                    if (kind == "photo" and rng.random() < 0.85) or rng.random() < 0.06:
                        ok = group.photo_ok()
                        media = [feed.photo(rng.sample(ok, min(len(ok), rng.randint(2, 5))))]
                        if rng.random() < 0.1:
                            media.append(feed.photo(rng.sample(ok, 3), kind="video"))
                    post = feed.post(group, teacher[0], when, title,
                                     fill_text(body, rng, group, teacher[1]), media)
                    _ordinary_comments(feed, rng, post, group, teacher,
                                       rng.choice((0, 0, 1, 1, 2, 2, 3, 4)), kind)
            general = school.school_group
            if rng.random() < 0.35 or last_post.get(general.id, 99) - offset >= 4:
                last_post[general.id] = offset
                when = _working_time(rng, day)
                if when < now:
                    title, body, who = rng.choice(data.SCHOOL_POSTS)
                    author = school.director[0] if who == "director" else school.mr_member[0]
                    open_ = rng.random() < 0.6
                    post = feed.post(school.school_group, author, when, title,
                                     fill_text(body, rng, school.school_group), comments_enabled=open_)
                    if open_:
                        _ordinary_comments(feed, rng, post, school.school_group, None,
                                           rng.choice((0, 1, 2)), "school")
            community = school.community
            if community is not None and (rng.random() < 0.25
                                          or last_post.get(community.id, 99) - offset >= 4):
                last_post[community.id] = offset
                when = _working_time(rng, day, "07:30", "21:30")
                if when < now:
                    title, body = rng.choice(data.PARENT_POSTS)
                    post = feed.post(community, rng.choice(community.parents), when,
                                     title, fill_text(body, rng, community))
                    _ordinary_comments(feed, rng, post, community, None, rng.choice((0, 1, 2)),
                                       "community")

    def parent_of(group: Group, not_: str | None = None) -> str:
        return rng.choice([p for p in group.parents if p != not_])

    def host(group: Group, days_ago: int, hhmm: str, title: str, body: str,
             media: list[dict] | None = None) -> dict:
        """A teacher's post; on a weekday (the Friday before when the day is a weekend)."""
        teacher = group.admins[0]
        when = _at(now, days_ago, hhmm)
        if when.weekday() >= 5:
            when -= timedelta(days=when.weekday() - 4)
        return feed.post(group, teacher[0], when, title, fill_text(body, rng, group, teacher[1]),
                         media)

    def bad(reason: str, index: int, group: Group, pupil: Pupil | None = None) -> str:
        return fill_text(data.VIOLATIONS[reason][index], rng, group, group.admins[0][1], pupil)

    def note(reason: str, index: int = 0) -> str:
        return data.REPORT_NOTES[reason][index]

    def later(item: dict, minutes: int) -> datetime:
        return item["_at"] + timedelta(minutes=minutes)

    # Threat, on a teacher's post about the playground, late in the evening.
    g = k.group("7")
    post = host(g, 3, "14:05", "Omgaan met elkaar",
                "Afgelopen week waren er vervelende situaties op het plein. We praten er in de klas "
                "over hoe we met elkaar omgaan. Heeft u vragen, kom gerust langs na schooltijd.")
    threat = feed.comment(post, parent_of(g), _at(now, 3, "21:12"), bad("threat", 0, g))
    feed.report(threat, parent_of(g), "threat", later(threat, 14), note("threat"))
    feed.report(threat, parent_of(g), "threat", later(threat, 55), note("threat", 1))
    # A threat in a group of the demo teacher (leerkracht), so a teacher can handle one.
    g = k.group("6")
    post = host(g, 2, "13:10", "Pesten op het plein",
                "We merken dat er in de pauzes geplaagd wordt. Deze week maken we in de klas "
                "samen afspraken over hoe we met elkaar omgaan.")
    threat = feed.comment(post, parent_of(g), _at(now, 2, "22:40"), bad("threat", 2, g))
    feed.report(threat, parent_of(g), "threat", later(threat, 30), note("threat"))
    # Abuse after a cancelled gym lesson.
    g = k.group("4")
    post = host(g, 6, "08:20", "Geen gym vandaag",
                "Helaas gaat de gymles vandaag niet door omdat de sporthal onverwacht dicht is. We "
                "gaan in plaats daarvan buiten spelen.")
    abuse = feed.comment(post, parent_of(g), later(post, 35), bad("abuse", 0, g))
    feed.report(abuse, parent_of(g), "abuse", later(abuse, 20), note("abuse"))
    g = r.group("8")
    post = host(g, 9, "10:30", "Cito-toetsen", "Volgende week zijn de M-toetsen. Zorg dat uw kind "
                "goed uitgerust is; huiswerk is er die week niet.")
    feed.comment(post, parent_of(g), later(post, 180), bad("abuse", 2, g))
    # Discrimination.
    g = r.group("5")
    post = host(g, 9, "11:15", "Nieuwe leerlingen",
                "Deze week zijn er twee nieuwe kinderen in de groep gekomen. We heten ze van harte "
                "welkom en helpen ze hun weg te vinden!")
    disc = feed.comment(post, parent_of(g), later(post, 240), bad("discrimination", 0, g))
    feed.report(disc, parent_of(g), "discrimination", later(disc, 30), note("discrimination"))
    feed.comment(post, parent_of(g), later(post, 400), bad("discrimination", 2, g))
    # Sexual remark under the director's welcome of a new colleague.
    gs = r.school_group
    post = feed.post(gs, r.director[0], _at(now, 12, "09:00"), "Nieuwe collega",
                     "Vanaf deze week werkt juf Yvonne Dekker in groep 7. Zij komt van een school in "
                     "Eindhoven en heeft veel zin om te beginnen. Van harte welkom!")
    sexual = feed.comment(post, parent_of(gs), later(post, 600), bad("sexual", 0, gs))
    feed.report(sexual, parent_of(gs), "sexual", later(sexual, 90), note("sexual"))
    # Commercial: an ad in the parents' community, and a post edited into one.
    com = k.community
    assert com is not None
    parents = com.parents
    feed.post(com, parents[3], _at(now, 4, "20:15"), "Tupperware", bad("commercial", 0, com))
    bike = feed.post(com, parents[7], _at(now, 5, "19:40"), "Kinderfiets",
                     "Mijn dochter is uit haar fiets gegroeid (20 inch). Heeft iemand interesse?")
    feed.revise(bike, _at(now, 5, "21:02"), bad("commercial", 1, com), title="Kinderfiets te koop")
    # Political and religious messaging.
    post = feed.post(gs, r.director[0], _at(now, 15, "12:30"), "Stembureau in de gymzaal",
                     "Woensdag is onze gymzaal een stembureau. De gymlessen gaan die dag niet door.")
    feed.comment(post, parent_of(gs), later(post, 120), bad("political_religious", 0, gs))
    church = feed.post(com, parents[11], _at(now, 8, "18:45"), "Kinderdienst",
                       bad("political_religious", 1, com))
    feed.report(church, parents[12], "political_religious", later(church, 200),
                note("political_religious", 1))
    # Negative: talking about a teacher instead of with her.
    g = k.group("6")
    post = host(g, 2, "13:10", "Rekenen", "We oefenen deze weken met breuken. Het gaat al heel "
                "goed! Thuis kunt u helpen door samen een taart of pizza te verdelen.")
    negative = feed.comment(post, parent_of(g), later(post, 300), bad("negative", 0, g))
    feed.report(negative, parent_of(g), "negative", later(negative, 45), note("negative"))
    feed.report(negative, parent_of(g), "negative", later(negative, 300), note("negative", 1))
    g = r.group("4")
    post = host(g, 11, "09:45", "Toetsweek", "Deze week zijn de toetsen van blok 3. Zorg voor een "
                "goed ontbijt!")
    negative2 = feed.comment(post, parent_of(g), later(post, 500), bad("negative", 1, g))
    feed.report(negative2, parent_of(g), "negative", later(negative2, 60), note("negative", 1))
    # About one individual child: a teacher's slip, and a parent's question.
    g = k.group("5")
    pupil = g.pupils[5]
    child = host(g, 5, "13:40", "Vandaag in de klas", bad("individual_child", 0, g, pupil))
    feed.report(child, parent_of(g), "individual_child", later(child, 120), note("individual_child"))
    g3 = r.group("3")
    post = host(g3, 7, "10:10", "Verjaardagen", data.CLASS_POSTS[28][1])
    feed.comment(post, parent_of(g3), later(post, 90), bad("individual_child", 1, g3, g3.pupils[2]))
    # Confidential pupil information.
    post = host(g, 1, "11:00", "Rustig werken", "We werken deze week aan concentratie: met een "
                "koptelefoon op en een timer op het bord. De kinderen vinden het fijn!")
    conf = feed.comment(post, parent_of(g), later(post, 150), bad("confidential", 0, g, g.pupils[7]))
    feed.report(conf, parent_of(g), "confidential", later(conf, 40), note("confidential"))
    g6 = k.group("6")
    post = host(g6, 7, "14:20", "Gesprekken", "De komende weken plannen we de voortgangsgesprekken. "
                "U krijgt binnenkort een uitnodiging.")
    conf = feed.comment(post, parent_of(g6), later(post, 200),
                        bad("confidential", 1, g6, g6.pupils[3]))
    feed.report(conf, parent_of(g6), "confidential", later(conf, 15), note("confidential", 1))
    g4 = r.group("4")
    post = host(g4, 13, "10:00", "Schoolzwemmen", data.HARD_NEGATIVES[4][1])
    feed.comment(post, parent_of(g4), later(post, 100), bad("confidential", 2, g4, g4.pupils[4]))
    # Photos: a pupil without photo consent this year, one with no consent at all.
    shown = g.photo_ok()[:3] + [no_photo]
    photo = host(g, 3, "15:05", "Wat een week!",
                 "Wat hebben we hard gewerkt aan onze werkstukken over dieren. Kijk eens wat een "
                 "mooie resultaten!", [feed.photo(shown)])
    feed.report(photo, no_photo.guardians[0], "photo_consent", later(photo, 240),
                note("photo_consent"))
    g3k = k.group("3")
    host(g3k, 10, "12:45", "Buitenles", "Vandaag hadden we buitenles: letters stoepkrijten op het "
         "plein!", [feed.photo(g3k.photo_ok()[:2] + [missing])])
    # Swimwear.
    swim = host(g4, 6, "15:30", "Schoolzwemmen", "Wat hebben ze goed hun best gedaan bij het "
                "schoolzwemmen! Volgende week oefenen we voor het diploma.",
                [feed.photo(g4.photo_ok()[:4], ("swimwear", "recognisable"))])
    feed.report(swim, parent_of(g4), "swimwear", later(swim, 180), note("swimwear"))
    # Objection against a photo.
    g8 = k.group("8")
    subject = g8.photo_ok()[0]
    photo = host(g8, 2, "11:30", "Toneelvoorstelling", "Wat een prachtige voorstelling hebben "
                 "de kinderen vandaag gegeven!", [feed.photo(g8.photo_ok()[:4])])
    feed.report(photo, subject.guardians[0], "objection", later(photo, 400), note("objection"))
    # Other: a date mistake, corrected later (a revision), and a report about private contact.
    g7 = r.group("7")
    trip = host(g7, 8, "09:30", "Schoolreisje", "Het schoolreisje is op dinsdag 14 november. "
                "We vertrekken om 8.30 uur.")
    feed.report(trip, parent_of(g7), "other", later(trip, 60), note("other", 1))
    feed.revise(trip, later(trip, 190), "Het schoolreisje is op donderdag 16 november (en niet "
                "op dinsdag, excuses!). We vertrekken om 8.30 uur.")
    play = feed.post(com, parents[20], _at(now, 6, "16:00"), data.PARENT_POSTS[2][0],
                     fill_text(data.PARENT_POSTS[2][1], rng, com))
    feed.report(play, parents[21], "other", later(play, 300), note("other", 0))
    # A report about something harmless (to be dismissed).
    post = host(g8, 4, "10:20", "Sportdag", fill_text(data.CLASS_POSTS[27][1], rng, g8))
    feed.report(post, parent_of(g8), "other", later(post, 90),
                "Waarom staat mijn kind niet in de lijst van de onderdelen?")
    # Off-hours posts by staff.
    host(frequent, 9, "22:14", "Morgen gym", "Denk eraan: morgen gym in de sporthal, gymspullen mee!")
    host(r.group("3"), 4, "06:20", "Vandaag later", "Door een storing begint de dag een kwartier "
         "later. De deur gaat om 8.45 uur open.")
    sunday = 1 + (now.date().weekday() + 1) % 7
    feed.post(k.school_group, k.director[0], _at(now, sunday, "20:30"), "Maandag",
              "Een herinnering voor morgen: de kinderen mogen hun knuffel meenemen voor de "
              "pyjamadag van de onderbouw.", comments_enabled=False)
    host(r.group("7"), 2, "19:05", "Huiswerk", "Vergeet niet de aardrijkskundetoets te leren, "
         "hoofdstuk 3 tot en met 5.")
    # Group rules (membership, name_consent, pupil_results).
    g3k, g4k = k.group("3"), k.group("4")
    stranger = next(p for p in g3k.parents if p not in g4k.parents)
    feed.post(g4k, stranger, _at(now, 5, "20:15"), "Klusdag",
              "Wie helpt er zaterdag mee met de klusdag op het plein? Koffie staat klaar!")
    g6 = k.group("6")
    host(g6, 3, "14:10", "Voorleeswedstrijd",
         f"{no_name.name} heeft de voorleeswedstrijd van de school gewonnen, gefeliciteerd!")
    g7k = k.group("7")
    marks = ", ".join(f"{p.name} {m}" for p, m in zip(g7k.pupils[:4], ("8", "6,5", "9", "7"),
                                                      strict=False))
    host(g7k, 1, "13:20", "Dictee", f"De uitslagen van het dictee: {marks}. Goed gedaan!")
    # Hard negatives.
    for i, (title, body, who) in enumerate(data.HARD_NEGATIVES):
        days_ago = 2 + (i * 3) % 20
        if who == "director":
            feed.post(k.school_group, k.director[0], _at(now, days_ago, "09:15"), title,
                      fill_text(body, rng, k.school_group), comments_enabled=False)
        elif who == "teacher":
            host(k.group("5") if i % 2 else r.group("3"), days_ago, "12:35", title or "", body)
        elif who == "parent_post":
            feed.post(com, parents[30], _at(now, days_ago, "20:00"), title, body)
        else:
            gg = k.group(("3", "4", "7", "8")[i % 4])
            post = host(gg, days_ago, "10:05", "Uitje", data.CLASS_POSTS[0][1])
            feed.comment(post, parent_of(gg), later(post, 45), fill_text(body, rng, gg))
    return feed


def demo_records(now: datetime | None = None) -> list[dict]:
    """The demo foundation as portal-export records, in file order."""
    now = (now or clock.now()).astimezone(TZ)
    rng = random.Random(DEMO_SEED)
    schools = build_roster(rng, school_specs(2, rng), (20, 27))
    feed = _demo_feed(schools, now, rng)          # adjusts a few consents: roster goes after
    return list(roster_records(schools, now, rng)) + feed.records()


# -- writing and loading --------------------------------------------------------------------


def write_export(path: str | Path, records: Iterable[dict]) -> int:
    """Write records as a JSON Lines portal export; returns the number of lines."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            n += 1
    return n


def is_empty(store: Store) -> bool:
    return counts.is_empty(store)


def size(store: Store) -> dict[str, int]:
    """What a database holds, for the demo's messages: schools, posts, open flags."""
    return {"schools": counts.rows_in(store, "schools"), "posts": counts.rows_in(store, "posts"),
            "open_flags": counts.open_flags(store)}


def create_demo_accounts(store: Store) -> list[str]:
    """The three demo accounts (password ``demo``); existing ones are left alone."""
    made = []
    for username, person, role in (("directie", DIRECTOR_PERSON, None),
                                   ("leerkracht", TEACHER_PERSON, None),
                                   ("avg", None, AVG)):
        if accounts.exists(store, username):
            continue
        add_account(store, username, PASSWORD, person_id=person, role=role)
        made.append(username)
    return made


def import_demo(store: Store, records: Iterable[dict], *,
                on_record: Callable[[dict], None] | None = None,
                on_phase: Callable[[str, int, int], None] | None = None) -> ImportSummary:
    """Import demo records through the importer (which scans them) and add the three
    demo accounts. ``on_record`` sees every record as it is generated; ``on_phase``
    is the importer's progress callback. Returns the importer's summary."""
    if on_record is not None:
        records = _observed(records, on_record)
    summary = import_records(store, enumerate(records, start=1), source=SOURCE,
                             progress=on_phase)
    create_demo_accounts(store)
    return summary


def load_demo(store: Store, *, posts: int | None = None, seed: int = 1) -> ImportSummary:
    """Import the demo (or, with ``posts``, the benchmark data set) and add the accounts."""
    if posts is None:
        return import_demo(store, demo_records())
    from moderator.benchdata import bench_records

    return import_demo(store, bench_records(posts, seed))


def _observed(records: Iterable[dict], on_record: Callable[[dict], None]) -> Iterator[dict]:
    for record in records:
        on_record(record)
        yield record


def ensure_demo(store: Store) -> bool:
    """Fill the demo when the database has no schools yet; returns whether it did."""
    if counts.has_rows(store, "schools"):
        return False
    load_demo(store)
    connect_demo_portal(store)
    return True


def connect_demo_portal(store: Store) -> None:
    """Give every demo school a folder connector in ``portal/<school>/`` next to the
    database, so a new user sees the actions of their decisions appear as files and can
    confirm them with a receipts file (README, "Portal sync")."""
    from moderator.portal.folder import ensure_layout
    from moderator.store import counts, outbox

    for school_id in counts.school_ids(store):
        root = ensure_layout(store.path.resolve().parent / "portal" / school_id)
        outbox.save_connector(store, school_id=school_id, kind="folder", actor="system:demo",
                              folder=str(root))
