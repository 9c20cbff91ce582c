"""The one place for Dutch labels of the codes moderator stores: audit and access-log
actions, dossier, flag and provision statuses, portal and account roles, media tags.
Unknown codes fall back to the code itself. Plain Python: the services, the PDFs, the CLI
and the screens all use these (reason and measure labels live with their catalogues in
``moderator/policy``)."""

from __future__ import annotations

from typing import Any

from moderator import clock
from moderator.plural import aantal

AUDIT_ACTIONS = {
    "item.delete": "item verwijderd",
    "item.dismiss": "melding afgewezen",
    "post.comments": "reacties aan/uit",
    "incident.open": "dossier geopend",
    "incident.consultation": "overleg vastgelegd",
    "incident.parent_conversation": "gesprek met ouder vastgelegd",
    "incident.measure": "maatregel vastgelegd",
    "incident.escalation": "escalatie vastgelegd",
    "incident.note": "notitie vastgelegd",
    "incident.correction": "correctie vastgelegd",
    "incident.close": "dossier gesloten",
    "incident.export": "dossier geëxporteerd",
    "incident.hold": "bewaarplicht ingesteld",
    "incident.hold_release": "bewaarplicht opgeheven",
    "incident.destroy": "dossier vernietigd",
    "incident.destroy_refused": "vernietiging geweigerd",
    "retention.set": "bewaartermijn ingesteld",
    "subject.export": "inzage geëxporteerd",
    "provision.propose": "bepaling voorgesteld",
    "provision.approve": "bepaling goedgekeurd",
    "provision.reject": "bepaling afgewezen",
    "provision.decide": "besluit over bepaling",
    "login": "ingelogd",
    "login.failed": "mislukte inlog",
    "import": "portaalgegevens geïmporteerd",
    "scan": "automatische controle",
    "item.delete.rolled_back": "verwijdering teruggedraaid",
    "user.add": "account aangemaakt",
    "portal.action.pending": "portaalactie klaargezet",
    "portal.action.sent": "portaalactie afgeleverd in de map",
    "portal.action.accepted": "portaalactie aangenomen door het portaal",
    "portal.action.done": "portaalactie uitgevoerd",
    "portal.action.refused": "portaalactie geweigerd door het portaal",
    "portal.action.failing": "portaalactie mislukt (volgt opnieuw)",
    "portal.action.retried": "portaalactie opnieuw verstuurd als nieuwe actie",
    "portal.connect": "portaalkoppeling ingesteld",
    "portal.connection.failing": "portaalkoppeling mislukt",
    "portal.connection.ok": "portaalkoppeling werkt weer",
    "user.disable": "account uitgeschakeld",
    "user.enable": "account ingeschakeld",
    "user.password": "wachtwoord gewijzigd",
    "integrity.seal": "bestaande dossieraantekeningen verzegeld",
    "integrity.events": "dossieraantekeningen vastgelegd",
    "setting.set": "instelling gewijzigd",
    "breach.propose": "datalek voorgesteld",
    "breach.update": "datalek aangevuld",
    "breach.decide": "besluit melding AP",
    "breach.close": "datalek afgesloten",
    "breach.export": "datalekkenregister geëxporteerd",
    "report.annual": "jaarverslag gemaakt",
    "letter.draft": "brief opgesteld",
    "letter.send_start": "brief verzenden gestart",
    "letter.sent": "brief verzonden",
    "letter.failed": "brief niet verzonden",
    "letter.unknown": "verzending brief onbekend",
    "letter.printed": "brief afgedrukt/overhandigd",
    "letter.confirm": "verzending brief bevestigd",
    "letter.letterhead": "briefhoofd ingesteld",
    "letter.smtp": "mailserver ingesteld",
    "letter.templates": "sjablonenmap ingesteld",
    "measure.term": "looptijd maatregel vastgelegd",
    "measure.lift": "maatregel opgeheven",
    "measure.extend": "maatregel verlengd",
    "queue.overdue": "termijn verstreken",
    "deadlines.set": "termijnen ingesteld",
    "claim.take": "opgepakt",
    "claim.assign": "toegewezen",
    "claim.release": "teruggegeven",
    "objection.record": "bezwaar vastgelegd",
    "objection.decide": "besluit op bezwaar",
    "meldcode.start": "Meldcode-traject gestart",
    "meldcode.step": "stap Meldcode vastgelegd",
    "account.locked": "account geblokkeerd",
    "account.unlocked": "account gedeblokkeerd",
    "subject.request": "inzageverzoek ontvangen",
    "subject.request_answered": "inzageverzoek beantwoord",
    "incident.handover": "dossier overgedragen",
}

