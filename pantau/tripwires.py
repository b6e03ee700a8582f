"""Tripwire rules: which fused events around a post, in which window, raise it to which level.

The rules live in a YAML file: ``pantau/data/tripwires.yaml`` by default (its
header documents every key), or a user's file given with ``--rules FILE`` that
replaces it. :func:`load_rules` reads and checks one; :func:`evaluate` applies
them to a post on a day, over the events :func:`pantau.situation.known_events`
returns, and says which rules fired and on which events.

A rule has a scope (events within the post's radius, in its city, or anywhere in
its country, country-level events included), a window of event dates, what an
event must be (signals, types, modes, a foreign actor, dead or casualties) and
thresholds over the matching events (distinct events, days, actor countries,
outlets). A rule may require other rules to fire the same day, or test the
situation index of the area instead of single events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pantau.errors import DataError
from pantau.lexicon import data_file, load_yaml_file
from pantau.posts import Post
from pantau.situation import EventView, index_series

DEFAULT_RULES = "tripwires.yaml"
SCOPES = ("radius", "city", "country")
_MATCH_KEYS = {"signals", "types", "modes", "foreign_actor", "min_dead", "min_casualties"}
_COUNT_KEYS = {"events", "days", "actors", "sources"}
_RULE_KEYS = {"id", "description", "level", "scope", "window_days", "match", "count"}
_RULE_KEYS |= {"requires", "situation"}
_SETTINGS = {"city_km": 25.0, "quiet_days": 2, "baseline_days": 30, "lookback_days": 14}
EVIDENCE_PER_RULE = 5  # events reported per fired rule, most recent first


@dataclass(frozen=True)
class Criteria:
    """What one event must be for a rule (every key given must hold)."""

    signals: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    modes: frozenset[str] | None = None
    foreign_actor: bool = False
    min_dead: int = 0
    min_casualties: int = 0

    def matches(self, ev: EventView, post: Post) -> bool:
        """True when ``ev`` is such an event, seen from ``post`` (for ``foreign_actor``)."""
        if self.signals and not self.signals & ev.signals:
            return False
        if self.types and ev.type not in self.types:
            return False
        if self.modes is not None and ev.mode not in self.modes:
            return False
        if self.foreign_actor and not ev.actors - {post.country}:
            return False
        if self.min_dead and ev.dead < self.min_dead:
            return False
        return not (self.min_casualties and ev.dead + ev.injured < self.min_casualties)


@dataclass(frozen=True)
class Rule:
    """One tripwire: see the header of ``pantau/data/tripwires.yaml`` for each field."""

    id: str
    description: str
    level: int
    scope: str
    window_days: int
    match: tuple[Criteria, ...] = ()
    count: dict[str, int] = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    situation: dict[str, float] | None = None


@dataclass(frozen=True)
class RuleSet:
    """A rules file as loaded: its rules, where it came from, a digest of its content
    (to tell which rules produced a level) and its settings."""

    rules: tuple[Rule, ...]
    source: str
    digest: str
    city_km: float = 25.0
    quiet_days: dict[int, int] = field(default_factory=lambda: {2: 2, 3: 2, 4: 2})
    baseline_days: int = 30
    lookback_days: int = 14

    @property
    def max_window(self) -> int:
        return max(r.window_days for r in self.rules)

    def quiet_for(self, level: int) -> int:
        """Days in a row the rules must say less before ``level`` comes down."""
        return self.quiet_days.get(level, 2)


@dataclass
class Firing:
    """A rule that fired for a post on a day, with the events behind it."""

    rule: Rule
    events: list[EventView]
    detail: str

    def reason(self) -> dict[str, Any]:
        recent = sorted(self.events, key=_weight, reverse=True)
        return {
            "rule": self.rule.id,
            "level": self.rule.level,
            "description": self.rule.description,
            "detail": self.detail,
            "events": [e.summary() for e in recent[:EVIDENCE_PER_RULE]],
        }


def _weight(ev: EventView) -> tuple:
    """Most recent first; on one day, the heaviest toll, then the best attested."""
    return (max(ev.dates), ev.dead + ev.injured, len(ev.outlets), len(ev.evidence), ev.id)


def load_rules(path: str | None = None) -> RuleSet:
    """The default rules, or those of a user's YAML file; :class:`DataError` if malformed."""
    data = load_yaml_file(path) if path else data_file(DEFAULT_RULES)
    source = path or f"pantau/data/{DEFAULT_RULES}"
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or not data["rules"]:
        raise DataError("a rules file needs a non-empty list `rules`", source)
    settings: dict[str, Any] = dict(_SETTINGS)
    for key, value in (data.get("settings") or {}).items():
        if key not in _SETTINGS:
            raise DataError(f"unknown setting {key!r}; known: {', '.join(_SETTINGS)}", source)
        if key == "quiet_days" and isinstance(value, dict):
            if not set(value) <= {2, 3, 4}:
                raise DataError("settings.quiet_days: levels are 2, 3 and 4", source)
            settings[key] = {
                int(k): int(_positive(v, f"settings.quiet_days.{k}", source, integer=True))
                for k, v in value.items()
            }
            continue
        settings[key] = _positive(value, f"settings.{key}", source, integer=key != "city_km")
    if not isinstance(settings["quiet_days"], dict):
        settings["quiet_days"] = dict.fromkeys((2, 3, 4), int(settings["quiet_days"]))
    rules = tuple(_rule(item, n, source) for n, item in enumerate(data["rules"], 1))
    ids = [r.id for r in rules]
    for rule in rules:
        if ids.count(rule.id) > 1:
            raise DataError(f"rule id {rule.id!r} appears twice", source)
        for other in rule.requires:
            if other not in ids or other == rule.id:
                raise DataError(f"rule {rule.id}: requires unknown rule {other!r}", source)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return RuleSet(rules, source, digest[:12], **settings)  # type: ignore[arg-type]


