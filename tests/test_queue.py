import json

import pytest
from click.testing import CliRunner
from helpers_import import sample_records

from moderator.cli import main
from moderator.errors import PermissionDenied
from moderator.policy.access import Actor
from moderator.services import scanning
from moderator.services.importing import import_records
from moderator.services.queue import count_queue, get_entry, list_queue, queue_groups
from moderator.store import Store
from moderator.store.queue import QueueFilter, fts_query

HOSTILE = "Die juf \x1b[2J\x1b]0;pwned\x07 [bold red]x[/] [@click=app.quit]y[/] \u202e sukkel"
REASONS = ["abuse", "threat", "commercial", "negative", "other"]


REAL_SCAN = scanning.scan_items


@pytest.fixture(autouse=True)
def _no_rule_scan(monkeypatch):
    """Rule flags are the scanner's business (its own tests); here only reports open flags."""
    monkeypatch.setattr(scanning, "scan_items", lambda store, items, **kwargs: 0)


def other_school() -> list[dict]:
    return [
        {"type": "school", "id": "s2", "name": "De Regenboog"},
        {"type": "group", "id": "h1", "school": "s2", "name": "Groep 1", "kind": "class"},
        {"type": "person", "id": "d2", "school": "s2", "name": "Directeur Dora", "role": "director"},
        {"type": "person", "id": "q1", "school": "s2", "name": "Ouder Quinten", "role": "parent"},
        {"type": "post", "id": "b1", "group": "h1", "author": "q1",
         "created_at": "2026-11-19T08:00:00+01:00", "body": "Te koop: fietsen"},
        {"type": "report", "id": "x1", "post": "b1", "reporter": "d2", "reason": "commercial",
         "created_at": "2026-11-19T09:00:00+01:00"},
    ]


def many_reported_comments(n: int) -> list[dict]:
    """n comments, spread over a1 (group g3) and a2 (g5), each reported."""
    records = []
    for i in range(n):
        post = "a1" if i % 3 == 0 else "a2"
        records.append({"type": "comment", "id": f"m{i:03d}", "post": post, "author": "p1",
                        "created_at": f"2026-11-2{i % 5}T{10 + i % 8:02d}:{i % 60:02d}:00+01:00",
                        "body": f"reactie nummer {i} " + ("fietsen" if i % 7 == 0 else "")})
        records.append({"type": "report", "id": f"rep{i:03d}", "comment": f"m{i:03d}",
                        "reporter": "p2", "reason": REASONS[i % len(REASONS)],
                        "created_at": "2026-11-24T08:00:00+01:00"})
    return records


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "moderator.db")
    records = sample_records()
    records[17]["body"] = HOSTILE
    import_records(s, enumerate(records + other_school(), start=1), source="test")
    yield s
    s.close()


def actor(role, school="s1", groups=(), username="u"):
    return Actor(username=username, role=role, person_id=None, school_id=school, name=username,
                 admin_groups=frozenset(groups))


TEACHER3 = actor("teacher", groups={"g3"})
DIRECTOR1 = actor("director")
DIRECTOR2 = actor("director", school="s2")


def items(entries):
    return [e.item for e in entries]


def test_teacher_sees_only_the_groups_they_administer(store):
    assert items(list_queue(store, TEACHER3)) == ["post:a1"]
    assert count_queue(store, TEACHER3) == 1
    assert queue_groups(store, TEACHER3) == [("g3", "Groep 3")]
    assert get_entry(store, TEACHER3, "comment:c2") is None
    with pytest.raises(PermissionDenied):
        list_queue(store, TEACHER3, QueueFilter(group_id="g5"))


def test_director_sees_the_whole_school_and_nothing_of_another(store):
    entries = list_queue(store, DIRECTOR1)
    assert items(entries) == ["post:a1", "comment:c2"]          # photo_consent 75, abuse 70
    first = entries[1]
    assert (first.group_name, first.author_name, first.reasons, first.sources, first.n_reports) == (
        "Groep 5", "Ouder Eva", ("abuse",), ("report",), 1)
    assert items(list_queue(store, DIRECTOR2)) == ["post:b1"]
    assert list_queue(store, DIRECTOR1, QueueFilter(group_id="h1")) == []
    assert get_entry(store, DIRECTOR1, "post:b1") is None
    assert get_entry(store, DIRECTOR2, "post:b1").excerpt == "Te koop: fietsen"
    assert [g for g, _ in queue_groups(store, DIRECTOR1)] == ["g3", "g5"]


@pytest.mark.parametrize("role", ["avg", "school_admin", "system"])
def test_other_roles_are_refused(store, role):
    for read in (list_queue, count_queue, queue_groups):
        with pytest.raises(PermissionDenied):
            read(store, actor(role))
    with pytest.raises(PermissionDenied):
        get_entry(store, actor(role), "post:a1")


def test_keyset_pages_cover_the_queue_once_in_order(store):
    import_records(store, enumerate(many_reported_comments(150), start=1), source="more")
    for who in (DIRECTOR1, actor("teacher", groups={"g3", "g5"})):
        whole = list_queue(store, who, limit=1000)
        assert len(whole) == count_queue(store, who) == 152
        keys = [(-e.severity, e.created_at, e.item) for e in whole]
        assert keys == sorted(keys)
        paged, after = [], None
        while page := list_queue(store, who, after=after, limit=17):
            paged += page
            after = page[-1].cursor
        assert items(paged) == items(whole)


