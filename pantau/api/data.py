"""The reads and writes behind the HTTP API that :mod:`pantau.query` does not offer.

Each function takes an open store connection (or the database path, for writes)
and returns plain dicts, like :mod:`pantau.query`: a page of events with a
bounding box and a sort order, events per day by type (the timeline), places
with their event counts, the situation index of :mod:`pantau.situation` over many
areas at once, an article with its coded spans marked,
and :func:`store_article`, which codes and stores one article through
:func:`pantau.ingest.ingest` so that it is deduplicated and fused like any other.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pantau import plover
from pantau.errors import InputError, PantauError, UsageError
from pantau.query import find_events

# Sort keys a client may ask for; a leading "-" means descending.
SORTS = {
    "date": "date",
    "mentions": "num_mentions",
    "articles": "num_articles",
    "sources": "num_sources",
    "confidence": "confidence",
    "type": "type",
    "country": "country",
}
SPAN_KINDS = ("trigger", "actor", "place", "date", "number")
INDEX_DAYS = 30  # the situation index's default period
MAX_INDEX_DAYS = 366


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees; ``west > east`` crosses the antimeridian."""
    parts = text.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise UsageError(f"bbox must be four numbers west,south,east,north, got {text!r}") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise UsageError(f"bbox out of range (lon -180..180, lat -90..90, south <= north): {text}")
    return west, south, east, north


def in_bbox(lat: float | None, lon: float | None, box: tuple[float, float, float, float]) -> bool:
    """Whether a point lies in ``box``; events without coordinates never do."""
    if lat is None or lon is None:
        return False
    west, south, east, north = box
    if not south <= lat <= north:
        return False
    return west <= lon <= east if west <= east else (lon >= west or lon <= east)


def filtered_events(
    conn: sqlite3.Connection, filters: dict[str, Any], bbox: str | None = None
) -> list[dict[str, Any]]:
    """Events matching ``filters`` (the keywords of :func:`pantau.query.find_events`) and
    lying in ``bbox``, each with its ``quad`` (1-4) added for colouring."""
    box = parse_bbox(bbox) if bbox else None
    events = find_events(conn, **filters)
    if box:
        events = [e for e in events if in_bbox(e["lat"], e["lon"], box)]
    for event in events:
        event["quad"] = quad(event["type"])
    return events


