"""FaceAnalyzer end to end on real recordings with the real models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from mockmirror.face.analyzer import FaceAnalyzer
from mockmirror.face.landmarks import FaceLandmarker, Mode
from mockmirror.face.track import EXPRESSIONS, FaceTrack
from mockmirror.media.decode import MediaError
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings

# Blinks in WolfgangLanger_Pexels.mp4, checked frame by frame (eyes fully shut at these times).
WOLFGANG_BLINKS_S = (6.38, 12.01, 16.10)
WOLFGANG_CRYING_S = (0.5, 3.0)  # mouth corners pulled while crying: not a smile
WOLFGANG_LAUGHING_FROM_S = 12.0


@pytest.fixture(scope="module")
def analyzer(settings: Settings) -> Iterator[FaceAnalyzer]:
    with FaceAnalyzer(settings) as face_analyzer:
        yield face_analyzer


@pytest.fixture(scope="module")
def grid_tracks(fixtures_dir: Path, analyzer: FaceAnalyzer) -> dict[str, FaceTrack]:
    clips = sorted((fixtures_dir / "grid_av").glob("*.mpg"))
    assert len(clips) == 11
    return {clip.name: analyzer.analyze(clip) for clip in clips}


@pytest.fixture(scope="module")
def wolfgang(fixtures_dir: Path, analyzer: FaceAnalyzer) -> FaceTrack:
    return analyzer.analyze(fixtures_dir / "face_videos" / "WolfgangLanger_Pexels.mp4")


def test_grid_faces_found_in_nearly_every_frame(grid_tracks: dict[str, FaceTrack]) -> None:
    for name, track in grid_tracks.items():
        assert track.available, name
        assert track.summary.frames_analyzed >= 28, name  # 3 s at 10 fps
        assert track.summary.face_visible_ratio > 0.9, name
        assert track.reliability.score > 0.9, (name, track.reliability)
        assert not [e for e in track.events if e.kind in ("no_face", "multiple_faces")], name


def test_grid_speakers_face_the_camera(grid_tracks: dict[str, FaceTrack]) -> None:
    # Measured: eye contact 0.83-1.00 per clip (blinks count as no contact), |mean yaw| <= 5.2.
    ratios = [t.summary.eye_contact_ratio for t in grid_tracks.values()]
    assert min(ratios) >= 0.75
    assert np.mean(ratios) >= 0.9
    for name, track in grid_tracks.items():
        assert abs(track.summary.mean_head_yaw_deg) < 10, name
        assert not [e for e in track.events if e.kind == "gaze_away"], name


def test_grid_rows_are_complete(grid_tracks: dict[str, FaceTrack]) -> None:
    track = grid_tracks["bbaf2n.mpg"]
    assert track.fps == 10.0
    times = [f.t for f in track.frames]
    assert times == sorted(times) and np.allclose(np.diff(times), 0.1, atol=0.021)
    row = track.frames[5]
    assert row.face_found and row.face_box is not None and row.blendshapes
    assert row.expression is not None and set(row.expression) == set(EXPRESSIONS)
    assert row.smile is not None and 0.0 <= row.smile <= 1.0
    assert row.face_width_px > 80 and row.brightness > 40
    distribution = track.summary.expression_distribution
    assert sum(distribution.values()) == pytest.approx(1.0, abs=1e-4)
    assert track.summary.dominant_expression == max(distribution, key=distribution.get)


def test_grid_blinks(grid_tracks: dict[str, FaceTrack]) -> None:
    # Checked by eye on the 25 fps frames: bbaf2n blinks at ~1.7 s and ~2.0 s.
    blinks = [e for e in grid_tracks["bbaf2n.mpg"].events if e.kind == "blink"]
    assert [round(e.start, 1) for e in blinks] == [1.7, 2.0]
    assert sum(t.summary.blink_count for t in grid_tracks.values()) >= 8  # measured: 12


def test_wolfgang_blinks(wolfgang: FaceTrack) -> None:
    blinks = [e for e in wolfgang.events if e.kind == "blink"]
    assert 3 <= len(blinks) <= 7  # measured: 5
    for moment in WOLFGANG_BLINKS_S:
        assert any(b.start - 0.1 <= moment <= b.end + 0.1 for b in blinks), moment
    assert all(b.duration <= 0.5 for b in blinks)
    # The opening 5.8 s (crying, eyes shut) is one long closure, not a string of blinks.
    assert any(e.kind == "eyes_closed" and e.start < 0.5 and e.duration > 4 for e in wolfgang.events)
    assert wolfgang.summary.blink_rate_per_min is not None


def test_wolfgang_smiles_when_laughing_not_when_crying(wolfgang: FaceTrack) -> None:
    smiles = [e for e in wolfgang.events if e.kind == "smile"]
    assert any(e.end > WOLFGANG_LAUGHING_FROM_S and e.duration > 3 for e in smiles)
    crying_start, crying_end = WOLFGANG_CRYING_S
    assert not any(e.start < crying_end and e.end > crying_start for e in smiles)
    laughing = [f for f in wolfgang.frames if f.t >= WOLFGANG_LAUGHING_FROM_S]
    assert np.mean([f.smiling for f in laughing]) > 0.8
    assert np.mean([f.expression["happy"] for f in laughing]) > 0.7
    assert wolfgang.summary.smile_count >= 1
    assert wolfgang.summary.dominant_expression == "happy"


def test_wolfgang_moves_more_than_grid_speakers(
    wolfgang: FaceTrack, grid_tracks: dict[str, FaceTrack]
) -> None:
    still = max(t.summary.head_movement_deg_per_s for t in grid_tracks.values())
    assert wolfgang.summary.head_movement_deg_per_s > 2 * still  # measured: 10.1 vs <= 2.8


def test_progress_is_reported(fixtures_dir: Path, analyzer: FaceAnalyzer) -> None:
    seen: list[float] = []
    analyzer.analyze(fixtures_dir / "grid_av" / "lbax4n.mpg",
                     progress=lambda stage, f: seen.append(f), duration_s=3.0)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


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


def test_video_without_a_face(tmp_path: Path, analyzer: FaceAnalyzer) -> None:
    video = tmp_path / "dark_room.mp4"
    _write_video(video, [np.full((240, 320, 3), 8, np.uint8) for _ in range(20)])
    track = analyzer.analyze(video)
    assert track.available and track.note == "no face was found in the video"
    assert track.summary.face_visible_ratio == 0.0
    assert track.summary.eye_contact_ratio is None
    assert track.reliability.score == 0.0
    assert [e.kind for e in track.events] == ["no_face"]
    assert track.events[0].duration == pytest.approx(2.0, abs=0.15)


def test_audio_only_and_broken_input(fixtures_dir: Path, tmp_path: Path,
                                     analyzer: FaceAnalyzer) -> None:
    audio = fixtures_dir / "grid_av" / "audio_16k" / "bbaf2n.wav"
    track = analyzer.analyze(audio)
    assert not track.available and "no video" in track.note
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x01 definitely not a video" * 100)
    with pytest.raises(MediaError):
        analyzer.analyze(broken)


def _two_faces(fixtures_dir: Path, settings: Settings) -> np.ndarray:
    """The astronaut's head twice, the right copy smaller (two people in view)."""
    photo = np.ascontiguousarray(
        cv2.imread(str(fixtures_dir / "speech_more" / "astronaut.png"))[:, :, ::-1]
    )
    with FaceLandmarker.from_store(ModelStore(settings.model_dir), Mode.IMAGE) as landmarker:
        face = landmarker.detect(photo).main
    assert face is not None
    x, y, w, h = face.box
    height, width = photo.shape[:2]
    head = photo[int((y - h / 2) * height): int((y + 1.5 * h) * height),
                 int((x - w / 2) * width): int((x + 1.5 * w) * width)]
    small = cv2.resize(head, None, fx=0.8, fy=0.8)
    canvas = np.zeros((head.shape[0] // 2 * 2, (head.shape[1] + small.shape[1]) // 2 * 2, 3),
                      np.uint8)
    canvas[: head.shape[0], : head.shape[1]] = head[: canvas.shape[0]]
    canvas[: small.shape[0], head.shape[1]: head.shape[1] + small.shape[1]] = small[
        :, : canvas.shape[1] - head.shape[1]]
    return canvas


def test_second_face_is_flagged(fixtures_dir: Path, settings: Settings, tmp_path: Path,
                                analyzer: FaceAnalyzer) -> None:
    canvas = _two_faces(fixtures_dir, settings)
    with FaceLandmarker.from_store(ModelStore(settings.model_dir), Mode.IMAGE) as landmarker:
        result = landmarker.detect(canvas)
    assert result.face_count == 2
    assert result.main is not None and result.main.box[0] < 0.5  # the larger, left face
    video = tmp_path / "two_people.mp4"
    _write_video(video, [canvas] * 15)
    track = analyzer.analyze(video)
    many = [e for e in track.events if e.kind == "multiple_faces"]
    assert len(many) == 1 and many[0].value == 2.0 and many[0].duration > 1.0
    assert track.summary.multiple_faces_ratio > 0.9
    assert any("another face" in reason for reason in track.reliability.reasons)


# Hand over the face in the Wolfgang clip, labelled by eye (benchmarks/data/
# wolfgang_hand_over_face.json): frames 58-227.
WOLFGANG_HAND_S = (2.42, 9.51)


def test_wolfgang_hand_over_face_is_found(wolfgang: FaceTrack) -> None:
    # Measured: one spell 2.42-9.63 s (hands read at 5 fps), 36 % of face frames covered.
    spells = [e for e in wolfgang.events if e.kind == "hand_over_face"]
    assert len(spells) == 1, spells
    spell = spells[0]
    assert abs(spell.start - WOLFGANG_HAND_S[0]) <= 0.3
    assert abs(spell.end - WOLFGANG_HAND_S[1]) <= 0.4
    covered = [f for f in wolfgang.frames if "hand_over_face" in f.issues]
    assert all(WOLFGANG_HAND_S[0] - 0.3 <= f.t <= WOLFGANG_HAND_S[1] + 0.4 for f in covered)
    assert 0.3 <= wolfgang.summary.hand_over_face_ratio <= 0.45
    # Covered rows count for less, and the recording's reliability says why.
    clear = [f.quality for f in wolfgang.frames if f.face_found and f.t > 11.0]
    assert max(f.quality for f in covered) < min(clear)
    assert any("hand covered" in reason for reason in wolfgang.reliability.reasons)
    assert (wolfgang.summary.cue_confidence["expression"]
            < wolfgang.summary.cue_confidence["head_pose"] * 0.67)


def test_no_hand_over_face_on_grid_speakers(grid_tracks: dict[str, FaceTrack]) -> None:
    for name, track in grid_tracks.items():
        assert track.summary.hand_over_face_ratio == 0.0, name
        assert not [e for e in track.events if e.kind == "hand_over_face"], name


def test_body_where_the_frame_shows_it(grid_tracks: dict[str, FaceTrack],
                                       wolfgang: FaceTrack) -> None:
    # GRID frames head and shoulders: shoulders measured, hands below the frame.
    for name, track in grid_tracks.items():
        body = track.body
        assert body is not None and body.available, (name, body and body.note)
        assert body.shoulders_visible_ratio >= 0.9, name
        assert body.movement_per_s is not None and body.movement_per_s < 0.1, name  # seated still
        assert body.gesture_count is None and "hands were rarely in view" in body.note, name
        assert body.sample_fps == 5.0 and len(body.samples) >= 14, name
    # The Wolfgang clip is a face close-up: the pose model guesses shoulders below the frame,
    # which must not count.
    assert wolfgang.body is not None and not wolfgang.body.available
    assert wolfgang.body.shoulders_visible_ratio < 0.2
    assert "shoulders were not in view" in wolfgang.body.note


def test_missing_hand_and_pose_models_leave_a_note_not_an_error(
        fixtures_dir: Path, settings: Settings) -> None:
    from mockmirror.models.registry import load_manifest

    specs = {name: spec for name, spec in load_manifest().items()
             if not name.startswith(("hand-", "pose-"))}
    with FaceAnalyzer(settings, ModelStore(settings.model_dir, specs)) as analyzer:
        track = analyzer.analyze(fixtures_dir / "grid_av" / "bbaf2n.mpg")
    assert track.summary.face_visible_ratio > 0.9  # the face measures do not need them
    assert track.summary.hand_over_face_ratio is None
    assert all(f.hand_over_face is None for f in track.frames)
    assert any(r.startswith("hands over the face were not checked") for r in
               track.reliability.reasons)
    assert track.body is not None and not track.body.available
    assert track.body.note.startswith("body movement was not measured")


def test_hand_over_face_becomes_advice_with_its_moment(wolfgang: FaceTrack,
                                                        grid_tracks: dict[str, FaceTrack]) -> None:
    from mockmirror.fusion.feedback import face_feedback

    point = next(p for p in face_feedback(wolfgang) if p.topic == "hand_over_face")
    assert point.kind == "improvement" and "7.2 s" in point.message and "0:02" in point.message
    assert point.evidence and abs(point.evidence[0].start - WOLFGANG_HAND_S[0]) <= 0.3
    for track in grid_tracks.values():
        assert not [p for p in face_feedback(track) if p.topic == "hand_over_face"]
