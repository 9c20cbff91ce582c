"""Item detail: what a moderator sees of a post or comment, and comments on/off."""

from __future__ import annotations

import pytest
from helpers_deletion import (
    AVG,
    DIRECTOR,
    OTHER_DIRECTOR,
    TEACHER3,
    TEACHER5,
    add_comment,
    add_media,
    add_post,
    add_report,
    add_revision,
    add_rule_flag,
)

from moderator.errors import NotFound, PermissionDenied, UsageError
from moderator.services.moderation import set_comments
from moderator.services.queue import get_item_detail
from moderator.store import audit


@pytest.fixture
def thread(school_store):
    s = school_store
    add_post(s, "P1", "Eerste versie", title="Schoolreisje")
    add_revision(s, "post:P1", 2, "Tweede versie, jij sukkel", title="Schoolreisje")
    add_comment(s, "C1", "P1", "Leuk!")
    add_comment(s, "C2", "P1", "Wat een onzin", created_at="2026-11-20T17:00:00+01:00")
    add_media(s, "M1", "P1", [("k1", "Sanne", True), ("k2", "Timo", False), ("k3", "Ilse", None)],
              tags=["recognisable"])
    with s.write():  # a consent for another year does not count
        s.execute("INSERT INTO consents VALUES ('k3', '2025-2026', 1, 1, 1, NULL)")
    add_report(s, "post:P1", "abuse", note="Scheldwoord")
    add_rule_flag(s, "post:P1", "abuse", "sukkel", start=20)
    return s


def test_post_detail_has_thread_revisions_media_and_flags(thread):
    d = get_item_detail(thread, TEACHER3, "post:P1")
    assert (d.school_name, d.group_name, d.author_name, d.author_role) == (
        "De Klimboom", "Groep 3", "Ouder Dirk", "parent")
    assert d.body == "Tweede versie, jij sukkel"
    assert [r.body for r in d.revisions] == ["Eerste versie", "Tweede versie, jij sukkel"]
    assert [c.id for c in d.comments] == ["C1", "C2"]
    assert d.comments[1].author_name == "Ouder Eva"
    (m,) = d.media
    assert m.tags == ("recognisable",)
    assert {p.name: p.photo_consent for p in m.pupils} == {"Sanne": True, "Timo": False, "Ilse": None}
    assert sorted(f.source for f in d.flags) == ["report", "rule"]
    assert d.post is None and d.comments_enabled


def test_comment_detail_carries_its_post_as_context(thread):
    d = get_item_detail(thread, DIRECTOR, "comment:C2")
    assert d.kind == "comment" and d.body == "Wat een onzin"
    assert d.post is not None and d.post.item == "post:P1"
    assert d.post.title == "Schoolreisje"
    assert d.comments == () and d.media == ()


def test_closed_flags_are_included(thread):
    from moderator.store.flags import close_flags

    close_flags(thread, "post:P1", "dismissed", "juf", "geen probleem")
    d = get_item_detail(thread, TEACHER3, "post:P1")
    assert {f.status for f in d.flags} == {"dismissed"}


def test_unknown_and_malformed_items(thread):
    with pytest.raises(NotFound):
        get_item_detail(thread, TEACHER3, "post:nope")
    with pytest.raises(UsageError):
        get_item_detail(thread, TEACHER3, "photo:P1")


@pytest.mark.parametrize("actor", [TEACHER5, OTHER_DIRECTOR])
def test_outsiders_may_not_read(thread, actor):
    with pytest.raises(PermissionDenied):
        get_item_detail(thread, actor, "post:P1")


def test_avg_reads_and_the_read_is_logged(thread):
    get_item_detail(thread, AVG, "comment:C1")
    rows = thread.rows("SELECT actor, action, detail FROM access_log")
    assert [(r["actor"], r["action"]) for r in rows] == [("avg", "view")]
    assert "comment:C1" in rows[0]["detail"]


def test_teacher_turns_comments_off_and_on_audited(thread):
    set_comments(thread, TEACHER3, "P1", False)
    assert not get_item_detail(thread, TEACHER3, "post:P1").comments_enabled
    set_comments(thread, DIRECTOR, "P1", True)
    assert get_item_detail(thread, TEACHER3, "post:P1").comments_enabled
    actions = [(e.actor, e.action, e.detail) for e in audit.entries(thread, action="post.comments")]
    assert actions == [("directeur", "post.comments", {"enabled": True}),
                       ("juf", "post.comments", {"enabled": False})]


def test_comments_toggle_refused_for_other_teacher_and_avg(thread):
    for actor in (TEACHER5, AVG):
        with pytest.raises(PermissionDenied):
            set_comments(thread, actor, "P1", False)
    with pytest.raises(NotFound):
        set_comments(thread, TEACHER3, "nope", False)
    assert get_item_detail(thread, TEACHER3, "post:P1").comments_enabled
