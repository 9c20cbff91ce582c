"""The group checks report: posting frequency per group and staff messages outside
working hours (:mod:`moderator.policy.groupchecks`), over the traffic in the store.

The report names staff and their posting times, so it is scoped
(:func:`moderator.policy.access.may_read_group_report`): a director sees her own school,
a teacher the groups she administers, the AVG coordinator any or every school
(read-only; the read goes to the access log). Other roles are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from moderator import clock
from moderator.errors import PermissionDenied
from moderator.policy import access, groupchecks
from moderator.policy.access import Actor
from moderator.policy.groupchecks import GroupFinding
from moderator.store import group_traffic, holidays, logs, provisions
from moderator.store.db import Store


def frequency_findings(store: Store, school_id: str | None = None, *,
                       since: date | None = None, until: date | None = None,
                       holidays: Sequence[tuple[date, date]] | None = None
                       ) -> list[GroupFinding]:
    """The group's own communication only: live posts by staff, in class and school
    groups (the community group is the parents' own space). Busy days count up to and
    including today; quiet weeks are whole weeks; holiday weeks are skipped."""
    day_end = until if until is not None else clock.now().date() + timedelta(days=1)
    since, until = groupchecks.period(since, until)
    groups = group_traffic.groups(store, school_id, except_kinds=("community",))
    limits = {
        school: groupchecks.limits(
            p.detail for p in provisions.approved_provisions(store, school, "frequency"))
        for school in {g.school_id for g in groups}
    }
    traffic = group_traffic.posts_per_day(store, school_id,
                                          author_roles=groupchecks.STAFF_ROLES)
    schools = {g.school_id for g in groups}
    calendar = ({school: holidays for school in schools} if holidays is not None
                else _holidays(store, schools))
    return groupchecks.frequency_findings(groups, traffic, limits, since, until,
                                          day_end=day_end, holidays=calendar)


def _holidays(store: Store, schools: set[str]) -> dict[str, list[tuple[date, date]]]:
    """Each school's holidays (the export's ``holiday`` records) as (first, last day)."""
    return {school: [(h.start, h.end) for h in holidays.holidays_for(store, school)]
            for school in schools}


def off_hours_findings(store: Store, school_id: str | None = None, *,
                       since: date | None = None, until: date | None = None
                       ) -> list[GroupFinding]:
    since, until = groupchecks.off_hours_period(since, until)
    return groupchecks.off_hours_findings(
        group_traffic.staff_messages_off_hours(store, groupchecks.STAFF_ROLES, since, until,
                                               school_id))


def group_report(store: Store, school_id: str | None = None, *, since: date | None = None,
                 until: date | None = None) -> list[GroupFinding]:
    """Every group-level finding (frequency and off-hours), per school and group; not
    scoped (the operator's view, and the basis of :func:`report_for`)."""
    found = frequency_findings(store, school_id, since=since, until=until)
    found += off_hours_findings(store, school_id, since=since, until=until)
    return groupchecks.report_order(found)


def report_for(store: Store, actor: Actor, school_id: str | None = None, *,
               since: date | None = None, until: date | None = None) -> list[GroupFinding]:
    """The group report as this account may see it."""
    if not access.may_read_group_report(actor, school_id):
        if access.may_read_group_report(actor, None):
            raise PermissionDenied("je ziet alleen het groepsrapport van je eigen school")
        raise PermissionDenied("alleen directie, leerkrachten en de AVG-coördinator zien het"
                               " groepsrapport")
    if actor.is_avg:
        found = group_report(store, school_id, since=since, until=until)
        logs.log_access(store, actor, "group_report", detail={"school": school_id})
        return found
    found = group_report(store, actor.school_id, since=since, until=until)
    visible = set(access.groups_in(actor, {f.group_id for f in found}))
    return [f for f in found if f.group_id in visible]
