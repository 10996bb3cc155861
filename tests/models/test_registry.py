"""Model files come from pinned registry packages and are refused when their hash is wrong."""

from __future__ import annotations

import dataclasses

import pytest

from mockmirror.models import ModelError, ModelStore, load_manifest
from mockmirror.models.registry import sha256_of


def test_manifest_records_source_licence_and_hash():
    specs = load_manifest()
    assert {"whisper-base", "face-landmarker", "fer-mini-xception", "all-MiniLM-L6-v2"} <= set(specs)
    for spec in specs.values():
        assert spec.licence and spec.description
        assert all("==" in pin for pin in spec.packages), "model packages must be pinned"
        assert len(spec.sha256) == 64


def test_every_default_model_is_installed_and_verified(settings):
    store = ModelStore(settings.model_dir)
    for name in store.specs:
        assert store.is_ready(name), f"{name}: run `mockmirror models install`"
    whisper = store.path("whisper-base", install=False)
    assert sha256_of(whisper / "model.bin") == store.spec("whisper-base").sha256
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in whisper.iterdir()}


def test_wrong_hash_is_refused_and_the_bad_file_removed(tmp_path):
    real = load_manifest()["face-landmarker"]
    tampered = dataclasses.replace(real, sha256="0" * 64)
    store = ModelStore(tmp_path, {"face-landmarker": tampered})
    with pytest.raises(ModelError, match="sha256 mismatch"):
        store.path("face-landmarker")
    assert not (tmp_path / "face-landmarker" / "face_landmarker.task").exists()
    assert not store.is_ready("face-landmarker")


def test_unknown_model_and_uninstalled_model_errors(tmp_path):
    store = ModelStore(tmp_path)
    with pytest.raises(ModelError, match="unknown model"):
        store.path("gpt-17")
    with pytest.raises(ModelError, match="models install"):
        store.path("fer-mini-xception", install=False)
