"""Text detectors: find violations of the policy in a Dutch portal message.

Each reason code in :data:`moderator.policy.catalogue.TEXT_REASONS` has a word list in
``moderator/policy/wordlists/<code>.txt``; the code here is generic. A list is turned
into one compiled regular expression per code (a trie of alternatives) that runs over a
normalised copy of the message (:mod:`moderator.policy.normalize`) of the same length,
so every finding's ``start``/``end`` are offsets into the original text.

Word-list syntax, one entry a line (``#`` starts a comment)::

    word         the whole word
    word*        a word starting with it: inflections and compounds (kut* finds kutschool)
    *word        a word ending with it; *word* anywhere inside a word
    two words    a phrase; ~ stands for up to four words in between, ~2 for up to two;
                 a * on a word inside a phrase works as above (mijn *studio)
    {a,b} c      alternatives: "a c" and "b c"
    a <> b       both orders, up to four words apart (verb-final clauses)
    <slot>       a named set of alternatives from _slots.txt (<iemand>: je, u, gij, ge,
                 oe, die juf, a name ...); built in: <naam> (a roster name in any case
                 or a capitalised unknown word inside a sentence), <bedrag>, <getal>
    !entry       an exception: a match that lies inside an exception's span is dropped
                 (!kankerbestrijding* keeps "KWF Kankerbestrijding" clean)
    ?entry       weak: counts only next to another finding of the code (an emoji)

Every entry also matches in any case, without or with accents, with leetspeak digits
(k4nker), with repeated letters (kuuuut) and with ``*`` or ``#`` for a vowel (k*t).

Entries with slots, numbered gaps or large alternative groups form the pattern layer:
they are compiled as a separate part of each code with its own trigger keys, and a group
of alternatives is kept as one sub-pattern instead of being multiplied out. Compiled
lists are cached on disk (:mod:`moderator.policy.regex_cache`).

Two codes need more than a list. ``confidential`` terms (health, care, family
situation) count only in a sentence that is about a person (a pupil's name, "mijn
zoon", "hij", "ze heeft": ``wordlists/_person.txt``); a valid BSN always counts.
``individual_child`` needs the roster (``pupils``): a message that names exactly one
pupil (full name, or a first name that is unique in the roster) is about one child.
"""

from __future__ import annotations

import hashlib
import operator
import re
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from moderator.policy import regex_cache
from moderator.policy.catalogue import ITEM_REASONS, TEXT_REASONS
from moderator.policy.normalize import fold, normalize, unaccent

WORDLISTS = Path(__file__).parent / "wordlists"
LIST_CODES: tuple[str, ...] = tuple(c for c in TEXT_REASONS if c != "individual_child")
VOWELS = set("aeiouy")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Finding:
    reason: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"reason": self.reason, "start": self.start, "end": self.end, "text": self.text}


# -- word lists -> regular expressions ----------------------------------------------------


def read_wordlist(name: str) -> list[str]:
    path = WORDLISTS / f"{name}.txt"
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


def _expand(entry: str) -> list[str]:
    """Expand ``{a,b}`` alternatives and ``a <> b`` (either order) into separate
    entries. Slots (``<name>``) stay: they become one sub-pattern (see _slot_token)."""
    if " <> " in entry:
        left, right = entry.split(" <> ", 1)
        return _expand(f"{left} ~ {right}") + _expand(f"{right} ~ {left}")
    match = re.search(r"\{([^{}]*)\}", entry)
    if not match:
        return [entry]
    out: list[str] = []
    for option in match.group(1).split(","):
        out.extend(_expand(entry[: match.start()] + option.strip() + entry[match.end():]))
    return out


@lru_cache(maxsize=1)
def slots() -> dict[str, tuple[str, ...]]:
    """Named slots from ``wordlists/_slots.txt``: ``<name> = alternative, ...``."""
    found: dict[str, tuple[str, ...]] = {}
    for line in read_wordlist("_slots"):
        name, _, body = line.partition("=")
        name = name.strip()
        if not (name.startswith("<") and name.endswith(">")) or not body.strip():
            continue
        found[name] = tuple(a.strip() for a in body.split(",") if a.strip())
    return found


@lru_cache(maxsize=64)
def _slot_token(name: str, depth: int = 0) -> str:
    """A slot as one regex group: the trie of its alternatives (each a word or a
    phrase, which may use another slot)."""
    if name in RAW_SLOTS:
        return RAW_SLOTS[name]
    alternatives = _ANON.get(name) or slots().get(name)
    if alternatives is None or depth > 5:
        raise ValueError(f"onbekende of te diep geneste plaatshouder {name}")
    sequences = []
    for alternative in alternatives:
        for option in _expand(alternative):
            tokens: list[str] = []
            for index, word in enumerate(normalize(" ".join(option.split())).split(" ")):
                if index:
                    tokens.append(_SEP)
                if word.startswith("<") and word.endswith(">"):
                    tokens.append(_slot_token(word, depth + 1))
                    continue
                if word.startswith("*"):
                    tokens.append(r"\w*")
                for position, (run, char) in enumerate(_runs(word.strip("*"))):
                    tokens.append(_letter(char, first=position == 0, run=run))
                if word.endswith("*") and len(word) > 1:
                    tokens.append(r"\w*")
            sequences.append(tuple(tokens))
    return "(?:" + _trie_regex(sequences) + ")"


