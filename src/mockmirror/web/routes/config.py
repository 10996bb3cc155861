"""What the page needs from the server's settings: one small read-only endpoint, so the UI copies none."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mockmirror.interview.bank import RoleFamily
from mockmirror.web.deps import ServicesDep

router = APIRouter(prefix="/api", tags=["meta"])


class LiveTimings(BaseModel):
    """When a live answer ends and how long nudges stay up (settings ``web.*``)."""

    answer_end_quiet_s: float
    answer_min_speech_s: float
    nudge_show_s: float
    cue_min_interval_s: float


class ReplayTimings(BaseModel):
    """How long nudges and the report's moments are drawn over a recording's replay."""

    cue_show_s: float
    event_min_s: float


class UiConfig(BaseModel):
    roles: list[str] = Field(description="Role families of the question bank ('any' first).")
    emotion_inference_allowed: bool = Field(description="Offer emotion naming (personal mode only).")
    max_upload_mb: float = Field(description="Uploads over this size are refused (web.max_upload_mb).")
    pace_band_wpm: tuple[float, float] = Field(description="Comfortable pace, words a minute.")
    poll_interval_s: float = Field(description="How often to ask how an analysis is going.")
    report_poll_interval_s: float = Field(description="How often an open report looks again while analysing.")
    live: LiveTimings
    replay: ReplayTimings


@router.get("/config", response_model=UiConfig, summary="The settings the UI needs to draw its pages")
def ui_config(services: ServicesDep) -> UiConfig:
    settings = services.settings
    web = settings.web
    return UiConfig(
        roles=[r.value for r in RoleFamily],
        emotion_inference_allowed=settings.fusion.mode == "personal",
        max_upload_mb=web.max_upload_mb,
        pace_band_wpm=settings.speech.pace_band_wpm,
        poll_interval_s=web.poll_interval_s,
        report_poll_interval_s=web.report_poll_interval_s,
        live=LiveTimings(
            answer_end_quiet_s=web.answer_end_quiet_s, answer_min_speech_s=web.answer_min_speech_s,
            nudge_show_s=web.nudge_show_s, cue_min_interval_s=web.cue_min_interval_s,
        ),
        replay=ReplayTimings(cue_show_s=web.replay_cue_show_s, event_min_s=web.replay_event_min_s),
    )
