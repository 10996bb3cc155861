"""Self-contained HTML report (inline CSS, SVG and a few lines of JS; works offline)."""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from mockmirror.core.clock import clock
from mockmirror.fusion.feedback import STORY_PARTS
from mockmirror.report.charts import (
    LABEL_W,
    PLOT_W,
    expression_bars_svg,
    gaze_heatmap_svg,
    pace_band,
    radar_svg,
    timeline_svg,
)
from mockmirror.report.document import AnswerReport

INDICATOR_LABELS = {
    "engagement": "Engagement",
    "composure": "Composure",
    "clarity": "Clarity",
    "content": "Content",
}
# The content sub-scores on the radar, as a candidate would name them.
SUBSCORE_LABELS = {
    "relevance": "On the question",
    "structure": "Story shape",
    "specificity": "Detail",
    "ownership": "Ownership",
    "length": "Length",
}
# What the personal reference was, in words (fusion.baseline.source).
REFERENCE_WORDS = {
    "calibration": "your warm-up recording",
    "earlier sessions": "your earlier answers",
    "population": "typical values for most people",
}


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("mockmirror.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["clock"] = clock
    return env


def _tiles(report: AnswerReport) -> list[tuple[str, str, str]]:
    s = report.summary
    tiles: list[tuple[str, str, str]] = []

    def add(name: str, value: float | None, fmt: str, hint: str = "") -> None:
        if value is not None:
            tiles.append((name, fmt.format(value), hint))

    low, high = pace_band(report)
    add("words a minute", s.words_per_minute, "{:.0f}", f"target {low:.0f}–{high:.0f}")
    add("words", s.word_count, "{:d}")
    add("to first word", s.response_latency_s, "{:.1f} s")
    add(
        "fillers",
        s.filler_count,
        "{:d}",
        f"{s.filler_rate_per_min:.0f} a minute" if s.filler_rate_per_min is not None else "",
    )
    add("pauses", s.pause_count, "{:d}", f"longest {s.longest_pause_s:.1f} s" if s.pause_count else "")
    add("eye contact", s.eye_contact_ratio, "{:.0%}")
    add("smiling", s.smile_ratio, "{:.0%}")
    add(
        "blinks",
        s.blink_count,
        "{:d}",
        f"{s.blink_rate_per_min:.0f} a minute" if s.blink_rate_per_min is not None else "",
    )
    add("face visible", s.face_visible_ratio, "{:.0%}")
    if _answered(report):
        add("story parts", s.star_coverage * 5, "{:.0f} / 5")
    return tiles


def _answered(report: AnswerReport) -> bool:
    verdict = report.content.verdict
    return verdict.answered if verdict is not None else report.content.word_count > 0


def heading(report: AnswerReport) -> str:
    """The report's title: the question answered, never the recording's file name."""
    return report.question.strip() or "Your answer"


def reference_words(report: AnswerReport) -> str:
    if report.fusion is None:
        return ""
    return REFERENCE_WORDS.get(report.fusion.baseline.source, report.fusion.baseline.source)


def media_link(media_path: Path | None, report_path: Path | None) -> str | None:
    """A relative link from the report to the recording so replay works without copying it."""
    if media_path is None:
        return None
    media_path = media_path.resolve()
    if report_path is None:
        return media_path.as_uri()
    try:
        return Path(os.path.relpath(media_path, report_path.resolve().parent)).as_posix()
    except ValueError:  # different drives on Windows
        return media_path.as_uri()


def radar_axes(report: AnswerReport) -> list[tuple[str, float | None]]:
    """Radar axes: the delivery indicators, then (for an answered answer) the content sub-scores."""
    axes: list[tuple[str, float | None]] = []
    if report.fusion is not None:
        axes += [(INDICATOR_LABELS.get(i.name, i.name), i.score) for i in report.fusion.indicators]
    if _answered(report):
        for name, label in SUBSCORE_LABELS.items():
            sub = report.content.scores.get(name)
            if sub is not None:
                axes.append((label, sub.score))
    return axes


def _expression_legend(report: AnswerReport) -> list[tuple[str, str]]:
    from mockmirror.report.charts import _expression_order, expression_colour

    names = sorted(report.face.summary.expression_distribution, key=_expression_order)
    return [(name, expression_colour(name)) for name in names] if report.face.available else []


def render_answer_html(report: AnswerReport, media_src: str | None = None, for_print: bool = False) -> str:
    """The answer report as one self-contained HTML page.

    ``media_src``: a link to the recording for replay (None: no player, timestamps only mark the
    timeline); ``for_print``: every collapsible section open (the PDF export uses this).
    """
    template = _environment().get_template("answer.html")
    verdict = report.content.verdict
    return template.render(
        r=report,
        f=report.fusion,
        heading=heading(report),
        answered=_answered(report),
        verdict=verdict if verdict is not None and not verdict.answered else None,
        reference_words=reference_words(report),
        indicator_labels=INDICATOR_LABELS,
        story_parts=STORY_PARTS,
        tiles=_tiles(report),
        timeline=timeline_svg(report),
        expression_bars=expression_bars_svg(report.face.summary.expression_distribution)
        if report.face.available and report.face.summary.expression_distribution
        else "",
        radar=radar_svg(radar_axes(report), "Indicators and content sub-scores"),
        expression_legend=_expression_legend(report),
        heatmap=gaze_heatmap_svg(report) if report.face.available else "",
        media_src=media_src,
        for_print=for_print,
        label_w=LABEL_W,
        plot_w=PLOT_W,
    )
