"""Question kinds: bank mapping, wording rules, the MiniLM vote, and the per-kind rubrics."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mockmirror.interview.bank import QuestionType, load_bank
from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
from mockmirror.language.question_types import (
    RULES,
    BankVote,
    QuestionClassification,
    QuestionKind,
    Rubric,
    classification_from_bank,
    classify,
    classify_question,
    classify_questions,
    kind_from_bank,
    match_rules,
    rubric_for,
)
from mockmirror.models import ModelStore

LABELLED = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "question_types.yaml"

B, S, M, T, D, C = (
    QuestionKind.BEHAVIOURAL,
    QuestionKind.SITUATIONAL,
    QuestionKind.MOTIVATION,
    QuestionKind.TECHNICAL,
    QuestionKind.SELF_DESCRIPTION,
    QuestionKind.CLOSING,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # the examples
        ("Why public service?", M),
        ("Describe a disagreement with a colleague and how you resolved it.", B),
        ("Tell me about a mistake you made.", B),
        ("What would you do if a patient refused medication?", S),
        ("Explain how a hash map works.", T),
        ("Tell me about yourself.", D),
        # the pairs the rules must keep apart
        ("Tell me about a time you led a team.", B),
        ("How would you handle a colleague who misses every deadline?", S),
        ("How would you design a cache for a busy website?", T),
        ("Why do you want to join us?", M),
        ("What is your greatest weakness?", D),
        ("Walk me through your CV.", D),
        ("Walk me through a difficult negotiation you led.", B),
        ("Walk me through how a bill becomes law.", T),
        ("Do you have any questions for us?", C),
        # lower case, no question mark, several sentences, job-description wording
        ("tell me about a time you failed", B),
        ("what would you do if a parent shouted at you in the playground", S),
        ("We deploy on Kubernetes. Describe your experience with Kubernetes.", T),
        ("Our ward is very busy. You have three call bells ringing at once. What do you do?", S),
        ("Tell me about a time you had to explain a technical idea. What would you do differently?", B),
        ("Describe your experience of managing a sales territory.", B),
    ],
)
def test_wording_rules(question: str, kind: QuestionKind) -> None:
    result = classify_question(question)
    assert result.kind is kind, result.explain()
    assert result.source == "wording"
    assert result.method == "rule"
    assert result.cues and all(cue for cue in result.cues)


def test_the_cue_is_the_matched_words_and_the_trace_names_the_rule() -> None:
    result = classify_question("Describe a disagreement with a colleague and how you resolved it.")
    assert result.cues == ("describe a disagreement",)
    assert result.rule == "past example"
    assert "past example" in result.explain() and "describe a disagreement" in result.explain()


def test_curly_apostrophes_and_contractions_are_normalised() -> None:
    assert classify_question("What\u2019s your biggest weakness?").kind is D
    assert classify_question("what's the difference between TCP and UDP").kind is T


@pytest.mark.parametrize("question_type", list(QuestionType))
def test_every_bank_type_maps_to_a_kind(question_type: QuestionType) -> None:
    expected = {
        QuestionType.BEHAVIOURAL: B,
        QuestionType.SITUATIONAL: S,
        QuestionType.TECHNICAL: T,
        QuestionType.MOTIVATIONAL: M,
        QuestionType.WARM_UP: D,
        QuestionType.CLOSING: C,
    }[question_type]
    assert kind_from_bank(question_type) is expected
    assert kind_from_bank(question_type.value) is expected
    result = classification_from_bank(question_type)
    assert (result.kind, result.source, result.method, result.confidence) == (expected, "bank", "bank", 1.0)


def test_unknown_bank_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown question bank type"):
        kind_from_bank("trick_question")


def test_bank_metadata_comes_before_the_wording() -> None:
    # Worded like a past example, but the bank says it is a warm-up.
    result = classify("Tell me about a time you enjoyed your work.", bank_type="warm_up")
    assert (result.kind, result.source) == (D, "bank")
    assert classify("Tell me about a time you enjoyed your work.").kind is B


def test_no_rule_and_no_encoder_gives_the_low_confidence_default() -> None:
    assert match_rules("Bananas.") is None
    result = classify_question("Bananas.")
    assert result.method == "default" and result.confidence < 0.5
    assert classify_question("").method == "default"


def test_rules_are_ordered_and_named_uniquely() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(0 < rule.confidence <= 1 for rule in RULES)
    assert {rule.kind for rule in RULES} == set(QuestionKind)


def _labelled() -> list[dict]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["questions"]


def test_labelled_set_is_large_and_balanced() -> None:
    rows = _labelled()
    counts = {kind: sum(r["kind"] == kind for r in rows) for kind in QuestionKind}
    assert len(rows) >= 150
    assert min(counts.values()) >= 25, counts
    assert {r["split"] for r in rows} == {"dev", "heldout", "fresh", "fresh2"}
    bank_texts = {q.text.lower() for q in load_bank()}
    assert not [r["text"] for r in rows if r["text"].lower() in bank_texts]


def test_rules_accuracy_floor_on_the_labelled_set() -> None:
    # Measured 2026-12-05: 100 % on every split, all of them in sample by now (the first look at
    # the last split written, fresh2, was 80 %); see docs/content.md. A regression guard.
    rows = _labelled()
    correct = [classify_question(r["text"]).kind.value == r["kind"] for r in rows]
    assert sum(correct) / len(rows) >= 0.97
    for split in ("dev", "heldout", "fresh", "fresh2"):
        in_split = [c for c, r in zip(correct, rows, strict=True) if r["split"] == split]
        assert sum(in_split) / len(in_split) >= 0.9, split


def test_classification_is_deterministic() -> None:
    texts = [r["text"] for r in _labelled()]
    first = [classify_question(t) for t in texts]
    assert first == [classify_question(t) for t in texts]
    assert first == classify_questions(texts)
    assert all(isinstance(c, QuestionClassification) and 0 <= c.confidence <= 1 for c in first)


# ---- the encoder vote (the shipped MiniLM, no download) ----------------------------------------


@pytest.fixture(scope="module")
def encoder(settings) -> SentenceEncoder:
    return SentenceEncoder(SHIPPED_MODEL, ModelStore(settings.model_dir))


def test_vote_over_a_few_references_picks_the_nearest_kind(encoder: SentenceEncoder) -> None:
    vote = BankVote(
        encoder,
        [
            ("Tell me about a time you resolved a conflict in your team.", B),
            ("Describe a time you missed a deadline and what you did.", B),
            ("Explain how an index speeds up a database query.", T),
            ("What is the difference between a stack and a queue?", T),
        ],
    )
    result = vote.classify("Binary search trees: insertion cost and balancing.")
    assert result.kind is T
    assert (result.method, result.source) == ("encoder_vote", "wording")
    assert 0 < result.confidence <= 0.7
    assert "stack and a queue" in result.explain() or "index speeds up" in result.explain()
    # The vote is used only when no rule fires: a rule still decides a worded question.
    assert classify_question("Tell me about yourself.", vote=vote).method == "rule"
    assert classify_question("Binary search trees: insertion cost and balancing.", vote=vote) == result


@pytest.fixture(scope="module")
def bank_vote(encoder: SentenceEncoder) -> BankVote:
    return BankVote(encoder)  # the shipped bank, imported lazily; encodes all of it once


def test_bank_vote_settles_questions_no_rule_catches(bank_vote: BankVote) -> None:
    assert len(bank_vote.texts) == len(load_bank())
    rows = _labelled()[::3]  # a third of the set keeps the test short on a loaded CPU
    voted = bank_vote.classify_many([r["text"] for r in rows])
    accuracy = sum(v.kind.value == r["kind"] for v, r in zip(voted, rows, strict=True)) / len(rows)
    assert accuracy >= 0.72  # the vote alone; 81 % on the whole set (docs/content.md)
    assert voted[:8] == bank_vote.classify_many([r["text"] for r in rows[:8]])  # deterministic
    text = "Binary search trees: insertion cost and balancing."
    assert match_rules(text) is None
    result = classify_question(text, vote=bank_vote)
    assert result.method == "encoder_vote" and result.kind is T, result.explain()


def test_an_encoder_is_not_used_when_every_question_has_a_rule(encoder: SentenceEncoder) -> None:
    texts = ["Tell me about yourself.", "Why nursing?", "Any questions for us?"]
    assert classify_questions(texts, encoder) == [classify_question(t) for t in texts]


# ---- rubrics ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_every_kind_has_a_rubric(kind: QuestionKind) -> None:
    rubric = rubric_for(kind)
    assert isinstance(rubric, Rubric) and rubric.kind is kind
    assert rubric_for(kind.value) is rubric
    assert 3 <= len(rubric.key_points) <= 5
    assert all(8 <= len(point) <= 160 for point in rubric.key_points)
    low, high = rubric.length_words
    assert 0 < low < high
    assert rubric.star_expected is (kind is B)
    assert bool(rubric.star_parts) is rubric.star_expected


def test_length_bands_follow_speech() -> None:
    behavioural = rubric_for(B)
    assert behavioural.star_parts == ("situation", "task", "action", "result", "learning")
    assert behavioural.length_minutes[0] == pytest.approx(1.0, abs=0.1)
    assert behavioural.length_minutes[1] == pytest.approx(2.5, abs=0.1)
    others = [rubric_for(k) for k in QuestionKind if k not in (B, T)]
    assert all(r.length_words[1] < behavioural.length_words[1] for r in others)
    assert rubric_for(T).length_words[1] >= behavioural.length_words[1]
