"""Alerts: one per level change, never sent twice; webhook (signed, retried after refusals)
to a local HTTP server; e-mail to a local SMTP server; an Atom feed feedparser reads back."""

from __future__ import annotations

import datetime as dt
import hmac
import http.server
import io
import json
import socket
import threading
from pathlib import Path

import feedparser
import pytest

from pantau import store
from pantau.alerts import (
    SIGNATURE_HEADER,
    AtomChannel,
    EmailChannel,
    LogChannel,
    WebhookChannel,
    dispatch,
    record_changes,
    sign,
)
from pantau.levels import DayLevel
from pantau.posts import Post, add_post

POST = Post("kbri-x", "KBRI X", -6.2, 106.8, "IDN", 50.0, "Jakarta", "Asia/Jakarta")
REASON = {
    "rule": "riot-or-crackdown-near",
    "level": 3,
    "description": "riots or crackdowns within the post's radius",
    "detail": "1 event",
    "events": [
        {
            "event": "ev-1",
            "type": "PROTEST",
            "mode": "riot",
            "dates": ["2022-01-05"],
            "place": "Jakarta",
            "evidence": [
                {
                    "sentence": "Massa membakar pos polisi.",
                    "article": "t-1",
                    "url": "https://example.org/t-1",
                }
            ],
        }
    ],
}


def change(day: int, level: int, previous: int) -> DayLevel:
    return DayLevel(
        POST.id, dt.date(2022, 1, day), level, level, previous=previous, reasons=[REASON]
    )


@pytest.fixture
def conn(tmp_path):
    c = store.connect(tmp_path / "alerts.db")
    add_post(c, POST)
    yield c
    c.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_one_alert_per_change_never_sent_twice(conn):
    same = [change(5, 3, 1), change(6, 3, 3)]  # the second day is no change
    assert len(record_changes(conn, [POST], same)) == 1
    assert record_changes(conn, [POST], same) == []  # computed again: nothing new
    out = io.StringIO()
    log = LogChannel(stream=out)
    first = dispatch(conn, [log])
    second = dispatch(conn, [log])
    assert (first.sent, second.sent) == (1, 0)
    assert out.getvalue() == (
        "pantau alert: kbri-x 2022-01-05: level 1 -> 3 (prepare): riot-or-crackdown-near\n"
    )
    record_changes(conn, [POST], [change(9, 1, 3)])  # the way down is its own change
    dispatch(conn, [log])
    assert out.getvalue().count("pantau alert") == 2
    assert "level 3 -> 1 (normal)" in out.getvalue()


class _Hook(http.server.BaseHTTPRequestHandler):
    refusals = 0
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        status = 503 if len(type(self).received) <= type(self).refusals else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    handler = type("Hook", (_Hook,), {"refusals": 2, "received": []})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/alerts"
    server.shutdown()
    server.server_close()


def test_webhook_retries_after_refusals_and_signs(conn, hook):
    handler, url = hook
    waits: list[float] = []
    channel = WebhookChannel(url, secret="s3cret", retries=3, backoff=0.5, sleep=waits.append)
    record_changes(conn, [POST], [change(5, 3, 1)])
    report = dispatch(conn, [channel])
    assert report.sent == 1 and report.failed == 0
    assert len(handler.received) == 3 and waits == [0.5, 1.0]  # backoff doubles
    headers, body = handler.received[-1]
    assert hmac.compare_digest(headers[SIGNATURE_HEADER], sign(body, "s3cret"))
    alert = json.loads(body)
    assert alert["post"]["id"] == "kbri-x" and alert["level"] == 3 and alert["previous"] == 1
    assert alert["reasons"][0]["events"][0]["evidence"][0]["url"] == "https://example.org/t-1"
    row = conn.execute("SELECT status, attempts FROM alert_deliveries").fetchone()
    assert tuple(row) == ("sent", 3)
    dispatch(conn, [channel])
    assert len(handler.received) == 3  # delivered: never again


def test_dead_webhook_is_recorded_and_retried_next_rounds(conn):
    channel = WebhookChannel(f"http://127.0.0.1:{free_port()}/", retries=1, sleep=lambda s: None)
    record_changes(conn, [POST], [change(5, 3, 1)])
    report = dispatch(conn, [channel], max_rounds=2)
    assert report.failed == 1 and "after 2 tries" in report.errors[0]
    row = conn.execute("SELECT status, attempts, rounds, error FROM alert_deliveries").fetchone()
    assert (row["status"], row["attempts"], row["rounds"]) == ("failed", 2, 1)
    assert row["error"]
    assert dispatch(conn, [channel], max_rounds=2).failed == 1  # second round
    assert dispatch(conn, [channel], max_rounds=2).failed == 0  # given up: recorded only
    assert conn.execute("SELECT rounds FROM alert_deliveries").fetchone()[0] == 2


class _Gone(_Hook):
    def do_POST(self):  # noqa: N802 - http.server's name
        type(self).received.append(None)
        self.send_response(404)
        self.end_headers()


def test_webhook_client_error_is_not_retried(conn):
    handler = type("Gone", (_Gone,), {"received": []})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        channel = WebhookChannel(url, retries=3, sleep=lambda s: None)
        record_changes(conn, [POST], [change(5, 3, 1)])
        report = dispatch(conn, [channel])
    finally:
        server.shutdown()
        server.server_close()
    assert report.failed == 1 and "HTTP 404" in report.errors[0]
    assert len(handler.received) == 1  # a 404 will not mend: no second try
    assert conn.execute("SELECT attempts FROM alert_deliveries").fetchone()[0] == 1


def test_email_to_a_local_smtp_server(conn):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channel = EmailChannel("127.0.0.1", port, "pantau@example.org", ["duty@example.org"])
        record_changes(conn, [POST], [change(5, 3, 1)])
        assert dispatch(conn, [channel]).sent == 1
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["duty@example.org"]
    text = envelope.content.decode()
    assert "Subject: [pantau] KBRI X: level 3 (prepare) on 2022-01-05" in text
    assert "Massa membakar pos polisi." in text


def test_email_to_a_dead_server_fails_cleanly(conn):
    channel = EmailChannel(
        "127.0.0.1",
        free_port(),
        "a@example.org",
        ["b@example.org"],
        retries=1,
        sleep=lambda s: None,
    )
    record_changes(conn, [POST], [change(5, 3, 1)])
    report = dispatch(conn, [channel])
    assert report.failed == 1 and report.sent == 0


def test_atom_feed_reads_back(conn, tmp_path: Path):
    path = tmp_path / "alerts.atom"
    record_changes(conn, [POST], [change(5, 3, 1), change(8, 2, 3)])
    assert dispatch(conn, [AtomChannel(str(path))]).sent == 2
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "pantau alerts"
    titles = [e.title for e in feed.entries]
    assert titles == [
        "kbri-x 2022-01-08: level 3 -> 2 (increased caution): riot-or-crackdown-near",
        "kbri-x 2022-01-05: level 1 -> 3 (prepare): riot-or-crackdown-near",
    ]
    assert len({e.id for e in feed.entries}) == 2
    assert feed.entries[0].link == "https://example.org/t-1"
    assert "Massa membakar pos polisi." in feed.entries[0].summary
