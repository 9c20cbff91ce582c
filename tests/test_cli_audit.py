"""`moderator audit ...`: the AVG coordinator's verbs, and tamper evidence end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.services.accounts import add_account
from tests.helpers_avg import add_incident


@pytest.fixture
def cli_store(school_store):
    add_account(school_store, "avg", "geheim", role="avg")
    add_account(school_store, "carla", "geheim", person_id="d1")
    add_account(school_store, "anouk", "geheim", person_id="t3")
    add_incident(school_store)
    return school_store


@pytest.fixture
def run(cli_store, tmp_path):
    def invoke(*args: str, user: str | None = "avg", input: str | None = None):
        argv = ["--db", str(tmp_path / "moderator.db"), "--archives", str(tmp_path / "archives"),
                *args]
        if user:
            argv += ["--user", user]
        return CliRunner().invoke(main, argv, env={"MODERATOR_PASSWORD": "geheim"}, input=input)
    return invoke


def test_log_and_access_filter_and_print_json(run):
    result = run("audit", "log", "--action", "user.add", "--json")
    assert result.exit_code == 0, result.output
    assert {e["subject"] for e in json.loads(result.output)} == {
        "account:avg", "account:carla", "account:anouk"}
    result = run("audit", "access", "--incident", "INC-2024-0001", "--json")
    assert result.exit_code == 0, result.output
    assert [(r["actor"], r["action"], r["incident"]) for r in json.loads(result.output)] == [
        ("carla", "view", "INC-2024-0001")]
    table = run("audit", "access", "--incident", "INC-2024-0001")
    assert "carla" in table.output and "INC-2024-0001" in table.output


def test_others_are_refused_with_a_clear_message(run):
    for args in (("audit", "log"), ("audit", "access"), ("audit", "retention"),
                 ("audit", "anchor"), ("audit", "destroy", "INC-2024-0001", "--ground", "x", "--yes"),
                 ("audit", "provisions", "approve", "1")):
        result = run(*args, user="carla")
        assert result.exit_code == 3, (args, result.output)
        assert "Traceback" not in result.output and "fout:" in result.output


def test_retention_set_years_list_hold_and_destroy(run, cli_store):
    result = run("audit", "retention", "--set-years", "3", "--expired", "--json")
    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert listing["retention_years"] == 3
    assert [r["number"] for r in listing["incidents"]] == ["INC-2024-0001"]

    assert run("audit", "hold", "INC-2024-0001", "--reason", "Klacht loopt").exit_code == 0
    refused = run("audit", "destroy", "INC-2024-0001", "--ground", "bewaartermijn verstreken",
                  "--yes")
    assert refused.exit_code == 5 and "bewaarplicht" in refused.output
    assert run("audit", "hold", "INC-2024-0001", "--release").exit_code == 0
    aborted = run("audit", "destroy", "INC-2024-0001", "--ground", "verstreken", input="n\n")
    assert aborted.exit_code != 0 and cli_store.scalar("SELECT COUNT(*) FROM incidents") == 1
    done = run("audit", "destroy", "INC-2024-0001", "--ground", "bewaartermijn verstreken",
               "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["hardcopies"] == 2
    records = json.loads(run("audit", "destructions", "--json").output)
    assert [r["incident"] for r in records] == ["INC-2024-0001"]
    # verify tells the destroyed files apart: nothing missing, the chain intact.
    verify = run("verify", user=None)
    assert verify.exit_code == 0, verify.output


def test_subject_export_writes_both_files(run, tmp_path):
    result = run("audit", "subject-export", "p1", "--out", str(tmp_path / "inzage"), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert Path(out["json"]).exists() and Path(out["pdf"]).read_bytes().startswith(b"%PDF")
    missing = run("audit", "subject-export", "nobody", "--out", str(tmp_path / "x"))
    assert missing.exit_code == 4 and "nobody" in missing.output


def test_provisions_propose_approve_reject(run, tmp_path):
    proposed = run("audit", "provisions", "propose", "--kind", "words", "--detail",
                   '{"reason": "abuse", "words": ["oen"]}', "--json", user="carla")
    assert proposed.exit_code == 0, proposed.output
    pid = json.loads(proposed.output)["id"]
    assert run("audit", "provisions", "approve", str(pid), user="carla").exit_code == 3
    assert run("audit", "provisions", "approve", str(pid)).exit_code == 0
    listed = json.loads(run("audit", "provisions", "list", "--json").output)
    assert [(p["id"], p["status"]) for p in listed] == [(pid, "approved")]
    bad = tmp_path / "detail.json"
    bad.write_text('{"reason": "abuse",\n "words": [oen]}')
    result = run("audit", "provisions", "propose", "--kind", "words", "--detail-file", str(bad),
                 user="carla")
    assert result.exit_code == 2 and f"{bad}:2" in result.output
    second = json.loads(run("audit", "provisions", "propose", "--kind", "frequency", "--detail",
                            '{"max_per_day": 2, "min_per_week": 1}', "--json",
                            user="carla").output)["id"]
    assert run("audit", "provisions", "reject", str(second), "--note", "te vaak").exit_code == 0


def test_anchor_then_a_hand_edit_makes_verify_name_the_entry(run, tmp_path):
    anchor = run("audit", "anchor")
    assert anchor.exit_code == 0, anchor.output
    seq, digest = anchor.output.strip().split(":")
    assert int(seq) > 0 and len(digest) == 64
    assert run("verify", "--anchor", anchor.output.strip(), user=None).exit_code == 0

    conn = sqlite3.connect(tmp_path / "moderator.db")
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'iemand' WHERE seq = 2")
    conn.commit()
    conn.close()
    result = run("verify", user=None)
    assert result.exit_code == 1
    assert "regel 2" in result.output


def test_verify_by_the_avg_coordinator_is_in_the_access_log_and_others_are_refused(run, cli_store):
    result = run("verify", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ok"] and json.loads(result.output)["checked"] == 2
    lines = cli_store.rows("SELECT actor FROM access_log WHERE action = 'archive_verify'")
    assert [r["actor"] for r in lines] == ["avg"]
    refused = run("verify", user="anouk")
    assert refused.exit_code == 3 and "AVG-coördinator" in refused.output
    assert "Traceback" not in refused.output
    by_operator = run("verify", "--json", user=None)     # an operator job, as before
    assert by_operator.exit_code == 0, by_operator.output
    assert cli_store.scalar("SELECT COUNT(*) FROM access_log WHERE action = 'archive_verify'") == 1


def test_the_log_in_the_terminal_shows_labels_not_codes(run, cli_store, tmp_path, monkeypatch):
    from moderator.cli.common import out_console

    monkeypatch.setattr(out_console, "_width", 400)   # the console is made once per process
    from moderator.store import audit

    with cli_store.write():
        audit.append(cli_store, "carla", "incident.measure", "incident:INC-2024-0001",
                     {"measure": "police_report"}, "s1")
        audit.append(cli_store, "anouk", "post.comments", "post:m1", {"enabled": False}, "s1")
    result = CliRunner().invoke(main, [
        "--db", str(tmp_path / "moderator.db"), "--archives", str(tmp_path / "archives"),
        "audit", "log", "--limit", "3", "--user", "avg"],
        env={"MODERATOR_PASSWORD": "geheim", "COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "reacties uitgezet" in out and "Juf Anouk (Leerkracht" in out
    assert "Directeur Carla (Directie)" in out and "Aangifte of melding" in out
    for code in ("account:", "post:m1", "police_report", "system", "carla"):
        assert code not in out, code
    shown = json.loads(run("audit", "log", "--action", "post.comments", "--json").output)[0]["shown"]
    assert shown["who"] == "Juf Anouk (Leerkracht (groepsbeheerder))"
    assert shown["action"] == "reacties uitgezet"
