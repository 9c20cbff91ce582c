"""Who may do what: the one access module every use case asks.

Roles (DESIGN.md, Roles; the policy's *Borging en Handhaving* section):

* teacher (group administrator): the items and dossiers of the groups she administers;
  dismiss, delete, comments on/off, dossier entries (not escalation or closing);
* director: everything of her school: all of the above in every group, consultation,
  escalation, closing, exports, proposing school provisions;
* school admin: the accounts of her own school, and nothing else (no queue, no dossiers);
* AVG coordinator: every school read-only (every read logged), verification, audit and
  access logs, retention and destruction, subject access, approving provisions,
  foundation accounts;
* a disabled account is never an actor (login refuses it), so it may nothing.

Services call the predicates below before every use case and raise
:class:`~moderator.errors.PermissionDenied` through :func:`require`. The store receives a
:class:`Scope` for queries that must be limited to what an actor may see; it never decides
access itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from moderator.errors import PermissionDenied

TEACHER = "teacher"
DIRECTOR = "director"
SCHOOL_ADMIN = "school_admin"
AVG = "avg"
SYSTEM_ROLE = "system"

# A person's portal role decides which account role they can get.
ACCOUNT_ROLE_FOR_PERSON = {"teacher": TEACHER, "director": DIRECTOR, "school_admin": SCHOOL_ADMIN}


@dataclass(frozen=True)
class Actor:
    """A logged-in account, as every use case receives it."""

    username: str
    role: str
    person_id: str | None
    school_id: str | None
    name: str
    admin_groups: frozenset[str] = frozenset()

    @property
    def is_director(self) -> bool:
        return self.role == DIRECTOR

    @property
    def is_avg(self) -> bool:
        return self.role == AVG

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM_ROLE


SYSTEM = Actor(username="system", role=SYSTEM_ROLE, person_id=None, school_id=None,
               name="systeem")
"""The process itself (recovery after a crash, imports, scans, the clock)."""


@dataclass(frozen=True)
class Scope:
    """What an actor may read, for the store's queries.

    ``schools`` None means every school; ``groups`` None means every group of those
    schools. An empty ``groups`` means nothing at all. ``kinds`` limits dossiers to these
    kinds ('parent', 'staff'); None means every kind."""

    schools: frozenset[str] | None
    groups: frozenset[str] | None = None
    kinds: frozenset[str] | None = None

    @property
    def everything(self) -> bool:
        return self.schools is None and self.groups is None

    @property
    def nothing(self) -> bool:
        return self.groups is not None and not self.groups

    def covers(self, school_id: str | None, group_id: str | None,
               kind: str | None = None) -> bool:
        if self.schools is not None and school_id not in self.schools:
            return False
        if self.kinds is not None and kind is not None and kind not in self.kinds:
            return False
        return self.groups is None or group_id in self.groups


def require(allowed: bool, message: str) -> None:
    """Raise :class:`PermissionDenied` with ``message`` (Dutch) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


# -- items and the queue --------------------------------------------------------------------


def may_moderate_group(actor: Actor, group_id: str | None, school_id: str | None) -> bool:
    """Dismiss, delete and turn comments off in a group: its administrators (teachers)
    and the school's director."""
    if actor.role == DIRECTOR:
        return school_id is not None and school_id == actor.school_id
    if actor.role == TEACHER:
        return group_id in actor.admin_groups
    return False


def may_read_item(actor: Actor, group_id: str | None, school_id: str | None) -> bool:
    """Read a post or comment with its reports: who may moderate it, the AVG coordinator
    (read-only) and the process itself."""
    return actor.is_system or actor.is_avg or may_moderate_group(actor, group_id, school_id)


def queue_scope(actor: Actor) -> Scope:
    """The moderation queue: a teacher's groups, a director's school; nobody else."""
    if actor.role == DIRECTOR and actor.school_id:
        return Scope(frozenset({actor.school_id}))
    if actor.role == TEACHER:
        return Scope(None, frozenset(actor.admin_groups))
    raise PermissionDenied("alleen leerkrachten en directie zien de moderatiewachtrij")


def may_act_on_own_item(actor: Actor, author_id: str | None) -> bool:
    """Nobody dismisses reports about their own message (they may still delete it)."""
    return actor.person_id is None or actor.person_id != author_id


# -- dossiers (incidents) -------------------------------------------------------------------


def incident_scope(actor: Actor) -> Scope:
    """The dossiers an actor may read: all for the AVG coordinator, the school's for a
    director, the administered groups' for a teacher (not a dossier about a staff
    member's own message, which is the director's); refused for other roles."""
    if actor.role == AVG or actor.is_system:
        return Scope(None)
    if actor.role == DIRECTOR and actor.school_id:
        return Scope(frozenset({actor.school_id}))
    if actor.role == TEACHER and actor.school_id:
        return Scope(frozenset({actor.school_id}), frozenset(actor.admin_groups),
                     frozenset({"parent"}))
    raise PermissionDenied("Met deze rol kunt u geen dossiers inzien.")


