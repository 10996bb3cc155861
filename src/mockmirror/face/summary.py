"""Summary numbers and a reliability score for one recording's face measures (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mockmirror.core.arrays import Float64Array
from mockmirror.core.types import Event, Reliability
from mockmirror.face.geometry import rotation_angle_deg
from mockmirror.face.track import EXPRESSIONS, FaceFrame, FaceSummary

# A blink rate from less visible time than this is too noisy to report (people blink ~15/min).
MIN_BLINK_RATE_S = 10.0
# Landmarks get coarse when the face is narrower than this (pixels).
MIN_FACE_WIDTH_PX = 80.0
# Mean grey level below which a frame counts as dark.
DARK_BRIGHTNESS = 40.0
DARK_SHARE_FLAG = 0.2
MULTIPLE_FACES_SHARE_FLAG = 0.1
FACE_VISIBLE_FLAG = 0.95
# Head speed is the rotation over this window divided by its length. Frame to frame (0.1 s) the
# landmarks' jitter dominates: still GRID speakers read 4-7 deg/s at lag 0.1 s, 1.5-3.3 deg/s
# over 0.5 s, while the head-moving Wolfgang clip reads 15 and 10 deg/s.
HEAD_SPEED_WINDOW_S = 0.5
BRIGHT_BRIGHTNESS = 225.0
# Per-frame issues that lower the recording's reliability when common: (issue, share above
# which it is reported, how much of that share comes off the score, the reason).
ISSUE_FLAGS = (
    ("cut_off", 0.2, 0.3, "part of the face is out of the frame in {share:.0%} of face frames;"
     " centre yourself"),
    ("turned_away", 0.2, 0.4, "head turned far from the camera in {share:.0%} of face frames"),
    ("hand_over_face", 0.1, 0.5, "a hand covered part of the face in {share:.0%} of face frames;"
     " expression and smile readings there count for little"),
)
TURNED_AWAY_DEG = 35.0
# The expression model's measured FER2013 validation accuracy (face_fer_accuracy benchmark).
EXPRESSION_VALIDATION_ACCURACY = 0.70


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if values else None


def head_speeds(times: Sequence[float], rotations: Sequence[Float64Array | None], step: float,
                window_s: float = HEAD_SPEED_WINDOW_S) -> list[float]:
    """Angular speeds of the head (deg/s): 3-D rotation over each ``window_s`` window.

    Windows whose ends lack a face, or whose frames are further apart than the window plus one
    sampling step (a gap in the video), are skipped.
    """
    speeds = []
    end = 0
    for start, t_start in enumerate(times):
        end = max(end, start + 1)
        while end < len(times) and times[end] - t_start < window_s - 1e-6:
            end += 1
        if end >= len(times):
            break
        dt = times[end] - t_start
        first, last = rotations[start], rotations[end]
        if first is None or last is None or dt > window_s + step + 1e-6:
            continue
        speeds.append(rotation_angle_deg(first, last) / dt)
    return speeds


def head_speed(times: Sequence[float], rotations: Sequence[Float64Array | None], step: float,
               window_s: float = HEAD_SPEED_WINDOW_S) -> float | None:
    """Mean of :func:`head_speeds` (None without a full window)."""
    return _mean(head_speeds(times, rotations, step, window_s))


def frame_quality(frame: FaceFrame, points: Float64Array, width: int, height: int
                  ) -> tuple[float, tuple[str, ...]]:
    """0..1 trust in one frame's face measures and the issues that lowered it.

    small_face: narrower than MIN_FACE_WIDTH_PX (x width/80, at least 0.3); dark / overexposed:
    mean grey level < DARK_BRIGHTNESS or > BRIGHT_BRIGHTNESS (x 0.6); cut_off: landmarks outside
    the image, i.e. part of the face is out of frame (x 0.7); turned_away: |head yaw| or |pitch|
    beyond TURNED_AWAY_DEG, where iris gaze and expression are unreliable (x 0.6).
    """
    score, issues = 1.0, []
    if frame.face_width_px is not None and frame.face_width_px < MIN_FACE_WIDTH_PX:
        score *= max(0.3, frame.face_width_px / MIN_FACE_WIDTH_PX)
        issues.append("small_face")
    if frame.brightness is not None and frame.brightness < DARK_BRIGHTNESS:
        score *= 0.6
        issues.append("dark")
    elif frame.brightness is not None and frame.brightness > BRIGHT_BRIGHTNESS:
        score *= 0.6
        issues.append("overexposed")
    xy = np.asarray(points)[:, :2]
    margin = 0.01 * max(width, height)
    if (xy[:, 0].min() < -margin or xy[:, 1].min() < -margin or xy[:, 0].max() > width + margin
            or xy[:, 1].max() > height + margin):
        score *= 0.7
        issues.append("cut_off")
    if max(abs(frame.head_yaw_deg or 0.0), abs(frame.head_pitch_deg or 0.0)) > TURNED_AWAY_DEG:
        score *= 0.6
        issues.append("turned_away")
    return round(score, 3), tuple(issues)


def cue_confidence(frames: Sequence[FaceFrame], summary: FaceSummary, eyes_measured_s: float
                   ) -> dict[str, float]:
    """0..1 confidence per cue: how much of the recording it rests on x frame quality x how
    valid the cue itself measured (docs/face.md has the figures behind each factor)."""
    with_face = [f for f in frames if f.face_found]
    if not with_face:
        return {}
    quality = float(np.mean([f.quality if f.quality is not None else 0.0 for f in with_face]))
    base = quality * summary.face_visible_ratio
    blink_time = min(1.0, eyes_measured_s / 60.0)  # a rate needs about a minute of eyes
    # A hand over the face hides the mouth/brows the expression, smile and AU readings rest on.
    uncovered = 1.0 - (summary.hand_over_face_ratio or 0.0)
    return {
        "eye_contact": round(base * (1.0 if summary.eye_contact_calibrated else 0.85), 3),
        "blinks": round(base * blink_time * (1.0 if summary.blink_threshold_calibrated else 0.85),
                        3),
        "expression": round(base * EXPRESSION_VALIDATION_ACCURACY * uncovered, 3),
        "smile": round(base * uncovered, 3),
        "head_pose": round(base, 3),
        "action_units": round(base * 0.7 * uncovered, 3),  # blendshape-to-FACS is approximate
    }


def summarise(
    frames: Sequence[FaceFrame], events: Sequence[Event], eyes_measured_s: float,
    head_movement_deg_per_s: float | None,
) -> FaceSummary:
    """Recording-level numbers. Ratios over face frames are None when no face was seen.

    ``eyes_measured_s`` is how long the eyes were visible (the blink-rate denominator).
    """
    with_face = [f for f in frames if f.face_found]
    blinks = sum(1 for e in events if e.kind == "blink")
    smiles = sum(1 for e in events if e.kind == "smile")
    kinds = [e.kind for e in events]
    summary = FaceSummary(
        frames_analyzed=len(frames),
        face_visible_ratio=len(with_face) / len(frames) if frames else 0.0,
        blink_count=blinks,
        smile_count=smiles,
        multiple_faces_ratio=(sum(1 for f in frames if f.face_count >= 2) / len(frames)
                              if frames else 0.0),
        duchenne_smile_count=sum(1 for e in events
                                 if e.kind == "smile" and e.label.startswith("Duchenne")),
        nod_count=kinds.count("nod"),
        head_shake_count=kinds.count("head_shake"),
        brief_expression_count=kinds.count("brief_expression"),
    )
    if not with_face:
        return summary
    summary.eye_contact_ratio = sum(1 for f in with_face if f.eye_contact) / len(with_face)
    if eyes_measured_s >= MIN_BLINK_RATE_S:
        summary.blink_rate_per_min = blinks / (eyes_measured_s / 60.0)
    summary.smile_ratio = sum(1 for f in with_face if f.smiling) / len(with_face)
    summary.mean_head_yaw_deg = _mean([f.head_yaw_deg for f in with_face
                                       if f.head_yaw_deg is not None])
    summary.mean_head_pitch_deg = _mean([f.head_pitch_deg for f in with_face
                                         if f.head_pitch_deg is not None])
    summary.head_movement_deg_per_s = head_movement_deg_per_s
    probs = [[f.expression[name] for name in EXPRESSIONS] for f in with_face if f.expression]
    if probs:
        mean = np.mean(np.asarray(probs), axis=0)
        summary.expression_distribution = {
            name: float(p) for name, p in zip(EXPRESSIONS, mean, strict=True)
        }
        summary.dominant_expression = EXPRESSIONS[int(np.argmax(mean))]
    return summary


def assess_reliability(frames: Sequence[FaceFrame], summary: FaceSummary) -> Reliability:
    """0..1 trust in the face measures, with the reasons that lowered it, in plain words."""
    if not frames:
        return Reliability(0.0, ("no video frames could be analysed",))
    if summary.face_visible_ratio == 0.0:
        return Reliability(0.0, ("no face was found in the video",))
    score, reasons = 1.0, []
    if summary.face_visible_ratio < FACE_VISIBLE_FLAG:
        score *= summary.face_visible_ratio
        reasons.append(f"face visible in only {summary.face_visible_ratio:.0%} of frames")
    widths = [f.face_width_px for f in frames if f.face_width_px is not None]
    if widths and (median_width := float(np.median(widths))) < MIN_FACE_WIDTH_PX:
        score *= max(0.3, median_width / MIN_FACE_WIDTH_PX)
        reasons.append(
            f"face is small in the frame ({median_width:.0f} px wide); sit closer to the camera"
        )
    if summary.multiple_faces_ratio > MULTIPLE_FACES_SHARE_FLAG:
        score *= 0.8
        reasons.append(f"another face in view in {summary.multiple_faces_ratio:.0%} of frames")
    lit = [f.brightness for f in frames if f.brightness is not None]
    dark_share = sum(1 for b in lit if b < DARK_BRIGHTNESS) / len(lit) if lit else 0.0
    if dark_share > DARK_SHARE_FLAG:
        score *= 1.0 - 0.5 * dark_share
        reasons.append(f"video is dark in {dark_share:.0%} of frames; add light in front of you")
    bright_share = sum(1 for b in lit if b > BRIGHT_BRIGHTNESS) / len(lit) if lit else 0.0
    if bright_share > DARK_SHARE_FLAG:
        score *= 1.0 - 0.5 * bright_share
        reasons.append(f"video is overexposed in {bright_share:.0%} of frames; "
                       "turn away from the window or lower the light")
    with_face = [f for f in frames if f.face_found]
    for issue, share_flag, factor, words in ISSUE_FLAGS:
        share = sum(1 for f in with_face if issue in f.issues) / len(with_face)
        if share > share_flag:
            score *= 1.0 - factor * share
            reasons.append(words.format(share=share))
    return Reliability(round(score, 3), tuple(reasons))
