import copy
import json

import pytest
from click.testing import CliRunner
from helpers_import import dump, export_lines, sample_records, write_export

from moderator.cli import main
from moderator.errors import InputError
from moderator.services import scanning
from moderator.services.importing import import_file, import_records
from moderator.store import Store, audit

REAL_SCAN = scanning.scan_items


@pytest.fixture(autouse=True)
def _no_rule_scan(monkeypatch):
    """Rule flags are the scanner's business (its own tests); here only reports open flags."""
    monkeypatch.setattr(scanning, "scan_items", lambda store, items, **kwargs: 0)


def run_import(db, path, *extra):
    return CliRunner().invoke(main, ["--db", str(db), "import", *extra, str(path)])


@pytest.fixture
def db(tmp_path):
    return tmp_path / "moderator.db"


@pytest.fixture
def store(db):
    s = Store(db)
    yield s
    s.close()


def test_import_of_a_good_file_fills_every_table(store, tmp_path):
    summary = import_file(store, write_export(tmp_path / "export.jsonl"))
    assert (summary.schools, summary.groups, summary.people, summary.admins, summary.members,
            summary.pupils, summary.guardians, summary.consents, summary.posts,
            summary.comments, summary.media, summary.reports) == (1, 2, 5, 2, 2, 1, 1, 1, 2, 2, 1, 2)
    assert summary.records == 20 and summary.flags_opened == 2
    assert set(summary.items) == {"post:a1", "post:a2", "comment:c1", "comment:c2"}
    assert store.row("SELECT * FROM schools")["work_end"] == "17:00"
    post = store.row("SELECT * FROM posts WHERE id = 'a1'")
    assert (post["title"], post["group_id"], post["author_id"], post["comments_enabled"]) == (
        "Schoolreisje", "g3", "t3", 1)
    assert json.loads(store.scalar("SELECT tags FROM media WHERE id = 'm1'")) == ["recognisable"]
    assert store.scalar("SELECT pupil_id FROM media_pupils") == "k1"
    assert store.row("SELECT portal_photo, signed_on FROM consents")[:] == (0, "2026-09-01")
    assert [tuple(r) for r in store.rows("SELECT item, rev FROM revisions ORDER BY item")] == [
        ("comment:c1", 1), ("comment:c2", 1), ("post:a1", 1), ("post:a2", 1)]


def test_cli_import_prints_a_summary_table(db, tmp_path):
    result = run_import(db, write_export(tmp_path / "export.jsonl"))
    assert result.exit_code == 0, result.output
    assert "berichten" in result.stdout and "meldingen" in result.stdout
    as_json = run_import(db, tmp_path / "export.jsonl", "--json")
    counts = json.loads(as_json.stdout)
    assert counts["posts"] == 0 and counts["unchanged"] == 20


def test_reimporting_the_same_file_changes_nothing_but_one_audit_entry(store, tmp_path):
    path = write_export(tmp_path / "export.jsonl")
    import_file(store, path)
    before = dump(store)
    summary = import_file(store, path)
    after = dump(store)
    assert summary.total_added == 0 and summary.revisions == 0 and summary.items == ()
    assert summary.unchanged == 20
    new_audit = after.pop("audit_log")[len(before.pop("audit_log")):]
    assert after == before
    assert len(new_audit) == 1
    entry = audit.entries(store, limit=1)[0]
    assert (entry.action, entry.actor, entry.subject) == ("import", "system", "file:export.jsonl")
    assert entry.detail["posts"] == 0 and entry.detail["unchanged"] == 20
    assert audit.verify_chain(store) == []


def test_import_records_takes_generated_dicts(store):
    records = list(enumerate(sample_records(), start=1))
    summary = import_records(store, records, source="demo")
    assert summary.posts == 2
    assert audit.entries(store, limit=1)[0].subject == "file:demo"


def test_changed_text_becomes_a_new_revision_and_keeps_the_old(store, tmp_path):
    import_file(store, write_export(tmp_path / "v1.jsonl"))
    records = sample_records()
    records[14]["title"] = "Schoolreisje (verplaatst)"
    records[16]["body"] = "Wat leuk! Ik rij mee."
    summary = import_file(store, write_export(tmp_path / "v2.jsonl", records))
    assert summary.revisions == 2 and set(summary.items) == {"post:a1", "comment:c1"}
    assert store.scalar("SELECT title FROM posts WHERE id = 'a1'") == "Schoolreisje (verplaatst)"
    assert store.scalar("SELECT body FROM comments WHERE id = 'c1'") == "Wat leuk! Ik rij mee."
    revs = [tuple(r) for r in store.rows(
        "SELECT rev, title, body FROM revisions WHERE item = 'post:a1' ORDER BY rev")]
    assert revs == [(1, "Schoolreisje", "Morgen gaan we naar de dierentuin."),
                    (2, "Schoolreisje (verplaatst)", "Morgen gaan we naar de dierentuin.")]
    assert [r[0] for r in store.rows(
        "SELECT body FROM revisions WHERE item = 'comment:c1' ORDER BY rev")] == [
        "Wat leuk!", "Wat leuk! Ik rij mee."]
    again = import_file(store, tmp_path / "v2.jsonl")
    assert again.revisions == 0 and again.items == ()


