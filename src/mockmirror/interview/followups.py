"""Adaptive follow-up questions, chosen from what an answer lacks.

An answer is first *assessed*: the checks in ``signals`` (is there an answer, English prose or
code, a specific story or a general claim, "I" or only "we") plus ``analyze_content`` from the
language package (STAR parts, relevance to the question). ``decide_follow_up`` then walks fixed
rules in order and returns at most one deterministic template per turn; the dialogue manager
caps the number per question. See docs/interview.md for the rule table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from mockmirror.interview.bank import QuestionType, StarName
from mockmirror.interview.plan import PlannedQuestion
from mockmirror.interview.signals import AnswerSignals, read_signals
from mockmirror.language.content import ContentAnalysis, analyze_content
from mockmirror.language.tools import LanguageTools
from mockmirror.language.validity import AnswerStatus, AnswerVerdict
from mockmirror.settings import ContentSettings

if TYPE_CHECKING:
    from mockmirror.settings import InterviewSettings


class FollowUpKind(StrEnum):
    # "Blocking": the answer cannot be assessed yet; the candidate answers the question again.
    NO_ANSWER = "no_answer"
    LANGUAGE = "language"
    CODE = "code"
    NOT_UNDERSTOOD = "not_understood"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    OFF_TOPIC = "off_topic"
    SPECIFIC_EXAMPLE = "specific_example"
    # "Probing": the answer stands; the candidate adds the missing piece.
    OWNERSHIP = "ownership"
    ACTION = "action"
    RESULT = "result"
    LEARNING = "learning"
    CONTEXT = "context"
    STEPS = "steps"
    DEPTH = "depth"
    SPECIFIC_REASON = "specific_reason"


# After one of these the candidate gives a fresh answer; the earlier text is set aside.
RESTARTING: frozenset[FollowUpKind] = frozenset(
    {
        FollowUpKind.NO_ANSWER,
        FollowUpKind.LANGUAGE,
        FollowUpKind.CODE,
        FollowUpKind.NOT_UNDERSTOOD,
        FollowUpKind.TOO_SHORT,
        FollowUpKind.TOO_LONG,
        FollowUpKind.OFF_TOPIC,
        FollowUpKind.SPECIFIC_EXAMPLE,
    }
)

# The default wording: one question each, no numbers, so the LLM guard can compare like with like.
TEMPLATES: dict[FollowUpKind, str] = {
    FollowUpKind.NO_ANSWER: "Take your time, there is no rush. When you are ready, how would you answer it?",
    FollowUpKind.LANGUAGE: (
        "This practice interview runs in English, and a simple version is fine. Could you give me "
        "your answer in English?"
    ),
    FollowUpKind.CODE: (
        "That looks like code. In an interview you would talk it through: what problem was it solving, "
        "and why did you write it that way?"
    ),
    FollowUpKind.NOT_UNDERSTOOD: "Sorry, I didn't quite catch that. Could you say your answer again?",
    FollowUpKind.TOO_SHORT: "Could you expand on that and walk me through a real example?",
    FollowUpKind.TOO_LONG: (
        "Let me stop you there, that was a lot of detail. In a few sentences, what did you do and "
        "what came of it?"
    ),
    FollowUpKind.OFF_TOPIC: "Let's bring it back to the question: {topic}. What is your answer to that?",
    FollowUpKind.SPECIFIC_EXAMPLE: (
        "That tells me how you see yourself. Can you give me one specific time it happened: where you "
        "were, what you did and how it turned out?"
    ),
    FollowUpKind.OWNERSHIP: "You have told me what the team did. What was your own part in it?",
    FollowUpKind.ACTION: "What did you actually do, step by step?",
    FollowUpKind.RESULT: "What was the outcome, and how did you measure it?",
    FollowUpKind.LEARNING: "Looking back, what did you learn from it, or what would you do differently?",
    FollowUpKind.CONTEXT: "Set the scene for me briefly: where was this, and what was at stake?",
    FollowUpKind.STEPS: "What would you actually do first, and what would come next?",
    FollowUpKind.DEPTH: (
        "Could you go one level deeper and explain how it works in practice, and what the trade-offs are?"
    ),
    FollowUpKind.SPECIFIC_REASON: "What in your own experience draws you to this, specifically?",
}

# Why a follow-up was asked, in words for the feedback.
REASONS: dict[FollowUpKind, str] = {
    FollowUpKind.NO_ANSWER: "no answer was given",
    FollowUpKind.LANGUAGE: "the answer was not in English",
    FollowUpKind.CODE: "the answer was code rather than an explanation",
    FollowUpKind.NOT_UNDERSTOOD: "the answer could not be understood",
    FollowUpKind.TOO_SHORT: "the answer was very short",
    FollowUpKind.TOO_LONG: "the answer was far longer than an interview allows",
    FollowUpKind.OFF_TOPIC: "the answer did not seem to address the question",
    FollowUpKind.SPECIFIC_EXAMPLE: "the answer described habits or qualities, not one specific example",
    FollowUpKind.OWNERSHIP: "the answer said what 'we' did but not what you did",
    FollowUpKind.ACTION: "no action of yours was found",
    FollowUpKind.RESULT: "no outcome or result was stated",
    FollowUpKind.LEARNING: "no lesson or reflection was stated",
    FollowUpKind.CONTEXT: "the situation and your task were not set out",
    FollowUpKind.STEPS: "the answer did not say what you would do, step by step",
    FollowUpKind.DEPTH: "the explanation stayed at the surface",
    FollowUpKind.SPECIFIC_REASON: "the reasons were general rather than your own",
}


@dataclass(frozen=True, slots=True)
class FollowUp:
    kind: FollowUpKind
    text: str  # what the interviewer says (template, or an LLM rewording that passed the guard)
    template: str  # the deterministic wording
    reason: str
    source: str = "template"  # "template" or the LLM backend's name


class Assessment:
    """What the checks found in an answer.

    The signals are computed at once (cheap); the content analysis (STAR parts, relevance: the
    sentence encoder and the parse) runs on first use and is kept, so a turn that is settled by
    the signals alone ("no answer", "too long", "code"…) does not pay for it.
    """

    def __init__(
        self,
        latest: AnswerSignals,
        combined: AnswerSignals,
        star_expected: tuple[str, ...],
        truncated: bool,
        analyse: Callable[[], ContentAnalysis],
        verdict: AnswerVerdict | None = None,
    ) -> None:
        self.latest = latest  # the answer just given
        self.combined = combined  # everything said to this question since the last fresh start
        self.star_expected = star_expected
        self.truncated = truncated  # the combined text was cut to the analysis cap
        self._analyse = analyse
        self._content: ContentAnalysis | None = None
        self._verdict = verdict  # reached elsewhere on the same answer (the recording's analysis)

    @property
    def analysed(self) -> bool:
        return self._content is not None

    @property
    def content(self) -> ContentAnalysis:
        if self._content is None:
            self._content = self._analyse()
        return self._content

    @property
    def star_found(self) -> tuple[str, ...]:
        return tuple(name for name, part in self.content.star.items() if part.present)

    @property
    def star_missing(self) -> tuple[str, ...]:  # expected by the bank and not found
        found = set(self.star_found)
        return tuple(p for p in self.star_expected if p not in found)

    @property
    def verdict(self) -> AnswerVerdict:
        """Is there an answer at all: the one verdict (language.validity) every consumer reads."""
        verdict = self._verdict or self.content.verdict
        assert verdict is not None  # analyze_content always sets it
        return verdict

    @property
    def off_topic(self) -> bool:
        return self.verdict.status is AnswerStatus.OFF_TOPIC

    @property
    def relevance(self) -> float | None:
        return self.content.relevance


@dataclass(frozen=True, slots=True)
class FollowUpRules:
    """The interview's own limits; whether there is an answer at all (too short, off-topic…) is
    the content settings' verdict (language.validity), not a copy of its cut-offs here."""

    max_words: int = 900
    analysis_word_cap: int = 600
    depth_min_words: int = 60  # technical/situational answers shorter than this get probed

    @classmethod
    def from_settings(cls, interview: InterviewSettings) -> FollowUpRules:
        return cls(
            max_words=interview.max_answer_words,
            analysis_word_cap=interview.analysis_word_cap,
            depth_min_words=interview.depth_min_words,
        )


