"""Endpoints of the situation monitor: posts, their levels, alerts, tripwire rules.

Thin wrappers over :mod:`pantau.posts`, :mod:`pantau.levels`,
:mod:`pantau.alerts` and :mod:`pantau.tripwires`. Reads follow the read token
policy; creating, replacing and removing posts, recomputing levels and
reloading the rules file need the token.

Reasons name articles by the id their source gave (``sd-006``); the API adds
``article_id``, the store's id, so that the dashboard links evidence to the
article view in one click.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from pantau import alerts, levels, posts, tripwires
from pantau.api.app import reader, writer
from pantau.api.auth import require_read, require_write
from pantau.api.models import (
    Alert,
    LevelDay,
    PostFields,
    PostIn,
    PostOut,
    Problem,
    Refresh,
    Rules,
)
from pantau.api.routes import ERRORS
from pantau.errors import DataError, InputError

router = APIRouter(prefix="/api", responses=ERRORS)
PostId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "no such post"}
}


@router.get("/posts", response_model=list[PostOut], dependencies=[Depends(require_read)])
def list_posts(request: Request) -> list[dict[str, Any]]:
    """Every post with its current level, since when, and the reasons it was reached."""
    with reader(request) as conn:
        return [post_state(conn, p) for p in posts.list_posts(conn)]


@router.get(
    "/posts/{post_id}",
    response_model=PostOut,
    dependencies=[Depends(require_read)],
    responses=NOT_FOUND,
)
def one_post(request: Request, post_id: PostId) -> dict[str, Any]:
    """One post with its current level and reasons."""
    with reader(request) as conn:
        return post_state(conn, _post(conn, post_id))


@router.get(
    "/posts/{post_id}/levels",
    response_model=list[LevelDay],
    dependencies=[Depends(require_read)],
    responses=NOT_FOUND,
)
def post_levels(
    request: Request,
    post_id: PostId,
    since: Annotated[dt.date | None, Query()] = None,
    until: Annotated[dt.date | None, Query()] = None,
) -> list[dict[str, Any]]:
    """The post's level day by day, each day with the rules that fired and their evidence."""
    with reader(request) as conn:
        _post(conn, post_id)
        days = conn.execute(
            "SELECT day FROM levels WHERE post_id = ? AND day >= ? AND day <= ? ORDER BY day",
            (post_id, (since or dt.date.min).isoformat(), (until or dt.date.max).isoformat()),
        ).fetchall()
        out = []
        for (day,) in days:
            level = levels.stored_level(conn, post_id, dt.date.fromisoformat(day))
            if level is not None:
                out.append(_linked(conn, level.to_dict()))
        return out


@router.post(
    "/posts",
    response_model=PostOut,
    status_code=201,
    dependencies=[Depends(require_write)],
    responses={409: {"model": Problem, "description": "a post with this id exists"}},
)
def create_post(request: Request, body: PostIn) -> dict[str, Any]:
    """Add a post; its time zone comes from the nearest GeoNames city when not given."""
    post = _make(body.id, body)
    with writer(request) as conn:
        if conn.execute("SELECT 1 FROM posts WHERE id = ?", (post.id,)).fetchone():
            raise HTTPException(
                409, f"{post.id}: a post with this id exists; use PUT to replace it"
            )
        posts.add_post(conn, post)
        return post_state(conn, post)


@router.put("/posts/{post_id}", response_model=PostOut, dependencies=[Depends(require_write)])
def replace_post(request: Request, post_id: PostId, body: PostFields) -> dict[str, Any]:
    """Create or replace a post; its stored levels stay until they are recomputed."""
    post = _make(post_id, body)
    with writer(request) as conn:
        posts.add_post(conn, post, replace=True)
        return post_state(conn, post)


@router.delete(
    "/posts/{post_id}",
    status_code=204,
    response_class=Response,
    dependencies=[Depends(require_write)],
    responses=NOT_FOUND,
)
def delete_post(request: Request, post_id: PostId) -> Response:
    """Remove a post with its levels and alerts."""
    with writer(request) as conn:
        _post(conn, post_id)
        posts.remove_post(conn, post_id)
    return Response(status_code=204)


@router.post("/levels/refresh", response_model=Refresh, dependencies=[Depends(require_write)])
def refresh_levels(request: Request) -> dict[str, Any]:
    """Recompute every post's level for its local today with what is stored now (filling
    the days since the last computed one), and store an alert for each change."""
    rules = current_rules(request)
    with writer(request) as conn:
        watched = posts.list_posts(conn)
        today = levels.update_now(conn, watched, rules, dt.datetime.now(dt.UTC))
        new = alerts.record_changes(conn, watched, today)
        return {"levels": [_linked(conn, level.to_dict()) for level in today], "new_alerts": new}


