"""Fusion: which mentions report one event, on hand-made mentions and articles."""

from __future__ import annotations

import itertools
import random
import sqlite3
from pathlib import Path

import pytest

from pantau import fusion, store
from pantau.fusion import Mention
from pantau.ingest import ingest
from pantau.query import find_events, get_event

FIXTURES = Path(__file__).parent / "fixtures" / "store"
NAIROBI = dict(
    geonameid=184745, place_name="Nairobi", admin1="Nairobi Area", lat=-1.283, lon=36.817
)
MOMBASA = dict(geonameid=186301, place_name="Mombasa", admin1="Mombasa", lat=-4.055, lon=39.663)
THIKA = dict(geonameid=178522, place_name="Thika", admin1="Kiambu", lat=-1.033, lon=37.069)
QUOTE = "Polisi menembakkan gas air mata ke arah massa di pusat kota pada sore hari"
_ids = itertools.count(1)


def mention(
    actors: str = "KEN",
    recipients: str = "KEN",
    place: dict | None = None,
    precision: str | None = "city",
    date: str | None = "2024-06-25",
    date_precision: str | None = "day",
    mode: str = "crowd-control",
    sentence: str = "",
    actor_sectors: str = "COP",
    outlet: str = "a.example",
    root: int | None = None,
) -> Mention:
    n = next(_ids)
    place = NAIROBI if place is None and precision in ("city", "point") else place or {}
    return Mention(
        id=n,
        uid=f"{n:08d}",
        actors=frozenset(actors.split()),
        recipients=frozenset(recipients.split()),
        actor_sectors=tuple(actor_sectors.split()),
        recipient_sectors=(),
        geonameid=place.get("geonameid"),
        place_name=place.get("place_name", "Kenya"),
        place_precision=precision,
        admin1=place.get("admin1"),
        lat=place.get("lat"),
        lon=place.get("lon"),
        date=date,
        date_precision=date_precision,
        window=fusion.date_window(date, date_precision),
        mode=mode,
        cameo="1451",
        signals=(),
        published=date,
        root=root if root is not None else n,
        outlet=outlet,
        lang="id",
        country="KEN",
        words=frozenset(fusion.WORD.findall(sentence.casefold())),
    )


@pytest.mark.parametrize(
    "date, precision, window",
    [
        ("2024-06-25", "day", ("2024-06-25", "2024-06-25")),
        ("2024-06-25", "week", ("2024-06-22", "2024-06-28")),
        ("2024-02-01", "month", ("2024-02-01", "2024-02-29")),
        ("2024-01-01", "year", ("2024-01-01", "2024-12-31")),
        ("2024-06-25", "published", ("2024-06-23", "2024-06-25")),
    ],
)
def test_date_window_widens_with_precision(date, precision, window):
    import datetime as dt

    lo, hi = fusion.date_window(date, precision)
    assert (dt.date.fromordinal(lo).isoformat(), dt.date.fromordinal(hi).isoformat()) == window


@pytest.mark.parametrize(
    "a, b, expected",
    [
        # dates: +-1 day; a publication-date fallback reaches two days back
        (mention(), mention(date="2024-06-26"), True),
        (mention(), mention(date="2024-06-27"), False),
        (mention(), mention(date="2024-06-28", date_precision="published"), True),
        (mention(), mention(date="2024-06-29", date_precision="published"), False),
        (mention(), mention(date="2024-06-21", date_precision="week"), True),
        (mention(), mention(date=None, date_precision=None), False),
        # actors and recipients: same codes, or one side names fewer
        (mention(), mention(recipients=""), True),
        (mention(), mention(actors="KEN UGA"), True),
        (mention(), mention(actors="UGA"), False),
        (mention(), mention(recipients="SOM"), False),
        (mention(), mention(actor_sectors="MIL"), False),
        (mention(), mention(actor_sectors=""), True),
        # modes: the same, or one has none
        (mention(), mention(mode=""), True),
        (mention(), mention(mode="firearms"), False),
        # places: same place, within 50 km, the same division, or only the country
        (mention(), mention(place=THIKA), True),
        (mention(), mention(place=MOMBASA), False),
        (mention(), mention(precision="country"), True),
        (mention(), mention(place={"admin1": "Nairobi Area"}, precision="admin1"), True),
        (mention(), mention(place={"admin1": "Mombasa"}, precision="admin1"), False),
    ],
)
def test_compatible(a, b, expected):
    assert fusion.compatible(a, b) is expected
    assert fusion.compatible(b, a) is expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (mention(), mention(), True),  # same city
        (  # only the country in common, loosely dated
            mention(precision="country", date_precision="published"),
            mention(place=THIKA, date_precision="published"),
            False,
        ),
        # the same international dyad is specific; a domestic one only on a precise day
        (
            mention(actors="SOM", recipients="KEN", precision="country"),
            mention(actors="SOM", recipients="KEN", precision="country"),
            True,
        ),
        (
            mention(precision="country", date_precision="published"),
            mention(precision="country", date_precision="published"),
            False,
        ),
        (mention(precision="country"), mention(precision="country"), True),
        # a foreign actor acting in the country
        (
            mention(actors="USA", recipients="", precision="country", date_precision="published"),
            mention(actors="USA", recipients="", precision="country", date_precision="published"),
            True,
        ),
        # the same quoted words
        (
            mention(precision="country", date_precision="published", sentence=QUOTE),
            mention(precision="country", date_precision="published", sentence=QUOTE + " lagi"),
            True,
        ),
    ],
)
def test_anchored(a, b, expected):
    assert fusion.anchored(a, b) is expected


