"""Fuse mentions (coded records) that report the same event into one event.

Two mentions are *compatible* when

- their type, auxiliary mode (a denied or planned attack is not the attack) and
  the country of their place agree: these make the *block* (``ASSAULT||SAU``),
  and fusion never looks across blocks;
- their modes agree, or one has none;
- their actor codes, recipient codes and the sectors of each are compatible:
  the same set, or one a subset of the other (no code at all included); an actor
  the coder only guessed (the article's focus country, no name in the sentence)
  counts as no code;
- their places agree: the same GeoNames place, within ``NEAR_KM``, the same
  first-level division, or one of them only gives the country;
- their dates are within ``TOLERANCE_DAYS``, each widened by its precision: a
  week +-3 days, a month or year the whole of it, a date that fell back to the
  publication date (``published``) the two days before it.

Compatibility alone would fuse every "Indonesian officials criticised ..." of a
day into one event, since most mentions only give the country and the
publication date. So a mention joins an event only if it is also *anchored* to
one of its mentions, sharing something specific: a place below the country
(the same, or within ``NEAR_KM``), most words of the evidence sentence (a quote,
a syndicated line), the same international dyad, the same named foreign actor
in this country, or the same named dyad on a precise day. Reports that give
nothing specific stay apart: for a monitor that counts events, under-fusing is
the safer error. Codes, places and dates are language-neutral, so reports in
Indonesian and English fuse like any others.

An event is a set of pairwise compatible mentions (complete link: a chain of
near-misses never stretches one event over a week). Mentions are assigned
greedily in a canonical order (date window, precision, the article's
publication date, content hash, record id): each joins the event it fits best
(same place, then nearby, then country; the smallest date gap; the bigger
event; the older one), or starts one. An event's id derives from its first mention.

**Order independence.** A block's events are a function of the *set* of its
mentions, whatever order articles arrived in: a fusion pass recomputes each
block that changed (``fusion_queue``, written in the same transaction as the
mentions) from all its mentions. So fusion is incremental (new articles join
existing events, recoded ones leave them) and an interrupted ingest, resumed,
ends with exactly the events of a clean run. The cost is a pass over each
changed block (one type in one country) per fusion pass.

Counts: ``num_mentions`` all mentions; ``num_articles`` distinct articles, a
near-duplicate counted as its original; ``num_sources`` distinct outlets of
those originals; ``confidence = 1 - 0.5 ** num_sources``.
"""

from __future__ import annotations

import hashlib
import operator
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pantau import plover
from pantau.fusion_match import (
    TOLERANCE_DAYS,
    WORD,
    Mention,
    anchored,
    compatible,
    date_gap,
    date_window,
    place_affinity,
)

# What compatibility looks at: members alike in all of it are checked once.
_shape = operator.attrgetter(
    "mode", "named_actors", "recipients", "actor_sectors", "recipient_sectors", "geonameid",
    "place_precision", "admin1", "lat", "lon", "window", "date_precision",
)  # fmt: skip


@dataclass
class _Cluster:
    members: list[Mention] = field(default_factory=list)
    shapes: dict[tuple, Mention] = field(default_factory=dict)  # distinct attribute sets
    min_end: int = 0


def block_key(record: dict[str, Any]) -> str:
    """``TYPE|aux|COUNTRY`` of a record: the part of compatibility that must match exactly."""
    aux = sorted(set(record.get("context") or []) & set(plover.auxiliary_modes()))
    place = record.get("event_loc") or {}
    return f"{record['event'][0]}|{'+'.join(aux)}|{place.get('country') or ''}"


def cluster(mentions: Iterable[Mention]) -> list[list[Mention]]:
    """Group one block's mentions into events (see the module docstring)."""
    ordered = sorted(mentions, key=lambda m: m.order)
    active: list[_Cluster] = []
    done: list[_Cluster] = []
    for m in ordered:
        start = m.window[0]
        still = []
        for c in active:  # windows only move forward: a cluster out of reach stays so
            (still if start - TOLERANCE_DAYS <= c.min_end else done).append(c)
        active = still
        best: tuple | None = None
        best_cluster: _Cluster | None = None
        for c in active:
            score = _fit(c, m)
            if score is not None and (best is None or score < best):
                best, best_cluster = score, c
        if best_cluster is None:
            best_cluster = _Cluster(min_end=m.window[1])
            active.append(best_cluster)
        best_cluster.members.append(m)
        best_cluster.shapes.setdefault(_shape(m), m)
        best_cluster.min_end = min(best_cluster.min_end, m.window[1])
    return [c.members for c in sorted(done + active, key=lambda c: c.members[0].order)]


def event_id(first: Mention) -> str:
    """``ev-`` + 12 hex digits derived from the event's first mention."""
    return "ev-" + hashlib.sha1(first.uid.encode("utf-8")).hexdigest()[:12]


