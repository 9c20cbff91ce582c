"""The benchmark data set: ``moderator demo --posts N --seed S``.

A deterministic, lazily generated data set of N posts (plus about 0.6 comments per post,
reports, photos and about 10% violating or reported items) over as many schools as the
size calls for, with the roster the demo builds (:mod:`moderator.demo`). Same N, seed
and ``MODERATOR_NOW`` give the same records.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from moderator import clock
from moderator import demo_data as data
from moderator.demo import TZ, Group, Pupil, build_roster, fill_text, roster_records, school_specs
from moderator.errors import UsageError

_TEXT_VIOLATIONS = ("abuse", "discrimination", "threat", "sexual", "commercial",
                    "political_religious", "negative")
_CHILD_VIOLATIONS = ("individual_child", "confidential")
_REPORT_REASONS = ("negative", "other", "objection", "abuse", "individual_child", "commercial")


def bench_size(posts: int) -> int:
    """How many schools a data set of ``posts`` posts spreads over."""
    return min(60, max(2, round(posts / 20_000)))


def bench_records(posts: int, seed: int, now: datetime | None = None) -> Iterator[dict]:
    """A deterministic data set of ``posts`` posts (plus ~0.6 comments per post), lazily.

    About one item in ten is violating or reported, so ~posts/10 flags end up open.
    """
    if posts < 0:
        raise UsageError("--posts moet nul of meer zijn")
    now = (now or clock.now()).astimezone(TZ)
    rng = random.Random(seed)
    schools = build_roster(rng, school_specs(bench_size(posts), rng), (22, 28),
                           all_communities=True)
    yield from roster_records(schools, now, rng)

    groups = [g for s in schools for g in s.class_groups + [s.school_group]]
    communities = [s.community for s in schools]
    photo_ok = {g.id: g.photo_ok() for g in groups}
    no_consent = {g.id: [p for p in g.pupils if p.consent != "yes"] for g in groups}
    span_days = max(28, min(365, posts // 500))
    # Times as whole minutes since midnight of the first day, written with precomputed
    # day strings: datetime arithmetic per record would dominate the generator.
    first_day = now.date() - timedelta(days=span_days)
    day_strings = [(first_day + timedelta(days=d)).isoformat() for d in range(span_days + 1)]
    now_minute = span_days * 1440 + now.hour * 60 + now.minute
    rand, choice = rng.random, rng.choice
    n_comment = n_report = n_media = 0
    class_posts, school_posts = data.CLASS_POSTS, data.SCHOOL_POSTS
    comments_pool, violations = data.PARENT_COMMENTS, data.VIOLATIONS

    def stamp(minute: int) -> str:
        day, rest = divmod(minute, 1440)
        return f"{day_strings[day]}T{rest // 60:02d}:{rest % 60:02d}:{int(rand() * 60):02d}+01:00"

    def fill(text: str, group: Group, teacher: str, pupil: Pupil | None = None) -> str:
        if "{" not in text:
            return text
        return fill_text(text, rng, group, teacher, pupil)

    def report(item: dict, at: int, reporter: str, reason: str) -> dict:
        nonlocal n_report
        n_report += 1
        when = min(at + 5 + int(rand() * 595), now_minute - 1)
        return {"type": "report", "id": f"report-{n_report}", item["type"]: item["id"],
                "reporter": reporter, "reason": reason, "created_at": stamp(when),
                "note": choice(data.REPORT_NOTES[reason])}

    for i in range(1, posts + 1):
        day = (i - 1) * span_days // max(posts, 1)
        r = rand()
        if r < 0.02:                                   # evening, off working hours
            minute = 1050 + int(rand() * 330)          # 17:30-23:00
        else:
            minute = 485 + int(rand() * 530)           # 08:05-16:55
        at = day * 1440 + minute
        if at >= now_minute:
            at = now_minute - 1 - int(rand() * 599)
        created_at = stamp(at)
        post: dict[str, Any]
        r = rand()
        if r < 0.04:                                   # a violating parent post
            community = communities[int(rand() * len(communities))]
            assert community is not None
            reason = choice(_TEXT_VIOLATIONS)
            author = choice(community.parents)
            post = {"type": "post", "id": f"post-{i}", "group": community.id, "author": author,
                    "created_at": created_at,
                    "body": fill(choice(violations[reason]), community, "juf")}
            group = community
            kind = "community"
        else:
            group = groups[int(rand() * len(groups))]
            teacher_id, teacher = group.admins[int(rand() * len(group.admins))]
            if group.kind == "school":
                title, body, _ = school_posts[int(rand() * len(school_posts))]
                kind = "school"
            else:
                title, body, kind = class_posts[int(rand() * len(class_posts))]
            post = {"type": "post", "id": f"post-{i}", "group": group.id, "author": teacher_id,
                    "created_at": created_at, "title": title,
                    "body": fill(body, group, teacher)}
            reason = None
            if group.kind == "class" and rand() < 0.12:
                n_media += 1
                shown = photo_ok[group.id]
                tags = ["recognisable"]
                m = rand()
                if m < 0.03 and no_consent[group.id]:      # pupil without photo consent
                    shown = shown[:2] + [choice(no_consent[group.id])]
                    reason = "photo_consent"
                elif m < 0.05:
                    tags = ["swimwear"]
                    reason = "swimwear"
                else:
                    k = int(rand() * (len(shown) - 3)) if len(shown) > 4 else 0
                    shown = shown[k:k + 3]
                post["media"] = [{"id": f"media-{n_media}", "kind": "photo",
                                  "file": f"IMG_{n_media:07d}.jpg",
                                  "pupils": [p.id for p in shown], "tags": tags}]
        yield post
        if rand() < (0.3 if reason else 0.02):
            yield report(post, at, choice(group.parents), reason or choice(_REPORT_REASONS))
        # Comments: 0, 1, 2 or 3 (mean 0.6).
        r = rand()
        count = 0 if r < 0.6 else 1 if r < 0.85 else 2 if r < 0.95 else 3
        when = at
        parents = group.parents
        for _ in range(count):
            when = when + 3 + int(rand() * 397)
            if when >= now_minute:
                break
            n_comment += 1
            c = rand()
            creason = None
            if c < 0.03 and group.kind == "class":
                creason = choice(_CHILD_VIOLATIONS)
                body = fill(choice(violations[creason]), group, "juf", choice(group.pupils))
            elif c < 0.04:
                creason = choice(_TEXT_VIOLATIONS)
                body = fill(choice(violations[creason]), group, "juf")
            else:
                pool = comments_pool[kind]
                body = fill(pool[int(rand() * len(pool))], group, "juf")
            comment = {"type": "comment", "id": f"comment-{n_comment}", "post": post["id"],
                       "author": parents[int(rand() * len(parents))], "created_at": stamp(when),
                       "body": body}
            yield comment
            if creason and rand() < 0.3:
                yield report(comment, when, parents[int(rand() * len(parents))], creason)
        if rand() < 0.002 and "title" in post:          # an edited post: a revision
            revised = dict(post)
            revised["body"] = post["body"] + "\n\nAanvulling: graag uiterlijk vrijdag reageren."
            yield revised
