"""Filled pauses Whisper left out: voiced, pitch-steady sound between words with no word on it.

Whisper is trained on clean transcripts and drops "um"/"uh" even with the filler prompt now and
then. A filled pause is acoustically plain: a held vowel (and for "um" a nasal), voiced all
through, with nearly flat pitch, 0.2-1.5 s long. Stretches of detected speech that no word
covers and that look like that are counted as fillers with label "uh/um" (the vowel alone does
not tell them apart reliably). Speech Whisper failed to recognise is not steady-pitched for
long, so it rarely passes; the rules still prefer missing a filler to inventing one.
"""

from __future__ import annotations

import numpy as np

from mockmirror.core.types import Event
from mockmirror.speech.fillers import filled_pause_label
from mockmirror.speech.pitch import HOP_S, PitchTrack, hz_to_semitones
from mockmirror.speech.track import Segment, Word

MIN_FILLER_S = 0.2
MAX_FILLER_S = 1.5
MIN_VOICED_SHARE = 0.7  # of the 10 ms frames in the stretch
MAX_PITCH_SD_ST = 1.5  # a held vowel; words sweep through several semitones
# ... and its 10th-90th percentile spread stays small. A word's end that Whisper closed early
# can have a low SD (a fall, then a steady vowel: GRID "three | now", 178 → 107 Hz) but a wide
# spread; filled pauses are flat or gently falling (Shriberg 2001, J. Int. Phonetic Assoc. 31).
MAX_PITCH_SPREAD_ST = 2.5
# Whisper writes a filled pause it heard with tight edges, and its time can be off by up to
# ~0.4 s (espeak fillers: "Uh..." placed 0.7 s after the filler's start); the rest of the same
# "uuhm" is uncovered speech near it and must not be counted a second time.
NEAR_WRITTEN_FILLER_S = 0.5
WORD_MARGIN_S = 0.03  # Whisper word edges are loose; keep clear of them
LABEL = "uh/um"
ACOUSTIC_CONFIDENCE = 0.5  # heard, not transcribed: less sure than a written "um"


def uncovered_speech(segments: list[Segment], words: list[Word]) -> list[Segment]:
    """Parts of the speech segments that no word's [start, end] covers."""
    spans = sorted((w.start - WORD_MARGIN_S, w.end + WORD_MARGIN_S) for w in words)
    out: list[Segment] = []
    for s in segments:
        t = s.start
        for a, b in spans:
            if b <= t or a >= s.end:
                continue
            if a > t:
                out.append(Segment(t, a))
            t = max(t, b)
        if t < s.end:
            out.append(Segment(t, s.end))
    return out


def acoustic_filler_events(
    segments: list[Segment], words: list[Word], pitch: PitchTrack, after_s: float = 0.0
) -> list[Event]:
    """``filler`` events (label "uh/um") for voiced, steady stretches of speech with no word.

    Only between words: a stretch before the first word or after the last is a cough, a laugh
    or a word Whisper lost as often as a hesitation. Nor beside a filled pause Whisper wrote
    down: that is the same hesitation.
    """
    if not words or pitch.times.size == 0:
        return []
    first, last = words[0].start, words[-1].end
    written = [w for w in words if filled_pause_label(w.text) is not None]
    events = []
    for gap in uncovered_speech(segments, words):
        if gap.start < max(first, after_s) or gap.end > last:
            continue
        if any(
            w.start - NEAR_WRITTEN_FILLER_S < gap.end and gap.start < w.end + NEAR_WRITTEN_FILLER_S
            for w in written
        ):
            continue
        inside = (pitch.times >= gap.start) & (pitch.times < gap.end)
        frames = int(inside.sum())
        if frames * HOP_S < MIN_FILLER_S:
            continue
        voiced = inside & pitch.voiced
        if voiced.sum() < MIN_VOICED_SHARE * frames:
            continue
        # The voiced core: the longest steady run decides, not the stretch edges.
        times = pitch.times[voiced]
        st = hz_to_semitones(pitch.f0_hz[voiced])
        duration = float(times[-1] - times[0]) + HOP_S
        if not MIN_FILLER_S <= duration <= MAX_FILLER_S or float(np.std(st)) > MAX_PITCH_SD_ST:
            continue
        low, high = np.percentile(st, [10, 90])
        if high - low > MAX_PITCH_SPREAD_ST:
            continue
        events.append(
            Event("filler", round(float(times[0]) - HOP_S / 2, 3),
                  round(float(times[-1]) + HOP_S / 2, 3), None, LABEL, ACOUSTIC_CONFIDENCE)
        )
    return events
