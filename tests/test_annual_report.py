"""The yearly report: counts per school and for the foundation, no personal data, small
counts suppressed, totals that match a direct count."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from moderator.cli import main
from moderator.errors import PermissionDenied
from moderator.services.accounts import add_account
from moderator.services.annual_report import build_report, percentile, suppress_row
from moderator.store import Store, audit
from tests.helpers_avg import AVG, DIRECTOR, HOSTILE, OTHER_DIRECTOR, TEACHER

BASE = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
NAMES = ("Juf Anouk", "Meester Bram", "Directeur Carla", "Ouder Dirk", "Ouder Eva",
         "Directeur Otto", "Tim Zonnebloem", "Wilma Vlinderdas")


def _flag(store: Store, item: str, school: str, group: str, source: str, reason: str,
          created: datetime, closed_after_h: float | None = None, status: str = "open") -> None:
    closed = None if closed_after_h is None else \
        (created + timedelta(hours=closed_after_h)).isoformat()
    store.execute(
        "INSERT INTO flags (item, school_id, group_id, source, reason, note, created_at, status,"
        " closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item, school, group, source, reason, "Ouder Dirk zegt: " + HOSTILE,
         created.isoformat(), status, closed))


@pytest.fixture
def store(school_store):
    s = school_store
    with s.write():
        s.execute("INSERT INTO schools (id, name) VALUES ('s2', 'De Vlinder')")
        s.execute("INSERT INTO groups (id, school_id, name, kind) VALUES ('v1', 's2', 'Groep 1',"
                  " 'class')")
        s.execute("INSERT INTO people (id, school_id, name, role) VALUES"
                  " ('d9', 's2', 'Directeur Otto', 'director'),"
                  " ('q1', 's2', ?, 'parent')", ("Wilma Vlinderdas " + HOSTILE,))
        s.execute("INSERT INTO pupils (id, school_id, group_id, name) VALUES"
                  " ('u1', 's1', 'g3', 'Tim Zonnebloem')")
        # De Klimboom: 7 reported abuse messages, handled after 1..6 and 48 hours.
        for n, hours in enumerate((1, 2, 3, 4, 5, 6, 48)):
            _flag(s, f"post:k{n}", "s1", "g3", "report", "abuse", BASE + timedelta(days=n),
                  hours, "resolved" if n < 3 else "dismissed")
        for n in range(3):                       # 3 threats found by the rules, still open
            _flag(s, f"post:t{n}", "s1", "g3", "rule", "threat", BASE + timedelta(days=n))
        # De Vlinder: 3 reported abuse messages, 8 rule threats.
        for n in range(3):
            _flag(s, f"post:v{n}", "s2", "v1", "report", "abuse", BASE + timedelta(days=n), 2,
                  "dismissed")
        for n in range(8):
            _flag(s, f"post:w{n}", "s2", "v1", "rule", "threat", BASE + timedelta(days=n))
        # Last year's flags are not counted.
        for n in range(6):
            _flag(s, f"post:old{n}", "s1", "g3", "report", "abuse",
                  datetime.fromisoformat("2025-12-30T09:00:00+01:00"), 1, "resolved")
        # Six dossiers of De Klimboom, each with a warning, closed after 10..60 hours.
        for n in range(6):
            opened = BASE + timedelta(days=n)
            cur = s.execute(
                "INSERT INTO incidents (number, school_id, group_id, person_id, status, opened_at,"
                " opened_by, closed_at) VALUES (?, 's1', 'g3', 'p1', 'closed', ?, 'juf', ?)",
                (f"INC-2026-{n + 1:04d}", opened.isoformat(),
                 (opened + timedelta(hours=10 * (n + 1))).isoformat()))
            s.execute("INSERT INTO incident_events (incident_id, kind, at, recorded_at, author,"
                      " text, measure) VALUES (?, 'measure', ?, ?, 'carla', ?, 'warning')",
                      (cur.lastrowid, opened.isoformat(), opened.isoformat(),
                       "Ouder Dirk gewaarschuwd"))
        audit.append(s, "avg", "subject.export", "person:p1", {}, "s1")
    return s


def _cells(table) -> dict[str, tuple[str, ...]]:
    return dict(table.rows)


def test_totals_match_a_direct_count_and_small_counts_are_suppressed(store):
    report = build_report(store, AVG, 2026)
    tables = {t.code: t for t in report.tables}
    assert tables["bronnen"].columns == ("De Klimboom", "De Vlinder", "Stichting")

    direct = dict(store.rows("SELECT source, count(*) FROM flags"
                             " WHERE substr(created_at, 1, 4) = '2026' GROUP BY source"))
    assert direct == {"report": 10, "rule": 11}
    sources = _cells(tables["bronnen"])
    assert sources["melding door een ouder"][-1] == str(direct["report"])
    assert sources["automatische controle"][-1] == str(direct["rule"])
    # 7 and 3: the 3 is hidden, and the 7 is left out so the 3 cannot be worked back.
    assert sources["melding door een ouder"] == ("x", "< 5", "10")
    assert sources["automatische controle"] == ("< 5", "x", "11")

    reasons = _cells(tables["redenen"])
    by_reason = dict(store.rows("SELECT reason, count(*) FROM flags"
                                " WHERE substr(created_at, 1, 4) = '2026' GROUP BY reason"))
    assert reasons["Schelden of beledigen"][-1] == str(by_reason["abuse"])
    assert reasons["Bedreiging"][-1] == str(by_reason["threat"])

    outcomes = _cells(tables["uitkomsten"])
    assert outcomes["verwijderd"] == ("< 5", "< 5", "< 5")       # 3 deleted in all
    assert outcomes["melding afgewezen (blijft staan)"] == ("< 5", "< 5", "7")
    assert outcomes["nog open"] == ("< 5", "x", "11")

    times = _cells(tables["doorlooptijden"])
    # De Klimboom: 1,2,3,4,5,6,48 hours -> median 4, 90th percentile (nearest rank) 48.
    assert times["Tijd tot eerste actie: mediaan (uur)"][0] == "4,0"
    assert times["Tijd tot eerste actie: 90e percentiel (uur)"][0] == "48,0"
    assert times["Tijd tot eerste actie: mediaan (uur)"][1] == "—"      # 3 cases only
    assert times["Tijd tot afsluiten dossier: mediaan (uur)"][0] == "35,0"
    assert _cells(tables["maatregelen"])["Waarschuwing"] == ("6", "< 5", "6")
    assert _cells(tables["avg"])["inzageverzoeken beantwoord (export)"] == ("< 5",) * 3


def test_suppression_and_percentile_rules():
    assert suppress_row([7, 3], True) == ["x", "< 5"]
    assert suppress_row([7, 3], False) == ["7", "< 5"]
    assert suppress_row([0, 9], True) == ["< 5", "9"]      # a zero identifies nobody
    assert suppress_row([3, 2, 9], True) == ["< 5", "< 5", "9"]
    assert suppress_row([3, 12, 9], True) == ["< 5", "12", "x"]
    assert percentile([1, 2, 3, 4, 5, 6, 48], 0.9) == 48
    assert percentile(list(range(1, 11)), 0.9) == 9


def test_a_director_gets_her_own_school_only(store):
    report = build_report(store, DIRECTOR, 2026)
    tables = {t.code: t for t in report.tables}
    assert tables["bronnen"].columns == ("De Klimboom",)
    assert _cells(tables["bronnen"])["melding door een ouder"] == ("7",)
    with pytest.raises(PermissionDenied):
        build_report(store, DIRECTOR, 2026, "s2")
    with pytest.raises(PermissionDenied):
        build_report(store, TEACHER, 2026)
    with pytest.raises(PermissionDenied):
        build_report(store, OTHER_DIRECTOR, 2026, "s1")
    one = build_report(store, AVG, 2026, "s2")
    assert {t.code: t for t in one.tables}["bronnen"].columns == ("De Vlinder",)


def test_cli_writes_csvs_and_a_pdf_without_names_or_small_counts(store, tmp_path):
    add_account(store, "avg", "geheim", role="avg")
    add_account(store, "carla", "geheim", person_id="d1")
    out = tmp_path / "jaarverslag"
    argv = ["--db", str(store.path), "--archives", str(store.archives)]
    env = {"MODERATOR_PASSWORD": "geheim"}
    result = CliRunner().invoke(main, [*argv, "report", "annual", "--year", "2026", "--out",
                                       str(out), "--user", "avg"], env=env)
    assert result.exit_code == 0, result.output
    csvs = sorted(out.glob("*.csv"))
    assert {p.name for p in csvs} >= {"jaarverslag-2026-redenen.csv",
                                      "jaarverslag-2026-bronnen.csv",
                                      "jaarverslag-2026-uitkomsten.csv",
                                      "jaarverslag-2026-doorlooptijden.csv",
                                      "jaarverslag-2026-avg.csv"}
    names = [r[0] for r in store.rows("SELECT name FROM people UNION SELECT name FROM pupils")]
    names = [*names, *NAMES, "Wilma", "Zonnebloem", "Dirk"]
    for path in csvs:
        content = path.read_text(encoding="utf-8-sig")
        for name in names:
            assert name not in content, (path.name, name)
        for row in csv.reader(io.StringIO(content), delimiter=";"):
            if "(uur)" in row[0]:
                continue          # hours, not counts
            for value in row[1:]:
                assert not (value.isdigit() and int(value) < 5), (path.name, row)

    reader = PdfReader(out / "jaarverslag-2026.pdf")
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Jaarverslag ouderportaal 2026" in pdf and "Signaleringen per reden" in pdf
    for name in names:
        assert name not in pdf, name
    assert "< 5" in pdf and "Stichting" in pdf
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'report.annual'") == 1

    # The director: her own school; today's `report --user` still works.
    result = CliRunner().invoke(main, [*argv, "report", "annual", "--year", "2026", "--out",
                                       str(tmp_path / "d"), "--user", "carla"], env=env)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, [*argv, "report", "annual", "--year", "2026", "--school",
                                       "s2", "--out", str(tmp_path / "e"), "--user", "carla"],
                                env=env)
    assert result.exit_code == 3 and "eigen school" in result.output
    result = CliRunner().invoke(main, [*argv, "report", "--user", "carla", "--json"], env=env)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, [*argv, "report"], env=env)
    assert result.exit_code == 2 and "--user" in result.output


def test_hostile_school_names_stay_text_in_the_csv_and_the_pdf(store, tmp_path):
    from moderator.services.annual_report import write_annual_report

    with store.write():
        store.execute("UPDATE schools SET name = ? WHERE id = 's2'", ("=Vlinder " + HOSTILE,))
    files = write_annual_report(store, AVG, 2026, tmp_path / "out")
    for path in files.csvs:
        content = path.read_text(encoding="utf-8-sig")
        assert "\x1b" not in content and "\u202e" not in content
        header = next(csv.reader(io.StringIO(content), delimiter=";"))
        assert "'=Vlinder [bold red]x[/] [@click=app.quit]y[/] <U+001B>[2J<U+202E>" \
            " <font size=300></para>" in header                       # no formula
    reader = PdfReader(files.pdf)
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "[@click=app.quit]y[/]" in pdf and "<font size=300></para>" in pdf
    assert "\x1b" not in pdf and "\u202e" not in pdf
