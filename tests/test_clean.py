"""Paragraphs, boilerplate flags and datelines; the text itself is never changed."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from pantau.clean import clean
from pantau.document import Article

SHARED = Path("/work/shared")


def _doc(text: str, lang: str | None = None):
    doc = clean(Article(id="t", text=text, lang=lang))
    assert doc.text is text or doc.text == text
    for p in doc.paragraphs:
        para = doc.text[p.start : p.end]
        assert para == para.strip() and para and "\n" not in para
    if doc.dateline:
        d = doc.dateline
        assert doc.text[d.start : d.end] == d.text
    return doc


# lang, text, expected boilerplate flag per paragraph
BOILERPLATE = [
    ("id", "Bagikan:\n\nPolisi menahan dua orang.", [True, False]),
    (
        "id",
        "Polisi menahan dua orang.\nBaca Juga: Banjir Rendam Bekasi\nMereka diperiksa.",
        [False, True, False],
    ),
    ("id", "Baca juga\nWarga mengungsi ke gedung sekolah.", [True, False]),
    (
        "id",
        "Presiden tiba di Medan.\n(Foto: Dok. Biro Pers)\nEditor: Ahmad Sulaiman",
        [False, True, True],
    ),
    (
        "id",
        "Menlu bertemu Dubes Iran di Jakarta. (Foto: Antara)\nIa membahas kerja sama.",
        [True, False],
    ),
    ("id", "Senin, 7 Januari 2019 10:15 WIB\nGempa mengguncang Palu.", [True, False]),
    ("id", "Polisi berjaga di lokasi.\nANDI SAPUTRA | RINA WULANDARI", [False, True]),
    (
        "id",
        "Warga mengungsi.\nBerita lainnya:\nBanjir di Bekasi\nJalan tol ditutup",
        [False, True, True, True],
    ),
    ("id", 'Gedung itu dijaga ketat.\n(tri/dea)\n"\n,', [False, True, True, True]),
    ("id", 'Artikel ini telah tayang di Kompas.com dengan judul "Demo Ricuh"', [True]),
    ("en", "Friday, January 4, 2019\n\n\nAn apartment block collapsed in the city.", [True, False]),
    ("en", "Advertisement\nScroll to continue with content\nTroops arrived.", [True, True, False]),
    (
        "en",
        "Share this article\nFollow us on Twitter @example\nThe vote was delayed.",
        [True, True, False],
    ),
    ("en", "Copyright 2020 Example News. All rights reserved.", [True]),
    (
        "en",
        "Protesters gathered downtown.\nMarchers in the square. Image: Jane Doe (flickr).",
        [False, True],
    ),
    (
        "en",
        "Talks ended on Monday.\n\nSources\n\nExample Times, 2019\nRelated news",
        [False, True, True, True],
    ),
    ("en", "—Jane Doe, spokeswoman\nThe ministry denied the claim.", [True, False]),
    ("en", "Related news\nThe army withdrew from the border town.", [True, False]),
    # no false alarms on ordinary sentences
    ("id", "Sumber di kepolisian mengatakan pelaku sudah ditangkap.", [False]),
    ("id", "Foto-foto korban beredar di media sosial sejak Senin.", [False]),
    ("en", "Share prices fell sharply after the announcement.", [False]),
    ("en", "Follow-up talks are planned for May 3, 2019 in Geneva.", [False]),
    ("en", "NATO said the exercise would continue.", [False]),
]


@pytest.mark.parametrize("lang,text,expected", BOILERPLATE)
def test_boilerplate_flags(lang, text, expected):
    doc = _doc(text, lang)
    assert [p.boilerplate for p in doc.paragraphs] == expected


# lang, text, expected (dateline text, place, outlet) or None
DATELINES = [
    (
        "id",
        "JAKARTA - Amerika Serikat menambah penjaga di kedutaannya.",
        ("JAKARTA - ", "Jakarta", None),
    ),
    (
        "id",
        "JAKARTA, KOMPAS.com - Presiden meresmikan bendungan.",
        ("JAKARTA, KOMPAS.com - ", "Jakarta", "KOMPAS.com"),
    ),
    (
        "id",
        "Jakarta, CNN Indonesia -- Polisi menangkap dua orang.",
        ("Jakarta, CNN Indonesia -- ", "Jakarta", "CNN Indonesia"),
    ),
    (
        "id",
        "TEMPO.CO, Jakarta - Wakil Presiden bertemu tokoh agama.",
        ("TEMPO.CO, Jakarta - ", "Jakarta", "TEMPO.CO"),
    ),
    ("id", "Okezone.com - Banjir merendam ratusan rumah.", ("Okezone.com - ", None, "Okezone.com")),
    (
        "id",
        "LONDON, iNews.id - Parlemen Inggris menolak usulan itu.",
        ("LONDON, iNews.id - ", "London", "iNews.id"),
    ),
    (
        "id",
        "Jakarta (ANTARA) - Menteri meninjau lokasi gempa.",
        ("Jakarta (ANTARA) - ", "Jakarta", "ANTARA"),
    ),
    ("id", "Jakarta - Presiden melantik menteri baru.", ("Jakarta - ", "Jakarta", None)),
    (
        "id",
        "Bagikan:\n\nNUR-SULTAN - Polisi membubarkan massa.",
        ("NUR-SULTAN - ", "Nur-Sultan", None),
    ),
    (
        "en",
        "WASHINGTON (Reuters) - The State Department ordered staff to leave.",
        ("WASHINGTON (Reuters) - ", "Washington", "Reuters"),
    ),
    (
        "en",
        "KABUL, Afghanistan (AP) — A car bomb exploded near a base.",
        ("KABUL, Afghanistan (AP) — ", "Kabul", "AP"),
    ),
    (
        "en",
        "LONDON, April 23 - Internet traffic in Sudan fell sharply on Sunday.",
        ("LONDON, April 23 - ", "London", None),
    ),
    (
        "en",
        "NAIROBI/ADDIS ABABA, May 2 (Harbour Wire) - Talks resumed.",
        ("NAIROBI/ADDIS ABABA, May 2 (Harbour Wire) - ", "Nairobi/Addis Ababa", "Harbour Wire"),
    ),
    (
        "en",
        "BEIRUT, Jan 7 (Reuters) - Protesters blocked roads.",
        ("BEIRUT, Jan 7 (Reuters) - ", "Beirut", "Reuters"),
    ),
    ("en", "HONG KONG — Police fired tear gas.", ("HONG KONG — ", "Hong Kong", None)),
    # normal sentence starts are not datelines
    ("id", "Amerika Serikat (AS) melakukan langkah-langkah pengamanan.", None),
    ("id", "Victoria - bukan nama sebenarnya - kini berusia tiga tahun.", None),
    ("id", "Indonesia - Malaysia sepakat memperkuat patroli perbatasan.", None),
    ("id", "Hubungan bilateral Indonesia - Ukraina semakin erat.", None),
    ("en", "The ministry - which denied the claim - said nothing more.", None),
    ("en", "Police said on Monday - after a long delay - that two men were held.", None),
]


@pytest.mark.parametrize("lang,text,expected", DATELINES)
def test_dateline(lang, text, expected):
    doc = _doc(text, lang)
    if expected is None:
        assert doc.dateline is None
    else:
        d = doc.dateline
        assert d is not None and d.kind == "dateline"
        assert (d.text, d.data["place"], d.data["outlet"]) == expected


def test_dateline_only_in_first_content_paragraph():
    doc = _doc("Polisi berjaga.\nJAKARTA - Ini paragraf kedua.")
    assert doc.dateline is None


def test_text_unchanged_and_paragraph_bounds():
    text = "  Bagikan:  \r\n\n   JAKARTA - Polisi menahan dua orang.  \n\t\n Mereka diperiksa.\n"
    art = Article(id="t", text=text, notes=["not valid UTF-8; decoded as cp1252"])
    doc = clean(art)
    assert doc.text == text
    assert [text[p.start : p.end] for p in doc.paragraphs] == [
        "Bagikan:",
        "JAKARTA - Polisi menahan dua orang.",
        "Mereka diperiksa.",
    ]
    assert doc.notes == art.notes
    assert doc.dateline is not None and doc.dateline.start == text.index("JAKARTA")


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="shared test data absent")
def test_seed_article():
    path = next((SHARED / "seed").glob("000_*.txt"))
    doc = _doc(path.read_text(encoding="utf-8"))
    flagged = [doc.text[p.start : p.end] for p in doc.paragraphs if p.boilerplate]
    assert flagged == ["Bagikan:"]
    assert doc.dateline is not None and doc.dateline.text == "JAKARTA - "


@pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="shared corpora absent")
def test_corpora_first_lines():
    """A Wikinews first line that is only a date is boilerplate, a real lead paragraph is
    not. CLICK-ID kept Tempo's "TEMPO.CO, Jakarta -" datelines: all of them are found."""
    wiki = SHARED / "corpora/en-wikinews-2019-2020"
    date_line = re.compile(r"\w+day, \w+ \d{1,2}, \d{4}\s*$")
    dated = 0
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        with open(wiki / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                doc = _doc(row["text"])
                first = doc.text[doc.paragraphs[0].start : doc.paragraphs[0].end]
                is_date = bool(date_line.match(first))
                dated += is_date
                # the only other flagged lead is Wikinews's review-template notice
                expected = is_date or first.startswith("This article requires")
                assert doc.paragraphs[0].boilerplate == expected, row["url"]
                assert doc.dateline is None, row["url"]
    assert dated > 150
    tempo = found = 0
    clickid = SHARED / "corpora/id-clickid-2019-politik-intl/articles.jsonl"
    with open(clickid, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            doc = _doc(row["text"])
            if re.match(r"TEMPO\.CO, [A-Z][a-z]+ ?--? ", row["text"]):
                tempo += 1
                found += doc.dateline is not None and doc.dateline.data["outlet"] == "TEMPO.CO"
    assert tempo > 50 and found == tempo
