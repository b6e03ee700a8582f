"""Levels: hysteresis (up at once, down after a quiet period, reported), levels from a
store of coded articles, stored days and the level in force."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from pantau import store
from pantau.ingest import ingest
from pantau.levels import compute_levels, step, stored_level, top_reasons, update_now
from pantau.posts import get_post, import_posts
from pantau.tripwires import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "monitor"
RULES = load_rules()  # quiet days: 2 for levels 2 and 3, 5 for level 4
DAY0 = dt.date(2022, 1, 1)


def run(raws: list[int]) -> list:
    out, previous = [], None
    for n, raw in enumerate(raws):
        previous = step("p", DAY0 + dt.timedelta(days=n), raw, [], previous, RULES)
        out.append(previous)
    return out


@pytest.mark.parametrize(
    "raws, levels",
    [
        ([1, 1, 2, 2], [1, 1, 2, 2]),
        ([1, 3, 1, 1, 1], [1, 3, 3, 1, 1]),  # two quiet days, then down
        ([3, 1, 3, 1, 1], [3, 3, 3, 3, 1]),  # a new tripwire restarts the quiet period
        ([3, 2, 1], [3, 3, 1]),  # down to what the rules say after the quiet period
        ([2, 4, 3, 3, 3, 3, 3, 3], [2, 4, 4, 4, 4, 4, 3, 3]),  # leaving is held 5 days
        ([1, 2, 4, 1, 1], [1, 2, 4, 4, 4]),  # up at once, more than one step
    ],
)
def test_hysteresis(raws, levels):
    assert [d.level for d in run(raws)] == levels


def test_changes_are_reported_as_such():
    days = run([1, 3, 1, 1])
    assert [d.change for d in days] == [0, 1, 0, -1]
    assert days[1].note == "up from 1"
    assert days[2].note == "held at 3: last level-3 tripwire 2022-01-02, quiet 1 of 2 days"
    assert days[3].note == "down from 3: no level-3 tripwire for 2 days"
    assert days[3].previous == 3 and days[3].raw == 1


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The fixture articles ingested (publication dates only, no instants) with posts."""
    path = tmp_path_factory.mktemp("levels") / "monitor.db"
    ingest([str(FIXTURES / "articles.jsonl")], path)
    conn = store.connect(path)
    import_posts(conn, FIXTURES / "posts.json")
    conn.close()
    return path


def test_compute_levels_from_the_store(db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    conn = store.connect(copy)
    almaty = get_post(conn, "almaty")
    days = compute_levels(conn, [almaty], dt.date(2022, 1, 3), dt.date(2022, 1, 6), RULES)
    assert [d.day.day for d in days] == [3, 4, 5, 6]
    assert days[0].level == 1 and days[2].level >= 3
    assert days[2].change == 1
    rules = {r["rule"] for r in days[2].reasons}
    assert "riot-or-crackdown-near" in rules
    evidence = days[2].reasons[0]["events"][0]["evidence"][0]
    assert evidence["article"].startswith("kz-") and evidence["sentence"]
    assert any("kz-" in line for line in top_reasons(days[2]))
    # Stored, and read back the same.
    again = stored_level(conn, "almaty", dt.date(2022, 1, 5))
    assert again is not None and again.level == days[2].level
    assert again.reasons == json.loads(json.dumps(days[2].reasons))
    # The day before `since` was computed too (the level in force), but not returned.
    assert stored_level(conn, "almaty", dt.date(2022, 1, 2)) is not None


def test_articles_published_later_do_not_count(db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    conn = store.connect(copy)
    days = compute_levels(
        conn, [get_post(conn, "almaty")], dt.date(2022, 1, 4), dt.date(2022, 1, 4), RULES
    )
    assert days[0].level == 1  # the riot of the 5th is not known on the 4th


def test_update_now_changes_against_the_level_in_force(db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    conn = store.connect(copy)
    posts = [get_post(conn, "almaty")]
    now = dt.datetime(2022, 1, 5, 12, 0, tzinfo=dt.UTC)
    first = update_now(conn, posts, RULES, now)[0]
    assert first.day == dt.date(2022, 1, 5) and first.level >= 3 and first.change == 1
    assert stored_level(conn, "almaty", dt.date(2022, 1, 4)).level == 1  # filled in
    second = update_now(conn, posts, RULES, now + dt.timedelta(hours=1))[0]
    assert second.level == first.level and second.change == 0
    assert second.previous == first.level
