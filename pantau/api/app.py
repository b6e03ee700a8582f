"""The FastAPI application: the JSON API under ``/api`` and the dashboard at ``/``.

:func:`create_app` builds one app over one event store. Each request opens its
own read-only connection (SQLite in WAL mode lets it read while an ingest or
``POST /api/articles`` writes). Errors a client causes come back as 4xx with
``{"detail": "..."}``: validation (422), bad filters (400), no such thing (404),
missing or wrong token (401/403), a body over :data:`MAX_BODY` (413).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from pantau import __version__, store
from pantau.api.auth import resolve_token
from pantau.errors import DataError, PantauError

MAX_BODY = 6 * 1024 * 1024  # an article of up to 5 MB, JSON-escaped, plus its fields
WEB_DIR = Path(__file__).resolve().parent.parent / "web"


def create_app(
    db_path: str | os.PathLike[str],
    token: str | None = None,
    *,
    open_reads: bool = True,
    rules_path: str | None = None,
) -> FastAPI:
    """The API and dashboard over the store ``db_path`` (created when missing).

    ``token`` guards the write endpoints (default: ``$PANTAU_TOKEN``, else a token
    file beside the database, see :mod:`pantau.api.auth`); ``open_reads=False``
    guards the reads too, for a server reachable from other machines.
    ``rules_path`` is a tripwire rules file (default: the packaged rules), read
    again by ``POST /api/rules/reload``.
    """
    from pantau.api import monitor, routes

    db = store.db_path(db_path)
    store.connect(db).close()  # create and migrate now: a broken file fails at start
    app = FastAPI(
        title="pantau",
        version=__version__,
        description="Events coded from Indonesian and English news: fused events with "
        "their evidence, places, a situation index, posts with their levels, alerts.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.db = db
    app.state.token, app.state.token_source = resolve_token(db, token)
    app.state.open_reads = open_reads
    app.state.rules_path = rules_path
    app.state.rules = None  # read on first use, so a server without posts never needs them
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    app.add_exception_handler(PantauError, _pantau_error)
    app.include_router(routes.router)
    app.include_router(monitor.router)

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app


@contextlib.contextmanager
def reader(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the app's store for the length of one request."""
    conn = store.connect(request.app.state.db, create=False, readonly=True)
    try:
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def writer(request: Request) -> Iterator[sqlite3.Connection]:
    """A writable connection to the app's store for the length of one request."""
    conn = store.connect(request.app.state.db, create=False)
    try:
        yield conn
    finally:
        conn.close()


async def _pantau_error(request: Request, exc: Exception) -> JSONResponse:
    # A broken packaged data file is the server's fault; anything else the client's.
    status = 500 if isinstance(exc, DataError) else 400
    return JSONResponse({"detail": str(exc)}, status_code=status)


class BodyLimit:
    """ASGI middleware refusing request bodies over ``limit`` bytes with 413, whether the
    client announces the length or streams the body in chunks."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(send, self.limit)
            return
        seen = 0

        async def limited() -> dict:
            # FastAPI re-raises an HTTPException met while reading the body, and its
            # exception middleware turns it into the response.
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, _too_large_text(self.limit))
            return message

        await self.app(scope, limited, send)


def _too_large_text(limit: int) -> str:
    return f"request body too large (limit {limit} bytes)"


async def _too_large(send: Any, limit: int) -> None:
    body = json.dumps({"detail": _too_large_text(limit)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
