"""Stage 1b: split an article into paragraphs, flag boilerplate, find the dateline.

``clean`` never edits the text: ``doc.text`` is ``article.text`` exactly, so every
offset later stages produce points into what the reader returned. A paragraph is
one non-empty line, its bounds trimmed of surrounding whitespace.

Boilerplate (share widgets, "Baca juga", captions, credits, a line that is only a
date) is flagged, not removed, from the patterns in ``pantau/lang/<lang>/clean.yaml``.
The language is not known yet, so every language's patterns apply.

The dateline ("JAKARTA -", "TEMPO.CO, Jakarta -", "KABUL, Afghanistan (AP) —") says
where the reporter filed from, which must never become an event location; it is
recognised by its shape (upper-case place, outlet in parentheses, a domain-like
outlet name, a dash) plus the outlet names listed in clean.yaml.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pantau.document import Article, Document, Paragraph, Span
from pantau.errors import DataError
from pantau.lexicon import LANGUAGES, lang_file

_LINE = re.compile(r"[^\n]+")

# Language-neutral leftovers of scrapers and page templates.
_NEUTRAL_BOILERPLATE = (
    r"[\W_]*$",  # only punctuation: a stray quote or comma left by a scraper
    r"\(\w{1,8}(?:/\w{1,8})*\)\s*$",  # editor initials closing a story: "(dea)", "(nvl/ugo)"
    r"_x000D_\s*$",  # spreadsheet-escaped carriage return
    r"[—–]\s*\w.{0,80}$",  # pull-quote attribution: "—Natasha Gownaris"
)

# One word of a place name: letters, may carry inner ' . - ("NUR-SULTAN", "ST.", "N'DJAMENA").
_WORD = r"[^\W\d_][^\W_]*(?:['’.\-][^\W_]+)*\.?"
_PLACE = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
# An outlet written as its domain: KOMPAS.com, TEMPO.CO, iNews.id, VIVA.co.id, Liputan6.com.
_DOMAIN = r"[^\W_][\w\-]*(?:\.[^\W\d_]{2,4}){1,2}(?![\w.])"
# The dash closing a dateline: spaced hyphen or double hyphen, or an en/em dash.
_DASH = r"(?:[ \t]+(?:--?|[–—])[ \t]*|(?:--?|[–—])[ \t]+|[–—][ \t]*)"


@dataclass(frozen=True)
class _Rules:
    boilerplate: re.Pattern[str]
    tail: re.Pattern[str]
    datelines: tuple[tuple[str, re.Pattern[str]], ...]
    outlet: re.Pattern[str]


def _expand(pattern: str, data: dict) -> str:
    """Fill the {WEEKDAY} and {MONTH} slots of a clean.yaml pattern."""
    return pattern.replace("{WEEKDAY}", "|".join(data.get("weekdays") or [])).replace(
        "{MONTH}", "|".join(data.get("months") or [])
    )


def _checked(lang: str, data: dict, key: str) -> list[str]:
    """The expanded patterns under ``key``, each compiled once here so that a broken one
    is reported with its file instead of failing inside the combined expression."""
    patterns = [_expand(str(p), data) for p in data.get(key) or []]
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            msg = f"pantau/lang/{lang}/clean.yaml: bad {key} pattern {pattern!r}: {exc}"
            raise DataError(msg) from None
    return patterns


@functools.cache
def _rules() -> _Rules:
    boiler = list(_NEUTRAL_BOILERPLATE)
    tail: list[str] = []
    outlets: set[str] = set()
    for lang in LANGUAGES:
        data = lang_file(lang, "clean.yaml")
        boiler += _checked(lang, data, "boilerplate")
        tail += _checked(lang, data, "tail")
        outlets.update(str(o) for o in data.get("outlets") or [])
    # Longest first, so "CNN Indonesia" wins over "CNN".
    named = "|".join(re.escape(o) for o in sorted(outlets, key=len, reverse=True))
    named = rf"(?:{named})(?![\w.])" if named else r"(?!x)x"
    outlet = rf"(?:{_DOMAIN}|{named})"
    shapes = (
        # TEMPO.CO, Jakarta -   |   Okezone.com -
        ("outlet_first", rf"(?P<outlet>{outlet})(?:,[ \t]*(?P<place>{_PLACE}))?{_DASH}"),
        # JAKARTA, KOMPAS.com -   |   Jakarta, CNN Indonesia --   |   LONDON, iNews.id -
        ("place_outlet", rf"(?P<place>{_PLACE}),[ \t]*(?P<outlet>{outlet}){_DASH}"),
        # WASHINGTON (Reuters) -   |   KABUL, Afghanistan (AP) —   |   Jakarta (ANTARA) -
        (
            "paren_outlet",
            rf"(?P<place>{_PLACE})(?:,[ \t]*[^,()\n]{{1,40}}?)?[ \t]*"
            rf"\((?P<outlet>[^()\n]{{1,40}})\){_DASH}",
        ),
        # LONDON, April 23 -   |   WASHINGTON/KHARTOUM, April 23 (Meridian Wire) -
        (
            "place_date",
            rf"(?P<place>{_PLACE}(?:/{_PLACE})*)(?:,[ \t]*{_PLACE})?"
            rf",[ \t]*[^\W\d_]+\.?[ \t]+\d{{1,2}}"
            rf"(?:[ \t]*\((?P<outlet>[^()\n]{{1,40}})\))?{_DASH}",
        ),
        # JAKARTA -   |   KABUL, Afghanistan -   |   Jakarta - (detik style)
        ("place_only", rf"(?P<place>{_PLACE})(?:,[ \t]*{_PLACE})?{_DASH}"),
    )
    return _Rules(
        boilerplate=re.compile("|".join(f"(?:{p})" for p in boiler), re.I),
        tail=re.compile("|".join(f"(?:{p})" for p in tail), re.I) if tail else re.compile("(?!)"),
        datelines=tuple((name, re.compile(p)) for name, p in shapes),
        outlet=re.compile(outlet),
    )


def clean(article: Article) -> Document:
    """A Document over ``article.text`` with paragraphs, boilerplate flags and dateline."""
    text = article.text
    doc = Document(article=article, text=text, notes=list(article.notes))
    doc.paragraphs = split_paragraphs(text)
    flag_boilerplate(doc)
    for para in doc.paragraphs:
        if not para.boilerplate:
            doc.dateline = find_dateline(text, para.start, para.end)
            break
    return doc


def split_paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-empty line, trimmed of surrounding whitespace."""
    paragraphs = []
    for m in _LINE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        paragraphs.append(Paragraph(start, start + len(stripped)))
    return paragraphs


