"""Does spectral-gating noise reduction before ASR lower WER on noisy speech?

The real read-speech clips of ``speech_more`` and the ~88 s answer made of every fixture clip
(as in benchmarks/speech_wer.py) get seeded noise added at 20, 10 and 5 dB SNR: white noise,
pink noise (1/f) and babble (four streams of other fixture speech, GRID + PocketSphinx,
summed). Each noisy version, and the clean audio, is transcribed the way SpeechAnalyzer does it
(voice activity on the audio as recorded, verbatim mode) with and without ``spectral_gate``
applied to the samples Whisper reads. SNR = active speech power (inside the clean audio's
voice activity segments) over mean noise power. Writes
benchmarks/results/speech_denoise-YYYY-MM-DD.{json,md}.

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python benchmarks/speech_denoise.py \
        [--fixtures ../shared/fixtures] [--no-long]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before ctranslate2/onnxruntime load

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from mockmirror.media.decode import load_audio
from mockmirror.settings import Settings
from mockmirror.speech.asr import Transcriber
from mockmirror.speech.corpus import Reference, speech_sets
from mockmirror.speech.track import Segment
from mockmirror.speech.vad import detect_speech, prepare
from mockmirror.speech.wer import word_errors
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
RATE = 16_000
SNRS_DB = (20.0, 10.0, 5.0)
NOISES = ("white", "pink", "babble")
SEED = 20261203

# Spectral gating (the stationary method of noisereduce, Sainburg 2020, in numpy: noisereduce
# itself needs scipy and joblib, which the project does not ship).
N_FFT, HOP = 512, 128  # 32 ms window, 8 ms hop at 16 kHz
GATE_STD = 1.5  # a bin is speech when it exceeds the noise mean by this many noise SDs (dB)
GATE_FLOOR = 0.1  # gain of gated bins (-20 dB) rather than 0: less "musical noise"
DIGITAL_SILENCE_DB = -120.0  # frames quieter than this (mean bin dB) are exact zeros
MIN_NOISE_S = 0.25  # less non-speech than this: take the quietest 10 % of frames instead


def _stft(x: np.ndarray) -> np.ndarray:
    pad = np.pad(x, (N_FFT // 2, N_FFT // 2 + HOP), mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(pad, N_FFT)[::HOP]
    return np.fft.rfft(frames * np.hanning(N_FFT), axis=1)


def _istft(spec: np.ndarray, length: int) -> np.ndarray:
    window = np.hanning(N_FFT)
    frames = np.fft.irfft(spec, n=N_FFT, axis=1) * window
    total = (frames.shape[0] - 1) * HOP + N_FFT
    out, norm = np.zeros(total), np.zeros(total)
    for i, frame in enumerate(frames):
        out[i * HOP : i * HOP + N_FFT] += frame
        norm[i * HOP : i * HOP + N_FFT] += window**2
    out /= np.maximum(norm, 1e-8)
    return out[N_FFT // 2 : N_FFT // 2 + length]


def _smooth(mask: np.ndarray, frames: int = 5, bins: int = 3) -> np.ndarray:
    """Moving average of the gate over time and frequency (fewer isolated bins)."""
    for axis, width in ((0, frames), (1, bins)):
        kernel = np.ones(width) / width
        mask = np.apply_along_axis(lambda v, k=kernel: np.convolve(v, k, mode="same"), axis, mask)
    return mask


def spectral_gate(audio: np.ndarray, speech: list[Segment]) -> np.ndarray:
    """Stationary spectral gating; noise profile from the frames outside ``speech``."""
    x = prepare(audio).astype(np.float64)
    if x.size < N_FFT:
        return x.astype(np.float32)
    spec = _stft(x)
    db = 20 * np.log10(np.abs(spec) + 1e-10)
    times = np.arange(spec.shape[0]) * HOP / RATE
    noise = np.ones(spec.shape[0], bool)
    for s in speech:
        noise &= ~((times >= s.start - 0.05) & (times <= s.end + 0.05))
    energy = db.mean(axis=1)
    noise &= energy > DIGITAL_SILENCE_DB  # zero padding is no noise sample: it breaks the SD
    if noise.sum() * HOP / RATE < MIN_NOISE_S:
        live = energy > DIGITAL_SILENCE_DB
        if not live.any():
            return x.astype(np.float32)
        noise = live & (energy <= np.quantile(energy[live], 0.1))
    threshold = db[noise].mean(axis=0) + GATE_STD * db[noise].std(axis=0)
    gain = _smooth((db > threshold).astype(np.float64))
    gain = GATE_FLOOR + (1 - GATE_FLOOR) * gain
    return prepare(_istft(spec * gain, x.size))


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spectrum.size)
    spectrum[1:] /= np.sqrt(f[1:])
    spectrum[0] = 0
    return np.fft.irfft(spectrum, n)


def _babble(n: int, rng: np.random.Generator, talkers: list[np.ndarray]) -> np.ndarray:
    """Four streams of shuffled fixture talkers, each looped to length, summed."""
    out = np.zeros(n)
    for _ in range(4):
        order = rng.permutation(len(talkers))
        stream = np.concatenate([talkers[i] / (np.std(talkers[i]) + 1e-9) for i in order])
        stream = np.roll(stream, int(rng.integers(stream.size)))
        out += np.resize(stream, n)
    return out


def add_noise(
    clean: np.ndarray, kind: str, snr_db: float, seed: int, talkers: list[np.ndarray]
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = clean.size
    if kind == "white":
        noise = rng.standard_normal(n)
    elif kind == "pink":
        noise = _pink(n, rng)
    else:
        noise = _babble(n, rng, talkers)
    speech = detect_speech(clean)
    active = np.zeros(n, bool)
    for s in speech:
        active[int(s.start * RATE) : int(s.end * RATE)] = True
    signal_power = float(np.mean(clean[active] ** 2)) if active.any() else float(np.mean(clean**2))
    noise *= np.sqrt(signal_power / 10 ** (snr_db / 10) / np.mean(noise**2))
    return prepare(clean + noise)


def wer_of(
    transcriber: Transcriber, audio: np.ndarray, reference: str, denoise: bool
) -> tuple[int, int, str, float]:
    """As SpeechAnalyzer: voice activity on the recorded audio, denoised samples to Whisper."""
    speech = detect_speech(audio)
    samples = spectral_gate(audio, speech) if denoise else audio
    started = time.perf_counter()
    words = transcriber.transcribe(samples, fillers=True, speech=speech).words
    hypothesis = " ".join(w.text for w in words)
    result = word_errors(reference, hypothesis)
    return result.errors, result.reference_words, hypothesis, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--no-long", action="store_true", help="skip the 88 s joined answer")
    parser.add_argument("--render", type=Path, help="only rewrite the .md of this results .json")
    args = parser.parse_args()
    if args.render:
        report = json.loads(args.render.read_text(encoding="utf-8"))
        args.render.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
        return
    settings = Settings()
    sets = speech_sets(args.fixtures)
    transcriber = Transcriber(settings)
    talkers = [load_audio(r.audio, RATE) for name in ("grid", "cards", "goforward") for r in sets[name]]
    items: list[tuple[str, np.ndarray, str]] = [
        (r.audio.name, load_audio(r.audio, RATE), r.text) for r in sets["speech_more"]
    ]
    if not args.no_long:
        gap = np.zeros(RATE // 2, np.float32)
        refs: list[Reference] = [ref for refs in sets.values() for ref in refs]
        joined = np.concatenate([p for ref in refs for p in (load_audio(ref.audio, RATE), gap)])
        items.append(("long_answer", joined, " ".join(ref.text for ref in refs)))
    conditions = [("clean", None)] + [(k, snr) for k in NOISES for snr in SNRS_DB]
    rows: list[dict[str, Any]] = []
    gate_s = 0.0
    for kind, snr in conditions:
        for index, (name, clean, reference) in enumerate(items):
            seed = SEED + 1000 * index + (0 if snr is None else int(snr))
            noisy = clean if snr is None else add_noise(clean, kind, snr, seed, talkers)
            for denoise in (False, True):
                started = time.perf_counter()
                if denoise:
                    spectral_gate(noisy, detect_speech(noisy))
                    gate_s += time.perf_counter() - started
                errors, ref_words, hypothesis, wall = wer_of(transcriber, noisy, reference, denoise)
                rows.append(
                    {
                        "noise": kind,
                        "snr_db": snr,
                        "item": name,
                        "denoise": denoise,
                        "errors": errors,
                        "reference_words": ref_words,
                        "hypothesis": hypothesis,
                        "asr_wall_s": round(wall, 2),
                    }
                )
        table = summarise(rows)
        for key in (k for k in table if k.startswith(f"{kind} {snr}")):
            print(key, table[key], flush=True)
    total_audio = sum(c.size for _, c, _ in items) / RATE
    report = {
        "date": date.today().isoformat(),
        "model": settings.speech.asr_model,
        "snr_definition": "active speech power (clean VAD segments) / mean noise power",
        "gate": {
            "n_fft": N_FFT,
            "hop": HOP,
            "std": GATE_STD,
            "floor": GATE_FLOOR,
            "noise_profile": (
                "frames outside VAD speech (+-50 ms), digital silence excluded; "
                "quietest 10 % of frames if < 0.25 s"
            ),
            "cpu_s_per_audio_s": round(gate_s / (total_audio * (len(conditions))), 4),
        },
        "seed": SEED,
        "items": {name: round(c.size / RATE, 1) for name, c, _ in items},
        "summary": summarise(rows),
        "rows": rows,
    }
    stem = write_dated(args.out, "speech_denoise", report, markdown(report))
    print(f"wrote {stem}.json and .md")


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """WER by condition and subset (speech_more clips pooled; the long answer alone)."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        subset = "long_answer" if row["item"] == "long_answer" else "speech_more"
        key = f"{row['noise']} {row['snr_db']} {subset}"
        cell = out.setdefault(key, {"errors_off": 0, "errors_on": 0, "words": 0})
        cell["errors_on" if row["denoise"] else "errors_off"] += row["errors"]
        if not row["denoise"]:
            cell["words"] += row["reference_words"]
    for cell in out.values():
        cell["wer_off"] = round(cell["errors_off"] / cell["words"], 4)
        cell["wer_on"] = round(cell["errors_on"] / cell["words"], 4)
    return out


