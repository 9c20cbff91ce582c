"""The demo's words agree with its data: a report about a photo does not call the pupil a
son or a daughter (the pupils in the demo's photos are boys and girls)."""

from __future__ import annotations

import re

from moderator.demo import ensure_demo
from moderator.store import Store


def test_photo_reports_do_not_give_the_pupil_a_gender(tmp_path):
    store = Store(tmp_path / "moderator.db", tmp_path / "archives")
    try:
        assert ensure_demo(store) is True
        notes = [r["note"] for r in store.rows(
            "SELECT note FROM flags WHERE reason IN ('photo_consent', 'objection')"
            " AND source = 'report'")]
    finally:
        store.close()
    assert notes
    gendered = [n for n in notes if re.search(r"\b(zoon|dochter|hij|hem|zij|ze|haar)\b", n or "")]
    assert gendered == []
