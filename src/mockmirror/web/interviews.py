"""Interview sessions for the web app: plans from the stored request, the dialogue manager kept in
memory per session and rebuilt after a restart by replaying the stored events on the same plan."""

from __future__ import annotations

import dataclasses
import threading
from enum import Enum
from typing import Any

from mockmirror.interview.bank import QuestionBank, RoleFamily, load_bank
from mockmirror.interview.dialogue import InterviewSession, Turn
from mockmirror.interview.factory import new_interview_session
from mockmirror.interview.plan import InterviewPlan, PlanRequest, build_plan, request_from_profile
from mockmirror.language.validity import AnswerStatus, AnswerVerdict
from mockmirror.settings import Settings
from mockmirror.store import SessionRecord, Store


def to_jsonable(value: Any) -> Any:
    """Dataclasses/enums from the interview package as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def verdict_from_json(value: dict[str, Any] | None) -> AnswerVerdict | None:
    """The stored verdict of an answer (from its analysis), as the dialogue manager takes it."""
    if not value:
        return None
    return AnswerVerdict(
        AnswerStatus(value["status"]),
        value.get("message", ""),
        value.get("heard", ""),
        tuple(value.get("reasons", ())),
        dict(value.get("measures", {})),
    )


def prompt_json(turn: Turn) -> dict[str, Any] | None:
    prompt = turn.prompt
    if prompt is None:
        return None
    return {
        "kind": prompt.kind,
        "text": prompt.text,
        "question_id": prompt.question_id,
        "stage": prompt.stage.value if prompt.stage else None,
        "number": prompt.number,
        "total": prompt.total,
        "follow_up": prompt.follow_up.kind.value if prompt.follow_up else None,
    }


class Interviews:
    """One dialogue manager per session id (in memory), with its state mirrored in the store."""

    def __init__(self, settings: Settings, store: Store, encoder_factory, tools_factory) -> None:
        self.settings = settings
        self.store = store
        # The sentence encoder and the language tools, loaded on first need and shared with the
        # answer analysis (one spaCy per process, not one per interview).
        self._encoder_factory = encoder_factory
        self._tools_factory = tools_factory
        self._bank: QuestionBank | None = None
        self._live: dict[str, InterviewSession] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @property
    def bank(self) -> QuestionBank:
        if self._bank is None:
            self._bank = load_bank()
        return self._bank

    def lock(self, session_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(session_id, threading.Lock())

    def plan(self, record: SessionRecord) -> InterviewPlan:
        config = self.settings.interview
        recent = tuple(i for i in record.recent_ids if i in self.bank)
        role = RoleFamily(record.role) if record.role else RoleFamily.ANY
        if record.job_description.strip():
            from mockmirror.interview.jd import JobDescriptionReader

            profile = JobDescriptionReader().read(record.job_description)
            request = request_from_profile(
                profile,
                core_questions=record.core_questions,
                difficulty=record.difficulty,
                seed=record.seed,
                recent_ids=recent,
                role=None if role is RoleFamily.ANY else role,
                skill_share=config.skill_share,
            )
        else:
            request = PlanRequest(
                role=role, core_questions=record.core_questions, difficulty=record.difficulty,
                seed=record.seed, recent_ids=recent,
            )
        request = dataclasses.replace(request, warm_up=record.warm_up, closing=record.closing)
        return build_plan(self.bank, request)

    def _new_dialogue(self, record: SessionRecord) -> InterviewSession:
        return new_interview_session(
            self.plan(record),
            self.settings,
            encoder=self._encoder_factory(),
            tools=self._tools_factory(),
            max_follow_ups=record.max_follow_ups,
        ).session

    def dialogue(self, record: SessionRecord) -> InterviewSession:
        session = self._live.get(record.id)
        if session is None:
            session = self._new_dialogue(record)
            for event in record.dialogue_events:  # same plan, same events: same state
                self._apply(session, event)
            self._live[record.id] = session
        return session

    @staticmethod
    def _apply(session: InterviewSession, event: dict[str, Any]) -> Turn:
        kind = event["event"]
        if kind == "start":
            return session.start()
        if kind == "answer":
            return session.answer(event.get("text", ""), verdict_from_json(event.get("verdict")))
        if kind == "skip":
            return session.skip()
        return session.stop()

    def handle(self, session_id: str, event: dict[str, Any]) -> Turn:
        """Apply one event, store the new prompt/state (and summary at the end)."""
        with self.lock(session_id):
            record = self.store.get_session(session_id)
            session = self.dialogue(record)
            turn = self._apply(session, event)
            fields: dict[str, Any] = {
                "state": turn.state.value,
                "prompt": prompt_json(turn),
                "dialogue_events": [*record.dialogue_events, event],
            }
            if turn.summary is not None:
                fields["summary"] = to_jsonable(turn.summary)
                fields["question_ids"] = list(turn.summary.question_ids)
            self.store.update_session(session_id, **fields)
            return turn

    def forget(self, session_id: str) -> None:
        self._live.pop(session_id, None)

    def forget_all(self) -> None:
        self._live.clear()