def test_complete_link_keeps_a_chain_of_dates_apart():
    days = [mention(date=f"2024-06-{d}") for d in (24, 25, 26, 27)]
    groups = fusion.cluster(days)
    assert [len(g) for g in groups] == [2, 2]


def test_clusters_do_not_depend_on_input_order():
    pool = [
        mention(),
        mention(date="2024-06-26", outlet="b.example"),
        mention(place=THIKA, outlet="c.example"),
        mention(precision="country", date_precision="published"),
        mention(place=MOMBASA),
        mention(date="2024-06-27", recipients=""),
        mention(actors="SOM", recipients="KEN", mode="", actor_sectors="REB"),
        mention(actors="SOM", recipients="KEN", mode="", precision="country", actor_sectors=""),
    ]
    expected = [[m.id for m in g] for g in fusion.cluster(pool)]
    rng = random.Random(7)
    for _ in range(20):
        shuffled = pool[:]
        rng.shuffle(shuffled)
        assert [[m.id for m in g] for g in fusion.cluster(shuffled)] == expected


def test_summary_counts_sources_and_near_duplicates_once():
    original = mention(outlet="a.example")
    copy = mention(outlet="copy.example", root=original.root)
    other = mention(outlet="b.example")
    row = fusion.summarize("ASSAULT||KEN", [original, copy, other])
    assert (row["num_mentions"], row["num_articles"], row["num_sources"]) == (3, 2, 2)
    assert row["confidence"] == 0.75
    assert row["id"] == fusion.event_id(original)


@pytest.fixture(scope="module")
def kenya_db(tmp_path_factory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("fusion") / "kenya.db"
    ingest([str(FIXTURES / "kenya.jsonl")], path)
    return store.connect(path, readonly=True)


def test_same_event_from_three_outlets_is_one_event(kenya_db):
    [event] = find_events(
        kenya_db, type="ASSAULT", place="Nairobi", search='"gas air mata" OR "tear gas"'
    )
    assert event["num_sources"] == 3
    assert event["num_articles"] == 3  # the syndicated copy counts as its original
    assert event["num_mentions"] == 4
    assert event["langs"] == "en id"
    assert event["date"] == "2024-06-25"
    detail = get_event(kenya_db, event["id"][:8])
    assert {m["outlet"] for m in detail["mentions"]} == {
        "warta-nusantara.co.id",
        "eastafrica-ledger.com",
        "kabar-harian.id",
        "portal-sore.com",
    }


def test_two_events_on_the_same_day_in_the_same_city_stay_apart(kenya_db):
    events = find_events(kenya_db, type="ASSAULT", place="Nairobi", since=None)
    by_actor = {e["actor_codes"]: e for e in events}
    assert {"KEN", "SOM"} <= set(by_actor)
    assert by_actor["KEN"]["id"] != by_actor["SOM"]["id"]
    assert by_actor["SOM"]["num_mentions"] == 1
    assert by_actor["KEN"]["date"] == by_actor["SOM"]["date"] == "2024-06-25"


def test_incremental_fusion_equals_one_pass(tmp_path):
    lines = (FIXTURES / "kenya.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "first.jsonl").write_text("".join(lines[3:]), encoding="utf-8")
    (tmp_path / "second.jsonl").write_text("".join(lines[:3]), encoding="utf-8")
    ingest([str(tmp_path / "first.jsonl")], tmp_path / "inc.db")
    ingest([str(tmp_path / "second.jsonl")], tmp_path / "inc.db")
    ingest([str(FIXTURES / "kenya.jsonl")], tmp_path / "one.db")
    assert _events(tmp_path / "inc.db") == _events(tmp_path / "one.db")


def _events(path: Path) -> set[tuple]:
    conn = store.connect(path, readonly=True)
    rows = conn.execute(
        "SELECT e.id, e.num_mentions, e.num_sources, group_concat(a.hash || m.record_id) "
        "FROM events e JOIN mentions m ON m.event_id = e.id JOIN articles a ON a.id = m.article_id "
        "GROUP BY e.id"
    ).fetchall()
    return {(r[0], r[1], r[2], ",".join(sorted(r[3].split(",")))) for r in rows}
