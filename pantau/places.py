"""Stage 10: place mentions resolved to GeoNames LOCATIONs, the article's focus, and
the place of each event.

Mentions come from :mod:`pantau.placescan`. Resolution waits for the whole article:
countries named unambiguously elsewhere are the context that decides "Tripoli" or
"Georgia" (:func:`pantau.gazetteer.choose`); Indonesian text also counts Indonesia as
context (``home_country`` in places.yaml), as its news is mostly about home. Bare
one-word names, where news text and GeoNames collide ("Hal", "Besar", "John Bolton"),
are screened against common words and person names, and are kept when their country
is in context, when a locative word introduces them ("in Beslan"), or when they are
big cities. :func:`event_place_span` picks, among the places of an event's sentence,
the one where the act happened.
"""

from __future__ import annotations

import collections
import functools
from typing import Any

from pantau import gazetteer
from pantau.document import Document, Sentence, Span
from pantau.gazetteer import Place, normalize
from pantau.lexicon import LANGUAGES, lang_file
from pantau.placescan import WORD, Match, Rules, is_locative, norm, rules, scan_sentence

LOCAL_POP = 100_000  # a one-word town beside another name needs this many people
BIG_POP = 1_000_000  # ... and one whose country is not named elsewhere, this many
LOCATIVE_POP = 15_000  # ... unless a locative word introduces it: then a town will do
HOME_PRIOR = 1  # mentions of the home country a language's news implies
_SPECIFIC = ("point", "city", "admin1")
_RANK = {"country": 0, "admin1": 1, "city": 2, "point": 3}
NEAR_WORDS = 3  # words between a coarse place and a finer one in the same phrase
BEFORE = 2  # extra words of distance for a place before the trigger
PHYSICAL = frozenset({"ASSAULT", "COERCE", "MOBILIZE"})  # acts done to a place they name


def _resolve(
    matches: list[Match], ctx: collections.Counter[str], lang: str, names: set[str]
) -> list[tuple[Match, Place]]:
    """Choose a place for every mention. A bare one-word name (not a capital or alias)
    needs its country named elsewhere, or its own spelling and a million people (a town
    after a locative word: "in Beslan"). A town next to a capitalised name ("John
    Bolton") is a person, also when bare ("Bolton said"), but not after a locative
    ("marched in Leeds", with "Leeds Against Austerity" later)."""
    beside = [m for m in matches if m.single and (m.prev_cap or m.next_cap)]
    persons = names | {m.key for m in beside if all(c.precision == "city" for c in m.cands)}
    same_word = collections.Counter((m.key, m.counted) for m in matches if m.counted)
    soft = _soft_context(matches, ctx)
    placed = []
    for m in matches:
        p = gazetteer.choose(m.cands, soft.get(m.key, ctx), m.want) if m.cands else None
        if p is None:
            continue
        bare = m.single and p.feature not in ("country", "capital")
        if bare and not gazetteer.is_alias(m.key, lang):
            others = ctx[p.country] - same_word[(m.key, p.country)]
            town = p.precision == "city" and p.feature in ("city", "minor")
            doubted = m.key in persons and not m.locative  # "in Bolton" is a place
            if town and doubted and (others <= 0 or p.population < LOCAL_POP):
                continue
            plain = p.feature != "minor" and m.key not in rules(lang).common_words
            least = LOCATIVE_POP if m.locative and plain else BIG_POP
            if others <= 0 and (p.population < least or normalize(p.name) != m.key):
                continue
        placed.append((m, p))
    return placed


