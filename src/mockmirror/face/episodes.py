"""Brief expression episodes: a non-neutral look or an action unit that comes and goes in < 0.5 s.

These are *observations of the face's appearance* ("a fear-like look for 0.2 s at 0:07"), with a
confidence; they say nothing about what the person felt. An episode needs an onset: the same
look (or AU) absent for at least ONSET_QUIET_S before it, so a long expression that flickers is
not split into many "brief" ones.

Confidence = peak probability (or AU intensity) x the frame quality, halved for a one-sample
episode (one 10 fps frame is as likely a classifier flicker as a real movement).
"""

from __future__ import annotations

from collections.abc import Sequence

from mockmirror.core.types import Event
from mockmirror.face.action_units import AU_NAMES, MODERATE
from mockmirror.face.track import EXPRESSIONS, FaceFrame

BRIEF_MAX_S = 0.5
ONSET_QUIET_S = 0.5
EXPRESSION_MIN_PROB = 0.5
# Mouth opening is speech and eye closure is blinking: not expression episodes.
AU_SKIP = frozenset({"AU25", "AU26", "AU45"})
# The eyelid AUs rise during every blink; they count only on frames with the eyes open.
EYELID_AUS = frozenset({"AU6", "AU7"})
# Weaker one-frame flickers are not worth reporting.
MIN_CONFIDENCE = 0.25


def _episodes(frames: Sequence[FaceFrame], active: Sequence[bool], strength: Sequence[float],
              step: float, kind_label: str) -> list[Event]:
    events: list[Event] = []
    n = len(frames)
    i = 0
    while i < n:
        if not active[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and active[j + 1]:
            j += 1
        start = frames[i].t
        end = frames[j + 1].t if j + 1 < n else frames[j].t + step
        # Quiet before: face seen and the look absent for ONSET_QUIET_S.
        k, quiet = i - 1, True
        while k >= 0 and frames[k].t >= start - ONSET_QUIET_S - 1e-6:
            if not frames[k].face_found or active[k]:
                quiet = False
                break
            k -= 1
        enough_history = k >= 0 or (i > 0 and frames[0].t <= start - ONSET_QUIET_S + 1e-6)
        after_seen = j + 1 < n and frames[j + 1].face_found
        if quiet and enough_history and after_seen and end - start <= BRIEF_MAX_S + 1e-6:
            peak = max(strength[i : j + 1])
            quality = min((frames[x].quality or 0.0) for x in range(i, j + 1))
            confidence = peak * quality * (0.5 if i == j else 1.0)
            events.append(Event("brief_expression", start, end, value=round(peak, 3),
                                label=kind_label, confidence=round(confidence, 2)))
        i = j + 1
    return events


def brief_expression_events(frames: Sequence[FaceFrame], step: float) -> list[Event]:
    """Brief non-neutral expressions and AU onsets; label e.g. "surprise-like look" or
    "AU4 brow lowerer"; value = peak probability / intensity."""
    events: list[Event] = []
    for name in EXPRESSIONS:
        if name == "neutral":
            continue
        active, strength = [], []
        for f in frames:
            probs = f.expression
            top = probs is not None and max(probs, key=probs.__getitem__) == name
            p = probs[name] if probs else 0.0
            active.append(bool(top and p >= EXPRESSION_MIN_PROB))
            strength.append(p)
        events.extend(_episodes(frames, active, strength, step, f"{name}-like look"))
    for code, au_name in AU_NAMES.items():
        if code in AU_SKIP:
            continue
        values = [(f.action_units or {}).get(code, 0.0) for f in frames]
        active = [v >= MODERATE and not (code in EYELID_AUS and f.eyes_closed is not False)
                  for v, f in zip(values, frames, strict=True)]
        events.extend(_episodes(frames, active, values, step, f"{code} {au_name}"))
    events = [e for e in events if e.confidence >= MIN_CONFIDENCE]
    events.sort(key=lambda e: (e.start, e.label))
    return events
