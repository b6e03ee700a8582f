"""Tests for stage 8 (pantau.dates): resolving date expressions against publication."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import helpers
import pytest

from pantau.dates import find_dates, resolve_date
from pantau.document import Document
from pantau.errors import DataError, LanguageError
from pantau.lexicon import lang_file
from pantau.numbers import build_rules

SHARED = Path("/work/shared")
SAT = date(2022, 1, 8)  # a Saturday: the publication date of most rows below


def make_doc(text: str, lang: str, published: date | None = SAT) -> Document:
    return helpers.make_doc(text, lang, published)


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        # Indonesian: (d/m) dates, names, weekdays, relative words
        ("id", "Jumat (7/1)", ("2022-01-07", "day")),
        ("id", "(7/1)", ("2022-01-07", "day")),
        ("id", "Rabu (5/1/2022)", ("2022-01-05", "day")),
        ("id", "Senin malam (3/1)", ("2022-01-03", "day")),
        ("id", "Minggu (2/1)", ("2022-01-02", "day")),
        ("id", "8 Januari", ("2022-01-08", "day")),
        ("id", "8 Januari 2022", ("2022-01-08", "day")),
        ("id", "pada 5 Januari", ("2022-01-05", "day")),
        ("id", "Selasa, 4 Januari 2022", ("2022-01-04", "day")),
        ("id", "Januari 2022", ("2022-01-01", "month")),
        ("id", "akhir Desember lalu", ("2021-12-01", "month")),
        ("id", "tahun 2019", ("2019-01-01", "year")),
        ("id", "sejak 2015", ("2015-01-01", "year")),
        ("id", "Hari Jumat", ("2022-01-07", "day")),
        ("id", "pada Jumat", ("2022-01-07", "day")),
        ("id", "Jumat", ("2022-01-07", "day")),
        ("id", "Sabtu", ("2022-01-08", "day")),
        ("id", "Kamis lalu", ("2022-01-06", "day")),
        ("id", "Sabtu lalu", ("2022-01-01", "day")),
        ("id", "hari Minggu", ("2022-01-02", "day")),
        ("id", "pada Minggu", ("2022-01-02", "day")),
        ("id", "hari Minggu lalu", ("2022-01-02", "day")),
        ("id", "Rabu pekan lalu", ("2021-12-29", "day")),
        ("id", "kemarin", ("2022-01-07", "day")),
        ("id", "hari ini", ("2022-01-08", "day")),
        ("id", "pagi ini", ("2022-01-08", "day")),
        ("id", "malam ini", ("2022-01-08", "day")),
        ("id", "tadi malam", ("2022-01-07", "day")),
        ("id", "besok", ("2022-01-09", "day")),
        ("id", "lusa", ("2022-01-10", "day")),
        ("id", "pekan lalu", ("2021-12-27", "week")),
        ("id", "minggu lalu", ("2021-12-27", "week")),
        ("id", "Minggu lalu", ("2021-12-27", "week")),
        ("id", "akhir pekan lalu", ("2022-01-01", "week")),
        ("id", "awal pekan ini", ("2022-01-03", "week")),
        ("id", "bulan lalu", ("2021-12-01", "month")),
        ("id", "tahun lalu", ("2021-01-01", "year")),
        ("id", "dua hari lalu", ("2022-01-06", "day")),
        ("id", "tiga hari yang lalu", ("2022-01-05", "day")),
        ("id", "2 hari lalu", ("2022-01-06", "day")),
        ("id", "sepekan lalu", ("2021-12-27", "week")),
        # English
        ("en", "on Friday", ("2022-01-07", "day")),
        ("en", "Friday", ("2022-01-07", "day")),
        ("en", "last Friday", ("2022-01-07", "day")),
        ("en", "last Saturday", ("2022-01-01", "day")),
        ("en", "on Monday night", ("2022-01-03", "day")),
        ("en", "Wednesday last week", ("2021-12-29", "day")),
        ("en", "yesterday", ("2022-01-07", "day")),
        ("en", "today", ("2022-01-08", "day")),
        ("en", "tonight", ("2022-01-08", "day")),
        ("en", "this morning", ("2022-01-08", "day")),
        ("en", "last night", ("2022-01-07", "day")),
        ("en", "last week", ("2021-12-27", "week")),
        ("en", "last weekend", ("2022-01-01", "week")),
        ("en", "earlier this month", ("2022-01-01", "month")),
        ("en", "last month", ("2021-12-01", "month")),
        ("en", "last year", ("2021-01-01", "year")),
        ("en", "January 4", ("2022-01-04", "day")),
        ("en", "Jan. 4", ("2022-01-04", "day")),
        ("en", "January 4th", ("2022-01-04", "day")),
        ("en", "4 January 2019", ("2019-01-04", "day")),
        ("en", "January 4, 2019", ("2019-01-04", "day")),
        ("en", "Friday, January 4, 2019", ("2019-01-04", "day")),
        ("en", "December 2021", ("2021-12-01", "month")),
        ("en", "in 2019", ("2019-01-01", "year")),
        ("en", "two days ago", ("2022-01-06", "day")),
        ("en", "a week ago", ("2021-12-27", "week")),
        # not dates
        ("id", "Rabuan", None),
        ("id", "dalam seminggu", None),
        ("id", "beberapa hari lalu", None),
        ("id", "di masa lalu", None),
        ("id", "UU Nomor 30 Tahun 2002", None),
        ("id", "rasio (7/13)", None),
        ("en", "may", None),
        ("en", "protesters march", None),
        ("en", "several days ago", None),
        ("en", "the 1973 building", None),
    ],
)
def test_resolve_date(lang: str, text: str, expected: tuple[str, str] | None) -> None:
    got = resolve_date(text, SAT, lang)
    assert (None if got is None else (got[0].isoformat(), got[1])) == expected


@pytest.mark.parametrize(
    "lang,text,published,expected",
    [
        # a (d/m) date more than a few days after publication belongs to the previous year
        ("id", "Selasa (28/12)", date(2022, 1, 3), "2021-12-28"),
        ("id", "(10/1)", date(2022, 1, 8), "2022-01-10"),
        # other dates without a year take the nearest year, the past counting more
        ("id", "pada 20 Desember", date(2022, 1, 8), "2021-12-20"),
        ("id", "20 Februari", date(2022, 1, 8), "2022-02-20"),
        ("en", "December 15", date(2020, 1, 1), "2019-12-15"),
        # a bare weekday is on or before publication, "lalu"/"last" strictly before
        ("id", "Jumat", date(2022, 1, 7), "2022-01-07"),
        ("id", "Jumat lalu", date(2022, 1, 7), "2021-12-31"),
        ("en", "Monday", date(2019, 1, 24), "2019-01-21"),
        # only expressions with their own year resolve without a publication date
        ("id", "Rabu (5/1/2022)", None, "2022-01-05"),
        ("en", "in 2019", None, "2019-01-01"),
        ("id", "Jumat", None, None),
        ("id", "kemarin", None, None),
        ("en", "January 4", None, None),
    ],
)
def test_resolve_date_against_publication(
    lang: str, text: str, published: date | None, expected: str | None
) -> None:
    got = resolve_date(text, published, lang)
    assert (got[0].isoformat() if got else None) == expected


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        (
            "id",
            "Protes yang dimulai akhir pekan lalu meluas pada Kamis (6/1/2022), kata polisi.",
            [
                ("akhir pekan lalu", "2022-01-01", "week", True),
                ("Kamis (6/1/2022)", "2022-01-06", "day", False),
            ],
        ),
        (
            "id",
            "Pada Minggu lalu massa berkumpul, dan hari Minggu polisi datang.",
            [
                ("Minggu lalu", "2021-12-27", "week", True),
                ("hari Minggu", "2022-01-02", "day", True),
            ],
        ),
        (
            "en",
            "Police said on Monday that 30 people were arrested last weekend.",
            [("Monday", "2022-01-03", "day", True), ("last weekend", "2022-01-01", "week", True)],
        ),
        (
            "id",
            "Jumlah minggu ini tidak berubah sejak minggu lalu.",
            [
                ("minggu ini", "2022-01-03", "week", True),
                ("minggu lalu", "2021-12-27", "week", True),
            ],
        ),
        ("en", "Protesters march on the capital.", []),
    ],
)
def test_find_dates_spans(lang: str, text: str, expected: list[tuple[str, str, str, bool]]) -> None:
    doc = find_dates(make_doc(text, lang))
    got = [(s.text, s.data["date"], s.data["precision"], s.data["relative"]) for s in doc.spans]
    assert got == expected
    for s in doc.spans:
        assert s.kind == "date" and doc.text[s.start : s.end] == s.text


def test_offsets_are_absolute_across_sentences() -> None:
    text = "Judul berita.\nPolisi datang kemarin.\nMereka pergi pada 5 Januari."
    doc = find_dates(make_doc(text, "id"))
    assert [(s.text, s.data["date"]) for s in doc.spans] == [
        ("kemarin", "2022-01-07"),
        ("5 Januari", "2022-01-05"),
    ]
    assert all(doc.text[s.start : s.end] == s.text for s in doc.spans)


def test_text_outside_sentences_is_ignored() -> None:
    text = "kemarin\nhari ini"
    doc = make_doc(text, "id")
    doc.sentences = doc.sentences[1:]  # e.g. a boilerplate line the segmenter dropped
    assert [s.text for s in find_dates(doc).spans] == ["hari ini"]


def test_unknown_language() -> None:
    with pytest.raises(LanguageError):
        resolve_date("kemarin", SAT, "xx")
    doc = make_doc("kemarin", "xx")
    assert find_dates(doc).spans == []


def test_both_languages_have_the_same_keys() -> None:
    id_keys, en_keys = (set(lang_file(lang, "dates.yaml")) for lang in ("id", "en"))
    assert id_keys == en_keys


@pytest.mark.parametrize(
    "entry,message",
    [
        ({"re": "kemarin"}, "needs 're' and 'anchor'"),
        ({"re": "{nope}", "anchor": ["x"]}, "unknown placeholder"),
        ({"re": "(unclosed", "anchor": ["x"]}, "bad regex"),
    ],
)
def test_malformed_rules_raise_data_error(entry: dict, message: str) -> None:
    with pytest.raises(DataError, match=re.escape(message)):
        build_rules([entry], lambda name: None, lambda name: None, "test.yaml")


# --- real articles (skipped when the shared test data is absent) --------------


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="shared test data absent")
def test_seed_article_dates() -> None:
    path = sorted((SHARED / "seed").glob("000_*.txt"))[0]
    doc = find_dates(make_doc(path.read_text(encoding="utf-8"), "id", SAT))
    found = {s.text: s.data["date"] for s in doc.spans}
    assert found["Hari Jumat"] == "2022-01-07"
    assert found["akhir pekan lalu"] == "2022-01-01"
    assert found["Kamis lalu"] == "2022-01-06"
    assert found["5 Januari"] == "2022-01-05"
    assert found["8 Januari"] == "2022-01-08"


CLICKID = SHARED / "corpora/id-clickid-2019-politik-intl/articles.jsonl"


@pytest.mark.skipif(not CLICKID.is_file(), reason="shared test data absent")
def test_clickid_spans_are_consistent() -> None:
    bracket = re.compile(r"\((\d{1,2})/(\d{1,2})/(\d{4})\)")
    n_docs = n_bracket = 0
    with CLICKID.open(encoding="utf-8") as fh:
        for line, _ in zip(fh, range(300), strict=False):
            row = json.loads(line)
            doc = find_dates(make_doc(row["text"], "id", date.fromisoformat(row["published"])))
            n_docs += bool(doc.spans)
            ends = [(s.start, s.end) for s in doc.spans]
            assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))
            for s in doc.spans:
                assert doc.text[s.start : s.end] == s.text
                m = bracket.search(s.text)
                if m:  # "Selasa (10/9/2019)" must resolve to exactly that day
                    n_bracket += 1
                    d, mo, y = (int(x) for x in m.groups())
                    assert s.data["date"] == date(y, mo, d).isoformat()
    assert n_docs > 200 and n_bracket > 100
