"""Posts: validation, time zones from GeoNames, YAML/JSON import, the posts command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pantau import store
from pantau.cli import main
from pantau.errors import InputError
from pantau.posts import (
    DEFAULT_RADIUS_KM,
    add_post,
    get_post,
    import_posts,
    list_posts,
    load_posts_file,
    make_post,
    remove_post,
    timezone_for,
)

FIXTURES = Path(__file__).parent / "fixtures" / "monitor"
SCENARIO = Path(__file__).parents[2] / "shared" / "scenarios" / "sudan-2023"


@pytest.mark.parametrize(
    "lat, lon, country, zone",
    [
        (15.50, 32.56, "SDN", "Africa/Khartoum"),
        (-6.21, 106.85, "IDN", "Asia/Jakarta"),
        (-8.65, 115.22, "IDN", "Asia/Makassar"),  # Bali: the country has three zones
        (43.25, 76.92, "KAZ", "Asia/Almaty"),
        (40.71, -74.01, "USA", "America/New_York"),
    ],
)
def test_timezone_from_geonames(lat, lon, country, zone):
    assert timezone_for(lat, lon, country) == zone


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"id": "a b"}, "bad post id"),
        ({"lat": "95"}, "lat must be within"),
        ({"lon": "east"}, "lon is not a number"),
        ({"country": "XX"}, "unknown country code"),
        ({"radius_km": 0}, "radius_km must be above 0"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
    ],
)
def test_bad_posts_are_refused(kwargs, message):
    args = {"id": "p1", "name": "P", "lat": 1.0, "lon": 2.0, "country": "IDN"} | kwargs
    with pytest.raises(InputError, match=message):
        make_post(
            args.pop("id"),
            args.pop("name"),
            args.pop("lat"),
            args.pop("lon"),
            args.pop("country"),
            **args,
        )


def test_make_post_defaults():
    post = make_post("kbri-kl", None, "3.15", "101.69", "my")
    assert post.country == "MYS" and post.name == "kbri-kl"
    assert post.radius_km == DEFAULT_RADIUS_KM and post.timezone == "Asia/Kuala_Lumpur"
    # The local day: 23:30 UTC is already the next day in Kuala Lumpur (UTC+8).
    assert post.local_day(dt.datetime(2023, 4, 14, 23, 30, tzinfo=dt.UTC)) == dt.date(2023, 4, 15)
    assert post.day_end(dt.date(2023, 4, 15)) == dt.datetime(2023, 4, 15, 16, 0, tzinfo=dt.UTC)


def test_store_add_list_remove(tmp_path):
    conn = store.connect(tmp_path / "p.db")
    post = make_post("a", "A", 1, 2, "IDN", radius_km=10)
    add_post(conn, post)
    with pytest.raises(InputError, match="exists"):
        add_post(conn, post)
    add_post(conn, make_post("a", "A2", 1, 2, "IDN"), replace=True)
    assert [p.name for p in list_posts(conn)] == ["A2"]
    assert get_post(conn, "a").radius_km == DEFAULT_RADIUS_KM
    remove_post(conn, "a")
    assert list_posts(conn) == []
    with pytest.raises(InputError, match="no such post"):
        remove_post(conn, "a")


def test_import_json_and_yaml(tmp_path):
    posts = load_posts_file(FIXTURES / "posts.json")
    assert [(p.id, p.country, p.radius_km) for p in posts] == [
        ("almaty", "KAZ", 30.0),
        ("kbri-astana", "KAZ", DEFAULT_RADIUS_KM),
    ]
    yaml_file = tmp_path / "posts.yaml"
    yaml_file.write_text("posts:\n  - {id: kbri-dili, lat: -8.56, lon: 125.57, country: TLS}\n")
    (post,) = load_posts_file(yaml_file)
    assert post.timezone == "Asia/Dili"
    conn = store.connect(tmp_path / "p.db")
    assert len(import_posts(conn, FIXTURES / "posts.json")) == 2
    assert len(import_posts(conn, FIXTURES / "posts.json")) == 2  # replaced, not doubled
    assert len(list_posts(conn)) == 2


@pytest.mark.skipif(not SCENARIO.is_dir(), reason="needs ../shared/scenarios")
def test_import_the_scenario_posts():
    posts = load_posts_file(SCENARIO / "posts.json")
    assert {p.id for p in posts} == {"us-khartoum", "kbri-khartoum", "port-sudan"}
    assert all(p.timezone == "Africa/Khartoum" and p.country == "SDN" for p in posts)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[]", "non-empty list"),
        ('[{"id": "a", "lat": 1}]', "lacks lon, country"),
        (
            '[{"id": "a", "lat": 1, "lon": 2, "country": "IDN"}, '
            '{"id": "a", "lat": 1, "lon": 2, "country": "IDN"}]',
            "appears twice",
        ),
        ('[{"id": "a", "lat": 1, "lon": 2, "country": "ZZZ"}]', "post 1: .*unknown country"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_posts_files(tmp_path, text, message):
    path = tmp_path / "posts.json"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_posts_file(path)


def test_posts_command(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    assert (
        main(
            [
                "posts",
                "add",
                "kbri-bkk",
                "--name",
                "KBRI Bangkok",
                "--lat",
                "13.75",
                "--lon",
                "100.5",
                "--country",
                "THA",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert "Asia/Bangkok" in capsys.readouterr().out
    assert main(["posts", "import", str(FIXTURES / "posts.json"), "--db", db]) == 0
    assert main(["posts", "list", "--format", "json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [p["id"] for p in listed] == ["almaty", "kbri-astana", "kbri-bkk"]
    assert main(["posts", "rm", "kbri-bkk", "--db", db]) == 0
    assert main(["posts", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "kbri-bkk" not in out.split("removed kbri-bkk")[-1] and "almaty" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["posts", "add", "x", "--lat", "1", "--lon", "2", "--country", "QQ"], "unknown country"),
        (["posts", "rm", "nope"], "no such post"),
        (["posts", "import", "missing.json"], "cannot read"),
    ],
)
def test_posts_command_bad_input(tmp_path, capsys, argv, message):
    db = str(tmp_path / "cli.db")
    store.connect(db).close()
    assert main([*argv, "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pantau: ") and message in err and err.count("\n") == 1
