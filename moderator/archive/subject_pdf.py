"""The subject access report as a readable Dutch PDF (AVG art. 15).

Everything from the person is untrusted portal text: it goes through
:mod:`moderator.archive.pdfkit` (``para``/``para_lines``/``field_table``), which escapes
it and shows glyphs the font lacks as ``<U+XXXX>``. Our own labels are fixed Dutch text.
"""

from __future__ import annotations

import io
import json
from typing import Any

from reportlab.platypus import Flowable, PageBreak

from moderator import clock, labels
from moderator.archive import pdfkit
from moderator.archive.pdfkit import field_table, para, para_lines, spacer, trusted
from moderator.policy.catalogue import REASONS

ROLE_NL = {**labels.ROLES, "parent": "ouder/verzorger"}
FLAG_SOURCE_NL = {"report": "melding", "rule": "automatische controle"}
STATUS_NL = labels.STATUSES
EVENT_NL = {"deletion": "verwijdering", "consultation": "overleg leerkracht-directie",
            "parent_conversation": "gesprek met ouder", "measure": "maatregel",
            "escalation": "escalatie", "note": "notitie", "correction": "correctie",
            "closure": "afsluiting", "legal_hold": "bewaarplicht"}
ACCESS_NL = labels.ACCESS_ACTIONS


def _t(value: Any) -> str:
    """A stored moment in Dutch local time ('25-11-2026 14:30'); a bare date as a date."""
    if not value:
        return "—"
    value = str(value)
    if len(value) == 10:
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    return clock.display(value)


def _deleted_text(record: dict) -> str:
    """What to say where the text of a deleted item is no longer in the database."""
    copies = record.get("hardcopies") or []
    if not copies:
        return "(verwijderd; de tekst is niet meer aanwezig)"
    hc = copies[-1]
    return f"(verwijderd; tekst staat in hard copy {hc['path']}, SHA-256 {hc['sha256']})"


def _reason(code: str) -> str:
    found = REASONS.get(code)
    return found.label if found else code


