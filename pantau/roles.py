"""Who acts and who is acted upon, for one trigger in one sentence.

News sentences in Indonesian and English are subject-verb-object, so:
- the *subject* is the first actor mention of the trigger's clause (a clause
  starts after punctuation, a complementiser such as ``bahwa``/``that`` or a
  reporting verb), skipping mentions governed by a preposition ("dalam
  percakapan dengan MBS", "with Zalmay Khalilzad"); with none in the clause,
  the sentence's first such mention (a subordinate clause shares the main subject);
- the *object* is the first actor mention after the trigger, within its clause;
- with a passive trigger the agent after ``oleh``/``by`` acts and the subject
  is acted upon.
Actor mentions introduced by a locative preposition (``di Kazakhstan``) are
places, not participants. Cue words come from ``lang/<code>/cues.yaml``.
"""

from __future__ import annotations

import functools

from pantau.document import Document, Sentence, Span, Token
from pantau.lexicon import lang_file

OBJECT_WINDOW = 8  # tokens after the trigger where an object may start
POSSESSOR_WINDOW = 1  # words between a nominal trigger and its possessor ("drone")
AGENT_WINDOW = 5  # "condemned by members of the European Union"
LIGHT_VERB_WINDOW = 4  # "mengaku bertanggung jawab atas serangan"
PUNCT_BREAKS = {",", ";", ":", '"', "“", "”", "(", ")"}
OBJECT_BREAKS = {",", ";", ":", "(", ")"}


@functools.cache
def cue_set(lang: str, key: str) -> frozenset[str]:
    return frozenset(lang_file(lang, "cues.yaml").get(key, []))


def token_index(sentence: Sentence, offset: int) -> int:
    """Index of the first token of ``sentence`` that ends after ``offset``."""
    for i, token in enumerate(sentence.tokens):
        if token.end > offset:
            return i
    return len(sentence.tokens)


def _word_before(tokens: list[Token], span: Span) -> str | None:
    before = [t for t in tokens if t.end <= span.start]
    return before[-1].lower if before else None


def participants(doc: Document, sentence: Sentence) -> list[Span]:
    """Actor mentions of a sentence that can take part in an event (not places)."""
    locative = cue_set(doc.lang, "locative")
    return [
        span
        for span in doc.spans_in(sentence.start, sentence.end, "actor")
        if not (
            span.data.get("kind") == "country" and _word_before(sentence.tokens, span) in locative
        )
    ]


def _clause_start(doc: Document, sentence: Sentence, first: int) -> int:
    """Character offset where the trigger's clause begins."""
    words = cue_set(doc.lang, "clause_breaks") | cue_set(doc.lang, "attribution_after")
    for token in reversed(sentence.tokens[:first]):
        if token.text in PUNCT_BREAKS or token.lower in words:
            return token.end
    return sentence.start


def subject(doc: Document, sentence: Sentence, spans: list[Span], first: int) -> Span | None:
    """The trigger's subject (see the module docstring)."""
    start = sentence.tokens[first].start
    prepositions = cue_set(doc.lang, "prepositions")
    free = [  # a mention may run into the trigger: "Russian troops arrived"
        s for s in spans if s.start < start and _word_before(sentence.tokens, s) not in prepositions
    ]
    clause_start = _clause_start(doc, sentence, first)
    in_clause = [s for s in free if s.start >= clause_start]
    if in_clause:
        head = in_clause[0]
        # "Chile, Peru, Bolivia and Ecuador condemned": a list's commas break no clause
        for earlier in (s for s in free if s.start < clause_start):
            if head in conjuncts(doc, sentence, free, earlier):
                return earlier
        return head
    # a clause without its own subject ("... saat menerima telepon dari Trump") shares the
    # sentence's
    return free[0] if free else None


def main_subject(doc: Document, sentence: Sentence, spans: list[Span]) -> Span | None:
    """The sentence's first actor mention that no preposition governs: who "agrees that X
    must be held responsible" is the accuser, not X."""
    prepositions = cue_set(doc.lang, "prepositions")
    free = [s for s in spans if _word_before(sentence.tokens, s) not in prepositions]
    return free[0] if free else None


def conjuncts(doc: Document, sentence: Sentence, spans: list[Span], head: Span) -> list[Span]:
    """``head`` and the actor mentions joined to it by commas or coordinators
    ("Putin dan Rouhani", "Chile, Peru, Bolivia and Ecuador"): one compound subject."""
    coordinators = cue_set(doc.lang, "coordinators")
    fillers = cue_set(doc.lang, "conjunct_fillers")
    group, closed = [head], 1  # closed: members up to the last one a coordinator joined
    for span in sorted((s for s in spans if s.start >= head.end), key=lambda s: s.start):
        between = [t for t in sentence.tokens if group[-1].end <= t.start and t.end <= span.start]
        coordinated = any(t.lower in coordinators for t in between)
        words = [t for t in between if not (coordinated and t.lower in fillers)]
        if not words or len(words) > 2 or any(t.lower not in coordinators | {","} for t in words):
            break
        group.append(span)
        if coordinated:
            closed = len(group)
    # "A, B and C" is a list; in "A, the B said" the comma ends the phrase
    return group[:closed]


