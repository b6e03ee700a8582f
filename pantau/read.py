"""Stage 1a: read articles from a text file, an HTML page, a JSONL file or stdin.

``iter_articles`` turns one input into :class:`~pantau.document.Article` objects.
Problems with the whole input (missing, empty, binary, too big, an HTML page
without an article) raise :class:`~pantau.errors.InputError` at call time (a JSONL
file of blank lines only: when iteration ends, having yielded nothing). A bad line
in a JSONL file is *yielded* as an ``InputError`` so a caller can report it and go
on with the good lines. The size limit applies per article: to a text or HTML file,
and to each JSONL line (a JSONL corpus may well be bigger than one article).

The article text is kept as read (only ``\\r\\n`` -> ``\\n`` and a UTF-8 BOM
removed): every later offset refers to it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from pantau.document import Article
from pantau.errors import InputError

MAX_BYTES = 5 * 1024 * 1024  # one article (a text/HTML file, or one JSONL line)
FORMATS = ("text", "html", "jsonl")
_SNIFF = 64 * 1024  # bytes looked at to tell text from binary
_MIN_HTML_WORDS = 10  # trafilatura returns nav crumbs ("Home | News") for pages without an article

_HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_WORD = re.compile(r"\w+")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iter_articles(
    source: str,
    input_format: str | None = None,
    *,
    lang: str | None = None,
    published: dt.date | None = None,
) -> Iterator[Article | InputError]:
    """Articles in ``source`` (a path or ``-`` for stdin).

    ``input_format`` is "text", "html", "jsonl" or None (guess from the file name,
    then from the content). ``lang`` overrides the language of every article;
    ``published`` is only a fallback for articles whose input gives no date.
    """
    if input_format is not None and input_format not in FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use one of {', '.join(FORMATS)}")
    is_stdin = source == "-"
    name = "<stdin>" if is_stdin else source
    stem = "stdin" if is_stdin else Path(source).stem
    stream = _open_stdin() if is_stdin else _open(source)
    head = stream.peek(_SNIFF)[:_SNIFF]
    fmt = input_format or _format_from_name(source) or _format_from_content(head)
    try:
        _check_not_binary(head, name)
    except InputError:
        _close(stream, is_stdin)
        raise
    if fmt == "jsonl":
        return _iter_jsonl(stream, name, stem, lang, published, close=not is_stdin)
    data = stream.read(MAX_BYTES + 1)
    _close(stream, is_stdin)
    if len(data) > MAX_BYTES:
        size = f"more than {_mb(MAX_BYTES)}" if is_stdin else _mb(os.path.getsize(source))
        raise InputError(
            f"input is too big ({size}); the limit is {_mb(MAX_BYTES)} per article", name
        )
    if not data.strip():
        raise InputError("input has no text (empty or only whitespace)", name)
    if fmt == "html":
        article = article_from_html(data, stem, name, published)
    else:
        text, notes = decode_text(data)
        article = Article(id=stem, text=text, source=name, published=published, notes=notes)
    if lang is not None:
        article.lang = lang
    return iter([article])


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Text of ``data`` and notes on how it was decoded.

    UTF-8 first (a BOM is dropped); otherwise cp1252 (what "ANSI" editors on
    Windows write), then latin-1, which accepts any byte. ``\\r\\n`` and lone
    ``\\r`` become ``\\n``; nothing else changes.
    """
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        notes.append("decoded as UTF-16 (byte-order mark)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                notes.append("not valid UTF-8; decoded as cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                notes.append("not valid UTF-8; decoded as latin-1")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, notes


def _open(path: str) -> io.BufferedReader:
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory, not a file", path)
    try:
        stream = p.open("rb", buffering=_SNIFF)
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    if os.fstat(stream.fileno()).st_size == 0:
        stream.close()
        raise InputError("input is empty", path)
    return stream  # type: ignore[return-value]


def _open_stdin() -> io.BufferedReader:
    stream = sys.stdin.buffer
    # peek() lets us sniff the format without consuming bytes; a replaced stdin
    # (tests, embedding) may be a plain BytesIO without it.
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream, buffer_size=_SNIFF)  # type: ignore[arg-type]
    return stream  # type: ignore[return-value]


def _close(stream: BinaryIO, is_stdin: bool) -> None:
    if not is_stdin:  # never close the process's stdin
        stream.close()


def _format_from_name(source: str) -> str | None:
    suffix = Path(source).suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return None


