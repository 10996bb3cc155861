"""Mock interviews: the question bank, job descriptions, plans, follow-ups and the dialogue manager.

The web app (later) and the CLI use the same entry points::

    bank = load_bank()
    plan = build_plan(bank, PlanRequest(role=RoleFamily.SOFTWARE, core_questions=5, seed=7))
    session = InterviewSession(plan, assessor=AnswerAssessor(encoder), phraser=make_phraser(settings.llm))
    turn = session.start()              # turn.prompt.text: what the interviewer says
    turn = session.answer("...")        # a follow-up, or feedback + the next question
    ...                                 # until session.done; then turn.summary

Nothing here does I/O beyond reading the shipped data files; the LLM backends (optional) only
reword what the rules decided and never score. See docs/interview.md.
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> the module that defines it; imported on first use so that importing one
# submodule (the CLI imports ``bank``) does not load the NLP stack.
_EXPORTS: dict[str, str] = {
    "Answer": "mockmirror.interview.dialogue",
    "AnswerAssessor": "mockmirror.interview.followups",
    "AnswerFeedback": "mockmirror.interview.feedback",
    "AnswerSignals": "mockmirror.interview.signals",
    "Assessment": "mockmirror.interview.followups",
    "Competency": "mockmirror.interview.bank",
    "FollowUp": "mockmirror.interview.followups",
    "FollowUpKind": "mockmirror.interview.followups",
    "FollowUpRules": "mockmirror.interview.followups",
    "InterviewPlan": "mockmirror.interview.plan",
    "InterviewSession": "mockmirror.interview.dialogue",
    "InterviewSummary": "mockmirror.interview.feedback",
    "InvalidTransition": "mockmirror.interview.dialogue",
    "JobDescriptionReader": "mockmirror.interview.jd",
    "JobProfile": "mockmirror.interview.jd",
    "Phraser": "mockmirror.interview.llm",
    "PlanRequest": "mockmirror.interview.plan",
    "PlannedQuestion": "mockmirror.interview.plan",
    "Prompt": "mockmirror.interview.dialogue",
    "Question": "mockmirror.interview.bank",
    "QuestionBank": "mockmirror.interview.bank",
    "QuestionType": "mockmirror.interview.bank",
    "RoleFamily": "mockmirror.interview.bank",
    "Seniority": "mockmirror.interview.jd",
    "SkillMatch": "mockmirror.interview.jd",
    "Skip": "mockmirror.interview.dialogue",
    "Stage": "mockmirror.interview.plan",
    "StarName": "mockmirror.interview.bank",
    "Start": "mockmirror.interview.dialogue",
    "State": "mockmirror.interview.dialogue",
    "Stop": "mockmirror.interview.dialogue",
    "TRANSITIONS": "mockmirror.interview.dialogue",
    "Transition": "mockmirror.interview.dialogue",
    "Turn": "mockmirror.interview.dialogue",
    "build_plan": "mockmirror.interview.plan",
    "decide_follow_up": "mockmirror.interview.followups",
    "load_bank": "mockmirror.interview.bank",
    "make_backend": "mockmirror.interview.llm",
    "make_phraser": "mockmirror.interview.llm",
    "read_signals": "mockmirror.interview.signals",
    "request_from_profile": "mockmirror.interview.plan",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
