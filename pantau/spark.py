"""Batch coding on Apache Spark: ``pantau batch --engine spark``.

:func:`code_spark` reads JSONL inputs (files, folders, globs; on any file system Spark
reads: local, HDFS, S3 with the user's Spark configuration, gzipped or not) as text lines,
numbers each line within its file, and codes the articles with the same function as
the local engine (:func:`pantau.batch.code_one`) in ``mapPartitions`` over the lines,
sorted by file and line. The output is a folder of Parquet part files with the schema
of :func:`pantau.batch.schema`, in input order, which ``pantau ingest`` reads as it
reads a local batch file. Records equal those of the local engine one for one; only
``article_source`` names a remote file by its URI.

Executors need nothing but pantau installed (``pip install pantau`` on each node, or a
Python environment shipped with ``spark-submit --archives``); the driver may also ship
the wheel itself with ``spark-submit --py-files pantau-*.whl`` when pantau's
dependencies are already installed on the nodes.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pantau.batch import COLUMNS, BatchReport, code_one, schema
from pantau.errors import InputError, UsageError
from pantau.read import jsonl_line

_JSONL = (".jsonl", ".ndjson", ".json", ".gz", ".bz2")  # Spark decompresses the last two
_GLOB = set("*?[{")

Line = tuple[str, int, str]  # (file, line number from 1, text)


def code_spark(
    inputs: Sequence[str],
    out: str,
    *,
    lang: str | None = None,
    published: dt.date | None = None,
    master: str | None = None,
    partitions: int | None = None,
    spark: Any = None,
    dictionaries: Sequence[str] = (),
) -> BatchReport:
    """Code the JSONL ``inputs`` on Spark into the Parquet folder ``out`` (replaced if it
    exists). ``spark`` is an existing SparkSession, else one is created (``master``
    overrides the Spark configuration's); ``partitions`` (default: twice the default
    parallelism) is how many tasks code the articles. ``lang`` and ``published`` apply
    as in ``pantau code``; ``dictionaries`` are user dictionary files, read here and
    shipped to the executors, which code with them."""
    if not inputs:
        raise UsageError("nothing to code: give at least one INPUT")
    for spec in inputs:
        _check_input(spec)
    from pantau import userdict

    texts = [(str(p), userdict.read_text(p)) for p in dictionaries]
    userdict.load_texts(texts)  # a broken dictionary fails here, before any task
    session = spark or _session(master)
    sc = session.sparkContext
    started = time.monotonic()
    from pyspark.accumulators import AccumulatorParam

    class _Counts(AccumulatorParam):
        def zero(self, value: Counter[str]) -> Counter[str]:
            return Counter()

        def addInPlace(self, a: Counter[str], b: Counter[str]) -> Counter[str]:  # noqa: N802
            a.update(b)
            return a

    from pyspark.errors import AnalysisException

    counts = sc.accumulator(Counter(), _Counts())
    try:
        text = session.read.text(list(inputs)).selectExpr("_metadata.file_path AS file", "value")
    except AnalysisException as exc:  # a path Spark cannot find or read
        raise InputError(str(exc).splitlines()[0]) from None
    raw = text.rdd.map(tuple)
    firsts = _first_lines(raw.mapPartitionsWithIndex(_count_lines).collect())
    lines = raw.mapPartitionsWithIndex(functools.partial(_number, firsts=sc.broadcast(firsts)))
    tasks = partitions or 2 * sc.defaultParallelism
    ordered = lines.sortBy(lambda line: line[:2], numPartitions=tasks)
    code = functools.partial(
        _code_lines, lang=lang, published=published, counts=counts, texts=sc.broadcast(texts)
    )
    rows = ordered.mapPartitions(code)
    session.createDataFrame(rows, spark_schema()).write.mode("overwrite").parquet(out)
    totals = counts.value
    report = BatchReport(out=out, engine=f"spark {sc.master}")
    report.articles, report.records = totals.pop("articles", 0), totals.pop("records", 0)
    report.skipped.update(totals)
    report.seconds = time.monotonic() - started
    return report


def spark_schema() -> Any:
    """:func:`pantau.batch.schema` as a Spark StructType."""
    from pyspark.sql import types as T

    def convert(t: Any) -> Any:
        import pyarrow as pa

        if pa.types.is_string(t):
            return T.StringType()
        if pa.types.is_int64(t):
            return T.LongType()
        if pa.types.is_float64(t):
            return T.DoubleType()
        if pa.types.is_list(t):
            return T.ArrayType(convert(t.value_type))
        if pa.types.is_struct(t):
            return T.StructType([T.StructField(f.name, convert(f.type)) for f in t])
        raise TypeError(f"no Spark type for {t}")

    return T.StructType([T.StructField(f.name, convert(f.type)) for f in schema()])


def _session(master: str | None) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("--engine spark needs pyspark: pip install 'pantau[spark]'") from None
    builder = SparkSession.builder.appName("pantau batch")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # local workers run this very Python, where pantau is installed
        builder = builder.config("spark.pyspark.python", sys.executable)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: no Java, bad master URL
        raise UsageError(f"cannot start Spark: {exc}".splitlines()[0]) from None


def _check_input(spec: str) -> None:
    """Refuse, before Spark starts, a local input that is missing or not JSONL."""
    scheme = urlsplit(spec).scheme
    if len(scheme) > 1 and scheme != "file":
        return  # hdfs://, s3a://...: Spark says what is wrong with it
    path = Path(unquote(urlsplit(spec).path) if scheme == "file" else spec)
    if path.is_file() and not path.name.lower().endswith(_JSONL):
        raise UsageError(
            f"{spec}: --engine spark reads JSONL (one article per line); code CSV, WARC "
            "and folders of articles with the local engine"
        )
    if not path.exists() and _GLOB.isdisjoint(str(path)):
        raise InputError("no such file or folder", spec)


def _count_lines(partition: int, rows: Iterable[tuple[str, str]]) -> Iterator[tuple]:
    """(partition, file, lines): how many lines of each file this partition holds."""
    per_file: Counter[str] = Counter(file for file, _ in rows)
    return iter([(partition, file, n) for file, n in per_file.items()])


def _first_lines(counts: list[tuple[int, str, int]]) -> dict[tuple[int, str], int]:
    """(partition, file) -> number of the partition's first line of the file. Spark
    splits a file into consecutive ranges and keeps their order across partitions."""
    firsts: dict[tuple[int, str], int] = {}
    seen: Counter[str] = Counter()
    for partition, file, n in sorted(counts):
        firsts[(partition, file)] = seen[file] + 1
        seen[file] += n
    return firsts


def _number(partition: int, rows: Iterable[tuple[str, str]], firsts: Any) -> Iterator[Line]:
    next_line: dict[str, int] = {}
    for file, value in rows:
        n = next_line.get(file) or firsts.value[(partition, file)]
        next_line[file] = n + 1
        yield file, n, value


def _code_lines(
    lines: Iterable[Line], lang: str | None, published: dt.date | None, counts: Any, texts: Any
) -> Iterator[tuple]:
    """Rows (tuples in :data:`pantau.batch.COLUMNS` order) of the articles on ``lines``,
    coded with the broadcast user dictionaries (active for this partition only)."""
    from pantau import userdict, verbdict

    actors, verbs = userdict.load_texts(texts.value)
    with userdict.using(*actors), verbdict.using(*verbs):
        yield from _coded_rows(lines, lang, published, counts)


def _coded_rows(
    lines: Iterable[Line], lang: str | None, published: dt.date | None, counts: Any
) -> Iterator[tuple]:
    done: Counter[str] = Counter()
    for file, n, value in lines:
        if not value.strip():
            continue
        name = _local(file)
        stem = Path(name).stem
        item = jsonl_line(value.encode("utf-8"), n, name, stem, lang=lang, published=published)
        if isinstance(item, InputError):
            done["input"] += 1
            continue
        rows, skipped, _ = code_one(item)
        if skipped:
            done[skipped] += 1
            continue
        done["articles"] += 1
        done["records"] += len(rows)
        for row in rows:
            yield tuple(row[k] for k in COLUMNS)
    counts.add(done)


def _local(uri: str) -> str:
    """A file:// URI as the local path the local engine would name; others unchanged."""
    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" else uri
