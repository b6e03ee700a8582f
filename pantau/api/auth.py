"""Tokens for the HTTP API: who may write, and who may read when the server is exposed.

Write endpoints (storing an article, changing posts, reloading rules) always
need the token; reads need it only when the server is bound to a non-loopback
address (``open_reads=False``). A client sends ``Authorization: Bearer TOKEN``.

The token is, in order: the one given to :func:`pantau.api.create_app`,
``$PANTAU_TOKEN``, or the token file beside the database (``pantau.db.token``),
created with a random token and owner-only permissions on first start.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

ENV_TOKEN = "PANTAU_TOKEN"
_bearer = HTTPBearer(auto_error=False, description="the server's token (see `pantau serve`)")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def token_file(db: str | os.PathLike[str]) -> Path:
    """Where the token of the database ``db`` is kept when none is given."""
    return Path(f"{db}.token")


def resolve_token(db: str | os.PathLike[str], token: str | None = None) -> tuple[str, str]:
    """The server's token and where it came from (``argument``, ``$PANTAU_TOKEN`` or the
    token file's path); the file is created on first use."""
    if token:
        return token, "argument"
    if os.environ.get(ENV_TOKEN):
        return os.environ[ENV_TOKEN], f"${ENV_TOKEN}"
    file = token_file(db)
    if file.exists():
        found = file.read_text(encoding="utf-8").strip()
        if found:
            return found, str(file)
    new = secrets.token_urlsafe(32)
    # O_EXCL|0600: nobody else can read it, and two servers starting at once cannot
    # both write one; the loser reads the winner's token.
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return file.read_text(encoding="utf-8").strip(), str(file)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(new + "\n")
    return new, str(file)


def _check(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    expected: str = request.app.state.token
    if credentials is None:
        raise HTTPException(
            401,
            "a token is required: send 'Authorization: Bearer TOKEN'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(403, "wrong token", headers={"WWW-Authenticate": "Bearer"})


def require_write(request: Request, credentials: Credentials) -> None:
    """Dependency of every write endpoint: the token must be sent."""
    _check(request, credentials)


def require_read(request: Request, credentials: Credentials) -> None:
    """Dependency of every read endpoint: the token is needed unless reads are open."""
    if not request.app.state.open_reads:
        _check(request, credentials)
