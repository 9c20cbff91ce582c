"""Letters: templates and their safe substitution, who may send what, privacy, the PDF
filed in the dossier (timeline, export, verify, retention), letters without a dossier."""

from __future__ import annotations

import hashlib
import io
import os
import stat

import pytest
from pypdf import PdfReader

from moderator.archive.dossier_export import verify_export
from moderator.archive.verify import verify_archive
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy import letters as templates
from moderator.services import letters
from moderator.services.deletion import find_orphans
from moderator.services.dossier import add_event, close_incident, export_incident, get_incident
from moderator.services.moderation import dismiss
from moderator.services.retention import destroy_incident
from moderator.store import audit
from tests.helpers_deletion import add_post, add_report
from tests.helpers_letters import THREAT, build_world


@pytest.fixture
def world(school_store):
    found = build_world(school_store)
    found["store"] = school_store
    return found


def _pdf_text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


# -- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(templates.TEMPLATES))
def test_every_shipped_template_fits_every_recipient_it_is_for(code):
    spec = templates.spec(code)
    text, source = templates.template_source(code, None)
    subject, body = templates.split_template(text, source)
    for kind in spec.recipients:
        used = templates.check_variables(code, kind, subject + "\n" + body, source)
        assert set(spec.asks) <= set(used)


def test_preview_shows_the_variables_and_stores_nothing(world):
    store, staff = world["store"], world["staff"]
    shown = letters.preview(store, staff["anouk"], template="removal", incident=world["incident"])
    assert shown.recipient.person_id == "p1" and shown.recipient.kind == "author"
    assert shown.variables["reden"] == "Bedreiging"
    assert shown.variables["dossier"] == world["incident"]
    assert shown.variables["groep"] == "Groep 3"
    assert "Beste Ouder Dirk" in shown.body and "Gedrag, punt 4" in shown.body
    assert store.scalar("SELECT COUNT(*) FROM letters") == 0
    assert audit.entries(store, action="letter.draft") == []


def test_a_missing_value_names_the_template_and_the_variable(world):
    with pytest.raises(UsageError, match=r"sjabloon invitation .*\$aanleiding.*--set aanleiding"):
        letters.preview(world["store"], world["staff"]["anouk"], template="invitation",
                        incident=world["incident"], values={"moment": "maandag 10:00"})


def test_a_value_moderator_fills_itself_cannot_be_set(world):
    with pytest.raises(UsageError, match="vult moderator zelf in"):
        letters.preview(world["store"], world["staff"]["anouk"], template="removal",
                        incident=world["incident"], values={"reden": "iets anders"})
    with pytest.raises(UsageError, match="onbekende variabele"):
        letters.preview(world["store"], world["staff"]["anouk"], template="removal",
                        incident=world["incident"], values={"bestaatniet": "x"})


def test_a_school_overrides_a_template_with_its_own_file(world, tmp_path):
    store, staff = world["store"], world["staff"]
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    (folder / "removal.txt").write_text(
        "Onderwerp: Verwijderd bij $school\n\nGeachte $ontvanger,\n\nEigen tekst: $reden."
        " Dat kost $$5.\n\n$afzender\n", encoding="utf-8")
    letters.set_templates_folder(store, staff["carla"], "s1", str(folder))
    shown = letters.preview(store, staff["anouk"], template="removal", incident=world["incident"])
    assert shown.source == str(folder / "removal.txt")
    assert shown.subject == "Verwijderd bij De Klimboom"
    assert "Eigen tekst: Bedreiging. Dat kost $5." in shown.body
    listed = dict((spec.code, source) for spec, source in letters.list_templates(store, "s1"))
    assert listed["removal"] == str(folder / "removal.txt")
    assert listed["warning"] == "standaard:warning.txt"


def test_an_override_with_an_unknown_variable_is_refused_naming_it(world, tmp_path):
    store, staff = world["store"], world["staff"]
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    (folder / "removal.txt").write_text("Onderwerp: x\n\nBeste $ontvanger, $wachtwoord\n",
                                        encoding="utf-8")
    with pytest.raises(UsageError, match=r"sjabloon removal .*onbekende variabele \$wachtwoord"):
        letters.set_templates_folder(store, staff["carla"], "s1", str(folder))
    (folder / "removal.txt").write_text("Onderwerp: x\n\nBeste $ontvanger,\nkost 5$\n",
                                        encoding="utf-8")
    with pytest.raises(UsageError, match=r"removal.txt:4: ongeldige '\$'"):
        letters.set_templates_folder(store, staff["carla"], "s1", str(folder))
    assert letters.templates_folder(store, "s1") is None


