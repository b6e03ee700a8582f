"""Reading text, HTML and JSONL inputs: good articles come through, bad input is named."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from types import SimpleNamespace

import pytest

from pantau.document import Article
from pantau.errors import InputError
from pantau.read import MAX_BYTES, decode_text, iter_articles

ID_TEXT = (
    "JAKARTA - Polisi membubarkan unjuk rasa mahasiswa di depan Gedung DPR pada Selasa malam.\n"
    "\n"
    "Sedikitnya 90 orang ditahan setelah bentrokan, kata juru bicara kepolisian.\n"
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Polisi Bubarkan Demo di Depan DPR | Kabar Contoh</title>
<meta property="og:title" content="Polisi Bubarkan Demo di Depan DPR">
<meta property="article:published_time" content="2019-09-24T21:15:00+07:00">
<link rel="canonical" href="https://kabar.example.id/2019/09/24/demo-dpr">
</head><body>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/nasional">Nasional</a></li>
<li><a href="/dunia">Dunia</a></li><li><a href="/olahraga">Olahraga</a></li></ul></nav>
<article><h1>Polisi Bubarkan Demo di Depan DPR</h1>
<p>JAKARTA - Polisi membubarkan ribuan mahasiswa yang berunjuk rasa di depan Gedung DPR pada
Selasa malam dengan gas air mata setelah massa melempari aparat dengan batu.</p>
<p>Para mahasiswa menolak revisi undang-undang yang mereka nilai melemahkan lembaga antikorupsi.
Mereka sudah berkumpul sejak siang hari di jalan depan gedung parlemen.</p>
<p>Kepala kepolisian daerah mengatakan sedikitnya 90 orang ditahan dan puluhan lainnya luka-luka
dalam bentrokan tersebut.</p>
</article>
<footer><p>Hak cipta 2019 Kabar Contoh. Semua hak dilindungi.</p></footer>
</body></html>
"""

NAV_ONLY_PAGE = """<!doctype html><html><head><title>Kabar Contoh</title></head><body>
<nav><a href="/">Beranda</a> | <a href="/nasional">Nasional</a> | <a href="/dunia">Dunia</a></nav>
</body></html>"""


def _write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def _one(source: str, **kw) -> Article:
    items = list(iter_articles(source, **kw))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# --- whole-input problems raise, naming the input -------------------------------------


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n  \n", "empty or only whitespace"),
        ("blank.jsonl", b"\n   \n\n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        ("noise.txt", bytes(0x80 + (i * 37) % 128 for i in range(4000)), "binary"),
        ("page.html", NAV_ONLY_PAGE, "no article text"),
    ],
)
def test_bad_whole_input_raises(tmp_path, name, data, message):
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as err:
        list(iter_articles(path))
    assert message in str(err.value)
    assert path in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_and_directory(tmp_path):
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="no such file") as err:
        iter_articles(missing)
    assert missing in str(err.value)
    with pytest.raises(InputError, match="directory"):
        iter_articles(str(tmp_path))


