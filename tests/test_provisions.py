"""School provisions: a director proposes, the AVG coordinator approves or rejects."""

from __future__ import annotations

import pytest

from moderator.errors import Conflict, PermissionDenied, UsageError
from moderator.services import provisions
from moderator.store import audit
from tests.helpers_avg import AVG, DIRECTOR, OTHER_DIRECTOR, TEACHER, add_second_school


def test_a_proposal_applies_only_after_the_avg_coordinator_approves(school_store):
    s = school_store
    p = provisions.propose(s, DIRECTOR, "words",
                           {"reason": "abuse", "words": ["Sukkel", "sukkel", " oen "]})
    assert p.status == "proposed" and p.detail == {"reason": "abuse", "words": ["sukkel", "oen"]}
    assert provisions.approved_provisions(s, "s1") == []
    assert s.scalar("SELECT COUNT(*) FROM provisions WHERE status = 'approved'") == 0
    decided = provisions.approve(s, AVG, p.id, "past bij de school")
    assert decided.status == "approved" and decided.decided_by == "avg"
    assert [a.id for a in provisions.approved_provisions(s, "s1", "words")] == [p.id]
    actions = [e.action for e in audit.entries(s, subject=f"provision:{p.id}")]
    assert actions == ["provision.approve", "provision.propose"]
    with pytest.raises(Conflict):
        provisions.reject(s, AVG, p.id, "toch niet")


def test_rejection_needs_a_note_and_never_applies(school_store):
    s = school_store
    p = provisions.propose(s, DIRECTOR, "frequency", {"max_per_day": 2, "min_per_week": 1})
    with pytest.raises(UsageError):
        provisions.reject(s, AVG, p.id, "")
    rejected = provisions.reject(s, AVG, p.id, "twee per dag is te veel")
    assert rejected.status == "rejected" and rejected.decision_note == "twee per dag is te veel"
    assert provisions.approved_provisions(s, "s1") == []


@pytest.mark.parametrize("kind, detail", [
    ("words", {"reason": "nonsense", "words": ["x"]}),
    ("words", {"reason": "abuse", "words": []}),
    ("words", {"reason": "abuse", "words": [3]}),
    ("frequency", {"max_per_day": 0, "min_per_week": 1}),
    ("frequency", {"max_per_day": 1, "min_per_week": 8}),
    ("frequency", {"max_per_day": "1", "min_per_week": 1}),
    ("identity", {"allow": ["threat"]}),
    ("colour", {}),
    ("words", ["not", "an", "object"]),
])
def test_malformed_proposals_are_refused(school_store, kind, detail):
    with pytest.raises(UsageError):
        provisions.propose(school_store, DIRECTOR, kind, detail)
    assert school_store.scalar("SELECT COUNT(*) FROM provisions") == 0


def test_roles(school_store):
    s = school_store
    add_second_school(s)
    with pytest.raises(PermissionDenied):
        provisions.propose(s, TEACHER, "identity", {"allow": ["political_religious"]})
    with pytest.raises(PermissionDenied):
        provisions.propose(s, AVG, "identity", {"allow": ["political_religious"]})
    with pytest.raises(PermissionDenied):
        provisions.propose(s, DIRECTOR, "identity", {"allow": ["political_religious"]},
                           school_id="s2")
    p = provisions.propose(s, DIRECTOR, "identity", {"allow": ["political_religious"]})
    with pytest.raises(PermissionDenied):
        provisions.approve(s, DIRECTOR, p.id)
    with pytest.raises(PermissionDenied):
        provisions.list_provisions(s, TEACHER)
    assert provisions.list_provisions(s, OTHER_DIRECTOR) == []
    assert [x.id for x in provisions.list_provisions(s, DIRECTOR)] == [p.id]
    assert [x.id for x in provisions.list_provisions(s, AVG, status="proposed")] == [p.id]
