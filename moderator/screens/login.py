"""Login: username and password, checked by the accounts service (argon2, lockout, audit log)."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from moderator.errors import AuthenticationFailed, ModeratorError
from moderator.messages import LoggedIn
from moderator.services.accounts import authenticate
from moderator.store.db import Store

DEMO_HINT = ("Demo-accounts: directie, leerkracht en avg — wachtwoord: demo")


class LoginScreen(Screen):
    """Username, password, Enter.

    Tab and Enter are priority bindings of the screen: the app runs them as soon as it
    reads the key, before it hands the next keys on, so a fast typist's
    ``naam<Tab>wachtwoord<Enter>`` lands in the right fields (a normal binding runs
    only after the keys already passed to the username field). Each first lets the
    focused field handle the keys it was already given, so nothing is typed out of
    order either."""

    AUTO_FOCUS = "#username"

    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Stoppen", id="login.quit",
                tooltip="Stop de console"),
        Binding("tab", "next_field", "Volgend veld", id="login.next", show=False,
                priority=True, tooltip="Naar het volgende veld"),
        Binding("shift+tab", "previous_field", "Vorig veld", id="login.previous", show=False,
                priority=True, tooltip="Naar het vorige veld"),
        Binding("enter", "submit", "Inloggen", id="login.submit", show=False, priority=True,
                tooltip="Van gebruikersnaam naar wachtwoord; in het wachtwoord: inloggen"),
    ]

    def __init__(self, store: Store, *, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.demo = demo

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="login-box"):
                yield Label("Moderatie ouderportaal", classes="dialog-title")
                yield Label("Gebruikersnaam")
                yield Input(id="username", placeholder="gebruikersnaam")
                yield Label("Wachtwoord")
                yield Input(id="password", password=True, placeholder="wachtwoord")
                yield Button("Inloggen", variant="primary", id="login")
                yield Static("", id="login-error")
                if self.demo:
                    yield Static(DEMO_HINT, id="demo-hint", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    async def _drain_focused(self) -> None:
        """Wait until the focused widget has handled the keys already queued for it."""
        focused = self.focused
        if focused is None:
            return
        done = asyncio.Event()
        focused.call_later(done.set)
        try:
            await asyncio.wait_for(done.wait(), 1.0)
        except TimeoutError:
            pass

    async def action_next_field(self) -> None:
        await self._drain_focused()
        self.focus_next()

    async def action_previous_field(self) -> None:
        await self._drain_focused()
        self.focus_previous()

    async def action_submit(self) -> None:
        await self._drain_focused()
        if self.focused is self.query_one("#username", Input):
            # set_focus now, not Widget.focus() (which waits for the app's next turn
            # and would let the password's first keys land in the username)
            self.set_focus(self.query_one("#password", Input))
        else:
            self.attempt()

    @on(Button.Pressed, "#login")
    def attempt(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password_input = self.query_one("#password", Input)
        if not username:
            self._show_error("Vul je gebruikersnaam in.")
            self.query_one("#username", Input).focus()
            return
        try:
            actor = authenticate(self.store, username, password_input.value)
        except AuthenticationFailed as failure:
            password_input.value = ""
            password_input.focus()
            self._show_error(str(failure))
            return
        except ModeratorError as failure:
            self._show_error(str(failure))
            return
        password_input.value = ""
        self.query_one("#login-error", Static).display = False
        self.post_message(LoggedIn(actor))

    def _show_error(self, message: str) -> None:
        error = self.query_one("#login-error", Static)
        error.update(Text(message, style="bold"))
        error.display = True