class AnswerAssessor:
    """Runs the checks on an answer; ``encoder`` (the MiniLM sentence encoder) enables the
    off-topic gate, without it relevance is not measured.

    ``tools`` (the loaded NLP back-ends, shared across answers so they load once) is made on first
    use when not given; ``content`` holds the verdict's cut-offs (``Settings().content``).
    """

    def __init__(
        self,
        encoder: Any | None = None,
        rules: FollowUpRules | None = None,
        *,
        tools: LanguageTools | None = None,
        content: ContentSettings | None = None,
    ) -> None:
        self.encoder = encoder
        self.rules = rules or FollowUpRules()
        self.content_settings = content or (tools.settings if tools is not None else ContentSettings())
        self._tools = tools

    @property
    def tools(self) -> LanguageTools:
        if self._tools is None:
            self._tools = LanguageTools(self.content_settings)
        return self._tools

    def _content(self, planned: PlannedQuestion, text: str, encoder: Any | None) -> ContentAnalysis:
        return analyze_content(
            planned.text,
            encoder,
            text=text,
            tools=self.tools,
            settings=self.content_settings,
            key_points=list(planned.question.strong_answer.key_points),
            question_kind=planned.question.type.value,
        )

    def assess(
        self,
        planned: PlannedQuestion,
        latest: str,
        combined: str,
        *,
        check_relevance: bool = True,
        verdict: AnswerVerdict | None = None,
    ) -> Assessment:
        rules = self.rules
        cut_offs = {
            "min_words": self.content_settings.min_answer_words,
            "max_words": rules.max_words,
            "min_english_share": self.content_settings.min_english_share,
        }
        latest_signals = read_signals(latest, **cut_offs)
        combined_signals = read_signals(combined, **cut_offs)
        words = combined.split()
        truncated = len(words) > rules.analysis_word_cap
        analysed = " ".join(words[: rules.analysis_word_cap]) if truncated else combined
        prose = not (combined_signals.looks_like_code or combined_signals.not_english)
        gate = (
            self.encoder if check_relevance and prose and planned.question.type not in _NO_RELEVANCE else None
        )
        return Assessment(
            latest=latest_signals,
            combined=combined_signals,
            star_expected=tuple(p.value for p in planned.question.strong_answer.star),
            truncated=truncated,
            analyse=lambda: self._content(planned, analysed, gate),
            verdict=verdict,
        )


