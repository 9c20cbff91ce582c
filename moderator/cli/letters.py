"""CLI verbs: ``moderator letter templates|recipients|draft|send|list|show|mark-printed|
confirm|letterhead|smtp``.

Thin: parse, log in, call moderator.services.letters, print (Rich for a terminal, tab
lines for a pipe, ``--json`` for scripts). Every portal value is printed through
moderator.text.
"""

from __future__ import annotations

import sys

import click
from rich.table import Table
from rich.text import Text

from moderator.cli.common import (
    err_console,
    for_terminal,
    login,
    out_console,
    pass_state,
    print_json,
    print_rows,
)
from moderator.clock import display
from moderator.errors import InputError, UsageError
from moderator.labels import LETTER_STATUSES, letter_recipient, letter_status
from moderator.policy import letters as templates
from moderator.rich_text import line_text
from moderator.rich_text import text as safe_text
from moderator.text import one_line

USER = click.option("--user", "username", required=True,
                    help="Your account (password from MODERATOR_PASSWORD or prompted).")
JSON = click.option("--json", "as_json", is_flag=True, help="Print as JSON.")


def _service():
    from moderator.services import letters

    return letters


def letter_json(x) -> dict:
    return {
        "number": x.number, "id": x.id, "incident": x.incident_number, "item": x.item,
        "school": x.school_id, "template": x.template, "recipient": x.recipient_id,
        "recipient_name": x.recipient_name, "recipient_kind": x.recipient_kind,
        "subject": x.subject, "body": x.body, "status": x.status,
        "status_label": letter_status(x.status), "channel": x.channel, "address": x.address,
        "message_id": x.message_id, "error": x.error, "attempts": x.attempts,
        "sent_at": x.sent_at, "path": x.pdf_path, "size": x.size, "sha256": x.sha256,
        "created_by": x.created_by, "created_at": x.created_at,
    }


def _print_letter_line(x) -> None:
    row = Text(f"{x.number}  ", style="bold")
    row.append(f"{letter_status(x.status)}  ")
    row.append(line_text(x.subject, 70))
    row.append("  aan ")
    row.append(line_text(x.recipient_name, 40))
    row.append(f" ({letter_recipient(x.recipient_kind)})")
    out_console.print(row)
    if x.error:
        out_console.print(Text("    ").append(line_text(x.error, 200)))
    out_console.print(line_text(f"    {x.pdf_path}  sha256 {x.sha256}"))


