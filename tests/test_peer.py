"""Tests for other coders' suites (pantau.peer): triple scoring and the PETRARCH2 runner.

Scoring is tested on hand-made records; the runner on a small suite written here (invented
countries Norland NRL and Sudmark SDK) with a stand-in coder, and on the real PETRARCH2
suite when ../shared is there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pantau import peer, userdict
from pantau.cli import main
from pantau.document import Article

SHARED = Path("/work/shared")


def rec(event: str, cameo: str, actors: list, recipients: list) -> dict[str, Any]:
    def ent(x: Any) -> dict[str, Any]:
        code, sector = x if isinstance(x, tuple) else (x, None)
        return {"code": code, "sector": sector}

    return {"event": [event], "cameo": cameo, "actor": [ent(a) for a in actors],
            "recipient": [ent(r) for r in recipients]}  # fmt: skip


def row(expected: list[tuple[str, str, str]], text: str = "t") -> dict[str, Any]:
    events = [{"source": s, "target": t, "code": c} for s, t, c in expected]
    return {"id": "x", "text": text, "expected_events": events}


# fmt: off
@pytest.mark.parametrize("expected,records,plover,root,sector,false", [
    # country part compared; sector scored separately
    ([("NRLGOV", "SDK", "064")], [rec("COOPERATE", "064", [("NRL", "GOV")], ["SDK"])],
     [True], [True], [True], 0),
    ([("NRLGOV", "SDK", "064")], [rec("COOPERATE", "061", [("NRL", "MIL")], ["SDK"])],
     [True], [True], [False], 0),
    # same PLOVER type, other CAMEO root: found at PLOVER level only
    ([("NRL", "SDK", "036")], [rec("AGREE", "030", ["NRL"], ["SDK"])], [True], [True], [True], 0),
    ([("NRL", "SDK", "173")], [rec("COERCE", "180", ["NRL"], ["SDK"])], [True], [False], [True], 0),
    # statements and appeals have no PLOVER type; invented codes no CAMEO root either
    ([("NRL", "SDK", "023")], [rec("REQUEST", "020", ["NRL"], ["SDK"])], [None], [True], [None], 1),
    ([("NRL", "SDK", "905")], [], [None], [None], [None], 0),
    # no target, no actor code
    ([("NRL", "---", "190")], [rec("ASSAULT", "190", ["NRL"], [])], [True], [True], [True], 0),
    ([("---GOV", "SDK", "111")], [rec("ACCUSE", "111", [(None, "GOV")], ["SDK"])],
     [True], [True], [True], 0),
    # wrong direction is a miss and a false triple
    ([("NRL", "SDK", "111")], [rec("ACCUSE", "111", ["SDK"], ["NRL"])],
     [False], [False], [False], 1),
    # a joint act (two actors, no recipient) counts both ways
    ([("NRL", "SDK", "030"), ("SDK", "NRL", "030")], [rec("AGREE", "030", ["NRL", "SDK"], [])],
     [True, True], [True, True], [True, True], 2),
    # an NGO's staff match an expected NGO actor
    ([("NGONRL", "SDK", "064")], [rec("COOPERATE", "064", [("NRL", "NGO")], ["SDK"])],
     [True], [True], [True], 0),
])
# fmt: on
def test_score_record(expected, records, plover, root, sector, false) -> None:
    result = peer.score_record(row(expected), records)
    assert (result.plover, result.root, result.sector, result.false) == (
        plover, root, sector, false)  # fmt: skip


ACTORS = "NORLAND_ [NRL]\nSUDMARK_ [SDK]\n"
AGENTS = "HARBOUR_MASTER [~GOV]\n"
VERBS = "--- MEND  [064]  ---\nMEND\n- * FENCES [064]\n--- SCOLD  [111]  ---\nSCOLD\n"
SUITE = [
    {"id": "T-1", "date": "20200105", "text": "Norland mended fences with Sudmark.",
     "expected_events": [{"source": "NRL", "target": "SDK", "code": "064"}]},
    {"id": "T-2", "date": "20200106", "text": "The Norland harbour master scolded Sudmark.",
     "expected_events": [{"source": "NRLGOV", "target": "SDK", "code": "111"}]},
    {"id": "T-3", "date": "20200107", "text": "Nothing happened in Sudmark.",
     "expected_events": []},
]  # fmt: skip


def make_suite(tmp_path: Path) -> Path:
    folder = tmp_path / "peer" / "petrarch2"
    folder.mkdir(parents=True)
    (folder / peer.RECORDS).write_text("\n".join(json.dumps(r) for r in SUITE) + "\n")
    for name, text in zip(peer.DICTIONARIES, (ACTORS, AGENTS), strict=True):
        (folder / name).write_text(text)
    (folder / peer.VERBS).write_text(VERBS)
    return tmp_path


def fake_code(article: Article) -> list[dict[str, Any]]:
    """A coder that finds T-1 only and one false event in T-3; it checks that the suite's
    dictionaries are active while it runs."""
    assert any("NRL" in d.countries for d in userdict.active())
    if article.id == "T-1":
        return [rec("COOPERATE", "064", ["NRL"], ["SDK"])]
    if article.id == "T-3":
        return [rec("PROTEST", "141", [("SDK", "CVL")], [])]
    return []


def test_petrarch2_runner(tmp_path: Path) -> None:
    report = peer.petrarch2(make_suite(tmp_path), code=fake_code)
    assert [r.id for r in report.records] == ["T-1", "T-2", "T-3"]
    assert report.share("plover") == (1, 2) and report.share("root") == (1, 2)
    assert report.false_per_sentence == pytest.approx(1 / 3)
    assert report.missed_types == {"ACCUSE": 1}
    assert report.missed_verbs == {"scold (111)": 1}
    assert userdict.active() == ()
    text = peer.format_petrarch2(report, per_record=True)
    assert "found at PLOVER level        1/2 = 0.50" in text
    assert text.splitlines()[1].startswith("T-1")
    assert peer.report_to_dict(report)["totals"]["plover"] == {"found": 1, "scorable": 2}


def test_petrarch2_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["peer", "petrarch2", "--shared", str(make_suite(tmp_path))]) == 0
    assert "PETRARCH2 unit suite: 3 sentences, 2 expected triples" in capsys.readouterr().out
    assert main(["peer", "petrarch2", "--shared", str(tmp_path / "nowhere")]) == 2
    assert "no PETRARCH2 suite here" in capsys.readouterr().err


@pytest.mark.skipif(not (SHARED / peer.SUITE).exists(), reason="shared PETRARCH2 suite absent")
def test_real_petrarch2_suite() -> None:
    report = peer.petrarch2(SHARED)
    assert len(report.records) == 284
    assert sum(len(r.expected) for r in report.records) == 359
    assert report.share("plover")[1] == 258 and report.share("root")[1] == 302
    # with the suite's own verb dictionary, as PETRARCH runs it (the target: 0.6)
    assert report.suite_verbs and report.share("plover")[0] / 258 >= 0.8
    assert report.share("root")[0] / 302 >= 0.65
    assert report.false_per_sentence < 1.0
    problems = report.dictionary_problems
    assert problems and all("agents" in p or "DIPLXMATIC" in p for p in problems)


@pytest.mark.skipif(not (SHARED / peer.SUITE).exists(), reason="shared PETRARCH2 suite absent")
def test_real_petrarch2_suite_with_pantau_verbs_only() -> None:
    report = peer.petrarch2(SHARED, suite_verbs=False)
    assert not report.suite_verbs and report.share("plover")[0] / 258 >= 0.25


def test_petrarch2_with_the_suites_verbs_and_without(tmp_path: Path) -> None:
    shared = make_suite(tmp_path)
    report = peer.petrarch2(shared)  # the real coder with the suite's MEND/SCOLD verbs
    assert report.suite_verbs and report.share("plover") == (2, 2)
    own = peer.petrarch2(shared, suite_verbs=False)
    assert not own.suite_verbs and own.share("plover")[0] < 2  # "mended fences" is no trigger


def test_peer_all_runs_both_suites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = make_suite(tmp_path)
    gsr = shared / "peer" / "plover" / "PLOVER_GSR_CAMEO.txt"
    gsr.parent.mkdir(parents=True)
    rows = [{"id": "T-DOCUMENT", "event": "DOCUMENT", "eventText": "test file"},
            {"id": "G-1", "date": "2000-01-01", "event": "PROTEST", "mode": "",
             "text": "Farmers protested in Bandung today.", "source": "", "target": ""}]
    gsr.write_text(json.dumps(rows), encoding="utf-8")  # fmt: skip
    assert main(["peer", "all", "--shared", str(shared)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "PETRARCH2 unit suite: 3 sentences" in out and "PLOVER GSR: 1 sentences" in out
    assert "case2021 skipped" in captured.err  # a suite that is not there
    assert main(["peer", "all", "--shared", str(shared), "--format", "json"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {"petrarch2", "plover"}
    assert main(["peer", "all", "--shared", str(tmp_path / "nowhere")]) == 2