def may_read_incident(actor: Actor, school_id: str | None, group_id: str | None,
                      kind: str = "parent") -> bool:
    if actor.role == AVG or actor.is_system:
        return True
    if actor.role == DIRECTOR:
        return school_id is not None and school_id == actor.school_id
    if actor.role == TEACHER:
        return (school_id == actor.school_id and group_id in actor.admin_groups
                and kind == "parent")
    return False


def may_write_incident(actor: Actor, school_id: str | None, group_id: str | None,
                       kind: str = "parent") -> bool:
    """Record entries (talk with the parent, notes, measures, corrections): the group's
    teacher or the school's director; never the AVG coordinator (read-only)."""
    return actor.role in (TEACHER, DIRECTOR) and may_read_incident(actor, school_id, group_id,
                                                                   kind)


def may_consult(actor: Actor, school_id: str | None) -> bool:
    """The teacher-director consultation is recorded by the director."""
    return actor.role == DIRECTOR and school_id == actor.school_id


def may_escalate(actor: Actor, school_id: str | None) -> bool:
    """External enforcement and legal steps: the school's director only."""
    return actor.role == DIRECTOR and school_id is not None and school_id == actor.school_id


def may_close_incident(actor: Actor, school_id: str | None) -> bool:
    return may_escalate(actor, school_id)


def may_export_incident(actor: Actor, school_id: str | None) -> bool:
    """An export copies the whole dossier: the school's director or the AVG coordinator."""
    return may_escalate(actor, school_id) or actor.role == AVG


# -- the AVG coordinator's work -------------------------------------------------------------


def may_audit(actor: Actor) -> bool:
    """Verify the archive, read the audit and access logs, retention and destruction,
    legal holds, subject access, approving provisions: the AVG coordinator."""
    return actor.role == AVG


def require_avg(actor: Actor, what: str) -> None:
    require(may_audit(actor), f"Alleen de AVG-coördinator mag {what}.")


def may_handle_breaches(actor: Actor) -> bool:
    """The breach register (AVG art. 33(5)): read, complete, decide on notifying the
    Autoriteit Persoonsgegevens, close and export: the AVG coordinator. Proposals come
    from deletions, whoever deletes."""
    return actor.role == AVG


def may_read_annual_report(actor: Actor, school_id: str | None) -> bool:
    """The yearly report (counts only, no personal data): the AVG coordinator for every
    school and the foundation, a director for her own school."""
    if actor.role == AVG:
        return True
    return actor.role == DIRECTOR and school_id is not None and school_id == actor.school_id


def may_propose_provision(actor: Actor, school_id: str | None) -> bool:
    return actor.role == DIRECTOR and school_id is not None and school_id == actor.school_id


def may_read_provisions(actor: Actor, school_id: str | None) -> bool:
    """School provisions: the AVG coordinator all of them (``school_id`` None: every
    school), a director those of her own school."""
    if actor.role == AVG:
        return True
    return actor.role == DIRECTOR and school_id is not None and school_id == actor.school_id


def may_read_group_report(actor: Actor, school_id: str | None) -> bool:
    """The frequency and off-hours report names staff: the director of the school, a
    teacher (filtered to her groups), the AVG coordinator (logged)."""
    if actor.role == AVG:
        return True
    return actor.role in (DIRECTOR, TEACHER) and (school_id is None
                                                  or school_id == actor.school_id)


def may_configure_school(actor: Actor, school_id: str | None) -> bool:
    """School settings that reach outside (portal connector, letterhead, mail): the
    school's director or school admin, or the AVG coordinator."""
    if actor.role == AVG:
        return True
    return actor.role in (DIRECTOR, SCHOOL_ADMIN) and school_id is not None \
        and school_id == actor.school_id


# -- accounts -------------------------------------------------------------------------------


def may_manage_accounts(actor: Actor, school_id: str | None) -> bool:
    """Accounts of a school: its school admin or director, nobody else; foundation
    accounts (no school, such as the AVG coordinator's): the AVG coordinator. The process
    itself creates the very first account of an empty database."""
    if actor.is_system:
        return True
    if school_id is None:
        return actor.role == AVG
    return actor.role in (DIRECTOR, SCHOOL_ADMIN) and school_id == actor.school_id


def may_change_foundation_settings(actor: Actor) -> bool:
    """Foundation-wide settings (import limits): the AVG coordinator."""
    return actor.role == AVG


def groups_in(actor: Actor, group_ids: Collection[str]) -> list[str]:
    """The groups of ``group_ids`` a teacher administers (all for other roles)."""
    if actor.role == TEACHER:
        return [g for g in group_ids if g in actor.admin_groups]
    return list(group_ids)


