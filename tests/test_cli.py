"""The pantau command as a user meets it: outputs, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from pantau.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_ID = ROOT / "examples" / "kazakhstan-2022-01-08.id.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_code_example_prints_jsonl_records(capsys):
    code, out, err = run(capsys, "code", str(EXAMPLE_ID), "--published", "2022-01-08")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) >= 8
    kinds = {r["event"][0] for r in records}
    assert {"SANCTION", "PROTEST", "COERCE", "REQUEST"} <= kinds
    assert all(r["article"]["lang"] == "id" for r in records)


def test_code_table_format(capsys):
    code, out, _ = run(capsys, "code", str(EXAMPLE_ID), "--format", "table")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["date", "event", "actor"]
    assert any("SANCTION/withdraw" in row for row in rows)


def test_code_reads_stdin(capsys, monkeypatch):
    text = "Polisi Kenya menangkap 40 pengunjuk rasa di Nairobi pada Jumat (7/1).\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, err = run(capsys, "code", "-", "--published", "2022-01-08")
    assert code == 0, err
    assert json.loads(out.splitlines()[0])["event"] == ["COERCE"]


def test_code_html_uses_main_text_and_page_date(capsys, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Protes di Nairobi</title>"
        '<meta property="article:published_time" content="2023-07-07"></head><body>'
        "<nav>Beranda | Politik | Dunia</nav><article><h1>Protes di Nairobi</h1>"
        "<p>Ribuan warga Kenya berunjuk rasa di Nairobi menentang kenaikan pajak.</p>"
        "<p>Polisi Kenya menembakkan gas air mata ke arah demonstran di pusat kota.</p>"
        "</article><footer>Bagikan: Facebook Twitter</footer></body></html>",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "code", str(page))
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["event"][0] for r in records} >= {"PROTEST", "ASSAULT"}
    assert records[0]["article"]["published"] == "2023-07-07"


def test_jsonl_bad_lines_are_reported_and_the_rest_coded(capsys, tmp_path):
    src = tmp_path / "batch.jsonl"
    good = {
        "id": "a1",
        "text": "Polisi Kenya menangkap 40 pengunjuk rasa di Nairobi.",
        "published": "2023-07-07",
        "lang": "id",
    }
    src.write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps({"id": "a3"}) + "\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "code", str(src), "--input-format", "jsonl")
    assert code == 0
    assert out.strip() and all(
        json.loads(line)["article"]["id"] == "a1" for line in out.splitlines()
    )
    assert "batch.jsonl:2" in err and "batch.jsonl:3" in err
    assert "Traceback" not in err

    code, _, err = run(capsys, "code", str(src), "--input-format", "jsonl", "--strict")
    assert code == 2 and "batch.jsonl:2" in err


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00junk" * 50, "binary"),
        (
            b"Der Bundestag hat heute ein neues Gesetz beschlossen, das die Mieten in den "
            b"grossen Staedten begrenzen soll und von der Opposition kritisiert wird.",
            "language",
        ),
    ],
)
def test_unusable_input_is_one_line_and_exit_2(capsys, tmp_path, content, needle):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "code", str(path))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pantau: ") and str(path) in lines[0]
    assert needle in lines[0].lower()


def test_missing_file_and_bad_date(capsys, tmp_path):
    code, _, err = run(capsys, "code", str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["code", str(EXAMPLE_ID), "--published", "8 Jan 2022"])
    assert exit_info.value.code == 2


def test_cp1252_text_is_decoded_with_a_note(capsys, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "Polisi Prancis menangkap 12 pengunjuk rasa di Paris pada Sabtu \u2013 kata "
        "juru bicara.".encode("cp1252")
    )
    code, out, err = run(capsys, "code", str(path), "--published", "2023-07-08")
    assert code == 0, err
    assert json.loads(out.splitlines()[0])["event"] == ["COERCE"]
    assert "cp1252" in err and "latin.txt" in err
