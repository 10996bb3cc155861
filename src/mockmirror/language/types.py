"""The content analysis of one answer as data: sentences, STAR parts, sub-scores with evidence.

Plain dataclasses shared by ``content`` (the analysis), ``scoring`` (the sub-scores) and the
consumers (fusion, report, interview); no logic beyond small accessors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mockmirror.language.validity import AnswerVerdict

STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: float | None = None  # seconds, when the answer was spoken
    end: float | None = None


@dataclass(slots=True)
class StarPart:
    name: str
    present: bool
    evidence: list[Sentence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why each evidence sentence counts (same order)


@dataclass(frozen=True, slots=True)
class Cue:
    """One piece of evidence behind a sub-score: a sentence or words, why, and when (if spoken)."""

    text: str
    note: str = ""
    start: float | None = None
    end: float | None = None


@dataclass(slots=True)
class SubScore:
    name: str
    score: float | None  # 0–100; None = not applicable or not measurable here (see summary)
    weight: float  # substance score: its weight in the overall weighted mean (0 when score is None)
    summary: str  # what was measured, with the numbers
    measures: dict[str, float] = field(default_factory=dict)
    evidence: list[Cue] = field(default_factory=list)
    # Style score: the most points it can take off the overall score, and what it took here.
    max_deduction: float = 0.0
    deduction: float = 0.0


@dataclass(slots=True)
class KeyPoint:
    text: str
    similarity: float  # best sentence ↔ key point cosine similarity
    covered: bool
    best_sentence: Sentence | None = None


@dataclass(slots=True)
class ContentAnalysis:
    question: str
    word_count: int
    sentence_count: int
    relevance: float | None  # cosine similarity answer↔question, None without a question
    off_topic: bool  # topic_similarity below content.off_topic_threshold
    most_relevant_sentence: Sentence | None
    star: dict[str, StarPart]
    star_coverage: float  # share of the five STAR+L parts with a cue
    notes: list[str] = field(default_factory=list)
    # The off-topic gate's measure: the highest of the answer's, its best sentence's and the key
    # points' similarity to the question (None without a question).
    topic_similarity: float | None = None
    question_type: str = "self_description"  # the question's kind (language.question_types.QuestionKind)
    question_type_reason: str = ""  # how the kind was decided (bank type, wording rule, vote)
    verdict: AnswerVerdict | None = None  # is there an answer at all (language.validity)
    key_points: list[KeyPoint] = field(default_factory=list)
    scores: dict[str, SubScore] = field(default_factory=dict)
    overall_score: float | None = None  # 0–100 weighted aggregate of ``scores`` (docs/content.md)
    backends: dict[str, str] = field(default_factory=dict)  # what produced each kind of cue
    # Points each input of the overall score gave (content_score.combine); they add up to it.
    contributions: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class TimedSentence:
    """A sentence with, for a spoken answer, each word's character span and time."""

    sentence: Sentence
    spans: list[tuple[int, int, float, float]] = field(default_factory=list)

    def times(self, start_char: int, end_char: int) -> tuple[float | None, float | None]:
        hits = [(s, e) for a, b, s, e in self.spans if a < end_char and b > start_char]
        if not hits:
            return self.sentence.start, self.sentence.end
        return min(s for s, _ in hits), max(e for _, e in hits)


class RelevanceDetail(NamedTuple):
    """What the relevance sub-score needs from the gate."""

    per_sentence: Any  # numpy array: each sentence's similarity to the question
    threshold: float  # content.off_topic_threshold
    topic_similarity: float


@dataclass(frozen=True, slots=True)
class RelevanceGate:
    relevance: float  # the whole answer's similarity to the question
    topic_similarity: float  # the gate's measure (answer, best sentence, key points)
    applies: bool  # False for an open question with no key points: no topic to compare with
    best_sentence: Sentence
    key_points: list[KeyPoint]
    detail: RelevanceDetail


@dataclass(frozen=True, slots=True)
class ContentScores:
    """What ``scoring.score_answer`` returns."""

    scores: dict[str, SubScore]
    overall_score: float | None
    backends: dict[str, str]
    notes: list[str] = field(default_factory=list)
    contributions: dict[str, float] = field(default_factory=dict)