def subject_after(doc: Document, sentence: Sentence, spans: list[Span], last: int) -> Span | None:
    """For a trigger opening its sentence ("Dalam diskusi dengan X, Y menegaskan"): the first
    actor after it that no preposition governs."""
    end = sentence.tokens[last].end
    prepositions = cue_set(doc.lang, "prepositions")
    after = [
        s for s in spans if s.start >= end and _word_before(sentence.tokens, s) not in prepositions
    ]
    return after[0] if after else None


def possessor(
    doc: Document, sentence: Sentence, spans: list[Span], first: int, last: int
) -> Span | None:
    """The actor of a nominal trigger: right after it in Indonesian ("serangan drone
    Houthi"), right before it in English ("the Houthi drone attack"), as the language's
    ``possessor_side`` cue says."""
    side = lang_file(doc.lang, "cues.yaml").get("possessor_side", "after")
    for span in spans:
        if side == "after":
            gap = token_index(sentence, span.start) - last
        else:
            gap = first - token_index(sentence, span.end - 1)
        if 0 < gap <= POSSESSOR_WINDOW + 1:
            return span
    return None


def nominal_object(doc: Document, sentence: Sentence, first: int) -> bool:
    """A noun trigger in object position: after a verb ("mengutuk serangan") or a
    determiner/preposition ("condemned the attack", "for the attacks"). Its actor is not
    the clause subject."""
    if first == 0 or sentence.tokens[first].voice:
        return False
    before = sentence.tokens[first - 1]
    return bool(before.voice) or before.lower in cue_set(doc.lang, "object_markers")


def bare_event_noun(doc: Document, sentence: Sentence, first: int, last: int) -> bool:
    """An event noun (no verb voice, in a language that marks it) with no light verb
    (``light_verbs`` of cues.yaml) in the ``LIGHT_VERB_WINDOW`` words before it: its
    clause subject is not its actor."""
    light = cue_set(doc.lang, "light_verbs")
    tokens = sentence.tokens
    if not light or any(t.voice for t in tokens[first : last + 1]):
        return False
    before = tokens[max(0, first - LIGHT_VERB_WINDOW) : first]
    return not any((t.lemma or t.lower) in light for t in before)


def host_country(
    doc: Document, sentence: Sentence, actor_codes: set[str], first: int
) -> str | None:
    """The country a mission or its staff leaves: a place or country after ``dari``/``from``
    in the sentence, else another country named there, else the article's focus country —
    never the actor's own country."""
    sources = cue_set(doc.lang, "source_markers")
    named = []
    for span in doc.spans_in(sentence.start, sentence.end):
        code = span.data.get("country") if span.kind == "place" else None
        if span.kind == "actor" and span.data.get("kind") == "country":
            code = span.data.get("code")
        if code and code not in actor_codes:
            named.append((_word_before(sentence.tokens, span) in sources, span.start, code))
    if named:
        return sorted(named, key=lambda n: (not n[0], n[1]))[0][2]
    focus = doc.focus_country
    return focus if focus and focus not in actor_codes else None


def object_of(
    sentence: Sentence, spans: list[Span], end: int, last_token: int, actor_keys: set
) -> Span | None:
    """The first actor mention after the trigger, within its clause.

    Mentions naming the actor itself (same country and sector, or a bare country
    name of the actor's country: "dukungan penuh Amerika Serikat untuk ...
    Kazakhstan") are skipped, and a mention whose country came from context
    yields to an explicit one in the same window.
    """
    tokens = sentence.tokens
    candidates = []
    for span in spans:
        if span.start < end:
            continue
        i = token_index(sentence, span.start)
        between = tokens[last_token + 1 : i]
        if i - last_token > OBJECT_WINDOW or any(t.text in OBJECT_BREAKS for t in between):
            break
        code, sector = span.data.get("code"), span.data.get("sector")
        if code and (
            (code, sector) in actor_keys or (sector is None and code in {c for c, _ in actor_keys})
        ):
            continue
        candidates.append(span)
    explicit = [c for c in candidates if not c.data.get("from_context")]
    return (explicit or candidates or [None])[0]


def agent(doc: Document, sentence: Sentence, spans: list[Span], end: int) -> Span | None:
    """The agent of a passive trigger: the actor right after ``oleh``/``by``."""
    markers = cue_set(doc.lang, "agent_markers")
    for i, token in enumerate(sentence.tokens):
        if token.start >= end and token.lower in markers:
            following = [s for s in spans if s.start >= token.end]
            if following and token_index(sentence, following[0].start) <= i + AGENT_WINDOW:
                return following[0]
    return None


def coordinated(doc: Document, sentence: Sentence, first: int) -> bool:
    """True when a coordinator stands right before the trigger ("... dan mengadvokasi")."""
    before = [t for t in sentence.tokens[:first] if t.text not in PUNCT_BREAKS]
    return bool(before) and before[-1].lower in cue_set(doc.lang, "coordinators")
