"""Event building and summary arithmetic on hand-made frame series (no models)."""

from __future__ import annotations

import numpy as np
import pytest

from mockmirror.face import events as ev
from mockmirror.face.analyzer import eyes_closed, is_smiling
from mockmirror.face.geometry import HeadPose, rotation_from_pose
from mockmirror.face.summary import assess_reliability, head_speed, summarise
from mockmirror.face.track import FaceFrame

STEP = 0.1


def _eyes(pattern: str, step: float = 0.04) -> list[ev.EyeSample]:
    """'o' open, 'c' closed, '-' no face."""
    states = {"o": False, "c": True, "-": None}
    return [ev.EyeSample(i * step, states[ch]) for i, ch in enumerate(pattern)]


def _frames(n: int, **fields: object) -> list[FaceFrame]:
    return [FaceFrame(t=i * STEP, face_found=True, face_count=1, **fields) for i in range(n)]


def test_runs() -> None:
    assert ev.runs([False, True, True, False, True]) == [(1, 2), (4, 4)]
    assert ev.runs([]) == []
    assert ev.runs([True, True]) == [(0, 1)]


def test_short_closure_between_open_eyes_is_a_blink() -> None:
    blinks, closed = ev.blink_events(_eyes("oooccooo"), step=0.04)
    assert len(blinks) == 1 and not closed
    assert blinks[0].start == pytest.approx(0.12)
    assert blinks[0].end == pytest.approx(0.20)  # the first sample with the eyes open again


def test_long_closure_is_eyes_closed_not_a_blink() -> None:
    blinks, closed = ev.blink_events(_eyes("oo" + "c" * 20 + "oo"), step=0.04)
    assert not blinks
    assert len(closed) == 1 and closed[0].duration == pytest.approx(0.8)


def test_closure_cut_by_a_lost_face_or_the_edge_is_not_counted() -> None:
    assert ev.blink_events(_eyes("oo--cc-oo"), step=0.04)[0] == []
    assert ev.blink_events(_eyes("ccooo"), step=0.04)[0] == []
    assert ev.blink_events(_eyes("oooc"), step=0.04)[0] == []


def test_blink_min_samples() -> None:
    assert len(ev.blink_events(_eyes("oocoo"), min_samples=1)[0]) == 1
    assert ev.blink_events(_eyes("oocoo"), min_samples=2)[0] == []


def test_smile_stretches_merge_short_dips_and_drop_flicker() -> None:
    flags = [False, True, True, True, False, True, True, True, False, False, False, True, False]
    frames = _frames(len(flags), smile=0.7)
    for frame, flag in zip(frames, flags, strict=True):
        frame.smiling = flag
    smiles = ev.smile_events(frames, STEP)
    assert len(smiles) == 1  # the 0.1 s dip is bridged; the lone frame at 1.1 s is flicker
    assert (smiles[0].start, smiles[0].end) == pytest.approx((0.1, 0.8))
    assert smiles[0].value == pytest.approx(0.7)


def test_gaze_away_needs_a_second_and_says_where() -> None:
    frames = _frames(30, eye_contact=True, eyes_closed=False, gaze_yaw_deg=0.0, gaze_pitch_deg=0.0)
    for frame in frames[5:20]:  # 1.5 s looking down
        frame.eye_contact, frame.gaze_pitch_deg = False, -25.0
    for frame in frames[24:28]:  # a 0.4 s glance: not an event
        frame.eye_contact, frame.gaze_yaw_deg = False, 30.0
    away = ev.gaze_away_events(frames, STEP)
    assert len(away) == 1
    assert away[0].label == "down"
    assert away[0].value == pytest.approx(1.5)


def test_gaze_direction_words() -> None:
    assert ev.gaze_direction(20, 5) == "to their left"  # + yaw = image right = person's left
    assert ev.gaze_direction(-20, 5) == "to their right"
    assert ev.gaze_direction(2, 15) == "up"


