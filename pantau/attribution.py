"""Stage 11: who says so, and which outlets the article cites for it.

``attribution`` is the actor named by a reporting cue in the event's sentence
("kata X", "menurut X", "X said", "according to X"): cues in
``lang/<code>/cues.yaml`` under ``attribution`` (the speaker follows the cue)
and ``attribution_after`` (the speaker precedes it). ``via`` lists the news
outlets mentioned in the sentence (the actors stage marks them as ``outlet``
spans, never as actors).
"""

from __future__ import annotations

from pantau.document import Document, Sentence, Span, entity
from pantau.lexicon import lang_file

SPEAKER_WINDOW = 4  # tokens between a cue and its speaker


def speaker(doc: Document, sentence: Sentence) -> Span | None:
    """The actor a reporting cue in the sentence names as the source."""
    cues = lang_file(doc.lang, "cues.yaml")
    follows, precedes = set(cues.get("attribution", [])), set(cues.get("attribution_after", []))
    actors = doc.spans_in(sentence.start, sentence.end, "actor")
    tokens = sentence.tokens
    for i, token in enumerate(tokens):
        word = token.lemma or token.lower
        if token.lower in follows or word in follows:
            limit = tokens[min(i + SPEAKER_WINDOW, len(tokens) - 1)].end
            after = [a for a in actors if token.end <= a.start <= limit]
            if after:
                return after[0]
        if token.lower in precedes or word in precedes:
            limit = tokens[max(i - SPEAKER_WINDOW, 0)].start
            before = [a for a in actors if limit <= a.start and a.end <= token.start]
            if before:
                return before[-1]
    return None


def attribute(doc: Document) -> Document:
    """Set ``attribution`` and ``via`` on every event."""

    by_sentence: dict[int, tuple] = {}
    for event in doc.events:
        sentence = event.sentence
        if sentence.index not in by_sentence:
            found = speaker(doc, sentence)
            outlets = [
                s.data.get("name") or s.text
                for s in doc.spans_in(sentence.start, sentence.end, "outlet")
            ]
            by_sentence[sentence.index] = (
                entity(found) if found else None,
                list(dict.fromkeys(outlets)),
            )
        event.attribution, event.via = by_sentence[sentence.index]
    return doc
