"""Stage 4: lemma and grammatical voice for every token.

Event rules match lemmas ("tangkap" for ditangkap/menangkap/penangkapan,
"kill" for killed) and use voice to tell who acted on whom: in "polisi
menangkap demonstran" the police act (meN-, active), in "demonstran ditangkap
polisi" the protesters undergo it (di-, passive).

Two language-neutral engines, chosen by ``method`` in ``lang/<lang>/morph.yaml``:

- ``affixes`` (Indonesian): strip particles, possessives, a derivational suffix
  and up to three prefixes, restoring the consonant lost to nasal assimilation
  (me-nembak <- tembak), and accept an analysis only when what is left is a
  known root word, so names and unknown words stay whole. Roots come from a
  packaged dictionary (PySastrawi's) corrected by the YAML file. Voice comes
  from the outermost prefix.
- ``rewrite`` (English): an irregular-form table, then ordered regular-expression
  rewrite rules; voice is "passive" on a participle after a form of be/get, set
  in context by :func:`analyze`. "-ing" forms stay (the bombing) except after be
  (were protesting -> protest).

Capitalised words (names) keep their lower-case form, except a sentence's first
word when the next word is not capitalised. Stop words are never stemmed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pantau.document import Document, Sentence, Token
from pantau.errors import DataError
from pantau.lexicon import LANGUAGES, lang_file

_OPENING_QUOTES = frozenset("\"'“‘«")


@dataclass(frozen=True)
class _Prefix:
    form: str
    before: str | tuple[str, ...]  # "any", "vowel", "consonant" or allowed starts
    add: str  # restored in front of the remainder
    voice: str | None
    vowels: str

    def accepts(self, rest: str) -> bool:
        """Whether the remainder after the prefix may start this way."""
        if self.before == "any":
            return True
        if self.before == "vowel":
            return rest[0] in self.vowels
        if self.before == "consonant":
            return rest[0] not in self.vowels
        return rest.startswith(self.before)


@dataclass(frozen=True)
class _Affixes:
    """Indonesian-style engine: verified affix stripping."""

    roots: frozenset[str]
    skip: frozenset[str]  # stop words and `keep`: returned unchanged
    exceptions: dict[str, tuple[str, str | None]]
    inflections: tuple[tuple[str, ...], ...]  # particles, then possessives
    suffixes: tuple[str, ...]
    weak_suffixes: tuple[str, ...]
    prefixes: tuple[_Prefix, ...]
    max_prefixes: int
    invalid: frozenset[tuple[str, str]]  # (outer prefix key, suffix) never a confix
    confix_key: int  # letters of the prefix form naming it in `invalid` (men-, meng- -> me)
    no_voice: dict[str, frozenset[str]]  # prefix form -> roots where it marks no voice

    def stem(self, w: str) -> tuple[str, str | None]:
        if w in self.exceptions:
            return self.exceptions[w]
        if w in self.skip or w in self.roots:
            return w, None
        if "-" in w:
            return self._reduplication(w)
        variants = self._suffix_variants(w)[1:]
        for base, suffix in variants:
            if not suffix and base in self.skip:
                return base, None  # pemerintahnya -> pemerintah, not perintah
        for base, suffix in variants:
            # Without a prefix only strong suffixes and inflections: pencari is
            # pen-cari, not pencar-i.
            if base in self.roots and suffix not in self.weak_suffixes and base != w:
                return base, None
        # Fewer prefixes first: breadth-first over all suffix variants.
        frontiers = [[(base, suffix, None)] for base, suffix in variants]
        for _ in range(self.max_prefixes):
            for k, frontier in enumerate(frontiers):
                found, frontiers[k] = self._expand(frontier)
                if found:
                    return found
        return w, None

    def _suffix_variants(self, w: str) -> list[tuple[str, str]]:
        """(base, derivational suffix) candidates in search order, the word itself first.

        Then: a strong suffix removed (pengawas-an must beat peng-kawasan), the
        word itself again for the prefix search, inflections only removed, and a
        weak suffix removed last (me-nilai beats me-nila-i).
        """
        bases = [w]
        for endings in self.inflections:
            for b in list(bases):
                for e in endings:
                    if b.endswith(e) and len(b) - len(e) >= 3:
                        bases.append(b[: -len(e)])
        strong = [(b[: -len(s)], s) for b in bases for s in self.suffixes if _strips(b, s)]
        weak = [(b[: -len(s)], s) for b in bases for s in self.weak_suffixes if _strips(b, s)]
        return [(w, ""), *strong, (w, ""), *((b, "") for b in bases[1:]), *weak]

    def _expand(self, frontier: list) -> tuple[tuple[str, str | None] | None, list]:
        nxt = []
        for rem, suffix, outer in frontier:
            for p in self.prefixes:
                if not rem.startswith(p.form) or len(rem) <= len(p.form):
                    continue
                rest = rem[len(p.form) :]
                if not p.accepts(rest):
                    continue
                top = outer or p
                if suffix and (top.form[: self.confix_key], suffix) in self.invalid:
                    continue
                cand = p.add + rest
                if cand in self.roots:
                    voice = top.voice
                    if cand in self.no_voice.get(top.form, ()):
                        voice = None
                    return (cand, voice), []
                nxt.append((cand, suffix, top))
        return None, nxt

    def _reduplication(self, w: str) -> tuple[str, str | None]:
        """langkah-langkah, tembak-menembak, dipukul-pukul -> one lemma; else unchanged."""
        first, _, second = w.partition("-")
        if not first or not second or "-" in second:
            return w, None
        (a, va), (b, _) = self.stem(first), self.stem(second)
        if a == b:
            # The first part carries the voice: dipukul-pukul is passive, the
            # reciprocal tembak-menembak has none.
            return a, va
        return w, None


@dataclass(frozen=True)
class _Rewrite:
    """English-style engine: irregular table plus ordered rewrite rules."""

    irregular: dict[str, str]
    participles: frozenset[str]
    skip: frozenset[str]
    word_rules: tuple[tuple[re.Pattern[str], str | None], ...]
    stem_rules: tuple[tuple[re.Pattern[str], str | None], ...]
    past: str
    progressive: str
    min_length: int
    vowels: frozenset[str]
    not_past: tuple[str, ...]
    auxiliaries: frozenset[str]
    progressive_auxiliary: str
    gap_words: frozenset[str]
    adverb_suffix: str
    max_gap: int

    def stem(self, w: str) -> tuple[str, str | None]:
        if w in self.irregular:
            return self.irregular[w], None
        if w in self.skip:
            return w, None
        if "-" in w:  # cease-fires -> cease-fire; state-owned stays (an adjective)
            head, _, last = w.rpartition("-")
            return f"{head}-{_apply(self.word_rules, last)}", None
        if w.endswith(self.past) and not w.endswith(self.not_past):
            base = self._verb_base(w, self.past)
            if base:
                return base, None
        return _apply(self.word_rules, w), None

    def _verb_base(self, w: str, suffix: str) -> str | None:
        stem = w[: -len(suffix)]
        if len(w) < self.min_length or not self.vowels.intersection(stem):
            return None
        return _apply(self.stem_rules, stem)

    def progressive_lemma(self, w: str) -> str | None:
        """Verb lemma of an -ing form after "be" (protesting -> protest)."""
        if w in self.irregular:
            return self.irregular[w]
        if w in self.skip or not w.endswith(self.progressive):
            return None
        return self._verb_base(w, self.progressive)

    def is_participle(self, w: str, lemma: str) -> bool:
        return w in self.participles or (w.endswith(self.past) and lemma != w)

    def is_gap(self, w: str) -> bool:
        return w in self.gap_words or (len(w) > 4 and w.endswith(self.adverb_suffix))


def _strips(word: str, suffix: str) -> bool:
    return word.endswith(suffix) and len(word) - len(suffix) >= 3


def _apply(rules: tuple[tuple[re.Pattern[str], str | None], ...], w: str) -> str:
    """First matching rewrite rule; a None replacement keeps the word."""
    for pattern, repl in rules:
        m = pattern.match(w)
        if m:
            return w if repl is None else m.expand(repl)
    return w


def _compile(rows: list[list[Any]]) -> tuple[tuple[re.Pattern[str], str | None], ...]:
    return tuple((re.compile(pattern), repl) for pattern, repl in rows)


def _load_affixes(data: dict[str, Any], stop: frozenset[str]) -> _Affixes:
    min_root = int(data.get("min_root", 1))
    short = set(data.get("short_roots") or [])
    roots = {r for r in _root_dictionary(data) if len(r) >= min_root or r in short}
    roots |= set(data.get("extra_roots") or [])
    roots -= set(data.get("not_roots") or [])
    vowels = data.get("vowels", "aeiou")
    prefixes = []
    for p in data.get("prefixes") or []:
        before = p.get("before", "any")
        if not isinstance(before, str):
            before = tuple(before)
        elif before not in ("any", "vowel", "consonant"):
            raise DataError(f"morph.yaml: prefix {p['form']}: bad 'before' {before!r}")
        prefixes.append(_Prefix(p["form"], before, p.get("add") or "", p.get("voice"), vowels))
    exceptions = {}
    for word, value in (data.get("exceptions") or {}).items():
        exceptions[word] = tuple(value) if isinstance(value, list) else (value, None)
    return _Affixes(
        roots=frozenset(roots),
        skip=stop | frozenset(data.get("keep") or []),
        exceptions=exceptions,
        inflections=(tuple(data.get("particles") or []), tuple(data.get("possessives") or [])),
        suffixes=tuple(data.get("suffixes") or []),
        weak_suffixes=tuple(data.get("weak_suffixes") or []),
        prefixes=tuple(prefixes),
        max_prefixes=int(data.get("max_prefixes", 2)),
        invalid=frozenset(tuple(pair) for pair in data.get("invalid_confixes") or []),
        confix_key=int(data.get("confix_key_length", 2)),
        no_voice={k: frozenset(v) for k, v in (data.get("no_voice_roots") or {}).items()},
    )


def _load_rewrite(data: dict[str, Any], stop: frozenset[str]) -> _Rewrite:
    irregular: dict[str, str] = {}
    participles: set[str] = set()
    for row in data.get("irregular_verbs") or []:
        base, past, part = row.split()
        for form in past.split("/") + part.split("/"):
            irregular.setdefault(form, base)
        participles.update(part.split("/"))
    irregular.update(data.get("irregular_forms") or {})
    return _Rewrite(
        irregular=irregular,
        participles=frozenset(participles),
        skip=stop | frozenset(data.get("keep") or []),
        word_rules=_compile(data.get("word_rules") or []),
        stem_rules=_compile(data.get("stem_rules") or []),
        past=data.get("past_suffix", "ed"),
        progressive=data.get("progressive_suffix", "ing"),
        min_length=int(data.get("min_length", 5)),
        vowels=frozenset(data.get("vowels", "aeiouy")),
        not_past=tuple(data.get("not_past_endings") or []),
        auxiliaries=frozenset(data.get("passive_auxiliaries") or []),
        progressive_auxiliary=data.get("progressive_auxiliary", "be"),
        gap_words=frozenset(data.get("gap_words") or []),
        adverb_suffix=data.get("adverb_suffix", "ly"),
        max_gap=int(data.get("max_gap", 3)),
    )


def _root_dictionary(data: dict[str, Any]) -> list[str]:
    """Words of the packaged root dictionary named by ``root_dictionary``."""
    spec = data.get("root_dictionary")
    if not spec:
        return []
    package, path = spec
    try:
        text = resources.files(package).joinpath(path).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise DataError(
            f"root dictionary {package}/{path} not found (pip install PySastrawi)"
        ) from exc
    return text.split()


@functools.cache
def _rules(lang: str) -> _Affixes | _Rewrite:
    data = lang_file(lang, "morph.yaml")
    stop = frozenset(w.lower() for w in lang_file(lang, "stopwords.txt"))
    method = data.get("method", "affixes")
    if method == "affixes":
        return _load_affixes(data, stop)
    if method == "rewrite":
        return _load_rewrite(data, stop)
    raise DataError(f"lang/{lang}/morph.yaml: unknown method {method!r}")


_SEEN_MAX = 200_000
_seen: dict[str, dict[str, tuple[str, str | None]]] = {}  # lang -> word -> lemmatize()


@functools.lru_cache(maxsize=200_000)
def lemmatize(word: str, lang: str) -> tuple[str, str | None]:
    """(lemma, voice) of one word out of context; voice is "active", "passive" or None.

    A word with an upper-case letter is taken as a name and only lower-cased;
    so are numbers and symbols. English voice needs context (``was killed``)
    and is set by :func:`analyze`.
    """
    low = word.lower()
    if low != word or not low.replace("-", "").replace("'", "").isalpha():
        return low, None
    return _rules(lang if lang in LANGUAGES else "en").stem(low)


def _next_is_capitalised(tokens: list[Token], i: int) -> bool:
    """True when the next word after position ``i`` is capitalised (``Dedi Mulyadi``)."""
    for tok in tokens[i + 1 : i + 3]:
        if tok.text[0].isalnum():
            return tok.text[0].isupper()
    return False


def _lemmatize_sentence(sent: Sentence, lang: str, seen: dict[str, tuple[str, str | None]]) -> None:
    """Lemmatize the tokens of ``sent``; ``seen`` caches :func:`lemmatize` for ``lang``
    (a dict lookup per token instead of an lru_cache call)."""
    tokens = sent.tokens
    initial = True  # no word seen yet in the sentence, or right after an opening quote
    for i, tok in enumerate(tokens):
        text = tok.text
        if not text[0].isalnum():
            tok.lemma, tok.voice = text, None
            initial = initial or text in _OPENING_QUOTES
            continue
        if initial and text[1:].islower() and text[0].isupper():
            # A sentence's capital is orthography unless a name follows: "Ditangkap
            # polisi" is a verb, "Terawan Agus" a name.
            if not _next_is_capitalised(tokens, i):
                text = text.lower()
        found = seen.get(text)
        if found is None:
            if len(seen) >= _SEEN_MAX:
                seen.clear()  # a bound on memory over millions of articles
            found = seen[text] = lemmatize(text, lang)
        tok.lemma, tok.voice = found
        initial = False


def _mark_passives(sent: Sentence, rules: _Rewrite) -> None:
    """Passive voice on participles after be/get; verb lemmas on progressives."""
    tokens = sent.tokens
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.lemma not in rules.auxiliaries:
            continue
        j = i + 1  # skip up to max_gap adverbs: "were not immediately arrested"
        while j < n and j - i <= rules.max_gap and rules.is_gap(tokens[j].text.lower()):
            j += 1
        if j >= n:
            continue
        target = tokens[j]
        low = target.text.lower()
        if rules.is_participle(low, target.lemma):
            target.voice = "passive"
        elif tok.lemma == rules.progressive_auxiliary and low == target.lemma:
            target.lemma = rules.progressive_lemma(low) or target.lemma


def analyze(doc: Document) -> Document:
    """Set ``lemma`` (lower-case) and ``voice`` on every token of every sentence."""
    lang = doc.lang if doc.lang in LANGUAGES else "en"
    rules = _rules(lang)
    seen = _seen.setdefault(lang, {})
    for sent in doc.sentences:
        _lemmatize_sentence(sent, lang, seen)
        if isinstance(rules, _Rewrite):
            _mark_passives(sent, rules)
    return doc
