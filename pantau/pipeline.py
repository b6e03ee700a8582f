"""The coding pipeline: one article in, event records out.

Each stage is a plain function over a :class:`~pantau.document.Document`, so
the same sequence runs in a loop, a server or a cluster job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pantau.actors import find_actors
from pantau.anchor import anchor_events
from pantau.attribution import attribute
from pantau.clean import clean
from pantau.dates import find_dates
from pantau.document import Article, Document
from pantau.events import find_events
from pantau.language import detect_language
from pantau.modality import mark_modality
from pantau.morph import analyze
from pantau.numbers import find_numbers
from pantau.places import find_places
from pantau.record import build_records
from pantau.segment import segment
from pantau.signals import derive_signals

STAGES: tuple[Callable[[Document], Document], ...] = (
    detect_language,
    segment,
    analyze,
    find_places,  # first: where things happen decides the focus country for bare agents
    find_actors,
    find_dates,
    find_numbers,
    find_events,
    anchor_events,
    mark_modality,
    attribute,
    derive_signals,
    build_records,
)


def process(article: Article) -> Document:
    """Run every stage over one article and return the analysed document.

    Raises :class:`pantau.errors.InputError` (or its subclass ``LanguageError``)
    when the article cannot be coded.
    """
    doc = clean(article)
    for stage in STAGES:
        doc = stage(doc)
    return doc


def code_article(article: Article) -> list[dict[str, Any]]:
    """The event records of one article (see spec/events.md)."""
    return process(article).records