def _letter(char: str, first: bool, run: int = 1) -> str:
    # "kk*" rather than "k+": a branch that starts with a literal is skipped fast by re.
    # Vowel runs match any length (kloot~klooooot~klot); a doubled consonant needs two
    # (opp is not op).
    if char in VOWELS and not first:
        return f"[{char}*#][{char}*#]*"
    if char.isalpha():
        return f"{char * (run if char not in VOWELS else 1)}{char}*"
    if char == "-":
        return r"[\W_]*"
    if char == "'":
        return "'?"
    return re.escape(char)


def _runs(word: str) -> list[tuple[int, str]]:
    """A word as runs of one letter: "kkr" -> [(2, "k"), (1, "r")]."""
    return [(len(m.group(0)), m.group(1)) for m in re.finditer(r"(.)\1*", word)]


_SEP = r"[\W_]+"
_GAP = r"(?:[\W_]+\w+){0,4}?[\W_]+"
_GAP_N = r"(?:[\W_]+\w+){{0,{}}}?[\W_]+"
# A pupil's name, marked in the copy the patterns run over (see _mark_names).
NAME_MARK = "\u00aa"
# Slots that are not words: they stand for a regex over the normalised text. (Digits are
# letters there: 10 reads "io", so an amount is any short word next to a euro sign.)
RAW_SLOTS = {
    "<naam>": f"{NAME_MARK}+(?:[ ]{NAME_MARK}+)*",
    "<bedrag>": r"(?:€[ ]?\w{1,5}(?:[.,]\w{1,2})?(?:,-)?"
                r"|(?<!\w)\w{1,5}(?:[.,]\w{1,2})?[ ]?euro?(?!\w))",
    # digits as normalize() leaves them (0 1 3 4 5 7 read o i e a s t): 10, 7,5, 4
    "<getal>": r"(?:[\doieast]{1,2}(?:[.,][\doieast])?(?!\w))",
}


def _is_gap(word: str) -> bool:
    return word == "~" or (word[:1] == "~" and word[1:].isdigit())


def _entry_words(entry: str) -> list[str]:
    """An entry's words, normalised like the text (a gap ~3 keeps its digit)."""
    return [w if _is_gap(w) else normalize(w) for w in entry.split()]


def entry_tokens(entry: str) -> tuple[str, ...]:
    """One word-list entry as a sequence of regex tokens (shared prefixes form a trie).

    A ``*`` before or after a word lets that word be part of a longer word: at the
    ends of an entry the match is then widened to the whole word afterwards.
    """
    words = _entry_words(entry)
    tokens: list[str] = [] if words[0].startswith("*") else [r"(?<!\w)"]
    if words[0] in RAW_SLOTS:
        tokens = [r"(?<!\w)"] if words[0] != "<bedrag>" else []
    open_end = words[-1].endswith("*") and len(words[-1]) > 1
    for index, word in enumerate(words):
        if _is_gap(word):
            continue
        if index:
            previous = words[index - 1]
            if previous == "~":
                tokens.append(_GAP)
            elif _is_gap(previous):
                tokens.append(_GAP_N.format(int(previous[1:])))
            else:
                tokens.append(_SEP)
        if word.startswith("<") and word.endswith(">"):
            tokens.append(_slot_token(word))
            continue
        core = word.strip("*")
        if index and word.startswith("*"):
            tokens.append(r"\w*")
        for position, (run, char) in enumerate(_runs(core)):
            tokens.append(_letter(char, first=position == 0, run=run))
        if index < len(words) - 1 and word.endswith("*") and core:
            tokens.append(r"\w*")
    if words[-1] == "<bedrag>":
        return tuple(tokens)
    tokens.append(r"\w*" if open_end else r"(?!\w)")
    return tuple(tokens)


