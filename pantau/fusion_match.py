"""Which stored mentions may report the same event: the pairwise rules of fusion.

:mod:`pantau.fusion` groups a block's mentions into events with these rules (its module
docstring tells them in prose): :func:`compatible` (nothing disagrees) and
:func:`anchored` (something specific is shared), over the :class:`Mention` view of a
stored record.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

TOLERANCE_DAYS = 1
NEAR_KM = 50.0
WEEK_DAYS = 3
PUBLISHED_DAYS_BEFORE = 2
SIMILAR_WORDS = 0.5  # Jaccard of the evidence sentences' word sets
WORD = re.compile(r"\w\w\w+")  # words of three or more letters: any language
NO_DATE = (0, 0)  # mentions without any date: compatible only with each other in time
_DATE_RANK = {"day": 0, "week": 1, "published": 2, "month": 3, "year": 4}
_PLACE_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3}


@dataclass(frozen=True, slots=True)
class Mention:
    """What fusion needs of one stored mention (a row of ``mentions`` plus its article)."""

    id: int
    uid: str  # article content hash + record id: stable across databases
    actors: frozenset[str]
    recipients: frozenset[str]
    actor_sectors: tuple[str, ...]
    recipient_sectors: tuple[str, ...]
    geonameid: int | None
    place_name: str | None
    place_precision: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    date: str | None
    date_precision: str | None
    window: tuple[int, int]
    mode: str
    cameo: str | None
    signals: tuple[str, ...]
    published: str | None
    root: int  # the article, or the original it is a near-duplicate of
    outlet: str | None
    lang: str | None
    country: str | None = None  # of the block
    words: frozenset[str] = frozenset()  # of the evidence sentence, casefolded
    guessed: bool = False  # the actor is the coder's guess (the focus country), not named

    @property
    def named_actors(self) -> frozenset[str]:
        """The actor codes fusion compares: a guessed actor is no evidence either way."""
        return frozenset() if self.guessed else self.actors

    @property
    def rank(self) -> tuple[int, int]:
        """Precision of (date, place): smaller is more precise."""
        date, place = self.date_precision or "", self.place_precision or ""
        return _DATE_RANK.get(date, 9), _PLACE_RANK.get(place, 9)

    @property
    def order(self) -> tuple:
        return (self.window, self.rank[0], self.published or "", self.uid)



def date_window(date: str | None, precision: str | None) -> tuple[int, int]:
    """The days (as ordinals, inclusive) a date of that precision may stand for."""
    if not date:
        return NO_DATE
    day = dt.date.fromisoformat(date)
    n = day.toordinal()
    if precision == "week":
        return n - WEEK_DAYS, n + WEEK_DAYS
    if precision == "month":
        first = day.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return first.toordinal(), nxt.toordinal() - 1
    if precision == "year":
        return dt.date(day.year, 1, 1).toordinal(), dt.date(day.year, 12, 31).toordinal()
    if precision == "published":
        return n - PUBLISHED_DAYS_BEFORE, n
    return n, n


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def codes_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Same codes, or one side names fewer (none at all included)."""
    return a <= b or b <= a


def place_affinity(a: Mention, b: Mention) -> int | None:
    """0 same place, 1 nearby or same division, 2 only the country agrees; None: disagree."""
    if a.place_precision in (None, "country") or b.place_precision in (None, "country"):
        return 2
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return 0
    if "admin1" in (a.place_precision, b.place_precision):
        return 1 if a.admin1 and a.admin1 == b.admin1 else None
    if None not in (a.lat, a.lon, b.lat, b.lon):
        if distance_km(a.lat, a.lon, b.lat, b.lon) <= NEAR_KM:  # type: ignore[arg-type]
            return 1
    return None


def date_gap(a: Mention, b: Mention) -> int | None:
    """Days between the two date windows (0 when they overlap); None beyond the tolerance."""
    if (a.window == NO_DATE) != (b.window == NO_DATE):
        return None
    gap = max(0, a.window[0] - b.window[1], b.window[0] - a.window[1])
    return gap if gap <= TOLERANCE_DAYS else None


def compatible(a: Mention, b: Mention) -> bool:
    """True when ``a`` and ``b`` (of one block) may report the same event."""
    return (
        (not a.mode or not b.mode or a.mode == b.mode)
        and codes_compatible(a.named_actors, b.named_actors)
        and codes_compatible(a.recipients, b.recipients)
        and codes_compatible(frozenset(a.actor_sectors), frozenset(b.actor_sectors))
        and codes_compatible(frozenset(a.recipient_sectors), frozenset(b.recipient_sectors))
        and place_affinity(a, b) is not None
        and date_gap(a, b) is not None
    )


def anchored(a: Mention, b: Mention) -> bool:
    """True when ``a`` and ``b`` share something specific (see the module docstring)."""
    affinity = place_affinity(a, b)
    if affinity is not None and affinity <= 1:
        return True  # the same place below the country
    if similar_wording(a, b):
        return True
    if not a.actors or a.actors != b.actors or a.recipients != b.recipients:
        return False
    if a.recipients and a.actors != a.recipients:
        return True  # the same international dyad
    if a.country and a.country not in a.actors:
        return True  # the same foreign actor acting in this country
    precise = ("day", "week")
    return a.date_precision in precise and b.date_precision in precise


def similar_wording(a: Mention, b: Mention) -> bool:
    """Evidence sentences sharing most of their words (a quote or a syndicated line)."""
    if not a.words or not b.words:
        return False
    return len(a.words & b.words) >= SIMILAR_WORDS * len(a.words | b.words)
