"""``pantau events``, ``pantau event ID``, ``pantau stats``: read the event store."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from pantau.commands.code import parse_date
from pantau.commands.ingest import add_db_option

_TABLE = (
    ("id", "id"),
    ("date", "date"),
    ("event", None),
    ("actor", "actor_codes"),
    ("recipient", "recipient_codes"),
    ("place", None),
    ("mentions", "num_mentions"),
    ("articles", "num_articles"),
    ("sources", "num_sources"),
    ("conf", "confidence"),
)


def format_table(header: Sequence[str], rows: Sequence[Sequence[Any]], width: int = 28) -> str:
    """Left-aligned columns, cells cut at ``width`` characters."""
    cells = [[str(h) for h in header]] + [
        ["-" if v in (None, "") else str(v)[:width] for v in row] for row in rows
    ]
    sizes = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(s) for c, s in zip(r, sizes, strict=True)).rstrip() for r in cells
    )


def add_filters(p: argparse.ArgumentParser) -> None:
    """The event filters shared by ``events`` and ``export``."""
    p.add_argument("--country", help="ISO3 code of the place, actor or recipient (KAZ)")
    p.add_argument("--place", help="place name, first-level division or GeoNames id")
    p.add_argument("--type", help="PLOVER event type (PROTEST)")
    p.add_argument("--signal", help="a signal one of its mentions carries")
    p.add_argument("--since", type=parse_date, help="first date, YYYY-MM-DD")
    p.add_argument("--until", type=parse_date, help="last date, YYYY-MM-DD")
    p.add_argument("--search", help="full-text query over the evidence sentences")
    p.add_argument(
        "--asserted",
        action="store_true",
        help="leave out negated, hypothetical, future and historical events",
    )
    p.add_argument("--min-sources", type=int, default=0, metavar="N")
    p.add_argument("--limit", type=int, default=None, metavar="N")


def filters(args: argparse.Namespace) -> dict[str, Any]:
    """The :func:`pantau.query.find_events` keywords from parsed options."""
    keys = ("country", "place", "type", "signal", "since", "until", "search", "asserted")
    out = {k: getattr(args, k) for k in keys}
    out["min_sources"] = args.min_sources
    out["limit"] = args.limit
    return out


def run_events(args: argparse.Namespace) -> int:
    from pantau.query import EVENT_COLUMNS, find_events
    from pantau.store import connect

    conn = connect(args.db, create=False, readonly=True)
    events = find_events(conn, **filters(args))
    if args.format == "jsonl":
        for event in events:
            sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        writer.writerows([e[c] for c in EVENT_COLUMNS] for e in events)
    else:
        rows = []
        for e in events:
            kind = e["type"] + (f"/{e['mode']}" if e["mode"] else "")
            kind += f" ({e['aux']})" if e["aux"] else ""
            place = e["place_name"] or e["country"]
            shown = {"event": kind, "place": place, "conf": f"{e['confidence']:.2f}"}
            rows.append([shown[col] if col in shown else e[key] for col, key in _TABLE])
        print(format_table([c for c, _ in _TABLE], rows))
    return 0


def run_event(args: argparse.Namespace) -> int:
    from pantau.query import get_event
    from pantau.store import connect

    event = get_event(connect(args.db, create=False, readonly=True), args.id)
    if args.format == "json":
        print(json.dumps(event, ensure_ascii=False, indent=2))
        return 0
    kind = event["type"] + (f"/{event['mode']}" if event["mode"] else "")
    print(f"{event['id']}  {kind}{' (' + event['aux'] + ')' if event['aux'] else ''}")
    print(f"  date      {event['date']} ({event['date_precision']})")
    print(f"  actor     {event['actor_codes'] or '-'} {event['actor_sector'] or ''}".rstrip())
    recipient = f"{event['recipient_codes'] or '-'} {event['recipient_sector'] or ''}"
    print(f"  recipient {recipient.rstrip()}")
    print(f"  place     {event['place_name'] or '-'}, {event['country'] or '-'}")
    print(
        f"  {event['num_mentions']} mentions in {event['num_articles']} articles from "
        f"{event['num_sources']} sources (confidence {event['confidence']:.2f}); "
        f"languages {event['langs'] or '-'}; signals {event['signals'] or '-'}"
    )
    for m in event["mentions"]:
        copy = f" (near-duplicate of article {m['dup_of']})" if m["dup_of"] else ""
        print(f"\n  [{m['published'] or '-'} {m['outlet'] or '-'} {m['lang'] or '-'}]{copy}")
        print(f"    {m['url'] or m['ext_id']}")
        print(f"    trigger {m['trigger']!r}, {m['coder']}")
        print(f"    {m['sentence']}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from pantau.query import stats
    from pantau.store import connect

    result = stats(connect(args.db, create=False, readonly=True), args.by, limit=args.limit)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    t = result["totals"]
    print(
        f"{t['articles']:,} articles ({t['near_duplicates']:,} near-duplicates), "
        f"{t['mentions']:,} mentions, {t['events']:,} events ({t['asserted_events']:,} "
        f"asserted), {t['skipped']:,} inputs skipped"
        + "".join(f", {k} {v:,}" for k, v in t["skipped_by_kind"].items())
    )
    header = [args.by, "events", "mentions", "articles"]
    rows = [[r["key"], r["events"], r["mentions"], r["articles"]] for r in result["rows"]]
    print(format_table(header, rows, width=40))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("events", help="list fused events from the store, filtered")
    add_db_option(p)
    add_filters(p)
    p.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    p.set_defaults(func=run_events)

    p = sub.add_parser("event", help="one event with all its mentions and their evidence")
    p.add_argument("id", help="event id (a unique prefix is enough)")
    add_db_option(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run_event)

    p = sub.add_parser("stats", help="counts of the store, by day, country, type or outlet")
    add_db_option(p)
    p.add_argument("--by", choices=["day", "country", "type", "outlet"], default="type")
    p.add_argument("--limit", type=int, default=None, metavar="N")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=run_stats)
