"""Pure geometry on MediaPipe face landmarks: eye openness, head pose, gaze, smile.

Coordinates. Landmark points come in pixels (x right, y down). The facial transformation matrix
maps MediaPipe's canonical face model into a camera frame with x to the right of the image, y up
and z towards the viewer (the face sits at negative z and looks along +z when it faces the lens).
All angles are in degrees:

* head yaw   + = head turned to the person's left (towards the right of the image);
* head pitch + = chin up, looking up;
* head roll  + = head tilted counter-clockwise in the image (towards the person's right shoulder);
* gaze yaw/pitch use the same signs; 0, 0 means looking straight into the lens.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from mockmirror.core.arrays import Float64Array, FloatArray

# Six-point eye contours (Soukupová & Čech 2016 order: corner, upper lid x2, other corner,
# lower lid x2, so p2/p6 and p3/p5 face each other) in MediaPipe's 478-point mesh.
RIGHT_EYE = (33, 160, 158, 133, 153, 144)  # the person's right eye (left in the image)
LEFT_EYE = (362, 385, 387, 263, 373, 380)  # the person's left eye
RIGHT_IRIS_CENTER = 468  # 469-472 ring the right iris
LEFT_IRIS_CENTER = 473  # 474-477 ring the left iris
# Eye corners used as the gaze reference: (corner towards the nose, corner towards the ear).
RIGHT_EYE_CORNERS = (133, 33)
LEFT_EYE_CORNERS = (362, 263)
FACE_OVAL = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
    152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)

# A simple eyeball model, in units of the eye's corner-to-corner width (adult means: fissure
# ~30 mm, iris centre ~10 mm in front of the eyeball's centre, and that centre ~5 mm behind the
# line joining the two eye corners). Turning the eye by an angle a moves the iris centre by
# IRIS_RADIUS * sin(a); turning the head moves the iris relative to the corners as well, because
# the iris sits in front of them (parallax). Modelling both lets gaze be read at any head pose.
IRIS_RADIUS_W = 0.33
EYEBALL_DEPTH_W = 0.17
# Looking straight ahead, the iris centre sits a little above the line joining the eye corners
# (about 2 mm). Measured: the median over the 11 GRID speakers, who read to the camera, is 0.07.
IRIS_REST_UP_W = 0.07


@dataclass(frozen=True, slots=True)
class HeadPose:
    yaw: float
    pitch: float
    roll: float


@dataclass(frozen=True, slots=True)
class Gaze:
    """Where the eyes point, relative to the line from the face to the camera lens."""

    yaw: float
    pitch: float

    @property
    def off_axis(self) -> float:
        """Angle between the gaze and the direction of the lens (degrees)."""
        return math.degrees(
            math.acos(
                max(-1.0, min(1.0, math.cos(math.radians(self.yaw)) * math.cos(
                    math.radians(self.pitch))))
            )
        )


def eye_aspect_ratio(eye: FloatArray) -> float:
    """EAR of one eye from its six (x, y) points in pixels: ~0.25-0.35 open, < 0.15 closed."""
    p = np.asarray(eye, dtype=np.float64)
    width = float(np.linalg.norm(p[0] - p[3]))
    if width <= 1e-9:
        return 0.0
    heights = float(np.linalg.norm(p[1] - p[5]) + np.linalg.norm(p[2] - p[4]))
    return heights / (2.0 * width)


def eye_aspect_ratios(points: FloatArray) -> tuple[float, float]:
    """(left, right) EAR from the full landmark array in pixels (478 x 2 or 3)."""
    xy = np.asarray(points)[:, :2]
    return eye_aspect_ratio(xy[list(LEFT_EYE)]), eye_aspect_ratio(xy[list(RIGHT_EYE)])


def _rot_x(deg: float) -> Float64Array:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _rot_y(deg: float) -> Float64Array:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def _rot_z(deg: float) -> Float64Array:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def rotation_from_pose(pose: HeadPose) -> Float64Array:
    """The 3x3 rotation for a head pose (inverse of :func:`head_pose_from_matrix`).

    Composition: yaw about the camera's vertical axis, then pitch, then roll about the face's
    own forward axis. Pitch up is a negative turn about x because y points up and z at the viewer.
    """
    return _rot_y(pose.yaw) @ _rot_x(-pose.pitch) @ _rot_z(pose.roll)


def head_pose_from_matrix(matrix: FloatArray) -> HeadPose:
    """Yaw, pitch and roll (degrees) from MediaPipe's 4x4 facial transformation matrix."""
    rotation = np.asarray(matrix, dtype=np.float64)[:3, :3]
    # The matrix may carry a uniform scale; normalise the columns to a pure rotation.
    rotation = rotation / np.linalg.norm(rotation, axis=0, keepdims=True)
    forward = rotation[:, 2]  # where the face's nose points, in camera coordinates
    yaw = math.degrees(math.atan2(forward[0], forward[2]))
    pitch = math.degrees(math.asin(max(-1.0, min(1.0, forward[1]))))
    # What is left after undoing yaw and pitch is the roll about the face's forward axis.
    rest = (_rot_y(yaw) @ _rot_x(-pitch)).T @ rotation
    roll = math.degrees(math.atan2(rest[1, 0], rest[0, 0]))
    return HeadPose(yaw=yaw, pitch=pitch, roll=roll)


