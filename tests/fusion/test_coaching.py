"""Feedback from the fused cues: three strengths and three improvements, ranked, each with its
measure, moments and tip; session top three; LLM rewording that must keep every number."""

from __future__ import annotations

from mockmirror.fusion.coaching import fusion_feedback, point_text, reword_feedback, session_feedback
from mockmirror.fusion.feedback import Feedback
from mockmirror.interview.llm import Phraser


def test_answer_feedback_is_ranked_and_evidenced(assembled_analysis):
    fb = assembled_analysis.feedback
    assert 1 <= len(fb.strengths) <= 3 and 1 <= len(fb.improvements) <= 3
    for points in (fb.strengths, fb.improvements):
        assert [p.impact for p in points] == sorted((p.impact for p in points), reverse=True)
        for p in points:
            assert p.measure and p.evidence, p
            assert any(ch.isdigit() for ch in p.message), p.message  # the number behind it
    assert all(p.tip for p in fb.improvements)
    # The assembled GRID answer is slow overall (86 WPM with gaps) and off-topic: both flagged.
    topics = {p.topic for p in fb.improvements}
    assert "pace" in topics and "relevance" in topics
    pace = next(p for p in fb.improvements if p.topic == "pace")
    assert "130–165" in pace.message


def test_fusion_points_cite_their_cue(assembled_analysis):
    points = fusion_feedback(assembled_analysis.fusion, assembled_analysis.content)
    cues = {c.name: c for i in assembled_analysis.fusion.indicators for c in i.cues}
    for p in points:
        if p.topic in cues:
            assert p.measure == cues[p.topic].measure and p.value == cues[p.topic].value
            assert p.kind == ("improvement" if cues[p.topic].score < 60 else "strength")
        else:  # a content sub-score
            assert p.measure == f"content.scores.{p.topic}"
            assert p.value == assembled_analysis.content.scores[p.topic].score


def test_session_feedback_counts_recurring_topics(assembled_analysis, grid_analysis):
    fb = session_feedback(
        [assembled_analysis.feedback, assembled_analysis.feedback], ["answer 1", "answer 2"]
    )
    assert len(fb.improvements) <= 3
    top = fb.improvements[0]
    assert top.message.startswith("In 2 of 2 answers (answer 1, answer 2)")
    assert {e.label.split(":")[0] for e in top.evidence} == {"answer 1", "answer 2"}
    single = session_feedback([assembled_analysis.feedback, grid_analysis.feedback], ["answer 1", "answer 2"])
    assert all(p.evidence for p in single.improvements + single.strengths)


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
    assert all(p.phrased == "" and p.phrased_by == "" for p in out.improvements + out.strengths)
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
