"""Portal sync over http, against a real receiver on 127.0.0.1 (tests/helpers_portal.py)."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
import trustme
from helpers_deletion import AVG, DIRECTOR, HOSTILE, TEACHER3, add_post
from helpers_portal import KEY_ID, SECRET, PortalServer

from moderator.errors import ConnectorError, InputError, PermissionDenied, UsageError
from moderator.policy.access import Actor
from moderator.portal import signing
from moderator.services import portal_sync
from moderator.services.moderation import set_comments
from moderator.services.portal_sync import Backoff
from moderator.store import Store, audit, outbox

FAST = Backoff(base=0.1, cap=2.0, poll_base=0.05, poll_cap=1.0)
OPERATOR = Actor("system:test", "system", None, None, "operator")


@pytest.fixture
def server():
    srv = PortalServer(prefix="/api/v1").start()
    yield srv
    srv.stop()


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "portal.secret"
    path.write_bytes(SECRET + b"\n")
    return path


@pytest.fixture
def connected(school_store, server, secret_file):
    portal_sync.connect(school_store, DIRECTOR, "s1", http=server.url, key_id=KEY_ID,
                        secret_file=str(secret_file))
    return school_store


def comments(store, post_id: str, enabled: bool) -> outbox.Action:
    set_comments(store, TEACHER3, post_id, enabled)
    return outbox.list_actions(store, school_id="s1")[-1]


def push(store, **kw):
    kw.setdefault("backoff", FAST)
    return portal_sync.push(store, OPERATOR, "s1", **kw)


def test_delete_reaches_the_portal_signed_once(connected, server):
    from moderator.services.deletion import delete_item

    add_post(connected, "a1", "wat een kutschool")
    with connected.write():   # the deleting account, for the portal person id it names
        connected.execute("INSERT INTO accounts (username, person_id, role, school_id,"
                          " password_hash, created_at) VALUES ('juf', 't3', 'teacher', 's1',"
                          " 'x', '2026-01-01T00:00:00+01:00')")
    result = delete_item(connected, "post:a1", "abuse", TEACHER3)
    [action] = outbox.list_actions(connected, school_id="s1")
    assert action.kind == "remove_post" and action.target == {"post": "a1"}
    assert action.status == "pending" and action.incident == result.incident_number
    assert action.requested_by == "t3" and action.reason == "abuse"
    assert action.id.startswith("act-") and len(action.id) == 30

    [report] = push(connected)
    assert report.done == 1 and report.error is None
    [seen] = server.posts()
    assert seen.key == action.id
    assert seen.body == {"id": action.id, "seq": action.seq, "school": "s1",
                         "kind": "remove_post", "target": {"post": "a1"}, "reason": "abuse",
                         "incident": result.incident_number, "requested_by": "t3",
                         "requested_at": action.requested_at, "attempt": 1}
    done = outbox.get_action(connected, action.id)
    assert done.status == "done" and done.receipt["receipt"] == f"r-{action.id}"
    assert done.done_at == "2026-12-02T10:14:00+01:00"
    actions = [e.action for e in audit.entries(connected, subject=f"action:{action.id}")]
    assert actions == ["portal.action.done", "portal.action.pending"]
    # nothing left: a second push sends nothing
    push(connected)
    assert len(server.posts()) == 1


def test_5xx_is_retried_with_growing_delays_and_the_same_key(connected, server):
    server.plan = ["error", "error", "error"]
    action = comments(connected, "a1" if add_post(connected, "a1", "x") else "", False)
    [report] = push(connected, max_wait=10)
    posts = server.posts()
    assert [p.key for p in posts] == [action.id] * 4
    assert [p.answer for p in posts] == [500, 500, 500, 200]
    gaps = [b.at - a.at for a, b in zip(posts, posts[1:], strict=False)]
    assert gaps[0] >= 0.07 and gaps[1] > gaps[0] and gaps[2] > gaps[1]
    done = outbox.get_action(connected, action.id)
    assert done.status == "done" and done.attempts == 4 and done.last_error is None
    statuses = [e.action for e in audit.entries(connected, subject=f"action:{action.id}")]
    assert statuses == ["portal.action.done", "portal.action.failing", "portal.action.pending"]


def test_without_waiting_a_failure_stays_failing_for_the_next_push(connected, server):
    server.plan = ["error"]
    add_post(connected, "a1", "x")
    action = comments(connected, "a1", False)
    [report] = push(connected, backoff=Backoff(base=30))
    assert report.failing == 1
    failing = outbox.get_action(connected, action.id)
    assert failing.status == "failing" and failing.last_error == "HTTP 500"
    assert failing.next_attempt_at > time.time() + 20
    [status] = portal_sync.status(connected)
    assert [a.id for a in status.actions] == [action.id]


def test_a_repeated_id_gets_the_first_reply(connected, server, secret_file):
    from moderator.portal.http_api import HttpConnector, Key

    add_post(connected, "a1", "x")
    action = comments(connected, "a1", False)
    with HttpConnector(server.url, [Key(KEY_ID, SECRET)]) as http:
        first = http.post_action(action.payload())
        again = http.post_action(action.payload())
    assert first.kind == again.kind == "done"
    assert first.body == again.body


def test_422_is_refused_with_its_message_and_can_be_retried_or_done_by_hand(connected, server):
    server.plan = ["refuse"]
    server.refuse_message = "Bestaat niet " + HOSTILE[2] + HOSTILE[0]
    add_post(connected, "a1", "x")
    action = comments(connected, "a1", False)
    [report] = push(connected)
    assert report.refused == 1
    refused = outbox.get_action(connected, action.id)
    assert refused.status == "refused" and refused.needs_attention
    assert refused.last_error.startswith("Bestaat niet <U+001B>[2J")   # shown, made harmless
    [status] = portal_sync.status(connected)
    assert [a.id for a in status.actions] == [action.id]

    with pytest.raises(PermissionDenied):
        portal_sync.retry(connected, AVG, action.id)
    new = portal_sync.retry(connected, TEACHER3, action.id)
    assert new.id != action.id and new.seq > action.seq and new.replaces == action.id
    assert new.target == action.target and new.status == "pending"
    assert not outbox.get_action(connected, action.id).needs_attention
    push(connected)
    assert outbox.get_action(connected, new.id).status == "done"

    # another refusal, this time carried out by hand
    server.plan = ["refuse"]
    second = comments(connected, "a1", True)
    push(connected)
    with pytest.raises(UsageError):
        portal_sync.done_by_hand(connected, DIRECTOR, second.id, "  ")
    handled = portal_sync.done_by_hand(connected, DIRECTOR, second.id, "Juf Anouk, in het portaal")
    assert handled.status == "done" and handled.resolved_note == "Juf Anouk, in het portaal"
    [entry] = audit.entries(connected, subject=f"action:{second.id}", action="portal.action.done")
    assert entry.detail["by_hand"] is True and entry.actor == "directeur"


def test_401_leaves_actions_pending_and_shows_the_connection_error(connected, server):
    server.secrets = {KEY_ID: b"another secret the portal holds"}
    add_post(connected, "a1", "x")
    action = comments(connected, "a1", False)
    [report] = push(connected)
    assert report.error and "school s1" in report.error and "HTTP 401" in report.error
    still = outbox.get_action(connected, action.id)
    assert still.status == "pending" and still.attempts == 0
    connector = outbox.get_connector(connected, "s1")
    assert "weigert de koppeling" in connector.last_error
    assert server.rejected == ["bad signature"]
    assert audit.entries(connected, action="portal.connection.failing")
    # the secret is nowhere in the database (audit log included)
    connected.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert SECRET not in connected.path.read_bytes()
    # the portal fixed: the next push delivers and the error clears
    server.secrets = {KEY_ID: SECRET}
    push(connected)
    assert outbox.get_action(connected, action.id).status == "done"
    assert outbox.get_connector(connected, "s1").last_error is None


def test_the_server_refuses_a_wrong_key_an_old_timestamp_and_a_replay(server):
    body = b'{"id": "act-X"}'
    path = "/api/v1/actions"

    def send(headers):
        return httpx.post(server.url + "/actions", content=body,
                          headers={**headers, "Idempotency-Key": "act-X"}).status_code

    good = signing.headers(KEY_ID, SECRET, "POST", path, body, time.time())
    assert send(signing.headers(KEY_ID, b"wrong", "POST", path, body, time.time())) == 401
    assert send(signing.headers("k9", SECRET, "POST", path, body, time.time())) == 401
    assert send(signing.headers(KEY_ID, SECRET, "POST", path, body, time.time() - 301)) == 401
    assert send(good) == 200
    assert send(good) == 401          # the same signature again: a replay
    assert server.rejected == ["bad signature", "unknown key id 'k9'", "timestamp too far off",
                               "replay"]


def test_202_is_asked_after_until_done_and_404_sends_again(connected, server):
    server.default = "accepted"
    server.polls = 2
    add_post(connected, "a1", "x")
    action = comments(connected, "a1", False)
    push(connected, max_wait=10)
    done = outbox.get_action(connected, action.id)
    assert done.status == "done"
    gets = [s for s in server.seen if s.method == "GET"]
    assert len(gets) == 3 and all(g.key == action.id for g in gets)

    # the receiver forgets an accepted id: moderator POSTs it again (same id)
    server.forget_accepted = True
    server.plan = ["accepted", "done"]
    second = comments(connected, "a1", True)
    push(connected, max_wait=10)
    assert outbox.get_action(connected, second.id).status == "done"
    assert server.post_ids().count(second.id) == 2


def test_429_honours_retry_after(connected, server):
    server.plan = ["rate"]
    server.retry_after = "1"
    add_post(connected, "a1", "x")
    action = comments(connected, "a1", False)
    push(connected, max_wait=5)
    posts = server.posts()
    assert [p.answer for p in posts] == [429, 200]
    assert posts[1].at - posts[0].at >= 0.95
    assert outbox.get_action(connected, action.id).status == "done"


def test_a_slow_answer_and_no_answer_are_retried(connected, server):
    server.plan = ["hang", "slow"]
    server.hang_seconds = 1.5
    server.slow_seconds = 0.1
    add_post(connected, "a1", "x")
    action = comments(connected, "a1", False)
    [report] = push(connected, max_wait=0, timeout=0.5)
    failing = outbox.get_action(connected, action.id)
    assert failing.status == "failing" and "time-out" in failing.last_error
    time.sleep(0.3)
    push(connected, max_wait=5, timeout=1.0)
    assert outbox.get_action(connected, action.id).status == "done"


def test_a_push_without_waiting_returns_while_an_action_waits_behind_a_failing_one(
        connected, server):
    server.plan = ["error"]
    add_post(connected, "a1", "x")
    off = comments(connected, "a1", False)
    on = comments(connected, "a1", True)
    started = time.monotonic()
    push(connected, backoff=Backoff(base=30))
    assert time.monotonic() - started < 5
    assert outbox.get_action(connected, off.id).status == "failing"
    assert outbox.get_action(connected, on.id).status == "pending"
    assert server.post_ids() == [off.id]


def test_comments_off_then_on_arrive_in_order_even_when_the_first_needs_retries(
        connected, server):
    server.plan = ["error", "error"]
    add_post(connected, "a1", "x")
    off = comments(connected, "a1", False)
    on = comments(connected, "a1", True)
    assert on.seq > off.seq
    push(connected, max_wait=10)
    posts = server.posts()
    assert [(p.key, p.answer) for p in posts] == [(off.id, 500), (off.id, 500), (off.id, 200),
                                                  (on.id, 200)]
    assert [p.body["target"]["enabled"] for p in posts] == [False, False, False, True]


def test_two_pushers_at_once_send_each_action_once(connected, server, tmp_path):
    server.delay = 0.01
    add_post(connected, "a1", "x")
    for n in range(40):
        add_post(connected, f"b{n}", "x")
        set_comments(connected, TEACHER3, f"b{n}", False)
    ids = {a.id for a in outbox.list_actions(connected, school_id="s1")}
    reports = []

    def run():
        store = Store(connected.path, connected.archives)
        try:
            reports.extend(portal_sync.push(store, OPERATOR, "s1", backoff=FAST, max_wait=2))
        finally:
            store.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(server.post_ids()) == sorted(ids)
    assert {a.status for a in outbox.list_actions(connected, school_id="s1")} == {"done"}
    assert sum(r.done for r in reports) == 40


def test_https_with_a_test_ca(school_store, tmp_path, secret_file):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    server = PortalServer().start(tls=context)
    try:
        # without the CA the certificate is not trusted: the action fails and waits
        portal_sync.connect(school_store, DIRECTOR, "s1", http=server.url, key_id=KEY_ID,
                            secret_file=str(secret_file))
        add_post(school_store, "a1", "x")
        action = comments(school_store, "a1", False)
        push(school_store)
        failing = outbox.get_action(school_store, action.id)
        assert failing.status == "failing" and "verbinding mislukt" in failing.last_error
        assert server.posts() == []
        ca_file = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        portal_sync.connect(school_store, DIRECTOR, "s1", http=server.url, key_id=KEY_ID,
                            secret_file=str(secret_file), ca_file=str(ca_file))
        time.sleep(0.15)
        push(school_store, max_wait=3)
        assert outbox.get_action(school_store, action.id).status == "done"
        assert server.post_ids() == [action.id]
    finally:
        server.stop()


def test_connect_rules(school_store, secret_file, monkeypatch):
    with pytest.raises(PermissionDenied):
        portal_sync.connect(school_store, TEACHER3, "s1", folder="/tmp/x")
    with pytest.raises(UsageError, match="alleen naar dit apparaat"):
        portal_sync.connect(school_store, DIRECTOR, "s1", http="http://portal.example.nl",
                            key_id=KEY_ID, secret_file=str(secret_file))
    with pytest.raises(ConnectorError, match="school s1.*niet te lezen"):
        portal_sync.connect(school_store, DIRECTOR, "s1", http="https://portal.example.nl",
                            key_id=KEY_ID, secret_file=str(secret_file) + ".missing")
    with pytest.raises(ConnectorError, match="school s1.*PORTAL_SECRET_S1 is niet gezet"):
        portal_sync.connect(school_store, AVG, "s1", http="https://portal.example.nl",
                            key_id=KEY_ID, secret_env="PORTAL_SECRET_S1")
    monkeypatch.setenv("PORTAL_SECRET_S1", SECRET.decode())
    connector = portal_sync.connect(school_store, AVG, "s1", http="https://portal.example.nl",
                                    key_id=KEY_ID, secret_env="PORTAL_SECRET_S1")
    assert connector.keys[0].secret_env == "PORTAL_SECRET_S1"
    [entry] = audit.entries(school_store, action="portal.connect")
    assert SECRET.decode() not in json.dumps(entry.detail)
    # the variable is read at use: gone, and push names the school
    monkeypatch.delenv("PORTAL_SECRET_S1")
    add_post(school_store, "a1", "x")
    action = comments(school_store, "a1", False)
    [report] = push(school_store)
    assert outbox.get_action(school_store, action.id).status == "pending"
    assert "school s1" in report.error and "PORTAL_SECRET_S1" in report.error


def test_a_second_key_while_the_secret_is_replaced(connected, server, tmp_path):
    new_secret = tmp_path / "new.secret"
    new_secret.write_bytes(b"the-new-secret")
    portal_sync.connect(connected, DIRECTOR, "s1", add_key=True, key_id="k2",
                        secret_file=str(new_secret))
    assert [k.key_id for k in outbox.get_connector(connected, "s1").keys] == ["k2", "k1"]
    add_post(connected, "a1", "x")
    first = comments(connected, "a1", False)
    push(connected)      # the receiver knows only k1 yet: k2 is refused, k1 signs
    assert outbox.get_action(connected, first.id).status == "done"
    server.secrets = {"k2": b"the-new-secret"}
    second = comments(connected, "a1", True)
    push(connected)
    assert outbox.get_action(connected, second.id).status == "done"
    assert [s.key_id for s in server.seen if s.answer == 401] == ["k2"]


def _page(*records) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def test_pull_imports_pages_and_stores_the_cursor_after_commit(connected, server):
    post = {"type": "post", "id": "n1", "group": "g3", "author": "p1",
            "created_at": "2026-11-24T10:00:00+01:00", "body": "Nieuw bericht"}
    comment = {"type": "comment", "id": "nc1", "post": "n1", "author": "p2",
               "created_at": "2026-11-24T11:00:00+01:00", "body": "Leuk"}
    server.pages = {None: (_page(post), "c1"), "c1": (_page(comment), "c2"), "c2": (b"", "c2")}
    [report] = portal_sync.pull(connected, OPERATOR, "s1")
    assert report.batches == 2 and report.added == 2 and report.cursor == "c2"
    assert outbox.get_connector(connected, "s1").cursor == "c2"
    assert connected.scalar("SELECT body FROM comments WHERE id = 'nc1'") == "Leuk"

    # a malformed page: refused whole, naming the request and line; nothing changes
    bad = dict(post, id="n2")
    server.pages["c2"] = (_page(bad) + b'{"type": "post", "id": \n', "c3")
    with pytest.raises(InputError) as error:
        portal_sync.pull(connected, OPERATOR, "s1")
    assert "/export?since=c2:2:" in str(error.value)
    assert connected.scalar("SELECT COUNT(*) FROM posts WHERE id = 'n2'") == 0
    assert outbox.get_connector(connected, "s1").cursor == "c2"
