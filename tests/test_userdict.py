"""Tests for user dictionaries (pantau.userdict) and dictionary suggestions (actor_suggest).

The dictionaries here are written for these tests (invented countries Norland, Sudmark);
the PETRARCH2 validation files are only read when ../shared is there.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from test_actors import actors, make_doc

from pantau import userdict
from pantau.actor_suggest import suggest, to_csv
from pantau.actors import find_actors
from pantau.cli import main
from pantau.errors import DataError

PETRARCH = Path("/work/shared/peer/petrarch2")

ACTORS = """<!-- test actors: invented countries -->
# a comment line
NORLAND_ [NRL] # a trailing comment
+NORLANDIC
SUDMARK  [SDM]
+SUDMARKER

THE_RIVER_COUNCIL [IGOSDMRVC]
HIGH_GUARD [NRLMIL]
OLAF_BRANN  # dated code blocks
\t[NRLCVL <150101]
\t[NRLGOV 20150101 - 20191231]
\t[NRLELI >191231]
TWIN_ISLES [NRL/SDM]
BAD_ENTRY
\t[NRLGOV 2019x]
"""

AGENTS = """<!-- test agents -->
!PERSON! = MAN, MEN, WOMAN, WOMEN
HARBOUR_MASTER [~GOV]
HARBOUR!PERSON! [~LAB]
SHEPHERD [~AGR]
CUSTOMS_POLICE {} [~COP]
TOWN_CRIER {TOWN_CRIERS} [~MED]
WANDERER [~ZZZ]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_petrarch_actor_file(tmp_path: Path) -> None:
    d = userdict.load(write(tmp_path, "test.actors.txt", ACTORS))
    assert d.countries == {"NRL", "SDM"}
    by_name = {}
    for e in d.entries:
        by_name.setdefault(e.name, []).append(e)
    assert {(e.kind, e.code) for e in by_name["Norlandic"]} == {("country", "NRL")}
    assert by_name["River Council"][0].code == "IGOSDMRVC"  # a leading THE is dropped
    assert (by_name["High Guard"][0].code, by_name["High Guard"][0].sector) == ("NRL", "MIL")
    olaf = sorted(by_name["Olaf Brann"], key=lambda e: e.valid[0] or dt.date.min)
    assert [(e.sector, e.valid) for e in olaf] == [
        ("CVL", (None, dt.date(2015, 1, 1))),
        ("GOV", (dt.date(2015, 1, 1), dt.date(2020, 1, 1))),
        ("ELI", (dt.date(2020, 1, 1), None)),
    ]
    assert by_name["Twin Isles"][0].also == ("SDM",)
    assert len(d.problems) == 1 and ":16:" in d.problems[0]


def test_petrarch_agent_file(tmp_path: Path) -> None:
    d = userdict.load(write(tmp_path, "test.agents.txt", AGENTS))
    sectors = {e.name: e.sector for e in d.entries}
    assert sectors["harbour master"] == "GOV" and sectors["harbour masters"] == "GOV"
    assert sectors["harbourwomen"] == "LAB" and "harbourwomans" not in sectors
    assert sectors["shepherds"] == "AGR"
    assert "customs polices" not in sectors  # {} = no plural
    assert sectors["town criers"] == "JRN"  # CAMEO MED (media) is PLOVER JRN
    assert d.problems == [f"{tmp_path / 'test.agents.txt'}:8: no sector in agent code [~ZZZ]"]


