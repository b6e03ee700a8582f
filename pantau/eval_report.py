"""Reporting for ``pantau eval``: the text table, JSON, and floor checks.

Split from :mod:`pantau.evaluate` (loading and scoring) so each stays small.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pantau.evaluate import _SHORT, Counts, EvalReport
from pantau.lexicon import LANGUAGES


def _counts_dict(c: Counts) -> dict[str, Any]:
    d = {k: v for k, v in asdict(c).items() if k != "attrs"}
    d.update(precision=c.precision, recall=c.recall, f1=c.f1)
    d["attributes"] = {
        k: {"n": a.n, "correct": a.correct, "accuracy": a.value} for k, a in c.attrs.items()
    }
    return d


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """A JSON-ready form of the report (``pantau eval --format json``)."""
    files = [{**asdict(f), **_counts_dict(f.counts)} for f in report.files]
    for f in files:
        del f["counts"]
    langs = {k: _counts_dict(v) for k, v in report.languages.items()}
    return {"files": files, "languages": langs, "overall": _counts_dict(report.overall)}


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _summary(label: str, c: Counts) -> str:
    head = f"{label:<4} P={_num(c.precision)} R={_num(c.recall)} F1={_num(c.f1)}"
    tally = f"ok={c.correct}/{c.records} found={c.found}/{c.required} quietFP={c.quiet}"
    accs = " ".join(f"{_SHORT.get(k, k)}={_num(a.value)}" for k, a in c.attrs.items())
    return f"{head}  {tally}  {accs}"


def format_report(report: EvalReport, verbose: bool = False) -> str:
    """A fixed-width table per file; the last lines are the per-language and overall summary."""
    w = max([len(f.name) for f in report.files] + [4])
    w = min(w, 48)
    lines = [f"{'file':<{w}} lang  rec   ok  dup  uns quiet   req     P     R    F1"]
    for f in report.files:
        c = f.counts
        req = f"{c.found}/{c.required}"
        lines.append(
            f"{f.name[:w]:<{w}} {f.lang:<4} {c.records:>4} {c.correct:>4} {c.duplicates:>4} "
            f"{c.unscorable:>4} {c.quiet:>5} {req:>5} {_num(c.precision):>5} "
            f"{_num(c.recall):>5} {_num(c.f1):>5}" + ("  ERROR" if f.errors else "")
        )
    if verbose:
        for f in report.files:
            if f.missed or f.false_positives or f.errors:
                lines.append(f"\n{f.name} ({f.lang})")
            lines += [f"  error: {e}" for e in f.errors]
            for m in f.missed:
                lines.append(f"  missed {m['gid']} {m['event']}: {m['triggers']}")
            for fp in f.false_positives:
                tag = " [quiet]" if fp["quiet"] else ""
                lines.append(f"  FP {fp['event']} ({fp['why']}){tag}: {fp['sentence']}")
    lines.append("")
    lines += [_summary(lang, c) for lang, c in report.languages.items()]
    lines.append(_summary("all", report.overall))
    return "\n".join(lines)


_ALIASES = {"p": "precision", "r": "recall", "loc": "location", "country": "location_country"}


def check_floors(report: EvalReport, floors: dict[str, dict[str, float]]) -> list[str]:
    """Human-readable failures of ``floors`` ({language|gold name|"all": {metric: minimum}})."""
    scopes = {"all": report.overall, **report.languages, **{f.name: f.counts for f in report.files}}
    failures = []
    for key, wanted in floors.items():
        counts = scopes.get(key)
        if counts is None:
            if key not in LANGUAGES:  # a language without gold files here is not a failure
                failures.append(f"{key}: no such language or gold file in this evaluation")
            continue
        for metric, floor in wanted.items():
            name = _ALIASES.get(metric, metric)
            if name in ("precision", "recall", "f1"):
                value = getattr(counts, name)
                if value is not None and value < floor:
                    failures.append(f"{key}: {name} {value:.2f} < {floor:.2f}")
            elif name in counts.attrs:
                acc = counts.attrs[name]
                if acc.value is None:
                    failures.append(f"{key}: {name} not measured (no matched events)")
                elif acc.value < floor:
                    failures.append(
                        f"{key}: {name} {acc.value:.2f} < {floor:.2f} ({acc.correct}/{acc.n})"
                    )
            else:
                failures.append(f"{key}: unknown metric {metric!r}")
    return failures
