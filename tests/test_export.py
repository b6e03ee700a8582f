"""Exports that round-trip (GDELT, PLOVER JSONL, Parquet, CSV) and the query commands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pantau import store
from pantau.cli import main
from pantau.errors import UsageError
from pantau.export import GDELT_COLUMNS, export
from pantau.ingest import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "store"
GDELT_INT = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass"}
GDELT_INT |= {"NumMentions", "NumSources", "NumArticles", "DATEADDED"}
GDELT_INT |= {f"{g}Geo_Type" for g in ("Actor1", "Actor2", "Action")}
GDELT_FLOAT = {"FractionDate", "GoldsteinScale", "AvgTone", "ActionGeo_Lat", "ActionGeo_Long"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "events.db"
    ingest([str(FIXTURES / "kenya.jsonl"), str(FIXTURES / "wiki.csv")], path)
    return path


@pytest.fixture
def conn(db):
    return store.connect(db, readonly=True)


def test_gdelt_rows_have_61_typed_columns(conn, tmp_path):
    out = tmp_path / "events.tsv"
    count = export(conn, "gdelt", out)
    assert len(GDELT_COLUMNS) == 61
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == count == store.counts(conn)["events"]
    for line in lines:
        row = dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True))
        for col in GDELT_INT:
            assert row[col] == "" or int(row[col]) == int(row[col]), col
        for col in GDELT_FLOAT:
            assert row[col] == "" or float(row[col]) == float(row[col]), col
        assert row["EventRootCode"] == row["EventCode"][:2]
        assert 1 <= int(row["QuadClass"]) <= 4
        assert len(row["SQLDATE"]) == 8 and len(row["DATEADDED"]) == 14


def test_gdelt_row_of_the_nairobi_event(conn):
    from pantau.export import gdelt_rows
    from pantau.query import find_events

    [event] = find_events(conn, type="ASSAULT", country="KEN", search='"tear gas"')
    row = dict(zip(GDELT_COLUMNS, gdelt_rows(conn, [event])[0], strict=True))
    assert row["SQLDATE"] == "20240625"
    assert (row["Actor1Code"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == (
        "KENCOP",
        "KEN",
        "COP",
    )
    assert row["Actor2CountryCode"] == "KEN"
    assert row["ActionGeo_CountryCode"] == "KE"  # FIPS, not ISO
    assert row["ActionGeo_Type"] == 4  # a city outside the US
    assert row["ActionGeo_ADM1Code"].startswith("KE")
    assert row["ActionGeo_FullName"].startswith("Nairobi")
    assert (row["NumMentions"], row["NumArticles"], row["NumSources"]) == (4, 3, 3)
    assert row["EventCode"] == "175" and row["QuadClass"] == 4  # use tactics of repression
    assert row["GoldsteinScale"] < 0
    assert row["SOURCEURL"].startswith("https://")


def test_plover_jsonl_follows_the_record_contract(conn, tmp_path):
    out = tmp_path / "events.jsonl"
    export(conn, "plover-jsonl", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records
    for record in records:
        assert record["id"].startswith("ev-")
        assert isinstance(record["event"], list) and len(record["event"]) == 1
        assert isinstance(record["actor"], list) and isinstance(record["recipient"], list)
        assert {"date", "date_precision", "sentence", "text_info", "article"} <= set(record)
        assert record["fused"]["num_mentions"] == len(record["fused"]["mentions"])


def test_mentions_export_is_the_stored_records(conn, tmp_path):
    out = tmp_path / "mentions.jsonl"
    count = export(conn, "plover-jsonl", out, mentions=True)
    assert count == store.counts(conn)["mentions"]
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["id"].startswith("evt-") and first["version"] == "pantau-1"


def test_parquet_reads_back(conn, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    count = export(conn, "parquet", out)
    table = pq.read_table(out)
    assert table.num_rows == count
    assert str(table.schema.field("num_mentions").type) == "int64"
    assert str(table.schema.field("confidence").type) == "double"
    assert str(table.schema.field("id").type) == "string"
    assert sum(table.column("num_mentions").to_pylist()) == store.counts(conn)["mentions"]
    export(conn, "parquet", tmp_path / "mentions.parquet", mentions=True)
    mentions = pq.read_table(tmp_path / "mentions.parquet")
    assert str(mentions.schema.field("id").type) == "int64"


def test_csv_has_a_header_and_filters_apply(conn, tmp_path):
    out = tmp_path / "events.csv"
    count = export(conn, "csv", out, country="BOL")
    with out.open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert len(table) == count > 0
    assert all("BOL" in (r["country"], r["actor_codes"], r["recipient_codes"]) for r in table)


@pytest.mark.parametrize(
    "fmt, kwargs, message",
    [
        ("xml", {}, "unknown export format"),
        ("parquet", {}, "give an output file"),
        ("gdelt", {"mentions": True}, "one row per event"),
    ],
)
def test_export_usage_errors(conn, fmt, kwargs, message):
    with pytest.raises(UsageError, match=message):
        export(conn, fmt, None, **kwargs)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_events_event_and_stats(db, capsys):
    code, out, _ = run(capsys, "events", "--db", str(db), "--type", "ASSAULT", "--place", "nairobi")
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["id", "date", "event"]
    assert any("ASSAULT/crowd-control" in line for line in lines)
    event_id = next(line.split()[0] for line in lines if "crowd-control" in line)

    code, out, _ = run(capsys, "event", event_id[:9], "--db", str(db))
    assert code == 0
    assert "4 mentions in 3 articles from 3 sources" in out
    assert "near-duplicate of article" in out
    assert "https://eastafrica-ledger.com/news/kenya-police-tear-gas-nairobi" in out

    code, out, _ = run(
        capsys, "events", "--db", str(db), "--format", "jsonl", "--since", "2024-01-01"
    )
    assert code == 0
    assert all(json.loads(line)["date"] >= "2024-01-01" for line in out.splitlines())

    code, out, _ = run(capsys, "stats", "--db", str(db), "--by", "country")
    assert code == 0
    assert out.splitlines()[0].startswith("7 articles (1 near-duplicates)")
    assert any(line.split()[0] == "KEN" for line in out.splitlines()[2:])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["events", "--db", "{missing}"], "no such database"),
        (["event", "ev-000000000000", "--db", "{db}"], "no such event"),
        (["events", "--db", "{db}", "--search", '"unbalanced'], "bad search query"),
        (["export", "--format", "parquet", "--db", "{db}"], "give an output file"),
    ],
)
def test_cli_store_errors_are_one_line(db, tmp_path, capsys, argv, message):
    argv = [a.format(db=db, missing=tmp_path / "none.db") for a in argv]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("pantau: ") and message in err and err.count("\n") == 1


def test_cli_export_to_file(db, tmp_path, capsys):
    out = tmp_path / "e.tsv"
    code, _, err = run(capsys, "export", "--format", "gdelt", "--db", str(db), "-o", str(out))
    assert code == 0 and "wrote" in err
    assert all(len(line.split("\t")) == 61 for line in out.read_text().splitlines())
