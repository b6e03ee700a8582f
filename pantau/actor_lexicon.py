"""The actor lexicon: surface forms of countries, agents, organisations and people.

Built once per language (and per set of active user dictionaries) from
- ``lang/<code>/countries.tsv`` and CLDR country names (kind ``country``);
- ``lang/<code>/actors.tsv``: agents, organisations, capitals, outlets, pronouns and the
  word lists the actor stage needs (markers, locatives, name stops, particles, joiners);
- ``data/office_holders.tsv``: dated office holders, language-neutral (kind ``person``);
- user dictionaries (:mod:`pantau.userdict`), whose entries replace built-in ones of the
  same surface form.
One Aho-Corasick automaton finds every entry at word boundaries (see :func:`norm_key`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import ahocorasick

from pantau.countries import alpha3_to_alpha2, country_names, english_name
from pantau.errors import DataError
from pantau.lexicon import data_file, lang_file

_NONWORD = re.compile(r"[\W_]")
# A name token: a capital (any letter but a lower-case Latin one), then letters, digits or
# hyphens; an apostrophe only inside (Ma'ruf), so a possessive "'s" stays out of the name.
_NAME = r"[^\W\d_a-zß-öø-ÿ][\w\-]*(?:['’][^\W\d_]{2,}[\w\-]*)*"
# When one key has several entries, the more specific kind wins.
PRIORITY = ("ignore", "outlet", "person", "org", "agent", "pronoun", "metonym", "country")
_WORD_LISTS = ("marker", "locative", "namestop", "particle", "joiner", "rank")
HOLDERS = "office_holders.tsv"
# Offices one person holds per country at a time: a title naming one and a country
# ("Menlu AS") identifies the holder. Spokespersons, ministers in general, governors do not.
UNIQUE_OFFICES = frozenset({
    "president", "vice president", "prime minister", "king", "queen", "emir", "sultan",
    "emperor", "chancellor", "supreme leader", "crown prince", "pope", "foreign minister",
    "defence minister", "interior minister", "police chief", "army chief",
    "armed forces chief", "secretary-general",
})  # fmt: skip
Valid = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Entry:
    """One surface form of the lexicon (columns of actors.tsv)."""

    name: str
    kind: str  # country | agent | org | person | metonym | outlet | pronoun | ignore
    code: str | None = None  # "-" = known to have no country
    sector: str | None = None
    weak: bool = False  # sector only a default when no other word of the phrase gives one
    label: str = ""
    office: str | None = None
    plural: bool = False
    ctx: str = "focus"  # focus | recent | drop
    valid: Valid = (None, None)  # in force from valid[0] (inclusive) to valid[1] (exclusive)
    case: int = 0  # 0 any case, 1 capitalised, 2 exactly as written
    short: tuple[str, ...] = ()  # forms that name the person only after a full mention
    also: tuple[str, ...] = ()  # more codes when one name stands for several actors

    def fits(self, surface: str) -> bool:
        if self.case == 2:  # "AS" is the US, "as" is not
            return _NONWORD.sub("", surface) == _NONWORD.sub("", self.name)
        return self.case == 0 or surface[:1].isupper()

    def covers(self, day: dt.date) -> bool:
        return (self.valid[0] or dt.date.min) <= day < (self.valid[1] or dt.date.max)


class EntrySource(Protocol):
    """What the lexicon needs of a user dictionary (see :class:`pantau.userdict.UserDictionary`);
    it is hashed by identity, so building the automaton again is only needed for a new one."""

    entries: list[Entry]
    countries: frozenset[str]


@dataclass
class Lexicon:
    automaton: Any
    head_first: bool
    words: dict[str, frozenset[str]]
    # "negara ... itu" -> country pronoun: the frames, their head words alone (a cheap
    # search for where a frame may start), the entry
    frame: tuple[re.Pattern[str], re.Pattern[str], Entry] | None
    name: re.Pattern[str]  # up to four name tokens after a title, not a day or month
    countries: frozenset[str]  # codes that are countries (ISO3 and user dictionaries' own)


def norm_key(name: str) -> str:
    """Normalised like the text the automaton reads: lower case, punctuation a space."""
    return " " + " ".join(_NONWORD.sub(" ", name.lower()).split()) + " "


class _Blanks(dict):
    """str.translate table: code point -> a space for what ``_NONWORD`` matches, else
    itself; filled as characters are met (translate is several times faster than sub)."""

    def __missing__(self, code: int) -> int:
        self[code] = value = 32 if _NONWORD.match(chr(code)) else code
        return value


_BLANKS = _Blanks()


def norm_text(text: str) -> str:
    """``text`` as the automaton reads it, offsets kept: index i + 1 is text[i]."""
    low = text.lower()
    if len(low) != len(text):  # a few characters grow when lower-cased: keep offsets 1:1
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return " " + low.translate(_BLANKS) + " "


def case_of(name: str) -> int:
    """See Entry.case: short all-capitals names match exactly, capitalised ones capitalised."""
    letters = "".join(c for c in name if c.isalpha())
    return 2 if len(letters) <= 6 and letters.isupper() else int(name[:1].isupper())


def _date(text: str, where: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise DataError(f"not an ISO date: {text!r}", where) from exc


def person_entries(row: dict[str, str], where: str) -> list[Entry]:
    """Entries for one office-holder row: ``name`` holds variants ``a|b``; a variant written
    ``~Johnson`` is a short form that names the person only after a full mention."""
    names = [n.strip() for n in row["name"].split("|") if n.strip()]
    full = [n for n in names if not n.startswith("~")]
    if not full:
        raise DataError("no full name", where)
    valid = (_date(row.get("valid_from", ""), where), _date(row.get("valid_to", ""), where))
    if valid[0] and valid[1] and valid[0] >= valid[1]:
        raise DataError("valid_from is not before valid_to", where)
    short = tuple(n[1:] for n in names if n.startswith("~"))
    code, sector, office = (row.get(k) or None for k in ("country", "sector", "office"))
    base = Entry(full[0], "person", code, sector, label=full[0], office=office, valid=valid)
    base = dataclasses.replace(base, short=short)
    return [dataclasses.replace(base, name=n, case=case_of(n)) for n in full]


@functools.cache
def office_holders() -> tuple[Entry, ...]:
    """Every person entry of ``data/office_holders.tsv`` (one per name variant and term)."""
    entries: list[Entry] = []
    for line, row in enumerate(data_file(HOLDERS), start=2):
        entries.extend(person_entries(row, f"{HOLDERS} row {line}"))
    return tuple(entries)


@functools.cache
def _holders_by_office() -> dict[tuple[str, str], list[Entry]]:
    table: dict[tuple[str, str], list[Entry]] = {}
    for e in office_holders():
        if e.name == e.label and e.code and e.office:
            table.setdefault((e.code, e.office), []).append(e)
    return table


def office_holder(code: str, office: str, day: dt.date | None) -> Entry | None:
    """Who held ``office`` ("foreign minister") in country ``code`` on ``day``, if known."""
    if day is None or office not in UNIQUE_OFFICES:
        return None
    current = [e for e in _holders_by_office().get((code, office), []) if e.covers(day)]
    return current[0] if len(current) == 1 else None


def _lang_entries(lang: str) -> tuple[list[Entry], dict[str, set[str]], bool, list]:
    """Entries, word lists, head position and "negara ... itu" frames of actors.tsv."""
    entries: list[Entry] = []
    words: dict[str, set[str]] = {k: set() for k in _WORD_LISTS}
    head_first, frames = True, []
    rows = lang_file(lang, "countries.tsv")
    own = {row["name"].lower() for row in rows}
    # CLDR names are capitalised in running text; aliases keep the case they are written in
    cldr = [(n, c, 1) for n, c in country_names(lang).items() if n not in own]
    for name, code, case in cldr + [(r["name"], r["code"], case_of(r["name"])) for r in rows]:
        entries.append(Entry(name, "country", code=code, case=case))
    for row in lang_file(lang, "actors.tsv"):
        kind, names, sector = row["kind"], row["name"].split("|"), row.get("sector", "")
        if kind == "setting":
            head_first = row["label"] == "first"  # the only setting: where the head noun is
        elif kind in words:
            words[kind].update(n.lower() for n in names)
        else:
            valid = (_date(row.get("valid_from", ""), lang), _date(row.get("valid_to", ""), lang))
            base = Entry(names[0], kind, row.get("code") or None, sector.rstrip("?") or None,
                         sector.endswith("?"), row.get("label", ""), row.get("office") or None,
                         row.get("plural") == "1", row.get("ctx") or "focus", valid)  # fmt: skip
            for name in names:
                if " ... " in name:
                    frames.append((name, base))
                else:
                    entries.append(dataclasses.replace(base, name=name, case=case_of(name)))
    return entries, words, head_first, frames


def _table(builtin: Iterable[Entry], user: Sequence[EntrySource]) -> dict[str, list[Entry]]:
    """Surface key -> entries. A user dictionary's entries replace those of the built-ins and
    of earlier dictionaries for the same key, unless a built-in one says the same (kind,
    code, sector) and so keeps its office and plural."""
    table: dict[str, list[Entry]] = {}
    for e in builtin:
        table.setdefault(norm_key(e.name), []).append(e)
    owner: dict[str, int] = {}  # key -> the dictionary whose entries it holds now
    for i, source in enumerate(user):
        for e in source.entries:
            key = norm_key(e.name)
            same = (e.kind, e.code, e.sector)
            if key not in owner and any(
                (b.kind, b.code, b.sector) == same for b in table.get(key, [])
            ):
                continue
            if owner.get(key) != i:
                table[key], owner[key] = [], i
            table[key].append(e)
    return table


@functools.cache
def lexicon(lang: str, user: tuple[EntrySource, ...] = ()) -> Lexicon:
    """A language's automaton and word lists, with ``user`` dictionaries (built once each)."""
    entries, words, head_first, frames = _lang_entries(lang)
    table = _table(entries + list(office_holders()), user)
    automaton = ahocorasick.Automaton()
    for key, found in table.items():
        found.sort(key=lambda e: PRIORITY.index(e.kind))
        automaton.add_word(key, (key, tuple(found)))
    automaton.make_automaton()
    alts, heads = [], []  # "negara ... itu": head, up to three words (never the head again), tail
    for head, tail in (map(re.escape, f.split(" ... ")) for f, _ in frames):
        alts.append(rf"(?<![\w-]){head}(?:\s+(?!{head}\b)[\w-]+){{0,3}}?\s+{tail}\b")
        heads.append(head)
    frame = None
    if frames:
        frame = (re.compile("|".join(alts), re.I), re.compile("|".join(heads), re.I), frames[0][1])
    stop = "|".join(map(re.escape, words["namestop"])) or "(?!)"
    token = rf"(?!(?i:{stop})\b){_NAME}"
    link = "|".join(rf"{re.escape(p)}[ \t]+" for p in words["particle"])
    ranks = "|".join(map(re.escape, sorted(words["rank"], key=len, reverse=True)))
    rank = rf"(?:(?i:{ranks})[ \t]+){{0,2}}" if ranks else ""  # "Marsekal", "Jenderal Polisi"
    name = re.compile(rf"[ \t]+{rank}({token}(?:[ \t]+(?:{link})?{token}){{0,3}})")
    countries = frozenset(alpha3_to_alpha2()).union(*(u.countries for u in user))
    frozen = {k: frozenset(v) for k, v in words.items()}
    return Lexicon(automaton, head_first, frozen, frame, name, countries)


