"""Every `--json` goes through one printer that escapes control, format and bidi
characters: hostile portal text reaches a script as data, never raw on a terminal."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers_deletion import TEACHER3, add_post, add_report

from moderator.cli import main
from moderator.services.accounts import add_account
from moderator.services.deletion import delete_item
from moderator.services.dossier import add_event
from moderator.store import audit
from moderator.store.accounts import actor_for
from moderator.text import json_text

RAW = ["\u202e", "\u200b", "\ufeff", "\x85", "\x9b", "\x1b", "\x7f", "\u2028"]
HOSTILE = "Ouder " + "".join(RAW) + " [bold]x[/] <img src=\"/etc/passwd\"/>"


@pytest.fixture
def hostile_db(school_store, tmp_path):
    s = school_store
    with s.write():
        s.execute("UPDATE people SET name = ? WHERE id = 'p1'", (HOSTILE,))
        s.execute("UPDATE groups SET name = ? WHERE id = 'g3'", (HOSTILE,))
    add_account(s, "avg", "geheim", role="avg")
    add_account(s, "carla", "geheim", person_id="d1")
    add_account(s, "anouk", "geheim", person_id="t3")
    add_post(s, "P1", f"Live {HOSTILE}")
    add_report(s, "post:P1", note=HOSTILE)
    add_post(s, "P2", f"Weg {HOSTILE}")
    number = delete_item(s, "post:P2", "abuse", TEACHER3, note=HOSTILE).incident_number
    add_event(s, actor_for(s, "carla"), number, "note", HOSTILE, participants=[HOSTILE])
    add_post(s, "P3", "Laat", author="t3", created_at="2026-11-20T23:30:00+01:00")
    with s.write():
        audit.append(s, "system", "test.hostile", HOSTILE, {"x": HOSTILE}, "s1")
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text(json.dumps({"id": HOSTILE, "text": f"Sukkel {HOSTILE}"}) + "\n")
    return s, number, drafts


VERBS = [
    (["queue", "--user", "anouk"], True),
    (["user", "list"], False),
    (["dossier", "list", "--user", "carla"], True),
    (["dossier", "show", "{number}", "--user", "carla"], True),
    (["audit", "log", "--user", "avg"], True),
    (["audit", "access", "--user", "avg"], False),
    (["audit", "retention", "--user", "avg"], False),
    (["audit", "destructions", "--user", "avg"], False),
    (["audit", "provisions", "list", "--user", "avg"], False),
    (["report", "--user", "carla"], True),
    (["scan"], False),
    (["verify"], False),
    (["check", "{drafts}"], True),
]


@pytest.mark.parametrize("argv, shows_hostile", VERBS, ids=[" ".join(v[0][:2]) for v in VERBS])
def test_json_never_prints_control_format_or_bidi_characters(hostile_db, argv, shows_hostile):
    store, number, drafts = hostile_db
    args = [a.format(number=number, drafts=drafts) for a in argv]
    if args[0] != "check":
        args.append("--json")
    result = CliRunner().invoke(
        main, ["--db", str(store.path), "--archives", str(store.archives), *args],
        env={"MODERATOR_PASSWORD": "geheim"})
    assert result.exit_code in (0, 1), result.output     # verify: 1 when it finds something
    for char in RAW:
        assert char not in result.stdout, (args, repr(char))
    documents = [json.loads(line) for line in result.stdout.splitlines() if line.strip()] \
        if args[0] == "check" else [json.loads(result.stdout)]
    if shows_hostile:   # the data itself reached the script unchanged, only escaped
        assert "\\u202e" in result.stdout and any(HOSTILE in text for text in strings(documents))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_json_text_keeps_data_and_readable_letters():
    value = {"naam": "Zoë \U0001F600 " + "".join(RAW)}
    out = json_text(value)
    assert json.loads(out) == value
    assert "Zoë" in out and "\U0001F600" in out
    assert not any(char in out for char in RAW)