# fmt: off
@pytest.mark.parametrize("text,published,expected", [
    ("Norland and Sudmark signed a treaty.", dt.date(2018, 1, 1),
     "Norland=NRL/- | Sudmark=SDM/-"),
    ("The Norlandic harbour master met Sudmark shepherds.", dt.date(2018, 1, 1),
     "Norlandic harbour master=NRL/GOV | Sudmark shepherds=SDM/AGR"),
    ("Olaf Brann spoke.", dt.date(2010, 5, 1), "Olaf Brann=NRL/CVL"),
    ("Olaf Brann spoke.", dt.date(2018, 5, 1), "Olaf Brann=NRL/GOV"),
    ("Olaf Brann spoke.", dt.date(2021, 5, 1), "Olaf Brann=NRL/ELI"),
    # a bare agent takes the focus country, even one of the user's own
    ("Norland protested. Customs police closed the port.", dt.date(2018, 1, 1),
     "Norland=NRL/- | Customs police=NRL/COP"),
    # a name standing for several actors lists them as members
    ("The Twin Isles agreed.", dt.date(2018, 1, 1), "Twin Isles=-/-"),
])
# fmt: on
def test_dictionaries_used_while_active(
    tmp_path: Path, text: str, published: dt.date, expected: str
) -> None:
    d = [userdict.load(write(tmp_path, n, t)) for n, t in (("a.txt", ACTORS), ("g.txt", AGENTS))]
    with userdict.using(*d):
        doc = find_actors(make_doc(text, "en", published))
        assert actors(doc) == expected
    assert userdict.active() == ()
    assert actors(find_actors(make_doc("Norland and Sudmark signed.", "en"))) == ""


def test_members_and_real_focus(tmp_path: Path) -> None:
    with userdict.using(userdict.load(write(tmp_path, "a.txt", ACTORS))):
        doc = find_actors(make_doc("The Twin Isles agreed. Norland agreed.", "en"))
    isles = next(s for s in doc.spans if s.text == "Twin Isles").data
    assert [m["code"] for m in isles["members"]] == ["NRL", "SDM"]
    assert doc.focus_country is None  # an invented country never becomes an event place


CSV = """name,country,sector,valid_from,valid_to,office,kind,note
Arvid Lunde|~Lunde,NRL,GOV,2019-03-01,2023-03-01,foreign minister,,invented
Norland,NRL,,,,,country,
Bay Patrol,NRL,COP,,,,org,
Kirsti Vang,XXX,GOV,,,,,unknown code
Per Holm,IDN,FOO,,,,,unknown sector
Ane Dahl,IDN,GOV,2020-01-01,2019-01-01,,,dates reversed
"""


def test_csv_dictionary(tmp_path: Path) -> None:
    d = userdict.load(write(tmp_path, "mine.csv", CSV))
    assert [p.split(": ", 1)[1] for p in d.problems] == [
        "unknown country code 'XXX' (define it in a kind=country row)",
        "unknown sector 'FOO'",
        "valid_from is not before valid_to",
    ]
    with userdict.using(d):
        text = "Arvid Lunde met the Bay Patrol. Lunde then left Norland."
        doc = find_actors(make_doc(text, "en", dt.date(2020, 1, 1)))
        assert actors(doc) == (
            "Arvid Lunde=NRL/GOV | Bay Patrol=NRL/COP | Lunde=NRL/GOV | Norland=NRL/-"
        )
        lone = find_actors(make_doc("Lunde left.", "en", dt.date(2020, 1, 1)))
        assert actors(lone) == ""  # "~Lunde": only after the full name


def test_later_dictionary_wins(tmp_path: Path) -> None:
    header = "name,country,sector,valid_from,valid_to,kind\n"
    first = userdict.load(write(tmp_path, "1.csv", header + "Blue Wing,NOR,MIL,,,org\n"))
    second = userdict.load(write(tmp_path, "2.csv", header + "Blue Wing,SWE,REB,,,org\n"))
    with userdict.using(first, second):
        assert actors(find_actors(make_doc("Blue Wing fired.", "en"))) == "Blue Wing=SWE/REB"
    with userdict.using(second, first):
        assert actors(find_actors(make_doc("Blue Wing fired.", "en"))) == "Blue Wing=NOR/MIL"
    # a built-in entry saying the same keeps its office; a different one gives way
    police = userdict.load(write(tmp_path, "3.csv", header + "Pentagon,USA,GOV,,,org\n"))
    with userdict.using(police):
        assert actors(find_actors(make_doc("The Pentagon said so.", "en"))) == "Pentagon=USA/GOV"


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="CSV header lacks"):
        userdict.load(write(tmp_path, "x.csv", "name,country\nA,NRL\n"))
    with pytest.raises(DataError, match="no dictionary entries"):
        userdict.load(write(tmp_path, "empty.txt", "# nothing\n"))
    with pytest.raises(DataError, match="cannot read"):
        userdict.load(tmp_path / "missing.csv")
    assert userdict.guess_format("NAME [ABC]\n") == "actors"
    assert userdict.guess_format("POLICE [~COP]\n") == "agents"


