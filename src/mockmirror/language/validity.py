"""Is there an answer at all? One verdict per answer, computed here and used by every consumer.

The follow-up choice, the quick feedback after each answer, the per-answer report, the session
report and the dashboard all read ``AnswerVerdict``: content praise, a content score and a place
in averages and trends belong to an *answered* answer only. Anything else gets one kind message
that says what was heard and what to try. The checks are cheap and ordered; the first that fires
decides, and ``reasons`` keeps the measured values for the "how this was measured" details.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from mockmirror.language import checks
from mockmirror.language.question_types import is_self_pitch

if TYPE_CHECKING:
    from mockmirror.settings import ContentSettings
    from mockmirror.speech.track import Word


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    SKIPPED = "skipped"  # skipped, or nothing was said or typed
    NOT_ENGLISH = "not_english"
    CODE = "code"  # program code instead of an explanation
    NOT_UNDERSTOOD = "not_understood"  # garbled speech, non-words, a list of words with no sentence
    TOO_SHORT = "too_short"  # a few words, or the question said back
    OFF_TOPIC = "off_topic"


HEADLINES: dict[AnswerStatus, str] = {
    AnswerStatus.ANSWERED: "Answered",
    AnswerStatus.SKIPPED: "Skipped",
    AnswerStatus.NOT_ENGLISH: "Not in English",
    AnswerStatus.CODE: "Code, not an explanation",
    AnswerStatus.NOT_UNDERSTOOD: "Could not be understood",
    AnswerStatus.TOO_SHORT: "Too short to judge",
    AnswerStatus.OFF_TOPIC: "Not about the question",
}

# Function words left out when comparing an answer's words with the question's.
_STOP = checks.ENGLISH_FUNCTION_WORDS | frozenset(
    {
        "am",
        "been",
        "being",
        "me",
        "my",
        "mine",
        "myself",
        "tell",
        "describe",
        "give",
        "example",
        "time",
        "times",
        "yes",
        "okay",
        "ok",
        "well",
        "um",
        "uh",
    }
)
_CONTENT_WORD = re.compile(r"[a-z][a-z'’-]{2,}")
# An answer this similar in meaning to the question, with few words of its own, said it back.
ECHO_SIMILARITY = 0.5
# Questions about the candidate: their answer must talk about the speaker.
_ABOUT_YOU = re.compile(
    r"\b(yourself|your (own )?(background|career|cv|resume|résumé|strengths?|weakness(es)?))\b", re.I
)


@dataclass(frozen=True, slots=True)
class AnswerVerdict:
    status: AnswerStatus
    message: str  # for the candidate: what was heard, why it matters, one thing to try
    heard: str = ""  # the start of what was heard, quoted in the message
    reasons: tuple[str, ...] = ()  # how it was decided, with the measured values
    measures: dict[str, float] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        """Content feedback, a content score and a place in averages belong to these only."""
        return self.status is AnswerStatus.ANSWERED

    @property
    def headline(self) -> str:
        return HEADLINES[self.status]


@dataclass(frozen=True, slots=True)
class VerdictInputs:
    """What the verdict looks at besides the text (all optional: typed answers have no words)."""

    question: str = ""
    words: Sequence[Word] | None = None  # timed ASR words with their probabilities, fillers included
    topic_similarity: float | None = None  # the off-topic gate's measure (None: not measured)
    gate_applies: bool = True  # False for a question with no topic of its own and no key points
    star_story_parts: int = 0  # of situation, task, action, result found: a full story is on topic
    docs: Sequence[Any] | None = None  # spaCy docs of the sentences, when parsed
    known_word: Any | None = None  # callable(word) -> bool, an English word list (typed answers)
    skipped: bool = False
    kind_tip: str = ""  # what a full answer to this kind of question contains, for the message


def quote(text: str, max_words: int = 12) -> str:
    tokens = (text or "").split()
    short = " ".join(tokens[:max_words])
    return short + ("…" if len(tokens) > max_words else "")


def judge_answer(text: str, inputs: VerdictInputs, settings: ContentSettings) -> AnswerVerdict:
    """The verdict on one answer (typed text, or a transcript with ``inputs.words``)."""
    text = (text or "").strip()
    heard = quote(text)
    tokens = checks.words(text)
    n_words = len(tokens)
    measures: dict[str, float] = {"words": float(n_words)}
    tip = inputs.kind_tip or "say what happened, what you did and how it turned out"

    if inputs.skipped and n_words == 0:
        return AnswerVerdict(
            AnswerStatus.SKIPPED,
            "You skipped this question, so there is no feedback on it and it does not count in your "
            "averages.",
            reasons=("skipped by the candidate",),
            measures=measures,
        )
    if n_words == 0:
        return AnswerVerdict(
            AnswerStatus.SKIPPED,
            "No answer was heard. Check that your microphone is on and not muted, then try the "
            "question again.",
            reasons=("no words in the transcript or text",),
            measures=measures,
        )

    english = checks.english_share(tokens)
    non_latin = checks.non_latin_share(text)
    language, other_share = checks.other_language(tokens)
    measures.update(
        english_share=round(english, 3),
        non_latin_share=round(non_latin, 3),
        other_language_share=round(other_share, 3),
    )
    code = checks.code_lines(text)
    few_english = n_words >= 4 and english < settings.min_english_share
    # Not English needs a sign of another language: its letters, its common words, or accents. Few
    # English words and none of these is a list of words or gibberish (judged below).
    if not code and (
        (n_words >= 3 and non_latin > 0.3)
        or (few_english and (other_share >= settings.min_other_language_share or non_latin >= 0.02))
    ):
        looks = f"; {other_share:.0%} are common {language} words" if other_share else ""
        return AnswerVerdict(
            AnswerStatus.NOT_ENGLISH,
            f"The answer (“{heard}”) did not seem to be in English. This practice runs in English, and "
            "a simple answer in plain words is fine: try the question again in English.",
            heard,
            (
                f"{english:.0%} of the words are common English words (English prose: 30–50 %; "
                f"cut-off {settings.min_english_share:.0%}){looks}; {non_latin:.0%} of letters outside a–z",
            ),
            measures,
        )
    if code:
        return AnswerVerdict(
            AnswerStatus.CODE,
            "The answer was program code. In an interview you would talk it through: say what problem "
            "the code solves, how it works and why you wrote it that way.",
            quote(code[0]),
            (f"{len(code)} line(s) read as code, e.g. “{quote(code[0])}”",),
            measures,
        )

    understood = _understood(text, tokens, inputs, settings, measures, few_english)
    if understood is not None:
        reason, list_of_words = understood
        if list_of_words:
            message = (
                f"We heard a list of words rather than sentences (“{heard}”). An interviewer needs to "
                f"hear how you used them: answer in full sentences and {tip}."
            )
        elif inputs.words is not None:
            message = (
                f"We could not make sense of what was heard (“{heard}”). Check the microphone and "
                "speak a little closer to it; then try again in full sentences."
            )
        else:
            message = (
                f"We could not make sense of what was written (“{heard}”): most of it is not English "
                "words. Try again in full sentences."
            )
        return AnswerVerdict(AnswerStatus.NOT_UNDERSTOOD, message, heard, (reason,), measures)

    if n_words < settings.min_answer_words:
        return AnswerVerdict(
            AnswerStatus.TOO_SHORT,
            f"Only “{heard}” was heard: {n_words} word{'s' if n_words != 1 else ''}, too few to judge. "
            f"Give the interviewer a few full sentences: {tip}.",
            heard,
            (f"{n_words} words (fewer than {settings.min_answer_words})",),
            measures,
        )
    answer_stems, question_stems = _content_stems(text), _content_stems(inputs.question)
    new_words, shared = answer_stems - question_stems, answer_stems & question_stems
    measures.update(new_content_words=float(len(new_words)), shared_content_words=float(len(shared)))
    few_new = bool(inputs.question) and len(new_words) < settings.min_new_content_words
    # Word order English never uses outweighs words shared with the question: garbled, not echoed.
    salad = _word_salad(text, tokens, inputs, settings, measures, parse=False)
    similar = inputs.topic_similarity is not None and inputs.topic_similarity >= ECHO_SIMILARITY
    # The question said back: few words of its own, and the rest is the question's words or meaning.
    if salad is None and few_new and (shared or similar):
        return AnswerVerdict(
            AnswerStatus.TOO_SHORT,
            f"The answer mostly said the question back (“{heard}”). Repeating it is fine as a start; "
            f"then add your own answer: {tip}.",
            heard,
            (
                f"{len(new_words)} content word(s) not already in the question "
                f"(fewer than {settings.min_new_content_words}); {len(shared)} taken from it",
            ),
            measures,
        )

    salad = salad or _word_salad(text, tokens, inputs, settings, measures)
    if salad is not None:
        return AnswerVerdict(
            AnswerStatus.NOT_UNDERSTOOD,
            (
                f"We heard words, but not in an order that makes sentences (“{heard}”). Check the "
                "microphone and speak a little slower and closer to it; then answer in full sentences: "
                f"{tip}."
                if inputs.words is not None
                else f"The words (“{heard}”) are not in an order that makes sentences. Answer in full "
                f"sentences: {tip}."
            ),
            heard,
            (salad,),
            measures,
        )
    if few_new:
        return AnswerVerdict(
            AnswerStatus.TOO_SHORT,
            f"The answer (“{heard}”) had almost no words of its own to judge. Give the interviewer a few "
            f"full sentences: {tip}.",
            heard,
            (
                f"{len(new_words)} content word(s) not already in the question "
                f"(fewer than {settings.min_new_content_words})",
            ),
            measures,
        )
    # A question about the candidate ("Tell me about yourself") has no topic of its own to compare
    # with, but its answer must be about the speaker: one that never says I, me or my is not.
    about_you = _ABOUT_YOU.search(inputs.question) or is_self_pitch(inputs.question)
    if about_you and not checks.mentions_self(text):
        return AnswerVerdict(
            AnswerStatus.OFF_TOPIC,
            f"The question asks about you, but the answer (“{heard}”) never talks about you. Start with "
            "who you are and what you do now, then one thing you did that shows it.",
            heard,
            ("a question about the candidate; the answer never says I, me or my",),
            measures,
        )

    if inputs.topic_similarity is not None:
        measures["topic_similarity"] = round(inputs.topic_similarity, 4)
        off = inputs.gate_applies and inputs.topic_similarity < settings.off_topic_threshold
        # A story with most of its STAR parts is on topic even if it shares few words with a
        # generic question ("something you improved"): similarity measures topic, not quality.
        if off and inputs.star_story_parts < 3:
            return AnswerVerdict(
                AnswerStatus.OFF_TOPIC,
                f"The answer (“{heard}”) does not seem to be about the question. Start with one "
                f"sentence that answers it directly, then {tip}.",
                heard,
                (
                    f"topic similarity {inputs.topic_similarity:.2f} to the question (cut-off "
                    f"{settings.off_topic_threshold:.2f}); {inputs.star_story_parts} of the four "
                    "story parts found",
                ),
                measures,
            )
    return AnswerVerdict(AnswerStatus.ANSWERED, "", heard, ("passed every check",), measures)


def _understood(
    text: str,
    tokens: list[str],
    inputs: VerdictInputs,
    settings: ContentSettings,
    measures: dict[str, float],
    few_english: bool = False,
) -> tuple[str, bool] | None:
    """None when the answer reads as language; else (why not, whether it is a list of words)."""
    spoken = [w for w in inputs.words or [] if not w.is_filler and w.text.strip()]
    if len(spoken) >= 3:
        probs = [w.probability for w in spoken]
        mean_p = sum(probs) / len(probs)
        unsure = sum(p < 0.3 for p in probs) / len(probs)
        measures.update(mean_word_probability=round(mean_p, 3), unsure_word_share=round(unsure, 3))
        if mean_p < settings.min_word_probability or unsure >= 0.5:
            return (
                f"speech recognition was unsure: mean word probability {mean_p:.2f} "
                f"(cut-off {settings.min_word_probability:.2f}), {unsure:.0%} of words below 0.3",
                False,
            )
    alpha = [t for t in tokens if t.isalpha() and len(t) >= 3 and not t[0].isupper()]
    if inputs.known_word is not None and len(alpha) >= 4:
        unknown = [t for t in alpha if not inputs.known_word(t.lower())]
        share = len(unknown) / len(alpha)
        measures["non_word_share"] = round(share, 3)
        if share >= settings.max_non_word_share:
            return (
                f"{share:.0%} of the words are not English words (cut-off "
                f"{settings.max_non_word_share:.0%}), e.g. “{', '.join(unknown[:3])}”",
                False,
            )
    if inputs.docs is not None and len(tokens) >= 6:
        long_sentences = [d for d in inputs.docs if sum(not t.is_punct for t in d) >= 3]
        with_verb = [d for d in long_sentences if any(t.pos_ in {"VERB", "AUX"} for t in d)]
        verbs = sum(t.pos_ in {"VERB", "AUX"} for d in inputs.docs for t in d)
        measures["verbs_per_word"] = round(verbs / len(tokens), 3)
        if long_sentences and (not with_verb or verbs / len(tokens) < 0.04):
            return (f"no sentence with a verb ({verbs} verb(s) in {len(tokens)} words)", True)
    if few_english:  # no small English words and no other language: a list of words
        return (
            f"{measures['english_share']:.0%} of the words are common English words (English prose: "
            f"30–50 %; cut-off {settings.min_english_share:.0%}) and no other language was recognised",
            True,
        )
    return None


def _word_salad(
    text: str,
    tokens: list[str],
    inputs: VerdictInputs,
    settings: ContentSettings,
    measures: dict[str, float],
    parse: bool = True,
) -> str | None:
    """Why real words do not read as sentences (what ASR makes of mumbling), or None.

    First the word order ("the of", "… and."); then, with ``parse``, the share of longer
    sentences that have a verb with its subject or read as a command.
    """
    breaks = checks.word_order_breaks(text)
    share = len(breaks) / max(len(tokens), 1)
    measures["word_order_breaks"] = float(len(breaks))
    if len(breaks) >= 2 and share >= settings.max_word_order_break_share:
        return (
            f"{len(breaks)} places where the word order is not English (“{'”, “'.join(breaks[:3])}”; "
            f"{share:.0%} of the words, cut-off {settings.max_word_order_break_share:.0%})"
        )
    if inputs.docs is None or not parse:
        return None
    long, full = checks.sentence_share(list(inputs.docs))
    measures.update(longer_sentences=float(long), full_sentences=float(full))
    if long and full / long < settings.min_sentence_share and (long >= 2 or breaks):
        return (
            f"{full} of {long} longer sentences have a verb with its subject or read as a command "
            f"(cut-off {settings.min_sentence_share:.0%})"
            + (f"; word order not English at “{breaks[0]}”" if breaks else "")
        )
    return None


def _content_stems(text: str) -> set[str]:
    """Content words (a crude stem: no plural s), for comparing an answer's words with the question's."""
    found = _CONTENT_WORD.findall((text or "").lower().replace("’", "'"))
    return {w.rstrip("s") for w in found if w not in _STOP}
