"""The user's own normal (blink rate, pitch, smile, movement…), so indicators compare a person
with themselves rather than with a population norm.

A baseline comes from a short neutral calibration recording (analysed like an answer) or from
earlier sessions' JSON reports (the median of each measure over them). Where it has no value for
a measure, the population default below is used, and the indicator says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from statistics import median
from typing import Any, Literal

from mockmirror.face.track import FaceTrack
from mockmirror.fusion.cues import loudness_variation_db
from mockmirror.speech.track import SpeechTrack

BaselineSource = Literal["population", "calibration", "earlier sessions"]


@dataclass(slots=True)
class Baseline:
    blink_rate_per_min: float | None = None
    smile_ratio: float | None = None
    head_movement_deg_per_s: float | None = None
    mean_pitch_hz: float | None = None
    pitch_variation_st: float | None = None  # semitones, when the speech track measures pitch
    loudness_variation_db: float | None = None
    source: BaselineSource = "population"
    detail: str = ""  # e.g. "calibration.mp4" or "3 earlier answers"

    def measured(self) -> dict[str, float]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("source", "detail") and getattr(self, f.name) is not None
        }


# Population defaults (docs/fusion.md gives the reasoning): adults blink ~15-20 times a minute in
# conversation; still speakers in the GRID fixtures read 1.5-3.3 deg/s of head movement; a
# speaker reading GRID commands varies loudness by ~2.6 dB. Smile and pitch have no sensible
# population norm here (culture, face, voice), so they are compared only with the user's own.
POPULATION = Baseline(
    blink_rate_per_min=17.0,
    head_movement_deg_per_s=4.0,
    loudness_variation_db=4.0,
    source="population",
    detail="population defaults",
)


def _pitch(speech: SpeechTrack) -> tuple[float | None, float | None]:
    # The speech package may add pitch measures; read them when present.
    s = speech.summary
    return getattr(s, "mean_pitch_hz", None), getattr(s, "pitch_variation_st", None)


def baseline_from_tracks(
    face: FaceTrack, speech: SpeechTrack, source: BaselineSource, detail: str
) -> Baseline:
    """A baseline from one recording's tracks (a calibration recording)."""
    fs = face.summary
    pitch, pitch_var = _pitch(speech) if speech.available else (None, None)
    return Baseline(
        blink_rate_per_min=fs.blink_rate_per_min if face.available else None,
        smile_ratio=fs.smile_ratio if face.available else None,
        head_movement_deg_per_s=fs.head_movement_deg_per_s if face.available else None,
        mean_pitch_hz=pitch,
        pitch_variation_st=pitch_var,
        loudness_variation_db=loudness_variation_db(speech) if speech.available else None,
        source=source,
        detail=detail,
    )


def baseline_from_reports(reports: Iterable[Any]) -> Baseline:
    """Median of each measure over earlier AnswerReports (pydantic models or their dicts).

    Values a report did not measure (None) are skipped; a measure no report has stays None.
    """
    rows: list[dict[str, float | None]] = []
    for report in reports:
        data = report if isinstance(report, Mapping) else report.model_dump(mode="json")
        face = data.get("face") or {}
        summary = face.get("summary") or {}
        fusion = data.get("fusion") or {}
        by_measure = {
            c["measure"]: c.get("value") for ind in fusion.get("indicators", []) for c in ind.get("cues", [])
        }
        speech_summary = (data.get("speech") or {}).get("summary") or {}
        rows.append(
            {
                "blink_rate_per_min": summary.get("blink_rate_per_min") if face.get("available") else None,
                "smile_ratio": summary.get("smile_ratio") if face.get("available") else None,
                "head_movement_deg_per_s": summary.get("head_movement_deg_per_s")
                if face.get("available")
                else None,
                "mean_pitch_hz": speech_summary.get("mean_pitch_hz"),
                "pitch_variation_st": speech_summary.get("pitch_variation_st"),
                "loudness_variation_db": by_measure.get("loudness_variation_db"),
            }
        )
    values: dict[str, float | None] = {}
    for name in (
        "blink_rate_per_min",
        "smile_ratio",
        "head_movement_deg_per_s",
        "mean_pitch_hz",
        "pitch_variation_st",
        "loudness_variation_db",
    ):
        seen = [r[name] for r in rows if r.get(name) is not None]
        values[name] = round(float(median(seen)), 3) if seen else None
    return Baseline(**values, source="earlier sessions", detail=f"{len(rows)} earlier answer(s)")


@dataclass(frozen=True, slots=True)
class Reference:
    value: float | None
    source: str  # "own baseline (…)" or "population default"


def reference(baseline: Baseline | None, name: str) -> Reference:
    """The value to compare ``name`` with: the user's own when the baseline has it."""
    if baseline is not None and baseline.source != "population":
        own = getattr(baseline, name)
        if own is not None:
            return Reference(own, f"own baseline ({baseline.source}: {baseline.detail})")
    value = getattr(POPULATION, name)
    return Reference(value, "population default" if value is not None else "none")


def merged(baseline: Baseline | None) -> Baseline:
    """The baseline with population defaults filled in where it has no value (for display)."""
    if baseline is None:
        return POPULATION
    filled = {k: v for k, v in POPULATION.measured().items() if getattr(baseline, k) is None}
    return replace(baseline, **filled)
