"""Score event records against hand-made gold files: the engine behind ``pantau eval``.

Implements the "Gold files" section of ``shared/spec/events.md``. A gold file names one
article (a file ``path`` next to it, or a ``corpus`` row by ``id``/``url`` under
``<gold dir>/../corpora/``) and lists the events a correct coder finds. Records are
matched to gold events in record order, each taking the first still-unmatched gold event
it agrees with (type, actor, recipient, trigger); precision counts every record,
recall only ``required`` events. Attribute accuracies are measured on matched pairs.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau import plover
from pantau.countries import country_names
from pantau.document import Article
from pantau.errors import InputError, PantauError
from pantau.lexicon import LANGUAGES

MAX_SENTENCE = 700
AUX_MODES = frozenset(plover.auxiliary_modes())
ATTRIBUTES = ("mode", "date", "location", "location_country", "recipient", "aux", "sector")
ATTRIBUTES += ("signals",)
_SHORT = {"location": "loc", "location_country": "country", "recipient": "recip"}
_WS = re.compile(r"\s+")
_DASH = re.compile(r"[-\u2010-\u2015_]+")


def norm(text: str) -> str:
    """Case-blind, whitespace-collapsed form used for every text comparison."""
    return _WS.sub(" ", text).strip().casefold()


def _place(name: Any) -> str:
    # Accents and hyphens vary between gazetteers ("Nur-Sultan", "Nur Sultan").
    if not isinstance(name, str):
        return ""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return norm(_DASH.sub(" ", plain))


@dataclass
class GoldFile:
    """One gold file with its article text resolved."""

    path: Path
    data: dict[str, Any]  # the gold JSON as read
    article: Article
    name: str  # file name without ".gold.json": the key of per-file floors
    lang: str
    events: list[dict[str, Any]]
    quiet: list[str]
    problems: list[str] = field(default_factory=list)  # triggers/quiet texts not in the text

    @functools.cached_property
    def flat(self) -> str:
        # Lines normalised and joined by "\n": a normalised sentence has no "\n", so a
        # substring hit can never cross a line (= paragraph) boundary.
        return "\n".join(norm(line) for line in self.article.text.splitlines())

    def in_one_line(self, text: str) -> bool:
        n = norm(text)
        return bool(n) and n in self.flat


@functools.cache
def _corpus_index(path: str) -> dict[str, dict[str, Any]]:
    """Rows of a corpus file by ``id`` and ``url``; read once per process."""
    csv.field_size_limit(2**31 - 1)  # Wikinews bodies exceed the 128 kB default
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            if path.endswith(".csv"):
                rows = list(csv.DictReader(fh))
            else:
                rows = [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError, csv.Error) as exc:  # ValueError covers bad UTF-8 and JSON
        raise InputError(f"cannot read corpus: {exc}", source=path) from exc
    index: dict[str, dict[str, Any]] = {}
    for row in rows:
        for key in ("id", "url"):
            if isinstance(row.get(key), str):
                index.setdefault(row[key], row)
    return index


def _resolve(path: Path, meta: dict[str, Any], corpora: Path | None) -> tuple[str, dict]:
    src = str(path)
    if "path" in meta:
        file = path.parent / str(meta["path"])
        try:
            with open(file, encoding="utf-8", newline="") as fh:  # text unchanged, as the reader
                return fh.read(), {"id": Path(str(meta["path"])).stem}
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"article file {meta['path']} not readable: {exc}", src) from exc
    if "corpus" in meta:
        key = meta.get("id") or meta.get("url")
        if not isinstance(key, str):
            raise InputError("article names a corpus but no 'id' or 'url'", src)
        base = corpora or path.parent.parent / "corpora"
        file = base / str(meta["corpus"])
        if not file.is_file():
            raise InputError(f"corpus file {meta['corpus']} not found in {base}", src)
        row = _corpus_index(str(file.resolve())).get(key)
        if row is None:
            raise InputError(f"no row {key!r} in corpus {meta['corpus']}", src)
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            raise InputError(f"corpus row {key!r} has no text", src)
        return row["text"], row
    raise InputError("gold 'article' gives neither 'path' nor 'corpus'", src)


def _load_one(path: Path, corpora: Path | None) -> GoldFile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", str(path)) from exc
    meta = data.get("article") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or not isinstance(data.get("events"), list):
        raise InputError("gold file needs an 'article' object and an 'events' list", str(path))
    text, row = _resolve(path, meta, corpora)
    try:
        published = dt.date.fromisoformat(
            str(meta.get("published") or row.get("published") or row.get("date"))
        )
    except ValueError as exc:
        raise InputError(f"article 'published' is not YYYY-MM-DD: {exc}", str(path)) from exc
    lang, url, title = (meta.get(k) or row.get(k) for k in ("lang", "url", "title"))
    aid, src = str(row.get("id") or row.get("url")), str(path)
    article = Article(aid, text, source=src, published=published, lang=lang, url=url, title=title)
    article.outlet = row.get("publisher")
    name = path.name.removesuffix(".gold.json")
    events = [ev for ev in data["events"] if isinstance(ev, dict)]
    quiet = [q for q in data.get("quiet") or [] if isinstance(q, str) and q.strip()]
    gold = GoldFile(path, data, article, name, lang or "?", events, quiet)
    gold.problems = [
        f"{ev.get('gid')}: trigger not in one paragraph: {t!r}"
        for ev in events
        for t in ev.get("triggers") or []
        if not (isinstance(t, str) and gold.in_one_line(t))
    ] + [f"quiet text not in the article: {q!r}" for q in quiet if not gold.in_one_line(q)]
    return gold


def load_gold(path: str | Path, corpora: str | Path | None = None) -> list[GoldFile]:
    """Gold files from one ``*.gold.json`` file or a folder of them (sorted by name)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.gold.json"))
        if not files:
            raise InputError("no *.gold.json files in this folder", str(p))
    elif p.is_file():
        files = [p]
    else:
        raise InputError("no such gold file or folder", str(p))
    return [_load_one(f, Path(corpora) if corpora else None) for f in files]


