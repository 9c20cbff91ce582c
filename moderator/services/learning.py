"""Learning from decisions: when a moderator deletes an item that no detector flagged,
she may mark the words that broke the rule. They wait as suggestions for the director,
who turns them into a school provision (kind ``words``) in one step; the AVG coordinator
approves that provision as any other, and from then on ``check`` and the scan flag it.

Nothing personal may outlive the dossier it came from: a suggestion carrying a name from
the school's rosters, a BSN-like number or a date is refused with a Dutch message.
"""

from __future__ import annotations

from moderator.errors import NotFound, PermissionDenied, UsageError
from moderator.policy import access
from moderator.policy.access import AVG, Actor
from moderator.policy.catalogue import ITEM_REASONS, REASONS
from moderator.policy.personal import personal_data_problem
from moderator.services import provisions as provision_service
from moderator.store import audit, provisions, suggestions
from moderator.store.db import Store
from moderator.store.suggestions import Suggestion

MAX_WORDS = 20


def _clean_words(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if not isinstance(word, str):
            raise UsageError("Een gemarkeerd woord is tekst.")
        word = " ".join(word.split()).lower()
        if not word or len(word) > 60:
            raise UsageError("Een gemarkeerd woord heeft 1 tot 60 tekens.")
        if word not in out:
            out.append(word)
    if not out or len(out) > MAX_WORDS:
        raise UsageError(f"Markeer 1 tot {MAX_WORDS} woorden.")
    return out


def suggest_words(store: Store, actor: Actor, item: str, reason: str,
                  words: list[str]) -> Suggestion:
    """Record the words a moderator marked on a deleted, unflagged item."""
    where = suggestions.item_school(store, item)
    if where is None:
        raise NotFound(f"{item} bestaat niet.")
    school_id, group_id, deleted = where
    if not access.may_suggest_words(actor, group_id, school_id):
        raise PermissionDenied("Alleen wie deze groep modereert, markeert woorden.")
    if not deleted:
        raise UsageError("Woorden markeer je bij het verwijderen van een bericht.")
    if suggestions.rule_flagged(store, item):
        raise UsageError("Dit bericht was al door een detector gesignaleerd: er valt niets te leren.")
    if reason not in ITEM_REASONS:
        raise UsageError(f"{reason!r} is geen redencode uit de catalogus.")
    clean = _clean_words(words)
    problem = personal_data_problem(clean, suggestions.school_names(store, school_id))
    if problem:
        raise UsageError(problem)
    with store.write():
        found = suggestions.add(store, school_id, item, reason, clean, actor.username)
        audit.append(store, actor.username, "words.suggest", item,
                     {"reason": reason, "words": clean, "suggestion": found.id}, school_id)
    return found


def open_suggestions(store: Store, actor: Actor) -> list[Suggestion]:
    if not access.may_adopt_suggestions(actor, actor.school_id or ""):
        raise PermissionDenied("Alleen de directie ziet de voorgestelde woorden.")
    return suggestions.open_for_school(store, actor.school_id)


def adopt(store: Store, actor: Actor, suggestion_ids: list[int]) -> list[provisions.Provision]:
    """Turn open suggestions into proposed word provisions (one per reason), for the AVG
    coordinator to approve."""
    chosen = [suggestions.get(store, i) for i in suggestion_ids]
    if not chosen or any(s is None or s.status != "open" for s in chosen):
        raise NotFound("Kies openstaande woordvoorstellen.")
    school_id = chosen[0].school_id
    if any(s.school_id != school_id for s in chosen) or not access.may_adopt_suggestions(
            actor, school_id):
        raise PermissionDenied("Alleen de directie van de school neemt woordvoorstellen over.")
    by_reason: dict[str, list[Suggestion]] = {}
    for s in chosen:
        by_reason.setdefault(s.reason, []).append(s)
    names = suggestions.school_names(store, school_id)
    made = []
    with store.write():
        for reason, group in by_reason.items():
            words = [w for s in group for w in s.words]
            problem = personal_data_problem(words, names)   # rosters change: check again
            if problem:
                raise UsageError(problem)
            provision = provision_service.propose(store, actor, "words",
                                           {"reason": reason, "words": words}, school_id)
            suggestions.mark_adopted(store, [s.id for s in group], provision.id)
            audit.append(store, actor.username, "words.adopt", f"provision:{provision.id}",
                         {"suggestions": [s.id for s in group],
                          "reason": REASONS[reason].label}, school_id)
            made.append(provision)
    return made


def missed_by_reason(store: Store, actor: Actor,
                     school_id: str | None = None) -> dict[str, tuple[int, int]]:
    """Per reason: (deletions, of which from items no detector had flagged). A director
    sees their school; the AVG coordinator any or every school (logged as a read)."""
    if not access.may_see_missed_deletions(actor, school_id):
        raise PermissionDenied("Alleen de directie (eigen school) en de AVG-coördinator zien"
                               " deze telling.")
    if actor.role == AVG:
        from moderator.store.logs import log_access

        found = suggestions.missed_deletions(store, school_id)
        log_access(store, actor, "missed_deletions", detail={"school": school_id})
        return found
    return suggestions.missed_deletions(store, actor.school_id)
