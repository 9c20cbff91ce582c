"""Lines that break the JSON parser's limits, and the hard copy of a very long body."""

from __future__ import annotations

import io
import json
import time

import pypdf
import pytest
from click.testing import CliRunner
from helpers_deletion import TEACHER3, add_post
from helpers_import import T, export_lines, sample_records, write_export

from moderator.archive.pdfkit import chunks
from moderator.archive.verify import verify_archive
from moderator.cli import main
from moderator.services.accounts import add_account
from moderator.services.deletion import delete_item
from moderator.store import Store, audit
from moderator.store.limits import CAP_MAX_BODY, DEFAULT_MAX_BODY


def run(db, *args, env=None):
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env or {})


def post_line(body: str, post_id: str = "big") -> str:
    return json.dumps({"type": "post", "id": post_id, "group": "g3", "author": "p1",
                       "created_at": T, "body": body})


def count_posts(db) -> int:
    with Store(db) as store:
        return store.scalar("SELECT count(*) FROM posts")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "moderator.db"
    assert run(path, "import", str(write_export(tmp_path / "base.jsonl"))).exit_code == 0
    return path


@pytest.mark.parametrize("line, message", [
    ('{"type": "post", "id": "x", "n": ' + "9" * 5000 + "}", "te veel cijfers"),
    ("[" * 5000 + "]" * 5000, "te diep genest"),
    ('{"type": "post", "id": "x", "n": ' + "[" * 3000 + "]" * 3000 + "}", "te diep genest"),
    ('{"type": "post", "id": "x", "n": ' + "[" * 3000 + '"\\ud800"' + "]" * 3000 + "}",
     "te diep genest"),
])
def test_lines_that_break_the_parsers_limits_are_named(db, tmp_path, line, message):
    before = count_posts(db)
    path = write_export(tmp_path / "bad.jsonl", lines=[*export_lines(sample_records()), line])
    result = run(db, "import", str(path))
    assert result.exit_code == 2, result.output
    assert f"{path}:{len(sample_records()) + 1}:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.output
    assert count_posts(db) == before


def test_a_body_over_the_limit_is_refused_until_the_avg_coordinator_raises_it(db, tmp_path):
    body = "woord " * (DEFAULT_MAX_BODY // 6 + 100)
    path = write_export(tmp_path / "big.jsonl", lines=[post_line(body)])
    refused = run(db, "import", str(path))
    assert refused.exit_code == 2 and f"{path}:1: post: body van {len(body)} tekens" \
        in refused.stderr
    assert count_posts(db) == len([r for r in sample_records() if r["type"] == "post"])

    with Store(db) as store:
        add_account(store, "avg", "geheim", role="avg")
        add_account(store, "carla", "geheim", person_id="d1")
    env = {"MODERATOR_PASSWORD": "geheim"}
    assert run(db, "limits", "--max-body-chars", "200000").exit_code == 2       # no login
    assert run(db, "limits", "--max-body-chars", "200000", "--user", "carla",
               env=env).exit_code == 3
    too_big = run(db, "limits", "--max-body-chars", str(CAP_MAX_BODY + 1), "--user", "avg",
                  env=env)
    assert too_big.exit_code == 2
    raised = run(db, "limits", "--max-body-chars", "200000", "--user", "avg", "--json", env=env)
    assert raised.exit_code == 0, raised.output
    assert json.loads(raised.stdout)["max_body_chars"] == 200000
    assert run(db, "import", str(path)).exit_code == 0
    with Store(db) as store:
        entry = audit.entries(store, action="setting.set")[0]
        assert entry.subject == "setting:import_max_body_chars" and entry.detail["to"] == 200000
        # A setting that matters: a hand edit is named by verify.
        store.execute("UPDATE settings SET value = '9999999' WHERE key = 'import_max_body_chars'")
        found = {(f.kind, f.subject) for f in verify_archive(store).findings}
        assert ("instelling", "import_max_body_chars") in found


def test_a_line_over_the_limit_is_refused_before_it_is_parsed(db, tmp_path):
    with Store(db) as store:
        add_account(store, "avg", "geheim", role="avg")
    assert run(db, "limits", "--max-line-bytes", "2048", "--user", "avg",
               env={"MODERATOR_PASSWORD": "geheim"}).exit_code == 0
    path = write_export(tmp_path / "long.jsonl", lines=[post_line("x" * 5000)])
    result = run(db, "import", str(path))
    assert result.exit_code == 2 and f"{path}:1: regel van" in result.stderr
    shown = run(db, "limits")
    assert "2048 bytes" in shown.stdout


def test_a_long_line_is_laid_out_in_pieces_complete_and_in_order():
    line = "woord " * 2000 + "x" * 5000
    pieces = chunks(line, 500)
    assert "".join(pieces) == line
    assert all(len(p) <= 500 for p in pieces)
    assert all(p.endswith(" ") for p in pieces[:10])       # cut after a space where possible


@pytest.mark.slow
def test_a_one_megabyte_body_gets_its_hard_copy_in_seconds(school_store):
    """1 MB in one line without breaks: the copy holds it all, first word to last, and is
    made in seconds instead of minutes."""
    body = "begin " + "lange tekst zonder regelovergang " * (1_000_000 // 33) + "einde"
    assert len(body) >= 1_000_000
    add_post(school_store, "BIG", body)
    started = time.monotonic()
    result = delete_item(school_store, "post:BIG", "abuse", TEACHER3)
    took = time.monotonic() - started
    assert took < 120, took          # minutes before the fix; seconds on an idle machine
    reader = pypdf.PdfReader(io.BytesIO(result.hardcopy_path.read_bytes()))
    assert len(reader.pages) > 50
    text = "".join(reader.pages[i].extract_text() for i in range(len(reader.pages)))
    assert "begin lange tekst" in text and "einde" in text
    assert text.count("regelovergang") == body.count("regelovergang")
