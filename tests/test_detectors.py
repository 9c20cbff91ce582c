"""The text detectors: a labelled Dutch corpus, evidence offsets, obfuscation, the roster,
confidential context, school extensions, and `moderator check`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderator.cli import main
from moderator.policy.catalogue import TEXT_REASONS
from moderator.policy.detectors import detect, explain, reasons_of, valid_bsn

CORPUS = Path(__file__).parent / "corpus" / "messages.jsonl"
PUPILS = ["Sanne de Vries", "Daan Jansen", "Lotte Bakker", "Sem de Jong", "Emma Smit",
          "Emma de Wit", "Noah Visser"]
HOSTILE = ["[bold red]x[/]", "[@click=app.quit]x[/]", "\x1b[2J\x1b]0;pwned\x07", "\u202e",
           '<img src="/etc/passwd"/>', "</para>", "<font size=300>"]


def codes(text: str, **kw) -> set[str]:
    return {f.reason for f in detect(text, **kw)}


def load_corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_corpus_precision_recall():
    rows = load_corpus()
    assert len(rows) >= 150
    tp, fp, fn = Counter(), Counter(), Counter()
    clean_flagged = []
    for row in rows:
        found = detect(row["text"], pupils=row.get("pupils", ()))
        for f in found:        # evidence always quotes the original text at its offsets
            assert row["text"][f.start:f.end] == f.text and f.text
        got, want = {f.reason for f in found}, set(row["reasons"])
        if not want and got:
            clean_flagged.append((row["text"], sorted(got)))
        for code in got & want:
            tp[code] += 1
        for code in got - want:
            fp[code] += 1
        for code in want - got:
            fn[code] += 1
    print(f"\n{'code':22} {'P':>6} {'R':>6}  (n={len(rows)})")
    for code in TEXT_REASONS:
        p = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else 1.0
        r = tp[code] / (tp[code] + fn[code]) if tp[code] + fn[code] else 1.0
        print(f"{code:22} {p:6.2f} {r:6.2f}")
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_f1 = 2 * t / (2 * t + f_p + f_n)
    print(f"micro-F1 {micro_f1:.3f}")
    assert clean_flagged == []
    assert micro_f1 >= 0.9
    assert all(tp[code] for code in TEXT_REASONS)   # every code occurs and is found


@pytest.mark.parametrize("text, evidence", [
    ("Wat een KUTSCHOOL is dit", "KUTSCHOOL"),
    ("wat een kuuuut dag", "kuuuut"),
    ("wat een k*t dag", "k*t"),
    ("die k4nkerlijer van hiernaast", "k4nkerlijer"),
    ("kkr school", "kkr"),
    ("Tèring, alweer regen", "Tèring"),
    ("Ik WEET waar je   woont.", "WEET waar je   woont"),
    ("ik kom het verhaal halen", "verhaal halen"),
])
def test_obfuscation_and_offsets(text, evidence):
    found = detect(text)
    assert found, text
    f = found[0]
    assert text[f.start:f.end] == f.text
    assert evidence in f.text


def test_offsets_point_into_original_text_with_accents_and_emoji():
    text = "Café 😀 ‘Crème’: jullie zijn een stelletje idioten"
    (f,) = detect(text)
    assert (f.reason, text[f.start:f.end]) == ("abuse", f.text)
    assert f.text.endswith("idioten")


@pytest.mark.parametrize("text", [
    "KWF Kankerbestrijding collecteert deze week.",
    "pas op: de ingang is dicht",
    "ik sla de ouderavond over",
    "de kerstviering is donderdag",
    "In groep 8 hebben we een les over de verkiezingen en de Tweede Kamer.",
    "fiets te leen voor het verkeersexamen",
    "We zoeken eikels voor de herfsttafel. Hoera, vakantie!",
    "De verbetering van het plein is klaar.",
    "Een informatieavond over dyslexie voor alle ouders.",
])
def test_hard_negatives_stay_clean(text):
    assert detect(text, pupils=PUPILS) == []


def test_explain_names_rule_section_and_words():
    (f,) = detect("Nou, wat een KUTschool")
    assert explain(f) == "Schelden of beledigen (Gedrag, punt 4): «KUTschool», positie 13-22"


def test_multiple_codes_and_reasons_order():
    found = detect("Te koop: mijn fiets. Wat een kutschool. Ik weet waar je woont.")
    assert reasons_of(found) == ["abuse", "threat", "commercial"]
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_individual_child_needs_exactly_one_named_pupil():
    assert codes("Daan Jansen heeft weer geslagen.", pupils=PUPILS) == {"individual_child"}
    assert codes("daan jansen heeft weer geslagen.", pupils=PUPILS) == {"individual_child"}
    # a unique first name counts, with its capital
    assert codes("Lotte was erg onrustig.", pupils=PUPILS) == {"individual_child"}
    # several children, or a first name shared by two pupils, or a teacher's title: fine
    assert codes("Daan, Lotte en Sem hebben gewonnen!", pupils=PUPILS) == set()
    assert codes("Emma was vandaag jarig.", pupils=PUPILS) == set()
    assert codes("Emma Smit was vandaag jarig.", pupils=PUPILS) == {"individual_child"}
    assert codes("Juf Lotte is ziek, meester Sem valt in.", pupils=PUPILS) == set()
    assert codes("Daan Jansen heeft weer geslagen.") == set()          # no roster, no check
    # accents are optional, in full names and in first names
    assert codes("Zoe was er weer niet.", pupils=[*PUPILS, "Zoë van Dijk"]) == {"individual_child"}
    assert codes("Gefeliciteerd zoë van dijk!", pupils=[*PUPILS, "Zoë van Dijk"]) == {"individual_child"}
    found = detect("Noah Visser is jarig, hoera voor Noah!", pupils=PUPILS)
    assert [f.text for f in found] == ["Noah Visser", "Noah"]


def test_confidential_needs_a_person_and_bsn_needs_the_11_check():
    assert "confidential" in codes("Mijn zoon heeft ADHD.")
    assert "confidential" in codes("Ze slikt sinds kort Ritalin.")
    assert "confidential" in codes("Sanne de Vries heeft autisme.", pupils=PUPILS)
    assert "confidential" not in codes("Informatieavond over ADHD en autisme op dinsdag.")
    assert "confidential" not in codes("Juf Anouk heeft een allergie, ze trakteert zelf.")
    assert valid_bsn("111222333") and valid_bsn("123456782")
    assert not valid_bsn("123456789") and not valid_bsn("000000000")
    assert codes("BSN: 1112.22.333") == {"confidential"}
    assert codes("Ordernummer 123456789, bel 0612345678") == set()


def test_school_extra_words_and_identity_allowance():
    text = "Jezus houdt van jou! Wat een sufferdjes bij de ouderraad."
    assert codes(text) == {"political_religious"}
    extra = {"abuse": ["sufferd*"]}
    assert codes(text, extra_words=extra) == {"political_religious", "abuse"}
    assert codes(text, extra_words=extra, allow={"political_religious"}) == {"abuse"}
    # extensions use the full syntax: alternatives, phrases, exceptions
    extra = {"commercial": ["{koop,kopen} ~ bij mij", "!koop ~ bij mij niks"]}
    assert codes("Koop je kaarsen bij mij!", extra_words=extra) == {"commercial"}
    assert codes("Koop maar bij mij niks", extra_words=extra) == set()
    # a code without a list of its own can be raised by a school's words
    assert codes("Wat een drama, die school", extra_words={"negative": ["drama"]}) == {"negative"}


def test_the_trigger_prefilter_never_hides_a_match(monkeypatch):
    """detect() skips codes whose key word is absent; with every code searched the
    findings must be the same, for the corpus and for obfuscated list words."""
    import random

    from moderator.policy import detectors

    rng = random.Random(7)
    texts = [row["text"] for row in load_corpus()]
    for code in detectors.LIST_CODES:
        for raw in detectors.read_wordlist(code):
            if raw.startswith("!"):
                continue
            for entry in detectors._expand(raw)[:3]:
                words = [w.strip("*") for w in entry.split() if w != "~"]
                plain = " ".join(words)
                stretched = "".join(c * rng.choice((1, 1, 3)) for c in plain)
                starred = "".join("*" if c in "aeiou" and i and rng.random() < 0.3 else c
                                  for i, c in enumerate(plain))
                texts += [f"Nou, {plain}!", stretched.upper(), f"x_{starred}_y {plain}xyz",
                          f"*{starred}* #{plain}", f"ab{plain.replace(' ', '_')}"]
    fast = [detect(t) for t in texts]
    everything = set(detectors.LIST_CODES)
    monkeypatch.setattr(detectors._Bundle, "triggered", lambda self, norm: everything)
    slow = [detect(t) for t in texts]
    assert len(texts) > 1000
    assert fast == slow


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_just_text(hostile):
    found = detect(f"{hostile} kutschool {hostile}")
    assert [f.reason for f in found] == ["abuse"]
    assert found[0].text == "kutschool"


def test_check_command_writes_one_line_per_draft(tmp_path):
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in [
        {"id": "a", "text": "Fijne vakantie allemaal!"},
        {"id": "b", "text": "Daan Jansen heeft ADHD", "pupils": PUPILS},
        {"id": 3, "text": "wat een k*t school"},
    ]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "m.db"), "check", str(drafts)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", 3]
    assert lines[0] == {"id": "a", "reasons": [], "evidence": []}
    assert lines[1]["reasons"] == ["individual_child", "confidential"]
    assert {"reason": "confidential", "start": 18, "end": 22, "text": "ADHD"} in lines[1]["evidence"]
    assert lines[2]["reasons"] == ["abuse"]


def test_check_command_reads_stdin():
    result = CliRunner().invoke(main, ["check"], input='{"id": "x", "text": "Stem op de PVV!"}\n')
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reasons"] == ["political_religious"]


@pytest.mark.parametrize("line, message", [
    ("{not json", "geen geldige JSON"),
    ('["a"]', "JSON-object verwacht"),
    ('{"id": "x"}', '"text"'),
    ('{"text": "hoi"}', '"id"'),
    ('{"id": "x", "text": "hoi", "pupils": "Sanne"}', '"pupils"'),
])
def test_check_command_names_the_bad_line(tmp_path, line, message):
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text('{"id": "ok", "text": "hallo"}\n' + line + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(drafts)])
    assert result.exit_code == 2
    assert f"{drafts}:2" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert '"id": "ok"' not in result.output        # nothing written before the error


def test_check_command_bad_encoding_and_missing_file(tmp_path):
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "hoi"}\r\n{"id": 2, "text": "caf\xe9"}\n')
    result = CliRunner().invoke(main, ["check", str(drafts)])
    assert result.exit_code == 2 and f"{drafts}:2: geen geldige UTF-8" in result.output
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "kan niet lezen" in result.output
    drafts.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "hoi"}\r\n')      # BOM and CRLF are fine
    result = CliRunner().invoke(main, ["check", str(drafts)])
    assert result.exit_code == 0 and json.loads(result.output)["id"] == 1
