"""Place mentions in one sentence, before resolution (the first half of stage 10).

Matching is capitalisation-driven (the input is edited news): at each capitalised word
the longest run of words that is a gazetteer key wins ("Kota Kinabalu", "Papua New
Guinea"). Prefix and suffix words from ``pantau/lang/<lang>/places.yaml`` ("Kota",
"city of", "Province", "Road") widen the span and say which kind of place is meant;
streets, villages and districts the gazetteer lacks become points that
:mod:`pantau.places` pins to the city named around them. Phrases that only look like
places ("Jakarta Post", "Bank Indonesia", "Michael Jordan") are set aside here; the
choice among candidates is :mod:`pantau.places`' job.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from pantau import gazetteer
from pantau.document import Document, Sentence
from pantau.gazetteer import Place, normalize
from pantau.lexicon import lang_file

WORD = re.compile(r"\w+(?:['’](?!s\b)\w+|-\w+)*")  # "Sana'a", "Nur-Sultan"; not "Jordan's"
# The same words, possessive (nothing after them can make them give a letter back, so
# the engine need not keep backtracking points): splitting every sentence is faster.
_SPLIT = re.compile(r"(\w++(?:['’](?!s\b)\w+|-\w+)*+)")
_GAP = re.compile(r"[ \t\u00a0.]{0,3}")  # what may separate the words of one name
MAX_WORDS = 6  # longest name tried ("Dar es Salaam", "Bosnia dan Herzegovina")
MAX_RUN = 4  # words of an unknown street or village name after "Jalan"/"Desa"
POINT_KINDS = ("street", "point")


class Rules:
    """places.yaml of one language as frozensets of keys and key -> kind dicts, plus
    ``prefix_starts`` (the only lower-case words worth a look: "di kota"), ``street_words``
    and ``first`` (first word of a place or not_places name -> most words it has)."""

    LISTS = ("locative", "locative_skip", "blocking_after", "blocking_before", "not_places")
    LISTS += ("stoplist", "stop_initial", "person_like", "person_ok", "common_words")
    LISTS += ("descriptive", "lowercase_prefixes", "place_titles")

    def __init__(self, lang: str) -> None:
        self.lang = lang
        y = lang_file(lang, "places.yaml")
        for name in self.LISTS:
            setattr(self, name, frozenset(normalize(str(w)) for w in y.get(name) or []))
        for name in ("prefixes", "suffixes", "prefix_country", "anaphora"):
            setattr(self, name, {normalize(str(k)): v for k, v in (y.get(name) or {}).items()})
        self.home: str | None = y.get("home_country")
        self.person_ok = self.person_ok | self.locative | set(self.prefixes)
        self.prefix_starts = frozenset(k.split()[0] for k in self.prefixes)
        self.street_words = frozenset(k for k, v in self.suffixes.items() if v in POINT_KINDS)
        self.stopwords = frozenset(normalize(w) for w in lang_file(lang, "stopwords.txt"))
        self.first = dict(gazetteer.first_words(lang))
        for k in self.not_places:
            self.first[k.split()[0]] = max(self.first.get(k.split()[0], 0), k.count(" ") + 1)


rules = functools.cache(Rules)
norm = functools.lru_cache(maxsize=1 << 16)(normalize)  # words repeat across articles
_NORMS: dict[str, str] = {}  # normalize() of every word met, for _Scanner
_NORMS_MAX = 1 << 19  # a corpus's vocabulary is larger than norm()'s cache: it thrashed


def _norms(words: list[str]) -> list[str]:
    """normalize() of each word: a dict lookup for words met before."""
    found = list(map(_NORMS.get, words))
    if None in found:
        if len(_NORMS) > _NORMS_MAX:
            _NORMS.clear()
        found = [
            n if n is not None else _NORMS.setdefault(w, normalize(w))
            for n, w in zip(found, words, strict=True)
        ]
    return found


def is_locative(words_before: list[str], r: Rules) -> bool:
    """Does a locative word ("di", "in", "near") end ``words_before``, allowing a few
    filler words after it ("di luar kota", "in the city of")?"""
    for w in reversed(words_before[-4:]):
        if norm(w) in r.locative or norm(w) not in r.locative_skip:
            return norm(w) in r.locative
    return False


@dataclass
class Match:
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
    locative: bool = False  # a locative word before it ("di Pacitan", "in Beslan")
    counted: str | None = None  # the country this mention added to the context


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
        self.doc, self.sent, self.lang, self.rules = doc, sent, lang, rules(lang)
        self.names = names  # words seen as a person's or an organisation's name
        parts = _SPLIT.split(sent.text)
        self.words = parts[1::2]
        ends = list(accumulate(map(len, parts), initial=sent.start))
        self.starts, self.ends = ends[1:-1:2], ends[2::2]
        self.norms = _norms(self.words)
        self.cap = [w[0].isupper() for w in self.words]
        self.glue = [" " if g == " " else _glue(g) for g in parts[2:-1:2]] + [None]
        dl = doc.dateline
        self.skip_before = dl.end if dl is not None and dl.start < sent.end else -1
        self.streets = not self.rules.street_words.isdisjoint(self.norms)  # "Jalan", "Road"

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

    def name_end(self, i: int) -> int:
        """One past an unknown name of capitalised words from word i, stopping before a
        function word of a headline ("Kampung Melayu Sudah ...") or the next prefix word
        ("Kecamatan Munjungan Kabupaten Trenggalek": two places)."""
        r, j = self.rules, i + 1
        while j - i < MAX_RUN and self.cap_next(j - 1):
            if self.norms[j] in r.stopwords or self.norms[j] in r.prefix_starts:
                break
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

    def beside(self, k: int, other: int, lenient: bool = False) -> bool:
        """Is word k a capitalised non-title word written next to word ``other``? With
        ``lenient``, a function word capitalised because it opens the sentence is not
        ("Namun Rockhampton ...")."""
        if not 0 <= k < len(self.words) or not self.cap[k] or self.glue[min(k, other)] is None:
            return False
        r = self.rules
        if lenient and self.norms[k] in r.stopwords and self.first_word(k):
            return False
        return not self.words[k].isupper() and self.norms[k] not in r.person_ok

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

    def scan(self) -> list[Match]:
        self.out: list[Match] = []
        r, cap, nxt = self.rules, self.cap, 0
        pick, first = r.prefix_starts, r.first
        # step() at a capitalised word that starts no name ("first"), when the sentence
        # has no street word either, only returns i + 1: such words are not tried.
        tried = [
            i
            for i, n in enumerate(self.norms)
            if n in pick or (cap[i] and (self.streets or n.partition(" ")[0] in first))
        ]
        for i in tried:
            if i >= nxt and self.starts[i] >= self.skip_before:
                nxt = self.step(i)
        return self.out

    def step(self, i: int) -> int:
        """Try every reading at word i, append what it finds, return the next index."""
        r, cap = self.rules, self.cap[i]
        # 1. A prefix word: "Kota Almaty", "di kota Almaty", "Jl. Sudirman".
        n = self.phrase(i, 2, r.prefixes) if self.norms[i] in r.prefix_starts else 0
        if n and cap and self.key(i, i + n) in r.lowercase_prefixes:
            n = 0  # "Kepolisian Daerah ...", "Kawasan Ekonomi Khusus": part of a name
        if n and self.cap_next(i + n - 1):
            if self.norms[i + n] in r.prefix_starts:
                return i + n  # "Ibu Kota Provinsi Parwan": the inner prefix says what it is
            kind = r.prefixes[self.key(i, i + n)]
            direct_end, direct = self.longest(i) if cap else (i, ())
            if not (direct and direct_end > i + n):  # else a name like "Kota Kinabalu"
                run = self.name_end(i + n)
                if kind == "street":
                    return self.add_point(i, i + n, run)
                end, cands = self.longest(i + n)
                only = r.prefix_country.get(self.key(i, i + n))
                cands = tuple(c for c in cands if c.country == only) if only else cands
                if kind == "point" and end < run:
                    cands = ()  # "kawasan Patra Kuningan" is not Patras
                if cands:
                    return self.add(i, i + n, end, cands, want=None if kind == "point" else kind)
                if end > i + n:  # "kawasan Asia Tenggara": a not_places phrase
                    return end
                # "Kabupaten Nduga", "Desa Curahkalak": a named area the gazetteer lacks
                return self.add_point(i, i + n, run) if cap or kind == "point" else i + 1
        if not cap:
            return i + 1
        # 2. A place name, maybe with a kind word after it ("Khartoum state").
        end, cands = self.longest(i)
        if cands:
            if self.cap_next(end - 1) and r.suffixes.get(self.norms[end]) in POINT_KINDS:
                return self.add_point(i, i, end + 1)  # "Victoria Road"
            return self.add(i, i, end, cands)
        if end > i:  # a not_places phrase: "Jakarta Post"
            return end
        # 3. An unknown name ending in a street word: "Hennessy Road".
        if self.streets:
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
        m = Match(start, stop_at, text, self.key(name_i, end), cands, self.sent.index, want)
        m.single = name_i == i and end - i == 1 and stop == end
        m.initial, m.prev_cap = self.first_word(i), self.beside(i - 1, i, lenient=True)
        m.next_cap = self.beside(stop, stop - 1, lenient=True)
        if i > 0 and self.norms[i - 1] in self.rules.place_titles:
            m.prev_cap = m.next_cap = False  # "Bupati Trenggalek Emil Dardak": a place
        m.framed = self.cap_prev(i) or self.cap_next(stop - 1)
        m.locative = is_locative(self.words[max(0, i - 4) : i], self.rules)
        self.out.append(m)
        return stop

    def add_point(self, i: int, name_i: int, end: int) -> int:
        """Record a street or village: words name_i..end-1, from i with its prefix."""
        if end <= name_i:
            return max(name_i, i + 1)
        start, stop = self.starts[i], self.ends[end - 1]
        name, text = self.doc.text[self.starts[name_i] : stop], self.doc.text[start:stop]
        self.out.append(Match(start, stop, text, normalize(name), (), self.sent.index, point=name))
        return end


def scan_sentence(doc: Document, sent: Sentence, lang: str, names: set[str]) -> list[Match]:
    """The place mentions of one sentence of ``doc`` (outside the dateline), in order.
    ``names`` collects words seen as a person's or an organisation's name ("Jordan" of
    "Michael Jordan") across the sentences of one article."""
    return _Scanner(doc, sent, lang, names).scan()
