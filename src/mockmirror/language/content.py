"""Content of an answer: relevance, STAR(+Learning) structure and scored sub-measures.

Deterministic and explainable: every STAR part found cites the sentences (and, for a spoken
answer, the times) that show it, and every sub-score (``scoring.py``, formulas in
docs/content.md) cites the words behind it. Relevance is an embedding similarity used as an
off-topic gate: it measures topic, not quality.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mockmirror.language import checks
from mockmirror.language.embedding import SentenceEncoder
from mockmirror.language.question_types import QuestionClassification, classify, is_open_question, rubric_for
from mockmirror.language.scoring import score_answer
from mockmirror.language.types import (
    STAR_PARTS,
    ContentAnalysis,
    KeyPoint,
    RelevanceDetail,
    RelevanceGate,
    Sentence,
    StarPart,
    TimedSentence,
)
from mockmirror.language.validity import AnswerStatus, VerdictInputs, judge_answer
from mockmirror.speech.track import Word

count_words = checks.count_words

if TYPE_CHECKING:
    from mockmirror.language.tools import LanguageTools
    from mockmirror.settings import ContentSettings


# Regex cue patterns per STAR part, matched case-insensitively on one sentence: the fallback when
# spaCy is not installed (the parse-based cues are in star.py). They are cues, not proof: the
# report shows the sentence so the candidate can judge.
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
        rf"([a-z]+ed|{checks.IRREGULAR_PAST_ACTIONS})\b|\bi (decided|started|organi[sz]ed|proposed|"
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
_NO_SPACE_BEFORE = re.compile(r"^[,.!?;:]")


def sentences_from_words(words: list[Word]) -> list[Sentence]:
    """Group timed words into sentences at end punctuation (Whisper writes punctuation)."""
    return [unit.sentence for unit in _timed_sentences(words)]


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
    off_topic_threshold: float | None = None,
    key_points: list[str] | None = None,
    tools: LanguageTools | None = None,
    settings: ContentSettings | None = None,
    question_kind: str | None = None,
    skipped: bool = False,
) -> ContentAnalysis:
    """Analyse a spoken (timed ``words``) or typed (``text``) answer to ``question``.

    ``tools`` holds the loaded NLP back-ends (spaCy, link-grammar, spelling, VADER, textstat);
    pass the same one for every answer. Without it a fresh one is made (slow: loads spaCy). With
    ``settings`` (``Settings().content``) its thresholds and weights apply; ``off_topic_threshold``
    overrides only that one. ``question_kind``: the question's type when known (the bank's
    metadata: interview.bank.QuestionType), else it is read from the wording. ``skipped``: the
    candidate chose to skip.
    """
    from mockmirror.language.tools import LanguageTools
    from mockmirror.settings import ContentSettings

    if settings is None:
        settings = tools.settings if tools is not None else ContentSettings()
    if off_topic_threshold is not None and off_topic_threshold != settings.off_topic_threshold:
        settings = settings.model_copy(update={"off_topic_threshold": off_topic_threshold})
    if tools is None:
        tools = LanguageTools(settings)
    spoken = words is not None
    if words is not None:
        units = _timed_sentences([w for w in words if not w.is_filler])
    else:
        units = [TimedSentence(s) for s in sentences_from_text(text or "")]
    sentences = [u.sentence for u in units]
    answer_text = " ".join(s.text for s in sentences)
    kind = question_kind_of(question, question_kind, encoder, tools)
    notes: list[str] = []
    # Long answers: analyse the first max_words words (the length measure uses the full count).
    analysed = _first_words(units, settings.max_words)
    if len(analysed) < len(units):
        notes.append(
            f"Only the first {settings.max_words:,} words ({len(analysed)} of {len(units)} sentences) "
            "were analysed in detail."
        )
    analysed_sentences = [u.sentence for u in analysed]
    gate = _relevance_gate(question, analysed_sentences, key_points or [], encoder, settings)
    if not sentences:
        notes.append("No answer text to analyse.")
    elif not question.strip():
        notes.append("No question given: relevance not measured.")
    elif gate is not None and not gate.applies:
        notes.append("An open question (no topic to compare with): the off-topic gate is not applied.")
    docs = None
    nlp = tools.nlp if analysed else None
    if nlp is not None:
        docs = list(nlp.pipe([s.text for s in analysed_sentences], batch_size=64))
        star = find_star_parts_parsed(analysed_sentences, docs)
    else:
        star = find_star_parts(analysed_sentences)
        if analysed and "spacy" in tools.unavailable:
            notes.append("spaCy is not available: STAR cues by keyword patterns only.")
    spell = tools.spell if not spoken and analysed else None
    verdict = judge_answer(
        answer_text,
        VerdictInputs(
            question=question,
            words=words,
            topic_similarity=gate.topic_similarity if gate is not None else None,
            gate_applies=gate.applies if gate is not None else False,
            star_story_parts=sum(star[p].present for p in ("situation", "task", "action", "result")),
            docs=docs,
            known_word=(lambda w: w in spell) if spell is not None else None,
            skipped=skipped,
            kind_tip=rubric_for(kind.kind).try_first,
        ),
        settings,
    )
    result = ContentAnalysis(
        question=question,
        word_count=count_words(answer_text),
        sentence_count=len(sentences),
        relevance=gate.relevance if gate is not None else None,
        off_topic=verdict.status is AnswerStatus.OFF_TOPIC,
        most_relevant_sentence=gate.best_sentence if gate is not None else None,
        star=star,
        star_coverage=sum(p.present for p in star.values()) / len(STAR_PARTS),
        notes=notes,
        key_points=gate.key_points if gate is not None else [],
        topic_similarity=gate.topic_similarity if gate is not None else None,
        question_type=kind.kind.value,
        question_type_reason=kind.explain(),
        verdict=verdict,
    )
    scored = score_answer(
        result,
        analysed,
        docs,
        tools,
        settings,
        spoken=spoken,
        words=words,
        relevance_detail=gate.detail if gate is not None else None,
    )
    result.scores = scored.scores
    result.overall_score = scored.overall_score
    result.backends = scored.backends
    result.contributions = scored.contributions
    result.notes.extend(scored.notes)
    return result


def question_kind_of(
    question: str, bank_type: str | None, encoder: SentenceEncoder | None, tools: LanguageTools
) -> QuestionClassification:
    """The question's kind: the bank's metadata, else the wording rules, else (with an encoder)
    the vote over the bank's questions (language.question_types)."""
    found = classify(question, bank_type=bank_type)
    if found.method == "default" and encoder is not None and question.strip():
        found = tools.question_vote(encoder).classify(question)
    return found


