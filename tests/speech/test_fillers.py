"""Filler tagging rules: filled pauses always, "like"/"you know"/"I mean" only as parentheticals,
"basically", "sort of"/"kind of" and sentence-initial "so" only where they carry no meaning."""

from __future__ import annotations

import pytest
from speech_helpers import words_from

from mockmirror.speech.fillers import filled_pause_label, find_fillers, tag_fillers


def labels(text: str) -> list[str]:
    return [m.label for m in find_fillers(words_from(text))]


@pytest.mark.parametrize(
    ("spelling", "label"),
    [
        ("um", "um"), ("Umm,", "um"), ("uhm", "um"), ("UMMM...", "um"),
        ("uh", "uh"), ("Uhh,", "uh"), ("er", "er"), ("erm", "er"), ("Err.", "er"),
        ("ah", "ah"), ("Ahh", "ah"), ("hmm", "hmm"), ("Hmm...", "hmm"), ("hm", "hmm"),
        ("mm", "hmm"), ("mhm", "hmm"),
    ],
)  # fmt: skip
def test_filled_pause_spellings(spelling: str, label: str) -> None:
    assert filled_pause_label(spelling) == label


@pytest.mark.parametrize(
    "word", ["uh-huh", "umbrella", "a", "am", "are", "her", "oh", "ahead", "hum"]
)
def test_words_that_are_not_filled_pauses(word: str) -> None:
    assert filled_pause_label(word) is None


@pytest.mark.parametrize(
    "text",
    [
        "I like Python a lot.",
        "I would like to join your team.",
        "It looks like rain today.",
        "Do it like this please.",
        "We need people like you here.",
        "Something like three years.",
        "I was like, no way.",  # quotative "be like" reports speech: not counted
        "She likes tests and liked the likely outcome.",
    ],
)
def test_like_as_verb_preposition_or_quotative_is_not_a_filler(text: str) -> None:
    assert labels(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "It was, like, really hard.",
        "It's just, like, hard to say.",
        "Like, I was the lead.",
        "We shipped it like | two weeks early.",  # a pause after "like" acts as a comma
        "and then like um we rewrote it",
    ],
)
def test_like_set_off_as_parenthetical_is_a_filler(text: str) -> None:
    assert "like" in labels(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You know, I think it worked.", ["you know"]),
        ("It was hard, you know.", ["you know"]),
        ("We tried, you know, three times.", ["you know"]),
        ("Do you know the answer?", []),
        ("If you know Python you can start.", []),
        ("You know what I did?", []),
        ("As you know, we ship weekly.", []),
        ("I think you know the team.", []),
    ],
)
def test_you_know(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I mean, we tried everything.", ["i mean"]),
        ("So, I mean we could try again.", ["so", "i mean"]),
        ("It failed, I mean.", ["i mean"]),
        ("I mean it.", []),
        ("That is what I mean.", []),
        ("I mean to say thanks.", []),
        ("and I mean the whole team", []),
    ],
)
def test_i_mean(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


def test_tagging_marks_every_word_of_a_phrase_and_nothing_else() -> None:
    original = words_from("Um, so, you know, I like testing, like, a lot.")
    words = tag_fillers(original)
    assert [w.text for w in words if w.is_filler] == ["Um,", "you", "know,", "like,"]
    assert [(w.text, w.start, w.end) for w in words] == [(w.text, w.start, w.end) for w in original]


def test_matches_do_not_overlap_and_keep_order() -> None:
    matches = find_fillers(words_from("um uh, you know, um"))
    assert [(m.first, m.last, m.label) for m in matches] == [
        (0, 0, "um"), (1, 1, "uh"), (2, 3, "you know"), (4, 4, "um"),
    ]  # fmt: skip


def test_empty_transcript() -> None:
    assert find_fillers([]) == []
    assert tag_fillers([]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Basically, we rewrote the parser.", ["basically"]),
        ("Basically we rewrote the parser.", ["basically"]),
        ("We, basically, rewrote it.", ["basically"]),
        ("It is basically a cache.", []),
        ("The two designs are basically the same.", []),
    ],
)
def test_basically(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I sort of fixed it myself.", ["sort of"]),
        ("It was kind of slow at first.", ["kind of"]),
        ("We built a sort of cache.", []),
        ("What kind of team was it?", []),
        ("That kind of problem is common.", []),
        ("It was kind of like magic.", ["kind of"]),  # one hedge, not two fillers
    ],
)
def test_sort_of_and_kind_of(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("So I started with the logs.", ["so"]),
        ("We shipped. So, the next step was tests.", ["so"]),
        ("So far we have two users.", []),
        ("So that it would scale, we split it.", []),
        ("It was so slow that we rewrote it.", []),
        ("We tested it, so it was safe.", []),
        ("We tried... so it was slow.", []),  # trailing off, not a new sentence
    ],
)
def test_so_at_sentence_start(text: str, expected: list[str]) -> None:
    assert labels(text) == expected
