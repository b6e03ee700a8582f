"""The situation around a place: fused events as known at a moment, and a daily index.

:func:`known_events` reads the store the way a monitor saw it at the end of a
day: the asserted mentions (not negated, hypothetical, planned or historical)
of articles published by then, grouped by their fused event. An article counts
from its published instant when the store has one (``article_times``, written
by ``pantau replay``), else from its publication date, else from when it was
ingested. Each :class:`EventView` keeps what the tripwires need (type, mode,
signals, actors, the most precise place, dates, dead and injured, outlets) and
the evidence: sentence, trigger and article of every known mention.

:func:`situation_index` is the situation index per country or city per day, used
by the tripwire rules (``situation:``) and meant for a dashboard as it is: event
counts by type, PLOVER-score intensity (the sum of ``-event_scale`` over the
material-conflict events dated that day), dead and injured, and the change
against the mean intensity of the trailing ``baseline_days``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pantau.fusion_match import distance_km

_PLACE_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3}
MATERIAL_CONFLICT = 4  # PLOVER quad code
EVIDENCE_PER_EVENT = 3  # mentions quoted in a reason; the event id leads to all of them


@dataclass
class EventView:
    """One fused event as known at a cutoff: what its known mentions say together."""

    id: str
    type: str
    mode: str
    country: str | None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    dates: set[str] = field(default_factory=set)
    signals: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    dead: int = 0
    injured: int = 0
    scale: float = 0.0
    quad: int = 0
    outlets: set[str] = field(default_factory=set)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first_date(self) -> str:
        return min(self.dates)

    def near(self, lat: float, lon: float, km: float) -> bool:
        """Placed at a city or a point within ``km`` of (lat, lon)."""
        if self.precision not in ("point", "city") or self.lat is None or self.lon is None:
            return False
        return distance_km(lat, lon, self.lat, self.lon) <= km

    def summary(self) -> dict[str, Any]:
        """The event with its evidence, as levels and alerts report it."""
        return {
            "event": self.id,
            "type": self.type,
            "mode": self.mode or None,
            "dates": sorted(self.dates),
            "place": self.place,
            "country": self.country,
            "signals": sorted(self.signals),
            "actors": sorted(self.actors),
            "dead": self.dead or None,
            "injured": self.injured or None,
            "mentions": len(self.evidence),
            "evidence": self.evidence[:EVIDENCE_PER_EVENT],
        }


def known_events(
    conn: sqlite3.Connection,
    since: dt.date,
    until: dt.date,
    known_by: dt.datetime,
    *,
    country: str | None = None,
    near: tuple[float, float, float] | None = None,
) -> list[EventView]:
    """Fused events dated ``since``..``until`` with mentions known at ``known_by`` (UTC).

    ``country`` keeps events placed in that country; ``near=(lat, lon, km)`` also
    keeps events beyond its border placed within ``km``. An article without an
    instant counts when published on or before ``until`` (or, without a date,
    ingested before ``known_by``).
    """
    instant = known_by.astimezone(dt.UTC).isoformat(timespec="seconds")
    # A date that fell back to the article's publication date may be the next day in the
    # outlet's zone (published 00:30 +07:00 is still the day before in Almaty): an article
    # known by the cutoff reports nothing later than `until`, so such a date is clamped.
    where = ["m.aux = ''", "m.event_id IS NOT NULL", "m.date BETWEEN ? AND ?"]
    args: list[Any] = [since.isoformat(), (until + dt.timedelta(days=1)).isoformat()]
    where.append(
        "(CASE WHEN t.published_at IS NOT NULL THEN t.published_at < ? "
        "WHEN a.published IS NOT NULL THEN a.published <= ? ELSE a.ingested_at < ? END)"
    )
    args += [instant, until.isoformat(), instant]
    area = []
    if country:
        area.append("m.country = ?")
        args.append(country)
    if near:
        lat, lon, km = near
        dlat = km / 111.0
        dlon = km / (111.0 * max(0.01, math.cos(math.radians(lat))))
        area.append("(m.lat BETWEEN ? AND ? AND m.lon BETWEEN ? AND ?)")
        args += [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
    if area:
        where.append("(" + " OR ".join(area) + ")")
    rows = conn.execute(
        f"""SELECT m.event_id, m.type, m.mode, m.actor_codes, m.country, m.place_name, m.lat,
                   m.lon, m.loc_precision, m.date, m.date_precision, m.signals, m.sentence,
                   m.record_json,
                   a.ext_id, a.url, a.outlet, a.title, a.published,
                   COALESCE(r.outlet, a.outlet) AS root_outlet
            FROM mentions m JOIN articles a ON a.id = m.article_id
            LEFT JOIN articles r ON r.id = a.dup_of
            LEFT JOIN article_times t ON t.article_id = a.id
            WHERE {" AND ".join(where)}
            ORDER BY m.event_id, a.published, a.id, m.sent_start""",
        args,
    ).fetchall()
    events: dict[str, EventView] = {}
    last = until.isoformat()
    for r in rows:
        date = r["date"]
        if date > last:
            if r["date_precision"] != "published":
                continue
            date = last
        ev = events.get(r["event_id"])
        if ev is None:
            ev = events[r["event_id"]] = EventView(
                r["event_id"], r["type"], r["mode"], r["country"]
            )
        _add_mention(ev, r, date)
    return list(events.values())


def _add_mention(ev: EventView, r: sqlite3.Row, date: str) -> None:
    record = json.loads(r["record_json"])
    rank = _PLACE_RANK.get(r["loc_precision"] or "", 9)
    if ev.precision is None or rank < _PLACE_RANK.get(ev.precision, 9):
        ev.place, ev.lat, ev.lon, ev.precision = (
            r["place_name"],
            r["lat"],
            r["lon"],
            r["loc_precision"],
        )
    ev.dates.add(date)
    ev.signals.update(r["signals"].split())
    ev.actors.update(r["actor_codes"].split())
    ev.dead = max(ev.dead, _count(record.get("dead")))
    ev.injured = max(ev.injured, _count(record.get("injured")))
    ev.scale = float(record.get("event_scale") or 0.0)
    ev.quad = int(record.get("quad_code") or 0)
    ev.outlets.add(r["root_outlet"] or r["ext_id"])
    ev.evidence.append(
        {
            "sentence": r["sentence"],
            "trigger": record.get("event_text"),
            "article": r["ext_id"],
            "url": r["url"],
            "outlet": r["outlet"],
            "title": r["title"],
            "published": r["published"],
        }
    )


def _count(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and value > 0 else 0


@dataclass
class DayIndex:
    """The situation index of one area on one day."""

    day: dt.date
    events: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    intensity: float = 0.0
    dead: int = 0
    injured: int = 0
    baseline: float = 0.0
    change: float = 0.0
    ratio: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "events": self.events,
            "by_type": dict(sorted(self.by_type.items())),
            "intensity": round(self.intensity, 1),
            "dead": self.dead,
            "injured": self.injured,
            "baseline": round(self.baseline, 2),
            "change": round(self.change, 1),
            "ratio": None if self.ratio is None else round(self.ratio, 2),
        }


def index_series(
    events: Iterable[EventView], days: Iterable[dt.date], baseline_days: int = 30
) -> dict[dt.date, DayIndex]:
    """The index of each day in ``days`` over ``events`` (already limited to one area).

    An event counts on its first known date; equal tolls on one day count once. The
    baseline is the mean daily intensity of the ``baseline_days`` before the day (days
    without events count as 0); ``ratio`` divides by a baseline of at least 1 so a
    first flare-up in a quiet place has a finite ratio.
    """
    per_day: dict[dt.date, DayIndex] = {}
    tolls: dict[dt.date, set[tuple[int, int]]] = {}
    for ev in events:
        day = dt.date.fromisoformat(ev.first_date)
        idx = per_day.setdefault(day, DayIndex(day))
        idx.events += 1
        idx.by_type[ev.type] += 1
        if ev.quad == MATERIAL_CONFLICT and ev.scale < 0:
            idx.intensity += -ev.scale
        # One toll sentence often yields two records ("56 killed as battles spread"):
        # the same numbers on the same day are counted once.
        toll = (ev.dead, ev.injured)
        if toll != (0, 0) and toll not in tolls.setdefault(day, set()):
            tolls[day].add(toll)
            idx.dead += ev.dead
            idx.injured += ev.injured
    out = {}
    for day in days:
        idx = per_day.get(day) or DayIndex(day)
        before = [
            per_day[d].intensity
            for n in range(1, baseline_days + 1)
            if (d := day - dt.timedelta(days=n)) in per_day
        ]
        idx.baseline = sum(before) / baseline_days if baseline_days else 0.0
        idx.change = idx.intensity - idx.baseline
        idx.ratio = idx.intensity / max(1.0, idx.baseline)
        out[day] = idx
    return out


def situation_index(
    conn: sqlite3.Connection,
    country: str,
    day: dt.date,
    *,
    city: tuple[float, float] | None = None,
    city_km: float = 25.0,
    known_by: dt.datetime | None = None,
    baseline_days: int = 30,
) -> dict[str, Any]:
    """The situation index of ``country`` (or of the city at ``city=(lat, lon)``) on ``day``.

    ``known_by`` (UTC) defaults to the end of ``day`` in UTC.
    """
    cutoff = known_by or dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
    since = day - dt.timedelta(days=baseline_days)
    near = (city[0], city[1], city_km) if city else None
    events = known_events(conn, since, day, cutoff, country=country, near=near)
    if city:
        events = [e for e in events if e.near(city[0], city[1], city_km)]
    else:
        events = [e for e in events if e.country == country]
    out = index_series(events, [day], baseline_days)[day].to_dict()
    out["area"] = f"{country} {city[0]:.3f},{city[1]:.3f}" if city else country
    return out
