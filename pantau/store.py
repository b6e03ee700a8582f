"""The event store: one SQLite file, WAL mode, one writer at a time, many readers.

Layout (see ``pantau/migrations/0001_initial.sql``): ``articles`` (text, content
hash, outlet, coder version, near-duplicate link), ``mentions`` (one row per
coded record: the full record JSON plus indexed columns), ``events`` (fused
mentions), ``entities`` and ``places`` (what mentions point to), ``ingest_runs``
and ``skipped`` (what each run did and why it left inputs out), and two FTS5
indexes over article text and evidence sentences.

The schema is created and upgraded by numbered migrations
(``pantau/migrations/NNNN_name.sql``), each applied in its own transaction and
recorded in ``schema_migrations``; a database newer than this pantau is refused.

Durability: every write is one ``BEGIN IMMEDIATE`` transaction (an article with
its mentions; a fusion pass), so a killed process leaves either all of it or
none. ``synchronous=NORMAL`` in WAL mode keeps committed transactions across a
process crash (only a power cut can lose the last ones) at a fraction of the
cost of an fsync per article.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from pantau.errors import DataError, InputError

DEFAULT_DB = "pantau.db"
ENV_DB = "PANTAU_DB"
_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_BUSY_MS = 60_000  # a reader or second writer waits this long for the write lock


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``path``, else ``$PANTAU_DB``, else ``pantau.db`` here."""
    return Path(path or os.environ.get(ENV_DB) or DEFAULT_DB)


def migrations() -> list[tuple[int, str, str]]:
    """The packaged migrations as ``(version, name, sql)``, in order."""
    found = []
    for item in resources.files("pantau.migrations").iterdir():
        m = _MIGRATION.match(item.name)
        if m:
            found.append((int(m[1]), m[2], item.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise DataError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest migration applied to ``conn``'s database (0 for a new file)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    return conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations ``conn`` lacks; return the schema version reached."""
    known = migrations()
    current = schema_version(conn)
    if current > len(known):
        raise DataError(
            f"the database has schema {current}, this pantau knows up to {len(known)}: "
            "upgrade pantau"
        )
    for version, name, sql in known[current:]:
        with transaction(conn):
            # Re-read under the write lock: another process may have migrated meanwhile.
            if schema_version(conn) >= version:
                continue
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            # executescript() would COMMIT first; run the statements one by one instead.
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, utc_now())
            )
    return schema_version(conn)


def connect(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, readonly: bool = False
) -> sqlite3.Connection:
    """Open the store (WAL mode, migrated to the current schema).

    ``create=False`` refuses a missing file with an :class:`InputError` (what the
    query commands want); ``readonly=True`` makes the connection refuse writes
    after migrating, for readers running beside an ingest.
    """
    file = db_path(path)
    if not file.exists() and not create:
        raise InputError("no such database; run `pantau ingest SOURCE` first", str(file))
    if file.is_dir():
        raise InputError("is a directory, not a database file", str(file))
    try:
        conn = sqlite3.connect(file, timeout=_BUSY_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        if mode.lower() != "wal":
            raise InputError(f"cannot use WAL mode here (journal mode {mode})", str(file))
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"not a usable pantau database: {exc}", str(file)) from None
    if readonly:
        conn.execute("PRAGMA query_only=1")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: ``BEGIN IMMEDIATE`` takes the write lock up front (so two
    writers queue instead of failing on upgrade), COMMIT on success, ROLLBACK on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def start_run(conn: sqlite3.Connection, coder: str, sources: list[str]) -> int:
    """Record a new ingest run; runs left ``running`` by a dead process become ``killed``."""
    with transaction(conn):
        for run_id, pid in conn.execute(
            "SELECT id, pid FROM ingest_runs WHERE status='running'"
        ).fetchall():
            if not _alive(pid):
                conn.execute("UPDATE ingest_runs SET status='killed' WHERE id=?", (run_id,))
        return conn.execute(
            "INSERT INTO ingest_runs(started_at, status, pid, coder, sources) "
            "VALUES (?, 'running', ?, ?, ?)",
            (utc_now(), os.getpid(), coder, json.dumps(sources)),
        ).lastrowid


def finish_run(conn: sqlite3.Connection, run_id: int, status: str, **counts: float) -> None:
    """Close a run with its status (done, interrupted, failed) and counts (column names)."""
    sets = ", ".join(f"{column}=?" for column in counts)
    with transaction(conn):
        conn.execute(
            f"UPDATE ingest_runs SET finished_at=?, status=?, {sets} WHERE id=?",
            (utc_now(), status, *counts.values(), run_id),
        )


def utc_now() -> str:
    """The current UTC time as ISO text (seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def entity_id(conn: sqlite3.Connection, code: str | None, sector: str | None) -> int:
    """The ``entities`` row of (code, sector), created when new."""
    key = (code or "", sector or "")
    row = conn.execute("SELECT id FROM entities WHERE code=? AND sector=?", key).fetchone()
    if row:
        return row[0]
    return conn.execute("INSERT INTO entities(code, sector) VALUES (?, ?)", key).lastrowid


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the main tables (articles, near-duplicates, mentions, events...)."""

    def one(sql: str) -> int:
        return conn.execute(sql).fetchone()[0]

    return {
        "articles": one("SELECT COUNT(*) FROM articles"),
        "near_duplicates": one("SELECT COUNT(*) FROM articles WHERE dup_of IS NOT NULL"),
        "mentions": one("SELECT COUNT(*) FROM mentions"),
        "unfused_mentions": one("SELECT COUNT(*) FROM mentions WHERE event_id IS NULL"),
        "events": one("SELECT COUNT(*) FROM events"),
        "asserted_events": one("SELECT COUNT(*) FROM events WHERE aux = ''"),
        "entities": one("SELECT COUNT(*) FROM entities"),
        "places": one("SELECT COUNT(*) FROM places"),
        "runs": one("SELECT COUNT(*) FROM ingest_runs"),
        "skipped": one("SELECT COUNT(*) FROM skipped"),
    }


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, under another user
    return True


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; ``CREATE TRIGGER ... END;`` stays whole."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise DataError(f"migration ends in an incomplete statement: {buf.strip()[:60]!r}")
    return out
