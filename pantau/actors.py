"""Stage 5: actor mentions (countries, organisations, agents, people, pronouns) and outlets.

The lexicon (:mod:`pantau.actor_lexicon`) holds the words of ``lang/<code>/actors.tsv`` and
``countries.tsv``, CLDR country names, the dated office holders of
``data/office_holders.tsv`` and any active user dictionaries (:mod:`pantau.userdict`).
One Aho-Corasick automaton finds entries at word boundaries; the longest match wins, and a
person's entry is the one in force on the publication date. Entries separated only by spaces,
a possessive, "of"/"from" or a military rank form one phrase (``polisi Kazakhstan``,
``Kazakh police``, ``Panglima TNI Marsekal Hadi Tjahjanto``) whose head noun gives the sector;
a title may be followed by a name that binds for the rest of the article, as do dictionary
people by their surname. A title with an explicit country names that day's office holder
(``Menlu AS`` in 2022: Antony Blinken). Bare agents take the focus country (``from_context``),
missions the country last named with them; pronouns take their antecedent's code.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pantau import userdict
from pantau.actor_lexicon import (
    Entry,
    Lexicon,
    country_display,
    lexicon,
    norm_text,
    office_holder,
    pick,
)
from pantau.countries import alpha3_to_alpha2
from pantau.document import Document, Span

_PAREN = re.compile(r"[ \t]*\(([^()\n]{1,40})\)")
_JOINABLE = frozenset({"agent", "country", "org", "person"})
PERSON_WINDOW = 3  # sentences back in which "dia"/"he"/"they" still find an antecedent

Match = tuple[int, int, Entry]


@dataclass
class _Group:
    start: int
    end: int
    sent: int
    parts: list[Entry]
    name: str | None = None  # personal name captured after a title, or a bound name
    source: _Group | None = None  # for a later mention of a bound name: its introduction
    data: dict[str, Any] | None = None
    place_country: str | None = None  # of a place right next to it ("Florida Governor")


@dataclass
class _State:
    focus: str | None
    day: dt.date | None = None  # publication date: office holders are looked up on it
    actors: list[_Group] = field(default_factory=list)  # resolved so far, pronouns included
    countries: list[_Group] = field(default_factory=list)  # coded by a country, not places
    by_label: dict[str, str] = field(default_factory=dict)  # mission label -> last code


def _matches(lex: Lexicon, text: str, day: dt.date | None) -> list[Match]:
    """Non-overlapping lexicon matches in ``text`` (longest wins), sorted by offset."""
    norm, found = norm_text(text), []
    for last, (key, entries) in lex.automaton.iter(norm):
        start = last - len(key) + 1  # norm index of the leading space = text index of match
        stop = start + len(key) - 2
        surface = text[start:stop]
        if ok := [e for e in entries if e.fits(surface)]:
            entry = pick(ok, day)
            if entry.name.endswith(".") and text[stop : stop + 1] == ".":
                stop += 1  # "U.S." keeps its final dot
            found.append((start, stop, entry))
    if lex.frame is not None:
        found.extend(_frame_matches(lex.frame, text))
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    # Kept matches never overlap, so sorted by start their ends are sorted too: a new
    # match is free when it ends before the next kept one and starts after the previous.
    starts: list[int] = []
    kept: list[Match] = []
    for m in found:
        at = bisect.bisect_left(starts, m[0])
        if (at == len(kept) or m[1] <= kept[at][0]) and (at == 0 or kept[at - 1][1] <= m[0]):
            starts.insert(at, m[0])
            kept.insert(at, m)
    return kept


def _frame_matches(frame: tuple[re.Pattern[str], re.Pattern[str], Entry], text: str) -> list[Match]:
    """What ``frame[0].finditer(text)`` finds, tried only where a head word stands: a
    frame starts with its head, and searching for the bare words is many times faster."""
    pattern, heads, entry = frame
    found: list[Match] = []
    pos = 0
    while (head := heads.search(text, pos)) is not None:
        m = pattern.match(text, head.start())
        if m is None:
            pos = head.start() + 1
        else:
            found.append((m.start(), m.end(), entry))
            pos = m.end()
    return found


def _before(text: str, pos: int) -> str:
    """The word just before ``pos``, lower-cased ("" at the start)."""
    tail = text[max(0, pos - 30) : pos].split()
    return tail[-1].lower().strip(',;:()"“”') if tail else ""


def _group(parts: list[tuple[int, int, Entry, int]], text: str, lex: Lexicon) -> list[_Group]:
    """Join adjacent entries of one sentence into phrases."""
    groups: list[_Group] = []
    for start, end, entry, sent in parts:
        g = groups[-1] if groups else None
        if g is not None and g.sent == sent and g.parts[0].kind in _JOINABLE:
            paren = _PAREN.match(text, g.end)
            if paren and paren.span(1) == (start, end) and entry.code == g.parts[-1].code:
                start, end = g.end, paren.end()  # "Amerika Serikat (AS)": one mention
            # spaces, a joiner ("'s", "of") or a rank ("Panglima TNI Marsekal Hadi Tjahjanto")
            gap = text[g.end : start]
            between = gap.strip(" \t").lower()
            links = lex.words["joiner"] | lex.words["rank"] | {""}
            joined = gap != gap.rstrip(" \t") and between in links
            if start == g.end or (joined and entry.kind == "metonym"):  # and "KBRI Kabul"
                g.end = end
                continue
            # one country, organisation, person per phrase; after a person only an agent
            kinds = {p.kind for p in g.parts}
            fits = entry.kind == "agent" or (entry.kind not in kinds and "person" not in kinds)
            if joined and entry.kind in _JOINABLE and fits:
                g.parts.append(entry)
                g.end = end
                continue
        groups.append(_Group(start, end, sent, [entry]))
    return groups


def _bind_names(groups: list[_Group], text: str, sent_of: Callable, taken: list[tuple[int, int]]):
    """Add later mentions of names introduced with a title ("Mukhtar Tileuberdi ... Tileuberdi")."""
    covered = bytearray(len(text))  # 1 where a taken span lies: an overlap test is one find()
    for s, e in taken + [(g.start, g.end) for g in groups]:
        covered[s:e] = b"\x01" * (e - s)
    for g in groups:
        # a name captured after a title, or a dictionary person ("Joshua Wong" ... "Wong")
        person = next((p for p in g.parts if p.kind == "person"), None)
        name = g.name or (person.label if person else None)
        if not name or g.source is not None:
            continue
        words = name.split()
        # short forms: "Boris Johnson" ... "Johnson", "Li Qiang" ... "Li"; else the last word
        if person is not None and person.short:
            shorts = list(person.short)
        else:
            shorts = [words[-1]] if len(words) > 1 and len(words[-1]) >= 3 else []
        for key in [name] + shorts:
            pos = text.find(key, g.end)
            while pos >= 0:
                end = pos + len(key)
                sent = sent_of(pos, end)
                free = covered.find(1, pos, end) < 0
                edges = text[pos - 1 : pos] + text[end : end + 1]
                if sent is not None and free and not any(c.isalnum() for c in edges):
                    groups.append(_Group(pos, end, sent, [], name=key, source=g))
                    covered[pos:end] = b"\x01" * (end - pos)
                pos = text.find(key, end)
    groups.sort(key=lambda g: g.start)


def _focus(groups: list[_Group], title: list[Match], text: str, lex: Lexicon) -> str | None:
    """The country the article is mostly about: a bare name counts 1 (2 after a locative:
    where things happen), one in a phrase 0.5 but 0 in a mission phrase ("Kedutaan Besar AS":
    the sender of a mission is rarely the subject), one in the title 2."""
    score: Counter[str] = Counter()  # insertion order: ties go to the first mentioned
    for g in groups:
        mission = any(p.ctx == "recent" for p in g.parts)
        for p in g.parts:
            if p.kind in ("country", "metonym") and p.code in lex.countries:
                if len(g.parts) == 1:
                    score[p.code] += 2 if _before(text, g.start) in lex.words["locative"] else 1
                elif not mission:
                    score[p.code] += 0.5
    score.update([e.code for _, _, e in title if e.kind == "country" and e.code] * 2)
    return max(score, key=score.__getitem__) if score else None


def _data(code: str | None, sector: str | None, ident: str | None, kind: str, **extra: Any):
    base = {"code": code, "sector": sector, "identifier_text": ident, "office": None}
    return {**base, "kind": kind, "plural": False, "from_context": False, **extra}


def _actor(g: _Group, text: str, lex: Lexicon, st: _State) -> dict[str, Any] | None:
    """Resolve a phrase to its data (None when it names no actor here)."""
    parts, first = g.parts, g.parts[0]
    before = _before(text, g.start)
    locative = before in lex.words["locative"]
    if first.kind == "metonym":  # "Moskow menolak", but "di Moskow" is a place
        return None if locative else _data(first.code, first.sector, first.label, "country")
    ordered = parts if lex.head_first else parts[::-1]
    codes = [p.code for k in ("person", "country", "org", "agent") for p in ordered if p.kind == k]
    code = next((c for c in codes if c), None)
    from_context = code is None
    if from_context:
        ctxs = [p.ctx for p in ordered if p.ctx != "drop"]
        if not ctxs:
            return None  # "misi", "orang": an actor only with a country attached
        if "recent" in ctxs:  # missions: the country last named with one, else a nearby one
            label = next(p.label for p in ordered if p.ctx == "recent")
            near = [c.data["code"] for c in st.countries if c.sent >= g.sent - 1 and c.data]
            code = st.by_label.get(label) or (near[-1] if near else None)
        code = code or g.place_country or st.focus
    code = None if code == "-" else code
    # a named organisation or person decides ("juru bicara militer Huthi" is REB), then the
    # head noun; a weak default ("pejabat": GOV) only when nothing else says
    named = [p.sector for p in ordered if p.sector and p.kind in ("org", "person")]
    strong = named + [p.sector for p in ordered if p.sector and not p.weak]
    sector = (strong or [p.sector for p in ordered if p.sector] or [None])[0]
    offices = [p.office for p in ordered if p.office and p.kind == "person"]
    office = (offices + [p.office for p in ordered if p.office] or [None])[0]
    kinds = {p.kind: p for p in parts}
    if "person" in kinds or g.name:
        kind, ident = "person", kinds["person"].label if "person" in kinds else g.name
    else:
        kind = "agent" if "agent" in kinds else "organisation" if "org" in kinds else "country"
        org = kinds["org"].label if "org" in kinds else None
        own = next((p.label for p in ordered if p.kind == "country" and p.label), None)
        base = [org or own or country_display(code)] if org or code else []
        ident = " ".join(base + [p.label for p in ordered if p.kind == "agent"][::-1])
        if kind == "agent" and code and office and not from_context:  # "Menlu AS": Blinken
            holder = office_holder(code, office, st.day)
            ident = holder.label if holder else ident
    plural = ordered[0].plural or before in lex.words["marker"]
    from_context = from_context and code is not None
    extra = {"office": office, "plural": kind != "person" and plural, "from_context": from_context}
    data = _data(code, sector, ident, kind, **extra)
    if also := [c for p in parts for c in p.also]:  # a user entry naming several actors
        codes = [code, *also]
        data["members"] = [{"code": c, "sector": sector, "identifier_text": ident} for c in codes]
        data["code"] = None
    if kind == "country" and locative:
        data["locative"] = True  # "di Kazakhstan": a place more than a participant
    return data


def _pronoun(g: _Group, text: str, lex: Lexicon, st: _State) -> dict[str, Any] | None:
    """Resolve 'negara itu', 'pihaknya', 'dia', 'mereka' (and English counterparts)."""
    ref, sent = g.parts[0].label, g.sent
    if ref == "country":
        if _before(text, g.start) in lex.words["locative"]:
            return None  # "di negara itu": a place
        # a bare country name earlier in the sentence, else the focus, else the last country
        bare = [c for c in st.countries if c.sent == sent and c.data["kind"] == "country"]
        ante = bare[-1] if bare else None if st.focus else (st.countries or [None])[-1]
        code = (ante.data or {})["code"] if ante else st.focus
        if code is None:
            return None
        name = country_display(code)
        said = text[ante.start : ante.end] if ante else name
        return _data(code, "GOV", name, "pronoun", from_context=not bare, antecedent=said)
    near = [a for a in st.actors if a.sent >= sent - PERSON_WINDOW and a.data["kind"] != "pronoun"]
    persons = [a for a in near if a.data["kind"] == "person" or a.data["office"]]
    persons = [a for a in persons if not a.data["plural"]]
    plurals = [a for a in near if a.data["plural"]]
    ante = None
    if ref == "nearest" and st.actors and st.actors[-1].sent >= sent - 1:
        ante = st.actors[-1]
    elif ref == "person" and persons:
        ante = persons[-1]
    elif ref == "plural":
        named = [p for p in persons if p.data["kind"] == "person"]
        other = [p for p in named if p.data["identifier_text"] != named[-1].data["identifier_text"]]
        pair = [other[-1], named[-1]] if other else []
        if pair and (not plurals or pair[0].start > plurals[-1].start):
            # "Blinken ... dengan Tileuberdi dan mereka berdua": both, listed in "members"
            a, b = (p.data or {} for p in pair)
            members = [{k: d[k] for k in ("code", "sector", "identifier_text")} for d in (a, b)]
            same = {k: a[k] if a[k] == b[k] else None for k in ("code", "sector")}
            ident = f"{a['identifier_text']} and {b['identifier_text']}"
            antecedent = "; ".join(text[p.start : p.end] for p in pair)
            extra = {"antecedent": antecedent, "members": members, "plural": True}
            return _data(same["code"], same["sector"], ident, "pronoun", **extra)
        ante = plurals[-1] if plurals else None
    if ante is None or ante.data is None:
        return None
    return {**ante.data, "kind": "pronoun", "antecedent": text[ante.start : ante.end]}


def _places_beside(doc: Document) -> dict[int, str]:
    """Countries of sub-national places, keyed by where an actor right after one would
    start (its end plus a space) and, negated, where one right before would end: an agent
    with no country of its own takes the place's ("Florida Governor", "Gubernur Jawa
    Tengah")."""
    found: dict[int, str] = {}
    for span in doc.spans:
        country = span.data.get("country") if span.kind == "place" else None
        if country and span.data.get("precision") != "country":
            found[span.end + 1] = country
            found[-(span.start - 1)] = country
    return found


