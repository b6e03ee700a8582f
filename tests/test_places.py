"""Tests for the gazetteer (pantau/gazetteer.py) and the place stage (pantau/places.py)."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import helpers
import pytest

from pantau import cli, gazetteer, geoeval
from pantau.document import Document
from pantau.errors import InputError
from pantau.lexicon import LANGUAGES, lang_file
from pantau.places import find_places, place_of_sentence

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
LOCATION_KEYS = {"text", "name", "geonameid", "country", "admin1", "lat", "lon", "precision"}


def make_doc(text: str, lang: str, dateline: str | None = None) -> Document:
    return helpers.make_doc(text, lang, dateline=dateline)


def places(doc: Document) -> list[tuple[str, str, str, str]]:
    return [
        (s.text, s.data["name"], s.data["country"], s.data["precision"])
        for s in doc.spans
        if s.kind == "place"
    ]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("id", "Moskow", ("Moscow", "RUS", "city")),
        ("id", "Nur-Sultan", ("Astana", "KAZ", "city")),
        ("id", "Teheran", ("Tehran", "IRN", "city")),
        ("id", "Den Haag", ("The Hague", "NLD", "city")),
        ("id", "Yerusalem", ("Jerusalem", "ISR", "city")),
        ("id", "Tiongkok", ("China", "CHN", "country")),
        ("id", "Jawa Timur", ("East Java", "IDN", "admin1")),
        ("id", "Darfur", ("Darfur", "SDN", "admin1")),
        ("en", "Mangystau", ("Mangghystau", "KAZ", "admin1")),
        ("en", "California", ("California", "USA", "admin1")),
        ("en", "Khartoum", ("Khartoum", "SDN", "city")),
        ("en", "Khartoum", ("Khartoum", "SDN", "admin1")),
        ("en", "Kazakhstan", ("Kazakhstan", "KAZ", "country")),
        ("en", "Qalat", ("Qalat", "AFG", "city")),
        ("en", "Parwan", ("Parvan", "AFG", "admin1")),
        ("en", "Palmyra", ("Tadmur", "SYR", "city")),
        ("en", "Raqqa", ("Ar Raqqah", "SYR", "city")),
        ("en", "Al Mosul", ("Mosul", "IRQ", "city")),
        ("id", "Jaksel", ("Jakarta", "IDN", "city")),
        ("id", "Tell Tamer", ("Al-Hasakah", "SYR", "admin1")),
    ],
)
def test_lookup(lang: str, text: str, expected: tuple[str, str, str]) -> None:
    found = [(c["name"], c["country"], c["precision"]) for c in gazetteer.lookup(text, lang)]
    assert expected in found


@pytest.mark.parametrize(
    "name,country",
    [
        ("Bethlehem", "BRA"),  # a GeoNames alternate of Belem, too far from its spelling
        ("Cancun", "CHN"),  # ... of Changchun
        ("Palmyra", "USA"),  # the Syrian city only (places.tsv)
    ],
)
def test_lookup_leaves_out_far_spellings(name: str, country: str) -> None:
    assert country not in {c["country"] for c in gazetteer.lookup(name, "en")}


def test_lookup_returns_location_dicts() -> None:
    cands = gazetteer.lookup("Almaty")
    assert cands and all(LOCATION_KEYS <= set(c) for c in cands)
    city = next(c for c in cands if c["precision"] == "city")
    assert city["geonameid"] == 1526384 and city["text"] == "Almaty"
    assert city["lat"] == pytest.approx(43.25, abs=0.1) and city["population"] > 1_000_000


@pytest.mark.parametrize(
    "iso3,name,lat,lon",
    [("KAZ", "Kazakhstan", 51.18, 71.45), ("IDN", "Indonesia", -6.21, 106.85)],
)
def test_country_location_is_the_capital(iso3: str, name: str, lat: float, lon: float) -> None:
    loc = gazetteer.country_location(iso3)
    assert set(loc) == LOCATION_KEYS
    assert (loc["name"], loc["country"], loc["precision"]) == (name, iso3, "country")
    assert loc["lat"] == pytest.approx(lat, abs=0.1) and loc["lon"] == pytest.approx(lon, abs=0.1)


def test_nearest_city() -> None:
    near = gazetteer.nearest_city(43.26, 76.93)
    assert near is not None and near["name"] == "Almaty"
    assert gazetteer.nearest_city(0.0, -140.0) is None  # open Pacific


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        (
            "id",
            "Konsulat AS di Kota Almaty, Kazakhstan, ditutup sementara.",
            [
                ("AS", "United States", "USA", "country"),
                ("Kota Almaty", "Almaty", "KAZ", "city"),
                ("Kazakhstan", "Kazakhstan", "KAZ", "country"),
            ],
        ),
        (
            "id",
            "Kedutaan AS di Nur-Sultan dan kantor di Kota Nur-Sultan tetap buka.",
            [
                ("AS", "United States", "USA", "country"),
                ("Nur-Sultan", "Astana", "KAZ", "city"),
                ("Kota Nur-Sultan", "Astana", "KAZ", "city"),
            ],
        ),
        (
            "id",
            "Polisi berjaga di Jalan Thamrin, Jakarta, sejak pagi.",
            [("Jalan Thamrin", "Thamrin", "IDN", "point"), ("Jakarta", "Jakarta", "IDN", "city")],
        ),
        (
            "id",
            "Kepolisian Provinsi Papua mengirim pasukan ke Kabupaten Nduga.",
            [
                ("Provinsi Papua", "Papua", "IDN", "admin1"),
                ("Kabupaten Nduga", "Nduga", "IDN", "point"),
            ],
        ),
        (
            "id",
            "Ratusan warga berunjuk rasa di Zhanaozen, Mangystau.",
            [
                ("Zhanaozen", "Zhanaozen", "KAZ", "city"),
                ("Mangystau", "Mangghystau", "KAZ", "admin1"),
            ],
        ),
        (
            "id",
            "Rumah Sakit Umum di Surabaya kewalahan.",
            [("Surabaya", "Surabaya", "IDN", "city")],
        ),
        ("id", "Negara di Asia Tenggara dan Timur Tengah cemas.", []),
        (
            "en",
            "Protesters marched along Hennessy Road in Hong Kong.",
            [
                ("Hennessy Road", "Hennessy Road", "HKG", "point"),
                ("Hong Kong", "Hong Kong", "HKG", "country"),
            ],
        ),
        (
            "en",
            "Michael Jordan flew to Amman, the capital of Jordan.",
            [("Amman", "Amman", "JOR", "city"), ("Jordan", "Jordan", "JOR", "country")],
        ),
        (
            "en",
            "Fighting spread from Khartoum State to the city of Omdurman.",
            [
                ("Khartoum State", "Khartoum", "SDN", "admin1"),
                ("city of Omdurman", "Omdurman", "SDN", "city"),
            ],
        ),
        (
            "en",
            "The governor of Georgia spoke in Atlanta about elections in the United States.",
            [
                ("Georgia", "Georgia", "USA", "admin1"),
                ("Atlanta", "Atlanta", "USA", "city"),
                ("United States", "United States", "USA", "country"),
            ],
        ),
        (
            "en",
            "Russia sent troops after Georgia closed its border with Armenia.",
            [
                ("Russia", "Russia", "RUS", "country"),
                ("Georgia", "Georgia", "GEO", "country"),
                ("Armenia", "Armenia", "ARM", "country"),
            ],
        ),
        # a state of millions beats a small seat of the same name (Florida, Uruguay)
        ("en", "Protests spread in Florida on Friday.", [("Florida", "Florida", "USA", "admin1")]),
        # after a locative a town is a place, though a name like it comes later
        ("en", "Students marched in Leeds, joined by Leeds Against Austerity.",
         [("Leeds", "Leeds", "GBR", "city")]),
        # an office after a place does not make it a personal name
        ("en", "Florida Governor Ron DeSantis spoke on Friday.",
         [("Florida", "Florida", "USA", "admin1")]),
        ("en", "The Jakarta Post and the New York Times both ran the story.", []),
        (
            "en",
            "Wendy Sherman met Kazakh officials in Almaty.",
            [("Almaty", "Almaty", "KAZ", "city")],
        ),
        # Nearby places decide a name no country named for certain does.
        (
            "en",
            "Police in Victoria arrested protesters in Melbourne.",
            [
                ("Victoria", "Victoria", "AUS", "admin1"),
                ("Melbourne", "Melbourne", "AUS", "city"),
            ],
        ),
        ("en", "Victoria Nuland met officials in Kyiv.", [("Kyiv", "Kyiv", "UKR", "city")]),
        # Indonesian towns need no "Indonesia" in Indonesian text; English text does.
        (
            "id",
            "Banjir melanda Ponorogo dan Nganjuk sejak pagi.",
            [
                ("Ponorogo", "Ponorogo", "IDN", "city"),
                ("Nganjuk", "Nganjuk", "IDN", "city"),
            ],
        ),
        ("en", "Floods hit Ponorogo on Monday.", []),
        # A regent's title makes the next word a place, whoever's name follows.
        (
            "id",
            "Bupati Trenggalek Emil Dardak meninjau banjir.",
            [("Trenggalek", "Trenggalek", "IDN", "city")],
        ),
        # A function word opening the sentence is no one's first name.
        (
            "id",
            "Namun Rockhampton masih terendam, kata warga Australia.",
            [
                ("Rockhampton", "Rockhampton", "AUS", "city"),
                ("Australia", "Australia", "AUS", "country"),
            ],
        ),
        # A small town is a place after a locative word, not bare.
        ("en", "Mothers marched in Beslan on Friday.", [("Beslan", "Beslan", "RUS", "city")]),
        ("en", "Beslan mothers marched on Friday.", []),
        # A weekday beside a town does not make it a surname.
        (
            "en",
            "A soldier was shot north of Karbala Thursday.",
            [("Karbala", "Karbala", "IRQ", "city")],
        ),
        # "ibu kota" before a country names the country; prefixes nest.
        (
            "id",
            "Bom meledak di ibu kota Afghanistan Kabul.",
            [
                ("ibu kota Afghanistan", "Afghanistan", "AFG", "country"),
                ("Kabul", "Kabul", "AFG", "city"),
            ],
        ),
        (
            "id",
            "Ledakan terjadi di Charikar, Ibu Kota Provinsi Parwan.",
            [
                ("Charikar", "Charikar", "AFG", "city"),
                ("Provinsi Parwan", "Parvan", "AFG", "admin1"),
            ],
        ),
        # A district name stops at the next prefix word; capitalised "Daerah" is a name.
        (
            "id",
            "Banjir merendam Kecamatan Munjungan Kabupaten Trenggalek.",
            [
                ("Kecamatan Munjungan", "Munjungan", "IDN", "point"),
                ("Kabupaten Trenggalek", "Trenggalek", "IDN", "city"),
            ],
        ),
        (
            "id",
            "Kepolisian Daerah Jawa Timur berjaga di kawasan Menteng.",
            [
                ("Jawa Timur", "East Java", "IDN", "admin1"),
                ("kawasan Menteng", "Menteng", "IDN", "point"),
            ],
        ),
        (
            "id",
            "Pasukan ditarik dari wilayah Mangystau.",
            [("wilayah Mangystau", "Mangghystau", "KAZ", "admin1")],
        ),
        (
            "en",
            "As the crowd grew, Kazakhstan's president blamed US agents.",
            [
                ("Kazakhstan", "Kazakhstan", "KAZ", "country"),
                ("US", "United States", "USA", "country"),
            ],
        ),
    ],
)
def test_find_places(lang: str, text: str, expected: list[tuple[str, str, str, str]]) -> None:
    doc = find_places(make_doc(text, lang))
    assert places(doc) == expected
    for s in doc.spans:
        assert doc.text[s.start : s.end] == s.text
        assert set(s.data) == LOCATION_KEYS


def test_dateline_is_skipped_and_focus_is_the_story() -> None:
    text = (
        "JAKARTA - Pemerintah AS mengizinkan staf konsulat di Almaty keluar dari Kazakhstan. "
        "Pejabat AS mengatakan protes di Almaty terus meluas. "
        "Warga AS di Kazakhstan diminta waspada."
    )
    doc = find_places(make_doc(text, "id", dateline="JAKARTA"))
    assert all(s.start >= len("JAKARTA") for s in doc.spans)
    assert doc.focus_country == "KAZ"  # "AS" modifies nouns; Kazakhstan is where things happen
    assert doc.main_place is not None and doc.main_place["name"] == "Almaty"


def test_preset_focus_and_main_place_are_kept() -> None:
    doc = make_doc("Ledakan terjadi di Kabul, Afghanistan.", "id")
    doc.focus_country, doc.main_place = "PAK", {"name": "Islamabad"}
    find_places(doc)
    assert doc.focus_country == "PAK" and doc.main_place == {"name": "Islamabad"}


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("id", "Pejabat Kazakhstan mengatakan polisi dikirim ke lokasi di Almaty.", "Almaty"),
        ("id", "Bom meledak dekat Qalat, ibu kota Zabul, Afghanistan.", "Qalat"),
        ("en", "Kabul and Kandahar saw no fighting, Afghanistan said.", "Kabul"),
        ("en", "Turkey said its troops would stay.", None),
    ],
)
def test_place_of_sentence(lang: str, text: str, expected: str | None) -> None:
    doc = find_places(make_doc(text, lang))
    loc = place_of_sentence(doc, doc.sentences[0])
    assert (loc["name"] if loc else None) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_files_load(lang: str) -> None:
    assert gazetteer._aliases(lang)  # every places.tsv target resolves (else DataError)
    rules = lang_file(lang, "places.yaml")
    english = lang_file("en", "places.yaml")  # the build also reads admin1_type_words there
    assert set(rules) - {"admin1_type_words"} == set(english) - {"admin1_type_words"}
    assert all(kind in ("city", "admin1", "street", "point") for kind in rules["prefixes"].values())


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return gazetteer.normalize(plain)


def _gold_articles() -> list[tuple[str, str, dict]]:
    """(lang, text, gold) for every gold file whose article text is reachable."""
    out = []
    rows: dict[str, dict] = {}
    for path in sorted((SHARED / "golden").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        art = gold["article"]
        if "path" in art:
            text = (path.parent / art["path"]).read_text(encoding="utf-8")
        elif art.get("corpus", "").endswith(".jsonl"):
            if not rows:
                corpus = SHARED / "corpora" / art["corpus"]
                rows = {json.loads(ln)["id"]: json.loads(ln) for ln in corpus.open()}
            text = rows[art["id"]]["text"]
        else:
            csv.field_size_limit(1 << 30)
            corpus = SHARED / "corpora" / art["corpus"]
            key = art.get("url") or art["id"]
            text = next(r["text"] for r in csv.DictReader(corpus.open()) if r["url"] == key)
        out.append((art["lang"], text, gold))
    return out


@pytest.mark.skipif(not (SHARED / "golden").is_dir(), reason="shared gold files absent")
def test_gold_event_places_are_found() -> None:
    """Every gold event location is tagged in its article, with the gold country."""
    for lang, text, gold in _gold_articles():
        doc = find_places(make_doc(text, lang))
        tagged = {(_fold(s.data["name"]), s.data["country"]) for s in doc.spans}
        for event in gold["events"]:
            loc = event.get("event_loc")
            if not loc:
                continue
            names = {_fold(loc["name"])} | {_fold(c["name"]) for c in gazetteer.lookup(loc["name"])}
            assert any((n, loc["code"]) in tagged for n in names), (loc, sorted(tagged))


# --- geoparsing figures (pantau/geoeval.py, `pantau geoeval`) ---------------------------

INA_SAMPLE = """\
Banjir/NN/O/O
di/IN/O/O
Jalan/NN/B-ARG/B-Street-Arg
Thamrin/NNP/I-ARG/I-Street-Arg
,/,/O/O
Jakarta/NNP/B-PLOC/B-Place-Arg/(-6.2, 106.8)/1
Pusat/NNP/I-PLOC/I-Place-Arg

