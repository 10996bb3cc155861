"""Face analysis of a recording: per-frame measures, events and a summary (a FaceTrack).

Frames are sampled at ``settings.media.video_fps`` (10 fps by default) for everything a coach
reads off a face over seconds: presence, head pose, gaze and eye contact, smile, expression.

Blinks are faster than that: a blink's closed phase lasts ~50-150 ms, so at 10 fps one in three
falls between samples (measured on the fixtures: at ~12 fps, 3 of 8 blinks were missed in one
clip). The eye state is therefore also read on a denser stream, every frame up to
settings.face.blink_sample_fps (the landmarker runs on those frames, the rest of the pipeline does not), and
an eye counts as closed when its eye aspect ratio drops below ``blink_ear_threshold`` or
MediaPipe's eyeBlink blendshapes say it is shut (the blendshape catches closures the 6-point EAR
misreads at an angle; the EAR catches short, partial blinks the blendshape rates below 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from types import TracebackType

import numpy as np

from mockmirror.core.types import Event, ProgressFn, no_progress
from mockmirror.face import events as face_events
from mockmirror.face import geometry
from mockmirror.face.expression import ExpressionClassifier, align_face
from mockmirror.face.landmarks import FaceLandmarker, FaceLandmarks, Mode
from mockmirror.face.summary import assess_reliability, head_speed, summarise
from mockmirror.face.track import EXPRESSIONS, FaceFrame, FaceTrack
from mockmirror.media.decode import iter_frames, probe
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings

# Eye-state sampling rate for blinks (every frame of a 24-30 fps video). Set <= video_fps to
# read blinks only on the regular samples (about 2.5x faster, misses short blinks).
# eyeBlinkLeft/Right mean at or above this = eyes shut.
BLINK_BLENDSHAPE_CLOSED = 0.5
# Crying pulls the mouth corners like a smile (Wolfgang clip: mouthSmile 0.9 while the expression
# model reads sad 0.9), so a smile also needs the face not to read as distress: the expression
# model's angry + disgust + fear + sad below this.
SMILE_MAX_DISTRESS = 0.5
DISTRESS = ("angry", "disgust", "fear", "sad")
EXPRESSION_BATCH = 64
PROGRESS_STAGE = "face"


def eyes_closed(ear_left: float, ear_right: float, closure: float, ear_threshold: float) -> bool:
    """Both eyes shut: mean EAR below the threshold, or the blink blendshapes say so."""
    return (ear_left + ear_right) / 2.0 < ear_threshold or closure >= BLINK_BLENDSHAPE_CLOSED


def is_smiling(smile: float | None, expression: dict[str, float] | None, threshold: float
               ) -> bool:
    """Mouth smiling (blendshapes) on a face the expression model does not read as distress."""
    if smile is None or smile < threshold:
        return False
    distress = sum(expression.get(name, 0.0) for name in DISTRESS) if expression else 0.0
    return distress < SMILE_MAX_DISTRESS


def brightness(rgb: np.ndarray) -> float:
    """Mean grey level (0..255) on a 1-in-4 pixel grid (enough for "is it dark")."""
    sample = rgb[::4, ::4].astype(np.float32)
    return float((sample @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).mean())


@dataclass
class _Recording:
    """What analysing one recording accumulates."""

    frames: list[FaceFrame] = field(default_factory=list)
    rotations: list[np.ndarray | None] = field(default_factory=list)  # raw head rotations
    eye_samples: list[face_events.EyeSample] = field(default_factory=list)
    crops: list[np.ndarray] = field(default_factory=list)  # faces waiting for the classifier
    crop_rows: list[int] = field(default_factory=list)


class FaceAnalyzer:
    """Analyse the face in recordings. Reusable; call :meth:`close` (or use ``with``) when done."""

    def __init__(self, settings: Settings, store: ModelStore | None = None) -> None:
        self.settings = settings
        self.store = store or ModelStore(settings.model_dir)
        self.blink_sample_fps = settings.face.blink_sample_fps
        self._classifier: ExpressionClassifier | None = None

    # -- resources -------------------------------------------------------------------------
    def _expression_classifier(self) -> ExpressionClassifier:
        if self._classifier is None:
            self._classifier = ExpressionClassifier.from_store(self.store)
        return self._classifier

    def close(self) -> None:
        self._classifier = None

    def __enter__(self) -> FaceAnalyzer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # -- analysis --------------------------------------------------------------------------
    def analyze(
        self, path: Path | str, progress: ProgressFn = no_progress,
        duration_s: float | None = None,
    ) -> FaceTrack:
        """Face measures of one recording.

        Audio-only input gives ``FaceTrack.unavailable``; a video without faces gives a track
        with a note and reliability 0. Undecodable input raises ``MediaError``.
        """
        info = probe(path)  # raises MediaError for files that are not media
        if not info.has_video:
            return FaceTrack.unavailable("the recording has no video, so the face was not analysed")
        duration = duration_s if duration_s else info.duration
        row_fps = self.settings.media.video_fps
        if info.video_fps > 0:
            row_fps = min(row_fps, info.video_fps)
        row_step = 1.0 / row_fps
        dense_fps = max(self.settings.media.video_fps, self.blink_sample_fps)
        dense_step = 1.0 / min(dense_fps, info.video_fps) if info.video_fps > 0 else 1.0 / dense_fps

        record = _Recording()
        progress(PROGRESS_STAGE, 0.0)
        with FaceLandmarker.from_store(
            self.store, Mode.VIDEO, min_confidence=self.settings.face.min_face_confidence
        ) as landmarker:
            next_row_t = 0.0
            for frame in iter_frames(path, fps=dense_fps):
                result = landmarker.detect_video(frame.rgb, frame.t)
                face = result.main
                eyes = self._eye_state(face)
                record.eye_samples.append(
                    face_events.EyeSample(frame.t, None if eyes is None else eyes[2])
                )
                if frame.t + 1e-6 < next_row_t:
                    continue
                next_row_t = max(next_row_t + row_step, frame.t + row_step * 0.5)
                self._add_row(record, frame.t, frame.rgb, face, result.face_count, eyes)
                if len(record.crops) >= EXPRESSION_BATCH:
                    self._classify_pending(record)
                if duration > 0:
                    progress(PROGRESS_STAGE, min(1.0, frame.t / duration))
        self._classify_pending(record)
        progress(PROGRESS_STAGE, 1.0)
        return self._build_track(record, row_fps, row_step, dense_step, duration)

    def _eye_state(self, face: FaceLandmarks | None) -> tuple[float, float, bool] | None:
        """(EAR left, EAR right, eyes closed) or None without a face."""
        if face is None:
            return None
        ear_left, ear_right = geometry.eye_aspect_ratios(face.points)
        closed = eyes_closed(ear_left, ear_right, geometry.eye_closure(face.blendshapes),
                             self.settings.face.blink_ear_threshold)
        return ear_left, ear_right, closed

    def _add_row(self, record: _Recording, t: float, rgb: np.ndarray,
                 face: FaceLandmarks | None, face_count: int,
                 eyes: tuple[float, float, bool] | None) -> None:
        row = FaceFrame(t=t, face_found=face is not None, face_count=face_count,
                        brightness=brightness(rgb))
        record.frames.append(row)
        if face is None or eyes is None:
            record.rotations.append(None)
            return
        record.rotations.append(face.matrix[:3, :3].copy())
        ear_left, ear_right, closed = eyes
        pose = geometry.pose_towards_camera(
            geometry.head_pose_from_matrix(face.matrix), geometry.camera_direction(face.matrix)
        )
        gaze = geometry.estimate_gaze(face.points, pose)
        row.face_box = face.box
        row.face_width_px = face.width_px
        row.ear_left, row.ear_right, row.eyes_closed = ear_left, ear_right, closed
        row.head_yaw_deg, row.head_pitch_deg, row.head_roll_deg = pose.yaw, pose.pitch, pose.roll
        row.gaze_yaw_deg, row.gaze_pitch_deg = gaze.yaw, gaze.pitch
        # Shut eyes make no eye contact, whatever the iris landmarks say.
        row.eye_contact = (not closed) and gaze.off_axis <= self.settings.face.eye_contact_max_deg
        row.smile = geometry.smile_level(face.blendshapes)
        row.blendshapes = dict(face.blendshapes)
        record.crops.append(align_face(rgb, face.points))
        record.crop_rows.append(len(record.frames) - 1)

    def _classify_pending(self, record: _Recording) -> None:
        if not record.crops:
            return
        probs = self._expression_classifier().predict(np.stack(record.crops))
        for row_index, row_probs in zip(record.crop_rows, probs, strict=True):
            row = record.frames[row_index]
            row.expression = {
                name: float(p) for name, p in zip(EXPRESSIONS, row_probs, strict=True)
            }
            row.smiling = is_smiling(row.smile, row.expression,
                                     self.settings.face.smile_threshold)
        record.crops.clear()
        record.crop_rows.clear()

    def _build_track(self, record: _Recording, row_fps: float, row_step: float,
                     dense_step: float, duration: float) -> FaceTrack:
        frames = record.frames
        if not frames:
            return FaceTrack.unavailable("no video frames could be decoded")
        end = duration if duration > 0 else None
        blinks, closed_spells = face_events.blink_events(
            record.eye_samples, self.settings.face.blink_min_frames, dense_step, end
        )
        events: list[Event] = [
            *blinks, *closed_spells,
            *face_events.smile_events(frames, row_step, end),
            *face_events.gaze_away_events(frames, row_step, end),
            *face_events.no_face_events(frames, row_step, end),
            *face_events.multiple_faces_events(frames, row_step, end),
        ]
        events.sort(key=lambda e: (e.start, e.kind))
        summary = summarise(
            frames, events,
            eyes_measured_s=_visible_time(record.eye_samples, dense_step),
            head_movement_deg_per_s=head_speed([f.t for f in frames], record.rotations, row_step),
        )
        reliability = assess_reliability(frames, summary)
        note = "" if summary.face_visible_ratio > 0 else "no face was found in the video"
        return FaceTrack(available=True, frames=frames, events=events, summary=summary,
                         reliability=reliability, fps=row_fps, note=note)


def _visible_time(samples: list[face_events.EyeSample], step: float) -> float:
    """Seconds during which the eyes could be measured (gaps count at most one step)."""
    total = 0.0
    for before, after in pairwise(samples):
        if before.closed is not None:
            total += min(after.t - before.t, 2 * step)
    if samples and samples[-1].closed is not None:
        total += step
    return total
