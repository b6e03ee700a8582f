"""Tests for stage 9 (pantau.numbers): casualty, arrest and crowd counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import helpers
import pytest

from pantau.lexicon import lang_file
from pantau.numbers import find_numbers, number_value

SHARED = Path("/work/shared")


make_doc = helpers.make_doc


def counts(text: str, lang: str) -> list[tuple[str, str, int, bool]]:
    doc = find_numbers(make_doc(text, lang))
    for s in doc.spans:
        assert s.kind == "number" and doc.text[s.start : s.end] == s.text
    return [(s.text, s.data["field"], s.data["value"], s.data["approximate"]) for s in doc.spans]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("id", "3.000", (3000, False)),
        ("id", "1,5 juta", (1500000, False)),
        ("id", "satu juta", (1000000, False)),
        ("id", "lebih dari 3.000", (3000, True)),
        ("id", "sedikitnya 5", (5, True)),
        ("id", "dua", (2, False)),
        ("id", "dua belas", (12, False)),
        ("id", "dua puluh lima", (25, False)),
        ("id", "tiga ratus lima puluh", (350, False)),
        ("id", "seratus ribu", (100000, False)),
        ("id", "seorang", (1, False)),
        ("id", "belasan", (11, True)),
        ("id", "puluhan", (20, True)),
        ("id", "ratusan", (200, True)),
        ("id", "ribuan", (2000, True)),
        ("id", "puluhan ribu", (20000, True)),
        ("id", "14.00", None),  # a time
        ("id", "09", None),
        ("id", "orang", None),
        ("en", "1,000", (1000, False)),
        ("en", "1.5 million", (1500000, False)),
        ("en", "more than 1,000", (1000, True)),
        ("en", "a dozen", (12, False)),
        ("en", "two dozen", (24, False)),
        ("en", "dozens", (24, True)),
        ("en", "hundreds", (200, True)),
        ("en", "thousands", (2000, True)),
        ("en", "tens of thousands", (20000, True)),
        ("en", "twenty-five", (25, False)),
        ("en", "one hundred and fifty", (150, False)),
        ("en", "18.9", None),  # a rate, not a count
        ("en", "people", None),
    ],
)
def test_number_value(lang: str, text: str, expected: tuple[int, bool] | None) -> None:
    assert number_value(text, lang) == expected


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        (
            "id",
            "Sebanyak 26 perusuh tewas dan 353 lainnya terluka dalam bentrokan itu.",
            [
                ("Sebanyak 26 perusuh tewas", "dead", 26, False),
                ("353 lainnya terluka", "injured", 353, False),
            ],
        ),
        ("id", "Bom itu menewaskan 10 orang.", [("menewaskan 10 orang", "dead", 10, False)]),
        (
            "id",
            "Sedikitnya 5 orang meninggal dunia akibat longsor.",
            [("Sedikitnya 5 orang meninggal dunia", "dead", 5, True)],
        ),
        (
            "id",
            "Serangan itu melukai 40 orang di pasar.",
            [("melukai 40 orang", "injured", 40, False)],
        ),
        (
            "id",
            "Sebanyak 12 warga luka-luka.",
            [("Sebanyak 12 warga luka-luka", "injured", 12, False)],
        ),
        (
            "id",
            "Lebih dari 3.000 orang ditahan sejak Rabu.",
            [("Lebih dari 3.000 orang ditahan", "arrested", 3000, True)],
        ),
        ("id", "Polisi menangkap 12 orang.", [("menangkap 12 orang", "arrested", 12, False)]),
        ("id", "Dua orang diamankan polisi.", [("Dua orang diamankan", "arrested", 2, False)]),
        (
            "id",
            "Ribuan demonstran memadati jalan.",
            [("Ribuan demonstran", "size", 2000, True)],
        ),
        (
            "id",
            "Puluhan ribu orang berunjuk rasa di Almaty.",
            [("Puluhan ribu orang berunjuk rasa", "size", 20000, True)],
        ),
        (
            "id",
            "Sekitar 1,5 juta pengunjuk rasa turun ke jalan.",
            [("Sekitar 1,5 juta pengunjuk rasa turun ke jalan", "size", 1500000, True)],
        ),
        (
            "id",
            "Korban tewas bertambah menjadi 164 orang.",
            [("Korban tewas bertambah menjadi 164 orang", "dead", 164, False)],
        ),
        ("id", "Tiga polisi tewas.", [("Tiga polisi tewas", "dead", 3, False)]),
        # not counts: years, ages, times, units, things, too few for a crowd
        ("id", "Ayahnya tewas pada 2015 di Aleppo.", []),
        ("id", "Pada tahun 2015 tewas dalam perang.", []),
        ("id", "Pria berusia 50 tahun meninggal di rumahnya.", []),
        ("id", "Pada pukul 14.00 WIB massa berkumpul.", []),
        ("id", "Polisi mengamankan tiga alat bukti.", []),
        ("id", "Dua lokasi tersebut diamankan.", []),
        ("id", "Tiga demonstran berorasi.", []),
        ("id", "Polisi berhasil menahan diri.", []),
        (
            "en",
            "At least 30 people were killed in the blast.",
            [("At least 30 people were killed", "dead", 30, True)],
        ),
        ("en", "The bomb went off, killing 12.", [("killing 12", "dead", 12, False)]),
        ("en", "Officials said 12 dead.", [("12 dead", "dead", 12, False)]),
        ("en", "Gunmen wounded 40 near the bridge.", [("wounded 40", "injured", 40, False)]),
        ("en", "The blast hit a bus, injuring dozens.", [("injuring dozens", "injured", 24, True)]),
        (
            "en",
            "Police say more than 1,000 arrested.",
            [("more than 1,000 arrested", "arrested", 1000, True)],
        ),
        (
            "en",
            "Thousands of protesters filled the square.",
            [("Thousands of protesters", "size", 2000, True)],
        ),
        (
            "en",
            "Tens of thousands of people marched on Sunday.",
            [("Tens of thousands of people marched", "size", 20000, True)],
        ),
        (
            "en",
            "A dozen people were arrested.",
            [("A dozen people were arrested", "arrested", 12, False)],
        ),
        (
            "en",
            "The attack killed two and injured seven others.",
            [("killed two", "dead", 2, False), ("injured seven others", "injured", 7, False)],
        ),
        ("en", "The death toll rose to 39.", [("death toll rose to 39", "dead", 39, False)]),
        ("en", "Dozens died in the attack.", [("Dozens died", "dead", 24, True)]),
        # a toll with words between it and its link verb
        ("id", "Korban tewas di antara warga sipil kini mencapai 51 orang.",
         [("Korban tewas di antara warga sipil kini mencapai 51 orang", "dead", 51, False)]),
        # a singular verb counts one person; the year is no count
        ("en", "He was killed in 2015.", [("was killed", "dead", 1, False)]),
        ("en", "An aide was shot dead on Monday.", [("was shot dead", "dead", 1, False)]),
        ("en", "One guard has been wounded.",
         [("One guard has been wounded", "injured", 1, False)]),
        ("en", "The 2019 killed list.", []),
        ("en", "There were 18.9 deaths per 100,000 people.", []),
        ("en", "A 50 years old man died.", []),
        ("en", "The five demands of the protesters.", []),
    ],
)
def test_find_numbers(lang: str, text: str, expected: list[tuple[str, str, int, bool]]) -> None:
    assert counts(text, lang) == expected


def test_offsets_are_absolute_across_sentences() -> None:
    text = "Judul.\nDua orang tewas.\nPolisi menangkap 7 orang."
    doc = find_numbers(make_doc(text, "id"))
    assert [(s.text, s.start) for s in doc.spans] == [
        ("Dua orang tewas", text.index("Dua")),
        ("menangkap 7 orang", text.index("menangkap")),
    ]


def test_unknown_language_adds_nothing() -> None:
    assert find_numbers(make_doc("10 orang tewas", "xx")).spans == []


def test_both_languages_have_the_same_keys() -> None:
    id_data, en_data = (lang_file(lang, "numbers.yaml") for lang in ("id", "en"))
    assert set(id_data) == set(en_data)
    assert set(id_data["words"]) - {"arrested_weak", "arrested_weak_before", "people"} <= set(
        en_data["words"]
    )


CLICKID = SHARED / "corpora/id-clickid-2019-politik-intl/articles.jsonl"


@pytest.mark.skipif(not CLICKID.is_file(), reason="shared test data absent")
def test_clickid_counts_are_plausible() -> None:
    fields: set[str] = set()
    with CLICKID.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            doc = find_numbers(make_doc(row["text"], "id"))
            for s in doc.spans:
                assert doc.text[s.start : s.end] == s.text
                assert 0 <= s.data["value"] < 10**9
                # a year is never taken for a count
                assert not re.search(r"\b(?:tahun|pada)\s+(?:19|20)\d\d\b", s.text, re.I)
                fields.add(s.data["field"])
    assert fields == {"dead", "injured", "arrested", "size"}
