"""``pantau code``: code articles into event records (JSONL or a table on stdout)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator

from pantau.errors import InputError


def parse_date(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD options."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def run(args: argparse.Namespace) -> int:
    from pantau.coding import CodingRun, code_source
    from pantau.output import format_table

    coding = CodingRun()
    with user_dictionaries(args.dict):
        records = code_source(
            args.source,
            args.input_format,
            lang=args.lang,
            published=args.published,
            strict=args.strict,
            run=coding,
        )
        if args.format == "table":
            print(format_table(list(records)))
        else:
            for record in records:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    for note in coding.notes:
        print(f"pantau: note: {note}", file=sys.stderr)
    for skipped in coding.skipped:
        print(f"pantau: skipped {skipped.reason}", file=sys.stderr)
    if coding.skipped:
        print(
            f"pantau: coded {coding.articles} articles ({coding.records} records), "
            f"skipped {len(coding.skipped)}",
            file=sys.stderr,
        )
    if coding.articles == 0 and coding.skipped:
        raise InputError("nothing could be coded", source=args.source)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    code = sub.add_parser("code", help="code articles into event records (JSONL on stdout)")
    code.add_argument("source", help="a .txt/.html/.jsonl file, or - for stdin")
    code.add_argument(
        "--input-format",
        choices=["text", "html", "jsonl"],
        default=None,
        help="input format (default: guessed from the name and content)",
    )
    code.add_argument(
        "--lang", choices=["id", "en"], default=None, help="article language (default: detected)"
    )
    code.add_argument(
        "--published",
        type=parse_date,
        default=None,
        help="publication date YYYY-MM-DD, when the input does not give one",
    )
    code.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
    code.add_argument(
        "--strict", action="store_true", help="in JSONL input, stop at the first bad line"
    )
    add_dict_option(code)
    code.set_defaults(func=run)


def add_dict_option(parser: argparse.ArgumentParser) -> None:
    """``--dict FILE`` (repeatable), shared by every command that codes articles."""
    parser.add_argument(
        "--dict",
        action="append",
        default=[],
        metavar="FILE",
        help="a user dictionary: actors or agents (PETRARCH format or CSV), or PETRARCH "
        "verbs; repeatable, later files win",
    )


def report_skipped_lines(problems: list[str]) -> None:
    for problem in problems:
        print(f"pantau: dictionary line skipped: {problem}", file=sys.stderr)


@contextlib.contextmanager
def user_dictionaries(paths: list[str]) -> Iterator[None]:
    """``--dict`` files active for the block, their skipped lines told on stderr."""
    from pantau.userdict import using_files

    with using_files(paths) as problems:
        report_skipped_lines(problems)
        yield
