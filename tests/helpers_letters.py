"""Shared by the letter tests: a school with e-mail addresses, a deleted threat with a
parent's report, and a real SMTP server on 127.0.0.1 (aiosmtpd) whose behaviour a test
switches: accept, refuse the recipient, drop the connection before or after the message."""

from __future__ import annotations

import email
import socket
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from moderator.services import letters
from moderator.services.deletion import delete_item
from tests.helpers_deletion import add_post, add_report
from tests.helpers_dossier import add_staff

THREAT = "Ik weet waar je woont, pas maar op juf."


class Handler:
    """aiosmtpd handler; ``mode`` decides what the next session gets."""

    def __init__(self) -> None:
        self.mode = "accept"
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse":
            return "550 5.1.1 Onbekende ontvanger"
        if self.mode == "drop_before":
            server.transport.close()
            return "250 OK"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content
                              or envelope.content))
        if self.mode == "drop_after":
            server.transport.close()      # the message is in, the client never hears so
        return "250 Message accepted for delivery"

    def parsed(self, n: int = -1) -> EmailMessage:
        return email.message_from_bytes(self.messages[n][1], policy=policy.default)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()


def build_world(store, port: int | None = None, *, author_email: str | None = "dirk@example.org",
                reporter_email: str | None = "eva@example.org") -> dict:
    """Emails for Ouder Dirk (author) and Ouder Eva (reporter), staff accounts, a reported
    threat by Dirk in Groep 3 deleted by juf Anouk, and (with ``port``) the school's mail
    server on 127.0.0.1 without TLS."""
    with store.write():
        store.execute("UPDATE people SET email = ? WHERE id = 'p1'", (author_email,))
        store.execute("UPDATE people SET email = ? WHERE id = 'p2'", (reporter_email,))
    staff = add_staff(store)
    item = add_post(store, "a1", THREAT, title="Laatste waarschuwing")
    add_report(store, item, "threat", note="Dit is bedreigend", reporter="p2")
    deleted = delete_item(store, item, "threat", staff["anouk"])
    if port is not None:
        letters.set_mail_settings(store, staff["carla"], "s1", host="127.0.0.1", port=port,
                                  security="none", sender="school@klimboom.example",
                                  sender_name="De Klimboom")
    return {"staff": staff, "item": item, "incident": deleted.incident_number,
            "hardcopy": deleted}
