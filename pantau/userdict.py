"""User dictionaries: a user's own actors and agents, loaded explicitly for one process.

Two formats are read:
- PETRARCH/TABARI actor and agent dictionaries (CAMEO codes): ``NAME [CODE]`` lines,
  ``+SYNONYM`` lines, dated code blocks ``[CODE <YYMMDD]``, ``[CODE >YYYYMMDD]``,
  ``[CODE YYYYMMDD-YYYYMMDD]``; agents ``NOUN {PLURAL} [~SECTOR]`` with ``!MARKER!``
  substitution sets. A code is split into its country part (the first three letters; the
  whole code for international types such as ``IGOEEU``) and its first agent part that is
  a sector (``ARNGOV`` -> ``ARN``/``GOV``).
- CSV with a header ``name,country,sector,valid_from,valid_to`` and optional ``office``,
  ``kind`` (person, the default | org | country | agent) and ``note``; ``name`` may list
  variants ``a|b`` (``~Short`` = a short form used only after the full name, as in
  ``data/office_holders.tsv``). ``valid_to`` is the first day out of office.

``load(path)`` reads a file; ``using(d1, d2)`` (or ``activate``) makes dictionaries part of
the actor lexicon until the block ends. Nothing is global beyond this process.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pantau import plover
from pantau.actor_lexicon import Entry, person_entries
from pantau.countries import alpha3_to_alpha2
from pantau.errors import DataError

# CAMEO agent codes whose PLOVER sector has another name (CAMEO MED is the media).
_CAMEO_SECTORS = {"MED": "JRN", "HLH": "MED", "HRI": "SOC", "NGM": "SOC", "ENV": "SOC"}
_RELIGIONS = {"MUS", "CHR", "JEW", "HIN", "BUD", "JAN", "SIK", "SHN", "ZRO", "BAH", "CPT"}
# CAMEO codes for actors that are not countries: the whole code names the actor.
_INTERNATIONAL = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB", "MNC": "BUS", "NGM": "SOC"}
_CSV_COLUMNS = ("name", "country", "sector", "valid_from", "valid_to")
_KINDS = ("person", "org", "country", "agent")
_XML_COMMENT = re.compile(r"<!.*?(?:-->|>)", re.S)
T = TypeVar("T")


@dataclass(eq=False)  # hashed by identity: the lexicon caches one automaton per dictionary set
class UserDictionary:
    """Entries read from one file, with the problems met while reading it."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    countries: frozenset[str] = frozenset()  # country codes it defines (Gondor: GON)
    problems: list[str] = field(default_factory=list)  # "file:line: message"


class ActiveSet(Generic[T]):
    """The dictionaries of one kind a process codes with now: activated, or active for a
    ``with`` block. Nothing is shared beyond the process."""

    def __init__(self) -> None:
        self._items: tuple[T, ...] = ()

    def active(self) -> tuple[T, ...]:
        return self._items

    def activate(self, *items: T) -> None:
        self._items = tuple(items)

    @contextlib.contextmanager
    def using(self, *items: T) -> Iterator[None]:
        before = self._items
        self._items = (*before, *items)
        try:
            yield
        finally:
            self._items = before


_ACTIVE: ActiveSet[UserDictionary] = ActiveSet()


def active() -> tuple[UserDictionary, ...]:
    """The dictionaries the actor stage uses now (empty unless activated)."""
    return _ACTIVE.active()


def activate(*dicts: UserDictionary) -> None:
    """Use ``dicts`` (in this order, later ones winning) from now on; none: built-ins only."""
    _ACTIVE.activate(*dicts)


def using(*dicts: UserDictionary) -> contextlib.AbstractContextManager[None]:
    """``with using(load("my.csv")): code_article(...)``: active for the block only."""
    return _ACTIVE.using(*dicts)


def load(path: str | Path, fmt: str | None = None) -> UserDictionary:
    """Read a dictionary; ``fmt`` is csv | actors | agents (default: from the content).

    Lines that cannot be read are skipped and listed in ``problems``; an unreadable or
    empty file raises :class:`~pantau.errors.DataError`.
    """
    return load_text(read_text(path), str(path), fmt)


def read_text(path: str | Path) -> str:
    """A dictionary file's text; DataError when it cannot be read as UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", str(path)) from exc


def load_text(text: str, path: str, fmt: str | None = None) -> UserDictionary:
    """:func:`load` of a text already read (``path`` names it in messages)."""
    fmt = fmt or guess_format(text)
    reader = {"csv": _read_csv, "actors": _read_actors, "agents": _read_agents}.get(fmt)
    if reader is None:
        raise DataError(f"unknown dictionary format {fmt!r} (csv, actors, agents)", str(path))
    found = UserDictionary(str(path))
    reader(text, found)
    if not found.entries:
        raise DataError("no dictionary entries found", str(path))
    found.countries = frozenset(
        e.code for e in found.entries if e.kind == "country" and e.code and e.code != "-"
    )
    return found


def load_any(paths: list[str | Path]) -> tuple[list[UserDictionary], list[Any]]:
    """Actor/agent/CSV dictionaries and PETRARCH verb dictionaries (:mod:`pantau.verbdict`)
    from ``paths``, each file's kind told by its content."""
    return load_texts([(str(path), read_text(path)) for path in paths])


