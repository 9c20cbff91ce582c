"""Is there personal data in words meant for a word list? A school's word list outlives
every dossier, so it must never carry a name from the rosters, a BSN-like number or a
date (of birth)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from moderator.policy.normalize import fold

_NUMBER = re.compile(r"\d(?:[\s.-]?\d){7,}")          # 8+ digits: a BSN, a phone number
_DATE = re.compile(
    r"\b\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)[a-z]*\.?(?:\s+\d{4})?\b",
    re.IGNORECASE)
# Name parts too common to be a name on their own (tussenvoegsels and the like).
_NOT_A_NAME = {"de", "van", "der", "den", "het", "ten", "ter", "te", "la", "le", "el", "al",
               "juf", "meester", "ouder", "directeur"}


def personal_data_problem(words: Sequence[str], names: Iterable[str]) -> str | None:
    """A Dutch message naming the first word that carries personal data, or None."""
    parts = {p for name in names for p in fold(name).split()
             if len(p) > 1 and p not in _NOT_A_NAME}
    for word in words:
        if _DATE.search(word):
            return (f"«{word}» bevat een datum (zoals een geboortedatum): een woordvoorstel "
                    "mag geen persoonsgegevens bevatten.")
        if _NUMBER.search(word):
            return (f"«{word}» lijkt een BSN of ander persoonlijk nummer: een woordvoorstel "
                    "mag geen persoonsgegevens bevatten.")
        for token in re.findall(r"\w+", fold(word)):
            if token in parts:
                return (f"«{word}» bevat een naam uit de leerlingen- of personenlijst: een "
                        "woordvoorstel mag geen persoonsgegevens bevatten.")
    return None
