"""Subject access: everything about one person, as JSON and as a Dutch PDF."""

from __future__ import annotations

import hashlib
import json

import pytest
from pypdf import PdfReader

from moderator.errors import NotFound, PermissionDenied
from moderator.services import subject_access
from moderator.store import audit
from moderator.store import subject_access as subject_rows
from tests.helpers_avg import AVG, DIRECTOR, HOSTILE, add_incident


@pytest.fixture
def subject_store(school_store):
    s = school_store
    with s.write():
        s.execute("INSERT INTO pupils (id, school_id, group_id, name) VALUES ('k1', 's1', 'g3', 'Fleur')")
        s.execute("INSERT INTO guardians VALUES ('k1', 'p1')")
        s.execute("INSERT INTO consents VALUES ('k1', '2026-2027', 1, 0, 0, '2026-09-01')")
        s.execute("INSERT INTO group_members VALUES ('g3', 'p1')")
        s.execute("INSERT INTO posts (id, group_id, author_id, created_at, title, body) VALUES"
                  " ('m9', 'g3', 'p1', '2026-10-01T09:00:00+02:00', 'Traktatie', ?)", (HOSTILE,))
        s.executemany("INSERT INTO revisions VALUES ('post:m9', ?, 'Traktatie', ?, ?)", [
            (1, "Eerste versie", "2026-10-01T09:00:00+02:00"),
            (2, HOSTILE, "2026-10-01T09:05:00+02:00")])
        s.execute("INSERT INTO comments (id, post_id, author_id, created_at, body) VALUES"
                  " ('c1', 'm9', 'p2', '2026-10-01T10:00:00+02:00', 'Leuk!')")
        s.execute("INSERT INTO flags (item, school_id, group_id, source, reason, reporter_id,"
                  " note, created_at) VALUES ('comment:c1', 's1', 'g3', 'report', 'other', 'p1',"
                  " 'Dirk meldt dit', '2026-10-02T10:00:00+02:00')")
    add_incident(s)  # about p1, with a timeline naming 'Ouder Dirk'
    return s


def test_collect_covers_every_kind_of_data_about_the_person(subject_store):
    data = subject_rows.collect(subject_store, "p1")
    assert data["person"]["name"] == "Ouder Dirk"
    assert [c["name"] for c in data["children"]] == ["Fleur"]
    assert data["children"][0]["consents"][0]["portal_photo"] == 1
    assert [g["id"] for g in data["groups"]] == ["g3"]
    posts = {p["id"]: p for p in data["posts"]}
    assert [r["body"] for r in posts["m9"]["revisions"]] == ["Eerste versie", HOSTILE]
    assert posts["m1"]["deleted_at"] and posts["m1"]["revisions"][0]["body"] is None
    assert [f["item"] for f in data["flags_reported"]] == ["comment:c1"]
    about = data["flags_about"]
    assert [f["item"] for f in about] == ["post:m1"] and about[0]["reporter_id"] is None
    assert [i["number"] for i in data["incidents"]] == ["INC-2024-0001"]
    assert data["incidents"][0]["events"][0]["participants"] == ["Ouder Dirk", "Directeur Carla"]
    assert [a["actor"] for a in data["access_log"]] == ["carla"]
    assert data["accounts"] == []


