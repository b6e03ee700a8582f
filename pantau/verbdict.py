"""User verb dictionaries: a user's own verbs and verb patterns in PETRARCH/TABARI format.

A PETRARCH verb dictionary groups verbs into blocks with a CAMEO code and patterns that
refine it::

    &TIEKINDS                      a synset: words usable in patterns as &TIEKINDS
    +MILITARY
    +ECONOMIC

    --- RESTORE  [064] ---         a block: the verb and its code ([---]: none)
    RESTORE                        verb forms; {IRREGULAR FORMS}; WIRE_+TAP marks the verb
    REINSTATE [065]                of a multiword form; a form may carry its own code
    - * &TIEKINDS TIES [0641]      patterns: words before/after the verb ``*``
    - + * IN $ [075]               ``$`` source, ``+`` target, ``%`` compound, ``^`` skip

Words joined by ``_`` must be adjacent; words separated by spaces may have up to
:data:`GAP` tokens between them. Codes ``[032:033]`` code the act one way and its
reverse (the visit and the hosting). Regular inflections come from the language's
lemmatiser (:mod:`pantau.morph`) plus the ``-ing`` form.

A block's code is converted to PLOVER (:func:`pantau.plover.cameo_to_plover`); codes
PLOVER drops (statements, appeals) or that are not CAMEO code nothing, as a matching
pattern with such a code still overrides its verb's code. Where a user verb matches, it
replaces pantau's own triggers on those words: the user said what the verb means.

``load(path)`` reads a file; ``using(d1, d2)`` makes dictionaries active for a block;
:mod:`pantau.verbmatch` finds their verbs in sentences for the event stage.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pantau import plover
from pantau.errors import DataError
from pantau.lexicon import lang_file
from pantau.triggers import Element, Rule
from pantau.userdict import ActiveSet

GAP = 4  # tokens allowed between pattern words separated by a space
ACTOR_GAP = 6  # tokens an actor marker ($ + % ^) may stand for
MAX_VARIANTS = 64  # synset expansions per pattern
_MARKERS = {"$": "actor", "+": "recipient", "%": "recipient", "^": None}
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# "--- RESTORE [064] ---"; seen also: a space in the name, a second code, no closing dashes
_HEADER = re.compile(r"^---\s*([^\[]+?)_?\s*\[([^\]]*)\](?:\s*\[[^\]]*\])*\s*(?:---)?\s*$")
_CODED = re.compile(r"^(.*?)\s*\[([^\]]*)\]\s*$")


@dataclass(frozen=True)
class Code:
    """A dictionary code: the act one way and, for ``[a:b]``, its reverse."""

    text: str
    forward: Rule | None
    reverse: Rule | None


@dataclass(frozen=True)
class Pattern:
    """One ``- pattern [code]`` line: elements before (nearest the verb first) and after."""

    before: tuple[Element, ...]
    after: tuple[Element, ...]
    code: Code
    roles: tuple[tuple[str, str, int], ...]  # (role, side, index of the element before it)
    size: int  # words in the pattern: longer patterns are tried first


@dataclass(frozen=True)
class VerbForm:
    """One way to write the verb: its own words, adjacent words before and after."""

    verb: frozenset[str]
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: Code | None  # None: the block's code


@dataclass
class Block:
    name: str
    code: Code
    forms: list[VerbForm] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass(eq=False)
class VerbDictionary:
    """Blocks read from one file, with the problems met while reading it."""

    path: str
    lang: str = "en"
    blocks: list[Block] = field(default_factory=list)
    index: dict[str, list[tuple[VerbForm, Block]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


_ACTIVE: ActiveSet[VerbDictionary] = ActiveSet()


def active() -> tuple[VerbDictionary, ...]:
    """The verb dictionaries the event stage uses now (empty unless activated)."""
    return _ACTIVE.active()


def activate(*dicts: VerbDictionary) -> None:
    """Use ``dicts`` from now on (later ones winning); none: pantau's own triggers only."""
    _ACTIVE.activate(*dicts)


def using(*dicts: VerbDictionary) -> contextlib.AbstractContextManager[None]:
    """``with using(load("verbs.txt")): code_article(...)``: active for the block only."""
    return _ACTIVE.using(*dicts)


