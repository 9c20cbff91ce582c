"""Letter templates: which letters exist, who they go to, who may send them, and the
safe substitution that fills them.

The Dutch template texts ship in ``moderator/policy/letter_templates/<code>.txt``; a
school may override one with a file of the same name in its own templates folder
(school setting, see moderator.services.letters). A template file is::

    Onderwerp: <subject line, may use variables>
    <blank line>
    <body>

Variables are ``$name`` or ``${name}`` (``$$`` is a dollar sign), filled with
:class:`string.Template`: nothing in a value is ever interpreted, and a variable the
letter does not know is an error that names the template and the variable.

Privacy lives in the variable sets: a letter to a reporter or a guardian is only given
variables that say nothing about the author or the outcome (:data:`KIND_VARIABLES`), so
no template, shipped or overridden, can print them.

Sender rules (policy, Borging en Handhaving): removal notices, replies to reporters and
to objections, and invitations are sent by any moderator of the group; warnings and
measure confirmations by the director, or by a teacher once the consultation with the
director is recorded in the dossier.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from moderator.errors import UsageError
from moderator.labels import LETTER_RECIPIENTS

MODERATOR = "moderator"     # any moderator of the group
DIRECTOR = "director"       # the director, or a teacher after a recorded consultation

SUBJECT_PREFIX = "Onderwerp:"
MAX_FILE = 64 * 1024


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    label: str                          # Dutch
    recipients: tuple[str, ...]         # recipient kinds: author, reporter, guardian
    sender: str                         # MODERATOR or DIRECTOR
    asks: tuple[str, ...] = ()          # variables the sender fills in
    needs_reason: bool = False          # needs the reason an item was removed or flagged


TEMPLATES: dict[str, TemplateSpec] = {
    t.code: t
    for t in (
        TemplateSpec("invitation", "Uitnodiging voor een gesprek", ("author", "guardian"),
                     MODERATOR, ("aanleiding", "moment")),
        TemplateSpec("warning", "Schriftelijke waarschuwing", ("author",), DIRECTOR,
                     ("toelichting",), needs_reason=True),
        TemplateSpec("measure", "Bevestiging van een maatregel", ("author",), DIRECTOR,
                     ("maatregel", "maatregel_reden", "van", "tot"), needs_reason=True),
        TemplateSpec("removal", "Bericht verwijderd (aan de auteur)", ("author",), MODERATOR,
                     needs_reason=True),
        TemplateSpec("reporter_reply", "Melding afgehandeld (aan de melder)", ("reporter",),
                     MODERATOR),
        TemplateSpec("objection_reply", "Reactie op een bezwaar", ("reporter", "guardian"),
                     MODERATOR, ("toelichting",)),
    )
}

RECIPIENT_LABELS = LETTER_RECIPIENTS

# What each variable means (Dutch), for `letter templates` and the preview.
VARIABLES: dict[str, str] = {
    "ontvanger": "naam van de ontvanger",
    "school": "naam van de school (briefhoofd)",
    "school_adres": "adres van de school (briefhoofd)",
    "directeur": "naam van de directeur (briefhoofd)",
    "stichting": "naam van de stichting (briefhoofd)",
    "datum": "datum van de brief",
    "afzender": "naam van wie de brief verstuurt",
    "afzender_rol": "functie van de afzender",
    "groep": "de groep op het portaal",
    "beleid": "titel van de beleidsafspraken",
    "dossier": "dossiernummer (kenmerk)",
    "reden": "reden van verwijderen of melden",
    "regel": "de afspraak in gewone woorden",
    "beleidsonderdeel": "onderdeel van de beleidsafspraken",
    "bericht": "begin van het bericht (alleen aan de auteur)",
    "bericht_datum": "datum van het bericht",
    "melding_datum": "datum van de melding (alleen aan de melder)",
    "aanleiding": "waar het gesprek over gaat (invullen)",
    "moment": "datum, tijd en plaats van het gesprek (invullen)",
    "toelichting": "toelichting van de afzender (invullen)",
    "maatregel": "de maatregel (code of tekst, invullen)",
    "maatregel_reden": "waarom de maatregel (invullen)",
    "van": "ingangsdatum (JJJJ-MM-DD, invullen)",
    "tot": "einddatum (JJJJ-MM-DD of tekst, invullen)",
}

BASE_VARIABLES = frozenset({
    "ontvanger", "school", "school_adres", "directeur", "stichting", "datum", "afzender",
    "afzender_rol", "groep", "beleid"})
AUTHOR_ONLY = frozenset({"dossier", "reden", "regel", "beleidsonderdeel", "bericht",
                         "bericht_datum"})
ASKED = frozenset({"aanleiding", "moment", "toelichting", "maatregel", "maatregel_reden",
                   "van", "tot"})
KIND_VARIABLES: dict[str, frozenset[str]] = {
    "author": BASE_VARIABLES | AUTHOR_ONLY | ASKED,
    "reporter": BASE_VARIABLES | {"melding_datum", "aanleiding", "moment", "toelichting"},
    "guardian": BASE_VARIABLES | {"aanleiding", "moment", "toelichting"},
}


def spec(code: str) -> TemplateSpec:
    found = TEMPLATES.get(code)
    if found is None:
        raise UsageError(f"onbekend sjabloon {code!r} (kies uit: {', '.join(TEMPLATES)})")
    return found


def shipped_text(code: str) -> str:
    spec(code)
    return (resources.files("moderator.policy") / "letter_templates" / f"{code}.txt").read_text(
        encoding="utf-8")


def template_source(code: str, folder: str | Path | None) -> tuple[str, str]:
    """(text, where it came from) of a template: the school's override file when the
    folder has ``<code>.txt``, else the shipped one."""
    spec(code)
    if folder:
        path = Path(folder) / f"{code}.txt"
        if path.is_file():
            try:
                raw = path.read_bytes()
            except OSError as error:
                raise UsageError(f"{path}: sjabloon niet leesbaar ({error.strerror})") from None
            if len(raw) > MAX_FILE:
                raise UsageError(f"{path}: sjabloon is groter dan {MAX_FILE // 1024} KiB")
            try:
                return raw.decode("utf-8"), str(path)
            except UnicodeDecodeError as error:
                raise UsageError(f"{path}: geen geldige UTF-8 (byte {error.start})") from None
    return shipped_text(code), f"standaard:{code}.txt"


def split_template(text: str, source: str) -> tuple[str, str]:
    """(subject template, body template). The first line is 'Onderwerp: ...'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    first, _, rest = text.partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise UsageError(f"{source}:1: een sjabloon begint met '{SUBJECT_PREFIX} ...'")
    subject = first[len(SUBJECT_PREFIX):].strip()
    if not subject:
        raise UsageError(f"{source}:1: het onderwerp is leeg")
    return subject, rest.strip("\n")


