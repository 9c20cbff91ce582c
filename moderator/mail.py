"""Sending one e-mail over SMTP, and telling apart what happened.

* ``sent``: the server answered 250 to the end of the message;
* ``failed``: nothing was handed over (no connection, refused sender or recipient, a
  dropped connection before the message text, or the server refused the message);
* ``unknown``: the connection broke after the server accepted the DATA command and
  the text was on its way, so the server may have taken it. A person must confirm;
  nothing resends such a message by itself.

Headers are built with :class:`email.message.EmailMessage` from values that went
through :func:`moderator.text.one_line` (no CR or LF survives); names in address headers
also lose the RFC 5322 specials (the library does not always quote them, and a name like
``x <evil@example.org>`` must not read as an address), and the address is checked, so no
portal value can add a header or change where a message goes.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from moderator import clock
from moderator.errors import UsageError, os_reason
from moderator.text import clean, one_line

SECURITY = ("starttls", "tls", "none")
DEFAULT_PASSWORD_ENV = "MODERATOR_SMTP_PASSWORD"
TIMEOUT = 30.0

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                      r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str                     # 'starttls', 'tls' or 'none'
    sender: str                       # the From address
    sender_name: str = ""
    username: str | None = None
    password_env: str | None = None   # name of the environment variable with the password
    password_file: str | None = None  # or a file holding it (first line)
    ca_file: str | None = None        # a private CA for the server's certificate
    timeout: float = TIMEOUT


@dataclass(frozen=True)
class Outcome:
    status: str            # 'sent', 'failed' or 'unknown'
    error: str | None
    message_id: str


_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


def display_name(value: str | None) -> str:
    """A name for a From or To header: one line, without the characters that give an
    address header structure (RFC 5322 specials), so no name can look like, or move, an
    address. The name is only a label; the address decides where mail goes."""
    return " ".join(_SPECIALS.sub(" ", one_line(value)).split())[:80]


def valid_address(value: str | None) -> bool:
    return bool(value) and len(value) <= 254 and _ADDRESS.match(value) is not None


def settings_from(raw: dict) -> SmtpSettings:
    """Stored settings (a dict) as SmtpSettings; a Dutch error when incomplete."""
    if not raw.get("host"):
        raise UsageError("geen mailserver ingesteld voor deze school"
                         " (moderator letter smtp --school S --host ... --from ...)")
    if not valid_address(raw.get("sender")):
        raise UsageError("geen geldig afzenderadres ingesteld (moderator letter smtp --from ...)")
    return SmtpSettings(
        host=str(raw["host"]), port=int(raw.get("port") or 587),
        security=str(raw.get("security") or "starttls"), sender=str(raw["sender"]),
        sender_name=str(raw.get("sender_name") or ""), username=raw.get("username") or None,
        password_env=raw.get("password_env") or None,
        password_file=raw.get("password_file") or None, ca_file=raw.get("ca_file") or None,
        timeout=float(raw.get("timeout") or TIMEOUT))


def password(settings: SmtpSettings) -> str | None:
    """The SMTP password, from the environment or a file; never stored. None when the
    server needs no login."""
    if not settings.username:
        return None
    if settings.password_file:
        try:
            return Path(settings.password_file).read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError):
            raise UsageError(f"{settings.password_file}: wachtwoordbestand voor de mailserver"
                             " niet leesbaar of leeg") from None
    name = settings.password_env or DEFAULT_PASSWORD_ENV
    value = os.environ.get(name)
    if value is None:
        raise UsageError(f"geen wachtwoord voor de mailserver: zet de omgevingsvariabele {name}")
    return value


def build_message(settings: SmtpSettings, *, to_name: str, to_address: str, subject: str,
                  body: str, attachment: bytes, attachment_name: str) -> EmailMessage:
    if not valid_address(to_address):
        raise UsageError(f"ongeldig e-mailadres {one_line(to_address, 80)!r}")
    message = EmailMessage(policy=email_policy.SMTP)
    message["From"] = Address(display_name=display_name(settings.sender_name),
                              addr_spec=settings.sender)
    message["To"] = Address(display_name=display_name(to_name), addr_spec=to_address)
    message["Subject"] = one_line(subject, 200)
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[1])
    message.set_content(clean(body), charset="utf-8")
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", attachment_name)[:80] or "brief.pdf"
    message.add_attachment(attachment, maintype="application", subtype="pdf",
                           filename=safe_name)
    return message


def _context(settings: SmtpSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.ca_file) if settings.ca_file \
        else ssl.create_default_context()


def _server_said(code: int, reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return f"{code} {one_line(reply, 200)}"


def _why(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _server_said(error.smtp_code, error.smtp_error)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return "de server biedt geen (bruikbare) aanmelding aan"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "verbinding verbroken"
    if isinstance(error, socket.timeout | TimeoutError):
        return "geen antwoord (time-out)"
    if isinstance(error, ssl.SSLError):
        return f"TLS-fout ({one_line(error.reason or type(error).__name__, 120)})"
    if isinstance(error, OSError):
        return os_reason(error)
    return type(error).__name__


def _login(smtp: smtplib.SMTP, username: str, secret: str) -> None:
    """One login attempt with the best mechanism the server offers. (smtplib's login()
    retries a refused password with every other mechanism, which helps nobody and can
    lock the account sooner.)"""
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("AUTH")
    offered = smtp.esmtp_features["auth"].upper().split()
    methods = {"PLAIN": smtp.auth_plain, "LOGIN": smtp.auth_login,
               "CRAM-MD5": smtp.auth_cram_md5}
    for mechanism, method in methods.items():
        if mechanism in offered:
            smtp.user, smtp.password = username, secret
            smtp.auth(mechanism, method, initial_response_ok=True)
            return
    raise smtplib.SMTPNotSupportedError("AUTH")


def _payload(message: EmailMessage) -> bytes:
    data = message.as_bytes(policy=email_policy.SMTP)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def send(settings: SmtpSettings, message: EmailMessage, secret: str | None) -> Outcome:
    """Hand one message to the server; never raises for what the network does."""
    message_id = str(message["Message-ID"])
    recipient = message["To"].addresses[0].addr_spec
    where = f"{one_line(settings.host, 80)}:{settings.port}"
    phase = "connect"
    smtp: smtplib.SMTP | None = None
    try:
        if settings.security == "tls":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                    context=_context(settings))
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        phase = "session"
        smtp.ehlo()
        if settings.security == "starttls":
            smtp.starttls(context=_context(settings))
            smtp.ehlo()
        if settings.username:
            _login(smtp, settings.username, secret or "")
        code, reply = smtp.mail(settings.sender)
        if code != 250:
            return Outcome("failed", f"afzender geweigerd door {where}: "
                           f"{_server_said(code, reply)}", message_id)
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            return Outcome("failed", f"ontvanger geweigerd door {where}: "
                           f"{_server_said(code, reply)}", message_id)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            return Outcome("failed", f"bericht geweigerd door {where}: "
                           f"{_server_said(code, reply)}", message_id)
        phase = "data"
        smtp.send(_payload(message))
        code, reply = smtp.getreply()
        phase = "done"
        if code != 250:
            return Outcome("failed", f"bericht geweigerd door {where}: "
                           f"{_server_said(code, reply)}", message_id)
        return Outcome("sent", None, message_id)
    except (smtplib.SMTPException, OSError) as error:
        if phase == "data":
            return Outcome("unknown", f"verbinding met {where} verbroken nadat de server het"
                           f" bericht aannam ({_why(error)}); controleer of het is aangekomen",
                           message_id)
        step = "verbinden met" if phase == "connect" else "verzenden via"
        return Outcome("failed", f"{step} {where} mislukt: {_why(error)}", message_id)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