def flag_boilerplate(doc: Document) -> None:
    """Set ``Paragraph.boilerplate`` from the clean.yaml patterns of all languages."""
    rules = _rules()
    seen_content = False
    in_tail = False
    for para in doc.paragraphs:
        line = doc.text[para.start : para.end]
        if in_tail:
            para.boilerplate = True
        elif seen_content and rules.tail.match(line):
            para.boilerplate = in_tail = True
        elif rules.boilerplate.match(line) or _is_caps_credit(line):
            para.boilerplate = True
        else:
            seen_content = True


def _is_caps_credit(line: str) -> bool:
    """A short all-capitals line of names: a byline ("ANDITA RAHMA | FRISKI RIANA")."""
    if not line.isupper() or len(line) > 80 or " -" in line or line.endswith("-"):
        return False
    words = line.replace("|", " ").replace(",", " ").split()
    return 0 < len(words) <= 8 and all(w.strip(".'’-").isalpha() for w in words)


def find_dateline(text: str, start: int, end: int) -> Span | None:
    """The dateline at ``text[start:end]``'s start, or None.

    Shapes are tried from the most to the least specific; a bare place needs to be
    upper case ("JAKARTA -"), or a single capitalised word that is not a country and
    is followed by a capital ("Jakarta - Presiden ..."), so that "Indonesia - Malaysia"
    or "Victoria - bukan nama sebenarnya -" are left alone.
    """
    rules = _rules()
    for shape, pattern in rules.datelines:
        m = pattern.match(text, start, end)
        if m is None or not _plausible(shape, m, rules, text, end):
            continue
        place = m.group("place")
        if place and place.isupper():
            place = place.title()  # "NUR-SULTAN" -> "Nur-Sultan"
        outlet = m.groupdict().get("outlet")
        data = {"place": place or None, "outlet": outlet.strip() if outlet else None}
        return Span("dateline", start, m.end(), text[start : m.end()], data)
    return None


def _plausible(shape: str, m: re.Match[str], rules: _Rules, text: str, end: int) -> bool:
    place = m.group("place")
    if place and not all(w[0].isupper() for w in place.split()):
        return False
    if shape in ("outlet_first", "place_outlet"):
        return True
    if shape == "place_date":  # an upper-case place before the date: "LONDON, April 23 -"
        return place.replace("/", "").replace(" ", "").isupper()
    if shape == "paren_outlet":
        return place.isupper() or rules.outlet.fullmatch(m.group("outlet").strip()) is not None
    # place_only
    if place.isupper():
        return sum(c.isalpha() for c in place) >= 3
    if " " in place or m.end() >= end or not text[m.end()].isupper():
        return False
    return not _is_country(place)


def _is_country(name: str) -> bool:
    # Imported late: the country tables load babel locale data, needed only here.
    from pantau.countries import country_names

    key = name.lower()
    return any(key in country_names(lang) for lang in LANGUAGES)