def variables_used(text: str, source: str) -> list[str]:
    """The variables a template text uses, in order; a malformed '$' is an error with
    its line number."""
    found: list[str] = []
    for lineno, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        template = string.Template(line)
        for match in template.pattern.finditer(line):
            if match.group("invalid") is not None:
                raise UsageError(f"{source}:{lineno}: ongeldige '$' (gebruik $naam, ${{naam}}"
                                 " of $$ voor een dollarteken)")
            name = match.group("named") or match.group("braced")
            if name and name not in found:
                found.append(name)
    return found


def check_variables(code: str, kind: str, text: str, source: str) -> list[str]:
    """Every variable in the template must be one this letter may use; returns them."""
    allowed = KIND_VARIABLES[kind]
    used = variables_used(text, source)
    for name in used:
        if name not in VARIABLES:
            raise UsageError(f"sjabloon {code} ({source}): onbekende variabele ${name}")
        if name not in allowed:
            raise UsageError(
                f"sjabloon {code} ({source}): variabele ${name} mag niet in een brief aan de"
                f" {RECIPIENT_LABELS[kind]} (privacy)")
    return used


def fill(code: str, source: str, text: str, values: dict[str, str]) -> str:
    """Substitute ``values`` into ``text``; a missing variable is an error naming both."""
    try:
        return string.Template(text).substitute(values)
    except KeyError as error:
        name = error.args[0]
        raise UsageError(f"sjabloon {code} ({source}): variabele ${name} heeft geen waarde"
                         + (f" (geef --set {name}=...)" if name in ASKED else "")) from None
    except ValueError:
        raise UsageError(f"sjabloon {code} ({source}): ongeldige '$'") from None
