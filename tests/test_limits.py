"""Lines that break the JSON parser's limits, and the hard copy of a very long body."""

from __future__ import annotations

import io
import time

import pypdf
import pytest
from click.testing import CliRunner
from helpers_deletion import TEACHER3, add_post
from helpers_import import export_lines, sample_records, write_export

from moderator.archive.pdfkit import chunks
from moderator.cli import main
from moderator.services.deletion import delete_item
from moderator.store import Store


def run(db, *args, env=None):
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env or {})


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
