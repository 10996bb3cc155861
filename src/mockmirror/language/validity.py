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
    measures.update(english_share=round(english, 3), non_latin_share=round(non_latin, 3))
    code = checks.code_lines(text)
    if not code and (
        (n_words >= 4 and english < settings.min_english_share) or (n_words >= 3 and non_latin > 0.3)
    ):
        return AnswerVerdict(
            AnswerStatus.NOT_ENGLISH,
            f"The answer (“{heard}”) did not seem to be in English. This practice runs in English, and "
            "a simple answer in plain words is fine: try the question again in English.",
            heard,
            (
                f"{english:.0%} of the words are common English words (English prose: 30–50 %; "
                f"cut-off {settings.min_english_share:.0%}); {non_latin:.0%} of letters outside a–z",
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

    understood = _understood(text, tokens, inputs, settings, measures)
    if understood is not None:
        reason, list_of_words = understood
        if list_of_words:
            message = (
                f"We heard a list of words rather than sentences (“{heard}”). An interviewer needs to "
                f"hear how you used them: answer in full sentences and {tip}."
            )
        else:
            message = (
                f"We could not make sense of what was heard (“{heard}”). If you were speaking, check "
                "the microphone and speak a little closer to it; then try again in full sentences."
            )
        return AnswerVerdict(AnswerStatus.NOT_UNDERSTOOD, message, heard, (reason,), measures)

    new_words = _new_content_words(text, inputs.question)
    measures["new_content_words"] = float(len(new_words))
    if n_words < settings.min_answer_words:
        return AnswerVerdict(
            AnswerStatus.TOO_SHORT,
            f"Only “{heard}” was heard: {n_words} word{'s' if n_words != 1 else ''}, too few to judge. "
            f"Give the interviewer a few full sentences: {tip}.",
            heard,
            (f"{n_words} words (fewer than {settings.min_answer_words})",),
            measures,
        )
    if inputs.question and len(new_words) < settings.min_new_content_words:
        return AnswerVerdict(
            AnswerStatus.TOO_SHORT,
            f"The answer mostly said the question back (“{heard}”). Repeating it is fine as a start; "
            f"then add your own answer: {tip}.",
            heard,
            (
                f"{len(new_words)} content word(s) not already in the question "
                f"(fewer than {settings.min_new_content_words})",
            ),
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
    text: str, tokens: list[str], inputs: VerdictInputs, settings: ContentSettings, measures: dict[str, float]
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
    return None


def _new_content_words(text: str, question: str) -> set[str]:
    """The answer's content words that are not in the question (a crude stem: no plural s)."""

    def stems(value: str) -> set[str]:
        found = _CONTENT_WORD.findall(value.lower().replace("’", "'"))
        return {w.rstrip("s") for w in found if w not in _STOP}

    return stems(text) - stems(question)
