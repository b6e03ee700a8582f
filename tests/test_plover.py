"""Tests for pantau.plover: the PLOVER/CAMEO reference tables.

The first half checks the packaged data on its own; the second half checks it
against the source documents in /work/shared/peer and skips when they are absent.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pycountry
import pytest

from pantau import plover
from pantau.errors import DataError
from pantau.lexicon import data_file

PLOVER_TYPES = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]  # fmt: skip

PEER = Path("/work/shared/peer")
MANUAL = PEER / "plover" / "PLOVER_MANUAL.tex"
CROSSWALK = PEER / "plover" / "CAMEO2PLOVER-2021.txt"
CODEBOOK = PEER / "cameo" / "cameo-codes.csv"
GDELT = PEER / "cameo" / "CAMEO.goldsteinscale.txt"

# (event, mode) pairs whose CAMEO code converts back to another type: ADVISE is not
# PLOVER (its codes are dropped statements/appeals), resign is CAMEO 0831 (CONCEDE).
CROSS_TYPE = {("RETREAT", "resign")} | {
    ("ADVISE", m) for m in (None, "advisory", "avoid", "shelter", "leave", "register")
}


def _pairs() -> list[tuple[str, str | None]]:
    return [(e, None) for e in plover.event_types()] + [
        (e, m) for e in plover.event_types() for m in plover.modes(e)
    ]


def test_event_types_are_plover_plus_advise() -> None:
    assert plover.event_types() == PLOVER_TYPES + ["ADVISE"]


@pytest.mark.parametrize("event,mode", _pairs())
def test_every_type_and_mode_has_quad_scale_and_known_cameo(event: str, mode: str | None) -> None:
    assert plover.quad_code(event) in (1, 2, 3, 4)
    assert -10.0 <= plover.event_scale(event, mode) <= 10.0
    code = plover.cameo_code(event, mode)
    assert plover.cameo_name(code) is not None, f"{event}/{mode}: CAMEO {code} not in table"
    assert plover.goldstein(code) is not None


@pytest.mark.parametrize("event,mode", [p for p in _pairs() if p not in CROSS_TYPE])
def test_chosen_cameo_code_converts_back_to_same_type(event: str, mode: str | None) -> None:
    back = plover.cameo_to_plover(plover.cameo_code(event, mode))
    assert back is not None and back[0] == event


@pytest.mark.parametrize(
    "event,quad",
    [("AGREE", 1), ("CONSULT", 1), ("SUPPORT", 1), ("CONCEDE", 1), ("COOPERATE", 2), ("AID", 2),
     ("RETREAT", 2), ("REQUEST", 3), ("ACCUSE", 3), ("REJECT", 3), ("THREATEN", 3),
     ("PROTEST", 4), ("SANCTION", 4), ("MOBILIZE", 4), ("COERCE", 4), ("ASSAULT", 4),
     ("ADVISE", 3)],
)  # fmt: skip
def test_quad_code(event: str, quad: int) -> None:
    assert plover.quad_code(event) == quad


@pytest.mark.parametrize(
    "event,mode,scale,cameo",
    [
        # spec/events.md cases
        ("SANCTION", "withdraw", -6.0, "161"),
        ("COERCE", "withhold", -7.0, "172"),
        ("COERCE", "curfew", -6.5, "1723"),
        ("COERCE", "martial-law", -7.5, "1724"),
        ("COERCE", "restrict", -7.0, "172"),
        ("MOBILIZE", "police", -5.5, "153"),
        ("MOBILIZE", "troops", -6.5, "154"),
        ("REQUEST", "assist", 0.5, "103"),
        ("ADVISE", None, -1.0, "012"),
        ("ADVISE", "leave", -1.0, "020"),
        # unrest and crackdown codes the monitor leans on
        ("PROTEST", "demo", -5.0, "141"),
        ("PROTEST", "riot", -7.0, "145"),
        ("ASSAULT", "crowd-control", -7.5, "175"),
        ("COERCE", "arrest", -7.0, "173"),
        ("ASSAULT", "firearms", -9.0, "193"),
        ("RETREAT", "resign", 4.5, "0831"),
        ("RETREAT", "disarm", 10.0, "0873"),
        ("CONSULT", "phone", 1.5, "041"),
        ("ACCUSE", None, -3.0, "110"),
        ("PROTEST", "vandalize", -6.0, "145"),
    ],
)
def test_scale_and_cameo_spot_checks(
    event: str, mode: str | None, scale: float, cameo: str
) -> None:
    assert plover.event_scale(event, mode) == scale
    assert plover.cameo_code(event, mode) == cameo


@pytest.mark.parametrize("mode", ["advisory", "avoid", "shelter", "leave", "register"])
def test_advise_modes_all_quad3_scale_minus1(mode: str) -> None:
    assert plover.is_valid("ADVISE", mode)
    assert plover.quad_code("ADVISE") == 3
    assert plover.event_scale("ADVISE", mode) == -1.0


@pytest.mark.parametrize(
    "event,mode,expected",
    [
        ("SANCTION", "withdraw", True),
        ("sanction", "Withdraw", True),  # case-blind
        ("COERCE", None, True),
        ("COERCE", "", True),  # empty mode = no mode
        ("AGREE", "visit", False),  # AGREE has no modes
        ("COERCE", "riot", False),
        ("FIGHT", None, False),  # pre-0.8 name, merged into ASSAULT
        ("DEMAND", None, False),  # pre-0.8 name, now REQUEST
    ],
)
def test_is_valid(event: str, mode: str | None, expected: bool) -> None:
    assert plover.is_valid(event, mode) is expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: plover.quad_code("FIGHT"),
        lambda: plover.event_scale("PROTEST", "firearms"),
        lambda: plover.cameo_code("ASSAULT", "demo"),
        lambda: plover.modes("NOPE"),
    ],
)
def test_unknown_event_or_mode_raises(call) -> None:
    with pytest.raises(DataError):
        call()


@pytest.mark.parametrize(
    "cameo,expected",
    [
        ("161", -4.0),
        ("016", -5.0),  # CAMEO codebook value; GDELT has -2
        ("0874", 10.0),
        ("1823", -10.0),
        ("057", 8.0),
        (" 141 ", -6.5),
        ("999", None),
        ("", None),
    ],
)
def test_goldstein(cameo: str, expected: float | None) -> None:
    assert plover.goldstein(cameo) == expected


@pytest.mark.parametrize(
    "cameo,expected",
    [
        ("141", ("PROTEST", "demo")),
        ("145", ("PROTEST", "riot")),
        ("1724", ("COERCE", "martial-law")),
        ("161", ("SANCTION", "withdraw")),
        ("042", ("CONSULT", "visit")),
        ("0874", ("RETREAT", "disarm")),
        ("190", ("ASSAULT", None)),
        ("1712", ("ASSAULT", "destroy")),  # crosswalk wrote 'seize'
        ("186", ("ASSAULT", "targeted")),  # crosswalk wrote 'assassinate'
        ("163", ("SANCTION", "discontinue")),  # manual overrides crosswalk's COERCE
        ("116", ("SANCTION", "convict")),
        ("08", ("CONCEDE", None)),
        ("010", None),  # statements: dropped by PLOVER
        ("0233", None),  # appeals: dropped by PLOVER
        ("9999", None),
    ],
)
def test_cameo_to_plover(cameo: str, expected: tuple[str, str | None] | None) -> None:
    assert plover.cameo_to_plover(cameo) == expected


def test_cameo_table_rows_are_consistent() -> None:
    contexts = set(plover.contexts())
    rows = data_file("cameo.tsv")
    assert len(rows) == 312
    for row in rows:
        code = row["code"]
        root = int(code[:2])
        gdelt_quad = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        assert int(row["quad"]) == gdelt_quad == plover.cameo_quad(code), code
        mapped = plover.cameo_to_plover(code)
        if root <= 2:
            assert mapped is None, code
        else:
            assert mapped is not None and plover.is_valid(*mapped), (code, mapped)
        for ctx in filter(None, row["plover_context"].split(";")):
            assert ctx in contexts, (code, ctx)


def test_contexts_and_auxiliary_modes() -> None:
    ctx = plover.contexts()
    assert len(ctx) == len(set(ctx)) == 37
    assert {"diplomatic", "military", "pro_democracy", "repression", "cyber"} <= set(ctx)
    assert plover.auxiliary_modes() == ["hypothetical", "future", "historical", "negation"]
    assert not set(plover.auxiliary_modes()) & set(ctx)


def test_sectors_cover_contract() -> None:
    contract = "GOV MIL COP JUD LEG CVL OPP REB JRN BUS MED EDU REL LAB REF UNK UAF IGO NGO SPY CRM"
    assert set(contract.split()) <= plover.sectors()
    assert all(len(s) == 3 and s.isupper() for s in plover.sectors())


def test_igo_codes() -> None:
    wanted = "UNO EUR NATO CSTO ASEAN OIC AU ARL ICRC INTERPOL AMNESTY HRW IMF WB"
    assert set(wanted.split()) <= plover.igo_codes()
    # An organisation code must never be read as a country.
    assert not plover.igo_codes() & {c.alpha_3 for c in pycountry.countries}
    for code in plover.igo_codes():
        assert plover.entity_sector(code) in plover.sectors()
    assert plover.entity_sector("UNO") == "IGO"
    assert plover.entity_sector("HRW") == "NGO"
    assert plover.entity_sector("USA") is None


# --- against the source documents ----------------------------------------------------------

needs_peer = pytest.mark.skipif(not PEER.is_dir(), reason="/work/shared/peer not available")


def _manual() -> str:
    return MANUAL.read_text(encoding="utf-8")


def _manual_sections() -> dict[str, str]:
    parts = re.split(r"\\section\{([A-Z]+)\}", _manual())
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2) if parts[i] in PLOVER_TYPES}


@needs_peer
@pytest.mark.parametrize("event", PLOVER_TYPES)
def test_modes_match_manual_tables(event: str) -> None:
    body = _manual_sections()[event]
    table = re.search(r"\\caption\{[^\n]*modes.*?\\end\{tabular\}", body, re.S)
    names: list[str] = []
    if table:
        for line in table.group(0).splitlines():
            line = line.strip()
            if "&" in line and not line.startswith("%"):
                name = line.split("&")[0].strip()
                if name and name != "Name":
                    names.append(name)
    assert plover.modes(event) == names


@needs_peer
@pytest.mark.parametrize("event", PLOVER_TYPES)
def test_quad_matches_manual_section(event: str) -> None:
    label = re.search(r"Quad category: ([A-Z ]+)\}", _manual_sections()[event]).group(1)
    names = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION"}
    names |= {3: "VERBAL CONFLICT", 4: "MATERIAL CONFLICT"}
    assert names[plover.quad_code(event)] == label.strip()


@needs_peer
def test_scales_match_manual_score_table() -> None:
    text = _manual()
    start = text.rindex(r"\caption{PLOVER conflict--cooperation scores}")
    table = text[start : text.index(r"\end{tabular}", start)]
    table = re.sub(r"\\cellcolor\{[^}]*\}", "", table)
    seen = 0
    for line in table.splitlines():
        cells = [c.strip() for c in line.replace("\\\\", "").split("&")]
        for label, score in zip(cells[0::2], cells[1::2], strict=False):
            if not re.fullmatch(r"-?\d+(\.\d+)?", score):
                continue
            event, _, mode = label.partition(":")
            if (event, mode) == ("ACCUSE", ""):
                continue  # printed +3: a lost minus sign, see plover.yaml
            assert plover.event_scale(event, mode.strip().lower() or None) == float(score), label
            seen += 1
    assert seen >= 80


def _crosswalk() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in CROSSWALK.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "~")):
            continue
        code, rest = line.split("#")[0].split(":", 1)
        table.setdefault(code.strip(), [p.strip() for p in rest.split(",")] + ["", ""])
    return table


@needs_peer
def test_cameo_table_matches_codebook_and_gdelt() -> None:
    with CODEBOOK.open(encoding="utf-8", errors="replace") as fh:
        book = {r["code"]: r for r in csv.DictReader(fh)}
    ours = {r["code"]: r for r in data_file("cameo.tsv")}
    assert set(ours) == set(book)
    for code, row in book.items():
        assert ours[code]["name"] == row["name"].strip()
        assert plover.goldstein(code) == float(row["goldstein"])
    gdelt = dict(line.split() for line in GDELT.read_text().splitlines()[1:] if line.strip())
    for code, value in gdelt.items():
        own = ours[code]["goldstein_gdelt"] or ours[code]["goldstein"]
        assert float(own) == float(value), code


@needs_peer
def test_crosswalk_types_kept_and_gaps_are_statements_and_appeals() -> None:
    cross = _crosswalk()
    book = {r["code"] for r in data_file("cameo.tsv")}
    gaps = sorted(book - set(cross))
    # PLOVER drops CAMEO 01 (statements) and 02 (appeals); nothing else is missing.
    assert gaps and all(code[:2] in ("01", "02") for code in gaps)
    assert set(cross) - book == {"1214"}  # crosswalk lists a code the codebook lacks
    for row in data_file("cameo.tsv"):
        code = row["code"]
        if code in cross and row["source"] != "manual":
            assert row["plover_event"] == cross[code][0], code
            if row["source"] == "crosswalk":
                assert row["plover_mode"] == cross[code][1], code
