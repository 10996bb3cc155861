"""Head gestures from head-pose series: nods, shakes and restlessness (pure functions).

A nod is the head going down and back up (pitch), a shake left-right-left (yaw). Both are found
with a zig-zag over the angle series: a turning point is confirmed once the angle has come back
by at least ``min_amplitude_deg``; a *swing* is the move between two turning points. Swings
quicker than MAX_SWING_S that follow each other with no long pause form a gesture; a nod needs 2
swings, a shake 3 (a single left-right is as often a glance aside), and the other axis must move
less than the gesture's own axis (a diagonal or circling head is neither).

Restlessness: the share of time the head turns faster than RESTLESS_DEG_PER_S over 0.5 s windows
(the still GRID speakers never reach it; Wolfgang's animated clip does about a third of the time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, NamedTuple

from mockmirror.core.types import Event

NOD_MIN_DEG = 5.0
SHAKE_MIN_DEG = 6.0
MAX_SWING_S = 0.8
NOD_MIN_SWINGS = 2
SHAKE_MIN_SWINGS = 3
RESTLESS_DEG_PER_S = 15.0


@dataclass(frozen=True, slots=True)
class PoseSample:
    """Head angles (degrees) at one frame; None when no face was found."""

    t: float
    yaw: float | None
    pitch: float | None


def turning_points(values: Sequence[float], min_amplitude: float) -> list[int]:
    """Indices of the zig-zag's turning points: each move between two is >= ``min_amplitude``.

    The first point is where the first such move starts, the last where the last move ends.
    """
    n = len(values)
    lo = hi = 0
    i = 1
    pivots: list[int] = []
    direction, extreme = 0, 0
    while i < n and direction == 0:  # find the first move of min_amplitude
        # Ties move to the latest sample: a still head before the first move is not part of it.
        if values[i] <= values[lo]:
            lo = i
        if values[i] >= values[hi]:
            hi = i
        if values[hi] - values[lo] >= min_amplitude:
            direction, pivots, extreme = (1, [lo], hi) if lo < hi else (-1, [hi], lo)
        i += 1
    for j in range(i, n):
        v = values[j]
        if direction > 0:
            if v > values[extreme]:
                extreme = j
            elif values[extreme] - v >= min_amplitude:
                pivots.append(extreme)
                direction, extreme = -1, j
        else:
            if v < values[extreme]:
                extreme = j
            elif v - values[extreme] >= min_amplitude:
                pivots.append(extreme)
                direction, extreme = 1, j
    if direction != 0:
        pivots.append(extreme)
    return pivots


class _Angles(NamedTuple):
    """A sample with a face: both angles known."""

    t: float
    yaw: float
    pitch: float


def _segments(samples: Sequence[PoseSample], max_gap_s: float) -> list[list[_Angles]]:
    """Runs of samples with a face, split where the face is lost or the time jumps."""
    segments: list[list[_Angles]] = []
    current: list[_Angles] = []
    for sample in samples:
        if sample.yaw is None or sample.pitch is None:
            if current:
                segments.append(current)
            current = []
            continue
        if current and sample.t - current[-1].t > max_gap_s:
            segments.append(current)
            current = []
        current.append(_Angles(sample.t, float(sample.yaw), float(sample.pitch)))
    if current:
        segments.append(current)
    return segments


def _gesture(times: Sequence[float], main: Sequence[float], other: Sequence[float],
             pivots: Sequence[int], min_deg: float, min_swings: int, kind: str, label: str
             ) -> Event | None:
    """One gesture from a chain of quick swings, or None when it is too short or diagonal."""
    swings = len(pivots) - 1
    if swings < min_swings:
        return None
    first, last = pivots[0], pivots[-1]
    span, cross = main[first : last + 1], other[first : last + 1]
    amplitude = max(span) - min(span)
    if max(cross) - min(cross) >= amplitude:
        return None
    # More swings and a wider movement: surer it was deliberate.
    confidence = min(1.0, 0.5 + 0.1 * swings + 0.02 * (amplitude - min_deg))
    return Event(kind, times[first], times[last], value=round(amplitude, 1),
                 label=f"{label} ({swings} swings)", confidence=round(confidence, 2))


def _oscillations(samples: Sequence[PoseSample], axis: Literal["yaw", "pitch"], min_deg: float,
                  min_swings: int, kind: str, label: str) -> list[Event]:
    events: list[Event] = []
    for segment in _segments(samples, max_gap_s=0.25):
        times = [s.t for s in segment]
        main = [s.yaw if axis == "yaw" else s.pitch for s in segment]
        other = [s.pitch if axis == "yaw" else s.yaw for s in segment]
        chains: list[list[int]] = []
        for a, b in pairwise(turning_points(main, min_deg)):
            if times[b] - times[a] > MAX_SWING_S:
                continue
            if chains and chains[-1][-1] == a:
                chains[-1].append(b)
            else:
                chains.append([a, b])
        for chain in chains:
            event = _gesture(times, main, other, chain, min_deg, min_swings, kind, label)
            if event is not None:
                events.append(event)
    return events


def nod_events(samples: Sequence[PoseSample]) -> list[Event]:
    """Head nods (pitch oscillation); value = pitch range in degrees."""
    return _oscillations(samples, "pitch", NOD_MIN_DEG, NOD_MIN_SWINGS, "nod", "nod")


def shake_events(samples: Sequence[PoseSample]) -> list[Event]:
    """Head shakes (yaw oscillation); value = yaw range in degrees."""
    return _oscillations(samples, "yaw", SHAKE_MIN_DEG, SHAKE_MIN_SWINGS, "head_shake", "shake")


def restless_ratio(speeds: Sequence[float]) -> float | None:
    """Share of head-speed windows faster than RESTLESS_DEG_PER_S (None without windows)."""
    if not speeds:
        return None
    return sum(1 for s in speeds if s > RESTLESS_DEG_PER_S) / len(speeds)