def _soft_context(
    matches: list[Match], ctx: collections.Counter[str]
) -> dict[str, collections.Counter[str]]:
    """Per name of several countries' places none of which is in ``ctx``: ``ctx`` plus,
    once each, the countries the other such names take on a first pass ("Melbourne"
    makes "Victoria" Australian rather than the capital of the Seychelles). Only
    choices use it; accepting a bare name still needs a country named for certain."""
    first: dict[str, str] = {}
    for m in matches:
        if m.cands and not m.counted and m.key not in first:
            if any(ctx.get(c.country) for c in m.cands):
                continue  # the countries named for certain decide this one
            p = gazetteer.choose(m.cands, ctx, m.want)
            if p is not None:
                first[m.key] = p.country
    votes = collections.Counter(first.values())
    out: dict[str, collections.Counter[str]] = {}
    for key, country in first.items():
        votes[country] -= 1  # not its own vote
        extra = [c for c, n in votes.items() if n > 0 and not ctx.get(c)]
        votes[country] += 1
        if extra:  # new countries only: counts of those named for certain stay as they are
            out[key] = ctx + collections.Counter(dict.fromkeys(extra, 1))
    return out


def _anchor(m: Match, placed: list[tuple[Match, Place]], fallback: Place | None) -> Place | None:
    """The city a street/village lies in: the nearest city or province named in the
    same sentence (the one after it first: "Jalan Thamrin, Jakarta"), else the
    article's main place, else the dateline city."""
    same = [x for x in placed if x[0].sentence == m.sentence and x[1].precision in _SPECIFIC]
    after = [x for x in same if x[0].start >= m.end]
    near = min(after, key=lambda x: x[0].start, default=None) or max(
        (x for x in same if x[0].end <= m.start), key=lambda x: x[0].end, default=None
    )
    return near[1] if near else fallback


def _focus(placed: list[tuple[Match, Place]]) -> str | None:
    """The country most mentioned through places. Cities, provinces and countries
    after a locative weigh 1; a bare country name often modifies a noun ("pejabat AS",
    "US officials") rather than naming where things happen, so it weighs 1/2, and 1/4
    when a title or name stands next to it ("US President", "Kedutaan Besar AS")."""
    weight: collections.Counter[str] = collections.Counter()
    for m, p in placed:  # in text order, so ties go to the first mentioned
        w = 1.0
        if p.precision == "country" and not m.locative:
            w = 0.25 if m.framed else 0.5
        weight[p.country] += w
    return max(weight, key=weight.__getitem__) if weight else None


def _main(placed: list[tuple[Match, Place]], focus: str | None) -> tuple[Match, Place] | None:
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
    r = rules(lang)
    matches: list[Match] = []
    names: set[str] = set()
    for sent in _sentences(doc):
        matches.extend(scan_sentence(doc, sent, lang, names))
    ctx: collections.Counter[str] = collections.Counter()
    if r.home:
        ctx[r.home] += HOME_PRIOR
    for m in matches:
        if m.single and not gazetteer.is_alias(m.key, lang):
            common = m.key in r.common_words  # "Polda Metro Jaya": any capital word beside
            beside = m.prev_cap or m.next_cap or (common and m.framed)
            m.cands = gazetteer.screen(m.cands, m.key, common, m.initial, beside)
        # A bare word that is only another spelling ("Conception" for Concepcion, a
        # boat's name) is no evidence of its country.
        spelt = not m.single or any(
            c.precision != "city" or normalize(c.name) == m.key for c in m.cands
        )
        if m.cands and spelt and not (m.single and (m.prev_cap or m.next_cap)):
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
    focus = _focus(placed)
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
    doc: Document, sentence: Sentence, near: int | None = None, end: int | None = None
) -> dict[str, Any] | None:
    """The LOCATION (a copy) of :func:`event_place_span`, or None."""
    span = event_place_span(doc, sentence, near, end)
    return dict(span.data) if span is not None else None


def _words(doc: Document, start: int, end: int) -> list[str]:
    return WORD.findall(doc.text[start:end]) if end > start else []


def _last_words(doc: Document, start: int, end: int, n: int = 4) -> list[str]:
    """The last ``n`` words between ``start`` and ``end`` (a window, not the whole span:
    this runs for every place of every event)."""
    return _words(doc, max(start, end - 25 * n), end)[-n:]


