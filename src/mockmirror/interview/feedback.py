"""Quick feedback after each question and the closing summary of a mock interview.

Feedback reports what was found ("STAR parts found: situation, action, result") and what the
bank says a strong answer contains; it never gives a score. Every note comes from a fixed rule,
so the same answers always get the same feedback.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from mockmirror.interview.bank import QuestionType
from mockmirror.interview.followups import Assessment, FollowUp, FollowUpKind
from mockmirror.interview.plan import PlannedQuestion, Stage
from mockmirror.interview.signals import Ownership
from mockmirror.language.validity import HEADLINES, AnswerStatus


@dataclass(frozen=True, slots=True)
class AnswerFeedback:
    question_id: str
    question: str
    stage: Stage
    question_type: str
    answered: bool  # the verdict says there is an answer to assess (language.validity)
    skipped: bool
    word_count: int  # all answers to this question together
    star_expected: tuple[str, ...]
    star_found: tuple[str, ...]
    star_missing: tuple[str, ...]
    ownership: Ownership
    follow_ups: tuple[FollowUp, ...]
    notes: tuple[str, ...]  # observations, each from a rule
    strong_answer_points: tuple[str, ...]  # what the bank says a strong answer contains
    text: str  # the quick feedback as shown (template, or an LLM rewording that passed the guard)
    text_source: str = "template"
    status: str = "answered"  # the verdict (AnswerStatus value): answered, skipped, too_short…
    headline: str = ""  # the verdict's headline for a non-answer ("Too short to judge")
    final: bool = True  # False: feedback on the first answer, a follow-up is about to be asked


@dataclass(frozen=True, slots=True)
class InterviewSummary:
    answers: tuple[AnswerFeedback, ...]
    question_ids: tuple[str, ...]  # every question asked, for the "recently seen" list
    planned: int  # questions in the plan
    answered: int  # questions with some answer
    skipped: int  # questions skipped without an answer
    follow_ups_asked: int
    follow_up_counts: dict[str, int]
    star_counts: dict[str, tuple[int, int]]  # part -> (answers showing it, answers expected to)
    most_missed: str | None
    tips: tuple[str, ...]
    ended_early: bool
    notes: tuple[str, ...] = field(default=())

    def text(self) -> str:
        lines = [
            f"Questions answered: {self.answered} of {self.planned}"
            + (f" ({self.skipped} skipped)" if self.skipped else "")
            + (" — interview ended early" if self.ended_early else ""),
            f"Follow-ups asked: {self.follow_ups_asked}",
        ]
        for part, (found, expected) in self.star_counts.items():
            if expected:
                lines.append(f"  {part}: shown in {found} of {expected} answers that needed it")
        lines.extend(f"- {tip}" for tip in self.tips)
        return "\n".join(lines)


def answer_feedback(
    planned: PlannedQuestion,
    assessment: Assessment | None,
    follow_ups: list[FollowUp],
    *,
    skipped: bool,
    word_count: int,
    answer_text: str = "",
    long_answer_words: int = 400,
    final: bool = True,
) -> AnswerFeedback:
    question = planned.question
    notes: list[str] = []
    expected = tuple(p.value for p in question.strong_answer.star)
    if assessment is None or word_count == 0:
        status = AnswerStatus.SKIPPED
        notes.append(
            "Skipped: there is no feedback on this question and it does not count in your averages."
            if skipped
            else "No answer was heard, so there is no feedback on this question."
        )
        return _feedback(
            planned, follow_ups, notes, skipped, word_count, expected, (), expected, "none", status, final
        )
    verdict = assessment.verdict
    if not verdict.answered and planned.stage is not Stage.CLOSING:
        # One kind message that says what was heard and what to try; no praise, no STAR tally.
        notes.append(verdict.message)
        return _feedback(
            planned,
            follow_ups,
            notes,
            skipped,
            word_count,
            expected,
            (),
            expected,
            assessment.combined.ownership,
            verdict.status,
            final,
        )
    combined = assessment.combined
    if planned.stage is Stage.CLOSING:
        if _asks_a_question(answer_text):
            notes.append("You asked a question: good, it shows interest in the job.")
        else:
            notes.append(
                "No question for the interviewer: prepare one or two, e.g. what success looks like here."
            )
        # Any words at the close count: a short question for the interviewer is the right answer.
        status = AnswerStatus.ANSWERED
        return _feedback(
            planned, follow_ups, notes, skipped, word_count, (), (), (), combined.ownership, status, final
        )
    if assessment.star_expected:
        found = [p for p in assessment.star_expected if p in assessment.star_found]
        if found:
            notes.append(f"The story has its {_join(found)}.")
        if assessment.star_missing:
            notes.append(f"Missing: the {_join(assessment.star_missing)}.")
    if question.type is QuestionType.BEHAVIOURAL:
        if combined.ownership == "we_only":
            notes.append("You said what 'we' did; say what you did yourself.")
        elif combined.ownership == "mixed" and combined.we_actions > 2 * combined.i_actions:
            notes.append("Mostly 'we': make your own actions easier to hear.")
        if combined.vague:
            notes.append("No specific example yet: name one occasion, when and where it happened.")
    if word_count > long_answer_words:
        notes.append(f"{word_count} words: aim for about two minutes when speaking (roughly 250-300 words).")
    if assessment.truncated:
        notes.append("Only the first part of the long answer was analysed.")
    if not notes:
        notes.append("Clear answer; nothing obvious missing.")
    return _feedback(
        planned,
        follow_ups,
        notes[:3],  # the points that matter most come first
        skipped,
        word_count,
        assessment.star_expected,
        tuple(p for p in assessment.star_expected if p in assessment.star_found),
        assessment.star_missing,
        combined.ownership,
        verdict.status,
        final,
    )


def _join(parts: list[str] | tuple[str, ...]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


STAR_ORDER = ("situation", "task", "action", "result", "learning")
_QUESTION_START = re.compile(
    r"(^|[.!?]\s+)(what|how|who|when|where|which|why|could|can|would|is|are|do|does|will|should)\b", re.I
)


def _asks_a_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.search(text))


def _feedback(
    planned: PlannedQuestion,
    follow_ups: list[FollowUp],
    notes: list[str],
    skipped: bool,
    word_count: int,
    expected: tuple[str, ...],
    found: tuple[str, ...],
    missing: tuple[str, ...],
    ownership: Ownership,
    status: AnswerStatus,
    final: bool,
) -> AnswerFeedback:
    text = " ".join(notes)
    return AnswerFeedback(
        question_id=planned.id,
        question=planned.text,
        stage=planned.stage,
        question_type=planned.question.type.value,
        answered=status is AnswerStatus.ANSWERED,
        skipped=skipped or status is AnswerStatus.SKIPPED,
        word_count=word_count,
        star_expected=expected,
        star_found=found,
        star_missing=missing,
        ownership=ownership,
        follow_ups=tuple(follow_ups),
        notes=tuple(notes),
        strong_answer_points=planned.question.strong_answer.key_points,
        text=text,
        status=status.value,
        headline="" if status is AnswerStatus.ANSWERED else HEADLINES[status],
        final=final,
    )


_TIP_RULES: tuple[tuple[FollowUpKind, str], ...] = (
    (
        FollowUpKind.SPECIFIC_EXAMPLE,
        "Answer 'tell me about a time' with one real occasion, not how you usually work.",
    ),
    (FollowUpKind.OWNERSHIP, "Say 'I' for what you did and keep 'we' for the team's part."),
    (FollowUpKind.RESULT, "Finish each story with its outcome, with a number if you have one."),
    (FollowUpKind.LEARNING, "Close with what you learned or would do differently."),
    (FollowUpKind.OFF_TOPIC, "Answer the question asked: repeat its key words to yourself before you start."),
    (FollowUpKind.TOO_LONG, "Keep answers to about two minutes; the interviewer can always ask for more."),
    (FollowUpKind.TOO_SHORT, "Give each answer a little more room: situation, what you did, how it ended."),
    (FollowUpKind.STEPS, "For 'what would you do' questions, give your steps in order."),
    (FollowUpKind.DEPTH, "On technical questions, go one level deeper than the definition."),
    (FollowUpKind.SPECIFIC_REASON, "Back up your motivation with something you have actually done."),
)


def interview_summary(
    feedback: list[AnswerFeedback],
    *,
    asked_ids: list[str],
    ended_early: bool,
    planned: int | None = None,
    notes: tuple[str, ...] = (),
) -> InterviewSummary:
    kinds = Counter(f.kind.value for fb in feedback for f in fb.follow_ups)
    star_counts: dict[str, tuple[int, int]] = {}
    for part in STAR_ORDER:
        expected = [fb for fb in feedback if part in fb.star_expected and fb.answered]
        star_counts[part] = (sum(part in fb.star_found for fb in expected), len(expected))
    missed = {p: e - f for p, (f, e) in star_counts.items() if e and e - f > 0}
    # Most often missing; ties go to the earlier part in STAR order.
    most_missed = max(missed, key=lambda p: (missed[p], -STAR_ORDER.index(p))) if missed else None
    tips = [tip for kind, tip in _TIP_RULES if kinds.get(kind.value)]
    if most_missed:
        tips.append(f"The STAR part you most often left out: {most_missed}.")
    closing = [fb for fb in feedback if fb.stage is Stage.CLOSING and fb.answered]
    if closing and any(n.startswith("No question") for n in closing[-1].notes):
        tips.append("Prepare one or two questions for the end of the interview.")
    core = [fb for fb in feedback if fb.stage is Stage.CORE]
    if core and not tips and all(fb.answered for fb in core):
        tips.append("Your answers showed what the questions called for; keep the same structure.")
    return InterviewSummary(
        answers=tuple(feedback),
        question_ids=tuple(asked_ids),
        planned=planned if planned is not None else len(feedback),
        answered=sum(fb.answered for fb in feedback),
        skipped=sum(fb.skipped for fb in feedback),
        follow_ups_asked=sum(kinds.values()),
        follow_up_counts=dict(sorted(kinds.items())),
        star_counts=star_counts,
        most_missed=most_missed,
        tips=tuple(tips),
        ended_early=ended_early,
        notes=notes,
    )