def find_actors(doc: Document) -> Document:
    """Append actor and outlet spans for ``doc``'s sentences; set ``doc.focus_country``."""
    if not doc.sentences or doc.lang not in ("id", "en"):
        return doc
    lex, text, day = lexicon(doc.lang, userdict.active()), doc.text, doc.article.published
    starts, dl = [s.start for s in doc.sentences], doc.dateline

    def sent_of(start: int, end: int) -> int | None:
        if dl is not None and start < dl.end and end > dl.start:
            return None  # the dateline is where the reporter was, never an actor
        i = bisect.bisect_right(starts, start) - 1
        return i if i >= 0 and end <= doc.sentences[i].end else None

    parts, found = [], _matches(lex, text, day)
    bounds = [m[0] for m in found] + [len(text)]  # a name after a title stops at the next match
    for start, end, entry in found:
        sent = sent_of(start, end)
        if sent is None or entry.kind == "ignore":
            continue
        if entry.kind == "outlet":
            doc.spans.append(Span("outlet", start, end, text[start:end], {"name": entry.label}))
        else:
            parts.append((start, end, entry, sent))
    groups = _group(parts, text, lex)
    places = {s.start for s in doc.spans if s.kind == "place"}  # places stage ran before
    for g in groups:
        titled = any(p.office and p.kind == "agent" for p in g.parts)
        if titled and not any(p.kind == "person" for p in g.parts):
            limit = bounds[bisect.bisect_left(bounds, g.end)]
            m = lex.name.match(text, g.end, min(limit, doc.sentences[g.sent].end))
            if m and m.start(1) not in places:  # "Kepala Polda Sumatera Selatan": no name
                g.end, g.name = m.end(), m.group(1)
    _bind_names(groups, text, sent_of, [(s.start, s.end) for s in doc.spans if s.kind == "outlet"])
    title = _matches(lex, doc.article.title, day) if doc.article.title else []
    st = _State(focus=doc.focus_country or _focus(groups, title, text, lex), day=day)
    # a user dictionary's own country (Gondor) serves bare agents here, but later stages
    # place events in real countries only
    doc.focus_country = st.focus if st.focus in alpha3_to_alpha2() else doc.focus_country
    beside = _places_beside(doc)
    for g in groups:
        g.place_country = beside.get(g.start) or beside.get(-g.end)
        if g.source is not None:
            g.data = {**g.source.data, "kind": "person"} if g.source.data else None
        elif g.parts[0].kind == "pronoun":
            g.data = _pronoun(g, text, lex, st)
        else:
            g.data = _actor(g, text, lex, st)
        if g.data is None:
            continue
        doc.spans.append(Span("actor", g.start, g.end, text[g.start : g.end], g.data))
        st.actors.append(g)
        code = g.data["code"]
        if g.data["kind"] != "pronoun" and code in lex.countries and "locative" not in g.data:
            st.countries.append(g)
        st.by_label.update((p.label, code) for p in g.parts if p.ctx == "recent" and code)
    return doc
