"""Geoparsing figures: where pantau puts events and places, against three references.

- (a) :func:`event_location_figures` — the gold re-annotated sentences (``source:
  RELABEL``) of Halterman's *event_location* data (English): each names one verb and
  the places where that verb's event happened, or none. pantau codes the sentence and
  :func:`pantau.places.event_place_span` picks the event's place for the trigger
  pantau found at the verb (else the verb itself); right when it overlaps a gold
  place, or when both say "no place in this sentence". Two baselines over the same
  place spans (the first place, the place nearest the verb) show what the choice adds.
- (b) :func:`toponym_figures` — the place tokens of the INA-Geoparser corpus
  (Indonesian news, a token per line, gold coordinates on each place): the share
  pantau finds and puts within 25 km and within 161 km (100 miles, the usual
  geoparsing threshold) of the gold point; overall and split by the corpus' own
  level (countries and provinces, whose gold point is an arbitrary centroid, apart
  from cities, districts and villages).
- (c) :func:`gold_country_figures` — the event-location country accuracy of
  ``pantau eval`` on the development gold, per language and overall.

:func:`geoeval` runs the three over a ``shared`` folder, :func:`format_report`
prints them: ``pantau geoeval ../shared``.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau.document import Article, Document, Span
from pantau.errors import InputError
from pantau.evaluate import Acc, evaluate
from pantau.pipeline import code_article, process
from pantau.places import PHYSICAL, event_place_span

EVENT_LOCATION = Path("peer/event_location/labeled_text.jsonl.zip")
INAGEOPARSER = Path("peer/inageoparser/training.txt")
GOLDEN = Path("golden")
NEAR_KM, FAR_KM = 25.0, 161.0
# INA-Geoparser levels: 0 country, 1 province, 2 regency/city, 3 district, 4 village, 5 other
LEVEL_GROUPS = {"country/province": ("0", "1"), "city and below": ("2", "3", "4", "5")}


@dataclass
class EventLocationFigures:
    """(a): pantau and two baselines, over sentences with and without a gold place."""

    pantau: Acc = field(default_factory=Acc)
    with_place: Acc = field(default_factory=Acc)  # gold names a place: pantau overlaps one
    without_place: Acc = field(default_factory=Acc)  # gold names none: pantau names none
    recognised: Acc = field(default_factory=Acc)  # gold places that are pantau place spans
    first_place: Acc = field(default_factory=Acc)
    nearest_place: Acc = field(default_factory=Acc)


@dataclass
class ToponymFigures:
    """(b): gold place mentions, found by pantau and put near the gold point."""

    mentions: int = 0
    found: int = 0
    near: int = 0  # within NEAR_KM
    far: int = 0  # within FAR_KM
    errors_km: list[float] = field(default_factory=list)  # of the found ones

    def share(self, count: int) -> float | None:
        return count / self.mentions if self.mentions else None


@dataclass
class GeoReport:
    event_location: EventLocationFigures | None
    toponyms: dict[str, ToponymFigures] | None  # "all" and per LEVEL_GROUPS
    gold_country: dict[str, Acc] | None


def _overlaps(a: Span | tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    start, end = (a.start, a.end) if isinstance(a, Span) else a
    return any(start < e and s < end for s, e in spans)


def _tally(acc: Acc, ok: bool) -> None:
    acc.n += 1
    acc.correct += ok


def _read_event_location(path: Path) -> list[dict[str, Any]]:
    try:
        with zipfile.ZipFile(path) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".jsonl") and "/" not in n)
            rows = json.loads(zf.read(name))  # one JSON array despite the name
    except (OSError, zipfile.BadZipFile, StopIteration, ValueError) as exc:
        raise InputError(f"not the event_location archive: {exc}", str(path)) from exc
    return [r for r in rows if r.get("source") == "RELABEL" and r.get("spans")]


def _offsets(row: dict[str, Any], label: str) -> list[tuple[int, int]]:
    """Character offsets of the spans labelled ``label``, from their tokens (the spans'
    own ``start``/``end`` are token numbers in some rows)."""
    toks = row["tokens"]
    return [
        (toks[s["token_start"]]["start"], toks[s["token_end"]]["end"])
        for s in row["spans"]
        if s["label"] == label
    ]


def event_location_figures(path: str | Path) -> EventLocationFigures:
    """Score the event place pantau picks for the verb of each RELABEL sentence of the
    event_location archive at ``path`` (``labeled_text.jsonl.zip``)."""
    figs = EventLocationFigures()
    for row in _read_event_location(Path(path)):
        verbs = _offsets(row, "VERB")
        if not verbs:
            continue
        gold = _offsets(row, "LOCATION")
        doc = process(Article(id=row["_id"], text=row["text"], lang="en"))
        verb, verb_end = verbs[0]
        sent = next((s for s in doc.sentences if s.start <= verb < s.end), None)
        places = doc.spans_in(sent.start, sent.end, "place") if sent else []
        # The trigger pantau found at the verb, if any: its words and type, as in anchor.
        ev = next((e for e in doc.events if e.start < verb_end and verb < e.end), None)
        near, end = (ev.start, ev.end) if ev else (verb, verb_end)
        physical = ev is not None and ev.rule.event in PHYSICAL
        chosen = event_place_span(doc, sent, near, end, physical) if sent else None

        def right(span: Span | None, gold: list[tuple[int, int]] = gold) -> bool:
            return _overlaps(span, gold) if span is not None else not gold

        _tally(figs.pantau, right(chosen))
        _tally(figs.with_place if gold else figs.without_place, right(chosen))
        for g in gold:
            _tally(figs.recognised, any(_overlaps(p, [g]) for p in places))
        first = min(places, key=lambda s: s.start, default=None)
        nearest = min(
            places, key=lambda s: min(abs(s.start - verb), abs(s.end - verb)), default=None
        )
        _tally(figs.first_place, right(first))
        _tally(figs.nearest_place, right(nearest))
    return figs


_COORDS = re.compile(r"/\((-?\d+(?:\.\d+)?), ?(-?\d+(?:\.\d+)?)\)(?:/(\d+))?$")
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%")
_NO_SPACE_AFTER = frozenset("([{")


@dataclass
class _Mention:
    start: int
    end: int
    lat: float
    lon: float
    level: str | None


def _ina_documents(path: Path) -> list[tuple[str, list[_Mention]]]:
    """The corpus as (text, gold place mentions) per article: tokens rejoined with
    spaces (none before closing punctuation), sentences as paragraphs, articles split
    at ``===`` lines. A mention is a B-LOC/B-PLOC token with coordinates and the I-
    tokens after it."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from exc
    docs: list[tuple[str, list[_Mention]]] = []
    text, mentions = "", []
    open_mention: _Mention | None = None
    for line in [*lines, "==="]:
        if line.startswith("==="):
            if text.strip():
                docs.append((text, mentions))
            text, mentions, open_mention = "", [], None
            continue
        if not line.strip():
            text += "\n\n" if text and not text.endswith("\n") else ""
            open_mention = None
            continue
        m = _COORDS.search(line)
        fields = (line[: m.start()] if m else line).rsplit("/", 3)
        if len(fields) < 4:
            continue
        token, entity = fields[0], fields[2]
        if text and not text.endswith("\n") and token not in _NO_SPACE_BEFORE:
            text += "" if text[-1] in _NO_SPACE_AFTER else " "
        start = len(text)
        text += token
        if m and entity in ("B-LOC", "B-PLOC"):
            lat, lon = float(m.group(1)), float(m.group(2))
            open_mention = _Mention(start, len(text), lat, lon, m.group(3))
            mentions.append(open_mention)
        elif open_mention is not None and entity in ("I-LOC", "I-PLOC"):
            open_mention.end = len(text)
        else:
            open_mention = None
    return docs


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _best_span(doc: Document, mention: _Mention) -> Span | None:
    """The place span overlapping the gold mention most."""
    where = [(mention.start, mention.end)]
    spans = [s for s in doc.spans if s.kind == "place" and _overlaps(s, where)]
    return max(
        spans, key=lambda s: min(s.end, mention.end) - max(s.start, mention.start), default=None
    )


