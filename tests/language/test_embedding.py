"""The NumPy MiniLM encoder must reproduce sentence-transformers' vectors for the shipped model."""

from __future__ import annotations

import importlib.util
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
# Reference values produced once by sentence-transformers 6.2.0 (torch 2.13.0 CPU) from the same
# weights: the first six dimensions of each vector and the cosine-similarity matrix.
REFERENCE_HEAD = np.array(
    [
        [0.001949, 0.079868, 0.004209, -0.008242, 0.056834, -0.044258],
        [0.003474, 0.148043, -0.030991, -0.000516, -0.042218, -0.061929],
        [0.053839, -0.006534, -0.038074, -0.021408, 0.087885, 0.077171],
        [0.024743, 0.078043, -0.013267, 0.049711, -0.008932, 0.047021],
    ]
)
REFERENCE_COSINE = np.array(
    [
        [1.0, 0.418364, 0.082023, 0.149291],
        [0.418364, 1.0, 0.048425, 0.122955],
        [0.082023, 0.048425, 1.0, 0.070812],
        [0.149291, 0.122955, 0.070812, 1.0],
    ]
)


@pytest.fixture(scope="module")
def encoder(settings) -> SentenceEncoder:
    return SentenceEncoder(SHIPPED_MODEL, ModelStore(settings.model_dir))


def test_matches_reference_vectors_on_a_padded_batch(encoder):
    vectors = encoder.encode(TEXTS)  # different lengths: exercises the padding mask
    assert vectors.shape == (4, 384)
    np.testing.assert_allclose(vectors[:, :6], REFERENCE_HEAD, atol=2e-5)
    np.testing.assert_allclose(vectors @ vectors.T, REFERENCE_COSINE, atol=2e-5)


def test_batch_and_single_encodings_agree(encoder):
    together = encoder.encode(TEXTS)
    alone = np.vstack([encoder.encode([t]) for t in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None,
    reason="sentence-transformers not installed (pip install 'mockmirror[embeddings]')",
)
def test_matches_live_sentence_transformers(encoder, settings):
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(ModelStore(settings.model_dir).path(SHIPPED_MODEL)), device="cpu")
    reference = model.encode(TEXTS, normalize_embeddings=True)
    np.testing.assert_allclose(encoder.encode(TEXTS), reference, atol=2e-4)


def test_long_text_is_truncated_not_rejected(encoder):
    vector = encoder.encode(["word " * 2000])
    assert vector.shape == (1, 384)
    assert np.isfinite(vector).all()


def test_empty_input(encoder):
    assert encoder.encode([]).shape == (0, 384)
