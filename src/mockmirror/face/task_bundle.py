"""Pack MediaPipe's hand and pose TFLite files as the ``.task`` bundles the Tasks API loads.

The mediapipe 0.10.21 wheel ships the hand and pose models as bare ``.tflite`` files (the
legacy ``solutions`` API fed their input ranges from its graph configs). The Tasks API in the
installed mediapipe instead reads each float input's range from TFLite metadata
(``NormalizationOptions``) and wants the two models of a task zipped under fixed names. This
module writes that metadata with the flatbuffer schemas mediapipe ships (pure Python; the
``metadata_writers`` helper needs a native module that mediapipe no longer includes) and packs
the bundle once, into the model folder, under a name keyed by the source files' hashes.

Input ranges are the ones MediaPipe's own graphs feed these models: the BlazePose detector
takes [-1, 1], the pose landmarker, palm detector and hand landmarker take [0, 1].
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mockmirror.models.registry import ModelStore

BUNDLER_VERSION = 1  # bump when the written metadata changes, to refresh cached bundles
METADATA_NAME = "TFLITE_METADATA"  # the name the TFLite metadata readers look for
METADATA_FILE_ID = b"M001"
MIN_PARSER_VERSION = "1.0.0"  # NormalizationOptions need no newer metadata parser


@dataclass(frozen=True, slots=True)
class BundlePart:
    member: str  # name inside the .task zip (what the Tasks graph looks for)
    model: str  # ModelStore name of the bare .tflite
    norm_mean: float  # input = (pixel - mean) / std
    norm_std: float


HAND_LANDMARKER = (
    BundlePart("hand_detector.tflite", "hand-detector", 0.0, 255.0),
    BundlePart("hand_landmarks_detector.tflite", "hand-landmarks", 0.0, 255.0),
)
POSE_LANDMARKER = (
    BundlePart("pose_detector.tflite", "pose-detector", 127.5, 127.5),
    BundlePart("pose_landmarks_detector.tflite", "pose-landmarks", 0.0, 255.0),
)


def with_input_normalisation(tflite: bytes, mean: float, std: float, name: str) -> bytes:
    """The model with metadata saying: input 0 is an RGB image, normalised (x - mean) / std."""
    import flatbuffers
    import numpy as np
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as schema

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(tflite, 0))
    graph = model.subgraphs[0]

    norm = meta.NormalizationOptionsT()
    norm.mean, norm.std = [float(mean)], [float(std)]
    unit = meta.ProcessUnitT()
    unit.optionsType, unit.options = meta.ProcessUnitOptions.NormalizationOptions, norm
    image_props = meta.ImagePropertiesT()
    image_props.colorSpace = meta.ColorSpaceType.RGB
    content = meta.ContentT()
    content.contentPropertiesType = meta.ContentProperties.ImageProperties
    content.contentProperties = image_props
    image = meta.TensorMetadataT()
    image.name, image.content, image.processUnits = "image", content, [unit]
    extra_inputs = [meta.TensorMetadataT() for _ in graph.inputs[1:]]
    outputs = []
    for index in graph.outputs:
        tensor = meta.TensorMetadataT()
        raw_name = graph.tensors[index].name
        tensor.name = raw_name.decode() if isinstance(raw_name, bytes) else raw_name
        outputs.append(tensor)
    sub = meta.SubGraphMetadataT()
    sub.inputTensorMetadata, sub.outputTensorMetadata = [image, *extra_inputs], outputs
    model_meta = meta.ModelMetadataT()
    model_meta.name, model_meta.subgraphMetadata = name, [sub]
    model_meta.minParserVersion = MIN_PARSER_VERSION
    builder = flatbuffers.Builder(0)
    builder.Finish(model_meta.Pack(builder), METADATA_FILE_ID)
    metadata = bytes(builder.Output())

    buffer = schema.BufferT()
    buffer.data = np.frombuffer(metadata, dtype=np.uint8)
    model.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name, entry.buffer = METADATA_NAME, len(model.buffers) - 1
    model.metadata = [m for m in (model.metadata or [])
                      if (m.name.decode() if isinstance(m.name, bytes) else m.name)
                      != METADATA_NAME] + [entry]
    builder = flatbuffers.Builder(len(tflite) + len(metadata) + 1024)
    builder.Finish(model.Pack(builder), b"TFL3")
    return bytes(builder.Output())


def ensure_task_bundle(store: ModelStore, bundle: str, parts: tuple[BundlePart, ...],
                       install: bool = True) -> Path:
    """The ``.task`` file for ``parts`` (built once, cached in the model folder)."""
    sources = [(part, store.path(part.model, install=install)) for part in parts]
    key = hashlib.sha256()
    for part, _ in sources:
        key.update(f"{part.member}:{store.spec(part.model).sha256}:{part.norm_mean}:"
                   f"{part.norm_std};".encode())
    target = store.model_dir / bundle / f"{bundle}-{key.hexdigest()[:16]}-v{BUNDLER_VERSION}.task"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with (tempfile.NamedTemporaryFile(dir=target.parent, suffix=".partial", delete=False) as tmp,
          zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive):
        for part, path in sources:
            data = with_input_normalisation(path.read_bytes(), part.norm_mean, part.norm_std,
                                            part.member)
            # A fixed timestamp keeps the bundle byte-identical between installs.
            archive.writestr(zipfile.ZipInfo(part.member, date_time=(2025, 1, 31, 0, 0, 0)), data)
    os.replace(tmp.name, target)
    return target