def toponym_figures(path: str | Path) -> dict[str, ToponymFigures]:
    """Resolve the gold place mentions of INA-Geoparser's ``training.txt`` at ``path``:
    figures for ``all`` mentions and per group of :data:`LEVEL_GROUPS`."""
    figs = {"all": ToponymFigures(), **{g: ToponymFigures() for g in LEVEL_GROUPS}}
    for i, (text, mentions) in enumerate(_ina_documents(Path(path))):
        doc = process(Article(id=f"ina-{i}", text=text, lang="id"))
        for mention in mentions:
            span = _best_span(doc, mention)
            km = None
            if span is not None:
                km = haversine_km(span.data["lat"], span.data["lon"], mention.lat, mention.lon)
            groups = [g for g, levels in LEVEL_GROUPS.items() if mention.level in levels]
            for f in [figs["all"], *(figs[g] for g in groups)]:
                f.mentions += 1
                if km is not None:
                    f.found += 1
                    f.errors_km.append(km)
                    f.near += km <= NEAR_KM
                    f.far += km <= FAR_KM
    return figs


def gold_country_figures(path: str | Path) -> dict[str, Acc]:
    """Event-location country accuracy of ``pantau eval`` on the gold at ``path``:
    per language and ``all``."""
    report = evaluate(path, code_article)
    figs = {lang: c.attrs["location_country"] for lang, c in report.languages.items()}
    figs["all"] = report.overall.attrs["location_country"]
    return figs


