"""``pantau batch``: code a corpus on every core (or on Apache Spark) into Parquet."""

from __future__ import annotations

import argparse
import sys

from pantau.commands.code import add_dict_option, parse_date
from pantau.errors import InputError


def run(args: argparse.Namespace) -> int:
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    if args.engine == "spark":
        from pantau.spark import code_spark

        report = code_spark(
            args.inputs,
            args.out,
            lang=args.lang,
            published=args.published,
            master=args.master,
            dictionaries=args.dict,
        )
    else:
        from pantau.batch import code_batch

        report = code_batch(
            args.inputs,
            args.out,
            workers=args.workers,
            kind=args.format,
            lang=args.lang,
            published=args.published,
            progress=progress,
            dictionaries=args.dict,
        )
    print(
        f"{report.out}: {report.records:,} records from {report.articles:,} articles in "
        f"{report.seconds:.1f} s ({report.rate:.0f} articles/s, {report.engine})",
        file=sys.stderr,
    )
    for kind, count in sorted(report.skipped.items()):
        print(f"  skipped, {kind}: {count:,}", file=sys.stderr)
        for example in report.examples.get(kind, []):
            print(f"    {example}", file=sys.stderr)
    if report.articles == 0 and report.skipped:
        raise InputError("nothing could be coded")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="code a corpus in parallel (all cores, or Apache Spark) into a Parquet file",
        description="INPUT: a .jsonl or .csv file, a WARC file, a folder of .txt/.html "
        "files, or one article file (with --engine spark: JSONL files, folders or globs "
        "on any path Spark reads). Writes one row per record; the output is the same "
        "whatever the number of workers. Load it with `pantau ingest OUT.parquet`.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--out", "-o", required=True, metavar="OUT", help="Parquet file (Spark: folder)")
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per core)"
    )
    p.add_argument("--engine", choices=["local", "spark"], default="local")
    add_dict_option(p)
    p.add_argument(
        "--master", default=None, help="Spark master URL (default: from the Spark config)"
    )
    p.add_argument(
        "--format",
        choices=["folder", "jsonl", "csv", "warc", "feed", "text", "html"],
        default=None,
        help="input format (default: guessed from the name and content)",
    )
    p.add_argument(
        "--lang", choices=["id", "en"], default=None, help="article language (default: detected)"
    )
    p.add_argument(
        "--published",
        type=parse_date,
        default=None,
        help="publication date YYYY-MM-DD, for articles whose input gives none",
    )
    progress = p.add_mutually_exclusive_group()
    progress.add_argument("--progress", action="store_true", default=None, help="progress bar")
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    p.set_defaults(func=run)
