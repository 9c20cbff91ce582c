"""Pieces of the AVG coordinator's screen: a prompt dialog, a table that only shows
untrusted text as ``Text``, and the messages of the verification worker."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Static

from moderator import rich_text, text


@dataclass(frozen=True)
class PromptAnswer:
    text: str
    checked: bool = False


class PromptModal(ModalScreen[PromptAnswer | None]):
    """Ask for one line of text (a ground, a reason, a note), optionally with one
    checkbox. Dismissed with a :class:`PromptAnswer`, or None when cancelled.
    ``title``, ``hint`` and ``checkbox`` are our own text; ``value`` may not be."""

    DEFAULT_CSS = """
    PromptModal { align: center middle; }
    PromptModal > Vertical {
        width: 72; height: auto; padding: 1 2; border: thick $error 80%; background: $surface;
    }
    PromptModal .prompt-title { text-style: bold; margin-bottom: 1; }
    PromptModal .prompt-hint { color: $text-muted; margin-top: 1; }
    PromptModal .prompt-error { color: $error; }
    PromptModal Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    PromptModal Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="prompt.cancel",
                tooltip="Sluit zonder iets te doen"),
    ]

    def __init__(self, title: str, label: str, *, value: str = "", hint: str = "",
                 confirm: str = "Bevestigen", required: bool = True,
                 variant: str = "primary", checkbox: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.label_text = label
        self.value = value
        self.hint = hint
        self.confirm_label = confirm
        self.required = required
        self.variant = variant
        self.checkbox = checkbox

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(rich_text.line_text(self.title_text), classes="prompt-title")
            yield Label(self.label_text, markup=False)
            yield Input(value=text.one_line(self.value), id="prompt-input")
            if self.checkbox:
                yield Checkbox(self.checkbox, id="prompt-check")
            yield Static("", id="prompt-error", classes="prompt-error", markup=False)
            if self.hint:
                yield Static(self.hint, classes="prompt-hint", markup=False)
            with Horizontal():
                yield Button(self.confirm_label, variant=self.variant, id="prompt-confirm")
                yield Button("Annuleren", id="prompt-cancel")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Button.Pressed, "#prompt-confirm")
    @on(Input.Submitted, "#prompt-input")
    def action_confirm(self) -> None:
        value = self.query_one("#prompt-input", Input).value.strip()
        if self.required and not value:
            self.query_one("#prompt-error", Static).update("Dit veld is verplicht.")
            return
        checked = bool(self.checkbox) and self.query_one("#prompt-check", Checkbox).value
        self.dismiss(PromptAnswer(value, checked))

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """Ask yes or no before a change takes effect (a foundation setting). Dismissed with
    True only when the confirm button is pressed; escape and "Annuleren" give False.
    ``title`` and ``message`` are our own text. Focus starts on "Annuleren", so an Enter
    typed by habit changes nothing."""

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 72; height: auto; padding: 1 2; border: thick $warning 80%; background: $surface;
    }
    ConfirmModal .prompt-title { text-style: bold; margin-bottom: 1; }
    ConfirmModal Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmModal Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="confirm.cancel",
                tooltip="Sluit zonder iets te wijzigen"),
    ]

    def __init__(self, title: str, message: str, *, confirm: str = "Bevestigen") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(rich_text.line_text(self.title_text), classes="prompt-title")
            yield Static(rich_text.text(self.message))
            with Horizontal():
                yield Button(self.confirm_label, variant="warning", id="confirm-yes")
                yield Button("Annuleren", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)


class SafeTable(DataTable):
    """A DataTable whose string cells are always untrusted text on one line."""

    DEFAULT_CSS = "SafeTable { height: 1fr; }"

    def __init__(self, *columns: str, id: str | None = None, width: int = 60,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._columns = columns
        self._width = width

    def on_mount(self) -> None:
        self.add_columns(*self._columns)

    def add_safe_row(self, *cells: object, key: str | None = None) -> None:
        self.add_row(*(rich_text.line_text("" if c is None else c, self._width) for c in cells),
                     key=key)

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:  # noqa: BLE001 - no valid cursor
            return None
        return row_key.value


class VerifyProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class VerifyDone(Message):
    """``report``: a moderator.archive.verify.VerifyReport, or None with ``error``;
    ``leftovers``: unknown files whose hash is in a destruction record."""

    def __init__(self, report, error: str | None = None,
                 leftovers: dict[str, str] | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.leftovers = leftovers or {}   # unknown file -> destroyed incident number
