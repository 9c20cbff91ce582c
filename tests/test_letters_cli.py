"""``moderator letter ...``: the letter workflow from the command line, with --json, against
a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from moderator.cli import main
from tests.helpers_dossier import PASSWORD
from tests.helpers_letters import build_world, smtp_server  # noqa: F401

HOSTILE = "[bold]x[/] [@click=app.quit]y\x1b[31m\u202e<img src=\"/etc/passwd\"/>\r\nBcc: a@b.c"


@pytest.fixture
def world(school_store, smtp_server):  # noqa: F811
    found = build_world(school_store, smtp_server.port)
    found.update(db=str(school_store.path), archives=str(school_store.archives),
                 server=smtp_server, store=school_store)
    return found


def run(world, *args, stdin=None):
    runner = CliRunner()
    return runner.invoke(main, ["--db", world["db"], "--archives", world["archives"], *args],
                         env={"MODERATOR_PASSWORD": PASSWORD}, input=stdin,
                         catch_exceptions=False)


def test_delete_then_notify_author_and_reporter_then_export_and_verify(world):
    n = world["incident"]
    shown = run(world, "letter", "recipients", "--incident", n, "--user", "anouk", "--json")
    assert [(r["person"], r["kind"], r["can_email"]) for r in json.loads(shown.output)] == [
        ("p1", "author", True), ("p2", "reporter", True)]
    preview = run(world, "letter", "draft", "--template", "removal", "--incident", n,
                  "--user", "anouk", "--preview", "--json")
    assert preview.exit_code == 0, preview.output
    assert json.loads(preview.output)["variables"]["reden"] == "Bedreiging"
    numbers = []
    for template in ("removal", "reporter_reply"):
        made = run(world, "letter", "draft", "--template", template, "--incident", n,
                   "--user", "anouk", "--json")
        assert made.exit_code == 0, made.output
        numbers.append(json.loads(made.output)["number"])
        sent = run(world, "letter", "send", numbers[-1], "--user", "anouk", "--json")
        assert sent.exit_code == 0, sent.output
        assert json.loads(sent.output)["status"] == "sent"
    assert [m[0] for m in world["server"].messages] == [["dirk@example.org"], ["eva@example.org"]]
    listed = json.loads(run(world, "letter", "list", "--incident", n, "--user", "carla",
                            "--json").output)
    assert [(x["number"], x["status_label"]) for x in listed] == [
        (numbers[0], "verzonden"), (numbers[1], "verzonden")]
    dossier = json.loads(run(world, "dossier", "show", n, "--user", "carla", "--json").output)
    assert [x["number"] for x in dossier["letters"]] == numbers
    assert run(world, "dossier", "export", n, "--user", "carla").exit_code == 0
    verified = run(world, "verify", "--json")
    assert verified.exit_code == 0 and json.loads(verified.output)["ok"] is True
    assert json.loads(verified.output)["letters"] == 2
    assert "(waarvan 2 brieven)" in run(world, "verify").output


def test_a_failed_send_exits_non_zero_and_says_why(world):
    made = json.loads(run(world, "letter", "draft", "--template", "removal", "--incident",
                          world["incident"], "--user", "anouk", "--json").output)
    world["server"].mode = "refuse"
    sent = run(world, "letter", "send", made["number"], "--user", "anouk")
    assert sent.exit_code == 1
    assert "niet verzonden" in sent.output and "550" in sent.output
    assert "Traceback" not in sent.output


def test_edited_text_from_a_file_and_print_instead(world, tmp_path):
    body = tmp_path / "brief.txt"
    body.write_text("Beste ouder,\n\nEigen tekst van de juf.\n", encoding="utf-8")
    made = run(world, "letter", "draft", "--template", "removal", "--incident",
               world["incident"], "--body-file", str(body), "--subject", "Uw bericht",
               "--user", "anouk", "--json")
    letter = json.loads(made.output)
    assert letter["body"] == "Beste ouder,\n\nEigen tekst van de juf." and letter["subject"] == "Uw bericht"
    printed = run(world, "letter", "mark-printed", letter["number"], "--on", "2026-11-24",
                  "--user", "anouk", "--json")
    assert json.loads(printed.output)["status"] == "printed"
    assert world["server"].messages == []


def test_bad_input_is_one_dutch_line_and_changes_nothing(world, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe kapot")
    for args, text in (
            (["--template", "nope"], "onbekend sjabloon"),
            (["--template", "invitation"], "$aanleiding"),
            (["--template", "removal", "--set", "geenis"], "NAAM=WAARDE"),
            (["--template", "removal", "--body-file", str(bad)], "geen geldige UTF-8"),
            (["--template", "warning", "--set", "toelichting=x"], "directie")):
        result = run(world, "letter", "draft", "--incident", world["incident"],
                     "--user", "anouk", *args)
        assert result.exit_code != 0 and text in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert world["store"].scalar("SELECT COUNT(*) FROM letters") == 0


def test_hostile_values_come_out_as_plain_json_and_text(world):
    letterhead = run(world, "letter", "letterhead", "--school", "s1", "--name", HOSTILE,
                     "--foundation", "Stichting", "--user", "carla", "--json")
    assert letterhead.exit_code == 0, letterhead.output
    data = json.loads(letterhead.output)
    assert "\r" not in data["school"] and "\x1b" not in data["school"]
    assert "[bold]x[/]" in data["school"]
    made = run(world, "letter", "draft", "--template", "removal", "--incident",
               world["incident"], "--subject", HOSTILE, "--user", "anouk", "--json")
    letter = json.loads(made.output)
    assert "\n" not in letter["subject"] and "<U+001B>" in letter["subject"]
    shown = run(world, "letter", "show", letter["number"], "--user", "anouk")
    assert "\x1b" not in shown.output and "[bold]x[/]" in shown.output
    assert run(world, "letter", "send", letter["number"], "--user", "anouk").exit_code == 0
    message = world["server"].parsed()
    assert message["Bcc"] is None and "[bold]x[/]" in message["Subject"]


def test_templates_listing_and_smtp_settings(world):
    listed = json.loads(run(world, "letter", "templates", "--json").output)
    assert {t["code"] for t in listed} == {"invitation", "warning", "measure", "removal",
                                           "reporter_reply", "objection_reply"}
    text = run(world, "letter", "templates", "--show", "removal")
    assert "Onderwerp:" in text.output and "$reden" in text.output
    refused = run(world, "letter", "smtp", "--school", "s1", "--user", "anouk")
    assert refused.exit_code == 3
    shown = json.loads(run(world, "letter", "smtp", "--school", "s1", "--user", "carla",
                           "--json").output)
    assert shown["host"] == "127.0.0.1" and "password" not in json.dumps(shown).replace(
        "password_env", "")
