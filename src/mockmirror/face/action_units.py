"""FACS action units approximated from MediaPipe's 52 blendshapes, and plain-text AU summaries.

MediaPipe's blendshapes are ARKit-style face-rig coefficients, not FACS codes; several map onto
one action unit closely (mouthSmile ~ AU12 lip corner puller), others only roughly. Each AU here
is the mean of its left/right blendshapes, taken *relative to the person's resting level* in the
recording (the 10th percentile of that blendshape over the face frames): some blendshapes rest
well above 0 (eyeSquint reads 0.3-0.46 on a relaxed face in the GRID clips), and a fixed cut
would call a resting face "lid tightener, moderate".

MediaPipe v2 never fires cheekSquint (0.00 on every fixture frame, laughing included), so AU6
(cheek raiser) is read as eye narrowing during a lip-corner pull: the eyeSquint rise above rest,
counted only while AU12 is at least weak. Without a smile the same rise is AU7 (lid tightener).
Intensities are 0..1; levels: weak >= 0.15, moderate >= 0.35, strong >= 0.6.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mockmirror.core.clock import clock
from mockmirror.face.track import FaceFrame


@dataclass(frozen=True, slots=True)
class ActionUnit:
    code: str  # "AU12"
    name: str  # FACS name, "lip corner puller"
    blendshapes: tuple[str, ...]  # averaged, relative to rest


# The mapping table (docs/face.md repeats it). AU6 and AU7 share eyeSquint; see the module doc.
ACTION_UNITS: tuple[ActionUnit, ...] = (
    ActionUnit("AU1", "inner brow raiser", ("browInnerUp",)),
    ActionUnit("AU2", "outer brow raiser", ("browOuterUpLeft", "browOuterUpRight")),
    ActionUnit("AU4", "brow lowerer", ("browDownLeft", "browDownRight")),
    ActionUnit("AU6", "cheek raiser", ("cheekSquintLeft", "cheekSquintRight")),
    ActionUnit("AU7", "lid tightener", ("eyeSquintLeft", "eyeSquintRight")),
    ActionUnit("AU9", "nose wrinkler", ("noseSneerLeft", "noseSneerRight")),
    ActionUnit("AU10", "upper lip raiser", ("mouthUpperUpLeft", "mouthUpperUpRight")),
    ActionUnit("AU12", "lip corner puller", ("mouthSmileLeft", "mouthSmileRight")),
    ActionUnit("AU14", "dimpler", ("mouthDimpleLeft", "mouthDimpleRight")),
    ActionUnit("AU15", "lip corner depressor", ("mouthFrownLeft", "mouthFrownRight")),
    ActionUnit("AU17", "chin raiser", ("mouthShrugLower",)),
    ActionUnit("AU20", "lip stretcher", ("mouthStretchLeft", "mouthStretchRight")),
    ActionUnit("AU23", "lip tightener", ("mouthPucker",)),
    ActionUnit("AU24", "lip pressor", ("mouthPressLeft", "mouthPressRight")),
    ActionUnit("AU25", "lips part", ("jawOpen",)),  # minus mouthClose (lips held shut)
    ActionUnit("AU26", "jaw drop", ("jawOpen",)),
    ActionUnit("AU28", "lip suck", ("mouthRollLower", "mouthRollUpper")),
    ActionUnit("AU45", "eye closure / blink (AU43/45)", ("eyeBlinkLeft", "eyeBlinkRight")),
)
AU_NAMES: dict[str, str] = {au.code: au.name for au in ACTION_UNITS}
AU_CODES: tuple[str, ...] = tuple(au.code for au in ACTION_UNITS)

REST_PERCENTILE = 10.0
WEAK, MODERATE, STRONG = 0.15, 0.35, 0.6
# AU26 (jaw drop) needs the jaw clearly open, AU25 only the lips apart: jawOpen 0.1-0.2 is
# ordinary speech with parted lips (GRID speakers read 0.18 median while talking).
JAW_DROP_FROM = 0.25
# Gaps this short do not split an AU stretch; stretches shorter than this are not described
# (brief ones are reported as brief_expression events instead).
MERGE_GAP_S = 0.5
MIN_STRETCH_S = 0.5


def rest_levels(frames: Sequence[FaceFrame]) -> dict[str, float]:
    """Per-blendshape resting level: the REST_PERCENTILE over the frames with blendshapes."""
    rows = [f.blendshapes for f in frames if f.blendshapes]
    if not rows:
        return {}
    names = rows[0].keys()
    return {name: float(np.percentile([r.get(name, 0.0) for r in rows], REST_PERCENTILE))
            for name in names}


def _relative(blendshapes: Mapping[str, float], rest: Mapping[str, float], names: Sequence[str]
              ) -> float:
    values = []
    for name in names:
        base = min(rest.get(name, 0.0), 0.95)
        values.append(max(0.0, blendshapes.get(name, 0.0) - base) / (1.0 - base))
    return float(np.mean(values)) if values else 0.0


def action_units(blendshapes: Mapping[str, float], rest: Mapping[str, float] | None = None
                 ) -> dict[str, float]:
    """AU intensities (0..1) of one frame; ``rest`` from :func:`rest_levels` (None = all 0)."""
    rest = rest or {}
    out = {au.code: round(_relative(blendshapes, rest, au.blendshapes), 3) for au in ACTION_UNITS}
    squint = out["AU7"]
    if out["AU12"] >= WEAK:  # eye narrowing while smiling: the cheek raiser (see module doc)
        out["AU6"] = max(out["AU6"], squint)
        out["AU7"] = 0.0
    jaw = blendshapes.get("jawOpen", 0.0)
    lips_apart = max(0.0, jaw - blendshapes.get("mouthClose", 0.0))
    out["AU25"] = round(min(1.0, lips_apart / JAW_DROP_FROM), 3)
    out["AU26"] = round(max(0.0, jaw - JAW_DROP_FROM) / (1.0 - JAW_DROP_FROM), 3)
    return out


def level(intensity: float) -> str | None:
    """'weak', 'moderate', 'strong' or None below WEAK."""
    if intensity >= STRONG:
        return "strong"
    if intensity >= MODERATE:
        return "moderate"
    if intensity >= WEAK:
        return "weak"
    return None


@dataclass(frozen=True, slots=True)
class AUStretch:
    code: str
    start: float
    end: float
    peak: float

    @property
    def level(self) -> str:
        return level(self.peak) or "weak"

    def describe(self) -> str:
        first, last = clock(round(self.start)), clock(round(self.end))  # stretches read to the nearest second
        when = first if first == last else f"{first}–{last}"
        return f"{self.code} {AU_NAMES[self.code]}, {self.level}, {when}"


def au_stretches(frames: Sequence[FaceFrame], start: float = 0.0, end: float | None = None,
                 min_intensity: float = WEAK, codes: Sequence[str] = AU_CODES
                 ) -> list[AUStretch]:
    """Stretches where each AU is at least ``min_intensity``, within [start, end), by start time.

    Dips of up to MERGE_GAP_S are bridged; stretches shorter than MIN_STRETCH_S are dropped.
    """
    rows = [f for f in frames if f.t >= start and (end is None or f.t < end)]
    if not rows:
        return []
    step = float(np.median(np.diff([f.t for f in rows]))) if len(rows) > 1 else 0.1
    found: list[AUStretch] = []
    for code in codes:
        spans: list[list[float]] = []  # [start, last_t, peak]
        for row in rows:
            value = (row.action_units or {}).get(code, 0.0)
            if value < min_intensity:
                continue
            if spans and row.t - spans[-1][1] <= MERGE_GAP_S + step + 1e-6:
                spans[-1][1] = row.t
                spans[-1][2] = max(spans[-1][2], value)
            else:
                spans.append([row.t, row.t, value])
        for first, last, peak in spans:
            stop = last + step
            if stop - first + 1e-6 >= MIN_STRETCH_S:
                found.append(AUStretch(code, first, stop, peak))
    found.sort(key=lambda s: (s.start, s.code))
    return found


def describe_action_units(frames: Sequence[FaceFrame], start: float = 0.0,
                          end: float | None = None, min_intensity: float = WEAK,
                          skip: Sequence[str] = ("AU25", "AU26", "AU45")) -> str:
    """Plain text of the AUs seen in a time window, e.g.
    "AU12 lip corner puller, strong, 0:12–0:15; AU4 brow lowerer, weak, 0:20–0:21".

    By default lips part / jaw drop (speech) and eye closure (blinks have their own events) are
    left out; pass ``skip=()`` to keep them. Empty window or no AU: "no action units above weak".
    """
    codes = [c for c in AU_CODES if c not in set(skip)]
    stretches = au_stretches(frames, start, end, min_intensity, codes)
    if not stretches:
        return "no action units above weak"
    return "; ".join(s.describe() for s in stretches)
