"""`mockmirror score-answer`: content sub-scores, their evidence and the overall content score.

The answer is a text file (typed answer) or the JSON that ``mockmirror transcribe --json`` writes
(a spoken answer: word times become the evidence's times, fillers are tagged from the words).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mockmirror.core.clock import clock
from mockmirror.core.types import MockmirrorError

MAX_FILE_BYTES = 5_000_000


def read_answer_file(path: Path) -> tuple[str | None, list | None]:
    """(text, None) for a text file, (None, words) for a transcript JSON; '-' reads stdin."""
    from mockmirror.speech.track import Word

    if str(path) == "-":
        raw = sys.stdin.read()
    else:
        if not path.is_file():
            raise MockmirrorError(f"{path}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MockmirrorError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB; not an answer")
        data = path.read_bytes()
        if b"\x00" in data[:4096]:
            raise MockmirrorError(f"{path}: a binary file, not a text answer or transcript JSON")
        raw = data.decode("utf-8", errors="replace")
    stripped = raw.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError:
            return raw, None
        if isinstance(doc, dict) and isinstance(doc.get("words"), list):
            from mockmirror.speech.fillers import tag_fillers

            try:
                words = [
                    Word(
                        str(w.get("word", w.get("text", ""))).strip(),
                        float(w["start"]),
                        float(w["end"]),
                        float(w.get("probability", 1.0)),
                        bool(w.get("is_filler", False)),
                    )
                    for w in doc["words"]
                ]
            except (KeyError, TypeError, ValueError) as exc:
                raise MockmirrorError(
                    f"{path}: transcript JSON words need word, start and end ({exc})"
                ) from exc
            if not any(w.is_filler for w in words):
                words = tag_fillers(words)
            return None, words
    return raw, None


def _clock(seconds: float | None) -> str:
    return "" if seconds is None else clock(seconds, tenths=True)


def score_answer(
    question: Annotated[str, typer.Option("--question", "-q", help="The question that was answered.")],
    answer_file: Annotated[
        Path,
        typer.Option(
            "--answer-file", "-f", help="The answer: a text file, a `transcribe --json` file, or '-' (stdin)."
        ),
    ],
    key_point: Annotated[
        list[str] | None,
        typer.Option("--key-point", "-k", help="A point a good answer covers (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full analysis as JSON.")] = False,
    evidence: Annotated[int, typer.Option(help="Evidence items shown per sub-score.")] = 3,
) -> None:
    """Score an answer's content: relevance, STAR structure, specificity, ownership, style…"""
    from mockmirror.language.content import analyze_content
    from mockmirror.language.embedding import SentenceEncoder
    from mockmirror.language.tools import LanguageTools
    from mockmirror.models import ModelStore
    from mockmirror.settings import Settings

    text, words = read_answer_file(answer_file)
    settings = Settings()
    encoder = None
    if question.strip():
        store = ModelStore(settings.model_dir)
        if settings.content.embedding_model == "all-MiniLM-L6-v2" and not store.is_ready("all-MiniLM-L6-v2"):
            raise MockmirrorError("the sentence encoder is not installed: run `mockmirror models install`")
        encoder = SentenceEncoder(settings.content.embedding_model, store)
    result = analyze_content(
        question,
        encoder,
        words=words,
        text=text,
        key_points=key_point,
        tools=LanguageTools(settings.content),
        settings=settings.content,
    )
    if as_json:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n")
        return
    out = Console(highlight=False, soft_wrap=True)
    overall = "–" if result.overall_score is None else f"{result.overall_score:.0f}/100"
    out.print(
        f"[bold]Content score: {overall}[/]  ({result.word_count} words, {result.question_type} question)"
    )
    for note in result.notes:
        out.print(f"[yellow]note:[/] {escape(note)}")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("sub-score")
    table.add_column("score", justify="right")
    table.add_column("counts as", justify="right")
    table.add_column("what was measured")
    for name, sub in result.scores.items():
        score = "–" if sub.score is None else f"{sub.score:.0f}"
        if sub.max_deduction:
            role = f"−{sub.deduction:.1f} of {sub.max_deduction:.0f}"
        elif sub.weight:
            role = f"weight {sub.weight:.0f}"
        else:
            role = "–"
        table.add_row(name, score, role, escape(sub.summary))
    out.print(table)
    for name, sub in result.scores.items():
        if not sub.evidence or evidence <= 0:
            continue
        out.print(f"[bold]{name}[/]")
        for cue in sub.evidence[:evidence]:
            when = f"[{_clock(cue.start)}–{_clock(cue.end)}] " if cue.start is not None else ""
            text_part = cue.text if len(cue.text) <= 120 else cue.text[:117] + "…"
            out.print(f"  {when}{escape(cue.note)}: “{escape(text_part)}”")
