"""Stage 3: split paragraphs into sentences and sentences into tokens.

Sentences never cross a paragraph: the clean stage has already cut the text
into paragraphs (one non-empty line each), and scorers reject a sentence that
spans a line break. Inside a paragraph a sentence ends after ``.``, ``!``,
``?`` or an ellipsis (plus any closing quotes or brackets) when whitespace and
an upper-case letter, digit or opening quote follow, unless the period belongs
to an abbreviation, an initial or a list number.

Abbreviations and sentence openers come from ``pantau/lang/<lang>/segment.yaml``;
this module only knows punctuation. All offsets are absolute offsets into
``Document.text``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pantau.document import Document, Paragraph, Sentence, Token
from pantau.lexicon import LANGUAGES, lang_file

MAX_SENTENCE = 700  # scorers ignore longer sentences, so split them at ";" if we can

_OPENERS = "\"'“‘«(["
# A maximal run of terminal punctuation (not preceded by whitespace, so " ... "
# marking an omission is not an end), optional closers, then whitespace. Scraped
# corpora (CLICK-ID) joined paragraphs with ",", giving "kata dia., Jaksa" and
# "pukul 14.00. ,Kasubdit": a comma right after the end counts as a separator.
# The leading lookahead only repeats what the first group needs: it lets the search skip
# to the next stop without testing the lookbehind at every character.
_BOUNDARY = re.compile(r"(?=[.!?…])(?<=[^\s.!?…])([.!?…]+)([\"'”’»)\]]*)(\s*,+\s*|\s+)(?=\S)")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]?(\w+)")
_INITIALISM = re.compile(r"(?:[^\W\d_]\.){2,}")  # U.S., B.J., a.n.
_LIST_NUMBER = re.compile(r"(?:\d{1,3}|[IVXivx]{1,4}|[a-z])\.")  # "1." "IV." "a." opening a line
_SEMICOLON = re.compile(r";\s+")
_HAS_WORD = re.compile(r"\w")
_DATELINE_TAIL = " \t-–—:,|"  # "JAKARTA - ": separators left between dateline and sentence
_LEADING_JUNK = ",;"  # CLICK-ID joined <p> elements with "," so lines may start with one


@dataclass(frozen=True)
class _LangData:
    abbreviations: frozenset[str]  # with final period: never end a sentence
    final_abbreviations: frozenset[str]  # may end one when a sentence opener follows
    starters: frozenset[str]
    token_re: re.Pattern[str]


def _variants(words: list[str]) -> frozenset[str]:
    """Each abbreviation as listed, capitalised and upper-cased ("dll." "Dll." "DLL.").

    Matching is otherwise case-sensitive: "Hal." (perihal) must not swallow the
    common word "hal." at the end of a sentence.
    """
    out = set()
    for w in words:
        out.update((w, w[:1].upper() + w[1:], w.upper()))
    return frozenset(out)


@functools.cache
def _lang_data(lang: str) -> _LangData:
    """Compile the language's abbreviation sets and token pattern once per process."""
    data = lang_file(lang if lang in LANGUAGES else "en", "segment.yaml")
    abbreviations = _variants(data.get("abbreviations") or [])
    final = _variants(data.get("final_abbreviations") or [])
    clitics = "|".join(re.escape(c) for c in data.get("apostrophe_clitics") or [])
    apostrophe = rf"['’](?!(?:{clitics})\b)" if clitics else "['’]"
    # Every alternative starts with a non-space: "(?=\S)" lets the search step over the
    # spaces between tokens without trying each alternative there (a fifth faster).
    token_re = re.compile(
        "(?=\\S)(?:"
        + "|".join(
            [
                r"(?:https?://|www\.)\S*[\w/]",  # URL, without trailing punctuation
                r"\d+(?:[.,:/]\d+)+\w*",  # 3.000  1,5  20.00  7/1  10,000
                # Word with internal hyphens, dots, "@" or apostrophes (langkah-langkah,
                # Rp3.000.000, detik.com, a@b.id, Jum'at); a final period is taken
                # tentatively and given back in tokenize() unless it is an abbreviation.
                rf"\w+(?:(?:[-.@]|{apostrophe})\w+)*(?:\.(?!\.))?",
                rf"['’](?:{clitics})\b" if clitics else r"(?!)",  # 's  't
                r"\.{2,}|…",
                r"[^\w\s]",
            ]
        )
        + ")"
    )
    return _LangData(
        abbreviations,
        final,
        frozenset(data.get("sentence_starters") or []),
        token_re,
    )


