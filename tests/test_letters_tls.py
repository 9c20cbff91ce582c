"""Sending over STARTTLS with a login, against aiosmtpd on 127.0.0.1 with a certificate
from a test CA (trustme): the password comes from the environment, a wrong one or an
untrusted certificate leaves the letter not sent."""

from __future__ import annotations

import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from moderator.services import letters
from tests.helpers_letters import Handler, build_world, free_port

USER, SECRET = "klimboom", "geheim-wachtwoord"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == SECRET.encode()
    return AuthResult(success=ok, handled=False)   # handled=False: the server answers 535


@pytest.fixture
def tls_server(tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            server_hostname="127.0.0.1",
                            tls_context=server_context, require_starttls=True,
                            authenticator=_authenticator, auth_required=True)
    controller.start()
    handler.port, handler.ca_file = controller.port, str(ca_file)
    try:
        yield handler
    finally:
        controller.stop()


def _setup(store, server, *, ca: bool = True):
    world = build_world(store)
    letters.set_mail_settings(store, world["staff"]["carla"], "s1", host="127.0.0.1",
                              port=server.port, security="starttls",
                              sender="school@klimboom.example", username=USER,
                              ca_file=server.ca_file if ca else None)
    draft = letters.draft(store, world["staff"]["anouk"], template="removal",
                          incident=world["incident"])
    return world, draft


def test_starttls_and_login_with_the_password_from_the_environment(school_store, tls_server,
                                                                   monkeypatch):
    monkeypatch.setenv("MODERATOR_SMTP_PASSWORD", SECRET)
    world, draft = _setup(school_store, tls_server)
    sent = letters.send(school_store, world["staff"]["anouk"], draft.number)
    assert (sent.status, sent.error) == ("sent", None)
    assert tls_server.messages[0][0] == ["dirk@example.org"]


def test_a_wrong_password_leaves_it_not_sent(school_store, tls_server, monkeypatch):
    monkeypatch.setenv("MODERATOR_SMTP_PASSWORD", "fout")
    world, draft = _setup(school_store, tls_server)
    failed = letters.send(school_store, world["staff"]["anouk"], draft.number)
    assert failed.status == "failed" and "535" in failed.error
    assert "fout" not in failed.error.replace("mislukt", "")      # no password in the error
    assert tls_server.messages == []


def test_an_untrusted_certificate_leaves_it_not_sent(school_store, tls_server, monkeypatch):
    monkeypatch.setenv("MODERATOR_SMTP_PASSWORD", SECRET)
    world, draft = _setup(school_store, tls_server, ca=False)
    failed = letters.send(school_store, world["staff"]["anouk"], draft.number)
    assert failed.status == "failed" and "TLS-fout" in failed.error
    assert tls_server.messages == []
