"""Stage 6: find event triggers and assign actor and recipient.

Triggers come from ``lang/<code>/triggers.yaml`` (see :mod:`pantau.triggers`);
roles follow the clause structure and the trigger's voice (see
:mod:`pantau.roles`). A rule may override the defaults with role hints:
- ``actor: subject|all|main|speaker|none`` (``all``: the subject and the
  partner after the trigger, for meetings and calls; ``main``: the sentence's
  first subject, for "X agreed that Y must be held responsible");
- ``possessor: true``: a nominal trigger whose actor stands next to it
  ("serangan drone Houthi", "the Houthi drone attack");
- ``recipient: object|subject|inside|none``, ``passive: keep``;
- ``actor_default``/``recipient_default: focus|actor|unknown``, recipients also
  ``host`` (the country a mission leaves); ``actor_sector``, ``recipient_sector``.
A subject that cannot be found defaults to the article's focus country (news
names the local side least: "Hotak alleged ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pantau import roles, verbmatch
from pantau.attribution import speaker
from pantau.document import Document, Sentence, Span, entity
from pantau.lexicon import data_file
from pantau.triggers import Rule, find_triggers

GOVERN_WINDOW = 5  # tokens from a verb trigger to the event noun it takes as object
NAME_KINDS = ("organisation", "person")  # a trigger word inside a name is part of the name
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
    referent: Event | None = None  # the earlier mention this one refers back to


def _default(doc: Document, how: str | None, sector: str | None, actor: list[dict]) -> list[dict]:
    if how == "focus" and doc.focus_country:
        return [entity(None, doc.focus_country, sector)]
    if how == "actor" and actor:
        return [dict(actor[0], sector=sector or actor[0]["sector"], entity_text=None)]
    if how == "unknown":
        return [entity(None, None, sector)]
    return []


def _actor_spans(
    doc: Document,
    sentence: Sentence,
    rule: Rule,
    first: int,
    last: int,
    spans: list[Span],
    governed: bool = False,
) -> list[Span] | None:
    """The actor mentions of a trigger; None when the actor is unknown and must not be
    guessed from context. ``governed``: another event's trigger stands just before this
    one ("condemned the attack")."""
    spec = rule.spec
    how = spec.get("actor", "subject")
    if how == "speaker":
        found = speaker(doc, sentence)
        return [found] if found else []
    if how == "none":
        return []
    if how == "main":
        found = roles.main_subject(doc, sentence, spans)
        return [found] if found else []
    verb = any(t.voice == "active" for t in sentence.tokens[first : last + 1])
    if spec.get("possessor") and not verb:  # "menyerang kantor polisi": an object, no owner
        found = roles.possessor(doc, sentence, spans, first, last)
        if found:
            return [found]
        if governed and roles.nominal_object(doc, sentence, first):
            return None  # "mengutuk serangan terhadap kilang": the condemner did not attack
        if roles.bare_event_noun(doc, sentence, first, last):
            return None  # "setelah serangan itu": whose attack is not told
    found = roles.subject(doc, sentence, spans, first)
    if how == "all":
        found = found or roles.subject_after(doc, sentence, spans, last)
        partner = roles.object_of(sentence, spans, sentence.tokens[last].end, last, set())
        group = roles.conjuncts(doc, sentence, spans, found) if found else []
        return group + [partner] if partner and partner not in group else group
    if not found:
        return []
    start = sentence.tokens[first].start
    return [s for s in roles.conjuncts(doc, sentence, spans, found) if s.start < start]


def _roles(
    doc: Document,
    sentence: Sentence,
    rule: Rule,
    first: int,
    last: int,
    shared: list | None,
    governed: bool = False,
) -> tuple:
    """Actor and recipient entities and the trigger's voice.

    ``shared`` is the actor of the previous trigger when this one is coordinated
    with it ("mendesak ... sambil mempertanyakan": one subject, two verbs).
    """
    spec = rule.spec
    tokens = sentence.tokens
    start, end = tokens[first].start, tokens[last].end
    spans = roles.participants(doc, sentence)
    inside = [s for s in spans if s.start >= start and s.end <= end]
    outside = [s for s in spans if s not in inside]
    voice = next((t.voice for t in tokens[first : last + 1] if t.voice), None)
    passive = voice == "passive" and spec.get("passive") != "keep"
    # "were hit by (multiple) drone strikes": the trigger is the agent of a passive
    instrument = any(
        t.lower in roles.cue_set(doc.lang, "agent_markers")
        for t in tokens[max(0, first - 2) : first]
    )
    how_actor = spec.get("actor", "subject")

    if shared and how_actor == "subject" and not passive:
        actor, actor_spans = shared, []
    else:
        unknown = False
        if "actor_from" in spec:  # a user verb pattern puts the actor after a word: "in $"
            after_word = tokens[spec["actor_from"]].end
            actor_spans = [s for s in outside if s.start >= after_word][:1]
        elif passive and how_actor == "subject":
            found = roles.agent(doc, sentence, outside, end)
            actor_spans = [found] if found else []
        else:
            found_spans = _actor_spans(doc, sentence, rule, first, last, outside, governed)
            unknown = found_spans is None
            actor_spans = found_spans or []
            if not actor_spans and inside and how_actor == "subject" and not unknown:
                actor_spans = inside[:1]
        sector = spec.get("actor_sector") or _country_sector(rule.event)
        actor = [e for s in actor_spans for e in _entities(s, sector)]
        # the focus country is a fair guess for an unnamed subject, not for the unnamed
        # agent of a passive ("were hit by drone strikes": the focus is the victim)
        guess = how_actor == "subject" and not (passive or instrument or unknown)
        implicit = "focus" if guess else None
        fallback = spec.get("actor_default", implicit)
        actor = _dedupe(actor) or _default(doc, fallback, spec.get("actor_sector"), [])
    actor_codes = {a["code"] for a in actor if a["code"]}
    actor_keys = {(a["code"], a["sector"]) for a in actor if a["code"]}

    how_recipient = spec.get("recipient", "object")
    recipient_spans: list[Span] = []
    if how_recipient == "inside":
        recipient_spans = inside[:1]
    elif how_recipient == "subject":
        found = roles.subject(doc, sentence, outside, first)
        recipient_spans = [found] if found and found not in actor_spans else []
    elif how_recipient == "object" and passive:
        found = roles.subject(doc, sentence, outside, first)
        recipient_spans = [found] if found else []
    elif how_recipient == "object":
        after = [s for s in outside if s not in actor_spans]
        k = spec.get("recipient_from", last)  # a user verb pattern's "+" position
        found = roles.object_of(sentence, after, tokens[k].end, k, actor_keys)
        # "asked the Russian-led CSTO for help": the object may sit inside the trigger
        within = [s for s in inside if s not in actor_spans and s.start > start]
        recipient_spans = roles.conjuncts(doc, sentence, after, found) if found else within[:1]
    sector = spec.get("recipient_sector")
    recipient = [e for s in recipient_spans for e in _entities(s, sector)]
    how_default = spec.get("recipient_default")
    if not recipient and how_default == "host":
        host = roles.host_country(doc, sentence, actor_codes, first)
        recipient = [entity(None, host, spec.get("recipient_sector"))] if host else []
    recipient = _dedupe(recipient) or _default(
        doc, how_default, spec.get("recipient_sector"), actor
    )
    return actor, recipient, voice


def _referent(doc: Document, sentence: Sentence, match) -> Event | None:
    """The earlier event a definite nominal trigger refers back to, if any.

    "blaming Iran for the attacks" names no new attack: it is the one reported
    before, and the record stage folds the mention into it.
    """
    tokens = sentence.tokens
    before = tokens[match.first - 1].lower if match.first > 0 else None
    after = tokens[match.last + 1].lower if match.last + 1 < len(tokens) else None
    if before not in roles.cue_set(doc.lang, "reference_before") and after not in roles.cue_set(
        doc.lang, "reference_after"
    ):
        return None
    same = [e for e in doc.events if e.rule.event == match.rule.event]
    return same[-1] if same else None


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
            content = m.first < other.first and 0 <= other.first - m.last <= 2
            if other.rule.event != agree_event and content:
                dropped.add(j)
    return dropped


def _country_sector(event_type: str) -> str | None:
    """The sector a bare country name acts as for this event type: "Turkey began a
    military offensive" is its military, "the United States announced" its government
    (pantau/data/merging.yaml, ``country_sector``)."""
    table = data_file("merging.yaml").get("country_sector", {})
    return table.get(event_type, table.get("default"))


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
        matches = verbmatch.merge(
            sentence.tokens, doc.lang, find_triggers(sentence.tokens, doc.lang)
        )
        governed = _governed(matches, PROMISE_TYPE)
        named = [
            span
            for span in doc.spans_in(sentence.start, sentence.end, "actor")
            if span.data.get("kind") in NAME_KINDS
        ]
        for n, match in enumerate(matches):
            first_start = sentence.tokens[match.first].start
            if n in governed or any(s.start <= first_start < s.end for s in named):
                continue  # "Rapid Support Forces" names a group, it reports no support
            tokens = sentence.tokens
            start, end = tokens[match.first].start, tokens[match.last].end
            shared = None
            if subject_of_previous and roles.coordinated(doc, sentence, match.first):
                shared = subject_of_previous
            governed_by = any(
                m.rule.event != match.rule.event and 0 < match.first - m.last <= GOVERN_WINDOW
                for m in matches[:n]
            )
            actor, recipient, voice = _roles(
                doc, sentence, match.rule, match.first, match.last, shared, governed_by
            )
            if match.rule.spec.get("reverse"):  # a user code [a:b]: b is the act reversed
                actor, recipient = recipient, actor
            earlier = _referent(doc, sentence, match)
            if earlier is not None:  # "the attacks", "serangan itu": an event told before
                recipient = recipient or earlier.recipient  # merges with it (record.py)
            spec = match.rule.spec
            verbal = spec.get("actor", "subject") == "subject" and not spec.get("possessor")
            told = any(a.get("entity_text") for a in actor)  # a guessed actor is not shared
            if verbal and earlier is None and told:
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
                    referent=earlier,
                )
            )
    doc.events = _drop_subsumed(doc.events)
    return doc


def _drop_subsumed(events: list[Event]) -> list[Event]:
    """Within one sentence, a specific event hides the general one it contains
    ("aksi demo ..., para demonstran melemparkan bom bensin" is one riot)."""
    subsumes = data_file("merging.yaml").get("subsumes", {})

    def key(e: Event) -> str:
        return f"{e.rule.event}/{e.mode}"

    kept = []
    for event in events:
        hidden = any(
            key(event) in subsumes.get(key(other), [])
            and other.sentence is event.sentence
            and {a["code"] for a in other.actor} == {a["code"] for a in event.actor}
            for other in events
        )
        if not hidden:
            kept.append(event)
    return kept
