"""``pantau replay SCENARIO_DIR``: replay a crisis day by day; compare with expected levels."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pantau.commands.ingest import add_db_option

if TYPE_CHECKING:
    from pantau.levels import DayLevel
    from pantau.replay import ReplayResult


def run(args: argparse.Namespace) -> int:
    from pantau.levels import NAMES, top_reasons
    from pantau.replay import EXPECTED, load_expected, replay
    from pantau.tripwires import load_rules

    file = Path(args.scenario) / EXPECTED
    expected = load_expected(file) if file.is_file() else {}

    def show(day_levels: list[DayLevel]) -> None:
        for lv in day_levels:
            want = expected.get(lv.post, {}).get(lv.day)
            if args.format == "json":
                out = {
                    "post": lv.post,
                    "date": lv.day.isoformat(),
                    "level": lv.level,
                    "reasons": lv.reasons,
                }
                if want is not None:
                    out["expected"] = want
                sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
                continue
            note = f"  ({lv.note})" if lv.note else ""
            exp = f"  [expected {want}]" if want is not None else ""
            print(f"{lv.day}  {lv.post:<16} level {lv.level} {NAMES[lv.level]}{note}{exp}")
            for line in top_reasons(lv, args.reasons):
                print(f"    {line}")
        sys.stdout.flush()

    result = replay(args.scenario, args.db, rules=load_rules(args.rules), on_day=show)
    if args.format == "text" and result.comparison is not None:
        print()
        print(comparison_text(result))
    if args.format == "text" and result.signals is not None and result.signals.total:
        sig = result.signals
        print(f"timeline signals found in the records of their items: {sig.found}/{sig.total} "
              f"({sig.found / sig.total:.0%})")  # fmt: skip
        for date, signal, what in sig.missed:
            print(f"  missed {date} {signal}: {what[:70]}")
    return 0


def comparison_text(result: ReplayResult) -> str:
    """The day-by-day table (got/expected per post) and the summary."""
    cmp, posts = result.comparison, list(result.expected or {})
    assert cmp is not None
    days = sorted({day for _, day, _, _ in cmp.rows})
    cell = {(post, day): (got, want) for post, day, got, want in cmp.rows}
    lines = ["day         " + "  ".join(f"{p[:14]:>14}" for p in posts)]
    for day in days:
        row = []
        for post in posts:
            got, want = cell.get((post, day), (None, None))
            mark = (
                "" if got == want else (" ~" if got is not None and abs(got - want) <= 1 else " !")
            )
            row.append(f"{'-' if got is None else got} / {want}{mark}".rjust(14))
        lines.append(f"{day}  " + "  ".join(row))
    lines.append("(level got / expected; ~ one level off, ! more)")
    s = cmp.to_dict()
    lines.append(
        f"days exact: {s['exact']}/{s['days']} ({s['exact_share']:.0%}); within one level: "
        f"{s['within_one']}/{s['days']} ({s['within_one_share']:.0%})"
    )
    for post, firsts in s["first"].items():
        parts = [
            f"level {lvl} on {v['got'] or 'never'} (expected {v['expected'] or 'never'})"
            for lvl, v in firsts.items()
        ]
        lines.append(f"first reached, {post}: " + "; ".join(parts))
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "replay",
        help="replay a scenario day by day: levels, reasons, comparison with expected levels",
        description="SCENARIO_DIR holds articles.jsonl (published instants with offsets), "
        "posts.json and optionally expected_levels.json. The articles are ingested in time "
        "order; at the end of each post-local day each post's level is printed with its top "
        "reasons.",
    )
    p.add_argument("scenario", metavar="SCENARIO_DIR")
    add_db_option(p)
    p.set_defaults(db=None)
    p.add_argument("--rules", metavar="FILE", help="tripwire rules (default: the bundled ones)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--reasons", type=int, default=3, metavar="N", help="reasons shown per day")
    p.set_defaults(func=run)
