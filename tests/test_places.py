"""Tests for the gazetteer (pantau/gazetteer.py) and the place stage (pantau/places.py)."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest

from pantau import gazetteer
from pantau.document import Article, Document, Sentence, Span
from pantau.lexicon import LANGUAGES, lang_file
from pantau.places import find_places, place_of_sentence

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
LOCATION_KEYS = {"text", "name", "geonameid", "country", "admin1", "lat", "lon", "precision"}


def make_doc(text: str, lang: str, dateline: str | None = None) -> Document:
    """A document split into sentences at . ! ? (enough for these tests)."""
    doc = Document(Article("t", text), text, lang=lang)
    for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
        if m.group().strip():
            doc.sentences.append(Sentence(len(doc.sentences), m.start(), m.end(), m.group(), 0))
    if dateline:
        i = text.index(dateline)
        doc.dateline = Span("dateline", i, i + len(dateline), dateline)
    return doc


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
    ],
)
def test_lookup(lang: str, text: str, expected: tuple[str, str, str]) -> None:
    found = [(c["name"], c["country"], c["precision"]) for c in gazetteer.lookup(text, lang)]
    assert expected in found


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
        ("en", "The Jakarta Post and the New York Times both ran the story.", []),
        (
            "en",
            "Wendy Sherman met Kazakh officials in Almaty.",
            [("Almaty", "Almaty", "KAZ", "city")],
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