@functools.cache
def _cue_words(lang: str, *keys: str) -> frozenset[str]:
    """Words of cues.yaml lists (speech verbs, reference words), normalized."""
    cues = lang_file(lang, "cues.yaml")
    return frozenset(normalize(w) for k in keys for w in cues.get(k) or [])


def _speaker_side(doc: Document, sent: Sentence, s: Span, near: int, r: Rules) -> bool:
    """Is place ``s`` across a speech verb from the trigger at ``near`` ("Speaking on TV
    in Yemen, the spokesman said it carried out the attack")? A place that opens the
    sentence after a locative ("In Kabul, police said ...") frames all of it and stays."""
    lo, hi = (s.end, near) if s.end <= near else (near, s.start)
    if _cue_words(r.lang, "attribution", "attribution_after").isdisjoint(
        norm(w) for w in _words(doc, lo, hi)
    ):
        return False
    before = _words(doc, sent.start, s.start)
    return not (len(before) <= 2 and is_locative(before, r))


def _object(doc: Document, s: Span, end: int | None, r: Rules) -> bool:
    """Does place ``s`` follow the trigger ending at ``end`` with only filler words
    between ("captured the town of Bakwa", "menyerbu kota Kabul")?"""
    between = _words(doc, end, s.start) if end is not None and s.start >= end else None
    return (
        between is not None
        and len(between) <= 2
        and all(norm(w) in r.locative_skip for w in between)
    )


def _descriptive(doc: Document, sent: Sentence, s: Span, end: int | None, r: Rules) -> bool:
    """Does place ``s`` only locate a thing ("kedutaan yang terletak di Nur-Sultan")?
    Not when that thing is where the trigger happens: "meningkatkan keamanan di
    Kedutaan Besar yang terletak di Nur-Sultan" (a locative right after the trigger)."""
    if r.descriptive.isdisjoint(norm(w) for w in _last_words(doc, sent.start, s.start, 3)):
        return False
    after = _words(doc, end, s.start) if end is not None and s.start > end else []
    return not (0 < len(after) <= 8 and norm(after[0]) in r.locative)


def _refine(doc: Document, chosen: Span, places: list[Span]) -> Span:
    """A country, province or city named with a finer place of its own in the same
    phrase stands for that place: "Syria's Aleppo province", "ibu kota Afghanistan
    Kabul", "kota Jeddah, Arab Saudi", "Baghdad neighbourhood of Al-Bayaa"."""
    best, c = chosen, chosen.data
    for s in places if _RANK[c["precision"]] <= 2 else ():
        d = s.data
        if _RANK[d["precision"]] <= _RANK[best.data["precision"]] or d["country"] != c["country"]:
            continue
        if c["precision"] == "admin1" and d["admin1"] not in (None, c["name"]):
            continue
        gap = doc.text[min(s.end, chosen.end) : max(s.start, chosen.start)]
        if len(WORD.findall(gap)) <= NEAR_WORDS and not any(ch in gap for ch in '.;:()"“”'):
            best = s
    return best


