"""The Spark engine (pantau.spark) on local[2]: the same records as the local engine, read
back and stored the same way. Skipped when pyspark or a Java runtime is missing."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

from pantau.batch import code_batch, read_batch  # noqa: E402
from pantau.errors import InputError, UsageError  # noqa: E402
from pantau.ingest import ingest  # noqa: E402
from pantau.spark import code_spark  # noqa: E402

CORPUS = Path(__file__).parent / "fixtures" / "batch" / "corpus.jsonl"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("pantau tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def outputs(spark, tmp_path_factory):
    """The corpus twice (two files, so lines of several files meet in one partition),
    coded by both engines."""
    folder = tmp_path_factory.mktemp("spark")
    inputs = [folder / "a.jsonl", folder / "b.jsonl"]
    for path in inputs:
        shutil.copy(CORPUS, path)
    local = folder / "local.parquet"
    code_batch([str(p) for p in inputs], local, workers=1)
    remote = folder / "spark"
    report = code_spark([str(p) for p in inputs], str(remote), spark=spark, partitions=3)
    return local, remote, report


def articles(path: Path) -> list[tuple]:
    return [(a.source, a.id, a.text, a.outlet, records) for a, records in read_batch(path)]


def test_spark_equals_the_local_engine(outputs) -> None:
    local, remote, report = outputs
    assert sorted(remote.glob("part-*.parquet"))
    assert articles(remote) == articles(local)  # sorted by file and line, like the input
    assert report.articles == 12 and report.records == 26
    assert dict(report.skipped) == {"input": 2, "language": 2}


def test_spark_output_goes_into_the_store(outputs, tmp_path) -> None:
    _, remote, _ = outputs
    report = ingest([str(remote)], tmp_path / "s.db")
    # the second file repeats the first: same text, already stored
    assert (report.coded, report.already, report.mentions) == (6, 6, 13)


def test_spark_refuses_what_it_cannot_read(spark, tmp_path) -> None:
    csv = tmp_path / "wiki.csv"
    csv.write_text("url,date,title,text\n", encoding="utf-8")
    with pytest.raises(UsageError, match="reads JSONL"):
        code_spark([str(csv)], str(tmp_path / "out"), spark=spark)
    with pytest.raises(InputError, match="no such file"):
        code_spark([str(tmp_path / "missing.jsonl")], str(tmp_path / "out"), spark=spark)


def test_spark_codes_with_user_dictionaries(spark, tmp_path) -> None:
    verbs = tmp_path / "verbs.txt"
    verbs.write_text("--- LAUD  [051] ---\nLAUD {LAUDED}\n", encoding="utf-8")
    corpus = tmp_path / "c.jsonl"
    text = "Chile lauded Peru on Monday for its help after the floods."
    corpus.write_text(f'{{"id": "a", "lang": "en", "published": "2024-03-05", "text": "{text}"}}\n')
    out = tmp_path / "out"
    code_spark([str(corpus)], str(out), spark=spark, dictionaries=[str(verbs)])
    records = [r for _, recs in read_batch(out) for r in recs]
    assert any(r["cameo"] == "051" and "user:verbs.txt" in r["coder"] for r in records)
    with pytest.raises(Exception, match="cannot read"):
        code_spark([str(corpus)], str(out), spark=spark, dictionaries=[str(tmp_path / "no")])
