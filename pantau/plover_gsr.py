"""Score pantau on the PLOVER gold-standard records (GSR): the engine of ``pantau peer plover``.

The GSR file (``<shared>/peer/plover/PLOVER_GSR_CAMEO.txt``, OEDA, CC BY-SA 4.0) is a
JSON list of 322 English example sentences from the CAMEO manual, each with ONE gold
event: its type, source and target actors (country code, sometimes a sector) and, for
about half, a mode. It was coded with PLOVER 0.5b1, so its names are converted to the
v0.8 names pantau writes, following the manual's "CAMEO to PLOVER translation" table:
DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE ``investigate``,
FIGHT -> ASSAULT; old modes map to their v0.8 equivalent (``_MODES``).

Every sentence is coded alone, as an English article published 2000-01-01 (the GSR's
placeholder date). How records are paired with the gold event of their sentence:

- **type level**: the first record whose type equals the gold type is a true positive
  of that type; every other record of the sentence is a false positive of its own type
  (a second record of the gold type counts as a duplicate); a gold event with no such
  record is a false negative of its type.
- **strict level**: as above, but the record must also agree on actors the way the
  dev-gold scorer (:mod:`pantau.evaluate`) asks: all its actor codes among the gold
  source codes, its recipient codes (if any) among the gold target codes. In
  reciprocal items (``SRC/TAR`` markup) either side may be the recipient. The GSR's
  generic codes (IGO, NGO, IMG, ISM, MNC) accept any organisation code pantau knows
  (UNO, EUR, NATO, ...), and its pre-ISO codes JAP, ITL, VTN read as JPN, ITA, VNM.
- **mode accuracy**: over type-level matches whose gold mode has a v0.8 equivalent.

The GSR lists one event per sentence, so other real events in a sentence count as
false positives: precision here is a lower bound.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau.document import Article
from pantau.errors import InputError
from pantau.plover import event_types, igo_codes, is_valid

GSR_FILE = Path("peer") / "plover" / "PLOVER_GSR_CAMEO.txt"
PUBLISHED = dt.date(2000, 1, 1)

# PLOVER 0.5b1 type -> v0.8 type (PLOVER manual, "CAMEO to PLOVER translation").
_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# Types whose v0.8 successor is one mode of another type.
_TYPE_MODES = {"INVESTIGATE": "investigate"}
# 0.5b1 mode -> v0.8 mode of the converted type; modes with no v0.8 equivalent (COERCE
# destroy and firearms, FIGHT deport and other) map to None and are not scored.
_MODES = {
    ("PROTEST", "demo-org"): "demo",
    ("PROTEST", "demo-spon"): "demo",
    ("PROTEST", "riot-spon"): "riot",
    ("PROTEST", "strike-gen"): "strike",
    ("PROTEST", "strike-hun"): "hunger",
    ("ASSAULT", "assassinate"): "targeted",
    ("COERCE", "detain"): "arrest",
    ("COERCE", "confiscate"): "seize",
    ("COERCE", "ban"): "restrict",  # v0.8 restrict covers banning from political life
    ("CONSULT", "host"): "visit",  # v0.8 visit covers both sides of a visit
    ("THREATEN", "curfew"): "restrict",  # v0.8 THREATEN restrict includes curfews
    ("THREATEN", "martial-law"): "restrict",
    ("THREATEN", "political"): "restrict",
}
_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
_GENERIC = frozenset({"IGO", "NGO", "IMG", "ISM", "MNC"})


@dataclass(frozen=True)
class GsrItem:
    """One GSR sentence with its gold event, converted to PLOVER v0.8 names."""

    id: str
    text: str
    event: str  # v0.8 type
    mode: str | None  # v0.8 mode, None when gold gives none or it has no equivalent
    actors: frozenset[str | None]  # gold source codes; {None} when there is no source
    recipients: frozenset[str]  # gold target codes, plus the sources when reciprocal
    event_text: str  # the GSR eventText: the words that carry the event
    gold_event: str  # type and mode as the file has them
    gold_mode: str | None


def _code(entity: Any) -> str | None:
    code = entity.get("code") if isinstance(entity, dict) else None
    return _CODES.get(code, code) if isinstance(code, str) and code else None


def _entities(value: Any) -> list[Any]:
    # "target" is a list, null, "" or (once) a stray context word: only dicts are actors.
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _item(row: dict[str, Any]) -> GsrItem:
    old = str(row["event"]).upper()
    event = _TYPES.get(old, old)
    gold_mode = row.get("mode") or None
    mode = _TYPE_MODES.get(old) or _MODES.get((event, gold_mode), gold_mode)
    if mode and not is_valid(event, mode):
        mode = None
    sources = {_code(e) for e in _entities(row.get("source"))} or {None}
    targets = {c for e in _entities(row.get("target")) if (c := _code(e))}
    info = row.get("textInfo")
    if "SRC/TAR" in str(info.get("markup") if isinstance(info, dict) else info):
        targets |= sources - {None}
    return GsrItem(
        id=str(row.get("id")),
        text=str(row["text"]).strip(),
        event=event,
        mode=mode,
        actors=frozenset(sources),
        recipients=frozenset(targets),
        event_text=str(row.get("eventText") or ""),
        gold_event=old,
        gold_mode=gold_mode,
    )


def load_gsr(path: str | Path) -> list[GsrItem]:
    """The sentences of a GSR file (the DOCUMENT header and rows without text are skipped)."""
    p = Path(path)
    try:
        rows = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("PLOVER GSR file not found (point --shared at ../shared)", str(p)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the PLOVER GSR file: {exc}", str(p)) from exc
    if not isinstance(rows, list):
        raise InputError("not a PLOVER GSR file: expected a JSON list of records", str(p))
    items = [
        _item(row)
        for row in rows
        if isinstance(row, dict)
        and isinstance(row.get("text"), str)
        and row["text"].strip()
        and isinstance(row.get("event"), str)
        and row["event"] != "DOCUMENT"
    ]
    if not items:
        raise InputError("no sentences with a gold event in this file", str(p))
    return items


def _agrees(entities: Any, gold: frozenset[str | None], empty_ok: bool) -> bool:
    """All coded entities among the gold codes; no coded entity is right when ``empty_ok``
    (a recipient left open) or when gold has no identified actor either."""
    codes = {e.get("code") for e in entities or [] if isinstance(e, dict)} - {None, ""}
    if not codes:
        return empty_ok or None in gold
    orgs = igo_codes() - _GENERIC if gold & _GENERIC else set()
    return all(c in gold or c in orgs for c in codes)


def _type(rec: dict[str, Any]) -> str:
    event = rec.get("event")
    return str(event[0]) if isinstance(event, list) and event else "?"


def _mode(rec: dict[str, Any]) -> str | None:
    mode = rec.get("mode")
    return str(mode[0]) if isinstance(mode, list) and mode else None


@dataclass
class ItemResult:
    """What pantau coded for one GSR sentence and how it paired with the gold event."""

    item: GsrItem
    predicted: list[tuple[str, str | None]]  # (type, mode) of each record, in order
    matched: bool = False  # type level
    strict: bool = False  # type + actors
    mode_ok: bool | None = None  # None when not a match or gold has no v0.8 mode
    error: str | None = None  # the coder refused the sentence


@dataclass
class Tally:
    """True/false positives and false negatives of one type (or summed over types)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else None


