"""Benchmark: throughput of the command line on one core, two workers and Spark local[2].

    python bench/bench_throughput.py                  # CLICK-ID from ../shared/corpora
    python bench/bench_throughput.py --limit 1000     # the first 1,000 articles
    python bench/bench_throughput.py --no-spark       # without the Spark run
    python bench/bench_throughput.py corpus.jsonl

Each measurement runs the real command in a fresh process and reports wall-clock
articles per second (start-up, reading and writing included) and the peak resident
memory of the whole process tree (Spark: the JVM and its Python workers):

- ``pantau code CORPUS --input-format jsonl`` (one process, one core);
- ``pantau batch CORPUS --workers 2`` (two worker processes);
- ``pantau batch --engine spark --master local[2] CORPUS`` (skipped without pyspark/Java);
- a cold ``pantau code`` of one example article (best and median of five runs).

It ends with the cores needed to keep up with 100,000 and 1,000,000 articles a day at
the one-core rate. Other load on the machine slows every figure: the load average at
the start is printed with the machine's details.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "id-clickid-2019-politik-intl" / "articles.jsonl"
EXAMPLE = ROOT / "examples" / "kazakhstan-2022-01-08.id.txt"
PANTAU = [sys.executable, "-m", "pantau.cli"]
DAY = 86_400


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of ``pid`` and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


def run(cmd: list[str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, int]:
    """Wall seconds and peak tree RSS (bytes, sampled every 50 ms) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return elapsed, peak


def spark_ready() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load:.2f} at start"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS), help="a JSONL corpus")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark run")
    args = parser.parse_args()
    corpus = Path(args.corpus).resolve()
    if not corpus.is_file():
        sys.exit(f"no corpus at {corpus} (give a JSONL file)")
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = [ln for ln in lines if ln.strip()][: args.limit or None]
        data = work / "corpus.jsonl"
        data.write_text("".join(lines), encoding="utf-8")
        n = len(lines)
        print(f"corpus: {corpus.name}, {n:,} articles\n")
        print(f"{'run':<40} {'seconds':>8} {'articles/s':>11} {'peak RSS':>9}")

        def show(name: str, seconds: float, rss: int) -> float:
            rate = n / seconds
            print(f"{name:<40} {seconds:8.1f} {rate:11.0f} {rss / 2**20:7.0f} MB")
            return rate

        cmd = [*PANTAU, "code", str(data), "--input-format", "jsonl"]
        one = show("pantau code (one process, one core)", *run(cmd))
        out = work / "out.parquet"
        cmd = [*PANTAU, "batch", str(data), "--out", str(out), "--no-progress"]
        show("pantau batch --workers 1", *run([*cmd, "--workers", "1"]))
        show("pantau batch --workers 2", *run([*cmd, "--workers", "2"]))
        if args.no_spark or not spark_ready():
            print(f"{'pantau batch --engine spark local[2]':<40} skipped (no pyspark or Java)")
        else:
            spark = [*PANTAU, "batch", "--engine", "spark", "--master", "local[2]", str(data)]
            show("pantau batch --engine spark local[2]", *run([*spark, "--out", str(work / "sp")]))

    cold = [*PANTAU, "code", str(EXAMPLE), "--published", "2022-01-08"]
    times = sorted(run(cold)[0] for _ in range(5))
    print(
        f"\ncold `pantau code` of one article: best {times[0]:.2f} s, "
        f"median {statistics.median(times):.2f} s (of 5)"
    )
    for per_day in (100_000, 1_000_000):
        cores = per_day / DAY / one
        print(f"{per_day:>9,} articles/day need {cores:.3f} cores at {one:.0f} articles/s/core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
