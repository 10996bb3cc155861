"""Words for candidates: no internals in the text, no praise for a non-answer, moments only where
there is a moment, and a pace just under the band is not a fault (docs/fusion.md §8)."""

from __future__ import annotations

import pytest

from mockmirror.core.types import Event, Reliability
from mockmirror.face.track import FaceFrame, FaceSummary, FaceTrack
from mockmirror.fusion.coaching import fusion_feedback
from mockmirror.fusion.feedback import (
    MIN_RELIABILITY,
    build_feedback,
    candidate_texts,
    forbidden_patterns,
)
from mockmirror.fusion.fuse import fuse
from mockmirror.language.content import analyze_content
from mockmirror.language.validity import AnswerStatus
from mockmirror.settings import FusionSettings
from mockmirror.speech.track import Segment, SpeechSummary, SpeechTrack, Transcript, Word

BAND = (130.0, 165.0)
QUESTION = "Tell me about a time you led a team through a difficult deadline."
CONTENT_TOPICS = {"specificity", "structure", "relevance", "ownership", "length", "hedging", "repetition"}
ANSWER = (
    "Last spring I led a team of four engineers at Acme when our payment release slipped two weeks "
    "before the deadline. My task was to ship it on time without cutting the security review. I split "
    "the work into daily goals, paired the two junior developers with seniors and cut three low-value "
    "features after talking to the product owner. As a result we shipped on the 14th of May, two days "
    "early, and support tickets fell by 30 percent. I learned to cut scope early instead of asking "
    "people to work late."
)


def _speech(wpm: float, words_text: str = "", fillers: int = 3) -> SpeechTrack:
    tokens = words_text.split() or [f"word{i}" for i in range(100)]
    step = 60.0 / wpm
    words = [Word(t, 1.0 + i * step, 1.0 + (i + 0.8) * step, 0.95) for i, t in enumerate(tokens)]
    end = words[-1].end
    events = [Event("filler", 5.0 + 7 * i, 5.3 + 7 * i, label="um") for i in range(fillers)]
    summary = SpeechSummary(
        duration_s=end + 1,
        speaking_time_s=end - 1,
        word_count=len(words),
        words_per_minute=wpm,
        response_latency_s=1.0,
        filler_count=fillers,
        filler_rate_per_min=fillers / ((end - 1) / 60),
        fillers_by_word={"um": fillers} if fillers else {},
    )
    return SpeechTrack(
        True,
        Transcript(" ".join(tokens), words, "en"),
        [Segment(1.0, end)],
        [],
        events,
        summary,
        Reliability(0.9),
    )


def _face(eye_contact: float = 0.85) -> FaceTrack:
    events = [Event("smile", 10.0, 11.5, label="Duchenne-like (AU6+AU12)")]
    summary = FaceSummary(
        frames_analyzed=400,
        face_visible_ratio=1.0,
        eye_contact_ratio=eye_contact,
        smile_ratio=0.1,
        smile_count=1,
    )
    return FaceTrack(True, [FaceFrame(t=0.0, face_found=True)], events, summary, Reliability(0.9), fps=10)


@pytest.fixture(scope="module")
def tools(analyzer):
    return analyzer.language_tools()


@pytest.fixture(scope="module")
def encoder(analyzer):
    return analyzer.sentence_encoder()


def _feedback(content, speech, face, limit=10):
    fusion = fuse(speech, face, content, FusionSettings(), BAND)
    return build_feedback(speech, face, content, BAND, limit=limit, extra=fusion_feedback(fusion, content))


def _assert_plain(fb):
    texts = candidate_texts(fb)
    assert texts
    found = {t: forbidden_patterns(t) for t in texts if forbidden_patterns(t)}
    assert not found, found


