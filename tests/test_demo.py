"""The demo foundation: what `moderator demo` puts in the database, and its data set for
benchmarks (`--posts N --seed S`)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from click.testing import CliRunner

from moderator import clock
from moderator.benchdata import bench_records
from moderator.cli import main
from moderator.demo import demo_records, ensure_demo, load_demo
from moderator.policy.catalogue import ITEM_REASONS
from moderator.services.accounts import authenticate
from moderator.store import Store
from moderator.store.portal_format import check_record

NOW = "2026-11-25T10:00:00+01:00"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """One demo database for the read-only tests of this file (loading takes seconds)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MODERATOR_NOW", NOW)
        store = Store(tmp_path_factory.mktemp("demo") / "moderator.db")
        assert ensure_demo(store) is True
        yield store
        store.close()


def _table_counts(store: Store) -> dict[str, int]:
    return {t: store.scalar(f"SELECT count(*) FROM {t}") for t in (
        "schools", "groups", "people", "group_admins", "group_members", "pupils", "guardians",
        "consents", "posts", "comments", "revisions", "media", "media_pupils", "flags")}


def _contract_problems(records) -> list[str]:
    """Each record well-formed on its own, and referring only to earlier lines."""
    seen: dict[str, set] = {k: set() for k in ("school", "group", "person", "pupil", "post",
                                                "comment", "media", "report")}
    problems = []

    def need(kind: str, value: str, line: int) -> None:
        if value not in seen[kind]:
            problems.append(f"line {line}: unknown {kind} {value!r}")

    for line, r in enumerate(records, start=1):
        kind = check_record(r)          # raises on a malformed record
        if kind == "group":
            need("school", r["school"], line)
        elif kind in ("person", "pupil"):
            need("school", r["school"], line)
            for guardian in r.get("guardians", ()):
                need("person", guardian, line)
            if kind == "pupil":
                need("group", r["group"], line)
        elif kind in ("admin", "member"):
            need("group", r["group"], line)
            need("person", r["person"], line)
        elif kind == "consent":
            need("pupil", r["pupil"], line)
        elif kind == "post":
            need("group", r["group"], line)
            need("person", r["author"], line)
            for medium in r.get("media", ()):
                for pupil in medium["pupils"]:
                    need("pupil", pupil, line)
        elif kind == "comment":
            need("post", r["post"], line)
            need("person", r["author"], line)
        elif kind == "report":
            assert ("post" in r) != ("comment" in r)
            need("post" if "post" in r else "comment", r.get("post") or r["comment"], line)
            need("person", r["reporter"], line)
            assert r["reason"] in ITEM_REASONS
        if kind in seen and "id" in r:
            if kind == "report" and r["id"] in seen[kind]:
                problems.append(f"line {line}: duplicate report {r['id']}")
            seen[kind].add(r["id"])
        if kind in ("post", "comment", "report"):
            at = clock.parse(r["created_at"])
            if not r["created_at"].endswith("+01:00") or at >= clock.now():
                problems.append(f"line {line}: bad time {r['created_at']}")
    return problems


# -- the demo ----------------------------------------------------------------------------


def test_demo_records_follow_the_export_contract():
    records = demo_records()
    assert _contract_problems(records) == []
    # Ids are unique per type; only posts may repeat (a repeated post is a revision).
    ids = Counter((r["type"], r["id"]) for r in records if "id" in r)
    assert {key[0] for key, n in ids.items() if n > 1} == {"post"}


def test_demo_has_two_schools_with_class_groups_and_a_school_group(demo_store):
    schools = [r["name"] for r in demo_store.rows("SELECT name FROM schools ORDER BY id")]
    assert schools == ["OBS De Klimboom", "Kindcentrum De Regenboog"]
    for school_id in ("klimboom", "regenboog"):
        groups = {(r["name"], r["kind"]) for r in demo_store.rows(
            "SELECT name, kind FROM groups WHERE school_id = ?", (school_id,))}
        expected = {(f"Groep {n}", "class") for n in ("1/2", 3, 4, 5, 6, 7, 8)}
        assert expected | {("Algemene schoolgroep", "school")} <= groups
        # every group has an administrator; the school group is the director's
        assert demo_store.scalar(
            "SELECT count(*) FROM groups g WHERE g.school_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM group_admins a WHERE a.group_id = g.id)", (school_id,)) == 0
        assert demo_store.scalar(
            "SELECT p.role FROM group_admins a JOIN groups g ON g.id = a.group_id"
            " JOIN people p ON p.id = a.person_id WHERE g.school_id = ? AND g.kind = 'school'",
            (school_id,)) == "director"


@pytest.mark.parametrize("username, role, groups", [
    ("directie", "director", {"klimboom-school", "klimboom-ouders"}),
    ("leerkracht", "teacher", {"klimboom-groep5", "klimboom-groep6"}),
    ("avg", "avg", set())])
