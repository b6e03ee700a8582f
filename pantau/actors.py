"""Stage 5: actor mentions (countries, organisations, agents, people, pronouns) and outlets.

Words live in ``lang/<code>/actors.tsv`` and ``countries.tsv`` (plus CLDR country names).
One Aho-Corasick automaton per language finds entries at word boundaries; the longest match
wins. Entries separated only by spaces or a possessive form one phrase (``polisi Kazakhstan``,
``Kazakh police``) whose head noun gives the sector; a title may be followed by a name that
binds for the rest of the article. Bare agents take the focus country (``from_context``),
missions the country last named with them; pronouns take their antecedent's code.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from pantau.countries import alpha3_to_alpha2, country_names, english_name
from pantau.document import Document, Span
from pantau.lexicon import lang_file

_NONWORD = re.compile(r"[\W_]")
_PAREN = re.compile(r"[ \t]*\(([^()\n]{1,40})\)")
# A name token: a capital (any letter but a lower-case Latin one), then letters, digits or
# hyphens; an apostrophe only inside (Ma'ruf), so a possessive "'s" stays out of the name.
_NAME = r"[^\W\d_a-zß-öø-ÿ][\w\-]*(?:['’][^\W\d_]{2,}[\w\-]*)*"
# When one key has several entries, the more specific kind wins.
_PRIORITY = ("ignore", "outlet", "person", "org", "agent", "pronoun", "metonym", "country")
_JOINABLE = frozenset({"agent", "country", "org", "person"})
_WORD_LISTS = ("marker", "locative", "namestop", "particle", "joiner")
PERSON_WINDOW = 3  # sentences back in which "dia"/"he"/"they" still find an antecedent

Match = tuple[int, int, "Entry"]


@dataclass(frozen=True)
class Entry:
    """One surface form of the lexicon (columns of actors.tsv)."""

    name: str
    kind: str  # country | agent | org | person | metonym | outlet | pronoun | ignore
    code: str | None = None  # "-" = known to have no country
    sector: str | None = None
    weak: bool = False  # sector only a default when no other word of the phrase gives one
    label: str = ""
    office: str | None = None
    plural: bool = False
    ctx: str = "focus"  # focus | recent | drop
    valid: tuple[dt.date | None, dt.date | None] = (None, None)
    case: int = 0  # 0 any case, 1 capitalised, 2 exactly as written

    def fits(self, surface: str) -> bool:
        if self.case == 2:  # "AS" is the US, "as" is not
            return _NONWORD.sub("", surface) == _NONWORD.sub("", self.name)
        return self.case == 0 or surface[:1].isupper()


@dataclass
class _Lexicon:
    automaton: Any
    head_first: bool
    words: dict[str, frozenset[str]]
    frame: tuple[re.Pattern[str], Entry] | None  # "negara ... itu" -> country pronoun
    name: re.Pattern[str]  # up to four name tokens after a title, not a day or month


@dataclass
class _Group:
    start: int
    end: int
    sent: int
    parts: list[Entry]
    name: str | None = None  # personal name captured after a title, or a bound name
    source: _Group | None = None  # for a later mention of a bound name: its introduction
    data: dict[str, Any] | None = None


@dataclass
class _State:
    focus: str | None
    actors: list[_Group] = field(default_factory=list)  # resolved so far, pronouns included
    countries: list[_Group] = field(default_factory=list)  # coded by a country, not places
    by_label: dict[str, str] = field(default_factory=dict)  # mission label -> last code


@functools.cache
def _lexicon(lang: str) -> _Lexicon:
    """Build a language's automaton and word lists from its data files (once per process)."""

    def norm_key(name: str) -> str:  # normalised like the text: punctuation is a space
        return " " + " ".join(_NONWORD.sub(" ", name.lower()).split()) + " "

    def case_of(name: str) -> int:  # see Entry.case: short all-capitals names match exactly
        letters = "".join(c for c in name if c.isalpha())
        return 2 if len(letters) <= 6 and letters.isupper() else int(name[:1].isupper())

    table: dict[str, list[Entry]] = {}
    rows = lang_file(lang, "countries.tsv")
    own = {row["name"].lower() for row in rows}
    # CLDR names are capitalised in running text; aliases keep the case they are written in
    cldr = [(n, c, 1) for n, c in country_names(lang).items() if n not in own]
    for name, code, case in cldr + [(r["name"], r["code"], case_of(r["name"])) for r in rows]:
        table.setdefault(norm_key(name), []).append(Entry(name, "country", code=code, case=case))
    words, head_first, frames = {k: set() for k in _WORD_LISTS}, True, []
    for row in lang_file(lang, "actors.tsv"):
        kind, names, sector = row["kind"], row["name"].split("|"), row.get("sector", "")
        if kind == "setting":
            head_first = row["label"] == "first"  # the only setting: where the head noun is
        elif kind in words:
            words[kind].update(n.lower() for n in names)
        else:
            valid = tuple(dt.date.fromisoformat(d) if d else None
                          for d in (row.get("valid_from"), row.get("valid_to")))  # fmt: skip
            base = Entry(names[0], kind, row.get("code") or None, sector.rstrip("?") or None,
                         sector.endswith("?"), row.get("label", ""), row.get("office") or None,
                         row.get("plural") == "1", row.get("ctx") or "focus", valid)  # fmt: skip
            for name in names:
                if " ... " in name:
                    frames.append((name, base))
                else:
                    entry = dataclasses.replace(base, name=name, case=case_of(name))
                    table.setdefault(norm_key(name), []).append(entry)
    automaton = ahocorasick.Automaton()
    for key, entries in table.items():
        entries.sort(key=lambda e: _PRIORITY.index(e.kind))
        automaton.add_word(key, (key, tuple(entries)))
    automaton.make_automaton()
    alts = []  # "negara ... itu": head, up to three words (never the head again), tail
    for head, tail in (map(re.escape, f.split(" ... ")) for f, _ in frames):
        alts.append(rf"(?<![\w-]){head}(?:\s+(?!{head}\b)[\w-]+){{0,3}}?\s+{tail}\b")
    frame = (re.compile("|".join(alts), re.I), frames[0][1]) if frames else None
    stop = "|".join(map(re.escape, words["namestop"])) or "(?!)"
    token = rf"(?!(?i:{stop})\b){_NAME}"
    link = "|".join(rf"{re.escape(p)}[ \t]+" for p in words["particle"])
    name = re.compile(rf"[ \t]+({token}(?:[ \t]+(?:{link})?{token}){{0,3}})")
    return _Lexicon(automaton, head_first, {k: frozenset(v) for k, v in words.items()}, frame, name)


