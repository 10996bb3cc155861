"""Upper body where the camera shows it: MediaPipe BlazePose (full) landmarks, sampled a few
times a second, turned into posture movement and hand-gesture measures.

Only what is in the frame is measured. The pose model also *guesses* points outside the
image (a webcam framing head and shoulders still yields wrists below the frame, with low
visibility): a point counts only when its visibility is high and it lies inside the frame. So a
head-and-shoulders webcam gives shoulder movement but "hands not in view", and a face close-up
gives "body not in view" rather than invented numbers.

Movement is measured in shoulder widths (the person's own scale, independent of distance to
the camera and of resolution).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions

from mockmirror.core.arrays import Float64Array, UInt8Array
from mockmirror.core.types import Event
from mockmirror.face.events import merge_close, runs
from mockmirror.face.landmarks import TaskModel, as_mp_image
from mockmirror.face.task_bundle import POSE_LANDMARKER, ensure_task_bundle
from mockmirror.face.track import BodySample, BodyTrack
from mockmirror.models.registry import ModelStore

BUNDLE_NAME = "pose-landmarker"
# BlazePose landmark indices.
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
LEFT_WRIST, RIGHT_WRIST = 15, 16
MIN_VISIBILITY = 0.5
# A point this far outside the frame (share of its size) still counts: a shoulder *joint* up to
# 8 % of the height below the bottom edge leaves the top of the shoulder in view (GRID framing:
# joints at 0.97-1.06 of the height; a face close-up puts them at 1.1-1.3).
FRAME_MARGIN = 0.08
# The body is measured when the shoulders are in view in at least this share of the samples.
MIN_SHOULDERS_RATIO = 0.5
# Pose landmarks jitter from reading to reading (a still photo: 0.12 shoulder widths/s from
# one 5 fps reading to the next, GRID speakers 0.01-0.03), so movement is measured as the
# displacement of median-of-3 smoothed points over a window, not reading to reading. Measured
# 1 s displacement of the smoothed shoulder centre: still photo <= 0.053, seated GRID speakers
# <= 0.019 shoulder widths (benchmarks/results/face_occlusion-*).
MOVEMENT_WINDOW_S = 1.0
# The shoulders moving at least this far within the window = a posture shift.
POSTURE_SHIFT_WIDTHS = 0.15
# A wrist moving at least this far (shoulder widths) within GESTURE_WINDOW_S = a gesture; a
# pause shorter than GESTURE_MERGE_GAP_S does not split one. (No fixture shows hands moving:
# these two are set from the jitter above, not validated on real gestures.)
GESTURE_WINDOW_S = 0.4
GESTURE_WIDTHS = 0.3
GESTURE_MERGE_GAP_S = 0.4

@dataclass(frozen=True, slots=True)
class PosePoints:
    """One pose reading: (33, 2) points in pixels and each point's visibility (0..1)."""

    points: Float64Array
    visibility: Float64Array
    image_width: int
    image_height: int

    def in_view(self, index: int) -> bool:
        x, y = (float(v) for v in self.points[index])
        mx, my = FRAME_MARGIN * self.image_width, FRAME_MARGIN * self.image_height
        return bool(float(self.visibility[index]) >= MIN_VISIBILITY
                    and -mx <= x <= self.image_width + mx and -my <= y <= self.image_height + my)


class PoseLandmarker(TaskModel):
    """MediaPipe PoseLandmarker (full) in VIDEO mode; use ``with`` or :meth:`close`."""

    what = "pose model"

    def __init__(self, model_path: Path, min_confidence: float = 0.5) -> None:
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=1,
            min_pose_detection_confidence=min_confidence,
            min_pose_presence_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )
        super().__init__(lambda: vision.PoseLandmarker.create_from_options(options), model_path)

    @classmethod
    def from_store(cls, store: ModelStore, min_confidence: float = 0.5,
                   install: bool = False) -> PoseLandmarker:
        """Load from the model folder; by default never fetch at analysis time (the files come
        with ``mockmirror models install``), so a missing file is a clear error, not a download."""
        return cls(ensure_task_bundle(store, BUNDLE_NAME, POSE_LANDMARKER, install=install),
                   min_confidence)

    def detect_video(self, rgb: UInt8Array, t: float) -> PosePoints | None:
        result = self._running().detect_for_video(as_mp_image(rgb), self._timestamp_ms(t))
        if not result.pose_landmarks:
            return None
        height, width = rgb.shape[:2]
        landmarks = result.pose_landmarks[0]
        points = np.array([(p.x * width, p.y * height) for p in landmarks], dtype=np.float64)
        visibility = np.array([p.visibility if p.visibility is not None else 0.0
                               for p in landmarks], dtype=np.float64)
        return PosePoints(points, visibility, width, height)


