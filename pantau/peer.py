"""Other coders' test suites run through pantau: PETRARCH2's unit suite.

PETRARCH2 (``shared/peer/petrarch2/``) ships 284 English test sentences, each with the
(source, target, CAMEO code) triples it must produce, and fictional actor and agent
dictionaries (Arnor, Gondor, ...) and verb dictionary the sentences need. :func:`petrarch2`
loads those as user dictionaries (:mod:`pantau.userdict`, :mod:`pantau.verbdict`) as PETRARCH
runs the suite, or only the actors and agents with pantau's own triggers coding the verbs
(``suite_verbs=False``), codes every sentence with its date and compares triples:

- an actor code counts by its country part, the first three letters (``ARNGOV`` -> ``ARN``;
  ``---`` or empty = no actor, which a pantau entity without a code matches); the sector part
  is scored separately where the expected code has one (``ARNGOV``: GOV);
- *PLOVER level*: the expected CAMEO code converted with :func:`pantau.plover.cameo_to_plover`
  equals the record's event type; codes PLOVER drops (01 statements, 02 appeals) and the
  suite's invented codes (``905``) are not scorable at this level;
- *CAMEO root level*: the first two digits of the record's ``cameo`` equal the expected
  code's (roots 01-20; other codes are not scorable);
- a *false triple* is a distinct (actor, recipient, type) of pantau's that matches no
  expected triple at PLOVER level.
Missed triples are listed by PLOVER type and by the verb of the suite's verb dictionary
that carries the code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau import plover, userdict, verbdict
from pantau.document import Article
from pantau.errors import InputError, PantauError

SUITE = Path("peer") / "petrarch2"
RECORDS = "PETR.UnitTest.records.flat.jsonl"
DICTIONARIES = ("PETR.Validate.actors.txt", "PETR.Validate.agents.txt")
VERBS = "PETR.Validate.verbs.txt"
_NONE = {"", "---"}
_INTERNATIONAL = {"IGO", "NGO", "NGM", "IMG", "MNC"}

Triple = tuple[str, str, str | None, str | None, str | None, str | None]


@dataclass
class RecordResult:
    """One suite sentence: its expected triples and what pantau found."""

    id: str
    text: str
    expected: list[dict[str, str]]
    plover: list[bool | None]  # per expected triple: found at PLOVER level (None: not scorable)
    root: list[bool | None]  # ... at CAMEO root level
    sector: list[bool | None]  # ... at PLOVER level with the expected sectors too
    got: list[Triple]
    false: int  # pantau triples matching no expected triple (PLOVER level)


@dataclass
class SuiteReport:
    records: list[RecordResult] = field(default_factory=list)
    dictionary_problems: list[str] = field(default_factory=list)
    missed_types: Counter[str] = field(default_factory=Counter)
    missed_verbs: Counter[str] = field(default_factory=Counter)
    miss_reasons: Counter[str] = field(default_factory=Counter)
    suite_verbs: bool = True  # the suite's verb dictionary was loaded

    def share(self, level: str) -> tuple[int, int]:
        """(found, scorable) over all expected triples at ``level`` (plover | root | sector)."""
        flags = [f for r in self.records for f in getattr(r, level) if f is not None]
        return sum(flags), len(flags)

    @property
    def false_per_sentence(self) -> float:
        return sum(r.false for r in self.records) / max(1, len(self.records))


def _country(code: str | None) -> str:
    code = (code or "").strip().upper()
    return "---" if code[:3] in _NONE or code == "-" else code[:3]


def _sector(code: str) -> str | None:
    """The sector of an expected code: its first agent part that is a PLOVER sector."""
    if code[:3] in _INTERNATIONAL:
        return None
    parts = [code[i : i + 3] for i in range(3, len(code), 3)]
    return next(filter(None, map(userdict.cameo_sector, parts)), None)


def _sides(entities: list[dict[str, Any]]) -> list[tuple[set[str], str | None]]:
    """Each entity as (accepted country parts, sector); an NGO's staff also count as NGO."""
    sides = []
    for e in entities or [{}]:
        parts = {_country(e.get("code"))}
        if e.get("sector") in ("NGO", "IGO"):
            parts.add(e["sector"])
        sides.append((parts, e.get("sector")))
    return sides


