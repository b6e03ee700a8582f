"""Stage 10: find place mentions and resolve them to GeoNames LOCATIONs.

Matching is capitalisation-driven (the input is edited news): at each capitalised word
the longest run of words that is a gazetteer key wins ("Kota Kinabalu", "Papua New
Guinea"). Prefix and suffix words from ``pantau/lang/<lang>/places.yaml`` ("Kota",
"city of", "Province", "Road") widen the span and say which kind of place is meant;
streets and villages become points at the city named around them. Resolution waits
for the whole article: countries named unambiguously elsewhere are the context that
decides "Tripoli" or "Georgia" (:func:`pantau.gazetteer.choose`), and bare one-word
names, where news text and GeoNames collide ("Hal", "Besar", "John Bolton"), are
screened against common words and person names.
"""

from __future__ import annotations

import collections
import functools
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from pantau import gazetteer
from pantau.document import Document, Sentence, Span
from pantau.gazetteer import Place, normalize
from pantau.lexicon import LANGUAGES, lang_file

_WORD = re.compile(r"\w+(?:['’](?!s\b)\w+|-\w+)*")  # "Sana'a", "Nur-Sultan"; not "Jordan's"
_SPLIT = re.compile(f"({_WORD.pattern})")
_GAP = re.compile(r"[ \t\u00a0.]{0,3}")  # what may separate the words of one name
MAX_WORDS = 6  # longest name tried ("Dar es Salaam", "Bosnia dan Herzegovina")
MAX_RUN = 4  # words of an unknown street or village name after "Jalan"/"Desa"
LOCAL_POP = 100_000  # a one-word town beside another name needs this many people
BIG_POP = 1_000_000  # ... and one whose country is not named elsewhere, this many
_SPECIFIC = ("point", "city", "admin1")
_POINT = ("street", "point")


class _Rules:
    """places.yaml of one language as frozensets of keys and key -> kind dicts, plus
    ``prefix_starts`` (the only lower-case words worth a look: "di kota"), ``street_words``
    and ``first`` (first word of a place or not_places name -> most words it has)."""

    LISTS = ("locative", "locative_skip", "blocking_after", "blocking_before", "not_places")
    LISTS += ("stoplist", "stop_initial", "person_like", "person_ok", "common_words")

    def __init__(self, lang: str) -> None:
        y = lang_file(lang, "places.yaml")
        for name in self.LISTS:
            setattr(self, name, frozenset(normalize(str(w)) for w in y.get(name) or []))
        for name in ("prefixes", "suffixes", "prefix_country"):
            setattr(self, name, {normalize(str(k)): v for k, v in (y.get(name) or {}).items()})
        self.person_ok = self.person_ok | self.locative | set(self.prefixes)
        self.prefix_starts = frozenset(k.split()[0] for k in self.prefixes)
        self.street_words = frozenset(k for k, v in self.suffixes.items() if v in _POINT)
        self.first = dict(gazetteer.first_words(lang))
        for k in self.not_places:
            self.first[k.split()[0]] = max(self.first.get(k.split()[0], 0), k.count(" ") + 1)


_rules = functools.cache(_Rules)


@dataclass
class _Match:
    """A mention before resolution; street and village mentions have no candidates."""

    start: int
    end: int
    text: str
    key: str
    cands: tuple[Place, ...]
    sentence: int
    want: str | None = None  # the precision a prefix or suffix word asks for
    point: str | None = None  # the street or village name
    single: bool = False  # a bare one-word name
    initial: bool = False  # first word of the sentence
    prev_cap: bool = False  # a capitalised non-title word right before (a person's name?)
    next_cap: bool = False  # ... or right after
    framed: bool = False  # any capitalised word next to it ("US President", "Presiden AS")
    counted: str | None = None  # the country this mention added to the context


_norm = functools.lru_cache(maxsize=1 << 16)(normalize)  # words repeat across articles


def _glue(gap: str) -> str | None:
    """How words around ``gap`` join in a key: " ", "" ("U.S"), None (", " splits them)."""
    if _GAP.fullmatch(gap) is None:
        return None
    return " " if gap.strip(".") else ""


