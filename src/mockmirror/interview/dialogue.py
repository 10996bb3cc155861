"""The interview's dialogue manager: a small explicit state machine with no I/O.

States (``State``) and the events that move between them (``Start``, ``Answer``, ``Skip``,
``Stop``) are listed in ``TRANSITIONS``; every step is recorded as a ``Transition``. The session
takes the candidate's answers and returns what the interviewer says next (a ``Turn``), so the
same object drives the terminal now and the web app later::

    ASKING --start/auto--> LISTENING --answer--> FOLLOW_UP --answer--> ... --> NEXT
    NEXT --auto--> ASKING (more questions) | WRAP_UP (closing question) | DONE
    WRAP_UP --answer/skip--> DONE;  any state --stop--> DONE

ASKING and NEXT are passed through within one call; a call returns in a waiting state
(LISTENING, FOLLOW_UP, WRAP_UP) or DONE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from mockmirror.core.types import MockmirrorError
from mockmirror.interview.feedback import AnswerFeedback, InterviewSummary, answer_feedback, interview_summary
from mockmirror.interview.followups import (
    REASONS,
    RESTARTING,
    AnswerAssessor,
    Assessment,
    FollowUp,
    FollowUpKind,
    FollowUpRules,
    decide_follow_up,
    follow_up_text,
)
from mockmirror.interview.llm.phraser import Phraser
from mockmirror.interview.plan import InterviewPlan, PlannedQuestion, Stage
from mockmirror.language.validity import AnswerVerdict


class State(StrEnum):
    ASKING = "asking"  # a question is about to be put
    LISTENING = "listening"  # waiting for the answer to a question
    FOLLOW_UP = "follow_up"  # waiting for the answer to a follow-up
    NEXT = "next"  # a question is finished; choosing what comes next
    WRAP_UP = "wrap_up"  # the closing question was put; waiting for the candidate's questions
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Start:
    pass


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    # The verdict already reached on this answer (the web app's analysis of the recording), so the
    # follow-up choice and the report read the same one; None: judged here from the text.
    verdict: AnswerVerdict | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    pass


@dataclass(frozen=True, slots=True)
class Stop:
    pass


Event = Start | Answer | Skip | Stop
Trigger = Literal["start", "answer", "skip", "stop", "auto"]
_TRIGGER: dict[type, Trigger] = {Start: "start", Answer: "answer", Skip: "skip", Stop: "stop"}

# Every allowed move: (state, trigger) -> the states it may lead to.
TRANSITIONS: dict[tuple[State, Trigger], frozenset[State]] = {
    (State.ASKING, "start"): frozenset({State.LISTENING}),
    (State.ASKING, "auto"): frozenset({State.LISTENING}),
    (State.LISTENING, "answer"): frozenset({State.FOLLOW_UP, State.NEXT}),
    (State.LISTENING, "skip"): frozenset({State.NEXT}),
    (State.FOLLOW_UP, "answer"): frozenset({State.FOLLOW_UP, State.NEXT}),
    (State.FOLLOW_UP, "skip"): frozenset({State.NEXT}),
    (State.NEXT, "auto"): frozenset({State.ASKING, State.WRAP_UP, State.DONE}),
    (State.WRAP_UP, "answer"): frozenset({State.DONE}),
    (State.WRAP_UP, "skip"): frozenset({State.DONE}),
    **{
        (state, "stop"): frozenset({State.DONE})
        for state in (State.ASKING, State.LISTENING, State.FOLLOW_UP, State.NEXT, State.WRAP_UP)
    },
}
WAITING_STATES = frozenset({State.LISTENING, State.FOLLOW_UP, State.WRAP_UP, State.DONE})


class InvalidTransition(MockmirrorError):
    """An event that the current state does not accept (e.g. an answer after the end)."""


@dataclass(frozen=True, slots=True)
class Transition:
    source: State
    trigger: Trigger
    target: State


PromptKind = Literal["question", "follow_up", "closing", "goodbye"]


@dataclass(frozen=True, slots=True)
class Prompt:
    kind: PromptKind
    text: str
    question_id: str | None
    stage: Stage | None
    number: int  # 1-based position of the question in the plan (0 for the goodbye)
    total: int
    follow_up: FollowUp | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    state: State  # where the session now waits
    prompt: Prompt | None  # what the interviewer says next
    # Quick feedback on the answer just given: ``final`` when the question is finished, else
    # on the first answer before its follow-up (so every answer gets its feedback at once).
    feedback: AnswerFeedback | None = None
    summary: InterviewSummary | None = None  # when the interview is done
    transitions: tuple[Transition, ...] = ()


@dataclass(frozen=True, slots=True)
class Exchange:
    prompt: str
    answer: str
    follow_up: FollowUpKind | None  # the follow-up this answers, None for the question itself


@dataclass
class QuestionRecord:
    planned: PlannedQuestion
    exchanges: list[Exchange] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    fresh_from: int = 0  # answers before this index were set aside by a restarting follow-up
    skipped: bool = False
    assessment: Assessment | None = None
    feedback: AnswerFeedback | None = None

    @property
    def combined(self) -> str:
        return "\n".join(e.answer for e in self.exchanges[self.fresh_from :] if e.answer.strip())

    @property
    def all_words(self) -> int:
        return sum(len(e.answer.split()) for e in self.exchanges)


_GOODBYE = "Thank you, that is the end of our practice interview."
_GOODBYE_ASKED = (
    "Thank you, that is a good thing to ask. In a real interview this is where you would hear the "
    "answer; note it down for the day. That is the end of our practice interview."
)


class InterviewSession:
    """One mock interview over a plan. Feed it events; it returns ``Turn``s.

    ``assessor`` runs the answer checks (give it the sentence encoder for the off-topic gate),
    ``phraser`` optionally rewords follow-ups and feedback with an LLM (templates by default).
    """

    def __init__(
        self,
        plan: InterviewPlan,
        *,
        assessor: AnswerAssessor | None = None,
        phraser: Phraser | None = None,
        max_follow_ups: int = 2,
        long_answer_words: int = 400,
    ) -> None:
        if not plan.questions:
            raise MockmirrorError("the interview plan has no questions")
        self.plan = plan
        self.assessor = assessor or AnswerAssessor()
        self.rules: FollowUpRules = self.assessor.rules
        self.phraser = phraser or Phraser()
        self.max_follow_ups = max_follow_ups
        self.long_answer_words = long_answer_words
        self.state = State.ASKING
        self.history: list[Transition] = []
        self.records: list[QuestionRecord] = []
        self._index = -1  # position in plan.questions of the current question
        self._pending: list[Transition] = []
        self._ended_early = False
        self._summary: InterviewSummary | None = None

    # --- public API ---------------------------------------------------------------------------
    def start(self) -> Turn:
        return self.handle(Start())

    def answer(self, text: str, verdict: AnswerVerdict | None = None) -> Turn:
        return self.handle(Answer(text, verdict))

    def skip(self) -> Turn:
        return self.handle(Skip())

    def stop(self) -> Turn:
        return self.handle(Stop())

    @property
    def done(self) -> bool:
        return self.state is State.DONE

    @property
    def current(self) -> QuestionRecord | None:
        return self.records[-1] if self.records and self.state is not State.DONE else None

    @property
    def summary(self) -> InterviewSummary | None:
        return self._summary

    def accepts(self, event: Event) -> bool:
        return (self.state, _TRIGGER[type(event)]) in TRANSITIONS

    def handle(self, event: Event) -> Turn:
        trigger = _TRIGGER[type(event)]
        if (self.state, trigger) not in TRANSITIONS:
            raise InvalidTransition(f"cannot {trigger} while {self.state.value}")
        self._pending = []
        if isinstance(event, Stop):
            return self._on_stop()
        if isinstance(event, Start):
            return self._ask_next(trigger="start")
        if self.state is State.WRAP_UP:
            return self._on_closing(event)
        if isinstance(event, Skip):
            record = self.records[-1]
            record.skipped = True
            return self._finish_question(trigger="skip")
        assert isinstance(event, Answer)
        return self._on_answer(event.text, event.verdict)

    # --- transitions --------------------------------------------------------------------------
    def _go(self, target: State, trigger: Trigger) -> None:
        allowed = TRANSITIONS.get((self.state, trigger), frozenset())
        if target not in allowed:  # a bug in this class, not a user error
            raise AssertionError(f"illegal transition {self.state.value} -{trigger}-> {target.value}")
        move = Transition(self.state, trigger, target)
        self.history.append(move)
        self._pending.append(move)
        self.state = target

    def _turn(
        self,
        prompt: Prompt | None,
        feedback: AnswerFeedback | None = None,
        summary: InterviewSummary | None = None,
    ) -> Turn:
        assert self.state in WAITING_STATES
        return Turn(self.state, prompt, feedback, summary, tuple(self._pending))

    def _ask_next(self, trigger: Trigger, feedback: AnswerFeedback | None = None) -> Turn:
        """From ASKING: put the next question and listen."""
        self._index += 1
        planned = self.plan.questions[self._index]
        text = planned.text
        if planned.stage is Stage.CORE:
            text = self.phraser.question_variant(planned.text).text
        self.records.append(QuestionRecord(planned))
        self._go(State.LISTENING, trigger)
        return self._turn(self._prompt("question", text, planned), feedback)

    def _on_answer(self, text: str, verdict: AnswerVerdict | None = None) -> Turn:
        record = self.records[-1]
        planned = record.planned
        last_kind = (
            record.follow_ups[-1].kind if self.state is State.FOLLOW_UP and record.follow_ups else None
        )
        fresh = last_kind is None or last_kind in RESTARTING
        if fresh and last_kind is not None:
            record.fresh_from = len(record.exchanges)
        prompt_text = record.follow_ups[-1].text if last_kind is not None else planned.text
        record.exchanges.append(Exchange(prompt_text, text or "", last_kind))
        assessment = self.assessor.assess(
            planned, text or "", record.combined, check_relevance=fresh, verdict=verdict if fresh else None
        )
        record.assessment = assessment
        kind = None
        if len(record.follow_ups) < self.max_follow_ups:
            kind = decide_follow_up(
                planned, assessment, [f.kind for f in record.follow_ups], fresh_answer=fresh, rules=self.rules
            )
        if kind is None:
            return self._finish_question(trigger="answer")
        template = follow_up_text(kind, planned)
        phrased = self.phraser.follow_up(
            template, question=planned.text, answer=text or "", reason=REASONS[kind]
        )
        follow_up = FollowUp(kind, phrased.text, template, REASONS[kind], phrased.source)
        record.follow_ups.append(follow_up)
        interim = self._feedback(record, final=False)
        self._go(State.FOLLOW_UP, "answer")
        return self._turn(self._prompt("follow_up", follow_up.text, planned, follow_up), interim)

    def _finish_question(self, trigger: Trigger) -> Turn:
        record = self.records[-1]
        feedback = self._feedback(record)
        self._go(State.NEXT, trigger)
        following = self._index + 1
        if following >= len(self.plan.questions):
            self._go(State.DONE, "auto")
            return self._turn(self._goodbye(_GOODBYE), feedback, self._finish())
        planned = self.plan.questions[following]
        if planned.stage is Stage.CLOSING:
            self._index = following
            self.records.append(QuestionRecord(planned))
            self._go(State.WRAP_UP, "auto")
            return self._turn(self._prompt("closing", planned.text, planned), feedback)
        self._go(State.ASKING, "auto")
        return self._ask_next(trigger="auto", feedback=feedback)

    def _on_closing(self, event: Event) -> Turn:
        record = self.records[-1]
        if isinstance(event, Answer):
            record.exchanges.append(Exchange(record.planned.text, event.text or "", None))
            record.assessment = self.assessor.assess(
                record.planned, event.text or "", record.combined, check_relevance=False
            )
        else:
            record.skipped = True
        feedback = self._feedback(record)
        asked = bool(feedback.answered) and not any(n.startswith("No question") for n in feedback.notes)
        self._go(State.DONE, "answer" if isinstance(event, Answer) else "skip")
        return self._turn(self._goodbye(_GOODBYE_ASKED if asked else _GOODBYE), feedback, self._finish())

    def _on_stop(self) -> Turn:
        feedback = None
        if self.records and self.records[-1].feedback is None and self.state is not State.ASKING:
            record = self.records[-1]
            if not record.exchanges:
                record.skipped = True
            feedback = self._feedback(record)
            self._ended_early = record.planned.stage is not Stage.CLOSING
        elif self._index + 1 < len(self.plan.questions):
            self._ended_early = True
        self._go(State.DONE, "stop")
        return self._turn(self._goodbye(_GOODBYE), feedback, self._finish())

    # --- helpers ------------------------------------------------------------------------------
    def _feedback(self, record: QuestionRecord, *, final: bool = True) -> AnswerFeedback:
        feedback = answer_feedback(
            record.planned,
            record.assessment,
            list(record.follow_ups),
            skipped=record.skipped,
            word_count=record.all_words,
            answer_text=record.combined,
            long_answer_words=self.long_answer_words,
            final=final,
        )
        phrased = self.phraser.feedback(feedback.text, facts=(record.planned.text, record.combined))
        if phrased.source != "template":
            feedback = _replace_text(feedback, phrased.text, phrased.source)
        if final:
            record.feedback = feedback
        return feedback

    def _finish(self) -> InterviewSummary:
        feedback = [r.feedback for r in self.records if r.feedback is not None]
        self._summary = interview_summary(
            feedback,
            asked_ids=[r.planned.id for r in self.records],
            ended_early=self._ended_early,
            planned=len(self.plan.questions),
            notes=self.plan.notes,
        )
        return self._summary

    def _prompt(
        self, kind: PromptKind, text: str, planned: PlannedQuestion, follow_up: FollowUp | None = None
    ) -> Prompt:
        return Prompt(
            kind=kind,
            text=text,
            question_id=planned.id,
            stage=planned.stage,
            number=self._index + 1,
            total=len(self.plan.questions),
            follow_up=follow_up,
        )

    def _goodbye(self, text: str) -> Prompt:
        return Prompt("goodbye", text, None, None, 0, len(self.plan.questions))


def _replace_text(feedback: AnswerFeedback, text: str, source: str) -> AnswerFeedback:
    from dataclasses import replace

    return replace(feedback, text=text, text_source=source)
