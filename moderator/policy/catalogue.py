"""The reason catalogue: every reason code with its Dutch label, a paraphrase of the
rule, the section of the policy it comes from, and a severity that orders the queue.

The policy is "Beleidsafspraken Oudercommunicatie" (shared/seed/). Sections are cited
by heading and bullet number within that heading. Paraphrases are ours, not quotes.
"""

from __future__ import annotations

from dataclasses import dataclass

POLICY_TITLE = "Beleidsafspraken Oudercommunicatie (juni 2018)"


@dataclass(frozen=True)
class Reason:
    code: str
    label: str          # Dutch, short, for lists and the queue
    rule: str           # Dutch one-line paraphrase of the rule
    section: str        # where in the policy
    severity: int       # higher is more urgent; orders the queue
    item_level: bool = True   # False for group-level checks that are not queue items


_GEDRAG = "Gedrag"
_PLAATSEN = "Wat kunnen we plaatsen en waar moet dit aan voldoen?"
_UITGANGSPUNT = "Waar gaan we van uit?"

REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        Reason("threat", "Bedreiging",
               "Dreigen met geweld of schade en intimideren is nooit toegestaan.",
               f"{_GEDRAG}, punt 4", 100),
        Reason("confidential", "Vertrouwelijke leerlinginformatie",
               "Gegevens over gezondheid, zorg, thuissituatie of BSN van een leerling horen niet op het portaal.",
               f"{_PLAATSEN}, punt 7", 95),
        Reason("swimwear", "Kinderen in zwemkleding of ondergoed",
               "Beeld van kinderen in zwemkleding of in ondergoed wordt niet geplaatst.",
               f"{_PLAATSEN}, punt 1", 90),
        Reason("sexual", "Seksueel getint",
               "Seksueel getinte berichten en uitingen zijn niet toegestaan.",
               f"{_GEDRAG}, punt 4", 85),
        Reason("discrimination", "Discriminatie",
               "Discriminerende opmerkingen over afkomst, geloof, geaardheid, gender of beperking zijn niet toegestaan.",
               f"{_GEDRAG}, punt 4", 80),
        Reason("photo_consent", "Foto zonder toestemming",
               "Beeld van een leerling alleen met de jaarlijkse schriftelijke toestemming van de ouders.",
               f"{_UITGANGSPUNT}, punt 7; {_PLAATSEN}, punt 2", 75),
        Reason("name_consent", "Naam zonder toestemming",
               "De naam van een leerling alleen met de jaarlijkse toestemming van de ouders voor naamgebruik op het portaal.",
               f"{_UITGANGSPUNT}, punt 7", 78),
        Reason("abuse", "Schelden of beledigen",
               "Schelden, beledigen en uitschelden horen niet in het portaal.",
               f"{_GEDRAG}, punt 4", 70),
        Reason("objection", "Bezwaar tegen beeld",
               "Bij bezwaar van kind of ouder tegen beeld volgt een gesprek en zo nodig verwijdering.",
               f"{_PLAATSEN}, punt 4", 60),
        Reason("membership", "Niet in deze groep",
               "Alleen wie bij de groep hoort plaatst er iets: ouders in de groep van hun kind, in de schoolgroep alleen de directie, en geen reactie waar de leerkracht reageren heeft uitgezet.",
               f"{_UITGANGSPUNT}, punten 3 en 4; {_PLAATSEN}, punt 8", 55),
        Reason("individual_child", "Over één individueel kind",
               "De groepspagina gaat over de school of de groep; over één kind communiceren we 1-op-1.",
               f"{_UITGANGSPUNT}, punt 6", 50),
        Reason("pupil_results", "Resultaten van een leerling",
               "Prestaties van een individuele leerling worden in de groep niet uitgelicht, tenzij schoolgerelateerd en voor iedereen haalbaar.",
               f"{_GEDRAG}, punt 5", 48),
        Reason("negative", "Negatief of schadelijk",
               "Geen negatieve of schadelijke berichten over leerlingen of de school; praat met elkaar, niet over elkaar.",
               f"{_GEDRAG}, punten 1 tot 3", 45),
        Reason("commercial", "Commercieel",
               "Verkopen, adverteren en reclame maken horen niet in het portaal.",
               f"{_GEDRAG}, punt 4", 30),
        Reason("political_religious", "Politiek of geloofsovertuiging",
               "Geen uitingen vanuit een politieke of geloofsovertuiging, tenzij passend bij de identiteit van de school of het lesprogramma.",
               f"{_PLAATSEN}, punt 10", 25),
        Reason("other", "Overig",
               "Iets anders dat de melder in de toelichting beschrijft.",
               "Borging en Handhaving, punt 6", 10),
        Reason("frequency", "Berichtfrequentie",
               "Per groep in beginsel hoogstens één bericht per dag en minstens één per week.",
               f"{_PLAATSEN}, punt 9", 5, item_level=False),
        Reason("off_hours", "Buiten werktijd",
               "Leerkrachten communiceren in het portaal binnen hun reguliere werktijden.",
               f"{_GEDRAG}, punt 8", 5, item_level=False),
    )
}

# Codes a report or flag may carry (the portal-export contract).
ITEM_REASONS: tuple[str, ...] = tuple(code for code, r in REASONS.items() if r.item_level)
# Codes the text detectors produce.
TEXT_REASONS: tuple[str, ...] = (
    "abuse", "discrimination", "threat", "sexual", "commercial",
    "political_religious", "individual_child", "confidential", "pupil_results",
)
# Codes the scan opens from the group's rules (who posts where, consent), not the text.
GROUP_RULE_REASONS: tuple[str, ...] = ("membership", "name_consent")


def reason(code: str) -> Reason:
    try:
        return REASONS[code]
    except KeyError:
        raise KeyError(f"onbekende redencode {code!r}") from None


def severity(codes: list[str] | tuple[str, ...]) -> int:
    return max((REASONS[c].severity for c in codes if c in REASONS), default=0)


def by_severity(codes: set[str] | list[str]) -> list[str]:
    return sorted(set(codes), key=lambda c: (-REASONS[c].severity if c in REASONS else 0, c))