def _s(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _revisions(revisions: list[dict], gone: str = "(tekst niet meer aanwezig)") -> list[Flowable]:
    story: list[Flowable] = []
    for rev in revisions:
        story.append(trusted(f"Versie {int(rev['rev'])}", "label"))
        story.append(para(f"vastgelegd {_t(rev['recorded_at'])}", "muted"))
        if rev.get("title"):
            story.append(para(rev["title"], "h3"))
        story += para_lines(rev.get("body"), empty=gone)
    return story


def _section(title: str, rows: list, empty: str) -> list[Flowable]:
    story: list[Flowable] = [trusted(f"{title} ({len(rows)})", "h2")]
    if not rows:
        story.append(trusted(f"<i>{empty}</i>", "muted"))
    return story


def render_subject_pdf(report) -> bytes:
    """``report``: a :class:`moderator.store.subject_access.SubjectReport`."""
    data = report.data
    person = data["person"]
    buffer = io.BytesIO()
    doc = pdfkit.new_document(
        buffer, title=f"Inzageverzoek {report.person_id}",
        subject="Overzicht van opgeslagen persoonsgegevens (AVG artikel 15)",
        keywords=["inzage", "AVG", report.person_id])
    story: list[Flowable] = [
        trusted("Inzage in persoonsgegevens", "title"),
        trusted("Overzicht van alles wat de moderatieconsole over deze persoon bewaart "
                "(AVG, artikel 15).", "muted"),
        spacer(),
        field_table([
            ("Naam", person["name"]), ("Kenmerk", person["id"]),
            ("Rol in het portaal", ROLE_NL.get(person["role"], person["role"])),
            ("School", person.get("school_name") or person["school_id"]),
            ("E-mail", _s(person.get("email"))),
            ("Opgesteld op", _t(report.generated_at)), ("Opgesteld door", report.generated_by),
        ]),
    ]

    story += _section("Accounts in de moderatieconsole", data["accounts"], "Geen account.")
    for acc in data["accounts"]:
        story.append(para(f"{acc['username']} — {labels.role(acc['role'])}, aangemaakt {_t(acc['created_at'])}"
                          + (" (uitgeschakeld)" if acc["disabled"] else "")))

    story += _section("Kinderen en toestemmingen", data["children"], "Geen kinderen geregistreerd.")
    for child in data["children"]:
        story.append(para(f"{child['name']} ({child['group_name']})", "h3"))
        for c in child["consents"]:
            story.append(para(
                f"Schooljaar {c['school_year']}: foto's {'ja' if c['portal_photo'] else 'nee'}, "
                f"naam {'ja' if c['portal_name'] else 'nee'}, website "
                f"{'ja' if c['website'] else 'nee'}, getekend {_t(c['signed_on'])}", "small"))

    story += _section("Groepen", data["groups"], "Geen groepen.")
    for g in data["groups"]:
        story.append(para(f"{g['name']} ({'beheerder' if g['as_role'] == 'admin' else 'lid'})"))

    story += _section("Berichten", data["posts"], "Geen berichten.")
    for post in data["posts"]:
        story.append(para(f"Bericht {post['id']} in {post['group_name']}, {_t(post['created_at'])}",
                          "h3"))
        if post.get("deleted_at"):
            story.append(para(f"verwijderd op {_t(post['deleted_at'])} door {_s(post['deleted_by'])}",
                              "muted"))
        gone = _deleted_text(post) if post.get("deleted_at") else "(tekst niet meer aanwezig)"
        story += _revisions(post["revisions"], gone) or para_lines(post.get("body"), empty=gone)
        for m in post["media"]:
            story.append(para(f"{'foto' if m['kind'] == 'photo' else 'video'}: {m['file']}", "small"))

    story += _section("Reacties", data["comments"], "Geen reacties.")
    for comment in data["comments"]:
        story.append(para(f"Reactie {comment['id']} op bericht {comment['post_id']},"
                          f" {_t(comment['created_at'])}", "h3"))
        if comment.get("deleted_at"):
            story.append(para(f"verwijderd op {_t(comment['deleted_at'])}", "muted"))
        gone = _deleted_text(comment) if comment.get("deleted_at") else "(tekst niet meer aanwezig)"
        story += _revisions(comment["revisions"], gone) or para_lines(comment.get("body"),
                                                                      empty=gone)

    for key, title in (("flags_reported", "Meldingen door deze persoon gedaan"),
                       ("flags_about", "Meldingen over berichten van deze persoon")):
        story += _section(title, data[key], "Geen.")
        for f in data[key]:
            story.append(para(
                f"{_t(f['created_at'])} — {f['item']} — {_reason(f['reason'])} "
                f"({FLAG_SOURCE_NL.get(f['source'], f['source'])}, "
                f"{labels.flag_status(f['status'])})", "small"))
            if f.get("note"):
                story += para_lines(f["note"])

    story += _section("Dossiers (incidenten) over deze persoon", data["incidents"], "Geen dossiers.")
    for inc in data["incidents"]:
        story.append(para(f"{inc['number']} — {STATUS_NL.get(inc['status'], inc['status'])}", "h3"))
        story.append(field_table([
            ("Geopend", f"{_t(inc['opened_at'])} door {inc['opened_by']}"),
            ("Gesloten", _t(inc["closed_at"])), ("Uitkomst", _s(inc["outcome"])),
            ("Bewaren tot", _t(inc["retention_until"])[:10]),
            ("Bewaarplicht", _s(inc["legal_hold_reason"]) if inc["legal_hold"] else "nee"),
        ]))
        for e in inc["events"]:
            story.append(para(f"{_t(e['at'])} — {EVENT_NL.get(e['kind'], e['kind'])} — {e['author']}",
                              "label"))
            if e.get("participants"):
                story.append(para("Aanwezig: " + ", ".join(map(str, e["participants"])), "small"))
            if e.get("text"):
                story += para_lines(e["text"])
        for h in inc["hardcopies"]:
            story.append(para(f"Hard copy {h['path']} ({_reason(h['reason'])}, {_t(h['created_at'])}),"
                              f" SHA-256 {h['sha256']}", "mono"))

    story += _section("Vermeld in andere dossiers", data["events_named"], "Nergens vermeld.")
    for e in data["events_named"]:
        story.append(para(f"{e['incident']} — {_t(e['at'])} — {EVENT_NL.get(e['kind'], e['kind'])}",
                          "label"))
        story += para_lines(e.get("text"))

    letters = data.get("letters", [])
    story += _section("Brieven aan deze persoon", letters, "Geen brieven.")
    for letter in letters:
        story.append(para(f"{letter['number']} — {_t(letter['created_at'])} — "
                          f"{labels.letter_status(letter['status'])}"
                          + (f" ({_t(letter['sent_at'])})" if letter.get("sent_at") else ""),
                          "label"))
        story.append(para(f"Onderwerp: {letter['subject']}", "small"))
        story += para_lines(letter.get("body"))
        story.append(para(f"Pdf {letter['pdf_path']}, SHA-256 {letter['sha256']}", "mono"))

    story.append(PageBreak())
    story += _section("Wie heeft deze gegevens ingezien (toegangslog)", data["access_log"], "Niemand.")
    for line in data["access_log"]:
        story.append(para(f"{_t(line['at'])} — {line['actor']} — "
                          f"{ACCESS_NL.get(line['action'], line['action'])}", "small"))
    story += _section("Vermeldingen in het auditlogboek", data["audit_entries"], "Geen.")
    for entry in data["audit_entries"]:
        story.append(para(f"#{entry['seq']} {_t(entry['at'])} — {entry['actor']} — "
                          f"{labels.audit_action(entry['action'])}"
                          f" — {entry['subject']}", "small"))

    withheld = data.get("withheld") or []
    if withheld:
        story += _section("Weggelaten gegevens van anderen (AVG artikel 15, lid 4)", withheld,
                          "Niets weggelaten.")
        for w in withheld:
            story.append(para(f"{w['section']} — {w['why']} — grond: {w['ground']}", "small"))

    return pdfkit.build(doc, story, pdfkit.footer(f"Inzageverzoek {report.person_id}"),
                        what="subject access report")