def test_no_face_and_multiple_faces() -> None:
    frames = _frames(20)
    for frame in frames[3:10]:
        frame.face_found, frame.face_count = False, 0
    for frame in frames[12:18]:
        frame.face_count = 2
    no_face = ev.no_face_events(frames, STEP, duration=2.0)
    many = ev.multiple_faces_events(frames, STEP, duration=2.0)
    assert [(e.start, e.end) for e in no_face] == [pytest.approx((0.3, 1.0))]
    assert len(many) == 1 and many[0].value == 2.0


def test_eye_state_and_smile_rules() -> None:
    assert eyes_closed(0.10, 0.12, 0.1, 0.18)  # EAR below the threshold
    assert eyes_closed(0.25, 0.25, 0.6, 0.18)  # blendshapes say shut
    assert not eyes_closed(0.28, 0.30, 0.1, 0.18)
    happy = {"happy": 0.9, "sad": 0.05, "angry": 0.0, "fear": 0.0, "disgust": 0.0}
    crying = {"happy": 0.05, "sad": 0.85, "angry": 0.0, "fear": 0.05, "disgust": 0.0}
    assert is_smiling(0.8, happy, 0.5)
    assert not is_smiling(0.8, crying, 0.5)  # mouth corners pulled while crying
    assert not is_smiling(0.3, happy, 0.5)


def test_head_speed_over_windows() -> None:
    times = [i * STEP for i in range(11)]
    rotations = [rotation_from_pose(HeadPose(2.0 * i, 0, 0)) for i in range(11)]  # 20 deg/s
    assert head_speed(times, rotations, STEP) == pytest.approx(20.0)
    rotations[5] = None  # windows ending or starting without a face are skipped
    assert head_speed(times, rotations, STEP) == pytest.approx(20.0)
    assert head_speed(times[:3], rotations[:3], STEP) is None  # shorter than one window


def test_summary_and_reliability() -> None:
    frames = _frames(100, eye_contact=True, smile=0.1, smiling=False, face_width_px=150.0,
                     brightness=120.0, head_yaw_deg=2.0, head_pitch_deg=-1.0,
                     expression={"angry": 0.0, "disgust": 0.0, "fear": 0.0, "happy": 0.2,
                                 "neutral": 0.7, "sad": 0.1, "surprise": 0.0})
    for frame in frames[:10]:
        frame.face_found, frame.face_count, frame.eye_contact = False, 0, None
    for frame in frames[10:30]:
        frame.eye_contact = False
    summary = summarise(frames, [], eyes_measured_s=60.0, head_movement_deg_per_s=3.0)
    assert summary.face_visible_ratio == pytest.approx(0.9)
    assert summary.eye_contact_ratio == pytest.approx(70 / 90)
    assert summary.blink_rate_per_min == 0.0
    assert summary.dominant_expression == "neutral"
    assert sum(summary.expression_distribution.values()) == pytest.approx(1.0)
    reliability = assess_reliability(frames, summary)
    assert reliability.score == pytest.approx(0.9)
    assert "visible" in reliability.reasons[0]


def test_reliability_flags_small_dark_and_faceless() -> None:
    frames = _frames(10, face_width_px=40.0, brightness=10.0, eye_contact=True)
    summary = summarise(frames, [], eyes_measured_s=1.0, head_movement_deg_per_s=None)
    assert summary.blink_rate_per_min is None  # too little time to call a rate
    reliability = assess_reliability(frames, summary)
    assert reliability.score < 0.5
    assert any("small" in r for r in reliability.reasons)
    assert any("dark" in r for r in reliability.reasons)
    faceless = [FaceFrame(t=i * STEP, face_found=False) for i in range(5)]
    assert assess_reliability(faceless, summarise(faceless, [], 0.0, None)).score == 0.0
    assert np.isclose(assess_reliability([], summarise([], [], 0.0, None)).score, 0.0)
