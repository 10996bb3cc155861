"""The newer cues on real recordings: action units, Duchenne-like smiles, gestures, calibration,
frame quality, and bad frames that must give "no face" rather than numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from mockmirror.face.action_units import action_units, describe_action_units
from mockmirror.face.analyzer import FaceAnalyzer
from mockmirror.face.calibration import EyeContactCalibration, gaze_samples
from mockmirror.face.landmarks import FaceLandmarker, Mode
from mockmirror.face.track import FaceTrack
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings

GRID_CLIPS = ("bbaf2n.mpg", "lbax4n.mpg", "sbwe5n.mpg")


@pytest.fixture(scope="module")
def analyzer(settings: Settings) -> Iterator[FaceAnalyzer]:
    with FaceAnalyzer(settings) as face_analyzer:
        yield face_analyzer


@pytest.fixture(scope="module")
def wolfgang(fixtures_dir: Path, analyzer: FaceAnalyzer) -> FaceTrack:
    return analyzer.analyze(fixtures_dir / "face_videos" / "WolfgangLanger_Pexels.mp4")


@pytest.fixture(scope="module")
def grid(fixtures_dir: Path, analyzer: FaceAnalyzer) -> dict[str, FaceTrack]:
    return {name: analyzer.analyze(fixtures_dir / "grid_av" / name) for name in GRID_CLIPS}


@pytest.fixture(scope="module")
def photo(fixtures_dir: Path) -> np.ndarray:
    bgr = cv2.imread(str(fixtures_dir / "speech_more" / "astronaut.png"))
    return np.ascontiguousarray(bgr[:, :, ::-1])


def test_smiling_photo_has_a_strong_lip_corner_pull(photo: np.ndarray, settings: Settings) -> None:
    with FaceLandmarker.from_store(ModelStore(settings.model_dir), Mode.IMAGE) as landmarker:
        face = landmarker.detect(photo).main
    assert face is not None and len(face.blendshapes) == 52
    units = action_units(face.blendshapes)
    assert units["AU12"] >= 0.6  # measured 0.90
    assert units["AU15"] < 0.15 and units["AU4"] < 0.15  # no frown, no brow lowering


def test_laughing_is_a_duchenne_like_smile(wolfgang: FaceTrack) -> None:
    rows = [f for f in wolfgang.frames if f.face_found]
    assert all(f.action_units is not None and len(f.blendshapes) == 52 for f in rows)
    laughing = [f for f in rows if f.t >= 12.5 and not f.eyes_closed]
    assert np.median([f.action_units["AU12"] for f in laughing]) >= 0.6
    assert np.median([f.action_units["AU6"] for f in laughing]) >= 0.15
    duchenne = [e for e in wolfgang.events if e.kind == "smile" and "Duchenne" in e.label]
    assert any(e.end > 15 for e in duchenne)
    assert wolfgang.summary.duchenne_smile_count == len(duchenne) >= 1
    text = describe_action_units(wolfgang.frames, 12.0, 19.0)
    assert "AU12 lip corner puller, strong, 0:12" in text


def test_grid_speakers_do_not_smile_nod_or_fidget(grid: dict[str, FaceTrack],
                                                  wolfgang: FaceTrack) -> None:
    for name, track in grid.items():
        s = track.summary
        assert s.smile_count == 0 and s.duchenne_smile_count == 0, name
        assert s.nod_count == 0 and s.head_shake_count == 0, name
        assert s.restless_ratio == 0.0, name
        assert "AU12" not in describe_action_units(track.frames), name
    assert wolfgang.summary.restless_ratio > 0.1  # measured 0.17


def test_blink_threshold_is_calibrated_per_person(grid: dict[str, FaceTrack]) -> None:
    # bbaf2n's open eyes read EAR ~0.345, lbax4n's ~0.27: the thresholds follow.
    wide, narrow = grid["bbaf2n.mpg"].summary, grid["lbax4n.mpg"].summary
    assert wide.blink_threshold_calibrated and narrow.blink_threshold_calibrated
    assert wide.blink_ear_threshold > 0.2 > narrow.blink_ear_threshold > 0.15
    assert [round(e.start, 1) for e in grid["bbaf2n.mpg"].events if e.kind == "blink"] == [1.7, 2.0]


def test_eye_contact_calibration_from_a_clip(grid: dict[str, FaceTrack], fixtures_dir: Path,
                                             analyzer: FaceAnalyzer) -> None:
    track = grid["bbaf2n.mpg"]
    samples = gaze_samples(track)
    assert len(samples) >= 20
    cal = EyeContactCalibration.from_samples(samples, max_deg=12.0)
    recalibrated = analyzer.analyze(fixtures_dir / "grid_av" / "bbaf2n.mpg", calibration=cal)
    assert recalibrated.summary.eye_contact_calibrated
    # The speaker reads to the lens: measured on their own gaze, every open-eye frame is contact.
    open_rows = [f for f in recalibrated.frames if f.eyes_closed is False]
    assert all(f.eye_contact for f in open_rows)
    assert recalibrated.summary.eye_contact_ratio >= track.summary.eye_contact_ratio


def test_heatmap_and_confidences(grid: dict[str, FaceTrack]) -> None:
    track = grid["bbaf2n.mpg"]
    heat = track.gaze_heatmap
    assert heat is not None and heat.total_s == pytest.approx(
        0.1 * sum(1 for f in track.frames if f.eyes_closed is False), abs=0.01)
    yaw, pitch, seconds = heat.cells[0]
    assert abs(yaw) <= 10 and abs(pitch) <= 10 and seconds >= 1.0  # mostly at the lens
    confidence = track.summary.cue_confidence
    assert set(confidence) == {"eye_contact", "blinks", "expression", "smile", "head_pose",
                               "action_units"}
    assert all(0 < v <= 1 for v in confidence.values())
    assert confidence["blinks"] < 0.2  # 3 s of eyes is too little for a blink rate
    assert all(f.quality == 1.0 and f.issues == () for f in track.frames if f.face_found)


def _write_video(path: Path, frames: list[np.ndarray], fps: int = 10) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        for rgb in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


@pytest.mark.parametrize("kind", ["black", "noise", "tiny", "rotated_90", "rotated_270"])
def test_bad_frames_give_no_face(kind: str, photo: np.ndarray, tmp_path: Path,
                                 analyzer: FaceAnalyzer, settings: Settings) -> None:
    rng = np.random.default_rng(7)
    frames = {
        "black": lambda: [np.zeros((480, 640, 3), np.uint8)] * 12,
        "noise": lambda: [rng.integers(0, 256, (480, 640, 3), dtype=np.uint8) for _ in range(12)],
        "tiny": lambda: [cv2.resize(photo, (32, 32), interpolation=cv2.INTER_AREA)] * 12,
        "rotated_90": lambda: [np.ascontiguousarray(np.rot90(photo))] * 12,
        "rotated_270": lambda: [np.ascontiguousarray(np.rot90(photo, 3))] * 12,
    }[kind]()
    if kind.startswith("rotated"):
        # MediaPipe does find the sideways face (roll ~ +-80-85 deg); the analyzer must refuse it.
        with FaceLandmarker.from_store(ModelStore(settings.model_dir), Mode.IMAGE) as landmarker:
            assert landmarker.detect(frames[0]).main is not None
    video = tmp_path / f"{kind}.mp4"
    _write_video(video, frames)
    track = analyzer.analyze(video)
    assert track.available and track.summary.face_visible_ratio == 0.0
    assert track.note == "no face was found in the video"
    assert [e.kind for e in track.events] == ["no_face"]
    assert track.reliability.score == 0.0
    for row in track.frames:
        assert row.face_count == 0 and row.expression is None and row.action_units is None
        assert row.eye_contact is None and row.head_yaw_deg is None and row.gaze_yaw_deg is None
    s = track.summary
    assert s.eye_contact_ratio is None and s.smile_ratio is None and s.blink_count == 0
    assert s.cue_confidence == {} and track.gaze_heatmap.cells == []


def _placed(photo: np.ndarray, width: int, gain: float = 1.0) -> np.ndarray:
    """The photo scaled to ``width`` pixels wide in the middle of a 640x480 frame."""
    small = cv2.resize(photo, (width, width), interpolation=cv2.INTER_AREA)
    canvas = np.full((480, 640, 3), 90, np.uint8)
    top, left = (480 - width) // 2, (640 - width) // 2
    canvas[top : top + width, left : left + width] = small
    return np.clip(canvas.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def test_dark_and_small_faces_are_flagged(photo: np.ndarray, tmp_path: Path,
                                          analyzer: FaceAnalyzer) -> None:
    dark = tmp_path / "dark.mp4"
    _write_video(dark, [_placed(photo, 460, gain=0.25)] * 12)  # mean grey ~26
    track = analyzer.analyze(dark)
    assert track.summary.face_visible_ratio == 1.0  # still found, but measured with less trust
    assert all("dark" in f.issues and f.quality < 1.0 for f in track.frames)
    assert any("dark" in r for r in track.reliability.reasons) and track.reliability.score < 0.7
    small = tmp_path / "far.mp4"
    _write_video(small, [_placed(photo, 400)] * 12)  # the face itself is ~72 px wide
    track = analyzer.analyze(small)
    assert track.summary.face_visible_ratio == 1.0
    assert all("small_face" in f.issues for f in track.frames)
    assert any("sit closer" in r for r in track.reliability.reasons)
    assert track.summary.cue_confidence["eye_contact"] < 0.9


def test_closed_eyes_give_a_low_ear_on_real_frames(fixtures_dir: Path, settings: Settings) -> None:
    from mockmirror.face.geometry import eye_aspect_ratios
    from mockmirror.media.decode import iter_frames

    wanted = {2.0: "shut (crying)", 7.0: "open"}  # checked on the frames (wolfgang_blinks.json)
    ears: dict[float, float] = {}
    clip = fixtures_dir / "face_videos" / "WolfgangLanger_Pexels.mp4"
    with FaceLandmarker.from_store(ModelStore(settings.model_dir), Mode.IMAGE) as landmarker:
        for frame in iter_frames(clip, fps=10):
            moment = next((t for t in wanted if abs(frame.t - t) < 0.05), None)
            if moment is not None and moment not in ears:
                face = landmarker.detect(frame.rgb).main
                assert face is not None
                ears[moment] = float(np.mean(eye_aspect_ratios(face.points)))
    assert ears[2.0] < 0.12 < 0.25 < ears[7.0], ears


def test_mirror_tta_is_the_mean_of_both_views(fixtures_dir: Path, settings: Settings) -> None:
    from mockmirror.face.expression import ExpressionClassifier, whole_image_face

    folder = fixtures_dir / "fer2013" / "validation" / "surprise"
    faces = np.stack([whole_image_face(cv2.imread(str(p), cv2.IMREAD_GRAYSCALE))
                      for p in sorted(folder.iterdir())[:8]])
    store = ModelStore(settings.model_dir)
    plain = ExpressionClassifier.from_store(store, flip_tta=False)
    both = ExpressionClassifier.from_store(store, flip_tta=True).predict(faces)
    expected = (plain.predict(faces) + plain.predict(faces[:, :, ::-1].copy())) / 2
    assert np.allclose(both, expected, atol=1e-5)
    assert not np.allclose(both, plain.predict(faces), atol=1e-3)
