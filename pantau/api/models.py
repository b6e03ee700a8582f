"""Pydantic models of the HTTP API: what each endpoint takes and returns.

They document the OpenAPI schema (``/api/openapi.json``) and validate input;
responses carry the store's columns under the same names as
:mod:`pantau.query` and ``pantau events --format jsonl``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT_CHARS = 5 * 1024 * 1024  # the reader's per-article limit (pantau.read.MAX_BYTES)


class Problem(BaseModel):
    """An error: one line saying what was wrong."""

    detail: str


class EventSummary(BaseModel):
    """A fused event as listed: type, actors, place, date range and source counts."""

    id: str
    date: str | None
    date_precision: str | None
    type: str
    mode: str
    aux: str = Field(description="'' for an asserted event, else negation, hypothetical, ...")
    actor_codes: str
    actor_sector: str | None
    recipient_codes: str
    recipient_sector: str | None
    country: str | None
    place_name: str | None
    geonameid: int | None
    admin1: str | None
    lat: float | None
    lon: float | None
    loc_precision: str | None
    cameo: str | None
    num_mentions: int
    num_articles: int
    num_sources: int
    confidence: float
    first_seen: str | None
    last_seen: str | None
    signals: str = Field(description="space-separated signal tags")
    langs: str
    quad: int = Field(description="PLOVER quad: 1-2 cooperation, 3-4 conflict; 0 unknown")


class EventPage(BaseModel):
    """One page of events; ask again with ``offset=next_offset`` for the next."""

    total: int
    offset: int
    limit: int
    next_offset: int | None
    items: list[EventSummary]


class Mention(BaseModel):
    """One report of an event: the evidence sentence, its trigger and its article."""

    id: int
    record_id: str
    date: str | None
    date_precision: str | None
    mode: str
    actor_codes: str
    recipient_codes: str
    place_name: str | None
    loc_precision: str | None
    sentence: str
    sent_start: int | None
    sent_end: int | None
    trigger_start: int | None
    trigger_end: int | None
    trigger: str | None
    trigger_in_sentence: list[int] | None = Field(
        description="[start, end] of the trigger within `sentence`, when known"
    )
    coder: str | None
    article_id: int
    ext_id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    lang: str | None
    dup_of: int | None


class EventDetail(EventSummary):
    """An event with every mention and the full record of its representative mention."""

    rep_mention: int
    mentions: list[Mention]
    record: dict[str, Any] | None = None


class TimelineDay(BaseModel):
    date: str
    total: int
    counts: dict[str, int]


class Timeline(BaseModel):
    """Events per day by type for a filter (the dashboard's timeline)."""

    types: list[str]
    days: list[TimelineDay]


class Place(BaseModel):
    """A place events happened at, with how many."""

    name: str
    country: str | None
    admin1: str | None
    geonameid: int | None
    precision: str | None
    lat: float | None
    lon: float | None
    events: int
    mentions: int
    first_date: str | None
    last_date: str | None


class IndexRow(BaseModel):
    """Situation of one country (or city) on one day."""

    country: str
    place: str | None = Field(description="the city, when indexed by city")
    lat: float | None
    lon: float | None
    date: str
    events: int
    by_type: dict[str, int]
    intensity: float = Field(description="sum of -PLOVER score of material-conflict events")
    dead: int
    injured: int
    baseline: float = Field(description="mean daily intensity of the 30 days before")
    change: float
    ratio: float | None


class SituationIndex(BaseModel):
    """The situation index of every area with events in the period."""

    by: Literal["country", "city"]
    since: str
    until: str
    rows: list[IndexRow]


class Span(BaseModel):
    """A coded stretch of an article: trigger, actor, place, date or number."""

    kind: Literal["trigger", "actor", "place", "date", "number"]
    start: int
    end: int
    text: str
    label: str | None


class ArticleMention(BaseModel):
    id: int
    event_id: str | None
    type: str
    mode: str
    aux: str
    date: str | None
    sentence: str
    sent_start: int | None
    sent_end: int | None
    trigger: str | None
    coder: str | None


class ArticleView(BaseModel):
    """A stored article with its coded spans marked."""

    id: int
    ext_id: str
    source: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    lang: str | None
    text: str
    coder: str
    dup_of: int | None
    spans: list[Span]
    mentions: list[ArticleMention]


class ArticleIn(BaseModel):
    """An article to code and store."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    id: str | None = Field(default=None, max_length=200)
    lang: Literal["id", "en"] | None = None
    published: dt.date | None = None
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=200)


class StoredArticle(BaseModel):
    """What storing an article did."""

    article_id: int
    created: bool = Field(description="false when the same text was already stored")
    mentions: int
    events: list[str]


class Health(BaseModel):
    """The server, its store and which parts are available."""

    version: str
    db: str
    counts: dict[str, int]
    read_token_required: bool


class Evidence(BaseModel):
    """A sentence behind a reason, with its article (``article_id`` links to the view)."""

    model_config = ConfigDict(extra="allow")

    sentence: str
    trigger: str | None = None
    article: str | None = Field(default=None, description="the article's own id")
    article_id: int | None = Field(default=None, description="its id in the store")
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None


class ReasonEvent(BaseModel):
    """An event that made a rule fire."""

    model_config = ConfigDict(extra="allow")

    event: str
    type: str
    mode: str | None = None
    dates: list[str] = []
    place: str | None = None
    country: str | None = None
    evidence: list[Evidence] = []


class Reason(BaseModel):
    """A tripwire rule that fired, and the events behind it."""

    model_config = ConfigDict(extra="allow")

    rule: str
    level: int
    description: str | None = None
    detail: str | None = None
    events: list[ReasonEvent] = []


class PostFields(BaseModel):
    """A post's fields other than its id (the body of ``PUT /api/posts/{id}``)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    country: str = Field(pattern=r"^[A-Za-z]{2,3}$", description="ISO alpha-3 (or alpha-2)")
    radius_km: float | None = Field(default=None, gt=0, le=5000)
    city: str | None = Field(default=None, max_length=200)
    timezone: str | None = Field(
        default=None, max_length=64, description="IANA zone; default: the nearest city's"
    )
    notes: str | None = Field(default=None, max_length=2000)


class PostIn(PostFields):
    """A new post (the body of ``POST /api/posts``)."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class PostOut(BaseModel):
    """A post with its current level, since when, and why."""

    id: str
    name: str
    lat: float
    lon: float
    country: str
    radius_km: float
    city: str | None
    timezone: str
    notes: str | None
    level: int | None = Field(description="level on the latest day computed; null if none")
    level_name: str | None
    since: str | None = Field(description="first day of the current level")
    as_of: str | None = Field(description="latest day computed")
    note: str | None
    reasons: list[Reason] = Field(description="the rules that fired on the day it was reached")


class LevelDay(BaseModel):
    """A post's level at the end of one local day."""

    post: str
    date: str
    level: int
    name: str
    previous: int
    change: int = Field(description="+1 up, -1 down, 0 same")
    raw: int = Field(description="what the rules alone said, before hysteresis")
    note: str | None
    reasons: list[Reason]


class Delivery(BaseModel):
    channel: str
    status: str
    attempts: int
    error: str | None


class Alert(BaseModel):
    """A level change that was (or is to be) sent."""

    id: int
    post: str
    post_name: str | None
    date: str
    previous: int
    level: int
    created_at: str
    note: str | None
    reasons: list[Reason]
    deliveries: list[Delivery]


class RuleInfo(BaseModel):
    id: str
    level: int
    scope: str
    window_days: int
    description: str


class Rules(BaseModel):
    """The tripwire rules in force."""

    source: str
    digest: str
    rules: list[RuleInfo]


class Refresh(BaseModel):
    """What recomputing today's levels did."""

    levels: list[LevelDay]
    new_alerts: list[int]