def _trie_regex(sequences: Sequence[tuple[str, ...]]) -> str:
    trie: dict = {}
    for tokens in sequences:
        node = trie
        for token in tokens:
            node = node.setdefault(token, {})
        node[""] = {}

    def render(node: dict) -> str:
        ends = "" in node
        branches = [token + render(child) for token, child in node.items() if token != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return render(trie)


# -- trigger keys: a cheap test that rules a code out for most messages -------------------
#
# Every entry can only match if the message contains one particular word of it (its
# longest). The message's words, with letter runs squeezed ("kuuuut" -> "kut"), are
# looked up in a set (exact words) and two small literal regexes (word beginnings for
# "kut*", word endings for "*kut"); only the codes whose key is present are searched with
# their full pattern. Entries without a usable word (emoji) are always searched.

_SQUEEZE = re.compile(r"(.)\1+")
_PLAIN_WORD = re.compile(r"\w+")
# Vowels next to a star after a consonant, as one star: "t*ef" -> "t*f" (key variant).
_STAR_RUN = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])[aeiouy]*\*[aeiouy*]*")
_FIRST_GROUP = operator.itemgetter(1)     # a C-level replacement: faster than r"\1"
# Words: letters, digits, * and # (an underscore separates like a space in the
# patterns: it is replaced first). Symbols such as emoji are keys of their own.
_TOKEN = re.compile(r"(?:[^\W_]|[*#])+")
_SYMBOL = re.compile(r"[^\w\s*#.,:;!?'\"()-]")


@lru_cache(maxsize=1)
def _common_words() -> dict[str, int]:
    """Frequent words with their rank: a higher number is a less frequent word."""
    words = [_SQUEEZE.sub(r"\1", normalize(w))
             for line in read_wordlist("_common") for w in line.split()]
    ranks: dict[str, int] = {}
    for index, word in enumerate(words, start=1):
        ranks.setdefault(word, index)
    return ranks


def _variants(key: str) -> set[str]:
    """A squeezed key with any non-first vowel written as * (k*t, k*nk*r); the text has
    # turned into * before lookup. Long words are not obfuscated in practice."""
    if len(key) > 9:
        return {key}
    out = {""}
    for index, char in enumerate(key):
        options = (char, "*") if index and char in VOWELS else (char,)
        out = {prefix + option for prefix in out for option in options}
    return {_SQUEEZE.sub(r"\1", v) for v in out}


def _word_key(word: str) -> tuple | None:
    """(rank..., kind, key) for one literal word of an entry, or None."""
    starts, ends = word.startswith("*"), word.endswith("*") and len(word) > 1
    core = word.strip("*")
    parts = [p for p in re.split(r"[-']", core) if p]
    if len(parts) > 1:
        first, last = parts[0], parts[-1]
        kind, key = ("prefix", first) if len(first) >= len(last) else ("suffix", last)
        if starts and kind == "prefix" or ends and kind == "suffix":
            return None
    elif starts and ends:
        return None
    elif starts:
        kind, key = "suffix", core
    elif ends:
        kind, key = "prefix", core
    else:
        kind, key = "exact", core
    key = _SQUEEZE.sub(r"\1", key)
    if not key or not (_TOKEN.fullmatch(key) and "_" not in key or _SYMBOL.fullmatch(key)):
        return None
    common = _common_words()
    return (key not in common, common.get(key, 0), len(key), kind == "exact", kind, key)


# Keys for built-in slots that have them: an amount has a euro sign or the word.
_RAW_SLOT_KEYS = {"<bedrag>": [("exact", "€"), ("exact", "euro"), ("exact", "eur")]}


def _slot_keys(name: str, depth: int = 0) -> tuple[tuple, list[tuple[str, str]]] | None:
    """The keys of a slot: one per alternative (each alternative's best word), with
    the worst rank among them; None when an alternative has no key (<naam>)."""
    if name in _RAW_SLOT_KEYS:
        return (True, 0, 99, True), _RAW_SLOT_KEYS[name]     # rare: prefer it
    alternatives = _ANON.get(name) or slots().get(name)
    if not alternatives or depth > 5:
        return None
    worst, keys = None, []
    for alternative in alternatives:
        for option in _expand(alternative):
            found = _phrase_keys(option, depth + 1)
            if found is None:
                return None
            rank, option_keys = found
            worst = rank if worst is None or rank < worst else worst
            keys += option_keys
    return worst, keys


def _phrase_keys(entry: str, depth: int = 0) -> tuple[tuple, list[tuple[str, str]]] | None:
    best: tuple[tuple, list[tuple[str, str]]] | None = None
    for word in _entry_words(entry):
        if _is_gap(word):
            continue
        if word.startswith("<") and word.endswith(">"):
            found = _slot_keys(word, depth)
        else:
            key = _word_key(word)
            found = None if key is None else (key[:4], [(key[4], key[5])])
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return best


def entry_keys(entry: str) -> list[tuple[str, str]] | None:
    """The (kind, key) pairs of an entry, one of which must occur in a message for the
    entry to match (kind 'exact', 'prefix' or 'suffix'): its least frequent word, or
    every alternative of a slot. None when the entry has no word to key on (it is then
    always searched)."""
    found = _phrase_keys(entry)
    return None if found is None else sorted(set(found[1]))


def entry_key(entry: str) -> tuple[str, str] | None:
    keys = entry_keys(entry)
    return keys[0] if keys and len(keys) == 1 else None


