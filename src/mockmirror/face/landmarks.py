"""MediaPipe Tasks FaceLandmarker: 478 landmarks (with irises), 52 blendshapes and head pose.

VIDEO mode is for recordings: MediaPipe tracks the face from frame to frame (faster, steadier)
and needs strictly increasing millisecond timestamps. IMAGE mode is for unrelated stills.
Up to two faces are returned so a second person in view can be flagged; the largest face is the
speaker.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions

from mockmirror.core.arrays import Float64Array, UInt8Array
from mockmirror.core.types import MockmirrorError
from mockmirror.face import geometry
from mockmirror.models.registry import ModelStore

MODEL_NAME = "face-landmarker"
MAX_FACES = 2  # the speaker plus one more is enough to say "someone else is in view"
# The short-range BlazeFace detector inside the landmarker bundle (face counting).
DETECTOR_MEMBER = "face_detector.tflite"


class Mode(Enum):
    VIDEO = "video"
    IMAGE = "image"


@dataclass(frozen=True, slots=True)
class FaceLandmarks:
    """One detected face: landmarks in pixels, blendshapes and the 4x4 head transformation."""

    points: Float64Array  # (478, 3): x, y in pixels; z in pixels too (smaller = nearer the camera)
    blendshapes: dict[str, float]
    matrix: Float64Array  # 4x4 canonical-face-to-camera transform (see geometry for axes)
    image_width: int
    image_height: int

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(x, y, w, h) in normalised image coordinates."""
        return geometry.face_box(self.points, self.image_width, self.image_height)

    @property
    def width_px(self) -> float:
        """Width of the landmark box in pixels (how big the face is in the frame)."""
        xs = self.points[:, 0]
        return float(xs.max() - xs.min())

    @property
    def area(self) -> float:
        box = self.box
        return box[2] * box[3]


@dataclass(frozen=True, slots=True)
class LandmarkResult:
    faces: tuple[FaceLandmarks, ...]  # largest first

    @property
    def face_count(self) -> int:
        return len(self.faces)

    @property
    def main(self) -> FaceLandmarks | None:
        """The speaker: the largest face in view."""
        return self.faces[0] if self.faces else None


def _to_faces(result: vision.FaceLandmarkerResult, width: int, height: int) -> LandmarkResult:
    faces = []
    for index, landmarks in enumerate(result.face_landmarks):
        points = np.array([(p.x, p.y, p.z) for p in landmarks], dtype=np.float64)
        # Landmarks are normalised by width (x, z) and height (y); pixels keep angles true.
        points *= np.array([width, height, width], dtype=np.float64)
        blendshapes = {}
        if index < len(result.face_blendshapes):
            blendshapes = {c.category_name: float(c.score) for c in result.face_blendshapes[index]}
        if index < len(result.facial_transformation_matrixes):
            matrix = np.asarray(result.facial_transformation_matrixes[index], dtype=np.float64)
        else:
            matrix = np.eye(4)
        faces.append(FaceLandmarks(points, blendshapes, matrix, width, height))
    faces.sort(key=lambda face: face.area, reverse=True)
    return LandmarkResult(tuple(faces))


class TaskModel:
    """What the MediaPipe Tasks wrappers here share: loading with a clear error, ``close`` /
    ``with``, and VIDEO-mode timestamps (MediaPipe refuses a timestamp that does not increase;
    repeats are nudged by 1 ms)."""

    what = "model"  # how messages name it

    def __init__(self, create: Callable[[], Any], source: object) -> None:
        try:
            self._task: Any = create()
        except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError) as exc:
            raise MockmirrorError(f"could not load the {self.what} {source}: {exc}") from exc
        self._last_ms = -1

    def _running(self) -> Any:
        if self._task is None:
            raise MockmirrorError(f"the {self.what} is closed")
        return self._task

    def _timestamp_ms(self, t: float) -> int:
        self._last_ms = max(round(t * 1000.0), self._last_ms + 1)
        return self._last_ms

    def close(self) -> None:
        if self._task is not None:
            self._task.close()
            self._task = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


