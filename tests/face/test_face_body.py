"""Body and hand measures that need no model: the hull overlap and the body summariser."""

from __future__ import annotations

import numpy as np
import pytest

from mockmirror.face.body import GESTURE_WIDTHS, summarise_body
from mockmirror.face.hands import Hand, face_share_covered, occlusion_events
from mockmirror.face.track import BodySample


def square(x0: float, y0: float, side: float, n: int = 40) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.column_stack([x0 + rng.random(n) * side, y0 + rng.random(n) * side])


def test_share_of_the_face_a_hand_covers() -> None:
    face = np.array([[0, 0], [100, 0], [100, 100], [0, 100], [50, 50]], dtype=float)
    half = Hand(np.array([[0, 50], [100, 50], [100, 150], [0, 150]], dtype=float), 1.0)
    assert face_share_covered(face, [half]) == pytest.approx(0.5, abs=0.05)
    away = Hand(np.array([[300, 300], [400, 300], [400, 400], [300, 400]], dtype=float), 1.0)
    assert face_share_covered(face, [away]) == 0.0
    assert face_share_covered(face, []) == 0.0
    corner = Hand(np.array([[-50, -50], [50, -50], [50, 50], [-50, 50]], dtype=float), 1.0)
    both = face_share_covered(face, [half, corner])
    assert both == pytest.approx(0.75, abs=0.05)


def test_occlusion_events_merge_gaps_and_drop_flicker() -> None:
    times = [i * 0.2 for i in range(30)]
    shares: list[float | None] = [0.0] * 30
    for i in (5, 6, 7, 9, 10):  # one gap of one reading inside a spell
        shares[i] = 0.3
    shares[20] = 0.5  # a single reading: a hand passing by
    shares[25] = None  # no face there
    events = occlusion_events(times, shares, 0.2)
    assert len(events) == 1
    assert events[0].start == pytest.approx(1.0) and events[0].end == pytest.approx(2.2)
    assert events[0].value == pytest.approx(0.3)


def _samples(wrist_path: list[tuple[float, float] | None], fps: float = 5.0) -> list[BodySample]:
    out = []
    for i, wrist in enumerate(wrist_path):
        out.append(BodySample(t=i / fps, shoulders_in_view=True, shoulder_centre=(320.0, 400.0),
                              shoulder_width_px=200.0, left_wrist=wrist))
    return out


def test_gestures_counted_only_while_the_hands_move() -> None:
    still = [(300.0, 450.0)] * 10
    # One wave: the wrist moves 0.8 shoulder widths a reading (4 widths/s) for 3 readings.
    wave = [(300.0 + 160.0 * k, 450.0) for k in range(1, 4)]
    track = summarise_body(_samples(still + wave + still), 5.0)
    assert track.available
    assert track.gesture_count == 1
    gesture = next(e for e in track.events if e.kind == "gesture")
    assert gesture.value > GESTURE_WIDTHS
    assert track.movement_per_s == 0.0 and track.posture_shift_count == 0
    assert summarise_body(_samples(still * 2), 5.0).gesture_count == 0


def test_hands_out_of_view_means_no_gesture_count() -> None:
    track = summarise_body(_samples([None] * 20), 5.0)
    assert track.available and track.gesture_count is None
    assert "hands were rarely in view" in track.note
    hidden = [BodySample(t=i / 5.0, shoulders_in_view=False) for i in range(20)]
    assert not summarise_body(hidden, 5.0).available


def test_posture_shift_needs_real_displacement_not_jitter() -> None:
    rng = np.random.default_rng(3)
    # Jitter of +-4 px (0.02 shoulder widths) around a still position: no shift.
    jitter = [BodySample(t=i / 5.0, shoulders_in_view=True, shoulder_width_px=200.0,
                         shoulder_centre=(320.0 + rng.uniform(-4, 4), 400.0 + rng.uniform(-4, 4)))
              for i in range(25)]
    still = summarise_body(jitter, 5.0)
    assert still.posture_shift_count == 0 and still.movement_per_s < 0.05
    # The same, then leaning 0.5 shoulder widths to one side over one second.
    lean = [BodySample(t=(25 + i) / 5.0, shoulders_in_view=True, shoulder_width_px=200.0,
                       shoulder_centre=(320.0 + 20.0 * min(i + 1, 5), 400.0)) for i in range(15)]
    shifted = summarise_body(jitter + lean, 5.0)
    assert shifted.posture_shift_count == 1
    shift = next(e for e in shifted.events if e.kind == "posture_shift")
    assert 4.0 <= shift.start <= 5.2 and shift.value >= 0.3
