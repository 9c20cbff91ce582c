"""Group rules the scan checks per item, beyond its text (catalogue codes ``membership``
and ``name_consent``):

* ``membership`` ("Waar gaan we van uit?", punten 3 en 4; "Wat kunnen we plaatsen",
  punt 8): a parent posts or comments only in a class group where they have a child;
  others who are no staff of the school only in groups they are a member of; in the
  school group only the director posts; no comment on a post whose comments are off.
* ``name_consent`` ("Waar gaan we van uit?", punt 7): a message names a pupil whose
  guardians refused the use of the name on the portal for that school year.

Evidence is a dict like a text finding's: ``reason``, a Dutch ``text`` saying what is
wrong (membership), or the name's ``start``/``end`` in the message (name_consent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from moderator.policy.detectors import Finding, named_pupils

STAFF = ("teacher", "director", "school_admin")


@dataclass(frozen=True)
class SchoolFacts:
    people: dict[str, tuple[str, str]]               # person -> (role, school)
    members: frozenset[tuple[str, str]]              # (group, person): members and admins
    child_groups: dict[str, frozenset[str]]          # parent -> class groups of their children
    refused_names: dict[str, frozenset[str]]         # school year -> pupil names without consent


def membership_evidence(kind: str, group_id: str, group_kind: str, school_id: str,
                        author_id: str, facts: SchoolFacts,
                        comments_enabled: bool = True) -> list[dict]:
    """Why this author may not place this post or comment here (empty: all well)."""
    role, author_school = facts.people.get(author_id, ("", ""))
    out = []

    def add(rule: str, text: str) -> None:
        out.append({"reason": "membership", "rule": rule, "text": text})

    if kind == "comment" and not comments_enabled:
        add("comments_off", "reactie op een bericht waarbij reageren uit staat")
    if kind == "post" and group_kind == "school" and role != "director":
        add("school_group", "bericht in de schoolgroep van iemand anders dan de directie")
        return out
    member = (group_id, author_id) in facts.members
    if role in STAFF:
        if author_school != school_id and not member:
            add("other_school", "medewerker van een andere school, geen lid van deze groep")
    elif role == "parent" and group_kind == "class":
        if group_id not in facts.child_groups.get(author_id, frozenset()):
            add("no_child", "ouder zonder kind in deze klassengroep")
    elif group_kind != "school" and not member:
        add("not_member", "geen lid van deze groep")
    return out


def name_consent_findings(text: str, roster: Sequence[str], school_year: str,
                          facts: SchoolFacts) -> list[Finding]:
    """Names in ``text`` of pupils whose name consent is refused for ``school_year``."""
    refused = facts.refused_names.get(school_year)
    if not refused or not roster:
        return []
    found = []
    for index, spans in named_pupils(text, roster).items():
        if roster[index] in refused:
            found += [Finding("name_consent", s, e, text[s:e]) for s, e in spans]
    return found