def test_skipped_answer_has_one_kind_message_and_no_strengths(tools, encoder):
    content = analyze_content(QUESTION, encoder, text="", tools=tools, skipped=True)
    assert content.verdict.status is AnswerStatus.SKIPPED
    speech = SpeechTrack.unavailable("typed answer", 0.0)
    fb = _feedback(content, speech, _face(0.9))  # steady eye contact, and still no praise
    assert fb.strengths == []
    assert [p.topic for p in fb.improvements] == ["answer"]
    point = fb.improvements[0]
    assert point.headline == "Skipped" and point.message == content.verdict.message
    assert point.evidence == []  # nothing was said: no moment
    assert "skipped" in point.detail
    _assert_plain(fb)


def test_off_topic_answer_gets_no_content_praise(tools, encoder):
    text = (
        "The weather in Lisbon is lovely in May. The beaches have clear water and fine sand, and the "
        "old town has steep streets with yellow trams and small cafes that serve custard tarts."
    )
    content = analyze_content(QUESTION, encoder, text=text, tools=tools)
    assert content.verdict.status is AnswerStatus.OFF_TOPIC, content.verdict
    speech = _speech(150, text)
    fb = _feedback(content, speech, _face())
    topics = [p.topic for p in fb.strengths + fb.improvements]
    assert fb.strengths == []  # no praise for an answer to another question
    assert topics.count("answer") == 1 and not CONTENT_TOPICS & set(topics)
    point = next(p for p in fb.improvements if p.topic == "answer")
    assert point.headline == "Not about the question" and point.impact == 1.0
    # The moment of what was heard, not 0:00–end.
    assert len(point.evidence) == 1 and point.evidence[0].start == speech.transcript.words[0].start
    assert point.evidence[0].end == speech.transcript.words[11].end
    _assert_plain(fb)


def test_answered_answer_pace_just_under_the_band_and_moments(tools, encoder):
    content = analyze_content(QUESTION, encoder, text=ANSWER, tools=tools)
    assert content.verdict.answered and content.overall_score is not None
    fb = _feedback(content, _speech(129, ANSWER), _face(0.85))
    points = {p.topic: p for p in fb.strengths + fb.improvements}
    pace = points["pace"]
    assert pace.kind == "strength" and "just under" in pace.message and "129 words a minute" in pace.message
    assert "130–165" in pace.message
    # Whole-answer statistics have no moment; events keep theirs.
    assert pace.evidence == [] and points["eye_contact"].evidence == []
    smile = points["smile"].evidence
    assert [e.start for e in smile] == [10.0] and smile[0].label == "smile"  # no AU code
    # An answered story can be praised for its content.
    assert {"structure", "specificity"} & {p.topic for p in fb.strengths}
    _assert_plain(fb)
    # 125 WPM is more than 5 WPM under the band: flagged, with the scale.
    slow = _feedback(content, _speech(124, ANSWER), _face(0.85))
    flagged = next(p for p in slow.improvements if p.topic == "pace")
    assert "124 words a minute" in flagged.message and "130–165" in flagged.message


def test_forbidden_patterns_catch_internals():
    assert forbidden_patterns("Measure: content.scores.specificity = 100")
    assert forbidden_patterns("(most: AU12 2%) (full marks at 50% of face time)")
    assert forbidden_patterns("similarity to the question is 0.08")
    assert forbidden_patterns("compared with your own baseline (calibration: calibration (11 s))")
    assert forbidden_patterns("Your answer, observed: answer.mkv")
    assert forbidden_patterns("words_per_minute")
    assert not forbidden_patterns("You spoke at about 129 words a minute, just under 130–165 (fine).")
    # The candidate's own words, quoted back, are theirs: "print(x.y)" is not our jargon.
    assert not forbidden_patterns("The answer was program code (“print(x.y)”).")


def test_min_reliability_is_the_fusion_setting():
    assert FusionSettings().min_reliability == MIN_RELIABILITY
    content = analyze_content("", None, text="I fixed the build. As a result we shipped on time.")
    speech = _speech(182)
    assert any(p.topic == "pace" for p in build_feedback(speech, _face(), content, BAND).improvements)
    strict = build_feedback(speech, _face(), content, BAND, min_reliability=0.95)  # speech is 0.9
    assert not any(p.topic in {"pace", "fillers"} for p in strict.improvements + strict.strengths)
