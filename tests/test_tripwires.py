"""Tripwire rules: each default rule fires on a hand-made event set, and does not fire
just outside its distance, window or threshold; rule files are checked."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pantau.errors import DataError
from pantau.posts import Post
from pantau.situation import EventView, index_series
from pantau.tripwires import evaluate, load_rules

DAY = dt.date(2022, 1, 10)
# A post in Almaty with a 30 km radius; the default city distance is 25 km.
POST = Post("almaty", "Consulate Almaty", 43.25, 76.92, "KAZ", 30.0, "Almaty", "Asia/Almaty")
NEAR, OUTSIDE_RADIUS, OUTSIDE_CITY = 0.2, 0.3, 0.25  # degrees of latitude north: 22/33/28 km
_ids = itertools.count()

RULES = load_rules()


def ev(
    type: str,
    mode: str = "",
    *signals: str,
    north: float | None = 0.0,
    ago: int = 0,
    country: str = "KAZ",
    actors: tuple[str, ...] = ("KAZ",),
    dead: int = 0,
    injured: int = 0,
    scale: float = -5.0,
    quad: int = 4,
) -> EventView:
    """An event ``north`` degrees north of the post (None: only the country known),
    dated ``ago`` days before DAY."""
    e = EventView(f"ev-{next(_ids)}", type, mode, country)
    if north is None:
        e.place, e.precision = country, "country"
    else:
        e.place, e.precision, e.lat, e.lon = "Almaty", "city", 43.25 + north, 76.92
    e.dates = {(DAY - dt.timedelta(days=ago)).isoformat()}
    e.signals, e.actors = set(signals), set(actors)
    e.dead, e.injured, e.scale, e.quad = dead, injured, scale, quad
    e.outlets = {"Steppe Ledger"}
    e.evidence = [{"sentence": "written for the test", "article": "t-1", "url": None}]
    return e


def shots(n: int, north: float | None = 0.0, days: int = 1) -> list[EventView]:
    """``n`` armed attacks spread over ``days`` days."""
    return [ev("ASSAULT", "firearms", north=north, ago=i % days) for i in range(n)]


def fired(events: list[EventView]) -> set[str]:
    return {f.rule.id for f in evaluate(RULES, POST, DAY, events)}


TROOPS = "host.troops_deployed"
AUTHORISED, ORDERED = "mission.authorized_departure", "mission.ordered_departure"


def leaving(actor: str, signal: str = ORDERED, ago: int = 0) -> EventView:
    """A mission's departure, known only at country level."""
    return ev("SANCTION", "withdraw", signal, north=None, actors=(actor,), ago=ago)


def shelter(actor: str = "USA", north: float = 0.0) -> EventView:
    return ev("ADVISE", "shelter", "mission.shelter_in_place", actors=(actor,), north=north)


CASES = [
    # (rule, events, fires)
    ("troops-near", [ev("MOBILIZE", "troops", TROOPS, north=NEAR)], True),
    ("troops-near", [ev("MOBILIZE", "troops", TROOPS, north=OUTSIDE_RADIUS)], False),
    ("troops-near", [ev("MOBILIZE", "troops", TROOPS, ago=6)], True),
    ("troops-near", [ev("MOBILIZE", "troops", TROOPS, ago=7)], False),
    ("fighting-in-country", shots(3, north=None), True),
    ("fighting-in-country", shots(2, north=None), False),
    ("fighting-in-country", [ev("ASSAULT", "", TROOPS, north=None) for _ in range(3)], True),
    ("fighting-in-country", [ev("ASSAULT", "crowd-control", north=None) for _ in range(3)], False),
    ("emergency-in-country", [ev("COERCE", "curfew", "host.curfew", north=None)], True),
    ("emergency-in-country", [ev("COERCE", "curfew", "host.curfew", country="UZB")], False),
    ("emergency-in-country", [ev("COERCE", "withhold", "host.internet_shutdown", ago=7)], False),
    ("foreign-forces", [ev("REQUEST", "assist", "host.foreign_forces", north=None, ago=13)], True),
    ("foreign-forces", [ev("REQUEST", "assist", "host.foreign_forces", north=None, ago=14)], False),
    ("conflict-surge", [ev("ASSAULT", north=None, scale=-10.0) for _ in range(4)], True),
    ("conflict-surge", [ev("ASSAULT", north=None, scale=-10.0) for _ in range(3)], False),
    ("conflict-surge", [ev("ASSAULT", north=None, scale=-10.0, quad=3) for _ in range(4)], False),
    ("riot-or-crackdown-near", [ev("PROTEST", "riot", "unrest.riot", north=NEAR)], True),
    ("riot-or-crackdown-near", [ev("PROTEST", "riot", "unrest.riot", north=OUTSIDE_RADIUS)], False),
    ("riot-or-crackdown-near", [ev("ASSAULT", "crowd-control", "unrest.crackdown", ago=2)], True),
    ("riot-or-crackdown-near", [ev("ASSAULT", "crowd-control", "unrest.crackdown", ago=3)], False),
    ("riot-or-crackdown-near", [ev("PROTEST", "riot", "unrest.riot", north=None)], False),
    ("emergency-in-city", [ev("COERCE", "restrict", "host.state_of_emergency", north=NEAR)], True),
    ("emergency-in-city", [ev("COERCE", "curfew", "host.curfew", north=OUTSIDE_CITY)], False),
    ("emergency-in-city", [ev("COERCE", "curfew", "host.airport_closed", north=None)], False),
    ("casualties-near", [ev("ASSAULT", dead=5, north=NEAR)], True),
    ("casualties-near", [ev("ASSAULT", dead=4, injured=15)], False),
    ("casualties-near", [ev("ASSAULT", injured=20)], True),
    ("casualties-near", [ev("ASSAULT", dead=50, north=OUTSIDE_RADIUS)], False),
    ("casualties-near", [ev("ASSAULT", dead=50, ago=3)], False),
    ("armed-clashes-near", shots(2), True),
    ("armed-clashes-near", shots(1), False),
    ("armed-clashes-near", shots(2, north=OUTSIDE_RADIUS), False),
    ("mission-attacked-near", [ev("ASSAULT", "", "mission.attacked", north=NEAR)], True),
    ("mission-attacked-near", [ev("ASSAULT", "", "mission.attacked", north=OUTSIDE_RADIUS)], False),
    ("missions-shelter-in-city", [shelter()], True),
    ("missions-shelter-in-city", [shelter("KAZ")], False),  # the host's own people
    ("missions-shelter-in-city", [shelter(north=OUTSIDE_CITY)], False),
    ("mission-departure", [leaving("USA", AUTHORISED, ago=13)], True),
    ("mission-departure", [leaving("USA", AUTHORISED, ago=14)], False),
    ("mission-departure", [leaving("KAZ")], False),
    ("missions-leaving-amid-fighting", shots(2) + [leaving("USA")], True),
    ("missions-leaving-amid-fighting", shots(2) + [leaving("KAZ")], False),  # the host's own
    ("missions-leaving-amid-fighting", shots(1) + [leaving("USA"), leaving("GBR")], False),
    (
        "missions-leaving-amid-fighting",
        shots(2) + [leaving("USA", AUTHORISED)],  # authorised is no order to leave
        False,
    ),
]