# Letters (moderator.services.letters): delivery status and to whom.
LETTER_STATUSES = {
    "draft": "concept",
    "sent": "verzonden",
    "failed": "niet verzonden",
    "unknown": "onbekend",
    "printed": "afgedrukt/overhandigd",
}
LETTER_RECIPIENTS = {"author": "auteur", "reporter": "melder", "guardian": "ouder/verzorger"}

# Why a measure ended.
LIFT_REASONS = {"expired": "einddatum bereikt", "early": "vervroegd beëindigd"}

# Who holds an item or a dossier (claims).
UNCLAIMED = "niemand"

# What `moderator verify` found, by kind (the CLI prints the label in capitals).
VERIFY_FINDINGS = {
    "register": "register",          # a hardcopies/exports/letters row that differs from the chain
    "rechten": "rechten",            # file permissions other than read-only
    "dossier": "dossier",            # a timeline entry or closure that differs from the chain
    "vernietiging": "vernietiging",  # a destruction record the chain does not know
    "instelling": "instelling",      # a setting that differs from its chained value
    "schema": "schema",              # an append-only trigger missing or replaced
    "getuige": "getuige",            # the witness file disagrees with the chain
}

ACCESS_ACTIONS = {
    "view": "dossier ingezien",
    "list": "dossierlijst bekeken",
    "export": "dossier geëxporteerd",
    "subject_view": "inzage bekeken",
    "subject_export": "inzage geëxporteerd",
    "audit_log_view": "auditlog bekeken",
    "access_log_view": "toegangslog bekeken",
    "retention_view": "bewaartermijnen bekeken",
    "person_search": "persoon gezocht",
    "archive_verify": "archief gecontroleerd",
    "audit_anchor": "anker opgevraagd",
    "breach_list": "datalekkenregister bekeken",
    "breach_view": "datalek ingezien",
    "breach_export": "datalekkenregister geëxporteerd",
    "letter_view": "brief ingezien",
    "letter_list": "brievenlijst bekeken",
    "meldcode_view": "Meldcode-traject ingezien",
}

# The breach register (AVG art. 33 and 34).
BREACH_STATUSES = {"proposed": "open", "closed": "afgesloten"}
BREACH_CATEGORIES = {
    "bsn": "burgerservicenummer (BSN)",
    "health": "gezondheid en andere bijzondere persoonsgegevens",
    "youth_care": "jeugdzorg of thuissituatie",
    "pupil": "persoonsgegevens van een leerling (naam, gedrag)",
    "image": "foto of video van een leerling",
    "contact": "contactgegevens",
}
BREACH_RISKS = {"none": "geen risico", "low": "laag risico", "high": "hoog risico"}
DPA_DECISIONS = {"notify": "gemeld bij de Autoriteit Persoonsgegevens",
                 "no_notify": "niet gemeld (geen risico)"}
INFORMED = {"yes": "ja, geïnformeerd", "no": "nee", "not_needed": "niet nodig (geen hoog risico)"}


def breach_status(code: str | None) -> str:
    return BREACH_STATUSES.get(code or "", code or "")


def breach_category(code: str | None) -> str:
    return BREACH_CATEGORIES.get(code or "", code or "")


def breach_risk(code: str | None) -> str:
    return BREACH_RISKS.get(code or "", code or "nog niet beoordeeld")


def dpa_decision(code: str | None) -> str:
    return DPA_DECISIONS.get(code or "", code or "nog niet besloten")


def informed(code: str | None) -> str:
    return INFORMED.get(code or "", code or "nog niet vastgelegd")

# Dossier (incident) statuses.
STATUSES = {
    "open": "open",
    "consultation": "in overleg",
    "parent_spoken": "ouder gesproken",
    "measure": "maatregel",
    "escalated": "geëscaleerd",
    "closed": "gesloten",
}

FLAG_STATUSES = {"open": "open", "dismissed": "afgewezen", "resolved": "afgehandeld"}

PROVISION_STATUSES = {"proposed": "voorgesteld", "approved": "goedgekeurd",
                      "rejected": "afgewezen"}

PROVISION_KINDS = {"words": "Extra woorden", "frequency": "Berichtfrequentie",
                   "identity": "Identiteit van de school"}

