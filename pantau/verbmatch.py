"""User verb dictionaries (:mod:`pantau.verbdict`) matched against one sentence's tokens.

A verb form matches where its verb word (text or lemma) stands with its adjacent words;
its block's patterns are tried longest first, words before the verb read backwards from
it, words after it forwards, and the first that matches gives the code and the role
positions its ``$``/``+`` markers stand for. Without a matching pattern the form's or
the block's own code applies; ``[---]`` codes nothing but still claims the words.
"""

from __future__ import annotations

import dataclasses
import itertools

from pantau.document import Token
from pantau.triggers import Element, Rule, TriggerMatch
from pantau.verbdict import Block, Code, Pattern, VerbForm, active


def _match(elements: tuple[Element, ...], tokens: list[Token], start: int) -> list[int] | None:
    """Token index matched by each element (gaps: the last token skipped, or start-1), or
    None. Elements run forward from ``start``; the first may follow a gap."""
    if not elements:
        return []

    def go(i: int, j: int) -> list[int] | None:
        if j == len(elements):
            return []
        element = elements[j]
        if element.gap:
            for skip in range(element.gap + 1):
                rest = go(i + skip, j + 1)
                if rest is not None:
                    return [i + skip - 1, *rest]
            return None
        if i >= len(tokens) or not element.matches(tokens[i]):
            return None
        rest = go(i + 1, j + 1)
        return None if rest is None else [i, *rest]

    return go(start, 0)


def _form_at(form: VerbForm, tokens: list[Token], i: int) -> tuple[int, int] | None:
    """(first, last) token of ``form`` with its verb at ``i``, or None."""
    lo, hi = i - len(form.before), i + len(form.after)
    if lo < 0 or hi >= len(tokens):
        return None
    words = list(form.before) + [None] + list(form.after)
    for token, word in zip(tokens[lo : hi + 1], words, strict=True):
        if word is not None and word not in (token.lower, token.lemma):
            return None
    return lo, hi


def _apply(pattern: Pattern, tokens: list[Token], first: int, last: int) -> dict | None:
    """Where ``pattern`` matches around the verb form at first..last: the match's last
    token and role hints (token after which the role is searched), else None."""
    before = _match(pattern.before, list(reversed(tokens[:first])), 0)
    after = _match(pattern.after, tokens, last + 1)
    if before is None or after is None:
        return None
    hints: dict = {"end": after[-1] if after else last}
    for role, side, at in pattern.roles:
        if side == "after":
            hints[f"{role}_from"] = after[at] if at >= 0 else last
        elif role == "recipient":
            hints["recipient"] = "subject"
    return hints


def find(tokens: list[Token], lang: str) -> list[TriggerMatch]:
    """Matches of the active verb dictionaries of ``lang`` in one sentence: per verb form,
    the longest matching pattern's code, else the form's or block's code. Where two
    dictionaries know a verb, the one activated later wins."""
    found: list[TriggerMatch] = []
    claimed: set[int] = set()
    for vd in reversed(active()):
        if vd.lang != lang:
            continue
        mine: set[int] = set()
        for i, token in enumerate(tokens):
            entries = vd.index.get(token.lower) or vd.index.get(token.lemma or "")
            for form, block in entries or []:
                span = _form_at(form, tokens, i)
                if span is None or not claimed.isdisjoint(range(span[0], span[1] + 1)):
                    continue
                found.extend(_coded(block, form, tokens, *span))
                mine.update(range(span[0], span[1] + 1))
                break
        claimed |= mine
    return sorted(found, key=lambda m: (m.first, m.last))


def _coded(
    block: Block, form: VerbForm, tokens: list[Token], first: int, last: int
) -> list[TriggerMatch]:
    for pattern in block.patterns:
        hints = _apply(pattern, tokens, first, last)
        if hints is not None:
            return _matches(pattern.code, first, max(last, hints.pop("end")), hints)
    return _matches(form.code or block.code, first, last, {})


def _matches(code: Code, first: int, last: int, hints: dict) -> list[TriggerMatch]:
    """The code's rules as matches; an empty list still claims the verb (see :func:`merge`)."""
    out = []
    for rule, reverse in ((code.forward, False), (code.reverse, True)):
        if rule is None:
            continue
        spec = {**rule.spec, **hints, **({"reverse": True} if reverse else {})}
        out.append(TriggerMatch(dataclasses.replace(rule, spec=spec), first, last))
    return out or [TriggerMatch(_NO_EVENT, first, last)]


_NO_EVENT = Rule("user:no-event", "", None, [])


def merge(tokens: list[Token], lang: str, builtin: list[TriggerMatch]) -> list[TriggerMatch]:
    """pantau's own matches, minus those on words a user verb claims, plus the user's."""
    user = find(tokens, lang)
    if not user:
        return builtin
    claimed = set(itertools.chain.from_iterable(range(m.first, m.last + 1) for m in user))
    kept = [m for m in builtin if claimed.isdisjoint(range(m.first, m.last + 1))]
    coded = [m for m in user if m.rule is not _NO_EVENT]
    return sorted(kept + coded, key=lambda m: (m.first, m.last))
