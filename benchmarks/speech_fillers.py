"""Filled-pause (um/uh) recall and precision, and false alarms on fluent real speech.

The fixtures hold no transcribed filled pause, so the fillers are SYNTHESISED: espeak-ng "uh"
(a held [V]) and "um" ([V] then [m]) of three lengths, in a male or female espeak voice matched
to the speaker, scaled to 3 dB under the speaker's level, are inserted at known times into
answers assembled from REAL fixture speech — between clips and in the clips' own pauses between
words, with 0.05-0.35 s of silence either side. A real "um" is coarticulated with its
neighbours and varies more in pitch; these numbers are an upper bound for read speech with
clean inserted hesitations, not a measurement on spontaneous speech.

Four modes separate the two detectors (SpeechAnalyzer default = prompt + acoustic):

- ``prompt+acoustic``: Whisper with the filler prompt, plus acoustic detection (hesitation.py);
- ``prompt``: transcribed fillers only;
- ``acoustic``: no filler prompt, acoustic detection only adds fillers Whisper did not write;
- ``neither``: plain Whisper, no acoustic detection (what a plain transcript would give).

A true filler counts as found when a filled-pause event (um, uh, er, ah, hmm or the acoustic
"uh/um") overlaps it widened by 0.2 s; each event matches one filler at most. Precision =
matched events / filled-pause events. Lexical fillers ("like", "you know") are counted apart:
the inserted sounds should never become one.

False alarms: every filler event of the default mode on fluent real clips (each fixture clip
alone, all joined into one 88 s answer, and the 11 GRID clips joined with 0.4 s gaps), per
minute of audio. Writes benchmarks/results/speech_fillers-YYYY-MM-DD.{json,md}.

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python benchmarks/speech_fillers.py \
        [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before ctranslate2/onnxruntime load

import argparse
import hashlib
import time
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from mockmirror.media.decode import load_audio
from mockmirror.settings import Settings
from mockmirror.speech import synthetic
from mockmirror.speech.analyzer import SpeechAnalyzer
from mockmirror.speech.asr import Transcriber
from mockmirror.speech.corpus import speech_sets
from mockmirror.speech.pitch import estimate_pitch
from mockmirror.speech.track import SpeechTrack, Transcript
from mockmirror.speech.vad import detect_speech
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
RATE = 16_000
MODES = {  # name: (filler prompt, acoustic detection)
    "prompt+acoustic": (True, True),
    "prompt": (True, False),
    "acoustic": (False, True),
    "neither": (False, False),
}
FILLED = {"um", "uh", "er", "ah", "hmm", "uh/um"}
MATCH_MARGIN_S = 0.2
MIN_INTERNAL_GAP_S = 0.15  # a clip's own pause between words long enough to hold a filler
EDGE_S = 0.15  # speech kept around each clip's detected speech
SEEDS = (1, 2)
RECALL_TARGET = 0.9


class CachedTranscriber:
    """One Whisper run per (audio, prompt): the acoustic switch does not change the words."""

    def __init__(self, inner: Transcriber) -> None:
        self.inner = inner
        self.settings = inner.settings
        self.cache: dict[tuple[str, bool], Transcript] = {}

    def transcribe(self, audio, fillers=False, speech=None, progress=None) -> Transcript:
        key = (hashlib.sha1(np.ascontiguousarray(audio).tobytes()).hexdigest(), bool(fillers))
        if key not in self.cache:
            self.cache[key] = self.inner.transcribe(audio, fillers=fillers, speech=speech)
        return self.cache[key]


def analyzer_for(settings: Settings, cached: CachedTranscriber, mode: str) -> SpeechAnalyzer:
    prompt, acoustic = MODES[mode]
    speech = settings.speech.model_copy(update={"acoustic_fillers": acoustic})
    analyzer = SpeechAnalyzer(settings.model_copy(update={"speech": speech}), transcriber=cached)
    analyzer.verbatim = prompt
    return analyzer


def prepared_clip(path: Path) -> tuple[np.ndarray, list[float], str]:
    """The clip trimmed to its speech (±0.15 s), its internal pauses, and the filler voice."""
    audio = load_audio(path, RATE)
    segments = detect_speech(audio)
    lo = max(0, round((segments[0].start - EDGE_S) * RATE))
    hi = min(audio.size, round((segments[-1].end + EDGE_S) * RATE))
    clip = audio[lo:hi]
    gaps = [
        (a.end + b.start) / 2 - lo / RATE
        for a, b in pairwise(segments)
        if b.start - a.end >= MIN_INTERNAL_GAP_S
    ]
    pitch = estimate_pitch(clip, [s for s in detect_speech(clip)])
    median = float(np.nanmedian(pitch.f0_hz)) if pitch.voiced.any() else 100.0
    voice = synthetic.FEMALE_VOICE if median > synthetic.FEMALE_ABOVE_HZ else synthetic.MALE_VOICE
    return clip, gaps, voice


def build_answers(fixtures: Path) -> list[dict[str, Any]]:
    sets = speech_sets(fixtures)
    groups = {
        "grid": [r.audio for r in sets["grid"]],
        "read": [r.audio for name in ("cards", "goforward", "speech_more") for r in sets[name]],
    }
    answers = []
    for name, paths in groups.items():
        prepared = [prepared_clip(p) for p in paths]
        for seed in SEEDS:
            audio, placed = synthetic.with_fillers(
                [c for c, _, _ in prepared],
                np.random.default_rng(seed),
                voices=[v for _, _, v in prepared],
                internal_gaps=[g for _, g, _ in prepared],
            )
            answers.append(
                {
                    "name": f"{name}-seed{seed}",
                    "audio": audio,
                    "fillers": [p for p in placed if p.kind in ("uh", "um")],
                    "voices": sorted({v for _, _, v in prepared}),
                }
            )
    return answers


def score(track: SpeechTrack, truth: list[synthetic.Placed]) -> dict[str, Any]:
    events = [e for e in track.events if e.kind == "filler"]
    filled = [e for e in events if e.label in FILLED]
    used: set[int] = set()
    rows = []
    for f in truth:
        hit = None
        for i, e in enumerate(filled):
            if i not in used and e.start < f.end + MATCH_MARGIN_S and e.end > f.start - MATCH_MARGIN_S:
                hit = i
                used.add(i)
                break
        rows.append(
            {
                "kind": f.kind,
                "start": f.start,
                "end": f.end,
                "found_as": filled[hit].label if hit is not None else None,
                "source": None
                if hit is None
                else ("acoustic" if filled[hit].label == "uh/um" else "transcribed"),
            }
        )
    found = sum(r["found_as"] is not None for r in rows)
    return {
        "true_fillers": len(truth),
        "found": found,
        "filled_pause_events": len(filled),
        "matched_events": len(used),
        "false_events": [
            {"label": e.label, "start": e.start, "end": e.end}
            for i, e in enumerate(filled)
            if i not in used
        ],
        "lexical_filler_events": len(events) - len(filled),
        "acoustic_events": sum(e.label == "uh/um" for e in filled),
        "fillers": rows,
        "transcript": track.transcript.text,
    }


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    true = sum(r["true_fillers"] for r in results)
    found = sum(r["found"] for r in results)
    events = sum(r["filled_pause_events"] for r in results)
    matched = sum(r["matched_events"] for r in results)
    by_kind = {}
    for kind in ("uh", "um"):
        rows = [f for r in results for f in r["fillers"] if f["kind"] == kind]
        by_kind[kind] = round(sum(f["found_as"] is not None for f in rows) / len(rows), 3)
    return {
        "true_fillers": true,
        "found": found,
        "recall": round(found / true, 3) if true else None,
        "recall_by_kind": by_kind,
        "filled_pause_events": events,
        "precision": round(matched / events, 3) if events else None,
        "acoustic_events": sum(r["acoustic_events"] for r in results),
        "lexical_filler_events": sum(r["lexical_filler_events"] for r in results),
    }


def fluent_clips(fixtures: Path) -> list[tuple[str, np.ndarray]]:
    sets = speech_sets(fixtures)
    clips = [(r.audio.name, load_audio(r.audio, RATE)) for refs in sets.values() for r in refs]
    gap = np.zeros(RATE // 2, np.float32)
    joined = np.concatenate([p for _, a in clips for p in (a, gap)])
    grid = [a for name, a in clips if any(r.audio.name == name for r in sets["grid"])]
    grid_gap = np.zeros(round(0.4 * RATE), np.float32)
    grid_joined = np.concatenate([p for a in grid for p in (a, grid_gap)])
    return [
        *clips,
        ("all clips joined, 0.5 s gaps", joined),
        ("GRID joined, 0.4 s gaps", grid_joined),
    ]


def false_alarms(analyzer: SpeechAnalyzer, fixtures: Path) -> dict[str, Any]:
    rows, minutes, count = [], 0.0, 0
    for name, audio in fluent_clips(fixtures):
        track = analyzer.analyze(audio)
        events = [e for e in track.events if e.kind == "filler"]
        seconds = audio.size / RATE
        minutes += seconds / 60
        count += len(events)
        rows.append(
            {
                "clip": name,
                "seconds": round(seconds, 2),
                "filler_events": [
                    {"label": e.label, "start": e.start, "end": e.end} for e in events
                ],
            }
        )
    return {
        "audio_min": round(minutes, 2),
        "filler_events": count,
        "per_minute": round(count / minutes, 3),
        "clips": rows,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Filled-pause detection benchmark ({report['date']})",
        "",
        "**The filled pauses are synthesised** (espeak-ng \"uh\" = held [V], \"um\" = [V]+[m], "
        "three lengths, male or female espeak voice matched to the speaker, 3 dB under its "
        "level) and inserted at known times into answers assembled from **real** fixture "
        "speech: between clips and in the clips' own pauses between words, with 0.05-0.35 s "
        "of silence either side. Real, coarticulated hesitations will be harder.",
        "",
        f"Answers: {', '.join(a['name'] for a in report['answers'])} "
        f"({report['audio_s']} s in all, {report['true_fillers']} fillers). "
        f"Target: recall ≥ {RECALL_TARGET} on um/uh.",
        "",
        "| mode | recall | recall uh | recall um | precision | events | of which acoustic | "
        "lexical fillers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for mode, row in report["modes"].items():
        t = row["total"]
        lines.append(
            f"| {mode} | {t['recall']:.3f} ({t['found']}/{t['true_fillers']}) | "
            f"{t['recall_by_kind']['uh']:.2f} | {t['recall_by_kind']['um']:.2f} | "
            f"{t['precision']:.3f} | {t['filled_pause_events']} | {t['acoustic_events']} | "
            f"{t['lexical_filler_events']} |"
        )
    fa = report["false_alarms"]
    lines += [
        "",
        f"False alarms on fluent real speech (default mode, {fa['audio_min']} min: "
        f"{len(fa['clips']) - 2} fixture clips alone, all joined, GRID joined): "
        f"{fa['filler_events']} filler events = {fa['per_minute']} per minute.",
        "",
    ]
    flagged = [c for c in fa["clips"] if c["filler_events"]]
    for clip in flagged:
        lines.append(f"- {clip['clip']}: {clip['filler_events']}")
    lines += ["", "## Missed and false in the default mode", ""]
    for answer in report["modes"]["prompt+acoustic"]["answers"]:
        missed = [f for f in answer["fillers"] if f["found_as"] is None]
        lines.append(
            f"- {answer['name']}: missed "
            + (", ".join(f"{f['kind']} at {f['start']:.2f} s" for f in missed) or "none")
            + "; false "
            + (
                ", ".join(f"{e['label']} at {e['start']:.2f} s" for e in answer["false_events"])
                or "none"
            )
        )
    lines += [
        "",
        f"Wall time {report['wall_s']} s on {report['cores']} cores (shared with other jobs).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    if not synthetic.available():
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    started = time.perf_counter()
    settings = Settings()
    cached = CachedTranscriber(Transcriber(settings))
    answers = build_answers(args.fixtures)
    modes: dict[str, Any] = {}
    for mode in MODES:
        analyzer = analyzer_for(settings, cached, mode)
        results = []
        for answer in answers:
            result = score(analyzer.analyze(answer["audio"]), answer["fillers"])
            results.append({"name": answer["name"], **result})
        modes[mode] = {"total": totals(results), "answers": results}
        t = modes[mode]["total"]
        print(f"{mode:16s} recall {t['recall']} precision {t['precision']}")
    fa = false_alarms(analyzer_for(settings, cached, "prompt+acoustic"), args.fixtures)
    print(f"false alarms: {fa['filler_events']} in {fa['audio_min']} min")
    report = {
        "benchmark": "speech_fillers",
        "date": date.today().isoformat(),
        "synthesised_fillers": "espeak-ng " + ", ".join(synthetic.FILLER_HOLDS),
        "answers": [
            {"name": a["name"], "seconds": round(a["audio"].size / RATE, 2),
             "fillers": len(a["fillers"]), "voices": a["voices"]}
            for a in answers
        ],
        "audio_s": round(sum(a["audio"].size for a in answers) / RATE, 1),
        "true_fillers": sum(len(a["fillers"]) for a in answers),
        "recall_target": RECALL_TARGET,
        "modes": modes,
        "false_alarms": fa,
        "wall_s": round(time.perf_counter() - started, 1),
        "cores": os.cpu_count(),
    }
    stem = write_dated(args.out, "speech_fillers", report, markdown(report))
    print(f"wrote {stem}.json and .md")


if __name__ == "__main__":
    main()