def test_an_override_cannot_leak_the_author_to_the_reporter(world, tmp_path):
    store, staff = world["store"], world["staff"]
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    (folder / "reporter_reply.txt").write_text(
        "Onderwerp: Uw melding\n\nBeste $ontvanger, het ging om: $bericht ($reden)\n",
        encoding="utf-8")
    with pytest.raises(UsageError, match=r"\$bericht mag niet in een brief aan de melder"):
        letters.set_templates_folder(store, staff["carla"], "s1", str(folder))


# -- who may send what ----------------------------------------------------------------------------


def test_a_warning_needs_the_director_or_a_recorded_consultation(world):
    store, staff = world["store"], world["staff"]
    values = {"toelichting": "Dit kan echt niet."}
    with pytest.raises(PermissionDenied, match="overleg met de directie"):
        letters.draft(store, staff["anouk"], template="warning", incident=world["incident"],
                      values=values)
    assert letters.draft(store, staff["carla"], template="warning", incident=world["incident"],
                         values=values).status == "draft"
    add_event(store, staff["carla"], world["incident"], "consultation", "Overleg over de brief")
    by_teacher = letters.draft(store, staff["anouk"], template="measure",
                               incident=world["incident"],
                               values={"maatregel": "read_only", "maatregel_reden": "herhaling",
                                       "van": "2026-11-26", "tot": "2026-12-24"})
    assert "Tijdelijk alleen lezen" in by_teacher.body
    assert "26-11-2026" in by_teacher.body and "24-12-2026" in by_teacher.body


def test_only_moderators_of_the_group_write_letters(world):
    store, staff = world["store"], world["staff"]
    with pytest.raises(PermissionDenied):
        letters.draft(store, staff["bram"], template="removal", incident=world["incident"])
    with pytest.raises(PermissionDenied):
        letters.draft(store, staff["avg"], template="removal", incident=world["incident"])
    assert store.scalar("SELECT COUNT(*) FROM letters") == 0


def test_letterhead_is_set_by_the_director_not_a_teacher(world):
    store, staff = world["store"], world["staff"]
    with pytest.raises(PermissionDenied):
        letters.set_letterhead(store, staff["anouk"], "s1", name="Andere naam")
    head = letters.set_letterhead(store, staff["carla"], "s1", address="Schoolstraat 1;1234 AB Dorp",
                                  foundation="Stichting Primair", director="C. de Directeur")
    assert head.address == "Schoolstraat 1\n1234 AB Dorp"
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    text = _pdf_text(store.archives / draft.pdf_path)
    for shown in ("De Klimboom", "Schoolstraat 1", "1234 AB Dorp", "Stichting Primair",
                  "C. de Directeur"):
        assert shown in text
    assert audit.entries(store, action="letter.letterhead")[0].actor == "carla"


def _png(width: int = 4, height: int = 2) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x10\x60\xa0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_logo_must_be_an_image_and_is_printed(world, tmp_path):
    store, staff = world["store"], world["staff"]
    bogus = tmp_path / "logo.png"
    bogus.write_bytes(b"not an image")
    with pytest.raises(UsageError, match="geen afbeelding"):
        letters.set_letterhead(store, staff["carla"], "s1", logo=str(bogus))
    logo = tmp_path / "echt.png"
    logo.write_bytes(_png())
    assert letters.set_letterhead(store, staff["carla"], "s1", logo=str(logo)).logo == str(logo)
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    page = PdfReader(str(store.archives / draft.pdf_path)).pages[0]
    assert len(page.images) == 1


# -- privacy ------------------------------------------------------------------------------------


def test_a_reporter_letter_never_names_the_author_or_quotes_the_message(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="reporter_reply",
                          incident=world["incident"])
    assert draft.recipient_id == "p2" and draft.recipient_kind == "reporter"
    text = _pdf_text(store.archives / draft.pdf_path)
    for shown in (draft.body, draft.subject, text):
        assert "Dirk" not in shown and THREAT[:20] not in shown and "Bedreiging" not in shown
    with pytest.raises(UsageError, match="noemt de auteur"):
        letters.draft(store, staff["anouk"], template="reporter_reply", incident=world["incident"],
                      body="Beste Eva, wij hebben Ouder Dirk gesproken.")


