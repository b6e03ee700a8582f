"""PLOVER and CAMEO reference data: event types, modes, scores and crosswalks.

Everything here is read from two packaged files, parsed once per process:

- ``pantau/data/plover.yaml``: the 16 PLOVER event types plus pantau's ADVISE,
  each with its quad category, PLOVER score, closest CAMEO code and modes;
  the PLOVER contexts, auxiliary modes, actor sectors and non-country entity
  codes (UN, EU, NATO, ...).
- ``pantau/data/cameo.tsv``: every CAMEO code with its name, Goldstein value,
  GDELT quad class and the PLOVER type/mode it converts to.

Lookups take event names in any case (``"sanction"`` is ``SANCTION``) and
treat an empty mode as no mode. An unknown event or mode raises
:class:`~pantau.errors.DataError`: the caller's rules name something PLOVER
does not have, which is a data bug to fix, not input to tolerate. Use
:func:`is_valid` to test first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from pantau.errors import DataError
from pantau.lexicon import data_file

_PLOVER = "plover.yaml"
_CAMEO = "cameo.tsv"


@dataclass(frozen=True, slots=True)
class _Event:
    quad: int
    scale: float
    cameo: str
    # mode -> (scale, cameo); the mode's scale already falls back to the type's.
    modes: dict[str, tuple[float, str]]


@dataclass(frozen=True, slots=True)
class _Cameo:
    name: str
    goldstein: float
    quad: int
    event: str | None
    mode: str | None


def _scale(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not -10 <= value <= 10:
        raise DataError(f"event_scale must be a number in -10..10, got {value!r}", _PLOVER + where)
    return float(value)


def _code(value: Any, where: str) -> str:
    # Quoted in the YAML so leading zeros survive; a bare number means they were lost.
    if not isinstance(value, str) or not value.isdigit():
        raise DataError(f"CAMEO code must be a quoted digit string, got {value!r}", _PLOVER + where)
    return value


@functools.cache
def _events() -> dict[str, _Event]:
    raw = data_file(_PLOVER).get("events")
    if not isinstance(raw, dict) or not raw:
        raise DataError("no 'events' mapping", _PLOVER)
    events: dict[str, _Event] = {}
    for name, spec in raw.items():
        where = f": events.{name}"
        if not isinstance(spec, dict):
            raise DataError("event entry must be a mapping", _PLOVER + where)
        quad = spec.get("quad")
        if quad not in (1, 2, 3, 4):
            raise DataError(f"quad must be 1-4, got {quad!r}", _PLOVER + where)
        scale = _scale(spec.get("scale"), where)
        cameo = _code(spec.get("cameo"), where)
        modes: dict[str, tuple[float, str]] = {}
        for mode, mspec in (spec.get("modes") or {}).items():
            mwhere = f"{where}.{mode}"
            if not isinstance(mspec, dict):
                raise DataError("mode entry must be a mapping", _PLOVER + mwhere)
            mscale = _scale(mspec["scale"], mwhere) if "scale" in mspec else scale
            modes[str(mode)] = (mscale, _code(mspec.get("cameo"), mwhere))
        events[str(name)] = _Event(quad, scale, cameo, modes)
    return events


def _event(event: str) -> _Event:
    found = _events().get(event.upper())
    if found is None:
        raise DataError(f"unknown PLOVER event type {event!r}", _PLOVER)
    return found


def _mode(event: str, mode: str | None) -> tuple[float, str] | None:
    """The (scale, cameo) of a mode, or None for no mode; unknown modes raise."""
    if not mode:
        return None
    found = _event(event).modes.get(mode.lower())
    if found is None:
        raise DataError(f"{event.upper()} has no mode {mode!r}", _PLOVER)
    return found


@functools.cache
def _cameo_table() -> dict[str, _Cameo]:
    table: dict[str, _Cameo] = {}
    for line, row in enumerate(data_file(_CAMEO), start=2):
        try:
            table[row["code"]] = _Cameo(
                name=row["name"],
                goldstein=float(row["goldstein"]),
                quad=int(row["quad"]),
                event=row["plover_event"] or None,
                mode=row["plover_mode"] or None,
            )
        except (KeyError, ValueError) as exc:
            raise DataError(f"bad row: {exc}", _CAMEO, line) from exc
    return table


def event_types() -> list[str]:
    """All event types pantau codes: the 16 PLOVER types, then ADVISE."""
    return list(_events())


def modes(event: str) -> list[str]:
    """The modes of ``event`` in manual order; empty for types without modes."""
    return list(_event(event).modes)


def quad_code(event: str) -> int:
    """1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."""
    return _event(event).quad


def event_scale(event: str, mode: str | None = None) -> float:
    """PLOVER score (-10..+10) of the mode if it has its own, else of the type."""
    found = _mode(event, mode)
    return found[0] if found else _event(event).scale


def cameo_code(event: str, mode: str | None = None) -> str:
    """Closest CAMEO code for the type and mode, e.g. ``("SANCTION", "withdraw") -> "161"``."""
    found = _mode(event, mode)
    return found[1] if found else _event(event).cameo


def is_valid(event: str, mode: str | None = None) -> bool:
    """True if ``event`` is a known type and ``mode`` is None or one of its modes."""
    found = _events().get(event.upper())
    return found is not None and (not mode or mode.lower() in found.modes)


def goldstein(cameo: str) -> float | None:
    """Goldstein value of a CAMEO code (CAMEO codebook values), None if unknown."""
    found = _cameo_table().get(cameo.strip())
    return found.goldstein if found else None


def cameo_name(cameo: str) -> str | None:
    """The codebook name of a CAMEO code, None if unknown."""
    found = _cameo_table().get(cameo.strip())
    return found.name if found else None


def cameo_quad(cameo: str) -> int | None:
    """GDELT QuadClass of a CAMEO code (by its root), None if unknown."""
    found = _cameo_table().get(cameo.strip())
    return found.quad if found else None


def cameo_to_plover(cameo: str) -> tuple[str, str | None] | None:
    """PLOVER (event, mode) for a CAMEO code; None if unknown or dropped (roots 01, 02)."""
    found = _cameo_table().get(cameo.strip())
    if found is None or found.event is None:
        return None
    return found.event, found.mode


def contexts() -> list[str]:
    """PLOVER general context names (``diplomatic``, ``pro_democracy``, ...)."""
    return list(data_file(_PLOVER)["contexts"])


def auxiliary_modes() -> list[str]:
    """``hypothetical``, ``future``, ``historical``, ``negation``: go into ``context``."""
    return list(data_file(_PLOVER)["auxiliary_modes"])


@functools.cache
def _sectors() -> frozenset[str]:
    return frozenset(data_file(_PLOVER)["sectors"])


def sectors() -> set[str]:
    """Valid actor/recipient sector codes (GOV, MIL, COP, ..., IGO, NGO)."""
    return set(_sectors())


@functools.cache
def _entities() -> dict[str, dict[str, str]]:
    return dict(data_file(_PLOVER)["entities"])


def igo_codes() -> set[str]:
    """Entity codes that are organisations, not countries (UNO, EUR, NATO, ASEAN, ...)."""
    return set(_entities())


def entity_sector(code: str) -> str | None:
    """Default sector of an organisation's own staff (UNO -> IGO, HRW -> NGO), else None."""
    found = _entities().get(code)
    return found["sector"] if found else None