@functools.cache
def country_display(code: str) -> str:
    """English name of a country for ``identifier_text`` (canonical rows of en/countries.tsv)."""
    rows = lang_file("en", "countries.tsv")
    names = {r["code"]: r["name"] for r in rows if r["kind"] == "canonical"}
    return names.get(code) or english_name(code) or code


def _pick(entries: list[Entry], day: dt.date | None) -> Entry:
    """The entry for a surface form; a person's row is chosen by the publication date."""
    if entries[0].kind != "person":
        return entries[0]
    people = [e for e in entries if e.kind == "person"]
    if day is None:  # undated: the latest term
        return max(people, key=lambda e: e.valid[0] or dt.date.min)
    lo, hi = dt.date.min, dt.date.max
    current = [e for e in people if (e.valid[0] or lo) <= day < (e.valid[1] or hi)]
    # out of office: still of that country, but no longer speaking for its government
    return current[0] if current else dataclasses.replace(people[0], sector=None, office=None)


def _matches(lex: _Lexicon, text: str, day: dt.date | None) -> list[Match]:
    """Non-overlapping lexicon matches in ``text`` (longest wins), sorted by offset."""
    low = text.lower()
    if len(low) != len(text):  # a few characters grow when lower-cased: keep offsets 1:1
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    norm = " " + _NONWORD.sub(" ", low) + " "
    found = []
    for last, (key, entries) in lex.automaton.iter(norm):
        start = last - len(key) + 1  # norm index of the leading space = text index of match
        stop = start + len(key) - 2
        if ok := [e for e in entries if e.fits(text[start:stop])]:
            entry = _pick(ok, day)
            if entry.name.endswith(".") and text[stop : stop + 1] == ".":
                stop += 1  # "U.S." keeps its final dot
            found.append((start, stop, entry))
    if lex.frame is not None:
        found.extend((m.start(), m.end(), lex.frame[1]) for m in lex.frame[0].finditer(text))
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    kept: list[Match] = []
    for m in found:
        if all(m[1] <= k[0] or m[0] >= k[1] for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m[0])


def _before(text: str, pos: int) -> str:
    """The word just before ``pos``, lower-cased ("" at the start)."""
    tail = text[max(0, pos - 30) : pos].split()
    return tail[-1].lower().strip(',;:()"“”') if tail else ""