@pytest.mark.parametrize("rule, events, fires", CASES)
def test_default_rule(rule, events, fires):
    assert (rule in fired(events)) is fires


def test_every_default_rule_is_tested_both_ways():
    ids = {r.id for r in RULES.rules}
    assert ids == {c[0] for c in CASES if c[2]} == {c[0] for c in CASES if not c[2]}


def test_level_is_the_highest_rule_and_reasons_carry_evidence():
    firings = evaluate(RULES, POST, DAY, shots(2) + [ev("ASSAULT", dead=9)])
    assert firings[0].rule.level == 3
    reason = firings[0].reason()
    assert reason["events"][0]["evidence"][0]["sentence"] == "written for the test"
    assert {"rule", "level", "description", "detail", "events"} <= set(reason)


def test_events_after_the_day_do_not_count():
    assert "troops-near" not in fired([ev("MOBILIZE", "troops", TROOPS, ago=-1)])


def test_situation_index_counts_and_baseline():
    events = [ev("ASSAULT", north=None, scale=-10.0, ago=1), ev("PROTEST", scale=-6.0)]
    # One toll told twice (two records of one sentence) counts once.
    events += [ev("ASSAULT", dead=3), ev("SUPPORT", dead=3, scale=5.0, quad=1)]
    idx = index_series(events, [DAY], baseline_days=10)[DAY]
    assert idx.events == 3 and idx.by_type["ASSAULT"] == 1
    assert idx.intensity == 11.0  # PROTEST 6 + ASSAULT 5; SUPPORT is not material conflict
    assert idx.dead == 3
    assert idx.baseline == 1.0 and idx.change == 10.0


@pytest.mark.parametrize(
    "text, message",
    [
        ("rules: []", "non-empty list"),
        (
            "rules: [{id: a, level: 5, scope: radius, window_days: 1, match: {types: [X]}}]",
            "level must be",
        ),
        (
            "rules: [{id: a, level: 2, scope: street, window_days: 1, match: {types: [X]}}]",
            "scope must be",
        ),
        (
            "rules: [{id: a, level: 2, scope: city, window_days: 0, match: {types: [X]}}]",
            "window_days",
        ),
        ("rules: [{id: a, level: 2, scope: city, window_days: 1}]", "either `match`"),
        (
            "rules: [{id: a, level: 2, scope: city, window_days: 1, match: {colour: red}}]",
            "each match takes",
        ),
        (
            "rules: [{id: a, level: 2, scope: city, window_days: 1, match: {types: [X]},"
            " requires: [b]}]",
            "requires unknown rule",
        ),
        (
            "rules: [{id: a, level: 2, scope: radius, window_days: 1, situation: {min_ratio: 2}}]",
            "city or country",
        ),
        (
            "settings: {quiet_days: -1}\nrules: [{id: a, level: 2, scope: city, window_days: 1,"
            " match: {types: [X]}}]",
            "positive",
        ),
        ("rules: [", "bad YAML"),
    ],
)
def test_bad_rules_files(tmp_path, text, message):
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(DataError, match=message):
        load_rules(str(path))


def test_user_rules_replace_the_defaults(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "settings: {quiet_days: 3, city_km: 10}\n"
        "rules:\n"
        "  - {id: any-protest, level: 2, scope: country, window_days: 2,\n"
        "     match: {types: [protest]}}\n"
    )
    rules = load_rules(str(path))
    assert [r.id for r in rules.rules] == ["any-protest"]
    assert rules.quiet_for(4) == 3 and rules.city_km == 10
    assert [f.rule.id for f in evaluate(rules, POST, DAY, [ev("PROTEST", north=None)])] == [
        "any-protest"
    ]
    assert rules.digest != RULES.digest


def test_missing_rules_file_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        load_rules(str(tmp_path / "nope.yaml"))