def event_place_span(
    doc: Document,
    sentence: Sentence,
    near: int | None = None,
    end: int | None = None,
    physical: bool = False,
) -> Span | None:
    """The place span where the event of ``sentence`` happened, among the places
    already found in it, for the trigger at offsets ``near``..``end`` when given:

    1. a place a locative word introduces ("di Almaty", "in Kabul", "near Idlib") or the
       trigger governs ("captured the town of Bakwa"; also a capital named as a
       participant when the act is ``physical``, done to its object: "captured
       Kabul"); else
    2. a city, province or street that is not an actor mention (a capital standing for
       its government: "Washington menolak").

    Within a tier the one nearest to the trigger in words, those before it counting
    ``BEFORE`` words more (an act's place follows its verb: "held in Lima, demonstrated
    in Hamburg"); a country, province or city then gives way to a finer place of its
    own beside it ("Belarus capital Minsk", "Baghdad neighbourhood of Al-Bayaa").
    Places on the speaker's side of a speech verb ("Speaking in Yemen, X said it
    attacked ...") and places that only locate a thing ("kedutaan yang terletak di
    Nur-Sultan", "a group based in Idlib") are not candidates. None when no place
    qualifies (the caller may fall back to the article's main place)."""
    r = rules(doc.lang if doc.lang in LANGUAGES else "en")
    places = sorted(doc.spans_in(sentence.start, sentence.end, "place"), key=lambda s: s.start)
    if near is not None:
        places = [s for s in places if not _speaker_side(doc, sentence, s, near, r)]
    places = [s for s in places if not _descriptive(doc, sentence, s, end, r)]
    stop = near if end is None else end

    def distance(s: Span) -> int:
        if near is None or stop is None:
            return 0
        if s.start >= stop:
            return len(_words(doc, stop, s.start))
        return len(_words(doc, s.end, near)) + BEFORE if s.end <= near else 0

    actors = doc.spans_in(sentence.start, sentence.end, "actor")  # "Washington menolak"
    named = [s for s in places if not any(a.start <= s.start < a.end for a in actors)]
    # A capital seized or shelled is a place, but a country after the trigger may be
    # its possessor ("serangan udara Rusia": Russian air strikes).
    seized = [s for s in places if s in named or s.data["precision"] in _SPECIFIC]
    for tier in (
        [s for s in places if is_locative(_last_words(doc, sentence.start, s.start), r)]
        + [s for s in (seized if physical else named) if _object(doc, s, end, r)],
        [s for s in named if s.data["precision"] in _SPECIFIC],
    ):
        if tier:
            return _refine(doc, min(tier, key=distance), places)
    return None


def _anaphor(doc: Document, sentence: Sentence, r: Rules) -> tuple[int, str] | None:
    """Offset and kind of the first locative anaphor of ``sentence``: a locative, then a
    reference word, at most one more word and a place noun ("in the European nation"),
    or a place noun and a reference word after it ("di wilayah itu")."""
    lowered = sentence.text.lower()
    if not any(noun in lowered for noun in r.anaphora):  # most sentences: no regex needed
        return None
    ref_before = _cue_words(r.lang, "reference_before")
    ref_after = _cue_words(r.lang, "reference_after")
    found = [(m.start(), norm(m.group())) for m in WORD.finditer(sentence.text)]
    words = [w for _, w in found] + ["", "", ""]
    for i, (at, w) in enumerate(found):
        if w not in r.locative:
            continue
        a, b, c = words[i + 1 : i + 4]
        if a in ref_before:
            noun = b if b in r.anaphora else c
        else:
            noun = a if b in ref_after else b if c in ref_after else ""
        if noun in r.anaphora:
            return sentence.start + at, r.anaphora[noun]
    return None


def antecedent_place(doc: Document, sentence: Sentence) -> Span | None:
    """The place a locative anaphor of ``sentence`` refers to ("di wilayah itu", "in the
    city", "in the European nation"): the last place of the kind it names before it, in
    this sentence or the three before; for "the country", the article's focus country
    when it is among them (not "US" of "US officials said protests in the country ...")."""
    r = rules(doc.lang if doc.lang in LANGUAGES else "en")
    anaphor = _anaphor(doc, sentence, r)
    if anaphor is None:
        return None
    at, kind = anaphor
    first = doc.sentences[max(0, sentence.index - 3)].start if doc.sentences else 0
    before = [
        s
        for s in doc.spans_in(first, at, "place")
        if s.data["precision"] == kind or (kind == "any" and s.data["precision"] in _SPECIFIC)
    ]
    focus = [s for s in before if kind == "country" and s.data["country"] == doc.focus_country]
    return (focus or before or [None])[-1]
