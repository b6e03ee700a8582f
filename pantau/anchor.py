"""Anchor each event in time and place, and attach the numbers stated with it.

- Date: the date expression in the event's sentence nearest to the trigger
  (within ``DATE_WINDOW`` tokens),
  skipping dates that belong to a citation ("dikutip 8 Januari": when the
  report was quoted, not when the event happened); else the day the story is
  at: the last recent day-precision date of an earlier sentence (marked
  ``inherited``: it neither makes the event historical nor keeps two mentions
  apart); else the publication date with precision ``published``.
- Place: the sentence's place where the act happened, nearest to the trigger
  (:func:`pantau.places.event_place_span`: a locative or the trigger's object
  first, never the speaker's place across a "said"); else the place a locative
  anaphor refers back to ("di wilayah itu", "in the European nation":
  :func:`pantau.places.antecedent_place`); else the place of the event it
  refers back to ("serangan itu"); else the place of an event of the same type
  in the next or the previous sentence (a lead and the sentence that tells
  where: "Erdogan hosts a meeting ... They will meet in Ankara"); else, for a
  physical act with one country as its recipient, that country ("a response to
  the attack on Saudi oil facilities", told from Washington); else the
  country of the article's main place (a lower precision than the sentence
  would give). The dateline never counts (the places stage skips it).
- Numbers: dead, injured, arrested and size stated in the sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pantau.document import Document, Sentence, Span
from pantau.events import Event
from pantau.gazetteer import country_location, country_location_place
from pantau.lexicon import lang_file
from pantau.places import PHYSICAL, antecedent_place, event_place_span

DATE_WINDOW = 15  # tokens between trigger and date: farther dates belong to other clauses
CITATION_WINDOW = 4  # tokens from a citation cue to the date it puts on the report
NARRATIVE_DAYS = 14  # an earlier sentence's date older than this is background, not the story


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


def _event_date(
    doc: Document, event: Event, citation: set[str], story: list[Span | None]
) -> dict[str, Any] | None:
    dates = [
        s
        for s in doc.spans_in(event.sentence.start, event.sentence.end, "date")
        if not _cited(event.sentence, s, citation)
        and _token_gap(event.sentence, s, event) <= DATE_WINDOW
    ]
    if dates:
        best = min(dates, key=lambda s: _distance(s, event))
        return {"date": best.data["date"], "precision": best.data["precision"], "text": best.text}
    told = story[event.sentence.index]
    if told is not None:
        day = told.data
        return {"date": day["date"], "precision": day["precision"], "text": told.text,
                "inherited": True}  # fmt: skip
    if doc.article.published:
        return {"date": doc.article.published.isoformat(), "precision": "published", "text": None}
    return None


def _neighbour_place(event: Event, own: dict[int, Span | None], events: list[Event]) -> Span | None:
    """The place of an event of the same type told in the next sentence, else in the
    previous one."""
    for step in (1, -1):
        for other in events:
            same = other.rule.event == event.rule.event
            if same and other.sentence.index == event.sentence.index + step and own[id(other)]:
                return own[id(other)]
    return None


def _target_country(event: Event) -> str | None:
    """The one country a physical act was done to, when its recipients name one."""
    if event.rule.event not in PHYSICAL:
        return None
    codes = {r.get("code") for r in event.recipient}
    countries = {c for c in codes if c and len(c) == 3 and country_location_place(c)}
    return countries.pop() if len(countries) == 1 and len(codes) == 1 else None


def _event_place(doc: Document, event: Event, own: dict[int, Span | None]) -> dict[str, Any] | None:
    found = own[id(event)] or antecedent_place(doc, event.sentence)
    if not found and event.referent is not None and event.referent.place:
        return dict(event.referent.place)  # "the attack" told before
    found = found or _neighbour_place(event, own, doc.events)
    if found:
        return dict(found.data)
    target = _target_country(event)
    if target:  # "respons atas serangan terhadap fasilitas minyak Arab Saudi": in Saudi Arabia
        return country_location(target)
    country = (doc.main_place or {}).get("country") or doc.focus_country
    return country_location(country) if country else None


def _story_days(doc: Document, citation: set[str]) -> list[Span | None]:
    """Per sentence, the day the story is at when it names none: the last day-precision
    date of an earlier sentence, not a citation's, and within ``NARRATIVE_DAYS`` before
    publication ("On Tuesday police fired tear gas. Protesters threw bricks." are both
    Tuesday's; a background "On 3 March 2015 ..." dates nothing after it)."""
    published = doc.article.published
    if published is None:
        return [None] * len(doc.sentences)
    earliest = (published - dt.timedelta(days=NARRATIVE_DAYS)).isoformat()
    days: list[Span | None] = []
    found = None
    for s in doc.sentences:
        days.append(found)  # what the sentences before this one said
        for span in doc.spans_in(s.start, s.end, "date"):
            day = span.data
            if day.get("precision") == "day" and not _cited(s, span, citation):
                if earliest <= day["date"] <= published.isoformat():
                    found = span
    return days


def anchor_events(doc: Document) -> Document:
    """Fill ``date``, ``place`` and ``numbers`` of every event in ``doc.events``."""
    cues = lang_file(doc.lang, "cues.yaml")
    citation = set(cues.get("citation", []))
    own = {
        id(e): event_place_span(doc, e.sentence, e.start, e.end, e.rule.event in PHYSICAL)
        for e in doc.events
    }
    story = _story_days(doc, citation) if doc.events else []
    for event in doc.events:
        event.date = _event_date(doc, event, citation, story)
        event.place = _event_place(doc, event, own)
        for span in doc.spans_in(event.sentence.start, event.sentence.end, "number"):
            field = span.data["field"]
            event.numbers[field] = max(event.numbers.get(field, 0), span.data["value"])
    return doc
