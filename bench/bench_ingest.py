"""Benchmark: ingest CLICK-ID and Wikinews into one event store; counts, rate, size, fusion.

    python bench/bench_ingest.py                    # both corpora from ../shared/corpora
    python bench/bench_ingest.py --db /tmp/p.db     # keep the database afterwards
    python bench/bench_ingest.py --limit 500        # a quicker run (first 500 CLICK-ID lines)

Runs :func:`pantau.ingest.ingest` once per corpus, in this one process pinned to
one CPU, into a fresh database, and prints: articles, mentions, events, skipped
inputs with reasons, near-duplicates; the ingest rate (coding, storage and
fusion included); the database size per 1,000 articles; and how pantau fuses
the drone attack on the Saudi Aramco plants of 14 September 2019 (ASSAULT
mentions dated 14-15 September with Saudi Arabia as place, actor or recipient).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from pantau import store
from pantau.ingest import ingest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
CLICKID = SHARED / "id-clickid-2019-politik-intl" / "articles.jsonl"
WIKINEWS = sorted((SHARED / "en-wikinews-2019-2020").glob("*.csv"))
ARAMCO = """FROM mentions m JOIN articles a ON a.id = m.article_id
    WHERE m.type = 'ASSAULT' AND m.date BETWEEN '2019-09-14' AND '2019-09-15'
      AND (m.country = 'SAU' OR ' ' || m.actor_codes || ' ' LIKE '% SAU %'
           OR ' ' || m.recipient_codes || ' ' LIKE '% SAU %')"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=None, help="database to create (kept)")
    parser.add_argument("--limit", type=int, default=None, help="first N CLICK-ID articles")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    args = parser.parse_args()
    if not CLICKID.exists():
        print(f"corpus not found: {CLICKID}", file=sys.stderr)
        return 1
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    if db.exists():
        print(f"{db} exists; give a new path", file=sys.stderr)
        return 1
    clickid = CLICKID
    if args.limit:
        clickid = Path(tmp.name) / "clickid.jsonl"
        with CLICKID.open(encoding="utf-8") as src:
            clickid.write_text("".join(islice(src, args.limit)), encoding="utf-8")

    reports = []
    for name, sources in (("CLICK-ID", [clickid]), ("Wikinews", WIKINEWS)):
        started = time.perf_counter()
        report = ingest([str(s) for s in sources], db, progress=sys.stderr.isatty())
        elapsed = time.perf_counter() - started
        reports.append((name, report, elapsed))

    conn = store.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    totals = store.counts(conn)
    size = db.stat().st_size

    print(f"pantau ingest benchmark  ({platform.machine()}, Python {platform.python_version()})")
    print("\n| corpus | coded | already stored | near-dups | skipped | mentions | s | articles/s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r, elapsed in reports:
        print(
            f"| {name} | {r.coded:,} | {r.already:,} | {r.near_duplicates:,} | "
            f"{sum(r.skipped.values()):,} | {r.mentions:,} | {elapsed:.1f} | {r.rate:.0f} |"
        )
    coded = sum(r.coded for _, r, _ in reports)
    seconds = sum(e for _, _, e in reports)
    print(f"\nall: {coded:,} articles in {seconds:.1f} s = {coded / seconds:.0f} articles/s")
    print(
        f"store: {totals['articles']:,} articles ({totals['near_duplicates']:,} near-duplicates),"
        f" {totals['mentions']:,} mentions, {totals['events']:,} events"
        f" ({totals['asserted_events']:,} asserted); {totals['entities']:,} entities,"
        f" {totals['places']:,} places"
    )
    multi = conn.execute("SELECT COUNT(*) FROM events WHERE num_sources > 1").fetchone()[0]
    cross = conn.execute("SELECT COUNT(*) FROM events WHERE langs = 'en id'").fetchone()[0]
    print(
        f"events reported by more than one outlet: {multi:,}; by Indonesian and English "
        f"articles: {cross:,}; mentions per event: {totals['mentions'] / totals['events']:.2f}"
    )
    print(
        f"database: {size / 1e6:.1f} MB = {size / 1e6 / totals['articles'] * 1000:.1f} MB "
        "per 1,000 articles"
    )
    print("\nskipped inputs:")
    for kind, reason, count in conn.execute(
        "SELECT kind, reason, COUNT(*) FROM skipped GROUP BY kind, reason ORDER BY 3 DESC"
    ):
        print(f"  {count:>4}  {kind}: {reason[:110]}")

    row = conn.execute(
        f"SELECT COUNT(*), COUNT(DISTINCT m.article_id), COUNT(DISTINCT m.event_id) {ARAMCO}"
    ).fetchone()
    print(
        f"\nSaudi Aramco drone attack, 14 Sep 2019: {row[0]} ASSAULT mentions in {row[1]} "
        f"articles fall into {row[2]} events; the largest:"
    )
    largest = conn.execute(
        f"""SELECT e.id, e.mode, e.actor_codes, e.recipient_codes, e.place_name, e.date,
                   e.num_mentions, e.num_articles, e.num_sources, e.langs, COUNT(*) AS here
            {ARAMCO.replace("FROM mentions m", "FROM mentions m JOIN events e ON e.id=m.event_id")}
            GROUP BY e.id ORDER BY here DESC, e.id LIMIT 8"""
    )
    print(
        "| event | mode | actor | recipient | place | date | mentions | articles | sources | lang |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for e in largest:
        print(
            f"| {e['id']} | {e['mode'] or '-'} | {e['actor_codes'] or '-'} | "
            f"{e['recipient_codes'] or '-'} | {e['place_name']} | {e['date']} | "
            f"{e['num_mentions']} | {e['num_articles']} | {e['num_sources']} | {e['langs']} |"
        )
    sizes = conn.execute(
        f"""SELECT n, COUNT(*) FROM (SELECT COUNT(*) AS n {ARAMCO} GROUP BY m.event_id)
            GROUP BY n ORDER BY n"""
    ).fetchall()
    print("events by number of these mentions: " + ", ".join(f"{n}: {c}" for n, c in sizes))
    conn.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
