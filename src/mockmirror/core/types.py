"""Hand-off types shared by every domain package.

``Event`` is the one currency that links feedback to moments: every observation that a report
cites has a start and end time in seconds from the start of the recording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Modality = Literal["face", "speech", "content"]


class MockmirrorError(Exception):
    """An error the user can act on; the CLI prints its message on one line, no traceback."""


@dataclass(frozen=True, slots=True)
class Event:
    kind: str  # e.g. "blink", "smile", "filler", "long_pause", "gaze_away", "no_face"
    start: float  # seconds
    end: float  # seconds
    value: float | None = None  # what was measured (duration, level, count…)
    label: str = ""  # human-readable detail, e.g. the filler word
    confidence: float = 1.0

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True, slots=True)
class Reliability:
    """How much a modality's measures can be trusted (0..1) and why."""

    score: float
    reasons: tuple[str, ...] = ()


# Long work reports (stage name, fraction done 0..1); the CLI maps it to a progress bar.
ProgressFn = Callable[[str, float], None]


def no_progress(stage: str, fraction: float) -> None:
    """Default progress sink: ignore."""
