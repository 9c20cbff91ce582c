"""The Textual application: login, then the screen the account's role may use."""

from __future__ import annotations

import os
from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from moderator.commands import ScreenCommands
from moderator.messages import LoggedIn
from moderator.policy.access import AVG, DIRECTOR, SCHOOL_ADMIN, TEACHER, Actor
from moderator.screens.login import LoginScreen
from moderator.screens.notice import NoticeScreen
from moderator.store.db import Store
from moderator.widgets.dutch import use_dutch_widget_labels


class ModeratorApp(App):
    """The moderation console. Give it a Store; tests may pass a logged-in ``actor``."""

    CSS_PATH = "app.tcss"
    TITLE = "Moderatie ouderportaal"
    NOTIFICATION_TIMEOUT = 4      # seconds: short, so a notice does not linger over a dialog
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Stoppen", id="app.quit", tooltip="Stop de console",
                priority=True, show=False),
        Binding("ctrl+p", "command_palette", "Opdrachten", id="app.palette", show=False,
                tooltip="Open het opdrachtenpalet: zoek een actie op naam", priority=True),
        Binding("ctrl+l", "logout", "Uitloggen", id="app.logout", show=False,
                tooltip="Terug naar het inlogscherm (vanaf elk scherm)"),
    ]

    def __init__(self, store: Store, *, actor: Actor | None = None, demo: bool = False) -> None:
        use_dutch_widget_labels()
        super().__init__()
        self.store = store
        self.demo = demo
        self.actor = actor

    def on_mount(self) -> None:
        recover_interrupted_deletions(self.store, self)
        self.start_clock()
        if self.actor is not None:
            self.push_screen(self.home_screen(self.actor))
        else:
            self.push_screen(LoginScreen(self.store, demo=self.demo))

    def home_screen(self, actor: Actor):
        if actor.role in (TEACHER, DIRECTOR):
            from moderator.screens.queue import QueueScreen

            return QueueScreen(self.store, actor)
        if actor.role == AVG:
            from moderator.screens.audit import AuditScreen

            return AuditScreen(self.store, actor)
        if actor.role == SCHOOL_ADMIN:
            return NoticeScreen("Schoolbeheerder",
                                 "Accounts beheer je met 'moderator user' op de opdrachtregel. "
                                 "De moderatiewachtrij is voor leerkrachten en directie.")
        return NoticeScreen("Geen toegang", "Dit account heeft geen scherm in de console.")

    # -- the command palette in Dutch ------------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder="Zoek een opdracht…"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider],
                                        placeholder="Zoek een thema…"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands with Dutch titles. Quit and the keys are already offered
        by the screens' bindings (Stoppen, Help)."""
        yield SystemCommand("Thema", "Kies een ander kleurenschema (licht of donker)",
                            self.action_change_theme)
        if screen.maximized is not None:
            yield SystemCommand("Verkleinen", "Zet het vergrote onderdeel terug",
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Vergroten", "Toon het onderdeel met de focus schermvullend",
                                screen.action_maximize)
        yield SystemCommand("Schermafdruk", "Bewaar een afbeelding (SVG) van dit scherm",
                            lambda: self.set_timer(0.1, self.screenshot_to_file))

    def screenshot_to_file(self) -> None:
        """Save an SVG of the screen in the working directory and say where (in Dutch)."""
        try:
            path = os.path.abspath(self.save_screenshot())
        except OSError as error:
            self.notify(f"Schermafdruk niet bewaard: {error}", severity="error", markup=False)
            return
        self.notify(f"Schermafdruk bewaard: {path}", title="Schermafdruk", markup=False)

    def on_logged_in(self, message: LoggedIn) -> None:
        self.actor = message.actor
        self.switch_screen(self.home_screen(message.actor))
        self.show_worklist(message.actor)

    def show_worklist(self, actor: Actor) -> None:
        """At login: what waits for the user, on top of the work screen (esc goes on).
        Nothing is shown when nothing waits."""
        from moderator.errors import ModeratorError
        from moderator.policy.access import may_see_worklist
        from moderator.screens.worklist import WorklistScreen
        from moderator.services.worklist import worklist

        if not may_see_worklist(actor):
            return
        try:
            found = worklist(self.store, actor)
        except ModeratorError as error:
            self.notify(f"Werklijst niet beschikbaar: {error}", severity="warning",
                        markup=False)
            return
        if not found.empty:
            self.push_screen(WorklistScreen(self.store, actor, found))

    # -- the clock while the console runs ----------------------------------------------------

    TICK_SECONDS = 60.0

    def start_clock(self) -> None:
        self.set_interval(self.TICK_SECONDS, self.run_tick)

    @work(thread=True, exclusive=True, group="clock")
    def run_tick(self) -> None:
        """What ``moderator tick`` does, on the console's own connection; ticks in other
        processes at the same moment do each thing once."""
        import dataclasses

        from moderator.policy.access import SYSTEM
        from moderator.services.clock_tick import tick

        store = Store(self.store.path, self.store.archives,
                      self.store.witness.path if self.store.witness else None)
        try:
            tick(store, dataclasses.replace(SYSTEM, username="system:console"))
        except Exception as error:  # noqa: BLE001 - the console stays up; cron ticks too
            self.call_from_thread(self.notify, f"Klok: {error}", severity="warning",
                                  markup=False)
        finally:
            store.close()

    def action_logout(self) -> None:
        if self.actor is None:
            return
        self.clear_notifications()
        self.actor = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen(self.store, demo=self.demo))
        self.notify("Je bent uitgelogd.", markup=False)


def recover_interrupted_deletions(store: Store, app: App | None = None) -> None:
    """Finish or roll back deletions a crash left half done. Orphan files are
    ``moderator verify``'s business: the console does not walk the archive on start."""
    from moderator.services.recovery import recover_interrupted

    try:
        recover_interrupted(store)
    except Exception as error:     # the console must still open
        if app is not None:
            app.notify(f"Herstel van onderbroken verwijderingen mislukt: {error}",
                       severity="error", markup=False)


def run_console(store: Store, demo: bool = False) -> None:
    ModeratorApp(store, demo=demo).run()