@dataclass
class Acc:
    n: int = 0
    correct: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.n if self.n else None


@dataclass
class Counts:
    """Tallies of one file, one language or everything; P/R/F1 are micro over these."""

    records: int = 0
    correct: int = 0  # records matched to a gold event (required or optional)
    duplicates: int = 0
    unscorable: int = 0
    quiet: int = 0
    found: int = 0  # required gold events matched
    required: int = 0
    attrs: dict[str, Acc] = field(default_factory=lambda: {a: Acc() for a in ATTRIBUTES})

    @property
    def precision(self) -> float | None:
        return self.correct / self.records if self.records else None

    @property
    def recall(self) -> float | None:
        return self.found / self.required if self.required else None

    @property
    def f1(self) -> float | None:
        # Undefined P (no records) or R (nothing required) is vacuously perfect.
        if not self.records and not self.required:
            return None
        p = self.correct / self.records if self.records else 1.0
        r = self.found / self.required if self.required else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        for k in ("records", "correct", "duplicates", "unscorable", "quiet", "found", "required"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        for k, acc in other.attrs.items():
            self.attrs[k].n += acc.n
            self.attrs[k].correct += acc.correct


@dataclass
class FileScore:
    name: str
    path: str
    lang: str
    counts: Counts
    missed: list[dict[str, Any]] = field(default_factory=list)  # required gold events not found
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the coder failed on this article


@dataclass
class EvalReport:
    files: list[FileScore]
    languages: dict[str, Counts]
    overall: Counts


def _codes(entities: list[dict[str, Any]]) -> set[str]:
    return {c for e in entities if isinstance(c := e.get("code"), str) and c}


def _gold_codes(entity: Any) -> set[str | None]:
    if not isinstance(entity, dict):
        return {None}  # no gold entity = no identified one
    code = entity.get("code")
    return set(code) if isinstance(code, list) else {code}


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _strs(value: Any) -> set[str]:
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _unscorable(rec: Any, gold: GoldFile) -> str | None:
    if not isinstance(rec, dict):
        return "record is not an object"
    ev = rec.get("event")
    if not (isinstance(ev, list) and ev and all(isinstance(e, str) for e in ev)):
        return "'event' is not a list of strings"
    for key in ("actor", "recipient"):
        if not (isinstance(rec.get(key), list) and all(isinstance(e, dict) for e in rec[key])):
            return f"'{key}' is not a list of objects"
    s = rec.get("sentence")
    if not isinstance(s, str) or not s.strip():
        return "no sentence"
    if len(s) > MAX_SENTENCE:
        return f"sentence longer than {MAX_SENTENCE} characters"
    if len(s.strip().splitlines()) > 1 or not gold.in_one_line(s):
        return "sentence not within one paragraph of the article"
    return None


def _matches(rec: dict[str, Any], sentence: str, ev: dict[str, Any], triggers: list[str]) -> bool:
    if rec["event"][0] != ev.get("event"):
        return False
    if not (_codes(rec["actor"]) or {None}) <= _gold_codes(ev.get("actor")):
        return False
    rcodes = _codes(rec["recipient"])
    if rcodes and not rcodes <= _gold_codes(ev.get("recipient")):
        return False
    return any(t in sentence for t in triggers)


def _attributes(rec: dict[str, Any], ev: dict[str, Any], lang: str) -> dict[str, bool]:
    """Which attributes of a matched record are right; attributes gold leaves open are absent."""
    mode = rec.get("mode")
    out = {"mode": (mode[0] if isinstance(mode, list) and mode else None) == ev.get("mode")}
    if ev.get("date"):
        out["date"] = rec.get("date") in ev["date"]
    gloc = ev.get("event_loc")
    if isinstance(gloc, dict):
        rloc = rec.get("event_loc") if isinstance(rec.get("event_loc"), dict) else {}
        gname = _place(gloc.get("name"))
        named = bool(gname) and gname in (_place(rloc.get("name")), _place(rloc.get("text")))
        country = gloc.get("code") is not None and rloc.get("country") == gloc.get("code")
        # A country-level gold place ("Kazakhstan") is also right when only the country is.
        key = str(gloc.get("name") or "").casefold()
        langs = {lg for lg in (lang, "en") if lg in LANGUAGES}
        country_level = any(country_names(lg).get(key) == gloc.get("code") for lg in langs)
        out["location"] = named or (country and country_level)
        out["location_country"] = country
    grec, rcodes = ev.get("recipient"), _codes(rec["recipient"])
    gcodes = _gold_codes(grec) - {None}
    if grec is None:
        out["recipient"] = not rec["recipient"]
    else:
        out["recipient"] = (bool(rcodes) and rcodes <= gcodes) if gcodes else not rcodes
    out["aux"] = AUX_MODES & _strs(rec.get("context")) == AUX_MODES & _strs(ev.get("context"))
    sector = ev.get("actor").get("sector") if isinstance(ev.get("actor"), dict) else None
    if sector:
        out["sector"] = any(e.get("sector") == sector for e in rec["actor"])
    if isinstance(ev.get("signals"), list):
        out["signals"] = _strs(rec.get("signals")) == _strs(ev["signals"])
    return out


def _excerpt(text: Any, width: int = 120) -> str:
    s = _WS.sub(" ", text).strip() if isinstance(text, str) else repr(text)
    return s if len(s) <= width else s[: width - 1] + "…"


def score_file(gold: GoldFile, records: list[dict[str, Any]]) -> FileScore:
    """Match one article's records against its gold events."""
    events = gold.events
    triggers = [[norm(t) for t in ev.get("triggers") or [] if _text(t)] for ev in events]
    quiet = [norm(q) for q in gold.quiet]
    required = [ev.get("required", True) is not False for ev in events]
    c = Counts(records=len(records), required=sum(required))
    fs = FileScore(gold.name, str(gold.path), gold.lang, c)
    taken: set[int] = set()
    for rec in records:
        why = _unscorable(rec, gold)
        s = norm(rec["sentence"]) if why is None else ""
        hits = [i for i, ev in enumerate(events) if not why and _matches(rec, s, ev, triggers[i])]
        free = [i for i in hits if i not in taken]
        if free:
            i = free[0]
            taken.add(i)
            c.correct += 1
            c.found += required[i]
            for k, ok in _attributes(rec, events[i], gold.lang).items():
                c.attrs[k].n += 1
                c.attrs[k].correct += ok
            continue
        if why:
            c.unscorable += 1
            why = f"unscorable: {why}"
        elif hits:
            c.duplicates += 1
            why = f"duplicate of {events[hits[0]].get('gid')}"
        else:
            why = "no match"
        text = rec.get("sentence") if isinstance(rec, dict) else None
        is_quiet = not hits and isinstance(text, str) and any(q in norm(text) for q in quiet)
        c.quiet += is_quiet
        event = rec.get("event") if isinstance(rec, dict) else None
        event = event[0] if isinstance(event, list) and event else event
        fp = dict(event=event, sentence=_excerpt(text), why=why, quiet=is_quiet)
        fs.false_positives.append(fp)
    fs.missed = [
        {"gid": ev.get("gid"), "event": ev.get("event"), "triggers": ev.get("triggers")}
        for i, ev in enumerate(events)
        if i not in taken and required[i]
    ]
    return fs


def score(
    gold_files: list[GoldFile],
    records: dict[str, list[dict[str, Any]]],
    errors: dict[str, str] | None = None,
) -> EvalReport:
    """Score ``records`` (keyed by ``str(gold.path)``, or by the gold file name) per gold file."""
    files, languages, overall = [], {}, Counts()
    for gold in gold_files:
        recs = records.get(str(gold.path), records.get(gold.name, []))
        fs = score_file(gold, list(recs))
        if errors and str(gold.path) in errors:
            fs.errors.append(errors[str(gold.path)])
        files.append(fs)
        languages.setdefault(fs.lang, Counts()).add(fs.counts)
        overall.add(fs.counts)
    return EvalReport(files, dict(sorted(languages.items())), overall)


def evaluate(
    path: str | Path,
    code: Callable[[Article], list[dict[str, Any]]],
    corpora: str | Path | None = None,
) -> EvalReport:
    """Load the gold at ``path``, code every article with ``code`` and score the records."""
    golds = load_gold(path, corpora)
    records: dict[str, list[dict[str, Any]]] = {}
    errors: dict[str, str] = {}
    for gold in golds:
        try:
            records[str(gold.path)] = list(code(gold.article))
        except PantauError as exc:  # one unreadable article must not stop the evaluation
            records[str(gold.path)], errors[str(gold.path)] = [], str(exc)
    return score(golds, records, errors)
