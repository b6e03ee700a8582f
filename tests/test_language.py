"""Language stage: Indonesian and English pass, Malay and everything else is refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pantau.clean import clean
from pantau.document import Article
from pantau.errors import LanguageError
from pantau.language import detect_language, identify

SHARED = Path("/work/shared")

# lang = what the article declares (None = detect); expected = code or "error:<text>"
CASES = [
    (
        None,
        "Pemerintah Indonesia mengirim bantuan kemanusiaan ke Gaza pada Senin. Menteri Luar "
        "Negeri mengatakan bantuan itu berupa obat-obatan karena warga sangat membutuhkannya.",
        "id",
    ),
    (
        None,
        "JAKARTA - Polisi menahan 30 orang setelah unjuk rasa di depan Gedung DPR berakhir "
        "ricuh, kata juru bicara Polda Metro Jaya kepada wartawan, Rabu malam.",
        "id",
    ),
    (
        None,
        "Timnas Malaysia kalah dari Uni Emirat Arab di Kuala Lumpur. Pelatih Malaysia "
        "mengatakan para pemain sudah berjuang, tetapi lawan bisa mencetak dua gol.",
        "id",
    ),
    (
        None,
        "Police fired tear gas at protesters who blocked the airport road on Sunday, and the "
        "government declared a curfew in the capital, officials said.",
        "en",
    ),
    (
        None,
        "Kerajaan Malaysia akan mengumumkan langkah baharu bagi membantu rakyat dalam masa "
        "terdekat. Perdana Menteri berkata kerajaan sahaja boleh memutuskan perkara itu kerana "
        "ia melibatkan wang awam. Mesyuarat kabinet akan datang dijangka membincangkannya.",
        "error:'ms' (Malay)",
    ),
    (
        None,
        "Die Polizei hat nach den Protesten in der Hauptstadt am Montag drei Männer "
        "festgenommen, teilte das Innenministerium mit.",
        "error:'de' (German)",
    ),
    (
        None,
        "La police a arrêté trois hommes lundi après les manifestations dans la capitale, "
        "a annoncé le ministère de l'Intérieur.",
        "error:'fr' (French)",
    ),
    (None, "Bagikan:\n12:30", "error:too little text"),
    ("id", "Police fired tear gas.", "id"),  # declared language wins over the text
    (" EN ", "Polisi menembakkan gas air mata.", "en"),
    ("ms", "Polis menahan tiga lelaki.", "error:language 'ms' is not supported"),
    ("de", "Die Polizei nahm drei Männer fest.", "error:pantau codes id, en"),
]


@pytest.mark.parametrize("lang,text,expected", CASES)
def test_detect_language(lang, text, expected):
    doc = clean(Article(id="t", text=text, lang=lang, source="berita.txt"))
    if expected.startswith("error:"):
        with pytest.raises(LanguageError) as err:
            detect_language(doc)
        assert expected[len("error:") :] in str(err.value)
        assert str(err.value).startswith("berita.txt: ")
    else:
        assert detect_language(doc).lang == expected


def test_error_for_detected_language_suggests_lang_option():
    doc = clean(Article(id="t", text="La police a arrêté trois hommes lundi dans la capitale."))
    with pytest.raises(LanguageError, match="--lang"):
        detect_language(doc)


def test_boilerplate_is_not_used_to_identify():
    # English widget lines around an Indonesian article must not tip the decision.
    text = (
        "Share this article\nAdvertisement\nScroll to continue with content\n"
        "Polisi menahan dua orang.\nFollow us on Twitter and Facebook for the latest news\n"
    )
    assert detect_language(clean(Article(id="t", text=text))).lang == "id"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Presiden meminta kabinet bekerja lebih cepat karena ekonomi melambat.", "id"),
        ("Polis berkata suspek ditahan selepas kejadian itu dan kes disiasat.", "ms"),
        ("The army said its troops had withdrawn from the border town.", "en"),
    ],
)
def test_identify(text, expected):
    assert identify(text) == expected


def _rate(texts: list[str], want: str) -> float:
    ok = 0
    for text in texts:
        try:
            ok += detect_language(clean(Article(id="t", text=text))).lang == want
        except LanguageError:
            pass
    return ok / len(texts)


@pytest.mark.skipif(not (SHARED / "corpora").is_dir(), reason="shared corpora absent")
def test_corpus_accuracy():
    """CLICK-ID (3,837 Indonesian articles) and Wikinews (English): measured 100% both."""
    path = SHARED / "corpora/id-clickid-2019-politik-intl/articles.jsonl"
    with open(path, encoding="utf-8") as fh:
        ids = [json.loads(line)["text"] for line in fh]
    assert _rate(ids, "id") >= 0.995
    ens = []
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        with open(SHARED / "corpora/en-wikinews-2019-2020" / name, encoding="utf-8") as fh:
            # one row is only a date line (a Wikinews test page): nothing to identify
            ens += [r["text"] for r in csv.DictReader(fh) if len(r["text"].strip()) > 40]
    assert _rate(ens, "en") == 1.0
