"""The short terminal summary printed after `mockmirror analyze`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from mockmirror.core.clock import clock
from mockmirror.report.document import AnswerReport


def _fmt(value: float | int | None, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


def print_summary(console: Console, report: AnswerReport) -> None:
    s = report.summary
    table = Table(
        title=f"{report.question or 'Your answer'} · {s.duration_s:.0f} s",
        show_header=False,
        title_justify="left",
    )
    table.add_column("measure", style="bold")
    table.add_column("value")
    rows = [
        ("words", _fmt(s.word_count, "{:d}")),
        ("pace", _fmt(s.words_per_minute, "{:.0f} WPM")),
        ("time to first word", _fmt(s.response_latency_s, "{:.2f} s")),
        (
            "fillers",
            f"{s.filler_count}"
            + (f" ({s.filler_rate_per_min:.1f}/min)" if s.filler_rate_per_min is not None else ""),
        ),
        ("pauses", f"{s.pause_count}, longest {s.longest_pause_s:.1f} s"),
        ("volume", _fmt(s.mean_volume_dbfs, "{:.1f} dBFS")),
    ]
    if report.face.available:
        rows += [
            ("face visible", _fmt(s.face_visible_ratio, "{:.0%}")),
            ("eye contact", _fmt(s.eye_contact_ratio, "{:.0%}")),
            ("smiling", _fmt(s.smile_ratio, "{:.0%}")),
            (
                "blinks",
                _fmt(s.blink_count, "{:d}") + _fmt(s.blink_rate_per_min, " ({:.0f} / min)").replace("—", ""),
            ),
            ("expression (mostly)", s.dominant_expression or "—"),
        ]
    content = report.content
    verdict = content.verdict
    rows.append(("answer", verdict.headline if verdict is not None else "—"))
    if verdict is None or verdict.answered:
        rows.append(("content score", _fmt(content.overall_score, "{:.0f} / 100")))
        if content.question_type == "behavioural":
            rows.append(
                (
                    "story parts (situation, task, action, result, learning)",
                    f"{round(s.star_coverage * 5)} of 5",
                )
            )
    if report.fusion is not None:  # indicators and the overall score (docs/fusion.md)
        rows += [(i.name, _fmt(i.score, "{:.0f} / 100")) for i in report.fusion.indicators]
        rows.append(("overall score", _fmt(report.fusion.overall.score, "{:.0f} / 100")))
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    if report.speech.transcript.text:
        console.print(f"[dim]Transcript:[/] {report.speech.transcript.text}")
    for title, points, colour in (
        ("Strengths", report.feedback.strengths, "green"),
        ("To work on", report.feedback.improvements, "yellow"),
    ):
        if points:
            console.print(f"[bold {colour}]{title}[/]")
            for p in points:
                moments = ", ".join(clock(e.start) for e in p.evidence[:3])
                at = f" [dim](at {moments})[/]" if moments else ""
                console.print(f"  • {p.headline}: {p.message}{at}")
                if p.tip:
                    console.print(f"    [dim]Try this: {p.tip}[/]")
    for note in report.feedback.notes:
        console.print(f"[dim]Note: {note}[/]")
