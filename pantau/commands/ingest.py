"""``pantau ingest``: code sources into the event store, fuse events, print a summary."""

from __future__ import annotations

import argparse
import sys

from pantau.commands.code import add_dict_option, parse_date, user_dictionaries
from pantau.errors import InputError


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db PATH``, shared by every store command."""
    parser.add_argument(
        "--db",
        default=None,
        metavar="PATH",
        help="the event store (default: $PANTAU_DB, else pantau.db here)",
    )


def run(args: argparse.Namespace) -> int:
    from pantau.ingest import ingest
    from pantau.sources import Fetcher

    progress = sys.stderr.isatty() if args.progress is None else args.progress
    with user_dictionaries(args.dict):
        report = ingest(
            args.sources,
            args.db,
            kind=args.format,
            lang=args.lang,
            published=args.published,
            recode=args.recode,
            fetch=args.fetch,
            fetcher=Fetcher(delay=args.fetch_delay, timeout=args.timeout),
            progress=progress,
            fuse_every=args.fuse_every,
        )
    totals = report.totals
    done = report.coded + report.recoded
    print(
        f"{report.db}: coded {report.coded:,} new articles ({report.mentions:,} mentions)"
        + (f", recoded {report.recoded:,}" if report.recoded else "")
        + f" in {report.seconds:.1f} s ({report.rate:.0f} articles/s)"
    )
    print(
        f"  already stored {report.already:,}, near-duplicates linked "
        f"{report.near_duplicates:,}, skipped {sum(report.skipped.values()):,}"
        f" (failed {report.failed:,})"
    )
    for kind, count in sorted(report.skipped.items()):
        print(f"  skipped, {kind}: {count:,}")
        for example in report.examples.get(kind, []):
            print(f"    {example}")
    print(
        f"  store: {totals['articles']:,} articles ({totals['near_duplicates']:,} "
        f"near-duplicates), {totals['mentions']:,} mentions, {totals['events']:,} events "
        f"({totals['asserted_events']:,} asserted)"
    )
    if done == 0 and report.skipped and not report.already:
        raise InputError("nothing could be ingested")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="code sources into the event store and fuse reports of the same event",
        description="SOURCE: a folder of .txt/.html files, a .jsonl or .csv file, a WARC "
        "file, an RSS/Atom feed file or URL, or one article file. Articles already stored "
        "(same content hash) are skipped, so re-running resumes an interrupted ingest.",
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE")
    add_db_option(p)
    p.add_argument(
        "--format",
        choices=["folder", "jsonl", "csv", "warc", "feed", "text", "html", "parquet"],
        default=None,
        help="source format (default: guessed from the name and content); parquet: the "
        "output of `pantau batch`, stored without re-coding",
    )
    p.add_argument("--lang", choices=["id", "en"], default=None, help="article language")
    add_dict_option(p)
    p.add_argument("--published", type=parse_date, default=None, help="fallback publication date")
    p.add_argument(
        "--recode",
        action="store_true",
        help="re-code articles already stored; without SOURCE: those coded by another "
        "pantau version, from their stored text",
    )
    p.add_argument(
        "--no-fetch",
        dest="fetch",
        action="store_false",
        help="feeds: code the entries' own content instead of fetching the linked pages",
    )
    p.add_argument(
        "--fetch-delay",
        type=float,
        default=1.0,
        metavar="S",
        help="feeds: seconds between requests to one host (default 1)",
    )
    p.add_argument(
        "--timeout", type=float, default=20.0, metavar="S", help="feeds: request timeout"
    )
    p.add_argument(
        "--fuse-every",
        type=int,
        default=2000,
        metavar="N",
        help="run a fusion pass every N articles (and at the end)",
    )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None)
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    p.set_defaults(func=run)