def record_triples(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(actor side, recipient side, PLOVER type, CAMEO root) for every actor x recipient. A
    joint act (several actors, no recipient: "A and B agreed") also counts as A->B and B->A,
    the way PETRARCH codes it."""
    out = []
    for rec in records:
        root = str(rec.get("cameo") or "")[:2] or None
        actors, recipients = _sides(rec.get("actor")), _sides(rec.get("recipient"))
        for a in actors:
            for r in recipients:
                out.append((a, r, rec["event"][0], root))
            if len(actors) > 1 and not rec.get("recipient"):
                out.extend((a, b, rec["event"][0], root) for b in actors if b is not a)
    return out


def _expected_levels(code: str) -> tuple[str | None, str | None]:
    """(PLOVER type, CAMEO root) of an expected code; None where not scorable."""
    converted = plover.cameo_to_plover(code)
    root = code[:2] if code[:2].isdigit() and 1 <= int(code[:2]) <= 20 else None
    return (converted[0] if converted else None), root


def _side_ok(side: tuple[set[str], str | None], country: str, sector: str | None) -> bool:
    """Country part among the side's; with ``sector`` given, the side's sector equal too."""
    return country in side[0] and (sector is None or side[1] == sector)


def score_record(row: dict[str, Any], records: list[dict[str, Any]]) -> RecordResult:
    """Compare one sentence's records with its expected triples."""
    got = record_triples(records)
    found_p, found_r, found_s, used = [], [], [], set()
    for exp in row["expected_events"]:
        src, tgt = _country(exp["source"]), _country(exp["target"])
        event, root = _expected_levels(exp["code"])
        hits = [
            i
            for i, (a, r, ev, _) in enumerate(got)  # fmt: skip
            if event and ev == event and _side_ok(a, src, None) and _side_ok(r, tgt, None)
        ]
        used.update(hits)
        sectors = (_sector(exp["source"]), _sector(exp["target"]))
        strict = any(_side_ok(got[i][0], src, sectors[0]) and _side_ok(got[i][1], tgt, sectors[1])
                     for i in hits)  # fmt: skip
        found_p.append(bool(hits) if event else None)
        found_s.append(strict if event else None)
        r_ok = any(rt == root and _side_ok(a, src, None) and _side_ok(r, tgt, None)
                   for a, r, _, rt in got)  # fmt: skip
        found_r.append(r_ok if root else None)
    distinct = {(min(a[0]), min(r[0]), ev) for i, (a, r, ev, _) in enumerate(got) if i not in used}
    flat = [("/".join(sorted(a[0])), "/".join(sorted(r[0])), ev, rt, a[1], r[1])
            for a, r, ev, rt in got]  # fmt: skip
    return RecordResult(row["id"], row["text"], row["expected_events"], found_p, found_r,
                        found_s, flat, len(distinct))  # fmt: skip


def _verb_codes(found: verbdict.VerbDictionary) -> dict[str, list[tuple[bool, str]]]:
    """CAMEO code -> (is the block's own code, verb) of a verb dictionary, for naming the
    verb a missed triple's code came from."""
    codes: dict[str, list[tuple[bool, str]]] = {}
    for block in found.blocks:
        verb = block.name.lower()
        own = [(True, block.code)] + [(False, p.code) for p in block.patterns]
        for is_own, code in own:
            for part in code.text.split(":"):
                if part.strip().isdigit():
                    codes.setdefault(part.strip(), []).append((is_own, verb))
    return codes


def _verb_in(text: str, verbs: list[tuple[bool, str]]) -> str | None:
    """The verb a code most likely came from: of those whose stem occurs in ``text``
    ("restore", "restored"), one whose block carries the code, else the first in the text."""
    low, found = text.lower(), []
    for own, verb in verbs:
        stem = verb[:-1] if verb.endswith("e") and len(verb) > 4 else verb
        if m := re.search(rf"\b{re.escape(stem)}\w*", low):
            found.append((not own, m.start(), verb))
    return min(found)[2] if found else None


def petrarch2(
    shared: str | Path,
    code: Callable[[Article], list[dict[str, Any]]] | None = None,
    suite_verbs: bool = True,
) -> SuiteReport:
    """Run PETRARCH2's unit suite under ``shared`` (the folder holding ``peer/petrarch2``).

    With ``suite_verbs`` the suite's own verb dictionary is loaded as a user verb
    dictionary (:mod:`pantau.verbdict`), as PETRARCH runs it; without, pantau's own
    triggers code the sentences."""
    from pantau.pipeline import code_article

    code = code or code_article
    folder = Path(shared) / SUITE
    if not (folder / RECORDS).is_file():
        raise InputError(f"no PETRARCH2 suite here (looked for {folder / RECORDS})")
    rows = [json.loads(line) for line in (folder / RECORDS).read_text("utf-8").splitlines()]
    dicts = [userdict.load(folder / name) for name in DICTIONARIES]
    suite = verbdict.load(folder / VERBS) if (folder / VERBS).is_file() else None
    verbs = _verb_codes(suite) if suite else {}
    user_verbs = [suite] if suite and suite_verbs else []
    problems = [p for d in [*dicts, *user_verbs] for p in d.problems]
    report = SuiteReport(dictionary_problems=problems, suite_verbs=bool(user_verbs))
    with userdict.using(*dicts), verbdict.using(*user_verbs):
        for row in rows:
            day = dt.datetime.strptime(row["date"], "%Y%m%d").date()
            article = Article(id=row["id"], text=row["text"], lang="en", published=day)
            try:
                records = code(article)
            except PantauError:  # "ALL OF THE UNIT TESTS WERE CODED CORRECTLY." is no article
                records = []
            result = score_record(row, records)
            report.records.append(result)
            for exp, found in zip(result.expected, result.plover, strict=True):
                if found is False:
                    event = _expected_levels(exp["code"])[0] or "?"
                    report.missed_types[event] += 1
                    verb = _verb_in(row["text"], verbs.get(exp["code"], []))
                    report.missed_verbs[f"{verb or '?'} ({exp['code']})"] += 1
                    report.miss_reasons[_why_missed(exp, event, result.got)] += 1
    return report


def _why_missed(exp: dict[str, str], event: str, got: list[Triple]) -> str:
    same = [g for g in got if g[2] == event]
    if not same:
        return "no event of that type"
    if any(_country(exp["source"]) in str(g[0]).split("/") for g in same):
        return "that type and actor, other recipient"
    return "that type, other actor"


def _pct(found: int, total: int) -> str:
    return f"{found}/{total} = {found / total:.2f}" if total else "-"


def format_petrarch2(report: SuiteReport, per_record: bool = False, top: int = 15) -> str:
    """The report as text: per record (optional), totals, most missed types and verbs."""
    lines = []
    if per_record:
        lines.append(f"{'id':<18} {'exp':>3} {'plover':>7} {'root':>7} {'false':>5}  text")
        for r in report.records:
            p = [f for f in r.plover if f is not None]
            c = [f for f in r.root if f is not None]
            lines.append(
                f"{r.id:<18} {len(r.expected):>3} {sum(p):>3}/{len(p):<3} {sum(c):>3}/{len(c):<3}"
                f" {r.false:>5}  {r.text[:60]}"
            )
        lines.append("")
    n_exp = sum(len(r.expected) for r in report.records)
    lines += [
        f"PETRARCH2 unit suite: {len(report.records)} sentences, {n_exp} expected triples; "
        + ("the suite's verb dictionary loaded" if report.suite_verbs else "pantau's own verbs"),
        f"  found at PLOVER level        {_pct(*report.share('plover'))}",
        f"  ... with expected sectors    {_pct(*report.share('sector'))}",
        f"  found at CAMEO root level    {_pct(*report.share('root'))}",
        f"  false triples per sentence   {report.false_per_sentence:.2f}",
        f"  not scorable at PLOVER level {n_exp - report.share('plover')[1]} "
        "(CAMEO 01/02 or codes outside CAMEO)",
    ]
    if report.dictionary_problems:
        lines.append(f"  dictionary lines skipped     {len(report.dictionary_problems)}")
    lines.append("missed triples: " + ", ".join(
        f"{k} {v}" for k, v in report.miss_reasons.most_common()))  # fmt: skip
    lines.append("most missed PLOVER types: " + ", ".join(
        f"{k} {v}" for k, v in report.missed_types.most_common(top)))  # fmt: skip
    lines.append("most missed verbs (PETRARCH verb, code): " + ", ".join(
        f"{k} {v}" for k, v in report.missed_verbs.most_common(top)))  # fmt: skip
    return "\n".join(lines)


def report_to_dict(report: SuiteReport) -> dict[str, Any]:
    """The report as JSON-ready data (totals and per-record results)."""
    totals = {level: dict(zip(("found", "scorable"), report.share(level), strict=True))
              for level in ("plover", "sector", "root")}  # fmt: skip
    return {
        "totals": {**totals, "false_per_sentence": report.false_per_sentence},
        "suite_verbs": report.suite_verbs,
        "missed_types": dict(report.missed_types),
        "missed_verbs": dict(report.missed_verbs),
        "miss_reasons": dict(report.miss_reasons),
        "records": [
            {
                "id": r.id,
                "expected": r.expected,
                "plover": r.plover,
                "root": r.root,
                "sector": r.sector,
                "false": r.false,
                "got": [list(t) for t in r.got],
            }
            for r in report.records
        ],  # fmt: skip
    }
