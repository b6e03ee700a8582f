"""The event store: migrations, WAL readers beside a writer, and surviving kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pantau import store
from pantau.errors import DataError, InputError
from pantau.ingest import ingest
from pantau.query import find_events, stats

CITIES = [
    ("Nairobi", "Kenya", "Kenya"),
    ("Kampala", "Uganda", "Uganda"),
    ("Lima", "Peru", "Peru"),
    ("Dhaka", "Bangladesh", "Bangladesh"),
    ("Colombo", "Sri Lanka", "Sri Lanka"),
    ("Bishkek", "Kirgistan", "Kyrgyzstan"),
    ("Tbilisi", "Georgia", "Georgia"),
    ("Dakar", "Senegal", "Senegal"),
]
TEMPLATES = [
    (
        "id",
        "Polisi {id} menangkap {n} pengunjuk rasa di {city} pada Senin ({day}/3/2024).\n"
        "Ribuan warga {id} berunjuk rasa menolak kenaikan harga bahan bakar sejak pagi.",
    ),
    (
        "en",
        "Police in {en} arrested {n} protesters in {city} on Monday.\n"
        "Thousands of people in {en} protested against higher fuel prices, witnesses said.",
    ),
]


def write_corpus(path: Path, size: int) -> Path:
    """``size`` distinct short articles written for this test (JSONL)."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(size):
            city, name_id, name_en = CITIES[i % len(CITIES)]
            lang, template = TEMPLATES[(i // len(CITIES)) % len(TEMPLATES)]
            day = 4 + i % 20
            text = template.format(id=name_id, en=name_en, city=city, n=10 + i, day=day)
            row = {
                "id": f"gen-{i}",
                "lang": lang,
                "published": f"2024-03-{day:02d}",
                "url": f"https://outlet{i % 5}.example.com/{i}",
                "text": text,
            }
            f.write(json.dumps(row) + "\n")
    return path


def snapshot(path: Path) -> dict[str, object]:
    """Everything a resumed ingest must reproduce, by content (not by row ids)."""
    conn = store.connect(path, readonly=True)
    mentions = conn.execute(
        "SELECT a.hash, m.record_id, m.event_id FROM mentions m JOIN articles a "
        "ON a.id = m.article_id"
    ).fetchall()
    events = conn.execute("SELECT id, num_mentions, num_articles, num_sources FROM events")
    return {
        "articles": sorted(r[0] for r in conn.execute("SELECT hash FROM articles")),
        "mentions": sorted(tuple(r) for r in mentions),
        "events": sorted(tuple(r) for r in events),
        "unfused": conn.execute("SELECT COUNT(*) FROM mentions WHERE event_id IS NULL").fetchone()[
            0
        ],
    }


def start_ingest(corpus: Path, db: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pantau.cli", "ingest", str(corpus), "--db", str(db)]
    cmd += ["--no-progress", "--fuse-every", "20"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_articles(db: Path, count: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                n = 0  # schema not created yet
            if n >= count:
                return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    pytest.fail("ingest too slow to reach the kill point")


def test_new_database_is_migrated_and_in_wal_mode(tmp_path):
    conn = store.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version(conn) == len(store.migrations())
    applied = conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [tuple(r) for r in applied][0] == (1, "initial")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "mentions", "events", "entities", "places", "ingest_runs"} <= tables
    assert {"articles_fts", "mentions_fts"} <= tables
    assert store.migrate(conn) == len(store.migrations())  # idempotent


def test_database_from_a_newer_pantau_is_refused(tmp_path):
    conn = store.connect(tmp_path / "future.db")
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    conn.close()
    with pytest.raises(DataError, match="upgrade pantau"):
        store.connect(tmp_path / "future.db")


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: None, "no such database"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"not sqlite at all " * 200), "not a usable pantau database"),
    ],
)
def test_bad_database_paths_give_input_errors(tmp_path, setup, message):
    path = tmp_path / "x.db"
    setup(path)
    with pytest.raises(InputError, match=message):
        store.connect(path, create=False)


def test_db_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PANTAU_DB", str(tmp_path / "env.db"))
    assert store.db_path() == tmp_path / "env.db"
    assert store.db_path("given.db") == Path("given.db")
    monkeypatch.delenv("PANTAU_DB")
    assert store.db_path() == Path("pantau.db")


def test_readonly_connection_refuses_writes(tmp_path):
    store.connect(tmp_path / "r.db").close()
    reader = store.connect(tmp_path / "r.db", readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        reader.execute("DELETE FROM articles")


def test_reader_queries_while_an_ingest_writes(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 120)
    db = tmp_path / "live.db"
    proc = start_ingest(corpus, db)
    wait_for_articles(db, 1, proc)
    reader = store.connect(db, create=False, readonly=True)
    seen = []
    while proc.poll() is None:
        seen.append(store.counts(reader)["articles"])
        find_events(reader, type="COERCE", limit=5)
        stats(reader, "country")
        time.sleep(0.02)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    seen.append(store.counts(reader)["articles"])
    assert seen == sorted(seen)  # a reader never sees rows go back
    assert len(set(seen)) > 2  # ... and it saw the ingest progress
    assert seen[-1] == 120


def test_kill_minus_nine_then_resume_equals_a_clean_run(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 160)
    clean = tmp_path / "clean.db"
    ingest([str(corpus)], clean)
    expected = snapshot(clean)

    db = tmp_path / "killed.db"
    proc = start_ingest(corpus, db)
    wait_for_articles(db, 40, proc)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    conn = store.connect(db, create=False)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    killed = snapshot(db)
    assert 40 <= len(killed["articles"]) < 160
    # No partial article: each stored article has exactly the mentions a clean run gives it.
    records = {}
    for digest, record_id, _ in expected["mentions"]:
        records.setdefault(digest, set()).add(record_id)
    got = {}
    for digest, record_id, _ in killed["mentions"]:
        got.setdefault(digest, set()).add(record_id)
    assert all(got.get(h, set()) == records.get(h, set()) for h in killed["articles"])
    # Mentions left unfused are queued for the next pass.
    pending = conn.execute(
        "SELECT COUNT(*) FROM mentions WHERE event_id IS NULL "
        "AND block NOT IN (SELECT block FROM fusion_queue)"
    ).fetchone()[0]
    assert pending == 0
    conn.close()

    report = ingest([str(corpus)], db)
    assert report.already == len(killed["articles"])
    assert report.coded == 160 - len(killed["articles"])
    assert snapshot(db) == expected
    conn = store.connect(db, readonly=True)
    statuses = [r[0] for r in conn.execute("SELECT status FROM ingest_runs ORDER BY id")]
    assert statuses == ["killed", "done"]
