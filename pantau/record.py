"""Turn anchored events into event records (the contract in spec/events.md).

Repeats of one event within an article (the lead and a later paragraph both
say the embassy allowed staff to leave) become one record: events merge when
type, actor codes and auxiliary modes agree and their modes, dates, tolls
and recipients do not contradict. The merged record keeps the first mention's sentence (or the first
that dates the event in its own words, when the first gives no date) and takes
the most precise place and mode any mention gives.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pantau import __version__, plover
from pantau.document import Document
from pantau.events import Event
from pantau.lexicon import data_file

RECORD_VERSION = "pantau-1"
AUX_MODES = frozenset(plover.auxiliary_modes())
PLACE_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3, None: 4}


def _codes(entities: list[dict[str, Any]]) -> frozenset:
    return frozenset(e.get("code") for e in entities if e.get("code"))


def _aux(event: Event) -> tuple:
    return tuple(sorted(c for c in event.context if c in AUX_MODES))


def _date_rank(date: dict | None) -> int:
    """Dated in the mention's own words 0, by the story's last date 1, by publication 2."""
    if date is None:
        return 3
    return 2 if date.get("precision") == "published" else 1 if date.get("inherited") else 0


def _better_date(a: dict | None, b: dict | None) -> dict | None:
    return b if _date_rank(b) < _date_rank(a) else a


def _better_place(a: dict | None, b: dict | None) -> dict | None:
    if a is None:
        return b
    if b is not None and PLACE_RANK.get(b.get("precision"), 4) < PLACE_RANK.get(
        a.get("precision"), 4
    ):
        return b
    return a


def _modes_agree(a: Event, b: Event) -> bool:
    """Same mode, or one unspecified, except for types whose modes are distinct events
    (a riot is not the protest it grew from)."""
    if a.mode == b.mode:
        return True
    distinct = data_file("merging.yaml").get("distinct_mode_types", [])
    return (a.mode is None or b.mode is None) and a.rule.event not in distinct


def _dates_agree(a: dict | None, b: dict | None) -> bool:
    """Two mentions dated in their own words on different days are different events."""
    if _date_rank(a) or _date_rank(b):
        return True
    return a.get("date") == b.get("date")


def _counts_agree(a: dict[str, int], b: dict[str, int]) -> bool:
    """Different death or injury tolls in two mentions mean two attacks (20 dead in
    Qalat, 48 in Kabul), not one told twice."""
    return all(a[f] == b[f] for f in ("dead", "injured") if f in a and f in b)


def _same_event(a: Event, b: Event) -> bool:
    """Whether mention ``b`` repeats the event of mention ``a`` (see the module docstring).
    An unknown actor ("were hit by drone strikes") is compatible with a known one."""
    if a.rule.event != b.rule.event or _aux(a) != _aux(b):
        return False
    actors_a, actors_b = _codes(a.actor), _codes(b.actor)
    recipients_a, recipients_b = _codes(a.recipient), _codes(b.recipient)
    return (
        (actors_a == actors_b or not actors_a or not actors_b)
        and (not recipients_a or not recipients_b or recipients_a == recipients_b)
        and _modes_agree(a, b)
        and _dates_agree(a.date, b.date)
        and _counts_agree(a.numbers, b.numbers)
    )


def _fold(target: Event, event: Event) -> None:
    """Take into ``target`` what mention ``event`` adds."""
    target.place = _better_place(target.place, event.place)
    target.mode = target.mode or event.mode
    if not _codes(target.actor) and _codes(event.actor):
        target.actor = event.actor
    if not target.recipient:
        target.recipient = event.recipient
    target.signals |= event.signals
    for field, value in event.numbers.items():
        target.numbers[field] = max(target.numbers.get(field, 0), value)
    target.via = list(dict.fromkeys(target.via + event.via))
    target.attribution = target.attribution or event.attribution


def merge_repeats(events: list[Event]) -> list[Event]:
    """Fold later mentions of the same event into the first (see module docstring).

    A mention that refers back to an earlier one ("the attack had killed twelve")
    always joins the record that holds it, whatever toll it gives.
    """
    kept: list[Event] = []
    holder: dict[int, Event] = {}  # id(mention) -> the kept event that represents it
    for event in events:
        referent = event.referent
        if referent is not None and _aux(referent) != _aux(event):
            referent = None  # "facilitate the evacuation" after a denied one: another event
        target = holder.get(id(referent)) if referent is not None else None
        if target is None:
            target = next((k for k in kept if _same_event(k, event)), None)
        if target is None:
            kept.append(event)
            holder[id(event)] = event
            continue
        if referent is None and _date_rank(event.date) == 0 < _date_rank(target.date):
            # A later mention that dates the event in its words says more: it represents it.
            kept[kept.index(target)] = event
            for mention, held in holder.items():
                if held is target:
                    holder[mention] = event
            target, event = event, target
        _fold(target, event)
        holder[id(event)] = target
    return kept


def _record_id(doc: Document, event: Event) -> str:
    key = f"{doc.article.id}|{event.start}|{event.end}|{event.rule.name}"
    return "evt-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def to_record(doc: Document, event: Event) -> dict[str, Any]:
    rule = event.rule
    kind, mode = rule.event, event.mode
    article = doc.article
    date = event.date or {}
    return {
        "id": _record_id(doc, event),
        "version": RECORD_VERSION,
        "date": date.get("date"),
        "date_text": date.get("text"),
        "date_precision": date.get("precision"),
        "event": [kind],
        "mode": [mode] if mode else [],
        "context": list(event.context),
        "actor": event.actor,
        "recipient": event.recipient,
        "event_loc": event.place,
        "dead": event.numbers.get("dead"),
        "injured": event.numbers.get("injured"),
        "arrested": event.numbers.get("arrested"),
        "size": event.numbers.get("size"),
        "quad_code": plover.quad_code(kind),
        "event_scale": plover.event_scale(kind, mode),
        "cameo": rule.spec.get("cameo") or plover.cameo_code(kind, mode),
        "signals": sorted(event.signals),
        "event_text": event.event_text,
        "text_info": {
            "sequence": event.sentence.index,
            "start": event.sentence.start,
            "end": event.sentence.end,
            "trigger_start": event.start,
            "trigger_end": event.end,
        },
        "sentence": event.sentence.text,
        "attribution": event.attribution,
        "via": event.via,
        "article": {
            "id": article.id,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
            "lang": doc.lang,
            "title": article.title,
        },
        "coder": f"pantau {__version__} rule:{rule.name}",
    }


def build_records(doc: Document) -> Document:
    """Merge repeated events and write ``doc.records``."""
    doc.records = [to_record(doc, e) for e in merge_repeats(doc.events)]
    return doc
