"""Shared by the dossier tests: accounts for the small school, and a simulated deletion
(an incident opened or extended, a hard-copy PDF in the archive, its row and the
'deletion' timeline entry), as moderator/services/deletion.py records them."""

from __future__ import annotations

import hashlib
import io
import json

from argon2 import PasswordHasher
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from moderator import clock
from moderator.policy.access import AVG, Actor
from moderator.store import audit
from moderator.store.accounts import actor_for
from moderator.store.incidents import open_or_extend_incident

PASSWORD = "geheim1"
HOSTILE = [
    "[bold red]x[/]", "[@click=app.quit]x[/]", "\x1b[2J\x1b]0;pwned\x07", "\u202e",
    '<img src="/etc/passwd"/>', "</para>", "<font size=300>",
]


_HASH: list[str] = []


def add_staff(store) -> dict[str, Actor]:
    """Accounts: anouk (teacher g3), bram (teacher g5), carla (director), avg.
    The password hash is computed once per run (argon2 is slow by design)."""
    if not _HASH:
        _HASH.append(PasswordHasher().hash(PASSWORD))
    with store.write():
        for username, person, role, school in (
                ("anouk", "t3", "teacher", "s1"), ("bram", "t5", "teacher", "s1"),
                ("carla", "d1", "director", "s1"), ("avg", None, AVG, None)):
            store.execute(
                "INSERT INTO accounts (username, person_id, role, school_id, password_hash,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (username, person, role, school, _HASH[0], clock.now_iso()))
    return {name: actor_for(store, name) for name in ("anouk", "bram", "carla", "avg")}


def small_pdf(body: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.drawString(72, 770, "Hard copy")
    pdf.drawString(72, 750, body)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def simulate_deletion(store, *, item="comment:c1", person_id="p1", group_id="g3",
                      actor="anouk", body="Ik weet waar je woont.", reason="threat") -> dict:
    """What the deletion service records: incident, hard copy (file + row), entry."""
    with store.write():
        ref = open_or_extend_incident(store, school_id="s1", group_id=group_id,
                                      person_id=person_id, actor=actor)
        data = small_pdf(body)
        n = store.scalar("SELECT COUNT(*) FROM hardcopies") + 1
        rel = f"s1/2026/{ref.number}/hardcopy-{n}.pdf"
        path = store.archives / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(0o444)
        digest = hashlib.sha256(data).hexdigest()
        now = clock.now_iso()
        cursor = store.execute(
            "INSERT INTO hardcopies (incident_id, item, path, size, sha256, item_sha256, reason,"
            " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ref.id, item, rel, len(data), digest, hashlib.sha256(body.encode()).hexdigest(),
             reason, actor, now))
        store.execute(
            "INSERT INTO incident_events (incident_id, kind, at, recorded_at, author, text, detail)"
            " VALUES (?, 'deletion', ?, ?, ?, ?, ?)",
            (ref.id, now, now, actor, f"{item} verwijderd", json.dumps({"hardcopy": cursor.lastrowid})))
        audit.append(store, actor, "item.delete", item, {"incident": ref.number}, "s1")
    return {"incident": ref, "path": path, "sha256": digest, "bytes": data, "rel": rel}
