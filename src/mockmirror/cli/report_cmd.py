"""`mockmirror report-session` and the report helpers `analyze` / `render` use (PDF, baseline)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mockmirror.core.types import MockmirrorError

out = Console()


def load_answer_report(path: Path):
    from pydantic import ValidationError

    from mockmirror.report.document import AnswerReport

    try:
        return AnswerReport.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise MockmirrorError(f"{path}: not a mockmirror JSON answer report ({type(exc).__name__})") from exc


def load_baseline(paths: list[Path] | None):
    """The user's baseline from earlier JSON answer reports (or a calibration answer's report)."""
    if not paths:
        return None
    from mockmirror.fusion.baseline import baseline_from_reports

    return baseline_from_reports([load_answer_report(p) for p in paths])


def write_pdf(html: str, pdf: Path) -> None:
    from mockmirror.report.pdf import write_pdf as print_pdf

    print_pdf(html, pdf)
    out.print(f"PDF report: {pdf}")


def report_session(
    reports: Annotated[list[Path], typer.Argument(help="JSON answer reports (from `analyze --json`).")],
    html: Annotated[Path | None, typer.Option("--html", help="Write the session HTML report here.")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also print it to PDF (needs Chromium).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the session JSON here.")] = None,
    link: Annotated[
        list[Path] | None, typer.Option("--link", help="Answer HTML reports to link, in the same order.")
    ] = None,
) -> None:
    """Combine several answers into one session report: top 3 strengths and improvements, scores."""
    import os

    from mockmirror.report.session import build_session_report, render_session_html

    if html is None and pdf is None and json_out is None:
        raise MockmirrorError("say where to write the session report: --html, --pdf and/or --json")
    documents = [load_answer_report(p) for p in reports]
    links: list[str | None] | None = None
    if link:
        if len(link) != len(reports):
            raise MockmirrorError(f"--link given {len(link)} times for {len(reports)} reports")
        base = (html or Path(".")).resolve().parent
        links = [Path(os.path.relpath(p.resolve(), base)).as_posix() for p in link]
    session = build_session_report(documents, links)
    if json_out is not None:
        json_out.write_text(session.model_dump_json(indent=2) + "\n", encoding="utf-8")
        out.print(f"JSON: {json_out}")
    page = render_session_html(session)
    if html is not None:
        html.write_text(page, encoding="utf-8")
        out.print(f"HTML report: {html}")
    if pdf is not None:
        write_pdf(page, pdf)
    score = "–" if session.overall_score is None else f"{session.overall_score:.0f}"
    out.print(f"{len(documents)} answers · mean overall score {score}")