# Entries on a dossier's timeline.
EVENT_KINDS = {
    "deletion": "Verwijdering",
    "consultation": "Overleg leerkracht en directie",
    "parent_conversation": "Gesprek met de ouder",
    "measure": "Maatregel",
    "escalation": "Escalatie",
    "note": "Notitie",
    "correction": "Correctie",
    "closure": "Afsluiting",
    "legal_hold": "Bewaarplicht",
}

# A person's role in the portal (who wrote a message, who reported it).
ROLES = {
    "parent": "ouder",
    "teacher": "leerkracht",
    "director": "directeur",
    "school_admin": "schoolbeheerder",
    "external": "externe gebruiker",
    "mr_member": "(G)MR-lid",
    "avg": "AVG-coördinator",
}

# An account's role in moderator (login, account lists, who deleted).
ACCOUNT_ROLES = {
    "teacher": "Leerkracht (groepsbeheerder)",
    "director": "Directie",
    "school_admin": "Schoolbeheerder",
    "avg": "AVG-coördinator",
    "system": "systeem",
}

# Who a dossier export was handed to (chain of custody).
RECIPIENT_KINDS = {"police": "politie", "lawyer": "advocaat", "inspectorate": "onderwijsinspectie",
                   "other": "andere ontvanger"}

MEDIA_TAGS = {"swimwear": "zwemkleding", "underwear": "ondergoed",
              "recognisable": "leerling herkenbaar in beeld"}

# Detail keys shown in the logs, in this order, with a Dutch name.
_DETAIL_KEYS = (
    ("reason", "reden"), ("query", "zoekterm"), ("rows", "regels"), ("incidents", "dossiers"),
    ("incident", "dossier"), ("status", "status"), ("measure", "maatregel"),
    ("ground", "grond"), ("path", "bestand"), ("retention_until", "bewaren tot"),
    ("years", "jaren"), ("filters", "filters"), ("seq", "volgnummer"), ("item", "item"),
    ("person", "persoon"), ("group", "groep"), ("role", "rol"), ("school", "school"),
    ("counts", "aantallen"), ("note", "notitie"),
)


def audit_action(code: str) -> str:
    return AUDIT_ACTIONS.get(code, code)


def access_action(code: str) -> str:
    return ACCESS_ACTIONS.get(code, code)


def letter_status(code: str | None) -> str:
    return LETTER_STATUSES.get(code or "", code or "")


def letter_recipient(code: str | None) -> str:
    return LETTER_RECIPIENTS.get(code or "", code or "")


def status(code: str | None) -> str:
    return STATUSES.get(code or "", code or "")


def role(code: str | None) -> str:
    """A portal person's role: 'ouder', 'leerkracht', ..."""
    return ROLES.get(code or "", code or "")


def account_role(code: str | None) -> str:
    """An account's role: 'Directie', 'AVG-coördinator', ..."""
    return ACCOUNT_ROLES.get(code or "", code or "")


def flag_status(code: str | None) -> str:
    return FLAG_STATUSES.get(code or "", code or "")


def provision_status(code: str | None) -> str:
    return PROVISION_STATUSES.get(code or "", code or "")


def provision_kind(code: str | None) -> str:
    return PROVISION_KINDS.get(code or "", code or "")


def event_kind(code: str | None) -> str:
    return EVENT_KINDS.get(code or "", code or "")


def recipient_kind(code: str | None) -> str:
    return RECIPIENT_KINDS.get(code or "", code or "")


def media_tag(code: str | None) -> str:
    return MEDIA_TAGS.get(code or "", code or "")


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if key == "status" and isinstance(value, list) and len(value) == 2:
        return f"{status(value[0])} → {status(value[1])}"
    if key == "status" and isinstance(value, str):
        return status(value)
    if key == "retention_until" and isinstance(value, str):
        return clock.display(value)[:10]
    if key == "incidents" and isinstance(value, list):
        return aantal(len(value), "dossier", "dossiers") if len(value) > 3 else ", ".join(
            map(str, value)) or "geen"
    if key == "filters" and isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "geen"
    if key == "counts" and isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items() if v)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def describe(detail: dict[str, Any] | None, *, names: dict[str, str] | None = None,
             codes: dict[str, dict[str, str]] | None = None) -> str:
    """A short Dutch line for a log line's detail (plain text; show it through moderator.text).
    ``names`` maps person ids and account names to real names; ``codes`` maps a detail key
    ('reason', 'measure') to the labels of its codes (the catalogues in moderator/policy)."""
    if not detail:
        return ""
    names = names or {}
    codes = codes or {}
    parts = []
    for key, label in _DETAIL_KEYS:
        value = detail.get(key)
        if value is None or value == "" or value == [] or value == {}:
            continue
        if key in ("person",) and isinstance(value, str):
            value = names.get(value, value)
        if key in codes and isinstance(value, str):
            value = codes[key].get(value, value)
        if key == "item" and isinstance(value, str):
            value = subject_words(value)
        parts.append(f"{label}: {_value(key, value)}")
    return "; ".join(parts)


