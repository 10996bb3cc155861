"""Action units, gestures, brief episodes and calibration on hand-made series (no models)."""

from __future__ import annotations

import math

import pytest

from mockmirror.face import action_units as aus
from mockmirror.face import gestures
from mockmirror.face.calibration import (
    BLINK_THRESHOLD_RANGE,
    EyeContactCalibration,
    EyeReading,
    calibrate_blink_threshold,
    gaze_heatmap,
)
from mockmirror.face.episodes import brief_expression_events
from mockmirror.face.track import EXPRESSIONS, FaceFrame

STEP = 0.1


def _poses(fn, seconds: float = 3.0, fps: float = 30.0) -> list[gestures.PoseSample]:
    out = []
    for i in range(int(seconds * fps)):
        t = i / fps
        yaw, pitch = fn(t)
        out.append(gestures.PoseSample(t, yaw, pitch))
    return out


def test_a_nod_is_found_and_its_span_is_the_movement() -> None:
    # Down 8 degrees and back up twice (1.5 Hz) between 1.0 and 2.33 s, head otherwise still.
    def nodding(t: float) -> tuple[float, float]:
        moving = 1.0 <= t <= 1.0 + 2 / 1.5
        return 0.5 * math.sin(7 * t), (-8 * math.sin(math.pi * 1.5 * (t - 1.0)) ** 2 if moving else 0)

    nods = gestures.nod_events(_poses(nodding))
    assert len(nods) == 1
    assert 0.9 <= nods[0].start <= 1.2 and 2.1 <= nods[0].end <= 2.4
    assert nods[0].value == pytest.approx(8.0, abs=0.5)
    assert not gestures.shake_events(_poses(nodding))


def test_a_shake_needs_three_quick_swings() -> None:
    def shaking(t: float) -> tuple[float, float]:
        return (10 * math.sin(2 * math.pi * 2 * t) if 1.0 <= t <= 2.0 else 0.0), 0.3 * math.sin(t)

    shakes = gestures.shake_events(_poses(shaking))
    assert len(shakes) == 1 and shakes[0].kind == "head_shake"
    assert not gestures.nod_events(_poses(shaking))

    # One slow turn away and back (looking at notes) is neither.
    def glance(t: float) -> tuple[float, float]:
        return 25 * math.sin(math.pi * t / 3.0), 0.0

    assert not gestures.shake_events(_poses(glance)) and not gestures.nod_events(_poses(glance))


def test_jitter_and_lost_faces_make_no_gestures() -> None:
    jitter = _poses(lambda t: (2 * math.sin(40 * t), 2 * math.cos(33 * t)))
    assert not gestures.nod_events(jitter) and not gestures.shake_events(jitter)
    gappy = [gestures.PoseSample(s.t, None, None) if i % 3 == 0 else s
             for i, s in enumerate(_poses(lambda t: (0.0, 8 * math.sin(2 * math.pi * 2 * t))))]
    assert not gestures.nod_events(gappy)  # never 0.25 s of face in a row
    assert gestures.turning_points([0, 1, 6, 2, 0, 5], 4.0) == [0, 2, 4, 5]


def test_restless_ratio() -> None:
    assert gestures.restless_ratio([]) is None
    assert gestures.restless_ratio([1.0, 20.0, 30.0, 2.0]) == 0.5


def test_action_units_relative_to_rest() -> None:
    rest = {"eyeSquintLeft": 0.4, "eyeSquintRight": 0.4}
    relaxed = {"eyeSquintLeft": 0.4, "eyeSquintRight": 0.4, "mouthSmileLeft": 0.0}
    units = aus.action_units(relaxed, rest)
    assert set(units) == set(aus.AU_CODES)
    assert units["AU7"] == 0.0 and units["AU6"] == 0.0  # a resting squint is no AU
    squint = aus.action_units({"eyeSquintLeft": 0.8, "eyeSquintRight": 0.8}, rest)
    assert squint["AU7"] == pytest.approx(0.667, abs=0.01) and squint["AU6"] == 0.0
    # The same eye narrowing during a lip-corner pull is the cheek raiser (Duchenne marker).
    smiling = aus.action_units({"eyeSquintLeft": 0.8, "eyeSquintRight": 0.8,
                                "mouthSmileLeft": 0.9, "mouthSmileRight": 0.7}, rest)
    assert smiling["AU12"] == pytest.approx(0.8) and smiling["AU6"] > 0.6 and smiling["AU7"] == 0
    talking = aus.action_units({"jawOpen": 0.15})
    assert talking["AU25"] == pytest.approx(0.6) and talking["AU26"] == 0.0
    assert aus.action_units({"jawOpen": 0.7})["AU26"] == pytest.approx(0.6)
    assert [aus.level(v) for v in (0.1, 0.2, 0.4, 0.7)] == [None, "weak", "moderate", "strong"]


def _au_frames(series: dict[str, list[float]]) -> list[FaceFrame]:
    n = len(next(iter(series.values())))
    return [FaceFrame(t=i * STEP, face_found=True, face_count=1, eyes_closed=False, quality=1.0,
                      action_units={code: values[i] for code, values in series.items()})
            for i in range(n)]


