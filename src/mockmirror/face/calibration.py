"""Per-user calibration: the blink threshold from the open-eye EAR, eye contact from a short
"look at the camera" / "look at the screen centre" step; and the gaze heatmap.

Blink threshold. Eye aspect ratios differ between people (open-eye EAR 0.27 for Wolfgang and
lbax4n, 0.345 for bbaf2n in the fixtures) and drop with glasses or narrow eyes, so a fixed 0.18
can miss one person's blinks and count another's squints. The open-eye baseline is the median EAR
of the first CALIBRATION_OPEN_S seconds of samples whose blink blendshapes say the eyes are open
(searched within the first CALIBRATION_SEARCH_S seconds, so a recording that starts with shut
eyes still calibrates); the threshold is BLINK_THRESHOLD_RATIO of it, clamped. Without enough
open-eye samples the default threshold stays.

Eye contact. Without calibration, eye contact is a gaze within ``eye_contact_max_deg`` of the
lens direction. :class:`EyeContactCalibration` shifts that centre to the person's own "looking at
the camera" gaze (median of the samples, which absorbs the iris model's bias for this face), and,
when screen-centre samples are given, can also count looking at the screen centre as contact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mockmirror.core.arrays import Float64Array
from mockmirror.face.track import FaceTrack, GazeHeatmap

CALIBRATION_OPEN_S = 3.0
CALIBRATION_SEARCH_S = 30.0
MIN_CALIBRATION_SAMPLES = 15
# blink blendshapes below this: eyes open for calibration purposes
OPEN_EYES_CLOSURE = 0.35
# 0.18 / 0.29 (the default over a typical open-eye EAR): the same relative drop for everyone.
BLINK_THRESHOLD_RATIO = 0.62
BLINK_THRESHOLD_RANGE = (0.10, 0.25)


@dataclass(frozen=True, slots=True)
class EyeReading:
    """Raw eye measures at one (densely sampled) frame; None fields = no face."""

    t: float
    ear: float | None  # mean of both eyes
    closure: float | None  # mean eyeBlinkLeft/Right


@dataclass(frozen=True, slots=True)
class BlinkCalibration:
    threshold: float
    calibrated: bool
    open_ear: float | None = None  # the measured open-eye baseline
    samples: int = 0


def calibrate_blink_threshold(readings: Sequence[EyeReading], default: float) -> BlinkCalibration:
    """Blink EAR threshold for this person from the first seconds of open eyes."""
    open_ears: list[float] = []
    first_t: float | None = None
    for r in readings:
        if r.t > CALIBRATION_SEARCH_S:
            break
        if r.ear is None or r.closure is None or r.closure >= OPEN_EYES_CLOSURE:
            continue
        first_t = r.t if first_t is None else first_t
        if r.t - first_t > CALIBRATION_OPEN_S:
            break
        open_ears.append(r.ear)
    if len(open_ears) < MIN_CALIBRATION_SAMPLES:
        return BlinkCalibration(default, calibrated=False, samples=len(open_ears))
    baseline = float(np.median(open_ears))
    low, high = BLINK_THRESHOLD_RANGE
    threshold = min(high, max(low, BLINK_THRESHOLD_RATIO * baseline))
    return BlinkCalibration(round(threshold, 4), True, round(baseline, 4), len(open_ears))


def _angle_between(yaw_a: float, pitch_a: float, yaw_b: float, pitch_b: float) -> float:
    """Angle (degrees) between two gaze directions given as yaw/pitch."""
    def vector(yaw: float, pitch: float) -> Float64Array:
        y, p = math.radians(yaw), math.radians(pitch)
        return np.array([math.cos(p) * math.sin(y), math.sin(p), math.cos(p) * math.cos(y)])
    cos = float(vector(yaw_a, pitch_a) @ vector(yaw_b, pitch_b))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


@dataclass(frozen=True, slots=True)
class EyeContactCalibration:
    """Where this person's gaze reads when they look at the camera (and at the screen centre)."""

    camera_yaw: float = 0.0
    camera_pitch: float = 0.0
    max_deg: float = 12.0
    screen_yaw: float | None = None
    screen_pitch: float | None = None
    screen_counts: bool = False  # looking at the screen centre also counts as eye contact
    calibrated: bool = False

    @classmethod
    def default(cls, max_deg: float) -> EyeContactCalibration:
        return cls(max_deg=max_deg)

    @classmethod
    def from_samples(
        cls, camera: Sequence[tuple[float, float]],
        screen_centre: Sequence[tuple[float, float]] = (), max_deg: float = 12.0,
        screen_counts: bool = False, min_samples: int = 5,
    ) -> EyeContactCalibration:
        """From (gaze_yaw, gaze_pitch) samples taken while the person looked at the camera
        (and, optionally, at the screen centre). Too few camera samples: the default."""
        if len(camera) < min_samples:
            return cls.default(max_deg)
        cam = np.median(np.asarray(camera, dtype=float), axis=0)
        # Widen the tolerance to the person's own spread while fixating (2 SDs), never narrower.
        spread = float(np.median([_angle_between(y, p, cam[0], cam[1]) for y, p in camera]))
        tolerance = max(max_deg, 2.0 * spread)
        screen: tuple[float | None, float | None] = (None, None)
        if len(screen_centre) >= min_samples:
            centre = np.median(np.asarray(screen_centre, dtype=float), axis=0)
            screen = (float(centre[0]), float(centre[1]))
        return cls(float(cam[0]), float(cam[1]), tolerance, screen[0], screen[1],
                   screen_counts and screen[0] is not None, calibrated=True)

    @classmethod
    def from_stored(cls, value: Mapping[str, Any] | None, max_deg: float) -> EyeContactCalibration:
        """From the dict a session stores after its calibration step (the web app's
        ``session.calibration``, JSON from the store); the default when the step was skipped or
        failed."""
        if not value or not value.get("calibrated"):
            return cls.default(max_deg)
        return cls(
            camera_yaw=value["camera_yaw"], camera_pitch=value["camera_pitch"],
            max_deg=value.get("max_deg", max_deg), screen_yaw=value.get("screen_yaw"),
            screen_pitch=value.get("screen_pitch"), calibrated=True,
        )

    def is_contact(self, gaze_yaw: float, gaze_pitch: float) -> bool:
        if _angle_between(gaze_yaw, gaze_pitch, self.camera_yaw, self.camera_pitch) <= self.max_deg:
            return True
        if self.screen_counts and self.screen_yaw is not None and self.screen_pitch is not None:
            return _angle_between(gaze_yaw, gaze_pitch, self.screen_yaw,
                                  self.screen_pitch) <= self.max_deg
        return False


