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

SPEAKER_WINDOW = 4  # tokens between a speaker's last word and a cue after it ("X said")
SOURCE_WINDOW = 8  # tokens from a cue to a speaker after it ("according to a tweet by X")
CLAUSE_BREAKS = {",", ";", ":", ".", "(", ")"}
QUOTES = {'"', "“", "”"}
# What a speaker says in quotes is the speaker's act for these types ("'The airline
# arms the militias,' according to the State Department" is a US accusation); PLOVER types.
SPEAKER_TYPES = ("ACCUSE", "THREATEN")


def speaker(doc: Document, sentence: Sentence) -> Span | None:
    """The actor a reporting cue in the sentence names as the source: one just before a
    cue the speaker precedes ("X said") wins over one after a cue it follows ("said X")."""
    cues = lang_file(doc.lang, "cues.yaml")
    follows, precedes = set(cues.get("attribution", [])), set(cues.get("attribution_after", []))
    actors = doc.spans_in(sentence.start, sentence.end, "actor")
    tokens = sentence.tokens
    for i, token in enumerate(tokens):
        words = {token.lower, token.lemma or token.lower}
        if words & precedes:
            limit = tokens[max(i - SPEAKER_WINDOW, 0)].start
            before = [a for a in actors if limit <= a.end <= token.start]
            if before:
                return before[-1]
        if words & follows:
            window = tokens[i + 1 : i + 1 + SOURCE_WINDOW]
            stop = next((t.start for t in window if t.text in CLAUSE_BREAKS), None)
            limit = stop if stop is not None else (window[-1].end if window else token.end)
            after = [a for a in actors if token.end <= a.start < limit]
            if after:
                return after[0]
    return None


def _quoted(sentence: Sentence, offset: int) -> bool:
    """True when ``offset`` lies inside quotation marks of the sentence."""
    marks = [t for t in sentence.tokens if t.end <= offset and t.text in QUOTES]
    if any(t.text in ("“", "”") for t in marks):
        return bool(marks) and marks[-1].text == "“"
    return len(marks) % 2 == 1


def _speaker_acts(event, found: Span, said_by: dict) -> None:
    """A quoted accusation or threat is the speaker's, against whom the quote names."""
    if event.rule.event not in SPEAKER_TYPES or not _quoted(event.sentence, event.start):
        return
    if _quoted(event.sentence, found.start):
        return  # the speaker is named inside the quote: no reporting frame
    if event.rule.spec.get("quoted") == "own" and any(a.get("entity_text") for a in event.actor):
        return  # "'Iran accuses us,' said X": an accusation verb with its own named subject
    codes = {said_by["code"]}
    accused = [a for a in event.actor if a.get("code") and a["code"] not in codes]
    event.actor = [dict(said_by)]
    event.recipient = accused or [r for r in event.recipient if r.get("code") not in codes]


def attribute(doc: Document) -> Document:
    """Set ``attribution`` and ``via`` on every event; a quoted accusation or threat
    becomes the speaker's (see ``SPEAKER_TYPES``)."""
    by_sentence: dict[int, tuple] = {}
    for event in doc.events:
        sentence = event.sentence
        if sentence.index not in by_sentence:
            outlets = [
                s.data.get("name") or s.text
                for s in doc.spans_in(sentence.start, sentence.end, "outlet")
            ]
            by_sentence[sentence.index] = (speaker(doc, sentence), list(dict.fromkeys(outlets)))
        found, event.via = by_sentence[sentence.index]
        event.attribution = entity(found) if found else None
        if found is not None:
            _speaker_acts(event, found, event.attribution)
    return doc
