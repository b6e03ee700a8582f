"""Render records for people: the ``--format table`` view of ``pantau code``."""

from __future__ import annotations

from typing import Any

COLUMNS = (
    ("date", 10),
    ("event", 22),
    ("actor", 16),
    ("recipient", 16),
    ("place", 16),
    ("aux", 12),
    ("trigger", 40),
)


def _entities(entities: list[dict[str, Any]]) -> str:
    return ",".join(f"{e.get('code') or '?'}:{e.get('sector') or '-'}" for e in entities) or "-"


def _row(record: dict[str, Any]) -> dict[str, str]:
    kind = record["event"][0] + (f"/{record['mode'][0]}" if record["mode"] else "")
    aux = [
        c for c in record["context"] if c in ("negation", "hypothetical", "future", "historical")
    ]
    place = record.get("event_loc") or {}
    return {
        "date": record.get("date") or "-",
        "event": kind,
        "actor": _entities(record["actor"]),
        "recipient": _entities(record["recipient"]),
        "place": place.get("name") or "-",
        "aux": ",".join(aux) or "-",
        "trigger": record.get("event_text") or "",
    }


def format_table(records: list[dict[str, Any]]) -> str:
    """A fixed-width table, one line per record."""
    lines = ["  ".join(name.ljust(width) for name, width in COLUMNS).rstrip()]
    for record in records:
        row = _row(record)
        cells = [row[name][:width].ljust(width) for name, width in COLUMNS]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