def test_actors_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.csv", CSV.split("Kirsti")[0])
    assert main(["actors", "check", str(good)]) == 0
    assert "3 entries: 1 country, 1 org, 1 person; 0 problems" in capsys.readouterr().out
    assert main(["actors", "check", str(write(tmp_path, "bad.csv", CSV))]) == 1
    assert "unknown sector 'FOO'" in capsys.readouterr().err
    assert main(["actors", "check", str(tmp_path / "none.csv")]) == 1
    assert "cannot read" in capsys.readouterr().err


def _record(article: str, entity_text: str, name: str, day: str, office="defence minister"):
    entity = {"code": "NOR", "sector": "GOV", "entity_text": entity_text,
              "identifier_text": name, "office": office}  # fmt: skip
    return {"actor": [entity], "recipient": [], "article": {"id": article, "published": day}}


def test_suggest_rows_from_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        _record("a1", "Defence Minister Eirik Moe", "Eirik Moe", "2021-03-02"),
        _record("a1", "Defence Minister Eirik Moe", "Eirik Moe", "2021-03-02"),
        _record("a2", "Norway's Defence Minister Eirik Moe", "Eirik Moe", "2021-01-05"),
        _record("a3", "Defence Minister Eirik Moe", "Eirik Moe", "2021-04-09"),
        _record("a3", "Moe", "Eirik Moe", "2021-04-09"),  # a later mention: not counted
        _record("a4", "Defence Minister Liv Berg", "Liv Berg", "2021-04-09"),  # one article
        _record("a5", "the Norwegian defence minister", "Norway defence minister", "2021-04-09"),
        _record("a6", "Menlu Retno Marsudi", "Retno Marsudi", "2021-04-09", "foreign minister"),
        _record("a7", "Menlu Retno Marsudi", "Retno Marsudi", "2021-04-10", "foreign minister"),
        _record("a8", "Menlu Retno Marsudi", "Retno Marsudi", "2021-04-11", "foreign minister"),
    ]
    rows = suggest(records, min_articles=3)
    assert [(r["name"], r["valid_from"], r["office"]) for r in rows] == [
        ("Eirik Moe", "2021-01-05", "defence minister")
    ]
    assert rows[0]["note"].startswith("seen in 3 articles, 2021-01-05 to 2021-04-09")
    path = write(tmp_path, "records.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    assert main(["actors", "suggest", str(path), "--min-articles", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "name,country,sector,valid_from,valid_to,office,kind,note"
    assert "Liv Berg,NOR,GOV,2021-04-09" in out
    assert userdict.load(write(tmp_path, "s.csv", to_csv(rows))).problems == []


def test_suggest_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actors", "suggest", str(write(tmp_path, "r.jsonl", "{not json\n"))]) == 2
    assert "r.jsonl:1: not a JSON record" in capsys.readouterr().err


@pytest.mark.skipif(not PETRARCH.exists(), reason="shared PETRARCH2 files not available")
def test_petrarch2_validation_dictionaries() -> None:
    actors_dict = userdict.load(PETRARCH / "PETR.Validate.actors.txt")
    agents_dict = userdict.load(PETRARCH / "PETR.Validate.agents.txt")
    assert len(actors_dict.entries) > 150 and {"ARN", "GON", "MOR"} <= actors_dict.countries
    assert actors_dict.problems == []
    assert len(agents_dict.entries) > 150 and len(agents_dict.problems) == 4
    with userdict.using(actors_dict, agents_dict):
        doc = find_actors(make_doc("Gondor's government thanked Arnor.", "en"))
        assert actors(doc) == "Gondor's government=GON/GOV | Arnor=ARN/-"
        gollum = find_actors(make_doc("Gollum spoke.", "en", dt.date(1997, 1, 1)))
        assert actors(gollum) == "Gollum=HOB/GOV"