def geoeval(shared: str | Path) -> GeoReport:
    """All three figures over the ``shared`` folder (``peer/event_location``,
    ``peer/inageoparser``, ``golden``); a reference that is not there is skipped
    (None). Raises InputError when none is."""
    root = Path(shared)
    a, b, c = (root / EVENT_LOCATION, root / INAGEOPARSER, root / GOLDEN)
    if not (a.exists() or b.exists() or c.exists()):
        raise InputError(
            "none of peer/event_location, peer/inageoparser, golden is here", str(root)
        )
    return GeoReport(
        event_location_figures(a) if a.exists() else None,
        toponym_figures(b) if b.exists() else None,
        gold_country_figures(c) if c.exists() else None,
    )


def _acc(a: Acc) -> str:
    return "-" if a.value is None else f"{a.value:.2f} ({a.correct}/{a.n})"


def format_report(report: GeoReport) -> str:
    """The figures as the text ``pantau geoeval`` prints."""
    out = []
    if (e := report.event_location) is not None:
        out.append(f"(a) event location, event_location RELABEL (en), {e.pantau.n} sentences")
        out.append(f"    pantau          {_acc(e.pantau)}")
        out.append(f"      gold place    {_acc(e.with_place)}")
        out.append(f"      no gold place {_acc(e.without_place)}")
        out.append(f"    first place     {_acc(e.first_place)}")
        out.append(f"    nearest place   {_acc(e.nearest_place)}")
        out.append(f"    gold places recognised {_acc(e.recognised)}")
    if report.toponyms is not None:
        out.append(f"(b) toponyms, INA-Geoparser (id): found, within {NEAR_KM:g} km, {FAR_KM:g} km")
        for name, t in report.toponyms.items():
            med = f"{statistics.median(t.errors_km):.1f} km" if t.errors_km else "-"
            shares = [t.share(n) or 0.0 for n in (t.found, t.near, t.far)]
            row = "  ".join(f"{x:.2f}" for x in shares)
            out.append(f"    {name:<17} {t.mentions:>4} mentions  {row}  median error {med}")
    if report.gold_country is not None:
        row = "  ".join(f"{k} {_acc(v)}" for k, v in report.gold_country.items())
        out.append(f"(c) event-location country, dev gold: {row}")
    return "\n".join(out)
