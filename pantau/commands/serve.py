"""``pantau serve``: the HTTP API and the dashboard over one event store."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys

from pantau.commands.code import add_dict_option
from pantau.commands.ingest import add_db_option
from pantau.errors import InputError, UsageError


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from pantau.api import create_app
    from pantau.store import db_path

    db = db_path(args.db)
    if not db.exists():
        raise InputError("no such database; run `pantau ingest SOURCE` first", str(db))
    if not 0 < args.port < 65536:
        raise UsageError(f"port must be 1-65535, got {args.port}")
    _check_port(args.host, args.port)
    if args.dict:  # for the server's life: articles POSTed are coded with them
        from pantau import userdict, verbdict
        from pantau.commands.code import report_skipped_lines

        actors, verbs = userdict.load_any(args.dict)
        report_skipped_lines([p for d in [*actors, *verbs] for p in d.problems])
        userdict.activate(*actors)
        verbdict.activate(*verbs)
    local = is_loopback(args.host)
    app = create_app(db, open_reads=local, rules_path=args.rules)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"pantau: serving {db} at http://{shown}:{args.port}/", file=sys.stderr)
    print(
        f"pantau: token for writes{'' if local else ' and reads'}: "
        f"{app.state.token_source}" + ("" if local else " (reads need it: not a loopback host)"),
        file=sys.stderr,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _check_port(host: str, port: int) -> None:
    """Refuse a busy port or unknown host in one line, before uvicorn logs a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"cannot bind to host {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the HTTP API (/api) and the dashboard (/) over the event store",
        description="Reads are open on a loopback host and need the token elsewhere; "
        "writes always need it: $PANTAU_TOKEN, else the file DB.token, created on first "
        "start. Send it as 'Authorization: Bearer TOKEN'.",
    )
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--rules",
        metavar="FILE",
        default=None,
        help="tripwire rules file (default: the packaged rules); POST /api/rules/reload "
        "reads it again",
    )
    add_dict_option(p)
    p.add_argument(
        "--log-level",
        choices=["critical", "error", "warning", "info", "debug"],
        default="info",
        help="uvicorn's log level (default info: one line per request)",
    )
    p.set_defaults(func=run)
