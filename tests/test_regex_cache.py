"""The compiled word lists are cached on disk: same findings, and a damaged or foreign
cache file is never used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from moderator.policy import detectors, regex_cache

SAMPLES = ["Wat een kutschool", "ik weet waar je woont", "Te koop: fiets", "hallo allemaal",
           "Mijn zoon heeft ADHD", "stem op de PVV", "die juf is een lekker ding 😏🍆"]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MODERATOR_CACHE", str(folder))
    detectors._bundle.cache_clear()
    yield folder
    detectors._bundle.cache_clear()


def _findings():
    detectors._bundle.cache_clear()
    return [detectors.detect(t) for t in SAMPLES]


def test_cached_patterns_find_the_same(cache, monkeypatch):
    first = _findings()                     # compiles and saves
    files = list(cache.glob("bundle-*.bin"))
    assert len(files) == 1
    assert stat_mode(cache) == 0o700
    real = detectors._build_bundle
    monkeypatch.setattr(detectors, "_build_bundle", _must_not_build)
    assert _findings() == first             # loaded, not compiled
    monkeypatch.setattr(detectors, "_build_bundle", real)
    monkeypatch.setenv("MODERATOR_CACHE", "off")
    assert _findings() == first             # no cache at all: same answers


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _must_not_build(extras):
    raise AssertionError("the cache was not used")


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "foreign", "other_key"])
def test_damaged_or_foreign_cache_is_ignored_and_rebuilt(cache, damage):
    first = _findings()
    (path,) = cache.glob("bundle-*.bin")
    raw = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":
        path.write_bytes(raw[:-10] + bytes(b ^ 0xFF for b in raw[-10:]))
    elif damage == "garbage":
        path.write_bytes(b"\x80\x04garbage that is no cache")
    elif damage == "foreign":
        os.chmod(path, 0o666)                 # anyone could have written it
    elif damage == "other_key":
        head, _, rest = raw.partition(b"\n")
        header_line, _, blob = rest.partition(b"\n")
        header = json.loads(header_line)
        header["key"] = "0" * 64
        path.write_bytes(head + b"\n" + json.dumps(header).encode() + b"\n" + blob)
    calls = []
    real = detectors._build_bundle

    def counting(extras):
        calls.append(1)
        return real(extras)

    detectors._build_bundle, saved = counting, detectors._build_bundle
    try:
        assert _findings() == first
    finally:
        detectors._build_bundle = saved
    assert calls == [1]                          # rebuilt instead of trusting the file


def test_a_changed_word_list_is_not_served_from_the_cache(cache):
    detectors.detect("hallo")
    assert detectors.detect("wat een sufferdje", extra_words={"abuse": ["sufferd*"]})
    assert len(list(cache.glob("bundle-*.bin"))) == 2


def test_unwritable_cache_folder_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MODERATOR_CACHE", str(blocker / "sub"))
    detectors._bundle.cache_clear()
    assert [f.reason for f in detectors.detect("kutschool")] == ["abuse"]
    detectors._bundle.cache_clear()


def test_check_process_uses_the_cache(cache):
    """A second `moderator check` process loads the compiled lists (no compile)."""
    env = {**os.environ, "MODERATOR_CACHE": str(cache),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    draft = json.dumps({"id": "1", "text": "wat een kutschool"}) + "\n"
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "moderator", "check"], input=draft,
                              capture_output=True, text=True, env=env, check=True)
        assert json.loads(done.stdout)["reasons"] == ["abuse"]
    assert regex_cache.enabled()
    assert len(list(cache.glob("bundle-*.bin"))) == 1
