"""The document object every pipeline stage reads and extends.

Each stage is a plain function ``stage(doc) -> doc`` (or a helper over one
sentence) so the same code runs in a loop, a server or a cluster job. All
offsets are character offsets into ``Document.text``, the article text as the
reader produced it (for a .txt file: the file's text unchanged), so a record's
``sentence`` is always a real substring of the article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    """One input article as read, before any analysis."""

    id: str
    text: str
    source: str = "<input>"  # file name, "<stdin>" or "file.jsonl:12": used in messages
    published: dt.date | None = None
    lang: str | None = None  # given by the input or --lang; None = detect
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    notes: list[str] = field(default_factory=list)  # e.g. "decoded as cp1252, not UTF-8"


@dataclass
class Paragraph:
    start: int
    end: int
    boilerplate: bool = False  # share lines, "Baca Juga", ads: never coded


@dataclass(slots=True, init=False)
class Token:
    text: str
    start: int  # absolute offsets into Document.text
    end: int
    lemma: str  # filled by morph stage (lowercase)
    voice: str | None  # "active" | "passive" | None (filled by morph stage)
    lower: str = field(repr=False, compare=False)  # text.lower(), read millions of times

    # Written out rather than generated: a corpus makes millions of tokens, and one call
    # that also lower-cases is cheaper than __init__ plus __post_init__.
    def __init__(
        self, text: str, start: int, end: int, lemma: str = "", voice: str | None = None
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.lemma = lemma
        self.voice = voice
        self.lower = text.lower()


@dataclass
class Sentence:
    index: int  # 0-based sequence in the document
    start: int
    end: int
    text: str  # == Document.text[start:end]
    paragraph: int
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Span:
    """A typed mention found in the text (actor, place, date, number, cue)."""

    kind: str  # "actor" | "place" | "date" | "number" | "cue" | ...
    start: int  # absolute offsets into Document.text
    end: int
    text: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Document:
    article: Article
    text: str  # the article text all offsets refer to
    lang: str = ""
    dateline: Span | None = None  # "JAKARTA -": where the reporter was, never an event place
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    main_place: dict[str, Any] | None = None  # LOCATION of the article's focus
    focus_country: str | None = None  # ISO3 the article is mostly about
    events: list[Any] = field(default_factory=list)  # events.Event candidates, before records
    records: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # non-fatal remarks (e.g. encoding fallback)
    # spans grouped by kind, for the list object and length they were built from (stages
    # only ever append spans): later stages ask for one kind in one sentence many times
    _by_kind: tuple[int, int, dict[str, list[Span]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def spans_in(self, start: int, end: int, kind: str | None = None) -> list[Span]:
        """Spans (of ``kind``) lying within ``start``..``end``, in ``spans`` order."""
        if kind is None:
            pool = self.spans
        else:
            cached = self._by_kind
            if cached is None or cached[0] != id(self.spans) or cached[1] != len(self.spans):
                groups: dict[str, list[Span]] = {}
                for s in self.spans:
                    groups.setdefault(s.kind, []).append(s)
                cached = self._by_kind = (id(self.spans), len(self.spans), groups)
            pool = cached[2].get(kind, [])
        return [s for s in pool if s.start >= start and s.end <= end]


def entity(span: Span | None, code: str | None = None, sector: str | None = None) -> dict[str, Any]:
    """An ENTITY of the record contract from an actor span (or from a context default)."""
    data = span.data if span else {}
    return {
        "code": data.get("code", code),
        "sector": data.get("sector") or sector,
        "entity_text": span.text if span else None,
        "identifier_text": data.get("identifier_text"),
        "office": data.get("office"),
    }
