"""Subject-access requests (issue 16): the statutory month with a pinned clock, passages
about other people kept or withheld before an export, and withheld text absent from both
the JSON and the PDF (read back)."""

from __future__ import annotations

import json

import pypdf
import pytest

from moderator.errors import PermissionDenied, UsageError
from moderator.services import accounts, subject_access, subject_requests
from moderator.services.subject_access import WITHHELD, Decision
from moderator.store import audit
from tests.helpers_avg import AVG, DIRECTOR, HOSTILE, add_incident

REPORTER_NOTE = "Eva: ik zag het zelf op het schoolplein " + HOSTILE
CONSULTATION = "Overleg juf en directie: zorgen over Sanne uit groep 3"
NAMES_OTHER_PARENT = "Ouder Eva belde ook over dit bericht"


@pytest.fixture
def subject_store(school_store):
    s = school_store
    incident_id = add_incident(s)      # about p1; p2 (Ouder Eva) reported it with a note
    accounts.add_account(s, "carla", "geheim-wachtwoord", person_id="d1")
    with s.write():
        s.execute("UPDATE flags SET note = ? WHERE reporter_id = 'p2'", (REPORTER_NOTE,))
        s.execute("INSERT INTO pupils (id, school_id, group_id, name) VALUES"
                  " ('k1', 's1', 'g3', 'Fleur'), ('k2', 's1', 'g3', 'Sanne')")
        s.execute("INSERT INTO guardians VALUES ('k1', 'p1')")
        s.execute("INSERT INTO incident_events (incident_id, kind, at, recorded_at, author,"
                  " participants, text) VALUES (?, 'consultation', '2024-05-02T12:00:00+02:00',"
                  " '2024-05-02T12:00:00+02:00', 'carla', '[]', ?)", (incident_id, CONSULTATION))
        s.execute("INSERT INTO incident_events (incident_id, kind, at, recorded_at, author,"
                  " participants, text) VALUES (?, 'note', '2024-05-05T12:00:00+02:00',"
                  " '2024-05-05T12:00:00+02:00', 'carla', '[]', ?)",
                  (incident_id, NAMES_OTHER_PARENT))
        s.execute("INSERT INTO incident_events (incident_id, kind, at, recorded_at, author,"
                  " participants, text) VALUES (?, 'note', '2024-05-06T12:00:00+02:00',"
                  " '2024-05-06T12:00:00+02:00', 'carla', '[]', 'Fleur was er niet bij')",
                  (incident_id,))
    return s