@router.get("/alerts", response_model=list[Alert], dependencies=[Depends(require_read)])
def list_alerts(
    request: Request,
    post: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Level changes, newest first, with their reasons and what each channel did."""
    with reader(request) as conn:
        rows = conn.execute(
            "SELECT a.id, a.post_id, a.day, a.level_from, a.level_to, a.created_at, a.payload, "
            "p.name FROM alerts a LEFT JOIN posts p ON p.id = a.post_id "
            "WHERE (? IS NULL OR a.post_id = ?) ORDER BY a.day DESC, a.id DESC LIMIT ? OFFSET ?",
            (post, post, limit, offset),
        ).fetchall()
        out = []
        for row in rows:
            body = _linked(conn, json.loads(row["payload"]))
            deliveries = conn.execute(
                "SELECT channel, status, attempts, error FROM alert_deliveries WHERE alert_id = ? "
                "ORDER BY channel",
                (row["id"],),
            ).fetchall()
            out.append(
                {
                    "id": row["id"],
                    "post": row["post_id"],
                    "post_name": row["name"],
                    "date": row["day"],
                    "previous": row["level_from"],
                    "level": row["level_to"],
                    "created_at": row["created_at"],
                    "note": body.get("note"),
                    "reasons": body.get("reasons") or [],
                    "deliveries": [dict(d) for d in deliveries],
                }
            )
        return out


@router.get("/rules", response_model=Rules, dependencies=[Depends(require_read)])
def get_rules(request: Request) -> dict[str, Any]:
    """The tripwire rules the levels are computed with."""
    return _rules_info(current_rules(request))


@router.post("/rules/reload", response_model=Rules, dependencies=[Depends(require_write)])
def reload_rules(request: Request) -> dict[str, Any]:
    """Read the rules file again (after editing it); a broken file is refused with 400 and
    the rules in force stay."""
    try:
        rules = tripwires.load_rules(request.app.state.rules_path)
    except DataError as exc:
        raise HTTPException(400, str(exc)) from None
    request.app.state.rules = rules
    return _rules_info(rules)


def current_rules(request: Request) -> tripwires.RuleSet:
    """The app's rules, read on first use (``create_app(rules_path=...)``, else the default)."""
    if request.app.state.rules is None:
        request.app.state.rules = tripwires.load_rules(request.app.state.rules_path)
    return request.app.state.rules


def post_state(conn: sqlite3.Connection, post: posts.Post) -> dict[str, Any]:
    """A post's fields with its latest level, the first day of that level and its reasons."""
    out = post.to_dict()
    out.update(level=None, level_name=None, since=None, as_of=None, note=None, reasons=[])
    rows = conn.execute(
        "SELECT day, level FROM levels WHERE post_id = ? ORDER BY day DESC", (post.id,)
    ).fetchall()
    if not rows:
        return out
    current = rows[0]["level"]
    since = rows[0]["day"]
    for row in rows:
        if row["level"] != current:
            break
        since = row["day"]
    reached = levels.stored_level(conn, post.id, dt.date.fromisoformat(since))
    out.update(
        level=current, level_name=levels.NAMES.get(current), since=since, as_of=rows[0]["day"]
    )
    if reached is not None:
        linked = _linked(conn, {"reasons": reached.reasons})
        out.update(note=reached.note, reasons=linked["reasons"])
    return out


def _linked(conn: sqlite3.Connection, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with ``article_id`` added to every evidence item of its reasons."""
    ids: dict[str, int | None] = {}
    for reason in body.get("reasons") or []:
        for event in reason.get("events") or []:
            for item in event.get("evidence") or []:
                ext = item.get("article")
                if ext not in ids:
                    row = conn.execute(
                        "SELECT id FROM articles WHERE ext_id = ? ORDER BY id LIMIT 1", (ext,)
                    ).fetchone()
                    ids[ext] = row[0] if row else None
                item["article_id"] = ids[ext]
    return body


def _post(conn: sqlite3.Connection, post_id: str) -> posts.Post:
    try:
        return posts.get_post(conn, post_id)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from None


def _make(post_id: str, body: PostFields) -> posts.Post:
    # make_post's InputError (unknown country or time zone) becomes a 400 in app.py.
    fields = body.model_dump(exclude={"id"})
    return posts.make_post(
        post_id,
        fields.pop("name"),
        fields.pop("lat"),
        fields.pop("lon"),
        fields.pop("country"),
        **fields,
    )


def _rules_info(rules: tripwires.RuleSet) -> dict[str, Any]:
    return {
        "source": rules.source,
        "digest": rules.digest,
        "rules": [
            {
                "id": r.id,
                "level": r.level,
                "scope": r.scope,
                "window_days": r.window_days,
                "description": r.description,
            }
            for r in rules.rules
        ],
    }