def body_sample(t: float, pose: PosePoints | None) -> BodySample:
    """What of the upper body one pose reading shows."""
    if pose is None:
        return BodySample(t, shoulders_in_view=False)
    sample = BodySample(t, shoulders_in_view=pose.in_view(LEFT_SHOULDER)
                        and pose.in_view(RIGHT_SHOULDER))
    if sample.shoulders_in_view:
        left, right = pose.points[LEFT_SHOULDER], pose.points[RIGHT_SHOULDER]
        centre = (left + right) / 2.0
        sample.shoulder_centre = (float(centre[0]), float(centre[1]))
        sample.shoulder_width_px = float(np.linalg.norm(left - right))
    for index, name in ((LEFT_WRIST, "left_wrist"), (RIGHT_WRIST, "right_wrist")):
        if pose.in_view(index):
            x, y = pose.points[index]
            setattr(sample, name, (float(x), float(y)))
    return sample


def _smoothed(points: list[tuple[float, float] | None]) -> list[Float64Array | None]:
    """Median of each point and its neighbours (where present): damps single-reading jitter."""
    out: list[Float64Array | None] = []
    for i, point in enumerate(points):
        if point is None:
            out.append(None)
            continue
        near = [p for p in points[max(0, i - 1) : i + 2] if p is not None]
        out.append(np.median(np.asarray(near), axis=0))
    return out


def _displacements(times: list[float], points: list[Float64Array | None], window_s: float,
                   scale: float) -> list[float | None]:
    """For each reading, how far (in ``scale`` units) the point moved over the window ending
    there; None without a reading at both ends (or a gap in the readings)."""
    out: list[float | None] = []
    for i, (t, point) in enumerate(zip(times, points, strict=True)):
        j = i
        while j > 0 and t - times[j - 1] <= window_s + 1e-6:
            j -= 1
        start = points[j]
        if point is None or start is None or j == i or t - times[j] < window_s * 0.75:
            out.append(None)
            continue
        out.append(float(np.linalg.norm(point - start)) / scale)
    return out


def _spans(times: list[float], moved: list[float | None], threshold: float, window_s: float,
           kind: str, label: str) -> list[Event]:
    spans = merge_close(runs([m is not None and m >= threshold for m in moved]), times,
                        GESTURE_MERGE_GAP_S)
    found = []
    for first, last in spans:
        peak = max(m for m in moved[first : last + 1] if m is not None)
        # A displacement is measured over the window ending at its reading.
        found.append(Event(kind, round(max(0.0, times[first] - window_s), 3), round(times[last], 3),
                           value=round(peak, 2), label=label, confidence=0.7))
    return found


def summarise_body(samples: list[BodySample], sample_fps: float) -> BodyTrack:
    """Movement and gesture measures from the pose samples (pure; no model)."""
    if not samples:
        return BodyTrack.not_analysed("no frames were sampled for the body")
    step = 1.0 / sample_fps
    n = len(samples)
    shoulders = [s for s in samples if s.shoulders_in_view]
    track = BodyTrack(available=False, sample_fps=sample_fps, samples=samples,
                      shoulders_visible_ratio=round(len(shoulders) / n, 3))
    if len(shoulders) / n < MIN_SHOULDERS_RATIO:
        track.note = ("the shoulders were not in view (the camera frames the face only), so body "
                      "movement was not measured")
        return track
    track.available = True
    widths = [s.shoulder_width_px for s in shoulders if s.shoulder_width_px]
    scale = float(np.median(widths)) if widths else 1.0  # the person's shoulder width, pixels
    times = [s.t for s in samples]
    centre = _displacements(times, _smoothed([s.shoulder_centre for s in samples]),
                            MOVEMENT_WINDOW_S, scale)
    measured = [m for m in centre if m is not None]
    track.movement_per_s = (round(float(np.mean(measured)) / MOVEMENT_WINDOW_S, 3)
                            if measured else None)
    shifts = _spans(times, centre, POSTURE_SHIFT_WIDTHS, MOVEMENT_WINDOW_S, "posture_shift",
                    "shoulders moved")
    track.posture_shift_count = len(shifts)
    hands_seen = [s for s in samples if s.left_wrist is not None or s.right_wrist is not None]
    track.hands_visible_ratio = round(len(hands_seen) / n, 3)
    gestures: list[Event] = []
    if len(hands_seen) / n >= MIN_SHOULDERS_RATIO / 2:
        left = _displacements(times, _smoothed([s.left_wrist for s in samples]),
                              GESTURE_WINDOW_S, scale)
        right = _displacements(times, _smoothed([s.right_wrist for s in samples]),
                               GESTURE_WINDOW_S, scale)
        wrist = [max((m for m in pair if m is not None), default=None)
                 for pair in zip(left, right, strict=True)]
        gestures = _spans(times, wrist, GESTURE_WIDTHS, GESTURE_WINDOW_S, "gesture",
                          "hand gesture")
        hands_s = len(hands_seen) * step
        track.gesture_count = len(gestures)
        track.gesture_rate_per_min = round(60.0 * len(gestures) / hands_s, 2)
        track.gesture_time_ratio = round(min(1.0, sum(e.duration for e in gestures) / hands_s), 3)
    else:
        track.note = "the hands were rarely in view, so gestures were not counted"
    track.events = sorted([*shifts, *gestures], key=lambda e: e.start)
    return track