def pdf_text(path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def test_the_statutory_month_is_counted_from_receipt(subject_store):
    # the clock is pinned at 25-11-2026
    due_soon = subject_requests.record_request(subject_store, AVG, "p1", "Ouder Dirk",
                                               received_on="2026-10-31")
    assert due_soon.request.due_on == "2026-11-30" and due_soon.label == "nog 5 dagen"
    late = subject_requests.record_request(subject_store, AVG, "p1", "advocaat van Dirk",
                                           received_on="2026-10-20")
    assert late.label == "termijn 5 dagen verstreken"
    today = subject_requests.record_request(subject_store, AVG, "p1", "Dirk")
    assert today.request.received_on == "2026-11-25" and today.request.due_on == "2026-12-25"
    assert [r.request.id for r in subject_requests.list_requests(subject_store, AVG)] == [
        late.request.id, due_soon.request.id, today.request.id]
    assert subject_requests.due_date(__import__("datetime").date(2027, 1, 31)).isoformat() \
        == "2027-02-28"
    with pytest.raises(UsageError):
        subject_requests.record_request(subject_store, AVG, "p1", "x", received_on="2026-12-01")
    with pytest.raises(UsageError):
        subject_requests.record_request(subject_store, AVG, "p1", "x", received_on="gisteren")
    with pytest.raises(PermissionDenied):
        subject_requests.record_request(subject_store, DIRECTOR, "p1", "x")
    entries = audit.entries(subject_store, action="subject.request")
    assert len(entries) == 3 and entries[-1].detail["deadline"] == "2026-11-30"


def test_every_withheld_passage_is_absent_from_json_and_pdf(subject_store, tmp_path):
    request = subject_requests.record_request(subject_store, AVG, "p1", "Ouder Dirk",
                                              received_on="2026-11-10")
    passages = subject_access.third_party_passages(subject_store, AVG, "p1")
    by_text = {p.text: p for p in passages}
    assert set(by_text) == {REPORTER_NOTE, CONSULTATION, NAMES_OTHER_PARENT}
    assert "Ouder Eva (ouder)" in by_text[NAMES_OTHER_PARENT].why
    assert by_text[CONSULTATION].why == "intern overleg van de school"
    # 'Fleur was er niet bij' names the subject's own child: not a third party.
    decisions = {by_text[REPORTER_NOTE].key: Decision(True, "gegevens van de melder"),
                 by_text[CONSULTATION].key: Decision(True, "intern overleg")}
    # NAMES_OTHER_PARENT has no decision: withheld by default
    result = subject_access.export_subject(subject_store, AVG, "p1", tmp_path / "uit",
                                           decisions=decisions, request_id=request.request.id)
    raw = result.json_path.read_text("utf-8")
    payload = json.loads(raw)
    pdf = pdf_text(result.pdf_path)
    for secret in (REPORTER_NOTE, CONSULTATION, NAMES_OTHER_PARENT, "schoolplein", "Sanne",
                   "Eva belde"):
        assert secret not in raw, secret
        assert secret not in pdf, secret
    assert raw.count(WITHHELD) == 3
    assert pdf.replace("\n", " ").count(WITHHELD) == 3
    assert "Fleur was er niet bij" in raw and "Fleur was er niet bij" in pdf
    assert [w["ground"] for w in payload["withheld"]] == [
        "gegevens van de melder", "intern overleg", subject_access.DEFAULT_GROUND]
    # people by name and role, not by account
    events = payload["incidents"][0]["events"]
    assert {e["author"] for e in events} == {"Directeur Carla (Directie)"}
    assert payload["generated_by"] == "AVG-coördinator"
    assert "Opgesteld door avg" not in pdf
    exported = audit.entries(subject_store, action="subject.export")[0]
    assert [w["ground"] for w in exported.detail["withheld"]][:2] == [
        "gegevens van de melder", "intern overleg"]
    answered = subject_requests.get_request(subject_store, AVG, request.request.id)
    assert answered.request.answered_on == "2026-11-25"
    assert answered.request.export_sha256 == result.json_sha256
    assert len(answered.request.withheld) == 3


def test_a_kept_passage_stays_and_is_recorded_as_kept(subject_store, tmp_path):
    passages = subject_access.third_party_passages(subject_store, AVG, "p1")
    keep = next(p for p in passages if p.text == NAMES_OTHER_PARENT)
    decisions = {p.key: Decision(p is not keep, "afgewogen") for p in passages}
    result = subject_access.export_subject(subject_store, AVG, "p1", tmp_path,
                                           decisions=decisions)
    raw = result.json_path.read_text("utf-8")
    assert NAMES_OTHER_PARENT in raw and NAMES_OTHER_PARENT in pdf_text(result.pdf_path)
    assert json.loads(raw)["kept_third_party"][0]["passage"] == keep.key
    with pytest.raises(UsageError):
        subject_access.export_subject(subject_store, AVG, "p1", tmp_path,
                                      decisions={"posts.0.body": Decision(False, "x")})


def test_requests_and_a_redacted_export_from_the_command_line(subject_store, tmp_path,
                                                               monkeypatch):
    from moderator.cli.common import out_console

    monkeypatch.setattr(out_console, "_width", 400)   # the console is made once per process
    from click.testing import CliRunner

    from moderator.cli import main

    accounts.add_account(subject_store, "avg", "geheim", role="avg")

    def run(*args):
        return CliRunner().invoke(main, ["--db", str(subject_store.path), "--archives",
                                         str(subject_store.archives), *args, "--user", "avg"],
                                  env={"MODERATOR_PASSWORD": "geheim", "COLUMNS": "300"})

    added = run("audit", "request", "add", "p1", "--from", "Ouder Dirk", "--received",
                "2026-11-01", "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["due_on"] == "2026-12-01"
    listed = run("audit", "request", "list", "--open")
    assert "nog 6 dagen" in listed.output and "Ouder Dirk" in listed.output
    found = json.loads(run("audit", "passages", "p1", "--json").output)
    note = next(p["passage"] for p in found if p["text"] == REPORTER_NOTE)
    other = next(p["passage"] for p in found if p["text"] == NAMES_OTHER_PARENT)
    done = run("audit", "subject-export", "p1", "--out", str(tmp_path / "uit"), "--request",
               str(json.loads(added.output)["id"]), "--withhold", f"{note}=gegevens van de melder",
               "--keep", f"{other}=de ouder was zelf bij het gesprek", "--json")
    assert done.exit_code == 0, done.output
    result = json.loads(done.output)
    raw = open(result["json"], encoding="utf-8").read()
    assert REPORTER_NOTE not in raw and NAMES_OTHER_PARENT in raw
    assert REPORTER_NOTE not in pdf_text(result["pdf"])
    assert "beantwoord op 25-11-2026" in run("audit", "request", "list").output
    bad = run("audit", "subject-export", "p1", "--out", str(tmp_path / "x"), "--keep", "zomaar")
    assert bad.exit_code != 0 and "PASSAGE=GROND" in bad.output
    assert not (tmp_path / "x").exists()


def test_hostile_kept_passages_and_grounds_stay_text_in_json_and_pdf(subject_store, tmp_path):
    passages = subject_access.third_party_passages(subject_store, AVG, "p1")
    note = next(p for p in passages if p.text == REPORTER_NOTE)
    others = {p.key: Decision(True, "grond " + HOSTILE + ' <img src="/etc/passwd"/>')
              for p in passages if p is not note}
    result = subject_access.export_subject(
        subject_store, AVG, "p1", tmp_path,
        decisions={note.key: Decision(False, "zelf gemeld"), **others})
    pdf = pdf_text(result.pdf_path).replace("\n", " ")
    assert "[bold red]x[/] [@click=app.quit]y[/]" in pdf         # shown, not interpreted
    assert '<img src="/etc/passwd"/>' in pdf and "<font size=300></para>" in pdf
    assert "\x1b" not in pdf and "\u202e" not in pdf
    payload = json.loads(result.json_path.read_text("utf-8"))
    assert payload["withheld"][0]["ground"].startswith("grond [bold red]x[/]")
    assert "\x1b" not in payload["withheld"][0]["ground"]