def _keeps_period(word: str, data: _LangData) -> bool:
    """True when the period ending ``word`` is part of it (``Dr.``, ``J.``, ``U.S.``)."""
    if word in data.abbreviations or word in data.final_abbreviations:
        return True
    if len(word) == 2 and word[0].isupper():
        return True
    return _INITIALISM.fullmatch(word) is not None


def tokenize(text: str, lang: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text`` with offsets shifted by ``offset`` (``text`` is a sentence)."""
    data = _lang_data(lang)
    # One comprehension over the matches is several times faster than a loop with
    # branches; the few words that took a final period are fixed afterwards.
    tokens = [
        Token(m[0], m.start() + offset, m.end() + offset) for m in data.token_re.finditer(text)
    ]
    dotted = [i for i, t in enumerate(tokens) if t.text[-1] == "." and t.text[-2:-1].isalnum()]
    for i in reversed(dotted):
        tok = tokens[i]
        if not _keeps_period(tok.text, data):
            end = tok.end - 1
            tokens[i : i + 1] = [Token(tok.text[:-1], tok.start, end), Token(".", end, tok.end)]
    return tokens


def _is_boundary(text: str, m: re.Match[str], sent_start: int, data: _LangData) -> bool:
    """Decide whether the candidate boundary ``m`` really ends a sentence."""
    after = m.end()
    nxt = text[after]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if m.group(1) != "." or m.group(2):
        return True  # "!", "?", "...", or a period inside closing quotes
    # Find the whitespace-delimited word the period belongs to.
    i = m.start(1)
    j = i
    while j > sent_start and not text[j - 1].isspace():
        j -= 1
    word = text[j : i + 1].lstrip(_OPENERS)
    if word in data.abbreviations:
        return False
    if j == sent_start and _LIST_NUMBER.fullmatch(word):
        return False  # "1. Pertama ..." numbered list item
    if (
        word in data.final_abbreviations
        or (len(word) == 2 and word[0].isupper())
        or _INITIALISM.fullmatch(word)
    ):
        # "U.S. officials" goes on, "... in the U.S. The ..." ends.
        w = _NEXT_WORD.match(text, after)
        return w is not None and w.group(1) in data.starters
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _LEADING_JUNK):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Fallback for run-on sentences: cut at semicolons so each piece can be scored."""
    pieces = []
    for m in _SEMICOLON.finditer(text, start, end):
        pieces.append((start, m.start() + 1))
        start = m.end()
    pieces.append((start, end))
    return pieces


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence bounds in one paragraph ``text`` as (start, end), relative to ``text``.

    Bounds exclude surrounding whitespace; pieces without any word character
    (a lone ``,`` or ``***``) are dropped.
    """
    data = _lang_data(lang)
    raw: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.start() < start:
            continue
        if _is_boundary(text, m, start, data):
            raw.append((start, m.start(3)))
            start = m.end()
    raw.append((start, len(text)))
    spans: list[tuple[int, int]] = []
    for s, e in raw:
        s, e = _trim(text, s, e)
        if s >= e:
            continue
        parts = _split_long(text, s, e) if e - s > MAX_SENTENCE else [(s, e)]
        for ps, pe in parts:
            ps, pe = _trim(text, ps, pe)
            if ps < pe and _HAS_WORD.search(text, ps, pe):
                spans.append((ps, pe))
    return spans


def _line_paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-empty line: used when the clean stage did not run."""
    paragraphs = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            paragraphs.append(Paragraph(pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return paragraphs


def segment(doc: Document) -> Document:
    """Fill ``doc.sentences`` (with tokens) from the non-boilerplate paragraphs."""
    text = doc.text
    lang = doc.lang if doc.lang in LANGUAGES else "en"
    if not doc.paragraphs:
        doc.paragraphs = _line_paragraphs(text)
    dateline = doc.dateline
    sentences: list[Sentence] = []
    for pi, para in enumerate(doc.paragraphs):
        if para.boilerplate:
            continue
        base = para.start
        if dateline is not None and para.start <= dateline.start < para.end:
            # The dateline says where the reporter was; the first sentence follows it.
            base = max(base, dateline.end)
            while base < para.end and text[base] in _DATELINE_TAIL:
                base += 1
        for s, e in split_sentences(text[base : para.end], lang):
            start, end = base + s, base + e
            sent_text = text[start:end]
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=start,
                    end=end,
                    text=sent_text,
                    paragraph=pi,
                    tokens=tokenize(sent_text, lang, start),
                )
            )
    doc.sentences = sentences
    return doc
