"""The live nudge rules on real GRID speech (audio) and on timed face readings (visual)."""

from __future__ import annotations

import numpy as np
import pytest

from mockmirror.media import load_audio
from mockmirror.settings import WebSettings
from mockmirror.web.cues import CueEngine, VisualSample

CLIPS = ["sbwe5n", "lbax4n", "pwij3p", "swiz3n", "brbk7n", "lrwp9a"]  # 18 s of one speaker


@pytest.fixture(scope="module")
def speech(fixtures_dir) -> np.ndarray:
    return np.concatenate([load_audio(fixtures_dir / "grid_av" / f"{c}.mpg") for c in CLIPS])


def _feed(engine: CueEngine, audio: np.ndarray) -> list:
    cues = []
    for start in range(0, len(audio), 1600):  # 100 ms chunks, as the browser sends them
        cue = engine.on_audio(audio[start : start + 1600])
        if cue is not None:
            cues.append(cue)
    return cues


def test_quiet_speech_gets_one_calm_speak_up(speech):
    cues = _feed(CueEngine(WebSettings()), speech * 0.03)  # −30 dB: a far-away microphone
    assert [c.kind for c in cues] == ["speak_up"], "one nudge: the next may come 20 s later at most"
    assert cues[0].t >= CueEngine.WARM_UP_S


def test_normal_speech_gets_no_nudge_with_the_product_thresholds(speech):
    assert _feed(CueEngine(WebSettings()), speech) == []


def test_the_pace_proxy_counts_syllable_like_peaks(speech):
    engine = CueEngine(WebSettings(cue_fast_syllables_per_s=2.0, cue_min_interval_s=0.0))
    cues = _feed(engine, speech)
    assert cues and {c.kind for c in cues} == {"slow_down"}
    levels = np.array([lv for _, lv in engine._frames_20ms])
    speech_frames = levels > max(float(np.percentile(levels, 10)) + 12.0, -55.0)
    rate = CueEngine.syllable_rate(levels, speech_frames)
    # GRID commands ("set blue with e five now") run at about 3-5 syllables a second of speech
    assert 2.0 < rate < 6.0


def test_silence_gives_no_nudge():
    assert _feed(CueEngine(WebSettings(cue_min_interval_s=0.0)), np.zeros(16_000 * 10, np.float32)) == []


def test_looking_away_for_three_seconds_gives_one_nudge():
    engine = CueEngine(WebSettings(cue_min_interval_s=20.0))
    samples = [VisualSample(t / 10, True, True) for t in range(0, 50)]  # 5 s looking at the camera
    samples += [VisualSample(t / 10, True, False) for t in range(50, 90)]  # then 4 s away
    samples += [VisualSample(t / 10, True, False) for t in range(90, 150)]  # still away: rate limit
    cues = [c for c in (engine.on_visual(s) for s in samples) if c is not None]
    assert [(c.kind, c.t) for c in cues] == [("look_at_camera", 8.0)]


def test_a_glance_away_or_closed_eyes_do_not_count():
    engine = CueEngine(WebSettings(cue_min_interval_s=0.0))
    samples = []
    for second in range(20):  # 2 s away, 1 s back, repeatedly; eyes unreadable now and then
        away = second % 3 != 2
        for tenth in range(10):
            t = second + tenth / 10
            samples.append(VisualSample(t, True, None if tenth == 5 else (not away)))
    assert [c for c in (engine.on_visual(s) for s in samples) if c is not None] == []


def test_face_out_of_view_gives_its_own_nudge():
    engine = CueEngine(WebSettings(cue_min_interval_s=0.0))
    samples = [VisualSample(t / 10, True, True) for t in range(0, 50)]
    samples += [VisualSample(t / 10, False, None) for t in range(50, 85)]
    cues = [c for c in (engine.on_visual(s) for s in samples) if c is not None]
    assert [c.kind for c in cues] == ["face_hidden"] and cues[0].t == pytest.approx(8.0)
