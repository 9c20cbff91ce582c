"""A normalised copy of a message that detectors search in.

The copy has exactly the same length as the original (every character maps to one
character), so a match at ``[start, end)`` in the copy is the span ``[start, end)`` of
the original: evidence always points into the text the user wrote.

What it undoes: case, diacritics (``é`` -> ``e``), typographic quotes and dashes, and
the usual leetspeak digits and signs (``k4nker`` -> ``kanker``, ``$`` -> ``s``).
Repeated letters (``kuuuut``) and a star or hash for a vowel (``k*t``) are handled by
the patterns built from the word lists (see :mod:`moderator.policy.detectors`).
"""

from __future__ import annotations

import unicodedata

LEET = {"4": "a", "@": "a", "3": "e", "1": "i", "0": "o", "5": "s", "$": "s",
        "7": "t"}
PUNCTUATION = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
               "\u2014": "-", "\u00a0": " ", "\u00ad": "-"}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x250):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            continue
        base = unicodedata.normalize("NFKD", lower)[:1]
        if base.isascii() and base.isalpha():
            table[code] = base
        elif lower != char:
            table[code] = lower
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    for src, dst in {**LEET, **PUNCTUATION}.items():
        table[ord(src)] = dst
    return table


_TABLE = _build_table()
_PLAIN = _build_table()
for _digit in "013457":
    del _PLAIN[ord(_digit)]
_PLAIN[ord("@")] = "@"
_PLAIN[ord("$")] = "$"


def normalize(text: str) -> str:
    """Lower case, no diacritics, leetspeak undone; same length as ``text``."""
    return text.translate(_TABLE)


def fold(text: str) -> str:
    """Lower case and no diacritics, digits kept (for names and numbers); same length."""
    return text.translate(_PLAIN)


def _build_plain_case() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))[:1]
        if base.isascii() and base.isalpha():
            table[code] = base
    return table


_PLAIN_CASE = _build_plain_case()


def unaccent(text: str) -> str:
    """Without diacritics, case kept (Zoë -> Zoe); same length."""
    return text.translate(_PLAIN_CASE)
