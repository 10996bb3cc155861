"""The hand/pose .task bundles: built from the shipped TFLite files, deterministic, loadable."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from mockmirror.face import hands
from mockmirror.face.task_bundle import HAND_LANDMARKER, POSE_LANDMARKER, ensure_task_bundle
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings


def _copy_store(settings: Settings, tmp_path: Path, parts) -> ModelStore:
    """A model folder holding only the verified bare files the bundle is built from."""
    real = ModelStore(settings.model_dir)
    for part in parts:
        source = real.path(part.model, install=False).parent
        shutil.copytree(source, tmp_path / source.name)
    return ModelStore(tmp_path)


@pytest.mark.parametrize("bundle,parts", [("hand-landmarker", HAND_LANDMARKER),
                                          ("pose-landmarker", POSE_LANDMARKER)])
def test_bundle_is_deterministic_and_carries_the_input_range(
        bundle: str, parts, settings: Settings, tmp_path: Path) -> None:
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as schema

    store = _copy_store(settings, tmp_path / "a", parts)
    first = ensure_task_bundle(store, bundle, parts, install=False)
    assert ensure_task_bundle(store, bundle, parts, install=False) == first  # cached
    again = ensure_task_bundle(_copy_store(settings, tmp_path / "b", parts), bundle, parts,
                               install=False)
    assert first.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert sorted(archive.namelist()) == sorted(p.member for p in parts)
        for part in parts:
            model = schema.Model.GetRootAsModel(archive.read(part.member), 0)
            entries = {model.Metadata(i).Name().decode(): model.Metadata(i).Buffer()
                       for i in range(model.MetadataLength())}
            data = model.Buffers(entries["TFLITE_METADATA"]).DataAsNumpy().tobytes()
            image = meta.ModelMetadata.GetRootAsModelMetadata(data, 0).SubgraphMetadata(0
                                                                 ).InputTensorMetadata(0)
            norm = meta.NormalizationOptionsT.InitFromObj(_norm_table(image.ProcessUnits(0), meta))
            assert list(norm.mean) == [part.norm_mean] and list(norm.std) == [part.norm_std]


def _norm_table(unit, meta):
    table = meta.NormalizationOptions()
    options = unit.Options()
    table.Init(options.Bytes, options.Pos)
    return table


def test_missing_source_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="not installed"):
        hands.HandLandmarker.from_store(ModelStore(tmp_path / "empty"))
