import pytest
from rich.console import Console
from rich.text import Text

from moderator import rich_text, text

HOSTILE = [
    "[bold red]x[/]",
    "[@click=app.quit]klik[/]",
    "\x1b[2J\x1b]0;pwned\x07wis scherm",
    "bidi \u202eevil\u202c",
    "nul\x00byte en C1 \x9b31m",
    '<img src="/etc/passwd"/> <a href="file:///etc">x</a> </para> <font size=300>',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_clean_leaves_no_control_or_format_characters(value):
    cleaned = text.clean(value)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\x00" not in cleaned
    assert "\u202e" not in cleaned and "\x07" not in cleaned


def test_placeholders_are_visible():
    assert text.clean("a\x1bb") == "a<U+001B>b"
    assert text.clean("r\u202el") == "r<U+202E>l"
    assert text.clean("regel1\r\nregel2") == "regel1\nregel2"


@pytest.mark.parametrize("value", HOSTILE)
def test_rich_text_is_printed_literally(value):
    console = Console(record=True, width=200, color_system="truecolor", force_terminal=True)
    console.print(rich_text.text(value))
    output = console.export_text()
    assert "\x1b]" not in output and "\x07" not in output
    if value.startswith("["):
        assert value in output  # markup shown, not applied


def test_text_returns_rich_text_without_markup_spans():
    rendered = rich_text.text("[bold]x[/bold]")
    assert isinstance(rendered, Text) and rendered.plain == "[bold]x[/bold]" and not rendered.spans


def test_paragraph_escapes_tags():
    para = text.paragraph('<img src="/etc/passwd"/>\nen & meer')
    assert para == '&lt;img src="/etc/passwd"/&gt;<br/>en &amp; meer'


def test_one_line_cuts_with_ellipsis():
    assert text.one_line("een\ntwee   drie", 8) == "een twe…"
