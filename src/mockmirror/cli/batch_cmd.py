"""`mockmirror batch`: analyse a cohort's recordings (jobs/batch.py) with progress and ETA."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mockmirror.core.types import MockmirrorError

out = Console(highlight=False)


def batch(
    source: Annotated[Path, typer.Argument(help="A folder of recordings, or a CSV: file, question, "
                                                "optional candidate_id and question_end_s.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Where reports, summary.csv and the cohort report go.")
    ],
    workers: Annotated[int, typer.Option(min=1, max=32, help="Answers analysed at once (one process "
                                                             "each, models loaded once per process).")] = 1,
) -> None:
    """Analyse many recorded answers: each answer's JSON and HTML report, a summary CSV and a cohort
    report. Run it again to resume: finished answers are skipped, failed ones tried again."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from mockmirror.jobs.batch import read_items, run_batch
    from mockmirror.settings import Settings

    if not source.exists():
        raise MockmirrorError(f"{source}: no such folder or file")
    items = read_items(source)
    if not items:
        raise MockmirrorError(f"{source}: no recordings found")
    with Progress(TextColumn("[bold]{task.description:<34}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("ETA"), TimeRemainingColumn(), console=out) as bar:
        task = bar.add_task("analysing", total=None)

        def on_row(row, finished: int, to_do: int) -> None:
            bar.update(task, total=to_do, completed=finished, description=Path(row.file).name[:34])
            if row.status != "done":
                out.print(f"[yellow]{Path(row.file).name}:[/] {row.reason}")

        result = run_batch(items, out_dir, Settings(), workers=workers, on_row=on_row)
    out.print(f"{result.done} analysed, {result.failed} failed, {result.skipped} already done "
              f"({result.seconds:.0f} s). Summary: {out_dir / 'summary.csv'}; cohort report: "
              f"{out_dir / 'cohort.html'}")
