"""Batch coding: a corpus in, its event records out as Parquet, on every core of a machine.

:func:`code_batch` is the library behind ``pantau batch``. Its inputs are read the way
``pantau ingest`` reads sources (:func:`pantau.sources.open_source`: JSONL, CSV, WARC,
folders of .txt/.html files...). Articles go to worker processes in small chunks and
their records come back in input order, so the Parquet file is the same, byte for byte,
whatever the number of workers. :mod:`pantau.spark` runs the same coding function
(:func:`code_one`) on Apache Spark.

The Parquet file has one row per record: the record's fields (``spec/events.md``) as
columns in the record's order, nested values as Arrow structs and lists
(:func:`schema`), and three columns about the article: ``article_source`` (where it was
read, "corpus.jsonl:12"), ``article_text`` and ``article_outlet``, so that ``pantau
ingest OUT.parquet`` (:func:`open_input`, :func:`read_batch`) stores the articles and
their mentions without coding them again. An article without records has no row, so
it is not stored either.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pantau.document import Article
from pantau.errors import InputError, LanguageError, PantauError, UsageError
from pantau.pipeline import code_article

if TYPE_CHECKING:
    from pantau.sources import Source

CHUNK = 16  # articles per task: large enough to hide the cost of a round trip
ROW_GROUP = 2_000  # records per Parquet row group: the writer holds one in memory
EXAMPLES = 5  # skip reasons kept per kind for the report

# The record contract, field for field and in the order record.py writes them (a row read
# back is the same record, and its JSON the same text), then the article's columns.
RECORD_FIELDS = (
    "id", "version", "date", "date_text", "date_precision", "event", "mode", "context",
    "actor", "recipient", "event_loc", "dead", "injured", "arrested", "size", "quad_code",
    "event_scale", "cameo", "signals", "event_text", "text_info", "sentence", "attribution",
    "via", "article", "coder",
)  # fmt: skip
ARTICLE_COLUMNS = ("article_source", "article_text", "article_outlet")
COLUMNS = RECORD_FIELDS + ARTICLE_COLUMNS


@functools.cache
def schema() -> Any:  # -> pyarrow.Schema
    """The Arrow schema of batch output: :data:`COLUMNS` with the record's nested shapes
    as structs and lists. Built on first use, so that worker processes, which only
    code, never load pyarrow."""
    import pyarrow as pa

    text, words, number = pa.string(), pa.list_(pa.string()), pa.int64()
    names = ("code", "sector", "entity_text", "identifier_text", "office")
    entity = pa.struct([(k, text) for k in names])
    location = pa.struct(
        [("text", text), ("name", text), ("geonameid", number), ("country", text),
         ("admin1", text), ("lat", pa.float64()), ("lon", pa.float64()), ("precision", text)]
    )  # fmt: skip
    offsets = ("sequence", "start", "end", "trigger_start", "trigger_end")
    article = ("id", "url", "published", "lang", "title")
    types = dict.fromkeys(COLUMNS, text)
    types.update(dict.fromkeys(("event", "mode", "context", "signals", "via"), words))
    types.update(dict.fromkeys(("dead", "injured", "arrested", "size", "quad_code"), number))
    types.update(actor=pa.list_(entity), recipient=pa.list_(entity), attribution=entity)
    types.update(event_loc=location, event_scale=pa.float64())
    types.update(text_info=pa.struct([(k, number) for k in offsets]))
    types.update(article=pa.struct([(k, text) for k in article]))
    return pa.schema(list(types.items()))


@dataclass
class BatchReport:
    """What one batch run did."""

    out: str
    engine: str  # "2 workers", "spark local[2]"
    articles: int = 0  # coded (with or without records)
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # input | language | failed
    examples: dict[str, list[str]] = field(default_factory=dict)  # kind -> "source: reason"
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Articles coded per second (wall clock, reading and writing included)."""
        return self.articles / self.seconds if self.seconds else 0.0

    def skip(self, kind: str, reason: str) -> None:
        self.skipped[kind] += 1
        examples = self.examples.setdefault(kind, [])
        if len(examples) < EXAMPLES:
            examples.append(reason)


