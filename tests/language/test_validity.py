"""Is there an answer? The verdict on labelled answers, typed and spoken, with the real models.

Typed answers come from benchmarks/data/answer_validity.yaml (our own writing, one per status);
the spoken ones are a real GRID corpus clip (a command, not an answer) and a strong answer read
by espeak-ng, both through the project's Whisper. Only an answered answer gets a content score,
and every other verdict has a plain message without decimals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mockmirror.language.content import analyze_content
from mockmirror.language.embedding import SentenceEncoder
from mockmirror.language.tools import LanguageTools
from mockmirror.language.validity import AnswerStatus
from mockmirror.media.decode import load_audio
from mockmirror.models import ModelStore
from mockmirror.speech import synthetic
from mockmirror.speech.asr import Transcriber

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "answer_validity.yaml"
QUESTION_TYPE = {"behavioural": "behavioural", "technical": "technical"}
# One or more labelled answers per status, over every kind of question.
TYPED = [
    "q01-strong",
    "q05-weak_on_topic",
    "q10-vague",
    "q03-off_topic",
    "q09-off_topic",
    "q02-gibberish",
    "q04-keyword_stuffed",
    "q01-asr_garbled",
    "q06-echo",
    "q07-one_word",
    "q08-other_language",
    "q05-other_language",
]
DECIMAL = re.compile(r"\d[.,]\d")


@pytest.fixture(scope="session")
def items() -> dict[str, dict]:
    return {item["id"]: item for item in yaml.safe_load(DATA.read_text(encoding="utf-8"))["items"]}


@pytest.fixture(scope="session")
def tools(settings) -> LanguageTools:
    return LanguageTools(settings.content)


@pytest.fixture(scope="session")
def encoder(settings) -> SentenceEncoder:
    return SentenceEncoder(settings.content.embedding_model, ModelStore(settings.model_dir))


@pytest.fixture(scope="session")
def transcriber(settings) -> Transcriber:
    return Transcriber(settings, ModelStore(settings.model_dir))


@pytest.fixture(scope="session")
def judge(tools, encoder, settings):
    def run(question: str, kind: str | None = None, **answer):
        return analyze_content(
            question,
            encoder,
            tools=tools,
            settings=settings.content,
            question_kind=QUESTION_TYPE.get(kind or ""),
            **answer,
        )

    return run


def _check_message(result) -> None:
    verdict = result.verdict
    if verdict.answered:
        assert result.overall_score is not None
        return
    assert result.overall_score is None, "a non-answer must not get a content score"
    assert verdict.message and not DECIMAL.search(verdict.message), verdict.message
    assert verdict.reasons


@pytest.mark.parametrize("item_id", TYPED)
def test_typed_answer_gets_its_labelled_verdict(judge, items, item_id):
    item = items[item_id]
    result = judge(item["question"], item["kind"], text=item["text"])
    assert result.verdict.status.value == item["expected_status"], result.verdict.reasons
    _check_message(result)


def test_strong_answer_outscores_weak_and_vague_ones(judge, items):
    """The fitted weights (docs/validity.md) rank a specific, full answer far above two thin ones;
    between the two thin ones (28 and 41 words) the score does not claim an order, but the vague one
    is the one told it has no concrete detail."""
    results = {
        cat: judge(items[f"q05-{cat}"]["question"], "motivation", text=items[f"q05-{cat}"]["text"])
        for cat in ("strong", "weak_on_topic", "vague")
    }
    scores = {cat: r.overall_score for cat, r in results.items()}
    assert scores["strong"] > max(scores["weak_on_topic"], scores["vague"]) + 25, scores
    specificity = {cat: r.scores["specificity"].score for cat, r in results.items()}
    assert specificity["vague"] == 0 < specificity["weak_on_topic"] < specificity["strong"], specificity


def test_empty_and_code_answers(judge):
    question = "Explain how you would find duplicate rows in a table."
    assert judge(question, text="   ").verdict.status is AnswerStatus.SKIPPED
    code = "SELECT email, COUNT(*) FROM users\nGROUP BY email\nHAVING COUNT(*) > 1;"
    result = judge(question, "technical", text=code)
    assert result.verdict.status is AnswerStatus.CODE
    _check_message(result)


def test_grid_command_spoken_is_not_an_answer(judge, transcriber, fixtures_dir):
    """A GRID corpus command ("bin blue at f two now") given as an answer: heard, not answered."""
    audio = load_audio(fixtures_dir / "grid_av" / "audio_16k" / "bbaf2n.wav", 16_000)
    transcript = transcriber.transcribe(audio, fillers=True)
    assert transcript.words, "Whisper should hear the command"
    result = judge("Tell me about a project you are proud of.", words=transcript.words)
    assert not result.verdict.answered, result.verdict.reasons
    assert result.overall_score is None
    _check_message(result)


def test_strong_spoken_answer_is_answered(judge, transcriber, items, fixtures_dir):
    if not synthetic.available():
        pytest.skip("espeak-ng is not installed")
    item = items["q05-strong"]
    transcript = transcriber.transcribe(synthetic.speak(item["text"], rate_wpm=165), fillers=True)
    result = judge(item["question"], item["kind"], words=transcript.words)
    assert result.verdict.status is AnswerStatus.ANSWERED, result.verdict.reasons
    assert result.overall_score is not None and result.overall_score >= 60
