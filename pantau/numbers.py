"""Stage 9: casualty, arrest and crowd-size counts ("26 perusuh tewas").

Each count becomes a ``Span("number", ...)`` covering the number and its cue
word, with ``data = {"field": "dead"|"injured"|"arrested"|"size", "value": int,
"approximate": bool}``. The words (number words, vague quantities, cue words,
patterns) live in ``pantau/lang/<lang>/numbers.yaml``; this module only
expands the pattern templates and does the arithmetic.

The module also holds the small rule engine shared with :mod:`pantau.dates`:
:class:`RuleSet` gates regex rules behind anchor words found in one
Aho-Corasick pass, because running a few dozen regexes over every sentence
costs more than the whole pipeline budget allows.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from pantau.document import Document, Span
from pantau.errors import DataError
from pantau.lexicon import LANGUAGES, lang_file

FIELDS = ("dead", "injured", "arrested", "size")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def alternation(words: Iterable[str], case_sensitive: bool = False) -> str:
    """A regex alternation of literal phrases, longest first; spaces match any whitespace."""
    forms = set()
    for w in words:
        w = str(w).strip()
        forms.add(w)
        if case_sensitive:
            forms.add(w.upper())  # headlines and datelines in capitals
    parts = [r"\s+".join(re.escape(p) for p in f.split()) for f in sorted(forms, key=len)[::-1]]
    body = "|".join(parts) or r"(?!x)x"
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


def expand(template: str, table: Callable[[str], str | None], where: str) -> str:
    """Replace ``{name}`` placeholders (``{0,3}`` quantifiers are left alone)."""

    def sub(m: re.Match[str]) -> str:
        got = table(m.group(1))
        if got is None:
            raise DataError(f"{where}: unknown placeholder {{{m.group(1)}}} in {template!r}")
        return got

    return _PLACEHOLDER.sub(sub, template)


@dataclass(frozen=True)
class Rule:
    order: int  # position in the YAML list: breaks ties between equally long matches
    regex: re.Pattern[str]
    params: dict[str, Any]


class RuleSet:
    """Regex rules, each run only in sentences that contain one of its anchor words."""

    def __init__(self, rules: list[Rule], anchors: list[list[str]], window: int = 80):
        self.rules = rules
        self.window = window  # no rule reaches further than this from its anchor word
        self._automaton = ahocorasick.Automaton()
        keyed: dict[str, list[tuple[int, bool]]] = {}
        for idx, words in enumerate(anchors):
            for w in words:
                prefix = w.endswith("*")  # "20*": a digit prefix such as the start of a year
                # Every word of a phrase is required, so gate on its rarest-looking (longest)
                # word: "were killed" on "killed", not on "were".
                key = max(w.rstrip("*").lower().split() or [""], key=len)
                if key:
                    keyed.setdefault(key, []).append((idx, prefix))
        for key, value in keyed.items():
            # what scan_text asks of every hit, worked out once per key
            edges = (len(key), key[0].isalnum(), key[-1].isalnum())
            self._automaton.add_word(key, (edges, value))
        if keyed:
            self._automaton.make_automaton()

    def scan(self, doc: Document) -> list[tuple[Rule, re.Match[str]]]:
        """Non-overlapping matches in all sentences of ``doc``, in text order."""
        return self.scan_text(doc.text, [(s.start, s.end) for s in doc.sentences])

    def scan_text(
        self, text: str, bounds: list[tuple[int, int]] | None = None
    ) -> list[tuple[Rule, re.Match[str]]]:
        """Non-overlapping matches within ``bounds`` (sorted (start, end) sentence spans;
        default: all of ``text``), in text order. No match crosses a bound."""
        bounds = [(0, len(text))] if bounds is None else bounds
        if not bounds or not self.rules:
            return []
        low = text.lower()
        if len(low) != len(text):  # a few characters grow when lowered ("İ"): keep offsets
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        starts = [b[0] for b in bounds]
        windows: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for end, ((size, alnum_first, alnum_last), targets) in self._automaton.iter(low):
            start = end - size + 1
            if alnum_first and start > 0 and low[start - 1].isalnum():
                continue
            after_ok = end + 1 >= len(low) or not low[end + 1].isalnum() or not alnum_last
            si = bisect.bisect_right(starts, start) - 1
            if si < 0 or start >= bounds[si][1]:
                continue
            s_start, s_end = bounds[si]
            lo = max(s_start, start - self.window)
            hi = min(s_end, end + 1 + self.window)
            # Never end a window inside a word: (?!\w) would wrongly succeed there.
            while hi < s_end and text[hi].isalnum() and text[hi - 1].isalnum():
                hi += 1
            for idx, prefix in targets:
                if prefix or after_ok:
                    windows.setdefault((si, idx), []).append((lo, hi))
        found: list[tuple[Rule, re.Match[str]]] = []
        for (_, idx), spans in windows.items():
            seen = set()
            for lo, hi in _merge(spans):
                for m in self.rules[idx].regex.finditer(text, lo, hi):
                    if m.end() > m.start() and m.span() not in seen:
                        seen.add(m.span())
                        found.append((self.rules[idx], m))
        return _select(found)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out = [spans[0]]
    for lo, hi in spans[1:]:
        if lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _select(cands: list[tuple[Rule, re.Match[str]]]) -> list[tuple[Rule, re.Match[str]]]:
    """Longest match wins ("akhir pekan lalu" over "pekan lalu"), then YAML order."""
    cands.sort(key=lambda c: (c[1].start() - c[1].end(), c[0].order, c[1].start()))
    taken: list[tuple[Rule, re.Match[str]]] = []
    for rule, m in cands:
        if all(m.end() <= t.start() or m.start() >= t.end() for _, t in taken):
            taken.append((rule, m))
    taken.sort(key=lambda c: c[1].start())
    return taken


def build_rules(
    entries: list[dict[str, Any]],
    table: Callable[[str], str | None],
    anchor_words: Callable[[str], list[str] | None],
    where: str,
    window: int = 80,
) -> RuleSet:
    """Compile YAML rule entries (``re`` template, ``anchor`` list, other keys = params)."""
    rules, anchors = [], []
    for order, entry in enumerate(entries):
        if not isinstance(entry, dict) or "re" not in entry or "anchor" not in entry:
            raise DataError(f"{where}: rule {order} needs 're' and 'anchor'")
        body = expand(str(entry["re"]), table, where)
        try:
            regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
        except re.error as exc:
            raise DataError(f"{where}: rule {order}: bad regex {body!r}: {exc}") from exc
        names = entry["anchor"] if isinstance(entry["anchor"], list) else [entry["anchor"]]
        words: list[str] = []
        for name in names:
            words.extend(anchor_words(str(name)) or [str(name)])
        params = {k: v for k, v in entry.items() if k not in ("re", "anchor")}
        rules.append(Rule(order, regex, params))
        anchors.append(words)
    return RuleSet(rules, anchors, window)


# --- number values ------------------------------------------------------------


@functools.cache
def _lex(lang: str) -> dict[str, Any]:
    data = lang_file(lang, "numbers.yaml")
    for key in ("separators", "number_words", "multipliers", "vague", "words", "patterns"):
        if key not in data:
            raise DataError(f"pantau/lang/{lang}/numbers.yaml: missing '{key}'")
    low = {
        k: {str(w).lower(): v for w, v in (data.get(k) or {}).items()}
        for k in ("number_words", "multipliers", "teens", "vague", "phrases")
    }
    low["approx"] = sorted((str(w).lower() for w in data.get("approx", [])), key=len)[::-1]
    low["exact"] = sorted((str(w).lower() for w in data.get("exact", [])), key=len)[::-1]
    low["joiners"] = {str(w).lower() for w in data.get("joiners", [])}
    return {**data, "low": low}


def _digits_value(raw: str, thousands: str, decimal: str) -> float | None:
    if len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
        return None  # "09": a house or ward number, not a count
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d+)?"
    if re.fullmatch(grouped, raw):
        return float(raw.replace(thousands, "").replace(decimal, "."))
    if thousands in raw:
        return None  # "14.00" in Indonesian is a time, not fourteen
    return float(raw.replace(decimal, "."))


def number_value(text: str, lang: str) -> tuple[int, bool] | None:
    """Value of a number phrase and whether it is approximate.

    ``"lebih dari 3.000"`` -> (3000, True); ``"1,5 juta"`` -> (1500000, False);
    ``"ribuan"`` -> (2000, True); ``"dua puluh lima"`` -> (25, False). None if
    the phrase is not a number.
    """
    lex = _lex(lang)["low"]
    seps = _lex(lang)["separators"]
    phrase = " ".join(text.lower().split())
    approximate = False
    for words, flag in ((lex["approx"], True), (lex["exact"], False)):
        for w in words:
            if phrase.startswith(w + " "):
                phrase, approximate = phrase[len(w) + 1 :], approximate or flag
                break
    if phrase in lex["vague"]:
        return int(lex["vague"][phrase]), True
    if phrase in lex["phrases"]:
        return int(lex["phrases"][phrase]), approximate
    total = group = 0.0
    last = 0.0
    seen = False
    for tok in re.split(r"[\s-]+", phrase):
        if tok in lex["joiners"]:
            continue
        if tok[:1].isdigit():
            digits = _digits_value(tok, str(seps["thousands"]), str(seps["decimal"]))
            if digits is None:
                return None
            last, seen = digits, True
        elif tok in lex["number_words"]:
            last, seen = last + float(lex["number_words"][tok]), True
        elif tok in lex["teens"]:  # "dua belas" = 2 + 10
            last += float(lex["teens"][tok])
        elif tok in lex["multipliers"]:
            mult = float(lex["multipliers"][tok])
            if mult >= 1000:
                total += (group + last or 1) * mult
                group = last = 0.0
            else:
                group += (last or 1) * mult
                last = 0.0
        else:
            return None
    value = total + group + last
    if not seen or value != int(value):  # "18,9 kematian per 100.000": a rate, not a count
        return None
    return int(value), approximate


# --- the stage -------------------------------------------------------------------


def _num_regex(lang: str) -> str:
    data = _lex(lang)
    t, d = (re.escape(str(data["separators"][k])) for k in ("thousands", "decimal"))
    end = r"(?!\d|[.,]\d)"  # the whole number, but a full stop after it may end the sentence
    digits = rf"\d{{1,3}}(?:{t}\d{{3}})+(?:{d}\d+)?{end}|\d+(?:[{t}{d}]\d+)?{end}"
    words = alternation([*data["number_words"], *data["multipliers"], *data.get("teens", {})])
    joiner = alternation(data.get("joiners", [])) if data.get("joiners") else None
    sep = rf"(?:[\s-]+{joiner})?[\s-]+" if joiner else r"[\s-]+"
    mult = alternation(data["multipliers"])
    value = "|".join(
        [
            alternation([*data["vague"], *data.get("phrases", {})]),
            rf"(?:{digits})(?:\s+{mult})?",
            rf"{words}(?:{sep}{words}){{0,5}}",
        ]
    )
    qualifier = alternation([*data.get("approx", []), *data.get("exact", [])])
    units = alternation(data.get("units", []))
    # A count is never followed by a unit ("50 tahun", "20 persen") or part of a date ("7/1").
    return (
        rf"(?<![\w.,/])(?P<num>(?:{qualifier}\s+)?(?:{value}))(?!\w)"
        rf"(?!\s*(?:{units}|%|/)(?!\w))"
    )


@functools.cache
def _rules(lang: str) -> RuleSet:
    data = _lex(lang)
    words: dict[str, list[str]] = {k: list(v) for k, v in data["words"].items()}
    stop = alternation(data.get("gap_stop", []))
    max_gap = int(data.get("max_gap", 3))
    special = {
        "num": _num_regex(lang),
        # Up to a few plain words between count and cue ("30 orang telah tewas"), but
        # never across a conjunction, a preposition or a unit word.
        "gap": rf"(?:(?!{stop}(?!\w))(?!{alternation(data.get('units', []))}(?!\w))"
        rf"[^\W\d_][\w'-]*\s+){{0,{max_gap}}}",
    }

    def table(name: str) -> str | None:
        if name in special:
            return special[name]
        return alternation(words[name]) if name in words else None

    where = f"pantau/lang/{lang}/numbers.yaml"
    rules = build_rules(data["patterns"], table, words.get, where)
    for rule in rules.rules:
        if rule.params.get("field") not in FIELDS:
            raise DataError(f"{where}: rule {rule.order}: 'field' must be one of {FIELDS}")
    return rules


@functools.cache
def _year_neighbours(lang: str) -> frozenset[str]:
    months = lang_file(lang, "dates.yaml").get("months", {})
    ctx = [*_lex(lang).get("year_context", []), *months]
    return frozenset(str(w).lower() for w in ctx)


def _is_year(text: str, start: int, end: int, raw: str, lang: str) -> bool:
    """A bare 1900-2100 next to a month name or a year word is a year, not a count."""
    if not (len(raw) == 4 and raw.isdigit() and 1900 <= int(raw) <= 2100):
        return False
    before = text[max(0, start - 20) : start].split()
    after = text[end : end + 20].split()
    neighbours = _year_neighbours(lang)
    return bool(before and before[-1].lower() in neighbours) or bool(
        after and after[0].strip(".,;:").lower() in neighbours
    )


def find_numbers(doc: Document) -> Document:
    """Append a ``number`` span for every count with a casualty, arrest or crowd cue."""
    if doc.lang not in LANGUAGES:
        return doc
    for rule, m in _rules(doc.lang).scan(doc):
        raw = m.group("num")
        # a rule may state its count: "was shot dead" is one person
        parsed = (rule.params["value"], False) if "value" in rule.params else None
        parsed = parsed or number_value(raw, doc.lang)
        if parsed is None:
            continue
        value, approximate = parsed
        if value < int(rule.params.get("min_value", 0)):
            continue
        bare = raw.split()[-1]
        if _is_year(doc.text, m.start("num"), m.end("num"), bare, doc.lang):
            continue
        doc.spans.append(
            Span(
                "number",
                m.start(),
                m.end(),
                m.group(0),
                {"field": rule.params["field"], "value": value, "approximate": approximate},
            )
        )
    return doc
