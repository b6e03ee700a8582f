"""CASE 2021 Task 2 through pantau (pantau.peer_case): folding records into ACLED types,
scoring, the command; the real test set when ../shared is there. Snippets here are
written for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pantau import peer_case
from pantau.cli import main

SHARED = Path("/work/shared")


def rec(event: str, mode: str | None = None, actor: str | None = None,
        recipient: str | None = None, context: tuple[str, ...] = ()) -> dict[str, Any]:  # fmt: skip
    return {
        "event": [event],
        "mode": [mode] if mode else [],
        "actor": [{"code": "XXX", "sector": actor}] if actor else [],
        "recipient": [{"code": "YYY", "sector": recipient}] if recipient else [],
        "context": list(context),
    }


# fmt: off
@pytest.mark.parametrize("records,label", [
    ([rec("PROTEST", "demo")], "PEACE_PROTEST"),
    ([rec("PROTEST", "riot")], "VIOL_DEMONSTR"),
    ([rec("PROTEST", "demo"), rec("COERCE", "arrest")], "PROTEST_WITH_INTER"),
    ([rec("PROTEST", "demo"), rec("ASSAULT", "crowd-control", "COP")], "FORCE_AGAINST_PROTEST"),
    ([rec("ASSAULT", "aerial")], "AIR_STRIKE"),
    ([rec("ASSAULT", "suicide-attack"), rec("ASSAULT", "explosives")], "SUIC_BOMB"),
    ([rec("ASSAULT", "firearms", "REB", "CVL")], "ATTACK"),
    ([rec("ASSAULT", "firearms", "REB", "MIL")], "ARMED_CLASH"),
    ([rec("ASSAULT", None, "MIL", None, ("territory",))], "GOV_REGAINS_TERIT"),
    ([rec("ASSAULT", None, "REB", None, ("territory",))], "NON_STATE_ACTOR_OVERTAKES_TER"),
    ([rec("COERCE", "seize", None, None, ("military",))], "DISR_WEAP"),
    ([rec("AGREE")], "AGREEMENT"),
    ([rec("ASSAULT", "aerial", context=("hypothetical",))], "-"),  # not asserted
    ([rec("CONSULT")], "-"),
    ([], "-"),
])
# fmt: on
def test_acled_label(records: list[dict], label: str) -> None:
    assert peer_case.acled_label(records) == label


def make_task(tmp_path: Path) -> Path:
    path = tmp_path / peer_case.TASK2
    path.parent.mkdir(parents=True)
    rows = [
        ("1", "Police fired tear gas at students marching in Lahore.", "FORCE_AGAINST_PROTEST"),
        ("2", "Thousands marched peacefully through Accra on Sunday.", "PEACE_PROTEST"),
        ("3", "Floods swept away forty houses near the river.", "NATURAL_DISASTER"),
        ("4", "Warplanes bombed a market in the north of the country.", "AIR_STRIKE"),
    ]
    lines = ["id\tEventSnippet\tSubType"] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_case2021_runner_and_command(tmp_path: Path, capsys) -> None:
    shared = make_task(tmp_path)
    labels = {"Police": "FORCE_AGAINST_PROTEST", "Thousands": "VIOL_DEMONSTR", "Floods": "-"}

    def fake(article) -> list[dict]:
        label = labels.get(article.text.split()[0])
        table = {"FORCE_AGAINST_PROTEST": [rec("ASSAULT", "crowd-control")],
                 "VIOL_DEMONSTR": [rec("PROTEST", "riot")]}  # fmt: skip
        return table.get(label, [])

    report = peer_case.case2021(shared, code=fake)
    assert report.gold == ["FORCE_AGAINST_PROTEST", "PEACE_PROTEST", "NATURAL_DISASTER",
                           "AIR_STRIKE"]  # fmt: skip
    assert report.accuracy == pytest.approx(1 / 3)
    assert report.quiet_share() == (1, 1)
    assert report.per_label()["PEACE_PROTEST"] == (1, 0, 0)
    assert main(["peer", "case2021", "--shared", str(shared)]) == 0
    out = capsys.readouterr().out
    assert "CASE 2021 Task 2: 4 snippets, 3 of the 25 ACLED types" in out
    assert main(["peer", "case2021", "--shared", str(tmp_path / "none")]) == 2


@pytest.mark.skipif(not (SHARED / peer_case.TASK2).exists(), reason="shared CASE 2021 absent")
def test_real_case2021_task2() -> None:
    report = peer_case.case2021(SHARED)
    assert len(report.gold) == 1019
    assert report.accuracy >= 0.45 and report.macro_f1 >= 0.4  # 0.48 / 0.46 when written
    quiet, total = report.quiet_share()
    assert quiet / total >= 0.55
