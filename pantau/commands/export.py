"""``pantau export``: fused events as GDELT 2.0 rows, PLOVER JSONL, Parquet or CSV."""

from __future__ import annotations

import argparse
import sys

from pantau.commands.events import add_filters, filters
from pantau.commands.ingest import add_db_option


def run(args: argparse.Namespace) -> int:
    from pantau.export import export
    from pantau.store import connect

    conn = connect(args.db, create=False, readonly=True)
    count = export(conn, args.format, args.output, mentions=args.mentions, **filters(args))
    if args.output not in (None, "-"):
        what = "mentions" if args.mentions else "events"
        print(f"pantau: wrote {count:,} {what} to {args.output}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export events: GDELT 2.0 event table, PLOVER JSONL, Parquet or CSV",
    )
    add_db_option(p)
    p.add_argument("--format", choices=["gdelt", "plover-jsonl", "parquet", "csv"], required=True)
    p.add_argument("--output", "-o", default=None, metavar="FILE", help="default: stdout")
    p.add_argument(
        "--mentions",
        action="store_true",
        help="one row per mention (the stored records) instead of per event",
    )
    add_filters(p)
    p.set_defaults(func=run)
