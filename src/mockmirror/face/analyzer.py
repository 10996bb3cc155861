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

import dataclasses
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from types import TracebackType

import numpy as np

from mockmirror.core.arrays import Float64Array, UInt8Array
from mockmirror.core.types import Event, MockmirrorError, ProgressFn, no_progress
from mockmirror.face import action_units as aus
from mockmirror.face import events as face_events
from mockmirror.face import geometry, gestures, hands
from mockmirror.face.body import PoseLandmarker, PosePoints, body_sample, summarise_body
from mockmirror.face.calibration import (
    EyeContactCalibration,
    EyeReading,
    calibrate_blink_threshold,
    gaze_heatmap,
)
from mockmirror.face.episodes import brief_expression_events
from mockmirror.face.expression import ExpressionClassifier, align_face
from mockmirror.face.landmarks import FaceCounter, FaceLandmarker, FaceLandmarks, Mode
from mockmirror.face.summary import (
    assess_reliability,
    cue_confidence,
    frame_quality,
    head_speeds,
    summarise,
)
from mockmirror.face.track import EXPRESSIONS, BodySample, BodyTrack, FaceFrame, FaceTrack
from mockmirror.media.decode import VideoFrame, iter_frames, probe
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings

# eyeBlinkLeft/Right mean at or above this = eyes shut.
BLINK_BLENDSHAPE_CLOSED = 0.5
# Crying pulls the mouth corners like a smile (Wolfgang clip: mouthSmile 0.9 while the expression
# model reads sad 0.9), so a smile also needs the face not to read as distress: the expression
# model's angry + disgust + fear + sad below this.
SMILE_MAX_DISTRESS = 0.5
DISTRESS = ("angry", "disgust", "fear", "sad")
# A smile is Duchenne-like when the cheek raiser (AU6, eye narrowing) is at least this in half
# of its frames (a peak alone would catch the squint of a single blink).
DUCHENNE_AU6 = aus.WEAK
EXPRESSION_BATCH = 64
# Faces are counted (for "someone else in view", events of >= 0.5 s) at most this often.
FACE_COUNT_EVERY_S = 0.2
PROGRESS_STAGE = "face"
# A row's face readings count for little while a hand covers it (expression, smile, AUs).
OCCLUDED_QUALITY_FACTOR = 0.5


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


def brightness(rgb: UInt8Array) -> float:
    """Mean grey level (0..255) on a 1-in-4 pixel grid (enough for "is it dark")."""
    sample = rgb[::4, ::4].astype(np.float32)
    return float((sample @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).mean())


@dataclass(slots=True)
class Every:
    """A sampling grid on increasing timestamps: due at most every ``step`` seconds, never
    falling behind after a gap. The face loop and the hand/body worker share it, so both pick
    the same frames."""

    step: float
    next_t: float = 0.0

    def due(self, t: float) -> bool:
        if t + 1e-6 < self.next_t:
            return False
        self.next_t = max(self.next_t + self.step, t + self.step * 0.5)
        return True


@dataclass(frozen=True, slots=True)
class BodyReading:
    """What the hand and pose models saw on one body-rate frame (None: not read there)."""

    t: float
    hands: list[hands.Hand] | None
    pose: PosePoints | None


@dataclass(slots=True)
class BodyReadings:
    """The hand and pose readings of one recording, with a note for a model that is off or
    could not load (then its readings are all None)."""

    readings: list[BodyReading] = field(default_factory=list)
    hand_note: str = ""
    body_note: str = ""
    hands_read: bool = False
    pose_read: bool = False