def _format_from_content(head: bytes) -> str:
    if _HTML_START.match(head):
        return "html"
    # An article never starts with "{"; a JSONL file always does.
    return "jsonl" if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{") else "text"


def _check_not_binary(head: bytes, name: str) -> None:
    """Raise for data that is not text: NUL bytes (except UTF-16 with a BOM) or many
    control bytes, or, when it is not UTF-8 either, mostly bytes above 0x7f."""
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    if b"\x00" in head or len(_CONTROL.findall(head)) > len(head) * 0.05:
        raise InputError("looks like a binary file, not text", name)
    try:
        head.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by the sniff window
            return
    high = sum(1 for b in head if b > 0x7F)
    if high > len(head) * 0.3:
        raise InputError("looks like a binary file, not text", name)


def article_from_html(data: bytes, art_id: str, name: str, published: dt.date | None) -> Article:
    """An article from an HTML page: main text (trafilatura) and date (htmldate); used for
    files here and for WARC records and fetched pages in :mod:`pantau.sources`."""
    # Imported here: trafilatura and htmldate take ~0.3 s to import and only HTML needs them.
    import htmldate
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        raise InputError("cannot parse the HTML", name)
    # Read the canonical link and date before trafilatura, which prunes the tree it is given.
    canonical = [h.strip() for h in tree.xpath("//link[@rel='canonical']/@href") if h.strip()]
    if published is None:
        found = htmldate.find_date(tree, original_date=True)
        published = _parse_date(found) if found else None
    doc = trafilatura.bare_extraction(tree, with_metadata=True)
    body = (doc.text or "") if doc is not None else ""
    if len(_WORD.findall(body)) < _MIN_HTML_WORDS:
        raise InputError("no article text found in the HTML page", name)
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    title = (doc.title or "").strip() or None
    text = _drop_title_line(text, title)
    url = canonical[0] if canonical else (doc.url or None)
    return Article(
        id=art_id,
        text=text,
        source=name,
        published=published,
        url=url,
        title=title,
        outlet=(doc.sitename or None),
    )


def _drop_title_line(text: str, title: str | None) -> str:
    """trafilatura repeats the <h1> headline as the first line; the title is kept apart,
    so the body (and its dateline) starts at the first real paragraph."""
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    if sep and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return text


def _iter_jsonl(
    stream: BinaryIO,
    name: str,
    stem: str,
    lang: str | None,
    published: dt.date | None,
    *,
    close: bool,
) -> Iterator[Article | InputError]:
    seen = False
    try:
        for lineno, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            seen = True
            yield jsonl_line(raw, lineno, name, stem, lang=lang, published=published)
    finally:
        if close:
            stream.close()
    if not seen:
        raise InputError("input is empty (no JSON lines)", name)


def jsonl_line(
    raw: bytes,
    lineno: int,
    name: str,
    stem: str,
    *,
    lang: str | None = None,
    published: dt.date | None = None,
) -> Article | InputError:
    """The article on line ``lineno`` (1-based, blank lines counted) of the JSONL input
    ``name`` whose file stem is ``stem``, or the problem with that line: what
    :func:`iter_articles` yields for it (batch engines that split a file use this)."""
    if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # json.loads refuses a UTF-8 BOM
    if len(raw) > MAX_BYTES:
        return InputError(
            f"line is too big ({_mb(len(raw))}; limit {_mb(MAX_BYTES)})", name, lineno
        )
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return InputError(f"not valid JSON: {exc}", name, lineno)
    if not isinstance(obj, dict):
        return InputError(f"expected a JSON object, got {type(obj).__name__}", name, lineno)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError("no non-empty string 'text'", name, lineno)
    notes: list[str] = []
    date = published
    raw_date = obj.get("published")
    if raw_date not in (None, ""):
        parsed = _parse_date(raw_date) if isinstance(raw_date, str) else None
        if parsed is None:
            notes.append(f"published {raw_date!r} is not a date; ignored")
        else:
            date = parsed
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    art_id = obj.get("id")
    return Article(
        id=str(art_id) if art_id not in (None, "") else f"{stem}:{lineno}",
        text=text,
        source=f"{name}:{lineno}",
        published=date,
        lang=lang or _opt_str(obj.get("lang")),
        url=_opt_str(obj.get("url")),
        title=_opt_str(obj.get("title")),
        outlet=_opt_str(obj.get("outlet")),
        notes=notes,
    )


def _opt_str(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _parse_date(value: str) -> dt.date | None:
    """``YYYY-MM-DD`` or an ISO timestamp starting with one."""
    m = _DATE.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