# Portal sync: an action's status and kind (console, CLI, dossier export).
PORTAL_STATUSES = {
    "pending": "wacht op het portaal",
    "sent": "afgeleverd, wacht op bevestiging",
    "accepted": "aangenomen, wacht op uitvoering",
    "done": "in het portaal uitgevoerd",
    "refused": "geweigerd door het portaal",
    "failing": "mislukt, volgt opnieuw",
}

PORTAL_KINDS = {
    "remove_post": "bericht verwijderen",
    "remove_comment": "reactie verwijderen",
    "remove_media": "foto of video verwijderen",
    "set_comments": "reageren aan/uit",
    "restrict_member": "ouder beperken",
    "lift_restriction": "beperking opheffen",
}


def portal_status(code: str | None) -> str:
    return PORTAL_STATUSES.get(code or "", code or "")


def portal_kind(code: str | None) -> str:
    return PORTAL_KINDS.get(code or "", code or "")


def portal_action_state(action: Any) -> str:
    """One Dutch line: what became of a portal action, and when (console, CLI, PDF)."""
    from moderator.text import one_line

    if action.status == "done":
        how = " (met de hand)" if action.resolved_note and action.resolved_by else ""
        when = f" op {clock.display(action.done_at)}" if action.done_at else ""
        return f"in het portaal uitgevoerd{when}{how}"
    if action.status == "refused":
        line = f"geweigerd door het portaal: {one_line(action.last_error or '', 200)}"
        if action.resolved_note:
            line += f" ({one_line(action.resolved_note, 120)})"
        return line
    if action.status == "failing":
        return (f"mislukt na {action.attempts} pogingen, volgt opnieuw:"
                f" {one_line(action.last_error or '', 120)}")
    return portal_status(action.status)


def portal_action_line(action: Any) -> str:
    """'bericht verwijderen post=a1 (gevraagd 02-12-2026 10:14): in het portaal …'"""
    from moderator.text import one_line

    target = one_line(", ".join(f"{k}={v}" for k, v in sorted(action.target.items())), 80)
    return (f"{portal_kind(action.kind)} {target} (gevraagd {clock.display(action.requested_at)}):"
            f" {portal_action_state(action)}")


ITEM_KINDS = {"post": "het bericht", "comment": "de reactie"}


def item_phrase(kind: str, author_name: str | None = None, group_name: str | None = None,
                title: str | None = None) -> str:
    """An item as a person names it, without the portal's id: "het bericht 'Schoolreisje'
    van Sanne Bakker in Groep 6", "de reactie van Sanne Bakker in Groep 6". Plain text built
    from portal text: show it through moderator.text / rich_text."""
    words = ITEM_KINDS.get(kind, "het item")
    if title and title.strip():
        short = " ".join(title.split())
        words += f" '{short[:40]}…'" if len(short) > 40 else f" '{short}'"
    if author_name:
        words += f" van {author_name}"
    if group_name:
        words += f" in {group_name}"
    return words


def item_kind_from_ref(ref: str) -> str:
    """'post:ID' → 'post', 'comment:ID' → 'comment' (anything else: 'item')."""
    kind = str(ref).partition(":")[0]
    return kind if kind in ITEM_KINDS else "item"


SUBJECT_KINDS = {"post": "bericht", "comment": "reactie", "incident": "dossier",
                 "person": "persoon", "letter": "brief", "breach": "datalek"}


def subject_words(subject: str) -> str:
    """An audit subject as words: 'post:p1' → 'bericht p1', 'incident:INC-2026-0001' →
    'dossier INC-2026-0001' (the id after the kind stays, for matching)."""
    kind, sep, rest = str(subject).partition(":")
    if sep and kind in SUBJECT_KINDS:
        return f"{SUBJECT_KINDS[kind]} {rest}"
    return str(subject)