# -- letters --------------------------------------------------------------------------------


def may_send_letter(actor: Actor, sender_rule: str, school_id: str, group_id: str | None,
                    consulted: bool) -> bool:
    """Letters (policy, *Borging en Handhaving*): removal notices, replies and invitations
    by any moderator of the group (``sender_rule`` 'moderator'); warnings and measure
    confirmations ('director') by the director, or by the group's teacher once a
    consultation with the director is recorded in the dossier (``consulted``)."""
    if not may_moderate_group(actor, group_id, school_id):
        return False
    if sender_rule == "director":
        return actor.role == DIRECTOR or consulted
    return True


def may_read_letters(actor: Actor, school_id: str, group_id: str | None) -> bool:
    """The group's moderators and the AVG coordinator (read-only)."""
    return actor.role == AVG or may_moderate_group(actor, group_id, school_id)


# -- learning from decisions ----------------------------------------------------------------


def may_suggest_words(actor: Actor, group_id: str, school_id: str) -> bool:
    """A moderator of the group (its teacher, or the school's director) may mark words."""
    return may_moderate_group(actor, group_id, school_id)


def may_adopt_suggestions(actor: Actor, school_id: str) -> bool:
    return actor.role == DIRECTOR and actor.school_id == school_id


def may_see_missed_deletions(actor: Actor, school_id: str | None) -> bool:
    """Counts of deletions the detectors missed: a director for her own school, the AVG
    coordinator for any school or all of them."""
    if actor.role == AVG:
        return True
    return actor.role == DIRECTOR and school_id in (None, actor.school_id)


# -- time and ownership ---------------------------------------------------------------------


def is_operator(actor: Actor) -> bool:
    """A server job without an account (cron, systemd timer): ``system`` or ``system:USER``."""
    return actor.is_system


def may_see_calendar(actor: Actor, school_id: str) -> bool:
    """Holidays and working hours are no personal data: every account of the school,
    the AVG coordinator and the operator."""
    return is_operator(actor) or actor.role == AVG or actor.school_id == school_id


def may_set_deadlines(actor: Actor) -> bool:
    """The deadline terms are a foundation setting, like the retention term."""
    return actor.role == AVG or is_operator(actor)


def may_run_clock(actor: Actor) -> bool:
    return is_operator(actor)


def may_change_measure_term(actor: Actor, school_id: str) -> bool:
    """End a measure early or extend it: the school's director."""
    return actor.role == DIRECTOR and actor.school_id == school_id


def may_handle_item(actor: Actor, group_id: str, school_id: str) -> bool:
    """Claim, assign or hand back a queue item: who may moderate its group."""
    return may_moderate_group(actor, group_id, school_id)


def may_hold_item(role: str, school_id: str | None, admin_groups: frozenset[str],
                  group_id: str, group_school: str) -> bool:
    """Whether an account (by role, school and groups) can be given a queue item."""
    if school_id != group_school:
        return False
    return role == DIRECTOR or (role == TEACHER and group_id in admin_groups)


def may_handle_incident(actor: Actor, school_id: str, group_id: str | None) -> bool:
    """Claim, assign or hand back a dossier: the group's teacher or the school's director."""
    if actor.role == DIRECTOR:
        return actor.school_id == school_id
    return actor.role == TEACHER and actor.school_id == school_id and group_id in actor.admin_groups


def may_see_worklist(actor: Actor) -> bool:
    return actor.role in (TEACHER, DIRECTOR, AVG)


def may_decide_objection(actor: Actor, school_id: str) -> bool:
    """Decide a parent's objection: the school's director."""
    return actor.role == DIRECTOR and actor.school_id == school_id


def may_read_meldcode(actor: Actor, school_id: str) -> bool:
    """The Meldcode track: the school's director and the AVG coordinator only."""
    return actor.role == AVG or (actor.role == DIRECTOR and actor.school_id == school_id)


def may_write_meldcode(actor: Actor, school_id: str) -> bool:
    return actor.role == DIRECTOR and actor.school_id == school_id


# -- portal sync ----------------------------------------------------------------------------


def may_connect_portal(actor: Actor, school_id: str) -> bool:
    """Setting up a school's portal connector: its director or school admin, or the
    foundation's AVG coordinator."""
    return may_configure_school(actor, school_id)


def may_see_portal_actions(actor: Actor, school_id: str) -> bool:
    """The outbox of a school: its staff accounts and the AVG coordinator."""
    return actor.role == AVG or actor.school_id == school_id


def may_handle_portal_action(actor: Actor, school_id: str, group_id: str | None) -> bool:
    """Retrying a refused action as a new one, or marking it done by hand in the portal:
    the director of the school, or an administrator of the action's group."""
    return may_moderate_group(actor, group_id, school_id)