def is_verb_dictionary(text: str) -> bool:
    """True when ``text`` has PETRARCH verb block headers (``--- VERB [code] ---``)."""
    return any(_HEADER.match(line.strip()) for line in _COMMENT.sub("", text).splitlines())


def load(path: str | Path, lang: str = "en") -> VerbDictionary:
    """Read a PETRARCH verb dictionary. Lines that cannot be read are skipped and listed in
    ``problems``; an unreadable file or one without verb blocks raises DataError."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", str(path)) from exc
    return load_text(text, str(path), lang)


def load_text(text: str, path: str, lang: str = "en") -> VerbDictionary:
    """:func:`load` of a text already read (``path`` names it in messages)."""
    found = VerbDictionary(str(path), lang)
    _read(text, found)
    if not found.blocks:
        raise DataError("no verb blocks (--- VERB [code] ---) found", str(path))
    for block in found.blocks:
        for form in block.forms:
            for word in form.verb:
                found.index.setdefault(word, []).append((form, block))
    return found


def _lines(text: str) -> Iterator[tuple[int, str]]:
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    for n, line in enumerate(text.splitlines(), 1):
        yield n, line.split("#", 1)[0].strip()


def _read(text: str, out: VerbDictionary) -> None:
    synsets: dict[str, list[str]] = {}
    synset: list[str] | None = None
    block: Block | None = None
    where = Path(out.path).name
    for n, line in _lines(text):
        if not line:
            synset = None
            continue
        try:
            if line.startswith("&"):
                name = line.split()[0][1:].upper().rstrip("_")  # "&PREPOSIT1_" is &PREPOSIT1
                synset, block = synsets.setdefault(name, []), None
            elif synset is not None and line.startswith("+"):
                synset.append(line[1:].strip().upper())
            elif m := _HEADER.match(line):
                synset = None
                name = "_".join(m.group(1).upper().split())
                block = Block(name, _code(m.group(2), name, out, n))
                out.blocks.append(block)
            elif block is None:
                raise ValueError("line outside a verb block")
            elif line.startswith("-"):
                block.patterns.append(_pattern(line[1:].strip(), block, synsets, out, n))
            else:
                block.forms.append(_form(line, block, out, n))
        except ValueError as exc:
            out.problems.append(f"{where}:{n}: {exc}: {line[:60]}")
    for b in out.blocks:
        b.patterns.sort(key=lambda p: -p.size)


def _code(raw: str, name: str, out: VerbDictionary, n: int) -> Code:
    """A Code with one PLOVER rule per direction (None where PLOVER has no type)."""
    raw = raw.strip()
    parts = raw.split(":") if raw not in ("", "---") else []
    rules = []
    for part in parts[:2]:
        converted = plover.cameo_to_plover(part.strip())
        if converted is None:
            rules.append(None)
            continue
        event, mode = converted
        rule_name = f"user:{Path(out.path).name}/{name.lower()}/{part.strip()}@{n}"
        rules.append(Rule(rule_name, event, mode, [], {"cameo": part.strip()}))
    rules += [None] * (2 - len(rules))
    return Code(raw, rules[0], rules[1])


def _split_coded(line: str) -> tuple[str, str | None]:
    m = _CODED.match(line)
    return (m.group(1), m.group(2)) if m else (line, None)


def _form(line: str, block: Block, out: VerbDictionary, n: int) -> VerbForm:
    """``BAN {BANS BANNED}``, ``WIRE_+TAP {WIRE_+TAPPED}``, ``KLM_NOP_+RST [002]``."""
    body, raw_code = _split_coded(line)
    irregular = re.findall(r"\{([^}]*)\}", body)
    head = ["_".join(re.sub(r"\{[^}]*\}", " ", body).split())]  # "LASH OUT" is LASH_OUT
    words = [_phrase_parts(head[0])] + [_phrase_parts(w) for w in " ".join(irregular).split()]
    before, verb_word, after = words[0]
    verbs = {verb_word} | {w[1] for w in words[1:]}
    verbs |= {_ing(v, out.lang) for v in list(verbs)}
    code = _code(raw_code, f"{block.name}/{verb_word}", out, n) if raw_code else None
    return VerbForm(frozenset(verbs), before, after, code)


def _phrase_parts(text: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """``WIRE_+TAP`` -> (("wire",), "tap", ()); without ``+`` the first word is the verb."""
    words = [w for w in text.lower().split("_") if w]
    if not words:
        raise ValueError("empty verb form")
    at = next((i for i, w in enumerate(words) if w.startswith("+")), 0)
    words = [w.lstrip("+") for w in words]
    return tuple(words[:at]), words[at], tuple(words[at + 1 :])


def _ing(verb: str, lang: str) -> str:
    """The ``-ing`` form, which the lemmatiser keeps as its own word outside "be ...ing"."""
    suffix = lang_file(lang, "morph.yaml").get("progressive_suffix", "ing")
    stem = verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb
    return stem + suffix


def _pattern(
    line: str, block: Block, synsets: dict[str, list[str]], out: VerbDictionary, n: int
) -> Pattern:
    body, raw_code = _split_coded(line)
    if raw_code is None:
        raise ValueError("pattern without [code]")
    code = _code(raw_code, block.name, out, n)
    items: list[tuple[str, bool]] = []  # (item, joined to the previous one by _)
    for chunk in body.split():
        for k, item in enumerate(x for x in chunk.split("_") if x):
            items.append((item.upper(), k > 0))
    if sum(item == "*" for item, _ in items) != 1:
        raise ValueError("a pattern needs exactly one *")
    at = next(i for i, (item, _) in enumerate(items) if item == "*")
    # joined-ness of the item after the verb is recorded on that item already
    before_items = list(reversed(items[:at]))
    before_joined = [items[i + 1][1] for i in range(at - 1, -1, -1)]  # joined to the right
    after_items = items[at + 1 :]
    before, roles_before = _elements(
        [(it, j) for (it, _), j in zip(before_items, before_joined, strict=True)], synsets, "before"
    )
    after, roles_after = _elements(after_items, synsets, "after")
    size = sum(1 for item, _ in items if item not in _MARKERS and item != "*")
    return Pattern(before, after, code, roles_before + roles_after, size)


def _elements(
    items: list[tuple[str, bool]], synsets: dict[str, list[str]], side: str
) -> tuple[tuple[Element, ...], tuple[tuple[str, str, int], ...]]:
    """Items (nearest the verb first) as elements with gaps; actor markers become gaps
    and role positions. A trailing marker needs no element: the role is searched after."""
    elements: list[Element] = []
    roles: list[tuple[str, str, int]] = []
    for k, (item, joined) in enumerate(items):
        if item in _MARKERS:
            if _MARKERS[item]:
                roles.append((_MARKERS[item], side, len(elements) - 1))
            if k < len(items) - 1:
                elements.append(Element(gap=ACTOR_GAP))
            continue
        if not joined and not (elements and elements[-1].gap):
            elements.append(Element(gap=GAP))
        elements.append(_word_element(item, synsets))
    while elements and elements[-1].gap:
        elements.pop()
    last = len(elements) - 1  # a role after a dropped trailing gap: after the last word
    return tuple(elements), tuple((r, s, min(at, last)) for r, s, at in roles)


def _word_element(item: str, synsets: dict[str, list[str]]) -> Element:
    """A word, or a synset's words (multiword members count by their first word)."""
    if not item.startswith("&"):
        return Element(words=frozenset({item.lower()}))
    words: set[str] = set()
    todo, seen = [item[1:]], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for member in synsets.get(name, []):
            if member.startswith("&"):
                todo.append(member[1:])
            else:
                words.add(re.split(r"[\s_]+", member.lower())[0])
    if not words:
        raise ValueError(f"unknown synset {item}")
    return Element(words=frozenset(words))


def summary(found: VerbDictionary) -> str:
    """``261 verb blocks, 473 patterns; 95 codes without a PLOVER type`` for ``actors check``."""
    codes = [b.code for b in found.blocks] + [p.code for b in found.blocks for p in b.patterns]
    codes += [f.code for b in found.blocks for f in b.forms if f.code]
    uncoded = {c.text for c in codes if c.text not in ("", "---") and c.forward is None}
    patterns = sum(len(b.patterns) for b in found.blocks)
    return (
        f"{len(found.blocks)} verb blocks, {patterns} patterns; {len(uncoded)} codes without "
        "a PLOVER type (statements, appeals, or not CAMEO)"
    )