def test_filters_by_group_reason_source_and_words(store):
    import_records(store, enumerate(many_reported_comments(30), start=1), source="more")
    g3 = list_queue(store, DIRECTOR1, QueueFilter(group_id="g3"), limit=500)
    assert g3 and {e.group_id for e in g3} == {"g3"}
    threats = list_queue(store, DIRECTOR1, QueueFilter(reason="threat"), limit=500)
    assert len(threats) == 6 and all("threat" in e.reasons for e in threats)
    assert list_queue(store, DIRECTOR1, QueueFilter(source="rule")) == []
    found = list_queue(store, DIRECTOR1, QueueFilter(search="FIETS"), limit=500)
    assert sorted(items(found)) == [f"comment:m{i:03d}" for i in range(30) if i % 7 == 0]
    assert count_queue(store, DIRECTOR1, QueueFilter(search="reactie 12")) == 1


def test_reason_and_source_filters_page_in_queue_order_and_follow_flag_changes(store):
    import_records(store, enumerate(many_reported_comments(60), start=1), source="more")
    for who in (DIRECTOR1, actor("teacher", groups={"g3", "g5"})):
        for flt in (QueueFilter(reason="negative"), QueueFilter(source="report"),
                    QueueFilter(reason="other", source="report")):
            whole = list_queue(store, who, flt, limit=1000)
            expected = [e for e in list_queue(store, who, limit=1000)
                        if (flt.reason is None or flt.reason in e.reasons)
                        and (flt.source is None or flt.source in e.sources)]
            assert items(whole) == items(expected) and count_queue(store, who, flt) == len(expected)
            paged, after = [], None
            while page := list_queue(store, who, flt, after=after, limit=7):
                paged += page
                after = page[-1].cursor
            assert items(paged) == items(whole)
    from moderator.store.flags import close_flags

    negative = list_queue(store, DIRECTOR1, QueueFilter(reason="negative"), limit=1000)
    close_flags(store, negative[0].item, "dismissed", "carla", None)
    after_close = list_queue(store, DIRECTOR1, QueueFilter(reason="negative"), limit=1000)
    assert items(after_close) == items(negative[1:])


@pytest.mark.parametrize("query", ['"', 'fiets AND (', "NEAR(a b", "*", "body:x", "- ^ ''"])
def test_search_syntax_typed_by_a_user_never_errors(store, query):
    assert isinstance(list_queue(store, DIRECTOR1, QueueFilter(search=query)), list)


def test_fts_query_quotes_every_word():
    assert fts_query('fiets AND "x') == '"fiets"* "AND"* """x"*'
    assert fts_query("   ") is None


def test_closed_flags_leave_the_queue(store):
    from moderator.store.flags import close_flags

    close_flags(store, "comment:c2", "dismissed", "carla", None)
    assert items(list_queue(store, DIRECTOR1)) == ["post:a1"]


# -- the CLI ------------------------------------------------------------------------------

@pytest.fixture
def cli_db(store, monkeypatch):
    from moderator.services.accounts import add_account

    add_account(store, "carla", "geheim", person_id="d1")
    add_account(store, "anouk", "geheim", person_id="t3")
    add_account(store, "avg", "geheim", role="avg")
    monkeypatch.setenv("MODERATOR_PASSWORD", "geheim")
    return store.path


def run(db, *args, **kwargs):
    return CliRunner().invoke(main, ["--db", str(db), *args], **kwargs)


def test_cli_queue_json(cli_db):
    result = run(cli_db, "queue", "--user", "carla", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["item"] for d in data] == ["post:a1", "comment:c2"]
    first = data[1]
    assert {k: first[k] for k in ("id", "group", "author", "created", "reasons", "reports")} == {
        "id": "c2", "group": "g5", "author": "p2", "created": "2026-11-21T10:00:00+01:00",
        "reasons": ["abuse"], "reports": 1}
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    only_g3 = json.loads(run(cli_db, "queue", "--user", "carla", "--json", "--group", "g3").stdout)
    assert [d["item"] for d in only_g3] == ["post:a1"]
    by_name = json.loads(run(cli_db, "queue", "--user", "carla", "--json", "--group",
                             "groep 3").stdout)
    assert by_name == only_g3
    unknown = run(cli_db, "queue", "--user", "carla", "--group", "Groep 9")
    assert unknown.exit_code == 2 and "Groep 3 (g3)" in unknown.stderr   # not an empty list


def test_cli_queue_table_shows_hostile_text_as_text(cli_db, monkeypatch):
    from moderator.cli.common import out_console

    monkeypatch.setattr(out_console, "width", 250)
    result = run(cli_db, "queue", "--user", "carla", "--reason", "abuse")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "<U+001B>[2J" in out and "[bold red]x[/]" in out and "<U+202E>" in out
    assert "post:a1" not in out


def test_cli_queue_scoping_and_refusals(cli_db):
    teacher = run(cli_db, "queue", "--user", "anouk", "--json")
    assert [d["item"] for d in json.loads(teacher.stdout)] == ["post:a1"]
    refused = run(cli_db, "queue", "--user", "avg")
    assert refused.exit_code == 3 and "fout:" in refused.stderr
    wrong = run(cli_db, "queue", "--user", "carla", env={"MODERATOR_PASSWORD": "fout"})
    assert wrong.exit_code == 3 and "Traceback" not in wrong.output
