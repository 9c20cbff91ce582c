"""The console's own messages: workers report back with these, screens react."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from moderator.policy.access import Actor


class LoggedIn(Message):
    """The login screen authenticated an account."""

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor


class DeletionProgress(Message):
    """A deletion worker finished one item (``done`` of ``total``)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


@dataclass
class DeletionOutcome:
    deleted: list = field(default_factory=list)     # DeletionResult objects
    failed: list[tuple[str, str]] = field(default_factory=list)  # (item, message)


class DeletionFinished(Message):
    """A deletion worker is done; ``outcome`` lists what was deleted and what failed."""

    def __init__(self, outcome: DeletionOutcome) -> None:
        super().__init__()
        self.outcome = outcome

