"""Batch analysis of a cohort's recordings (``mockmirror batch``): one answer per file, on worker
processes that each load the models once; resumable (what is done is skipped, what failed is
re-done); one bad file never stops the batch — its row in the summary says why.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from mockmirror.core.types import MockmirrorError
from mockmirror.jobs.durable import classify, user_reason
from mockmirror.settings import Settings

log = logging.getLogger(__name__)

MEDIA_SUFFIXES = {".mp4", ".webm", ".mov", ".mkv", ".mpg", ".mpeg", ".avi", ".m4v", ".wav", ".mp3",
                  ".m4a", ".flac", ".ogg", ".opus", ".aac", ".y4m"}
SUMMARY = "summary.csv"
# The summary's measure columns, in order (the cohort report draws their distributions).
MEASURES = ("overall_score", "content_score", "words_per_minute", "filler_rate_per_min",
            "eye_contact_ratio", "response_latency_s")
COLUMNS = ("key", "candidate_id", "file", "question", "status", "reason", "verdict", *MEASURES,
           "strengths", "improvements", "json", "html", "seconds")


class BatchItem(BaseModel):
    """One recording to analyse (a row of the input CSV, or a file of the input folder)."""

    file: Path
    question: str = ""
    candidate_id: str = ""
    question_end_s: float = Field(0.0, ge=0)

    @property
    def key(self) -> str:
        """Stable across runs, so a re-run knows what is already done."""
        text = f"{self.file.resolve()}|{self.question}|{self.question_end_s}|{self.candidate_id}"
        return f"{self.file.stem[:40]}-{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def read_items(source: Path) -> list[BatchItem]:
    """A folder's recordings (sorted), or the rows of a CSV: file, question, optional
    candidate_id and question_end_s (file paths relative to the CSV)."""
    if source.is_dir():
        return [BatchItem(file=p) for p in sorted(source.rglob("*"))
                if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES]
    if source.suffix.lower() != ".csv" or not source.is_file():
        raise MockmirrorError(f"{source}: give a folder of recordings or a CSV file")
    items = []
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise MockmirrorError(f"{source}: the CSV needs a 'file' column (and 'question')")
        for line, row in enumerate(reader, start=2):
            end = (row.get("question_end_s") or row.get("question_end") or "").strip()
            try:
                items.append(BatchItem(
                    file=(source.parent / (row.get("file") or "").strip()),
                    question=(row.get("question") or "").strip(),
                    candidate_id=(row.get("candidate_id") or "").strip(),
                    question_end_s=float(end) if end else 0.0,
                ))
            except (ValueError, ValidationError) as exc:
                raise MockmirrorError(f"{source}, line {line}: {exc}") from None
    return items


@dataclass
class BatchRow:
    key: str
    candidate_id: str
    file: str
    question: str
    status: str = "failed"  # done | failed
    reason: str = ""
    verdict: str = ""
    overall_score: float | None = None
    content_score: float | None = None
    words_per_minute: float | None = None
    filler_rate_per_min: float | None = None
    eye_contact_ratio: float | None = None
    response_latency_s: float | None = None
    strengths: str = ""  # feedback headlines, "; "-separated
    improvements: str = ""
    json: str = ""
    html: str = ""
    seconds: float = 0.0


def read_summary(out: Path) -> dict[str, dict[str, str]]:
    path = out / SUMMARY
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def write_summary(out: Path, rows: list[dict[str, Any]]) -> None:
    tmp = out / (SUMMARY + ".part")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in COLUMNS})
    tmp.replace(out / SUMMARY)  # never a half-written summary


# --- one answer, in a worker process --------------------------------------------------------------

_ANALYZER: dict[str, Any] = {}  # per worker process: the loaded models (filled by _load)


def _load(settings_json: str) -> None:
    from mockmirror.analysis.pipeline import AnswerAnalyzer

    _ANALYZER["analyzer"] = AnswerAnalyzer(Settings.model_validate_json(settings_json))


def analyse_item(item: BatchItem, out: Path) -> BatchRow:
    """Analyse one recording and write its JSON and HTML reports (as `mockmirror analyze` does)."""
    from mockmirror.report.document import build_report
    from mockmirror.report.html import media_link, render_answer_html
    from mockmirror.report.session import answer_status

    row = BatchRow(item.key, item.candidate_id, str(item.file), item.question)
    started = time.perf_counter()
    try:
        if not item.file.is_file():
            raise FileNotFoundError(item.file)
        analyzer = _ANALYZER["analyzer"]
        result = analyzer.analyze(item.file, question=item.question, question_end_s=item.question_end_s)
        document = build_report(result, analyzer.model_hashes())
        json_path, html_path = out / "answers" / f"{item.key}.json", out / "answers" / f"{item.key}.html"
        json_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(render_answer_html(document, media_link(item.file, html_path)), encoding="utf-8")
        json_path.write_text(document.model_dump_json(indent=2) + "\n", encoding="utf-8")  # last: "done"
    except Exception as exc:
        failure = classify(exc)
        row.reason = (f"{item.file.name}: file not found" if isinstance(exc, FileNotFoundError)
                      else user_reason(exc, failure))
        if failure.value == "bug":
            log.error("batch: %s failed", item.file, exc_info=exc)
    else:
        summary = document.summary
        row.status, row.verdict = "done", answer_status(document)
        row.overall_score = document.fusion.overall.score if document.fusion is not None else None
        row.content_score = document.content.overall_score
        row.words_per_minute, row.filler_rate_per_min = summary.words_per_minute, summary.filler_rate_per_min
        row.eye_contact_ratio, row.response_latency_s = summary.eye_contact_ratio, summary.response_latency_s
        row.strengths = "; ".join(p.headline or p.topic for p in document.feedback.strengths)
        row.improvements = "; ".join(p.headline or p.topic for p in document.feedback.improvements)
        row.json, row.html = str(json_path.relative_to(out)), str(html_path.relative_to(out))
    row.seconds = round(time.perf_counter() - started, 2)
    return row


# --- the batch ---------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    done: int = 0
    failed: int = 0
    skipped: int = 0  # done by an earlier run
    seconds: float = 0.0
    rows: list[dict[str, Any]] = field(default_factory=list)


def _is_done(previous: dict[str, str] | None, out: Path) -> bool:
    return bool(previous and previous.get("status") == "done" and previous.get("json")
                and (out / previous["json"]).is_file())


def run_batch(
    items: list[BatchItem], out: Path, settings: Settings, workers: int = 1,
    on_row: Callable[[BatchRow, int, int], None] | None = None,
) -> BatchResult:
    """Analyse every item not already done in ``out``; write the summary after each answer and
    the cohort report at the end. ``on_row(row, finished, to_do)`` reports progress."""
    from mockmirror.report.cohort import write_cohort_report

    out.mkdir(parents=True, exist_ok=True)
    previous = read_summary(out)
    result = BatchResult()
    rows: dict[str, dict[str, Any]] = {}
    todo: list[BatchItem] = []
    for item in items:
        if item.key in rows:
            continue  # the same file and question twice: analysed once
        if _is_done(previous.get(item.key), out):
            rows[item.key] = previous[item.key]
            result.skipped += 1
        else:
            rows[item.key] = asdict(BatchRow(item.key, item.candidate_id, str(item.file), item.question,
                                             status="queued"))
            todo.append(item)
    started = time.perf_counter()
    for finished, row in enumerate(_analyse_all(todo, out, settings, workers), start=1):
        rows[row.key] = asdict(row)
        result.done += row.status == "done"
        result.failed += row.status != "done"
        write_summary(out, list(rows.values()))
        if on_row is not None:
            on_row(row, finished, len(todo))
    result.seconds = round(time.perf_counter() - started, 2)
    result.rows = list(rows.values())
    write_summary(out, result.rows)
    write_cohort_report(out, result.rows)
    return result


def _analyse_all(todo: list[BatchItem], out: Path, settings: Settings, workers: int) -> Iterator[BatchRow]:
    if not todo:
        return
    settings_json = settings.model_dump_json()
    if workers <= 1:
        _load(settings_json)
        for item in todo:
            yield analyse_item(item, out)
        return
    # spawn: a clean process per worker (no forked model threads); each loads the models once.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_load,
                             initargs=(settings_json,)) as pool:
        pending: dict[Future[BatchRow], BatchItem] = {}
        queue = list(todo)
        while queue or pending:
            while queue and len(pending) < workers * 2:
                item = queue.pop(0)
                pending[pool.submit(analyse_item, item, out)] = item
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                try:
                    yield future.result()
                except Exception as exc:  # the worker process died (out of memory): the row says so
                    row = BatchRow(item.key, item.candidate_id, str(item.file), item.question)
                    row.reason = f"the analysis process stopped ({type(exc).__name__}); run the batch again"
                    yield row


def to_json(result: BatchResult) -> str:
    return json.dumps({k: v for k, v in asdict(result).items() if k != "rows"})