def events_page(
    conn: sqlite3.Connection,
    filters: dict[str, Any],
    *,
    bbox: str | None = None,
    sort: str = "-date",
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    """One page of the filtered events: ``{total, offset, limit, next_offset, items}``.

    ``sort`` is a key of :data:`SORTS`, ``-`` first for descending; ties keep
    date then id order so pages never overlap.
    """
    key = sort.lstrip("-")
    if key not in SORTS:
        raise UsageError(
            f"cannot sort by {sort!r}; use one of {', '.join(SORTS)} (- for descending)"
        )
    events = filtered_events(conn, filters, bbox)
    column = SORTS[key]
    # Events lacking the value go last either way; Python's sort is stable (also with
    # reverse=True), so ties keep find_events' date-then-id order and pages never overlap.
    present = [e for e in events if e[column] is not None]
    missing = [e for e in events if e[column] is None]
    present.sort(key=lambda e: e[column], reverse=sort.startswith("-"))
    events = present + missing
    page = events[offset : offset + limit]
    more = offset + limit < len(events)
    return {
        "total": len(events),
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if more else None,
        "items": page,
    }


def timeline(
    conn: sqlite3.Connection, filters: dict[str, Any], bbox: str | None = None
) -> dict[str, Any]:
    """Events per day by type for the filtered events: ``{types, days: [{date, total,
    counts}]}``, days in order; events without a date are left out."""
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    for event in filtered_events(conn, filters, bbox):
        if event["date"]:
            per_day[event["date"]][event["type"]] += 1
    types = sorted({t for counts in per_day.values() for t in counts}, key=_type_order)
    days = [
        {"date": day, "total": sum(c.values()), "counts": dict(c)}
        for day, c in sorted(per_day.items())
    ]
    return {"types": types, "days": days}


def places(
    conn: sqlite3.Connection,
    *,
    country: str | None = None,
    name: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Places events happened at, with ``events``, ``mentions`` and first/last date, most
    events first. ``name`` matches the start of the place name (any case)."""
    where = ["e.place_name IS NOT NULL"]
    args: list[Any] = []
    if country:
        where.append("e.country = ?")
        args.append(country.upper())
    if name:
        where.append("e.place_name LIKE ? ESCAPE '\\'")
        args.append(_like_prefix(name))
    sql = f"""SELECT e.place_name AS name, e.country, e.admin1, e.geonameid,
                     e.loc_precision AS precision, AVG(e.lat) AS lat, AVG(e.lon) AS lon,
                     COUNT(*) AS events, SUM(e.num_mentions) AS mentions,
                     MIN(e.date) AS first_date, MAX(e.date) AS last_date
              FROM events e WHERE {" AND ".join(where)}
              GROUP BY e.place_name, e.country, e.geonameid
              ORDER BY events DESC, name LIMIT ?"""
    return [dict(r) for r in conn.execute(sql, [*args, limit])]


def situation_rows(
    conn: sqlite3.Connection,
    *,
    by: str = "country",
    country: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    baseline_days: int = 30,
) -> dict[str, Any]:
    """The situation index (:func:`pantau.situation.index_series`) per country
    (``by="country"``) or city (``by="city"``) and day, with everything stored known.

    The period defaults to the :data:`INDEX_DAYS` days up to the latest event date;
    days without events are left out. Returns ``{by, since, until, rows}``, each row
    ``{country, place, lat, lon, date, events, by_type, intensity, dead, injured,
    baseline, change, ratio}``.
    """
    from pantau.situation import index_series, known_events

    if by not in ("country", "city"):
        raise UsageError(f"cannot index by {by!r}; use country or city")
    if until is None:
        latest = conn.execute("SELECT MAX(date) FROM events").fetchone()[0]
        until = dt.date.fromisoformat(latest) if latest else dt.date.today()
    since = since or until - dt.timedelta(days=INDEX_DAYS - 1)
    if since > until:
        raise UsageError(f"since ({since}) is after until ({until})")
    if (until - since).days >= MAX_INDEX_DAYS:
        raise UsageError(f"at most {MAX_INDEX_DAYS} days at a time")
    known_by = dt.datetime.now(dt.UTC)
    start = since - dt.timedelta(days=baseline_days)  # the baseline looks back this far
    events = known_events(
        conn, start, until, known_by, country=country.upper() if country else None
    )
    areas: dict[tuple[str, str | None, float | None, float | None], list[Any]] = defaultdict(list)
    for ev in events:
        if not ev.country:
            continue
        if by == "country":
            areas[(ev.country, None, None, None)].append(ev)
        elif ev.precision in ("city", "point") and ev.lat is not None:
            areas[(ev.country, ev.place, round(ev.lat, 3), round(ev.lon, 3))].append(ev)
    days = [since + dt.timedelta(days=n) for n in range((until - since).days + 1)]
    rows = []
    for (code, place, lat, lon), group in sorted(areas.items(), key=lambda kv: str(kv[0])):
        for index in index_series(group, days, baseline_days).values():
            if index.events:
                row = index.to_dict()
                row["date"] = row.pop("day")
                rows.append({"country": code, "place": place, "lat": lat, "lon": lon, **row})
    rows.sort(key=lambda r: (r["date"], -r["intensity"], r["country"], r["place"] or ""))
    return {"by": by, "since": since.isoformat(), "until": until.isoformat(), "rows": rows}


def article_view(conn: sqlite3.Connection, article_id: int) -> dict[str, Any]:
    """A stored article with its coded spans: ``spans`` are ``{kind, start, end, text,
    label}`` over ``text`` (kinds in :data:`SPAN_KINDS`, sorted, never overlapping),
    ``mentions`` the stored records' summaries with their event ids.

    Triggers and dates come from the stored records; actors, places and numbers from
    coding the stored text again, kept only when it still yields the same text.
    """
    row = conn.execute(
        "SELECT id, ext_id, source, url, outlet, title, published, lang, text, coder, dup_of "
        "FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        raise InputError("no such article", str(article_id))
    article = dict(row)
    text = article["text"]
    mentions = []
    spans: list[dict[str, Any]] = []
    for m in conn.execute(
        "SELECT id, event_id, type, mode, aux, date, sent_start, sent_end, trigger_start, "
        "trigger_end, sentence, record_json FROM mentions WHERE article_id = ? "
        "ORDER BY sent_start, trigger_start",
        (article_id,),
    ):
        record = json.loads(m["record_json"])
        label = m["type"] + (f"/{m['mode']}" if m["mode"] else "")
        mentions.append(
            {
                "id": m["id"],
                "event_id": m["event_id"],
                "type": m["type"],
                "mode": m["mode"],
                "aux": m["aux"],
                "date": m["date"],
                "sentence": m["sentence"],
                "sent_start": m["sent_start"],
                "sent_end": m["sent_end"],
                "trigger": record.get("event_text"),
                "coder": record.get("coder"),
            }
        )
        if m["trigger_start"] is not None and m["trigger_end"] is not None:
            spans.append(_span("trigger", m["trigger_start"], m["trigger_end"], text, label))
        date_text = record.get("date_text")
        if date_text and m["sent_start"] is not None:
            at = text.find(date_text, m["sent_start"], m["sent_end"])
            if at >= 0:
                spans.append(_span("date", at, at + len(date_text), text, m["date"]))
    spans += _coded_spans(article)
    article["spans"] = _no_overlaps(spans)
    article["mentions"] = mentions
    return article


def store_article(db: str | os.PathLike[str], fields: dict[str, Any]) -> dict[str, Any]:
    """Code one article (``text`` and optional ``id``, ``lang``, ``published``, ``url``,
    ``title``, ``outlet``) and store it with :func:`pantau.ingest.ingest`.

    Returns ``{article_id, created, mentions, events}``; ``created`` is False when the
    same text was stored before. An article that cannot be coded raises InputError.
    """
    from pantau import dedup, store
    from pantau.ingest import ingest

    line = {k: v for k, v in fields.items() if v is not None}
    if isinstance(line.get("published"), dt.date):
        line["published"] = line["published"].isoformat()
    with tempfile.TemporaryDirectory(prefix="pantau-api-") as tmp:
        path = Path(tmp) / "api.jsonl"
        path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
        report = ingest([str(path)], db, kind="jsonl")
    if report.coded == 0 and report.already == 0:
        reasons = [r for examples in report.examples.values() for r in examples]
        reason = reasons[0].split(": ", 1)[-1] if reasons else "could not be coded"
        raise InputError(reason, "article")
    conn = store.connect(db, readonly=True)
    try:
        found = conn.execute(
            "SELECT id FROM articles WHERE hash = ?", (dedup.content_hash(fields["text"]),)
        ).fetchone()
        if found is None:  # stored under a hash of other text: cannot happen unless raced
            raise PantauError("the article was coded but is not in the store")
        events = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT event_id FROM mentions WHERE article_id = ? AND event_id "
                "IS NOT NULL ORDER BY event_id",
                (found[0],),
            )
        ]
        count = conn.execute(
            "SELECT COUNT(*) FROM mentions WHERE article_id = ?", (found[0],)
        ).fetchone()[0]
    finally:
        conn.close()
    return {
        "article_id": found[0],
        "created": report.coded > 0,
        "mentions": count,
        "events": events,
    }


def _coded_spans(article: dict[str, Any]) -> list[dict[str, Any]]:
    """Actor, place and number spans from coding the stored text again."""
    from pantau.document import Article
    from pantau.pipeline import process

    published = dt.date.fromisoformat(article["published"]) if article["published"] else None
    try:
        doc = process(
            Article(
                id=article["ext_id"],
                text=article["text"],
                lang=article["lang"],
                published=published,
            )
        )
    except InputError:
        return []
    if doc.text != article["text"]:
        return []  # offsets would point elsewhere
    out = []
    for span in doc.spans:
        if span.kind in ("actor", "place", "number"):
            data = span.data
            if span.kind == "actor":
                label = " ".join(str(x) for x in (data.get("code"), data.get("sector")) if x)
            elif span.kind == "place":
                label = ", ".join(str(x) for x in (data.get("name"), data.get("country")) if x)
            else:
                label = f"{data.get('field')}={data.get('value')}"
            out.append(_span(span.kind, span.start, span.end, doc.text, label or None))
    return out


def _span(kind: str, start: int, end: int, text: str, label: str | None) -> dict[str, Any]:
    return {"kind": kind, "start": start, "end": end, "text": text[start:end], "label": label}


def _no_overlaps(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans in order; of two overlapping ones the earlier kind in SPAN_KINDS wins (a
    trigger over the number inside it), so a client can mark them without nesting."""
    ranked = sorted(spans, key=lambda s: (SPAN_KINDS.index(s["kind"]), s["start"], -s["end"]))
    kept: list[dict[str, Any]] = []
    for span in ranked:
        if span["end"] <= span["start"]:
            continue
        if all(span["end"] <= k["start"] or span["start"] >= k["end"] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s["start"], s["end"]))


def quad(event_type: str) -> int:
    """The PLOVER quad (1-4) of a type; 0 for a type this pantau does not know."""
    try:
        return plover.quad_code(event_type)
    except PantauError:
        return 0  # a type from a newer coder: shown, uncoloured


def _type_order(event_type: str) -> int:
    types = plover.event_types()
    return types.index(event_type) if event_type in types else len(types)


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
