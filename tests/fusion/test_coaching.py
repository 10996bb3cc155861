"""Feedback from the fused cues: three strengths and three improvements, ranked, each with its
measure, tip and moments where there are any; no content points for a non-answer; session top
three; LLM rewording that must keep every number."""

from __future__ import annotations

from mockmirror.fusion.coaching import fusion_feedback, point_text, reword_feedback, session_feedback
from mockmirror.fusion.feedback import Feedback
from mockmirror.interview.llm import Phraser
from mockmirror.interview.llm.guard import numbers_in


def test_answer_feedback_is_ranked_and_evidenced(assembled_analysis):
    fb = assembled_analysis.feedback
    verdict = assembled_analysis.content.verdict
    # GRID commands ("bin blue at f two now") are not an answer to the question: one kind message
    # and nothing else (no praise, no advice on the delivery of a non-answer).
    assert not verdict.answered
    assert fb.strengths == []
    [first] = fb.improvements
    assert first.topic == "answer" and first.message == verdict.message and first.headline == verdict.headline
    assert first.evidence and first.evidence[0].label == "what we heard"


def test_fusion_points_cite_their_cue(assembled_analysis):
    points = fusion_feedback(assembled_analysis.fusion, assembled_analysis.content)
    cues = {c.name: c for i in assembled_analysis.fusion.indicators for c in i.cues}
    for p in points:
        if p.topic in cues:
            assert p.measure == cues[p.topic].measure and p.value == cues[p.topic].value
            assert p.kind == ("improvement" if cues[p.topic].score < 60 else "strength")
        else:  # a content sub-score: only for an answered answer
            assert assembled_analysis.content.verdict.answered
            assert p.measure == f"content.scores.{p.topic}"
            assert p.value == assembled_analysis.content.scores[p.topic].score


def test_session_feedback_counts_recurring_topics(assembled_analysis, grid_analysis):
    fb = session_feedback(
        [assembled_analysis.feedback, assembled_analysis.feedback], ["answer 1", "answer 2"]
    )
    assert len(fb.improvements) <= 3
    top = fb.improvements[0]
    assert top.message.startswith("This came up in 2 of your 2 answers: answer 1 and answer 2.")
    assert {e.label.split(":")[0] for e in top.evidence} == {"answer 1", "answer 2"}
    single = session_feedback([assembled_analysis.feedback, grid_analysis.feedback], ["answer 1", "answer 2"])
    points = single.improvements + single.strengths
    assert any(p.evidence for p in points)
    assert all(e.label.startswith("answer ") for p in points for e in p.evidence)


class _Backend:
    """Stands in for an LLM server: returns a fixed reply (we test the guard, not a model)."""

    name = "test-backend"

    def __init__(self, reply):
        self.reply = reply

    def complete(self, messages, *, max_tokens, temperature, deadline):
        return self.reply(messages[-1]["content"])

    def stream(self, messages, *, max_tokens, temperature, deadline):
        yield self.complete(messages, max_tokens=max_tokens, temperature=temperature, deadline=deadline)


def _template(user_prompt: str) -> str:
    return user_prompt.split(":\n", 1)[1]


def test_rewording_keeps_numbers_or_falls_back(assembled_analysis):
    fb = Feedback(
        list(assembled_analysis.feedback.strengths), list(assembled_analysis.feedback.improvements), []
    )
    # A rewording that keeps the template's text (and so every number) is used.
    keeps = Phraser(
        _Backend(lambda prompt: "Here is the point. " + _template(prompt)), rephrase_feedback=True
    )
    keeps.max_chars = 2000
    out = reword_feedback(fb, keeps)
    assert all(p.phrased_by == "test-backend" and p.phrased for p in out.improvements)
    # One that drops the numbers is rejected: the template stays, the reason is recorded.
    drops = Phraser(_Backend(lambda prompt: "You did well overall, keep practising."), rephrase_feedback=True)
    out = reword_feedback(fb, drops)
    before = fb.improvements + fb.strengths
    assert any(numbers_in(point_text(p)) for p in before)
    for old, new in zip(before, out.improvements + out.strengths, strict=True):
        if numbers_in(point_text(old)):  # a template with numbers keeps its wording
            assert new.phrased == "" and new.phrased_by == "", old.message
    assert any("dropped numbers" in r for r in drops.rejections)
    # One that invents a number is stopped by the interview guard.
    invents = Phraser(
        _Backend(lambda prompt: _template(prompt) + " That is 99 percent better."), rephrase_feedback=True
    )
    invents.max_chars = 2000
    out = reword_feedback(fb, invents)
    assert all(p.phrased == "" for p in out.improvements)
    assert any("numbers not in the facts" in r for r in invents.rejections)
    # No backend: templates unchanged.
    plain = reword_feedback(fb, Phraser())
    assert [point_text(p) for p in plain.improvements] == [point_text(p) for p in fb.improvements]
