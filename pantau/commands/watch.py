"""``pantau watch FEED... --every 15m``: poll feeds, ingest, re-evaluate posts, send alerts."""

from __future__ import annotations

import argparse
import os
import sys

from pantau.commands.code import add_dict_option
from pantau.commands.ingest import add_db_option
from pantau.errors import UsageError

SECRET_ENV = "PANTAU_WEBHOOK_SECRET"
SMTP_PASSWORD_ENV = "PANTAU_SMTP_PASSWORD"


def add_alert_options(p: argparse.ArgumentParser) -> None:
    """Where alerts go: shared by ``watch`` and ``levels --alert``."""
    g = p.add_argument_group("alerts")
    g.add_argument("--log", metavar="FILE", help="append alert lines to FILE (default: stdout)")
    g.add_argument(
        "--webhook",
        action="append",
        default=[],
        metavar="URL",
        help="POST each alert as JSON to URL (repeatable)",
    )
    g.add_argument(
        "--webhook-secret-env",
        default=SECRET_ENV,
        metavar="VAR",
        help=f"environment variable holding the HMAC secret (default {SECRET_ENV})",
    )
    g.add_argument("--smtp", metavar="HOST:PORT", help="send alerts by e-mail through this server")
    g.add_argument("--mail-from", default="pantau@localhost", metavar="ADDRESS")
    g.add_argument("--mail-to", action="append", default=[], metavar="ADDRESS")
    g.add_argument("--smtp-user", help=f"SMTP login (password in ${SMTP_PASSWORD_ENV})")
    g.add_argument("--starttls", action="store_true")
    g.add_argument("--atom", metavar="FILE", help="keep an Atom feed of the alerts in FILE")


def channels(args: argparse.Namespace) -> list:
    """The alert channels the options ask for (the log channel always)."""
    from pantau.alerts import AtomChannel, EmailChannel, LogChannel, WebhookChannel

    out: list = [LogChannel(path=args.log)]
    secret = os.environ.get(args.webhook_secret_env) or None
    out += [WebhookChannel(url, secret=secret) for url in args.webhook]
    if args.smtp:
        host, _, port = args.smtp.rpartition(":")
        if not host or not port.isdigit():
            raise UsageError(f"--smtp wants HOST:PORT, got {args.smtp!r}")
        if not args.mail_to:
            raise UsageError("--smtp needs at least one --mail-to")
        out.append(
            EmailChannel(
                host,
                int(port),
                args.mail_from,
                args.mail_to,
                username=args.smtp_user,
                password=os.environ.get(SMTP_PASSWORD_ENV),
                starttls=args.starttls,
            )
        )
    if args.atom:
        out.append(AtomChannel(args.atom))
    return out


def run(args: argparse.Namespace) -> int:
    from pantau.commands.code import user_dictionaries
    from pantau.sources import Fetcher
    from pantau.tripwires import load_rules
    from pantau.watch import parse_interval, watch

    every = parse_interval(args.every)
    rules = load_rules(args.rules)

    def report(cycle) -> None:
        levels = ", ".join(f"{lv.post} {lv.level}" for lv in cycle.levels)
        print(
            f"{cycle.started:%Y-%m-%d %H:%M:%S}Z: coded {cycle.coded} new articles; "
            f"levels: {levels}; alerts: {cycle.new_alerts} new, {cycle.sent} sent, "
            f"{cycle.failed} failed",
            file=sys.stderr,
        )
        for line in cycle.feed_errors + cycle.delivery_errors:
            print(f"  {line}", file=sys.stderr)

    with user_dictionaries(args.dict):
        done = watch(
            args.feeds,
            args.db,
            every=every,
            rules=rules,
            channels=channels(args),
            cycles=args.cycles,
            fetch=args.fetch,
            fetcher=Fetcher(delay=args.fetch_delay, timeout=args.timeout),
            on_cycle=report,
        )
    print(f"pantau: watch stopped after {len(done)} cycle(s)", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "watch",
        help="poll feeds, ingest, re-evaluate every post's level and alert on changes",
        description="Each cycle ingests every FEED (RSS/Atom URL or file; one that is down "
        "is reported and skipped), recomputes each post's level for its local today, and "
        "sends an alert for each change. Stop with Ctrl-C.",
    )
    p.add_argument("feeds", nargs="+", metavar="FEED")
    p.add_argument("--every", default="15m", help="time between cycles: 30s, 15m, 2h (default 15m)")
    p.add_argument("--cycles", type=int, default=None, metavar="N", help="stop after N cycles")
    p.add_argument("--rules", metavar="FILE", help="tripwire rules (default: the bundled ones)")
    add_dict_option(p)
    p.add_argument(
        "--no-fetch",
        dest="fetch",
        action="store_false",
        help="code the entries' own content instead of fetching the linked pages",
    )
    p.add_argument("--fetch-delay", type=float, default=1.0, metavar="S")
    p.add_argument("--timeout", type=float, default=20.0, metavar="S")
    add_db_option(p)
    add_alert_options(p)
    p.set_defaults(func=run)