def _relevance_gate(
    question: str,
    sentences: list[Sentence],
    key_points: list[str],
    encoder: SentenceEncoder | None,
    settings: ContentSettings,
) -> RelevanceGate | None:
    """Similarity of the answer to the question (and key points), for the off-topic gate."""
    if not sentences or not question.strip() or encoder is None:
        return None
    key_points = [k.strip() for k in key_points if k.strip()]
    joined = " ".join(s.text for s in sentences)
    vectors = encoder.encode([question, joined, *key_points, *[s.text for s in sentences]])
    q, a = vectors[0], vectors[1]
    kp_vectors, sentence_vectors = vectors[2 : 2 + len(key_points)], vectors[2 + len(key_points) :]
    relevance = float(a @ q)
    per_sentence = sentence_vectors @ q
    best = sentences[int(per_sentence.argmax())]
    # The gate passes an answer when the whole answer, or its most on-topic sentence, or a key
    # point is close enough to the question: concrete stories share few words with it.
    similarity = max(relevance, float(per_sentence.max()))
    points = []
    for point, vector in zip(key_points, kp_vectors, strict=True):
        sims = sentence_vectors @ vector
        top = int(sims.argmax())
        covered = bool(sims[top] >= settings.key_point_threshold)
        points.append(KeyPoint(point, round(float(sims[top]), 4), covered, sentences[top]))
        similarity = max(similarity, float(a @ vector))
    applies = bool(key_points) or not is_open_question(question)
    detail = RelevanceDetail(per_sentence, settings.off_topic_threshold, similarity)
    return RelevanceGate(relevance, round(similarity, 4), applies, best, points, detail)


def _first_words(units: list[TimedSentence], limit: int) -> list[TimedSentence]:
    kept, total = [], 0
    for unit in units:
        if total >= limit:
            break
        kept.append(unit)
        total += count_words(unit.sentence.text)
    return kept
