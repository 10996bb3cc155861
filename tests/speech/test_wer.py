"""The WER normaliser: spelling conventions must not count as recognition errors."""

from __future__ import annotations

import pytest

from mockmirror.speech.wer import (
    corpus_wer,
    edit_distance,
    normalize_words,
    number_to_words,
    word_errors,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Been read by K7 now.", ["been", "read", "by", "k", "seven", "now"]),
        ("Set white with P2 soon.", ["set", "white", "with", "p", "two", "soon"]),
        ("Go forward 10 meters.", ["go", "forward", "ten", "meters"]),
        ("in 1813.", ["in", "eighteen", "thirteen"]),
        ("I'M ABIGAIL", ["i'm", "abigail"]),
        ("well-known, 2,000", ["well", "known", "two", "thousand"]),
    ],
)
def test_normalize_words(text: str, words: list[str]) -> None:
    assert normalize_words(text) == words


def test_number_to_words() -> None:
    assert number_to_words(0) == ["zero"]
    assert number_to_words(42) == ["forty", "two"]
    assert number_to_words(305) == ["three", "hundred", "five"]
    assert number_to_words(1905) == ["nineteen", "oh", "five"]
    assert number_to_words(1900) == ["one", "thousand", "nine", "hundred"]


def test_edit_distance_counts_substitutions_insertions_deletions() -> None:
    assert edit_distance(["a", "b", "c"], ["a", "b", "c"]) == 0
    assert edit_distance(["a", "b", "c"], ["a", "x", "c"]) == 1
    assert edit_distance(["a", "b", "c"], ["a", "c"]) == 1
    assert edit_distance(["a", "b"], ["a", "b", "thank", "you"]) == 2
    assert edit_distance([], ["x"]) == 1


def test_word_errors_and_corpus_wer() -> None:
    result = word_errors("bin blue at f two now", "Bimble F2 now.")
    assert (result.errors, result.reference_words) == (3, 6)
    assert result.wer == pytest.approx(0.5)
    # Totals, not an average of per-clip rates: the long clip weighs more.
    assert corpus_wer([("a b c d", "a b c d"), ("a b", "x b")]) == pytest.approx(1 / 6)
