"""Read the event store: events by filter, one event with its evidence, counts.

The functions behind ``pantau events``, ``pantau event ID`` and ``pantau stats``.
They take an open connection (:func:`pantau.store.connect`, ``readonly=True``
beside a running ingest) and return plain dicts, so a server or notebook can use
them as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from pantau.errors import InputError, UsageError
from pantau.store import counts

EVENT_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "type",
    "mode",
    "aux",
    "actor_codes",
    "actor_sector",
    "recipient_codes",
    "recipient_sector",
    "country",
    "place_name",
    "geonameid",
    "admin1",
    "lat",
    "lon",
    "loc_precision",
    "cameo",
    "num_mentions",
    "num_articles",
    "num_sources",
    "confidence",
    "first_seen",
    "last_seen",
    "signals",
    "langs",
)
STATS_BY = ("day", "country", "type", "outlet")


def find_events(
    conn: sqlite3.Connection,
    *,
    country: str | None = None,
    place: str | None = None,
    type: str | None = None,
    signal: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    search: str | None = None,
    asserted: bool = False,
    min_sources: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Events matching every filter given, by date then id.

    ``country``: ISO3 of the event's place, or of an actor or recipient;
    ``place``: the place name (any case), or a GeoNames id, or a first-level
    division; ``type``: a PLOVER type (any case); ``signal``: a signal one of its
    mentions carries; ``since``/``until``: inclusive dates; ``search``: an FTS5
    query over its evidence sentences (``drone``, ``"gas air mata"``);
    ``asserted``: leave out negated, hypothetical, future and historical events.
    """
    where: list[str] = []
    args: list[Any] = []
    if country:
        code = country.upper()
        where.append(
            "(e.country = ? OR (' ' || e.actor_codes || ' ') LIKE ? "
            "OR (' ' || e.recipient_codes || ' ') LIKE ?)"
        )
        args += [code, f"% {code} %", f"% {code} %"]
    if place:
        if place.isdigit():
            where.append("e.id IN (SELECT event_id FROM mentions WHERE geonameid = ?)")
            args.append(int(place))
        else:
            where.append(
                "e.id IN (SELECT event_id FROM mentions WHERE place_name = ? COLLATE NOCASE "
                "OR admin1 = ? COLLATE NOCASE)"
            )
            args += [place, place]
    if type:
        where.append("e.type = ?")
        args.append(type.upper())
    if signal:
        where.append(
            "e.id IN (SELECT m.event_id FROM mentions m JOIN mention_signals s "
            "ON s.mention_id = m.id WHERE s.signal = ?)"
        )
        args.append(signal)
    if since:
        where.append("e.date >= ?")
        args.append(since.isoformat())
    if until:
        where.append("e.date <= ?")
        args.append(until.isoformat())
    if search:
        where.append(
            "e.id IN (SELECT m.event_id FROM mentions_fts f JOIN mentions m ON m.id = f.rowid "
            "WHERE mentions_fts MATCH ?)"
        )
        args.append(search)
    if asserted:
        where.append("e.aux = ''")
    if min_sources:
        where.append("e.num_sources >= ?")
        args.append(min_sources)
    sql = f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM events e"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY e.date, e.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    if search:
        _check_search(conn, search)
    return [dict(r) for r in conn.execute(sql, args)]


def get_event(conn: sqlite3.Connection, event_id: str) -> dict[str, Any]:
    """One event with all its mentions: evidence sentence, trigger, article and its link.

    A unique prefix of the id is enough (``ev-3fa5``).
    """
    rows = conn.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)}, rep_mention FROM events WHERE id >= ? AND id < ? "
        "ORDER BY id LIMIT 2",
        (event_id, event_id + "\uffff"),
    ).fetchall()
    if not rows:
        raise InputError("no such event", event_id)
    if len(rows) > 1 and rows[0]["id"] != event_id:
        raise InputError("ambiguous event id prefix; give more of it", event_id)
    event = dict(rows[0])
    mentions = conn.execute(
        """SELECT m.id, m.record_id, m.date, m.date_precision, m.mode, m.actor_codes,
                  m.recipient_codes, m.place_name, m.loc_precision, m.sentence, m.sent_start,
                  m.sent_end, m.trigger_start, m.trigger_end, m.record_json,
                  a.id AS article_id, a.ext_id, a.url, a.outlet, a.title, a.published, a.lang,
                  a.dup_of
           FROM mentions m JOIN articles a ON a.id = m.article_id
           WHERE m.event_id = ? ORDER BY a.published, a.id, m.sent_start""",
        (event["id"],),
    ).fetchall()
    event["mentions"] = []
    for m in mentions:
        record = json.loads(m["record_json"])
        item = {k: m[k] for k in m.keys() if k != "record_json"}
        item["trigger"] = record.get("event_text")
        item["coder"] = record.get("coder")
        event["mentions"].append(item)
        if m["id"] == event["rep_mention"]:
            event["record"] = record
    return event


def stats(conn: sqlite3.Connection, by: str = "type", *, limit: int | None = None) -> dict:
    """Totals (articles, near-duplicates, mentions, events, skipped by kind) and rows of
    ``(key, events, mentions, articles)`` counted by ``day``, ``country``, ``type`` or
    ``outlet`` (most events first; days in date order)."""
    if by not in STATS_BY:
        raise UsageError(f"cannot count by {by!r}; use one of {', '.join(STATS_BY)}")
    totals = counts(conn)
    totals["skipped_by_kind"] = dict(
        conn.execute("SELECT kind, COUNT(*) FROM skipped GROUP BY kind ORDER BY kind").fetchall()
    )
    if by == "outlet":
        sql = """SELECT COALESCE(a.outlet, '-') AS key, COUNT(DISTINCT m.event_id) AS events,
                        COUNT(m.id) AS mentions, COUNT(DISTINCT a.id) AS articles
                 FROM articles a LEFT JOIN mentions m ON m.article_id = a.id
                 GROUP BY key"""
    else:
        column = {"day": "m.date", "country": "m.country", "type": "m.type"}[by]
        sql = f"""SELECT COALESCE({column}, '-') AS key, COUNT(DISTINCT m.event_id) AS events,
                         COUNT(m.id) AS mentions, COUNT(DISTINCT m.article_id) AS articles
                  FROM mentions m GROUP BY key"""
    sql += " ORDER BY key" if by == "day" else " ORDER BY events DESC, key"
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = [dict(r) for r in conn.execute(sql)]
    return {"by": by, "totals": totals, "rows": rows}


def _check_search(conn: sqlite3.Connection, query: str) -> None:
    """A malformed FTS5 query is the user's mistake: say so in one line."""
    try:
        conn.execute("SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? LIMIT 1", (query,))
    except sqlite3.OperationalError as exc:
        raise UsageError(f"bad search query {query!r}: {exc}") from None
