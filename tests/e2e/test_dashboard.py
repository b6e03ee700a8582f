"""The dashboard in a real browser: each page loads, a filter applies, the timeline
brushes, an event opens on its evidence sentence with the trigger marked, an article
shows its coded spans, the language switches. Screenshots are saved as artifacts.

A second test replays the Sudan 2023 scenario from ``../shared`` (skipped without it)
and takes the README's screenshots: the map, an event and a post card.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_store import build_store
from e2e_helpers import Server, screenshot, wait_ready

from pantau.api import create_app

SHARED = Path(__file__).resolve().parents[3] / "shared"
SUDAN = SHARED / "scenarios" / "sudan-2023"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = build_store(tmp_path_factory.mktemp("e2e") / "e2e.db")
    with Server(create_app(db, token="e2e-token")) as running:
        yield running


def api(server: Server, path: str) -> dict:
    with urllib.request.urlopen(server.url + path) as response:
        return json.load(response)


def test_overview_filter_and_brush(server: Server, page) -> None:
    page.goto(server.url + "/")
    wait_ready(page)
    page.wait_for_selector(".event-marker")
    assert page.locator("tr.event-row").count() == api(server, "/api/events")["total"]
    assert page.locator(".timeline-svg rect.bar").count() > 0
    screenshot(page, "overview.png")

    page.fill("input[name=country]", "KEN")
    page.click("#filters button[type=submit]")
    page.wait_for_function("document.querySelector('#json-twin').href.includes('country=KEN')")
    kenya = api(server, "/api/events?country=KEN")
    page.wait_for_function(f"document.querySelectorAll('tr.event-row').length === {kenya['total']}")
    assert "country=KEN" in page.url

    # Drag across the first half of the timeline: the table keeps only those days.
    box = page.locator(".timeline-svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=5)
    page.mouse.up()
    page.wait_for_function("location.hash.includes('from=')")
    page.wait_for_function("document.querySelector('#json-twin').href.includes('until=')")
    twin = page.get_attribute("#json-twin", "href")
    brushed = api(server, twin.replace(server.url, ""))
    assert 0 < brushed["total"] < kenya["total"]
    page.wait_for_function(
        f"document.querySelectorAll('tr.event-row').length === {brushed['total']}"
    )


def test_event_view_shows_evidence(server: Server, page) -> None:
    page.goto(server.url + "/#/?type=ASSAULT")
    wait_ready(page)
    page.wait_for_selector("tr.event-row")
    first_id = page.locator("tr.event-row").first.get_attribute("data-id")
    page.locator("tr.event-row").first.click()
    page.wait_for_selector("blockquote.evidence mark.trigger")
    event = api(server, f"/api/events/{first_id}")
    shown = page.locator("blockquote.evidence").first.inner_text()
    assert shown == event["mentions"][0]["sentence"]
    assert page.locator("mark.trigger").first.inner_text() == event["mentions"][0]["trigger"]
    screenshot(page, "event.png")

    page.locator("a.article-link").first.click()
    page.wait_for_selector(".article-text mark.span-trigger")
    for kind in ("trigger", "actor", "place"):
        assert page.locator(f".article-text mark.span-{kind}").count() > 0, kind
    screenshot(page, "article.png")


def test_posts_alerts_places_and_language(server: Server, page) -> None:
    page.goto(server.url + "/#/posts")
    page.wait_for_selector(".post-card .strip rect")
    card = page.locator(".post-card[data-post=nbo]")
    level = api(server, "/api/posts/nbo")["level"]
    assert f"Level {level}" in card.locator(".level-badge").inner_text()
    assert card.locator(".reasons blockquote.evidence").count() > 0
    screenshot(card, "post-card.png")

    page.click("nav a[data-page=alerts]")
    page.wait_for_selector(".alert-card")
    page.click("nav a[data-page=places]")
    page.wait_for_selector("table.places td a")
    assert page.locator("table.index tbody tr").count() > 0

    page.select_option("#lang-select", "id")
    page.wait_for_function(
        "document.querySelector('nav a[data-page=overview]').textContent === 'Peta'"
    )
    page.wait_for_selector("table.places th:has-text('Tempat')")
    page.reload()
    wait_ready(page)
    assert page.locator("nav a[data-page=posts]").inner_text() == "Pos"  # the choice is kept


@pytest.mark.skipif(not SUDAN.is_dir(), reason="needs ../shared/scenarios/sudan-2023")
def test_sudan_replay_screenshots(tmp_path: Path, page) -> None:
    from pantau import alerts, levels, posts, store
    from pantau.replay import replay

    db = tmp_path / "sudan.db"
    replay(SUDAN, db)
    conn = store.connect(db)
    watched = posts.list_posts(conn)
    days = [
        levels.stored_level(conn, post, dt.date.fromisoformat(day))
        for post, day in conn.execute("SELECT post_id, day FROM levels ORDER BY day").fetchall()
    ]
    alerts.record_changes(conn, watched, days)
    conn.close()
    with Server(create_app(db, token="e2e-token")) as server:
        page.goto(server.url + "/#/?country=SDN&since=2023-04-13&until=2023-04-26&inview=")
        wait_ready(page)
        page.wait_for_selector(".post-marker")
        page.wait_for_timeout(300)  # let the map finish its zoom animation
        screenshot(page, "sudan-map.png")
        fighting = api(server, "/api/events?place=Khartoum&type=ASSAULT&sort=-mentions&limit=1")
        page.goto(server.url + f"/#/events/{fighting['items'][0]['id']}")
        page.wait_for_selector("blockquote.evidence mark.trigger")
        screenshot(page.locator("main"), "sudan-event.png")
        page.goto(server.url + "/#/posts")
        page.wait_for_selector(".post-card[data-post=us-khartoum] .strip rect")
        card = page.locator(".post-card[data-post=us-khartoum]")
        assert "Level 4" in card.locator(".level-badge").inner_text()
        screenshot(card, "sudan-post-card.png")
