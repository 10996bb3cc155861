"""Live nudges during an answer: sparse, calm, computed from the streamed frames and audio.

Typed observations in (``VisualSample`` per frame, ``AudioChunk`` per PCM chunk), at most one
``Nudge`` out per ``cue_min_interval_s``. The rules are simple on purpose: each nudge names
something the candidate can change at once, and the full analysis after the answer is what
measures. ``slow down`` counts syllable-like energy peaks (a speaking-rate proxy that needs no
transcript), so it is a rough guide, not a word count.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from mockmirror.settings import WebSettings

MESSAGES = {
    "look_at_camera": "Look at the camera now and then.",
    "face_hidden": "Move so your face is in view.",
    "slow_down": "Take it a little slower.",
    "speak_up": "A little louder would help.",
}


@dataclass(frozen=True, slots=True)
class VisualSample:
    t: float  # seconds into the answer
    face_found: bool
    eye_contact: bool | None  # None: eyes not readable (closed, no face)


@dataclass(frozen=True, slots=True)
class Nudge:
    kind: str
    message: str
    t: float  # answer time the nudge is about


class CueEngine:
    """Holds the short history each rule needs; not thread-safe (one live worker feeds it)."""

    WARM_UP_S = 4.0  # no nudge in the first seconds: people settle in

    def __init__(self, settings: WebSettings, sample_rate: int = 16_000) -> None:
        self.settings = settings
        self.sample_rate = sample_rate
        self._last_cue_t = -math.inf
        self._away_since: float | None = None
        self._hidden_since: float | None = None
        self._frames_20ms: deque[tuple[float, float]] = deque()  # (t, rms dBFS) for 8 s
        self._audio_t = 0.0
        self._pending = np.zeros(0, dtype=np.float32)
        self.sent: list[Nudge] = []

    def _emit(self, kind: str, t: float) -> Nudge | None:
        if t < self.WARM_UP_S or t - self._last_cue_t < self.settings.cue_min_interval_s:
            return None
        self._last_cue_t = t
        cue = Nudge(kind, MESSAGES[kind], round(t, 2))
        self.sent.append(cue)
        return cue

    # --- visual ---------------------------------------------------------------------------------
    def on_visual(self, sample: VisualSample) -> Nudge | None:
        hold = self.settings.cue_look_away_s
        if not sample.face_found:
            self._away_since = None
            self._hidden_since = sample.t if self._hidden_since is None else self._hidden_since
            if sample.t - self._hidden_since >= hold:
                cue = self._emit("face_hidden", sample.t)
                if cue:
                    self._hidden_since = None
                return cue
            return None
        self._hidden_since = None
        if sample.eye_contact is False:
            self._away_since = sample.t if self._away_since is None else self._away_since
            if sample.t - self._away_since >= hold:
                cue = self._emit("look_at_camera", sample.t)
                if cue:
                    self._away_since = None
                return cue
        elif sample.eye_contact:
            self._away_since = None
        return None

    # --- audio ----------------------------------------------------------------------------------
    def on_audio(self, pcm: np.ndarray) -> Nudge | None:
        """``pcm``: float32 mono at ``sample_rate``, the next chunk of the answer."""
        step = self.sample_rate // 50  # 20 ms
        data = np.concatenate([self._pending, pcm.astype(np.float32)])
        n = len(data) // step
        self._pending = data[n * step :]
        if n == 0:
            return None
        blocks = data[: n * step].reshape(n, step)
        rms = np.sqrt(np.mean(blocks**2, axis=1) + 1e-12)
        for level in 20 * np.log10(rms):
            self._audio_t += 0.02
            self._frames_20ms.append((self._audio_t, float(level)))
        while self._frames_20ms and self._frames_20ms[0][0] < self._audio_t - 8.0:
            self._frames_20ms.popleft()
        return self._audio_rules()

    def _audio_rules(self) -> Nudge | None:
        if self._audio_t < 4.0:
            return None
        levels = np.array([lv for _, lv in self._frames_20ms])
        floor = float(np.percentile(levels, 10))
        speech = levels > max(floor + 12.0, -55.0)
        recent = speech[-200:]  # last 4 s
        if recent.mean() < 0.4:
            return None  # mostly silence: nothing to judge
        speech_level = float(10 * np.log10(np.mean(10 ** (levels[-200:][recent] / 10))))
        if speech_level < self.settings.cue_quiet_dbfs:
            return self._emit("speak_up", self._audio_t)
        if self.syllable_rate(levels, speech) > self.settings.cue_fast_syllables_per_s:
            return self._emit("slow_down", self._audio_t)
        return None

    @staticmethod
    def syllable_rate(levels: np.ndarray, speech: np.ndarray) -> float:
        """Energy peaks (≥ 4 dB over the dips either side, ≥ 100 ms apart) per second of speech."""
        speech_s = float(speech.sum()) * 0.02
        if speech_s < 2.0:
            return 0.0
        smooth = np.convolve(levels, np.ones(3) / 3, mode="same")
        peaks, last = 0, -10
        for i in range(2, len(smooth) - 2):
            if not speech[i] or i - last < 5:
                continue
            window = smooth[max(0, i - 6) : i + 7]
            if smooth[i] == window.max() and smooth[i] - window.min() >= 4.0:
                peaks += 1
                last = i
        return peaks / speech_s