class FaceLandmarker(TaskModel):
    """Context manager over MediaPipe's FaceLandmarker; call :meth:`close` when not using ``with``.

    >>> with FaceLandmarker.from_store(store, Mode.IMAGE) as landmarker:
    ...     result = landmarker.detect(rgb)
    """

    what = "face landmark model"

    def __init__(
        self,
        model_path: Path,
        mode: Mode = Mode.VIDEO,
        min_confidence: float = 0.5,
        max_faces: int = MAX_FACES,
    ) -> None:
        self.mode = mode
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=(
                vision.RunningMode.VIDEO if mode is Mode.VIDEO else vision.RunningMode.IMAGE
            ),
            num_faces=max_faces,
            min_face_detection_confidence=min_confidence,
            min_face_presence_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
            output_face_blendshapes=True,
            output_facial_transformation_matrixes=True,
        )
        super().__init__(lambda: vision.FaceLandmarker.create_from_options(options), model_path)

    @classmethod
    def from_store(
        cls, store: ModelStore, mode: Mode = Mode.VIDEO, min_confidence: float = 0.5,
        max_faces: int = MAX_FACES,
    ) -> FaceLandmarker:
        """Load the verified ``face_landmarker.task`` from the model store."""
        return cls(store.path(MODEL_NAME), mode=mode, min_confidence=min_confidence,
                   max_faces=max_faces)

    def detect(self, rgb: UInt8Array) -> LandmarkResult:
        """Faces in one still image (IMAGE mode). ``rgb`` is HxWx3 uint8."""
        if self.mode is not Mode.IMAGE:
            raise ValueError("detect() needs Mode.IMAGE; use detect_video() for recordings")
        image = as_mp_image(rgb)
        return _to_faces(self._running().detect(image), rgb.shape[1], rgb.shape[0])

    def detect_video(self, rgb: UInt8Array, t: float) -> LandmarkResult:
        """Faces in one frame of a recording at ``t`` seconds (VIDEO mode, t increasing)."""
        if self.mode is not Mode.VIDEO:
            raise ValueError("detect_video() needs Mode.VIDEO; use detect() for stills")
        result = self._running().detect_for_video(as_mp_image(rgb), self._timestamp_ms(t))
        return _to_faces(result, rgb.shape[1], rgb.shape[0])



class FaceCounter(TaskModel):
    """How many faces are in view, with the BlazeFace detector from the landmarker bundle.

    Tracking one face is what makes VIDEO mode fast: with ``num_faces=2`` MediaPipe reruns its
    detector on every frame while only one face is tracked, looking for the second (measured:
    +3-5 ms a frame on one core). Recordings are therefore tracked with one face and counted
    with this detector a few times a second (about 3 ms a call).
    """

    what = "face detector from"

    def __init__(self, bundle_path: Path, min_confidence: float = 0.5) -> None:
        def create() -> vision.FaceDetector:
            with zipfile.ZipFile(bundle_path) as bundle:
                model = bundle.read(DETECTOR_MEMBER)
            return vision.FaceDetector.create_from_options(vision.FaceDetectorOptions(
                base_options=BaseOptions(model_asset_buffer=model),
                running_mode=vision.RunningMode.IMAGE,
                min_detection_confidence=min_confidence,
            ))

        super().__init__(create, bundle_path)

    @classmethod
    def from_store(cls, store: ModelStore, min_confidence: float = 0.5) -> FaceCounter:
        return cls(store.path(MODEL_NAME), min_confidence)

    def count(self, rgb: UInt8Array) -> int:
        return len(self._running().detect(as_mp_image(rgb)).detections)


def as_mp_image(rgb: UInt8Array) -> mp.Image:
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an HxWx3 uint8 RGB image, got {rgb.shape} {rgb.dtype}")
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
