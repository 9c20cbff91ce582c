"""Throughput of the text detectors (what `moderator check` and the scan run per message).

Generates 100,000 Dutch portal-like messages (about 1 in 8 with a violation, some with
pupil names), then times, in the same run:

* baseline: one case-insensitive regex alternation of plain words over the raw text
  (no normalisation, no obfuscation, no phrases, no exceptions, no roster);
* detect(): every code, normalised copy, offsets, exceptions, roster;
* check: the `moderator check` pipeline (parse a JSON line, detect, write a JSON line).

Times are CPU time of this process (time.process_time), so other load on the machine
disturbs them less; the ratio to the baseline is the figure to compare.

Usage: python benchmarks/bench_check.py [N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time

from moderator.policy.detectors import detect
from moderator.services.drafts import check_drafts, read_drafts

OPENERS = ["Beste ouders,", "Hoi allemaal!", "Goedemorgen,", "Lieve ouders van {groep},", "",
           "Even een herinnering:", "Dank jullie wel!"]
CLEAN = [
    "morgen gaan we naar het bos, trek laarzen aan.",
    "vergeet de gymspullen niet op {dag}.",
    "de kerstviering is {dag} om 17.00 uur in de aula.",
    "wie kan er rijden naar de kinderboerderij op {dag}?",
    "de collecte voor KWF Kankerbestrijding was een groot succes.",
    "pas op: de ingang is dicht vanwege werkzaamheden.",
    "ik sla de ouderavond deze keer over, we zijn op vakantie.",
    "in {groep} hebben we het over de verkiezingen gehad.",
    "fiets te leen voor het verkeersexamen, stuur me een berichtje.",
    "de kinderen hebben prachtige tekeningen gemaakt van hun huisdieren.",
    "{naam}, {naam2} en {naam3} hebben de voorleeswedstrijd gewonnen!",
    "juf {voornaam} is {dag} op cursus, meester Bram neemt het over.",
    "het schoolreisje kost 35 euro per kind, graag voor vrijdag overmaken.",
    "de luizencontrole is na de vakantie, graag geen vlechtjes.",
]
BAD = [
    "wat een kutschool is dit zeg.", "die juf is een k4nkerlijer.", "kuuuut regeling weer.",
    "ik weet waar je woont.", "ik kom verhaal halen bij de meester.",
    "te koop: kinderfiets, 45 euro.", "stem op de PVV!", "Jezus houdt van jou, kom naar onze kerk.",
    "{naam} heeft weer een ander kind geslagen.", "mijn zoon heeft ADHD en slikt Ritalin.",
    "vieze buitenlanders, ga terug naar je eigen land.", "die juf is een lekker ding.",
    "het BSN van mijn dochter is 111222333.",
]
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]
FIRST = ["Sanne", "Daan", "Lotte", "Sem", "Noah", "Emma", "Liam", "Julia", "Finn", "Tess",
         "Mila", "Lucas", "Saar", "Levi", "Yara", "Bram"]
LAST = ["de Vries", "Jansen", "Bakker", "de Jong", "Visser", "Smit", "Meijer", "de Boer"]
BASELINE = re.compile(r"\b(?:kut\w*|kanker\w*|kkr|klootzak|idioot|tering|tyfus|hoer|neuk\w*|"
                      r"porno|geil|te koop|verkoop|korting|pvv|vvd|jezus|allah|adhd|autisme|"
                      r"dyslexie|ritalin|woont|verhaal halen|buitenlanders|neger|flikker)\b",
                      re.IGNORECASE)


def generate(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    roster = [f"{f} {last}" for f in FIRST for last in LAST][:30]
    out = []
    for i in range(n):
        parts = [rng.choice(OPENERS)]
        for _ in range(rng.randint(1, 3)):
            parts.append(rng.choice(BAD if rng.random() < 0.05 else CLEAN))
        text = " ".join(p for p in parts if p)
        names = rng.sample(roster, 3)
        text = (text.replace("{dag}", rng.choice(DAYS)).replace("{groep}", "groep 5")
                .replace("{naam}", names[0]).replace("{naam2}", names[1].split()[0])
                .replace("{naam3}", names[2]).replace("{voornaam}", rng.choice(FIRST)))
        out.append({"id": str(i), "text": text, "pupils": roster})
    return out


def rate(label: str, n: int, seconds: float, base: float | None = None) -> float:
    per_s = n / seconds
    ratio = f"  ({per_s / base:.2f}x baseline)" if base else ""
    print(f"{label:34} {per_s:12,.0f} messages/s{ratio}")
    return per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    messages = generate(args.n, args.seed)
    texts = [m["text"] for m in messages]
    detect("warm up: kutschool", pupils=messages[0]["pupils"])      # compile the lists once
    avg = sum(map(len, texts)) / len(texts)
    print(f"{len(texts):,} messages, {avg:.0f} characters on average")

    start = time.process_time()
    hits = sum(1 for t in texts if BASELINE.search(t))
    base = rate("baseline (one regex, search)", len(texts), time.process_time() - start)

    start = time.process_time()
    flagged = sum(1 for t in texts if detect(t))
    rate("detect() without roster", len(texts), time.process_time() - start, base)

    start = time.process_time()
    flagged_r = sum(1 for m in messages if detect(m["text"], pupils=m["pupils"]))
    rate("detect() with a 30-pupil roster", len(texts), time.process_time() - start, base)

    lines = [json.dumps(m, ensure_ascii=False) for m in messages]
    start = time.process_time()
    drafts = read_drafts("<bench>", lines)
    out = [json.dumps(r, ensure_ascii=False) for r in check_drafts(drafts)]
    rate("check pipeline (JSON in and out)", len(out), time.process_time() - start, base)
    print(f"flagged: baseline {hits:,}, detect {flagged:,}, with roster {flagged_r:,}")


if __name__ == "__main__":
    main()
