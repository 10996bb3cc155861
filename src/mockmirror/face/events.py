"""Turn per-frame face measures into timed events (pure functions, no models).

Times are seconds from the start of the recording. A stretch of samples i..j becomes an event
from sample i's time to the time of the sample after j (or one sampling step after j at the end),
so a stretch of one 10 fps sample lasts 0.1 s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mockmirror.core.types import Event
from mockmirror.face.track import FaceFrame

# A closure longer than this is not a blink but eyes kept shut (blinks last 100-400 ms).
MAX_BLINK_S = 0.5
# Looking away for less than this is a glance, not a lapse in eye contact.
GAZE_AWAY_MIN_S = 1.0
# Smiles: shorter dips below the threshold do not split a smile; shorter smiles are flicker.
SMILE_MERGE_GAP_S = 0.3
SMILE_MIN_S = 0.3
# Detector dropouts shorter than this are not "left the frame".
NO_FACE_MIN_S = 0.5
MULTIPLE_FACES_MIN_S = 0.5


@dataclass(frozen=True, slots=True)
class EyeSample:
    """Eye state at one (densely sampled) frame; ``closed`` None = no face to measure."""

    t: float
    closed: bool | None


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Inclusive (first, last) index pairs of consecutive True values."""
    found, start = [], None
    for index, flag in enumerate(flags):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            found.append((start, index - 1))
            start = None
    if start is not None:
        found.append((start, len(flags) - 1))
    return found


def end_time(times: Sequence[float], last: int, step: float, duration: float | None) -> float:
    end = times[last + 1] if last + 1 < len(times) else times[last] + step
    return min(end, duration) if duration else end


def merge_close(spans: list[tuple[int, int]], times: Sequence[float], gap_s: float
                ) -> list[tuple[int, int]]:
    """Join spans whose gap (from the end of one to the start of the next) is <= ``gap_s``."""
    merged: list[tuple[int, int]] = []
    for first, last in spans:
        if merged and times[first] - times[merged[-1][1]] <= gap_s + 1e-6:
            merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def blink_events(
    samples: Sequence[EyeSample], min_samples: int = 1, step: float = 0.0,
    duration: float | None = None,
) -> tuple[list[Event], list[Event]]:
    """(blinks, eyes_closed) from a dense eye-state series.

    A blink is a closure of at most MAX_BLINK_S with open eyes measured just before and after it
    (a closure cut by a lost face or the recording's edge is not counted). Longer closures are
    reported as ``eyes_closed``.
    """
    times = [s.t for s in samples]
    blinks, closed_spells = [], []
    for first, last in runs([s.closed is True for s in samples]):
        start = times[first]
        end = end_time(times, last, step, duration)
        length = end - start
        if length > MAX_BLINK_S:
            closed_spells.append(Event("eyes_closed", start, end, value=length))
            continue
        opened_before = first > 0 and samples[first - 1].closed is False
        opened_after = last + 1 < len(samples) and samples[last + 1].closed is False
        if opened_before and opened_after and last - first + 1 >= min_samples:
            blinks.append(Event("blink", start, end, value=length))
    return blinks, closed_spells


def _stretch_events(
    frames: Sequence[FaceFrame], flags: Sequence[bool], kind: str, min_s: float, step: float,
    duration: float | None, gap_s: float = 0.0,
    value_of: Callable[[list[FaceFrame]], float | None] | None = None,
    label_of: Callable[[list[FaceFrame]], str] | None = None,
) -> list[Event]:
    """Events for stretches of True ``flags`` lasting at least ``min_s``.

    ``value_of`` / ``label_of`` describe a stretch from its frames; the value defaults to the
    stretch's length in seconds.
    """
    times = [f.t for f in frames]
    spans = runs(flags)
    if gap_s > 0:
        spans = merge_close(spans, times, gap_s)
    events = []
    for first, last in spans:
        start, end = times[first], end_time(times, last, step, duration)
        if end - start + 1e-6 < min_s:
            continue
        stretch = list(frames[first : last + 1])
        value = value_of(stretch) if value_of is not None else end - start
        label = label_of(stretch) if label_of is not None else ""
        events.append(Event(kind, start, end, value=value, label=label))
    return events


def _peak_smile(frames: list[FaceFrame]) -> float | None:
    levels = [f.smile for f in frames if f.smile is not None]
    return max(levels) if levels else None


def _max_faces(frames: list[FaceFrame]) -> float:
    return float(max(f.face_count for f in frames))


def gaze_direction(yaw: float, pitch: float) -> str:
    """Plain-words direction of a gaze from the person's point of view."""
    if abs(pitch) >= abs(yaw):
        return "up" if pitch > 0 else "down"
    # + yaw is towards the right of the image, which is the person's left.
    return "to their left" if yaw > 0 else "to their right"


def _where_eyes_went(frames: list[FaceFrame]) -> str:
    closed = sum(1 for f in frames if f.eyes_closed)
    yaws = [f.gaze_yaw_deg for f in frames if f.gaze_yaw_deg is not None and not f.eyes_closed]
    pitches = [f.gaze_pitch_deg for f in frames
               if f.gaze_pitch_deg is not None and not f.eyes_closed]
    if closed > len(frames) / 2 or not yaws:
        return "eyes closed"
    return gaze_direction(float(np.median(yaws)), float(np.median(pitches)))


def smile_events(frames: Sequence[FaceFrame], step: float,
                 duration: float | None = None) -> list[Event]:
    """Stretches of smiling frames (``FaceFrame.smiling``); value = peak smile level, 0..1."""
    flags = [bool(f.smiling) for f in frames]
    return _stretch_events(frames, flags, "smile", SMILE_MIN_S, step, duration,
                           gap_s=SMILE_MERGE_GAP_S, value_of=_peak_smile)


def gaze_away_events(frames: Sequence[FaceFrame], step: float,
                     duration: float | None = None) -> list[Event]:
    """Stretches of at least GAZE_AWAY_MIN_S with a face but no eye contact.

    Label: where the eyes went ("down", "up", "to their left", "to their right", "eyes closed");
    value: the stretch's length in seconds.
    """
    flags = [f.face_found and f.eye_contact is False for f in frames]
    return _stretch_events(frames, flags, "gaze_away", GAZE_AWAY_MIN_S, step, duration,
                           label_of=_where_eyes_went)


def no_face_events(frames: Sequence[FaceFrame], step: float,
                   duration: float | None = None) -> list[Event]:
    """Stretches of at least NO_FACE_MIN_S with no face found (value = seconds)."""
    flags = [not f.face_found for f in frames]
    return _stretch_events(frames, flags, "no_face", NO_FACE_MIN_S, step, duration)


def multiple_faces_events(frames: Sequence[FaceFrame], step: float,
                          duration: float | None = None) -> list[Event]:
    """Stretches of at least MULTIPLE_FACES_MIN_S with 2+ faces (value = most faces seen)."""
    flags = [f.face_count >= 2 for f in frames]
    return _stretch_events(frames, flags, "multiple_faces", MULTIPLE_FACES_MIN_S, step, duration,
                           value_of=_max_faces, label_of=lambda _: "another face in view")
