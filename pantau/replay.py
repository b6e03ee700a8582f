"""Replay a crisis scenario through the monitor, day by day, and compare with expected levels.

A scenario folder holds ``articles.jsonl`` (one article per line, ``published``
an ISO 8601 instant with its offset), ``posts.json`` (see :mod:`pantau.posts`)
and optionally ``expected_levels.json`` (``{"posts": {ID: [{"date", "level"},
...]}}``). :func:`replay` ingests the articles in time order into a store (a
temporary one unless a path is given), and at the end of each post-local day,
once everything published before that instant is stored, computes each post's
level (:mod:`pantau.levels`) from what was known then. :func:`compare` sets the
levels beside the expected ones: days exact, days within one level, and the
first day each post reached level 3 and level 4. With a ``timeline.json`` (entries
with ``signals`` and the ``source_items`` reporting them), :func:`signal_recall`
scores the coder: the share of those signals its records of those items carry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau import dedup, store
from pantau.alerts import record_changes
from pantau.errors import InputError, UsageError
from pantau.ingest import ingest
from pantau.levels import DayLevel, compute_day, save_level
from pantau.posts import Post, add_post, load_posts_file
from pantau.tripwires import RuleSet, load_rules

CONSIDERED = "mission.evacuation_considered"  # a signal about what is only considered

ARTICLES, POSTS, EXPECTED = "articles.jsonl", "posts.json", "expected_levels.json"
TIMELINE = "timeline.json"


@dataclass
class Comparison:
    """Levels beside expected levels, per post and day."""

    rows: list[tuple[str, dt.date, int, int]] = field(default_factory=list)  # post, day, got, want
    first: dict[str, dict[int, tuple[dt.date | None, dt.date | None]]] = field(
        default_factory=dict
    )  # post -> level -> (first day got, first day expected)

    @property
    def days(self) -> int:
        return len(self.rows)

    @property
    def exact(self) -> int:
        return sum(got == want for _, _, got, want in self.rows)

    @property
    def within_one(self) -> int:
        return sum(abs(got - want) <= 1 for _, _, got, want in self.rows)

    def to_dict(self) -> dict[str, Any]:
        days = self.days or 1
        return {
            "days": self.days,
            "exact": self.exact,
            "exact_share": round(self.exact / days, 3),
            "within_one": self.within_one,
            "within_one_share": round(self.within_one / days, 3),
            "first": {
                post: {
                    str(level): {"got": _iso(got), "expected": _iso(want)}
                    for level, (got, want) in levels.items()
                }
                for post, levels in self.first.items()
            },
        }


@dataclass
class SignalRecall:
    """Signals of the scenario's ``timeline.json`` found, asserted, in the records of the
    items that report them (a considered evacuation may be hypothetical or planned)."""

    found: int = 0
    total: int = 0
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # date, signal, what

    def to_dict(self) -> dict[str, Any]:
        return {"found": self.found, "total": self.total,
                "missed": [list(m) for m in self.missed]}  # fmt: skip


@dataclass
class ReplayResult:
    posts: list[Post]
    levels: list[DayLevel]  # by day, then post
    articles: int
    expected: dict[str, dict[dt.date, int]] | None = None
    comparison: Comparison | None = None
    signals: SignalRecall | None = None


def replay(
    folder: str | os.PathLike[str],
    db: str | os.PathLike[str] | None = None,
    *,
    rules: RuleSet | None = None,
    on_day: Callable[[list[DayLevel]], None] | None = None,
) -> ReplayResult:
    """Replay the scenario in ``folder`` (see the module docstring).

    ``db`` must be a new or empty store (it is kept for inspection); by default a
    temporary one is used and removed. ``on_day`` is called with the levels of
    each day as soon as they are known.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a scenario folder", str(folder))
    if not (root / ARTICLES).is_file() or not (root / POSTS).is_file():
        raise InputError(f"a scenario folder needs {ARTICLES} and {POSTS}", str(folder))
    rules = rules or load_rules()
    articles = _timed_articles(root / ARTICLES)
    posts = load_posts_file(root / POSTS)
    expected = load_expected(root / EXPECTED) if (root / EXPECTED).is_file() else None
    first_day = min(min(p.local_day(t) for t, _ in articles) for p in posts)
    last_day = max(max(p.local_day(t) for t, _ in articles) for p in posts)
    if expected:
        first_day = min(first_day, *(min(days) for days in expected.values()))
        last_day = max(last_day, *(max(days) for days in expected.values()))
    with _store(db) as (path, conn):
        if conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
            raise UsageError(f"{path}: replay needs a new or empty database")
        for post in posts:
            add_post(conn, post, replace=True)
        # Day ends of every post, in time order: posts in other zones interleave.
        cutoffs: dict[dt.datetime, list[tuple[Post, dt.date]]] = {}
        day = first_day
        while day <= last_day:
            for post in posts:
                cutoffs.setdefault(post.day_end(day), []).append((post, day))
            day += dt.timedelta(days=1)
        previous: dict[str, DayLevel | None] = {p.id: None for p in posts}
        levels: list[DayLevel] = []
        done = 0
        with tempfile.TemporaryDirectory(prefix="pantau-replay-") as tmp:
            for n, cutoff in enumerate(sorted(cutoffs)):
                batch = [(t, line) for t, line in articles[done:] if t < cutoff]
                if batch:
                    _ingest_batch(conn, path, Path(tmp) / f"batch-{n:04d}.jsonl", batch)
                    done += len(batch)
                today = []
                for post, day in cutoffs[cutoff]:
                    level = compute_day(conn, post, day, rules, previous[post.id])
                    save_level(conn, level)
                    previous[post.id] = level
                    today.append(level)
                record_changes(conn, posts, today)  # the alerts a live monitor would have
                levels.extend(today)
                if on_day:
                    on_day(today)
        recall = signal_recall(conn, root / TIMELINE) if (root / TIMELINE).is_file() else None
    result = ReplayResult(posts, levels, len(articles), expected, signals=recall)
    if expected:
        result.comparison = compare(levels, expected)
    return result