# What coding one article gave: its rows, or the kind of skip and its reason.
Outcome = tuple[list[dict[str, Any]], str | None, str]


def code_one(article: Article) -> Outcome:
    """Code ``article`` into Parquet rows (:func:`rows_of`); an article that cannot be
    coded is a skip (``input`` or ``language``), a coder crash a ``failed`` one: a batch
    records it and goes on, as ``pantau ingest`` does."""
    try:
        records = code_article(article)
    except InputError as exc:
        kind = "language" if isinstance(exc, LanguageError) else "input"
        return [], kind, _reason(article.source, str(exc))
    except PantauError:
        raise  # broken packaged data: every article would fail the same way
    except Exception as exc:  # noqa: BLE001 - a coder bug must not stop a corpus
        return [], "failed", f"{article.source}: coder error {type(exc).__name__}: {exc}"
    return rows_of(article, records), None, ""


def rows_of(article: Article, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parquet rows (:data:`COLUMNS`) of one article's records."""
    extra = {
        "article_source": article.source,
        "article_text": article.text,
        "article_outlet": article.outlet,
    }
    return [{**record, **extra} for record in records]


def record_of(row: dict[str, Any]) -> dict[str, Any]:
    """The record of a Parquet row, its fields in the record's own order."""
    return {name: row[name] for name in RECORD_FIELDS}


def code_batch(
    inputs: Sequence[str],
    out: str | os.PathLike[str],
    *,
    workers: int | None = None,
    kind: str | None = None,
    lang: str | None = None,
    published: dt.date | None = None,
    progress: bool = False,
    dictionaries: Sequence[str] = (),
) -> BatchReport:
    """Code every article of ``inputs`` into the Parquet file ``out`` (see the module
    docstring) with ``workers`` processes (default: one per core).

    ``kind``, ``lang`` and ``published`` apply as in ``pantau ingest``; ``dictionaries``
    are user dictionary files (:func:`pantau.userdict.load_any`) every worker uses. Whole-input
    problems raise :class:`InputError` before anything is written; the file appears
    only once complete.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not inputs:
        raise UsageError("nothing to code: give at least one INPUT")
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    target = Path(out)
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give the Parquet file to write")
    from pantau import userdict

    userdict.load_any(list(dictionaries))  # unreadable dictionaries fail before any work
    opened = [open_input(spec, kind, lang=lang, published=published) for spec in inputs]
    for source in opened:
        if source.kind == "parquet":
            raise UsageError(f"{source.name}: already coded; load it with `pantau ingest`")
    report = BatchReport(out=str(target), engine=f"{workers} worker" + "s" * (workers > 1))
    started = time.monotonic()
    items = (item for source in opened for item in source.items)
    partial = target.with_name(target.name + ".part")
    bar = _bar(progress)
    try:
        with pq.ParquetWriter(partial, schema(), compression="zstd") as writer:
            rows: list[dict[str, Any]] = []
            for outcome in _outcomes(items, workers, report, tuple(dictionaries)):
                got, skipped, reason = outcome
                bar.update(1)
                if skipped:
                    report.skip(skipped, reason)
                    continue
                report.articles += 1
                report.records += len(got)
                rows.extend(got)
                if len(rows) >= ROW_GROUP:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema()))
                    rows = []
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema()))
        partial.replace(target)
    finally:
        bar.close()
        partial.unlink(missing_ok=True)
    report.seconds = time.monotonic() - started
    return report


def _outcomes(
    items: Iterator[Article | InputError],
    workers: int,
    report: BatchReport,
    dictionaries: tuple[str, ...] = (),
) -> Iterator[Outcome]:
    """Outcomes of the articles of ``items`` in input order; bad input items become
    ``input`` skips in ``report`` directly."""
    from pantau import userdict

    chunks = _chunks(items, report)
    if workers == 1:
        with userdict.using_files(list(dictionaries)):
            for chunk in chunks:
                yield from map(code_one, chunk)
        return
    import multiprocessing

    # "spawn": workers start clean (no copy of the parent's threads or open files) on
    # every platform; each loads the data of the languages it meets on first use.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_use_dictionaries, initargs=(dictionaries,)
    ) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_code_chunk, chunk))
            if len(pending) >= 2 * workers:  # bounded: a corpus is never all in memory
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunks(items: Iterator[Article | InputError], report: BatchReport) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        if isinstance(item, InputError):
            report.skip("input", str(item))
            continue
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _use_dictionaries(paths: tuple[str, ...]) -> None:
    """Worker start: the user dictionaries stay active for the worker's life."""
    from pantau import userdict, verbdict

    actors, verbs = userdict.load_any(list(paths))
    userdict.activate(*actors)
    verbdict.activate(*verbs)


def _code_chunk(chunk: list[Article]) -> list[Outcome]:
    return [code_one(article) for article in chunk]


@dataclass
class Coded:
    """An article coded by ``pantau batch``, with its records: ``pantau ingest`` stores
    them as they are (it reads ``lang`` and ``records`` as from a coded Document)."""

    article: Article
    records: list[dict[str, Any]]
    lang: str | None = None


def open_input(spec: str, kind: str | None = None, **options: Any) -> Source:
    """:func:`pantau.sources.open_source`, or for batch output (a ``.parquet`` file, or a
    folder of them as Spark writes it; ``kind="parquet"``) its articles as :class:`Coded`."""
    from pantau.sources import Source, open_source

    path = Path(spec)
    if kind is None and (path.suffix.lower() == ".parquet" or any(path.glob("*.parquet"))):
        kind = "parquet"
    if kind != "parquet":
        return open_source(spec, kind, **options)
    coded = (Coded(article, records, article.lang) for article, records in read_batch(spec))
    return Source(spec, kind, None, coded)


def read_batch(path: str | os.PathLike[str]) -> Iterator[tuple[Article, list[dict[str, Any]]]]:
    """The articles of a batch output (a Parquet file, or a folder of part files as Spark
    writes it) with their records, one article at a time, in file order. A path that is
    not batch output raises :class:`InputError` here, before anything is read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        files = [pq.ParquetFile(name) for name in sorted(pq.ParquetDataset(str(path)).files)]
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"not a readable Parquet file or folder: {exc}", str(path)) from None
    for parquet in files:
        missing = set(COLUMNS) - set(parquet.schema_arrow.names)
        if missing:
            columns = ", ".join(sorted(missing))
            raise InputError(f"not pantau batch output (no column {columns})", str(path))
    return _articles(files)


def _articles(files: list[Any]) -> Iterator[tuple[Article, list[dict[str, Any]]]]:
    for parquet in files:
        article: Article | None = None
        records: list[dict[str, Any]] = []
        for batch in parquet.iter_batches(columns=list(COLUMNS)):
            for row in batch.to_pylist():
                record = record_of(row)
                # an article's rows are consecutive; a record id seen again is another
                # article read from the same place (an input given twice)
                if article is None or not _same_article(article, records, row, record):
                    if article is not None:
                        yield article, records
                    article, records = _article(row), []
                records.append(record)
        if article is not None:
            yield article, records


def _same_article(
    article: Article, records: list[dict[str, Any]], row: dict[str, Any], record: dict[str, Any]
) -> bool:
    return (
        article.source == row["article_source"]
        and article.text == row["article_text"]
        and all(r["id"] != record["id"] for r in records)
    )


def _article(row: dict[str, Any]) -> Article:
    meta = row["article"] or {}
    published = meta.get("published")
    return Article(
        id=meta.get("id") or row["article_source"],
        text=row["article_text"],
        source=row["article_source"],
        published=dt.date.fromisoformat(published) if published else None,
        lang=meta.get("lang"),
        url=meta.get("url"),
        title=meta.get("title"),
        outlet=row["article_outlet"],
    )


def _reason(source: str, message: str) -> str:
    return message if message.startswith(source) else f"{source}: {message}"


def _bar(enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(unit=" articles", disable=not enabled, file=sys.stderr)
