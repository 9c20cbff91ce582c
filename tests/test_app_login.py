"""Logging in to the console: good and wrong passwords, lockout, where each role lands."""

from __future__ import annotations

import json

import pytest
from helpers_console import PASSWORD, build

from moderator.app import ModeratorApp
from moderator.screens.login import LoginScreen
from moderator.screens.notice import NoticeScreen
from moderator.screens.queue import QueueScreen
from moderator.services.accounts import LOGIN_FAILED


@pytest.fixture
def store(fresh_store):
    return build(fresh_store)


async def login(pilot, username: str, password: str) -> None:
    await pilot.pause()
    await pilot.click("#username")
    await pilot.press(*username, "enter")
    await pilot.press(*password, "enter")
    await pilot.pause()


def error_text(app) -> str:
    return str(app.screen.query_one("#login-error").render())


async def test_teacher_logs_in_to_their_queue(store):
    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "anouk", PASSWORD)
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.table.row_count == 3
        assert app.actor.username == "anouk"


async def test_wrong_password_stays_on_login_with_dutch_message(store):
    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "anouk", "fout")
        assert isinstance(app.screen, LoginScreen)
        assert "onjuist wachtwoord" in error_text(app)
        assert app.screen.query_one("#password").value == ""
        assert app.focused.id == "password"


async def test_five_wrong_passwords_lock_the_account(store):
    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "anouk", "fout")
        for _ in range(4):
            await pilot.press(*"fout", "enter")
            await pilot.pause()
        # Locked now, but the screen says what it says for any failure: the login does not
        # tell who has an account or which one is locked.
        assert error_text(app) == LOGIN_FAILED
        await pilot.press(*PASSWORD, "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert error_text(app) == LOGIN_FAILED
    whys = [json.loads(r[0])["why"] for r in store.rows(
        "SELECT detail FROM audit_log WHERE action = 'login.failed' ORDER BY seq")]
    assert whys == ["password"] * 5 + ["locked"]


async def test_every_login_failure_reads_the_same(store):
    from moderator.services.accounts import set_disabled

    set_disabled(store, "bram")
    seen = []
    for username, password in (("niemand", "fout"), ("bram", PASSWORD), ("bram", "fout")):
        app = ModeratorApp(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, username, password)
            assert isinstance(app.screen, LoginScreen)
            seen.append(error_text(app))
    assert seen == [LOGIN_FAILED] * 3


async def test_school_admin_gets_a_message_screen(store):
    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "fatima", PASSWORD)
        assert isinstance(app.screen, NoticeScreen)


async def test_avg_coordinator_gets_the_audit_screen(store):
    from moderator.screens.audit import AuditScreen

    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "avg", PASSWORD)
        assert isinstance(app.screen, AuditScreen)


@pytest.mark.parametrize("demo", [True, False])
async def test_demo_accounts_shown_only_in_demo_mode(store, demo):
    app = ModeratorApp(store, demo=demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        hints = app.screen.query("#demo-hint")
        assert bool(hints) is demo
        if demo:
            assert "leerkracht" in str(hints.first().render())


async def test_logout_returns_to_login(store):
    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "carla", PASSWORD)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None


async def test_username_has_focus_and_tab_and_enter_move_to_the_password(store):
    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.focused.id == "username"
        await pilot.press("tab")
        assert app.focused.id == "password"
        await pilot.press("shift+tab")
        assert app.focused.id == "username"
        await pilot.press(*"anouk", "enter")
        assert app.focused.id == "password"
        assert isinstance(app.screen, LoginScreen)


@pytest.mark.parametrize("between", ["tab", "enter"])
async def test_a_fast_burst_of_keys_lands_in_the_right_fields(store, between):
    """name<Tab>password<Enter> posted at once, without waiting between keys (a fast typist
    or a paste): the Tab (or Enter) must move focus before the password's keys are handed
    on."""
    from textual import events

    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        keys = [*"carla", between, *PASSWORD, "enter"]
        for key in keys:
            char = {"tab": "\t", "enter": "\r"}.get(key, key)
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause(0.2)
        assert isinstance(app.screen, QueueScreen), error_text(app)
        assert app.actor.username == "carla"


@pytest.mark.parametrize("username, open_keys", [("avg", ()), ("carla", ("D",))])
async def test_ctrl_l_logs_out_from_every_screen(store, username, open_keys):
    # The AVG coordinator's audit screen and the dossier screen, not only the queue.
    app = ModeratorApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, username, PASSWORD)
        for key in open_keys:
            await pilot.press(key)
            await pilot.pause()
        assert not isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.actor is None
