"""Batch coding (pantau.batch): same records as coding one by one, whatever the number of
workers; the Parquet schema holds every record field; the output round-trips into the store."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pantau.batch import COLUMNS, RECORD_FIELDS, code_batch, read_batch
from pantau.cli import main
from pantau.errors import InputError, UsageError
from pantau.ingest import ingest
from pantau.pipeline import code_article
from pantau.read import iter_articles

CORPUS = Path(__file__).parent / "fixtures" / "batch" / "corpus.jsonl"
EXAMPLES = Path(__file__).parents[1] / "examples"


def sequential(path: Path) -> list[dict]:
    """Records of every article of ``path`` coded one by one, skipping what cannot be."""
    records = []
    for item in iter_articles(str(path), "jsonl"):
        if isinstance(item, InputError):
            continue
        try:
            records.extend(code_article(item))
        except InputError:
            continue
    return records


def batch_records(path: Path) -> list[dict]:
    return [record for _, records in read_batch(path) for record in records]


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("batch") / "one.parquet"
    return out, code_batch([str(CORPUS)], out, workers=1)


def test_batch_equals_sequential_coding(one_worker) -> None:
    out, report = one_worker
    expected = sequential(CORPUS)
    assert batch_records(out) == expected
    assert report.articles == 6 and report.records == len(expected) == 13
    assert report.skipped == {"input": 1, "language": 1}
    assert any("German" in reason for reason in report.examples["language"])


def test_output_does_not_depend_on_the_number_of_workers(one_worker, tmp_path) -> None:
    out, _ = one_worker
    two = tmp_path / "two.parquet"
    report = code_batch([str(CORPUS)], two, workers=2)
    assert report.records == 13
    assert two.read_bytes() == out.read_bytes()


def test_rows_carry_the_article(one_worker) -> None:
    out, _ = one_worker
    table = pq.read_table(out)
    assert table.schema.names == list(COLUMNS)
    row = table.slice(0, 1).to_pylist()[0]
    assert row["article_source"] == f"{CORPUS}:1"
    assert row["article_text"].startswith("HONG KONG - Ribuan")
    articles = [article for article, _ in read_batch(out)]
    assert [a.id for a in articles] == [
        "id-hk-1",
        "id-papua-1",
        "en-aramco-1",
        "en-chile-1",
        "id-kbri-1",
        "en-kabul-1",
    ]
    assert articles[2].lang == "en" and str(articles[2].published) == "2019-09-15"


@pytest.mark.parametrize("name", ["kazakhstan-2022-01-08.id.txt", "kazakhstan-2022-01-08.en.txt"])
def test_schema_holds_every_record_field(name: str, tmp_path) -> None:
    """A record field missing from the schema would be dropped silently: a new field
    must be added to RECORD_FIELDS and schema() (this test fails until it is)."""
    day = dt.date(2022, 1, 8)
    out = tmp_path / "x.parquet"
    code_batch([str(EXAMPLES / name)], out, workers=1, published=day)
    (article,) = iter_articles(str(EXAMPLES / name), published=day)
    direct = code_article(article)
    assert len(direct) > 5
    for record in direct:
        assert tuple(record) == RECORD_FIELDS
    back = batch_records(out)
    # equal as JSON text too: the store keeps json.dumps(record)
    assert [json.dumps(r) for r in back] == [json.dumps(r) for r in direct]


def test_round_trip_into_the_store(one_worker, tmp_path) -> None:
    out, _ = one_worker
    via_batch, direct = tmp_path / "batch.db", tmp_path / "direct.db"
    report = ingest([str(out)], via_batch)
    assert report.coded == 6 and report.mentions == 13
    ingest([str(CORPUS)], direct)

    def dump(db: Path, sql: str) -> list[tuple]:
        with sqlite3.connect(db) as conn:
            return sorted(conn.execute(sql).fetchall())

    mentions = (
        "SELECT a.ext_id, a.source, a.lang, a.outlet, m.record_json "
        "FROM mentions m JOIN articles a ON a.id = m.article_id"
    )
    events = "SELECT id, block, num_mentions, num_articles, num_sources, date FROM events"
    assert dump(via_batch, mentions) == dump(direct, mentions)
    assert dump(via_batch, events) == dump(direct, events)
    assert ingest([str(out)], via_batch).already == 6  # stored once


def test_ingest_refuses_parquet_that_is_not_batch_output(tmp_path) -> None:
    import pyarrow as pa

    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1]}), other)
    with pytest.raises(InputError, match="not pantau batch output"):
        read_batch(other)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="not a readable Parquet"):
        read_batch(broken)


def test_bad_arguments(tmp_path) -> None:
    with pytest.raises(UsageError):
        code_batch([], tmp_path / "x.parquet")
    with pytest.raises(UsageError):
        code_batch([str(CORPUS)], tmp_path / "x.parquet", workers=-1)
    with pytest.raises(UsageError, match="is a folder"):
        code_batch([str(CORPUS)], tmp_path)
    with pytest.raises(InputError, match="no such file"):
        code_batch([str(tmp_path / "missing.jsonl")], tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


def test_cli_batch_then_ingest(tmp_path, capsys) -> None:
    out = tmp_path / "out.parquet"
    assert main(["batch", str(CORPUS), "--out", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "13 records from 6 articles" in err and "skipped, language: 1" in err
    assert main(["ingest", str(out), "--db", str(tmp_path / "s.db"), "--no-progress"]) == 0
    assert "coded 6 new articles (13 mentions)" in capsys.readouterr().out
    assert main(["batch", str(out), "--out", str(tmp_path / "again.parquet")]) == 2
    assert "already coded" in capsys.readouterr().err


# Workers are separate processes, each with its own string-hash seed, and pantau's
# fast paths replace library loaders: the records must not depend on either.

SEEDED = """
import datetime as dt, json
from pantau.document import Article
from pantau.pipeline import code_article
text = "Ribuan pengunjuk rasa berkumpul di depan kantor gubernur di Jakarta pada Senin (12/8)."
article = Article(id="x", text=text, lang="id", published=dt.date(2019, 8, 13))
print(json.dumps(code_article(article)))
"""


def test_records_do_not_depend_on_the_hash_seed() -> None:
    """Two patterns of one rule match at the same word through different index keys
    ("pengunjuk" and its lemma "unjuk"); the longer match wins in every process."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SEEDED], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert [r["event_text"] for r in outputs[0]] == ["pengunjuk rasa berkumpul"]


def test_language_model_loads_as_py3langid_loads_it() -> None:
    np = pytest.importorskip("numpy")
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pantau.language import _identifier

    ours, theirs = _identifier(), LanguageIdentifier.from_model_file(MODEL_FILE)
    assert ours.tk_nextmove == theirs.tk_nextmove and ours.tk_row == theirs.tk_row
    assert ours.tk_output == theirs.tk_output and ours.nb_classes == theirs.nb_classes
    assert np.array_equal(ours.nb_ptc, theirs.nb_ptc) and np.array_equal(ours.nb_pc, theirs.nb_pc)
    for text in ("Polisi menangkap tiga orang.", "Die Polizei nahm drei Menschen fest."):
        assert ours.classify(text) == theirs.classify(text)


def test_ingest_command_with_format_parquet(one_worker, tmp_path, capsys) -> None:
    out, _ = one_worker
    copy = tmp_path / "coded.data"  # a name that tells nothing: the format does
    copy.write_bytes(Path(out).read_bytes())
    db = tmp_path / "store.db"
    assert main(["ingest", str(copy), "--format", "parquet", "--db", str(db),
                 "--no-progress"]) == 0  # fmt: skip
    assert "coded 6 new articles (13 mentions)" in capsys.readouterr().out