def _group(parts: list[tuple[int, int, Entry, int]], text: str, lex: _Lexicon) -> list[_Group]:
    """Join adjacent entries of one sentence into phrases."""
    groups: list[_Group] = []
    for start, end, entry, sent in parts:
        g = groups[-1] if groups else None
        if g is not None and g.sent == sent and g.parts[0].kind in _JOINABLE:
            paren = _PAREN.match(text, g.end)
            if paren and paren.span(1) == (start, end) and entry.code == g.parts[-1].code:
                start, end = g.end, paren.end()  # "Amerika Serikat (AS)": one mention
            gap = text[g.end : start]  # spaces, or a joiner ("'s", "of") and spaces
            joined = gap != gap.rstrip(" \t") and gap.strip(" \t") in lex.words["joiner"] | {""}
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
    taken += [(g.start, g.end) for g in groups]
    for g in groups:
        # a name captured after a title, or a dictionary person ("Joshua Wong" ... "Wong")
        person = next((p.label for p in g.parts if p.kind == "person"), None)
        name = g.name or person
        if not name or g.source is not None:
            continue
        words = name.split()
        for key in [name] + ([words[-1]] if len(words) > 1 and len(words[-1]) >= 3 else []):
            pos = text.find(key, g.end)
            while pos >= 0:
                end = pos + len(key)
                sent = sent_of(pos, end)
                free = all(end <= s or pos >= e for s, e in taken)
                edges = text[pos - 1 : pos] + text[end : end + 1]
                if sent is not None and free and not any(c.isalnum() for c in edges):
                    groups.append(_Group(pos, end, sent, [], name=key, source=g))
                    taken.append((pos, end))
                pos = text.find(key, end)
    groups.sort(key=lambda g: g.start)


def _focus(groups: list[_Group], title: list[Match], text: str, lex: _Lexicon) -> str | None:
    """The country the article is mostly about: a bare name counts 1 (2 after a locative:
    where things happen), one in a phrase 0.5 but 0 in a mission phrase ("Kedutaan Besar AS":
    the sender of a mission is rarely the subject), one in the title 2."""
    score: Counter[str] = Counter()  # insertion order: ties go to the first mentioned
    for g in groups:
        mission = any(p.ctx == "recent" for p in g.parts)
        for p in g.parts:
            if p.kind in ("country", "metonym") and p.code in alpha3_to_alpha2():
                if len(g.parts) == 1:
                    score[p.code] += 2 if _before(text, g.start) in lex.words["locative"] else 1
                elif not mission:
                    score[p.code] += 0.5
    score.update([e.code for _, _, e in title if e.kind == "country" and e.code] * 2)
    return max(score, key=score.__getitem__) if score else None


def _data(code: str | None, sector: str | None, ident: str | None, kind: str, **extra: Any):
    base = {"code": code, "sector": sector, "identifier_text": ident, "office": None}
    return {**base, "kind": kind, "plural": False, "from_context": False, **extra}


def _actor(g: _Group, text: str, lex: _Lexicon, st: _State) -> dict[str, Any] | None:
    """Resolve a phrase to its data (None when it names no actor here)."""
    parts, first = g.parts, g.parts[0]
    locative = _before(text, g.start) in lex.words["locative"]
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
        code = code or st.focus
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
        base = [org or country_display(code)] if org or code else []
        ident = " ".join(base + [p.label for p in ordered if p.kind == "agent"][::-1])
    plural = ordered[0].plural or _before(text, g.start) in lex.words["marker"]
    from_context = from_context and code is not None
    extra = {"office": office, "plural": kind != "person" and plural, "from_context": from_context}
    data = _data(code, sector, ident, kind, **extra)
    if kind == "country" and locative:
        data["locative"] = True  # "di Kazakhstan": a place more than a participant
    return data


def _pronoun(g: _Group, text: str, lex: _Lexicon, st: _State) -> dict[str, Any] | None:
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


def find_actors(doc: Document) -> Document:
    """Append actor and outlet spans for ``doc``'s sentences; set ``doc.focus_country``."""
    if not doc.sentences or doc.lang not in ("id", "en"):
        return doc
    lex, text, day = _lexicon(doc.lang), doc.text, doc.article.published
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
    for g in groups:
        titled = any(p.office and p.kind == "agent" for p in g.parts)
        if titled and not any(p.kind == "person" for p in g.parts):
            limit = bounds[bisect.bisect_left(bounds, g.end)]
            if m := lex.name.match(text, g.end, min(limit, doc.sentences[g.sent].end)):
                g.end, g.name = m.end(), m.group(1)
    _bind_names(groups, text, sent_of, [(s.start, s.end) for s in doc.spans if s.kind == "outlet"])
    title = _matches(lex, doc.article.title, day) if doc.article.title else []
    st = _State(focus=doc.focus_country or _focus(groups, title, text, lex))
    doc.focus_country = st.focus
    for g in groups:
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
        if g.data["kind"] != "pronoun" and code in alpha3_to_alpha2() and "locative" not in g.data:
            st.countries.append(g)
        st.by_label.update((p.label, code) for p in g.parts if p.ctx == "recent" and code)
    return doc
