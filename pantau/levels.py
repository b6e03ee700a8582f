"""Levels per post and local day: 1 normal, 2 increased caution, 3 prepare, 4 leave.

For a post and one of its local calendar days, :func:`compute_day` takes the
events known by the end of that day (:func:`pantau.situation.known_events`),
fires the tripwire rules (:mod:`pantau.tripwires`) and sets the level with
hysteresis: the level goes up at once to the highest level of the rules that
fired, but comes down only after the rules alone have said less for
``quiet_days`` days in a row (a quiet period with no new triggering event); the
way down is reported as such. Every day carries its reasons: the rules that
fired, each with its events and their evidence (sentence, trigger, article id,
link, outlet).

:func:`compute_levels` runs the days of a period in order and stores them
(``levels`` table); :func:`update_now` is what a watcher runs: it fills the days
since the last stored one and recomputes today with what is known now.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pantau import store
from pantau.posts import Post
from pantau.situation import known_events
from pantau.tripwires import RuleSet, evaluate

NAMES = {1: "normal", 2: "increased caution", 3: "prepare", 4: "leave"}


@dataclass
class DayLevel:
    """The level of one post at the end of one local day, and why."""

    post: str
    day: dt.date
    level: int
    raw: int  # what the rules alone said
    change: int = 0  # +1 up, -1 down, 0 same, against the level in force before
    previous: int = 1  # the level in force before
    quiet_days: int = 0  # days in a row the rules said less than `level`
    last_trip: dt.date | None = None  # the last day the rules alone said `level`
    reasons: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "post": self.post,
            "date": self.day.isoformat(),
            "level": self.level,
            "name": NAMES[self.level],
            "previous": self.previous,
            "change": self.change,
            "raw": self.raw,
            "last_trip": self.last_trip.isoformat() if self.last_trip else None,
            "note": self.note,
            "reasons": self.reasons,
        }


def compute_day(
    conn: sqlite3.Connection,
    post: Post,
    day: dt.date,
    rules: RuleSet,
    previous: DayLevel | None = None,
    *,
    known_by: dt.datetime | None = None,
) -> DayLevel:
    """The level of ``post`` at the end of ``day`` (its local day), after ``previous``
    (the day before; level 1 when None). ``known_by`` (default: the end of the day at
    the post) limits the articles to those published by then."""
    cutoff = known_by or post.day_end(day)
    since = day - dt.timedelta(days=rules.max_window + rules.baseline_days)
    events = known_events(
        conn, since, day, cutoff, country=post.country, near=(post.lat, post.lon, post.radius_km)
    )
    fired = evaluate(rules, post, day, events)
    raw = max([f.rule.level for f in fired], default=1)
    return step(post.id, day, raw, [f.reason() for f in fired], previous, rules)


def step(
    post_id: str,
    day: dt.date,
    raw: int,
    reasons: list[dict[str, Any]],
    previous: DayLevel | None,
    rules: RuleSet,
) -> DayLevel:
    """Hysteresis: the level after ``previous`` when the rules alone say ``raw`` on ``day``.

    Up at once; down (to ``raw``) only once the rules have said less for
    ``rules.quiet_for(level)`` days in a row; meanwhile the level is held.
    """
    before = previous.level if previous else 1
    out = DayLevel(post_id, day, raw, raw, previous=before, reasons=reasons, last_trip=day)
    if raw > before:
        out.change = 1
        out.note = f"up from {before}"
    elif raw < before:
        quiet = (previous.quiet_days if previous else 0) + 1
        if quiet >= rules.quiet_for(before):
            out.change = -1
            out.note = f"down from {before}: no level-{before} tripwire for {quiet} days"
        else:
            out.level = before
            out.quiet_days = quiet
            out.last_trip = previous.last_trip if previous else None
            since = f"last level-{before} tripwire {out.last_trip}, " if out.last_trip else ""
            out.note = f"held at {before}: {since}quiet {quiet} of {rules.quiet_for(before)} days"
    return out


def compute_levels(
    conn: sqlite3.Connection,
    posts: Sequence[Post],
    since: dt.date,
    until: dt.date,
    rules: RuleSet,
) -> list[DayLevel]:
    """Levels of each post for each day ``since``..``until``, by post then day (stored).

    The level in force before ``since`` is the stored level of the day before,
    else computed from ``rules.lookback_days`` earlier (not returned).
    """
    out: list[DayLevel] = []
    for post in posts:
        previous = stored_level(conn, post.id, since - dt.timedelta(days=1))
        start = since
        if previous is None:
            start = since - dt.timedelta(days=rules.lookback_days)
        day = start
        while day <= until:
            level = compute_day(conn, post, day, rules, previous)
            save_level(conn, level)
            if day >= since:
                out.append(level)
            previous = level
            day += dt.timedelta(days=1)
    return out


def update_now(
    conn: sqlite3.Connection, posts: Sequence[Post], rules: RuleSet, now: dt.datetime
) -> list[DayLevel]:
    """Each post's level for its local today with what is known at ``now`` (UTC),
    after filling the days since the last stored one; the change is against the
    level in force (today's earlier computation, else yesterday's)."""
    out = []
    for post in posts:
        today = post.local_day(now)
        yesterday = today - dt.timedelta(days=1)
        if stored_level(conn, post.id, yesterday) is None:
            last = conn.execute(
                "SELECT MAX(day) FROM levels WHERE post_id=? AND day < ?",
                (post.id, today.isoformat()),
            ).fetchone()[0]
            start = yesterday - dt.timedelta(days=rules.lookback_days)
            if last:
                start = max(start, dt.date.fromisoformat(last) + dt.timedelta(days=1))
            compute_levels(conn, [post], start, yesterday, rules)
        in_force = stored_level(conn, post.id, today) or stored_level(conn, post.id, yesterday)
        level = compute_day(
            conn, post, today, rules, stored_level(conn, post.id, yesterday), known_by=now
        )
        if in_force is not None and in_force.day == today:
            level.previous = in_force.level
            level.change = (level.level > in_force.level) - (level.level < in_force.level)
        save_level(conn, level)
        out.append(level)
    return out


def save_level(conn: sqlite3.Connection, level: DayLevel) -> None:
    """Store (or replace) one post's level for one day."""
    with store.transaction(conn):
        conn.execute(
            """INSERT OR REPLACE INTO levels(post_id, day, level, raw_level, change, quiet_days,
                   reasons, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                level.post,
                level.day.isoformat(),
                level.level,
                level.raw,
                level.change,
                level.quiet_days,
                json.dumps(
                    {
                        "previous": level.previous,
                        "note": level.note,
                        "last_trip": level.last_trip.isoformat() if level.last_trip else None,
                        "reasons": level.reasons,
                    },
                    ensure_ascii=False,
                ),
                store.utc_now(),
            ),
        )


def stored_level(conn: sqlite3.Connection, post_id: str, day: dt.date) -> DayLevel | None:
    """The stored level of a post on a day, if computed before."""
    row = conn.execute(
        "SELECT level, raw_level, change, quiet_days, reasons FROM levels "
        "WHERE post_id=? AND day=?",
        (post_id, day.isoformat()),
    ).fetchone()
    if row is None:
        return None
    extra = json.loads(row["reasons"])
    last = extra.get("last_trip")
    return DayLevel(
        post_id,
        day,
        row["level"],
        row["raw_level"],
        change=row["change"],
        previous=extra.get("previous", 1),
        quiet_days=row["quiet_days"],
        reasons=extra.get("reasons", []),
        note=extra.get("note"),
        last_trip=dt.date.fromisoformat(last) if last else None,
    )


def top_reasons(level: DayLevel, n: int = 3) -> list[str]:
    """One line per fired rule (highest level first), with its latest evidence sentence."""
    lines = []
    for reason in level.reasons[:n]:
        line = f"[{reason['level']}] {reason['rule']}: {reason['detail']}"
        events = reason.get("events") or []
        if events and events[0]["evidence"]:
            ev = events[0]
            where = ev["place"] or ev["country"] or "-"
            quote = ev["evidence"][0]
            sentence = quote["sentence"]
            sentence = sentence if len(sentence) <= 110 else sentence[:107] + "..."
            line += (
                f"\n      {ev['type']}{'/' + ev['mode'] if ev['mode'] else ''} "
                f'{max(ev["dates"])} {where} ({quote["article"]}): "{sentence}"'
            )
        lines.append(line)
    return lines
