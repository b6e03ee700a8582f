"""Alerts on level changes: stored once, delivered once per channel, failures recorded.

:func:`record_changes` turns the level changes of :mod:`pantau.levels` into
alerts (table ``alerts``). Each alert's key is ``post|day|from->to``, so the same
change computed again (a re-run, a second watch cycle) never makes a second
alert. :func:`dispatch` delivers every alert a channel has not yet delivered
(table ``alert_deliveries``): a delivery that succeeds is never repeated; one
that fails after its retries is recorded with its reason and tried again by the
next dispatch, up to ``max_rounds`` passes.

Channels:

- :class:`LogChannel`: one line per alert on stdout or appended to a log file;
- :class:`WebhookChannel`: HTTP POST of the JSON payload, signed with
  HMAC-SHA256 of the body under a shared secret (header ``X-Pantau-Signature:
  sha256=<hex>``), retried with exponential backoff on connection errors,
  timeouts, 408, 429 and 5xx answers;
- :class:`EmailChannel`: a plain-text e-mail through SMTP (optional STARTTLS
  and login), retried like the webhook;
- :class:`AtomChannel`: an Atom feed file rewritten with the latest alerts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol, TextIO
from xml.etree import ElementTree as ET

from pantau import __version__, store
from pantau.levels import NAMES, DayLevel
from pantau.posts import Post

SIGNATURE_HEADER = "X-Pantau-Signature"
_ATOM = "http://www.w3.org/2005/Atom"


class DeliveryError(Exception):
    """A channel could not deliver an alert; ``attempts`` tries were made."""

    def __init__(self, message: str, attempts: int = 1):
        super().__init__(message)
        self.attempts = attempts


class Channel(Protocol):
    name: str

    def send(self, alert: dict[str, Any], conn: sqlite3.Connection) -> int:
        """Deliver ``alert``; return the attempts made, raise :class:`DeliveryError`."""
        ...


def payload(post: Post, level: DayLevel) -> dict[str, Any]:
    """The JSON body of the alert for one level change."""
    return {
        "key": alert_key(level),
        "post": {"id": post.id, "name": post.name, "country": post.country},
        "date": level.day.isoformat(),
        "level": level.level,
        "name": NAMES[level.level],
        "previous": level.previous,
        "direction": "up" if level.level > level.previous else "down",
        "note": level.note,
        "reasons": level.reasons,
        "sender": f"pantau {__version__}",
    }


def alert_key(level: DayLevel) -> str:
    return f"{level.post}|{level.day.isoformat()}|{level.previous}->{level.level}"


def record_changes(
    conn: sqlite3.Connection, posts: Sequence[Post], levels: Sequence[DayLevel]
) -> list[int]:
    """Store an alert for each level change not stored before; return the new alert ids."""
    by_id = {p.id: p for p in posts}
    new = []
    with store.transaction(conn):
        for level in levels:
            if level.level == level.previous:
                continue
            body = payload(by_id[level.post], level)
            cur = conn.execute(
                "INSERT OR IGNORE INTO alerts(key, post_id, day, level_from, level_to, "
                "created_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    body["key"],
                    level.post,
                    body["date"],
                    level.previous,
                    level.level,
                    store.utc_now(),
                    json.dumps(body, ensure_ascii=False),
                ),
            )
            if cur.rowcount:
                new.append(cur.lastrowid)
    return new


@dataclass
class DispatchReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # "channel: key: reason"


def dispatch(
    conn: sqlite3.Connection, channels: Sequence[Channel], *, max_rounds: int = 3
) -> DispatchReport:
    """Deliver every stored alert to every channel that has not delivered it yet."""
    report = DispatchReport()
    alerts = conn.execute("SELECT id, key, created_at, payload FROM alerts ORDER BY id").fetchall()
    for channel in channels:
        for row in alerts:
            done = conn.execute(
                "SELECT status, attempts, rounds FROM alert_deliveries "
                "WHERE alert_id=? AND channel=?",
                (row["id"], channel.name),
            ).fetchone()
            if done and (done["status"] == "sent" or done["rounds"] >= max_rounds):
                continue
            alert = json.loads(row["payload"]) | {"created_at": row["created_at"]}
            try:
                attempts, status, error = channel.send(alert, conn), "sent", None
                report.sent += 1
            except DeliveryError as exc:
                attempts, status, error = exc.attempts, "failed", str(exc)
                report.failed += 1
                report.errors.append(f"{channel.name}: {row['key']}: {exc}")
            with store.transaction(conn):
                conn.execute(
                    "INSERT OR REPLACE INTO alert_deliveries(alert_id, channel, status, attempts, "
                    "rounds, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        row["id"],
                        channel.name,
                        status,
                        attempts + (done["attempts"] if done else 0),
                        1 + (done["rounds"] if done else 0),
                        error,
                        store.utc_now(),
                    ),
                )
    return report


def summary_line(alert: dict[str, Any]) -> str:
    """``post date: level A -> B (name): rule, rule``."""
    rules = ", ".join(r["rule"] for r in alert.get("reasons", [])[:3]) or "no tripwire"
    return (
        f"{alert['post']['id']} {alert['date']}: level {alert['previous']} -> {alert['level']} "
        f"({alert['name']}): {rules}"
    )


def body_text(alert: dict[str, Any]) -> str:
    """A plain-text account of an alert: the change, then each rule with its evidence."""
    lines = [summary_line(alert), ""]
    if alert.get("note"):
        lines += [alert["note"], ""]
    for reason in alert.get("reasons", []):
        lines.append(f"[{reason['level']}] {reason['description']} ({reason['detail']})")
        for ev in reason.get("events", [])[:3]:
            for quote in ev["evidence"][:1]:
                link = quote.get("url") or quote.get("article")
                lines.append(f"  - {ev['type']} {max(ev['dates'])} {ev['place'] or '-'}: ")
                lines.append(f'    "{quote["sentence"]}" <{link}>')
    return "\n".join(lines) + "\n"


@dataclass
class LogChannel:
    """One line per alert to a stream (stdout) or appended to a log file."""

    path: str | None = None
    stream: TextIO | None = None
    name: str = "log"

    def send(self, alert: dict[str, Any], conn: sqlite3.Connection) -> int:
        line = f"pantau alert: {summary_line(alert)}\n"
        if self.path:
            try:
                with open(self.path, "a", encoding="utf-8") as f:
                    f.write(line)
            except OSError as exc:
                raise DeliveryError(f"cannot write {self.path}: {exc.strerror}") from None
        else:
            (self.stream or sys.stdout).write(line)
        return 1


def sign(body: bytes, secret: str) -> str:
    """The signature header value: ``sha256=`` + hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _retrying(
    what: Callable[[], None], retries: int, backoff: float, sleep: Callable[[float], None]
) -> int:
    """Run ``what`` until it succeeds or fails ``retries + 1`` times; backoff doubles."""
    reason = ""
    for attempt in range(retries + 1):
        try:
            what()
            return attempt + 1
        except _Permanent as exc:
            raise DeliveryError(str(exc), attempt + 1) from None
        except (OSError, smtplib.SMTPException, _Retry) as exc:
            reason = str(exc) or type(exc).__name__
        if attempt < retries:
            sleep(backoff * 2**attempt)
    raise DeliveryError(f"{reason} (after {retries + 1} tries)", retries + 1)


