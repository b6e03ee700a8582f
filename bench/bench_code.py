"""Benchmark: code whole corpora, print articles/second and peak memory.

    python bench/bench_code.py                      # CLICK-ID + Wikinews from ../shared/corpora
    python bench/bench_code.py --limit 500          # a quicker run
    python bench/bench_code.py path/to/articles.jsonl

Every article is coded in this one process (one core). Articles that cannot be
coded (e.g. another language) are counted as skipped with their reason; any
other exception is a crash and is reported with the article id.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pantau.document import Article
from pantau.errors import InputError
from pantau.pipeline import code_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def jsonl_articles(path: Path) -> Iterator[Article]:
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            row = json.loads(line)
            published = row.get("published")
            yield Article(
                id=row.get("id") or f"{path.stem}:{n}",
                text=row["text"],
                source=f"{path}:{n}",
                published=_date(published),
                lang=row.get("lang"),
                url=row.get("url"),
                title=row.get("title"),
            )


def csv_articles(path: Path) -> Iterator[Article]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            yield Article(
                id=row["url"],
                text=row["text"],
                source=f"{path}:{n}",
                published=_date(row.get("date")),
                url=row["url"],
                title=row.get("title"),
            )


def _date(text: str | None):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def corpus(paths: list[str]) -> Iterator[Article]:
    if not paths:
        paths = [
            str(SHARED / "id-clickid-2019-politik-intl" / "articles.jsonl"),
            *sorted(str(p) for p in (SHARED / "en-wikinews-2019-2020").glob("*.csv")),
        ]
    for p in map(Path, paths):
        yield from (csv_articles(p) if p.suffix == ".csv" else jsonl_articles(p))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()

    start_import = time.perf_counter()
    code_article(Article(id="warmup", text="Polisi menangkap 3 orang di Jakarta.", lang="id"))
    warmup = time.perf_counter() - start_import

    counts, skipped, crashes, chars = Counter(), Counter(), [], 0
    start = time.perf_counter()
    for i, article in enumerate(corpus(args.paths)):
        if args.limit and i >= args.limit:
            break
        chars += len(article.text)
        try:
            records = code_article(article)
        except InputError as exc:
            skipped[str(exc).split(":")[-1].strip()[:60]] += 1
            continue
        except Exception as exc:  # noqa: BLE001 - a benchmark reports crashes, it does not stop
            crashes.append((article.id, repr(exc)))
            continue
        counts["articles"] += 1
        counts["records"] += len(records)
    elapsed = time.perf_counter() - start
    total = counts["articles"] + sum(skipped.values()) + len(crashes)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"warm-up (data loading + first article): {warmup:.2f} s")
    print(
        f"articles: {total} ({counts['articles']} coded, {sum(skipped.values())} skipped, "
        f"{len(crashes)} crashed), records: {counts['records']}, chars: {chars}"
    )
    print(f"time: {elapsed:.1f} s, {total / elapsed:.1f} articles/s on one core")
    print(f"peak RSS: {peak_mb:.0f} MB")
    for reason, n in skipped.most_common(5):
        print(f"  skipped {n}: {reason}")
    for article_id, error in crashes[:10]:
        print(f"  CRASH {article_id}: {error}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
