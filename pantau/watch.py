"""Watch feeds: poll, ingest, re-evaluate every post's level, alert on changes; repeat.

:func:`watch` is the library behind ``pantau watch FEED... --every 15m``. Each
cycle (:func:`run_cycle`):

1. ingests each feed on its own with :func:`pantau.ingest.ingest` (articles
   already stored are skipped), so a feed that is down or malformed is reported
   and the others are still read;
2. recomputes each post's level for its local today from what is known now
   (:func:`pantau.levels.update_now`);
3. stores an alert for each change (:func:`pantau.alerts.record_changes`) and
   delivers the alerts each channel has not delivered yet
   (:func:`pantau.alerts.dispatch`).

Between cycles it sleeps until the next one is due. Ctrl-C stops it cleanly: an
ingest in progress records its run as interrupted (what it committed stays), and
:func:`watch` returns the cycles completed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pantau import alerts, store
from pantau.errors import PantauError, UsageError
from pantau.ingest import ingest
from pantau.levels import DayLevel, update_now
from pantau.posts import list_posts
from pantau.sources import Fetcher
from pantau.tripwires import RuleSet, load_rules

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL = 10.0  # seconds: polling faster than this only annoys the feeds


@dataclass
class Cycle:
    """What one watch cycle did."""

    started: dt.datetime
    coded: int = 0
    already: int = 0
    feed_errors: list[str] = field(default_factory=list)
    levels: list[DayLevel] = field(default_factory=list)
    new_alerts: int = 0
    sent: int = 0
    failed: int = 0
    delivery_errors: list[str] = field(default_factory=list)


def parse_interval(text: str) -> float:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``; at least ``MIN_INTERVAL``."""
    m = _INTERVAL.match(text or "")
    if not m:
        raise UsageError(f"not an interval: {text!r} (use e.g. 30s, 15m, 2h)")
    seconds = float(m[1]) * _UNIT[m[2]]
    if seconds < MIN_INTERVAL:
        raise UsageError(f"interval {text!r} is below {MIN_INTERVAL:g} s")
    return seconds


def run_cycle(
    feeds: Sequence[str],
    db: str | os.PathLike[str] | None,
    rules: RuleSet,
    channels: Sequence[alerts.Channel],
    *,
    now: dt.datetime | None = None,
    fetch: bool = True,
    fetcher: Fetcher | None = None,
) -> Cycle:
    """One cycle: ingest each feed, recompute today's levels, record and send alerts."""
    cycle = Cycle(started=now or dt.datetime.now(dt.UTC))
    for feed in feeds:
        try:
            report = ingest([feed], db, kind="feed", fetch=fetch, fetcher=fetcher)
        except PantauError as exc:  # a feed that is down must not stop the watch
            cycle.feed_errors.append(str(exc) if feed in str(exc) else f"{feed}: {exc}")
            continue
        cycle.coded += report.coded
        cycle.already += report.already
        for kind, examples in report.examples.items():
            cycle.feed_errors += [f"{feed}: skipped ({kind}) {e}" for e in examples]
    conn = store.connect(db)
    try:
        posts = list_posts(conn)
        if not posts:
            raise UsageError("no posts to watch: add some with `pantau posts add` or `import`")
        cycle.levels = update_now(conn, posts, rules, cycle.started)
        cycle.new_alerts = len(alerts.record_changes(conn, posts, cycle.levels))
        sent = alerts.dispatch(conn, channels)
        cycle.sent, cycle.failed, cycle.delivery_errors = sent.sent, sent.failed, sent.errors
    finally:
        conn.close()
    return cycle


def watch(
    feeds: Sequence[str],
    db: str | os.PathLike[str] | None = None,
    *,
    every: float = 900.0,
    rules: RuleSet | None = None,
    channels: Sequence[alerts.Channel] = (),
    cycles: int | None = None,
    fetch: bool = True,
    fetcher: Fetcher | None = None,
    on_cycle: Callable[[Cycle], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Cycle]:
    """Run cycles every ``every`` seconds (``cycles`` of them, or until Ctrl-C).

    Returns the completed cycles; Ctrl-C during a cycle or a pause ends the watch
    without an error.
    """
    if not feeds:
        raise UsageError("nothing to watch: give at least one FEED")
    rules = rules or load_rules()
    fetcher = fetcher or Fetcher()
    done: list[Cycle] = []
    try:
        while cycles is None or len(done) < cycles:
            started = time.monotonic()
            cycle = run_cycle(feeds, db, rules, channels, fetch=fetch, fetcher=fetcher)
            done.append(cycle)
            if on_cycle:
                on_cycle(cycle)
            if cycles is not None and len(done) >= cycles:
                break
            sleep(max(0.0, every - (time.monotonic() - started)))
    except KeyboardInterrupt:
        pass
    finally:
        fetcher.close()
    return done