def load_texts(texts: list[tuple[str, str]]) -> tuple[list[UserDictionary], list[Any]]:
    """:func:`load_any` of (name, text) pairs already read: what a Spark executor gets."""
    from pantau import verbdict

    actors, verbs = [], []
    for name, text in texts:
        if verbdict.is_verb_dictionary(text):
            verbs.append(verbdict.load_text(text, name))
        else:
            actors.append(load_text(text, name))
    return actors, verbs


@contextlib.contextmanager
def using_files(paths: list[str | Path]) -> Iterator[list[str]]:
    """``with using_files(["actors.txt", "verbs.txt"]) as problems:``: every dictionary
    of :func:`load_any` active for the block; yields the lines that were skipped."""
    from pantau import verbdict

    actors, verbs = load_any(paths)
    with using(*actors), verbdict.using(*verbs):
        yield [p for d in [*actors, *verbs] for p in d.problems]


def guess_format(text: str) -> str:
    """csv when the first line is a CSV header with ``name``; agents when codes start with
    ``~`` or end with it; else actors."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if first.lower().replace(" ", "").startswith("name,"):
        return "csv"
    codes = re.findall(r"\[\s*([^\]\s]*)", _XML_COMMENT.sub("", text))
    tilde = sum("~" in c for c in codes)
    return "agents" if codes and tilde * 2 > len(codes) else "actors"


def split_code(raw: str) -> tuple[str | None, str | None] | None:
    """(pantau code, PLOVER sector) of a CAMEO actor code; None when it is a discard."""
    raw = raw.strip().upper()
    if not raw or raw[0] in "#+" or not re.fullmatch(r"[A-Z0-9\-]{3,}", raw):
        return None
    head, rest = raw[:3], [raw[i : i + 3] for i in range(3, len(raw), 3)]
    if head in _INTERNATIONAL:
        return raw, _INTERNATIONAL[head]
    return ("-" if head == "---" else head), next(filter(None, map(cameo_sector, rest)), None)


def cameo_sector(code: str) -> str | None:
    """PLOVER sector for a three-letter CAMEO agent code (GOV -> GOV, MED -> JRN)."""
    code = _CAMEO_SECTORS.get(code, code)
    if code in _RELIGIONS:
        return "REL"
    return code if code in plover.sectors() else None


def _date(text: str) -> dt.date:
    """YYYYMMDD, or YYMMDD with 00-30 read as 20YY (the KEDS/TABARI rule)."""
    text = text.strip()
    if len(text) == 6:
        year = int(text[:2])
        text = f"{year + (2000 if year <= 30 else 1900)}{text[2:]}"
    return dt.datetime.strptime(text[:8], "%Y%m%d").date()


def _code_block(block: str) -> tuple[str, tuple[dt.date | None, dt.date | None]]:
    """``HOBGOV 19950601 - 19990815`` -> ("HOBGOV", (from, to)); raises ValueError."""
    parts = block.split(None, 1)
    code, when = parts[0], (parts[1].replace(" ", "") if len(parts) > 1 else "")
    if not when:
        return code, (None, None)
    if when[0] == "<":
        return code, (None, _date(when[1:]))
    if when[0] == ">":
        return code, (_date(when[1:]) + dt.timedelta(days=1), None)
    lo, sep, hi = when.partition("-")
    if not sep:
        raise ValueError(f"bad date restriction {when!r}")
    return code, (_date(lo), _date(hi) + dt.timedelta(days=1))


def _strip(text: str) -> list[tuple[int, str]]:
    """Numbered lines without XML or # comments (line numbers kept for messages)."""
    text = _XML_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            lines.append((n, line))
    return lines


def _phrase(name: str) -> str:
    """A dictionary phrase as text: underscores are spaces, a leading THE is dropped."""
    words = name.replace("_", " ").split()
    if len(words) > 1 and words[0].upper() == "THE":
        words = words[1:]
    return " ".join(w if "." in w else w.capitalize() for w in words)  # U.S. stays


