"""Sending letters to a real SMTP server on 127.0.0.1 (aiosmtpd), with failures injected
there: what arrives, and what the letter's status says afterwards."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from moderator.errors import Conflict, UsageError
from moderator.services import letters
from moderator.store import audit
from tests.helpers_letters import THREAT, build_world, free_port, smtp_server  # noqa: F401

HOSTILE_NAME = "Dirk\r\nBcc: evil@example.org\r\n\r\n[bold]x[/] \x1b[31m\u202e <img src=\"/etc/passwd\"/>"


@pytest.fixture
def world(school_store, smtp_server):  # noqa: F811
    found = build_world(school_store, smtp_server.port)
    found["server"] = smtp_server
    found["store"] = school_store
    return found


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _attachment(message) -> tuple[str, bytes]:
    parts = [p for p in message.iter_attachments()]
    assert len(parts) == 1
    return parts[0].get_filename(), parts[0].get_content()


def test_the_removal_notice_arrives_with_the_pdf_attached(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    sent = letters.send(store, staff["anouk"], draft.number)
    assert (sent.status, sent.error, sent.attempts) == ("sent", None, 1)
    assert sent.address == "dirk@example.org" and sent.sent_at
    assert len(server.messages) == 1
    rcpt, _ = server.messages[0]
    assert rcpt == ["dirk@example.org"]
    message = server.parsed()
    assert message["To"].addresses[0].addr_spec == "dirk@example.org"
    assert message["From"].addresses[0].addr_spec == "school@klimboom.example"
    assert message["Subject"] == "Uw bericht op het ouderportaal is verwijderd"
    assert message["Message-ID"] == sent.message_id
    assert "Bedreiging" in message.get_body(("plain",)).get_content()
    name, pdf = _attachment(message)
    assert name == f"brief-{draft.number}.pdf"
    filed = (store.archives / draft.pdf_path).read_bytes()
    assert pdf == filed                                   # the filed copy, byte for byte
    text = _pdf_text(pdf)
    assert "Ouder Dirk" in text and "Bedreiging" in text and draft.number in text
    actions = [e.action for e in audit.entries(store, subject=f"letter:{draft.number}")]
    assert actions == ["letter.sent", "letter.send_start", "letter.draft"]


def test_a_sent_letter_is_not_sent_twice(world):
    store, staff = world["store"], world["staff"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    letters.send(store, staff["anouk"], draft.id)
    with pytest.raises(Conflict):
        letters.send(store, staff["anouk"], draft.id)
    assert len(world["server"].messages) == 1


def test_a_refused_recipient_leaves_it_not_sent_and_a_retry_sends_it_once(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    draft = letters.draft(store, staff["anouk"], template="reporter_reply",
                          incident=world["incident"])
    server.mode = "refuse"
    failed = letters.send(store, staff["anouk"], draft.number)
    assert failed.status == "failed"
    assert "ontvanger geweigerd" in failed.error and "550" in failed.error
    assert server.messages == []
    server.mode = "accept"
    again = letters.send(store, staff["anouk"], draft.number)
    assert (again.status, again.error, again.attempts) == ("sent", None, 2)
    assert len(server.messages) == 1
    assert server.messages[0][0] == ["eva@example.org"]


def test_a_connection_dropped_before_the_message_leaves_it_not_sent(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    server.mode = "drop_before"
    failed = letters.send(store, staff["anouk"], draft.number)
    assert failed.status == "failed" and "verbinding verbroken" in failed.error
    assert server.messages == []
    server.mode = "accept"
    assert letters.send(store, staff["anouk"], draft.number).status == "sent"
    assert len(server.messages) == 1


def test_no_server_listening_leaves_it_not_sent(school_store):
    world = build_world(school_store, free_port())     # nothing listens there
    draft = letters.draft(school_store, world["staff"]["anouk"], template="removal",
                          incident=world["incident"])
    failed = letters.send(school_store, world["staff"]["anouk"], draft.number)
    assert failed.status == "failed" and failed.error.startswith("verbinden met 127.0.0.1")


def test_a_connection_dropped_after_acceptance_is_unknown_and_never_resent_by_itself(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    server.mode = "drop_after"
    unknown = letters.send(store, staff["anouk"], draft.number)
    assert unknown.status == "unknown"
    assert "controleer of het is aangekomen" in unknown.error
    assert len(server.messages) == 1                       # it did arrive
    server.mode = "accept"
    with pytest.raises(Conflict, match="bevestigen"):
        letters.send(store, staff["anouk"], draft.number)
    assert len(server.messages) == 1
    confirmed = letters.confirm(store, staff["anouk"], draft.number, delivered=True)
    assert (confirmed.status, confirmed.error) == ("sent", None)
    assert len(server.messages) == 1


def test_unknown_then_confirmed_not_delivered_may_be_sent_again(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    server.mode = "drop_after"
    letters.send(store, staff["anouk"], draft.number)
    failed = letters.confirm(store, staff["anouk"], draft.number, delivered=False)
    assert failed.status == "failed" and "bevestigd door anouk" in failed.error
    server.mode = "accept"
    assert letters.send(store, staff["anouk"], draft.number).status == "sent"
    assert len(server.messages) == 2


def test_hostile_text_in_every_field_injects_no_header_and_stays_literal(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    with store.write():
        store.execute("UPDATE people SET name = ? WHERE id = 'p1'", (HOSTILE_NAME,))
    letters.set_letterhead(store, staff["carla"], "s1", name="De Klimboom\r\nX-Evil: 1 [red]",
                           address="Schoolstraat 1\x1b[2J;1234 AB <b>Dorp</b>",
                           foundation="Stichting \u202eKlim")
    subject = "Betreft\r\nBcc: evil@example.org [bold]x[/] <font size=300>"
    draft = letters.draft(store, staff["carla"], template="warning", incident=world["incident"],
                          values={"toelichting": "Zie [@click=app.quit]hier[/]\r\nBcc: x@y.z"
                                                 " <img src=\"/etc/passwd\"/> \x1b[31m"},
                          subject=subject)
    sent = letters.send(store, staff["carla"], draft.number)
    assert sent.status == "sent"
    rcpt, raw = server.messages[0]
    assert rcpt == ["dirk@example.org"]
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in head and b"\nX-Evil" not in head
    message = server.parsed()
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert len(message.get_all("To")) == 1 and len(message["To"].addresses) == 1
    assert message["To"].addresses[0].addr_spec == "dirk@example.org"
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert "Bcc: evil@example.org" in message["Subject"]      # shown, as text
    body = message.get_body(("plain",)).get_content()
    assert "\x1b" not in body and "\u202e" not in body
    assert "<U+001B>" in body
    _, pdf = _attachment(message)
    text = _pdf_text(pdf)
    assert '<img src="/etc/passwd"/>' in text
    assert "[@click=app.quit]hier[/]" in text
    assert "<font size=300>" in text
    assert "<U+202E>" in text and "<U+001B>" in text
    assert "<b>Dorp</b>" in text
    assert "\x1b" not in text


def test_an_address_with_a_line_break_is_refused_and_print_is_offered(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    with store.write():
        store.execute("UPDATE people SET email = ? WHERE id = 'p1'",
                      ("dirk@example.org\r\nBcc: evil@example.org",))
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    with pytest.raises(UsageError, match="mark-printed"):
        letters.send(store, staff["anouk"], draft.number)
    assert server.messages == []
    assert letters.get_letter(store, staff["anouk"], draft.number).status == "draft"


def test_a_person_without_email_gets_print_instead(school_store, smtp_server):  # noqa: F811
    world = build_world(school_store, smtp_server.port, author_email=None)
    staff = world["staff"]
    who = {r.kind: r for r in letters.recipients(school_store, staff["anouk"],
                                                 incident=world["incident"])}
    assert who["author"].can_email is False and who["reporter"].can_email is True
    draft = letters.draft(school_store, staff["anouk"], template="removal",
                          incident=world["incident"])
    with pytest.raises(UsageError, match="geen \\(geldig\\) e-mailadres"):
        letters.send(school_store, staff["anouk"], draft.number)
    printed = letters.mark_printed(school_store, staff["anouk"], draft.number, "2026-11-24")
    assert (printed.status, printed.channel, printed.sent_at) == ("printed", "print", "2026-11-24")
    with pytest.raises(Conflict):
        letters.send(school_store, staff["anouk"], draft.number)
    assert smtp_server.messages == []


def test_the_password_comes_from_the_environment_and_is_never_stored(school_store, monkeypatch):
    world = build_world(school_store)
    settings = letters.set_mail_settings(
        school_store, world["staff"]["carla"], "s1", host="127.0.0.1", port=free_port(),
        security="starttls", sender="school@klimboom.example", username="klimboom",
        password_env="KLIMBOOM_SMTP")
    monkeypatch.setenv("KLIMBOOM_SMTP", "s3cr3t-wachtwoord")
    assert "s3cr3t" not in repr(settings)
    stored = school_store.rows("SELECT value FROM settings")
    assert not any("s3cr3t" in r[0] for r in stored)
    draft = letters.draft(school_store, world["staff"]["anouk"], template="removal",
                          incident=world["incident"])
    monkeypatch.delenv("KLIMBOOM_SMTP")
    with pytest.raises(UsageError, match="KLIMBOOM_SMTP"):
        letters.send(school_store, world["staff"]["anouk"], draft.number)
    assert letters.get_letter(school_store, world["staff"]["anouk"], draft.number).status == "draft"


def test_the_reporter_reply_names_neither_the_author_nor_the_message(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    draft = letters.draft(store, staff["anouk"], template="reporter_reply",
                          incident=world["incident"])
    letters.send(store, staff["anouk"], draft.number)
    message = server.parsed()
    _, pdf = _attachment(message)
    for shown in (message.get_body(("plain",)).get_content(), _pdf_text(pdf), str(message)):
        assert "Ouder Dirk" not in shown and "Dirk" not in shown
        assert THREAT[:20] not in shown and "Bedreiging" not in shown
    assert "Ouder Eva" in _pdf_text(pdf)


def test_a_name_that_looks_like_an_address_does_not_move_the_message(world):
    store, staff, server = world["store"], world["staff"], world["server"]
    with store.write():
        store.execute("UPDATE people SET name = ? WHERE id = 'p1'",
                      ('Dirk <evil@example.org>, "x" <y@z.nl>',))
    draft = letters.draft(store, staff["anouk"], template="removal", incident=world["incident"])
    assert letters.send(store, staff["anouk"], draft.number).status == "sent"
    message = server.parsed()
    assert [a.addr_spec for a in message["To"].addresses] == ["dirk@example.org"]
    assert "evil@example.org" not in str(message["To"])
    assert server.messages[0][0] == ["dirk@example.org"]
