"""A dossier about a staff member's own message is a staff dossier: the director's,
closed without a talk with a parent, invisible to the group's teachers."""

from __future__ import annotations

import pytest

from moderator.errors import PermissionDenied
from moderator.services.dossier import close_incident, get_incident, list_incidents
from moderator.services.worklist import worklist
from tests.helpers_dossier import add_staff, simulate_deletion


@pytest.fixture
def world(school_store):
    staff = add_staff(school_store)
    # the director removes a photo the teacher of Groep 3 posted without consent
    staff_case = simulate_deletion(school_store, item="post:own", person_id="t3",
                                   actor="carla", reason="photo_consent")
    parent_case = simulate_deletion(school_store, item="comment:c9", person_id="p1")
    return school_store, staff, staff_case["incident"].number, parent_case["incident"].number


def test_a_teachers_own_message_opens_a_staff_dossier(world):
    store, staff, staff_number, parent_number = world
    carla = staff["carla"]
    assert get_incident(store, carla, staff_number, log_view=False).incident.kind == "staff"
    assert get_incident(store, carla, parent_number, log_view=False).incident.kind == "parent"
    # the teachers of the group do not see a colleague's (or their own) staff dossier
    assert [s.number for s in list_incidents(store, staff["anouk"])] == [parent_number]
    with pytest.raises(PermissionDenied):
        get_incident(store, staff["anouk"], staff_number)
    assert staff_number in [i.subject for s in worklist(store, carla).sections
                            if s.key == "new" for i in s.items]


def test_a_staff_dossier_closes_without_a_talk_with_a_parent(world):
    store, staff, staff_number, parent_number = world
    closed = close_incident(store, staff["carla"], staff_number, "Besproken met de leerkracht.")
    assert closed.status == "closed"
    with pytest.raises(Exception, match="gesprek met de ouder"):
        close_incident(store, staff["carla"], parent_number, "Afgerond.")