@dataclass
class GsrReport:
    """Per-type tallies at both levels, mode accuracy and the per-sentence results."""

    items: list[ItemResult]
    types: dict[str, Tally] = field(default_factory=dict)  # type level
    strict: dict[str, Tally] = field(default_factory=dict)  # type + actors
    duplicates: int = 0  # extra records of the gold type in a matched sentence
    mode_n: int = 0
    mode_correct: int = 0

    @property
    def mode_accuracy(self) -> float | None:
        return self.mode_correct / self.mode_n if self.mode_n else None

    def micro(self, strict: bool = False) -> Tally:
        total = Tally()
        for t in (self.strict if strict else self.types).values():
            total.tp, total.fp, total.fn = total.tp + t.tp, total.fp + t.fp, total.fn + t.fn
        return total

    def macro_f1(self, strict: bool = False) -> float | None:
        """Mean F1 over the types gold has (a type pantau never finds scores 0)."""
        table = self.strict if strict else self.types
        gold = {r.item.event for r in self.items}
        scores = [table[t].f1 or 0.0 for t in gold if t in table]
        return sum(scores) / len(scores) if scores else None


def score_item(item: GsrItem, records: list[dict[str, Any]]) -> ItemResult:
    """Pair one sentence's records with its gold event (see the module docstring)."""
    result = ItemResult(item, [(_type(r), _mode(r)) for r in records])
    for rec in records:
        if _type(rec) != item.event:
            continue
        if not result.matched:
            result.matched = True
            if item.mode is not None:
                result.mode_ok = _mode(rec) == item.mode
        if not result.strict:
            result.strict = _agrees(rec.get("actor"), item.actors, False) and _agrees(
                rec.get("recipient"), item.recipients, True
            )
    return result


