"""Synthetic speech from espeak-ng, for validation only (tests and benchmarks; never at run time).

Real recordings with filled pauses at known times, or the same sentence read at known rates,
pitches and loudness, are not in the fixtures. espeak-ng (GPL-3, a separate program we only
call, Debian package ``espeak-ng``) reads text at a controlled rate (``-s`` words per minute),
pitch (``-p`` 0-99) and amplitude (``-a`` 0-200), so monotonic checks and filler recall can be
measured against a known truth. Results on synthetic speech are labelled as such.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mockmirror.media.decode import load_audio

SAMPLE_RATE = 16_000
VOICE = "en-us"
# espeak-ng "uh" is the vowel [V] (as in "cup"), "um" is [Vm]; lengthened like a real hesitation.
FILLER_PHONEMES = {"uh": "[[V::]]", "um": "[[V::m:]]"}


def available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(
    text: str,
    rate_wpm: int = 160,
    pitch: int = 50,
    amplitude: int = 100,
    voice: str = VOICE,
    trim: bool = True,
) -> np.ndarray:
    """``text`` read by espeak-ng as 16 kHz mono float32, leading/trailing silence trimmed."""
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "say.wav"
        subprocess.run(
            [
                "espeak-ng", "-v", voice, "-s", str(rate_wpm), "-p", str(pitch),
                "-a", str(amplitude), "-w", str(wav), text,
            ],
            check=True,
            capture_output=True,
        )
        audio = load_audio(wav, SAMPLE_RATE)
    return trim_silence(audio) if trim else audio


def trim_silence(audio: np.ndarray, floor: float = 1e-3) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > floor)
    if loud.size == 0:
        return audio[:0]
    return audio[loud[0] : loud[-1] + 1]


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a piece landed in an assembled recording (seconds)."""

    kind: str  # "speech", "uh", "um"
    text: str
    start: float
    end: float


def assemble(
    pieces: list[tuple[str, str]],
    gap_s: float = 0.25,
    lead_s: float = 0.5,
    tail_s: float = 0.5,
    rate_wpm: int = 160,
    pitch: int = 50,
    voice: str = VOICE,
) -> tuple[np.ndarray, list[Placed]]:
    """Join ``(kind, text)`` pieces with ``gap_s`` of silence; ``kind`` "uh"/"um" is a filler.

    Returns the audio and where each piece sits, so a benchmark knows each filler's true time.
    """
    gap = np.zeros(round(gap_s * SAMPLE_RATE), dtype=np.float32)
    parts = [np.zeros(round(lead_s * SAMPLE_RATE), dtype=np.float32)]
    placed: list[Placed] = []
    t = lead_s
    for kind, text in pieces:
        said = FILLER_PHONEMES.get(kind, text)
        audio = speak(said, rate_wpm=rate_wpm, pitch=pitch, voice=voice)
        if placed:
            parts.append(gap)
            t += gap_s
        parts.append(audio)
        placed.append(Placed(kind, text, round(t, 3), round(t + audio.size / SAMPLE_RATE, 3)))
        t += audio.size / SAMPLE_RATE
    parts.append(np.zeros(round(tail_s * SAMPLE_RATE), dtype=np.float32))
    return np.concatenate(parts).astype(np.float32), placed
