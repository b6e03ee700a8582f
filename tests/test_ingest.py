"""Ingest: sources of every kind, idempotence, near-duplicates, skips, recoding, fetching."""

from __future__ import annotations

import http.server
import io
import json
import shutil
import threading
from pathlib import Path

import pytest

from pantau import dedup, store
from pantau import ingest as ingest_module
from pantau.cli import main
from pantau.errors import InputError
from pantau.ingest import ingest
from pantau.sources import Fetcher, detect_kind, open_source, outlet_of

FIXTURES = Path(__file__).parent / "fixtures" / "store"
KENYA = FIXTURES / "kenya.jsonl"


def rows(db: Path, sql: str) -> list[tuple]:
    conn = store.connect(db, readonly=True)
    return [tuple(r) for r in conn.execute(sql)]


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("https://nasional.kompas.com/read/2019/09/10/x", "kompas.com"),
        ("https://www.tempo.co/abc", "tempo.co"),
        ("https://www.bbc.co.uk/news/world", "bbc.co.uk"),
        ("https://news.detik.co.id/x", "detik.co.id"),
        ("http://localhost:8000/a", "localhost"),
        (None, None),
    ],
)
def test_outlet_of_url(url, outlet):
    assert outlet_of(url) == outlet


@pytest.mark.parametrize(
    "name, kind",
    [
        ("folder", "folder"),
        ("kenya.jsonl", "jsonl"),
        ("wiki.csv", "csv"),
        ("feed.xml", "feed"),
        ("folder/bishkek.txt", "text"),
        ("folder/ulaanbaatar.html", "html"),
    ],
)
def test_detect_kind(name, kind):
    assert detect_kind(str(FIXTURES / name)) == kind


def test_detect_kind_sniffs_content(tmp_path):
    (tmp_path / "crawl").write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n")
    (tmp_path / "news").write_text('<?xml version="1.0"?><rss version="2.0"></rss>')
    assert detect_kind(str(tmp_path / "crawl")) == "warc"
    assert detect_kind(str(tmp_path / "news")) == "feed"
    assert detect_kind("https://example.org/rss") == "feed"


@pytest.mark.parametrize(
    "name, content, kind, message",
    [
        ("nope.jsonl", None, None, "no such file or folder"),
        ("bad.csv", "url,title\nhttps://x.example/1,Judul\n", None, "a 'text' column"),
        ("empty", "", "folder", "no .txt or .html files"),
        ("a.txt", "Teks.", "pdf", "unknown source format"),
    ],
)
def test_bad_source_raises_before_anything_is_written(tmp_path, name, content, kind, message):
    path = tmp_path / name
    if kind == "folder":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        ingest([str(KENYA), str(path)], tmp_path / "x.db", kind=kind)
    assert not (tmp_path / "x.db").exists()


def test_reingest_is_idempotent(tmp_path):
    db = tmp_path / "k.db"
    first = ingest([str(KENYA)], db)
    before = store.counts(store.connect(db))
    second = ingest([str(KENYA)], db)
    assert (first.coded, first.already) == (5, 0)
    assert (second.coded, second.already, second.mentions) == (0, 5, 0)
    after = store.counts(store.connect(db))
    assert {k: v for k, v in after.items() if k != "runs"} == {
        k: v for k, v in before.items() if k != "runs"
    }


def test_same_text_with_other_whitespace_is_the_same_article():
    assert dedup.content_hash("Polisi  menangkap\n12 orang. ") == dedup.content_hash(
        "Polisi menangkap 12 orang."
    )
    assert dedup.content_hash("Polisi menangkap 12 orang.") != dedup.content_hash(
        "Polisi menangkap 13 orang."
    )


def test_near_duplicate_is_linked_to_its_original(tmp_path):
    db = tmp_path / "k.db"
    report = ingest([str(KENYA)], db)
    assert report.near_duplicates == 1
    [(copy, original, score)] = rows(
        db,
        "SELECT c.ext_id, o.ext_id, c.dup_score FROM articles c JOIN articles o ON o.id = c.dup_of",
    )
    assert (copy, original) == ("e-id-copy", "a-id-1")
    assert dedup.THRESHOLD <= score < 1.0


def test_near_duplicates_index_prefers_the_closest():
    text = " ".join(f"kata{i}" for i in range(60))
    index = dedup.NearDuplicates()
    index.add(1, dedup.signature(text.replace("kata5 ", "lain5 ")))
    index.add(2, dedup.signature(text))
    assert index.match(dedup.signature(text)) == (2, 1.0)
    assert index.match(dedup.signature(" ".join(f"beda{i}" for i in range(60)))) is None
    assert dedup.signature("terlalu pendek") is None
    sig = dedup.signature(text)
    assert dedup.from_bytes(dedup.to_bytes(sig)).jaccard(sig) == 1.0


def test_skipped_inputs_are_stored_with_their_reasons(tmp_path):
    source = tmp_path / "mixed.jsonl"
    lines = KENYA.read_text(encoding="utf-8").splitlines()[:1]
    lines += ["{not json", json.dumps({"id": "empty", "text": "  "})]
    lines.append(
        json.dumps(
            {
                "id": "de",
                "text": "Die Polizei nahm am Montag in Berlin zwanzig Demonstranten fest, "
                "nachdem der Protest gegen die Regierung eskaliert war.",
            }
        )
    )
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    report = ingest([str(source)], db)
    assert report.coded == 1
    assert report.skipped == {"input": 2, "language": 1}
    kinds = rows(db, "SELECT kind, source FROM skipped ORDER BY id")
    assert kinds == [
        ("input", f"{source}:2"),
        ("input", f"{source}:3"),
        ("language", f"{source}:4"),
    ]


