"""Labels, not codes: the demo journey (a teacher deletes and dismisses, records an entry and
reads the hard copies; the director escalates and exports; the AVG coordinator reads the
audit log) never shows a reason code, a measure code or a 'post:'/'comment:' id on screen,
and the PDFs it writes hold none outside the one line of the portal's own ids."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from textual.containers import VerticalScroll
from textual.widgets import Button, DataTable, Input, Static, TextArea

from moderator.app import ModeratorApp
from moderator.demo import ensure_demo
from moderator.policy import measures
from moderator.policy.catalogue import REASONS
from moderator.screens.audit import AuditScreen
from moderator.screens.dossier import DossierScreen
from moderator.screens.dossier_forms import DossierForm, HardcopyViewer
from moderator.screens.modals import DeleteModal, DismissModal
from moderator.screens.queue import QueueScreen
from moderator.services.accounts import authenticate
from moderator.store import Store

CODE = re.compile(r"\b(?:post|comment):\S|\b(?:" + "|".join(
    sorted({*REASONS, *measures.MEASURES}, key=len, reverse=True)) + r")\b")
PORTAL_IDS_LINE = "Kenmerken in het portaal"


def codes_in(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if CODE.search(line) and PORTAL_IDS_LINE not in line]


def screen_text(app) -> str:
    """Every text a person reads on the top screen: labels, tables, fields, buttons, the
    footer, and the notifications (a Select shows its label through its own Static)."""
    parts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, DataTable):
            parts.extend(str(c.label) for c in widget.columns.values())
            for row in range(widget.row_count):
                parts.extend(str(cell) for cell in widget.get_row_at(row))
        elif isinstance(widget, Input):
            parts.extend([widget.value, widget.placeholder])
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    parts.extend(f"{n.title}: {n.message}" for n in app._notifications)
    return "\n".join(parts)


class Journey:
    def __init__(self) -> None:
        self.shown: dict[str, str] = {}

    def look(self, app, name: str) -> None:
        self.shown[name] = screen_text(app)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause(0.1)


@pytest.fixture
def demo(tmp_path):
    store = Store(tmp_path / "moderator.db", tmp_path / "archives")
    assert ensure_demo(store) is True
    yield store
    store.close()


def test_the_pattern_catches_what_it_must():
    assert codes_in("Reactie comment:comment-464 in Groep 6")
    assert codes_in("post:post-314 niet afgewezen")
    assert codes_in("Reden: Bedreiging (threat)") and codes_in("maatregel: police_report")
    assert not codes_in("Kenmerken in het portaal: post:post-314, comment:c-1")
    assert not codes_in("de reactie van Sanne Bakker in Groep 6: Bedreiging")


async def test_the_demo_journey_shows_and_writes_labels_not_codes(demo):
    journey = Journey()
    teacher = authenticate(demo, "leerkracht", "demo")
    app = ModeratorApp(demo, actor=teacher)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        journey.look(app, "queue")
        assert " door " in journey.shown["queue"]      # the preview of the first row is read
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeleteModal)
        journey.look(app, "delete dialog")
        await pilot.press("tab", *"Dreigende taal", "ctrl+s")
        await settle(app, pilot)
        journey.look(app, "queue after delete")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DismissModal)
        journey.look(app, "dismiss dialog")
        await pilot.press(*"Geen overtreding", "enter")
        await settle(app, pilot)
        journey.look(app, "queue after dismiss")
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, DossierScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.detail is not None
        journey.look(app, "dossier")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, DossierForm)
        app.screen.query_one("#text", TextArea).text = "Overleg met de directie."
        journey.look(app, "entry form")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        journey.look(app, "dossier after entry")
        assert "Dreigende taal" in journey.shown["dossier after entry"]   # the deletion note
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HardcopyViewer)
        journey.look(app, "hard copies")
        # the viewer wraps at the box edge: nothing to scroll sideways
        assert app.screen.query_one(VerticalScroll).max_scroll_x == 0

    director = authenticate(demo, "directie", "demo")
    app = ModeratorApp(demo, actor=director)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("D")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, DossierForm)
        app.screen.query_one("#text", TextArea).text = "Aangifte gedaan."
        journey.look(app, "escalation form")
        assert "Aangifte bij de politie" in journey.shown["escalation form"] or \
            "politie" in journey.shown["escalation form"].lower()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        journey.look(app, "dossier after escalation")
        await pilot.press("x")
        await settle(app, pilot)
        journey.look(app, "dossier after export")
        assert any("Export geschreven" in str(n.message) for n in app._notifications)

    avg = authenticate(demo, "avg", "demo")
    app = ModeratorApp(demo, actor=avg)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("2")
        await settle(app, pilot)
        journey.look(app, "audit log")
        assert "melding afgewezen" in journey.shown["audit log"]

    found = {name: codes_in(shown) for name, shown in journey.shown.items()}
    assert {name: lines for name, lines in found.items() if lines} == {}

    pdfs = sorted(demo.archives.rglob("*.pdf"))
    kinds = {p.name.split("-")[0] for p in pdfs}
    assert len(pdfs) >= 2 and "export" in "".join(p.name for p in pdfs), kinds
    in_pdfs = {}
    portal_lines = 0
    for pdf in pdfs:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        assert text.strip()
        portal_lines += text.count("Kenmerken in het")
        if "export" in pdf.name:
            assert "Toelichting bij de" in text and "Dreigende taal" in text  # deletion note
        if codes_in(text):
            in_pdfs[pdf.name] = codes_in(text)
    assert in_pdfs == {}
    assert portal_lines >= 2      # the hard copy, and the same pages inside the export
