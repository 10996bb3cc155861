"""Geometry on synthetic landmarks and known rotations (no models)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mockmirror.face import geometry as g


def _eye(width: float, opening: float) -> np.ndarray:
    """Six-point eye (corner, 2 upper, corner, 2 lower) with the given lid opening."""
    half = opening / 2
    return np.array([
        [0.0, 0.0], [width / 3, -half], [2 * width / 3, -half],
        [width, 0.0], [2 * width / 3, half], [width / 3, half],
    ])


def test_eye_aspect_ratio_open_vs_closed() -> None:
    open_ear = g.eye_aspect_ratio(_eye(30.0, 9.0))
    closed_ear = g.eye_aspect_ratio(_eye(30.0, 1.5))
    assert open_ear == pytest.approx(0.30)
    assert closed_ear == pytest.approx(0.05)
    assert closed_ear < 0.18 < open_ear  # the default blink threshold separates them


def test_eye_aspect_ratio_is_scale_free_and_safe() -> None:
    assert g.eye_aspect_ratio(_eye(300.0, 90.0)) == pytest.approx(0.30)
    assert g.eye_aspect_ratio(np.zeros((6, 2))) == 0.0


@pytest.mark.parametrize(
    ("yaw", "pitch", "roll"),
    [(0, 0, 0), (30, 0, 0), (-25, 0, 0), (0, 20, 0), (0, -15, 0), (0, 0, 12), (20, -10, 5),
     (-40, 25, -15)],
)
def test_head_pose_round_trip(yaw: float, pitch: float, roll: float) -> None:
    matrix = np.eye(4)
    matrix[:3, :3] = g.rotation_from_pose(g.HeadPose(yaw, pitch, roll))
    pose = g.head_pose_from_matrix(matrix)
    assert (pose.yaw, pose.pitch, pose.roll) == pytest.approx((yaw, pitch, roll), abs=1e-6)


def test_head_pose_signs_follow_the_camera_frame() -> None:
    # Camera frame: x right in the image, y up, z towards the viewer.
    turn = math.radians(20)
    towards_image_right = np.array([[math.cos(turn), 0, math.sin(turn)], [0, 1, 0],
                                    [-math.sin(turn), 0, math.cos(turn)]])
    assert g.head_pose_from_matrix(towards_image_right).yaw == pytest.approx(20)
    # Nose pointing up: the forward axis (third column) gains +y.
    up = np.array([[1, 0, 0], [0, math.cos(turn), math.sin(turn)],
                   [0, -math.sin(turn), math.cos(turn)]])
    assert g.head_pose_from_matrix(up).pitch == pytest.approx(20)


def test_head_pose_ignores_uniform_scale() -> None:
    matrix = np.eye(4)
    matrix[:3, :3] = 1.7 * g.rotation_from_pose(g.HeadPose(10, -5, 3))
    pose = g.head_pose_from_matrix(matrix)
    assert (pose.yaw, pose.pitch, pose.roll) == pytest.approx((10, -5, 3), abs=1e-6)


def test_rotation_angle_between_poses() -> None:
    a = g.rotation_from_pose(g.HeadPose(0, 0, 0))
    b = g.rotation_from_pose(g.HeadPose(15, 0, 0))
    assert g.rotation_angle_deg(a, b) == pytest.approx(15)
    assert g.rotation_angle_deg(b, b) == pytest.approx(0, abs=1e-5)


def test_camera_direction_from_translation() -> None:
    centred = np.eye(4)
    centred[:3, 3] = (0, 0, -60)
    assert g.camera_direction(centred) == pytest.approx((0, 0))
    high_left = np.eye(4)
    high_left[:3, 3] = (-10, 10, -60)  # face up and to the left of the optical axis
    yaw, pitch = g.camera_direction(high_left)
    assert yaw > 0  # the lens is to the face's image-right
    assert pitch < 0  # and below it


def _synthetic_face(eye_yaw: float, head_yaw: float, iris_up: float = g.IRIS_REST_UP_W,
                    width: float = 30.0) -> np.ndarray:
    """478 points with both eyes drawn by the eyeball model (orthographic camera)."""
    points = np.zeros((478, 3))
    cos_h = math.cos(math.radians(head_yaw))
    for centre_x, corners, iris in ((100.0, g.RIGHT_EYE_CORNERS, g.RIGHT_IRIS_CENTER),
                                    (160.0, g.LEFT_EYE_CORNERS, g.LEFT_IRIS_CENTER)):
        half = width / 2 * cos_h
        points[corners[0]] = (centre_x - half, 100.0, 0.0)
        points[corners[1]] = (centre_x + half, 100.0, 0.0)
        gaze = math.radians(head_yaw + eye_yaw)
        seen_x = width * (g.IRIS_RADIUS_W * math.sin(gaze)
                          - g.EYEBALL_DEPTH_W * math.sin(math.radians(head_yaw)))
        points[iris] = (centre_x + seen_x, 100.0 - iris_up * width * cos_h, 0.0)
    return points


def test_gaze_straight_at_the_lens() -> None:
    gaze = g.estimate_gaze(_synthetic_face(0.0, 0.0), g.HeadPose(0, 0, 0))
    assert gaze.yaw == pytest.approx(0, abs=1e-6)
    assert gaze.pitch == pytest.approx(0, abs=1e-6)
    assert gaze.off_axis == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize(("head_yaw", "eye_yaw"), [(20, -20), (-25, 25), (15, 0), (0, 20)])
def test_gaze_combines_head_and_eyes(head_yaw: float, eye_yaw: float) -> None:
    """Head turned, eyes back to the lens -> eye contact; head turned, eyes ahead -> not."""
    gaze = g.estimate_gaze(_synthetic_face(eye_yaw, head_yaw), g.HeadPose(head_yaw, 0, 0))
    assert gaze.yaw == pytest.approx(head_yaw + eye_yaw, abs=1e-6)


def test_gaze_up_and_down() -> None:
    looking_up = _synthetic_face(0.0, 0.0, iris_up=g.IRIS_REST_UP_W + 0.1)
    assert g.estimate_gaze(looking_up, g.HeadPose(0, 0, 0)).pitch > 10
    looking_down = _synthetic_face(0.0, 0.0, iris_up=g.IRIS_REST_UP_W - 0.1)
    assert g.estimate_gaze(looking_down, g.HeadPose(0, 0, 0)).pitch < -10


def test_pose_towards_camera_subtracts_the_line_of_sight() -> None:
    pose = g.pose_towards_camera(g.HeadPose(10, -5, 2), (4, -8))
    assert (pose.yaw, pose.pitch, pose.roll) == pytest.approx((6, 3, 2))


def test_smile_and_closure_from_blendshapes() -> None:
    assert g.smile_level({"mouthSmileLeft": 0.8, "mouthSmileRight": 0.6}) == pytest.approx(0.7)
    assert g.smile_level({}) == 0.0
    assert g.eye_closure({"eyeBlinkLeft": 0.9, "eyeBlinkRight": 0.7}) == pytest.approx(0.8)


def test_face_box_is_normalised_and_clipped() -> None:
    points = np.array([[-10.0, 20.0, 0.0], [110.0, 70.0, 0.0]])
    box = g.face_box(points, width=100, height=100)
    assert box == pytest.approx((0.0, 0.2, 1.0, 0.5))
