"""Tests for event anchoring (pantau/anchor.py) and the event-place choice it uses
(pantau.places.event_place_span, antecedent_place): the place where the act happened,
not where the speaker was, what a relative clause locates, or who the actor is."""

from __future__ import annotations

import datetime as dt
import re

import helpers
import pytest

from pantau.anchor import anchor_events
from pantau.document import Document, Span
from pantau.events import Event
from pantau.places import antecedent_place, event_place_span, find_places
from pantau.triggers import Rule

make_doc = helpers.make_doc


def trigger(doc: Document, words: str, kind: str = "ASSAULT", nth: int = 0) -> Event:
    """An event whose trigger is the ``nth`` occurrence of ``words``."""
    starts = [m.start() for m in re.finditer(re.escape(words), doc.text)]
    start = starts[nth]
    sent = next(s for s in doc.sentences if s.start <= start < s.end)
    rule = Rule(name=f"test/{kind}", event=kind, mode=None, patterns=[])
    return Event(rule, sent, start, start + len(words), words, None)


def place_name(span: Span | dict | None) -> str | None:
    data = span.data if isinstance(span, Span) else span
    return data["name"] if data else None


@pytest.mark.parametrize(
    "lang,text,words,expected",
    [
        # a locative next to the trigger; the verb's own phrase after it wins
        ("en", "Activists jailed in Lima demonstrated in Hamburg on Wednesday.", "demonstrated",
         "Hamburg"),
        ("id", "Polisi menembakkan gas air mata di Almaty, bukan di Astana.", "menembakkan",
         "Almaty"),
        # a country or province gives way to a finer place of its own beside it
        ("en", "Dozens were killed in Syria's Aleppo province on Friday.", "killed", "Aleppo"),
        ("id", "Sedikitnya 48 orang tewas di ibu kota Afghanistan Kabul.", "tewas", "Kabul"),
        ("en", "Crowds gathered in the Belarus capital Minsk.", "gathered", "Minsk"),
        # the trigger's object ("captured the city of Kunduz") before a later locative
        ("en", "Rebels captured the city of Kunduz after clashes near Kabul.", "captured",
         "Kunduz"),
        # the speaker's place across a speech verb is not the event's
        ("en", "Speaking on television in Yemen, the spokesman said they carried out the attack.",
         "attack", None),
        ("id", "Di Kabul, polisi mengatakan bom menewaskan lima orang.", "menewaskan", "Kabul"),
        # a place that locates a thing, unless that thing is where the act is
        ("id", "Kedutaan yang terletak di Almaty mengizinkan staf pergi.", "mengizinkan", None),
        ("id", "AS meningkatkan keamanan di kedutaan yang terletak di Almaty.",
         "meningkatkan keamanan", "Almaty"),
        ("en", "A group based in Idlib claimed the attack.", "claimed", None),
    ],
)  # fmt: skip
def test_event_place_span(lang: str, text: str, words: str, expected: str | None) -> None:
    doc = find_places(make_doc(text, lang))
    ev = trigger(doc, words)
    assert place_name(event_place_span(doc, ev.sentence, ev.start, ev.end)) == expected


@pytest.mark.parametrize("physical,expected", [(True, "Kabul"), (False, None)])
def test_a_capital_seized_is_a_place_even_as_a_participant(
    physical: bool, expected: str | None
) -> None:
    doc = find_places(make_doc("Taliban fighters captured Kabul on Sunday.", "en"))
    at = doc.text.index("Kabul")
    doc.spans.append(Span("actor", at, at + 5, "Kabul", {"code": "AFG", "sector": "GOV"}))
    ev = trigger(doc, "captured")
    assert place_name(event_place_span(doc, ev.sentence, ev.start, ev.end, physical)) == expected


@pytest.mark.parametrize(
    "lang,text,sentence,expected",
    [
        ("id", "Pasukan Rusia berada di Idlib. Serangan udara berlanjut di wilayah itu.", 1,
         "Idlib"),
        ("en", "Germany banned the airline from flying in the European nation.", 0, "Germany"),
        # "the country" is the article's focus when it is among the places before
        ("en", "Protests grew in Kazakhstan. US officials said unrest in the country spread.", 1,
         "Kazakhstan"),
        ("id", "Protes meluas di Almaty. Polisi berjaga di sekitar gedung.", 1, None),
    ],
)  # fmt: skip
def test_antecedent_place(lang: str, text: str, sentence: int, expected: str | None) -> None:
    doc = find_places(make_doc(text, lang))
    assert place_name(antecedent_place(doc, doc.sentences[sentence])) == expected


def test_anchor_falls_back_to_a_neighbour_then_to_the_main_country() -> None:
    text = (
        "Erdogan menjadi tuan rumah pertemuan Putin dan Rouhani. "
        "Mereka akan bertemu di Ankara pada Senin. "
        "Polisi menembakkan gas air mata di Almaty. "
        "Para pengunjuk rasa kemudian bubar."
    )
    doc = find_places(make_doc(text, "id", dt.date(2022, 1, 8)))
    doc.events = [
        trigger(doc, "pertemuan", "AGREE"),
        trigger(doc, "bertemu", "AGREE"),
        trigger(doc, "bubar", "RETREAT"),
    ]
    anchor_events(doc)
    host, meet, leave = (e.place for e in doc.events)
    assert place_name(meet) == "Ankara" and place_name(host) == "Ankara"  # told next
    assert leave["precision"] == "country"  # no place: the article's main country
    assert leave["country"] == doc.main_place["country"]
    assert all(e.date["precision"] == "published" for e in doc.events)


def test_anchor_takes_the_place_of_the_event_referred_to() -> None:
    doc = find_places(
        make_doc("Bom meledak di Kabul. Taliban mengaku melakukan serangan itu.", "id")
    )
    first, second = trigger(doc, "meledak"), trigger(doc, "serangan")
    second.referent = first
    doc.events = [first, second]
    anchor_events(doc)
    assert place_name(second.place) == "Kabul"


def test_a_physical_act_without_a_place_is_in_its_target_country() -> None:
    text = (
        "Presiden Trump berbicara di Washington pada Minggu. "
        "Ia siap menanggapi serangan tersebut. "
        "Pejabat AS mengatakan Iran berada di balik serangan itu."
    )
    doc = find_places(make_doc(text, "id", dt.date(2019, 9, 16)))
    attack, blamed = trigger(doc, "serangan"), trigger(doc, "serangan", nth=1)
    attack.recipient = [{"code": "SAU", "sector": None}]
    blamed.recipient = [{"code": "IGOUNO", "sector": None}]  # no country: no target place
    doc.events = [attack, blamed]
    anchor_events(doc)
    assert attack.place["country"] == "SAU" and attack.place["precision"] == "country"
    assert blamed.place["country"] == doc.main_place["country"] == "USA"