class _Scanner:
    """Finds mentions in one sentence. Words (split() alternates gap, word, gap: offsets
    are running sums), normalized forms, capitalisation and the glue to the next word are
    computed once, so a key of several words is a join rather than a new normalization."""

    def __init__(self, doc: Document, sent: Sentence, lang: str, names: set[str]) -> None:
        self.doc, self.sent, self.lang, self.rules = doc, sent, lang, _rules(lang)
        self.names = names  # words seen as a person's or an organisation's name
        parts = _SPLIT.split(sent.text)
        self.words = parts[1::2]
        ends = list(accumulate(map(len, parts), initial=sent.start))
        self.starts, self.ends = ends[1:-1:2], ends[2::2]
        self.norms = [_norm(w) for w in self.words]
        self.cap = [w[0].isupper() for w in self.words]
        self.glue = [" " if g == " " else _glue(g) for g in parts[2:-1:2]] + [None]
        dl = doc.dateline
        self.skip_before = dl.end if dl is not None and dl.start < sent.end else -1

    def cap_next(self, k: int) -> bool:
        """Is word k + 1 capitalised and written next to word k?"""
        return 0 <= k and self.glue[k] is not None and self.cap[k + 1]

    def cap_prev(self, k: int) -> bool:
        """Is word k - 1 capitalised and written next to word k?"""
        return k > 0 and self.glue[k - 1] is not None and self.cap[k - 1]

    def run_end(self, i: int, limit: int, caps: bool = False) -> int:
        """One past the last word joined to word i (capitalised ones only if ``caps``)."""
        j = i + 1
        while j - i < limit and (self.cap_next(j - 1) if caps else self.glue[j - 1] is not None):
            j += 1
        return j

    def key(self, i: int, j: int) -> str:
        parts = [self.norms[i]]
        for k in range(i + 1, j):
            parts += (self.glue[k - 1] or "", self.norms[k])
        return "".join(parts)

    def phrase(self, i: int, limit: int, table: Any) -> int:
        """Number of words of the longest entry of ``table`` starting at word i (0: none)."""
        return next(
            (j - i for j in range(self.run_end(i, limit), i, -1) if self.key(i, j) in table), 0
        )

    def lookup(self, i: int, j: int) -> tuple[Place, ...]:
        """Candidates for words i..j-1, after the capitalisation rules."""
        if not self.cap[j - 1]:
            return ()
        key, word, r = self.key(i, j), self.words[i], self.rules
        cands = gazetteer.candidates(key, self.lang)
        if cands and j - i == 1 and len(word) <= 3 and not gazetteer.is_alias(key, self.lang):
            # Short words: acronyms ("AS", "UK") only as countries; "Ba", "Bo" never.
            if len(word) < 3 and not word.isupper():
                return ()
            if word.isupper():
                cands = tuple(c for c in cands if c.precision == "country")
        if cands and (key in r.stoplist or (key in r.stop_initial and self.first_word(i))):
            cands = tuple(c for c in cands if c.precision == "country")
        return cands

    def first_word(self, i: int) -> bool:
        return not self.doc.text[self.sent.start : self.starts[i]].strip(" \"'“‘(-–—")

    def longest(self, i: int) -> tuple[int, tuple[Place, ...]]:
        """End index and candidates of the longest place name starting at word i
        (candidates empty for a not_places phrase such as "Jakarta Post")."""
        most = self.rules.first.get(self.norms[i].partition(" ")[0], 0)  # "nur sultan"
        if not most:
            return i, ()
        for j in range(self.run_end(i, min(most, MAX_WORDS)), i, -1):
            if self.key(i, j) in self.rules.not_places:
                return j, ()
            cands = self.lookup(i, j)
            if cands:
                return j, cands
        return i, ()

    def beside(self, k: int, other: int) -> bool:
        """Is word k a capitalised non-title word written next to word ``other``?"""
        if not 0 <= k < len(self.words) or self.glue[min(k, other)] is None or not self.cap[k]:
            return False
        return not self.words[k].isupper() and self.norms[k] not in self.rules.person_ok

    def blocked(self, i: int, j: int) -> bool:
        """Outlet/team/person readings: "Jakarta Post", "Bank Indonesia", "Michael Jordan".
        The name goes into ``self.names`` so its bare mentions are doubted too."""
        r = self.rules
        hit = self.cap_next(j - 1) and self.phrase(j, 2, r.blocking_after) > 0
        if not hit and self.cap_prev(i):
            hit = any(i >= k and self.key(i - k, i) in r.blocking_before for k in (1, 2))
        if not hit and self.key(i, j) in r.person_like:
            hit = self.beside(i - 1, i) or self.beside(j, j - 1)
        if hit:
            self.names.add(self.key(i, j))
        return hit

    def scan(self) -> list[_Match]:
        self.out: list[_Match] = []
        pick, nxt = self.rules.prefix_starts, 0
        for i in [i for i, n in enumerate(self.norms) if self.cap[i] or n in pick]:
            if i >= nxt and self.starts[i] >= self.skip_before:
                nxt = self.step(i)
        return self.out

    def step(self, i: int) -> int:
        """Try every reading at word i, append what it finds, return the next index."""
        r, cap = self.rules, self.cap[i]
        # 1. A prefix word: "Kota Almaty", "di kota Almaty", "Jl. Sudirman".
        n = self.phrase(i, 2, r.prefixes) if self.norms[i] in r.prefix_starts else 0
        if n and self.cap_next(i + n - 1):
            kind = r.prefixes[self.key(i, i + n)]
            direct_end, direct = self.longest(i) if cap else (i, ())
            if not (direct and direct_end > i + n):  # else a name like "Kota Kinabalu"
                run = self.run_end(i + n, MAX_RUN, caps=True)
                if kind in _POINT:
                    return self.add_point(i, i + n, run)
                end, cands = self.longest(i + n)
                only = r.prefix_country.get(self.key(i, i + n))
                cands = tuple(c for c in cands if c.country == only) if only else cands
                if cands:
                    return self.add(i, i + n, end, cands, want=kind)
                # "Kabupaten Nduga": a named area the gazetteer lacks
                return self.add_point(i, i + n, run) if cap else i + 1
        if not cap:
            return i + 1
        # 2. A place name, maybe with a kind word after it ("Khartoum state").
        end, cands = self.longest(i)
        if cands:
            if self.cap_next(end - 1) and r.suffixes.get(self.norms[end]) in _POINT:
                return self.add_point(i, i, end + 1)  # "Victoria Road"
            return self.add(i, i, end, cands)
        if end > i:  # a not_places phrase: "Jakarta Post"
            return end
        # 3. An unknown name ending in a street word: "Hennessy Road".
        if not r.street_words.isdisjoint(self.norms):
            for j in range(self.run_end(i, MAX_RUN, caps=True), i + 1, -1):
                if self.norms[j - 1] in r.street_words:
                    return self.add_point(i, i, j)
        return i + 1

    def add(
        self, i: int, name_i: int, end: int, cands: tuple[Place, ...], want: str | None = None
    ) -> int:
        """Record words name_i..end-1 (from i with its prefix) with the flags resolution
        needs, taking a kind word after them ("Khartoum state")."""
        if self.blocked(name_i, end):
            return end
        stop = end
        kind = self.rules.suffixes.get(self.norms[end]) if self.glue[end - 1] is not None else None
        if kind in ("city", "admin1"):
            want, stop = kind, end + 1
        start, stop_at = self.starts[i], self.ends[stop - 1]
        text = self.doc.text[start:stop_at]
        m = _Match(start, stop_at, text, self.key(name_i, end), cands, self.sent.index, want)
        m.single = name_i == i and end - i == 1 and stop == end
        m.initial, m.prev_cap, m.next_cap = self.first_word(i), self.beside(i - 1, i), False
        m.next_cap = self.beside(stop, stop - 1)
        m.framed = self.cap_prev(i) or self.cap_next(stop - 1)
        self.out.append(m)
        return stop

    def add_point(self, i: int, name_i: int, end: int) -> int:
        """Record a street or village: words name_i..end-1, from i with its prefix."""
        if end <= name_i:
            return max(name_i, i + 1)
        start, stop = self.starts[i], self.ends[end - 1]
        name, text = self.doc.text[self.starts[name_i] : stop], self.doc.text[start:stop]
        self.out.append(_Match(start, stop, text, normalize(name), (), self.sent.index, point=name))
        return end


