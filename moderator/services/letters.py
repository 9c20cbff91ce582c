"""Letters and notices to the people involved (issue 15).

A letter is previewed (variables and rendered text, nothing stored), then drafted: the
text is fixed, rendered as a PDF with the school's letterhead and written durably and
read-only, with its SHA-256, into the incident's folder of the archive (or, for an item
without an incident, ``<school>/<year>/brieven/``), and recorded in ``letters``. Then it
is sent by e-mail (plain text plus the PDF) or marked printed / handed over.

Delivery states: ``draft`` (concept) -> ``sent`` (verzonden) | ``failed`` (niet
verzonden, may be retried) | ``unknown`` (onbekend: the connection broke after the
server took the message; a person confirms, nothing resends it) | ``printed``
(afgedrukt / overhandigd). Every change is in the audit log.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from moderator import clock, labels, mail
from moderator.archive import durable
from moderator.archive.letter_pdf import Letterhead, LetterPage, check_logo, render_letter
from moderator.errors import Conflict, NotFound, PermissionDenied, UsageError
from moderator.policy import access, measures
from moderator.policy import letters as templates
from moderator.policy.access import Actor
from moderator.policy.catalogue import POLICY_TITLE, REASONS, by_severity
from moderator.services.dossier import get_incident
from moderator.store import audit
from moderator.store import letters as store_letters
from moderator.store.db import Store
from moderator.store.flags import ItemPlace, flags_for, item_location, parse_item
from moderator.store.incidents import IncidentDetail
from moderator.store.letters import Contact, Letter
from moderator.store.logs import log_access
from moderator.text import clean, one_line

STATUS_LABELS = labels.LETTER_STATUSES
MAX_BODY = 20_000
EXCERPT = 200


@dataclass(frozen=True)
class Recipient:
    person_id: str
    name: str
    kind: str                 # author, reporter, guardian
    email: str | None

    @property
    def kind_label(self) -> str:
        return templates.RECIPIENT_LABELS[self.kind]

    @property
    def can_email(self) -> bool:
        return mail.valid_address(self.email)


@dataclass(frozen=True)
class Case:
    """What a letter is about: an incident, or a single item without one."""

    school_id: str
    group_id: str | None
    incident: IncidentDetail | None
    item: str | None
    items: tuple[str, ...]
    author_id: str | None
    reason: str | None
    item_created_at: str | None
    item_text: str | None     # the live text, when the item is not deleted

    @property
    def incident_id(self) -> int | None:
        return self.incident.incident.id if self.incident else None

    @property
    def incident_number(self) -> str | None:
        return self.incident.incident.number if self.incident else None


@dataclass(frozen=True)
class Preview:
    template: str
    label: str
    source: str
    recipient: Recipient
    variables: dict[str, str]
    subject: str
    body: str
    number: str
    letterhead: Letterhead
    case: Case = field(repr=False)


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)


# -- settings ------------------------------------------------------------------------------


def letterhead(store: Store, school_id: str) -> Letterhead:
    """The school's letterhead; the school's name and its director from the portal data
    where nothing is set."""
    raw = store_letters.school_setting(store, school_id, "letterhead")
    name = raw.get("name") or store_letters.school_name(store, school_id) or school_id
    director = raw.get("director") or ""
    if not director:
        director = store_letters.director_name(store, school_id) or ""
    return Letterhead(school=name, address=raw.get("address") or "", director=director,
                      foundation=raw.get("foundation") or "", logo=raw.get("logo") or None)


def _require_school(store: Store, school_id: str) -> None:
    if not store_letters.school_name(store, school_id):
        raise NotFound(f"school {school_id!r} niet gevonden")


def _require_manager(actor: Actor, school_id: str) -> None:
    if not access.may_configure_school(actor, school_id):
        raise PermissionDenied("Alleen de directie, de schoolbeheerder of de AVG-coördinator"
                               " stelt het briefhoofd en de mailinstellingen van een school in.")


def set_letterhead(store: Store, actor: Actor, school_id: str, *, name: str | None = None,
                   address: str | None = None, director: str | None = None,
                   foundation: str | None = None, logo: str | None = None) -> Letterhead:
    """Change the given fields of the letterhead ('' clears one)."""
    _require_school(store, school_id)
    _require_manager(actor, school_id)
    if logo:
        logo = str(Path(logo).resolve())
        check_logo(logo)
    with store.write():
        raw = store_letters.school_setting(store, school_id, "letterhead")
        for key, value in (("name", name), ("director", director), ("foundation", foundation)):
            if value is not None:
                raw[key] = one_line(value, 200)
        if address is not None:
            lines = [one_line(x, 200) for x in clean(address.replace(";", "\n")).split("\n")]
            raw["address"] = "\n".join(x for x in lines if x)
        if logo is not None:
            raw["logo"] = logo
        raw = {k: v for k, v in raw.items() if v}
        store_letters.set_school_setting(store, school_id, "letterhead", raw)
        audit.append(store, actor.username, "letter.letterhead", f"school:{school_id}",
                     {"fields": sorted(raw)}, school_id)
    return letterhead(store, school_id)


def mail_settings(store: Store, actor: Actor, school_id: str) -> dict:
    _require_school(store, school_id)
    _require_manager(actor, school_id)
    return store_letters.school_setting(store, school_id, "smtp")


def set_mail_settings(store: Store, actor: Actor, school_id: str, *, host: str,
                      port: int | None = None, security: str = "starttls", sender: str,
                      sender_name: str | None = None, username: str | None = None,
                      password_env: str | None = None, password_file: str | None = None,
                      ca_file: str | None = None) -> dict:
    """SMTP settings of a school. The password itself is never stored: only the name of
    the environment variable (default MODERATOR_SMTP_PASSWORD) or a file that holds it."""
    _require_school(store, school_id)
    _require_manager(actor, school_id)
    if security not in mail.SECURITY:
        raise UsageError(f"onbekende beveiliging {security!r} (kies uit {', '.join(mail.SECURITY)})")
    host = one_line(host, 253)
    if not host or " " in host:
        raise UsageError("geef de naam van de mailserver (--host)")
    port = port or {"tls": 465, "starttls": 587, "none": 25}[security]
    if not 0 < port < 65536:
        raise UsageError(f"ongeldige poort {port}")
    if not mail.valid_address(sender):
        raise UsageError(f"ongeldig afzenderadres {one_line(sender, 80)!r}")
    if password_env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", password_env):
        raise UsageError(f"ongeldige naam van een omgevingsvariabele: {one_line(password_env, 80)!r}")
    raw = {"host": host, "port": port, "security": security, "sender": sender,
           "sender_name": one_line(sender_name or letterhead(store, school_id).school, 120),
           "username": one_line(username, 200) if username else None,
           "password_env": password_env or None,
           "password_file": str(Path(password_file).resolve()) if password_file else None,
           "ca_file": str(Path(ca_file).resolve()) if ca_file else None}
    raw = {k: v for k, v in raw.items() if v is not None}
    with store.write():
        store_letters.set_school_setting(store, school_id, "smtp", raw)
        audit.append(store, actor.username, "letter.smtp", f"school:{school_id}",
                     {"host": host, "port": port, "security": security}, school_id)
    return raw


def templates_folder(store: Store, school_id: str | None) -> str | None:
    if not school_id:
        return None
    return store_letters.school_setting(store, school_id, "letters").get("templates") or None


def set_templates_folder(store: Store, actor: Actor, school_id: str, folder: str | None) -> str | None:
    _require_school(store, school_id)
    _require_manager(actor, school_id)
    value = None
    if folder:
        path = Path(folder).resolve()
        if not path.is_dir():
            raise UsageError(f"{folder}: map bestaat niet")
        value = str(path)
        for code in templates.TEMPLATES:   # every override must be a valid template
            text, source = templates.template_source(code, value)
            templates.split_template(text, source)
            for kind in templates.spec(code).recipients:   # for every recipient it is for
                templates.check_variables(code, kind, text, source)
    with store.write():
        raw = store_letters.school_setting(store, school_id, "letters")
        raw.pop("templates", None)
        if value:
            raw["templates"] = value
        store_letters.set_school_setting(store, school_id, "letters", raw)
        audit.append(store, actor.username, "letter.templates", f"school:{school_id}",
                     {"folder": value}, school_id)
    return value


def list_templates(store: Store, school_id: str | None = None) -> list[tuple[templates.TemplateSpec, str]]:
    """Every template with where its text comes from (shipped or the school's file)."""
    folder = templates_folder(store, school_id)
    return [(spec, templates.template_source(code, folder)[1])
            for code, spec in templates.TEMPLATES.items()]


# -- the case and its people -----------------------------------------------------------------


def _case(store: Store, actor: Actor, incident: int | str | None, item: str | None) -> Case:
    if incident is None and item is None:
        raise UsageError("kies een dossier (--incident) of een bericht (--item)")
    if item is not None:
        try:
            parse_item(item)
        except ValueError as error:
            raise UsageError(str(error)) from None
        where = item_location(store, item)
        if where is None:
            raise NotFound(f"{item} niet gevonden")
        if incident is None:
            incident = store_letters.incident_of_item(store, item)
    detail = get_incident(store, actor, incident, log_view=False) if incident is not None else None
    if detail is not None:
        inc = detail.incident
        items = tuple(dict.fromkeys(h.item for h in detail.hardcopies))
        if item is not None and item not in items \
                and store_letters.incident_of_item(store, item) != inc.id:
            raise UsageError(f"{item} hoort niet bij dossier {inc.number}")
        chosen = item or (detail.hardcopies[-1].item if detail.hardcopies else None)
        reason = next((h.reason for h in reversed(detail.hardcopies) if h.item == chosen), None)
        where = item_location(store, chosen) if chosen else None
        return Case(school_id=inc.school_id, group_id=inc.group_id, incident=detail, item=chosen,
                    items=items or ((chosen,) if chosen else ()), author_id=inc.person_id,
                    reason=reason or (detail.hardcopies[-1].reason if detail.hardcopies else None),
                    item_created_at=where.created_at if where else None,
                    item_text=_live_text(where))
    where = item_location(store, item)
    if not access.may_read_letters(actor, where.school_id, where.group_id):
        raise PermissionDenied(f"U modereert de groep van {item} niet.")
    reasons = by_severity({f.reason for f in flags_for(store, item, status=None)})
    return Case(school_id=where.school_id, group_id=where.group_id, incident=None,
                item=item, items=(item,), author_id=where.author_id,
                reason=reasons[0] if reasons else None, item_created_at=where.created_at,
                item_text=_live_text(where))


def _live_text(where: ItemPlace | None) -> str | None:
    if not where or where.deleted_at:
        return None
    parts = [where.title or "", where.body or ""]
    joined = "\n".join(p for p in parts if p)
    return joined or None


def _recipient(person: Contact, kind: str) -> Recipient:
    return Recipient(person.id, person.name, kind, person.email)


def recipients(store: Store, actor: Actor, *, incident: int | str | None = None,
               item: str | None = None) -> list[Recipient]:
    """Who a letter about this case can go to: the author, then the reporters."""
    case = _case(store, actor, incident, item)
    out: list[Recipient] = []
    if case.author_id and (person := store_letters.contact(store, case.author_id)):
        out.append(_recipient(person, "author"))
    for person_id in store_letters.reporters_of(store, list(case.items)):
        if person_id != case.author_id and (person := store_letters.contact(store, person_id)):
            out.append(_recipient(person, "reporter"))
    return out


def _resolve_recipient(store: Store, case: Case, spec: templates.TemplateSpec,
                       person_id: str | None) -> Recipient:
    reporters = store_letters.reporters_of(store, list(case.items))
    if person_id is None:
        if "author" in spec.recipients and case.author_id:
            person_id = case.author_id
        elif "reporter" in spec.recipients and len(reporters) == 1:
            person_id = reporters[0]
        else:
            raise UsageError("kies de ontvanger (--to PERSOON)")
    person = store_letters.contact(store, person_id)
    if person is None or person.school_id != case.school_id:
        raise NotFound(f"persoon {one_line(person_id, 64)!r} niet gevonden in deze school")
    kinds = []
    if person.id == case.author_id:
        kinds.append("author")
    if person.id in reporters:
        kinds.append("reporter")
    if store_letters.is_guardian_in_school(store, person.id, case.school_id):
        kinds.append("guardian")
    if not kinds:
        raise UsageError(f"{one_line(person.name, 80)} is geen auteur, melder of ouder/verzorger"
                         " bij deze zaak")
    for kind in kinds:
        if kind in spec.recipients:
            return _recipient(person, kind)
    wanted = " of ".join(templates.RECIPIENT_LABELS[k] for k in spec.recipients)
    raise UsageError(f"sjabloon {spec.code} is voor de {wanted}; {one_line(person.name, 80)} is"
                     f" {templates.RECIPIENT_LABELS[kinds[0]]}")


def _consulted(store: Store, case: Case) -> bool:
    return case.incident_id is not None and store_letters.has_consultation(store, case.incident_id)


def _check_sender(store: Store, actor: Actor, spec: templates.TemplateSpec, case: Case) -> None:
    if access.may_send_letter(actor, spec.sender, case.school_id, case.group_id,
                              _consulted(store, case)):
        return
    if spec.sender == templates.DIRECTOR and access.may_moderate_group(
            actor, case.group_id, case.school_id):
        raise PermissionDenied(
            f"Een {spec.label.lower()} verstuurt de directie, of de leerkracht nadat het overleg"
            " met de directie in het dossier is vastgelegd (dossier, overleg 'c').")
    raise PermissionDenied(f"U mag geen brieven over deze zaak versturen"
                           f" ({actor.username} modereert de groep niet).")


# -- variables and the text --------------------------------------------------------------------


def _day(value: str | None) -> str:
    if not value:
        return "onbekend"
    return clock.display(value)[:10]


def _asked(name: str, value: str) -> str:
    if name == "toelichting":
        return clean(value).strip()
    if name == "maatregel" and value.strip() in measures.MEASURES:
        return measures.label(value.strip())
    if name in ("van", "tot"):
        raw = value.strip()
        try:
            return date.fromisoformat(raw).strftime("%d-%m-%Y")
        except ValueError:
            pass
    return one_line(value, 300)


def _variables(store: Store, actor: Actor, case: Case, recipient: Recipient, number: str,
               values: dict[str, str]) -> dict[str, str]:
    head = letterhead(store, case.school_id)
    reason = REASONS.get(case.reason or "")
    role = labels.role(actor.role)
    found: dict[str, str] = {
        "ontvanger": one_line(recipient.name, 120),
        "school": one_line(head.school, 200),
        "school_adres": one_line(head.address.replace("\n", ", "), 300),
        "directeur": one_line(head.director, 120) or "de directeur",
        "stichting": one_line(head.foundation, 200) or "de stichting",
        "datum": clock.now().strftime("%d-%m-%Y"),
        "afzender": one_line(actor.name, 120),
        "afzender_rol": role[:1].upper() + role[1:],
        "groep": one_line(store_letters.group_name(store, case.group_id) or "de schoolgroep", 120),
        "beleid": POLICY_TITLE,
        "dossier": case.incident_number or number,
        "reden": reason.label if reason else "onbekend",
        "regel": reason.rule if reason else "onbekend",
        "beleidsonderdeel": reason.section if reason else "onbekend",
        "bericht": one_line(case.item_text, EXCERPT) if case.item_text
        else "(de tekst is verwijderd en staat in het dossier)",
        "bericht_datum": _day(case.item_created_at),
        "melding_datum": ", ".join(dict.fromkeys(
            _day(d) for d in store_letters.report_dates(store, recipient.person_id,
                                                        list(case.items)))) or "onbekend",
    }
    for name, value in values.items():
        if name not in templates.VARIABLES:
            raise UsageError(f"onbekende variabele {one_line(name, 40)!r}"
                             f" (invullen kan: {', '.join(sorted(templates.ASKED))})")
        if name not in templates.ASKED:
            raise UsageError(f"variabele {name} vult moderator zelf in")
        found[name] = _asked(name, value)
    allowed = templates.KIND_VARIABLES[recipient.kind]
    return {k: v for k, v in found.items() if k in allowed}


def _privacy_guard(store: Store, case: Case, recipient: Recipient, text: str) -> None:
    """The final text of a letter to a reporter or guardian must not name the author or
    quote the message; a letter to the author must not name a reporter."""
    folded = text.casefold()
    if recipient.kind in ("reporter", "guardian"):
        author = store_letters.contact(store, case.author_id) if case.author_id else None
        if author and author.id != recipient.person_id and len(author.name.strip()) >= 3 \
                and author.name.strip().casefold() in folded:
            raise UsageError(f"de brief aan de {recipient.kind_label} noemt de auteur van het"
                             " bericht; haal de naam weg (privacy)")
        quoted = one_line(case.item_text or "")
        if len(quoted) >= 12 and quoted[:40].casefold() in " ".join(folded.split()):
            raise UsageError(f"de brief aan de {recipient.kind_label} citeert het bericht;"
                             " haal de tekst weg (privacy)")
    if recipient.kind == "author":
        for person_id in store_letters.reporters_of(store, list(case.items)):
            reporter = store_letters.contact(store, person_id)
            if reporter and reporter.id != recipient.person_id and \
                    len(reporter.name.strip()) >= 3 and reporter.name.strip().casefold() in folded:
                raise UsageError("de brief aan de auteur noemt wie het bericht meldde;"
                                 " haal de naam weg (privacy)")


def preview(store: Store, actor: Actor, *, template: str, incident: int | str | None = None,
            item: str | None = None, to: str | None = None, values: dict[str, str] | None = None,
            subject: str | None = None, body: str | None = None) -> Preview:
    """The variables and the rendered text of a letter; nothing is stored."""
    spec = templates.spec(template)
    case = _case(store, actor, incident, item)
    _check_sender(store, actor, spec, case)
    if spec.needs_reason and not case.reason:
        raise UsageError(f"een {spec.label.lower()} noemt de reden, maar voor deze zaak is geen"
                         " reden bekend")
    recipient = _resolve_recipient(store, case, spec, to)
    number = store_letters.next_number(store)
    text, source = templates.template_source(template, templates_folder(store, case.school_id))
    subject_t, body_t = templates.split_template(text, source)
    used = templates.check_variables(template, recipient.kind, text, source)
    variables = _variables(store, actor, case, recipient, number, values or {})
    final_subject = one_line(subject, 200) if subject is not None else one_line(
        templates.fill(template, source, subject_t, variables), 200)
    final_body = clean(body).strip() if body is not None else templates.fill(
        template, source, body_t, variables).strip()
    if not final_subject:
        raise UsageError("het onderwerp is leeg")
    if not final_body:
        raise UsageError("de tekst van de brief is leeg")
    if len(final_body) > MAX_BODY:
        raise UsageError(f"de brief is te lang (hoogstens {MAX_BODY} tekens)")
    _privacy_guard(store, case, recipient, final_subject + "\n" + final_body)
    return Preview(template=template, label=spec.label, source=source, recipient=recipient,
                   variables={k: variables.get(k, "") for k in used}, subject=final_subject,
                   body=final_body, number=number, letterhead=letterhead(store, case.school_id),
                   case=case)


# -- drafting: the PDF in the dossier ------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _safe(part: str) -> str:
    return _UNSAFE.sub("_", part)[:64].lstrip(".") or "_"


def _folder(case: Case) -> PurePosixPath:
    if case.incident is not None:
        detail = case.incident
        if detail.hardcopies:
            return PurePosixPath(detail.hardcopies[0].path).parent
        inc = detail.incident
        year = inc.number.split("-")[1] if inc.number.count("-") >= 2 else inc.opened_at[:4]
        return PurePosixPath(_safe(inc.school_id)) / year / _safe(inc.number)
    return PurePosixPath(_safe(case.school_id)) / str(clock.now().year) / "brieven"


def draft(store: Store, actor: Actor, *, template: str, incident: int | str | None = None,
          item: str | None = None, to: str | None = None, values: dict[str, str] | None = None,
          subject: str | None = None, body: str | None = None) -> Letter:
    """Fix the letter's text, file its PDF in the dossier, record it as a draft."""
    with store.write():
        shown = preview(store, actor, template=template, incident=incident, item=item, to=to,
                        values=values, subject=subject, body=body)
        case = shown.case
        now = clock.now_iso()
        recipient_line = shown.recipient.name
        data = render_letter(shown.letterhead, LetterPage(
            number=shown.number, date=now, recipient=recipient_line, subject=shown.subject,
            body=shown.body))
        digest = hashlib.sha256(data).hexdigest()
        rel = _folder(case) / f"brief-{shown.number}-{_safe(template)}-{digest[:8]}.pdf"
        final = store.archives / rel
        durable.write_durably(final, data)
        try:
            letter_id = store_letters.insert_letter(
                store, number=shown.number, incident_id=case.incident_id, item=case.item,
                school_id=case.school_id, template=template,
                recipient_id=shown.recipient.person_id, recipient_kind=shown.recipient.kind,
                subject=shown.subject, body=shown.body, pdf_path=str(rel), sha256=digest,
                size=len(data), created_by=actor.username, created_at=now)
            audit.append(store, actor.username, "letter.draft", f"letter:{shown.number}", {
                "template": template, "person": shown.recipient.person_id,
                "recipient_kind": shown.recipient.kind, "incident": case.incident_number,
                "item": case.item, "path": str(rel), "sha256": digest, "size": len(data)},
                case.school_id)
        except BaseException:
            durable.remove(final)
            raise
    return _get(store, letter_id)


# -- reading ------------------------------------------------------------------------------------


def _get(store: Store, ref: int | str) -> Letter:
    found = store_letters.get_letter(store, ref)
    if found is None:
        raise NotFound(f"brief {one_line(ref, 40)} niet gevonden")
    return found


def get_letter(store: Store, actor: Actor, ref: int | str) -> Letter:
    letter = _get(store, ref)
    if not access.may_read_letters(actor, letter.school_id, letter.group_id):
        raise PermissionDenied(f"U mag brief {letter.number} niet inzien.")
    if actor.is_avg:
        log_access(store, actor, "letter_view", incident_id=letter.incident_id,
                   person_id=letter.recipient_id, detail={"letter": letter.number})
    return letter


def list_letters(store: Store, actor: Actor, *, incident: int | str | None = None,
                 school_id: str | None = None, status: str | None = None) -> list[Letter]:
    if status is not None and status not in STATUS_LABELS:
        raise UsageError(f"onbekende status {status!r} (kies uit {', '.join(STATUS_LABELS)})")
    incident_id = None
    if incident is not None:
        incident_id = get_incident(store, actor, incident, log_view=False).incident.id
    if school_id is None and not actor.is_avg:
        school_id = actor.school_id
    found = [letter for letter in store_letters.list_letters(
        store, school_id=school_id, incident_id=incident_id, status=status)
        if access.may_read_letters(actor, letter.school_id, letter.group_id)]
    if actor.is_avg:
        log_access(store, actor, "letter_list", incident_id=incident_id,
                   detail={"letters": [x.number for x in found]})
    return found


def read_pdf(store: Store, letter: Letter) -> bytes:
    try:
        data = (store.archives / letter.pdf_path).read_bytes()
    except FileNotFoundError:
        raise NotFound(f"de pdf van brief {letter.number} ontbreekt in het archief"
                       " (moderator verify)") from None
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise Conflict(f"de pdf van brief {letter.number} klopt niet met de vastgelegde SHA-256"
                       " (moderator verify)")
    return data


# -- sending, printing, confirming ------------------------------------------------------------


def _acting_on(store: Store, actor: Actor, letter: Letter) -> None:
    spec = templates.spec(letter.template)
    consulted = letter.incident_id is not None and store_letters.has_consultation(
        store, letter.incident_id)
    if not access.may_send_letter(actor, spec.sender, letter.school_id, letter.group_id,
                                  consulted):
        raise PermissionDenied(f"U mag brief {letter.number} niet versturen of afhandelen.")


def send(store: Store, actor: Actor, ref: int | str) -> Letter:
    """E-mail a drafted (or earlier failed) letter with its PDF attached."""
    letter = _get(store, ref)
    _acting_on(store, actor, letter)
    if letter.status == "unknown":
        raise Conflict(f"van brief {letter.number} is onbekend of hij is aangekomen; laat dat"
                       " eerst bevestigen (moderator letter confirm) voordat hij opnieuw gaat")
    if letter.status in ("sent", "printed"):
        raise Conflict(f"brief {letter.number} is al {status_label(letter.status)}")
    person = store_letters.contact(store, letter.recipient_id)
    if person is None or not mail.valid_address(person.email):
        raise UsageError(f"{one_line(letter.recipient_name, 80)} heeft geen (geldig) e-mailadres;"
                         f" druk de brief af en geef hem af: moderator letter mark-printed"
                         f" {letter.number}")
    settings = mail.settings_from(store_letters.school_setting(store, letter.school_id, "smtp"))
    secret = mail.password(settings)
    data = read_pdf(store, letter)
    message = mail.build_message(
        settings, to_name=person.name, to_address=person.email, subject=letter.subject,
        body=letter.body + f"\n\n--\nKenmerk {letter.number}. Deze brief zit ook als pdf"
        " in de bijlage.\n", attachment=data, attachment_name=f"brief-{letter.number}.pdf")
    message_id = str(message["Message-ID"])
    with store.write():
        # Claimed in the same transaction that checks the status: a second session
        # sending the same letter at the same moment finds it 'unknown' and stops.
        current = _get(store, letter.id)
        if current.status not in ("draft", "failed"):
            raise Conflict(f"brief {letter.number} is intussen {status_label(current.status)}"
                           " (in een andere sessie)")
        store_letters.update_delivery(
            store, letter.id, status="unknown", channel="email", address=person.email,
            message_id=message_id, error="verzenden gestart; uitkomst nog niet bekend",
            attempt=True)
        audit.append(store, actor.username, "letter.send_start", f"letter:{letter.number}",
                     {"address": person.email, "message_id": message_id,
                      "attempt": letter.attempts + 1}, letter.school_id)
    outcome = mail.send(settings, message, secret)
    with store.write():
        store_letters.update_delivery(
            store, letter.id, status=outcome.status, error=outcome.error,
            sent_at=clock.now_iso() if outcome.status == "sent" else None)
        audit.append(store, actor.username, f"letter.{outcome.status}",
                     f"letter:{letter.number}", {"address": person.email,
                                                 "message_id": message_id,
                                                 "error": outcome.error}, letter.school_id)
    return _get(store, letter.id)


def mark_printed(store: Store, actor: Actor, ref: int | str, on: str | None = None) -> Letter:
    """Record that the letter was printed and handed over (or posted) on ``on``."""
    letter = _get(store, ref)
    _acting_on(store, actor, letter)
    if letter.status in ("sent", "printed"):
        raise Conflict(f"brief {letter.number} is al {status_label(letter.status)}")
    today = clock.now().date()
    if on:
        try:
            day = date.fromisoformat(on.strip())
        except ValueError:
            raise UsageError(f"ongeldige datum {one_line(on, 40)!r} (gebruik JJJJ-MM-DD)") from None
        if day > today:
            raise UsageError(f"datum {day.isoformat()} ligt in de toekomst")
    else:
        day = today
    with store.write():
        store_letters.update_delivery(store, letter.id, status="printed", channel="print",
                                      error=None, sent_at=day.isoformat())
        audit.append(store, actor.username, "letter.printed", f"letter:{letter.number}",
                     {"on": day.isoformat(), "previous": letter.status}, letter.school_id)
    return _get(store, letter.id)


def confirm(store: Store, actor: Actor, ref: int | str, delivered: bool) -> Letter:
    """A person settles a letter whose delivery is unknown: it arrived, or it did not
    (then it is 'failed' and may be sent again)."""
    letter = _get(store, ref)
    _acting_on(store, actor, letter)
    if letter.status != "unknown":
        raise Conflict(f"brief {letter.number} is {status_label(letter.status)}, niet onbekend")
    with store.write():
        if delivered:
            store_letters.update_delivery(store, letter.id, status="sent", error=None,
                                          sent_at=clock.now_iso())
        else:
            store_letters.update_delivery(
                store, letter.id, status="failed",
                error=f"niet aangekomen (bevestigd door {actor.username})")
        audit.append(store, actor.username, "letter.confirm", f"letter:{letter.number}",
                     {"delivered": delivered}, letter.school_id)
    return _get(store, letter.id)