def _rule(item: Any, n: int, source: str) -> Rule:
    if not isinstance(item, dict):
        raise DataError(f"rule {n} is not a mapping", source)
    where = f"rule {item.get('id') or n}"
    unknown = set(item) - _RULE_KEYS
    if unknown:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}", source)
    if not isinstance(item.get("id"), str) or not item["id"]:
        raise DataError(f"{where}: needs an id", source)
    level = item.get("level")
    if level not in (1, 2, 3, 4):
        raise DataError(f"{where}: level must be 1, 2, 3 or 4, got {level!r}", source)
    if item.get("scope") not in SCOPES:
        raise DataError(f"{where}: scope must be one of {', '.join(SCOPES)}", source)
    window = int(_positive(item.get("window_days"), f"{where}: window_days", source))
    situation = item.get("situation")
    if (situation is None) == (item.get("match") is None):
        raise DataError(f"{where}: give either `match` or `situation`", source)
    if situation is not None:
        if not isinstance(situation, dict) or set(situation) - {"min_intensity", "min_ratio"}:
            raise DataError(f"{where}: situation takes min_intensity and min_ratio", source)
        if item["scope"] == "radius":
            raise DataError(f"{where}: a situation rule's scope is city or country", source)
        situation = {k: _positive(v, f"{where}: {k}", source) for k, v in situation.items()}
    matches = item.get("match")
    matches = [matches] if isinstance(matches, dict) else matches
    count = item.get("count") or {}
    if not isinstance(count, dict) or set(count) - _COUNT_KEYS:
        raise DataError(f"{where}: count takes {', '.join(sorted(_COUNT_KEYS))}", source)
    return Rule(
        id=item["id"],
        description=str(item.get("description") or item["id"]),
        level=level,
        scope=item["scope"],
        window_days=window,
        match=tuple(_criteria(m, where, source) for m in matches or []),
        count={k: int(_positive(v, f"{where}: count.{k}", source)) for k, v in count.items()},
        requires=tuple(item.get("requires") or ()),
        situation=situation,
    )


def _criteria(m: Any, where: str, source: str) -> Criteria:
    if not isinstance(m, dict) or not m or set(m) - _MATCH_KEYS:
        raise DataError(f"{where}: each match takes {', '.join(sorted(_MATCH_KEYS))}", source)
    for key in ("signals", "types", "modes"):
        if key in m and not (isinstance(m[key], list) and m[key]):
            raise DataError(f"{where}: match.{key} must be a non-empty list", source)
    return Criteria(
        signals=frozenset(m.get("signals") or ()),
        types=frozenset(t.upper() for t in m.get("types") or ()),
        modes=frozenset(str(x) for x in m["modes"]) if "modes" in m else None,
        foreign_actor=bool(m.get("foreign_actor")),
        min_dead=int(_positive(m.get("min_dead", 0), f"{where}: min_dead", source, zero=True)),
        min_casualties=int(
            _positive(m.get("min_casualties", 0), f"{where}: min_casualties", source, zero=True)
        ),
    )


