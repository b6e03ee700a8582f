"""Trigger patterns: the small pattern language of ``lang/<code>/triggers.yaml``.

A pattern is a space-separated sequence of elements matched against the
tokens of one sentence:

- ``word``        the token's lower-case text or its lemma equals ``word``;
- ``word*``       the token's lower-case text or lemma starts with ``word``;
- ``=word``       the token's lower-case text itself (not its lemma) is ``word``;
- ``a|b*|c``      any of the alternatives, each one word: ``a|b c`` is (a or b) then c;
- ``a|b_c``       an alternative of several words joins them with ``_`` (a, or b then c);
- ``_``           any one token;
- ``..`` / ``..N`` skip up to 3 (or N) tokens.

A rule's ``exclude`` patterns veto a match that starts at the same token
("menolak berkomentar" is declining to comment, not a rejection), its
``not_after`` words veto a match right after one of them ("tidak mengalami luka"), and its
``requires`` words, when given, must occur somewhere in the sentence
(an evacuation is a mission's only when staff, diplomats or citizens are named),
and its ``forbids`` words must not ("killed" in a sentence about an earthquake).
A pattern may not start with a gap or ``_``. Patterns are indexed by the
words (and 3-letter prefixes) of their first element, so a sentence is
checked only against patterns whose first word occurs in it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from pantau.document import Token
from pantau.errors import DataError
from pantau.lexicon import lang_file

DEFAULT_GAP = 3
_KEYED_MAX = 200_000  # (text, lemma) pairs whose index entries are remembered per language
_PATTERN_KEYS = (
    "rule", "event", "mode", "patterns", "exclude", "requires", "forbids", "not_after"
)


@dataclass(frozen=True)
class Element:
    words: frozenset[str] = frozenset()
    surface: frozenset[str] = frozenset()  # match the text only, never the lemma
    prefixes: tuple[str, ...] = ()
    any_token: bool = False
    gap: int = 0  # > 0: this element is a gap of up to ``gap`` tokens

    def matches(self, token: Token) -> bool:
        if self.any_token:
            return True
        low, lemma = token.lower, token.lemma or token.lower
        if low in self.words or lemma in self.words or low in self.surface:
            return True
        return low.startswith(self.prefixes) or lemma.startswith(self.prefixes)  # () -> False


@dataclass
class Rule:
    """One entry of triggers.yaml: an event type with its patterns and role hints."""

    name: str
    event: str
    mode: str | None
    patterns: list[tuple[Element, ...]]
    spec: dict[str, Any] = field(default_factory=dict)  # role hints, signals, contexts
    excludes: list[tuple[Element, ...]] = field(default_factory=list)  # vetoes at the same start
    requires: frozenset[str] = frozenset()  # one of these words must be in the sentence
    not_after: frozenset[str] = frozenset()  # no match right after one of these words
    forbids: frozenset[str] = frozenset()  # no match in a sentence with one of these words


Entries = list[tuple[Rule, tuple[Element, ...]]]  # (rule, pattern) pairs under one index key


@dataclass
class TriggerMatch:
    rule: Rule
    first: int  # token indexes (inclusive) within the sentence
    last: int


def parse_element(text: str) -> Element:
    if text == "_":
        return Element(any_token=True)
    if text.startswith(".."):
        return Element(gap=int(text[2:] or DEFAULT_GAP))
    words, surface, prefixes = set(), set(), []
    for alt in text.lower().split("|"):
        if alt.endswith("*"):
            prefixes.append(alt[:-1])
        elif alt.startswith("="):
            surface.add(alt[1:])
        elif alt:
            words.add(alt)
    return Element(frozenset(words), frozenset(surface), tuple(prefixes))


def expand_pattern(text: str) -> list[str]:
    """Patterns without multiword alternatives: ``"x a|b_c"`` -> ``["x a", "x b c"]``."""
    variants = [""]
    for part in text.split():
        alts = part.split("|")
        multi = [a for a in alts if "_" in a.strip("_")]
        single = [a for a in alts if a not in multi]
        options = (["|".join(single)] if single else []) + [a.replace("_", " ") for a in multi]
        variants = [f"{v} {o}".strip() for v in variants for o in options]
    return variants


def parse_pattern(text: str, rule_name: str) -> tuple[Element, ...]:
    elements = tuple(parse_element(part) for part in text.split())
    if not elements or elements[0].gap or elements[0].any_token or elements[-1].gap:
        raise DataError(f"trigger rule {rule_name}: pattern {text!r} must start and end with words")
    return elements


@functools.cache
def load_rules(lang: str) -> tuple[list[Rule], dict[str, list[tuple[Rule, tuple[Element, ...]]]]]:
    """Rules of a language and an index: first-element key -> (rule, pattern) pairs.

    Index keys are whole words and, for prefix alternatives, ``"*" + first 3 letters``.
    """
    rules: list[Rule] = []
    index: dict[str, list[tuple[Rule, tuple[Element, ...]]]] = {}
    for entry in lang_file(lang, "triggers.yaml")["rules"]:
        name = entry["rule"]
        patterns = [parse_pattern(x, name) for p in entry["patterns"] for x in expand_pattern(p)]
        excludes = [
            parse_pattern(x, name) for p in entry.get("exclude", []) for x in expand_pattern(p)
        ]
        requires = frozenset(w.lower() for w in entry.get("requires", []))
        not_after = frozenset(w.lower() for w in entry.get("not_after", []))
        forbids = frozenset(w.lower() for w in entry.get("forbids", []))
        spec = {k: v for k, v in entry.items() if k not in _PATTERN_KEYS}
        rule = Rule(
            f"{lang}/{name}", entry["event"], entry.get("mode"), patterns, spec, excludes,
            requires, not_after, forbids,
        )  # fmt: skip
        rules.append(rule)
        for pattern in patterns:
            first = pattern[0]
            for key in first.words | first.surface:
                index.setdefault(key, []).append((rule, pattern))
            for prefix in first.prefixes:
                if len(prefix) < 3:
                    raise DataError(f"trigger rule {name}: leading prefix {prefix!r} too short")
                index.setdefault("*" + prefix[:3], []).append((rule, pattern))
    return rules, index


def _match_from(pattern: tuple[Element, ...], tokens: list[Token], i: int, j: int) -> int:
    """Index of the last token matched when ``pattern[j:]`` matches at ``tokens[i:]``, else -1."""
    element = pattern[j]
    if element.gap:
        for skip in range(element.gap + 1):
            end = _match_from(pattern, tokens, i + skip, j + 1)
            if end >= 0:
                return end
        return -1
    if i >= len(tokens) or not element.matches(tokens[i]):
        return -1
    if j == len(pattern) - 1:
        return i
    return _match_from(pattern, tokens, i + 1, j + 1)


def find_triggers(tokens: list[Token], lang: str) -> list[TriggerMatch]:
    """All rule matches in one sentence.

    A rule matches at a token through the index keys of that token (its text, lemma and
    their prefixes); under one key the first pattern that matches counts, and when
    several keys give the rule a match there, the longest does (the result must not
    depend on the order of a set). Overlapping matches of the same event type keep the
    earliest, longest one, so a general rule and a specific rule for the same words give
    one trigger; equal matches of different rules stay in the rules' file order.
    """
    rules, _ = load_rules(lang)
    order, keyed = _lookup(lang)
    words: set[str] | None = None  # built only when a rule with requires/forbids is reached
    ends: dict[tuple[int, int], int] = {}  # (rule order, token index) -> last token
    vetoed: set[tuple[int, int]] = set()
    for i, token in enumerate(tokens):
        low = token.lower
        lemma = token.lemma or low
        found_at = keyed.get((low, lemma))
        if found_at is None:
            found_at = _entries(lang, low, lemma)
        for entries in found_at:
            done: set[int] = set()  # rules matched under this key
            for rule, pattern in entries:
                n = order[rule.name]
                if n in done or (n, i) in vetoed:
                    continue
                if rule.requires or rule.forbids:
                    if words is None:
                        words = {t.lower for t in tokens} | {t.lemma for t in tokens if t.lemma}
                    if rule.requires and rule.requires.isdisjoint(words):
                        continue
                    if not rule.forbids.isdisjoint(words):
                        continue
                end = _match_from(pattern, tokens, i, 0)
                if end < 0:
                    continue
                after_veto = i > 0 and tokens[i - 1].lower in rule.not_after
                if after_veto or any(_match_from(x, tokens, i, 0) >= 0 for x in rule.excludes):
                    vetoed.add((n, i))
                    continue
                done.add(n)
                if end > ends.get((n, i), -1):
                    ends[(n, i)] = end
    found = sorted(((i, -end, n) for (n, i), end in ends.items()))
    kept: list[TriggerMatch] = []
    for i, neg_end, n in found:
        m = TriggerMatch(rules[n], i, -neg_end)
        if any(k.rule.event == m.rule.event and k.first <= m.first <= k.last for k in kept):
            continue
        kept.append(m)
    return kept


@functools.cache
def _lookup(lang: str) -> tuple[dict[str, int], dict[tuple[str, str], tuple[Entries, ...]]]:
    """Rule name -> position in ``triggers.yaml`` (names are unique per language), and a
    cache of :func:`_entries` (a sentence costs one lookup per token, not four)."""
    rules, _ = load_rules(lang)
    return {rule.name: n for n, rule in enumerate(rules)}, {}


@functools.cache
def _prefixed(lang: str) -> dict[str, Entries]:
    """The prefix entries of :func:`load_rules`' index, keyed without their ``*``."""
    return {k[1:]: v for k, v in load_rules(lang)[1].items() if k.startswith("*")}


def _entries(lang: str, low: str, lemma: str) -> tuple[Entries, ...]:
    """The index entries under each key of a token: its text, lemma and their prefixes
    (see :func:`load_rules`), each key once; remembered in :func:`_lookup`'s cache."""
    index, prefixed = load_rules(lang)[1], _prefixed(lang)
    keys = [low] if lemma == low else [low, lemma]
    found = [index.get(k) for k in keys]
    found += [prefixed.get(p) for p in dict.fromkeys(k[:3] for k in keys)]
    keyed = _lookup(lang)[1]
    if len(keyed) >= _KEYED_MAX:
        keyed.clear()  # a bound on memory over millions of articles
    keyed[(low, lemma)] = result = tuple(e for e in found if e)
    return result