# Anonymous slots: a {a,b,c} group in an entry with slots is kept as one sub-pattern
# instead of being multiplied out (an entry with three groups and a slot would
# otherwise become hundreds of copies of the slot's pattern).
_ANON: dict[str, tuple[str, ...]] = {}
_WHOLE_GROUP = re.compile(r"(?<![^\s])\{([^{}]*)\}(?![^\s])")


def _expansions(entry: str) -> int:
    """How many entries {a,b} groups would multiply this one into."""
    count = 1
    for group in re.findall(r"\{([^{}]*)\}", entry):
        count *= group.count(",") + 1
    return count


def _inline_groups(entry: str) -> str:
    def name(match: re.Match) -> str:
        options = tuple(o.strip() for o in match.group(1).split(","))
        if not all(options):
            return match.group(0)          # an empty option: expanded as usual
        digest = hashlib.sha1(match.group(1).encode()).hexdigest()[:14]
        key = "<_" + "".join(chr(ord("a") + int(c, 16)) for c in digest) + ">"  # no digits
        _ANON[key] = options
        return key

    previous = None
    while previous != entry:
        previous, entry = entry, _WHOLE_GROUP.sub(name, entry)
    return entry


@dataclass(frozen=True)
class _Compiled:
    pattern: re.Pattern | None
    exceptions: re.Pattern | None
    sequences: tuple[tuple[str, ...], ...] = ()
    keys: tuple[tuple[str, str], ...] = ()
    always: tuple[tuple[str, ...], ...] = ()     # sequences of entries without a key
    weak: re.Pattern | None = None               # entries that never decide alone
    names: bool = False                          # has <naam> entries: needs _mark_names


def _compile(entries: Sequence[str]) -> _Compiled:
    positive: list[tuple[str, ...]] = []
    negative: list[tuple[str, ...]] = []
    weak: list[tuple[str, ...]] = []
    keys: set[tuple[str, str]] = set()
    always: list[tuple[str, ...]] = []
    names = False
    for raw in entries:
        is_exception = raw.startswith("!")
        is_weak = raw.startswith("?")
        body = raw.lstrip("!?")
        if "<" in body or _expansions(body) > 24:
            body = _inline_groups(body)
        for entry in _expand(body):
            if not entry.strip("* "):
                continue
            tokens = entry_tokens(entry)
            if is_exception:
                negative.append(tokens)
                continue
            names = names or any(NAME_MARK in token for token in tokens)
            (weak if is_weak else positive).append(tokens)
            found = entry_keys(entry)
            if found is None:
                always.append(tokens)
            else:
                keys.update(found)
    return _Compiled(
        regex_cache.compile(_trie_regex(positive)) if positive else None,
        regex_cache.compile(_trie_regex(negative)) if negative else None,
        tuple(positive), tuple(sorted(keys)), tuple(always),
        regex_cache.compile(_trie_regex(weak)) if weak else None, names,
    )


@lru_cache(maxsize=512)
def compiled(code: str, extra: tuple[str, ...] = ()) -> tuple[_Compiled, _Compiled]:
    """The compiled list of a code, with a school's extra entries added, in two parts:
    plain entries, and pattern-layer entries (slots, bounded gaps, large alternative
    groups). Each part has its own trigger keys, so a message that only contains a key
    of the small plain part does not run the larger pattern part."""
    entries = read_wordlist(code) + list(extra)
    plain, layered = [], []
    for raw in entries:
        body = raw.lstrip("!?")
        if raw.startswith("!"):
            plain.append(raw)
            layered.append(raw)
        elif "<" in body or _expansions(body) > 24 or re.search(r"(?<!\S)~\d", body):
            layered.append(raw)
        else:
            plain.append(raw)
    return _compile(plain), _compile(layered)


@lru_cache(maxsize=1)
def _person_markers() -> _Compiled:
    return _compile(read_wordlist("_person"))


@lru_cache(maxsize=1)
def _staff_words() -> _Compiled:
    return _compile(read_wordlist("_staff"))


# Words for a child: with one of these in the sentence a staff word does not excuse it.
_CHILD = re.compile(r"(?<!\w)(?:zoon|zoontje|dochter|dochtertje|kind|kindje|leerling|jongen|"
                    r"meisje|broer|broertje|zus|zusje|pupil)(?!\w)")


# Someone named, then a verb: "Daan heeft ...", "Sanne krijgt ..." (no roster needed).
_NAMED_SUBJECT = re.compile(
    r"(?<!\w)(?!(?:Iedereen|Niemand|Het|De|Dit|Dat|Er|Wie|Elk|Ieder|Elke|Iemand|U|Uw|Veel|"
    r"Alle|Deze|Die|Wat|Ook|Vandaag|Morgen|Groep|School|Juf|Meester)\b)"
    r"[A-Z][a-z\u00e0-\u00ff]+\s+(?:heeft|had|is|was|krijgt|kreeg|slikt|gebruikt|wordt|werd|"
    r"zit|gaat|moet)(?!\w)")