def test_an_edit_within_one_file_is_two_revisions(store, tmp_path):
    records = sample_records()
    edited = dict(records[16], body="Wat leuk (bewerkt)")
    summary = import_file(store, write_export(tmp_path / "e.jsonl", records + [edited]))
    assert summary.comments == 2 and summary.revisions == 1
    assert store.scalar("SELECT body FROM comments WHERE id = 'c1'") == "Wat leuk (bewerkt)"
    assert store.scalar("SELECT max(rev) FROM revisions WHERE item = 'comment:c1'") == 2


def test_changed_details_are_updated(store, tmp_path):
    import_file(store, write_export(tmp_path / "v1.jsonl"))
    records = sample_records()
    records[6]["name"] = "Ouder Dirk de Vries"
    records[13]["portal_photo"] = True
    summary = import_file(store, write_export(tmp_path / "v2.jsonl", records))
    assert summary.updated == 2 and summary.total_added == 0
    assert store.scalar("SELECT name FROM people WHERE id = 'p1'") == "Ouder Dirk de Vries"
    assert store.scalar("SELECT portal_photo FROM consents") == 1


def test_a_deleted_item_that_reappears_stays_deleted(store, tmp_path):
    path = write_export(tmp_path / "export.jsonl")
    import_file(store, path)
    with store.write():
        store.execute("UPDATE comments SET body = NULL, deleted_at = '2026-11-22T09:00:00+01:00',"
                      " deleted_by = 'carla' WHERE id = 'c2'")
        store.execute("UPDATE revisions SET body = NULL WHERE item = 'comment:c2'")
    records = sample_records()
    records[17]["body"] = "Aangepaste tekst"
    for path in (tmp_path / "export.jsonl", write_export(tmp_path / "v2.jsonl", records)):
        summary = import_file(store, path)
        assert summary.still_deleted == 1 and summary.items == ()
        row = store.row("SELECT body, deleted_at FROM comments WHERE id = 'c2'")
        assert row["body"] is None and row["deleted_at"]
        assert store.scalar("SELECT count(*) FROM revisions WHERE item = 'comment:c2'") == 1


@pytest.mark.parametrize("index, change, message", [
    (15, {"author": "t3"}, "bekend met auteur 't5', niet 't3'"),
    (15, {"group": "g3"}, "bekend in groep 'g5', niet 'g3'"),
    (17, {"post": "a1"}, "bekend bij bericht 'a2', niet 'a1'"),
    (18, {"comment": "c1"}, "bekend over comment:c2, niet comment:c1"),
])
def test_a_known_id_with_another_identity_is_refused(db, store, tmp_path, index, change, message):
    import_file(store, write_export(tmp_path / "v1.jsonl"))
    before = dump(store)
    records = sample_records()
    records[index].update(change)
    path = write_export(tmp_path / "v2.jsonl", records)
    result = run_import(db, path)
    assert result.exit_code == 2
    assert f"{path}:{index + 1}: " in result.stderr and message in result.stderr
    assert dump(store) == before


def test_reports_open_flags_and_fill_the_queue_once(store, tmp_path):
    path = write_export(tmp_path / "export.jsonl")
    import_file(store, path)
    flags = [tuple(r) for r in store.rows(
        "SELECT report_id, item, source, reason, reporter_id, status FROM flags ORDER BY report_id")]
    assert flags == [("r1", "comment:c2", "report", "abuse", "p1", "open"),
                     ("r2", "post:a1", "report", "photo_consent", "p2", "open")]
    import_file(store, path)
    assert store.scalar("SELECT count(*) FROM flags") == 2
    more = [{"type": "report", "id": "r3", "comment": "c2", "reporter": "p2",
             "reason": "threat", "created_at": "2026-11-22T08:00:00+01:00"}]
    summary = import_file(store, write_export(tmp_path / "more.jsonl", more))
    assert summary.reports == 1 and summary.items == ()
    row = store.row("SELECT * FROM queue_items WHERE item = 'comment:c2'")
    assert (row["n_reports"], row["reasons"], row["severity"]) == (2, "threat abuse", 100)
    assert store.scalar("SELECT count(*) FROM queue_items") == 2


