"""The answer checks the follow-ups rely on: presence, language, code, specificity, ownership."""

from __future__ import annotations

import pytest

from mockmirror.interview.signals import read_signals

STORY = (
    "Last year at my previous job, two engineers on our team disagreed about the database design. "
    "I set up a meeting with both of them and asked each to write down their concerns. "
    "We agreed on a compromise, and as a result we shipped two weeks early."
)


def test_a_specific_story_with_own_actions():
    s = read_signals(STORY)
    assert s.concrete and not s.vague
    assert "Last year" in s.anchors
    assert s.ownership == "mixed" and s.i_actions == 1 and s.we_actions == 3
    assert not (s.empty or s.too_short or s.too_long or s.looks_like_code or s.not_english)


def test_general_claims_are_vague():
    s = read_signals("I am a people person. I think communication is really important and I always listen.")
    assert s.vague
    assert {"i think", "always"} <= set(s.generic_phrases)


def test_we_only_story():
    s = read_signals(
        "Last year our team had a big migration. We planned it carefully and we split the work. "
        "We finished on time and the client was happy."
    )
    assert s.ownership == "we_only" and s.i_actions == 0 and s.we_actions >= 3
    assert s.concrete  # a real story, just not told in the first person


def test_hedges_are_not_actions():
    s = read_signals("I think we did well. I guess we could have communicated better as a team overall.")
    assert s.i_actions == 0


@pytest.mark.parametrize(
    "text",
    [
        "def add(a, b):\n    return a + b\n\nprint(add(1, 2))",
        "SELECT name, email FROM users WHERE created_at > now() - interval 7 day;",
        "EXPLAIN ANALYZE SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > 10;",
        "function retry(fn) {\n  for (let i = 0; i < 3; i++) {\n"
        "    try { return fn(); } catch (e) {}\n  }\n}",
    ],
)
def test_code_is_recognised(text):
    s = read_signals(text)
    assert s.looks_like_code and s.code_evidence
    assert not s.not_english


def test_prose_mentioning_code_is_not_code():
    s = read_signals("I rewrote the retry() helper in Python so that it backs off, and the errors dropped.")
    assert not s.looks_like_code
    assert not read_signals("I would SELECT the best person FROM the shortlist, if I could.").looks_like_code


@pytest.mark.parametrize(
    "text",
    [
        "J'ai travaillé dans une équipe de cinq personnes et nous avons livré le projet à temps.",
        "Ich habe im letzten Jahr ein Team von fünf Personen geleitet und wir waren pünktlich fertig.",
        "私はチームで働くのが好きです。プロジェクトを成功させました。",
        "Я работал в команде из пяти человек, и мы сдали проект вовремя.",
    ],
)
def test_other_languages_are_recognised(text):
    assert read_signals(text).not_english


def test_length_bounds():
    assert read_signals("").empty
    assert read_signals("Teamwork.").too_short
    assert read_signals(" ".join(["word"] * 1000), max_words=900).too_long
    assert not read_signals(STORY, min_words=8, max_words=900).too_long
