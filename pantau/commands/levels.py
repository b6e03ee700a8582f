"""``pantau levels``: each post's level per local day, with the rules and evidence behind it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from pantau.commands.code import parse_date
from pantau.commands.ingest import add_db_option
from pantau.commands.watch import add_alert_options, channels
from pantau.errors import UsageError


def run(args: argparse.Namespace) -> int:
    from pantau.alerts import dispatch, record_changes
    from pantau.levels import NAMES, compute_levels, top_reasons, update_now
    from pantau.posts import get_post, list_posts
    from pantau.store import connect
    from pantau.tripwires import load_rules

    rules = load_rules(args.rules)
    conn = connect(args.db, create=False)
    posts = [get_post(conn, p) for p in args.post] if args.post else list_posts(conn)
    if not posts:
        raise UsageError("no posts: add some with `pantau posts add` or `pantau posts import`")
    if args.since or args.until:
        until = args.until or args.since
        since = args.since or until
        if since > until:
            raise UsageError("--since is after --until")
        levels = compute_levels(conn, posts, since, until, rules)
    else:
        levels = update_now(conn, posts, rules, dt.datetime.now(dt.UTC))
    for lv in sorted(levels, key=lambda x: (x.day, x.post)):
        if args.format == "json":
            sys.stdout.write(json.dumps(lv.to_dict(), ensure_ascii=False) + "\n")
            continue
        change = f"  ({lv.note})" if lv.note else ""
        print(f"{lv.day}  {lv.post}  level {lv.level} {NAMES[lv.level]}{change}")
        for line in top_reasons(lv, args.reasons):
            print(f"    {line}")
    if args.alert:
        new = record_changes(conn, posts, levels)
        report = dispatch(conn, channels(args))
        print(
            f"pantau: {len(new)} new alerts; {report.sent} delivered, {report.failed} failed",
            file=sys.stderr,
        )
        for line in report.errors:
            print(f"  {line}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "levels",
        help="each post's level (1-4) per local day, with reasons",
        description="Without --since/--until: each post's level for its local today from "
        "what is known now. Levels are stored; --alert records and sends an alert for "
        "each change.",
    )
    p.add_argument("--post", action="append", default=[], metavar="ID", help="only this post")
    p.add_argument("--since", type=parse_date, help="first day, YYYY-MM-DD (post-local)")
    p.add_argument("--until", type=parse_date, help="last day, YYYY-MM-DD")
    p.add_argument("--rules", metavar="FILE", help="tripwire rules (default: the bundled ones)")
    p.add_argument("--reasons", type=int, default=3, metavar="N", help="reasons shown per day")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--alert", action="store_true", help="record and send alerts for changes")
    add_db_option(p)
    add_alert_options(p)
    p.set_defaults(func=run)
