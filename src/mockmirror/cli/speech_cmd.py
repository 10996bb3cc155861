"""`mockmirror speech FILE` (every voice measure of one answer) and `mockmirror bench speech`."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from mockmirror.core.types import MockmirrorError

out = Console()
err = Console(stderr=True)

# Not an emotion estimate: these are the prosodic measures the literature links with arousal.
AROUSAL_LABEL = (
    "prosodic indicators of arousal (energy, pitch variability, rate); measured sound, not an "
    "emotion estimate: no speech-emotion model runs offline here"
)
BENCH_TARGET_RTF = 0.3  # the target on 2 cores


def _load(media: Path, sample_rate: int) -> tuple[Any, float]:
    from mockmirror.media import load_audio, probe

    if not media.exists():
        raise MockmirrorError(f"{media}: no such file")
    info = probe(media)
    if not info.has_audio:
        raise MockmirrorError(f"{media}: has no audio stream")
    audio = load_audio(media, sample_rate)
    return audio, info.duration


def track_to_dict(track: Any) -> dict[str, Any]:
    """The SpeechTrack as JSON-ready data (the same encoding as the report's `speech`)."""
    from pydantic import TypeAdapter

    from mockmirror.speech.track import SpeechTrack

    return TypeAdapter(SpeechTrack).dump_python(track, mode="json")


def arousal_indicators(track: Any) -> dict[str, Any]:
    s = track.summary
    return {
        "label": AROUSAL_LABEL,
        "volume_variation_db": s.volume_variation_db,
        "pitch_variation_st": s.pitch_variation_st,
        "pitch_range_st": s.pitch_range_st,
        "articulation_rate_syl_per_s": s.articulation_rate_syl_per_s,
    }


def speech(
    media: Annotated[Path, typer.Argument(help="Audio or video file of one answer.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every measure, series and event as JSON.")
    ] = False,
    question_end: Annotated[
        float, typer.Option(help="Seconds into the recording when the question ended (latency).")
    ] = 0.0,
) -> None:
    """Voice delivery of one answer: transcript, fillers, pace, pauses, latency, pitch, volume, noise."""
    from mockmirror.settings import Settings
    from mockmirror.speech.analyzer import SpeechAnalyzer

    settings = Settings()
    audio, _ = _load(media, settings.media.audio_sample_rate)
    track = SpeechAnalyzer(settings).analyze(audio, question_end_s=question_end)
    if as_json:
        data = {
            "file": media.name,
            **track_to_dict(track),
            "prosodic_arousal_indicators": arousal_indicators(track),
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    _print_summary(track)


def _fmt(value: Any, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _print_summary(track: Any) -> None:
    s = track.summary
    if track.note:
        err.print(f"[yellow]{track.note}[/]")
    out.print(track.transcript.text or "[dim](no words recognised)[/]")
    low, high = s.pace_band_wpm or (None, None)
    rows = [
        ("words", _fmt(s.word_count)),
        ("pace", f"{_fmt(s.words_per_minute, ' WPM')} (target {low:.0f}-{high:.0f})"
         if low is not None else _fmt(s.words_per_minute, " WPM")),
        ("syllables per second", _fmt(s.syllables_per_second, digits=2)),
        ("response latency", _fmt(s.response_latency_s, " s", 2)),
        ("pauses", f"{s.pause_count} (longest {s.longest_pause_s:.1f} s, "
                   f"{s.long_pause_count} over the long-pause limit)"),
        ("fillers", f"{s.filler_count} ({_fmt(s.filler_rate_per_min, '/min')})"
                    + (f": {s.fillers_by_word}" if s.fillers_by_word else "")),
        ("pitch", f"{_fmt(s.mean_pitch_hz, ' Hz')}, range {_fmt(s.pitch_range_st, ' st')}, "
                  f"variation {_fmt(s.pitch_variation_st, ' st')}"),
        ("volume", f"{_fmt(s.mean_volume_dbfs, ' dBFS')}, variation "
                   f"{_fmt(s.volume_variation_db, ' dB')}"),
        ("signal to noise", _fmt(s.snr_db, " dB")),
        ("reliability", f"{track.reliability.score:.2f}"
         + (f" ({'; '.join(track.reliability.reasons)})" if track.reliability.reasons else "")),
    ]
    for name, value in rows:
        out.print(f"[bold]{name:<22}[/] {value}", highlight=False)
    for event in track.events:
        if event.kind != "pause":
            out.print(f"  {event.start:7.2f}s  {event.kind:<11} {event.label}", highlight=False)


def _default_fixtures() -> Path | None:
    roots = [os.environ.get("MOCKMIRROR_FIXTURES"), Path.cwd().parent / "shared" / "fixtures",
             Path(__file__).resolve().parents[3].parent / "shared" / "fixtures"]
    for root in roots:
        if root and (Path(root) / "speech_more").is_dir():
            return Path(root)
    return None


def bench_audio(fixtures: Path, sample_rate: int) -> tuple[Any, str]:
    """Every speech fixture clip joined with 0.5 s gaps (~88 s): one long, realistic answer."""
    import numpy as np

    from mockmirror.media import load_audio
    from mockmirror.speech.corpus import speech_sets

    gap = np.zeros(sample_rate // 2, dtype=np.float32)
    parts = []
    for references in speech_sets(fixtures).values():
        for reference in references:
            parts += [load_audio(reference.audio, sample_rate), gap]
    return np.concatenate(parts), "all speech fixture clips joined with 0.5 s gaps"


def bench_report(audio: Any, source: str, settings: Any) -> dict[str, Any]:
    """Time SpeechAnalyzer.analyze (model load apart) on ``audio``; RTF = wall / audio seconds."""
    from mockmirror.speech.analyzer import SpeechAnalyzer
    from mockmirror.speech.vad import SAMPLE_RATE

    started = time.perf_counter()
    analyzer = SpeechAnalyzer(settings)
    _ = analyzer.transcriber.model  # load now, so the timing below is the analysis itself
    load_s = time.perf_counter() - started
    stages: dict[str, float] = {}
    marks: list[tuple[str, float]] = []

    def progress(stage: str, _fraction: float) -> None:
        if not marks or marks[-1][0] != stage:
            marks.append((stage, time.perf_counter()))

    cpu0, wall0 = time.process_time(), time.perf_counter()
    track = analyzer.analyze(audio, progress=progress)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    marks.append(("end", time.perf_counter()))
    for (stage, t0), (_, t1) in pairwise(marks):
        stages[stage] = round(stages.get(stage, 0.0) + t1 - t0, 3)
    duration = audio.size / SAMPLE_RATE
    rtf = wall / duration
    return {
        "benchmark": "speech",
        "date": date.today().isoformat(),
        "audio": source,
        "audio_s": round(duration, 2),
        "model": settings.speech.asr_model,
        "compute_type": settings.speech.compute_type,
        "cpu_threads": settings.speech.cpu_threads,
        "cores": os.cpu_count(),
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "model_load_s": round(load_s, 2),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "rtf": round(rtf, 3),
        "rtf_cpu": round(cpu / duration, 3),
        "target_rtf": BENCH_TARGET_RTF,
        "meets_target": rtf <= BENCH_TARGET_RTF,
        "stages_s": stages,
        "words": track.summary.word_count,
    }


def bench_speech(
    audio_file: Annotated[Path | None, typer.Option(
        "--audio", help="Answer to time (default: the speech fixture clips joined, ~88 s).")] = None,
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", help="Where the dated JSON goes ('-' = do not write).")
    ] = Path("benchmarks") / "results",
) -> None:
    """Real-time factor of the whole speech analysis (VAD, Whisper, measures, pitch) (JSON)."""
    from mockmirror.settings import Settings

    settings = Settings()
    rate = settings.media.audio_sample_rate
    if audio_file is not None:
        audio, _ = _load(audio_file, rate)
        source = audio_file.name
    else:
        fixtures = _default_fixtures()
        if fixtures is None:
            raise MockmirrorError("no audio to time: pass --audio or set MOCKMIRROR_FIXTURES")
        audio, source = bench_audio(fixtures, rate)
    if audio.size == 0:
        raise MockmirrorError("the audio to time is empty")
    report = bench_report(audio, source, settings)
    if str(out_dir) != "-":
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"speech_bench-{report['date']}.json"
        target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        report["written_to"] = str(target)
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
