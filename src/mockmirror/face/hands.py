"""Hands in front of the face: MediaPipe's hand landmarker and the share of the face they cover.

The face landmarker fits its mesh through a hand (it always returns a whole face), so a hand
over the mouth or eyes silently corrupts the expression, smile and action-unit readings of
those frames. Here the hand landmarker (palm detector + 21-point hand model, both from the
mediapipe 0.10.21 wheel, see ``task_bundle``) finds hands, and a frame counts as occluded when
a hand's outline covers a real share of the face's outline.

Measured on the Wolfgang Pexels clip, whose hand-over-face spells were labelled by eye
(benchmarks/face_occlusion.py, docs/face.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions

from mockmirror.core.arrays import Float64Array, UInt8Array
from mockmirror.core.types import Event
from mockmirror.face.events import end_time, merge_close, runs
from mockmirror.face.landmarks import TaskModel, as_mp_image
from mockmirror.face.task_bundle import HAND_LANDMARKER, ensure_task_bundle
from mockmirror.models.registry import ModelStore

BUNDLE_NAME = "hand-landmarker"
MAX_HANDS = 2
# Share of the face outline a hand must cover for the face's readings to be called occluded:
# a hand resting on the chin covers ~0.05, fingers over the mouth or eyes 0.15 and more.
OCCLUDED_SHARE = 0.08
# Spells of occlusion shorter than this are a hand passing by; gaps shorter than the merge gap
# (a missed detection) do not split one spell.
OCCLUSION_MIN_S = 0.3
OCCLUSION_MERGE_GAP_S = 0.4
GRID = 48  # cells per side of the face box when the two outlines are rasterised


@dataclass(frozen=True, slots=True)
class Hand:
    points: Float64Array  # (21, 2) x, y in pixels (may lie outside the image)
    score: float  # handedness confidence of the detection


class HandLandmarker(TaskModel):
    """MediaPipe HandLandmarker in VIDEO mode (timestamps increasing); use ``with`` or close."""

    what = "hand model"

    def __init__(self, model_path: Path, min_confidence: float = 0.5) -> None:
        options = vision.HandLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.VIDEO,
            num_hands=MAX_HANDS,
            min_hand_detection_confidence=min_confidence,
            min_hand_presence_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )
        super().__init__(lambda: vision.HandLandmarker.create_from_options(options), model_path)

    @classmethod
    def from_store(cls, store: ModelStore, min_confidence: float = 0.5,
                   install: bool = False) -> HandLandmarker:
        """Load from the model folder; by default never fetch at analysis time (the files come
        with ``mockmirror models install``), so a missing file is a clear error, not a download."""
        return cls(ensure_task_bundle(store, BUNDLE_NAME, HAND_LANDMARKER, install=install),
                   min_confidence)

    def detect_video(self, rgb: UInt8Array, t: float) -> list[Hand]:
        result = self._running().detect_for_video(as_mp_image(rgb), self._timestamp_ms(t))
        height, width = rgb.shape[:2]
        hands = []
        for index, landmarks in enumerate(result.hand_landmarks):
            points = np.array([(p.x * width, p.y * height) for p in landmarks], dtype=np.float64)
            score = (float(result.handedness[index][0].score)
                     if index < len(result.handedness) and result.handedness[index] else 1.0)
            hands.append(Hand(points, score))
        return hands


def face_share_covered(face_points: Float64Array, hands: list[Hand]) -> float:
    """Share (0..1) of the face's outline (hull of its landmarks, pixels) under any hand's hull."""
    if not hands or len(face_points) < 3:
        return 0.0
    xy = face_points[:, :2]
    low, high = xy.min(axis=0), xy.max(axis=0)
    size = np.maximum(high - low, 1e-6)
    scale = (GRID - 1) / size

    def mask_of(points: Float64Array) -> UInt8Array:
        grid = np.round((points - low) * scale).astype(np.int32)
        hull = cv2.convexHull(grid)
        mask = np.zeros((GRID, GRID), dtype=np.uint8)
        cv2.fillConvexPoly(mask, hull, 1)
        return mask

    face = mask_of(xy)
    face_area = int(face.sum())
    if face_area == 0:
        return 0.0
    covered = np.zeros_like(face)
    for hand in hands:
        # Points far outside the face box are clipped by fillConvexPoly; the hull is what counts.
        covered |= mask_of(hand.points)
    return float((covered & face).sum()) / face_area


def occlusion_events(times: list[float], shares: list[float | None], step: float,
                     duration: float | None = None) -> list[Event]:
    """``hand_over_face`` events: spells where a hand covers >= OCCLUDED_SHARE of the face.

    ``shares`` is None where no hand reading was taken (a row between hand samples, no face).
    """
    flags = [share is not None and share >= OCCLUDED_SHARE for share in shares]
    spans = merge_close(runs(flags), times, OCCLUSION_MERGE_GAP_S)
    found = []
    for first, last in spans:
        start, end = times[first], end_time(times, last, step, duration)
        if end - start < OCCLUSION_MIN_S - 1e-6:
            continue
        inside = [s for s in shares[first : last + 1] if s is not None]
        peak = max(inside) if inside else 0.0
        found.append(Event("hand_over_face", start, end, value=round(peak, 3),
                           label=f"a hand covered up to {peak:.0%} of the face",
                           confidence=0.8))
    return found
