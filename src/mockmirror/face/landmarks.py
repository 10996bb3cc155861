"""MediaPipe Tasks FaceLandmarker: 478 landmarks (with irises), 52 blendshapes and head pose.

VIDEO mode is for recordings: MediaPipe tracks the face from frame to frame (faster, steadier)
and needs strictly increasing millisecond timestamps. IMAGE mode is for unrelated stills.
Up to two faces are returned so a second person in view can be flagged; the largest face is the
speaker.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import TracebackType

import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions

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

    points: np.ndarray  # (478, 3): x, y in pixels; z in pixels too (smaller = nearer the camera)
    blendshapes: dict[str, float]
    matrix: np.ndarray  # 4x4 canonical-face-to-camera transform (see geometry for axes)
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


class FaceLandmarker:
    """Context manager over MediaPipe's FaceLandmarker; call :meth:`close` when not using ``with``.

    >>> with FaceLandmarker.from_store(store, Mode.IMAGE) as landmarker:
    ...     result = landmarker.detect(rgb)
    """

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
        try:
            self._landmarker: vision.FaceLandmarker | None = (
                vision.FaceLandmarker.create_from_options(options)
            )
        except (RuntimeError, ValueError) as exc:
            raise MockmirrorError(f"could not load the face landmark model {model_path}: {exc}") from exc
        self._last_ms = -1

    @classmethod
    def from_store(
        cls, store: ModelStore, mode: Mode = Mode.VIDEO, min_confidence: float = 0.5,
        max_faces: int = MAX_FACES,
    ) -> FaceLandmarker:
        """Load the verified ``face_landmarker.task`` from the model store."""
        return cls(store.path(MODEL_NAME), mode=mode, min_confidence=min_confidence,
                   max_faces=max_faces)

    def _running(self) -> vision.FaceLandmarker:
        if self._landmarker is None:
            raise MockmirrorError("the face landmarker is closed")
        return self._landmarker

    def detect(self, rgb: np.ndarray) -> LandmarkResult:
        """Faces in one still image (IMAGE mode). ``rgb`` is HxWx3 uint8."""
        if self.mode is not Mode.IMAGE:
            raise ValueError("detect() needs Mode.IMAGE; use detect_video() for recordings")
        image = as_mp_image(rgb)
        return _to_faces(self._running().detect(image), rgb.shape[1], rgb.shape[0])

    def detect_video(self, rgb: np.ndarray, t: float) -> LandmarkResult:
        """Faces in one frame of a recording at ``t`` seconds (VIDEO mode, t increasing)."""
        if self.mode is not Mode.VIDEO:
            raise ValueError("detect_video() needs Mode.VIDEO; use detect() for stills")
        # MediaPipe refuses a timestamp that does not increase; nudge repeated ones by 1 ms.
        timestamp_ms = max(round(t * 1000.0), self._last_ms + 1)
        self._last_ms = timestamp_ms
        result = self._running().detect_for_video(as_mp_image(rgb), timestamp_ms)
        return _to_faces(result, rgb.shape[1], rgb.shape[0])

    def close(self) -> None:
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def __enter__(self) -> FaceLandmarker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class FaceCounter:
    """How many faces are in view, with the BlazeFace detector from the landmarker bundle.

    Tracking one face is what makes VIDEO mode fast: with ``num_faces=2`` MediaPipe reruns its
    detector on every frame while only one face is tracked, looking for the second (measured:
    +3-5 ms a frame on one core). Recordings are therefore tracked with one face and counted
    with this detector a few times a second (about 3 ms a call).
    """

    def __init__(self, bundle_path: Path, min_confidence: float = 0.5) -> None:
        try:
            with zipfile.ZipFile(bundle_path) as bundle:
                model = bundle.read(DETECTOR_MEMBER)
            options = vision.FaceDetectorOptions(
                base_options=BaseOptions(model_asset_buffer=model),
                running_mode=vision.RunningMode.IMAGE,
                min_detection_confidence=min_confidence,
            )
            self._detector: vision.FaceDetector | None = (
                vision.FaceDetector.create_from_options(options))
        except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError) as exc:
            raise MockmirrorError(f"could not load the face detector from {bundle_path}: {exc}"
                                  ) from exc

    @classmethod
    def from_store(cls, store: ModelStore, min_confidence: float = 0.5) -> FaceCounter:
        return cls(store.path(MODEL_NAME), min_confidence)

    def count(self, rgb: np.ndarray) -> int:
        if self._detector is None:
            raise MockmirrorError("the face counter is closed")
        return len(self._detector.detect(as_mp_image(rgb)).detections)

    def close(self) -> None:
        if self._detector is not None:
            self._detector.close()
            self._detector = None

    def __enter__(self) -> FaceCounter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def as_mp_image(rgb: np.ndarray) -> mp.Image:
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an HxWx3 uint8 RGB image, got {rgb.shape} {rgb.dtype}")
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
