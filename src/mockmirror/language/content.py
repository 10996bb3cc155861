"""Content of an answer: length, relevance to the question, STAR(+Learning) cues.

Deterministic and explainable: every STAR part found cites the sentences (and, for a spoken
answer, the times) that show it. Relevance is an embedding similarity used only as an off-topic
gate: it measures topic, not quality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mockmirror.language.embedding import SentenceEncoder
from mockmirror.speech.track import Word

STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "learning")

# Cue patterns per STAR part, matched case-insensitively on one sentence. They are cues, not
# proof: the report shows the sentence so the candidate can judge.
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


@dataclass(slots=True)
class ContentAnalysis:
    question: str
    word_count: int
    sentence_count: int
    relevance: float | None  # cosine similarity answer↔question, None without a question
    off_topic: bool
    most_relevant_sentence: Sentence | None
    star: dict[str, StarPart]
    star_coverage: float  # share of the five STAR+L parts with a cue
    notes: list[str] = field(default_factory=list)


def sentences_from_words(words: list[Word]) -> list[Sentence]:
    """Group timed words into sentences at end punctuation (Whisper writes punctuation)."""
    sentences: list[Sentence] = []
    current: list[Word] = []
    for word in words:
        current.append(word)
        if _SENTENCE_END.search(word.text.strip()):
            sentences.append(_join(current))
            current = []
    if current:
        sentences.append(_join(current))
    return [s for s in sentences if s.text]


def _join(words: list[Word]) -> Sentence:
    text = " ".join(w.text.strip() for w in words).strip()
    return Sentence(text=re.sub(r"\s+([,.!?;:])", r"\1", text), start=words[0].start, end=words[-1].end)


def sentences_from_text(text: str) -> list[Sentence]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [Sentence(text=p.strip()) for p in parts if p.strip()]


def count_words(text: str) -> int:
    return sum(1 for token in re.findall(r"[A-Za-z0-9'’-]+", text) if not _FILLER_ONLY.match(token))


def find_star_parts(sentences: list[Sentence]) -> dict[str, StarPart]:
    parts = {name: StarPart(name=name, present=False) for name in STAR_PARTS}
    for sentence in sentences:
        for name, pattern in STAR_CUES.items():
            if pattern.search(sentence.text):
                parts[name].present = True
                parts[name].evidence.append(sentence)
    return parts


def analyze_content(
    question: str,
    encoder: SentenceEncoder | None,
    *,
    words: list[Word] | None = None,
    text: str | None = None,
    off_topic_threshold: float = 0.15,
) -> ContentAnalysis:
    """Analyse a spoken (timed ``words``) or typed (``text``) answer to ``question``."""
    if words is not None:
        sentences = sentences_from_words([w for w in words if not w.is_filler])
    else:
        sentences = sentences_from_text(text or "")
    answer_text = " ".join(s.text for s in sentences)
    word_count = count_words(answer_text)
    notes: list[str] = []
    relevance: float | None = None
    best: Sentence | None = None
    off_topic = False
    if not sentences:
        notes.append("No answer text to analyse.")
    elif question.strip() and encoder is not None:
        vectors = encoder.encode([question, answer_text, *[s.text for s in sentences]])
        relevance = float(vectors[1] @ vectors[0])
        per_sentence = vectors[2:] @ vectors[0]
        best = sentences[int(per_sentence.argmax())]
        off_topic = relevance < off_topic_threshold
        if off_topic:
            notes.append(
                f"The answer seems off-topic (similarity {relevance:.2f} to the question, "
                f"below {off_topic_threshold:.2f})."
            )
    elif not question.strip():
        notes.append("No question given: relevance not measured.")
    star = find_star_parts(sentences)
    coverage = sum(p.present for p in star.values()) / len(STAR_PARTS)
    return ContentAnalysis(
        question=question,
        word_count=word_count,
        sentence_count=len(sentences),
        relevance=relevance,
        off_topic=off_topic,
        most_relevant_sentence=best,
        star=star,
        star_coverage=coverage,
        notes=notes,
    )
