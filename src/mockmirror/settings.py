"""One settings object for the whole app (env prefix ``MOCKMIRROR_``), passed down explicitly."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MediaSettings(BaseModel):
    video_fps: float = Field(10.0, gt=0, le=60, description="Frames per second sampled for face analysis.")
    audio_sample_rate: int = Field(16_000, description="Audio is resampled to this rate, mono.")
    max_duration_s: float = Field(3600.0, gt=0, description="Longer recordings are refused.")


class SpeechSettings(BaseModel):
    asr_model: str = Field(
        "whisper-base",
        description="'whisper-base' (shipped weights) or any faster-whisper model name/path.",
    )
    compute_type: str = "int8"
    beam_size: int = 5
    language: str | None = "en"
    cpu_threads: int = 2
    # Whisper drops filled pauses unless the prompt shows them.
    filler_prompt: str = "Umm, let me think like, hmm... Okay, uh, so, you know, I mean, er, yeah."
    min_pause_s: float = Field(0.3, description="Silences shorter than this are not pauses.")
    long_pause_s: float = 2.0
    pace_band_wpm: tuple[float, float] = (130.0, 165.0)


class FaceSettings(BaseModel):
    blink_ear_threshold: float = Field(0.18, description="Eye aspect ratio below this = eye closed.")
    blink_min_frames: int = 1
    blink_sample_fps: float = Field(
        30.0,
        ge=0,
        description="Eye state is read at this rate (blinks last 100-400 ms); 0 = only at video_fps.",
    )
    eye_contact_max_deg: float = Field(
        12.0, description="Gaze within this angle of the camera axis counts as eye contact."
    )
    smile_threshold: float = Field(0.5, description="MediaPipe mouthSmile blendshape level for a smile.")
    min_face_confidence: float = 0.5


class ContentSettings(BaseModel):
    embedding_model: str = Field(
        "all-MiniLM-L6-v2", description="'all-MiniLM-L6-v2' (shipped) or a sentence-transformers name/path."
    )
    off_topic_threshold: float = Field(
        0.15, description="Cosine similarity to the question below this flags the answer as off-topic."
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOCKMIRROR_", env_nested_delimiter="__")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("mockmirror")))
    model_dir: Path = Field(
        default_factory=lambda: Path(user_cache_dir("mockmirror")) / "models",
        description="Where assembled/converted model files live (verified by sha256).",
    )
    media: MediaSettings = MediaSettings()
    speech: SpeechSettings = SpeechSettings()
    face: FaceSettings = FaceSettings()
    content: ContentSettings = ContentSettings()