def signal_recall(conn: Any, path: Path) -> SignalRecall:
    """Score the stored records against a ``timeline.json`` (see :class:`SignalRecall`);
    entries marked ``off_topic`` are left out."""
    try:
        timeline = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the timeline: {exc}", str(path)) from exc
    found: dict[str, list[tuple[str, str]]] = {}
    rows = conn.execute(
        "SELECT a.ext_id, m.signals, m.aux FROM mentions m JOIN articles a ON a.id = m.article_id"
    )
    for ext_id, signals, aux in rows:
        found.setdefault(ext_id, []).extend((sig, aux) for sig in signals.split())
    recall = SignalRecall()
    for entry in timeline if isinstance(timeline, list) else []:
        if not isinstance(entry, dict) or entry.get("off_topic"):
            continue
        items = entry.get("source_items") or []
        for signal in entry.get("signals") or []:
            recall.total += 1
            asserted = [aux for item in items for sig, aux in found.get(item, []) if sig == signal]
            if any(not aux or signal == CONSIDERED for aux in asserted):
                recall.found += 1
            else:
                recall.missed.append((str(entry.get("date")), signal, str(entry.get("what"))))
    return recall


def load_expected(path: str | os.PathLike[str]) -> dict[str, dict[dt.date, int]]:
    """``{post: {day: level}}`` from an ``expected_levels.json`` file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {
            post: {dt.date.fromisoformat(d["date"]): int(d["level"]) for d in days}
            for post, days in data["posts"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"not an expected-levels file: {exc}", str(path)) from None


def compare(levels: list[DayLevel], expected: dict[str, dict[dt.date, int]]) -> Comparison:
    """Levels against expected ones, on the days both give."""
    out = Comparison()
    got: dict[str, dict[dt.date, int]] = {}
    for lv in levels:
        got.setdefault(lv.post, {})[lv.day] = lv.level
    for post, days in expected.items():
        mine = got.get(post, {})
        for day in sorted(days):
            if day in mine:
                out.rows.append((post, day, mine[day], days[day]))
        out.first[post] = {
            level: (
                min((d for d, v in mine.items() if v >= level), default=None),
                min((d for d, v in days.items() if v >= level), default=None),
            )
            for level in (3, 4)
        }
    return out


def _timed_articles(path: Path) -> list[tuple[dt.datetime, str]]:
    """(published instant in UTC, raw JSON line) of every article, in time order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                published = json.loads(line).get("published")
                instant = dt.datetime.fromisoformat(published)
            except (ValueError, TypeError, AttributeError):
                raise InputError(
                    "needs a JSON object with a 'published' instant", str(path), lineno
                ) from None
            if instant.tzinfo is None:
                raise InputError(f"'published' {published!r} has no UTC offset", str(path), lineno)
            out.append((instant.astimezone(dt.UTC), line))
    if not out:
        raise InputError("no articles", str(path))
    out.sort(key=lambda x: x[0])
    return out


def _ingest_batch(conn, path: Path, file: Path, batch: list[tuple[dt.datetime, str]]) -> None:
    """Ingest one batch of articles and record their published instants."""
    file.write_text("".join(line if line.endswith("\n") else line + "\n" for _, line in batch))
    ingest([str(file)], path, kind="jsonl")
    with store.transaction(conn):
        for instant, line in batch:
            digest = dedup.content_hash(json.loads(line)["text"])
            conn.execute(
                "INSERT OR REPLACE INTO article_times(article_id, published_at) "
                "SELECT id, ? FROM articles WHERE hash = ?",
                (instant.isoformat(timespec="seconds"), digest),
            )


@contextmanager
def _store(db: str | os.PathLike[str] | None) -> Iterator[tuple[Path, Any]]:
    if db is not None:
        conn = store.connect(db)
        try:
            yield Path(db), conn
        finally:
            conn.close()
        return
    with tempfile.TemporaryDirectory(prefix="pantau-replay-db-") as tmp:
        path = Path(tmp) / "replay.db"
        conn = store.connect(path)
        try:
            yield path, conn
        finally:
            conn.close()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
