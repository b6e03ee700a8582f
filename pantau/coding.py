"""Code one input source (file, stdin, JSONL) into records: the library behind ``pantau code``.

Whole-input problems raise :class:`~pantau.errors.InputError`. In a JSONL
source a bad line or an article that cannot be coded is *skipped* with its
reason and the rest is still coded; ``strict=True`` makes the first one fatal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pantau.document import Article
from pantau.errors import InputError
from pantau.pipeline import code_article
from pantau.read import iter_articles

_LINE_SUFFIX = re.compile(r":\d+$")


@dataclass
class Skipped:
    source: str
    reason: str


@dataclass
class CodingRun:
    """Counts of one run; filled while :func:`code_source` is iterated."""

    articles: int = 0
    records: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "x.txt: not valid UTF-8; decoded as cp1252"


def code_source(
    source: str,
    input_format: str | None = None,
    *,
    lang: str | None = None,
    published: dt.date | None = None,
    strict: bool = False,
    run: CodingRun | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield the event records of every article in ``source`` (a path or ``-``)."""
    run = run if run is not None else CodingRun()
    for item in iter_articles(source, input_format, lang=lang, published=published):
        if isinstance(item, InputError):
            if strict:
                raise item
            run.skipped.append(Skipped(_where(item), str(item)))
            continue
        try:
            records = code_article(item)
        except InputError as exc:
            if strict or not _is_line(item):
                raise
            run.skipped.append(Skipped(item.source, str(exc)))
            continue
        run.notes.extend(f"{item.source}: {note}" for note in item.notes)
        run.articles += 1
        run.records += len(records)
        yield from records


def _is_line(article: Article) -> bool:
    """True for an article that is one line of a multi-article source ("file.jsonl:12")."""
    return bool(_LINE_SUFFIX.search(article.source))


def _where(error: InputError) -> str:
    return f"{error.source}:{error.line}" if error.line is not None else str(error.source)
