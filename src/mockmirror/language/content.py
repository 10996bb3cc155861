"""Content of an answer: relevance, STAR(+Learning) structure and scored sub-measures.

Deterministic and explainable: every STAR part found cites the sentences (and, for a spoken
answer, the times) that show it, and every sub-score (``scoring.py``, formulas in
docs/content.md) cites the words behind it. Relevance is an embedding similarity used as an
off-topic gate: it measures topic, not quality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockmirror.language.embedding import SentenceEncoder
from mockmirror.speech.track import Word

if TYPE_CHECKING:
    from mockmirror.language.tools import LanguageTools
    from mockmirror.settings import ContentSettings

STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning")

# Regex cue patterns per STAR part, matched case-insensitively on one sentence: the fallback when
# spaCy is not installed (the parse-based cues are in star.py). They are cues, not proof: the
# report shows the sentence so the candidate can judge.
_IRREGULAR_PAST = (
    "built|led|made|wrote|ran|set|took|got|gave|told|spoke|met|found|brought|chose|drove|"
    "sent|spent|taught|thought|sought|began|went|did|put|kept|held|won|knew|saw|paid|rebuilt|"
    "split|cut|sat|stood|fought|caught|bought|dealt|felt|left|lost|meant|read|rewrote|undertook"
)
STAR_CUES: dict[str, re.Pattern[str]] = {
    "situation": re.compile(
        r"\b(when i was|at my (previous|last|current|old) (job|company|role|employer|school)|"
        r"(last|this|that|one) (year|month|week|summer|semester|quarter|time)|in (19|20)\d\d|"
        r"(our|my|the) (team|company|client|project|manager|customer)s? (was|were|had)|"
        r"there was a|we were (working|facing|building)|i was working|while i was|"
        r"situation|back in|at the time)\b",
        re.I,
    ),
    "task": re.compile(
        r"\b(my (goal|task|job|role|responsibility|objective) was|i was (responsible|asked|tasked|"
        r"in charge)|i (needed|had|wanted) to|we (needed|had) to|the (goal|challenge|problem|task|"
        r"objective) was|(aim|deadline) was)\b",
        re.I,
    ),
    "action": re.compile(
        rf"\bi (then |first |also |quickly |personally |eventually |finally )?"
        rf"([a-z]+ed|{_IRREGULAR_PAST})\b|\bi (decided|started|organi[sz]ed|proposed|"
        r"suggested|scheduled|analy[sz]ed|reached out|sat down|set up|talked|asked)\b",
        re.I,
    ),
    "result": re.compile(
        r"\b(as a result|result(ed)? (was|in)|outcome|which (led|meant)|so that|in the end|"
        r"ended up|(increas|reduc|improv|decreas|cut|sav|grew|rais|boost|lower)(ed|ing)?\b.*"
        r"(\d|percent|%)|\d+ ?(%|percent|per cent|hours|days|weeks|customers|users|dollars|"
        r"pounds|euros)|we (delivered|launched|shipped|won|hit|met|achieved)|on time|"
        r"successfully|the (client|customer|team|manager) (was|were) (happy|pleased|satisfied))",
        re.I,
    ),
    "learning": re.compile(
        r"\b(i (learned|learnt|realized|realised|now)|taught me|lesson|next time|in hindsight|"
        r"looking back|since then|from then on|if i (did|had) it again|i would (now )?"
        r"(do|have)|going forward|i('ve| have) (since|learned))\b",
        re.I,
    ),
}

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*$")
_FILLER_ONLY = re.compile(r"^\W*(um+|uh+|er+|ah+|hmm+|erm)\W*$", re.I)
_NO_SPACE_BEFORE = re.compile(r"^[,.!?;:]")


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
    question_type: str = "general"  # behavioural, technical or general (sets length band, STAR use)
    key_points: list[KeyPoint] = field(default_factory=list)
    scores: dict[str, SubScore] = field(default_factory=dict)
    overall_score: float | None = None  # 0–100 weighted aggregate of ``scores`` (docs/content.md)
    backends: dict[str, str] = field(default_factory=dict)  # what produced each kind of cue
    # Points each input of the overall score gave (content_score.combine); they add up to it.
    contributions: dict[str, float] = field(default_factory=dict)


def sentences_from_words(words: list[Word]) -> list[Sentence]:
    """Group timed words into sentences at end punctuation (Whisper writes punctuation)."""
    return [unit.sentence for unit in _timed_sentences(words)]


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


def _timed_sentences(words: list[Word]) -> list[TimedSentence]:
    units: list[TimedSentence] = []
    current: list[Word] = []
    for word in words:
        if not word.text.strip():
            continue
        current.append(word)
        if _SENTENCE_END.search(word.text.strip()):
            units.append(_join(current))
            current = []
    if current:
        units.append(_join(current))
    return [u for u in units if u.sentence.text]


def _join(words: list[Word]) -> TimedSentence:
    text, spans = "", []
    for word in words:
        piece = word.text.strip()
        if text and not _NO_SPACE_BEFORE.match(piece):
            text += " "
        spans.append((len(text), len(text) + len(piece), word.start, word.end))
        text += piece
    return TimedSentence(Sentence(text=text, start=words[0].start, end=words[-1].end), spans)


def sentences_from_text(text: str) -> list[Sentence]:
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n+", text.strip())
    return [Sentence(text=" ".join(p.split())) for p in parts if p.strip()]


def count_words(text: str) -> int:
    return sum(1 for token in re.findall(r"[A-Za-z0-9'’-]+", text) if not _FILLER_ONLY.match(token))


def find_star_parts(sentences: list[Sentence]) -> dict[str, StarPart]:
    """STAR+L parts by the regex cues (the fallback detector)."""
    parts = {name: StarPart(name=name, present=False) for name in STAR_PARTS}
    for sentence in sentences:
        for name, pattern in STAR_CUES.items():
            match = pattern.search(sentence.text)
            if match:
                parts[name].present = True
                parts[name].evidence.append(sentence)
                parts[name].reasons.append(f"'{match.group(0)}'")
    return parts


def find_star_parts_parsed(sentences: list[Sentence], docs: list[Any]) -> dict[str, StarPart]:
    """STAR+L parts from the spaCy parse of each sentence (star.py)."""
    from mockmirror.language.star import star_cues

    parts = {name: StarPart(name=name, present=False) for name in STAR_PARTS}
    count = len(sentences)
    for index, (sentence, doc) in enumerate(zip(sentences, docs, strict=True)):
        position = index / max(count - 1, 1)
        for name, reason in star_cues(doc[:], position).items():
            parts[name].present = True
            parts[name].evidence.append(sentence)
            parts[name].reasons.append(reason)
    return parts


def analyze_content(
    question: str,
    encoder: SentenceEncoder | None,
    *,
    words: list[Word] | None = None,
    text: str | None = None,
    off_topic_threshold: float = 0.15,
    key_points: list[str] | None = None,
    tools: LanguageTools | None = None,
    settings: ContentSettings | None = None,
) -> ContentAnalysis:
    """Analyse a spoken (timed ``words``) or typed (``text``) answer to ``question``.

    ``tools`` holds the loaded NLP back-ends (spaCy, link-grammar, spelling, VADER, textstat);
    pass the same one for every answer. Without it a fresh one is made (slow: loads spaCy). With
    ``settings`` (``Settings().content``) its thresholds and weights apply; ``off_topic_threshold``
    is kept for callers that pass only that.
    """
    from mockmirror.language.scoring import is_open_question, score_answer
    from mockmirror.language.tools import LanguageTools
    from mockmirror.settings import ContentSettings

    if settings is None:
        settings = tools.settings if tools is not None else ContentSettings()
        settings = settings.model_copy(update={"off_topic_threshold": off_topic_threshold})
    if tools is None:
        tools = LanguageTools(settings)
    spoken = words is not None
    if spoken:
        units = _timed_sentences([w for w in words if not w.is_filler])
    else:
        units = [TimedSentence(s) for s in sentences_from_text(text or "")]
    sentences = [u.sentence for u in units]
    answer_text = " ".join(s.text for s in sentences)
    word_count = count_words(answer_text)
    notes: list[str] = []
    relevance: float | None = None
    best: Sentence | None = None
    off_topic = False
    topic_similarity: float | None = None
    points: list[KeyPoint] = []
    # Long answers: analyse the first max_words words (the length measure uses the full count).
    analysed = _first_words(units, settings.max_words)
    if len(analysed) < len(units):
        notes.append(
            f"Only the first {settings.max_words:,} words ({len(analysed)} of {len(units)} sentences) "
            "were analysed in detail."
        )
    analysed_sentences = [u.sentence for u in analysed]
    if not sentences:
        notes.append("No answer text to analyse.")
    elif question.strip() and encoder is not None:
        key_points = [k.strip() for k in key_points or [] if k.strip()]
        joined = " ".join(s.text for s in analysed_sentences)
        vectors = encoder.encode([question, joined, *key_points, *[s.text for s in analysed_sentences]])
        q, a = vectors[0], vectors[1]
        kp_vectors, sentence_vectors = vectors[2 : 2 + len(key_points)], vectors[2 + len(key_points) :]
        relevance = float(a @ q)
        per_sentence = sentence_vectors @ q
        best = analysed_sentences[int(per_sentence.argmax())]
        # The gate passes an answer when the whole answer, or its most on-topic sentence, or a key
        # point is close enough to the question: concrete stories share few words with it.
        gate = max(relevance, float(per_sentence.max()))
        for point, vector in zip(key_points, kp_vectors, strict=True):
            sims = sentence_vectors @ vector
            top = int(sims.argmax())
            points.append(
                KeyPoint(
                    point,
                    round(float(sims[top]), 4),
                    bool(sims[top] >= settings.key_point_threshold),
                    analysed_sentences[top],
                )
            )
            gate = max(gate, float(a @ vector))
        topic_similarity = round(gate, 4)
        if is_open_question(question) and not key_points:
            notes.append("An open question (no topic to compare with): the off-topic gate is not applied.")
        else:
            off_topic = gate < settings.off_topic_threshold
        if off_topic:
            notes.append(
                f"The answer seems off-topic (similarity {relevance:.2f} to the question and at most "
                f"{gate:.2f} for any sentence, below {settings.off_topic_threshold:.2f})."
            )
        relevance_detail = (per_sentence, settings.off_topic_threshold, gate)
    elif not question.strip():
        notes.append("No question given: relevance not measured.")
    if not sentences or encoder is None or not question.strip():
        relevance_detail = None
    docs = None
    nlp = tools.nlp if analysed else None
    if nlp is not None:
        docs = list(nlp.pipe([s.text for s in analysed_sentences], batch_size=64))
        star = find_star_parts_parsed(analysed_sentences, docs)
    else:
        star = find_star_parts(analysed_sentences)
        if analysed and "spacy" in tools.unavailable:
            notes.append("spaCy is not available: STAR cues by keyword patterns only.")
    coverage = sum(p.present for p in star.values()) / len(STAR_PARTS)
    result = ContentAnalysis(
        question=question,
        word_count=word_count,
        sentence_count=len(sentences),
        relevance=relevance,
        off_topic=off_topic,
        most_relevant_sentence=best,
        star=star,
        star_coverage=coverage,
        notes=notes,
        key_points=points,
        topic_similarity=topic_similarity,
    )
    score_answer(
        result,
        analysed,
        docs,
        tools,
        settings,
        spoken=spoken,
        words=words,
        relevance_detail=relevance_detail,
    )
    return result


def _first_words(units: list[TimedSentence], limit: int) -> list[TimedSentence]:
    kept, total = [], 0
    for unit in units:
        if total >= limit:
            break
        kept.append(unit)
        total += count_words(unit.sentence.text)
    return kept