def test_an_author_letter_never_names_the_reporter(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    assert "Eva" not in draft.body and "Eva" not in _pdf_text(store.archives / draft.pdf_path)
    with pytest.raises(UsageError, match="wie het bericht meldde"):
        letters.draft(store, staff["carla"], template="warning", incident=world["incident"],
                      values={"toelichting": "Ouder Eva heeft dit gemeld."})


def test_the_template_must_fit_the_recipient(world):
    store, staff = world["store"], world["staff"]
    with pytest.raises(UsageError, match="is voor de auteur"):
        letters.draft(store, staff["anouk"], template="removal", incident=world["incident"],
                      to="p2")
    with pytest.raises(UsageError, match="geen auteur, melder"):
        letters.draft(store, staff["anouk"], template="invitation", incident=world["incident"],
                      to="t5", values={"aanleiding": "x", "moment": "y"})
    with pytest.raises(NotFound):
        letters.draft(store, staff["anouk"], template="removal", incident=world["incident"],
                      to="nobody")


# -- filed in the dossier -------------------------------------------------------------------------


def test_the_letter_is_filed_read_only_with_its_hash_next_to_the_hard_copy(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    path = store.archives / draft.pdf_path
    assert path.parent == world["hardcopy"].hardcopy_path.parent
    assert hashlib.sha256(path.read_bytes()).hexdigest() == draft.sha256
    assert path.stat().st_size == draft.size
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    detail = get_incident(store, staff["carla"], world["incident"])
    assert [x.number for x in detail.letters] == [draft.number]
    entry = audit.entries(store, action="letter.draft")[0]
    assert entry.detail["sha256"] == draft.sha256 and entry.detail["person"] == "p1"
    assert verify_archive(store).ok and find_orphans(store) == []


def test_verify_names_a_changed_letter(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    path = store.archives / draft.pdf_path
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes() + b"\n% changed")
    report = verify_archive(store)
    assert not report.ok and [p.path for p in report.altered] == [draft.pdf_path]
    with pytest.raises(Conflict, match="SHA-256"):
        export_incident(store, staff["carla"], world["incident"])


def test_verify_names_a_swapped_letter_whose_row_was_updated_to_match(world):
    """The letters row is no reference: the chained letter.draft entry is."""
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    path = store.archives / draft.pdf_path
    forged = b"%PDF-1.4 forged letter"
    os.chmod(path, 0o644)
    path.write_bytes(forged)
    os.chmod(path, 0o444)
    with store.write():
        store.execute("UPDATE letters SET sha256 = ?, size = ? WHERE id = ?",
                      (hashlib.sha256(forged).hexdigest(), len(forged), draft.id))
    report = verify_archive(store)
    assert [p.path for p in report.altered] == [draft.pdf_path]
    assert ("register", draft.pdf_path) in {(f.kind, f.subject) for f in report.findings}


def test_verify_names_a_letter_removed_with_its_row(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    path = store.archives / draft.pdf_path
    os.chmod(path, 0o644)
    path.unlink()
    with store.write():
        store.execute("DELETE FROM letters WHERE id = ?", (draft.id,))
    report = verify_archive(store)
    assert [p.path for p in report.missing] == [draft.pdf_path]
    assert any(f.subject == draft.pdf_path and "ontbreekt" in f.detail for f in report.findings)


def test_the_dossier_export_embeds_every_letter(world):
    store, staff = world["store"], world["staff"]
    one = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    two = letters.draft(store, staff["anouk"], template="reporter_reply",
                        incident=world["incident"])
    letters.mark_printed(store, staff["anouk"], two.number)
    record = export_incident(store, staff["carla"], world["incident"])
    path = store.archives / record.path
    reader = PdfReader(str(path))
    attached = {hashlib.sha256(c).hexdigest() for cs in reader.attachments.values() for c in cs}
    assert {one.sha256, two.sha256} <= attached
    assert verify_export(path, [world["hardcopy"].sha256]) == []
    cover = reader.pages[0].extract_text() + reader.pages[1].extract_text()
    assert one.number in cover and "afgedrukt/overhandigd" in cover
    assert one.sha256[:32] in cover.replace("\n", "")
    assert verify_archive(store).ok


def test_a_dismissed_report_gets_a_reply_filed_under_the_school_letters(school_store):
    world = build_world(school_store)
    staff = world["staff"]
    item = add_post(school_store, "a2", "Hoe laat begint de ouderavond?", author="p1")
    add_report(school_store, item, "other", note="klopt dit wel", reporter="p2")
    dismiss(school_store, staff["anouk"], item, "Gewone vraag, niets aan de hand")
    draft = letters.draft(school_store, staff["anouk"], template="reporter_reply", item=item)
    assert draft.incident_id is None and draft.item == item
    assert draft.pdf_path.startswith("s1/2026/brieven/")
    assert "Hoe laat" not in draft.body and "Dirk" not in draft.body
    assert [x.number for x in letters.list_letters(school_store, staff["anouk"])] \
        == [draft.number]
    assert letters.list_letters(school_store, staff["bram"]) == []
    assert verify_archive(school_store).ok


def test_destroying_a_dossier_destroys_its_letters(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    path = store.archives / draft.pdf_path
    close_incident(store, staff["carla"], world["incident"], "Afgerond",
                   reason_without_conversation="Ouder reageerde niet")
    destroy_incident(store, staff["avg"], world["incident"], "verzoek tot wissing",
                     erasure_request=True)
    assert not path.exists()
    assert store.scalar("SELECT COUNT(*) FROM letters") == 0
    assert audit.entries(store, action="incident.destroy")[0].detail["letter_sha256"] \
        == [draft.sha256]
    assert verify_archive(store).ok


def test_a_letter_pdf_reads_back_as_one_page_with_the_reference(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    reader = PdfReader(io.BytesIO((store.archives / draft.pdf_path).read_bytes()))
    assert len(reader.pages) == 1
    assert f"letter:{draft.number}" in str(reader.metadata.get("/Keywords"))


def test_letters_are_in_the_subject_access_export_of_their_recipient(world, tmp_path):
    from moderator.services.subject_access import export_subject

    store, staff = world["store"], world["staff"]
    to_author = letters.draft(store, staff["anouk"], template="removal",
                              incident=world["incident"])
    to_reporter = letters.draft(store, staff["anouk"], template="reporter_reply",
                                incident=world["incident"])
    import json as _json

    author = export_subject(store, staff["avg"], "p1", tmp_path / "p1")
    data = _json.loads(author.json_path.read_text(encoding="utf-8"))
    assert [x["number"] for x in data["letters"]] == [to_author.number]
    assert data["letters"][0]["sha256"] == to_author.sha256
    assert to_author.number in _pdf_text(author.pdf_path)
    reporter = export_subject(store, staff["avg"], "p2", tmp_path / "p2")
    data = _json.loads(reporter.json_path.read_text(encoding="utf-8"))
    assert [x["number"] for x in data["letters"]] == [to_reporter.number]


def test_a_pupils_guardian_can_be_invited_without_learning_about_the_author(world):
    store, staff = world["store"], world["staff"]
    with store.write():
        store.execute("INSERT INTO people (id, school_id, name, role, email) VALUES"
                      " ('p3', 's1', 'Ouder Fleur', 'parent', 'fleur@example.org')")
        store.execute("INSERT INTO pupils (id, school_id, group_id, name) VALUES"
                      " ('k1', 's1', 'g3', 'Kind Gijs')")
        store.execute("INSERT INTO guardians VALUES ('k1', 'p3')")
    draft = letters.draft(store, staff["anouk"], template="invitation", incident=world["incident"],
                          to="p3", values={"aanleiding": "een bericht in de groep over uw kind",
                                           "moment": "maandag 30 november, 15:00, lokaal 3"})
    assert (draft.recipient_id, draft.recipient_kind) == ("p3", "guardian")
    assert "Wanneer: maandag 30 november, 15:00, lokaal 3" in draft.body
    assert "Dirk" not in draft.body and "Bedreiging" not in draft.body
    with pytest.raises(UsageError, match="is voor de auteur"):
        letters.draft(store, staff["carla"], template="warning", incident=world["incident"],
                      to="p3", values={"toelichting": "x"})