_BSN = re.compile(r"(?<![\w.-])(\d{9}|\d{3}\.\d{3}\.\d{3}|\d{4}[ .]\d{2}[ .]\d{3}|"
                  r"\d{3} \d{3} \d{3})(?![\w-]|[.,]\d)")


def valid_bsn(digits: str) -> bool:
    """The Dutch citizen service number 11-check (weights 9..2, last digit -1)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


# -- the roster: which pupils a message names --------------------------------------------

_TITLES = {"juf", "juffrouw", "meester", "meneer", "mevrouw", "mw", "dhr", "mr", "directeur",
           "dr", "familie", "fam"}


@dataclass(frozen=True)
class _Roster:
    full: re.Pattern | None
    full_index: dict[str, int]
    first: re.Pattern | None
    first_index: dict[str, int]


# One entry per distinct roster: every class group and every school of the foundation
# (a scan alternates between them item by item). The cache must hold them all: 50
# schools are ~400 rosters, and a miss rebuilds two regexes (~1-5 ms, more than the
# whole detection of an item), which made a 1M-post scan 3-4x slower per item.
@lru_cache(maxsize=4096)
def _roster(pupils: tuple[str, ...]) -> _Roster:
    full_index: dict[str, int] = {}
    firsts: dict[str, list[int]] = {}
    for index, name in enumerate(pupils):
        words = name.split()
        if not words:
            continue
        if len(words) > 1:
            full_index.setdefault(fold(" ".join(words)), index)
        firsts.setdefault(unaccent(words[0]), []).append(index)
    first_index = {name: ids[0] for name, ids in firsts.items()
                   if len(ids) == 1 and len(name) > 1 and name[0].isupper()}
    full = None
    if full_index:
        alternatives = sorted(full_index, key=len, reverse=True)
        full = re.compile(r"(?<!\w)(?:" + "|".join(
            r"\s+".join(re.escape(w) for w in name.split(" ")) for name in alternatives)
            + r")(?!\w)")
    first = None
    if first_index:
        alternatives = sorted(first_index, key=len, reverse=True)
        first = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in alternatives)
                           + r")(?!\w)")
    return _Roster(full, full_index, first, first_index)


def named_pupils(text: str, pupils: Sequence[str]) -> dict[int, list[tuple[int, int]]]:
    """Which roster entries the text names, with the spans where it does."""
    if not pupils:
        return {}
    roster = _roster(tuple(pupils))
    found: dict[int, list[tuple[int, int]]] = {}
    taken: list[tuple[int, int]] = []
    if roster.full is not None:
        folded = fold(text)
        for m in roster.full.finditer(folded):
            index = roster.full_index[" ".join(m.group(0).split())]
            found.setdefault(index, []).append(m.span())
            taken.append(m.span())
    if roster.first is not None:
        for m in roster.first.finditer(unaccent(text)):
            if any(s <= m.start() < e for s, e in taken):
                continue
            before = text[: m.start()].rstrip().rsplit(None, 1)
            if before and fold(before[-1]).strip(".:,") in _TITLES:
                continue
            found.setdefault(roster.first_index[m.group(0)], []).append(m.span())
    return found


# -- detection ----------------------------------------------------------------------------


# A capitalised word (a name, unless it starts a sentence or is a known word).
_CAPITALISED = re.compile(r"(?<!\w)[A-Z\u00c0-\u00de][a-z\u00e0-\u00ff]+(?:-[A-Z][a-z]+)?(?!\w)")


@lru_cache(maxsize=1024)
def _roster_any_case(pupils: tuple[str, ...]) -> re.Pattern | None:
    """Full names and first names of a roster, in any case (for the <naam> slot)."""
    names = set()
    for name in pupils:
        words = fold(name).split()
        if words:
            names.add(r"\s+".join(map(re.escape, words)))
            if len(words[0]) > 2:
                names.add(re.escape(words[0]))
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(names, key=len, reverse=True))
                      + r")(?!\w)")


def _mark_names(text: str, norm: str, pupils: Sequence[str],
                named: dict[int, list[tuple[int, int]]], bundle: _Bundle) -> str:
    """The normalised copy with names replaced by NAME_MARK (same length): roster names
    in any case, and capitalised words inside a sentence that are no known word."""
    spans = [span for found in named.values() for span in found]
    roster = _roster_any_case(tuple(pupils)) if pupils else None
    if roster is not None:
        spans += [m.span() for m in roster.finditer(fold(text))]
    common = _common_words()
    for m in _CAPITALISED.finditer(text):
        before = text[: m.start()].rstrip()
        if not before or before[-1] in ".!?:;\"'(\n":
            continue
        word = norm[m.start():m.end()]
        if word in common or word in bundle.exact or word in _TITLES:
            continue
        spans.append(m.span())
    if not spans:
        return norm
    chars = list(norm)
    for start, end in spans:
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = NAME_MARK
    return "".join(chars)


def _word_span(norm: str, start: int, end: int) -> tuple[int, int]:
    """Widen a match to whole words (for entries that match inside a word)."""
    while start > 0 and (norm[start - 1].isalnum() or norm[start - 1] in "*#"):
        if norm[start - 1] in "*#" and not (start > 1 and norm[start - 2].isalnum()):
            break
        start -= 1
    while end < len(norm) and norm[end].isalnum():
        end += 1
    return start, end


def _sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    left = max(norm.rfind(c, 0, start) for c in ".!?\n") + 1
    rights = [i for i in (norm.find(c, end) for c in ".!?\n") if i >= 0]
    return left, min(rights) if rights else len(norm)


def _spans(pattern: _Compiled, norm: str,
           regex: re.Pattern | None = None) -> list[tuple[int, int]]:
    regex = pattern.pattern if regex is None else regex
    if regex is None or regex.search(norm) is None:
        return []
    spans = [_word_span(norm, *m.span()) for m in regex.finditer(norm) if m.end() > m.start()]
    if spans and pattern.exceptions is not None:
        allowed = [_word_span(norm, *m.span()) for m in pattern.exceptions.finditer(norm)]
        spans = [(s, e) for s, e in spans if not any(a <= s and e <= b for a, b in allowed)]
    return spans


@dataclass(frozen=True)
class _Bundle:
    codes: dict[str, _Compiled]
    exact: dict[str, frozenset[str]]          # squeezed word -> codes
    exact_keys: frozenset[str]
    prefix: dict[str, frozenset[str]]
    suffix: dict[str, frozenset[str]]
    always: tuple[tuple[str, re.Pattern], ...]
    # word of a message -> the codes it triggers; filled as words are met (messages
    # repeat words a lot), emptied when it grows large.
    memo: dict = field(default_factory=dict, compare=False)

    def _word_codes(self, token: str) -> frozenset[str]:
        """The codes one word of a message triggers: an exact key, or a key it begins
        or ends with (with letter runs squeezed and a star as a vowel or an edge)."""
        squeezed = _SQUEEZE.sub(_FIRST_GROUP, token.replace("#", "*"))
        words = [squeezed]
        if "*" in squeezed:
            # A star may be a vowel (k*t, t*ef for teef) or the edge of a word (*kut*).
            collapsed = _STAR_RUN.sub("*", squeezed)
            words += [collapsed, *_PLAIN_WORD.findall(squeezed)]
            for word in (squeezed, collapsed):
                stars = [i for i, c in enumerate(word) if c == "*"]
                words += [word[i + 1:].strip("*") for i in stars]
                words += [word[:i].strip("*") for i in stars] + [word.strip("*")]
                # a key may itself end or start with a star (t*k* for tokkie)
                words += [word[i + 1:] for i in stars] + [word[:i] for i in stars]
        codes: set[str] = set()
        exact, prefix, suffix = self.exact, self.prefix, self.suffix
        for word in words:
            if word in exact:
                codes |= exact[word]
            for size in range(1, len(word) + 1):
                head, tail = word[:size], word[-size:]
                if head in prefix:
                    codes |= prefix[head]
                if tail in suffix:
                    codes |= suffix[tail]
        return frozenset(codes)

    def triggered(self, norm: str) -> set[str]:
        """The codes whose key occurs in the (normalised) message."""
        memo = self.memo
        codes: set[str] = set()
        for token in _TOKEN.findall(norm):
            hit = memo.get(token)
            if hit is None:
                if len(memo) > 100_000:
                    memo.clear()
                hit = memo[token] = self._word_codes(token)
            if hit:
                codes |= hit
        if not norm.isascii():
            for symbol in _SYMBOL.findall(norm):
                codes |= self.exact.get(symbol, frozenset())
        for code, regex in self.always:
            if code not in codes and regex.search(norm):
                codes.add(code)
        return codes


def _build_bundle(extras: Mapping[str, tuple[str, ...]]) -> _Bundle:
    """Compile every code in ``extras`` (code -> a school's extra entries); a code's
    compiled list is shared between bundles (schools) that add nothing to it."""
    # Part names: "<code>~plain" and "<code>~pattern" (see compiled()).
    codes = tuple((f"{code}~{part}", c) for code, extra in extras.items()
                  for part, c in zip(("plain", "pattern"), compiled(code, extra), strict=True))
    tables: dict[str, dict[str, set[str]]] = {"exact": {}, "prefix": {}, "suffix": {}}
    always = []
    for code, c in codes:
        for kind, key in c.keys:
            for variant in _variants(key):
                tables[kind].setdefault(variant, set()).add(code)
        if c.always:
            always.append((code, regex_cache.compile(_trie_regex(c.always))))
    exact, prefix, suffix = ({k: frozenset(v) for k, v in tables[kind].items()}
                             for kind in ("exact", "prefix", "suffix"))
    return _Bundle({code: c for code, c in codes if c.pattern or c.weak}, exact,
                   frozenset(exact), prefix, suffix, tuple(always))


def _pack_bundle(bundle: _Bundle, packer: regex_cache.Packer) -> dict:
    def table(t: dict[str, frozenset[str]]) -> dict[str, list[str]]:
        return {k: sorted(v) for k, v in t.items()}

    return {
        "codes": [[code, packer.pack(c.pattern), packer.pack(c.exceptions),
                   packer.pack(c.weak), c.names] for code, c in bundle.codes.items()],
        "exact": table(bundle.exact), "prefix": table(bundle.prefix),
        "suffix": table(bundle.suffix),
        "always": [[code, packer.pack(regex)] for code, regex in bundle.always],
    }


def _unpack_bundle(data: dict, unpacker: regex_cache.Unpacker) -> _Bundle:
    def table(t: dict[str, list[str]]) -> dict[str, frozenset[str]]:
        return {str(k): frozenset(map(str, v)) for k, v in t.items()}

    codes = {str(code): _Compiled(unpacker.unpack(pattern), unpacker.unpack(exceptions),
                                  weak=unpacker.unpack(weak), names=bool(names))
             for code, pattern, exceptions, weak, names in data["codes"]}
    exact = table(data["exact"])
    return _Bundle(codes, exact, frozenset(exact), table(data["prefix"]),
                   table(data["suffix"]),
                   tuple((str(code), unpacker.unpack(ref)) for code, ref in data["always"]))


# Bump when the compiled form changes meaning (pattern syntax, bundle layout).
_CACHE_FORMAT = 3


@lru_cache(maxsize=256)
def _bundle(allow: frozenset[str], extra: tuple[tuple[str, tuple[str, ...]], ...]) -> _Bundle:
    """Every code's compiled list (a school's extra entries added, allowed codes left
    out). Loaded from the disk cache (:mod:`moderator.policy.regex_cache`) when the
    lists are unchanged; compiled and saved otherwise."""
    extras = dict(extra)
    # A school may also add words for a code without a list of its own (e.g. 'negative').
    added = tuple(code for code in extras if code not in LIST_CODES and code in ITEM_REASONS)
    lists = {code: read_wordlist(code) + list(extras.get(code, ()))
             for code in LIST_CODES + added if code not in allow}
    # The code that builds the patterns is part of the key: editing it rebuilds too.
    sources = [hashlib.sha256(Path(m.__file__).read_bytes()).hexdigest()
               for m in (sys.modules[__name__], sys.modules[normalize.__module__])]
    key = regex_cache.digest(_CACHE_FORMAT, lists, read_wordlist("_common"),
                             read_wordlist("_slots"), sources)
    cached = regex_cache.load("bundle", key)
    if cached is not None:
        try:
            return _unpack_bundle(*cached)
        except (ValueError, KeyError, TypeError, IndexError, RuntimeError):
            pass
    bundle = _build_bundle({code: tuple(extras.get(code, ())) for code in lists})
    if regex_cache.enabled():
        try:
            packer = regex_cache.Packer()
            data = _pack_bundle(bundle, packer)
        except Exception:   # noqa: BLE001 - the cache is an optimisation only
            return bundle
        regex_cache.save("bundle", key, data, packer)
    return bundle


_NO_EXTRA: tuple = ()
_NO_ALLOW: frozenset[str] = frozenset()


def detect(
    text: str, *, pupils: Sequence[str] = (),
    extra_words: Mapping[str, Sequence[str]] | None = None, allow: Collection[str] = (),
) -> list[Finding]:
    """Every violation found in ``text``, ordered by position.

    ``pupils``: the roster (full names) of the group or school the message is posted in.
    ``extra_words``: a school's approved extra entries per code (same syntax as the lists).
    ``allow``: codes not to report (e.g. ``political_religious`` at a school whose
    identity it fits).
    """
    if not text:
        return []
    extra = (tuple(sorted((code, tuple(words)) for code, words in extra_words.items()))
             if extra_words else _NO_EXTRA)
    bundle = _bundle(frozenset(allow) if allow else _NO_ALLOW, extra)
    norm = normalize(text)
    findings: list[Finding] = []
    named: dict[int, list[tuple[int, int]]] | None = None
    triggered = bundle.triggered(norm)
    marked: str | None = None
    found: dict[str, tuple[list, list]] = {}
    for part, pattern in bundle.codes.items():
        code = part.partition("~")[0]
        if part not in triggered and code not in triggered:
            continue
        view = norm
        if pattern.names:
            if marked is None:
                named = named_pupils(text, pupils) if named is None else named
                marked = _mark_names(text, norm, pupils, named, bundle)
            view = marked
        strong, weak = found.setdefault(code, ([], []))
        strong += _spans(pattern, view)
        if pattern.weak is not None:
            weak += _spans(pattern, view, pattern.weak)
    for code, (strong, weak) in found.items():
        # A weak entry (an emoji, a short ambiguous word) decides only together with
        # another finding of the same code. A span inside another one is dropped.
        spans = strong + weak if strong or len(weak) > 1 else []
        spans = [(s, e) for s, e in set(spans)
                 if not any(a <= s and e <= b and (a, b) != (s, e) for a, b in spans)]
        if not spans:
            continue
        spans.sort()
        if code == "confidential" and spans:
            named = named_pupils(text, pupils) if named is None else named
            spans = _personal(text, norm, spans, named)
        elif code == "pupil_results" and spans:
            named = named_pupils(text, pupils) if named is None else named
            spans = _about_a_pupil(text, norm, spans, named)
        for start, end in spans:
            findings.append(Finding(code, start, end, text[start:end]))
    if "confidential" not in allow and _DIGITS.search(text):
        for start, end in _bsn_spans(text):
            findings.append(Finding("confidential", start, end, text[start:end]))
    if pupils and "pupil_results" not in allow and _MARK.search(text):
        named = named_pupils(text, pupils) if named is None else named
        for start, end in _marks_list(text, named):
            findings.append(Finding("pupil_results", start, end, text[start:end]))
    if pupils and "individual_child" not in allow:
        named = named_pupils(text, pupils) if named is None else named
        if len(named) == 1:
            for start, end in next(iter(named.values())):
                findings.append(Finding("individual_child", start, end, text[start:end]))
    if len(findings) > 1:
        findings.sort(key=lambda f: (f.start, f.end, f.reason))
    return findings


_DIGITS = re.compile(r"\d{3}")


def _personal(text: str, norm: str, spans: list[tuple[int, int]],
              named: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Keep confidential terms that stand in a sentence about a person."""
    markers = _spans(_person_markers(), norm)
    markers += [m.span() for m in _NAMED_SUBJECT.finditer(text)]
    names = [span for spans_ in named.values() for span in spans_]
    staff = _spans(_staff_words(), norm)
    kept = []
    for start, end in spans:
        left, right = _sentence(norm, start, end)
        if any(left <= s and e <= right for s, e in names):
            kept.append((start, end))
        elif any(left <= s and e <= right for s, e in markers):
            about_staff = any(left <= s and e <= right for s, e in staff)
            if not about_staff or _CHILD.search(norm, left, right):
                kept.append((start, end))
    return kept


