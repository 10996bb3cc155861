"""The ONNX export of the shipped MiniLM must give the same vectors as sentence-transformers."""

from __future__ import annotations

import os

import numpy as np
import pytest

from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
from mockmirror.models import ModelStore

TEXTS = [
    "Tell me about a time you handled a conflict in your team.",
    "Two colleagues disagreed on the design, so I set up a meeting and we agreed on a compromise.",
    "bin blue at f two now",
    "Short.",
]


@pytest.fixture(scope="module")
def encoder(settings) -> SentenceEncoder:
    return SentenceEncoder(SHIPPED_MODEL, ModelStore(settings.model_dir))


def test_onnx_matches_sentence_transformers_on_padded_batch(encoder, settings):
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    reference_model = SentenceTransformer(
        str(ModelStore(settings.model_dir).path(SHIPPED_MODEL)), device="cpu"
    )
    reference = reference_model.encode(TEXTS, normalize_embeddings=True)
    ours = encoder.encode(TEXTS)  # one padded batch of different lengths
    assert ours.shape == (4, 384)
    np.testing.assert_allclose(ours, reference, atol=2e-4)


def test_similarity_separates_on_and_off_topic(encoder):
    vectors = encoder.encode(TEXTS[:3])
    on_topic = float(vectors[0] @ vectors[1])
    off_topic = float(vectors[0] @ vectors[2])
    assert on_topic > 0.3
    assert off_topic < 0.15
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input(encoder):
    assert encoder.encode([]).shape == (0, 384)
