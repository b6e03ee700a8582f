"""Anchor each event in time and place, and attach the numbers stated with it.

- Date: the date expression in the event's sentence nearest to the trigger
  (within ``DATE_WINDOW`` tokens),
  skipping dates that belong to a citation ("dikutip 8 Januari": when the
  report was quoted, not when the event happened); else the publication date
  with precision ``published``.
- Place: the sentence's place nearest to the trigger, preferring one a
  locative word introduces (:func:`pantau.places.place_of_sentence`); else the
  country of the article's main place (a lower precision than the sentence
  would give). The dateline never counts (the places stage skips it).
- Numbers: dead, injured, arrested and size stated in the sentence.
"""

from __future__ import annotations

from typing import Any

from pantau.document import Document, Sentence, Span
from pantau.events import Event
from pantau.gazetteer import country_location
from pantau.lexicon import lang_file
from pantau.places import place_of_sentence

DATE_WINDOW = 15  # tokens between trigger and date: farther dates belong to other clauses
CITATION_WINDOW = 4  # tokens from a citation cue to the date it puts on the report


def _previous_word(sentence: Sentence, span: Span) -> str | None:
    before = [t for t in sentence.tokens if t.end <= span.start]
    return before[-1].lower if before else None


def _cited(sentence: Sentence, span: Span, citation: set[str]) -> bool:
    """A date shortly after a citation cue ("dilansir dari Reuters, Rabu (11/9)")."""
    before = [t.lower for t in sentence.tokens if t.end <= span.start][-CITATION_WINDOW:]
    return any(word in citation for word in before)


def _distance(span: Span, event: Event) -> int:
    if span.end <= event.start:
        return event.start - span.end
    return max(0, span.start - event.end)


def _token_gap(sentence: Sentence, span: Span, event: Event) -> int:
    lo, hi = sorted((span.end, event.start)) if span.end <= event.start else (event.end, span.start)
    return sum(1 for t in sentence.tokens if t.start >= lo and t.end <= hi)


def _event_date(doc: Document, event: Event, citation: set[str]) -> dict[str, Any] | None:
    dates = [
        s
        for s in doc.spans_in(event.sentence.start, event.sentence.end, "date")
        if not _cited(event.sentence, s, citation)
        and _token_gap(event.sentence, s, event) <= DATE_WINDOW
    ]
    if dates:
        best = min(dates, key=lambda s: _distance(s, event))
        return {"date": best.data["date"], "precision": best.data["precision"], "text": best.text}
    if doc.article.published:
        return {"date": doc.article.published.isoformat(), "precision": "published", "text": None}
    return None


def _event_place(doc: Document, event: Event) -> dict[str, Any] | None:
    found = place_of_sentence(doc, event.sentence, near=event.start)
    if found:
        return found
    country = (doc.main_place or {}).get("country") or doc.focus_country
    return country_location(country) if country else None


def anchor_events(doc: Document) -> Document:
    """Fill ``date``, ``place`` and ``numbers`` of every event in ``doc.events``."""
    cues = lang_file(doc.lang, "cues.yaml")
    citation = set(cues.get("citation", []))
    for event in doc.events:
        event.date = _event_date(doc, event, citation)
        event.place = _event_place(doc, event)
        for span in doc.spans_in(event.sentence.start, event.sentence.end, "number"):
            field = span.data["field"]
            event.numbers[field] = max(event.numbers.get(field, 0), span.data["value"])
    return doc