def test_too_big_names_size_and_limit(tmp_path):
    path = _write(tmp_path, "big.txt", b"kata " * (6 * 1024 * 1024 // 5))
    with pytest.raises(InputError) as err:
        iter_articles(path)
    assert "6.0 MB" in str(err.value) and f"{MAX_BYTES / 1024 / 1024:.1f} MB" in str(err.value)


def test_too_big_stdin(monkeypatch):
    data = io.BytesIO(b"kata " * (6 * 1024 * 1024 // 5))
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=data))
    with pytest.raises(InputError, match=r"^<stdin>: input is too big \(more than 5.0 MB\)"):
        iter_articles("-")


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(InputError, match="unknown input format"):
        iter_articles(_write(tmp_path, "a.txt", ID_TEXT), "pdf")


# --- text decoding --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,text,note",
    [
        ("Café – naïve".encode(), "Café – naïve", None),
        (b"\xef\xbb\xbfBOM dibuang.", "BOM dibuang.", None),
        ("Café – señor".encode("cp1252"), "Café – señor", "cp1252"),
        (b"satu\r\ndua\rtiga", "satu\ndua\ntiga", None),
        ("Halo dunia".encode("utf-16"), "Halo dunia", "UTF-16"),
    ],
)
def test_decode_text(data, text, note):
    got, notes = decode_text(data)
    assert got == text
    assert (note is None and notes == []) or (note is not None and note in notes[0])


def test_text_file_keeps_text_and_sets_id(tmp_path):
    path = _write(tmp_path, "berita-demo.txt", ID_TEXT.encode("cp1252"))
    art = _one(path, lang="id", published=dt.date(2019, 9, 24))
    assert art.text == ID_TEXT
    assert (art.id, art.source, art.lang, art.published) == (
        "berita-demo",
        path,
        "id",
        dt.date(2019, 9, 24),
    )
    assert art.notes == []  # plain ASCII is valid UTF-8: no fallback note


def test_cp1252_file_gets_note(tmp_path):
    art = _one(_write(tmp_path, "a.txt", "Menlu – Retno bertemu mitra.".encode("cp1252")))
    assert art.text == "Menlu – Retno bertemu mitra."
    assert art.notes == ["not valid UTF-8; decoded as cp1252"]


@pytest.mark.parametrize(
    "name,data,fmt",
    [
        ("a.txt", ID_TEXT, "text"),
        ("a.html", HTML_PAGE, "html"),
        ("a.htm", HTML_PAGE, "html"),
        ("a.txt", "  \n" + HTML_PAGE, "html"),  # sniffed from <!doctype html>
        ("a.txt", "\ufeff" + HTML_PAGE, "html"),
        ("b", "\ufeff" + json.dumps({"text": "Polisi menahan tiga orang."}), "jsonl"),
        ("a", json.dumps({"text": "Polisi menahan tiga orang."}) + "\n", "jsonl"),
        ("a.ndjson", json.dumps({"text": "Polisi menahan tiga orang."}) + "\n", "jsonl"),
    ],
)
def test_format_guess(tmp_path, name, data, fmt):
    art = _one(_write(tmp_path, name, data))
    if fmt == "html":
        assert art.title == "Polisi Bubarkan Demo di Depan DPR"
    elif fmt == "jsonl":
        assert art.text == "Polisi menahan tiga orang." and art.source.endswith(":1")
    else:
        assert art.text == ID_TEXT


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(ID_TEXT.encode())))
    art = _one("-")
    assert (art.id, art.source, art.text) == ("stdin", "<stdin>", ID_TEXT)


# --- HTML ---------------------------------------------------------------------------


def test_html_extraction(tmp_path):
    art = _one(_write(tmp_path, "demo.html", HTML_PAGE))
    assert art.title == "Polisi Bubarkan Demo di Depan DPR"
    assert art.published == dt.date(2019, 9, 24)
    assert art.url == "https://kabar.example.id/2019/09/24/demo-dpr"
    lines = art.text.split("\n")
    assert lines[0].startswith("JAKARTA - Polisi membubarkan")  # headline line dropped
    assert len(lines) == 3 and lines[2].startswith("Kepala kepolisian daerah")
    assert "Beranda" not in art.text and "Olahraga" not in art.text


def test_html_published_argument_wins(tmp_path):
    art = _one(_write(tmp_path, "demo.html", HTML_PAGE), published=dt.date(2019, 9, 25))
    assert art.published == dt.date(2019, 9, 25)


# --- JSONL ------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_yielded_with_line_numbers(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": "Polisi menahan tiga orang.", "published": "2019-09-20"}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "a5", "title": "tanpa teks"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Tentara dikerahkan ke Wamena.", "published": "2019-09-23T08:00:00Z"}),
        json.dumps({"id": 8, "text": "Warga mengungsi.", "published": "kemarin", "lang": "id"}),
    ]
    path = _write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    items = list(iter_articles(path, published=dt.date(2019, 9, 1)))
    errors = {e.line: str(e) for e in items if isinstance(e, InputError)}
    arts = [a for a in items if isinstance(a, Article)]
    assert sorted(errors) == [3, 4, 5, 6]
    assert "not valid JSON" in errors[3] and errors[3].startswith(f"{path}:3:")
    assert "object" in errors[4] and "text" in errors[5] and "text" in errors[6]
    assert [(a.id, a.source, a.published) for a in arts] == [
        ("a1", f"{path}:1", dt.date(2019, 9, 20)),
        ("batch:7", f"{path}:7", dt.date(2019, 9, 23)),
        ("8", f"{path}:8", dt.date(2019, 9, 1)),  # bad date: falls back, with a note
    ]
    assert arts[2].lang == "id" and "kemarin" in arts[2].notes[0]


def test_jsonl_lang_argument_overrides(tmp_path):
    line = json.dumps({"text": "Police detained three people.", "lang": "ms", "url": "u"})
    art = _one(_write(tmp_path, "x.jsonl", line), lang="en")
    assert (art.lang, art.url, art.title) == ("en", "u", None)


def test_jsonl_binary_raises(tmp_path):
    with pytest.raises(InputError, match="binary"):
        iter_articles(_write(tmp_path, "x.jsonl", b'{"text": "a"}\n\x00\x00\x00\x01'))
