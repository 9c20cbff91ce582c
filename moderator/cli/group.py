"""The ``moderator`` command group: loads a verb's module only when that verb runs, and
turns the errors a user is meant to read into one Dutch line on stderr and an exit code.

``moderator --help`` lists the verbs from :data:`VERBS` without importing any of them, so
asking for help, or running one verb, never pays for the others (the store, the PDF
code, Textual). A test checks that the listed help matches each command's own.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from typing import Any

import click

from moderator.errors import ModeratorError

# verb -> (module that defines it, short help shown by `moderator --help`)
VERBS: dict[str, tuple[str, str]] = {
    "assign": ("moderator.cli.claims", "Give a queue item or a dossier to a colleague of the..."),
    "audit": ("moderator.cli.audit", "AVG coordinator: audit and access logs, retention,..."),
    "breach": ("moderator.cli.breaches", "The breach register: possible data breaches, decided..."),
    "check": ("moderator.cli.policy",
              "Check draft messages: JSON lines {\"id\", \"text\", \"pupils\":..."),
    "claim": ("moderator.cli.claims", "Take a queue item (post:ID, comment:ID) or a dossier..."),
    "comments": ("moderator.cli.moderation",
                 "Allow (on) or stop (off) parents' comments on a post."),
    "deadlines": ("moderator.cli.calendar",
                  "The foundation's deadline terms by severity (change them..."),
    "delete": ("moderator.cli.moderation",
               "Delete posts/comments (post:ID, comment:ID), each after..."),
    "demo": ("moderator.cli.demo", "Fill an EMPTY database with the demo foundation: two..."),
    "dismiss": ("moderator.cli.moderation", "Close an item's open flags: the item stays."),
    "dossier": ("moderator.cli.dossier", "Incident dossiers: timeline, measures, escalation,..."),
    "due": ("moderator.cli.clock", "What waits for you: overdue items, dossiers, measures..."),
    "holidays": ("moderator.cli.calendar",
                 "A school's holidays (from the portal export) and working..."),
    "import": ("moderator.cli.importing",
               "Import a portal export (JSON Lines) in one transaction:..."),
    "letter": ("moderator.cli.letters",
               "Letters and notices: removal notices, replies, warnings,..."),
    "limits": ("moderator.cli.limits", "Show the import limits, or change them (AVG coordinator)."),
    "measure": ("moderator.cli.clock", "A measure with a term: end it early or extend it..."),
    "meldcode": ("moderator.cli.meldcode",
                 "The Meldcode track of a dossier (domestic violence, child..."),
    "objection": ("moderator.cli.objections",
                  "A parent's objection to a photo, a removal or a measure."),
    "portal": ("moderator.cli.portal", "Portal sync: deliver decisions to the portal, fetch new..."),
    "queue": ("moderator.cli.queue", "The moderation queue: most severe first, oldest first..."),
    "release": ("moderator.cli.claims",
                "Hand a queue item or a dossier back (nobody holds it any..."),
    "report": ("moderator.cli.policy",
               "Group checks: posting frequency per group and staff posts..."),
    "scan": ("moderator.cli.policy",
             "Run the policy detectors over imported posts and comments..."),
    "tick": ("moderator.cli.clock", "Run the clock once: lift measures whose end date came,..."),
    "user": ("moderator.cli.users", "Manage console accounts."),
    "verify": ("moderator.cli.verify", "Check the archive (hard copies, exports, letters), the..."),
    "words": ("moderator.cli.learning",
              "Words that broke a rule on deleted items no detector had..."),
}

# sqlite's messages, as Dutch users read them (others stay as they are).
_DATABASE_REASONS = {
    "database is locked": "de database is bezet door een ander proces; probeer het zo opnieuw",
    "file is not a database": "het bestand is geen database van deze console",
    "unable to open database file": "kan het databasebestand niet openen",
    "database disk image is malformed": "het databasebestand is beschadigd",
    "attempt to write a readonly database": "de database is alleen-lezen",
    "database or disk is full": "de schijf is vol",
}


def database_reason(error: Exception) -> str:
    message = str(error)
    return _DATABASE_REASONS.get(message, message)


def _fail(message: str, code: int) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(f"fout: {message}", markup=False,
                                                soft_wrap=True)
    sys.exit(code)


class ModeratorGroup(click.Group):
    """Lazy verbs and Dutch errors without a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(VERBS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        if name not in VERBS:
            return None
        module = importlib.import_module(VERBS[name][0])
        for command in module.commands:
            if command.name == name:
                return command
        return None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, VERBS[name][1] if name in VERBS else
                 self.commands[name].get_short_help_str()) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ModeratorError as error:
            _fail(str(error), error.exit_code)
        except click.Abort:
            _fail("afgebroken, er is niets veranderd", 1)
        except sqlite3.DatabaseError as error:
            _fail(f"database: {database_reason(error)}", 1)
