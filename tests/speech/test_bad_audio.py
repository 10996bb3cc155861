"""Bad recordings, as files through the decoder: a clear note, sensible empty results, no words
that were never said. Files are made with sox from the real fixtures (or from nothing)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from mockmirror.media.decode import load_audio
from mockmirror.speech.wer import word_errors

RATE = 16_000
JFK_TEXT = (
    "And so, my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
pytestmark = pytest.mark.skipif(shutil.which("sox") is None, reason="sox not installed")


def sox(*args: str | Path) -> None:
    subprocess.run(["sox", *map(str, args)], check=True, capture_output=True)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bad_audio")


def assert_no_speech(track, why: str) -> None:
    assert track.available
    assert track.transcript.words == [] and track.transcript.text == ""
    s = track.summary
    assert s.word_count == 0 and s.words_per_minute is None and s.response_latency_s is None
    assert s.filler_count == 0 and s.pause_count == 0 and s.mean_pitch_hz is None
    assert [e.kind for e in track.events] == ["no_speech"]
    assert track.reliability.score == 0.0
    assert track.note.startswith("no speech detected") and why in track.note


def test_silent_file(speech_analyzer, folder) -> None:
    path = folder / "silence.wav"
    sox("-n", "-r", "44100", "-c", "2", "-b", "16", path, "trim", "0", "5")
    track = speech_analyzer.analyze(load_audio(path))
    assert_no_speech(track, "silent (is the microphone muted?)")
    assert track.summary.duration_s == pytest.approx(5.0, abs=0.01)


@pytest.mark.parametrize(
    "synth",
    [
        ["whitenoise", "vol", "0.3"],
        ["pinknoise", "vol", "0.3"],
        ["brownnoise", "vol", "0.5"],
        ["sine", "50", "sine", "100", "sine", "150", "vol", "0.3"],  # mains hum
        ["whitenoise", "band", "300", "200", "tremolo", "4", "90", "vol", "0.6"],  # murmur
    ],
    ids=["white", "pink", "brown", "hum", "modulated-band"],
)
def test_noise_only_file(speech_analyzer, folder, synth) -> None:
    path = folder / f"noise-{synth[0]}-{len(synth)}.wav"
    sox("-n", "-r", "16000", "-c", "1", "-b", "16", path, "synth", "6", *synth)
    assert_no_speech(speech_analyzer.analyze(load_audio(path)), "only non-speech sound")


def test_clipped_file_is_transcribed_and_flagged(speech_analyzer, fixtures_dir, folder) -> None:
    path = folder / "clipped.wav"
    sox(fixtures_dir / "speech_more" / "jfk.flac", "-b", "16", path, "gain", "24")  # sox clips
    track = speech_analyzer.analyze(load_audio(path))
    assert word_errors(JFK_TEXT, track.transcript.text).wer <= 0.15
    assert track.summary.clipped_fraction > 0.01
    assert any(e.kind == "clipping" for e in track.events)
    assert any("clipping" in r for r in track.reliability.reasons)
    assert track.reliability.score <= 0.5


def test_telephone_band_file_is_transcribed_and_flagged(
    speech_analyzer, fixtures_dir, folder
) -> None:
    path = folder / "telephone.wav"  # 8 kHz µ-law, 300-3400 Hz: a phone line
    sox(fixtures_dir / "speech_more" / "2412-153948-0000.flac", "-r", "8000", "-e", "u-law",
        path, "sinc", "300-3400")
    wide = speech_analyzer.analyze(load_audio(fixtures_dir / "speech_more" / "2412-153948-0000.flac"))
    track = speech_analyzer.analyze(load_audio(path))
    reference = wide.transcript.text
    assert word_errors(reference, track.transcript.text).wer <= 0.15
    assert any("narrow-band" in r for r in track.reliability.reasons)
    assert not any("narrow-band" in r for r in wide.reliability.reasons)
    assert 0.8 <= track.reliability.score < 1.0
    # Pitch survives the missing fundamental band (<300 Hz): within a semitone of wide-band.
    ratio = track.summary.mean_pitch_hz / wide.summary.mean_pitch_hz
    assert abs(12 * np.log2(ratio)) < 1.0
    assert track.summary.response_latency_s == pytest.approx(wide.summary.response_latency_s,
                                                             abs=0.1)


def test_stereo_file_with_one_dead_channel(speech_analyzer, fixtures_dir, folder) -> None:
    mono = folder / "mono.wav"
    dead = folder / "dead.wav"
    stereo = folder / "stereo_dead_right.wav"
    sox(fixtures_dir / "speech_more" / "jfk.flac", "-b", "16", mono)
    sox(mono, dead, "vol", "0")
    sox("-M", mono, dead, stereo)
    one, two = (speech_analyzer.analyze(load_audio(p)) for p in (mono, stereo))
    assert two.transcript.text == one.transcript.text
    # The dead side is ignored, not averaged in (which would cost 6 dB).
    assert two.summary.mean_volume_dbfs == pytest.approx(one.summary.mean_volume_dbfs, abs=0.2)
    assert two.reliability.score == one.reliability.score


def test_several_minutes_long_file(speech_analyzer, fixtures_dir, folder) -> None:
    """5 min: real clips at 10 s, 100 s, 200 s and 280 s in faint room noise (-70 dBFS).

    Whisper only reads the speech, so this stays quick; it checks timestamps far into a long
    file, that nothing is invented in minutes of near-silence, and the long pauses.
    """
    clips = [
        (10.0, "speech_more/jfk.flac"),
        (100.0, "speech_more/2412-153948-0000.flac"),
        (200.0, "grid_av/audio_16k/sbwe5n.wav"),
        (280.0, "speech/goforward/goforward.wav"),
    ]
    audio = np.random.default_rng(5).normal(0, 10 ** (-70 / 20), 300 * RATE).astype(np.float32)
    for at, clip in clips:
        samples = load_audio(fixtures_dir / clip)
        i = round(at * RATE)
        audio[i : i + samples.size] += samples
    path = folder / "long.wav"
    import av

    with av.open(str(path), "w") as container:  # a real file, read back through the decoder
        stream = container.add_stream("pcm_s16le", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            (np.clip(audio, -1, 1) * 32767).astype(np.int16)[None, :], format="s16", layout="mono"
        )
        frame.rate = RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    track = speech_analyzer.analyze(load_audio(path))
    s = track.summary
    assert s.duration_s == pytest.approx(300.0, abs=0.05)
    words = track.transcript.words
    text = track.transcript.text.lower()
    for needle in ("country", "narrative", "blue", "forward"):
        assert needle in text
    # Every word lies inside one of the clips: none invented in the quiet minutes.
    spans = [(at, at + load_audio(fixtures_dir / c).size / RATE) for at, c in clips]
    assert all(any(a - 0.1 <= w.start and w.end <= b + 0.1 for a, b in spans) for w in words)
    forward = next(w for w in words if "forward" in w.text.lower())
    assert 280.0 < forward.start < 283.0
    assert s.response_latency_s == pytest.approx(10.3, abs=0.4)  # JFK's first word ~0.3 s in
    assert s.long_pause_count == 3 and s.longest_pause_s > 70
    assert s.filler_count == 0
    assert len(track.volume_series) == 3000
