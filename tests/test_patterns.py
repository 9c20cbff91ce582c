"""The pattern layer: slots, bounded gaps, either order, dialect pronouns, names, weak
entries and context rules, with evidence spans into the original text."""

from __future__ import annotations

import pytest

from moderator.policy.detectors import detect

PUPILS = ["Daan Jansen", "Roos de Wit", "Sanne de Vries", "Lotte Bakker"]


@pytest.mark.parametrize("text, code, evidence", [
    ("Ik maak die meester af.", "threat", "maak die meester af"),
    ("ik trap die moeder helemaal verrot", "threat", "trap die moeder"),
    ("Ik sla oe in elkaar, ge zult het zien", "threat", "sla oe in elkaar"),
    ("Gij zijt echt een oen", "abuse", "zijt echt een oen"),
    ("ik maak daan af", "threat", "daan"),                              # lower-case pupil
    ("Dan maak ik Kees af", "threat", "Kees af"),                      # a name, no roster
    ("We komen je heus wel een keer tegen.", "threat", "komen je heus wel een keer tegen"),
    ("Zou zonde zijn als er iets met je auto gebeurt", "threat", "iets met je auto gebeurt"),
    ("Het zou jammer zijn als uw ruiten ineens kapot zijn", "threat", "uw ruiten ineens kapot"),
    ("Turken en Marokkanen stelen", "discrimination", "Turken en Marokkanen stelen"),
    ("zulke mensen uit dat land passen hier niet", "discrimination", "zulke mensen uit dat land"),
    ("als je niet op de SP stemt ben je dom", "political_religious", "op de SP stemt"),
    ("Stem lijst 7!", "political_religious", "Stem lijst 7"),
    ("Sieraden €12,50 per stuk", "commercial", "€12,50 per stuk"),
    ("Nog 3 tassen over, DM voor de prijs", "commercial", "DM voor de prijs"),
    ("Vrijdag gebedsdienst in de Sint-Jan, iedereen van harte welkom", "political_religious",
     "gebedsdienst"),
    ("Mijn dochter slikt sinds kort Medikinet", "confidential", "Medikinet"),
    ("Roos had als enige een 10", "pupil_results", "als enige een 10"),
    ("Die meester 😏🍆", "sexual", "😏"),                                   # two weak ones
])
def test_new_positives_with_evidence(text, code, evidence):
    found = [f for f in detect(text, pupils=PUPILS) if f.reason == code]
    assert found, text
    for f in found:
        assert text[f.start:f.end] == f.text
    assert any(evidence in f.text or f.text in evidence for f in found), [f.text for f in found]


@pytest.mark.parametrize("text", [
    "Er dreigt regen, neem een jas mee.",
    "Er dreigt storm vanmiddag.",
    "Morgen weer gym 😏",
    "We maken de tekening morgen af.",
    "Ik sla de ouderavond over.",
    "We sukkelen nog met de printer.",
    "Wat een zak snoep heeft ze gewonnen!",
    "Ongelukjes kunnen gebeuren, geef reservekleding mee.",
    "Let goed op uw kinderen bij het oversteken.",
    "Het zou jammer zijn als de kinderen de voorstelling missen.",
    "Op de schoolmarkt kosten de koekjes €1 per stuk, voor de klassenkas.",
    "Het schoolreisje kost 35 euro per kind.",
    "In groep 8 doen we een les over demonstraties en stemmen.",
    "Zaterdag geeft de brandweer een demonstratie op het plein.",
    "De kerstviering is in de kerk aan de Markt.",
    "Het CJG geeft een voorlichting over slapen.",
    "We hadden als groep een 10 voor het opruimen.",
    "Lekker stuk taart bij de verjaardag!",
    "Pikante kipvleugels bij de barbecue.",
    "De kinderen uit het azc zijn welkom bij de speelmiddag.",
])
def test_hard_negatives_of_the_pattern_layer(text):
    assert [f.reason for f in detect(text) if f.reason != "individual_child"] == []