def test_a_coder_crash_is_recorded_and_the_ingest_goes_on(tmp_path, monkeypatch):
    real = ingest_module.process

    def flaky(article):
        if article.id == "b-en-1":
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(ingest_module, "process", flaky)
    report = ingest([str(KENYA)], tmp_path / "f.db")
    assert (report.coded, report.failed) == (4, 1)
    assert "coder error RuntimeError: boom" in report.examples["failed"][0]


def test_recode_replaces_mentions_and_keeps_events(tmp_path):
    db = tmp_path / "r.db"
    ingest([str(KENYA)], db)
    events = rows(db, "SELECT id, num_mentions FROM events ORDER BY id")
    again = ingest([str(KENYA)], db, recode=True)
    assert (again.coded, again.recoded) == (0, 5)
    assert rows(db, "SELECT id, num_mentions FROM events ORDER BY id") == events
    conn = store.connect(db)
    conn.execute("UPDATE articles SET coder = 'pantau 0.0.1' WHERE ext_id LIKE 'a-%'")
    conn.close()
    stored = ingest([], db, recode=True)
    assert stored.recoded == 1
    assert rows(db, "SELECT DISTINCT coder FROM articles") == [(ingest_module.CODER,)]
    assert rows(db, "SELECT id, num_mentions FROM events ORDER BY id") == events


@pytest.mark.parametrize(
    "source, coded, skipped",
    [
        ("folder", 2, 0),  # notes.md is not read
        ("wiki.csv", 2, 1),  # a row without text
        ("feed.xml", 1, 1),  # an entry without content
    ],
)
def test_source_kinds(tmp_path, source, coded, skipped):
    report = ingest([str(FIXTURES / source)], tmp_path / "s.db", fetch=False)
    assert report.coded == coded
    assert sum(report.skipped.values()) == skipped
    assert report.mentions > 0


def test_csv_rows_keep_url_date_and_outlet(tmp_path):
    db = tmp_path / "c.db"
    ingest([str(FIXTURES / "wiki.csv")], db)
    got = rows(db, "SELECT published, outlet, title FROM articles ORDER BY published")
    assert got[0] == (
        "2023-03-14",
        "wikinews.example",
        "Bolivian police clash with miners in La Paz",
    )


def test_warc_responses_are_read(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (FIXTURES / "folder" / "ulaanbaatar.html").read_bytes()
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri, ctype, body in [
            ("https://steppe-courier.example.org/a", "text/html; charset=utf-8", page),
            ("https://steppe-courier.example.org/logo.png", "image/png", b"\x89PNG"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
    assert detect_kind(str(path)) == "warc"
    db = tmp_path / "w.db"
    report = ingest([str(path)], db)
    assert report.coded == 1
    assert rows(db, "SELECT url, published FROM articles") == [
        ("https://steppe-courier.example.org/2023/10/06/ulaanbaatar-protest", "2023-10-06")
    ]


class _Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, bytes]] = {}
    hits: list[tuple[str, str]] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append((self.path, self.headers.get("User-Agent", "")))
        status, body = self.pages.get(self.path, (404, b"not found"))
        if self.path == "/flaky.html" and sum(p == self.path for p, _ in self.hits) == 1:
            status = 503  # the first try fails, the retry works
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = (FIXTURES / "folder" / "ulaanbaatar.html").read_bytes()
    items = "".join(
        f"<item><title>{name}</title><link>{base}/{name}</link>"
        "<pubDate>Fri, 06 Oct 2023 08:00:00 GMT</pubDate></item>"
        for name in ("story.html", "blocked.html", "flaky.html", "gone.html")
    )
    _Site.hits = []
    _Site.pages = {
        "/robots.txt": (200, b"User-agent: *\nDisallow: /blocked.html\n"),
        "/feed.xml": (
            200,
            f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode(),
        ),
        "/story.html": (200, page),
        "/blocked.html": (200, page),
        "/flaky.html": (200, page.replace(b"Thousands", b"Hundreds")),
    }
    yield base
    server.shutdown()


def test_feed_url_is_fetched_politely(tmp_path, site):
    slept: list[float] = []
    fetcher = Fetcher(delay=0.5, retries=1, sleep=slept.append)
    report = ingest([f"{site}/feed.xml"], tmp_path / "web.db", fetcher=fetcher)
    assert report.coded == 2  # story, and flaky after one retry
    reasons = sorted(r for examples in report.examples.values() for r in examples)
    assert any("robots.txt disallows" in r for r in reasons)
    assert any("HTTP 404" in r for r in reasons)
    paths = [p for p, _ in _Site.hits]
    assert "/blocked.html" not in paths
    assert paths.count("/flaky.html") == 2
    assert all(agent.startswith("pantau/") for _, agent in _Site.hits)
    assert slept and max(slept) >= 0.4  # waited between requests to the same host


def test_cli_ingest_prints_a_summary_and_bad_sources_one_line(tmp_path, capsys):
    db = tmp_path / "cli.db"
    assert main(["ingest", str(KENYA), "--db", str(db), "--no-progress"]) == 0
    out, _ = capsys.readouterr()
    assert "coded 5 new articles" in out
    assert "near-duplicates linked 1" in out
    assert main(["ingest", str(tmp_path / "missing.jsonl"), "--db", str(db)]) == 2
    _, err = capsys.readouterr()
    assert err.strip().count("\n") == 0 and err.startswith("pantau: ")


def test_open_source_folder_of_copies(tmp_path):
    shutil.copytree(FIXTURES / "folder", tmp_path / "f")
    (tmp_path / "f" / "empty.txt").write_text("")
    src = open_source(str(tmp_path / "f"))
    items = list(src.items)
    assert src.total == 3
    assert sum(isinstance(i, InputError) for i in items) == 1