def _count(table: dict[str, Tally], result: ItemResult, hit: bool) -> None:
    gold = table.setdefault(result.item.event, Tally())
    gold.tp += hit
    gold.fn += not hit
    # The record paired with gold is the first of the gold type (type level) or the
    # first that also agrees on actors (strict); every other record is a false positive.
    for event, _ in result.predicted:
        table.setdefault(event, Tally()).fp += 1
    gold.fp -= hit


def _add(report: GsrReport, result: ItemResult) -> None:
    report.items.append(result)
    _count(report.types, result, result.matched)
    _count(report.strict, result, result.strict)
    if result.matched:
        report.duplicates += sum(e == result.item.event for e, _ in result.predicted) - 1
    if result.mode_ok is not None:
        report.mode_n += 1
        report.mode_correct += result.mode_ok


def score_gsr(
    items: Iterable[GsrItem],
    records: Iterable[list[dict[str, Any]]],
    errors: Iterable[str | None] | None = None,
) -> GsrReport:
    """Score each item against its records (``records``, and ``errors`` if given, in item order)."""
    report = GsrReport(items=[])
    items = list(items)
    errs = list(errors) if errors is not None else [None] * len(items)
    for item, recs, error in zip(items, records, errs, strict=True):
        result = score_item(item, recs)
        result.error = error
        _add(report, result)
    return report


def evaluate_gsr(shared: str | Path, code: Callable[[Article], list[dict[str, Any]]]) -> GsrReport:
    """Code every GSR sentence under ``shared`` with ``code`` and score the records.

    ``shared`` is the shared folder (holding ``peer/plover/``), the GSR file or its folder.
    A sentence the coder refuses (:class:`InputError`) counts as coded with no records;
    other errors (a broken data file) stop the run.
    """
    p = Path(shared)
    if p.is_dir():  # the shared folder, or the folder holding the file itself
        p = p / GSR_FILE.name if (p / GSR_FILE.name).is_file() else p / GSR_FILE
    items = load_gsr(p)
    records: list[list[dict[str, Any]]] = []
    errors: list[str | None] = []
    for item in items:
        article = Article(item.id, item.text, source=item.id, published=PUBLISHED, lang="en")
        try:
            records.append(list(code(article)))
            errors.append(None)
        except InputError as exc:  # a refused sentence must not stop the run; DataError must
            records.append([])
            errors.append(str(exc))
    return score_gsr(items, records, errors)


def _order(report: GsrReport) -> list[str]:
    # PLOVER manual order, then anything else a coder wrote.
    seen = set(report.types)
    return [t for t in event_types() if t in seen] + sorted(seen - set(event_types()))