def _resolve(
    matches: list[_Match], ctx: collections.Counter[str], lang: str, names: set[str]
) -> list[tuple[_Match, Place]]:
    """Choose a place for every mention. A bare one-word name (not a capital or alias)
    needs its country named elsewhere, or a million people and its own spelling. A town
    next to a capitalised name ("John Bolton") is a person, also when bare ("Bolton said")."""
    beside = [m for m in matches if m.single and (m.prev_cap or m.next_cap)]
    persons = names | {m.key for m in beside if all(c.precision == "city" for c in m.cands)}
    same_word = collections.Counter((m.key, m.counted) for m in matches if m.counted)
    placed = []
    for m in matches:
        p = gazetteer.choose(m.cands, ctx, m.want) if m.cands else None
        if p is None:
            continue
        bare = m.single and p.feature not in ("country", "capital")
        if bare and not gazetteer.is_alias(m.key, lang):
            others = ctx[p.country] - same_word[(m.key, p.country)]
            town = p.precision == "city" and p.feature in ("city", "minor")
            if town and m.key in persons and (others <= 0 or p.population < LOCAL_POP):
                continue
            if others <= 0 and (p.population < BIG_POP or normalize(p.name) != m.key):
                continue
        placed.append((m, p))
    return placed


def _anchor(m: _Match, placed: list[tuple[_Match, Place]], fallback: Place | None) -> Place | None:
    """The city a street/village lies in: the nearest city or province named in the
    same sentence (the one after it first: "Jalan Thamrin, Jakarta"), else the
    article's main place, else the dateline city."""
    same = [x for x in placed if x[0].sentence == m.sentence and x[1].precision in _SPECIFIC]
    after = [x for x in same if x[0].start >= m.end]
    near = min(after, key=lambda x: x[0].start, default=None) or max(
        (x for x in same if x[0].end <= m.start), key=lambda x: x[0].end, default=None
    )
    return near[1] if near else fallback


