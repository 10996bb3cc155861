"""Decoding real recordings, and clear errors for inputs that are not recordings."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from mockmirror.media import MediaError, iter_frames, load_audio, probe


def test_grid_clip_probe_audio_and_frames(fixtures_dir):
    clip = fixtures_dir / "grid_av" / "bbaf2n.mpg"
    info = probe(clip)
    assert info.has_audio and info.has_video
    assert (info.width, info.height) == (360, 288)
    assert info.duration == pytest.approx(3.0, abs=0.1)
    audio = load_audio(clip, 16_000)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) / 16_000 == pytest.approx(info.duration, abs=0.1)
    assert 0.05 < float(np.abs(audio).max()) <= 1.0
    frames = list(iter_frames(clip, fps=10))
    assert 28 <= len(frames) <= 31
    times = np.array([f.t for f in frames])
    assert np.all(np.diff(times) > 0)
    # Evenly spaced on the 10 fps grid (25 fps source: samples land within one source frame).
    assert np.abs(np.diff(times) - 0.1).max() <= 0.041
    assert frames[0].rgb.shape == (288, 360, 3) and frames[0].rgb.dtype == np.uint8


def test_audio_only_flac_and_matching_16k_reference(fixtures_dir):
    info = probe(fixtures_dir / "speech_more" / "jfk.flac")
    assert info.has_audio and not info.has_video
    ours = load_audio(fixtures_dir / "grid_av" / "bbaf2n.mpg")
    reference_wav = fixtures_dir / "grid_av" / "audio_16k" / "bbaf2n.wav"
    reference = load_audio(reference_wav)
    # Resampled from the mpg's own audio: same length and strongly correlated with the reference.
    n = min(len(ours), len(reference))
    assert abs(len(ours) - len(reference)) < 1600
    corr = np.corrcoef(ours[:n], reference[:n])[0, 1]
    assert corr > 0.9


def test_large_frames_are_downscaled(fixtures_dir):
    frame = next(iter_frames(fixtures_dir / "face_videos" / "single_face.mp4", fps=10, max_width=320))
    assert frame.rgb.shape[1] == 320


def _write_video(path: Path, frames: int, with_audio: bool = False) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            image = np.full((48, 64, 3), i * 20 % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.mp4", None, "no such file"),
        ("empty.mp4", b"", "empty"),
        ("notes.mp4", b"these are my interview notes, not a video\n" * 20, "not a readable"),
        ("garbage.webm", bytes(range(256)) * 64, "not a readable"),
    ],
)
def test_bad_files_raise_one_line_media_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(MediaError, match=message) as info:
        probe(path)
    assert "\n" not in str(info.value)


def test_video_without_audio_stream(tmp_path):
    path = tmp_path / "silent.mp4"
    _write_video(path, frames=10)
    info = probe(path)
    assert info.has_video and not info.has_audio
    with pytest.raises(MediaError, match="no audio stream"):
        load_audio(path)
    assert len(list(iter_frames(path, fps=10))) >= 9


def test_corrupted_tail_keeps_what_decodes(fixtures_dir, tmp_path):
    data = (fixtures_dir / "grid_av" / "bbaf2n.mpg").read_bytes()
    truncated = tmp_path / "cut.mpg"
    truncated.write_bytes(data[: len(data) // 2])
    frames = list(iter_frames(truncated, fps=10))
    assert 5 <= len(frames) <= 20
    audio = load_audio(truncated)
    assert 0.5 < len(audio) / 16_000 < 2.5


def test_stereo_with_dead_channel_is_not_halved(tmp_path, fixtures_dir):
    mono = load_audio(fixtures_dir / "speech" / "cards" / "001.wav")
    path = tmp_path / "stereo.wav"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=16_000, layout="stereo")
        pcm = (np.stack([mono, np.zeros_like(mono)]) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm.T.reshape(1, -1), format="s16", layout="stereo")
        frame.sample_rate = 16_000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    decoded = load_audio(path)
    n = min(len(decoded), len(mono))
    assert np.abs(decoded[:n]).max() == pytest.approx(np.abs(mono[:n]).max(), rel=0.02)