def _positive(value: Any, what: str, source: str, *, integer: bool = False, zero: bool = False):
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or value < 0 or (value == 0 and not zero) or (integer and value != int(value)):
        raise DataError(f"{what} must be a positive {'whole ' if integer else ''}number", source)
    return value


def in_scope(rule: Rule, ev: EventView, post: Post, city_km: float) -> bool:
    """True when ``ev`` is where ``rule`` looks for ``post``."""
    if rule.scope == "country":
        return ev.country == post.country
    km = post.radius_km if rule.scope == "radius" else city_km
    return ev.near(post.lat, post.lon, km)


def evaluate(rules: RuleSet, post: Post, day: dt.date, events: Sequence[EventView]) -> list[Firing]:
    """The rules that fire for ``post`` on ``day`` over ``events`` (known by its end),
    highest level first."""
    fired: dict[str, Firing] = {}
    for rule in rules.rules:
        first = (day - dt.timedelta(days=rule.window_days - 1)).isoformat()
        last = day.isoformat()
        scoped = [e for e in events if in_scope(rule, e, post, rules.city_km)]
        if rule.situation is not None:
            firing = _situation(rule, rules, scoped, day)
        else:
            hits = []
            for ev in scoped:
                dates = {d for d in ev.dates if first <= d <= last}
                if dates and any(c.matches(ev, post) for c in rule.match):
                    hits.append((ev, dates))
            firing = _counted(rule, post, hits)
        if firing is not None:
            fired[rule.id] = firing
    # `requires` refers to other rules of the same day; drop until nothing changes.
    changed = True
    while changed:
        changed = False
        for rule_id in list(fired):
            if any(other not in fired for other in fired[rule_id].rule.requires):
                del fired[rule_id]
                changed = True
    return sorted(fired.values(), key=lambda f: (-f.rule.level, f.rule.id))


def _counted(rule: Rule, post: Post, hits: list[tuple[EventView, set[str]]]) -> Firing | None:
    if not hits:
        return None
    events = [ev for ev, _ in hits]
    days = set().union(*(dates for _, dates in hits))
    foreign = any(c.foreign_actor for c in rule.match)
    actors = {a for ev in events for a in ev.actors if not (foreign and a == post.country)}
    outlets = set().union(*(ev.outlets for ev in events))
    have = {"events": len(events), "days": len(days), "actors": len(actors)}
    have["sources"] = len(outlets)
    for key, need in rule.count.items():
        if have[key] < need:
            return None
    parts = [f"{have['events']} event{'s' * (have['events'] != 1)}"]
    if "days" in rule.count:
        parts.append(f"on {have['days']} days")
    if "actors" in rule.count or foreign:
        parts.append("actors " + ", ".join(sorted(actors)))
    if "sources" in rule.count:
        parts.append(f"{have['sources']} outlets")
    return Firing(rule, events, "; ".join(parts))


def _situation(
    rule: Rule, rules: RuleSet, events: Iterable[EventView], day: dt.date
) -> Firing | None:
    assert rule.situation is not None
    events = list(events)
    days = [day - dt.timedelta(days=n) for n in range(rule.window_days)]
    series = index_series(events, days, rules.baseline_days)
    need_intensity = rule.situation.get("min_intensity", 0)
    need_ratio = rule.situation.get("min_ratio", 0)
    for d in days:
        idx = series[d]
        if idx.intensity >= need_intensity and (idx.ratio or 0) >= need_ratio:
            on_day = [e for e in events if e.first_date == d.isoformat() and e.quad == 4]
            detail = (
                f"{d.isoformat()}: intensity {idx.intensity:.0f} against a "
                f"{rules.baseline_days}-day baseline of {idx.baseline:.1f}"
            )
            return Firing(rule, on_day, detail)
    return None