def _num(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def misses(report: GsrReport) -> dict[str, Counter[str]]:
    """Per gold type, what pantau coded for the sentences it missed (``none``: no record)."""
    out: dict[str, Counter[str]] = {}
    for r in report.items:
        if not r.matched:
            got = "+".join(sorted({e for e, _ in r.predicted})) or "none"
            out.setdefault(r.item.event, Counter())[got] += 1
    return dict(sorted(out.items(), key=lambda kv: -sum(kv[1].values())))


def format_gsr_report(report: GsrReport, verbose: bool = False) -> str:
    """The per-type table (type level, then strict); ``verbose`` adds every missed sentence."""
    records = sum(len(r.predicted) for r in report.items)
    errors = [r.error for r in report.items if r.error]
    refused = f"{len(errors)} refused" + (f" (first: {errors[0]})" if errors else "")
    lines = [
        f"PLOVER GSR: {len(report.items)} sentences, {records} records "
        f"({report.duplicates} duplicates), {refused}",
        f"{'type':<10} {'gold':>4} {'rec':>4} | {'tp':>3}    P     R    F1 "
        f"| strict tp    P     R    F1",
    ]
    rows = [(t, report.types[t], report.strict[t]) for t in _order(report)]
    rows.append(("micro", report.micro(), report.micro(strict=True)))
    for name, t, s in rows:
        lines.append(
            f"{name:<10} {t.tp + t.fn:>4} {t.tp + t.fp:>4} | {t.tp:>3} {_num(t.precision)} "
            f"{_num(t.recall)} {_num(t.f1)} | {s.tp:>9} {_num(s.precision)} "
            f"{_num(s.recall)} {_num(s.f1)}"
        )
    macro = f"{_num(report.macro_f1()):>4}{'':>23}{_num(report.macro_f1(strict=True)):>4}"
    lines.append(f"{'macro F1':<37}{macro}")
    lines.append(
        f"mode accuracy (type matches whose gold mode exists in v0.8): "
        f"{report.mode_correct}/{report.mode_n} = {_num(report.mode_accuracy).strip()}"
    )
    for event, got in misses(report).items():
        lines.append(f"missed {event}: " + ", ".join(f"{k} {v}" for k, v in got.most_common()))
        if verbose:
            for r in report.items:
                if r.item.event == event and not r.matched:
                    coded = ",".join(e for e, _ in r.predicted) or "-"
                    text = r.item.text if len(r.item.text) <= 100 else r.item.text[:99] + "…"
                    lines.append(f"  {r.item.id} [{r.item.event_text}] coded {coded}: {text}")
    return "\n".join(lines)


def _tally_dict(t: Tally) -> dict[str, Any]:
    return {k: getattr(t, k) for k in ("tp", "fp", "fn", "precision", "recall", "f1")}


def gsr_report_to_dict(report: GsrReport) -> dict[str, Any]:
    """A JSON-ready form of the report (``pantau peer plover --format json``)."""
    return {
        "sentences": len(report.items),
        "records": sum(len(r.predicted) for r in report.items),
        "duplicates": report.duplicates,
        "types": {
            t: {**_tally_dict(report.types[t]), "strict": _tally_dict(report.strict[t])}
            for t in _order(report)
        },
        "micro": _tally_dict(report.micro()),
        "strict_micro": _tally_dict(report.micro(strict=True)),
        "macro_f1": report.macro_f1(),
        "strict_macro_f1": report.macro_f1(strict=True),
        "mode": {
            "n": report.mode_n,
            "correct": report.mode_correct,
            "accuracy": report.mode_accuracy,
        },
        "missed": [
            {
                "id": r.item.id,
                "event": r.item.event,
                "event_text": r.item.event_text,
                "coded": [e for e, _ in r.predicted],
                "error": r.error,
            }
            for r in report.items
            if not r.matched
        ],
    }
