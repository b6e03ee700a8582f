"""CI floors: the coder scored against the shared gold files (skipped without ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pantau.eval_report import check_floors
from pantau.evaluate import evaluate
from pantau.pipeline import code_article

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT.parent / "shared" / "golden"


@pytest.mark.skipif(not GOLDEN.is_dir(), reason="../shared/golden is not here")
def test_gold_figures_meet_the_floors():
    floors = yaml.safe_load((ROOT / "eval-floors.yaml").read_text(encoding="utf-8"))
    report = evaluate(GOLDEN, code_article)
    assert check_floors(report, floors) == []
