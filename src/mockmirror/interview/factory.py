"""One way to build an interview session from the settings, used by the CLI and the web app.

The sentence encoder and the language tools are passed in (loaded once per process and shared by
every session), so a new interview never loads spaCy or MiniLM again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockmirror.interview.dialogue import InterviewSession
from mockmirror.interview.followups import AnswerAssessor, FollowUpRules
from mockmirror.interview.llm import LLMUnavailable, make_phraser

if TYPE_CHECKING:
    from mockmirror.interview.plan import InterviewPlan
    from mockmirror.language.tools import LanguageTools
    from mockmirror.settings import Settings


@dataclass(frozen=True, slots=True)
class NewSession:
    session: InterviewSession
    note: str = ""  # e.g. why the LLM wording is off


def new_interview_session(
    plan: InterviewPlan,
    settings: Settings,
    *,
    encoder: Any | None,
    tools: LanguageTools | None,
    max_follow_ups: int | None = None,
) -> NewSession:
    """A dialogue manager on ``plan``; the LLM wording falls back to templates when unavailable."""
    note = ""
    try:
        phraser = make_phraser(settings.llm)
    except LLMUnavailable as exc:
        note = f"{exc}; using the built-in wording"
        phraser = make_phraser(settings.llm.model_copy(update={"backend": "none"}))
    config = settings.interview
    assessor = AnswerAssessor(
        encoder, FollowUpRules.from_settings(config), tools=tools, content=settings.content
    )
    session = InterviewSession(
        plan,
        assessor=assessor,
        phraser=phraser,
        max_follow_ups=config.max_follow_ups if max_follow_ups is None else max_follow_ups,
        long_answer_words=config.long_answer_words,
    )
    return NewSession(session, note)
