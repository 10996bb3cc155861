"""Speech recognition accuracy and speed on the shared fixtures, plus timing ground truth.

For every reference set (GRID, PocketSphinx cards and goforward, speech_more) and three modes:

- ``plain``: the Transcriber without the filler prompt;
- ``verbatim``: the Transcriber with the filler prompt (what SpeechAnalyzer uses);
- ``verbatim_unguarded``: faster-whisper called directly with the same options and prompt but
  none of our guards, to show what the guards are worth;

it reports WER (normalised as in mockmirror.speech.wer), words tagged as fillers (the fixtures
are fluent read speech, so every one would be a false alarm) and the real-time factor. It also
measures word boundaries against the GRID alignment, and the response latency and pauses of an
answer assembled from GRID clips with silences of known length, and over a sweep of leads
(0.3-3 s) and pauses (0.4-3 s). Writes
benchmarks/results/speech_wer-YYYY-MM-DD.{json,md}.

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python benchmarks/speech_wer.py \
        [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before ctranslate2/onnxruntime load

import argparse
import platform
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from mockmirror import __version__
from mockmirror.media.decode import load_audio
from mockmirror.settings import Settings
from mockmirror.speech.analyzer import SpeechAnalyzer
from mockmirror.speech.asr import Transcriber
from mockmirror.speech.corpus import Reference, grid_alignment, speech_sets
from mockmirror.speech.fillers import tag_fillers
from mockmirror.speech.track import Word
from mockmirror.speech.wer import normalize_words, word_errors
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
RATE = 16_000
MODES = ("plain", "verbatim", "verbatim_unguarded")
# Assembled answer: silence, clip, long gap, clip, short gap, clip, silence (seconds).
LEAD_S, LONG_GAP_S, SHORT_GAP_S, TAIL_S = 1.5, 2.5, 0.6, 1.0


def machine_info() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "mockmirror": __version__,
    }


def unguarded_words(transcriber: Transcriber, audio: np.ndarray) -> list[Word]:
    """faster-whisper as documented (VAD filter, word timestamps, prompt), no extra guards."""
    options = transcriber.settings.speech
    segments, _ = transcriber.model.transcribe(
        audio,
        language=options.language,
        beam_size=options.beam_size,
        word_timestamps=True,
        vad_filter=True,
        condition_on_previous_text=False,
        initial_prompt=options.filler_prompt,
    )
    words = [
        Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
        for s in segments
        for w in s.words or []
        if w.word.strip()
    ]
    return tag_fillers(words)


def transcribe(transcriber: Transcriber, audio: np.ndarray, mode: str) -> list[Word]:
    if mode == "verbatim_unguarded":
        return unguarded_words(transcriber, audio)
    return transcriber.transcribe(audio, fillers=mode == "verbatim").words


def run_sets(
    transcriber: Transcriber, sets: dict[str, list[Reference]]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    clips, summary = [], {}
    audio = {ref.audio: load_audio(ref.audio, RATE) for refs in sets.values() for ref in refs}
    for mode in MODES:
        summary[mode] = {}
        for name, refs in sets.items():
            errors = ref_words = fillers = 0
            wall = cpu = duration = 0.0
            for ref in refs:
                samples = audio[ref.audio]
                started, cpu_started = time.perf_counter(), time.process_time()
                words = transcribe(transcriber, samples, mode)
                elapsed = time.perf_counter() - started
                cpu += time.process_time() - cpu_started
                hypothesis = " ".join(w.text for w in words)
                result = word_errors(ref.text, hypothesis)
                clip_fillers = sum(w.is_filler for w in words)
                errors, ref_words = errors + result.errors, ref_words + result.reference_words
                fillers += clip_fillers
                wall += elapsed
                duration += len(samples) / RATE
                clips.append(
                    {
                        "set": name,
                        "mode": mode,
                        "file": ref.audio.name,
                        "reference": ref.text,
                        "hypothesis": hypothesis,
                        "errors": result.errors,
                        "reference_words": result.reference_words,
                        "filler_words": clip_fillers,
                        "duration_s": round(len(samples) / RATE, 2),
                        "wall_s": round(elapsed, 2),
                    }
                )
            summary[mode][name] = {
                "clips": len(refs),
                "reference_words": ref_words,
                "errors": errors,
                "wer": round(errors / ref_words, 4),
                "filler_words": fillers,
                "audio_s": round(duration, 2),
                "wall_s": round(wall, 2),
                "real_time_factor": round(wall / duration, 3),
                "cpu_s_per_audio_s": round(cpu / duration, 3),
            }
            print(f"{mode:19s} {name:12s} WER {errors / ref_words:6.1%}  RTF {wall / duration:.2f}")
    return clips, summary


def long_answer(transcriber: Transcriber, sets: dict[str, list[Reference]]) -> dict[str, Any]:
    """WER and RTF on one ~88 s recording (all fixture clips, 0.5 s gaps): answer-length audio.

    Short clips are dominated by the fixed cost of one 30 s Whisper window; this is not. It also
    crosses Whisper's 30 s windows, where sentences can go missing.
    """
    gap = np.zeros(RATE // 2, np.float32)
    refs = [ref for refs in sets.values() for ref in refs]
    audio = np.concatenate([p for ref in refs for p in (load_audio(ref.audio, RATE), gap)])
    reference = " ".join(ref.text for ref in refs)
    result: dict[str, Any] = {"audio_s": round(len(audio) / RATE, 1)}
    for mode in MODES:
        started, cpu_started = time.perf_counter(), time.process_time()
        words = transcribe(transcriber, audio, mode)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        hypothesis = " ".join(w.text for w in words)
        result[mode] = {
            "wer": round(word_errors(reference, hypothesis).wer, 4),
            "wall_s": round(wall, 2),
            "real_time_factor": round(wall / (len(audio) / RATE), 3),
            "cpu_s_per_audio_s": round(cpu / (len(audio) / RATE), 3),
            "hypothesis": hypothesis,
        }
        row = result[mode]
        print(f"long answer {mode}: WER {row['wer']:.1%} RTF {row['real_time_factor']}")
    return result


def word_timing(transcriber: Transcriber, fixtures: Path) -> dict[str, Any]:
    """Word boundaries vs the GRID forced alignment of swwp2s (1/25000 s units)."""
    audio = load_audio(fixtures / "grid_av" / "audio_16k" / "id2_vcd_swwp2s.wav", RATE)
    truth = grid_alignment(fixtures / "grid_av" / "swwp2s.align")
    words = transcriber.transcribe(audio, fillers=True).words
    rows, i = [], 0
    for word in words:  # "P2" covers the aligned "p" and "two"
        n = len(normalize_words(word.text))
        covered = truth[i : i + n]
        i += n
        rows.append(
            {
                "word": word.text,
                "start": word.start,
                "end": word.end,
                "true_start": covered[0].start,
                "true_end": covered[-1].end,
                "start_error_s": round(word.start - covered[0].start, 3),
                "end_error_s": round(word.end - covered[-1].end, 3),
            }
        )
    errors = [abs(r["start_error_s"]) for r in rows] + [abs(r["end_error_s"]) for r in rows]
    return {
        "words": rows,
        "mean_abs_error_s": round(float(np.mean(errors)), 3),
        "max_abs_error_s": round(float(np.max(errors)), 3),
    }


def latency_and_pauses(analyzer: SpeechAnalyzer, fixtures: Path) -> dict[str, Any]:
    """Assembled answer from GRID swwp2s with known silences; truth from its alignment."""
    clip = load_audio(fixtures / "grid_av" / "audio_16k" / "id2_vcd_swwp2s.wav", RATE)
    truth = grid_alignment(fixtures / "grid_av" / "swwp2s.align")
    speech_start, speech_end, clip_s = truth[0].start, truth[-1].end, len(clip) / RATE

    def silence(seconds: float) -> np.ndarray:
        return np.zeros(round(seconds * RATE), np.float32)

    audio = np.concatenate(
        [
            silence(LEAD_S),
            clip,
            silence(LONG_GAP_S),
            clip,
            silence(SHORT_GAP_S),
            clip,
            silence(TAIL_S),
        ]
    )
    track = analyzer.analyze(audio)
    pauses = sorted(
        (e for e in track.events if e.kind in ("pause", "long_pause")), key=lambda e: e.start
    )
    true_latency = LEAD_S + speech_start
    true_pauses = [clip_s - speech_end + gap + speech_start for gap in (LONG_GAP_S, SHORT_GAP_S)]
    latency = track.summary.response_latency_s
    return {
        "true_latency_s": round(true_latency, 3),
        "measured_latency_s": latency,
        "latency_error_s": round(latency - true_latency, 3) if latency is not None else None,
        "true_pauses_s": [round(p, 3) for p in true_pauses],
        "measured_pauses": [
            {"kind": e.kind, "start": e.start, "duration_s": round(e.duration, 3)} for e in pauses
        ],
        "pause_errors_s": [
            round(e.duration - t, 3) for e, t in zip(pauses, true_pauses, strict=False)
        ],
        "words": track.summary.word_count,
        "words_per_minute": track.summary.words_per_minute,
    }


SWEEP_LEADS_S = (0.3, 0.8, 1.5, 3.0)
SWEEP_GAPS_S = (0.3, 0.5, 0.9, 1.9, 2.9)
SWEEP_EDGE_S = 0.05  # the clip is cut this far outside its aligned speech


def latency_pause_sweep(analyzer: SpeechAnalyzer, fixtures: Path) -> dict[str, Any]:
    """Response latency and pause lengths over a range of inserted silences.

    GRID swwp2s cut to its aligned speech ±0.05 s, repeated six times with the gaps of
    ``SWEEP_GAPS_S`` between (rotated per answer) after a lead of ``SWEEP_LEADS_S``. True
    latency = lead + 0.05 s; true pause = gap + 0.1 s (the clip's own edges either side).
    """
    clip = load_audio(fixtures / "grid_av" / "audio_16k" / "id2_vcd_swwp2s.wav", RATE)
    truth = grid_alignment(fixtures / "grid_av" / "swwp2s.align")
    lo = round((truth[0].start - SWEEP_EDGE_S) * RATE)
    hi = round((truth[-1].end + SWEEP_EDGE_S) * RATE)
    piece = clip[lo:hi]
    answers, latency_errors, pause_errors = [], [], []
    for k, lead in enumerate(SWEEP_LEADS_S):
        gaps = list(SWEEP_GAPS_S[k:] + SWEEP_GAPS_S[:k])
        parts = [np.zeros(round(lead * RATE), np.float32)]
        for gap in gaps:
            parts += [piece, np.zeros(round(gap * RATE), np.float32)]
        parts.append(piece)
        parts.append(np.zeros(RATE, np.float32))
        track = analyzer.analyze(np.concatenate(parts))
        measured = sorted(
            (e for e in track.events if e.kind in ("pause", "long_pause")), key=lambda e: e.start
        )
        true_latency = lead + SWEEP_EDGE_S
        true_pauses = [gap + 2 * SWEEP_EDGE_S for gap in gaps]
        latency = track.summary.response_latency_s
        latency_errors.append(None if latency is None else round(latency - true_latency, 3))
        errors = (
            [round(e.duration - t, 3) for e, t in zip(measured, true_pauses, strict=True)]
            if len(measured) == len(true_pauses)
            else None
        )
        if errors is not None:
            pause_errors.extend(errors)
        answers.append(
            {
                "lead_s": lead,
                "gaps_s": gaps,
                "true_latency_s": round(true_latency, 3),
                "measured_latency_s": latency,
                "true_pauses_s": [round(p, 3) for p in true_pauses],
                "measured_pauses_s": [round(e.duration, 3) for e in measured],
                "pause_kinds": [e.kind for e in measured],
                "pause_errors_s": errors,
            }
        )
    finite = [abs(e) for e in latency_errors if e is not None]
    return {
        "answers": answers,
        "latency_mean_abs_error_s": round(float(np.mean(finite)), 3) if finite else None,
        "latency_max_abs_error_s": round(float(np.max(finite)), 3) if finite else None,
        "pauses_found": sum(len(a["measured_pauses_s"]) for a in answers),
        "pauses_true": sum(len(a["true_pauses_s"]) for a in answers),
        "pause_mean_abs_error_s": round(float(np.mean(np.abs(pause_errors))), 3)
        if pause_errors
        else None,
        "pause_max_abs_error_s": round(float(np.max(np.abs(pause_errors))), 3)
        if pause_errors
        else None,
        "long_pauses_classified_right": sum(
            (kind == "long_pause") == (true >= 2.0)
            for a in answers
            for kind, true in zip(a["pause_kinds"], a["true_pauses_s"], strict=False)
        ),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Speech recognition benchmark ({report['date']})",
        "",
        f"Model: {report['model']}, int8, beam 5, CPU {report['machine']['cores']} cores "
        f"({report['machine']['cpu']}; 1-min load average at start "
        f"{report['machine']['load_average_1min_at_start']}: other work shared the machine). "
        f"Model load: {report['model_load_s']} s.",
        "",
        "WER = (substitutions + deletions + insertions) / reference words, summed over each set, "
        "after normalisation (lower case, no punctuation, digits spelled out, "
        "GRID 'K7' = 'k seven'). "
        "Filler words: words tagged as fillers; the fixtures are fluent read speech, so each one "
        "would be a false alarm. RTF = wall time / audio duration; CPU = process CPU seconds "
        "(all threads) per audio second, which depends less on other jobs than wall time. "
        "Short clips pay the fixed cost "
        "of one 30 s Whisper window; see the long-answer RTF).",
        "",
        "| set | clips | words | "
        + " | ".join(f"WER {m}" for m in MODES)
        + " | fillers verbatim |",
        "|---|---|---|" + "---|" * len(MODES) + "---|",
    ]
    summary, timing = report["summary"], report["word_timing"]
    for name, first in summary["plain"].items():
        wers = " | ".join(f"{summary[m][name]['wer']:.1%}" for m in MODES)
        lines.append(
            f"| {name} | {first['clips']} | {first['reference_words']} | {wers} | "
            f"{summary['verbatim'][name]['filler_words']} |"
        )
    audio_s = {m: sum(s["audio_s"] for s in summary[m].values()) for m in MODES}
    rtf = {m: sum(s["wall_s"] for s in summary[m].values()) / audio_s[m] for m in MODES}
    cpu = {
        m: sum(s["cpu_s_per_audio_s"] * s["audio_s"] for s in summary[m].values()) / audio_s[m]
        for m in MODES
    }
    lines += [
        "",
        "Over all clips: "
        + ", ".join(f"{m} RTF {rtf[m]:.2f} (CPU {cpu[m]:.2f})" for m in MODES)
        + ".",
        f"Long answer ({report['long_answer']['audio_s']} s, all clips joined with 0.5 s gaps): "
        + ", ".join(
            f"{m} WER {report['long_answer'][m]['wer']:.1%}, "
            f"RTF {report['long_answer'][m]['real_time_factor']:.2f} "
            f"(CPU {report['long_answer'][m]['cpu_s_per_audio_s']:.2f})"
            for m in MODES
        )
        + ".",
        "",
        "## Timing",
        "",
        "Word boundaries vs the GRID alignment (swwp2s, verbatim mode): mean absolute error "
        f"{timing['mean_abs_error_s']} s, worst {timing['max_abs_error_s']} s.",
        "",
        "| word | start | true start | end | true end |",
        "|---|---|---|---|---|",
    ]
    for row in report["word_timing"]["words"]:
        lines.append(
            f"| {row['word']} | {row['start']:.2f} | {row['true_start']:.2f} | "
            f"{row['end']:.2f} | {row['true_end']:.2f} |"
        )
    answer = report["assembled_answer"]
    sweep = report["latency_pause_sweep"]
    lines += [
        "",
        f"Assembled answer ({LEAD_S} s silence, GRID swwp2s, {LONG_GAP_S} s, swwp2s, "
        f"{SHORT_GAP_S} s, swwp2s): response latency {answer['measured_latency_s']} s vs "
        f"{answer['true_latency_s']} s true (error {answer['latency_error_s']:+.3f} s); pauses "
        + ", ".join(f"{p['kind']} {p['duration_s']} s" for p in answer["measured_pauses"])
        + f" vs true {answer['true_pauses_s']} (errors {answer['pause_errors_s']} s).",
        "",
        "### Latency and pause sweep",
        "",
        f"GRID swwp2s cut to its aligned speech ±{SWEEP_EDGE_S} s, six times in a row with "
        f"silences of {', '.join(map(str, SWEEP_GAPS_S))} s between (true pause = silence + "
        f"{2 * SWEEP_EDGE_S:.1f} s), after leads of {', '.join(map(str, SWEEP_LEADS_S))} s. "
        f"Latency error: mean {sweep['latency_mean_abs_error_s']} s, worst "
        f"{sweep['latency_max_abs_error_s']} s. Pauses found {sweep['pauses_found']} of "
        f"{sweep['pauses_true']}; length error mean {sweep['pause_mean_abs_error_s']} s, worst "
        f"{sweep['pause_max_abs_error_s']} s; long (≥ 2 s) vs short right for "
        f"{sweep['long_pauses_classified_right']}.",
        "",
        "| lead s | latency true | measured | pauses true | measured |",
        "|---|---|---|---|---|",
        *(
            f"| {a['lead_s']} | {a['true_latency_s']} | {a['measured_latency_s']} | "
            f"{a['true_pauses_s']} | {a['measured_pauses_s']} |"
            for a in sweep["answers"]
        ),
        "",
        "## Per clip (verbatim vs unguarded)",
        "",
        "| set | file | reference | verbatim | unguarded |",
        "|---|---|---|---|---|",
    ]
    by_key = {(c["mode"], c["set"], c["file"]): c for c in report["clips"]}
    for (mode, name, file), clip in by_key.items():
        if mode == "verbatim":
            raw = by_key[("verbatim_unguarded", name, file)]["hypothesis"]
            lines.append(
                f"| {name} | {file} | {clip['reference']} | {clip['hypothesis']} | {raw} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    settings = Settings()
    sets = speech_sets(args.fixtures)
    machine = machine_info()
    transcriber = Transcriber(settings)
    started = time.perf_counter()
    _ = transcriber.model
    load_s = round(time.perf_counter() - started, 2)
    clips, summary = run_sets(transcriber, sets)
    report = {
        "date": date.today().isoformat(),
        "model": settings.speech.asr_model,
        "settings": settings.speech.model_dump(mode="json"),
        "machine": machine,
        "model_load_s": load_s,
        "summary": summary,
        "long_answer": long_answer(transcriber, sets),
        "word_timing": word_timing(transcriber, args.fixtures),
        "assembled_answer": latency_and_pauses(
            SpeechAnalyzer(settings, transcriber=transcriber), args.fixtures
        ),
        "latency_pause_sweep": latency_pause_sweep(
            SpeechAnalyzer(settings, transcriber=transcriber), args.fixtures
        ),
        "clips": clips,
    }
    stem = write_dated(args.out, "speech_wer", report, markdown(report))
    print(f"wrote {stem}.json and .md")


if __name__ == "__main__":
    main()