def gaze_heatmap(samples: Sequence[tuple[float, float]], step: float, bin_deg: float = 5.0,
                 limit_deg: float = 40.0) -> GazeHeatmap:
    """Bin (gaze_yaw, gaze_pitch) samples taken every ``step`` seconds."""
    counts: dict[tuple[int, int], int] = {}
    top = int(limit_deg // bin_deg)
    for yaw, pitch in samples:
        key = (max(-top, min(top, round(yaw / bin_deg))),
               max(-top, min(top, round(pitch / bin_deg))))
        counts[key] = counts.get(key, 0) + 1
    cells = sorted(((k[0] * bin_deg, k[1] * bin_deg, round(n * step, 3))
                    for k, n in counts.items()), key=lambda c: (-c[2], c[0], c[1]))
    return GazeHeatmap(bin_deg, limit_deg, cells, round(len(samples) * step, 3))


def gaze_samples(track: FaceTrack, start: float = 0.0, end: float | None = None
                 ) -> list[tuple[float, float]]:
    """(gaze_yaw, gaze_pitch) of the open-eye frames of a track between ``start`` and ``end``:
    the input of :meth:`EyeContactCalibration.from_samples` for a calibration clip."""
    return [(f.gaze_yaw_deg, f.gaze_pitch_deg) for f in track.frames
            if f.gaze_yaw_deg is not None and f.gaze_pitch_deg is not None
            and f.eyes_closed is False and f.t >= start and (end is None or f.t < end)]
