"""Golden tests per stage on the example articles the project ships.

For each ``examples/*.txt`` there is ``tests/golden/<name>.json`` holding what
each stage produced when a person last checked it: sentences, actor/place/
date/number spans, and the records (summarised). A change in any stage shows
up as a named section. After an intended change, regenerate with

    PANTAU_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and review the diff (git diff tests/golden) before committing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from pantau.document import Article, Document
from pantau.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"
AUX = ("negation", "hypothetical", "future", "historical")


def _published(path: Path) -> dt.date:
    return dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", path.name).group())


def stage_outputs(doc: Document) -> dict:
    def spans(kind: str, keys: tuple[str, ...]) -> list:
        return [[s.text] + [s.data.get(k) for k in keys] for s in doc.spans if s.kind == kind]

    return {
        "language": doc.lang,
        "dateline": doc.dateline.text if doc.dateline else None,
        "sentences": [s.text for s in doc.sentences],
        "actors": spans("actor", ("code", "sector")),
        "places": spans("place", ("name", "country", "precision")),
        "dates": spans("date", ("date", "precision")),
        "numbers": spans("number", ("field", "value")),
        "records": [
            {
                "event": r["event"][0],
                "mode": (r["mode"] or [None])[0],
                "actor": [e["code"] for e in r["actor"]],
                "recipient": [e["code"] for e in r["recipient"]],
                "aux": [c for c in r["context"] if c in AUX],
                "date": r["date"],
                "place": (r["event_loc"] or {}).get("name"),
                "signals": r["signals"],
                "trigger": r["event_text"],
            }
            for r in doc.records
        ],
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
@pytest.mark.parametrize(
    "section",
    ["language", "dateline", "sentences", "actors", "places", "dates", "numbers", "records"],
)
def test_stage_matches_golden(path: Path, section: str):
    text = path.read_text(encoding="utf-8")
    doc = process(Article(id=path.stem, text=text, source=str(path), published=_published(path)))
    got = stage_outputs(doc)
    golden_file = GOLDEN / f"{path.stem}.json"
    if os.environ.get("PANTAU_UPDATE_GOLDEN"):
        golden_file.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(golden_file.read_text(encoding="utf-8"))
    assert got[section] == expected[section]


def test_every_example_has_a_golden_file():
    assert EXAMPLES
    for path in EXAMPLES:
        assert (GOLDEN / f"{path.stem}.json").exists(), path.name