def test_demo_accounts_log_in_with_password_demo(demo_store, username, role, groups):
    actor = authenticate(demo_store, username, "demo")
    assert actor.role == role
    assert actor.admin_groups == groups
    assert actor.school_id == (None if role == "avg" else "klimboom")


def test_the_demo_teacher_has_a_reported_threat_to_handle(demo_store):
    from moderator.services.queue import list_queue
    from moderator.store.queue import QueueFilter

    teacher = authenticate(demo_store, "leerkracht", "demo")
    threats = list_queue(demo_store, teacher, QueueFilter(reason="threat"))
    assert threats and all(e.group_id in teacher.admin_groups for e in threats)
    assert threats[0].n_reports >= 1


def test_demo_has_weeks_of_posts_and_comments(demo_store):
    assert demo_store.scalar("SELECT count(*) FROM posts") >= 250
    assert demo_store.scalar("SELECT count(*) FROM comments") >= 300
    times = [clock.parse(r[0]) for r in demo_store.rows(
        "SELECT created_at FROM posts UNION ALL SELECT created_at FROM comments")]
    now = clock.now()
    assert all(now - timedelta(days=43) < t < now for t in times)
    assert all(t.utcoffset() == timedelta(hours=1) for t in times)


def test_demo_has_frequency_and_working_hours_cases(demo_store):
    # a group that posts more than once on some day
    busiest = demo_store.scalar(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM posts GROUP BY group_id,"
        " substr(created_at, 1, 10))")
    assert busiest >= 2
    # a class group silent for more than a week
    last = {r["name"]: clock.parse(r["last"]) for r in demo_store.rows(
        "SELECT g.school_id || '/' || g.name AS name, max(p.created_at) AS last FROM groups g"
        " JOIN posts p ON p.group_id = g.id WHERE g.kind = 'class' GROUP BY g.id")}
    assert any(clock.now() - t > timedelta(days=7) for t in last.values())
    # staff posting outside working hours
    late = demo_store.scalar(
        "SELECT count(*) FROM posts p JOIN people a ON a.id = p.author_id"
        " WHERE a.role IN ('teacher', 'director')"
        " AND (substr(p.created_at, 12, 5) < '07:45' OR substr(p.created_at, 12, 5) >= '17:00')")
    assert late >= 3


def test_demo_has_missing_and_refused_photo_consent(demo_store):
    year = clock.school_year(clock.now())
    missing = demo_store.scalar(
        "SELECT count(*) FROM pupils p WHERE NOT EXISTS (SELECT 1 FROM consents c"
        " WHERE c.pupil_id = p.id AND c.school_year = ?)", (year,))
    refused = demo_store.scalar(
        "SELECT count(*) FROM consents WHERE school_year = ? AND portal_photo = 0", (year,))
    assert missing >= 5 and refused >= 5


def test_demo_has_photos_of_pupils_and_one_in_swimwear(demo_store):
    assert demo_store.scalar("SELECT count(*) FROM media_pupils") >= 50
    swim = demo_store.rows("SELECT tags FROM media WHERE tags LIKE '%swimwear%'")
    assert len(swim) == 1 and "swimwear" in json.loads(swim[0]["tags"])


def test_demo_has_revised_messages(demo_store):
    revised = demo_store.rows("SELECT item FROM revisions WHERE rev = 2")
    assert len(revised) == 2
    for row in revised:
        first, second = demo_store.rows(
            "SELECT body FROM revisions WHERE item = ? ORDER BY rev", (row["item"],))
        assert first["body"] != second["body"]


def test_demo_reports_are_open_flags_with_dutch_notes(demo_store):
    reports = demo_store.rows("SELECT * FROM flags WHERE source = 'report'")
    assert len(reports) >= 15
    assert all(r["status"] == "open" and r["note"] and r["reporter_id"] for r in reports)
    assert {"negative", "objection", "other", "threat"} <= {r["reason"] for r in reports}


def test_every_catalogue_reason_has_an_open_flag_after_the_demo(demo_store):
    reasons = {r[0] for r in demo_store.rows(
        "SELECT DISTINCT reason FROM flags WHERE status = 'open'")}
    assert set(ITEM_REASONS) <= reasons


@pytest.mark.parametrize("reason", ["abuse", "threat", "sexual", "commercial", "discrimination",
                                    "political_religious", "individual_child", "confidential",
                                    "photo_consent", "swimwear"])
def test_the_rules_themselves_find_each_detectable_violation(demo_store, reason):
    assert demo_store.scalar("SELECT count(*) FROM flags WHERE source = 'rule' AND reason = ?",
                             (reason,)) >= 1


@pytest.mark.parametrize("text", ["KWF Kankerbestrijding", "Pas op: de ingang",
                                  "Ik sla de ouderavond", "gratis te leen",
                                  "Vergeet % de zwemtas niet", "feesten in verschillende geloven",
                                  "bom energie", "kapot maar heel blij"])
