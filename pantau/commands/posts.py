"""``pantau posts add|list|rm|import``: the places watched, kept in the event store."""

from __future__ import annotations

import argparse
import json
import sys

from pantau.commands.ingest import add_db_option


def run_add(args: argparse.Namespace) -> int:
    from pantau.posts import add_post, make_post
    from pantau.store import connect

    post = make_post(
        args.id,
        args.name,
        args.lat,
        args.lon,
        args.country,
        radius_km=args.radius_km,
        city=args.city,
        timezone=args.timezone,
        notes=args.notes,
    )
    add_post(connect(args.db), post, replace=args.replace)
    print(
        f"added {post.id}: {post.name} ({post.lat}, {post.lon}, {post.country}, "
        f"{post.radius_km:g} km, {post.timezone})"
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from pantau.commands.events import format_table
    from pantau.posts import list_posts
    from pantau.store import connect

    posts = list_posts(connect(args.db, create=False, readonly=True))
    if args.format == "json":
        json.dump([p.to_dict() for p in posts], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    header = ("id", "name", "lat", "lon", "country", "radius_km", "timezone")
    print(format_table(header, [[getattr(p, h) for h in header] for p in posts], width=40))
    return 0


def run_rm(args: argparse.Namespace) -> int:
    from pantau.posts import remove_post
    from pantau.store import connect

    conn = connect(args.db, create=False)
    for post_id in args.ids:
        remove_post(conn, post_id)
        print(f"removed {post_id}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pantau.posts import import_posts
    from pantau.store import connect

    posts = import_posts(connect(args.db), args.file)
    print(f"imported {len(posts)} posts: {', '.join(p.id for p in posts)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("posts", help="the places watched (embassies, offices, sites)")
    verbs = p.add_subparsers(dest="verb", required=True)

    add = verbs.add_parser("add", help="add a post")
    add.add_argument("id", help="short id: letters, digits, '-', '_', '.'")
    add.add_argument("--name", help="display name (default: the id)")
    add.add_argument("--lat", required=True, help="latitude, decimal degrees")
    add.add_argument("--lon", required=True, help="longitude, decimal degrees")
    add.add_argument("--country", required=True, help="ISO alpha-3 (or alpha-2) country code")
    add.add_argument("--radius-km", default=None, help="radius watched (default 50)")
    add.add_argument("--city", help="city name, for display")
    add.add_argument("--timezone", help="IANA time zone (default: from GeoNames)")
    add.add_argument("--notes")
    add.add_argument("--replace", action="store_true", help="replace a post with this id")
    add_db_option(add)
    add.set_defaults(func=run_add)

    ls = verbs.add_parser("list", help="list the posts")
    ls.add_argument("--format", choices=["table", "json"], default="table")
    add_db_option(ls)
    ls.set_defaults(func=run_list)

    rm = verbs.add_parser("rm", help="remove posts, with their levels and alerts")
    rm.add_argument("ids", nargs="+", metavar="ID")
    add_db_option(rm)
    rm.set_defaults(func=run_rm)

    imp = verbs.add_parser("import", help="add or replace the posts of a YAML/JSON file")
    imp.add_argument("file", help="a list of {id, name, lat, lon, country, radius_km, ...}")
    add_db_option(imp)
    imp.set_defaults(func=run_import)
