"""The trigger pattern language and the shipped trigger files."""

from __future__ import annotations

import re

import pytest

from pantau import plover
from pantau.document import Token
from pantau.errors import DataError
from pantau.lexicon import LANGUAGES, lang_file
from pantau.triggers import (
    _match_from,
    find_triggers,
    load_rules,
    parse_element,
    parse_pattern,
)


def tokens(text: str, lemmas: dict[str, str] | None = None) -> list[Token]:
    lemmas = lemmas or {}
    out = []
    for m in re.finditer(r"\w+(?:-\w+)*|[^\w\s]", text):
        out.append(Token(m.group(), m.start(), m.end(), lemma=lemmas.get(m.group().lower(), "")))
    return out


@pytest.mark.parametrize(
    "pattern,text,lemmas,expected_last",
    [
        ("desak", "mendesak para pemimpin", {"mendesak": "desak"}, 0),
        ("gas air mata", "menembakkan gas air mata", {}, -1),  # must start at token 0
        ("tembak .. gas air mata", "menembakkan gas air mata", {"menembakkan": "tembak"}, 3),
        ("setuju .. kepergian", "menyetujui kepergian sukarela", {"menyetujui": "setuju"}, 1),
        (
            "izin .. staf* .. keluar",
            "mengizinkan staf konsulnya keluar",
            {"mengizinkan": "izin"},
            3,
        ),
        ("izin .. staf* .. keluar", "mengizinkan para pegawai keluar", {"mengizinkan": "izin"}, -1),
        ("urge|urged _ to", "urged them to", {}, 2),
        ("state of emergency", "state of siege", {}, -1),
        ("internet ..1 shutdown", "internet total wide shutdown", {}, -1),
        ("internet ..2 shutdown", "internet total wide shutdown", {}, 3),
    ],
)
def test_pattern_matching(pattern, text, lemmas, expected_last):
    elements = parse_pattern(pattern, "test")
    assert _match_from(elements, tokens(text, lemmas), 0, 0) == expected_last


def test_element_alternatives_and_prefixes():
    element = parse_element("staf*|pegawai")
    assert element.words == frozenset({"pegawai"})
    assert element.prefixes == ("staf",)
    assert parse_element("..5").gap == 5
    assert parse_element("_").any_token


@pytest.mark.parametrize("bad", ["..", ".. desak", "desak ..", "_ desak"])
def test_bad_patterns_are_rejected(bad):
    with pytest.raises(DataError):
        parse_pattern(bad, "bad")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trigger_files_load_and_name_valid_plover_codes(lang):
    rules, index = load_rules(lang)
    assert len(rules) > 40 and index
    for rule in rules:
        assert plover.is_valid(rule.event, rule.mode), rule.name
        for key in ("actor_sector", "recipient_sector"):
            if rule.spec.get(key):
                assert rule.spec[key] in plover.sectors(), rule.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_role_hints_are_known(lang):
    allowed = {
        "actor": {"subject", "all", "main", "speaker", "none"},
        "recipient": {"object", "subject", "inside", "none"},
        "passive": {"keep"},
        "actor_default": {"focus", "actor", "unknown"},
        "recipient_default": {"focus", "actor", "unknown", "host"},
    }
    for entry in lang_file(lang, "triggers.yaml")["rules"]:
        for key, values in allowed.items():
            if key in entry:
                assert entry[key] in values, (entry["rule"], key)


def test_languages_ship_the_same_file_set():
    from importlib import resources

    names = [
        sorted(
            p.name
            for p in resources.files(f"pantau.lang.{lang}").iterdir()
            if not p.name.startswith("__")
        )
        for lang in LANGUAGES
    ]
    assert names[0] == names[1]


def test_not_after_vetoes_a_match_right_after_its_words() -> None:
    assert any(m.rule.event == "ASSAULT" for m in find_triggers(toks("dua orang tewas"), "id"))
    assert not any(m.rule.name == "id/assault/korban"
                   for m in find_triggers(toks("ia tidak tewas"), "id"))  # fmt: skip


def test_forbids_vetoes_a_rule_in_a_sentence_with_its_words() -> None:
    def rules(text: str) -> set[str]:
        return {m.rule.name for m in find_triggers(toks(text), "en")}

    assert "en/assault/attack" in rules("gunmen killed five villagers")
    assert "en/assault/attack" not in rules("the earthquake killed five villagers")


@pytest.mark.parametrize("text,expanded", [
    ("raped|sexually_assaulted", ["raped", "sexually assaulted"]),
    ("a|b_c ..3 d", ["a ..3 d", "b c ..3 d"]),
    ("call|called for", ["call|called for"]),  # one-word alternatives stay one element
    ("_ x", ["_ x"]),  # a lone _ is any token
])
def test_multiword_alternatives_expand_into_patterns(text: str, expanded: list[str]) -> None:
    from pantau.triggers import expand_pattern

    assert expand_pattern(text) == expanded


def toks(text: str) -> list[Token]:
    """Tokens of a space-separated text, each its own lemma (enough for trigger tests)."""
    out, pos = [], 0
    for w in text.split():
        out.append(Token(w, pos, pos + len(w), lemma=w.lower()))
        pos += len(w) + 1
    return out