def _is_locative(doc: Document, sent: Sentence, start: int, rules: _Rules) -> bool:
    """Does a locative word ("di", "in", "near") come just before ``start``, allowing
    a few filler words between ("di luar kota", "in the city of")?"""
    for w in reversed(_WORD.findall(doc.text[sent.start : start])[-4:]):
        if _norm(w) in rules.locative or _norm(w) not in rules.locative_skip:
            return _norm(w) in rules.locative
    return False


def _focus(doc: Document, placed: list[tuple[_Match, Place]], rules: _Rules) -> str | None:
    """The country most mentioned through places. Cities, provinces and countries
    after a locative weigh 1; a bare country name often modifies a noun ("pejabat AS",
    "US officials") rather than naming where things happen, so it weighs 1/2, and 1/4
    when a title or name stands next to it ("US President", "Kedutaan Besar AS")."""
    sents = {s.index: s for s in _sentences(doc)}
    weight: collections.Counter[str] = collections.Counter()
    for m, p in placed:  # in text order, so ties go to the first mentioned
        w = 1.0
        if p.precision == "country" and not _is_locative(doc, sents[m.sentence], m.start, rules):
            w = 0.25 if m.framed else 0.5
        weight[p.country] += w
    return max(weight, key=weight.__getitem__) if weight else None


