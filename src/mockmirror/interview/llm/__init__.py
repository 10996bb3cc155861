"""Optional LLM backends for wording: 'none' (templates), 'openai' (HTTP), 'llama_cpp' (local GGUF)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockmirror.interview.llm.base import LLMBackend, LLMError, LLMTimeout, LLMUnavailable, Message
from mockmirror.interview.llm.guard import GuardResult, check_llm_text
from mockmirror.interview.llm.phraser import Phrased, Phraser

if TYPE_CHECKING:
    from mockmirror.settings import LLMSettings

__all__ = [
    "GuardResult",
    "LLMBackend",
    "LLMError",
    "LLMTimeout",
    "LLMUnavailable",
    "Message",
    "Phrased",
    "Phraser",
    "check_llm_text",
    "make_backend",
    "make_phraser",
]


def make_backend(settings: LLMSettings) -> LLMBackend | None:
    """The backend the settings name (None for 'none'); raises LLMUnavailable if it cannot run."""
    if settings.backend == "none":
        return None
    if settings.backend == "openai":
        from mockmirror.interview.llm.openai_compat import OpenAICompatibleBackend

        key = settings.api_key.get_secret_value() if settings.api_key else None
        return OpenAICompatibleBackend(
            settings.base_url,
            settings.model,
            api_key=key,
            timeout_s=settings.timeout_s,
            stream=settings.stream,
        )
    if settings.backend == "llama_cpp":
        from mockmirror.interview.llm.llama_cpp_backend import LlamaCppBackend

        return LlamaCppBackend(settings.gguf_path, n_ctx=settings.n_ctx, threads=settings.threads)
    raise LLMUnavailable(f"unknown LLM backend {settings.backend!r}")


def make_phraser(settings: LLMSettings, backend: LLMBackend | None = None) -> Phraser:
    return Phraser(
        backend=backend if backend is not None else make_backend(settings),
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        timeout_s=settings.timeout_s,
        max_chars=settings.max_chars,
        rephrase_follow_ups=settings.rephrase_follow_ups,
        rephrase_feedback=settings.rephrase_feedback,
        question_variants=settings.question_variants,
    )
