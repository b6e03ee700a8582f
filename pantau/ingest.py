"""Ingest sources into the event store: code every article once, store it, fuse events.

:func:`ingest` is the library behind ``pantau ingest``. For each article of each
source (:mod:`pantau.sources`):

1. its content hash (:func:`pantau.dedup.content_hash`) is looked up: an article
   already stored is skipped (``already``), unless ``recode=True``;
2. it is coded (:func:`pantau.pipeline.process`); an article that cannot be
   (another language, no text) is *skipped* and a coder crash *failed*, both
   recorded with their reason in ``skipped``;
3. its MinHash is matched against the originals stored so far: a near-duplicate
   is stored, linked to its original (``articles.dup_of``), and counted with it;
4. the article, its mentions (the full record JSON and indexed columns), their
   entities, places and signals, and the fusion blocks they touch are written in
   ONE transaction: a crash leaves the article entirely stored or not at all.

Every ``fuse_every`` articles and at the end, a fusion pass
(:func:`pantau.fusion.fuse`) recomputes the events of the blocks that changed.
Blocks left pending by a killed run are fused by the next one, so re-running the
same command after a crash resumes where it stopped and ends as a clean run would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pantau import __version__, dedup, fusion, store
from pantau.batch import Coded, open_input
from pantau.document import Article
from pantau.errors import InputError, LanguageError, PantauError, UsageError
from pantau.pipeline import process
from pantau.sources import Fetcher, Item, outlet_of

CODER = f"pantau {__version__}"
_EXAMPLES = 5  # skip reasons kept per kind for the summary


@dataclass
class IngestReport:
    """What one ingest run did (also stored in ``ingest_runs``)."""

    run_id: int
    db: str
    coded: int = 0
    recoded: int = 0
    mentions: int = 0
    already: int = 0
    near_duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # kind -> count
    examples: dict[str, list[str]] = field(default_factory=dict)  # kind -> "source: reason"
    failed: int = 0
    seconds: float = 0.0
    fusion: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)  # store.counts() at the end

    @property
    def rate(self) -> float:
        """Articles coded and stored per second (wall clock, fusion included)."""
        return (self.coded + self.recoded) / self.seconds if self.seconds else 0.0


def ingest(
    sources: Sequence[str],
    db: str | os.PathLike[str] | None = None,
    *,
    kind: str | None = None,
    lang: str | None = None,
    published: dt.date | None = None,
    recode: bool = False,
    fetch: bool = True,
    fetcher: Fetcher | None = None,
    progress: bool = False,
    fuse_every: int = 2000,
) -> IngestReport:
    """Code and store every article of ``sources`` in the database ``db``, then fuse.

    ``kind`` forces the source format (see :data:`pantau.sources.KINDS`); ``lang``
    and ``published`` apply as in ``pantau code``. ``recode=True`` re-codes
    articles already stored; with no ``sources`` it re-codes, from their stored
    text, the articles coded by another pantau version. ``progress`` shows a bar
    on stderr. Whole-source problems raise :class:`InputError` before anything is
    written.
    """
    if not sources and not recode:
        raise UsageError("nothing to ingest: give at least one SOURCE")
    if fuse_every < 1:
        raise UsageError("fuse_every must be at least 1")
    opened = [
        open_input(s, kind, lang=lang, published=published, fetch=fetch, fetcher=fetcher)
        for s in sources
    ]
    conn = store.connect(db)
    started = time.monotonic()
    run_id = store.start_run(conn, CODER, list(sources))
    report = IngestReport(run_id=run_id, db=str(store.db_path(db)))
    writer = _Writer(conn, report)
    if opened:
        known = [s.total for s in opened]
        total = sum(known) if None not in known else None  # type: ignore[arg-type]
        items: Iterator[Item] = (item for s in opened for item in s.items)
    else:
        outdated = "SELECT COUNT(*) FROM articles WHERE coder != ?"
        total = conn.execute(outdated, (CODER,)).fetchone()[0]
        items = _stored_articles(conn)
    status = "failed"
    bar = _bar(total, progress)
    try:
        for n, item in enumerate(items, 1):
            writer.add(item, recode=recode)
            bar.update(1)
            if n % 50 == 0:
                bar.set_postfix(coded=report.coded, skipped=sum(report.skipped.values()))
            if n % fuse_every == 0:
                writer.fuse()
        writer.fuse()
        bar.set_postfix(coded=report.coded, skipped=sum(report.skipped.values()))
        status = "done"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        bar.close()
        report.seconds = time.monotonic() - started
        store.finish_run(
            conn,
            run_id,
            status,
            coded=report.coded,
            recoded=report.recoded,
            mentions=report.mentions,
            already=report.already,
            near_dups=report.near_duplicates,
            skipped=sum(report.skipped.values()),
            failed=report.failed,
            seconds=round(report.seconds, 3),
        )
        report.totals = store.counts(conn)
        conn.close()
    return report


class _Writer:
    """The single writer of one ingest: one transaction per article, a fusion pass on demand."""

    def __init__(self, conn: sqlite3.Connection, report: IngestReport) -> None:
        self.conn = conn
        self.report = report
        self.near = dedup.NearDuplicates()
        # Originals only: a copy of a copy is linked to the first original it resembles.
        self.near.load(
            conn.execute(
                "SELECT id, minhash FROM articles WHERE dup_of IS NULL AND minhash NOT NULL"
            )
        )
        self._entities: dict[tuple[str, str], int] = {}
        self._places: dict[str, int] = {}

    def add(self, item: Item, *, recode: bool) -> None:
        if isinstance(item, InputError):
            self._skip(_where(item), "input", str(item))
            return
        coded = item if isinstance(item, Coded) else None  # `pantau batch` output
        item = coded.article if coded else item
        digest = dedup.content_hash(item.text)
        row = self.conn.execute("SELECT id FROM articles WHERE hash=?", (digest,)).fetchone()
        if row is not None and not recode:
            self.report.already += 1
            return
        try:
            doc = coded or process(item)
        except LanguageError as exc:
            self._skip(item.source, "language", str(exc))
            return
        except InputError as exc:
            self._skip(item.source, "input", str(exc))
            return
        except PantauError:
            raise  # broken packaged data: every article would fail the same way
        except Exception as exc:  # a coder bug must not stop a corpus; it is recorded
            self._skip(item.source, "failed", f"coder error {type(exc).__name__}: {exc}")
            return
        with store.transaction(self.conn):
            if row is None:
                # Another ingest may have stored it while this one was coding.
                row = self.conn.execute(
                    "SELECT id FROM articles WHERE hash=?", (digest,)
                ).fetchone()
                if row is not None and not recode:
                    self.report.already += 1
                    return
            if row is None:
                article_id = self._insert_article(item, digest, doc.lang)
                self.report.coded += 1
            else:
                article_id = row[0]
                self._forget_mentions(article_id)
                self.conn.execute(
                    "UPDATE articles SET coder=?, run_id=?, lang=? WHERE id=?",
                    (CODER, self.report.run_id, doc.lang, article_id),
                )
                self.report.recoded += 1
            for record in doc.records:
                self._insert_mention(article_id, record)
            self.report.mentions += len(doc.records)

    def fuse(self) -> None:
        with store.transaction(self.conn):
            done = fusion.fuse(self.conn)
        for key, value in done.items():
            self.report.fusion[key] = self.report.fusion.get(key, 0) + value

    def _skip(self, source: str, kind: str, reason: str) -> None:
        self.report.skipped[kind] += 1
        if kind == "failed":
            self.report.failed += 1
        examples = self.report.examples.setdefault(kind, [])
        if len(examples) < _EXAMPLES:
            examples.append(reason if reason.startswith(source) else f"{source}: {reason}")
        with store.transaction(self.conn):
            self.conn.execute(
                "INSERT INTO skipped(run_id, source, kind, reason) VALUES (?, ?, ?, ?)",
                (self.report.run_id, source, kind, reason),
            )

    def _insert_article(self, article: Article, digest: str, lang: str) -> int:
        sig = dedup.signature(article.text)
        match = self.near.match(sig) if sig is not None else None
        article_id = self.conn.execute(
            """INSERT INTO articles(hash, ext_id, source, url, outlet, title, published, lang,
                   text, coder, run_id, ingested_at, dup_of, dup_score, minhash)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                digest,
                article.id,
                article.source,
                article.url,
                article.outlet or outlet_of(article.url),
                article.title,
                article.published.isoformat() if article.published else None,
                lang or article.lang,
                article.text,
                CODER,
                self.report.run_id,
                store.utc_now(),
                match[0] if match else None,
                round(match[1], 4) if match else None,
                dedup.to_bytes(sig) if sig is not None else None,
            ),
        ).lastrowid
        if match:
            self.report.near_duplicates += 1
        elif sig is not None:
            # Only originals are indexed: a copy links to the original, never to a copy.
            self.near.add(article_id, sig)
        return article_id

    def _forget_mentions(self, article_id: int) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO fusion_queue SELECT DISTINCT block FROM mentions "
            "WHERE article_id=?",
            (article_id,),
        )
        self.conn.execute("DELETE FROM mentions WHERE article_id=?", (article_id,))

    def _insert_mention(self, article_id: int, record: dict[str, Any]) -> None:
        loc = record.get("event_loc") or {}
        info = record.get("text_info") or {}
        block = fusion.block_key(record)
        aux = block.split("|")[1]
        mention_id = self.conn.execute(
            """INSERT INTO mentions(article_id, record_id, block, type, mode, aux, cameo,
                   actor_codes, actor_sectors, recipient_codes, recipient_sectors, country,
                   place_id, geonameid, place_name, admin1, lat, lon, loc_precision, date,
                   date_precision, signals, sequence, sent_start, sent_end, trigger_start,
                   trigger_end, sentence, record_json)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                       ?, ?, ?, ?)""",
            (
                article_id,
                record["id"],
                block,
                record["event"][0],
                (record.get("mode") or [""])[0],
                aux,
                record.get("cameo"),
                _codes(record.get("actor")),
                _sectors(record.get("actor")),
                _codes(record.get("recipient")),
                _sectors(record.get("recipient")),
                loc.get("country"),
                self._place_id(loc) if loc else None,
                loc.get("geonameid"),
                loc.get("name"),
                loc.get("admin1"),
                loc.get("lat"),
                loc.get("lon"),
                loc.get("precision"),
                record.get("date"),
                record.get("date_precision"),
                " ".join(record.get("signals") or []),
                info.get("sequence"),
                info.get("start"),
                info.get("end"),
                info.get("trigger_start"),
                info.get("trigger_end"),
                record.get("sentence") or "",
                json.dumps(record, ensure_ascii=False),
            ),
        ).lastrowid
        links = [("actor", e) for e in record.get("actor") or []]
        links += [("recipient", e) for e in record.get("recipient") or []]
        if record.get("attribution"):
            links.append(("attribution", record["attribution"]))
        self.conn.executemany(
            "INSERT INTO mention_entities(mention_id, role, entity_id, text) VALUES (?, ?, ?, ?)",
            [(mention_id, role, self._entity_id(e), e.get("entity_text")) for role, e in links],
        )
        self.conn.executemany(
            "INSERT INTO mention_signals(mention_id, signal) VALUES (?, ?)",
            [(mention_id, s) for s in record.get("signals") or []],
        )
        self.conn.execute("INSERT OR IGNORE INTO fusion_queue(block) VALUES (?)", (block,))

    def _entity_id(self, entity: dict[str, Any]) -> int:
        key = (entity.get("code") or "", entity.get("sector") or "")
        if key not in self._entities:
            self._entities[key] = store.entity_id(self.conn, *key)
        return self._entities[key]

    def _place_id(self, loc: dict[str, Any]) -> int:
        key = "|".join(str(loc.get(k) or "") for k in ("geonameid", "name", "country", "precision"))
        if key not in self._places:
            self.conn.execute(
                """INSERT OR IGNORE INTO places(key, geonameid, name, country, admin1, lat, lon,
                       precision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    key,
                    loc.get("geonameid"),
                    loc.get("name"),
                    loc.get("country"),
                    loc.get("admin1"),
                    loc.get("lat"),
                    loc.get("lon"),
                    loc.get("precision"),
                ),
            )
            row = self.conn.execute("SELECT id FROM places WHERE key=?", (key,)).fetchone()
            self._places[key] = row[0]
        return self._places[key]


def _stored_articles(conn: sqlite3.Connection) -> Iterator[Article]:
    """Articles coded by another pantau version, rebuilt from the store (for ``--recode``)."""
    ids = [
        r[0] for r in conn.execute("SELECT id FROM articles WHERE coder != ? ORDER BY id", (CODER,))
    ]
    for article_id in ids:
        r = conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        yield Article(
            id=r["ext_id"],
            text=r["text"],
            source=r["source"],
            published=dt.date.fromisoformat(r["published"]) if r["published"] else None,
            lang=r["lang"],
            url=r["url"],
            title=r["title"],
            outlet=r["outlet"],
        )


def _bar(total: int | None, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit=" articles", disable=not enabled, file=sys.stderr)


def _codes(entities: list[dict[str, Any]] | None) -> str:
    return " ".join(sorted({e["code"] for e in entities or [] if e.get("code")}))


def _sectors(entities: list[dict[str, Any]] | None) -> str:
    return " ".join(e["sector"] for e in entities or [] if e.get("sector"))


def _where(error: InputError) -> str:
    return f"{error.source}:{error.line}" if error.line is not None else str(error.source)
