"""Stage 6: find event triggers and assign actor and recipient.

Triggers come from ``lang/<code>/triggers.yaml`` (see :mod:`pantau.triggers`).
Roles follow the clause structure and the trigger's voice:
- active: the actor is the nearest actor mention before the trigger (the
  subject), the recipient the first actor mention after it (the object);
- passive (``di-`` verbs, ``was attacked``): the agent after the language's
  agent marker (``oleh``/``by``) acts and the subject is the recipient.
Actor mentions introduced by a locative preposition (``di Kazakhstan``) are
places, not participants. A rule may override any of this with role hints:
``actor: subject|all|none``, ``recipient: object|none``, ``passive: keep``,
``actor_default``/``recipient_default: focus|actor``, ``actor_sector``,
``recipient_sector``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pantau.document import Document, Sentence, Span
from pantau.lexicon import lang_file
from pantau.triggers import Rule, find_triggers

OBJECT_WINDOW = 8  # tokens after the trigger where an object may start
CLAUSE_BREAKS = {";", ":", "(", ")"}


@dataclass
class Event:
    """An event candidate: one trigger in one sentence, before merging into records."""

    rule: Rule
    sentence: Sentence
    start: int  # absolute offsets of the trigger words
    end: int
    event_text: str
    voice: str | None
    actor: list[dict[str, Any]] = field(default_factory=list)
    recipient: list[dict[str, Any]] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    signals: set[str] = field(default_factory=set)
    date: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    attribution: dict[str, Any] | None = None
    via: list[str] = field(default_factory=list)


def entity(span: Span | None, code: str | None = None, sector: str | None = None) -> dict[str, Any]:
    """An ENTITY of the record contract from an actor span (or from a context default)."""
    data = span.data if span else {}
    return {
        "code": data.get("code", code),
        "sector": data.get("sector") or sector,
        "entity_text": span.text if span else None,
        "identifier_text": data.get("identifier_text"),
        "office": data.get("office"),
    }


def _participants(doc: Document, sentence: Sentence) -> list[Span]:
    """Actor mentions of a sentence that can take part in an event (not places)."""
    cues = lang_file(doc.lang, "cues.yaml")
    locative = set(cues.get("locative", []))
    tokens = sentence.tokens
    result = []
    for span in doc.spans_in(sentence.start, sentence.end, "actor"):
        before = [t for t in tokens if t.end <= span.start]
        if before and before[-1].lower in locative and span.data.get("kind") == "country":
            continue
        result.append(span)
    return result


def _token_index(sentence: Sentence, offset: int) -> int:
    for i, token in enumerate(sentence.tokens):
        if token.end > offset:
            return i
    return len(sentence.tokens)


def _subject(spans: list[Span], start: int) -> Span | None:
    before = [s for s in spans if s.end <= start]
    return before[-1] if before else None


def _object(sentence: Sentence, spans: list[Span], end: int, last_token: int) -> Span | None:
    tokens = sentence.tokens
    for span in spans:
        if span.start < end:
            continue
        i = _token_index(sentence, span.start)
        between = tokens[last_token + 1 : i]
        if i - last_token > OBJECT_WINDOW or any(t.text in CLAUSE_BREAKS for t in between):
            return None
        return span
    return None


def _agent(doc: Document, sentence: Sentence, spans: list[Span], end: int) -> Span | None:
    markers = set(lang_file(doc.lang, "cues.yaml").get("agent_markers", []))
    for i, token in enumerate(sentence.tokens):
        if token.start >= end and token.lower in markers:
            following = [s for s in spans if s.start >= token.end]
            if following and _token_index(sentence, following[0].start) <= i + 3:
                return following[0]
    return None


def _default(doc: Document, how: str | None, sector: str | None, actor: list[dict]) -> list[dict]:
    if how == "focus" and doc.focus_country:
        return [entity(None, doc.focus_country, sector)]
    if how == "actor" and actor:
        return [dict(actor[0], sector=sector or actor[0]["sector"], entity_text=None)]
    if how == "unknown":
        return [entity(None, None, sector)]
    return []


def _roles(doc: Document, sentence: Sentence, rule: Rule, first: int, last: int) -> tuple:
    spec = rule.spec
    tokens = sentence.tokens
    start, end = tokens[first].start, tokens[last].end
    spans = _participants(doc, sentence)
    inside = [s for s in spans if s.start >= start and s.end <= end]
    outside = [s for s in spans if s not in inside]
    voice = next((t.voice for t in tokens[first : last + 1] if t.voice), None)
    passive = voice == "passive" and spec.get("passive") != "keep"

    how_actor = spec.get("actor", "subject")
    if how_actor == "all":
        actor_spans = spans
    elif how_actor == "none":
        actor_spans = []
    elif passive:
        agent = _agent(doc, sentence, outside, end)
        actor_spans = [agent] if agent else []
    else:
        subject = _subject(outside, start) or (inside[0] if inside else None)
        actor_spans = [subject] if subject else []

    how_recipient = spec.get("recipient", "object")
    recipient_spans: list[Span] = []
    if how_recipient == "object":
        if passive:
            subject = _subject(outside, start)
            recipient_spans = [subject] if subject else []
        else:
            obj = _object(sentence, outside, end, last)
            recipient_spans = [obj] if obj and obj not in actor_spans else []

    actor = [entity(s, sector=spec.get("actor_sector")) for s in actor_spans]
    actor = _dedupe(actor) or _default(doc, spec.get("actor_default"), spec.get("actor_sector"), [])
    recipient = [entity(s, sector=spec.get("recipient_sector")) for s in recipient_spans]
    recipient = _dedupe(recipient) or _default(
        doc, spec.get("recipient_default"), spec.get("recipient_sector"), actor
    )
    return actor, recipient, voice


def _dedupe(entities: list[dict]) -> list[dict]:
    seen, result = set(), []
    for e in entities:
        key = (e["code"], e["sector"])
        if key not in seen:
            seen.add(key)
            result.append(e)
    return result


def find_events(doc: Document) -> Document:
    """Append an :class:`Event` to ``doc.events`` for every trigger in every sentence."""
    for sentence in doc.sentences:
        for match in find_triggers(sentence.tokens, doc.lang):
            tokens = sentence.tokens
            start, end = tokens[match.first].start, tokens[match.last].end
            actor, recipient, voice = _roles(doc, sentence, match.rule, match.first, match.last)
            doc.events.append(
                Event(
                    rule=match.rule,
                    sentence=sentence,
                    start=start,
                    end=end,
                    event_text=doc.text[start:end],
                    voice=voice,
                    actor=actor,
                    recipient=recipient,
                    context=list(match.rule.spec.get("context", [])),
                    signals=set(match.rule.spec.get("signals", [])),
                )
            )
    return doc
