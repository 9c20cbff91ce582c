"""Measures the school may take after a breach of the agreements.

The policy ("Beleidsafspraken Oudercommunicatie", section "Borging en Handhaving")
asks the school to look for internal measures first; the director keeps the option of
external enforcement or legal steps open. Internal measures may be recorded by the
teacher or the director; external ones (an escalation) only by the director.
Labels are Dutch (they appear in the console and the dossier export).
"""

from __future__ import annotations

from dataclasses import dataclass

INTERNAL = "internal"
EXTERNAL = "external"
SECTION = "Borging en Handhaving, punten 5 en 7"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str        # Dutch, short
    scope: str        # INTERNAL or EXTERNAL

    @property
    def external(self) -> bool:
        return self.scope == EXTERNAL


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("warning", "Waarschuwing", INTERNAL),
        Measure("comments_off", "Reageren uitgezet voor deze ouder", INTERNAL),
        Measure("read_only", "Tijdelijk alleen lezen", INTERNAL),
        Measure("group_removal", "Verwijderd uit een groep", INTERNAL),
        Measure("police_report", "Aangifte of melding bij de politie", EXTERNAL),
        Measure("legal", "Juridische stappen", EXTERNAL),
        Measure("external_other", "Andere externe handhaving", EXTERNAL),
    )
}

INTERNAL_CODES: tuple[str, ...] = tuple(c for c, m in MEASURES.items() if not m.external)
EXTERNAL_CODES: tuple[str, ...] = tuple(c for c, m in MEASURES.items() if m.external)

SCOPE_LABELS = {INTERNAL: "intern", EXTERNAL: "extern"}


def measure(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        known = ", ".join(MEASURES)
        raise KeyError(f"onbekende maatregel {code!r} (bekend: {known})") from None


def label(code: str | None) -> str:
    """The Dutch label of a code, or the code itself when unknown (old data)."""
    if code is None:
        return ""
    found = MEASURES.get(code)
    return found.label if found else code


# Internal measures the portal itself must carry out (portal sync, ``restrict_member``):
# code -> (mode in the portal, whether it applies to the incident's group only; the
# others apply to the whole school).
PORTAL_RESTRICTIONS: dict[str, tuple[str, bool]] = {
    "read_only": ("read_only", False),
    "comments_off": ("no_comments", False),
    "group_removal": ("removed", True),
}


def portal_restriction(code: str | None) -> tuple[str, bool] | None:
    """(portal mode, per group) for a measure the portal carries out, else None."""
    return PORTAL_RESTRICTIONS.get(code or "")
