"""The letter dialog of the dossier screen (key b), driven with the Pilot at 80x24, with
hostile names, against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Button, Input, Select, Static, TextArea

from moderator.screens.dossier import DossierScreen
from moderator.screens.letter_form import LetterForm
from moderator.services import letters
from tests.helpers_letters import build_world, smtp_server  # noqa: F401

HOSTILE_NAME = "Ouder [bold]Dirk[/] [@click=app.quit]x\x1b[31m\u202e<img src=\"/etc/passwd\"/>"


class DossierApp(App):
    def __init__(self, store, actor, incident_id=None):
        super().__init__()
        self.store, self.actor, self.incident_id = store, actor, incident_id

    def on_mount(self) -> None:
        self.push_screen(DossierScreen(self.store, self.actor, self.incident_id))


def _visible(app, widget) -> bool:
    region = widget.region
    return (region.width > 0 and region.height > 0 and region.right <= app.size.width
            and region.bottom <= app.size.height)


async def test_write_preview_edit_and_send_at_80x24_with_hostile_names(school_store,
                                                                        smtp_server):  # noqa: F811
    world = build_world(school_store, smtp_server.port)
    with school_store.write():
        school_store.execute("UPDATE people SET name = ? WHERE id = 'p1'", (HOSTILE_NAME,))
    number = world["incident"]
    app = DossierApp(school_store, world["staff"]["anouk"], number)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LetterForm)
        for button in form.query(Button):
            assert _visible(app, button), button.id
        for selector in ("#template", "#recipient", "#values", "#subject", "#body",
                         "#letter-error"):
            assert _visible(app, form.query_one(selector)), selector
        assert form.query_one("#body", TextArea).region.height >= 3
        assert form.query_one("#recipient", Select).value == "p1"
        await pilot.press("ctrl+s")                       # no preview yet: refused
        await pilot.pause()
        assert "voorbeeld" in str(form.query_one("#letter-error", Static).render()).lower()
        await pilot.press("ctrl+o")
        await pilot.pause()
        body = form.query_one("#body", TextArea)
        assert "[bold]Dirk[/]" in body.text and "<U+001B>" in body.text
        assert "\x1b" not in body.text and "\u202e" not in body.text
        assert form.query_one("#subject", Input).value.startswith("Uw bericht")
        body.text = body.text.replace("Met vriendelijke groet,",
                                      "Bel gerust als u vragen heeft.\n\nMet vriendelijke groet,")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, LetterForm)
        detail = str(app.screen.query_one("#detail-body", Static).render())
        assert "Brief BRF-2026-0001  verzonden" in detail
        assert detail.index("Verwijdering") < detail.index("Brief BRF-2026-0001") \
            < detail.index("Hard copies in het dossier")
        assert "[bold]Dirk[/]" in detail
    sent = letters.list_letters(school_store, world["staff"]["anouk"])
    assert [(x.template, x.status) for x in sent] == [("removal", "sent")]
    assert "Bel gerust als u vragen heeft." in sent[0].body
    message = smtp_server.parsed()
    assert "Bel gerust" in message.get_body(("plain",)).get_content()
    assert message["To"].addresses[0].addr_spec == "dirk@example.org"


async def test_a_reporter_without_email_gets_the_letter_printed(school_store,
                                                                smtp_server):  # noqa: F811
    world = build_world(school_store, smtp_server.port, reporter_email=None)
    app = DossierApp(school_store, world["staff"]["anouk"], world["incident"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        form = app.screen
        form.query_one("#template", Select).value = "reporter_reply"
        await pilot.pause()
        assert form.query_one("#recipient", Select).value == "p2"
        assert form.query_one("#send", Button).disabled
        assert "geen e-mailadres" in str(form.query_one("#letter-error", Static).render())
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "Dirk" not in form.query_one("#body", TextArea).text
        await pilot.press("ctrl+s")                       # refused: no address
        await pilot.pause()
        assert isinstance(app.screen, LetterForm)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, LetterForm)
    found = letters.list_letters(school_store, world["staff"]["anouk"])
    assert [(x.template, x.status, x.channel) for x in found] == [
        ("reporter_reply", "printed", "print")]
    assert smtp_server.messages == []


async def test_a_missing_value_is_shown_in_the_dialog_and_nothing_is_filed(school_store):
    world = build_world(school_store)
    app = DossierApp(school_store, world["staff"]["anouk"], world["incident"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        form = app.screen
        form.query_one("#template", Select).value = "invitation"
        await pilot.pause()
        form.query_one("#values", Input).value = "moment=maandag 1 december, 15:00"
        await pilot.press("ctrl+o")
        await pilot.pause()
        error = str(form.query_one("#letter-error", Static).render())
        assert "$aanleiding" in error
        form.query_one("#values", Input).value = "moment=maandag; aanleiding=uw bericht"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "Wanneer: maandag" in form.query_one("#body", TextArea).text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LetterForm)
    assert school_store.scalar("SELECT COUNT(*) FROM letters") == 0


async def test_the_avg_role_has_no_letter_key(school_store):
    world = build_world(school_store)
    app = DossierApp(school_store, world["staff"]["avg"], world["incident"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, LetterForm)


async def test_a_refused_send_is_filed_and_shown_as_not_sent(school_store,
                                                             smtp_server):  # noqa: F811
    world = build_world(school_store, smtp_server.port)
    smtp_server.mode = "refuse"
    app = DossierApp(school_store, world["staff"]["anouk"], world["incident"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, LetterForm)
        detail = str(app.screen.query_one("#detail-body", Static).render())
        assert "Brief BRF-2026-0001  niet verzonden" in detail
        assert "ontvanger geweigerd" in detail and "550" in detail
    found = letters.list_letters(school_store, world["staff"]["anouk"])
    assert [x.status for x in found] == ["failed"]