class _Retry(Exception):
    """A failure asking again may cure."""


class _Permanent(Exception):
    """A failure asking again will not cure (a 4xx answer)."""


@dataclass
class WebhookChannel:
    """POST the alert as JSON to ``url``, signed when a secret is given."""

    url: str
    secret: str | None = None
    retries: int = 3
    backoff: float = 1.0
    timeout: float = 10.0
    sleep: Callable[[float], None] = time.sleep

    @property
    def name(self) -> str:
        return f"webhook:{self.url}"

    def send(self, alert: dict[str, Any], conn: sqlite3.Connection) -> int:
        import httpx

        body = json.dumps(alert, ensure_ascii=False, sort_keys=True).encode()
        headers = {"Content-Type": "application/json", "User-Agent": f"pantau/{__version__}"}
        headers["X-Pantau-Alert"] = alert["key"]
        if self.secret:
            headers[SIGNATURE_HEADER] = sign(body, self.secret)

        def post() -> None:
            try:
                resp = httpx.post(self.url, content=body, headers=headers, timeout=self.timeout)
            except httpx.HTTPError as exc:
                raise _Retry(f"{type(exc).__name__}: {exc}") from None
            if resp.status_code >= 300:
                again = resp.status_code in (408, 429) or resp.status_code >= 500
                raise (_Retry if again else _Permanent)(f"HTTP {resp.status_code}")

        return _retrying(post, self.retries, self.backoff, self.sleep)


