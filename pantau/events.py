"""Stage 6: find event triggers and assign actor and recipient.

Triggers come from ``lang/<code>/triggers.yaml`` (see :mod:`pantau.triggers`).
Roles follow the clause structure and the trigger's voice:
- active: the actor is the nearest actor mention before the trigger (the
  subject), the recipient the first actor mention after it (the object);
- passive (``di-`` verbs, ``was attacked``): the agent after the language's
  agent marker (``oleh``/``by``) acts and the subject is the recipient.
Actor mentions introduced by a locative preposition (``di Kazakhstan``) are
places, not participants. A rule may override any of this with role hints:
``actor: subject|all|speaker|none``, ``recipient: object|inside|none``, ``passive: keep``,
``actor_default``/``recipient_default: focus|actor``, ``actor_sector``,
``recipient_sector``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pantau.attribution import speaker
from pantau.document import Document, Sentence, Span, entity
from pantau.lexicon import lang_file
from pantau.triggers import Rule, find_triggers

OBJECT_WINDOW = 8  # tokens after the trigger where an object may start
CLAUSE_BREAKS = {";", ":", "(", ")"}
PROMISE_TYPE = "AGREE"  # PLOVER codes a promise to act as AGREE, not as the act


@dataclass
class Event:
    """An event candidate: one trigger in one sentence, before merging into records."""

    rule: Rule
    sentence: Sentence
    start: int  # absolute offsets of the trigger words
    end: int
    event_text: str
    voice: str | None
    mode: str | None = None
    actor: list[dict[str, Any]] = field(default_factory=list)
    recipient: list[dict[str, Any]] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    signals: set[str] = field(default_factory=set)
    date: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    attribution: dict[str, Any] | None = None
    via: list[str] = field(default_factory=list)


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


def _object(
    sentence: Sentence, spans: list[Span], end: int, last_token: int, actor_codes: set
) -> Span | None:
    """The first actor mention after the trigger, within its clause.

    Mentions naming the actor's own country are skipped ("dukungan penuh Amerika
    Serikat untuk ... Kazakhstan"), and a mention whose country came from context
    yields to an explicit one in the same window.
    """
    tokens = sentence.tokens
    candidates = []
    for span in spans:
        if span.start < end:
            continue
        i = _token_index(sentence, span.start)
        between = tokens[last_token + 1 : i]
        if i - last_token > OBJECT_WINDOW or any(t.text in CLAUSE_BREAKS for t in between):
            break
        if span.data.get("code") and span.data.get("code") in actor_codes:
            continue
        candidates.append(span)
    explicit = [c for c in candidates if not c.data.get("from_context")]
    return (explicit or candidates or [None])[0]


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


def _roles(
    doc: Document, sentence: Sentence, rule: Rule, first: int, last: int, shared: list | None
) -> tuple:
    """Actor and recipient entities and the trigger's voice.

    ``shared`` is the actor of the previous trigger when this one is coordinated
    with it ("mendesak ... sambil mempertanyakan": one subject, two verbs).
    """
    spec = rule.spec
    tokens = sentence.tokens
    start, end = tokens[first].start, tokens[last].end
    spans = _participants(doc, sentence)
    inside = [s for s in spans if s.start >= start and s.end <= end]
    outside = [s for s in spans if s not in inside]
    voice = next((t.voice for t in tokens[first : last + 1] if t.voice), None)
    passive = voice == "passive" and spec.get("passive") != "keep"

    how_actor = spec.get("actor", "subject")
    actor_spans: list[Span] = []
    if how_actor == "all":
        actor_spans = spans
    elif how_actor == "speaker":
        found = speaker(doc, sentence)
        actor_spans = [found] if found else []
    elif how_actor == "subject" and passive:
        agent = _agent(doc, sentence, outside, end)
        actor_spans = [agent] if agent else []
    elif how_actor == "subject" and not shared:
        subject = _subject(outside, start) or (inside[0] if inside else None)
        actor_spans = [subject] if subject else []

    actor = shared if shared and how_actor == "subject" and not passive else None
    if actor is None:
        actor = [e for s in actor_spans for e in _entities(s, spec.get("actor_sector"))]
        actor = _dedupe(actor) or _default(
            doc, spec.get("actor_default"), spec.get("actor_sector"), []
        )
    actor_codes = {a["code"] for a in actor if a["code"]}

    how_recipient = spec.get("recipient", "object")
    recipient_spans: list[Span] = []
    if how_recipient == "inside":
        recipient_spans = inside[:1]
    elif how_recipient == "object" and passive:
        subject = _subject(outside, start)
        recipient_spans = [subject] if subject else []
    elif how_recipient == "object":
        obj = _object(sentence, outside, end, last, actor_codes)
        recipient_spans = [obj] if obj and obj not in actor_spans else []
    recipient = [entity(s, sector=spec.get("recipient_sector")) for s in recipient_spans]
    recipient = _dedupe(recipient) or _default(
        doc, spec.get("recipient_default"), spec.get("recipient_sector"), actor
    )
    return actor, recipient, voice


def _coordinated(doc: Document, sentence: Sentence, first: int) -> bool:
    """True when a coordinator stands right before the trigger ("... dan mengadvokasi")."""
    coordinators = set(lang_file(doc.lang, "cues.yaml").get("coordinators", []))
    before = [t for t in sentence.tokens[:first] if t.text not in {",", '"', "“", "”"}]
    return bool(before) and before[-1].lower in coordinators


def _governed(matches: list, agree_event: str) -> set[int]:
    """Indexes of matches that are the content of a promise just before them.

    "berkomitmen untuk mendukung" is one AGREE (PLOVER codes the promise), not an
    AGREE and a SUPPORT.
    """
    dropped = set()
    for m in matches:
        if m.rule.event != agree_event:
            continue
        for j, other in enumerate(matches):
            if other.rule.event != agree_event and 0 < other.first - m.last <= 2:
                dropped.add(j)
    return dropped


def _entities(span: Span, sector: str | None) -> list[dict]:
    """One entity per person a plural pronoun stands for ("mereka berdua"), else one."""
    members = span.data.get("members")
    if members and not span.data.get("code"):
        return [
            {
                "code": m.get("code"),
                "sector": m.get("sector") or sector,
                "entity_text": span.text,
                "identifier_text": m.get("identifier_text"),
                "office": None,
            }
            for m in members
        ]
    return [entity(span, sector=sector)]


def _dedupe(entities: list[dict]) -> list[dict]:
    seen, result = set(), []
    for e in entities:
        key = (e["code"], e["sector"])
        if key not in seen:
            seen.add(key)
            result.append(e)
    return result


def find_events(doc: Document) -> Document:
    """Append an :class:`Event` to ``doc.events`` for every trigger in every sentence.

    A trigger right after a coordinator shares the subject of the previous verbal
    trigger of its sentence; a trigger that is the content of a promise is dropped.
    """
    for sentence in doc.sentences:
        subject_of_previous: list | None = None
        matches = find_triggers(sentence.tokens, doc.lang)
        governed = _governed(matches, PROMISE_TYPE)
        for n, match in enumerate(matches):
            if n in governed:
                continue
            tokens = sentence.tokens
            start, end = tokens[match.first].start, tokens[match.last].end
            shared = None
            if subject_of_previous and _coordinated(doc, sentence, match.first):
                shared = subject_of_previous
            actor, recipient, voice = _roles(
                doc, sentence, match.rule, match.first, match.last, shared
            )
            if match.rule.spec.get("actor", "subject") == "subject" and actor:
                subject_of_previous = actor
            doc.events.append(
                Event(
                    rule=match.rule,
                    sentence=sentence,
                    start=start,
                    end=end,
                    event_text=doc.text[start:end],
                    voice=voice,
                    mode=match.rule.mode,
                    actor=actor,
                    recipient=recipient,
                    context=list(match.rule.spec.get("context", [])),
                    signals=set(match.rule.spec.get("signals", [])),
                )
            )
    return doc