def test_changed_text_of_a_queued_item_updates_its_excerpt(store, tmp_path):
    import_file(store, write_export(tmp_path / "v1.jsonl"))
    records = sample_records()
    records[17]["body"] = "Nieuwe tekst van de reactie"
    import_file(store, write_export(tmp_path / "v2.jsonl", records))
    assert store.scalar("SELECT excerpt FROM queue_items WHERE item = 'comment:c2'") == (
        "Nieuwe tekst van de reactie")


def test_new_and_changed_items_are_scanned_in_the_same_transaction(store, tmp_path, monkeypatch):
    seen = []

    def fake_scan(s, items, **kwargs):
        assert s.in_write
        seen.append(sorted(items))
        return 3

    monkeypatch.setattr("moderator.services.scanning.scan_items", fake_scan)
    summary = import_file(store, write_export(tmp_path / "v1.jsonl"))
    assert summary.rule_flags == 3 and summary.flags_opened == 5
    import_file(store, tmp_path / "v1.jsonl")
    records = sample_records()
    records[15]["body"] = "Gymles gaat toch door."
    import_file(store, write_export(tmp_path / "v2.jsonl", records))
    assert seen == [["comment:c1", "comment:c2", "post:a1", "post:a2"], ["post:a2"]]


def test_crlf_bom_and_blank_lines_are_accepted(store, tmp_path):
    lines = export_lines(sample_records())
    data = ("\ufeff" + "\r\n".join(lines[:5]) + "\r\n\r\n" + "\n".join(lines[5:]) + "\n")
    path = tmp_path / "windows.jsonl"
    path.write_bytes(data.encode("utf-8"))
    assert import_file(store, path).posts == 2


# -- bad files: refused whole, naming file and line ----------------------------------------

NEW_POST = {"type": "post", "id": "a9", "group": "g3", "author": "t3",
            "created_at": "2026-11-24T08:00:00+01:00", "body": "Nieuw bericht"}


def _record(**fields):
    return json.dumps(fields, ensure_ascii=False)


BAD_LINES = {
    "bad utf-8": (b'{"type": "comment", "id": "c9", "post": "a1", "author": "p1", "body": "caf\xe9",'
                  b' "created_at": "2026-11-24T08:00:00+01:00"}', "geen geldige UTF-8"),
    "not json": ('{"type": "post", "id": ', "geen geldige JSON"),
    "not an object": ('["post", "a9"]', "moet een JSON-object zijn"),
    "unknown type": (_record(type="poll", id="x"), "onbekend type 'poll'"),
    "no type": (_record(id="x", name="y"), '"type" ontbreekt'),
    "missing field": (_record(type="group", id="g9", school="s1", kind="class"),
                      "verplicht veld 'name' ontbreekt"),
    "wrong type": (_record(type="comment", id="c9", post="a1", author="p1", body=42,
                           created_at="2026-11-24T08:00:00+01:00"), "veld 'body' moet een tekst zijn"),
    "bad enum": (_record(type="group", id="g9", school="s1", name="G", kind="club"),
                 "veld 'kind' moet een van class, school, community zijn"),
    "no offset": (_record(type="comment", id="c9", post="a1", author="p1", body="x",
                          created_at="2026-11-24T08:00:00"), "ISO 8601-tijd met offset"),
    "impossible date": (_record(type="comment", id="c9", post="a1", author="p1", body="x",
                                created_at="2026-13-40T08:00:00+01:00"), "geen bestaande datum"),
    "30 february": (_record(type="comment", id="c9", post="a1", author="p1", body="x",
                            created_at="2026-02-30T08:00:00+01:00"), "geen bestaande datum"),
    "blank id": (_record(type="comment", id="  ", post="a1", author="p1", body="x",
                         created_at="2026-11-24T08:00:00+01:00"), "veld 'id' moet een niet-lege"),
    "title not a string": (_record(type="post", id="a8", group="g3", author="t3", body="x",
                                   title=["x"], created_at="2026-11-24T08:00:00+01:00"),
                           "veld 'title' moet een tekst zijn"),
    "unknown reference": (_record(type="comment", id="c9", post="nope", author="p1", body="x",
                                  created_at="2026-11-24T08:00:00+01:00"), "onbekend bericht 'nope'"),
    "unknown reason": (_record(type="report", id="r9", post="a1", reporter="p1", reason="rude",
                               created_at="2026-11-24T08:00:00+01:00"), "veld 'reason' moet een van"),
    "post and comment": (_record(type="report", id="r9", post="a1", comment="c1", reporter="p1",
                                 reason="abuse", created_at="2026-11-24T08:00:00+01:00"),
                         "precies één van 'post' of 'comment'"),
    "neither post nor comment": (_record(type="report", id="r9", reporter="p1", reason="abuse",
                                         created_at="2026-11-24T08:00:00+01:00"),
                                 "precies één van 'post' of 'comment'"),
    "losse surrogaat": ('{"type": "comment", "id": "c9", "post": "a1", "author": "p1", "body": '
                       '"x\\ud800y", "created_at": "2026-11-24T08:00:00+01:00"}', "losse surrogaat"),
    "parent as admin": (_record(type="admin", group="g3", person="p1"), "alleen personeel beheert"),
    "string boolean": (_record(type="consent", pupil="k1", school_year="2026-2027",
                               portal_photo="yes", portal_name=True, website=False),
                       "veld 'portal_photo' moet true of false zijn"),
    "bad school year": (_record(type="consent", pupil="k1", school_year="2026-2028",
                                portal_photo=True, portal_name=True, website=False), "schooljaar"),
    "bad media tag": (_record(type="post", id="a8", group="g3", author="t3", body="x",
                              created_at="2026-11-24T08:00:00+01:00",
                              media=[{"id": "m8", "kind": "photo", "file": "f.jpg",
                                      "tags": ["beach"]}]), "element 0: veld 'tags' element 0"),
    "pupil in other group school": (_record(type="pupil", id="k9", school="s1", group="gx",
                                            name="K"), "onbekende groep 'gx'"),
    "NaN": ('{"type": "consent", "pupil": "k1", "school_year": "2026-2027", "portal_photo": NaN,'
            ' "portal_name": true, "website": false}', "NaN is geen geldige JSON"),
}


