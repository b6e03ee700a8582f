"""Country names in each language, mapped to ISO 3166-1 alpha-3 codes.

Names come from CLDR (via babel) for the language and English, plus the
language's own aliases in ``pantau/lang/<code>/countries.tsv`` (``AS``,
``Negeri Paman Sam``, demonyms such as ``Rusia``/``Russian``). Shared by the
actor and place stages so both agree on what a country name is.
"""

from __future__ import annotations

import functools

import pycountry
from babel import Locale

from pantau.lexicon import lang_file

# ISO codes babel/pycountry lack or that the event contract spells its own way.
_EXTRA_ALPHA2 = {"XK": "XKX"}


@functools.cache
def alpha2_to_alpha3() -> dict[str, str]:
    table = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    table.update(_EXTRA_ALPHA2)
    return table


@functools.cache
def alpha3_to_alpha2() -> dict[str, str]:
    return {a3: a2 for a2, a3 in alpha2_to_alpha3().items()}


def english_name(iso3: str) -> str | None:
    """The CLDR English name of a country, used as ``identifier_text``."""
    a2 = alpha3_to_alpha2().get(iso3)
    return Locale("en").territories.get(a2) if a2 else None


@functools.cache
def country_names(lang: str) -> dict[str, str]:
    """Lower-cased country name or alias -> ISO3, for ``lang`` (English names included).

    Only 2-letter territory codes are used (CLDR also lists continents by number).
    Aliases in countries.tsv win over CLDR names, so a language can re-map a name.
    """
    a2to3 = alpha2_to_alpha3()
    names: dict[str, str] = {}
    for locale in ("en", lang):
        for a2, name in Locale(locale).territories.items():
            if len(a2) == 2 and a2 in a2to3:
                names.setdefault(name.lower(), a2to3[a2])
    for c in pycountry.countries:
        names.setdefault(c.name.lower(), c.alpha_3)
        common = getattr(c, "common_name", None)
        if common:
            names.setdefault(common.lower(), c.alpha_3)
    for row in lang_file(lang, "countries.tsv"):
        names[row["name"].lower()] = row["code"]
    return names


@functools.cache
def demonyms(lang: str) -> dict[str, str]:
    """Lower-cased demonym/adjective -> ISO3 ("russian", "kazakh"), from countries.tsv rows of kind
    ``demonym``. In Indonesian the country name doubles as the adjective ("warga Rusia")."""
    return {
        row["name"].lower(): row["code"]
        for row in lang_file(lang, "countries.tsv")
        if row.get("kind") == "demonym"
    }
