"""The dossier export: cover, timeline, hard copies appended and attached byte for byte."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from pypdf import PdfReader

from moderator.archive.dossier_export import hardcopy_text, verify_export
from moderator.errors import Conflict, PermissionDenied
from moderator.services.dossier import add_event, escalate, export_incident, get_incident
from moderator.store import audit
from tests.helpers_dossier import HOSTILE, add_staff, simulate_deletion


@pytest.fixture
def staff(school_store):
    return add_staff(school_store)


def test_threat_to_police_report_to_export(school_store, staff):
    """The whole story: a teacher deletes a threat and talks to the parent; the director
    records the consultation, reports it to the police and exports the dossier."""
    store = school_store
    first = simulate_deletion(store, body="Ik weet waar je woont.")
    second = simulate_deletion(store, item="comment:c2", body="Pas maar op.")
    number = first["incident"].number
    assert second["incident"].number == number
    add_event(store, staff["anouk"], number, "parent_conversation",
              "Ouder Dirk erkent de berichten. Afspraak: geen reacties meer over de juf.",
              participants=["Juf Anouk", "Ouder Dirk"], at="2026-11-24T15:30")
    add_event(store, staff["carla"], number, "consultation", "Besproken met juf Anouk.",
              participants=["Juf Anouk", "Directeur Carla"])
    escalate(store, staff["carla"], number, "police_report", "Melding gedaan bij de wijkagent.")

    record = export_incident(store, staff["carla"], number)

    path = store.archives / record.path
    assert record.path.startswith(f"s1/2026/{number}/export-20261125T100000")
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == record.sha256 and len(data) == record.size
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    reader = PdfReader(str(path))
    # every original hard copy is inside, byte for byte
    attached = {name: content for name, contents in reader.attachments.items() for content in contents}
    assert sorted(hashlib.sha256(c).hexdigest() for c in attached.values()) == sorted(
        [first["sha256"], second["sha256"]])
    assert first["bytes"] in attached.values()
    # the cover lists their hashes; the timeline is there; the hard copies' pages follow
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert first["sha256"] in text and second["sha256"] in text
    for expected in ("Dossier " + number, "De Klimboom", "Ouder Dirk", "Geëscaleerd", "extern",
                     "Gesprek met de ouder", "Overleg leerkracht en directie",
                     "Aangifte of melding bij de politie", "wijkagent",
                     "Ik weet waar je woont.", "Pas maar op."):
        assert expected in text, expected
    assert verify_export(path, [first["sha256"], second["sha256"]]) == []
    # recorded for the archive verifier, logged as an export, audited
    row = store.row("SELECT * FROM exports WHERE incident_id = ?", (first["incident"].id,))
    assert (row["path"], row["sha256"], row["size"]) == (record.path, record.sha256, record.size)
    assert store.scalar("SELECT actor FROM access_log WHERE action = 'export'") == "carla"
    assert audit.entries(store, action="incident.export")[0].detail["sha256"] == record.sha256
    assert get_incident(store, staff["carla"], number).exports[0].path == record.path


def test_a_second_export_gets_its_own_file(school_store, staff):
    number = simulate_deletion(school_store)["incident"].number
    one = export_incident(school_store, staff["carla"], number)
    two = export_incident(school_store, staff["carla"], number)
    assert one.path != two.path
    assert school_store.scalar("SELECT COUNT(*) FROM exports") == 2


def test_teacher_may_not_export(school_store, staff):
    number = simulate_deletion(school_store)["incident"].number
    with pytest.raises(PermissionDenied):
        export_incident(school_store, staff["anouk"], number)
    assert school_store.scalar("SELECT COUNT(*) FROM exports") == 0


def test_avg_may_export_any_school(school_store, staff):
    number = simulate_deletion(school_store)["incident"].number
    record = export_incident(school_store, staff["avg"], number)
    assert record.created_by == "avg"


def test_a_tampered_hard_copy_is_not_exported(school_store, staff):
    deletion = simulate_deletion(school_store)
    deletion["path"].chmod(0o644)
    deletion["path"].write_bytes(deletion["bytes"] + b"\n% changed\n")
    with pytest.raises(Conflict, match="SHA-256"):
        export_incident(school_store, staff["carla"], deletion["incident"].number)
    assert school_store.scalar("SELECT COUNT(*) FROM exports") == 0
    folder = deletion["path"].parent
    assert [p.name for p in folder.iterdir() if "export" in p.name] == []


def test_verify_export_notices_a_missing_attachment(school_store, staff, tmp_path):
    from pypdf import PdfWriter

    deletion = simulate_deletion(school_store)
    record = export_incident(school_store, staff["carla"], deletion["incident"].number)
    reader = PdfReader(str(school_store.archives / record.path))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.add_metadata({"/Keywords": reader.metadata["/Keywords"]})
    stripped = tmp_path / "stripped.pdf"
    with open(stripped, "wb") as handle:
        writer.write(handle)
    assert verify_export(stripped) != []


def test_hostile_text_is_printed_literally(school_store, staff):
    number = simulate_deletion(school_store)["incident"].number
    add_event(school_store, staff["anouk"], number, "note", " ".join(HOSTILE),
              participants=HOSTILE[:2])
    record = export_incident(school_store, staff["carla"], number)
    text = PdfReader(str(school_store.archives / record.path)).pages[0].extract_text()
    text += PdfReader(str(school_store.archives / record.path)).pages[-2].extract_text()
    assert "<font size=300>" in text and "</para>" in text and "[bold red]x[/]" in text
    assert "\x1b" not in text


def test_hard_copy_text_is_readable_for_the_console(school_store, staff):
    deletion = simulate_deletion(school_store, body="Ik weet waar je woont.")
    detail = get_incident(school_store, staff["anouk"], deletion["incident"].id)
    shown = hardcopy_text(school_store, detail.hardcopies[0])
    assert shown.intact and "Ik weet waar je woont." in shown.text
    deletion["path"].unlink()
    missing = hardcopy_text(school_store, detail.hardcopies[0])
    assert not missing.intact and "missing" in missing.problem


def test_end_to_end_with_the_real_deletion(school_store, staff):
    """A teacher deletes a threat with the deletion service; the dossier takes it from there."""
    from moderator.services.deletion import delete_item
    from tests.helpers_deletion import add_comment, add_post

    add_post(school_store, "k1", "Schoolreisje vrijdag", author="t3")
    item = add_comment(school_store, "k2", "k1", "Ik weet waar je woont, juf.", author="p1")
    result = delete_item(school_store, item, "threat", staff["anouk"])
    number = result.incident_number
    add_event(school_store, staff["anouk"], number, "parent_conversation",
              "Gesprek met ouder Dirk; hij biedt excuses aan.", participants=["Juf Anouk", "Ouder Dirk"])
    add_event(school_store, staff["carla"], number, "consultation", "Overleg over de aanpak.")
    with pytest.raises(PermissionDenied):
        escalate(school_store, staff["anouk"], number, "police_report", "Aangifte")
    escalate(school_store, staff["carla"], number, "police_report", "Aangifte gedaan.")
    record = export_incident(school_store, staff["carla"], number)
    reader = PdfReader(str(school_store.archives / record.path))
    stored = school_store.scalar("SELECT sha256 FROM hardcopies WHERE item = ?", (item,))
    attached = [c for cs in reader.attachments.values() for c in cs]
    assert [hashlib.sha256(c).hexdigest() for c in attached] == [stored] == [result.sha256]
    assert attached[0] == result.hardcopy_path.read_bytes()
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Ik weet waar je woont, juf." in text and "hij biedt excuses aan" in text
    assert record.path.startswith(str(result.hardcopy_path.parent.relative_to(school_store.archives)))


def test_a_closed_dossier_without_hard_copies_exports_under_its_number(school_store, staff):
    from moderator.services.dossier import close_incident
    from moderator.store.incidents import open_or_extend_incident

    with school_store.write():
        ref = open_or_extend_incident(school_store, school_id="s1", group_id="g3",
                                      person_id="p2", actor="carla")
    close_incident(school_store, staff["carla"], ref.id, "Geen verdere actie",
                   reason_without_conversation="Misverstand, direct opgehelderd")
    record = export_incident(school_store, staff["carla"], ref.number)
    assert record.path.startswith(f"s1/2026/{ref.number}/export-")
    reader = PdfReader(str(school_store.archives / record.path))
    text = reader.pages[0].extract_text()
    assert "Gesloten" in text and "Geen verdere actie" in text and "Misverstand" in text
    assert reader.attachments == {} and verify_export(school_store.archives / record.path, []) == []


def test_hard_copy_text_keeps_the_table_layout(school_store, staff):
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    found = simulate_deletion(school_store)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.drawString(72, 800, "INC-2026-0001 · pagina 1")
    pdf.drawString(72, 760, "Reden")
    pdf.drawString(250, 760, "Bedreiging")
    pdf.drawString(72, 740, "Verwijderd door")
    pdf.drawString(250, 740, "Juf Anouk")
    pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    path = found["path"]
    path.chmod(0o644)
    path.write_bytes(data)
    with school_store.write():
        school_store.execute("DROP TRIGGER hardcopies_no_update")
        school_store.execute("UPDATE hardcopies SET sha256 = ?, size = ?",
                             (hashlib.sha256(data).hexdigest(), len(data)))
    hc = get_incident(school_store, staff["carla"], found["incident"].id).hardcopies[0]
    read = hardcopy_text(school_store, hc)
    assert read.problem is None
    lines = read.text.splitlines()
    reden = next(line for line in lines if "Reden" in line)
    door = next(line for line in lines if "Verwijderd door" in line)
    assert "Bedreiging" in reden and "Juf Anouk" in door
    assert reden.index("Bedreiging") == door.index("Juf Anouk")