def _about_a_pupil(text: str, norm: str, spans: list[tuple[int, int]],
                   named: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Keep result terms in a sentence that names a pupil (roster or named subject)."""
    names = [span for found in named.values() for span in found]
    names += [m.span() for m in _NAMED_SUBJECT.finditer(text)]
    kept = []
    for start, end in spans:
        left, right = _sentence(norm, start, end)
        if any(left <= s < right for s, _ in names):
            kept.append((start, end))
    return kept


_MARK = re.compile(r"\d")
# A mark right after a name: "Daan 8", "Sanne: 7,5", "Lotte (9)".
_AFTER_NAME = re.compile(r"\s*[:=(-]?\s*(\d{1,2}(?:[.,]\d)?)(?![\d.,]\d|\s*(?:uur|jaar|euro|min))")


def _marks_list(text: str, named: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Two or more pupils each followed by a mark: a list of results."""
    found = []
    for spans in named.values():
        for start, end in spans:
            m = _AFTER_NAME.match(text, end)
            if m and float(m.group(1).replace(",", ".")) <= 10:
                found.append((start, m.end()))
                break
    return found if len(found) >= 2 else []


def _bsn_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _BSN.finditer(text):
        if valid_bsn(re.sub(r"\D", "", m.group(0))):
            out.append(m.span())
    return out


def contains_bsn(text: str | None) -> bool:
    """Does the text hold a valid BSN (11-check)? For the breach register."""
    return bool(text) and bool(_bsn_spans(text))


def explain(finding: Finding) -> str:
    """One Dutch line for a director: the rule, where the policy says it, and the words.
    Contains portal text: show it through moderator.text."""
    from moderator.policy.catalogue import reason as catalogue_reason

    rule = catalogue_reason(finding.reason)
    quoted = " ".join(finding.text.split())
    return f"{rule.label} ({rule.section}): «{quoted}», positie {finding.start}-{finding.end}"


def reasons_of(findings: Sequence[Finding]) -> list[str]:
    """The distinct codes of some findings, in catalogue order."""
    if not findings:
        return []
    present = {f.reason for f in findings}
    return [code for code in _REASON_ORDER if code in present]


_REASON_ORDER = TEXT_REASONS + tuple(c for c in ITEM_REASONS if c not in TEXT_REASONS)