def markdown(report: dict[str, Any]) -> str:
    gate = report["gate"]
    lines = [
        f"# Noise reduction before ASR ({report['date']})",
        "",
        f"Model {report['model']}, verbatim mode, voice activity on the noisy audio (as "
        "SpeechAnalyzer). Spectral gating: STFT "
        f"{gate['n_fft']}/{gate['hop']}, gate at noise mean + {gate['std']} SD per bin, "
        f"gated bins x{gate['floor']}, noise profile = {gate['noise_profile']}; "
        f"{gate['cpu_s_per_audio_s']} s per audio second. SNR = {report['snr_definition']}. "
        f"Seed {report['seed']}. Items: " + ", ".join(f"{k} {v} s" for k, v in report["items"].items()) + ".",
        "",
        "WER without (off) and with (on) the gate; errors / reference words. Both subsets:",
        "errors pooled over the 5 speech_more clips and the long answer (237 words).",
        "",
        "| noise | SNR dB | speech_more off | on | long answer off | on | both off | on |",
        "|---|---|---|---|---|---|---|---|",
    ]
    summary = report["summary"]
    conditions = dict.fromkeys(k.rsplit(" ", 1)[0] for k in summary)
    for condition in conditions:
        kind, snr = condition.split(" ")
        cells, off, on, words = [], 0, 0, 0
        for subset in ("speech_more", "long_answer"):
            cell = summary.get(f"{condition} {subset}")
            cells += [f"{cell['wer_off']:.1%}", f"{cell['wer_on']:.1%}"] if cell else ["-", "-"]
            if cell:
                off, on, words = (
                    off + cell["errors_off"],
                    on + cell["errors_on"],
                    words + cell["words"],
                )
        cells += [f"{off / words:.1%}", f"{on / words:.1%}"]
        snr_text = "-" if snr == "None" else f"{float(snr):g}"
        lines.append(f"| {kind} | {snr_text} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
