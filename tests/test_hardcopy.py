"""The hard copy PDF, read back with pypdf: content, hostile text, glyphs, determinism."""

from __future__ import annotations

import io

import pypdf
import pytest
from helpers_deletion import (
    DIRECTOR,
    HOSTILE,
    TEACHER3,
    add_comment,
    add_media,
    add_post,
    add_report,
    add_revision,
    add_rule_flag,
)

from moderator.archive import pdfkit
from moderator.archive.hardcopy import (
    HardCopyFacts,
    embedded_audit_head,
    embedded_item_hash,
    item_sha256,
    render_hardcopy,
)
from moderator.policy.access import SYSTEM
from moderator.services.queue import get_item_detail

FACTS = HardCopyFacts(reason="abuse", deleter=TEACHER3, deleted_at="2026-11-25T10:00:00+01:00",
                      note="Besproken met directie", incident_number="INC-2026-0007",
                      audit_seq=42, audit_hash="ab" * 32)


def read(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def store(school_store):
    s = school_store
    add_post(s, "P1", "Eerste tekst", title="Schoolreis")
    add_revision(s, "post:P1", 2, "Jij bent een sukkel", title="Schoolreis")
    add_comment(s, "C1", "P1", "Wat een onzin")
    add_media(s, "M1", "P1", [("k1", "Sanne", True), ("k2", "Timo", False), ("k3", "Ilse", None)],
              tags=["swimwear"], file="zwembad.jpg")
    add_report(s, "post:P1", "abuse", note="Kwetsend voor de juf")
    add_rule_flag(s, "post:P1", "abuse", "sukkel", 13)
    return s


def test_post_copy_holds_everything_a_director_needs(store):
    detail = get_item_detail(store, SYSTEM, "post:P1")
    reader, text = read(render_hardcopy(detail, FACTS))
    for expected in (
        "Kopie voor het dossier", "INC-2026-0007", "De Klimboom", "Groep 3", "Ouder Dirk (ouder)",
        "20 november 2026, 15:30", "Schelden of beledigen", "Gedrag, punt 4",
        "Juf Anouk", "25 november 2026, 10:00", "Besproken met directie",
        "Eerste tekst", "Jij bent een sukkel", "Versie 1", "Versie 2", "Wat een onzin",
        "Ouder Eva", "zwembad.jpg", "zwemkleding", "Sanne", "portaal 2026-2027: ja",
        "Timo", "NEE", "GEEN formulier", "Kwetsend voor de juf",
        "Automatische signalering", "«sukkel»", item_sha256(detail), "nr. 42",
    ):
        assert expected in text, expected
    # Words for people, the portal's ids on one line for matching, pages counted.
    assert "(abuse)" not in text and "reden abuse" not in text
    ids = [line for line in text.splitlines() if "bericht P1" in line]
    assert len(ids) == 1 and "groep g3" in ids[0] and "reactie C1" in ids[0] \
        and "beeld M1" in ids[0] and "auteur p1" in ids[0], ids
    assert "ontvangen uit het portaal op" in text
    pages = len(reader.pages)
    assert f"pagina 1 van {pages}" in text and f"pagina {pages} van {pages}" in text
    meta = reader.metadata
    assert meta.title == "Kopie voor het dossier INC-2026-0007: bericht P1"
    assert "Schelden of beledigen" in meta.subject
    assert embedded_item_hash(meta["/Keywords"]) == item_sha256(detail)
    assert embedded_audit_head(meta["/Keywords"]) == (42, "ab" * 32)
    assert "INC-2026-0007" in meta["/Keywords"]
    assert "PDF/A" not in text


def test_comment_copy_shows_post_as_context(store):
    detail = get_item_detail(store, SYSTEM, "comment:C1")
    _, text = read(render_hardcopy(detail, FACTS))
    assert "De verwijderde reactie" in text and "Wat een onzin" in text
    assert "Context: het bericht waarop werd gereageerd" in text
    assert "Jij bent een sukkel" in text and "Dit bericht blijft staan" in text


def test_same_input_same_bytes(store):
    detail = get_item_detail(store, SYSTEM, "post:P1")
    assert render_hardcopy(detail, FACTS) == render_hardcopy(detail, FACTS)
    other = HardCopyFacts(**{**FACTS.__dict__, "deleted_at": "2026-11-26T08:15:00+01:00"})
    data = render_hardcopy(detail, other)
    assert data != render_hardcopy(detail, FACTS)
    assert "26 november 2026, 08:15" in read(data)[1]


def test_fonts_are_embedded_vera_only(store):
    reader, _ = read(render_hardcopy(get_item_detail(store, SYSTEM, "post:P1"), FACTS))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "BitstreamVera" in font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_hostile_text_stays_literal_and_changes_nothing(store, monkeypatch):
    hostile = "\n".join(HOSTILE)
    add_post(store, "PH", hostile, title='<font size=300>T</font>')
    add_comment(store, "CH", "PH", "</para><para>x")
    add_report(store, "post:PH", "abuse", note='<img src="/etc/passwd"/>')
    opened: list[str] = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    data = render_hardcopy(get_item_detail(store, SYSTEM, "post:PH"), FACTS)
    assert not any("passwd" in f or "evil" in f for f in opened)
    reader, text = read(data)
    for literal in ('<img src="/etc/passwd"/>', "</para>", "<font size=300>",
                    '<a href="http://evil">link</a>', "[bold red]x[/]", "[@click=app.quit]x[/]",
                    "<U+001B>[2J<U+001B>]0;pwned<U+0007>", "<U+202E>", "</para><para>x"):
        assert literal in text, literal
    assert "\x1b" not in text and "\u202e" not in text
    for page in reader.pages:  # no image was pulled in, no link was made
        assert not page["/Resources"].get("/XObject")
        assert "/Annots" not in page
    # Same layout as harmless text of the same length: the markup did nothing.
    add_post(store, "PB", "\n".join("x" * len(line) for line in HOSTILE), title="x" * 24)
    add_comment(store, "CB", "PB", "x" * 14)
    add_report(store, "post:PB", "abuse", note="x" * 24)
    plain = pypdf.PdfReader(io.BytesIO(
        render_hardcopy(get_item_detail(store, SYSTEM, "post:PB"), FACTS)))
    assert len(plain.pages) == len(reader.pages)


def test_unknown_glyphs_become_visible_code_points(store):
    add_post(store, "PE", "Feest 😀 en 中文 en café € ‘ok’")
    _, text = read(render_hardcopy(get_item_detail(store, SYSTEM, "post:PE"), FACTS))
    assert "Feest <U+1F600> en <U+4E2D><U+6587> en café € ‘ok’" in text


def test_drawable_uses_the_fonts_character_map():
    assert pdfkit.drawable("é€\n\t") == "é€\n\t"
    assert pdfkit.drawable("a\U0001F600b") == "a<U+1F600>b"
    assert pdfkit.covered("ë") and not pdfkit.covered("\u4e2d")


def test_reportlab_errors_never_echo_the_text():
    class Exploding(pdfkit.Paragraph):
        def wrap(self, *args):
            raise ValueError('paragraph text: <img src="/etc/passwd"/> \x1b[2J')

    buffer = io.BytesIO()
    doc = pdfkit.new_document(buffer, title="t", subject="s", keywords=[])
    with pytest.raises(pdfkit.RenderError) as caught:
        pdfkit.build(doc, [Exploding("x")], what="hard copy of post:P1")
    assert "passwd" not in str(caught.value) and "\x1b" not in str(caught.value)
    assert "post:P1" in str(caught.value)


def test_huge_unbroken_text_still_renders(store):
    add_post(store, "PL", "A" * 20000 + "\n" + "woord " * 4000)
    reader, text = read(render_hardcopy(get_item_detail(store, DIRECTOR, "post:PL"), FACTS))
    assert len(reader.pages) > 3
    assert text.count("A") >= 20000
