"""The one door for untrusted (portal) text.

Portal content is hostile input. Before any of it is shown, in the terminal, in the
Textual console or in a PDF, it passes through this module:

* control characters (C0 except newline and tab, DEL, C1), format characters (bidi
  overrides, zero-width joiners, ...), surrogates and private-use characters are
  replaced by a visible placeholder such as ``<U+001B>``;
* for reportlab it returns paragraph text with ``& < >`` escaped, so that no tag in a
  message is ever interpreted.

Plain Python, usable in every layer (store, services, PDFs, mail). Rich ``Text`` objects
are made from its output at the edges only, by :mod:`moderator.rich_text`.
"""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

_REPLACED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_BREAKS = {"\r\n", "\r", "\u2028", "\u2029", "\x85"}


def placeholder(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def clean(value: object, *, keep_newlines: bool = True) -> str:
    """Return ``value`` as a string with every dangerous character made visible."""
    if value is None:
        return ""
    raw = str(value)
    for brk in ("\r\n", "\r", "\u2028", "\u2029", "\x85"):
        raw = raw.replace(brk, "\n")
    if raw.isprintable():      # fast path (C speed): nothing to replace, no line breaks
        return raw
    if "\n" in raw and len(raw) > 4096:
        # Long multi-line text: each printable line as it is, the rest char by char.
        sep = "\n" if keep_newlines else " "
        return sep.join(line if line.isprintable() else clean(line, keep_newlines=keep_newlines)
                        for line in raw.split("\n"))
    out: list[str] = []
    for char in raw:
        if char == "\n":
            out.append("\n" if keep_newlines else " ")
        elif char == "\t":
            out.append("    " if keep_newlines else " ")
        elif unicodedata.category(char) in _REPLACED_CATEGORIES:
            out.append(placeholder(char))
        else:
            out.append(char)
    return "".join(out)


def one_line(value: object, width: int | None = None) -> str:
    """Cleaned, whitespace collapsed to single spaces, cut to ``width`` with an ellipsis."""
    flat = " ".join(clean(value, keep_newlines=False).split())
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:      # as JSON spells it: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(value: object, indent: int | None = 2, *, sort_keys: bool = False) -> str:
    """JSON for scripts: the data unchanged, but every control, format (bidi, zero-width,
    BOM), surrogate, private-use, unassigned and line-separator character written as a
    ``\\uXXXX`` escape, so none reaches a terminal raw. Other letters stay readable."""
    import json

    raw = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys,
                     separators=None if indent is not None else (", ", ": "))
    return "".join(
        _json_escape(char) if ord(char) > 0x7E and (
            unicodedata.category(char) in _REPLACED_CATEGORIES or char in "\u2028\u2029")
        else char
        for char in raw)


def paragraph(value: object) -> str:
    """Untrusted text for a reportlab ``Paragraph``: escaped, newlines as ``<br/>``."""
    return escape(clean(value)).replace("\n", "<br/>")