@dataclass
class EmailChannel:
    """A plain-text e-mail per alert through an SMTP server."""

    host: str
    port: int
    sender: str
    recipients: list[str]
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    retries: int = 2
    backoff: float = 1.0
    timeout: float = 20.0
    sleep: Callable[[float], None] = time.sleep

    @property
    def name(self) -> str:
        return "email:" + ",".join(self.recipients)

    def send(self, alert: dict[str, Any], conn: sqlite3.Connection) -> int:
        msg = EmailMessage()
        msg["Subject"] = (
            f"[pantau] {alert['post']['name']}: level {alert['level']} ({alert['name']}) "
            f"on {alert['date']}"
        )
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg["X-Pantau-Alert"] = alert["key"]
        msg.set_content(body_text(alert))

        def deliver() -> None:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(msg)

        return _retrying(deliver, self.retries, self.backoff, self.sleep)


@dataclass
class AtomChannel:
    """An Atom feed file holding the latest ``limit`` alerts, rewritten on each alert."""

    path: str
    limit: int = 100
    title: str = "pantau alerts"

    @property
    def name(self) -> str:
        return f"atom:{self.path}"

    def send(self, alert: dict[str, Any], conn: sqlite3.Connection) -> int:
        rows = conn.execute(
            "SELECT created_at, payload FROM alerts ORDER BY id DESC LIMIT ?", (self.limit,)
        ).fetchall()
        entries = [json.loads(r["payload"]) | {"created_at": r["created_at"]} for r in rows]
        if not any(e["key"] == alert["key"] for e in entries):
            entries.insert(0, alert)
        try:
            write_atom(self.path, entries, self.title)
        except OSError as exc:
            raise DeliveryError(f"cannot write {self.path}: {exc.strerror}") from None
        return 1


def write_atom(path: str, alerts: Sequence[dict[str, Any]], title: str = "pantau alerts") -> None:
    """Write ``alerts`` (newest first) as an Atom 1.0 feed, atomically."""
    ET.register_namespace("", _ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        el.text = text
        return el

    feed = ET.Element(f"{{{_ATOM}}}feed")
    sub(feed, "id", "urn:pantau:alerts")
    sub(feed, "title", title)
    sub(feed, "updated", max((a["created_at"] for a in alerts), default=store.utc_now()))
    sub(sub(feed, "author"), "name", "pantau")
    sub(feed, "generator", "pantau", version=__version__)
    for alert in alerts:
        entry = sub(feed, "entry")
        sub(entry, "id", "urn:pantau:alert:" + alert["key"].replace("|", ":").replace(">", ""))
        sub(entry, "title", summary_line(alert))
        sub(entry, "updated", alert["created_at"])
        links = [
            q["url"]
            for r in alert.get("reasons", [])
            for e in r.get("events", [])
            for q in e["evidence"]
            if q.get("url")
        ]
        if links:
            sub(entry, "link", href=links[0])
        sub(entry, "summary", body_text(alert), type="text")
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    ET.ElementTree(feed).write(tmp, encoding="utf-8", xml_declaration=True)
    os.replace(tmp, target)
