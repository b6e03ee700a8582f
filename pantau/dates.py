"""Stage 8: date expressions ("Jumat (7/1)", "Kamis lalu", "last week") as dated spans.

Each expression becomes a ``Span("date", ...)`` with ``data = {"date":
"YYYY-MM-DD", "precision": "day"|"week"|"month"|"year", "relative": bool}``,
resolved against ``doc.article.published``. ``relative`` is true when the
publication date was needed to resolve it (weekdays, "kemarin", "8 Januari"
without a year); without a publication date only expressions that carry their
own year resolve.

Names and patterns live in ``pantau/lang/<lang>/dates.yaml``; this module
holds the calendar arithmetic. Conventions for the arithmetic:
- a bare weekday is the most recent such day on or before publication; with
  "lalu"/"last" strictly before;
- "last week" is the Monday of the previous week (precision week); "last
  weekend" the Saturday before the current week (precision week);
- a day and month without a year take the publication year; a (d/m) date or
  one marked "lalu" that would fall more than a week after publication is
  moved to the previous year, other dates take the nearest year (counting a
  future date as three times as far, since news mostly reports the past).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from pantau.document import Document, Span
from pantau.errors import DataError, LanguageError
from pantau.lexicon import LANGUAGES, lang_file
from pantau.numbers import RuleSet, alternation, build_rules

RULES = ("calendar", "year", "weekday", "relative", "ago", "skip")
UNITS = ("day", "week", "weekend", "recent_weekend", "month", "year")
_FUTURE_SLACK = dt.timedelta(days=7)  # how far past publication a "(d/m)" date may lie


@dataclass(frozen=True)
class _Lex:
    weekdays: dict[str, int]
    months: dict[str, int]
    units: dict[str, str]
    numbers: dict[str, int]


@functools.cache
def _grammar(lang: str) -> tuple[RuleSet, _Lex]:
    where = f"pantau/lang/{lang}/dates.yaml"
    data = lang_file(lang, "dates.yaml")
    for key in ("weekdays", "months", "units", "words", "patterns"):
        if key not in data:
            raise DataError(f"{where}: missing '{key}'")
    nums = lang_file(lang, "numbers.yaml").get("number_words", {})
    numbers = {str(k).lower(): int(v) for k, v in {**nums, **data.get("extra_numbers", {})}.items()}
    lex = _Lex(
        weekdays={str(k).lower(): int(v) for k, v in data["weekdays"].items()},
        months={
            str(k).lower(): int(v)
            for k, v in {**data["months"], **data.get("month_abbrev", {})}.items()
        },
        units={str(k).lower(): str(v) for k, v in data["units"].items()},
        numbers=numbers,
    )
    if set(lex.units.values()) - set(UNITS):
        raise DataError(f"{where}: units must map to one of {UNITS}")
    cs = set(data.get("case_sensitive", []))
    ambiguous = set(data.get("ambiguous_weekdays", []))
    safe = [w for w in data["weekdays"] if w not in ambiguous]
    full = alternation(data["months"], "month" in cs)
    abbrev = alternation(data.get("month_abbrev", {}), "month" in cs)
    ordinal = alternation(data.get("ordinal_suffix", []))
    special = {
        "weekday": f"(?P<wd>{alternation(data['weekdays'], 'weekday' in cs)})",
        "weekday_safe": f"(?P<wd_safe>{alternation(safe, 'weekday' in cs)})",
        "month": rf"(?P<month>{full}|{abbrev}\.?)",
        "month_full": f"(?P<month>{full})",
        "day": rf"(?P<day>3[01]|[12]\d|0?[1-9])(?:{ordinal})?(?!\d)",
        "mon": r"(?P<mon>1[0-2]|0?[1-9])(?!\d)",
        "year": r"(?P<year>(?:19|20)\d\d)(?!\d)",
        "yy": r"(?P<year>(?:19|20)?\d\d)(?!\d)",
        "num": rf"(?P<n>\d{{1,3}}|{alternation(numbers)})(?!\d)",
        "unit": f"(?P<unit>{alternation(data['units'])})",
    }
    words = {k: [str(w) for w in v] for k, v in data["words"].items()}

    def table(name: str) -> str | None:
        if name in special:
            return special[name]
        return alternation(words[name]) if name in words else None

    def anchor_words(name: str) -> list[str] | None:
        if name == "weekday":
            return list(data["weekdays"])
        if name == "month":
            return [*data["months"], *data.get("month_abbrev", {})]
        return words.get(name)

    # Date expressions are short: no rule reaches 40 characters beyond its anchor word.
    rules = build_rules(data["patterns"], table, anchor_words, where, window=40)
    for rule in rules.rules:
        if rule.params.get("rule") not in RULES:
            raise DataError(f"{where}: rule {rule.order}: 'rule' must be one of {RULES}")
        if rule.params["rule"] == "relative" and rule.params.get("unit") not in UNITS:
            raise DataError(f"{where}: rule {rule.order}: 'unit' must be one of {UNITS}")
    return rules, lex


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_shift(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _calendar(g: dict[str, Any], past: bool, published: dt.date | None, lex: _Lex):
    if g.get("month"):
        month = lex.months.get(g["month"].lower().rstrip("."))
    else:
        month = int(g["mon"]) if g.get("mon") else None
    if month is None:
        return None
    day = int(g["day"]) if g.get("day") else None
    precision = "day" if day else "month"
    if g.get("year"):
        year = int(g["year"])
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, month, day or 1), precision, False
        except ValueError:
            return None
    if published is None:
        return None
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(dt.date(year, month, day or 1))
        except ValueError:  # 29 February outside a leap year
            continue
    anchor = published if day else published.replace(day=1)
    if past:
        before = [d for d in options if d <= anchor + (_FUTURE_SLACK if day else dt.timedelta(0))]
        return (max(before), precision, True) if before else None
    if not options:
        return None
    best = min(options, key=lambda d: (anchor - d).days if d <= anchor else 3 * (d - anchor).days)
    return best, precision, True


def _relative(unit: str, offset: int, published: dt.date) -> tuple[dt.date, str]:
    monday = _monday(published)
    if unit == "day":
        return published + dt.timedelta(days=offset), "day"
    if unit == "week":
        return monday + dt.timedelta(weeks=offset), "week"
    if unit == "weekend":
        return monday + dt.timedelta(days=5 + 7 * offset), "week"
    if unit == "recent_weekend":  # "over the weekend": the last one begun by publication
        saturday = monday + dt.timedelta(days=5)
        return (saturday if published >= saturday else saturday - dt.timedelta(weeks=1)), "week"
    if unit == "month":
        return _month_shift(published, offset), "month"
    return dt.date(published.year + offset, 1, 1), "year"


def _resolve(
    params: dict[str, Any], g: dict[str, Any], published: dt.date | None, lex: _Lex
) -> tuple[dt.date, str, bool] | None:
    kind = params["rule"]
    if kind == "calendar":
        return _calendar(g, bool(params.get("past") or g.get("past")), published, lex)
    if kind == "year":
        return dt.date(int(g["year"]), 1, 1), "year", False
    if published is None or kind == "skip":
        return None
    if kind == "weekday":
        wd = lex.weekdays[(g.get("wd") or g.get("wd_safe") or "").lower()]
        if params.get("week") is not None:  # "Sabtu pekan lalu": that day of last week
            day = _monday(published) + dt.timedelta(weeks=int(params["week"]), days=wd)
        elif params.get("strict"):  # "Kamis lalu": strictly before the publication day
            day = published - dt.timedelta(days=(published.weekday() - wd - 1) % 7 + 1)
        else:
            day = published - dt.timedelta(days=(published.weekday() - wd) % 7)
        return day, "day", True
    if kind == "relative":
        return (*_relative(str(params["unit"]), int(params.get("offset", 0)), published), True)
    # kind == "ago": N units before publication
    raw = (g.get("n") or "").lower()
    n = int(raw) if raw.isdigit() else lex.numbers.get(raw, int(params.get("n", 0)))
    unit = lex.units[g["unit"].lower()]
    if unit == "day":
        return published - dt.timedelta(days=n), "day", True
    if unit == "week":
        return _monday(published - dt.timedelta(weeks=n)), "week", True
    if unit == "month":
        return _month_shift(published, -n), "month", True
    return dt.date(published.year - n, 1, 1), "year", True


def _as_date(published: dt.date | None) -> dt.date | None:
    return published.date() if isinstance(published, dt.datetime) else published


def find_dates(doc: Document) -> Document:
    """Append a ``date`` span for every date expression in the sentences of ``doc``."""
    if doc.lang not in LANGUAGES:
        return doc
    rules, lex = _grammar(doc.lang)
    published = _as_date(doc.article.published)
    for rule, m in rules.scan(doc):
        got = _resolve(rule.params, m.groupdict(), published, lex)
        if got is None:
            continue
        day, precision, relative = got
        data = {"date": day.isoformat(), "precision": precision, "relative": relative}
        doc.spans.append(Span("date", m.start(), m.end(), m.group(0), data))
    return doc


def resolve_date(text: str, published: dt.date | None, lang: str) -> tuple[dt.date, str] | None:
    """Date and precision of the longest date expression in ``text``, or None.

    ``resolve_date("Kamis lalu", date(2022, 1, 8), "id")`` -> ``(date(2022, 1, 6), "day")``.
    """
    if lang not in LANGUAGES:
        raise LanguageError(f"no date rules for language {lang!r}")
    rules, lex = _grammar(lang)
    found = rules.scan_text(text)
    if not found:
        return None
    rule, m = max(found, key=lambda c: c[1].end() - c[1].start())
    got = _resolve(rule.params, m.groupdict(), _as_date(published), lex)
    return (got[0], got[1]) if got else None
