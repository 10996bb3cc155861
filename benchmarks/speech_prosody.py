"""Monotonic checks of pace, pitch, intonation and volume with espeak-ng, and noise/level checks
on real speech.

SYNTHETIC part: espeak-ng (``speech/synthetic.py``) reads one 76-word interview answer at
controlled settings, one setting changed at a time, and the whole SpeechAnalyzer pipeline
measures it (a check passes when the measure rises strictly with the setting; monotone time
must fall, from some to none):

- rate ``-s`` 100/130/160/190/220 WPM → words per minute, syllables per second;
- pitch ``-p`` 10/30/50/70/90 → mean pitch (Hz);
- intonation range (SSML ``<prosody range>``) 0/20/50/100/200 % → pitch SD (semitones) and
  ``monotone`` events;
- amplitude ``-a`` 25/50/100/200 → mean speech level (dBFS);
- a reading that changes from 110 to 210 WPM halfway → the rolling 20 s pace and pace events.

A check passes when the measure rises strictly with the setting. espeak's settings are nominal
(its "160 WPM" is not exactly 160 words a minute), so only the order and the rough scale count.

REAL part (fixture speech): the LibriSpeech clip with white noise added at 30/20/10/5 dB SNR
(with 1 s of silence either side) → measured SNR; the JFK clip scaled by -30/-20/-10/0 dB and
driven ×8 into clipping → level, too-quiet/too-loud/clipping events; monotone events on every
real clip over 5 s. Writes benchmarks/results/speech_prosody-YYYY-MM-DD.{json,md}.

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python benchmarks/speech_prosody.py \
        [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before ctranslate2/onnxruntime load

import argparse
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
from mockmirror.speech.corpus import speech_sets
from mockmirror.speech.prosody import speech_samples
from mockmirror.speech.track import SpeechTrack
from mockmirror.speech.vad import detect_speech
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
RATE = 16_000
ANSWER = synthetic.SAMPLE_ANSWER
LEAD = np.zeros(RATE // 2, np.float32)
FALLING = {"monotone_s"}  # measures that should fall as the setting rises


def padded(audio: np.ndarray) -> np.ndarray:
    return np.concatenate([LEAD, audio, LEAD])


def sweep(
    analyzer: SpeechAnalyzer, name: str, values: list[int], make, measures: dict[str, Any]
) -> dict[str, Any]:
    rows = []
    for value in values:
        track = analyzer.analyze(padded(make(value)))
        rows.append({"setting": value, **{k: f(track) for k, f in measures.items()}})
    checks = {}
    for key in measures:
        series = [r[key] for r in rows]
        if any(v is None for v in series):
            checks[key] = False
        elif key in FALLING:  # flagged time: never rises, and goes from some to none
            checks[key] = all(b <= a for a, b in pairwise(series)) and series[0] > series[-1] == 0
        else:
            checks[key] = all(b > a for a, b in pairwise(series))
    print(f"{name}: " + ", ".join(f"{k} {'monotonic' if v else 'NOT monotonic'}" for k, v in checks.items()))
    return {"setting": name, "rows": rows, "monotonic": checks}


def monotone_seconds(track: SpeechTrack) -> float:
    return round(sum(e.end - e.start for e in track.events if e.kind == "monotone"), 2)


def synthetic_checks(analyzer: SpeechAnalyzer) -> list[dict[str, Any]]:
    s = lambda t: t.summary  # noqa: E731
    return [
        sweep(analyzer, "rate -s (WPM)", [100, 130, 160, 190, 220],
              lambda v: synthetic.speak(ANSWER, rate_wpm=v),
              {"words_per_minute": lambda t: s(t).words_per_minute,
               "syllables_per_second": lambda t: s(t).syllables_per_second,
               "articulation_rate_syl_per_s": lambda t: s(t).articulation_rate_syl_per_s}),
        sweep(analyzer, "pitch -p", [10, 30, 50, 70, 90],
              lambda v: synthetic.speak(ANSWER, pitch=v),
              {"mean_pitch_hz": lambda t: s(t).mean_pitch_hz}),
        sweep(analyzer, "intonation range %", [0, 20, 50, 100, 200],
              lambda v: synthetic.speak(ANSWER, pitch_range=v),
              {"pitch_variation_st": lambda t: s(t).pitch_variation_st,
               "pitch_range_st": lambda t: s(t).pitch_range_st,
               "monotone_s": monotone_seconds}),
        sweep(analyzer, "amplitude -a", [25, 50, 100, 200],
              lambda v: synthetic.speak(ANSWER, amplitude=v),
              {"mean_volume_dbfs": lambda t: s(t).mean_volume_dbfs}),
    ]  # fmt: skip


def speed_up(analyzer: SpeechAnalyzer) -> dict[str, Any]:
    sentences = ANSWER.split(". ")
    slow = synthetic.speak(". ".join(sentences[:3]) + ".", rate_wpm=110)
    fast = synthetic.speak(ANSWER + " " + ". ".join(sentences[:2]) + ".", rate_wpm=210)
    gap = np.zeros(round(0.3 * RATE), np.float32)
    track = analyzer.analyze(np.concatenate([gap, slow, gap, fast, gap]))
    change = (gap.size + slow.size) / RATE
    return {
        "change_at_s": round(change, 2),
        "duration_s": track.summary.duration_s,
        "pace_series": track.pace_series,
        "events": [
            {"kind": e.kind, "start": e.start, "end": e.end, "wpm": e.value}
            for e in track.events
            if e.kind in ("slow_pace", "fast_pace")
        ],
        "overall_wpm": track.summary.words_per_minute,
    }


def snr_checks(analyzer: SpeechAnalyzer, fixtures: Path) -> dict[str, Any]:
    clip = load_audio(fixtures / "speech_more" / "2412-153948-0000.flac", RATE)
    pad = np.zeros(RATE, np.float32)
    clean = np.concatenate([pad, clip, pad])
    power = float(np.mean(speech_samples(clean, detect_speech(clean), RATE).astype(float) ** 2))
    rows = [{"added_snr_db": None, "measured_snr_db": analyzer.analyze(clean).summary.snr_db}]
    for snr in (30.0, 20.0, 10.0, 5.0):
        noise = np.random.default_rng(int(snr)).normal(0, np.sqrt(power / 10 ** (snr / 10)),
                                                       clean.size)
        track = analyzer.analyze((clean + noise).astype(np.float32))
        rows.append({
            "added_snr_db": snr,
            "measured_snr_db": track.summary.snr_db,
            "words": track.summary.word_count,
            "reliability": track.reliability.score,
        })  # fmt: skip
    measured = [r["measured_snr_db"] for r in rows[1:]]
    return {
        "clip": clip.size / RATE,
        "rows": rows,
        "monotonic": all(b < a for a, b in pairwise(measured)),
        "mean_abs_error_db": round(
            float(np.mean([abs(r["measured_snr_db"] - r["added_snr_db"]) for r in rows[1:]])), 2
        ),
    }


def level_checks(analyzer: SpeechAnalyzer, fixtures: Path) -> dict[str, Any]:
    jfk = load_audio(fixtures / "speech_more" / "jfk.flac", RATE)
    rows = []
    for name, audio in [
        ("-30 dB", jfk * 10 ** (-30 / 20)),
        ("-20 dB", jfk * 0.1),
        ("-10 dB", jfk * 10 ** (-10 / 20)),
        ("as recorded", jfk),
        ("x8, clipped", np.clip(jfk * 8.0, -1.0, 1.0)),
    ]:
        track = analyzer.analyze(audio.astype(np.float32))
        kinds = [e.kind for e in track.events]
        rows.append({
            "gain": name,
            "mean_volume_dbfs": track.summary.mean_volume_dbfs,
            "too_quiet_s": round(sum(e.duration for e in track.events if e.kind == "too_quiet"), 1),
            "too_loud_s": round(sum(e.duration for e in track.events if e.kind == "too_loud"), 1),
            "clipping_events": kinds.count("clipping"),
            "clipped_fraction": track.summary.clipped_fraction,
            "reliability": track.reliability.score,
            "reasons": list(track.reliability.reasons),
        })  # fmt: skip
    levels = [r["mean_volume_dbfs"] for r in rows]
    return {"rows": rows, "monotonic": all(b > a for a, b in pairwise(levels))}


def real_monotone(analyzer: SpeechAnalyzer, fixtures: Path) -> dict[str, Any]:
    rows = []
    for refs in speech_sets(fixtures).values():
        for ref in refs:
            audio = load_audio(ref.audio, RATE)
            if audio.size < 5 * RATE:
                continue
            track = analyzer.analyze(audio)
            rows.append({
                "clip": ref.audio.name,
                "pitch_variation_st": track.summary.pitch_variation_st,
                "monotone_s": monotone_seconds(track),
            })  # fmt: skip
    return {"clips": rows, "flagged": sum(r["monotone_s"] > 0 for r in rows)}


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Prosody benchmark ({report['date']})",
        "",
        "**Synthetic speech** (espeak-ng, one 76-word answer, one setting changed at a time) "
        "through the whole SpeechAnalyzer pipeline. espeak's settings are nominal; a check "
        "passes when the measure rises strictly with the setting (monotone seconds: falls, "
        "from some to none).",
        "",
    ]
    for check in report["synthetic"]:
        keys = list(check["monotonic"])
        lines += [
            f"### {check['setting']}",
            "",
            "| setting | " + " | ".join(keys) + " |",
            "|---|" + "---|" * len(keys),
            *(
                f"| {r['setting']} | " + " | ".join(str(r[k]) for k in keys) + " |"
                for r in check["rows"]
            ),
            "",
            "Monotonic: "
            + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in check["monotonic"].items()),
            "",
        ]
    up = report["speed_up"]
    lines += [
        "### Speeding up (110 → 210 WPM at "
        f"{up['change_at_s']} s of {up['duration_s']} s)",
        "",
        "Rolling 20 s pace: "
        + ", ".join(f"{t:.0f} s {v:.0f}" for t, v in up["pace_series"][::3])
        + ". Events: "
        + ", ".join(f"{e['kind']} {e['start']}-{e['end']} s ({e['wpm']:.0f} WPM)"
                    for e in up["events"])
        + ".",
        "",
        "## Real speech",
        "",
        "SNR: LibriSpeech 2412-153948-0000 with 1 s of silence either side and white noise "
        "added at a known speech-to-noise ratio.",
        "",
        "| added SNR dB | measured SNR dB |",
        "|---|---|",
        *(f"| {r['added_snr_db'] if r['added_snr_db'] is not None else 'none'} | "
          f"{r['measured_snr_db']} |" for r in report["snr"]["rows"]),
        "",
        f"Monotonic: {'yes' if report['snr']['monotonic'] else 'NO'}; mean absolute error "
        f"{report['snr']['mean_abs_error_db']} dB.",
        "",
        "Levels: JFK inaugural clip (11 s) at several gains (too quiet < -40 dBFS for 2 s, "
        "too loud > -10 dBFS for 1 s).",
        "",
        "| gain | mean dBFS | too quiet s | too loud s | clipping events | clipped share | "
        "reliability |",
        "|---|---|---|---|---|---|---|",
        *(f"| {r['gain']} | {r['mean_volume_dbfs']} | {r['too_quiet_s']} | {r['too_loud_s']} | "
          f"{r['clipping_events']} | {r['clipped_fraction']} | {r['reliability']} |"
          for r in report["levels"]["rows"]),
        "",
        f"Monotone events on real clips over 5 s: {report['real_monotone']['flagged']} of "
        f"{len(report['real_monotone']['clips'])} flagged ("
        + ", ".join(f"{c['clip']} SD {c['pitch_variation_st']} st"
                    for c in report["real_monotone"]["clips"])
        + ").",
        "",
        f"Wall time {report['wall_s']} s on {report['cores']} cores (shared with other jobs).",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    if not synthetic.available():
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    started = time.perf_counter()
    analyzer = SpeechAnalyzer(Settings())
    report = {
        "benchmark": "speech_prosody",
        "date": date.today().isoformat(),
        "synthetic": synthetic_checks(analyzer),
        "speed_up": speed_up(analyzer),
        "snr": snr_checks(analyzer, args.fixtures),
        "levels": level_checks(analyzer, args.fixtures),
        "real_monotone": real_monotone(analyzer, args.fixtures),
    }
    report["all_monotonic"] = all(
        v for check in report["synthetic"] for v in check["monotonic"].values()
    ) and report["snr"]["monotonic"] and report["levels"]["monotonic"]
    report["wall_s"] = round(time.perf_counter() - started, 1)
    report["cores"] = os.cpu_count()
    stem = write_dated(args.out, "speech_prosody", report, markdown(report))
    print(f"all monotonic: {report['all_monotonic']}; wrote {stem}.json and .md")


if __name__ == "__main__":
    main()
