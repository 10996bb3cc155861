"""The cohort report of a batch: how the main measures are spread over the answers, and which
strengths and things to work on come up most often. It describes the group; it never ranks people
(no names, no ids, no ordering by score)."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from statistics import median, quantiles
from typing import Any

from pydantic import BaseModel, Field

# The batch summary's measures (jobs/batch.py MEASURES), with what a coach calls them.
MEASURE_NAMES = {
    "overall_score": ("Overall score", "0–100"),
    "content_score": ("Content score", "0–100"),
    "words_per_minute": ("Speaking pace", "words per minute"),
    "filler_rate_per_min": ("Filler words", "per minute"),
    "eye_contact_ratio": ("Eye contact", "share of face time"),
    "response_latency_s": ("Time to first word", "seconds"),
}
BINS = 8


class Distribution(BaseModel):
    measure: str
    label: str
    unit: str
    n: int
    min: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    max: float | None = None
    histogram: list[tuple[float, float, int]] = Field(default_factory=list, description="(from, to, count)")


class CommonPoint(BaseModel):
    headline: str
    answers: int
    share: float = Field(description="Share of analysed answers with this point")


class CohortReport(BaseModel):
    kind: str = "cohort"
    answers: int = Field(description="Rows in the batch")
    analysed: int
    failed: int
    distributions: list[Distribution]
    common_strengths: list[CommonPoint]
    common_improvements: list[CommonPoint]


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def distribution(measure: str, values: list[float]) -> Distribution:
    label, unit = MEASURE_NAMES.get(measure, (measure, ""))
    if not values:
        return Distribution(measure=measure, label=label, unit=unit, n=0)
    q1, _, q3 = quantiles(values, n=4, method="inclusive") if len(values) > 1 else (values[0],) * 3
    low, high = min(values), max(values)
    width = (high - low) / BINS or 1.0
    counts = Counter(min(int((v - low) / width), BINS - 1) for v in values)
    bins = [(round(low + i * width, 3), round(low + (i + 1) * width, 3), counts.get(i, 0))
            for i in range(BINS)]
    return Distribution(measure=measure, label=label, unit=unit, n=len(values), min=round(low, 3),
                        q1=round(q1, 3), median=round(median(values), 3), q3=round(q3, 3), max=round(high, 3),
                        histogram=bins if high > low else [(low, high, len(values))])


def _common(rows: list[dict[str, Any]], column: str, limit: int = 5) -> list[CommonPoint]:
    counts = Counter(h.strip() for r in rows for h in {x for x in str(r.get(column) or "").split(";")}
                     if h.strip())
    total = max(1, len(rows))
    return [CommonPoint(headline=h, answers=n, share=round(n / total, 3))
            for h, n in counts.most_common(limit)]


def cohort_report(rows: list[dict[str, Any]]) -> CohortReport:
    done = [r for r in rows if r.get("status") == "done"]
    return CohortReport(
        answers=len(rows), analysed=len(done), failed=len(rows) - len(done),
        distributions=[distribution(m, [v for r in done if (v := _number(r.get(m))) is not None])
                       for m in MEASURE_NAMES],
        common_strengths=_common(done, "strengths"),
        common_improvements=_common(done, "improvements"),
    )


def render_cohort_html(report: CohortReport) -> str:
    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.3g}"

    parts = ["<!doctype html><meta charset='utf-8'><title>Cohort report</title>",
             "<style>body{font:15px system-ui;max-width:860px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left}"
             ".bar{display:inline-block;height:10px;background:#4a7bd0}</style>",
             "<h1>Cohort report</h1>",
             f"<p>{report.analysed} of {report.answers} answers analysed"
             f"{f', {report.failed} could not be (see summary.csv)' if report.failed else ''}. "
             "This report describes the group as a whole; it does not rank anyone.</p>",
             "<h2>How the measures are spread</h2>"]
    for d in report.distributions:
        parts.append(f"<h3>{html.escape(d.label)} <small>({html.escape(d.unit)}, {d.n} answers)</small></h3>")
        if not d.n:
            parts.append("<p>Not measured in these answers.</p>")
            continue
        parts.append(f"<p>median {fmt(d.median)} · middle half {fmt(d.q1)}–{fmt(d.q3)} · "
                     f"range {fmt(d.min)}–{fmt(d.max)}</p><table>")
        top = max(c for _, _, c in d.histogram) or 1
        for low, high, count in d.histogram:
            parts.append(f"<tr><td>{fmt(low)}–{fmt(high)}</td><td><span class='bar' "
                         f"style='width:{200 * count // top}px'></span> {count}</td></tr>")
        parts.append("</table>")
    for title, points in (("Common strengths", report.common_strengths),
                          ("Common things to work on", report.common_improvements)):
        parts.append(f"<h2>{title}</h2><ul>")
        parts += [f"<li>{html.escape(p.headline)}: {p.answers} answers ({p.share:.0%})</li>" for p in points]
        parts.append("</ul>" if points else "<li>none</li></ul>")
    return "\n".join(parts) + "\n"


def write_cohort_report(out: Path, rows: list[dict[str, Any]]) -> CohortReport:
    report = cohort_report(rows)
    (out / "cohort.json").write_text(json.dumps(report.model_dump(), indent=2) + "\n", encoding="utf-8")
    (out / "cohort.html").write_text(render_cohort_html(report), encoding="utf-8")
    return report