def _values(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set verwacht NAAM=WAARDE, niet {one_line(pair, 60)!r}")
        values[name.strip()] = value
    return values


def _read_body(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
    except OSError as error:
        raise InputError(path, None, f"niet leesbaar ({error.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(path, None, f"geen geldige UTF-8 (byte {error.start})") from None


@click.group("letter")
def letter() -> None:
    """Letters and notices: removal notices, replies, warnings, measures (PDF + e-mail)."""


@letter.command("templates")
@click.option("--school", "school_id", metavar="ID", help="Show where this school's texts come from.")
@click.option("--show", "show", metavar="CODE", help="Print one template's text.")
@click.option("--set-folder", "folder", metavar="DIR",
              help="Use DIR/<code>.txt to override templates for --school (needs --user).")
@click.option("--clear-folder", is_flag=True, help="Use the shipped templates again.")
@click.option("--user", "username", default=None, help="Your account (to set the folder).")
@JSON
@pass_state
def templates_command(state, school_id, show, folder, clear_folder, username, as_json) -> None:
    """The letter templates: who they go to, who sends them, what you fill in."""
    service = _service()
    store = state.store()
    if folder is not None or clear_folder:
        if not (school_id and username):
            raise UsageError("--set-folder en --clear-folder vragen --school en --user")
        actor = login(state, username)
        service.set_templates_folder(store, actor, school_id, None if clear_folder else folder)
    if show:
        text, source = templates.template_source(show, service.templates_folder(store, school_id))
        if as_json:
            print_json({"template": show, "source": source, "text": text})
        else:
            err_console.print(f"bron: {one_line(source)}", markup=False)
            out_console.print(safe_text(text))
        return
    found = service.list_templates(store, school_id)
    rows = [{"code": spec.code, "label": spec.label,
             "recipients": list(spec.recipients),
             "sender": "directie (of leerkracht na overleg)" if spec.sender == templates.DIRECTOR
             else "moderator van de groep",
             "asks": list(spec.asks), "source": source} for spec, source in found]
    if as_json:
        print_json(rows)
        return
    headers = ["Sjabloon", "Naam", "Aan", "Wie verstuurt", "Invullen", "Bron"]
    values = [[r["code"], r["label"], ", ".join(letter_recipient(k) for k in r["recipients"]),
               r["sender"], ", ".join(r["asks"]) or "-", r["source"]] for r in rows]
    if not for_terminal():
        print_rows(headers, values)
        return
    table = Table(title="Briefsjablonen", title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in values:
        table.add_row(*(line_text(v) for v in row))
    out_console.print(table)


@letter.command("recipients")
@click.option("--incident", metavar="INC", help="Dossier number.")
@click.option("--item", metavar="ITEM", help="post:ID or comment:ID (without a dossier).")
@USER
@JSON
@pass_state
def recipients_command(state, incident, item, username, as_json) -> None:
    """Who a letter about this dossier or item can go to, and whether by e-mail."""
    actor = login(state, username)
    found = _service().recipients(state.store(), actor, incident=incident, item=item)
    if as_json:
        print_json([{"person": r.person_id, "name": r.name, "kind": r.kind,
                     "email": r.email, "can_email": r.can_email} for r in found])
        return
    for r in found:
        row = Text(f"{one_line(r.person_id, 40)}  ")
        row.append(line_text(r.name, 60))
        row.append(f"  {r.kind_label}  ")
        row.append("e-mail" if r.can_email else "geen e-mailadres: afdrukken")
        out_console.print(row)


@letter.command("draft")
@click.option("--template", required=True, metavar="CODE", help="See 'moderator letter templates'.")
@click.option("--incident", metavar="INC", help="Dossier number.")
@click.option("--item", metavar="ITEM", help="post:ID or comment:ID (e.g. a dismissal without a dossier).")
@click.option("--to", "to", metavar="PERSON", help="Recipient's person id (default: the author).")
@click.option("--set", "pairs", multiple=True, metavar="NAME=VALUE",
              help="Fill in a variable (moment, toelichting, maatregel, van, tot, ...).")
@click.option("--subject", default=None, help="Replace the subject.")
@click.option("--body-file", default=None, metavar="FILE",
              help="Replace the text with this UTF-8 file ('-' for stdin), e.g. after editing the preview.")
@click.option("--preview", is_flag=True, help="Show the variables and the text; store nothing.")
@USER
@JSON
@pass_state
def draft_command(state, template, incident, item, to, pairs, subject, body_file, preview,
                  username, as_json) -> None:
    """Write a letter: preview it, or file its PDF in the dossier as a draft."""
    service = _service()
    actor = login(state, username)
    store = state.store()
    values = _values(pairs)
    body = _read_body(body_file)
    if preview:
        shown = service.preview(store, actor, template=template, incident=incident, item=item,
                                to=to, values=values, subject=subject, body=body)
        if as_json:
            print_json({"template": shown.template, "source": shown.source,
                        "recipient": shown.recipient.person_id,
                        "recipient_name": shown.recipient.name,
                        "recipient_kind": shown.recipient.kind,
                        "can_email": shown.recipient.can_email,
                        "variables": shown.variables, "subject": shown.subject,
                        "body": shown.body})
            return
        out_console.print(Text(f"Voorbeeld: {shown.label} (bron {one_line(shown.source)})",
                               style="bold"))
        row = Text("Aan: ")
        row.append(line_text(shown.recipient.name, 80))
        row.append(f" ({shown.recipient.kind_label}, "
                   + ("e-mail" if shown.recipient.can_email else "geen e-mailadres: afdrukken")
                   + ")")
        out_console.print(row)
        out_console.print(Text("Variabelen", style="bold"))
        for name, value in shown.variables.items():
            out_console.print(Text(f"  ${name:<18}").append(line_text(value, 100)))
        out_console.print(Text("Onderwerp: ", style="bold").append(line_text(shown.subject)))
        out_console.print(safe_text(shown.body))
        return
    created = service.draft(store, actor, template=template, incident=incident, item=item,
                            to=to, values=values, subject=subject, body=body)
    if as_json:
        print_json(letter_json(created))
        return
    _print_letter_line(created)


@letter.command("send")
@click.argument("letter_ref", metavar="LETTER")
@USER
@JSON
@pass_state
def send_command(state, letter_ref, username, as_json) -> None:
    """E-mail a draft (or a letter that was not sent) with its PDF attached."""
    actor = login(state, username)
    result = _service().send(state.store(), actor, letter_ref)
    if as_json:
        print_json(letter_json(result))
    else:
        _print_letter_line(result)
    if result.status != "sent":
        err_console.print(f"fout: brief {result.number} {letter_status(result.status)}:"
                          f" {one_line(result.error or '')}", markup=False, soft_wrap=True)
        sys.exit(1)


@letter.command("mark-printed")
@click.argument("letter_ref", metavar="LETTER")
@click.option("--on", "on", metavar="DATE", help="Printed / handed over on (YYYY-MM-DD; today).")
@USER
@JSON
@pass_state
def printed_command(state, letter_ref, on, username, as_json) -> None:
    """Record that the letter was printed and handed over (or posted)."""
    actor = login(state, username)
    result = _service().mark_printed(state.store(), actor, letter_ref, on)
    if as_json:
        print_json(letter_json(result))
        return
    _print_letter_line(result)


@letter.command("confirm")
@click.argument("letter_ref", metavar="LETTER")
@click.option("--delivered/--not-delivered", required=True,
              help="Whether the letter whose delivery is unknown arrived.")
@USER
@JSON
@pass_state
def confirm_command(state, letter_ref, delivered, username, as_json) -> None:
    """Settle a letter whose delivery is unknown (the connection broke after sending)."""
    actor = login(state, username)
    result = _service().confirm(state.store(), actor, letter_ref, delivered)
    if as_json:
        print_json(letter_json(result))
        return
    _print_letter_line(result)


@letter.command("list")
@click.option("--incident", metavar="INC")
@click.option("--school", "school_id", metavar="ID")
@click.option("--status", type=click.Choice(list(LETTER_STATUSES)))
@USER
@JSON
@pass_state
def list_command(state, incident, school_id, status, username, as_json) -> None:
    """Letters you may see, oldest first."""
    actor = login(state, username)
    found = _service().list_letters(state.store(), actor, incident=incident,
                                    school_id=school_id, status=status)
    if as_json:
        print_json([letter_json(x) for x in found])
        return
    headers = ["Brief", "Datum", "Dossier", "Sjabloon", "Aan", "Status", "Fout"]
    rows = [[x.number, display(x.created_at), x.incident_number or x.item or "-", x.template,
             f"{x.recipient_name} ({letter_recipient(x.recipient_kind)})",
             letter_status(x.status), x.error or ""] for x in found]
    if not for_terminal():
        print_rows(headers, rows)
        return
    table = Table(title=f"Brieven ({len(found)})", title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(line_text(v, 80) for v in row))
    out_console.print(table)


@letter.command("show")
@click.argument("letter_ref", metavar="LETTER")
@USER
@JSON
@pass_state
def show_command(state, letter_ref, username, as_json) -> None:
    """One letter: its delivery and its text."""
    actor = login(state, username)
    found = _service().get_letter(state.store(), actor, letter_ref)
    if as_json:
        print_json(letter_json(found))
        return
    _print_letter_line(found)
    out_console.print(Text("Onderwerp: ", style="bold").append(line_text(found.subject)))
    out_console.print(safe_text(found.body))


@letter.command("letterhead")
@click.option("--school", "school_id", required=True, metavar="ID")
@click.option("--name", default=None, help="School name as printed.")
@click.option("--address", default=None, help="Address; lines separated by ';'.")
@click.option("--director", default=None, help="Director's name.")
@click.option("--foundation", default=None, help="The foundation's name.")
@click.option("--logo", default=None, metavar="FILE", help="PNG or JPEG logo ('' removes it).")
@USER
@JSON
@pass_state
def letterhead_command(state, school_id, name, address, director, foundation, logo, username,
                       as_json) -> None:
    """Show or set a school's letterhead (director, school admin or AVG coordinator)."""
    service = _service()
    actor = login(state, username)
    store = state.store()
    if any(v is not None for v in (name, address, director, foundation, logo)):
        head = service.set_letterhead(store, actor, school_id, name=name, address=address,
                                      director=director, foundation=foundation, logo=logo)
    else:
        head = service.letterhead(store, school_id)
    data = {"school": head.school, "address": head.address, "director": head.director,
            "foundation": head.foundation, "logo": head.logo}
    if as_json:
        print_json(data)
        return
    for label, value in (("School", head.school), ("Adres", head.address.replace("\n", ", ")),
                         ("Directeur", head.director), ("Stichting", head.foundation),
                         ("Logo", head.logo or "-")):
        out_console.print(Text(f"{label:<10} ").append(line_text(value or "-")))


@letter.command("smtp")
@click.option("--school", "school_id", required=True, metavar="ID")
@click.option("--host", default=None, help="Mail server.")
@click.option("--port", type=int, default=None, help="Port [587 starttls, 465 tls, 25 none].")
@click.option("--security", type=click.Choice(["starttls", "tls", "none"]), default="starttls")
@click.option("--from", "sender", default=None, metavar="ADDRESS", help="From address.")
@click.option("--from-name", "sender_name", default=None, help="From name [the school].")
@click.option("--login", "login_name", default=None, help="SMTP user name (if the server needs one).")
@click.option("--password-env", default=None, metavar="VAR",
              help="Environment variable with the SMTP password [MODERATOR_SMTP_PASSWORD].")
@click.option("--password-file", default=None, metavar="FILE", help="Or a file holding it.")
@click.option("--ca-file", default=None, metavar="FILE", help="CA certificate for a private server.")
@USER
@JSON
@pass_state
def smtp_command(state, school_id, host, port, security, sender, sender_name, login_name,
                 password_env, password_file, ca_file, username, as_json) -> None:
    """Show or set a school's mail server. The password is never stored."""
    service = _service()
    actor = login(state, username)
    store = state.store()
    if host is not None:
        if not sender:
            raise UsageError("geef het afzenderadres (--from)")
        data = service.set_mail_settings(
            store, actor, school_id, host=host, port=port, security=security, sender=sender,
            sender_name=sender_name, username=login_name, password_env=password_env,
            password_file=password_file, ca_file=ca_file)
    else:
        data = service.mail_settings(store, actor, school_id)
    if as_json:
        print_json(data)
        return
    if not data:
        out_console.print("geen mailserver ingesteld")
    for key, value in data.items():
        out_console.print(Text(f"{key:<14} ").append(line_text(value)))


commands: list = [letter]
