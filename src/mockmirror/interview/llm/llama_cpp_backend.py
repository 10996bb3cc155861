"""A local GGUF model through llama-cpp-python (optional extra ``mockmirror[llm]``).

llama-cpp-python ships as a source package only: installing it compiles llama.cpp, about 10-12
minutes on two cores (use CMAKE_ARGS="-DGGML_NATIVE=OFF" on machines where the native build
crashes). The import is guarded so the rest of mockmirror never needs it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mockmirror.interview.llm.base import LLMError, LLMTimeout, LLMUnavailable, Message, collect

INSTALL_HINT = (
    "the llama_cpp backend needs llama-cpp-python: pip install 'mockmirror[llm]' "
    '(it compiles llama.cpp, about 10-12 minutes on 2 cores; set CMAKE_ARGS="-DGGML_NATIVE=OFF" if the '
    "native build crashes)"
)


def llama_cpp_available() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return False
    return True


class LlamaCppBackend:
    name = "llama_cpp"

    def __init__(self, model_path: Path | str | None, *, n_ctx: int = 2048, threads: int = 2, seed: int = 0):
        if model_path is None:
            raise LLMUnavailable("the llama_cpp backend needs a GGUF file (MOCKMIRROR_LLM__GGUF_PATH)")
        path = Path(model_path).expanduser()
        if not path.is_file():
            raise LLMUnavailable(f"GGUF model file not found: {path}")
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle threads must not spin
        try:
            import llama_cpp
        except ImportError as exc:
            raise LLMUnavailable(INSTALL_HINT) from exc
        try:
            self._llm: Any = llama_cpp.Llama(
                model_path=str(path), n_ctx=n_ctx, n_threads=threads, seed=seed, verbose=False
            )
        except Exception as exc:  # llama.cpp raises ValueError/RuntimeError on a bad file
            raise LLMUnavailable(f"cannot load {path.name}: {exc}") from exc
        self.model_path = path

    def stream(
        self, messages: list[Message], *, max_tokens: int, temperature: float, deadline: float
    ) -> Iterator[str]:
        try:
            chunks = self._llm.create_chat_completion(
                messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True
            )
            for chunk in chunks:
                if time.monotonic() > deadline:
                    raise LLMTimeout("the model did not finish in time")
                delta = chunk["choices"][0].get("delta") or {}
                piece = delta.get("content")
                if piece:
                    yield piece
        except LLMError:
            raise
        except Exception as exc:
            raise LLMError(f"llama.cpp failed: {exc}") from exc

    def complete(
        self, messages: list[Message], *, max_tokens: int, temperature: float, deadline: float
    ) -> str:
        return collect(
            self.stream(messages, max_tokens=max_tokens, temperature=temperature, deadline=deadline), deadline
        )
