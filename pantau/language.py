"""Stage 2: decide the article's language (Indonesian or English) or refuse it.

A language given by the input or ``--lang`` wins, but must be one pantau codes.
Otherwise py3langid identifies the article from its first non-boilerplate text.

Malay is the hard case: py3langid tells Indonesian and Malay apart well, yet an
Indonesian article full of Malaysian names ("timnas Malaysia", "Wan Azizah") can
score Malay. Each language's clean.yaml lists words that separate it from its
close neighbour (Indonesian "pemerintah", "karena"; Malay "kerajaan", "kerana");
when the identifier says Malay, those words have the last say.
"""

from __future__ import annotations

import functools
import io
import lzma
import re
from array import array
from pathlib import Path
from typing import Any

from pantau.document import Document
from pantau.errors import LanguageError
from pantau.lexicon import LANGUAGES, lang_file

SAMPLE_CHARS = 1000  # CLICK-ID and Wikinews: 100% right from 800 chars on; cost grows with length
_MIN_LETTERS = 20  # fewer letters than this cannot be identified reliably


@functools.cache
def _identifier():  # -> py3langid LanguageIdentifier
    """py3langid's full model, built once. Not restricted to id/ms/en: a German article
    must be recognised as German and refused, not forced into English."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        return _load_identifier(MODEL_DIR / MODEL_FILE, LanguageIdentifier)
    except (OSError, ValueError, KeyError, lzma.LZMAError):
        # a py3langid whose model is stored otherwise: its own (slower) loader
        return LanguageIdentifier.from_model_file(MODEL_FILE)


def _load_identifier(path: Path, identifier: type):  # -> py3langid LanguageIdentifier
    """What ``LanguageIdentifier.from_model_file`` builds from its LZMA-compressed npz,
    read in memory: py3langid writes the 68 MB it decompresses to a temporary file
    first, which costs a quarter of a second at every start of ``pantau code``."""
    import numpy as np

    data = lzma.decompress(path.read_bytes())
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        ptc, pc, classes = npz["ptc"], npz["pc"], npz["classes"].tolist()
        nextmove, row, output = npz["nextmove"], npz["nextmove_row"], npz["out_feat"].tolist()
    del data  # before the copies below: the peak stays near py3langid's own
    return identifier(
        np.asarray(ptc), np.asarray(pc), classes, _uints(nextmove), output, tk_row=_uints(row)
    )


def _uints(values: Any) -> array:
    """A numpy unsigned-int array as the stdlib array py3langid's DFA walk reads."""
    import numpy as np

    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(memoryview(np.ascontiguousarray(values)).cast("B"))
    return out


@functools.cache
def _neighbours() -> dict[str, str]:
    """Identifier label of a close neighbour -> the supported language it is confused
    with ({"ms": "id"}), from the ``language.neighbour_code`` of each clean.yaml."""
    table = {}
    for lang in LANGUAGES:
        code = (lang_file(lang, "clean.yaml").get("language") or {}).get("neighbour_code")
        if code:
            table[str(code)] = lang
    return table


@functools.cache
def _marker_patterns(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(own words, neighbour words) of ``lang`` as whole-word patterns, or None if empty."""
    data = (lang_file(lang, "clean.yaml").get("language") or {}) if lang in LANGUAGES else {}

    def compile_words(words: list[str] | None) -> re.Pattern[str] | None:
        if not words:
            return None
        alts = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
        return re.compile(rf"\b(?:{alts})\b", re.I)

    return compile_words(data.get("own")), compile_words(data.get("neighbour"))


def detect_language(doc: Document) -> Document:
    """Set ``doc.lang`` to "id" or "en"; raise LanguageError for any other language."""
    article = doc.article
    given = (article.lang or "").strip().lower()
    if given:
        if given not in LANGUAGES:
            raise LanguageError(
                f"language {given!r} is not supported; pantau codes {', '.join(LANGUAGES)}",
                article.source,
            )
        doc.lang = given
        return doc
    sample = text_sample(doc)
    if sum(c.isalpha() for c in sample) < _MIN_LETTERS:
        raise LanguageError(
            "too little text to identify the language; give it with --lang", article.source
        )
    detected = identify(sample)
    if detected not in LANGUAGES:
        raise LanguageError(
            f"detected language {detected!r} ({_language_name(detected)}), which pantau does "
            f"not code; it codes {', '.join(LANGUAGES)} (use --lang if the guess is wrong)",
            article.source,
        )
    doc.lang = detected
    return doc


def identify(text: str) -> str:
    """Best language code for ``text``: py3langid's label, with a Malay verdict checked
    against the marker words of clean.yaml (Indonesian verdicts are not re-checked:
    on CLICK-ID the identifier never called an Indonesian article Malay wrongly the
    other way round, and the word count would cost a third of the identification)."""
    label, _ = _identifier().classify(text)
    lang = _neighbours().get(label)
    if lang is not None:
        own, theirs = _marker_counts(lang, text)
        if own >= theirs:
            return lang  # the words do not back the identifier: stay with our language
    return label


def _marker_counts(lang: str, text: str) -> tuple[int, int]:
    own, theirs = _marker_patterns(lang)
    return (
        len(own.findall(text)) if own else 0,
        len(theirs.findall(text)) if theirs else 0,
    )


def text_sample(doc: Document, limit: int = SAMPLE_CHARS) -> str:
    """The first ``limit`` characters of non-boilerplate text, dateline excluded
    (outlet names such as "KOMPAS.com" say nothing about the language)."""
    if not doc.paragraphs:
        return doc.text[:limit]
    parts: list[str] = []
    size = 0
    skip_to = doc.dateline.end if doc.dateline else 0
    for para in doc.paragraphs:
        if para.boilerplate:
            continue
        part = doc.text[max(para.start, skip_to) : para.end]
        parts.append(part)
        size += len(part) + 1
        if size >= limit:
            break
    return "\n".join(parts)[:limit]


def _language_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale("en").languages.get(code) or code
    except UnknownLocaleError:
        return code
