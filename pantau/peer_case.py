"""CASE 2021 Task 2 run through pantau: fine-grained event classification (ACLED types).

CASE 2021's Task 2 (``shared/peer/case2021/task2/test_set_final_release_with_labels.tsv``)
gives 1,019 English snippets, each with one label: 25 ACLED sub-event types ("seen") and
5 types outside ACLED ("unseen": organised crime, natural and man-made disasters,
diplomacy, attribution). :func:`case2021` codes every snippet and folds its records into
one ACLED label with ``pantau/data/acled_subtypes.yaml`` (PLOVER type and mode, sectors,
other records of the snippet); a snippet with no record that folds gets no label.

Scored on the seen types: accuracy, per-type precision/recall/F1, weighted F1 (the shared
task's measure) and macro F1. On the
unseen types pantau has no label to give, so the figure there is how often it stays
quiet: the share of disaster and crime snippets given no ACLED conflict label.
"""

from __future__ import annotations

import csv
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau import plover
from pantau.document import Article
from pantau.errors import DataError, InputError, PantauError
from pantau.lexicon import data_file

TASK2 = Path("peer") / "case2021" / "task2" / "test_set_final_release_with_labels.tsv"
UNSEEN = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB")
QUIET = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER")  # no political event in them
NONE = "-"


@dataclass
class CaseReport:
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)

    def seen(self) -> list[tuple[str, str]]:
        return [(g, p) for g, p in zip(self.gold, self.predicted, strict=True) if g not in UNSEEN]

    def per_label(self) -> dict[str, tuple[int, int, int]]:
        """label -> (gold count, predicted count, correct), over the seen types."""
        gold, pred, hit = Counter(), Counter(), Counter()
        for g, p in self.seen():
            gold[g] += 1
            pred[p] += 1
            hit[g] += g == p
        return {label: (gold[label], pred[label], hit[label]) for label in sorted(gold)}

    @property
    def accuracy(self) -> float:
        pairs = self.seen()
        return sum(g == p for g, p in pairs) / max(1, len(pairs))

    @property
    def macro_f1(self) -> float:
        scores = [_f1(*counts) for counts in self.per_label().values()]
        return sum(scores) / max(1, len(scores))

    @property
    def weighted_f1(self) -> float:
        """F1 per type weighted by its gold count: the shared task's own measure."""
        table = self.per_label()
        total = sum(gold for gold, _, _ in table.values())
        return sum(_f1(*counts) * counts[0] for counts in table.values()) / max(1, total)

    @property
    def labelled(self) -> float:
        pairs = self.seen()
        return sum(p != NONE for _, p in pairs) / max(1, len(pairs))

    def quiet_share(self) -> tuple[int, int]:
        """(snippets given no label, all) over the crime and disaster snippets."""
        quiet = [p for g, p in zip(self.gold, self.predicted, strict=True) if g in QUIET]
        return sum(p == NONE for p in quiet), len(quiet)


def _f1(gold: int, predicted: int, correct: int) -> float:
    p, r = correct / max(1, predicted), correct / max(1, gold)
    return 2 * p * r / (p + r) if p + r else 0.0


@functools.cache
def _rules() -> list[dict[str, Any]]:
    rules = data_file("acled_subtypes.yaml").get("rules")
    if not isinstance(rules, list) or not rules:
        raise DataError("acled_subtypes.yaml: no rules")
    for rule in rules:
        if rule.get("type") not in plover.event_types():
            raise DataError(f"acled_subtypes.yaml: unknown PLOVER type {rule.get('type')!r}")
    return rules


def _matches(rule: dict[str, Any], record: dict[str, Any], shapes: set[str]) -> bool:
    kind, mode = record["event"][0], (record.get("mode") or ["-"])[0]
    if kind != rule["type"] or ("modes" in rule and mode not in rule["modes"]):
        return False
    for key, side in (("actor_sectors", "actor"), ("recipient_sectors", "recipient")):
        if key in rule and not {e.get("sector") for e in record.get(side) or []} & set(rule[key]):
            return False
    if "contexts" in rule and not set(record.get("context") or []) & set(rule["contexts"]):
        return False
    return "with" not in rule or bool(shapes & set(rule["with"]))


def acled_label(records: list[dict[str, Any]]) -> str:
    """The ACLED sub-event type a snippet's records fold into, or ``-``."""
    aux = set(plover.auxiliary_modes())
    asserted = [r for r in records if not set(r.get("context") or []) & aux]
    own = [{r["event"][0], f"{r['event'][0]}/{(r.get('mode') or ['-'])[0]}"} for r in asserted]
    # what the snippet's other records are (TYPE and TYPE/mode), per record
    others = [set().union(*(o for j, o in enumerate(own) if j != i)) for i in range(len(own))]
    for rule in _rules():
        for record, shapes in zip(asserted, others, strict=True):
            if _matches(rule, record, shapes):
                return str(rule["label"])
    return NONE


def case2021(
    shared: str | Path, code: Callable[[Article], list[dict[str, Any]]] | None = None
) -> CaseReport:
    """Code every Task 2 snippet under ``shared`` and fold its records into a label."""
    from pantau.pipeline import code_article

    code = code or code_article
    path = Path(shared) / TASK2
    if not path.is_file():
        raise InputError(f"no CASE 2021 Task 2 file here (looked for {path})")
    report = CaseReport()
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            text, label = (row.get("EventSnippet") or "").strip(), (row.get("SubType") or "")
            try:
                records = code(Article(id=str(row.get("id")), text=text, lang="en"))
            except PantauError:  # too short to read: no label
                records = []
            report.gold.append(label.strip())
            report.predicted.append(acled_label(records))
    return report


def format_case(report: CaseReport) -> str:
    """Per-type table and totals."""
    lines = [f"{'ACLED type':<30} {'gold':>5} {'pred':>5} {'hit':>5}    P     R    F1"]
    for label, (gold, pred, hit) in report.per_label().items():
        p, r = hit / max(1, pred), hit / max(1, gold)
        lines.append(f"{label:<30} {gold:>5} {pred:>5} {hit:>5} {p:5.2f} {r:5.2f} "
                     f"{_f1(gold, pred, hit):5.2f}")  # fmt: skip
    seen = report.seen()
    quiet, total = report.quiet_share()
    lines += [
        f"CASE 2021 Task 2: {len(report.gold)} snippets, {len(seen)} of the 25 ACLED types",
        f"  accuracy {report.accuracy:.2f}, weighted F1 {report.weighted_f1:.2f}, "
        f"macro F1 {report.macro_f1:.2f}, given a label {report.labelled:.2f}",
        f"  crime and disaster snippets given no conflict label: {quiet}/{total}"
        + (f" = {quiet / total:.2f}" if total else ""),
    ]
    return "\n".join(lines)


def case_to_dict(report: CaseReport) -> dict[str, Any]:
    quiet, total = report.quiet_share()
    return {
        "accuracy": round(report.accuracy, 4),
        "macro_f1": round(report.macro_f1, 4),
        "weighted_f1": round(report.weighted_f1, 4),
        "labelled": round(report.labelled, 4),
        "quiet": {"quiet": quiet, "total": total},
        "per_label": {k: dict(zip(("gold", "predicted", "correct"), v, strict=True))
                      for k, v in report.per_label().items()},  # fmt: skip
    }