@functools.cache
def country_display(code: str) -> str:
    """English name of a country for ``identifier_text`` (canonical rows of en/countries.tsv)."""
    rows = lang_file("en", "countries.tsv")
    names = {r["code"]: r["name"] for r in rows if r["kind"] == "canonical"}
    return names.get(code) or english_name(code) or code


def pick(entries: Sequence[Entry], day: dt.date | None) -> Entry:
    """The entry for a surface form on ``day``: of the most specific kind, the dated entry in
    force (the shortest term when several are), else an undated default. A person out of
    office keeps the country: sector ELI (former official) after a term, none before one."""
    top = [e for e in entries if e.kind == entries[0].kind]
    if len(top) == 1 and top[0].valid == (None, None):
        return top[0]
    dated = [e for e in top if e.valid != (None, None)]
    undated = [e for e in top if e.valid == (None, None)]
    if day is None:  # undated article: the default, else the latest term
        return undated[0] if undated else max(dated, key=lambda e: e.valid[0] or dt.date.min)
    current = [e for e in dated if e.covers(day)]
    if current:
        return min(current, key=lambda e: (e.valid[1] or dt.date.max) - (e.valid[0] or dt.date.min))
    if undated or top[0].kind != "person":
        return (undated or top)[0]
    former = any(e.valid[1] and e.valid[1] <= day for e in dated)
    return dataclasses.replace(top[0], sector="ELI" if former else None, office=None)
