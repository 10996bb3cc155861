"""Any OpenAI-compatible chat endpoint (llama.cpp server, vLLM, Ollama, LM Studio, a cloud API).

POST {base_url}/chat/completions with httpx, streamed as server-sent events ("data: {...}" lines
ending with "data: [DONE]") or as one JSON reply. Every failure is an LLMError, so the caller
falls back to its template.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx

from mockmirror.interview.llm.base import LLMError, LLMTimeout, LLMUnavailable, Message, collect


class OpenAICompatibleBackend:
    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout_s: float = 20.0,
        stream: bool = True,
        client: httpx.Client | None = None,
    ) -> None:
        if not base_url:
            raise LLMUnavailable("the openai backend needs a base URL (MOCKMIRROR_LLM__BASE_URL)")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.timeout_s = timeout_s
        self.streaming = stream
        self._headers = {"Content-Type": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._client = client or httpx.Client(trust_env=False)

    def close(self) -> None:
        self._client.close()

    def _timeout(self, deadline: float) -> httpx.Timeout:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LLMTimeout("no time left for the model")
        return httpx.Timeout(min(self.timeout_s, left))

    def _payload(self, messages: list[Message], max_tokens: int, temperature: float, stream: bool) -> dict:
        payload: dict[str, Any] = {
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": stream,
        }
        if self.model:
            payload["model"] = self.model
        return payload

    def stream(
        self, messages: list[Message], *, max_tokens: int, temperature: float, deadline: float
    ) -> Iterator[str]:
        payload = self._payload(messages, max_tokens, temperature, stream=True)
        try:
            with self._client.stream(
                "POST", self.url, json=payload, headers=self._headers, timeout=self._timeout(deadline)
            ) as response:
                if response.status_code != 200:
                    raise LLMError(f"{self.url}: HTTP {response.status_code}")
                if "text/event-stream" not in response.headers.get("content-type", ""):
                    response.read()  # a server that ignores "stream": one JSON reply
                    yield _message_text(_json(response.text))
                    return
                for line in response.iter_lines():
                    if time.monotonic() > deadline:
                        raise LLMTimeout("the model did not finish in time")
                    line = line.strip()
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    piece = _delta_text(_json(data))
                    if piece:
                        yield piece
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"{self.url}: timed out") from exc
        except httpx.HTTPError as exc:
            raise LLMError(f"{self.url}: {type(exc).__name__}: {exc}") from exc

    def complete(
        self, messages: list[Message], *, max_tokens: int, temperature: float, deadline: float
    ) -> str:
        if self.streaming:
            return collect(
                self.stream(messages, max_tokens=max_tokens, temperature=temperature, deadline=deadline),
                deadline,
            )
        payload = self._payload(messages, max_tokens, temperature, stream=False)
        try:
            response = self._client.post(
                self.url, json=payload, headers=self._headers, timeout=self._timeout(deadline)
            )
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"{self.url}: timed out") from exc
        except httpx.HTTPError as exc:
            raise LLMError(f"{self.url}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise LLMError(f"{self.url}: HTTP {response.status_code}")
        return _message_text(_json(response.text))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LLMError(f"malformed JSON from the model server: {text[:80]!r}") from exc


def _choice(data: Any) -> dict:
    try:
        choice = data["choices"][0]
    except (KeyError, IndexError, TypeError) as exc:
        raise LLMError("reply has no choices") from exc
    if not isinstance(choice, dict):
        raise LLMError("reply choice is not an object")
    return choice


def _message_text(data: Any) -> str:
    content = (_choice(data).get("message") or {}).get("content")
    if not isinstance(content, str):
        raise LLMError("reply has no message content")
    return content


def _delta_text(data: Any) -> str:
    content = (_choice(data).get("delta") or {}).get("content")
    return content if isinstance(content, str) else ""
