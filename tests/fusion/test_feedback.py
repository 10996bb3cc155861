"""Feedback rules: observable numbers in plain words, ranked, moments where there are moments,
honest about gaps."""

from __future__ import annotations

from mockmirror.core.clock import clock
from mockmirror.core.types import Event, Reliability
from mockmirror.face.track import FaceFrame, FaceSummary, FaceTrack
from mockmirror.fusion.feedback import build_feedback
from mockmirror.language.content import analyze_content
from mockmirror.speech.track import Segment, SpeechSummary, SpeechTrack, Transcript, Word

BAND = (130.0, 165.0)


def _speech(
    wpm: float,
    fillers: int = 0,
    long_pauses: list[tuple[float, float]] | None = None,
    reliability: float = 0.9,
    latency: float = 0.6,
) -> SpeechTrack:
    words = [Word(f"word{i}.", 1.0 + i * 0.3, 1.2 + i * 0.3, 0.95) for i in range(100)]
    events = [Event("filler", 5.0 + i * 3, 5.3 + i * 3, label="um") for i in range(fillers)]
    events += [Event("long_pause", s, e, value=e - s) for s, e in long_pauses or []]
    summary = SpeechSummary(
        duration_s=40.0,
        speaking_time_s=32.0,
        word_count=100,
        words_per_minute=wpm,
        response_latency_s=latency,
        filler_count=fillers,
        filler_rate_per_min=fillers / (32 / 60),
        fillers_by_word={"um": fillers} if fillers else {},
        long_pause_count=len(long_pauses or []),
    )
    return SpeechTrack(
        True,
        Transcript("…", words, "en"),
        [Segment(1.0, 31.0)],
        [],
        events,
        summary,
        Reliability(reliability),
    )


def _face(eye_contact: float, smiles: int, reliability: float = 0.9) -> FaceTrack:
    events = [Event("smile", 10.0 + 5 * i, 11.5 + 5 * i) for i in range(smiles)]
    events += [Event("gaze_away", 20.0, 24.0)] if eye_contact < 0.5 else []
    summary = FaceSummary(
        frames_analyzed=400,
        face_visible_ratio=1.0,
        eye_contact_ratio=eye_contact,
        smile_ratio=0.1 if smiles else 0.0,
        smile_count=smiles,
    )
    return FaceTrack(
        True, [FaceFrame(t=0.0, face_found=True)], events, summary, Reliability(reliability), fps=10
    )


def _content():
    return analyze_content("", None, text="I fixed the build. As a result we shipped on time.")


def test_fast_pace_cites_the_number_and_band():
    fb = build_feedback(_speech(182), _face(0.8, 2), _content(), BAND, duration_s=40)
    pace = [p for p in fb.improvements if p.topic == "pace"]
    assert pace and "182 words a minute" in pace[0].message and "130–165" in pace[0].message
    assert pace[0].value == 182 and pace[0].measure == "words_per_minute"
    assert "words_per_minute = 182" in pace[0].detail  # the trace keeps the measure


def test_moments_only_where_there_are_moments_and_lists_are_capped_and_ranked():
    args = (_speech(182, fillers=8, long_pauses=[(12.0, 15.5)]), _face(0.3, 0), _content(), BAND, 40)
    fb = build_feedback(*args)
    every = build_feedback(*args, limit=10)
    points = every.strengths + every.improvements
    # Points about events cite them; whole-answer statistics (overall pace, length) cite nothing,
    # and no point cites the whole answer from 0:00.
    by_topic = {p.topic: p for p in points}
    assert by_topic["fillers"].evidence and by_topic["pauses"].evidence
    assert by_topic["eye_contact"].evidence and by_topic["pace"].evidence == []
    assert by_topic["length"].evidence == [] and by_topic["smile"].evidence == []
    assert not any(e.start == 0 and e.end == 40 for p in points for e in p.evidence)
    assert len(fb.improvements) == 3
    impacts = [p.impact for p in fb.improvements]
    assert impacts == sorted(impacts, reverse=True)
    pauses = [
        p
        for p in build_feedback(
            _speech(150, long_pauses=[(12.0, 15.5)]), _face(0.8, 1), _content(), BAND, 40
        ).improvements
        if p.topic == "pauses"
    ]
    assert pauses and pauses[0].evidence[0].start == 12.0 and "3.5 s at 0:12" in pauses[0].message


def test_fillers_cite_their_times():
    fb = build_feedback(_speech(150, fillers=6), _face(0.8, 1), _content(), BAND, duration_s=40)
    fillers = next(p for p in fb.improvements if p.topic == "fillers")
    assert "“um” 6 times" in fillers.message and "6 filler words" in fillers.message
    assert [e.start for e in fillers.evidence] == [5.0, 8.0, 11.0, 14.0, 17.0, 20.0]


def test_low_eye_contact_cites_the_look_away():
    fb = build_feedback(_speech(150), _face(0.3, 1), _content(), BAND, duration_s=40)
    eye = next(p for p in fb.improvements if p.topic == "eye_contact")
    assert "30% of the time" in eye.message and "4 s at 0:20" in eye.message
    assert [e.start for e in eye.evidence] == [20.0]


def test_unreliable_or_missing_modalities_give_notes_not_advice():
    fb = build_feedback(
        _speech(182, reliability=0.2),
        FaceTrack.unavailable("audio-only recording"),
        _content(),
        BAND,
        duration_s=40,
    )
    topics = {p.topic for p in fb.strengths + fb.improvements}
    assert not topics & {"pace", "fillers", "eye_contact", "smile"}
    assert any(n.startswith("We did not analyse your face") and "audio-only" in n for n in fb.notes)
    assert any(n.startswith("Your voice could not be measured well") for n in fb.notes)
    # The technical reasons go to the details ("How this was measured").
    assert any(d.startswith("Face not analysed: audio-only") for d in fb.details)
    assert any(d.startswith("Voice reliability 0.20 below 0.40") for d in fb.details)


def test_clock_format():
    assert clock(42.7) == "0:42" and clock(125) == "2:05" and clock(-1) == "0:00"