@pytest.mark.parametrize("case", list(BAD_LINES))
def test_a_bad_line_refuses_the_whole_file(db, store, tmp_path, case):
    import_file(store, write_export(tmp_path / "v1.jsonl"))
    before = dump(store)
    bad, message = BAD_LINES[case]
    lines = [*export_lines(sample_records()), json.dumps(NEW_POST), bad]
    path = write_export(tmp_path / "bad.jsonl", lines=lines)
    result = run_import(db, path)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"fout: {path}:22: "), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert dump(store) == before


def test_a_reference_to_a_later_line_is_refused(store, tmp_path):
    records = sample_records()
    records[1], records[0] = records[0], records[1]        # group before its school
    path = write_export(tmp_path / "order.jsonl", records)
    with pytest.raises(InputError) as error:
        import_file(store, path)
    assert (error.value.line, error.value.source) == (1, str(path))
    assert "onbekende school 's1'" in error.value.message
    assert store.scalar("SELECT count(*) FROM schools") == 0
    assert store.scalar("SELECT count(*) FROM audit_log") == 0


def test_a_bad_line_in_a_fresh_database_leaves_it_empty(db, store, tmp_path):
    before = dump(store)
    records = sample_records()
    bad = copy.deepcopy(records[19])
    bad["reason"] = "onbekend"
    path = write_export(tmp_path / "bad.jsonl", records + [bad])
    result = run_import(db, path)
    assert result.exit_code == 2 and f"{path}:21:" in result.stderr
    assert dump(store) == before


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    result = run_import(db, tmp_path / "nope.jsonl")
    assert result.exit_code == 2
    assert "nope.jsonl: kan het bestand niet lezen" in result.stderr


def test_the_real_scan_runs_on_imported_items(store, tmp_path, monkeypatch):
    monkeypatch.setattr(scanning, "scan_items", REAL_SCAN)
    summary = import_file(store, write_export(tmp_path / "export.jsonl"))
    rule_flags = store.scalar("SELECT count(*) FROM flags WHERE source = 'rule'")
    assert summary.rule_flags == rule_flags
    assert store.scalar("SELECT count(*) FROM flags WHERE source = 'report'") == 2
    assert import_file(store, tmp_path / "export.jsonl").rule_flags == 0


def test_progress_is_reported_per_phase(store, tmp_path, monkeypatch):
    monkeypatch.setattr("moderator.store.importer.PROGRESS_EVERY", 5)
    calls = []
    import_file(store, write_export(tmp_path / "export.jsonl"),
                progress=lambda phase, done, total: calls.append((phase, done, total)))
    phases = list(dict.fromkeys(phase for phase, _, _ in calls))
    assert phases == ["lezen", "controleren", "schrijven", "scannen"]
    assert ("lezen", 20, 20) in calls and calls[-1] == ("schrijven", 1, 1)   # done
