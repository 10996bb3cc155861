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
from xml.sax.saxutils import escape

import numpy as np

from mockmirror.core.arrays import Float32Array, FloatArray
from mockmirror.media.decode import load_audio

SAMPLE_RATE = 16_000
VOICE = "en-us"
# espeak-ng "uh" is the vowel [V] (as in "cup"), "um" is [Vm]; lengthened like a real hesitation.
FILLER_PHONEMES = {"uh": "[[V::]]", "um": "[[V::m:]]"}


# A plain spoken answer (ours) for the espeak-ng checks of pace, pitch and level.
SAMPLE_ANSWER = (
    "In my last role I led the migration of our billing system to a new database. "
    "The old system was slow and hard to change, so we planned the move in small steps. "
    "We wrote tests for every report first, then moved one customer group at a time. "
    "When something broke we could roll back within minutes. "
    "We finished two weeks early, and the team learned a lot about careful planning."
)


def available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(
    text: str,
    rate_wpm: int = 160,
    pitch: int = 50,
    amplitude: int = 100,
    voice: str = VOICE,
    trim: bool = True,
    pitch_range: int = 100,
) -> Float32Array:
    """``text`` read by espeak-ng as 16 kHz mono float32, leading/trailing silence trimmed.

    ``pitch_range`` (percent of the voice's normal intonation, SSML ``<prosody range>``): 0 reads
    on one pitch (SD ≈ 0.15 semitones), 100 is espeak's own (≈ 1.8 semitones).
    """
    options: list[str] = []
    if pitch_range != 100:
        options = ["-m"]
        text = f'<speak><prosody range="{pitch_range}%">{escape(text)}</prosody></speak>'
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "say.wav"
        subprocess.run(
            [
                "espeak-ng", "-v", voice, "-s", str(rate_wpm), "-p", str(pitch),
                "-a", str(amplitude), *options, "-w", str(wav), text,
            ],
            check=True,
            capture_output=True,
        )
        audio = load_audio(wav, SAMPLE_RATE)
    return trim_silence(audio) if trim else audio


def trim_silence(audio: Float32Array, floor: float = 1e-3) -> Float32Array:
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
) -> tuple[Float32Array, list[Placed]]:
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


# ---- Real speech with synthesised filled pauses at known times ---------------------------------
# Vowel length marks: ":" lengthens; one to three give fillers of roughly 0.25-0.6 s.
FILLER_HOLDS = (":", "::", ":::")
FEMALE_ABOVE_HZ = 160.0  # a speaker whose median pitch is above this gets the female voice
MALE_VOICE, FEMALE_VOICE = VOICE, f"{VOICE}+f3"  # about 97 Hz and 198 Hz at pitch 50
FILLER_LEVEL_DB = -3.0  # fillers sit a little under the speaker's own speech level


def filler(kind: str, voice: str = VOICE, pitch: int = 50, hold: str = "::") -> Float32Array:
    """One espeak-ng filled pause: "uh" = held [V], "um" = held [V] then [m]."""
    phonemes = f"[[V{hold}]]" if kind == "uh" else f"[[V{hold}m:]]"
    return speak(phonemes, pitch=pitch, voice=voice)


def _rms(audio: FloatArray) -> float:
    loud = audio[np.abs(audio) > 0.1 * np.abs(audio).max()] if audio.size else audio
    return float(np.sqrt(np.mean(loud.astype(np.float64) ** 2))) if loud.size else 0.0


def with_fillers(
    clips: list[FloatArray],
    rng: np.random.Generator,
    voices: list[str] | None = None,
    internal_gaps: list[list[float]] | None = None,
    share: float = 1.0,
    lead_s: float = 0.5,
    tail_s: float = 0.5,
) -> tuple[Float32Array, list[Placed]]:
    """Real clips joined into one answer with espeak-ng "uh"/"um" at known times.

    A filler may go between two clips and at each of ``internal_gaps[i]`` (seconds into clip i:
    its own pauses between words), each with probability ``share``; kind, length and the
    silences either side (0.05-0.35 s) are drawn from ``rng``. ``voices[i]`` is the espeak voice
    for the fillers after clip i (match the speaker's sex); the filler is scaled to 3 dB under
    that clip's speech level. Returns the audio and every placed filler and clip piece.
    """
    voices = voices or [VOICE] * len(clips)
    internal_gaps = internal_gaps or [[] for _ in clips]
    out = [np.zeros(round(lead_s * SAMPLE_RATE), np.float32)]
    placed: list[Placed] = []
    t = lead_s

    def add(audio: FloatArray, kind: str, text: str) -> None:
        nonlocal t
        out.append(audio.astype(np.float32))
        end = t + audio.size / SAMPLE_RATE
        if kind != "gap":
            placed.append(Placed(kind, text, round(t, 3), round(end, 3)))
        t = end

    def insert(reference: FloatArray, voice: str) -> None:
        kind = str(rng.choice(["uh", "um"]))
        sound = filler(kind, voice=voice, hold=str(rng.choice(FILLER_HOLDS)))
        target = _rms(reference) * 10 ** (FILLER_LEVEL_DB / 20)
        sound = sound * (target / max(_rms(sound), 1e-9))
        add(np.zeros(round(rng.uniform(0.05, 0.35) * SAMPLE_RATE)), "gap", "")
        add(sound, kind, kind)
        add(np.zeros(round(rng.uniform(0.05, 0.35) * SAMPLE_RATE)), "gap", "")

    for i, clip in enumerate(clips):
        cut = 0
        for gap_t in internal_gaps[i]:
            at = round(gap_t * SAMPLE_RATE)
            if rng.random() < share:
                add(clip[cut:at], "speech", "")
                insert(clip, voices[i])
                cut = at
        add(clip[cut:], "speech", "")
        if i + 1 < len(clips) and rng.random() < share:
            insert(clip, voices[i])
        elif i + 1 < len(clips):
            add(np.zeros(round(0.4 * SAMPLE_RATE)), "gap", "")
    out.append(np.zeros(round(tail_s * SAMPLE_RATE), np.float32))
    return np.concatenate(out).astype(np.float32), placed
