"""Build word lists from text for rule tests: one word per 0.3 s, commas kept on the words."""

from __future__ import annotations

from mockmirror.speech.track import Word

WORD_S = 0.25
GAP_S = 0.05


def words_from(text: str, probability: float = 0.9) -> list[Word]:
    """``"a | b"`` puts a 0.5 s silence between a and b (a pause without punctuation)."""
    words, t = [], 0.0
    for token in text.split():
        if token == "|":
            t += 0.5
            continue
        words.append(Word(token, round(t, 3), round(t + WORD_S, 3), probability))
        t += WORD_S + GAP_S
    return words