def summarize(block: str, members: Sequence[Mention]) -> dict[str, Any]:
    """The ``events`` row of one cluster."""
    kind, aux, country = block.split("|")
    rep = min(members, key=lambda m: (m.rank, m.order))
    mode = rep.mode or _most_common(m.mode for m in members) or ""
    cameo = next((m.cameo for m in members if m.mode == mode and m.cameo), rep.cameo)
    dated = [m for m in members if m.rank[0] == rep.rank[0]]
    dates = Counter(m.date for m in dated if m.date)
    place = min(members, key=lambda m: (m.rank[1], m.geonameid or 0, m.order))
    roots = {m.root: m.outlet or f"article:{m.root}" for m in members}
    sources = len(set(roots.values()))
    published = [m.published for m in members if m.published]
    return {
        "id": event_id(members[0]),
        "block": block,
        "type": kind,
        "mode": mode,
        "aux": aux,
        "cameo": cameo,
        "actor_codes": " ".join(sorted(set().union(*(m.actors for m in members)))),
        "actor_sector": _most_common(s for m in members for s in m.actor_sectors),
        "recipient_codes": " ".join(sorted(set().union(*(m.recipients for m in members)))),
        "recipient_sector": _most_common(s for m in members for s in m.recipient_sectors),
        "country": country or None,
        "geonameid": place.geonameid,
        "place_name": place.place_name,
        "admin1": place.admin1,
        "lat": place.lat,
        "lon": place.lon,
        "loc_precision": place.place_precision,
        "date": min(dates, key=lambda d: (-dates[d], d)) if dates else None,
        "date_precision": dated[0].date_precision,
        "date_first": min(dates) if dates else None,
        "date_last": max(dates) if dates else None,
        "num_mentions": len(members),
        "num_articles": len(roots),
        "num_sources": sources,
        "first_seen": min(published) if published else None,
        "last_seen": max(published) if published else None,
        "confidence": round(1 - 0.5**sources, 4),
        "signals": " ".join(sorted({s for m in members for s in m.signals})),
        "langs": " ".join(sorted({m.lang for m in members if m.lang})),
        "rep_mention": rep.id,
    }


def fuse(conn: sqlite3.Connection, blocks: Iterable[str] | None = None) -> dict[str, int]:
    """Recompute the events of ``blocks`` (default: the queued ones) inside the caller's
    transaction; returns counts of blocks, mentions and events written."""
    if blocks is None:
        blocks = [r[0] for r in conn.execute("SELECT block FROM fusion_queue ORDER BY block")]
    totals = {"blocks": 0, "mentions": 0, "events": 0}
    for block in blocks:
        mentions = load_block(conn, block)
        clusters = cluster(mentions)
        current = dict(conn.execute("SELECT id, event_id FROM mentions WHERE block=?", (block,)))
        conn.execute("DELETE FROM events WHERE block=?", (block,))
        rows = [summarize(block, members) for members in clusters]
        if rows:
            cols = list(rows[0])
            conn.executemany(
                f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [tuple(r[c] for c in cols) for r in rows],
            )
        changed = [
            (row["id"], m.id)
            for row, members in zip(rows, clusters, strict=True)
            for m in members
            if current.get(m.id) != row["id"]
        ]
        conn.executemany("UPDATE mentions SET event_id=? WHERE id=?", changed)
        conn.execute("DELETE FROM fusion_queue WHERE block=?", (block,))
        totals["blocks"] += 1
        totals["mentions"] += len(mentions)
        totals["events"] += len(rows)
    return totals


def load_block(conn: sqlite3.Connection, block: str) -> list[Mention]:
    """The mentions of one block, with what fusion needs of their articles."""
    country = block.split("|")[2]
    rows = conn.execute(
        """SELECT m.id, a.hash || ':' || m.record_id AS uid, m.actor_codes, m.recipient_codes,
                  m.actor_sectors, m.recipient_sectors, m.geonameid, m.loc_precision,
                  m.place_name, m.admin1, m.lat, m.lon, m.date, m.date_precision, m.mode, m.cameo,
                  m.signals, m.sentence, a.published, COALESCE(a.dup_of, a.id) AS root,
                  json_array_length(m.record_json, '$.actor') > 0 AND NOT EXISTS (
                      SELECT 1 FROM json_each(m.record_json, '$.actor')
                      WHERE json_extract(value, '$.entity_text') IS NOT NULL) AS guessed,
                  COALESCE(r.outlet, a.outlet) AS outlet, a.lang
           FROM mentions m JOIN articles a ON a.id = m.article_id
           LEFT JOIN articles r ON r.id = a.dup_of
           WHERE m.block = ?""",
        (block,),
    )
    return [
        Mention(
            id=r["id"],
            uid=r["uid"],
            actors=frozenset(r["actor_codes"].split()),
            recipients=frozenset(r["recipient_codes"].split()),
            actor_sectors=tuple(r["actor_sectors"].split()),
            recipient_sectors=tuple(r["recipient_sectors"].split()),
            geonameid=r["geonameid"],
            place_name=r["place_name"],
            place_precision=r["loc_precision"],
            admin1=r["admin1"],
            lat=r["lat"],
            lon=r["lon"],
            date=r["date"],
            date_precision=r["date_precision"],
            window=date_window(r["date"], r["date_precision"]),
            mode=r["mode"],
            cameo=r["cameo"],
            signals=tuple(r["signals"].split()),
            published=r["published"],
            root=r["root"],
            outlet=r["outlet"],
            lang=r["lang"],
            country=country or None,
            words=frozenset(WORD.findall(r["sentence"].casefold())),
            guessed=bool(r["guessed"]),
        )
        for r in rows
    ]


def _fit(c: _Cluster, m: Mention) -> tuple | None:
    """How well ``m`` fits cluster ``c`` (smaller is better); None unless it is compatible
    with every member (complete link; members alike are checked once) and anchored to one."""
    place_best, gap_best = 9, 9
    for other in c.shapes.values():
        if not compatible(m, other):
            return None
        place_best = min(place_best, place_affinity(m, other))  # type: ignore[type-var]
        gap_best = min(gap_best, date_gap(m, other))  # type: ignore[type-var]
    if not any(anchored(m, other) for other in c.members):
        return None
    return (place_best, gap_best, -len(c.members), c.members[0].order)


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None
