"""Stage 7: auxiliary modes — negation, hypothetical, future, historical.

Cue words live in ``lang/<code>/cues.yaml`` under ``aux``: for each mode, a
list of ``before`` phrases looked for in the few tokens before the trigger
(within its clause) and ``after`` phrases right after it. A considered
evacuation must never come out as an evacuation, so hypothetical wins over
future, and negation is checked first. An event dated more than
``HISTORICAL_DAYS`` before publication is historical.
"""

from __future__ import annotations

import datetime as dt
import functools

from pantau.document import Document, Token
from pantau.lexicon import lang_file

BEFORE_WINDOW = 5
NEGATION_WINDOW = 2  # "tidak akan menarik", "did not withdraw"; not "tidak puas atas pertemuan"
AFTER_WINDOW = 3
HISTORICAL_DAYS = 365
AUX_ORDER = ("negation", "hypothetical", "future")
CLAUSE_END = {",", ";", ":", '"', "“", "”"}


Phrases = tuple[tuple[int, frozenset[tuple[str, ...]]], ...]  # (length, phrases of it)


@functools.cache
def _cues(lang: str) -> dict[str, dict[str, Phrases]]:
    """Cue phrases per mode and side, grouped by length so a window is checked with a
    few set lookups rather than against every phrase."""
    aux = lang_file(lang, "cues.yaml").get("aux", {})
    table: dict[str, dict[str, Phrases]] = {}
    for mode in AUX_ORDER:
        table[mode] = {}
        for side in ("before", "after"):
            by_length: dict[int, set[tuple[str, ...]]] = {}
            for p in aux.get(mode, {}).get(side, []):
                phrase = tuple(p.lower().split())
                by_length.setdefault(len(phrase), set()).add(phrase)
            table[mode][side] = tuple((n, frozenset(v)) for n, v in sorted(by_length.items()))
    return table


def _has_phrase(tokens: list[Token], phrases: Phrases) -> bool:
    words = [t.lower for t in tokens]
    lemmas = [t.lemma or t.lower for t in tokens]
    for n, group in phrases:
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) in group or tuple(lemmas[i : i + n]) in group:
                return True
    return False


def _window_before(
    tokens: list[Token], first: int, size: int = BEFORE_WINDOW, breaks: frozenset[str] = frozenset()
) -> list[Token]:
    """The tokens before the trigger within its clause: after the last punctuation break,
    from the last clause-opening word ("Rencana itu muncul setelah drone menyerang": the
    plan is no cue for the attack; "unless Togo released" keeps its "unless")."""
    window = tokens[max(0, first - size) : first]
    for i in range(len(window) - 1, -1, -1):
        if window[i].text in CLAUSE_END:
            return window[i + 1 :]
        if window[i].lower in breaks:
            return window[i:]
    return window


@functools.cache
def _clause_breaks(lang: str) -> frozenset[str]:
    return frozenset(lang_file(lang, "cues.yaml").get("clause_breaks", []))


def aux_modes(tokens: list[Token], first: int, last: int, lang: str) -> list[str]:
    """Auxiliary modes cued around the trigger tokens ``tokens[first:last+1]``."""
    cues = _cues(lang)
    before = _window_before(tokens, first, breaks=_clause_breaks(lang))
    after = tokens[last + 1 : last + 1 + AFTER_WINDOW]
    found = []
    for mode in AUX_ORDER:
        window = _window_before(tokens, first, NEGATION_WINDOW) if mode == "negation" else before
        if _has_phrase(window, cues[mode]["before"]) or _has_phrase(after, cues[mode]["after"]):
            found.append(mode)
    if "future" in found and ("hypothetical" in found or "negation" in found):
        found.remove("future")  # "tidak akan menarik": it did not happen, which says more
    return found


def _long_ago(doc: Document, event, published: dt.date) -> bool:
    """True when the event's own date, or every date its sentence gives ("In 2015, Saudi
    Arabia started ... providing airstrikes"), lies more than a year before publication.
    A year-precision date counts only from two calendar years back: "tahun lalu" and
    "last year" are recent."""

    def old(date: str, precision: str) -> bool:
        when = dt.date.fromisoformat(date)
        if precision == "year":
            return when.year < published.year - 1
        return (published - when).days > HISTORICAL_DAYS

    own_date = event.date and not event.date.get("inherited")  # an earlier sentence's day
    if own_date and event.date["precision"] != "published":
        return old(event.date["date"], event.date["precision"])
    dates = doc.spans_in(event.sentence.start, event.sentence.end, "date")
    return bool(dates) and all(old(d.data["date"], d.data["precision"]) for d in dates)


def mark_modality(doc: Document) -> Document:
    """Add auxiliary modes to each event's ``context`` (events must be anchored in time first)."""
    published = doc.article.published
    for event in doc.events:
        tokens = event.sentence.tokens
        first = next(i for i, t in enumerate(tokens) if t.start >= event.start)
        last = max(i for i, t in enumerate(tokens) if t.end <= event.end)
        modes = aux_modes(tokens, first, last, doc.lang)
        if published and _long_ago(doc, event, published):
            modes.append("historical")
        for mode in modes:
            if mode not in event.context:
                event.context.append(mode)
    return doc
