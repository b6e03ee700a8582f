"""Dictionary rows learnt from coded articles: ``pantau actors suggest``.

Within one article a name introduced with an office ("Menteri Luar Negeri Kazakhstan Mukhtar
Tileuberdi") already binds to it (see :mod:`pantau.actors`). Across articles, a name that
appears with the same country and office in several of them is probably a dictionary
entry worth keeping: :func:`suggest` reads records (``pantau code`` output), counts the
distinct articles per (name, country, office), leaves out names the built-in office
holders already know (or the start of one), and returns rows in the user-dictionary CSV format of
:mod:`pantau.userdict` (``valid_from`` = the first article's date; ``valid_to`` empty).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau.actor_lexicon import office_holders
from pantau.errors import InputError

COLUMNS = ("name", "country", "sector", "valid_from", "valid_to", "office", "kind", "note")


@dataclass
class _Seen:
    articles: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    sectors: dict[str, int] = field(default_factory=dict)
    example: str = ""


def read_records(path: str | Path) -> Iterator[dict[str, Any]]:
    """Records from a JSONL file (``-`` is not supported: suggestions need a whole file)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot read: {reason}", str(path)) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not a JSON record: {exc.msg}", str(path), n) from exc
        if not isinstance(record, dict):
            raise InputError("not a JSON object", str(path), n)
        yield record


def _introduced_names(record: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Entities naming a person right after a title: the surface ends with the name."""
    for entity in (record.get("actor") or []) + (record.get("recipient") or []):
        if not isinstance(entity, dict):
            continue
        name, text = entity.get("identifier_text") or "", entity.get("entity_text") or ""
        if entity.get("office") and entity.get("code") and name and text != name:
            if text.endswith(name) and name[:1].isupper():
                yield entity, name


def suggest(records: Iterable[dict[str, Any]], min_articles: int = 3) -> list[dict[str, str]]:
    """Rows for names seen with the same country and office in ``min_articles`` articles or
    more, most frequent first; names of the built-in office holders are left out."""
    holders = office_holders()
    known = {e.name.lower() for e in holders} | {s.lower() for e in holders for s in e.short}
    # a known name cut short: "Wapres Kalla", "Presiden AS Donald" (a corpus lost the surname)
    known |= {w[0] for n in list(known) if len(w := n.split()) > 1}
    known |= {w[-1] for n in list(known) if len(w := n.split()) > 1}
    seen: dict[tuple[str, str, str], _Seen] = {}
    for record in records:
        article = record.get("article") or {}
        for entity, name in _introduced_names(record):
            if name.lower() in known:
                continue
            s = seen.setdefault((name, entity["code"], entity["office"]), _Seen())
            s.articles.add(str(article.get("id") or record.get("id")))
            if article.get("published"):
                s.dates.add(article["published"])
            sector = entity.get("sector") or ""
            s.sectors[sector] = s.sectors.get(sector, 0) + 1
            s.example = s.example or entity.get("entity_text") or ""
    rows = []
    for (name, code, office), s in seen.items():
        if len(s.articles) < min_articles:
            continue
        dates = sorted(s.dates)
        span = f", {dates[0]} to {dates[-1]}" if dates else ""
        rows.append((len(s.articles), {
            "name": name, "country": code, "sector": max(s.sectors, key=s.sectors.__getitem__),
            "valid_from": dates[0] if dates else "", "valid_to": "", "office": office,
            "kind": "person", "note": f"seen in {len(s.articles)} articles{span}: {s.example}",
        }))  # fmt: skip
    return [row for _, row in sorted(rows, key=lambda r: (-r[0], r[1]["name"]))]


def to_csv(rows: list[dict[str, str]]) -> str:
    """The rows as a user-dictionary CSV (header included), ready for ``pantau actors check``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