def _read_actors(text: str, out: UserDictionary) -> None:
    names: list[str] = []
    blocks: list[tuple[str, tuple]] = []

    def flush() -> None:
        coded = []
        for raw, valid in blocks:
            splits = [split_code(c) for c in raw.split("/")]  # "ELR/GAL": several actors
            if splits[0] is None:
                continue
            code, sector = splits[0]
            also = tuple(c for c, _ in filter(None, splits[1:]) if c)
            kind = "org"  # a bare three-letter code that is no organisation names a country
            if code and re.fullmatch("[A-Z]{3}", code) and not sector:
                igo = code in plover.igo_codes()
                kind, sector = ("org", plover.entity_sector(code)) if igo else ("country", None)
            coded.append((code, sector, also, kind, valid))
        # "[--- <990101] [ABC]": a no-actor term is of the kind of the name's other terms, so
        # that the lexicon weighs the terms against each other
        kinds = [kind for code, _, _, kind, _ in coded if code != "-"]
        for code, sector, also, kind, valid in coded:
            kind = kinds[0] if code == "-" and kinds else kind
            for n in names:
                entry = Entry(n, kind, code, sector, label=names[0], valid=valid, case=1, also=also)
                out.entries.append(entry)
        names.clear()
        blocks.clear()

    for n, line in _strip(text):
        stripped = line.strip()
        if stripped.startswith("["):
            try:
                blocks.append(_code_block(stripped.strip("[] \t")))
            except ValueError as exc:
                out.problems.append(f"{out.path}:{n}: {exc}")
        elif stripped.startswith("+"):
            names.append(_phrase(stripped[1:].split("[")[0]))
        else:
            flush()
            name, _, code = stripped.partition("[")
            names.append(_phrase(name))
            if code:
                try:
                    blocks.append(_code_block(code.split("]")[0]))
                except ValueError as exc:
                    out.problems.append(f"{out.path}:{n}: {exc}")
    flush()


def _plural(noun: str) -> str:
    if noun.endswith("Y") and noun[-2:-1] not in tuple("AEIOU"):
        return noun[:-1] + "IES"
    return noun + ("ES" if noun.endswith(("S", "X", "CH", "SH")) else "S")


def _read_agents(text: str, out: UserDictionary) -> None:
    markers: dict[str, list[str]] = {}
    for n, line in _strip(text):
        if "!" in line and "=" in line and "[" not in line:
            name, _, values = line.partition("=")
            markers[name.strip().strip("!")] = [v.strip() for v in values.split(",")]
            continue
        phrase, _, code = line.partition("[")
        code = code.split("]")[0].strip()
        sector = next(filter(None, map(cameo_sector, re.findall(r"[A-Z]{3}", code.upper()))), None)
        if not code or sector is None:
            out.problems.append(f"{out.path}:{n}: no sector in agent code [{code}]")
            continue
        phrase, brace, plural = phrase.partition("{")
        forms = [phrase.strip()]
        if m := re.search(r"!(\w+)!", phrase):
            if m.group(1) not in markers:
                out.problems.append(f"{out.path}:{n}: undefined marker !{m.group(1)}!")
                continue
            forms = [phrase.strip().replace(m.group(), v) for v in markers[m.group(1)]]
        elif brace:
            forms.append(plural.split("}")[0].strip())
        else:
            forms.append(_plural(forms[0]))
        for i, form in enumerate(filter(None, forms)):
            name = form.replace("_", " ").lower()
            plural = i > 0 and not m  # the plural form the file gave or implied
            out.entries.append(Entry(name, "agent", None, sector, label=name, plural=plural))


def _read_csv(text: str, out: UserDictionary) -> None:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if missing := [c for c in _CSV_COLUMNS if c not in header]:
        raise DataError(f"CSV header lacks {', '.join(missing)}", out.path)
    rows = [({(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()},
             reader.line_num) for raw in reader]  # fmt: skip
    own = {row["country"] for row, _ in rows if row.get("kind") == "country"}
    known = set(plover.igo_codes()) | set(alpha3_to_alpha2()) | own
    for row, line in rows:
        where = f"{out.path}:{line}"
        kind, code, sector = row.get("kind") or "person", row["country"], row["sector"]
        problems = []
        if kind not in _KINDS:
            problems.append(f"kind must be one of {', '.join(_KINDS)}, not {kind!r}")
        if sector and sector not in plover.sectors():
            problems.append(f"unknown sector {sector!r}")
        if code and code != "-" and code not in known and kind != "org":
            problems.append(f"unknown country code {code!r} (define it in a kind=country row)")
        try:
            entries = person_entries(row, where)
        except DataError as exc:
            problems.append(str(exc).removeprefix(where + ": "))
        if problems:
            out.problems.extend(f"{where}: {p}" for p in problems)
            continue
        if kind != "person":  # only people bind by a short form and lose office after a term
            entries = [dataclasses.replace(e, kind=kind, short=()) for e in entries]
        out.entries.extend(entries)


def check(path: str | Path) -> tuple[Any, list[str]]:
    """Read a dictionary for ``pantau actors check``: (the dictionary, every problem); a
    PETRARCH verb dictionary is read as one (:mod:`pantau.verbdict`)."""
    try:
        actors, verbs = load_any([path])
    except DataError as exc:
        return None, [str(exc)]
    found = (actors or verbs)[0]
    return found, found.problems


def summary(found: Any) -> str:
    """``12 entries: 3 country, 9 person`` for a loaded dictionary; for a verb dictionary
    its blocks, patterns and the codes PLOVER has no type for."""
    from pantau import verbdict

    if isinstance(found, verbdict.VerbDictionary):
        return verbdict.summary(found)
    kinds = Counter(e.kind for e in found.entries)
    parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    return f"{len(found.entries)} entries: {parts}"
