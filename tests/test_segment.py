"""Sentence splitting and tokenisation (pantau.segment)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pantau.document import Article, Document, Paragraph, Span
from pantau.segment import MAX_SENTENCE, segment, split_sentences, tokenize


def _shared() -> Path:
    return Path(os.environ.get("PANTAU_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def _sentences(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang)]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        # abbreviations, house numbers and titles do not end a sentence
        (
            "id",
            "Massa berkumpul di Jl. Thamrin No. 9 sejak pagi. Dr. Siti Nurhaliza ikut hadir.",
            ["Massa berkumpul di Jl. Thamrin No. 9 sejak pagi.", "Dr. Siti Nurhaliza ikut hadir."],
        ),
        (
            "id",
            "Prof. H. Ahmad memimpin doa dll. Acara selesai pukul 20.00. Warga pulang.",
            ["Prof. H. Ahmad memimpin doa dll. Acara selesai pukul 20.00.", "Warga pulang."],
        ),
        # numbers with separators, money and times
        (
            "id",
            "Kerugian mencapai Rp3.000.000 per hari. Sebanyak 1.5 ton beras hilang.",
            ["Kerugian mencapai Rp3.000.000 per hari.", "Sebanyak 1.5 ton beras hilang."],
        ),
        # a comma inside quotes does not end; a period inside quotes does
        (
            "id",
            '"Situasi ini krisis," menurut Departemen Luar Negeri. Staf dipulangkan.',
            ['"Situasi ini krisis," menurut Departemen Luar Negeri.', "Staf dipulangkan."],
        ),
        (
            "id",
            '"Kami menolak." Dia pergi. "Kapan?" tanya wartawan.',
            ['"Kami menolak."', "Dia pergi.", '"Kapan?" tanya wartawan.'],
        ),
        # day/month in brackets, question and exclamation marks, ellipsis
        (
            "id",
            "Demo digelar Senin (7/1). Apa tuntutannya? Bebaskan tahanan! Mereka menunggu... "
            "Lalu bubar.",
            [
                "Demo digelar Senin (7/1).",
                "Apa tuntutannya?",
                "Bebaskan tahanan!",
                "Mereka menunggu...",
                "Lalu bubar.",
            ],
        ),
        # an initialism before a name goes on; before a sentence opener it ends
        (
            "id",
            "B.J. Habibie dirawat di RSPAD. Ia wafat pada usia 83 tahun.",
            ["B.J. Habibie dirawat di RSPAD.", "Ia wafat pada usia 83 tahun."],
        ),
        # "hal." is a word, not the abbreviation "Hal."
        (
            "id",
            "Ada tiga hal. Pertama, anggaran.",
            ["Ada tiga hal.", "Pertama, anggaran."],
        ),
        # scraped corpora joined paragraphs with commas
        (
            "id",
            "Polisi tiba pukul 14.00. ,Massa lalu bubar., Jalan dibuka lagi.",
            ["Polisi tiba pukul 14.00.", "Massa lalu bubar.", "Jalan dibuka lagi."],
        ),
        # numbered list items
        ("id", "1. Pertama, warga aman.", ["1. Pertama, warga aman."]),
        # lower-case after a period: no split (brief: needs upper case, digit or quote)
        ("id", "harga naik. warga protes.", ["harga naik. warga protes."]),
        (
            "en",
            "U.S. Secretary Antony Blinken met Gen. Mark Milley on Jan. 5. They discussed Iraq.",
            [
                "U.S. Secretary Antony Blinken met Gen. Mark Milley on Jan. 5.",
                "They discussed Iraq.",
            ],
        ),
        (
            "en",
            "Sanctions hit firms in the U.S. The ministry objected. J. Smith of Acme Inc. agreed.",
            [
                "Sanctions hit firms in the U.S.",
                "The ministry objected.",
                "J. Smith of Acme Inc. agreed.",
            ],
        ),
        (
            "en",
            "Details are at https://example.org/a.b?c=1. Write to press@example.org. Thanks.",
            [
                "Details are at https://example.org/a.b?c=1.",
                "Write to press@example.org.",
                "Thanks.",
            ],
        ),
        ("en", "   ", []),
        ("en", "  Hello there.  ", ["Hello there."]),
    ],
)
def test_split_sentences(lang: str, text: str, expected: list[str]) -> None:
    assert _sentences(text, lang) == expected


def test_long_sentence_is_split_at_semicolons() -> None:
    part = "warga " * 70 + "berkumpul"
    text = f"{part}; {part}; {part}."
    pieces = _sentences(text, "id")
    assert len(text) > MAX_SENTENCE
    assert pieces == [f"{part};", f"{part};", f"{part}."]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        (
            "id",
            "Langkah-langkah keamanan naik 3.000 persen, kata Dr. Budi.",
            [
                "Langkah-langkah",
                "keamanan",
                "naik",
                "3.000",
                "persen",
                ",",
                "kata",
                "Dr.",
                "Budi",
                ".",
            ],
        ),
        (
            "id",
            "Rp3.000.000 (7/1) e-KTP Jum'at 1,5 20.00.",
            ["Rp3.000.000", "(", "7/1", ")", "e-KTP", "Jum'at", "1,5", "20.00", "."],
        ),
        (
            "en",
            "Assad's forces don't retreat from 10,000 U.S. troops...",
            [
                "Assad",
                "'s",
                "forces",
                "don",
                "'t",
                "retreat",
                "from",
                "10,000",
                "U.S.",
                "troops",
                "...",
            ],
        ),
        (
            "en",
            'He said: "See www.example.com/x or mail a.b@example.org."',
            [
                "He",
                "said",
                ":",
                '"',
                "See",
                "www.example.com/x",
                "or",
                "mail",
                "a.b@example.org",
                ".",
                '"',
            ],
        ),
        ("en", "O'Brien arrived.", ["O'Brien", "arrived", "."]),
    ],
)
def test_tokenize(lang: str, text: str, expected: list[str]) -> None:
    tokens = tokenize(text, lang, offset=100)
    assert [t.text for t in tokens] == expected
    for t in tokens:
        assert text[t.start - 100 : t.end - 100] == t.text


def _doc(text: str, lang: str, paragraphs: list[Paragraph] | None = None) -> Document:
    doc = Document(article=Article(id="t", text=text), text=text, lang=lang)
    doc.paragraphs = paragraphs or []
    return doc


def test_segment_paragraphs_boilerplate_and_dateline() -> None:
    text = "Bagikan:\n\nJAKARTA - Polisi menangkap dua orang. Mereka diperiksa.\n\nStaf berlindung."
    p0 = Paragraph(0, 8, boilerplate=True)
    p1_start = text.index("JAKARTA")
    p1 = Paragraph(p1_start, text.index("\n\nStaf"))
    p2 = Paragraph(text.index("Staf"), len(text))
    doc = _doc(text, "id", [p0, p1, p2])
    doc.dateline = Span("dateline", p1_start, p1_start + len("JAKARTA"), "JAKARTA")
    segment(doc)
    got = [(s.index, s.paragraph, s.text) for s in doc.sentences]
    assert got == [
        (0, 1, "Polisi menangkap dua orang."),
        (1, 1, "Mereka diperiksa."),
        (2, 2, "Staf berlindung."),
    ]
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
        assert [t.text for t in s.tokens][-1] == "."
        for t in s.tokens:
            assert doc.text[t.start : t.end] == t.text


def test_segment_without_paragraphs_uses_lines() -> None:
    doc = segment(_doc("First line. Second.\nThird line", "en"))
    assert [(s.paragraph, s.text) for s in doc.sentences] == [
        (0, "First line."),
        (0, "Second."),
        (1, "Third line"),
    ]
    assert len(doc.paragraphs) == 2


@pytest.mark.skipif(
    not (_shared() / "corpora/id-clickid-2019-politik-intl/articles.jsonl").exists(),
    reason="shared corpora not available",
)
def test_clickid_offsets_and_paragraphs() -> None:
    path = _shared() / "corpora/id-clickid-2019-politik-intl/articles.jsonl"
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(300), fh, strict=False)]
    n_sentences = 0
    for row in rows:
        doc = segment(_doc(row["text"], "id"))
        for s in doc.sentences:
            n_sentences += 1
            assert doc.text[s.start : s.end] == s.text
            assert "\n" not in s.text
            assert s.text == s.text.strip()
            assert len(s.text) <= MAX_SENTENCE or ";" not in s.text
            for t in s.tokens:
                assert doc.text[t.start : t.end] == t.text
    # about 13 sentences per article; far fewer means splitting broke
    assert n_sentences > 8 * len(rows)
