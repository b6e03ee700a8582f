"""Stage 12: signals, the short tags the situation monitor counts.

Language-neutral derivations live in ``pantau/data/signals.yaml``; words that
imply a signal (``keadaan darurat`` -> state of emergency) are attached to
trigger rules in the language files and arrive here in ``event.signals``.
"""

from __future__ import annotations

from pantau.document import Document
from pantau.events import Event
from pantau.lexicon import data_file


def event_signals(event: Event) -> list[str]:
    """The signals of one anchored event, sorted."""
    table = data_file("signals.yaml")
    kind = event.rule.event
    mode = event.mode
    found = set(event.signals)
    found.update(table["by_type"].get(kind, []))
    found.update(table["by_mode"].get(f"{kind}/{mode}", []))
    for field in event.numbers:
        found.update(table["by_number"].get(field, []))

    crackdown = table["crackdown"]
    actor_sectors = {a.get("sector") for a in event.actor}
    if actor_sectors & set(crackdown["force_sectors"]):
        civilian = {r.get("sector") for r in event.recipient} & set(crackdown["civilian_sectors"])
        if f"{kind}/{mode}" in crackdown["modes"] or (kind == "ASSAULT" and civilian):
            found.add(crackdown["signal"])
    place_country = (event.place or {}).get("country")
    if kind == "ASSAULT" and "MIL" in actor_sectors and place_country:
        if any(a.get("code") == place_country for a in event.actor):
            found.add(table["troops_at_home"])

    context = set(event.context)
    considered = table["considered"]
    if context & set(considered["modes"]) and found & set(considered["replace"]):
        return [considered["with"]]
    if context & set(table["silencing_modes"]):
        return []
    return sorted(found)


def derive_signals(doc: Document) -> Document:
    for event in doc.events:
        event.signals = set(event_signals(event))
    return doc
