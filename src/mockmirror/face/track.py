"""What the face package hands downstream: per-frame rows, events and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockmirror.core.types import Event, Reliability

EXPRESSIONS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")


@dataclass(slots=True)
class FaceFrame:
    """Measures of one sampled video frame. ``None`` means "not measurable here" (no face)."""

    t: float
    face_found: bool
    face_count: int = 0
    # Face box in normalised image coordinates (x, y, width, height), for "too small/far" checks.
    face_box: tuple[float, float, float, float] | None = None
    ear_left: float | None = None  # eye aspect ratio
    ear_right: float | None = None
    eyes_closed: bool | None = None
    # Head pose relative to the line from the face to the lens (0, 0 = facing the camera).
    head_yaw_deg: float | None = None  # + = turned to the person's left (camera's right)
    head_pitch_deg: float | None = None  # + = looking up
    head_roll_deg: float | None = None  # + = tilted counter-clockwise in the image
    # Estimated gaze relative to the line to the lens (0, 0 = looking into the lens), same signs.
    gaze_yaw_deg: float | None = None
    gaze_pitch_deg: float | None = None
    eye_contact: bool | None = None
    smile: float | None = None  # 0..1, mean of mouthSmileLeft/Right blendshapes
    smiling: bool | None = None  # smile >= threshold and the expression is not distress (crying)
    expression: dict[str, float] | None = None  # probabilities over EXPRESSIONS
    blendshapes: dict[str, float] | None = None  # the 52 MediaPipe blendshapes
    face_width_px: float | None = None  # width of the face in the frame, for "sit closer"
    brightness: float | None = None  # mean grey level of the frame (0..255), even without a face
    # FACS action units approximated from the blendshapes, 0..1 relative to the person's rest
    # (see face.action_units); keys AU1 ... AU45.
    action_units: dict[str, float] | None = None
    quality: float | None = None  # 0..1 trust in this frame's measures (size, light, framing, pose)
    # Share (0..1) of the face's outline covered by a hand (face.hands), from the latest hand
    # reading (taken at face.body_sample_fps); None where hands were not checked.
    hand_over_face: float | None = None
    issues: tuple[str, ...] = ()  # why quality is lowered: dark, overexposed, small_face, ...


@dataclass(slots=True)
class FaceSummary:
    frames_analyzed: int
    face_visible_ratio: float
    eye_contact_ratio: float | None = None  # of frames with a face
    blink_count: int = 0
    blink_rate_per_min: float | None = None
    smile_ratio: float | None = None  # share of face frames with a smile
    smile_count: int = 0
    mean_head_yaw_deg: float | None = None
    mean_head_pitch_deg: float | None = None
    head_movement_deg_per_s: float | None = None  # mean absolute angular speed of the head
    expression_distribution: dict[str, float] = field(default_factory=dict)
    dominant_expression: str | None = None
    multiple_faces_ratio: float = 0.0
    duchenne_smile_count: int = 0  # smiles with eye narrowing (AU6 + AU12)
    nod_count: int = 0
    head_shake_count: int = 0
    restless_ratio: float | None = None  # share of time the head turns faster than 15 deg/s
    brief_expression_count: int = 0  # < 0.5 s looks / AU onsets (observations, not emotions)
    blink_ear_threshold: float | None = None  # the EAR threshold used (calibrated or default)
    blink_threshold_calibrated: bool = False
    eye_contact_calibrated: bool = False
    # Share of face frames with a hand over the face; None when hands were not checked.
    hand_over_face_ratio: float | None = None
    # 0..1 confidence per cue (eye_contact, blinks, expression, smile, head_pose, action_units)
    # for the fusion to weight; see docs/face.md for how each is made.
    cue_confidence: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class GazeHeatmap:
    """Dwell time per gaze direction cell (yaw x pitch, degrees relative to the lens).

    ``cells`` lists only visited cells as (yaw_centre, pitch_centre, seconds), longest first;
    gazes beyond ``limit_deg`` fall in the edge cells.
    """

    bin_deg: float
    limit_deg: float
    cells: list[tuple[float, float, float]] = field(default_factory=list)
    total_s: float = 0.0


@dataclass(slots=True)
class BodySample:
    """Upper body at one sampled frame (pixels); None where that part is not in view."""

    t: float
    shoulders_in_view: bool
    shoulder_centre: tuple[float, float] | None = None
    shoulder_width_px: float | None = None
    left_wrist: tuple[float, float] | None = None
    right_wrist: tuple[float, float] | None = None


@dataclass(slots=True)
class BodyTrack:
    """Upper-body measures of a recording (``available`` False: not in view or not analysed)."""

    available: bool
    note: str = ""
    sample_fps: float = 0.0
    samples: list[BodySample] = field(default_factory=list)
    shoulders_visible_ratio: float = 0.0
    hands_visible_ratio: float | None = None
    # Mean speed of the shoulder centre, shoulder widths per second (posture sway / shifting).
    movement_per_s: float | None = None
    posture_shift_count: int = 0
    gesture_count: int | None = None  # None: hands not in view enough to count gestures
    gesture_rate_per_min: float | None = None
    gesture_time_ratio: float | None = None  # share of hands-in-view time spent gesturing
    events: list[Event] = field(default_factory=list)  # gesture, posture_shift

    @classmethod
    def not_analysed(cls, note: str) -> BodyTrack:
        return cls(available=False, note=note)


@dataclass(slots=True)
class FaceTrack:
    """Output of face analysis over a recording (``available`` False for audio-only input)."""

    available: bool
    frames: list[FaceFrame]
    # blink, eyes_closed, smile, gaze_away, no_face, multiple_faces, nod, head_shake,
    # brief_expression, hand_over_face, gesture, posture_shift
    events: list[Event]
    summary: FaceSummary
    reliability: Reliability
    fps: float = 0.0
    note: str = ""  # why face analysis was skipped or limited, in plain words
    gaze_heatmap: GazeHeatmap | None = None  # where the eyes were and for how long
    # Upper-body posture movement and gestures where the frame shows them (face.body).
    body: BodyTrack | None = None

    @classmethod
    def unavailable(cls, note: str) -> FaceTrack:
        return cls(
            available=False,
            frames=[],
            events=[],
            summary=FaceSummary(frames_analyzed=0, face_visible_ratio=0.0),
            reliability=Reliability(0.0, (note,)),
            note=note,
        )
