"""Read endpoints over the event store, and ``POST /api/articles``.

Every handler is a thin wrapper: parse and validate parameters, call one
function of :mod:`pantau.query` or :mod:`pantau.api.data`, return its dicts.
Handlers are plain ``def``: FastAPI runs them in a thread pool, so a slow query
or the coding of a posted article does not block other requests.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from pantau import __version__, plover, store
from pantau.api import data
from pantau.api.app import reader
from pantau.api.auth import require_read, require_write
from pantau.api.models import (
    ArticleIn,
    ArticleView,
    EventDetail,
    EventPage,
    Health,
    Place,
    Problem,
    SituationIndex,
    StoredArticle,
    Timeline,
)
from pantau.errors import InputError, UsageError
from pantau.query import get_event

MAX_PAGE = 500
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "bad parameter"},
    401: {"model": Problem, "description": "token required"},
    403: {"model": Problem, "description": "wrong token"},
}
router = APIRouter(prefix="/api", responses=ERRORS)
Country = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2,6}$", description="ISO3 country (or IGO) code")
]
Since = Annotated[dt.date | None, Query(description="first date, inclusive")]
Until = Annotated[dt.date | None, Query(description="last date, inclusive")]


def event_filters(
    country: Country = None,
    place: Annotated[
        str | None,
        Query(max_length=200, description="place name, first-level division or GeoNames id"),
    ] = None,
    type: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3,12}$", description="PLOVER type, e.g. ASSAULT")
    ] = None,
    signal: Annotated[
        str | None,
        Query(pattern=r"^[a-z_]{1,40}\.[a-z_]{1,40}$", description="e.g. unrest.crackdown"),
    ] = None,
    since: Since = None,
    until: Until = None,
    search: Annotated[
        str | None,
        Query(min_length=1, max_length=500, description="full-text query over evidence"),
    ] = None,
    asserted: Annotated[
        bool, Query(description="leave out negated, hypothetical, future, historical")
    ] = False,
    min_sources: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """The filters of :func:`pantau.query.find_events`, validated."""
    if type and type.upper() not in plover.event_types():
        raise UsageError(
            f"unknown event type {type!r}; use one of {', '.join(plover.event_types())}"
        )
    if since and until and since > until:
        raise UsageError(f"since ({since}) is after until ({until})")
    return {
        "country": country,
        "place": place,
        "type": type,
        "signal": signal,
        "since": since,
        "until": until,
        "search": search,
        "asserted": asserted,
        "min_sources": min_sources,
    }


Filters = Annotated[dict[str, Any], Depends(event_filters)]
Bbox = Annotated[
    str | None,
    Query(max_length=100, description="west,south,east,north in degrees", examples=["21,8,39,23"]),
]


@router.get("/health", response_model=Health, dependencies=[Depends(require_read)])
def health(request: Request) -> dict[str, Any]:
    """The server's version and its store's row counts."""
    with reader(request) as conn:
        counts = store.counts(conn)
    return {
        "version": __version__,
        "db": str(request.app.state.db),
        "counts": counts,
        "read_token_required": not request.app.state.open_reads,
    }


@router.get("/events", response_model=EventPage, dependencies=[Depends(require_read)])
def list_events(
    request: Request,
    filters: Filters,
    bbox: Bbox = None,
    sort: Annotated[
        str, Query(pattern=r"^-?[a-z]{1,20}$", description="date, mentions, sources, ... (-: desc)")
    ] = "-date",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> dict[str, Any]:
    """Fused events matching every filter given, one page at a time."""
    with reader(request) as conn:
        return data.events_page(conn, filters, bbox=bbox, sort=sort, offset=offset, limit=limit)


@router.get(
    "/events/{event_id}",
    response_model=EventDetail,
    dependencies=[Depends(require_read)],
    responses={404: {"model": Problem, "description": "no such event"}},
)
def one_event(
    request: Request,
    event_id: Annotated[str, Path(pattern=r"^ev-[0-9a-f]{12}$", examples=["ev-00b4b1654520"])],
) -> dict[str, Any]:
    """One event with every mention: evidence sentence, trigger, article and its link."""
    with reader(request) as conn:
        try:
            event = get_event(conn, event_id)
        except InputError as exc:
            raise HTTPException(404, str(exc)) from None
    event["quad"] = data.quad(event["type"])
    for m in event["mentions"]:
        start, end, sent = m["trigger_start"], m["trigger_end"], m["sent_start"]
        inside = None not in (start, end, sent) and sent <= start < end <= (m["sent_end"] or 0)
        m["trigger_in_sentence"] = [start - sent, end - sent] if inside else None
    return event


@router.get("/timeline", response_model=Timeline, dependencies=[Depends(require_read)])
def events_timeline(request: Request, filters: Filters, bbox: Bbox = None) -> dict[str, Any]:
    """Events per day by type for the same filters as ``/api/events``."""
    with reader(request) as conn:
        return data.timeline(conn, filters, bbox)


@router.get("/places", response_model=list[Place], dependencies=[Depends(require_read)])
def list_places(
    request: Request,
    country: Country = None,
    name: Annotated[str | None, Query(max_length=200, description="start of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[dict[str, Any]]:
    """Places events happened at, most events first."""
    with reader(request) as conn:
        return data.places(conn, country=country, name=name, limit=limit)


@router.get("/index", response_model=SituationIndex, dependencies=[Depends(require_read)])
def situation_index(
    request: Request,
    by: Literal["country", "city"] = "country",
    country: Country = None,
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """The situation index per country or city per day (:mod:`pantau.situation`): events
    by type, PLOVER-score intensity, dead and injured, change against the trailing
    baseline. Default period: the 30 days up to the latest event; at most 366 days."""
    with reader(request) as conn:
        return data.situation_rows(conn, by=by, country=country, since=since, until=until)


@router.get(
    "/articles/{article_id}",
    response_model=ArticleView,
    dependencies=[Depends(require_read)],
    responses={404: {"model": Problem, "description": "no such article"}},
)
def one_article(
    request: Request, article_id: Annotated[int, Path(ge=1, le=2**62)]
) -> dict[str, Any]:
    """A stored article with its coded spans (triggers, actors, places, dates) marked."""
    with reader(request) as conn:
        try:
            return data.article_view(conn, article_id)
        except InputError as exc:
            raise HTTPException(404, str(exc)) from None


@router.post(
    "/articles",
    response_model=StoredArticle,
    status_code=201,
    dependencies=[Depends(require_write)],
    responses={
        200: {"model": StoredArticle, "description": "already stored"},
        413: {"model": Problem, "description": "body too large"},
    },
)
def post_article(request: Request, response: Response, article: ArticleIn) -> dict[str, Any]:
    """Code an article and store it (deduplicated and fused like an ingest)."""
    result = data.store_article(request.app.state.db, article.model_dump())
    if not result["created"]:
        response.status_code = 200
    return result
