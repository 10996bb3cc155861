"""The LLM backend interface: chat messages in, text (optionally streamed token by token) out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from mockmirror.core.types import MockmirrorError

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}


class LLMError(MockmirrorError):
    """The backend failed (network, HTTP status, malformed reply, timeout)."""


class LLMTimeout(LLMError):
    """The reply did not finish before the deadline."""


class LLMUnavailable(LLMError):
    """The backend cannot be used here (library not installed, model file missing, no URL)."""


@runtime_checkable
class LLMBackend(Protocol):
    name: str

    def stream(
        self, messages: list[Message], *, max_tokens: int, temperature: float, deadline: float
    ) -> Iterator[str]:
        """Yield the reply's text in pieces; raise LLMTimeout once ``time.monotonic() > deadline``."""
        ...

    def complete(
        self, messages: list[Message], *, max_tokens: int, temperature: float, deadline: float
    ) -> str:
        """The whole reply."""
        ...


def collect(stream: Iterator[str], deadline: float) -> str:
    """Join a token stream, giving up at the deadline."""
    parts: list[str] = []
    for piece in stream:
        parts.append(piece)
        if time.monotonic() > deadline:
            raise LLMTimeout("the model did not finish in time")
    return "".join(parts)
