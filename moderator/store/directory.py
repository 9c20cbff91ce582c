"""Names for the ids the logs hold: accounts, people, groups, schools, posts and comments.

Display only: the audit log keeps its codes and ids (it is hash-chained); the service
that shows it asks this module what each id is called.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from moderator.store.db import Store


@dataclass(frozen=True)
class AccountName:
    username: str
    role: str                 # the account role: teacher, director, school_admin, avg
    name: str | None          # the person's name, when the account belongs to a person
    person_role: str | None


@dataclass(frozen=True)
class PersonName:
    id: str
    name: str
    role: str                 # the portal role: parent, teacher, ...


@dataclass(frozen=True)
class ItemName:
    ref: str                  # post:ID or comment:ID
    title: str | None         # a post's title (a comment's post's title)
    author_id: str | None


@dataclass(frozen=True)
class Directory:
    accounts: dict[str, AccountName] = field(default_factory=dict)
    people: dict[str, PersonName] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    schools: dict[str, str] = field(default_factory=dict)
    items: dict[str, ItemName] = field(default_factory=dict)


def _chunks(keys: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted({k for k in keys if k})
    for start in range(0, len(ordered), 500):
        yield ordered[start:start + 500]


def lookup(store: Store, *, accounts: Iterable[str] = (), people: Iterable[str] = (),
           groups: Iterable[str] = (), schools: Iterable[str] = (),
           items: Iterable[str] = ()) -> Directory:
    """What each id is called; ids that are not found are left out (callers fall back)."""
    found = Directory()
    for chunk in _chunks(accounts):
        marks = ",".join("?" * len(chunk))
        for r in store.rows(
                f"SELECT a.username, a.role, p.name, p.role AS person_role FROM accounts a"
                f" LEFT JOIN people p ON p.id = a.person_id WHERE a.username IN ({marks})", chunk):
            found.accounts[r["username"]] = AccountName(r["username"], r["role"], r["name"],
                                                        r["person_role"])
    item_authors: set[str] = set()
    posts = {ref.partition(":")[2] for ref in items if ref.startswith("post:")}
    comments = {ref.partition(":")[2] for ref in items if ref.startswith("comment:")}
    for chunk in _chunks(posts):
        marks = ",".join("?" * len(chunk))
        for r in store.rows(f"SELECT id, title, author_id FROM posts WHERE id IN ({marks})", chunk):
            found.items[f"post:{r['id']}"] = ItemName(f"post:{r['id']}", r["title"], r["author_id"])
            item_authors.add(r["author_id"])
    for chunk in _chunks(comments):
        marks = ",".join("?" * len(chunk))
        for r in store.rows(
                f"SELECT c.id, p.title, c.author_id FROM comments c JOIN posts p"
                f" ON p.id = c.post_id WHERE c.id IN ({marks})", chunk):
            found.items[f"comment:{r['id']}"] = ItemName(f"comment:{r['id']}", r["title"],
                                                         r["author_id"])
            item_authors.add(r["author_id"])
    for chunk in _chunks(set(people) | item_authors):
        marks = ",".join("?" * len(chunk))
        for r in store.rows(f"SELECT id, name, role FROM people WHERE id IN ({marks})", chunk):
            found.people[r["id"]] = PersonName(r["id"], r["name"], r["role"])
    for chunk in _chunks(groups):
        marks = ",".join("?" * len(chunk))
        for r in store.rows(f"SELECT id, name FROM groups WHERE id IN ({marks})", chunk):
            found.groups[r["id"]] = r["name"]
    for chunk in _chunks(schools):
        marks = ",".join("?" * len(chunk))
        for r in store.rows(f"SELECT id, name FROM schools WHERE id IN ({marks})", chunk):
            found.schools[r["id"]] = r["name"]
    return found


@dataclass(frozen=True)
class ThirdParty:
    name: str
    role: str                 # portal role, or 'pupil'


def third_parties(store: Store, person_id: str) -> list[ThirdParty]:
    """Parents, external users and pupils of the subject's school who are neither the
    subject nor one of the subject's children: the people an export must not disclose
    (AVG art. 15(4)). Staff are left out: they act for the school."""
    school = store.row("SELECT school_id FROM people WHERE id = ?", (person_id,))
    if school is None:
        return []
    people = [ThirdParty(r["name"], r["role"]) for r in store.rows(
        "SELECT name, role FROM people WHERE school_id = ? AND id != ?"
        " AND role IN ('parent', 'external', 'mr_member')", (school["school_id"], person_id))]
    pupils = [ThirdParty(r["name"], "pupil") for r in store.rows(
        "SELECT u.name FROM pupils u WHERE u.school_id = ?"
        " AND u.id NOT IN (SELECT pupil_id FROM guardians WHERE person_id = ?)",
        (school["school_id"], person_id))]
    return people + pupils
