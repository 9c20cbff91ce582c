"""Checking draft messages before they are posted (``moderator check``): the detectors
over JSON lines ``{"id", "text", "pupils": [...]}``, optionally with a school's approved
provisions. Nothing is stored."""

from __future__ import annotations

import json
from collections.abc import Iterable

from moderator.errors import InputError
from moderator.policy.detectors import detect, reasons_of
from moderator.store.db import Store
from moderator.store.portal_format import json_reason


def read_drafts(source: str, lines: Iterable[str]) -> list[dict]:
    """The drafts in ``lines``; the first bad line raises InputError naming it."""
    drafts = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            raise InputError(source, number, f"geen geldige JSON ({json_reason(error.msg)})") from None
        if not isinstance(value, dict):
            raise InputError(source, number, "JSON-object verwacht")
        if not isinstance(value.get("text"), str):
            raise InputError(source, number, 'veld "text" moet een tekst zijn')
        if "id" not in value or not isinstance(value["id"], str | int):
            raise InputError(source, number, 'veld "id" (tekst of getal) is verplicht')
        pupils = value.get("pupils", [])
        if not isinstance(pupils, list) or not set(map(type, pupils)) <= {str}:
            raise InputError(source, number, 'veld "pupils" moet een lijst van namen zijn')
        drafts.append({"id": value["id"], "text": value["text"], "pupils": pupils})
    return drafts


def check_drafts(drafts: list[dict], extra_words=None, allow=()) -> list[dict]:
    """Per draft its id, the reasons found and the evidence."""
    out = []
    for draft in drafts:
        findings = detect(draft["text"], pupils=draft["pupils"], extra_words=extra_words,
                          allow=allow)
        out.append({"id": draft["id"], "reasons": reasons_of(findings),
                    "evidence": [f.as_dict() for f in findings]})
    return out


def check_drafts_for_school(store: Store, drafts: list[dict], school_id: str) -> list[dict]:
    """As :func:`check_drafts`, with the school's approved extra words and identity."""
    from moderator.services.scanning import school_policy

    provisions = school_policy(store, school_id)
    return check_drafts(drafts, provisions.extra_words, provisions.allow)
