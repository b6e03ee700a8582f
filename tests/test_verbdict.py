"""User verb dictionaries in PETRARCH format (pantau.verbdict): reading and coding.

The dictionary and sentences are written here; the countries are real ones pantau knows.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pantau import userdict, verbdict
from pantau.cli import main
from pantau.document import Article
from pantau.errors import DataError
from pantau.pipeline import code_article

VERBS = """\
<!-- a test verb dictionary -->
ORPHAN

&TIEKINDS
+MILITARY
+TRADE
+&MORETIES

&MORETIES_
+CULTURAL

--- COMMEND  [051] ---
COMMEND
LAUD {LAUDED LAUDS}
- NOT * [111]   # a negated commendation is a criticism here

--- RESTORE  [---] ---
RESTORE
- * &TIEKINDS TIES [064]

--- VISIT  [042:043] ---
VISIT

--- FIRE  [---] ---
FIRE
- * ROCKETS AT + [195]

--- ATTACK  [---] ---
ATTACK

--- HAND  [---] ---
+HAND_OVER {+HANDED_OVER +HANDING_OVER}  [070]

- * NOTHING
"""


@pytest.fixture
def verbs_file(tmp_path: Path) -> Path:
    path = tmp_path / "verbs.txt"
    path.write_text(VERBS, encoding="utf-8")
    return path


def triples(text: str, *dicts: verbdict.VerbDictionary) -> set[tuple]:
    article = Article(id="t", text=text, lang="en", published=dt.date(2024, 3, 5))
    with verbdict.using(*dicts):
        records = code_article(article)
    return {
        (
            r["event"][0],
            r["cameo"],
            tuple(a["code"] for a in r["actor"]),
            tuple(x["code"] for x in r["recipient"]),
        )
        for r in records
    }


def test_reads_blocks_forms_patterns_and_problems(verbs_file: Path) -> None:
    found = verbdict.load(verbs_file)
    names = [b.name for b in found.blocks]
    assert names == ["COMMEND", "RESTORE", "VISIT", "FIRE", "ATTACK", "HAND"]
    commend = found.blocks[0]
    assert {"laud", "lauded", "lauds", "lauding"} <= commend.forms[1].verb
    assert commend.code.forward.event == "SUPPORT" and commend.patterns[0].code.text == "111"
    restore = found.blocks[1]
    assert restore.code.forward is None  # [---]: coded only through a pattern
    ties = restore.patterns[0].after
    assert {"military", "trade", "cultural"} <= next(e.words for e in ties if e.words)
    visit = found.blocks[2].code
    assert (visit.forward.spec["cameo"], visit.reverse.spec["cameo"]) == ("042", "043")
    hand = found.blocks[5].forms[0]
    assert hand.after == ("over",) and "handed" in hand.verb and hand.code.text == "070"
    assert len(found.problems) == 2
    assert any("pattern without [code]" in p for p in found.problems)
    assert all(p.startswith("verbs.txt:") for p in found.problems)


def test_not_a_verb_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "actors.txt"
    path.write_text("NORLAND [NRL]\n", encoding="utf-8")
    assert not verbdict.is_verb_dictionary(path.read_text())
    with pytest.raises(DataError, match="no verb blocks"):
        verbdict.load(path)
    with pytest.raises(DataError, match="cannot read"):
        verbdict.load(tmp_path / "missing.txt")


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # the block's code, on an irregular form and a regular one
    ("Chile lauded Peru on Monday.", {("SUPPORT", "051", ("CHL",), ("PER",))}),
    ("Chile commends Peru.", {("SUPPORT", "051", ("CHL",), ("PER",))}),
    # a pattern before the verb overrides the code
    ("Chile did not commend Peru.", {("ACCUSE", "111", ("CHL",), ("PER",))}),
    # a pattern with a synset after the verb; [---] alone codes nothing
    ("Chile restored trade ties with Peru.", {("COOPERATE", "064", ("CHL",), ("PER",))}),
    ("Chile restored cultural ties with Peru.", {("COOPERATE", "064", ("CHL",), ("PER",))}),
    # [a:b]: the act and its reverse
    ("Chile visited Peru.", {("CONSULT", "042", ("CHL",), ("PER",)),
                             ("CONSULT", "043", ("PER",), ("CHL",))}),
    # "+" names the target: the actor right after "at"
    ("Chile fired rockets across the border at Peru.",
     {("ASSAULT", "195", ("CHL",), ("PER",))}),
    # a multiword verb with its own code
    ("Chile handed over aid to Peru.", {("AID", "070", ("CHL",), ("PER",))}),
    # compound actors and recipients
    ("Chile, Peru and Bolivia lauded Ecuador and Colombia.",
     {("SUPPORT", "051", ("CHL", "PER", "BOL"), ("ECU", "COL"))}),
])
# fmt: on
def test_user_verbs_code_sentences(verbs_file: Path, text: str, expected: set) -> None:
    assert triples(text, verbdict.load(verbs_file)) == expected


def test_user_verb_replaces_builtin_trigger(verbs_file: Path) -> None:
    text = "Chile attacked Peru on Monday."
    assert {t[0] for t in triples(text)} == {"ASSAULT"}  # pantau's own trigger
    assert triples(text, verbdict.load(verbs_file)) == set()  # the user's [---]


def test_inactive_outside_the_block(verbs_file: Path) -> None:
    found = verbdict.load(verbs_file)
    with verbdict.using(found):
        assert verbdict.active() == (found,)
    assert verbdict.active() == ()
    assert not any(t[1] == "051" for t in triples("Chile lauded Peru."))


def test_load_any_sorts_files_by_content(verbs_file: Path, tmp_path: Path) -> None:
    actors = tmp_path / "actors.txt"
    actors.write_text("NORLAND [NRL]\n+NORLANDIC\n", encoding="utf-8")
    found_actors, found_verbs = userdict.load_any([actors, verbs_file])
    assert [Path(d.path).name for d in found_actors] == ["actors.txt"]
    assert [Path(d.path).name for d in found_verbs] == ["verbs.txt"]
    with userdict.using_files([actors, verbs_file]) as problems:
        assert len(problems) == 2
        assert triples("Norland lauded Peru.") == {("SUPPORT", "051", ("NRL",), ("PER",))}


def test_cli_code_with_dictionaries(verbs_file: Path, tmp_path: Path, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Chile lauded Peru on Monday for its help after the floods.\n")
    assert main(["code", str(article), "--lang", "en", "--published", "2024-03-05",
                 "--dict", str(verbs_file)]) == 0  # fmt: skip
    out = capsys.readouterr()
    assert '"cameo": "051"' in out.out and "user:verbs.txt/commend" in out.out
    assert "dictionary line skipped" in out.err
    assert main(["code", str(article), "--dict", str(tmp_path / "none.txt")]) == 3
    assert "cannot read" in capsys.readouterr().err


def test_ingest_and_batch_use_the_dictionaries(verbs_file: Path, tmp_path: Path, capsys) -> None:
    import sqlite3

    import pyarrow.parquet as pq

    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": f"a{i}", "lang": "en", "published": "2024-03-05",
             "text": f"Chile lauded Peru on Monday for its help after the floods number {i}."}
            for i in range(3)]  # fmt: skip
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "store.db"
    assert main(["ingest", str(corpus), "--db", str(db), "--dict", str(verbs_file),
                 "--no-progress"]) == 0  # fmt: skip
    with sqlite3.connect(db) as con:
        cameos = {c for (c,) in con.execute("SELECT cameo FROM mentions")}
    assert "051" in cameos
    for workers in ("1", "2"):
        out = tmp_path / f"batch{workers}.parquet"
        assert main(["batch", str(corpus), "--out", str(out), "--workers", workers,
                     "--dict", str(verbs_file), "--no-progress"]) == 0  # fmt: skip
        coders = pq.read_table(out).column("coder").to_pylist()
        assert any("user:verbs.txt/commend" in c for c in coders), coders
    assert verbdict.active() == ()
    capsys.readouterr()
    assert main(["batch", str(corpus), "--out", str(tmp_path / "x.parquet"),
                 "--dict", str(tmp_path / "missing.txt")]) == 3  # fmt: skip


def test_actors_check_reads_a_verb_dictionary(verbs_file: Path, capsys) -> None:
    assert main(["actors", "check", str(verbs_file)]) == 1  # two lines skipped
    out = capsys.readouterr()
    assert "6 verb blocks, 3 patterns" in out.out and "pattern without [code]" in out.err


def test_serve_codes_posted_articles_with_the_dictionaries(
    verbs_file: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    import uvicorn
    from fastapi.testclient import TestClient

    from pantau import store

    db = tmp_path / "store.db"
    store.connect(db).close()
    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app))
    monkeypatch.setenv("PANTAU_TOKEN", "tok-12345678")
    try:
        assert main(["serve", "--db", str(db), "--port", "8765", "--dict", str(verbs_file)]) == 0
        client = TestClient(served["app"])
        body = {"text": "Chile lauded Peru on Monday for its help after the floods.",
                "lang": "en", "published": "2024-03-05"}  # fmt: skip
        auth = {"Authorization": "Bearer tok-12345678"}
        got = client.post("/api/articles", json=body, headers=auth)
        assert got.status_code == 201, got.text
        with store.connect(db) as conn:
            cameos = {c for (c,) in conn.execute("SELECT cameo FROM mentions")}
        assert "051" in cameos
    finally:
        userdict.activate()
        verbdict.activate()


def test_a_later_verb_dictionary_wins(verbs_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("--- LAUD  [057] ---\nLAUD {LAUDED}\n", encoding="utf-8")
    first, second = verbdict.load(verbs_file), verbdict.load(other)
    assert triples("Chile lauded Peru.", first, second) == {("SUPPORT", "057", ("CHL",), ("PER",))}
    assert triples("Chile lauded Peru.", second, first) == {("SUPPORT", "051", ("CHL",), ("PER",))}
