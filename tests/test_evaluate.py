"""Tests for the gold scorer (pantau.evaluate) on hand-written fixtures and the shared gold."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from pantau.errors import InputError
from pantau.eval_report import check_floors, format_report, report_to_dict
from pantau.evaluate import Acc, _corpus_index, evaluate, load_gold, score

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
GOLDEN = FIXTURES / "golden"
SHARED_GOLDEN = Path("/work/shared/golden")

# Sentences of fixtures/eval/seed/kaz-id.txt.
S1 = (
    "ALMATY - Pemerintah Kazakhstan mengumumkan keadaan darurat di Kota Almaty pada Rabu "
    "(5/1/2022) setelah unjuk rasa menentang kenaikan harga gas meluas."
)
S2 = (
    "Departemen Luar Negeri AS mengizinkan keluarga diplomat meninggalkan Almaty "
    "pada Kamis (6/1/2022)."
)
S3 = "Washington juga mempertimbangkan evakuasi kedutaan di Nur-Sultan."
S4 = "Orang tak dikenal membakar gedung wali kota Almaty, menurut laporan media setempat."
S5 = "Presiden Tokayev meminta bantuan pasukan CSTO"
S5_ACROSS = "Presiden Tokayev meminta bantuan pasukan CSTO untuk memulihkan ketertiban."
SQ = "Untuk diketahui, ibu kota Kazakhstan adalah Nur-Sultan."
KAZ, USA = (("KAZ", "GOV"),), (("USA", "GOV"),)


def rec(event: str, sentence: str, actor: Any = KAZ, recipient: Any = (), **kw: Any) -> dict:
    """A record shaped per the contract; actor/recipient given as (code, sector) pairs."""
    r = {
        "event": [event],
        "mode": [],
        "actor": [{"code": c, "sector": s} for c, s in actor],
        "recipient": [{"code": c, "sector": s} for c, s in recipient],
        "date": None,
        "event_loc": None,
        "context": [],
        "signals": [],
        "sentence": sentence,
    }
    r.update(kw)
    return r


@pytest.fixture(scope="module")
def golds() -> dict:
    return {g.name: g for g in load_gold(GOLDEN)}


def score_kaz(golds: dict, records: list[dict]):
    return score([golds["kaz-id"]], {str(golds["kaz-id"].path): records}).files[0]


def test_load_resolves_path_csv_and_jsonl_articles(golds: dict) -> None:
    assert list(golds) == ["hk-en", "kaz-id", "quiet-id"]  # sorted by file name
    kaz, hk, quiet = golds["kaz-id"], golds["hk-en"], golds["quiet-id"]
    assert kaz.article.text == (FIXTURES / "seed" / "kaz-id.txt").read_text(encoding="utf-8")
    assert (kaz.article.id, kaz.lang) == ("kaz-id", "id")
    assert kaz.article.published == dt.date(2022, 1, 7)
    assert hk.article.url.endswith("Hong_Kong_police_fire_tear_gas_on_National_Day")
    assert hk.article.text.startswith("Wednesday, October 2, 2019\n")
    assert (hk.lang, hk.article.title) == ("en", "Hong Kong police fire tear gas on National Day")
    assert (quiet.article.id, quiet.article.outlet) == ("mini-sport-0001", "example")
    assert quiet.article.source == str(GOLDEN / "quiet-id.gold.json")
    assert all(not g.problems for g in golds.values())
    assert load_gold(GOLDEN / "kaz-id.gold.json")[0].article.text == kaz.article.text


def test_corpus_files_are_read_once() -> None:
    _corpus_index.cache_clear()
    load_gold(GOLDEN)
    load_gold(GOLDEN)
    assert _corpus_index.cache_info().misses == 2  # news.csv and articles.jsonl


@pytest.mark.parametrize(
    "article,expected",
    [
        ({"path": "../seed/missing.txt"}, "article file ../seed/missing.txt not readable"),
        ({"corpus": "mini/nope.jsonl", "id": "x"}, "corpus file mini/nope.jsonl not found"),
        ({"corpus": "mini/articles.jsonl", "id": "no-such-row"}, "no row 'no-such-row'"),
        ({"corpus": "mini/news.csv"}, "no 'id' or 'url'"),
        ({"lang": "id"}, "neither 'path' nor 'corpus'"),
        ({"path": "../seed/kaz-id.txt", "published": "7 Jan 2022"}, "not YYYY-MM-DD"),
    ],
)
def test_unresolvable_article_names_gold_file(tmp_path: Path, article: dict, expected: str) -> None:
    (tmp_path / "golden").mkdir()
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "kaz-id.txt").write_text("Teks.\n", encoding="utf-8")
    (tmp_path / "corpora").symlink_to(FIXTURES / "corpora")
    gold = tmp_path / "golden" / "bad.gold.json"
    gold.write_text(json.dumps({"article": {"published": "2022-01-07", **article}, "events": []}))
    with pytest.raises(InputError, match="bad.gold.json") as err:
        load_gold(gold)
    assert expected in str(err.value)


@pytest.mark.parametrize("content", ["{not json", '{"article": {}}', "[]"])
def test_malformed_gold_file(tmp_path: Path, content: str) -> None:
    (tmp_path / "x.gold.json").write_text(content)
    with pytest.raises(InputError, match="x.gold.json"):
        load_gold(tmp_path)


def test_missing_gold_path_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "nothing")
    with pytest.raises(InputError, match="no \\*.gold.json"):
        load_gold(tmp_path)


TWO_SENTENCES = f"{S2} {S3}"
NOT_IN_TEXT = "Pemerintah Kazakhstan mengumumkan keadaan darurat nasional."


@pytest.mark.parametrize(
    "records,expected",
    [
        # (correct, required found, duplicates, unscorable, quiet FPs)
        ([rec("COERCE", S1)], (1, 1, 0, 0, 0)),
        ([{**rec("COERCE", S1), "event": ["COERCE", "ADVISE"]}], (1, 1, 0, 0, 0)),
        ([rec("PROTEST", S1)], (0, 0, 0, 0, 0)),  # type differs
        ([rec("COERCE", S4)], (0, 0, 0, 0, 0)),  # no trigger of G1 in the sentence
        ([rec("COERCE", "  " + S1.upper().replace(" ", "   "))], (1, 1, 0, 0, 0)),
        ([rec("COERCE", S1, actor=KAZ + (("RUS", "GOV"),))], (0, 0, 0, 0, 0)),  # extra country
        ([rec("COERCE", S1, actor=())], (0, 0, 0, 0, 0)),  # gold KAZ has no null
        ([rec("ASSAULT", S4, actor=())], (1, 1, 0, 0, 0)),  # gold [null, KAZ]: no actor is right
        ([rec("ASSAULT", S4, actor=((None, "UAF"),))], (1, 1, 0, 0, 0)),
        ([rec("ASSAULT", S4, actor=KAZ)], (1, 1, 0, 0, 0)),
        ([rec("ASSAULT", S4, actor=(("RUS", "MIL"),))], (0, 0, 0, 0, 0)),
        ([rec("SANCTION", S2, actor=USA)], (1, 1, 0, 0, 0)),  # empty recipient is allowed
        ([rec("SANCTION", S2, actor=USA, recipient=(("RUS", None),))], (0, 0, 0, 0, 0)),
        ([rec("COERCE", S1, recipient=(("KAZ", "CVL"),))], (0, 0, 0, 0, 0)),  # gold: none
        ([rec("REQUEST", S5, recipient=(("RUS", "MIL"),))], (1, 0, 0, 0, 0)),  # optional, list
        ([rec("SANCTION", S2, actor=USA)] * 2, (1, 1, 1, 0, 0)),
        ([rec("SANCTION", TWO_SENTENCES, actor=USA)] * 3, (2, 2, 1, 0, 0)),  # G2, then G3
        ([rec("REQUEST", S5_ACROSS)], (0, 0, 0, 1, 0)),  # crosses a line break
        ([rec("REQUEST", S5 + "\nuntuk memulihkan ketertiban.")], (0, 0, 0, 1, 0)),
        ([rec("COERCE", NOT_IN_TEXT)], (0, 0, 0, 1, 0)),
        ([{**rec("COERCE", S1), "event": "COERCE"}], (0, 0, 0, 1, 0)),
        ([{**rec("COERCE", S1), "event": []}], (0, 0, 0, 1, 0)),
        ([{**rec("COERCE", S1), "actor": {"code": "KAZ"}}], (0, 0, 0, 1, 0)),
        ([{**rec("COERCE", S1), "recipient": None}], (0, 0, 0, 1, 0)),
        ([{**rec("COERCE", S1), "sentence": None}], (0, 0, 0, 1, 0)),
        (["not a record"], (0, 0, 0, 1, 0)),
        ([rec("ASSAULT", SQ)], (0, 0, 0, 0, 1)),  # quiet false positive
        ([rec("ASSAULT", SQ.replace(".", " sejak 2019."))], (0, 0, 0, 1, 1)),
    ],
)
def test_matching_rules(golds: dict, records: list, expected: tuple) -> None:
    c = score_kaz(golds, records).counts
    assert (c.correct, c.found, c.duplicates, c.unscorable, c.quiet) == expected
    assert (c.records, c.required) == (len(records), 4)


def test_order_rule_and_debug_lists(golds: dict) -> None:
    fs = score_kaz(golds, [rec("SANCTION", TWO_SENTENCES, actor=USA)] * 3 + [rec("ASSAULT", SQ)])
    assert [m["gid"] for m in fs.missed] == ["G1", "G4"]  # G5 is optional: never missed
    assert [(fp["why"], fp["quiet"]) for fp in fs.false_positives] == [
        ("duplicate of G2", False),
        ("no match", True),
    ]
    # The second record took G3, whose gold context is hypothetical: aux mode is wrong.
    assert fs.counts.attrs["aux"] == Acc(2, 1)


def test_sentence_longer_than_limit_is_unscorable(tmp_path: Path) -> None:
    long = "Polisi menangkap " + "demonstran, " * 70 + "di Almaty."
    (tmp_path / "a.txt").write_text(long + "\n", encoding="utf-8")
    ev = {"gid": "G1", "required": True, "event": "COERCE", "actor": {"code": "KAZ"}}
    gold_json = {"article": {"path": "a.txt", "lang": "id", "published": "2022-01-06"}}
    gold_json["events"] = [{**ev, "recipient": None, "triggers": ["Polisi menangkap"]}]
    (tmp_path / "a.gold.json").write_text(json.dumps(gold_json))
    gold = load_gold(tmp_path)[0]
    assert len(long) > 700
    fs = score([gold], {"a": [rec("COERCE", long)]}).files[0]  # keyed by gold name
    assert fs.counts.unscorable == 1 and "700" in fs.false_positives[0]["why"]


ALMATY = {"text": "Kota Almaty", "name": "Almaty", "country": "KAZ"}
BASE = {
    "G1": rec("COERCE", S1),
    "G2": rec("SANCTION", S2, actor=USA, recipient=(("KAZ", None),)),
    "G3": rec("SANCTION", S3, actor=USA),
    "G4": rec("ASSAULT", S4, actor=((None, "UAF"),)),
}


@pytest.mark.parametrize(
    "gid,change,attribute,expected",
    [
        ("G1", {"mode": ["restrict"]}, "mode", True),
        ("G1", {"mode": []}, "mode", False),
        ("G1", {"mode": ["curfew", "restrict"]}, "mode", False),
        ("G4", {"mode": []}, "mode", True),  # both without mode
        ("G4", {"mode": ["arson"]}, "mode", False),
        ("G1", {"date": "2022-01-05"}, "date", True),
        ("G1", {"date": "2022-01-07"}, "date", False),
        ("G4", {"date": "2022-01-06"}, "date", True),  # any listed date
        ("G3", {"date": "2022-01-07"}, "date", None),  # gold date null: not scored
        ("G1", {"event_loc": ALMATY}, "location", True),
        ("G1", {"event_loc": {**ALMATY, "name": "ALMATY"}}, "location", True),
        ("G1", {"event_loc": {"name": "Kazakhstan", "country": "KAZ"}}, "location", False),
        ("G1", {"event_loc": {"name": "Kazakhstan", "country": "KAZ"}}, "location_country", True),
        ("G1", {"event_loc": None}, "location", False),
        ("G1", {"event_loc": None}, "location_country", False),
        ("G3", {"event_loc": {"name": "Nur Sultan", "country": "KAZ"}}, "location", True),
        ("G3", {"event_loc": {"name": "Bishkek", "country": "KGZ"}}, "location", False),
        ("G4", {"event_loc": ALMATY}, "location", None),  # gold event_loc null
        ("G1", {}, "recipient", True),  # gold null, record empty
        ("G2", {}, "recipient", True),
        ("G2", {"recipient": []}, "recipient", False),  # matches, but recipient missing
        ("G1", {"context": ["diplomatic"]}, "aux", True),
        ("G1", {"context": ["future"]}, "aux", False),
        ("G3", {"context": ["hypothetical", "diplomatic"]}, "aux", True),
        ("G3", {"context": []}, "aux", False),
        ("G1", {}, "sector", True),
        ("G1", {"actor": [{"code": "KAZ", "sector": "MIL"}]}, "sector", False),
        ("G4", {}, "sector", True),
        ("G1", {"signals": ["host.state_of_emergency"]}, "signals", True),
        ("G1", {"signals": []}, "signals", False),
        ("G1", {"signals": ["host.state_of_emergency", "host.curfew"]}, "signals", False),
        ("G4", {"signals": []}, "signals", True),
    ],
)
def test_attribute_accuracy(golds: dict, gid: str, change: dict, attribute: str, expected) -> None:
    c = score_kaz(golds, [{**BASE[gid], **change}]).counts
    assert c.correct == 1  # attributes are only scored on matched pairs
    want = Acc() if expected is None else Acc(1, int(expected))
    assert c.attrs[attribute] == want


def fixture_records(golds: dict) -> dict:
    hk_lead = (
        "Police in Hong Kong fired tear gas at protesters in Wong Tai Sin on Tuesday, "
        "the 70th anniversary of the People's Republic."
    )
    hk = rec("ASSAULT", hk_lead, actor=(("HKG", "COP"),))
    return {
        str(golds["kaz-id"].path): [
            {**BASE["G1"], "date": "2022-01-05"},
            BASE["G2"],
            BASE["G2"],
            rec("ASSAULT", SQ),
            rec("REQUEST", S5),
        ],
        str(golds["hk-en"].path): [{**hk, "date": "2019-10-01"}],
    }


def test_totals_are_micro_per_language_and_overall(golds: dict) -> None:
    report = score(list(golds.values()), fixture_records(golds))
    assert [f.name for f in report.files] == ["hk-en", "kaz-id", "quiet-id"]
    assert list(report.languages) == ["en", "id"]
    en, id_, total = report.languages["en"], report.languages["id"], report.overall
    assert (id_.records, id_.correct, id_.found, id_.required) == (5, 3, 2, 4)
    assert (id_.duplicates, id_.quiet) == (1, 1)
    assert (id_.precision, id_.recall) == (0.6, 0.5)
    assert id_.f1 == pytest.approx(6 / 11)
    assert (en.precision, en.recall) == (1.0, 0.5)
    assert (total.records, total.correct, total.found, total.required) == (6, 4, 3, 6)
    assert total.f1 == pytest.approx(2 * (4 / 6) * 0.5 / (4 / 6 + 0.5))
    assert total.attrs["date"] == Acc(3, 2)  # kaz G2 record has no date; G5 has no gold date
    quiet = report.files[2].counts
    assert (quiet.precision, quiet.recall, quiet.f1) == (None, None, None)


def test_format_report_ends_with_summary(golds: dict) -> None:
    report = score(list(golds.values()), fixture_records(golds))
    text = format_report(report)
    tail = text.splitlines()[-3:]
    assert [line.split()[0] for line in tail] == ["en", "id", "all"]
    assert tail[1].startswith("id   P=0.60 R=0.50 F1=0.55")
    assert all(f"{k}=" in tail[2] for k in ("aux", "date", "loc", "sector", "mode", "signals"))
    assert "missed" not in text
    verbose = format_report(report, verbose=True)
    assert "missed G3 ACCUSE" in verbose and "(duplicate of G2)" in verbose
    assert "[quiet]" in verbose and verbose.splitlines()[-1] == text.splitlines()[-1]


def test_report_to_dict_is_json(golds: dict) -> None:
    data = report_to_dict(score(list(golds.values()), fixture_records(golds)))
    back = json.loads(json.dumps(data))
    assert back["languages"]["id"]["precision"] == 0.6
    assert back["overall"]["attributes"]["date"] == {"n": 3, "correct": 2, "accuracy": 2 / 3}
    kaz = back["files"][1]
    assert (kaz["name"], kaz["lang"], kaz["records"]) == ("kaz-id", "id", 5)
    assert [m["gid"] for m in kaz["missed"]] == ["G3", "G4"]


@pytest.mark.parametrize(
    "floors,expected",
    [
        ({"id": {"f1": 0.5}, "en": {"precision": 1.0}}, []),
        ({"id": {"f1": 0.6}}, ["id: f1 0.55 < 0.60"]),
        ({"en": {"p": 1.0, "r": 0.6}}, ["en: recall 0.50 < 0.60"]),
        ({"kaz-id": {"recall": 1.0, "date": 0.5}}, ["kaz-id: recall 0.50 < 1.00"]),
        ({"all": {"mode": 0.9}}, ["all: mode 0.00 < 0.90 (0/4)"]),
        ({"quiet-id": {"precision": 1.0, "recall": 1.0, "f1": 1.0}}, []),  # nothing to measure
        ({"quiet-id": {"date": 0.5}}, ["quiet-id: date not measured (no matched events)"]),
        ({"seed-999": {"f1": 0.1}}, ["seed-999: no such language or gold file in this evaluation"]),
        ({"id": {"speed": 1}}, ["id: unknown metric 'speed'"]),
    ],
)
def test_check_floors(golds: dict, floors: dict, expected: list) -> None:
    report = score(list(golds.values()), fixture_records(golds))
    assert check_floors(report, floors) == expected


def test_language_without_gold_files_is_no_failure(golds: dict) -> None:
    report = score([golds["kaz-id"]], {})
    assert check_floors(report, {"en": {"f1": 0.9}}) == []


def test_evaluate_runs_coder_per_article() -> None:
    seen = []

    def coder(article) -> list[dict]:
        seen.append(article.id)
        if article.lang == "en":
            raise InputError("cannot code this", source=article.source)
        return [rec("COERCE", S1)] if article.id == "kaz-id" else []

    report = evaluate(GOLDEN, coder)
    assert len(seen) == 3
    assert [f.counts.correct for f in report.files] == [0, 1, 0]
    assert "cannot code this" in report.files[0].errors[0]
    assert "ERROR" in format_report(report)


needs_shared = pytest.mark.skipif(not SHARED_GOLDEN.is_dir(), reason="no /work/shared/golden")


@needs_shared
def test_shared_gold_articles_and_triggers_resolve() -> None:
    golds = load_gold(SHARED_GOLDEN)
    assert golds and all(g.article.text.strip() and g.lang in ("id", "en") for g in golds)
    problems = [f"{g.name}: {p}" for g in golds for p in g.problems]
    assert not problems, "\n".join(problems)


def _entities(entity: dict | None) -> list[dict]:
    if not entity:
        return []
    code = entity.get("code")
    return [{"code": code[0] if isinstance(code, list) else code, "sector": entity.get("sector")}]


@needs_shared
def test_records_copied_from_shared_gold_score_perfectly() -> None:
    golds = load_gold(SHARED_GOLDEN)
    records = {}
    for g in golds:
        loc = [
            ev["event_loc"] and {**ev["event_loc"], "country": ev["event_loc"]["code"]}
            for ev in g.events
        ]
        records[g.name] = [
            {
                "event": [ev["event"]],
                "mode": [ev["mode"]] if ev.get("mode") else [],
                "actor": _entities(ev.get("actor")),
                "recipient": _entities(ev.get("recipient")),
                "date": (ev.get("date") or [None])[0],
                "event_loc": loc[i],
                "context": ev.get("context") or [],
                "signals": ev.get("signals") or [],
                "sentence": ev["triggers"][0],
            }
            for i, ev in enumerate(g.events)
        ]
    total = score(golds, records).overall
    assert (total.precision, total.recall) == (1.0, 1.0)
    assert all(a.value == 1.0 for a in total.attrs.values())