def test_hard_negatives_stay_unflagged(demo_store, text):
    items = [r[0] for r in demo_store.rows(
        "SELECT 'post:' || id FROM posts WHERE body LIKE ? UNION ALL"
        " SELECT 'comment:' || id FROM comments WHERE body LIKE ?",
        (f"%{text}%", f"%{text}%"))]
    assert items, text
    flagged = demo_store.rows(
        f"SELECT item, reason FROM flags WHERE item IN ({','.join('?' * len(items))})", items)
    assert [tuple(r) for r in flagged] == []


def test_ensure_demo_fills_only_a_database_without_schools(demo_store):
    before = _table_counts(demo_store)
    assert ensure_demo(demo_store) is False
    assert _table_counts(demo_store) == before


# -- the CLI -----------------------------------------------------------------------------


def test_demo_refuses_a_database_that_holds_data(tmp_path):
    db = tmp_path / "m.db"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "demo", "--posts", "50"]).exit_code == 0
    store = Store(db)
    before = _table_counts(store)
    result = runner.invoke(main, ["--db", str(db), "demo"])
    assert result.exit_code == 2
    assert "niet leeg" in result.output
    assert _table_counts(store) == before
    store.close()


def test_exported_demo_reimports_identically(tmp_path, fresh_store):
    runner = CliRunner()
    export = tmp_path / "demo.jsonl"
    result = runner.invoke(main, ["demo", "--export", str(export)])
    assert result.exit_code == 0, result.output
    lines = export.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == demo_records()

    load_demo(fresh_store)
    other = Store(tmp_path / "imported.db")
    assert runner.invoke(main, ["--db", str(other.path), "import", str(export)]).exit_code == 0
    assert _table_counts(other) == _table_counts(fresh_store)
    query = ("SELECT item, source, reason, status, report_id, note, evidence FROM flags"
             " ORDER BY item, source, reason, report_id")
    assert [tuple(r) for r in other.rows(query)] == [tuple(r) for r in fresh_store.rows(query)]
    query = "SELECT id, group_id, author_id, created_at, title, body FROM posts ORDER BY id"
    assert [tuple(r) for r in other.rows(query)] == [tuple(r) for r in fresh_store.rows(query)]
    other.close()


# -- the benchmark data set --------------------------------------------------------------


def test_bench_records_are_deterministic_per_seed():
    first = list(bench_records(400, seed=7))
    again = list(bench_records(400, seed=7))
    other = list(bench_records(400, seed=8))
    assert first == again
    assert len({r["id"] for r in first if r["type"] == "post"}) == 400
    assert first[-500:] != other[-500:]
    assert _contract_problems(first) == []


def test_bench_records_depend_on_the_pinned_clock(monkeypatch):
    first = [r for r in bench_records(50, seed=1) if r["type"] == "post"]
    monkeypatch.setenv("MODERATOR_NOW", "2027-03-01T09:00:00+01:00")
    later = [r for r in bench_records(50, seed=1) if r["type"] == "post"]
    assert [r["body"] for r in first] == [r["body"] for r in later]
    assert first[0]["created_at"] != later[0]["created_at"]


def test_cli_posts_makes_a_benchmark_set_with_the_demo_accounts(tmp_path):
    db = tmp_path / "bench.db"
    result = CliRunner().invoke(main, ["--db", str(db), "demo", "--posts", "3000", "--seed", "5"])
    assert result.exit_code == 0, result.output
    store = Store(db)
    assert store.scalar("SELECT count(*) FROM posts") == 3000
    comments = store.scalar("SELECT count(*) FROM comments")
    assert 1200 < comments < 2400
    # about one in ten posts ends up with an open flag
    open_flags = store.scalar("SELECT count(*) FROM flags WHERE status = 'open'")
    assert 0.06 * 3000 < open_flags < 0.16 * 3000
    for username in ("directie", "leerkracht", "avg"):
        assert authenticate(store, username, "demo").username == username
    store.close()


def test_group_checks_find_the_demo_cases(demo_store):
    from moderator.services.group_report import frequency_findings, off_hours_findings

    frequency = frequency_findings(demo_store)
    silent = {f.group_id for f in frequency if f.detail.startswith("geen bericht")}
    busy = {f.group_id for f in frequency if not f.detail.startswith("geen bericht")}
    # only staff posts count, and holiday weeks are skipped: the school group's week with
    # only the MR member's post falls in the autumn holiday (Herfstvakantie), so it is not
    # reported; without the holidays it would be
    assert silent == {"regenboog-groep6"}
    without = frequency_findings(demo_store, holidays=[])
    assert {f.group_id for f in without if f.detail.startswith("geen bericht")} == {
        "regenboog-groep6", "regenboog-school"}
    assert "klimboom-groep8" in busy
    late = {f.group_id for f in off_hours_findings(demo_store)}
    assert {"klimboom-groep8", "regenboog-groep3", "regenboog-groep7", "klimboom-school"} <= late