def rotation_angle_deg(a: FloatArray, b: FloatArray) -> float:
    """Geodesic angle between two rotations (3x3 or 4x4 matrices), in degrees."""
    ra = np.asarray(a, dtype=np.float64)[:3, :3]
    rb = np.asarray(b, dtype=np.float64)[:3, :3]
    ra = ra / np.linalg.norm(ra, axis=0, keepdims=True)
    rb = rb / np.linalg.norm(rb, axis=0, keepdims=True)
    cos = (float(np.trace(ra.T @ rb)) - 1.0) / 2.0
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def camera_direction(matrix: FloatArray) -> tuple[float, float]:
    """(yaw, pitch) in degrees of the line from the face to the lens, from the matrix translation.

    A face at the top of the image looks at the lens by pointing down a little; this is that angle.
    """
    to_camera = -np.asarray(matrix, dtype=np.float64)[:3, 3]
    if to_camera[2] <= 1e-9:  # degenerate translation: assume the face is on the optical axis
        return 0.0, 0.0
    yaw = math.degrees(math.atan2(to_camera[0], to_camera[2]))
    pitch = math.degrees(math.atan2(to_camera[1], math.hypot(to_camera[0], to_camera[2])))
    return yaw, pitch


def iris_offset(points: FloatArray, corners: tuple[int, int], iris: int) -> tuple[float, float]:
    """Iris centre relative to the middle of the eye corners, in eye widths.

    Returns (sideways, up) along the corner-to-corner axis: sideways + = towards the right of the
    image, up + = above the corner line. Measuring along the eye's own axis cancels head roll.
    """
    xy = np.asarray(points, dtype=np.float64)[:, :2]
    a, b = xy[corners[0]], xy[corners[1]]
    axis = b - a
    width = float(np.linalg.norm(axis))
    if width <= 1e-9:
        return 0.0, 0.0
    axis /= width
    if axis[0] < 0:  # orient the axis to point to the right of the image
        axis = -axis
    up = np.array([axis[1], -axis[0]])  # image y grows downwards
    offset = xy[iris] - (a + b) / 2.0
    return float(offset @ axis) / width, float(offset @ up) / width


def _gaze_angle(offset_w: float, head_deg: float, yaw_deg: float) -> float:
    """Invert the eyeball model along one axis: the gaze angle relative to the camera axis.

    Seen from the camera, the iris centre lies IRIS_RADIUS * sin(gaze) - EYEBALL_DEPTH * sin(head)
    from the corners' midpoint (``head`` is the head's yaw for the sideways axis, its pitch for the
    vertical one), in units of the corner-to-corner width, which head yaw shrinks by cos(yaw).
    """
    seen = offset_w * math.cos(math.radians(yaw_deg)) + EYEBALL_DEPTH_W * math.sin(
        math.radians(head_deg)
    )
    return math.degrees(math.asin(max(-1.0, min(1.0, seen / IRIS_RADIUS_W))))


def pose_towards_camera(pose: HeadPose, to_camera: tuple[float, float]) -> HeadPose:
    """Head pose relative to the line from the face to the lens (0, 0 = facing the camera).

    MediaPipe's matrix assumes a virtual camera (63 degree vertical field of view), so its angles
    to the optical axis depend on that guess for a face off the image centre; the angle to the
    line of sight is what the image actually shows and what "facing the camera" means.
    """
    return HeadPose(yaw=pose.yaw - to_camera[0], pitch=pose.pitch - to_camera[1], roll=pose.roll)


def estimate_gaze(points: FloatArray, pose: HeadPose) -> Gaze:
    """Gaze of both eyes (averaged) relative to the line of sight to the lens.

    ``points`` are landmarks in pixels; ``pose`` the head pose relative to the lens (see
    :func:`pose_towards_camera`). Roll is ignored beyond measuring along each eye's own axis: it
    turns the gaze about the line of sight, which does not change how far it is from the lens.
    """
    yaws, pitches = [], []
    for corners, iris in ((RIGHT_EYE_CORNERS, RIGHT_IRIS_CENTER), (LEFT_EYE_CORNERS, LEFT_IRIS_CENTER)):
        sideways, up = iris_offset(points, corners, iris)
        yaws.append(_gaze_angle(sideways, pose.yaw, pose.yaw))
        pitches.append(_gaze_angle(up - IRIS_REST_UP_W, pose.pitch, pose.yaw))
    return Gaze(yaw=float(np.mean(yaws)), pitch=float(np.mean(pitches)))


def smile_level(blendshapes: Mapping[str, float]) -> float:
    """0..1: mean of MediaPipe's mouthSmileLeft and mouthSmileRight blendshapes."""
    return (blendshapes.get("mouthSmileLeft", 0.0) + blendshapes.get("mouthSmileRight", 0.0)) / 2.0


def eye_closure(blendshapes: Mapping[str, float]) -> float:
    """0..1: mean of the eyeBlinkLeft/Right blendshapes (1 = eyes shut)."""
    return (blendshapes.get("eyeBlinkLeft", 0.0) + blendshapes.get("eyeBlinkRight", 0.0)) / 2.0


def face_box(points: FloatArray, width: int, height: int) -> tuple[float, float, float, float]:
    """(x, y, w, h) of the landmarks' bounding box in normalised image coordinates."""
    xy = np.asarray(points, dtype=np.float64)[:, :2]
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    x0, x1 = max(0.0, x0 / width), min(1.0, x1 / width)
    y0, y1 = max(0.0, y0 / height), min(1.0, y1 / height)
    return (x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0))