_NO_RELEVANCE = frozenset({QuestionType.WARM_UP, QuestionType.CLOSING})


def decide_follow_up(
    planned: PlannedQuestion,
    assessment: Assessment,
    asked: Sequence[FollowUpKind],
    *,
    fresh_answer: bool,
    rules: FollowUpRules | None = None,
) -> FollowUpKind | None:
    """The follow-up to ask next, or None to move on.

    ``asked``: the kinds already asked for this question (each is asked at most once).
    ``fresh_answer``: the latest text answers the question itself (first answer, or after a
    restarting follow-up) rather than a probing follow-up.
    """
    rules = rules or FollowUpRules()
    qtype = planned.question.type
    if qtype is QuestionType.CLOSING:
        return None
    latest, combined = assessment.latest, assessment.combined
    if not fresh_answer:
        if latest.empty:
            return None  # nothing to add: move on rather than press
    else:
        # The verdict decides whether there is an answer to probe; "too long" comes before the
        # off-topic gate (the answer is cut short either way).
        status = assessment.verdict.status
        blocking: list[tuple[bool, FollowUpKind]] = [
            (status is AnswerStatus.SKIPPED, FollowUpKind.NO_ANSWER),
            (status is AnswerStatus.NOT_ENGLISH, FollowUpKind.LANGUAGE),
            (status is AnswerStatus.CODE, FollowUpKind.CODE),
            (status is AnswerStatus.NOT_UNDERSTOOD, FollowUpKind.NOT_UNDERSTOOD),
            (status is AnswerStatus.TOO_SHORT, FollowUpKind.TOO_SHORT),
            (latest.too_long, FollowUpKind.TOO_LONG),
            (status is AnswerStatus.OFF_TOPIC and qtype not in _NO_RELEVANCE, FollowUpKind.OFF_TOPIC),
            (qtype is QuestionType.BEHAVIOURAL and combined.vague, FollowUpKind.SPECIFIC_EXAMPLE),
        ]
        for active, kind in blocking:
            if active:
                # Asked once already and still not there: press no further on this question.
                return None if kind in asked else kind
    if qtype is QuestionType.WARM_UP:
        return None
    gaps: list[tuple[bool, FollowUpKind]] = []
    if qtype is QuestionType.BEHAVIOURAL:
        missing = set(assessment.star_missing)
        gaps = [
            (combined.ownership == "we_only", FollowUpKind.OWNERSHIP),
            (StarName.ACTION.value in missing, FollowUpKind.ACTION),
            (StarName.RESULT.value in missing, FollowUpKind.RESULT),
            (StarName.LEARNING.value in missing, FollowUpKind.LEARNING),
            (
                StarName.SITUATION.value in missing
                and StarName.TASK.value not in assessment.star_found
                and not combined.anchors,
                FollowUpKind.CONTEXT,
            ),
        ]
    elif qtype is QuestionType.SITUATIONAL:
        gaps = [(not combined.has_steps and combined.word_count < 80, FollowUpKind.STEPS)]
    elif qtype is QuestionType.TECHNICAL:
        gaps = [(combined.word_count < rules.depth_min_words, FollowUpKind.DEPTH)]
    elif qtype is QuestionType.MOTIVATIONAL:
        generic = bool(combined.generic_phrases) and not combined.concrete
        gaps = [(generic or combined.word_count < 30, FollowUpKind.SPECIFIC_REASON)]
    for active, kind in gaps:
        if active and kind not in asked:
            return kind
    return None


def follow_up_text(kind: FollowUpKind, planned: PlannedQuestion) -> str:
    """The deterministic wording of a follow-up for this question."""
    if kind is FollowUpKind.DEPTH and planned.question.follow_ups:
        return planned.question.follow_ups[0]
    if kind is FollowUpKind.TOO_SHORT and planned.question.type is not QuestionType.BEHAVIOURAL:
        return "Could you expand on that a little, and tell me your reasoning?"
    return TEMPLATES[kind].format(topic=question_topic(planned.text))


_LEADS = re.compile(
    r"^(tell me about|tell me|describe|give me an example of|walk me through|talk me through|explain|"
    r"how do you|how would you)\s+",
    re.I,
)


def question_topic(text: str, max_words: int = 18) -> str:
    """A short reminder of what a question asks: its first sentence, without the lead-in."""
    first = re.split(r"(?<=[?.])\s+", text.strip())[0].rstrip("?.! ")
    stripped = _LEADS.sub("", first)
    if stripped != first:
        stripped = stripped[:1].lower() + stripped[1:]
        first = stripped
    words = first.split()
    if len(words) > max_words:
        first = " ".join(words[:max_words]) + "…"
    return first
