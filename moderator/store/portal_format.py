"""The portal export, the console's input format: decoding and checking one line.

This module checks what a single record can show on its own: valid UTF-8, a JSON
object, a known ``type``, required fields present, every field of the right JSON type,
enums, ISO 8601 times with an offset. References between records (and to rows already
in the database) are checked by :mod:`moderator.store.importer`, which knows the order.

Errors are raised as :class:`Bad` with a message in English; the importer adds the
file name and line number. Unknown extra fields are ignored (the contract allows
optional extensions); an optional field given as ``null`` counts as absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from moderator.policy.catalogue import ITEM_REASONS

GROUP_KINDS = ("class", "school", "community")
PERSON_ROLES = ("teacher", "director", "school_admin", "parent", "external", "mr_member")
STAFF_ROLES = ("teacher", "director", "school_admin")
MEDIA_KINDS = ("photo", "video")
MEDIA_TAGS = ("swimwear", "underwear", "recognisable")
MAX_ID = 200


class Bad(Exception):
    """What is wrong with one record (no file or line yet)."""


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


# -- field kinds: each returns the value (normalised) or raises Bad -----------------------

def _id(value: Any) -> str:
    if value.__class__ is not str or not value or value.isspace():
        raise Bad(f"moet een niet-lege tekst-id zijn, niet {_show(value)}")
    if len(value) > MAX_ID:
        raise Bad(f"id langer dan {MAX_ID} tekens")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad(f"moet een tekst zijn, niet {_show(value)}")
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Bad(f"moet een niet-lege tekst zijn, niet {_show(value)}")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"moet true of false zijn, niet {_show(value)}")
    return value


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})\Z")
# Ranges checked by the pattern itself; only days 29-31 still need the calendar.
_PLAUSIBLE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d"
                        r"(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d\Z")
_YEAR = re.compile(r"(\d{4})-(\d{4})\Z")


def _datetime(value: Any) -> str:
    if value.__class__ is str and _PLAUSIBLE.match(value):
        return value
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise Bad(f"moet een ISO 8601-tijd met offset zijn, zoals 2026-11-20T15:30:00+01:00,"
                  f" niet {_show(value)}")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise Bad(f"is geen bestaande datum en tijd: {_show(value)}") from None
    return value


def _date(value: Any) -> str:
    if not isinstance(value, str) or not _DATE.match(value):
        raise Bad(f"moet een datum zijn zoals 2026-09-01, niet {_show(value)}")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise Bad(f"is geen bestaande datum: {_show(value)}") from None
    return value


def _school_year(value: Any) -> str:
    found = _YEAR.match(value) if isinstance(value, str) else None
    if not found or int(found.group(2)) != int(found.group(1)) + 1:
        raise Bad(f"moet een schooljaar zijn zoals \"2026-2027\", niet {_show(value)}")
    return value


def _brin(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 4 or not (value.isascii() and value.isalnum()):
        raise Bad(f"moet een schoolcode van 4 tekens zijn, niet {_show(value)}")
    return value


def _hours(value: Any) -> dict:
    if not isinstance(value, dict):
        raise Bad(f"moet een object {{\"start\": \"08:00\", \"end\": \"17:00\"}} zijn,"
                  f" niet {_show(value)}")
    for key in ("start", "end"):
        if not isinstance(value.get(key), str) or not _HHMM.match(value[key]):
            raise Bad(f"{key!r} moet een tijd zijn zoals \"08:00\", niet {_show(value.get(key))}")
    if value["start"] >= value["end"]:
        raise Bad("start moet voor end liggen")
    return value


def _enum(values: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in values or not isinstance(value, str):
            raise Bad(f"moet een van {', '.join(values)} zijn, niet {_show(value)}")
        return value
    return check


def _list_of(kind: Callable[[Any], Any], what: str) -> Callable[[Any], list]:
    def check(value: Any) -> list:
        if not isinstance(value, list):
            raise Bad(f"moet een lijst van {what} zijn, niet {_show(value)}")
        for index, element in enumerate(value):
            try:
                kind(element)
            except Bad as bad:
                raise Bad(f"element {index}: {bad}") from None
        return value
    return check


def _media(value: Any) -> list:
    if not isinstance(value, list):
        raise Bad(f"moet een lijst van media-objecten zijn, niet {_show(value)}")
    for index, medium in enumerate(value):
        if not isinstance(medium, dict):
            raise Bad(f"element {index} moet een object zijn, niet {_show(medium)}")
        try:
            check_fields(medium, MEDIA_FIELDS, MEDIA_OPTIONAL)
        except Bad as bad:
            raise Bad(f"element {index}: {bad}") from None
    return value


MEDIA_FIELDS = {"id": _id, "kind": _enum(MEDIA_KINDS), "file": _name}
MEDIA_OPTIONAL = {"pupils": _list_of(_id, "leerling-ids"),
                  "tags": _list_of(_enum(MEDIA_TAGS), "tags")}

# type -> (required fields, optional fields)
SPEC: dict[str, tuple[dict[str, Callable], dict[str, Callable]]] = {
    "school": ({"id": _id, "name": _name}, {"brin": _brin, "working_hours": _hours}),
    "group": ({"id": _id, "school": _id, "name": _name, "kind": _enum(GROUP_KINDS)}, {}),
    "person": ({"id": _id, "school": _id, "name": _name, "role": _enum(PERSON_ROLES)},
               {"email": _str}),
    "admin": ({"group": _id, "person": _id}, {}),
    "member": ({"group": _id, "person": _id}, {}),
    "pupil": ({"id": _id, "school": _id, "group": _id, "name": _name},
              {"guardians": _list_of(_id, "persoon-ids")}),
    "consent": ({"pupil": _id, "school_year": _school_year, "portal_photo": _bool,
                 "portal_name": _bool, "website": _bool}, {"signed_on": _date}),
    "post": ({"id": _id, "group": _id, "author": _id, "created_at": _datetime, "body": _str},
             {"title": _str, "comments_enabled": _bool, "media": _media}),
    "comment": ({"id": _id, "post": _id, "author": _id, "created_at": _datetime, "body": _str},
                {}),
    "report": ({"id": _id, "reporter": _id, "reason": _enum(ITEM_REASONS),
                "created_at": _datetime},
               {"post": _id, "comment": _id, "note": _str}),
    "holiday": ({"school": _id, "start": _date, "end": _date}, {"name": _str}),
}
RECORD_TYPES = tuple(SPEC)


def check_fields(record: dict, required: dict, optional: dict) -> None:
    for field, kind in required.items():
        value = record.get(field)
        if value is None:
            raise Bad(f"verplicht veld {field!r} ontbreekt")
        try:
            kind(value)
        except Bad as bad:
            raise Bad(f"veld {field!r} {bad}") from None
    for field, kind in optional.items():
        value = record.get(field)
        if value is not None:
            try:
                kind(value)
            except Bad as bad:
                raise Bad(f"veld {field!r} {bad}") from None


def _plain_ids(record: dict, names: tuple[str, ...]) -> bool:
    for name in names:
        value = record.get(name)
        if value.__class__ is not str or not value or len(value) > MAX_ID or value.isspace():
            return False
    return True


# Posts and comments are most of a file: their required fields are checked inline, and
# anything unusual falls through to the field-by-field check that words the error.
_FAST = {"comment": ("id", "post", "author"), "post": ("id", "group", "author")}


def check_record(record: Any) -> str:
    """Check one parsed record on its own; returns its type."""
    if record.__class__ is dict:
        kind = record.get("type")
        ids = _FAST.get(kind) if kind.__class__ is str else None
        if (ids is not None and _plain_ids(record, ids) and record.get("body").__class__ is str
                and (created := record.get("created_at")).__class__ is str
                and _PLAUSIBLE.match(created)):
            if kind == "comment":
                return kind
            title, enabled = record.get("title"), record.get("comments_enabled")
            if ((title is None or title.__class__ is str)
                    and (enabled is None or enabled.__class__ is bool)
                    and record.get("media") is None):
                return kind
    if not isinstance(record, dict):
        raise Bad(f"elke regel moet een JSON-object zijn, niet {_json_type(record)}")
    kind = record.get("type")
    spec = SPEC.get(kind) if isinstance(kind, str) else None
    if spec is None:
        if kind is None:
            raise Bad("\"type\" ontbreekt")
        raise Bad(f"onbekend type {_show(kind)} (verwacht: een van {', '.join(RECORD_TYPES)})")
    try:
        check_fields(record, *spec)
    except Bad as bad:
        raise Bad(f"{kind}: {bad}") from None
    if kind == "report" and (record.get("post") is None) == (record.get("comment") is None):
        raise Bad("report: precies één van 'post' of 'comment' is nodig")
    if kind == "holiday" and record["end"] < record["start"]:
        raise Bad(f"holiday: de einddatum {record['end']} ligt voor de begindatum"
                  f" {record['start']}")
    return kind


# -- lines ------------------------------------------------------------------------------

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _reject_constant(name: str) -> Any:
    raise Bad(f"{name} is geen geldige JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)

# The json module's messages, as Dutch users read them.
_JSON_REASONS = {
    "Expecting value": "waarde verwacht",
    "Expecting property name enclosed in double quotes": "veldnaam tussen dubbele aanhalingstekens verwacht",
    "Expecting ',' delimiter": "',' verwacht",
    "Expecting ':' delimiter": "':' verwacht",
    "Extra data": "extra tekens na de waarde",
    "Unterminated string starting at": "tekst zonder afsluitend aanhalingsteken",
    "Invalid control character at": "ongeldig stuurteken in tekst",
    "Invalid \\escape": "ongeldige escape",
    "Illegal trailing comma before end of object": "komma voor het einde van het object",
    "Illegal trailing comma before end of array": "komma voor het einde van de lijst",
}


def json_reason(message: str) -> str:
    """A json.JSONDecodeError message in Dutch (unknown ones stay as they are)."""
    return _JSON_REASONS.get(message, message)


def _json_type(value: Any) -> str:
    names = {list: "een lijst", str: "een tekst", int: "een getal", float: "een getal",
             bool: "true/false", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def parse_line(raw: bytes) -> Any | None:
    """Decode one line of the file (bytes, without the newline). Returns the parsed JSON
    value, or None for a blank line."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Bad(f"geen geldige UTF-8 (byte 0x{raw[error.start]:02x} in kolom {error.start + 1})"
                  ) from None
    try:
        value = _DECODER.decode(line)
    except json.JSONDecodeError as error:
        if not line.strip():
            return None
        raise Bad(f"geen geldige JSON: {json_reason(error.msg)} in kolom {error.colno}") from None
    except ValueError:     # Python's limit on the digits of an integer (4300)
        raise Bad("geen geldige JSON voor deze console: een getal met te veel cijfers") from None
    except RecursionError:
        raise Bad("geen geldige JSON voor deze console: lijsten of objecten te diep genest"
                  ) from None
    try:
        lone = "\\u" in line and _SURROGATE_ESCAPE.search(line) and _has_lone_surrogate(value)
    except RecursionError:
        raise Bad("geen geldige JSON voor deze console: lijsten of objecten te diep genest"
                  ) from None
    if lone:
        raise Bad("bevat een losse surrogaat-escape (\\ud800-\\udfff): geen geldige Unicode-tekst")
    return value


def split_lines(data: bytes) -> list[bytes]:
    """The file's lines, without line endings (LF or CRLF) and without a leading BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]