@dataclass
class FrameRecord:
    """What analysing one recording accumulates."""

    frames: list[FaceFrame] = field(default_factory=list)
    rotations: list[Float64Array | None] = field(default_factory=list)  # raw head rotations
    eye_readings: list[EyeReading] = field(default_factory=list)  # dense stream
    poses: list[gestures.PoseSample] = field(default_factory=list)  # dense stream
    closures: list[float | None] = field(default_factory=list)  # per row: eyeBlink mean
    crops: list[UInt8Array] = field(default_factory=list)  # faces waiting for the classifier
    crop_rows: list[int] = field(default_factory=list)
    # Hand readings (t, share of the face covered; None = no face to cover) and pose samples,
    # both at face.body_sample_fps; a note when their model could not be loaded.
    hand_readings: list[tuple[float, float | None]] = field(default_factory=list)
    body_samples: list[BodySample] = field(default_factory=list)
    hand_note: str = ""
    body_note: str = ""
    # Face landmarks (pixels) at each body-rate row, None without a face: what the hand
    # readings are compared with.
    body_faces: list[tuple[float, Float64Array | None]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Sampling:
    row_fps: float  # full rows (gaze, expression...)
    dense_fps: float  # the decoder's rate: eye state and head pose on every frame
    dense_step: float  # seconds between dense frames


def sampling(settings: Settings, video_fps: float) -> Sampling:
    """The frame rates face analysis reads a video of ``video_fps`` at (0: unknown)."""
    row_fps = settings.media.video_fps
    if video_fps > 0:
        row_fps = min(row_fps, video_fps)
    dense_fps = max(settings.media.video_fps, settings.face.blink_sample_fps)
    dense_step = 1.0 / min(dense_fps, video_fps) if video_fps > 0 else 1.0 / dense_fps
    return Sampling(row_fps, dense_fps, dense_step)


def _hand_and_pose_models(settings: Settings, store: ModelStore, stack: ExitStack,
                          readings: BodyReadings
                          ) -> tuple[hands.HandLandmarker | None, PoseLandmarker | None]:
    """The optional hand and pose models; one that cannot load leaves a note, not an error
    (the face measures do not need it)."""
    face = settings.face
    hand_model = pose_model = None
    if face.detect_hands:
        try:
            hand_model = stack.enter_context(hands.HandLandmarker.from_store(store))
            readings.hands_read = True
        except MockmirrorError as exc:
            readings.hand_note = f"hands over the face were not checked: {exc}"
    else:
        readings.hand_note = "hands over the face were not checked (turned off in settings)"
    if face.body_pose:
        try:
            pose_model = stack.enter_context(PoseLandmarker.from_store(store))
            readings.pose_read = True
        except MockmirrorError as exc:
            readings.body_note = f"body movement was not measured: {exc}"
    else:
        readings.body_note = "body movement was not measured (turned off in settings)"
    return hand_model, pose_model


def read_body(settings: Settings, store: ModelStore, path: Path | str) -> BodyReadings:
    """The hand and pose models on the body-rate frames of a video, on their own (another
    process runs them beside the face loop). Frames are picked on the face loop's grid; unlike
    the loop, frames without a face are read too (their readings are dropped when joined), so
    the models' trackers may differ from the one-process path after a spell without a face."""
    rates = sampling(settings, probe(path).video_fps)
    rows, body_rows = Every(1.0 / rates.row_fps), Every(1.0 / settings.face.body_sample_fps)
    readings = BodyReadings()
    with ExitStack() as stack:
        hand_model, pose_model = _hand_and_pose_models(settings, store, stack, readings)
        if hand_model is None and pose_model is None:
            return readings
        for frame in iter_frames(path, fps=rates.dense_fps):
            if not rows.due(frame.t) or not body_rows.due(frame.t):
                continue
            readings.readings.append(BodyReading(
                frame.t,
                hand_model.detect_video(frame.rgb, frame.t) if hand_model is not None else None,
                pose_model.detect_video(frame.rgb, frame.t) if pose_model is not None else None))
    return readings


class FaceAnalyzer:
    """Analyse the face in recordings. Reusable; call :meth:`close` (or use ``with``) when done."""

    def __init__(self, settings: Settings, store: ModelStore | None = None) -> None:
        self.settings = settings
        self.store = store or ModelStore(settings.model_dir)
        self._classifier: ExpressionClassifier | None = None

    # -- resources -------------------------------------------------------------------------
    def _expression_classifier(self) -> ExpressionClassifier:
        if self._classifier is None:
            self._classifier = ExpressionClassifier.from_settings(self.store, self.settings)
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
        duration_s: float | None = None, calibration: EyeContactCalibration | None = None,
    ) -> FaceTrack:
        """Face measures of one recording.

        Audio-only input gives ``FaceTrack.unavailable``; a video without faces gives a track
        with a note and reliability 0. Undecodable input raises ``MediaError``. ``calibration``
        (from :meth:`EyeContactCalibration.from_samples`) replaces the default eye-contact cone.
        """
        info = probe(path)  # raises MediaError for files that are not media
        if not info.has_video:
            return FaceTrack.unavailable("the recording has no video, so the face was not analysed")
        duration = duration_s if duration_s else info.duration
        rates = sampling(self.settings, info.video_fps)
        return self.analyze_frames(iter_frames(path, fps=rates.dense_fps), rates.row_fps,
                                   rates.dense_step, duration, progress, calibration)

    def read_file(self, path: Path | str, duration: float, progress: ProgressFn = no_progress,
                  ) -> FrameRecord:
        """The frame loop on a video file without the hand and pose models (``read_body`` runs
        them elsewhere); :meth:`build_track` joins the two."""
        rates = sampling(self.settings, probe(path).video_fps)
        return self.read_frames(iter_frames(path, fps=rates.dense_fps), rates.row_fps, duration,
                                progress, body=False)

    def analyze_frames(
        self, frames: Iterable[VideoFrame], row_fps: float, dense_step: float,
        duration: float = 0.0, progress: ProgressFn = no_progress,
        calibration: EyeContactCalibration | None = None,
    ) -> FaceTrack:
        """The pipeline on decoded frames (t increasing): every frame gives the eye state and
        head pose; frames at ``row_fps`` also get a full row (gaze, expression, AUs...).

        ``analyze`` feeds it from a file; the speed benchmark from memory, with ``row_fps`` at
        the frame rate so every frame goes through the whole pipeline.
        """
        record = self.read_frames(frames, row_fps, duration, progress, body=True)
        return self.build_track(record, None, row_fps, dense_step, duration, calibration)

    def read_frames(
        self, frames: Iterable[VideoFrame], row_fps: float, duration: float = 0.0,
        progress: ProgressFn = no_progress, body: bool = True,
    ) -> FrameRecord:
        """The frame loop. ``body=False`` leaves the hand and pose models to another process
        (:func:`read_body`); their readings join in :meth:`build_track`."""
        rows, body_rows = Every(1.0 / row_fps), Every(1.0 / self.settings.face.body_sample_fps)
        record = FrameRecord()
        progress(PROGRESS_STAGE, 0.0)
        confidence = self.settings.face.min_face_confidence
        with ExitStack() as stack:
            landmarker = stack.enter_context(FaceLandmarker.from_store(
                self.store, Mode.VIDEO, min_confidence=confidence, max_faces=1))
            counter = stack.enter_context(FaceCounter.from_store(self.store, confidence))
            hand_model = pose_model = None
            if body:
                readings = BodyReadings()
                hand_model, pose_model = _hand_and_pose_models(
                    self.settings, self.store, stack, readings)
                record.hand_note, record.body_note = readings.hand_note, readings.body_note
            next_count_t, in_view = 0.0, 0
            for frame in frames:
                result = landmarker.detect_video(frame.rgb, frame.t)
                face, pose = self._upright(result.main)
                self._add_dense(record, frame.t, face, pose)
                if not rows.due(frame.t):
                    continue
                if face is not None and frame.t + 1e-6 >= next_count_t:
                    in_view = counter.count(frame.rgb)
                    next_count_t = frame.t + FACE_COUNT_EVERY_S
                count = max(1, in_view) if face is not None else 0
                self._add_row(record, frame.t, frame.rgb, face, pose, count)
                if body_rows.due(frame.t):
                    record.body_faces.append((frame.t, face.points if face is not None else None))
                    if hand_model or pose_model:
                        # Read only where the candidate's face is: nothing to cover without
                        # one, and a sideways image would give a sideways body.
                        readings.readings.append(BodyReading(
                            frame.t,
                            hand_model.detect_video(frame.rgb, frame.t)
                            if hand_model is not None and face is not None else None,
                            pose_model.detect_video(frame.rgb, frame.t)
                            if pose_model is not None and face is not None else None))
                if len(record.crops) >= EXPRESSION_BATCH:
                    self._classify_pending(record)
                if duration > 0:
                    progress(PROGRESS_STAGE, min(1.0, frame.t / duration))
        self._classify_pending(record)
        if body:
            self._add_body(record, readings)
        progress(PROGRESS_STAGE, 1.0)
        return record

    @staticmethod
    def _add_body(record: FrameRecord, readings: BodyReadings) -> None:
        """Hand shares and body samples from the readings, at the body-rate rows."""
        record.hand_note = record.hand_note or readings.hand_note
        record.body_note = record.body_note or readings.body_note
        if not readings.hands_read and not readings.pose_read:
            return
        seen = {round(r.t, 6): r for r in readings.readings}
        for t, face_points in record.body_faces:
            reading = seen.get(round(t, 6))
            hands_seen = reading.hands if reading is not None else None
            pose_seen = reading.pose if reading is not None else None
            if readings.hands_read:
                # Only a face can be covered: without one there is nothing to read.
                record.hand_readings.append((t, None if face_points is None else
                                             hands.face_share_covered(face_points, hands_seen or [])))
            if readings.pose_read:
                record.body_samples.append(body_sample(t, pose_seen if face_points is not None
                                                       else None))

    def _upright(self, face: FaceLandmarks | None
                 ) -> tuple[FaceLandmarks | None, geometry.HeadPose | None]:
        """The face and its pose relative to the lens; a sideways face (rotated image, or a
        head on a pillow) counts as no face: its landmarks are unreliable."""
        if face is None:
            return None, None
        pose = geometry.pose_towards_camera(
            geometry.head_pose_from_matrix(face.matrix), geometry.camera_direction(face.matrix)
        )
        if abs(pose.roll) > self.settings.face.max_face_roll_deg:
            return None, None
        return face, pose

    @staticmethod
    def _mark_occlusion(record: FrameRecord, body_step: float) -> None:
        """Give each row the latest hand reading (if recent) and lower its quality if covered."""
        readings = record.hand_readings
        latest = -1
        for row in record.frames:
            while latest + 1 < len(readings) and readings[latest + 1][0] <= row.t + 1e-6:
                latest += 1
            if row.face_found and latest >= 0:
                FaceAnalyzer._mark_row(row, readings[latest], body_step)

    @staticmethod
    def _mark_row(row: FaceFrame, reading: tuple[float, float | None], body_step: float) -> None:
        t, share = reading
        if share is None or row.t - t > body_step + 1e-6:
            return
        row.hand_over_face = round(share, 3)
        if share >= hands.OCCLUDED_SHARE:
            row.issues = (*row.issues, "hand_over_face")
            if row.quality is not None:
                row.quality = round(row.quality * OCCLUDED_QUALITY_FACTOR, 3)

    @staticmethod
    def _add_dense(record: FrameRecord, t: float, face: FaceLandmarks | None,
                   pose: geometry.HeadPose | None) -> None:
        if face is None or pose is None:
            record.eye_readings.append(EyeReading(t, None, None))
            record.poses.append(gestures.PoseSample(t, None, None))
            return
        ear_left, ear_right = geometry.eye_aspect_ratios(face.points)
        record.eye_readings.append(EyeReading(t, (ear_left + ear_right) / 2.0,
                                              geometry.eye_closure(face.blendshapes)))
        record.poses.append(gestures.PoseSample(t, pose.yaw, pose.pitch))

    def _add_row(self, record: FrameRecord, t: float, rgb: UInt8Array,
                 face: FaceLandmarks | None, pose: geometry.HeadPose | None,
                 face_count: int) -> None:
        row = FaceFrame(t=t, face_found=face is not None, face_count=face_count,
                        brightness=brightness(rgb))
        record.frames.append(row)
        if face is None or pose is None:
            record.rotations.append(None)
            record.closures.append(None)
            return
        record.rotations.append(face.matrix[:3, :3].copy())
        record.closures.append(geometry.eye_closure(face.blendshapes))
        gaze = geometry.estimate_gaze(face.points, pose)
        row.face_box = face.box
        row.face_width_px = face.width_px
        row.ear_left, row.ear_right = geometry.eye_aspect_ratios(face.points)
        row.head_yaw_deg, row.head_pitch_deg, row.head_roll_deg = pose.yaw, pose.pitch, pose.roll
        row.gaze_yaw_deg, row.gaze_pitch_deg = gaze.yaw, gaze.pitch
        row.smile = geometry.smile_level(face.blendshapes)
        row.blendshapes = face.blendshapes
        row.quality, row.issues = frame_quality(row, face.points, face.image_width,
                                                face.image_height)
        record.crops.append(align_face(rgb, face.points))
        record.crop_rows.append(len(record.frames) - 1)

    def _classify_pending(self, record: FrameRecord) -> None:
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

    def _eye_states(self, record: FrameRecord, threshold: float,
                    calibration: EyeContactCalibration) -> list[face_events.EyeSample]:
        """Closed/open on the dense stream and on the rows, eye contact on the rows."""
        samples = []
        for r in record.eye_readings:
            closed = None if r.ear is None or r.closure is None else (
                r.ear < threshold or r.closure >= BLINK_BLENDSHAPE_CLOSED)
            samples.append(face_events.EyeSample(r.t, closed))
        for row, closure in zip(record.frames, record.closures, strict=True):
            if closure is None or row.ear_left is None or row.ear_right is None:
                continue
            row.eyes_closed = eyes_closed(row.ear_left, row.ear_right, closure, threshold)
            # Shut eyes make no eye contact, whatever the iris landmarks say.
            row.eye_contact = (not row.eyes_closed) and calibration.is_contact(
                row.gaze_yaw_deg or 0.0, row.gaze_pitch_deg or 0.0)
        return samples

    def build_track(self, record: FrameRecord, readings: BodyReadings | None, row_fps: float,
                    dense_step: float, duration: float,
                    calibration: EyeContactCalibration | None) -> FaceTrack:
        """The track from the frame loop's record; ``readings``: the hand/pose readings when
        another process made them (None: the loop did)."""
        frames = record.frames
        if not frames:
            return FaceTrack.unavailable("no video frames could be decoded")
        face = self.settings.face
        if readings is not None:
            self._add_body(record, readings)
        self._mark_occlusion(record, 1.0 / face.body_sample_fps)
        row_step = 1.0 / row_fps
        end = duration if duration > 0 else None
        blink_cal = (calibrate_blink_threshold(record.eye_readings, face.blink_ear_threshold)
                     if face.blink_calibration else None)
        threshold = blink_cal.threshold if blink_cal else face.blink_ear_threshold
        contact = calibration or EyeContactCalibration.default(face.eye_contact_max_deg)
        eye_samples = self._eye_states(record, threshold, contact)
        rest = aus.rest_levels(frames)
        for row in frames:
            if row.blendshapes:
                row.action_units = aus.action_units(row.blendshapes, rest)
        blinks, closed_spells = face_events.blink_events(
            eye_samples, face.blink_min_frames, dense_step, end
        )
        smiles = [_mark_duchenne(e, frames) for e in face_events.smile_events(frames, row_step, end)]
        events: list[Event] = [
            *blinks, *closed_spells, *smiles,
            *face_events.gaze_away_events(frames, row_step, end),
            *face_events.no_face_events(frames, row_step, end),
            *face_events.multiple_faces_events(frames, row_step, end),
            *gestures.nod_events(record.poses),
            *gestures.shake_events(record.poses),
            *brief_expression_events(frames, row_step),
            *hands.occlusion_events([t for t, _ in record.hand_readings],
                                    [share for _, share in record.hand_readings],
                                    1.0 / face.body_sample_fps, end),
        ]
        events.sort(key=lambda e: (e.start, e.kind))
        speeds = head_speeds([f.t for f in frames], record.rotations, row_step)
        eyes_measured_s = _visible_time(eye_samples, dense_step)
        summary = summarise(
            frames, events, eyes_measured_s=eyes_measured_s,
            head_movement_deg_per_s=float(np.mean(speeds)) if speeds else None,
        )
        summary.restless_ratio = gestures.restless_ratio(speeds)
        summary.blink_ear_threshold = threshold
        summary.blink_threshold_calibrated = bool(blink_cal and blink_cal.calibrated)
        summary.eye_contact_calibrated = contact.calibrated
        if record.hand_readings:
            with_face = [f for f in frames if f.face_found]
            summary.hand_over_face_ratio = (
                round(sum(1 for f in with_face if "hand_over_face" in f.issues) / len(with_face), 3)
                if with_face else None)
        summary.cue_confidence = cue_confidence(frames, summary, eyes_measured_s)
        reliability = assess_reliability(frames, summary)
        if record.hand_note and summary.face_visible_ratio > 0:
            reliability = dataclasses.replace(
                reliability, reasons=(*reliability.reasons, record.hand_note))
        body = (summarise_body(record.body_samples, face.body_sample_fps) if record.body_samples
                else BodyTrack.not_analysed(record.body_note or "no frames were sampled for the body"))
        note = "" if summary.face_visible_ratio > 0 else "no face was found in the video"
        heatmap = gaze_heatmap(
            [(f.gaze_yaw_deg, f.gaze_pitch_deg) for f in frames
             if f.gaze_yaw_deg is not None and f.gaze_pitch_deg is not None and not f.eyes_closed],
            row_step,
        )
        # Gestures and posture shifts join the face events so timelines show them together.
        events = sorted([*events, *body.events], key=lambda e: (e.start, e.kind))
        return FaceTrack(available=True, frames=frames, events=events, summary=summary,
                         reliability=reliability, fps=row_fps, note=note, gaze_heatmap=heatmap,
                         body=body)


def _mark_duchenne(smile: Event, frames: list[FaceFrame]) -> Event:
    """Label a smile "Duchenne-like (AU6+AU12)" when the eyes narrow with it."""
    inside = [f for f in frames if smile.start <= f.t < smile.end and f.action_units]
    au6 = [f.action_units["AU6"] for f in inside if f.action_units and not f.eyes_closed]
    if au6 and float(np.median(au6)) >= DUCHENNE_AU6:
        return dataclasses.replace(smile, label="Duchenne-like (AU6+AU12)")
    return smile


def _visible_time(samples: list[face_events.EyeSample], step: float) -> float:
    """Seconds during which the eyes could be measured (gaps count at most one step)."""
    total = 0.0
    for before, after in pairwise(samples):
        if before.closed is not None:
            total += min(after.t - before.t, 2 * step)
    if samples and samples[-1].closed is not None:
        total += step
    return total
