"""Search in the queue: text, titles and authors' names, parts of compounds, hostile input;
the index is kept up to date and the migration fills it for rows already queued."""

from __future__ import annotations

import pytest
from helpers_console import actor, build

from moderator.services.queue import count_queue, list_queue
from moderator.store.flags import add_flag
from moderator.store.queue import QueueFilter
from moderator.store.schema import V_SEARCH_TRIGRAM


@pytest.fixture
def store(fresh_store):
    s = build(fresh_store, accounts="fast")
    with s.write():
        s.execute("INSERT INTO posts (id, group_id, author_id, created_at, title, body) VALUES"
                  " ('P7', 'g3', 'p2', '2026-11-24T12:00:00+01:00', 'Kinderfiets te koop',"
                  " 'Rood, 16 inch, 25 euro.')")
        add_flag(s, "post:P7", "rule", "commercial")
    return s


def found(store, search: str) -> list[str]:
    carla = actor(store, "carla")
    items = sorted(e.item for e in list_queue(store, carla, QueueFilter(search=search)))
    assert count_queue(store, carla, QueueFilter(search=search)) == len(items)
    return items


@pytest.mark.parametrize(("search", "expected"), [
    ("fiets", ["post:P3", "post:P7"]),              # a word and part of a compound
    ("FIETS", ["post:P3", "post:P7"]),
    ("kinderfiets", ["post:P7"]),
    ("Eva", ["post:P3", "post:P4", "post:P7"]),     # the author's name
    ("Ouder Dirk", ["comment:C1", "post:P1", "post:P5"]),
    ("dirk klappen", ["post:P1"]),                  # name and text together
    ("reisje", ["post:P1"]),                        # part of the title 'Schoolreisje'
    ("te koop", ["post:P3", "post:P7"]),            # a short word as a word prefix
    ("fiets zwembad", []),
])
def test_search_finds_text_titles_names_and_parts_of_words(store, search, expected):
    assert found(store, search) == expected


@pytest.mark.parametrize("search", ['"', '"fiets', "fiets*", "NOT fiets", "fiets OR",
                                    "(fiets", "^fi", "a:b"])
def test_search_syntax_typed_by_the_user_is_matched_literally(store, search):
    found(store, search)          # no error; FTS syntax is not interpreted


def test_the_index_follows_dismissals_and_deletions(store):
    from moderator.services import moderation

    moderation.dismiss(store, actor(store, "carla"), "post:P7", "Mag blijven")
    assert found(store, "kinderfiets") == []
    assert store.scalar("SELECT count(*) FROM queue_trigram") == \
        store.scalar("SELECT count(*) FROM queue_items")


def test_the_migration_fills_the_index_for_rows_already_queued(store):
    with store.write():
        store.execute("DELETE FROM queue_trigram")
    assert found(store, "kinderfiets") == []
    fill = V_SEARCH_TRIGRAM.split(";", 1)[1]           # the INSERT after the CREATE
    with store.write():
        store.execute(fill.strip().rstrip(";"))
    assert found(store, "kinderfiets") == ["post:P7"]
    assert found(store, "Eva") == ["post:P3", "post:P4", "post:P7"]
