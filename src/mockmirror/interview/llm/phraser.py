"""Wording on top of the rules: an optional LLM rewords follow-ups and feedback, guarded.

The dialogue decides *what* to ask (deterministic rules); the ``Phraser`` only decides *how* it
is said. With no backend it returns the template unchanged. With one, the model's reply must
pass ``check_llm_text`` (length, one question, no new numbers, no grading) before it is used;
on any failure or timeout the template is used and the reason is kept in ``rejections``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from mockmirror.interview.llm.base import LLMBackend, LLMError, Message
from mockmirror.interview.llm.guard import check_llm_text

SYSTEM_PROMPT = (
    "You are a friendly, professional job interviewer in a practice interview. You reword the "
    "interviewer's next line so it sounds natural and fits the conversation. Keep its meaning. "
    "Do not add facts, names or numbers. Never evaluate, grade or score the candidate. "
    "Reply with the reworded line only."
)


@dataclass(frozen=True, slots=True)
class Phrased:
    text: str
    source: str  # "template" or the backend's name
    rejected: str = ""  # why the model's text was not used, if it was tried


@dataclass
class Phraser:
    backend: LLMBackend | None = None
    max_tokens: int = 80
    temperature: float = 0.3
    timeout_s: float = 20.0
    max_chars: int = 240
    rephrase_follow_ups: bool = True
    rephrase_feedback: bool = False
    question_variants: bool = False
    rejections: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.backend.name if self.backend is not None else "none"

    def follow_up(self, template: str, *, question: str, answer: str, reason: str) -> Phrased:
        if self.backend is None or not self.rephrase_follow_ups:
            return Phrased(template, "template")
        user = (
            f"Interview question: {question}\n"
            f"Candidate's answer (excerpt): {_excerpt(answer)}\n"
            f"Why the interviewer follows up: {reason}\n"
            f"Line to reword (ask exactly one question): {template}"
        )
        return self._ask(user, template, facts=(question, answer, template), expect_question=True)

    def feedback(self, template: str, *, facts: tuple[str, ...] = ()) -> Phrased:
        if self.backend is None or not self.rephrase_feedback:
            return Phrased(template, "template")
        user = (
            "Reword this feedback for the candidate in a warm, direct tone, as statements with no "
            f"question, keeping every point and adding none:\n{template}"
        )
        return self._ask(
            user,
            template,
            facts=(template, *facts),
            expect_question=False,
            max_chars=max(self.max_chars, len(template) * 2),
        )

    def question_variant(self, question: str) -> Phrased:
        if self.backend is None or not self.question_variants:
            return Phrased(question, "template")
        user = (
            "Write one variant of this interview question that asks for the same thing in different "
            f"words (exactly one question):\n{question}"
        )
        return self._ask(user, question, facts=(question,), expect_question=None)

    def _ask(
        self,
        user: str,
        template: str,
        *,
        facts: tuple[str, ...],
        expect_question: bool | None,
        max_chars: int | None = None,
    ) -> Phrased:
        assert self.backend is not None
        messages: list[Message] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user},
        ]
        deadline = time.monotonic() + self.timeout_s
        try:
            reply = self.backend.complete(
                messages, max_tokens=self.max_tokens, temperature=self.temperature, deadline=deadline
            )
        except LLMError as exc:
            return self._reject(template, f"{type(exc).__name__}: {exc}")
        result = check_llm_text(
            reply, facts=facts, expect_question=expect_question, max_chars=max_chars or self.max_chars
        )
        if not result.ok:
            return self._reject(template, result.reason)
        return Phrased(result.text, self.backend.name)

    def _reject(self, template: str, reason: str) -> Phrased:
        self.rejections.append(reason)
        return Phrased(template, "template", rejected=reason)


def _excerpt(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