def test_describe_action_units_names_codes_levels_and_times() -> None:
    smile = [0.0] * 120 + [0.8] * 30 + [0.0] * 50  # 12.0-15.0 s
    brow = [0.0] * 200
    brow[40:47] = [0.2] * 7  # 4.0-4.7 s, weak
    text = aus.describe_action_units(_au_frames({"AU12": smile, "AU4": brow}))
    assert text == "AU4 brow lowerer, weak, 0:04–0:05; AU12 lip corner puller, strong, 0:12–0:15"
    window = aus.describe_action_units(_au_frames({"AU12": smile, "AU4": brow}), 10.0, 20.0)
    assert window == "AU12 lip corner puller, strong, 0:12–0:15"
    assert aus.describe_action_units(_au_frames({"AU12": [0.1] * 50})) == (
        "no action units above weak")
    jaw = _au_frames({"AU26": [0.9] * 50})
    assert aus.describe_action_units(jaw) == "no action units above weak"  # speech skipped
    assert aus.describe_action_units(jaw, skip=()).startswith("AU26 jaw drop, strong")


def _expression_frames(labels: str) -> list[FaceFrame]:
    """One frame per character: n neutral, s surprise (p 0.8)."""
    frames = []
    for i, ch in enumerate(labels):
        probs = dict.fromkeys(EXPRESSIONS, 0.02)
        top = "surprise" if ch == "s" else "neutral"
        probs[top] = 0.88
        frames.append(FaceFrame(t=i * STEP, face_found=True, face_count=1, expression=probs,
                                quality=1.0, eyes_closed=False, action_units={}))
    return frames


def test_brief_expression_needs_an_onset_and_under_half_a_second() -> None:
    brief = brief_expression_events(_expression_frames("nnnnnnnsssnnnn"), STEP)
    assert len(brief) == 1
    event = brief[0]
    assert event.kind == "brief_expression" and event.label == "surprise-like look"
    assert event.start == pytest.approx(0.7) and event.end == pytest.approx(1.0)
    assert event.confidence == pytest.approx(0.88, abs=0.01)
    assert not brief_expression_events(_expression_frames("nnnnnnnssssssnnn"), STEP)  # 0.6 s
    assert not brief_expression_events(_expression_frames("nnsssnnnn"), STEP)  # no 0.5 s before
    one = brief_expression_events(_expression_frames("nnnnnnnsnnnn"), STEP)
    assert one[0].confidence == pytest.approx(0.44, abs=0.01)  # a single frame: halved


def test_blink_threshold_calibration() -> None:
    # Eyes shut for the first 5 s (crying), then open with EAR 0.34 and blinking now and then.
    readings = [EyeReading(i / 30, 0.02, 0.9) for i in range(150)]
    readings += [EyeReading(5 + i / 30, 0.34 if i % 40 else 0.05, 0.1 if i % 40 else 0.8)
                 for i in range(300)]
    cal = calibrate_blink_threshold(readings, default=0.18)
    assert cal.calibrated and cal.open_ear == pytest.approx(0.34)
    assert cal.threshold == pytest.approx(0.62 * 0.34, abs=1e-3)
    narrow = [EyeReading(i / 30, 0.15, 0.1) for i in range(200)]  # narrow eyes, glasses
    assert calibrate_blink_threshold(narrow, 0.18).threshold == BLINK_THRESHOLD_RANGE[0]
    few = [EyeReading(i / 30, 0.3, 0.1) for i in range(5)] + [EyeReading(1, None, None)]
    for too_little in (few, []):
        cal = calibrate_blink_threshold(too_little, 0.18)
        assert not cal.calibrated and cal.threshold == 0.18 and cal.open_ear is None


def test_eye_contact_calibration() -> None:
    default = EyeContactCalibration.default(12.0)
    assert default.is_contact(5.0, -5.0) and not default.is_contact(0.0, -15.0)
    # This person's "looking at the lens" reads 10 degrees low (iris model bias).
    camera = [(0.5, -10.0), (-0.5, -10.5), (0.0, -9.5), (0.2, -10.0), (-0.2, -10.0)]
    screen = [(0.0, -25.0)] * 6
    cal = EyeContactCalibration.from_samples(camera, screen, max_deg=6.0)
    assert cal.calibrated and cal.camera_pitch == pytest.approx(-10.0)
    assert cal.is_contact(0.0, -12.0) and not cal.is_contact(0.0, 0.0)
    assert not cal.is_contact(0.0, -25.0)
    counting = EyeContactCalibration.from_samples(camera, screen, max_deg=6.0, screen_counts=True)
    assert counting.is_contact(0.0, -25.0)
    assert not EyeContactCalibration.from_samples(camera[:2]).calibrated


def test_gaze_heatmap_dwell() -> None:
    samples = [(0.0, 0.0)] * 30 + [(21.0, -4.0)] * 10 + [(80.0, 0.0)] * 2
    heat = gaze_heatmap(samples, 0.1, bin_deg=5.0, limit_deg=40.0)
    assert heat.total_s == pytest.approx(4.2)
    assert heat.cells[0] == (0.0, 0.0, 3.0)
    assert (20.0, -5.0, 1.0) in heat.cells and (40.0, 0.0, 0.2) in heat.cells