def test_export_writes_json_and_a_dutch_pdf_and_is_logged(subject_store, tmp_path):
    s = subject_store
    out = tmp_path / "inzage"
    result = subject_access.export_subject(s, AVG, "p1", out)
    payload = json.loads(result.json_path.read_text("utf-8"))
    assert payload["person_id"] == "p1" and payload["generated_by"] == "AVG-coördinator"
    assert {p["id"] for p in payload["posts"]} == {"m1", "m9"}
    assert hashlib.sha256(result.pdf_path.read_bytes()).hexdigest() == result.pdf_sha256
    pdf = "\n".join(page.extract_text() for page in PdfReader(result.pdf_path).pages)
    assert "Inzage in persoonsgegevens" in pdf and "Ouder Dirk" in pdf and "Fleur" in pdf
    assert "INC-2024-0001" in pdf and "gesprek met ouder" in pdf
    # Hostile text is shown literally, never interpreted.
    assert "[bold red]x[/]" in pdf and "<font size=300></para>" in pdf and "<U+001B>" in pdf
    line = s.row("SELECT * FROM access_log WHERE action = 'subject_export'")
    assert line["actor"] == "avg" and line["person_id"] == "p1"
    entry = audit.entries(s, action="subject.export")[0]
    assert entry.subject == "person:p1" and entry.detail["pdf_sha256"] == result.pdf_sha256


def test_only_avg_may_view_or_export_and_unknown_people_are_named(subject_store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PermissionDenied):
        subject_access.export_subject(subject_store, DIRECTOR, "p1", out)
    with pytest.raises(PermissionDenied):
        subject_access.view_subject(subject_store, DIRECTOR, "p1")
    with pytest.raises(NotFound, match="nobody"):
        subject_access.export_subject(subject_store, AVG, "nobody", out)
    assert not list(out.iterdir())


def test_viewing_and_searching_are_logged(subject_store):
    hits = subject_access.find_people(subject_store, AVG, "dirk")
    assert [h.id for h in hits] == ["p1"]
    report = subject_access.view_subject(subject_store, AVG, "p1")
    assert report.counts()["posts"] == 2
    actions = [r["action"] for r in subject_store.rows(
        "SELECT action FROM access_log WHERE actor = 'avg' ORDER BY id")]
    assert actions == ["person_search", "subject_view"]


def test_the_pdf_reads_dutch_and_points_at_the_hard_copy_of_deleted_text(subject_store, tmp_path):
    s = subject_store
    with s.write():
        audit.append(s, "carla", "incident.open", "person:p1", {"person": "p1"}, "s1")
    result = subject_access.export_subject(s, AVG, "p1", tmp_path / "inzage")
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(result.pdf_path).pages)
                   .split())
    copy = s.row("SELECT path, sha256 FROM hardcopies WHERE item = 'post:m1' ORDER BY id DESC")
    assert f"(verwijderd; tekst staat in hard copy {copy['path']}, SHA-256 {copy['sha256'][:20]}" \
        in pdf
    assert "dossier geopend" in pdf and "incident.open" not in pdf
    assert "01-10-2026 09:00" in pdf and "2026-10-01T09:00:00+02:00" not in pdf
    assert "Afschrift" not in pdf and "Hard copy" in pdf


def test_search_tells_people_with_the_same_name_apart(subject_store):
    s = subject_store
    with s.write():
        s.execute("INSERT INTO people (id, school_id, name, role) VALUES"
                  " ('p9', 's1', 'Ouder Dirk', 'parent')")
        s.execute("INSERT INTO group_members VALUES ('g5', 'p9')")
    hits = {h.id: h for h in subject_access.find_people(s, AVG, "Ouder Dirk")}
    assert hits["p1"].children == ("Fleur",) and hits["p1"].groups == ("Groep 3",)
    assert hits["p9"].children == () and hits["p9"].groups == ("Groep 5",)


def test_a_second_export_in_the_same_second_keeps_the_first(subject_store, tmp_path):
    """The durable write never replaces a file: a second export gets its own name."""
    out = tmp_path / "inzage"
    first = subject_access.export_subject(subject_store, AVG, "p1", out)
    second = subject_access.export_subject(subject_store, AVG, "p1", out)
    assert first.pdf_path != second.pdf_path and second.pdf_path.name.endswith("-2.pdf")
    assert hashlib.sha256(first.pdf_path.read_bytes()).hexdigest() == first.pdf_sha256
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name for p in (first.json_path, first.pdf_path, second.json_path, second.pdf_path))
    assert not [p for p in out.iterdir() if p.name.startswith(".")]   # no temp file left