def _main(placed: list[tuple[_Match, Place]], focus: str | None) -> tuple[_Match, Place] | None:
    """First mention of the most mentioned specific place in the focus country (ties:
    the earliest), else of the focus country itself, else of anything."""
    pool = [x for x in placed if x[1].precision in _SPECIFIC and x[1].country == focus]
    pool = pool or [x for x in placed if x[1].country == focus] or placed
    counts = collections.Counter(x[1] for x in pool)
    return max(pool, key=lambda x: (counts[x[1]], -x[0].start), default=None)


def _sentences(doc: Document) -> list[Sentence]:
    if doc.sentences:
        return doc.sentences
    # Unsegmented input (tests, direct calls): the whole text as one sentence.
    return [Sentence(0, 0, len(doc.text), doc.text, 0)]


def find_places(doc: Document) -> Document:
    """Append a ``Span("place", ..., LOCATION)`` for every place mention outside the
    dateline, and set ``doc.focus_country`` and ``doc.main_place`` unless already set."""
    lang = doc.lang if doc.lang in LANGUAGES else "en"
    rules = _rules(lang)
    matches: list[_Match] = []
    names: set[str] = set()
    for sent in _sentences(doc):
        matches.extend(_Scanner(doc, sent, lang, names).scan())
    ctx: collections.Counter[str] = collections.Counter()
    for m in matches:
        if m.single and not gazetteer.is_alias(m.key, lang):
            common = m.key in rules.common_words
            m.cands = gazetteer.screen(m.cands, m.key, common, m.initial, m.prev_cap or m.next_cap)
        if m.cands and not (m.single and (m.prev_cap or m.next_cap)):
            m.counted = gazetteer.unique_country(m.cands)
            if m.counted:
                ctx[m.counted] += 1
    dateline_place = None
    if doc.dateline is not None:
        cands = gazetteer.candidates(normalize(doc.dateline.text.strip(" -–—,:")), lang)
        dateline_place = gazetteer.choose(cands, ctx) if cands else None
        if dateline_place is not None:
            ctx[dateline_place.country] += 1  # helps disambiguation, never the focus

    placed = _resolve(matches, ctx, lang, names)
    spans = [Span("place", m.start, m.end, m.text, p.location(m.text)) for m, p in placed]
    focus = _focus(doc, placed, rules)
    main = _main(placed, doc.focus_country or focus)
    for m in matches:
        a = _anchor(m, placed, main[1] if main else dateline_place) if m.point else None
        if a is not None:  # else a street we cannot put on any map
            loc = Place(m.point or "", None, a.country, a.admin1, a.lat, a.lon, "point")
            spans.append(Span("place", m.start, m.end, m.text, loc.location(m.text)))
    spans.sort(key=lambda s: s.start)
    doc.spans.extend(spans)
    if doc.focus_country is None:
        doc.focus_country = focus
    if doc.main_place is None and main is not None:
        doc.main_place = main[1].location(main[0].text)
    return doc


def place_of_sentence(
    doc: Document, sentence: Sentence, near: int | None = None
) -> dict[str, Any] | None:
    """Where the event of ``sentence`` happened, from the place spans already found:
    a place introduced by a locative word ("di Almaty", "in Kabul", "near Idlib"); else
    a city, province or street named in it that is not an actor mention (a capital
    standing for its government); else None (the caller may fall back to
    ``doc.main_place``). Among several, the first, or the nearest to offset ``near``
    (the trigger) when given. Returns a copy of the LOCATION."""
    rules = _rules(doc.lang if doc.lang in LANGUAGES else "en")
    places = sorted(doc.spans_in(sentence.start, sentence.end, "place"), key=lambda s: s.start)

    def distance(s: Span) -> int:
        return 0 if near is None else min(abs(s.start - near), abs(s.end - near))

    actors = doc.spans_in(sentence.start, sentence.end, "actor")  # "Washington menolak"
    named = [s for s in places if not any(a.start <= s.start < a.end for a in actors)]
    for tier in (
        [s for s in places if _is_locative(doc, sentence, s.start, rules)],
        [s for s in named if s.data["precision"] in _SPECIFIC],
    ):
        if tier:
            return dict(min(tier, key=distance).data)
    return None
