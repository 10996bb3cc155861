"""STAR(+Learning) cues, relevance gate and sentence timing on typed and spoken answers."""

from __future__ import annotations

import pytest

from mockmirror.language.content import analyze_content, count_words, sentences_from_words
from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
from mockmirror.language.tools import LanguageTools
from mockmirror.language.validity import AnswerStatus
from mockmirror.models import ModelStore
from mockmirror.speech.track import Word

QUESTION = "Tell me about a time you handled a conflict in your team."
STRONG = (
    "Last year at my previous job, two engineers on our team disagreed about the database design. "
    "My task was to get the project back on track before the release deadline. "
    "I set up a meeting with both of them and asked each to write down their concerns. "
    "We agreed on a compromise, and as a result we shipped two weeks early and cut query time by 40 percent. "
    "I learned that listening first saves time."
)
VAGUE = "I am a people person. I think communication is really important and teamwork matters a lot."
OFF_TOPIC = "My favourite food is pasta with tomato sauce. Rome is a lovely city to visit in spring."


@pytest.fixture(scope="module")
def encoder(settings) -> SentenceEncoder:
    return SentenceEncoder(SHIPPED_MODEL, ModelStore(settings.model_dir))


@pytest.fixture(scope="module")
def tools(settings) -> LanguageTools:
    return LanguageTools(settings.content)


def test_strong_answer_has_every_star_part_with_its_sentence(encoder, tools):
    result = analyze_content(QUESTION, encoder, text=STRONG, tools=tools)
    assert result.star_coverage == 1.0
    assert "my previous job" in result.star["situation"].evidence[0].text
    assert result.star["task"].evidence[0].text.startswith("My task was")
    assert any("I set up a meeting" in s.text for s in result.star["action"].evidence)
    assert "40 percent" in result.star["result"].evidence[0].text
    assert "I learned" in result.star["learning"].evidence[0].text
    assert not result.off_topic and result.relevance > 0.3


def test_vague_answer_has_no_star_parts_but_is_on_topic(encoder, tools):
    result = analyze_content(QUESTION, encoder, text=VAGUE, tools=tools)
    assert result.star_coverage == 0.0
    assert not result.off_topic


def test_off_topic_answer_is_flagged(encoder, tools):
    result = analyze_content(QUESTION, encoder, text=OFF_TOPIC, tools=tools)
    assert result.off_topic and result.verdict.status is AnswerStatus.OFF_TOPIC
    assert result.relevance < 0.15
    assert "does not seem to be about the question" in result.verdict.message
    assert result.overall_score is None  # no content score for a non-answer


def test_no_question_means_no_relevance_and_a_note(tools):
    result = analyze_content("", None, text=STRONG, tools=tools)
    assert result.relevance is None and not result.off_topic
    assert any("No question" in n for n in result.notes)


def test_empty_answer(tools):
    result = analyze_content(QUESTION, None, text="   ", tools=tools)
    assert result.word_count == 0 and result.sentence_count == 0
    assert result.notes == ["No answer text to analyse."]
    assert result.verdict.status is AnswerStatus.SKIPPED and result.overall_score is None


def test_spoken_words_become_timed_sentences_without_fillers(tools):
    words = [
        Word("Um,", 0.5, 0.7, 0.9, is_filler=True),
        Word("I", 0.8, 0.9, 0.99),
        Word("fixed", 0.9, 1.2, 0.99),
        Word("it.", 1.2, 1.5, 0.99),
        Word("It", 2.0, 2.1, 0.99),
        Word("worked", 2.1, 2.5, 0.99),
        Word("well.", 2.5, 2.9, 0.99),
    ]
    result = analyze_content("", None, words=words, tools=tools)
    assert result.word_count == 6
    sentences = sentences_from_words([w for w in words if not w.is_filler])
    assert [(s.text, s.start, s.end) for s in sentences] == [
        ("I fixed it.", 0.8, 1.5),
        ("It worked well.", 2.0, 2.9),
    ]
    assert result.star["action"].evidence[0].start == 0.8


def test_count_words_ignores_filled_pauses():
    assert count_words("Um, so I, uh, rewrote the parser in 2021.") == 7


def test_regex_fallback_when_spacy_is_switched_off(settings):
    content = settings.content.model_copy(update={"use_spacy": False})
    result = analyze_content("", None, text=STRONG, settings=content)
    assert result.star_coverage == 1.0
    assert result.backends["star"] == "regex cues"
    assert any("keyword patterns" in note for note in result.notes)
    assert result.overall_score is not None