Warga/NN/O/O
Kota/NNP/B-LOC/B-Place-Arg/(-7.25, 112.75)/2
Surabaya/NNP/I-LOC/I-Place-Arg
mengungsi/VB/O/O
(/OP/O/O
16/5/2014/DD/B-ARG/B-Time-Arg
)/CP/O/O
===
Gempa/NN/O/O
di/IN/O/O
Zzyzxville/NNP/B-LOC/B-Place-Arg/(1.0, 2.0)/4
"""


def test_ina_corpus_is_rejoined_with_gold_mentions(tmp_path: Path) -> None:
    path = tmp_path / "training.txt"
    path.write_text(INA_SAMPLE, encoding="utf-8")
    docs = geoeval._ina_documents(path)
    assert len(docs) == 2
    text, mentions = docs[0]
    assert (
        text
        == "Banjir di Jalan Thamrin, Jakarta Pusat\n\nWarga Kota Surabaya mengungsi (16/5/2014)"
    )
    assert [text[m.start : m.end] for m in mentions] == ["Jakarta Pusat", "Kota Surabaya"]
    assert (mentions[1].lat, mentions[1].lon, mentions[1].level) == (-7.25, 112.75, "2")
    figs = geoeval.toponym_figures(path)
    assert (figs["all"].mentions, figs["all"].found, figs["all"].near) == (3, 2, 2)
    assert figs["city and below"].mentions == 2 and figs["country/province"].near == 1


def test_haversine() -> None:
    assert geoeval.haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.1)
    assert geoeval.haversine_km(-6.2, 106.8, -6.2, 106.8) == 0


def test_geoeval_without_references_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        geoeval.geoeval(tmp_path)
    assert cli.main(["geoeval", str(tmp_path)]) == 2


@pytest.mark.skipif(not (SHARED / "golden").is_dir(), reason="shared gold files absent")
def test_gold_event_country_accuracy() -> None:
    """Issue 3: event-location country right for at least 95% of matched gold events."""
    figs = geoeval.gold_country_figures(SHARED / "golden")
    assert figs["all"].value is not None and figs["all"].value >= 0.95
