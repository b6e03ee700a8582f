"""The HTTP API: every endpoint, filters, pagination, auth, bad input, and a schemathesis
fuzz run against the OpenAPI schema that must find no server error.

The store (``tests/e2e/api_store.py``, shared with the browser tests) holds three short
articles written for these tests, a post in Nairobi, its levels and alerts.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")  # starlette's TestClient notice

from e2e.api_store import build_store  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from pantau import store, tripwires  # noqa: E402
from pantau.api import create_app  # noqa: E402
from pantau.api.auth import resolve_token, token_file  # noqa: E402
from pantau.query import find_events  # noqa: E402

TOKEN = "test-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "api.db")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, token=TOKEN))


@pytest.fixture
def fresh(tmp_path: Path) -> TestClient:
    """A client over a store of its own, for tests that write."""
    return TestClient(create_app(build_store(tmp_path / "fresh.db"), token=TOKEN))


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["counts"]["articles"] == 3
    assert body["read_token_required"] is False


@pytest.mark.parametrize(
    ("params", "check"),
    [
        (
            {"country": "KEN"},
            lambda e: "KEN" in (e["country"], e["actor_codes"], e["recipient_codes"]),
        ),
        (
            {"country": "idn"},
            lambda e: "IDN" in (e["country"], e["actor_codes"], e["recipient_codes"]),
        ),
        ({"type": "assault"}, lambda e: e["type"] == "ASSAULT"),
        ({"place": "Nairobi"}, lambda e: e["place_name"] == "Nairobi"),
        ({"signal": "unrest.crackdown"}, lambda e: "unrest.crackdown" in e["signals"]),
        ({"since": "2023-03-10", "until": "2023-03-10"}, lambda e: e["date"] == "2023-03-10"),
        ({"bbox": "30,-5,40,5"}, lambda e: 30 <= e["lon"] <= 40 and -5 <= e["lat"] <= 5),
        ({"min_sources": 2}, lambda e: e["num_sources"] >= 2),
        ({"asserted": "true"}, lambda e: e["aux"] == ""),
    ],
)
def test_event_filters(client: TestClient, params: dict, check) -> None:
    body = client.get("/api/events", params=params).json()
    assert body["items"], f"no events for {params}"
    assert all(check(e) for e in body["items"])
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert body["total"] < everything["total"] or set(params) == {"asserted"}


def test_search_over_evidence(client: TestClient) -> None:
    found = client.get("/api/events", params={"search": '"tear gas"'}).json()["items"]
    assert found
    for e in found:
        sentences = [m["sentence"] for m in client.get(f"/api/events/{e['id']}").json()["mentions"]]
        assert any("tear gas" in s for s in sentences)


def test_events_match_the_query_library(client: TestClient, db: Path) -> None:
    conn = store.connect(db, readonly=True)
    expected = {e["id"] for e in find_events(conn, country="KEN")}
    got = client.get("/api/events", params={"country": "KEN", "limit": 500}).json()
    assert {e["id"] for e in got["items"]} == expected


def test_pagination_covers_every_event_once(client: TestClient) -> None:
    total = client.get("/api/events").json()["total"]
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get("/api/events", params={"limit": 2, "offset": offset}).json()
        assert page["total"] == total and len(page["items"]) <= 2
        seen += [e["id"] for e in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == total
    beyond = client.get("/api/events", params={"offset": total + 10}).json()
    assert beyond["items"] == [] and beyond["next_offset"] is None


@pytest.mark.parametrize(("sort", "key"), [("date", "date"), ("-mentions", "num_mentions")])
def test_sort(client: TestClient, sort: str, key: str) -> None:
    values = [e[key] for e in client.get("/api/events", params={"sort": sort}).json()["items"]]
    assert values == sorted(values, reverse=sort.startswith("-"))


@pytest.mark.parametrize(
    ("path", "params", "status", "says"),
    [
        ("/api/events", {"limit": 0}, 422, "limit"),
        ("/api/events", {"limit": 501}, 422, "limit"),
        ("/api/events", {"offset": -1}, 422, "offset"),
        ("/api/events", {"since": "yesterday"}, 422, "since"),
        ("/api/events", {"country": "K3N"}, 422, "country"),
        ("/api/events", {"type": "PARTY"}, 400, "unknown event type"),
        ("/api/events", {"sort": "colour"}, 400, "cannot sort"),
        ("/api/events", {"bbox": "1,2,3"}, 400, "bbox"),
        ("/api/events", {"bbox": "0,50,10,40"}, 400, "bbox"),
        ("/api/events", {"search": '"unclosed'}, 400, "bad search query"),
        ("/api/events", {"since": "2023-03-12", "until": "2023-03-01"}, 400, "after"),
        ("/api/events/ev-123", {}, 422, "event_id"),
        ("/api/events/ev-000000000000", {}, 404, "no such event"),
        ("/api/articles/0", {}, 422, "article_id"),
        ("/api/articles/999999", {}, 404, "no such article"),
        ("/api/index", {"by": "street"}, 422, "by"),
        ("/api/index", {"since": "2020-01-01", "until": "2023-01-01"}, 400, "366"),
        ("/api/places", {"limit": 0}, 422, "limit"),
        ("/api/posts/nowhere", {}, 404, "no such post"),
        ("/api/posts/nowhere/levels", {}, 404, "no such post"),
    ],
)
def test_bad_requests(client: TestClient, path: str, params: dict, status: int, says: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert says in json.dumps(response.json())


def test_event_detail_shows_evidence_with_trigger(client: TestClient) -> None:
    first = client.get("/api/events", params={"type": "ASSAULT", "place": "Nairobi"}).json()
    event = client.get(f"/api/events/{first['items'][0]['id']}").json()
    assert event["mentions"] and event["record"]["event"] == ["ASSAULT"]
    for m in event["mentions"]:
        start, end = m["trigger_in_sentence"]
        assert m["sentence"][start:end] == m["trigger"]
        assert m["article_id"] >= 1 and m["outlet"]


def test_timeline_counts_the_filtered_events(client: TestClient) -> None:
    timeline = client.get("/api/timeline", params={"country": "KEN"}).json()
    events = client.get("/api/events", params={"country": "KEN", "limit": 500}).json()["items"]
    assert sum(d["total"] for d in timeline["days"]) == sum(1 for e in events if e["date"])
    assert [d["date"] for d in timeline["days"]] == sorted(d["date"] for d in timeline["days"])
    assert set(timeline["types"]) == {e["type"] for e in events}


def test_places(client: TestClient) -> None:
    places = client.get("/api/places").json()
    names = {p["name"] for p in places}
    assert {"Nairobi", "Medan"} <= names
    kenya = client.get("/api/places", params={"country": "KEN", "name": "nai"}).json()
    assert [p["name"] for p in kenya] == ["Nairobi"]


@pytest.mark.parametrize(("by", "place"), [("country", None), ("city", "Nairobi")])
def test_situation_index(client: TestClient, by: str, place: str | None) -> None:
    index = client.get("/api/index", params={"by": by, "country": "KEN"}).json()
    assert index["until"] == "2023-03-11"  # the latest event date in the store
    rows = index["rows"]
    assert rows and all(r["country"] == "KEN" for r in rows)
    assert any(r["place"] == place for r in rows)
    assert any(r["intensity"] > 0 for r in rows)  # tear gas is material conflict


def test_article_view_marks_coded_spans(client: TestClient) -> None:
    found = client.get("/api/events", params={"country": "IDN", "type": "ASSAULT"}).json()
    event = client.get(f"/api/events/{found['items'][0]['id']}").json()
    article = client.get(f"/api/articles/{event['mentions'][0]['article_id']}").json()
    assert article["ext_id"] == "t-medan"
    kinds = {s["kind"] for s in article["spans"]}
    assert {"trigger", "actor", "place"} <= kinds
    for span in article["spans"]:
        assert article["text"][span["start"] : span["end"]] == span["text"]
    ends = [(s["start"], s["end"]) for s in article["spans"]]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))
    assert any(s["kind"] == "place" and s["text"] == "Medan" for s in article["spans"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/articles", {"text": "x"}),
        ("post", "/api/posts", {"id": "x", "name": "x", "lat": 0, "lon": 0, "country": "KEN"}),
        ("put", "/api/posts/nbo", {"name": "x", "lat": 0, "lon": 0, "country": "KEN"}),
        ("delete", "/api/posts/nbo", None),
        ("post", "/api/rules/reload", None),
        ("post", "/api/levels/refresh", None),
    ],
)
@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({"Authorization": "Bearer no"}, 403)])
def test_writes_need_the_token(
    client: TestClient, method: str, path: str, body: dict | None, headers: dict, status: int
) -> None:
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == status
    assert client.get("/api/posts/nbo").status_code == 200  # nothing was changed


def test_reads_need_the_token_when_not_open(db: Path) -> None:
    closed = TestClient(create_app(db, token=TOKEN, open_reads=False))
    assert closed.get("/api/events").status_code == 401
    assert closed.get("/api/events", headers=AUTH).status_code == 200
    assert closed.get("/api/health", headers=AUTH).json()["read_token_required"] is True
    assert closed.get("/").status_code == 200  # the page itself; its data needs the token


def test_post_article_codes_and_stores_it(fresh: TestClient) -> None:
    text = (
        "SURABAYA - Ratusan buruh berunjuk rasa di depan kantor gubernur di Surabaya pada "
        "Senin (6/3) menuntut kenaikan upah."
    )
    body = {"text": text, "lang": "id", "published": "2023-03-07", "outlet": "Uji Pos"}
    created = fresh.post("/api/articles", json=body, headers=AUTH)
    assert created.status_code == 201, created.text
    stored = created.json()
    assert stored["created"] and stored["mentions"] >= 1 and stored["events"]
    event = fresh.get(f"/api/events/{stored['events'][0]}").json()
    assert event["mentions"][0]["outlet"] == "Uji Pos"
    again = fresh.post("/api/articles", json=body, headers=AUTH)
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["article_id"] == stored["article_id"]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"text": ""}, 422, "text"),
        ({"text": "Halo.", "lang": "fr"}, 422, "lang"),
        ({"text": "Halo.", "extra": 1}, 422, "extra"),
        ({"text": "Bonjour, ceci est un article en français sur la politique."}, 400, "language"),
    ],
)
def test_post_article_refuses_bad_input(
    fresh: TestClient, body: dict, status: int, says: str
) -> None:
    response = fresh.post("/api/articles", json=body, headers=AUTH)
    assert response.status_code == status
    assert says in json.dumps(response.json()).lower()


def test_body_size_limit(fresh: TestClient) -> None:
    huge = {"text": "kata " * 1_300_000}  # 6.5 MB
    response = fresh.post("/api/articles", json=huge, headers=AUTH)
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_posts_levels_and_alerts(client: TestClient) -> None:
    (post,) = client.get("/api/posts").json()
    assert post["id"] == "nbo" and post["timezone"] == "Africa/Nairobi"
    assert post["level"] >= 2 and post["since"] and post["reasons"]
    evidence = post["reasons"][0]["events"][0]["evidence"][0]
    assert evidence["article_id"] and evidence["sentence"]
    history = client.get("/api/posts/nbo/levels").json()
    dates = [d["date"] for d in history]
    assert dates == sorted(dates) and dates[-1] == "2023-03-13"
    assert history[-1]["level"] == post["level"]
    assert (
        client.get("/api/posts/nbo/levels", params={"since": "2023-03-12"}).json()[0]["date"]
        == "2023-03-12"
    )
    sent = client.get("/api/alerts").json()
    assert sent and sent[0]["post"] == "nbo" and sent[0]["level"] == post["level"]
    assert client.get("/api/alerts", params={"post": "other"}).json() == []


def test_posts_crud(fresh: TestClient) -> None:
    new = {"id": "jkt", "name": "Office Jakarta", "lat": -6.2, "lon": 106.8, "country": "IDN"}
    created = fresh.post("/api/posts", json=new, headers=AUTH)
    assert created.status_code == 201 and created.json()["timezone"] == "Asia/Jakarta"
    assert created.json()["level"] is None
    assert fresh.post("/api/posts", json=new, headers=AUTH).status_code == 409
    changed = {k: v for k, v in new.items() if k != "id"} | {"radius_km": 10}
    replaced = fresh.put("/api/posts/jkt", json=changed, headers=AUTH)
    assert replaced.status_code == 200 and replaced.json()["radius_km"] == 10
    bad = new | {"id": "x1", "country": "ZZ"}
    assert fresh.post("/api/posts", json=bad, headers=AUTH).status_code == 400
    bad_zone = new | {"id": "x2", "timezone": "Mars/Olympus"}
    assert fresh.post("/api/posts", json=bad_zone, headers=AUTH).status_code == 400
    assert fresh.post("/api/posts", json=new | {"lat": 91}, headers=AUTH).status_code == 422
    assert fresh.delete("/api/posts/jkt", headers=AUTH).status_code == 204
    assert fresh.delete("/api/posts/jkt", headers=AUTH).status_code == 404
    assert [p["id"] for p in fresh.get("/api/posts").json()] == ["nbo"]


def test_levels_refresh(fresh: TestClient) -> None:
    done = fresh.post("/api/levels/refresh", headers=AUTH).json()
    (today,) = done["levels"]
    assert today["post"] == "nbo" and 1 <= today["level"] <= 4


def test_rules_reload(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    default = tripwires.load_rules()
    rules.write_text(
        "rules:\n  - {id: any-protest, description: a protest, level: 2, scope: country,"
        " window_days: 3, match: {types: [PROTEST]}}\n",
        encoding="utf-8",
    )
    app = create_app(build_store(tmp_path / "r.db"), token=TOKEN, rules_path=str(rules))
    c = TestClient(app)
    assert [r["id"] for r in c.get("/api/rules").json()["rules"]] == ["any-protest"]
    rules.write_text("rules: [", encoding="utf-8")
    broken = c.post("/api/rules/reload", headers=AUTH)
    assert broken.status_code == 400
    assert [r["id"] for r in c.get("/api/rules").json()["rules"]] == ["any-protest"]
    rules.write_text(Path(default.source).read_text(encoding="utf-8"), encoding="utf-8")
    reloaded = c.post("/api/rules/reload", headers=AUTH).json()
    assert len(reloaded["rules"]) == len(default.rules)


def test_token_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "t.db"
    monkeypatch.delenv("PANTAU_TOKEN", raising=False)
    assert resolve_token(db, "given") == ("given", "argument")
    token, where = resolve_token(db)
    assert where == str(token_file(db)) and len(token) > 30
    assert token_file(db).stat().st_mode & 0o777 == 0o600
    assert resolve_token(db)[0] == token  # the same on the next start
    monkeypatch.setenv("PANTAU_TOKEN", "from-env")
    assert resolve_token(db) == ("from-env", "$PANTAU_TOKEN")


def test_dashboard_is_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'src="/static/js/main.js"' in page.text
    for asset in (
        "/static/js/main.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/world-atlas/countries-50m.json",
        "/static/i18n/id.json",
    ):
        assert client.get(asset).status_code == 200, asset
    english = client.get("/static/i18n/en.json").json()
    indonesian = client.get("/static/i18n/id.json").json()
    assert english.keys() == indonesian.keys()
    assert client.get("/api/openapi.json").json()["info"]["title"] == "pantau"


# --- schemathesis: every operation of the schema with generated input; no 500s -----------

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):
    """The app's own OpenAPI schema, over a store the fuzz run may write to."""
    app = create_app(build_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db"), token=TOKEN)
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")
# Examples per operation: enough for CI to stay quick; raise it for a deeper run.
FUZZ_EXAMPLES = int(os.environ.get("PANTAU_FUZZ_EXAMPLES", "15"))


@schema.parametrize()
@hypothesis.settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_fuzz_no_server_errors(case) -> None:
    from schemathesis.checks import not_a_server_error

    case.call_and_validate(headers=AUTH, checks=[not_a_server_error])
